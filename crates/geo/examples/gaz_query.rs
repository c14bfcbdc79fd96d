//! Debug aid. `gaz_query NAME...` prints the gazetteer candidates of each name;
//! `gaz_query --text "some text"` runs the geo stage and prints the place mentions;
//! `gaz_query --url URL --text "..."` gives the document a URL (publisher country).
use chronicle_core::{Document, Metadata};
use std::sync::Arc;

fn main() {
    let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let gaz = match chronicle_geo::Gazetteer::load(&dir) {
        Ok(g) => Arc::new(g),
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut meta = Metadata::default();
    if args.first().map(|s| s.as_str()) == Some("--url") && args.len() >= 2 {
        meta.url = Some(args[1].clone());
        args.drain(..2);
    }
    if args.first().map(|s| s.as_str()) == Some("--text") {
        let doc = Document::new("q", meta, args[1..].join(" "));
        for p in chronicle_geo::GeoStage::new(gaz).resolve(&doc) {
            println!(
                "{:?} -> {} {} {} {:?} prec {} score {:.2}",
                p.text,
                p.place.name,
                p.place.feature_code,
                p.place.country,
                p.place.admin1,
                p.place.precision,
                p.score
            );
        }
        return;
    }
    for name in args {
        for h in gaz.lookup(&name) {
            let p = gaz.place(h.entry);
            println!(
                "{name}: {} {} {} {:?} pop {} primary {} ({:.2},{:.2})",
                p.name, p.feature_code, p.country, p.admin1, p.population, h.primary, p.lat, p.lon
            );
        }
    }
}
