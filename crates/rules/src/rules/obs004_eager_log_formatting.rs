//! OBS004: a log message formatted before the logger sees it.

use recon_syntax::python_cst::{operator, plus_operands_all};
use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::python;
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

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    let Some((receiver, level)) = python::method_call(node, cx.src) else {
        return;
    };
    if !python::LOG_LEVELS.contains(&level) || !cx.facts.is_logger(receiver, cx.src) {
        return;
    }
    let index = usize::from(level == "log");
    let Some(message) = python::positional_args(node).get(index).copied() else {
        return;
    };
    if let Some(how) = eager(message, cx.src) {
        cx.report(message, &EagerLogFormatting { how });
    }
}

/// How `message` is eagerly formatted, if it is.
fn eager(message: Node<'_>, src: &str) -> Option<&'static str> {
    let message = python::unparenthesize(message);
    match message.kind() {
        "string" | "concatenated_string" if python::is_interpolated_fstring(message) => {
            Some("an f-string")
        }
        "call" => {
            let function = python::callee(message)?;
            (function.kind() == "attribute"
                && python::last_segment(function, src) == Some("format"))
            .then_some("`.format()`")
        }
        "binary_operator" => match operator(message)? {
            "%" => Some("`%`"),
            // Every operand a plain string literal: one constant, not eager.
            "+" if !plus_operands_all(message, |n| python::plain_string(n, src).is_some()) => {
                Some("`+`")
            }
            _ => None,
        },
        _ => None,
    }
}
