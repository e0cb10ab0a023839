//! `recon run`: execute a mission natively and print its transcript.

use std::io::Write;
use std::path::PathBuf;

use recon_shell::exec::{MissionPlan, RunOptions, Transcript};
use serde::Serialize;

use crate::cli::CliError;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Mission Markdown file (default: the built-in observability mission).
    #[arg(short = 'f', long = "file", value_name = "MISSION.md")]
    pub file: Option<PathBuf>,
    /// Run only this task (e.g. `2.3`); earlier `cd`s of its phase still apply.
    #[arg(long, value_name = "ID")]
    pub task: Option<String>,
    /// Run what is allowed and report each refused command in place
    /// (`refused: reason`, status 126) instead of refusing the mission.
    #[arg(long)]
    pub skip_refused: bool,
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
        return Err(CliError::fatal(format!(
            "{}: not a directory",
            args.path.display()
        )));
    }
    let options = RunOptions {
        task: args.task.clone(),
        skip_refused: args.skip_refused,
    };
    let plan = MissionPlan::new(&mission, &args.path, &options).map_err(|e| {
        // Errors not tied to a command (an unknown --task) name the mission.
        match e.command {
            None => CliError::fatal(format!("{name}: {}", e.reason)),
            Some(_) => CliError::fatal(e.to_string()),
        }
    })?;
    let transcript = plan.run();
    let bytes = match args.format {
        RunFormat::Text => render_text(&transcript),
        RunFormat::Json => render_json(&transcript)?,
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(&bytes).and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(0);
        }
        return Err(CliError::fatal(format!("writing output: {e}")));
    }
    Ok(0)
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
