//! Recon mission Markdown → phases, tasks and the shell commands they hold.
//!
//! A mission is a Markdown file in a small, fixed dialect:
//!
//! ````markdown
//! # RECON MISSION: Phase 2 Observability
//!
//! ## PHASE 1: Request Lifecycle Mapping
//!
//! ### Task 1.1 - HTTP Request Entry Points
//! ```bash
//! # Find all route definitions
//! grep -rn "@app\." --include="*.py" | head -40
//! ```
//! ````
//!
//! * `# Title` names the mission (the first level-1 heading).
//! * `## PHASE N: name` opens a phase; any other `##` heading closes it, so
//!   tasks under `## DELIVERABLE` or `## EXECUTION` are never run.
//! * `### Task N.M - title` opens a task inside the current phase.
//! * Each fenced ```` ```bash ```` (or `sh`/`shell`) block inside a task holds
//!   commands, one per line; blank lines and lines starting with `#` are not
//!   commands; a line ending in `\` continues on the next one.
//! * Fenced blocks of any other language, and every fence outside a task, are
//!   skipped whole: their lines are never read as headings either.
//!
//! ```
//! let mission = recon_mission::parse("m.md", "# M\n## PHASE 1: P\n### Task 1.1 - T\n```bash\n# c\ngrep -rn x\n```\n").unwrap();
//! assert_eq!(mission.title, "M");
//! let task = &mission.phases[0].tasks[0];
//! assert_eq!(task.id, "1.1");
//! assert_eq!(task.commands[0].text, "grep -rn x");
//! assert_eq!((task.commands[0].line, task.commands[0].column), (6, 1));
//! ```

use std::fmt;

use serde::Serialize;

/// The built-in mission: `RECON_OBSERVABILITY_PHASE2.md`.
pub const OBSERVABILITY_PHASE2: &str = include_str!("../missions/observability_phase2.md");

/// A parsed mission: its title and its phases in file order.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mission {
    pub title: String,
    pub phases: Vec<Phase>,
}

/// `## PHASE N: name`: a group of tasks sharing a working directory.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Phase {
    /// The phase number as written (`"1"`).
    pub number: String,
    pub name: String,
    pub line: usize,
    pub tasks: Vec<Task>,
}

/// `### Task N.M - title` and the commands of its bash blocks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Task {
    /// `"1.1"`.
    pub id: String,
    pub title: String,
    pub line: usize,
    pub commands: Vec<CommandLine>,
}

/// One shell command line, as written, and where it starts in the file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommandLine {
    /// The command text; continuation lines are joined as bash joins them
    /// (backslash-newline removed).
    pub text: String,
    /// 1-based line of the command's first character.
    pub line: usize,
    /// 1-based column (in characters) of the command's first character.
    pub column: usize,
}

impl Mission {
    /// Every task, in file order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.phases.iter().flat_map(|p| p.tasks.iter())
    }

    /// Number of commands over all tasks.
    pub fn command_count(&self) -> usize {
        self.tasks().map(|t| t.commands.len()).sum()
    }
}

/// Why a mission file could not be read as a mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for MissionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

impl std::error::Error for MissionError {}

/// A fence line: its marker (backticks or tildes, with length) and info string.
struct Fence<'a> {
    marker: char,
    len: usize,
    info: &'a str,
}

fn fence(line: &str) -> Option<Fence<'_>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next()?;
    if marker != '`' && marker != '~' {
        return None;
    }
    let len = rest.len() - rest.trim_start_matches(marker).len();
    if len < 3 {
        return None;
    }
    Some(Fence {
        marker,
        len,
        info: rest[len..].trim(),
    })
}

fn is_shell_info(info: &str) -> bool {
    let lang = info.split_whitespace().next().unwrap_or("");
    matches!(lang, "bash" | "sh" | "shell")
}

/// `## PHASE 1: Request Lifecycle Mapping` → ("1", "Request Lifecycle Mapping").
fn phase_heading(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("PHASE")?.trim_start();
    let (number, name) = match rest.split_once(':') {
        Some((n, name)) => (n.trim(), name.trim()),
        None => (rest.split_whitespace().next()?, ""),
    };
    if number.is_empty() {
        return None;
    }
    Some((number.to_string(), name.to_string()))
}

/// `### Task 1.1 - HTTP Request Entry Points` → ("1.1", "HTTP Request Entry Points").
fn task_heading(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("Task")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let id_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(rest.len());
    let id = rest[..id_end].trim_end_matches('.');
    if id.is_empty() {
        return None;
    }
    let title = rest[id_end..]
        .trim_start()
        .trim_start_matches(['-', '–', '—', ':'])
        .trim();
    Some((id.to_string(), title.to_string()))
}

/// Parses mission Markdown. `file` is only used in error messages.
pub fn parse(file: &str, source: &str) -> Result<Mission, MissionError> {
    let err = |line: usize, reason: &str| MissionError {
        file: file.to_string(),
        line,
        reason: reason.to_string(),
    };
    let mut title: Option<String> = None;
    let mut phases: Vec<Phase> = Vec::new();
    let mut in_phase = false;
    let mut in_task = false;
    // The open fence, if any: (marker, length, runs commands?, opening line).
    let mut open: Option<(char, usize, bool, usize)> = None;
    // A command being continued with a trailing backslash.
    let mut pending: Option<CommandLine> = None;

    for (index, raw) in source.lines().enumerate() {
        let number = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((marker, len, runs, _)) = open {
            if let Some(f) = fence(line)
                && f.marker == marker
                && f.len >= len
                && f.info.is_empty()
            {
                if let Some(cmd) = pending.take() {
                    return Err(err(
                        cmd.line,
                        "command continues past the end of its code block",
                    ));
                }
                open = None;
                continue;
            }
            if !runs {
                continue;
            }
            let task = phases.last_mut().and_then(|p| p.tasks.last_mut());
            let Some(task) = task else { continue };
            if let Some(mut cmd) = pending.take() {
                let (body, continues) = split_continuation(line);
                cmd.text.push_str(body);
                if continues {
                    pending = Some(cmd);
                } else {
                    task.commands.push(cmd);
                }
                continue;
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let column = line[..line.len() - trimmed.len()].chars().count() + 1;
            let (body, continues) = split_continuation(trimmed);
            let cmd = CommandLine {
                text: body.trim_end().to_string(),
                line: number,
                column,
            };
            if continues {
                let mut cmd = cmd;
                cmd.text = body.to_string();
                pending = Some(cmd);
            } else {
                task.commands.push(cmd);
            }
            continue;
        }
        if let Some(f) = fence(line) {
            let runs = in_task && is_shell_info(f.info);
            open = Some((f.marker, f.len, runs, number));
            continue;
        }
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let level = 1 + heading.len() - heading.trim_start_matches('#').len();
        let text = heading.trim_start_matches('#');
        if !text.starts_with([' ', '\t']) {
            continue;
        }
        let text = text.trim();
        match level {
            1 => {
                if title.is_none() {
                    title = Some(text.to_string());
                }
                in_phase = false;
                in_task = false;
            }
            2 => {
                in_task = false;
                in_phase = false;
                if let Some((num, name)) = phase_heading(text) {
                    phases.push(Phase {
                        number: num,
                        name,
                        line: number,
                        tasks: Vec::new(),
                    });
                    in_phase = true;
                }
            }
            3 => {
                in_task = false;
                if in_phase
                    && let Some((id, task_title)) = task_heading(text)
                    && let Some(phase) = phases.last_mut()
                {
                    phase.tasks.push(Task {
                        id,
                        title: task_title,
                        line: number,
                        commands: Vec::new(),
                    });
                    in_task = true;
                }
            }
            _ => {}
        }
    }
    if let Some((_, _, _, line)) = open {
        return Err(err(line, "code block is never closed"));
    }
    let mission = Mission {
        title: title.unwrap_or_else(|| file.to_string()),
        phases,
    };
    if mission.tasks().next().is_none() {
        return Err(err(
            1,
            "mission has no tasks (expected `## PHASE N: name` then `### Task N.M - title`)",
        ));
    }
    Ok(mission)
}

/// Splits off a trailing unescaped backslash (line continuation).
fn split_continuation(line: &str) -> (&str, bool) {
    let backslashes = line.len() - line.trim_end_matches('\\').len();
    if backslashes % 2 == 1 {
        (&line[..line.len() - 1], true)
    } else {
        (line, false)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn builtin_mission_has_8_phases_32_tasks_34_commands() {
        let m = parse("builtin", OBSERVABILITY_PHASE2).unwrap();
        assert_eq!(
            m.title,
            "RECON MISSION: Phase 2 Observability - Tracing, Logs, Alerts"
        );
        assert_eq!(m.phases.len(), 8);
        assert_eq!(m.tasks().count(), 32);
        assert_eq!(m.command_count(), 34);
        let t14 = m.tasks().find(|t| t.id == "1.4").unwrap();
        assert_eq!(t14.title, "Request → RAG → LLM Flow");
        assert_eq!(t14.commands.len(), 2);
        let t71 = m.tasks().find(|t| t.id == "7.1").unwrap();
        assert_eq!(t71.commands[0].text, "cd frontend");
        assert_eq!(t71.commands[1].text, "ls -la src/routes/admin/");
    }

    #[test]
    fn deliverable_and_execution_blocks_are_not_run() {
        let m = parse("builtin", OBSERVABILITY_PHASE2).unwrap();
        assert!(
            m.tasks()
                .flat_map(|t| &t.commands)
                .all(|c| !c.text.contains("claude_cli"))
        );
        assert!(
            m.phases
                .iter()
                .all(|p| !p.name.contains("OBSERVABILITY RECON RESULTS"))
        );
    }

    #[test]
    fn positions_are_one_based_and_count_indentation() {
        let src = "# T\n## PHASE 2: x\n### Task 2.1 - y\n```bash\n  # note\n   grep -n a b\n```\n";
        let m = parse("m.md", src).unwrap();
        let c = &m.phases[0].tasks[0].commands[0];
        assert_eq!((c.line, c.column, c.text.as_str()), (6, 4, "grep -n a b"));
    }

    #[test]
    fn continuation_lines_are_joined() {
        let src =
            "# T\n## PHASE 1: x\n### Task 1.1 - y\n```bash\ngrep -rn a \\\n  --include=x\n```\n";
        let m = parse("m.md", src).unwrap();
        assert_eq!(
            m.phases[0].tasks[0].commands[0].text,
            "grep -rn a   --include=x"
        );
    }

    #[test]
    fn unterminated_fence_is_an_error() {
        let e = parse(
            "m.md",
            "# T\n## PHASE 1: x\n### Task 1.1 - y\n```bash\ngrep a\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.reason.contains("never closed"));
    }

    #[test]
    fn mission_without_tasks_is_an_error() {
        let e = parse("m.md", "# T\n\nsome text\n").unwrap_err();
        assert!(e.reason.contains("no tasks"));
    }

    #[test]
    fn non_shell_fences_in_tasks_are_skipped() {
        let src =
            "# T\n## PHASE 1: x\n### Task 1.1 - y\n```python\nprint(1)\n```\n```sh\nls\n```\n";
        let m = parse("m.md", src).unwrap();
        let cmds: Vec<_> = m.phases[0].tasks[0]
            .commands
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(cmds, ["ls"]);
    }
}
