//! `chronicle-eval all`: scores every stage on the development data and prints one
//! table (dataset, split, n, metric, value, seconds); optionally writes it as JSON
//! and as the marked section of docs/quality.md.

use chronicle_eval::datasets::{run_all, Ctx};
use chronicle_eval::mapping::CameoTable;
use chronicle_eval::report::{table, write_quality, Row};
use chronicle_eval::system::{ChronicleSystem, ModelFlags};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "chronicle-eval",
    about = "Score chronicle on the development data"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run every scorer (or those named by --only).
    All(Args),
}

#[derive(clap::Args)]
struct Args {
    /// Evaluation data folder (default: ../shared/eval relative to the repo root).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Only these datasets (comma-separated names or folder substrings).
    #[arg(long)]
    only: Option<String>,
    /// Small fixed subset per dataset.
    #[arg(long)]
    quick: bool,
    /// Write the rows as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the table into this Markdown file between the eval markers.
    #[arg(long = "write-quality")]
    write_quality: Option<PathBuf>,
    /// CAMEO→PLOVER table (default: ../shared/reference/plover/CAMEO2PLOVER-2021.txt,
    /// else <data>/plover-gsr/CAMEO2PLOVER-2021.txt).
    #[arg(long)]
    cameo: Option<PathBuf>,
    /// chronicle's data folder (default: chronicle_pipeline::default_data_dir()).
    #[arg(long)]
    models: Option<PathBuf>,
    #[command(flatten)]
    models_on: ModelFlags,
    /// Append every annotated document to this JSONL file (for error analysis).
    #[arg(long)]
    dump: Option<PathBuf>,
}

fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    if here.join("Cargo.toml").exists() {
        std::fs::canonicalize(&here).unwrap_or(here)
    } else {
        PathBuf::from(".")
    }
}

fn git_rev(root: &Path) -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

// mimalloc: the pipeline allocates many small strings and vectors per document;
// with glibc malloc/free at about 12% of the benchmark time (perf), mimalloc gives
// about 10% more documents per CPU-second (docs/quality.md, Throughput).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let Cmd::All(a) = Cli::parse().cmd;
    chronicle_eval::system::quiet_panics();
    let root = repo_root();
    let data = a
        .data
        .clone()
        .unwrap_or_else(|| root.join("../shared/eval"));
    let data = std::fs::canonicalize(&data).unwrap_or(data);
    let cameo_path = a.cameo.clone().unwrap_or_else(|| {
        let r = root.join("../shared/reference/plover/CAMEO2PLOVER-2021.txt");
        if r.exists() {
            r
        } else {
            data.join("plover-gsr/CAMEO2PLOVER-2021.txt")
        }
    });
    let cameo = match CameoTable::load(&cameo_path) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("warning: CAMEO→PLOVER table not loaded ({e}); PLOVER-type rows are skipped");
            None
        }
    };
    let models = a
        .models
        .clone()
        .unwrap_or_else(chronicle_pipeline::default_data_dir);
    let t0 = Instant::now();
    let sys = ChronicleSystem::load_with(&models, a.models_on.into())?;
    eprintln!(
        "eval: pipeline loaded from {} in {:.1}s",
        models.display(),
        t0.elapsed().as_secs_f64()
    );
    let dump = match &a.dump {
        Some(p) => Some(std::sync::Mutex::new(
            std::fs::File::create(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
        )),
        None => None,
    };
    let ctx = Ctx {
        sys: &sys,
        quick: a.quick,
        cameo: cameo.as_ref(),
        dump: dump.as_ref(),
    };
    if !data.is_dir() {
        eprintln!(
            "eval: data folder {} absent; every dataset is skipped",
            data.display()
        );
    }
    let rows: Vec<Row> = run_all(&data, a.only.as_deref(), &ctx);
    print!("{}", table(&rows));
    let total = t0.elapsed().as_secs_f64();
    println!("total {total:.1}s");
    if let Some(p) = &a.json {
        let v = serde_json::json!({
            "mode": if a.quick { "quick" } else { "full" },
            "git": git_rev(&root),
            "date": chrono::Utc::now().to_rfc3339(),
            "stages": sys.chronicle.stage_names(),
            "html_extraction": cfg!(feature = "html"),
            "total_seconds": total,
            "rows": rows,
        });
        std::fs::write(p, serde_json::to_string_pretty(&v)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    }
    if let Some(p) = &a.write_quality {
        let cmd = format!(
            "cargo run --release -p chronicle-eval -- all{}{}",
            if a.quick { " --quick" } else { "" },
            a.only
                .as_deref()
                .map(|o| format!(" --only {o}"))
                .unwrap_or_default()
        );
        let header = format!(
            "## Scoreboard\n\nGenerated by `{cmd}` on {} at commit `{}` ({} mode, {:.0} s total; stages: {}; HTML extraction {}). \
Numbers are on the development data in `{}`; see crates/eval for the scoring rules.",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            git_rev(&root),
            if a.quick { "quick" } else { "full" },
            total,
            {
                let s = sys.chronicle.stage_names();
                if s.is_empty() { "none".to_string() } else { s.join(", ") }
            },
            if cfg!(feature = "html") { "on" } else { "not wired" },
            data.display()
        );
        write_quality(p, &rows, &header)?;
        eprintln!("eval: wrote {}", p.display());
    }
    Ok(())
}
