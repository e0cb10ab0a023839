//! OBS001: `print()` in application code.

use recon_syntax::ModuleFindings;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags every call of the built-in `print` in application code: a call
    /// whose callee is the bare identifier `print` (not an attribute such as
    /// `console.print`). The call is reported where it starts.
    ///
    /// Exempt:
    ///
    /// - **tests**: a file with a directory component named `tests` or
    ///   `test` (relative to the checkout root), or whose base name is
    ///   `conftest.py`, `test_*.py` or `*_test.py`;
    /// - **scripts outside packages**: a file whose first line starts with
    ///   `#!`, or a file that is not directly in the checkout root and whose
    ///   own directory has no `__init__.py` file (`scripts/backfill.py`
    ///   beside no `__init__.py`). Files directly in the checkout root are
    ///   never scripts by this test: a flat project's modules live there;
    /// - **`__main__` blocks**: calls lexically inside the body of an
    ///   `if __name__ == "__main__":` statement (operands in either order,
    ///   any quotes, parentheses allowed; the `if` body only, not its `elif`
    ///   or `else`), nested functions included.
    ///
    /// ## Why it matters
    ///
    /// `print` writes to stdout with no level, no timestamp, no logger name
    /// and no request context: it bypasses the logging configuration, cannot
    /// be filtered or shipped to the log pipeline, and interleaves with the
    /// server's own output. In a service it is a log line nobody can find.
    ///
    /// ## Example
    ///
    /// ```python
    /// def refresh_cache(key):
    ///     print(f"refreshing {key}")
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// logger = logging.getLogger(__name__)
    ///
    /// def refresh_cache(key):
    ///     logger.info("refreshing %s", key)
    /// ```
    #[rule(code = "OBS001", name = "print-in-application-code", summary = "print() in application code")]
    pub struct PrintInApplicationCode {}
}

impl Violation for PrintInApplicationCode {
    const RULE: Rule = Rule::Obs001;
    fn message(&self) -> String {
        "`print()` in application code; use a module logger".to_owned()
    }
}

/// The scan's `print_calls`: exempt ones (tests, scripts, `__main__`
/// blocks) are not reported.
pub(crate) fn check(module: &ModuleFindings, out: &mut Report<'_>) {
    for (at, _) in module.print_calls.iter().filter(|(_, p)| !p.exempt) {
        out.add(*at, &PrintInApplicationCode {});
    }
}
