//! The literal prefilter: a TypeScript, Svelte or SQL file none of whose
//! bytes hold any literal that some rule needs cannot give a finding, and
//! is not parsed. Python files always pass: every module is part of the
//! semantic model, and the token pass's triggers choose what tree-sitter
//! parses in them.
//!
//! Each list below has, for every rule of its language, a literal that any
//! match of the rule contains (compared ASCII case-insensitively): a name the
//! rule looks for (`getLogger`, `metrics`, `toast`...), a keyword (`except`,
//! `def`, `@` for decorators), or a value's text (`type`, `http`). A
//! backslash is one too: an escape in a string literal can spell any value.
//! SvelteKit route files and `.svelte` files under a `charts/` directory give
//! findings from their path alone and always pass; `.env*` files always pass.
//!
//! A test compares every category with and without the prefilter.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::Lang;

/// Literals of the TypeScript / Svelte rules.
pub const TYPESCRIPT: &[&str] = &[
    // websocket_messages
    "type",
    "\\",
    // frontend_notifications
    "toast",
    "notif",
    "alert",
    // charts: chart libraries and chart components
    "chart",
    "plot",
    "pancake",
    "unovis",
    "billboard",
    "c3",
    "d3",
    "layercake",
    "vega",
    // external_urls
    "http",
];

/// Literals of `hardcoded_secrets` in TypeScript and Svelte: the webhook
/// markers themselves (a TypeScript literal is never split, and its
/// escapes are read as written).
const TYPESCRIPT_SECRETS: &[&str] = recon_findings::vocabulary::WEBHOOK_MARKERS;

/// Literals of the SQL rules.
pub const SQL: &[&str] = &["table", "index"];

fn automaton(lists: &[&[&'static str]]) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(lists.iter().flat_map(|l| l.iter()))
        .ok()
}

fn matches(
    cell: &'static OnceLock<Option<AhoCorasick>>,
    lists: &[&[&'static str]],
    bytes: &[u8],
) -> bool {
    match cell.get_or_init(|| automaton(lists)) {
        Some(ac) => ac.is_match(bytes),
        None => true,
    }
}

/// Whether a TypeScript or Svelte file may hold a hard-coded secret (what
/// `recon check` reads of it): one of [`TYPESCRIPT_SECRETS`].
pub(crate) fn may_hold_secret(bytes: &[u8]) -> bool {
    static SECRETS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    matches(&SECRETS, &[TYPESCRIPT_SECRETS], bytes)
}

/// Whether a file may hold a finding (and so must be parsed).
pub(crate) fn may_match(lang: Lang, rel: &str, bytes: &[u8]) -> bool {
    static TS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static SQ: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    match lang {
        // Every module is part of the semantic model (its imports,
        // definitions and calls), so every one is read: the token pass is
        // cheap, and tree-sitter still parses only triggered units.
        Lang::Python => true,
        Lang::TypeScript | Lang::Svelte => {
            crate::typescript::path_findings(rel)
                || matches(&TS, &[TYPESCRIPT, TYPESCRIPT_SECRETS], bytes)
        }
        Lang::Sql => matches(&SQ, &[SQL], bytes),
        Lang::Env => true,
    }
}
