//! `call_graph` (per file): the function definitions of a module and the
//! calls inside function bodies; [`crate::call_graph`] resolves them across
//! the checkout.

use tree_sitter::{Node, Query, QueryMatch};

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

/// The name of a function or class definition.
fn name_of<'a>(definition: Node<'_>, src: &'a str) -> &'a str {
    definition
        .child_by_field_name("name")
        .map_or("", |n| text(n, src))
}

/// Enclosing classes and functions (outermost first), then the name.
fn qualname(definition: Node<'_>, src: &str) -> String {
    let mut names = vec![name_of(definition, src)];
    let mut current = definition.parent();
    while let Some(node) = current {
        if matches!(node.kind(), "function_definition" | "class_definition") {
            names.push(name_of(node, src));
        }
        current = node.parent();
    }
    names.reverse();
    names.join(".")
}

/// The class whose body holds `definition` directly (decorators allowed).
fn class_of(definition: Node<'_>) -> Option<Node<'_>> {
    let mut parent = definition.parent()?;
    if parent.kind() == "decorated_definition" {
        parent = parent.parent()?;
    }
    if parent.kind() != "block" {
        return None;
    }
    parent.parent().filter(|p| p.kind() == "class_definition")
}

pub(super) fn definitions(defs: &[Node<'_>], ctx: &Ctx<'_>) -> Vec<FunctionDef> {
    defs.iter()
        .map(|d| FunctionDef {
            file: ctx.file.to_owned(),
            line: ctx.line(*d),
            qualname: qualname(*d, ctx.src),
            name: name_of(*d, ctx.src).to_owned(),
            is_method: class_of(*d).is_some(),
        })
        .collect()
}

/// The innermost function whose body holds `node`.
fn caller_of(node: Node<'_>) -> Option<Node<'_>> {
    let mut child = node;
    let mut current = node.parent();
    while let Some(parent) = current {
        if parent.kind() == "function_definition"
            && parent.child_by_field_name("body") == Some(child)
        {
            return Some(parent);
        }
        child = parent;
        current = parent.parent();
    }
    None
}

/// The innermost class definition around `node`.
fn enclosing_class(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(parent) = current {
        if parent.kind() == "class_definition" {
            return Some(parent);
        }
        current = parent.parent();
    }
    None
}

/// The last method named `name` in the body of `class`.
fn method_of<'t>(class: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    named_children(body)
        .into_iter()
        .filter_map(|c| match c.kind() {
            "function_definition" => Some(c),
            "decorated_definition" => c.child_by_field_name("definition"),
            _ => None,
        })
        .rfind(|d| d.kind() == "function_definition" && name_of(*d, src) == name)
}

/// One call site per call of a name or attribute inside a function body,
/// dunder names (`__init__`...) left out.
pub(super) fn call_sites(calls: &[(Node<'_>, Node<'_>)], ctx: &Ctx<'_>) -> Vec<CallSite> {
    let mut out = Vec::new();
    for (call, callee) in calls {
        let Some(caller) = caller_of(*call) else {
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
            match enclosing_class(*call)
                .filter(|_| is_self)
                .and_then(|class| method_of(class, name, ctx.src))
            {
                Some(method) => CalleeRef::Resolved {
                    qualname: qualname(method, ctx.src),
                    line: ctx.line(method),
                },
                None => CalleeRef::Attribute(name.to_owned()),
            }
        };
        out.push(CallSite {
            file: ctx.file.to_owned(),
            line: ctx.line(*call),
            column: call.start_position().column,
            caller: qualname(caller, ctx.src),
            callee: reference,
        });
    }
    out
}
