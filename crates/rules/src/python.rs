//! Python: the parser for what the rules still read from a tree (the
//! `# recon: ignore` comments), with the scan's parse guards
//! (`recon_syntax::guard`).

use tree_sitter::{Node, Parser, Tree};

/// The Python grammar.
pub(crate) fn language() -> tree_sitter::Language {
    tree_sitter_python::LANGUAGE.into()
}

/// A parser set to Python.
pub(crate) fn parser() -> Result<Parser, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .map_err(|e| format!("python grammar: {e}"))?;
    Ok(parser)
}

/// Parse `src`, or say why not: what must not be parsed or checked (see
/// [`recon_syntax::guard`]: tree-sitter-python aborts on very deep
/// indentation; trees nested thousands deep would overflow the rules'
/// recursive readings) or what the parser gives up on. With `ranges`
/// (units with their headers), only those are parsed, and positions stay
/// the file's.
pub(crate) fn parse(
    parser: &mut Parser,
    src: &str,
    ranges: Option<&[tree_sitter::Range]>,
) -> Result<Tree, String> {
    use recon_syntax::guard::{DEFAULT_MAX_PARSE_BYTES, Grammar, parse_hazard, tree_hazard};
    if let Some(reason) = parse_hazard(Grammar::Python, src, DEFAULT_MAX_PARSE_BYTES) {
        return Err(reason);
    }
    let set = parser.set_included_ranges(ranges.unwrap_or(&[]));
    let tree = set.ok().and_then(|()| parser.parse(src, None));
    // Back to whole files for the next module.
    let _ = parser.set_included_ranges(&[]);
    let tree = tree.ok_or_else(|| "could not be parsed".to_owned())?;
    match tree_hazard(tree.root_node()) {
        Some(reason) => Err(reason),
        None => Ok(tree),
    }
}

/// The source text of a node.
pub(crate) fn text<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    recon_syntax::python_cst::text(node, src)
}
