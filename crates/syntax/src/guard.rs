//! Inputs tree-sitter must not be given: files over the parse size limit
//! (searched by the regex layer, never parsed), Python nested deeper than
//! tree-sitter-python's external scanner can serialize, and trees too deep
//! to query.
//!
//! tree-sitter-python 0.25 writes its indent stack (2 bytes a level) into
//! tree-sitter's 1,024-byte serialization buffer and stops only once the
//! buffer is full, so ~510 indentation levels overflow it by a byte and
//! tree-sitter aborts the process (`ts_parser__external_scanner_serialize:
//! Assertion 'length <= 1024'`). Each level is at least one column deeper
//! than the last, so a file whose lines are all indented less than
//! [`MAX_PYTHON_INDENT`] columns is safe whatever else it holds.

/// Default size above which a file is not parsed (64 MiB).
pub const DEFAULT_MAX_PARSE_BYTES: usize = 64 * 1024 * 1024;

/// Deepest indentation (in columns, tabs to the next multiple of 8) given to
/// the Python parser: 2 header bytes + up to 255 string delimiters + 2 bytes
/// a level stays within 1,024 bytes.
pub const MAX_PYTHON_INDENT: usize = 380;

/// Why `src` must not be parsed, if it must not.
///
/// ```
/// use recon_syntax::guard::{parse_hazard, Grammar};
/// assert_eq!(parse_hazard(Grammar::Python, "if x:\n    pass\n", 1 << 20), None);
/// let deep: String = (0..500).map(|d| format!("{}if x:\n", " ".repeat(d))).collect();
/// assert!(parse_hazard(Grammar::Python, &deep, 1 << 20).unwrap().contains("indented 499 columns"));
/// assert!(parse_hazard(Grammar::Other, "x", 0).unwrap().contains("parse limit"));
/// ```
pub fn parse_hazard(grammar: Grammar, src: &str, max_bytes: usize) -> Option<String> {
    if let Some(reason) = size_hazard(src.len() as u64, max_bytes as u64) {
        return Some(reason);
    }
    if grammar == Grammar::Python {
        let deepest = src.lines().map(indent_columns).max().unwrap_or(0);
        if deepest >= MAX_PYTHON_INDENT {
            return Some(format!(
                "not parsed: a line is indented {deepest} columns, deeper than the Python parser can hold ({MAX_PYTHON_INDENT})"
            ));
        }
    }
    None
}

/// Deepest syntax tree the queries run on.
///
/// tree-sitter's query cursor keeps a state alive for every ancestor a
/// pattern started on, so a chain nested N deep (`a + b + ...`,
/// `a.b.c...`, 100k terms long) costs N squared: minutes, not
/// milliseconds. No real program is that deep: CPython 3.11 itself gives up
/// (`RecursionError`) on such chains at about 3,000 terms, and Python block
/// nesting stops at 100.
pub const MAX_TREE_DEPTH: usize = 4_000;

/// Bound on the tree levels one byte of source can account for.
const LEVELS_PER_BYTE: usize = 16;

/// Why a parsed tree must not be queried, if it must not: it is nested
/// deeper than [`MAX_TREE_DEPTH`].
///
/// ```
/// use recon_syntax::guard::tree_hazard;
/// let mut parser = tree_sitter::Parser::new();
/// parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
/// let flat = parser.parse("x = 1 + 2 + 3\n", None).unwrap();
/// assert_eq!(tree_hazard(flat.root_node()), None);
/// let chain = format!("x = {}\n", vec!["1"; 5000].join(" + "));
/// let deep = parser.parse(&chain, None).unwrap();
/// assert!(tree_hazard(deep.root_node()).unwrap().contains("deeper than 4000"));
/// // One byte a level (unary minus), at the end of a large file.
/// let filler = "y = 1\n".repeat(10_000);
/// let unary = format!("{filler}x = {}1\n", "-".repeat(5000));
/// let deep = parser.parse(&unary, None).unwrap();
/// assert!(tree_hazard(deep.root_node()).is_some());
/// let shallow = format!("{filler}x = {}1\n", "-".repeat(3000));
/// assert_eq!(tree_hazard(parser.parse(&shallow, None).unwrap().root_node()), None);
/// ```
pub fn tree_hazard(root: tree_sitter::Node<'_>) -> Option<String> {
    let mut cursor = root.walk();
    let mut depth = 0usize;
    loop {
        // Every few levels of a tree consume a byte of source: only unit
        // chains (`expression_statement > call`) share a range, and the
        // grammars keep those a handful long, while zero-width (missing)
        // nodes are leaves. So a subtree of `len` bytes is at most about
        // `len` levels deep; a generous `LEVELS_PER_BYTE` makes the bound
        // safe, and skipping the subtrees that cannot reach the limit makes
        // the check visit a small part of a normal tree.
        let node = cursor.node();
        let len = node.end_byte() - node.start_byte();
        let may_reach = depth + LEVELS_PER_BYTE * (len + 1) >= MAX_TREE_DEPTH;
        if may_reach && cursor.goto_first_child() {
            depth += 1;
            if depth > MAX_TREE_DEPTH {
                return Some(format!(
                    "not analysed: syntax nested deeper than {MAX_TREE_DEPTH} levels"
                ));
            }
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
            depth -= 1;
        }
    }
}

/// Why a file of `len` bytes must not be parsed under a limit of `max`
/// bytes, if it must not (checked before reading it, where that is cheaper).
pub fn size_hazard(len: u64, max: u64) -> Option<String> {
    (len > max).then(|| format!("not parsed: {len} bytes, over the parse limit of {max} bytes"))
}

/// Which grammar a source is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Python,
    Other,
}

fn indent_columns(line: &str) -> usize {
    let mut col = 0;
    for b in line.bytes() {
        match b {
            b' ' => col += 1,
            b'\t' => col = (col / 8 + 1) * 8,
            b'\x0c' => col = 0,
            _ => break,
        }
    }
    col
}
