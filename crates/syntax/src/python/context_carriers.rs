//! `context_carriers`: parameters, assignment targets, keyword arguments
//! named like request context, and header-name strings.

use recon_findings::{CarrierKind, ContextCarrier};
use tree_sitter::{Node, Query, QueryMatch};

use super::ancestry::Ancestry;
use super::text::{last_segment, named_children, string_value, text};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture};

/// Names that carry request context.
pub const CARRIER_NAMES: &[&str] = &[
    "trace_id",
    "span_id",
    "request_id",
    "correlation_id",
    "session_id",
    "user_email",
    "user_id",
    "tenant_id",
    "department",
    "division",
    "current_user",
];

/// Header names (lower-cased) that carry request context.
pub const CARRIER_HEADERS: &[&str] = &[
    "x-request-id",
    "x-correlation-id",
    "x-trace-id",
    "x-user-email",
    "x-department",
    "x-session-id",
    "traceparent",
    "tracestate",
];

/// What lets a unit through: a carrier name wherever it is (a carrier
/// header's string is read by the triggers' string values).
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(CARRIER_NAMES.iter().copied(), role::ALWAYS);
}

pub(super) struct Captures {
    parameters: u32,
    target: u32,
    keyword: u32,
    string: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            parameters: capture(query, "carrier.parameters")?,
            target: capture(query, "carrier.target")?,
            keyword: capture(query, "carrier.keyword")?,
            string: capture(query, "carrier.string")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Parameters(Node<'t>),
    Target(Node<'t>),
    Keyword(Node<'t>),
    String(Node<'t>),
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    let capture = m.captures().first()?;
    let node = capture.node;
    Some(match capture.index {
        i if i == caps.parameters => Raw::Parameters(node),
        i if i == caps.target => Raw::Target(node),
        i if i == caps.keyword => Raw::Keyword(node),
        i if i == caps.string => Raw::String(node),
        _ => return None,
    })
}

/// The name nodes a parameter list declares (`*args` and `**kwargs` too).
pub fn parameter_names(parameters: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    for parameter in named_children(parameters) {
        let name = match parameter.kind() {
            "identifier" => Some(parameter),
            "default_parameter" | "typed_default_parameter" => parameter
                .child_by_field_name("name")
                .filter(|n| n.kind() == "identifier"),
            "typed_parameter" => named_children(parameter)
                .into_iter()
                .next()
                .and_then(splat_name),
            "list_splat_pattern" | "dictionary_splat_pattern" => splat_name(parameter),
            _ => None,
        };
        out.extend(name);
    }
    out
}

fn splat_name(node: Node<'_>) -> Option<Node<'_>> {
    match node.kind() {
        "identifier" => Some(node),
        "list_splat_pattern" | "dictionary_splat_pattern" => named_children(node)
            .into_iter()
            .next()
            .filter(|n| n.kind() == "identifier"),
        _ => None,
    }
}

/// The nodes [`extract`] asks the ancestry about.
pub(super) fn targets<'t>(raws: &[Raw<'t>], out: &mut Vec<Node<'t>>) {
    out.extend(raws.iter().filter_map(|raw| match raw {
        Raw::String(string) => Some(*string),
        _ => None,
    }));
}

pub(super) fn extract<'t>(
    raws: &[Raw<'t>],
    ancestry: &Ancestry<'t>,
    ctx: &Document<'_>,
) -> Vec<WithColumn<ContextCarrier>> {
    let found = |at: Node<'_>, name: &str, kind| {
        (
            at.start_position().column,
            ContextCarrier {
                file: ctx.file.to_owned(),
                line: ctx.line(at),
                name: name.to_owned(),
                kind,
            },
        )
    };
    let mut out = Vec::new();
    for raw in raws {
        match raw {
            Raw::Parameters(parameters) => {
                for name in parameter_names(*parameters) {
                    let text = text(name, ctx.src);
                    if CARRIER_NAMES.contains(&text) {
                        out.push(found(name, text, CarrierKind::Parameter));
                    }
                }
            }
            Raw::Target(target) => {
                if let Some(name) =
                    last_segment(*target, ctx.src).filter(|n| CARRIER_NAMES.contains(n))
                {
                    out.push(found(*target, name, CarrierKind::Assignment));
                }
            }
            Raw::Keyword(keyword) => {
                let name = text(*keyword, ctx.src);
                if CARRIER_NAMES.contains(&name) {
                    out.push(found(*keyword, name, CarrierKind::Keyword));
                }
            }
            Raw::String(string) => {
                if ancestry
                    .place(*string)
                    .and_then(|p| p.parent)
                    .is_some_and(|p| p.kind() == "concatenated_string")
                {
                    continue;
                }
                if let Some(value) = string_value(*string, ctx.src)
                    && CARRIER_HEADERS.contains(&value.to_ascii_lowercase().as_str())
                {
                    out.push(found(*string, &value, CarrierKind::Header));
                }
            }
        }
    }
    out
}
