//! The call graph of the findings (`call_graph` items with `caller`,
//! `callee`, `callee_file`, `callee_line`), walked from the entry handlers.

use std::collections::hash_map::Entry as Slot;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use rayon::prelude::*;
use recon_findings::{CallEdge, Findings};
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Input, is_test_file};
use crate::model::Loc;

/// A function of the checkout: its qualified name and the file defining it.
pub type FunctionKey<'f> = (&'f str, &'f str);

/// A call: where it is, and the function it reaches.
#[derive(Debug, Clone, Copy)]
pub struct Edge<'f> {
    pub callee: &'f str,
    pub callee_file: &'f str,
    file: &'f str,
    line: usize,
}

impl<'f> Edge<'f> {
    /// The function called.
    pub fn callee_key(&self) -> FunctionKey<'f> {
        (self.callee, self.callee_file)
    }

    /// Where the call is.
    pub fn at(&self) -> Loc {
        Loc::new(self.file, self.line)
    }
}

/// Calls by calling function, keyed by (qualified name, file). Borrowed
/// from the findings and built once per report: large codebases have 10^5
/// edges and more.
#[derive(Debug, Default)]
pub struct Graph<'f> {
    calls: FxHashMap<FunctionKey<'f>, Vec<Edge<'f>>>,
}

/// An entry handler: a WebSocket handler, a route handler, or another
/// entry point of the served app, in that order.
#[derive(Debug, Clone)]
pub struct Entry {
    pub handler: String,
    /// The handler's qualified name, as callers in `call_graph` are named
    /// (`None`: its module was not read by the semantic model; it has no
    /// edges).
    pub function: Option<String>,
    pub file: String,
    pub at: Loc,
}

impl<'f> Graph<'f> {
    pub fn build(findings: &'f Findings) -> Graph<'f> {
        // A scan gives the edges file by file, and a caller's key holds its
        // file: each file's edges are grouped on their own, in parallel.
        let runs: Vec<&'f [CallEdge]> = findings
            .call_graph
            .chunk_by(|a, b| Arc::ptr_eq(&a.file, &b.file) || a.file == b.file)
            .collect();
        let grouped: Vec<Vec<(&'f str, Callees<'f>)>> =
            runs.par_iter().map(|run| by_caller(run)).collect();
        let mut graph = Graph::default();
        for (caller, callees) in grouped.into_iter().flatten() {
            let file: &'f str = callees.edges[0].file;
            match graph.calls.entry((caller, file)) {
                Slot::Vacant(vacant) => {
                    vacant.insert(callees.edges);
                }
                // The same caller in another run of its file (findings not
                // in file order): its calls follow, deduplicated the same.
                Slot::Occupied(mut occupied) => {
                    let mut known = Callees {
                        edges: std::mem::take(occupied.get_mut()),
                        index: FxHashSet::default(),
                    };
                    for edge in callees.edges {
                        known.add(edge);
                    }
                    *occupied.get_mut() = known.edges;
                }
            }
        }
        graph
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The calls made by `entry`'s function.
    pub fn entry_calls(&self, entry: &Entry) -> Vec<Edge<'f>> {
        match &entry.function {
            Some(function) => self
                .calls
                .get(&(function.as_str(), entry.file.as_str()))
                .cloned()
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// The calls made by the function `key`.
    pub fn calls_of(&self, key: FunctionKey<'f>) -> &[Edge<'f>] {
        self.calls.get(&key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Breadth-first call depth of every function reachable from an entry
    /// handler (1 for a function the handler calls).
    pub fn depths(&self, entries: &[Entry]) -> BTreeMap<FunctionKey<'f>, usize> {
        let mut depth: BTreeMap<FunctionKey<'f>, usize> = BTreeMap::new();
        let mut queue: VecDeque<(FunctionKey<'f>, usize)> = VecDeque::new();
        for entry in entries {
            for e in self.entry_calls(entry) {
                queue.push_back((e.callee_key(), 1));
            }
        }
        while let Some((key, d)) = queue.pop_front() {
            if depth.contains_key(&key) {
                continue;
            }
            depth.insert(key, d);
            for e in self.calls_of(key) {
                queue.push_back((e.callee_key(), d + 1));
            }
        }
        depth
    }
}

/// The calls of each function among the edges of one file, callers in the
/// order of their first call.
fn by_caller(edges: &[CallEdge]) -> Vec<(&str, Callees<'_>)> {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut out: Vec<(&str, Callees<'_>)> = Vec::new();
    for e in edges {
        if e.caller.is_empty() || e.callee.is_empty() {
            continue;
        }
        let k = *index.entry(&e.caller).or_insert_with(|| {
            out.push((&e.caller, Callees::default()));
            out.len() - 1
        });
        out[k].1.add(Edge {
            callee: &e.callee,
            callee_file: &e.callee_file,
            file: &e.file,
            line: e.line,
        });
    }
    out
}

/// The calls of one function, one per callee (the first).
#[derive(Default)]
struct Callees<'f> {
    edges: Vec<Edge<'f>>,
    /// The callees, once there are too many to scan.
    index: FxHashSet<FunctionKey<'f>>,
}

impl<'f> Callees<'f> {
    /// Past this many callees a set answers "seen?" instead of a scan.
    const SCAN: usize = 32;

    fn add(&mut self, edge: Edge<'f>) {
        let key = edge.callee_key();
        if self.edges.len() < Self::SCAN {
            // Names are mostly shared, so the pointers usually answer.
            let same = |x: &str, y: &str| std::ptr::eq(x, y) || x == y;
            if self
                .edges
                .iter()
                .any(|e| same(e.callee, key.0) && same(e.callee_file, key.1))
            {
                return;
            }
        } else {
            if self.index.is_empty() {
                self.index.extend(self.edges.iter().map(Edge::callee_key));
            }
            if !self.index.insert(key) {
                return;
            }
        }
        self.edges.push(edge);
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
        .map(|w| (&w.handler, &w.handler_qualname, &w.file, w.line));
    let routes = input
        .f
        .routes
        .iter()
        .map(|r| (&r.handler, &r.handler_qualname, &r.file, r.line));
    for (handler, function, file, line) in ws.chain(routes) {
        let name = function.as_ref().unwrap_or(handler);
        if is_test_file(file) || !seen.insert((name.clone(), file.clone())) {
            continue;
        }
        out.push(Entry {
            handler: handler.clone(),
            function: function.clone(),
            file: file.clone(),
            at: Loc::new(file, line),
        });
    }
    // The served app's other entry points: middleware, lifespan, startup
    // and shutdown, exception handlers, background work.
    for e in &input.f.served_app.entry_points {
        if is_test_file(&e.file) || !seen.insert((e.qualname.clone(), e.file.clone())) {
            continue;
        }
        let handler = e.qualname.rsplit('.').next().unwrap_or(&e.qualname);
        out.push(Entry {
            handler: handler.to_owned(),
            function: Some(e.qualname.clone()),
            file: e.file.clone(),
            at: Loc::new(&e.file, e.line),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(file: &str, line: usize, caller: &str, callee: &str) -> CallEdge {
        CallEdge {
            file: file.into(),
            line,
            column: 1,
            caller: caller.into(),
            callee: callee.into(),
            callee_file: "lib.py".into(),
            callee_line: 1,
        }
    }

    fn callees<'f>(graph: &Graph<'f>, caller: &'f str, file: &'f str) -> Vec<(&'f str, usize)> {
        graph
            .calls_of((caller, file))
            .iter()
            .map(|e| (e.callee, e.line))
            .collect()
    }

    /// Each caller keeps its first call of each callee, in call order,
    /// whether its file's edges come in one run or several (findings not in
    /// file order).
    #[test]
    fn calls_are_grouped_by_caller_in_order() {
        let findings = Findings {
            call_graph: vec![
                edge("a.py", 1, "f", "x"),
                edge("a.py", 2, "f", "y"),
                edge("b.py", 1, "f", "x"),
                edge("a.py", 3, "f", "x"),
                edge("a.py", 4, "f", "z"),
                edge("a.py", 5, "g", "x"),
                edge("b.py", 2, "f", "x"),
                edge("b.py", 3, "", "x"),
            ],
            ..Findings::default()
        };
        let graph = Graph::build(&findings);
        assert_eq!(callees(&graph, "f", "a.py"), [("x", 1), ("y", 2), ("z", 4)]);
        assert_eq!(callees(&graph, "g", "a.py"), [("x", 5)]);
        assert_eq!(callees(&graph, "f", "b.py"), [("x", 1)]);
        assert!(callees(&graph, "", "b.py").is_empty());
        let entry = |handler: &str, file: &str| Entry {
            handler: handler.to_owned(),
            function: Some(handler.to_owned()),
            file: file.to_owned(),
            at: Loc::new(file, 1),
        };
        let lines: Vec<usize> = graph
            .entry_calls(&entry("f", "a.py"))
            .iter()
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, [1, 2, 4]);
        assert!(graph.entry_calls(&entry("f", "c.py")).is_empty());
        // A handler is found by its qualified name only: `g` is not
        // `X.g`, and a handler the model did not read has no calls.
        assert!(graph.entry_calls(&entry("X.g", "a.py")).is_empty());
        let unread = Entry {
            function: None,
            ..entry("f", "a.py")
        };
        assert!(graph.entry_calls(&unread).is_empty());
    }
}
