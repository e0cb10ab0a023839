//! Parity of `recon run` with bash + GNU grep + coreutils under `LC_ALL=C`.
//!
//! Every mission is run once through `recon run --format json`. Each command
//! is then replayed through `bash -c` in the same directory, and stdout,
//! stderr and status must be identical. Refused missions must exit 2 before
//! running anything. The product must never start a process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::run::*;
use crate::util::workspace;

// ---------------------------------------------------------------------------
// Parity per mission

#[test]
fn seed_mission_matches_bash_on_fixture_app() {
    assert_parity(None, &fixture_app());
}

#[test]
fn grep_matrix_mission_matches_bash_on_fixture_app() {
    assert_parity(Some(&mission_path("grep_matrix.md")), &fixture_app());
}

#[test]
fn coreutils_mission_matches_bash_on_fixture_app() {
    assert_parity(Some(&mission_path("coreutils.md")), &fixture_app());
}

#[test]
fn edge_mission_matches_bash_on_edge_fixture() {
    let edge = edge_fixture();
    assert_parity(Some(&mission_path("edge.md")), edge.path());
}

/// The second mission of our own, in the wider dialect (find, xargs, grep
/// context, globs, du, cut, sort -k, trailing comments, `cd frontend`).
#[test]
fn session_map_mission_matches_bash_on_fixture_app() {
    assert_parity(Some(&mission_path("session_map.md")), &fixture_app());
}

/// find on symlinks, empty directories and odd names; xargs splitting and
/// empty input; globs; du with hard links; cut and sort -k; grep context and
/// -m; how each tool quotes a file name in its messages.
#[test]
fn edge_wide_mission_matches_bash_on_edge_fixture() {
    let edge = edge_fixture();
    assert_parity(Some(&mission_path("edge_wide.md")), edge.path());
}

/// The dialect team documents write (issue 18): `echo`/`printf` banners,
/// `[ -f X ] && cat X` guards, `grep | cut | sort | uniq -c | sort -rn`
/// pipelines, `tr`, `basename`, `dirname`, `xargs -n1 basename`.
#[test]
fn dialect_mission_matches_bash_on_fixture_app() {
    assert_parity(Some(&mission_path("dialect.md")), &fixture_app());
}

/// The edges of that dialect: echo and printf escapes, printf reusing its
/// format and its number errors, every `test` operator and its syntax
/// errors, `!`, tail/head -c, `uniq -c` padding, `cut -c`, `tr` sets,
/// basename/dirname corner cases and usage errors, `xargs` running echo.
#[test]
fn dialect_edge_mission_matches_bash_on_edge_fixture() {
    let edge = edge_fixture();
    assert_parity(Some(&mission_path("dialect_edge.md")), edge.path());
}

/// Pathological inputs: a 10 MB line, 100k lines, NULs past GNU's first
/// 96 KiB read, 120-level directories, a FIFO, loops (issue 7).
#[test]
fn hostile_mission_matches_bash_on_hostile_fixture() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    };
    let mut long_line = vec![b'a'; 10 * 1024 * 1024];
    long_line.extend_from_slice(b" needle\n");
    write("big/long_line.txt", &long_line);
    let many: String = (0..100_000)
        .map(|i| format!("logger.info('[MANY] {i}')\n"))
        .collect();
    write("big/many_lines.py", many.as_bytes());
    let mut late = b"before the nul\n".repeat(20_000);
    late.extend_from_slice(b"\0after the nul\n");
    write("big/late_nul.bin", &late);
    let mut deep = String::from("deep");
    for i in 0..120 {
        deep.push_str(&format!("/d{i}"));
    }
    write(&format!("{deep}/leaf.py"), b"DEEP = True\n");
    write("odd/latin1.py", b"# caf\xe9 and caf\xc3\xa9\nx = 1\n");
    write("odd/crlf.py", b"x = 1\r\ny = 2\r\n");
    std::os::unix::fs::symlink("loop", root.join("odd/loop")).expect("symlink");
    std::os::unix::fs::symlink("nowhere", root.join("odd/dangling")).expect("symlink");
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("odd/pipe"))
        .status()
        .expect("mkfifo");
    assert!(fifo.success());
    assert_parity(Some(&mission_path("hostile.md")), root);
}

// ---------------------------------------------------------------------------
// The harness and the fixtures themselves (these need no recon)

#[test]
fn seed_mission_parses_to_34_commands() {
    let text = fs::read_to_string(seed_mission_path()).unwrap();
    let mission = parse_mission(&text);
    assert_eq!(
        mission.title,
        "RECON MISSION: Phase 2 Observability - Tracing, Logs, Alerts"
    );
    assert_eq!(mission.commands.len(), 34, "{:#?}", mission.commands);
    let first = &mission.commands[0];
    assert_eq!((first.phase, first.task_id.as_str()), (1, "1.1"));
    assert_eq!(first.task_title, "HTTP Request Entry Points");
    assert!(
        first
            .command
            .starts_with("grep -rn \"@app\\.\\|@router\\.\"")
    );
    let cd = mission
        .commands
        .iter()
        .find(|c| c.command == "cd frontend")
        .unwrap();
    assert_eq!((cd.phase, cd.task_id.as_str()), (7, "7.1"));
    // Nothing from DELIVERABLE or EXECUTION.
    assert!(
        mission
            .commands
            .iter()
            .all(|c| !c.command.starts_with("python"))
    );
    assert_eq!(mission.commands.last().unwrap().task_id, "8.4");
}

#[test]
fn our_missions_parse() {
    for name in [
        "grep_matrix.md",
        "coreutils.md",
        "edge.md",
        "session_map.md",
        "edge_wide.md",
        "dialect.md",
        "dialect_edge.md",
    ] {
        let text = fs::read_to_string(mission_path(name)).unwrap();
        let mission = parse_mission(&text);
        assert!(mission.title.starts_with("RECON MISSION: "), "{name}");
        assert!(
            mission.commands.len() > 20,
            "{name}: {} commands",
            mission.commands.len()
        );
        for c in &mission.commands {
            assert!(
                c.phase > 0 && !c.task_id.is_empty(),
                "{name}:{}: command outside a task",
                c.line
            );
        }
    }
}

/// Every seed-mission command prints something on `fixtures/app` under bash.
/// The exceptions are `cd`, and `cat logging.conf`, which falls through to its
/// `||`. Also, no grep output before a `| head` may exceed the 4 KiB that grep
/// buffers: past that, the upstream grep can die of SIGPIPE before its
/// `binary file matches` messages, and bash's stderr becomes racy.
#[test]
fn fixture_app_feeds_every_seed_command() {
    let text = fs::read_to_string(seed_mission_path()).unwrap();
    let mission = parse_mission(&text);
    let app = fixture_app();
    let mut cwd = ".".to_string();
    let mut phase = 0;
    for c in &mission.commands {
        if c.phase != phase {
            phase = c.phase;
            cwd = ".".to_string();
        }
        let (stdout, stderr, status) = bash_oracle(&app, &cwd, &c.command);
        if let Some(dir) = c.command.strip_prefix("cd ") {
            assert_eq!(status, 0, "{}: {}", c.task_id, c.command);
            cwd = join_cwd(&cwd, dir.trim());
            continue;
        }
        assert_eq!(
            status,
            0,
            "task {}: {}\n{}",
            c.task_id,
            c.command,
            String::from_utf8_lossy(&stderr)
        );
        assert!(
            !stdout.is_empty(),
            "task {} prints nothing on fixtures/app: {}",
            c.task_id,
            c.command
        );
    }
}

/// A pipeline into `head` is deterministic under bash only if nothing
/// upstream can lose stderr to SIGPIPE. grep buffers 4 KiB of output when
/// writing to a pipe, so a grep that writes to stderr (binary files, missing
/// files) must print less than that before the `| head`.
fn assert_no_sigpipe_race(mission: &Path, root: &Path) {
    let mission = parse_mission(&fs::read_to_string(mission).unwrap());
    let mut cwd = ".".to_string();
    let mut phase = 0;
    for c in &mission.commands {
        if c.phase != phase {
            phase = c.phase;
            cwd = ".".to_string();
        }
        if let Some(dir) = simple_cd(&c.command) {
            let (_, _, status) = bash_oracle(root, &cwd, &c.command);
            if status == 0 {
                cwd = join_cwd(&cwd, dir);
            }
            continue;
        }
        let Some((upstream, _)) = c.command.rsplit_once(" | head") else {
            continue;
        };
        // xargs reports a child killed by SIGPIPE (`xargs: grep: terminated
        // by signal 13`) whenever head exits first: racy at any size.
        assert!(
            !upstream.contains("xargs"),
            "task {}: `| head` after xargs makes bash's stderr racy: {}",
            c.task_id,
            c.command
        );
        let (out, err, _) = bash_oracle(root, &cwd, upstream);
        assert!(
            err.is_empty() || out.len() < 4096,
            "task {}: {} bytes and stderr before `| head`, bash's stderr is racy: {}",
            c.task_id,
            out.len(),
            c.command
        );
    }
}

#[test]
fn no_sigpipe_races_in_missions() {
    let app = fixture_app();
    assert_no_sigpipe_race(&seed_mission_path(), &app);
    assert_no_sigpipe_race(&mission_path("grep_matrix.md"), &app);
    assert_no_sigpipe_race(&mission_path("coreutils.md"), &app);
    assert_no_sigpipe_race(&mission_path("session_map.md"), &app);
    let edge = edge_fixture();
    assert_no_sigpipe_race(&mission_path("edge.md"), edge.path());
    assert_no_sigpipe_race(&mission_path("edge_wide.md"), edge.path());
    assert_no_sigpipe_race(&mission_path("dialect.md"), &app);
    assert_no_sigpipe_race(&mission_path("dialect_edge.md"), edge.path());
}

/// `session_map.md` is the "second mission of our own": a different
/// topic than the seed, 6+ phases, about 40 commands, and every construct of
/// the wider dialect that teams write.
#[test]
fn session_map_uses_the_wider_dialect() {
    let text = fs::read_to_string(mission_path("session_map.md")).unwrap();
    let mission = parse_mission(&text);
    let phases: std::collections::BTreeSet<u64> =
        mission.commands.iter().map(|c| c.phase).collect();
    assert!(phases.len() >= 6, "{} phases", phases.len());
    assert!(
        mission.commands.len() >= 40,
        "{} commands",
        mission.commands.len()
    );
    let commands: Vec<&str> = mission
        .commands
        .iter()
        .map(|c| c.command.as_str())
        .collect();
    let uses = |needle: &str| commands.iter().any(|c| c.contains(needle));
    for needle in [
        "find ",
        " -name ",
        " -type ",
        " -path ",
        " -maxdepth ",
        " -mindepth ",
        " ! ",
        " -not ",
        " -o ",
        "\\( ",
        "| xargs grep -l ",
        "-print0 | xargs -0 wc -l",
        " -A 3",
        " -B ",
        " -C ",
        " -m ",
        "--color=never",
        "ls -la core/*routes*.py",
        "ls -la core/models* 2>/dev/null",
        "core/*.rb",
        "wc -l ",
        "du -sh ",
        "du -csh ",
        "tail -n +",
        "sort -k",
        "sort -t: -k2 -n",
        "cut -d: -f1",
        "  # ",
        "cd frontend",
    ] {
        assert!(uses(needle), "session_map.md never uses `{needle}`");
    }
    // Options after operands: `grep -n X FILE -A 3`.
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("grep -n \"") && c.ends_with(" -A 3")),
        "no `grep -n X FILE -A 3`"
    );
    // Several operands for cat, ls, grep, wc and head.
    for program in ["cat ", "ls ", "grep ", "wc ", "head "] {
        assert!(
            commands.iter().any(|c| c.starts_with(program)),
            "session_map.md never starts a command with `{program}`"
        );
    }
}

#[test]
fn edge_fixture_has_every_case() {
    use std::os::unix::fs::FileTypeExt;
    let edge = edge_fixture();
    let root = edge.path();
    let kind = |rel: &str| fs::symlink_metadata(root.join(rel)).unwrap().file_type();
    assert!(kind("special/pipe.fifo").is_fifo());
    for link in [
        "links/link_main.py",
        "links/linkdir",
        "links/dangling.py",
        "links/loop_a",
        "nested/a/up",
    ] {
        assert!(kind(link).is_symlink(), "{link}");
    }
    assert!(fs::metadata(root.join("links/dangling.py")).is_err());
    assert!(fs::read(root.join("data/mixed.bin")).unwrap().contains(&0));
    let names: Vec<Vec<u8>> = fs::read_dir(root.join("names"))
        .unwrap()
        .map(|e| {
            use std::os::unix::ffi::OsStrExt;
            e.unwrap().file_name().as_bytes().to_vec()
        })
        .collect();
    assert!(
        names.iter().any(|n| std::str::from_utf8(n).is_err()),
        "a non-UTF-8 name"
    );
    assert!(names.iter().any(|n| n.starts_with(b"-")), "a leading dash");
    assert!(root.join("nested/a/b/c/d/e/deep.py").is_file());
    // The wide cases (edge_wide.md).
    for link in [
        "tree/link_a.py",
        "tree/link_sub",
        "tree/dangling.py",
        "tree/loop1",
        "tree/loop2",
    ] {
        assert!(kind(link).is_symlink(), "{link}");
    }
    for empty in ["tree/empty", "tree/sub/empty2"] {
        assert_eq!(
            fs::read_dir(root.join(empty)).unwrap().count(),
            0,
            "{empty}"
        );
    }
    {
        use std::os::unix::fs::MetadataExt;
        let orig = fs::metadata(root.join("hard/orig.dat")).unwrap();
        let other = fs::metadata(root.join("hard2/other.dat")).unwrap();
        assert_eq!((orig.nlink(), orig.ino()), (3, other.ino()));
    }
    for odd in [
        "odd/with space.py",
        "odd/a:b.txt",
        "odd/-lead.py",
        "quotes/it's.txt",
    ] {
        assert!(root.join(odd).is_file(), "{odd}");
    }
    // bash agrees with what edge.md expects of the late NUL.
    let (out, err, status) = bash_oracle(root, ".", "grep -n \"EARLY\\|LATE\" data/late_nul.log");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "11:logger.info(\"[EARLY] match before the NUL\")\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&err),
        "grep: data/late_nul.log: binary file matches\n"
    );
    assert_eq!(status, 0);
}

/// The oracle must run pipelines the way a terminal shell does: with SIGPIPE
/// at its default action, so an upstream writer dies quietly when `head`
/// exits. If it were ignored, writers would print `Broken pipe` errors.
#[test]
fn bash_oracle_has_default_sigpipe() {
    let (out, err, status) = bash_oracle(&fixture_app(), ".", "yes | head -n 1");
    assert_eq!(
        (out.as_slice(), err.as_slice(), status),
        (&b"y\n"[..], &b""[..], 0)
    );
}

#[test]
fn join_cwd_normalizes() {
    assert_eq!(join_cwd(".", "frontend"), "frontend");
    assert_eq!(join_cwd("frontend", "src/lib"), "frontend/src/lib");
    assert_eq!(join_cwd("frontend/src/lib", ".."), "frontend/src");
    assert_eq!(join_cwd("migrations", ".."), ".");
    assert_eq!(join_cwd(".", "./core/"), "core");
}

// ---------------------------------------------------------------------------
// Refusals: exit 2, `error: 1.2 LINE:COL: reason`, empty stdout, nothing runs

#[test]
fn refuses_command_substitution() {
    assert_refused("grep -rn $(rm -rf x) .", &[10], false);
}

#[test]
fn refuses_backticks() {
    assert_refused("grep -rn `rm -rf x` .", &[10], false);
}

#[test]
fn refuses_variables() {
    assert_refused("cat $HOME/.bashrc", &[5], false);
}

#[test]
fn refuses_echo_into_a_file() {
    // Either `echo` (not in the subset) or the `>` redirection is to blame.
    assert_refused("echo hi > out.txt", &[1, 9, 11], false);
}

#[test]
fn refuses_redirection_into_a_file() {
    assert_refused("grep -rn keep . > out.txt", &[17, 19], false);
}

#[test]
fn refuses_git_with_a_reason() {
    assert_refused("git log --oneline | head -n 5", &[1], false);
    assert_refused("git ls-files | grep py", &[1], false);
}

#[test]
fn refuses_what_the_builtins_cannot_match() {
    // `\u` depends on the locale's character set; printf -v sets a
    // variable; more than four test arguments; printf under xargs is
    // coreutils' program.
    assert_refused("echo -e 'caf\\u00e9'", &[1], false);
    assert_refused("printf -v x '%s' y", &[1], false);
    assert_refused("printf '%f\\n' 1.5", &[1], false);
    assert_refused("[ -f a -a -f b ]", &[1], false);
    assert_refused("ls | xargs printf '%s\\n'", &[6], false);
    assert_refused("echo a | tr '[:alpha:]' '[:digit:]'", &[10], false);
    // GNU tr refuses a complemented class mapped to several characters.
    assert_refused("echo a | tr -c '[:alpha:]' 'ab'", &[10], false);
    // `==` matches a pattern in `[[`; `[[` expands no glob.
    assert_refused("[[ a == b ]]", &[1], false);
    assert_refused("[[ -f *.txt ]]", &[7], false);
}

#[test]
fn refuses_rm() {
    assert_refused("rm -rf /", &[1], false);
}

#[test]
fn refuses_python() {
    assert_refused("python x.py", &[1], false);
}

#[test]
fn refuses_absolute_paths_outside_the_root() {
    assert_refused("cat /etc/passwd", &[5], false);
}

#[test]
fn refuses_parent_paths_outside_the_root() {
    assert_refused("cat ../../etc/passwd", &[5], false);
}

#[test]
fn refuses_cd_out_of_the_root() {
    assert_refused("cd ..", &[1, 4], false);
}

#[test]
fn refuses_symlinks_leaving_the_root() {
    assert_refused("cat link", &[5], true);
}

#[test]
fn refuses_globs_that_leave_the_root() {
    assert_refused("ls ../*", &[4], false);
}

#[test]
fn refuses_tilde_and_brace_expansion() {
    assert_refused("ls ~", &[4], false);
    assert_refused("ls {a,b}.py", &[4], false);
}

#[test]
fn refuses_command_lists() {
    assert_refused("ls; rm -rf x", &[3, 5], false);
}

// ---------------------------------------------------------------------------
// The product never starts a process

/// Under `strace -f`, `recon run` on the fixture app makes exactly one
/// `execve` (its own start), never forks or vforks, and every `clone` or
/// `clone3` makes a thread.
#[test]
fn no_process_spawned() {
    let strace = Path::new("/usr/bin/strace");
    if !strace.exists() {
        oracle_missing("no_process_spawned", "/usr/bin/strace is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let mut cmd = Command::new(strace);
    cmd.args([
        "-f",
        "-qq",
        "-e",
        "trace=execve,execveat,clone,clone3,fork,vfork",
        "-o",
    ])
    .arg(&trace)
    .arg(env!("CARGO_BIN_EXE_recon"))
    .arg("run")
    .arg(fixture_app());
    let done = run_with_timeout(&mut cmd, TIMEOUT);
    let log = fs::read_to_string(&trace).unwrap_or_default();
    if done.code() != 0 && log.is_empty() && done.stderr_str().contains("ptrace") {
        let reason = format!("ptrace is not permitted here\n{}", done.stderr_str());
        oracle_missing("no_process_spawned", &reason);
        return;
    }
    assert_eq!(
        done.code(),
        0,
        "recon run under strace failed:\n{}",
        done.stderr_str()
    );

    let execs: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("execve(") || l.contains("execveat("))
        .collect();
    assert_eq!(
        execs.len(),
        1,
        "expected only recon's own execve, got {}:\n{}",
        execs.len(),
        first_lines(&execs, 20)
    );
    assert!(
        execs[0].contains(env!("CARGO_BIN_EXE_recon")),
        "the one execve is not recon: {}",
        execs[0]
    );
    let forks: Vec<&str> = log.lines().filter(|l| l.contains("fork(")).collect();
    assert!(
        forks.is_empty(),
        "recon forked:\n{}",
        first_lines(&forks, 20)
    );
    let processes: Vec<&str> = log
        .lines()
        .filter(|l| {
            (l.contains(" clone(") || l.contains(" clone3(")) && !l.contains("CLONE_THREAD")
        })
        .collect();
    assert!(
        processes.is_empty(),
        "recon cloned a process, not a thread:\n{}",
        first_lines(&processes, 20)
    );
}

fn first_lines(lines: &[&str], n: usize) -> String {
    let mut out = lines.iter().take(n).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > n {
        out.push_str(&format!("\n... and {} more", lines.len() - n));
    }
    out
}

/// No product source names the APIs that start processes. Tests may; `src/`
/// and `crates/*/src/` may not.
#[test]
fn product_sources_never_spawn() {
    let root = workspace();
    let mut dirs = vec![root.join("src")];
    for krate in fs::read_dir(root.join("crates")).unwrap() {
        dirs.push(krate.unwrap().path().join("src"));
    }
    let mut files = Vec::new();
    for dir in &dirs {
        collect_rs(dir, &mut files);
    }
    assert!(!files.is_empty(), "no .rs files found under {dirs:?}");
    let forbidden = [
        "std::process::Command",
        "process::Command",
        "Command::new",
        "posix_spawn",
        "libc::fork",
        "libc::exec",
        "nix::unistd::fork",
    ];
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let grouped = line.contains("process::{") && names_command(line);
            if grouped || forbidden.iter().any(|f| line.contains(f)) {
                hits.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "product code must not start processes:\n{}",
        hits.join("\n")
    );
}

fn names_command(line: &str) -> bool {
    line.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == "Command")
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
