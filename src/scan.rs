//! `recon scan`: structural findings over a checkout, rendered as the
//! observability deliverable (Markdown, JSON, SARIF) or as raw findings.

use std::path::{Path, PathBuf};

use recon_report::{JsonPrinter, MarkdownPrinter, SarifPrinter};

use crate::cli::CliError;
use crate::deliverable::ReportPrinter;

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Checkout root to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write the output to FILE instead of stdout. It is rendered in full
    /// first: on any error nothing is written.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Render Markdown with this minijinja template instead of the built-in
    /// one (context: `report` and `findings`; see `--format json`).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Skip nothing: also files that .gitignore/.ignore exclude, hidden paths, node_modules, venvs, __pycache__ (never .git)
    #[arg(long)]
    pub no_ignore: bool,
    /// Do not parse files larger than this (bytes, or with a K/M/G suffix);
    /// they are listed under `errors` as not parsed.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_parse_size: u64,
}

/// Output formats of `recon scan`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The PHASE 2 OBSERVABILITY RECON RESULTS deliverable, in Markdown.
    Md,
    /// The findings (schema recon.findings/1) with the derived report under `report`.
    Json,
    /// The gaps as SARIF 2.1.0 results.
    Sarif,
    /// The typed findings alone (schema recon.findings/1).
    Findings,
}

pub fn run(args: ScanArgs) -> Result<u8, CliError> {
    // The template is read before anything else: a bad path fails fast.
    let template = match &args.template {
        None => None,
        Some(path) if args.format != Format::Md => {
            return Err(CliError::fatal(format!(
                "{}: --template applies to --format md only",
                path.display()
            )));
        }
        Some(path) => Some(read_template(path)?),
    };
    let opts = recon_syntax::ScanOptions {
        no_ignore: args.no_ignore,
        max_parse_bytes: Some(args.max_parse_size),
    };
    let findings =
        recon_syntax::scan(&args.path, &opts).map_err(|e| CliError::fatal(e.to_string()))?;
    let text = if args.format == Format::Findings {
        recon_output::pretty_json(&findings)?
    } else {
        let printer: Box<ReportPrinter> = match (args.format, template) {
            (Format::Md, Some((name, source))) => {
                Box::new(MarkdownPrinter::with_template(name, source))
            }
            (Format::Json, _) => Box::new(JsonPrinter),
            (Format::Sarif, _) => Box::new(SarifPrinter),
            _ => Box::new(MarkdownPrinter::default()),
        };
        crate::deliverable::render(&findings, &*printer)?
    };
    // The process ends next (see `deliverable::render`).
    std::mem::forget(findings);
    match &args.output {
        Some(path) => crate::write::file(path, text.as_bytes())?,
        None => crate::write::stdout(text.as_bytes())?,
    }
    Ok(0)
}

/// The template's name (its path as given) and source.
fn read_template(path: &Path) -> Result<(String, String), CliError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::fatal(format!("{name}: {}", recon_syntax::io_message(&e))))?;
    let source = String::from_utf8(bytes)
        .map_err(|_| CliError::fatal(format!("{name}: not valid UTF-8")))?;
    Ok((name, source))
}

/// `4096`, `512K`, `64M`, `1G` (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 4096, 512K, 64M)"))?;
    let scale: u64 = match unit {
        "" => 1,
        "K" | "k" => 1 << 10,
        "M" | "m" => 1 << 20,
        "G" | "g" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}`: unknown size suffix `{unit}` (K, M or G)"
            ));
        }
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too large"))
}
