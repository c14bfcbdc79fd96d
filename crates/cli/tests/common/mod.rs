//! Helpers shared by the CLI integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// `../shared/eval` beside the repository, or `$CHRONICLE_EVAL_DATA`; `None` (and a
/// message) when absent, so tests that need it skip clearly.
pub fn eval_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("CHRONICLE_EVAL_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/eval"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED {test}: evaluation data not found at {} (set CHRONICLE_EVAL_DATA)",
            dir.display()
        );
        None
    }
}

pub fn chronicle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .env("CHRONICLE_DATA", repo_root().join("data"))
        .output()
        .expect("run chronicle")
}

pub fn stdout_json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect()
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "chronicle failed ({:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
