//! What one module says, syntactically: its scopes, the bindings each scope
//! makes, and its call sites, with the expressions the model evaluates.
//! [`crate::extract`] builds it from tokens; [`crate::model`] reads it.
//! Nothing here refers to another module.

use std::sync::Arc;

/// A scope's index in [`ModuleSummary::scopes`]; 0 is the module.
pub type ScopeId = u32;

/// The module scope's id.
pub const MODULE_SCOPE: ScopeId = 0;

/// An interned name's index in [`ModuleSummary::names`].
pub type NameId = u32;

/// An expression's index in [`ModuleSummary::exprs`].
pub type ExprId = u32;

/// A run of items in one of the module's lists: `(start, len)`.
pub type Span = (u32, u32);

/// One module, read from its tokens. Expressions live in one arena per
/// module and names are interned, so a call site or a binding is a few
/// integers (a large checkout has 10^5 of each).
#[derive(Debug, Default)]
pub struct ModuleSummary {
    /// Every identifier, dotted module name and short string literal the
    /// summary refers to, once.
    pub names: Names,
    pub exprs: Vec<Expr>,
    /// Items of tuples, lists, unions and subscripts ([`Span`]s index it).
    pub items: Vec<ExprId>,
    /// Call arguments ([`Expr::Call`]'s span indexes it).
    pub args: Vec<Argument>,
    pub scopes: Vec<Scope>,
    pub calls: Vec<CallSite>,
    /// `__all__` when it is a list or tuple of string literals (extended by
    /// `+=` of the same); `None` when the module does not set it.
    pub all: Option<Vec<NameId>>,
    /// `__all__` is set by something the model cannot read (a computed
    /// value): the module's public names stand in for it.
    pub all_dynamic: bool,
    /// The lines of each module-level `if __name__ == "__main__":` block
    /// (first, last): code that runs only when the file is a script.
    pub main_blocks: Vec<(usize, usize)>,
}

impl ModuleSummary {
    /// Whether `line` is in a `__main__` block.
    pub fn in_main_block(&self, line: usize) -> bool {
        self.main_blocks
            .iter()
            .any(|&(first, last)| first <= line && line <= last)
    }
}

impl ModuleSummary {
    pub fn name(&self, id: NameId) -> &str {
        self.names.get(id)
    }

    /// The id of `name` if the module mentions it.
    pub fn name_id(&self, name: &str) -> Option<NameId> {
        self.names.id(name)
    }

    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id as usize]
    }

    pub fn items(&self, span: Span) -> &[ExprId] {
        &self.items[span.0 as usize..(span.0 + span.1) as usize]
    }

    pub fn arguments(&self, span: Span) -> &[Argument] {
        &self.args[span.0 as usize..(span.0 + span.1) as usize]
    }

    /// The function a decorator on `decorator_line` decorates, when it is
    /// named `name`: the first `def name` at or after that line (only
    /// decorators stand between a decorator and its `def`).
    pub fn decorated_function(&self, name: &str, decorator_line: usize) -> Option<&Scope> {
        let id = self.name_id(name)?;
        self.scopes
            .iter()
            .filter(|s| s.kind == ScopeKind::Function && s.name == Some(id))
            .filter(|s| s.line >= decorator_line)
            .min_by_key(|s| s.line)
    }
}

/// A module's interned names in one buffer (a checkout has 10^6 of them):
/// each name's span in `text`, and the ids in name order for lookups.
#[derive(Debug, Default)]
pub struct Names {
    text: String,
    spans: Vec<(u32, u32)>,
    sorted: Vec<NameId>,
}

impl Names {
    /// Names from their texts, in id order (the extractor interns them).
    pub(crate) fn new(names: Vec<&str>) -> Names {
        let mut text = String::with_capacity(names.iter().map(|n| n.len()).sum());
        let mut spans = Vec::with_capacity(names.len());
        for name in &names {
            spans.push((text.len() as u32, name.len() as u32));
            text.push_str(name);
        }
        let mut sorted: Vec<NameId> = (0..names.len() as NameId).collect();
        sorted.sort_unstable_by_key(|&id| names[id as usize]);
        Names {
            text,
            spans,
            sorted,
        }
    }

    pub fn get(&self, id: NameId) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.text[start as usize..(start + len) as usize]
    }

    pub fn id(&self, name: &str) -> Option<NameId> {
        let at = self
            .sorted
            .binary_search_by(|&id| self.get(id).cmp(name))
            .ok()?;
        Some(self.sorted[at])
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

/// A module, class, function, lambda or comprehension scope.
#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The lexically enclosing scope (`None` for the module).
    pub parent: Option<ScopeId>,
    /// A `def`'s or `class`'s name (`None` otherwise).
    pub name: Option<NameId>,
    /// Names of the enclosing classes and functions and its own, joined by
    /// `.` (`Service.run`, `outer.inner`); a lambda's or comprehension's is
    /// its function's.
    pub qualname: Arc<str>,
    /// The line of the `def` or `class` keyword.
    pub line: usize,
    /// Functions and classes: the last line of the body (0 for other
    /// scopes).
    pub end_line: usize,
    /// Every binding the scope makes, ordered by name, then source order
    /// (a name bound twice has two entries: the model is
    /// flow-insensitive).
    pub bindings: Vec<(NameId, Binding)>,
    /// Names declared `global` / `nonlocal` here.
    pub globals: Vec<NameId>,
    pub nonlocals: Vec<NameId>,
    /// Functions and lambdas: the parameters, in order.
    pub params: Vec<Param>,
    /// Functions: the `-> X` annotation.
    pub return_annotation: Option<ExprId>,
    /// Functions: every `return X` value (a bare `return` gives none).
    pub returns: Vec<ExprId>,
    /// Functions: the body has `yield` (the call gives a generator).
    pub is_generator: bool,
    /// Functions and classes: decorator expressions.
    pub decorators: Vec<ExprId>,
    /// Classes: the base class expressions (keywords left out).
    pub bases: Vec<ExprId>,
    /// Functions: assignments to `NAME.attr` in the body, where `NAME` is a
    /// plain name (`self.client = AsyncOpenAI()`).
    pub attribute_assignments: Vec<AttributeAssignment>,
}

impl Scope {
    pub(crate) fn new(
        kind: ScopeKind,
        parent: Option<ScopeId>,
        name: Option<NameId>,
        qualname: Arc<str>,
        line: usize,
    ) -> Self {
        Scope {
            kind,
            parent,
            name,
            qualname,
            line,
            end_line: 0,
            bindings: Vec::new(),
            globals: Vec::new(),
            nonlocals: Vec::new(),
            params: Vec::new(),
            return_annotation: None,
            returns: Vec::new(),
            is_generator: false,
            decorators: Vec::new(),
            bases: Vec::new(),
            attribute_assignments: Vec::new(),
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.bindings.shrink_to_fit();
        self.globals.shrink_to_fit();
        self.nonlocals.shrink_to_fit();
        self.params.shrink_to_fit();
        self.returns.shrink_to_fit();
        self.decorators.shrink_to_fit();
        self.bases.shrink_to_fit();
        self.attribute_assignments.shrink_to_fit();
    }

    /// The indexes in `bindings` of `name`'s entries.
    pub fn binding_indexes(&self, name: NameId) -> std::ops::Range<u32> {
        let start = self.bindings.partition_point(|(n, _)| *n < name);
        let end = start + self.bindings[start..].partition_point(|(n, _)| *n == name);
        start as u32..end as u32
    }

    pub fn binds(&self, name: NameId) -> bool {
        self.bindings
            .binary_search_by_key(&name, |(n, _)| *n)
            .is_ok()
    }
}

/// What binds a name.
#[derive(Debug, Clone, Copy)]
pub enum Binding {
    /// `import a.b.c as x` binds `x` to `a.b.c`; `import a.b` binds `a` to
    /// `a`.
    Import { module: NameId },
    /// `from ..pkg.mod import name [as x]` (`level` 2, `module` `pkg.mod`).
    FromImport {
        level: u32,
        module: NameId,
        name: NameId,
    },
    /// `from m import *` (bound under the name `*`).
    Star { level: u32, module: NameId },
    /// `def` (the function's scope).
    Def(ScopeId),
    /// `class` (the class's scope).
    Class(ScopeId),
    /// An assignment or annotation: `x = v`, `x: T`, `x: T = v`.
    Value {
        value: Option<ExprId>,
        annotation: Option<ExprId>,
    },
    /// The parameter at this index of the scope's [`Scope::params`].
    Param(u32),
    /// `with E as x`: `x` is what `E` gives.
    WithItem(ExprId),
    /// `except E as x`: an instance of `E`.
    Except(ExprId),
    /// A target the model does not type (`for` targets, starred and
    /// unpacked targets without a matching value, `:=`...).
    Unknown,
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: NameId,
    pub annotation: Option<ExprId>,
    pub default: Option<ExprId>,
    /// `*args` or `**kwargs`.
    pub starred: bool,
    /// `X(f)` shapes in the default and annotation, for FastAPI's
    /// `Depends(f)`: the callee `X`, the argument `f`, and where `f` is.
    pub dependencies: Vec<Dependency>,
}

/// `X(f, ...)` inside a parameter's default or annotation.
#[derive(Debug, Clone, Copy)]
pub struct Dependency {
    pub callee: ExprId,
    pub argument: ExprId,
    pub line: usize,
    pub column: usize,
}

/// `NAME.attr = value` or `NAME.attr: T = value` in a function body.
#[derive(Debug, Clone, Copy)]
pub struct AttributeAssignment {
    pub object: NameId,
    pub attr: NameId,
    pub value: Option<ExprId>,
    pub annotation: Option<ExprId>,
}

/// The part of an expression the model evaluates; anything else is
/// [`Expr::Unknown`].
#[derive(Debug, Clone, Copy)]
pub enum Expr {
    Name(NameId),
    Attribute(ExprId, NameId),
    Call(ExprId, Span),
    Subscript(ExprId, Span),
    Await(ExprId),
    /// A plain string literal's text (string annotations); longer ones
    /// are a [`BuiltinType::Str`] literal.
    Str(NameId),
    /// An f-string's body as written between its quotes, replacement
    /// fields included (`f"{base}/chat"` gives `{base}/chat`); kept when
    /// as short as a kept [`Expr::Str`].
    Template(NameId),
    /// `a + b + ...` of strings, names, attributes, subscripts and calls
    /// (a URL or SQL text put together): the parts.
    Concat(Span),
    /// A dict display whose values are all string literals (a lookup
    /// table of URLs or queries): its values.
    StrDict(Span),
    /// A literal or display of a builtin type.
    Literal(BuiltinType),
    Tuple(Span),
    /// A list display (`[a, b]`); a comprehension's items are not kept.
    List(Span),
    /// `A | B`.
    Union(Span),
    Lambda(ScopeId),
    Unknown,
}

/// A call argument.
#[derive(Debug, Clone, Copy)]
pub struct Argument {
    /// `name=value`.
    pub keyword: Option<NameId>,
    pub value: ExprId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuiltinType {
    List,
    Dict,
    Set,
    Tuple,
    Str,
    Bytes,
    Int,
    Float,
    Complex,
    Bool,
    None,
}

impl BuiltinType {
    pub fn name(self) -> &'static str {
        match self {
            BuiltinType::List => "list",
            BuiltinType::Dict => "dict",
            BuiltinType::Set => "set",
            BuiltinType::Tuple => "tuple",
            BuiltinType::Str => "str",
            BuiltinType::Bytes => "bytes",
            BuiltinType::Int => "int",
            BuiltinType::Float => "float",
            BuiltinType::Complex => "complex",
            BuiltinType::Bool => "bool",
            BuiltinType::None => "NoneType",
        }
    }
}

/// One call: `func(...)`.
#[derive(Debug, Clone, Copy)]
pub struct CallSite {
    /// The scope its names are looked up in.
    pub scope: ScopeId,
    /// The called expression.
    pub func: ExprId,
    /// Its arguments, when the model reads them (see `ARGUMENTS_READ` in
    /// `extract.rs`); empty otherwise.
    pub args: Span,
    /// The called name's position (`c` in `a.b.c(x)`): 1-based line, 1-based
    /// byte column.
    pub line: u32,
    pub column: u32,
    /// The call is in the body of an `async for` loop of its function
    /// (a value sent per item an async iterator gives: streaming).
    pub in_async_loop: bool,
    /// The call passes `timeout=` or a `**mapping` (which may hold it).
    pub passes_timeout: bool,
    /// The call is an expression statement of its own (parentheses
    /// dropped): nothing keeps its value.
    pub discarded: bool,
}
