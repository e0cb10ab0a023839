//! Helpers for the `recon run` tests. They run the `recon` binary, replay
//! commands through real `bash` under `LC_ALL=C`, parse missions the way the
//! contract describes them, and build the edge-case checkout that git cannot
//! hold.
//!
//! The product never starts a process. The tests do: `bash` is the oracle that
//! `recon run` is held to, and `mkfifo`, `strace` and `kill` are used here.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{recon, workspace, write};

/// The longest a single `recon` run or `bash -c` replay may take. Anything
/// slower is treated as a hang (e.g. a FIFO opened for reading) and killed.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The `schema` value of `recon run --format json`.
pub const RUN_SCHEMA: &str = "recon.run/1";

// ---------------------------------------------------------------------------
// Paths

/// `fixtures/app`: the small FastAPI + SvelteKit app the seed mission targets.
pub fn fixture_app() -> PathBuf {
    workspace().join("fixtures").join("app")
}

/// A mission under `fixtures/missions/`.
pub fn mission_path(name: &str) -> PathBuf {
    workspace().join("fixtures").join("missions").join(name)
}

/// The source of the built-in seed mission (what `recon run` runs without `-f`).
pub fn seed_mission_path() -> PathBuf {
    workspace()
        .join("crates")
        .join("mission")
        .join("missions")
        .join("observability_phase2.md")
}

// ---------------------------------------------------------------------------
// Processes

/// What a finished process left behind.
#[derive(Debug, Clone)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Finished {
    /// The exit status the way a shell reports it (128 + N when killed by
    /// signal N).
    pub fn code(&self) -> i32 {
        status_code(self.status)
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A test whose oracle (strace, `setpriv`, ...) is missing: skipped with
/// the reason on stderr, or failed when `RECON_REQUIRE_ORACLES=1` (as
/// `.ci/run` sets it, so CI cannot go green by skipping). The caller
/// returns after it.
pub fn oracle_missing(test: &str, reason: &str) {
    if std::env::var_os("RECON_REQUIRE_ORACLES").is_some_and(|v| v == "1") {
        panic!("{test}: {reason} (RECON_REQUIRE_ORACLES=1: a missing oracle fails the test)");
    }
    eprintln!("SKIPPED {test}: {reason}");
}

/// `$?` for a finished process.
pub fn status_code(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => -1,
    }
}

/// Another user to run the oracle and `recon` as (through util-linux
/// `setpriv`, so that permission bits count: root ignores them). `recon` is
/// the binary that user runs, somewhere it may execute.
#[derive(Debug, Clone)]
pub struct RunAs {
    pub uid: u32,
    pub gid: u32,
    pub recon: PathBuf,
}

impl RunAs {
    /// `nobody` (65534:65534) running the recon binary at `recon`.
    pub fn nobody(recon: PathBuf) -> Self {
        RunAs {
            uid: 65534,
            gid: 65534,
            recon,
        }
    }
}

/// `program` as a `Command`, run as `run_as` when given: `setpriv --reuid
/// UID --regid GID --clear-groups PROGRAM`.
pub fn command_as(program: impl AsRef<OsStr>, run_as: Option<&RunAs>) -> Command {
    match run_as {
        None => Command::new(program),
        Some(user) => {
            let mut cmd = Command::new("setpriv");
            cmd.arg(format!("--reuid={}", user.uid))
                .arg(format!("--regid={}", user.gid))
                .arg("--clear-groups")
                .arg(program);
            cmd
        }
    }
}

/// `recon`, run as `run_as` when given (its binary then is `run_as.recon`).
pub fn recon_as(run_as: Option<&RunAs>) -> Command {
    match run_as {
        None => recon(),
        Some(user) => command_as(&user.recon, Some(user)),
    }
}

/// Runs `cmd` with stdin closed and stdout and stderr captured. If it takes
/// longer than `timeout`, the whole process group is killed and the test
/// panics (children such as `grep` behind a `bash -c` die with it).
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Finished {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so that a hang can be killed with its children.
    cmd.process_group(0);
    let description = format!("{cmd:?}");
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot spawn {description}: {e}"));
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let pgid = format!("-{}", child.id());
                let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
                let _ = child.kill();
                let _ = child.wait();
                panic!("timed out after {timeout:?}, killed: {description}");
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for {description}: {e}"),
        }
    };
    let stdout = out_reader.join().expect("stdout reader thread");
    let stderr = err_reader.join().expect("stderr reader thread");
    Finished {
        status,
        stdout,
        stderr,
    }
}

/// Runs `command` as `bash -c COMMAND` in `root/cwd`, in a clean environment
/// (only `PATH` is kept) under `LC_ALL=C`. Returns (stdout, stderr, status).
/// This is the oracle `recon run` must match byte for byte.
pub fn bash_oracle(root: &Path, cwd: &str, command: &str) -> (Vec<u8>, Vec<u8>, i32) {
    bash_oracle_as(root, cwd, command, None)
}

/// [`bash_oracle`], as the user `run_as` when given.
pub fn bash_oracle_as(
    root: &Path,
    cwd: &str,
    command: &str,
    run_as: Option<&RunAs>,
) -> (Vec<u8>, Vec<u8>, i32) {
    let dir = if cwd == "." {
        root.to_path_buf()
    } else {
        root.join(cwd)
    };
    let mut cmd = command_as("bash", run_as);
    cmd.arg("-c").arg(command).current_dir(&dir).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("LC_ALL", "C").env("LANG", "C");
    let done = run_with_timeout(&mut cmd, TIMEOUT);
    let code = done.code();
    (done.stdout, done.stderr, code)
}

/// Where a persistent shell would be after `command` (a `cd` that ran in
/// it, even inside `&&`, holds for the rest of the phase): the oracle runs
/// the command again in bash, silenced, and prints `pwd`.
pub fn bash_cwd_after(root: &Path, cwd: &str, command: &str) -> String {
    bash_cwd_after_as(root, cwd, command, None)
}

/// [`bash_cwd_after`], as the user `run_as` when given (a `cd` into a
/// directory that user may not search fails).
pub fn bash_cwd_after_as(root: &Path, cwd: &str, command: &str, run_as: Option<&RunAs>) -> String {
    let script = format!("{{ {command}\n}} >/dev/null 2>&1; pwd -P");
    let (stdout, _, _) = bash_oracle_as(root, cwd, &script, run_as);
    let now = PathBuf::from(
        String::from_utf8_lossy(&stdout)
            .trim_end_matches('\n')
            .to_string(),
    );
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match now.strip_prefix(&root) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => panic!("`{command}` left the checkout: {}", now.display()),
    }
}

/// Runs `recon run [-f MISSION] --format json ROOT` and returns its output,
/// whatever the exit status.
pub fn run_recon_mission(mission: Option<&Path>, root: &Path) -> Finished {
    run_recon_mission_as(mission, root, None)
}

/// [`run_recon_mission`], as the user `run_as` when given.
pub fn run_recon_mission_as(
    mission: Option<&Path>,
    root: &Path,
    run_as: Option<&RunAs>,
) -> Finished {
    let mut cmd = recon_as(run_as);
    cmd.arg("run");
    if let Some(mission) = mission {
        cmd.arg("-f").arg(mission);
    }
    cmd.arg("--format").arg("json").arg(root);
    run_with_timeout(&mut cmd, TIMEOUT)
}

/// Runs a mission through `recon run --format json`. Asserts exit status 0,
/// then parses stdout as JSON and returns it. `None` runs the built-in seed
/// mission.
pub fn run_mission_json(mission: Option<&Path>, root: &Path) -> Value {
    run_mission_json_as(mission, root, None)
}

/// [`run_mission_json`], as the user `run_as` when given.
pub fn run_mission_json_as(mission: Option<&Path>, root: &Path, run_as: Option<&RunAs>) -> Value {
    let done = run_recon_mission_as(mission, root, run_as);
    let label = mission.map_or_else(
        || "<built-in seed mission>".to_string(),
        |m| m.display().to_string(),
    );
    assert_eq!(
        done.code(),
        0,
        "recon run {label} on {} exited with {}\n--- stderr:\n{}\n--- stdout (first 2000 bytes):\n{}",
        root.display(),
        done.code(),
        done.stderr_str(),
        truncate(&done.stdout_str(), 2000),
    );
    serde_json::from_slice(&done.stdout).unwrap_or_else(|e| {
        panic!(
            "recon run {label}: stdout is not JSON ({e})\n--- stdout (first 2000 bytes):\n{}",
            truncate(&done.stdout_str(), 2000)
        )
    })
}

// ---------------------------------------------------------------------------
// Missions, parsed by the rules of the contract

/// One command of a mission, as a reader of the Markdown sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionCommand {
    /// `N` of the enclosing `## PHASE N: ...` heading.
    pub phase: u64,
    /// `1.4` of `### Task 1.4 - Title`.
    pub task_id: String,
    /// `Title` of `### Task 1.4 - Title`.
    pub task_title: String,
    /// The command line, trimmed.
    pub command: String,
    /// 1-based line in the mission file.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct ParsedMission {
    /// The text of the first `# ` heading.
    pub title: String,
    pub commands: Vec<MissionCommand>,
}

/// Parses the mission dialect: `# Title`, `## PHASE N: name`, `### Task N.M -
/// title`, with commands in fenced ```` ```bash ```` blocks inside a task. Blank
/// lines and `#` comment lines are not commands. A fence outside a task
/// (e.g. the seed's `## EXECUTION` block) and any non-bash fence (e.g. the
/// seed's ```` ```markdown ```` DELIVERABLE, whose `#` lines are not headings) hold
/// no commands.
pub fn parse_mission(text: &str) -> ParsedMission {
    let mut title: Option<String> = None;
    let mut phase: u64 = 0;
    let mut task: Option<(String, String)> = None;
    // Some(true): inside a bash fence of a task; Some(false): any other fence.
    let mut fence: Option<bool> = None;
    let mut commands = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if let Some(is_bash) = fence {
            if line.trim_start().starts_with("```") {
                fence = None;
                continue;
            }
            let command = line.trim();
            if !is_bash || command.is_empty() || command.starts_with('#') {
                continue;
            }
            let (task_id, task_title) = task.clone().unwrap_or_default();
            commands.push(MissionCommand {
                phase,
                task_id,
                task_title,
                command: command.to_string(),
                line: index + 1,
            });
            continue;
        }
        if let Some(info) = line.trim_start().strip_prefix("```") {
            fence = Some(info.trim() == "bash" && task.is_some());
            continue;
        }
        if let Some(heading) = line.strip_prefix("### ") {
            task = heading
                .trim()
                .strip_prefix("Task ")
                .map(|rest| match rest.split_once(" - ") {
                    Some((id, title)) => (id.trim().to_string(), title.trim().to_string()),
                    None => (rest.trim().to_string(), String::new()),
                });
        } else if let Some(heading) = line.strip_prefix("## ") {
            task = None;
            if let Some(rest) = heading.trim().strip_prefix("PHASE ") {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                phase = digits.parse().unwrap_or(0);
            }
        } else if let Some(heading) = line.strip_prefix("# ")
            && title.is_none()
        {
            title = Some(heading.trim().to_string());
        }
    }
    ParsedMission {
        title: title.unwrap_or_default(),
        commands,
    }
}

/// One command of a `recon.run/1` report.
#[derive(Debug, Clone)]
pub struct RanCommand {
    pub task_id: String,
    pub task_title: String,
    pub phase: u64,
    pub command: String,
    pub cwd: String,
    pub stdout: String,
    pub stderr: String,
    pub status: i64,
}

/// Flattens the `tasks[].commands[]` of a `recon.run/1` report, in order.
pub fn ran_commands(report: &Value) -> Vec<RanCommand> {
    let tasks = report
        .get("tasks")
        .and_then(Value::as_array)
        .unwrap_or_else(|| {
            panic!(
                "report has no `tasks` array: {}",
                truncate(&report.to_string(), 500)
            )
        });
    let mut out = Vec::new();
    for task in tasks {
        let task_id = str_field(task, "id");
        let task_title = str_field(task, "title");
        let phase = task
            .get("phase")
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("task {task_id} has no integer `phase`"));
        let commands = task
            .get("commands")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("task {task_id} has no `commands` array"));
        for command in commands {
            out.push(RanCommand {
                task_id: task_id.clone(),
                task_title: task_title.clone(),
                phase,
                command: str_field(command, "command"),
                cwd: str_field(command, "cwd"),
                stdout: str_field(command, "stdout"),
                stderr: str_field(command, "stderr"),
                status: command
                    .get("status")
                    .and_then(Value::as_i64)
                    .unwrap_or_else(|| {
                        panic!("task {task_id}: command has no integer `status`: {command}")
                    }),
            });
        }
    }
    out
}

fn str_field(object: &Value, key: &str) -> String {
    match object.get(key).and_then(Value::as_str) {
        Some(s) => s.to_string(),
        None => panic!(
            "missing string field `{key}` in {}",
            truncate(&object.to_string(), 300)
        ),
    }
}

/// `cwd` joined with a `cd` operand, normalized, relative to the root ("."
/// for the root itself).
pub fn join_cwd(cwd: &str, dir: &str) -> String {
    let mut parts: Vec<&str> = if cwd == "." {
        Vec::new()
    } else {
        cwd.split('/').collect()
    };
    for part in dir.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The operand of a command that is exactly `cd DIR` (one plain word),
/// optionally followed by a `# comment`.
pub fn simple_cd(command: &str) -> Option<&str> {
    let mut words = command.split_whitespace();
    if words.next() != Some("cd") {
        return None;
    }
    let dir = words.next()?;
    let plain = !dir.contains(['\'', '"', '\\', '$', '`', '&', '|', ';', '<', '>', '#']);
    let rest_is_comment = words.next().is_none_or(|w| w.starts_with('#'));
    (rest_is_comment && plain).then_some(dir)
}

// ---------------------------------------------------------------------------
// Parity

/// Runs `mission` (None: the built-in seed mission) through `recon run
/// --format json` on `root`. Checks the report against the mission text: the
/// schema, the title, and the sequence of (phase, task, title, command). Then
/// it replays every command through `bash -c` in the directory that `cd`
/// semantics give: every phase starts at the root, and a successful `cd DIR`
/// holds until the phase ends. It asserts the same cwd, stdout, stderr and
/// status per command. All mismatches are reported together.
pub fn assert_parity(mission: Option<&Path>, root: &Path) {
    assert_parity_as(mission, root, None);
}

/// [`assert_parity`], with both `recon run` and every `bash -c` replay run
/// as the user `run_as` when given.
pub fn assert_parity_as(mission: Option<&Path>, root: &Path, run_as: Option<&RunAs>) {
    let mission_file = mission.map_or_else(seed_mission_path, Path::to_path_buf);
    let text = fs::read_to_string(&mission_file)
        .unwrap_or_else(|e| panic!("cannot read mission {}: {e}", mission_file.display()));
    let expected = parse_mission(&text);
    assert!(
        !expected.commands.is_empty(),
        "mission {} has no commands (parser or mission broken)",
        mission_file.display()
    );

    let report = run_mission_json_as(mission, root, run_as);
    assert_eq!(
        report.get("schema").and_then(Value::as_str),
        Some(RUN_SCHEMA),
        "report schema of {}",
        mission_file.display()
    );
    assert_eq!(
        report.get("mission").and_then(Value::as_str),
        Some(expected.title.as_str()),
        "report `mission` must be the mission's `# ` title"
    );
    let got = ran_commands(&report);

    // The same commands, in the same order, under the same tasks.
    let want_seq: Vec<String> = expected
        .commands
        .iter()
        .map(|c| {
            format!(
                "phase {} task {} ({}): {}",
                c.phase, c.task_id, c.task_title, c.command
            )
        })
        .collect();
    let got_seq: Vec<String> = got
        .iter()
        .map(|c| {
            format!(
                "phase {} task {} ({}): {}",
                c.phase, c.task_id, c.task_title, c.command
            )
        })
        .collect();
    if want_seq != got_seq {
        panic!(
            "command sequence differs for {}\n{}",
            mission_file.display(),
            line_diff(&want_seq.join("\n"), &got_seq.join("\n"))
        );
    }

    let mut failures = String::new();
    let mut failed = 0usize;
    let mut cwd = ".".to_string();
    let mut phase = None;
    for (want, got) in expected.commands.iter().zip(&got) {
        if phase != Some(want.phase) {
            phase = Some(want.phase);
            cwd = ".".to_string();
        }
        // The sequences are equal: `got.command` is `want.command`.
        let problems = bash_differences_as(root, &cwd, got, run_as);
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(
                failures,
                "\n=== task {} (line {}), cwd {cwd}\n$ {}\n{problems}",
                want.task_id, want.line, want.command
            );
        }
        if want.command.split_whitespace().any(|w| w == "cd") {
            cwd = bash_cwd_after_as(root, &cwd, &want.command, run_as);
        }
    }
    if failed > 0 {
        panic!(
            "{failed} of {} commands of {} differ from bash on {}:{failures}",
            got.len(),
            mission_file.display(),
            root.display()
        );
    }
}

/// Replays `command` through bash in `root/cwd` and returns a description of
/// every difference from what recon reported (empty when identical).
pub fn bash_differences(root: &Path, cwd: &str, got: &RanCommand) -> String {
    bash_differences_as(root, cwd, got, None)
}

/// [`bash_differences`], with bash run as the user `run_as` when given.
pub fn bash_differences_as(
    root: &Path,
    cwd: &str,
    got: &RanCommand,
    run_as: Option<&RunAs>,
) -> String {
    let (stdout, stderr, status) = bash_oracle_as(root, cwd, &got.command, run_as);
    let stdout = String::from_utf8_lossy(&stdout);
    let stderr = String::from_utf8_lossy(&stderr);
    let mut out = String::new();
    if got.cwd != cwd {
        let _ = writeln!(out, "  cwd: expected {cwd:?}, got {:?}", got.cwd);
    }
    if i64::from(status) != got.status {
        let _ = writeln!(out, "  status: bash {status}, recon {}", got.status);
    }
    if stdout != got.stdout {
        let _ = writeln!(
            out,
            "  stdout (- bash, + recon):\n{}",
            line_diff(&stdout, &got.stdout)
        );
    }
    if stderr != got.stderr {
        let _ = writeln!(
            out,
            "  stderr (- bash, + recon):\n{}",
            line_diff(&stderr, &got.stderr)
        );
    }
    out
}

/// A line diff of `expected` (`-`) against `got` (`+`), with two lines of
/// context around each change. Lines are printed with Rust escapes so that
/// `\r`, U+FFFD and a missing final newline are visible. Uses an LCS table
/// for outputs up to 4000 lines a side. Past that it shows only the middle
/// between the common prefix and suffix.
pub fn line_diff(expected: &str, got: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = got.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    // ops over the differing middle: ' ' keep, '-' only in a, '+' only in b.
    let mut ops: Vec<(char, &str)> = Vec::new();
    if am.len() <= 4000 && bm.len() <= 4000 {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((' ', am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(('-', am[i]));
                i += 1;
            } else {
                ops.push(('+', bm[j]));
                j += 1;
            }
        }
    } else {
        ops.extend(am.iter().map(|l| ('-', *l)));
        ops.extend(bm.iter().map(|l| ('+', *l)));
    }
    let mut all: Vec<(char, &str)> = a[..prefix].iter().map(|l| (' ', *l)).collect();
    all.extend(ops);
    all.extend(a[a.len() - suffix..].iter().map(|l| (' ', *l)));

    let context = 2;
    let near_change = |k: usize| {
        let lo = k.saturating_sub(context);
        let hi = (k + context + 1).min(all.len());
        all[lo..hi].iter().any(|(op, _)| *op != ' ')
    };
    let mut out = String::new();
    let mut skipped = 0usize;
    for (k, (op, line)) in all.iter().enumerate() {
        if *op == ' ' && !near_change(k) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            let _ = writeln!(out, "    ... {skipped} equal lines");
            skipped = 0;
        }
        let _ = writeln!(out, "    {op}{line:?}");
    }
    if skipped > 0 {
        let _ = writeln!(out, "    ... {skipped} equal lines");
    }
    out
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

// ---------------------------------------------------------------------------
// Refusals

/// Writes a mission whose Task 1.1 is harmless and whose Task 1.2 is `bad`.
/// Returns the mission text and the 1-based line of `bad` in it.
pub fn refusal_mission(bad: &str) -> (String, usize) {
    let head = "# RECON MISSION: Refusal check\n\
                \n\
                ## PHASE 1: Refusals\n\
                \n\
                ### Task 1.1 - A harmless command first\n\
                ```bash\n\
                ls -la\n\
                ```\n\
                \n\
                ### Task 1.2 - The command to refuse\n\
                ```bash\n\
                # must be refused before anything runs\n";
    let line = head.lines().count() + 1;
    (format!("{head}{bad}\n```\n"), line)
}

/// Everything under `root`: relative path, kind, size and symlink target,
/// sorted. Used to show that a refused mission changed nothing.
pub fn tree_listing(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                out.push(format!("{rel} -> {target}"));
            } else if meta.is_dir() {
                out.push(format!("{rel}/"));
                walk(root, &path, out);
            } else {
                out.push(format!("{rel} ({} bytes)", meta.len()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// A small checkout for refusal tests: a file, a directory `x` that `rm -rf x`
/// would delete, a Python file and, with `outside_link`, `link` →
/// `/etc/passwd` (a symlink that leaves the root).
pub fn refusal_root(outside_link: bool) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("recon-refuse-")
        .tempdir()
        .expect("tempdir");
    let root = dir.path();
    write(root, "keep.txt", b"keep me\n");
    write(root, "x/inside.txt", b"rm -rf x must not delete this\n");
    write(root, "x.py", b"print('hello')\n");
    if outside_link {
        symlink("/etc/passwd", root.join("link")).expect("symlink link -> /etc/passwd");
    }
    dir
}

/// Asserts that `recon run` refuses a mission whose Task 1.2 is `bad`: exit
/// status 2, nothing on stdout, `error: 1.2 LINE:COL: reason` on stderr, where
/// LINE is `bad`'s line in the mission file and COL is one of `cols`
/// (1-based, empty slice: any column on the line), and the checkout unchanged.
/// With `outside_link` the checkout holds `link` → `/etc/passwd`.
pub fn assert_refused(bad: &str, cols: &[usize], outside_link: bool) {
    let root = refusal_root(outside_link);
    let missions = tempfile::Builder::new()
        .prefix("recon-mission-")
        .tempdir()
        .expect("tempdir");
    let (text, line) = refusal_mission(bad);
    let mission = missions.path().join("mission.md");
    fs::write(&mission, text).expect("write mission");
    let before = tree_listing(root.path());

    let done = run_recon_mission(Some(&mission), root.path());
    let stderr = done.stderr_str();
    let context = format!(
        "refusing {bad:?}\n--- status {}\n--- stderr:\n{stderr}\n--- stdout:\n{}",
        done.code(),
        truncate(&done.stdout_str(), 2000)
    );
    assert_eq!(done.code(), 2, "exit status must be 2 when {context}");
    assert!(
        done.stdout.is_empty(),
        "stdout must be empty when {context}"
    );
    let rest = stderr
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("stderr must start with `error: ` when {context}"));
    let rest = rest.strip_prefix("1.2 ").unwrap_or_else(|| {
        panic!("the error must name task 1.2 right after `error: ` when {context}")
    });
    let (position, reason) = rest
        .split_once(": ")
        .unwrap_or_else(|| panic!("expected `LINE:COL: reason` after the task id when {context}"));
    let (l, c) = position
        .split_once(':')
        .unwrap_or_else(|| panic!("expected `LINE:COL` when {context}"));
    let l: usize = l
        .parse()
        .unwrap_or_else(|_| panic!("LINE is not a number when {context}"));
    let c: usize = c
        .parse()
        .unwrap_or_else(|_| panic!("COL is not a number when {context}"));
    assert_eq!(
        l, line,
        "LINE must be the command's line in the mission file when {context}"
    );
    assert!(
        c >= 1 && c <= bad.len(),
        "COL must fall on the command when {context}"
    );
    if !cols.is_empty() {
        assert!(
            cols.contains(&c),
            "COL must be one of {cols:?} when {context}"
        );
    }
    assert!(
        !reason.trim().is_empty(),
        "the error needs a reason when {context}"
    );
    assert_eq!(
        before,
        tree_listing(root.path()),
        "the checkout changed when {context}"
    );
}

// ---------------------------------------------------------------------------
// The edge-case checkout

fn link(root: &Path, target: &str, rel: &str) {
    let path = root.join(rel);
    symlink(target, &path).unwrap_or_else(|e| panic!("ln -s {target} {}: {e}", path.display()));
}

/// About 300 KiB of text with one NUL byte near line 7000. GNU grep prints
/// the match on line 11 as text. It then finds the NUL, stops printing lines,
/// and reports `binary file matches` for the match on line 7501. The matches
/// lie far from the NUL on both sides, so the result does not depend on
/// grep's buffer size.
pub fn late_nul_bytes() -> Vec<u8> {
    let mut out = Vec::with_capacity(320 * 1024);
    for i in 0..8000 {
        match i {
            10 => out.extend_from_slice(b"logger.info(\"[EARLY] match before the NUL\")\n"),
            7000 => out.extend_from_slice(b"binary\0zone\n"),
            7500 => out.extend_from_slice(b"logger.info(\"[LATE] match after the NUL\")\n"),
            _ => out
                .extend_from_slice(format!("line {i:06} filler text for the buffer\n").as_bytes()),
        }
    }
    out
}

/// Builds, at test time, a checkout with the cases git cannot hold or that
/// must not sit in the repository:
///
/// - `src/main.py`, `src/alerts.py`: copies from `fixtures/app/core`
/// - `data/mixed.bin`: a NUL in the middle, matches before and after it
/// - `data/late_nul.log`: 300 KiB of text, a NUL near the end ([`late_nul_bytes`])
/// - `text/crlf.py` (CRLF), `text/badutf8.py` (bytes 0xff 0xfe 0xe9),
///   `text/empty.py` (empty), `text/nonl.py` (no trailing newline)
/// - `names/`: `my notes.py`, `a:b.py`, `-dash.py` and `caf\xe9.py`, whose
///   name is not UTF-8
/// - `links/`: `link_main.py` → `../src/main.py`, `linkdir` → `../src`,
///   `dangling.py` → `missing.py`, and `loop_a` ↔ `loop_b`
/// - `special/pipe.fifo`: a FIFO (`grep -R` would block on it; `-r` skips it)
/// - `nested/a/b/c/d/e/deep.py`, 5 levels down, and `nested/a/up` → `..`,
///   a directory loop under `-R`
/// - `.hidden.py` and `.cache/cached.py`
/// - the directories of [`wide_cases`], for `edge_wide.md`
pub fn edge_fixture() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("recon-edge-")
        .tempdir()
        .expect("tempdir");
    let root = dir.path();
    let app = fixture_app();
    for name in ["main.py", "alerts.py"] {
        let bytes = fs::read(app.join("core").join(name))
            .unwrap_or_else(|e| panic!("read fixtures/app/core/{name}: {e}"));
        write(root, &format!("src/{name}"), &bytes);
    }

    write(
        root,
        "data/mixed.bin",
        b"logger.info(\"[EDGE] before the NUL\")\nplain text\n\0\0binary middle\nlogger.info(\"[EDGE] after the NUL\")\n",
    );
    write(root, "data/late_nul.log", &late_nul_bytes());

    write(
        root,
        "text/crlf.py",
        b"import logging\r\nlogger = logging.getLogger(__name__)\r\nlogger.info(\"[CRLF] windows line\")\r\n",
    );
    write(
        root,
        "text/badutf8.py",
        b"# caf\xe9 \xff\xfe bytes\nlogger.warning(\"[ENC] bad \xff bytes\")\n",
    );
    write(root, "text/empty.py", b"");
    write(root, "text/nonl.py", b"logger.error(\"no newline\")");

    write(
        root,
        "names/my notes.py",
        b"logger.debug(\"spaces in name\")\n",
    );
    write(root, "names/a:b.py", b"logger.debug(\"colon in name\")\n");
    write(root, "names/-dash.py", b"logger.debug(\"dash name\")\n");
    let latin1 = root.join("names").join(OsStr::from_bytes(b"caf\xe9.py"));
    fs::write(&latin1, b"logger.debug(\"latin1 name\")\n").expect("write non-UTF-8 file name");

    fs::create_dir_all(root.join("links")).expect("mkdir links");
    link(root, "../src/main.py", "links/link_main.py");
    link(root, "../src", "links/linkdir");
    link(root, "missing.py", "links/dangling.py");
    link(root, "loop_b", "links/loop_a");
    link(root, "loop_a", "links/loop_b");

    fs::create_dir_all(root.join("special")).expect("mkdir special");
    let fifo = root.join("special").join("pipe.fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {} failed", fifo.display());

    write(
        root,
        "nested/a/b/c/d/e/deep.py",
        b"logger.critical(\"[DEEP] five levels down\")\n",
    );
    link(root, "..", "nested/a/up");

    write(root, ".hidden.py", b"logger.info(\"[HIDDEN] dotfile\")\n");
    write(
        root,
        ".cache/cached.py",
        b"logger.info(\"[CACHE] cached\")\n",
    );
    wide_cases(root);
    dir
}

/// The cases of `edge_wide.md` (find, xargs, globs, du, cut, sort -k, grep
/// context), each in its own directory so that they do not change what
/// `edge.md` prints:
///
/// - `tree/`: `a.py`, `b.txt`, `sub/c.py`, `sub/deeper/d.py`, the empty
///   directories `empty/` and `sub/empty2/`, hidden `.hrc`, `.h2.py` and
///   `.hidden_dir/h.py`, and the symlinks `link_a.py` → `a.py`, `link_sub` →
///   `sub`, `dangling.py` → `gone.py`, `loop1` ↔ `loop2`
/// - `odd/`: `with space.py`, `two  spaces.txt`, `a:b.txt`, `-lead.py`
/// - `quotes/it's.txt`: a single quote, which plain `xargs` rejects
/// - `lists/`: file lists for xargs (quoted, escaped, concatenated quotes,
///   an unmatched quote, empty, blank, no newline, NUL-separated)
/// - `globs/`: names that sort differently in the C locale, hidden files, a
///   literal `b[1].txt`, a directory `d1/`
/// - `hard/orig.dat` and its hard links `hard/same.dat`, `hard2/other.dat`,
///   beside `hard2/own.dat`
/// - `cols/`: colon- and blank-separated records for cut and sort -k
/// - `ctx/`: matches on the first and last lines, close and far apart, for
///   grep -A/-B/-C/-m
fn wide_cases(root: &Path) {
    write(root, "tree/a.py", b"import os\nSESSION = \"a\"\n");
    write(root, "tree/b.txt", b"plain text, SESSION in prose\n");
    write(root, "tree/sub/c.py", b"SESSION = \"c\"\n");
    write(
        root,
        "tree/sub/deeper/d.py",
        b"# no session here\nSESSION = \"d\"\nSESSION_TTL = 60\n",
    );
    write(root, "tree/.hrc", b"SESSION=hidden\n");
    write(root, "tree/.h2.py", b"SESSION = \"h2\"\n");
    write(root, "tree/.hidden_dir/h.py", b"SESSION = \"h\"\n");
    for empty in ["tree/empty", "tree/sub/empty2"] {
        fs::create_dir_all(root.join(empty)).unwrap_or_else(|e| panic!("mkdir {empty}: {e}"));
    }
    link(root, "a.py", "tree/link_a.py");
    link(root, "sub", "tree/link_sub");
    link(root, "gone.py", "tree/dangling.py");
    link(root, "loop2", "tree/loop1");
    link(root, "loop1", "tree/loop2");

    write(root, "odd/with space.py", b"SESSION = \"space\"\n");
    write(root, "odd/two  spaces.txt", b"two spaces\nSESSION twice\n");
    write(root, "odd/a:b.txt", b"SESSION:colon\n");
    write(root, "odd/-lead.py", b"SESSION = \"dash\"\n");
    write(root, "quotes/it's.txt", b"SESSION quoted\n");

    write(
        root,
        "lists/quoted.txt",
        b"\"odd/with space.py\" 'odd/two  spaces.txt'\nodd/a:b.txt odd/with\\ space.py\n",
    );
    write(
        root,
        "lists/plain.txt",
        b"tree/a.py\ntree/sub/c.py\n  tree/b.txt  \n\n",
    );
    write(root, "lists/empty.txt", b"");
    write(root, "lists/blank.txt", b"  \n\n");
    write(root, "lists/nonl.txt", b"tree/a.py");
    write(root, "lists/nul.txt", b"odd/with space.py\0odd/a:b.txt\0");
    write(
        root,
        "lists/tricky.txt",
        b"'odd/with space.py'\"\" \"odd/\"a:b.txt\nodd/with\\ space.py\n  'odd/two  spaces.txt'\n",
    );
    write(
        root,
        "lists/unmatched.txt",
        b"tree/a.py tree/b.txt\n'odd/a:b.txt\n",
    );

    for name in [
        "a1.txt",
        "a2.txt",
        "b1.txt",
        "B2.txt",
        "_x.txt",
        "c.md",
        ".hx",
        ".hy.txt",
        "b[1].txt",
        "d1/in.txt",
    ] {
        write(
            root,
            &format!("globs/{name}"),
            format!("{name}\n").as_bytes(),
        );
    }

    write(root, "hard/orig.dat", &[b'x'; 20_000]);
    fs::create_dir_all(root.join("hard2")).expect("mkdir hard2");
    for alias in ["hard/same.dat", "hard2/other.dat"] {
        fs::hard_link(root.join("hard/orig.dat"), root.join(alias))
            .unwrap_or_else(|e| panic!("ln hard/orig.dat {alias}: {e}"));
    }
    write(root, "hard2/own.dat", &[b'y'; 5_000]);

    write(
        root,
        "cols/passwd.txt",
        b"root:0:0:root:/root:/bin/bash\n\
          daemon:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
          alice:1001:100:Alice Smith:/home/alice:/bin/zsh\n\
          bob:1002:100:Bob:/home/bob:/bin/bash\n\
          carol:999:50:Carol:/home/carol:/bin/sh\n\
          dave:1001:101:Dave:/home/dave:/bin/bash\n\
          nobody:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
          no-colon-line\n\
          :empty-first:x\n\
          eve:-5:1e3:Eve::\n",
    );
    write(
        root,
        "cols/fields.txt",
        b"b  10 x\na 2 y\n  c 3 z\na 10 w\nB 2  v\na\t7 t\n-1 -1 neg\n",
    );
    write(
        root,
        "cols/tabs.tsv",
        b"id\tname\tscore\n3\tcarol\t7.5\n1\talice\t10\n2\tbob\t7.5\nno tab here\n",
    );

    let mut log = String::new();
    for n in 1..=20 {
        let text = match n {
            1 => "MATCH first line",
            4 | 6 | 7 | 11 => "MATCH middle",
            20 => "MATCH last line",
            _ => "filler",
        };
        let _ = writeln!(log, "{n:02} {text}");
    }
    write(root, "ctx/log.txt", log.as_bytes());
    write(root, "ctx/short.txt", b"MATCH one\nfiller\nMATCH two");
}

/// The string `field` of every item of the JSON array `category` (items
/// without it are skipped), in order.
pub fn field_of<'a>(json: &'a Value, category: &str, field: &str) -> Vec<&'a str> {
    json[category]
        .as_array()
        .unwrap_or_else(|| panic!("no `{category}` array: {json}"))
        .iter()
        .filter_map(|item| item[field].as_str())
        .collect()
}

/// `(file, reason)` of every entry of a scan's `errors`.
pub fn scan_errors(json: &Value) -> Vec<(String, String)> {
    let files = field_of(json, "errors", "file");
    let reasons = field_of(json, "errors", "reason");
    assert_eq!(files.len(), reasons.len(), "{json}");
    files
        .into_iter()
        .zip(reasons)
        .map(|(f, r)| (f.to_owned(), r.to_owned()))
        .collect()
}

/// The JSON a command printed on stdout, asserting it exited 0.
pub fn success_json(status: ExitStatus, stdout: &[u8], stderr: &[u8]) -> Value {
    assert_eq!(
        status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(stderr)
    );
    serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(stdout)
        )
    })
}
