//! Helpers of the `report_*` tests: run `recon scan`, read `path:line`
//! claims and sections out of a report (the snapshots are `snapshot`'s).

use std::path::Path;
use std::process::Output;

use super::workspace;

/// `recon scan ARGS...` from the workspace root.
pub fn recon_scan(args: &[&str]) -> Output {
    super::scan::recon_scan(args, &[])
}

/// stdout of a successful `recon scan ARGS...`.
pub fn scan_ok(args: &[&str]) -> String {
    let out = recon_scan(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "recon scan {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Every `path:line` claim in `text`: tokens (split at white space and
/// `` ` ( ) , ; ``) of the form `P:N` where `N` is a number and `P`'s last
/// component has a file extension.
pub fn locations(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || "`(),;".contains(c)) {
        let token = token.trim_end_matches(['.', ':']);
        let Some((path, line)) = token.rsplit_once(':') else {
            continue;
        };
        let Ok(line) = line.parse::<usize>() else {
            continue;
        };
        let base = path.rsplit('/').next().unwrap_or(path);
        let Some((stem, ext)) = base.rsplit_once('.') else {
            continue;
        };
        let is_ext = !ext.is_empty()
            && ext.len() <= 8
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && !ext.chars().all(|c| c.is_ascii_digit());
        if is_ext && (!stem.is_empty() || base.starts_with('.')) && !path.contains("://") {
            out.push((path.to_owned(), line));
        }
    }
    out
}

/// Panics unless `root/path` exists and has at least `line` lines.
pub fn assert_has_line(root: &Path, path: &str, line: usize) {
    let file = root.join(path);
    let text = std::fs::read(&file).unwrap_or_else(|e| {
        panic!(
            "the report cites {path}:{line}, but {}: {e}",
            file.display()
        )
    });
    let lines = text.split(|b| *b == b'\n').count() - usize::from(text.ends_with(b"\n"));
    assert!(
        line >= 1 && line <= lines,
        "the report cites {path}:{line}, but the file has {lines} lines"
    );
}

/// The headings of `md` (lines starting with `#`, outside fenced blocks)
/// and the text up to the next heading.
pub fn sections(md: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push((line.to_owned(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The DELIVERABLE skeleton of the built-in mission: its headings and its
/// bracketed slots (`[list in order]`...).
pub fn skeleton() -> (Vec<String>, Vec<String>) {
    let mission = std::fs::read_to_string(
        workspace().join("crates/mission/missions/observability_phase2.md"),
    )
    .unwrap();
    let start = mission.find("```markdown\n").expect("skeleton start") + "```markdown\n".len();
    let end = start + mission[start..].find("\n```").expect("skeleton end");
    let skeleton = &mission[start..end];
    let headings = skeleton
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_end().to_owned())
        .collect();
    let mut slots = Vec::new();
    for line in skeleton.lines() {
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']') else {
                break;
            };
            slots.push(rest[open..open + close + 1].to_owned());
            rest = &rest[open + close + 1..];
        }
    }
    (headings, slots)
}
