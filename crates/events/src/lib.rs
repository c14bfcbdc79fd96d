//! chronicle-events (placeholder: being written)
