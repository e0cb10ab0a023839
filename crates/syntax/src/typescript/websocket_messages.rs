//! `websocket_messages` (frontend side): message `type` strings sent with
//! `JSON.stringify({type: ...})` / `send({type: ...})`, and the types
//! handled: compared or switched on where what is compared is the `type` of
//! a message a socket's `message` handler parsed.
//!
//! A `.type` compared anywhere else (a Svelte template's `{#if
//! artifact.type === 'code'}`, a document block's kind) is no message. So
//! the handled side follows the parsed message, within one document (a
//! file, or a `.svelte` file's scripts):
//!
//! - where it comes in: `JSON.parse(e.data)` (or `JSON.parse(e)`) of the
//!   first parameter `e` of a handler registered with `X.onmessage = h`,
//!   `X.addEventListener("message", h)` or `X.on("message", h)`;
//! - through names in the handler's body, nested functions included
//!   (`const msg = JSON.parse(...)`, `const t = msg.type`, `const { type }
//!   = msg`), the order of statements not followed;
//! - into the document's functions it is passed to, by position, at most
//!   [`crate::common::MESSAGE_HOPS`] calls deep.
//!
//! The crate doc of `recon_findings` states the rule in full.

use std::collections::BTreeSet;

use recon_findings::{MessageDirection, Side, WebsocketMessage};
use rustc_hash::{FxHashMap, FxHashSet};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{
    first_argument, last_segment, named_children, string_value, text, unparenthesize, without_types,
};
use super::{Document, capture, node};
use crate::collect::WithColumn;
use crate::common::follow_messages;

/// What every match holds: the `type` key, or a backslash (an escape in a
/// string can spell it).
pub(super) const LITERALS: &[&str] = &["type", "\\"];

pub(super) struct Captures {
    send: u32,
    send_callee: u32,
    send_arguments: u32,
    handler: u32,
    handler_event: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            send: capture(query, "ws_send")?,
            send_callee: capture(query, "ws_send.callee")?,
            send_arguments: capture(query, "ws_send.arguments")?,
            handler: capture(query, "ws_handler")?,
            handler_event: capture(query, "ws_handler.event")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Send {
        call: Node<'t>,
        callee: Node<'t>,
        arguments: Node<'t>,
    },
    /// A handler registration: the handler, and the event name when it is
    /// an argument (`addEventListener("message", h)`).
    Handler {
        handler: Node<'t>,
        event: Option<Node<'t>>,
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
    Some(Raw::Handler {
        handler: node(m, caps.handler)?,
        event: node(m, caps.handler_event),
    })
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Document<'_>) -> Vec<WithColumn<WebsocketMessage>> {
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
    let mut handlers = Vec::new();
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
            Raw::Handler { handler, event } => {
                if event.is_none_or(|e| string_value(e, ctx.src).as_deref() == Some("message")) {
                    handlers.push(*handler);
                }
            }
        }
    }
    // A function nested in a handler is read with it, and again when a
    // message is passed to it: each place once.
    let mut seen: FxHashSet<(usize, String)> = FxHashSet::default();
    for (function, names) in follow(&handlers, ctx.src) {
        let reader = Reader {
            names: &names,
            src: ctx.src,
        };
        let body = Body::of(function);
        let mut handled = Vec::new();
        for compare in &body.comparisons {
            handled.extend(compared_type(*compare, &reader).map(|t| (*compare, t)));
        }
        for statement in &body.switches {
            handled.extend(switched_types(*statement, &reader));
        }
        for (at, t) in handled {
            if seen.insert((at.id(), t.clone())) {
                out.push(found(at, MessageDirection::Handled, t));
            }
        }
    }
    out
}

/// What a name (or an expression) holds of what a socket received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Held {
    /// The handler's event (or, for `on("message", h)`, the data itself).
    Event,
    /// A parsed message.
    Message,
    /// A message's `type`.
    Type,
}

/// The names of one function that hold something received.
type Names<'s> = BTreeSet<(&'s str, Held)>;

/// Reads expressions of one function against the names it binds.
struct Reader<'a, 's> {
    names: &'a Names<'s>,
    src: &'s str,
}

impl Reader<'_, '_> {
    /// All `node` holds of what was received (a name can hold several
    /// things: its bindings are not ordered).
    fn held(&self, node: Node<'_>) -> Vec<Held> {
        [Held::Event, Held::Message, Held::Type]
            .into_iter()
            .filter(|held| self.holds(node, *held))
            .collect()
    }

    fn holds(&self, node: Node<'_>, held: Held) -> bool {
        let node = without_types(node);
        match (node.kind(), held) {
            ("identifier", _) => self.names.contains(&(text(node, self.src), held)),
            // `JSON.parse(e.data)`, `JSON.parse(e)`
            ("call_expression", Held::Message) => {
                node.child_by_field_name("function")
                    .is_some_and(|f| is_json(f, "parse", self.src))
                    && node
                        .child_by_field_name("arguments")
                        .and_then(first_argument)
                        .is_some_and(|data| {
                            let data = without_types(data);
                            self.holds(data, Held::Event)
                                || (data.kind() == "member_expression"
                                    && last_segment(data, self.src) == Some("data")
                                    && data
                                        .child_by_field_name("object")
                                        .is_some_and(|e| self.holds(e, Held::Event)))
                        })
            }
            ("member_expression" | "subscript_expression", Held::Type) => {
                type_read_object(node, self.src).is_some_and(|m| self.holds(m, Held::Message))
            }
            _ => false,
        }
    }
}

/// The names an object pattern binds to a message's `type`: `{ type }`,
/// `{ type = 'x' }`, `{ type: t }`, `{ type: t = 'x' }`.
fn type_names_of<'s>(pattern: Node<'_>, src: &'s str) -> Vec<&'s str> {
    if pattern.kind() != "object_pattern" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for part in named_children(pattern) {
        let name = match part.kind() {
            "shorthand_property_identifier_pattern" => Some(part),
            "object_assignment_pattern" => part.child_by_field_name("left"),
            "pair_pattern"
                if part
                    .child_by_field_name("key")
                    .is_some_and(|k| is_type_key(k, src)) =>
            {
                match part.child_by_field_name("value") {
                    Some(v) if v.kind() == "assignment_pattern" => v.child_by_field_name("left"),
                    v => v,
                }
                .filter(|v| v.kind() == "identifier")
            }
            _ => None,
        };
        if let Some(name) = name {
            let shorthand = part.kind() != "pair_pattern";
            if !shorthand
                || (name.kind() == "shorthand_property_identifier_pattern"
                    && text(name, src) == "type")
            {
                out.push(text(name, src));
            }
        }
    }
    out
}

/// `JSON.<method>`.
fn is_json(callee: Node<'_>, method: &str, src: &str) -> bool {
    callee.kind() == "member_expression"
        && last_segment(callee, src) == Some(method)
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| o.kind() == "identifier" && text(o, src) == "JSON")
}

/// A property key `type` (`type`, `'type'`).
fn is_type_key(key: Node<'_>, src: &str) -> bool {
    (key.kind() == "property_identifier" && text(key, src) == "type")
        || string_value(key, src).as_deref() == Some("type")
}

/// The `X` of `X.type`, `X?.type`, `X['type']`.
fn type_read_object<'t>(node: Node<'t>, src: &str) -> Option<Node<'t>> {
    let is_type = match node.kind() {
        "member_expression" => node
            .child_by_field_name("property")
            .is_some_and(|p| p.kind() == "property_identifier" && text(p, src) == "type"),
        "subscript_expression" => node
            .child_by_field_name("index")
            .and_then(|i| string_value(i, src))
            .is_some_and(|v| v == "type"),
        _ => false,
    };
    is_type
        .then(|| node.child_by_field_name("object"))
        .flatten()
}

/// The nodes of one function the following reads: all of its body,
/// the functions nested in it included (they close over its names).
#[derive(Default)]
struct Body<'t> {
    /// `const name = value`, `const { type } = value`, `name = value`.
    bindings: Vec<(Node<'t>, Node<'t>)>,
    comparisons: Vec<Node<'t>>,
    switches: Vec<Node<'t>>,
    calls: Vec<Node<'t>>,
}

impl<'t> Body<'t> {
    fn of(function: Node<'t>) -> Self {
        let mut body = Body::default();
        let mut stack: Vec<Node<'t>> = function.child_by_field_name("body").into_iter().collect();
        while let Some(node) = stack.pop() {
            match node.kind() {
                "variable_declarator" => {
                    if let (Some(name), Some(value)) = (
                        node.child_by_field_name("name"),
                        node.child_by_field_name("value"),
                    ) {
                        body.bindings.push((name, value));
                    }
                }
                "assignment_expression" => {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ) && left.kind() == "identifier"
                    {
                        body.bindings.push((left, right));
                    }
                }
                "binary_expression"
                    if node
                        .child_by_field_name("operator")
                        .is_some_and(|o| matches!(o.kind(), "==" | "===")) =>
                {
                    body.comparisons.push(node);
                }
                "switch_statement" => body.switches.push(node),
                "call_expression" => body.calls.push(node),
                _ => {}
            }
            let children: Vec<Node<'t>> = node.named_children(&mut node.walk()).collect();
            stack.extend(children.into_iter().rev());
        }
        body
    }

    /// The names this function binds to what was received, given what its
    /// parameters hold (`seeds`): bindings are read again until nothing new
    /// is learnt (each round adds a name, so this ends).
    fn names<'s>(&self, seeds: &Names<'s>, src: &'s str) -> Names<'s> {
        let mut names = seeds.clone();
        loop {
            let reader = Reader { names: &names, src };
            let mut learnt: Vec<(&'s str, Held)> = Vec::new();
            for (name, value) in &self.bindings {
                for held in reader.held(*value) {
                    learnt.extend(seeds_of(*name, held, src));
                }
            }
            learnt.retain(|entry| !names.contains(entry));
            if learnt.is_empty() {
                return names;
            }
            names.extend(learnt);
        }
    }
}

/// A function of the document: a declaration, a function or arrow function
/// bound to a name, a method.
fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "function_declaration" | "function_expression" | "arrow_function" | "method_definition"
    )
}

/// The functions of a document by name, each with the class body it is a
/// method of (by node id).
struct Functions<'t, 's> {
    by_name: FxHashMap<&'s str, Vec<(Node<'t>, Option<usize>)>>,
}

impl<'t, 's> Functions<'t, 's> {
    fn of(root: Node<'t>, src: &'s str) -> Self {
        let mut by_name: FxHashMap<&'s str, Vec<(Node<'t>, Option<usize>)>> = FxHashMap::default();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let named = match node.kind() {
                "function_declaration" => node.child_by_field_name("name").map(|n| (n, node, None)),
                "method_definition" => node.child_by_field_name("name").map(|n| {
                    let class = node.parent().filter(|p| p.kind() == "class_body");
                    (n, node, class.map(|c| c.id()))
                }),
                // `const handle = (msg) => {...}`
                "variable_declarator" => node
                    .child_by_field_name("name")
                    .filter(|n| n.kind() == "identifier")
                    .zip(node.child_by_field_name("value").map(without_types))
                    .filter(|(_, value)| is_function(*value))
                    .map(|(n, value)| (n, value, None)),
                _ => None,
            };
            if let Some((name, function, class)) = named {
                by_name
                    .entry(text(name, src))
                    .or_default()
                    .push((function, class));
            }
            let children: Vec<Node<'t>> = node.named_children(&mut node.walk()).collect();
            stack.extend(children.into_iter().rev());
        }
        Functions { by_name }
    }

    /// The functions an expression names, or is: a function or arrow
    /// function itself; `f`, the functions `f` that are no methods;
    /// `this.f`, the methods `f` of the class `at` is in.
    fn named(&self, expression: Node<'t>, at: Node<'_>, src: &str) -> Vec<Node<'t>> {
        let expression = without_types(expression);
        let (name, class) = match expression.kind() {
            _ if is_function(expression) => return vec![expression],
            "identifier" => (text(expression, src), None),
            "member_expression" => {
                let this = expression
                    .child_by_field_name("object")
                    .is_some_and(|o| o.kind() == "this");
                let class = std::iter::successors(at.parent(), |n| n.parent())
                    .find(|n| n.kind() == "class_body");
                let (true, Some(class), Some(name)) = (this, class, last_segment(expression, src))
                else {
                    return Vec::new();
                };
                (name, Some(class.id()))
            }
            _ => return Vec::new(),
        };
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(_, of)| *of == class)
            .map(|(function, _)| *function)
            .collect()
    }
}

/// A function's parameters in order: each a name, or an object pattern
/// (`{ type, content }`); up to a rest parameter, `this` skipped.
fn parameters(function: Node<'_>) -> Vec<Node<'_>> {
    if let Some(single) = function.child_by_field_name("parameter") {
        return vec![single];
    }
    let Some(list) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for parameter in named_children(list) {
        let Some(pattern) = parameter.child_by_field_name("pattern") else {
            continue;
        };
        match pattern.kind() {
            "rest_pattern" => break,
            "this" => {}
            _ => out.push(pattern),
        }
    }
    out
}

/// What a parameter (or a declared name) holds when a value holding `held`
/// reaches it: a name holds it; a pattern destructuring a message binds
/// its type.
fn seeds_of<'s>(parameter: Node<'_>, held: Held, src: &'s str) -> Vec<(&'s str, Held)> {
    match parameter.kind() {
        "identifier" => vec![(text(parameter, src), held)],
        _ if held == Held::Message => type_names_of(parameter, src)
            .into_iter()
            .map(|n| (n, Held::Type))
            .collect(),
        _ => Vec::new(),
    }
}

/// The functions that hold something received, each with the names holding
/// it: the message handlers, then the document's functions a function
/// passes something received to (by position), as far as
/// [`follow_messages`] goes.
fn follow<'t, 's>(handlers: &[Node<'t>], src: &'s str) -> Vec<(Node<'t>, Names<'s>)> {
    let Some(root) = handlers.first().map(|h| {
        std::iter::successors(Some(*h), |n| n.parent())
            .last()
            .unwrap_or(*h)
    }) else {
        return Vec::new();
    };
    let functions = Functions::of(root, src);
    let starts: Vec<(Node<'t>, Names<'s>)> = handlers
        .iter()
        .flat_map(|h| functions.named(*h, *h, src))
        .map(|function| {
            // The handler's first parameter is its event.
            let seeds = parameters(function)
                .first()
                .map(|event| seeds_of(*event, Held::Event, src))
                .unwrap_or_default();
            (function, seeds.into_iter().collect())
        })
        .collect();
    follow_messages(starts, |function, seeds, pass_on| {
        let body = Body::of(function);
        let names = body.names(seeds, src);
        let mut passes = Vec::new();
        if pass_on {
            let reader = Reader { names: &names, src };
            for call in &body.calls {
                passes.extend(passed(*call, &reader, &functions));
            }
        }
        (names, passes)
    })
}

/// The functions `call` passes something received to, each with what its
/// parameters then hold.
fn passed<'t, 's>(
    call: Node<'t>,
    reader: &Reader<'_, 's>,
    functions: &Functions<'t, 's>,
) -> Vec<(Node<'t>, Names<'s>)> {
    let (Some(callee), Some(arguments)) = (
        call.child_by_field_name("function"),
        call.child_by_field_name("arguments"),
    ) else {
        return Vec::new();
    };
    let mut by_position: Vec<Vec<Held>> = Vec::new();
    for argument in named_children(arguments) {
        if argument.kind() == "spread_element" {
            break;
        }
        by_position.push(reader.held(argument));
    }
    if by_position.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for function in functions.named(callee, call, reader.src) {
        let mut seeds = Names::new();
        for (parameter, held) in parameters(function).into_iter().zip(&by_position) {
            for held in held {
                seeds.extend(seeds_of(parameter, *held, reader.src));
            }
        }
        if !seeds.is_empty() {
            out.push((function, seeds));
        }
    }
    out
}

/// `read == 'x'`, `'x' === read` (`==` or `===`).
fn compared_type(compare: Node<'_>, reader: &Reader<'_, '_>) -> Option<String> {
    let left = compare.child_by_field_name("left")?;
    let right = compare.child_by_field_name("right")?;
    if reader.holds(left, Held::Type) {
        string_value(right, reader.src)
    } else if reader.holds(right, Held::Type) {
        string_value(left, reader.src)
    } else {
        None
    }
}

/// `switch (read)`: each `case 'x':`.
fn switched_types<'t>(statement: Node<'t>, reader: &Reader<'_, '_>) -> Vec<(Node<'t>, String)> {
    let (Some(value), Some(body)) = (
        statement.child_by_field_name("value"),
        statement.child_by_field_name("body"),
    ) else {
        return Vec::new();
    };
    if !reader.holds(unparenthesize(value), Held::Type) {
        return Vec::new();
    }
    named_children(body)
        .into_iter()
        .filter(|c| c.kind() == "switch_case")
        .filter_map(|case| {
            let value = case.child_by_field_name("value")?;
            Some((value, string_value(value, reader.src)?))
        })
        .collect()
}

/// `JSON.stringify`, or a callee whose last segment is `send`.
fn is_sender(callee: Node<'_>, src: &str) -> bool {
    last_segment(callee, src) == Some("send") || is_json(callee, "stringify", src)
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
            pair.child_by_field_name("key")
                .is_some_and(|k| is_type_key(k, src))
        })?;
    string_value(pair.child_by_field_name("value")?, src)
}
