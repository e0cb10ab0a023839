//! Import bindings of a module and the qualified names they give callees.

use std::collections::BTreeMap;

use tree_sitter::{Node, Query, QueryMatch};

use super::lexer::{Kind, Token};
use super::text::{dotted_name, text};
use super::{capture, node};

pub(super) struct Captures {
    import: u32,
    module: u32,
    from: u32,
    name: u32,
    alias: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            import: capture(query, "import")?,
            module: capture(query, "import.module")?,
            from: capture(query, "import.from")?,
            name: capture(query, "import.name")?,
            alias: capture(query, "import.alias")?,
        })
    }
}

/// One binding: where it is, the bound name, what it stands for, whether
/// it names an alias (`as x`).
pub(super) struct Raw {
    at: usize,
    bound: String,
    target: String,
    aliased: bool,
}

pub(super) fn collect(caps: &Captures, m: &QueryMatch<'_, '_>, src: &str) -> Option<Raw> {
    node(m, caps.import)?;
    let alias_node = node(m, caps.alias);
    let alias = alias_node.map(|a| text(a, src).to_owned());
    let name_node = alias_node
        .or_else(|| node(m, caps.name))
        .or_else(|| node(m, caps.module))?;
    let (bound, target) = if let Some(module) = node(m, caps.module) {
        let module = text(module, src);
        match alias {
            Some(alias) => (alias, module.to_owned()),
            None => {
                let first = module.split('.').next().unwrap_or(module);
                (first.to_owned(), first.to_owned())
            }
        }
    } else {
        let from = text(node(m, caps.from)?, src);
        let name = text(node(m, caps.name)?, src);
        (
            alias.unwrap_or_else(|| name.to_owned()),
            format!("{from}.{name}"),
        )
    };
    let normalize = |s: String| s.split_whitespace().collect::<String>();
    Some(Raw {
        at: name_node.start_byte(),
        bound: normalize(bound),
        target: normalize(target),
        aliased: alias_node.is_some(),
    })
}

/// The bindings of one module: each name to the target of the first import
/// (in source order) that binds it.
pub(super) struct Imports {
    map: BTreeMap<String, String>,
}

impl Imports {
    pub(super) fn new(mut raws: Vec<Raw>) -> Self {
        raws.sort_by_key(|r| r.at);
        let mut map = BTreeMap::new();
        for raw in raws {
            map.entry(raw.bound).or_insert(raw.target);
        }
        Imports { map }
    }

    /// The qualified name of a dotted expression (`aioredis.Redis.from_url`
    /// with `import redis.asyncio as aioredis` gives
    /// `redis.asyncio.Redis.from_url`): its first identifier replaced by what
    /// an import binds it to. `None` when the expression is no dotted name.
    pub(super) fn qualified(&self, node: Node<'_>, src: &str) -> Option<String> {
        let dotted = dotted_name(node, src)?;
        let (first, rest) = match dotted.split_once('.') {
            Some((first, rest)) => (first, Some(rest)),
            None => (dotted.as_str(), None),
        };
        let head = self.map.get(first).map_or(first, String::as_str);
        Some(match rest {
            Some(rest) => format!("{head}.{rest}"),
            None => head.to_owned(),
        })
    }

    /// Whether an import binds a name to one of `modules` or to something
    /// in one (`import smtplib`, `import smtplib as s`, `from smtplib
    /// import SMTP`).
    pub(super) fn imports_any(&self, modules: &[&str]) -> bool {
        self.map
            .values()
            .any(|target| super::hardcoded_secrets::is_in_any(target, modules))
    }

    /// [`Imports::qualified`], only when an import binds the expression's
    /// first identifier (a local variable `sentry_sdk` is not the module).
    pub(super) fn imported(&self, node: Node<'_>, src: &str) -> Option<String> {
        let dotted = dotted_name(node, src)?;
        let first = dotted.split('.').next().unwrap_or(&dotted);
        if !self.map.contains_key(first) {
            return None;
        }
        self.qualified(node, src)
    }
}

/// The import bindings of a module read from its tokens, as [`collect`]
/// reads them from the tree: `import a.b [as x]`, `from m import n [as x]`
/// (a parenthesized list too) anywhere in the module; relative, `*` and
/// `__future__` imports bind nothing. The token pass gives these to the
/// extractors when the tree holds only some units: the first binding of a
/// name wins, so a partial list could qualify a call differently.
pub(super) fn from_tokens(src: &str, tokens: &[Token]) -> Vec<Raw> {
    let text = |i: usize| src.get(tokens[i].start..tokens[i].end).unwrap_or("");
    let is_op =
        |i: usize, op: &str| tokens.get(i).is_some_and(|t| t.kind == Kind::Op) && text(i) == op;
    let is_name = |i: usize| tokens.get(i).is_some_and(|t| t.kind == Kind::Name);
    // A dotted name from `i`: its text and the index after it.
    let dotted = |mut i: usize| -> Option<(String, usize)> {
        if !is_name(i) {
            return None;
        }
        let mut name = text(i).to_owned();
        i += 1;
        while is_op(i, ".") && is_name(i + 1) {
            name.push('.');
            name.push_str(text(i + 1));
            i += 2;
        }
        Some((name, i))
    };
    // `as ALIAS` at `i`: the alias token's index.
    let alias = |i: usize| (is_name(i) && text(i) == "as" && is_name(i + 1)).then_some(i + 1);
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != Kind::Name || text(i) != "import" {
            continue;
        }
        // `from MODULE import`: back over the module to `from`.
        let mut j = i;
        while j > 0
            && (is_name(j - 1) && text(j - 1) != "from" || is_op(j - 1, ".") || is_op(j - 1, "..."))
        {
            j -= 1;
        }
        let from = j > 0 && is_name(j - 1) && text(j - 1) == "from";
        if !from {
            // `import a.b [as x], c`
            let mut k = i + 1;
            while let Some((module, next)) = dotted(k) {
                let (at, bound, target) = match alias(next) {
                    Some(a) => (tokens[a].start, text(a).to_owned(), module),
                    None => {
                        let first = module.split('.').next().unwrap_or("").to_owned();
                        (tokens[k].start, first.clone(), first)
                    }
                };
                let aliased = alias(next).is_some();
                out.push(Raw {
                    at,
                    bound,
                    target,
                    aliased,
                });
                k = alias(next).map_or(next, |a| a + 1);
                if !is_op(k, ",") {
                    break;
                }
                k += 1;
            }
            continue;
        }
        let Some((module, after)) = dotted(j) else {
            continue; // relative: `from . import x`, `from .m import x`
        };
        if after != i || module == "__future__" {
            continue;
        }
        let mut k = i + 1;
        if is_op(k, "(") {
            k += 1;
        }
        while let Some((name, next)) = dotted(k) {
            let (at, bound) = match alias(next) {
                Some(a) => (tokens[a].start, text(a).to_owned()),
                None => (tokens[k].start, name.clone()),
            };
            out.push(Raw {
                at,
                bound,
                target: format!("{module}.{name}"),
                aliased: alias(next).is_some(),
            });
            k = alias(next).map_or(next, |a| a + 1);
            if !is_op(k, ",") {
                break;
            }
            k += 1;
        }
    }
    out
}

impl Raw {
    /// The bound name and what it stands for.
    pub(super) fn binding(&self) -> (&str, &str) {
        (&self.bound, &self.target)
    }

    /// What the binding stands for when the import names no alias
    /// (`from time import time` gives `time.time`; `... as now`, `None`).
    pub(super) fn unaliased_target(&self) -> Option<&str> {
        (!self.aliased).then_some(self.target.as_str())
    }
}
