//! The Python semantic model: what each name refers to, and so what each
//! call reaches.
//!
//! Built once per scan from every module's tokens:
//!
//! 1. [`summarize`] reads one module ([`lexer`] tokens) into a
//!    [`ModuleSummary`]: module, class, function, lambda and comprehension
//!    scopes; the bindings each makes (imports, defs, classes, assignments,
//!    annotations, parameters, `global`/`nonlocal`, `for`/`with`/`except`
//!    targets); every call site with the expression it calls.
//! 2. [`Program::new`] indexes the modules by dotted name (package roots:
//!    the checkout root, `src/`, and directories the checkout's own
//!    absolute imports need).
//! 3. [`Program::resolve`] evaluates each call's callee with Python's
//!    lookup rules, imports followed across the checkout (relative,
//!    aliased, re-exported, `__all__`, star), classes by their C3 MRO, and
//!    types from syntax only: constructor calls, annotations, `self.x`
//!    assignments, return annotations and returns, `await`, FastAPI's
//!    `Depends(f)`. A call reaches project functions, an external
//!    qualified name, a builtin, or nothing the model can show (counted,
//!    never guessed from a name).
//!
//! ```
//! use std::sync::Arc;
//! use recon_semantic::{Program, summarize_source};
//!
//! let svc = "class Store:\n    def save(self):\n        pass\n\nstore = Store()\n";
//! let app = "from svc import store\nimport asyncio\n\ndef handler():\n    store.save()\n    asyncio.run(main())\n";
//! let program = Program::new(vec![
//!     (Arc::from("app.py"), summarize_source(app).unwrap()),
//!     (Arc::from("svc.py"), summarize_source(svc).unwrap()),
//! ]);
//! let calls = program.resolve();
//! let edge = &calls.project[0];
//! assert_eq!((&*edge.caller, &*edge.callee, edge.line), ("handler", "Store.save", 5));
//! assert_eq!(&*calls.external[0].callee, "asyncio.run");
//! // `main` is bound nowhere: unresolved, and counted.
//! assert_eq!(calls.counts.unresolved, 1);
//! ```

mod builtins;
mod extract;
pub mod lexer;
mod model;
mod modules;
mod resolve;
mod routers;
mod served;
mod strings;
pub mod summary;

use std::sync::Arc;

pub use extract::{MAX_NESTING, VECTOR_OPERATORS, has_vector_operator, summarize};
pub use modules::ModuleRef;
pub use resolve::{ArgumentTexts, CallCounts, ExternalCall, ProjectCall, Resolution};
pub use routers::RouteDecl;
pub use served::{AppObject, EntryKind, EntryPoint, ServedApp, ServedFunction};
pub use strings::{StringValue, UNREAD};
pub use summary::ModuleSummary;

/// Start offsets of the lines of a text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and 0-based byte column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let row = self.starts.partition_point(|s| *s <= offset).max(1) - 1;
        let start = self.starts.get(row).copied().unwrap_or(0);
        (row + 1, offset - start)
    }

    /// The 0-based column in characters of the 0-based `byte_column` of
    /// 1-based `line` of `text` (the text this index was made from).
    pub fn char_column(&self, text: &str, line: usize, byte_column: usize) -> usize {
        let start = line
            .checked_sub(1)
            .and_then(|row| self.starts.get(row))
            .copied()
            .unwrap_or(0);
        text.get(start..start + byte_column)
            .map_or(byte_column, |s| s.chars().count())
    }
}

/// Tokenize and summarize one module; `Err` with the reason when it
/// cannot read the source.
pub fn summarize_source(src: &str) -> Result<ModuleSummary, String> {
    let tokens = lexer::tokenize(src).map_err(|d| d.0.to_owned())?;
    summarize(src, &tokens, &LineIndex::new(src))
}

/// The stack of a thread that evaluates (virtual memory: only what the
/// recursion touches is used).
const STACK: usize = 256 << 20;

/// Every module of a checkout.
pub struct Program {
    paths: Vec<Arc<str>>,
    modules: Vec<ModuleSummary>,
    index: modules::ModuleIndex,
}

impl Program {
    /// `modules`: each file's path relative to the checkout root (with `/`)
    /// and its summary, in any order.
    pub fn new(mut modules: Vec<(Arc<str>, ModuleSummary)>) -> Program {
        modules.sort_by(|a, b| a.0.cmp(&b.0));
        let index = {
            let view: Vec<(&str, &ModuleSummary)> =
                modules.iter().map(|(p, m)| (&**p, m)).collect();
            modules::ModuleIndex::new(&view)
        };
        let (paths, modules) = modules.into_iter().unzip();
        Program {
            paths,
            modules,
            index,
        }
    }

    /// The package roots absolute imports are resolved under (`""` is the
    /// checkout root).
    pub fn package_roots(&self) -> &[String] {
        &self.index.roots
    }

    /// Resolve every call: runs of modules in path order, each with an
    /// evaluator of its own, in parallel; the same answers at any thread
    /// count. On a pool of its own whose threads have large stacks
    /// (evaluation recurses along import and attribute chains, bounded by
    /// a depth limit).
    pub fn resolve(&self) -> Resolution {
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("recon-semantic-{i}"))
            .stack_size(STACK)
            .build();
        match pool {
            Ok(pool) => pool.install(|| resolve::resolve(self)),
            // No threads to be had: one, with the same stack.
            Err(_) => std::thread::scope(|s| {
                std::thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(s, || resolve::resolve(self))
                    .ok()
                    .and_then(|h| h.join().ok())
                    .unwrap_or_default()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// What an external call passes and whether its value is kept, read
    /// from the call's own tokens (answers written from the source).
    #[test]
    fn external_calls_say_what_they_pass_and_whether_their_value_is_kept() {
        let src = "\
import asyncio, requests

async def f(opts, xs):
    requests.get(u)
    requests.get(u, timeout=3)
    requests.get(u, **opts)
    requests.get(u, params=dict(timeout=3))
    requests.get(u, x ** 2)
    r = requests.get(u)
    (asyncio.create_task(g()))
    await asyncio.create_task(g())
    asyncio.create_task(g()).add_done_callback(print)
    xs.append(asyncio.create_task(g()))
    asyncio.create_task(g()); asyncio.sleep(0)
";
        let program = Program::new(vec![(Arc::from("m.py"), summarize_source(src).unwrap())]);
        let calls = program.resolve();
        let seen: Vec<(usize, &str, bool, bool)> = calls
            .external
            .iter()
            .map(|c| (c.line, &*c.callee, c.passes_timeout, c.discarded))
            .collect();
        let expected = [
            (4, "requests.get", false, true),
            (5, "requests.get", true, true),
            (6, "requests.get", true, true),
            (7, "requests.get", false, true),
            (8, "requests.get", false, true),
            (9, "requests.get", false, false),
            (10, "asyncio.create_task", false, true),
            (11, "asyncio.create_task", false, false),
            (12, "asyncio.create_task", false, false),
            (12, "asyncio.create_task.add_done_callback", false, true),
            (13, "asyncio.create_task", false, false),
            (14, "asyncio.create_task", false, true),
            (14, "asyncio.sleep", false, true),
        ];
        for item in &expected {
            assert!(seen.contains(item), "{item:?} not in {seen:#?}");
        }
    }
}
