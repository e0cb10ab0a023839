//! Unreadable files and directories (issue 7). Root ignores permission bits,
//! so the checkout is built here as root and everything then runs as
//! `nobody` through util-linux `setpriv`: `recon run` must match bash + GNU
//! grep/coreutils/findutils byte for byte (`fixtures/missions/permissions.md`),
//! and `recon scan` / `recon check` must finish, report what they could read
//! and name what they could not, with the reason.
//!
//! Where the test cannot switch users (not root, or no `setpriv`), it prints
//! why and passes without checking anything; as root with `setpriv` (this
//! sandbox, CI) it runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::util::run::*;
use crate::util::write;
use serde_json::Value;

const NOBODY: u32 = 65534;

/// Why this process cannot run commands as `nobody`, if it cannot.
fn cannot_switch_user() -> Option<String> {
    match fs::metadata("/proc/self") {
        Ok(meta) if meta.uid() != 0 => {
            return Some(format!(
                "not root (uid {}): cannot switch to nobody",
                meta.uid()
            ));
        }
        Ok(_) => {}
        Err(e) => return Some(format!("cannot tell the uid (/proc/self: {e})")),
    }
    match command_as("true", Some(&RunAs::nobody(PathBuf::new()))).status() {
        Err(e) => Some(format!("setpriv is not available: {e}")),
        // Root with setpriv must be able to do this; anything else is a
        // broken test machine, not a reason to skip.
        Ok(status) => {
            assert!(
                status.success(),
                "`setpriv --reuid={NOBODY} ... true` failed as root: {status}"
            );
            None
        }
    }
}

/// Returns `None` (and prints why) when the test must skip.
macro_rules! require_nobody {
    () => {
        if let Some(reason) = cannot_switch_user() {
            oracle_missing(module_path!(), &reason);
            return;
        }
    };
}

fn chmod(root: &Path, rel: &str, mode: u32) {
    fs::set_permissions(root.join(rel), fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {rel}: {e}"));
}

fn chown_tree(path: &Path) {
    std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY))
        .unwrap_or_else(|e| panic!("chown nobody {}: {e}", path.display()));
    if fs::symlink_metadata(path).unwrap().is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path());
        }
    }
}

/// The checkout, in `DIR/repo`, and who runs over it. `DIR` is 0755 so that
/// nobody may reach it. The recon binary is used where it is when nobody may
/// execute it there, else copied to `DIR/bin/recon`.
///
/// - `app.py`, `web.ts`, `sub/ok.py`: readable, with matches
/// - `secret.py`: mode 000, with matching text
/// - `locked/`: mode 000, holding `inner.py`
/// - `xonly/`: mode 0100 (search, no read), holding `x.py`
/// - `ronly/`: mode 0400 (read, no search), holding `r.py`
///
/// Everything is owned by nobody, so the owner bits are the ones that count.
fn permissions_fixture() -> (tempfile::TempDir, PathBuf, RunAs) {
    let dir = tempfile::Builder::new()
        .prefix("recon-perm-")
        .tempdir()
        .unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();

    let built = PathBuf::from(env!("CARGO_BIN_EXE_recon"));
    let probe = RunAs::nobody(built.clone());
    let usable = recon_as(Some(&probe))
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let bin = if usable {
        built
    } else {
        let copy = dir.path().join("bin").join("recon");
        fs::create_dir_all(copy.parent().unwrap()).unwrap();
        fs::copy(&built, &copy).unwrap();
        fs::set_permissions(dir.path().join("bin"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
        copy
    };
    let run_as = RunAs::nobody(bin);

    let root = dir.path().join("repo");
    write(
        &root,
        "app.py",
        b"import logging\nlogger = logging.getLogger(__name__)\nSECRET_KEY = \"dev\"\n\ndef handler():\n    try:\n        pass\n    except Exception:\n        logger.error(\"[APP] SECRET lookup failed\")\n",
    );
    write(
        &root,
        "web.ts",
        b"export const SECRET_TOKEN = 'x';\nconsole.log('no match here');\n",
    );
    write(&root, "sub/ok.py", b"SECRET_OK = 1\nprint('ok')\n");
    write(
        &root,
        "secret.py",
        b"import logging\nlogger = logging.getLogger(__name__)\nSECRET_PASSWORD = \"hunter2\"\n",
    );
    write(&root, "locked/inner.py", b"SECRET_INNER = 2\n");
    write(&root, "xonly/x.py", b"SECRET_X = 3\n");
    write(&root, "ronly/r.py", b"SECRET_R = 4\n");
    chown_tree(&root);
    chmod(&root, "secret.py", 0o000);
    chmod(&root, "locked", 0o000);
    chmod(&root, "xonly", 0o100);
    chmod(&root, "ronly", 0o400);

    // The fixture is what it claims to be, for nobody.
    let (_, _, status) = bash_oracle_as(&root, ".", "cat secret.py", Some(&run_as));
    assert_eq!(status, 1, "nobody can read secret.py: fixture broken");
    let (out, _, status) = bash_oracle_as(&root, ".", "cat xonly/x.py", Some(&run_as));
    assert_eq!(
        (status, out.as_slice()),
        (0, &b"SECRET_X = 3\n"[..]),
        "nobody cannot read xonly/x.py: fixture broken"
    );
    (dir, root, run_as)
}

/// Restores the modes so that the tempdir can be removed by anyone (root
/// needs nothing, but an unprivileged run of cargo test would).
fn unlock(root: &Path) {
    for rel in ["secret.py", "locked", "xonly", "ronly"] {
        chmod(root, rel, 0o755);
    }
}

fn run_as_nobody(run_as: &RunAs, root: &Path, args: &[&str]) -> Finished {
    let mut cmd = recon_as(Some(run_as));
    cmd.args(args).current_dir(root).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    run_with_timeout(&mut cmd, TIMEOUT)
}

#[test]
fn permissions_mission_matches_bash_as_nobody() {
    require_nobody!();
    let (_dir, root, run_as) = permissions_fixture();
    assert_parity_as(Some(&mission_path("permissions.md")), &root, Some(&run_as));
    unlock(&root);
}

/// The oracle itself sees what the mission is about: GNU grep names the
/// unreadable file and exits 2 (so a recon that silently skipped it would
/// fail the parity test, not pass it).
#[test]
fn bash_oracle_sees_permission_denied_as_nobody() {
    require_nobody!();
    let (_dir, root, run_as) = permissions_fixture();
    let (stdout, stderr, status) = bash_oracle_as(&root, ".", "grep -rn SECRET .", Some(&run_as));
    let stderr = String::from_utf8_lossy(&stderr);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("grep: ./secret.py: Permission denied\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("grep: ./locked: Permission denied\n"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&stdout).contains("./app.py:3:SECRET_KEY"),
        "readable matches still print"
    );
    // As root the same command reads everything.
    let (_, stderr, status) = bash_oracle(&root, ".", "grep -rn SECRET .");
    assert_eq!(status, 0, "{}", String::from_utf8_lossy(&stderr));
    unlock(&root);
}

#[test]
fn scan_as_nobody_reports_what_it_read_and_lists_what_it_could_not() {
    require_nobody!();
    let (_dir, root, run_as) = permissions_fixture();
    let done = run_as_nobody(&run_as, &root, &["scan", "--format", "json", "."]);
    let stderr = done.stderr_str();
    assert_eq!(done.code(), 0, "scan as nobody: {stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    let json: Value = serde_json::from_slice(&done.stdout)
        .unwrap_or_else(|e| panic!("scan output is not JSON ({e}): {}", done.stdout_str()));
    assert_eq!(json["schema"], "recon.findings/1");

    // What could be read was read.
    assert_eq!(field_of(&json, "loggers", "file"), ["app.py"], "{json}");
    assert_eq!(field_of(&json, "log_calls", "prefix"), ["[APP]"]);
    assert!(
        !done.stdout_str().contains("hunter2"),
        "read the unreadable file"
    );

    // What could not be read is listed, each with the reason.
    let errors = scan_errors(&json);
    for unreadable in ["secret.py", "locked", "xonly", "ronly/r.py"] {
        let hit = errors.iter().find(|(file, _)| file == unreadable);
        let Some((_, reason)) = hit else {
            panic!("`{unreadable}` is not under errors: {errors:?}");
        };
        assert_eq!(
            reason, "Permission denied",
            "`{unreadable}`: the reason is the OS error, said once"
        );
    }
    for readable in ["app.py", "web.ts", "sub/ok.py", "sub", "xonly/x.py"] {
        assert!(
            errors.iter().all(|(file, _)| file != readable),
            "`{readable}` is readable but listed: {errors:?}"
        );
    }

    // The deliverable renders, and says the same.
    let md = run_as_nobody(&run_as, &root, &["scan", "."]);
    assert_eq!(md.code(), 0, "{}", md.stderr_str());
    assert!(
        md.stdout_str()
            .starts_with("# PHASE 2 OBSERVABILITY RECON RESULTS"),
        "{}",
        md.stdout_str()
    );
    assert!(!md.stderr_str().contains("internal error"));
    unlock(&root);
}

#[test]
fn check_as_nobody_checks_what_it_can_and_names_what_it_cannot() {
    require_nobody!();
    let (_dir, root, run_as) = permissions_fixture();

    // The whole checkout: the readable violation is reported, the run ends
    // normally.
    let all = run_as_nobody(&run_as, &root, &["check"]);
    let stderr = all.stderr_str();
    assert!(
        matches!(all.code(), 0 | 1),
        "check as nobody exited {}: {stderr}",
        all.code()
    );
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(
        all.stdout_str().contains("app.py:9:9: OBS003"),
        "the readable file was not checked:\n{}\n{stderr}",
        all.stdout_str()
    );
    assert_eq!(all.code(), 1, "a violation was found: {stderr}");
    // What the walk could not read is listed, with the reason.
    for skipped in ["locked", "ronly/r.py", "secret.py", "xonly"] {
        let line = format!("warning: skipped {skipped}: Permission denied");
        assert!(
            stderr.lines().any(|l| l == line),
            "stderr lacks `{line}`:\n{stderr}"
        );
    }
    assert!(!all.stdout_str().contains("hunter2"));
    let json = run_as_nobody(&run_as, &root, &["check", "--format", "json"]);
    assert!(matches!(json.code(), 0 | 1), "{}", json.stderr_str());
    let _: Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json is not JSON ({e}): {}",
            json.stdout_str()
        )
    });

    // A named file that cannot be read: an error naming it and the reason,
    // exit 2, as ruff does for an unreadable file.
    for args in [
        &["check", "secret.py"][..],
        &["check", "app.py", "secret.py"][..],
        &["check", "locked/inner.py"][..],
        &["check", "ronly/r.py"][..],
        &["check", "locked"][..],
    ] {
        let done = run_as_nobody(&run_as, &root, args);
        let stderr = done.stderr_str();
        let named = args[args.len() - 1];
        assert_eq!(done.code(), 2, "{args:?}: {stderr}");
        assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
        assert!(
            stderr.lines().any(|l| l.starts_with("error: ")
                && l.contains(named)
                && l.contains("Permission denied")),
            "{args:?}: stderr must name {named} and the reason: {stderr}"
        );
    }
    // A readable file in a search-only directory is checked as usual.
    let x = run_as_nobody(&run_as, &root, &["check", "xonly/x.py"]);
    assert!(matches!(x.code(), 0 | 1), "{}", x.stderr_str());
    unlock(&root);
}

/// The harness runs as another user where it can (a sanity check of the
/// helper itself, which the other tests depend on).
#[test]
fn command_as_runs_as_nobody() {
    require_nobody!();
    let out = command_as("id", Some(&RunAs::nobody(PathBuf::new())))
        .arg("-u")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "65534");
}

/// A `cd` into a directory nobody may not search fails, so the phase stays
/// where it was: a `../` operand after it leaves the checkout and the mission
/// is refused before anything runs. As root the `cd` succeeds and the same
/// mission runs.
#[test]
fn failed_cd_into_a_locked_directory_is_planned_as_failing() {
    require_nobody!();
    let (dir, root, run_as) = permissions_fixture();
    let mission = dir.path().join("mission.md");
    fs::write(
        &mission,
        "# RECON MISSION: cd into locked\n\n## PHASE 1: Locked\n\n### Task 1.1 - Go in\n```bash\ncd locked\ncat ../app.py\n```\n",
    )
    .unwrap();
    fs::set_permissions(&mission, fs::Permissions::from_mode(0o644)).unwrap();

    let done = run_recon_mission_as(Some(&mission), &root, Some(&run_as));
    let stderr = done.stderr_str();
    assert_eq!(done.code(), 2, "{stderr}\n{}", done.stdout_str());
    assert!(done.stdout.is_empty(), "{}", done.stdout_str());
    assert!(
        stderr.starts_with("error: 1.1 8:") && stderr.contains("leaves the checkout"),
        "{stderr}"
    );

    let as_root = run_recon_mission(Some(&mission), &root);
    assert_eq!(as_root.code(), 0, "{}", as_root.stderr_str());
    let report: Value = serde_json::from_slice(&as_root.stdout).unwrap();
    let ran = ran_commands(&report);
    assert_eq!(ran[1].cwd, "locked");
    assert!(ran[1].stdout.contains("SECRET_KEY"), "{ran:?}");
    unlock(&root);
}
