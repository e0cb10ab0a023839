//! Which units of a module tree-sitter parses: those that can hold a sparse
//! finding, and what those findings read from elsewhere in the module.

use tree_sitter::{Point, Range};

use crate::common::LineIndex;

use super::imports::Raw as ImportBinding;
use super::lexer::Token;
use super::token_pass::{Unit, UnitKind};
use super::triggers;

/// The byte ranges to parse, in order: the units holding a trigger, and a
/// class's header with any of its members that does; every unit when
/// `shortcuts` is off (the reference the tests hold the selection to).
pub(crate) fn selected(
    src: &str,
    lines: &LineIndex,
    tokens: &[Token],
    units: &[Unit],
    imports: &[ImportBinding],
    shortcuts: bool,
) -> Vec<Range> {
    let module = triggers::module(src, tokens, imports);
    let wanted: Vec<bool> = units
        .iter()
        .map(|u| !shortcuts || triggers::triggered(src, tokens, u.first..u.end, &module))
        .collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < units.len() {
        let unit = units[k];
        if unit.kind == UnitKind::ClassHeader {
            let members = units[k + 1..]
                .iter()
                .take_while(|u| u.kind == UnitKind::Member)
                .count();
            let class = &units[k..=k + members];
            if wanted[k] {
                push(&mut spans, unit.start_byte, class[class.len() - 1].end_byte);
            } else if wanted[k + 1..=k + members].iter().any(|w| *w) {
                push(&mut spans, unit.start_byte, unit.end_byte);
                for (member, w) in class[1..].iter().zip(&wanted[k + 1..=k + members]) {
                    if *w {
                        push(&mut spans, member.start_byte, member.end_byte);
                    }
                }
            }
            k += members + 1;
            continue;
        }
        if wanted[k] {
            push(&mut spans, unit.start_byte, unit.end_byte);
        }
        k += 1;
    }
    let point = |offset: usize| {
        let (line, column) = lines.position(offset);
        Point {
            row: line - 1,
            column,
        }
    };
    spans
        .into_iter()
        .map(|(start, end)| Range {
            start_byte: start,
            end_byte: end,
            start_point: point(start),
            end_point: point(end),
        })
        .collect()
}

/// Add a span, merged with the last when they touch.
fn push(spans: &mut Vec<(usize, usize)>, start: usize, end: usize) {
    match spans.last_mut() {
        Some(last) if last.1 == start => last.1 = end,
        _ => spans.push((start, end)),
    }
}
