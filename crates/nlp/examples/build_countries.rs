//! Builds `data/countries/countries.tsv` (iso2, iso3, name, capital) from GeoNames
//! `countryInfo.txt` (CC BY 4.0, "GeoNames, geonames.org").
//!
//! ```text
//! cargo run -p chronicle-nlp --example build_countries -- \
//!     /work/shared/eval/geonames/countryInfo.txt data/countries/countries.tsv
//! ```
//! Dissolved entries (Serbia and Montenegro, Netherlands Antilles) are dropped.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: build_countries COUNTRYINFO_TXT OUT_TSV");
        std::process::exit(2);
    }
    let text = std::fs::read_to_string(&args[1]).map_err(|e| format!("{}: {e}", args[1]))?;
    let mut out = std::fs::File::create(&args[2]).map_err(|e| format!("{}: {e}", args[2]))?;
    writeln!(
        out,
        "# Derived from GeoNames countryInfo.txt (CC BY 4.0, GeoNames, geonames.org) by"
    )?;
    writeln!(
        out,
        "# `cargo run -p chronicle-nlp --example build_countries`. Do not edit: see aliases.tsv."
    )?;
    writeln!(out, "iso2\tiso3\tname\tcapital")?;
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 {
            return Err(format!(
                "{}:{}: expected >= 6 fields, got {}",
                args[1],
                i + 1,
                f.len()
            )
            .into());
        }
        if f[0] == "ISO" || matches!(f[1], "SCG" | "ANT") {
            continue;
        }
        writeln!(out, "{}\t{}\t{}\t{}", f[0], f[1], f[4], f[5])?;
        n += 1;
    }
    eprintln!("wrote {n} countries to {}", args[2]);
    Ok(())
}
