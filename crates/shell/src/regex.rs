//! GNU grep patterns (BRE, ERE, fixed strings) translated to the syntax of
//! the `regex` crate, with byte semantics as under `LC_ALL=C`.
//!
//! GNU reads a BRE with its extensions: `\|` alternation, `\(\)` groups,
//! `\{m,n\}` intervals, `\+ \?` quantifiers, while `+ ? | ( ) { }` are
//! literal; `*` is literal at the start of an expression. Both dialects know
//! `\< \> \b \B \w \W \s \S`, and bracket expressions with POSIX classes,
//! where a backslash is an ordinary character.
//!
//! ```
//! use recon_shell::regex::{translate, Dialect};
//! assert_eq!(translate(r"@app\.\|@router\.", Dialect::Basic).unwrap().regex, r"(?:\x40app\x2e|\x40router\x2e)");
//! assert_eq!(translate("a+(b)", Dialect::Basic).unwrap().regex, r"(?:a\x2b\x28b\x29)");
//! assert_eq!(translate("a+(b)", Dialect::Extended).unwrap().regex, "(?:a+(b))");
//! ```

/// The pattern dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Basic,
    Extended,
}

/// A translated pattern and the warnings GNU grep prints for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    pub regex: String,
    pub warnings: Vec<String>,
}

/// Why a pattern cannot be run: either GNU itself rejects it (the message is
/// what grep prints, exit 2) or recon does not support it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// GNU grep would print `grep: MESSAGE` and exit 2.
    Invalid(String),
    /// Valid for GNU grep, but outside what recon runs (back-references).
    Unsupported(String),
}

/// Escapes one byte for use inside or outside a class.
fn push_byte(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() || b == b'_' {
        out.push(b as char);
    } else {
        out.push_str(&format!("\\x{b:02x}"));
    }
}

/// A fixed string as a regex matching exactly its bytes.
pub fn literal(text: &str) -> String {
    let mut out = String::new();
    for &b in text.as_bytes() {
        push_byte(&mut out, b);
    }
    out
}

/// Translates one GNU pattern (one line of a pattern list).
/// Deepest group nesting translated.
const MAX_GROUP_DEPTH: usize = 1_000;

/// Most intervals stacked on one atom (`a{2}{3}...`): each groups what it
/// repeats, and the regex engine nests at most 250 deep.
const MAX_STACKED_INTERVALS: usize = 100;

pub fn translate(pattern: &str, dialect: Dialect) -> Result<Translated, PatternError> {
    let mut t = Translator {
        bytes: pattern.as_bytes(),
        pos: 0,
        dialect,
        out: String::new(),
        warnings: Vec::new(),
        depth: 0,
    };
    t.out.push_str("(?:");
    t.alternation()?;
    if t.pos < t.bytes.len() {
        // Only an unmatched `)` in ERE can stop the top level early.
        return Err(PatternError::Invalid("Unmatched ) or \\)".into()));
    }
    t.out.push(')');
    Ok(Translated {
        regex: t.out,
        warnings: t.warnings,
    })
}

struct Translator<'a> {
    bytes: &'a [u8],
    pos: usize,
    dialect: Dialect,
    out: String,
    warnings: Vec<String>,
    depth: usize,
}

impl Translator<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<u8> {
        self.bytes.get(self.pos + 1).copied()
    }

    fn basic(&self) -> bool {
        self.dialect == Dialect::Basic
    }

    /// At an alternation operator (`|` in ERE, `\|` in BRE)?
    fn at_bar(&self) -> bool {
        match self.dialect {
            Dialect::Extended => self.peek() == Some(b'|'),
            Dialect::Basic => self.peek() == Some(b'\\') && self.peek2() == Some(b'|'),
        }
    }

    /// At a group close (`)` in ERE, `\)` in BRE)?
    fn at_close(&self) -> bool {
        match self.dialect {
            Dialect::Extended => self.peek() == Some(b')') && self.depth > 0,
            Dialect::Basic => self.peek() == Some(b'\\') && self.peek2() == Some(b')'),
        }
    }

    fn alternation(&mut self) -> Result<(), PatternError> {
        self.sequence()?;
        while self.at_bar() {
            self.pos += if self.basic() { 2 } else { 1 };
            self.out.push('|');
            self.sequence()?;
        }
        Ok(())
    }

    /// A concatenation of quantified atoms, up to `|`, `)` or the end.
    fn sequence(&mut self) -> Result<(), PatternError> {
        let mut at_start = true;
        loop {
            if self.pos >= self.bytes.len() || self.at_bar() || self.at_close() {
                return Ok(());
            }
            if self.basic() && self.peek() == Some(b'\\') && self.peek2() == Some(b')') {
                return Err(PatternError::Invalid("Unmatched ) or \\)".into()));
            }
            let c = self.bytes[self.pos];
            // Anchors.
            if c == b'^' && (!self.basic() || at_start) {
                self.pos += 1;
                self.out.push('^');
                // In a BRE a `*` right after a leading `^` is literal.
                continue;
            }
            if c == b'$' && (!self.basic() || self.at_bre_end(self.pos + 1)) {
                self.pos += 1;
                self.out.push('$');
                at_start = false;
                continue;
            }
            // A leading `*` is literal (GNU warns in ERE).
            if c == b'*' && at_start {
                if !self.basic() {
                    self.warnings.push("* at start of expression".into());
                }
                let atom = self.out.len();
                self.pos += 1;
                push_byte(&mut self.out, b'*');
                at_start = false;
                self.quantifiers(atom)?;
                continue;
            }
            if !self.basic() && matches!(c, b'+' | b'?') && at_start {
                self.warnings
                    .push(format!("{} at start of expression", c as char));
                let atom = self.out.len();
                self.pos += 1;
                push_byte(&mut self.out, c);
                at_start = false;
                self.quantifiers(atom)?;
                continue;
            }
            let atom = self.out.len();
            self.atom()?;
            at_start = false;
            self.quantifiers(atom)?;
        }
    }

    /// In a BRE, `$` is an anchor only at the end of an expression.
    fn at_bre_end(&self, next: usize) -> bool {
        let rest = &self.bytes[next.min(self.bytes.len())..];
        rest.is_empty() || rest.starts_with(b"\\)") || rest.starts_with(b"\\|")
    }

    /// The quantifiers after the atom written at `out[atom..]`.
    ///
    /// In POSIX a run of quantifiers repeats the repetition: `a**` is `a*`
    /// and `a*?` a greedy `a*`. The regex engine nests each one (250 deep
    /// is its limit) and reads `*?` / `??` / `+?` as lazy, so a run of `*`,
    /// `+` and `?` is folded into the one quantifier it equals, and an
    /// interval after a quantifier (or one before) groups what it repeats.
    fn quantifiers(&mut self, atom: usize) -> Result<(), PatternError> {
        let mut pending: Option<u8> = None;
        let mut quantified = false;
        let mut groups = 0;
        loop {
            let simple = match (self.peek(), self.peek2(), self.dialect) {
                (Some(b'*'), _, _) => {
                    self.pos += 1;
                    Some(b'*')
                }
                (Some(q @ (b'+' | b'?')), _, Dialect::Extended) => {
                    self.pos += 1;
                    Some(q)
                }
                (Some(b'\\'), Some(q @ (b'+' | b'?')), Dialect::Basic) => {
                    self.pos += 2;
                    Some(q)
                }
                (Some(b'{'), _, Dialect::Extended) | (Some(b'\\'), Some(b'{'), Dialect::Basic) => {
                    None
                }
                _ => break,
            };
            if let Some(q) = simple {
                pending = Some(match (pending, q) {
                    (None, q) => q,
                    (Some(p), q) if p == q => q,
                    // `*` absorbs anything; `+` and `?` together make `*`.
                    _ => b'*',
                });
                continue;
            }
            self.quantify(atom, pending.take(), &mut quantified, &mut groups)?;
            let is_interval = if self.basic() {
                self.wrap_if(atom, quantified, &mut groups)?;
                if !self.interval(2)? {
                    return Err(PatternError::Invalid("Invalid content of \\{\\}".into()));
                }
                true
            } else {
                // An ERE `{` that starts no valid interval is literal: it
                // ends the run (the caller reads it as an atom).
                let wrapped = self.wrap_if(atom, quantified, &mut groups)?;
                let ok = self.interval(1)?;
                if !ok && wrapped {
                    self.unwrap(atom);
                    groups -= 1;
                }
                ok
            };
            if !is_interval {
                break;
            }
            quantified = true;
        }
        self.quantify(atom, pending, &mut quantified, &mut groups)
    }

    /// Writes a folded `*` / `+` / `?`, grouping the atom first when it is
    /// already quantified (by an interval).
    fn quantify(
        &mut self,
        atom: usize,
        q: Option<u8>,
        quantified: &mut bool,
        groups: &mut usize,
    ) -> Result<(), PatternError> {
        if let Some(q) = q {
            self.wrap_if(atom, *quantified, groups)?;
            self.out.push(q as char);
            *quantified = true;
        }
        Ok(())
    }

    /// Groups `out[atom..]` as `(?:...)` when `quantified`; says whether it
    /// did. At most [`MAX_STACKED_INTERVALS`] groups stack on one atom.
    fn wrap_if(
        &mut self,
        atom: usize,
        quantified: bool,
        groups: &mut usize,
    ) -> Result<bool, PatternError> {
        if !quantified {
            return Ok(false);
        }
        *groups += 1;
        if *groups > MAX_STACKED_INTERVALS {
            return Err(PatternError::Unsupported(
                "too many stacked repetitions".into(),
            ));
        }
        self.out.insert_str(atom, "(?:");
        self.out.push(')');
        Ok(true)
    }

    /// Undoes [`Self::wrap_if`].
    fn unwrap(&mut self, atom: usize) {
        self.out.replace_range(atom..atom + 3, "");
        self.out.pop();
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}`; returns false (consuming nothing)
    /// when an ERE `{` does not start a valid interval: GNU reads it literally.
    fn interval(&mut self, open_len: usize) -> Result<bool, PatternError> {
        let start = self.pos + open_len;
        let close: &[u8] = if self.basic() { b"\\}" } else { b"}" };
        let rest = &self.bytes[start..];
        let Some(end) = rest.windows(close.len()).position(|w| w == close) else {
            return if self.basic() {
                Err(PatternError::Invalid("Unmatched \\{".into()))
            } else {
                Ok(false)
            };
        };
        let body = &rest[..end];
        let text = std::str::from_utf8(body).unwrap_or("x");
        let (min, max) = match text.split_once(',') {
            Some((a, b)) => (a, Some(b)),
            None => (text, None),
        };
        let valid = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !valid(min) || !max.is_none_or(valid) || (min.is_empty() && max.is_none()) {
            return if self.basic() {
                Err(PatternError::Invalid("Invalid content of \\{\\}".into()))
            } else {
                Ok(false)
            };
        }
        let min_n: u32 = if min.is_empty() {
            0
        } else {
            min.parse()
                .map_err(|_| PatternError::Invalid("Regular expression too big".into()))?
        };
        let max_n: Option<u32> = match max {
            Some("") | None => None,
            Some(m) => Some(
                m.parse()
                    .map_err(|_| PatternError::Invalid("Regular expression too big".into()))?,
            ),
        };
        if max_n.is_some_and(|m| m < min_n) {
            return Err(PatternError::Invalid("Invalid content of \\{\\}".into()));
        }
        if min_n > 32767 || max_n.is_some_and(|m| m > 32767) {
            return Err(PatternError::Invalid("Regular expression too big".into()));
        }
        match (max, max_n) {
            (None, _) => self.out.push_str(&format!("{{{min_n}}}")),
            (Some(_), None) => self.out.push_str(&format!("{{{min_n},}}")),
            (Some(_), Some(m)) => self.out.push_str(&format!("{{{min_n},{m}}}")),
        }
        self.pos = start + end + close.len();
        Ok(true)
    }

    fn atom(&mut self) -> Result<(), PatternError> {
        let c = self.bytes[self.pos];
        match c {
            b'.' => {
                self.pos += 1;
                self.out.push('.');
            }
            b'[' => self.bracket()?,
            b'(' if !self.basic() => {
                self.pos += 1;
                self.group()?;
            }
            b')' if !self.basic() => {
                // An unmatched `)` in ERE is literal for GNU.
                self.pos += 1;
                push_byte(&mut self.out, b')');
            }
            b'\\' => self.escape()?,
            _ => {
                self.pos += 1;
                push_byte(&mut self.out, c);
            }
        }
        Ok(())
    }

    /// After an opening `(` / `\(`: the group body and its close.
    fn group(&mut self) -> Result<(), PatternError> {
        // The translation recurses per group: bound it before the stack
        // does (100k nested groups overflowed it). The regex engine refuses
        // anything nested deeper than 250 anyway, so no pattern that could
        // run is lost.
        if self.depth >= MAX_GROUP_DEPTH {
            return Err(PatternError::Unsupported(format!(
                "groups nested deeper than {MAX_GROUP_DEPTH}"
            )));
        }
        self.out.push('(');
        self.depth += 1;
        self.alternation()?;
        self.depth -= 1;
        let closed = match self.dialect {
            Dialect::Extended => self.peek() == Some(b')'),
            Dialect::Basic => self.peek() == Some(b'\\') && self.peek2() == Some(b')'),
        };
        if !closed {
            return Err(PatternError::Invalid("Unmatched ( or \\(".into()));
        }
        self.pos += if self.basic() { 2 } else { 1 };
        self.out.push(')');
        Ok(())
    }

    fn escape(&mut self) -> Result<(), PatternError> {
        let Some(n) = self.peek2() else {
            return Err(PatternError::Invalid("Trailing backslash".into()));
        };
        self.pos += 2;
        match n {
            b'(' if self.basic() => return self.group(),
            b'{' if self.basic() => {
                return Err(PatternError::Invalid(
                    "Invalid preceding regular expression".into(),
                ));
            }
            b'1'..=b'9' => {
                return Err(PatternError::Unsupported(
                    "back-references (`\\1`...) are not supported".into(),
                ));
            }
            b'<' => self.out.push_str(r"\b{start}"),
            b'>' => self.out.push_str(r"\b{end}"),
            b'b' => self.out.push_str(r"\b"),
            b'B' => self.out.push_str(r"\B"),
            b'w' => self.out.push_str(r"[0-9A-Za-z_]"),
            b'W' => self.out.push_str(r"[^0-9A-Za-z_]"),
            b's' => self.out.push_str(r"[\t\n\x0b\x0c\r ]"),
            b'S' => self.out.push_str(r"[^\t\n\x0b\x0c\r ]"),
            b'`' => self.out.push_str(r"\A"),
            b'\'' => self.out.push_str(r"\z"),
            _ => push_byte(&mut self.out, n),
        }
        Ok(())
    }

    /// A POSIX bracket expression, at `[`.
    fn bracket(&mut self) -> Result<(), PatternError> {
        let unmatched = || PatternError::Invalid("Unmatched [, [^, [:, [., or [=".into());
        self.pos += 1;
        let mut class = String::from("[");
        if self.peek() == Some(b'^') {
            self.pos += 1;
            class.push('^');
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(unmatched());
            };
            if c == b']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == b'[' && matches!(self.peek2(), Some(b':' | b'=' | b'.')) {
                let kind = self.bytes[self.pos + 1];
                let body_start = self.pos + 2;
                let close = [kind, b']'];
                let Some(len) = self.bytes[body_start..].windows(2).position(|w| w == close) else {
                    return Err(unmatched());
                };
                let name = &self.bytes[body_start..body_start + len];
                self.pos = body_start + len + 2;
                match kind {
                    b':' => {
                        let name = std::str::from_utf8(name).unwrap_or("");
                        if !matches!(
                            name,
                            "alpha"
                                | "digit"
                                | "alnum"
                                | "upper"
                                | "lower"
                                | "space"
                                | "blank"
                                | "punct"
                                | "print"
                                | "graph"
                                | "cntrl"
                                | "xdigit"
                        ) {
                            return Err(PatternError::Invalid(
                                "Invalid character class name".into(),
                            ));
                        }
                        class.push_str(&format!("[:{name}:]"));
                    }
                    _ => {
                        // `[=a=]`, `[.a.]`: a single character in the C locale.
                        if name.len() != 1 {
                            return Err(PatternError::Invalid(
                                "Invalid collation character".into(),
                            ));
                        }
                        push_byte(&mut class, name[0]);
                    }
                }
                continue;
            }
            self.pos += 1;
            // A range `a-z` (a `-` before `]` is literal).
            if self.peek() == Some(b'-') && self.peek2().is_some_and(|e| e != b']') {
                let end = self.bytes[self.pos + 1];
                if end == b'[' && matches!(self.bytes.get(self.pos + 2), Some(b'.' | b'=')) {
                    return Err(PatternError::Unsupported(
                        "collating elements as range ends are not supported".into(),
                    ));
                }
                self.pos += 2;
                if end < c {
                    return Err(PatternError::Invalid("Invalid range end".into()));
                }
                push_byte(&mut class, c);
                class.push('-');
                push_byte(&mut class, end);
                continue;
            }
            push_byte(&mut class, c);
        }
        class.push(']');
        if class == "[^]" {
            class = "[\\x00-\\xff]".into();
        }
        self.out.push_str(&class);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bre(p: &str) -> String {
        translate(p, Dialect::Basic).unwrap().regex
    }

    fn ere(p: &str) -> String {
        translate(p, Dialect::Extended).unwrap().regex
    }

    #[test]
    fn bre_operators() {
        assert_eq!(bre(r"a\(b\|c\)\+d\?"), "(?:a(b|c)+d?)");
        assert_eq!(bre(r"a\{2,3\}"), "(?:a{2,3})");
        assert_eq!(bre("*a"), r"(?:\x2aa)");
        assert_eq!(bre("^*a"), r"(?:^\x2aa)");
        assert_eq!(bre("a^b$c$"), r"(?:a\x5eb\x24c$)");
        assert_eq!(bre(r"\[.*\]"), r"(?:\x5b.*\x5d)");
    }

    #[test]
    fn ere_operators_and_literal_braces() {
        assert_eq!(ere("get|post"), "(?:get|post)");
        assert_eq!(ere("a{x"), r"(?:a\x7bx)");
        assert_eq!(ere("a{,2}"), "(?:a{0,2})");
        assert_eq!(
            translate("*a", Dialect::Extended).unwrap().warnings,
            ["* at start of expression"]
        );
    }

    #[test]
    fn brackets_are_posix() {
        assert_eq!(bre(r"[\]"), r"(?:[\x5c])");
        assert_eq!(bre("[]a]"), r"(?:[\x5da])");
        assert_eq!(bre("[^[:alpha:]_-]"), r"(?:[^[:alpha:]_\x2d])");
        assert_eq!(bre("[a-z]"), "(?:[a-z])");
    }

    #[test]
    fn quantifier_runs_fold_as_posix_reads_them() {
        // Found by the pattern_translation fuzz target: 250 stacked `*`
        // nested past the regex engine's limit.
        let stars = format!("\0{}\0", "*".repeat(250));
        assert_eq!(bre(&stars), "(?:\\x00*\\x00)");
        assert_eq!(ere("a**"), "(?:a*)");
        assert_eq!(ere("a*?"), "(?:a*)");
        assert_eq!(ere("a+?"), "(?:a*)");
        assert_eq!(ere("a??"), "(?:a?)");
        assert_eq!(ere("a{2}*"), "(?:(?:a{2})*)");
        assert_eq!(ere("a*{2}"), "(?:(?:a*){2})");
        assert_eq!(ere("a*{x"), "(?:a*\\x7bx)");
        assert_eq!(bre("a\\+\\?"), "(?:a*)");
        assert!(matches!(
            translate(&format!("a{}", "{1}".repeat(200)), Dialect::Extended),
            Err(PatternError::Unsupported(_))
        ));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        for dialect in [Dialect::Extended, Dialect::Basic] {
            let (open, close) = match dialect {
                Dialect::Extended => ("(", ")"),
                Dialect::Basic => ("\\(", "\\)"),
            };
            let deep = format!("{}a{}", open.repeat(100_000), close.repeat(100_000));
            assert!(matches!(
                translate(&deep, dialect),
                Err(PatternError::Unsupported(m)) if m.contains("nested deeper than 1000")
            ));
            let shallow = format!("{}a{}", open.repeat(900), close.repeat(900));
            assert!(translate(&shallow, dialect).is_ok());
        }
    }

    #[test]
    fn gnu_errors_and_unsupported() {
        assert_eq!(
            translate(r"\(a", Dialect::Basic),
            Err(PatternError::Invalid("Unmatched ( or \\(".into()))
        );
        assert!(matches!(
            translate("[a", Dialect::Basic),
            Err(PatternError::Invalid(_))
        ));
        assert!(matches!(
            translate(r"\(a\)\1", Dialect::Basic),
            Err(PatternError::Unsupported(_))
        ));
    }
}
