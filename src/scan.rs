//! `recon scan`: structural findings over a checkout.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::CliError;

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Checkout root to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format (`json`: the typed findings, schema recon.findings/1).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Skip nothing: also files that .gitignore/.ignore exclude, hidden paths, node_modules, venvs, __pycache__ (never .git)
    #[arg(long)]
    pub no_ignore: bool,
}

/// Output formats of `recon scan`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The findings as one pretty-printed JSON object.
    Json,
}

pub fn run(args: ScanArgs) -> Result<u8, CliError> {
    let opts = recon_syntax::ScanOptions {
        no_ignore: args.no_ignore,
    };
    let findings =
        recon_syntax::scan(&args.path, &opts).map_err(|e| CliError::fatal(e.to_string()))?;
    let mut text = match args.format {
        Format::Json => serde_json::to_string_pretty(&findings)
            .map_err(|e| CliError::fatal(format!("cannot serialize findings: {e}")))?,
    };
    text.push('\n');
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(0),
        // `recon scan | head`: the reader is gone, nothing left to tell it.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(CliError::fatal(format!(
            "stdout: {}",
            recon_syntax::io_message(&e)
        ))),
    }
}
