//! `scan_only`: a scan restricted to some files finds, in those files,
//! exactly what the full scan finds there, and reads no other file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use recon_findings::Side;
use recon_syntax::{ScanOptions, scan, scan_only, side_of};

fn app() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/app"))
}

#[test]
fn one_side_of_the_app() {
    let opts = ScanOptions::default();
    let full = scan(app(), &opts).unwrap();
    let frontend = |rel: &str| side_of(rel) == Some(Side::Frontend);
    let part = scan_only(app(), &opts, &frontend).unwrap();

    let by_side = |side: Side| -> Vec<_> {
        full.websocket_messages
            .iter()
            .filter(|m| m.side == side)
            .cloned()
            .collect()
    };
    assert!(!by_side(Side::Backend).is_empty() && !by_side(Side::Frontend).is_empty());
    assert_eq!(part.websocket_messages, by_side(Side::Frontend));
    assert_eq!(part.files_by_language.python, 0);
    assert_eq!(
        part.files_by_language.typescript + part.files_by_language.svelte,
        full.files_by_language.typescript + full.files_by_language.svelte
    );
    assert!(part.routes.is_empty() && part.except_handlers.is_empty());
    assert_eq!(part.frontend_routes, full.frontend_routes);
}

#[test]
fn named_files_only() {
    let opts = ScanOptions::default();
    let full = scan(app(), &opts).unwrap();
    let part = scan_only(app(), &opts, &|rel: &str| rel == "core/main.py").unwrap();
    assert_eq!(part.files_scanned, 1);
    let in_main: Vec<_> = full
        .except_handlers
        .iter()
        .filter(|e| e.file == "core/main.py")
        .cloned()
        .collect();
    assert!(!in_main.is_empty());
    assert_eq!(part.except_handlers, in_main);
}
