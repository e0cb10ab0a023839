//! Helpers of the `scan_*` tests: run `recon scan` and the Python
//! oracle, and generate a corpus of Python files full of traps.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use recon_findings::Findings;

use super::{recon, workspace, write};

/// `recon scan ARGS...` with extra environment variables.
pub fn recon_scan(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = recon();
    cmd.arg("scan").args(args).current_dir(workspace());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run recon")
}

/// The `--format` that prints the typed findings (schema recon.findings/1).
pub const FINDINGS_FORMAT: &str = "findings";

/// `recon scan --format findings ROOT` as printed (panics on failure): every
/// field recon prints, whether or not `Findings` knows it.
pub fn scan_json(root: &Path, extra: &[&str]) -> Vec<u8> {
    let root = root.to_str().unwrap();
    let mut args = vec!["--format", FINDINGS_FORMAT];
    args.extend_from_slice(extra);
    args.push(root);
    let out = recon_scan(&args, &[]);
    assert!(
        out.status.success(),
        "recon scan {root} failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.ends_with(b"}\n"), "output ends with a newline");
    out.stdout
}

/// `recon scan --format findings ROOT`, parsed (panics on failure).
pub fn scan(root: &Path, extra: &[&str]) -> Findings {
    serde_json::from_slice(&scan_json(root, extra)).expect("recon output is recon.findings/1")
}

/// The stdout of `python3 tests/oracle/SCRIPT ARGS...` (panics, with
/// `needs` and the script's stderr, when it cannot run or fails).
fn python_oracle(script: &str, args: &[&std::ffi::OsStr], needs: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .arg(workspace().join("tests/oracle").join(script))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{needs}: {e}"));
    assert!(
        out.status.success(),
        "{script} failed ({:?}; {needs}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The oracle's findings for `root`.
pub fn oracle(root: &Path, extra: &[&str]) -> Findings {
    let mut args = vec![root.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let out = python_oracle(
        "py_findings.py",
        &args,
        "python3 is needed for the oracle tests",
    );
    serde_json::from_slice(&out).expect("oracle output is recon.findings/1")
}

/// What `tests/oracle/jedi_calls.py --json` says of recon's `call_graph`:
/// jedi's `goto` at every call site of the checkout against recon's edges.
#[derive(Debug, serde::Deserialize)]
pub struct JediAgreement {
    /// `correct / judged` (1.0 when nothing was judged).
    pub precision: f64,
    /// `found / jedi_project` (1.0 when jedi found no project target).
    pub recall: f64,
    /// Recon's edges in files CPython parses.
    pub edges: usize,
    /// Recon's edges at call sites jedi resolved (to anything).
    pub judged: usize,
    /// Judged edges whose target jedi gives too.
    pub correct: usize,
    /// (call site, project function) pairs jedi resolves.
    pub jedi_project: usize,
    /// Of these, the ones recon lists.
    pub found: usize,
    /// Judged edges jedi does not give: file, line, column, source, recon, jedi.
    pub false_edges: Vec<serde_json::Value>,
    /// Jedi's project targets recon does not list: file, line, column,
    /// source, jedi, recon.
    pub missed: Vec<serde_json::Value>,
}

impl JediAgreement {
    /// The figures and up to `limit` disagreements each way, one per line.
    pub fn report(&self, limit: usize) -> String {
        let mut out = format!(
            "precision {:.3} ({}/{} judged of {} edges), recall {:.3} ({}/{} jedi project targets)\n",
            self.precision,
            self.correct,
            self.judged,
            self.edges,
            self.recall,
            self.found,
            self.jedi_project
        );
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        let site = |e: &serde_json::Value| {
            // Older recon has no column: the oracle matched by name.
            let column = e["column"]
                .as_u64()
                .map_or("?".to_owned(), |c| c.to_string());
            format!(
                "{}:{}:{column} {}",
                text(&e["file"]),
                e["line"],
                text(&e["source"])
            )
        };
        for (title, items, first, second) in [
            (
                "recon edges jedi does not give",
                &self.false_edges,
                "recon",
                "jedi",
            ),
            (
                "jedi targets recon does not list",
                &self.missed,
                "jedi",
                "recon",
            ),
        ] {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{title} ({}):", items.len());
            for e in items.iter().take(limit) {
                let _ = writeln!(
                    out,
                    "  {}\n      {first}: {}\n      {second}: {}",
                    site(e),
                    text(&e[first]),
                    text(&e[second])
                );
            }
        }
        out
    }

    /// Panics with the disagreements when below either bar.
    pub fn assert_at_least(&self, what: &str, precision: f64, recall: f64) {
        assert!(
            self.precision >= precision && self.recall >= recall,
            "{what}: recon's call_graph against jedi is below precision {precision} / recall \
             {recall}:\n{}",
            self.report(40)
        );
    }
}

/// Run the jedi oracle on recon's findings JSON for `root` (panics when it
/// fails: python3 with jedi is needed).
pub fn jedi_agreement(root: &Path, findings_json: &[u8]) -> JediAgreement {
    jedi_agreement_with(root, findings_json, &[])
}

/// `jedi_agreement` with extra oracle arguments (`--jobs 1`, `--no-ignore`).
pub fn jedi_agreement_with(root: &Path, findings_json: &[u8], extra: &[&str]) -> JediAgreement {
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("findings.json");
    std::fs::write(&findings, findings_json).unwrap();
    let mut args = vec![root.as_os_str(), findings.as_os_str(), "--json".as_ref()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let needs = "python3 with jedi is needed for the call-graph oracle (`pip install jedi`)";
    let out = python_oracle("jedi_calls.py", &args, needs);
    serde_json::from_slice(&out).expect("jedi oracle output")
}

/// Multiset difference `a - b`.
pub fn minus<T: Ord + Clone>(a: &[T], b: &[T]) -> Vec<T> {
    let mut b: Vec<T> = b.to_vec();
    b.sort();
    let mut out = Vec::new();
    for item in a {
        match b.binary_search(item) {
            Ok(i) => {
                b.remove(i);
            }
            Err(_) => out.push(item.clone()),
        }
    }
    out
}

/// Precision and recall of `got` against `want` (as multisets); a report of
/// the differing items when either is below 1.0.
pub fn compare<T: Ord + Clone + std::fmt::Debug>(
    category: &str,
    got: &[T],
    want: &[T],
) -> Option<String> {
    let extra = minus(got, want);
    let missing = minus(want, got);
    if extra.is_empty() && missing.is_empty() {
        return None;
    }
    let hits = got.len() - extra.len();
    let precision = if got.is_empty() {
        1.0
    } else {
        hits as f64 / got.len() as f64
    };
    let recall = if want.is_empty() {
        1.0
    } else {
        hits as f64 / want.len() as f64
    };
    let mut report = format!("{category}: precision {precision:.3} recall {recall:.3}\n");
    for item in &extra {
        let _ = writeln!(report, "  only recon:  {item:?}");
    }
    for item in &missing {
        let _ = writeln!(report, "  only oracle: {item:?}");
    }
    Some(report)
}

/// Whether the oracle reads a file: Python and `.env*` files (the
/// TypeScript, Svelte and SQL findings have their own hand-checked tests).
pub fn oracle_reads(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    ext == "py"
        || (name.starts_with(".env")
            && !["ts", "mts", "cts", "js", "mjs", "cjs", "svelte", "sql"].contains(&ext))
}

/// Compare every Python category of recon's and the oracle's findings, over
/// the files both parsed cleanly; also the file counts and which files have
/// errors. Panics with every difference.
pub fn assert_agree(root: &Path, extra: &[&str]) -> Findings {
    let found = scan(root, extra);
    let mut got = found.clone();
    // Where a route is served follows routers across modules: held to
    // hand-written answers (`fixtures/scan/python/mounts`), not to the
    // per-file oracle.
    for r in &mut got.routes {
        r.full_path = None;
    }
    for w in &mut got.websocket_endpoints {
        w.full_path = None;
    }
    let want = oracle(root, extra);
    let mut bad_files: Vec<String> = got
        .errors
        .iter()
        .chain(&want.errors)
        .map(|e| e.file.clone())
        .collect();
    bad_files.sort();
    bad_files.dedup();
    let clean = |file: &str| oracle_reads(file) && !bad_files.iter().any(|b| b == file);

    let mut reports = Vec::new();
    if got.files_scanned != want.files_scanned {
        reports.push(format!(
            "files_scanned: recon {} oracle {}\n",
            got.files_scanned, want.files_scanned
        ));
    }
    if got.files_by_language != want.files_by_language {
        reports.push(format!(
            "files_by_language: recon {:?} oracle {:?}\n",
            got.files_by_language, want.files_by_language
        ));
    }
    let error_files = |f: &Findings| {
        let mut v: Vec<String> = f
            .errors
            .iter()
            .filter(|e| oracle_reads(&e.file))
            .map(|e| e.file.clone())
            .collect();
        v.dedup();
        v
    };
    reports.extend(compare(
        "errors (files)",
        &error_files(&got),
        &error_files(&want),
    ));
    macro_rules! category {
        ($name:ident) => {
            let g: Vec<_> = got
                .$name
                .iter()
                .filter(|x| clean(&x.file))
                .cloned()
                .collect();
            let w: Vec<_> = want
                .$name
                .iter()
                .filter(|x| clean(&x.file))
                .cloned()
                .collect();
            reports.extend(compare(stringify!($name), &g, &w));
        };
    }
    category!(routes);
    category!(middleware);
    category!(loggers);
    category!(log_calls);
    category!(except_handlers);
    category!(websocket_endpoints);
    category!(websocket_messages);
    category!(context_carriers);
    category!(timing);
    category!(metrics_calls);
    category!(background_tasks);
    category!(notifications);
    category!(external_urls);
    category!(db_connections);
    category!(redis);
    category!(ai_providers);
    // call_graph: judged by jedi (`jedi_agreement`), not by this oracle.
    category!(print_calls);
    category!(log_messages);
    category!(except_bodies);
    category!(route_routers);
    category!(error_trackers);
    category!(tracing_setup);
    category!(wall_clock_durations);
    category!(hardcoded_secrets);
    // Configuration files are found by the walk whatever their language.
    let config = |f: &Findings| -> Vec<_> {
        f.logging_config
            .iter()
            .filter(|c| c.kind == recon_findings::LoggingConfigKind::File || clean(&c.file))
            .cloned()
            .collect()
    };
    reports.extend(compare("logging_config", &config(&got), &config(&want)));
    assert!(
        reports.is_empty(),
        "recon and the oracle disagree on {}:\n{}",
        root.display(),
        reports.concat()
    );
    found
}

// ---------------------------------------------------------------------------
// Generated corpus

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const ROUTE_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "options",
    "head",
    "websocket",
    "api_route",
    "route",
];
const NOT_ROUTE_METHODS: &[&str] = &[
    "on_event",
    "exception_handler",
    "patch",
    "task",
    "get_route",
    "mount",
];
const ROUTER_FACTORIES: &[&str] = &[
    "APIRouter(prefix=\"/x\")",
    "fastapi.APIRouter()",
    "FastAPI(title=\"t\")",
    "Starlette()",
    "routing.Router()",
    "Blueprint(\"b\", __name__)",
    "Celery()",
    "dict()",
];
const BINDABLE: &[&str] = &[
    "admin_router",
    "analytics_router",
    "v1",
    "public",
    "web_app",
    "svc",
    "things",
    "Router",
];
const DEFAULT_ROUTERS: &[&str] = &[
    "app",
    "router",
    "api",
    "api_router",
    "my_router",
    "admin_app",
    "self.router",
    "state.app",
    "_app",
];
const NOT_ROUTERS: &[&str] = &[
    "mock",
    "pytest",
    "cache",
    "client",
    "v2",
    "blueprint",
    "celery",
    "App",
    "apps",
];
const PATH_ARGS: &[&str] = &[
    "\"/p{j}\"",
    "path=\"/k{j}\"",
    "f\"/f{j}\"",
    "PREFIX + \"/x\"",
    "\"/a{j}\" \"/b\"",
    "(\"/paren{j}\")",
    "",
    "\"/m{j}\", response_model=Item",
    "r\"/raw\\d{j}\"",
    "b\"/bytes\"",
    "f\"/{{x}}/{j}\"",
    "\"/esc\\x41{j}\"",
    "f\"/{x}\"",
    "tags=[\"t\"]",
    "*paths",
];
const LOGGER_TARGETS: &[&str] = &[
    "logger",
    "log",
    "audit_log",
    "trail",
    "LOGGER",
    "_logger",
    "tracer",
    "self.events",
];
const LOGGER_FACTORIES: &[&str] = &[
    "logging.getLogger(__name__)",
    "getLogger(\"x\")",
    "structlog.get_logger()",
    "get_logger()",
    "logging.Formatter()",
    "make_logger()",
    "logging.getLogger",
];
const DEFAULT_LOGGERS: &[&str] = &[
    "logger",
    "log",
    "_logger",
    "LOGGER",
    "_log",
    "logging",
    "self.logger",
    "app.logger",
    "self._log",
];
const NOT_LOGGERS: &[&str] = &[
    "client",
    "printer",
    "stats",
    "self.logging",
    "Logging",
    "loggers",
];
const LEVELS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
];
const NOT_LEVELS: &[&str] = &["setLevel", "infos", "handlers", "warn_once", "Info"];
const MESSAGES: &[&str] = &[
    "\"[TAG{j}] x\"",
    "f\"[F{j}] {x}\"",
    "f\"{x} [NOT]\"",
    "\"[A\" \"B]\"",
    "\"[FIRST] \" \"second\"",
    "\"plain\"",
    "msg",
    "\"%s [X]\", x",
    "b\"[B]\"",
    "r\"[R\\d]\"",
    "\"  [SP]\"",
    "\"[UNCLOSED\"",
    "f\"[{x}]\"",
    "f\"[{{LIT}}] {x}\"",
    "(\"[PAR{j}] x\")",
    "msg=\"[KW]\"",
    "",
    "logging.INFO, \"[LVL]\"",
    "\"\"\"[TRIPLE] a\nb\"\"\"",
    "\"\\x5bHEX] x\"",
    "f\"[A]\" \"[B]\"",
    "\"[]\"",
    "\"[ML{j}] a\"\n        \" b\"",
    "rf\"[RF{j}]{x}\"",
    "F\"[UP] {x!r:>10}\"",
    "\"[ü] ünïcode\"",
    "*args",
];
const MIDDLEWARE_CLASSES: &[&str] = &[
    "CORSMiddleware",
    "starlette.middleware.gzip.GZipMiddleware",
    "TimingMiddleware",
    "make_mw()",
    "*mws",
    "(Wrapped)",
];

/// One Python module of the corpus.
fn module(rng: &mut Rng, index: usize) -> String {
    let mut src = String::new();
    let _ = writeln!(
        src,
        "\"\"\"Generated module {index}.\n\n    @app.get(\"/in-docstring\")\n    logger.info(\"[DOC] not a call\")\n\"\"\""
    );
    src.push_str("import logging\nimport fastapi\nfrom fastapi import APIRouter, FastAPI\nfrom unittest import mock\n\n");
    for line in IMPORT_LINES {
        if rng.chance(30) {
            let _ = writeln!(src, "{line}");
        }
    }
    src.push_str("PREFIX = \"/api\"\n\n");
    let mut bound: Vec<String> = Vec::new();
    let mut loggers: Vec<String> = Vec::new();
    let snippets = 4 + rng.below(8);
    for j in 0..snippets {
        let j = index * 100 + j;
        match rng.below(17) {
            0 => router_binding(rng, j, &mut src, &mut bound),
            1 | 2 => route(rng, j, &mut src, &bound),
            3 => middleware(rng, j, &mut src, &bound),
            4 => logger_binding(rng, j, &mut src, &mut loggers),
            5 | 6 => log_calls(rng, j, &mut src, &loggers),
            7 => excepts(rng, j, &mut src),
            8 => class(rng, j, &mut src, &bound, &loggers),
            9 => websocket(rng, j, &mut src),
            10 => block(
                rng,
                j,
                &mut src,
                "def ctx_{j}(request, session_id: str, *args, user_email=\"x\", **department):",
                CARRIER_LINES,
            ),
            11 => block(
                rng,
                j,
                &mut src,
                "def timed_{j}(self, result, start=0):",
                TIMING_LINES,
            ),
            12 => block(
                rng,
                j,
                &mut src,
                "def record_{j}(self, tasks, name):",
                METRICS_LINES,
            ),
            13 => {
                block(
                    rng,
                    j,
                    &mut src,
                    "def spawn_{j}(self, loop, tasks, scheduler, coro, coros):",
                    BACKGROUND_LINES,
                );
                background_decorators(rng, j, &mut src);
            }
            14 => block(
                rng,
                j,
                &mut src,
                "async def clients_{j}(self, dsn, url, text, client, host, name, settings):",
                CLIENT_LINES,
            ),
            15 => block(
                rng,
                j,
                &mut src,
                "def urls_{j}(base, host, x, path):",
                URL_LINES,
            ),
            _ => call_graph_snippet(rng, j, &mut src),
        }
        src.push('\n');
    }
    src
}

fn router_binding(rng: &mut Rng, j: usize, src: &mut String, bound: &mut Vec<String>) {
    let name = *rng.pick(BINDABLE);
    let factory = *rng.pick(ROUTER_FACTORIES);
    match rng.below(4) {
        0 => {
            let _ = writeln!(src, "{name}: Any = {factory}");
        }
        1 => {
            let _ = writeln!(src, "{name} = other_{j} = {factory}");
        }
        2 => {
            let _ = writeln!(
                src,
                "def setup_{j}():\n    global {name}\n    {name} = {factory}"
            );
        }
        _ => {
            let _ = writeln!(src, "{name} = {factory}");
        }
    }
    bound.push(name.to_owned());
}

fn pick_router(rng: &mut Rng, bound: &[String]) -> String {
    match rng.below(3) {
        0 if !bound.is_empty() => rng.pick(bound).clone(),
        0 | 1 => (*rng.pick(DEFAULT_ROUTERS)).to_owned(),
        _ => {
            if rng.chance(50) {
                (*rng.pick(NOT_ROUTERS)).to_owned()
            } else {
                (*rng.pick(BINDABLE)).to_owned()
            }
        }
    }
}

fn decorator(rng: &mut Rng, j: usize, indent: &str, bound: &[String]) -> String {
    let router = pick_router(rng, bound);
    let method = if rng.chance(80) {
        *rng.pick(ROUTE_METHODS)
    } else {
        *rng.pick(NOT_ROUTE_METHODS)
    };
    let args = rng.pick(PATH_ARGS).replace("{j}", &j.to_string());
    if rng.chance(25) && !args.is_empty() {
        let lines: Vec<String> = args
            .split(", ")
            .map(|a| format!("{indent}    {a},\n"))
            .collect();
        format!("{indent}@{router}.{method}(\n{}{indent})\n", lines.concat())
    } else {
        format!("{indent}@{router}.{method}({args})\n")
    }
}

fn route(rng: &mut Rng, j: usize, src: &mut String, bound: &[String]) {
    let mut decorators = String::new();
    if rng.chance(30) {
        decorators.push_str("@mock.patch(\"core.main.thing\")\n");
    }
    let count = 1 + rng.below(2);
    for _ in 0..count {
        decorators.push_str(&decorator(rng, j, "", bound));
    }
    if rng.chance(20) {
        decorators.push_str("@staticmethod\n");
    }
    let kw = if rng.chance(50) { "async def" } else { "def" };
    src.push_str(&decorators);
    let _ = writeln!(src, "{kw} handler_{j}(x: int = 0):");
    if rng.chance(40) {
        // a nested route and a docstring trap
        let _ = writeln!(
            src,
            "    \"\"\"@router.get(\"/nope\") in a docstring.\"\"\""
        );
        src.push_str(&decorator(rng, j + 50, "    ", bound));
        let _ = writeln!(
            src,
            "    def inner_{j}():\n        return x\n    return inner_{j}"
        );
    } else {
        let _ = writeln!(src, "    return {{\"x\": x}}");
    }
}

fn middleware(rng: &mut Rng, j: usize, src: &mut String, bound: &[String]) {
    let router = pick_router(rng, bound);
    if rng.chance(50) {
        let class = *rng.pick(MIDDLEWARE_CLASSES);
        if rng.chance(40) {
            let _ = writeln!(
                src,
                "{router}.add_middleware(\n    {class},\n    allow_origins=[\"*\"],\n)"
            );
        } else {
            let _ = writeln!(src, "{router}.add_middleware({class}, level=1)");
        }
        if rng.chance(20) && !class.starts_with('*') {
            let _ = writeln!(src, "{router}.add_middleware(middleware_class={class})");
        }
    } else {
        let _ = writeln!(
            src,
            "@{router}.middleware(\"http\")\nasync def mw_{j}(request, call_next):"
        );
        let _ = writeln!(src, "    return await call_next(request)");
    }
}

fn logger_binding(rng: &mut Rng, j: usize, src: &mut String, loggers: &mut Vec<String>) {
    let target = *rng.pick(LOGGER_TARGETS);
    let factory = *rng.pick(LOGGER_FACTORIES);
    match rng.below(5) {
        0 => {
            let _ = writeln!(src, "{target}: logging.Logger = {factory}");
        }
        1 => {
            let _ = writeln!(src, "chain_{j} = {target} = {factory}");
            loggers.push(format!("chain_{j}"));
        }
        2 => {
            let _ = writeln!(
                src,
                "def make_{j}():\n    {target} = {factory}\n    return {target}"
            );
        }
        3 => {
            let _ = writeln!(src, "{target}, other_{j} = {factory}, None");
        }
        _ => {
            let _ = writeln!(src, "{target} = {factory}");
        }
    }
    loggers.push(target.rsplit('.').next().unwrap_or(target).to_owned());
}

fn log_call(rng: &mut Rng, j: usize, indent: &str, loggers: &[String]) -> String {
    let receiver = match rng.below(4) {
        0 if !loggers.is_empty() => rng.pick(loggers).clone(),
        0 | 1 => (*rng.pick(DEFAULT_LOGGERS)).to_owned(),
        2 => (*rng.pick(NOT_LOGGERS)).to_owned(),
        _ => (*rng.pick(LOGGER_TARGETS)).to_owned(),
    };
    let level = if rng.chance(85) {
        *rng.pick(LEVELS)
    } else {
        *rng.pick(NOT_LEVELS)
    };
    let message = rng.pick(MESSAGES).replace("{j}", &j.to_string());
    let message = message.replace("\n        ", &format!("\n{indent}    "));
    if rng.chance(25) && !message.is_empty() {
        format!("{indent}{receiver}.{level}(\n{indent}    {message},\n{indent})\n")
    } else if rng.chance(15) {
        format!("{indent}result = ({receiver}\n{indent}    .{level}({message}))\n")
    } else {
        format!("{indent}{receiver}.{level}({message})\n")
    }
}

fn log_calls(rng: &mut Rng, j: usize, src: &mut String, loggers: &[String]) {
    let _ = writeln!(src, "def work_{j}(x=None, msg=\"m\", *args):");
    let count = 1 + rng.below(4);
    for _ in 0..count {
        src.push_str(&log_call(rng, j, "    ", loggers));
    }
    let _ = writeln!(src, "    # logger.info(\"[COMMENT] not a call\")");
    let _ = writeln!(src, "    text = \"logger.error('[STR] not a call')\"");
    let _ = writeln!(src, "    return text");
}

fn excepts(rng: &mut Rng, j: usize, src: &mut String) {
    let _ = writeln!(src, "def guard_{j}(risky):");
    let _ = writeln!(
        src,
        "    note = \"except ValueError: in a string\"  # except: in a comment"
    );
    if rng.chance(35) {
        let _ = writeln!(
            src,
            "    try:\n        risky()\n    except* OSError as eg:\n        pass"
        );
        if rng.chance(50) {
            let _ = writeln!(src, "    except* (ValueError, TypeError):\n        pass");
        }
    } else {
        let _ = writeln!(src, "    try:\n        risky()");
        let clauses = 1 + rng.below(3);
        for k in 0..clauses {
            match rng.below(4) {
                0 => {
                    let _ = writeln!(src, "    except ValueError as e{k}:\n        raise");
                }
                1 => {
                    let _ = writeln!(src, "    except (KeyError, TypeError):\n        pass");
                }
                2 => {
                    let _ = writeln!(
                        src,
                        "    except Exception:\n        try:\n            risky()\n        except:\n            pass"
                    );
                }
                _ => {
                    let _ = writeln!(src, "    except mod.Error:\n        pass");
                }
            }
        }
        if rng.chance(40) {
            let _ = writeln!(src, "    except:\n        pass");
        }
        if rng.chance(30) {
            let _ = writeln!(src, "    finally:\n        pass");
        }
    }
    let _ = writeln!(src, "    return note");
}

fn class(rng: &mut Rng, j: usize, src: &mut String, bound: &[String], loggers: &[String]) {
    let _ = writeln!(src, "class Service{j}:");
    let _ = writeln!(
        src,
        "    \"\"\"\n    @router.post(\"/class-doc\")\n    \"\"\""
    );
    let _ = writeln!(src, "    def __init__(self):");
    let _ = writeln!(src, "        self.logger = logging.getLogger(\"svc{j}\")");
    let _ = writeln!(src, "        self.router = APIRouter()");
    let _ = writeln!(src, "        self.events = get_logger()");
    let _ = writeln!(src);
    src.push_str(&decorator(rng, j, "    ", bound));
    let _ = writeln!(src, "    async def method_{j}(self, x=None, msg=\"\"):");
    src.push_str(&log_call(rng, j, "        ", loggers));
    let _ = writeln!(src, "        def nested():");
    src.push_str(&log_call(rng, j + 1, "            ", loggers));
    let _ = writeln!(
        src,
        "            try:\n                pass\n            except RuntimeError:\n                pass"
    );
    let _ = writeln!(src, "        return nested");
}

/// A WebSocket endpoint, the handler it may pass the message to and the
/// function that one may pass it on to: the message comes in one of the
/// ways `websocket_messages` follows, or in one it does not (not awaited,
/// not a receive method, only a parameter), then the lines read it.
fn websocket(rng: &mut Rng, j: usize, src: &mut String) {
    let source = *rng.pick(&[
        "data = await websocket.receive_json()",
        "data = json.loads(await websocket.receive_text())",
        "raw = await websocket.receive_bytes()\n    data = json.loads(raw)",
        "async for data in websocket.iter_json():\n        pass",
        "async for raw in websocket.iter_text():\n        data = json.loads(raw)",
        "data: dict = (await websocket.receive_json())",
        "data = websocket.receive_json()",
        "data = await websocket.receive()",
        "pass",
    ]);
    block(
        rng,
        j,
        src,
        &format!("async def ws_{{j}}(websocket, data, manager, payload, base):\n    {source}"),
        WEBSOCKET_LINES,
    );
    block(
        rng,
        j,
        src,
        "async def on_{j}(websocket, msg, kind=None, /, *rest, key=None):",
        HANDLER_LINES,
    );
    block(rng, j, src, "async def deep_{j}(message):", DEEP_LINES);
}

/// Statements of a function body that exercise `websocket_messages` (each
/// entry one statement, possibly on several lines, indented by 4).
const WEBSOCKET_LINES: &[&str] = &[
    "await on_{j}(websocket, data)",
    "await on_{j}(websocket, payload, data[\"type\"])",
    "await on_{j}(websocket, msg=data, key=data.get(\"type\"))",
    "await on_{j}(*base, data)",
    "await on_{j}(websocket, data[\"kind\"], kind=data)",
    "await self.on_{j}(data)",
    "(seen := data)\n    if seen[\"type\"] == \"walrus{j}\":\n        pass",
    "msg_type = data[\"type\"]",
    "kind = data.get(\"type\", \"none\")",
    "other = data[\"kind\"]",
    "if data.get(\"type\") == \"ping{j}\":\n        pass",
    "if \"hello\" == data[\"type\"]:\n        pass",
    "if data[\"type\"] in (\"a{j}\", \"b\", 3):\n        pass",
    "if data[\"type\"] in [\"list{j}\"]:\n        pass",
    "if data[\"type\"] != \"not\":\n        pass",
    "if msg_type == \"bound{j}\" or kind == \"kind{j}\":\n        pass",
    "if other == \"no\":\n        pass",
    "if data[\"type\"] == data[\"type\"] == \"chained\":\n        pass",
    "if data[\"type\", 1] == \"tuple-index\":\n        pass",
    "if data[\"type\"] == f\"f{j}\":\n        pass",
    "if data[\"type\"] == f\"{other}\":\n        pass",
    "match msg_type:\n        case \"start{j}\":\n            pass\n        case \"stop\" | \"halt\" | 3:\n            pass\n        case {\"type\": \"x\"}:\n            pass\n        case \"guarded\" if other:\n            pass\n        case _:\n            pass",
    "match data[\"type\"]:\n        case \"direct{j}\":\n            pass",
    "match other:\n        case \"ignored\":\n            pass",
    "await websocket.send_json({\"type\": \"pong{j}\", \"ts\": 1})",
    "await websocket.send_text(json.dumps({\"type\": \"dumped{j}\", \"n\": 1}))",
    "await manager.broadcast({\"kind\": \"x\", \"type\": other})",
    "websocket.send({\"type\": \"first\", \"type\": \"second\"})",
    "await websocket.send_json(payload)",
    "await websocket.send_json({**base, \"type\": \"merged\"})",
    "await websocket.send_json(\n        {\n            \"type\": \"multi{j}\",\n        }\n    )",
    "await websocket.receive_json({\"type\": \"not-a-send\"})",
];

/// The body of the handler `on_{j}` a message may be passed to.
const HANDLER_LINES: &[&str] = &[
    "if msg[\"type\"] == \"helper{j}\":\n        pass",
    "if kind == \"positional{j}\":\n        pass",
    "if key in (\"key{j}\", \"other\"):\n        pass",
    "match msg.get(\"type\"):\n        case \"hm{j}\" | \"hn\":\n            pass",
    "t = msg[\"type\"]\n    if t == \"bound{j}\":\n        pass",
    "await deep_{j}(msg)",
    "await deep_{j}(message=kind)",
    "await on_{j}(websocket, msg)",
    "lam = lambda: msg[\"type\"] == \"in-lambda\"",
    "def inner():\n        return msg[\"type\"] == \"in-inner\"",
];

/// The body of `deep_{j}`, two calls from the endpoint.
const DEEP_LINES: &[&str] = &[
    "if message[\"type\"] == \"deep{j}\":\n        pass",
    "if message == \"deep-kind{j}\":\n        pass",
    "await on_{j}(None, message)",
    "await ws_{j}(None, message, None, None, None)",
];

/// Statements that exercise `context_carriers`.
const CARRIER_LINES: &[&str] = &[
    "request.state.request_id = request.headers.get(\"X-Request-ID\")",
    "trace_id: str",
    "correlation_id = cid = make()",
    "span_id += 1",
    "a, user_id = 1, 2",
    "call(tenant_id=1, division=args, other=2)",
    "headers = {\"x-correlation-id\": 1, \"X-Trace-Id\": 2, \"Authorization\": 3, b\"x-request-id\": 4}",
    "lam = lambda current_user, y=1: y",
    "value = f\"X-Session-ID\"",
    "value = f\"{request}X-Request-ID\"",
    "value = \"X-Request\" \"-ID\"",
    "value = \"x-request-id \"",
    "class Model(Base, department=1):\n        user_email: str = \"\"\n        session_id: str",
    "def inner(trace_id, /, request_id, *, correlation_id=None, **tenant_id):\n        return \"traceparent\"",
    "for session_id in args:\n        pass",
    "self.current_user = user_email",
];

/// Statements that exercise `timing`.
const TIMING_LINES: &[&str] = &[
    "start = time.perf_counter()",
    "t0 = time.time()",
    "t1 = time.monotonic_ns()",
    "perf_counter()",
    "monotonic()",
    "now = datetime.now()",
    "self.time.time()",
    "elapsed_ms = (time.perf_counter() - start) * 1000",
    "self.duration = 1",
    "latency: float = 0.0",
    "ttft_ms = first_token_at - start",
    "total_seconds = wait_secs = 2",
    "my_ttft = 3",
    "timeout_s = 4",
    "durations_list = []",
    "result.elapsed = 5",
    "time_ms(1)",
    "process_time()",
    "time.process_time()",
    "x = time.time_ns(\n    )",
    "elapsed_ms += 1",
];

/// Statements that exercise `metrics_calls`.
const METRICS_LINES: &[&str] = &[
    "metrics_collector.increment(\"requests_total{j}\")",
    "metrics.timing(\"db.query\", 12)",
    "statsd.incr(name)",
    "app_metrics.observe(f\"lat\")",
    "self.metrics.gauge(\"g\", 1)",
    "tasks.add_task(metrics_collector.flush)",
    "core.metrics_collector.snapshot()",
    "mymetrics.x()",
    "metrics_collector_v2.x()",
    "get_metrics().inc()",
    "metrics.a.b(\"x\")",
    "metrics_collector.record(\n        \"multi\",\n    )",
    "metrics_collector.hist(name=\"kw\")",
];

/// Statements that exercise `background_tasks`.
const BACKGROUND_LINES: &[&str] = &[
    "asyncio.create_task(send_alert(\"x\"))",
    "loop.create_task(coro)",
    "asyncio.ensure_future(self.flush())",
    "tasks.add_task(write_log, 1)",
    "scheduler.add_job(nightly, \"cron\", hour=1)",
    "loop.run_in_executor(None, blocking_io, 1)",
    "loop.run_in_executor(None)",
    "threading.Thread(target=self.run, daemon=True)",
    "Thread(name=\"x\")",
    "BackgroundScheduler()",
    "sched = AsyncIOScheduler(timezone=\"UTC\")",
    "asyncio.create_task(*coros)",
    "asyncio.create_task((lambda: coro)())",
    "asyncio.create_task(\n        coro,\n    )",
    "tasks.add_task(functools.partial(write_log, 1))",
];

/// Import lines of a module header (each kept at random): they decide the
/// qualified names of callees.
const IMPORT_LINES: &[&str] = &[
    "import os",
    "import os.path",
    "from os import environ",
    "from os import getenv",
    "from os import getenv as env",
    "import asyncpg",
    "import asyncpg as pg",
    "from asyncpg import create_pool",
    "from asyncpg import create_pool as make_pool",
    "import mylib as asyncpg",
    "from fake import create_pool",
    "import redis",
    "import redis.asyncio as aioredis",
    "from redis import Redis",
    "from .pkg import redis",
    "import psycopg",
    "from psycopg_pool import AsyncConnectionPool",
    "from sqlalchemy.ext.asyncio import create_async_engine",
    "import sqlite3",
    "import openai",
    "from openai import AsyncOpenAI",
    "from anthropic import Anthropic as Claude",
    "import xai_sdk",
    "from xai_sdk import Client",
    "import smtplib",
    "from smtplib import SMTP_SSL",
    "import aiosmtplib",
    "from slack_sdk import WebClient",
    "from slack_sdk.webhook import WebhookClient as Hook",
    "from . import relative_thing",
    "from __future__ import annotations",
];

/// Statements that exercise db_connections, redis, ai_providers and
/// notifications (calls and environment reads).
const CLIENT_LINES: &[&str] = &[
    "pool = await asyncpg.create_pool(dsn, min_size=1)",
    "conn = await pg.connect(dsn)",
    "pool = await create_pool(dsn)",
    "pool = make_pool(dsn)",
    "engine = create_async_engine(url)",
    "pool = AsyncConnectionPool(dsn)",
    "conn = psycopg.AsyncConnection.connect(dsn)",
    "db = sqlite3.connect(\":memory:\")",
    "r = aioredis.Redis.from_url(url)",
    "r = redis.Redis(host=\"h\")",
    "r = Redis()",
    "r = redis.exceptions.ConnectionError()",
    "client = AsyncOpenAI(base_url=\"https://api.x.ai/v1\")",
    "client = openai.OpenAI()",
    "client = AsyncOpenAI(base_url=url)",
    "client = AsyncOpenAI(base_url=\"http://localhost:8000/v1\")",
    "client = openai.AsyncOpenAI(base_url=\"https://api.deepinfra.com/v1/openai\")",
    "c = Claude()",
    "c = Client(api_key=name)",
    "c = xai_sdk.AsyncClient()",
    "vec = await client.embeddings.create(input=text, model=\"text-embedding-3-small\")",
    "vec = self.embed(text)",
    "vec = openai.Embedding.create(text)",
    "vec = store.embed_documents([text])",
    "vec = embeddings.search(text)",
    "vec = get_client().embeddings.create(text)",
    "model = \"gpt-4o-mini\"",
    "model = \"claude-3-5-sonnet\" if text else \"grok-2\"",
    "model = f\"grok-{text}\"",
    "model = \"grok\"",
    "with smtplib.SMTP(host, 587) as s:\n        s.send_message(text)",
    "s = SMTP_SSL(host)",
    "s = smtplib.SMTP_SSL",
    "await aiosmtplib.send(text, hostname=host)",
    "slack = WebClient(token=name)",
    "hook = Hook(url)",
    "await httpx.post(SLACK_WEBHOOK_URL, json=text)",
    "await client.post(settings.alert_webhook, json=text)",
    "await client.post(\"https://hooks.slack.com/services/T/B/X\", json=text)",
    "await client.put((\"https://example.com/webhook/1\"), json=text)",
    "await client.post(\"https://example.com/api\", json=text)",
    "await client.post(settings.url, json=text)",
    "await client.get(SLACK_WEBHOOK_URL)",
    "key = os.getenv(\"SMTP_PASSWORD\", \"\")",
    "key = os.environ[\"OPENAI_API_KEY\"]",
    "key = os.environ.get(\"SLACK_BOT_TOKEN\")",
    "key = environ[\"XAI_API_KEY\"]",
    "key = getenv(\"ALERT_EMAIL\")",
    "key = env(\"NOTIFY_CHANNEL\")",
    "key = os.getenv(name)",
    "key = os.environ[\"A\", \"B\"]",
    "os.environ[\"NOTIFY_URL\"] = \"x\"",
    "key = os.getenv(f\"{name}_SMTP\")",
    "key = os.getenv(\"DEEPINFRA_TOKEN_GROK_MAIL\")",
    "key = settings.getenv(\"SMTP_HOST\")",
    "key = os.environ[(\"ANTHROPIC_BASE_URL\")]",
    "key = os.getenv(*name)",
];

/// Statements that exercise external_urls (and webhook URLs, endpoints).
const URL_LINES: &[&str] = &[
    "url = \"https://api.openai.com/v1/chat\"",
    "url = f\"https://api.anthropic.com/v1/{path}\"",
    "url = \"HTTPS://API.X.AI/x\"",
    // A multi-byte character right after the scheme (once missed).
    "url = \"http://\\xe9ffbot.org/ns\"",
    "url = \"http://\\u30d5\\u309a:80\"",
    "url = \"https://café.example/menu\"",
    "url = \"http://\" + host",
    "url = \"http://user:pw@db.internal:5432/x\"",
    "url = \"https://\" \"example.org/a\"",
    "url = \"https://\" f\"{host}/a\"",
    "url = b\"https://bytes.example\"",
    "url = \"ftp://files.example\"",
    "url = \" https://space.example\"",
    "# url = \"https://comment.example\"",
    "url = f\"{base}https://after.example\"",
    "url = \"https://discord.com/api/webhooks/1/x\"",
    "url = f\"{x:https://spec.example}\"",
    "doc = \"\"\"https://doc.example/x\n    more\"\"\"",
    "url = \"https://[::1]:8080/x\"",
    "url = \"http://hooks.slack.com\"",
    "url = f\"{'https://nested.example'}\"",
    "url = \"https://esc\\x61ped.example\"",
    "url = r\"https://raw.example/\\d\"",
    "url = (\"https://paren.example\")",
    "url = \"https://hook.example/WebHook\"",
];

/// A class and functions calling each other (call_graph), with traps:
/// redefinitions, nested functions, lambdas, decorators, dunder calls,
/// module-level and class-level calls, names defined in several modules.
fn call_graph_snippet(rng: &mut Rng, j: usize, src: &mut String) {
    let _ = writeln!(src, "class Graph{j}:");
    let _ = writeln!(src, "    limit = helper_{j}(1)");
    let _ = writeln!(src, "    def run(self, x):");
    for line in [
        "        self.step(x)",
        "        self.missing(x)",
        "        helper_{j}(x)",
        "        compute(x)",
        "        other.run(x)",
        "        super().__init__()",
        "        self.__repr__()",
        "        cls.step(x)",
        "        (lambda: self.step(2))()",
        "        @decorate(self.step)\n        def inner(y=self.step(1)) -> kind(x):\n            return self.run(y)",
        "        class Local:\n            value = compute(x)\n            def method(self):\n                return self.method()",
        "        [self.step(i) for i in x]",
        "        getattr(self, 'step')(x)",
        "        self.items[0](x)",
        "        args = *x, *self.step(x)",
        "        [*helper_{j}(x)]",
        "        type(self).limit = compute(x)",
    ] {
        if rng.chance(50) {
            let _ = writeln!(src, "{}", line.replace("{j}", &j.to_string()));
        }
    }
    let _ = writeln!(src, "        return x");
    let _ = writeln!(src, "    def step(self, x):\n        return compute(x)");
    if rng.chance(50) {
        let _ = writeln!(src, "    @staticmethod\n    def step(x):\n        return x");
    }
    let _ = writeln!(
        src,
        "    async def go(cls):\n        await cls.run(1)\n        return self.step(2)"
    );
    let _ = writeln!(
        src,
        "\ndef helper_{j}(x):\n    def nested():\n        return helper_{j}(x)\n    return nested()"
    );
    if rng.chance(40) {
        let _ = writeln!(src, "\ndef compute(x):\n    return helper_{j}(x)");
    }
    if rng.chance(30) {
        let _ = writeln!(src, "\nif x:\n    def run(self):\n        return step()");
    }
    let _ = writeln!(src, "\nhelper_{j}(\"module level\")");
}

/// A function whose body is a random selection of `lines`.
fn block(rng: &mut Rng, j: usize, src: &mut String, header: &str, lines: &[&str]) {
    let _ = writeln!(src, "{}", header.replace("{j}", &j.to_string()));
    let _ = writeln!(
        src,
        "    \"\"\"@app.get(\"/doc\") send_json({{\"type\": \"doc\"}})\"\"\""
    );
    for line in lines {
        if rng.chance(45) {
            let _ = writeln!(src, "    {}", line.replace("{j}", &j.to_string()));
        }
    }
    let _ = writeln!(src, "    return None");
}

/// Celery-style task decorators, and look-alikes.
fn background_decorators(rng: &mut Rng, j: usize, src: &mut String) {
    let decorator = *rng.pick(&[
        "@celery_app.task",
        "@shared_task(bind=True)",
        "@app.task()",
        "@task_registry.register",
        "@multitask",
        "@task",
    ]);
    let _ = writeln!(src, "\n{decorator}\ndef job_{j}(self=None):\n    return 1");
}

/// Write the corpus into `dir`: 50 generated modules in a few packages, plus
/// file-selection traps (ignored, hidden, vendored files) and one file with a
/// syntax error.
pub fn write_corpus(dir: &Path, seed: u64) {
    let mut rng = Rng::new(seed);
    let packages = [
        "app",
        "app/api",
        "services",
        "workers",
        "tests",
        "lib/deep/pkg",
        "",
    ];
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    for index in 0..50 {
        let package = *rng.pick(&packages);
        let rel = if package.is_empty() {
            format!("mod_{index}.py")
        } else {
            format!("{package}/mod_{index}.py")
        };
        let mut text = module(&mut rng, index);
        logging_snippet(&mut Rng::new(seed * 1000 + index as u64), index, &mut text);
        write(&rel, &text);
    }
    // Selection traps: each of these would add findings if it were scanned.
    let trap = "logger = logging.getLogger(__name__)\n@app.get(\"/trap\")\ndef trap():\n    logger.info(\"[TRAP]\")\n";
    for rel in [
        ".venv/lib/python3.11/site-packages/pkg/x.py",
        "venv/lib/v.py",
        "node_modules/pkg/y.py",
        "app/__pycache__/z.py",
        "site-packages/w.py",
        ".hidden/h.py",
        "app/.secret.py",
        "build/gen.py",
        "generated/g.py",
        "logs/drop.py",
        "app/api/tmp_scratch.py",
    ] {
        write(rel, trap);
    }
    // ... and these are scanned.
    write("logs/keep.py", trap);
    write(".env_settings.py", trap);
    write(
        ".gitignore",
        "# build output\nbuild/\n/generated-not-this\n*_scratch.py\n",
    );
    write(".ignore", "generated/\n");
    write("logs/.gitignore", "*.py\n!keep.py\n");
    write(
        "app/broken.py",
        "logger = logging.getLogger(__name__)\ndef broken(:\n    logger.info(\"[BROKEN]\")\n",
    );
    write(
        ".env.example",
        "# SMTP_HOST=commented\nSMTP_HOST=smtp.example.com\nexport SLACK_WEBHOOK_URL=https://hooks.slack.com/x\n  OPENAI_API_KEY = sk\nXAI_API_KEY=\r\nDATABASE_URL=postgres://x\n1BAD=1\nNOTIFY ME=1\nALERT_EMAIL\nexport\tGROK_MODEL=grok-2\nexports_MAIL=1\n",
    );
    write(
        "config/.env.production",
        "ANTHROPIC_API_KEY=x\nALERT_WEBHOOK=y",
    );
    write("frontend/src/lib/ws.ts", FRONTEND_TS);
    write(
        "frontend/src/routes/(app)/chat/+page.svelte",
        FRONTEND_SVELTE,
    );
    write(
        "frontend/src/lib/charts/Line.svelte",
        "<script>\n  import Chart from 'chart.js/auto';\n</script>\n",
    );
    write(
        "frontend/src/lib/Broken.svelte",
        "<script>\n  toast('x');\n",
    );
    write("migrations/001.sql", SQL);
    // Logging configuration files (found by the walk) and look-alikes.
    for rel in [
        "logging.conf",
        "config/logging.ini",
        "deploy/logging.yaml",
        "deploy/k8s/logging.yml",
        "log_config.json",
        "services/log_config.py",
        "build/logging.conf",
        "logging.cfg",
        "my_logging.conf",
        "Logging.conf",
        "log_config",
        "logging.conf.bak",
    ] {
        write(rel, "[loggers]\nkeys=root\n");
    }
    // Test code: print calls there are exempt.
    for rel in [
        "test/helpers.py",
        "app/test_things.py",
        "app/things_test.py",
        "conftest.py",
        "app/testing.py",
        "app/latest_test.txt.py",
    ] {
        write(
            rel,
            "def helper(x):\n    print(\"in test\", x)\n    return x\n\nprint(helper)\n",
        );
    }
    write(
        "app/bom.py",
        "\u{feff}import logging\nlog = logging.getLogger()\nlog.info(\"[BOM] x\")\n",
    );
}

/// Statements for `print_calls`, `logging_config`, `log_messages` and
/// `except_bodies` (each one statement at module level, possibly a block).
const LOGGING_LINES: &[&str] = &[
    "print(\"module level\")",
    "x = [*print(\"splat\")]",
    "print",
    "console.print(\"not the builtin\")",
    "self_print = print",
    "builtins.print(\"attribute\")",
    "if __name__ == \"__main__\":\n    print(\"main\")\n    def run():\n        print(\"nested main\")",
    "if \"__main__\" == __name__:\n    print('swapped')\nelif __name__ == \"__main__\":\n    print(\"elif body\")\nelse:\n    print(\"else body\")",
    "if (__name__ == '__main__'):\n    print(\"parenthesised\")",
    "if __name__ == \"__main__\" and x:\n    print(\"not the main test\")",
    "if __name__ != \"__main__\":\n    print(\"not equal\")",
    "if __name__ == f\"__main__\":\n    print(\"f main\")",
    "if name == \"__main__\":\n    print(\"not __name__\")",
    "if x:\n    pass\nelif __name__ == \"__main__\":\n    print(\"elif only\")",
    "logging.basicConfig(level=logging.INFO)",
    "logging.config.dictConfig({\"version\": 1})",
    "logging.config.fileConfig(\"logging.conf\")",
    "dictConfig({})",
    "fileConfig(\"x.ini\")",
    "basicConfig()",
    "logging.basicconfig()",
    "mylogging.basicConfig()",
    "self.logging.basicConfig()",
    "logging.config.dictConfig",
    "def configure():\n    logging.basicConfig(\n        format=\"%(message)s\",\n    )",
    "logger.info(\"plain %s\", x)",
    "logger.info(f\"user {x}\")",
    "logger.info(f\"no placeholder\")",
    "logger.info(\"a\" f\"{x}\")",
    "logger.info(\"{} done\".format(x))",
    "logger.info(template.format(x))",
    "logger.info(\"%s done\" % x)",
    "logger.info(\"user \" + x)",
    "logger.info(\"a\" + \"b\" + (\"c\"))",
    "logger.info(\"a\" + f\"{x}\")",
    "logger.info(x + y)",
    "logger.info(msg)",
    "logger.info(str(x))",
    "logger.info(b\"bytes\")",
    "logger.info()",
    "logger.info(*args)",
    "logger.info(msg=\"keyword\")",
    "logger.info(msg=f\"{x}\", exc_info=True)",
    "logger.log(logging.INFO, f\"{x}\")",
    "logger.log(logging.INFO)",
    "logger.log(logging.INFO, \"%d\" % 1)",
    "logger.exception(\"boom\")",
    "logger.error(\"boom\", exc_info=False)",
    "logger.error(\"boom\", **kw)",
    "logger.info(x for x in y)",
    "try:\n    risky()\nexcept ValueError:\n    logger.error(f\"failed {x}\")",
    "try:\n    risky()\nexcept ValueError as e:\n    logger.error(\"failed\", exc_info=True)\n    raise",
    "try:\n    risky()\nexcept (KeyError, OSError):\n    ...",
    "for _ in y:\n    try:\n        risky()\n    except KeyError:\n        # nothing\n        pass\n        continue",
    "try:\n    risky()\nexcept KeyError:\n    (...)",
    "try:\n    risky()\nexcept KeyError:\n    \"\"\"doc\"\"\"",
    "try:\n    risky()\nexcept KeyError:\n    pass\n    x = 1",
    "try:\n    risky()\nexcept Exception:\n    def later():\n        logger.error(\"in def\")\n        raise\n    cb = lambda: logger.error(\"in lambda\")\n    class Later:\n        logger.warning(\"in class\")",
    "try:\n    risky()\nexcept Exception:\n    @register(logger.error(\"decorator\"))\n    def later():\n        pass",
    "try:\n    risky()\nexcept Exception:\n    try:\n        retry()\n    except Exception:\n        logger.critical(\"nested\")\n        raise RuntimeError(\"x\") from None",
    "try:\n    risky()\nexcept Exception:\n    if x:\n        for i in y:\n            logger.warning(\"deep %s\", i)",
    "try:\n    risky()\nexcept get_errors(logger.error(\"in type\")):\n    pass",
    "try:\n    risky()\nexcept* ValueError:\n    logger.error(\"group\")",
    "try:\n    risky()\nexcept:\n    print(\"bare\")\n    client.error(\"not a logger\")",
    "try:\n    risky()\nfinally:\n    logger.error(\"finally, not except\")",
];

/// Logging statements appended to a module (their own random stream, so the
/// rest of the corpus does not change with them).
fn logging_snippet(rng: &mut Rng, index: usize, src: &mut String) {
    src.push_str("\nfrom logging.config import dictConfig as dc, fileConfig\n");
    if rng.chance(50) {
        src.push_str("from logging import config, basicConfig\n");
    }
    if rng.chance(30) {
        src.push_str("import logging.config as lc\nlc.dictConfig({})\n");
    }
    for line in LOGGING_LINES {
        if rng.chance(40) {
            let _ = writeln!(src, "{line}");
        }
    }
    let _ = writeln!(src, "dc({{}})  # {index}");
    if rng.chance(50) {
        src.push_str("config.dictConfig({})\nbasicConfig()\n");
    }
}

/// A TypeScript module for the corpus (scanned, not compared with the oracle).
const FRONTEND_TS: &str = "import { toast } from 'svelte-sonner';
export function handle(ws: WebSocket, msg: { type: string }) {
  if (msg.type === 'a') toast.success('a');
  switch (msg.type) { case 'b': break; }
  ws.send(JSON.stringify({ type: 'c' }));
  fetch('https://api.example.com/x');
}
";

/// A Svelte page for the corpus.
const FRONTEND_SVELTE: &str = "<script lang=\"ts\">
  import { notify } from '$lib/notify';
  let msg = $state({ type: 'x' });
</script>
{#if msg.type === 'ok'}<button onclick={() => notify('hi')}>ok</button>{/if}
<Toaster />
";

/// SQL for the corpus.
const SQL: &str = "CREATE TABLE a (id INT PRIMARY KEY, v vector(3));
CREATE TABLE b (id INT, a_id INT REFERENCES a (id), CONSTRAINT b_fk FOREIGN KEY (id) REFERENCES a);
CREATE INDEX b_idx ON b (a_id);
DO $$ BEGIN PERFORM 1; END $$;
";

/// Names and attributes a wall-clock corpus binds and subtracts.
const CLOCK_TARGETS: &[&str] = &["t0", "t1", "self.t0", "other.t0"];

/// Operands of a wall-clock corpus's subtractions: the targets, reads
/// (dotted, bare, parenthesized), a parameter and the monotonic clock.
const CLOCK_OPERANDS: &[&str] = &[
    "t0",
    "t1",
    "self.t0",
    "other.t0",
    "time.time()",
    "time()",
    "(time.time_ns())",
    "ts",
    "time.perf_counter()",
];

/// One statement of a wall-clock corpus: a binding (of a read or not) or a
/// subtraction.
fn wall_clock_statement(rng: &mut Rng) -> String {
    let target = *rng.pick(CLOCK_TARGETS);
    match rng.below(7) {
        0 => format!("{target} = time.time()"),
        1 => format!("{target} = {} = time()", rng.pick(CLOCK_TARGETS)),
        2 => format!("{target}: float = (time.time_ns())"),
        3 => format!("{target} = time.perf_counter()"),
        _ => {
            let shape = *rng.pick(&[
                "d = {x} - {y}",
                "if {x} - {y} > 1: pass",
                "f = lambda: {x} - {y}",
                "d = ({x}) - {y} - {x}",
            ]);
            let (x, y) = (*rng.pick(CLOCK_OPERANDS), *rng.pick(CLOCK_OPERANDS));
            shape.replace("{x}", x).replace("{y}", y)
        }
    }
}

/// A corpus for `wall_clock_durations`: modules whose bindings and
/// subtractions of the wall clock fall at random in the module, functions,
/// nested functions and methods, before or after one another, under
/// `from time import time` or not.
pub fn write_wall_clock_corpus(dir: &Path, seed: u64) {
    let mut rng = Rng::new(seed);
    for file in 0..12 {
        let mut src = String::from("import time\n");
        let imports = *rng.pick(&[
            "from time import time\n",
            "from time import time as now\n",
            "",
            "from time import (\n    time_ns,\n    time,\n)\n",
        ]);
        src.push_str(imports);
        for scope in 0..6 {
            let block = |rng: &mut Rng, indent: &str, src: &mut String| {
                for _ in 0..1 + rng.below(3) {
                    let _ = writeln!(src, "{indent}{}", wall_clock_statement(rng));
                }
            };
            match rng.below(4) {
                0 => block(&mut rng, "", &mut src),
                1 => {
                    let _ = writeln!(src, "def f_{scope}(ts, other):");
                    block(&mut rng, "    ", &mut src);
                    if rng.chance(50) {
                        src.push_str("    def inner(ts):\n");
                        block(&mut rng, "        ", &mut src);
                    }
                    block(&mut rng, "    ", &mut src);
                }
                2 => {
                    let _ = writeln!(src, "class C_{scope}:");
                    block(&mut rng, "    ", &mut src);
                    src.push_str("    async def m(self, ts, other):\n");
                    block(&mut rng, "        ", &mut src);
                }
                _ => {
                    let _ = writeln!(src, "async def g_{scope}(ts, other):");
                    block(&mut rng, "    ", &mut src);
                }
            }
        }
        write(dir, &format!("clock_{file}.py"), src.as_bytes());
    }
}
