//! Recon mission Markdown → phases, tasks and the shell commands they hold.
//!
//! Any Markdown document with shell blocks is a mission; the seed's shape is
//! one case of it:
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
//! * **Title**: the first level-1 heading (else the file name).
//! * **Commands**: fenced blocks tagged `bash`, `sh`, `shell` or `zsh` hold
//!   one command per line; blank lines and lines starting with `#` are not
//!   commands; a line ending in `\` continues on the next one. In a
//!   `console` block only lines starting with `$ ` are commands (the prompt
//!   is dropped); the other lines are sample output. Blocks of any other
//!   language are skipped whole, and their lines are never read as headings.
//! * **Tasks**: a task is the nearest heading above a shell block, at any
//!   level and with any text (emoji and numbering stay in the title); the
//!   blocks under one heading form one task. Shell blocks before the first
//!   heading (a document without headings) form one task titled by the
//!   mission.
//! * **Phases**: the parent of a task's heading (the nearest heading above
//!   it of a lower level) is its phase; consecutive tasks under one parent
//!   share it. A task without a parent is a phase of its own. A `cd` holds
//!   until the phase ends; every phase starts at the checkout root.
//! * **Ids** (what `--task` takes): when a document numbers its task
//!   headings (`### Task 1.1 - title`, `### 1.1 Remaining Files`,
//!   `## TASK 2: ...`: an optional emoji and leading word, then `N` or
//!   `N.M`), a task's id is its number, and blocks under unnumbered headings
//!   (a closing `## EXECUTION` that says how to run the document) are not
//!   tasks: they are listed in [`Mission::skipped`]. Without numbers, or
//!   when two tasks share one, ids are ordinals: `1`, `2`, ... in document
//!   order. Phases are numbered the same way (`## PHASE 3` is phase 3).
//! * The seed's `### Task N.M - title` keeps its split: id `N.M`, title
//!   `title`.
//!
//! ```
//! let mission = recon_mission::parse("m.md", "# M\n## PHASE 1: P\n### Task 1.1 - T\n```bash\n# c\ngrep -rn x\n```\n").unwrap();
//! assert_eq!(mission.title, "M");
//! let task = &mission.phases[0].tasks[0];
//! assert_eq!(task.id, "1.1");
//! assert_eq!(task.commands[0].text, "grep -rn x");
//! assert_eq!((task.commands[0].line, task.commands[0].column), (6, 1));
//!
//! let notes = recon_mission::parse("notes.md", "## Files\n```console\n$ ls src\nmain.py\n```\n").unwrap();
//! let task = &notes.phases[0].tasks[0];
//! assert_eq!((task.id.as_str(), task.title.as_str()), ("1", "Files"));
//! assert_eq!(task.commands.len(), 1);
//! assert_eq!(task.commands[0].text, "ls src");
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
    /// Shell blocks under unnumbered headings of a document that numbers
    /// its tasks (e.g. `## EXECUTION`): never run, listed for `--list`.
    /// Their ids are `skipped-1`, `skipped-2`, ...
    pub skipped: Vec<Task>,
}

/// A group of tasks sharing a working directory: the parent heading of
/// their headings (`## PHASE 1: name`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Phase {
    /// The phase's number (`"1"` of `## PHASE 1`), or its ordinal.
    pub number: String,
    /// `name` of `PHASE N: name`, else the heading's text (empty for a
    /// task that is a phase of its own).
    pub name: String,
    pub line: usize,
    pub tasks: Vec<Task>,
}

/// The heading above one or more shell blocks, and their commands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Task {
    /// `"1.1"`: the heading's number, or the task's ordinal.
    pub id: String,
    pub title: String,
    /// The heading's line (the first block's line for a task without one).
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

/// How the lines of a fenced block are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// Not commands (Python, SQL, Markdown, no language...).
    Inert,
    /// `bash`, `sh`, `shell`, `zsh`: every line is a command.
    Script,
    /// `console`: only lines starting with `$ ` are commands; the rest is
    /// sample output.
    Console,
}

fn block_kind(info: &str) -> BlockKind {
    let lang = info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['{', '}', '.'])
        .to_ascii_lowercase();
    match lang.as_str() {
        "bash" | "sh" | "shell" | "zsh" => BlockKind::Script,
        "console" => BlockKind::Console,
        _ => BlockKind::Inert,
    }
}

/// An ATX heading: `## text` → (2, "text").
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let rest = line.strip_prefix('#')?;
    let level = 1 + rest.len() - rest.trim_start_matches('#').len();
    let text = rest.trim_start_matches('#');
    if level > 6 || !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    Some((level, text.trim()))
}

/// The number a heading carries: `1.1` of `### 1.1 Remaining Files` or
/// `### Task 1.1 - x`, `1` of `## 🔍 PHASE 1: AUDIT` or `## 1. Setup`. A
/// leading emoji or punctuation and one of [`NUMBERED_WORDS`] are skipped; the number must end the heading or be followed
/// by a space or one of `. : ) - –`.
fn heading_number(text: &str) -> Option<String> {
    let rest = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let word_end = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    let rest = if NUMBERED_WORDS.contains(&rest[..word_end].to_ascii_lowercase().as_str()) {
        rest[word_end..].trim_start()
    } else {
        rest
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number = rest[..end].trim_end_matches('.');
    let well_formed = !number.is_empty()
        && number
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    let followed_well = rest[end..]
        .chars()
        .next()
        .is_none_or(|c| c.is_whitespace() || matches!(c, ':' | ')' | '-' | '–' | '—'));
    (well_formed && followed_well).then(|| number.to_string())
}

/// The words a heading's number may follow (any case).
const NUMBERED_WORDS: &[&str] = &["phase", "task", "step", "part", "section", "stage"];

/// A heading of the document, outside code blocks.
struct Heading {
    level: usize,
    text: String,
    line: usize,
}

/// A shell block: the heading it sits under (index into the headings) and
/// its commands.
struct ShellBlock {
    heading: Option<usize>,
    line: usize,
    commands: Vec<CommandLine>,
}

/// The ids of a list of items: their own numbers when every item has one
/// and no two are equal, else ordinals from 1.
fn numbers_or_ordinals(numbers: &[Option<String>]) -> Vec<String> {
    let all_unique = numbers.iter().enumerate().all(|(i, n)| {
        n.as_ref()
            .is_some_and(|n| !numbers[..i].iter().any(|m| m.as_ref() == Some(n)))
    });
    numbers
        .iter()
        .enumerate()
        .map(|(i, n)| match n {
            Some(n) if all_unique => n.clone(),
            _ => (i + 1).to_string(),
        })
        .collect()
}

/// Parses mission Markdown. `file` is only used in error messages.
pub fn parse(file: &str, source: &str) -> Result<Mission, MissionError> {
    let err = |line: usize, reason: &str| MissionError {
        file: file.to_string(),
        line,
        reason: reason.to_string(),
    };
    let mut headings: Vec<Heading> = Vec::new();
    let mut blocks: Vec<ShellBlock> = Vec::new();
    // The open fence, if any: (marker, length, kind, opening line).
    let mut open: Option<(char, usize, BlockKind, usize)> = None;
    // A command being continued with a trailing backslash.
    let mut pending: Option<CommandLine> = None;

    for (index, raw) in source.lines().enumerate() {
        let number = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let Some((marker, len, kind, _)) = open else {
            if let Some(f) = fence(line) {
                let kind = block_kind(f.info);
                if kind != BlockKind::Inert {
                    blocks.push(ShellBlock {
                        heading: headings.len().checked_sub(1),
                        line: number,
                        commands: Vec::new(),
                    });
                }
                open = Some((f.marker, f.len, kind, number));
            } else if let Some((level, text)) = atx_heading(line) {
                headings.push(Heading {
                    level,
                    text: text.to_string(),
                    line: number,
                });
            }
            continue;
        };
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
        let Some(block) = blocks.last_mut().filter(|_| kind != BlockKind::Inert) else {
            continue;
        };
        if let Some(mut cmd) = pending.take() {
            let (body, continues) = split_continuation(line);
            cmd.text.push_str(body);
            if continues {
                pending = Some(cmd);
            } else {
                block.commands.push(cmd);
            }
            continue;
        }
        let mut trimmed = line.trim_start();
        if kind == BlockKind::Console {
            // Sample output is not a command; `$ ` is the prompt.
            let Some(command) = trimmed.strip_prefix("$ ") else {
                continue;
            };
            trimmed = command.trim_start();
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let column = line[..line.len() - trimmed.len()].chars().count() + 1;
        let (body, continues) = split_continuation(trimmed);
        let mut cmd = CommandLine {
            text: body.trim_end().to_string(),
            line: number,
            column,
        };
        if continues {
            cmd.text = body.to_string();
            pending = Some(cmd);
        } else {
            block.commands.push(cmd);
        }
    }
    if let Some((_, _, _, line)) = open {
        return Err(err(line, "code block is never closed"));
    }
    let title = headings
        .iter()
        .find(|h| h.level == 1)
        .map_or_else(|| file.to_string(), |h| h.text.clone());
    let Some(first_block) = blocks.first() else {
        return Err(err(
            1,
            "mission has no tasks (no fenced bash, sh, shell, zsh or console block)",
        ));
    };
    let first_block_line = first_block.line;
    let (phases, skipped) = structure(&title, &headings, &blocks);
    if phases.is_empty() {
        return Err(err(
            first_block_line,
            "mission has no tasks (its tasks are numbered, and no shell block is under a numbered heading)",
        ));
    }
    Ok(Mission {
        title,
        phases,
        skipped,
    })
}

/// Groups shell blocks into tasks (the heading above each block) and tasks
/// into phases (consecutive tasks under the same parent heading). Returns
/// the phases and the tasks left out of a numbered document.
fn structure(title: &str, headings: &[Heading], blocks: &[ShellBlock]) -> (Vec<Phase>, Vec<Task>) {
    // Tasks in document order: (heading index, its blocks' commands).
    let mut owners: Vec<(Option<usize>, usize, Vec<CommandLine>)> = Vec::new();
    for block in blocks {
        match owners.last_mut() {
            Some((heading, _, commands)) if *heading == block.heading => {
                commands.extend(block.commands.iter().cloned());
            }
            _ => owners.push((block.heading, block.line, block.commands.clone())),
        }
    }
    // (id from the heading, title) per task: the seed's `Task N.M - title`
    // keeps its split; any other heading keeps its whole text.
    let labelled: Vec<(Option<String>, String)> = owners
        .iter()
        .map(|(heading, _, _)| match heading.map(|h| &headings[h]) {
            Some(h) => match task_heading(&h.text) {
                Some((id, title)) => (Some(id), title),
                None => (heading_number(&h.text), h.text.clone()),
            },
            None => (None, title.to_string()),
        })
        .collect();
    let numbered = labelled.iter().any(|(number, _)| number.is_some());
    let mut kept: Vec<(Option<usize>, Task)> = Vec::new();
    let mut kept_numbers = Vec::new();
    let mut skipped = Vec::new();
    for ((heading, block_line, commands), (number, task_title)) in owners.into_iter().zip(labelled)
    {
        let task = Task {
            id: String::new(),
            title: task_title,
            line: heading.map_or(block_line, |h| headings[h].line),
            commands,
        };
        if numbered && number.is_none() {
            skipped.push(task);
        } else {
            kept_numbers.push(number);
            kept.push((heading, task));
        }
    }
    for ((_, task), id) in kept.iter_mut().zip(numbers_or_ordinals(&kept_numbers)) {
        task.id = id;
    }
    for (index, task) in skipped.iter_mut().enumerate() {
        task.id = format!("skipped-{}", index + 1);
    }

    // The parent of a task's heading: the nearest heading above it of a
    // lower level. A task without one is a phase of its own.
    let parent = |heading: Option<usize>| -> Option<usize> {
        let h = heading?;
        (0..h)
            .rev()
            .find(|&p| headings[p].level < headings[h].level)
    };
    let mut groups: Vec<(Option<usize>, Vec<Task>)> = Vec::new();
    for (heading, task) in kept {
        let key = parent(heading);
        match groups.last_mut() {
            Some((last, tasks)) if key.is_some() && *last == key => tasks.push(task),
            _ => groups.push((key, vec![task])),
        }
    }
    let numbers: Vec<Option<String>> = groups
        .iter()
        .map(|(key, _)| {
            key.and_then(|p| heading_number(&headings[p].text))
                .map(|n| n.split('.').next().unwrap_or_default().to_string())
        })
        .collect();
    let phases = groups
        .into_iter()
        .zip(numbers_or_ordinals(&numbers))
        .map(|((key, tasks), number)| {
            let (name, line) = match key.map(|p| &headings[p]) {
                Some(h) => (
                    phase_heading(&h.text).map_or_else(|| h.text.clone(), |(_, name)| name),
                    h.line,
                ),
                None => (String::new(), tasks[0].line),
            };
            Phase {
                number,
                name,
                line,
                tasks,
            }
        })
        .collect();
    (phases, skipped)
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

    fn ids_and_titles(m: &Mission) -> Vec<(String, String)> {
        m.tasks().map(|t| (t.id.clone(), t.title.clone())).collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn execution_block_of_a_numbered_document_is_skipped_not_run() {
        let m = parse("builtin", OBSERVABILITY_PHASE2).unwrap();
        assert_eq!(m.skipped.len(), 1);
        assert_eq!(m.skipped[0].title, "EXECUTION");
        assert!(m.skipped[0].commands[0].text.starts_with("python "));
        let phases: Vec<&str> = m.phases.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(phases, ["1", "2", "3", "4", "5", "6", "7", "8"]);
        assert_eq!(m.phases[0].name, "Request Lifecycle Mapping");
    }

    #[test]
    fn tasks_without_phases_take_their_numbers() {
        let src = "# RECON MISSION: Chat\n\n## TASK 1: Chat Input Area Analysis\n```bash\nls\n```\n\n## TASK 2: Stores\n```sh\ncat a\n```\n\n## EXECUTION\n```bash\npython run.py\n```\n";
        let m = parse("m.md", src).unwrap();
        assert_eq!(
            ids_and_titles(&m),
            pairs(&[
                ("1", "TASK 1: Chat Input Area Analysis"),
                ("2", "TASK 2: Stores")
            ])
        );
        // Both tasks sit under the title: one phase, a `cd` holds across them.
        assert_eq!(m.phases.len(), 1);
        assert_eq!(m.skipped[0].title, "EXECUTION");
    }

    #[test]
    fn emoji_phases_and_numbered_subsections() {
        let src = "# Handoff\n## 🔍 PHASE 1: DEPENDENCY AUDIT (DO THIS FIRST)\n### 1.1 Remaining Files to Move\n```bash\nls\n```\n### 1.2 Imports\n```bash\ngrep -rn x\n```\n## 🧪 PHASE 2: CHECKS\n### 2.1 Tests\n```bash\nls tests\n```\n";
        let m = parse("m.md", src).unwrap();
        assert_eq!(
            ids_and_titles(&m),
            pairs(&[
                ("1.1", "1.1 Remaining Files to Move"),
                ("1.2", "1.2 Imports"),
                ("2.1", "2.1 Tests")
            ])
        );
        let phases: Vec<(&str, &str)> = m
            .phases
            .iter()
            .map(|p| (p.number.as_str(), p.name.as_str()))
            .collect();
        assert_eq!(
            phases,
            [
                ("1", "🔍 PHASE 1: DEPENDENCY AUDIT (DO THIS FIRST)"),
                ("2", "🧪 PHASE 2: CHECKS")
            ]
        );
    }

    #[test]
    fn unnumbered_headings_get_ordinal_ids() {
        let src = "# Notes\n## FILES TO EXAMINE\n```bash\n# the store\ncat a\n# the route\ncat b\n```\n## Where it is used\n```shell\ngrep -rn a\n```\n";
        let m = parse("m.md", src).unwrap();
        assert_eq!(
            ids_and_titles(&m),
            pairs(&[("1", "FILES TO EXAMINE"), ("2", "Where it is used")])
        );
        let texts: Vec<&str> = m
            .tasks()
            .next()
            .unwrap()
            .commands
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(texts, ["cat a", "cat b"]);
        assert!(m.skipped.is_empty());
    }

    #[test]
    fn duplicate_numbers_fall_back_to_ordinals() {
        let src = "## 1. A\n```bash\nls\n```\n## 1. B\n```bash\nls\n```\n";
        let m = parse("m.md", src).unwrap();
        assert_eq!(ids_and_titles(&m), pairs(&[("1", "1. A"), ("2", "1. B")]));
    }

    #[test]
    fn document_without_headings_is_one_task() {
        let src = "Run these:\n\n```bash\nls\n```\n\nthen\n\n```zsh\ncat a\n```\n";
        let m = parse("plain.md", src).unwrap();
        assert_eq!(m.title, "plain.md");
        assert_eq!(ids_and_titles(&m), pairs(&[("1", "plain.md")]));
        assert_eq!(m.tasks().next().unwrap().commands.len(), 2);
        assert_eq!(m.tasks().next().unwrap().line, 3);
    }

    #[test]
    fn console_blocks_run_only_prompt_lines() {
        let src = "# T\n## Look\n```console\n$ ls src\nmain.py\n$ grep -rn x \\\n  src\nsrc/a.py:1:x\n# not a command either\n```\n";
        let m = parse("m.md", src).unwrap();
        let cmds: Vec<(&str, usize, usize)> = m.phases[0].tasks[0]
            .commands
            .iter()
            .map(|c| (c.text.as_str(), c.line, c.column))
            .collect();
        assert_eq!(cmds, [("ls src", 4, 3), ("grep -rn x   src", 6, 3)]);
    }

    #[test]
    fn python_and_sql_blocks_are_not_commands() {
        let src = "# T\n## A\n```python\nimport os\n```\n```sql\nSELECT 1;\n```\n";
        let e = parse("m.md", src).unwrap_err();
        assert!(e.reason.contains("no tasks"), "{e}");
    }

    #[test]
    fn heading_numbers() {
        for (text, want) in [
            ("Task 1.1 - x", Some("1.1")),
            ("1.1 Remaining Files", Some("1.1")),
            ("🔍 PHASE 1: DEPENDENCY AUDIT", Some("1")),
            ("TASK 12: Chat", Some("12")),
            ("2. Setup", Some("2")),
            ("FILES TO EXAMINE", None),
            ("Python 3 notes", None),
            ("v2 API", None),
            ("1.x", None),
        ] {
            assert_eq!(heading_number(text).as_deref(), want, "{text}");
        }
    }

    /// Documents stitched from the lines the shapes are made of (headings
    /// with emoji and numbers, fences of every kind, prompts, sample output,
    /// continuations, CRLF): each parses or errors, never panics, and every
    /// command points at the line and column where its text starts.
    #[test]
    fn stitched_documents_parse_or_error_without_panicking() {
        const LINES: &[&str] = &[
            "# RECON MISSION: x",
            "## 🔍 PHASE 1: AUDIT",
            "### 1.1 Files",
            "### Task 2.1 - t",
            "## TASK 1: Chat",
            "#### deeper",
            "## EXECUTION",
            "```bash",
            "```console",
            "```python",
            "~~~sh",
            "~~~",
            "```",
            "$ ls",
            "$ grep -rn x \\",
            "sample output",
            "grep -rn \"é\" .\r",
            "# comment",
            "",
            "   cat a",
            "#",
            "####### seven",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut doc = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                doc.push_str(LINES[(seed % LINES.len() as u64) as usize]);
                doc.push('\n');
            }
            let lines: Vec<&str> = doc.lines().collect();
            let Ok(m) = parse("doc.md", &doc) else {
                continue;
            };
            assert!(m.tasks().next().is_some(), "{doc}");
            for c in m.tasks().flat_map(|t| &t.commands) {
                assert!(c.line >= 1 && c.line <= lines.len(), "{doc}");
                assert!(c.column >= 1, "{doc}");
                let at: String = lines[c.line - 1].chars().skip(c.column - 1).collect();
                let first_word = c.text.split_whitespace().next().unwrap_or_default();
                assert!(at.starts_with(first_word), "{doc}");
            }
        }
    }
}
