//! What the outputs of every recon command share: the [`Printer`] trait
//! that each output format implements, the [`RenderError`] printers return,
//! and the SARIF 2.1.0 log of `recon scan` and `recon check` ([`sarif`]).
//!
//! A command's formats are sibling printers of one document type: the
//! report's Markdown, JSON and SARIF printers (`recon-report`), the check's
//! text, JSON, SARIF and GitHub printers (`recon-rules`), the run's text
//! and JSON transcript printers (the binary). The binary picks one from the
//! flags and writes what it returns.

use std::fmt;

pub mod sarif;

/// One output format of a command whose output is a `Doc`.
pub trait Printer<Doc: ?Sized> {
    /// `String` for text; bytes where the output carries bytes that need
    /// not be UTF-8 (the commands' output in a run's transcript).
    type Output: AsRef<[u8]>;

    /// The whole output, rendered in memory: on an error nothing has been
    /// written anywhere.
    fn print(&self, doc: &Doc) -> Result<Self::Output, RenderError>;
}

/// Why a printer failed.
#[derive(Debug)]
pub enum RenderError {
    /// A (user's) template did not parse or failed while rendering.
    Template { name: String, message: String },
    /// A value could not be serialised (a bug in recon).
    Serialize(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Template { name, message } => write!(f, "{name}: {message}"),
            RenderError::Serialize(message) => write!(f, "cannot serialize the output: {message}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// `value` as pretty-printed JSON with a final newline: the JSON outputs'
/// layout.
pub fn pretty_json(value: &impl serde::Serialize) -> Result<String, RenderError> {
    let mut out =
        serde_json::to_string_pretty(value).map_err(|e| RenderError::Serialize(e.to_string()))?;
    out.push('\n');
    Ok(out)
}
