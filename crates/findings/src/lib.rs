//! The typed findings model of `recon scan --format json`: plain serde types,
//! no logic.
//!
//! A finding is a node in a syntax tree with a file, a line and a kind. The
//! extractors in `recon-syntax` produce these values; the renderers only ever
//! print them, so every `path:line` a report cites is real.
//!
//! # Schema `recon.findings/1`
//!
//! One JSON object:
//!
//! ```json
//! {
//!   "schema": "recon.findings/1",
//!   "root": "path/as/given",
//!   "files_scanned": 12,
//!   "routes": [{"file": "app/main.py", "line": 10, "method": "GET", "path": "/health", "handler": "health"}],
//!   "middleware": [{"file": "app/main.py", "line": 7, "name": "CORSMiddleware", "kind": "class"}],
//!   "loggers": [{"file": "app/main.py", "line": 4, "name": "logger"}],
//!   "log_calls": [{"file": "app/main.py", "line": 12, "level": "info", "prefix": "[HEALTH]"}],
//!   "except_handlers": [{"file": "app/main.py", "line": 14, "bare": false}],
//!   "websocket_endpoints": [{"file": "app/main.py", "line": 20, "path": "/ws", "handler": "ws"}],
//!   "websocket_messages": [{"file": "app/main.py", "line": 24, "side": "backend", "direction": "sent", "type": "pong"}],
//!   "context_carriers": [{"file": "app/main.py", "line": 21, "name": "session_id", "kind": "parameter"}],
//!   "timing": [{"file": "app/main.py", "line": 22, "kind": "clock", "name": "time.perf_counter"}],
//!   "metrics_calls": [{"file": "app/main.py", "line": 25, "receiver": "metrics_collector", "method": "increment", "called": true, "name": "ws_errors"}],
//!   "background_tasks": [{"file": "app/main.py", "line": 26, "kind": "task", "target": "send_alert"}],
//!   "errors": [{"file": "app/broken.py", "reason": "syntax error at line 3"}]
//! }
//! ```
//!
//! Common to every category:
//!
//! - `file` is relative to the scanned root, components joined with `/`.
//! - `line` is 1-based.
//! - Every array is sorted by `(file, line)`, files in byte order; ties are
//!   broken by the column the finding starts at, then by the remaining fields,
//!   so the output is byte-identical whatever the thread count.
//! - `files_scanned` counts the files a language extractor read (today: the
//!   `.py` files of the selection).
//! - `errors` lists the files that could not be read or did not parse cleanly;
//!   such a file still contributes every finding in the parts that parsed.
//!
//! Files scanned: what git would not ignore (`.gitignore`, `.ignore`, also
//! outside a git repository), no hidden paths except `.env*` files, never a
//! `node_modules`, `venv`, `.venv`, `site-packages` or `__pycache__`
//! directory, unless `--no-ignore` (which drops all of these filters; `.git`
//! itself is never scanned).
//!
//! # The rules (Python)
//!
//! Vocabulary used below:
//!
//! - The *last segment* of an expression is the name itself for an identifier
//!   (`app`) and the attribute name for an attribute access (`self.app` gives
//!   `app`, `get_app().router` gives `router`). Any other expression has none.
//! - A *binding* is an assignment `T = f(...)` or `T: A = f(...)` whose target
//!   `T` is an identifier or an attribute and whose value is a call of an
//!   identifier or attribute `f`; every target of a chain `a = b = f(...)`
//!   counts. Bindings are looked for anywhere in the module (also inside
//!   functions and classes). Tuple, subscript and starred targets are not
//!   bindings.
//! - A *router name* is the last segment of a binding target whose callee's
//!   last segment is `FastAPI`, `APIRouter`, `Starlette` or `Router`, or one of
//!   the names `app`, `router`, `api`, `api_router`, or any name ending in
//!   `router` or `_app` (case-sensitive). An expression `R` *is a router* when
//!   its last segment is a router name.
//! - A *string literal* is a `str` literal (not `bytes`), possibly implicitly
//!   concatenated; an f-string is a string literal only when it has no
//!   placeholder. A parenthesised literal counts. Escapes are decoded as
//!   Python does (`\N{...}` is kept as written).
//!
//! ## `routes`: [`Route`]
//!
//! A decorator `@R.M(...)` (a call) on a function definition (`def`, `async
//! def`, methods and nested functions included), `R` a router and `M` one of
//! `get post put delete patch options head websocket api_route route`.
//! `method` is `M` upper-cased (`API_ROUTE`, `ROUTE` and `WEBSOCKET` included),
//! `path` the first positional argument if it is a string literal, else the
//! `path=` keyword's value if that is one, else `null`; `handler` is the
//! function's name and `line` the decorator's line (the `@`). One route per
//! decorator. `@mock.patch("x")` is no route: `mock` is no router name.
//!
//! ## `middleware`: [`Middleware`]
//!
//! A call `R.add_middleware(X, ...)` anywhere, `R` a router and `X` the first
//! positional argument, an expression with a last segment: `name` is that
//! last segment, `kind` is `class`, `line` the line the call starts on. And a
//! decorator `@R.middleware(...)` (a call) on a function definition: `name` is
//! the function's name, `kind` is `function`, `line` the decorator's line.
//!
//! ## `loggers`: [`Logger`]
//!
//! A binding whose callee's last segment is `getLogger` (`logging.getLogger`,
//! `getLogger`) or `get_logger` (`structlog.get_logger`). `name` is the
//! target's last segment (`self.log = ...` gives `log`), `line` the line the
//! assignment statement starts on. A chain gives one logger per target.
//!
//! ## `log_calls`: [`LogCall`]
//!
//! A call `R.L(...)` anywhere, `L` one of `debug info warning warn error
//! exception critical fatal log`, and either `R`'s last segment is a logger
//! name of the same module (see `loggers`) or one of `logger log _logger
//! LOGGER _log`, or `R` is the identifier `logging`. `level` is `L`. `prefix`
//! is taken from the first argument when it is a positional string-like
//! literal: of an implicit concatenation, the first part only; of an f-string,
//! its literal text before the first placeholder. When that text starts with
//! `[` and holds a `]`, `prefix` is the text up to and including the first
//! `]` (`"[WS] connected"` gives `[WS]`); otherwise, and for any other first
//! argument (a name, a keyword argument, bytes, none), it is `null`. `line` is
//! where the call starts (the line of `R`).
//!
//! ## `except_handlers`: [`ExceptHandler`]
//!
//! Every `except` and `except*` clause; `bare` is true when it names no
//! exception type. `line` is the line of the `except` keyword.
//!
//! ## `websocket_endpoints`: [`WebsocketEndpoint`]
//!
//! The routes whose method is `WEBSOCKET`, with the same `file`, `line`,
//! `path` and `handler` (a view for the request-lifecycle slot).
//!
//! ## `websocket_messages`: [`WebsocketMessage`] (backend side)
//!
//! Message `type` strings, `side` is `backend` for Python.
//!
//! - `direction: sent`: a call `X.M(P, ...)`, `M` one of `send_json
//!   send_text send broadcast`, whose first positional argument `P` is a dict
//!   display, or a call of a callee with last segment `dumps` whose first
//!   positional argument is one, with a key that is the string literal
//!   `"type"` and a string literal value (the first such key); `type` is the
//!   value, `line` where the call starts.
//! - `direction: handled`: a *type read* is `X["type"]` (one string literal
//!   subscript), a call `X.get("type", ...)`, or an identifier that some
//!   assignment `name = <type read>` of the module binds. Found: a comparison
//!   `A == B` (one operator) with a type read on one side and a string literal
//!   on the other; a comparison `A in C` (one operator), `A` a type read and
//!   `C` a tuple, list or set display: each string literal element; and a
//!   `match S:` statement, `S` a type read: each `case` whose pattern is a
//!   string literal or an or-pattern of them (`case "a" | "b":`, each
//!   alternative that is a string literal). `line` is the comparison's start,
//!   or the string pattern's.
//!
//! ## `context_carriers`: [`ContextCarrier`]
//!
//! Where request context lives. A *carrier name* is one of `trace_id span_id
//! request_id correlation_id session_id user_email user_id tenant_id
//! department division current_user`. `kind`:
//!
//! - `parameter`: a parameter of a `def`, `async def` or `lambda` (also
//!   `*name`, `**name`) with a carrier name;
//! - `assignment`: an assignment target (`=`, every target of a chain, an
//!   annotated declaration with or without value), an identifier or
//!   attribute whose last segment is a carrier name (`request.state.request_id`);
//! - `keyword`: a keyword argument `f(name=...)` (calls and class bases) with
//!   a carrier name;
//! - `header`: a string literal whose value, lower-cased, is one of
//!   `x-request-id x-correlation-id x-trace-id x-user-email x-department
//!   x-session-id traceparent tracestate`; `name` is the value as written.
//!
//! `line` is the name's (or the literal's) first line.
//!
//! ## `timing`: [`Timing`]
//!
//! - `kind: clock`: a call whose callee is a dotted name (identifiers joined
//!   by `.`) among `time.time time.time_ns time.perf_counter
//!   time.perf_counter_ns time.monotonic time.monotonic_ns time.process_time
//!   perf_counter perf_counter_ns monotonic monotonic_ns`; `name` is that
//!   dotted name, `line` where the call starts.
//! - `kind: duration`: an assignment target as for `context_carriers` whose
//!   last segment ends in `_ms`, `_seconds` or `_secs`, starts with
//!   `elapsed`, `duration` or `latency`, or contains `ttft`; `name` is the
//!   last segment.
//!
//! ## `metrics_calls`: [`MetricsCall`]
//!
//! An attribute access `R.M`, `R` an identifier or attribute whose last
//! segment is `metrics_collector`, `metrics` or `statsd`, or ends in
//! `_metrics`: `receiver` is that last segment, `method` is `M`, `called`
//! whether `R.M` is the callee of a call, and `name` that call's first
//! positional argument when it is a string literal (the metric's name), else
//! `null`. `line` is where `R` starts.
//!
//! ## `background_tasks`: [`BackgroundTask`]
//!
//! The *target* of an expression: for a call, its callee's last segment; for
//! an identifier or attribute, its last segment; else `null`. Calls whose
//! callee (an identifier or attribute) has the last segment:
//!
//! - `create_task` or `ensure_future`: `kind: task`, target of the first
//!   positional argument;
//! - `add_task`: `kind: background_task` (FastAPI `BackgroundTasks`), target
//!   of the first positional argument;
//! - `add_job`: `kind: scheduled_job` (APScheduler), likewise;
//! - `run_in_executor`: `kind: executor`, target of the second positional
//!   argument;
//! - `Thread`: `kind: thread`, target of the `target=` keyword's value;
//! - ending in `Scheduler`: `kind: scheduler`, `target` is that last segment.
//!
//! And a decorator on a function whose expression, or whose callee when it
//! is a call, has the last segment `task` or `shared_task`: `kind:
//! celery_task`, `target` is the function's name. `line` is where the call
//! or the decorator (`@`) starts. A missing argument gives a `null` target.
//!
//! # Later categories (same object, reserved names)
//!
//! These keys are reserved for the categories the deliverable needs next;
//! each will get its exact rule here when it lands, and readers must accept
//! (and ignore) keys they do not know: `websocket_messages` with `side:
//! frontend` (TypeScript / Svelte), `notifications` (smtp, slack, webhooks,
//! env settings), `external_urls`, `db_connections`, `redis`, `ai_providers`,
//! `sql_tables` (name, columns, references), `sql_indexes`, `frontend_routes`
//! (SvelteKit routes from `src/routes`), `frontend_notifications` (toasts),
//! `charts`, `call_graph`.

use serde::{Deserialize, Serialize};

/// The value of [`Findings::schema`].
pub const SCHEMA: &str = "recon.findings/1";

/// Everything one scan found. See the crate documentation for the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The scanned root as the user gave it, when known.
    pub root: Option<String>,
    /// How many files a language extractor read.
    pub files_scanned: usize,
    /// HTTP and WebSocket route decorators.
    pub routes: Vec<Route>,
    /// Middleware registrations.
    pub middleware: Vec<Middleware>,
    /// Logger definitions.
    pub loggers: Vec<Logger>,
    /// Calls of a logger's level methods.
    pub log_calls: Vec<LogCall>,
    /// `except` / `except*` clauses.
    pub except_handlers: Vec<ExceptHandler>,
    /// The WebSocket routes.
    #[serde(default)]
    pub websocket_endpoints: Vec<WebsocketEndpoint>,
    /// WebSocket message types sent and handled.
    #[serde(default)]
    pub websocket_messages: Vec<WebsocketMessage>,
    /// Where request context (ids, user, department) lives.
    #[serde(default)]
    pub context_carriers: Vec<ContextCarrier>,
    /// Clock reads and duration variables.
    #[serde(default)]
    pub timing: Vec<Timing>,
    /// Uses of a metrics collector.
    #[serde(default)]
    pub metrics_calls: Vec<MetricsCall>,
    /// Work started outside the request: tasks, jobs, threads, schedulers.
    #[serde(default)]
    pub background_tasks: Vec<BackgroundTask>,
    /// Files that could not be read or did not parse cleanly.
    pub errors: Vec<FileError>,
}

impl Default for Findings {
    fn default() -> Self {
        Findings {
            schema: SCHEMA.to_owned(),
            root: None,
            files_scanned: 0,
            routes: Vec::new(),
            middleware: Vec::new(),
            loggers: Vec::new(),
            log_calls: Vec::new(),
            except_handlers: Vec::new(),
            websocket_endpoints: Vec::new(),
            websocket_messages: Vec::new(),
            context_carriers: Vec::new(),
            timing: Vec::new(),
            metrics_calls: Vec::new(),
            background_tasks: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// `@R.M(path)` on a function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Route {
    pub file: String,
    pub line: usize,
    pub method: HttpMethod,
    /// The route's path when it is a string literal.
    pub path: Option<String>,
    /// The decorated function's name.
    pub handler: String,
}

/// The decorator method a route was declared with, upper-cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Options,
    Head,
    Websocket,
    ApiRoute,
    Route,
}

/// `R.add_middleware(X)` or `@R.middleware(...)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Middleware {
    pub file: String,
    pub line: usize,
    /// The class's last segment, or the decorated function's name.
    pub name: String,
    pub kind: MiddlewareKind,
}

/// How a middleware was registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MiddlewareKind {
    /// `R.add_middleware(X, ...)`.
    Class,
    /// `@R.middleware(...)` on a function.
    Function,
}

/// `T = getLogger(...)` / `T = get_logger(...)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Logger {
    pub file: String,
    pub line: usize,
    /// The target's last segment.
    pub name: String,
}

/// `R.L(...)` on a logger.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LogCall {
    pub file: String,
    pub line: usize,
    pub level: LogLevel,
    /// The leading `[TAG]` of the message, brackets included.
    pub prefix: Option<String>,
}

/// The logger method called, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Debug,
    Info,
    Warning,
    Warn,
    Error,
    Exception,
    Critical,
    Fatal,
    Log,
}

/// An `except` / `except*` clause.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExceptHandler {
    pub file: String,
    pub line: usize,
    /// No exception type given (`except:`).
    pub bare: bool,
}

/// A WebSocket route (`@R.websocket(path)`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WebsocketEndpoint {
    pub file: String,
    pub line: usize,
    pub path: Option<String>,
    pub handler: String,
}

/// A WebSocket message type, sent or handled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WebsocketMessage {
    pub file: String,
    pub line: usize,
    pub side: Side,
    pub direction: MessageDirection,
    /// The message's `type` string.
    #[serde(rename = "type")]
    pub message_type: String,
}

/// Which half of the app a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Python.
    Backend,
    /// TypeScript / Svelte.
    Frontend,
}

/// Whether a message type is sent or handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageDirection {
    Sent,
    Handled,
}

/// A request-context name (`session_id`, `user_email`...) or header.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ContextCarrier {
    pub file: String,
    pub line: usize,
    pub name: String,
    pub kind: CarrierKind,
}

/// How a context carrier appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarrierKind {
    Parameter,
    Assignment,
    Keyword,
    Header,
}

/// A clock read or a duration variable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timing {
    pub file: String,
    pub line: usize,
    pub kind: TimingKind,
    /// The clock's dotted name, or the variable's last segment.
    pub name: String,
}

/// What a timing finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimingKind {
    Clock,
    Duration,
}

/// `metrics_collector.M` and the like.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MetricsCall {
    pub file: String,
    pub line: usize,
    pub receiver: String,
    pub method: String,
    /// Whether the attribute is called (else only referenced).
    pub called: bool,
    /// The call's first positional string argument (the metric's name).
    pub name: Option<String>,
}

/// Work started outside the request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BackgroundTask {
    pub file: String,
    pub line: usize,
    pub kind: BackgroundKind,
    /// What runs: a function's name, when it can be read.
    pub target: Option<String>,
}

/// How background work is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackgroundKind {
    /// `asyncio.create_task` / `ensure_future`.
    Task,
    /// `BackgroundTasks.add_task`.
    BackgroundTask,
    /// `scheduler.add_job`.
    ScheduledJob,
    /// `loop.run_in_executor`.
    Executor,
    /// `threading.Thread(target=...)`.
    Thread,
    /// A `...Scheduler(...)` instance.
    Scheduler,
    /// `@app.task` / `@shared_task`.
    CeleryTask,
}

/// A file that could not be read or did not parse cleanly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FileError {
    pub file: String,
    pub reason: String,
}
