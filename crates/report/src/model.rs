//! The derived report: plain serde values computed from the findings by
//! [`crate::derive`], rendered by the printers. Every location is a [`Loc`]
//! taken from a finding; prose fields are built from findings only.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// A place in the scanned checkout: `file` relative to the root, `line`
/// 1-based. Serialises as `{"file", "line", "at"}`, `at` being `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: String,
    pub line: usize,
}

impl Loc {
    pub fn new(file: &str, line: usize) -> Loc {
        Loc {
            file: file.to_owned(),
            line,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Serialize for Loc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Loc", 3)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("at", &self.to_string())?;
        s.end()
    }
}

/// A fact with its location: `what` says what is at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub at: Loc,
    pub what: String,
}

/// A name counted over findings, with where it first occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
    pub first: Loc,
}

/// The whole derived report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The scanned root as given (`.` when unknown).
    pub root: String,
    /// Files a language extractor read.
    pub files_scanned: usize,
    /// Files that could not be read or parsed cleanly.
    pub scan_errors: Vec<FileNote>,
    pub lifecycle: Lifecycle,
    pub logging: Logging,
    pub trace: Trace,
    pub alerts: Alerts,
    pub database: Database,
    pub frontend: Frontend,
    pub architecture: Architecture,
    /// Implementation steps, best first.
    pub priority: Vec<Step>,
}

/// A file the scan could not read or parse cleanly.
#[derive(Debug, Clone, Serialize)]
pub struct FileNote {
    pub file: String,
    pub reason: String,
}

// --- Request Lifecycle -----------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Lifecycle {
    /// One line: how many routes, files, WebSocket endpoints.
    pub entry_summary: String,
    /// Routes grouped by the router they are declared on (and its file).
    pub route_groups: Vec<RouteGroup>,
    pub websocket_endpoints: Vec<Endpoint>,
    /// Set when no WebSocket endpoint was found: what was searched.
    pub websocket_none: Option<String>,
    /// Set when no route was found: what was searched.
    pub entry_none: Option<String>,
    /// Middleware in the order it is added.
    pub middleware_registration: Vec<MiddlewareRow>,
    /// Middleware in the order a request passes it (outermost first).
    pub middleware_execution: Vec<MiddlewareRow>,
    /// How execution order was derived and its limits.
    pub middleware_note: String,
    pub middleware_none: Option<String>,
    /// Request -> RAG -> LLM -> Response: lines, nested by `depth`.
    pub call_flow: Vec<FlowLine>,
    /// Context carrier names with counts.
    pub carriers: Vec<CarrierSummary>,
    /// Context headers with counts.
    pub headers: Vec<CarrierSummary>,
    pub carriers_none: Option<String>,
}

/// One line of the call flow; `indent` is two spaces per level of depth.
#[derive(Debug, Clone, Serialize)]
pub struct FlowLine {
    pub depth: usize,
    pub indent: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteGroup {
    /// The router's name (`route_routers`), `None` when the findings do not
    /// name it.
    pub router: Option<String>,
    /// The file its routes are declared in.
    pub file: String,
    pub routes: Vec<RouteRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteRow {
    pub method: String,
    /// The full path it is served at; else the declared path, marked so;
    /// else `(not a literal)`.
    pub path: String,
    pub handler: String,
    pub at: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub path: String,
    pub handler: String,
    pub at: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct MiddlewareRow {
    /// 1-based position in this order.
    pub position: usize,
    pub name: String,
    /// `class` (`add_middleware`) or `function` (`@app.middleware`).
    pub kind: String,
    pub at: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct CarrierSummary {
    pub name: String,
    pub count: usize,
    /// Files it appears in.
    pub files: usize,
    /// `parameter x3, assignment x1`...
    pub kinds: String,
    pub first: Loc,
}

// --- Current Logging -------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Logging {
    pub loggers_total: usize,
    pub logger_files: usize,
    /// Logger bindings per target name.
    pub logger_names: Vec<Count>,
    pub loggers_none: Option<String>,
    /// basicConfig / dictConfig / fileConfig / logging.conf, when scanned.
    /// Served first: what the app runs on import or in its lifespan.
    pub config: Vec<Evidence>,
    /// Configuration outside the served app (CLIs, scripts, `__main__`).
    pub config_outside: Vec<Evidence>,
    pub config_none: Option<String>,
    pub log_calls_total: usize,
    /// `[TAG]` prefixes, most used first.
    pub prefixes: Vec<Count>,
    /// Message-level calls with no `[TAG]` (`log(level, ...)` calls excluded).
    pub untagged: usize,
    pub untagged_first: Option<Loc>,
    pub prefixes_none: Option<String>,
    /// Levels in severity order.
    pub levels: Vec<Count>,
    pub levels_none: Option<String>,
    pub gaps: Vec<Gap>,
}

/// One kind of gap: a rule, and every place it applies.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// Rule id (SARIF `ruleId`).
    pub id: String,
    pub title: String,
    /// Whether the findings allow checking this rule at all.
    pub checked: bool,
    /// Why it could not be checked (when `checked` is false).
    pub not_checked: Option<String>,
    /// What was searched (shown when `count` is 0).
    pub searched: String,
    /// A breakdown of the instances or what was left out, when useful.
    pub detail: Option<String>,
    pub count: usize,
    /// Files with at least one instance.
    pub files: usize,
    pub instances: Vec<GapInstance>,
    /// The first few instances, for the Markdown.
    pub examples: Vec<GapInstance>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapInstance {
    pub at: Loc,
    pub message: String,
}

// --- Trace Injection Points ------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// Where a trace id should be born.
    pub births: Vec<Birth>,
    pub births_none: Option<String>,
    /// Whether a trace id exists anywhere already.
    pub existing_trace_ids: Vec<Evidence>,
    /// OpenTelemetry tracing already set up (outside tests): what the
    /// design builds on rather than sets up again.
    pub tracing_setup: Vec<Evidence>,
    pub tracing_setup_none: Option<String>,
    /// Carriers already passed through calls (parameters).
    pub flowing: Vec<CarrierSummary>,
    /// Background work that does not inherit `contextvars`.
    pub context_breaks: Vec<Evidence>,
    /// Background work that inherits `contextvars`.
    pub context_kept: Vec<Evidence>,
    /// The propagation recommendation, derived from the above.
    pub propagation: String,
    /// Outbound hosts named in code (first URL per host): where to send
    /// `traceparent`.
    pub outbound: Vec<Evidence>,
    pub outbound_none: Option<String>,
    /// The six span boundaries of the skeleton, in order.
    pub spans: Vec<Stage>,
    /// `missing-trace-id`.
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Birth {
    /// `HTTP` or `WebSocket`.
    pub kind: String,
    pub name: String,
    pub at: Loc,
    pub why: String,
    /// Ids or headers already read near it, to reuse.
    pub reuse: Vec<Evidence>,
}

/// One logical operation to time.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub key: String,
    pub title: String,
    /// Route handlers, WebSocket endpoints and dispatched types; then the
    /// boundary functions: served ones nearest an entry point first, then
    /// those of the app's modules no entry point reaches.
    pub evidence: Vec<Evidence>,
    /// The first few of `evidence`, for the Markdown.
    pub shown: Vec<Evidence>,
    /// How many of `evidence` are not in `shown`.
    pub more: usize,
    /// Boundaries outside the served app (CLIs, scripts, `__main__`
    /// blocks): listed apart, never chosen as the example.
    pub outside: Vec<Evidence>,
    /// A boundary function reads a clock.
    pub timed: bool,
    pub none: Option<String>,
}

// --- Alert Integration -----------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Alerts {
    pub email: Capability,
    pub webhook: Capability,
    pub background: Capability,
    /// Where an error tracker (Sentry, Rollbar, Bugsnag) is set up.
    pub error_tracking: Capability,
    /// Functions that already dispatch alerts (by name), where they start.
    pub dispatch: Vec<Evidence>,
    /// Credentials of alert channels written in the source.
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Capability {
    /// `yes` or `no`.
    pub answer: String,
    pub evidence: Vec<Evidence>,
    /// Env settings found for it.
    pub settings: Vec<Evidence>,
    /// What to configure or build.
    pub needed: String,
    pub none: Option<String>,
}

// --- Database --------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Database {
    /// Database and Redis connections created.
    pub connections: Vec<Evidence>,
    pub connections_none: Option<String>,
    pub tables: Vec<Table>,
    pub tables_none: Option<String>,
    pub observability_tables: Vec<Table>,
    pub observability_none: Option<String>,
    /// Tables the recommended schemas reference, by role.
    pub anchors: Vec<Anchor>,
    pub anchors_none: Option<String>,
    /// traces, spans, logs, alerts.
    pub schemas: Vec<Schema>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub name: String,
    pub at: Loc,
    /// `name TYPE` per column, in order.
    pub columns: Vec<String>,
    /// `column -> table(column)` per foreign key.
    pub references: Vec<String>,
}

/// An existing table that new tables should reference.
#[derive(Debug, Clone, Serialize)]
pub struct Anchor {
    /// `user`, `department` or `session`.
    pub role: String,
    pub table: String,
    pub key: String,
    pub key_type: String,
    pub at: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    /// `traces`, `spans`, `logs` or `alerts`.
    pub name: String,
    /// The qualified table name to create.
    pub table: String,
    /// A `CREATE TABLE` statement.
    pub sql: String,
    /// Set when a table of that name exists already.
    pub exists: Option<Loc>,
    /// Why the columns and keys are what they are.
    pub notes: Vec<String>,
}

// --- Frontend --------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Frontend {
    pub admin_routes: Vec<Evidence>,
    pub routes_none: Option<String>,
    pub routes_to_add: Vec<Proposal>,
    pub components_to_build: Vec<Proposal>,
    pub charts: Vec<Evidence>,
    /// How many of `charts` are chart components (not library imports).
    pub chart_components: usize,
    pub charts_none: Option<String>,
    pub toasts: Vec<Evidence>,
    pub toasts_none: Option<String>,
    /// WebSocket patterns to reuse for live updates.
    pub realtime: Vec<String>,
    pub contract: Vec<ContractRow>,
    pub contract_none: Option<String>,
    /// How the contract was read (test files excluded, frontend scanned...).
    pub contract_note: String,
    pub gaps: Vec<Gap>,
}

/// Something to add: a route or a component.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub name: String,
    /// Where it would go (a path in the checkout), if derivable.
    pub place: Option<String>,
    pub why: String,
}

/// One WebSocket message type and who sends and handles it.
#[derive(Debug, Clone, Serialize)]
pub struct ContractRow {
    #[serde(rename = "type")]
    pub message_type: String,
    pub backend_sends: Cell,
    pub backend_handles: Cell,
    pub frontend_sends: Cell,
    pub frontend_handles: Cell,
    pub status: String,
}

/// The places one side sends or handles a type: the first and a count.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub first: Option<Loc>,
    pub count: usize,
}

// --- Recommended Architecture ----------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Architecture {
    /// One line: what the designs build on.
    pub summary: String,
    pub tracing: Design,
    /// OpenTelemetry instrumentation packages to install, each with what
    /// calls for it (a declared dependency, else a call).
    pub install: Vec<Evidence>,
    /// Stage operations no recommended package covers: manual spans.
    pub manual_spans: Vec<Evidence>,
    /// Per span with evidence: `` `key`: attributes ``.
    pub span_attributes: Vec<String>,
    pub logs: Design,
    pub alerts: Design,
}

/// A text diagram and the notes that go with it.
#[derive(Debug, Clone, Serialize)]
pub struct Design {
    pub diagram: Vec<String>,
    pub notes: Vec<String>,
}

// --- Implementation Priority -----------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub rank: usize,
    /// Stable id of the step rule.
    pub id: String,
    pub title: String,
    /// 3 high, 2 medium, 1 low.
    pub impact: u8,
    /// 1 low, 2 medium, 3 high.
    pub effort: u8,
    pub impact_label: String,
    pub effort_label: String,
    pub why: String,
    pub at: Vec<Loc>,
}
