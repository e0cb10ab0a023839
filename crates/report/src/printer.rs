//! The report's printers: Markdown (a minijinja template), JSON and SARIF
//! are siblings behind [`Printer`] (from `recon-output`, which `recon
//! check` and `recon run` printers implement too). Each renders the whole
//! output in memory.

use minijinja::value::{Serde, Value as JinjaValue};
use minijinja::{Environment, UndefinedBehavior};
use recon_findings::Findings;
pub use recon_output::sarif::uri;
use recon_output::sarif::{self, Level};
pub use recon_output::{Printer, RenderError};
use serde::Serialize;

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

impl Printer<Document<'_>> for MarkdownPrinter {
    type Output = String;

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

impl Printer<Document<'_>> for JsonPrinter {
    type Output = String;

    fn print(&self, doc: &Document<'_>) -> Result<String, RenderError> {
        recon_output::pretty_json(&JsonDocument {
            findings: doc.findings,
            report: doc.report,
        })
    }
}

/// A gap kind as a SARIF rule.
pub struct GapRule {
    pub id: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub short: &'static str,
    pub full: &'static str,
}

/// Every gap kind the report can produce, in SARIF rule-index order.
pub const GAP_RULES: [GapRule; 14] = [
    GapRule {
        id: "missing-trace-id",
        name: "MissingTraceId",
        level: Level::Warning,
        short: "No trace id at a request entry point",
        full: "No trace_id, span_id or traceparent exists in the code; the result marks where a trace id should be born (the outermost HTTP middleware, each WebSocket endpoint).",
    },
    GapRule {
        id: "http-request-without-timeout",
        name: "HttpRequestWithoutTimeout",
        level: Level::Warning,
        short: "HTTP request without a timeout",
        full: "A call the semantic model resolves to a requests/httpx request function, or an httpx client, without timeout=: requests waits forever, httpx's default is invisible at the call (see `recon check` OBS007).",
    },
    GapRule {
        id: "fire-and-forget-task",
        name: "FireAndForgetTask",
        level: Level::Warning,
        short: "Task started and forgotten",
        full: "A call the semantic model resolves to asyncio.create_task/ensure_future (or a loop's create_task) whose task nothing keeps: it can be garbage-collected, and its failure is never logged (see `recon check` OBS008).",
    },
    GapRule {
        id: "log-without-request-id",
        name: "LogWithoutRequestId",
        level: Level::Note,
        short: "Log call with no request id in scope",
        full: "A log call in a file that never names trace_id, span_id, request_id, correlation_id, X-Request-ID or traceparent: its records cannot be joined to a request.",
    },
    GapRule {
        id: "fstring-log-message",
        name: "FStringLogMessage",
        level: Level::Note,
        short: "Log message built with an f-string or another eager expression",
        full: "A message built with an f-string, .format(), % or + (or any non-literal expression) is formatted before the level check and loses its arguments as structured fields; pass them as arguments (see `recon check` OBS004).",
    },
    GapRule {
        id: "error-without-traceback",
        name: "ErrorWithoutTraceback",
        level: Level::Warning,
        short: "Error logged without traceback",
        full: "An error log call in an except body without exc_info loses the stack trace; use logger.exception (see `recon check` OBS003).",
    },
    GapRule {
        id: "swallowed-exception",
        name: "SwallowedException",
        level: Level::Warning,
        short: "Exception swallowed",
        full: "An except clause whose body is only pass, continue or ...: the failure never reaches logs, traces or alerts (see `recon check` OBS002).",
    },
    GapRule {
        id: "bare-except",
        name: "BareExcept",
        level: Level::Warning,
        short: "Bare except clause",
        full: "`except:` catches everything, KeyboardInterrupt and SystemExit included; name the exception type.",
    },
    GapRule {
        id: "print-call",
        name: "PrintCall",
        level: Level::Note,
        short: "print() instead of logging",
        full: "print() bypasses logging: no level, no request id, no handler (see `recon check` OBS001).",
    },
    GapRule {
        id: "untagged-log-message",
        name: "UntaggedLogMessage",
        level: Level::Note,
        short: "Log message without a [TAG] prefix",
        full: "The codebase prefixes log messages with a [TAG]; this one has none, so it escapes tag-based filters.",
    },
    GapRule {
        id: "root-logger-call",
        name: "RootLoggerCall",
        level: Level::Note,
        short: "Log call on the root logger",
        full: "logging.info() and friends log as `root`: no module name to filter by, and they configure logging behind the app's back when no handler is set (see `recon check` OBS005).",
    },
    GapRule {
        id: "wall-clock-duration",
        name: "WallClockDuration",
        level: Level::Note,
        short: "Duration measured with time.time()",
        full: "time.time() follows the wall clock, which can jump; measure durations with time.perf_counter() (see `recon check` OBS006).",
    },
    GapRule {
        id: "ws-type-unhandled",
        name: "WebsocketTypeUnhandled",
        level: Level::Warning,
        short: "WebSocket message type never handled by the other side",
        full: "A message type one side sends and no handler of the other side compares against (see `recon check` OBS010).",
    },
    GapRule {
        id: "hardcoded-notification-secret",
        name: "HardcodedNotificationSecret",
        level: Level::Warning,
        short: "Webhook URL or SMTP password in the source",
        full: "A Slack, Discord or Teams webhook URL with its token, or an SMTP password, written in a literal: whoever reads the repository can post to the alert channel or send as the mail account; read it from the environment (see `recon check` OBS009).",
    },
];

/// The gaps of a report, in section order.
pub fn all_gaps(report: &Report) -> Vec<&Gap> {
    report
        .trace
        .gaps
        .iter()
        .chain(report.logging.gaps.iter())
        .chain(report.alerts.gaps.iter())
        .chain(report.frontend.gaps.iter())
        .collect()
}

/// SARIF 2.1.0 ([`recon_output::sarif::log`]): a rule per gap kind, a
/// result per gap instance (relative `uri` from `%SRCROOT%`, `startLine`),
/// sorted by file, line, rule and message.
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifPrinter;

impl Printer<Document<'_>> for SarifPrinter {
    type Output = String;

    fn print(&self, doc: &Document<'_>) -> Result<String, RenderError> {
        let rules: Vec<sarif::Rule<'_>> = GAP_RULES
            .iter()
            .map(|r| sarif::Rule {
                id: r.id,
                name: r.name,
                level: r.level,
                summary: r.short,
                description: r.full,
                help: None,
            })
            .collect();
        let mut issues: Vec<sarif::Issue<'_>> = Vec::new();
        for g in all_gaps(doc.report) {
            let Some(rule_index) = GAP_RULES.iter().position(|r| r.id == g.id) else {
                return Err(RenderError::Serialize(format!(
                    "gap `{}` has no SARIF rule",
                    g.id
                )));
            };
            issues.extend(g.instances.iter().map(|i| sarif::Issue {
                rule_index,
                message: &i.message,
                path: &i.at.file,
                line: i.at.line,
                column: None,
            }));
        }
        issues.sort_by(|a, b| {
            (a.path, a.line, a.rule_index, a.message).cmp(&(
                b.path,
                b.line,
                b.rule_index,
                b.message,
            ))
        });
        sarif::log(&rules, &issues, Some("%SRCROOT%"))
    }
}
