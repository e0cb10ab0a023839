//! `except_handlers`: every `except` / `except*` clause.

use recon_findings::ExceptHandler;
use tree_sitter::{Node, Query, QueryMatch};

use super::{At, Ctx, capture, node};

pub(super) struct Captures {
    handler: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            handler: capture(query, "except_handler")?,
        })
    }
}

pub(super) struct Raw<'t> {
    clause: Node<'t>,
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Raw<'t>> {
    Some(Raw {
        clause: node(m, caps.handler)?,
    })
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Ctx<'_>) -> Vec<At<ExceptHandler>> {
    raws.iter()
        .map(|raw| {
            (
                raw.clause.start_position().column,
                ExceptHandler {
                    file: ctx.file.to_owned(),
                    line: ctx.line(raw.clause),
                    bare: raw.clause.child_by_field_name("value").is_none(),
                },
            )
        })
        .collect()
}
