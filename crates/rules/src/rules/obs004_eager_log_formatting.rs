//! OBS004: a log message formatted before the logger sees it.

use recon_findings::MessageKind;
use recon_syntax::ModuleFindings;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags a log call whose message is built eagerly. A log call is
    /// `R.L(...)`, `R` a logger (as in OBS003: `logging`, a common logger
    /// name, or a name the module binds to `getLogger`/`get_logger`) and `L`
    /// one of `debug info warning warn error exception critical fatal log`.
    /// The message is the first positional argument (the second for `log`,
    /// whose first is the level). It is *eagerly formatted* when, with
    /// parentheses dropped, it is:
    ///
    /// - an f-string with at least one placeholder (or an implicit
    ///   concatenation with such a part): `f"user {uid}"`;
    /// - a call of a `format` attribute: `"user {}".format(uid)`;
    /// - a `%` operation: `"user %s" % uid`;
    /// - a `+` operation, unless every operand of the `+` chain is a plain
    ///   string literal (`"a" + "b"` is constant).
    ///
    /// The message argument is reported where it starts.
    ///
    /// ## Why it matters
    ///
    /// A pre-formatted message is a different string for every value, so log
    /// pipelines cannot group the lines of one event, and the values are lost
    /// as fields (no `user_id=...` to filter on). It is also built even when
    /// the level is disabled. Passing the arguments keeps one message
    /// template per event and the values as `record.args` (or structured
    /// fields), formatted only when the record is emitted.
    ///
    /// ## Example
    ///
    /// ```python
    /// logger.info(f"user {user_id} logged in from {ip}")
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// logger.info("user %s logged in from %s", user_id, ip)
    /// # or, with structured logging:
    /// logger.info("user logged in", extra={"user_id": user_id, "ip": ip})
    /// ```
    #[rule(code = "OBS004", name = "eager-log-formatting", summary = "log message built with an f-string, .format, % or +")]
    pub struct EagerLogFormatting {
        /// How the message is built: `f-string`, `.format()`, `%` or `+`.
        pub how: &'static str,
    }
}

impl Violation for EagerLogFormatting {
    const RULE: Rule = Rule::Obs004;
    fn message(&self) -> String {
        format!(
            "log message formatted eagerly with {}; pass the values as arguments",
            self.how
        )
    }
}

/// The scan's `log_messages` whose message is formatted eagerly
/// ([`MessageKind::is_eager`]), reported at the message.
pub(crate) fn check(module: &ModuleFindings, out: &mut Report<'_>) {
    for (_, message) in module
        .log_messages
        .iter()
        .filter(|(_, m)| m.message.is_eager())
    {
        let how = match message.message {
            MessageKind::Fstring => "an f-string",
            MessageKind::Format => "`.format()`",
            MessageKind::Percent => "`%`",
            _ => "`+`",
        };
        if let Some(at) = message.message_at {
            out.add(at, &EagerLogFormatting { how });
        }
    }
}
