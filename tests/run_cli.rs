//! The `recon run` command line: `--skip-refused`, path hints, `--task`, the
//! text transcript, errors about the mission file and the root, and
//! determinism across thread counts and working directories.
//!
//! Wherever a command runs, its stdout, stderr and status are held to
//! `bash -c` under `LC_ALL=C`, as in `tests/parity.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::util::run::*;
use crate::util::{recon, workspace};
use serde_json::Value;

// ---------------------------------------------------------------------------
// Helpers

/// Writes `text` as `mission.md` in a fresh temporary directory.
fn mission_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("recon-cli-mission-")
        .tempdir()
        .expect("tempdir");
    let path = dir.path().join("mission.md");
    fs::write(&path, text).expect("write mission");
    (dir, path)
}

/// `recon run ARGS...` with stdin closed, output captured.
fn recon_run(args: &[&std::ffi::OsStr]) -> Finished {
    let mut cmd = recon();
    cmd.arg("run").args(args);
    run_with_timeout(&mut cmd, TIMEOUT)
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn json_of(done: &Finished, what: &str) -> Value {
    assert_eq!(
        done.code(),
        0,
        "{what}: exit {}\n--- stderr:\n{}",
        done.code(),
        done.stderr_str()
    );
    serde_json::from_slice(&done.stdout)
        .unwrap_or_else(|e| panic!("{what}: stdout is not JSON ({e}):\n{}", done.stdout_str()))
}

/// The `hints` of one command object: absent and `[]` both mean none.
fn hints_of(command: &Value) -> Vec<String> {
    match command.get("hints") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|h| {
                h.as_str()
                    .unwrap_or_else(|| panic!("a hint is not a string: {command}"))
                    .to_string()
            })
            .collect(),
        Some(other) => panic!("`hints` is not an array: {other}"),
    }
}

/// Every command object of a `recon.run/1` report, in order.
fn command_objects(report: &Value) -> Vec<&Value> {
    report["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .flat_map(|t| t["commands"].as_array().expect("commands").iter())
        .collect()
}

/// Renders a `recon.run/1` report the way the text format is documented:
/// `# TITLE`, then per task a blank line and `### Task ID - TITLE`, then per
/// command `$ COMMAND` (`CWD $ COMMAND` away from the root), its stdout, its
/// stderr (each ended by a newline if it lacks one), `[exit N]` when N is
/// not 0, and one `hint: ...` line per hint.
fn render_text_from_json(report: &Value) -> String {
    let mut out = format!("# {}\n", report["mission"].as_str().unwrap());
    for task in report["tasks"].as_array().unwrap() {
        let _ = write!(
            out,
            "\n### Task {} - {}\n",
            task["id"].as_str().unwrap(),
            task["title"].as_str().unwrap()
        );
        for c in task["commands"].as_array().unwrap() {
            let cwd = c["cwd"].as_str().unwrap();
            if cwd == "." {
                out.push('$');
            } else {
                let _ = write!(out, "{cwd} $");
            }
            let _ = writeln!(out, " {}", c["command"].as_str().unwrap());
            for stream in ["stdout", "stderr"] {
                let text = c[stream].as_str().unwrap();
                out.push_str(text);
                if !text.is_empty() && !text.ends_with('\n') {
                    out.push('\n');
                }
            }
            let status = c["status"].as_i64().unwrap();
            if status != 0 {
                let _ = writeln!(out, "[exit {status}]");
            }
            for hint in hints_of(c) {
                let _ = writeln!(out, "hint: {hint}");
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// --skip-refused

/// Allowed and refused commands mixed, over the refusal checkout (`keep.txt`,
/// `x/inside.txt`, `x.py`). The refused ones would delete or write if a shell
/// ran them. Each entry: (command, refused?).
const MIXED: &[(&str, bool)] = &[
    ("ls", false),
    ("grep -rn \"keep\" .", false),
    ("rm -rf x", true),
    ("cat keep.txt", false),
    ("echo hi > out.txt", true),
    ("cat x/inside.txt | grep -c rm", false),
    ("grep -rn $(rm -rf x) .", true),
    ("find . -name \"*.py\" -delete", true),
    ("find . -type f | xargs rm", true),
    ("grep -c keep keep.txt > out.txt", true),
    ("cd x", false),
    ("ls", false),
    ("python x.py", true),
    ("cd ..", false),
    ("cd ..", true),
    ("wc -l keep.txt x.py", false),
];

fn mixed_mission() -> String {
    let mut text = String::from(
        "# RECON MISSION: Allowed and refused\n\n## PHASE 1: Mixed\n\n### Task 1.1 - Mixed commands\n```bash\n",
    );
    for (command, _) in MIXED {
        text.push_str(command);
        text.push('\n');
    }
    text.push_str("```\n\n## PHASE 2: After\n\n### Task 2.1 - A fresh phase\n```bash\nls x\n```\n");
    text
}

#[test]
fn skip_refused_runs_the_rest_and_reports_each_refusal_in_place() {
    let root = refusal_root(false);
    let before = tree_listing(root.path());
    let (_dir, mission) = mission_file(&mixed_mission());

    let done = recon_run(&[
        os("-f"),
        mission.as_os_str(),
        os("--skip-refused"),
        os("--format"),
        os("json"),
        root.path().as_os_str(),
    ]);
    let report = json_of(&done, "recon run --skip-refused");
    let got = ran_commands(&report);
    let mut want: Vec<(&str, bool)> = MIXED.to_vec();
    want.push(("ls x", false));
    assert_eq!(
        got.iter().map(|c| c.command.as_str()).collect::<Vec<_>>(),
        want.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        "every command, refused or not, is reported in mission order"
    );
    // Refused commands never ran: nothing was deleted or written.
    assert_eq!(before, tree_listing(root.path()), "the checkout changed");

    let mut failures = String::new();
    let mut cwd = ".".to_string();
    let mut phase = 0;
    for (got, (command, refused)) in got.iter().zip(&want) {
        if got.phase != phase {
            phase = got.phase;
            cwd = ".".to_string();
        }
        if *refused {
            let mut problems = String::new();
            if got.status != 126 {
                let _ = writeln!(problems, "  status {} (want 126)", got.status);
            }
            if !got.stdout.is_empty() {
                let _ = writeln!(problems, "  stdout not empty: {:?}", got.stdout);
            }
            if !got.stderr.starts_with("refused: ") || got.stderr.trim_end().len() <= 9 {
                let _ = writeln!(problems, "  stderr not `refused: REASON`: {:?}", got.stderr);
            }
            if got.cwd != cwd {
                let _ = writeln!(problems, "  cwd {:?} (want {cwd:?})", got.cwd);
            }
            if !problems.is_empty() {
                let _ = write!(failures, "\n$ {command} (refused)\n{problems}");
            }
            continue;
        }
        let problems = bash_differences(root.path(), &cwd, got);
        if !problems.is_empty() {
            let _ = write!(failures, "\n$ {command} (cwd {cwd})\n{problems}");
        }
        if got.status == 0
            && let Some(dir) = simple_cd(command)
        {
            cwd = join_cwd(&cwd, dir);
        }
    }
    assert!(failures.is_empty(), "--skip-refused:{failures}");
}

#[test]
fn skip_refused_text_shows_refusals_with_exit_126() {
    let root = refusal_root(false);
    let (_dir, mission) = mission_file(&mixed_mission());
    let done = recon_run(&[
        os("-f"),
        mission.as_os_str(),
        os("--skip-refused"),
        root.path().as_os_str(),
    ]);
    assert_eq!(done.code(), 0, "stderr:\n{}", done.stderr_str());
    let text = done.stdout_str();
    let block = text
        .split_once("$ rm -rf x\n")
        .unwrap_or_else(|| panic!("no `$ rm -rf x` line:\n{text}"))
        .1;
    let mut lines = block.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("refused: "),
        "the refusal follows its command line: {first:?}\n{text}"
    );
    assert_eq!(lines.next(), Some("[exit 126]"), "\n{text}");
    let refusals = text.lines().filter(|l| l.starts_with("refused: ")).count();
    let expected = MIXED.iter().filter(|(_, refused)| *refused).count();
    assert_eq!(
        refusals, expected,
        "one `refused:` line per refused command\n{text}"
    );
}

#[test]
fn without_skip_refused_the_whole_mission_is_refused() {
    let root = refusal_root(false);
    let before = tree_listing(root.path());
    let (_dir, mission) = mission_file(&mixed_mission());
    for format in ["text", "json"] {
        let done = recon_run(&[
            os("-f"),
            mission.as_os_str(),
            os("--format"),
            os(format),
            root.path().as_os_str(),
        ]);
        assert_eq!(done.code(), 2, "--format {format}: {}", done.stderr_str());
        assert!(
            done.stdout.is_empty(),
            "--format {format}: nothing may run or print:\n{}",
            done.stdout_str()
        );
        let stderr = done.stderr_str();
        // The first refused command, `rm -rf x`, is line 9 of the mission.
        assert!(
            stderr.starts_with("error: 1.1 9:"),
            "--format {format}: the error names task 1.1 and line 9: {stderr}"
        );
    }
    assert_eq!(before, tree_listing(root.path()), "the checkout changed");
}

// ---------------------------------------------------------------------------
// Path hints

const FORGOT_CD: &str = "# RECON MISSION: Forgot the cd

## PHASE 1: Frontend

### Task 1.1 - Into the frontend
```bash
cd frontend
ls src/lib/stores
```

## PHASE 2: Frontend again

### Task 2.1 - Stores, from the root this time
```bash
grep -rn \"writable\" src/lib/stores/
ls -la src/lib/components/admin/charts/
grep -c \"export\" src/lib/stores/toast.ts core/auth.py
grep -rn \"nothing-matches-this\" src/lib/stores/ 2>/dev/null
```

### Task 2.2 - Commands that need no hint
```bash
ls core
grep -rn \"nothing-matches-this\" core
cat nowhere/at/all.py
```

### Task 2.3 - A file in a direct subdirectory of the root
```bash
ls settings.py
```

## PHASE 3: Back and forth

### Task 3.1 - cd, then back to the root
```bash
cd frontend/src
cd ../..
head -n 1 lib/stores/session.ts
```
";

/// (command, hint expected, a path the hint must name).
const FORGOT_CD_HINTS: &[(&str, Option<&str>)] = &[
    ("cd frontend", None),
    ("ls src/lib/stores", None),
    (
        "grep -rn \"writable\" src/lib/stores/",
        Some("frontend/src/lib/stores"),
    ),
    (
        "ls -la src/lib/components/admin/charts/",
        Some("frontend/src/lib/components/admin/charts"),
    ),
    (
        "grep -c \"export\" src/lib/stores/toast.ts core/auth.py",
        Some("frontend/src/lib/stores/toast.ts"),
    ),
    (
        "grep -rn \"nothing-matches-this\" src/lib/stores/ 2>/dev/null",
        Some("frontend/src/lib/stores"),
    ),
    ("ls core", None),
    ("grep -rn \"nothing-matches-this\" core", None),
    ("cat nowhere/at/all.py", None),
    ("ls settings.py", Some("config/settings.py")),
    ("cd frontend/src", None),
    ("cd ../..", None),
    (
        "head -n 1 lib/stores/session.ts",
        Some("frontend/src/lib/stores/session.ts"),
    ),
];

#[test]
fn path_hints_in_json_leave_the_command_output_untouched() {
    let app = fixture_app();
    let (_dir, mission) = mission_file(FORGOT_CD);
    let report = run_mission_json(Some(&mission), &app);
    let objects = command_objects(&report);
    let got = ran_commands(&report);
    assert_eq!(
        got.iter().map(|c| c.command.as_str()).collect::<Vec<_>>(),
        FORGOT_CD_HINTS.iter().map(|(c, _)| *c).collect::<Vec<_>>()
    );

    let mut failures = String::new();
    let mut cwd = ".".to_string();
    let mut phase = 0;
    for ((got, object), (command, hint)) in got.iter().zip(&objects).zip(FORGOT_CD_HINTS) {
        if got.phase != phase {
            phase = got.phase;
            cwd = ".".to_string();
        }
        let mut problems = bash_differences(&app, &cwd, got);
        let hints = hints_of(object);
        match hint {
            None if !hints.is_empty() => {
                let _ = writeln!(problems, "  unexpected hints: {hints:?}");
            }
            Some(path) if !hints.iter().any(|h| h.contains(path)) => {
                let _ = writeln!(problems, "  expected a hint naming `{path}`, got {hints:?}");
            }
            _ => {}
        }
        for stream in [&got.stdout, &got.stderr] {
            if stream.contains("hint") {
                let _ = writeln!(problems, "  a hint leaked into the output: {stream:?}");
            }
        }
        if !problems.is_empty() {
            let _ = write!(failures, "\n$ {command} (cwd {cwd})\n{problems}");
        }
        if got.status == 0
            && let Some(dir) = simple_cd(command)
        {
            cwd = join_cwd(&cwd, dir);
        }
    }
    assert!(failures.is_empty(), "path hints:{failures}");
}

#[test]
fn path_hints_in_text_follow_the_command_output() {
    let app = fixture_app();
    let (_dir, mission) = mission_file(FORGOT_CD);
    let json = run_mission_json(Some(&mission), &app);
    let done = recon_run(&[os("-f"), mission.as_os_str(), app.as_os_str()]);
    assert_eq!(done.code(), 0, "stderr:\n{}", done.stderr_str());
    let text = done.stdout_str();
    // The same transcript as the JSON, hint lines last in each command's block.
    assert_eq!(
        text,
        render_text_from_json(&json),
        "text transcript vs the JSON report"
    );
    let block = text
        .split_once("$ grep -rn \"writable\" src/lib/stores/\n")
        .unwrap_or_else(|| panic!("command line missing:\n{text}"))
        .1;
    let lines: Vec<&str> = block.lines().take(3).collect();
    assert_eq!(
        lines.first().copied(),
        Some("grep: src/lib/stores/: No such file or directory"),
        "\n{text}"
    );
    assert_eq!(lines.get(1).copied(), Some("[exit 2]"), "\n{text}");
    assert!(
        lines
            .get(2)
            .is_some_and(|l| l.starts_with("hint: ") && l.contains("frontend/src/lib/stores")),
        "a `hint:` line after the output:\n{text}"
    );
    let hint_lines = text.lines().filter(|l| l.starts_with("hint: ")).count();
    let expected = FORGOT_CD_HINTS.iter().filter(|(_, h)| h.is_some()).count();
    assert_eq!(
        hint_lines, expected,
        "one hint line per failing command\n{text}"
    );
}

/// The issue's own example: a phase that forgot its `cd frontend` runs the
/// seed's phase-7 commands from the root. Those are pipelines into `head`,
/// so the command's status is head's 0 while grep failed on a missing path;
/// and a `cd` into a path that only exists under `frontend/` fails too. Each
/// deserves the hint, and the output must stay bash's.
const FORGOT_CD_SEED_SHAPES: &str = "# RECON MISSION: Forgot the cd, seed-shaped

## PHASE 1: Frontend

### Task 1.1 - Existing Admin Routes
```bash
cd frontend
ls -la src/routes/admin/
```

## PHASE 2: The next phase, from the root

### Task 2.1 - WebSocket Message Types
```bash
grep -rn \"type.*:\\|msg\\.type\\|data\\.type\" src/lib/stores/ | head -30
```

### Task 2.2 - Toast/Notification System
```bash
grep -rn \"toast\\|notify\\|alert\" src/lib/ | head -20
cat src/lib/stores/session.ts | wc -l
```

### Task 2.3 - cd into the wrong place
```bash
cd src/lib
```
";

#[test]
fn path_hints_cover_pipelines_into_head_and_a_failing_cd() {
    let app = fixture_app();
    let (_dir, mission) = mission_file(FORGOT_CD_SEED_SHAPES);
    let report = run_mission_json(Some(&mission), &app);
    let objects = command_objects(&report);
    let got = ran_commands(&report);
    let expected: &[(&str, Option<&str>)] = &[
        ("cd frontend", None),
        ("ls -la src/routes/admin/", None),
        (
            "grep -rn \"type.*:\\|msg\\.type\\|data\\.type\" src/lib/stores/ | head -30",
            Some("frontend/src/lib/stores"),
        ),
        (
            "grep -rn \"toast\\|notify\\|alert\" src/lib/ | head -20",
            Some("frontend/src/lib"),
        ),
        (
            "cat src/lib/stores/session.ts | wc -l",
            Some("frontend/src/lib/stores/session.ts"),
        ),
        ("cd src/lib", Some("frontend/src/lib")),
    ];
    assert_eq!(
        got.iter().map(|c| c.command.as_str()).collect::<Vec<_>>(),
        expected.iter().map(|(c, _)| *c).collect::<Vec<_>>()
    );
    let mut failures = String::new();
    let mut cwd = ".".to_string();
    let mut phase = 0;
    for ((got, object), (command, hint)) in got.iter().zip(&objects).zip(expected) {
        if got.phase != phase {
            phase = got.phase;
            cwd = ".".to_string();
        }
        let mut problems = bash_differences(&app, &cwd, got);
        let hints = hints_of(object);
        match hint {
            None if !hints.is_empty() => {
                let _ = writeln!(problems, "  unexpected hints: {hints:?}");
            }
            Some(path) if !hints.iter().any(|h| h.contains(path)) => {
                let _ = writeln!(problems, "  expected a hint naming `{path}`, got {hints:?}");
            }
            _ => {}
        }
        if !problems.is_empty() {
            let _ = write!(
                failures,
                "\n$ {command} (cwd {cwd}, status {})\n{problems}",
                got.status
            );
        }
        if got.status == 0
            && let Some(dir) = simple_cd(command)
        {
            cwd = join_cwd(&cwd, dir);
        }
    }
    assert!(failures.is_empty(), "path hints:{failures}");
}

// ---------------------------------------------------------------------------
// --task

fn seed_task(task: &str) -> Value {
    let app = fixture_app();
    let done = recon_run(&[
        os("--task"),
        os(task),
        os("--format"),
        os("json"),
        app.as_os_str(),
    ]);
    json_of(&done, &format!("recon run --task {task}"))
}

#[test]
fn task_runs_one_task() {
    let app = fixture_app();
    let report = seed_task("7.1");
    let tasks = report["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "{report}");
    assert_eq!(tasks[0]["id"], "7.1");
    assert_eq!(tasks[0]["phase"], 7);
    assert_eq!(tasks[0]["title"], "Existing Admin Routes");
    let got = ran_commands(&report);
    assert_eq!(
        got.iter()
            .map(|c| (c.command.as_str(), c.cwd.as_str()))
            .collect::<Vec<_>>(),
        [
            ("cd frontend", "."),
            ("ls -la src/routes/admin/", "frontend")
        ]
    );
    assert_eq!(bash_differences(&app, "frontend", &got[1]), "");
    assert_eq!(got[1].status, 0);
}

#[test]
fn task_applies_the_earlier_cds_of_its_phase() {
    let app = fixture_app();
    for task in ["7.2", "7.3", "7.4"] {
        let report = seed_task(task);
        let got = ran_commands(&report);
        assert_eq!(got.len(), 1, "{task}: {report}");
        assert_eq!(got[0].task_id, task);
        assert_eq!(got[0].cwd, "frontend", "task {task} runs after 7.1's cd");
        assert_eq!(
            bash_differences(&app, "frontend", &got[0]),
            "",
            "task {task}"
        );
        assert!(!got[0].stdout.is_empty(), "task {task} prints nothing");
    }
    // A later phase starts at the root again.
    let got = ran_commands(&seed_task("8.1"));
    assert_eq!(got[0].cwd, ".");
    // The same in a mission of our own: 6.2 runs inside 6.1's `cd frontend`.
    let mission = mission_path("session_map.md");
    let done = recon_run(&[
        os("-f"),
        mission.as_os_str(),
        os("--task"),
        os("6.2"),
        os("--format"),
        os("json"),
        app.as_os_str(),
    ]);
    let got = ran_commands(&json_of(&done, "session_map --task 6.2"));
    assert!(!got.is_empty());
    for c in &got {
        assert_eq!(c.task_id, "6.2");
        assert_eq!(c.cwd, "frontend", "{}", c.command);
    }
}

#[test]
fn task_that_does_not_exist_is_an_error() {
    let done = recon_run(&[os("--task"), os("9.9"), fixture_app().as_os_str()]);
    assert_eq!(done.code(), 2);
    assert!(done.stdout.is_empty(), "{}", done.stdout_str());
    let stderr = done.stderr_str();
    assert!(
        stderr.starts_with("error: ") && stderr.contains("9.9"),
        "{stderr}"
    );
    // Named by the mission, not by a meaningless 0:0 position.
    assert!(
        stderr.starts_with("error: RECON_OBSERVABILITY_PHASE2.md: no task `9.9`"),
        "{stderr}"
    );
}

/// With `-f`, the unknown task is reported against that mission file, by
/// the path given, in one line; nothing runs.
#[test]
fn task_that_does_not_exist_names_the_given_mission_file() {
    let mission = mission_path("edge.md");
    let done = recon_run(&[
        os("-f"),
        mission.as_os_str(),
        os("--task"),
        os("9.9"),
        fixture_app().as_os_str(),
    ]);
    assert_eq!(done.code(), 2, "{}", done.stderr_str());
    assert!(done.stdout.is_empty(), "{}", done.stdout_str());
    let stderr = done.stderr_str();
    assert_eq!(
        stderr,
        format!(
            "error: {}: no task `9.9` in the mission\n",
            mission.display()
        ),
    );
    assert!(!stderr.contains("0:0"), "{stderr}");
}

// ---------------------------------------------------------------------------
// --format text

#[test]
fn text_format_layout_for_one_task() {
    let app = fixture_app();
    let done = recon_run(&[os("--task"), os("7.1"), app.as_os_str()]);
    assert_eq!(done.code(), 0, "{}", done.stderr_str());
    let (ls, _, status) = bash_oracle(&app, "frontend", "ls -la src/routes/admin/");
    assert_eq!(status, 0);
    let expected = format!(
        "# RECON MISSION: Phase 2 Observability - Tracing, Logs, Alerts\n\
         \n\
         ### Task 7.1 - Existing Admin Routes\n\
         $ cd frontend\n\
         frontend $ ls -la src/routes/admin/\n\
         {}",
        String::from_utf8_lossy(&ls)
    );
    assert_eq!(done.stdout_str(), expected);
}

/// The text transcript of a whole mission is the JSON report rendered: task
/// headers, `$ command` lines, output, `[exit N]` for failures.
#[test]
fn text_format_matches_the_json_report() {
    let app = fixture_app();
    for mission in [None, Some(mission_path("session_map.md"))] {
        let json = run_mission_json(mission.as_deref(), &app);
        let mut args = Vec::new();
        if let Some(m) = &mission {
            args.push(os("-f"));
            args.push(m.as_os_str());
        }
        args.push(app.as_os_str());
        let done = recon_run(&args);
        assert_eq!(done.code(), 0, "{}", done.stderr_str());
        let text = done.stdout_str();
        assert_eq!(text, render_text_from_json(&json), "{mission:?}");
        if mission.is_some() {
            // `ls core/*.rb` matches nothing: ls fails with status 2.
            let block = text.split_once("$ ls core/*.rb\n").unwrap().1;
            assert!(
                block.starts_with(
                    "ls: cannot access 'core/*.rb': No such file or directory\n[exit 2]\n"
                ),
                "{block}"
            );
            assert!(text.contains(
                "\n### Task 6.1 - The session store\n$ cd frontend\nfrontend $ ls src/lib/stores\n"
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// Errors about the mission file and the root

#[test]
fn missing_mission_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-mission.md");
    for format in ["text", "json"] {
        let done = recon_run(&[
            os("-f"),
            missing.as_os_str(),
            os("--format"),
            os(format),
            fixture_app().as_os_str(),
        ]);
        assert_eq!(done.code(), 2, "{format}");
        assert!(done.stdout.is_empty(), "{format}: {}", done.stdout_str());
        let stderr = done.stderr_str();
        assert!(
            stderr.starts_with("error: ") && stderr.contains("no-such-mission.md"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn missing_root_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-root");
    let file = fixture_app().join("requirements.txt");
    for root in [missing.as_path(), file.as_path()] {
        for mission in [None, Some(mission_path("session_map.md"))] {
            let mut args = Vec::new();
            if let Some(m) = &mission {
                args.push(os("-f"));
                args.push(m.as_os_str());
            }
            args.push(os("--format"));
            args.push(os("json"));
            args.push(root.as_os_str());
            let done = recon_run(&args);
            assert_eq!(done.code(), 2, "{}", root.display());
            assert!(done.stdout.is_empty(), "{}", done.stdout_str());
            let stderr = done.stderr_str();
            let name = root.file_name().unwrap().to_str().unwrap();
            assert!(
                stderr.starts_with("error: ") && stderr.contains(name),
                "root {}: {stderr}",
                root.display()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Determinism

/// One thread or many, from any working directory, with an absolute or a
/// relative root: the same bytes.
#[test]
fn output_is_the_same_whatever_the_threads_and_the_cwd() {
    let app = fixture_app();
    let workspace = workspace();
    for mission in [None, Some(mission_path("session_map.md"))] {
        for format in ["text", "json"] {
            let run = |threads: Option<&str>, cwd: &Path, root: &Path| {
                let mut cmd = recon();
                cmd.arg("run");
                if let Some(m) = &mission {
                    cmd.arg("-f").arg(m);
                }
                cmd.arg("--format").arg(format).arg(root).current_dir(cwd);
                match threads {
                    Some(n) => cmd.env("RAYON_NUM_THREADS", n),
                    None => cmd.env_remove("RAYON_NUM_THREADS"),
                };
                let done = run_with_timeout(&mut cmd, TIMEOUT);
                assert_eq!(done.code(), 0, "{}", done.stderr_str());
                done.stdout
            };
            let label = format!("{mission:?} --format {format}");
            let default = run(None, &workspace, &app);
            assert!(!default.is_empty(), "{label}");
            assert!(
                default == run(Some("1"), &workspace, &app),
                "{label}: RAYON_NUM_THREADS=1 differs from the default"
            );
            assert!(
                default == run(Some("4"), &workspace, &app),
                "{label}: RAYON_NUM_THREADS=4 differs from the default"
            );
            assert!(
                default == run(None, Path::new("/"), &app),
                "{label}: running from / differs"
            );
            assert!(
                default == run(None, &workspace, Path::new("fixtures/app")),
                "{label}: a relative root differs"
            );
        }
    }
}

/// `recon run MISSION.md` (the mission where the checkout goes) says how to
/// give a mission, exits 2 and runs nothing.
#[test]
fn a_mission_given_as_the_checkout_is_explained() {
    let (_dir, path) = mission_file("## PHASE 1: p\n\n### Task 1.1 - t\n\n```bash\nls\n```\n");
    let done = recon_run(&[os("--list"), path.as_os_str()]);
    assert_eq!(done.code(), 2);
    assert!(done.stdout.is_empty());
    let shown = path.display().to_string();
    assert_eq!(
        done.stderr_str(),
        format!(
            "error: {shown}: not a directory (PATH is the checkout to run in; to run this file as the mission: recon run -f {shown} [PATH])\n"
        )
    );
}
