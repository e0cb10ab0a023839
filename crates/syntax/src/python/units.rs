//! Which units of a module tree-sitter parses: those that can hold a sparse
//! finding, and what those findings read from elsewhere in the module.

use tree_sitter::{Point, Range};

use crate::common::LineIndex;

use super::imports::Raw as ImportBinding;
use super::lexer::Token;
use super::token_pass::{Unit, UnitKind};
use super::triggers;

/// The byte ranges to parse, in order: the units holding a trigger, each
/// with the headers of the units around it; every unit when `shortcuts` is
/// off (the reference the tests hold the selection to).
///
/// A header is parsed without the body statements it does not need:
/// tree-sitter-python reads a `def` or `class` header followed by a line no
/// deeper as an empty block (no error), and nests a deeper line in it, so
/// the ranges keep the file's structure as long as each starts at a line
/// start (columns are the file's).
pub(crate) fn selected(
    src: &str,
    lines: &LineIndex,
    tokens: &[Token],
    units: &[Unit],
    imports: &[ImportBinding],
    shortcuts: bool,
    reading: triggers::Reading,
) -> Vec<Range> {
    let module = triggers::module(src, tokens, imports);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // The headers around the current unit, and whether each is in `spans`.
    let mut around: Vec<(usize, bool)> = Vec::new();
    for (k, unit) in units.iter().enumerate() {
        around.truncate(unit.depth);
        let wanted =
            !shortcuts || triggers::triggered(src, tokens, unit.first..unit.end, &module, reading);
        if wanted {
            for (header, pushed) in &mut around {
                if !*pushed {
                    push(
                        &mut spans,
                        units[*header].start_byte,
                        units[*header].end_byte,
                    );
                    *pushed = true;
                }
            }
            push(&mut spans, unit.start_byte, unit.end_byte);
        }
        if unit.kind == UnitKind::Header {
            around.push((k, wanted));
        }
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
