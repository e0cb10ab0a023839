//! TypeScript, JavaScript and Svelte: parsing (a Svelte file's `<script>`
//! bodies are parsed as TypeScript in place, so positions are the file's
//! own) for the suppression comments. OBS009 reads the scan's findings
//! (`recon_syntax::FrontendReader`).

use tree_sitter::{Node, Parser, Range, Tree};

use crate::checker::{self, FileInfo, FileOutcome, Language, visit_all};

/// The grammars this module loads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Dialect {
    TypeScript,
    Tsx,
    Svelte,
}

/// A parser set to `dialect`.
pub(crate) fn parser(dialect: Dialect) -> Result<Parser, String> {
    let language: tree_sitter::Language = match dialect {
        Dialect::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Dialect::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Dialect::Svelte => tree_sitter_svelte_ng::LANGUAGE.into(),
    };
    let mut parser = Parser::new();
    parser
        .set_language(&language)
        .map_err(|e| format!("{dialect:?} grammar: {e}"))?;
    Ok(parser)
}

/// The parsers one frontend file needs.
pub(crate) struct FrontParsers<'a> {
    pub typescript: &'a mut Parser,
    pub svelte: &'a mut Parser,
    pub language: Language,
}

/// Parse a TypeScript file, or the `<script>` bodies of a Svelte file (as
/// TypeScript, in place). `None` when the file has no script at all or the
/// parser gave up.
fn parse(parsers: &mut FrontParsers<'_>, src: &str) -> Option<Tree> {
    use recon_syntax::guard::{DEFAULT_MAX_PARSE_BYTES, Grammar, parse_hazard};
    if parse_hazard(Grammar::Other, src, DEFAULT_MAX_PARSE_BYTES).is_some() {
        return None;
    }
    let ranges: Vec<Range> = if parsers.language == Language::Svelte {
        let document = parsers.svelte.parse(src, None)?;
        let mut ranges = Vec::new();
        visit_all(document.root_node(), |node| {
            if node.kind() == "raw_text"
                && node.parent().is_some_and(|p| p.kind() == "script_element")
            {
                ranges.push(node.range());
            }
        });
        if ranges.is_empty() {
            return None;
        }
        ranges
    } else {
        Vec::new()
    };
    // An empty list means the whole file.
    parsers.typescript.set_included_ranges(&ranges).ok()?;
    parsers.typescript.parse(src, None)
}

/// The text of `node`.
fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Collect one frontend file's `// recon: ignore` comments, and warn
/// about a tree too deep to analyse.
pub(crate) fn check(mut parsers: FrontParsers<'_>, file: &FileInfo, src: &str) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let Some(tree) = parse(&mut parsers, src) else {
        return outcome;
    };
    if let Some(reason) = recon_syntax::guard::tree_hazard(tree.root_node()) {
        outcome.warnings.push(format!("{}: {reason}", file.rel));
        return outcome;
    }
    let mut comments = Vec::new();
    visit_all(tree.root_node(), |node| {
        if node.kind() == "comment" {
            comments.push((node.start_position().row + 1, text(node, src).to_owned()));
        }
    });
    checker::add_comment_suppressions(&mut outcome, &comments);
    outcome
}
