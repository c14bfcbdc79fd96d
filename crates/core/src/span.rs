//! Byte spans into a document's cleaned text.

use serde::{Deserialize, Serialize};

/// Half-open byte range `[start, end)` into [`crate::Document::text`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} > end {end}");
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// Smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    /// Gap in bytes between two non-overlapping spans (0 if they overlap).
    pub fn distance(&self, other: Span) -> usize {
        if self.overlaps(other) {
            0
        } else if self.end <= other.start {
            other.start - self.end
        } else {
            self.start - other.end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn span_relations() {
        let a = Span::new(0, 5);
        let b = Span::new(3, 8);
        let c = Span::new(10, 12);
        assert!(a.overlaps(b));
        assert!(!a.overlaps(c));
        assert_eq!(a.distance(c), 5);
        assert_eq!(c.distance(a), 5);
        assert_eq!(a.cover(c), Span::new(0, 12));
        assert!(Span::new(0, 12).contains(b));
    }
}
