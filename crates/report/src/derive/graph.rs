//! The call graph of the findings (`call_graph` items with `caller`,
//! `callee`, `callee_file`, `callee_line`), walked from the entry handlers.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use recon_findings::Findings;
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
    pub calls: BTreeMap<FunctionKey<'f>, Vec<Edge<'f>>>,
}

/// An entry handler: a route or WebSocket handler (WebSockets first).
#[derive(Debug, Clone)]
pub struct Entry {
    pub handler: String,
    pub file: String,
    pub at: Loc,
}

impl<'f> Graph<'f> {
    pub fn build(findings: &'f Findings) -> Graph<'f> {
        // Grouped in a hash map first: an ordered map's string comparisons
        // per edge were most of a large report (10^5 edges, 10^4 callers).
        let mut groups: FxHashMap<FunctionKey<'f>, Callees<'f>> = FxHashMap::default();
        for e in &findings.call_graph {
            if e.caller.is_empty() || e.callee.is_empty() {
                continue;
            }
            groups.entry((&e.caller, &e.file)).or_default().add(Edge {
                callee: &e.callee,
                callee_file: &e.callee_file,
                file: &e.file,
                line: e.line,
            });
        }
        Graph {
            calls: groups.into_iter().map(|(k, c)| (k, c.edges)).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The calls made by `entry`'s function: a caller of its file named
    /// like the handler (or `X.handler`).
    pub fn entry_calls(&self, entry: &Entry) -> Vec<Edge<'f>> {
        let method = format!(".{}", entry.handler);
        self.calls
            .iter()
            .filter(|((caller, file), _)| {
                *file == entry.file && (*caller == entry.handler || caller.ends_with(&method))
            })
            .flat_map(|(_, edges)| edges.iter().copied())
            .collect()
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
