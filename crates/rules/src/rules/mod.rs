//! The rules, one file per rule, and the registry that names them.
//!
//! Each rule file declares one violation struct with [`violation!`]: the
//! struct's doc comment is the rule's documentation (What it does / Why it
//! matters / Example / Use instead), both for rustdoc and for `recon rule
//! CODE`, which prints [`Rule::doc`]. The file also holds the rule's `check`
//! function, called by the checker for every node of a file's tree.

/// Declare a rule's violation struct.
///
/// ```text
/// violation! {
///     /// ## What it does
///     /// ...
///     #[rule(code = "OBS000", name = "kebab-name", summary = "one line")]
///     pub struct Name { pub field: String }
/// }
/// ```
///
/// The doc comment becomes the struct's rustdoc and [`RuleMeta::DOC`].
macro_rules! violation {
    (
        $(#[doc = $doc:literal])*
        #[rule(code = $code:literal, name = $name:literal, summary = $summary:literal)]
        $vis:vis struct $ty:ident { $($body:tt)* }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis struct $ty { $($body)* }

        impl $crate::rules::RuleMeta for $ty {
            const CODE: &'static str = $code;
            const NAME: &'static str = $name;
            const SUMMARY: &'static str = $summary;
            const DOC: &'static str = concat!($($doc, "\n"),*);
        }
    };
}

pub mod obs001_print_in_application_code;
pub mod obs002_swallowed_exception;
pub mod obs003_error_without_traceback;
pub mod obs004_eager_log_formatting;
pub mod obs005_root_logger_call;
pub mod obs006_wall_clock_duration;
pub mod obs007_http_request_without_timeout;
pub mod obs008_fire_and_forget_task;
pub mod obs009_hardcoded_notification_secret;
pub mod obs010_unhandled_websocket_message;

use obs001_print_in_application_code::PrintInApplicationCode;
use obs002_swallowed_exception::SwallowedException;
use obs003_error_without_traceback::ErrorWithoutTraceback;
use obs004_eager_log_formatting::EagerLogFormatting;
use obs005_root_logger_call::RootLoggerCall;
use obs006_wall_clock_duration::WallClockDuration;
use obs007_http_request_without_timeout::HttpRequestWithoutTimeout;
use obs008_fire_and_forget_task::FireAndForgetTask;
use obs009_hardcoded_notification_secret::HardcodedNotificationSecret;
use obs010_unhandled_websocket_message::UnhandledWebsocketMessage;

/// What a Python module must hold for a rule that reads the semantic
/// model (OBS007, OBS008) to find anything in it: each such rule's
/// `TRIGGER`. The model is built over the checked modules that match, and
/// those named like what the triggers name ([`names_a_model_library`]).
pub(crate) static MODEL_RULE_WORDS: std::sync::LazyLock<regex_automata::meta::Regex> =
    std::sync::LazyLock::new(|| {
        one_pattern(&[
            obs007_http_request_without_timeout::TRIGGER,
            obs008_fire_and_forget_task::TRIGGER,
        ])
    });

/// Whether the module at `rel` is named like a library or function the
/// model rules look for (`requests.py`, `httpx/__init__.py`): in the
/// model, it shadows the library for the modules that import it.
pub(crate) fn names_a_model_library(rel: &str) -> bool {
    let stem = rel.strip_suffix(".py").unwrap_or(rel);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    let name = stem.rsplit('/').next().unwrap_or(stem);
    matches!(name, "requests" | "httpx" | "asyncio")
}

/// Whether a Python module may hold what a rule that reads the semantic
/// model looks for: one of the names the rules' triggers need (a fast
/// literal search, which rules out most modules), then
/// [`MODEL_RULE_WORDS`].
pub(crate) fn may_find_in_model(src: &str) -> bool {
    static NAMES: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            obs007_http_request_without_timeout::NAMES
                .iter()
                .chain(obs008_fire_and_forget_task::NAMES)
                .map(|name| memchr::memmem::Finder::new(name.as_bytes()))
                .collect()
        });
    NAMES.iter().any(|name| name.find(src.as_bytes()).is_some()) && MODEL_RULE_WORDS.is_match(src)
}

fn one_pattern(patterns: &[&str]) -> regex_automata::meta::Regex {
    #[allow(clippy::expect_used)] // constant patterns, tested below
    regex_automata::meta::Regex::new(&patterns.join("|"))
        .expect("the rules' trigger patterns compile")
}

/// What every violation struct knows about its rule.
pub trait RuleMeta {
    /// `OBSnnn`.
    const CODE: &'static str;
    /// The kebab-case name.
    const NAME: &'static str;
    /// One line, for tables and SARIF's short description.
    const SUMMARY: &'static str;
    /// The doc comment, one `#[doc]` line per line (each with the leading
    /// space rustdoc keeps).
    const DOC: &'static str;
}

/// A violation: the rule it breaks and the message it prints.
pub trait Violation: RuleMeta {
    /// The rule.
    const RULE: Rule;
    /// The one-line message printed after the code.
    fn message(&self) -> String;
}

/// Every rule, by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Obs001,
    Obs002,
    Obs003,
    Obs004,
    Obs005,
    Obs006,
    Obs007,
    Obs008,
    Obs009,
    Obs010,
}

macro_rules! meta {
    ($rule:expr, $what:ident) => {
        match $rule {
            Rule::Obs001 => PrintInApplicationCode::$what,
            Rule::Obs002 => SwallowedException::$what,
            Rule::Obs003 => ErrorWithoutTraceback::$what,
            Rule::Obs004 => EagerLogFormatting::$what,
            Rule::Obs005 => RootLoggerCall::$what,
            Rule::Obs006 => WallClockDuration::$what,
            Rule::Obs007 => HttpRequestWithoutTimeout::$what,
            Rule::Obs008 => FireAndForgetTask::$what,
            Rule::Obs009 => HardcodedNotificationSecret::$what,
            Rule::Obs010 => UnhandledWebsocketMessage::$what,
        }
    };
}

impl Rule {
    /// Every rule, in code order.
    pub const ALL: [Rule; 10] = [
        Rule::Obs001,
        Rule::Obs002,
        Rule::Obs003,
        Rule::Obs004,
        Rule::Obs005,
        Rule::Obs006,
        Rule::Obs007,
        Rule::Obs008,
        Rule::Obs009,
        Rule::Obs010,
    ];

    /// `OBSnnn`.
    pub fn code(self) -> &'static str {
        meta!(self, CODE)
    }

    /// The kebab-case name (`swallowed-exception`).
    pub fn name(self) -> &'static str {
        meta!(self, NAME)
    }

    /// One line.
    pub fn summary(self) -> &'static str {
        meta!(self, SUMMARY)
    }

    /// The rule's documentation as Markdown: its violation struct's doc
    /// comment, with the one leading space of each line removed.
    pub fn doc(self) -> String {
        let raw: &str = meta!(self, DOC);
        let mut out = String::with_capacity(raw.len());
        for line in raw.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The rule with this code or name (case-insensitive).
    pub fn from_code(text: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(text) || r.name().eq_ignore_ascii_case(text))
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The model rules' words: a module naming neither library nor task
    /// factory is not read into the model; a word inside a longer one is
    /// not the name.
    #[test]
    fn model_rule_words() {
        for text in [
            "import requests as r",
            "from httpx import AsyncClient",
            "from asyncio import create_task as spawn",
            "loop.ensure_future(job())",
        ] {
            assert!(MODEL_RULE_WORDS.is_match(text), "{text}");
        }
        for text in [
            "import requests as r",
            "from asyncio import create_task as spawn",
        ] {
            assert!(may_find_in_model(text), "{text}");
        }
        assert!(!may_find_in_model("from asyncio import gather"));
        for text in [
            "import requests_mock",
            "self.pending_requests = 0",
            "create_tasks()",
        ] {
            assert!(!MODEL_RULE_WORDS.is_match(text), "{text}");
        }
    }

    #[test]
    fn codes_are_in_order_and_unique() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(rule.code(), format!("OBS{:03}", i + 1));
            assert_eq!(Rule::from_code(rule.code()), Some(*rule));
            assert_eq!(Rule::from_code(rule.name()), Some(*rule));
        }
    }

    #[test]
    fn every_doc_has_the_four_sections() {
        for rule in Rule::ALL {
            let doc = rule.doc();
            let mut at = 0;
            for section in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## Use instead",
            ] {
                let found = doc[at..]
                    .find(section)
                    .unwrap_or_else(|| panic!("{rule}: no `{section}` after byte {at}"));
                at += found + section.len();
            }
            assert!(doc.starts_with("## What it does\n"), "{rule}: {doc}");
        }
    }
}
