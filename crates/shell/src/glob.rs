//! Pathname expansion of unquoted `*`, `?` and `[...]`, as bash does it:
//! component by component, a leading `.` matched only explicitly, results
//! sorted in byte order (the C locale), and the word left as written when
//! nothing matches.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::walk::{Checkout, fnmatch};

/// Whether `component` holds an unescaped glob character.
fn has_glob(component: &str) -> bool {
    let mut escaped = false;
    for c in component.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '*' | '?' | '[' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

/// Removes the escaping backslashes of a component without glob characters.
fn unescape(component: &str) -> String {
    let mut out = String::new();
    let mut escaped = false;
    for c in component.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

/// Expands `pattern` relative to `cwd` (absolute). `None` when nothing
/// matches (bash then passes the word on unchanged).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// for f in ["b.py", "a.py", ".h.py", "c.txt"] { std::fs::write(dir.path().join(f), "").unwrap(); }
/// let checkout = recon_shell::walk::Checkout::new(dir.path()).unwrap();
/// let got = recon_shell::glob::expand("*.py", &checkout, dir.path());
/// assert_eq!(got, Some(vec!["a.py".to_string(), "b.py".to_string()]));
/// assert_eq!(recon_shell::glob::expand("*.rs", &checkout, dir.path()), None);
/// ```
pub fn expand(pattern: &str, checkout: &Checkout, cwd: &Path) -> Option<Vec<String>> {
    let absolute = pattern.starts_with('/');
    let components: Vec<&str> = pattern.split('/').collect();
    // Each candidate: the path as it will be printed.
    let mut candidates: Vec<String> = vec![if absolute { "/".into() } else { String::new() }];
    let last = components.len() - 1;
    for (index, component) in components.iter().enumerate() {
        if component.is_empty() {
            // `a//b` or a leading/trailing `/`: keep the separator.
            if index != 0 {
                for c in &mut candidates {
                    c.push('/');
                }
            }
            continue;
        }
        let join = |prefix: &str, name: &str| -> String {
            if prefix.is_empty() || prefix.ends_with('/') {
                format!("{prefix}{name}")
            } else {
                format!("{prefix}/{name}")
            }
        };
        if !has_glob(component) {
            let literal = unescape(component);
            candidates = candidates.iter().map(|c| join(c, &literal)).collect();
            continue;
        }
        let explicit_dot = component.starts_with('.') || component.starts_with("\\.");
        let mut next = Vec::new();
        for prefix in &candidates {
            let dir = if prefix.is_empty() {
                cwd.to_path_buf()
            } else {
                cwd.join(prefix)
            };
            // Never list a directory outside the checkout; the literal word
            // that remains is then refused as a path leaving it.
            if !checkout.encloses(&dir) {
                continue;
            }
            let listing = checkout.list(&dir);
            let Ok(entries) = listing.as_ref() else {
                continue;
            };
            let mut names: Vec<&[u8]> = entries
                .iter()
                .map(|e| e.name.as_bytes())
                .filter(|n| explicit_dot || !n.starts_with(b"."))
                .filter(|n| fnmatch(component.as_bytes(), n))
                .collect();
            names.sort();
            for name in names {
                let name = String::from_utf8_lossy(name);
                let path = join(prefix, &name);
                // Only directories can hold further components.
                if index == last || cwd.join(&path).is_dir() {
                    next.push(path);
                }
            }
        }
        candidates = next;
        if candidates.is_empty() {
            return None;
        }
    }
    let mut found: Vec<String> = candidates
        .into_iter()
        .filter(|c| std::fs::symlink_metadata(cwd.join(OsStr::new(c))).is_ok())
        .collect();
    if found.is_empty() {
        return None;
    }
    found.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    Some(found)
}

/// The word bash passes on when a pattern matches nothing: quotes removed.
pub fn literal(pattern: &str) -> String {
    unescape(pattern)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn components_and_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("core/models")).unwrap();
        std::fs::write(dir.path().join("core/models.py"), "").unwrap();
        std::fs::write(dir.path().join("core/models/x.py"), "").unwrap();
        std::fs::write(dir.path().join("core/.hidden"), "").unwrap();
        let checkout = Checkout::new(dir.path()).unwrap();
        assert_eq!(
            expand("core/models*", &checkout, dir.path()).unwrap(),
            ["core/models", "core/models.py"]
        );
        assert_eq!(
            expand("*/models/*.py", &checkout, dir.path()).unwrap(),
            ["core/models/x.py"]
        );
        assert_eq!(
            expand("core/.h*", &checkout, dir.path()).unwrap(),
            ["core/.hidden"]
        );
        assert_eq!(expand("core/*", &checkout, dir.path()).unwrap().len(), 2);
        assert_eq!(expand(r"core/\*", &checkout, dir.path()), None);
        assert_eq!(literal(r"core/\*.py"), "core/*.py");
    }
}
