//! Span boundaries: the six logical operations of the skeleton, each with
//! the findings that show where it happens in this checkout.

use rayon::prelude::*;
use recon_findings::{CallEdge, HttpMethod, MessageDirection, Side, TimingKind};
use rustc_hash::FxHashMap;

use super::{Input, at, code, is_test_file, plural};
use crate::model::{Evidence, Loc, Stage};

/// The stage keys, in skeleton order.
pub const KEYS: [(&str, &str); 6] = [
    ("http", "HTTP request handling"),
    ("websocket", "WebSocket message processing"),
    ("embedding", "RAG embedding generation"),
    ("vector_search", "RAG vector search"),
    ("llm_call", "LLM API call"),
    ("streaming", "Response streaming"),
];

/// Which stage a name (metric, duration variable, task target, function,
/// message type) belongs to, by lower-cased substring, first rule wins:
/// `embed` -> embedding; `search retriev vector similar knn rerank` ->
/// vector_search; `llm model complet ttft generat openai anthropic grok xai
/// claude gpt` -> llm_call; `stream chunk token` -> streaming; `websocket ws_ ws.`
/// or exactly `ws` -> websocket; `http` -> http.
pub fn stage_of(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["embed"]) {
        Some("embedding")
    } else if has(&["search", "retriev", "vector", "similar", "knn", "rerank"]) {
        Some("vector_search")
    } else if has(&[
        "llm",
        "model",
        "complet",
        "ttft",
        "generat",
        "openai",
        "anthropic",
        "grok",
        "xai",
        "claude",
        "gpt",
    ]) {
        Some("llm_call")
    } else if has(&["stream", "chunk", "token"]) {
        Some("streaming")
    } else if n == "ws" || has(&["websocket", "ws_", "ws."]) {
        Some("websocket")
    } else if has(&["http"]) {
        Some("http")
    } else {
        None
    }
}

/// How a function (callee, definition file) is called.
#[derive(Debug, Clone, Copy, Default)]
struct Called {
    /// Call sites.
    calls: usize,
    /// The first edge that gives its definition line: its index and that
    /// line.
    first: Option<(usize, usize)>,
}

/// Every function the call graph reaches, in the order of its first edge
/// with a definition line (functions without one last), counted in
/// parallel: one hash map per thread's share of the edges, then merged.
fn called_functions(edges: &[CallEdge]) -> Vec<(&str, &str, Called)> {
    let share = edges
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let parts: Vec<FxHashMap<(&str, &str), Called>> = edges
        .par_chunks(share)
        .enumerate()
        .map(|(part, edges)| {
            let mut counted: FxHashMap<(&str, &str), Called> = FxHashMap::default();
            for (i, e) in edges.iter().enumerate() {
                let called = counted.entry((&e.callee, &e.callee_file)).or_default();
                called.calls += 1;
                if called.first.is_none() && e.callee_line != 0 {
                    called.first = Some((part * share + i, e.callee_line));
                }
            }
            counted
        })
        .collect();
    let mut all: FxHashMap<(&str, &str), Called> = FxHashMap::default();
    // Parts in edge order: an earlier part's first edge stays first.
    for part in parts {
        if all.is_empty() {
            all = part;
            continue;
        }
        for (key, called) in part {
            let known = all.entry(key).or_default();
            known.calls += called.calls;
            known.first = known.first.or(called.first);
        }
    }
    let mut out: Vec<(&str, &str, Called)> = all
        .into_iter()
        .map(|((callee, file), called)| (callee, file, called))
        .collect();
    out.sort_unstable_by_key(|(_, _, called)| called.first.map_or(usize::MAX, |(i, _)| i));
    out
}

/// The stage of a function of the checkout by its qualified name
/// (`EnterpriseRAG.search`): private helpers (`_name`) have none; else the
/// stage of its own name, except that a method of a class or module whose
/// name is an LLM stage (`ModelAdapter.stream`) is an LLM call when its own
/// name is a streaming word or none. HTTP and WebSocket stages are left to
/// routes.
pub fn function_stage(qualname: &str) -> Option<&'static str> {
    let (qualifier, name) = match qualname.rsplit_once('.') {
        Some((q, n)) => (q, n),
        None => ("", qualname),
    };
    if name.starts_with('_') {
        return None;
    }
    let own = stage_of(name);
    let outer = if qualifier.is_empty() {
        None
    } else {
        stage_of(qualifier)
    };
    let stage = match (own, outer) {
        (None | Some("streaming"), Some("llm_call")) => Some("llm_call"),
        (own, _) => own,
    };
    stage.filter(|k| *k != "http" && *k != "websocket")
}

/// Whether a metrics method records a duration.
pub fn is_latency_method(method: &str) -> bool {
    let m = method.to_ascii_lowercase();
    [
        "latency",
        "timing",
        "timer",
        "observe",
        "histogram",
        "duration",
        "time",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// How many pieces of evidence per stage the Markdown shows.
pub const SHOWN: usize = 6;

pub fn derive(input: &Input) -> Vec<Stage> {
    let f = input.f;
    // (stage, evidence, timed, rank): rank 0 functions, 1 timers and
    // metrics, 2 the rest.
    let mut found: Vec<(&'static str, Evidence, bool, u8)> = Vec::new();
    let mut push = |key: &'static str, at: Loc, what: String, timed: bool| {
        let rank = if what.starts_with("function ")
            || what.starts_with("endpoint ")
            || what.contains("HTTP route handler")
        {
            0
        } else if what.starts_with("metric ") || what.starts_with("duration ") {
            1
        } else {
            2
        };
        found.push((key, Evidence { at, what }, timed, rank));
    };

    // HTTP: the route handlers (the middleware chain is in Request Lifecycle).
    let http_routes: Vec<_> = f
        .routes
        .iter()
        .filter(|r| r.method != HttpMethod::Websocket && !is_test_file(&r.file))
        .collect();
    if let Some(first) = http_routes.first() {
        push(
            "http",
            Loc::new(&first.file, first.line),
            format!(
                "{} (first: {}); see Entry points",
                plural(
                    http_routes.len(),
                    "HTTP route handler",
                    "HTTP route handlers"
                ),
                code(&first.handler)
            ),
            false,
        );
    }
    // WebSocket: the endpoints and the types their handlers dispatch on.
    for ws in f
        .websocket_endpoints
        .iter()
        .filter(|w| !is_test_file(&w.file))
    {
        push(
            "websocket",
            Loc::new(&ws.file, ws.line),
            format!(
                "endpoint {} handled by {}",
                code(ws.path.as_deref().unwrap_or("(path not a literal)")),
                code(&ws.handler)
            ),
            false,
        );
    }
    for m in f.websocket_messages.iter().filter(|m| {
        m.side == Side::Backend
            && m.direction == MessageDirection::Handled
            && !is_test_file(&m.file)
    }) {
        push(
            "websocket",
            Loc::new(&m.file, m.line),
            format!("dispatches message type {}", code(&m.message_type)),
            false,
        );
    }
    // Metrics named after a stage; latency metrics mean it is timed.
    for m in f.metrics_calls.iter().filter(|m| !is_test_file(&m.file)) {
        let Some(name) = &m.name else { continue };
        if let Some(key) = stage_of(name) {
            let timed = is_latency_method(&m.method);
            push(
                key,
                Loc::new(&m.file, m.line),
                format!("metric {} recorded with {}", code(name), code(&m.method)),
                timed,
            );
        }
    }
    // Duration variables named after a stage.
    for t in f
        .timing
        .iter()
        .filter(|t| t.kind == TimingKind::Duration && !is_test_file(&t.file))
    {
        if let Some(key) = stage_of(&t.name) {
            push(
                key,
                Loc::new(&t.file, t.line),
                format!("duration variable {} assigned", code(&t.name)),
                true,
            );
        }
    }
    // Background work whose target names a stage.
    for b in f.background_tasks.iter().filter(|b| !is_test_file(&b.file)) {
        let Some(target) = &b.target else { continue };
        if let Some(key) = stage_of(target) {
            push(
                key,
                Loc::new(&b.file, b.line),
                format!("{} started as a concurrent task", code(target)),
                false,
            );
        }
    }
    // Streaming: message types the backend sends that name a stream.
    for m in f.websocket_messages.iter().filter(|m| {
        m.side == Side::Backend && m.direction == MessageDirection::Sent && !is_test_file(&m.file)
    }) {
        if stage_of(&m.message_type) == Some("streaming") {
            push(
                "streaming",
                Loc::new(&m.file, m.line),
                format!("sends message type {}", code(&m.message_type)),
                false,
            );
        }
    }
    // AI provider clients, endpoints and embedding calls (env settings and
    // model names are not operations).
    for item in input.extra.ai_providers.items.iter() {
        let kind = item.text(&["kind"]).unwrap_or_default();
        if !matches!(kind.as_str(), "client" | "endpoint" | "embedding") || is_test_file(&item.file)
        {
            continue;
        }
        let name = item
            .text(&["name"])
            .unwrap_or_else(|| "provider".to_owned());
        let provider = item.text(&["provider"]);
        let key = if kind == "embedding" || name.to_ascii_lowercase().contains("embed") {
            "embedding"
        } else {
            "llm_call"
        };
        push(
            key,
            Loc::new(&item.file, item.line),
            match provider {
                Some(p) => format!("{p} {kind} {}", code(&name)),
                None => format!("{kind} {}", code(&name)),
            },
            false,
        );
    }
    // Functions of the checkout (call-graph callees, at their definition),
    // the ones reachable from an entry handler first, shallowest first.
    let depths = input.graph.depths(&super::graph::entries(input));
    // Each function once, in the order of its first call; whether a file is
    // a test file, and a function's stage, are asked once per function, not
    // per call (10^5 calls).
    let mut functions: Vec<(usize, &'static str, Loc, String)> = Vec::new();
    for (callee, def_file, called) in called_functions(&input.f.call_graph) {
        let Some((_, def_line)) = called.first else {
            continue;
        };
        if callee.is_empty() || def_file.is_empty() || is_test_file(def_file) {
            continue;
        }
        let Some(key) = function_stage(callee) else {
            continue;
        };
        let calls = called.calls;
        let depth = depths
            .get(&(callee, def_file))
            .copied()
            .unwrap_or(usize::MAX);
        functions.push((
            depth,
            key,
            Loc::new(def_file, def_line),
            format!(
                "function {} ({}{})",
                code(callee),
                plural(calls, "call site", "call sites"),
                if depth == usize::MAX {
                    ", not reached from a handler".to_owned()
                } else {
                    format!(", {} deep from a handler", plural(depth, "call", "calls"))
                }
            ),
        ));
    }
    functions.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    for (_, key, at, what) in functions {
        push(key, at, what, false);
    }

    super::stages::KEYS
        .iter()
        .map(|(key, title)| {
            // Functions keep their order (reached from a handler, shallow
            // first); the rest by location.
            let mut ranked: Vec<(u8, usize, Evidence)> = Vec::new();
            let mut timed = false;
            for (i, (k, e, t, rank)) in found.iter().enumerate() {
                if k == key {
                    timed |= *t;
                    if !ranked.iter().any(|(_, _, x)| x == e) {
                        ranked.push((*rank, if *rank == 0 { i } else { 0 }, e.clone()));
                    }
                }
            }
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.at.cmp(&b.2.at)));
            let evidence: Vec<Evidence> = ranked.into_iter().map(|(_, _, e)| e).collect();
            let none = evidence.is_empty().then(|| {
                format!(
                    "none found (searched: route handlers, WebSocket endpoints and message types, metric names, duration variables, task targets{} for {})",
                    ", AI provider calls, call-graph functions",
                    stage_words(key)
                )
            });
            Stage {
                key: (*key).to_owned(),
                title: (*title).to_owned(),
                shown: evidence.iter().take(SHOWN).cloned().collect(),
                more: evidence.len().saturating_sub(SHOWN),
                evidence,
                timed,
                none,
            }
        })
        .collect()
}

fn stage_words(key: &str) -> &'static str {
    match key {
        "http" => "HTTP routes",
        "websocket" => "WebSocket endpoints",
        "embedding" => "names containing `embed`",
        "vector_search" => {
            "names containing `search`, `retriev`, `vector`, `similar`, `knn`, `rerank`"
        }
        "llm_call" => {
            "names containing `llm`, `model`, `complet`, `ttft`, `generat` or a provider name"
        }
        _ => "names containing `stream`, `chunk`, `token`",
    }
}

/// The first evidence of a stage, as `` `file:line` (what) ``.
pub fn first_of(stages: &[Stage], key: &str) -> Option<(Loc, String)> {
    let stage = stages.iter().find(|s| s.key == key)?;
    let e = stage.evidence.first()?;
    Some((e.at.clone(), format!("{} ({})", at(&e.at), e.what)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Functions in the order of their first edge with a definition line,
    /// every call site counted, however the edges are split over threads.
    #[test]
    fn called_functions_count_and_keep_first_order() {
        let edge = |callee: &str, callee_line: usize| CallEdge {
            file: "a.py".into(),
            line: 1,
            column: 1,
            caller: "f".into(),
            callee: callee.into(),
            callee_file: "lib.py".into(),
            callee_line,
        };
        let mut edges = vec![edge("b", 0), edge("c", 7), edge("b", 3)];
        // Enough edges that every thread gets a share.
        edges.extend((0..1000).map(|i| edge(if i % 2 == 0 { "a" } else { "b" }, 9)));
        type Seen<'a> = (&'a str, usize, Option<(usize, usize)>);
        let called: Vec<Seen<'_>> = called_functions(&edges)
            .into_iter()
            .map(|(callee, _, c)| (callee, c.calls, c.first))
            .collect();
        assert_eq!(
            called,
            [
                ("c", 1, Some((1, 7))),
                ("b", 502, Some((2, 3))),
                ("a", 500, Some((3, 9))),
            ]
        );
    }
}
