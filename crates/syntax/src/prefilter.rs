//! The literal prefilter: a file none of whose bytes hold any literal that
//! some rule needs cannot give a finding, and is not parsed.
//!
//! Each list below has, for every rule of its language, a literal that any
//! match of the rule contains (compared ASCII case-insensitively): a name the
//! rule looks for (`getLogger`, `metrics`, `toast`...), a keyword (`except`,
//! `def`, `@` for decorators), or a value's text (`type`, `http`). A
//! backslash is one too: an escape in a string literal can spell any value.
//! SvelteKit route files and `.svelte` files under a `charts/` directory give
//! findings from their path alone and always pass; `.env*` files always pass.
//!
//! A test compares every category with and without the prefilter.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::Lang;

/// Literals of the Python rules.
pub const PYTHON: &[&str] = &[
    // routes, middleware, celery tasks: decorators; add_middleware
    "@",
    "add_middleware",
    // loggers, log_calls
    "getlogger",
    "get_logger",
    "debug",
    "info",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    // except_handlers, except_bodies
    "except",
    // print_calls (logging_config calls need `logging`, covered by "log")
    "print",
    // websocket_messages (sent and handled): the "type" key
    "type",
    // any string value can be spelled with escapes
    "\\",
    // context_carriers: its own name and header lists, see PYTHON_LISTS
    // timing: clocks and duration names
    "time",
    "perf_counter",
    "monotonic",
    "_ms",
    "_sec",
    "elapsed",
    "duration",
    "latency",
    "ttft",
    // metrics_calls
    "metrics",
    "statsd",
    // background_tasks
    "task",
    "ensure_future",
    "add_job",
    "run_in_executor",
    "thread",
    "scheduler",
    // notifications
    "smtp",
    "webclient",
    "webhook",
    "slack",
    "getenv",
    "environ",
    // external_urls, endpoints, webhook URLs
    "http",
    // db_connections, redis
    "asyncpg",
    "psycopg",
    "sqlalchemy",
    "sqlite",
    "mysql",
    "redis",
    // ai_providers
    "openai",
    "anthropic",
    "xai",
    "grok",
    "deepinfra",
    "claude-",
    "gpt-",
    "embed",
    // call_graph: calls are looked for in function bodies only
    "def",
];

/// Literals of the TypeScript / Svelte rules.
pub const TYPESCRIPT: &[&str] = &[
    // websocket_messages
    "type",
    "\\",
    // frontend_notifications
    "toast",
    "notif",
    "alert",
    // charts: chart libraries and chart components
    "chart",
    "plot",
    "pancake",
    "unovis",
    "billboard",
    "c3",
    "d3",
    "layercake",
    "vega",
    // external_urls
    "http",
];

/// Everything the Python prefilter looks for: [`PYTHON`], and the word
/// lists a rule matches exactly, used as they are so the prefilter cannot
/// fall behind them.
const PYTHON_LISTS: &[&[&str]] = &[
    PYTHON,
    crate::python::context_carriers::CARRIER_NAMES,
    crate::python::context_carriers::CARRIER_HEADERS,
];

/// Literals of the SQL rules.
pub const SQL: &[&str] = &["table", "index"];

fn automaton(lists: &[&[&'static str]]) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(lists.iter().flat_map(|l| l.iter()))
        .ok()
}

fn matches(
    cell: &'static OnceLock<Option<AhoCorasick>>,
    lists: &[&[&'static str]],
    bytes: &[u8],
) -> bool {
    match cell.get_or_init(|| automaton(lists)) {
        Some(ac) => ac.is_match(bytes),
        None => true,
    }
}

/// Whether a file may hold a finding (and so must be parsed).
pub(crate) fn may_match(lang: Lang, rel: &str, bytes: &[u8]) -> bool {
    static PY: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static TS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static SQ: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    match lang {
        Lang::Python => matches(&PY, PYTHON_LISTS, bytes),
        Lang::TypeScript | Lang::Svelte => {
            crate::typescript::path_findings(rel) || matches(&TS, &[TYPESCRIPT], bytes)
        }
        Lang::Sql => matches(&SQ, &[SQL], bytes),
        Lang::Env => true,
    }
}
