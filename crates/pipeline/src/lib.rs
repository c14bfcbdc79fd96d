//! chronicle-pipeline (placeholder: being written)
