//! Tokens -> [`ModuleSummary`]: a statement walker over the logical lines
//! (the lexer's NEWLINE / INDENT / DEDENT) and a small expression reader
//! for the shapes the model evaluates (names, attributes, calls,
//! subscripts, `await`, literals, `A | B`); every call anywhere in an
//! expression becomes a [`CallSite`], whatever surrounds it.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::LineIndex;
use crate::lexer::{Kind, NO_PAIR, Token};
use crate::summary::*;

/// Python 3's hard keywords other than the literals `True` `False` `None`
/// and the expression words handled on their own (`await`, `lambda`,
/// `not`, `yield`): never a primary's start.
const STATEMENT_WORDS: &[&str] = &[
    "and", "as", "assert", "async", "break", "class", "continue", "def", "del", "elif", "else",
    "except", "finally", "for", "from", "global", "if", "import", "in", "is", "nonlocal", "or",
    "pass", "raise", "return", "try", "while", "with",
];

/// Brackets and blocks nested deeper than this make a module unreadable
/// (CPython's tokenizer stops at 200 brackets and 100 indents; the reader
/// recurses once per level, on a worker thread's stack).
pub const MAX_NESTING: u32 = 200;

/// Read one module's tokens; `Err` with the reason when the module nests
/// deeper than [`MAX_NESTING`].
pub fn summarize(src: &str, tokens: &[Token], lines: &LineIndex) -> Result<ModuleSummary, String> {
    let mut x = Extractor {
        src,
        toks: tokens,
        lines,
        out: ModuleSummary::default(),
        pending_decorators: Vec::new(),
        conditional: false,
        async_loop: false,
        binding_conditional: vec![Vec::new()],
        depth: 0,
        too_deep: false,
        statement_call: None,
        names: Vec::new(),
        name_ids: FxHashMap::default(),
    };
    x.out.exprs.push(Expr::Unknown);
    x.out.scopes.push(Scope::new(
        ScopeKind::Module,
        None,
        None,
        Arc::from("<module>"),
        0,
    ));
    let mut pos = 0;
    while pos < tokens.len() && !x.too_deep {
        pos = x.block(pos, MODULE_SCOPE);
    }
    if x.too_deep {
        return Err(format!("nested deeper than {MAX_NESTING} levels"));
    }
    for (scope, conditional) in x.out.scopes.iter_mut().zip(&x.binding_conditional) {
        drop_redefined(&mut scope.bindings, conditional);
        // Sorted by name (looked up by binary search), source order kept
        // within a name.
        scope.bindings.sort_by_key(|(name, _)| *name);
        scope.shrink_to_fit();
    }
    let mut out = x.out;
    out.names = Names::new(x.names.iter().map(|n| &**n).collect());
    // A checkout's summaries are held together until resolution.
    out.exprs.shrink_to_fit();
    out.items.shrink_to_fit();
    out.args.shrink_to_fit();
    out.scopes.shrink_to_fit();
    out.calls.shrink_to_fit();
    out.main_blocks.shrink_to_fit();
    Ok(out)
}

struct Extractor<'a> {
    src: &'a str,
    toks: &'a [Token],
    lines: &'a LineIndex,
    out: ModuleSummary,
    pending_decorators: Vec<ExprId>,
    /// The statement being read is inside an `if`/`for`/`try`/... body of
    /// its scope (it may not run, or run more than once).
    conditional: bool,
    /// The statement being read is in the body of an `async for` of its
    /// function.
    async_loop: bool,
    /// Per scope, parallel to its `bindings`: made by a conditional
    /// statement.
    binding_conditional: Vec<Vec<bool>>,
    /// Brackets and blocks open around the token being read.
    depth: u32,
    /// [`MAX_NESTING`] was passed: the reader stops.
    too_deep: bool,
    /// The expression statement being read is a call (parentheses
    /// dropped): where its primary starts and the token of its `)`.
    statement_call: Option<(usize, usize)>,
    /// Interned names by id, and ids by name (the summary keeps them in
    /// one buffer).
    names: Vec<Box<str>>,
    name_ids: FxHashMap<Box<str>, NameId>,
}

/// Python binds the last `def` or `class` of a name: an earlier binding of
/// the name is dead once the scope has run, when the redefinition runs
/// unconditionally and nothing conditional follows it (a redefined method,
/// the implementation after its `@overload` stubs). Calls are made after
/// the module and its classes have run, so they see only the last one.
/// Conditional definitions (`if`/`try` fallbacks) stay a union.
fn drop_redefined(bindings: &mut Vec<(NameId, Binding)>, conditional: &[bool]) {
    let mut last_unconditional: FxHashMap<NameId, usize> = FxHashMap::default();
    for (i, ((name, _), &c)) in bindings.iter().zip(conditional).enumerate() {
        if !c {
            last_unconditional.insert(*name, i);
        }
    }
    let keep: Vec<bool> = bindings
        .iter()
        .enumerate()
        .map(|(i, (name, _))| match last_unconditional.get(name) {
            Some(&last) if i < last => {
                !matches!(bindings[last].1, Binding::Def(_) | Binding::Class(_))
            }
            _ => true,
        })
        .collect();
    let mut keep = keep.into_iter();
    bindings.retain(|_| keep.next().unwrap_or(true));
}

/// The arena's `Unknown` (pushed first).
const UNKNOWN: ExprId = 0;

impl<'a> Extractor<'a> {
    fn intern(&mut self, name: &str) -> NameId {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as NameId;
        self.names.push(name.into());
        self.name_ids.insert(name.into(), id);
        id
    }

    fn name(&self, id: NameId) -> &str {
        &self.names[id as usize]
    }

    fn push(&mut self, e: Expr) -> ExprId {
        if matches!(e, Expr::Unknown) {
            return UNKNOWN;
        }
        self.out.exprs.push(e);
        (self.out.exprs.len() - 1) as ExprId
    }

    fn span_of(&mut self, items: Vec<ExprId>) -> Span {
        let start = self.out.items.len() as u32;
        let len = items.len() as u32;
        self.out.items.extend(items);
        (start, len)
    }

    fn node(&self, e: ExprId) -> Expr {
        self.out.exprs[e as usize]
    }

    /// `["a", "b"]` / `("a",)` as names.
    fn string_list(&self, value: ExprId) -> Option<Vec<NameId>> {
        self.elements(value)?
            .into_iter()
            .map(|i| match self.node(i) {
                Expr::Str(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    /// A tuple's or list's items.
    fn elements(&self, e: ExprId) -> Option<Vec<ExprId>> {
        match self.node(e) {
            Expr::Tuple(span) | Expr::List(span) => Some(self.out.items(span).to_vec()),
            _ => None,
        }
    }

    fn name_token(&mut self, i: usize) -> NameId {
        let text = self.text(i);
        self.intern(text)
    }

    fn text(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.src[t.start..t.end]
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_op(&self, i: usize, op: &str) -> bool {
        self.kind(i) == Some(Kind::Op) && self.text(i) == op
    }

    fn is_word(&self, i: usize, word: &str) -> bool {
        self.kind(i) == Some(Kind::Name) && self.text(i) == word
    }

    /// Past a bracket (its partner + 1), or the next token.
    fn skip(&self, i: usize) -> usize {
        let t = &self.toks[i];
        if t.pair != NO_PAIR && t.pair > i && matches!(t.kind, Kind::Op | Kind::FStart) {
            t.pair + 1
        } else {
            i + 1
        }
    }

    fn position(&self, i: usize) -> (usize, usize) {
        let (line, column) = self.lines.position(self.toks[i].start);
        (line, column + 1)
    }

    /// Top-level indexes in `[s, e)` of tokens satisfying `f`.
    fn top_level(&self, s: usize, e: usize, f: impl Fn(&Self, usize) -> bool) -> Vec<usize> {
        let mut found = Vec::new();
        let mut i = s;
        while i < e {
            if f(self, i) {
                found.push(i);
            }
            i = self.skip(i).min(e.max(i + 1));
        }
        found
    }

    /// Whether the arguments in `[s, e)` pass `timeout=` or a `**mapping`.
    fn passes_timeout(&self, s: usize, e: usize) -> bool {
        let after_separator = |x: &Self, i: usize| i == s || x.is_op(i - 1, ",");
        !self
            .top_level(s, e, |x, i| {
                after_separator(x, i)
                    && (x.is_op(i, "**") || (x.is_word(i, "timeout") && x.is_op(i + 1, "=")))
            })
            .is_empty()
    }

    /// `[s, e)` split at top-level commas (empty parts dropped).
    fn split_commas(&self, s: usize, e: usize) -> Vec<(usize, usize)> {
        let mut parts = Vec::new();
        let mut start = s;
        for c in self.top_level(s, e, |x, i| x.is_op(i, ",")) {
            if c > start {
                parts.push((start, c));
            }
            start = c + 1;
        }
        if e > start {
            parts.push((start, e));
        }
        parts
    }

    fn bind(&mut self, scope: ScopeId, name: &str, binding: Binding) {
        let id = self.intern(name);
        self.out.scopes[scope as usize].bindings.push((id, binding));
        self.binding_conditional[scope as usize].push(self.conditional);
    }

    fn new_scope(&mut self, kind: ScopeKind, parent: ScopeId, name: &str, line: usize) -> ScopeId {
        let name_id = (!name.is_empty()).then(|| self.intern(name));
        let p = &self.out.scopes[parent as usize];
        let qualname: Arc<str> = match kind {
            ScopeKind::Lambda | ScopeKind::Comprehension => Arc::clone(&p.qualname),
            _ if p.kind == ScopeKind::Module => Arc::from(name),
            _ => {
                // Lambdas and comprehensions are transparent in names.
                let mut up = Some(parent);
                let mut base = None;
                while let Some(u) = up {
                    let s = &self.out.scopes[u as usize];
                    match s.kind {
                        ScopeKind::Lambda | ScopeKind::Comprehension => up = s.parent,
                        ScopeKind::Module => break,
                        _ => {
                            base = Some(Arc::clone(&s.qualname));
                            break;
                        }
                    }
                }
                match base {
                    Some(b) => Arc::from(format!("{b}.{name}")),
                    None => Arc::from(name),
                }
            }
        };
        self.out
            .scopes
            .push(Scope::new(kind, Some(parent), name_id, qualname, line));
        self.binding_conditional.push(Vec::new());
        (self.out.scopes.len() - 1) as ScopeId
    }

    /// The innermost function scope around `scope` (for `yield`).
    fn function_of(&self, mut scope: ScopeId) -> Option<ScopeId> {
        loop {
            let s = &self.out.scopes[scope as usize];
            match s.kind {
                ScopeKind::Function => return Some(scope),
                ScopeKind::Lambda | ScopeKind::Comprehension => scope = s.parent?,
                _ => return None,
            }
        }
    }

    // ---- statements ----

    /// Statements from `pos` to the DEDENT closing the block (consumed) or
    /// the end; returns the position after.
    fn block(&mut self, pos: usize, scope: ScopeId) -> usize {
        if !self.enter() {
            return self.toks.len();
        }
        let end = self.block_inner(pos, scope);
        self.depth -= 1;
        end
    }

    /// One more level of nesting; `false` (and reading stops) past
    /// [`MAX_NESTING`].
    fn enter(&mut self) -> bool {
        if self.too_deep || self.depth >= MAX_NESTING {
            self.too_deep = true;
            return false;
        }
        self.depth += 1;
        true
    }

    /// Read what nothing keeps the value of (an expression statement, a
    /// condition, an iterable): its calls are recorded; when it records
    /// none and opens no scope, the expressions it pushed are dropped
    /// again. Most expressions of a module are such, and a checkout's
    /// summaries are held together.
    fn discard(&mut self, read: impl FnOnce(&mut Self)) {
        let out = &self.out;
        let (exprs, items, args) = (out.exprs.len(), out.items.len(), out.args.len());
        let (calls, scopes) = (out.calls.len(), out.scopes.len());
        read(self);
        let out = &mut self.out;
        if out.calls.len() == calls && out.scopes.len() == scopes {
            out.exprs.truncate(exprs);
            out.items.truncate(items);
            out.args.truncate(args);
        }
    }

    /// [`Self::expr`] for a value nothing keeps.
    fn discarded_expr(&mut self, s: usize, e: usize, scope: ScopeId) {
        self.discard(|x| {
            x.expr(s, e, scope);
        });
    }

    fn block_inner(&mut self, mut pos: usize, scope: ScopeId) -> usize {
        while let Some(kind) = self.kind(pos) {
            match kind {
                Kind::Dedent => return pos + 1,
                Kind::Indent => pos = self.block(pos + 1, scope),
                Kind::Newline => pos += 1,
                _ => pos = self.statement(pos, scope),
            }
        }
        pos
    }

    /// The NEWLINE ending the logical line that starts at `pos`.
    fn line_end(&self, pos: usize) -> usize {
        let mut i = pos;
        while i < self.toks.len() && self.toks[i].kind != Kind::Newline {
            i = self.skip(i);
        }
        i.min(self.toks.len())
    }

    /// The header's `:` in `[s, e)`: the first top-level one that no
    /// `lambda` claims.
    fn header_colon(&self, s: usize, e: usize) -> Option<usize> {
        let mut lambdas = 0;
        let mut i = s;
        while i < e {
            if self.is_word(i, "lambda") {
                lambdas += 1;
            } else if self.is_op(i, ":") {
                if lambdas == 0 {
                    return Some(i);
                }
                lambdas -= 1;
            }
            i = self.skip(i);
        }
        None
    }

    /// One logical line (and the block it opens); returns the position
    /// after.
    fn statement(&mut self, pos: usize, scope: ScopeId) -> usize {
        let end = self.line_end(pos);
        let mut s = pos;
        if self.is_op(s, "@") {
            let decorator = self.expr(s + 1, end, scope);
            // Applying a decorator calls it with the function: at its
            // name when it is one (`@log_calls`), else at the `@`.
            let at = match self.node(decorator) {
                Expr::Name(_) | Expr::Attribute(..) => end - 1,
                _ => s,
            };
            let (line, column) = self.position(at);
            self.out.calls.push(CallSite {
                scope,
                func: decorator,
                args: (0, 0),
                line: line as u32,
                column: column as u32,
                in_async_loop: self.async_loop,
                passes_timeout: false,
                discarded: false,
            });
            self.pending_decorators.push(decorator);
            return end + 1;
        }
        let is_async = self.is_word(s, "async");
        if is_async {
            s += 1;
        }
        let first = if self.kind(s) == Some(Kind::Name) {
            self.text(s)
        } else {
            ""
        };
        let compound = match first {
            "def" | "class" | "if" | "elif" | "else" | "while" | "for" | "try" | "except"
            | "finally" | "with" => true,
            "match" | "case" => {
                self.header_colon(s, end).is_some_and(|c| c + 1 == end)
                    && self.kind(end + 1) == Some(Kind::Indent)
            }
            _ => false,
        };
        if !compound {
            self.pending_decorators.clear();
            self.simple_statements(s, end, scope);
            return end + 1;
        }
        let (colon, body_scope) = match first {
            "def" => match self.def(s, end, scope) {
                Some(x) => x,
                None => return end + 1,
            },
            "class" => match self.class(s, end, scope) {
                Some(x) => x,
                None => return end + 1,
            },
            _ => {
                self.pending_decorators.clear();
                let Some(colon) = self.header_colon(s, end) else {
                    self.scan(s + 1, end, scope);
                    return end + 1;
                };
                self.header(first, s + 1, colon, scope);
                (colon, scope)
            }
        };
        // A def's or class's body runs as a whole in its own scope; any
        // other compound's body may not run (or run more than once).
        let outer = std::mem::replace(&mut self.conditional, !matches!(first, "def" | "class"));
        // A def's body is not in the loop around the def; an `async for`'s
        // is in its loop.
        let in_loop = match first {
            "def" | "class" => false,
            "for" if is_async => true,
            _ => self.async_loop,
        };
        let outer_loop = std::mem::replace(&mut self.async_loop, in_loop);
        let mut next = end + 1;
        if colon + 1 < end {
            // `if x: y()` — the body on the header's line.
            self.simple_statements(colon + 1, end, body_scope);
        } else if self.kind(next) == Some(Kind::Indent) {
            next = self.block(next + 1, body_scope);
        }
        self.conditional = outer;
        self.async_loop = outer_loop;
        if first == "if" && scope == MODULE_SCOPE && self.is_main_test(s + 1, colon) {
            let (line, _) = self.position(s);
            let end_line = self.last_line(colon, next);
            self.out.main_blocks.push((line, end_line));
        }
        if matches!(first, "def" | "class") {
            let end_line = self.last_line(colon, next);
            self.out.scopes[body_scope as usize].end_line = end_line;
        }
        next
    }

    /// Whether `[s, e)` is `__name__ == "__main__"` (either way round).
    fn is_main_test(&self, s: usize, e: usize) -> bool {
        if e != s + 3 || !self.is_op(s + 1, "==") {
            return false;
        }
        let is_main = |i: usize| {
            self.kind(i) == Some(Kind::String)
                && matches!(self.text(i), "\"__main__\"" | "'__main__'")
        };
        let is_name = |i: usize| self.is_word(i, "__name__");
        (is_name(s) && is_main(s + 2)) || (is_main(s) && is_name(s + 2))
    }

    /// The last line of the tokens in `[s, e)` that are not layout.
    fn last_line(&self, s: usize, e: usize) -> usize {
        let last = (s..e)
            .rev()
            .find(|&i| {
                !matches!(
                    self.kind(i),
                    Some(Kind::Dedent | Kind::Newline | Kind::Indent) | None
                )
            })
            .unwrap_or(s);
        let token = self.toks[last.min(self.toks.len() - 1)];
        self.lines
            .position(token.end.saturating_sub(1).max(token.start))
            .0
    }

    /// The header of an `if`/`for`/`with`/`except`... in `[s, colon)`.
    fn header(&mut self, word: &str, s: usize, colon: usize, scope: ScopeId) {
        match word {
            "for" => {
                let Some(in_at) = self
                    .top_level(s, colon, |x, i| x.is_word(i, "in"))
                    .first()
                    .copied()
                else {
                    return self.scan(s, colon, scope);
                };
                self.bind_unknown_targets(s, in_at, scope);
                self.discarded_expr(in_at + 1, colon, scope);
            }
            "with" => {
                let (mut a, mut b) = (s, colon);
                // `with (a as b, c as d):`
                if self.is_op(a, "(")
                    && self.toks[a].pair + 1 == b
                    && !self
                        .top_level(a + 1, b - 1, |x, i| x.is_word(i, "as"))
                        .is_empty()
                {
                    a += 1;
                    b -= 1;
                }
                for (ps, pe) in self.split_commas(a, b) {
                    match self.top_level(ps, pe, |x, i| x.is_word(i, "as")).first() {
                        Some(&as_at) => {
                            let value = self.expr(ps, as_at, scope);
                            if as_at + 2 == pe && self.kind(as_at + 1) == Some(Kind::Name) {
                                let name = self.text(as_at + 1);
                                self.bind(scope, name, Binding::WithItem(value));
                            } else {
                                self.bind_unknown_targets(as_at + 1, pe, scope);
                            }
                        }
                        None => self.discarded_expr(ps, pe, scope),
                    }
                }
            }
            "except" => {
                let s = if self.is_op(s, "*") { s + 1 } else { s };
                match self.top_level(s, colon, |x, i| x.is_word(i, "as")).first() {
                    Some(&as_at) => {
                        let class = self.expr(s, as_at, scope);
                        if self.kind(as_at + 1) == Some(Kind::Name) {
                            let name = self.text(as_at + 1);
                            self.bind(scope, name, Binding::Except(class));
                        }
                    }
                    None => self.discarded_expr(s, colon, scope),
                }
            }
            "case" => {
                // A pattern is not an expression (`Point(x=0)` calls
                // nothing); its capture names are untyped.
                let guard = self.top_level(s, colon, |x, i| x.is_word(i, "if"));
                let pattern_end = guard.first().copied().unwrap_or(colon);
                let mut i = s;
                while i < pattern_end {
                    if self.kind(i) == Some(Kind::Name)
                        && !self.is_op(i + 1, "(")
                        && !self.is_op(i + 1, ".")
                        && (i == s || !self.is_op(i - 1, "."))
                        && !matches!(self.text(i), "_" | "None" | "True" | "False" | "as" | "if")
                    {
                        let name = self.text(i);
                        self.bind(scope, name, Binding::Unknown);
                    }
                    i += 1;
                }
                if let Some(&g) = guard.first() {
                    self.discarded_expr(g + 1, colon, scope);
                }
            }
            _ => self.scan(s, colon, scope),
        }
    }

    /// `def NAME[T](params) -> ann:`; the header's colon and the body scope.
    fn def(&mut self, s: usize, end: usize, scope: ScopeId) -> Option<(usize, ScopeId)> {
        let decorators = std::mem::take(&mut self.pending_decorators);
        let name_at = s + 1;
        if self.kind(name_at) != Some(Kind::Name) {
            self.scan(s + 1, end, scope);
            return None;
        }
        let name = self.text(name_at);
        let mut open = name_at + 1;
        if self.is_op(open, "[") {
            open = self.skip(open);
        }
        if !self.is_op(open, "(") || self.toks[open].pair == NO_PAIR {
            self.scan(s + 1, end, scope);
            return None;
        }
        let close = self.toks[open].pair;
        let colon = self.header_colon(close + 1, end)?;
        let (line, _) = self.position(s);
        let function = self.new_scope(ScopeKind::Function, scope, name, line);
        self.bind(scope, name, Binding::Def(function));
        self.params(open + 1, close, function, scope);
        if self.is_op(close + 1, "->") {
            let annotation = self.expr(close + 2, colon, scope);
            self.out.scopes[function as usize].return_annotation = Some(annotation);
        }
        self.out.scopes[function as usize].decorators = decorators;
        Some((colon, function))
    }

    /// Parameters in `[s, e)`: bound in `function`; defaults and annotations
    /// read in `outer`.
    fn params(&mut self, s: usize, e: usize, function: ScopeId, outer: ScopeId) {
        for (ps, pe) in self.split_commas(s, e) {
            let mut a = ps;
            let starred = self.is_op(a, "*") || self.is_op(a, "**");
            if starred {
                a += 1;
            }
            if a >= pe || self.kind(a) != Some(Kind::Name) {
                continue; // `/` or a bare `*`
            }
            let name = self.text(a);
            let mut annotation = None;
            let mut default = None;
            let mut dependencies = Vec::new();
            let eq = self
                .top_level(a, pe, |x, i| x.is_op(i, "="))
                .first()
                .copied();
            if self.is_op(a + 1, ":") {
                let ann_end = eq.unwrap_or(pe);
                self.dependencies(a + 2, ann_end, &mut dependencies);
                annotation = Some(self.expr(a + 2, ann_end, outer));
            }
            if let Some(eq) = eq {
                self.dependencies(eq + 1, pe, &mut dependencies);
                default = Some(self.expr(eq + 1, pe, outer));
            }
            let name_id = self.intern(name);
            let scope = &mut self.out.scopes[function as usize];
            let index = scope.params.len() as u32;
            scope.params.push(Param {
                name: name_id,
                annotation,
                default,
                starred,
                dependencies,
            });
            self.bind(function, name, Binding::Param(index));
        }
    }

    /// Every `X(f` in `[s, e)` with `X` and `f` dotted names.
    fn dependencies(&mut self, s: usize, e: usize, out: &mut Vec<Dependency>) {
        let mut i = s;
        while i < e {
            if self.is_op(i, "(") && i > s && self.kind(i - 1) == Some(Kind::Name) {
                let callee_start = self.dotted_start(i - 1, s);
                let arg_end = self.dotted_end(i + 1, e);
                if arg_end > i + 1
                    && (self.is_op(arg_end, ")") || self.is_op(arg_end, ","))
                    && let Some(callee) = self.dotted(callee_start, i)
                    && let Some(argument) = self.dotted(i + 1, arg_end)
                {
                    let (line, column) = self.position(arg_end - 1);
                    out.push(Dependency {
                        callee,
                        argument,
                        line,
                        column,
                    });
                }
            }
            i += 1;
        }
    }

    fn dotted_start(&self, mut i: usize, floor: usize) -> usize {
        while i >= floor + 2 && self.is_op(i - 1, ".") && self.kind(i - 2) == Some(Kind::Name) {
            i -= 2;
        }
        i
    }

    fn dotted_end(&self, mut i: usize, e: usize) -> usize {
        if i >= e || self.kind(i) != Some(Kind::Name) {
            return i;
        }
        i += 1;
        while i + 1 < e && self.is_op(i, ".") && self.kind(i + 1) == Some(Kind::Name) {
            i += 2;
        }
        i
    }

    /// `a.b.c` in exactly `[s, e)`.
    fn dotted(&mut self, s: usize, e: usize) -> Option<ExprId> {
        if s >= e || self.kind(s) != Some(Kind::Name) || STATEMENT_WORDS.contains(&self.text(s)) {
            return None;
        }
        let mut i = s + 1;
        while i < e {
            if !self.is_op(i, ".") || self.kind(i + 1) != Some(Kind::Name) {
                return None;
            }
            i += 2;
        }
        let first = self.name_token(s);
        let mut expr = self.push(Expr::Name(first));
        let mut i = s + 1;
        while i < e {
            let attr = self.name_token(i + 1);
            expr = self.push(Expr::Attribute(expr, attr));
            i += 2;
        }
        Some(expr)
    }

    /// `class NAME[T](bases):`; the header's colon and the class scope.
    fn class(&mut self, s: usize, end: usize, scope: ScopeId) -> Option<(usize, ScopeId)> {
        let decorators = std::mem::take(&mut self.pending_decorators);
        let name_at = s + 1;
        if self.kind(name_at) != Some(Kind::Name) {
            self.scan(s + 1, end, scope);
            return None;
        }
        let name = self.text(name_at);
        let mut i = name_at + 1;
        if self.is_op(i, "[") {
            i = self.skip(i);
        }
        let mut bases = Vec::new();
        if self.is_op(i, "(") && self.toks[i].pair != NO_PAIR {
            let close = self.toks[i].pair;
            for (ps, pe) in self.split_commas(i + 1, close) {
                let keyword = self.kind(ps) == Some(Kind::Name) && self.is_op(ps + 1, "=");
                if keyword {
                    self.discarded_expr(ps + 2, pe, scope);
                } else if self.is_op(ps, "*") || self.is_op(ps, "**") {
                    self.discarded_expr(ps + 1, pe, scope);
                } else {
                    bases.push(self.expr(ps, pe, scope));
                }
            }
            i = close + 1;
        }
        let colon = self.header_colon(i, end)?;
        let (line, _) = self.position(s);
        let class = self.new_scope(ScopeKind::Class, scope, name, line);
        self.bind(scope, name, Binding::Class(class));
        let c = &mut self.out.scopes[class as usize];
        c.bases = bases;
        c.decorators = decorators;
        Some((colon, class))
    }

    /// Simple statements separated by `;` in `[s, e)`.
    fn simple_statements(&mut self, s: usize, e: usize, scope: ScopeId) {
        let mut start = s;
        for semi in self.top_level(s, e, |x, i| x.is_op(i, ";")) {
            self.simple(start, semi, scope);
            start = semi + 1;
        }
        if start < e {
            self.simple(start, e, scope);
        }
    }

    fn simple(&mut self, s: usize, e: usize, scope: ScopeId) {
        if s >= e {
            return;
        }
        let first = if self.kind(s) == Some(Kind::Name) {
            self.text(s)
        } else {
            ""
        };
        match first {
            "import" => self.import(s + 1, e, scope),
            "from" => self.import_from(s + 1, e, scope),
            "global" | "nonlocal" => {
                for (ps, pe) in self.split_commas(s + 1, e) {
                    if pe == ps + 1 && self.kind(ps) == Some(Kind::Name) {
                        let name = self.name_token(ps);
                        let sc = &mut self.out.scopes[scope as usize];
                        if first == "global" {
                            sc.globals.push(name);
                        } else {
                            sc.nonlocals.push(name);
                        }
                    }
                }
            }
            "return" => {
                if s + 1 < e {
                    let value = self.expr(s + 1, e, scope);
                    if let Some(f) = self.function_of(scope) {
                        self.out.scopes[f as usize].returns.push(value);
                    }
                }
            }
            "pass" | "break" | "continue" => {}
            "del" | "assert" | "raise" => self.scan(s + 1, e, scope),
            "type"
                if self.kind(s + 1) == Some(Kind::Name)
                    && self.top_level(s, e, |x, i| x.is_op(i, "=")).len() == 1
                    && !self.is_op(s + 1, "=") =>
            {
                // `type X = ...` (PEP 695): an alias, not evaluated here.
                let name = self.text(s + 1);
                self.bind(scope, name, Binding::Unknown);
            }
            _ => self.assignment(s, e, scope),
        }
    }

    /// `import a.b.c as x, d.e`.
    fn import(&mut self, s: usize, e: usize, scope: ScopeId) {
        for (ps, pe) in self.split_commas(s, e) {
            let as_at = (ps..pe).find(|&i| self.is_word(i, "as"));
            let module_end = as_at.unwrap_or(pe);
            let module: String = (ps..module_end).map(|i| self.text(i)).collect();
            if module.is_empty() {
                continue;
            }
            match as_at {
                Some(a) if a + 1 < pe => {
                    let name = self.text(a + 1);
                    let module = self.intern(&module);
                    self.bind(scope, name, Binding::Import { module });
                }
                _ => {
                    let top = module.split('.').next().unwrap_or_default().to_owned();
                    let module = self.intern(&top);
                    self.bind(scope, &top, Binding::Import { module });
                }
            }
        }
    }

    /// `from ..a.b import c as d, e` / `from m import *`.
    fn import_from(&mut self, s: usize, e: usize, scope: ScopeId) {
        let Some(import_at) = (s..e).find(|&i| self.is_word(i, "import")) else {
            return;
        };
        let mut level = 0;
        let mut module = String::new();
        for i in s..import_at {
            match self.text(i) {
                "." if module.is_empty() => level += 1,
                "..." if module.is_empty() => level += 3,
                t => module.push_str(t),
            }
        }
        let module = self.intern(&module);
        let (mut a, mut b) = (import_at + 1, e);
        if self.is_op(a, "(") {
            b = self.toks[a].pair.min(e);
            a += 1;
        }
        if self.is_op(a, "*") {
            self.bind(scope, "*", Binding::Star { level, module });
            return;
        }
        for (ps, pe) in self.split_commas(a, b) {
            if self.kind(ps) != Some(Kind::Name) {
                continue;
            }
            let name = self.name_token(ps);
            let bound = if self.is_word(ps + 1, "as") && ps + 2 < pe {
                self.text(ps + 2)
            } else {
                self.text(ps)
            };
            self.bind(
                scope,
                bound,
                Binding::FromImport {
                    level,
                    module,
                    name,
                },
            );
        }
    }

    /// An assignment, annotated or augmented assignment, or an expression
    /// statement.
    fn assignment(&mut self, s: usize, e: usize, scope: ScopeId) {
        let eqs = self.top_level(s, e, |x, i| x.is_op(i, "="));
        let augmented = self
            .top_level(s, e, |x, i| {
                x.kind(i) == Some(Kind::Op) && {
                    let t = x.text(i);
                    t.len() >= 2
                        && t.ends_with('=')
                        && !matches!(t, "==" | "!=" | "<=" | ">=" | ":=")
                }
            })
            .first()
            .copied();
        let annotation_colon = self
            .top_level(s, eqs.first().copied().unwrap_or(e), |x, i| x.is_op(i, ":"))
            .first()
            .copied();
        if let Some(op) = augmented.filter(|_| eqs.is_empty()) {
            let value = self.expr(op + 1, e, scope);
            if self.is_all(s, op, scope) {
                self.extend_all(value);
            }
            self.bind_unknown_targets(s, op, scope);
            return;
        }
        if let Some(colon) = annotation_colon {
            let ann_end = eqs.first().copied().unwrap_or(e);
            let annotation = self.expr(colon + 1, ann_end, scope);
            let value = eqs.first().map(|&eq| self.expr(eq + 1, e, scope));
            self.bind_target(s, colon, scope, value, Some(annotation));
            return;
        }
        let Some(&last) = eqs.last() else {
            // A call that is the whole statement, parentheses dropped.
            let (mut cs, mut ce) = (s, e);
            while ce > cs + 1 && self.is_op(cs, "(") && self.toks[cs].pair == ce - 1 {
                (cs, ce) = (cs + 1, ce - 1);
            }
            if self.is_op(ce - 1, ")") {
                self.statement_call = Some((cs, ce - 1));
            }
            self.discarded_expr(s, e, scope);
            self.statement_call = None;
            return;
        };
        let value = self.expr(last + 1, e, scope);
        let mut start = s;
        for &eq in &eqs {
            self.bind_target(start, eq, scope, Some(value), None);
            start = eq + 1;
        }
    }

    fn is_all(&self, s: usize, e: usize, scope: ScopeId) -> bool {
        scope == MODULE_SCOPE && e == s + 1 && self.is_word(s, "__all__")
    }

    fn extend_all(&mut self, value: ExprId) {
        match self.string_list(value) {
            Some(list) if !self.out.all_dynamic => {
                self.out.all.get_or_insert_with(Vec::new).extend(list);
            }
            _ => self.out.all_dynamic = true,
        }
    }

    /// Bind the target in `[s, e)` to `value`.
    fn bind_target(
        &mut self,
        s: usize,
        e: usize,
        scope: ScopeId,
        value: Option<ExprId>,
        annotation: Option<ExprId>,
    ) {
        if s >= e {
            return;
        }
        if e == s + 1 && self.kind(s) == Some(Kind::Name) {
            let name = self.text(s);
            if self.is_all(s, e, scope) {
                self.out.all = None;
                self.out.all_dynamic = false;
                match value.and_then(|v| self.string_list(v)) {
                    Some(list) => self.out.all = Some(list),
                    None => self.out.all_dynamic = true,
                }
            }
            self.bind(scope, name, Binding::Value { value, annotation });
            return;
        }
        // `NAME.attr`
        if e == s + 3
            && self.kind(s) == Some(Kind::Name)
            && self.is_op(s + 1, ".")
            && self.kind(s + 2) == Some(Kind::Name)
        {
            if let Some(f) = self.function_of(scope) {
                let object = self.name_token(s);
                let attr = self.name_token(s + 2);
                self.out.scopes[f as usize]
                    .attribute_assignments
                    .push(AttributeAssignment {
                        object,
                        attr,
                        value,
                        annotation,
                    });
            }
            return;
        }
        // Tuple targets: `a, b = x, y` pairs up; anything else is untyped.
        let (mut a, mut b) = (s, e);
        if (self.is_op(a, "(") || self.is_op(a, "[")) && self.toks[a].pair + 1 == b {
            a += 1;
            b -= 1;
        }
        let parts = self.split_commas(a, b);
        let has_comma = !self.top_level(a, b, |x, i| x.is_op(i, ",")).is_empty();
        if has_comma || (a, b) != (s, e) {
            let starred = parts.iter().position(|&(ps, _)| self.is_op(ps, "*"));
            let elements = value.and_then(|v| self.elements(v));
            let values = match &elements {
                Some(items) if items.len() == parts.len() && starred.is_none() => {
                    Some(items.iter().copied().map(Some).collect::<Vec<_>>())
                }
                // `first, *rest, last = a, b, c, d`
                Some(items) if starred.is_some() && items.len() + 1 >= parts.len() => {
                    let star = starred.unwrap_or_default();
                    let after = parts.len() - star - 1;
                    Some(
                        (0..parts.len())
                            .map(|k| {
                                if k < star {
                                    Some(items[k])
                                } else if k > star {
                                    Some(items[items.len() - after + (k - star - 1)])
                                } else {
                                    None
                                }
                            })
                            .collect(),
                    )
                }
                _ => None,
            };
            for (k, (ps, pe)) in parts.into_iter().enumerate() {
                let v = values.as_ref().and_then(|v| v[k]);
                if self.is_op(ps, "*") {
                    self.bind_unknown_targets(ps + 1, pe, scope);
                } else {
                    self.bind_target(ps, pe, scope, v.or(Some(UNKNOWN)), None);
                }
            }
            return;
        }
        // A subscript or deeper attribute target: its calls still count.
        self.scan(s, e, scope);
    }

    /// Every plain name in a target list, bound untyped.
    fn bind_unknown_targets(&mut self, s: usize, e: usize, scope: ScopeId) {
        let mut i = s;
        while i < e {
            let t = &self.toks[i];
            if t.kind == Kind::Name {
                let after_dot = i > s && self.is_op(i - 1, ".");
                if !after_dot
                    && !self.is_op(i + 1, ".")
                    && !self.is_op(i + 1, "[")
                    && !self.is_op(i + 1, "(")
                {
                    let name = self.text(i);
                    if !STATEMENT_WORDS.contains(&name) {
                        self.bind(scope, name, Binding::Unknown);
                    }
                } else {
                    // `a.b[f()]` — calls inside are still calls.
                    let j = self.primary_end_for_scan(i, e);
                    self.scan(i, j, scope);
                    i = j;
                    continue;
                }
            } else if t.kind == Kind::Op && t.pair != NO_PAIR && t.pair > i {
                // `(a, b)` / `[a, b]` nest
                self.bind_unknown_targets(i + 1, t.pair, scope);
                i = t.pair + 1;
                continue;
            }
            i += 1;
        }
    }

    fn primary_end_for_scan(&self, mut i: usize, e: usize) -> usize {
        while i < e {
            let t = &self.toks[i];
            match t.kind {
                Kind::Name => i += 1,
                Kind::Op if matches!(self.text(i), ".") => i += 1,
                Kind::Op if matches!(self.text(i), "(" | "[") => i = self.skip(i),
                _ => break,
            }
        }
        i
    }

    // ---- expressions ----

    /// The expression in `[s, e)`, its calls recorded in `scope`.
    fn expr(&mut self, s: usize, e: usize, scope: ScopeId) -> ExprId {
        if s >= e {
            return UNKNOWN;
        }
        let parts = self.split_commas(s, e);
        let commas = !self.top_level(s, e, |x, i| x.is_op(i, ",")).is_empty();
        if commas {
            let items: Vec<ExprId> = parts
                .into_iter()
                .map(|(a, b)| self.single(a, b, scope))
                .collect();
            let span = self.span_of(items);
            return self.push(Expr::Tuple(span));
        }
        self.single(s, e, scope)
    }

    /// One comma-free expression.
    fn single(&mut self, s: usize, e: usize, scope: ScopeId) -> ExprId {
        if self.is_word(s, "lambda") {
            return self.lambda(s, e, scope);
        }
        if self.is_word(s, "yield") {
            if let Some(f) = self.function_of(scope) {
                self.out.scopes[f as usize].is_generator = true;
            }
            let from = usize::from(self.is_word(s + 1, "from"));
            self.scan(s + 1 + from, e, scope);
            return UNKNOWN;
        }
        if self.is_op(s, "*") || self.is_op(s, "**") {
            self.scan(s + 1, e, scope);
            return UNKNOWN;
        }
        let awaited = self.is_word(s, "await");
        let start = s + usize::from(awaited);
        let Some((first, mut i)) = self.primary(start, e, scope) else {
            self.scan(s, e, scope);
            return UNKNOWN;
        };
        let first = if awaited {
            self.push(Expr::Await(first))
        } else {
            first
        };
        if i == e {
            return first;
        }
        // `a + b + c` (a URL or SQL text put together)
        if self.is_op(i, "+") {
            let mut parts = vec![first];
            while i < e && self.is_op(i, "+") {
                match self.primary(i + 1, e, scope) {
                    Some((next, j)) => {
                        parts.push(next);
                        i = j;
                    }
                    None => break,
                }
            }
            if i == e {
                let span = self.span_of(parts);
                return self.push(Expr::Concat(span));
            }
            self.scan(i, e, scope);
            return UNKNOWN;
        }
        // `A | B | None` (annotations)
        let mut union = vec![first];
        while i < e && self.is_op(i, "|") {
            match self.primary(i + 1, e, scope) {
                Some((next, j)) => {
                    union.push(next);
                    i = j;
                }
                None => break,
            }
        }
        if i == e && union.len() > 1 {
            let span = self.span_of(union);
            return self.push(Expr::Union(span));
        }
        self.scan(i, e, scope);
        UNKNOWN
    }

    /// `lambda params: body` in `[s, e)`.
    fn lambda(&mut self, s: usize, e: usize, scope: ScopeId) -> ExprId {
        if !self.enter() {
            return UNKNOWN;
        }
        let lambda = self.lambda_inner(s, e, scope);
        self.depth -= 1;
        lambda
    }

    fn lambda_inner(&mut self, s: usize, e: usize, scope: ScopeId) -> ExprId {
        let Some(colon) = self.header_colon(s + 1, e) else {
            self.scan(s + 1, e, scope);
            return UNKNOWN;
        };
        let (line, _) = self.position(s);
        let lambda = self.new_scope(ScopeKind::Lambda, scope, "", line);
        self.params(s + 1, colon, lambda, scope);
        self.discarded_expr(colon + 1, e, lambda);
        self.push(Expr::Lambda(lambda))
    }

    /// Record the calls anywhere in `[s, e)`.
    fn scan(&mut self, s: usize, e: usize, scope: ScopeId) {
        let mut i = s;
        while i < e && !self.too_deep {
            if self.is_word(i, "lambda") {
                // Its body runs to the end of the comma-separated part.
                let end = self
                    .top_level(i, e, |x, j| x.is_op(j, ","))
                    .first()
                    .copied()
                    .unwrap_or(e);
                self.lambda(i, end, scope);
                i = end;
                continue;
            }
            if self.is_word(i, "yield")
                && let Some(f) = self.function_of(scope)
            {
                self.out.scopes[f as usize].is_generator = true;
            }
            if self.kind(i) == Some(Kind::Name) && self.is_op(i + 1, ":=") {
                let name = self.text(i);
                let target = self.walrus_scope(scope);
                self.bind(target, name, Binding::Unknown);
                i += 2;
                continue;
            }
            let mut next = i + 1;
            self.discard(|x| {
                if let Some((_, j)) = x.primary(i, e, scope)
                    && j > i
                {
                    next = j;
                }
            });
            i = next;
        }
    }

    /// `:=` binds in the innermost scope that is not a comprehension.
    fn walrus_scope(&self, mut scope: ScopeId) -> ScopeId {
        while self.out.scopes[scope as usize].kind == ScopeKind::Comprehension {
            match self.out.scopes[scope as usize].parent {
                Some(p) => scope = p,
                None => break,
            }
        }
        scope
    }

    /// An atom and its trailers starting at `s`; `None` when `s` starts no
    /// primary.
    fn primary(&mut self, s: usize, e: usize, scope: ScopeId) -> Option<(ExprId, usize)> {
        if !self.enter() {
            return None;
        }
        let found = self.primary_inner(s, e, scope);
        self.depth -= 1;
        found
    }

    fn primary_inner(&mut self, s: usize, e: usize, scope: ScopeId) -> Option<(ExprId, usize)> {
        let t = *self.toks.get(s)?;
        let (mut expr, mut i) = match t.kind {
            Kind::Name => {
                let name = self.text(s);
                match name {
                    "True" | "False" => (self.push(Expr::Literal(BuiltinType::Bool)), s + 1),
                    "None" => (self.push(Expr::Literal(BuiltinType::None)), s + 1),
                    "await" | "lambda" | "not" | "yield" => return None,
                    _ if STATEMENT_WORDS.contains(&name) => return None,
                    _ => {
                        let id = self.intern(name);
                        (self.push(Expr::Name(id)), s + 1)
                    }
                }
            }
            Kind::Number => {
                let text = self.text(s);
                let ty = if text.ends_with(['j', 'J']) {
                    BuiltinType::Complex
                } else if !text.starts_with("0x") && text.contains(['.', 'e', 'E']) {
                    BuiltinType::Float
                } else {
                    BuiltinType::Int
                };
                (self.push(Expr::Literal(ty)), s + 1)
            }
            Kind::String | Kind::FStart => self.strings(s, e, scope),
            Kind::Op => {
                if t.pair == NO_PAIR || t.pair <= s || t.pair >= e {
                    return None;
                }
                let close = t.pair;
                let expr = match self.text(s) {
                    "(" => {
                        if close == s + 1 {
                            self.push(Expr::Literal(BuiltinType::Tuple))
                        } else if self.comprehension(s + 1, close, scope) {
                            UNKNOWN
                        } else {
                            self.expr(s + 1, close, scope)
                        }
                    }
                    "[" => {
                        if close == s + 1 {
                            self.push(Expr::List((0, 0)))
                        } else if self.comprehension(s + 1, close, scope) {
                            // A list, of items unknown here.
                            self.push(Expr::Literal(BuiltinType::List))
                        } else {
                            let inner = self.expr(s + 1, close, scope);
                            let span = match self.node(inner) {
                                Expr::Tuple(span) => span,
                                _ => self.span_of(vec![inner]),
                            };
                            self.push(Expr::List(span))
                        }
                    }
                    "{" => {
                        let dict = close == s + 1
                            || !self
                                .top_level(s + 1, close, |x, i| x.is_op(i, ":") || x.is_op(i, "**"))
                                .is_empty();
                        if self.comprehension(s + 1, close, scope) {
                            self.push(Expr::Literal(if dict {
                                BuiltinType::Dict
                            } else {
                                BuiltinType::Set
                            }))
                        } else {
                            match self.dict_or_set(s + 1, close, scope) {
                                Some(values) if dict => {
                                    let span = self.span_of(values);
                                    self.push(Expr::StrDict(span))
                                }
                                _ => self.push(Expr::Literal(if dict {
                                    BuiltinType::Dict
                                } else {
                                    BuiltinType::Set
                                })),
                            }
                        }
                    }
                    _ => return None,
                };
                (expr, close + 1)
            }
            _ => return None,
        };
        // Trailers.
        while i < e {
            if self.is_op(i, ".") && self.kind(i + 1) == Some(Kind::Name) {
                let attr = self.name_token(i + 1);
                expr = self.push(Expr::Attribute(expr, attr));
                i += 2;
                continue;
            }
            let t = self.toks[i];
            if t.kind != Kind::Op || t.pair == NO_PAIR || t.pair <= i || t.pair >= e {
                break;
            }
            match self.text(i) {
                "(" => {
                    let name_at = i - 1;
                    let at = if self.kind(name_at) == Some(Kind::Name) {
                        name_at
                    } else {
                        i
                    };
                    let (line, column) = self.position(at);
                    let call = self.out.calls.len();
                    self.out.calls.push(CallSite {
                        scope,
                        func: expr,
                        args: (0, 0),
                        line: line as u32,
                        column: column as u32,
                        in_async_loop: self.async_loop,
                        passes_timeout: self.passes_timeout(i + 1, t.pair),
                        discarded: self.statement_call == Some((s, t.pair)),
                    });
                    let keep = match self.node(expr) {
                        Expr::Name(n) | Expr::Attribute(_, n) => {
                            let name = self.name(n);
                            ARGUMENTS_READ.contains(&name) || crate::served::RUNNERS.contains(&name)
                        }
                        _ => false,
                    };
                    let args = self.arguments(i + 1, t.pair, scope, keep);
                    self.out.calls[call].args = args;
                    expr = self.push(Expr::Call(expr, args));
                    i = t.pair + 1;
                }
                "[" => {
                    let inner = self.expr(i + 1, t.pair, scope);
                    let span = match self.node(inner) {
                        Expr::Tuple(span) => span,
                        _ => self.span_of(vec![inner]),
                    };
                    expr = self.push(Expr::Subscript(expr, span));
                    i = t.pair + 1;
                }
                _ => break,
            }
        }
        Some((expr, i))
    }

    /// Implicitly concatenated strings from `s`: a plain string's text, or a
    /// `str` for f-strings (whose fields' calls are recorded).
    fn strings(&mut self, s: usize, e: usize, scope: ScopeId) -> (ExprId, usize) {
        let mut i = s;
        let mut plain = String::new();
        let mut only_plain = true;
        let mut bytes = false;
        // The written text, f-strings' fields as written.
        let mut template = String::new();
        while i < e {
            match self.toks[i].kind {
                Kind::String => {
                    let text = self.text(i);
                    let prefix = text.find(['"', '\'']).unwrap_or(0);
                    bytes |= text[..prefix].contains(['b', 'B']);
                    plain.push_str(string_body(&text[prefix..]));
                    template.push_str(string_body(&text[prefix..]));
                    i += 1;
                }
                Kind::FStart => {
                    only_plain = false;
                    let close = self.toks[i].pair;
                    if close == NO_PAIR || close <= i {
                        return (self.push(Expr::Literal(BuiltinType::Str)), i + 1);
                    }
                    let (open, shut) = (self.toks[i], self.toks[close]);
                    let quoted = &self.src[open.start..shut.end];
                    let prefix = quoted.find(['"', '\'']).unwrap_or(0);
                    template.push_str(string_body(&quoted[prefix..]));
                    let mut start = i + 1;
                    for j in i + 1..=close {
                        if self.toks[j].kind == Kind::FieldEnd || j == close {
                            if j > start {
                                self.scan(start, j, scope);
                            }
                            start = j + 1;
                        }
                    }
                    i = close + 1;
                }
                _ => break,
            }
        }
        // Short strings are kept whole (annotations, `__all__`, URLs, route
        // prefixes), and SQL that a vector search sends.
        let expr = if bytes {
            Expr::Literal(BuiltinType::Bytes)
        } else if only_plain && (plain.len() <= MAX_KEPT_STRING || has_vector_operator(&plain)) {
            Expr::Str(self.intern(&plain))
        } else if !only_plain
            && (template.len() <= MAX_KEPT_STRING || has_vector_operator(&template))
        {
            Expr::Template(self.intern(&template))
        } else {
            Expr::Literal(BuiltinType::Str)
        };
        (self.push(expr), i)
    }

    /// Call arguments in `[s, e)`: kept when `keep`, else only read for
    /// their calls.
    fn arguments(&mut self, s: usize, e: usize, scope: ScopeId, keep: bool) -> Span {
        if self.comprehension(s, e, scope) {
            return (0, 0);
        }
        if !keep {
            for (ps, pe) in self.split_commas(s, e) {
                let keyword = self.kind(ps) == Some(Kind::Name) && self.is_op(ps + 1, "=");
                let start = if keyword { ps + 2 } else { ps };
                self.discard(|x| {
                    x.single(start, pe, scope);
                });
            }
            return (0, 0);
        }
        let mut args = Vec::new();
        for (ps, pe) in self.split_commas(s, e) {
            if self.kind(ps) == Some(Kind::Name) && self.is_op(ps + 1, "=") {
                let value = self.expr(ps + 2, pe, scope);
                let keyword = Some(self.name_token(ps));
                args.push(Argument { keyword, value });
            } else {
                let value = self.single(ps, pe, scope);
                args.push(Argument {
                    keyword: None,
                    value,
                });
            }
        }
        let start = self.out.args.len() as u32;
        let len = args.len() as u32;
        self.out.args.extend(args);
        (start, len)
    }

    /// A dict or set display's inside, read for its calls; a dict whose
    /// values are all string literals gives them (a lookup table).
    fn dict_or_set(&mut self, s: usize, e: usize, scope: ScopeId) -> Option<Vec<ExprId>> {
        let mut values = Some(Vec::new());
        for (ps, pe) in self.split_commas(s, e) {
            let colons = self.top_level(ps, pe, |x, i| x.is_op(i, ":"));
            match colons.first() {
                Some(&c) if !self.is_word(ps, "lambda") => {
                    let literal = matches!(self.kind(c + 1), Some(Kind::String))
                        && (c + 2..pe).all(|i| self.kind(i) == Some(Kind::String));
                    if literal && values.is_some() {
                        self.discard(|x| {
                            x.single(ps, c, scope);
                        });
                        let value = self.single(c + 1, pe, scope);
                        if let Some(v) = values.as_mut() {
                            v.push(value);
                        }
                    } else {
                        values = None;
                        self.discard(|x| {
                            x.single(ps, c, scope);
                            x.single(c + 1, pe, scope);
                        });
                    }
                }
                _ => {
                    values = None;
                    self.discard(|x| {
                        x.single(ps, pe, scope);
                    });
                }
            }
        }
        values.filter(|v| !v.is_empty())
    }

    /// When `[s, e)` is a comprehension's inside: read it in its own scope
    /// and say so.
    fn comprehension(&mut self, s: usize, e: usize, scope: ScopeId) -> bool {
        let fors = self.top_level(s, e, |x, i| x.is_word(i, "for"));
        let Some(&first_for) = fors.first() else {
            return false;
        };
        let (line, _) = self.position(s.min(self.toks.len() - 1));
        let comp = self.new_scope(ScopeKind::Comprehension, scope, "", line);
        // Clause boundaries: each `for T in I`, then `if C`s.
        let mut bounds: Vec<usize> = self
            .top_level(first_for, e, |x, i| {
                x.is_word(i, "for") || x.is_word(i, "if")
            })
            .into_iter()
            .collect();
        bounds.push(e);
        let mut first_iterable = true;
        for w in bounds.windows(2) {
            let (a, b) = (w[0], w[1]);
            if self.is_word(a, "for") {
                let Some(in_at) = self
                    .top_level(a + 1, b, |x, i| x.is_word(i, "in"))
                    .first()
                    .copied()
                else {
                    continue;
                };
                self.bind_unknown_targets(a + 1, in_at, comp);
                let iterable_scope = if first_iterable { scope } else { comp };
                first_iterable = false;
                self.discarded_expr(in_at + 1, b, iterable_scope);
            } else {
                self.discarded_expr(a + 1, b, comp);
            }
        }
        let element_end = if first_for > s && self.is_word(first_for - 1, "async") {
            first_for - 1
        } else {
            first_for
        };
        // `{k: v for ...}`
        let colons = self.top_level(s, element_end, |x, i| x.is_op(i, ":"));
        match colons.first() {
            Some(&c) if !self.is_word(s, "lambda") => self.discard(|x| {
                x.single(s, c, comp);
                x.single(c + 1, element_end, comp);
            }),
            _ => self.discarded_expr(s, element_end, comp),
        }
        true
    }
}

/// A string literal's body without prefix handling: between the quotes.
fn string_body(quoted: &str) -> &str {
    let q = if quoted.starts_with("\"\"\"") || quoted.starts_with("'''") {
        3
    } else {
        1
    };
    if quoted.len() >= 2 * q {
        &quoted[q..quoted.len() - q]
    } else {
        ""
    }
}

/// The called names whose arguments the model reads (the model then
/// checks what the call reaches): `super(C, self)`, and what mounts a
/// FastAPI or Starlette router (`include_router(r, prefix=)`,
/// `mount(path, app)`, `APIRouter(prefix=)`), what an outbound POST sends
/// to (`post(url)`, `request(method, url)`, `stream(method, url)`) and the
/// SQL a database command runs (`execute(sql)`, `fetch(sql)`, sqlalchemy's
/// `text(sql)`), and what registers a served app's entry points (an
/// application's `lifespan=`, `add_*` registrations, `on_event(kind)`;
/// and the background runners, `served::RUNNERS`). Other calls' arguments
/// are read for their calls only, and not kept.
const ARGUMENTS_READ: &[&str] = &[
    "super",
    "include_router",
    "mount",
    "APIRouter",
    "Router",
    "post",
    "request",
    "stream",
    "execute",
    "executemany",
    "fetch",
    "fetchrow",
    "fetchval",
    "text",
    "FastAPI",
    "Starlette",
    "on_event",
    "add_api_route",
    "add_route",
    "add_api_websocket_route",
    "add_websocket_route",
    "add_exception_handler",
    "add_middleware",
    "add_event_handler",
];

/// Longer string literals are not kept (a docstring is not a name).
const MAX_KEPT_STRING: usize = 200;

/// pgvector's distance operators (L2, negative inner product, cosine, L1):
/// SQL text holding one is a vector search.
pub const VECTOR_OPERATORS: [&str; 4] = ["<->", "<#>", "<=>", "<+>"];

/// Whether `text` holds a pgvector distance operator.
pub fn has_vector_operator(text: &str) -> bool {
    VECTOR_OPERATORS.iter().any(|op| text.contains(op))
}
