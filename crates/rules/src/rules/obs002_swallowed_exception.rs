//! OBS002: an exception swallowed without a trace.

use recon_syntax::ModuleFindings;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags an `except` or `except*` clause whose body consists only of
    /// `pass`, `continue` and `...` statements (one or more, comments
    /// ignored). Such a body can neither log, re-raise, return an error nor
    /// read the bound exception. The clause is reported at its `except`
    /// keyword, whatever exception type it names (bare `except:` included).
    ///
    /// ## Why it matters
    ///
    /// The error disappears: no log line, no metric, no trace span marked as
    /// failed. When the code after it misbehaves, nothing links the symptom
    /// to its cause, and an outage looks like silence.
    ///
    /// ## Example
    ///
    /// ```python
    /// try:
    ///     cache.set(key, value)
    /// except ConnectionError:
    ///     pass
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// try:
    ///     cache.set(key, value)
    /// except ConnectionError:
    ///     logger.warning("cache unavailable, serving uncached", exc_info=True)
    /// ```
    ///
    /// When ignoring is the point, say so where it happens:
    /// `contextlib.suppress(ConnectionError)`, or a suppression comment
    /// `# recon: ignore[OBS002]` on the `except` line.
    #[rule(code = "OBS002", name = "swallowed-exception", summary = "except clause that only passes, continues or does nothing")]
    pub struct SwallowedException {
        /// The body's statements as written (`pass`, `continue`, `...`).
        pub body: String,
    }
}

impl Violation for SwallowedException {
    const RULE: Rule = Rule::Obs002;
    fn message(&self) -> String {
        format!(
            "exception swallowed (`{}`): log it, re-raise it or handle it",
            self.body
        )
    }
}

/// The scan's `except_bodies`, swallowed ones.
pub(crate) fn check(module: &ModuleFindings, out: &mut Report<'_>) {
    for (at, body) in module.except_bodies.iter().filter(|(_, b)| b.swallowed) {
        let body = body.swallowed_by.join("; ");
        out.add(*at, &SwallowedException { body });
    }
}
