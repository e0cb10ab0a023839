//! `tr` (GNU coreutils) in the C locale: translate, delete (`-d`), squeeze
//! (`-s`) and complement (`-c`/`-C`) over bytes. Sets are read when the
//! command is parsed; what GNU would reject or read in ways recon does not
//! reproduce (`[c*n]`, `[=c=]`, classes in the second set other than case
//! conversion) is refused then.

use crate::Refusal;
use crate::exec::Output;

/// `tr [-c] [-d] [-s] SET1 [SET2]`, with its sets expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrCommand {
    /// byte -> byte (identity where not translated).
    map: Vec<u8>,
    delete: Vec<bool>,
    squeeze: Vec<bool>,
}

/// One element of a set as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Byte(u8),
    Range,
    Upper,
    Lower,
    Class,
}

/// Expands a set: escapes, ranges and `[:class:]`. The bytes, and which
/// case class (if any) stood alone in it.
fn expand(set: &str) -> Result<(Vec<u8>, Vec<Element>), String> {
    let b = set.as_bytes();
    let mut elements: Vec<(Element, Vec<u8>)> = Vec::new();
    let mut i = 0;
    // Reads one possibly escaped byte at i.
    let byte_at = |i: usize| -> Result<(u8, usize), String> {
        if b[i] != b'\\' {
            return Ok((b[i], i + 1));
        }
        let Some(&n) = b.get(i + 1) else {
            return Err("a trailing backslash is not supported".into());
        };
        let simple = crate::builtins::c_escape(n);
        if let Some(s) = simple {
            return Ok((s, i + 2));
        }
        if (b'0'..=b'7').contains(&n) {
            let digits = b[i + 1..]
                .iter()
                .take(3)
                .take_while(|c| (b'0'..=b'7').contains(*c))
                .count();
            let value = b[i + 1..i + 1 + digits]
                .iter()
                .fold(0u32, |v, &c| v * 8 + u32::from(c - b'0'));
            if value > 255 {
                return Err("an octal escape above \\377 is not supported".into());
            }
            return Ok((value as u8, i + 1 + digits));
        }
        // GNU warns about other escapes (`\q`): refused.
        Err(format!("the escape `\\{}` is not supported", n as char))
    };
    while i < b.len() {
        if b[i] == b'[' {
            if let Some(rest) = set[i..].strip_prefix("[:")
                && let Some(end) = rest.find(":]")
            {
                let name = &rest[..end];
                let (kind, bytes): (Element, Vec<u8>) = match name {
                    "upper" => (Element::Upper, (b'A'..=b'Z').collect()),
                    "lower" => (Element::Lower, (b'a'..=b'z').collect()),
                    _ => (Element::Class, class(name)?),
                };
                elements.push((kind, bytes));
                i += 2 + end + 2;
                continue;
            }
            if set[i..].starts_with("[=") || b[i + 1..].iter().take(3).any(|&c| c == b'*') {
                return Err("`[=c=]` and `[c*n]` are not supported".into());
            }
        }
        let (first, next) = byte_at(i)?;
        if b.get(next) == Some(&b'-') && next + 1 < b.len() {
            let (last, after) = byte_at(next + 1)?;
            if last < first {
                // Bytes, not characters: a range's ends may split one.
                return Err(format!(
                    "range-endpoints of `{}` are in reverse collating sequence order",
                    String::from_utf8_lossy(&b[i..after])
                ));
            }
            elements.push((Element::Range, (first..=last).collect()));
            i = after;
            continue;
        }
        elements.push((Element::Byte(first), vec![first]));
        i = next;
    }
    let bytes = elements.iter().flat_map(|(_, b)| b.clone()).collect();
    Ok((bytes, elements.into_iter().map(|(k, _)| k).collect()))
}

fn class(name: &str) -> Result<Vec<u8>, String> {
    let pick = |f: fn(&u8) -> bool| (0..=255u8).filter(f).collect::<Vec<u8>>();
    Ok(match name {
        "alpha" => pick(u8::is_ascii_alphabetic),
        "digit" => pick(u8::is_ascii_digit),
        "alnum" => pick(u8::is_ascii_alphanumeric),
        "space" => pick(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)),
        "blank" => pick(|c| matches!(c, b' ' | b'\t')),
        "punct" => pick(u8::is_ascii_punctuation),
        "cntrl" => pick(u8::is_ascii_control),
        "graph" => pick(u8::is_ascii_graphic),
        "print" => pick(|c| c.is_ascii_graphic() || *c == b' '),
        "xdigit" => pick(u8::is_ascii_hexdigit),
        other => return Err(format!("unknown character class `{other}`")),
    })
}

fn complement(bytes: &[u8]) -> Vec<u8> {
    (0..=255u8).filter(|b| !bytes.contains(b)).collect()
}

fn membership(bytes: &[u8]) -> Vec<bool> {
    let mut m = vec![false; 256];
    for &b in bytes {
        m[b as usize] = true;
    }
    m
}

/// Parses `tr`'s words (after the name).
pub fn parse(name_column: usize, args: &[crate::lex::Word]) -> Result<TrCommand, Refusal> {
    use crate::args::{OptSpec, opt};
    const SPECS: &[OptSpec] = &[
        opt(Some('c'), Some("complement"), false, "c"),
        opt(Some('C'), None, false, "c"),
        opt(Some('d'), Some("delete"), false, "d"),
        opt(Some('s'), Some("squeeze-repeats"), false, "s"),
    ];
    let p = crate::args::parse("tr", args, SPECS)?;
    let has = |k: &str| p.opts.iter().any(|o| o.key == k);
    let (comp, delete, squeeze) = (has("c"), has("d"), has("s"));
    let refuse = |reason: String| Refusal {
        column: name_column,
        reason: format!("tr: {reason}"),
    };
    let sets: Vec<&str> = p.operands.iter().map(|w| w.text.as_str()).collect();
    let fits = match (delete, squeeze) {
        (true, false) => sets.len() == 1,
        (false, true) => sets.len() == 1 || sets.len() == 2,
        _ => sets.len() == 2,
    };
    if !fits {
        return Err(refuse(format!(
            "{} set operand(s) do not fit these options (GNU would report a usage error)",
            sets.len()
        )));
    }
    let (mut set1, kinds1) = expand(sets[0]).map_err(&refuse)?;
    if comp {
        set1 = complement(&set1);
    }
    let mut cmd = TrCommand {
        map: (0..=255u8).collect(),
        delete: vec![false; 256],
        squeeze: vec![false; 256],
    };
    let set2 = match sets.get(1) {
        Some(s) => {
            let (bytes, kinds2) = expand(s).map_err(&refuse)?;
            let classes2 = kinds2
                .iter()
                .any(|k| matches!(k, Element::Upper | Element::Lower | Element::Class));
            if classes2 {
                // Only `[:lower:]` -> `[:upper:]` and the reverse, whole.
                let case_pair = !comp
                    && matches!(
                        (kinds1.as_slice(), kinds2.as_slice()),
                        ([Element::Lower], [Element::Upper]) | ([Element::Upper], [Element::Lower])
                    );
                if !case_pair {
                    return Err(refuse(
                        "classes in the second set are supported only as `[:lower:]` <-> `[:upper:]`"
                            .into(),
                    ));
                }
            }
            Some(bytes)
        }
        None => None,
    };
    if delete {
        cmd.delete = membership(&set1);
        if let Some(s2) = &set2 {
            cmd.squeeze = membership(s2);
        }
        return Ok(cmd);
    }
    match set2 {
        None => cmd.squeeze = membership(&set1),
        Some(s2) => {
            if s2.is_empty() {
                return Err(refuse(
                    "an empty second set is an error (GNU: string2 must be non-empty)".into(),
                ));
            }
            let class1 = kinds1
                .iter()
                .any(|k| matches!(k, Element::Upper | Element::Lower | Element::Class));
            if comp && class1 && s2.iter().any(|&b| b != s2[0]) {
                return Err(refuse(
                    "a complemented class translated to more than one character (GNU: string2 must map all characters in the domain to one)"
                        .into(),
                ));
            }
            let last = s2[s2.len() - 1];
            for (i, &from) in set1.iter().enumerate() {
                cmd.map[from as usize] = s2.get(i).copied().unwrap_or(last);
            }
            if squeeze {
                cmd.squeeze = membership(&s2);
            }
        }
    }
    Ok(cmd)
}

/// Runs `tr` over its standard input.
pub fn run(cmd: &TrCommand, stdin: &[u8]) -> Output {
    let mut out = Vec::with_capacity(stdin.len());
    for &b in stdin {
        if cmd.delete[b as usize] {
            continue;
        }
        let c = cmd.map[b as usize];
        if cmd.squeeze[c as usize] && out.last() == Some(&c) {
            continue;
        }
        out.push(c);
    }
    Output {
        stdout: out,
        ..Output::default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::lex::Word;

    /// A reversed range whose ends split a multi-byte character is refused
    /// with its bytes shown, not a panic (found by the shell_parser fuzz
    /// target: `tr '...-ց-...'`).
    #[test]
    fn reversed_range_inside_a_multibyte_character() {
        let error = expand("---\u{581}----").unwrap_err();
        assert!(
            error.contains("reverse collating sequence order"),
            "{error}"
        );
    }

    fn tr(args: &[&str], input: &str) -> String {
        let words: Vec<Word> = args
            .iter()
            .map(|a| Word {
                text: a.to_string(),
                column: 0,
                quoted: true,
                glob: None,
            })
            .collect();
        let cmd = parse(0, &words).unwrap();
        String::from_utf8(run(&cmd, input.as_bytes()).stdout).unwrap()
    }

    #[test]
    fn translate_delete_squeeze() {
        assert_eq!(tr(&["a-z", "A-Z"], "abc-1"), "ABC-1");
        assert_eq!(tr(&["[:lower:]", "[:upper:]"], "abc"), "ABC");
        assert_eq!(tr(&["aa", "xy"], "aaa"), "yyy");
        assert_eq!(tr(&["-d", "a-c"], "abcdef"), "def");
        assert_eq!(tr(&["-s", " "], "a   b  c"), "a b c");
        assert_eq!(tr(&["-cs", "a-z", "\\n"], "ab, cd"), "ab\ncd");
        assert_eq!(tr(&["-cd", "[:digit:]"], "a1b2\n"), "12");
    }
}
