//! Observability rules for `recon check`, the pre-commit mode of recon.
//!
//! One file per rule under [`rules`], one struct per violation; a rule's doc
//! comment is its documentation and `recon rule CODE` prints it
//! ([`Rule::doc`]). [`check`] runs the enabled rules over a set of files,
//! each file read once:
//!
//! - **Python, OBS001-OBS006 and OBS009** read the findings `recon scan`
//!   makes of the module ([`recon_syntax::ModuleReader`]: the token pass
//!   for `print` calls and `except` bodies, tree-sitter over the units the
//!   scan's triggers select for log calls, wall-clock durations and
//!   hard-coded secrets), so a rule and the report's gap for the same
//!   concept flag the same lines (`tests/check_rules.rs`).
//! - **Python, OBS007 and OBS008** read the semantic model's external
//!   calls ([`recon_syntax::external_calls`]), built over the checked
//!   modules their `TRIGGER`s select, the others present by path.
//! - **TypeScript, JavaScript and Svelte**: OBS009 reads the scan's reading
//!   of the file ([`recon_syntax::FrontendReader`]).
//! - A `# recon: ignore` comment is the one thing read from a tree of the
//!   rules' own: the units holding `recon:` (the frontend file's tree).
//!
//! OBS010 needs more than the files checked (what one side
//! sends, the other must handle): when it is enabled and a checked file may
//! send, it reads the WebSocket messages of the side of the app across from
//! that file, in the whole checkout, and still reports only in the files
//! checked.
//!
//! Files run in parallel (rayon; one set of parsers per worker) and the
//! diagnostics are sorted by (path, line, column, code, message), so the
//! output is the same bytes at any thread count.
//!
//! ```no_run
//! use recon_rules::{check, Config};
//! let config = Config::discover(std::path::Path::new("."), None)?;
//! let report = check(std::path::Path::new("."), &["core/main.py".into()], &config);
//! for d in &report.diagnostics {
//!     println!("{}:{}:{}: {} {}", d.file, d.line, d.column, d.rule, d.message);
//! }
//! # Ok::<(), recon_rules::ConfigError>(())
//! ```

pub mod checker;
pub mod config;
mod frontend;
pub mod output;
mod python;
pub mod rules;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use recon_findings::{MessageDirection, Side, WebsocketMessage};
use recon_syntax::files;

pub use checker::{FileInfo, Language, Suppression, parse_suppression};
pub use config::{Config, ConfigError};
pub use rules::Rule;

/// One rule violation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Relative to the checkout root, `/`-separated.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub rule: Rule,
    pub message: String,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Sorted by (file, line, column, rule, message), duplicates removed.
    pub diagnostics: Vec<Diagnostic>,
    /// Files named on the command line that could not be read (`PATH:
    /// reason`): exit status 2.
    pub errors: Vec<String>,
    /// Files and directories met while walking the checkout (or a directory
    /// named on the command line) that could not be read (`PATH: reason`,
    /// e.g. `secret.py: Permission denied`): listed, not checked; the check
    /// goes on and they do not change the exit status.
    pub skipped: Vec<String>,
    /// Files read with trouble (syntax errors, invalid UTF-8): the check
    /// goes on.
    pub warnings: Vec<String>,
    /// How many files the rules read.
    pub files_checked: usize,
}

/// Check `files` (paths as given, relative to the current directory, which
/// is the checkout root `root`; directories are walked with the file
/// selection of `recon scan`), or the whole checkout when `files` is empty.
pub fn check(root: &Path, files: &[PathBuf], config: &Config) -> CheckReport {
    let mut report = CheckReport::default();
    let targets = targets(root, files, config, &mut report.errors, &mut report.skipped);

    let model_rules = config.enabled(Rule::Obs007) || config.enabled(Rule::Obs008);
    let mut per_file: Vec<(Option<String>, checker::FileOutcome)> = targets
        .par_iter()
        .map_init(checker::Parsers::new, |parsers, file| {
            let parsers = match parsers {
                Ok(p) => p,
                Err(e) => return (Some(format!("{}: {e}", file.rel)), Default::default()),
            };
            match std::fs::read(&file.path) {
                Ok(bytes) => {
                    let mut warnings = Vec::new();
                    let src = checker::decode(&bytes, &file.rel, &mut warnings);
                    let mut outcome = checker::check_source(parsers, file, &src, model_rules);
                    outcome.mentions_type = src.contains("type");
                    warnings.append(&mut outcome.warnings);
                    outcome.warnings = warnings;
                    (None, outcome)
                }
                Err(e) => (
                    Some(format!("{}: {}", file.rel, recon_syntax::io_message(&e))),
                    Default::default(),
                ),
            }
        })
        .collect();

    // OBS007 and OBS008 read the semantic model of the modules read for
    // it; the other checked modules are in it by their paths (which
    // directories are packages decides what an import reaches).
    let mut diagnostics = Vec::new();
    if per_file.iter().any(|(_, outcome)| outcome.model.is_some()) {
        let models: Vec<(recon_syntax::ModelModule, String)> = targets
            .iter()
            .zip(&mut per_file)
            .filter(|(file, (error, _))| file.language == Language::Python && error.is_none())
            .map(|(file, (_, outcome))| {
                outcome.model.take().unwrap_or_else(|| {
                    (recon_syntax::ModelModule::unread(&file.rel), String::new())
                })
            })
            .collect();
        diagnostics = checker::check_model(models);
    }
    let mut suppressions: HashMap<&str, &HashMap<usize, Suppression>> = HashMap::new();
    for (file, (error, outcome)) in targets.iter().zip(&per_file) {
        if let Some(error) = error {
            if file.named {
                report.errors.push(error.clone());
            } else {
                report.skipped.push(error.clone());
            }
            continue;
        }
        report.files_checked += 1;
        report.warnings.extend(outcome.warnings.iter().cloned());
        diagnostics.extend(outcome.diagnostics.iter().cloned());
        suppressions.insert(file.rel.as_str(), &outcome.suppressions);
    }

    // Both sides' `sent` rules need a `type` key written in the file: a
    // checked file without the word cannot hold a send site, and when none
    // has it, OBS010 has nothing to report and the checkout is not read.
    let senders: HashSet<&str> = targets
        .iter()
        .zip(&per_file)
        .filter(|(_, (error, outcome))| error.is_none() && outcome.mentions_type)
        .map(|(file, _)| file.rel.as_str())
        .collect();
    if config.enabled(Rule::Obs010) && !senders.is_empty() {
        let checked: HashSet<&str> = suppressions.keys().copied().collect();
        let messages = checkout_messages(root, &senders);
        diagnostics.extend(rules::obs010_unhandled_websocket_message::check(
            &messages,
            |file| checked.contains(file),
            |file, line| {
                let path = targets.iter().find(|t| t.rel == file)?.path.clone();
                let text = std::fs::read(path).ok()?;
                let text = String::from_utf8_lossy(&text);
                text.lines().nth(line.checked_sub(1)?).map(str::to_owned)
            },
        ));
    }

    diagnostics.retain(|d| {
        config.reports(d.rule, &d.file)
            && !suppressions
                .get(d.file.as_str())
                .and_then(|s| s.get(&d.line))
                .is_some_and(|s| s.covers(d.rule))
    });
    diagnostics.sort();
    diagnostics.dedup();
    report.diagnostics = diagnostics;
    report.errors.sort();
    report.skipped.sort();
    report.warnings.sort();
    report
}

/// A file to check and whether it was named on the command line (a named
/// file that cannot be read is an error; one the walk found is skipped).
struct Target {
    info: FileInfo,
    named: bool,
}

impl std::ops::Deref for Target {
    type Target = FileInfo;
    fn deref(&self) -> &FileInfo {
        &self.info
    }
}

/// The files to check, sorted by `rel`, deduplicated, `exclude` applied.
/// A named path that cannot be read goes to `errors`; what a walk cannot
/// read goes to `skipped`.
fn targets(
    root: &Path,
    files: &[PathBuf],
    config: &Config,
    errors: &mut Vec<String>,
    skipped: &mut Vec<String>,
) -> Vec<Target> {
    let mut out = Vec::new();
    let mut push = |path: PathBuf, rel: String, named: bool| {
        if let Some(language) = Language::of(&rel)
            && !config.excluded(&rel)
        {
            out.push(Target {
                info: FileInfo {
                    path,
                    rel,
                    language,
                },
                named,
            });
        }
    };
    if files.is_empty() {
        let (selected, walk_errors) = files::select(root, false);
        skipped.extend(
            walk_errors
                .into_iter()
                .map(|e| format!("{}: {}", e.file, e.reason)),
        );
        for f in selected {
            push(f.path, f.rel, false);
        }
    } else {
        let absolute_root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        for given in files {
            let shown = given.display().to_string();
            let metadata = match std::fs::metadata(given) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(format!("{shown}: {}", recon_syntax::io_message(&e)));
                    continue;
                }
            };
            let rel = relative_to_root(&absolute_root, given);
            if metadata.is_dir() {
                // The named directory itself must be readable; below it, the
                // walk skips what it cannot read.
                if let Err(e) = std::fs::read_dir(given) {
                    errors.push(format!("{shown}: {}", recon_syntax::io_message(&e)));
                    continue;
                }
                let (selected, walk_errors) = files::select(given, false);
                let join = |sub: &str| match rel.as_str() {
                    "" => sub.to_owned(),
                    dir => format!("{dir}/{sub}"),
                };
                skipped.extend(
                    walk_errors
                        .into_iter()
                        .map(|e| format!("{}: {}", join(&e.file), e.reason)),
                );
                for f in selected {
                    let rel = join(&f.rel);
                    push(f.path, rel, false);
                }
            } else {
                push(given.clone(), rel, true);
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.dedup_by(|a, b| a.rel == b.rel);
    out
}

/// A path given on the command line as printed: relative to the checkout
/// root, `/`-separated, `.` and `..` resolved lexically. A path outside the
/// root keeps its lexical form (absolute, or with leading `..`).
fn relative_to_root(absolute_root: &Path, given: &Path) -> String {
    let absolute = if given.is_absolute() {
        given.to_path_buf()
    } else {
        absolute_root.join(given)
    };
    let normal = normalize(&absolute);
    let root = normalize(absolute_root);
    match normal.strip_prefix(&root) {
        Ok(rel) => join_components(rel),
        Err(_) if given.is_absolute() => normal.display().to_string(),
        Err(_) => join_components(&normalize_relative(given)),
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn normalize_relative(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

fn join_components(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The WebSocket messages OBS010 needs, test code left out.
///
/// A send is only flagged when the side across from its file handles some
/// type, and handled types can be anywhere on that side: the sides across
/// from the checked senders are read whole first, then only the senders
/// whose side across handles anything. A checked Python file thus needs
/// the frontend read, not the rest of the backend, and in a repository
/// with one side only no file is parsed at all.
fn checkout_messages(root: &Path, senders: &HashSet<&str>) -> Vec<WebsocketMessage> {
    let scope = MessageScope::new(senders);
    // The senders' queries compile while the sides across are read.
    let (mut messages, ()) = rayon::join(
        || websocket_messages(root, &|rel: &str| scope.across(rel)),
        || recon_syntax::prepare(senders.iter().copied()),
    );
    let mut handling: Vec<Side> = messages
        .iter()
        .filter(|m| m.direction == MessageDirection::Handled)
        .map(|m| m.side)
        .collect();
    handling.sort();
    handling.dedup();
    if !handling.is_empty() {
        messages.extend(websocket_messages(root, &|rel: &str| {
            scope.sends_into(rel, &handling)
        }));
    }
    messages
}

/// The WebSocket messages of the files `keep` accepts, test code left out.
fn websocket_messages(root: &Path, keep: &(dyn Fn(&str) -> bool + Sync)) -> Vec<WebsocketMessage> {
    let mut messages =
        match recon_syntax::scan_only(root, &recon_syntax::ScanOptions::default(), keep) {
            Ok(findings) => findings.websocket_messages,
            Err(_) => Vec::new(),
        };
    messages.retain(|m| !recon_findings::vocabulary::is_test_path(&m.file));
    messages
}

/// Which checkout files OBS010 reads for a set of checked files that may
/// send (`senders`).
struct MessageScope<'a> {
    senders: &'a HashSet<&'a str>,
    /// The sides across from the senders' sides.
    across: Vec<Side>,
}

impl<'a> MessageScope<'a> {
    fn new(senders: &'a HashSet<&'a str>) -> Self {
        let mut across: Vec<Side> = senders
            .iter()
            .filter_map(|rel| recon_syntax::side_of(rel))
            .map(other_side)
            .collect();
        across.sort();
        across.dedup();
        MessageScope { senders, across }
    }

    /// A file of a side across from some sender: read whole, for the types
    /// it handles.
    fn across(&self, rel: &str) -> bool {
        recon_syntax::side_of(rel).is_some_and(|side| self.across.contains(&side))
    }

    /// A sender not read with the sides across, whose own side across
    /// handles some type (`handling`).
    fn sends_into(&self, rel: &str, handling: &[Side]) -> bool {
        self.senders.contains(rel)
            && !self.across(rel)
            && recon_syntax::side_of(rel).is_some_and(|side| handling.contains(&other_side(side)))
    }
}

fn other_side(side: Side) -> Side {
    match side {
        Side::Backend => Side::Frontend,
        Side::Frontend => Side::Backend,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn obs010_reads_the_side_across_then_the_senders_it_can_judge() {
        use Side::{Backend, Frontend};
        let backend: HashSet<&str> = ["core/main.py"].into_iter().collect();
        let scope = MessageScope::new(&backend);
        assert!(scope.across("frontend/src/lib/ws.ts"));
        assert!(scope.across("frontend/src/routes/+page.svelte"));
        assert!(!scope.across("core/db.py"), "the rest of the backend");
        assert!(!scope.across("migrations/001.sql"));
        assert!(scope.sends_into("core/main.py", &[Frontend]));
        assert!(
            !scope.sends_into("core/main.py", &[]),
            "no frontend handler"
        );
        assert!(!scope.sends_into("core/main.py", &[Backend]));
        assert!(!scope.sends_into("core/db.py", &[Frontend]), "not checked");

        let frontend: HashSet<&str> = ["frontend/src/lib/ws.ts"].into_iter().collect();
        let scope = MessageScope::new(&frontend);
        assert!(scope.across("core/db.py"));
        assert!(!scope.across("frontend/src/lib/other.ts"));
        assert!(scope.sends_into("frontend/src/lib/ws.ts", &[Backend]));

        // Both sides checked: each side is read whole, once.
        let both: HashSet<&str> = ["core/main.py", "frontend/src/lib/ws.ts"]
            .into_iter()
            .collect();
        let scope = MessageScope::new(&both);
        assert!(scope.across("core/db.py") && scope.across("frontend/src/lib/other.ts"));
        assert!(!scope.sends_into("core/main.py", &[Backend, Frontend]));
    }

    #[test]
    fn paths_relative_to_root() {
        let root = Path::new("/work/repo");
        assert_eq!(relative_to_root(root, Path::new("./a/b.py")), "a/b.py");
        assert_eq!(relative_to_root(root, Path::new("a/../c.py")), "c.py");
        assert_eq!(
            relative_to_root(root, Path::new("/work/repo/x/y.ts")),
            "x/y.ts"
        );
        assert_eq!(relative_to_root(root, Path::new("/tmp/z.py")), "/tmp/z.py");
        assert_eq!(
            relative_to_root(root, Path::new("../other/z.py")),
            "../other/z.py"
        );
        assert_eq!(relative_to_root(root, Path::new(".")), "");
    }
}
