//! `background_tasks`: asyncio tasks, `BackgroundTasks.add_task`,
//! APScheduler jobs and schedulers, executors, threads, Celery tasks.

use recon_findings::{BackgroundKind, BackgroundTask};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{keyword_arg, last_segment, positional_args, target_of, text};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};

pub(super) struct Captures {
    call: u32,
    callee: u32,
    arguments: u32,
    decorator: u32,
    decorator_name: u32,
    function: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            call: capture(query, "background.call")?,
            callee: capture(query, "background.callee")?,
            arguments: capture(query, "background.arguments")?,
            decorator: capture(query, "background.decorator")?,
            decorator_name: capture(query, "background.decorator_name")?,
            function: capture(query, "background.function")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Call {
        call: Node<'t>,
        callee: Node<'t>,
        arguments: Node<'t>,
    },
    Decorator {
        decorator: Node<'t>,
        name: Node<'t>,
        function: Node<'t>,
    },
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.call) {
        return Some(Raw::Call {
            call,
            callee: node(m, caps.callee)?,
            arguments: node(m, caps.arguments)?,
        });
    }
    Some(Raw::Decorator {
        decorator: node(m, caps.decorator)?,
        name: node(m, caps.decorator_name)?,
        function: node(m, caps.function)?,
    })
}

/// Callees of background work (the call rule below; a name ending in
/// `Scheduler` is one too).
pub(super) const TASK_CALLEES: &[&str] = &[
    "create_task",
    "ensure_future",
    "add_task",
    "add_job",
    "run_in_executor",
    "Thread",
];

/// What lets a unit through: a callee of background work called; a celery
/// task decorator on a decorator line.
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(TASK_CALLEES.iter().copied(), role::TASK);
    registry.names(["task", "shared_task"], role::CELERY);
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Document<'_>) -> Vec<WithColumn<BackgroundTask>> {
    raws.iter()
        .filter_map(|raw| {
            let (at, kind, target) = match raw {
                Raw::Call {
                    call,
                    callee,
                    arguments,
                } => {
                    let name = last_segment(*callee, ctx.src)?;
                    let positional = |i: usize| {
                        positional_args(*arguments)
                            .get(i)
                            .and_then(|a| target_of(*a, ctx.src))
                    };
                    let (kind, target) = match name {
                        "create_task" | "ensure_future" => (BackgroundKind::Task, positional(0)),
                        "add_task" => (BackgroundKind::BackgroundTask, positional(0)),
                        "add_job" => (BackgroundKind::ScheduledJob, positional(0)),
                        "run_in_executor" => (BackgroundKind::Executor, positional(1)),
                        "Thread" => (
                            BackgroundKind::Thread,
                            keyword_arg(*arguments, "target", ctx.src)
                                .and_then(|v| target_of(v, ctx.src)),
                        ),
                        _ if name.ends_with("Scheduler") => {
                            (BackgroundKind::Scheduler, Some(name.to_owned()))
                        }
                        _ => return None,
                    };
                    (*call, kind, target)
                }
                Raw::Decorator {
                    decorator,
                    name,
                    function,
                } => {
                    if !matches!(last_segment(*name, ctx.src)?, "task" | "shared_task") {
                        return None;
                    }
                    (
                        *decorator,
                        BackgroundKind::CeleryTask,
                        Some(text(*function, ctx.src).to_owned()),
                    )
                }
            };
            Some((
                at.start_position().column,
                BackgroundTask {
                    file: ctx.file.to_owned(),
                    line: ctx.line(at),
                    kind,
                    target,
                },
            ))
        })
        .collect()
}
