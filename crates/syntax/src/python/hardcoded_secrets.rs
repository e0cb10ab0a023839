//! `hardcoded_secrets` in Python: webhook URLs with their token and SMTP
//! passwords written in string literals (the rule is on
//! [`recon_findings::HardcodedSecret`]; `recon check` OBS009 reads it).
//!
//! Every finding is a string literal, so the extractor reads the strings
//! topic's literals and looks up from each at what it is given to.

use recon_findings::vocabulary::{is_smtp_password_name, webhook_host, webhook_marker_in};
use recon_findings::{HardcodedSecret, SecretKind};
use tree_sitter::Node;

use super::ancestry::Ancestry;
use super::imports::Imports;
use super::text::{keyword_arg, last_segment, positional_args, string_parts, text};
use super::{Document, WithColumn};

/// What a unit's text must hold for this rule to find anything in it: a
/// webhook host of [`recon_findings::vocabulary::WEBHOOK_MARKERS`] (the
/// host alone: a URL may be split over implicitly concatenated strings
/// after it), or `smtp` in any case (a password's name, an SMTP receiver);
/// in a module that imports an SMTP library, also `login`.
const TRIGGER: &str = r"slack\.com|discord(?:app)?\.com|office\.com|(?i:smtp)";

/// [`TRIGGER`], compiled.
fn trigger() -> &'static regex_automata::meta::Regex {
    static TRIGGER_REGEX: std::sync::OnceLock<regex_automata::meta::Regex> =
        std::sync::OnceLock::new();
    #[allow(clippy::expect_used)] // a constant pattern, tested below
    TRIGGER_REGEX
        .get_or_init(|| regex_automata::meta::Regex::new(TRIGGER).expect("the trigger compiles"))
}

/// Which units of a module may hold a hard-coded secret, by their text
/// (comments included): the trigger for `units::selected`.
pub(crate) struct UnitTrigger<'s> {
    src: &'s str,
    /// The module's text matches [`TRIGGER`] somewhere.
    anywhere: bool,
    /// The module imports an SMTP library: any `X.login(...)` counts.
    smtp_import: bool,
}

impl<'s> UnitTrigger<'s> {
    pub(crate) fn new(src: &'s str, imports: &[super::imports::Raw]) -> Self {
        let smtp_import = imports.iter().any(|raw| {
            let (_, target) = raw.binding();
            is_in_any(target, &SMTP_MODULES)
        });
        UnitTrigger {
            src,
            anywhere: trigger().is_match(src),
            smtp_import,
        }
    }

    /// Whether the unit at `bytes` may hold one.
    pub(crate) fn fires(&self, bytes: std::ops::Range<usize>) -> bool {
        if !(self.anywhere || self.smtp_import) {
            return false;
        }
        let text = self.src.get(bytes).unwrap_or("");
        (self.anywhere && trigger().is_match(text)) || (self.smtp_import && text.contains("login"))
    }
}

/// Whether the dotted name `target` is one of `modules` or inside one.
pub(super) fn is_in_any(target: &str, modules: &[&str]) -> bool {
    modules.iter().any(|m| {
        target
            .strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// The modules whose import makes any `X.login(user, "...")` an SMTP login.
pub(super) const SMTP_MODULES: [&str; 2] = ["smtplib", "aiosmtplib"];

pub(super) fn extract<'t>(
    strings: &[Node<'t>],
    imports: &Imports,
    ancestry: &Ancestry<'t>,
    ctx: &Document<'_>,
) -> Vec<WithColumn<HardcodedSecret>> {
    let mut found = Vec::new();
    let smtp_module = imports.imports_any(&SMTP_MODULES);
    let mut push = |node: Node<'_>, kind: SecretKind, name: String| {
        found.push((
            node.start_position().column,
            HardcodedSecret {
                file: ctx.file.to_owned(),
                line: ctx.line(node),
                kind,
                name,
            },
        ));
    };
    for &node in strings {
        let parent = ancestry.place(node).and_then(|p| p.parent);
        // A part of an implicit concatenation is read with the whole.
        if node.kind() == "string" && parent.is_some_and(|p| p.kind() == "concatenated_string") {
            continue;
        }
        if let Some(marker) = literal_text(node, ctx.src)
            .as_deref()
            .and_then(webhook_marker_in)
        {
            push(
                node,
                SecretKind::WebhookUrl,
                webhook_host(marker).to_owned(),
            );
        }
        if !is_secret_literal(node, ctx.src) {
            continue;
        }
        // The literal with its parentheses, and what holds that.
        let (mut value, mut holder) = (node, parent);
        while let Some(p) = holder.filter(|p| p.kind() == "parenthesized_expression") {
            (value, holder) = (p, p.parent());
        }
        let Some(holder) = holder else { continue };
        for name in smtp_password_names(value, holder, smtp_module, ctx.src) {
            push(value, SecretKind::SmtpPassword, name);
        }
    }
    found
}

/// The names under which `holder` gives `value` (a secret literal, with its
/// parentheses) as an SMTP password: each assignment target of a chain,
/// the keyword, the dict key, or `login` for an SMTP login's password.
fn smtp_password_names(
    value: Node<'_>,
    holder: Node<'_>,
    smtp_module: bool,
    src: &str,
) -> Vec<String> {
    let is_value = |n: Node<'_>, field: &str| n.child_by_field_name(field) == Some(value);
    let mut names = Vec::new();
    match holder.kind() {
        "assignment" if is_value(holder, "right") => {
            // `a = b = "x"` nests: each assignment of the chain is a target.
            let mut assignment = Some(holder);
            let mut right = value;
            while let Some(a) = assignment.filter(|a| a.kind() == "assignment") {
                if a.child_by_field_name("right") != Some(right) {
                    break;
                }
                if let Some(name) = a
                    .child_by_field_name("left")
                    .and_then(|t| last_segment(t, src))
                    .filter(|n| is_smtp_password_name(n))
                {
                    names.push(name.to_owned());
                }
                right = a;
                assignment = a.parent();
            }
        }
        "keyword_argument" if is_value(holder, "value") => {
            if let Some(name) = holder.child_by_field_name("name").map(|n| text(n, src)) {
                if is_smtp_password_name(name) {
                    names.push(name.to_owned());
                }
                if name == "password"
                    && holder
                        .parent()
                        .and_then(|arguments| arguments.parent())
                        .is_some_and(|call| is_smtp_login(call, smtp_module, src))
                {
                    names.push("login".to_owned());
                }
            }
        }
        "pair" if is_value(holder, "value") => {
            if let Some(key) = holder
                .child_by_field_name("key")
                .and_then(|k| plain_string(k, src))
                .filter(|k| is_smtp_password_name(k))
            {
                names.push(key);
            }
        }
        // As Python binds it: `password=` first, else the second
        // positional argument.
        "argument_list"
            if keyword_arg(holder, "password", src).is_none()
                && positional_args(holder).get(1) == Some(&value)
                && holder
                    .parent()
                    .is_some_and(|call| is_smtp_login(call, smtp_module, src)) =>
        {
            names.push("login".to_owned());
        }
        _ => {}
    }
    names
}

/// `X.login(...)` when the module imports an SMTP library or `X`'s last
/// segment contains `smtp` (any case).
fn is_smtp_login(call: Node<'_>, smtp_module: bool, src: &str) -> bool {
    let Some(function) = call
        .child_by_field_name("function")
        .filter(|f| call.kind() == "call" && f.kind() == "attribute")
    else {
        return false;
    };
    let is_login = function
        .child_by_field_name("attribute")
        .is_some_and(|a| text(a, src) == "login");
    is_login
        && (smtp_module
            || function
                .child_by_field_name("object")
                .and_then(|o| last_segment(o, src))
                .is_some_and(|s| s.to_ascii_lowercase().contains("smtp")))
}

/// The text between the quotes of a string or implicit concatenation, the
/// parts joined, each placeholder read as one space, escapes as written.
fn literal_text(node: Node<'_>, src: &str) -> Option<String> {
    let parts = string_parts(node);
    if parts.is_empty() {
        return None;
    }
    let mut out = String::new();
    for part in parts {
        for child in part.named_children(&mut part.walk()) {
            match child.kind() {
                "string_content" | "escape_sequence" => out.push_str(text(child, src)),
                "interpolation" => out.push(' '),
                _ => {}
            }
        }
    }
    Some(out)
}

/// A `str` literal (not bytes, no placeholder): its text as written.
fn plain_string(node: Node<'_>, src: &str) -> Option<String> {
    let node = super::text::unparenthesize(node);
    let parts = string_parts(node);
    let plain = |part: &Node<'_>| {
        let prefix = part
            .child(0)
            .filter(|c| c.kind() == "string_start")
            .map_or("", |start| text(start, src));
        !prefix
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .any(|c| c.eq_ignore_ascii_case(&'b'))
            && !part
                .named_children(&mut part.walk())
                .any(|c| c.kind() == "interpolation")
    };
    if parts.is_empty() || !parts.iter().all(plain) {
        return None;
    }
    literal_text(node, src)
}

/// A *secret literal*: a non-empty `str` literal without placeholder.
fn is_secret_literal(node: Node<'_>, src: &str) -> bool {
    plain_string(node, src).is_some_and(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_trigger_holds_every_marker_host() {
        for marker in recon_findings::vocabulary::WEBHOOK_MARKERS {
            assert!(super::trigger().is_match(marker), "{marker}");
        }
        assert!(super::trigger().is_match("SMTP_PASS = 'x'"));
        assert!(!super::trigger().is_match("print('https://example.com/webhook/x')"));
    }
}
