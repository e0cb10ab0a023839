//! Python: parsing, the facts a rule needs about the whole module, and small
//! readings of syntax nodes.
//!
//! The syntax-node readings come from `recon_syntax::python_cst`, and the
//! parse guards from `recon_syntax::guard`, so a rule reads a node as the
//! scan does; the vocabulary (*last segment*, *dotted name*, *string
//! literal*) is the one the `recon-findings` documentation defines.

use std::collections::HashSet;

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

pub(crate) use recon_syntax::python_cst::{last_segment, string_parts, text, unparenthesize};

/// The positional arguments of a call (keyword arguments, `**` splats and
/// comments skipped; `*args` kept). A generator argument is its only
/// positional argument.
pub(crate) fn positional_args(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(recon_syntax::python_cst::positional_args)
        .unwrap_or_default()
}

/// The value of the keyword argument `name=` of a call.
pub(crate) fn keyword_arg<'t>(call: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    recon_syntax::python_cst::keyword_arg(call.child_by_field_name("arguments")?, name, src)
}

/// The callee of a call.
pub(crate) fn callee(call: Node<'_>) -> Option<Node<'_>> {
    (call.kind() == "call")
        .then(|| call.child_by_field_name("function"))
        .flatten()
}

/// For a call `R.M(...)`: `(R, "M")`.
pub(crate) fn method_call<'t, 's>(call: Node<'t>, src: &'s str) -> Option<(Node<'t>, &'s str)> {
    let function = callee(call)?;
    if function.kind() != "attribute" {
        return None;
    }
    let object = function.child_by_field_name("object")?;
    let attribute = function.child_by_field_name("attribute")?;
    Some((object, text(attribute, src)))
}

/// The prefix letters of a `string` node, lower-cased (`f`, `rb`...).
pub(crate) fn string_prefix(node: Node<'_>, src: &str) -> String {
    node.child(0)
        .filter(|c| c.kind() == "string_start")
        .map(|start| {
            text(start, src)
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a `string` node has a `{placeholder}`.
pub(crate) fn has_placeholder(node: Node<'_>) -> bool {
    node.named_children(&mut node.walk())
        .any(|c| c.kind() == "interpolation")
}

/// The text between the quotes of a string-like expression, the parts of a
/// concatenation joined, each placeholder replaced by one space, escapes
/// kept as written. `None` for anything but `string`/`concatenated_string`.
pub(crate) fn literal_text(node: Node<'_>, src: &str) -> Option<String> {
    let parts = string_parts(node);
    if parts.is_empty() {
        return None;
    }
    let mut out = String::new();
    for part in parts {
        for child in part.named_children(&mut part.walk()) {
            match child.kind() {
                "string_content" | "escape_sequence" => out.push_str(text(child, src)),
                "interpolation" => out.push(' '),
                _ => {}
            }
        }
    }
    Some(out)
}

/// A `str` literal (not bytes, no placeholder, parentheses dropped) and its
/// text as written between the quotes.
pub(crate) fn plain_string(node: Node<'_>, src: &str) -> Option<String> {
    let node = unparenthesize(node);
    let parts = string_parts(node);
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| has_placeholder(*p) || string_prefix(*p, src).contains('b'))
    {
        return None;
    }
    literal_text(node, src)
}

/// The nodes of a module the tree rules and [`ModuleFacts`] look at, in
/// document order, and its comments: one walk of the tree, the kinds
/// compared as ids.
pub(crate) struct RuleNodes<'t> {
    pub nodes: Vec<Node<'t>>,
    pub comments: Vec<Node<'t>>,
}

/// The kinds in [`RuleNodes::nodes`].
const RULE_NODE_KINDS: [&str; 9] = [
    "import_statement",
    "import_from_statement",
    "assignment",
    "call",
    "expression_statement",
    "string",
    "concatenated_string",
    "keyword_argument",
    "pair",
];

impl<'t> RuleNodes<'t> {
    pub(crate) fn collect(root: Node<'t>) -> RuleNodes<'t> {
        static KINDS: std::sync::OnceLock<(Vec<bool>, u16)> = std::sync::OnceLock::new();
        let (wanted, comment) = KINDS.get_or_init(|| {
            let language = language();
            let count = language.node_kind_count();
            let mut wanted = vec![false; count];
            let mut comment = u16::MAX;
            for (id, wanted) in wanted.iter_mut().enumerate() {
                let Ok(id) = u16::try_from(id) else { break };
                if !language.node_kind_is_named(id) {
                    continue;
                }
                let kind = language.node_kind_for_id(id).unwrap_or("");
                *wanted = RULE_NODE_KINDS.contains(&kind);
                if kind == "comment" {
                    comment = id;
                }
            }
            (wanted, comment)
        });
        let mut out = RuleNodes {
            nodes: Vec::new(),
            comments: Vec::new(),
        };
        crate::checker::visit_all(root, |node| {
            let id = node.kind_id();
            if id == *comment {
                out.comments.push(node);
            } else if wanted.get(usize::from(id)).copied().unwrap_or(false) {
                out.nodes.push(node);
            }
        });
        out
    }
}

/// What a statement must hold to give [`ModuleFacts`] an import a rule
/// reads: `import requests` / `httpx` (OBS007, anywhere in the module), or
/// `from asyncio import` (OBS008's task factories).
pub(crate) static IMPORT_FACTS: std::sync::LazyLock<regex_automata::meta::Regex> =
    std::sync::LazyLock::new(|| {
        #[allow(clippy::expect_used)] // a constant pattern, tested in the checker
        regex_automata::meta::Regex::new(
            r"\bimport\b[^\n]*\b(?:requests|httpx)\b|\bfrom\s+asyncio\s+import\b",
        )
        .expect("the import facts pattern compiles")
    });

/// What the rules need to know about the whole module before looking at one
/// node.
#[derive(Debug, Default)]
pub(crate) struct ModuleFacts {
    /// `import M` (unaliased): the module's dotted name.
    pub imports: HashSet<String>,
    /// `from M import N` (unaliased): `(M, N)`.
    pub from_imports: HashSet<(String, String)>,
}

impl ModuleFacts {
    /// Collect the facts of a module from its [`RuleNodes`].
    pub(crate) fn collect(nodes: &[Node<'_>], src: &str) -> ModuleFacts {
        let mut facts = ModuleFacts::default();
        for node in nodes {
            match node.kind() {
                "import_statement" => {
                    for name in node.children_by_field_name("name", &mut node.walk()) {
                        if name.kind() == "dotted_name" {
                            facts.imports.insert(text(name, src).to_owned());
                        }
                    }
                }
                "import_from_statement" => {
                    let Some(module) = node.child_by_field_name("module_name") else {
                        continue;
                    };
                    let module = text(module, src).to_owned();
                    for name in node.children_by_field_name("name", &mut node.walk()) {
                        if name.kind() == "dotted_name" {
                            facts
                                .from_imports
                                .insert((module.clone(), text(name, src).to_owned()));
                        }
                    }
                }
                _ => {}
            }
        }
        facts
    }
}
