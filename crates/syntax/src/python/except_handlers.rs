//! `except_handlers`: every `except` / `except*` clause; `except_bodies`:
//! what its body does.

use std::collections::HashSet;

use recon_findings::vocabulary::SwallowedBody;
use recon_findings::{ExceptBody, ExceptHandler};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{is_scope, named_children, unparenthesize};
use super::{Document, WithColumn, capture, node};

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

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    Some(Raw {
        clause: node(m, caps.handler)?,
    })
}

pub(super) fn extract(raws: &[Raw<'_>], ctx: &Document<'_>) -> Vec<WithColumn<ExceptHandler>> {
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

/// `except_bodies`: `log_calls` are the ids of the module's log call nodes.
pub(super) fn bodies(
    raws: &[Raw<'_>],
    log_calls: &HashSet<usize>,
    ctx: &Document<'_>,
) -> Vec<WithColumn<ExceptBody>> {
    raws.iter()
        .map(|raw| {
            let block = raw
                .clause
                .named_children(&mut raw.clause.walk())
                .find(|c| c.kind() == "block");
            let (mut logs, mut reraises) = (false, false);
            if let Some(block) = block {
                visit(block, &mut |n| {
                    logs |= n.kind() == "call" && log_calls.contains(&n.id());
                    reraises |= n.kind() == "raise_statement";
                });
            }
            let swallowed_by = block.map(|b| swallowed_by(b, ctx.src)).unwrap_or_default();
            (
                raw.clause.start_position().column,
                ExceptBody {
                    file: ctx.file.to_owned(),
                    line: ctx.line(raw.clause),
                    swallowed: !swallowed_by.is_empty(),
                    swallowed_by,
                    logs,
                    reraises,
                },
            )
        })
        .collect()
}

/// Every node below `node`, not descending into function definitions,
/// lambdas or class definitions.
fn visit<'t>(node: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        f(n);
        for child in n.children(&mut n.walk()) {
            if !is_scope(child) {
                stack.push(child);
            }
        }
    }
}

/// The statements of a swallowed body ([`SwallowedBody`]); empty when the
/// body does something.
fn swallowed_by(block: Node<'_>, src: &str) -> Vec<String> {
    let mut judge = SwallowedBody::default();
    for statement in named_children(block) {
        let shown = match named_children(statement).as_slice() {
            [e] if statement.kind() == "expression_statement" => unparenthesize(*e),
            _ => statement,
        };
        let text = src.get(shown.byte_range()).unwrap_or("");
        judge.statement(&text.split_whitespace().collect::<String>());
    }
    judge.swallowed_by()
}
