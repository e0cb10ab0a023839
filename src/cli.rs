//! Flag parsing and dispatch to subcommands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// An error that reaches the user: one `error: ...` line, exit code 2.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
}

impl From<recon_output::RenderError> for CliError {
    fn from(err: recon_output::RenderError) -> Self {
        CliError::fatal(err.to_string())
    }
}

impl CliError {
    /// The exit code of every error: usage, refusal, configuration, I/O.
    pub const EXIT_CODE: u8 = 2;

    /// Usage, refusal or I/O error (exit code [`Self::EXIT_CODE`]).
    pub fn fatal(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
        }
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "recon",
    version,
    about = "Map a codebase before changing it: run recon missions natively and scan for observability hooks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a recon mission's shell tasks natively (no shell, no child process).
    Run(crate::run::RunArgs),
    /// Scan a checkout structurally and print the observability deliverable (md, json, sarif) or the typed findings.
    Scan(crate::scan::ScanArgs),
    /// Check files against the observability rules (pre-commit mode); exit 1 on findings.
    Check(crate::check::CheckArgs),
    /// Print the documentation of a rule (e.g. `recon rule OBS003`).
    Rule(crate::check::RuleArgs),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Run(args) => crate::run::run(args),
        Command::Scan(args) => crate::scan::run(args),
        Command::Check(args) => crate::check::run(args),
        Command::Rule(args) => crate::check::rule(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {}", err.message);
            ExitCode::from(CliError::EXIT_CODE)
        }
    }
}
