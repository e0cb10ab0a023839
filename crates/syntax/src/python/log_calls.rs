//! `log_calls`: `R.L(...)` with `R` a logger, and the message's `[TAG]`.

use recon_findings::{LogCall, LogLevel};
use tree_sitter::{Node, Query, QueryMatch};

use super::bindings::Names;
use super::text::{bracket_prefix, last_segment, leading_text, text};
use super::{At, Ctx, capture, node};

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

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Raw<'t>> {
    Some(Raw {
        call: node(m, caps.call)?,
        receiver: node(m, caps.receiver)?,
        level: node(m, caps.level)?,
        arguments: node(m, caps.arguments)?,
    })
}

/// The level a method name logs at.
pub fn level(name: &str) -> Option<LogLevel> {
    Some(match name {
        "debug" => LogLevel::Debug,
        "info" => LogLevel::Info,
        "warning" => LogLevel::Warning,
        "warn" => LogLevel::Warn,
        "error" => LogLevel::Error,
        "exception" => LogLevel::Exception,
        "critical" => LogLevel::Critical,
        "fatal" => LogLevel::Fatal,
        "log" => LogLevel::Log,
        _ => return None,
    })
}

pub(super) fn extract(raws: &[Raw<'_>], names: &Names, ctx: &Ctx<'_>) -> Vec<At<LogCall>> {
    raws.iter()
        .filter_map(|raw| {
            let is_module =
                raw.receiver.kind() == "identifier" && text(raw.receiver, ctx.src) == "logging";
            if !is_module && !names.is_logger(last_segment(raw.receiver, ctx.src)?) {
                return None;
            }
            Some((
                raw.call.start_position().column,
                LogCall {
                    file: ctx.file.to_owned(),
                    line: ctx.line(raw.call),
                    level: level(text(raw.level, ctx.src))?,
                    prefix: prefix(raw.arguments, ctx.src),
                },
            ))
        })
        .collect()
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
