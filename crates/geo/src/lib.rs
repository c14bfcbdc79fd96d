//! chronicle-geo (placeholder: being written)
