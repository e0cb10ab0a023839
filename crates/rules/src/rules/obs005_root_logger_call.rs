//! OBS005: logging through the root logger.

use recon_syntax::ModuleFindings;

use crate::checker::Report;
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

/// The scan's `log_messages` whose logger is the `logging` module itself.
pub(crate) fn check(module: &ModuleFindings, out: &mut Report<'_>) {
    for (at, message) in module
        .log_messages
        .iter()
        .filter(|(_, m)| m.on_root_logger())
    {
        let level = message.level.method().to_owned();
        out.add(*at, &RootLoggerCall { level });
    }
}
