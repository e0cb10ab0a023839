//! `recon`: command-line entry point. Parsing of flags lives here; all work is
//! done by the `recon-*` library crates.

mod check;
mod cli;
mod deliverable;
mod run;
mod scan;
mod transcript;
mod write;

use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug in recon, never the user's fault: say so in one line
    // and exit 2 instead of printing a backtrace hint.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error in recon{location}; please report it");
    }));
    match std::panic::catch_unwind(cli::main) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}
