//! `xargs`: GNU findutils' splitting of standard input into arguments, and
//! the read-only program run on them in batches.

use std::path::Path;

use crate::exec::{Output, check_operands, run_program};
use crate::lex::Word;
use crate::program::XargsCommand;
use crate::walk::Checkout;

/// GNU xargs' default limit on the bytes of one command line.
const MAX_CHARS: usize = 131_072;

const NUL_WARNING: &str = "xargs: WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?\n";

/// The arguments read, and the error that ended the reading early.
struct Split {
    args: Vec<String>,
    /// An unmatched quote: GNU runs what it read, then reports it.
    error: Option<String>,
    /// A NUL met without `-0`: GNU warns and cuts the argument there.
    nul: bool,
}

/// Runs `xargs` in `cwd` (relative to the root); the program's stdin is
/// empty, as GNU gives it `/dev/null`. Status 123 when a run failed with
/// 1-125, 1 on an input error.
pub fn run(x: &XargsCommand, checkout: &Checkout, cwd: &Path, stdin: &[u8]) -> Output {
    let mut out = Output::default();
    let split = split_input(stdin, x.null);
    if split.nul {
        out.err(NUL_WARNING.as_bytes());
    }
    let runs = !(split.args.is_empty() && (x.no_run_if_empty || split.error.is_some()));
    let mut failed = false;
    if runs {
        for batch in batches(x, split.args) {
            let mut words = x.words.clone();
            let column = words.last().map_or(0, |w| w.column);
            words.extend(batch.into_iter().map(|text| Word {
                text,
                column,
                quoted: true,
                glob: None,
            }));
            let program = match crate::program::parse_program(&words) {
                Ok(p) => p,
                Err(r) => {
                    out.err(format!("xargs: {}\n", r.reason).as_bytes());
                    failed = true;
                    continue;
                }
            };
            // Arguments come from the input: check them as the planner
            // checks operands written in the mission.
            if let Err(r) = check_operands(checkout, &program, &[cwd.to_path_buf()]) {
                out.err(format!("xargs: refused: {}\n", r.reason).as_bytes());
                failed = true;
                continue;
            }
            let result = match &program {
                // xargs runs /bin/echo, not bash's builtin.
                crate::program::Program::Echo(e) => match crate::builtins::coreutils_echo(e) {
                    Some(result) => result,
                    None => {
                        out.err(b"xargs: refused: echo: --help and --version are not reproduced\n");
                        failed = true;
                        continue;
                    }
                },
                _ => run_program(&program, None, checkout, cwd, &[]),
            };
            failed |= (1..=125).contains(&result.status);
            out.append(result);
        }
    }
    if failed {
        out.status = 123;
    }
    if let Some(msg) = split.error {
        out.err(format!("xargs: {msg}\n").as_bytes());
        out.status = 1;
    }
    out
}

/// Groups arguments by `-n` and by GNU's command-line size limit; one empty
/// batch when there are none (GNU runs the program once).
fn batches(x: &XargsCommand, args: Vec<String>) -> Vec<Vec<String>> {
    let fixed: usize = x.words.iter().map(|w| w.text.len() + 1).sum();
    let mut batches = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut size = fixed;
    for arg in args {
        let full =
            x.max_args.is_some_and(|n| current.len() >= n) || size + arg.len() + 1 > MAX_CHARS;
        if full && !current.is_empty() {
            batches.push(std::mem::take(&mut current));
            size = fixed;
        }
        size += arg.len() + 1;
        current.push(arg);
    }
    if !current.is_empty() || batches.is_empty() {
        batches.push(current);
    }
    batches
}

/// GNU's splitting: blanks and newlines separate, single and double quotes
/// group (not across a newline), a backslash escapes; with `-0`, NULs
/// separate and nothing else is special.
fn split_input(input: &[u8], null: bool) -> Split {
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if null {
        let args = input
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(lossy)
            .collect();
        return Split {
            args,
            error: None,
            nul: false,
        };
    }
    let unmatched = |q: u8| {
        let kind = if q == b'\'' { "single" } else { "double" };
        format!(
            "unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option"
        )
    };
    let mut split = Split {
        args: Vec::new(),
        error: None,
        nul: false,
    };
    let mut current: Vec<u8> = Vec::new();
    let mut in_word = false;
    let mut cut = false;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        i += 1;
        if b == 0 {
            split.nul = true;
            cut = true;
            in_word = true;
            continue;
        }
        if let Some(q) = quote {
            if b == q {
                quote = None;
            } else if b == b'\n' {
                split.error = Some(unmatched(q));
                return split;
            } else if !cut {
                current.push(b);
            }
            continue;
        }
        match b {
            b' ' | b'\t' | b'\n' => {
                if in_word {
                    split.args.push(lossy(&current));
                    current.clear();
                    in_word = false;
                    cut = false;
                }
            }
            b'\'' | b'"' => {
                quote = Some(b);
                in_word = true;
            }
            b'\\' => {
                if let Some(&n) = input.get(i)
                    && !cut
                {
                    current.push(n);
                }
                i += 1;
                in_word = true;
            }
            _ => {
                if !cut {
                    current.push(b);
                }
                in_word = true;
            }
        }
    }
    if let Some(q) = quote {
        split.error = Some(unmatched(q));
        return split;
    }
    if in_word {
        split.args.push(lossy(&current));
    }
    split
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn quotes_backslashes_and_blanks() {
        let s = split_input(b"a 'b c'\n\"d e\" f\\ g\n", false);
        assert_eq!(s.args, ["a", "b c", "d e", "f g"]);
        assert!(s.error.is_none() && !s.nul);
    }

    #[test]
    fn an_unmatched_quote_keeps_what_was_read() {
        let s = split_input(b"x.py y.py\nit's\n", false);
        assert_eq!(s.args, ["x.py", "y.py"]);
        assert!(s.error.unwrap().starts_with("unmatched single quote"));
    }

    #[test]
    fn a_nul_cuts_the_argument() {
        let s = split_input(b"a b\0c d", false);
        assert!(s.nul);
        assert_eq!(s.args, ["a", "b", "d"]);
    }
}
