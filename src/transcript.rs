//! The printers of `recon run`: the transcript as text or JSON, and the
//! `--list` plan, siblings behind [`Printer`] (from `recon-output`, as the
//! report's and the check's).

use recon_mission::Mission;
use recon_output::{Printer, RenderError};
use recon_shell::exec::{MissionPlan, RefusedCommand, Transcript};
use recon_shell::refusal_kind::RefusalKind;
use serde::Serialize;

/// What `recon run --list` shows: a mission and the plan to run it.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    pub mission: &'a Mission,
    pub plan: &'a MissionPlan,
}

/// `--list`: each selected task with the commands recon would run (`$ cmd`)
/// and refuse (`$ cmd`, then `refused: KIND: reason`), the blocks a
/// numbered document leaves out, and the refusals grouped by kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListingPrinter;

impl Printer<Listing<'_>> for ListingPrinter {
    type Output = String;

    fn print(&self, listing: &Listing<'_>) -> Result<String, RenderError> {
        let Listing { mission, plan } = *listing;
        let mut out = format!("# {}\n", plan.title);
        let mut runs = 0;
        for task in plan.tasks.iter().filter(|t| t.selected) {
            out.push_str(&format!("\n### Task {} - {}\n", task.id, task.title));
            for c in &task.commands {
                out.push_str(&format!("{}: $ {}\n", c.line, c.text));
                match &c.refused {
                    Some(r) => {
                        out.push_str(&format!("refused: {}: {}\n", r.kind.label(), r.reason))
                    }
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
        Ok(out)
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
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

/// The transcript as text: `### Task 1.1 - title`, then `$ command`
/// (prefixed by the directory when not at the root), its stdout, its
/// stderr (bytes as the command wrote them), `[exit N]` when not 0 and its
/// hints; then the refusals grouped by kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextPrinter;

impl Printer<Transcript> for TextPrinter {
    type Output = Vec<u8>;

    fn print(&self, t: &Transcript) -> Result<Vec<u8>, RenderError> {
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
        Ok(out)
    }
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

/// The transcript as one `recon.run/1` JSON object on one line (command
/// output as UTF-8, invalid bytes replaced).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonPrinter;

impl Printer<Transcript> for JsonPrinter {
    type Output = Vec<u8>;

    fn print(&self, t: &Transcript) -> Result<Vec<u8>, RenderError> {
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
            serde_json::to_vec(&run).map_err(|e| RenderError::Serialize(e.to_string()))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
