//! The deliverable of the observability mission, rendered from findings:
//! `PHASE 2 OBSERVABILITY RECON RESULTS`.
//!
//! [`derive`] computes a [`Report`] of derived sections from
//! [`recon_findings::Findings`]; a [`Printer`] renders the findings and the
//! report: [`MarkdownPrinter`] (a minijinja template, the built-in one is
//! `templates/report.md.j2`, or the user's), [`JsonPrinter`] (the
//! `recon.findings/1` object with one more key, `report`) and
//! [`SarifPrinter`] (SARIF 2.1.0, one result per gap instance). Templates
//! only render: every list, count and sentence is computed here.
//!
//! ```
//! use recon_findings::Findings;
//! use recon_report::{Document, MarkdownPrinter, Printer, derive};
//!
//! let findings = Findings::default();
//! let report = derive(&findings);
//! let md = MarkdownPrinter::default()
//!     .print(&Document { findings: &findings, report: &report })?;
//! assert!(md.starts_with("# PHASE 2 OBSERVABILITY RECON RESULTS\n"));
//! # Ok::<(), recon_report::RenderError>(())
//! ```
//!
//! Every location in the report is a finding's `file:line`. Where a slot has
//! nothing, the report says `none found (searched: ...)` with what the scan
//! looks for. Every section reads the typed fields of
//! [`recon_findings::Findings`] directly. *Test files* (a `tests`, `test`
//! or `__tests__` directory, `test_*.py`, `*_test.py`, `conftest.py`,
//! `*.test.*`, `*.spec.*`) are left out of every derived section except the
//! route, middleware, logger and log-call listings.
//!
//! # Derivation rules
//!
//! ## Request Lifecycle
//!
//! - **Entry points**: every route, grouped by the router it is declared on
//!   (`route_routers`, the decorator receiver's last segment) together with
//!   the declaring file (one name in two files is two groups: findings do
//!   not say whether it is one object), groups in the order of their first
//!   route, routes in findings order, each with its `file:line`; a route
//!   with no `route_routers` entry is grouped by file alone. WebSocket
//!   endpoints listed again.
//! - **Middleware chain**: registration order is findings order (file,
//!   line). Execution order is its reverse: Starlette inserts each
//!   `add_middleware` at the front of its list, so the middleware added last
//!   is outermost and sees the request first; `@app.middleware("http")`
//!   registers the same way at decoration time. Across several files the
//!   order depends on imports, which findings do not give (said in the
//!   report).
//! - **Call flow**: HTTP: request -> middleware in execution order -> route
//!   handlers. Each WebSocket endpoint -> the message types the backend
//!   compares against in its file. Request -> RAG -> LLM -> Response: from
//!   the `call_graph` (`caller`, `callee`, `callee_file`), the tree of calls
//!   from each entry handler (WebSocket handlers first, at most 3 trees, 8
//!   calls deep, no function twice on a path) pruned to the branches that
//!   reach a span-boundary function (one that performs an operation of a
//!   stage, see *Span boundaries*); the entry handlers are WebSocket
//!   handlers, route handlers, then the served app's other entry points
//!   (`served_app.entry_points`); when no tree reaches one, the first
//!   evidence of each pipeline stage in order embedding -> vector search ->
//!   LLM -> streaming.
//! - **Context carriers**: `context_carriers` by name (headers by
//!   lower-cased name), most frequent first, with kinds, file count and the
//!   first location.
//!
//! ## Current Logging
//!
//! - Logger bindings counted per target name; configuration: every
//!   `logging_config` finding with its location, the served app's first
//!   (what it runs on import or from its lifespan/startup), then its
//!   modules' code no entry point reaches; those outside the served app
//!   listed apart (`config_outside`) (`basicConfig`,
//!   `dictConfig`, `fileConfig` calls; `logging.conf`-style files at line
//!   1); `[TAG]` prefixes by count; levels in severity order; *untagged* =
//!   message-level calls (`log(level, ...)` excluded, its first argument is
//!   the level) with no prefix.
//! - **Gaps** (each a SARIF rule; counts are over non-test files):
//!   - `log-without-request-id`: log calls in files where no
//!     `context_carriers` finding names `trace_id`, `span_id`, `request_id`,
//!     `correlation_id` or a header `x-request-id`, `x-correlation-id`,
//!     `x-trace-id`, `traceparent`, `tracestate` (a lower bound: a file with
//!     an id may still log without it).
//!   - `fstring-log-message` (f-string / eager messages): `log_messages`
//!     whose `message` is neither `literal` nor `none` (an f-string,
//!     `.format()`, `%`, `+` concatenation, or another expression such as a
//!     variable); each instance names how its message is built, and the gap
//!     gives the count per kind over all log calls.
//!   - `error-without-traceback`: `log_messages` of level `error` with
//!     `in_except` and without `exc_info` (OBS003; `critical`/`fatal` are
//!     not counted).
//!   - `swallowed-exception`: `except_bodies` with `swallowed` (a body of
//!     only `pass`/`continue`/`...`, OBS002).
//!   - `bare-except`: `bare: true` clauses.
//!   - `print-call`: `print_calls` that are not `exempt` (tests and
//!     `if __name__ == "__main__":` bodies are); the exempt ones are counted
//!     in the gap's detail.
//!   - `untagged-log-message`: the untagged calls above.
//!   - `wall-clock-duration`: `wall_clock_durations` outside test code (a
//!     subtraction of two wall-clock values; `recon check` OBS006 flags the
//!     same lines).
//!
//! ## Trace Injection Points
//!
//! - **Request entry**: HTTP: the first middleware in execution order (the
//!   last registered); with no middleware, a new one in the file declaring
//!   the most HTTP routes. Each WebSocket endpoint (one trace per
//!   connection and per message). *Already there*: id carriers (or, for
//!   WebSockets, any carriers) in the same file from the entry's line up to
//!   the next route or middleware of the file. `missing-trace-id` (a gap)
//!   marks each birth point when no carrier named `trace_id`, `span_id`,
//!   `traceparent`, `tracestate` or `x-trace-id` exists.
//! - **Context propagation**: carriers that are parameters (they already
//!   flow through calls); background work by kind: `create_task` and
//!   `BackgroundTasks` keep `contextvars`, executors, threads, scheduler
//!   jobs, schedulers and Celery tasks start without them.
//! - **Span boundaries**: the six operations of the skeleton. HTTP: the
//!   route handlers; WebSocket: the endpoints and the message types their
//!   handlers dispatch on. Embedding, vector search, LLM call, streaming:
//!   the `operations` of that kind (never a name); the boundary is the
//!   function that makes the call, at its `def` (`call_graph`'s
//!   `callee_line`, else `served_app.functions`, else the call's line),
//!   one per function with each of its calls. Order: served-app functions
//!   (or all, when the checkout has no application) by call depth from the
//!   entry points (0 for an entry point), then functions of the app's
//!   modules no entry point reaches, each by location; functions outside
//!   the served app are listed apart (`outside`), never as the example. A
//!   stage is *timed* when its code reads a clock (`external_calls` of
//!   `time.perf_counter`, `time.monotonic`, `time.time` and their `_ns`
//!   forms): a boundary function's, for HTTP a middleware's or route
//!   handler's, for WebSocket a WebSocket handler's or a function it calls.
//! - **Outbound hosts**: `external_urls` by host, first URL each, local and
//!   example hosts left out: where to send `traceparent`.
//!
//! ## Alert Integration
//!
//! - Email and Slack/webhook: a `notifications` finding belongs to email
//!   when its kind or name contains smtp, mail or sendgrid, to Slack/webhook
//!   when it contains slack, webhook, teams, discord, pagerduty or opsgenie
//!   or its kind is `client`, `webhook` or `webhook_url`. Findings of kind
//!   `env`/`env_file` are the settings, the others the evidence. `yes` when
//!   there is evidence, `no` when not (saying whether settings exist).
//! - Background tasks: `yes` when any background work exists; the
//!   recommendation uses the scheduler, else a scheduled job, else an
//!   asyncio task, else any other background work; *dispatch* =
//!   background-task targets naming alert, alarm, incident, pager, oncall,
//!   send_email or send_mail.
//!
//! ## Database
//!
//! - Connections: `db_connections` (library and call) and `redis` clients.
//! - Tables from `sql_tables` (`name`, schema-qualified or with `schema`,
//!   `columns` with `name`/`type`, `primary_key`, `references` with
//!   `column`, `table`, `table_column`). Observability tables: name
//!   contains trace, span, log, alert, metric, error, event, audit or
//!   incident, or schema observability/monitoring/telemetry.
//! - Recommended `traces`, `spans`, `logs`, `alerts`, created in an existing
//!   observability schema if there is one. Foreign keys only to tables
//!   found: the *user* table (`users`, `user`, `app_users`, `accounts`,
//!   `members`, `employees`), *department* (`departments`, `department`,
//!   `divisions`, `teams`, `org_units`), *session* (`chat_sessions`,
//!   `sessions`, `user_sessions`, `conversations`, `*_sessions`), by their
//!   primary key (`SERIAL` -> `INTEGER`, `BIGSERIAL` -> `BIGINT`). Carriers
//!   with no table (`user_email`, `department`, `session_id`) become text
//!   columns of `traces`.
//!
//! ## Frontend
//!
//! - Admin routes: `frontend_routes` whose URL is `/admin` or under it; the
//!   pages to add are `/admin/traces`, `/admin/logs`, `/admin/alerts` minus
//!   those that exist, placed under the `src/routes/` of the existing routes.
//!   `TraceWaterfall` goes beside the first chart component, `LogViewer`
//!   and `AlertConfig` one directory up. Charts: `component` and `library`
//!   findings (usages counted per component); toasts: `store`, `function`
//!   and `component` findings, `call` findings counted.
//! - Contract: message types outside tests; per type, where the backend and
//!   the frontend send and handle it. A type the frontend sends and the
//!   backend never handles, or (when the frontend side is scanned) the
//!   backend sends and the frontend never handles, is a
//!   `ws-type-unhandled` gap.
//!
//! ## Recommended Architecture
//!
//! Three text diagrams built from the sections above: the tracing path
//! (middleware in execution order, WebSocket births, the first evidence of
//! each pipeline stage, the span tables), the log pipeline (loggers,
//! configuration, a filter adding the trace id, JSON formatting, a batched
//! sink like an existing `flush*` metrics method), and the alert loop
//! (scheduler, latency metrics and counters recorded today, alerts table,
//! dispatch function, channels).
//!
//! ## Implementation Priority
//!
//! Candidate steps, kept when their condition holds; impact 3 high, 2
//! medium, 1 low; effort 1 low, 2 medium, 3 high; sorted by impact, then
//! effort, then this order:
//!
//! 1. `trace-id-at-entry` (birth points exist): impact 3; effort 1 when an
//!    id is already read at a birth point, else 2.
//! 2. `trace-id-in-logs` (log calls exist): impact 3; effort 1 with exactly
//!    one logging configuration found, else 2.
//! 3. `spans-at-boundaries` (a stage has evidence): impact 3; effort 1 when
//!    every stage found is timed, else 2.
//! 4. `tracebacks` (`error-without-traceback` > 0): impact 2; effort 1 up to
//!    10 sites, else 2.
//! 5. `no-silent-excepts` (swallowed or bare > 0): impact 2; effort 1 up to
//!    10 sites, else 2.
//! 6. `alert-job` (always): impact 2; effort 1 with background work and a
//!    dispatch function, 2 with one, 3 with neither.
//! 7. `observability-tables` (always): impact 2; effort 1 when SQL tables
//!    were found, else 2.
//! 8. `ws-contract` (`ws-type-unhandled` > 0): impact 2, effort 1.
//! 9. `admin-pages` (always): impact 1; effort 2 with chart components (not
//!    just library imports) to
//!    reuse, else 3.
//! 10. `replace-prints`, `perf-counter`, `tag-messages` (their gap > 0):
//!     impact 1, effort 1.

mod derive;
pub mod model;
mod printer;

pub use derive::{EXAMPLES, derive};
pub use model::Report;
pub use printer::{
    DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME, Document, GAP_RULES, GapRule, JsonPrinter,
    MarkdownPrinter, Printer, RenderError, SarifPrinter, all_gaps, uri,
};
