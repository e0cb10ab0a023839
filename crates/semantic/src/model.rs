//! The evaluator: what a name, an attribute, a call's result or an
//! annotation refers to, across the checkout. Flow-insensitive (a name has
//! the values of all its bindings in its scope), syntactic only (types come
//! from constructors, annotations, `self.x = ...`, returns, imports), and
//! memoised; a cycle or a chain deeper than [`MAX_DEPTH`] gives nothing
//! rather than a guess.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::builtins;
use crate::modules::ModuleRef;
use crate::summary::*;

/// A file's index in the program.
pub type FileId = u32;

/// One binding: its module, scope and index in the scope's bindings.
pub type BindingRef = (FileId, ScopeId, u32);

/// What an expression may be at run time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Module(ModuleRef),
    Function(FileId, ScopeId),
    Class(FileId, ScopeId),
    Instance(FileId, ScopeId),
    /// Something outside the checkout, by qualified name
    /// (`openai.AsyncOpenAI`, `asyncio.run`).
    External(Arc<str>),
    /// What calling an external callable gives (`httpx.AsyncClient()`).
    ExternalInstance(Arc<str>),
    /// A builtin function or class (`print`, `list`).
    Builtin(&'static str),
    /// An instance of a builtin type (`[]`, `""`).
    BuiltinInstance(&'static str),
    /// A member of a builtin or of a builtin's instance (`xs.append`).
    BuiltinMember,
    /// `super()` / `super(C, obj)`: lookups go along the MRO of the first
    /// class, after the second.
    Super(FileId, ScopeId, FileId, ScopeId),
}

pub type Values = Vec<Value>;

/// A class's `self.attr = ...` assignments by attribute name: the method's
/// scope and the assignment's index in its `attribute_assignments`.
type InstanceAttributes = FxHashMap<NameId, Vec<(ScopeId, u32)>>;

/// One step of a class's method resolution order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MroEntry {
    Project(FileId, ScopeId),
    External(Arc<str>),
    Builtin(&'static str),
    /// A base the model cannot read: lookups past it give nothing.
    Unknown,
}

/// Evaluations deeper than this give nothing (import chains, attribute
/// chains, mutual references): bounded stack, bounded time.
pub const MAX_DEPTH: usize = 300;

/// More values than this for one expression is no knowledge at all.
const MAX_VALUES: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Binding(FileId, ScopeId, u32),
    Returns(FileId, ScopeId),
    Attribute(FileId, ScopeId, u32),
    Mro(FileId, ScopeId),
}

pub use crate::Program;

/// The evaluator's state: memo tables and the in-progress stack.
pub(crate) struct Evaluator<'p> {
    pub(crate) program: &'p Program,
    memo: FxHashMap<Key, Values>,
    /// Results a cycle cut short: reused within one top-level question
    /// (so a cycle costs linear time), forgotten after it (so no answer
    /// depends on which question came first).
    partial: FxHashMap<Key, Values>,
    mros: FxHashMap<(FileId, ScopeId), Arc<Vec<MroEntry>>>,
    instance_attrs: FxHashMap<(FileId, ScopeId), Arc<InstanceAttributes>>,
    /// Keys being evaluated, with their depth.
    active: FxHashMap<Key, usize>,
    depth: usize,
    /// The shallowest active key a cycle reached in the current subtree
    /// (`usize::MAX`: none). A result whose subtree reached only itself or
    /// nothing is complete and memoised; others are recomputed.
    low: usize,
}

fn push_unique(out: &mut Values, v: Value) {
    if !out.contains(&v) {
        out.push(v);
    }
}

fn extend_unique(out: &mut Values, vs: Values) {
    for v in vs {
        push_unique(out, v);
    }
}

impl<'p> Evaluator<'p> {
    pub(crate) fn new(program: &'p Program) -> Self {
        Evaluator {
            program,
            memo: FxHashMap::default(),
            partial: FxHashMap::default(),
            mros: FxHashMap::default(),
            instance_attrs: FxHashMap::default(),
            active: FxHashMap::default(),
            depth: 0,
            low: usize::MAX,
        }
    }

    pub(crate) fn scope(&self, file: FileId, scope: ScopeId) -> &'p Scope {
        &self.program.modules[file as usize].scopes[scope as usize]
    }

    /// Memoised evaluation of `key` with cycle and depth cuts.
    fn memoised(&mut self, key: Key, compute: impl FnOnce(&mut Self) -> Values) -> Values {
        if let Some(v) = self.memo.get(&key) {
            return v.clone();
        }
        if let Some(v) = self.partial.get(&key) {
            self.low = 0;
            return v.clone();
        }
        if let Some(&at) = self.active.get(&key) {
            self.low = self.low.min(at);
            return Values::new();
        }
        if self.depth >= MAX_DEPTH {
            self.low = 0;
            return Values::new();
        }
        let depth = self.depth;
        self.active.insert(key, depth);
        self.depth += 1;
        let outer_low = std::mem::replace(&mut self.low, usize::MAX);
        let mut values = compute(self);
        if values.len() > MAX_VALUES {
            values.clear();
        }
        self.depth -= 1;
        self.active.remove(&key);
        let inner_low = self.low;
        if inner_low >= depth {
            self.memo.insert(key, values.clone());
            self.low = outer_low;
        } else {
            self.partial.insert(key, values.clone());
            self.low = outer_low.min(inner_low);
        }
        values
    }

    /// Start a new top-level question: forget the partial results.
    pub(crate) fn new_question(&mut self) {
        if !self.partial.is_empty() {
            self.partial.clear();
        }
    }

    pub(crate) fn module(&self, file: FileId) -> &'p ModuleSummary {
        &self.program.modules[file as usize]
    }

    fn name(&self, file: FileId, name: NameId) -> &'p str {
        self.module(file).name(name)
    }

    // ---- names ----

    /// What `name` refers to in `scope` (Python's lookup: the scope, then
    /// enclosing function scopes, skipping class bodies, then the module,
    /// its star imports and the builtins).
    pub(crate) fn lookup(&mut self, file: FileId, scope: ScopeId, name: NameId) -> Values {
        match self.binding_scope(file, scope, name) {
            Some(MODULE_SCOPE) => self.module_name(file, name),
            Some(s) => self.bound(file, s, name),
            None => Values::new(),
        }
    }

    /// The scope whose bindings `name` refers to from `scope`: the first
    /// that binds it on the way out (class bodies skipped, `global` and
    /// `nonlocal` honoured), else the module (bound there or not).
    fn binding_scope(&self, file: FileId, scope: ScopeId, name: NameId) -> Option<ScopeId> {
        let mut current = scope;
        let mut first = true;
        loop {
            let s = self.scope(file, current);
            if s.kind == ScopeKind::Module || s.globals.contains(&name) {
                return Some(MODULE_SCOPE);
            }
            let declared_outer = s.nonlocals.contains(&name);
            if !declared_outer && (first || s.kind != ScopeKind::Class) && s.binds(name) {
                return Some(current);
            }
            first = false;
            current = s.parent?;
        }
    }

    /// The bindings that define `expr` (a name, or an attribute of a
    /// module), `from` imports followed: where a value was made rather
    /// than what it is (two routers are two objects of one type).
    pub(crate) fn definitions(
        &mut self,
        file: FileId,
        scope: ScopeId,
        expr: ExprId,
    ) -> Vec<BindingRef> {
        let mut out = Vec::new();
        match *self.module(file).expr(expr) {
            Expr::Name(n) => {
                if let Some(s) = self.binding_scope(file, scope, n) {
                    let name = self.name(file, n);
                    self.defined_in(file, s, name, 0, &mut out);
                }
            }
            Expr::Attribute(base, n) => {
                let name = self.name(file, n);
                for v in self.eval(file, scope, base) {
                    if let Value::Module(ModuleRef::File(f)) = v {
                        self.defined_in(f, MODULE_SCOPE, name, 0, &mut out);
                    }
                }
            }
            _ => {}
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn defined_in(
        &mut self,
        file: FileId,
        scope: ScopeId,
        name: &str,
        depth: usize,
        out: &mut Vec<BindingRef>,
    ) {
        let Some(id) = self.module(file).name_id(name) else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        for i in self.scope(file, scope).binding_indexes(id) {
            match self.scope(file, scope).bindings[i as usize].1 {
                Binding::FromImport {
                    level,
                    module,
                    name: imported,
                } => {
                    let (module, imported) = (self.name(file, module), self.name(file, imported));
                    if let Some(Ok(ModuleRef::File(f))) = self.import_base(file, level, module)
                        && f != file
                    {
                        self.defined_in(f, MODULE_SCOPE, imported, depth + 1, out);
                    }
                }
                _ => out.push((file, scope, i)),
            }
        }
    }

    /// The values one binding gives (see [`Self::definitions`]).
    pub(crate) fn binding_at(&mut self, at: BindingRef) -> Values {
        self.binding(at.0, at.1, at.2)
    }

    /// The union of `name`'s bindings in one scope.
    fn bound(&mut self, file: FileId, scope: ScopeId, name: NameId) -> Values {
        let mut out = Values::new();
        for i in self.scope(file, scope).binding_indexes(name) {
            let vs = self.binding(file, scope, i);
            extend_unique(&mut out, vs);
        }
        out
    }

    /// A module-level name: bindings, then star imports, then builtins.
    fn module_name(&mut self, file: FileId, name: NameId) -> Values {
        if self.scope(file, MODULE_SCOPE).binds(name) {
            return self.bound(file, MODULE_SCOPE, name);
        }
        let text = self.name(file, name);
        if let Some(vs) = self.star_imported(file, text) {
            return vs;
        }
        match builtins::lookup(text) {
            Some(b) => vec![Value::Builtin(b)],
            None => Values::new(),
        }
    }

    /// `name` through the module's `from m import *`s, if one exports it.
    fn star_imported(&mut self, file: FileId, name: &str) -> Option<Values> {
        let module = self.module(file);
        let star = module.name_id("*")?;
        let s = self.scope(file, MODULE_SCOPE);
        for i in s.binding_indexes(star) {
            let Binding::Star {
                level,
                module: from,
            } = s.bindings[i as usize].1
            else {
                continue;
            };
            match self.import_base(file, level, module.name(from)) {
                Some(Ok(target)) if self.exports(target, name) => {
                    return Some(self.module_attribute(target, name));
                }
                // A star import from outside the checkout may bind
                // anything; a name not bound here is taken from it only
                // when nothing else (builtins) can be it.
                Some(Err(external)) if builtins::lookup(name).is_none() => {
                    return Some(vec![Value::External(format!("{external}.{name}").into())]);
                }
                _ => {}
            }
        }
        None
    }

    /// Whether `from module import *` binds `name`.
    fn exports(&self, module: ModuleRef, name: &str) -> bool {
        let ModuleRef::File(f) = module else {
            return false;
        };
        let m = self.module(f);
        let Some(id) = m.name_id(name) else {
            return false;
        };
        match &m.all {
            Some(all) if !m.all_dynamic => all.contains(&id),
            _ => !name.starts_with('_') && m.scopes[0].binds(id),
        }
    }

    /// The module an import's `from` part names: `Ok` in the checkout,
    /// `Err(qualified name)` outside it, `None` when a relative import
    /// reaches nothing.
    fn import_base(
        &self,
        file: FileId,
        level: u32,
        module: &str,
    ) -> Option<Result<ModuleRef, String>> {
        let index = &self.program.index;
        if level > 0 {
            return index.relative(file, level, module).map(Ok);
        }
        match index.absolute(module) {
            Some(m) => Some(Ok(m)),
            None => Some(Err(module.to_owned())),
        }
    }

    /// An attribute of a module: its module-level binding, a name its star
    /// imports export, or a submodule.
    pub(crate) fn module_attribute(&mut self, module: ModuleRef, name: &str) -> Values {
        if let ModuleRef::File(f) = module {
            if let Some(id) = self.module(f).name_id(name)
                && self.scope(f, MODULE_SCOPE).binds(id)
            {
                return self.bound(f, MODULE_SCOPE, id);
            }
            if let Some(vs) = self.star_imported(f, name) {
                return vs;
            }
        }
        match self.program.index.submodule(module, name) {
            Some(m) => vec![Value::Module(m)],
            None => Values::new(),
        }
    }

    /// The values of one binding.
    fn binding(&mut self, file: FileId, scope: ScopeId, index: u32) -> Values {
        self.memoised(Key::Binding(file, scope, index), |ev| {
            let b = ev.scope(file, scope).bindings[index as usize].1;
            ev.binding_values(file, scope, b)
        })
    }

    fn binding_values(&mut self, file: FileId, scope: ScopeId, binding: Binding) -> Values {
        match binding {
            Binding::Import { module } => {
                let module = self.name(file, module);
                match self.program.index.absolute(module) {
                    Some(m) => vec![Value::Module(m)],
                    None => vec![Value::External(Arc::from(module))],
                }
            }
            Binding::FromImport {
                level,
                module,
                name,
            } => {
                let (module, name) = (self.name(file, module), self.name(file, name));
                match self.import_base(file, level, module) {
                    // `from . import sub` in `pkg/__init__.py`: the submodule
                    // (the name it binds is this very binding).
                    Some(Ok(m)) if m == ModuleRef::File(file) => {
                        match self.program.index.submodule(m, name) {
                            Some(sub) => vec![Value::Module(sub)],
                            None => Values::new(),
                        }
                    }
                    Some(Ok(m)) => self.module_attribute(m, name),
                    Some(Err(external)) => {
                        vec![Value::External(format!("{external}.{name}").into())]
                    }
                    None => Values::new(),
                }
            }
            Binding::Star { .. } | Binding::Unknown => Values::new(),
            Binding::Def(s) => vec![Value::Function(file, s)],
            Binding::Class(s) => vec![Value::Class(file, s)],
            Binding::Value { value, annotation } => {
                if let Some(a) = annotation {
                    let vs = self.annotation(file, scope, a);
                    if !vs.is_empty() {
                        return vs;
                    }
                }
                match value {
                    Some(v) => self.eval(file, scope, v),
                    None => Values::new(),
                }
            }
            Binding::Param(i) => self.parameter(file, scope, i),
            Binding::WithItem(e) => {
                let mut out = Values::new();
                for v in self.eval(file, scope, e) {
                    let entered = match &v {
                        Value::Instance(f, c) => {
                            let (f, c) = (*f, *c);
                            let mut r = Values::new();
                            for dunder in ["__aenter__", "__enter__"] {
                                for m in self.class_member(f, c, dunder, true) {
                                    if let Value::Function(mf, ms) = m {
                                        extend_unique(&mut r, self.returns(mf, ms));
                                    }
                                }
                                if !r.is_empty() {
                                    break;
                                }
                            }
                            if r.is_empty() { vec![v] } else { r }
                        }
                        _ => vec![v],
                    };
                    extend_unique(&mut out, entered);
                }
                out
            }
            Binding::Except(e) => {
                let classes = match self.module(file).expr(e) {
                    Expr::Tuple(span) => {
                        let items = self.module(file).items(*span);
                        let mut out = Values::new();
                        for &i in items {
                            extend_unique(&mut out, self.eval(file, scope, i));
                        }
                        out
                    }
                    _ => self.eval(file, scope, e),
                };
                classes.into_iter().filter_map(instance_of).collect()
            }
        }
    }

    /// A parameter's values: `self`/`cls` of a method, its annotation, or
    /// what FastAPI's `Depends(f)` in its default gives.
    fn parameter(&mut self, file: FileId, scope: ScopeId, index: u32) -> Values {
        let s = self.scope(file, scope);
        let p = &s.params[index as usize];
        let outer = s.parent.unwrap_or(MODULE_SCOPE);
        if index == 0 && !p.starred && s.kind == ScopeKind::Function {
            let parent = self.scope(file, outer);
            if parent.kind == ScopeKind::Class {
                match self.method_kind(file, scope) {
                    MethodKind::Static => {}
                    MethodKind::Class => return vec![Value::Class(file, outer)],
                    MethodKind::Instance => return vec![Value::Instance(file, outer)],
                }
            }
        }
        if p.starred {
            return Values::new();
        }
        if let Some(a) = p.annotation {
            let vs = self.annotation(file, outer, a);
            if !vs.is_empty() {
                return vs;
            }
        }
        let mut out = Values::new();
        for dep in &p.dependencies {
            if !self.is_depends(file, outer, dep.callee) {
                continue;
            }
            for v in self.eval(file, outer, dep.argument) {
                extend_unique(&mut out, self.dependency_value(v));
            }
        }
        out
    }

    /// Whether `callee` is FastAPI's `Depends` or `Security`.
    pub(crate) fn is_depends(&mut self, file: FileId, scope: ScopeId, callee: ExprId) -> bool {
        self.eval(file, scope, callee).iter().any(|v| {
            matches!(v, Value::External(q) if matches!(&**q,
                "fastapi.Depends" | "fastapi.Security" | "fastapi.params.Depends"
                | "fastapi.params.Security" | "fastapi.param_functions.Depends"
                | "fastapi.param_functions.Security"))
        })
    }

    /// What a dependency gives the handler: a class's instance, a
    /// function's return (a generator's yielded type, from its
    /// `Iterator[T]`-style annotation).
    fn dependency_value(&mut self, v: Value) -> Values {
        match v {
            Value::Class(f, c) => vec![Value::Instance(f, c)],
            Value::Function(f, s) => {
                let scope = self.scope(f, s);
                if scope.is_generator {
                    let outer = scope.parent.unwrap_or(MODULE_SCOPE);
                    let first =
                        scope
                            .return_annotation
                            .and_then(|a| match self.module(f).expr(a) {
                                Expr::Subscript(_, span) => {
                                    self.module(f).items(*span).first().copied()
                                }
                                _ => None,
                            });
                    match first {
                        Some(first) => self.annotation(f, outer, first),
                        None => Values::new(),
                    }
                } else {
                    self.returns(f, s)
                }
            }
            _ => Values::new(),
        }
    }

    pub(crate) fn method_kind(&mut self, file: FileId, function: ScopeId) -> MethodKind {
        let s = self.scope(file, function);
        let outer = s.parent.unwrap_or(MODULE_SCOPE);
        if let Some(name) = s.name
            && matches!(
                self.name(file, name),
                "__new__" | "__init_subclass__" | "__class_getitem__"
            )
        {
            return MethodKind::Class;
        }
        for &d in &s.decorators {
            for v in self.eval(file, outer, d) {
                match v {
                    Value::Builtin("staticmethod") => return MethodKind::Static,
                    Value::Builtin("classmethod") => return MethodKind::Class,
                    _ => {}
                }
            }
        }
        MethodKind::Instance
    }

    // ---- expressions ----

    pub(crate) fn eval(&mut self, file: FileId, scope: ScopeId, expr: ExprId) -> Values {
        if self.depth >= MAX_DEPTH {
            self.low = 0;
            return Values::new();
        }
        self.depth += 1;
        let out = self.eval_inner(file, scope, expr);
        self.depth -= 1;
        out
    }

    fn eval_inner(&mut self, file: FileId, scope: ScopeId, expr: ExprId) -> Values {
        match *self.module(file).expr(expr) {
            Expr::Name(n) => self.lookup(file, scope, n),
            Expr::Attribute(obj, attr) => {
                let attr = self.name(file, attr);
                let mut out = Values::new();
                for v in self.eval(file, scope, obj) {
                    extend_unique(&mut out, self.attribute(v, attr));
                }
                out
            }
            Expr::Call(func, args) => {
                let mut out = Values::new();
                for v in self.eval(file, scope, func) {
                    extend_unique(&mut out, self.call_result(file, scope, v, args));
                }
                out
            }
            Expr::Await(e) => self.eval(file, scope, e),
            Expr::Subscript(base, _) => self
                .eval(file, scope, base)
                .into_iter()
                .filter(|v| matches!(v, Value::Class(..)))
                .collect(),
            Expr::Str(_) | Expr::Template(_) => vec![Value::BuiltinInstance("str")],
            Expr::StrDict(_) => vec![Value::BuiltinInstance("dict")],
            Expr::Literal(t) => vec![Value::BuiltinInstance(t.name())],
            Expr::Tuple(_) => vec![Value::BuiltinInstance("tuple")],
            Expr::List(_) => vec![Value::BuiltinInstance("list")],
            // A concatenation's type is its first part's `__add__`'s: not
            // modelled.
            Expr::Concat(_) | Expr::Union(_) | Expr::Lambda(_) | Expr::Unknown => Values::new(),
        }
    }

    /// What calling `v` gives.
    fn call_result(&mut self, file: FileId, scope: ScopeId, v: Value, args: Span) -> Values {
        match v {
            Value::Function(f, s) => self.returns(f, s),
            Value::Class(f, c) => vec![Value::Instance(f, c)],
            Value::Instance(f, c) => {
                let mut out = Values::new();
                for m in self.class_member(f, c, "__call__", true) {
                    if let Value::Function(mf, ms) = m {
                        extend_unique(&mut out, self.returns(mf, ms));
                    }
                }
                out
            }
            Value::External(q) | Value::ExternalInstance(q) => vec![Value::ExternalInstance(q)],
            Value::Builtin("super") => self.super_of(file, scope, args),
            Value::Builtin(b) => builtins::instance_type(b)
                .map(|t| vec![Value::BuiltinInstance(t)])
                .unwrap_or_default(),
            Value::BuiltinInstance(_)
            | Value::BuiltinMember
            | Value::Module(_)
            | Value::Super(..) => Values::new(),
        }
    }

    /// `super()` / `super(C, self)` in a method.
    fn super_of(&mut self, file: FileId, scope: ScopeId, args: Span) -> Values {
        if let [first, second, ..] = *self.module(file).arguments(args) {
            let after = self.eval(file, scope, first.value);
            let owner = self.eval(file, scope, second.value);
            let mut out = Values::new();
            for a in &after {
                for o in &owner {
                    if let (Value::Class(af, ac), Value::Instance(of, oc) | Value::Class(of, oc)) =
                        (a, o)
                    {
                        push_unique(&mut out, Value::Super(*of, *oc, *af, *ac));
                    }
                }
            }
            return out;
        }
        // The class whose body holds the innermost enclosing def.
        let mut current = scope;
        loop {
            let s = self.scope(file, current);
            let Some(parent) = s.parent else {
                return Values::new();
            };
            if s.kind == ScopeKind::Function && self.scope(file, parent).kind == ScopeKind::Class {
                return vec![Value::Super(file, parent, file, parent)];
            }
            current = parent;
        }
    }

    /// An attribute of a value.
    pub(crate) fn attribute(&mut self, v: Value, name: &str) -> Values {
        match v {
            Value::Module(m) => self.module_attribute(m, name),
            Value::Class(f, c) => self.class_member(f, c, name, false),
            Value::Instance(f, c) => self.class_member(f, c, name, true),
            Value::Super(of, oc, af, ac) => self.super_member(of, oc, af, ac, name),
            Value::External(q) | Value::ExternalInstance(q) => {
                vec![Value::External(format!("{q}.{name}").into())]
            }
            Value::Builtin(_) | Value::BuiltinInstance(_) | Value::BuiltinMember => {
                vec![Value::BuiltinMember]
            }
            Value::Function(..) => Values::new(),
        }
    }

    // ---- classes ----

    /// `name` on a class or its instance, through the MRO: the first class
    /// binding it (instance attributes assigned in its methods count for
    /// instances); an external base answers with its qualified name.
    pub(crate) fn class_member(
        &mut self,
        file: FileId,
        class: ScopeId,
        name: &str,
        instance: bool,
    ) -> Values {
        let mro = self.mro(file, class);
        self.member_from(&mro, 0, name, instance)
    }

    fn super_member(
        &mut self,
        file: FileId,
        class: ScopeId,
        after_file: FileId,
        after: ScopeId,
        name: &str,
    ) -> Values {
        let mro = self.mro(file, class);
        match mro
            .iter()
            .position(|e| *e == MroEntry::Project(after_file, after))
        {
            Some(at) => self.member_from(&mro, at + 1, name, true),
            None => Values::new(),
        }
    }

    fn member_from(&mut self, mro: &[MroEntry], skip: usize, name: &str, instance: bool) -> Values {
        for entry in mro.iter().skip(skip) {
            match entry {
                MroEntry::Project(f, c) => {
                    let (f, c) = (*f, *c);
                    let Some(id) = self.module(f).name_id(name) else {
                        continue;
                    };
                    let mut out = Values::new();
                    let mut found = false;
                    if self.scope(f, c).binds(id) {
                        found = true;
                        for v in self.bound(f, c, id) {
                            match v {
                                Value::Function(mf, ms) if instance && self.is_property(mf, ms) => {
                                    extend_unique(&mut out, self.returns(mf, ms));
                                }
                                v => push_unique(&mut out, v),
                            }
                        }
                    }
                    if instance {
                        let attrs = self.instance_attributes(f, c);
                        if let Some(sites) = attrs.get(&id) {
                            found = true;
                            for &(method, i) in sites {
                                let vs = self.attribute_assignment(f, method, i);
                                extend_unique(&mut out, vs);
                            }
                        }
                    }
                    if found {
                        return out;
                    }
                }
                MroEntry::External(q) => {
                    return vec![Value::External(format!("{q}.{name}").into())];
                }
                MroEntry::Builtin(_) => {
                    if builtins::is_object_member(name) || !name.starts_with("__") {
                        return vec![Value::BuiltinMember];
                    }
                }
                MroEntry::Unknown => return Values::new(),
            }
        }
        if builtins::is_object_member(name) {
            return vec![Value::BuiltinMember];
        }
        Values::new()
    }

    fn is_property(&mut self, file: FileId, function: ScopeId) -> bool {
        let s = self.scope(file, function);
        let outer = s.parent.unwrap_or(MODULE_SCOPE);
        s.decorators.iter().any(|&d| {
            self.eval(file, outer, d).iter().any(|v| match v {
                Value::Builtin("property") => true,
                Value::External(q) => q.ends_with(".cached_property"),
                _ => false,
            })
        })
    }

    /// `self.x = ...` in the class's own methods, by attribute name.
    fn instance_attributes(&mut self, file: FileId, class: ScopeId) -> Arc<InstanceAttributes> {
        if let Some(a) = self.instance_attrs.get(&(file, class)) {
            return Arc::clone(a);
        }
        let module = self.module(file);
        let mut attrs = InstanceAttributes::default();
        for (id, s) in module.scopes.iter().enumerate() {
            if s.parent != Some(class)
                || s.kind != ScopeKind::Function
                || s.attribute_assignments.is_empty()
            {
                continue;
            }
            let Some(receiver) = s.params.first().filter(|p| !p.starred) else {
                continue;
            };
            for (i, a) in s.attribute_assignments.iter().enumerate() {
                if a.object == receiver.name {
                    attrs
                        .entry(a.attr)
                        .or_default()
                        .push((id as ScopeId, i as u32));
                }
            }
        }
        let attrs = Arc::new(attrs);
        self.instance_attrs
            .insert((file, class), Arc::clone(&attrs));
        attrs
    }

    fn attribute_assignment(&mut self, file: FileId, method: ScopeId, index: u32) -> Values {
        self.memoised(Key::Attribute(file, method, index), |ev| {
            let a = ev.scope(file, method).attribute_assignments[index as usize];
            if let Some(ann) = a.annotation {
                let vs = ev.annotation(file, method, ann);
                if !vs.is_empty() {
                    return vs;
                }
            }
            match a.value {
                Some(v) => ev.eval(file, method, v),
                None => Values::new(),
            }
        })
    }

    /// C3 linearization; a class whose bases cannot be linearized (a
    /// cycle, an inconsistent order) gets its bases depth-first.
    pub(crate) fn mro(&mut self, file: FileId, class: ScopeId) -> Arc<Vec<MroEntry>> {
        if let Some(m) = self.mros.get(&(file, class)) {
            return Arc::clone(m);
        }
        let key = Key::Mro(file, class);
        if self.active.contains_key(&key) || self.depth >= MAX_DEPTH {
            // A class that is (through others) its own base.
            self.low = 0;
            return Arc::new(vec![MroEntry::Project(file, class), MroEntry::Unknown]);
        }
        self.active.insert(key, self.depth);
        self.depth += 1;
        let s = self.scope(file, class);
        let outer = s.parent.unwrap_or(MODULE_SCOPE);
        let mut base_mros: Vec<Vec<MroEntry>> = Vec::new();
        let mut bases: Vec<MroEntry> = Vec::new();
        for &b in &s.bases {
            // `Generic[T]`, `Base[int]`: the subscripted class.
            let b = match *self.module(file).expr(b) {
                Expr::Subscript(inner, _) => inner,
                _ => b,
            };
            let values = self.eval(file, outer, b);
            let entry = match values.first() {
                Some(Value::Class(f, c)) => MroEntry::Project(*f, *c),
                Some(Value::External(q)) => {
                    if builtins::is_typing_generic(q) {
                        continue;
                    }
                    MroEntry::External(Arc::clone(q))
                }
                Some(Value::Builtin("object")) => continue,
                Some(Value::Builtin(b)) => MroEntry::Builtin(b),
                _ => MroEntry::Unknown,
            };
            let linear = match &entry {
                MroEntry::Project(f, c) => (*self.mro(*f, *c)).clone(),
                e => vec![e.clone()],
            };
            base_mros.push(linear);
            bases.push(entry);
        }
        base_mros.push(bases.clone());
        let mut result = vec![MroEntry::Project(file, class)];
        match c3_merge(base_mros) {
            Some(rest) => result.extend(rest),
            None => {
                for b in bases {
                    if !result.contains(&b) {
                        result.push(b);
                    }
                }
            }
        }
        self.depth -= 1;
        self.active.remove(&key);
        let result = Arc::new(result);
        self.mros.insert((file, class), Arc::clone(&result));
        result
    }

    // ---- functions ----

    /// What calling a function gives: its return annotation, else the one
    /// known value all its `return`s give (a function without any gives
    /// `None`; a generator, nothing).
    pub(crate) fn returns(&mut self, file: FileId, function: ScopeId) -> Values {
        self.memoised(Key::Returns(file, function), |ev| {
            let s = ev.scope(file, function);
            if s.kind != ScopeKind::Function {
                return Values::new();
            }
            let outer = s.parent.unwrap_or(MODULE_SCOPE);
            if let Some(a) = s.return_annotation {
                return ev.annotation(file, outer, a);
            }
            if s.is_generator {
                return Values::new();
            }
            if s.returns.is_empty() {
                return vec![Value::BuiltinInstance("NoneType")];
            }
            let mut out = Values::new();
            for &r in &s.returns {
                let vs: Values = ev
                    .eval(file, function, r)
                    .into_iter()
                    .filter(|v| *v != Value::BuiltinInstance("NoneType"))
                    .collect();
                let is_none = matches!(ev.module(file).expr(r), Expr::Literal(BuiltinType::None));
                if vs.is_empty() && !is_none {
                    return Values::new();
                }
                extend_unique(&mut out, vs);
            }
            // Inferred from the `return`s: only one known type is an answer.
            if out.len() > 1 {
                out.clear();
            }
            out
        })
    }

    // ---- annotations ----

    /// The instances an annotation describes (`Foo`, `Optional[Foo]`,
    /// `Foo | None`, `"Foo"`, `Annotated[Foo, ...]`, `type[Foo]`).
    pub(crate) fn annotation(&mut self, file: FileId, scope: ScopeId, a: ExprId) -> Values {
        match *self.module(file).expr(a) {
            Expr::Str(text) => {
                let text = self.name(file, text);
                let mut out = Values::new();
                for part in text.split('|') {
                    extend_unique(&mut out, self.string_annotation(file, scope, part.trim()));
                }
                out
            }
            Expr::Name(_) | Expr::Attribute(..) => self
                .eval(file, scope, a)
                .into_iter()
                .filter_map(instance_of)
                .collect(),
            Expr::Union(span) => {
                let mut out = Values::new();
                for &i in self.module(file).items(span) {
                    extend_unique(&mut out, self.annotation(file, scope, i));
                }
                out
            }
            Expr::Subscript(base, span) => {
                let args = self.module(file).items(span);
                let mut out = Values::new();
                for b in self.eval(file, scope, base) {
                    let q = match &b {
                        Value::External(q) => builtins::typing_name(q),
                        Value::Builtin("type") => Some("Type"),
                        _ => None,
                    };
                    match q {
                        Some(
                            "Optional" | "Annotated" | "Final" | "ClassVar" | "Required"
                            | "NotRequired",
                        ) => {
                            if let Some(&first) = args.first() {
                                extend_unique(&mut out, self.annotation(file, scope, first));
                            }
                        }
                        Some("Union") => {
                            for &arg in args {
                                extend_unique(&mut out, self.annotation(file, scope, arg));
                            }
                        }
                        Some("Type") => {
                            if let Some(&first) = args.first() {
                                let classes = self.eval(file, scope, first);
                                extend_unique(&mut out, classes);
                            }
                        }
                        Some(_) => {}
                        None => {
                            if let Some(i) = instance_of(b) {
                                push_unique(&mut out, i);
                            }
                        }
                    }
                }
                out
            }
            _ => Values::new(),
        }
    }

    /// A dotted name written in a string annotation (`"Foo"`,
    /// `"mod.Foo"`, `"Optional[Foo]"`), looked up as the names it spells.
    fn string_annotation(&mut self, file: FileId, scope: ScopeId, text: &str) -> Values {
        let text = text
            .strip_prefix("Optional[")
            .and_then(|t| t.strip_suffix(']'))
            .unwrap_or(text);
        let valid = |p: &str| {
            !p.is_empty()
                && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !p.starts_with(|c: char| c.is_ascii_digit())
        };
        let mut parts = text.split('.');
        let Some(first) = parts.next().filter(|p| valid(p)) else {
            return Values::new();
        };
        // The first name must be one the module mentions to be bound in it.
        let Some(first) = self.module(file).name_id(first) else {
            return match builtins::lookup(first) {
                Some(b) => instance_of(Value::Builtin(b)).into_iter().collect(),
                None => Values::new(),
            };
        };
        let mut values = self.lookup(file, scope, first);
        for p in parts {
            if !valid(p) {
                return Values::new();
            }
            let mut next = Values::new();
            for v in values {
                extend_unique(&mut next, self.attribute(v, p));
            }
            values = next;
        }
        values.into_iter().filter_map(instance_of).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MethodKind {
    Instance,
    Class,
    Static,
}

/// The instance a class value describes (`Foo` -> a `Foo`).
fn instance_of(v: Value) -> Option<Value> {
    match v {
        Value::Class(f, c) => Some(Value::Instance(f, c)),
        Value::External(q) => {
            if builtins::typing_name(&q).is_some() {
                None
            } else {
                Some(Value::ExternalInstance(q))
            }
        }
        Value::Builtin(b) => builtins::instance_type(b).map(Value::BuiltinInstance),
        _ => None,
    }
}

/// C3's merge; `None` when no consistent order exists.
fn c3_merge(mut seqs: Vec<Vec<MroEntry>>) -> Option<Vec<MroEntry>> {
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Some(out);
        }
        let head = seqs.iter().find_map(|s| {
            let h = &s[0];
            (!seqs.iter().any(|t| t[1..].contains(h))).then(|| h.clone())
        })?;
        for s in &mut seqs {
            if s[0] == head {
                s.remove(0);
            }
        }
        out.push(head);
        if out.len() > 10_000 {
            return None;
        }
    }
}
