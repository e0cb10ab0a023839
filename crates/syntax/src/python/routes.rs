//! `routes`: `@R.M(path)` on a function, `R` a router; `route_routers`: `R`.

use recon_findings::{HttpMethod, Route, RouteRouter};
use tree_sitter::{Node, Query, QueryMatch};

use super::bindings::Names;
use super::text::{
    keyword_arg, last_segment, positional_args, string_template, string_value, text,
};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};

pub(super) struct Captures {
    decorator: u32,
    router: u32,
    method: u32,
    arguments: u32,
    handler: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            decorator: capture(query, "route.decorator")?,
            router: capture(query, "route.router")?,
            method: capture(query, "route.method")?,
            arguments: capture(query, "route.arguments")?,
            handler: capture(query, "route.handler")?,
        })
    }
}

pub(super) struct Raw<'t> {
    decorator: Node<'t>,
    router: Node<'t>,
    method: Node<'t>,
    arguments: Node<'t>,
    handler: Node<'t>,
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    Some(Raw {
        decorator: node(m, caps.decorator)?,
        router: node(m, caps.router)?,
        method: node(m, caps.method)?,
        arguments: node(m, caps.arguments)?,
        handler: node(m, caps.handler)?,
    })
}

/// The route decorators' attributes and the method each declares (the
/// query's list; a test in `triggers` holds the two together).
const METHODS: [(&str, HttpMethod); 10] = [
    ("get", HttpMethod::Get),
    ("post", HttpMethod::Post),
    ("put", HttpMethod::Put),
    ("delete", HttpMethod::Delete),
    ("patch", HttpMethod::Patch),
    ("options", HttpMethod::Options),
    ("head", HttpMethod::Head),
    ("websocket", HttpMethod::Websocket),
    ("api_route", HttpMethod::ApiRoute),
    ("route", HttpMethod::Route),
];

/// The route decorators' attributes.
pub(super) const ROUTE_METHODS: &[&str] = &{
    let mut names = [""; METHODS.len()];
    let mut i = 0;
    while i < METHODS.len() {
        names[i] = METHODS[i].0;
        i += 1;
    }
    names
};

/// What lets a unit through: a route method called in a decorator on a
/// router (the triggers check the receiver).
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(ROUTE_METHODS.iter().copied(), role::ROUTE);
}

/// The method a decorator attribute declares.
pub fn method(name: &str) -> Option<HttpMethod> {
    METHODS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

/// The decorator attribute a route was declared with (the inverse of
/// [`method`]).
pub fn decorator_name(method: HttpMethod) -> &'static str {
    METHODS
        .iter()
        .find(|(_, m)| *m == method)
        .map_or("", |(n, _)| n)
}

/// The routes of one module, and the router of each.
pub(super) fn extract(
    raws: &[Raw<'_>],
    names: &Names,
    ctx: &Document<'_>,
) -> (Vec<WithColumn<Route>>, Vec<WithColumn<RouteRouter>>) {
    let mut routes = Vec::new();
    let mut routers = Vec::new();
    for raw in raws {
        let Some(router) = last_segment(raw.router, ctx.src) else {
            continue;
        };
        if !names.is_router(router) {
            continue;
        }
        let Some(method) = method(text(raw.method, ctx.src)) else {
            continue;
        };
        let column = raw.decorator.start_position().column;
        let line = ctx.line(raw.decorator);
        routes.push((
            column,
            Route {
                file: ctx.file.to_owned(),
                line,
                method,
                path: path(raw.arguments, ctx.src),
                handler: text(raw.handler, ctx.src).to_owned(),
                // From the semantic model, once the module is read.
                handler_qualname: None,
                // The declared path's template until the mounts are known
                // (`lib.rs` prefixes it, or sets `None`).
                full_path: path_template(raw.arguments, ctx.src),
            },
        ));
        routers.push((
            column,
            RouteRouter {
                file: ctx.file.to_owned(),
                line,
                router: router.to_owned(),
            },
        ));
    }
    (routes, routers)
}

/// The first positional argument if it is a string literal, else `path=`.
fn path(arguments: Node<'_>, src: &str) -> Option<String> {
    path_argument(arguments, src).and_then(|v| string_value(v, src))
}

/// [`path`], f-strings kept as templates.
fn path_template(arguments: Node<'_>, src: &str) -> Option<String> {
    path_argument(arguments, src).and_then(|v| string_template(v, src))
}

fn path_argument<'t>(arguments: Node<'t>, src: &str) -> Option<Node<'t>> {
    match positional_args(arguments).first() {
        Some(first) => Some(*first),
        None => keyword_arg(arguments, "path", src),
    }
}
