//! Structural scanning: select a checkout's files, parse them with
//! tree-sitter, run the queries of `queries/<lang>/*.scm` and turn the matches
//! into [`recon_findings::Findings`].
//!
//! Languages: Python (`tree-sitter-python`), TypeScript and JavaScript
//! (`tree-sitter-typescript`), Svelte (`tree-sitter-svelte-ng`, its scripts
//! and template expressions re-parsed as TypeScript with positions mapped
//! back), SQL (`tree-sitter-sequel`, with a token-level fallback), and
//! `.env*` files (`KEY=VALUE` lines). The rules for each category are
//! documented in `recon-findings`; the file selection in [`files`].
//!
//! Files are parsed in parallel (rayon; one parser and query cursor per
//! worker, the compiled queries shared), and results are put back in a fixed
//! order: the output is byte-identical at any thread count. A cheap literal
//! prefilter (Aho-Corasick over the rules' literals) skips the parse of files
//! that cannot give a finding; the output is the same without it.
//!
//! The call graph is the one cross-file step: each Python module gives its
//! semantic summary (`recon-semantic`: scopes, bindings, call sites), and
//! the program of all of them resolves every call once all files are read.
//!
//! ```no_run
//! use recon_syntax::{scan, ScanOptions};
//! let findings = scan(std::path::Path::new("."), &ScanOptions::default())?;
//! println!("{} routes", findings.routes.len());
//! # Ok::<(), recon_syntax::ScanError>(())
//! ```

pub mod api_models;
mod collect;
mod common;
mod dependencies;
mod env;
pub mod files;
pub mod guard;
mod prefilter;
mod python;
mod sql;
mod topics;
mod typescript;

/// Readings of tree-sitter-python nodes that `recon check`'s rules share
/// with the scan: one definition of what a dotted name, a positional
/// argument, test code or a `__main__` test is.
pub mod python_cst {
    pub use crate::python::ancestry::is_main_test;
    pub use crate::python::text::{
        dotted_name, is_test_path, keyword_arg, last_segment, operator, plus_operands_all,
        positional_args, string_parts, text, unparenthesize,
    };
}

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use recon_findings::{FileError, Findings, HttpMethod, WebsocketEndpoint};

use collect::FileFindings;

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Read every file: no ignore files, hidden paths, `node_modules`...
    pub no_ignore: bool,
    /// Files larger than this are not read for parsing, only listed under
    /// `errors` (default [`guard::DEFAULT_MAX_PARSE_BYTES`], 64 MiB).
    pub max_parse_bytes: Option<u64>,
}

/// Why a scan could not run at all (per-file problems go to
/// [`Findings::errors`] instead).
#[derive(Debug)]
pub enum ScanError {
    /// The root does not exist or cannot be read.
    Root { path: String, message: String },
    /// A built-in query or grammar failed to load (a bug in recon).
    Internal(String),
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::Root { path, message } => write!(f, "{path}: {message}"),
            ScanError::Internal(message) => write!(f, "internal error: {message}"),
        }
    }
}

impl std::error::Error for ScanError {}

/// An I/O error as coreutils print it: `No such file or directory`, without
/// Rust's ` (os error 2)` suffix.
pub fn io_message(err: &std::io::Error) -> String {
    // An I/O error wrapping another one (walkdir's, through `ignore`, reads
    // `IO error for operation on PATH: Permission denied`): the caller names
    // the path, so say only the innermost reason.
    if let Some(inner) = err
        .get_ref()
        .and_then(|e| e.source())
        .and_then(|e| e.downcast_ref::<std::io::Error>())
    {
        return io_message(inner);
    }
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Each route's `full_path` (its declared path's template until now) with
/// the prefixes of the routers it is served under, from the semantic model.
fn serve_routes(program: &recon_semantic::Program, routes: &mut [recon_findings::Route]) {
    let declared: Vec<recon_semantic::RouteDecl<'_>> = routes
        .iter()
        .map(|r| recon_semantic::RouteDecl {
            file: &r.file,
            decorator_line: r.line,
            handler: &r.handler,
            method: python::routes::decorator_name(r.method),
            path: r.full_path.as_deref().unwrap_or(""),
        })
        .collect();
    let served = program.route_full_paths(&declared);
    for (route, full_path) in routes.iter_mut().zip(served) {
        route.full_path = route.full_path.as_ref().and(full_path);
    }
}

/// The semantic model's answers as findings.
fn call_findings(
    calls: recon_semantic::Resolution,
    unread_modules: usize,
) -> (
    Vec<recon_findings::CallEdge>,
    Vec<recon_findings::ExternalCall>,
    recon_findings::CallResolution,
) {
    let edges = calls
        .project
        .into_iter()
        .map(|c| recon_findings::CallEdge {
            file: c.file,
            line: c.line,
            column: c.column,
            caller: c.caller,
            callee: c.callee,
            callee_file: c.callee_file,
            callee_line: c.callee_line,
        })
        .collect();
    let external = calls
        .external
        .into_iter()
        .map(|c| recon_findings::ExternalCall {
            file: c.file,
            line: c.line,
            column: c.column,
            caller: c.caller,
            callee: c.callee,
            passes_timeout: c.passes_timeout,
            discarded: c.discarded,
        })
        .collect();
    let n = calls.counts;
    let resolution = recon_findings::CallResolution {
        calls: n.calls,
        project: n.project,
        external: n.external,
        builtin: n.builtin,
        unresolved: n.unresolved,
        unread_modules,
    };
    (edges, external, resolution)
}

/// The semantic model's served app as a finding.
fn served_app(app: recon_semantic::ServedApp) -> recon_findings::ServedApp {
    recon_findings::ServedApp {
        apps: app
            .apps
            .into_iter()
            .map(|a| recon_findings::AppObject {
                file: a.file.to_string(),
                line: a.line,
                name: a.name.to_string(),
            })
            .collect(),
        entry_points: app
            .entry_points
            .into_iter()
            .map(|e| recon_findings::EntryPoint {
                file: e.file.to_string(),
                line: e.line,
                qualname: e.qualname.to_string(),
                kind: e.kind,
            })
            .collect(),
        modules: app.modules.iter().map(|m| m.to_string()).collect(),
        functions: app
            .functions
            .into_iter()
            .map(|f| recon_findings::ServedFunction {
                file: f.file.to_string(),
                line: f.line,
                end_line: f.end_line,
                qualname: f.qualname.to_string(),
                reached: f.reached,
            })
            .collect(),
        main_blocks: app
            .main_blocks
            .into_iter()
            .map(|(file, line, end_line)| recon_findings::LineRange {
                file: file.to_string(),
                line,
                end_line,
            })
            .collect(),
    }
}

/// The language a selected file is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Python,
    TypeScript,
    Svelte,
    Sql,
    /// A `.env*` file: `KEY=VALUE` lines.
    Env,
}

/// Extensions read as TypeScript (JavaScript is parsed with the TypeScript
/// grammar too).
const TYPESCRIPT_EXTENSIONS: &[&str] = &["ts", "mts", "cts", "js", "mjs", "cjs"];

/// The language of a file, from its name: `.py`; `.ts .mts .cts .js .mjs
/// .cjs`; `.svelte`; `.sql`; a name starting with `.env` (and no extension
/// above).
pub(crate) fn language_of(rel: &str) -> Option<Lang> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "py" => Some(Lang::Python),
        "svelte" => Some(Lang::Svelte),
        "sql" => Some(Lang::Sql),
        _ if TYPESCRIPT_EXTENSIONS.contains(&ext) => Some(Lang::TypeScript),
        _ if name.starts_with(".env") => Some(Lang::Env),
        _ => None,
    }
}

/// Scan the checkout at `root`.
///
/// Fails only when `root` cannot be read or a built-in query does not compile;
/// a file that cannot be read or parse cleanly is listed in `errors` and the
/// scan goes on.
pub fn scan(root: &Path, opts: &ScanOptions) -> Result<Findings, ScanError> {
    scan_with(root, opts, true, &|_| true)
}

/// [`scan`] restricted to the selected files whose path (relative to
/// `root`, with `/`) `keep` accepts; the others are not read. The findings
/// are what a full scan finds in those files, except the call graph, which
/// resolves calls among the kept files only.
///
/// `recon check` uses this for rule OBS010, which needs the WebSocket
/// messages of the other side of the app, not the whole checkout.
pub fn scan_only(
    root: &Path,
    opts: &ScanOptions,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Findings, ScanError> {
    scan_with(root, opts, true, keep)
}

/// Compile now the queries a scan of the files `rels` will need (paths as
/// [`scan_only`] sees them), so a caller can overlap that with other work:
/// queries are compiled once per process, and a scan otherwise compiles
/// them when it starts. Errors are left for the scan to report.
pub fn prepare<'a>(rels: impl IntoIterator<Item = &'a str>) {
    let langs: Vec<Lang> = rels.into_iter().filter_map(language_of).collect();
    compile(&langs);
}

/// What [`compile`] gives: each language's queries, `None` when no file is
/// in it.
struct Compiled {
    python: Option<Result<&'static python::PythonQueries, String>>,
    typescript: Option<Result<&'static typescript::TsQueries, String>>,
    sql: Option<Result<sql::Worker, String>>,
}

/// Compile the query sets of the languages in `langs`, in parallel (each
/// once per process; compiling is most of a small scan).
fn compile(langs: &[Lang]) -> Compiled {
    let has = |wanted: &[Lang]| langs.iter().any(|l| wanted.contains(l));
    let (python, (typescript, sql)) = rayon::join(
        || has(&[Lang::Python]).then(python::queries),
        || {
            rayon::join(
                || has(&[Lang::TypeScript, Lang::Svelte]).then(typescript::queries),
                || has(&[Lang::Sql]).then(sql::Worker::new),
            )
        },
    );
    Compiled {
        python,
        typescript,
        sql,
    }
}

/// The side of the app a file's WebSocket messages belong to, from its
/// name: Python is the backend; TypeScript, JavaScript and Svelte the
/// frontend; other files have none.
///
/// ```
/// use recon_findings::Side;
/// assert_eq!(recon_syntax::side_of("core/main.py"), Some(Side::Backend));
/// assert_eq!(recon_syntax::side_of("src/lib/ws.ts"), Some(Side::Frontend));
/// assert_eq!(recon_syntax::side_of("src/routes/+page.svelte"), Some(Side::Frontend));
/// assert_eq!(recon_syntax::side_of("migrations/001.sql"), None);
/// ```
pub fn side_of(rel: &str) -> Option<recon_findings::Side> {
    match language_of(rel)? {
        Lang::Python => Some(recon_findings::Side::Backend),
        Lang::TypeScript | Lang::Svelte => Some(recon_findings::Side::Frontend),
        Lang::Sql | Lang::Env => None,
    }
}

/// [`scan`] the slow way, for the tests that hold the fast one to it: no
/// literal prefilter (every file is parsed) and no unit selection (every
/// Python unit is parsed; the dense categories still come from the token
/// pass, which tests/token_pass.rs holds to the tree and the oracle tests to
/// CPython).
#[doc(hidden)]
pub fn scan_unfiltered(root: &Path, opts: &ScanOptions) -> Result<Findings, ScanError> {
    scan_with(root, opts, false, &|_| true)
}

/// For tests: where the token pass and the tree reading disagree on a
/// Python module's dense categories; `Err` with the reason when the token
/// pass doubted it.
#[doc(hidden)]
pub fn token_pass_differences(file: &str, src: &str) -> Result<Vec<String>, String> {
    python::token_pass_differences(file, src)
}

/// Whether the literal prefilter lets a file through to the parser (its
/// language from its name, as [`scan`] reads it). For tests.
#[doc(hidden)]
pub fn prefilter_passes(rel: &str, bytes: &[u8]) -> bool {
    language_of(rel).is_some_and(|lang| prefilter::may_match(lang, rel, bytes))
}

/// Runs the Python reading of [`scan`] (token pass, units, tree-sitter on
/// the triggered ones) on one source and returns the lines of what it found
/// and of its errors (0). For the fuzz target and tests; never panics.
#[doc(hidden)]
pub fn python_lines(src: &str) -> Result<Vec<usize>, String> {
    let queries = python::queries()?;
    let mut worker = python::Worker::new()?;
    let found = worker.scan(queries, "fuzz.py", src, true);
    let mut lines: Vec<usize> = found
        .module
        .iter()
        .flat_map(|(_, m)| m.calls.iter().map(|c| c.line as usize))
        .collect();
    lines.extend(found.except_bodies.iter().map(|b| b.1.line));
    lines.extend(found.print_calls.iter().map(|p| p.1.line));
    lines.extend(found.log_calls.iter().map(|c| c.1.line));
    lines.extend(found.errors.iter().map(|_| 0));
    Ok(lines)
}

/// Runs the Svelte extraction (regions, `<script>` and template re-parsed
/// as TypeScript, positions mapped back) on one source, as `scan` does for
/// a `.svelte` file, and returns the lines of what it found and of its
/// errors. For the fuzz target and tests; never panics.
#[doc(hidden)]
pub fn svelte_lines(src: &str) -> Result<Vec<usize>, String> {
    let queries = typescript::queries()?;
    let mut worker = typescript::Worker::new()?;
    let found = worker.scan_svelte(queries, "fuzz.svelte", src);
    let mut lines: Vec<usize> = found.websocket_messages.iter().map(|m| m.1.line).collect();
    lines.extend(found.errors.iter().map(|_| 0));
    Ok(lines)
}

/// Everything the workers share. A language's queries are compiled only
/// when a selected file is in it (compiling is most of a small scan, and
/// all of `recon check`'s OBS010 context for one side of an app).
struct Shared {
    python: Option<&'static python::PythonQueries>,
    typescript: Option<&'static typescript::TsQueries>,
    /// Skip what cannot give a finding: files without the prefilter's
    /// literals, Python units without a sparse trigger.
    shortcuts: bool,
    max_parse_bytes: u64,
}

/// Per-worker parsers, one per language, made on the worker's first file
/// in that language.
#[derive(Default)]
struct Workers {
    python: Option<Result<python::Worker, String>>,
    typescript: Option<Result<typescript::Worker, String>>,
    sql: Option<Result<sql::Worker, String>>,
}

fn scan_with(
    root: &Path,
    opts: &ScanOptions,
    shortcuts: bool,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Findings, ScanError> {
    std::fs::metadata(root).map_err(|e| ScanError::Root {
        path: root.display().to_string(),
        message: io_message(&e),
    })?;
    let (mut selected, walk_errors) = files::select(root, opts.no_ignore);
    selected.retain(|f| keep(&f.rel));
    let scanned: Vec<(&files::SourceFile, Lang)> = selected
        .iter()
        .filter_map(|f| language_of(&f.rel).map(|lang| (f, lang)))
        .collect();
    let langs: Vec<Lang> = scanned.iter().map(|(_, lang)| *lang).collect();
    // A grammar or query set that does not load fails the scan here, not
    // once per file.
    let compiled = compile(&langs);
    let shared = Shared {
        python: compiled.python.transpose().map_err(ScanError::Internal)?,
        typescript: compiled
            .typescript
            .transpose()
            .map_err(ScanError::Internal)?,
        shortcuts,
        max_parse_bytes: opts
            .max_parse_bytes
            .unwrap_or(guard::DEFAULT_MAX_PARSE_BYTES as u64),
    };
    compiled.sql.transpose().map_err(ScanError::Internal)?;
    if shared.python.is_some() {
        python::Worker::new().map_err(ScanError::Internal)?;
    }
    if shared.typescript.is_some() {
        typescript::Worker::new().map_err(ScanError::Internal)?;
    }

    let per_file: Vec<FileFindings> = scanned
        .par_iter()
        .map_init(Workers::default, |workers, (file, lang)| {
            scan_file(workers, &shared, file, *lang)
        })
        .collect();

    let mut counts = recon_findings::FileCounts::default();
    for (_, lang) in &scanned {
        match lang {
            Lang::Python => counts.python += 1,
            Lang::TypeScript => counts.typescript += 1,
            Lang::Svelte => counts.svelte += 1,
            Lang::Sql => counts.sql += 1,
            Lang::Env => counts.env += 1,
        }
    }
    let mut findings = Findings {
        root: Some(root.display().to_string()),
        files_scanned: scanned.len(),
        files_by_language: counts,
        errors: walk_errors,
        ..Findings::default()
    };
    // The semantic model reads every module's summary.
    let mut modules = Vec::with_capacity(per_file.len());
    let mut unread = 0;
    let mut all = FileFindings::default();
    for (mut file, (_, lang)) in per_file.into_iter().zip(&scanned) {
        match file.module.take() {
            Some(m) => modules.push(m),
            None if *lang == Lang::Python => unread += 1,
            None => {}
        }
        all.append(file);
    }
    // Configuration files are found by the walk: any selected file with a
    // logging configuration's name, read or not by a language.
    all.logging_config.extend(selected.iter().filter_map(|f| {
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        python::logging_setup::is_config_file(name).then(|| {
            (
                0,
                recon_findings::LoggingConfig {
                    file: f.rel.clone(),
                    line: 1,
                    kind: recon_findings::LoggingConfigKind::File,
                },
            )
        })
    }));
    all.categories
        .sort_into(&mut findings, &collect::ParallelSort);
    let program = recon_semantic::Program::new(modules);
    serve_routes(&program, &mut findings.routes);
    findings.websocket_endpoints = findings
        .routes
        .iter()
        .filter(|r| r.method == HttpMethod::Websocket)
        .map(|r| WebsocketEndpoint {
            file: r.file.clone(),
            line: r.line,
            path: r.path.clone(),
            handler: r.handler.clone(),
            handler_qualname: r.handler_qualname.clone(),
            full_path: r.full_path.clone(),
        })
        .collect();
    let calls = program.resolve();
    findings.operations = api_models::ApiModels::python().operations(&calls.external);
    findings.served_app = served_app(program.served_app(&calls.project));
    (
        findings.call_graph,
        findings.external_calls,
        findings.call_resolution,
    ) = call_findings(calls, unread);
    // 10^5 call sites and more: freed on another thread while the scan
    // goes on (the report is built on this one).
    rayon::spawn(move || drop(program));
    // Dependency files are found by the walk too; one that cannot be read
    // declares nothing the report could use.
    findings.dependencies = selected
        .par_iter()
        .filter(|f| dependencies::is_dependency_file(f.rel.rsplit('/').next().unwrap_or(&f.rel)))
        .flat_map_iter(|f| {
            std::fs::read_to_string(&f.path)
                .map(|text| dependencies::read(&f.rel, &text))
                .unwrap_or_default()
        })
        .collect();
    findings.errors.extend(all.errors);
    findings.errors.sort();
    Ok(findings)
}

/// A file's language had no queries compiled: a bug in the scan's setup.
const NOT_COMPILED: &str = "internal error: queries not compiled";

/// Read one file and run its language's extractors.
fn scan_file(
    workers: &mut Workers,
    shared: &Shared,
    file: &files::SourceFile,
    lang: Lang,
) -> FileFindings {
    // Too large to parse: not even read (the regex layer of `recon run`
    // still searches such files).
    if let Ok(meta) = std::fs::metadata(&file.path)
        && let Some(reason) = guard::size_hazard(meta.len(), shared.max_parse_bytes)
    {
        return FileFindings::error(&file.rel, reason);
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => return FileFindings::error(&file.rel, io_message(&err)),
    };
    let (src, utf8_error) = decode_source(&bytes);
    // A file with none of the literals any rule needs gives no finding; it
    // is not parsed, and so has no syntax error to report. Without the
    // prefilter it is parsed, and its syntax errors are dropped the same way.
    let may_match = prefilter::may_match(lang, &file.rel, src.as_bytes());
    let mut out = if shared.shortcuts && !may_match {
        FileFindings::default()
    } else {
        let rel = file.rel.as_str();
        match lang {
            Lang::Python => {
                match (
                    workers.python.get_or_insert_with(python::Worker::new),
                    shared.python,
                ) {
                    (Ok(worker), Some(queries)) => {
                        let mut found = worker.scan(queries, rel, &src, shared.shortcuts);
                        exempt_script_prints(&mut found, &file.path, rel, &src);
                        found
                    }
                    (Err(message), _) => FileFindings::error(rel, message.clone()),
                    (_, None) => FileFindings::error(rel, NOT_COMPILED.to_owned()),
                }
            }
            Lang::TypeScript | Lang::Svelte => {
                match (
                    workers
                        .typescript
                        .get_or_insert_with(typescript::Worker::new),
                    shared.typescript,
                ) {
                    (Ok(worker), Some(queries)) if lang == Lang::Svelte => {
                        worker.scan_svelte(queries, rel, &src)
                    }
                    (Ok(worker), Some(queries)) => worker.scan_ts(queries, rel, &src),
                    (Err(message), _) => FileFindings::error(rel, message.clone()),
                    (_, None) => FileFindings::error(rel, NOT_COMPILED.to_owned()),
                }
            }
            Lang::Sql => match workers.sql.get_or_insert_with(sql::Worker::new) {
                Ok(worker) => worker.scan(rel, &src),
                Err(message) => FileFindings::error(rel, message.clone()),
            },
            Lang::Env => env::scan(rel, &src),
        }
    };
    if !may_match {
        out.errors.clear();
    }
    if let Some(reason) = utf8_error {
        out.errors.push(FileError {
            file: file.rel.clone(),
            reason,
        });
    }
    out
}

/// A source file's text: a UTF-8 byte order mark dropped, invalid UTF-8
/// replaced, with `invalid UTF-8 at line N` naming the first bad line.
pub fn decode_source(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(src) => (std::borrow::Cow::Borrowed(src), None),
        Err(err) => {
            let line = bytes[..err.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            (
                String::from_utf8_lossy(bytes),
                Some(format!("invalid UTF-8 at line {line}")),
            )
        }
    }
}

/// A Python script (see [`is_python_script`]) may print: its print calls
/// are exempt, as test code's are.
fn exempt_script_prints(found: &mut FileFindings, path: &Path, rel: &str, src: &str) {
    if !found.print_calls.is_empty() && is_python_script(path, rel, src) {
        for (_, print) in &mut found.print_calls {
            print.exempt = true;
        }
    }
}

/// Whether a Python file is a script, not a module of a package: it starts
/// with `#!`, or it is below the root in a directory without
/// `__init__.py`. A file at the root is a module (the app's `main.py`).
pub fn is_python_script(path: &Path, rel: &str, src: &str) -> bool {
    if src.starts_with("#!") {
        return true;
    }
    if !rel.contains('/') {
        return false;
    }
    path.parent()
        .is_some_and(|dir| !dir.join("__init__.py").is_file())
}

/// One Python module read the way [`scan`] reads it (the literal
/// prefilter, the token pass, tree-sitter over the units the triggers
/// select), for a caller that takes files one at a time: `recon check`'s
/// rules read these findings, so a rule and the report's gap for the same
/// concept give the same lines. One reader per worker thread.
pub struct ModuleReader {
    worker: python::Worker,
    queries: &'static python::PythonQueries,
}

/// The parts of a Python module that parse on their own, given the headers
/// around them: top-level statements, and in a `def` or `class` that is one
/// of them, its header and each statement of its body, recursively (the
/// units the scan's triggers choose from). A caller that parses some of
/// them asks [`ModuleUnits::with_headers`] for the ranges to hand
/// tree-sitter (`Parser::set_included_ranges`): positions stay the file's.
#[derive(Debug, Clone)]
pub struct ModuleUnits(Vec<python::UnitSpan>);

impl ModuleUnits {
    /// Each unit's bytes, in order (from the start of its first line to
    /// the start of the next unit's).
    pub fn spans(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.0.iter().map(|u| u.bytes.clone())
    }

    /// tree-sitter's ranges for the units `wanted` marks (one flag per
    /// unit, in order), each with the headers around it, touching ranges
    /// merged; `src` is the module's text.
    pub fn with_headers(&self, src: &str, wanted: &[bool]) -> Vec<tree_sitter::Range> {
        let spans = python::with_headers(
            self.0.iter().map(|u| (u.depth, u.kind, u.bytes.clone())),
            wanted,
        );
        python::ranges(&common::LineIndex::new(src), spans)
    }
}

/// What [`ModuleReader::read`] finds in one module, each finding with
/// where it starts (1-based line, column in characters).
#[derive(Debug, Default)]
pub struct ModuleFindings {
    pub print_calls: Vec<(recon_findings::Position, recon_findings::PrintCall)>,
    pub log_messages: Vec<(recon_findings::Position, recon_findings::LogMessage)>,
    pub except_bodies: Vec<(recon_findings::Position, recon_findings::ExceptBody)>,
    pub wall_clock_durations: Vec<(recon_findings::Position, recon_findings::WallClockDuration)>,
    pub hardcoded_secrets: Vec<(recon_findings::Position, recon_findings::HardcodedSecret)>,
    /// The module's units, in order (see [`ModuleUnits`]); `None` when the
    /// token pass did not read the module (it was parsed whole).
    pub units: Option<ModuleUnits>,
    /// What did not parse cleanly (the units read).
    pub errors: Vec<FileError>,
    /// The module as the semantic model reads it, when asked for
    /// ([`ModuleReader::read`]'s `model`) and the token pass read it.
    pub model: Option<ModelModule>,
}

/// One module's part of the semantic model (its scopes, bindings and
/// calls), for [`external_calls`].
#[derive(Debug)]
pub struct ModelModule {
    rel: Arc<str>,
    summary: recon_semantic::ModuleSummary,
}

impl ModelModule {
    /// The module's path, relative to the project root.
    pub fn rel(&self) -> &str {
        &self.rel
    }

    /// A module known by its path only: it exists (so a package is a
    /// package, and a local `requests.py` shadows the library), but
    /// binds nothing the model reads.
    pub fn unread(rel: &str) -> ModelModule {
        ModelModule {
            rel: rel.into(),
            summary: recon_semantic::summarize_source("").unwrap_or_default(),
        }
    }
}

/// The calls of `modules` that the semantic model resolves to something
/// outside them (`requests.get`, `asyncio.create_task`), as the scan's
/// `external_calls` (which resolves over every module of the checkout):
/// imports followed across `modules`, names bound by their scopes, types
/// from syntax. In (file, line, column, callee) order.
pub fn external_calls(modules: Vec<ModelModule>) -> Vec<recon_findings::ExternalCall> {
    let program =
        recon_semantic::Program::new(modules.into_iter().map(|m| (m.rel, m.summary)).collect());
    call_findings(program.resolve(), 0).1
}

impl ModuleReader {
    /// Load the grammar and compile the queries (once per process).
    pub fn new() -> Result<ModuleReader, String> {
        let mut worker = python::Worker::new()?;
        // Only what the rules read: no call graph, and of the tree's
        // categories only the log calls and wall-clock durations.
        worker.summarize = false;
        worker.reading = python::Reading::Check;
        Ok(ModuleReader {
            worker,
            queries: python::queries()?,
        })
    }

    /// Read `src`, the text of the file at `path` (`rel` relative to the
    /// project root, `/`-separated); with `model`, its part of the
    /// semantic model too.
    pub fn read(&mut self, path: &Path, rel: &str, src: &str, model: bool) -> ModuleFindings {
        if !prefilter::may_match(Lang::Python, rel, src.as_bytes()) {
            return ModuleFindings::default();
        }
        self.worker.summarize = model;
        let mut found = self.worker.scan(self.queries, rel, src, true);
        exempt_script_prints(&mut found, path, rel, src);
        let at = SourcePositions::new(src);
        let found_in = &mut found.categories;
        ModuleFindings {
            print_calls: at.place(std::mem::take(&mut found_in.print_calls), |p| p.line),
            log_messages: at.place(std::mem::take(&mut found_in.log_messages), |m| m.line),
            except_bodies: at.place(std::mem::take(&mut found_in.except_bodies), |b| b.line),
            wall_clock_durations: at
                .place(std::mem::take(&mut found_in.wall_clock_durations), |d| {
                    d.line
                }),
            hardcoded_secrets: at
                .place(std::mem::take(&mut found_in.hardcoded_secrets), |s| s.line),
            units: found.units.map(ModuleUnits),
            errors: found.errors,
            model: found
                .module
                .map(|(rel, summary)| ModelModule { rel, summary }),
        }
    }
}

/// Where things are in one source text: a finding's 1-based line and
/// 0-based byte column as a [`recon_findings::Position`] (1-based column
/// in characters, what `recon check` prints), with one line index for the
/// whole text.
pub struct SourcePositions<'s> {
    src: &'s str,
    lines: common::LineIndex,
}

impl<'s> SourcePositions<'s> {
    pub fn new(src: &'s str) -> SourcePositions<'s> {
        SourcePositions {
            src,
            lines: common::LineIndex::new(src),
        }
    }

    /// The position of 1-based `line`, 0-based `byte_column`.
    pub fn at(&self, line: usize, byte_column: usize) -> recon_findings::Position {
        recon_findings::Position {
            line,
            column: self.lines.char_column(self.src, line, byte_column) + 1,
        }
    }

    /// A category's findings (each with its byte column) with their
    /// positions; `line` reads a finding's line.
    fn place<T>(
        &self,
        found: Vec<collect::WithColumn<T>>,
        line: fn(&T) -> usize,
    ) -> Vec<(recon_findings::Position, T)> {
        found
            .into_iter()
            .map(|(column, t)| (self.at(line(&t), column), t))
            .collect()
    }
}

/// One TypeScript, JavaScript or Svelte file read the way [`scan`] reads
/// it (tree-sitter; a Svelte file's scripts re-parsed as TypeScript), for
/// `recon check`, which takes files one at a time and reads only the
/// hard-coded secrets: a file holding no webhook marker is not read.
/// `.tsx` and `.jsx`, which the scan does not read, are read the same way
/// with TSX's grammar. One reader per worker thread.
pub struct FrontendReader {
    typescript: typescript::Worker,
    queries: &'static typescript::TsQueries,
    /// Made on the first `.tsx` or `.jsx` file.
    tsx: Option<(typescript::Worker, &'static typescript::TsQueries)>,
}

/// What [`FrontendReader::read`] finds in one file, each finding with where
/// it starts (1-based line, column in characters).
#[derive(Debug, Default)]
pub struct FrontendFindings {
    pub hardcoded_secrets: Vec<(recon_findings::Position, recon_findings::HardcodedSecret)>,
    /// What did not parse cleanly, or was not analysed.
    pub errors: Vec<FileError>,
}

impl FrontendReader {
    /// Load the grammars and compile the queries (once per process).
    pub fn new() -> Result<FrontendReader, String> {
        Ok(FrontendReader {
            typescript: typescript::Worker::new()?,
            queries: typescript::queries()?,
            tsx: None,
        })
    }

    /// Read `src`, the text of the file `rel` (relative to the project
    /// root, `/`-separated; its extension says how it is read).
    pub fn read(&mut self, rel: &str, src: &str) -> FrontendFindings {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let tsx = name.ends_with(".tsx") || name.ends_with(".jsx");
        let lang = if tsx {
            Lang::TypeScript
        } else {
            match language_of(rel) {
                Some(lang @ (Lang::TypeScript | Lang::Svelte)) => lang,
                _ => return FrontendFindings::default(),
            }
        };
        // Check reads only the hard-coded secrets: a file without a webhook
        // marker is not read at all (the scan's prefilter lets most files
        // through for its other categories).
        if !prefilter::may_hold_secret(src.as_bytes()) {
            return FrontendFindings::default();
        }
        if guard::parse_hazard(guard::Grammar::Other, src, guard::DEFAULT_MAX_PARSE_BYTES).is_some()
        {
            return FrontendFindings::default();
        }
        let mut found = if tsx {
            let reader = match &mut self.tsx {
                Some(reader) => reader,
                None => match typescript::Worker::tsx()
                    .and_then(|w| Ok((w, typescript::tsx_queries()?)))
                {
                    Ok(reader) => self.tsx.insert(reader),
                    Err(reason) => {
                        return FrontendFindings {
                            errors: vec![FileError {
                                file: rel.to_owned(),
                                reason,
                            }],
                            ..FrontendFindings::default()
                        };
                    }
                },
            };
            reader.0.scan_ts(reader.1, rel, src)
        } else if lang == Lang::Svelte {
            self.typescript.scan_svelte(self.queries, rel, src)
        } else {
            self.typescript.scan_ts(self.queries, rel, src)
        };
        let at = SourcePositions::new(src);
        FrontendFindings {
            hardcoded_secrets: at.place(
                std::mem::take(&mut found.categories.hardcoded_secrets),
                |s| s.line,
            ),
            errors: found.errors,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Files the prefilter rules out give nothing when parsed anyway.
    #[test]
    fn skipped_files_give_nothing() {
        let shared = Shared {
            python: Some(python::queries().unwrap()),
            typescript: Some(typescript::queries().unwrap()),
            shortcuts: false,
            max_parse_bytes: guard::DEFAULT_MAX_PARSE_BYTES as u64,
        };
        let mut workers = Workers::default();
        let dir = std::env::temp_dir().join(format!("recon-prefilter-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (rel, text) in [
            (
                "c.ts",
                "export const add = (a: number, b: number) => a + b;\n",
            ),
            (
                "d.svelte",
                "<script>\n  let n = 0;\n</script>\n<p>{n}</p>\n",
            ),
            ("e.sql", "INSERT INTO t VALUES (1);\nDO $$ BEGIN END $$;\n"),
        ] {
            let lang = language_of(rel).unwrap();
            assert!(!prefilter::may_match(lang, rel, text.as_bytes()), "{rel}");
            let path = dir.join(rel);
            std::fs::write(&path, text).unwrap();
            let file = files::SourceFile {
                path,
                rel: rel.to_owned(),
            };
            let out = scan_file(&mut workers, &shared, &file, lang);
            assert!(out.has_no_findings(), "{rel}: {out:?}");
            assert!(out.errors.is_empty(), "{rel}: {:?}", out.errors);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
