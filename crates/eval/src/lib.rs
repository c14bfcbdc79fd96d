//! chronicle-eval (placeholder: being written)
