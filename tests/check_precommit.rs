//! End to end with the real pre-commit framework: a temporary git
//! repository whose `.pre-commit-config.yaml` points at this checkout
//! (`repo:` its path, `rev:` its `HEAD`), so pre-commit clones the committed
//! HEAD and builds it with `cargo install --path .` (`language: rust`).
//!
//! Slow (a release build of recon on the first run), so it is ignored by
//! default; CI runs it explicitly:
//!
//! ```text
//! cargo test --release --test tests -- --ignored check_precommit::
//! ```
//!
//! pre-commit must be installed (`.ci/run` does `python3 -m pip install
//! pre-commit`). It tests what `HEAD` holds, not the working tree;
//! `RECON_PRECOMMIT_REPO=/path/to/a/clone` points it at another repository.
//! `PRE_COMMIT_HOME` is a temporary directory, so every run builds the hook
//! environment afresh; `CARGO_TARGET_DIR` is `target/precommit-e2e` of this
//! checkout, so the build is incremental from one run to the next.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::workspace;

/// How to run pre-commit: `pre-commit` on PATH, else `python3 -m pre_commit`.
fn pre_commit() -> Vec<String> {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works("pre-commit", &[]) {
        return vec!["pre-commit".into()];
    }
    if works("python3", &["-m", "pre_commit"]) {
        return vec!["python3".into(), "-m".into(), "pre_commit".into()];
    }
    panic!(
        "pre-commit is not installed: neither `pre-commit` nor `python3 -m pre_commit` runs \
         (.ci/run installs it with `python3 -m pip install pre-commit`)"
    );
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

struct Env {
    repo: tempfile::TempDir,
    home: tempfile::TempDir,
    command: Vec<String>,
}

impl Env {
    fn run(&self, program: &[String], args: &[&str]) -> (i32, String) {
        let target = workspace().join("target/precommit-e2e");
        let out = Command::new(&program[0])
            .args(&program[1..])
            .args(args)
            .current_dir(self.repo.path())
            .env("PRE_COMMIT_HOME", self.home.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("PRE_COMMIT_COLOR", "never")
            .env("SKIP", "")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("run pre-commit");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn pre_commit(&self, args: &[&str]) -> (i32, String) {
        self.run(&self.command, args)
    }
}

const BAD: &str = r#"import logging


def sync(items):
    print("syncing", len(items))
    try:
        push(items)
    except ConnectionError:
        pass
    logging.info("done")
"#;

const GOOD: &str = r#"import logging

logger = logging.getLogger(__name__)


def sync(items):
    logger.info("syncing %d items", len(items))
"#;

fn setup() -> Env {
    let command = pre_commit();
    let source = std::env::var_os("RECON_PRECOMMIT_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(workspace);
    let rev = git_ok(&source, &["rev-parse", "HEAD"]).trim().to_owned();
    let listed = git_ok(&source, &["ls-tree", "-r", "--name-only", &rev]);
    assert!(
        listed.lines().any(|l| l == ".pre-commit-hooks.yaml")
            && listed.lines().any(|l| l.starts_with("crates/rules/")),
        "{} at {rev} has no .pre-commit-hooks.yaml or crates/rules: pre-commit builds the \
         committed HEAD, so commit first (or set RECON_PRECOMMIT_REPO to a clone that has them)",
        source.display()
    );
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let dir = repo.path();
    git_ok(dir, &["init", "-q", "-b", "main"]);
    git_ok(dir, &["config", "user.email", "e2e@example.com"]);
    git_ok(dir, &["config", "user.name", "e2e"]);
    git_ok(dir, &["config", "commit.gpgsign", "false"]);
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: recon-check\n      - id: recon-report\n        args: [RECON.md]\n        stages: [manual]\n",
            source.display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("bad.py"), BAD).unwrap();
    std::fs::write(dir.join("good.py"), GOOD).unwrap();
    Env {
        repo,
        home,
        command,
    }
}

#[test]
#[ignore = "slow: builds recon through pre-commit; run with --ignored"]
fn pre_commit_blocks_a_bad_commit_and_passes_a_clean_one() {
    let env = setup();
    let dir = env.repo.path().to_path_buf();

    // `pre-commit run --files`: the violations fail the hook with their codes.
    let (code, out) = env.pre_commit(&["run", "recon-check", "--files", "bad.py"]);
    assert_eq!(code, 1, "pre-commit output:\n{out}");
    for expected in [
        "bad.py:5:5: OBS001 ",
        "bad.py:8:5: OBS002 ",
        "bad.py:10:5: OBS005 ",
    ] {
        assert!(out.contains(expected), "no `{expected}` in:\n{out}");
    }
    assert!(out.contains("Failed"), "{out}");

    let (code, out) = env.pre_commit(&["run", "recon-check", "--files", "good.py"]);
    assert_eq!(code, 0, "pre-commit output:\n{out}");
    assert!(out.contains("Passed"), "{out}");
    assert!(!out.contains("OBS0"), "{out}");

    // A real commit through the installed git hook.
    let (code, out) = env.pre_commit(&["install"]);
    assert_eq!(code, 0, "{out}");
    git_ok(&dir, &["add", ".pre-commit-config.yaml", "bad.py"]);
    let commit = env.run(&["git".to_owned()], &["commit", "-q", "-m", "bad"]);
    assert_ne!(commit.0, 0, "the bad commit went through:\n{}", commit.1);
    assert!(commit.1.contains("OBS001"), "{}", commit.1);
    assert!(
        !git(&dir, &["rev-parse", "--verify", "HEAD"])
            .status
            .success(),
        "no commit may exist"
    );
    git_ok(&dir, &["rm", "-q", "--cached", "bad.py"]);
    git_ok(&dir, &["add", "good.py"]);
    let commit = env.run(&["git".to_owned()], &["commit", "-q", "-m", "good"]);
    assert_eq!(commit.0, 0, "the clean commit failed:\n{}", commit.1);
    git_ok(&dir, &["rev-parse", "--verify", "HEAD"]);

    // recon-report: generates the report, fails; then passes once it is current.
    let (code, out) = env.pre_commit(&[
        "run",
        "recon-report",
        "--hook-stage",
        "manual",
        "--all-files",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(dir.join("RECON.md").is_file(), "{out}");
    let (code, out) = env.pre_commit(&[
        "run",
        "recon-report",
        "--hook-stage",
        "manual",
        "--all-files",
    ]);
    assert_eq!(code, 0, "{out}");
}
