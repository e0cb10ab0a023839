//! OBS009: a webhook URL or SMTP password written in the source.

use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::rules::{Rule, Violation};
use crate::{frontend, python};

/// Webhook URL markers: whoever has the URL can post to the channel.
pub const WEBHOOK_MARKERS: &[&str] = &[
    "hooks.slack.com/services/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    "outlook.office.com/webhook",
    "webhook.office.com/webhookb2/",
];

violation! {
    /// ## What it does
    ///
    /// Flags credentials of alerting channels written in the source.
    ///
    /// **Webhook URLs**, in Python, TypeScript, JavaScript and Svelte
    /// `<script>` code: a string literal (Python: each `str`/bytes literal or
    /// implicit concatenation, f-strings included; TS: string and template
    /// literals) whose text contains one of
    /// `hooks.slack.com/services/`, `discord.com/api/webhooks/`,
    /// `discordapp.com/api/webhooks/`, `outlook.office.com/webhook` or
    /// `webhook.office.com/webhookb2/`, followed by at least one ASCII letter
    /// or digit before the next whitespace, quote or placeholder (a
    /// placeholder `{...}` / `${...}` counts as a space, so
    /// `f"https://hooks.slack.com/services/{token}"` is not flagged).
    ///
    /// **SMTP passwords**, in Python: a *secret literal* is a non-empty `str`
    /// literal without placeholder. Flagged:
    ///
    /// - `X.login(user, P)` with `P` (the second positional argument or
    ///   `password=`) a secret literal, when the module imports `smtplib` or
    ///   `aiosmtplib` (`import` or `from ... import`), or `X`'s last segment
    ///   contains `smtp` (any case);
    /// - an assignment (`=`, annotated, each target of a chain), a keyword
    ///   argument or a dict entry (string key) whose name, lower-cased,
    ///   contains both `smtp` and `pass` (`SMTP_PASSWORD`, `smtp_pass`) and
    ///   whose value is a secret literal.
    ///
    /// The literal is reported where it starts.
    ///
    /// ## Why it matters
    ///
    /// A webhook URL is a bearer credential: anyone who reads the repository,
    /// a fork, a CI log or a bundle shipped to browsers can post fake alerts
    /// to the on-call channel, or flood it until real alerts are missed. An
    /// SMTP password in the source leaks the mail account the same way.
    /// Rotating either means a code change and a deploy.
    ///
    /// ## Example
    ///
    /// ```python
    /// SLACK_WEBHOOK = "https://hooks.slack.com/services/T000/B000/XXXXXXXX"
    /// SMTP_PASSWORD = "hunter2"
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// SLACK_WEBHOOK = os.environ["SLACK_WEBHOOK_URL"]
    /// SMTP_PASSWORD = os.environ["SMTP_PASSWORD"]
    /// ```
    #[rule(code = "OBS009", name = "hardcoded-notification-secret", summary = "webhook URL or SMTP password in a literal")]
    pub struct HardcodedNotificationSecret {
        /// What was found: the webhook marker, or `SMTP password`.
        pub what: String,
    }
}

impl Violation for HardcodedNotificationSecret {
    const RULE: Rule = Rule::Obs009;
    fn message(&self) -> String {
        format!(
            "hard-coded {}; read it from the environment or a secret store",
            self.what
        )
    }
}

/// The webhook marker `text` holds a URL of, if any.
pub fn webhook_in(text: &str) -> Option<&'static str> {
    WEBHOOK_MARKERS.iter().copied().find(|marker| {
        text.match_indices(marker).any(|(at, _)| {
            text[at + marker.len()..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '`'))
                .any(|c| c.is_ascii_alphanumeric())
        })
    })
}

fn webhook_violation(marker: &str) -> HardcodedNotificationSecret {
    let host = marker.split('/').next().unwrap_or(marker);
    HardcodedNotificationSecret {
        what: format!("webhook URL ({host})"),
    }
}

fn smtp_violation() -> HardcodedNotificationSecret {
    HardcodedNotificationSecret {
        what: "SMTP password".to_owned(),
    }
}

fn is_smtp_password_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("smtp") && lower.contains("pass")
}

/// A non-empty `str` literal without placeholder.
fn is_secret_literal(node: Node<'_>, src: &str) -> bool {
    python::plain_string(node, src).is_some_and(|s| !s.is_empty())
}

/// What a module must hold for this rule to find anything (see
/// [`super::TREE_RULE_LITERALS`]): a webhook host of [`WEBHOOK_MARKERS`]
/// (the host alone: a URL may be split over implicitly concatenated
/// strings after it), or `smtp` in any case.
pub(crate) const TRIGGER: &str = r"slack\.com|discord(?:app)?\.com|office\.com|(?i:smtp)";

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    match node.kind() {
        "concatenated_string" => webhook(node, cx),
        "string"
            if node
                .parent()
                .is_none_or(|p| p.kind() != "concatenated_string") =>
        {
            webhook(node, cx);
        }
        "call" => smtp_login(node, cx),
        "assignment" => {
            let Some(target) = node.child_by_field_name("left") else {
                return;
            };
            let mut value = node.child_by_field_name("right");
            while let Some(v) = value.filter(|v| v.kind() == "assignment") {
                value = v.child_by_field_name("right");
            }
            if let Some(value) = value
                && python::last_segment(target, cx.src).is_some_and(is_smtp_password_name)
                && is_secret_literal(value, cx.src)
            {
                cx.report(value, &smtp_violation());
            }
        }
        "keyword_argument" => {
            if let (Some(name), Some(value)) = (
                node.child_by_field_name("name"),
                node.child_by_field_name("value"),
            ) && is_smtp_password_name(cx.text(name))
                && is_secret_literal(value, cx.src)
            {
                cx.report(value, &smtp_violation());
            }
        }
        "pair" => {
            if let (Some(key), Some(value)) = (
                node.child_by_field_name("key"),
                node.child_by_field_name("value"),
            ) && python::plain_string(key, cx.src).is_some_and(|k| is_smtp_password_name(&k))
                && is_secret_literal(value, cx.src)
            {
                cx.report(value, &smtp_violation());
            }
        }
        _ => {}
    }
}

fn webhook(node: Node<'_>, cx: &mut FileCheck<'_>) {
    if let Some(marker) = python::literal_text(node, cx.src).and_then(|t| webhook_in(&t)) {
        cx.report(node, &webhook_violation(marker));
    }
}

fn smtp_login(node: Node<'_>, cx: &mut FileCheck<'_>) {
    let Some((receiver, "login")) = python::method_call(node, cx.src) else {
        return;
    };
    let smtp_module = cx.facts.imports.iter().any(|m| is_smtp_module(m))
        || cx.facts.from_imports.iter().any(|(m, _)| is_smtp_module(m));
    let smtp_receiver = python::last_segment(receiver, cx.src)
        .is_some_and(|s| s.to_ascii_lowercase().contains("smtp"));
    if !smtp_module && !smtp_receiver {
        return;
    }
    let password = python::keyword_arg(node, "password", cx.src)
        .or_else(|| python::positional_args(node).get(1).copied());
    if let Some(password) = password
        && is_secret_literal(password, cx.src)
    {
        cx.report(password, &smtp_violation());
    }
}

fn is_smtp_module(module: &str) -> bool {
    matches!(module, "smtplib" | "aiosmtplib")
}

/// OBS009 on a TypeScript string or template literal.
pub(crate) fn check_frontend(node: Node<'_>, cx: &mut FileCheck<'_>) {
    if let Some(marker) = frontend::literal_text(node, cx.src).and_then(|t| webhook_in(&t)) {
        cx.report(node, &webhook_violation(marker));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::webhook_in;

    #[test]
    fn webhook_markers_need_a_token() {
        assert_eq!(
            webhook_in("https://hooks.slack.com/services/T0/B0/abc"),
            Some("hooks.slack.com/services/")
        );
        assert_eq!(webhook_in("https://hooks.slack.com/services/"), None);
        assert_eq!(webhook_in("https://hooks.slack.com/services/ x"), None);
        assert_eq!(
            webhook_in("see https://discord.com/api/webhooks/123/tok"),
            Some("discord.com/api/webhooks/")
        );
        assert_eq!(
            webhook_in("https://outlook.office.com/webhook/abc@def/IncomingWebhook/x"),
            Some("outlook.office.com/webhook")
        );
        assert_eq!(webhook_in("https://example.com/webhook/abc"), None);
    }
}
