//! TypeScript and Svelte: one tree-sitter parse and one query traversal per
//! document, then the per-category extractors.
//!
//! A `.ts` (`.js`, `.mts`...) file is one document. A `.svelte` file is parsed
//! with the Svelte grammar (`queries/svelte/regions.scm` finds its parts),
//! then gives two TypeScript documents: its `<script>` bodies one after the
//! other, and its template expressions, each wrapped as `(expr);`. Both are
//! *virtual* documents: a [`PosMap`] takes every position back to the
//! `.svelte` file, so lines are the `.svelte` file's.
//!
//! The queries live in `queries/typescript/<topic>.scm`, concatenated into one
//! [`Query`] like the Python ones.

pub(crate) mod text;

/// Declares the TypeScript / Svelte categories from one table: each row is
/// the module of a category's extractor, which declares beside its rule
/// `LITERALS`, the literals every match of the rule holds (compared ASCII
/// case-insensitively). The macro declares the modules and [`LITERALS`],
/// which the prefilter is built from: a category cannot be added without
/// saying what lets its files through.
macro_rules! categories {
    ($($module:ident,)*) => {
        $(mod $module;)*

        /// Every category's literals (see [`crate::prefilter`]).
        pub(crate) const LITERALS: &[&[&str]] = &[$($module::LITERALS,)*];
    };
}

/// What a file must hold for `recon check` to read it for OBS009.
pub(crate) const SECRET_LITERALS: &[&str] = hardcoded_secrets::LITERALS;

categories! {
    websocket_messages,
    notifications,
    charts,
    external_urls,
    routes,
    hardcoded_secrets,
}

use std::sync::OnceLock;

use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

use crate::collect::FileFindings;
use crate::common::{LineIndex, PosMap};
use crate::topics::TopicQuery;
pub(crate) use crate::topics::node;

const TOPICS: &[(Topic, &str)] = &[
    (
        Topic::WebsocketMessages,
        include_str!("../../../../queries/typescript/websocket_messages.scm"),
    ),
    (
        Topic::Notifications,
        include_str!("../../../../queries/typescript/frontend_notifications.scm"),
    ),
    (
        Topic::Imports,
        include_str!("../../../../queries/typescript/imports.scm"),
    ),
    (
        Topic::Exports,
        include_str!("../../../../queries/typescript/exports.scm"),
    ),
    (
        Topic::Strings,
        include_str!("../../../../queries/typescript/strings.scm"),
    ),
];

const SVELTE_REGIONS: &str = include_str!("../../../../queries/svelte/regions.scm");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    WebsocketMessages,
    Notifications,
    Imports,
    Exports,
    Strings,
}

/// The compiled TypeScript and Svelte queries.
pub(crate) struct TsQueries {
    topics: TopicQuery<Topic>,
    websocket_messages: websocket_messages::Captures,
    notifications: notifications::Captures,
    charts: charts::Captures,
    export_name: u32,
    string: u32,
    svelte: Query,
    svelte_script: u32,
    svelte_expression: u32,
    svelte_tag: u32,
}

pub(crate) fn language() -> Language {
    tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()
}

fn svelte_language() -> Language {
    tree_sitter_svelte_ng::LANGUAGE.into()
}

/// The shared compiled queries (compiled on first use).
pub(crate) fn queries() -> Result<&'static TsQueries, String> {
    static QUERIES: OnceLock<Result<TsQueries, String>> = OnceLock::new();
    QUERIES
        .get_or_init(|| compile(&language()))
        .as_ref()
        .map_err(Clone::clone)
}

/// TSX's grammar: `.tsx` and `.jsx` files, which only `recon check` reads.
fn tsx_language() -> Language {
    tree_sitter_typescript::LANGUAGE_TSX.into()
}

/// The queries compiled for [`tsx_language`] (its node ids are not
/// TypeScript's).
pub(crate) fn tsx_queries() -> Result<&'static TsQueries, String> {
    static QUERIES: OnceLock<Result<TsQueries, String>> = OnceLock::new();
    QUERIES
        .get_or_init(|| compile(&tsx_language()))
        .as_ref()
        .map_err(Clone::clone)
}

fn compile(language: &Language) -> Result<TsQueries, String> {
    let topics = TopicQuery::new(language, "typescript queries", TOPICS)?;
    let query = &topics.query;
    let svelte = Query::new(&svelte_language(), SVELTE_REGIONS)
        .map_err(|e| format!("svelte queries: {e}"))?;
    Ok(TsQueries {
        websocket_messages: websocket_messages::Captures::new(query)?,
        notifications: notifications::Captures::new(query)?,
        charts: charts::Captures::new(query)?,
        export_name: capture(query, "export.name")?,
        string: capture(query, "string")?,
        svelte_script: capture(&svelte, "script")?,
        svelte_expression: capture(&svelte, "expression")?,
        svelte_tag: capture(&svelte, "tag")?,
        svelte,
        topics,
    })
}

/// Index of a capture the query must define.
fn capture(query: &Query, name: &str) -> Result<u32, String> {
    crate::topics::capture(query, "typescript queries", name)
}

/// The document being read: its file (where its findings are reported),
/// its text and, for a virtual document (a Svelte script), the map back to
/// the file.
pub(crate) struct Document<'a> {
    pub file: &'a str,
    pub src: &'a str,
    map: Option<&'a PosMap>,
}

impl Document<'_> {
    /// 1-based line and byte column of the node's start, in the file.
    pub fn at(&self, node: Node<'_>) -> (usize, usize) {
        match self.map {
            Some(map) => map.position(node.start_byte()),
            None => (node.start_position().row + 1, node.start_position().column),
        }
    }
}

/// The query matches of one document.
#[derive(Default)]
struct Raws<'t> {
    websocket: Vec<websocket_messages::Raw<'t>>,
    notifications: Vec<notifications::Raw<'t>>,
    imports: Vec<charts::Raw<'t>>,
    exports: Vec<Node<'t>>,
    strings: Vec<Node<'t>>,
}

/// A parsed document and how to read it.
struct Doc<'a> {
    tree: Tree,
    src: &'a str,
    map: Option<&'a PosMap>,
    /// A Svelte file's template expressions (code is the rest).
    template: bool,
}

/// Per-worker parsing state.
pub(crate) struct Worker {
    typescript: Parser,
    svelte: Parser,
    cursor: QueryCursor,
}

impl Worker {
    pub(crate) fn new() -> Result<Self, String> {
        Worker::with_language(&language())
    }

    /// A worker reading `.tsx` and `.jsx` files (with [`tsx_queries`]).
    pub(crate) fn tsx() -> Result<Self, String> {
        Worker::with_language(&tsx_language())
    }

    fn with_language(language: &Language) -> Result<Self, String> {
        let mut typescript = Parser::new();
        typescript
            .set_language(language)
            .map_err(|e| format!("typescript grammar: {e}"))?;
        let mut svelte = Parser::new();
        svelte
            .set_language(&svelte_language())
            .map_err(|e| format!("svelte grammar: {e}"))?;
        Ok(Worker {
            typescript,
            svelte,
            cursor: QueryCursor::new(),
        })
    }

    fn raws<'t>(&mut self, q: &TsQueries, tree: &'t Tree, src: &str) -> Raws<'t> {
        let mut raws = Raws::default();
        let mut matches = self
            .cursor
            .matches(&q.topics.query, tree.root_node(), src.as_bytes());
        while let Some(m) = matches.next() {
            match q.topics.topic(m) {
                Some(Topic::WebsocketMessages) => raws
                    .websocket
                    .extend(websocket_messages::collect(&q.websocket_messages, m)),
                Some(Topic::Notifications) => raws
                    .notifications
                    .extend(notifications::collect(&q.notifications, m)),
                Some(Topic::Imports) => raws.imports.extend(charts::collect(&q.charts, m)),
                Some(Topic::Exports) => raws.exports.extend(node(m, q.export_name)),
                Some(Topic::Strings) => raws.strings.extend(node(m, q.string)),
                None => {}
            }
        }
        raws
    }

    /// Scan a TypeScript (or JavaScript) file. Never fails: a tree with
    /// syntax errors still gives what parsed, plus an entry in `errors`.
    pub(crate) fn scan_ts(&mut self, q: &TsQueries, file: &str, src: &str) -> FileFindings {
        let Some(tree) = self.typescript.parse(src, None) else {
            return FileFindings::error(file, "parser gave no tree".to_owned());
        };
        if let Some(reason) = crate::guard::tree_hazard(tree.root_node()) {
            return FileFindings::error(file, reason);
        }
        let mut out = FileFindings::default();
        if let Some(error) = first_error(tree.root_node()) {
            out.errors.push(recon_findings::FileError {
                file: file.to_owned(),
                reason: format!("syntax error at line {}", error.start_position().row + 1),
            });
        }
        let docs = [Doc {
            tree,
            src,
            map: None,
            template: false,
        }];
        self.extract(q, file, &docs, &[], &mut out);
        out
    }

    /// Scan a `.svelte` file: its script bodies and template expressions as
    /// TypeScript, its component tags. An unclosed `<script>` still gives
    /// its body (to the end of the file) and an `errors` entry.
    pub(crate) fn scan_svelte(&mut self, q: &TsQueries, file: &str, src: &str) -> FileFindings {
        let Some(tree) = self.svelte.parse(src, None) else {
            return FileFindings::error(file, "parser gave no tree".to_owned());
        };
        if let Some(reason) = crate::guard::tree_hazard(tree.root_node()) {
            return FileFindings::error(file, reason);
        }
        let mut out = FileFindings::default();
        let index = LineIndex::new(src);
        let mut svelte_error = first_error(tree.root_node()).map(|n| n.start_byte());

        let mut scripts: Vec<(usize, usize)> = Vec::new();
        let mut expressions: Vec<(usize, usize, &str)> = Vec::new();
        let mut tags: Vec<(usize, usize)> = Vec::new();
        let mut matches = self
            .cursor
            .matches(&q.svelte, tree.root_node(), src.as_bytes());
        while let Some(m) = matches.next() {
            for c in m.captures() {
                let range = (c.node.start_byte(), c.node.end_byte());
                if c.index == q.svelte_script {
                    scripts.push(range);
                } else if c.index == q.svelte_expression {
                    let kind = c.node.parent().map_or("", |p| p.kind());
                    expressions.push((range.0, range.1, kind));
                } else if c.index == q.svelte_tag {
                    tags.push(range);
                }
            }
        }
        drop(matches);
        scripts.sort_unstable();
        scripts.dedup();
        expressions.sort_unstable();
        expressions.dedup();
        tags.sort_unstable();
        tags.dedup();

        let (script_text, script_map) = virtual_document(src, &scripts, "", "\n;\n");
        let regions: Vec<(usize, usize)> = expressions
            .iter()
            .filter_map(|(start, end, kind)| expression_region(src, *start, *end, kind))
            .collect();
        let (template_text, template_map) = virtual_document(src, &regions, "(", "\n);\n");

        let mut docs = Vec::new();
        let script_tree = self.typescript.parse(&script_text, None);
        let template_tree = self.typescript.parse(&template_text, None);
        if let Some(reason) = [&script_tree, &template_tree]
            .into_iter()
            .flatten()
            .find_map(|t| crate::guard::tree_hazard(t.root_node()))
        {
            return FileFindings::error(file, reason);
        }
        if let Some(tree) = script_tree {
            if svelte_error.is_none() {
                svelte_error =
                    first_error(tree.root_node()).map(|n| script_map.original(n.start_byte()));
            }
            docs.push(Doc {
                tree,
                src: &script_text,
                map: Some(&script_map),
                template: false,
            });
        }
        // Template expressions are wrapped by us: a parse error there says
        // more about the wrapping than about the file, so it is not reported.
        if let Some(tree) = template_tree {
            docs.push(Doc {
                tree,
                src: &template_text,
                map: Some(&template_map),
                template: true,
            });
        }
        if let Some(at) = svelte_error {
            out.errors.push(recon_findings::FileError {
                file: file.to_owned(),
                reason: format!("syntax error at line {}", index.position(at).0),
            });
        }
        let tags: Vec<(usize, usize, &str)> = tags
            .iter()
            .map(|(start, end)| {
                let (line, column) = index.position(*start);
                (line, column, src.get(*start..*end).unwrap_or(""))
            })
            .collect();
        self.extract(q, file, &docs, &tags, &mut out);
        out
    }

    /// Run every extractor over the documents of one file.
    fn extract(
        &mut self,
        q: &TsQueries,
        file: &str,
        docs: &[Doc<'_>],
        tags: &[(usize, usize, &str)],
        out: &mut FileFindings,
    ) {
        let raws: Vec<Raws<'_>> = docs.iter().map(|d| self.raws(q, &d.tree, d.src)).collect();
        let ctxs: Vec<Document<'_>> = docs
            .iter()
            .map(|d| Document {
                file,
                src: d.src,
                map: d.map,
            })
            .collect();
        let mut imports = Vec::new();
        let mut exports = Vec::new();
        for ((raw, ctx), doc) in raws.iter().zip(&ctxs).zip(docs) {
            if !doc.template {
                out.hardcoded_secrets
                    .extend(hardcoded_secrets::extract(&raw.strings, ctx));
            }
            out.websocket_messages
                .extend(websocket_messages::extract(&raw.websocket, ctx));
            out.frontend_notifications
                .extend(notifications::extract(&raw.notifications, ctx));
            out.external_urls
                .extend(external_urls::extract(&raw.strings, ctx));
            imports.extend(charts::imports(&raw.imports, ctx));
            exports.extend(
                raw.exports
                    .iter()
                    .map(|n| text::text(*n, ctx.src).to_owned()),
            );
        }
        out.frontend_notifications
            .extend(notifications::components(tags, file));
        out.charts.extend(charts::extract(&imports, file));
        out.frontend_routes.extend(routes::route(file, &exports));
    }
}

/// Whether a file gives findings from its path alone: a SvelteKit route
/// file, or a `.svelte` file under a `charts/` directory.
pub(crate) fn path_findings(rel: &str) -> bool {
    routes::route_of(rel).is_some() || (rel.ends_with(".svelte") && charts::in_charts_dir(rel))
}

/// Copy `regions` of `src` one after the other, each preceded by `open` and
/// followed by `close`, and the map back.
fn virtual_document(
    src: &str,
    regions: &[(usize, usize)],
    open: &str,
    close: &str,
) -> (String, PosMap) {
    let mut text = String::new();
    let mut map = PosMap::new(src);
    for (start, end) in regions {
        let Some(region) = src.get(*start..*end) else {
            continue;
        };
        text.push_str(open);
        map.push(text.len(), *start, region.len());
        text.push_str(region);
        text.push_str(close);
    }
    (text, map)
}

/// The part of a template expression that is a TypeScript expression: a
/// spread attribute `{...props}` loses its dots, `{#await p then v}` its
/// `then` / `catch` clause.
fn expression_region(src: &str, start: usize, end: usize, parent: &str) -> Option<(usize, usize)> {
    let text = src.get(start..end)?;
    let trimmed = text.trim_start();
    let mut start = start + (text.len() - trimmed.len());
    let mut end = end;
    if let Some(rest) = trimmed.strip_prefix("...") {
        start += trimmed.len() - rest.len();
    }
    if parent == "await_start" {
        let text = src.get(start..end)?;
        let words = [" then", "\tthen", "\nthen", " catch", "\tcatch", "\ncatch"];
        if let Some(cut) = words
            .iter()
            .filter_map(|w| {
                text.match_indices(w)
                    .find(|(i, _)| {
                        text[i + w.len()..]
                            .chars()
                            .next()
                            .is_none_or(char::is_whitespace)
                    })
                    .map(|(i, _)| i)
            })
            .min()
        {
            end = start + cut;
        }
    }
    (start < end).then_some((start, end))
}

/// The first error or missing node of a tree, in document order.
pub(crate) fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        if node.has_error() {
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn queries_compile_and_every_topic_has_patterns() {
        let q = queries().unwrap();
        for (topic, _) in TOPICS {
            assert!(q.topics.has(*topic), "{topic:?} has no pattern");
        }
    }

    #[test]
    fn await_clauses_are_cut() {
        let src = "promise then value";
        assert_eq!(
            expression_region(src, 0, src.len(), "await_start"),
            Some((0, 7))
        );
        let src = "thenable";
        assert_eq!(
            expression_region(src, 0, src.len(), "await_start"),
            Some((0, 8))
        );
        let src = "...rest";
        assert_eq!(
            expression_region(src, 0, src.len(), "expression"),
            Some((3, 7))
        );
    }
}
