//! `middleware`: `R.add_middleware(X, ...)` and `@R.middleware(...)`.

use recon_findings::{Middleware, MiddlewareKind};
use tree_sitter::{Node, Query, QueryMatch};

use super::bindings::Names;
use super::text::{last_segment, positional_args, text, unparenthesize};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};

/// What lets a unit through: `add_middleware` wherever it is; `middleware`
/// called in a decorator on a router.
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(["add_middleware"], role::ALWAYS);
    registry.names(["middleware"], role::ROUTE);
}

pub(super) struct Captures {
    call: u32,
    router: u32,
    arguments: u32,
    decorator: u32,
    function: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            call: capture(query, "middleware.call")?,
            router: capture(query, "middleware.router")?,
            arguments: capture(query, "middleware.arguments")?,
            decorator: capture(query, "middleware.decorator")?,
            function: capture(query, "middleware.function")?,
        })
    }
}

pub(super) enum Raw<'t> {
    /// `R.add_middleware(X, ...)`.
    Call {
        call: Node<'t>,
        router: Node<'t>,
        arguments: Node<'t>,
    },
    /// `@R.middleware(...)` on `def function`.
    Decorator {
        decorator: Node<'t>,
        router: Node<'t>,
        function: Node<'t>,
    },
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    let router = node(m, caps.router)?;
    if let Some(call) = node(m, caps.call) {
        return Some(Raw::Call {
            call,
            router,
            arguments: node(m, caps.arguments)?,
        });
    }
    Some(Raw::Decorator {
        decorator: node(m, caps.decorator)?,
        router,
        function: node(m, caps.function)?,
    })
}

pub(super) fn extract(
    raws: &[Raw<'_>],
    names: &Names,
    ctx: &Document<'_>,
) -> Vec<WithColumn<Middleware>> {
    raws.iter()
        .filter_map(|raw| {
            let (at, router, name, kind) = match raw {
                Raw::Call {
                    call,
                    router,
                    arguments,
                } => {
                    let first = unparenthesize(*positional_args(*arguments).first()?);
                    (
                        *call,
                        *router,
                        last_segment(first, ctx.src)?,
                        MiddlewareKind::Class,
                    )
                }
                Raw::Decorator {
                    decorator,
                    router,
                    function,
                } => (
                    *decorator,
                    *router,
                    text(*function, ctx.src),
                    MiddlewareKind::Function,
                ),
            };
            if !names.is_router(last_segment(router, ctx.src)?) {
                return None;
            }
            Some((
                at.start_position().column,
                Middleware {
                    file: ctx.file.to_owned(),
                    line: ctx.line(at),
                    name: name.to_owned(),
                    kind,
                },
            ))
        })
        .collect()
}
