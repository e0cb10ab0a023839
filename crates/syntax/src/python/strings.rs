//! String literals: `external_urls`, webhook URLs (`notifications`),
//! provider endpoints and model names (`ai_providers`).

use recon_findings::{AiKind, AiProvider, ExternalUrl, Notification, NotificationKind};
use tree_sitter::{Node, Query, QueryMatch};

use super::ancestry::Ancestry;
use super::text::{literal_leading_text, string_value, unparenthesize};
use super::{Document, WithColumn};
use crate::common::{is_webhook_url, provider_of_host, provider_of_model, url_and_host};

/// The URL and host of a literal whose leading text is an `http(s)://` URL.
pub(super) fn literal_url(node: Node<'_>, src: &str) -> Option<(String, String)> {
    url_and_host(&literal_leading_text(unparenthesize(node), src)?)
}

/// The capture the extractor reads: every string literal.
pub(super) struct Captures {
    string: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            string: super::capture(query, "string")?,
        })
    }
}

/// A string literal.
pub(super) type Raw<'t> = Node<'t>;

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    super::node(m, caps.string)
}

/// What one module's string literals gave.
#[derive(Default)]
pub(super) struct Found {
    pub external_urls: Vec<WithColumn<ExternalUrl>>,
    pub notifications: Vec<WithColumn<Notification>>,
    pub ai_providers: Vec<WithColumn<AiProvider>>,
}

pub(super) fn extract<'t>(
    strings: &[Node<'t>],
    ancestry: &Ancestry<'t>,
    ctx: &Document<'_>,
) -> Found {
    let mut found = Found::default();
    for node in strings {
        // A part of an implicit concatenation is read with the whole.
        if node.kind() == "string"
            && ancestry
                .place(*node)
                .and_then(|p| p.parent)
                .is_some_and(|p| p.kind() == "concatenated_string")
        {
            continue;
        }
        let column = node.start_position().column;
        let line = ctx.line(*node);
        if let Some((url, host)) = literal_url(*node, ctx.src) {
            if is_webhook_url(&url, &host) {
                found.notifications.push((
                    column,
                    Notification {
                        file: ctx.file.to_owned(),
                        line,
                        kind: NotificationKind::WebhookUrl,
                        name: url.clone(),
                    },
                ));
            }
            if let Some(provider) = provider_of_host(&host) {
                found.ai_providers.push((
                    column,
                    AiProvider {
                        file: ctx.file.to_owned(),
                        line,
                        provider: Some(provider.to_owned()),
                        kind: AiKind::Endpoint,
                        name: url.clone(),
                    },
                ));
            }
            found.external_urls.push((
                column,
                ExternalUrl {
                    file: ctx.file.to_owned(),
                    line,
                    url,
                    host,
                },
            ));
        }
        if let Some(value) = string_value(*node, ctx.src)
            && let Some(provider) = provider_of_model(&value)
        {
            found.ai_providers.push((
                column,
                AiProvider {
                    file: ctx.file.to_owned(),
                    line,
                    provider: Some(provider.to_owned()),
                    kind: AiKind::Model,
                    name: value,
                },
            ));
        }
    }
    found
}
