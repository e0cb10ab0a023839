//! One command line as a typed tree: `;`-separated lists of `&&`/`||` chains
//! of pipelines of programs with their redirections.

use crate::Refusal;
use crate::lex::{Operator, Redirect, RedirectTarget, Token, Word, tokenize};
use crate::program::{GrepOutput, Program, parse_program};

/// Where a program's standard output or error ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The pipeline's standard output (the next stage, or the command's stdout).
    Stdout,
    /// The command's standard error.
    Stderr,
    /// Discarded.
    Null,
}

/// One program of a pipeline and where its two output streams go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub program: Program,
    pub stdout: Stream,
    pub stderr: Stream,
    /// 0-based column of the program name.
    pub column: usize,
}

/// `a | b | c`, or `! a | b` (its status inverted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub stages: Vec<Stage>,
    pub negated: bool,
}

/// How a pipeline joins the previous one in an `&&`/`||` chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `p1 && p2 || p3`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOrList {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

/// A whole command line: `list ; list ; ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub lists: Vec<AndOrList>,
}

impl Script {
    /// Every stage of the script, in order.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.lists
            .iter()
            .flat_map(|l| std::iter::once(&l.first).chain(l.rest.iter().map(|(_, p)| p)))
            .flat_map(|p| p.stages.iter())
    }
}

/// Parses one command line. Columns in refusals are 0-based.
///
/// ```
/// use recon_shell::script::{parse_script, Stream};
/// let s = parse_script("cat logging.conf 2>/dev/null || grep -rn x | head -3").unwrap();
/// assert_eq!(s.lists[0].rest.len(), 1);
/// assert_eq!(s.lists[0].first.stages[0].stderr, Stream::Null);
/// ```
pub fn parse_script(line: &str) -> Result<Script, Refusal> {
    parse_script_with(line, &mut NoGlobs)
}

/// Expands glob words as bash would, following the `cd`s of the line.
pub trait Expander {
    /// The words bash passes on for one glob word.
    fn expand(&mut self, word: &Word) -> Result<Vec<Word>, Refusal>;
    /// A `cd DIR` stage was parsed: later words expand from there.
    fn cd(&mut self, _dir: &str) {}
}

/// Refuses every glob (for parsing a line outside a mission run).
struct NoGlobs;

impl Expander for NoGlobs {
    fn expand(&mut self, w: &Word) -> Result<Vec<Word>, Refusal> {
        Err(Refusal {
            column: w.column,
            reason: "unquoted glob pattern outside a mission run".into(),
        })
    }
}

/// Parses one command line, expanding glob words with `expand`.
pub fn parse_script_with(line: &str, expand: &mut dyn Expander) -> Result<Script, Refusal> {
    let tokens = tokenize(line)?;
    let mut lists = Vec::new();
    let mut current_list: Option<AndOrList> = None;
    let mut pending_connector: Option<(Connector, usize)> = None;
    let mut stages: Vec<Stage> = Vec::new();
    let mut words = Vec::new();
    let mut redirects: Vec<Redirect> = Vec::new();
    let mut last_op_column = 0;
    let mut negated = false;

    let mut tokens = tokens.into_iter();
    loop {
        let (op, column) = match tokens.next() {
            // `!` before a pipeline's first word inverts its status.
            Some(Token::Word(w))
                if w.text == "!" && !w.quoted && words.is_empty() && redirects.is_empty() =>
            {
                if !stages.is_empty() {
                    return Err(Refusal {
                        column: w.column,
                        reason: "`!` inside a pipeline is not supported".into(),
                    });
                }
                if negated {
                    return Err(Refusal {
                        column: w.column,
                        reason: "`! !` is not supported".into(),
                    });
                }
                negated = true;
                continue;
            }
            Some(Token::Word(w)) => {
                if w.glob.is_some() && words.first().is_some_and(|f: &Word| f.text == "[[") {
                    return Err(Refusal {
                        column: w.column,
                        reason: "`[[` does not expand globs: quote the pattern or use `[`".into(),
                    });
                }
                if w.glob.is_some() {
                    words.extend(expand.expand(&w)?);
                } else {
                    words.push(w);
                }
                continue;
            }
            Some(Token::Redirect(r, _)) => {
                redirects.push(r);
                continue;
            }
            Some(Token::Op(op, c)) => (Some(op), c),
            None => (None, line.chars().count()),
        };
        // Close the simple command.
        if words.is_empty() {
            if !redirects.is_empty()
                || negated
                || op.is_some()
                || !stages.is_empty()
                || pending_connector.is_some()
            {
                return Err(Refusal {
                    column: if op.is_some() { column } else { last_op_column },
                    reason: "syntax error: missing command".into(),
                });
            }
        } else {
            let mut program = parse_program(&words)?;
            if let Program::Cd(c) = &program
                && let Some(dir) = &c.dir
            {
                expand.cd(&dir.text);
            }
            let (stdout, stderr) = apply_redirects(&redirects);
            if let Program::Grep(g) = &mut program
                && stdout == Stream::Null
                && matches!(g.output, GrepOutput::Lines | GrepOutput::Count)
            {
                g.output = GrepOutput::Discarded;
            }
            stages.push(Stage {
                program,
                stdout,
                stderr,
                column: words[0].column,
            });
            words.clear();
            redirects.clear();
        }
        last_op_column = column;
        if op == Some(Operator::Pipe) {
            continue;
        }
        // Close the pipeline.
        if !stages.is_empty() {
            let pipeline = Pipeline {
                stages: std::mem::take(&mut stages),
                negated: std::mem::take(&mut negated),
            };
            match (current_list.as_mut(), pending_connector.take()) {
                (Some(list), Some((c, _))) => list.rest.push((c, pipeline)),
                (None, _) => {
                    current_list = Some(AndOrList {
                        first: pipeline,
                        rest: Vec::new(),
                    })
                }
                (Some(_), None) => {}
            }
        }
        match op {
            Some(Operator::And) => pending_connector = Some((Connector::And, column)),
            Some(Operator::Or) => pending_connector = Some((Connector::Or, column)),
            Some(Operator::Semi) | None => {
                if let Some((_, c)) = pending_connector {
                    return Err(Refusal {
                        column: c,
                        reason: "syntax error: `&&`/`||` without a command after it".into(),
                    });
                }
                if let Some(list) = current_list.take() {
                    lists.push(list);
                }
                if op.is_none() {
                    break;
                }
            }
            Some(Operator::Pipe) => {}
        }
    }
    if lists.is_empty() {
        return Err(Refusal {
            column: 0,
            reason: "empty command".into(),
        });
    }
    Ok(Script { lists })
}

/// Applies redirections left to right, as bash does: `>/dev/null 2>&1`
/// silences both, `2>&1 >/dev/null` sends errors to the pipe.
fn apply_redirects(redirects: &[Redirect]) -> (Stream, Stream) {
    let (mut out, mut err) = (Stream::Stdout, Stream::Stderr);
    for r in redirects {
        let target = match r.target {
            RedirectTarget::Null => Stream::Null,
            RedirectTarget::Fd(1) => out,
            RedirectTarget::Fd(_) => err,
        };
        match r.fd {
            1 => out = target,
            2 => err = target,
            _ => {
                out = target;
                err = target;
            }
        }
    }
    (out, err)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn redirection_order_matters() {
        let s = parse_script("grep x f >/dev/null 2>&1").unwrap();
        let st = &s.lists[0].first.stages[0];
        assert_eq!((st.stdout, st.stderr), (Stream::Null, Stream::Null));
        let s = parse_script("grep x f 2>&1 >/dev/null").unwrap();
        let st = &s.lists[0].first.stages[0];
        assert_eq!((st.stdout, st.stderr), (Stream::Null, Stream::Stdout));
    }

    #[test]
    fn lists_and_pipelines() {
        let s = parse_script("cd a && ls | head -1; cat x || cat y").unwrap();
        assert_eq!(s.lists.len(), 2);
        assert_eq!(s.lists[0].rest[0].0, Connector::And);
        assert_eq!(s.lists[0].rest[0].1.stages.len(), 2);
        assert_eq!(s.lists[1].rest[0].0, Connector::Or);
    }

    #[test]
    fn bang_inverts_a_whole_pipeline() {
        let s = parse_script("! grep -q x f | head -1 && echo y").unwrap();
        assert!(s.lists[0].first.negated);
        assert_eq!(s.lists[0].first.stages.len(), 2);
        assert!(!s.lists[0].rest[0].1.negated);
        // Quoted, or inside a command, `!` is a word.
        assert!(parse_script("test ! -f x").is_ok_and(|s| !s.lists[0].first.negated));
        assert!(parse_script("\"!\" x").is_err());
        assert!(parse_script("ls | ! grep x").is_err());
        assert!(parse_script("!").is_err());
    }

    #[test]
    fn dangling_operators_are_syntax_errors() {
        assert!(parse_script("ls |").is_err());
        assert!(parse_script("ls &&").is_err());
        assert!(parse_script("| ls").is_err());
    }
}
