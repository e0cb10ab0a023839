//! Request Lifecycle: entry points, middleware order, call flow, carriers.

use std::collections::{BTreeMap, BTreeSet};

use recon_findings::{CarrierKind, HttpMethod, MessageDirection, MiddlewareKind, Side};

use super::graph::{Edge, FunctionKey, Graph, entries};
use super::{Input, at, code, is_test_file, none_found, plural, stages};
use crate::model::{
    CarrierSummary, Endpoint, FlowLine, Lifecycle, Loc, MiddlewareRow, RouteGroup, RouteRow, Stage,
};

pub fn derive(input: &Input, stages: &[Stage]) -> Lifecycle {
    let f = input.f;

    // Entry points, grouped by the router they are declared on and its
    // file (the same name in two files is two objects as far as findings
    // tell), groups in order of their first route.
    let routers: BTreeMap<(&str, usize), &str> = f
        .route_routers
        .iter()
        .map(|r| ((r.file.as_str(), r.line), r.router.as_str()))
        .collect();
    let mut groups: Vec<RouteGroup> = Vec::new();
    for r in &f.routes {
        let row = RouteRow {
            method: method_name(r.method),
            path: served_path(&r.full_path, &r.path),
            handler: r.handler.clone(),
            at: Loc::new(&r.file, r.line),
        };
        let router = routers
            .get(&(r.file.as_str(), r.line))
            .map(|name| (*name).to_owned());
        match groups
            .iter_mut()
            .find(|g| g.file == r.file && g.router == router)
        {
            Some(g) => g.routes.push(row),
            None => groups.push(RouteGroup {
                router,
                file: r.file.clone(),
                routes: vec![row],
            }),
        }
    }
    let route_files: BTreeSet<&str> = f.routes.iter().map(|r| r.file.as_str()).collect();
    let websocket_endpoints: Vec<Endpoint> = f
        .websocket_endpoints
        .iter()
        .map(|w| Endpoint {
            path: served_path(&w.full_path, &w.path),
            handler: w.handler.clone(),
            at: Loc::new(&w.file, w.line),
        })
        .collect();
    let http = f
        .routes
        .iter()
        .filter(|r| r.method != HttpMethod::Websocket)
        .count();
    let entry_summary = format!(
        "{} on {} in {}, {}",
        plural(http, "HTTP route", "HTTP routes"),
        plural(groups.len(), "router", "routers"),
        plural(route_files.len(), "file", "files"),
        plural(
            websocket_endpoints.len(),
            "WebSocket endpoint",
            "WebSocket endpoints"
        ),
    );
    let entry_none = f.routes.is_empty().then(|| none_found("routes"));

    // Middleware: registration order is source order; Starlette inserts each
    // new middleware at the front of its list, so the last added is outermost.
    let registration: Vec<MiddlewareRow> = f
        .middleware
        .iter()
        .enumerate()
        .map(|(i, m)| MiddlewareRow {
            position: i + 1,
            name: m.name.clone(),
            kind: match m.kind {
                MiddlewareKind::Class => "class",
                MiddlewareKind::Function => "function",
            }
            .to_owned(),
            at: Loc::new(&m.file, m.line),
        })
        .collect();
    let execution: Vec<MiddlewareRow> = registration
        .iter()
        .rev()
        .enumerate()
        .map(|(i, m)| MiddlewareRow {
            position: i + 1,
            ..m.clone()
        })
        .collect();
    let mw_files: BTreeSet<&str> = f.middleware.iter().map(|m| m.file.as_str()).collect();
    let mut middleware_note = "Starlette (FastAPI) puts the middleware added last outermost: a request passes them in execution order, the response in reverse; `@app.middleware` registers like `add_middleware` at decoration time.".to_owned();
    if mw_files.len() > 1 {
        middleware_note.push_str(&format!(
            " Registrations are spread over {} files; their relative order depends on import order, which the findings do not give: they are ordered by (file, line).",
            mw_files.len()
        ));
    }
    let middleware_none = f.middleware.is_empty().then(|| none_found("middleware"));

    Lifecycle {
        entry_summary,
        route_groups: groups,
        websocket_none: websocket_endpoints
            .is_empty()
            .then(|| none_found("websocket_endpoints")),
        websocket_endpoints,
        entry_none,
        middleware_registration: registration,
        middleware_execution: execution.clone(),
        middleware_note,
        middleware_none,
        call_flow: call_flow(input, stages, &execution),
        carriers: carriers(input, false),
        headers: carriers(input, true),
        carriers_none: f
            .context_carriers
            .iter()
            .all(|c| is_test_file(&c.file))
            .then(|| none_found("context_carriers")),
    }
}

/// The method as declared, `WEBSOCKET` included.
pub fn method_name(m: HttpMethod) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn line(depth: usize, text: String) -> FlowLine {
    FlowLine {
        depth,
        indent: "  ".repeat(depth),
        text,
    }
}

/// The paths through the app: HTTP through the middleware to the handlers;
/// each WebSocket endpoint to the types it dispatches on; then Request ->
/// RAG -> LLM -> Response as the call graph shows it from each entry
/// handler (only the branches that reach a stage function), else the first
/// evidence of each stage.
fn call_flow(input: &Input, stages: &[Stage], execution: &[MiddlewareRow]) -> Vec<FlowLine> {
    let f = input.f;
    let mut lines = Vec::new();
    let http: Vec<_> = f
        .routes
        .iter()
        .filter(|r| r.method != HttpMethod::Websocket)
        .collect();
    if let Some(first) = http.first() {
        let mut text = "HTTP: request".to_owned();
        for m in execution {
            text.push_str(&format!(" -> {} {}", code(&m.name), at(&m.at)));
        }
        text.push_str(&format!(
            " -> route handler ({}, first {} {})",
            plural(http.len(), "route", "routes"),
            code(&first.handler),
            at(&Loc::new(&first.file, first.line))
        ));
        lines.push(line(0, text));
    }
    for ws in &f.websocket_endpoints {
        let mut text = format!(
            "WebSocket {}: {} {}",
            code(&served_path(&ws.full_path, &ws.path)),
            code(&ws.handler),
            at(&Loc::new(&ws.file, ws.line))
        );
        let handled: Vec<String> = f
            .websocket_messages
            .iter()
            .filter(|m| {
                m.side == Side::Backend
                    && m.direction == MessageDirection::Handled
                    && m.file == ws.file
            })
            .map(|m| {
                format!(
                    "{} {}",
                    code(&m.message_type),
                    at(&Loc::new(&m.file, m.line))
                )
            })
            .collect();
        if handled.is_empty() {
            text.push_str(" (no message types dispatched in its file)");
        } else {
            text.push_str(&format!(" -> dispatch on `type`: {}", handled.join(", ")));
        }
        lines.push(line(0, text));
    }
    let graph = &input.graph;
    let mut trees = 0;
    for entry in entries(input) {
        let mut sub = Vec::new();
        let mut walk = TreeWalk {
            graph,
            boundaries: &input.boundaries,
            reaches: BTreeMap::new(),
            expanded: BTreeSet::new(),
        };
        let mut path = BTreeSet::new();
        if let Some(function) = &entry.function {
            path.insert((function.as_str(), entry.file.as_str()));
        }
        for e in &graph.entry_calls(&entry) {
            walk.tree(e, 1, &mut path, &mut sub);
        }
        if !sub.is_empty() {
            lines.push(line(
                0,
                format!(
                    "Call graph from {} {} (calls that lead to an embedding, search, LLM or streaming function):",
                    code(&entry.handler),
                    at(&entry.at)
                ),
            ));
            lines.extend(sub);
            trees += 1;
            if trees == 3 {
                break;
            }
        }
    }
    if trees == 0 {
        let pipeline = ["embedding", "vector_search", "llm_call", "streaming"];
        let found: Vec<String> = pipeline
            .iter()
            .filter_map(|key| {
                let title = stages.iter().find(|s| s.key == *key)?.title.clone();
                let (_, text) = stages::first_of(stages, key)?;
                Some(format!("{title} {text}"))
            })
            .collect();
        let source = if graph.is_empty() {
            "the call graph has no calls"
        } else {
            "the call graph links no entry handler to them"
        };
        if found.is_empty() {
            lines.push(line(0, format!(
                "RAG -> LLM -> Response: none found (searched: metric names, duration variables, task targets and message types naming embedding, search, LLM or streaming; {source})"
            )));
        } else {
            lines.push(line(
                0,
                format!(
                    "RAG -> LLM -> Response, by the first place each stage shows ({source}): {}",
                    found.join(" -> ")
                ),
            ));
        }
    }
    if let Some(text) = resolution_line(&input.f.call_resolution) {
        lines.push(line(0, text));
    }
    lines
}

/// How the Python calls behind the call graph resolved: a reader weighs
/// the tree above by what it could not show.
fn resolution_line(r: &recon_findings::CallResolution) -> Option<String> {
    if r.calls == 0 && r.unread_modules == 0 {
        return None;
    }
    let mut text = format!(
        "Call resolution: {} Python calls; {} reach the checkout's functions and classes, {} libraries, {} builtins; {} unresolved (the code does not show what they reach: no edge is guessed for them)",
        r.calls, r.project, r.external, r.builtin, r.unresolved
    );
    if r.unread_modules > 0 {
        let modules = if r.unread_modules == 1 {
            "module"
        } else {
            "modules"
        };
        text.push_str(&format!(
            "; {} {modules} not read (their calls are not counted)",
            r.unread_modules
        ));
    }
    Some(text)
}

/// The call tree below an entry handler, pruned to the calls that lead to a
/// stage function. Linear in the graph: whether a function can reach a
/// stage is computed once, and a function's subtree is printed once per
/// tree (later calls of it say so instead of repeating it), so a checkout
/// with many same-named functions cannot make it explode.
struct TreeWalk<'g, 'f> {
    graph: &'g Graph<'f>,
    /// Each function's span-boundary stage (from its operations).
    boundaries: &'g rustc_hash::FxHashMap<FunctionKey<'f>, &'static str>,
    /// Whether a function reaches a stage function at all.
    reaches: BTreeMap<FunctionKey<'f>, bool>,
    /// Functions whose subtree this tree already shows.
    expanded: BTreeSet<FunctionKey<'f>>,
}

impl<'f> TreeWalk<'_, 'f> {
    /// Whether `key` can reach a stage function (any depth; cycles cut).
    fn can_reach(&mut self, key: FunctionKey<'f>) -> bool {
        if let Some(&known) = self.reaches.get(&key) {
            return known;
        }
        // Depth-first with an explicit stack; a function on the stack
        // counts as not reaching, which is what breaking the cycle means.
        self.reaches.insert(key, false);
        let mut stack: Vec<(FunctionKey<'f>, usize)> = vec![(key, 0)];
        while let Some((node, next)) = stack.pop() {
            if self.boundaries.contains_key(&node) {
                self.mark_reaching(node, &stack);
                continue;
            }
            let calls = self.graph.calls_of(node);
            if let Some(e) = calls.get(next) {
                stack.push((node, next + 1));
                let child = e.callee_key();
                match self.reaches.get(&child) {
                    Some(true) => self.mark_reaching(node, &stack),
                    Some(false) => {}
                    None => {
                        self.reaches.insert(child, false);
                        stack.push((child, 0));
                    }
                }
            }
        }
        self.reaches.get(&key).copied().unwrap_or(false)
    }

    /// `node` reaches a stage, and so does every function below which it
    /// was found.
    fn mark_reaching(&mut self, node: FunctionKey<'f>, stack: &[(FunctionKey<'f>, usize)]) {
        self.reaches.insert(node, true);
        for (above, _) in stack {
            self.reaches.insert(*above, true);
        }
    }

    /// The subtree of calls from `edge` that reach a stage function, at
    /// most 8 calls deep, no function twice on a path. Returns whether it
    /// reached one.
    fn tree(
        &mut self,
        edge: &Edge<'f>,
        depth: usize,
        path: &mut BTreeSet<FunctionKey<'f>>,
        out: &mut Vec<FlowLine>,
    ) -> bool {
        let key = edge.callee_key();
        if depth > 8 || path.contains(&key) || !self.can_reach(key) {
            return false;
        }
        let stage = self.boundaries.get(&key).copied();
        let title = stage
            .and_then(|k| stages::KEYS.iter().find(|(key, _)| *key == k))
            .map(|(_, t)| format!(" ({t})"))
            .unwrap_or_default();
        if !self.expanded.insert(key) {
            out.push(line(
                depth,
                format!(
                    "{} called at {}{title} (its calls are shown above)",
                    code(edge.callee),
                    at(&edge.at())
                ),
            ));
            return true;
        }
        path.insert(key);
        let mut children = Vec::new();
        let mut reached = false;
        for e in self.graph.calls_of(key) {
            reached |= self.tree(e, depth + 1, path, &mut children);
        }
        path.remove(&key);
        if stage.is_none() && !reached {
            return false;
        }
        out.push(line(
            depth,
            format!("{} called at {}{title}", code(edge.callee), at(&edge.at())),
        ));
        out.extend(children);
        true
    }
}

/// Carriers (or header carriers) outside test files, by name (headers by
/// lower-cased name, shown as first written); most frequent first.
pub fn carriers(input: &Input, headers: bool) -> Vec<CarrierSummary> {
    struct Acc {
        name: String,
        count: usize,
        files: BTreeSet<String>,
        kinds: BTreeMap<&'static str, usize>,
        first: Loc,
    }
    let mut map: BTreeMap<String, Acc> = BTreeMap::new();
    for c in input
        .f
        .context_carriers
        .iter()
        .filter(|c| (c.kind == CarrierKind::Header) == headers && !is_test_file(&c.file))
    {
        let key = if headers {
            c.name.to_ascii_lowercase()
        } else {
            c.name.clone()
        };
        let loc = Loc::new(&c.file, c.line);
        let kind = match c.kind {
            CarrierKind::Parameter => "parameter",
            CarrierKind::Assignment => "assignment",
            CarrierKind::Keyword => "keyword",
            CarrierKind::Header => "header string",
        };
        let acc = map.entry(key).or_insert_with(|| Acc {
            name: c.name.clone(),
            count: 0,
            files: BTreeSet::new(),
            kinds: BTreeMap::new(),
            first: loc.clone(),
        });
        acc.count += 1;
        acc.files.insert(c.file.clone());
        *acc.kinds.entry(kind).or_default() += 1;
        if loc < acc.first {
            acc.first = loc;
            acc.name = c.name.clone();
        }
    }
    let mut out: Vec<CarrierSummary> = map
        .into_values()
        .map(|a| CarrierSummary {
            name: a.name,
            count: a.count,
            files: a.files.len(),
            kinds: a
                .kinds
                .iter()
                .map(|(k, n)| format!("{k} x{n}"))
                .collect::<Vec<_>>()
                .join(", "),
            first: a.first,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    out
}

/// The path a route is served at; where the findings cannot say, the path
/// as declared on its router, marked so.
fn served_path(full: &Option<String>, declared: &Option<String>) -> String {
    match (full, declared) {
        (Some(full), _) => full.clone(),
        (None, Some(declared)) => format!("{declared} (as declared; mount not known)"),
        (None, None) => "(not a literal)".to_owned(),
    }
}
