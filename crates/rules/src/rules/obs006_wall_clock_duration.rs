//! OBS006: a duration measured with the wall clock.

use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::python;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags a subtraction `A - B` (a binary `-`, parentheses dropped around
    /// the operands) whose two operands are both *wall-clock values*:
    ///
    /// - a *wall-clock read*: a call of `time.time()` or `time.time_ns()`,
    ///   or of `time()` / `time_ns()` when the module has `from time import
    ///   time` (`time_ns`) without alias;
    /// - an identifier `N` bound by an assignment `N = <wall-clock read>`
    ///   (a chain `a = b = time.time()` binds each target) that ends before
    ///   the subtraction starts, in the function the subtraction is in, in a
    ///   function enclosing that one, or at module level;
    /// - an attribute `X.N` (`self.started`) that the same file assigns a
    ///   wall-clock read to anywhere (attributes outlive a function).
    ///
    /// The subtraction is reported where it starts. `time.time() - ts` with
    /// `ts` of unknown origin (a parameter, a database value, a JWT `iat`) is
    /// not flagged: comparing the current time with a stored timestamp is
    /// what the wall clock is for.
    ///
    /// ## Why it matters
    ///
    /// `time.time()` follows the system clock, which NTP slews and steps and
    /// an operator can set: a duration computed from it can be negative or
    /// off by seconds, and `time.time()` has coarse resolution on some
    /// platforms. Latency metrics and timeouts built on it lie exactly when
    /// the system is under stress.
    ///
    /// ## Example
    ///
    /// ```python
    /// start = time.time()
    /// result = search(query)
    /// search_ms = (time.time() - start) * 1000
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// start = time.perf_counter()
    /// result = search(query)
    /// search_ms = (time.perf_counter() - start) * 1000
    /// ```
    ///
    /// (`time.monotonic()` for timeouts and deadlines.)
    #[rule(code = "OBS006", name = "wall-clock-duration", summary = "duration measured with time.time()")]
    pub struct WallClockDuration {}
}

impl Violation for WallClockDuration {
    const RULE: Rule = Rule::Obs006;
    fn message(&self) -> String {
        "duration measured with `time.time()`; use `time.perf_counter()` (or `time.monotonic()`)"
            .to_owned()
    }
}

/// What a module must hold for this rule to find anything (the text is
/// searched before the module is parsed for it): a call of `time.time` or
/// `time.time_ns`, or an import from `time` (which may bind `time()`).
pub(crate) const TRIGGER: &str = r"\btime\s*\.\s*time(?:_ns)?\s*\(|\bfrom\s+time\s+import\b";

/// What a top-level statement of such a module must hold for this rule to
/// find anything in it: a call of `time` or `time_ns` (under `from time
/// import time`, a bare one), unless it names a name bound to one (see
/// `TreeSpans` in the checker).
pub(crate) const STATEMENT_TRIGGER: &str = r"\btime(?:_ns)?\s*\(";

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    if node.kind() != "binary_operator"
        || node.child_by_field_name("operator").map(|o| o.kind()) != Some("-")
    {
        return;
    }
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    if is_wall_clock_value(left, node, cx) && is_wall_clock_value(right, node, cx) {
        cx.report(node, &WallClockDuration {});
    }
}

fn is_wall_clock_value(operand: Node<'_>, subtraction: Node<'_>, cx: &FileCheck<'_>) -> bool {
    let operand = python::unparenthesize(operand);
    if python::is_wall_clock_read(operand, cx.src, cx.facts) {
        return true;
    }
    let Some(name) = python::dotted_name(operand, cx.src) else {
        return false;
    };
    let Some(bindings) = cx.facts.clock_bindings.get(&name) else {
        return false;
    };
    if operand.kind() == "attribute" {
        return true;
    }
    // The functions around the subtraction, innermost first, then the module.
    let mut scopes = Vec::new();
    let mut current = python::enclosing_function(subtraction);
    while let Some(function) = current {
        scopes.push(Some(function.id()));
        current = python::enclosing_function(function);
    }
    scopes.push(None);
    bindings
        .iter()
        .any(|b| scopes.contains(&b.scope) && b.end_byte <= subtraction.start_byte())
}
