//! ACLED event / sub-event type of a mention, from its PLOVER type and mode
//! (the `data/mappings` table) refined by who acted on whom and by cue words in
//! the sentence — ACLED's categories depend on the parties (armed vs. civilian,
//! mob, state), not only on the act.

use crate::mapping::Mapping;
use chronicle_core::{Actor, PloverType};

const ARMED: &[&str] = &["MIL", "COP", "REB", "UAF", "SPY", "INS"];

fn armed(a: &Actor) -> bool {
    a.sectors.iter().any(|s| ARMED.contains(&s.as_str()))
}

fn civilian(a: &Actor) -> bool {
    a.sectors
        .iter()
        .any(|s| matches!(s.as_str(), "CVL" | "MED" | "REL" | "EDU" | "HLH" | "REF"))
        || matches!(
            a.name.to_lowercase().as_str(),
            "civilians" | "residents" | "villagers" | "people"
        )
}

fn mob(a: &Actor) -> bool {
    let n = a.name.to_lowercase();
    let t = a.text.to_lowercase();
    [
        "mob",
        "rioters",
        "villagers",
        "residents",
        "youths",
        "vigilante",
    ]
    .iter()
    .any(|w| n.contains(w) || t.contains(w))
}

/// (event type, sub-event type) for a mention.
pub fn classify(
    mapping: &Mapping,
    t: PloverType,
    mode: Option<&str>,
    actors: &[Actor],
    recipients: &[Actor],
    words: &[&str],
) -> Option<(String, String)> {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
    match t {
        PloverType::Assault => {
            if has(&["raped", "rape", "raping", "sexually"]) {
                return pair("Violence against civilians", "Sexual violence");
            }
            if mode == Some("abduction")
                || has(&[
                    "abducted",
                    "kidnapped",
                    "abduct",
                    "kidnap",
                    "abduction",
                    "kidnapping",
                ])
            {
                return pair(
                    "Violence against civilians",
                    "Abduction/forced disappearance",
                );
            }
            if has(&["suicide"]) && matches!(mode, Some("explosives") | None) {
                return pair("Explosions/Remote violence", "Suicide bomb");
            }
            if has(&["grenade", "grenades"]) {
                return pair("Explosions/Remote violence", "Grenade");
            }
            let clash = has(&[
                "clashes",
                "clashed",
                "clash",
                "fighting",
                "battle",
                "fought",
                "exchange",
                "exchanged",
            ]);
            if clash && matches!(mode, None | Some("artillery" | "firearms")) {
                return pair("Battles", "Armed clash");
            }
            if matches!(
                mode,
                Some("air" | "drone" | "artillery" | "missile" | "explosives")
            ) {
                return mapping.map(t, mode).map(|m| {
                    (
                        m.acled_event_type.to_string(),
                        m.acled_sub_event_type.to_string(),
                    )
                });
            }
            if has(&["recaptured", "regained", "retook", "recapture", "regain"]) {
                return pair("Battles", "Government regains territory");
            }
            if actors.iter().any(mob) || has(&["mob", "lynched", "lynch", "rioters"]) {
                return pair("Riots", "Mob violence");
            }
            // a named victim without a sector ("Ali Hassan") tells nothing about the parties
            let coded_recipients = recipients.iter().any(|a| !a.sectors.is_empty());
            let armed_words = has(&[
                "soldier",
                "soldiers",
                "fighter",
                "fighters",
                "troops",
                "militants",
                "militiamen",
                "commander",
                "officer",
                "officers",
                "policeman",
                "policemen",
                "gunmen",
                "insurgents",
                "rebels",
                "combatants",
            ]);
            let armed_target = recipients.iter().any(armed) || (!coded_recipients && armed_words);
            let nobody_armed = !actors.iter().any(armed) && !recipients.iter().any(armed);
            if nobody_armed && actors.iter().any(civilian) {
                return pair("Riots", "Mob violence");
            }
            let civ_target = recipients.iter().any(civilian);
            if civ_target && !armed_target {
                return pair("Violence against civilians", "Attack");
            }
            if armed_target
                || actors.iter().any(armed)
                    && has(&[
                        "clashes", "clashed", "clash", "fighting", "battle", "fought", "exchange",
                    ])
            {
                return pair("Battles", "Armed clash");
            }
            if !coded_recipients
                && !has(&[
                    "clashes", "clashed", "clash", "fighting", "battle", "fought",
                ])
            {
                return pair("Violence against civilians", "Attack");
            }
            pair("Battles", "Armed clash")
        }
        PloverType::Protest => {
            if mode == Some("riot")
                || has(&[
                    "riot", "rioters", "rioted", "violent", "torched", "pelted", "stones",
                    "burned", "burnt",
                ])
            {
                return pair("Riots", "Violent demonstration");
            }
            if has(&[
                "teargas",
                "tear",
                "dispersed",
                "disperse",
                "rubber",
                "batons",
                "baton",
            ]) {
                if has(&["killed", "injured", "wounded", "shot", "live"]) {
                    return pair("Protests", "Excessive force against protesters");
                }
                return pair("Protests", "Protest with intervention");
            }
            if has(&["arrested", "detained"]) {
                return pair("Protests", "Protest with intervention");
            }
            pair("Protests", "Peaceful protest")
        }
        _ => mapping.map(t, mode).map(|m| {
            (
                m.acled_event_type.to_string(),
                m.acled_sub_event_type.to_string(),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str, sector: &str) -> Actor {
        Actor {
            name: name.into(),
            sectors: vec![sector.into()],
            ..Actor::default()
        }
    }

    fn map() -> Mapping {
        Mapping::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")).unwrap()
    }

    #[test]
    fn parties_decide_the_acled_type() {
        let m = map();
        let words = ["gunmen", "attacked", "villagers"];
        let c = classify(
            &m,
            PloverType::Assault,
            None,
            &[actor("gunmen", "UAF")],
            &[actor("civilians", "CVL")],
            &words,
        );
        assert_eq!(
            c.unwrap(),
            ("Violence against civilians".into(), "Attack".into())
        );
        let c = classify(
            &m,
            PloverType::Assault,
            None,
            &[actor("rebels", "REB")],
            &[actor("army", "MIL")],
            &["attacked"],
        );
        assert_eq!(c.unwrap().1, "Armed clash");
        let c = classify(
            &m,
            PloverType::Assault,
            Some("drone"),
            &[],
            &[actor("army", "MIL")],
            &["strike"],
        );
        assert_eq!(c.unwrap().1, "Air/drone strike");
        let c = classify(
            &m,
            PloverType::Protest,
            None,
            &[],
            &[],
            &["police", "fired", "teargas", "to", "disperse"],
        );
        assert_eq!(c.unwrap().1, "Protest with intervention");
        let c = classify(
            &m,
            PloverType::Assault,
            None,
            &[actor("mob", "CVL")],
            &[actor("man", "CVL")],
            &["a", "mob", "attacked"],
        );
        assert_eq!(c.unwrap().0, "Riots");
    }
}
