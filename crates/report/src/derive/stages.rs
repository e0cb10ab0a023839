//! Span boundaries: the six logical operations of the skeleton, each with
//! the places the code shows it happens: route handlers, WebSocket
//! endpoints, and the functions that make the calls the API models say
//! perform an operation (`operations`). Names are evidence of nothing.

use recon_findings::{HttpMethod, MessageDirection, Operation, OperationKind, Place, Side};
use rustc_hash::{FxHashMap, FxHashSet};

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
    let mut found: Vec<(&'static str, Evidence)> = Vec::new();

    // HTTP: the route handlers (the middleware chain is in Request Lifecycle).
    let http_routes: Vec<_> = f
        .routes
        .iter()
        .filter(|r| r.method != HttpMethod::Websocket && !is_test_file(&r.file))
        .collect();
    if let Some(first) = http_routes.first() {
        found.push((
            "http",
            Evidence {
                at: Loc::new(&first.file, first.line),
                what: format!(
                    "{} (first: {}); see Entry points",
                    plural(
                        http_routes.len(),
                        "HTTP route handler",
                        "HTTP route handlers"
                    ),
                    code(&first.handler)
                ),
            },
        ));
    }
    // WebSocket: the endpoints and the types their handlers dispatch on.
    for ws in f
        .websocket_endpoints
        .iter()
        .filter(|w| !is_test_file(&w.file))
    {
        found.push((
            "websocket",
            Evidence {
                at: Loc::new(&ws.file, ws.line),
                what: format!(
                    "endpoint {} handled by {}",
                    code(ws.path.as_deref().unwrap_or("(path not a literal)")),
                    code(&ws.handler)
                ),
            },
        ));
    }
    for m in f.websocket_messages.iter().filter(|m| {
        m.side == Side::Backend
            && m.direction == MessageDirection::Handled
            && !is_test_file(&m.file)
    }) {
        found.push((
            "websocket",
            Evidence {
                at: Loc::new(&m.file, m.line),
                what: format!("dispatches message type {}", code(&m.message_type)),
            },
        ));
    }

    let clocks = clock_readers(f);
    let boundaries = boundaries(input, &clocks);
    let (http_timed, websocket_timed) = entries_timed(input, &clocks);
    KEYS.iter()
        .map(|&(key, title)| {
            let mut evidence: Vec<Evidence> = found
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, e)| e.clone())
                .collect();
            let mut outside = Vec::new();
            let mut timed = match key {
                "http" => http_timed,
                "websocket" => websocket_timed,
                _ => false,
            };
            for b in boundaries.iter().filter(|b| b.stage == key) {
                if b.place == Place::Outside {
                    outside.push(b.evidence.clone());
                } else {
                    timed |= b.timed;
                    evidence.push(b.evidence.clone());
                }
            }
            let none = evidence
                .is_empty()
                .then(|| format!("none found (searched: {})", searched_for(key)));
            Stage {
                key: key.to_owned(),
                title: title.to_owned(),
                shown: evidence.iter().take(SHOWN).cloned().collect(),
                more: evidence.len().saturating_sub(SHOWN),
                evidence,
                outside,
                timed,
                none,
            }
        })
        .collect()
}

/// The stage key of an operation kind (HTTP requests and database commands
/// are not stages of the skeleton).
pub fn stage_of_operation(kind: OperationKind) -> Option<&'static str> {
    match kind {
        OperationKind::LlmCall => Some("llm_call"),
        OperationKind::Embedding => Some("embedding"),
        OperationKind::VectorSearch => Some("vector_search"),
        OperationKind::Streaming => Some("streaming"),
        OperationKind::Http | OperationKind::Database => None,
    }
}

/// What a stage is searched for.
fn searched_for(key: &str) -> &'static str {
    match key {
        "http" => "HTTP route handlers",
        "websocket" => "WebSocket endpoints and the message types their handlers dispatch on",
        "embedding" => {
            "`operations` of kind `embedding`: embedding APIs of the API models, POSTs to embedding endpoints"
        }
        "vector_search" => {
            "`operations` of kind `vector_search`: vector database queries of the API models, SQL with a pgvector operator"
        }
        "llm_call" => {
            "`operations` of kind `llm_call`: model APIs of the API models, POSTs to model endpoints or provider hosts"
        }
        _ => {
            "`operations` of kind `streaming`: `StreamingResponse`/`EventSourceResponse`, WebSocket sends in an `async for` body"
        }
    }
}

/// A function that performs an operation of a stage: the span boundary.
struct Boundary {
    stage: &'static str,
    place: Place,
    /// From the entry points: 0 for an entry point, `usize::MAX` when none
    /// reaches it.
    depth: usize,
    timed: bool,
    evidence: Evidence,
}

/// Clocks a duration is measured with.
const CLOCKS: &[&str] = &[
    "time.perf_counter",
    "time.perf_counter_ns",
    "time.monotonic",
    "time.monotonic_ns",
    "time.time",
    "time.time_ns",
];

/// Each function's span-boundary stage, by (qualified name, file): the
/// stage of its operations; of several, the first of LLM call, embedding,
/// vector search, streaming.
pub fn boundary_stages(f: &recon_findings::Findings) -> FxHashMap<(&str, &str), &'static str> {
    const ORDER: [&str; 4] = ["llm_call", "embedding", "vector_search", "streaming"];
    let mut out: FxHashMap<(&str, &str), &'static str> = FxHashMap::default();
    for op in &f.operations {
        let Some(stage) = stage_of_operation(op.kind) else {
            continue;
        };
        let slot = out.entry((&*op.caller, &*op.file)).or_insert(stage);
        let rank = |s: &str| ORDER.iter().position(|k| *k == s);
        if rank(stage) < rank(slot) {
            *slot = stage;
        }
    }
    out
}

/// Every function that makes a call of a stage's operation, once per stage,
/// in the order a reader wants them: served (reached from an entry point,
/// nearest first), then in the app's modules but not reached, then outside
/// the served app; each group by location.
fn boundaries<'f>(input: &Input<'f>, timed: &FxHashSet<(&'f str, &'f str)>) -> Vec<Boundary> {
    let f = input.f;
    let entries = super::graph::entries(input);
    let depths = input.graph.depths(&entries);
    let entry_keys: FxHashSet<(&str, &str)> = entries
        .iter()
        .filter_map(|e| Some((e.function.as_deref()?, e.file.as_str())))
        .collect();
    // Where each function is defined: its `def` line.
    let mut defined: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    for e in &f.call_graph {
        if e.callee_line != 0 {
            defined
                .entry((&e.callee, &e.callee_file))
                .or_insert(e.callee_line);
        }
    }
    for function in &f.served_app.functions {
        defined.insert((&function.qualname, &function.file), function.line);
    }
    // Operations by (stage, function), in findings order.
    type Key<'f> = (&'static str, &'f str, &'f str);
    let mut by_function: Vec<(Key<'_>, Vec<&Operation>)> = Vec::new();
    let mut index: FxHashMap<Key<'_>, usize> = FxHashMap::default();
    for op in &f.operations {
        let Some(stage) = stage_of_operation(op.kind) else {
            continue;
        };
        if is_test_file(&op.file) {
            continue;
        }
        let key = (stage, &*op.caller, &*op.file);
        match index.get(&key) {
            Some(&i) => by_function[i].1.push(op),
            None => {
                index.insert(key, by_function.len());
                by_function.push((key, vec![op]));
            }
        }
    }
    let mut out: Vec<Boundary> = by_function
        .into_iter()
        .map(|((stage, caller, file), ops)| {
            let first = ops[0];
            let line = defined.get(&(caller, file)).copied().unwrap_or(first.line);
            let place = f.served_app.place(file, first.line);
            let depth = if entry_keys.contains(&(caller, file)) {
                0
            } else {
                depths.get(&(caller, file)).copied().unwrap_or(usize::MAX)
            };
            let calls: Vec<String> = ops.iter().map(|op| describe(op)).collect();
            let whose = if caller == "<module>" {
                "module-level code".to_owned()
            } else {
                format!("function {}", code(caller))
            };
            let wherefrom = match (place, depth) {
                (Place::Outside, _) => "outside the served app".to_owned(),
                (Place::NotReached, _) => {
                    "in the app's modules, no entry point reaches it".to_owned()
                }
                (_, 0) => "an entry point".to_owned(),
                (_, usize::MAX) => "not reached from an entry point".to_owned(),
                (_, d) => format!("{} deep from an entry point", plural(d, "call", "calls")),
            };
            Boundary {
                stage,
                place,
                depth,
                timed: timed.contains(&(caller, file)),
                evidence: Evidence {
                    at: Loc::new(file, line),
                    what: format!("{whose} ({wherefrom}; {})", calls.join("; ")),
                },
            }
        })
        .collect();
    let rank = |p: Place| match p {
        Place::Served | Place::Unknown => 0,
        Place::NotReached => 1,
        Place::Outside => 2,
    };
    out.sort_by(|a, b| {
        rank(a.place)
            .cmp(&rank(b.place))
            .then(a.depth.cmp(&b.depth))
            .then(a.evidence.at.cmp(&b.evidence.at))
    });
    out
}

/// One operation's call: `` calls `X` at `file:line`: system `url` ``.
fn describe(op: &Operation) -> String {
    let target = match &op.urls[..] {
        [] => String::new(),
        [url] => format!(" {}", code(url)),
        urls => format!(", one of {} URLs", urls.len()),
    };
    format!(
        "calls {} at {}: {}{target}",
        code(&op.callee),
        at(&Loc::new(&op.file, op.line)),
        op.system
    )
}

/// Whether the HTTP stage is timed (a middleware or route handler reads a
/// clock) and the WebSocket stage (a WebSocket handler, or a function it
/// calls, reads one).
fn entries_timed(input: &Input, clocks: &FxHashSet<(&str, &str)>) -> (bool, bool) {
    use recon_findings::EntryKind;
    let http = input.f.served_app.entry_points.iter().any(|e| {
        matches!(e.kind, EntryKind::Middleware | EntryKind::Route)
            && clocks.contains(&(e.qualname.as_str(), e.file.as_str()))
    });
    let websocket = input.f.websocket_endpoints.iter().any(|w| {
        let Some(handler) = w.handler_qualname.as_deref() else {
            return false;
        };
        let key = (handler, w.file.as_str());
        clocks.contains(&key)
            || input
                .graph
                .calls_of(key)
                .iter()
                .any(|e| clocks.contains(&e.callee_key()))
    });
    (http, websocket)
}

/// The functions that read a clock, by (qualified name, file).
fn clock_readers(f: &recon_findings::Findings) -> FxHashSet<(&str, &str)> {
    f.external_calls
        .iter()
        .filter(|c| CLOCKS.contains(&&*c.callee))
        .map(|c| (&*c.caller, &*c.file))
        .collect()
}

/// The first evidence of a stage, as `` `file:line` (what) ``.
pub fn first_of(stages: &[Stage], key: &str) -> Option<(Loc, String)> {
    let stage = stages.iter().find(|s| s.key == key)?;
    let e = stage.evidence.first()?;
    Some((e.at.clone(), format!("{} ({})", at(&e.at), e.what)))
}
