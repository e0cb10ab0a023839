//! `external_urls` in TypeScript: string literals (and the text of a template
//! string before its first substitution) that start with `http(s)://`.

use recon_findings::ExternalUrl;
use tree_sitter::Node;

use super::Document;
use super::text::leading_text;
use crate::collect::WithColumn;
use crate::common::url_and_host;

/// What every match holds: the scheme's start, or a backslash (an escape
/// in the string can spell it).
pub(super) const LITERALS: &[&str] = &["http", "\\"];

pub(super) fn extract(strings: &[Node<'_>], ctx: &Document<'_>) -> Vec<WithColumn<ExternalUrl>> {
    strings
        .iter()
        .filter_map(|node| {
            let (url, host) = url_and_host(&leading_text(*node, ctx.src)?)?;
            let (line, column) = ctx.at(*node);
            Some((
                column,
                ExternalUrl {
                    file: ctx.file.to_owned(),
                    line,
                    url,
                    host,
                },
            ))
        })
        .collect()
}
