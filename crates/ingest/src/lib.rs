//! chronicle-ingest (placeholder: being written)
