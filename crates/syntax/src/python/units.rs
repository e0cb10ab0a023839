//! Which units of a module tree-sitter parses: those that can hold a sparse
//! finding, and what those findings read from elsewhere in the module.

use tree_sitter::{Point, Range};

use super::lexer::Token;
use super::token_pass::{Unit, UnitKind};

/// The byte ranges to parse, in order.
pub(crate) fn selected(src: &str, tokens: &[Token], units: &[Unit]) -> Vec<Range> {
    let wanted: Vec<bool> = units.iter().map(|u| needs_tree(src, tokens, u)).collect();
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
    let lines = LineIndex::new(src);
    spans
        .into_iter()
        .map(|(start, end)| Range {
            start_byte: start,
            end_byte: end,
            start_point: lines.point(start),
            end_point: lines.point(end),
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

/// Whether a unit may hold a sparse finding or what one reads.
fn needs_tree(_src: &str, _tokens: &[Token], _unit: &Unit) -> bool {
    true
}

/// Row and column of byte offsets.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn point(&self, offset: usize) -> Point {
        let row = self.starts.partition_point(|&s| s <= offset) - 1;
        Point {
            row,
            column: offset - self.starts[row],
        }
    }
}
