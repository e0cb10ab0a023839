//! Bindings `T = f(...)`: which names of a module are routers and which are
//! loggers, and the `loggers` findings.

use std::collections::BTreeSet;

use recon_findings::Logger;
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{last_segment, line};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};

/// Callees whose result makes the target a router.
pub const ROUTER_FACTORIES: &[&str] = &["FastAPI", "APIRouter", "Starlette", "Router"];
/// Names that are routers whatever they are bound to.
pub const ROUTER_NAMES: &[&str] = &["app", "router", "api", "api_router"];
/// Callees whose result makes the target a logger.
pub const LOGGER_FACTORIES: &[&str] = &["getLogger", "get_logger"];
/// Receivers that are loggers whatever they are bound to.
pub const LOGGER_NAMES: &[&str] = &recon_findings::vocabulary::COMMON_LOGGER_NAMES;

/// What lets a unit through: a logger or router factory called, and the
/// names assigned its result become triggers of the module (the log call,
/// route and middleware rules read these bindings).
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(
        LOGGER_FACTORIES.iter().copied(),
        role::ALWAYS | role::LOGGER_FACTORY,
    );
    registry.names(
        ROUTER_FACTORIES.iter().copied(),
        role::ALWAYS | role::ROUTER_FACTORY,
    );
}

pub(super) struct Captures {
    binding: u32,
    target: u32,
    callee: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            binding: capture(query, "binding")?,
            target: capture(query, "binding.target")?,
            callee: capture(query, "binding.callee")?,
        })
    }
}

pub(super) struct Raw<'t> {
    assignment: Node<'t>,
    target: Node<'t>,
    callee: Node<'t>,
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    Some(Raw {
        assignment: node(m, caps.binding)?,
        target: node(m, caps.target)?,
        callee: node(m, caps.callee)?,
    })
}

/// The router and logger names of one module.
pub(super) struct Names {
    routers: BTreeSet<String>,
    logger_names: BTreeSet<String>,
    pub loggers: Vec<WithColumn<Logger>>,
}

impl Names {
    /// Whether `name` (a last segment) is a router.
    pub fn is_router(&self, name: &str) -> bool {
        is_router_name(name, |n| self.routers.contains(n))
    }

    /// Whether `name` (a last segment) is a logger.
    pub fn is_logger(&self, name: &str) -> bool {
        is_logger_name(name, |n| self.logger_names.contains(n))
    }
}

/// Whether `name` (a last segment) is a router, `bound` telling the names
/// the module binds to a router factory's result.
pub(super) fn is_router_name(name: &str, bound: impl Fn(&str) -> bool) -> bool {
    ROUTER_NAMES.contains(&name)
        || name.ends_with("router")
        || name.ends_with("_app")
        || bound(name)
}

/// Whether `name` (a last segment) is a logger, `bound` telling the names
/// the module binds to a logger factory's result.
pub(super) fn is_logger_name(name: &str, bound: impl Fn(&str) -> bool) -> bool {
    LOGGER_NAMES.contains(&name) || bound(name)
}

/// Resolve the module's bindings. A chain `a = b = f()` matches once, on its
/// innermost assignment; every enclosing assignment whose right side is the
/// chain adds its own target, and the line is the outermost one's.
pub(super) fn names(raws: &[Raw<'_>], ctx: &Document<'_>) -> Names {
    let mut names = Names {
        routers: BTreeSet::new(),
        logger_names: BTreeSet::new(),
        loggers: Vec::new(),
    };
    for raw in raws {
        let Some(callee) = last_segment(raw.callee, ctx.src) else {
            continue;
        };
        let is_router = ROUTER_FACTORIES.contains(&callee);
        let is_logger = LOGGER_FACTORIES.contains(&callee);
        if !is_router && !is_logger {
            continue;
        }
        let mut targets = vec![raw.target];
        let mut top = raw.assignment;
        while let Some(parent) = top.parent() {
            if parent.kind() != "assignment" || parent.child_by_field_name("right") != Some(top) {
                break;
            }
            if let Some(left) = parent.child_by_field_name("left") {
                targets.push(left);
            }
            top = parent;
        }
        for target in targets {
            let Some(name) = last_segment(target, ctx.src) else {
                continue;
            };
            if is_router {
                names.routers.insert(name.to_owned());
            }
            if is_logger {
                names.logger_names.insert(name.to_owned());
                names.loggers.push((
                    top.start_position().column,
                    Logger {
                        file: ctx.file.to_owned(),
                        line: line(top),
                        name: name.to_owned(),
                    },
                ));
            }
        }
    }
    names
}
