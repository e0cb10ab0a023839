//! `call_graph`: resolve the call sites of every Python file against the
//! function definitions of the whole checkout, by name.

use std::sync::Arc;

use rayon::prelude::*;
use recon_findings::CallEdge;
use rustc_hash::FxHashMap;

use crate::collect::{At, CallSite, CalleeRef, FunctionDef};

/// A name with more definitions than this in the checkout is too ambiguous
/// to resolve from a call site outside their file: the call gives no edge.
/// (Without a bound, `R.get()` over a large codebase links every `get` call
/// to every `get` definition: 3 million edges on the Python stdlib.)
pub(crate) const MAX_CANDIDATES: usize = 8;

/// One edge per call site and candidate definition:
///
/// - `self.x()` / `cls.x()` already resolved to a method of the enclosing
///   class: that method;
/// - `x()`: the functions (not methods) named `x` of the caller's file, or,
///   when it has none, of the whole checkout if there are at most
///   [`MAX_CANDIDATES`];
/// - `R.x()`: every function and method named `x`, if there are at most
///   [`MAX_CANDIDATES`].
///
/// The edges come out in the findings' order: by file, then line, column
/// and edge. Each file's calls are resolved and sorted on their own, in
/// parallel (10^5 edges and more on a large codebase: one global sort was a
/// tenth of a scan's wall time).
///
/// `defs` and `calls` come as the scan gives them, a list per file.
pub(crate) fn resolve(defs: &[Vec<FunctionDef>], calls: &[Vec<CallSite>]) -> Vec<CallEdge> {
    let mut by_name: FxHashMap<&str, Vec<&FunctionDef>> = FxHashMap::default();
    for def in defs.iter().flatten() {
        by_name.entry(def.name.as_str()).or_default().push(def);
    }
    by_file(calls)
        .par_iter()
        .map(|calls| {
            let mut edges: Vec<At<CallEdge>> = calls
                .iter()
                .flat_map(|call| resolve_call(call, &by_name))
                .collect();
            edges.sort_by(|(col_a, a), (col_b, b)| {
                (a.line, col_a).cmp(&(b.line, col_b)).then_with(|| a.cmp(b))
            });
            edges
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .map(|(_, edge)| edge)
        .collect()
}

/// The call sites of each file, files in name order. A scan gives them file
/// by file already; runs of one file are found and ordered all the same.
fn by_file(calls: &[Vec<CallSite>]) -> Vec<Vec<&CallSite>> {
    let mut runs: Vec<&[CallSite]> = calls
        .iter()
        .flat_map(|calls| calls.chunk_by(|a, b| Arc::ptr_eq(&a.file, &b.file) || a.file == b.file))
        .collect();
    runs.sort_by(|a, b| a[0].file.cmp(&b[0].file));
    let mut files: Vec<Vec<&CallSite>> = Vec::new();
    for (k, run) in runs.iter().enumerate() {
        if k > 0 && runs[k - 1][0].file == run[0].file {
            if let Some(last) = files.last_mut() {
                last.extend(run.iter());
            }
        } else {
            files.push(run.iter().collect());
        }
    }
    files
}

/// The edges of one call site.
fn resolve_call<'d>(
    call: &'d CallSite,
    by_name: &'d FxHashMap<&str, Vec<&FunctionDef>>,
) -> impl Iterator<Item = At<CallEdge>> + 'd {
    let edge = move |callee: &Arc<str>, callee_file: &Arc<str>, callee_line: usize| {
        (
            call.column,
            CallEdge {
                file: Arc::clone(&call.file),
                line: call.line,
                caller: Arc::clone(&call.caller),
                callee: Arc::clone(callee),
                callee_file: Arc::clone(callee_file),
                callee_line,
            },
        )
    };
    let same_file = |d: &&FunctionDef| Arc::ptr_eq(&d.file, &call.file) || d.file == call.file;
    let named = |name: &str| by_name.get(name).map(Vec::as_slice).unwrap_or_default();
    let (resolved, chosen): (Option<At<CallEdge>>, Vec<&FunctionDef>) = match &call.callee {
        CalleeRef::Resolved { qualname, line } => {
            (Some(edge(qualname, &call.file, *line)), Vec::new())
        }
        CalleeRef::Bare(name) => {
            let functions = || named(name).iter().copied().filter(|d| !d.is_method);
            let chosen = if functions().any(|d| same_file(&d)) {
                functions().filter(same_file).collect()
            } else if functions().count() <= MAX_CANDIDATES {
                functions().collect()
            } else {
                Vec::new()
            };
            (None, chosen)
        }
        CalleeRef::Attribute(name) => {
            let defs = named(name);
            let chosen = if defs.len() > MAX_CANDIDATES {
                Vec::new()
            } else {
                defs.to_vec()
            };
            (None, chosen)
        }
    };
    resolved.into_iter().chain(
        chosen
            .into_iter()
            .map(move |d| edge(&d.qualname, &d.file, d.line)),
    )
}
