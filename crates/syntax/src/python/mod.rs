//! Python: one tree-sitter parse and one query traversal per file, then the
//! per-category extractors.
//!
//! The queries live in `queries/python/<topic>.scm`; they are concatenated
//! into one [`Query`] (compiled once, shared by every worker) so each file's
//! tree is walked once for all topics. Each match is routed to its topic by
//! the pattern's position in the concatenated source. What the queries cannot
//! express (which names are routers or loggers, string values, `[TAG]`
//! prefixes) is done by the extractor modules, one per category.

pub(crate) mod ancestry;
mod background_tasks;
mod bindings;
mod clients;
pub(crate) mod context_carriers;
mod error_trackers;
mod except_handlers;
mod hardcoded_secrets;
mod imports;
pub(crate) use recon_semantic::lexer;
mod log_calls;
pub(crate) mod logging_setup;
mod metrics_calls;
mod middleware;
pub(crate) mod routes;
mod strings;
pub(crate) mod text;
mod timing;
mod token_pass;
mod tracing_setup;
mod triggers;
mod units;
mod wall_clock;
mod websocket_messages;

use std::sync::OnceLock;

use recon_findings::FileError;
use tree_sitter::{Language, Node, Parser, Query, QueryCursor, QueryMatch, StreamingIterator};

use crate::topics::TopicQuery;
pub(crate) use crate::topics::node;

/// Declares the Python topics from one table: each row registers a query
/// file everywhere a topic is listed. A row
///
/// ```text
/// Routes: routes => routes::Raw<'t>, "routes.scm";
/// ```
///
/// says: the topic `Topic::Routes` is `queries/python/routes.scm`; its
/// module `routes` has `Captures` (`Captures::new(&query)`, the capture
/// indexes it reads) and `collect(&captures, match, src) -> Option<Raw>`;
/// what it collects goes to `RawMatches::routes`, for the extractors. The
/// macro makes the `Topic` enum, `TOPICS` (the query sources, concatenated
/// in the table's order), `PythonQueries` (the compiled query and each
/// module's captures), `RawMatches` and `RawMatches::collect`, which routes
/// a match to its topic's module.
macro_rules! topics {
    ($($topic:ident: $module:ident => $raw:ty, $file:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Topic {
            $($topic,)*
        }

        /// The query sources, in the order they are concatenated.
        const TOPICS: &[(Topic, &str)] = &[
            $((Topic::$topic, include_str!(concat!("../../../../queries/python/", $file))),)*
        ];

        /// The compiled Python queries and the capture indexes the
        /// extractors read.
        pub(crate) struct PythonQueries {
            topics: TopicQuery<Topic>,
            $($module: $module::Captures,)*
        }

        fn compile() -> Result<PythonQueries, String> {
            let topics = TopicQuery::new(&language(), "python queries", TOPICS)?;
            let query = &topics.query;
            Ok(PythonQueries {
                $($module: $module::Captures::new(query)?,)*
                topics,
            })
        }

        /// The query matches of one file, per topic, before the extractors
        /// run.
        #[derive(Default)]
        struct RawMatches<'t> {
            $($module: Vec<$raw>,)*
        }

        impl<'t> RawMatches<'t> {
            /// Route one match to its topic's module.
            fn collect(&mut self, q: &PythonQueries, m: &QueryMatch<'_, 't>, src: &str) {
                match q.topics.topic(m) {
                    $(Some(Topic::$topic) => self.$module.extend($module::collect(&q.$module, m, src)),)*
                    None => {}
                }
            }
        }
    };
}

topics! {
    Bindings: bindings => bindings::Raw<'t>, "bindings.scm";
    Routes: routes => routes::Raw<'t>, "routes.scm";
    Middleware: middleware => middleware::Raw<'t>, "middleware.scm";
    LogCalls: log_calls => log_calls::Raw<'t>, "log_calls.scm";
    ExceptHandlers: except_handlers => except_handlers::Raw<'t>, "except_handlers.scm";
    WebsocketMessages: websocket_messages => websocket_messages::Raw<'t>, "websocket_messages.scm";
    ContextCarriers: context_carriers => context_carriers::Raw<'t>, "context_carriers.scm";
    Timing: timing => timing::Raw<'t>, "timing.scm";
    MetricsCalls: metrics_calls => metrics_calls::Raw<'t>, "metrics_calls.scm";
    BackgroundTasks: background_tasks => background_tasks::Raw<'t>, "background_tasks.scm";
    Imports: imports => imports::Raw, "imports.scm";
    Calls: clients => clients::Raw<'t>, "calls.scm";
    Strings: strings => strings::Raw<'t>, "strings.scm";
    WallClock: wall_clock => wall_clock::Raw<'t>, "wall_clock.scm";
}

/// Each category's trigger registration (what lets a unit through to
/// tree-sitter for its rule), declared by its extractor's module beside
/// the rule: [`triggers`] builds its tables from these. The categories
/// missing here are dense (`except_handlers`, `print_calls`: the token
/// pass), or have triggers the machinery reads by shape from their modules
/// (websocket receive and send methods, metrics receivers, duration names,
/// string values, names bound to the wall clock), or, for
/// `hardcoded_secrets`, a text pattern over the unit
/// (`hardcoded_secrets::UnitTrigger`, which `units::selected` applies).
const TRIGGERS: &[triggers::Register] = &[
    bindings::triggers,
    routes::triggers,
    middleware::triggers,
    log_calls::triggers,
    context_carriers::triggers,
    timing::triggers,
    background_tasks::triggers,
    clients::triggers,
    logging_setup::triggers,
    error_trackers::triggers,
    tracing_setup::triggers,
];

pub(crate) fn language() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

/// The shared compiled queries (compiled on first use).
pub(crate) fn queries() -> Result<&'static PythonQueries, String> {
    static QUERIES: OnceLock<Result<PythonQueries, String>> = OnceLock::new();
    QUERIES.get_or_init(compile).as_ref().map_err(Clone::clone)
}

/// Index of a capture the query must define.
fn capture(query: &Query, name: &str) -> Result<u32, String> {
    crate::topics::capture(query, "python queries", name)
}

pub(crate) use crate::collect::{FileFindings, WithColumn};
pub(crate) use triggers::Reading;
pub(crate) use units::{ranges, with_headers};

/// A unit of a module ([`token_pass::Unit`]) by bytes, for callers outside
/// the token pass.
#[derive(Debug, Clone)]
pub(crate) struct UnitSpan {
    pub bytes: std::ops::Range<usize>,
    pub depth: usize,
    pub kind: token_pass::UnitKind,
}

/// The module being read: its path (where its findings are reported) and
/// its text.
pub(crate) struct Document<'a> {
    pub file: &'a str,
    pub src: &'a str,
}

impl Document<'_> {
    fn line(&self, node: Node<'_>) -> usize {
        text::line(node)
    }
}

/// Per-worker parsing state.
pub(crate) struct Worker {
    parser: Parser,
    cursor: QueryCursor,
    /// Whether to summarize each module for the semantic model (the scan
    /// does; `recon check`, which reads no call graph, does not).
    pub summarize: bool,
    /// Which findings tree-sitter is run for (the scan: every category).
    pub reading: triggers::Reading,
}

impl Worker {
    pub(crate) fn new() -> Result<Self, String> {
        let mut parser = Parser::new();
        parser
            .set_language(&language())
            .map_err(|e| format!("python grammar: {e}"))?;
        Ok(Worker {
            parser,
            cursor: QueryCursor::new(),
            summarize: true,
            reading: triggers::Reading::Every,
        })
    }

    /// Read one module: the dense categories from tokens and the rest from
    /// tree-sitter over the units that can hold a finding (all units
    /// without `shortcuts`), or the whole module from its tree when the
    /// token pass doubts it. Never fails: a tree with syntax errors still
    /// gives what parsed, plus an entry in `errors`.
    pub(crate) fn scan(
        &mut self,
        q: &PythonQueries,
        file: &str,
        src: &str,
        shortcuts: bool,
    ) -> FileFindings {
        if let Some(reason) = crate::guard::parse_hazard(
            crate::guard::Grammar::Python,
            src,
            usize::MAX, // the size limit is applied before reading
        ) {
            return FileFindings::error(file, reason);
        }
        if let Some(found) = self.scan_units(q, file, src, shortcuts) {
            return found;
        }
        self.scan_tree(q, file, src, None)
    }

    /// The token pass, and the tree over the units it selects (all of them
    /// without `shortcuts`); `None` when it doubts the module.
    fn scan_units(
        &mut self,
        q: &PythonQueries,
        file: &str,
        src: &str,
        shortcuts: bool,
    ) -> Option<FileFindings> {
        let tokens = lexer::tokenize(src).ok()?;
        let lines = crate::common::LineIndex::new(src);
        let dense = token_pass::extract(file, src, &lines, &tokens).ok()?;
        let unit_spans: Vec<UnitSpan> = dense
            .units
            .iter()
            .map(|u| UnitSpan {
                bytes: u.start_byte..u.end_byte,
                depth: u.depth,
                kind: u.kind,
            })
            .collect();
        let module = if self.summarize {
            recon_semantic::summarize(src, &tokens, &lines)
        } else {
            Err("not summarized".to_owned())
        };
        let imports = imports::from_tokens(src, &tokens);
        let ranges = units::selected(
            src,
            &lines,
            &tokens,
            &dense.units,
            &imports,
            shortcuts,
            self.reading,
        );
        let mut found = if ranges.is_empty() {
            FileFindings::default()
        } else {
            let set = self.parser.set_included_ranges(&ranges);
            let found = set
                .is_ok()
                .then(|| self.scan_tree(q, file, src, Some(imports)));
            // Back to whole files for the next module.
            self.parser.set_included_ranges(&[]).ok()?;
            found?
        };
        // Log calls come from the tree; the bodies holding one, by place.
        let logging: rustc_hash::FxHashSet<(usize, usize)> = found
            .except_bodies
            .iter()
            .filter(|(_, b)| b.logs)
            .map(|(column, b)| (b.line, *column))
            .collect();
        found.except_bodies = dense.except_bodies;
        for (column, body) in &mut found.except_bodies {
            body.logs = logging.contains(&(body.line, *column));
        }
        found.except_handlers = dense.except_handlers;
        found.print_calls = dense.print_calls;
        // A module too deep for the model is counted as unread.
        if let Ok(module) = &module {
            for route in &mut found.routes {
                let def = module.decorated_function(&route.1.handler, route.1.line);
                route.1.handler_qualname = def.map(|s| s.qualname.to_string());
            }
        }
        found.module = module.ok().map(|m| (file.into(), m));
        found.units = Some(unit_spans);
        Some(found)
    }

    /// Parse `src` (within the parser's included ranges) and run every
    /// extractor over the tree; `imports`, the module's whole import map,
    /// when the tree holds only some of it.
    fn scan_tree(
        &mut self,
        q: &PythonQueries,
        file: &str,
        src: &str,
        imports: Option<Vec<imports::Raw>>,
    ) -> FileFindings {
        let mut out = FileFindings::default();
        let Some(tree) = self.parser.parse(src, None) else {
            out.errors.push(FileError {
                file: file.to_owned(),
                reason: "parser gave no tree".to_owned(),
            });
            return out;
        };
        let root = tree.root_node();
        if let Some(reason) = crate::guard::tree_hazard(root) {
            return FileFindings::error(file, reason);
        }
        if root.has_error() {
            out.errors.push(FileError {
                file: file.to_owned(),
                reason: syntax_error(root),
            });
        }
        let ctx = Document { file, src };

        let mut raw = RawMatches::default();
        let mut matches = self.cursor.matches(&q.topics.query, root, src.as_bytes());
        while let Some(m) = matches.next() {
            raw.collect(q, m, src);
        }

        let calls: Vec<(Node<'_>, Node<'_>)> = raw
            .clients
            .iter()
            .filter_map(|c| match c {
                clients::Raw::Call { call, callee, .. } => Some((*call, *callee)),
                clients::Raw::Subscript { .. } => None,
            })
            .collect();
        let mut targets: Vec<Node<'_>> = calls.iter().map(|(call, _)| *call).collect();
        targets.extend(&raw.strings);
        log_calls::targets(&raw.log_calls, &mut targets);
        context_carriers::targets(&raw.context_carriers, &mut targets);
        metrics_calls::targets(&raw.metrics_calls, &mut targets);
        let ancestry = ancestry::Ancestry::new(root, &targets, src);

        let names = bindings::names(&raw.bindings, &ctx);
        out.loggers = names.loggers.clone();
        (out.routes, out.route_routers) = routes::extract(&raw.routes, &names, &ctx);
        out.middleware = middleware::extract(&raw.middleware, &names, &ctx);
        let logs = log_calls::extract(&raw.log_calls, &names, &ancestry, &ctx);
        out.log_calls = logs.log_calls;
        out.log_messages = logs.log_messages;
        let log_nodes: std::collections::HashSet<usize> =
            logs.nodes.iter().map(|n| n.id()).collect();
        out.except_handlers = except_handlers::extract(&raw.except_handlers, &ctx);
        out.except_bodies = except_handlers::bodies(&raw.except_handlers, &log_nodes, &ctx);
        out.websocket_messages = websocket_messages::extract(&raw.websocket_messages, &ctx);
        out.context_carriers = context_carriers::extract(&raw.context_carriers, &ancestry, &ctx);
        out.timing = timing::extract(&raw.timing, &ctx);
        out.metrics_calls = metrics_calls::extract(&raw.metrics_calls, &ancestry, &ctx);
        out.background_tasks = background_tasks::extract(&raw.background_tasks, &ctx);

        let import_bindings = imports.unwrap_or(raw.imports);
        out.wall_clock_durations = wall_clock::extract(&raw.wall_clock, &import_bindings, &ctx);
        let imports = imports::Imports::new(import_bindings);
        let clients = clients::extract(&raw.clients, &imports, &ctx);
        let setup = logging_setup::extract(&raw.clients, &imports, &ancestry, &ctx);
        out.error_trackers = error_trackers::extract(&raw.clients, &imports, &ctx);
        out.tracing_setup = tracing_setup::extract(&raw.clients, &imports, &ctx);
        out.logging_config = setup.logging_config;
        out.print_calls = setup.print_calls;
        let strings = strings::extract(&raw.strings, &ancestry, &ctx);
        out.hardcoded_secrets = hardcoded_secrets::extract(&raw.strings, &imports, &ancestry, &ctx);
        out.db_connections = clients.db_connections;
        out.redis = clients.redis;
        out.ai_providers = clients.ai_providers;
        out.ai_providers.extend(strings.ai_providers);
        out.notifications = clients.notifications;
        out.notifications.extend(strings.notifications);
        out.external_urls = strings.external_urls;
        out
    }
}

/// Where the token pass and the tree disagree on one module's dense
/// categories; `Err` with the reason when the token pass doubted the module.
pub(crate) fn token_pass_differences(file: &str, src: &str) -> Result<Vec<String>, String> {
    let tokens = lexer::tokenize(src).map_err(|d| d.0.to_owned())?;
    let lines = crate::common::LineIndex::new(src);
    let dense = token_pass::extract(file, src, &lines, &tokens).map_err(|d| d.0.to_owned())?;
    let mut worker = Worker::new()?;
    let tree = worker.scan_tree(queries()?, file, src, None);
    let mut diffs = Vec::new();
    let mut compare = |what: &str, a: String, b: String| {
        if a != b {
            diffs.push(format!("{file}: {what}\n  tree:   {a}\n  tokens: {b}"));
        }
    };
    let mut bodies = tree.except_bodies.clone();
    for (_, b) in &mut bodies {
        b.logs = false;
    }
    compare(
        "except_handlers",
        format!("{:?}", tree.except_handlers),
        format!("{:?}", dense.except_handlers),
    );
    compare(
        "except_bodies",
        format!("{bodies:?}"),
        format!("{:?}", dense.except_bodies),
    );
    compare(
        "print_calls",
        format!("{:?}", tree.print_calls),
        format!("{:?}", dense.print_calls),
    );
    Ok(diffs)
}

/// "syntax error at line N" for the first error or missing node.
fn syntax_error(root: Node<'_>) -> String {
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            return format!("syntax error at line {}", text::line(node));
        }
        if node.has_error() {
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    "syntax error".to_owned()
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
    fn chained_assignment_is_nested() {
        // The bindings extractor relies on this shape.
        let mut worker = Worker::new().unwrap();
        let found = worker.scan(
            queries().unwrap(),
            "m.py",
            "a = b = c = logging.getLogger()\n",
            true,
        );
        let names: Vec<&str> = found.loggers.iter().map(|(_, l)| l.name.as_str()).collect();
        assert_eq!(names, ["c", "b", "a"]);
        assert!(
            found
                .loggers
                .iter()
                .all(|(col, l)| *col == 0 && l.line == 1)
        );
    }
}
