//! `call_graph` (per file): the function definitions of a module and the
//! calls inside function bodies; [`crate::call_graph`] resolves them across
//! the checkout.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use tree_sitter::{Node, Query, QueryMatch};

use super::ancestry::{Ancestry, name_of};
use super::text::{last_segment, named_children, text};
use super::{Ctx, capture, node};
use crate::collect::{CallSite, CalleeRef, FunctionDef};

pub(super) struct Captures {
    definition: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            definition: capture(query, "definition")?,
        })
    }
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Node<'t>> {
    node(m, caps.definition)
}

pub(super) fn definitions<'t>(
    defs: &[Node<'t>],
    ancestry: &Ancestry<'t>,
    ctx: &Ctx<'_>,
) -> Vec<FunctionDef> {
    let file: Arc<str> = ctx.file.into();
    defs.iter()
        .map(|d| FunctionDef {
            file: Arc::clone(&file),
            line: ctx.line(*d),
            qualname: ancestry.shared_definition_qualname(*d, ctx.src),
            name: name_of(*d, ctx.src).to_owned(),
            is_method: ancestry.place(*d).is_some_and(|p| p.is_method),
        })
        .collect()
}

/// The methods defined directly in the body of `class`, by name (the last
/// definition of a name wins, as at run time).
fn methods_of<'t, 's>(class: Node<'t>, src: &'s str) -> FxHashMap<&'s str, Node<'t>> {
    let mut methods = FxHashMap::default();
    let Some(body) = class.child_by_field_name("body") else {
        return methods;
    };
    for child in named_children(body) {
        let definition = match child.kind() {
            "function_definition" => Some(child),
            "decorated_definition" => child.child_by_field_name("definition"),
            _ => None,
        };
        if let Some(d) = definition.filter(|d| d.kind() == "function_definition") {
            methods.insert(name_of(d, src), d);
        }
    }
    methods
}

/// One call site per call of a name or attribute inside a function body,
/// dunder names (`__init__`...) left out.
pub(super) fn call_sites<'t>(
    calls: &[(Node<'t>, Node<'t>)],
    ancestry: &Ancestry<'t>,
    ctx: &Ctx<'_>,
) -> Vec<CallSite> {
    let mut out = Vec::new();
    let file: Arc<str> = ctx.file.into();
    // `self.m()` is resolved against its class's methods, indexed once per
    // class (a scan per call was quadratic in large classes).
    let mut classes: FxHashMap<usize, FxHashMap<&str, Node<'t>>> = FxHashMap::default();
    for (call, callee) in calls {
        let Some(place) = ancestry.place(*call) else {
            continue;
        };
        let Some(caller) = place.caller else {
            continue;
        };
        let Some(name) = last_segment(*callee, ctx.src) else {
            continue;
        };
        if name.starts_with("__") && name.ends_with("__") {
            continue;
        }
        let reference = if callee.kind() == "identifier" {
            CalleeRef::Bare(name.to_owned())
        } else {
            let receiver = callee.child_by_field_name("object");
            let is_self = receiver.is_some_and(|r| {
                r.kind() == "identifier" && matches!(text(r, ctx.src), "self" | "cls")
            });
            match place.class.filter(|_| is_self).and_then(|class| {
                classes
                    .entry(class.id())
                    .or_insert_with(|| methods_of(class, ctx.src))
                    .get(name)
                    .copied()
            }) {
                Some(method) => CalleeRef::Resolved {
                    qualname: ancestry.shared_definition_qualname(method, ctx.src),
                    line: ctx.line(method),
                },
                None => CalleeRef::Attribute(name.to_owned()),
            }
        };
        out.push(CallSite {
            file: Arc::clone(&file),
            line: ctx.line(*call),
            column: call.start_position().column,
            caller: ancestry.shared_qualname(caller),
            callee: reference,
        });
    }
    out
}
