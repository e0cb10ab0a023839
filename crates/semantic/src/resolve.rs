//! Every call site to its outcome: project callee(s), an external qualified
//! name, a builtin, or unresolved; plus the calls FastAPI makes for a
//! handler's `Depends(f)`.

use std::sync::Arc;

use rayon::prelude::*;

use crate::Program;
use crate::model::{Evaluator, FileId, Value};
use crate::strings::{StringValue, string_values};
use crate::summary::{CallSite, MODULE_SCOPE, ScopeId, ScopeKind};

/// A call that reaches a function or method defined in the checkout.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProjectCall {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    /// The calling function's qualified name, or `<module>`.
    pub caller: Arc<str>,
    pub callee: Arc<str>,
    pub callee_file: Arc<str>,
    pub callee_line: usize,
}

/// A call of something outside the checkout.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalCall {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub caller: Arc<str>,
    /// The qualified name (`asyncio.run`, `httpx.AsyncClient.post`).
    pub callee: Arc<str>,
    /// The texts its arguments may hold, for the calls whose arguments the
    /// model reads (a POST's URL, a command's SQL); empty otherwise.
    pub arguments: Vec<ArgumentTexts>,
    /// The call is in the body of an `async for` of its function.
    pub in_async_loop: bool,
    /// It passes `timeout=` or a `**mapping`.
    pub passes_timeout: bool,
    /// It is an expression statement of its own.
    pub discarded: bool,
}

/// One argument of an external call and the texts it may hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ArgumentTexts {
    /// `name=` of a keyword argument; `None` for a positional one.
    pub keyword: Option<Arc<str>>,
    /// Empty when the model cannot read the argument.
    pub texts: Vec<StringValue>,
}

/// How the call sites resolved; each call counts once, under the first of
/// project, external, builtin that it reaches, else unresolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallCounts {
    pub calls: usize,
    pub project: usize,
    pub external: usize,
    pub builtin: usize,
    pub unresolved: usize,
}

/// What the model says about every call of the program.
#[derive(Debug, Default)]
pub struct Resolution {
    /// In (file, line, column, callee) order.
    pub project: Vec<ProjectCall>,
    pub external: Vec<ExternalCall>,
    pub counts: CallCounts,
    /// Where the unresolved calls are: (file, line, column).
    pub unresolved: Vec<(Arc<str>, usize, usize)>,
}

/// Modules per evaluator. Each run of `CHUNK` modules (in path order) is
/// resolved by an evaluator of its own, so what a chunk computes does not
/// depend on how the chunks are spread over threads; a larger chunk
/// shares more memoised answers, a smaller one balances better.
const CHUNK: usize = 128;

/// Every call of every module, chunks of modules in parallel on the
/// current rayon pool; the same answers at any thread count.
pub(crate) fn resolve(program: &Program) -> Resolution {
    let files: Vec<FileId> = (0..program.modules.len() as FileId).collect();
    let parts: Vec<Resolution> = files
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut ev = Evaluator::new(program);
            let mut out = Resolution::default();
            for &file in chunk {
                resolve_module(program, &mut ev, file, &mut out);
            }
            out
        })
        .collect();
    let mut out = Resolution::default();
    for part in parts {
        out.project.extend(part.project);
        out.external.extend(part.external);
        out.unresolved.extend(part.unresolved);
        let (n, m) = (&mut out.counts, part.counts);
        n.calls += m.calls;
        n.project += m.project;
        n.external += m.external;
        n.builtin += m.builtin;
        n.unresolved += m.unresolved;
    }
    out.project.sort();
    out.project.dedup();
    out.external.sort();
    out.external.dedup();
    out
}

/// The calls of one module, and its handlers' dependencies.
fn resolve_module(program: &Program, ev: &mut Evaluator<'_>, file: FileId, out: &mut Resolution) {
    let module = &program.modules[file as usize];
    let path = &program.paths[file as usize];
    let mut callers: Vec<Option<Arc<str>>> = vec![None; module.scopes.len()];
    for call in &module.calls {
        let (line, column) = (call.line as usize, call.column as usize);
        let caller = caller_name(ev, file, call.scope, &mut callers);
        ev.new_question();
        let values = ev.eval(file, call.scope, call.func);
        let mut reached = Reach::default();
        for v in values {
            reach(ev, v, &mut reached);
        }
        out.counts.calls += 1;
        if !reached.project.is_empty() || reached.project_class {
            out.counts.project += 1;
        } else if !reached.external.is_empty() {
            out.counts.external += 1;
        } else if reached.builtin {
            out.counts.builtin += 1;
        } else {
            out.counts.unresolved += 1;
            out.unresolved.push((Arc::clone(path), line, column));
        }
        for (f, s) in reached.project {
            out.project
                .push(project_call(program, ev, path, line, column, &caller, f, s));
        }
        let arguments = if reached.external.is_empty() {
            Vec::new()
        } else {
            argument_texts(ev, file, call)
        };
        for q in reached.external {
            out.external.push(ExternalCall {
                file: Arc::clone(path),
                line,
                column,
                caller: Arc::clone(&caller),
                callee: q,
                arguments: arguments.clone(),
                in_async_loop: call.in_async_loop,
                passes_timeout: call.passes_timeout,
                discarded: call.discarded,
            });
        }
    }
    // FastAPI calls a handler's dependencies for every request.
    for scope in &module.scopes {
        if scope.kind != ScopeKind::Function {
            continue;
        }
        let outer = scope.parent.unwrap_or(MODULE_SCOPE);
        for p in &scope.params {
            for dep in &p.dependencies {
                ev.new_question();
                if !ev.is_depends(file, outer, dep.callee) {
                    continue;
                }
                let mut reached = Reach::default();
                for v in ev.eval(file, outer, dep.argument) {
                    reach(ev, v, &mut reached);
                }
                let caller = Arc::clone(&scope.qualname);
                for (f, s) in reached.project {
                    out.project.push(project_call(
                        program, ev, path, dep.line, dep.column, &caller, f, s,
                    ));
                }
            }
        }
    }
}

/// The texts of a call's kept arguments (see `ARGUMENTS_READ` in
/// `extract.rs`).
fn argument_texts(ev: &mut Evaluator<'_>, file: FileId, call: &CallSite) -> Vec<ArgumentTexts> {
    let module = ev.module(file);
    module
        .arguments(call.args)
        .iter()
        .map(|a| ArgumentTexts {
            keyword: a.keyword.map(|k| Arc::from(module.name(k))),
            texts: string_values(ev, file, call.scope, a.value),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn project_call(
    program: &Program,
    ev: &Evaluator<'_>,
    path: &Arc<str>,
    line: usize,
    column: usize,
    caller: &Arc<str>,
    f: FileId,
    s: ScopeId,
) -> ProjectCall {
    let callee = ev.scope(f, s);
    ProjectCall {
        file: Arc::clone(path),
        line,
        column,
        caller: Arc::clone(caller),
        callee: Arc::clone(&callee.qualname),
        callee_file: Arc::clone(&program.paths[f as usize]),
        callee_line: callee.line,
    }
}

#[derive(Default)]
struct Reach {
    project: Vec<(FileId, ScopeId)>,
    external: Vec<Arc<str>>,
    builtin: bool,
    /// A project class was called whose `__init__` is not the checkout's.
    project_class: bool,
}

/// What calling `v` runs.
fn reach(ev: &mut Evaluator<'_>, v: Value, out: &mut Reach) {
    let mut project = |f, s| {
        if !out.project.contains(&(f, s)) {
            out.project.push((f, s));
        }
    };
    match v {
        Value::Function(f, s) => project(f, s),
        Value::Class(f, c) => {
            for m in ev.class_member(f, c, "__init__", false) {
                match m {
                    Value::Function(mf, ms) => project(mf, ms),
                    Value::External(q) if !out.external.contains(&q) => out.external.push(q),
                    _ => {}
                }
            }
            out.project_class = true;
        }
        Value::Instance(f, c) => {
            for m in ev.class_member(f, c, "__call__", true) {
                if let Value::Function(mf, ms) = m {
                    project(mf, ms);
                }
            }
        }
        Value::External(q) | Value::ExternalInstance(q) => {
            if !out.external.contains(&q) {
                out.external.push(q);
            }
        }
        Value::Builtin(_) | Value::BuiltinInstance(_) | Value::BuiltinMember => out.builtin = true,
        Value::Module(_) | Value::Super(..) => {}
    }
}

/// The innermost function around `scope`, or `<module>`.
fn caller_name(
    ev: &Evaluator<'_>,
    file: FileId,
    scope: ScopeId,
    cache: &mut [Option<Arc<str>>],
) -> Arc<str> {
    if let Some(c) = &cache[scope as usize] {
        return Arc::clone(c);
    }
    let mut current = scope;
    let name = loop {
        let s = ev.scope(file, current);
        match s.kind {
            ScopeKind::Function => break Arc::clone(&s.qualname),
            ScopeKind::Module => break Arc::from("<module>"),
            _ => match s.parent {
                Some(p) => current = p,
                None => break Arc::from("<module>"),
            },
        }
    };
    cache[scope as usize] = Some(Arc::clone(&name));
    name
}
