//! Which units of a module tree-sitter parses: those that can hold a sparse
//! finding, and what those findings read from elsewhere in the module.

use tree_sitter::{Point, Range};

use crate::common::LineIndex;

use super::hardcoded_secrets;
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
    // Hard-coded secrets are read in every reading (`recon check` OBS009
    // reads them).
    let secrets = hardcoded_secrets::UnitTrigger::new(src, imports);
    let wanted: Vec<bool> = units
        .iter()
        .map(|unit| {
            !shortcuts
                || triggers::triggered(src, tokens, unit.first..unit.end, &module, reading)
                || secrets.fires(unit.start_byte..unit.end_byte)
        })
        .collect();
    let spans = with_headers(
        units
            .iter()
            .map(|u| (u.depth, u.kind, u.start_byte..u.end_byte)),
        &wanted,
    );
    ranges(lines, spans)
}

/// tree-sitter's ranges for byte spans of the text `lines` indexes.
pub(crate) fn ranges(lines: &LineIndex, spans: Vec<std::ops::Range<usize>>) -> Vec<Range> {
    let point = |offset: usize| {
        let (line, column) = lines.position(offset);
        Point {
            row: line - 1,
            column,
        }
    };
    spans
        .into_iter()
        .map(|std::ops::Range { start, end }| Range {
            start_byte: start,
            end_byte: end,
            start_point: point(start),
            end_point: point(end),
        })
        .collect()
}

/// The byte spans of the `wanted` units (given in order as depth, kind and
/// bytes), each with the headers of the units around it, touching spans
/// merged.
pub(crate) fn with_headers(
    units: impl Iterator<Item = (usize, UnitKind, std::ops::Range<usize>)>,
    wanted: &[bool],
) -> Vec<std::ops::Range<usize>> {
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    // The headers around the current unit, and whether each is in `spans`.
    let mut around: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    for ((depth, kind, bytes), wanted) in units.zip(wanted) {
        around.truncate(depth);
        if *wanted {
            for (header, pushed) in &mut around {
                if !*pushed {
                    push(&mut spans, header.clone());
                    *pushed = true;
                }
            }
            push(&mut spans, bytes.clone());
        }
        if kind == UnitKind::Header {
            around.push((bytes, *wanted));
        }
    }
    spans
}

/// Add a span, merged with the last when they touch.
fn push(spans: &mut Vec<std::ops::Range<usize>>, span: std::ops::Range<usize>) {
    match spans.last_mut() {
        Some(last) if last.end == span.start => last.end = span.end,
        _ => spans.push(span),
    }
}
