//! OBS003: `logger.error(...)` in an except clause without the traceback.

use recon_findings::LogLevel;
use recon_syntax::ModuleFindings;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags a call `R.error(...)`, `R` a logger, lexically inside the body
    /// of an `except`/`except*` clause (with no `def`, `lambda` or `class`
    /// between the clause and the call), that passes no `exc_info=` keyword
    /// and no `**mapping` (which could carry one).
    ///
    /// `R` is a logger when it is the identifier `logging`, or when its last
    /// segment is one of `logger log _logger LOGGER _log`, or the last
    /// segment of a target that the module binds to a call of `getLogger` /
    /// `get_logger` (the `log_calls` rule of `recon scan`). The call is
    /// reported where it starts.
    ///
    /// ## Why it matters
    ///
    /// The log line says that something failed but not where: without the
    /// traceback nobody can tell which call raised, and `str(e)` of many
    /// exceptions is empty or ambiguous (`KeyError: 'id'`). Error trackers
    /// and log pipelines group errors by their stack; a stackless error
    /// cannot be grouped or linked to its trace.
    ///
    /// ## Example
    ///
    /// ```python
    /// try:
    ///     charge(order)
    /// except PaymentError as e:
    ///     logger.error("charge failed for %s: %s", order.id, e)
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// try:
    ///     charge(order)
    /// except PaymentError:
    ///     logger.exception("charge failed for %s", order.id)
    /// ```
    ///
    /// or `logger.error(..., exc_info=True)` where the level must stay
    /// `error` under a custom logger.
    #[rule(code = "OBS003", name = "error-without-traceback", summary = "logger.error() in an except clause without exc_info")]
    pub struct ErrorWithoutTraceback {
        /// The receiver as written (`logger`, `self.log`).
        pub receiver: String,
    }
}

impl Violation for ErrorWithoutTraceback {
    const RULE: Rule = Rule::Obs003;
    fn message(&self) -> String {
        format!(
            "`{}.error()` in an except clause drops the traceback; use `{}.exception()` or pass `exc_info=True`",
            self.receiver, self.receiver
        )
    }
}

/// The scan's `log_messages`: `error` calls in an except body without
/// `exc_info`.
pub(crate) fn check(module: &ModuleFindings, out: &mut Report<'_>) {
    for (at, message) in &module.log_messages {
        if message.level == LogLevel::Error && message.in_except && !message.exc_info {
            let receiver = message.receiver.clone();
            out.add(*at, &ErrorWithoutTraceback { receiver });
        }
    }
}
