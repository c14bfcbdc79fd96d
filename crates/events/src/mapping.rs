//! PLOVER type + mode → ACLED event / sub-event type and root CAMEO code
//! (`data/mappings/plover_acled.tsv`).

use chronicle_core::{Error, PloverType, Result};
use std::path::Path;

#[derive(Debug, Clone)]
struct Row {
    event_type: PloverType,
    mode: Option<String>,
    cameo_root: String,
    acled_event_type: String,
    acled_sub_event_type: String,
}

/// The loaded mapping table.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    rows: Vec<Row>,
}

/// What a PLOVER type + mode maps to.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped<'a> {
    pub cameo_root: &'a str,
    pub acled_event_type: &'a str,
    pub acled_sub_event_type: &'a str,
}

impl Mapping {
    pub fn load(data_dir: &Path) -> Result<Mapping> {
        let path = data_dir.join("mappings/plover_acled.tsv");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
        Mapping::parse(&text).map_err(|e| Error::Data(format!("{}: {e}", path.display())))
    }

    pub fn parse(text: &str) -> std::result::Result<Mapping, String> {
        let mut rows = Vec::new();
        for (ln, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() != 5 {
                return Err(format!("line {}: expected 5 columns", ln + 1));
            }
            rows.push(Row {
                event_type: c[0].parse().map_err(|e| format!("line {}: {e}", ln + 1))?,
                mode: (c[1] != "*").then(|| c[1].to_string()),
                cameo_root: c[2].to_string(),
                acled_event_type: c[3].to_string(),
                acled_sub_event_type: c[4].to_string(),
            });
        }
        Ok(Mapping { rows })
    }

    /// First row matching type and mode (a row with no mode matches any mode).
    pub fn map(&self, t: PloverType, mode: Option<&str>) -> Option<Mapped<'_>> {
        self.rows
            .iter()
            .find(|r| r.event_type == t && (r.mode.is_none() || r.mode.as_deref() == mode))
            .map(|r| Mapped {
                cameo_root: &r.cameo_root,
                acled_event_type: &r.acled_event_type,
                acled_sub_event_type: &r.acled_sub_event_type,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn shipped_mapping_covers_all_types() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let m = Mapping::load(&dir).unwrap();
        for t in PloverType::ALL {
            assert!(m.map(t, None).is_some(), "{t} unmapped");
        }
        let d = m.map(PloverType::Assault, Some("drone")).unwrap();
        assert_eq!(d.acled_sub_event_type, "Air/drone strike");
        assert_eq!(
            m.map(PloverType::Assault, Some("unknown"))
                .unwrap()
                .acled_event_type,
            "Battles"
        );
    }
}
