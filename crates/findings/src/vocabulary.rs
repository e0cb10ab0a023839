//! Words the scan, the report and `recon check` must read the same way,
//! defined once.

/// Test code, by the conventions of pytest and of Jest/Vitest: a
/// directory component named `tests`, `test` or `__tests__`; a base name
/// `conftest.py`, `test_*.py` or `*_test.py`; a base name with a `.test.`
/// or `.spec.` part (`api.test.ts`, `Chat.spec.svelte`). Other names that
/// merely start with `test` (`test_setup.ts`, `testing/`) are not.
///
/// ```
/// use recon_findings::vocabulary::is_test_path;
/// assert!(is_test_path("tests/test_api.py"));
/// assert!(is_test_path("web/src/lib/__tests__/ws.ts"));
/// assert!(is_test_path("web/src/api.spec.ts"));
/// assert!(!is_test_path("web/test_setup.ts"));
/// ```
pub fn is_test_path(rel: &str) -> bool {
    let mut components: Vec<&str> = rel.split('/').collect();
    let base = components.pop().unwrap_or("");
    components
        .iter()
        .any(|c| matches!(*c, "tests" | "test" | "__tests__"))
        || base == "conftest.py"
        || (base.starts_with("test_") && base.ends_with(".py"))
        || base.ends_with("_test.py")
        || base.contains(".test.")
        || base.contains(".spec.")
}

/// The paths of incoming-webhook URLs (Slack, Discord, Microsoft Teams):
/// whoever has such a URL with its token can post to the channel (see
/// [`crate::HardcodedSecret`]).
pub const WEBHOOK_MARKERS: &[&str] = &[
    "hooks.slack.com/services/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    "outlook.office.com/webhook",
    "webhook.office.com/webhookb2/",
];

/// The [`WEBHOOK_MARKERS`] entry `text` holds a URL of: the marker
/// followed by an ASCII letter or digit before the next whitespace or
/// quote (a token, not a placeholder read as a space).
///
/// ```
/// use recon_findings::vocabulary::webhook_marker_in;
/// assert_eq!(
///     webhook_marker_in("https://hooks.slack.com/services/T0/B0/abc"),
///     Some("hooks.slack.com/services/")
/// );
/// assert_eq!(webhook_marker_in("https://hooks.slack.com/services/"), None);
/// assert_eq!(webhook_marker_in("https://hooks.slack.com/services/ x"), None);
/// assert_eq!(webhook_marker_in("https://example.com/webhook/abc"), None);
/// ```
pub fn webhook_marker_in(text: &str) -> Option<&'static str> {
    WEBHOOK_MARKERS.iter().copied().find(|marker| {
        text.match_indices(marker).any(|(at, _)| {
            text[at + marker.len()..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '`'))
                .any(|c| c.is_ascii_alphanumeric())
        })
    })
}

/// The host of a [`WEBHOOK_MARKERS`] entry (`hooks.slack.com`).
pub fn webhook_host(marker: &str) -> &str {
    marker.split('/').next().unwrap_or(marker)
}

/// Whether a name a value is given to names an SMTP password: lower-cased,
/// it contains both `smtp` and `pass` (`SMTP_PASSWORD`, `smtp_pass`).
pub fn is_smtp_password_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("smtp") && lower.contains("pass")
}

use crate::LogLevel;

/// The level methods of a logger, in severity order (`log` last: its
/// level is its first argument), each with the level it logs at.
pub const LOG_LEVELS: [(&str, LogLevel); 9] = [
    ("debug", LogLevel::Debug),
    ("info", LogLevel::Info),
    ("warning", LogLevel::Warning),
    ("warn", LogLevel::Warn),
    ("error", LogLevel::Error),
    ("exception", LogLevel::Exception),
    ("critical", LogLevel::Critical),
    ("fatal", LogLevel::Fatal),
    ("log", LogLevel::Log),
];

/// The level methods' names, in [`LOG_LEVELS`] order.
pub const LOG_LEVEL_METHODS: [&str; 9] = {
    let mut out = [""; 9];
    let mut i = 0;
    while i < LOG_LEVELS.len() {
        out[i] = LOG_LEVELS[i].0;
        i += 1;
    }
    out
};

impl LogLevel {
    /// The level a logger method logs at (`warn` is `Warn`).
    pub fn from_method(name: &str) -> Option<LogLevel> {
        LOG_LEVELS
            .iter()
            .find(|(method, _)| *method == name)
            .map(|(_, level)| *level)
    }

    /// The method that logs at this level.
    pub fn method(self) -> &'static str {
        LOG_LEVELS
            .iter()
            .find(|(_, level)| *level == self)
            .map_or("log", |(method, _)| method)
    }

    /// The position in severity order ([`LOG_LEVELS`]).
    pub fn severity_rank(self) -> usize {
        LOG_LEVELS
            .iter()
            .position(|(_, level)| *level == self)
            .unwrap_or(LOG_LEVELS.len())
    }
}

/// Names the level methods of a logger are called on without a binding
/// (`logger.info(...)` in a module that never binds `logger`).
pub const COMMON_LOGGER_NAMES: [&str; 5] = ["logger", "log", "_logger", "LOGGER", "_log"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_by_convention() {
        for path in [
            "tests/x.py",
            "pkg/test/x.py",
            "a/__tests__/b.ts",
            "conftest.py",
            "pkg/conftest.py",
            "pkg/test_api.py",
            "pkg/api_test.py",
            "web/api.test.ts",
            "web/Chat.spec.svelte",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "web/test_setup.ts",
            "testing/x.py",
            "pkg/contest.py",
            "pkg/latest.py",
            "tests.py",
            "pkg/test_data.json.bak",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }
}

#[cfg(test)]
mod level_tests {
    use super::*;

    /// Each level's method is its serde name, and the two lookups agree.
    #[test]
    fn levels_round_trip() {
        for (method, level) in LOG_LEVELS {
            assert_eq!(LogLevel::from_method(method), Some(level));
            assert_eq!(level.method(), method);
            let serde = serde_json::to_value(level).unwrap_or_default();
            assert_eq!(serde.as_str(), Some(method));
        }
        assert_eq!(LogLevel::from_method("trace"), None);
        assert_eq!(LOG_LEVEL_METHODS[8], "log");
    }
}

/// The statements that do nothing with a caught exception.
const SWALLOWING: [&str; 3] = ["pass", "continue", "..."];

/// Whether an `except` body is swallowed: one or more statements, each
/// `pass`, `continue` or `...` (in parentheses or not). The readers of a
/// body (the token pass, the tree) give each statement directly in it, as
/// its text with outer parentheses and whitespace removed; this decides,
/// for the scan, the report and `recon check` alike.
///
/// ```
/// use recon_findings::vocabulary::SwallowedBody;
/// let mut body = SwallowedBody::default();
/// body.statement("pass");
/// body.statement("...");
/// body.statement("pass");
/// assert_eq!(body.swallowed_by(), vec!["pass", "..."]);
/// body.statement("log(e)");
/// assert!(body.swallowed_by().is_empty());
/// ```
#[derive(Debug, Default, Clone)]
pub struct SwallowedBody {
    /// The distinct swallowing statements, in order of first appearance.
    seen: Vec<&'static str>,
    /// Some statement does something.
    acts: bool,
}

impl SwallowedBody {
    /// One statement of the body, as described above.
    pub fn statement(&mut self, text: &str) {
        match SWALLOWING.iter().find(|word| **word == text) {
            Some(word) if !self.seen.contains(word) => self.seen.push(word),
            Some(_) => {}
            None => self.acts = true,
        }
    }

    /// The distinct swallowing statements in order of first appearance
    /// when the body is swallowed; empty when it does something (or no
    /// statement was given).
    pub fn swallowed_by(&self) -> Vec<String> {
        if self.acts {
            return Vec::new();
        }
        self.seen.iter().map(|w| (*w).to_owned()).collect()
    }
}
