//! Where every command's output goes: stdout, or a file. The only writer
//! of stdout in recon.

use std::io::Write;
use std::path::Path;

use recon_output::Printer;

use crate::cli::CliError;

/// Print `doc` with `printer` to stdout. It is rendered in full first: on
/// an error nothing is written.
pub fn print<Doc, P>(printer: &P, doc: &Doc) -> Result<(), CliError>
where
    Doc: ?Sized,
    P: Printer<Doc> + ?Sized,
{
    let output = printer.print(doc)?;
    stdout(output.as_ref())
}

/// Write `bytes` to stdout. A reader that went away (`recon scan | head`)
/// is not an error: there is no one left to tell.
pub fn stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::fatal(format!(
            "stdout: {}",
            recon_syntax::io_message(&e)
        ))),
    }
}

/// Write `bytes` to the file `path`, replacing it.
pub fn file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|e| {
        CliError::fatal(format!(
            "{}: {}",
            path.display(),
            recon_syntax::io_message(&e)
        ))
    })
}
