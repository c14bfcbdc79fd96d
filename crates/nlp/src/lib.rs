//! chronicle-nlp (placeholder: being written)
