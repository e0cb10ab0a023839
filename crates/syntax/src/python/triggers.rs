//! Which units of a module tree-sitter must parse: those holding a token
//! some sparse rule needs, and those holding the context a rule reads from
//! elsewhere in the module.
//!
//! Each trigger is a superset of its rule's match, read off the rule (its
//! query and extractor): a unit without any trigger cannot give a sparse
//! finding, so leaving it unparsed loses nothing. The dense categories come
//! from the token pass for every unit. Where a rule reads the module around
//! the match, the context comes along: assignments from a router factory are
//! triggers themselves; names bound to a message's `type` field and names
//! bound by imports become triggers of the module; the import map itself is
//! read from tokens and handed to the extractors ([`super::imports`]).
//!
//! The scan tests compare every category with and without this selection on
//! the fixtures and generated corpora; the stdlib and site-packages figures
//! are in NOTES.md.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashSet;

use super::bindings::{LOGGER_FACTORIES, ROUTER_FACTORIES};
use super::clients::{
    AI_CLIENTS, DB_CALLS, EMBEDDING_CALLS, NOTIFY_CLIENTS, REDIS_CALLS, REDIS_ROOTS, SMTP_CLASSES,
    SMTP_ROOTS,
};
use super::context_carriers::{CARRIER_HEADERS, CARRIER_NAMES};
use super::imports::Raw as ImportBinding;
use super::lexer::{Kind, Token};
use super::text::decode;
use super::timing::{CLOCKS, is_duration_name};
use super::{log_calls, metrics_calls::is_metrics_receiver, routes};
use crate::common::MODEL_PREFIXES;

/// What the triggers read from the whole module.
pub(crate) struct ModuleTriggers<'s> {
    /// Names bound where a `"type"` string is read: `kind = msg["type"]`
    /// makes `kind == "ping"` anywhere a handled message type.
    type_reads: FxHashSet<&'s str>,
    /// Names imports bind to a client module or callable, a logging
    /// configuration function or an environment reader.
    imported: FxHashSet<String>,
}

/// Names a sparse rule matches on their own (any position).
fn trigger_names() -> &'static FxHashSet<&'static str> {
    static NAMES: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: FxHashSet<&'static str> = FxHashSet::default();
        // loggers; routers (context of routes and middleware); middleware
        names.extend(LOGGER_FACTORIES);
        names.extend(ROUTER_FACTORIES);
        names.insert("add_middleware");
        names.extend(CARRIER_NAMES);
        // clients: their modules, their callables (any receiver); env reads
        for (_, roots, calls) in DB_CALLS {
            names.extend(roots.iter());
            names.extend(calls.iter());
        }
        names.extend(REDIS_ROOTS);
        names.extend(REDIS_CALLS);
        for (root, calls, _) in AI_CLIENTS {
            names.insert(*root);
            names.extend(calls.iter());
        }
        names.extend(SMTP_ROOTS);
        names.extend(SMTP_CLASSES);
        names.extend(NOTIFY_CLIENTS);
        names.extend(["getenv", "environ"]);
        names.extend(["basicConfig", "dictConfig", "fileConfig"]);
        // embeddings
        names.extend(EMBEDDING_CALLS);
        names.extend(["embeddings", "Embedding"]);
        names
    })
}

/// Callees of background work (`background_tasks`' call rule).
const TASK_CALLEES: &[&str] = &[
    "create_task",
    "ensure_future",
    "add_task",
    "add_job",
    "run_in_executor",
    "Thread",
];

/// Text a string's value may hold for a rule to match it (compared ASCII
/// case-insensitively): the `type` key, context headers, URLs, model names.
fn string_needles() -> &'static AhoCorasick {
    static NEEDLES: OnceLock<AhoCorasick> = OnceLock::new();
    NEEDLES.get_or_init(|| {
        let mut needles: Vec<&str> = vec!["type", "http://", "https://"];
        needles.extend(CARRIER_HEADERS);
        needles.extend(MODEL_PREFIXES.iter().map(|(prefix, _)| *prefix));
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(needles)
            .unwrap_or_else(|_| unreachable!("literal needles build"))
    })
}

/// The module-wide part of the triggers.
pub(crate) fn module<'s>(
    src: &'s str,
    tokens: &[Token],
    imports: &[ImportBinding],
) -> ModuleTriggers<'s> {
    let text = |i: usize| src.get(tokens[i].start..tokens[i].end).unwrap_or("");
    let mut type_reads = FxHashSet::default();
    // Logical lines holding a `"type"` string: the names they bind.
    let mut line_start = 0;
    let mut buffer = Vec::new();
    for i in 0..=tokens.len() {
        let end_of_line = i == tokens.len() || tokens[i].kind == Kind::Newline;
        if !end_of_line {
            continue;
        }
        let line = line_start..i;
        line_start = i + 1;
        let holds_type = string_groups(src, tokens, line.clone(), &mut buffer).any(contains_type);
        if !holds_type {
            continue;
        }
        for j in line.clone() {
            let bound = tokens[j].kind == Kind::Name
                && (j == 0 || text(j - 1) != ".")
                && tokens
                    .get(j + 1)
                    .is_some_and(|t| t.kind == Kind::Op && matches!(text(j + 1), "=" | ":" | ":="));
            if bound {
                type_reads.insert(text(j));
            }
        }
    }
    let mut imported = FxHashSet::default();
    for binding in imports {
        let (bound, target) = binding.binding();
        let root = target.split('.').next().unwrap_or("");
        let last = target.rsplit('.').next().unwrap_or("");
        let client_root = DB_CALLS.iter().any(|(_, roots, _)| roots.contains(&root))
            || REDIS_ROOTS.contains(&root)
            || AI_CLIENTS.iter().any(|(r, _, _)| *r == root)
            || SMTP_ROOTS.contains(&root)
            || root == "logging";
        let env_reader = target == "os.getenv" || target.starts_with("os.environ");
        if (client_root && bound != target) || env_reader || NOTIFY_CLIENTS.contains(&last) {
            imported.insert(bound.to_owned());
        }
    }
    ModuleTriggers {
        type_reads,
        imported,
    }
}

fn contains_type(value: &[u8]) -> bool {
    value.windows(4).any(|w| w.eq_ignore_ascii_case(b"type"))
}

/// The decoded values of the string groups (implicitly concatenated
/// literals; an f-string's fields kept as text) among tokens `range`.
fn string_groups<'b>(
    src: &str,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    buffer: &'b mut Vec<u8>,
) -> impl Iterator<Item = &'b [u8]> {
    let mut groups: Vec<(usize, usize)> = Vec::new();
    buffer.clear();
    let mut j = range.start;
    let mut open: Option<usize> = None;
    while j < range.end {
        let t = tokens[j];
        let part_end = match t.kind {
            Kind::String => Some((t.start, t.end, j + 1)),
            Kind::FStart if t.pair < tokens.len() => {
                Some((t.start, tokens[t.pair].end, t.pair + 1))
            }
            _ => None,
        };
        match part_end {
            Some((start, end, next)) => {
                open.get_or_insert(buffer.len());
                push_value(src.get(start..end).unwrap_or(""), buffer);
                j = next;
            }
            None => {
                if let Some(start) = open.take() {
                    groups.push((start, buffer.len()));
                }
                j += 1;
            }
        }
    }
    if let Some(start) = open.take() {
        groups.push((start, buffer.len()));
    }
    let buffer: &'b Vec<u8> = buffer;
    groups.into_iter().map(move |(a, b)| &buffer[a..b])
}

/// Append a literal's value (escapes decoded; an f-string's fields as
/// written) to `out`.
fn push_value(literal: &str, out: &mut Vec<u8>) {
    let Some(quote) = literal.find(['\'', '"']) else {
        return;
    };
    let prefix = literal[..quote].to_ascii_lowercase();
    let body = &literal[quote..];
    let quotes = if body.starts_with("'''") || body.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let inner = body
        .get(quotes..body.len().saturating_sub(quotes))
        .unwrap_or("");
    if inner.contains('\\') {
        out.extend_from_slice(decode(inner, prefix.contains('r'), prefix.contains('f')).as_bytes());
    } else {
        out.extend_from_slice(inner.as_bytes());
    }
}

/// Whether tokens `range` (one unit) hold a trigger.
pub(crate) fn triggered(
    src: &str,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    module: &ModuleTriggers<'_>,
    buffer: &mut Vec<u8>,
) -> bool {
    let text = |i: usize| src.get(tokens[i].start..tokens[i].end).unwrap_or("");
    let is_op =
        |i: usize, op: &str| i < tokens.len() && tokens[i].kind == Kind::Op && text(i) == op;
    let names = trigger_names();
    let mut decorator_line = false;
    let mut posts = false;
    let mut webhook_name = false;
    for j in range.clone() {
        let t = tokens[j];
        let at_line_start = j == range.start
            || matches!(
                tokens[j - 1].kind,
                Kind::Newline | Kind::Indent | Kind::Dedent
            );
        if at_line_start {
            decorator_line = is_op(j, "@");
        }
        if t.kind != Kind::Name {
            continue;
        }
        let name = text(j);
        let after_dot = j > 0 && is_op(j - 1, ".");
        let called = is_op(j + 1, "(");
        let fires = names.contains(name)
            || module.imported.contains(name)
            || (!after_dot && module.type_reads.contains(name))
            || is_duration_name(name)
            || (is_metrics_receiver(name) && is_op(j + 1, "."))
            || (after_dot && called && log_calls::level(name).is_some())
            || (called && (TASK_CALLEES.contains(&name) || name.ends_with("Scheduler")))
            || (called && CLOCKS.iter().any(|c| c.rsplit('.').next() == Some(name)))
            || (decorator_line
                && (routes::method(name).is_some()
                    || matches!(name, "middleware" | "task" | "shared_task")));
        if fires {
            return true;
        }
        posts |= called && matches!(name, "post" | "put");
        let upper = name.to_ascii_uppercase();
        webhook_name |= upper.contains("WEBHOOK") || upper.contains("SLACK");
    }
    if posts && webhook_name {
        return true;
    }
    let needles = string_needles();
    string_groups(src, tokens, range, buffer).any(|value| needles.is_match(value))
}
