//! The texts a string expression may hold, read from the code: literals,
//! f-string templates, `+` concatenations, names and module attributes
//! bound to them (imports followed), lookups in a dict display of
//! literals, and sqlalchemy's `text(sql)`. What the model cannot read
//! stands as [`UNREAD`] in the text; an expression it cannot read at all
//! gives no texts.

use crate::model::{Evaluator, FileId, Value};
use crate::summary::{Binding, Expr, ExprId, ScopeId};

/// A part of a text the model cannot read (`base + "/chat/completions"`
/// with `base` a parameter gives `{…}/chat/completions`).
pub const UNREAD: &str = "{…}";

/// At most this many texts per expression (a concatenation of lookups
/// multiplies them).
const MAX_TEXTS: usize = 16;

/// How many names and concatenations are followed from the expression.
const MAX_DEPTH: usize = 8;

/// One text an expression may hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StringValue {
    /// The text; f-string fields as written, unread parts as [`UNREAD`].
    pub text: String,
    /// Every part is a plain literal (no f-string field, nothing unread).
    pub exact: bool,
}

impl StringValue {
    fn exact(text: &str) -> Self {
        StringValue {
            text: text.to_owned(),
            exact: true,
        }
    }
}

/// The texts `expr` (in `scope` of `file`) may hold; empty when the model
/// cannot read it. Distinct texts, in the order the code gives them.
pub(crate) fn string_values(
    ev: &mut Evaluator<'_>,
    file: FileId,
    scope: ScopeId,
    expr: ExprId,
) -> Vec<StringValue> {
    ev.new_question();
    let mut out = values(ev, file, scope, expr, 0);
    let mut seen = std::collections::HashSet::new();
    out.retain(|v| seen.insert(v.clone()));
    out
}

fn values(
    ev: &mut Evaluator<'_>,
    file: FileId,
    scope: ScopeId,
    expr: ExprId,
    depth: usize,
) -> Vec<StringValue> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    let module = ev.module(file);
    match *module.expr(expr) {
        Expr::Str(text) => vec![StringValue::exact(module.name(text))],
        Expr::Template(text) => vec![StringValue {
            text: module.name(text).to_owned(),
            exact: false,
        }],
        Expr::Concat(span) => {
            let mut out = vec![StringValue::exact("")];
            for &part in module.items(span) {
                let mut texts = values(ev, file, scope, part, depth + 1);
                if texts.is_empty() {
                    texts.push(StringValue {
                        text: UNREAD.to_owned(),
                        exact: false,
                    });
                }
                out = out
                    .iter()
                    .flat_map(|a| {
                        texts.iter().map(move |b| StringValue {
                            text: format!("{}{}", a.text, b.text),
                            exact: a.exact && b.exact,
                        })
                    })
                    .take(MAX_TEXTS)
                    .collect();
            }
            out
        }
        Expr::StrDict(span) => Vec::from(module.items(span))
            .into_iter()
            .flat_map(|v| values(ev, file, scope, v, depth + 1))
            .take(MAX_TEXTS)
            .collect(),
        // `TABLE[key]`: any of the table's values.
        Expr::Subscript(base, _) => values(ev, file, scope, base, depth + 1)
            .into_iter()
            .filter(|_| is_lookup_table(ev, file, scope, base, depth))
            .collect(),
        Expr::Call(func, args) => {
            // sqlalchemy's `text(sql)` is its SQL.
            let is_text = ev.eval(file, scope, func).iter().any(|v| {
                matches!(v, Value::External(q) if matches!(&**q,
                    "sqlalchemy.text" | "sqlalchemy.sql.text" | "sqlalchemy.sql.expression.text"))
            });
            match module.arguments(args).first() {
                Some(first) if is_text && first.keyword.is_none() => {
                    values(ev, file, scope, first.value, depth + 1)
                }
                _ => Vec::new(),
            }
        }
        Expr::Name(_) | Expr::Attribute(..) => {
            let mut out = Vec::new();
            for (f, s, i) in ev.definitions(file, scope, expr) {
                if let Binding::Value {
                    value: Some(value), ..
                } = ev.scope(f, s).bindings[i as usize].1
                {
                    out.extend(values(ev, f, s, value, depth + 1));
                }
                if out.len() >= MAX_TEXTS {
                    break;
                }
            }
            out.truncate(MAX_TEXTS);
            out
        }
        _ => Vec::new(),
    }
}

/// Whether `expr` is (bound to) a dict display of literals: a subscript
/// of anything else is not one of its texts (`url[0]` is a character).
fn is_lookup_table(
    ev: &mut Evaluator<'_>,
    file: FileId,
    scope: ScopeId,
    expr: ExprId,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match *ev.module(file).expr(expr) {
        Expr::StrDict(_) => true,
        Expr::Name(_) | Expr::Attribute(..) => {
            let defs = ev.definitions(file, scope, expr);
            !defs.is_empty()
                && defs.into_iter().all(|(f, s, i)| {
                    matches!(ev.scope(f, s).bindings[i as usize].1,
                        Binding::Value { value: Some(v), .. }
                            if is_lookup_table(ev, f, s, v, depth + 1))
                })
        }
        _ => false,
    }
}
