//! Snapshots: expected outputs kept as plain files under `tests/snapshots/`
//! (`report/` for `recon scan`'s reports, `check/` for `recon check`'s
//! rules) and checked by hand. `RECON_BLESS=1` rewrites them from the
//! output instead of comparing; read `git diff tests/snapshots` line by
//! line before committing.

use std::fs;

use super::run::line_diff;
use super::workspace;

/// Whether this run rewrites the snapshots (`RECON_BLESS=1`).
pub fn blessing() -> bool {
    std::env::var_os("RECON_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with `tests/snapshots/NAME` (`NAME` as `report/app.md`
/// or `check/obs001.txt`); with `RECON_BLESS=1`, writes it instead.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = workspace().join("tests/snapshots").join(name);
    if blessing() {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("mkdir -p {}: {e}", parent.display()));
        }
        fs::write(&path, actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with RECON_BLESS=1 to create it, then check it by hand)",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {} (- snapshot, + output):\n{}\
             (RECON_BLESS=1 rewrites it; check the diff by hand)",
            path.display(),
            first + 1,
            line_diff(&expected, actual),
        );
    }
}
