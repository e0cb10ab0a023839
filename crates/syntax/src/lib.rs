//! Structural scanning: select a checkout's files, parse them with
//! tree-sitter, run the queries of `queries/<lang>/*.scm` and turn the matches
//! into [`recon_findings::Findings`].
//!
//! The rules for each category are documented in `recon-findings`; the file
//! selection in [`files`].
//!
//! Files are parsed in parallel (rayon; one parser and query cursor per worker,
//! the compiled queries shared), and results are put back in a fixed order:
//! the output is byte-identical at any thread count.
//!
//! ```no_run
//! use recon_syntax::{scan, ScanOptions};
//! let findings = scan(std::path::Path::new("."), &ScanOptions::default())?;
//! println!("{} routes", findings.routes.len());
//! # Ok::<(), recon_syntax::ScanError>(())
//! ```

pub mod files;
mod python;

use std::fmt;
use std::path::Path;

use rayon::prelude::*;
use recon_findings::{FileError, Findings, HttpMethod, WebsocketEndpoint};

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Read every file: no ignore files, hidden paths, `node_modules`...
    pub no_ignore: bool,
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
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Scan the checkout at `root`.
///
/// Fails only when `root` cannot be read or a built-in query does not compile;
/// a file that cannot be read or parse cleanly is listed in `errors` and the
/// scan goes on.
pub fn scan(root: &Path, opts: &ScanOptions) -> Result<Findings, ScanError> {
    std::fs::metadata(root).map_err(|e| ScanError::Root {
        path: root.display().to_string(),
        message: io_message(&e),
    })?;
    let queries = python::queries().map_err(ScanError::Internal)?;
    // Fail early (not per file) if the grammar does not load.
    python::Worker::new().map_err(ScanError::Internal)?;

    let (selected, walk_errors) = files::select(root, opts.no_ignore);
    let python_files: Vec<&files::SourceFile> =
        selected.iter().filter(|f| f.rel.ends_with(".py")).collect();

    let per_file: Vec<python::FileFindings> = python_files
        .par_iter()
        .map_init(python::Worker::new, |worker, file| match worker {
            Ok(worker) => scan_python_file(worker, queries, file),
            Err(message) => python::FileFindings {
                errors: vec![FileError {
                    file: file.rel.clone(),
                    reason: message.clone(),
                }],
                ..Default::default()
            },
        })
        .collect();

    let mut findings = Findings {
        root: Some(root.display().to_string()),
        files_scanned: python_files.len(),
        errors: walk_errors,
        ..Findings::default()
    };
    let mut all = python::FileFindings::default();
    for file in per_file {
        all.append(file);
    }
    findings.routes = sorted(all.routes, |r| (&r.file, r.line));
    findings.middleware = sorted(all.middleware, |m| (&m.file, m.line));
    findings.loggers = sorted(all.loggers, |l| (&l.file, l.line));
    findings.log_calls = sorted(all.log_calls, |c| (&c.file, c.line));
    findings.except_handlers = sorted(all.except_handlers, |e| (&e.file, e.line));
    findings.websocket_endpoints = findings
        .routes
        .iter()
        .filter(|r| r.method == HttpMethod::Websocket)
        .map(|r| WebsocketEndpoint {
            file: r.file.clone(),
            line: r.line,
            path: r.path.clone(),
            handler: r.handler.clone(),
        })
        .collect();
    findings.websocket_messages = sorted(all.websocket_messages, |m| (&m.file, m.line));
    findings.context_carriers = sorted(all.context_carriers, |c| (&c.file, c.line));
    findings.timing = sorted(all.timing, |t| (&t.file, t.line));
    findings.metrics_calls = sorted(all.metrics_calls, |m| (&m.file, m.line));
    findings.background_tasks = sorted(all.background_tasks, |b| (&b.file, b.line));
    findings.errors.extend(all.errors);
    findings.errors.sort();
    Ok(findings)
}

fn scan_python_file(
    worker: &mut python::Worker,
    queries: &python::PythonQueries,
    file: &files::SourceFile,
) -> python::FileFindings {
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => {
            return python::FileFindings {
                errors: vec![FileError {
                    file: file.rel.clone(),
                    reason: io_message(&err),
                }],
                ..Default::default()
            };
        }
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let (src, utf8_error) = match std::str::from_utf8(bytes) {
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
    };
    let mut out = worker.scan(queries, &file.rel, &src);
    if let Some(reason) = utf8_error {
        out.errors.push(FileError {
            file: file.rel.clone(),
            reason,
        });
    }
    out
}

/// Sort by `(file, line)`, then column, then the finding itself.
fn sorted<T: Ord>(mut items: Vec<(usize, T)>, key: impl Fn(&T) -> (&String, usize)) -> Vec<T> {
    items.sort_by(|(col_a, a), (col_b, b)| {
        key(a).cmp(&key(b)).then(col_a.cmp(col_b)).then(a.cmp(b))
    });
    items.into_iter().map(|(_, item)| item).collect()
}
