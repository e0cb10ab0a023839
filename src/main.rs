//! `recon`: command-line entry point. Parsing of flags lives here; all work is
//! done by the `recon-*` library crates.

mod check;
mod cli;
mod run;
mod scan;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
