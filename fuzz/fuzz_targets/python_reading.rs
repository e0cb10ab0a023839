//! Any text given as a `.py` file: the token pass, the unit selection and
//! tree-sitter over the selected units never panic, and every finding's
//! line lies inside the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let lines = src.split('\n').count();
    if let Ok(found) = recon_syntax::python_lines(src) {
        for line in found {
            assert!(line <= lines, "finding at line {line} of a {lines}-line file");
        }
    }
});
