//! Which units of a module tree-sitter must parse: those holding a token
//! some sparse rule needs, and those holding the context a rule reads from
//! elsewhere in the module.
//!
//! Each trigger is a superset of its rule's match, read off the rule (its
//! query and extractor): a unit without any trigger cannot give a sparse
//! finding, so leaving it unparsed loses nothing. Each category declares
//! its triggers beside its rule: a `triggers` function of its module gives
//! its names their [`role`]s and registers the modules it reads through
//! imports ([`Registry`]), and [`super::TRIGGERS`] lists the registrations
//! once; this module is the machinery that reads them. The dense categories come
//! from the token pass for every unit. Where a rule reads the module around
//! the match, the context comes along: assignments from a router factory are
//! triggers themselves; names bound to a logger, a router or the wall clock,
//! and names bound by imports, become triggers of the module; a module that receives from a
//! WebSocket is parsed whole (the websocket rule follows what it receives
//! through its functions); the import map itself is read from tokens and
//! handed to the extractors ([`super::imports`]).
//!
//! The scan tests compare every category with and without this selection on
//! the fixtures and generated corpora; the stdlib and site-packages figures
//! are in `benches/README.md`.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::bindings::{is_logger_name, is_router_name};
use super::context_carriers::CARRIER_HEADERS;
use super::imports::Raw as ImportBinding;
use super::lexer::{Kind, Token};
use super::metrics_calls::is_metrics_receiver;
use super::text::decode_prefix;
use super::timing::{CLOCKS, is_duration_name};
use super::wall_clock::{WALL_CLOCKS, bare_clocks};
use super::websocket_messages::{RECEIVE_METHODS, SEND_METHODS};
use crate::common::MODEL_PREFIXES;

/// What the triggers read from the whole module, in any scope.
pub(crate) struct ModuleTriggers<'s> {
    /// The module calls a WebSocket receive method (`X.receive_json(`,
    /// `X.iter_text(`...): every unit is then a trigger, since the
    /// websocket rule follows the received value through names and calls
    /// to comparisons anywhere in the module.
    receives: bool,
    /// Names bound to a logger factory's result (`self.log = getLogger()`).
    loggers: FxHashSet<&'s str>,
    /// Names bound to a router factory's result.
    routers: FxHashSet<&'s str>,
    /// Names a wall-clock duration may read: those assigned on a line that
    /// reads the wall clock (`t0 = time.time()`, `self.t0 = ...`: the
    /// target's last name), and `time` / `time_ns` when the module imports
    /// them bare from `time`.
    wall_clock: FxHashSet<&'s str>,
    /// Names imports bind to a client module or callable, a logging
    /// configuration function or an environment reader.
    imported: FxHashSet<String>,
}

/// What a name can be to a rule (bits); most names are nothing. A category
/// gives its names these roles in its registration ([`Registry::names`]).
pub(crate) mod role {
    /// A trigger wherever it is.
    pub const ALWAYS: u16 = 1;
    /// The last name of a clock (`time.time`, `perf_counter`).
    pub const CLOCK: u16 = 1 << 1;
    /// A log level method.
    pub const LEVEL: u16 = 1 << 2;
    /// A callee of background work.
    pub const TASK: u16 = 1 << 3;
    /// A route decorator's method, or `middleware`.
    pub const ROUTE: u16 = 1 << 4;
    /// A celery task decorator.
    pub const CELERY: u16 = 1 << 5;
    pub const GETENV: u16 = 1 << 6;
    pub const ENVIRON: u16 = 1 << 7;
    /// `post` / `put` (webhook posts).
    pub const POST: u16 = 1 << 8;
    pub const LOGGER_FACTORY: u16 = 1 << 9;
    pub const ROUTER_FACTORY: u16 = 1 << 10;
}

/// A category's trigger registration: a function of its extractor's
/// module, beside the rule, declaring on the [`Registry`] what lets a unit
/// through to the rule. The registrations are listed once, in
/// [`super::TRIGGERS`].
pub(crate) type Register = fn(&mut Registry);

/// The triggers every category registered: the tables the machinery below
/// reads.
#[derive(Default)]
pub(crate) struct Registry {
    /// Each interesting name's roles, looked up once per name token.
    roles: FxHashMap<&'static str, u16>,
    /// The modules whose calls a rule reads through the module's imports.
    roots: FxHashSet<&'static str>,
    /// Names a rule matches by their last segment that an import may bind
    /// under another name: `(module, names)`, the import's target in
    /// `module` (any module when `None`) and its last segment one of
    /// `names`.
    renamed: Vec<(Option<&'static str>, &'static [&'static str])>,
}

impl Registry {
    /// `names` have `role` for the category's rule.
    pub(crate) fn names(&mut self, names: impl IntoIterator<Item = &'static str>, role: u16) {
        for name in names {
            *self.roles.entry(name).or_default() |= role;
        }
    }

    /// Modules whose calls the rule reads through the module's imports
    /// (`asyncpg.create_pool`, `sentry_sdk.init`): each is a trigger
    /// wherever it is named, and so is any name an import binds to
    /// something in one.
    pub(crate) fn imported_roots(&mut self, roots: impl IntoIterator<Item = &'static str>) {
        for root in roots {
            self.roots.insert(root);
            self.names([root], role::ALWAYS);
        }
    }

    /// Names the rule matches by their last segment (a logging
    /// configuration function, an environment reader, a notification
    /// client) that an import may bind under another name, which a chain
    /// holding the rule's own names would not show: imported from `module`
    /// (`logging`, `os`), or from anywhere when `None`.
    pub(crate) fn renamed(&mut self, module: Option<&'static str>, names: &'static [&'static str]) {
        self.renamed.push((module, names));
    }

    /// Whether an import binding `bound` to `target` (root `root`, last
    /// segment `last`) binds a name the rules read.
    fn binds_trigger(&self, bound: &str, target: &str, root: &str, last: &str) -> bool {
        // A client module's name, or anything imported from one: the calls
        // it reaches are qualified through it.
        let client = self.roots.contains(root);
        let renamed = bound != last
            && self
                .renamed
                .iter()
                .any(|(module, names)| module.is_none_or(|m| m == root) && names.contains(&last));
        (client && bound != target) || renamed
    }
}

/// The registry of every category's triggers, built once.
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry::default();
        for register in super::TRIGGERS {
            register(&mut registry);
        }
        registry
    })
}

fn role_of(name: &str) -> u16 {
    registry().roles.get(name).copied().unwrap_or(0)
}

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

    /// The receiver name of the attribute named at `j` (`r` of `r.m`).
    fn receiver(&self, j: usize) -> Option<&'a str> {
        (self.after_dot(j) && j >= 2 && self.is_name(j - 2)).then(|| self.text(j - 2))
    }

    /// The receiver at `j` is a bare name (`r.m`, not `x.r.m`).
    fn bare_receiver(&self, j: usize) -> bool {
        !(j >= 3 && self.is_op(j - 3, "."))
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
        receives: false,
        loggers: FxHashSet::default(),
        routers: FxHashSet::default(),
        wall_clock: bare_clocks(imports).collect(),
        imported: FxHashSet::default(),
    };
    let bare: Vec<&str> = found.wall_clock.iter().copied().collect();
    for line in lines(tokens) {
        let mut roles = 0;
        for j in line.clone() {
            if view.is_name(j) && view.is_op(j + 1, "(") {
                roles |= role_of(view.text(j));
            }
        }
        let logger = roles & role::LOGGER_FACTORY != 0;
        let router = roles & role::ROUTER_FACTORY != 0;
        let wall_clock =
            roles & role::CLOCK != 0 && line.clone().any(|j| is_wall_clock_read(&view, j, &bare));
        found.receives |= line.clone().any(|j| {
            view.is_name(j)
                && view.after_dot(j)
                && view.is_op(j + 1, "(")
                && RECEIVE_METHODS.contains(&view.text(j))
        });
        if !(logger || router || wall_clock) {
            continue;
        }
        for j in line {
            // An assignment's target (its last name), annotated or not.
            if !view.is_name(j) || !(view.is_op(j + 1, "=") || view.is_op(j + 1, ":")) {
                continue;
            }
            let name = view.text(j);
            if logger {
                found.loggers.insert(name);
            }
            if router {
                found.routers.insert(name);
            }
            if wall_clock {
                found.wall_clock.insert(name);
            }
        }
    }
    let registry = registry();
    for binding in imports {
        let (bound, target) = binding.binding();
        let root = target.split('.').next().unwrap_or("");
        let last = target.rsplit('.').next().unwrap_or("");
        if registry.binds_trigger(bound, target, root, last) {
            found.imported.insert(bound.to_owned());
        }
    }
    found
}

/// The logical lines of a module, as token ranges.
fn lines(tokens: &[Token]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    (0..=tokens.len()).filter_map(move |end| {
        if end < tokens.len() && tokens[end].kind != Kind::Newline {
            return None;
        }
        let line = start..end;
        start = end + 1;
        Some(line)
    })
}

/// Which findings a reading needs from tree-sitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Every category: the scan.
    Every,
    /// What `recon check`'s rules read from the tree: log calls (and the
    /// logger bindings they read) and wall-clock durations (the rest comes
    /// from the token pass).
    Check,
}

/// Whether tokens `range` (one unit) hold a trigger of `reading`.
pub(crate) fn triggered(
    src: &str,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    module: &ModuleTriggers<'_>,
    reading: Reading,
) -> bool {
    if reading == Reading::Check {
        let view = View { src, tokens };
        return log_call_triggered(&view, range.clone(), module)
            || range
                .into_iter()
                .any(|j| wall_clock_fires(&view, j, module));
    }
    if module.receives {
        return true;
    }
    let view = View { src, tokens };
    let mut decorator_line = false;
    let mut posts = false;
    // The websocket rule's company for a `"type"` string: a send call.
    let mut sends = false;
    for j in range.clone() {
        if j == range.start
            || matches!(
                tokens[j - 1].kind,
                Kind::Newline | Kind::Indent | Kind::Dedent
            )
        {
            decorator_line = view.is_op(j, "@");
        }
        if tokens[j].kind != Kind::Name {
            continue;
        }
        let name = view.text(j);
        let role = role_of(name);
        if wall_clock_fires(&view, j, module)
            || role & role::ALWAYS != 0
            || (!module.imported.is_empty() && module.imported.contains(name))
            || (decorator_line && role & role::CELERY != 0)
        {
            return true;
        }
        let next = tokens
            .get(j + 1)
            .filter(|t| t.kind == Kind::Op)
            .map(|_| view.text(j + 1));
        let fires = match next {
            // timing: a duration variable assigned
            Some("=" | ":") => is_duration_name(name),
            Some(".") => {
                is_metrics_receiver(name)
                    || (role & role::ENVIRON != 0
                        && view.text(j + 2) == "get"
                        && view.is_op(j + 3, "("))
            }
            Some("[") => role & role::ENVIRON != 0,
            Some("(") => {
                posts |= role & role::POST != 0;
                sends |= view.after_dot(j) && SEND_METHODS.contains(&name);
                let receiver = view.receiver(j);
                (role & role::CLOCK != 0 && is_clock(&view, j))
                    || role & (role::TASK | role::GETENV) != 0
                    || name.ends_with("Scheduler")
                    // log calls: `logger.info(...)`, `logging.info(...)`
                    || (role & role::LEVEL != 0
                        && receiver.is_some_and(|r| {
                            is_logger_name(r, |n| module.loggers.contains(n))
                                || (r == "logging" && view.bare_receiver(j))
                        }))
                    // routes and middleware on a router
                    || (decorator_line
                        && role & role::ROUTE != 0
                        && receiver
                            .is_some_and(|r| is_router_name(r, |n| module.routers.contains(n))))
            }
            _ => false,
        };
        if fires {
            return true;
        }
    }
    // A webhook post: `post(...)` or `put(...)` with a webhook or Slack name.
    if posts
        && range.clone().any(|j| {
            view.is_name(j) && {
                let name = view.text(j).as_bytes();
                contains_ci(name, b"webhook") || contains_ci(name, b"slack")
            }
        })
    {
        return true;
    }
    string_groups(src, tokens, range).any(|(_, value, whole)| {
        if whole && value.as_bytes() == b"type" {
            // A key of a payload sent here.
            sends
        } else {
            string_fires(value.as_bytes(), whole)
        }
    })
}

/// The log-call part of [`triggered`]: a logger factory called (the
/// binding the log call rule reads), or a level method called on a logger
/// (`logger.info(...)`, `logging.info(...)`).
fn log_call_triggered(
    view: &View<'_>,
    range: std::ops::Range<usize>,
    module: &ModuleTriggers<'_>,
) -> bool {
    range.into_iter().any(|j| {
        if !view.is_name(j) || !view.is_op(j + 1, "(") {
            return false;
        }
        let role = role_of(view.text(j));
        role & role::LOGGER_FACTORY != 0
            || (role & role::LEVEL != 0
                && view.receiver(j).is_some_and(|r| {
                    is_logger_name(r, |n| module.loggers.contains(n))
                        || (r == "logging" && view.bare_receiver(j))
                }))
    })
}

/// The wall-clock durations' trigger at token `j`: a name of
/// [`ModuleTriggers::wall_clock`], or a call of `time.time` /
/// `time.time_ns`.
fn wall_clock_fires(view: &View<'_>, j: usize, module: &ModuleTriggers<'_>) -> bool {
    if !view.is_name(j) {
        return false;
    }
    let name = view.text(j);
    (!module.wall_clock.is_empty() && module.wall_clock.contains(name))
        // The call's shape only for a wall clock's own name (most are not).
        || (WALL_CLOCKS.iter().any(|c| c.rsplit('.').next() == Some(name))
            && is_wall_clock_read(view, j, &[]))
}

/// A wall-clock read named at `j`: a call of `time.time` or `time.time_ns`
/// (as written), or of a name of `bare` (see
/// [`super::wall_clock::bare_clocks`]) not after a dot.
fn is_wall_clock_read(view: &View<'_>, j: usize, bare: &[&str]) -> bool {
    if !view.is_name(j) || !view.is_op(j + 1, "(") {
        return false;
    }
    let name = view.text(j);
    if !view.after_dot(j) {
        return bare.contains(&name);
    }
    view.bare_receiver(j)
        && view.receiver(j).is_some_and(|receiver| {
            WALL_CLOCKS
                .iter()
                .any(|clock| clock.split_once('.') == Some((receiver, name)))
        })
}

fn contains_ci(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A clock call (`time.time()`, `perf_counter()`...) named at `j`.
fn is_clock(view: &View<'_>, j: usize) -> bool {
    let name = view.text(j);
    CLOCKS.iter().any(|clock| match clock.split_once('.') {
        Some((module, function)) => {
            function == name && view.receiver(j) == Some(module) && view.bare_receiver(j)
        }
        None => *clock == name && !view.after_dot(j),
    })
}

/// The longest value start any rule compares: a context header.
const VALUE_PREFIX: usize = 32;

/// Whether a string's value is one a rule reads (the `type` key aside): a
/// context header, a URL (leading), a model name (leading). `value` is the
/// value's start, all of it when `whole`.
fn string_fires(value: &[u8], whole: bool) -> bool {
    let starts_ci = |prefix: &str| {
        value.len() >= prefix.len() && value[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    (whole
        && CARRIER_HEADERS
            .iter()
            .any(|h| value.eq_ignore_ascii_case(h.as_bytes())))
        || starts_ci("http://")
        || starts_ci("https://")
        || MODEL_PREFIXES
            .iter()
            .any(|(prefix, _)| value.starts_with(prefix.as_bytes()))
}

/// The string groups (implicitly concatenated literals; an f-string's
/// fields kept as written) among tokens `range`: each group's first token,
/// its value's first [`VALUE_PREFIX`] bytes or more, and whether that is
/// all of it. An f-string's replacement fields are read too, after its
/// group: their strings are groups of their own, as tree-sitter parses
/// them (`f"{'https://x'}"` holds a URL).
fn string_groups<'t>(
    src: &'t str,
    tokens: &'t [Token],
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = (usize, Value, bool)> + 't {
    // What is left of the range, then the fields met (read first).
    let mut rest = range;
    let mut fields: Vec<std::ops::Range<usize>> = Vec::new();
    std::iter::from_fn(move || {
        loop {
            let range = fields.last_mut().unwrap_or(&mut rest);
            // The next group's first part.
            let mut j = range.start;
            while j < range.end && !matches!(tokens[j].kind, Kind::String | Kind::FStart) {
                j += 1;
            }
            if j >= range.end {
                range.start = range.end;
                fields.pop()?;
                continue;
            }
            let end = range.end;
            let first = j;
            let mut value = Value::default();
            let mut whole = true;
            // This group's fields (an allocation for f-strings only).
            let mut met = Vec::new();
            while j < end {
                let t = tokens[j];
                let (last, next) = match t.kind {
                    Kind::String => (t.end, j + 1),
                    Kind::FStart if t.pair < tokens.len() => {
                        met.push(j + 1..t.pair);
                        (tokens[t.pair].end, t.pair + 1)
                    }
                    _ => break,
                };
                if whole {
                    whole = push_value(src.get(t.start..last).unwrap_or(""), &mut value);
                }
                j = next;
            }
            range.start = j;
            fields.extend(met.into_iter().rev());
            return Some((first, value, whole));
        }
    })
}

/// The first bytes of a string's value, kept inline (one per string token
/// of every unit: no allocation).
#[derive(Debug, Clone, Copy)]
struct Value {
    bytes: [u8; VALUE_PREFIX + 1],
    len: usize,
}

impl Default for Value {
    fn default() -> Self {
        Value {
            bytes: [0; VALUE_PREFIX + 1],
            len: 0,
        }
    }
}

impl Value {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Append what fits.
    fn extend(&mut self, more: &[u8]) {
        let n = more.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&more[..n]);
        self.len += n;
    }
}

/// Append the start of a literal's value (escapes decoded; an f-string's
/// fields as written) to `out`, up to [`VALUE_PREFIX`] bytes; whether all of
/// it fit.
fn push_value(literal: &str, out: &mut Value) -> bool {
    let Some(quote) = literal.find(['\'', '"']) else {
        return true;
    };
    let prefix = &literal[..quote];
    let body = &literal[quote..];
    let quotes = if body.starts_with("'''") || body.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let inner = body
        .get(quotes..body.len().saturating_sub(quotes))
        .unwrap_or("");
    let room = VALUE_PREFIX.saturating_sub(out.len);
    if !inner.contains('\\') {
        out.extend(&inner.as_bytes()[..inner.len().min(room + 1)]);
        return inner.len() <= room;
    }
    let has = |c: u8| prefix.bytes().any(|p| p | 0x20 == c);
    let decoded = decode_prefix(inner, has(b'r'), has(b'f'), room);
    out.extend(decoded.as_bytes());
    decoded.len() <= room
}

#[cfg(test)]
mod tests {
    use super::super::background_tasks::TASK_CALLEES;
    use super::super::log_calls::LOG_LEVELS;
    use super::super::routes::ROUTE_METHODS;
    use super::*;

    #[test]
    fn name_lists_agree_with_the_extractors() {
        for level in LOG_LEVELS {
            assert!(super::super::log_calls::level(level).is_some(), "{level}");
        }
        for method in ROUTE_METHODS {
            assert!(super::super::routes::method(method).is_some(), "{method}");
        }
        // The names an `#any-of?` predicate of the query accepts.
        fn any_of(query: &str, nth: usize) -> Vec<&str> {
            let start = query
                .match_indices("(#any-of?")
                .nth(nth)
                .map_or(query.len(), |(at, _)| at);
            let end = start + query[start..].find(')').unwrap_or(0);
            let mut names: Vec<&str> = query[start..end].split('"').skip(1).step_by(2).collect();
            names.sort_unstable();
            names
        }
        let sorted = |list: &[&'static str]| {
            let mut list = list.to_vec();
            list.sort_unstable();
            list
        };
        // The triggers know exactly the names the queries match.
        let websocket = include_str!("../../../../queries/python/websocket_messages.scm");
        for (query, nth, list) in [
            (
                include_str!("../../../../queries/python/log_calls.scm"),
                0,
                &LOG_LEVELS[..],
            ),
            (
                include_str!("../../../../queries/python/routes.scm"),
                0,
                ROUTE_METHODS,
            ),
            (websocket, 0, SEND_METHODS),
            (websocket, 1, RECEIVE_METHODS),
        ] {
            assert_eq!(any_of(query, nth), sorted(list));
        }
        let background = include_str!("../../../../queries/python/background_tasks.scm");
        for name in TASK_CALLEES {
            assert!(background.contains(name), "{name} is not in its query");
        }
    }

    #[test]
    fn string_values_are_decoded_and_joined() {
        let src = "x = 'ty' \"pe\" + '\\x74ype' + f'http://{h}' + '''".to_owned()
            + &"a".repeat(100)
            + "'''\n";
        let tokens = super::super::lexer::tokenize(&src).unwrap_or_default();
        let values: Vec<(Vec<u8>, bool)> = string_groups(&src, &tokens, 0..tokens.len())
            .map(|(_, value, whole)| (value.as_bytes().to_vec(), whole))
            .collect();
        assert_eq!(values[0], (b"type".to_vec(), true));
        assert_eq!(values[1], (b"type".to_vec(), true));
        assert!(values[2].0.starts_with(b"http://{h}"));
        assert!(!values[3].1, "a long value is cut");
        assert!(string_fires(&values[2].0, values[2].1));
        assert!(!string_fires(&values[3].0, values[3].1));
    }

    #[test]
    fn strings_in_fields_are_read() {
        let src = "u = f\"{'https://in.field'} {d[\"type\"]}\"\n";
        let tokens = super::super::lexer::tokenize(src).unwrap_or_default();
        let values: Vec<Vec<u8>> = string_groups(src, &tokens, 0..tokens.len())
            .map(|(_, value, _)| value.as_bytes().to_vec())
            .collect();
        assert_eq!(values.len(), 3, "{values:?}");
        assert!(values.contains(&b"https://in.field".to_vec()));
        assert!(values.contains(&b"type".to_vec()));
    }
}
