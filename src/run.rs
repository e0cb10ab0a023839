//! `recon run`: execute a mission natively.

use std::path::PathBuf;

use crate::cli::CliError;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Mission Markdown file (default: the built-in observability mission).
    #[arg(short = 'f', long = "file")]
    pub file: Option<PathBuf>,
    /// Checkout root the mission runs in.
    #[arg(default_value = ".")]
    pub path: PathBuf,
}

pub fn run(_args: RunArgs) -> Result<u8, CliError> {
    Err(CliError::fatal("run is not implemented yet"))
}
