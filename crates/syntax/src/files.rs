//! File selection: which files under the root a scan reads.
//!
//! What git would not ignore: `.gitignore` files (also outside a git
//! repository, and those of the root's parent directories), `.ignore` files,
//! `.git/info/exclude`; not the user's global excludes file, so a scan gives
//! the same answer on every machine. On top of that: no hidden path except
//! files named `.env*`, and never a directory (or file) named `node_modules`,
//! `venv`, `.venv`, `site-packages` or `__pycache__`. `no_ignore` drops all of
//! these filters. `.git` is never entered. Symbolic links are not followed and
//! not read.

use std::path::{Path, PathBuf};

use ignore::{DirEntry, WalkBuilder};
use recon_findings::FileError;

/// Directory names that are never scanned (unless `no_ignore`).
pub const EXCLUDED_NAMES: &[&str] = &[
    "node_modules",
    "venv",
    ".venv",
    "site-packages",
    "__pycache__",
];

/// A file the walk selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where to read it.
    pub path: PathBuf,
    /// The path relative to the scanned root, components joined with `/`.
    pub rel: String,
}

/// Every file under `root` the scan may read, sorted by `rel` (byte order),
/// and the walk errors met on the way (unreadable directories...).
pub fn select(root: &Path, no_ignore: bool) -> (Vec<SourceFile>, Vec<FileError>) {
    let mut builder = WalkBuilder::new(root);
    builder.follow_links(false);
    if no_ignore {
        builder.standard_filters(false);
    } else {
        builder
            .hidden(false) // our own rule below: `.env*` files stay
            .parents(true)
            .ignore(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false);
    }
    builder.filter_entry(move |entry| keep(entry, no_ignore));

    let mut files = Vec::new();
    let mut errors = Vec::new();
    for result in builder.build() {
        match result {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let rel = relative(root, entry.path());
                files.push(SourceFile {
                    path: entry.into_path(),
                    rel,
                });
            }
            Err(err) => errors.push(walk_error(root, &err)),
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    (files, errors)
}

fn keep(entry: &DirEntry, no_ignore: bool) -> bool {
    if entry.depth() == 0 {
        return true;
    }
    let name = entry.file_name().to_string_lossy();
    if name == ".git" {
        return false;
    }
    if no_ignore {
        return true;
    }
    if EXCLUDED_NAMES.contains(&name.as_ref()) {
        return false;
    }
    if name.starts_with('.') {
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        return is_file && name.starts_with(".env");
    }
    true
}

/// `path` relative to `root` with `/` separators. A root that is itself a file
/// gives its file name.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => match path.file_name() {
            Some(name) => Path::new(name),
            None => path,
        },
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

fn walk_error(root: &Path, err: &ignore::Error) -> FileError {
    let mut path = None;
    let mut current = err;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err;
            }
            _ => break,
        }
    }
    let reason = match current {
        ignore::Error::Io(io) => crate::io_message(io),
        other => other.to_string(),
    };
    FileError {
        file: path.map(|p| relative(root, &p)).unwrap_or_default(),
        reason,
    }
}
