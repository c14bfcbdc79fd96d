//! The gazetteer: takes GeoNames dumps (cities500, admin1/admin2 codes, countryInfo)
//! and gives a compact on-disk index (`data/gazetteer/gazetteer.bin.zst`: columnar
//! arrays + an `fst` name index, zstd-compressed) plus lookups by normalised name.
//! Countries, first- and second-level divisions are places too (coordinates derived
//! from the cities they contain, since the admin dumps carry none).

use crate::countries::{CONTINENTS, COUNTRY_TERMS};
use crate::normalize::{normalize, skeleton};
use chronicle_core::{Error, Place, Precision, RecordError, Result};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// File name of the compiled gazetteer inside `data/gazetteer/`.
pub const GAZETTEER_FILE: &str = "gazetteer.bin.zst";
const MAGIC: &[u8; 8] = b"CHGAZ\x00\x03\x00";
const NONE: u32 = u32::MAX;
/// Countries whose names are transliterated from Arabic, Persian, Pashto, Urdu or
/// Hebrew, where spellings vary most; their places get a skeleton index.
const SKELETON_COUNTRIES: &[&str] = &[
    "SY", "IQ", "LB", "PS", "JO", "YE", "EG", "LY", "SA", "AE", "KW", "QA", "BH", "OM", "SD", "DZ",
    "MA", "TN", "MR", "SO", "AF", "IR", "PK", "IL", "TD", "ML", "NE",
];
/// Postings carry this bit when the name is only an alternate name of the entry.
const ALT_BIT: u32 = 1 << 31;

/// What `build` produced.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    pub places: usize,
    pub countries: usize,
    pub admin1: usize,
    pub admin2: usize,
    pub names: usize,
    pub bytes: u64,
    pub skipped: Vec<RecordError>,
}

#[derive(Debug, Clone, Default)]
struct CountryRec {
    iso2: String,
    iso3: String,
    name: String,
    population: u64,
    geonameid: u32,
    /// Entry index of the country as a place.
    entry: u32,
    /// ISO2 codes of neighbouring countries, comma-separated (countryInfo).
    neighbours: String,
}

/// One gazetteer row before columnarisation.
#[derive(Debug, Clone, Default)]
struct Row {
    id: u32,
    name: String,
    lat: f32,
    lon: f32,
    fclass: u8,
    fcode: String,
    country: u16,
    admin1: u32,
    admin2: u32,
    population: u64,
    /// (name, is_alternate)
    names: Vec<(String, bool)>,
}

/// A name match returned by [`Gazetteer::lookup`]: the entry index and whether the
/// name was the entry's primary/ASCII name (false = alternate name only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: u32,
    pub primary: bool,
}

/// Slots of the per-thread look-up cache (a power of two, 2^12).
const KEY_CACHE_SLOTS: usize = 1 << 12;

/// One slot of the per-thread cache of `fst` look-ups: which gazetteer (its `id`),
/// the key and its hits (the name index part only).
#[derive(Default)]
struct CacheSlot {
    gaz: u64,
    key: String,
    hits: Vec<Hit>,
}

thread_local! {
    /// Name-index look-ups.
    static KEY_CACHE: std::cell::RefCell<Vec<CacheSlot>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Skeleton-index look-ups.
    static SKEL_CACHE: std::cell::RefCell<Vec<CacheSlot>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Source of `Gazetteer::id`s (0 is never used, so empty cache slots never match).
static NEXT_GAZ_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_gaz_id() -> u64 {
    NEXT_GAZ_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The loaded gazetteer.
pub struct Gazetteer {
    /// Identity for the per-thread look-up cache; a new one after each import.
    id: u64,
    ids: Vec<u32>,
    /// Per entry: point, population, feature, country and admin indices, in one
    /// record (resolution reads them together; one cache line, not eight).
    rec: Vec<Rec>,
    /// Per feature-code table entry: 1 country (`PCL*`), 2 `ADM1`, 3 `ADM2`, else 0.
    fcode_kind: Vec<u8>,
    /// Bit per entry: a country, first-level division or place of 100,000 or more
    /// (`major_ge`) / more than 100,000 (`major_gt`): answers [`Gazetteer::is_major`]
    /// from 28 KB instead of the entry records.
    major_ge: Vec<u64>,
    major_gt: Vec<u64>,
    /// Entries covered by the `major_*` bits.
    major_n: usize,
    name_off: Vec<u32>,
    names: String,
    fcodes: Vec<String>,
    countries: Vec<CountryRec>,
    admin1_codes: Vec<String>,
    admin1_names: Vec<String>,
    admin2_codes: Vec<String>,
    admin2_names: Vec<String>,
    postings: Vec<u32>,
    index: fst::Map<Vec<u8>>,
    /// Hashes of the `index` keys: most looked-up keys are not names, and this
    /// answers "no" without walking the fst.
    name_hashes: KeyHashes,
    skel_postings: Vec<u32>,
    skel_index: fst::Map<Vec<u8>>,
    /// Hashes of the `skel_index` keys.
    skel_hashes: KeyHashes,
    /// Names added at run time by [`Gazetteer::import`].
    extra_index: HashMap<String, Vec<u32>>,
    iso3_index: HashMap<String, u16>,
    iso2_index: HashMap<String, u16>,
    admin1_index: HashMap<String, u32>,
    admin2_index: HashMap<String, u32>,
    /// admin1 table index → entry index of the ADM1 place.
    admin1_entry: HashMap<u32, u32>,
    /// Country record index → ISO3 codes of its neighbours.
    neighbour_iso3: Vec<Vec<String>>,
    /// Country record index → record indices of its neighbours (same order).
    neighbour_idx: Vec<Vec<u16>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.ids.len())
            .field("names", &self.index.len())
            .finish()
    }
}

/// A Bloom filter of index keys (two probes into 2^22 bits, about 2% false
/// positives at the gazetteer's 330k names): most looked-up keys are not names,
/// and it answers "no" without walking the fst. Built while the loader checks the
/// index.
#[derive(Clone)]
struct KeyHashes {
    bits: Vec<u64>,
}

impl Default for KeyHashes {
    fn default() -> Self {
        KeyHashes {
            bits: vec![0; (1 << 22) / 64],
        }
    }
}

impl KeyHashes {
    const MASK: u64 = (1 << 22) - 1;
    fn probes(h: u64) -> [usize; 2] {
        let h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        [(h >> 40 & Self::MASK) as usize, (h & Self::MASK) as usize]
    }
    fn insert(&mut self, h: u64) {
        for p in Self::probes(h) {
            self.bits[p / 64] |= 1 << (p % 64);
        }
    }
    fn contains(&self, h: &u64) -> bool {
        Self::probes(*h)
            .iter()
            .all(|&p| self.bits[p / 64] & (1 << (p % 64)) != 0)
    }
}

/// 64-bit FNV-1a hash of an index key.
fn key_hash(k: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in k {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// See `Gazetteer::fcode_kind`.
fn fcode_kind(code: &str) -> u8 {
    match code {
        c if c.starts_with("PCL") => 1,
        "ADM1" => 2,
        "ADM2" => 3,
        _ => 0,
    }
}

/// One entry's numeric columns (see `Gazetteer::rec`).
#[derive(Debug, Clone, Copy)]
struct Rec {
    pop: u64,
    lat: f32,
    lon: f32,
    admin1: u32,
    admin2: u32,
    country: u16,
    fclass: u8,
    fcode: u8,
}

fn data_err(what: impl std::fmt::Display) -> Error {
    Error::Data(what.to_string())
}

fn open_text(path: &Path) -> Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(path)
        .map_err(|e| data_err(format!("{}: cannot open: {e}", path.display())))?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            f,
        ))))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
    }
}

/// True when an alternate name is worth indexing for English text: Latin script,
/// starts with a capital, no digits, not an all-caps code (IATA "DAM").
fn useful_alt_name(s: &str) -> bool {
    let s = s.trim();
    if s.chars().count() < 3 || s.len() > 80 {
        return false;
    }
    let mut chars = s.chars();
    let first = chars.next().unwrap_or(' ');
    if !first.is_uppercase() && first != '`' && first != '\'' {
        return false;
    }
    if s.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if s.chars().all(|c| !c.is_lowercase()) && s.len() <= 5 {
        return false;
    }
    s.chars().all(|c| {
        let u = c as u32;
        u < 0x0250
            || (0x1E00..0x1F00).contains(&u)
            || c == '\u{2019}'
            || c == '\u{02BC}'
            || c == '\u{02BF}'
            || c == '\u{02BE}'
    })
}

/// Suffixes stripped from division names to get the bare name people write
/// ("Baalbek-Hermel Governorate" → "Baalbek-Hermel").
const DIVISION_SUFFIXES: &[&str] = &[
    " Governorate",
    " Province",
    " District",
    " Region",
    " Oblast",
    " Prefecture",
    " County",
    " Department",
    " Municipality",
    " Division",
    " Muhafazat",
    " Voivodeship",
    " Parish",
];

/// Stems too generic to stand for a division on their own ("South Governorate").
const GENERIC_STEMS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Capital",
    "Coastal",
    "Upper",
    "Lower",
    "Middle",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
    "Far North",
    "Centre",
    "Center",
];

fn division_variants(name: &str) -> Vec<String> {
    let mut out = vec![];
    for suf in DIVISION_SUFFIXES {
        if let Some(stem) = name.strip_suffix(suf) {
            if !stem.trim().is_empty() && !GENERIC_STEMS.contains(&stem.trim()) {
                out.push(stem.trim().to_string());
            }
        }
    }
    out
}

fn feature_precision(fclass: u8, fcode: &str) -> Precision {
    if fclass == b'A' {
        if fcode.starts_with("PCL") || fcode == "ADM1" || fcode == "TERR" {
            3
        } else {
            2
        }
    } else if fcode == "CONT" {
        3
    } else if fclass == b'L' || fclass == b'T' || fclass == b'H' {
        2
    } else {
        1
    }
}

// ---------- binary writer / reader ----------

struct W(Vec<u8>);
impl W {
    fn u8(&mut self, v: u8) {
        self.0.push(v)
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes())
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes())
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes())
    }
    fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes())
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes())
    }
    fn strs(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }
}

struct R<'a> {
    b: &'a [u8],
    pos: usize,
}
impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| {
                data_err(format!(
                    "gazetteer file truncated at byte {} (wanted {n} more)",
                    self.pos
                ))
            })?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().unwrap_or_default(),
        ))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or_default(),
        ))
    }
    fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.u64()? as usize;
        self.take(n)
    }
    fn str(&mut self) -> Result<String> {
        String::from_utf8(self.bytes()?.to_vec())
            .map_err(|e| data_err(format!("gazetteer: bad utf-8: {e}")))
    }
    fn strs(&mut self) -> Result<Vec<String>> {
        let n = self.u32()? as usize;
        (0..n).map(|_| self.str()).collect()
    }
    fn vec<T>(&mut self, n: usize, width: usize, f: impl Fn(&[u8]) -> T) -> Result<Vec<T>> {
        let raw = self.take(
            n.checked_mul(width)
                .ok_or_else(|| data_err("gazetteer: bad length"))?,
        )?;
        Ok(raw.chunks_exact(width).map(f).collect())
    }
}

// ---------- parsing GeoNames dumps ----------

struct Tables {
    countries: Vec<CountryRec>,
    iso2_index: HashMap<String, u16>,
    admin1_codes: Vec<String>,
    admin1_names: Vec<String>,
    admin1_ids: Vec<u32>,
    admin2_codes: Vec<String>,
    admin2_names: Vec<String>,
    admin2_ids: Vec<u32>,
}

fn read_country_info(path: &Path, skipped: &mut Vec<RecordError>) -> Result<Vec<CountryRec>> {
    let mut out = vec![];
    for (i, line) in open_text(path)?.lines().enumerate() {
        let line = line.map_err(|e| data_err(format!("{}:{}: {e}", path.display(), i + 1)))?;
        if line.starts_with('#') || line.starts_with("ISO\t") || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 17 || f[0].len() != 2 || f[1].len() != 3 {
            skipped.push(RecordError::new(
                format!("{}:{}", path.display(), i + 1),
                "countryInfo row needs >= 17 columns with ISO2/ISO3",
            ));
            continue;
        }
        out.push(CountryRec {
            iso2: f[0].to_string(),
            iso3: f[1].to_string(),
            name: f[4].to_string(),
            population: f[7].parse().unwrap_or(0),
            geonameid: f[16].parse().unwrap_or(0),
            entry: NONE,
            neighbours: f.get(17).map(|x| x.trim().to_string()).unwrap_or_default(),
        });
    }
    if out.is_empty() {
        return Err(data_err(format!("{}: no countries read", path.display())));
    }
    Ok(out)
}

fn read_admin(
    path: &Path,
    skipped: &mut Vec<RecordError>,
) -> Result<(Vec<String>, Vec<String>, Vec<u32>)> {
    let (mut codes, mut names, mut ids) = (vec![], vec![], vec![]);
    for (i, line) in open_text(path)?.lines().enumerate() {
        let line = line.map_err(|e| data_err(format!("{}:{}: {e}", path.display(), i + 1)))?;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 || f[0].is_empty() || f[1].is_empty() {
            skipped.push(RecordError::new(
                format!("{}:{}", path.display(), i + 1),
                "admin row needs code, name, asciiname, geonameid",
            ));
            continue;
        }
        codes.push(f[0].to_string());
        names.push(f[1].to_string());
        ids.push(f[3].trim().parse().unwrap_or(0));
    }
    Ok((codes, names, ids))
}

fn load_tables(dir: &Path, skipped: &mut Vec<RecordError>) -> Result<Tables> {
    let countries = read_country_info(&dir.join("countryInfo.txt"), skipped)?;
    let iso2_index = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.iso2.clone(), i as u16))
        .collect();
    let (admin1_codes, admin1_names, admin1_ids) =
        read_admin(&dir.join("admin1CodesASCII.txt"), skipped)?;
    let a2 = dir.join("admin2Codes.txt");
    let (admin2_codes, admin2_names, admin2_ids) = if a2.exists() {
        read_admin(&a2, skipped)?
    } else {
        (vec![], vec![], vec![])
    };
    Ok(Tables {
        countries,
        iso2_index,
        admin1_codes,
        admin1_names,
        admin1_ids,
        admin2_codes,
        admin2_names,
        admin2_ids,
    })
}

/// Parse one GeoNames main-format row (19 tab-separated columns).
struct RawPlace<'a> {
    id: u32,
    name: &'a str,
    ascii: &'a str,
    alts: &'a str,
    lat: f32,
    lon: f32,
    fclass: &'a str,
    fcode: &'a str,
    cc: &'a str,
    a1: &'a str,
    a2: &'a str,
    pop: u64,
}

fn parse_row(line: &str) -> std::result::Result<RawPlace<'_>, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() < 15 {
        return Err(format!(
            "expected 19 tab-separated columns, got {}",
            f.len()
        ));
    }
    let id = f[0]
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("bad geonameid {:?}", f[0]))?;
    let lat = f[4]
        .trim()
        .parse::<f32>()
        .map_err(|_| format!("bad latitude {:?}", f[4]))?;
    let lon = f[5]
        .trim()
        .parse::<f32>()
        .map_err(|_| format!("bad longitude {:?}", f[5]))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinates out of range ({lat}, {lon})"));
    }
    if f[1].trim().is_empty() {
        return Err("empty name".into());
    }
    Ok(RawPlace {
        id,
        name: f[1].trim(),
        ascii: f[2].trim(),
        alts: f[3],
        lat,
        lon,
        fclass: f[6].trim(),
        fcode: f[7].trim(),
        cc: f[8].trim(),
        a1: f[10].trim(),
        a2: f[11].trim(),
        pop: f[14].trim().parse().unwrap_or(0),
    })
}

fn names_of(p: &RawPlace) -> Vec<(String, bool)> {
    let mut names = vec![(p.name.to_string(), false)];
    if !p.ascii.is_empty() && p.ascii != p.name {
        names.push((p.ascii.to_string(), false));
    }
    let main = normalize(p.name);
    for a in p.alts.split(',') {
        if useful_alt_name(a) {
            // a leading part of the main name counts as primary ("New York" of
            // "New York City", "Washington" of "Washington, D.C.")
            let k = normalize(a);
            let prefix = !k.is_empty()
                && main.len() > k.len()
                && main.starts_with(&k)
                && main.as_bytes()[k.len()] == b' ';
            names.push((a.trim().to_string(), !prefix));
        }
    }
    names
}

/// Robust centre of a set of points: midpoint of the 10th/90th percentiles of the
/// distinct 0.25° cells the points occupy (so dense cities do not pull it).
fn robust_centre(points: &[(f32, f32)]) -> Option<(f32, f32)> {
    if points.is_empty() {
        return None;
    }
    let mut cells: Vec<(i32, i32)> = points
        .iter()
        .map(|&(la, lo)| ((la * 4.0).floor() as i32, (lo * 4.0).floor() as i32))
        .collect();
    cells.sort_unstable();
    cells.dedup();
    let mut lats: Vec<f32> = cells.iter().map(|c| (c.0 as f32 + 0.5) / 4.0).collect();
    let mut lons: Vec<f32> = cells.iter().map(|c| (c.1 as f32 + 0.5) / 4.0).collect();
    lats.sort_by(f32::total_cmp);
    lons.sort_by(f32::total_cmp);
    let q = |v: &[f32], p: f32| v[((v.len() - 1) as f32 * p).round() as usize];
    if cells.len() < 5 {
        let n = points.len() as f32;
        return Some((
            points.iter().map(|p| p.0).sum::<f32>() / n,
            points.iter().map(|p| p.1).sum::<f32>() / n,
        ));
    }
    Some((
        (q(&lats, 0.1) + q(&lats, 0.9)) / 2.0,
        (q(&lons, 0.1) + q(&lons, 0.9)) / 2.0,
    ))
}

impl Gazetteer {
    /// Build the compiled gazetteer from a GeoNames directory holding
    /// `cities500.txt(.gz)`, `admin1CodesASCII.txt`, `admin2Codes.txt` and
    /// `countryInfo.txt`; writes `out_dir/gazetteer.bin.zst`.
    pub fn build(geonames_dir: &Path, out_dir: &Path) -> Result<BuildStats> {
        let mut stats = BuildStats::default();
        let t = load_tables(geonames_dir, &mut stats.skipped)?;
        let cities = [
            "cities500.txt.gz",
            "cities500.txt",
            "cities1000.txt",
            "cities15000.txt",
        ]
        .iter()
        .map(|f| geonames_dir.join(f))
        .find(|p| p.exists())
        .ok_or_else(|| {
            data_err(format!(
                "{}: no cities500.txt(.gz) / cities15000.txt",
                geonames_dir.display()
            ))
        })?;
        let admin1_index: HashMap<&str, u32> = t
            .admin1_codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i as u32))
            .collect();
        let admin2_index: HashMap<&str, u32> = t
            .admin2_codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i as u32))
            .collect();
        let mut rows: Vec<Row> = Vec::with_capacity(260_000);
        let mut pts_country: Vec<Vec<(f32, f32)>> = vec![vec![]; t.countries.len()];
        let mut pts_a1: Vec<Vec<(f32, f32)>> = vec![vec![]; t.admin1_codes.len()];
        let mut pts_a2: Vec<Vec<(f32, f32)>> = vec![vec![]; t.admin2_codes.len()];
        let mut pop_a1 = vec![0u64; t.admin1_codes.len()];
        let mut pop_a2 = vec![0u64; t.admin2_codes.len()];
        for (i, line) in open_text(&cities)?.lines().enumerate() {
            let origin = || format!("{}:{}", cities.display(), i + 1);
            let line = line.map_err(|e| data_err(format!("{}: {e}", origin())))?;
            if line.trim().is_empty() {
                continue;
            }
            let p = match parse_row(&line) {
                Ok(p) => p,
                Err(reason) => {
                    stats.skipped.push(RecordError::new(origin(), reason));
                    continue;
                }
            };
            let Some(&ci) = t.iso2_index.get(p.cc) else {
                stats.skipped.push(RecordError::new(
                    origin(),
                    format!("unknown country code {:?}", p.cc),
                ));
                continue;
            };
            let k1 = format!("{}.{}", p.cc, p.a1);
            let a1 = admin1_index.get(k1.as_str()).copied().unwrap_or(NONE);
            let a2 = admin2_index
                .get(format!("{k1}.{}", p.a2).as_str())
                .copied()
                .unwrap_or(NONE);
            pts_country[ci as usize].push((p.lat, p.lon));
            if a1 != NONE {
                pts_a1[a1 as usize].push((p.lat, p.lon));
                pop_a1[a1 as usize] += p.pop;
            }
            if a2 != NONE {
                pts_a2[a2 as usize].push((p.lat, p.lon));
                pop_a2[a2 as usize] += p.pop;
            }
            rows.push(Row {
                id: p.id,
                name: p.name.to_string(),
                lat: p.lat,
                lon: p.lon,
                fclass: p.fclass.bytes().next().unwrap_or(b'P'),
                fcode: p.fcode.to_string(),
                country: ci,
                admin1: a1,
                admin2: a2,
                population: p.pop,
                names: names_of(&p),
            });
        }
        // countries
        let mut countries = t.countries.clone();
        for (ci, c) in countries.iter_mut().enumerate() {
            let Some((lat, lon)) = robust_centre(&pts_country[ci]) else {
                continue;
            };
            let mut names = vec![(c.name.clone(), false)];
            if let Some((_, aliases, _)) = COUNTRY_TERMS.iter().find(|(i, _, _)| *i == c.iso3) {
                names.extend(aliases.iter().map(|a| (a.to_string(), false)));
            }
            c.entry = rows.len() as u32;
            rows.push(Row {
                id: c.geonameid,
                name: c.name.clone(),
                lat,
                lon,
                fclass: b'A',
                fcode: "PCLI".into(),
                country: ci as u16,
                admin1: NONE,
                admin2: NONE,
                population: c.population,
                names,
            });
            stats.countries += 1;
        }
        for (id, name, lat, lon, extra) in CONTINENTS {
            let mut names = vec![(name.to_string(), false)];
            names.extend(extra.iter().map(|n| (n.to_string(), false)));
            rows.push(Row {
                id: *id,
                name: name.to_string(),
                lat: *lat,
                lon: *lon,
                fclass: b'L',
                fcode: "CONT".into(),
                country: u16::MAX,
                admin1: NONE,
                admin2: NONE,
                population: 0,
                names,
            });
        }
        // first- and second-level divisions that contain at least one place
        stats.admin1 = division_rows(
            Division {
                level: 1,
                codes: &t.admin1_codes,
                names: &t.admin1_names,
                ids: &t.admin1_ids,
                points: &pts_a1,
                population: &pop_a1,
            },
            &t.iso2_index,
            &admin1_index,
            &mut rows,
        );
        stats.admin2 = division_rows(
            Division {
                level: 2,
                codes: &t.admin2_codes,
                names: &t.admin2_names,
                ids: &t.admin2_ids,
                points: &pts_a2,
                population: &pop_a2,
            },
            &t.iso2_index,
            &admin1_index,
            &mut rows,
        );
        stats.places = rows.len();
        let bytes = serialize(&rows, &countries, &t)?;
        std::fs::create_dir_all(out_dir)
            .map_err(|e| data_err(format!("{}: {e}", out_dir.display())))?;
        let out = out_dir.join(GAZETTEER_FILE);
        let compressed =
            zstd::bulk::compress(&bytes.0, 19).map_err(|e| data_err(format!("zstd: {e}")))?;
        std::fs::write(&out, &compressed)
            .map_err(|e| data_err(format!("{}: {e}", out.display())))?;
        stats.bytes = compressed.len() as u64;
        stats.names = bytes.1;
        Ok(stats)
    }

    /// Load `data_dir/gazetteer/gazetteer.bin.zst` (or `data_dir/gazetteer.bin.zst`
    /// when `data_dir` is the gazetteer folder itself).
    pub fn load(data_dir: &Path) -> Result<Gazetteer> {
        let cand = [
            data_dir.join("gazetteer").join(GAZETTEER_FILE),
            data_dir.join(GAZETTEER_FILE),
        ];
        let path = cand.iter().find(|p| p.exists()).ok_or_else(|| {
            data_err(format!(
                "{}: no {GAZETTEER_FILE} (build it: cargo run -p chronicle-geo --release --bin build-gazetteer -- GEONAMES_DIR data/gazetteer)",
                data_dir.display()
            ))
        })?;
        let compressed =
            std::fs::read(path).map_err(|e| data_err(format!("{}: {e}", path.display())))?;
        let mut raw = Vec::new();
        zstd::stream::read::Decoder::new(&compressed[..])
            .and_then(|mut d| d.read_to_end(&mut raw))
            .map_err(|e| data_err(format!("{}: zstd: {e}", path.display())))?;
        Self::from_bytes(&raw).map_err(|e| data_err(format!("{}: {e}", path.display())))
    }

    fn from_bytes(raw: &[u8]) -> Result<Gazetteer> {
        let mut r = R { b: raw, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(data_err("not a chronicle gazetteer file (bad magic)"));
        }
        let n = r.u64()? as usize;
        let ids = r.vec(n, 4, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let lat = r.vec(n, 4, |b| {
            f32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let lon = r.vec(n, 4, |b| {
            f32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let pop = r.vec(n, 8, |b| {
            u64::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let fclass = r.vec(n, 1, |b| b[0])?;
        let fcode = r.vec(n, 1, |b| b[0])?;
        let country = r.vec(n, 2, |b| {
            u16::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let admin1 = r.vec(n, 4, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let admin2 = r.vec(n, 4, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let name_off = r.vec(n + 1, 4, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let names = r.str()?;
        let fcodes = r.strs()?;
        let nc = r.u32()? as usize;
        let mut countries = Vec::with_capacity(nc);
        for _ in 0..nc {
            countries.push(CountryRec {
                iso2: r.str()?,
                iso3: r.str()?,
                name: r.str()?,
                population: r.u64()?,
                geonameid: r.u32()?,
                entry: r.u32()?,
                neighbours: r.str()?,
            });
        }
        let admin1_codes = r.strs()?;
        let admin1_names = r.strs()?;
        let admin2_codes = r.strs()?;
        let admin2_names = r.strs()?;
        let np = r.u64()? as usize;
        let postings = r.vec(np, 4, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let fst_bytes = r.bytes()?.to_vec();
        let index = fst::Map::new(fst_bytes).map_err(|e| data_err(format!("name index: {e}")))?;
        let nsp = r.u64()? as usize;
        let skel_postings = r.vec(nsp, 4, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default())
        })?;
        let skel_index = fst::Map::new(r.bytes()?.to_vec())
            .map_err(|e| data_err(format!("skeleton index: {e}")))?;
        if skel_postings.iter().any(|&p| p as usize >= n) {
            return Err(data_err("gazetteer file damaged: skeleton postings"));
        }
        let mut skel_hashes = KeyHashes::default();
        {
            use fst::Streamer;
            let mut st = skel_index.stream();
            while let Some((k, v)) = st.next() {
                if ((v >> 24) + (v & 0xFF_FFFF)) as usize > skel_postings.len() {
                    return Err(data_err("gazetteer file damaged: skeleton index"));
                }
                skel_hashes.insert(key_hash(k));
            }
        }
        if name_off.last().copied().unwrap_or(0) as usize > names.len() {
            return Err(data_err("name offsets out of range"));
        }
        // structural checks so that a damaged file is an error, never a panic later
        let nc_u16 = countries.len();
        let bad = |what: &str| Err(data_err(format!("gazetteer file damaged: {what}")));
        if name_off.windows(2).any(|w| w[0] > w[1])
            || name_off
                .iter()
                .any(|&o| !names.is_char_boundary(o as usize))
        {
            return bad("name offsets");
        }
        if country
            .iter()
            .any(|&c| c != u16::MAX && c as usize >= nc_u16)
        {
            return bad("country index");
        }
        if admin1
            .iter()
            .any(|&a| a != NONE && a as usize >= admin1_codes.len().min(admin1_names.len()))
        {
            return bad("admin1 index");
        }
        if admin2
            .iter()
            .any(|&a| a != NONE && a as usize >= admin2_codes.len().min(admin2_names.len()))
        {
            return bad("admin2 index");
        }
        if fcode.iter().any(|&f| f as usize >= fcodes.len()) {
            return bad("feature code index");
        }
        if postings.iter().any(|&p| (p & !ALT_BIT) as usize >= n) {
            return bad("postings");
        }
        if countries
            .iter()
            .any(|c| c.entry != NONE && c.entry as usize >= n)
        {
            return bad("country entry");
        }
        let mut name_hashes = KeyHashes::default();
        {
            use fst::Streamer;
            let mut st = index.stream();
            while let Some((k, v)) = st.next() {
                let (start, count) = ((v >> 24) as usize, (v & 0xFF_FFFF) as usize);
                if start + count > postings.len() {
                    return bad("name index points past postings");
                }
                name_hashes.insert(key_hash(k));
            }
        }
        let iso3_index: HashMap<String, u16> = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso3.clone(), i as u16))
            .collect();
        let iso2_index: HashMap<String, u16> = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso2.clone(), i as u16))
            .collect();
        let admin1_index = admin1_codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        let admin2_index = admin2_codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        let adm1_code = fcodes.iter().position(|c| c == "ADM1").map(|p| p as u8);
        let admin1_entry = (0..ids.len())
            .filter(|&e| fclass[e] == b'A' && Some(fcode[e]) == adm1_code && admin1[e] != NONE)
            .map(|e| (admin1[e], e as u32))
            .collect();
        let neighbour_iso3: Vec<Vec<String>> = countries
            .iter()
            .map(|c| {
                c.neighbours
                    .split(',')
                    .filter_map(|n| iso2_index.get(n.trim()))
                    .map(|&i| countries[i as usize].iso3.clone())
                    .collect()
            })
            .collect();
        // the same lists as slots (see `country_slot_of`)
        let neighbour_idx = neighbour_iso3
            .iter()
            .map(|v| {
                v.iter()
                    .filter_map(|n| iso3_index.get(n.as_str()).copied())
                    .collect()
            })
            .collect();
        let rec = (0..n)
            .map(|i| Rec {
                pop: pop[i],
                lat: lat[i],
                lon: lon[i],
                admin1: admin1[i],
                admin2: admin2[i],
                country: country[i],
                fclass: fclass[i],
                fcode: fcode[i],
            })
            .collect();
        let fcode_kind = fcodes.iter().map(|c| fcode_kind(c)).collect();
        let mut gaz = Gazetteer {
            id: next_gaz_id(),
            neighbour_iso3,
            neighbour_idx,
            ids,
            rec,
            fcode_kind,
            major_ge: vec![],
            major_gt: vec![],
            major_n: 0,
            name_off,
            names,
            fcodes,
            countries,
            admin1_codes,
            admin1_names,
            admin2_codes,
            admin2_names,
            postings,
            index,
            name_hashes,
            extra_index: HashMap::new(),
            skel_postings,
            skel_index,
            skel_hashes,
            iso3_index,
            iso2_index,
            admin1_index,
            admin2_index,
            admin1_entry,
        };
        gaz.index_majors();
        Ok(gaz)
    }

    /// (Re)build the `major_ge` / `major_gt` bits.
    fn index_majors(&mut self) {
        let n = self.rec.len();
        let mut ge = vec![0u64; n.div_ceil(64)];
        let mut gt = vec![0u64; n.div_ceil(64)];
        for e in 0..n {
            let k = self.kind(e as u32);
            let pop = self.rec[e].pop;
            if k == 1 || k == 2 || pop >= 100_000 {
                ge[e / 64] |= 1 << (e % 64);
            }
            if k == 1 || k == 2 || pop > 100_000 {
                gt[e / 64] |= 1 << (e % 64);
            }
        }
        self.major_ge = ge;
        self.major_gt = gt;
        self.major_n = n;
    }

    /// Is entry `e` a country, a first-level division or a place of at least
    /// `min_pop` people? `min_pop` is 100,000 or 100,001 (other values read the
    /// entry record).
    pub fn is_major(&self, e: u32, min_pop: u64) -> bool {
        let i = e as usize;
        let bits = match min_pop {
            100_000 if i < self.major_n => &self.major_ge,
            100_001 if i < self.major_n => &self.major_gt,
            _ => {
                return self.is_country(e) || self.is_admin1(e) || self.population(e) >= min_pop;
            }
        };
        bits[i / 64] & (1 << (i % 64)) != 0
    }

    /// Number of entries (places, divisions and countries).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Add places from GeoNames main-format files (allCountries.txt, per-country
    /// dumps like SY.txt, or user lists in the same 19-column layout; `.gz` ok).
    /// Rows whose geonameid is already present are skipped. Returns rows added.
    /// Bad rows are reported as an error naming file:line only if *no* row was usable.
    pub fn import(&mut self, files: &[PathBuf]) -> Result<usize> {
        let mut known: std::collections::HashSet<u32> = self.ids.iter().copied().collect();
        let mut added = 0;
        let mut bad: Vec<RecordError> = vec![];
        for path in files {
            for (i, line) in open_text(path)?.lines().enumerate() {
                let origin = || format!("{}:{}", path.display(), i + 1);
                let line = line.map_err(|e| data_err(format!("{}: {e}", origin())))?;
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let p = match parse_row(&line) {
                    Ok(p) => p,
                    Err(reason) => {
                        bad.push(RecordError::new(origin(), reason));
                        continue;
                    }
                };
                if !known.insert(p.id) {
                    continue;
                }
                let Some(&ci) = self.iso2_index.get(p.cc) else {
                    bad.push(RecordError::new(
                        origin(),
                        format!("unknown country code {:?}", p.cc),
                    ));
                    continue;
                };
                let k1 = format!("{}.{}", p.cc, p.a1);
                let a1 = self.admin1_index.get(&k1).copied().unwrap_or(NONE);
                let a2 = self
                    .admin2_index
                    .get(&format!("{k1}.{}", p.a2))
                    .copied()
                    .unwrap_or(NONE);
                let e = self.ids.len() as u32;
                self.ids.push(p.id);
                let fc = match self.fcodes.iter().position(|c| c == p.fcode) {
                    Some(i) => i,
                    None if self.fcodes.len() < 255 => {
                        self.fcodes.push(p.fcode.to_string());
                        self.fcode_kind.push(fcode_kind(p.fcode));
                        self.fcodes.len() - 1
                    }
                    None => 0,
                };
                self.rec.push(Rec {
                    pop: p.pop,
                    lat: p.lat,
                    lon: p.lon,
                    admin1: a1,
                    admin2: a2,
                    country: ci,
                    fclass: p.fclass.bytes().next().unwrap_or(b'P'),
                    fcode: fc as u8,
                });
                self.names.push_str(p.name);
                self.name_off.push(self.names.len() as u32);
                let mut seen = std::collections::HashSet::new();
                for (n, alt) in names_of(&p) {
                    let k = normalize(&n);
                    if !k.is_empty() && seen.insert(k.clone()) {
                        self.extra_index.entry(k).or_default().push(if alt {
                            e | ALT_BIT
                        } else {
                            e
                        });
                    }
                }
                added += 1;
            }
        }
        self.index_majors();
        self.id = next_gaz_id();
        if added == 0 && !bad.is_empty() {
            return Err(Error::Record(bad.swap_remove(0)));
        }
        Ok(added)
    }

    /// Entry indices matching a normalised key.
    pub fn lookup_key(&self, key: &str) -> Vec<Hit> {
        let mut out = vec![];
        let h = key_hash(key.as_bytes());
        if self.name_hashes.contains(&h) {
            out = self.cached(&KEY_CACHE, h, key, || {
                let mut hits = vec![];
                if let Some(v) = self.index.get(key) {
                    let (start, count) = ((v >> 24) as usize, (v & 0xFF_FFFF) as usize);
                    if let Some(ps) = self.postings.get(start..start + count) {
                        hits.extend(ps.iter().map(|&p| Hit {
                            entry: p & !ALT_BIT,
                            primary: p & ALT_BIT == 0,
                        }));
                    }
                }
                hits
            });
        }
        if let Some(ps) = self.extra_index.get(key) {
            out.extend(ps.iter().map(|&p| Hit {
                entry: p & !ALT_BIT,
                primary: p & ALT_BIT == 0,
            }));
        }
        out
    }

    /// Entries whose name has the same consonant skeleton as `key` (places in
    /// countries with Arabic/Persian/Hebrew transliterations only). All hits are
    /// flagged non-primary.
    pub fn lookup_skeleton(&self, key: &str) -> Vec<Hit> {
        let sk = skeleton(key);
        if sk.replace(' ', "").len() < 3 {
            return vec![];
        }
        let h = key_hash(sk.as_bytes());
        if !self.skel_hashes.contains(&h) {
            return vec![];
        }
        self.cached(&SKEL_CACHE, h, &sk, || {
            let Some(v) = self.skel_index.get(&sk) else {
                return vec![];
            };
            let (start, count) = ((v >> 24) as usize, (v & 0xFF_FFFF) as usize);
            self.skel_postings
                .get(start..start + count)
                .map(|ps| {
                    ps.iter()
                        .map(|&p| Hit {
                            entry: p,
                            primary: false,
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// `compute()`'s hits for `key` (hash `h`), through a per-thread cache of
    /// recent `fst` answers: names recur across documents ("Gaza", "Nairobi").
    fn cached(
        &self,
        cache: &'static std::thread::LocalKey<std::cell::RefCell<Vec<CacheSlot>>>,
        h: u64,
        key: &str,
        compute: impl FnOnce() -> Vec<Hit>,
    ) -> Vec<Hit> {
        let slot = (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) as usize;
        let hit = cache.with(|c| {
            let c = c.borrow();
            let s = c.get(slot)?;
            (s.gaz == self.id && s.key == key).then(|| s.hits.clone())
        });
        if let Some(hits) = hit {
            return hits;
        }
        let hits = compute();
        cache.with(|c| {
            let mut c = c.borrow_mut();
            if c.is_empty() {
                c.resize_with(KEY_CACHE_SLOTS, CacheSlot::default);
            }
            let s = &mut c[slot];
            s.gaz = self.id;
            s.key.clear();
            s.key.push_str(key);
            s.hits.clear();
            s.hits.extend_from_slice(&hits);
        });
        hits
    }

    /// Entry indices matching a surface name.
    pub fn lookup(&self, name: &str) -> Vec<Hit> {
        let k = normalize(name);
        if k.is_empty() {
            return vec![];
        }
        self.lookup_key(&k)
    }

    /// All entries matching a name (normalised), as places.
    pub fn candidates(&self, name: &str) -> Vec<Place> {
        self.lookup(name)
            .into_iter()
            .map(|h| self.place(h.entry))
            .collect()
    }

    /// A country as a place (precision 3), by ISO3 (or ISO2) code.
    pub fn country(&self, iso3: &str) -> Option<Place> {
        let up = iso3.trim().to_ascii_uppercase();
        let ci = self
            .iso3_index
            .get(&up)
            .or_else(|| self.iso2_index.get(&up))?;
        let c = &self.countries[*ci as usize];
        (c.entry != NONE).then(|| self.place(c.entry))
    }

    /// Country record index → ISO3.
    /// ISO3 codes of the countries bordering `iso3`.
    pub fn neighbours(&self, iso3: &str) -> Vec<&str> {
        self.neighbours_of(iso3)
            .iter()
            .map(|s| s.as_str())
            .collect()
    }

    /// Like [`Gazetteer::neighbours`], without allocating.
    pub fn neighbours_of(&self, iso3: &str) -> &[String] {
        self.iso3_index
            .get(iso3)
            .and_then(|&ci| self.neighbour_iso3.get(ci as usize))
            .map_or(&[], |v| v.as_slice())
    }

    /// Number of country records; a [`Gazetteer::country_slot_of`] is at most this.
    pub fn country_count(&self) -> usize {
        self.countries.len()
    }

    /// A dense key for per-country tallies: the country record index of an ISO3
    /// code, `country_count()` for "" (the code of entries without a known
    /// country), `None` for a code not in the gazetteer.
    pub fn country_slot_of(&self, iso3: &str) -> Option<usize> {
        match self.iso3_index.get(iso3) {
            Some(&i) => Some(i as usize),
            None => iso3.is_empty().then_some(self.countries.len()),
        }
    }

    /// Slots (see [`Gazetteer::country_slot_of`]) of the neighbours of entry `e`'s
    /// country, in the order of [`Gazetteer::neighbours_of_entry`].
    pub fn neighbour_slots_of_entry(&self, e: u32) -> &[u16] {
        self.neighbour_idx
            .get(self.rec[e as usize].country as usize)
            .map_or(&[], |v| v.as_slice())
    }

    /// ISO3 codes of the countries bordering the country of entry `e` (as
    /// `neighbours_of(country_iso3(e))`, without the look-up).
    pub fn neighbours_of_entry(&self, e: u32) -> &[String] {
        self.neighbour_iso3
            .get(self.rec[e as usize].country as usize)
            .map_or(&[], |v| v.as_slice())
    }

    pub fn country_iso3(&self, entry: u32) -> &str {
        self.countries
            .get(self.rec[entry as usize].country as usize)
            .map(|c| c.iso3.as_str())
            .unwrap_or("")
    }

    /// Entry index of the country place for an ISO3 code.
    pub fn country_entry(&self, iso3: &str) -> Option<u32> {
        let ci = self.iso3_index.get(iso3)?;
        let e = self.countries[*ci as usize].entry;
        (e != NONE).then_some(e)
    }

    /// Country name for an ISO3 code.
    pub fn country_name(&self, iso3: &str) -> Option<&str> {
        self.iso3_index
            .get(iso3)
            .map(|&ci| self.countries[ci as usize].name.as_str())
    }

    pub fn name(&self, e: u32) -> &str {
        let e = e as usize;
        &self.names[self.name_off[e] as usize..self.name_off[e + 1] as usize]
    }
    pub fn population(&self, e: u32) -> u64 {
        self.rec[e as usize].pop
    }
    pub fn feature_code(&self, e: u32) -> &str {
        self.fcodes
            .get(self.rec[e as usize].fcode as usize)
            .map(|s| s.as_str())
            .unwrap_or("")
    }
    pub fn feature_class(&self, e: u32) -> u8 {
        self.rec[e as usize].fclass
    }
    pub fn latlon(&self, e: u32) -> (f64, f64) {
        (
            self.rec[e as usize].lat as f64,
            self.rec[e as usize].lon as f64,
        )
    }
    /// Admin1 table index (u32::MAX = none).
    pub fn admin1_of(&self, e: u32) -> u32 {
        self.rec[e as usize].admin1
    }
    /// Admin2 table index (u32::MAX = none).
    pub fn admin2_of(&self, e: u32) -> u32 {
        self.rec[e as usize].admin2
    }
    /// Entry of the first-level division with full code `code` ("US.VA").
    pub fn admin1_by_code(&self, code: &str) -> Option<u32> {
        let a = self.admin1_index.get(code)?;
        self.admin1_entry.get(a).copied()
    }

    /// ISO3 of every country keyed by its GeoNames id.
    pub fn countries_by_geonameid(&self) -> HashMap<u64, String> {
        self.countries
            .iter()
            .map(|c| (c.geonameid as u64, c.iso3.clone()))
            .collect()
    }

    /// Country (ISO3) of the populated place nearest to a point (brute force; for
    /// evaluation and offline use).
    pub fn nearest_country(&self, lat: f64, lon: f64) -> Option<&str> {
        let mut best = (f64::INFINITY, None);
        for e in 0..self.ids.len() {
            if self.rec[e].fclass != b'P' {
                continue;
            }
            let d = chronicle_core::haversine_km(
                lat,
                lon,
                self.rec[e].lat as f64,
                self.rec[e].lon as f64,
            );
            if d < best.0 {
                best = (d, Some(e as u32));
            }
        }
        best.1.map(|e| self.country_iso3(e))
    }

    /// Full admin1 code ("US.VA") of an entry.
    pub fn admin1_code_of(&self, e: u32) -> Option<&str> {
        let a1 = self.rec[e as usize].admin1;
        (a1 != NONE).then(|| self.admin1_codes[a1 as usize].as_str())
    }
    pub fn is_country(&self, e: u32) -> bool {
        self.kind(e) == 1
    }
    pub fn is_admin1(&self, e: u32) -> bool {
        self.kind(e) == 2
    }
    pub fn is_admin2(&self, e: u32) -> bool {
        self.kind(e) == 3
    }
    /// 1 country, 2 first-level division, 3 second-level division, else 0.
    fn kind(&self, e: u32) -> u8 {
        let r = self.rec[e as usize];
        if r.fclass != b'A' {
            return 0;
        }
        self.fcode_kind.get(r.fcode as usize).copied().unwrap_or(0)
    }

    pub fn precision(&self, e: u32) -> Precision {
        feature_precision(self.rec[e as usize].fclass, self.feature_code(e))
    }

    /// Full place record for an entry index.
    pub fn place(&self, e: u32) -> Place {
        let i = e as usize;
        let a1 = self.rec[i].admin1;
        let a2 = self.rec[i].admin2;
        let code_tail = |c: &str| c.rsplit('.').next().unwrap_or("").to_string();
        Place {
            geonames_id: self.ids[i] as u64,
            name: self.name(e).to_string(),
            lat: round5(self.rec[i].lat),
            lon: round5(self.rec[i].lon),
            feature_class: (self.rec[i].fclass as char).to_string(),
            feature_code: self.feature_code(e).to_string(),
            country: self.country_iso3(e).to_string(),
            admin1_code: (a1 != NONE).then(|| code_tail(&self.admin1_codes[a1 as usize])),
            admin1: (a1 != NONE).then(|| self.admin1_names[a1 as usize].clone()),
            admin2_code: (a2 != NONE).then(|| code_tail(&self.admin2_codes[a2 as usize])),
            admin2: (a2 != NONE).then(|| self.admin2_names[a2 as usize].clone()),
            population: self.rec[i].pop,
            precision: self.precision(e),
        }
    }
}

/// The administrative divisions of one level, as parallel tables indexed by the
/// division's table index, with the points and summed population of their places.
struct Division<'a> {
    /// 1 (`ADM1`) or 2 (`ADM2`).
    level: u8,
    /// Full codes: "SY.13" / "SY.13.1234".
    codes: &'a [String],
    names: &'a [String],
    ids: &'a [u32],
    points: &'a [Vec<(f32, f32)>],
    population: &'a [u64],
}

/// Append one row per division that contains at least one place (its point is the
/// robust centre of those places; its names are the name plus variants such as
/// "Idlib" for "Idlib Governorate", alternate-only for second-level divisions).
/// Returns the number of rows added.
fn division_rows(
    d: Division,
    iso2_index: &HashMap<String, u16>,
    admin1_index: &HashMap<&str, u32>,
    rows: &mut Vec<Row>,
) -> usize {
    let mut added = 0;
    for (ai, code) in d.codes.iter().enumerate() {
        let Some((lat, lon)) = d.points.get(ai).and_then(|p| robust_centre(p)) else {
            continue;
        };
        let mut parts = code.splitn(3, '.');
        let cc = parts.next().unwrap_or("");
        let a1 = parts.next().unwrap_or("");
        let Some(&ci) = iso2_index.get(cc) else {
            continue;
        };
        let name = &d.names[ai];
        let mut names = vec![(name.clone(), false)];
        names.extend(
            division_variants(name)
                .into_iter()
                .map(|v| (v, d.level == 2)),
        );
        let (admin1, admin2) = if d.level == 1 {
            (ai as u32, NONE)
        } else {
            let a1 = admin1_index
                .get(format!("{cc}.{a1}").as_str())
                .copied()
                .unwrap_or(NONE);
            (a1, ai as u32)
        };
        rows.push(Row {
            id: d.ids[ai],
            name: name.clone(),
            lat,
            lon,
            fclass: b'A',
            fcode: if d.level == 1 { "ADM1" } else { "ADM2" }.into(),
            country: ci,
            admin1,
            admin2,
            population: d.population[ai],
            names,
        });
        added += 1;
    }
    added
}

/// Coordinates are stored as f32 (~1 m); print them as the 5 decimals GeoNames gives,
/// not as f32 noise ("-8.836819648742676").
fn round5(x: f32) -> f64 {
    ((x as f64) * 1e5).round() / 1e5
}

/// Serialise rows; returns (bytes, number of distinct names).
fn serialize(rows: &[Row], countries: &[CountryRec], t: &Tables) -> Result<(Vec<u8>, usize)> {
    let mut w = W(Vec::with_capacity(64 << 20));
    w.0.extend_from_slice(MAGIC);
    let n = rows.len();
    w.u64(n as u64);
    let mut fcodes: Vec<String> = vec![];
    let mut fcode_ix = Vec::with_capacity(n);
    for r in rows {
        let i = match fcodes.iter().position(|c| *c == r.fcode) {
            Some(i) => i,
            None => {
                fcodes.push(r.fcode.clone());
                fcodes.len() - 1
            }
        };
        if i > 255 {
            return Err(data_err("more than 256 feature codes"));
        }
        fcode_ix.push(i as u8);
    }
    rows.iter().for_each(|r| w.u32(r.id));
    rows.iter().for_each(|r| w.f32(r.lat));
    rows.iter().for_each(|r| w.f32(r.lon));
    rows.iter().for_each(|r| w.u64(r.population));
    rows.iter().for_each(|r| w.u8(r.fclass));
    fcode_ix.iter().for_each(|&c| w.u8(c));
    rows.iter().for_each(|r| w.u16(r.country));
    rows.iter().for_each(|r| w.u32(r.admin1));
    rows.iter().for_each(|r| w.u32(r.admin2));
    let mut names = String::new();
    w.u32(0);
    for r in rows {
        names.push_str(&r.name);
        w.u32(names.len() as u32);
    }
    w.str(&names);
    w.strs(&fcodes);
    w.u32(countries.len() as u32);
    for c in countries {
        w.str(&c.iso2);
        w.str(&c.iso3);
        w.str(&c.name);
        w.u64(c.population);
        w.u32(c.geonameid);
        w.u32(c.entry);
        w.str(&c.neighbours);
    }
    w.strs(&t.admin1_codes);
    w.strs(&t.admin1_names);
    w.strs(&t.admin2_codes);
    w.strs(&t.admin2_names);
    // name index
    let mut keyed: Vec<(String, u32)> = Vec::new();
    for (e, r) in rows.iter().enumerate() {
        let mut seen: HashMap<String, bool> = HashMap::new();
        for (nm, alt) in &r.names {
            let k = normalize(nm);
            if k.is_empty() {
                continue;
            }
            let ent = seen.entry(k).or_insert(*alt);
            *ent = *ent && *alt;
        }
        for (k, alt) in seen {
            keyed.push((k, if alt { e as u32 | ALT_BIT } else { e as u32 }));
        }
    }
    keyed.sort_unstable();
    let mut postings: Vec<u32> = Vec::with_capacity(keyed.len());
    let mut builder = fst::MapBuilder::memory();
    let mut i = 0;
    let mut distinct = 0;
    while i < keyed.len() {
        let mut j = i;
        while j < keyed.len() && keyed[j].0 == keyed[i].0 {
            j += 1;
        }
        let start = postings.len() as u64;
        postings.extend(keyed[i..j].iter().map(|x| x.1));
        let count = (j - i) as u64;
        builder
            .insert(&keyed[i].0, (start << 24) | count.min(0xFF_FFFF))
            .map_err(|e| data_err(format!("fst: {e}")))?;
        distinct += 1;
        i = j;
    }
    let fst_bytes = builder
        .into_inner()
        .map_err(|e| data_err(format!("fst: {e}")))?;
    w.u64(postings.len() as u64);
    postings.iter().for_each(|&p| w.u32(p));
    w.bytes(&fst_bytes);
    // skeleton index for transliteration variants (places in SKELETON_COUNTRIES)
    let skel_ok: Vec<bool> = countries
        .iter()
        .map(|c| SKELETON_COUNTRIES.contains(&c.iso2.as_str()))
        .collect();
    let mut skel: Vec<(String, u32)> = keyed
        .iter()
        .filter(|(_, p)| {
            let r = &rows[(p & !ALT_BIT) as usize];
            skel_ok.get(r.country as usize).copied().unwrap_or(false)
        })
        .map(|(k, p)| (skeleton(k), p & !ALT_BIT))
        .filter(|(k, _)| k.replace(' ', "").len() >= 3)
        .collect();
    skel.sort_unstable();
    skel.dedup();
    let (skel_post, skel_fst) = postings_fst(&skel)?;
    w.u64(skel_post.len() as u64);
    skel_post.iter().for_each(|&p| w.u32(p));
    w.bytes(&skel_fst);
    Ok((w.0, distinct))
}

/// Sorted (key, posting) pairs → (postings, fst map key → start<<24 | count).
fn postings_fst(keyed: &[(String, u32)]) -> Result<(Vec<u32>, Vec<u8>)> {
    let mut postings: Vec<u32> = Vec::with_capacity(keyed.len());
    let mut builder = fst::MapBuilder::memory();
    let mut i = 0;
    while i < keyed.len() {
        let mut j = i;
        while j < keyed.len() && keyed[j].0 == keyed[i].0 {
            j += 1;
        }
        let start = postings.len() as u64;
        postings.extend(keyed[i..j].iter().map(|x| x.1));
        builder
            .insert(&keyed[i].0, (start << 24) | ((j - i) as u64).min(0xFF_FFFF))
            .map_err(|e| data_err(format!("fst: {e}")))?;
        i = j;
    }
    let bytes = builder
        .into_inner()
        .map_err(|e| data_err(format!("fst: {e}")))?;
    Ok((postings, bytes))
}
