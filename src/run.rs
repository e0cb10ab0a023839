//! `recon run`: execute a mission natively and print its transcript.

use std::path::PathBuf;

use recon_shell::exec::{MissionPlan, PlanError, RunOptions};

use crate::cli::CliError;
use crate::transcript::{JsonPrinter, Listing, ListingPrinter, TextPrinter};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Mission Markdown file (default: the built-in observability mission).
    #[arg(short = 'f', long = "file", value_name = "MISSION.md")]
    pub file: Option<PathBuf>,
    /// Run only this task: its number in the document (`2.3`), or its
    /// ordinal (`2`) when the document does not number its tasks (`--list`
    /// shows the ids). Earlier `cd`s of its phase still apply.
    #[arg(long, value_name = "ID")]
    pub task: Option<String>,
    /// Run what is allowed and report each refused command in place
    /// (`refused: KIND: reason`, status 126), then every refusal grouped by
    /// kind, instead of refusing the mission.
    #[arg(long)]
    pub skip_refused: bool,
    /// Run nothing: print the tasks, the commands recon would run and those
    /// it would refuse (with the reason), grouped by kind. Read this before
    /// trusting a document.
    #[arg(long, conflicts_with = "format")]
    pub list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    /// Checkout root the mission runs in.
    #[arg(default_value = ".")]
    pub path: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunFormat {
    /// A readable transcript: each task, each `$ command` and its output.
    Text,
    /// One `recon.run/1` JSON object.
    Json,
}

pub fn run(args: RunArgs) -> Result<u8, CliError> {
    let (name, source) = match &args.file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                CliError::fatal(format!(
                    "{}: {}",
                    path.display(),
                    recon_shell::walk::strerror(&e)
                ))
            })?;
            (path.display().to_string(), text)
        }
        None => (
            "RECON_OBSERVABILITY_PHASE2.md".to_string(),
            recon_mission::OBSERVABILITY_PHASE2.to_string(),
        ),
    };
    let mission =
        recon_mission::parse(&name, &source).map_err(|e| CliError::fatal(e.to_string()))?;
    if !args.path.is_dir() {
        // `recon run MISSION.md`: the mission goes with -f; PATH is the
        // checkout it runs in.
        let hint = if args.path.is_file() && args.file.is_none() {
            format!(
                " (PATH is the checkout to run in; to run this file as the mission: recon run -f {} [PATH])",
                args.path.display()
            )
        } else {
            String::new()
        };
        return Err(CliError::fatal(format!(
            "{}: not a directory{hint}",
            args.path.display()
        )));
    }
    let options = RunOptions {
        task: args.task.clone(),
        skip_refused: args.skip_refused || args.list,
    };
    let plan = MissionPlan::new(&mission, &args.path, &options).map_err(|e| match &e {
        // Errors not tied to a command (an unknown --task) name the mission.
        PlanError::Mission(reason) => CliError::fatal(format!("{name}: {reason}")),
        // One `error: TASK LINE:COL: reason` line per refused command.
        PlanError::Refused(_) => CliError::fatal(e.to_string().replace('\n', "\nerror: ")),
    })?;
    if args.list {
        let listing = Listing {
            mission: &mission,
            plan: &plan,
        };
        crate::write::print(&ListingPrinter, &listing)?;
        return Ok(0);
    }
    let transcript = plan.run();
    match args.format {
        RunFormat::Text => crate::write::print(&TextPrinter, &transcript)?,
        RunFormat::Json => crate::write::print(&JsonPrinter, &transcript)?,
    }
    Ok(0)
}
