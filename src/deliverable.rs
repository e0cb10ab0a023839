//! The observability deliverable of a checkout's findings: what `recon
//! scan` prints and `recon check --report FILE` writes, from the libraries
//! (`recon_report::derive`, then one of the report's printers).

use recon_findings::Findings;
use recon_report::{Document, Printer};

use crate::cli::CliError;

/// Any of the report's printers (Markdown, JSON, SARIF).
pub type ReportPrinter = dyn for<'a> Printer<Document<'a>, Output = String>;

/// The report derived from `findings`, printed by `printer`.
pub fn render(findings: &Findings, printer: &ReportPrinter) -> Result<String, CliError> {
    let report = recon_report::derive(findings);
    let text = printer.print(&Document {
        findings,
        report: &report,
    })?;
    // The process ends next: freeing 10^5 call edges one by one would only
    // delay it (the OS takes the memory back at once).
    std::mem::forget(report);
    Ok(text)
}
