//! `gaz_query NAME...`: print the gazetteer candidates of each name (debug aid).
fn main() {
    let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let gaz = match chronicle_geo::Gazetteer::load(&dir) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    for name in std::env::args().skip(1) {
        for h in gaz.lookup(&name) {
            let p = gaz.place(h.entry);
            println!(
                "{name}: {} {} {} {:?} pop {} primary {} ({:.2},{:.2})",
                p.name, p.feature_code, p.country, p.admin1, p.population, h.primary, p.lat, p.lon
            );
        }
    }
}
