//! Type mappings between the coding schemes the gold data use and what chronicle
//! outputs:
//! * CAMEO → PLOVER, read at run time from the PLOVER project's
//!   `CAMEO2PLOVER-2021.txt` (never copied into the repo);
//! * legacy PLOVER v0.5 names (DEMAND, FIGHT, DISAPPROVE, INVESTIGATE) → PLOVER 2021;
//! * PLOVER type + mode → ACLED event type / sub-event type (our own table, below);
//! * ACLED sub-event type → CASE 2021 Task 2 label.

use chronicle_core::PloverType;
use std::collections::HashMap;
use std::path::Path;

/// CAMEO code → (PLOVER type, mode, context), from the PLOVER conversion table.
#[derive(Debug, Clone, Default)]
pub struct CameoTable {
    map: HashMap<String, (PloverType, String, String)>,
}

impl CameoTable {
    /// Parse the table text: `code: TYPE, mode, context # comment`; lines with an empty
    /// type inherit from their parent code at lookup time.
    pub fn parse(text: &str) -> CameoTable {
        let mut map = HashMap::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((code, rest)) = line.split_once(':') else {
                continue;
            };
            let code = code.trim();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let mut parts = rest.split(',').map(str::trim);
            let ty = parts.next().unwrap_or("");
            let mode = parts.next().unwrap_or("").to_string();
            let ctx = parts.next().unwrap_or("").to_string();
            if let Some(t) = legacy_plover(ty) {
                map.insert(code.to_string(), (t, mode, ctx));
            }
        }
        CameoTable { map }
    }

    pub fn load(path: &Path) -> anyhow::Result<CameoTable> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let t = CameoTable::parse(&text);
        anyhow::ensure!(
            !t.map.is_empty(),
            "{}: no CAMEO→PLOVER rows found",
            path.display()
        );
        Ok(t)
    }

    /// PLOVER type of a CAMEO code, trying the code then its shorter prefixes.
    pub fn plover(&self, cameo: &str) -> Option<PloverType> {
        let c = cameo.trim();
        (2..=c.len())
            .rev()
            .find_map(|n| self.map.get(&c[..n]).map(|x| x.0))
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// PLOVER type from a current or legacy (v0.5b1) name.
pub fn legacy_plover(name: &str) -> Option<PloverType> {
    match name.trim().to_ascii_uppercase().as_str() {
        "DEMAND" => Some(PloverType::Request),
        "FIGHT" => Some(PloverType::Assault),
        "DISAPPROVE" | "INVESTIGATE" => Some(PloverType::Accuse),
        "SETTLE" => Some(PloverType::Agree),
        "" => None,
        other => other.parse().ok(),
    }
}

/// PLOVER type + mode → ACLED (event type, sub-event type).
///
/// Our own table, written from the PLOVER manual's mode lists and the ACLED codebook:
///
/// | PLOVER | mode(s) | ACLED event type | ACLED sub-event type |
/// |---|---|---|---|
/// | PROTEST | riot, vandalize | Riots | Violent demonstration |
/// | PROTEST | any other | Protests | Peaceful protest |
/// | ASSAULT | aerial, drone, air | Explosions/Remote violence | Air/drone strike |
/// | ASSAULT | heavy-weapons, artillery, shelling, missile, rocket | Explosions/Remote violence | Shelling/artillery/missile attack |
/// | ASSAULT | explosives, ied, landmine | Explosions/Remote violence | Remote explosive/landmine/IED |
/// | ASSAULT | suicide-attack | Explosions/Remote violence | Suicide bomb |
/// | ASSAULT | grenade | Explosions/Remote violence | Grenade |
/// | ASSAULT | unconventional, chemical | Explosions/Remote violence | Chemical weapon |
/// | ASSAULT | abduct | Violence against civilians | Abduction/forced disappearance |
/// | ASSAULT | sexual | Violence against civilians | Sexual violence |
/// | ASSAULT | destroy | Strategic developments | Looting/property destruction |
/// | ASSAULT | crowd-control | Protests | Excessive force against protesters |
/// | ASSAULT | firearms, clash, military, battle (both sides armed) | Battles | Armed clash |
/// | ASSAULT | beat, primitive, targeted, torture, none | Violence against civilians | Attack |
/// | COERCE | arrest, detain | Strategic developments | Arrests |
/// | COERCE | seize, destroy | Strategic developments | Looting/property destruction |
/// | COERCE | other | Strategic developments | Other |
/// | AGREE | any | Strategic developments | Agreement |
/// | MOBILIZE | any | Strategic developments | Change to group/activity |
/// | RETREAT | any | Strategic developments | Non-violent transfer of territory |
/// | other types | | none (not an ACLED event) | |
pub fn plover_to_acled(t: PloverType, mode: Option<&str>) -> Option<(&'static str, &'static str)> {
    let m = mode.unwrap_or("").to_ascii_lowercase();
    let has = |keys: &[&str]| keys.iter().any(|k| m.contains(k));
    use PloverType::*;
    Some(match t {
        Protest if has(&["riot", "vandal"]) => ("Riots", "Violent demonstration"),
        Protest => ("Protests", "Peaceful protest"),
        Assault if has(&["aerial", "drone", "air"]) => {
            ("Explosions/Remote violence", "Air/drone strike")
        }
        Assault if has(&["heavy", "artillery", "shell", "missile", "rocket"]) => (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        Assault if has(&["suicide"]) => ("Explosions/Remote violence", "Suicide bomb"),
        Assault if has(&["grenade"]) => ("Explosions/Remote violence", "Grenade"),
        Assault if has(&["explosive", "ied", "landmine", "mine", "bomb"]) => (
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        Assault if has(&["unconventional", "chemical"]) => {
            ("Explosions/Remote violence", "Chemical weapon")
        }
        Assault if has(&["abduct", "kidnap"]) => (
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
        Assault if has(&["sexual"]) => ("Violence against civilians", "Sexual violence"),
        Assault if has(&["destroy"]) => ("Strategic developments", "Looting/property destruction"),
        Assault if has(&["crowd"]) => ("Protests", "Excessive force against protesters"),
        Assault if has(&["firearms", "clash", "military", "battle"]) => ("Battles", "Armed clash"),
        Assault => ("Violence against civilians", "Attack"),
        Coerce if has(&["arrest", "detain"]) => ("Strategic developments", "Arrests"),
        Coerce if has(&["seize", "destroy", "loot"]) => {
            ("Strategic developments", "Looting/property destruction")
        }
        Coerce => ("Strategic developments", "Other"),
        Agree => ("Strategic developments", "Agreement"),
        Mobilize => ("Strategic developments", "Change to group/activity"),
        Retreat => (
            "Strategic developments",
            "Non-violent transfer of territory",
        ),
        _ => return None,
    })
}

/// ACLED sub-event type → CASE 2021 Task 2 label.
pub fn acled_sub_to_case(sub: &str) -> Option<&'static str> {
    let s = sub.trim().to_ascii_lowercase();
    Some(match s.as_str() {
        "armed clash" => "ARMED_CLASH",
        "air/drone strike" => "AIR_STRIKE",
        "shelling/artillery/missile attack" => "ART_MISS_ATTACK",
        "remote explosive/landmine/ied" => "REM_EXPLOS",
        "suicide bomb" => "SUIC_BOMB",
        "grenade" => "GRENADE",
        "chemical weapon" => "CHEM_WEAP",
        "disrupted weapons use" => "DISR_WEAP",
        "attack" => "ATTACK",
        "abduction/forced disappearance" => "ABDUCT_DISSAP",
        "sexual violence" => "SEX_VIOL",
        "arrests" => "ARREST",
        "peaceful protest" => "PEACE_PROTEST",
        "protest with intervention" => "PROTEST_WITH_INTER",
        "excessive force against protesters" => "FORCE_AGAINST_PROTEST",
        "violent demonstration" => "VIOL_DEMONSTR",
        "mob violence" => "MOB_VIOL",
        "government regains territory" => "GOV_REGAINS_TERIT",
        "non-state actor overtakes territory" => "NON_STATE_ACTOR_OVERTAKES_TER",
        "non-violent transfer of territory" => "NON_VIOL_TERRIT_TRANSFER",
        "headquarters or base established" => "HQ_ESTABLISHED",
        "change to group/activity" => "CHANGE_TO_GROUP_ACT",
        "looting/property destruction" => "PROPERTY_DISTRUCT",
        "agreement" => "AGREEMENT",
        "other" => "OTHER",
        _ => return None,
    })
}

/// ACLED (event type, sub-event type) of a mention/event: the stage's own ACLED
/// fields when it filled them, else our PLOVER+mode mapping.
pub fn acled_of(
    t: PloverType,
    mode: Option<&str>,
    acled_type: Option<&str>,
    acled_sub: Option<&str>,
) -> Option<(String, String)> {
    match (acled_type, acled_sub) {
        (Some(a), Some(b)) => Some((a.to_string(), b.to_string())),
        (None, Some(b)) => Some((String::new(), b.to_string())),
        _ => plover_to_acled(t, mode).map(|(a, b)| (a.to_string(), b.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_table_parses_and_inherits() {
        let t = CameoTable::parse(
            "# header\n03: AGREE\n0332: AGREE,  ,   military # x\n035: ,  , \n19: ASSAULT\n09: INVESTIGATE\n",
        );
        assert_eq!(t.plover("0332"), Some(PloverType::Agree));
        assert_eq!(
            t.plover("0351"),
            Some(PloverType::Agree),
            "inherits from 03"
        );
        assert_eq!(t.plover("195"), Some(PloverType::Assault));
        assert_eq!(t.plover("091"), Some(PloverType::Accuse));
        assert_eq!(t.plover("99"), None);
    }

    #[test]
    fn plover_modes_map_to_acled() {
        assert_eq!(
            plover_to_acled(PloverType::Assault, Some("drone")),
            Some(("Explosions/Remote violence", "Air/drone strike"))
        );
        assert_eq!(
            plover_to_acled(PloverType::Protest, None).unwrap().1,
            "Peaceful protest"
        );
        assert_eq!(
            plover_to_acled(PloverType::Coerce, Some("arrest"))
                .unwrap()
                .1,
            "Arrests"
        );
        assert_eq!(plover_to_acled(PloverType::Consult, None), None);
        assert_eq!(acled_sub_to_case("Air/drone strike"), Some("AIR_STRIKE"));
        assert_eq!(acled_sub_to_case("Arrests"), Some("ARREST"));
        assert_eq!(acled_sub_to_case("nonsense"), None);
        assert_eq!(legacy_plover("DEMAND"), Some(PloverType::Request));
        assert_eq!(legacy_plover("fight"), Some(PloverType::Assault));
    }
}
