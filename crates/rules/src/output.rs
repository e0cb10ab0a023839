//! The printers of `recon check`: text, JSON, SARIF and GitHub annotations,
//! siblings behind [`Printer`] (from `recon-output`, shared with the
//! report and the run). Each takes the diagnostics already sorted and
//! returns the whole output.

use recon_output::sarif::{self, Level};
pub use recon_output::{Printer, RenderError};
use serde::Serialize;

use crate::Diagnostic;
use crate::rules::Rule;

/// The value of the JSON output's `schema`.
pub const SCHEMA: &str = "recon.check/1";

/// `path:line:col: CODE message`, one line each.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextPrinter;

impl Printer<[Diagnostic]> for TextPrinter {
    type Output = String;

    fn print(&self, diagnostics: &[Diagnostic]) -> Result<String, RenderError> {
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
        Ok(out)
    }
}

/// `{"schema": "recon.check/1", "violations": [...]}`, pretty-printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonPrinter;

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

impl Printer<[Diagnostic]> for JsonPrinter {
    type Output = String;

    fn print(&self, diagnostics: &[Diagnostic]) -> Result<String, RenderError> {
        recon_output::pretty_json(&JsonOutput {
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
        })
    }
}

/// SARIF 2.1.0 ([`recon_output::sarif::log`], as the report's): a rule per
/// OBS code with its documentation, a result per diagnostic at its
/// `path:line:column`. Paths are as printed (relative to the current
/// directory), so no `uriBaseId`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifPrinter;

impl Printer<[Diagnostic]> for SarifPrinter {
    type Output = String;

    fn print(&self, diagnostics: &[Diagnostic]) -> Result<String, RenderError> {
        let docs: Vec<String> = Rule::ALL.iter().map(|r| r.doc()).collect();
        let rules: Vec<sarif::Rule<'_>> = Rule::ALL
            .iter()
            .zip(&docs)
            .map(|(r, doc)| sarif::Rule {
                id: r.code(),
                name: r.name(),
                level: Level::Error,
                summary: r.summary(),
                description: doc,
                help: Some(sarif::Help {
                    text: format!("recon rule {}", r.code()),
                    markdown: doc,
                }),
            })
            .collect();
        let issues: Vec<sarif::Issue<'_>> = diagnostics
            .iter()
            .map(|d| sarif::Issue {
                rule_index: Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0),
                message: &d.message,
                path: &d.file,
                line: d.line,
                column: Some(d.column),
            })
            .collect();
        sarif::log(&rules, &issues, None)
    }
}

/// GitHub Actions workflow commands: `::error file=...,line=...::...`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GithubPrinter;

impl Printer<[Diagnostic]> for GithubPrinter {
    type Output = String;

    fn print(&self, diagnostics: &[Diagnostic]) -> Result<String, RenderError> {
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
        Ok(out)
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use serde_json::Value;

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
        assert_eq!(
            TextPrinter.print(&d).unwrap(),
            "a,b.py:3:5: OBS004 100% eager\n"
        );
        assert_eq!(
            GithubPrinter.print(&d).unwrap(),
            "::error file=a%2Cb.py,line=3,col=5,title=OBS004::100%25 eager\n"
        );
    }

    #[test]
    fn json_and_sarif_parse() {
        let d = [diagnostic()];
        let v: Value = serde_json::from_str(&JsonPrinter.print(&d).unwrap()).unwrap();
        assert_eq!(v["violations"][0]["code"], "OBS004");
        let s: Value = serde_json::from_str(&SarifPrinter.print(&d).unwrap()).unwrap();
        let result = &s["runs"][0]["results"][0];
        assert_eq!(result["ruleIndex"], 3);
        assert_eq!(result["level"], "error");
        let place = &result["locations"][0]["physicalLocation"];
        assert_eq!(place["artifactLocation"]["uri"], "a,b.py");
        assert_eq!(place["region"]["startColumn"], 5);
        let rule = &s["runs"][0]["tool"]["driver"]["rules"][9];
        assert_eq!(rule["id"], "OBS010");
        assert_eq!(rule["help"]["text"], "recon rule OBS010");
        assert_eq!(rule["help"]["markdown"], Rule::Obs010.doc());
    }
}
