//! Printers for `recon check`: text, JSON, SARIF and GitHub annotations.
//! Each takes the diagnostics already sorted and returns the whole output.

use serde::Serialize;
use serde_json::{Value, json};

use crate::Diagnostic;
use crate::rules::Rule;

/// The value of the JSON output's `schema`.
pub const SCHEMA: &str = "recon.check/1";

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: CODE message`, one line each.
    Text,
    /// `{"schema": "recon.check/1", "violations": [...]}`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands: `::error file=...,line=...::...`.
    Github,
}

/// Render `diagnostics` in `format`.
pub fn render(diagnostics: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Text => text(diagnostics),
        Format::Json => json_output(diagnostics),
        Format::Sarif => sarif(diagnostics),
        Format::Github => github(diagnostics),
    }
}

fn text(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&format!(
            "{}:{}:{}: {} {}\n",
            d.file,
            d.line,
            d.column,
            d.rule.code(),
            d.message
        ));
    }
    out
}

fn pretty(value: &Value) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    schema: &'static str,
    violations: Vec<JsonViolation<'a>>,
}

#[derive(Serialize)]
struct JsonViolation<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    code: &'static str,
    name: &'static str,
    message: &'a str,
}

fn json_output(diagnostics: &[Diagnostic]) -> String {
    let output = JsonOutput {
        schema: SCHEMA,
        violations: diagnostics
            .iter()
            .map(|d| JsonViolation {
                file: &d.file,
                line: d.line,
                column: d.column,
                code: d.rule.code(),
                name: d.rule.name(),
                message: &d.message,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&output).unwrap_or_default();
    out.push('\n');
    out
}

fn sarif(diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.name(),
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.doc() },
                "help": { "text": format!("recon rule {}", r.code()), "markdown": r.doc() },
                "defaultConfiguration": { "level": "error" },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "ruleId": d.rule.code(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0),
                "level": "error",
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file },
                        "region": { "startLine": d.line, "startColumn": d.column },
                    }
                }],
            })
        })
        .collect();
    pretty(&json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "recon",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }],
    }))
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&format!(
            "::error file={},line={},col={},title={}::{}\n",
            escape_property(&d.file),
            d.line,
            d.column,
            d.rule.code(),
            escape_data(&d.message)
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn diagnostic() -> Diagnostic {
        Diagnostic {
            file: "a,b.py".into(),
            line: 3,
            column: 5,
            rule: Rule::Obs004,
            message: "100% eager".into(),
        }
    }

    #[test]
    fn text_and_github() {
        let d = [diagnostic()];
        assert_eq!(render(&d, Format::Text), "a,b.py:3:5: OBS004 100% eager\n");
        assert_eq!(
            render(&d, Format::Github),
            "::error file=a%2Cb.py,line=3,col=5,title=OBS004::100%25 eager\n"
        );
    }

    #[test]
    fn json_and_sarif_parse() {
        let d = [diagnostic()];
        let v: Value = serde_json::from_str(&render(&d, Format::Json)).unwrap();
        assert_eq!(v["violations"][0]["code"], "OBS004");
        let s: Value = serde_json::from_str(&render(&d, Format::Sarif)).unwrap();
        assert_eq!(s["runs"][0]["results"][0]["ruleIndex"], 3);
        assert_eq!(s["runs"][0]["tool"]["driver"]["rules"][9]["id"], "OBS010");
    }
}
