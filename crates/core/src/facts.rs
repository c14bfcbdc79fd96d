//! Facts attached to events: dates, casualty counts, quotes.

use crate::{Actor, Span};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How precise a resolved date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Week,
    Month,
    Year,
    /// An explicit range (`value`..=`end`).
    Range,
}

/// A resolved date: `value` is the (first) day; `end` the last day for ranges/weeks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventDate {
    pub value: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    pub granularity: Granularity,
    /// True when resolved against the publication date ("on Friday", "yesterday").
    #[serde(default)]
    pub relative: bool,
}

impl EventDate {
    pub fn day(value: NaiveDate) -> Self {
        EventDate {
            value,
            end: None,
            granularity: Granularity::Day,
            relative: false,
        }
    }
    /// Last day covered.
    pub fn last(&self) -> NaiveDate {
        self.end.unwrap_or(self.value)
    }
    /// Days between the two date ranges (0 when they overlap).
    pub fn gap_days(&self, other: &EventDate) -> i64 {
        if self.last() < other.value {
            (other.value - self.last()).num_days()
        } else if other.last() < self.value {
            (self.value - other.last()).num_days()
        } else {
            0
        }
    }
}

/// A date expression in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    pub span: Span,
    pub sentence: usize,
    pub text: String,
    pub date: EventDate,
}

/// What a casualty count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CasualtyKind {
    Killed,
    Wounded,
    Missing,
    Arrested,
    Displaced,
}

/// How a number was qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    #[default]
    Exact,
    AtLeast,
    MoreThan,
    About,
    AtMost,
    /// "dozens", "hundreds": an order of magnitude, not a count.
    Vague,
}

/// A casualty count ("at least 37 people were killed").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Casualty {
    pub span: Span,
    pub sentence: usize,
    pub kind: CasualtyKind,
    /// Lower bound of the count.
    pub min: u64,
    /// Upper bound (equal to `min` for exact counts).
    pub max: u64,
    pub qualifier: Qualifier,
    /// Who reported this figure, when the sentence says ("the Syrian Observatory said").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub text: String,
}

/// Direct ("..."), indirect (said that ...) or mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
    Mixed,
}

/// Who said it: the resolved actor and the words the text used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// Resolved name ("Abu Alaa al-Walai"), after pronoun resolution.
    pub name: String,
    /// Surface form in the quote's sentence ("he"), when it differs from `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
}

/// A quotation with its speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Span of the quoted content.
    pub span: Span,
    pub sentence: usize,
    pub kind: QuoteKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// The speech verb ("said", "declared").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
}
