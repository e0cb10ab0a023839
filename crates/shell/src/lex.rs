//! Splits one command line into words and operators the way bash would,
//! refusing every expansion recon does not perform (variables, command
//! substitution, globs, tilde and brace expansion, subshells, background jobs).

use crate::Refusal;

/// A word after quote removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text after quote removal.
    pub text: String,
    /// 0-based character offset of the word's first character in the line.
    pub column: usize,
    /// Whether any part of the word was quoted or escaped (`''` is a word,
    /// and `"-n"` is still an option to the program, as in bash).
    pub quoted: bool,
    /// For a word with unquoted `*`, `?` or `[`: the pattern bash expands
    /// (quoted glob characters escaped with `\`).
    pub glob: Option<String>,
}

/// The operators of the subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `|`
    Pipe,
    /// `||`
    Or,
    /// `&&`
    And,
    /// `;`
    Semi,
}

/// Where a redirection sends a file descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectTarget {
    /// `/dev/null`
    Null,
    /// `&1` or `&2`
    Fd(u8),
}

/// `N>/dev/null`, `N>&M`, `&>/dev/null` (fd 0 is never redirected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redirect {
    /// 1, 2, or 3 for `&>` (both).
    pub fd: u8,
    pub target: RedirectTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(Word),
    Op(Operator, usize),
    Redirect(Redirect, usize),
}

fn refuse(column: usize, reason: impl Into<String>) -> Refusal {
    Refusal {
        column,
        reason: reason.into(),
    }
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>'
    )
}

/// Tokenizes `line`. Column numbers in errors are 0-based character offsets.
pub fn tokenize(line: &str) -> Result<Vec<Token>, Refusal> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '#' => break,
            '|' => {
                if chars.get(i + 1) == Some(&'|') {
                    tokens.push(Token::Op(Operator::Or, i));
                    i += 2;
                } else if chars.get(i + 1) == Some(&'&') {
                    return Err(refuse(i, "`|&` is not supported"));
                } else {
                    tokens.push(Token::Op(Operator::Pipe, i));
                    i += 1;
                }
            }
            '&' => {
                if chars.get(i + 1) == Some(&'&') {
                    tokens.push(Token::Op(Operator::And, i));
                    i += 2;
                } else if chars.get(i + 1) == Some(&'>') {
                    let (target, next) = redirect_target(&chars, i + 2, i)?;
                    tokens.push(Token::Redirect(Redirect { fd: 3, target }, i));
                    i = next;
                } else {
                    return Err(refuse(i, "background jobs (`&`) are not supported"));
                }
            }
            ';' => {
                if chars.get(i + 1) == Some(&';') {
                    return Err(refuse(i, "`;;` is not supported"));
                }
                tokens.push(Token::Op(Operator::Semi, i));
                i += 1;
            }
            '(' | ')' => return Err(refuse(i, "subshells and parentheses are not supported")),
            '<' => return Err(refuse(i, "input redirection is not supported")),
            '>' => {
                let (target, next) = redirect_after_gt(&chars, i, i)?;
                tokens.push(Token::Redirect(Redirect { fd: 1, target }, i));
                i = next;
            }
            _ => {
                // A word; an all-digit word directly followed by `>` is a
                // redirection's file descriptor instead.
                let start = i;
                let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits > 0 && chars.get(i + digits) == Some(&'>') {
                    let fd: u8 = match chars[i..i + digits].iter().collect::<String>().parse() {
                        Ok(fd @ (1 | 2)) => fd,
                        _ => {
                            return Err(refuse(
                                i,
                                "only file descriptors 1 and 2 may be redirected",
                            ));
                        }
                    };
                    let (target, next) = redirect_after_gt(&chars, i + digits, start)?;
                    tokens.push(Token::Redirect(Redirect { fd, target }, start));
                    i = next;
                    continue;
                }
                let (word, next) = read_word(&chars, i)?;
                check_assignment(&word, tokens.last())?;
                tokens.push(Token::Word(word));
                i = next;
            }
        }
    }
    Ok(tokens)
}

/// Parses what follows a `>` at `gt`: `>/dev/null`, `>&1`, `>&2`.
fn redirect_after_gt(
    chars: &[char],
    gt: usize,
    start: usize,
) -> Result<(RedirectTarget, usize), Refusal> {
    if chars.get(gt + 1) == Some(&'>') {
        return Err(refuse(
            start,
            "appending to a file (`>>`) is not supported: recon never writes",
        ));
    }
    if chars.get(gt + 1) == Some(&'&') {
        return match chars.get(gt + 2) {
            Some('1') => Ok((RedirectTarget::Fd(1), gt + 3)),
            Some('2') => Ok((RedirectTarget::Fd(2), gt + 3)),
            _ => Err(refuse(start, "only `>&1` and `>&2` are supported")),
        };
    }
    redirect_target(chars, gt + 1, start)
}

/// Parses the file word of a redirection; only `/dev/null` is accepted.
fn redirect_target(
    chars: &[char],
    mut i: usize,
    start: usize,
) -> Result<(RedirectTarget, usize), Refusal> {
    while matches!(chars.get(i), Some(' ' | '\t')) {
        i += 1;
    }
    if i >= chars.len() || is_meta(chars[i]) {
        return Err(refuse(start, "redirection without a target"));
    }
    let (word, next) = read_word(chars, i)?;
    if word.text == "/dev/null" {
        Ok((RedirectTarget::Null, next))
    } else {
        Err(refuse(
            start,
            format!(
                "redirection to `{}`: recon never writes files (only /dev/null)",
                word.text
            ),
        ))
    }
}

/// `NAME=value` as the first word of a command is a variable assignment.
fn check_assignment(word: &Word, previous: Option<&Token>) -> Result<(), Refusal> {
    let command_start = !matches!(previous, Some(Token::Word(_) | Token::Redirect(..)));
    if !command_start || word.quoted {
        return Ok(());
    }
    if let Some((name, _)) = word.text.split_once('=')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(refuse(
            word.column,
            "variable assignments are not supported",
        ));
    }
    Ok(())
}

/// Builds a word's text and, alongside, its glob pattern: the same text
/// with quoted glob characters escaped, so only unquoted ones match.
#[derive(Default)]
struct WordBuilder {
    text: String,
    pattern: String,
    glob: bool,
}

impl WordBuilder {
    fn quoted(&mut self, c: char) {
        self.text.push(c);
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            self.pattern.push('\\');
        }
        self.pattern.push(c);
    }

    fn unquoted(&mut self, c: char) {
        self.text.push(c);
        self.pattern.push(c);
        self.glob |= matches!(c, '*' | '?' | '[');
    }
}

/// Reads one word starting at `start`, removing quotes and refusing expansions.
fn read_word(chars: &[char], start: usize) -> Result<(Word, usize), Refusal> {
    let mut w = WordBuilder::default();
    let mut quoted = false;
    let mut i = start;
    // Unquoted `{` seen: brace expansion is refused when it holds `,` or `..`.
    let mut open_brace: Option<usize> = None;
    while i < chars.len() && !is_meta(chars[i]) {
        let c = chars[i];
        match c {
            '\'' => {
                quoted = true;
                let Some(end) = chars[i + 1..].iter().position(|&c| c == '\'') else {
                    return Err(refuse(i, "unterminated single quote"));
                };
                chars[i + 1..i + 1 + end].iter().for_each(|&c| w.quoted(c));
                i += end + 2;
            }
            '"' => {
                quoted = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(refuse(start, "unterminated double quote")),
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some(&n @ ('$' | '`' | '"' | '\\')) => w.quoted(n),
                                Some('\n') => {}
                                Some(&n) => {
                                    w.quoted('\\');
                                    w.quoted(n);
                                }
                                None => return Err(refuse(start, "unterminated double quote")),
                            }
                            i += 2;
                        }
                        Some('$') if expands(chars.get(i + 1).copied(), true) => {
                            return Err(expansion(chars, i));
                        }
                        Some('`') => {
                            return Err(refuse(
                                i,
                                "command substitution (backticks) is not supported",
                            ));
                        }
                        Some(&n) => {
                            w.quoted(n);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                quoted = true;
                match chars.get(i + 1) {
                    Some(&n) => w.quoted(n),
                    None => return Err(refuse(i, "trailing backslash")),
                }
                i += 2;
            }
            '$' if expands(chars.get(i + 1).copied(), false) => return Err(expansion(chars, i)),
            '`' => {
                return Err(refuse(
                    i,
                    "command substitution (backticks) is not supported",
                ));
            }
            '~' if i == start => return Err(refuse(i, "tilde expansion is not supported")),
            '{' => {
                open_brace = Some(i);
                w.unquoted(c);
                i += 1;
            }
            '}' => {
                if let Some(open) = open_brace {
                    let inner: String = chars[open + 1..i].iter().collect();
                    if inner.contains(',') || inner.contains("..") {
                        return Err(refuse(open, "brace expansion is not supported"));
                    }
                }
                w.unquoted(c);
                i += 1;
            }
            _ => {
                w.unquoted(c);
                i += 1;
            }
        }
    }
    let glob = w.glob.then_some(w.pattern);
    Ok((
        Word {
            text: w.text,
            column: start,
            quoted,
            glob,
        },
        i,
    ))
}

/// Whether a `$` followed by `next` starts an expansion (bash leaves a `$`
/// before a space, the end of the word, or a closing quote alone).
fn expands(next: Option<char>, in_double_quotes: bool) -> bool {
    match next {
        None => false,
        Some('"') => !in_double_quotes,
        Some('\'') => !in_double_quotes,
        Some(c) => c.is_ascii_alphanumeric() || "_{(@*#?$!-".contains(c),
    }
}

fn expansion(chars: &[char], i: usize) -> Refusal {
    match chars.get(i + 1) {
        Some('(') => refuse(i, "command substitution `$(...)` is not supported"),
        Some('\'' | '"') => refuse(i, "`$'...'` and `$\"...\"` quoting is not supported"),
        Some('{') => refuse(i, "parameter expansion `${...}` is not supported"),
        _ => refuse(i, "variables (`$`) are not supported"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        tokenize(line)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.text),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn quotes_and_escapes_are_removed_as_bash_does() {
        assert_eq!(
            words(r#"grep -rn "@app\.\|x" --include="*.py""#),
            ["grep", "-rn", r"@app\.\|x", "--include=*.py"]
        );
        assert_eq!(
            words(r#"grep 'a\b' "q\"" \[x"#),
            ["grep", r"a\b", "q\"", "[x"]
        );
        assert_eq!(words("grep ''"), ["grep", ""]);
    }

    #[test]
    fn comments_end_the_line() {
        assert_eq!(words("ls # what"), ["ls"]);
        assert_eq!(words("grep a#b"), ["grep", "a#b"]);
    }

    #[test]
    fn redirections_are_recognised() {
        let t = tokenize("cat x 2>/dev/null || ls >&2").unwrap();
        assert!(t.contains(&Token::Redirect(
            Redirect {
                fd: 2,
                target: RedirectTarget::Null
            },
            6
        )));
        assert!(t.contains(&Token::Redirect(
            Redirect {
                fd: 1,
                target: RedirectTarget::Fd(2)
            },
            24
        )));
    }

    #[test]
    fn expansions_are_refused_with_their_column() {
        assert_eq!(tokenize("cat $(rm -rf x)").unwrap_err().column, 4);
        assert_eq!(tokenize("cat `id`").unwrap_err().column, 4);
        assert_eq!(tokenize("grep x \"$HOME\"").unwrap_err().column, 8);
        assert_eq!(tokenize("echo hi > out.txt").unwrap_err().column, 8);
        assert!(tokenize("FOO=1 ls").is_err());
        assert!(tokenize("ls {a,b}").is_err());
        assert!(tokenize("ls ~").is_err());
        assert!(tokenize("ls &").is_err());
        assert!(tokenize("ls $'x'").is_err());
    }

    #[test]
    fn a_dollar_that_starts_nothing_is_literal() {
        assert_eq!(
            words(r#"grep -c "^$" a$ "x$""#),
            ["grep", "-c", "^$", "a$", "x$"]
        );
    }
}
