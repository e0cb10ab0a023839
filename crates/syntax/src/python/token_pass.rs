//! The dense Python categories read from tokens: `except_handlers`,
//! `except_bodies` (`logs` aside) and `print_calls`; and the units
//! tree-sitter may parse apart. (Definitions and calls are read by the
//! semantic model, `recon-semantic`, from the same tokens.)
//!
//! These are in nearly every file, so reading them from tree-sitter meant
//! parsing everything (issue #6). Each answer here is the tree reading's
//! definition restated on the logical-line structure: the block a token sits
//! in is known from the indentation, and the innermost function body, class,
//! `except` block and `if __name__ == "__main__":` body follow from the
//! headers that opened the blocks ([`super::ancestry`] is the tree version).
//! A call is `NAME (`, its start is where its primary expression starts.
//! Anything the structure does not model is a [`Doubt`]: the file is then
//! read from the tree as before. Tests hold every category to the tree
//! reading on the fixtures and generated code.

use std::sync::Arc;

use recon_findings::vocabulary::SwallowedBody;
use recon_findings::{ExceptBody, ExceptHandler, PrintCall};

use super::lexer::{Doubt, Kind, NO_PAIR, Token};
use super::text::{decode, is_test_path};
use crate::collect::WithColumn;
use crate::common::LineIndex;

/// What the token pass gives for one module.
#[derive(Debug, Default)]
pub(crate) struct Dense {
    pub except_handlers: Vec<WithColumn<ExceptHandler>>,
    /// `logs` is false here; the tree reading of log calls sets it.
    pub except_bodies: Vec<WithColumn<ExceptBody>>,
    pub print_calls: Vec<WithColumn<PrintCall>>,
    /// The module's units, in order: what tree-sitter may parse apart.
    pub units: Vec<Unit>,
}

/// A part of a module that parses on its own, given the headers around it:
/// a top-level statement (its decorators and its `except`, `else`...
/// clauses included), or, in the body of a `def` or `class` that is itself
/// a unit, its header and each statement of its body, recursively. So a
/// `logger.info(...)` in a method is parsed with the class and method
/// headers around it, not with the whole class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub kind: UnitKind,
    /// How many [`UnitKind::Header`] units enclose this one.
    pub depth: usize,
    /// Tokens `[first, end)`.
    pub first: usize,
    pub end: usize,
    /// Bytes: from the start of the first token's line to the start of the
    /// next unit's (comments and blank lines go with the unit before).
    pub start_byte: usize,
    pub end_byte: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// A statement, whole.
    Statement,
    /// A `def` or `class` header (decorators included) whose indented body
    /// follows as units one level deeper.
    Header,
}

/// Python 3's hard keywords: never a callee name.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

pub(crate) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// What the enclosing headers say about a token (as [`super::ancestry::Place`]).
#[derive(Debug, Clone, Copy, Default)]
struct Enclosing {
    /// The innermost function whose body holds the token (a scope index).
    caller: Option<usize>,
    /// The innermost class (a scope index), its header included.
    class: Option<usize>,
    /// The innermost `except` block, no def or class between (an index
    /// into the handlers).
    except: Option<usize>,
    in_main: bool,
    /// The innermost function or class (a scope index).
    scope: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Class,
    /// A `def`'s body.
    Function,
    Match,
    Except,
    Other,
}

/// An open indented block.
#[derive(Debug, Clone, Copy)]
struct Block {
    kind: BlockKind,
    ctx: Enclosing,
}

struct Scope {
    qualname: Arc<str>,
}

/// An `except` clause met so far.
struct Handler {
    body: ExceptBody,
    /// The statements directly in its body, judged.
    judge: SwallowedBody,
    column: usize,
    /// The `except` block around this clause's, no def or class between.
    outer: Option<usize>,
}

struct Pass<'s> {
    src: &'s str,
    tokens: &'s [Token],
    file: Arc<str>,
    test_file: bool,
    lines: &'s LineIndex,
    scopes: Vec<Scope>,
    handlers: Vec<Handler>,
    out: Dense,
}

/// Read the dense categories of one module from its tokens.
pub(crate) fn extract<'s>(
    file: &str,
    src: &'s str,
    lines: &'s LineIndex,
    tokens: &'s [Token],
) -> Result<Dense, Doubt> {
    let mut pass = Pass {
        src,
        tokens,
        file: file.into(),
        test_file: is_test_path(file),
        lines,
        scopes: Vec::new(),
        handlers: Vec::new(),
        out: Dense::default(),
    };
    pass.module()?;
    Ok(pass.finish())
}

impl<'s> Pass<'s> {
    fn text(&self, i: usize) -> &'s str {
        let t = self.tokens[i];
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn is_op(&self, i: usize, op: &str) -> bool {
        i < self.tokens.len() && self.tokens[i].kind == Kind::Op && self.text(i) == op
    }

    fn is_name(&self, i: usize, name: &str) -> bool {
        i < self.tokens.len() && self.tokens[i].kind == Kind::Name && self.text(i) == name
    }

    /// 1-based line and byte column of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.position(offset)
    }

    fn module(&mut self) -> Result<(), Doubt> {
        let mut stack: Vec<Block> = Vec::new();
        // The context of the block the next INDENT opens.
        let mut pending: Option<Block> = None;
        // The last unit-level line was a decorator.
        let mut decorated = false;
        let mut i = 0;
        let n = self.tokens.len();
        while i < n {
            // Leading DEDENTs close blocks; an INDENT opens the pending one.
            while i < n && self.tokens[i].kind == Kind::Dedent {
                stack.pop().ok_or(Doubt("dedent below the module"))?;
                i += 1;
            }
            if i == n {
                break;
            }
            if self.tokens[i].kind == Kind::Indent {
                stack.push(pending.take().ok_or(Doubt("indent after no header"))?);
                i += 1;
            } else if pending.is_some() {
                return Err(Doubt("header without an indented block"));
            }
            let start = i;
            while i < n && self.tokens[i].kind != Kind::Newline {
                i += 1;
            }
            if i == start {
                return Err(Doubt("empty logical line"));
            }
            let end = i;
            i += 1; // the NEWLINE
            let block = stack.last().copied();
            // Statements directly in the body of a def or class that is a
            // unit itself are units (every enclosing block is such a body).
            let unit_level = stack
                .iter()
                .all(|b| matches!(b.kind, BlockKind::Class | BlockKind::Function));
            if unit_level {
                // A decorated statement is one unit with its decorators, a
                // compound statement one with its `except`, `else`... clauses.
                let continues = decorated
                    || (self.tokens[start].kind == Kind::Name
                        && matches!(self.text(start), "except" | "else" | "elif" | "finally"));
                if !continues || self.out.units.is_empty() {
                    self.out.units.push(Unit {
                        kind: UnitKind::Statement,
                        depth: stack.len(),
                        first: start,
                        end: 0,
                        start_byte: 0,
                        end_byte: 0,
                    });
                }
                decorated = self.is_op(start, "@");
            }
            pending = self.logical_line(start, end, block)?;
            if unit_level
                && pending.is_some_and(|b| matches!(b.kind, BlockKind::Class | BlockKind::Function))
                && let Some(unit) = self.out.units.last_mut()
            {
                unit.kind = UnitKind::Header;
            }
        }
        if pending.is_some() {
            return Err(Doubt("header at the end of the module"));
        }
        self.bound_units();
        Ok(())
    }

    /// Each unit's end, in tokens and in bytes.
    fn bound_units(&mut self) {
        let line_start = |offset: usize| offset - self.lines.position(offset).1;
        let starts: Vec<usize> = self
            .out
            .units
            .iter()
            .map(|u| line_start(self.tokens[u.first].start))
            .collect();
        let n = self.out.units.len();
        for k in 0..n {
            let next = self.out.units.get(k + 1).map(|u| u.first);
            let unit = &mut self.out.units[k];
            unit.end = next.unwrap_or(self.tokens.len());
            unit.start_byte = starts[k];
            unit.end_byte = starts.get(k + 1).copied().unwrap_or(self.src.len());
        }
    }

    /// One logical line `[start, end)` directly in `block`; returns the block
    /// its trailing header opens, if any.
    fn logical_line(
        &mut self,
        start: usize,
        end: usize,
        block: Option<Block>,
    ) -> Result<Option<Block>, Doubt> {
        let outer = block.map(|b| b.ctx).unwrap_or_default();
        let ends_with_colon = self.is_op(end - 1, ":");
        if let Some(Block {
            kind: BlockKind::Except,
            ctx,
        }) = block
            && let Some(handler) = ctx.except
        {
            self.judge_body(handler, start, end);
        }
        let first = self.text(start);
        let keyword = if first == "async" && start + 1 < end {
            self.text(start + 1)
        } else {
            first
        };
        match keyword {
            "def" | "class" if self.tokens[start].kind == Kind::Name => {
                let at = if first == "async" { start + 1 } else { start };
                self.definition(at, end, block)
            }
            "except" => {
                let colon = self.header_colon(start, end)?;
                let line_col = self.position(self.tokens[start].start);
                let handler = self.handlers.len();
                self.handlers.push(Handler {
                    body: ExceptBody {
                        file: self.file.to_string(),
                        line: line_col.0,
                        swallowed: false,
                        swallowed_by: Vec::new(),
                        logs: false,
                        reraises: false,
                    },
                    judge: SwallowedBody::default(),
                    column: line_col.1,
                    outer: outer.except,
                });
                self.out.except_handlers.push((
                    line_col.1,
                    ExceptHandler {
                        file: self.file.to_string(),
                        line: line_col.0,
                        bare: colon == start + 1,
                    },
                ));
                self.tokens_in(start + 1, colon, outer)?;
                let body = Enclosing {
                    except: Some(handler),
                    ..outer
                };
                self.body(colon, end, body, BlockKind::Except, Some(handler))
            }
            "if" if first == "if" && self.tokens[start].kind == Kind::Name => {
                let colon = self.header_colon(start, end)?;
                self.tokens_in(start + 1, colon, outer)?;
                let body = Enclosing {
                    in_main: outer.in_main || self.is_main_test(start + 1, colon),
                    ..outer
                };
                self.body(colon, end, body, BlockKind::Other, None)
            }
            "match" if ends_with_colon && self.is_match_header(start, end) => {
                self.tokens_in(start + 1, end - 1, outer)?;
                Ok(Some(Block {
                    kind: BlockKind::Match,
                    ctx: outer,
                }))
            }
            "case" if ends_with_colon && block.is_some_and(|b| b.kind == BlockKind::Match) => {
                // A pattern's `Name(...)` is a class pattern, not a call;
                // a guard after `if` is an expression.
                let colon = self.header_colon(start, end)?;
                let guard = self.depth_zero_name(start + 1, colon, "if");
                if let Some(guard) = guard {
                    self.tokens_in(guard + 1, colon, outer)?;
                }
                self.body(colon, end, outer, BlockKind::Other, None)
            }
            _ => {
                self.tokens_in(start, end, outer)?;
                Ok(ends_with_colon.then_some(Block {
                    kind: BlockKind::Other,
                    ctx: outer,
                }))
            }
        }
    }

    /// The first name `name` at bracket depth 0 among tokens `[start, end)`
    /// (bracketed groups skipped whole).
    fn depth_zero_name(&self, start: usize, end: usize, name: &str) -> Option<usize> {
        self.depth_zero(start, end).find(|&k| self.is_name(k, name))
    }

    /// `match SUBJECT:` as a statement (`match` is a soft keyword).
    fn is_match_header(&self, start: usize, end: usize) -> bool {
        if end - start < 3 {
            return false;
        }
        let next = start + 1;
        match self.tokens[next].kind {
            Kind::Op => matches!(self.text(next), "(" | "[" | "{" | "-" | "~" | "*"),
            _ => true,
        }
    }

    /// A `def` or `class` header (keyword at `at`).
    fn definition(
        &mut self,
        at: usize,
        end: usize,
        block: Option<Block>,
    ) -> Result<Option<Block>, Doubt> {
        let outer = block.map(|b| b.ctx).unwrap_or_default();
        let is_class = self.text(at) == "class";
        let name_at = at + 1;
        if name_at >= end || self.tokens[name_at].kind != Kind::Name {
            return Err(Doubt("definition without a name"));
        }
        let name = self.text(name_at);
        let qualname: Arc<str> = match outer.scope {
            Some(s) => format!("{}.{name}", self.scopes[s].qualname).into(),
            None => name.into(),
        };
        let scope = self.scopes.len();
        self.scopes.push(Scope {
            qualname: Arc::clone(&qualname),
        });
        let colon = self.header_colon(name_at, end)?;
        let (header, body, kind) = if is_class {
            let ctx = Enclosing {
                caller: outer.caller,
                class: Some(scope),
                except: None,
                in_main: outer.in_main,
                scope: Some(scope),
            };
            (ctx, ctx, BlockKind::Class)
        } else {
            let header = Enclosing {
                except: None,
                ..outer
            };
            let body = Enclosing {
                caller: Some(scope),
                class: outer.class,
                except: None,
                in_main: outer.in_main,
                scope: Some(scope),
            };
            (header, body, BlockKind::Function)
        };
        self.tokens_in(name_at + 1, colon, header)?;
        self.body(colon, end, body, kind, None)
    }

    /// After a header's `colon`: the inline body up to `end`, or the block
    /// the next INDENT opens.
    fn body(
        &mut self,
        colon: usize,
        end: usize,
        ctx: Enclosing,
        kind: BlockKind,
        handler: Option<usize>,
    ) -> Result<Option<Block>, Doubt> {
        if colon + 1 == end {
            return Ok(Some(Block { kind, ctx }));
        }
        if let Some(h) = handler {
            self.judge_body(h, colon + 1, end);
        }
        self.tokens_in(colon + 1, end, ctx)?;
        Ok(None)
    }

    /// The statements `[start, end)` of one logical line directly in the
    /// body of `handler`, each given to its [`SwallowedBody`].
    fn judge_body(&mut self, handler: usize, start: usize, end: usize) {
        let mut from = start;
        let mut j = start;
        while j <= end {
            if j == end || self.is_op(j, ";") {
                if j > from {
                    let statement = self.statement_text(from, j);
                    self.handlers[handler].judge.statement(&statement);
                }
                from = j + 1;
            } else if self.tokens[j].pair != NO_PAIR && self.tokens[j].pair > j {
                j = self.tokens[j].pair;
            }
            j += 1;
        }
    }

    /// The text of the statement `[start, end)`: its tokens without the
    /// parentheses around the whole, joined without whitespace.
    fn statement_text(&self, mut start: usize, mut end: usize) -> String {
        while end - start >= 2 && self.is_op(start, "(") && self.tokens[start].pair == end - 1 {
            start += 1;
            end -= 1;
        }
        (start..end).map(|i| self.text(i)).collect()
    }

    /// The header's closing `:` at bracket depth 0 (a lambda's own colon
    /// skipped).
    fn header_colon(&self, start: usize, end: usize) -> Result<usize, Doubt> {
        let mut lambdas = 0;
        for j in self.depth_zero(start, end) {
            if self.is_name(j, "lambda") {
                lambdas += 1;
            } else if self.is_op(j, ":") {
                if lambdas == 0 {
                    return Ok(j);
                }
                lambdas -= 1;
            }
        }
        Err(Doubt("header without its colon"))
    }

    /// The tokens `[start, end)` at bracket depth 0: a bracketed group or
    /// an f-string is its opening token alone.
    fn depth_zero(&self, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let mut j = start;
        std::iter::from_fn(move || {
            if j >= end {
                return None;
            }
            let here = j;
            let t = self.tokens[j];
            j = if t.pair != NO_PAIR && t.pair > j {
                t.pair + 1
            } else {
                j + 1
            };
            Some(here)
        })
    }

    /// `__name__ == "__main__"` (either order, parentheses allowed, one `==`).
    fn is_main_test(&self, start: usize, end: usize) -> bool {
        let (start, end) = self.unparenthesize(start, end);
        let mut eq = None;
        for j in self.depth_zero(start, end) {
            if self.is_op(j, "==") {
                if eq.is_some() {
                    return false;
                }
                eq = Some(j);
            }
        }
        let Some(eq) = eq else {
            return false;
        };
        let is_name = |(a, b): (usize, usize)| b == a + 1 && self.is_name(a, "__name__");
        let is_main =
            |(a, b): (usize, usize)| self.string_value(a, b).as_deref() == Some("__main__");
        let left = self.unparenthesize(start, eq);
        let right = self.unparenthesize(eq + 1, end);
        (is_name(left) && is_main(right)) || (is_main(left) && is_name(right))
    }

    fn unparenthesize(&self, mut start: usize, mut end: usize) -> (usize, usize) {
        while end > start + 1 && self.is_op(start, "(") && self.tokens[start].pair == end - 1 {
            start += 1;
            end -= 1;
        }
        (start, end)
    }

    /// The value of a run of plain `str` literals (as
    /// [`super::text::string_value`]); `None` for anything else.
    fn string_value(&self, start: usize, end: usize) -> Option<String> {
        if start >= end {
            return None;
        }
        let mut value = String::new();
        let mut j = start;
        while j < end {
            let t = self.tokens[j];
            // A plain string, or an f-string without a replacement field.
            let (body_end, next) = match t.kind {
                Kind::String => (t.end, j + 1),
                Kind::FStart if t.pair == j + 1 => (self.tokens[j + 1].end, j + 2),
                _ => return None,
            };
            let text = self.src.get(t.start..body_end)?;
            let prefix_len = text.find(['\'', '"'])?;
            let prefix = text[..prefix_len].to_ascii_lowercase();
            if prefix.contains('b') {
                return None;
            }
            let body = &text[prefix_len..];
            let quotes =
                if body.len() >= 6 && (body.starts_with("'''") || body.starts_with("\"\"\"")) {
                    3
                } else {
                    1
                };
            let inner = body.get(quotes..body.len().saturating_sub(quotes))?;
            value.push_str(&decode(inner, prefix.contains('r'), prefix.contains('f')));
            j = next;
        }
        Some(value)
    }

    /// Read the calls and `raise`s among tokens `[start, end)`, all in `ctx`.
    fn tokens_in(&mut self, start: usize, end: usize, ctx: Enclosing) -> Result<(), Doubt> {
        // Two shapes tree-sitter-python reads otherwise than CPython, read
        // here as CPython does: `type(x).a = 1` (tree-sitter: a type alias
        // statement) and a called splat, `[*f()]` or `x = *a.f(), 1`
        // (tree-sitter: a call of the splat). tests/oracle holds them.
        for j in start..end {
            let t = self.tokens[j];
            if t.kind == Kind::Name && self.text(j) == "raise" {
                let mut handler = ctx.except;
                while let Some(h) = handler {
                    self.handlers[h].body.reraises = true;
                    handler = self.handlers[h].outer;
                }
            }
            if t.kind == Kind::Op && self.text(j) == "(" && j > start {
                self.call(j - 1, ctx)?;
            }
        }
        Ok(())
    }

    /// A call whose callee name is token `name_at` (followed by `(`), if it
    /// is one.
    fn call(&mut self, name_at: usize, ctx: Enclosing) -> Result<(), Doubt> {
        if self.tokens[name_at].kind != Kind::Name {
            return Ok(());
        }
        let name = self.text(name_at);
        let attribute = name_at > 0 && self.is_op(name_at - 1, ".");
        // `from . import (...)` is no call; `def f(` and `class C(` neither.
        if is_keyword(name)
            || (name_at > 0
                && (self.is_name(name_at - 1, "def") || self.is_name(name_at - 1, "class")))
        {
            return Ok(());
        }
        if !attribute && name == "print" {
            let (line, column) = self.position(self.tokens[name_at].start);
            self.out.print_calls.push((
                column,
                PrintCall {
                    file: self.file.to_string(),
                    line,
                    exempt: self.test_file || ctx.in_main,
                },
            ));
        }
        Ok(())
    }

    fn finish(mut self) -> Dense {
        for mut handler in self.handlers {
            handler.body.swallowed_by = handler.judge.swallowed_by();
            handler.body.swallowed = !handler.body.swallowed_by.is_empty();
            self.out.except_bodies.push((handler.column, handler.body));
        }
        self.out
    }
}
