//! `log_calls`: `R.L(...)` with `R` a logger, and the message's `[TAG]`;
//! `log_messages`: how the message is built, whether the call is in an
//! `except` body and passes `exc_info`.

use recon_findings::{LogCall, LogLevel, LogMessage, MessageKind, Position};
use tree_sitter::{Node, Query, QueryMatch};

use super::ancestry::Ancestry;
use super::bindings::Names;
use super::text::{
    bracket_prefix, is_interpolated, keyword_arg, last_segment, leading_text, operator,
    plus_operands_all, positional_args, string_value, text, unparenthesize,
};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};

pub(super) struct Captures {
    call: u32,
    receiver: u32,
    level: u32,
    arguments: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            call: capture(query, "log_call")?,
            receiver: capture(query, "log_call.receiver")?,
            level: capture(query, "log_call.level")?,
            arguments: capture(query, "log_call.arguments")?,
        })
    }
}

pub(super) struct Raw<'t> {
    call: Node<'t>,
    receiver: Node<'t>,
    level: Node<'t>,
    arguments: Node<'t>,
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    Some(Raw {
        call: node(m, caps.call)?,
        receiver: node(m, caps.receiver)?,
        level: node(m, caps.level)?,
        arguments: node(m, caps.arguments)?,
    })
}

/// The level methods (the query's list; a test in `triggers` holds them
/// together).
pub(super) use recon_findings::vocabulary::LOG_LEVEL_METHODS as LOG_LEVELS;

/// What lets a unit through: a level method called (on a logger: the
/// triggers check its receiver).
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(LOG_LEVELS.iter().copied(), role::LEVEL);
}

/// The level a method name logs at.
pub fn level(name: &str) -> Option<LogLevel> {
    LogLevel::from_method(name)
}

/// What the log calls of one module give.
#[derive(Default)]
pub(super) struct Found<'t> {
    pub log_calls: Vec<WithColumn<LogCall>>,
    pub log_messages: Vec<WithColumn<LogMessage>>,
    /// The call nodes of `log_calls` (for `except_bodies`).
    pub nodes: Vec<Node<'t>>,
}

/// The nodes [`extract`] asks the ancestry about.
pub(super) fn targets<'t>(raws: &[Raw<'t>], out: &mut Vec<Node<'t>>) {
    out.extend(raws.iter().map(|raw| raw.call));
}

pub(super) fn extract<'t>(
    raws: &[Raw<'t>],
    names: &Names,
    ancestry: &Ancestry<'t>,
    ctx: &Document<'_>,
) -> Found<'t> {
    let mut found = Found::default();
    for raw in raws {
        let is_module =
            raw.receiver.kind() == "identifier" && text(raw.receiver, ctx.src) == "logging";
        if !is_module
            && !last_segment(raw.receiver, ctx.src).is_some_and(|name| names.is_logger(name))
        {
            continue;
        }
        let Some(level) = level(text(raw.level, ctx.src)) else {
            continue;
        };
        let column = raw.call.start_position().column;
        let line = ctx.line(raw.call);
        found.log_calls.push((
            column,
            LogCall {
                file: ctx.file.to_owned(),
                line,
                level,
                prefix: prefix(raw.arguments, ctx.src),
            },
        ));
        found.log_messages.push((
            column,
            LogMessage {
                file: ctx.file.to_owned(),
                line,
                level,
                message: message_kind(raw.arguments, level, ctx.src),
                message_at: message_argument(raw.arguments, level, ctx.src)
                    .map(|m| position(unparenthesize(m), ctx.src)),
                receiver: text(raw.receiver, ctx.src)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                in_except: ancestry.place(raw.call).is_some_and(|p| p.except.is_some()),
                exc_info: level == LogLevel::Exception
                    || keyword_arg(raw.arguments, "exc_info", ctx.src).is_some()
                    || has_dict_splat(raw.arguments),
            },
        ));
        found.nodes.push(raw.call);
    }
    found
}

/// The message: the first positional argument, the second for `log`, else
/// `msg=`.
fn message_argument<'t>(arguments: Node<'t>, level: LogLevel, src: &str) -> Option<Node<'t>> {
    let index = usize::from(level == LogLevel::Log);
    positional_args(arguments)
        .get(index)
        .copied()
        .or_else(|| keyword_arg(arguments, "msg", src))
}

/// Whether a call's arguments pass a `**` mapping.
fn has_dict_splat(arguments: Node<'_>) -> bool {
    arguments
        .named_children(&mut arguments.walk())
        .any(|c| c.kind() == "dictionary_splat")
}

/// Where `node` starts: 1-based line, 1-based column in characters.
fn position(node: Node<'_>, src: &str) -> Position {
    let point = node.start_position();
    let line_start = node.start_byte().saturating_sub(point.column);
    let column = src
        .get(line_start..node.start_byte())
        .map_or(point.column, |s| s.chars().count());
    Position {
        line: point.row + 1,
        column: column + 1,
    }
}

/// How the message ([`message_argument`]) is built.
fn message_kind(arguments: Node<'_>, level: LogLevel, src: &str) -> MessageKind {
    let Some(message) = message_argument(arguments, level, src) else {
        return MessageKind::None;
    };
    let message = unparenthesize(message);
    match message.kind() {
        "string" | "concatenated_string" => {
            if is_interpolated(message) {
                MessageKind::Fstring
            } else if string_value(message, src).is_some() {
                MessageKind::Literal
            } else {
                MessageKind::Other
            }
        }
        "call" => {
            let formats = message
                .child_by_field_name("function")
                .filter(|f| f.kind() == "attribute")
                .and_then(|f| last_segment(f, src))
                == Some("format");
            if formats {
                MessageKind::Format
            } else {
                MessageKind::Other
            }
        }
        "binary_operator" => match operator(message) {
            Some("%") => MessageKind::Percent,
            // Every operand a `str` literal without placeholder.
            Some("+") if plus_operands_all(message, |n| string_value(n, src).is_some()) => {
                MessageKind::Literal
            }
            Some("+") => MessageKind::Concat,
            _ => MessageKind::Other,
        },
        _ => MessageKind::Other,
    }
}

/// The `[TAG]` the first argument starts with, when it is a positional
/// string literal.
fn prefix(arguments: Node<'_>, src: &str) -> Option<String> {
    let first = if arguments.kind() == "argument_list" {
        arguments
            .named_children(&mut arguments.walk())
            .find(|c| c.kind() != "comment")?
    } else {
        arguments
    };
    bracket_prefix(&leading_text(first, src)?)
}
