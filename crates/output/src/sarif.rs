//! The SARIF 2.1.0 log of `recon scan --format sarif` (a result per gap of
//! the report) and `recon check --format sarif` (a result per violation),
//! from serde-sarif's types: one run, the driver `recon` with a rule per
//! kind of result, each result at a `file:line` (and column when known).

use serde_sarif::sarif;

use crate::RenderError;

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A result's severity, and its rule's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    /// The SARIF name: `error`, `warning`, `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    fn result_level(self) -> sarif::ResultLevel {
        match self {
            Level::Error => sarif::ResultLevel::Error,
            Level::Warning => sarif::ResultLevel::Warning,
            Level::Note => sarif::ResultLevel::Note,
        }
    }
}

/// A kind of result (a SARIF `reportingDescriptor`).
#[derive(Debug, Clone)]
pub struct Rule<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The level of its results.
    pub level: Level,
    /// `shortDescription`: one line.
    pub summary: &'a str,
    /// `fullDescription`.
    pub description: &'a str,
    /// `help`, for rules with documentation of their own.
    pub help: Option<Help<'a>>,
}

/// A rule's help: a plain-text pointer and its documentation in Markdown.
#[derive(Debug, Clone)]
pub struct Help<'a> {
    pub text: String,
    pub markdown: &'a str,
}

/// One result: an issue of `rules[rule_index]` at `path:line[:column]`.
#[derive(Debug, Clone)]
pub struct Issue<'a> {
    pub rule_index: usize,
    pub message: &'a str,
    /// A relative `/`-separated path, as recon prints it.
    pub path: &'a str,
    pub line: usize,
    /// 1-based, in characters (the log's `columnKind` is
    /// `unicodeCodePoints`).
    pub column: Option<usize>,
}

/// The log: one run of `recon` with `rules` and `issues` in the order
/// given. `uri_base_id` (e.g. `%SRCROOT%`) names what the paths are
/// relative to, when that is the checkout root.
pub fn log(
    rules: &[Rule<'_>],
    issues: &[Issue<'_>],
    uri_base_id: Option<&str>,
) -> Result<String, RenderError> {
    let results = issues
        .iter()
        .map(|issue| {
            let rule = rules.get(issue.rule_index).ok_or_else(|| {
                RenderError::Serialize(format!(
                    "rule index {} of `{}` out of range",
                    issue.rule_index, issue.message
                ))
            })?;
            Ok(sarif::Result::builder()
                .rule_id(rule.id)
                .rule_index(i64::try_from(issue.rule_index).unwrap_or(0))
                .level(rule.level.result_level())
                .message(sarif::Message::builder().text(issue.message).build())
                .locations(vec![location(issue, uri_base_id)])
                .build())
        })
        .collect::<Result<Vec<_>, RenderError>>()?;
    let driver = sarif::ToolComponent::builder()
        .name("recon")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .build();
    let log = sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    crate::pretty_json(&log)
}

fn descriptor(rule: &Rule<'_>) -> sarif::ReportingDescriptor {
    let text = |text: &str| {
        sarif::MultiformatMessageString::builder()
            .text(text)
            .build()
    };
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.name)
        .short_description(text(rule.summary))
        .full_description(text(rule.description))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::Value::from(rule.level.as_str()))
                .build(),
        )
        .build();
    descriptor.help = rule.help.as_ref().map(|help| {
        sarif::MultiformatMessageString::builder()
            .text(help.text.as_str())
            .markdown(help.markdown)
            .build()
    });
    descriptor
}

fn location(issue: &Issue<'_>, uri_base_id: Option<&str>) -> sarif::Location {
    let mut artifact = sarif::ArtifactLocation::builder()
        .uri(uri(issue.path))
        .build();
    artifact.uri_base_id = uri_base_id.map(str::to_owned);
    let mut region = sarif::Region::builder()
        .start_line(i64::try_from(issue.line).unwrap_or(1))
        .build();
    region.start_column = issue.column.map(|c| i64::try_from(c).unwrap_or(1));
    sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build(),
        )
        .build()
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
#[allow(clippy::unwrap_used)]
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

    #[test]
    fn a_result_names_its_rule_and_place() {
        let rules = [Rule {
            id: "R1",
            name: "RuleOne",
            level: Level::Warning,
            summary: "short",
            description: "full",
            help: None,
        }];
        let issue = Issue {
            rule_index: 0,
            message: "here",
            path: "a b.py",
            line: 3,
            column: Some(7),
        };
        let parsed: serde_json::Value = serde_json::from_str(
            &log(&rules, std::slice::from_ref(&issue), Some("%SRCROOT%")).unwrap(),
        )
        .unwrap();
        let result = &parsed["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "R1");
        assert_eq!(result["level"], "warning");
        let place = &result["locations"][0]["physicalLocation"];
        assert_eq!(place["artifactLocation"]["uri"], "a%20b.py");
        assert_eq!(place["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(place["region"]["startLine"], 3);
        assert_eq!(place["region"]["startColumn"], 7);
        let out_of_range = Issue {
            rule_index: 1,
            ..issue
        };
        assert!(log(&rules, &[out_of_range], None).is_err());
    }
}
