//! A Python tokenizer for the token pass: names, numbers, strings, operators
//! and the logical-line structure (NEWLINE, INDENT, DEDENT), with the
//! expressions inside f-string replacement fields tokenized too.
//!
//! It reads what tree-sitter-python reads (string prefixes of any length from
//! `rRbBuUfFtT`, a tab indents by 8, `\f` and `\r` reset the indentation) and
//! gives up on anything it does not model exactly: a [`Doubt`] sends the file
//! to the full tree-sitter parse, so a doubt costs time, never a finding.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Name,
    Number,
    /// A whole string literal without replacement fields (prefix included).
    String,
    /// The start of an f-string (prefix and opening quotes); its replacement
    /// fields' tokens follow, then [`Kind::FEnd`].
    FStart,
    /// The closing quotes of an f-string.
    FEnd,
    /// The end of a replacement field: what follows in the next field is
    /// not adjacent to what precedes (`f"{a}{(b)}"` calls nothing).
    FieldEnd,
    Op,
    /// The end of a logical line.
    Newline,
    Indent,
    Dedent,
}

/// One token: its kind, its bytes, and for a bracket or f-string delimiter
/// the index of its partner.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The matching bracket or f-string delimiter, or [`NO_PAIR`].
    pub pair: usize,
}

pub const NO_PAIR: usize = usize::MAX;

/// Why the tokenizer gave up (the file is then parsed whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doubt(pub &'static str);

/// The length of the operator at the start of `rest` (maximal munch), if
/// one is there.
fn operator_len(rest: &[u8]) -> Option<usize> {
    let first = *rest.first()?;
    let second = rest.get(1).copied().unwrap_or(0);
    let third = rest.get(2).copied().unwrap_or(0);
    Some(match first {
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b';' | b'~' => 1,
        b'.' if second == b'.' && third == b'.' => 3,
        b'.' => 1,
        b':' | b'+' | b'%' | b'&' | b'|' | b'^' | b'@' | b'=' if second == b'=' => 2,
        b':' | b'+' | b'%' | b'&' | b'|' | b'^' | b'@' | b'=' => 1,
        b'-' if second == b'>' || second == b'=' => 2,
        b'-' => 1,
        b'!' if second == b'=' => 2,
        // `*` `**` `**=` `*=`, and the same for `/`, `<`, `>`
        b'*' | b'/' | b'<' | b'>' if second == first && third == b'=' => 3,
        b'*' | b'/' | b'<' | b'>' if second == first || second == b'=' => 2,
        b'*' | b'/' | b'<' | b'>' => 1,
        _ => return None,
    })
}

/// Tokenize a whole module.
pub fn tokenize(src: &str) -> Result<Vec<Token>, Doubt> {
    let mut lexer = Lexer {
        src: src.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(src.len() / 4),
        brackets: Vec::new(),
        fstrings: 0,
    };
    lexer.module()?;
    Ok(lexer.tokens)
}

struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    tokens: Vec<Token>,
    /// Open brackets (token indexes), innermost last.
    brackets: Vec<usize>,
    /// f-strings open around the current position.
    fstrings: usize,
}

/// How deep f-strings may nest in each other's replacement fields.
const MAX_FSTRING_NESTING: usize = 32;

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_prefix_byte(b: u8) -> bool {
    matches!(
        b,
        b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'f' | b'F' | b't' | b'T'
    )
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize) -> usize {
        self.tokens.push(Token {
            kind,
            start,
            end,
            pair: NO_PAIR,
        });
        self.tokens.len() - 1
    }

    /// The module: logical lines with their indentation.
    fn module(&mut self) -> Result<(), Doubt> {
        let mut indents: Vec<u32> = vec![0];
        let mut line_start = true;
        let mut line_has_tokens = false;
        loop {
            if line_start {
                let Some(column) = self.indentation()? else {
                    break;
                };
                let Some(column) = column else {
                    continue; // blank or comment-only line
                };
                let top = indents.last().copied().unwrap_or(0);
                if column > top {
                    indents.push(column);
                    self.push(Kind::Indent, self.pos, self.pos);
                } else {
                    while indents.last().is_some_and(|&i| i > column) {
                        indents.pop();
                        self.push(Kind::Dedent, self.pos, self.pos);
                    }
                    if indents.last().copied().unwrap_or(0) != column {
                        return Err(Doubt("dedent to no enclosing level"));
                    }
                }
                line_start = false;
            }
            if self.at_end() {
                break;
            }
            match self.peek(0) {
                b'\n' => {
                    if self.brackets.is_empty() {
                        if line_has_tokens {
                            self.push(Kind::Newline, self.pos, self.pos + 1);
                        }
                        line_start = true;
                        line_has_tokens = false;
                    }
                    self.pos += 1;
                }
                _ => {
                    if self.space_or_comment()? {
                        continue;
                    }
                    self.token()?;
                    line_has_tokens = true;
                }
            }
        }
        if !self.brackets.is_empty() {
            return Err(Doubt("unclosed bracket"));
        }
        if line_has_tokens {
            self.push(Kind::Newline, self.pos, self.pos);
        }
        while indents.len() > 1 {
            indents.pop();
            self.push(Kind::Dedent, self.pos, self.pos);
        }
        Ok(())
    }

    /// At a line start: skip the indentation. `None` at the end of input,
    /// `Some(None)` for a blank or comment-only line (consumed), else the
    /// column of the line's first token.
    fn indentation(&mut self) -> Result<Option<Option<u32>>, Doubt> {
        let mut column: u32 = 0;
        loop {
            match self.peek(0) {
                b' ' => column += 1,
                b'\t' => column += 8,
                b'\x0c' | b'\r' => column = 0,
                _ => break,
            }
            self.pos += 1;
        }
        if self.at_end() {
            return Ok(None);
        }
        match self.peek(0) {
            b'#' => {
                while !self.at_end() && self.peek(0) != b'\n' {
                    self.pos += 1;
                }
                self.pos = (self.pos + 1).min(self.src.len());
                Ok(Some(None))
            }
            b'\n' => {
                self.pos += 1;
                Ok(Some(None))
            }
            b'\\' => Err(Doubt("continuation at a line start")),
            _ => Ok(Some(Some(column))),
        }
    }

    /// Skip one run of blanks, a comment or a line continuation; whether
    /// anything was skipped.
    fn space_or_comment(&mut self) -> Result<bool, Doubt> {
        match self.peek(0) {
            b' ' | b'\t' | b'\x0c' => {
                self.pos += 1;
                Ok(true)
            }
            b'\r' => {
                if self.peek(1) != b'\n' {
                    return Err(Doubt("carriage return"));
                }
                self.pos += 1;
                Ok(true)
            }
            b'#' => {
                while !self.at_end() && self.peek(0) != b'\n' {
                    self.pos += 1;
                }
                Ok(true)
            }
            b'\\' => {
                let skip = match (self.peek(1), self.peek(2)) {
                    (b'\n', _) => 2,
                    (b'\r', b'\n') => 3,
                    _ => return Err(Doubt("stray backslash")),
                };
                self.pos += skip;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// One token at `self.pos` (not blank, not a newline).
    fn token(&mut self) -> Result<(), Doubt> {
        let start = self.pos;
        let b = self.peek(0);
        if is_name_start(b) {
            let mut end = self.pos;
            while end < self.src.len() && is_name_byte(self.src[end]) {
                end += 1;
            }
            let quote = self.src.get(end).copied().unwrap_or(0);
            if (quote == b'"' || quote == b'\'')
                && self.src[start..end].iter().all(|&c| is_prefix_byte(c))
            {
                self.pos = end;
                return self.string(start);
            }
            if quote == b'`' {
                return Err(Doubt("backquote"));
            }
            self.pos = end;
            self.push(Kind::Name, start, end);
            return Ok(());
        }
        if b == b'"' || b == b'\'' {
            return self.string(start);
        }
        if b.is_ascii_digit() || (b == b'.' && self.peek(1).is_ascii_digit()) {
            self.number();
            self.push(Kind::Number, start, self.pos);
            return Ok(());
        }
        let Some(len) = operator_len(&self.src[self.pos..]) else {
            return Err(Doubt("character outside Python's tokens"));
        };
        self.pos += len;
        let index = self.push(Kind::Op, start, self.pos);
        match b {
            b'(' | b'[' | b'{' => self.brackets.push(index),
            b')' | b']' | b'}' => {
                let Some(open) = self.brackets.pop() else {
                    return Err(Doubt("unmatched closing bracket"));
                };
                let expected = match self.src[self.tokens[open].start] {
                    b'(' => b')',
                    b'[' => b']',
                    _ => b'}',
                };
                if self.src[start] != expected {
                    return Err(Doubt("mismatched brackets"));
                }
                self.tokens[open].pair = index;
                self.tokens[index].pair = open;
            }
            _ => {}
        }
        Ok(())
    }

    /// A number: decimal, float, imaginary, or 0x/0o/0b with underscores.
    fn number(&mut self) {
        let radix = self.peek(0) == b'0' && matches!(self.peek(1) | 0x20, b'x' | b'o' | b'b');
        if radix {
            self.pos += 2;
            while is_name_byte(self.peek(0)) {
                self.pos += 1;
            }
            return;
        }
        let digits = |lexer: &mut Self| {
            while lexer.peek(0).is_ascii_digit() || lexer.peek(0) == b'_' {
                lexer.pos += 1;
            }
        };
        digits(self);
        if self.peek(0) == b'.' {
            self.pos += 1;
            digits(self);
        }
        if self.peek(0) | 0x20 == b'e'
            && (self.peek(1).is_ascii_digit()
                || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
        {
            self.pos += 2;
            digits(self);
        }
        if self.peek(0) | 0x20 == b'j' || self.peek(0) | 0x20 == b'l' {
            self.pos += 1;
        }
    }

    /// A string literal whose prefix starts at `start` and whose opening
    /// quote is at `self.pos`.
    fn string(&mut self, start: usize) -> Result<(), Doubt> {
        let prefix = &self.src[start..self.pos];
        let raw = prefix.iter().any(|&c| c | 0x20 == b'r');
        let format = prefix.iter().any(|&c| matches!(c | 0x20, b'f' | b't'));
        let quote = self.peek(0);
        let triple = self.peek(1) == quote && self.peek(2) == quote;
        self.pos += if triple { 3 } else { 1 };
        if !format {
            self.string_body(quote, triple, raw, false)?;
            self.push(Kind::String, start, self.pos);
            return Ok(());
        }
        // f-strings nest inside replacement fields (PEP 701, as
        // tree-sitter-python reads them); bounded, the recursion is.
        if self.fstrings >= MAX_FSTRING_NESTING {
            return Err(Doubt("f-strings nested too deep"));
        }
        self.fstrings += 1;
        let open = self.push(Kind::FStart, start, self.pos);
        let close_start = self.string_body(quote, triple, raw, true)?;
        let close = self.push(Kind::FEnd, close_start, self.pos);
        self.fstrings -= 1;
        self.tokens[open].pair = close;
        self.tokens[close].pair = open;
        Ok(())
    }

    /// A string's body up to and past its closing quotes; returns where the
    /// closing quotes start. In an f-string, replacement fields are
    /// tokenized as they come.
    fn string_body(
        &mut self,
        quote: u8,
        triple: bool,
        raw: bool,
        format: bool,
    ) -> Result<usize, Doubt> {
        loop {
            if self.at_end() {
                return Err(Doubt("unterminated string"));
            }
            let b = self.peek(0);
            match b {
                b'\\' => {
                    if format && matches!(self.peek(1), b'{' | b'}') {
                        // tree-sitter: the backslash is text, the brace
                        // opens a field (or is half of `}}`).
                        self.pos += 1;
                        continue;
                    }
                    if format && !raw && self.peek(1) == b'N' && self.peek(2) == b'{' {
                        // `\N{NAME}`: an escape, not a field.
                        while !self.at_end() && self.peek(0) != b'}' && self.peek(0) != b'\n' {
                            self.pos += 1;
                        }
                        if self.peek(0) != b'}' {
                            return Err(Doubt("unterminated \\N{...} escape"));
                        }
                        self.pos += 1;
                        continue;
                    }
                    if raw {
                        // As tree-sitter: a backslash steps over an escaped
                        // quote or backslash, and a line end.
                        self.pos += 1;
                        if self.peek(0) == quote || self.peek(0) == b'\\' {
                            self.pos += 1;
                        }
                        if self.peek(0) == b'\r' {
                            self.pos += 1;
                        }
                        if self.peek(0) == b'\n' {
                            self.pos += 1;
                        }
                    } else {
                        self.pos += if self.peek(1) == b'\r' && self.peek(2) == b'\n' {
                            3
                        } else {
                            2
                        };
                    }
                }
                b'\n' if !triple => return Err(Doubt("line end in a one-line string")),
                _ if b == quote => {
                    if !triple {
                        self.pos += 1;
                        return Ok(self.pos - 1);
                    }
                    if self.peek(1) == quote && self.peek(2) == quote {
                        self.pos += 3;
                        return Ok(self.pos - 3);
                    }
                    self.pos += 1;
                }
                b'{' if format => {
                    if self.peek(1) == b'{' {
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                        self.field(quote, triple)?;
                        self.push(Kind::FieldEnd, self.pos, self.pos);
                    }
                }
                b'}' if format => {
                    if self.peek(1) != b'}' {
                        return Err(Doubt("single closing brace in an f-string"));
                    }
                    self.pos += 2;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// A replacement field's expression, conversion and format spec, after
    /// its `{` and up to and past its `}`.
    fn field(&mut self, quote: u8, triple: bool) -> Result<(), Doubt> {
        let depth = self.brackets.len();
        loop {
            if self.at_end() {
                return Err(Doubt("unterminated replacement field"));
            }
            let b = self.peek(0);
            match b {
                b'\n' => {
                    if !triple {
                        return Err(Doubt("line end in a one-line f-string field"));
                    }
                    self.pos += 1;
                }
                b'#' => return Err(Doubt("comment in a replacement field")),
                b'}' if self.brackets.len() == depth => {
                    self.pos += 1;
                    return Ok(());
                }
                b'!' if self.brackets.len() == depth && self.peek(1) != b'=' => {
                    // A conversion: `!r`, `!s`, `!a`.
                    self.pos += 1;
                    while is_name_byte(self.peek(0)) {
                        self.pos += 1;
                    }
                }
                b':' if self.brackets.len() == depth && self.peek(1) != b'=' => {
                    self.pos += 1;
                    return self.format_spec(quote, triple);
                }
                b'=' if self.brackets.len() == depth && self.peek(1) != b'=' => {
                    // `{x=}`: the self-documenting form; only `!`, `:` or
                    // `}` may follow.
                    self.pos += 1;
                }
                _ => {
                    if self.space_or_comment()? {
                        continue;
                    }
                    self.token()?;
                }
            }
        }
    }

    /// A format spec, after its `:`, up to and past the field's `}`: literal
    /// text with nested replacement fields.
    fn format_spec(&mut self, quote: u8, triple: bool) -> Result<(), Doubt> {
        loop {
            if self.at_end() {
                return Err(Doubt("unterminated format spec"));
            }
            match self.peek(0) {
                b'}' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'{' => {
                    self.pos += 1;
                    self.field(quote, triple)?;
                    self.push(Kind::FieldEnd, self.pos, self.pos);
                }
                b'\\' => return Err(Doubt("backslash in a format spec")),
                b'\n' if !triple => return Err(Doubt("line end in a format spec")),
                b if b == quote => return Err(Doubt("quote in a format spec")),
                _ => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str)> {
        tokenize(src)
            .unwrap()
            .iter()
            .map(|t| (t.kind, &src[t.start..t.end]))
            .collect()
    }

    #[test]
    fn logical_lines_and_blocks() {
        use Kind::*;
        let src = "def f(a,\n      b):\n    # c\n\n    return g(a)\nx = 1\n";
        let got: Vec<Kind> = kinds(src).iter().map(|(k, _)| *k).collect();
        assert_eq!(
            got,
            [
                Name, Name, Op, Name, Op, Name, Op, Op, Newline, Indent, Name, Name, Op, Name, Op,
                Newline, Dedent, Name, Op, Number, Newline
            ]
        );
    }

    #[test]
    fn strings_with_prefixes_escapes_and_fields() {
        let src = "a = rb'\\'' + \"\"\"x\n\"y\"\"\" + f'{g(1)!r:>{w}} {{z}}'\n";
        let got = kinds(src);
        let texts: Vec<&str> = got.iter().map(|(_, t)| *t).collect();
        assert_eq!(
            texts,
            [
                "a",
                "=",
                "rb'\\''",
                "+",
                "\"\"\"x\n\"y\"\"\"",
                "+",
                "f'",
                "g",
                "(",
                "1",
                ")",
                "w",
                "",
                "",
                "'",
                "\n"
            ]
        );
        assert_eq!(got[6].0, Kind::FStart);
        assert_eq!(got[14].0, Kind::FEnd);
    }

    #[test]
    fn brackets_are_paired() {
        let tokens = tokenize("f(a[1], {2})\n").unwrap();
        assert_eq!(tokens[1].pair, 10);
        assert_eq!(tokens[10].pair, 1);
        assert_eq!(tokens[3].pair, 5);
    }

    #[test]
    fn operators_are_read_longest_first() {
        let src = "a **= b // c -> d := e ... f != g <<= h >> i @ j == k\n";
        let ops: Vec<&str> = kinds(src)
            .into_iter()
            .filter(|(k, _)| *k == Kind::Op)
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            ops,
            ["**=", "//", "->", ":=", "...", "!=", "<<=", ">>", "@", "=="]
        );
    }

    #[test]
    fn doubts() {
        for src in [
            "x = 'abc\n",
            "f(\n",
            "f)\n",
            "if x:\n        a\n    b\n",
            "x = `y`\n",
            "x = $\n",
            "f'{x'\n",
            "f'{x:{y'\n",
        ] {
            assert!(tokenize(src).is_err(), "{src:?}");
        }
    }
}
