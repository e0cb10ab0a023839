//! bash's own builtins of the subset, as `bash -c` runs them: `echo`,
//! `printf`, `test` / `[ ... ]`, `true`, `false` and `:`. Their messages
//! carry bash's `bash: line 1: NAME: ` prefix; what bash would print
//! differently in some locale or configuration is refused when parsed.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use crate::Refusal;
use crate::exec::Output;
use crate::lex::Word;

/// How backslash escapes are read: the rules differ per builtin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// `echo -e` (bash): `\0NNN`, `\xHH`, `\c`, `\e`, `\E`.
    BashEcho,
    /// `/bin/echo -e` (coreutils, under xargs): as bash but `\E` and `\u`
    /// stay as written.
    CoreutilsEcho,
    /// printf's `%b` argument: `\0NNN` and `\NNN`, `\c`.
    PrintfArgument,
    /// printf's format: `\NNN` (three digits at most, the 0 included),
    /// `\"`, `\'`, `\?`.
    PrintfFormat,
}

/// What reading escapes found that bash would print differently elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscapeProblem {
    /// `\u` / `\U`: bash converts through the locale's character set.
    Unicode,
    /// `\x` without a hex digit: printf warns.
    BareHex,
    /// `\c` in a printf format.
    StopInFormat,
    /// A printf format ending in a lone backslash (or one before `%`).
    TrailingBackslash,
}

/// The byte of a C escape `\N` every reader of escapes shares (bash's
/// echo and printf, tr): `\a \b \f \n \r \t \v \\`.
pub(crate) fn c_escape(n: u8) -> Option<u8> {
    match n {
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(11),
        b'\\' => Some(b'\\'),
        _ => None,
    }
}

/// Expands the escapes of `text`. Returns the bytes and whether `\c`
/// stopped the output there.
pub fn unescape(text: &[u8], dialect: Escapes) -> Result<(Vec<u8>, bool), EscapeProblem> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    let octal = |b: u8| (b'0'..=b'7').contains(&b);
    while i < text.len() {
        let b = text[i];
        if b == b'\\' && i + 1 >= text.len() && dialect == Escapes::PrintfFormat {
            return Err(EscapeProblem::TrailingBackslash);
        }
        if b != b'\\' || i + 1 >= text.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let n = text[i + 1];
        i += 2;
        let simple = match n {
            b'e' => Some(27),
            b'E' if dialect != Escapes::CoreutilsEcho => Some(27),
            b'"' | b'\'' | b'?' if dialect == Escapes::PrintfFormat => Some(n),
            _ => c_escape(n),
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        match n {
            b'c' => {
                if dialect == Escapes::PrintfFormat {
                    return Err(EscapeProblem::StopInFormat);
                }
                return Ok((out, true));
            }
            b'u' | b'U' if dialect != Escapes::CoreutilsEcho => {
                return Err(EscapeProblem::Unicode);
            }
            b'x' => {
                let digits = text[i..]
                    .iter()
                    .take(2)
                    .take_while(|c| c.is_ascii_hexdigit())
                    .count();
                if digits == 0 {
                    if matches!(dialect, Escapes::PrintfArgument | Escapes::PrintfFormat) {
                        return Err(EscapeProblem::BareHex);
                    }
                    out.extend_from_slice(b"\\x");
                    continue;
                }
                let s = std::str::from_utf8(&text[i..i + digits]).unwrap_or("0");
                out.push(u8::from_str_radix(s, 16).unwrap_or(0));
                i += digits;
            }
            b'0'..=b'7' => {
                // Where the digits start and how many may follow.
                let (start, max) = match (dialect, n) {
                    (Escapes::PrintfFormat, _) => (i - 1, 3),
                    (_, b'0') => (i, 3),
                    (Escapes::PrintfArgument, _) => (i - 1, 3),
                    _ => {
                        // echo: `\1` stays as written.
                        out.push(b'\\');
                        out.push(n);
                        continue;
                    }
                };
                let digits = text[start..]
                    .iter()
                    .take(max)
                    .take_while(|&&c| octal(c))
                    .count();
                let value = text[start..start + digits]
                    .iter()
                    .fold(0u32, |v, &c| v * 8 + u32::from(c - b'0'));
                out.push((value & 0xff) as u8);
                i = start + digits;
            }
            _ => {
                out.push(b'\\');
                out.push(n);
            }
        }
    }
    Ok((out, false))
}

/// `echo [-neE]... ARG...` as bash's builtin (xpg_echo off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EchoCommand {
    pub words: Vec<Word>,
}

/// The options and operands of an echo: leading words made only of
/// `-` and `n`/`e`/`E` letters are options.
fn echo_options(words: &[String]) -> (bool, bool, &[String]) {
    let (mut newline, mut escapes) = (true, false);
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let Some(letters) = w.strip_prefix('-') else {
            break;
        };
        if letters.is_empty() || !letters.bytes().all(|b| matches!(b, b'n' | b'e' | b'E')) {
            break;
        }
        for l in letters.bytes() {
            match l {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    (newline, escapes, &words[i..])
}

fn echo_bytes(words: &[String], dialect: Escapes) -> Result<Vec<u8>, EscapeProblem> {
    let (newline, escapes, args) = echo_options(words);
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            let (bytes, stop) = unescape(a.as_bytes(), dialect)?;
            out.extend_from_slice(&bytes);
            if stop {
                return Ok(out);
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    Ok(out)
}

pub fn parse_echo(name: &Word, args: &[Word]) -> Result<EchoCommand, Refusal> {
    let texts: Vec<String> = args.iter().map(|w| w.text.clone()).collect();
    if let Err(p) = echo_bytes(&texts, Escapes::BashEcho) {
        return Err(Refusal {
            column: name.column,
            reason: format!("echo: {}", problem_reason(&p)),
        });
    }
    Ok(EchoCommand {
        words: args.to_vec(),
    })
}

fn problem_reason(p: &EscapeProblem) -> &'static str {
    match p {
        EscapeProblem::Unicode => {
            "`\\u`/`\\U` escapes depend on the locale's character set: not supported"
        }
        EscapeProblem::BareHex => "`\\x` without hex digits is not supported",
        EscapeProblem::StopInFormat => "`\\c` in a printf format is not supported",
        EscapeProblem::TrailingBackslash => "a backslash before `%` or at the end is not supported",
    }
}

/// The builtin `echo`.
pub fn echo(cmd: &EchoCommand) -> Output {
    let texts: Vec<String> = cmd.words.iter().map(|w| w.text.clone()).collect();
    Output {
        stdout: echo_bytes(&texts, Escapes::BashEcho).unwrap_or_default(),
        ..Output::default()
    }
}

/// `/bin/echo` (coreutils) as xargs runs it; None when it would print what
/// recon does not reproduce (`--help`, `--version`).
pub fn coreutils_echo(cmd: &EchoCommand) -> Option<Output> {
    let texts: Vec<String> = cmd.words.iter().map(|w| w.text.clone()).collect();
    if texts.len() == 1 && (texts[0] == "--help" || texts[0] == "--version") {
        return None;
    }
    let stdout = echo_bytes(&texts, Escapes::CoreutilsEcho).ok()?;
    Some(Output {
        stdout,
        ..Output::default()
    })
}

// ---------------------------------------------------------------------------
// printf

/// One piece of a printf format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    Spec(Spec),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
    conversion: u8,
}

/// `printf FORMAT [ARG...]` as bash's builtin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintfCommand {
    pieces: Vec<Piece>,
    pub args: Vec<String>,
}

pub fn parse_printf(name: &Word, args: &[Word]) -> Result<PrintfCommand, Refusal> {
    let refuse = |reason: String| Refusal {
        column: name.column,
        reason: format!("printf: {reason}"),
    };
    let mut args = args;
    if args.first().is_some_and(|w| w.text == "--") {
        args = &args[1..];
    }
    let Some((format, rest)) = args.split_first() else {
        return Err(refuse("a format is needed".into()));
    };
    if format.text.starts_with('-') && format.text != "-" {
        return Err(refuse(format!(
            "option `{}` is not supported (`-v` sets a variable)",
            format.text
        )));
    }
    let pieces = parse_format(format.text.as_bytes()).map_err(refuse)?;
    for (w, piece) in rest.iter().zip(
        pieces
            .iter()
            .filter(|p| matches!(p, Piece::Spec(s) if s.conversion != b'%'))
            .cycle(),
    ) {
        if let Piece::Spec(s) = piece
            && s.conversion == b'b'
            && let Err(p) = unescape(w.text.as_bytes(), Escapes::PrintfArgument)
        {
            return Err(Refusal {
                column: w.column,
                reason: format!("printf: {}", problem_reason(&p)),
            });
        }
    }
    Ok(PrintfCommand {
        pieces,
        args: rest.iter().map(|w| w.text.clone()).collect(),
    })
}

fn parse_format(format: &[u8]) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = Vec::new();
    let mut i = 0;
    while i < format.len() {
        let b = format[i];
        if b == b'\\' {
            // One escape at a time: find its end by expanding the rest of
            // the literal run up to the next `%`.
            let end = format[i..]
                .iter()
                .position(|&c| c == b'%')
                .map_or(format.len(), |p| i + p);
            let (bytes, _) = unescape(&format[i..end], Escapes::PrintfFormat)
                .map_err(|p| problem_reason(&p).to_string())?;
            literal.extend_from_slice(&bytes);
            i = end;
            continue;
        }
        if b != b'%' {
            literal.push(b);
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        let mut spec = Spec {
            minus: false,
            plus: false,
            space: false,
            alt: false,
            zero: false,
            width: 0,
            precision: None,
            conversion: 0,
        };
        while let Some(&f) = format.get(i) {
            match f {
                b'-' => spec.minus = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        let digits = |i: &mut usize| -> Result<usize, String> {
            let start = *i;
            while format.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            std::str::from_utf8(&format[start..*i])
                .ok()
                .and_then(|s| {
                    if s.is_empty() {
                        Some(0)
                    } else {
                        s.parse().ok()
                    }
                })
                .filter(|&n: &usize| n < 1_000_000)
                .ok_or_else(|| "a width or precision this large is not supported".to_string())
        };
        spec.width = digits(&mut i)?;
        if format.get(i) == Some(&b'.') {
            i += 1;
            spec.precision = Some(digits(&mut i)?);
        }
        let Some(&c) = format.get(i) else {
            return Err("a format ending in an unfinished `%` is not supported".into());
        };
        i += 1;
        let plain = format[start..i - 1].is_empty();
        match c {
            b'%' if plain => {
                literal.push(b'%');
                continue;
            }
            b'%' => return Err("`%` after flags or a width is not supported".into()),
            b's' | b'b' | b'c' | b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {}
            b'*' => return Err("`*` widths are not supported".into()),
            other => {
                return Err(format!(
                    "the conversion `%{}` is not supported (supported: %s %b %c %d %i %o %u %x %X %%)",
                    other as char
                ));
            }
        }
        spec.conversion = c;
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Spec(spec));
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

/// strtoimax/strtoumax with base 0 over `text`: the value, whether the
/// whole text was read, and whether it overflowed.
fn c_integer(text: &str, unsigned: bool) -> (i128, bool, bool) {
    let b = text.as_bytes();
    // `'c` or `"c`: the first byte's code.
    if let Some(&q) = b.first()
        && (q == b'\'' || q == b'"')
    {
        return (b.get(1).map_or(0, |&c| i128::from(c)), true, false);
    }
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let (base, mut start) = if b[i..].starts_with(b"0x") || b[i..].starts_with(b"0X") {
        if b.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
            (16, i + 2)
        } else {
            (8, i)
        }
    } else if b.get(i) == Some(&b'0') {
        (8, i)
    } else {
        (10, i)
    };
    let mut value: u128 = 0;
    let mut overflow = false;
    let digits_start = start;
    while let Some(d) = b.get(start).and_then(|&c| (c as char).to_digit(base)) {
        value = value.saturating_mul(u128::from(base)) + u128::from(d);
        if value > u128::from(u64::MAX) {
            overflow = true;
        }
        start += 1;
    }
    let read_any = start > digits_start;
    let whole = read_any && start == b.len();
    let limit: u128 = if unsigned {
        u128::from(u64::MAX)
    } else if negative {
        1u128 << 63
    } else {
        (1u128 << 63) - 1
    };
    if value > limit {
        overflow = true;
    }
    let value = if overflow {
        if unsigned {
            i128::from(u64::MAX)
        } else if negative {
            i128::from(i64::MIN)
        } else {
            i128::from(i64::MAX)
        }
    } else if negative {
        if unsigned {
            // strtoumax negates in unsigned arithmetic.
            i128::from(0u64.wrapping_sub(value as u64))
        } else {
            -(value as i128)
        }
    } else {
        value as i128
    };
    (value, whole, overflow)
}

fn pad(spec: &Spec, body: &[u8], out: &mut Vec<u8>) {
    let fill = spec.width.saturating_sub(body.len());
    if spec.minus {
        out.extend_from_slice(body);
        out.extend(std::iter::repeat_n(b' ', fill));
    } else {
        out.extend(std::iter::repeat_n(b' ', fill));
        out.extend_from_slice(body);
    }
}

/// A C integer conversion of `value` (already the right signedness).
fn format_integer(spec: &Spec, value: i128, out: &mut Vec<u8>) {
    let signed = matches!(spec.conversion, b'd' | b'i');
    let magnitude = value.unsigned_abs();
    let mut digits = match spec.conversion {
        b'o' => format!("{magnitude:o}"),
        b'x' => format!("{magnitude:x}"),
        b'X' => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    };
    if let Some(p) = spec.precision {
        if p == 0 && magnitude == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut prefix = String::new();
    if signed {
        if value < 0 {
            prefix.push('-');
        } else if spec.plus {
            prefix.push('+');
        } else if spec.space {
            prefix.push(' ');
        }
    }
    if spec.alt {
        match spec.conversion {
            b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            b'x' if magnitude != 0 => prefix.push_str("0x"),
            b'X' if magnitude != 0 => prefix.push_str("0X"),
            _ => {}
        }
    }
    if spec.zero && !spec.minus && spec.precision.is_none() {
        while prefix.len() + digits.len() < spec.width {
            digits.insert(0, '0');
        }
    }
    pad(spec, format!("{prefix}{digits}").as_bytes(), out);
}

/// The builtin `printf`: the format is reused while arguments remain.
pub fn printf(cmd: &PrintfCommand) -> Output {
    let mut out = Output::default();
    let mut args = cmd.args.iter();
    let consumes = cmd.pieces.iter().any(|p| matches!(p, Piece::Spec(_)));
    // bash flushes stdout after each pass over the format: a pass's
    // messages come before what the pass printed.
    let mut pass_start;
    let warn = |out: &mut Output, pass_start: usize, msg: String| {
        out.marks.push((pass_start, out.stderr.len()));
        out.stderr
            .extend_from_slice(format!("bash: line 1: printf: {msg}\n").as_bytes());
    };
    loop {
        pass_start = out.stdout.len();
        for piece in &cmd.pieces {
            let spec = match piece {
                Piece::Literal(bytes) => {
                    out.stdout.extend_from_slice(bytes);
                    continue;
                }
                Piece::Spec(s) => s,
            };
            let arg = args.next();
            match spec.conversion {
                b's' | b'b' => {
                    let text = arg.map_or(&b""[..], |a| a.as_bytes());
                    let (mut bytes, stop) = if spec.conversion == b'b' {
                        unescape(text, Escapes::PrintfArgument).unwrap_or_default()
                    } else {
                        (text.to_vec(), false)
                    };
                    if let Some(p) = spec.precision {
                        bytes.truncate(p);
                    }
                    pad(spec, &bytes, &mut out.stdout);
                    if stop {
                        return out;
                    }
                }
                b'c' => {
                    let byte = arg.and_then(|a| a.as_bytes().first().copied()).unwrap_or(0);
                    pad(spec, &[byte], &mut out.stdout);
                }
                conversion => {
                    let unsigned = !matches!(conversion, b'd' | b'i');
                    let value = match arg {
                        None => 0,
                        Some(a) => {
                            let (value, whole, overflow) = c_integer(a, unsigned);
                            if overflow {
                                warn(
                                    &mut out,
                                    pass_start,
                                    format!("warning: {a}: Numerical result out of range"),
                                );
                            } else if !whole {
                                let b = a.as_bytes();
                                let what = match (b.first(), b.get(1)) {
                                    (Some(b'0'), Some(d)) if d.is_ascii_digit() => {
                                        "invalid octal number"
                                    }
                                    (Some(b'0'), Some(b'x')) => "invalid hex number",
                                    _ => "invalid number",
                                };
                                warn(&mut out, pass_start, format!("{a}: {what}"));
                                out.status = 1;
                            }
                            value
                        }
                    };
                    format_integer(spec, value, &mut out.stdout);
                }
            }
        }
        if !consumes || args.len() == 0 {
            break;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// test / [

/// `test EXPR` or `[ EXPR ]`: up to four arguments, the POSIX rules bash
/// follows for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCommand {
    /// `[` (the closing `]` is required) or `test`.
    pub bracket: bool,
    pub args: Vec<Word>,
    /// `[` without its `]`: bash's message, at run time.
    pub missing_bracket: bool,
}

const UNARY: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-n", "-p", "-r", "-s", "-u", "-w", "-x",
    "-z", "-G", "-L", "-O", "-S", "-N", "-o", "-v", "-R", "-t",
];
const BINARY: &[&str] = &[
    "=", "==", "!=", "<", ">", "-nt", "-ot", "-ef", "-eq", "-ne", "-lt", "-le", "-gt", "-ge",
];

pub fn parse_test(name: &Word, args: &[Word]) -> Result<TestCommand, Refusal> {
    let bracket = name.text == "[";
    let mut args = args.to_vec();
    let mut missing_bracket = false;
    if bracket {
        if args.last().is_some_and(|w| w.text == "]") {
            args.pop();
        } else {
            missing_bracket = true;
        }
    }
    let cmd = TestCommand {
        bracket,
        args,
        missing_bracket,
    };
    if !cmd.missing_bracket {
        let texts: Vec<&str> = cmd.args.iter().map(|w| w.text.as_str()).collect();
        check_expression(&texts).map_err(|reason| Refusal {
            column: name.column,
            reason: format!("{}: {reason}", name.text),
        })?;
    }
    Ok(cmd)
}

/// `[[ ... ]]` in the forms where it reads as `[ ... ]` does: one string,
/// a unary operator and its operand, `-nt -ot -ef`, an integer comparison
/// of literal decimal numbers (`[[` evaluates arithmetic), each maybe
/// after `!`. `==`, `!=` and `=` match patterns there, `<`/`>` compare
/// with the locale: refused. (Globs inside are refused by the parser:
/// `[[` does not expand them.)
pub fn parse_double_bracket(name: &Word, args: &[Word]) -> Result<TestCommand, Refusal> {
    let refuse = |reason: &str| Refusal {
        column: name.column,
        reason: format!("[[: {reason}"),
    };
    let Some((last, inner)) = args.split_last() else {
        return Err(refuse("`[[` without `]]` is not supported"));
    };
    if last.text != "]]" || inner.iter().any(|w| w.text == "]]" || w.text == "[[") {
        return Err(refuse("`[[` without `]]` at the end is not supported"));
    }
    let texts: Vec<&str> = inner.iter().map(|w| w.text.as_str()).collect();
    let rest = match texts.as_slice() {
        ["!", rest @ ..] => rest,
        all => all,
    };
    let literal_integer = |t: &str| {
        let digits = t.strip_prefix('-').unwrap_or(t);
        !digits.is_empty()
            && digits.len() < 19
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
    };
    let operator = |t: &str| {
        matches!(t, "!" | "(" | ")" | "&&" | "||") || UNARY.contains(&t) || BINARY.contains(&t)
    };
    let fits = match rest {
        [s] => !operator(s),
        [op, _] => is_file_unary(op) || matches!(*op, "-n" | "-z"),
        [_, "-nt" | "-ot" | "-ef", _] => true,
        [a, "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge", b] => {
            literal_integer(a) && literal_integer(b)
        }
        _ => false,
    };
    if !fits || matches!(rest, [op, _] if matches!(*op, "-o" | "-v" | "-R" | "-t" | "-N")) {
        return Err(refuse(
            "only `[[ -OP X ]]`, `[[ X ]]`, `-nt -ot -ef` and comparisons of literal integers are supported (`==`, `!=`, `=` match patterns in `[[`)",
        ));
    }
    Ok(TestCommand {
        bracket: true,
        args: inner.to_vec(),
        missing_bracket: false,
    })
}

/// Refuses what recon does not evaluate: more than four arguments (bash's
/// full expression grammar), the operators about the shell itself, and
/// `-a`/`-o` next to an operator (bash's grammar then reads it otherwise).
fn check_expression(args: &[&str]) -> Result<(), String> {
    let operator_like = |a: &str| matches!(a, "!" | "(" | ")") || UNARY.contains(&a);
    match args {
        [] | [_] | ["!", _] => Ok(()),
        [op, _] if matches!(*op, "-o" | "-v" | "-R" | "-t" | "-N") => Err(format!(
            "`{op}` reads the shell's state or a terminal: not supported"
        )),
        [_, _] => Ok(()),
        [_, op, _] if BINARY.contains(op) => Ok(()),
        [a, "-a" | "-o", b] if operator_like(a) || operator_like(b) => {
            Err("`-a`/`-o` next to an operator is not supported".into())
        }
        [_, "-a" | "-o", _] => Ok(()),
        ["!", rest @ ..] if rest.len() == 2 => check_expression(rest),
        [_, _, _] => Ok(()),
        ["!", rest @ ..] if rest.len() == 3 => check_expression(rest),
        ["(", a, b, ")"] => check_expression(&[a, b]),
        _ => Err(
            "expressions of more than three arguments (`-a`/`-o` chains) are not supported; write `[ A ] && [ B ]`".into(),
        ),
    }
}

/// The file operands a test reads (for the planner's path checks).
pub fn test_paths(cmd: &TestCommand) -> Vec<&Word> {
    if cmd.missing_bracket {
        return Vec::new();
    }
    let mut out = Vec::new();
    collect_paths(&cmd.args, &mut out);
    out
}

fn collect_paths<'a>(args: &'a [Word], out: &mut Vec<&'a Word>) {
    let t = |i: usize| args[i].text.as_str();
    match args.len() {
        2 if t(0) != "!" && is_file_unary(t(0)) => out.push(&args[1]),
        3 if BINARY.contains(&t(1)) => {
            if matches!(t(1), "-nt" | "-ot" | "-ef") {
                out.push(&args[0]);
                out.push(&args[2]);
            }
        }
        3 if t(1) == "-a" || t(1) == "-o" => {}
        3 | 4 if t(0) == "!" => collect_paths(&args[1..], out),
        4 if t(0) == "(" && t(3) == ")" => collect_paths(&args[1..3], out),
        _ => {}
    }
}

fn is_file_unary(op: &str) -> bool {
    UNARY.contains(&op) && !matches!(op, "-n" | "-z" | "-o" | "-v" | "-R" | "-t")
}

/// A test's outcome: true, false, or bash's message (status 2).
type Outcome = Result<bool, String>;

pub fn test(cmd: &TestCommand, cwd: &Path) -> Output {
    let name = if cmd.bracket { "[" } else { "test" };
    let result = if cmd.missing_bracket {
        Err("missing `]'".to_string())
    } else {
        let texts: Vec<&str> = cmd.args.iter().map(|w| w.text.as_str()).collect();
        evaluate(&texts, cwd)
    };
    match result {
        Ok(true) => Output::default(),
        Ok(false) => Output {
            status: 1,
            ..Output::default()
        },
        Err(msg) => Output::failure(format!("bash: line 1: {name}: {msg}\n"), 2),
    }
}

fn evaluate(args: &[&str], cwd: &Path) -> Outcome {
    match args {
        [] => Ok(false),
        [a] => Ok(!a.is_empty()),
        ["!", a] => Ok(a.is_empty()),
        [op, a] if UNARY.contains(op) => unary(op, a, cwd),
        [a, _] => Err(format!("{a}: unary operator expected")),
        [a, op, b] if BINARY.contains(op) => binary(a, op, b, cwd),
        [a, "-a", b] => Ok(!a.is_empty() && !b.is_empty()),
        [a, "-o", b] => Ok(!a.is_empty() || !b.is_empty()),
        ["!", rest @ ..] if rest.len() == 2 => evaluate(rest, cwd).map(|v| !v),
        ["(", a, ")"] => Ok(!a.is_empty()),
        [_, b, _] => Err(format!("{b}: binary operator expected")),
        ["!", rest @ ..] => evaluate(rest, cwd).map(|v| !v),
        ["(", a, b, ")"] => evaluate(&[a, b], cwd),
        _ => Err("expression not supported".into()),
    }
}

/// bash's `legal_number`: blanks around an optional sign and decimal digits.
fn integer(text: &str) -> Result<i64, String> {
    let trimmed = text
        .trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c'])
        .trim_end_matches([' ', '\t']);
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{text}: integer expression expected"));
    }
    trimmed
        .parse::<i64>()
        .map_err(|_| format!("{text}: integer expression expected"))
}

fn stat(cwd: &Path, name: &str, follow: bool) -> Option<fs::Metadata> {
    if name.is_empty() {
        return None;
    }
    let path = cwd.join(name);
    if follow {
        fs::metadata(path).ok()
    } else {
        fs::symlink_metadata(path).ok()
    }
}

/// access(2) with the effective ids, as bash's `-r`, `-w`, `-x` ask.
fn eaccess(cwd: &Path, name: &str, mode: libc::c_int) -> bool {
    use std::os::unix::ffi::OsStrExt;
    if name.is_empty() {
        return false;
    }
    let Ok(path) = std::ffi::CString::new(cwd.join(name).as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    unsafe { libc::faccessat(libc::AT_FDCWD, path.as_ptr(), mode, libc::AT_EACCESS) == 0 }
}

fn unary(op: &str, a: &str, cwd: &Path) -> Outcome {
    let st = || stat(cwd, a, true);
    let mode = |bit: u32| st().is_some_and(|m| m.permissions().mode() & bit != 0);
    Ok(match op {
        "-n" => !a.is_empty(),
        "-z" => a.is_empty(),
        "-a" | "-e" => st().is_some(),
        "-f" => st().is_some_and(|m| m.is_file()),
        "-d" => st().is_some_and(|m| m.is_dir()),
        "-s" => st().is_some_and(|m| m.len() > 0),
        "-b" => st().is_some_and(|m| m.file_type().is_block_device()),
        "-c" => st().is_some_and(|m| m.file_type().is_char_device()),
        "-p" => st().is_some_and(|m| m.file_type().is_fifo()),
        "-S" => st().is_some_and(|m| m.file_type().is_socket()),
        "-h" | "-L" => stat(cwd, a, false).is_some_and(|m| m.file_type().is_symlink()),
        "-g" => mode(0o2000),
        "-u" => mode(0o4000),
        "-k" => mode(0o1000),
        "-r" => eaccess(cwd, a, libc::R_OK),
        "-w" => eaccess(cwd, a, libc::W_OK),
        "-x" => eaccess(cwd, a, libc::X_OK),
        // SAFETY: geteuid and getegid cannot fail.
        "-O" => st().is_some_and(|m| m.uid() == unsafe { libc::geteuid() }),
        "-G" => st().is_some_and(|m| m.gid() == unsafe { libc::getegid() }),
        _ => return Err(format!("{op}: unary operator expected")),
    })
}

fn binary(a: &str, op: &str, b: &str, cwd: &Path) -> Outcome {
    let mtime = |m: &fs::Metadata| (m.mtime(), m.mtime_nsec());
    Ok(match op {
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a.as_bytes() < b.as_bytes(),
        ">" => a.as_bytes() > b.as_bytes(),
        "-nt" | "-ot" => {
            let (ma, mb) = (stat(cwd, a, true), stat(cwd, b, true));
            let (newer, older) = if op == "-nt" { (ma, mb) } else { (mb, ma) };
            match (newer, older) {
                (Some(n), Some(o)) => mtime(&n) > mtime(&o),
                (Some(_), None) => true,
                _ => false,
            }
        }
        "-ef" => match (stat(cwd, a, true), stat(cwd, b, true)) {
            (Some(x), Some(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        },
        _ => {
            let (x, y) = (integer(a)?, integer(b)?);
            match op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                _ => x >= y,
            }
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn echo_escapes_as_bash() {
        let e = |s: &str| unescape(s.as_bytes(), Escapes::BashEcho).unwrap();
        assert_eq!(e(r"a\101b\0101c\x41d"), (b"a\\101bAcAd".to_vec(), false));
        assert_eq!(e(r"x\cy"), (b"x".to_vec(), true));
        assert_eq!(e(r"\0777"), (vec![0xff], false));
        assert!(unescape(br"\u00e9", Escapes::BashEcho).is_err());
    }

    #[test]
    fn printf_format_octal_takes_three_digits() {
        let f = |s: &str| unescape(s.as_bytes(), Escapes::PrintfFormat).unwrap().0;
        assert_eq!(f(r"\0101"), b"\x081");
        assert_eq!(f(r"\1010"), b"A0");
        assert_eq!(f(r"\E\?"), b"\x1b?");
    }

    #[test]
    fn integers_as_strtoimax() {
        assert_eq!(c_integer("0x1f", false), (31, true, false));
        assert_eq!(c_integer("010", false), (8, true, false));
        assert_eq!(c_integer("12abc", false), (12, false, false));
        assert_eq!(c_integer("-1", true).0, i128::from(u64::MAX));
        assert_eq!(c_integer("'a", false).0, 97);
    }
}
