//! `recon run`: execute a mission natively and print its transcript.

use std::io::Write;
use std::path::PathBuf;

use recon_shell::exec::{MissionPlan, PlanError, RefusedCommand, RunOptions, Transcript};
use recon_shell::refusal_kind::RefusalKind;
use serde::Serialize;

use crate::cli::CliError;

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
        return write_stdout(&render_list(&mission, &plan));
    }
    let transcript = plan.run();
    let bytes = match args.format {
        RunFormat::Text => render_text(&transcript),
        RunFormat::Json => render_json(&transcript)?,
    };
    write_stdout(&bytes)
}

/// Writes the report; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<u8, CliError> {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(0);
        }
        return Err(CliError::fatal(format!("writing output: {e}")));
    }
    Ok(0)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `--list`: each selected task with the commands recon would run (`$ cmd`)
/// and refuse (`$ cmd`, then `refused: KIND: reason`), the blocks a
/// numbered document leaves out, and the refusals grouped by kind.
fn render_list(mission: &recon_mission::Mission, plan: &MissionPlan) -> Vec<u8> {
    let mut out = format!("# {}\n", plan.title);
    let mut runs = 0;
    for task in plan.tasks.iter().filter(|t| t.selected) {
        out.push_str(&format!("\n### Task {} - {}\n", task.id, task.title));
        for c in &task.commands {
            out.push_str(&format!("{}: $ {}\n", c.line, c.text));
            match &c.refused {
                Some(r) => out.push_str(&format!("refused: {}: {}\n", r.kind.label(), r.reason)),
                None => runs += 1,
            }
        }
    }
    if !mission.skipped.is_empty() {
        out.push_str(
            "\n## Not tasks (shell blocks under unnumbered headings of a numbered document)\n",
        );
        for task in &mission.skipped {
            out.push_str(&format!("\n### {} (line {})\n", task.title, task.line));
            for c in &task.commands {
                out.push_str(&format!("{}: $ {}\n", c.line, c.text));
            }
        }
    }
    let refused: Vec<&RefusedCommand> = plan
        .tasks
        .iter()
        .filter(|t| t.selected)
        .flat_map(|t| t.commands.iter().filter_map(|c| c.refused.as_ref()))
        .collect();
    out.push_str(&format!(
        "\n{} would run, {} refused\n",
        plural(runs, "command"),
        refused.len()
    ));
    out.push_str(&refusals_by_kind(&refused));
    out.into_bytes()
}

/// Refused commands grouped by kind: `## Refused: KIND (N)`, then one
/// `TASK LINE:COL $ command` line each. Empty when nothing was refused.
fn refusals_by_kind(refused: &[&RefusedCommand]) -> String {
    let mut out = String::new();
    for kind in RefusalKind::ALL {
        let of_kind: Vec<_> = refused.iter().filter(|r| r.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## Refused: {} ({})\n",
            kind.label(),
            of_kind.len()
        ));
        for r in of_kind {
            out.push_str(&format!(
                "{} {}:{} $ {}\n",
                r.task, r.line, r.column, r.text
            ));
        }
    }
    out
}

/// `### Task 1.1 - title`, then `$ command` (prefixed by the directory when
/// not at the root), its stdout, its stderr, and `[exit N]` when not 0.
fn render_text(t: &Transcript) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(format!("# {}\n", t.mission).as_bytes());
    for task in &t.tasks {
        out.extend_from_slice(format!("\n### Task {} - {}\n", task.id, task.title).as_bytes());
        for c in &task.commands {
            let prompt = if c.cwd == "." {
                "$".to_string()
            } else {
                format!("{} $", c.cwd)
            };
            out.extend_from_slice(format!("{prompt} {}\n", c.command).as_bytes());
            out.extend_from_slice(&c.stdout);
            if !c.stdout.is_empty() && !c.stdout.ends_with(b"\n") {
                out.push(b'\n');
            }
            out.extend_from_slice(&c.stderr);
            if !c.stderr.is_empty() && !c.stderr.ends_with(b"\n") {
                out.push(b'\n');
            }
            if c.status != 0 {
                out.extend_from_slice(format!("[exit {}]\n", c.status).as_bytes());
            }
            for hint in &c.hints {
                out.extend_from_slice(format!("hint: {hint}\n").as_bytes());
            }
        }
    }
    let refused: Vec<&RefusedCommand> = t
        .tasks
        .iter()
        .flat_map(|task| task.commands.iter().filter_map(|c| c.refused.as_ref()))
        .collect();
    out.extend_from_slice(refusals_by_kind(&refused).as_bytes());
    out
}

#[derive(Serialize)]
struct JsonRun<'a> {
    schema: &'static str,
    mission: &'a str,
    tasks: Vec<JsonTask<'a>>,
}

#[derive(Serialize)]
struct JsonTask<'a> {
    id: &'a str,
    title: &'a str,
    phase: u32,
    commands: Vec<JsonCommand<'a>>,
}

#[derive(Serialize)]
struct JsonCommand<'a> {
    command: &'a str,
    cwd: &'a str,
    stdout: String,
    stderr: String,
    status: i32,
    hints: &'a [String],
    /// Present only for a command `--skip-refused` did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<JsonRefusal<'a>>,
}

#[derive(Serialize)]
struct JsonRefusal<'a> {
    kind: &'static str,
    reason: &'a str,
}

fn render_json(t: &Transcript) -> Result<Vec<u8>, CliError> {
    let run = JsonRun {
        schema: "recon.run/1",
        mission: &t.mission,
        tasks: t
            .tasks
            .iter()
            .map(|task| JsonTask {
                id: &task.id,
                title: &task.title,
                phase: task.phase.parse().unwrap_or(0),
                commands: task
                    .commands
                    .iter()
                    .map(|c| JsonCommand {
                        command: &c.command,
                        cwd: &c.cwd,
                        stdout: String::from_utf8_lossy(&c.stdout).into_owned(),
                        stderr: String::from_utf8_lossy(&c.stderr).into_owned(),
                        status: c.status,
                        hints: &c.hints,
                        refused: c.refused.as_ref().map(|r| JsonRefusal {
                            kind: r.kind.label(),
                            reason: &r.reason,
                        }),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut bytes =
        serde_json::to_vec(&run).map_err(|e| CliError::fatal(format!("serializing JSON: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}
