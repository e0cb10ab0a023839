//! `websocket_messages` (frontend side): message `type` strings sent with
//! `JSON.stringify({type: ...})` / `send({type: ...})`, and handled by
//! comparisons and `switch` statements over a type read.

use std::collections::BTreeSet;

use recon_findings::{MessageDirection, Side, WebsocketMessage};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{
    first_argument, last_segment, named_children, string_value, text, unparenthesize,
};
use super::{Ctx, capture, node};
use crate::collect::At;

pub(super) struct Captures {
    send: u32,
    send_callee: u32,
    send_arguments: u32,
    compare: u32,
    switch: u32,
    binding_name: u32,
    binding_value: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            send: capture(query, "ws_send")?,
            send_callee: capture(query, "ws_send.callee")?,
            send_arguments: capture(query, "ws_send.arguments")?,
            compare: capture(query, "ws_compare")?,
            switch: capture(query, "ws_switch")?,
            binding_name: capture(query, "ws_binding.name")?,
            binding_value: capture(query, "ws_binding.value")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Send {
        call: Node<'t>,
        callee: Node<'t>,
        arguments: Node<'t>,
    },
    Compare(Node<'t>),
    Switch(Node<'t>),
    Binding {
        name: Node<'t>,
        value: Node<'t>,
    },
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.send) {
        return Some(Raw::Send {
            call,
            callee: node(m, caps.send_callee)?,
            arguments: node(m, caps.send_arguments)?,
        });
    }
    if let Some(compare) = node(m, caps.compare) {
        return Some(Raw::Compare(compare));
    }
    if let Some(statement) = node(m, caps.switch) {
        return Some(Raw::Switch(statement));
    }
    Some(Raw::Binding {
        name: node(m, caps.binding_name)?,
        value: node(m, caps.binding_value)?,
    })
}

/// `X.type`, `X?.type`, `X['type']`.
fn is_direct_type_read(node: Node<'_>, src: &str) -> bool {
    let node = unparenthesize(node);
    match node.kind() {
        "member_expression" => node
            .child_by_field_name("property")
            .is_some_and(|p| p.kind() == "property_identifier" && text(p, src) == "type"),
        "subscript_expression" => node
            .child_by_field_name("index")
            .and_then(|i| string_value(i, src))
            .is_some_and(|v| v == "type"),
        _ => false,
    }
}

/// The names the documents of a file bind to a type read: `const t =
/// msg.type`, `t = msg.type`, `const { type } = msg`, `const { type: t } =
/// msg`.
pub(super) fn type_names<'a, 't: 'a>(
    docs: impl Iterator<Item = (&'a [Raw<'t>], &'a Ctx<'a>)>,
) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (raws, ctx) in docs {
        for raw in raws {
            let Raw::Binding { name, value } = raw else {
                continue;
            };
            match name.kind() {
                "identifier" if is_direct_type_read(*value, ctx.src) => {
                    names.insert(text(*name, ctx.src).to_owned());
                }
                "object_pattern" => {
                    for part in named_children(*name) {
                        match part.kind() {
                            "shorthand_property_identifier_pattern"
                                if text(part, ctx.src) == "type" =>
                            {
                                names.insert("type".to_owned());
                            }
                            "pair_pattern" => {
                                let key = part.child_by_field_name("key");
                                let is_type = key.is_some_and(|k| {
                                    (k.kind() == "property_identifier"
                                        && text(k, ctx.src) == "type")
                                        || string_value(k, ctx.src).as_deref() == Some("type")
                                });
                                if let Some(value) = part.child_by_field_name("value")
                                    && is_type
                                    && value.kind() == "identifier"
                                {
                                    names.insert(text(value, ctx.src).to_owned());
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    names
}

fn is_type_read(node: Node<'_>, names: &BTreeSet<String>, src: &str) -> bool {
    let node = unparenthesize(node);
    match node.kind() {
        "identifier" => names.contains(text(node, src)),
        _ => is_direct_type_read(node, src),
    }
}

pub(super) fn extract(
    raws: &[Raw<'_>],
    names: &BTreeSet<String>,
    ctx: &Ctx<'_>,
) -> Vec<At<WebsocketMessage>> {
    let found = |at: Node<'_>, direction, message_type: String| {
        let (line, column) = ctx.at(at);
        (
            column,
            WebsocketMessage {
                file: ctx.file.to_owned(),
                line,
                side: Side::Frontend,
                direction,
                message_type,
            },
        )
    };
    let mut out = Vec::new();
    for raw in raws {
        match raw {
            Raw::Send {
                call,
                callee,
                arguments,
            } => {
                if is_sender(*callee, ctx.src)
                    && let Some(t) = first_argument(*arguments).and_then(|a| sent_type(a, ctx.src))
                {
                    out.push(found(*call, MessageDirection::Sent, t));
                }
            }
            Raw::Compare(compare) => {
                let (Some(left), Some(right)) = (
                    compare.child_by_field_name("left"),
                    compare.child_by_field_name("right"),
                ) else {
                    continue;
                };
                let value = if is_type_read(left, names, ctx.src) {
                    string_value(right, ctx.src)
                } else if is_type_read(right, names, ctx.src) {
                    string_value(left, ctx.src)
                } else {
                    None
                };
                if let Some(t) = value {
                    out.push(found(*compare, MessageDirection::Handled, t));
                }
            }
            Raw::Switch(statement) => {
                let Some(value) = statement.child_by_field_name("value") else {
                    continue;
                };
                if !is_type_read(value, names, ctx.src) {
                    continue;
                }
                let Some(body) = statement.child_by_field_name("body") else {
                    continue;
                };
                for case in named_children(body)
                    .into_iter()
                    .filter(|c| c.kind() == "switch_case")
                {
                    if let Some(value) = case.child_by_field_name("value")
                        && let Some(t) = string_value(value, ctx.src)
                    {
                        out.push(found(value, MessageDirection::Handled, t));
                    }
                }
            }
            Raw::Binding { .. } => {}
        }
    }
    out
}

/// `JSON.stringify`, or a callee whose last segment is `send`.
fn is_sender(callee: Node<'_>, src: &str) -> bool {
    if last_segment(callee, src) == Some("send") {
        return true;
    }
    callee.kind() == "member_expression"
        && last_segment(callee, src) == Some("stringify")
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| o.kind() == "identifier" && text(o, src) == "JSON")
}

/// The `type` of an object literal payload: the value of its first property
/// keyed `type`, when that is a string.
fn sent_type(payload: Node<'_>, src: &str) -> Option<String> {
    let payload = unparenthesize(payload);
    if payload.kind() != "object" {
        return None;
    }
    let pair = named_children(payload)
        .into_iter()
        .filter(|c| c.kind() == "pair")
        .find(|pair| {
            pair.child_by_field_name("key").is_some_and(|k| {
                (k.kind() == "property_identifier" && text(k, src) == "type")
                    || string_value(k, src).as_deref() == Some("type")
            })
        })?;
    string_value(pair.child_by_field_name("value")?, src)
}
