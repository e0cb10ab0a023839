//! The call graph of the findings (`call_graph` items with `caller`,
//! `callee`, `callee_file`, `callee_line`), walked from the entry handlers.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{Input, is_test_file};
use crate::model::Loc;

/// A call: where it is, and the function it reaches.
#[derive(Debug, Clone)]
pub struct Edge {
    pub callee: String,
    pub callee_file: String,
    pub at: Loc,
}

/// Calls by calling function, keyed by (qualified name, file).
#[derive(Debug, Default)]
pub struct Graph {
    pub calls: BTreeMap<(String, String), Vec<Edge>>,
}

/// An entry handler: a route or WebSocket handler (WebSockets first).
#[derive(Debug, Clone)]
pub struct Entry {
    pub handler: String,
    pub file: String,
    pub at: Loc,
}

impl Graph {
    pub fn build(input: &Input) -> Graph {
        let mut calls: BTreeMap<(String, String), Vec<Edge>> = BTreeMap::new();
        // One edge per (caller, callee): the first call. A set keeps this
        // linear; call graphs of large codebases have 10^5 edges and more.
        let mut seen: rustc_hash::FxHashSet<(&str, &str, &str, &str)> =
            rustc_hash::FxHashSet::default();
        for e in &input.f.call_graph {
            if e.caller.is_empty() || e.callee.is_empty() {
                continue;
            }
            if !seen.insert((&e.caller, &e.file, &e.callee, &e.callee_file)) {
                continue;
            }
            calls
                .entry((e.caller.clone(), e.file.clone()))
                .or_default()
                .push(Edge {
                    callee: e.callee.clone(),
                    callee_file: e.callee_file.clone(),
                    at: Loc::new(&e.file, e.line),
                });
        }
        Graph { calls }
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The calls made by `entry`'s function: a caller of its file named
    /// like the handler (or `X.handler`).
    pub fn entry_calls(&self, entry: &Entry) -> Vec<&Edge> {
        self.calls
            .iter()
            .filter(|((caller, file), _)| {
                *file == entry.file
                    && (*caller == entry.handler
                        || caller.ends_with(&format!(".{}", entry.handler)))
            })
            .flat_map(|(_, edges)| edges.iter())
            .collect()
    }

    /// The calls made by the function `name` defined in `file`.
    pub fn calls_of(&self, name: &str, file: &str) -> &[Edge] {
        self.calls
            .get(&(name.to_owned(), file.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Breadth-first call depth of every function reachable from an entry
    /// handler (1 for a function the handler calls).
    pub fn depths(&self, entries: &[Entry]) -> BTreeMap<(String, String), usize> {
        let mut depth: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut queue: VecDeque<((String, String), usize)> = VecDeque::new();
        for entry in entries {
            for e in self.entry_calls(entry) {
                queue.push_back(((e.callee.clone(), e.callee_file.clone()), 1));
            }
        }
        while let Some((key, d)) = queue.pop_front() {
            if depth.contains_key(&key) {
                continue;
            }
            depth.insert(key.clone(), d);
            for e in self.calls_of(&key.0, &key.1) {
                queue.push_back(((e.callee.clone(), e.callee_file.clone()), d + 1));
            }
        }
        depth
    }
}

/// The route and WebSocket handlers outside test files, WebSockets first,
/// each handler once.
pub fn entries(input: &Input) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let ws = input
        .f
        .websocket_endpoints
        .iter()
        .map(|w| (&w.handler, &w.file, w.line));
    let routes = input.f.routes.iter().map(|r| (&r.handler, &r.file, r.line));
    for (handler, file, line) in ws.chain(routes) {
        if is_test_file(file) || !seen.insert((handler.clone(), file.clone())) {
            continue;
        }
        out.push(Entry {
            handler: handler.clone(),
            file: file.clone(),
            at: Loc::new(file, line),
        });
    }
    out
}
