//! One file, one parse, one walk: every rule that applies to the file's
//! language looks at every node.

use std::collections::HashMap;
use std::path::PathBuf;

use tree_sitter::{Node, Parser};

use crate::python;
use crate::rules::{self, Rule, Violation};
use crate::{Diagnostic, frontend};

/// Which grammar a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `.py`
    Python,
    /// `.ts .mts .cts .js .mjs .cjs`
    TypeScript,
    /// `.tsx .jsx`
    Tsx,
    /// `.svelte` (`<script>` bodies read as TypeScript)
    Svelte,
}

impl Language {
    /// The language of a path, by its extension; `None` for files no rule
    /// reads (SQL, Markdown...).
    pub fn of(rel: &str) -> Option<Language> {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        let ext = base.rsplit_once('.').map(|(_, e)| e)?;
        match ext {
            "py" => Some(Language::Python),
            "ts" | "mts" | "cts" | "js" | "mjs" | "cjs" => Some(Language::TypeScript),
            "tsx" | "jsx" => Some(Language::Tsx),
            "svelte" => Some(Language::Svelte),
            _ => None,
        }
    }
}

/// A file to check.
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// Where to read it.
    pub path: PathBuf,
    /// The path printed: relative to the checkout root, `/`-separated.
    pub rel: String,
    pub language: Language,
}

/// What a `# recon: ignore` comment on one line silences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// `# recon: ignore`
    All,
    /// `# recon: ignore[OBS001, OBS003]` (codes as written, upper-cased).
    Codes(Vec<String>),
}

impl Suppression {
    /// Whether this silences `rule`.
    pub fn covers(&self, rule: Rule) -> bool {
        match self {
            Suppression::All => true,
            Suppression::Codes(codes) => codes.iter().any(|c| c == rule.code()),
        }
    }

    fn merge(&mut self, other: Suppression) {
        match (&mut *self, other) {
            (Suppression::All, _) => {}
            (_, Suppression::All) => *self = Suppression::All,
            (Suppression::Codes(a), Suppression::Codes(b)) => a.extend(b),
        }
    }
}

/// Parse the suppression in a comment's text (`#` or `//` included), if any:
/// `recon:` then `ignore` (spaces allowed around), then optionally
/// `[CODE, CODE]`.
pub fn parse_suppression(comment: &str) -> Option<Suppression> {
    let at = comment.find("recon:")?;
    let rest = comment[at + "recon:".len()..].trim_start();
    let rest = rest.strip_prefix("ignore")?;
    match rest.strip_prefix('[') {
        Some(list) => {
            let end = list.find(']')?;
            let codes = list[..end]
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|c| !c.is_empty())
                .map(str::to_ascii_uppercase)
                .collect();
            Some(Suppression::Codes(codes))
        }
        None if rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()) => {
            Some(Suppression::All)
        }
        None => None,
    }
}

/// The outcome of one file.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Suppression comments by 1-based line.
    pub suppressions: HashMap<usize, Suppression>,
    /// Problems worth a warning that do not stop the check (syntax errors,
    /// invalid UTF-8).
    pub warnings: Vec<String>,
    /// Whether the text holds the word `type` (OBS010 needs it).
    pub mentions_type: bool,
    /// The module's part of the semantic model, when a rule that reads the
    /// model may find something in it, with the module's text (for the
    /// columns of what the model finds).
    pub model: Option<(recon_syntax::ModelModule, String)>,
}

impl FileOutcome {
    fn add_suppression(&mut self, line: usize, suppression: Suppression) {
        match self.suppressions.get_mut(&line) {
            Some(existing) => existing.merge(suppression),
            None => {
                self.suppressions.insert(line, suppression);
            }
        }
    }
}

/// One parser per language, reused across the files a worker checks.
pub struct Parsers {
    /// The scan's reading of a Python module (OBS001-OBS005 and OBS009
    /// read it).
    module: recon_syntax::ModuleReader,
    /// The scan's reading of a TypeScript or Svelte file (OBS009 reads
    /// it), made on the first such file (its queries take a while to
    /// compile, and a Python checkout needs none).
    frontend: Option<Result<recon_syntax::FrontendReader, String>>,
    /// The units holding `# recon:` comments (suppressions).
    python: Parser,
    typescript: Parser,
    tsx: Parser,
    svelte: Parser,
}

impl Parsers {
    /// Load every grammar.
    pub fn new() -> Result<Parsers, String> {
        Ok(Parsers {
            module: recon_syntax::ModuleReader::new()?,
            frontend: None,
            python: python::parser()?,
            typescript: frontend::parser(frontend::Dialect::TypeScript)?,
            tsx: frontend::parser(frontend::Dialect::Tsx)?,
            svelte: frontend::parser(frontend::Dialect::Svelte)?,
        })
    }
}

/// The diagnostics of the rules that read the scan's findings of a file.
pub(crate) struct Report<'a> {
    file: &'a str,
    out: Vec<Diagnostic>,
}

impl Report<'_> {
    /// Report `violation` at `at`.
    pub(crate) fn add<V: Violation>(&mut self, at: recon_findings::Position, violation: &V) {
        self.out.push(Diagnostic {
            file: self.file.to_owned(),
            line: at.line,
            column: at.column,
            rule: V::RULE,
            message: violation.message(),
        });
    }
}

/// OBS007 and OBS008: the semantic model over the modules read for it
/// ([`FileOutcome::model`], with each module's path and text), their
/// diagnostics.
pub(crate) fn check_model(modules: Vec<(recon_syntax::ModelModule, String)>) -> Vec<Diagnostic> {
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut model = Vec::with_capacity(modules.len());
    for (module, text) in modules {
        texts.insert(module.rel().to_owned(), text);
        model.push(module);
    }
    let calls = recon_syntax::external_calls(model);
    let mut out = Vec::new();
    // In file order: one file's calls at a time.
    for file_calls in calls.chunk_by(|a, b| a.file == b.file) {
        let file = &*file_calls[0].file;
        let text = texts.get(file).map_or("", String::as_str);
        // The model's columns are 1-based bytes.
        let at = recon_syntax::SourcePositions::new(text);
        let placed: Vec<(recon_findings::Position, &recon_findings::ExternalCall)> = file_calls
            .iter()
            .map(|c| (at.at(c.line, c.column.saturating_sub(1)), c))
            .collect();
        let mut report = Report {
            file,
            out: Vec::new(),
        };
        rules::obs007_http_request_without_timeout::check(&placed, &mut report);
        rules::obs008_fire_and_forget_task::check(&placed, &mut report);
        out.append(&mut report.out);
    }
    out
}

/// Call `f` on every node of the tree under `root`, in document order,
/// without recursion.
pub(crate) fn visit_all<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    let mut cursor = root.walk();
    loop {
        f(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Read a file's text ([`recon_syntax::decode_source`]), a warning naming
/// the first line of invalid UTF-8.
pub(crate) fn decode(bytes: &[u8], rel: &str, warnings: &mut Vec<String>) -> String {
    let (src, error) = recon_syntax::decode_source(bytes);
    if let Some(error) = error {
        warnings.push(format!("{rel}: {error}"));
    }
    src.into_owned()
}

/// The first line with a syntax error, if any.
fn first_error_line(root: Node<'_>) -> Option<usize> {
    if !root.has_error() {
        return None;
    }
    let mut line = None;
    visit_all(root, |n| {
        if line.is_none() && (n.is_error() || n.is_missing()) {
            line = Some(n.start_position().row + 1);
        }
    });
    line.or(Some(root.start_position().row + 1))
}

/// Check one file's text with every per-file rule (all but OBS010, which
/// needs the whole checkout, and OBS007/OBS008, which read the semantic
/// model of the checked modules: with `model`, a Python module that may
/// hold what they look for is read for it, in [`FileOutcome::model`]).
pub fn check_source(parsers: &mut Parsers, file: &FileInfo, src: &str, model: bool) -> FileOutcome {
    match file.language {
        Language::Python => check_python(parsers, file, src, model),
        Language::TypeScript | Language::Tsx | Language::Svelte => {
            let mut report = Report {
                file: &file.rel,
                out: Vec::new(),
            };
            let reader = parsers
                .frontend
                .get_or_insert_with(recon_syntax::FrontendReader::new);
            let reader_error = match reader {
                Ok(reader) => {
                    let found = reader.read(&file.rel, src);
                    rules::obs009_hardcoded_notification_secret::check(
                        &found.hardcoded_secrets,
                        &mut report,
                    );
                    None
                }
                Err(reason) => Some(format!("{}: {reason}", file.rel)),
            };
            // The walk gives the suppression comments and the warnings.
            let mut outcome = frontend::check(front_parsers(parsers, file.language), file, src);
            outcome.diagnostics = report.out;
            outcome.warnings.extend(reader_error);
            outcome
        }
    }
}

pub(crate) fn front_parsers(
    parsers: &mut Parsers,
    language: Language,
) -> frontend::FrontParsers<'_> {
    frontend::FrontParsers {
        typescript: if language == Language::Tsx {
            &mut parsers.tsx
        } else {
            &mut parsers.typescript
        },
        svelte: &mut parsers.svelte,
        language,
    }
}

/// A Python module: OBS001-OBS006 and OBS009 read the scan's findings of
/// it (the token pass, tree-sitter over the units its triggers select);
/// with `model`, it is also read for the semantic model OBS007 and OBS008
/// read when it may hold what they look for. Suppression comments are
/// read from a tree of the units holding `recon:`.
fn check_python(parsers: &mut Parsers, file: &FileInfo, src: &str, model: bool) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let model = model && (rules::may_find_in_model(src) || rules::names_a_model_library(&file.rel));
    let mut module = parsers.module.read(&file.path, &file.rel, src, model);
    outcome.model = module.model.take().map(|m| (m, src.to_owned()));
    outcome.warnings.extend(
        module
            .errors
            .iter()
            .map(|e| format!("{}: {}", file.rel, e.reason)),
    );
    let mut report = Report {
        file: &file.rel,
        out: Vec::new(),
    };
    rules::obs001_print_in_application_code::check(&module, &mut report);
    rules::obs002_swallowed_exception::check(&module, &mut report);
    rules::obs003_error_without_traceback::check(&module, &mut report);
    rules::obs004_eager_log_formatting::check(&module, &mut report);
    rules::obs005_root_logger_call::check(&module, &mut report);
    rules::obs006_wall_clock_duration::check(&module, &mut report);
    rules::obs009_hardcoded_notification_secret::check(&module.hardcoded_secrets, &mut report);
    outcome.diagnostics = report.out;
    if src.contains("recon:") {
        read_python_suppressions(parsers, file, src, module.units, &mut outcome);
    }
    outcome
}

/// The `# recon: ignore` comments of a module: tree-sitter over the units
/// whose text holds `recon:` (with the headers around them; the whole
/// module when the token pass did not read it), which also says where the
/// first syntax error of those units is.
fn read_python_suppressions(
    parsers: &mut Parsers,
    file: &FileInfo,
    src: &str,
    units: Option<recon_syntax::ModuleUnits>,
    outcome: &mut FileOutcome,
) {
    let ranges = units.map(|units| {
        let wanted: Vec<bool> = units
            .spans()
            .map(|span| src.get(span).is_some_and(|t| t.contains("recon:")))
            .collect();
        units.with_headers(src, &wanted)
    });
    let tree = match python::parse(&mut parsers.python, src, ranges.as_deref()) {
        Ok(tree) => tree,
        Err(reason) => {
            outcome.warnings.push(format!("{}: {reason}", file.rel));
            return;
        }
    };
    let root = tree.root_node();
    if outcome.warnings.is_empty()
        && let Some(line) = first_error_line(root)
    {
        outcome
            .warnings
            .push(format!("{}: syntax error at line {line}", file.rel));
    }
    visit_all(root, |node| {
        if node.kind() == "comment"
            && let Some(s) = parse_suppression(python::text(node, src))
        {
            outcome.add_suppression(node.start_position().row + 1, s);
        }
    });
}

/// Record the suppression comments found by a frontend walk.
pub(crate) fn add_comment_suppressions(outcome: &mut FileOutcome, comments: &[(usize, String)]) {
    for (line, text) in comments {
        if let Some(s) = parse_suppression(text) {
            outcome.add_suppression(*line, s);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments() {
        assert_eq!(parse_suppression("# recon: ignore"), Some(Suppression::All));
        assert_eq!(
            parse_suppression("# recon: ignore  (legacy)"),
            Some(Suppression::All)
        );
        assert_eq!(
            parse_suppression("# noqa  # recon:ignore[obs003, OBS004]"),
            Some(Suppression::Codes(vec!["OBS003".into(), "OBS004".into()]))
        );
        assert_eq!(
            parse_suppression("// recon: ignore[OBS010]"),
            Some(Suppression::Codes(vec!["OBS010".into()]))
        );
        assert_eq!(parse_suppression("# recon: ignored"), None);
        assert_eq!(parse_suppression("# recon: ignore[OBS003"), None);
        assert_eq!(parse_suppression("# ignore"), None);
    }

    /// The model gives byte columns; check prints characters.
    #[test]
    fn model_positions_count_characters() {
        let text = "a = 1\nñ = requests.get(u)\n";
        let lines = recon_syntax::SourcePositions::new(text);
        // `requests` is at byte column 5 (0-based) of line 2 (`ñ` is 2
        // bytes), the fifth character.
        let at = lines.at(2, 5);
        assert_eq!((at.line, at.column), (2, 5));
        assert_eq!(lines.at(1, 0).column, 1);
    }

    #[test]
    fn languages() {
        assert_eq!(Language::of("a/b.py"), Some(Language::Python));
        assert_eq!(Language::of("x.svelte"), Some(Language::Svelte));
        assert_eq!(Language::of("x.tsx"), Some(Language::Tsx));
        assert_eq!(Language::of("m/001.sql"), None);
        assert_eq!(Language::of("Makefile"), None);
    }
}
