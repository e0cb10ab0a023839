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
pub(crate) fn resolve(defs: &[FunctionDef], calls: &[CallSite]) -> Vec<At<CallEdge>> {
    let mut by_name: FxHashMap<&str, Vec<&FunctionDef>> = FxHashMap::default();
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
