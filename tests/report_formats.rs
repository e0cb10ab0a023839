//! `recon scan --format json` (the findings plus `report`) and `--format sarif` (SARIF
//! 2.1.0, validated against the vendored OASIS schema with Python's
//! `jsonschema`, as `recon check --format sarif` is); the stdout writer all
//! commands share.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::report::{assert_has_line, scan_ok};
use crate::util::snapshot::assert_snapshot;
use crate::util::workspace;
use serde_json::Value;

const APP: &str = "fixtures/app";
const PLAIN: &str = "fixtures/report/plain_app";

#[test]
fn app_json_snapshot() {
    assert_snapshot("report/app.json", &scan_ok(&["--format", "json", APP]));
}

#[test]
fn app_sarif_snapshot() {
    assert_snapshot("report/app.sarif", &scan_ok(&["--format", "sarif", APP]));
}

/// One object: the findings exactly as `--format findings` prints them
/// (schema `recon.findings/1`), with the derived report under `report`.
#[test]
fn json_is_findings_plus_report() {
    let text = scan_ok(&["--format", "json", APP]);
    assert!(text.starts_with("{\n  \"schema\": \"recon.findings/1\",\n"));
    let mut json: Value = serde_json::from_str(&text).unwrap();
    let findings: Value = serde_json::from_str(&scan_ok(&["--format", "findings", APP])).unwrap();
    assert_eq!(findings["schema"], "recon.findings/1");
    let report = json.as_object_mut().unwrap().remove("report").unwrap();
    assert_eq!(json, findings);
    let json = serde_json::json!({ "report": report });
    let report = &json["report"];
    for section in [
        "lifecycle",
        "logging",
        "trace",
        "alerts",
        "database",
        "frontend",
        "architecture",
        "priority",
    ] {
        assert!(!report[section].is_null(), "report.{section}");
    }
    // Execution order is registration order reversed.
    let names = |key: &str| -> Vec<String> {
        report["lifecycle"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names("middleware_registration"),
        ["CORSMiddleware", "GZipMiddleware", "timing_middleware"]
    );
    assert_eq!(
        names("middleware_execution"),
        ["timing_middleware", "GZipMiddleware", "CORSMiddleware"]
    );
    // The trace is born in the outermost middleware and in the WebSocket.
    let births: Vec<&str> = report["trace"]["births"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["at"]["at"].as_str().unwrap())
        .collect();
    assert_eq!(births, ["core/main.py:82", "core/main.py:140"]);
    // Priority is sorted by impact, then effort.
    let steps = report["priority"].as_array().unwrap();
    let keys: Vec<(i64, i64)> = steps
        .iter()
        .map(|s| {
            (
                -s["impact"].as_i64().unwrap(),
                s["effort"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

fn sarif(root: &str) -> Value {
    serde_json::from_str(&scan_ok(&["--format", "sarif", root])).unwrap()
}

/// Assert that `log` validates against the vendored SARIF 2.1.0 schema;
/// `what` names it in the failure.
fn assert_valid_sarif(what: &str, log: &str) {
    let schema = workspace().join("tests/schemas/sarif-schema-2.1.0.json");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.sarif");
    std::fs::write(&path, log).unwrap();
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  log = json.load(open(sys.argv[2]))\n\
                  v = jsonschema.Draft7Validator(schema)\n\
                  errors = sorted(v.iter_errors(log), key=lambda e: list(e.path))\n\
                  for e in errors[:10]: print(list(e.path), e.message)\n\
                  sys.exit(1 if errors else 0)\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(&path)
        .output()
        .expect("python3 with the `jsonschema` package is needed to validate SARIF");
    assert!(
        out.status.success(),
        "{what}: SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    for root in [APP, PLAIN] {
        assert_valid_sarif(root, &scan_ok(&["--format", "sarif", root]));
    }
}

/// `recon check --format sarif` in `dir` (exit 1: it has violations).
fn check_sarif(dir: &Path) -> Value {
    let out = crate::util::recon()
        .args(["check", "--format", "sarif"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", dir.display());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_valid_sarif(&format!("recon check in {}", dir.display()), &text);
    serde_json::from_str(&text).unwrap()
}

/// The check's SARIF is the report's kind of log (same types, same
/// validation): a rule per OBS code with its documentation, a result per
/// violation at its line and column (in characters), paths as the text
/// output prints them.
#[test]
fn check_sarif_validates_and_has_a_rule_per_code() {
    let app = workspace().join(APP);
    let log = check_sarif(&app);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let codes: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .enumerate()
            .all(|(i, c)| *c == format!("OBS{:03}", i + 1))
    );
    for rule in rules {
        let doc = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(doc.len() > 40, "{}: {doc}", rule["id"]);
        assert_eq!(rule["help"]["markdown"].as_str(), Some(doc));
    }
    let text = crate::util::recon()
        .arg("check")
        .current_dir(&app)
        .output()
        .unwrap();
    let expected: Vec<String> = String::from_utf8(text.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(' ').next().unwrap().to_owned())
        .collect();
    let results = run["results"].as_array().unwrap();
    let got: Vec<String> = results
        .iter()
        .map(|r| {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
            let loc = &r["locations"][0]["physicalLocation"];
            format!(
                "{}:{}:{}:",
                loc["artifactLocation"]["uri"].as_str().unwrap(),
                loc["region"]["startLine"],
                loc["region"]["startColumn"]
            )
        })
        .collect();
    assert_eq!(got, expected);
    for fixture in ["obs003", "obs010", "suppression"] {
        check_sarif(&workspace().join("fixtures/check").join(fixture));
    }
}

/// `recon scan | head`, `recon check | head`, `recon run | head`, `recon
/// rule | head`: the reader is gone before the first write. Each command
/// exits as it would have (check: 1, the violations), silently.
#[test]
fn every_command_exits_quietly_when_stdout_is_closed() {
    let app = workspace().join(APP);
    for (dir, args, code) in [
        (workspace(), &["scan", "--format", "json", APP][..], 0),
        (workspace(), &["scan", "--format", "sarif", APP][..], 0),
        (app.clone(), &["check"][..], 1),
        (app.clone(), &["check", "--format", "sarif"][..], 1),
        (app.clone(), &["run"][..], 0),
        (app.clone(), &["run", "--format", "json"][..], 0),
        (app.clone(), &["run", "--list"][..], 0),
        (workspace(), &["rule"][..], 0),
    ] {
        let mut child = crate::util::recon()
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(code), ""),
            "recon {args:?} with stdout closed"
        );
    }
}

/// Any other write error is one `error: stdout: ...` line and exit 2, the
/// same for every command.
#[test]
fn every_command_reports_an_unwritable_stdout() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux
    };
    let app = workspace().join(APP);
    for (dir, args) in [
        (workspace(), &["scan", APP][..]),
        (app.clone(), &["check"][..]),
        (app.clone(), &["run"][..]),
        (workspace(), &["rule"][..]),
    ] {
        let out = crate::util::recon()
            .args(args)
            .current_dir(&dir)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(2), "error: stdout: No space left on device\n"),
            "recon {args:?} > /dev/full"
        );
    }
}

/// One run; a rule per gap kind; one result per gap instance of the JSON
/// report, each pointing at a real line with a relative URI.
#[test]
fn sarif_results_are_the_gaps() {
    let log = sarif(APP);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "recon");
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let json: Value = serde_json::from_str(&scan_ok(&["--format", "json", APP])).unwrap();
    let report = &json["report"];
    let mut expected = Vec::new();
    for section in ["trace", "logging", "frontend"] {
        for gap in report[section]["gaps"].as_array().unwrap() {
            let id = gap["id"].as_str().unwrap();
            assert!(rules.contains(&id), "gap {id} has no rule");
            for i in gap["instances"].as_array().unwrap() {
                expected.push((
                    i["at"]["file"].as_str().unwrap().to_owned(),
                    i["at"]["line"].as_u64().unwrap(),
                    id.to_owned(),
                ));
            }
        }
    }
    expected.sort();
    let results = runs[0]["results"].as_array().unwrap();
    let mut got = Vec::new();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], id);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains("://"),
            "relative: {uri}"
        );
        let line = loc["region"]["startLine"].as_u64().unwrap();
        assert_has_line(&workspace().join(APP), uri, line as usize);
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        got.push((uri.to_owned(), line, id.to_owned()));
    }
    got.sort();
    assert_eq!(got, expected);
    assert!(got.len() > 20, "{} results", got.len());
}
