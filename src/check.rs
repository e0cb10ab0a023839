//! `recon check` and `recon rule`: observability rules for pre-commit.
//!
//! Exit status of `recon check`: 0 no violation, 1 violations (or, with
//! `--report`, the report file was out of date and has been regenerated), 2
//! usage, configuration or I/O error (a file named on the command line that
//! cannot be read is named on stderr; the other files are still checked and
//! printed). What a walk of the checkout (or of a named directory) cannot
//! read is listed on stderr as `warning: skipped PATH: reason` and does not
//! change the exit status.

use std::path::{Path, PathBuf};

use recon_rules::output::{GithubPrinter, JsonPrinter, Printer, SarifPrinter, TextPrinter};
use recon_rules::{Config, Diagnostic, Rule};

use crate::cli::CliError;
use crate::deliverable::ReportPrinter;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory). The project root, whose configuration applies and whose frontend and backend OBS010 reads, is the nearest directory above them holding recon.toml, a pyproject.toml with [tool.recon], or .git (else the current directory)
    pub files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Configuration file (default: recon.toml, else [tool.recon] of pyproject.toml, in the project root)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules: codes, code prefixes or names, comma-separated (replaces the configured selection)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Do not run these rules (added to the configured ignore list)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Report mode (the recon-report hook): regenerate FILE as `recon scan -o FILE` does (format from its extension: .md, .json, .sarif) on the current directory; exit 1 when FILE changed
    #[arg(long, value_name = "FILE", conflicts_with_all = ["select", "ignore", "config"])]
    pub report: Option<PathBuf>,
}

/// Output formats of `recon check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// `path:line:col: CODE message`, one violation a line
    Text,
    /// One JSON object, schema recon.check/1
    Json,
    /// SARIF 2.1.0
    Sarif,
    /// GitHub Actions annotations (`::error file=...,line=...::...`)
    Github,
}

#[derive(clap::Args, Debug)]
pub struct RuleArgs {
    /// Rule code or name, e.g. OBS003 (default: list every rule).
    pub code: Option<String>,
}

pub fn run(args: CheckArgs) -> Result<u8, CliError> {
    if let Some(file) = &args.report {
        return report(file);
    }
    let cwd = std::env::current_dir().map_err(|e| {
        CliError::fatal(format!(
            "current directory: {}",
            recon_syntax::io_message(&e)
        ))
    })?;
    let found = project_root(&cwd, &args.files)?;
    // At the current directory, everything is as it always was: paths as
    // given, output relative to it. Elsewhere, paths are made absolute and
    // output is shown relative to the current directory again.
    let (root, files, elsewhere) = match &found {
        Some(root) if *root != cwd => {
            let files = if args.files.is_empty() {
                vec![cwd.clone()]
            } else {
                args.files.iter().map(|f| cwd.join(f)).collect()
            };
            (root.clone(), files, true)
        }
        _ => (PathBuf::from("."), args.files.clone(), false),
    };
    let root = root.as_path();
    let mut config = Config::discover(root, args.config.as_deref())
        .map_err(|e| CliError::fatal(e.to_string()))?;
    if !args.select.is_empty() {
        config
            .override_select(&args.select)
            .map_err(CliError::fatal)?;
    }
    if !args.ignore.is_empty() {
        config
            .extend_ignore(&args.ignore)
            .map_err(CliError::fatal)?;
    }
    let mut report = recon_rules::check(root, &files, &config);
    if elsewhere {
        for d in &mut report.diagnostics {
            d.file = relative_from(&cwd, &root.join(&d.file));
        }
    }
    let printer: &dyn Printer<[Diagnostic], Output = String> = match args.format {
        CheckFormat::Text => &TextPrinter,
        CheckFormat::Json => &JsonPrinter,
        CheckFormat::Sarif => &SarifPrinter,
        CheckFormat::Github => &GithubPrinter,
    };
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for skipped in &report.skipped {
        eprintln!("warning: skipped {skipped}");
    }
    crate::write::print(printer, &report.diagnostics[..])?;
    if !report.errors.is_empty() {
        for error in &report.errors {
            eprintln!("error: {error}");
        }
        return Ok(2);
    }
    Ok(u8::from(!report.diagnostics.is_empty()))
}

/// The project root of the checked paths (the current directory when none
/// is given): the nearest root at or above each; `None` when no path has
/// one. Paths under two different roots are an error: their configurations
/// and OBS010's other sides differ.
fn project_root(cwd: &Path, paths: &[PathBuf]) -> Result<Option<PathBuf>, CliError> {
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![cwd.to_path_buf()]
    } else {
        paths.iter().map(|p| cwd.join(p)).collect()
    };
    let mut roots: Vec<(PathBuf, &Path)> = Vec::new();
    for (start, given) in starts.iter().zip(
        paths
            .iter()
            .map(PathBuf::as_path)
            .chain(std::iter::repeat(Path::new("."))),
    ) {
        let start = lexical(&std::path::absolute(start).unwrap_or_else(|_| start.clone()));
        let dir = if start.is_dir() {
            start.as_path()
        } else {
            start.parent().unwrap_or(&start)
        };
        let Some(root) = dir
            .ancestors()
            .find(|d| recon_rules::config::is_project_root(d))
        else {
            continue;
        };
        if !roots.iter().any(|(r, _)| r == root) {
            roots.push((root.to_path_buf(), given));
        }
    }
    match &roots[..] {
        [] => Ok(None),
        [(root, _)] => Ok(Some(root.clone())),
        [(a, first), (b, second), ..] => Err(CliError::fatal(format!(
            "{} and {} are in different projects ({} and {}): check each project on its own",
            first.display(),
            second.display(),
            a.display(),
            b.display()
        ))),
    }
}

/// `path` with `.` removed and `..` applied to what precedes it (as the
/// paths are given, without reading symlinks).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` as a path from `from`, `/`-separated (`sub/a.py` below it,
/// `../b.py` beside it).
fn relative_from(from: &Path, to: &Path) -> String {
    let from: Vec<_> = lexical(from)
        .components()
        .map(|c| c.as_os_str().to_owned())
        .collect();
    let to: Vec<_> = lexical(to)
        .components()
        .map(|c| c.as_os_str().to_owned())
        .collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `recon check --report FILE`: regenerate FILE exactly as `recon scan -o
/// FILE --format F` does (F from FILE's extension: `.md`, `.json`,
/// `.sarif`), on the current directory, and exit 1 when its content
/// changed. Writes FILE and nothing else.
fn report(file: &Path) -> Result<u8, CliError> {
    let shown = file.display().to_string();
    let printer: Box<ReportPrinter> = match file.extension().and_then(|e| e.to_str()) {
        Some("md") => Box::new(recon_report::MarkdownPrinter::default()),
        Some("json") => Box::new(recon_report::JsonPrinter),
        Some("sarif") => Box::new(recon_report::SarifPrinter),
        _ => {
            return Err(CliError::fatal(format!(
                "{shown}: the report file must end in .md, .json or .sarif (the format of `recon scan`)"
            )));
        }
    };
    let before = match std::fs::read(file) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(CliError::fatal(format!(
                "{shown}: {}",
                recon_syntax::io_message(&e)
            )));
        }
    };
    // The options of a plain `recon scan`.
    let findings = recon_syntax::scan(Path::new("."), &recon_syntax::ScanOptions::default())
        .map_err(|e| CliError::fatal(e.to_string()))?;
    let after = crate::deliverable::render(&findings, &*printer)?;
    std::mem::forget(findings);
    crate::write::file(file, after.as_bytes())?;
    if before.as_deref() == Some(after.as_bytes()) {
        return Ok(0);
    }
    let what = if before.is_some() {
        "was out of date and has been regenerated"
    } else {
        "did not exist and has been generated"
    };
    eprintln!("recon: {shown} {what}; review and stage it");
    Ok(1)
}

pub fn rule(args: RuleArgs) -> Result<u8, CliError> {
    let text = match &args.code {
        Some(code) => {
            let rule = Rule::from_code(code)
                .ok_or_else(|| CliError::fatal(format!("unknown rule: {code}")))?;
            format!("# {} {}\n\n{}", rule.code(), rule.name(), rule.doc())
        }
        None => {
            let mut text = String::new();
            for rule in Rule::ALL {
                text.push_str(&format!(
                    "{}  {:<30}  {}\n",
                    rule.code(),
                    rule.name(),
                    rule.summary()
                ));
            }
            text
        }
    };
    crate::write::stdout(text.as_bytes())?;
    Ok(0)
}
