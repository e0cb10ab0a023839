//! OBS005: logging through the root logger.

use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::python;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags a call `logging.L(...)` whose receiver is the identifier
    /// `logging` and `L` one of `debug info warning warn error exception
    /// critical fatal log`. The call is reported where it starts.
    /// (`logging.getLogger(...)`, `logging.basicConfig(...)` and the like are
    /// not log calls.)
    ///
    /// ## Why it matters
    ///
    /// These functions log on the root logger: every record is named `root`,
    /// so nobody can tell which module wrote it, and the level cannot be set
    /// per module. When no handler is configured yet, they also call
    /// `basicConfig()` behind your back, which changes the logging setup of
    /// the whole process at import time.
    ///
    /// ## Example
    ///
    /// ```python
    /// import logging
    ///
    /// def sync():
    ///     logging.info("sync started")
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// import logging
    ///
    /// logger = logging.getLogger(__name__)
    ///
    /// def sync():
    ///     logger.info("sync started")
    /// ```
    #[rule(code = "OBS005", name = "root-logger-call", summary = "logging.info() and friends log on the root logger")]
    pub struct RootLoggerCall {
        /// The level method called.
        pub level: String,
    }
}

impl Violation for RootLoggerCall {
    const RULE: Rule = Rule::Obs005;
    fn message(&self) -> String {
        format!(
            "`logging.{}()` logs on the root logger; use `logging.getLogger(__name__)`",
            self.level
        )
    }
}

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    let Some((receiver, level)) = python::method_call(node, cx.src) else {
        return;
    };
    if receiver.kind() != "identifier"
        || cx.text(receiver) != "logging"
        || !python::LOG_LEVELS.contains(&level)
    {
        return;
    }
    let level = level.to_owned();
    cx.report(node, &RootLoggerCall { level });
}
