//! `call_graph`: resolve the call sites of every Python file against the
//! function definitions of the whole checkout, by name.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use recon_findings::CallEdge;

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
pub(crate) fn resolve(defs: &[FunctionDef], calls: &[CallSite]) -> Vec<At<CallEdge>> {
    let mut by_name: BTreeMap<&str, Vec<&FunctionDef>> = BTreeMap::new();
    for def in defs {
        by_name.entry(def.name.as_str()).or_default().push(def);
    }
    // Calls resolve independently; rayon keeps their order.
    calls
        .par_iter()
        .flat_map_iter(|call| resolve_call(call, &by_name))
        .collect()
}

/// The edges of one call site.
fn resolve_call(call: &CallSite, by_name: &BTreeMap<&str, Vec<&FunctionDef>>) -> Vec<At<CallEdge>> {
    let edge = |callee: &Arc<str>, callee_file: &Arc<str>, callee_line: usize| {
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
    let chosen: Vec<&FunctionDef> = match &call.callee {
        CalleeRef::Resolved { qualname, line } => return vec![edge(qualname, &call.file, *line)],
        CalleeRef::Bare(name) => {
            let functions: Vec<&FunctionDef> = by_name
                .get(name.as_str())
                .map(|v| v.iter().copied().filter(|d| !d.is_method).collect())
                .unwrap_or_default();
            let local: Vec<&FunctionDef> = functions
                .iter()
                .copied()
                .filter(|d| d.file == call.file)
                .collect();
            if !local.is_empty() {
                local
            } else if functions.len() <= MAX_CANDIDATES {
                functions
            } else {
                Vec::new()
            }
        }
        CalleeRef::Attribute(name) => {
            let defs = by_name
                .get(name.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            if defs.len() > MAX_CANDIDATES {
                Vec::new()
            } else {
                defs.to_vec()
            }
        }
    };
    chosen
        .into_iter()
        .map(|d| edge(&d.qualname, &d.file, d.line))
        .collect()
}
