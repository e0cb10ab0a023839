//! OBS008: a task started and forgotten.

use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::python;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags an expression statement that is only a call (parentheses
    /// dropped; `await` and assignments do not count) whose callee is
    ///
    /// - `asyncio.create_task` or `asyncio.ensure_future`;
    /// - `create_task` or `ensure_future` as a bare name the module imports
    ///   with `from asyncio import ...` (no alias);
    /// - `X.create_task` where `X` is an event loop: its last segment is
    ///   `loop` or ends in `_loop` (`self._loop`), or it is a call of
    ///   `asyncio.get_event_loop()` / `asyncio.get_running_loop()`.
    ///
    /// `tg.create_task(...)` on an `asyncio.TaskGroup` (or any other
    /// receiver) is not flagged: the group keeps the task and raises its
    /// errors. The call is reported where it starts.
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
        /// The callee as written.
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

/// What a module must hold for this rule to find anything (see
/// [`super::TREE_RULE_LITERALS`]): a task factory's name.
pub(crate) const TRIGGER: &str = r"create_task|ensure_future";

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    if node.kind() != "expression_statement" {
        return;
    }
    let children: Vec<Node<'_>> = node
        .named_children(&mut node.walk())
        .filter(|c| c.kind() != "comment")
        .collect();
    let [expression] = children.as_slice() else {
        return;
    };
    let call = python::unparenthesize(*expression);
    let Some(function) = python::callee(call) else {
        return;
    };
    if is_task_factory(function, cx) {
        let callee = python::compact(cx.text(function));
        cx.report(call, &FireAndForgetTask { callee });
    }
}

fn is_task_factory(function: Node<'_>, cx: &FileCheck<'_>) -> bool {
    match function.kind() {
        "identifier" => {
            let name = cx.text(function);
            matches!(name, "create_task" | "ensure_future")
                && cx
                    .facts
                    .from_imports
                    .contains(&("asyncio".to_owned(), name.to_owned()))
        }
        "attribute" => {
            let (Some(object), Some(attribute)) = (
                function.child_by_field_name("object"),
                function.child_by_field_name("attribute"),
            ) else {
                return false;
            };
            let attribute = cx.text(attribute);
            if object.kind() == "identifier" && cx.text(object) == "asyncio" {
                return matches!(attribute, "create_task" | "ensure_future");
            }
            attribute == "create_task" && is_event_loop(object, cx)
        }
        _ => false,
    }
}

fn is_event_loop(object: Node<'_>, cx: &FileCheck<'_>) -> bool {
    let object = python::unparenthesize(object);
    if let Some(last) = python::last_segment(object, cx.src) {
        return last == "loop" || last.ends_with("_loop");
    }
    python::callee(object)
        .and_then(|f| python::dotted_name(f, cx.src))
        .is_some_and(|name| {
            matches!(
                name.as_str(),
                "asyncio.get_event_loop" | "asyncio.get_running_loop"
            )
        })
}
