//! The served app: what runs when an ASGI server serves the checkout's
//! application objects.
//!
//! - **Applications**: module-level bindings to a `FastAPI(...)` or
//!   `Starlette(...)` instance.
//! - **Served modules**: the applications' modules and every module of the
//!   checkout they import, transitively (any import statement in the
//!   module, at any depth of its code).
//! - **Entry points**, in served modules: functions decorated by an
//!   application's or router's route, WebSocket, middleware, startup /
//!   shutdown or exception-handler decorator; functions passed to
//!   `add_api_route`, `add_event_handler`, `add_exception_handler`,
//!   `add_middleware` (a class: its `dispatch` and `__call__`), the
//!   application's `lifespan=`, `on_startup=` and `on_shutdown=`; and
//!   functions that reached code hands to a background runner
//!   (`add_task`, `add_job`, `run_in_executor`, `Thread(target=)`, an
//!   external call that takes the function, not its result).
//! - **Reached**: the entry points and what they call through the call
//!   graph, plus the module-level code of served modules (it runs on
//!   import), `if __name__ == "__main__":` blocks left out.

pub use recon_findings::EntryKind;

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::Program;
use crate::model::{Evaluator, FileId, Value};
use crate::modules::ModuleRef;
use crate::resolve::ProjectCall;
use crate::summary::{Binding, Expr, ExprId, MODULE_SCOPE, ScopeId, ScopeKind, Span};

/// A `FastAPI()` / `Starlette()` application bound at module level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppObject {
    pub file: Arc<str>,
    /// The line of the call that makes it.
    pub line: usize,
    pub name: Arc<str>,
}

/// A function the server (or a runner the app starts) calls.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryPoint {
    pub file: Arc<str>,
    /// The line of its `def`.
    pub line: usize,
    pub qualname: Arc<str>,
    pub kind: EntryKind,
}

/// A function of a served module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServedFunction {
    pub file: Arc<str>,
    pub line: usize,
    pub end_line: usize,
    pub qualname: Arc<str>,
    /// An entry point reaches it (or it is one).
    pub reached: bool,
}

/// See the module docs. Empty when the checkout has no application.
#[derive(Debug, Clone, Default)]
pub struct ServedApp {
    pub apps: Vec<AppObject>,
    pub entry_points: Vec<EntryPoint>,
    /// Served modules' paths, sorted.
    pub modules: Vec<Arc<str>>,
    /// Every function of the served modules, by (file, line).
    pub functions: Vec<ServedFunction>,
    /// `if __name__ == "__main__":` blocks of served modules: (file, first
    /// line, last line).
    pub main_blocks: Vec<(Arc<str>, usize, usize)>,
}

const APP_CLASSES: &[&str] = &[
    "fastapi.FastAPI",
    "fastapi.applications.FastAPI",
    "starlette.applications.Starlette",
];

const ROUTER_CLASSES: &[&str] = &[
    "fastapi.APIRouter",
    "fastapi.routing.APIRouter",
    "starlette.routing.Router",
];

/// A decorator method of an application or router, and what it makes.
fn decorator_kind(method: &str) -> Option<EntryKind> {
    Some(match method {
        "get" | "post" | "put" | "delete" | "patch" | "options" | "head" | "trace"
        | "api_route" | "route" => EntryKind::Route,
        "websocket" | "websocket_route" => EntryKind::Websocket,
        "middleware" => EntryKind::Middleware,
        "exception_handler" => EntryKind::ExceptionHandler,
        "on_event" => EntryKind::Startup,
        _ => return None,
    })
}

struct Finder<'e, 'p> {
    program: &'p Program,
    ev: &'e mut Evaluator<'p>,
    entries: FxHashSet<(FileId, ScopeId, EntryKind)>,
}

impl Program {
    /// The served app (see the module docs), reached through `calls` (the
    /// project edges of [`Program::resolve`]).
    pub fn served_app(&self, calls: &[ProjectCall]) -> ServedApp {
        let mut ev = Evaluator::new(self);
        let mut finder = Finder {
            program: self,
            ev: &mut ev,
            entries: FxHashSet::default(),
        };
        let apps = finder.apps();
        if apps.is_empty() {
            return ServedApp::default();
        }
        let app_files: Vec<FileId> = apps.iter().map(|(f, _, _, _)| *f).collect();
        let served = self.imported_from(&app_files);
        for &(file, _, _, value) in &apps {
            finder.app_arguments(file, value);
        }
        for &file in &served {
            finder.decorated(file);
            finder.registered(file);
        }
        // Reach, then the functions reached code hands to runners, until
        // nothing new.
        let reached = loop {
            let reached = self.reach(&finder.entries, &served, calls);
            let known = finder.entries.len();
            for &file in &served {
                finder.handed_to_runners(file, MODULE_SCOPE, &served);
            }
            for &(file, scope) in &reached {
                finder.handed_to_runners(file, scope, &served);
            }
            if finder.entries.len() == known {
                break reached;
            }
        };
        let mut out = ServedApp {
            apps: apps
                .iter()
                .map(|&(file, line, name, _)| AppObject {
                    file: Arc::clone(&self.paths[file as usize]),
                    line,
                    name: Arc::from(name),
                })
                .collect(),
            ..ServedApp::default()
        };
        for &(file, scope, kind) in &finder.entries {
            let s = &self.modules[file as usize].scopes[scope as usize];
            out.entry_points.push(EntryPoint {
                file: Arc::clone(&self.paths[file as usize]),
                line: s.line,
                qualname: Arc::clone(&s.qualname),
                kind,
            });
        }
        for &file in &served {
            let path = &self.paths[file as usize];
            out.modules.push(Arc::clone(path));
            let module = &self.modules[file as usize];
            for (id, s) in module.scopes.iter().enumerate() {
                if s.kind == ScopeKind::Function {
                    out.functions.push(ServedFunction {
                        file: Arc::clone(path),
                        line: s.line,
                        end_line: s.end_line,
                        qualname: Arc::clone(&s.qualname),
                        reached: reached.contains(&(file, id as ScopeId)),
                    });
                }
            }
            for &(first, last) in &module.main_blocks {
                out.main_blocks.push((Arc::clone(path), first, last));
            }
        }
        out.apps.sort();
        out.entry_points.sort();
        out.entry_points.dedup();
        out.modules.sort();
        out.functions.sort();
        out.main_blocks.sort();
        out
    }

    /// `files` and every checkout module they import, transitively.
    fn imported_from(&self, files: &[FileId]) -> Vec<FileId> {
        let mut seen: FxHashSet<FileId> = files.iter().copied().collect();
        let mut queue: VecDeque<FileId> = files.iter().copied().collect();
        while let Some(file) = queue.pop_front() {
            for imported in self.imports_of(file) {
                if seen.insert(imported) {
                    queue.push_back(imported);
                }
            }
        }
        let mut out: Vec<FileId> = seen.into_iter().collect();
        out.sort_unstable();
        out
    }

    /// The checkout modules one module's import statements load: each
    /// package on a dotted name's way, and `from m import x`'s submodule
    /// `x` when it is one.
    fn imports_of(&self, file: FileId) -> Vec<FileId> {
        let module = &self.modules[file as usize];
        let mut out = Vec::new();
        let mut add = |m: Option<ModuleRef>| {
            if let Some(ModuleRef::File(f)) = m {
                out.push(f);
            }
        };
        for scope in &module.scopes {
            for (_, binding) in &scope.bindings {
                match *binding {
                    Binding::Import { module: name } => {
                        for package in packages(module.name(name)) {
                            add(self.index.absolute(package));
                        }
                    }
                    Binding::FromImport {
                        level,
                        module: from,
                        name,
                    } => {
                        let from = module.name(from);
                        let base = if level > 0 {
                            self.index.relative(file, level, from)
                        } else {
                            for package in packages(from) {
                                add(self.index.absolute(package));
                            }
                            self.index.absolute(from)
                        };
                        add(base);
                        if let Some(base) = base {
                            add(self.index.submodule(base, module.name(name)));
                        }
                    }
                    Binding::Star {
                        level,
                        module: from,
                    } => {
                        let from = module.name(from);
                        add(if level > 0 {
                            self.index.relative(file, level, from)
                        } else {
                            self.index.absolute(from)
                        });
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The functions the entries reach through `calls`, and the
    /// module-level code of served modules (outside `__main__` blocks).
    fn reach(
        &self,
        entries: &FxHashSet<(FileId, ScopeId, EntryKind)>,
        served: &[FileId],
        calls: &[ProjectCall],
    ) -> FxHashSet<(FileId, ScopeId)> {
        // Functions by (file, qualname); the call graph names callers so.
        let mut by_name: FxHashMap<(&str, &str), Vec<(FileId, ScopeId)>> = FxHashMap::default();
        for (file, module) in self.modules.iter().enumerate() {
            for (id, s) in module.scopes.iter().enumerate() {
                if s.kind == ScopeKind::Function {
                    by_name
                        .entry((&self.paths[file], &s.qualname))
                        .or_default()
                        .push((file as FileId, id as ScopeId));
                }
            }
        }
        let mut callees: FxHashMap<(&str, &str), Vec<&ProjectCall>> = FxHashMap::default();
        for c in calls {
            callees.entry((&c.file, &c.caller)).or_default().push(c);
        }
        let mut reached: FxHashSet<(FileId, ScopeId)> = FxHashSet::default();
        let mut queue: VecDeque<(&str, &str)> = VecDeque::new();
        let mut seen: FxHashSet<(&str, &str)> = FxHashSet::default();
        for &file in served {
            let key = (&*self.paths[file as usize], "<module>");
            seen.insert(key);
            queue.push_back(key);
        }
        for &(file, scope, _) in entries {
            let key = (
                &*self.paths[file as usize],
                &*self.modules[file as usize].scopes[scope as usize].qualname,
            );
            if seen.insert(key) {
                queue.push_back(key);
            }
        }
        while let Some(key) = queue.pop_front() {
            reached.extend(by_name.get(&key).into_iter().flatten().copied());
            for call in callees.get(&key).into_iter().flatten() {
                if key.1 == "<module>" && self.in_main_block(&call.file, call.line) {
                    continue;
                }
                let next = (&*call.callee_file, &*call.callee);
                if seen.insert(next) {
                    queue.push_back(next);
                }
            }
        }
        reached
    }

    fn in_main_block(&self, path: &str, line: usize) -> bool {
        self.file_id(path)
            .is_some_and(|f| self.modules[f as usize].in_main_block(line))
    }
}

impl<'p> Finder<'_, 'p> {
    /// Module-level `name = FastAPI(...)` / `Starlette(...)`: (file, line,
    /// name, the call).
    fn apps(&mut self) -> Vec<(FileId, usize, &'p str, ExprId)> {
        let program = self.program;
        let mut out = Vec::new();
        for (file, module) in program.modules.iter().enumerate() {
            let file = file as FileId;
            for (name, binding) in &module.scopes[MODULE_SCOPE as usize].bindings {
                let Binding::Value {
                    value: Some(value), ..
                } = *binding
                else {
                    continue;
                };
                let Expr::Call(func, _) = *module.expr(value) else {
                    continue;
                };
                self.ev.new_question();
                let is_app = self.ev.eval(file, MODULE_SCOPE, value).iter().any(
                    |v| matches!(v, Value::ExternalInstance(q) if APP_CLASSES.contains(&&**q)),
                );
                if !is_app {
                    continue;
                }
                let line = module
                    .calls
                    .iter()
                    .find(|c| c.func == func && c.scope == MODULE_SCOPE)
                    .map_or(0, |c| c.line as usize);
                out.push((file, line, module.name(*name), value));
            }
        }
        out
    }

    fn add(&mut self, values: Vec<Value>, kind: EntryKind) {
        for v in values {
            match v {
                Value::Function(f, s) => {
                    self.entries.insert((f, s, kind));
                }
                // A middleware class: what the server calls on it.
                Value::Class(f, c) => {
                    for method in ["dispatch", "__call__"] {
                        for m in self.ev.class_member(f, c, method, true) {
                            if let Value::Function(mf, ms) = m {
                                self.entries.insert((mf, ms, kind));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// What a value expression gives (items of a list display each).
    fn values(&mut self, file: FileId, scope: ScopeId, expr: ExprId) -> Vec<Value> {
        let module = self.program.modules[file as usize].expr(expr);
        if let Expr::List(span) | Expr::Tuple(span) = *module {
            let items = self.program.modules[file as usize].items(span).to_vec();
            return items
                .into_iter()
                .flat_map(|i| self.values(file, scope, i))
                .collect();
        }
        self.ev.new_question();
        self.ev.eval(file, scope, expr)
    }

    /// An application's `lifespan=`, `on_startup=`, `on_shutdown=`.
    fn app_arguments(&mut self, file: FileId, app: ExprId) {
        let module = &self.program.modules[file as usize];
        let Expr::Call(_, args) = *module.expr(app) else {
            return;
        };
        for a in module.arguments(args) {
            let kind = match a.keyword.map(|k| module.name(k)) {
                Some("lifespan") => EntryKind::Lifespan,
                Some("on_startup") => EntryKind::Startup,
                Some("on_shutdown") => EntryKind::Shutdown,
                _ => continue,
            };
            let values = self.values(file, MODULE_SCOPE, a.value);
            self.add(values, kind);
        }
    }

    /// Whether `receiver` is an application or router object.
    fn is_router(&mut self, file: FileId, scope: ScopeId, receiver: ExprId) -> bool {
        self.ev.new_question();
        self.ev.eval(file, scope, receiver).iter().any(|v| {
            matches!(v, Value::ExternalInstance(q)
                if APP_CLASSES.contains(&&**q) || ROUTER_CLASSES.contains(&&**q))
        })
    }

    /// Functions under an application's or router's decorators.
    fn decorated(&mut self, file: FileId) {
        let module = &self.program.modules[file as usize];
        for (id, scope) in module.scopes.iter().enumerate() {
            if scope.kind != ScopeKind::Function {
                continue;
            }
            let outer = scope.parent.unwrap_or(MODULE_SCOPE);
            for &decorator in &scope.decorators {
                let (called, args) = match *module.expr(decorator) {
                    Expr::Call(called, args) => (called, Some(args)),
                    _ => (decorator, None),
                };
                let Expr::Attribute(receiver, method) = *module.expr(called) else {
                    continue;
                };
                let Some(mut kind) = decorator_kind(module.name(method)) else {
                    continue;
                };
                if !self.is_router(file, outer, receiver) {
                    continue;
                }
                if kind == EntryKind::Startup && self.first_text(file, args) == Some("shutdown") {
                    kind = EntryKind::Shutdown;
                }
                self.entries.insert((file, id as ScopeId, kind));
            }
        }
    }

    /// The first argument when it is a short string literal.
    fn first_text(&self, file: FileId, args: Option<Span>) -> Option<&str> {
        let module = &self.program.modules[file as usize];
        let first = module.arguments(args?).first()?;
        match *module.expr(first.value) {
            Expr::Str(t) => Some(module.name(t)),
            _ => None,
        }
    }

    /// Functions registered by calls on an application or router.
    fn registered(&mut self, file: FileId) {
        let module = &self.program.modules[file as usize];
        for call in &module.calls {
            let Expr::Attribute(receiver, method) = *module.expr(call.func) else {
                continue;
            };
            let (kind, at) = match module.name(method) {
                "add_api_route" | "add_route" => (EntryKind::Route, 1),
                "add_api_websocket_route" | "add_websocket_route" => (EntryKind::Websocket, 1),
                "add_exception_handler" => (EntryKind::ExceptionHandler, 1),
                "add_middleware" => (EntryKind::Middleware, 0),
                "add_event_handler" => {
                    let kind = match self.first_text(file, Some(call.args)) {
                        Some("shutdown") => EntryKind::Shutdown,
                        _ => EntryKind::Startup,
                    };
                    (kind, 1)
                }
                _ => continue,
            };
            let Some(arg) = module
                .arguments(call.args)
                .iter()
                .filter(|a| a.keyword.is_none())
                .nth(at)
            else {
                continue;
            };
            if !self.is_router(file, call.scope, receiver) {
                continue;
            }
            let values = self.values(file, call.scope, arg.value);
            self.add(values, kind);
        }
    }

    /// Functions that reached code (the function `scope` of `file`, or a
    /// served module's top level) passes to an external runner.
    fn handed_to_runners(&mut self, file: FileId, function: ScopeId, served: &[FileId]) {
        let module = &self.program.modules[file as usize];
        for call in &module.calls {
            if call.args.1 == 0
                || !in_function(module, call.scope, function)
                || (function == MODULE_SCOPE && module.in_main_block(call.line as usize))
            {
                continue;
            }
            let name = match *module.expr(call.func) {
                Expr::Attribute(_, n) | Expr::Name(n) => module.name(n),
                _ => continue,
            };
            if !RUNNERS.contains(&name) {
                continue;
            }
            self.ev.new_question();
            let external = self
                .ev
                .eval(file, call.scope, call.func)
                .iter()
                .any(|v| matches!(v, Value::External(_) | Value::ExternalInstance(_)));
            if !external {
                continue;
            }
            for a in module.arguments(call.args) {
                if a.keyword.is_some_and(|k| module.name(k) != "target") {
                    continue;
                }
                let values = self.values(file, call.scope, a.value);
                let values: Vec<Value> = values
                    .into_iter()
                    .filter(
                        |v| matches!(v, Value::Function(f, _) if served.binary_search(f).is_ok()),
                    )
                    .collect();
                self.add(values, EntryKind::Background);
            }
        }
    }
}

/// The external calls that run a function they are given (the function
/// itself, not its result): `BackgroundTasks.add_task(f)`, a scheduler's
/// `add_job(f)`, `loop.run_in_executor(None, f)`, `Thread(target=f)`.
pub(crate) const RUNNERS: &[&str] = &[
    "add_task",
    "add_job",
    "run_in_executor",
    "to_thread",
    "submit",
    "Thread",
];

/// A dotted name and the packages on its way, outermost first (`a.b.c`:
/// `a`, `a.b`, `a.b.c`): importing it runs each.
fn packages(dotted: &str) -> impl Iterator<Item = &str> {
    dotted
        .match_indices('.')
        .map(|(i, _)| &dotted[..i])
        .chain(std::iter::once(dotted))
}

/// Whether `scope` is `function` or nested in it (lambdas and
/// comprehensions included, nested defs not).
fn in_function(
    module: &crate::summary::ModuleSummary,
    mut scope: ScopeId,
    function: ScopeId,
) -> bool {
    loop {
        if scope == function {
            return true;
        }
        let s = &module.scopes[scope as usize];
        match s.kind {
            ScopeKind::Lambda | ScopeKind::Comprehension | ScopeKind::Class => match s.parent {
                Some(p) => scope = p,
                None => return false,
            },
            _ => return false,
        }
    }
}
