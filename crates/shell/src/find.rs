//! `find` as GNU findutils 4.9 runs it with `-P` (no symlink followed):
//! each starting point, then its tree depth first in directory order, the
//! expression evaluated with `!` > `-a` > `-o` precedence, `-print` implied
//! when the expression has no action.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::Refusal;
use crate::exec::Output;
use crate::lex::Word;
use crate::walk::{Checkout, EntryKind, fnmatch, strerror};

/// A `find` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindExpr {
    True,
    /// `-name` / `-iname` on the base name.
    Name {
        pattern: String,
        ignore_case: bool,
    },
    /// `-path` / `-wholename` on the whole printed path.
    Path(String),
    /// `-type f|d|l|p|s`.
    Type(char),
    Print,
    Print0,
    Not(Box<FindExpr>),
    And(Box<FindExpr>, Box<FindExpr>),
    Or(Box<FindExpr>, Box<FindExpr>),
}

impl FindExpr {
    fn has_action(&self) -> bool {
        match self {
            FindExpr::Print | FindExpr::Print0 => true,
            FindExpr::Not(e) => e.has_action(),
            FindExpr::And(a, b) | FindExpr::Or(a, b) => a.has_action() || b.has_action(),
            _ => false,
        }
    }
}

/// `find [PATH...] [EXPR]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindCommand {
    pub paths: Vec<Word>,
    pub expr: FindExpr,
    pub max_depth: Option<usize>,
    pub min_depth: usize,
}

/// Parses find's arguments: starting points up to the first word that
/// starts an expression, then the expression.
pub fn parse(args: &[Word]) -> Result<FindCommand, Refusal> {
    let starts_expr =
        |t: &str| t.starts_with('-') && t.len() > 1 || t == "!" || t == "(" || t == ")";
    let split = args
        .iter()
        .position(|w| starts_expr(&w.text))
        .unwrap_or(args.len());
    let mut parser = ExprParser {
        words: &args[split..],
        pos: 0,
        depth: 0,
        terms: 0,
        max_depth: None,
        min_depth: 0,
    };
    let expr = if parser.words.is_empty() {
        FindExpr::True
    } else {
        parser.or()?
    };
    if let Some(w) = parser.words.get(parser.pos) {
        return Err(Refusal {
            column: w.column,
            reason: format!("find: unexpected `{}`", w.text),
        });
    }
    let expr = if expr.has_action() {
        expr
    } else {
        FindExpr::And(Box::new(expr), Box::new(FindExpr::Print))
    };
    Ok(FindCommand {
        paths: args[..split].to_vec(),
        expr,
        max_depth: parser.max_depth,
        min_depth: parser.min_depth,
    })
}

/// Deepest `!` / `(` nesting, and most primaries, of a find expression.
/// Parsing and evaluating recurse along the expression, so both are
/// bounded (100k nested `!` overflowed the stack); real missions use a
/// handful.
const MAX_EXPR_DEPTH: usize = 1_000;
const MAX_EXPR_TERMS: usize = 10_000;

struct ExprParser<'a> {
    words: &'a [Word],
    pos: usize,
    /// Current `!` / `(` nesting, and primaries read so far.
    depth: usize,
    terms: usize,
    max_depth: Option<usize>,
    min_depth: usize,
}

impl ExprParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.words.get(self.pos).map(|w| w.text.as_str())
    }

    fn or(&mut self) -> Result<FindExpr, Refusal> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.pos += 1;
            let right = self.and()?;
            left = FindExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<FindExpr, Refusal> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                Some("-a" | "-and") => self.pos += 1,
                Some(t) if t != "-o" && t != "-or" && t != ")" => {}
                _ => return Ok(left),
            }
            let right = self.unary()?;
            left = FindExpr::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<FindExpr, Refusal> {
        let Some(word) = self.words.get(self.pos) else {
            let column = self.words.last().map_or(0, |w| w.column);
            return Err(Refusal {
                column,
                reason: "find: expression expected".into(),
            });
        };
        let column = word.column;
        self.pos += 1;
        self.terms += 1;
        if self.depth >= MAX_EXPR_DEPTH || self.terms > MAX_EXPR_TERMS {
            return Err(Refusal {
                column,
                reason: format!(
                    "find: expression longer than {MAX_EXPR_TERMS} terms or nested deeper than {MAX_EXPR_DEPTH}"
                ),
            });
        }
        let mut arg = |name: &str| -> Result<String, Refusal> {
            let v = self.words.get(self.pos).ok_or_else(|| Refusal {
                column,
                reason: format!("find: missing argument to `{name}'"),
            })?;
            self.pos += 1;
            Ok(v.text.clone())
        };
        let depth = |v: String, name: &str| -> Result<usize, Refusal> {
            v.parse().map_err(|_| Refusal {
                column,
                reason: format!("find: invalid argument to {name}"),
            })
        };
        Ok(match word.text.as_str() {
            "!" | "-not" => {
                self.depth += 1;
                let inner = self.unary()?;
                self.depth -= 1;
                FindExpr::Not(Box::new(inner))
            }
            "(" => {
                self.depth += 1;
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(")") {
                    return Err(Refusal {
                        column,
                        reason: "find: unmatched `('".into(),
                    });
                }
                self.pos += 1;
                inner
            }
            "-name" => FindExpr::Name {
                pattern: arg("-name")?,
                ignore_case: false,
            },
            "-iname" => FindExpr::Name {
                pattern: arg("-iname")?,
                ignore_case: true,
            },
            "-path" | "-wholename" => FindExpr::Path(arg("-path")?),
            "-type" => {
                let t = arg("-type")?;
                match t.as_str() {
                    "f" | "d" | "l" | "p" | "s" => FindExpr::Type(t.chars().next().unwrap_or('f')),
                    _ => {
                        return Err(Refusal {
                            column,
                            reason: format!("find: unsupported -type `{t}`"),
                        });
                    }
                }
            }
            "-maxdepth" => {
                let v = arg("-maxdepth")?;
                self.max_depth = Some(depth(v, "-maxdepth")?);
                FindExpr::True
            }
            "-mindepth" => {
                let v = arg("-mindepth")?;
                self.min_depth = depth(v, "-mindepth")?;
                FindExpr::True
            }
            "-print" => FindExpr::Print,
            "-print0" => FindExpr::Print0,
            "-true" => FindExpr::True,
            other => {
                return Err(Refusal {
                    column,
                    reason: format!(
                        "find: `{other}` is not supported (read-only subset: -name -iname -path -type -maxdepth -mindepth -not ! -a -o ( ) -print -print0)"
                    ),
                });
            }
        })
    }
}

/// One node met by the walk.
struct Node<'a> {
    shown: &'a [u8],
    kind: EntryKind,
}

fn base_name(path: &[u8]) -> &[u8] {
    let mut end = path.len();
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    let trimmed = &path[..end];
    match trimmed.iter().rposition(|&b| b == b'/') {
        Some(i) if trimmed.len() > 1 => &trimmed[i + 1..],
        _ => trimmed,
    }
}

fn eval(expr: &FindExpr, node: &Node<'_>, out: &mut Vec<u8>) -> bool {
    match expr {
        FindExpr::True => true,
        FindExpr::Name {
            pattern,
            ignore_case,
        } => {
            let name = base_name(node.shown);
            if *ignore_case {
                fnmatch(
                    pattern.to_ascii_lowercase().as_bytes(),
                    &name.to_ascii_lowercase(),
                )
            } else {
                fnmatch(pattern.as_bytes(), name)
            }
        }
        FindExpr::Path(pattern) => fnmatch(pattern.as_bytes(), node.shown),
        FindExpr::Type(t) => matches!(
            (t, node.kind),
            ('f', EntryKind::File)
                | ('d', EntryKind::Dir)
                | ('l', EntryKind::Symlink)
                | ('p', EntryKind::Fifo)
                | ('s', EntryKind::Socket)
        ),
        FindExpr::Print => {
            out.extend_from_slice(node.shown);
            out.push(b'\n');
            true
        }
        FindExpr::Print0 => {
            out.extend_from_slice(node.shown);
            out.push(0);
            true
        }
        FindExpr::Not(e) => !eval(e, node, out),
        FindExpr::And(a, b) => eval(a, node, out) && eval(b, node, out),
        FindExpr::Or(a, b) => eval(a, node, out) || eval(b, node, out),
    }
}

fn kind_of(meta: &fs::Metadata) -> EntryKind {
    crate::walk::kind_of(meta.file_type())
}

/// Runs `find` with operands relative to `cwd` (absolute).
pub fn run(cmd: &FindCommand, checkout: &Checkout, cwd: &Path) -> Output {
    let mut out = Output::default();
    let default = [Word {
        text: ".".into(),
        column: 0,
        quoted: false,
        glob: None,
    }];
    let paths = if cmd.paths.is_empty() {
        &default[..]
    } else {
        &cmd.paths[..]
    };
    for start in paths {
        let root = cwd.join(&start.text);
        let meta = match fs::symlink_metadata(&root) {
            Ok(m) => m,
            Err(e) => {
                out.err(
                    format!(
                        "find: {}: {}\n",
                        crate::quote::quote_find(start.text.as_bytes()),
                        strerror(&e)
                    )
                    .as_bytes(),
                );
                out.status = 1;
                continue;
            }
        };
        // Depth-first with an explicit stack: (absolute dir, shown prefix,
        // entries, next index, depth of the entries).
        let shown = start.text.as_bytes().to_vec();
        let kind = kind_of(&meta);
        if cmd.min_depth == 0 {
            eval(
                &cmd.expr,
                &Node {
                    shown: &shown,
                    kind,
                },
                &mut out.stdout,
            );
        }
        if kind != EntryKind::Dir || cmd.max_depth == Some(0) {
            continue;
        }
        let mut stack = vec![(
            root.clone(),
            shown.clone(),
            checkout.list(&root),
            0usize,
            1usize,
        )];
        if let Err(e) = stack[0].2.as_ref() {
            out.err(
                format!(
                    "find: {}: {}\n",
                    crate::quote::quote_find(start.text.as_bytes()),
                    strerror(e)
                )
                .as_bytes(),
            );
            out.status = 1;
            continue;
        }
        while let Some((dir, prefix, listing, next, depth)) = stack.last_mut() {
            let Ok(entries) = listing.as_ref() else {
                stack.pop();
                continue;
            };
            let Some(entry) = entries.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            let depth = *depth;
            let mut path_shown = prefix.clone();
            if !path_shown.ends_with(b"/") {
                path_shown.push(b'/');
            }
            path_shown.extend_from_slice(entry.name.as_bytes());
            let path = dir.join(&entry.name);
            if depth >= cmd.min_depth {
                eval(
                    &cmd.expr,
                    &Node {
                        shown: &path_shown,
                        kind: entry.kind,
                    },
                    &mut out.stdout,
                );
            }
            if entry.kind == EntryKind::Dir && cmd.max_depth.is_none_or(|m| depth < m) {
                let listing = checkout.list(&path);
                if let Err(e) = listing.as_ref() {
                    let msg = format!(
                        "find: {}: {}\n",
                        crate::quote::quote_find(&path_shown),
                        strerror(e)
                    );
                    out.err(msg.as_bytes());
                    out.status = 1;
                    continue;
                }
                stack.push((path, path_shown, listing, 0, depth + 1));
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Word> {
        s.split_whitespace()
            .map(|t| Word {
                text: t.into(),
                column: 0,
                quoted: false,
                glob: None,
            })
            .collect()
    }

    #[test]
    fn precedence_and_implied_print() {
        let f = parse(&words("src -name a -o -name b -type f")).unwrap();
        assert_eq!(f.paths.len(), 1);
        let FindExpr::And(inner, print) = f.expr else {
            panic!()
        };
        assert_eq!(*print, FindExpr::Print);
        assert!(matches!(*inner, FindExpr::Or(..)));
    }

    #[test]
    fn unsupported_predicates_are_refused() {
        assert!(
            parse(&words(". -delete"))
                .unwrap_err()
                .reason
                .contains("-delete")
        );
        assert!(parse(&words(". -exec rm {} ;")).is_err());
        assert!(
            parse(&words(". -name"))
                .unwrap_err()
                .reason
                .contains("missing argument")
        );
    }

    #[test]
    fn base_names() {
        assert_eq!(base_name(b"sub//"), b"sub");
        assert_eq!(base_name(b"."), b".");
        assert_eq!(base_name(b"a/b.py"), b"b.py");
    }
}
