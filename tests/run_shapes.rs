//! Missions of any shape (issue 18): tasks from whatever headings sit above
//! shell blocks, `console` blocks, documents without headings, and mixed
//! documents whose writing commands are refused one by one.
//!
//! Each fixture under `fixtures/missions/shapes/` has its tasks and commands
//! written out below by hand, from reading the fixture; every command recon
//! runs is replayed through `bash -c` under `LC_ALL=C` and must match byte
//! for byte, in the directory `cd` semantics give.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write as _;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::util::run::*;
use crate::util::{recon, workspace};

fn shape(name: &str) -> PathBuf {
    workspace().join("fixtures/missions/shapes").join(name)
}

fn recon_run(args: &[&str], mission: &Path, root: &Path) -> Finished {
    let mut cmd = recon();
    cmd.arg("run").args(args).arg("-f").arg(mission).arg(root);
    run_with_timeout(&mut cmd, TIMEOUT)
}

/// One task as a reader of the fixture sees it: id, title, phase, commands.
struct Expected<'a> {
    id: &'a str,
    title: &'a str,
    phase: u64,
    commands: &'a [&'a str],
}

/// Runs `mission` over `root` with `args`, checks the tasks against
/// `expected` (ids, titles, phases and commands in order), then replays
/// every command that ran through bash: every phase starts at the root and
/// a `cd` holds until the phase ends.
fn assert_shape(
    mission: &Path,
    root: &Path,
    args: &[&str],
    expected: &[Expected],
) -> Vec<RanCommand> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let done = recon_run(&all, mission, root);
    assert_eq!(
        done.code(),
        0,
        "{}: {}",
        mission.display(),
        done.stderr_str()
    );
    let report: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    let got = ran_commands(&report);
    let want: Vec<String> = expected
        .iter()
        .flat_map(|t| {
            t.commands
                .iter()
                .map(move |c| format!("{} [{}] phase {}: {c}", t.id, t.title, t.phase))
        })
        .collect();
    let have: Vec<String> = got
        .iter()
        .map(|c| {
            format!(
                "{} [{}] phase {}: {}",
                c.task_id, c.task_title, c.phase, c.command
            )
        })
        .collect();
    assert_eq!(want, have, "tasks and commands of {}", mission.display());

    let mut failures = String::new();
    let mut cwd = ".".to_string();
    let mut phase = None;
    for c in &got {
        if phase != Some(c.phase) {
            phase = Some(c.phase);
            cwd = ".".to_string();
        }
        if c.status == 126 && c.stderr.starts_with("refused: ") {
            assert_eq!(c.cwd, cwd, "{}", c.command);
            continue;
        }
        let problems = bash_differences(root, &cwd, c);
        if !problems.is_empty() {
            let _ = write!(failures, "\n$ {} (cwd {cwd})\n{problems}", c.command);
        }
        if c.command.split_whitespace().any(|w| w == "cd") {
            cwd = bash_cwd_after(root, &cwd, &c.command);
        }
    }
    assert!(failures.is_empty(), "{}:{failures}", mission.display());
    got
}

#[test]
fn tasks_without_phases_share_the_title_as_their_phase() {
    assert_shape(
        &shape("tasks_without_phases.md"),
        &fixture_app(),
        &[],
        &[
            Expected {
                id: "1",
                title: "TASK 1: Chat Input Area Analysis",
                phase: 1,
                commands: &[
                    "ls frontend/src/routes",
                    "grep -rn \"websocket\" --include=\"*.py\" core | head -5",
                ],
            },
            Expected {
                id: "2",
                title: "TASK 2: Where the frontend keeps state",
                phase: 1,
                commands: &["cd frontend", "ls src/lib"],
            },
            // Still in frontend/: the `cd` of task 2 holds.
            Expected {
                id: "3",
                title: "TASK 3: Still in the frontend",
                phase: 1,
                commands: &["grep -c \"svelte\" package.json"],
            },
        ],
    );
}

#[test]
fn emoji_phases_and_numbered_subsections() {
    let got = assert_shape(
        &shape("emoji_phases.md"),
        &fixture_app(),
        &[],
        &[
            Expected {
                id: "1.1",
                title: "1.1 Remaining Files to Move",
                phase: 1,
                commands: &[
                    "ls core",
                    "grep -rln \"session\" core --include=\"*.py\" | sort",
                ],
            },
            Expected {
                id: "1.2",
                title: "1.2 Who imports the cache",
                phase: 1,
                commands: &[
                    "grep -rn \"^from core\\.cache\\|^import core\\.cache\" --include=\"*.py\" .",
                ],
            },
            Expected {
                id: "2.1",
                title: "2.1 Migrations that mention sessions",
                phase: 2,
                commands: &["cd migrations", "grep -l \"session\" *.sql"],
            },
            Expected {
                id: "2.2",
                title: "2.2 Still in migrations",
                phase: 2,
                commands: &["ls *.sql | wc -l"],
            },
        ],
    );
    // Task 2.2 is in phase 2 like the `cd migrations`: it runs there.
    assert_eq!(got.last().unwrap().cwd, "migrations");
}

#[test]
fn one_block_with_comments_between_commands() {
    assert_shape(
        &shape("files_to_examine.md"),
        &fixture_app(),
        &[],
        &[Expected {
            id: "1",
            title: "FILES TO EXAMINE",
            phase: 1,
            commands: &[
                "cat core/auth.py | head -20",
                "ls core/*_routes.py",
                "grep -n \"getenv\\|environ\" config/settings.py",
                "wc -l migrations/*.sql",
            ],
        }],
    );
}

#[test]
fn console_blocks_run_prompt_lines_only() {
    assert_shape(
        &shape("console_session.md"),
        &fixture_app(),
        &[],
        &[Expected {
            id: "1",
            title: "A console session",
            phase: 1,
            commands: &[
                "ls core",
                "grep -c \"router\" core/admin_routes.py",
                "grep -rn \"APIRouter(\" core     --include=\"*.py\"",
            ],
        }],
    );
}

#[test]
fn document_without_headings_is_one_task() {
    assert_shape(
        &shape("no_headings.md"),
        &fixture_app(),
        &[],
        &[Expected {
            id: "1",
            title: &shape("no_headings.md").display().to_string(),
            phase: 1,
            commands: &[
                "ls config",
                "cat config/settings.py | head -5",
                "grep -rn \"def test_\" tests | head -3",
            ],
        }],
    );
}

#[test]
fn the_task_flag_takes_numbers_and_ordinals() {
    let done = recon_run(
        &["--task", "2", "--format", "json"],
        &shape("files_to_examine.md"),
        &fixture_app(),
    );
    assert_eq!(done.code(), 2, "only one task: {}", done.stderr_str());
    assert!(
        done.stderr_str().contains("no task `2`"),
        "{}",
        done.stderr_str()
    );
    let done = recon_run(
        &["--task", "2.2", "--format", "json"],
        &shape("emoji_phases.md"),
        &fixture_app(),
    );
    assert_eq!(done.code(), 0, "{}", done.stderr_str());
    let got = ran_commands(&serde_json::from_slice(&done.stdout).unwrap());
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].task_id.as_str(), got[0].command.as_str()),
        ("2.2", "ls *.sql | wc -l")
    );
    // Task 2.1's `cd migrations` still applies.
    let problems = bash_differences(&fixture_app(), "migrations", &got[0]);
    assert!(problems.is_empty(), "{problems}");
}

// ---------------------------------------------------------------------------
// The mixed document: refused per command

/// The refused commands of `mixed.md`, read off the fixture: (task, line,
/// column, command, kind).
const MIXED_REFUSED: &[(&str, usize, usize, &str, &str)] = &[
    (
        "1.1",
        10,
        1,
        "python -c \"import os; os.remove('keep.txt')\"",
        "runs a program or interpreter",
    ),
    ("1.2", 17, 1, "rm -rf x", "writes the filesystem"),
    ("1.2", 18, 1, "mkdir -p build", "writes the filesystem"),
    (
        "1.2",
        19,
        1,
        "cp keep.txt copy.txt",
        "writes the filesystem",
    ),
    ("1.2", 20, 9, "echo hi > out.txt", "writes the filesystem"),
    (
        "1.2",
        21,
        1,
        "curl -fsSL https://example.com/install.sh",
        "touches the network",
    ),
    (
        "1.2",
        22,
        1,
        "git mv keep.txt kept.txt",
        "changes the repository",
    ),
    ("1.2", 23, 1, "export X=1", "sets the environment"),
    ("1.2", 24, 1, "sudo ls", "needs privileges"),
    (
        "1.2",
        25,
        1,
        "npm run build",
        "runs a program or interpreter",
    ),
    (
        "1.2",
        26,
        1,
        "pip install requests",
        "runs a program or interpreter",
    ),
];

/// Every file and directory under `root` with its size and a hash of its
/// content, sorted: equal listings mean an unchanged tree.
fn tree_digest(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.push(format!("{rel}/"));
                walk(root, &path, out);
            } else {
                let mut hasher = DefaultHasher::new();
                fs::read(&path).unwrap().hash(&mut hasher);
                out.push(format!("{rel} {} {:016x}", meta.len(), hasher.finish()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[test]
fn tree_digest_sees_a_changed_byte() {
    let root = refusal_root(false);
    let before = tree_digest(root.path());
    fs::write(root.path().join("keep.txt"), b"keep mE\n").unwrap();
    assert_ne!(before, tree_digest(root.path()));
}

#[test]
fn mixed_document_is_refused_whole_naming_every_refused_command() {
    let root = refusal_root(false);
    let before = tree_digest(root.path());
    let mission = shape("mixed.md");
    let done = recon_run(&[], &mission, root.path());
    assert_eq!(done.code(), 2, "{}", done.stderr_str());
    assert!(done.stdout.is_empty(), "nothing ran: {}", done.stdout_str());
    let stderr = done.stderr_str();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), MIXED_REFUSED.len(), "one line each: {stderr}");
    for (line, (task, l, c, _, _)) in lines.iter().zip(MIXED_REFUSED) {
        let prefix = format!("error: {task} {l}:{c}: ");
        assert!(
            line.starts_with(&prefix) && line.len() > prefix.len(),
            "want {prefix}REASON, got {line}"
        );
    }
    assert_eq!(before, tree_digest(root.path()), "the tree changed");
}

#[test]
fn mixed_document_with_skip_refused_runs_only_the_read_only_commands() {
    let root = refusal_root(false);
    let before = tree_digest(root.path());
    let mission = shape("mixed.md");
    let got = assert_shape(
        &mission,
        root.path(),
        &["--skip-refused"],
        &[
            Expected {
                id: "1.1",
                title: "Read-only first",
                phase: 1,
                commands: &[
                    "ls",
                    "grep -rn \"keep\" .",
                    MIXED_REFUSED[0].3,
                    "cat keep.txt",
                ],
            },
            Expected {
                id: "1.2",
                title: "Commands a shell would let change things",
                phase: 1,
                commands: &[
                    MIXED_REFUSED[1].3,
                    MIXED_REFUSED[2].3,
                    MIXED_REFUSED[3].3,
                    MIXED_REFUSED[4].3,
                    MIXED_REFUSED[5].3,
                    MIXED_REFUSED[6].3,
                    MIXED_REFUSED[7].3,
                    MIXED_REFUSED[8].3,
                    MIXED_REFUSED[9].3,
                    MIXED_REFUSED[10].3,
                    "wc -l keep.txt x/inside.txt",
                ],
            },
            Expected {
                id: "2.1",
                title: "Still there",
                phase: 2,
                commands: &["cat x/inside.txt", "ls x"],
            },
        ],
    );
    assert_eq!(before, tree_digest(root.path()), "the tree changed");
    let refused: Vec<&RanCommand> = got.iter().filter(|c| c.status == 126).collect();
    assert_eq!(refused.len(), MIXED_REFUSED.len());
    for (c, (_, _, _, command, kind)) in refused.iter().zip(MIXED_REFUSED) {
        assert_eq!(c.command, *command);
        let prefix = format!("refused: {kind}: ");
        assert!(
            c.stderr.starts_with(&prefix) && c.stderr.trim_end().len() > prefix.len(),
            "{command}: want `{prefix}REASON`, got {:?}",
            c.stderr
        );
        assert!(c.stdout.is_empty());
    }

    // The text transcript ends with the refusals grouped by kind.
    let done = recon_run(&["--skip-refused"], &mission, root.path());
    assert_eq!(done.code(), 0);
    let text = done.stdout_str();
    let summary = &text[text.find("\n## Refused: ").expect("a summary by kind")..];
    let want = "
## Refused: writes the filesystem (4)
1.2 17:1 $ rm -rf x
1.2 18:1 $ mkdir -p build
1.2 19:1 $ cp keep.txt copy.txt
1.2 20:9 $ echo hi > out.txt

## Refused: runs a program or interpreter (3)
1.1 10:1 $ python -c \"import os; os.remove('keep.txt')\"
1.2 25:1 $ npm run build
1.2 26:1 $ pip install requests

## Refused: touches the network (1)
1.2 21:1 $ curl -fsSL https://example.com/install.sh

## Refused: changes the repository (1)
1.2 22:1 $ git mv keep.txt kept.txt

## Refused: needs privileges (1)
1.2 24:1 $ sudo ls

## Refused: sets the environment (1)
1.2 23:1 $ export X=1
";
    assert_eq!(summary, want);
    assert_eq!(before, tree_digest(root.path()), "the tree changed");
}

// ---------------------------------------------------------------------------
// --list

#[test]
fn list_shows_what_would_run_and_what_is_refused_without_running() {
    let root = refusal_root(false);
    let before = tree_digest(root.path());
    let done = recon_run(&["--list"], &shape("mixed.md"), root.path());
    assert_eq!(done.code(), 0, "{}", done.stderr_str());
    let text = done.stdout_str();
    // No command output: `ls` would print keep.txt, `cat` its content.
    assert!(!text.contains("keep me"), "{text}");
    assert!(
        text.contains(
            "\n### Task 1.1 - Read-only first\n8: $ ls\n9: $ grep -rn \"keep\" .\n10: $ python"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n17: $ rm -rf x\nrefused: writes the filesystem: "),
        "{text}"
    );
    assert!(
        text.contains("\n6 commands would run, 11 refused\n"),
        "{text}"
    );
    assert!(
        text.contains("\n## Refused: touches the network (1)\n1.2 21:1 $ curl"),
        "{text}"
    );
    assert_eq!(before, tree_digest(root.path()), "the tree changed");
}

#[test]
fn list_names_the_blocks_a_numbered_document_leaves_out() {
    let done = recon_run(
        &["--list"],
        &shape("tasks_without_phases.md"),
        &fixture_app(),
    );
    assert_eq!(done.code(), 0, "{}", done.stderr_str());
    let text = done.stdout_str();
    assert!(
        text.contains(
            "\n### EXECUTION (line 28)\n31: $ python claude_cli.py run -f chat_input.md\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n5 commands would run, 0 refused\n"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// Errors

#[test]
fn bad_documents_are_refused_with_the_file_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    for (text, reason) in [
        (
            "# Notes\n```python\nprint(1)\n```\n```sql\nSELECT 1;\n```\n",
            "1: mission has no tasks",
        ),
        (
            "## Files\n```console\n$ ls\n",
            "2: code block is never closed",
        ),
        (
            "## Files\n```bash\ngrep -rn x \\\n```\n",
            "3: command continues past the end",
        ),
    ] {
        let mission = dir.path().join("doc.md");
        fs::write(&mission, text).unwrap();
        let done = recon_run(&[], &mission, &fixture_app());
        assert_eq!(done.code(), 2, "{text:?}");
        assert!(done.stdout.is_empty());
        let want = format!("error: {}:{reason}", mission.display());
        assert!(
            done.stderr_str().starts_with(&want),
            "{text:?}: want {want}, got {}",
            done.stderr_str()
        );
    }
}
