//! Events: PLOVER types, per-trigger mentions and merged events with provenance.

use crate::{Actor, Casualty, EventDate, Place, Quote, Span};
use serde::{Deserialize, Serialize};

/// The 16 PLOVER event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PloverType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
}

impl PloverType {
    pub const ALL: [PloverType; 16] = [
        PloverType::Agree,
        PloverType::Consult,
        PloverType::Support,
        PloverType::Concede,
        PloverType::Cooperate,
        PloverType::Aid,
        PloverType::Retreat,
        PloverType::Request,
        PloverType::Accuse,
        PloverType::Reject,
        PloverType::Threaten,
        PloverType::Protest,
        PloverType::Sanction,
        PloverType::Mobilize,
        PloverType::Coerce,
        PloverType::Assault,
    ];
    pub fn as_str(&self) -> &'static str {
        match self {
            PloverType::Agree => "AGREE",
            PloverType::Consult => "CONSULT",
            PloverType::Support => "SUPPORT",
            PloverType::Concede => "CONCEDE",
            PloverType::Cooperate => "COOPERATE",
            PloverType::Aid => "AID",
            PloverType::Retreat => "RETREAT",
            PloverType::Request => "REQUEST",
            PloverType::Accuse => "ACCUSE",
            PloverType::Reject => "REJECT",
            PloverType::Threaten => "THREATEN",
            PloverType::Protest => "PROTEST",
            PloverType::Sanction => "SANCTION",
            PloverType::Mobilize => "MOBILIZE",
            PloverType::Coerce => "COERCE",
            PloverType::Assault => "ASSAULT",
        }
    }
    /// Material (vs. verbal) conflict/cooperation types.
    pub fn is_material(&self) -> bool {
        matches!(
            self,
            PloverType::Aid
                | PloverType::Retreat
                | PloverType::Protest
                | PloverType::Sanction
                | PloverType::Mobilize
                | PloverType::Coerce
                | PloverType::Assault
                | PloverType::Cooperate
        )
    }
}

impl std::fmt::Display for PloverType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for PloverType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.trim().to_ascii_uppercase();
        PloverType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == up)
            .ok_or_else(|| format!("unknown PLOVER type {s:?}"))
    }
}

/// One report of an event: one trigger in one sentence of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMention {
    #[serde(rename = "type")]
    pub event_type: PloverType,
    /// PLOVER mode ("explosives", "drone", "air", "military", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// PLOVER context tags ("military", "political", ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// CAMEO code mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled_event_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled_sub_event_type: Option<String>,
    pub sentence: usize,
    /// The trigger word/phrase.
    pub trigger: Span,
    /// The span the event was read from (usually the sentence or clause).
    pub span: Span,
    #[serde(default)]
    pub actors: Vec<Actor>,
    #[serde(default)]
    pub recipients: Vec<Actor>,
    /// Where it happened (resolved by the geo stage), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<EventDate>,
    #[serde(default)]
    pub casualties: Vec<Casualty>,
    /// Modality flags: negated, future, intent, threat, hypothetical, habitual, alleged, reported.
    #[serde(default)]
    pub flags: Vec<String>,
    /// Indices into `Document::quotes` supporting this mention.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<usize>,
    pub confidence: f32,
}

/// Provenance of one mention in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionRef {
    pub doc_id: String,
    pub sentence: usize,
    /// Byte span into the document's cleaned text.
    pub start: usize,
    pub end: usize,
    /// Character span into the document's cleaned text.
    pub char_start: usize,
    pub char_end: usize,
    /// The trigger's text.
    pub trigger: String,
    /// The sentence's text.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
}

/// A deduplicated event: what, who, to whom, where, when, how many, and every mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable, content-derived id.
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: PloverType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled_event_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled_sub_event_type: Option<String>,
    pub actors: Vec<Actor>,
    pub recipients: Vec<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
    /// Other places named in the event's mentions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<EventDate>,
    /// Killed counts; differing reports from different sources are kept apart.
    #[serde(default)]
    pub killed: Vec<Casualty>,
    #[serde(default)]
    pub wounded: Vec<Casualty>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
    pub mentions: Vec<MentionRef>,
    pub mention_count: usize,
    /// Distinct documents reporting it.
    pub doc_ids: Vec<String>,
    pub confidence: f32,
}
