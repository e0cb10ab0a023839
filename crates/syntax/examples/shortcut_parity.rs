//! Compare a scan with its shortcuts (literal prefilter, Python token pass
//! and unit selection) against the slow reading over a directory, category
//! by category: `cargo run --release -p recon-syntax --example
//! shortcut_parity DIR`. Prints the findings only one side has; exit 1 when
//! there are any.

use std::collections::BTreeSet;
use std::path::Path;

use recon_syntax::{ScanOptions, scan, scan_unfiltered};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: shortcut_parity DIR");
        std::process::exit(2);
    };
    let opts = ScanOptions::default();
    let (fast, slow) = match (
        scan(Path::new(&dir), &opts),
        scan_unfiltered(Path::new(&dir), &opts),
    ) {
        (Ok(fast), Ok(slow)) => (fast, slow),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("shortcut_parity: {e}");
            std::process::exit(2);
        }
    };
    let (fast, slow) = (to_value(&fast), to_value(&slow));
    let mut differs = false;
    for (category, slow_items) in slow.as_object().into_iter().flatten() {
        let items = |v: &serde_json::Value| -> BTreeSet<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|x| x.to_string())
                .collect()
        };
        let (a, b) = (items(&fast[category]), items(slow_items));
        if a == b {
            continue;
        }
        differs = true;
        println!("{category}: {} fast, {} slow", a.len(), b.len());
        for x in a.difference(&b).take(10) {
            println!("  only fast: {x}");
        }
        for x in b.difference(&a).take(10) {
            println!("  only slow: {x}");
        }
    }
    std::process::exit(i32::from(differs));
}

fn to_value(findings: &recon_findings::Findings) -> serde_json::Value {
    serde_json::to_value(findings).unwrap_or_default()
}
