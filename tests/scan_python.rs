//! `recon scan` on small focused Python fixtures (`fixtures/scan/python/`),
//! each expectation written by hand from reading the fixture; file selection
//! and encoding edge cases on checkouts built at test time; the CLI contract.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::util::scan::{FINDINGS_FORMAT, recon_scan, scan};
use crate::util::{workspace, write};
use recon_findings::{
    AiKind, AiProvider, BackgroundKind, BackgroundTask, CallEdge, CarrierKind, ContextCarrier,
    DbConnection, ExceptHandler, ExternalUrl, Findings, HttpMethod, LogCall, LogLevel, Logger,
    MessageDirection, MetricsCall, Middleware, MiddlewareKind, Notification, NotificationKind,
    RedisClient, Route, Side, Timing, TimingKind, WebsocketEndpoint, WebsocketMessage,
};
use recon_findings::{ExceptBody, LoggingConfig, LoggingConfigKind, MessageKind, PrintCall};
use recon_findings::{HardcodedSecret, SecretKind};

fn fixture(name: &str) -> Findings {
    scan(&workspace().join("fixtures/scan/python").join(name), &[])
}

/// A route of `app.py` whose handler is the function `qualname` (its last
/// segment is the handler's name).
fn route(line: usize, method: HttpMethod, path: Option<&str>, qualname: &str) -> Route {
    Route {
        file: "app.py".into(),
        line,
        method,
        path: path.map(Into::into),
        handler: qualname.rsplit('.').next().unwrap().into(),
        handler_qualname: Some(qualname.into()),
        full_path: None,
    }
}

/// Where each route is served, read off `fixtures/scan/python/mounts` by
/// hand (FastAPI prefixes: the include's `prefix=`, then the router's own,
/// at every level; `mount(path, app)` prefixes the sub-application).
#[test]
fn route_full_paths() {
    let found = fixture("mounts");
    let served: Vec<(&str, &str, Option<&str>)> = found
        .routes
        .iter()
        .map(|r| (&*r.file, &*r.handler, r.full_path.as_deref()))
        .collect();
    assert_eq!(
        served,
        [
            // "/v1" (include, through the module attribute `v1.router`) + "/items"
            ("api/v1.py", "get_item", Some("/v1/items/{item_id}")),
            // nested: "/v1" + "/items" + "/inner" + "" + "/x"
            ("api/v1.py", "inner_x", Some("/v1/items/inner/x")),
            // included twice ("/a", "/b"): no one full path
            ("api/v1.py", "t", None),
            // included nowhere
            ("api/v1.py", "o", None),
            // prefix=PREFIX, a name bound once to a literal
            ("api/v1.py", "c", Some("/computed/c")),
            // included in itself (a no-op at that point) and in the app
            ("api/v1.py", "l_route", Some("/l")),
            // prefix=os.getenv(...): not a literal
            ("api/v1.py", "dyn", None),
            ("main.py", "health", Some("/health")),
            // an f-string path keeps its template
            ("main.py", "page", Some("/pages/{PREFIX}")),
            // app.mount("/sub", sub.sub_app)
            ("sub.py", "inside", Some("/sub/inside")),
            // `router = make_router()`: not a FastAPI router the code shows
            ("sub.py", "not_served", None),
            // `from users import router as users_router`, no include prefix
            ("users.py", "list_users", Some("/users/")),
            ("users.py", "users_ws", Some("/users/ws")),
        ]
    );
    // The declared path stays as written (`null` for the f-string).
    assert_eq!(found.routes[8].path, None);
    assert_eq!(
        found.websocket_endpoints[0].full_path.as_deref(),
        Some("/users/ws")
    );
}

/// Operations from the API models (`queries/models/python.toml`), one
/// module per row family of `fixtures/scan/python/operations`, reached
/// through the shapes users write (a module singleton, `self.client`,
/// `Depends`, `async with`, a constructor's result); answers read off the
/// fixture by hand.
#[test]
fn operations_from_api_models() {
    use recon_findings::OperationKind::*;
    let found = fixture("operations");
    let ops: Vec<(&str, usize, &str, recon_findings::OperationKind, &str)> = found
        .operations
        .iter()
        .map(|o| (&*o.file, o.line, &*o.caller, o.kind, o.system.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            // A POST's URL says what it is: a provider's host, an
            // OpenAI-compatible or Ollama path on any host.
            ("endpoints.py", 23, "literal", Http, "httpx"),
            ("endpoints.py", 23, "literal", Embedding, "deepinfra"),
            // a module constant
            ("endpoints.py", 27, "constant", Http, "httpx"),
            ("endpoints.py", 27, "constant", LlmCall, "openai"),
            // an f-string on a gateway read from the environment
            ("endpoints.py", 31, "gateway", Http, "httpx"),
            ("endpoints.py", 31, "gateway", LlmCall, "openai"),
            // a parameter + a literal path
            ("endpoints.py", 35, "joined", Http, "httpx"),
            ("endpoints.py", 35, "joined", Embedding, "ollama"),
            // `stream("POST", PROVIDERS[name])`: every value of the table
            ("endpoints.py", 39, "looked_up", Http, "httpx"),
            ("endpoints.py", 39, "looked_up", LlmCall, "x_ai, anthropic"),
            // `requests.request("POST", url=...)`
            ("endpoints.py", 44, "blocking", Http, "requests"),
            ("endpoints.py", 44, "blocking", LlmCall, "ollama"),
            // a webhook, a GET, a method not read, a table that is not all
            // model URLs, a character of a URL: HTTP only
            ("endpoints.py", 48, "webhook", Http, "httpx"),
            ("endpoints.py", 52, "listing", Http, "httpx"),
            ("endpoints.py", 56, "unknown_method", Http, "httpx"),
            ("endpoints.py", 60, "mixed", Http, "httpx"),
            ("endpoints.py", 64, "first_character", Http, "httpx"),
            // `async with pool.acquire() as conn` on `pool: asyncpg.Pool`
            ("io.py", 12, "rows", Database, "postgresql"),
            // a module-level `Redis.from_url(...)` client
            ("io.py", 16, "cached", Database, "redis"),
            ("io.py", 21, "notify", Http, "httpx"),
            ("io.py", 25, "fetch", Http, "requests"),
            ("io.py", 29, "stream", Streaming, "starlette"),
            // 34: `requests.get` on a parameter named `requests`: nothing
            // a module singleton `client = AsyncOpenAI()`
            ("llm.py", 10, "ask", LlmCall, "openai"),
            // `self.client` assigned in `__init__`, under `async with`
            ("llm.py", 18, "Claude.answer", LlmCall, "anthropic"),
            ("llm.py", 23, "gemini", LlmCall, "gcp.gen_ai"),
            ("llm.py", 27, "routed", LlmCall, "litellm"),
            // 32: `chat_completion_stream` calls no model: nothing
            // pgvector's SQLAlchemy comparators on `mapped_column`,
            // `Column` and a `Mapped[...]` column (37: a local function
            // named `cosine_distance` is not one)
            ("orm_vectors.py", 21, "nearest", VectorSearch, "pgvector"),
            ("orm_vectors.py", 25, "by_cosine", VectorSearch, "pgvector"),
            (
                "orm_vectors.py",
                29,
                "by_inner_product",
                VectorSearch,
                "pgvector"
            ),
            // SQL with a pgvector operator: a module constant, a local, in
            // sqlalchemy's `text()`, by keyword; 30 plain SQL: database only
            ("pgvector.py", 17, "nearest", Database, "postgresql"),
            ("pgvector.py", 17, "nearest", VectorSearch, "pgvector"),
            ("pgvector.py", 22, "inline", Database, "postgresql"),
            ("pgvector.py", 22, "inline", VectorSearch, "pgvector"),
            ("pgvector.py", 26, "orm", Database, "sqlalchemy"),
            ("pgvector.py", 26, "orm", VectorSearch, "pgvector"),
            ("pgvector.py", 30, "plain", Database, "postgresql"),
            ("pgvector.py", 34, "keyword", Database, "postgresql"),
            ("pgvector.py", 34, "keyword", VectorSearch, "pgvector"),
            // a parameter typed by `Depends(get_openai)`'s return
            ("search.py", 12, "embed", Embedding, "openai"),
            // `self.qdrant` typed by the annotated `__init__` parameter
            ("search.py", 23, "Retriever.search", VectorSearch, "qdrant"),
            (
                "search.py",
                27,
                "local_encode",
                Embedding,
                "sentence_transformers"
            ),
            // WebSocket sends in the body of an `async for` (11, 16 are
            // outside it; 21 is a plain `for`; 27 in a def inside one)
            ("streaming.py", 13, "stream_answer", Streaming, "websocket"),
            ("streaming.py", 15, "stream_answer", Streaming, "websocket"),
        ]
    );
    // The URLs as the code gives them.
    let urls = |line: usize| -> Vec<&str> {
        let o = found
            .operations
            .iter()
            .find(|o| &*o.file == "endpoints.py" && o.line == line)
            .expect("an operation on that line");
        o.urls.iter().map(|u| u.as_str()).collect()
    };
    assert_eq!(urls(31), ["{GATEWAY}/v1/chat/completions"]);
    assert_eq!(urls(35), ["{…}/api/embed"]);
    assert_eq!(
        urls(39),
        [
            "https://api.x.ai/v1/chat/completions",
            "https://api.anthropic.com/v1/messages"
        ]
    );
    assert!(urls(64).is_empty());
    // Each operation is one of the external calls, same place and callee.
    for o in &found.operations {
        assert!(
            found
                .external_calls
                .iter()
                .any(|c| c.file == o.file && c.line == o.line && c.callee == o.callee),
            "{o:?}"
        );
    }
}

/// The served app of `fixtures/scan/python/served`: an application with
/// a lifespan, a route and a background task, beside a CLI and a script
/// that use the same names (`connect`, `run`, `basicConfig`). Answers
/// read off the fixture by hand.
#[test]
fn served_app_is_what_the_application_runs() {
    use recon_findings::{EntryKind::*, Place};
    let found = fixture("served");
    let app = &found.served_app;
    let apps: Vec<_> = app
        .apps
        .iter()
        .map(|a| (&*a.file, a.line, &*a.name))
        .collect();
    assert_eq!(apps, [("app/main.py", 20, "app")]);
    // The app's module and what it imports (the package `app` too); not
    // the CLI or the script.
    assert_eq!(
        app.modules,
        [
            "app/__init__.py",
            "app/logs.py",
            "app/main.py",
            "app/service.py"
        ]
    );
    let entries: Vec<_> = app
        .entry_points
        .iter()
        .map(|e| (&*e.file, e.line, &*e.qualname, e.kind))
        .collect();
    assert_eq!(
        entries,
        [
            ("app/main.py", 15, "lifespan", Lifespan),
            ("app/main.py", 24, "items", Route),
            // `tasks.add_task(refresh)` in a route
            ("app/main.py", 29, "refresh", Background),
        ]
    );
    let reached: Vec<_> = app
        .functions
        .iter()
        .map(|f| (&*f.file, &*f.qualname, f.line, f.end_line, f.reached))
        .collect();
    assert_eq!(
        reached,
        [
            // called by the module-level `setup()` of app/main.py
            ("app/logs.py", "setup", 4, 5, true),
            ("app/main.py", "lifespan", 15, 17, true),
            ("app/main.py", "items", 24, 26, true),
            ("app/main.py", "refresh", 29, 30, true),
            // only called in the `__main__` block
            ("app/main.py", "unused", 33, 34, false),
            ("app/service.py", "connect", 6, 7, true),
            ("app/service.py", "run", 10, 12, true),
            ("app/service.py", "helper_never_called", 15, 16, false),
        ]
    );
    // Where each `basicConfig` is: the one the app runs on import is
    // served; the `__main__` block's and the CLI's are outside.
    let places: Vec<_> = found
        .logging_config
        .iter()
        .map(|c| (&*c.file, c.line, app.place(&c.file, c.line)))
        .collect();
    assert_eq!(
        places,
        [
            ("app/logs.py", 5, Place::Served),
            ("app/main.py", 38, Place::Outside),
            ("cli/tool.py", 12, Place::Outside),
        ]
    );
    assert_eq!(app.place("app/service.py", 16), Place::NotReached);
    assert_eq!(app.place("scripts/seed.py", 2), Place::Outside);
    // No application: nothing is said.
    assert_eq!(
        fixture("operations").served_app.place("io.py", 1),
        Place::Unknown
    );
}

fn middleware(line: usize, name: &str, kind: MiddlewareKind) -> Middleware {
    Middleware {
        file: "main.py".into(),
        line,
        name: name.into(),
        kind,
    }
}

fn logger(file: &str, line: usize, name: &str) -> Logger {
    Logger {
        file: file.into(),
        line,
        name: name.into(),
    }
}

fn log_call(file: &str, line: usize, level: LogLevel, prefix: Option<&str>) -> LogCall {
    LogCall {
        file: file.into(),
        line,
        level,
        prefix: prefix.map(Into::into),
    }
}

fn except(file: &str, line: usize, bare: bool) -> ExceptHandler {
    ExceptHandler {
        file: file.into(),
        line,
        bare,
    }
}

#[test]
fn routes() {
    use HttpMethod::*;
    let found = fixture("routes");
    assert_eq!(found.files_scanned, 1);
    assert_eq!(
        found.routes,
        [
            // `app = FastAPI()`: the only router here an application
            // serves (the others are included nowhere: no full path)
            recon_findings::Route {
                full_path: Some("/health".into()),
                ..route(18, Get, Some("/health"), "health")
            },
            // path= keyword
            route(23, Post, Some("/items"), "create_item"),
            // multi-line decorator: the line of the `@`; svc bound with an annotation
            route(28, Put, Some("/items/{item_id}"), "replace_item"),
            // admin_router ends in `router` (bound to something else); the path is a name
            route(36, Delete, None, "delete_item"),
            // reports_app ends in `_app`
            route(41, Websocket, Some("/ws"), "stream"),
            route(46, ApiRoute, Some("/any"), "legacy"),
            route(47, Route, Some("/legacy"), "legacy"),
            // nested function; implicit concatenation joined
            route(61, Patch, Some("/nested/joined"), "register.nested_patch"),
            // self.router's last segment; an f-string without placeholder is a literal
            route(73, Head, Some("/head"), "Views.mount.head"),
            // an f-string with a placeholder is not
            route(77, Options, None, "Views.mount.options"),
        ]
    );
    // Not routes: the docstring (3), @mock.patch (52), @cache.get (53),
    // @app.on_event (54), @app.get without a call (55).
    assert!(found.middleware.is_empty() && found.loggers.is_empty() && found.errors.is_empty());
}

#[test]
fn middleware_registrations() {
    use MiddlewareKind::*;
    let found = fixture("middleware");
    assert_eq!(
        found.middleware,
        [
            middleware(10, "CORSMiddleware", Class),
            // multi-line call: the line it starts on; the last dotted segment
            middleware(11, "GZipMiddleware", Class),
            middleware(19, "add_request_id", Function),
            // gateway is bound to Starlette(); @other.middleware is not a router's
            middleware(24, "timing", Function),
            // admin_app ends in `_app`
            middleware(31, "SessionMiddleware", Class),
        ]
    );
    // Not: other.add_middleware (15), middleware_class= only (16).
}

#[test]
fn loggers_and_log_calls() {
    use LogLevel::*;
    let f = "service.py";
    let found = fixture("logging");
    assert_eq!(
        found.loggers,
        [
            logger(f, 4, "logger"),
            logger(f, 5, "audit"),
            logger(f, 6, "a"),
            logger(f, 6, "b"),
            logger(f, 13, "log")
        ]
    );
    assert_eq!(
        found.log_calls,
        [
            log_call(f, 17, Info, Some("[WORKER]")),
            // audit bound to get_logger(); first part of a concatenation
            log_call(f, 19, Warning, Some("[AUDIT]")),
            log_call(f, 20, Debug, None),
            // logging itself, multi-line call
            log_call(f, 21, Error, Some("[MODULE]")),
            // the first argument is the level
            log_call(f, 24, Log, None),
            // keyword message
            log_call(f, 25, Exception, None),
            // f-string not starting with its tag
            log_call(f, 26, Critical, None),
            // no closing bracket
            log_call(f, 27, Fatal, None),
            // bytes
            log_call(f, 31, Info, None),
            // the first part is "[A"
            log_call(f, 32, Warn, None),
            // the leading literal of the f-string is "["
            log_call(f, 33, Info, None),
            // escapes are decoded
            log_call(f, 34, Debug, Some("[ESC]")),
            // a raw f-string keeps its backslash
            log_call(f, 35, Error, Some("[RAW\\d]")),
        ]
    );
    // Not: self.client.info (18), formatter.warn (28), not_bound.info (29),
    // logger.setLevel (30).
}

#[test]
fn except_handlers() {
    let f = "handlers.py";
    let found = fixture("excepts");
    assert_eq!(
        found.except_handlers,
        [
            except(f, 5, false),
            except(f, 7, false),
            except(f, 9, true),
            except(f, 13, false)
        ]
    );
}

#[test]
fn json_shape_is_pinned() {
    let out = recon_scan(
        &["--format", FINDINGS_FORMAT, "fixtures/scan/python/excepts"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let expected = r#"{
  "schema": "recon.findings/1",
  "root": "fixtures/scan/python/excepts",
  "files_scanned": 1,
  "files_by_language": {
    "python": 1,
    "typescript": 0,
    "svelte": 0,
    "sql": 0,
    "env": 0
  },
  "routes": [],
  "middleware": [],
  "loggers": [],
  "log_calls": [],
  "except_handlers": [
    {
      "file": "handlers.py",
      "line": 5,
      "bare": false
    },
    {
      "file": "handlers.py",
      "line": 7,
      "bare": false
    },
    {
      "file": "handlers.py",
      "line": 9,
      "bare": true
    },
    {
      "file": "handlers.py",
      "line": 13,
      "bare": false
    }
  ],
  "websocket_endpoints": [],
  "websocket_messages": [],
  "context_carriers": [],
  "timing": [],
  "metrics_calls": [],
  "background_tasks": [],
  "notifications": [],
  "hardcoded_secrets": [],
  "external_urls": [],
  "db_connections": [],
  "redis": [],
  "ai_providers": [],
  "call_graph": [],
  "external_calls": [],
  "call_resolution": {
    "calls": 2,
    "project": 0,
    "external": 0,
    "builtin": 0,
    "unresolved": 2,
    "unread_modules": 0
  },
  "operations": [],
  "sql_tables": [],
  "sql_indexes": [],
  "frontend_routes": [],
  "frontend_notifications": [],
  "charts": [],
  "logging_config": [],
  "print_calls": [],
  "log_messages": [],
  "except_bodies": [
    {
      "file": "handlers.py",
      "line": 5,
      "swallowed": false,
      "logs": false,
      "reraises": true
    },
    {
      "file": "handlers.py",
      "line": 7,
      "swallowed": true,
      "swallowed_by": [
        "pass"
      ],
      "logs": false,
      "reraises": false
    },
    {
      "file": "handlers.py",
      "line": 9,
      "swallowed": true,
      "swallowed_by": [
        "pass"
      ],
      "logs": false,
      "reraises": false
    },
    {
      "file": "handlers.py",
      "line": 13,
      "swallowed": true,
      "swallowed_by": [
        "pass"
      ],
      "logs": false,
      "reraises": false
    }
  ],
  "route_routers": [],
  "error_trackers": [],
  "tracing_setup": [],
  "wall_clock_durations": [],
  "served_app": {
    "apps": [],
    "entry_points": [],
    "modules": [],
    "functions": [],
    "main_blocks": []
  },
  "dependencies": [],
  "errors": []
}
"#;
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn syntax_error_keeps_what_parsed() {
    let f = "partial.py";
    let found = fixture("broken");
    assert_eq!(found.errors.len(), 1, "{:?}", found.errors);
    assert_eq!(found.errors[0].file, f);
    assert_eq!(found.errors[0].reason, "syntax error at line 10");
    assert_eq!(found.loggers, [logger(f, 3, "logger")]);
    assert_eq!(
        found.log_calls,
        [
            log_call(f, 7, LogLevel::Info, Some("[OK]")),
            log_call(f, 18, LogLevel::Error, Some("[AFTER]"))
        ]
    );
    assert_eq!(found.except_handlers, [except(f, 17, false)]);
}

fn message(line: usize, direction: MessageDirection, message_type: &str) -> WebsocketMessage {
    WebsocketMessage {
        file: "chat.py".into(),
        line,
        side: Side::Backend,
        direction,
        message_type: message_type.into(),
    }
}

#[test]
fn websocket_endpoints_and_messages() {
    use MessageDirection::*;
    let found = fixture("websocket");
    assert_eq!(
        found.websocket_endpoints,
        [WebsocketEndpoint {
            file: "chat.py".into(),
            line: 8,
            path: Some("/ws/{room}".into()),
            handler: "chat".into(),
            handler_qualname: Some("chat".into()),
            // `chat_router` is included in no application
            full_path: None,
        }]
    );
    assert_eq!(found.routes.len(), 1);
    assert_eq!(
        found.websocket_messages,
        [
            message(11, Sent, "connected"),
            message(15, Handled, "message"),
            // send_text(json.dumps({...}))
            message(16, Sent, "echo"),
            // `kind` is bound to data.get("type"); 42 is no string; same
            // column: ordered by type
            message(17, Handled, "idle"),
            message(17, Handled, "typing"),
            message(19, Handled, "leave"),
            // 20: the type is not a literal; 22: data["kind"] is no type read
            // `control(websocket, data)` (23) makes its `msg` the received
            // message: `match msg_type:` with msg_type = msg["type"]
            message(29, Handled, "ping"),
            message(30, Sent, "pong"),
            message(31, Handled, "cancel"),
            message(31, Handled, "abort"),
            // a multi-line call: the line it starts on
            message(32, Sent, "cancelled"),
        ]
    );
}

fn received(file: &str, line: usize, message_type: &str) -> WebsocketMessage {
    WebsocketMessage {
        file: file.into(),
        line,
        side: Side::Backend,
        direction: MessageDirection::Handled,
        message_type: message_type.into(),
    }
}

/// Handled message types are those of what a WebSocket received: followed
/// through names and into the module's functions (two calls deep), and
/// only there. `fixtures/scan/python/messages`.
#[test]
fn handled_messages_follow_the_received_value() {
    let found = fixture("messages");
    let handled: Vec<&WebsocketMessage> = found
        .websocket_messages
        .iter()
        .filter(|m| m.direction == MessageDirection::Handled)
        .collect();
    let want = [
        // `data = await websocket.receive_json()`: `data["type"] ==`,
        // `data.get("type") in (...)` (same column: ordered by type)
        received("endpoint.py", 11, "hello"),
        received("endpoint.py", 13, "idle"),
        received("endpoint.py", 13, "typing"),
        // one call deep: handle_control(websocket, data, department) makes
        // its `msg` the message, `msg_type = msg["type"]` its type
        received("endpoint.py", 22, "ping"),
        received("endpoint.py", 24, "cancel"),
        received("endpoint.py", 24, "abort"),
        // two calls deep, by keyword: dispatch(message=msg, kind=msg_type)
        received("endpoint.py", 32, "set_department"),
        received("endpoint.py", 32, "rename"),
        received("endpoint.py", 34, "join"),
        received("endpoint.py", 34, "leave"),
        // 37 audit(): three calls deep, not followed
        // receive_text() decoded by json.loads through a name; receive_bytes()
        // decoded in place; a receive_json() read in place
        received("received.py", 8, "from_text"),
        received("received.py", 11, "from_bytes"),
        received("received.py", 13, "inline"),
        // `async for` over iter_json(), and over iter_text() decoded
        received("received.py", 19, "iterated"),
        received("received.py", 22, "iterated_text"),
        // self.on_message(data): the method of the caller's class, `self`
        // skipped
        received("received.py", 32, "method"),
        // events.py: a dict built here (`event`), a part of the message,
        // a test client's synchronous receive_json() and a receive_json()
        // never awaited are no messages; ingest.py: a docx block's type
    ];
    assert_eq!(handled, want.iter().collect::<Vec<_>>());
    // The sends are what they were: a dict display's "type".
    let sent: Vec<(&str, usize, &str)> = found
        .websocket_messages
        .iter()
        .filter(|m| m.direction == MessageDirection::Sent)
        .map(|m| (m.file.as_str(), m.line, m.message_type.as_str()))
        .collect();
    assert_eq!(
        sent,
        [("endpoint.py", 12, "welcome"), ("endpoint.py", 23, "pong")]
    );
}

fn carrier(line: usize, name: &str, kind: CarrierKind) -> ContextCarrier {
    ContextCarrier {
        file: "handlers.py".into(),
        line,
        name: name.into(),
        kind,
    }
}

#[test]
fn context_carriers() {
    use CarrierKind::*;
    let found = fixture("context");
    assert_eq!(
        found.context_carriers,
        [
            carrier(5, "request_id", Assignment),
            carrier(5, "X-Request-ID", Header),
            carrier(6, "request_id", Assignment),
            carrier(7, "x-correlation-id", Header),
            carrier(11, "session_id", Parameter),
            carrier(11, "user_email", Parameter),
            carrier(11, "department", Parameter),
            // an annotated declaration without a value
            carrier(12, "trace_id", Assignment),
            carrier(13, "session_id", Keyword),
            carrier(13, "division", Keyword),
            carrier(14, "traceparent", Header),
            carrier(19, "tenant_id", Assignment),
            carrier(20, "current_user", Assignment),
        ]
    );
}

fn timing(line: usize, kind: TimingKind, name: &str) -> Timing {
    Timing {
        file: "pipeline.py".into(),
        line,
        kind,
        name: name.into(),
    }
}

fn metrics(
    line: usize,
    receiver: &str,
    method: &str,
    called: bool,
    name: Option<&str>,
) -> MetricsCall {
    MetricsCall {
        file: "pipeline.py".into(),
        line,
        receiver: receiver.into(),
        method: method.into(),
        called,
        name: name.map(Into::into),
    }
}

#[test]
fn timing_and_metrics() {
    use TimingKind::*;
    let found = fixture("timing");
    assert_eq!(
        found.timing,
        [
            timing(8, Clock, "time.perf_counter"),
            timing(10, Duration, "elapsed_ms"),
            timing(10, Clock, "time.perf_counter"),
            // imported bare
            timing(13, Clock, "perf_counter"),
            timing(14, Duration, "ttft"),
            // 15: timeout_s is no duration name; 16: datetime.now is no clock
            timing(17, Clock, "time.time"),
        ]
    );
    assert_eq!(
        found.metrics_calls,
        [
            metrics(
                11,
                "metrics_collector",
                "record_latency",
                true,
                Some("search")
            ),
            // the name is a keyword argument
            metrics(12, "metrics", "increment", true, None),
            // referenced, not called
            metrics(21, "metrics_collector", "flush", false, None),
            // an f-string with a placeholder is no name
            metrics(22, "app_metrics", "observe", true, None),
        ]
    );
    assert_eq!(
        found.background_tasks,
        [BackgroundTask {
            file: "pipeline.py".into(),
            line: 21,
            kind: BackgroundKind::BackgroundTask,
            target: Some("flush".into())
        }]
    );
}

fn job(line: usize, kind: BackgroundKind, target: Option<&str>) -> BackgroundTask {
    BackgroundTask {
        file: "jobs.py".into(),
        line,
        kind,
        target: target.map(Into::into),
    }
}

#[test]
fn background_tasks() {
    use BackgroundKind::*;
    let found = fixture("background");
    assert_eq!(
        found.background_tasks,
        [
            job(7, Scheduler, Some("BackgroundScheduler")),
            // the coroutine's function
            job(11, Task, Some("send_alert")),
            job(12, Task, Some("worker")),
            job(13, BackgroundTask, Some("write_audit")),
            job(14, ScheduledJob, Some("nightly_report")),
            // the second argument
            job(15, Executor, Some("blocking_io")),
            job(16, Thread, Some("serve")),
            // a starred argument names nothing
            job(17, Task, None),
            job(20, CeleryTask, Some("cleanup")),
            job(25, CeleryTask, Some("reindex")),
            // 30: @task_registry.register is no task decorator
        ]
    );
}

fn secret(file: &str, line: usize, kind: SecretKind, name: &str) -> HardcodedSecret {
    HardcodedSecret {
        file: file.into(),
        line,
        kind,
        name: name.into(),
    }
}

/// Webhook URLs with their token and SMTP passwords in literals, read off
/// `fixtures/scan/python/hardcoded_secrets` by hand, decoys included.
#[test]
fn hardcoded_secrets() {
    use SecretKind::*;
    let found = fixture("hardcoded_secrets");
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(
        found.hardcoded_secrets,
        [
            secret("alerts.py", 4, WebhookUrl, "hooks.slack.com"),
            // an implicit concatenation is one literal, at its first part
            secret("alerts.py", 6, WebhookUrl, "outlook.office.com"),
            // 9: a placeholder right after the marker; 10: no token;
            // 11: an environment read
            // each target of the chain
            secret("alerts.py", 12, SmtpPassword, "SMTP_PASSWORD"),
            secret("alerts.py", 12, SmtpPassword, "smtp_pass"),
            // 13: a placeholder; 14: empty; 15: bytes
            // `import smtplib as mail`: any `X.login(user, "...")`, the
            // literal in parentheses; 21: an environment read; 22: no login
            secret("alerts.py", 20, SmtpPassword, "login"),
            // `password=` of a call that is no login is nothing
            secret("alerts.py", 23, SmtpPassword, "smtp_password"),
            // a dict entry; `smtp_host` names no password
            secret("alerts.py", 27, SmtpPassword, "SMTP_PASS"),
            // the module imports smtplib: this login counts too
            secret("alerts.py", 28, SmtpPassword, "login"),
            // 3: no SMTP import, a receiver not named for SMTP
            secret("site.py", 4, SmtpPassword, "login"),
            // a marker inside prose still holds a token
            secret("site.py", 5, WebhookUrl, "discordapp.com"),
        ]
    );
}

fn notification(line: usize, kind: NotificationKind, name: &str) -> Notification {
    Notification {
        file: "services.py".into(),
        line,
        kind,
        name: name.into(),
    }
}

fn url(line: usize, url: &str, host: &str) -> ExternalUrl {
    ExternalUrl {
        file: "services.py".into(),
        line,
        url: url.into(),
        host: host.into(),
    }
}

fn ai(line: usize, provider: Option<&str>, kind: AiKind, name: &str) -> AiProvider {
    AiProvider {
        file: "services.py".into(),
        line,
        provider: provider.map(Into::into),
        kind,
        name: name.into(),
    }
}

#[test]
fn clients_urls_and_settings() {
    use NotificationKind::*;
    let found = fixture("clients");
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(
        found.notifications,
        [
            notification(17, Env, "SLACK_WEBHOOK_URL"),
            // "webhook" in the URL
            notification(19, WebhookUrl, "https://acme.webhook.office.com/hook/1"),
            // `from os import environ`: environ.get is os.environ.get
            notification(42, Env, "SMTP_HOST"),
            notification(43, Smtp, "smtplib.SMTP_SSL"),
            notification(44, Env, "SMTP_USER"),
            notification(44, Env, "SMTP_PASSWORD"),
            // the alias resolved through the import
            notification(45, Client, "slack_sdk.webhook.WebhookClient"),
            notification(46, Webhook, "SLACK_WEBHOOK_URL"),
            // a multi-line post: the line it starts on; the literal is also a webhook URL
            notification(47, Webhook, "https://hooks.slack.com/services/T0/B0/X"),
            notification(48, WebhookUrl, "https://hooks.slack.com/services/T0/B0/X"),
            // 51: httpx.get is no post
        ]
    );
    assert_eq!(
        found.external_urls,
        [
            // 1: the docstring does not start with the URL; 20: a comment
            url(
                18,
                "https://status.example.com/api/v2",
                "status.example.com"
            ),
            url(
                19,
                "https://acme.webhook.office.com/hook/1",
                "acme.webhook.office.com"
            ),
            url(33, "https://api.x.ai/v1", "api.x.ai"),
            url(
                48,
                "https://hooks.slack.com/services/T0/B0/X",
                "hooks.slack.com"
            ),
            // an f-string: its text before the first placeholder
            url(52, "https://api.openai.com/v1/", "api.openai.com"),
            // 53: a placeholder first; 54: bytes; 55: an implicit concatenation
            url(55, "https://joined.example/x", "joined.example"),
        ]
    );
    assert_eq!(
        found.db_connections,
        [
            DbConnection {
                file: "services.py".into(),
                line: 24,
                library: "asyncpg".into(),
                call: "asyncpg.create_pool".into(),
            },
            // 25: `asyncpg` is `mylib` here
            DbConnection {
                file: "services.py".into(),
                line: 26,
                library: "psycopg".into(),
                call: "psycopg_pool.AsyncConnectionPool".into(),
            },
            DbConnection {
                file: "services.py".into(),
                line: 27,
                library: "sqlalchemy".into(),
                call: "sqlalchemy.ext.asyncio.create_async_engine".into(),
            },
        ]
    );
    assert_eq!(
        found.redis,
        [RedisClient {
            file: "services.py".into(),
            line: 28,
            call: "redis.asyncio.Redis.from_url".into(),
        }]
    );
    assert_eq!(
        found.ai_providers,
        [
            // an OpenAI client pointed at xAI
            ai(33, Some("xai"), AiKind::Client, "openai.AsyncOpenAI"),
            ai(33, Some("xai"), AiKind::Endpoint, "https://api.x.ai/v1"),
            ai(33, Some("xai"), AiKind::Env, "XAI_API_KEY"),
            ai(34, Some("openai"), AiKind::Client, "openai.AsyncOpenAI"),
            ai(
                35,
                Some("anthropic"),
                AiKind::Client,
                "anthropic.AsyncAnthropic"
            ),
            ai(35, Some("anthropic"), AiKind::Env, "ANTHROPIC_API_KEY"),
            ai(36, None, AiKind::Embedding, "embeddings.create"),
            ai(36, Some("openai"), AiKind::Model, "text-embedding-3-small"),
            ai(37, None, AiKind::Embedding, "embed"),
            ai(38, Some("anthropic"), AiKind::Model, "claude-3-5-haiku"),
            ai(
                52,
                Some("openai"),
                AiKind::Endpoint,
                "https://api.openai.com/v1/"
            ),
        ]
    );
}

fn edge(at: (&str, usize, usize), caller: &str, callee: &str, def: (&str, usize)) -> CallEdge {
    CallEdge {
        file: at.0.into(),
        line: at.1,
        column: at.2,
        caller: caller.into(),
        callee: callee.into(),
        callee_file: def.0.into(),
        callee_line: def.1,
    }
}

/// Expected edges read off the fixture by hand: an edge only where the
/// code says what is called; a call on a parameter of unknown type gets
/// none and is counted unresolved.
#[test]
fn call_graph() {
    let found = fixture("callgraph");
    let (h, p) = ("helpers.py", "pipeline.py");
    assert_eq!(
        found.call_graph,
        [
            edge((h, 2, 12), "lookup", "handle_local", (h, 5)),
            edge((h, 6, 12), "handle_local", "lookup", (h, 1)),
            // 10: `model.stream` on a parameter: no edge (unresolved)
            // self.embed: the method of the enclosing class
            edge((p, 6, 23), "Retriever.search", "Retriever.embed", (p, 9)),
            // a bare name: the module's binding (defined further down)
            edge((p, 7, 16), "Retriever.search", "lookup", (p, 27)),
            // self.stream: the last definition of the class wins
            edge((p, 15, 21), "Model.complete", "Model.stream", (p, 23)),
            // 19: self.stream_raw is defined nowhere
            edge((p, 21, 16), "Model.stream", "Model.stream.chunks", (p, 18)),
            // 32, 33: methods of untyped parameters; 34: super() outside
            // a class; 35: a lambda belongs to its function
            edge((p, 35, 19), "handle", "lookup", (p, 27)),
            // a module-level call: the module is the caller
            edge((p, 39, 1), "<module>", "lookup", (p, 27)),
        ]
    );
    let r = &found.call_resolution;
    // helpers: 3 calls; pipeline: 12 (len and super are builtins)
    assert_eq!((r.calls, r.project, r.builtin, r.unresolved), (15, 8, 2, 5));
}

/// The files that gave an except handler (every test file has exactly one).
fn scanned(found: &Findings) -> Vec<&str> {
    found
        .except_handlers
        .iter()
        .map(|e| e.file.as_str())
        .collect()
}

#[test]
fn file_selection() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let body = b"try:\n    pass\nexcept:\n    pass\n";
    for rel in [
        "a.py",
        "pkg/b.py",
        ".env_local.py",
        "keep.tmp.py",
        // hidden, vendored, generated: never
        ".hidden.py",
        ".hidden_dir/c.py",
        "node_modules/d.py",
        "venv/e.py",
        ".venv/f.py",
        "lib/site-packages/g.py",
        "pkg/__pycache__/h.py",
        ".git/j.py",
        // ignored by ignore files
        "build/i.py",
        "pkg/gen_x.py",
        "pkg/local.py",
        "drop.tmp.py",
        // not Python
        "notes.txt",
    ] {
        write(root, rel, body);
    }
    write(root, ".gitignore", b"build/\n*.tmp.py\n!keep.tmp.py\n");
    write(root, ".ignore", b"gen_*.py\n");
    write(root, "pkg/.gitignore", b"local.py\n");
    std::os::unix::fs::symlink(root.join("a.py"), root.join("link.py")).unwrap();

    let found = scan(root, &[]);
    assert_eq!(
        scanned(&found),
        [".env_local.py", "a.py", "keep.tmp.py", "pkg/b.py"]
    );
    assert_eq!(found.files_scanned, 4);

    let all = scan(root, &["--no-ignore"]);
    assert_eq!(
        scanned(&all),
        [
            ".env_local.py",
            ".hidden.py",
            ".hidden_dir/c.py",
            ".venv/f.py",
            "a.py",
            "build/i.py",
            "drop.tmp.py",
            "keep.tmp.py",
            "lib/site-packages/g.py",
            "node_modules/d.py",
            "pkg/__pycache__/h.py",
            "pkg/b.py",
            "pkg/gen_x.py",
            "pkg/local.py",
            "venv/e.py",
        ]
    );
}

#[test]
fn invalid_utf8_is_reported_and_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latin.py",
        b"# caf\xe9\nlogger.info(\"[L1] x\")\n",
    );
    let found = scan(dir.path(), &[]);
    assert_eq!(
        found.log_calls,
        [log_call("latin.py", 2, LogLevel::Info, Some("[L1]"))]
    );
    assert_eq!(found.errors.len(), 1);
    assert_eq!(
        (
            found.errors[0].file.as_str(),
            found.errors[0].reason.as_str()
        ),
        ("latin.py", "invalid UTF-8 at line 1")
    );
}

#[test]
fn missing_path_is_an_error() {
    let out = recon_scan(&["/definitely/not/here"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: /definitely/not/here: No such file or directory\n"
    );
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = recon_scan(&["--format", "xml", "fixtures/scan/python/excepts"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// The fixture app's alerting and provider settings, by hand (the oracle
/// holds the rest of these categories to the rules).
#[test]
fn fixture_app_settings() {
    use NotificationKind::*;
    let found = scan(&workspace().join("fixtures/app"), &[]);
    let names = |kind: NotificationKind, file: &str| -> Vec<(usize, String)> {
        found
            .notifications
            .iter()
            .filter(|n| n.kind == kind && n.file == file)
            .map(|n| (n.line, n.name.clone()))
            .collect()
    };
    let owned = |v: &[(usize, &str)]| -> Vec<(usize, String)> {
        v.iter().map(|(l, n)| (*l, (*n).to_owned())).collect()
    };
    assert_eq!(
        names(EnvFile, ".env.example"),
        owned(&[
            (20, "SMTP_HOST"),
            (21, "SMTP_PORT"),
            (22, "SMTP_USER"),
            (23, "SMTP_PASSWORD"),
            (24, "ALERT_EMAIL"),
            (25, "SLACK_WEBHOOK_URL"),
            (26, "NOTIFY_ON_SLOW_REQUEST_MS"),
        ])
    );
    assert_eq!(
        names(Env, "config/settings.py"),
        owned(&[
            (25, "SMTP_PORT"),
            (26, "SMTP_USER"),
            (27, "SMTP_PASSWORD"),
            (28, "ALERT_EMAIL"),
            (29, "NOTIFY_ON_SLOW_REQUEST_MS"),
        ])
    );
    let alerts: Vec<(usize, NotificationKind, &str)> = found
        .notifications
        .iter()
        .filter(|n| n.file == "core/alerts.py")
        .map(|n| (n.line, n.kind, n.name.as_str()))
        .collect();
    assert_eq!(
        alerts,
        [
            (15, Env, "SLACK_WEBHOOK_URL"),
            (24, Smtp, "smtplib.SMTP"),
            (24, Env, "SMTP_HOST"),
            (47, Webhook, "SLACK_WEBHOOK_URL"),
        ]
    );
    let providers: Vec<(&str, usize, Option<&str>, AiKind)> = found
        .ai_providers
        .iter()
        .map(|a| (a.file.as_str(), a.line, a.provider.as_deref(), a.kind))
        .collect();
    assert_eq!(
        providers,
        [
            (".env.example", 12, Some("openai"), AiKind::EnvFile),
            (".env.example", 13, Some("anthropic"), AiKind::EnvFile),
            (".env.example", 14, Some("xai"), AiKind::EnvFile),
            (".env.example", 15, Some("deepinfra"), AiKind::EnvFile),
            ("config/settings.py", 19, Some("openai"), AiKind::Env),
            ("config/settings.py", 20, Some("anthropic"), AiKind::Env),
            ("config/settings.py", 21, Some("xai"), AiKind::Env),
            ("config/settings.py", 22, Some("deepinfra"), AiKind::Env),
            ("config/settings.py", 23, Some("xai"), AiKind::Model),
            (
                "core/enterprise_rag.py",
                16,
                Some("deepinfra"),
                AiKind::Endpoint
            ),
            ("core/enterprise_rag.py", 46, None, AiKind::Embedding),
            ("core/model_adapter.py", 19, Some("xai"), AiKind::Endpoint),
            (
                "core/model_adapter.py",
                20,
                Some("openai"),
                AiKind::Endpoint
            ),
            (
                "core/model_adapter.py",
                21,
                Some("anthropic"),
                AiKind::Endpoint
            ),
        ]
    );
    assert_eq!(
        found.db_connections,
        [DbConnection {
            file: "core/db.py".into(),
            line: 19,
            library: "asyncpg".into(),
            call: "asyncpg.create_pool".into(),
        }]
    );
    assert_eq!(
        found.redis,
        [RedisClient {
            file: "core/cache.py".into(),
            line: 18,
            call: "redis.asyncio.Redis.from_url".into(),
        }]
    );
    // Request -> RAG -> LLM: the chain the deliverable draws.
    let edges: Vec<(&str, &str)> = found
        .call_graph
        .iter()
        .map(|e| (&*e.caller, &*e.callee))
        .collect();
    for hop in [
        ("websocket_endpoint", "handle_message"),
        ("handle_message", "EnterpriseTwin.answer_stream"),
        (
            "EnterpriseTwin.answer_stream",
            "EnterpriseTwin.gather_context",
        ),
        ("EnterpriseTwin.gather_context", "EnterpriseRAG.search"),
        ("EnterpriseRAG.search", "EnterpriseRAG.embed"),
        ("EnterpriseTwin.answer_stream", "ModelAdapter.stream"),
        ("ModelAdapter.stream", "ModelAdapter._provider_for"),
    ] {
        assert!(edges.contains(&hop), "{hop:?} missing");
    }
}

/// The logging and error-handling categories of the fixture app, each entry
/// checked by hand against the fixture's source.
#[test]
fn fixture_app_logging_categories() {
    let found = scan(&workspace().join("fixtures/app"), &[]);
    let config = |file: &str, line: usize, kind: LoggingConfigKind| LoggingConfig {
        file: file.into(),
        line,
        kind,
    };
    // logging_setup.py:13 `logging.config.dictConfig({...})` (json_logs),
    // :25 `logging.basicConfig(...)`; maintenance.py:11 `logging.basicConfig`.
    assert_eq!(
        found.logging_config,
        [
            config("core/logging_setup.py", 13, LoggingConfigKind::DictConfig),
            config("core/logging_setup.py", 25, LoggingConfigKind::BasicConfig),
            config("scripts/maintenance.py", 11, LoggingConfigKind::BasicConfig),
        ]
    );
    let print = |file: &str, line: usize, exempt: bool| PrintCall {
        file: file.into(),
        line,
        exempt,
    };
    // alerts.py:61 in send_alert; main.py:201 under `if __name__ ==
    // "__main__":` (line 198); maintenance.py:41 in main(), which the
    // `__main__` block only calls: not lexically inside it.
    assert_eq!(
        found.print_calls,
        [
            print("core/alerts.py", 61, false),
            print("core/main.py", 201, true),
            // scripts/ has no __init__.py: a script, which may print.
            print("scripts/maintenance.py", 41, true),
        ]
    );

    // One router per route: admin_router (admin_routes.py), analytics_router
    // (analytics_routes.py), app (main.py), router (session_routes.py).
    assert_eq!(found.route_routers.len(), found.routes.len());
    let routers: Vec<(String, usize, String)> = found
        .route_routers
        .iter()
        .map(|r| (r.file.clone(), r.line, r.router.clone()))
        .collect();
    let want: Vec<(String, usize, String)> = [
        (
            "core/admin_routes.py",
            [16, 28, 33, 43, 48].as_slice(),
            "admin_router",
        ),
        (
            "core/analytics_routes.py",
            &[15, 33, 44],
            "analytics_router",
        ),
        ("core/main.py", &[110, 115, 122, 140], "app"),
        ("core/session_routes.py", &[15, 23, 31], "router"),
    ]
    .iter()
    .flat_map(|(file, lines, router)| {
        lines
            .iter()
            .map(move |l| ((*file).to_owned(), *l, (*router).to_owned()))
    })
    .collect();
    assert_eq!(routers, want);

    // except_bodies: one per handler.
    let body = |file: &str, line: usize, swallowed: bool, logs: bool, reraises: bool| ExceptBody {
        file: file.into(),
        line,
        swallowed,
        // The only swallowed body of the app is `pass` alone.
        swallowed_by: if swallowed {
            vec!["pass".into()]
        } else {
            vec![]
        },
        logs,
        reraises,
    };
    assert_eq!(
        found.except_bodies,
        [
            // logger.error(f"...") then `raise HTTPException(...) from e`
            body("core/admin_routes.py", 54, false, true, true),
            body("core/alerts.py", 38, false, true, false),
            body("core/analytics_routes.py", 54, false, true, false),
            // bare except: logger.warning, return None
            body("core/cache.py", 29, false, true, false),
            // `return None` only: neither logs, re-raises nor only passes
            body("core/cache.py", 41, false, false, false),
            body("core/db.py", 35, false, true, false),
            body("core/enterprise_rag.py", 57, false, true, true),
            // `pass`
            body("core/enterprise_rag.py", 75, true, false, false),
            // except* ValueError: self.logger.warning, return []
            body("core/enterprise_twin.py", 46, false, true, false),
            body("core/main.py", 154, false, true, false),
            body("core/main.py", 156, false, true, false),
            body("core/main.py", 189, false, true, false),
            body("core/metrics_collector.py", 59, false, true, false),
            body("core/model_adapter.py", 82, false, true, true),
            body("core/model_adapter.py", 85, false, true, true),
            body("scripts/maintenance.py", 31, false, true, false),
        ]
    );

    // log_messages: one per log call, same file, line and level.
    assert_eq!(found.log_messages.len(), found.log_calls.len());
    for (m, c) in found.log_messages.iter().zip(&found.log_calls) {
        assert_eq!((&m.file, m.line, m.level), (&c.file, c.line, c.level));
    }
    let fstrings: Vec<(&str, usize)> = found
        .log_messages
        .iter()
        .filter(|m| m.message == MessageKind::Fstring)
        .map(|m| (m.file.as_str(), m.line))
        .collect();
    assert_eq!(
        fstrings,
        [
            ("core/admin_routes.py", 55),
            ("core/enterprise_rag.py", 41),
            ("core/enterprise_rag.py", 58),
            ("core/main.py", 57),
            ("core/main.py", 145),
            ("core/main.py", 158),
            ("core/metrics_collector.py", 29),
            ("core/model_adapter.py", 80),
        ]
    );
    // Every other message is a literal (`"[TAG] ... %s", args`), the
    // `log(logging.INFO, "[TWIN] ...")` at enterprise_twin.py:31 included.
    assert!(
        found
            .log_messages
            .iter()
            .all(|m| matches!(m.message, MessageKind::Fstring | MessageKind::Literal))
    );
    let in_except: Vec<(&str, usize, LogLevel, bool)> = found
        .log_messages
        .iter()
        .filter(|m| m.in_except)
        .map(|m| (m.file.as_str(), m.line, m.level, m.exc_info))
        .collect();
    use LogLevel::*;
    assert_eq!(
        in_except,
        [
            ("core/admin_routes.py", 55, Error, false),
            ("core/alerts.py", 39, Error, false),
            ("core/analytics_routes.py", 55, Warning, false),
            ("core/cache.py", 30, Warning, false),
            ("core/db.py", 36, Exception, true),
            ("core/enterprise_rag.py", 58, Error, false),
            ("core/enterprise_twin.py", 47, Warning, false),
            ("core/main.py", 155, Info, false),
            ("core/main.py", 158, Error, false),
            ("core/main.py", 190, Error, false),
            ("core/metrics_collector.py", 60, Error, false),
            ("core/model_adapter.py", 83, Error, false),
            ("core/model_adapter.py", 86, Critical, false),
            ("scripts/maintenance.py", 32, Error, false),
        ]
    );
    // Outside an except body, only `exception` calls carry the traceback:
    // main.py:135 in the exception handler function (no except clause).
    let exc_info: Vec<(&str, usize)> = found
        .log_messages
        .iter()
        .filter(|m| m.exc_info && !m.in_except)
        .map(|m| (m.file.as_str(), m.line))
        .collect();
    assert_eq!(exc_info, [("core/main.py", 135)]);
}

/// A plain `logging.conf` is found by the walk, and the `fileConfig` call
/// that reads it; the `print` under `__main__` is exempt.
#[test]
fn plain_app_logging_configuration() {
    let found = scan(&workspace().join("fixtures/report/plain_app"), &[]);
    assert_eq!(
        found.logging_config,
        [
            LoggingConfig {
                file: "app.py".into(),
                line: 11,
                kind: LoggingConfigKind::FileConfig
            },
            LoggingConfig {
                file: "logging.conf".into(),
                line: 1,
                kind: LoggingConfigKind::File
            },
        ]
    );
    assert_eq!(
        found.print_calls,
        [PrintCall {
            file: "app.py".into(),
            line: 64,
            exempt: true
        }]
    );
}

/// `fixtures/scan/python/error_trackers`, read by hand: monitoring.py
/// imports `sentry_sdk`, `capture_message as report` and `rollbar as rb`;
/// settings.py `sentry_sdk as sentry` (a parenthesized rate is kept as
/// written; `**{"dsn": ...}` is no `dsn=` keyword); workers.py `bugsnag`, `notify`, `sentry_sdk.integrations` (binds
/// `sentry_sdk`) and `init as start_tracking`. The docstring, the comment,
/// the string and decoys.py (a local `sentry_sdk`, an unbound `init`: no
/// import binds them) give nothing.
#[test]
fn error_trackers_through_imports() {
    use recon_findings::{ErrorTracker, ErrorTrackerKind};
    let found = fixture("error_trackers");
    let tracker = |file: &str,
                   line: usize,
                   call: &str,
                   kind: ErrorTrackerKind,
                   dsn: bool,
                   rate: Option<&str>| ErrorTracker {
        file: format!("app/{file}"),
        line,
        tracker: match call.split('.').next().unwrap() {
            "sentry_sdk" => "sentry",
            other => other,
        }
        .into(),
        kind,
        call: call.into(),
        dsn,
        traces_sample_rate: rate.map(Into::into),
    };
    use ErrorTrackerKind::{Capture, Init};
    assert_eq!(
        found.error_trackers,
        [
            tracker(
                "monitoring.py",
                12,
                "sentry_sdk.init",
                Init,
                true,
                Some("0.25")
            ),
            tracker("monitoring.py", 16, "rollbar.init", Init, false, None),
            tracker(
                "monitoring.py",
                20,
                "sentry_sdk.capture_exception",
                Capture,
                false,
                None
            ),
            tracker(
                "monitoring.py",
                21,
                "sentry_sdk.capture_message",
                Capture,
                false,
                None
            ),
            tracker(
                "settings.py",
                3,
                "sentry_sdk.init",
                Init,
                true,
                Some("(0.5)")
            ),
            tracker("settings.py", 4, "sentry_sdk.init", Init, false, None),
            tracker("workers.py", 10, "bugsnag.configure", Init, false, None),
            tracker(
                "workers.py",
                11,
                "sentry_sdk.init",
                Init,
                false,
                Some("float(os.getenv(\"RATE\", \"0.1\"))")
            ),
            tracker("workers.py", 15, "bugsnag.notify", Capture, false, None),
            tracker(
                "workers.py",
                16,
                "sentry_sdk.capture_message",
                Capture,
                false,
                None
            ),
        ]
    );
    assert!(found.errors.is_empty(), "{:?}", found.errors);
}

/// `fixtures/scan/python/tracing_setup`, read by hand: telemetry.py imports
/// `trace` from `opentelemetry`, `TracerProvider` from its SDK and two
/// instrumentors (a class's `instrument_app`, an instance's `instrument`;
/// `uninstrument` and `get_tracer_provider` are not the rule's);
/// aliased.py reaches the same through `import opentelemetry`,
/// `opentelemetry.trace as otel_trace`, `trace as sdk_trace` and
/// `RequestsInstrumentor as Requests`. The docstring, the comment, the
/// string and decoys.py (a local variable `trace`, an unbound `get_tracer`,
/// a local class's and prometheus' `Instrumentator`'s `instrument()`, an
/// `*Instrumentor` outside `opentelemetry`) give nothing.
#[test]
fn tracing_setup_through_imports() {
    use TracingSetupKind::{GetTracer, Instrument, SetTracerProvider, TracerProvider};
    use recon_findings::{TracingSetup, TracingSetupKind};
    let found = fixture("tracing_setup");
    let setup = |file: &str, line: usize, kind: TracingSetupKind, call: &str| TracingSetup {
        file: format!("app/{file}"),
        line,
        kind,
        call: call.into(),
    };
    let instrumentation = "opentelemetry.instrumentation";
    assert_eq!(
        found.tracing_setup,
        [
            setup("aliased.py", 6, GetTracer, "opentelemetry.trace.get_tracer"),
            setup(
                "aliased.py",
                10,
                SetTracerProvider,
                "opentelemetry.trace.set_tracer_provider"
            ),
            setup(
                "aliased.py",
                11,
                TracerProvider,
                "opentelemetry.sdk.trace.TracerProvider"
            ),
            setup(
                "aliased.py",
                13,
                Instrument,
                &format!("{instrumentation}.requests.RequestsInstrumentor.instrument")
            ),
            setup(
                "telemetry.py",
                11,
                TracerProvider,
                "opentelemetry.sdk.trace.TracerProvider"
            ),
            setup(
                "telemetry.py",
                12,
                SetTracerProvider,
                "opentelemetry.trace.set_tracer_provider"
            ),
            setup(
                "telemetry.py",
                13,
                Instrument,
                &format!("{instrumentation}.fastapi.FastAPIInstrumentor.instrument_app")
            ),
            setup(
                "telemetry.py",
                14,
                Instrument,
                &format!("{instrumentation}.httpx.HTTPXClientInstrumentor.instrument")
            ),
            setup(
                "telemetry.py",
                18,
                GetTracer,
                "opentelemetry.trace.get_tracer"
            ),
        ]
    );
    assert!(found.errors.is_empty(), "{:?}", found.errors);
}

/// `fixtures/scan/python/wall_clock`, read by hand. app/timers.py: `t0`
/// bound in `handle` (11), the module's `STARTED` with parentheses around
/// both operands (15), `self.started` assigned in `__init__` (34), `a` and
/// `b` bound by a chain in the function enclosing `inner` (44). Not: a
/// parameter `ts` (12), `perf_counter` (14), `t0` of another function
/// (20), `t1` bound after the subtraction (24), `other.started` (37), an
/// addition (49), a string and a comment (50, 51). app/bare.py: bare
/// `time()` under `from time import time` (7); `datetime.time()` and a
/// `began` of another function are not (11). app/aliased.py: nothing
/// (`now` and `time_ns` are aliases, even one spelled as the name itself).
/// tests/test_timers.py: a finding (6), which the report's gap leaves out.
#[test]
fn wall_clock_durations_read_bindings_in_scope() {
    use recon_findings::WallClockDuration;
    let root = workspace().join("fixtures/scan/python/wall_clock");
    let found = scan(&root, &[]);
    let at = |file: &str, line: usize| WallClockDuration {
        file: file.into(),
        line,
    };
    let expected = [
        at("app/bare.py", 7),
        at("app/timers.py", 11),
        at("app/timers.py", 15),
        at("app/timers.py", 34),
        at("app/timers.py", 44),
        at("tests/test_timers.py", 6),
    ];
    assert_eq!(found.wall_clock_durations, expected);
    assert!(found.errors.is_empty(), "{:?}", found.errors);

    let out = recon_scan(&["--format", "json", root.to_str().unwrap()], &[]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gap = json["report"]["logging"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "wall-clock-duration")
        .unwrap();
    let listed: Vec<(String, u64)> = gap["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let at = &i["at"];
            (
                at["file"].as_str().unwrap().to_owned(),
                at["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let outside_tests: Vec<(String, u64)> = expected[..5]
        .iter()
        .map(|d| (d.file.clone(), d.line as u64))
        .collect();
    assert_eq!(listed, outside_tests);
}
