//! `timing`: clock reads (`time.perf_counter()`...) and duration variables
//! (`elapsed_ms = ...`).

use recon_findings::{Timing, TimingKind};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{dotted_name, last_segment};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};

/// Callees that read a clock, as dotted names.
pub const CLOCKS: &[&str] = &[
    "time.time",
    "time.time_ns",
    "time.perf_counter",
    "time.perf_counter_ns",
    "time.monotonic",
    "time.monotonic_ns",
    "time.process_time",
    "perf_counter",
    "perf_counter_ns",
    "monotonic",
    "monotonic_ns",
];

/// Whether a variable's name says it holds a duration.
pub fn is_duration_name(name: &str) -> bool {
    ["_ms", "_seconds", "_secs"]
        .iter()
        .any(|s| name.ends_with(s))
        || ["elapsed", "duration", "latency"]
            .iter()
            .any(|p| name.starts_with(p))
        || name.contains("ttft")
}

/// What lets a unit through: a clock's last name (called as a clock: the
/// triggers check its receiver); a duration name assigned is read by the
/// triggers from [`is_duration_name`].
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(
        CLOCKS.iter().filter_map(|c| c.rsplit('.').next()),
        role::CLOCK,
    );
}

pub(super) struct Captures {
    clock: u32,
    call: u32,
    target: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            clock: capture(query, "timing.clock")?,
            call: capture(query, "timing.call")?,
            target: capture(query, "timing.target")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Clock { call: Node<'t>, callee: Node<'t> },
    Target(Node<'t>),
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.call) {
        return Some(Raw::Clock {
            call,
            callee: node(m, caps.clock)?,
        });
    }
    Some(Raw::Target(node(m, caps.target)?))
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Document<'_>) -> Vec<WithColumn<Timing>> {
    raws.iter()
        .filter_map(|raw| {
            let (at, kind, name) = match raw {
                Raw::Clock { call, callee } => {
                    let name =
                        dotted_name(*callee, ctx.src).filter(|n| CLOCKS.contains(&n.as_str()))?;
                    (*call, TimingKind::Clock, name)
                }
                Raw::Target(target) => {
                    let name = last_segment(*target, ctx.src).filter(|n| is_duration_name(n))?;
                    (*target, TimingKind::Duration, name.to_owned())
                }
            };
            Some((
                at.start_position().column,
                Timing {
                    file: ctx.file.to_owned(),
                    line: ctx.line(at),
                    kind,
                    name,
                },
            ))
        })
        .collect()
}
