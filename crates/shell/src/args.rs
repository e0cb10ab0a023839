//! GNU `getopt_long`-style argument parsing: bundled short flags (`-rniw`),
//! attached or separate option arguments (`-ePAT`, `-e PAT`, `--include=X`),
//! options after operands (GNU permutes), and `--` ending the options.

use crate::Refusal;
use crate::lex::Word;

/// How an option is spelled and whether it takes an argument.
pub struct OptSpec {
    /// Short letter, if any.
    pub short: Option<char>,
    /// Long name without `--`, if any.
    pub long: Option<&'static str>,
    pub takes_arg: bool,
    /// The canonical key the program matches on.
    pub key: &'static str,
}

/// Shorthand for the option tables.
pub const fn opt(
    short: Option<char>,
    long: Option<&'static str>,
    takes_arg: bool,
    key: &'static str,
) -> OptSpec {
    OptSpec {
        short,
        long,
        takes_arg,
        key,
    }
}

/// One option found on the command line, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedOpt {
    pub key: &'static str,
    pub value: Option<String>,
    pub column: usize,
}

/// Options (in order) and operands (in order) of one command.
#[derive(Debug, Default)]
pub struct ParsedArgs {
    pub opts: Vec<ParsedOpt>,
    pub operands: Vec<Word>,
}

/// Parses `args` (the words after the program name) against `specs`.
pub fn parse(program: &str, args: &[Word], specs: &[OptSpec]) -> Result<ParsedArgs, Refusal> {
    let mut out = ParsedArgs::default();
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let word = &args[i];
        let text = word.text.as_str();
        i += 1;
        if only_operands || text == "-" || !text.starts_with('-') {
            out.operands.push(word.clone());
            continue;
        }
        if text == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let spec = long_spec(specs, name).ok_or_else(|| Refusal {
                column: word.column,
                reason: format!("{program}: unsupported option `--{name}`"),
            })?;
            let value = match (spec.takes_arg, attached) {
                (true, Some(v)) => Some(v),
                (true, None) => {
                    let v = args.get(i).ok_or_else(|| Refusal {
                        column: word.column,
                        reason: format!("{program}: option `--{name}` needs an argument"),
                    })?;
                    i += 1;
                    Some(v.text.clone())
                }
                (false, Some(_)) => {
                    return Err(Refusal {
                        column: word.column,
                        reason: format!("{program}: option `--{name}` takes no argument"),
                    });
                }
                (false, None) => None,
            };
            out.opts.push(ParsedOpt {
                key: spec.key,
                value,
                column: word.column,
            });
            continue;
        }
        // Bundled short options.
        let letters: Vec<char> = text[1..].chars().collect();
        let mut j = 0;
        while j < letters.len() {
            let letter = letters[j];
            let spec = specs
                .iter()
                .find(|s| s.short == Some(letter))
                .ok_or_else(|| Refusal {
                    column: word.column,
                    reason: format!("{program}: unsupported option `-{letter}`"),
                })?;
            if spec.takes_arg {
                let rest: String = letters[j + 1..].iter().collect();
                let value = if !rest.is_empty() {
                    rest
                } else {
                    let v = args.get(i).ok_or_else(|| Refusal {
                        column: word.column,
                        reason: format!("{program}: option `-{letter}` needs an argument"),
                    })?;
                    i += 1;
                    v.text.clone()
                };
                out.opts.push(ParsedOpt {
                    key: spec.key,
                    value: Some(value),
                    column: word.column,
                });
                break;
            }
            out.opts.push(ParsedOpt {
                key: spec.key,
                value: None,
                column: word.column,
            });
            j += 1;
        }
    }
    Ok(out)
}

/// Exact long name, or a unique prefix of one as getopt_long allows.
fn long_spec<'a>(specs: &'a [OptSpec], name: &str) -> Option<&'a OptSpec> {
    if let Some(exact) = specs.iter().find(|s| s.long == Some(name)) {
        return Some(exact);
    }
    let mut candidates = specs
        .iter()
        .filter(|s| s.long.is_some_and(|l| l.starts_with(name)) && !name.is_empty());
    let first = candidates.next()?;
    if candidates.all(|c| c.key == first.key) {
        Some(first)
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SPECS: &[OptSpec] = &[
        opt(Some('r'), Some("recursive"), false, "r"),
        opt(Some('n'), Some("line-number"), false, "n"),
        opt(Some('e'), Some("regexp"), true, "e"),
        opt(None, Some("include"), true, "include"),
    ];

    fn w(s: &str) -> Word {
        Word {
            text: s.to_string(),
            column: 0,
            quoted: false,
            glob: None,
        }
    }

    #[test]
    fn bundles_attached_values_and_permutation() {
        let args: Vec<Word> = [
            "-rn",
            "x",
            "-eFOO",
            "--include=*.py",
            "dir",
            "-e",
            "bar",
            "--",
            "-n",
        ]
        .map(w)
        .to_vec();
        let p = parse("grep", &args, SPECS).unwrap();
        let keys: Vec<_> = p.opts.iter().map(|o| (o.key, o.value.clone())).collect();
        assert_eq!(
            keys,
            [
                ("r", None),
                ("n", None),
                ("e", Some("FOO".into())),
                ("include", Some("*.py".into())),
                ("e", Some("bar".into()))
            ]
        );
        let ops: Vec<_> = p.operands.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(ops, ["x", "dir", "-n"]);
    }

    #[test]
    fn unknown_options_are_refused() {
        assert!(
            parse("grep", &[w("-Z")], SPECS)
                .unwrap_err()
                .reason
                .contains("-Z")
        );
        assert!(parse("grep", &[w("--color")], SPECS).is_err());
    }

    #[test]
    fn long_prefixes_resolve_when_unique() {
        let p = parse("grep", &[w("--inc=x"), w("--recur")], SPECS).unwrap();
        assert_eq!(p.opts[0].key, "include");
        assert_eq!(p.opts[1].key, "r");
    }
}
