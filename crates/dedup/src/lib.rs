//! chronicle-dedup (placeholder: being written)
