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
//!   "files_by_language": {"python": 8, "typescript": 1, "svelte": 1, "sql": 1, "env": 1},
//!   "routes": [{"file": "app/main.py", "line": 10, "method": "GET", "path": "/health", "handler": "health", "handler_qualname": "health", "full_path": "/health"}],
//!   "middleware": [{"file": "app/main.py", "line": 7, "name": "CORSMiddleware", "kind": "class"}],
//!   "loggers": [{"file": "app/main.py", "line": 4, "name": "logger"}],
//!   "log_calls": [{"file": "app/main.py", "line": 12, "level": "info", "prefix": "[HEALTH]"}],
//!   "except_handlers": [{"file": "app/main.py", "line": 14, "bare": false}],
//!   "websocket_endpoints": [{"file": "app/main.py", "line": 20, "path": "/ws", "handler": "ws", "handler_qualname": "ws", "full_path": "/ws"}],
//!   "websocket_messages": [{"file": "app/main.py", "line": 24, "side": "backend", "direction": "sent", "type": "pong"}],
//!   "context_carriers": [{"file": "app/main.py", "line": 21, "name": "session_id", "kind": "parameter"}],
//!   "timing": [{"file": "app/main.py", "line": 22, "kind": "clock", "name": "time.perf_counter"}],
//!   "metrics_calls": [{"file": "app/main.py", "line": 25, "receiver": "metrics_collector", "method": "increment", "called": true, "name": "ws_errors"}],
//!   "background_tasks": [{"file": "app/main.py", "line": 26, "kind": "task", "target": "send_alert"}],
//!   "notifications": [{"file": ".env.example", "line": 3, "kind": "env_file", "name": "SLACK_WEBHOOK_URL"}],
//!   "external_urls": [{"file": "app/llm.py", "line": 5, "url": "https://api.x.ai/v1/chat", "host": "api.x.ai"}],
//!   "db_connections": [{"file": "app/db.py", "line": 9, "library": "asyncpg", "call": "asyncpg.create_pool"}],
//!   "redis": [{"file": "app/cache.py", "line": 7, "call": "redis.asyncio.Redis.from_url"}],
//!   "ai_providers": [{"file": "app/llm.py", "line": 5, "provider": "xai", "kind": "endpoint", "name": "https://api.x.ai/v1/chat"}],
//!   "call_graph": [{"file": "app/main.py", "line": 30, "caller": "ws", "callee": "Twin.answer",
//!                   "callee_file": "app/twin.py", "callee_line": 12}],
//!   "sql_tables": [{"file": "db/001.sql", "line": 1, "name": "obs.ws_errors",
//!                   "columns": [{"name": "id", "type": "BIGSERIAL"}, {"name": "user_id", "type": "BIGINT"}],
//!                   "primary_key": ["id"], "references": [{"column": "user_id", "table": "users", "table_column": "id"}]}],
//!   "sql_indexes": [{"file": "db/001.sql", "line": 6, "name": "ws_errors_user_idx", "table": "obs.ws_errors",
//!                    "columns": ["user_id"], "unique": false}],
//!   "frontend_routes": [{"file": "web/src/routes/admin/+page.svelte", "line": 1, "path": "/admin", "kind": "page", "methods": []}],
//!   "frontend_notifications": [{"file": "web/src/lib/ws.ts", "line": 40, "kind": "call", "name": "toast.error"}],
//!   "charts": [{"file": "web/src/lib/charts/Line.svelte", "line": 3, "kind": "library", "name": "chart.js/auto", "library": "chart.js"}],
//!   "logging_config": [{"file": "app/log.py", "line": 8, "kind": "dictConfig"}],
//!   "print_calls": [{"file": "app/main.py", "line": 40, "exempt": false}],
//!   "log_messages": [{"file": "app/main.py", "line": 12, "level": "info", "message": "literal",
//!                     "in_except": false, "exc_info": false}],
//!   "except_bodies": [{"file": "app/main.py", "line": 14, "swallowed": false, "logs": true, "reraises": false}],
//!   "route_routers": [{"file": "app/main.py", "line": 10, "router": "app"}],
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
//! - `files_scanned` counts the files of the selection a language reads:
//!   Python (`.py`), TypeScript (`.ts .mts .cts`, and `.js .mjs .cjs`, parsed
//!   with the TypeScript grammar), Svelte (`.svelte`), SQL (`.sql`), and
//!   `.env*` files (a name starting with `.env` and none of those
//!   extensions; read as `KEY=VALUE` lines).
//! - `errors` lists the files that could not be read, are not valid UTF-8, or
//!   did not parse cleanly; such a file still contributes every finding in
//!   the parts that parsed. A file that holds none of the literals any rule
//!   of its language needs (the prefilter of `recon-syntax`) cannot give a
//!   finding: it is not parsed, and a syntax error in it is not listed. The
//!   same holds inside a Python module: tree-sitter parses only the units
//!   (top-level statements, statements in def and class bodies, with the
//!   headers around them) that hold a sparse rule's trigger, so a syntax
//!   error is listed when it is in such a unit, or when the tokenizer finds
//!   the module malformed (it is then parsed whole).
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
//! Each category's rule is on its type's documentation:
//!
//! - `routes`: [`Route`]
//! - `middleware`: [`Middleware`]
//! - `loggers`: [`Logger`]
//! - `log_calls`: [`LogCall`]
//! - `except_handlers`: [`ExceptHandler`]
//! - `websocket_endpoints`: [`WebsocketEndpoint`]
//! - `websocket_messages`: [`WebsocketMessage`] (backend side)
//! - `context_carriers`: [`ContextCarrier`]
//! - `timing`: [`Timing`]
//! - `metrics_calls`: [`MetricsCall`]
//! - `background_tasks`: [`BackgroundTask`]
//! - `notifications`: [`Notification`] (Python and `.env*` files)
//! - `hardcoded_secrets`: [`HardcodedSecret`] (Python, TypeScript and Svelte)
//! - `external_urls`: [`ExternalUrl`]
//! - `db_connections`: [`DbConnection`]
//! - `redis`: [`RedisClient`]
//! - `ai_providers`: [`AiProvider`]
//! - `call_graph`: [`CallEdge`], `external_calls`: [`ExternalCall`], `call_resolution`: [`CallResolution`] (Python)
//! - `operations`: [`Operation`] (Python)
//! - `sql_tables`: [`SqlTable`] and `sql_indexes`: [`SqlIndex`]
//!
//! # The rules (TypeScript and Svelte)
//!
//! A `.svelte` file is parsed with tree-sitter-svelte-ng; its `<script>`
//! bodies (also the body of a `<script>` that is never closed, to the end of
//! the file) are parsed as one TypeScript document, and its template
//! expressions (`{...}` in text and attributes, the conditions of `{#if}` and
//! `{:else if}`, the list of `{#each}`, `{#key}`, `{#await}` before `then` /
//! `catch`, `{@html}`, `{@render}`, `{@const}`) as another, each wrapped as
//! `(expr);`. Lines and columns are the `.svelte` file's. A Svelte or script
//! syntax error lists the file in `errors`; the template document's are not
//! reported (the wrapping is recon's). *Last segment*, *string literal* (a
//! string, or a template string without substitution; escapes decoded) are
//! read as for Python.
//!
//! Each category's rule is on its type's documentation:
//!
//! - `websocket_messages` (`side: frontend`)
//! - `frontend_routes`: [`FrontendRoute`]
//! - `frontend_notifications`: [`FrontendNotification`]
//! - `charts`: [`Chart`]
//!
//! # The rules (logging and error handling, Python)
//!
//! Five categories refine the five core ones without changing their shapes:
//! each entry of `log_messages`, `except_bodies` and `route_routers` sits at
//! the same `file` and `line` as one entry of `log_calls`, `except_handlers`
//! and `routes` (one for one).
//!
//! Each category's rule is on its type's documentation:
//!
//! - `logging_config`: [`LoggingConfig`]
//! - `print_calls`: [`PrintCall`]
//! - `log_messages`: [`LogMessage`]
//! - `except_bodies`: [`ExceptBody`]
//! - `route_routers`: [`RouteRouter`]
//! - `error_trackers`: [`ErrorTracker`] (Python)
//! - `tracing_setup`: [`TracingSetup`] (Python)
//! - `wall_clock_durations`: [`WallClockDuration`] (Python)
//! - `served_app`: [`ServedApp`] (Python)
//! - `dependencies`: [`DeclaredDependency`]

pub mod vocabulary;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The value of [`Findings::schema`].
pub const SCHEMA: &str = "recon.findings/1";

/// Declares [`Findings`] and everything that walks its categories, from one
/// list: adding a category is one entry here (and its type below).
///
/// Each entry is a field of the findings JSON, in its order, with its doc
/// comment and attributes. A *category* is written `name: [Type]`: a list of
/// findings that each have a `file` and a `line`, collected per file by the
/// scan and sorted by `(file, line)`. Any other field is written `name: Type
/// = default`. Either may end in `, searched "..."`: what the report says it
/// looked for when it found none.
///
/// ```text
/// /// HTTP and WebSocket route decorators.
/// routes: [Route], searched "route decorators `@R.get(...)`...";
/// /// What an ASGI server runs of the checkout (Python).
/// #[serde(default)]
/// served_app: ServedApp = ServedApp::default();
/// ```
///
/// From the list the macro makes [`Findings`] (the fields in the list's
/// order: the JSON's) and its `Default`; [`Located`] for each category's
/// type; [`Unsorted`], the categories' findings of some files before they
/// are sorted (`append`, `is_empty`, `sort_into`); and [`searched`].
///
/// It reads the entries one at a time (`@entry`), collecting the struct's
/// fields, the categories and the searched texts, then writes them out
/// (`@emit`).
macro_rules! findings {
    // A category: `name: [Type]`.
    (@entry [$($fields:tt)*] [$($categories:tt)*] [$($searched:tt)*]
        $(#[$attr:meta])* $field:ident: [$type:ty] $(, searched $text:literal)?;
        $($rest:tt)*
    ) => {
        findings!(@entry
            [$($fields)* $(#[$attr])* $field: Vec<$type> = Vec::new();]
            [$($categories)* $field: $type;]
            [$($searched)* $($field => $text;)?]
            $($rest)*
        );
    };
    // Any other field: `name: Type = default`.
    (@entry [$($fields:tt)*] [$($categories:tt)*] [$($searched:tt)*]
        $(#[$attr:meta])* $field:ident: $type:ty = $default:expr $(, searched $text:literal)?;
        $($rest:tt)*
    ) => {
        findings!(@entry
            [$($fields)* $(#[$attr])* $field: $type = $default;]
            [$($categories)*]
            [$($searched)* $($field => $text;)?]
            $($rest)*
        );
    };
    // Every entry read.
    (@entry [$($fields:tt)*] [$($categories:tt)*] [$($searched:tt)*]) => {
        findings!(@emit [$($fields)*] [$($categories)*] [$($searched)*]);
    };
    // Neither form: say where.
    (@entry [$($fields:tt)*] [$($categories:tt)*] [$($searched:tt)*] $($bad:tt)*) => {
        compile_error!(concat!(
            "findings!: expected `name: [Type]` or `name: Type = default`, ",
            "optionally `, searched \"...\"`, then `;` at: ",
            stringify!($($bad)*)
        ));
    };
    (@emit
        [$($(#[$attr:meta])* $field:ident: $type:ty = $default:expr;)*]
        [$($category:ident: $category_type:ty;)*]
        [$($searched_field:ident => $text:literal;)*]
    ) => {
        /// Everything one scan found. Each category's rule is on its type's
        /// documentation; what is common to all, in the crate's.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct Findings {
            $($(#[$attr])* pub $field: $type,)*
        }

        impl Default for Findings {
            fn default() -> Self {
                Findings {
                    $($field: $default,)*
                }
            }
        }

        $(impl Located for $category_type {
            fn file(&self) -> &str {
                &self.file
            }
            fn line(&self) -> usize {
                self.line
            }
        })*

        /// The categories' findings of some files, each with the column it
        /// starts at (for a stable order within a line), before they are
        /// merged and sorted into [`Findings`].
        #[derive(Debug, Default)]
        pub struct Unsorted {
            $(pub $category: Vec<(usize, $category_type)>,)*
        }

        impl Unsorted {
            /// Move every finding of `other` to the end of `self`'s lists.
            pub fn append(&mut self, other: &mut Unsorted) {
                $(self.$category.append(&mut other.$category);)*
            }

            /// Whether no category has a finding.
            pub fn is_empty(&self) -> bool {
                true $(&& self.$category.is_empty())*
            }

            /// Each category sorted by `sort`, into its field of `findings`.
            pub fn sort_into(self, findings: &mut Findings, sort: &impl Sort) {
                $(findings.$category = sort.sorted(self.$category);)*
            }
        }

        /// What the scan searched for to fill `field` (a field of
        /// [`Findings`]), for the report's "none found (searched: ...)";
        /// `None` for a field that declares no such text.
        pub fn searched(field: &str) -> Option<&'static str> {
            match field {
                $(stringify!($searched_field) => Some($text),)*
                _ => None,
            }
        }
    };
    ($($entries:tt)*) => {
        findings!(@entry [] [] [] $($entries)*);
    };
}

/// A finding's place: every category's type has one.
pub trait Located {
    /// Relative to the scanned root, components joined with `/`.
    fn file(&self) -> &str;
    /// 1-based.
    fn line(&self) -> usize;
}

/// How [`Unsorted::sort_into`] orders a category: by `(file, line)`, then
/// the column, then the finding itself (a total order, so any correct sort,
/// serial or parallel, gives the same bytes).
pub trait Sort {
    fn sorted<T: Located + Ord + Send>(&self, items: Vec<(usize, T)>) -> Vec<T>;
}

/// The order of [`Sort`]: `(file, line)`, column, the finding.
pub fn located_order<T: Located + Ord>(a: &(usize, T), b: &(usize, T)) -> std::cmp::Ordering {
    (a.1.file(), a.1.line())
        .cmp(&(b.1.file(), b.1.line()))
        .then_with(|| a.0.cmp(&b.0))
        .then_with(|| a.1.cmp(&b.1))
}

findings! {
    /// Always [`SCHEMA`].
    schema: String = SCHEMA.to_owned();
    /// The scanned root as the user gave it, when known.
    root: Option<String> = None;
    /// How many files a language extractor read.
    files_scanned: usize = 0;
    /// `files_scanned` per language.
    #[serde(default)]
    files_by_language: FileCounts = FileCounts::default();
    /// HTTP and WebSocket route decorators.
    routes: [Route], searched "route decorators `@R.get/post/put/delete/patch/options/head/websocket/api_route/route(...)` on FastAPI/Starlette routers in .py files";
    /// Middleware registrations.
    middleware: [Middleware], searched "`R.add_middleware(X)` calls and `@R.middleware(...)` decorators in .py files";
    /// Logger definitions.
    loggers: [Logger], searched "`X = logging.getLogger(...)` / `get_logger(...)` bindings in .py files";
    /// Calls of a logger's level methods.
    log_calls: [LogCall], searched "`logger.debug/info/warning/error/exception/critical/log(...)` calls on module loggers and `logging` in .py files";
    /// `except` / `except*` clauses.
    except_handlers: [ExceptHandler], searched "`except` / `except*` clauses in .py files";
    /// The WebSocket routes.
    #[serde(default)]
    websocket_endpoints: Vec<WebsocketEndpoint> = Vec::new(), searched "`@R.websocket(path)` routes in .py files";
    /// WebSocket message types sent and handled.
    #[serde(default)]
    websocket_messages: [WebsocketMessage], searched "`type` strings sent (`send_json({\"type\": ...})`, `JSON.stringify({type})`) and the `type` of what a WebSocket received (`receive_json()`, `json.loads(await ws.receive_text())`, `iter_json()`; `JSON.parse(event.data)` in a socket's message handler) compared or matched, followed through names and the file's functions";
    /// Where request context (ids, user, department) lives.
    #[serde(default)]
    context_carriers: [ContextCarrier], searched "parameters, assignments, keywords named trace_id, span_id, request_id, correlation_id, session_id, user_email, user_id, tenant_id, department, division, current_user, and the x-request-id / traceparent family of header strings";
    /// Clock reads and duration variables.
    #[serde(default)]
    timing: [Timing], searched "clock reads (`time.time`, `perf_counter`, `monotonic`) and `*_ms`, `elapsed*`, `duration*`, `latency*`, `*ttft*` variables";
    /// Uses of a metrics collector.
    #[serde(default)]
    metrics_calls: [MetricsCall], searched "uses of `metrics_collector`, `metrics`, `statsd`, `*_metrics` objects";
    /// Work started outside the request: tasks, jobs, threads, schedulers.
    #[serde(default)]
    background_tasks: [BackgroundTask], searched "`create_task`, `ensure_future`, `add_task`, `add_job`, `run_in_executor`, `Thread(target=)`, `*Scheduler(...)`, `@task`/`@shared_task`";
    /// Alert channels: SMTP, Slack and webhook clients, their settings.
    #[serde(default)]
    notifications: [Notification], searched "SMTP clients, email settings, Slack/webhook URLs and clients, their env variables";
    /// Credentials of alert channels written in the source (`recon check`
    /// OBS009).
    #[serde(default)]
    hardcoded_secrets: [HardcodedSecret], searched "Slack, Discord and Teams webhook URLs with their token in string literals of .py, .ts, .js and Svelte `<script>` code, and SMTP passwords in `str` literals of .py files";
    /// `http(s)://` string literals in code.
    #[serde(default)]
    external_urls: [ExternalUrl], searched "http(s) URLs in source";
    /// Database connections and pools created.
    #[serde(default)]
    db_connections: [DbConnection], searched "asyncpg/psycopg connections and pools";
    /// Redis clients created.
    #[serde(default)]
    redis: [RedisClient], searched "Redis clients";
    /// Model provider clients, endpoints, models, keys and embedding calls.
    #[serde(default)]
    ai_providers: [AiProvider], searched "OpenAI, Anthropic, xAI/Grok, DeepInfra clients and endpoints, embeddings";
    /// Calls that reach functions defined in the checkout (Python).
    #[serde(default)]
    call_graph: Vec<CallEdge> = Vec::new(), searched "calls between the functions named in findings";
    /// Calls of things outside the checkout, by qualified name (Python).
    #[serde(default)]
    external_calls: Vec<ExternalCall> = Vec::new();
    /// How the Python calls resolved.
    #[serde(default)]
    call_resolution: CallResolution = CallResolution::default();
    /// External calls the API models say perform an operation (Python).
    #[serde(default)]
    operations: Vec<Operation> = Vec::new();
    /// `CREATE TABLE` statements.
    #[serde(default)]
    sql_tables: [SqlTable], searched "`CREATE TABLE` statements in .sql files";
    /// `CREATE INDEX` statements.
    #[serde(default)]
    sql_indexes: [SqlIndex], searched "`CREATE INDEX` statements in .sql files";
    /// SvelteKit routes (pages, layouts, endpoints).
    #[serde(default)]
    frontend_routes: [FrontendRoute], searched "SvelteKit routes (`src/routes/**/+page.svelte`, `+server.ts`)";
    /// Toasts, notification stores and alerts in the frontend.
    #[serde(default)]
    frontend_notifications: [FrontendNotification], searched "toast stores and components, `alert(...)` in the frontend";
    /// Chart libraries, chart components and where they are used.
    #[serde(default)]
    charts: [Chart], searched "chart components and chart libraries in the frontend";
    /// `basicConfig` / `dictConfig` / `fileConfig` calls and logging
    /// configuration files.
    #[serde(default)]
    logging_config: [LoggingConfig], searched "`logging.basicConfig(...)`, `logging.config.dictConfig(...)` / `fileConfig(...)` calls in .py files, and `logging.conf`, `logging.ini`, `logging.yaml`, `logging.yml`, `log_config.*` files";
    /// Calls of the built-in `print`.
    #[serde(default)]
    print_calls: [PrintCall], searched "calls of the built-in `print(...)` in .py files outside tests, scripts and `if __name__ == \"__main__\":` blocks";
    /// How each log call's message is built, and where the call is.
    #[serde(default)]
    log_messages: [LogMessage];
    /// What each `except` clause's body does.
    #[serde(default)]
    except_bodies: [ExceptBody];
    /// The router object each route is declared on.
    #[serde(default)]
    route_routers: [RouteRouter];
    /// Error trackers set up (`sentry_sdk.init`), errors reported to them.
    #[serde(default)]
    error_trackers: [ErrorTracker], searched "`sentry_sdk.init(...)`, `rollbar.init(...)`, `bugsnag.configure(...)` and their capture/report calls in .py files";
    /// OpenTelemetry tracing already set up: a tracer provider, a tracer,
    /// an instrumentor.
    #[serde(default)]
    tracing_setup: [TracingSetup], searched "`opentelemetry.trace.set_tracer_provider(...)`, `opentelemetry.trace.get_tracer(...)`, `opentelemetry.sdk.trace.TracerProvider(...)` and OpenTelemetry instrumentors' `instrument(...)` / `instrument_app(...)` in .py files";
    /// Durations computed from two wall-clock values.
    #[serde(default)]
    wall_clock_durations: [WallClockDuration], searched "subtractions of two wall-clock values (`time.time()`, `time.time_ns()`, names bound to them) in .py files";
    /// What an ASGI server runs of the checkout (Python).
    #[serde(default)]
    served_app: ServedApp = ServedApp::default();
    /// Python distributions the dependency files declare.
    #[serde(default)]
    dependencies: Vec<DeclaredDependency> = Vec::new();
    /// Files that could not be read or did not parse cleanly.
    errors: Vec<FileError> = Vec::new();
}

/// How many files of each language a scan read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileCounts {
    pub python: usize,
    /// `.ts .mts .cts .js .mjs .cjs`.
    pub typescript: usize,
    pub svelte: usize,
    pub sql: usize,
    /// `.env*` files.
    pub env: usize,
}

/// `@R.M(path)` on a function.
///
/// # `routes`: [`Route`]
///
/// A decorator `@R.M(...)` (a call) on a function definition (`def`, `async
/// def`, methods and nested functions included), `R` a router and `M` one of
/// `get post put delete patch options head websocket api_route route`.
/// `method` is `M` upper-cased (`API_ROUTE`, `ROUTE` and `WEBSOCKET` included),
/// `path` the first positional argument if it is a string literal, else the
/// `path=` keyword's value if that is one, else `null`; `handler` is the
/// function's name and `line` the decorator's line (the `@`). One route per
/// decorator. `@mock.patch("x")` is no route: `mock` is no router name.
/// `handler_qualname` is the function's qualified name, as `call_graph`
/// names callers (`register.nested`, `Views.mount.head`), from the semantic
/// model; `null` when the model could not read the module.
///
/// `full_path` is where the route is served: along the routers the code
/// includes it under (`include_router(r, prefix=)`, each router's own
/// `APIRouter(prefix=)`, `mount(path, app)`), up to a FastAPI, Starlette or
/// Flask application, the prefixes joined, then the declared path (an
/// f-string as its template: `f"/{page}"` is `/{page}`). Routers are told
/// apart by the binding that made them, through imports, not by name.
/// Prefixes must be string literals or names bound once to one. `null`
/// when the code shows no single way: a router included twice or nowhere,
/// a computed prefix, a router the model cannot identify.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Route {
    pub file: String,
    pub line: usize,
    pub method: HttpMethod,
    /// The route's path when it is a string literal.
    pub path: Option<String>,
    /// The decorated function's name.
    pub handler: String,
    /// The handler's qualified name as `call_graph` callers name it
    /// (`handler`, `Views.list`, `create_app.index`); `null` when the
    /// semantic model could not read the module.
    #[serde(default)]
    pub handler_qualname: Option<String>,
    /// The path the route is served at: the prefixes of the routers it is
    /// included or mounted under, up to the application, then `path` (an
    /// f-string path as its template, `/{page}`); `null` when the code
    /// does not show exactly one.
    #[serde(default)]
    pub full_path: Option<String>,
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
///
/// # `middleware`: [`Middleware`]
///
/// A call `R.add_middleware(X, ...)` anywhere, `R` a router and `X` the first
/// positional argument, an expression with a last segment: `name` is that
/// last segment, `kind` is `class`, `line` the line the call starts on. And a
/// decorator `@R.middleware(...)` (a call) on a function definition: `name` is
/// the function's name, `kind` is `function`, `line` the decorator's line.
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
///
/// # `loggers`: [`Logger`]
///
/// A binding whose callee's last segment is `getLogger` (`logging.getLogger`,
/// `getLogger`) or `get_logger` (`structlog.get_logger`). `name` is the
/// target's last segment (`self.log = ...` gives `log`), `line` the line the
/// assignment statement starts on. A chain gives one logger per target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Logger {
    pub file: String,
    pub line: usize,
    /// The target's last segment.
    pub name: String,
}

/// `R.L(...)` on a logger.
///
/// # `log_calls`: [`LogCall`]
///
/// A call `R.L(...)` anywhere, `L` one of `debug info warning warn error
/// exception critical fatal log`, and either `R`'s last segment is a logger
/// name of the same module (see `loggers`) or one of `logger log _logger
/// LOGGER _log`, or `R` is the identifier `logging`. `level` is `L`. `prefix`
/// is taken from the first argument when it is a positional string-like
/// literal: of an implicit concatenation, the first part only; of an f-string,
/// its literal text before the first placeholder. When that text starts with
/// `[` and holds a `]`, `prefix` is the text up to and including the first
/// `]` (`"[WS] connected"` gives `[WS]`); otherwise, and for any other first
/// argument (a name, a keyword argument, bytes, none), it is `null`. `line` is
/// where the call starts (the line of `R`).
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
///
/// # `except_handlers`: [`ExceptHandler`]
///
/// Every `except` and `except*` clause; `bare` is true when it names no
/// exception type. `line` is the line of the `except` keyword.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExceptHandler {
    pub file: String,
    pub line: usize,
    /// No exception type given (`except:`).
    pub bare: bool,
}

/// A WebSocket route (`@R.websocket(path)`).
///
/// # `websocket_endpoints`: [`WebsocketEndpoint`]
///
/// The routes whose method is `WEBSOCKET`, with the same `file`, `line`,
/// `path`, `handler`, `handler_qualname` and `full_path` (a view for the
/// request-lifecycle slot).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WebsocketEndpoint {
    pub file: String,
    pub line: usize,
    pub path: Option<String>,
    pub handler: String,
    /// As [`Route::handler_qualname`].
    #[serde(default)]
    pub handler_qualname: Option<String>,
    /// As [`Route::full_path`].
    #[serde(default)]
    pub full_path: Option<String>,
}

/// A WebSocket message type, sent or handled.
///
/// # `websocket_messages`: [`WebsocketMessage`] (backend side)
///
/// Message `type` strings, `side` is `backend` for Python.
///
/// - `direction: sent`: a call `X.M(P, ...)`, `M` one of `send_json
///   send_text send broadcast`, whose first positional argument `P` is a dict
///   display, or a call of a callee with last segment `dumps` whose first
///   positional argument is one, with a key that is the string literal
///   `"type"` and a string literal value (the first such key); `type` is the
///   value, `line` where the call starts.
/// - `direction: handled`: the types compared or matched where what is
///   compared is the `"type"` of a message received from a WebSocket. A
///   `"type"` compared anywhere else (a parsed document's block, an event
///   dict built in the process, a test client's `receive_json()`) is no
///   message. What is followed, within one module:
///   - *Bodies*: a `def`'s body (its statements, without those of the
///     functions, lambdas and classes defined in it; its decorators belong
///     to the body around it) or the module's top level.
///   - *Received*, in one body (parentheses dropped): a *message* is
///     `await C`, `C` a call `X.receive_json(...)`; a call of a callee with
///     last segment `loads` whose first positional argument is *text*; a
///     name holding a message. *Text* is `await X.receive_text(...)`, `await
///     X.receive_bytes(...)`, a name holding text. A *type* is `M["type"]`
///     (one string literal subscript) or `M.get("type", ...)` (first
///     positional argument the literal), `M` a message; a name holding a
///     type.
///   - *Names*: a name holds what the value of any of the body's bindings
///     of it is: `name = V` (annotated too; each name target of `a = b =
///     V`), `name := V`; `async for name in X.iter_json(...)` makes it a
///     message, `X.iter_text(...)` / `X.iter_bytes(...)` text. The order of
///     statements is not followed, and a name may hold several of these.
///   - *Reading*: the bodies read first are those holding a call
///     `X.M(...)`, `M` one of `receive_json receive_text receive_bytes
///     iter_json iter_text iter_bytes` (the innermost `def` around it, or
///     the top level). A call in a read body passes what its arguments are
///     (positional ones up to a `*args`, keyword ones `k=`) to the module's
///     functions it names: `f(...)` every `def f` not directly in a class
///     body; `self.f(...)` / `cls.f(...)` in a method (a `def` directly in
///     a class body), every `def f` directly in that class body, its first
///     parameter skipped. The i-th positional argument reaches the i-th
///     parameter before any `*` / `*args`, `k=` the parameter `k` (unless
///     it is before a `/`); in the callee's body that parameter holds what
///     the argument is, and the body is read. Calls are followed two deep
///     from a receiving body (the dispatcher and what it dispatches to).
///   - *Found*, in each read body: a comparison `A == B` (one operator)
///     with a type on one side and a string literal on the other; a
///     comparison `A in C` (one operator), `A` a type and `C` a tuple, list
///     or set display: each string literal element; and a `match S:`
///     statement, `S` a type: each `case` whose pattern is a string literal
///     or an or-pattern of them (`case "a" | "b":`, each alternative that is
///     a string literal). `line` is the comparison's start, or the string
///     pattern's.
///
/// # `websocket_messages` (`side: frontend`)
///
/// - `direction: sent`: a call whose callee is `JSON.stringify` or has the
///   last segment `send` (`send(...)`, `ws?.send(...)`), whose first argument
///   is an object literal with a property keyed `type` (identifier or string
///   key; the first such property) whose value is a string literal. `line`
///   is the call's (for `ws.send(JSON.stringify({type}))`, the stringify
///   call's).
/// - `direction: handled`: the types compared or switched on where what is
///   compared is the `type` of a message a socket's `message` handler
///   parsed. A `.type` compared anywhere else (a template's `{#if
///   artifact.type === 'code'}`, a document block's kind) is no message.
///   What is followed, within one document (a file; the scripts of a
///   `.svelte` file, its template expressions apart):
///   - *Functions* of a document: `function f() {}`, a variable declarator
///     `f = <function or arrow function>`, a class method `f() {}` (of its
///     class). An expression *names* functions when it is a function or
///     arrow function (itself), an identifier `f` (every function `f` that is
///     no method), or `this.f` inside a class body (every method `f` of
///     that class).
///   - *Handlers*: `X.onmessage = H`, and `X.addEventListener(S, H)` /
///     `X.on(S, H)` with `S` the string literal `message` as the first
///     argument and `H` the second: the functions `H` names. A handler's
///     first parameter (a name) holds the *event*.
///   - *Received*, in one function (its whole body, the functions nested
///     in it included; parentheses, `as`, `satisfies`, `!` and `<T>`
///     dropped): a *message* is `JSON.parse(A)` with `A` the event or
///     `E.data` of an event `E`, or a name holding a message; a *type* is
///     `M.type`, `M?.type` or `M["type"]` of a message `M`, or a name holding
///     a type.
///   - *Names*: a name holds what the value of any of the function's
///     bindings of it is (`const name = V`, `name = V`); a destructuring of a
///     message binds its type (`const { type } = M`, `{ type: t }`, `{ type =
///     d }`, `{ type: t = d }`). The order of statements is not followed.
///   - *Reading*: the handlers are read first. A call in a read function
///     passes what its arguments are (up to a spread) to the functions its
///     callee names: the i-th argument reaches the i-th parameter (a `this`
///     parameter skipped, up to a rest parameter) as it would a binding
///     (a name holds it; an object pattern given a message binds its type),
///     and that function is read. Calls are followed two deep from a
///     handler.
///   - *Found*, in each read function (each place once): a binary
///     expression `==` / `===` with a type on one side and a string literal
///     on the other (`line` the expression's); a `switch` whose value is a
///     type: each `case` whose value is a string literal (`line` the case
///     value's).
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
///
/// # `context_carriers`: [`ContextCarrier`]
///
/// Where request context lives. A *carrier name* is one of `trace_id span_id
/// request_id correlation_id session_id user_email user_id tenant_id
/// department division current_user`. `kind`:
///
/// - `parameter`: a parameter of a `def`, `async def` or `lambda` (also
///   `*name`, `**name`) with a carrier name;
/// - `assignment`: an assignment target (`=`, every target of a chain, an
///   annotated declaration with or without value), an identifier or
///   attribute whose last segment is a carrier name (`request.state.request_id`);
/// - `keyword`: a keyword argument `f(name=...)` (calls and class bases) with
///   a carrier name;
/// - `header`: a string literal whose value, lower-cased, is one of
///   `x-request-id x-correlation-id x-trace-id x-user-email x-department
///   x-session-id traceparent tracestate`; `name` is the value as written.
///
/// `line` is the name's (or the literal's) first line.
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
///
/// # `timing`: [`Timing`]
///
/// - `kind: clock`: a call whose callee is a dotted name (identifiers joined
///   by `.`) among `time.time time.time_ns time.perf_counter
///   time.perf_counter_ns time.monotonic time.monotonic_ns time.process_time
///   perf_counter perf_counter_ns monotonic monotonic_ns`; `name` is that
///   dotted name, `line` where the call starts.
/// - `kind: duration`: an assignment target as for `context_carriers` whose
///   last segment ends in `_ms`, `_seconds` or `_secs`, starts with
///   `elapsed`, `duration` or `latency`, or contains `ttft`; `name` is the
///   last segment.
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
///
/// # `metrics_calls`: [`MetricsCall`]
///
/// An attribute access `R.M`, `R` an identifier or attribute whose last
/// segment is `metrics_collector`, `metrics` or `statsd`, or ends in
/// `_metrics`: `receiver` is that last segment, `method` is `M`, `called`
/// whether `R.M` is the callee of a call, and `name` that call's first
/// positional argument when it is a string literal (the metric's name), else
/// `null`. `line` is where `R` starts.
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
///
/// # `background_tasks`: [`BackgroundTask`]
///
/// The *target* of an expression: for a call, its callee's last segment; for
/// an identifier or attribute, its last segment; else `null`. Calls whose
/// callee (an identifier or attribute) has the last segment:
///
/// - `create_task` or `ensure_future`: `kind: task`, target of the first
///   positional argument;
/// - `add_task`: `kind: background_task` (FastAPI `BackgroundTasks`), target
///   of the first positional argument;
/// - `add_job`: `kind: scheduled_job` (APScheduler), likewise;
/// - `run_in_executor`: `kind: executor`, target of the second positional
///   argument;
/// - `Thread`: `kind: thread`, target of the `target=` keyword's value;
/// - ending in `Scheduler`: `kind: scheduler`, `target` is that last segment.
///
/// And a decorator on a function whose expression, or whose callee when it
/// is a call, has the last segment `task` or `shared_task`: `kind:
/// celery_task`, `target` is the function's name. `line` is where the call
/// or the decorator (`@`) starts. A missing argument gives a `null` target.
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

/// An alert channel or its setting.
///
/// # `notifications`: [`Notification`] (Python and `.env*` files)
///
/// The *qualified name* of a dotted callee (identifiers joined by `.`) is
/// the name with its first identifier replaced by what an import of the
/// module binds it to: `import a.b` binds `a` to `a`, `import a.b as x`
/// binds `x` to `a.b`, `from m import n [as x]` binds `n` (or `x`) to
/// `m.n`; the first such import in source order counts, anywhere in the
/// module; relative imports and `__future__` bind nothing. An unbound first
/// identifier stays as written. Other callees (`f().x`) have none. An
/// *environment read* is a call whose qualified name is `os.getenv` or
/// `os.environ.get` with a string literal first positional argument, or a
/// subscript `X["N"]` (one string literal subscript) whose `X` has the
/// qualified name `os.environ`; its name is the string. A *URL literal* is a
/// string literal (not bytes; an implicit concatenation is one literal) whose
/// *leading text* (the parts joined up to the first placeholder of an
/// f-string) starts with `http://` or `https://` (scheme ASCII
/// case-insensitive) and has a non-empty host: `url` is that text, `host`
/// the part after `://` up to `/`, `?` or `#`, without `user@` or `:port`,
/// lower-cased. `kind`:
///
/// - `smtp`: a call whose qualified name starts with `smtplib.` or
///   `aiosmtplib.` and ends in `SMTP`, `SMTP_SSL` or `LMTP`, or is
///   `aiosmtplib.send`; `name` is the qualified name;
/// - `client`: a call whose qualified name's last segment is `WebClient`,
///   `AsyncWebClient`, `WebhookClient`, `AsyncWebhookClient`, `SlackClient`
///   or `DiscordWebhook`; `name` is the qualified name;
/// - `webhook`: a call whose callee's last segment is `post` or `put`, whose
///   first positional argument is an identifier or attribute whose last
///   segment, upper-cased, contains `WEBHOOK` or `SLACK` (`name` is that
///   segment), or a URL literal that is a *webhook URL* (host
///   `hooks.slack.com`, or `webhook` anywhere in the URL, ASCII
///   case-insensitive; `name` is the URL);
/// - `webhook_url`: a URL literal that is a webhook URL;
/// - `env`: an environment read whose name, upper-cased, contains `SMTP`,
///   `MAIL`, `SLACK`, `WEBHOOK`, `NOTIFY` or `ALERT`;
/// - `env_file`: in a `.env*` file, a line defining such a name: after
///   leading white space and an optional `export` followed by white space, a
///   key `[A-Za-z_][A-Za-z0-9_]*`, optional spaces or tabs, and `=`.
///
/// `line` is where the call, subscript or literal starts, or the `.env`
/// line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Notification {
    pub file: String,
    pub line: usize,
    pub kind: NotificationKind,
    /// The callee, client class, variable, URL or environment variable.
    pub name: String,
}

/// What a notification finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// `smtplib.SMTP(...)`, `SMTP_SSL(...)`, `aiosmtplib.send(...)`.
    Smtp,
    /// A Slack / webhook client created (`WebClient(...)`, `WebhookClient(...)`).
    Client,
    /// An HTTP post to a webhook variable or URL.
    Webhook,
    /// A webhook URL literal.
    WebhookUrl,
    /// An environment variable read in code.
    Env,
    /// An environment variable defined in a `.env*` file.
    EnvFile,
}

/// A credential of an alert channel written in the source: whoever reads
/// the repository can post to the channel or send as the mail account.
///
/// # `hardcoded_secrets`: [`HardcodedSecret`] (Python, TypeScript and Svelte)
///
/// **Webhook URLs** (`webhook_url`), in Python, TypeScript, JavaScript and
/// Svelte `<script>` code: a string literal (Python: each `str`/bytes
/// literal or implicit concatenation, f-strings included; TS: string and
/// template literals) whose text between the quotes (escapes as written,
/// parts of a concatenation joined, each placeholder `{...}` / `${...}`
/// read as one space) contains a *webhook marker* of
/// [`vocabulary::WEBHOOK_MARKERS`] (`hooks.slack.com/services/`,
/// `discord.com/api/webhooks/`, `discordapp.com/api/webhooks/`,
/// `outlook.office.com/webhook`, `webhook.office.com/webhookb2/`) followed by
/// at least one ASCII letter or digit before the next whitespace or quote
/// (so `f"https://hooks.slack.com/services/{token}"` is none). `name` is
/// the marker's host (`hooks.slack.com`).
///
/// **SMTP passwords** (`smtp_password`), in Python: a *secret literal* is
/// a non-empty `str` literal (not bytes, no placeholder, parentheses
/// dropped). Found:
///
/// - `X.login(user, P)` with `P` (the second positional argument, or
///   `password=`) a secret literal, when the module imports `smtplib` or
///   `aiosmtplib` (`import` or `from ... import`, anywhere in the module),
///   or `X`'s last segment contains `smtp` (any case); `name` is `login`;
/// - an assignment (`=`, annotated, each target of a chain), a keyword
///   argument or a dict entry (string key) whose name (the target's last
///   segment, the keyword, the key's text), lower-cased, contains both
///   `smtp` and `pass` (`SMTP_PASSWORD`, `smtp_pass`) and whose value is a
///   secret literal; `name` is that name.
///
/// `line` (and the column `recon check` prints) is where the literal
/// starts, its parentheses included.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HardcodedSecret {
    pub file: String,
    pub line: usize,
    pub kind: SecretKind,
    /// The webhook's host, or the name the SMTP password is given to.
    pub name: String,
}

/// What a hard-coded secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// A Slack, Discord or Teams incoming-webhook URL with its token.
    WebhookUrl,
    /// An SMTP password.
    SmtpPassword,
}

/// An `http(s)://` string literal.
///
/// # `external_urls`: [`ExternalUrl`]
///
/// Python: every URL literal (see `notifications`), docstrings included,
/// comments never. TypeScript and Svelte code (not HTML attributes): every
/// string literal whose value, and every template string whose text before
/// its first substitution, is an `http(s)://` URL with a host, read the same
/// way. `line` is the literal's first line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExternalUrl {
    pub file: String,
    pub line: usize,
    /// The literal's value (of an f-string or template: its leading text).
    pub url: String,
    /// The host, lower-cased, without user info or port.
    pub host: String,
}

/// A database connection or pool created.
///
/// # `db_connections`: [`DbConnection`]
///
/// A call whose qualified name (see `notifications`) has a first segment and
/// a last segment among: `asyncpg` with `connect` `create_pool` (library
/// `asyncpg`); `psycopg`, `psycopg2` or `psycopg_pool` with `connect`
/// `ConnectionPool` `AsyncConnectionPool` `NullConnectionPool`
/// `AsyncNullConnectionPool` `SimpleConnectionPool` `ThreadedConnectionPool`
/// (`psycopg`); `sqlalchemy` with `create_engine` `create_async_engine`
/// `engine_from_config` (`sqlalchemy`); `sqlite3` or `aiosqlite` with
/// `connect` (`sqlite`); `pymysql`, `aiomysql`, `MySQLdb` or `mysql` with
/// `connect` `create_pool` (`mysql`). `call` is the qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DbConnection {
    pub file: String,
    pub line: usize,
    /// `asyncpg`, `psycopg`, `sqlalchemy`, `sqlite` or `mysql`.
    pub library: String,
    /// The callee's qualified name (`asyncpg.create_pool`).
    pub call: String,
}

/// A Redis client or pool created.
///
/// # `redis`: [`RedisClient`]
///
/// A call whose qualified name starts with `redis` or `aioredis` and ends in
/// `Redis`, `StrictRedis`, `from_url`, `ConnectionPool`,
/// `BlockingConnectionPool`, `RedisCluster`, `Sentinel`, `create_redis`,
/// `create_redis_pool` or `create_pool` (`import redis.asyncio as
/// aioredis; aioredis.Redis.from_url(...)` gives
/// `redis.asyncio.Redis.from_url`). `call` is the qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RedisClient {
    pub file: String,
    pub line: usize,
    /// The callee's qualified name (`redis.asyncio.Redis.from_url`).
    pub call: String,
}

/// A model provider touch point.
///
/// # `ai_providers`: [`AiProvider`]
///
/// Providers are `openai`, `anthropic`, `xai` and `deepinfra`. `kind`:
///
/// - `client`: a call whose qualified name starts with `openai` and ends in
///   `OpenAI` `AsyncOpenAI` `AzureOpenAI` `AsyncAzureOpenAI` (provider
///   `openai`, or the provider of the host of a `base_url=` URL literal when
///   that is an API host below), with `anthropic` and ends in `Anthropic`
///   `AsyncAnthropic` (`anthropic`), with `xai_sdk` and ends in `Client`
///   `AsyncClient` (`xai`); `name` is the qualified name;
/// - `endpoint`: a URL literal whose host is `api.openai.com`,
///   `api.anthropic.com`, `api.x.ai` or `api.deepinfra.com`; `name` is the
///   URL;
/// - `model`: a string literal (no placeholder) starting with `gpt-`,
///   `chatgpt-`, `text-embedding-` (openai), `claude-` (anthropic) or
///   `grok-` (xai); `name` is the value;
/// - `embedding`: a call whose callee's last segment is `embed`
///   `embed_query` `embed_documents` `aembed_query` `aembed_documents`
///   `get_embedding` `get_embeddings` `create_embedding` `create_embeddings`
///   (`name` is that segment), or `R.create` with `R`'s last segment
///   `embeddings` or `Embedding` (`name` is `embeddings.create`...);
///   `provider` is `null`;
/// - `env`: an environment read (see `notifications`) whose name has an
///   `_`-separated component, upper-cased, among `OPENAI` `ANTHROPIC` `XAI`
///   `GROK` (xai) `DEEPINFRA` (the first such gives the provider);
/// - `env_file`: a `.env*` line defining such a name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AiProvider {
    pub file: String,
    pub line: usize,
    /// `openai`, `anthropic`, `xai` or `deepinfra`; `null` when unknown.
    pub provider: Option<String>,
    pub kind: AiKind,
    /// The client class, URL, model, variable or callee.
    pub name: String,
}

/// What an AI provider finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AiKind {
    /// An SDK client created (`AsyncOpenAI(...)`).
    Client,
    /// A provider API URL literal.
    Endpoint,
    /// A model name literal (`"grok-3-mini"`).
    Model,
    /// An embedding call.
    Embedding,
    /// A provider environment variable read in code.
    Env,
    /// A provider environment variable defined in a `.env*` file.
    EnvFile,
}

/// A call from one function of the checkout to another. A large checkout
/// has 10^5 edges and more; their names and files are shared, not copied
/// (they serialize as plain strings).
///
/// # `call_graph`: [`CallEdge`], `external_calls`: [`ExternalCall`], `call_resolution`: [`CallResolution`] (Python)
///
/// Every call of the checkout's Python (a call whose callee is any
/// expression, anywhere: function bodies, module level, class bodies,
/// decorators, defaults) is resolved by the semantic model
/// (`recon-semantic`) to what the code shows it reaches; never by the
/// called name alone:
///
/// - *project*: functions or methods defined in the checkout: one
///   `call_graph` edge each. `Foo(...)` of a project class reaches the
///   first `__init__` on its MRO when the checkout defines it; a method
///   call reaches the method its receiver's class (or `super()`) gives
///   through the C3 MRO. Several edges from one call only when the
///   receiver has several known types (assigned different classes on
///   different branches). FastAPI's `Depends(f)` in a handler's parameter
///   gives an edge from the handler to `f`, at `f`.
/// - *external*: something outside the checkout, one `external_calls`
///   item with its qualified name (`asyncio.run`, `psycopg2.connect`,
///   `openai.AsyncOpenAI.chat.completions.create`, `httpx.AsyncClient.post`:
///   the import path, then the attributes and calls taken from it, a call's
///   result keeping the callee's name).
/// - *builtin*: `print`, `len`, methods of builtin values (`[].append`,
///   `"".join`): nothing listed.
/// - *unresolved*: what the model cannot show (an untyped parameter's
///   method, a subscripted callee, a dynamic attribute): nothing listed,
///   counted in `call_resolution`.
///
/// Types come from syntax only: constructor calls, annotations (`x: Foo`,
/// `Optional[Foo]`, `Foo | None`, `"Foo"`), `self.x = ...` in the class's
/// methods, return annotations and `return`s whose values are all known,
/// module-level values reached through imports.
///
/// `file`, `line` and `column` (1-based, bytes) are the called name's (`c`
/// in `a.b.c()`); `caller` the qualified name of the innermost enclosing
/// `def` (`Class.method`, `outer.inner`; lambdas and comprehensions are
/// transparent), or `<module>`; `callee`, `callee_file` and `callee_line`
/// the definition's (its qualified name and the line of `def`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CallEdge {
    /// Where the called name is.
    pub file: Arc<str>,
    pub line: usize,
    #[serde(default)]
    pub column: usize,
    /// The calling function's qualified name (`EnterpriseTwin.answer_stream`).
    pub caller: Arc<str>,
    /// The called function's qualified name (`EnterpriseRAG.search`).
    pub callee: Arc<str>,
    /// Where the called function is defined.
    pub callee_file: Arc<str>,
    pub callee_line: usize,
}

/// A call of something outside the checkout.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExternalCall {
    /// Where the called name is.
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    /// The calling function's qualified name, or `<module>`.
    pub caller: Arc<str>,
    /// The callee's qualified name (`httpx.AsyncClient.post`).
    pub callee: Arc<str>,
    /// The call passes `timeout=`, or a `**mapping` that may hold it
    /// (written only when true).
    #[serde(default, skip_serializing_if = "is_false")]
    pub passes_timeout: bool,
    /// The call is a statement of its own: nothing keeps what it returns
    /// (parentheses around it dropped; `await` and assignments keep it).
    /// Written only when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub discarded: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The request methods of `requests` and `httpx` (`get` ... `request`).
pub const REQUEST_METHODS: [&str; 8] = [
    "get", "post", "put", "delete", "patch", "head", "options", "request",
];

/// Whether a qualified name sends an HTTP request that waits as long as
/// its `timeout=` says: `requests.M` and `requests.Session.M` (`requests`
/// has no default timeout: they wait forever), `httpx.M` and
/// `httpx.stream` (httpx's 5-second default, invisible at the call), and
/// the clients `httpx.Client` / `httpx.AsyncClient` (whose timeout every
/// request of theirs inherits, so their methods are not listed), `M` one
/// of [`REQUEST_METHODS`]. Calls of these without `timeout=` are the
/// `http-request-without-timeout` gap and OBS007.
pub fn is_timed_request(callee: &str) -> bool {
    let method = |rest: &str| REQUEST_METHODS.contains(&rest);
    if let Some(rest) = callee.strip_prefix("requests.") {
        return method(rest) || rest.strip_prefix("Session.").is_some_and(method);
    }
    callee
        .strip_prefix("httpx.")
        .is_some_and(|rest| method(rest) || matches!(rest, "stream" | "Client" | "AsyncClient"))
}

/// The functions that schedule a coroutine as an `asyncio` task, by
/// qualified name (`asyncio.get_event_loop.create_task`: `create_task` on
/// what `asyncio.get_event_loop()` returns): a task whose call is a
/// statement of its own is the `fire-and-forget-task` gap and OBS008.
pub const TASK_FACTORIES: [&str; 5] = [
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.get_event_loop.create_task",
    "asyncio.get_running_loop.create_task",
    "asyncio.new_event_loop.create_task",
];

impl ExternalCall {
    /// A request to `requests` or `httpx` ([`is_timed_request`])
    /// that passes no `timeout=`.
    pub fn waits_without_timeout(&self) -> bool {
        !self.passes_timeout && is_timed_request(&self.callee)
    }

    /// A task scheduled ([`TASK_FACTORIES`]) whose handle nothing keeps.
    pub fn discards_task(&self) -> bool {
        self.discarded && TASK_FACTORIES.contains(&&*self.callee)
    }
}

/// How many Python calls resolved, and how: each call counts once, under
/// the first of project, external, builtin it reaches, else unresolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallResolution {
    pub calls: usize,
    pub project: usize,
    pub external: usize,
    pub builtin: usize,
    pub unresolved: usize,
    /// Python modules the model could not read (their tokens were not
    /// Python it models); their calls are not counted.
    pub unread_modules: usize,
}

/// An external call that performs an operation, by the API models
/// (`queries/models/python.toml`).
///
/// # `operations`: [`Operation`] (Python)
///
/// One per `external_calls` item whose qualified name the API models
/// (`queries/models/python.toml`) list: a row's receiver, a dot, one of its
/// methods (`openai.AsyncOpenAI` + `chat.completions.create` is an
/// `llm_call` of `openai`; `asyncpg.Pool.acquire` + `fetch` a `database`
/// call of `postgresql`; `httpx.AsyncClient` + `post` an `http` call).
/// Same `file`, `line`, `column`, `caller` and `callee` as the external
/// call; `kind` and `system` from the row. A function's name is never
/// evidence of an operation: only what it calls, and what its arguments
/// hold:
///
/// - Rows with `in_async_loop` apply only to calls in the body of an
///   `async for` of the calling function (not in a `def` nested in it): a
///   WebSocket `send_json`/`send_text`/`send_bytes` per item of an async
///   iterator is a `streaming` operation of `websocket`.
/// - An `http` call's URL (`post(url)`, `request(method, url)`,
///   `stream(method, url)`; keywords `url`, `method`) is read from a
///   literal, an f-string (fields as written), a `+` concatenation (parts
///   it cannot read as `{…}`), a name or module attribute bound to one
///   (imports followed, every binding), a lookup `TABLE[key]` in a dict
///   display of string literals (every value): `urls` lists them. A POST
///   (by the method, or a method argument that is the literal `POST`)
///   whose every URL ends with a model endpoint path (`/chat/completions`,
///   `/completions`, `/responses`, `/v1/messages`, `/api/chat`,
///   `/api/generate` -> `llm_call`; `/embeddings`, `/api/embed`,
///   `/api/embeddings` -> `embedding`) or is on a model provider's host
///   (`api.openai.com`, `api.x.ai`, ...: the data file's `provider` rows)
///   adds an operation of that kind; `system` is the host's provider, else
///   the path's API (`openai`, `anthropic`, `ollama`); several, in the
///   URLs' order, joined by `, `. URLs of different kinds, or one that is
///   not a model endpoint, add nothing.
/// - A `database` call's SQL (first positional argument, or keyword
///   `query`/`sql`/`statement`/`operation`; read as URLs are, and through
///   sqlalchemy's `text(sql)`) that holds a pgvector distance operator
///   (`<->` `<#>` `<=>` `<+>`) adds a `vector_search` of `pgvector`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Operation {
    /// Where the called name is (as the `external_calls` item).
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    /// The calling function's qualified name (`<module>` at module level).
    pub caller: Arc<str>,
    pub kind: OperationKind,
    /// The provider or library (`openai`, `postgresql`, `httpx`).
    pub system: String,
    /// The external call's qualified name.
    pub callee: Arc<str>,
    /// The URLs an HTTP request may be sent to, as far as the code shows
    /// them (f-string fields as written, unread parts as `{…}`); empty
    /// when not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

/// What an operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// A call to a language model (`chat.completions.create`).
    LlmCall,
    /// An embedding request.
    Embedding,
    /// A vector database query.
    VectorSearch,
    /// A database or cache command.
    Database,
    /// An outbound HTTP request.
    Http,
    /// A streaming response.
    Streaming,
}

/// `CREATE TABLE`.
///
/// # `sql_tables`: [`SqlTable`] and `sql_indexes`: [`SqlIndex`]
///
/// Statements are split at `;` outside comments, quoted identifiers,
/// strings and `$tag$` dollar quotes. `CREATE [OR REPLACE] [GLOBAL|LOCAL]
/// [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name (...)` gives a table:
/// `name` as written, schema-qualified when it is, each part's quotes
/// removed (`observability."ws_errors"` gives `observability.ws_errors`).
/// Each element of the body: a column (`name`; `type` the text up to the
/// first of `CONSTRAINT NOT NULL DEFAULT PRIMARY REFERENCES UNIQUE CHECK
/// COLLATE GENERATED AUTO_INCREMENT AUTOINCREMENT COMMENT ON` outside
/// parentheses, white space collapsed, empty when none; an inline `PRIMARY
/// KEY` adds it to `primary_key`; an inline `REFERENCES t [(c)]` adds
/// `{column, table: t, table_column: c}`), or a table constraint (with or
/// without `CONSTRAINT name`): `PRIMARY KEY (a, b)` sets the key's columns,
/// `FOREIGN KEY (a, b) REFERENCES t [(x, y)]` adds a reference per column
/// (`table_column` the column at the same position, or `null`); `UNIQUE`,
/// `CHECK`, `EXCLUDE`, `LIKE` and MySQL `INDEX`/`KEY` elements are skipped.
/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY]
/// table [USING method] (...)` gives an index: each field's column name
/// (quotes removed) when the field is a name, possibly followed by `ASC`,
/// `DESC`, `NULLS FIRST|LAST`, a collation or an operator class; else the
/// expression as written (white space collapsed) without those trailing
/// modifiers. `line` is the `CREATE`'s.
///
/// Statements are read from the tree-sitter-sequel tree when the grammar
/// parsed them without error, and by a token-level reader (the same rules)
/// when it did not (`vector(1024)`, `CONSTRAINT x FOREIGN KEY`); a test holds
/// the two paths to the same result. A statement neither reads (a `DO`
/// block, a PL/pgSQL body the grammar trips on) lists the file in `errors`
/// with the line of the first such statement; the rest of the file is kept.
/// `CREATE TABLE` inside function bodies, comments or strings is never read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SqlTable {
    pub file: String,
    pub line: usize,
    /// As written, schema-qualified when it is, quotes removed.
    pub name: String,
    pub columns: Vec<SqlColumn>,
    /// Column names of the primary key, in key order.
    pub primary_key: Vec<String>,
    pub references: Vec<SqlReference>,
}

/// One column of a `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SqlColumn {
    pub name: String,
    /// The type as written, runs of white space collapsed to one space.
    #[serde(rename = "type")]
    pub column_type: String,
}

/// A foreign key column and the table it references.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SqlReference {
    pub column: String,
    pub table: String,
    /// The referenced column, when named.
    pub table_column: Option<String>,
}

/// `CREATE INDEX`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SqlIndex {
    pub file: String,
    pub line: usize,
    /// The index's name (PostgreSQL allows none).
    pub name: Option<String>,
    pub table: String,
    /// Column names, or expressions as written.
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A SvelteKit route file.
///
/// # `frontend_routes`: [`FrontendRoute`]
///
/// Every file under a `src/routes/` directory (the first `src/routes` of its
/// path) named `+page.svelte` (`page`), `+layout.svelte` (`layout`), or
/// `+server.ts` / `+server.js` (`endpoint`); `+page@x.svelte` layout resets
/// included. `path` is `/` and the directories below `src/routes`, groups
/// `(name)` dropped, parameters (`[id]`, `[...rest]`) kept. `line` is 1.
/// `methods` (endpoints only) are the exported names among `GET POST PUT
/// PATCH DELETE OPTIONS HEAD fallback`, in that order (`export function`,
/// `export const`, `export { f as GET }`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FrontendRoute {
    pub file: String,
    pub line: usize,
    /// The URL (`/admin/users`, `/blog/[slug]`).
    pub path: String,
    pub kind: FrontendRouteKind,
    /// For endpoints: the HTTP methods exported (`GET`, `POST`...).
    pub methods: Vec<String>,
}

/// What a SvelteKit route file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontendRouteKind {
    Page,
    Layout,
    Endpoint,
}

/// A toast, notification store or alert in the frontend.
///
/// # `frontend_notifications`: [`FrontendNotification`]
///
/// A *notification name* contains, lower-cased, `toast`, `notif` or
/// `alert`. `kind`:
///
/// - `call`: a call whose callee is an identifier with a notification name
///   (`notify(...)`, `addToast(...)`, `alert(...)`), or a member expression
///   whose property has one (`window.alert`) or whose object is an
///   identifier with one not starting with `$` (`toast.success`,
///   `toasts.update`); `name` is the callee as written, white space removed;
/// - `store`: `const N = f(...)` with a notification name `N` and `f`'s last
///   segment `writable`, `readable`, `derived` or `$state`;
/// - `function`: a function declaration with a notification name, or `const
///   N = ` an arrow function or function expression;
/// - `component`: in a `.svelte` template, an element whose tag starts with
///   an ASCII capital and has a notification name (`<Toaster />`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FrontendNotification {
    pub file: String,
    pub line: usize,
    pub kind: FrontendNotificationKind,
    /// The callee as written, the store, function or component name.
    pub name: String,
}

/// What a frontend notification finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontendNotificationKind {
    Call,
    Store,
    Function,
    Component,
}

/// A chart library import, a chart component, or a use of one.
///
/// # `charts`: [`Chart`]
///
/// The imports of a file: `import ... from 'm'`, `export ... from 'm'`,
/// `import('m')`, `require('m')`. A *chart library* is a package (`@a/b` or
/// the first segment of `m`) among `chart.js` `echarts` `d3` and every `d3-*`
/// `layercake` `layerchart` `apexcharts` `highcharts` `plotly.js` `uplot`
/// `vega` `vega-lite` `recharts` `@unovis/ts`... (the full list is
/// `CHART_LIBRARIES` in `recon-syntax`). `kind`:
///
/// - `library`: an import of a chart library; `name` is the specifier,
///   `library` the package;
/// - `usage`: an import of a `.svelte` module under a `charts/` or `chart/`
///   directory or whose name ends in `Chart` or `Charts`; `name` is the
///   module's file stem;
/// - `component`: a `.svelte` file under a `charts/` or `chart/` directory,
///   or importing a chart library; `line` 1, `name` its stem, `library` its
///   first chart library import or `null`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Chart {
    pub file: String,
    pub line: usize,
    pub kind: ChartKind,
    /// The module specifier (library), or the component's name.
    pub name: String,
    /// The chart library's package name, when known.
    pub library: Option<String>,
}

/// What a chart finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// An import of a chart library.
    Library,
    /// A `.svelte` file that is a chart component.
    Component,
    /// An import of a chart component.
    Usage,
}

/// A logging configuration: a `basicConfig` / `dictConfig` / `fileConfig`
/// call, or a configuration file.
///
/// # `logging_config`: [`LoggingConfig`]
///
/// - A call whose callee's *qualified name* (see `notifications`) is
///   `logging.basicConfig` (`kind: basicConfig`), `logging.config.dictConfig`
///   (`dictConfig`) or `logging.config.fileConfig` (`fileConfig`):
///   `logging.basicConfig(...)`, `logging.config.dictConfig(...)`, and
///   `dictConfig(...)` / `fileConfig(...)` after `from logging.config import
///   dictConfig, fileConfig`, `config.dictConfig(...)` after `from logging
///   import config`... A bare `dictConfig(...)` that no import binds is none.
///   `line` is where the call starts.
/// - A file of the selection (any extension, also when no language reads it)
///   named `logging.conf`, `logging.ini`, `logging.yaml`, `logging.yml`, or
///   starting with `log_config.` (`log_config.yaml`, `log_config.py`):
///   `kind: file`, `line` 1. Names are compared case-sensitively; such a file
///   does not count in `files_scanned`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LoggingConfig {
    pub file: String,
    pub line: usize,
    pub kind: LoggingConfigKind,
}

/// How logging is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LoggingConfigKind {
    /// `logging.basicConfig(...)`.
    #[serde(rename = "basicConfig")]
    BasicConfig,
    /// `logging.config.dictConfig(...)`.
    #[serde(rename = "dictConfig")]
    DictConfig,
    /// `logging.config.fileConfig(...)`.
    #[serde(rename = "fileConfig")]
    FileConfig,
    /// A `logging.conf`, `logging.ini`, `logging.yaml|yml` or `log_config.*`
    /// file (line 1).
    #[serde(rename = "file")]
    File,
}

/// A call of the built-in `print`.
///
/// # `print_calls`: [`PrintCall`]
///
/// A call whose callee is the bare identifier `print` (not an attribute:
/// `console.print` is none); `line` is where the call starts. `exempt` is
/// true in test code ([`vocabulary::is_test_path`]: a directory named
/// `tests`, `test` or `__tests__`, a base name `conftest.py`, `test_*.py`,
/// `*_test.py`, or with a `.test.` or `.spec.` part) and for a call
/// lexically inside the body of an `if __name__ == "__main__":` statement
/// (one `==`, operands in either order and possibly parenthesised, the
/// string any string literal; the `if` body only, not its `elif` or `else`;
/// nested functions included), and in a script: a file starting with `#!`,
/// or below the root in a directory without `__init__.py`
/// (`recon_syntax::is_python_script`). These are the exemptions of `recon
/// check` OBS001, which reads this finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PrintCall {
    pub file: String,
    pub line: usize,
    /// In test code, a script, or an `if __name__ == "__main__":` body.
    pub exempt: bool,
}

/// How a log call's message is built (one per [`LogCall`]).
///
/// # `log_messages`: [`LogMessage`]
///
/// One per `log_calls` entry (same `file`, `line`, `level`). The *message*
/// is the first positional argument (the second for `log`, whose first is
/// the level), parentheses dropped; with no such argument, the `msg=`
/// keyword's value. `message` is:
///
/// - `fstring`: a string literal with a part that is an f-string with a
///   placeholder (`f"user {uid}"`, `"a" f"{b}"`);
/// - `format`: a call whose callee is an attribute named `format`
///   (`"{} done".format(n)`, `template.format(n)`);
/// - `percent`: a binary `%` (`"%s done" % n`);
/// - `concat`: a binary `+` chain with an operand that is not a `str`
///   literal without placeholder (`"user " + uid`);
/// - `literal`: a `str` literal without placeholder (implicit concatenation
///   included), or a `+` chain of only such literals;
/// - `none`: no message at all (`logger.info()`, `logger.log(level)`);
/// - `other`: anything else (a name, another call, bytes, `*args`).
///
/// `in_except` is true when the call is lexically inside the body of an
/// `except`/`except*` clause with no function definition (its parameters,
/// annotations and body; its decorators are outside), `lambda` or class
/// definition (its bases and body) in between. `exc_info` is true when the
/// call has an `exc_info=` keyword argument (whatever its value), or `level`
/// is `exception`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LogMessage {
    pub file: String,
    pub line: usize,
    pub level: LogLevel,
    pub message: MessageKind,
    /// Where the message argument starts, parentheses around it left out
    /// (column 1-based, in characters); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_at: Option<Position>,
    /// The logger as written, whitespace runs made one space (`logging`,
    /// `self.log`).
    #[serde(default)]
    pub receiver: String,
    /// Lexically inside an `except` body (no def, lambda or class between).
    pub in_except: bool,
    /// Passes `exc_info=` (or a `**` mapping, which may hold it), or is an
    /// `exception` call.
    pub exc_info: bool,
}

impl LogMessage {
    /// The call logs on the root logger: its receiver is the `logging`
    /// module itself (`logging.info(...)`), the `root-logger-call` gap and
    /// OBS005.
    pub fn on_root_logger(&self) -> bool {
        self.receiver == "logging"
    }
}

/// A place in a file: 1-based line, 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// What a log message argument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// An f-string with a placeholder.
    Fstring,
    /// `....format(...)`.
    Format,
    /// `... % ...`.
    Percent,
    /// A `+` chain that is not only string literals.
    Concat,
    /// A string literal without placeholder.
    Literal,
    /// Any other expression (a name, a call...).
    Other,
    /// No message argument.
    None,
}

impl MessageKind {
    /// Formatted before the logger sees it (an f-string with a
    /// placeholder, `.format()`, `%`, a `+` chain that is not only string
    /// literals): the report's "eager log messages" and `recon check`'s
    /// OBS004. A name or a call (`Other`) may hold anything and is not.
    pub fn is_eager(self) -> bool {
        matches!(
            self,
            MessageKind::Fstring | MessageKind::Format | MessageKind::Percent | MessageKind::Concat
        )
    }
}

/// What an `except` clause's body does (one per [`ExceptHandler`]).
///
/// # `except_bodies`: [`ExceptBody`]
///
/// One per `except_handlers` entry (same `file`, `line`). `swallowed`: the
/// clause's body is one or more `pass`, `continue` and `...` statements
/// only (comments ignored; `recon check` OBS002). `logs`: the body holds a
/// call that is a `log_calls` finding; `reraises`: the body holds a `raise`
/// statement; both looked for in nested blocks too (nested `try`/`except`
/// included) but not inside a function definition, `lambda` or class
/// definition (as for `in_except`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExceptBody {
    pub file: String,
    pub line: usize,
    /// Only `pass`, `continue` and `...` statements
    /// ([`vocabulary::SwallowedBody`]).
    pub swallowed: bool,
    /// When swallowed, its distinct statements in order of first
    /// appearance (`pass`, `continue`, `...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swallowed_by: Vec<String>,
    /// Holds a log call.
    pub logs: bool,
    /// Holds a `raise` statement.
    pub reraises: bool,
}

/// The router a route is declared on (one per [`Route`]).
///
/// # `route_routers`: [`RouteRouter`]
///
/// One per `routes` entry (same `file`, `line`): `router` is the last
/// segment of the decorator's receiver `R` (`@admin_router.get` gives
/// `admin_router`, `@self.router.get` gives `router`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RouteRouter {
    pub file: String,
    pub line: usize,
    /// The last segment of the decorator's receiver.
    pub router: String,
}

/// A duration measured with the wall clock: `recon check` OBS006 flags
/// each one, and the report lists them in its `wall-clock-duration` gap.
///
/// # `wall_clock_durations`: [`WallClockDuration`] (Python)
///
/// A subtraction `A - B` (a binary `-`, parentheses dropped around the
/// operands) whose two operands are both *wall-clock values*:
///
/// - a *wall-clock read*: a call of `time.time()` or `time.time_ns()` (the
///   callee's dotted name as written), or of `time()` / `time_ns()` when the
///   module has `from time import time` (`time_ns`) without alias, anywhere;
/// - an identifier `N` bound by an assignment `N = <wall-clock read>` (a
///   chain `a = b = time.time()` binds each target; an annotation `N: T =`
///   too) that ends before the subtraction starts, in the function the
///   subtraction is in, in a function enclosing that one, or at module level
///   (a `lambda` is a function; a class body is not);
/// - an attribute `X.N` (`self.started`, compared as its dotted name) that
///   the same file assigns a wall-clock read to anywhere (attributes outlive
///   a function).
///
/// `line` is where the subtraction starts; a subtraction of a subtraction
/// (`a - b - c`) is one finding per `-` whose operands qualify. A
/// `time.time() - ts` with `ts` of unknown origin (a parameter, a database
/// value, a JWT `iat`) is none: comparing the current time with a stored
/// timestamp is what the wall clock is for. Test code is not exempt (the
/// report leaves it out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WallClockDuration {
    pub file: String,
    pub line: usize,
}

/// An error tracker set up, or an error reported to one.
///
/// # `error_trackers`: [`ErrorTracker`] (Python)
///
/// A call whose callee's *qualified name* (see `notifications`) is one of
/// the names below, the callee's first identifier being bound by an import
/// of the module (a bare `init(...)`, or a local variable `sentry_sdk` that
/// no import binds, is none):
///
/// - `sentry_sdk.init` (`tracker: sentry`, `kind: init`);
///   `sentry_sdk.capture_exception`, `sentry_sdk.capture_message`
///   (`sentry`, `capture`);
/// - `rollbar.init` (`rollbar`, `init`); `rollbar.report_exc_info`,
///   `rollbar.report_message` (`rollbar`, `capture`);
/// - `bugsnag.configure` (`bugsnag`, `init`); `bugsnag.notify` (`bugsnag`,
///   `capture`).
///
/// `call` is the qualified name; `dsn` whether the call has a `dsn=` keyword
/// argument (not `**kwargs`); `traces_sample_rate` the
/// `traces_sample_rate=` keyword argument's value as written (its text
/// after the `=`, parentheses included), else `null`. `line` is where the
/// call starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ErrorTracker {
    pub file: String,
    pub line: usize,
    /// `sentry`, `rollbar` or `bugsnag`.
    pub tracker: String,
    pub kind: ErrorTrackerKind,
    /// The callee's qualified name (`sentry_sdk.init`).
    pub call: String,
    /// The call passes `dsn=`.
    pub dsn: bool,
    /// The `traces_sample_rate=` value as written.
    pub traces_sample_rate: Option<String>,
}

/// What an error tracker call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorTrackerKind {
    /// Sets the tracker up (`sentry_sdk.init`).
    Init,
    /// Reports an error or message (`sentry_sdk.capture_exception`).
    Capture,
}

/// OpenTelemetry tracing set up in the code.
///
/// # `tracing_setup`: [`TracingSetup`] (Python)
///
/// A call whose callee's *qualified name* (see `notifications`) is one of
/// the names below, the callee's first identifier being bound by an import
/// of the module (a local variable `trace`, or a bare `get_tracer(...)`
/// that no import binds, is none):
///
/// - `opentelemetry.trace.set_tracer_provider` (`kind: set_tracer_provider`);
/// - `opentelemetry.trace.get_tracer` (`get_tracer`);
/// - `opentelemetry.sdk.trace.TracerProvider` (`tracer_provider`).
///
/// And an instrumentor instrumenting (`kind: instrument`): a call
/// `C.M(...)` or `C(...).M(...)`, `M` being `instrument` or
/// `instrument_app`, where `C` is a dotted name whose qualified name (its
/// first identifier bound by an import) is under `opentelemetry.` and whose
/// last segment ends with `Instrumentor`
/// (`FastAPIInstrumentor.instrument_app(app)`,
/// `HTTPXClientInstrumentor().instrument()`). An `instrument()` of any other
/// class (`prometheus_fastapi_instrumentator.Instrumentator`, a local
/// class) is none.
///
/// `call` is the qualified name: the callee's, or for an instrumentor
/// `C`'s followed by `.M`
/// (`opentelemetry.instrumentation.httpx.HTTPXClientInstrumentor.instrument`).
/// `line` is where the call starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TracingSetup {
    pub file: String,
    pub line: usize,
    pub kind: TracingSetupKind,
    /// The qualified name of what is called.
    pub call: String,
}

/// What a tracing setup call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TracingSetupKind {
    /// Installs the global tracer provider.
    SetTracerProvider,
    /// Gets a tracer to make spans with.
    GetTracer,
    /// Creates the SDK's tracer provider.
    TracerProvider,
    /// An instrumentor instruments a library or an app.
    Instrument,
}

/// A file that could not be read or did not parse cleanly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FileError {
    pub file: String,
    pub reason: String,
}

/// What an ASGI server runs of the checkout: see the crate docs.
///
/// # `served_app`: [`ServedApp`] (Python)
///
/// What runs when an ASGI server serves the checkout's applications, from
/// the semantic model (never from names):
///
/// - `apps`: module-level bindings to a `FastAPI(...)` or `Starlette(...)`
///   instance (`line`: the call's).
/// - `modules`: the applications' modules and every checkout module they
///   import, transitively (import statements anywhere in a module).
/// - `entry_points`, in those modules: functions under an application's or
///   router's route (`route`), WebSocket (`websocket`), `middleware`,
///   `on_event` (`startup`/`shutdown`) or `exception_handler` decorator;
///   functions passed to `add_api_route`/`add_route` (`route`),
///   `add_api_websocket_route`/`add_websocket_route` (`websocket`),
///   `add_exception_handler`, `add_event_handler`, `add_middleware` (a
///   class: its `dispatch` and `__call__`); an application's `lifespan=`
///   (`lifespan`), `on_startup=`/`on_shutdown=`; and served functions that
///   reached code passes to an external `add_task`, `add_job`,
///   `run_in_executor` or `Thread(target=)` (`background`). `line` is the
///   `def`'s.
/// - `functions`: every function of those modules (`line` of the `def`,
///   `end_line` the body's last), `reached` when an entry point reaches it
///   through `call_graph` (entry points included) or the module-level code
///   of a served module calls it (it runs on import); calls in
///   `if __name__ == "__main__":` blocks (`main_blocks`) do not count.
///
/// Empty when the checkout has no application. [`ServedApp::place`] says
/// where a line is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedApp {
    pub apps: Vec<AppObject>,
    pub entry_points: Vec<EntryPoint>,
    pub modules: Vec<String>,
    pub functions: Vec<ServedFunction>,
    pub main_blocks: Vec<LineRange>,
}

/// A module-level `FastAPI()` / `Starlette()` application.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AppObject {
    pub file: String,
    pub line: usize,
    pub name: String,
}

/// A function the server, or a runner the app starts, calls.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntryPoint {
    pub file: String,
    pub line: usize,
    pub qualname: String,
    pub kind: EntryKind,
}

/// Why a function is an entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Route,
    Websocket,
    Middleware,
    Startup,
    Shutdown,
    Lifespan,
    ExceptionHandler,
    Background,
}

/// A function of a served module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServedFunction {
    pub file: String,
    pub line: usize,
    pub end_line: usize,
    pub qualname: String,
    pub reached: bool,
}

/// Lines `line..=end_line` of a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LineRange {
    pub file: String,
    pub line: usize,
    pub end_line: usize,
}

/// Where a line of the checkout is, for the served app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// Runs when the app serves: in a reached function, or module-level
    /// code of a served module.
    Served,
    /// In a served module's function that no entry point reaches.
    NotReached,
    /// Not in a served module, or in a `__main__` block.
    Outside,
    /// The checkout has no application: nothing is known.
    Unknown,
}

impl ServedApp {
    /// Where `line` of `file` is (`functions` and `main_blocks` are sorted
    /// by file, then line).
    pub fn place(&self, file: &str, line: usize) -> Place {
        if self.apps.is_empty() {
            return Place::Unknown;
        }
        if self
            .modules
            .binary_search_by(|m| m.as_str().cmp(file))
            .is_err()
            || self
                .main_blocks
                .iter()
                .any(|b| b.file == file && b.line <= line && line <= b.end_line)
        {
            return Place::Outside;
        }
        // The innermost function around the line: the last one starting at
        // or before it that is still open.
        let start = self.functions.partition_point(|f| f.file.as_str() < file);
        let end = self.functions.partition_point(|f| f.file.as_str() <= file);
        let innermost = self.functions[start..end]
            .iter()
            .filter(|f| f.line <= line && line <= f.end_line)
            .max_by_key(|f| f.line);
        match innermost {
            Some(f) if !f.reached => Place::NotReached,
            _ => Place::Served,
        }
    }
}

/// A distribution a dependency file declares.
///
/// # `dependencies`: [`DeclaredDependency`]
///
/// One per distribution a dependency file declares: `requirements*.txt`
/// (every line that is not empty, a comment, an option such as `-r`/`-e`,
/// or a URL: the name before any extra, version or marker) and
/// `pyproject.toml` (`[project] dependencies`, `[project.optional-dependencies]`,
/// `[tool.poetry.dependencies]` and Poetry groups' `dependencies`, `python`
/// left out; `line` where the name is first written). `name` normalized as
/// pip compares them (lower case, `_` and `.` as `-`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DeclaredDependency {
    pub file: String,
    pub line: usize,
    pub name: String,
}
