//! `.env*` files: `KEY=VALUE` lines whose keys are alerting or model-provider
//! settings (`notifications` and `ai_providers`, kind `env_file`).
//!
//! A line is a definition when, after leading white space and an optional
//! `export` keyword followed by white space, it starts with a key
//! (`[A-Za-z_][A-Za-z0-9_]*`) followed by optional spaces or tabs and `=`.
//! Comment lines (`#`) and anything else are skipped; values are not read.

use recon_findings::{AiKind, AiProvider, Notification, NotificationKind};

use crate::collect::FileFindings;
use crate::common::{is_notification_env, provider_of_env};

/// The key a line defines, and its byte column.
pub fn key_of(line: &str) -> Option<(&str, usize)> {
    let trimmed = line.trim_start();
    let mut column = line.len() - trimmed.len();
    let mut rest = trimmed;
    if let Some(after) = rest.strip_prefix("export")
        && after.starts_with([' ', '\t'])
    {
        let key = after.trim_start();
        column += rest.len() - key.len();
        rest = key;
    }
    let end = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let after = rest[end..].trim_start_matches([' ', '\t']);
    after.starts_with('=').then(|| (&rest[..end], column))
}

pub(crate) fn scan(file: &str, src: &str) -> FileFindings {
    let mut out = FileFindings::default();
    for (row, text) in src.lines().enumerate() {
        let Some((key, column)) = key_of(text) else {
            continue;
        };
        let line = row + 1;
        if is_notification_env(key) {
            out.notifications.push((
                column,
                Notification {
                    file: file.to_owned(),
                    line,
                    kind: NotificationKind::EnvFile,
                    name: key.to_owned(),
                },
            ));
        }
        if let Some(provider) = provider_of_env(key) {
            out.ai_providers.push((
                column,
                AiProvider {
                    file: file.to_owned(),
                    line,
                    provider: Some(provider.to_owned()),
                    kind: AiKind::EnvFile,
                    name: key.to_owned(),
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(key_of("SMTP_HOST=x"), Some(("SMTP_HOST", 0)));
        assert_eq!(key_of("  export  A_1 = 2"), Some(("A_1", 10)));
        assert_eq!(key_of("export=1"), Some(("export", 0)));
        assert_eq!(key_of("# A=1"), None);
        assert_eq!(key_of("1A=1"), None);
        assert_eq!(key_of("A B=1"), None);
        assert_eq!(key_of("A"), None);
    }
}
