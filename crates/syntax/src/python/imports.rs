//! Import bindings of a module and the qualified names they give callees.

use std::collections::BTreeMap;

use tree_sitter::{Node, Query, QueryMatch};

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

/// One binding: where it is, the bound name, what it stands for.
pub(super) struct Raw {
    at: usize,
    bound: String,
    target: String,
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
}
