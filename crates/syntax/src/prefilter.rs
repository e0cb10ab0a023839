//! The literal prefilter: a TypeScript, Svelte or SQL file none of whose
//! bytes hold any literal that some rule needs cannot give a finding, and
//! is not parsed. Python files always pass: every module is part of the
//! semantic model, and the token pass's triggers choose what tree-sitter
//! parses in them.
//!
//! Each category of those languages declares, beside its rule, literals
//! any match of the rule contains (compared ASCII case-insensitively): a
//! name the rule looks for (`toast`, `chart`...), a keyword (`table`), or a
//! value's text (`type`, `http`); a backslash too where the rule reads a
//! string (an escape can spell any value). Each language registers its
//! categories in one table ([`crate::typescript::LITERALS`],
//! [`crate::sql::LITERALS`]), and the automata below are built from it.
//! SvelteKit route files and `.svelte` files under a `charts/` directory give
//! findings from their path alone and always pass; `.env*` files always pass.
//!
//! A test compares every category with and without the prefilter.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::Lang;

fn automaton(lists: &[&[&str]]) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(lists.iter().flat_map(|l| l.iter()))
        .ok()
}

fn matches(cell: &'static OnceLock<Option<AhoCorasick>>, lists: &[&[&str]], bytes: &[u8]) -> bool {
    match cell.get_or_init(|| automaton(lists)) {
        Some(ac) => ac.is_match(bytes),
        None => true,
    }
}

/// Whether a TypeScript or Svelte file may hold a hard-coded secret (what
/// `recon check` reads of it): one of its category's literals.
pub(crate) fn may_hold_secret(bytes: &[u8]) -> bool {
    static SECRETS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    matches(&SECRETS, &[crate::typescript::SECRET_LITERALS], bytes)
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
                || matches(&TS, crate::typescript::LITERALS, bytes)
        }
        Lang::Sql => matches(&SQ, crate::sql::LITERALS, bytes),
        Lang::Env => true,
    }
}
