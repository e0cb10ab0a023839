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

use rustc_hash::FxHashSet;

use super::bindings::{LOGGER_FACTORIES, ROUTER_FACTORIES, is_logger_name, is_router_name};
use super::clients::{
    AI_CLIENTS, DB_CALLS, EMBEDDING_CALLS, NOTIFY_CLIENTS, REDIS_ROOTS, SMTP_ROOTS,
};
use super::context_carriers::{CARRIER_HEADERS, CARRIER_NAMES};
use super::imports::Raw as ImportBinding;
use super::lexer::{Kind, Token};
use super::text::decode;
use super::timing::{CLOCKS, is_duration_name};
use super::{log_calls, metrics_calls::is_metrics_receiver, routes};
use crate::common::MODEL_PREFIXES;

/// What the triggers read from the whole module, in any scope.
pub(crate) struct ModuleTriggers<'s> {
    /// Names bound where a `"type"` string is read: `kind = msg["type"]`
    /// makes `kind == "ping"` anywhere a handled message type.
    type_reads: FxHashSet<&'s str>,
    /// Names bound to a logger factory's result (`self.log = getLogger()`).
    loggers: FxHashSet<&'s str>,
    /// Names bound to a router factory's result.
    routers: FxHashSet<&'s str>,
    /// Names imports bind to a client module or callable, a logging
    /// configuration function or an environment reader.
    imported: FxHashSet<String>,
}

/// Names a sparse rule matches wherever they are: the rules' factories,
/// modules and classes that any receiver or an import can reach.
fn trigger_names() -> &'static FxHashSet<&'static str> {
    static NAMES: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: FxHashSet<&'static str> = FxHashSet::default();
        // loggers; routers (the context of routes and middleware)
        names.extend(LOGGER_FACTORIES);
        names.extend(ROUTER_FACTORIES);
        names.insert("add_middleware");
        names.extend(CARRIER_NAMES);
        // clients, qualified through imports: their modules by name (an
        // alias or a name imported from them is in `imported`)
        for (_, roots, _) in DB_CALLS {
            names.extend(roots.iter());
        }
        names.extend(REDIS_ROOTS);
        names.extend(AI_CLIENTS.iter().map(|(root, _, _)| *root));
        names.extend(SMTP_ROOTS);
        // clients matched on the callee's last name, any receiver
        names.extend(NOTIFY_CLIENTS);
        names.extend(EMBEDDING_CALLS);
        names.extend(["embeddings", "Embedding"]);
        // logging configuration: `logging.config.dictConfig(...)`
        names.extend(["basicConfig", "dictConfig", "fileConfig"]);
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

/// Token helpers over one module.
struct View<'a> {
    src: &'a str,
    tokens: &'a [Token],
}

impl<'a> View<'a> {
    fn text(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .and_then(|t| self.src.get(t.start..t.end))
            .unwrap_or("")
    }

    fn is_op(&self, i: usize, op: &str) -> bool {
        self.tokens.get(i).is_some_and(|t| t.kind == Kind::Op) && self.text(i) == op
    }

    fn is_name(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.kind == Kind::Name)
    }

    /// Token `j` is a name after a `.`.
    fn after_dot(&self, j: usize) -> bool {
        j > 0 && self.is_op(j - 1, ".")
    }

    /// The receiver name of the attribute named at `j` (`r` of `r.m`),
    /// itself not an attribute's name when `bare`.
    fn receiver(&self, j: usize) -> Option<&'a str> {
        (self.after_dot(j) && j >= 2 && self.is_name(j - 2)).then(|| self.text(j - 2))
    }
}

/// The module-wide part of the triggers.
pub(crate) fn module<'s>(
    src: &'s str,
    tokens: &'s [Token],
    imports: &[ImportBinding],
) -> ModuleTriggers<'s> {
    let view = View { src, tokens };
    let mut found = ModuleTriggers {
        type_reads: FxHashSet::default(),
        loggers: FxHashSet::default(),
        routers: FxHashSet::default(),
        imported: FxHashSet::default(),
    };
    let mut buffer = Vec::new();
    let mut line_start = 0;
    for end in 0..=tokens.len() {
        if end < tokens.len() && tokens[end].kind != Kind::Newline {
            continue;
        }
        let line = line_start..end;
        line_start = end + 1;
        let called = |names: &[&str]| {
            line.clone()
                .any(|j| view.is_name(j) && names.contains(&view.text(j)) && view.is_op(j + 1, "("))
        };
        let (logger, router) = (called(LOGGER_FACTORIES), called(ROUTER_FACTORIES));
        let type_read =
            string_groups(src, tokens, line.clone(), &mut buffer).any(|value| value == b"type");
        if !(logger || router || type_read) {
            continue;
        }
        for j in line.clone() {
            if !view.is_name(j) {
                continue;
            }
            let name = view.text(j);
            // An assignment's target (its last name), annotated or not.
            if !(view.is_op(j + 1, "=") || view.is_op(j + 1, ":")) {
                continue;
            }
            if logger {
                found.loggers.insert(name);
            }
            if router {
                found.routers.insert(name);
            }
            if type_read && !view.after_dot(j) {
                found.type_reads.insert(name);
            }
        }
    }
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
            found.imported.insert(bound.to_owned());
        }
    }
    found
}

/// Whether tokens `range` (one unit) hold a trigger.
pub(crate) fn triggered(
    src: &str,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    module: &ModuleTriggers<'_>,
    buffer: &mut Vec<u8>,
) -> bool {
    let view = View { src, tokens };
    let names = trigger_names();
    let mut decorator_line = false;
    let mut posts = false;
    let mut webhook_name = false;
    for j in range.clone() {
        let t = tokens[j];
        if j == range.start
            || matches!(
                tokens[j - 1].kind,
                Kind::Newline | Kind::Indent | Kind::Dedent
            )
        {
            decorator_line = view.is_op(j, "@");
        }
        if t.kind != Kind::Name {
            continue;
        }
        let name = view.text(j);
        let after_dot = view.after_dot(j);
        let called = view.is_op(j + 1, "(");
        let receiver = view.receiver(j);
        let fires = names.contains(name)
            || module.imported.contains(name)
            || (!after_dot && module.type_reads.contains(name))
            // timing: a duration variable assigned; a clock called
            || (is_duration_name(name) && (view.is_op(j + 1, "=") || view.is_op(j + 1, ":")))
            || (called && is_clock(&view, j))
            // env reads: `getenv(...)`, `environ[...]`, `environ.get(...)`
            || (name == "getenv" && called)
            || (name == "environ"
                && (view.is_op(j + 1, "[")
                    || (view.is_op(j + 1, ".") && view.text(j + 2) == "get" && view.is_op(j + 3, "("))))
            || (is_metrics_receiver(name) && view.is_op(j + 1, "."))
            // log calls: `logger.info(...)`, `logging.info(...)`
            || (called
                && log_calls::level(name).is_some()
                && receiver.is_some_and(|r| {
                    is_logger_name(r, |n| module.loggers.contains(n))
                        || (r == "logging" && !(j >= 3 && view.is_op(j - 3, ".")))
                }))
            || (called && (TASK_CALLEES.contains(&name) || name.ends_with("Scheduler")))
            // decorators: routes and middleware on a router, celery tasks
            || (decorator_line
                && called
                && (routes::method(name).is_some() || name == "middleware")
                && receiver.is_some_and(|r| is_router_name(r, |n| module.routers.contains(n))))
            || (decorator_line && matches!(name, "task" | "shared_task"));
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
    string_groups(src, tokens, range, buffer).any(string_fires)
}

/// A clock call (`time.time()`, `perf_counter()`...) named at `j`.
fn is_clock(view: &View<'_>, j: usize) -> bool {
    let name = view.text(j);
    CLOCKS.iter().any(|clock| match clock.split_once('.') {
        Some((module, function)) => {
            function == name
                && view.receiver(j) == Some(module)
                && !(j >= 3 && view.is_op(j - 3, "."))
        }
        None => *clock == name && !view.after_dot(j),
    })
}

/// Whether a string's value is one a rule reads: the `type` key, a context
/// header, a URL (leading), a model name (leading).
fn string_fires(value: &[u8]) -> bool {
    let starts_ci = |prefix: &str| {
        value.len() >= prefix.len() && value[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    value == b"type"
        || CARRIER_HEADERS
            .iter()
            .any(|h| value.eq_ignore_ascii_case(h.as_bytes()))
        || starts_ci("http://")
        || starts_ci("https://")
        || MODEL_PREFIXES
            .iter()
            .any(|(prefix, _)| value.starts_with(prefix.as_bytes()))
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
