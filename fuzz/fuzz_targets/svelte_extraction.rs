//! Any text given as a `.svelte` file: the region extraction and the
//! TypeScript re-parse of `<script>` bodies and template expressions never
//! panic, and every finding's line lies inside the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let lines = src.lines().count().max(1);
    if let Ok(found) = recon_syntax::svelte_lines(src) {
        for line in found {
            assert!(line <= lines, "finding at line {line} of a {lines}-line file");
        }
    }
});
