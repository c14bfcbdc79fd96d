//! `build-gazetteer GEONAMES_DIR OUT_DIR`: takes the GeoNames dumps and writes the
//! compiled gazetteer (`OUT_DIR/gazetteer.bin.zst`); prints counts and skipped rows.

use chronicle_geo::Gazetteer;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: build-gazetteer GEONAMES_DIR OUT_DIR   (e.g. /work/shared/eval/geonames data/gazetteer)");
        std::process::exit(2);
    }
    let (src, out) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]));
    let t = std::time::Instant::now();
    match Gazetteer::build(&src, &out) {
        Ok(s) => {
            println!(
                "built {} in {:.1}s: {} entries ({} countries, {} admin1, {} admin2), {} distinct names, {:.1} MB",
                out.join(chronicle_geo::GAZETTEER_FILE).display(),
                t.elapsed().as_secs_f64(),
                s.places,
                s.countries,
                s.admin1,
                s.admin2,
                s.names,
                s.bytes as f64 / 1e6
            );
            for e in s.skipped.iter().take(20) {
                eprintln!("skipped {e}");
            }
            if s.skipped.len() > 20 {
                eprintln!("... {} rows skipped in all", s.skipped.len());
            }
        }
        Err(e) => {
            eprintln!("build-gazetteer: {e}");
            std::process::exit(1);
        }
    }
}
