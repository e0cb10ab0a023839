//! Hostile and malformed missions: each is refused before anything runs
//! (exit 2, one `error:` line naming the task or file and the reason,
//! nothing on stdout, nothing written), and huge ones still plan quickly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Output;

use crate::util::recon;

/// A checkout with a file or two, and a mission file beside it (outside).
struct Setup {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    mission: std::path::PathBuf,
}

fn setup(mission: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join("core")).unwrap();
    std::fs::write(
        root.join("core/main.py"),
        "import logging\nlogger = logging.getLogger(__name__)\n",
    )
    .unwrap();
    let mission_path = dir.path().join("mission.md");
    std::fs::write(&mission_path, mission).unwrap();
    Setup {
        _dir: dir,
        root,
        mission: mission_path,
    }
}

fn listing(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(root);
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        out.push(e.path().display().to_string());
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()));
        }
    }
    out
}

fn run(s: &Setup) -> Output {
    recon()
        .arg("run")
        .arg("-f")
        .arg(&s.mission)
        .arg(&s.root)
        .output()
        .unwrap()
}

fn task(commands: &str) -> String {
    format!("# Hostile\n\n## PHASE 1: x\n\n### Task 1.1 - t\n```bash\n{commands}\n```\n")
}

/// Refused: exit 2, empty stdout, one error line containing `needle`, and
/// the checkout unchanged.
fn assert_refused(mission: &str, needle: &str) {
    let s = setup(mission);
    let before = listing(s.root.parent().unwrap());
    let out = run(&s);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in {stderr}");
    assert_eq!(
        listing(s.root.parent().unwrap()),
        before,
        "nothing may be written"
    );
}

#[test]
fn command_chains_into_other_programs_are_refused() {
    assert_refused(
        &task("grep -rn x; rm -rf core"),
        "1.1 7:13: `rm` is not a supported program",
    );
    assert_refused(
        &task("ls && touch created"),
        "`touch` is not a supported program",
    );
    assert_refused(
        &task("grep x core/main.py | tee out.txt"),
        "`tee` is not a supported program",
    );
}

#[test]
fn unknown_flags_are_refused() {
    assert_refused(
        &task("grep -P 'x' core/main.py"),
        "grep: unsupported option `-P`",
    );
    assert_refused(
        &task("ls --color=always"),
        "ls: unsupported option `--color`",
    );
    assert_refused(&task("find . -delete"), "`-delete` is not supported");
    assert_refused(&task("find . -exec cat {} +"), "`-exec` is not supported");
}

#[test]
fn writes_and_escapes_are_refused() {
    assert_refused(
        &task("grep x core/main.py >> log.txt"),
        "recon never writes",
    );
    assert_refused(&task("cat core/main.py > copy.py"), "recon never writes");
    assert_refused(&task("cat ../../etc/passwd"), "leaves the checkout");
    assert_refused(&task("grep -r x /etc"), "outside the checkout");
    assert_refused(&task("cd / && ls"), "outside the checkout");
    assert_refused(&task("find .. -name x"), "leaves the checkout");
    assert_refused(&task("ls ../*"), "leaves the checkout");
}

#[test]
fn expansions_are_refused() {
    assert_refused(&task("cat $(echo core/main.py)"), "command substitution");
    assert_refused(&task("grep `whoami` core/main.py"), "backticks");
    assert_refused(&task("grep \"$USER\" core/main.py"), "variables");
    assert_refused(&task("X=1 grep x core/main.py"), "variable assignments");
    assert_refused(&task("grep x core/main.py &"), "background");
    assert_refused(&task("(cd core && ls)"), "subshells");
    assert_refused(&task("grep x <core/main.py"), "input redirection");
}

#[test]
fn malformed_missions_are_refused_with_the_file_and_line() {
    assert_refused(
        "# M\n## PHASE 1: x\n### Task 1.1 - t\n```bash\ngrep x core\n",
        "mission.md:4: code block is never closed",
    );
    assert_refused("# M\n\nNo phases here.\n", "mission has no tasks");
    assert_refused(
        &task("grep 'unterminated core/main.py"),
        "unterminated single quote",
    );
    assert_refused(&task("ls |"), "syntax error");
}

#[test]
fn a_missing_mission_file_is_named() {
    let out = recon()
        .args(["run", "-f", "/definitely/not/here.md", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("/definitely/not/here.md: No such file or directory")
    );
}

#[test]
fn a_huge_mission_of_ten_thousand_tasks_runs() {
    let mut mission = String::from("# Huge\n\n## PHASE 1: many\n");
    for i in 0..10_000 {
        mission.push_str(&format!(
            "\n### Task 1.{i} - t{i}\n```bash\ngrep -c logger core/main.py\n```\n"
        ));
    }
    let s = setup(&mission);
    let out = recon()
        .arg("run")
        .arg("--format")
        .arg("json")
        .arg("-f")
        .arg(&s.mission)
        .arg(&s.root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tasks = json["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 10_000);
    assert!(tasks.iter().all(|t| t["commands"][0]["stdout"] == "1\n"));
}

#[test]
fn a_huge_mission_with_one_bad_command_is_refused_whole() {
    let mut mission = String::from("# Huge\n\n## PHASE 1: many\n");
    for i in 0..10_000 {
        let cmd = if i == 9_999 {
            "rm core/main.py"
        } else {
            "grep -c logger core/main.py"
        };
        mission.push_str(&format!("\n### Task 1.{i} - t{i}\n```bash\n{cmd}\n```\n"));
    }
    assert_refused(&mission, "1.9999");
}

/// 100k nested groups in a pattern overflowed the translator's stack (an
/// abort); now the pattern is refused before anything runs.
#[test]
fn deeply_nested_patterns_are_refused() {
    let deep_ere = format!(
        "grep -E '{}a{}' .",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    assert_refused(&task(&deep_ere), "1.1 7:1: groups nested deeper than 1000");
    let deep_bre = format!(
        "grep '{}a{}' .",
        "\\(".repeat(100_000),
        "\\)".repeat(100_000)
    );
    assert_refused(&task(&deep_bre), "groups nested deeper than 1000");
}

/// 100k nested `!` or `\(` in a find expression overflowed the parser's
/// stack (an abort); now such expressions are refused before anything runs.
#[test]
fn huge_find_expressions_are_refused() {
    let reason = "find: expression longer than 10000 terms or nested deeper than 1000";
    let nots = format!("find . {}-name x", "! ".repeat(100_000));
    assert_refused(&task(&nots), reason);
    let parens = format!(
        "find . {}-name x {}",
        "\\( ".repeat(100_000),
        "\\) ".repeat(100_000)
    );
    assert_refused(&task(&parens), reason);
    let ors = format!("find . {}", vec!["-name x"; 100_000].join(" -o "));
    assert_refused(&task(&ors), reason);
}
