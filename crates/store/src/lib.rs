//! chronicle-store (placeholder: being written)
