//! Any text parses to a mission or a MissionError, never a panic; every
//! command it yields points at a real line of the input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(mission) = recon_mission::parse("fuzz.md", text) {
        let lines = text.lines().count();
        for task in mission.tasks() {
            for cmd in &task.commands {
                assert!(cmd.line >= 1 && cmd.line <= lines, "command line {} of {lines}", cmd.line);
                assert!(cmd.column >= 1);
            }
        }
    }
});
