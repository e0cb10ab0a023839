//! Words the scan, the report and `recon check` must read the same way,
//! defined once.

/// Test code, by the conventions of pytest and of Jest/Vitest: a
/// directory component named `tests`, `test` or `__tests__`; a base name
/// `conftest.py`, `test_*.py` or `*_test.py`; a base name with a `.test.`
/// or `.spec.` part (`api.test.ts`, `Chat.spec.svelte`). Other names that
/// merely start with `test` (`test_setup.ts`, `testing/`) are not.
///
/// ```
/// use recon_findings::vocabulary::is_test_path;
/// assert!(is_test_path("tests/test_api.py"));
/// assert!(is_test_path("web/src/lib/__tests__/ws.ts"));
/// assert!(is_test_path("web/src/api.spec.ts"));
/// assert!(!is_test_path("web/test_setup.ts"));
/// ```
pub fn is_test_path(rel: &str) -> bool {
    let mut components: Vec<&str> = rel.split('/').collect();
    let base = components.pop().unwrap_or("");
    components
        .iter()
        .any(|c| matches!(*c, "tests" | "test" | "__tests__"))
        || base == "conftest.py"
        || (base.starts_with("test_") && base.ends_with(".py"))
        || base.ends_with("_test.py")
        || base.contains(".test.")
        || base.contains(".spec.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_by_convention() {
        for path in [
            "tests/x.py",
            "pkg/test/x.py",
            "a/__tests__/b.ts",
            "conftest.py",
            "pkg/conftest.py",
            "pkg/test_api.py",
            "pkg/api_test.py",
            "web/api.test.ts",
            "web/Chat.spec.svelte",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "web/test_setup.ts",
            "testing/x.py",
            "pkg/contest.py",
            "pkg/latest.py",
            "tests.py",
            "pkg/test_data.json.bak",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }
}
