//! `hardcoded_secrets` in TypeScript, JavaScript and Svelte `<script>`
//! code: string and template literals holding a webhook URL with its token
//! (the rule is on [`recon_findings::HardcodedSecret`]; `recon check`
//! OBS009 reads it).

use recon_findings::vocabulary::{webhook_host, webhook_marker_in};
use recon_findings::{HardcodedSecret, SecretKind};
use tree_sitter::Node;

use super::Document;
use super::text::text;
use crate::collect::WithColumn;

/// What every match holds (see [`crate::prefilter`]): a webhook marker
/// itself (a TypeScript literal is never split, and its escapes are read
/// as written).
pub(super) const LITERALS: &[&str] = recon_findings::vocabulary::WEBHOOK_MARKERS;

pub(super) fn extract(
    strings: &[Node<'_>],
    ctx: &Document<'_>,
) -> Vec<WithColumn<HardcodedSecret>> {
    strings
        .iter()
        .filter_map(|node| {
            let marker = webhook_marker_in(&literal_text(*node, ctx.src)?)?;
            let (line, column) = ctx.at(*node);
            Some((
                column,
                HardcodedSecret {
                    file: ctx.file.to_owned(),
                    line,
                    kind: SecretKind::WebhookUrl,
                    name: webhook_host(marker).to_owned(),
                },
            ))
        })
        .collect()
}

/// The text between the delimiters of a string or template literal, each
/// `${...}` read as one space, escapes as written.
fn literal_text(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "string" => {
            let raw = text(node, src);
            Some(
                raw.get(1..raw.len().saturating_sub(1))
                    .unwrap_or("")
                    .to_owned(),
            )
        }
        "template_string" => {
            let mut out = String::new();
            for child in node.named_children(&mut node.walk()) {
                match child.kind() {
                    "template_substitution" => out.push(' '),
                    _ => out.push_str(text(child, src)),
                }
            }
            Some(out)
        }
        _ => None,
    }
}
