//! `recon check` and `recon rule`: observability rules for pre-commit.
//!
//! Exit status of `recon check`: 0 no violation, 1 violations (or, with
//! `--report`, the report file was out of date and has been regenerated), 2
//! usage, configuration or I/O error (a file named on the command line that
//! cannot be read is named on stderr; the other files are still checked and
//! printed). What a walk of the checkout (or of a named directory) cannot
//! read is listed on stderr as `warning: skipped PATH: reason` and does not
//! change the exit status.

use std::io::Write;
use std::path::{Path, PathBuf};

use recon_rules::{Config, Format, Rule};

use crate::cli::CliError;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check, relative to the current directory, which is the checkout root (default: the whole checkout)
    pub files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Configuration file (default: recon.toml, else [tool.recon] of pyproject.toml, in the current directory)
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
    let root = Path::new(".");
    if let Some(file) = &args.report {
        return report(file);
    }
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
    let report = recon_rules::check(root, &args.files, &config);
    let format = match args.format {
        CheckFormat::Text => Format::Text,
        CheckFormat::Json => Format::Json,
        CheckFormat::Sarif => Format::Sarif,
        CheckFormat::Github => Format::Github,
    };
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for skipped in &report.skipped {
        eprintln!("warning: skipped {skipped}");
    }
    write_stdout(&recon_rules::output::render(&report.diagnostics, format))?;
    if !report.errors.is_empty() {
        for error in &report.errors {
            eprintln!("error: {error}");
        }
        return Ok(2);
    }
    Ok(u8::from(!report.diagnostics.is_empty()))
}

fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::fatal(format!(
            "stdout: {}",
            recon_syntax::io_message(&e)
        ))),
    }
}

/// `recon check --report FILE`: regenerate FILE exactly as `recon scan -o
/// FILE --format F` does (F from FILE's extension: `.md`, `.json`,
/// `.sarif`), on the current directory, and exit 1 when its content
/// changed. Writes FILE and nothing else.
fn report(file: &Path) -> Result<u8, CliError> {
    let shown = file.display().to_string();
    let format = match file.extension().and_then(|e| e.to_str()) {
        Some("md") => crate::scan::Format::Md,
        Some("json") => crate::scan::Format::Json,
        Some("sarif") => crate::scan::Format::Sarif,
        _ => {
            return Err(CliError::fatal(format!(
                "{shown}: the report file must end in .md, .json or .sarif (the format of `recon scan`)"
            )));
        }
    };
    let read = |file: &Path| match std::fs::read(file) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::fatal(format!(
            "{shown}: {}",
            recon_syntax::io_message(&e)
        ))),
    };
    let before = read(file)?;
    crate::scan::run(crate::scan::ScanArgs {
        path: PathBuf::from("."),
        format,
        output: Some(file.to_path_buf()),
        template: None,
        no_ignore: false,
        max_parse_size: recon_syntax::guard::DEFAULT_MAX_PARSE_BYTES as u64,
    })?;
    let after = read(file)?;
    if before == after {
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
    write_stdout(&text)?;
    Ok(0)
}
