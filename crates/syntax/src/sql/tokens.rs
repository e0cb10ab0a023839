//! A small SQL tokenizer: words, quoted identifiers, strings (with `E'..'`
//! escapes and `$tag$..$tag$` dollar quotes), numbers and punctuation;
//! comments (`--`, nested `/* */`) and white space are skipped. Used to split
//! a file into statements and to read DDL elements.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bare word: keyword or identifier.
    Word,
    /// A `"quoted"` or `` `quoted` `` identifier.
    Quoted,
    /// A string or dollar-quoted literal.
    Str,
    Number,
    /// One punctuation or operator character.
    Punct(char),
}

/// One token: its kind and byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether this is the bare word `word` (ASCII case-insensitive).
    pub fn is_word(&self, src: &str, word: &str) -> bool {
        self.kind == Kind::Word && self.text(src).eq_ignore_ascii_case(word)
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    /// Whether the token can name something (a word or a quoted identifier).
    pub fn is_name(&self) -> bool {
        matches!(self.kind, Kind::Word | Kind::Quoted)
    }
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Tokenize `src` (all of it).
pub fn tokenize(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let next_char = |i: usize| src.get(i..).and_then(|s| s.chars().next());
    while let Some(c) = next_char(i) {
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if src[i..].starts_with("--") {
            i = src[i..].find('\n').map_or(src.len(), |n| i + n + 1);
            continue;
        }
        if src[i..].starts_with("/*") {
            let mut depth = 0usize;
            while i < src.len() {
                if src[i..].starts_with("/*") {
                    depth += 1;
                    i += 2;
                } else if src[i..].starts_with("*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += next_char(i).map_or(1, char::len_utf8);
                }
            }
            continue;
        }
        let kind = match c {
            '\'' => {
                let escapes = out.last().is_some_and(|t: &Token| {
                    t.end == start && t.kind == Kind::Word && t.text(src).eq_ignore_ascii_case("e")
                });
                i = string_end(src, i + 1, '\'', escapes);
                Kind::Str
            }
            '"' | '`' => {
                i = string_end(src, i + 1, c, false);
                Kind::Quoted
            }
            '$' => match dollar_tag(src, i) {
                Some(tag) => {
                    let body = i + tag.len();
                    i = src[body..]
                        .find(tag)
                        .map_or(src.len(), |n| body + n + tag.len());
                    Kind::Str
                }
                None => {
                    i += 1;
                    Kind::Punct('$')
                }
            },
            _ if c.is_ascii_digit() => {
                while let Some(d) = next_char(i) {
                    if d.is_ascii_alphanumeric() || d == '.' || d == '_' {
                        i += 1;
                    } else {
                        break;
                    }
                }
                Kind::Number
            }
            _ if is_word_start(c) => {
                while let Some(d) = next_char(i) {
                    if is_word_char(d) {
                        i += d.len_utf8();
                    } else {
                        break;
                    }
                }
                Kind::Word
            }
            _ => {
                i += c.len_utf8();
                Kind::Punct(c)
            }
        };
        // `E'...'`: the prefix letter joins the string.
        if kind == Kind::Str
            && let Some(last) = out.last()
            && last.end == start
            && last.kind == Kind::Word
            && last.end - last.start == 1
        {
            let prefix = out.pop().map_or(start, |t: Token| t.start);
            out.push(Token {
                kind,
                start: prefix,
                end: i,
            });
            continue;
        }
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    out
}

/// The end of a quoted string or identifier whose body starts at `i`: a
/// doubled quote is part of the body; with `escapes`, a backslash escapes the
/// next character.
fn string_end(src: &str, mut i: usize, quote: char, escapes: bool) -> usize {
    while let Some(c) = src.get(i..).and_then(|s| s.chars().next()) {
        i += c.len_utf8();
        if escapes && c == '\\' {
            i += src
                .get(i..)
                .and_then(|s| s.chars().next())
                .map_or(0, char::len_utf8);
        } else if c == quote {
            if src.get(i..).is_some_and(|s| s.starts_with(quote)) {
                i += quote.len_utf8();
            } else {
                return i;
            }
        }
    }
    src.len()
}

/// `$tag$` or `$$` at `i`.
fn dollar_tag(src: &str, i: usize) -> Option<&str> {
    let rest = src.get(i + 1..)?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    if !rest[end..].starts_with('$') {
        return None;
    }
    if rest[..end].starts_with(|c: char| c.is_ascii_digit()) {
        return None; // `$1` is a parameter
    }
    src.get(i..i + end + 2)
}

/// The value of a name token: a quoted identifier without its quotes (a
/// doubled quote is one), a word as written.
pub fn unquote(token: &Token, src: &str) -> String {
    let text = token.text(src);
    if token.kind != Kind::Quoted || text.len() < 2 {
        return text.to_owned();
    }
    let quote = &text[..1];
    let body = text[1..].strip_suffix(quote).unwrap_or(&text[1..]);
    body.replace(&format!("{quote}{quote}"), quote)
}

/// The statements of a token list: runs of tokens between `;` (empty runs
/// dropped).
pub fn statements(tokens: &[Token]) -> Vec<&[Token]> {
    tokens
        .split(|t| t.is_punct(';'))
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str)> {
        tokenize(src)
            .iter()
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(
            kinds("a.\"B\"\"c\" -- x\n'it''s' E'a\\'b' $f$ x; $f$ /* /* */ */ 1.5;"),
            [
                (Kind::Word, "a"),
                (Kind::Punct('.'), "."),
                (Kind::Quoted, "\"B\"\"c\""),
                (Kind::Str, "'it''s'"),
                (Kind::Str, "E'a\\'b'"),
                (Kind::Str, "$f$ x; $f$"),
                (Kind::Number, "1.5"),
                (Kind::Punct(';'), ";"),
            ]
        );
        let src = "\"B\"\"c\"";
        assert_eq!(unquote(&tokenize(src)[0], src), "B\"c");
        assert_eq!(kinds("$1"), [(Kind::Punct('$'), "$"), (Kind::Number, "1")]);
    }
}
