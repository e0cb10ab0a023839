//! Where FastAPI and Starlette serve each route: a router object's own
//! `prefix=`, the `include_router(router, prefix=)` and `mount(path, app)`
//! calls that put it under another, followed up to an application (a
//! FastAPI, Starlette or Flask app; Flask blueprints are not modelled).
//!
//! Routers are objects, so they are told apart by the binding that made
//! them (`admin_router = APIRouter(prefix="/admin")`), reached through
//! imports ([`Evaluator::definitions`]), never by their names. A route's
//! full path is only given when the code shows exactly one way it is
//! served: a router included twice, a prefix that is not a literal, or a
//! router no application includes gives none.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::Program;
use crate::model::{BindingRef, Evaluator, FileId, Value};
use crate::strings::string_values;
use crate::summary::{Binding, Expr, ExprId, ModuleSummary, ScopeId, Span};

/// A route as the structural scan finds it.
#[derive(Debug, Clone, Copy)]
pub struct RouteDecl<'a> {
    /// The module's path, as given to [`Program::new`].
    pub file: &'a str,
    /// The line of the route decorator's `@`.
    pub decorator_line: usize,
    /// The decorated function's name.
    pub handler: &'a str,
    /// The decorator's attribute as written (`get`, `websocket`,
    /// `api_route`).
    pub method: &'a str,
    /// The path the decorator declares (an f-string's template as
    /// written).
    pub path: &'a str,
}

/// What puts one router under another: the parent's binding and the
/// prefix the call adds (`None`: not a literal).
type Mount = (BindingRef, Option<String>);

struct Routers<'e, 'p> {
    ev: &'e mut Evaluator<'p>,
    /// By child router: where it is included or mounted.
    parents: FxHashMap<BindingRef, Vec<Mount>>,
    served: FxHashMap<BindingRef, Vec<Option<String>>>,
}

impl Program {
    /// The full path each route is served at, or `None` where the code
    /// does not show exactly one (see the module docs).
    pub fn route_full_paths(&self, routes: &[RouteDecl<'_>]) -> Vec<Option<String>> {
        let mut ev = Evaluator::new(self);
        let parents = mounts(self, &mut ev);
        let mut routers = Routers {
            ev: &mut ev,
            parents,
            served: FxHashMap::default(),
        };
        routes
            .iter()
            .map(|route| routers.full_path(self, route))
            .collect()
    }

    pub(crate) fn file_id(&self, path: &str) -> Option<FileId> {
        self.paths
            .binary_search_by(|p| (**p).cmp(path))
            .ok()
            .map(|i| i as FileId)
    }
}

/// Every `include_router` and `mount` call of FastAPI or Starlette in the
/// checkout, by the router it puts under another.
fn mounts(program: &Program, ev: &mut Evaluator<'_>) -> FxHashMap<BindingRef, Vec<Mount>> {
    let mut parents: FxHashMap<BindingRef, Vec<Mount>> = FxHashMap::default();
    for (file, module) in program.modules.iter().enumerate() {
        let file = file as FileId;
        for call in &module.calls {
            let Expr::Attribute(receiver, method) = *module.expr(call.func) else {
                continue;
            };
            let method = module.name(method);
            if method != "include_router" && method != "mount" {
                continue;
            }
            ev.new_question();
            let is_framework = ev.eval(file, call.scope, call.func).iter().any(|v| {
                matches!(v, Value::External(q) | Value::ExternalInstance(q)
                    if (q.starts_with("fastapi.") || q.starts_with("starlette."))
                        && q.strip_suffix(method).is_some_and(|q| q.ends_with('.')))
            });
            if !is_framework {
                continue;
            }
            // include_router(router, prefix=""), mount(path, app)
            let (child, prefix) = if method == "include_router" {
                let prefix = match keyword(module, call.args, "prefix") {
                    Some(p) => constant(ev, file, call.scope, p),
                    None => Some(String::new()),
                };
                (argument(module, call.args, 0, "router"), prefix)
            } else {
                let path = argument(module, call.args, 0, "path")
                    .and_then(|p| constant(ev, file, call.scope, p));
                (argument(module, call.args, 1, "app"), path)
            };
            let Some(child) = child else {
                continue;
            };
            let owners = ev.definitions(file, call.scope, receiver);
            for child in ev.definitions(file, call.scope, child) {
                for &owner in &owners {
                    parents
                        .entry(child)
                        .or_default()
                        .push((owner, prefix.clone()));
                }
            }
        }
    }
    parents
}

impl Routers<'_, '_> {
    fn full_path(&mut self, program: &Program, route: &RouteDecl<'_>) -> Option<String> {
        let file = program.file_id(route.file)?;
        let module = &program.modules[file as usize];
        let function = module.decorated_function(route.handler, route.decorator_line)?;
        let outer = function.parent?;
        let mut owners: FxHashSet<BindingRef> = FxHashSet::default();
        for &decorator in &function.decorators {
            let Expr::Call(called, _) = *module.expr(decorator) else {
                continue;
            };
            let Expr::Attribute(receiver, method) = *module.expr(called) else {
                continue;
            };
            if module.name(method) == route.method {
                self.ev.new_question();
                owners.extend(self.ev.definitions(file, outer, receiver));
            }
        }
        let [owner] = owners.into_iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        match self.served(owner, &mut Vec::new())[..] {
            [Some(ref prefix)] => Some(format!("{prefix}{}", route.path)),
            _ => None,
        }
    }

    /// The full prefixes under which `router`'s own routes are served, one
    /// per way it is reached from an application (`None`: a prefix on the
    /// way is not a literal).
    fn served(&mut self, router: BindingRef, path: &mut Vec<BindingRef>) -> Vec<Option<String>> {
        if let Some(known) = self.served.get(&router) {
            return known.clone();
        }
        if path.contains(&router) {
            // Included in itself, through others: not served that way.
            return Vec::new();
        }
        let Some((own, is_app)) = self.router(router) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match self.parents.get(&router).cloned() {
            // An application no one mounts is served at its root.
            None if is_app => out.push(own),
            None => {}
            Some(mounts) => {
                path.push(router);
                for (parent, prefix) in mounts {
                    for above in self.served(parent, path) {
                        out.push(match (above, &prefix, &own) {
                            (Some(a), Some(p), Some(o)) => Some(format!("{a}{p}{o}")),
                            _ => None,
                        });
                    }
                }
                path.pop();
            }
        }
        out.sort();
        out.dedup();
        self.served.insert(router, out.clone());
        out
    }

    /// A router object's own prefix and whether it is an application;
    /// `None` when the binding makes no FastAPI or Starlette router.
    fn router(&mut self, at: BindingRef) -> Option<(Option<String>, bool)> {
        self.ev.new_question();
        let mut kind = None;
        for v in self.ev.binding_at(at) {
            if let Value::ExternalInstance(q) = v {
                match &*q {
                    // A Flask application serves its own routes at their
                    // declared paths (blueprints are not modelled).
                    "fastapi.FastAPI"
                    | "fastapi.applications.FastAPI"
                    | "starlette.applications.Starlette"
                    | "flask.Flask"
                    | "flask.app.Flask" => kind = Some(true),
                    "fastapi.APIRouter"
                    | "fastapi.routing.APIRouter"
                    | "starlette.routing.Router" => kind = kind.or(Some(false)),
                    _ => {}
                }
            }
        }
        let is_app = kind?;
        let (file, scope, index) = at;
        let module = self.ev.module(file);
        let binding = self.ev.scope(file, scope).bindings[index as usize].1;
        let own = match binding {
            Binding::Value {
                value: Some(value), ..
            } => match *module.expr(value) {
                Expr::Call(_, args) => match keyword(module, args, "prefix") {
                    Some(p) => constant(self.ev, file, scope, p),
                    None => Some(String::new()),
                },
                _ => None,
            },
            _ => None,
        };
        // An application's routes have no prefix of its own.
        Some((if is_app { Some(String::new()) } else { own }, is_app))
    }
}

/// The positional argument at `index`, or the keyword `name`.
fn argument(module: &ModuleSummary, args: Span, index: usize, name: &str) -> Option<ExprId> {
    module
        .arguments(args)
        .iter()
        .filter(|a| a.keyword.is_none())
        .nth(index)
        .map(|a| a.value)
        .or_else(|| keyword(module, args, name))
}

/// The keyword argument `name`.
fn keyword(module: &ModuleSummary, args: Span, name: &str) -> Option<ExprId> {
    module
        .arguments(args)
        .iter()
        .find(|a| a.keyword.is_some_and(|k| module.name(k) == name))
        .map(|a| a.value)
}

/// The one text `expr` holds when every part of it is a literal
/// (`API_PREFIX = "/api"`, `API_PREFIX + "/admin"`).
fn constant(ev: &mut Evaluator<'_>, file: FileId, scope: ScopeId, expr: ExprId) -> Option<String> {
    match &string_values(ev, file, scope, expr)[..] {
        [only] if only.exact => Some(only.text.clone()),
        _ => None,
    }
}
