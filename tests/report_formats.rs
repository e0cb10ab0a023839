//! `recon scan --format json` (the findings plus `report`) and `--format sarif` (SARIF
//! 2.1.0, validated against the vendored OASIS schema with Python's
//! `jsonschema`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

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

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema = workspace().join("tests/schemas/sarif-schema-2.1.0.json");
    for root in [APP, PLAIN] {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("out.sarif");
        std::fs::write(&log, scan_ok(&["--format", "sarif", root])).unwrap();
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
            .arg(&log)
            .output()
            .expect("python3 with the `jsonschema` package is needed to validate SARIF");
        assert!(
            out.status.success(),
            "{root}: SARIF does not validate:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
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
