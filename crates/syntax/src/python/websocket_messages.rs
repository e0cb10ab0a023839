//! `websocket_messages` (backend side): message `type` strings sent with
//! `X.send_json({"type": ...})` and handled by comparisons and `match`
//! statements over a type read.

use std::collections::BTreeSet;

use recon_findings::{MessageDirection, Side, WebsocketMessage};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{
    last_segment, named_children, positional_args, string_value, text, unparenthesize,
};
use super::{At, Ctx, capture, node};

/// The methods whose dict payload's `"type"` is a sent message type (the
/// query's list).
pub(crate) const SEND_METHODS: &[&str] = &["send_json", "send_text", "send", "broadcast"];

pub(super) struct Captures {
    send: u32,
    send_arguments: u32,
    compare: u32,
    match_statement: u32,
    binding_name: u32,
    binding_value: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            send: capture(query, "ws_send")?,
            send_arguments: capture(query, "ws_send.arguments")?,
            compare: capture(query, "ws_compare")?,
            match_statement: capture(query, "ws_match")?,
            binding_name: capture(query, "ws_type_binding.name")?,
            binding_value: capture(query, "ws_type_binding.value")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Send { call: Node<'t>, arguments: Node<'t> },
    Compare(Node<'t>),
    Match(Node<'t>),
    Binding { name: Node<'t>, value: Node<'t> },
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.send) {
        return Some(Raw::Send {
            call,
            arguments: node(m, caps.send_arguments)?,
        });
    }
    if let Some(compare) = node(m, caps.compare) {
        return Some(Raw::Compare(compare));
    }
    if let Some(statement) = node(m, caps.match_statement) {
        return Some(Raw::Match(statement));
    }
    Some(Raw::Binding {
        name: node(m, caps.binding_name)?,
        value: node(m, caps.binding_value)?,
    })
}

struct TypeReads<'a> {
    names: BTreeSet<&'a str>,
    src: &'a str,
}

impl TypeReads<'_> {
    /// `X["type"]`, `X.get("type", ...)`, or a name bound to one of those.
    fn is_type_read(&self, node: Node<'_>) -> bool {
        let node = unparenthesize(node);
        match node.kind() {
            "identifier" => self.names.contains(text(node, self.src)),
            _ => is_direct_type_read(node, self.src),
        }
    }
}

fn is_direct_type_read(node: Node<'_>, src: &str) -> bool {
    let node = unparenthesize(node);
    match node.kind() {
        "subscript" => {
            let mut cursor = node.walk();
            let subscripts: Vec<Node<'_>> = node
                .children_by_field_name("subscript", &mut cursor)
                .collect();
            subscripts.len() == 1 && string_value(subscripts[0], src).as_deref() == Some("type")
        }
        "call" => {
            let Some(function) = node.child_by_field_name("function") else {
                return false;
            };
            if function.kind() != "attribute" || last_segment(function, src) != Some("get") {
                return false;
            }
            let Some(arguments) = node.child_by_field_name("arguments") else {
                return false;
            };
            positional_args(arguments)
                .first()
                .and_then(|a| string_value(*a, src))
                .as_deref()
                == Some("type")
        }
        _ => false,
    }
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Ctx<'_>) -> Vec<At<WebsocketMessage>> {
    let mut reads = TypeReads {
        names: BTreeSet::new(),
        src: ctx.src,
    };
    for raw in raws {
        if let Raw::Binding { name, value } = raw
            && is_direct_type_read(*value, ctx.src)
        {
            reads.names.insert(text(*name, ctx.src));
        }
    }
    let found = |at: Node<'_>, direction, message_type: String| {
        (
            at.start_position().column,
            WebsocketMessage {
                file: ctx.file.to_owned(),
                line: ctx.line(at),
                side: Side::Backend,
                direction,
                message_type,
            },
        )
    };
    let mut out = Vec::new();
    for raw in raws {
        match raw {
            Raw::Send { call, arguments } => {
                if let Some(t) = sent_type(*arguments, ctx.src) {
                    out.push(found(*call, MessageDirection::Sent, t));
                }
            }
            Raw::Compare(compare) => {
                for t in compared_types(*compare, &reads) {
                    out.push(found(*compare, MessageDirection::Handled, t));
                }
            }
            Raw::Match(statement) => {
                for (at, t) in matched_types(*statement, &reads) {
                    out.push(found(at, MessageDirection::Handled, t));
                }
            }
            Raw::Binding { .. } => {}
        }
    }
    out
}

/// The "type" of a dict payload, or of `json.dumps(payload)`.
fn sent_type(arguments: Node<'_>, src: &str) -> Option<String> {
    let mut payload = unparenthesize(*positional_args(arguments).first()?);
    if payload.kind() == "call" {
        if last_segment(payload.child_by_field_name("function")?, src) != Some("dumps") {
            return None;
        }
        payload =
            unparenthesize(*positional_args(payload.child_by_field_name("arguments")?).first()?);
    }
    if payload.kind() != "dictionary" {
        return None;
    }
    let pair = named_children(payload)
        .into_iter()
        .filter(|c| c.kind() == "pair")
        .find(|pair| {
            pair.child_by_field_name("key")
                .and_then(|k| string_value(k, src))
                .as_deref()
                == Some("type")
        })?;
    string_value(pair.child_by_field_name("value")?, src)
}

/// `read == "x"`, `"x" == read`, `read in ("x", "y")`.
fn compared_types(compare: Node<'_>, reads: &TypeReads<'_>) -> Vec<String> {
    let operands = named_children(compare);
    let mut cursor = compare.walk();
    let operators: Vec<Node<'_>> = compare
        .children_by_field_name("operators", &mut cursor)
        .collect();
    if operands.len() != 2 || operators.len() != 1 {
        return Vec::new();
    }
    let (left, right) = (operands[0], operands[1]);
    match operators[0].kind() {
        "==" => {
            if reads.is_type_read(left) {
                string_value(right, reads.src).into_iter().collect()
            } else if reads.is_type_read(right) {
                string_value(left, reads.src).into_iter().collect()
            } else {
                Vec::new()
            }
        }
        "in" if reads.is_type_read(left) => {
            let right = unparenthesize(right);
            if !matches!(right.kind(), "tuple" | "list" | "set") {
                return Vec::new();
            }
            named_children(right)
                .into_iter()
                .filter_map(|e| string_value(e, reads.src))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// `match read:` — each `case "x":` and each string of `case "x" | "y":`.
fn matched_types<'t>(statement: Node<'t>, reads: &TypeReads<'_>) -> Vec<(Node<'t>, String)> {
    let mut cursor = statement.walk();
    let subjects: Vec<Node<'_>> = statement
        .children_by_field_name("subject", &mut cursor)
        .collect();
    if subjects.len() != 1 || !reads.is_type_read(subjects[0]) {
        return Vec::new();
    }
    let Some(body) = statement.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for clause in named_children(body)
        .into_iter()
        .filter(|c| c.kind() == "case_clause")
    {
        let patterns: Vec<Node<'_>> = named_children(clause)
            .into_iter()
            .filter(|c| c.kind() == "case_pattern")
            .collect();
        let [pattern] = patterns.as_slice() else {
            continue;
        };
        let Some(inner) = named_children(*pattern).into_iter().next() else {
            continue;
        };
        strings_of_pattern(inner, reads.src, &mut out);
    }
    out
}

fn strings_of_pattern<'t>(pattern: Node<'t>, src: &str, out: &mut Vec<(Node<'t>, String)>) {
    match pattern.kind() {
        "string" | "concatenated_string" => {
            if let Some(value) = string_value(pattern, src) {
                out.push((pattern, value));
            }
        }
        "union_pattern" => {
            for alternative in named_children(pattern) {
                strings_of_pattern(alternative, src, out);
            }
        }
        _ => {}
    }
}
