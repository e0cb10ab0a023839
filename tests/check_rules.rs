//! `recon check` and `recon rule` at the CLI level: every rule on its
//! fixture (`fixtures/check/obsNNN/`), compared with a snapshot checked by
//! hand (`tests/snapshots/check/`; `RECON_BLESS=1` rewrites them), plus
//! suppression comments, configuration, formats, paths and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::util::snapshot::assert_snapshot;
use crate::util::workspace;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    workspace().join("fixtures/check").join(name)
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// `recon ARGS...` in `dir`.
fn recon(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = crate::util::recon();
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run recon");
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        code: out.status.code().expect("exit code"),
    }
}

fn rule_fixture(code: &str) {
    let dir = fixture(&code.to_ascii_lowercase());
    let run = recon(&dir, &["check", "--select", code], &[]);
    assert_eq!(run.code, 1, "{code}: stderr: {}", run.stderr);
    assert_eq!(run.stderr, "", "{code}");
    assert!(
        run.stdout
            .lines()
            .all(|l| l.contains(&format!(": {code} "))),
        "{code}: only {code} was selected:\n{}",
        run.stdout
    );
    assert_snapshot(
        &format!("check/{}.txt", code.to_ascii_lowercase()),
        &run.stdout,
    );
}

#[test]
fn obs001_print_in_application_code() {
    rule_fixture("OBS001");
}

#[test]
fn obs002_swallowed_exception() {
    rule_fixture("OBS002");
}

#[test]
fn obs003_error_without_traceback() {
    rule_fixture("OBS003");
}

#[test]
fn obs004_eager_log_formatting() {
    rule_fixture("OBS004");
}

#[test]
fn obs005_root_logger_call() {
    rule_fixture("OBS005");
}

#[test]
fn obs006_wall_clock_duration() {
    rule_fixture("OBS006");
}

#[test]
fn obs007_http_request_without_timeout() {
    rule_fixture("OBS007");
}

#[test]
fn obs008_fire_and_forget_task() {
    rule_fixture("OBS008");
}

#[test]
fn obs009_hardcoded_notification_secret() {
    rule_fixture("OBS009");
}

#[test]
fn obs010_unhandled_websocket_message() {
    rule_fixture("OBS010");
}

/// Every fixture line commented `# flagged` / `// flagged` is reported by
/// its rule, and no line commented `not flagged` is: the snapshots agree
/// with the fixtures' own annotations.
#[test]
fn snapshots_match_the_fixture_annotations() {
    let mut fixtures: Vec<(&str, String)> = [
        "OBS001", "OBS002", "OBS003", "OBS004", "OBS005", "OBS006", "OBS007", "OBS008", "OBS009",
        "OBS010",
    ]
    .map(|code| (code, code.to_ascii_lowercase()))
    .to_vec();
    // A package with a module named like the library: what an import
    // reaches, not its name, decides.
    fixtures.push(("OBS007", "obs007_modules".to_owned()));
    for (code, name) in fixtures {
        let dir = fixture(&name);
        let run = recon(&dir, &["check", "--select", code], &[]);
        let reported: Vec<(String, usize)> = run
            .stdout
            .lines()
            .map(|l| {
                let mut parts = l.splitn(3, ':');
                let file = parts.next().unwrap().to_owned();
                (file, parts.next().unwrap().parse().unwrap())
            })
            .collect();
        let mut files = Vec::new();
        collect_files(&dir, &mut files);
        for file in files {
            let rel = file
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, line) in text.lines().enumerate() {
                let at = (rel.clone(), i + 1);
                let flagged = line.contains("# flagged") || line.contains("// flagged");
                let not_flagged = line.contains("not flagged");
                if flagged {
                    assert!(
                        reported.contains(&at),
                        "{code}: {rel}:{} not reported",
                        i + 1
                    );
                }
                if not_flagged {
                    assert!(!reported.contains(&at), "{code}: {rel}:{} reported", i + 1);
                }
            }
        }
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every rule over the fixture app: the deliberate problems of a realistic
/// checkout.
#[test]
fn fixture_app_all_rules() {
    let run = recon(&workspace().join("fixtures/app"), &["check"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_snapshot("check/app.txt", &run.stdout);
}

#[test]
fn same_bytes_at_any_thread_count() {
    let dir = workspace().join("fixtures/app");
    let one = recon(&dir, &["check"], &[("RAYON_NUM_THREADS", "1")]);
    let four = recon(&dir, &["check"], &[("RAYON_NUM_THREADS", "4")]);
    assert_eq!(one.stdout, four.stdout);
    assert!(!one.stdout.is_empty());
}

#[test]
fn suppression_comments() {
    let run = recon(&fixture("suppression"), &["check"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_snapshot("check/suppression.txt", &run.stdout);
}

#[test]
fn config_recon_toml() {
    let dir = fixture("config");
    let run = recon(&dir, &["check"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_snapshot("check/config.txt", &run.stdout);
    // `exclude` holds for files given on the command line too.
    let run = recon(&dir, &["check", "generated/gen.py", "api_pb2.py"], &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    // --select replaces the configured selection, --ignore adds to it.
    let run = recon(&dir, &["check", "--select", "OBS005"], &[]);
    assert_eq!(
        run.stdout,
        "app.py:8:5: OBS005 `logging.info()` logs on the root logger; use `logging.getLogger(__name__)`\n"
    );
    let run = recon(&dir, &["check", "--ignore", "OBS001,OBS004"], &[]);
    assert!(
        run.stdout.lines().all(|l| l.contains(" OBS003 ")),
        "{}",
        run.stdout
    );
}

#[test]
fn config_pyproject_table() {
    let run = recon(&fixture("pyproject"), &["check"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "app.py:6:5: OBS005 `logging.info()` logs on the root logger; use `logging.getLogger(__name__)`\n"
    );
}

#[test]
fn config_precedence_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "print('x')\nlogging.info('y')\n").unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.recon]\nselect = [\"OBS005\"]\n",
    )
    .unwrap();
    let run = recon(dir.path(), &["check"], &[]);
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(run.stdout.contains(" OBS005 "));
    // recon.toml wins over pyproject.toml.
    std::fs::write(dir.path().join("recon.toml"), "select = [\"OBS001\"]\n").unwrap();
    let run = recon(dir.path(), &["check"], &[]);
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(run.stdout.contains(" OBS001 "));
    // --config wins over both.
    std::fs::write(dir.path().join("other.toml"), "ignore = [\"ALL\"]\n").unwrap();
    let run = recon(dir.path(), &["check", "--config", "other.toml"], &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    // Errors: exit 2, the file named.
    std::fs::write(dir.path().join("recon.toml"), "selct = [\"OBS001\"]\n").unwrap();
    let run = recon(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: recon.toml: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("selct"), "{}", run.stderr);
    std::fs::write(dir.path().join("recon.toml"), "select = [\"OBS999\"]\n").unwrap();
    let run = recon(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown rule selector `OBS999`"),
        "{}",
        run.stderr
    );
    let run = recon(dir.path(), &["check", "--config", "missing.toml"], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: missing.toml: No such file or directory\n"
    );
}

#[test]
fn every_output_format_matches_its_snapshot() {
    let dir = fixture("obs003");
    for (format, name) in [
        ("json", "obs003.json"),
        ("sarif", "obs003.sarif"),
        ("github", "obs003.github"),
    ] {
        let run = recon(
            &dir,
            &["check", "--select", "OBS003", "--format", format],
            &[],
        );
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_snapshot(&format!("check/{name}"), &run.stdout);
    }
    let run = recon(
        &dir,
        &["check", "--select", "OBS003", "--format", "json"],
        &[],
    );
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["schema"], "recon.check/1");
    assert_eq!(value["violations"].as_array().unwrap().len(), 5);
    let run = recon(
        &dir,
        &["check", "--select", "OBS003", "--format", "sarif"],
        &[],
    );
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["version"], "2.1.0");
    assert_eq!(value["runs"][0]["results"].as_array().unwrap().len(), 5);
}

#[test]
fn given_files_paths_and_exit_codes() {
    let dir = fixture("obs001");
    // A clean file: exit 0, nothing printed.
    let run = recon(&dir, &["check", "scripts/backfill.py"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    // Paths as given, printed relative to the root; duplicates once.
    let run = recon(
        &dir,
        &["check", "./pkg/service.py", "pkg/../pkg/service.py", "pkg"],
        &[],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "pkg/service.py:2:5: OBS001 `print()` in application code; use a module logger\n"
    );
    // A missing file: exit 2 and its error, the other files still checked.
    let run = recon(&dir, &["check", "nope.py", "pkg/service.py"], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: nope.py: No such file or directory\n");
    assert!(run.stdout.starts_with("pkg/service.py:2:5: OBS001 "));
    // Files no rule reads are accepted and skipped.
    let sql = tempfile::tempdir().unwrap();
    std::fs::write(sql.path().join("001.sql"), "CREATE TABLE t (id int);\n").unwrap();
    let run = recon(sql.path(), &["check", "001.sql"], &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    // Usage errors: exit 2.
    let run = recon(&dir, &["check", "--format", "xml"], &[]);
    assert_eq!(run.code, 2);
}

/// With FILES, OBS010 reads the other side of the whole checkout but
/// reports only in the files given.
#[test]
fn obs010_reads_the_checkout_reports_the_files() {
    let dir = fixture("obs010");
    let run = recon(&dir, &["check", "frontend/src/lib/socket.ts"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "frontend/src/lib/socket.ts:28:15: OBS010 the frontend sends websocket message type `typing` but no backend handler accepts it\n"
    );
    let run = recon(&dir, &["check", "backend/ws.py"], &[]);
    assert_eq!(
        run.stdout,
        "backend/ws.py:20:48: OBS010 the backend sends websocket message type `cancelled` but no frontend code handles it\n"
    );
}

#[test]
fn syntax_errors_warn_and_go_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.py"),
        "def f(:\n    pass\n\nprint('still checked')\n",
    )
    .unwrap();
    let run = recon(dir.path(), &["check"], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "warning: broken.py: syntax error at line 1\n");
    assert!(run.stdout.contains(":4:1: OBS001 "), "{}", run.stdout);
}

#[test]
fn rule_documentation() {
    let dir = workspace();
    let run = recon(&dir, &["rule", "OBS003"], &[]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .starts_with("# OBS003 error-without-traceback\n\n## What it does\n"),
        "{}",
        run.stdout
    );
    for section in [
        "## Why it matters",
        "## Example",
        "## Use instead",
        "```python",
    ] {
        assert!(run.stdout.contains(section), "{section}");
    }
    let by_name = recon(&dir, &["rule", "error-without-traceback"], &[]);
    assert_eq!(by_name.stdout, run.stdout);
    let lower = recon(&dir, &["rule", "obs003"], &[]);
    assert_eq!(lower.stdout, run.stdout);
    let list = recon(&dir, &["rule"], &[]);
    assert_eq!(list.stdout.lines().count(), 10);
    assert!(
        list.stdout
            .starts_with("OBS001  print-in-application-code ")
    );
    let unknown = recon(&dir, &["rule", "OBS999"], &[]);
    assert_eq!(unknown.code, 2);
    assert_eq!(unknown.stderr, "error: unknown rule: OBS999\n");
}

/// `recon check --report FILE`: the recon-report hook.
#[test]
fn report_mode_regenerates_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("core")).unwrap();
    std::fs::write(
        dir.path().join("core/main.py"),
        "import logging\nlogger = logging.getLogger(__name__)\n",
    )
    .unwrap();
    let run = recon(dir.path(), &["check", "--report", "RECON.md"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "recon: RECON.md did not exist and has been generated; review and stage it\n"
    );
    let scan = recon(dir.path(), &["scan", "--format", "md"], &[]);
    let written = std::fs::read_to_string(dir.path().join("RECON.md")).unwrap();
    assert_eq!(written, scan.stdout);
    // Up to date: exit 0.
    let run = recon(dir.path(), &["check", "--report", "RECON.md"], &[]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // The code changed: the report is regenerated, exit 1.
    std::fs::write(
        dir.path().join("core/main.py"),
        "import logging\nlog = logging.getLogger(__name__)\nlog.info('[BOOT] x')\n",
    )
    .unwrap();
    let run = recon(dir.path(), &["check", "--report", "RECON.md"], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("was out of date and has been regenerated")
    );
    let scan = recon(dir.path(), &["scan", "--format", "md"], &[]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("RECON.md")).unwrap(),
        scan.stdout
    );
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 2, "the hook writes only its file");
    // JSON and SARIF by extension; anything else is a usage error.
    let run = recon(dir.path(), &["check", "--report", "RECON.json"], &[]);
    assert_eq!(run.code, 1);
    let scan = recon(dir.path(), &["scan", "--format", "json"], &[]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("RECON.json")).unwrap(),
        scan.stdout
    );
    let run = recon(dir.path(), &["check", "--report", "RECON.txt"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("must end in .md, .json or .sarif"));
}

/// The project root comes from the checked files, not the working
/// directory: run from a parent directory, `recon check repo/app.py` uses
/// `repo`'s configuration (its `[tool.recon]` ignores OBS001 here) and
/// prints paths as given; files of two projects are refused.
#[test]
fn project_root_comes_from_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path();
    let repo = parent.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("pkg")).unwrap();
    std::fs::write(
        repo.join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.recon]\nignore = [\"OBS001\"]\n",
    )
    .unwrap();
    let app = "def f(g):\n    print(\"hi\")\n    try:\n        g()\n    except ValueError:\n        pass\n";
    std::fs::write(repo.join("pkg/app.py"), app).unwrap();
    let expected = "repo/pkg/app.py:5:5: OBS002 exception swallowed (`pass`): log it, re-raise it or handle it\n";
    for args in [&["check", "repo/pkg/app.py"][..], &["check", "repo"][..]] {
        let run = recon(parent, args, &[]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (1, expected),
            "{args:?}: {}",
            run.stderr
        );
    }
    // From inside the project, below its root: paths relative to there.
    let run = recon(&repo.join("pkg"), &["check", "app.py"], &[]);
    assert_eq!(
        run.stdout,
        "app.py:5:5: OBS002 exception swallowed (`pass`): log it, re-raise it or handle it\n"
    );
    // Another project beside it.
    std::fs::create_dir_all(parent.join("other/.git")).unwrap();
    std::fs::write(parent.join("other/x.py"), "print(1)\n").unwrap();
    let run = recon(parent, &["check", "repo/pkg/app.py", "other/x.py"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("repo/pkg/app.py and other/x.py are in different projects"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

/// `recon check` and the report read one analysis, so a rule and the
/// report's gap for the same concept give the same lines: every fixture
/// project, each rule against its gap. Two policies stand between them:
/// the report leaves test code out of its gaps (the rules read it: left
/// out here), and it reads no `# recon: ignore` comment and no check
/// configuration (the lines such a comment silences are left out of the
/// report's side; the fixtures of configuration and of the comments'
/// syntax are left out whole).
#[test]
fn check_and_report_flag_the_same_lines() {
    use std::collections::BTreeSet;
    const SAME: [(&str, &str); 10] = [
        ("OBS001", "print-call"),
        ("OBS002", "swallowed-exception"),
        ("OBS003", "error-without-traceback"),
        ("OBS004", "fstring-log-message"),
        ("OBS005", "root-logger-call"),
        ("OBS006", "wall-clock-duration"),
        ("OBS007", "http-request-without-timeout"),
        ("OBS008", "fire-and-forget-task"),
        ("OBS009", "hardcoded-notification-secret"),
        ("OBS010", "ws-type-unhandled"),
    ];
    let mut projects = vec![workspace().join("fixtures/app")];
    for entry in std::fs::read_dir(workspace().join("fixtures/check")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.ends_with("config") && !path.ends_with("suppression") {
            projects.push(path);
        }
    }
    projects.sort();
    let mut compared = 0;
    for project in &projects {
        let codes = SAME.map(|(code, _)| code).join(",");
        let check = recon(
            project,
            &["check", "--format", "json", "--select", &codes],
            &[],
        );
        assert!(check.code <= 1, "{}: {}", project.display(), check.stderr);
        let check: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
        let scan = recon(project, &["scan", "--format", "json", "."], &[]);
        assert_eq!(scan.code, 0, "{}: {}", project.display(), scan.stderr);
        let scan: serde_json::Value = serde_json::from_str(&scan.stdout).unwrap();
        let silenced = |file: &str, line: u64, code: &str| {
            let text = std::fs::read_to_string(project.join(file)).unwrap();
            let line = text.lines().nth(line as usize - 1).unwrap_or("");
            let rule = recon_rules::Rule::from_code(code).unwrap();
            line.find(['#', '/'])
                .and_then(|at| recon_rules::parse_suppression(&line[at..]))
                .is_some_and(|s| s.covers(rule))
        };
        for (code, gap) in SAME {
            let flagged: BTreeSet<(String, u64)> = check["violations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|v| v["code"] == code)
                .map(|v| {
                    (
                        v["file"].as_str().unwrap().to_owned(),
                        v["line"].as_u64().unwrap(),
                    )
                })
                .filter(|(file, _)| !recon_findings::vocabulary::is_test_path(file))
                .collect();
            let listed: BTreeSet<(String, u64)> = report_gaps(&scan["report"])
                .into_iter()
                .filter(|g| g["id"] == gap)
                .flat_map(|g| g["instances"].as_array().unwrap().clone())
                .map(|i| {
                    let at = &i["at"];
                    (
                        at["file"].as_str().unwrap().to_owned(),
                        at["line"].as_u64().unwrap(),
                    )
                })
                .filter(|(file, line)| !silenced(file, *line, code))
                .collect();
            assert_eq!(
                flagged,
                listed,
                "{}: {code} flags (left) what the report's `{gap}` lists (right)",
                project.display()
            );
            compared += flagged.len();
        }
    }
    // The comparison is not vacuous: the fixtures hold findings of each.
    assert!(compared >= 40, "{compared} lines compared");
}

/// `recon check` reads the scan's tree for fewer units than `recon scan`
/// (log calls and wall-clock durations only): OBS006 still flags each
/// `wall_clock_durations` finding, at its line, on generated modules whose
/// bindings and subtractions fall anywhere.
#[test]
fn obs006_flags_the_scans_wall_clock_durations_on_generated_corpora() {
    use std::collections::BTreeSet;
    for seed in [5, 21] {
        let dir = tempfile::tempdir().unwrap();
        crate::util::scan::write_wall_clock_corpus(dir.path(), seed);
        crate::util::write(dir.path(), "recon.toml", b"");
        let check = recon(
            dir.path(),
            &["check", "--format", "json", "--select", "OBS006"],
            &[],
        );
        assert!(check.code <= 1, "{}", check.stderr);
        let check: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
        let flagged: BTreeSet<(String, usize)> = check["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let file = v["file"].as_str().unwrap().to_owned();
                (file, v["line"].as_u64().unwrap() as usize)
            })
            .collect();
        let found = crate::util::scan::scan(dir.path(), &[]);
        let durations: BTreeSet<(String, usize)> = found
            .wall_clock_durations
            .iter()
            .map(|d| (d.file.clone(), d.line))
            .collect();
        assert!(durations.len() >= 10, "seed {seed}: {durations:?}");
        assert_eq!(flagged, durations, "seed {seed}");
    }
}

/// Every gap object (`{"id", "instances"}`) anywhere in a report.
fn report_gaps(value: &serde_json::Value) -> Vec<&serde_json::Value> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map)
                if map.contains_key("id") && map.contains_key("instances") =>
            {
                out.push(v)
            }
            serde_json::Value::Object(map) => stack.extend(map.values()),
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}
