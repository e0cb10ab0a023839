//! `recon check` and `recon rule`: observability rules for pre-commit.

use std::path::PathBuf;

use crate::cli::CliError;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files to check (default: the whole checkout).
    pub files: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct RuleArgs {
    /// Rule code, e.g. OBS003.
    pub code: String,
}

pub fn run(_args: CheckArgs) -> Result<u8, CliError> {
    Err(CliError::fatal("check is not implemented yet"))
}

pub fn rule(_args: RuleArgs) -> Result<u8, CliError> {
    Err(CliError::fatal("rule is not implemented yet"))
}
