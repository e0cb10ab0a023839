//! The printers: Markdown (a minijinja template), JSON and SARIF are
//! siblings behind [`Printer`]. Each renders the whole output in memory.

use std::fmt;

use minijinja::value::{Serde, Value as JinjaValue};
use minijinja::{Environment, UndefinedBehavior};
use recon_findings::Findings;
use serde::Serialize;
use serde_sarif::sarif;

use crate::model::{Gap, Report};

/// The built-in template, its name as shown in errors.
pub const DEFAULT_TEMPLATE_NAME: &str = "report.md.j2";
/// The built-in template's source.
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/report.md.j2");

/// What every printer renders: the findings and the report derived from
/// them.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub findings: &'a Findings,
    pub report: &'a Report,
}

/// Why rendering failed. Nothing has been written when this is returned.
#[derive(Debug)]
pub enum RenderError {
    /// The template did not parse or failed while rendering.
    Template { name: String, message: String },
    /// A value could not be serialised (a bug in recon).
    Serialize(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Template { name, message } => write!(f, "{name}: {message}"),
            RenderError::Serialize(message) => write!(f, "cannot serialize the report: {message}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// One output format.
pub trait Printer {
    /// The whole output, ending with a newline.
    fn print(&self, doc: &Document<'_>) -> Result<String, RenderError>;
}

/// Markdown through a minijinja template; the context has `report` (the
/// [`Report`]) and `findings` (the [`Findings`]), and the filter `cell`
/// escapes `|` for table cells. Undefined values are errors.
#[derive(Debug, Clone)]
pub struct MarkdownPrinter {
    name: String,
    source: String,
}

impl Default for MarkdownPrinter {
    fn default() -> Self {
        MarkdownPrinter {
            name: DEFAULT_TEMPLATE_NAME.to_owned(),
            source: DEFAULT_TEMPLATE.to_owned(),
        }
    }
}

impl MarkdownPrinter {
    /// A printer using the template `source`; `name` (e.g. its path) is
    /// what errors name.
    pub fn with_template(name: impl Into<String>, source: impl Into<String>) -> Self {
        MarkdownPrinter {
            name: name.into(),
            source: source.into(),
        }
    }
}

fn cell(value: String) -> String {
    value.replace('|', "\\|").replace('\n', " ")
}

impl Printer for MarkdownPrinter {
    fn print(&self, doc: &Document<'_>) -> Result<String, RenderError> {
        let err = |e: minijinja::Error| RenderError::Template {
            name: self.name.clone(),
            message: jinja_message(&e),
        };
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        syntax.trim_blocks(true).lstrip_blocks(true);
        env.set_syntax(syntax.build().map_err(err)?);
        env.add_filter("cell", cell);
        env.add_template(&self.name, &self.source).map_err(err)?;
        let template = env.get_template(&self.name).map_err(err)?;
        // The findings are converted only for a template that reads them
        // (the built-in one does not): on a large checkout their call
        // graph alone is hundreds of thousands of edges.
        let findings = if template.undeclared_variables(false).contains("findings") {
            JinjaValue::from(Serde(doc.findings))
        } else {
            JinjaValue::UNDEFINED
        };
        let ctx = minijinja::context! {
            report => JinjaValue::from(Serde(doc.report)),
            findings => findings,
        };
        let mut out = template.render(ctx).map_err(err)?;
        if !out.ends_with('\n') {
            out.push('\n');
        }
        Ok(out)
    }
}

/// `syntax error: unexpected end of input (line 3)`, without minijinja's
/// own `(in NAME:LINE)` suffix (the caller names the file).
fn jinja_message(e: &minijinja::Error) -> String {
    let mut text = e.kind().to_string();
    if let Some(detail) = e.detail() {
        text.push_str(": ");
        text.push_str(detail);
    }
    if let Some(line) = e.line() {
        text.push_str(&format!(" (line {line})"));
    }
    text
}

/// The findings object (`recon.findings/1`) with one more key, `report`:
/// the derived sections. Pretty-printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonPrinter;

/// The findings' own keys at the top level (so `--format json` stays a
/// `recon.findings/1` object for any consumer of the findings), plus
/// `report`.
#[derive(Serialize)]
struct JsonDocument<'a> {
    #[serde(flatten)]
    findings: &'a Findings,
    report: &'a Report,
}

impl Printer for JsonPrinter {
    fn print(&self, doc: &Document<'_>) -> Result<String, RenderError> {
        let mut out = serde_json::to_string_pretty(&JsonDocument {
            findings: doc.findings,
            report: doc.report,
        })
        .map_err(|e| RenderError::Serialize(e.to_string()))?;
        out.push('\n');
        Ok(out)
    }
}

/// A gap kind as a SARIF rule.
pub struct GapRule {
    pub id: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub short: &'static str,
    pub full: &'static str,
}

/// Every gap kind the report can produce, in SARIF rule-index order.
pub const GAP_RULES: [GapRule; 10] = [
    GapRule {
        id: "missing-trace-id",
        name: "MissingTraceId",
        level: "warning",
        short: "No trace id at a request entry point",
        full: "No trace_id, span_id or traceparent exists in the code; the result marks where a trace id should be born (the outermost HTTP middleware, each WebSocket endpoint).",
    },
    GapRule {
        id: "log-without-request-id",
        name: "LogWithoutRequestId",
        level: "note",
        short: "Log call with no request id in scope",
        full: "A log call in a file that never names trace_id, span_id, request_id, correlation_id, X-Request-ID or traceparent: its records cannot be joined to a request.",
    },
    GapRule {
        id: "fstring-log-message",
        name: "FStringLogMessage",
        level: "note",
        short: "Log message built with an f-string or another eager expression",
        full: "A message built with an f-string, .format(), % or + (or any non-literal expression) is formatted before the level check and loses its arguments as structured fields; pass them as arguments (see `recon check` OBS004).",
    },
    GapRule {
        id: "error-without-traceback",
        name: "ErrorWithoutTraceback",
        level: "warning",
        short: "Error logged without traceback",
        full: "An error log call in an except body without exc_info loses the stack trace; use logger.exception (see `recon check` OBS003).",
    },
    GapRule {
        id: "swallowed-exception",
        name: "SwallowedException",
        level: "warning",
        short: "Exception swallowed",
        full: "An except clause whose body is only pass, continue or ...: the failure never reaches logs, traces or alerts (see `recon check` OBS002).",
    },
    GapRule {
        id: "bare-except",
        name: "BareExcept",
        level: "warning",
        short: "Bare except clause",
        full: "`except:` catches everything, KeyboardInterrupt and SystemExit included; name the exception type.",
    },
    GapRule {
        id: "print-call",
        name: "PrintCall",
        level: "note",
        short: "print() instead of logging",
        full: "print() bypasses logging: no level, no request id, no handler (see `recon check` OBS001).",
    },
    GapRule {
        id: "untagged-log-message",
        name: "UntaggedLogMessage",
        level: "note",
        short: "Log message without a [TAG] prefix",
        full: "The codebase prefixes log messages with a [TAG]; this one has none, so it escapes tag-based filters.",
    },
    GapRule {
        id: "wall-clock-duration",
        name: "WallClockDuration",
        level: "note",
        short: "Duration measured with time.time()",
        full: "time.time() follows the wall clock, which can jump; measure durations with time.perf_counter() (see `recon check` OBS006).",
    },
    GapRule {
        id: "ws-type-unhandled",
        name: "WebsocketTypeUnhandled",
        level: "warning",
        short: "WebSocket message type never handled by the other side",
        full: "A message type one side sends and no handler of the other side compares against (see `recon check` OBS010).",
    },
];

/// The gaps of a report, in section order.
pub fn all_gaps(report: &Report) -> Vec<&Gap> {
    report
        .trace
        .gaps
        .iter()
        .chain(report.logging.gaps.iter())
        .chain(report.frontend.gaps.iter())
        .collect()
}

/// SARIF 2.1.0: one run, driver `recon` with one rule per gap kind, one
/// result per gap instance (relative `uri`, `startLine`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifPrinter;

impl Printer for SarifPrinter {
    fn print(&self, doc: &Document<'_>) -> Result<String, RenderError> {
        let rules_table: Vec<&GapRule> = GAP_RULES.iter().collect();
        let rules: Vec<sarif::ReportingDescriptor> = rules_table
            .iter()
            .map(|r| {
                sarif::ReportingDescriptor::builder()
                    .id(r.id)
                    .name(r.name)
                    .short_description(
                        sarif::MultiformatMessageString::builder()
                            .text(r.short)
                            .build(),
                    )
                    .full_description(
                        sarif::MultiformatMessageString::builder()
                            .text(r.full)
                            .build(),
                    )
                    .default_configuration(
                        sarif::ReportingConfiguration::builder()
                            .level(serde_json::Value::from(r.level))
                            .build(),
                    )
                    .build()
            })
            .collect();
        let mut rows: Vec<(String, usize, usize, String)> = Vec::new();
        for g in all_gaps(doc.report) {
            let Some(index) = rules_table.iter().position(|r| r.id == g.id) else {
                return Err(RenderError::Serialize(format!(
                    "gap `{}` has no SARIF rule",
                    g.id
                )));
            };
            for i in &g.instances {
                rows.push((i.at.file.clone(), i.at.line, index, i.message.clone()));
            }
        }
        rows.sort();
        let results: Vec<sarif::Result> = rows
            .into_iter()
            .map(|(file, line, index, message)| {
                let rule = rules_table[index];
                sarif::Result::builder()
                    .rule_id(rule.id)
                    .rule_index(i64::try_from(index).unwrap_or(0))
                    .level(level(rule.level))
                    .message(sarif::Message::builder().text(message).build())
                    .locations(vec![
                        sarif::Location::builder()
                            .physical_location(
                                sarif::PhysicalLocation::builder()
                                    .artifact_location(
                                        sarif::ArtifactLocation::builder()
                                            .uri(uri(&file))
                                            .uri_base_id("%SRCROOT%")
                                            .build(),
                                    )
                                    .region(
                                        sarif::Region::builder()
                                            .start_line(i64::try_from(line).unwrap_or(1))
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    ])
                    .build()
            })
            .collect();
        let driver = sarif::ToolComponent::builder()
            .name("recon")
            .version(env!("CARGO_PKG_VERSION"))
            .rules(rules)
            .build();
        let run = sarif::Run::builder()
            .tool(sarif::Tool::builder().driver(driver).build())
            .results(results)
            .column_kind(serde_json::Value::from("unicodeCodePoints"))
            .build();
        let log = sarif::Sarif::builder()
            .schema("https://json.schemastore.org/sarif-2.1.0.json")
            .version(serde_json::Value::from("2.1.0"))
            .runs(vec![run])
            .build();
        let mut out = serde_json::to_string_pretty(&log)
            .map_err(|e| RenderError::Serialize(e.to_string()))?;
        out.push('\n');
        Ok(out)
    }
}

fn level(name: &str) -> sarif::ResultLevel {
    match name {
        "error" => sarif::ResultLevel::Error,
        "warning" => sarif::ResultLevel::Warning,
        "note" => sarif::ResultLevel::Note,
        _ => sarif::ResultLevel::None,
    }
}

/// A relative path as a URI reference: bytes outside RFC 3986's
/// unreserved, sub-delims, `:`, `@` and `/` are percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // A first segment with a colon would read as a scheme.
    if out
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        out = format!("./{out}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encodes_what_a_uri_cannot_hold() {
        assert_eq!(uri("core/main.py"), "core/main.py");
        assert_eq!(
            uri("src/routes/[id]/+page.svelte"),
            "src/routes/%5Bid%5D/+page.svelte"
        );
        assert_eq!(uri("a b/ü.py"), "a%20b/%C3%BC.py");
        assert_eq!(uri("c:d.py"), "./c:d.py");
    }
}
