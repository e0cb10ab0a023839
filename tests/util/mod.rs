//! Helpers shared by the integration tests: the workspace, the `recon`
//! binary, files written at test time, and snapshots (`snapshot`). The
//! sub-modules hold what one area of tests needs: `run` (missions replayed
//! through bash, the edge-case checkout), `scan` (`recon scan`, the Python
//! oracles, generated corpora) and `report` (report claims and sections).

pub mod report;
pub mod run;
pub mod scan;
pub mod snapshot;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (where `Cargo.toml`, `fixtures/` and `crates/` live).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `Command` for the `recon` binary built by cargo for this test run.
pub fn recon() -> Command {
    Command::new(env!("CARGO_BIN_EXE_recon"))
}

/// Writes `bytes` to `root/rel`, creating the directories above it.
pub fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir -p {}: {e}", parent.display()));
    }
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
