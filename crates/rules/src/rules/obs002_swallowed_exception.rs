//! OBS002: an exception swallowed without a trace.

use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::python;
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

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    if node.kind() != "except_clause" {
        return;
    }
    let Some(block) = node
        .named_children(&mut node.walk())
        .find(|c| c.kind() == "block")
    else {
        return;
    };
    let statements: Vec<Node<'_>> = block
        .named_children(&mut block.walk())
        .filter(|c| c.kind() != "comment")
        .collect();
    if statements.is_empty() {
        return;
    }
    let mut words = Vec::new();
    for statement in &statements {
        let word = match statement.kind() {
            "pass_statement" => "pass",
            "continue_statement" => "continue",
            "expression_statement" => {
                let only = statement
                    .named_children(&mut statement.walk())
                    .filter(|c| c.kind() != "comment")
                    .collect::<Vec<_>>();
                match only.as_slice() {
                    [e] if python::unparenthesize(*e).kind() == "ellipsis" => "...",
                    _ => return,
                }
            }
            _ => return,
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    cx.report(
        node,
        &SwallowedException {
            body: words.join("; "),
        },
    );
}
