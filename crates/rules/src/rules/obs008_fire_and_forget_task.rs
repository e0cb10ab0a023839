//! OBS008: a task started and forgotten.

use recon_findings::ExternalCall;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags an expression statement that is only a call (parentheses
    /// dropped; `await` and assignments keep the task) which the semantic
    /// model resolves to `asyncio.create_task` or `asyncio.ensure_future`
    /// (however imported: `from asyncio import create_task as spawn` is
    /// one), or to `create_task` on the loop that
    /// `asyncio.get_event_loop()`, `asyncio.get_running_loop()` or
    /// `asyncio.new_event_loop()` returns: each item of the scan's
    /// `external_calls` that is `discarded` with one of these qualified
    /// names. The report's `fire-and-forget-task` gap lists the same
    /// calls. The call is reported at the called name.
    ///
    /// `tg.create_task(...)` on an `asyncio.TaskGroup` is not flagged: the
    /// group keeps the task and raises its errors. Neither is a loop the
    /// model cannot trace to `asyncio` (a parameter, `self._loop` set from
    /// an argument): its name is not evidence of what it is.
    ///
    /// ## Why it matters
    ///
    /// The event loop keeps only a weak reference to a task: a task nobody
    /// holds can be garbage-collected before it finishes, and when it fails
    /// its exception is only reported as "Task exception was never
    /// retrieved" at some later garbage collection, with no request context.
    /// Background work (alerts, audit writes, metrics flushes) then fails
    /// silently.
    ///
    /// ## Example
    ///
    /// ```python
    /// asyncio.create_task(send_alert(title, detail))
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// background_tasks = set()
    ///
    /// task = asyncio.create_task(send_alert(title, detail))
    /// background_tasks.add(task)
    /// task.add_done_callback(log_task_failure)  # logs task.exception()
    /// task.add_done_callback(background_tasks.discard)
    /// ```
    ///
    /// or an `asyncio.TaskGroup`, or FastAPI's `BackgroundTasks`.
    #[rule(code = "OBS008", name = "fire-and-forget-task", summary = "result of asyncio.create_task/ensure_future discarded")]
    pub struct FireAndForgetTask {
        /// The callee's qualified name.
        pub callee: String,
    }
}

impl Violation for FireAndForgetTask {
    const RULE: Rule = Rule::Obs008;
    fn message(&self) -> String {
        format!(
            "task from `{}()` is discarded: keep a reference and handle its exception",
            self.callee
        )
    }
}

/// The names [`TRIGGER`] needs, searched first.
pub(crate) const NAMES: &[&str] = &["create_task", "ensure_future"];

/// What a module must name for this rule to find anything in it (the
/// semantic model is built over the modules that do).
pub(crate) const TRIGGER: &str = r"(?-u:\b)(?:create_task|ensure_future)(?-u:\b)";

/// The tasks of one file whose handle nothing keeps.
pub(crate) fn check(calls: &[(recon_findings::Position, &ExternalCall)], out: &mut Report<'_>) {
    for (at, call) in calls.iter().filter(|(_, c)| c.discards_task()) {
        let callee = call.callee.to_string();
        out.add(*at, &FireAndForgetTask { callee });
    }
}
