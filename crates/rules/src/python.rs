//! Python: parsing, the facts a rule needs about the whole module, and small
//! readings of syntax nodes.
//!
//! The syntax-node readings come from `recon_syntax::python_cst`, and the
//! parse guards from `recon_syntax::guard`, so a rule reads a node as the
//! scan does; the vocabulary (*last segment*, *dotted name*, *string
//! literal*) is the one the `recon-findings` documentation defines.

use std::collections::{HashMap, HashSet};

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

pub(crate) use recon_syntax::python_cst::{dotted_name, last_segment, text, unparenthesize};

/// The value of the keyword argument `name=` of a call.
pub(crate) fn keyword_arg<'t>(call: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    recon_syntax::python_cst::keyword_arg(call.child_by_field_name("arguments")?, name, src)
}

/// Whether a call passes a `**mapping` (which may hold any keyword).
pub(crate) fn has_dict_splat(call: Node<'_>) -> bool {
    call.child_by_field_name("arguments").is_some_and(|a| {
        a.named_children(&mut a.walk())
            .any(|c| c.kind() == "dictionary_splat")
    })
}

/// The callee of a call.
pub(crate) fn callee(call: Node<'_>) -> Option<Node<'_>> {
    (call.kind() == "call")
        .then(|| call.child_by_field_name("function"))
        .flatten()
}

/// The innermost enclosing function (`def`, `async def`, `lambda`) of
/// `node`, or `None` at module level. Class bodies are no scope of their own
/// here (their names are not visible to methods, but nothing a rule reads
/// depends on that).
pub(crate) fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "function_definition" | "lambda") {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// The nodes of a module the tree rules and [`ModuleFacts`] look at, in
/// document order, and its comments: one walk of the tree, the kinds
/// compared as ids.
pub(crate) struct RuleNodes<'t> {
    pub nodes: Vec<Node<'t>>,
    pub comments: Vec<Node<'t>>,
}

/// The kinds in [`RuleNodes::nodes`].
const RULE_NODE_KINDS: [&str; 6] = [
    "import_statement",
    "import_from_statement",
    "assignment",
    "binary_operator",
    "call",
    "expression_statement",
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
/// `from asyncio import` / `from time import` (OBS008's task factories,
/// OBS006's bare clock).
pub(crate) static IMPORT_FACTS: std::sync::LazyLock<regex_automata::meta::Regex> =
    std::sync::LazyLock::new(|| {
        #[allow(clippy::expect_used)] // a constant pattern, tested in the checker
        regex_automata::meta::Regex::new(
            r"\bimport\b[^\n]*\b(?:requests|httpx)\b|\bfrom\s+(?:asyncio|time)\s+import\b",
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
    /// `T = <wall-clock read>` assignments: target text -> the scopes and
    /// the byte offsets where they end.
    pub clock_bindings: HashMap<String, Vec<ClockBinding>>,
}

/// One `T = time.time()` assignment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClockBinding {
    /// The innermost function's id, `None` at module level; always `None`
    /// for attribute targets (`self.started`), which are file-wide.
    pub scope: Option<usize>,
    /// Where the assignment statement ends.
    pub end_byte: usize,
}

impl ModuleFacts {
    /// Collect the facts of a module from its [`RuleNodes`].
    pub(crate) fn collect(nodes: &[Node<'_>], src: &str) -> ModuleFacts {
        let mut facts = ModuleFacts::default();
        // Imports first: clock reads through `from time import time` need them.
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
        for &node in nodes {
            if node.kind() != "assignment" {
                continue;
            }
            let Some(target) = node.child_by_field_name("left") else {
                continue;
            };
            if !matches!(target.kind(), "identifier" | "attribute") {
                continue;
            }
            // `a = b = f()`: the value at the end of the chain.
            let mut value = node.child_by_field_name("right");
            while let Some(v) = value.filter(|v| v.kind() == "assignment") {
                value = v.child_by_field_name("right");
            }
            let Some(value) = value.map(unparenthesize) else {
                continue;
            };
            if value.kind() != "call" {
                continue;
            }
            if is_wall_clock_read(value, src, &facts) {
                let attribute = target.kind() == "attribute";
                let Some(name) = dotted_name(target, src) else {
                    continue;
                };
                let scope = if attribute {
                    None
                } else {
                    enclosing_function(node).map(|f| f.id())
                };
                facts
                    .clock_bindings
                    .entry(name)
                    .or_default()
                    .push(ClockBinding {
                        scope,
                        end_byte: statement_end(node),
                    });
            }
        }
        facts
    }
}

/// The end of the statement an assignment is part of (the outermost
/// assignment of a chain, or its expression statement).
fn statement_end(mut node: Node<'_>) -> usize {
    while let Some(parent) = node.parent() {
        if matches!(parent.kind(), "assignment" | "expression_statement") {
            node = parent;
        } else {
            break;
        }
    }
    node.end_byte()
}

/// A call of the wall clock: `time.time()`, `time.time_ns()`, or `time()` /
/// `time_ns()` when the module says `from time import time` (`time_ns`).
pub(crate) fn is_wall_clock_read(node: Node<'_>, src: &str, facts: &ModuleFacts) -> bool {
    let node = unparenthesize(node);
    let Some(function) = callee(node) else {
        return false;
    };
    match dotted_name(function, src).as_deref() {
        Some("time.time" | "time.time_ns") => true,
        Some(name @ ("time" | "time_ns")) => facts
            .from_imports
            .contains(&("time".to_owned(), name.to_owned())),
        _ => false,
    }
}

/// `text` on one line: every run of whitespace one space.
pub(crate) fn compact(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
