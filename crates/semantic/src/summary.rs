//! What one module says, syntactically: its scopes, the bindings each scope
//! makes, and its call sites, with the expressions the model evaluates.
//! [`crate::extract`] builds it from tokens; [`crate::model`] reads it.
//! Nothing here refers to another module.

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// A scope's index in [`ModuleSummary::scopes`]; 0 is the module.
pub type ScopeId = u32;

/// The module scope's id.
pub const MODULE_SCOPE: ScopeId = 0;

/// One module, read from its tokens.
#[derive(Debug, Default)]
pub struct ModuleSummary {
    pub scopes: Vec<Scope>,
    pub calls: Vec<CallSite>,
    /// `__all__` when it is a list or tuple of string literals (extended by
    /// `+=` of the same); `None` when the module does not set it.
    pub all: Option<Vec<Box<str>>>,
    /// `__all__` is set by something the model cannot read (a computed
    /// value): the module's public names stand in for it.
    pub all_dynamic: bool,
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
    /// A `def`'s or `class`'s name (empty otherwise).
    pub name: Box<str>,
    /// Names of the enclosing classes and functions and its own, joined by
    /// `.` (`Service.run`, `outer.inner`); a lambda's or comprehension's is
    /// its function's.
    pub qualname: Arc<str>,
    /// The line of the `def` or `class` keyword.
    pub line: usize,
    /// Every binding the scope makes, in source order (a name bound twice
    /// has two entries: the model is flow-insensitive).
    pub bindings: Vec<(Box<str>, Binding)>,
    /// Names declared `global` / `nonlocal` here.
    pub globals: Vec<Box<str>>,
    pub nonlocals: Vec<Box<str>>,
    /// Functions and lambdas: the parameters, in order.
    pub params: Vec<Param>,
    /// Functions: the `-> X` annotation.
    pub return_annotation: Option<Expr>,
    /// Functions: every `return X` value (a bare `return` gives none).
    pub returns: Vec<Expr>,
    /// Functions: the body has `yield` (the call gives a generator).
    pub is_generator: bool,
    /// Functions and classes: decorator expressions.
    pub decorators: Vec<Expr>,
    /// Classes: the base class expressions (keywords left out).
    pub bases: Vec<Expr>,
    /// Functions: assignments to `NAME.attr` in the body, where `NAME` is a
    /// plain name (`self.client = AsyncOpenAI()`).
    pub attribute_assignments: Vec<AttributeAssignment>,
    /// By name: the indexes of its entries in `bindings`.
    pub by_name: FxHashMap<Box<str>, Vec<u32>>,
}

impl Scope {
    pub(crate) fn new(kind: ScopeKind, parent: Option<ScopeId>, name: &str, qualname: Arc<str>, line: usize) -> Self {
        Scope {
            kind,
            parent,
            name: name.into(),
            qualname,
            line,
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
            by_name: FxHashMap::default(),
        }
    }

    /// The bindings of `name` in this scope.
    pub fn bindings_of<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s Binding> + 's {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.bindings[i as usize].1)
    }
}

/// What binds a name.
#[derive(Debug, Clone)]
pub enum Binding {
    /// `import a.b.c as x` binds `x` to `a.b.c`; `import a.b` binds `a` to
    /// `a`.
    Import { module: Box<str> },
    /// `from ..pkg.mod import name [as x]` (`level` 2, `module` `pkg.mod`).
    FromImport {
        level: u32,
        module: Box<str>,
        name: Box<str>,
    },
    /// `from m import *` (bound under the name `*`).
    Star { level: u32, module: Box<str> },
    /// `def` (the function's scope).
    Def(ScopeId),
    /// `class` (the class's scope).
    Class(ScopeId),
    /// An assignment or annotation: `x = v`, `x: T`, `x: T = v`.
    Value {
        value: Option<Expr>,
        annotation: Option<Expr>,
    },
    /// The parameter at this index of the scope's [`Scope::params`].
    Param(u32),
    /// `with E as x`: `x` is what `E` gives.
    WithItem(Expr),
    /// `except E as x`: an instance of `E`.
    Except(Expr),
    /// A target the model does not type (`for` targets, starred and
    /// unpacked targets without a matching value, `:=`...).
    Unknown,
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: Box<str>,
    pub annotation: Option<Expr>,
    pub default: Option<Expr>,
    /// `*args` or `**kwargs`.
    pub starred: bool,
    /// `X(f)` shapes in the default and annotation, for FastAPI's
    /// `Depends(f)`: the callee `X`, the argument `f`, and where `f` is.
    pub dependencies: Vec<Dependency>,
}

/// `X(f, ...)` inside a parameter's default or annotation.
#[derive(Debug, Clone)]
pub struct Dependency {
    pub callee: Expr,
    pub argument: Expr,
    pub line: usize,
    pub column: usize,
}

/// `NAME.attr = value` or `NAME.attr: T = value` in a function body.
#[derive(Debug, Clone)]
pub struct AttributeAssignment {
    pub object: Box<str>,
    pub attr: Box<str>,
    pub value: Option<Expr>,
    pub annotation: Option<Expr>,
}

/// The part of an expression the model evaluates; anything else is
/// [`Expr::Unknown`].
#[derive(Debug, Clone)]
pub enum Expr {
    Name(Box<str>),
    Attribute(Box<Expr>, Box<str>),
    Call(Box<Expr>, Vec<Argument>),
    Subscript(Box<Expr>, Vec<Expr>),
    Await(Box<Expr>),
    /// A plain string literal's text (string annotations).
    Str(Box<str>),
    /// A literal or display of a builtin type.
    Literal(BuiltinType),
    Tuple(Vec<Expr>),
    /// A list display (`[a, b]`); a comprehension's items are not kept.
    List(Vec<Expr>),
    /// `A | B`.
    Union(Vec<Expr>),
    Lambda(ScopeId),
    Unknown,
}

/// A call argument.
#[derive(Debug, Clone)]
pub struct Argument {
    /// `name=value`.
    pub keyword: Option<Box<str>>,
    pub value: Expr,
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
#[derive(Debug, Clone)]
pub struct CallSite {
    /// The scope its names are looked up in.
    pub scope: ScopeId,
    /// The called expression.
    pub func: Expr,
    /// The called name's position (`c` in `a.b.c(x)`): 1-based line, 1-based
    /// byte column.
    pub line: usize,
    pub column: usize,
}
