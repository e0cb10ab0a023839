//! OBS009: a webhook URL or SMTP password written in the source.

use recon_findings::{HardcodedSecret, Position, SecretKind};

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags credentials of alerting channels written in the source: the
    /// scan's `hardcoded_secrets` (its rule is on
    /// `recon_findings::HardcodedSecret`), at the literal's start.
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
    /// The literal is reported where it starts. `recon scan` lists the same
    /// lines under Alert Integration (`hardcoded-notification-secret`).
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

/// The scan's `hardcoded_secrets` of one file (Python, TypeScript or
/// Svelte).
pub(crate) fn check(secrets: &[(Position, HardcodedSecret)], out: &mut Report<'_>) {
    for (at, secret) in secrets {
        let what = match secret.kind {
            SecretKind::WebhookUrl => format!("webhook URL ({})", secret.name),
            SecretKind::SmtpPassword => "SMTP password".to_owned(),
        };
        out.add(*at, &HardcodedNotificationSecret { what });
    }
}
