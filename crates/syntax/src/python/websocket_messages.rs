//! `websocket_messages` (backend side): message `type` strings sent with
//! `X.send_json({"type": ...})`, and the types handled: compared or matched
//! where what is compared is the `"type"` of a message received from a
//! WebSocket.
//!
//! A `"type"` compared anywhere else (a parsed document's block kind, an
//! event dict built in the process) is no message. So the handled side
//! follows the received value, within one module:
//!
//! - where it comes in: `await X.receive_json()`, `await X.receive_text()`
//!   / `await X.receive_bytes()` decoded by a `loads` call, `async for m in
//!   X.iter_json()` (or `iter_text()` / `iter_bytes()`, decoded);
//! - through names in one function body (`data = await ...`, `msg =
//!   json.loads(raw)`, `msg_type = msg["type"]`), the order of statements
//!   not followed;
//! - into the module's functions it is passed to, by position or keyword,
//!   at most [`crate::common::MESSAGE_HOPS`] calls deep.
//!
//! The crate doc of `recon_findings` states the rule in full.

use std::collections::BTreeSet;

use recon_findings::{MessageDirection, Side, WebsocketMessage};
use rustc_hash::FxHashMap;
use tree_sitter::{Node, Query, QueryMatch};

use crate::common::follow_messages;

use super::text::{
    is_scope, last_segment, named_children, positional_args, string_value, text, unparenthesize,
};
use super::{Document, WithColumn, capture, node};

/// The methods whose dict payload's `"type"` is a sent message type (the
/// query's list).
pub(crate) const SEND_METHODS: &[&str] = &["send_json", "send_text", "send", "broadcast"];

/// The methods of a server-side WebSocket whose value, awaited or iterated
/// with `async for`, is what the client sent (the query's list).
pub(crate) const RECEIVE_METHODS: &[&str] = &[
    "receive_json",
    "receive_text",
    "receive_bytes",
    "iter_json",
    "iter_text",
    "iter_bytes",
];

pub(super) struct Captures {
    send: u32,
    send_arguments: u32,
    receive: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            send: capture(query, "ws_send")?,
            send_arguments: capture(query, "ws_send.arguments")?,
            receive: capture(query, "ws_receive")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Send {
        call: Node<'t>,
        arguments: Node<'t>,
    },
    /// A call of a receive or iteration method: its function body is where
    /// the following starts.
    Receive(Node<'t>),
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.send) {
        return Some(Raw::Send {
            call,
            arguments: node(m, caps.send_arguments)?,
        });
    }
    node(m, caps.receive).map(Raw::Receive)
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Document<'_>) -> Vec<WithColumn<WebsocketMessage>> {
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
    let mut receives = Vec::new();
    for raw in raws {
        match raw {
            Raw::Send { call, arguments } => {
                if let Some(t) = sent_type(*arguments, ctx.src) {
                    out.push(found(*call, MessageDirection::Sent, t));
                }
            }
            Raw::Receive(call) => receives.push(*call),
        }
    }
    for (scope, names) in follow(&receives, ctx.src) {
        let reader = Reader {
            names: &names,
            src: ctx.src,
        };
        let body = Body::of(scope);
        for compare in &body.comparisons {
            for t in compared_types(*compare, &reader) {
                out.push(found(*compare, MessageDirection::Handled, t));
            }
        }
        for statement in &body.matches {
            for (at, t) in matched_types(*statement, &reader) {
                out.push(found(at, MessageDirection::Handled, t));
            }
        }
    }
    out
}

/// What a name (or an expression) holds of what a client sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Held {
    /// A decoded message (a dict).
    Message,
    /// Received text or bytes, not yet decoded.
    Text,
    /// A message's `"type"`.
    Type,
}

/// The names of one body that hold something received.
type Names<'s> = BTreeSet<(&'s str, Held)>;

/// Reads expressions of one body against the names it binds.
struct Reader<'a, 's> {
    names: &'a Names<'s>,
    src: &'s str,
}

impl Reader<'_, '_> {
    /// All `node` holds of what was received (a name can hold several
    /// things: its bindings are not ordered).
    fn held(&self, node: Node<'_>) -> Vec<Held> {
        [Held::Message, Held::Text, Held::Type]
            .into_iter()
            .filter(|held| self.holds(node, *held))
            .collect()
    }

    fn holds(&self, node: Node<'_>, held: Held) -> bool {
        let node = unparenthesize(node);
        match (node.kind(), held) {
            ("identifier", _) => self.names.contains(&(text(node, self.src), held)),
            ("await", Held::Message | Held::Text) => {
                named_children(node)
                    .first()
                    .and_then(|call| received(unparenthesize(*call), self.src))
                    == Some((held, Receipt::Awaited))
            }
            // `json.loads(text)` (any `loads`: orjson, ujson...)
            ("call", Held::Message) => {
                node.child_by_field_name("function")
                    .and_then(|f| last_segment(f, self.src))
                    == Some("loads")
                    && node
                        .child_by_field_name("arguments")
                        .and_then(|a| positional_args(a).first().copied())
                        .is_some_and(|text| self.holds(text, Held::Text))
            }
            ("subscript" | "call", Held::Type) => {
                type_read_object(node, self.src).is_some_and(|m| self.holds(m, Held::Message))
            }
            _ => false,
        }
    }
}

/// How a receive method gives what was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Receipt {
    /// `await X.receive_json()`.
    Awaited,
    /// `async for m in X.iter_json()`.
    Iterated,
}

/// What a call of a receive method gives, and how: `X.receive_json()` a
/// message once awaited, `X.iter_text()` text once iterated...
fn received(call: Node<'_>, src: &str) -> Option<(Held, Receipt)> {
    if call.kind() != "call" {
        return None;
    }
    let function = call.child_by_field_name("function")?;
    if function.kind() != "attribute" {
        return None;
    }
    match last_segment(function, src)? {
        "receive_json" => Some((Held::Message, Receipt::Awaited)),
        "receive_text" | "receive_bytes" => Some((Held::Text, Receipt::Awaited)),
        "iter_json" => Some((Held::Message, Receipt::Iterated)),
        "iter_text" | "iter_bytes" => Some((Held::Text, Receipt::Iterated)),
        _ => None,
    }
}

/// The `X` of `X["type"]` (one string subscript) or `X.get("type", ...)`.
fn type_read_object<'t>(node: Node<'t>, src: &str) -> Option<Node<'t>> {
    match node.kind() {
        "subscript" => {
            let mut cursor = node.walk();
            let subscripts: Vec<Node<'_>> = node
                .children_by_field_name("subscript", &mut cursor)
                .collect();
            let [subscript] = subscripts.as_slice() else {
                return None;
            };
            (string_value(*subscript, src).as_deref() == Some("type"))
                .then(|| node.child_by_field_name("value"))?
        }
        "call" => {
            let function = node.child_by_field_name("function")?;
            if function.kind() != "attribute" || last_segment(function, src) != Some("get") {
                return None;
            }
            let first = positional_args(node.child_by_field_name("arguments")?)
                .first()
                .copied()?;
            (string_value(first, src).as_deref() == Some("type"))
                .then(|| function.child_by_field_name("object"))?
        }
        _ => None,
    }
}

/// The nodes of one scope the following reads: the scope's own statements
/// and expressions, not those of the functions, lambdas and classes nested
/// in it.
#[derive(Default)]
struct Body<'t> {
    /// `name = value`, `name: T = value`, `a = name = value`, `name := value`.
    bindings: Vec<(Node<'t>, Node<'t>)>,
    /// `async for name in iterable`.
    iterations: Vec<(Node<'t>, Node<'t>)>,
    comparisons: Vec<Node<'t>>,
    matches: Vec<Node<'t>>,
    calls: Vec<Node<'t>>,
}

impl<'t> Body<'t> {
    /// A function definition's body, or a module's top level.
    fn of(scope: Node<'t>) -> Self {
        let mut body = Body::default();
        let start = match scope.kind() {
            "function_definition" => scope.child_by_field_name("body"),
            _ => Some(scope),
        };
        let mut stack: Vec<Node<'t>> = start.into_iter().collect();
        while let Some(node) = stack.pop() {
            match node.kind() {
                "assignment" => {
                    let mut right = node.child_by_field_name("right");
                    // `a = b = value`: each target is bound to the value
                    while let Some(inner) = right.filter(|r| r.kind() == "assignment") {
                        right = inner.child_by_field_name("right");
                    }
                    if let (Some(left), Some(right)) = (node.child_by_field_name("left"), right)
                        && left.kind() == "identifier"
                    {
                        body.bindings.push((left, right));
                    }
                }
                "named_expression" => {
                    if let (Some(name), Some(value)) = (
                        node.child_by_field_name("name"),
                        node.child_by_field_name("value"),
                    ) {
                        body.bindings.push((name, value));
                    }
                }
                "for_statement" => {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ) && node.child(0).is_some_and(|c| c.kind() == "async")
                        && left.kind() == "identifier"
                    {
                        body.iterations.push((left, right));
                    }
                }
                "comparison_operator" => body.comparisons.push(node),
                "match_statement" => body.matches.push(node),
                "call" => body.calls.push(node),
                _ => {}
            }
            let children: Vec<Node<'t>> = node.named_children(&mut node.walk()).collect();
            stack.extend(children.into_iter().rev().filter(|c| !is_scope(*c)));
        }
        body
    }

    /// The names this body binds to what was received, given what its
    /// parameters hold (`seeds`): bindings are read again until nothing
    /// new is learnt (each round adds a name, so this ends).
    fn names<'s>(&self, seeds: &Names<'s>, src: &'s str) -> Names<'s> {
        let mut names = seeds.clone();
        for (target, iterable) in &self.iterations {
            if let Some((held, Receipt::Iterated)) = received(unparenthesize(*iterable), src) {
                names.insert((text(*target, src), held));
            }
        }
        loop {
            let reader = Reader { names: &names, src };
            let learnt: Vec<(&'s str, Held)> = self
                .bindings
                .iter()
                .flat_map(|(name, value)| {
                    let name = text(*name, src);
                    reader
                        .held(*value)
                        .into_iter()
                        .map(move |held| (name, held))
                })
                .filter(|entry| !names.contains(entry))
                .collect();
            if learnt.is_empty() {
                return names;
            }
            names.extend(learnt);
        }
    }
}

/// The function definitions of a module, by name, each with the class it
/// is a method of (by node id).
struct Functions<'t, 's> {
    by_name: FxHashMap<&'s str, Vec<(Node<'t>, Option<usize>)>>,
}

impl<'t, 's> Functions<'t, 's> {
    fn of(root: Node<'t>, src: &'s str) -> Self {
        let mut by_name: FxHashMap<&'s str, Vec<(Node<'t>, Option<usize>)>> = FxHashMap::default();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if node.kind() == "function_definition"
                && let Some(name) = node.child_by_field_name("name")
            {
                by_name
                    .entry(text(name, src))
                    .or_default()
                    .push((node, method_of(node).map(|c| c.id())));
            }
            let children: Vec<Node<'t>> = node.named_children(&mut node.walk()).collect();
            stack.extend(children.into_iter().rev());
        }
        Functions { by_name }
    }

    /// The definitions a call's callee names, each with whether its first
    /// parameter is the receiver: `f(...)`, a function `f` that is no
    /// method; `self.f(...)` / `cls.f(...)` in a method, the methods `f` of
    /// its class.
    fn callees(&self, function: Node<'_>, caller: Node<'_>, src: &str) -> Vec<(Node<'t>, bool)> {
        let (name, class, bound) = match function.kind() {
            "identifier" => (text(function, src), None, false),
            "attribute" => {
                let receiver = function.child_by_field_name("object");
                if !receiver.is_some_and(|r| matches!(text(r, src), "self" | "cls")) {
                    return Vec::new();
                }
                let Some(class) = method_of(caller) else {
                    return Vec::new();
                };
                let Some(name) = last_segment(function, src) else {
                    return Vec::new();
                };
                (name, Some(class.id()), true)
            }
            _ => return Vec::new(),
        };
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(_, of)| *of == class)
            .map(|(def, _)| (*def, bound))
            .collect()
    }
}

/// The class a function definition is a method of (decorated or not).
fn method_of(def: Node<'_>) -> Option<Node<'_>> {
    if def.kind() != "function_definition" {
        return None;
    }
    let mut parent = def.parent()?;
    if parent.kind() == "decorated_definition" {
        parent = parent.parent()?;
    }
    let class = parent.parent()?;
    (parent.kind() == "block" && class.kind() == "class_definition").then_some(class)
}

/// A parameter a call can pass a value to.
struct Parameter<'s> {
    name: &'s str,
    /// Before any `*` / `*args`: an argument at its position reaches it.
    positional: bool,
    /// Not before a `/`: `name=` reaches it.
    keyword: bool,
}

/// The parameters of a definition, in order (`*args` and `**kwargs` are
/// none: what reaches them is no longer a name of the body).
fn parameters<'s>(def: Node<'_>, src: &'s str) -> Vec<Parameter<'s>> {
    let mut out: Vec<Parameter<'s>> = Vec::new();
    let Some(list) = def.child_by_field_name("parameters") else {
        return out;
    };
    let mut positional = true;
    for parameter in named_children(list) {
        let name = match parameter.kind() {
            "identifier" => Some(parameter),
            "default_parameter" | "typed_default_parameter" => parameter
                .child_by_field_name("name")
                .filter(|n| n.kind() == "identifier"),
            "typed_parameter" => {
                let inner = named_children(parameter).into_iter().next();
                if inner.is_some_and(|n| n.kind() == "list_splat_pattern") {
                    positional = false;
                }
                inner.filter(|n| n.kind() == "identifier")
            }
            "list_splat_pattern" | "keyword_separator" => {
                positional = false;
                None
            }
            "positional_separator" => {
                for before in &mut out {
                    before.keyword = false;
                }
                None
            }
            _ => None,
        };
        if let Some(name) = name {
            out.push(Parameter {
                name: text(name, src),
                positional,
                keyword: true,
            });
        }
    }
    out
}

/// The bodies that hold something received, each with the names holding
/// it: the bodies of the receive calls, then the module's functions a body
/// passes something received to (by position or keyword), as far as
/// [`follow_messages`] goes.
fn follow<'t, 's>(receives: &[Node<'t>], src: &'s str) -> Vec<(Node<'t>, Names<'s>)> {
    let Some(root) = receives.first().map(|r| root_of(*r)) else {
        return Vec::new();
    };
    let functions = Functions::of(root, src);
    let starts = receives.iter().map(|r| (enclosing_body(*r), Names::new()));
    follow_messages(starts, |scope, seeds, pass_on| {
        let body = Body::of(scope);
        let names = body.names(seeds, src);
        let mut passes = Vec::new();
        if pass_on {
            let reader = Reader { names: &names, src };
            for call in &body.calls {
                passes.extend(passed(*call, scope, &reader, &functions, src));
            }
        }
        (names, passes)
    })
}

/// The callees of `call` (made in `caller`'s body) that it passes something
/// received to, each with what its parameters then hold.
fn passed<'t, 's>(
    call: Node<'_>,
    caller: Node<'_>,
    reader: &Reader<'_, 's>,
    functions: &Functions<'t, 's>,
    src: &'s str,
) -> Vec<(Node<'t>, Names<'s>)> {
    let (Some(function), Some(arguments)) = (
        call.child_by_field_name("function"),
        call.child_by_field_name("arguments"),
    ) else {
        return Vec::new();
    };
    if arguments.kind() != "argument_list" {
        return Vec::new();
    }
    // What is passed: by position (up to a `*args`), by keyword.
    let mut by_position: Vec<Vec<Held>> = Vec::new();
    for argument in positional_args(arguments) {
        if argument.kind() == "list_splat" {
            break;
        }
        by_position.push(reader.held(argument));
    }
    let by_keyword: Vec<(&str, Vec<Held>)> = named_children(arguments)
        .into_iter()
        .filter(|a| a.kind() == "keyword_argument")
        .filter_map(|a| {
            let name = text(a.child_by_field_name("name")?, src);
            Some((name, reader.held(a.child_by_field_name("value")?)))
        })
        .filter(|(_, held)| !held.is_empty())
        .collect();
    if by_position.iter().all(Vec::is_empty) && by_keyword.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (def, bound) in functions.callees(function, caller, src) {
        let params = parameters(def, src);
        let positional = params
            .iter()
            .filter(|p| p.positional)
            .skip(usize::from(bound));
        let mut seeds = Names::new();
        for (param, held) in positional.zip(&by_position) {
            seeds.extend(held.iter().map(|h| (param.name, *h)));
        }
        for (name, held) in &by_keyword {
            if let Some(param) = params.iter().find(|p| p.keyword && p.name == *name) {
                seeds.extend(held.iter().map(|h| (param.name, *h)));
            }
        }
        if !seeds.is_empty() {
            out.push((def, seeds));
        }
    }
    out
}

/// The function definition whose body holds `node`, or the module.
fn enclosing_body(node: Node<'_>) -> Node<'_> {
    let mut at = node;
    while let Some(parent) = at.parent() {
        if parent.kind() == "function_definition" {
            return parent;
        }
        at = parent;
    }
    at
}

fn root_of(node: Node<'_>) -> Node<'_> {
    let mut at = node;
    while let Some(parent) = at.parent() {
        at = parent;
    }
    at
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
fn compared_types(compare: Node<'_>, reader: &Reader<'_, '_>) -> Vec<String> {
    let operands = named_children(compare);
    let mut cursor = compare.walk();
    let operators: Vec<Node<'_>> = compare
        .children_by_field_name("operators", &mut cursor)
        .collect();
    if operands.len() != 2 || operators.len() != 1 {
        return Vec::new();
    }
    let (left, right) = (operands[0], operands[1]);
    let is_type_read = |node| reader.holds(node, Held::Type);
    match operators[0].kind() {
        "==" => {
            if is_type_read(left) {
                string_value(right, reader.src).into_iter().collect()
            } else if is_type_read(right) {
                string_value(left, reader.src).into_iter().collect()
            } else {
                Vec::new()
            }
        }
        "in" if is_type_read(left) => {
            let right = unparenthesize(right);
            if !matches!(right.kind(), "tuple" | "list" | "set") {
                return Vec::new();
            }
            named_children(right)
                .into_iter()
                .filter_map(|e| string_value(e, reader.src))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// `match read:` — each `case "x":` and each string of `case "x" | "y":`.
fn matched_types<'t>(statement: Node<'t>, reader: &Reader<'_, '_>) -> Vec<(Node<'t>, String)> {
    let mut cursor = statement.walk();
    let subjects: Vec<Node<'_>> = statement
        .children_by_field_name("subject", &mut cursor)
        .collect();
    if subjects.len() != 1 || !reader.holds(subjects[0], Held::Type) {
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
        strings_of_pattern(inner, reader.src, &mut out);
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
