//! Any command line parses to a script or a refusal, never a panic; a
//! refusal's column lies inside the line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    if line.contains('\n') {
        return;
    }
    if let Err(refusal) = recon_shell::script::parse_script(line) {
        assert!(refusal.column <= line.chars().count(), "column {} past {line:?}", refusal.column);
    }
});
