//! `metrics_calls`: `metrics_collector.M`, `metrics.M`, `statsd.M`,
//! `*_metrics.M`, called or referenced.

use recon_findings::MetricsCall;
use tree_sitter::{Node, Query, QueryMatch};

use super::ancestry::Ancestry;
use super::text::{last_segment, positional_args, string_value, text};
use super::{Document, WithColumn, capture, node};

/// Whether `name` (a last segment) is a metrics collector.
pub fn is_metrics_receiver(name: &str) -> bool {
    matches!(name, "metrics_collector" | "metrics" | "statsd") || name.ends_with("_metrics")
}

pub(super) struct Captures {
    attribute: u32,
    receiver: u32,
    method: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            attribute: capture(query, "metrics")?,
            receiver: capture(query, "metrics.receiver")?,
            method: capture(query, "metrics.method")?,
        })
    }
}

pub(super) struct Raw<'t> {
    attribute: Node<'t>,
    receiver: Node<'t>,
    method: Node<'t>,
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    Some(Raw {
        attribute: node(m, caps.attribute)?,
        receiver: node(m, caps.receiver)?,
        method: node(m, caps.method)?,
    })
}

/// The nodes [`extract`] asks the ancestry about.
pub(super) fn targets<'t>(raws: &[Raw<'t>], out: &mut Vec<Node<'t>>) {
    out.extend(raws.iter().map(|raw| raw.attribute));
}

pub(super) fn extract<'t>(
    raws: &[Raw<'t>],
    ancestry: &Ancestry<'t>,
    ctx: &Document<'_>,
) -> Vec<WithColumn<MetricsCall>> {
    raws.iter()
        .filter_map(|raw| {
            let receiver =
                last_segment(raw.receiver, ctx.src).filter(|r| is_metrics_receiver(r))?;
            let call = ancestry
                .place(raw.attribute)
                .and_then(|p| p.parent)
                .filter(|p| {
                    p.kind() == "call" && p.child_by_field_name("function") == Some(raw.attribute)
                });
            let name = call
                .and_then(|c| c.child_by_field_name("arguments"))
                .and_then(|args| positional_args(args).first().copied())
                .and_then(|first| string_value(first, ctx.src));
            Some((
                raw.attribute.start_position().column,
                MetricsCall {
                    file: ctx.file.to_owned(),
                    line: ctx.line(raw.attribute),
                    receiver: receiver.to_owned(),
                    method: text(raw.method, ctx.src).to_owned(),
                    called: call.is_some(),
                    name,
                },
            ))
        })
        .collect()
}
