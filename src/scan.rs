//! `recon scan`: structural findings over a checkout.

use std::path::PathBuf;

use crate::cli::CliError;

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Checkout root to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
}

pub fn run(_args: ScanArgs) -> Result<u8, CliError> {
    Err(CliError::fatal("scan is not implemented yet"))
}
