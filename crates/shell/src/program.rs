//! The read-only programs of the subset, each parsed from its words into a
//! typed command: flags become settings, anything unknown is refused.

use crate::Refusal;
use crate::args::{self, OptSpec, opt};
use crate::lex::Word;

/// Which regular-expression dialect a grep pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternSyntax {
    /// `-G` (default): POSIX basic, with GNU's `\|`, `\+`, `\?`.
    Basic,
    /// `-E`: POSIX extended.
    Extended,
    /// `-F`: fixed strings.
    Fixed,
}

/// How a recursive grep treats symlinks met while recursing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recursion {
    /// `-r`: skip symlinks found in directories (command-line ones are followed).
    Physical,
    /// `-R`: follow every symlink.
    Logical,
}

/// What grep prints for each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrepOutput {
    /// Matching lines (or `-o` parts).
    Lines,
    /// `-c`
    Count,
    /// `-l`
    FilesWithMatches,
    /// `-L`
    FilesWithoutMatch,
    /// `-q`
    Quiet,
    /// Standard output is `/dev/null`: GNU grep notices and stops each
    /// file at its first match, printing nothing (not even `binary file
    /// matches`), but unlike `-q` goes on to the next file.
    Discarded,
}

/// `grep` with its settings derived from the flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrepCommand {
    pub patterns: Vec<String>,
    pub syntax: PatternSyntax,
    pub recursion: Option<Recursion>,
    pub line_number: bool,
    /// `-H` (Some(true)) / `-h` (Some(false)); None: decided by file count.
    pub with_filename: Option<bool>,
    pub ignore_case: bool,
    pub invert: bool,
    pub word: bool,
    pub line: bool,
    pub only_matching: bool,
    pub output: GrepOutput,
    pub no_messages: bool,
    pub max_count: Option<u64>,
    pub before: usize,
    pub after: usize,
    /// Any of `-A`/`-B`/`-C` given (even 0): groups are separated by `--`.
    pub context: bool,
    pub includes: Vec<String>,
    pub excludes: Vec<String>,
    pub exclude_dirs: Vec<String>,
    /// File operands; empty means stdin, or `.` when recursive.
    pub files: Vec<Word>,
}

/// `cat FILE...`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatCommand {
    pub files: Vec<Word>,
}

/// How `ls` orders what it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LsSort {
    Name,
    /// `-t`: newest first.
    Time,
    /// `-S`: largest first.
    Size,
}

/// `ls [-l] [-a|-A] [-1] [-h] [-t|-S] [-r] [-R] [-d] [PATH...]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LsCommand {
    pub long: bool,
    pub all: bool,
    pub almost_all: bool,
    pub human: bool,
    pub sort: LsSort,
    pub reverse: bool,
    pub recursive: bool,
    pub directory: bool,
    pub paths: Vec<Word>,
}

/// `head`/`tail` line selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSpan {
    /// The first N lines (head) or the last N lines (tail).
    Count(u64),
    /// `tail -n +N`: from line N on.
    From(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadCommand {
    pub lines: u64,
    /// `-c N`: bytes instead of lines.
    pub bytes: bool,
    pub files: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TailCommand {
    pub span: LineSpan,
    /// `-c N` / `-c +N`: bytes instead of lines.
    pub bytes: bool,
    pub files: Vec<Word>,
}

/// `wc` with the counts it prints, in wc's fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WcCommand {
    pub lines: bool,
    pub words: bool,
    pub bytes: bool,
    pub files: Vec<Word>,
}

/// `sort -k START[,END][n][r]`: a key of whole fields (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub start: usize,
    pub end: Option<usize>,
    pub numeric: bool,
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortCommand {
    pub unique: bool,
    pub numeric: bool,
    pub reverse: bool,
    /// `-t C`: the field separator; None splits at blank runs.
    pub separator: Option<u8>,
    pub keys: Vec<SortKey>,
    pub files: Vec<Word>,
}

/// `cut -d C -f LIST [-s]`, `cut -c LIST`, `cut -b LIST`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutCommand {
    pub delimiter: u8,
    /// Inclusive 1-based field (or byte) ranges; `usize::MAX` for an open end.
    pub fields: Vec<(usize, usize)>,
    /// `-c`/`-b`: the list selects bytes (characters are bytes in the C
    /// locale), not fields.
    pub bytes: bool,
    pub only_delimited: bool,
    pub files: Vec<Word>,
    /// A usage error GNU cut reports at run time (exit 1).
    pub error: Option<String>,
}

/// `du [-s] [-h] [-c] [PATH...]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuCommand {
    pub summarize: bool,
    pub human: bool,
    pub total: bool,
    pub paths: Vec<Word>,
}

/// `xargs [-0] [-r] [-n N] PROGRAM ARGS...`: the program's words are parsed
/// again with the arguments read from standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XargsCommand {
    pub null: bool,
    pub no_run_if_empty: bool,
    pub max_args: Option<usize>,
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqCommand {
    pub count: bool,
    /// `-d`: only lines that repeat (one copy each).
    pub repeated: bool,
    /// `-u`: only lines that do not repeat.
    pub unique: bool,
    pub files: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdCommand {
    /// None: `cd` alone (to $HOME), refused by the planner.
    pub dir: Option<Word>,
    pub extra: bool,
}

/// One program invocation of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    Grep(GrepCommand),
    Cat(CatCommand),
    Ls(LsCommand),
    Head(HeadCommand),
    Tail(TailCommand),
    Wc(WcCommand),
    Sort(SortCommand),
    Uniq(UniqCommand),
    Cd(CdCommand),
    Find(crate::find::FindCommand),
    Xargs(XargsCommand),
    Du(DuCommand),
    Cut(CutCommand),
    Echo(crate::builtins::EchoCommand),
    Printf(crate::builtins::PrintfCommand),
    Test(crate::builtins::TestCommand),
    /// `true`, `false`, `:`: only an exit status.
    Status(i32),
    Tr(crate::tr::TrCommand),
    Basename(crate::names::BasenameCommand),
    Dirname(crate::names::DirnameCommand),
}

impl Program {
    /// The words naming files or directories the program will open.
    pub fn path_operands(&self) -> Vec<&Word> {
        let words: Vec<&Word> = match self {
            Program::Grep(g) => g.files.iter().collect(),
            Program::Cat(c) => c.files.iter().collect(),
            Program::Ls(l) => l.paths.iter().collect(),
            Program::Head(h) => h.files.iter().collect(),
            Program::Tail(t) => t.files.iter().collect(),
            Program::Wc(w) => w.files.iter().collect(),
            Program::Sort(s) => s.files.iter().collect(),
            Program::Uniq(u) => u.files.iter().collect(),
            Program::Cd(c) => c.dir.iter().collect(),
            Program::Find(f) => f.paths.iter().collect(),
            Program::Du(d) => d.paths.iter().collect(),
            Program::Cut(c) => c.files.iter().collect(),
            Program::Test(t) => crate::builtins::test_paths(t),
            // Its program's own operands are checked when it is parsed.
            Program::Xargs(_) => Vec::new(),
            // Strings only, never opened.
            Program::Echo(_)
            | Program::Printf(_)
            | Program::Status(_)
            | Program::Tr(_)
            | Program::Basename(_)
            | Program::Dirname(_) => Vec::new(),
        };
        words.into_iter().filter(|w| w.text != "-").collect()
    }
}

/// Parses the words of one simple command (program name first).
pub fn parse_program(words: &[Word]) -> Result<Program, Refusal> {
    let Some((name, args)) = words.split_first() else {
        return Err(Refusal {
            column: 0,
            reason: "empty command".into(),
        });
    };
    let refuse = |reason: String| Refusal {
        column: name.column,
        reason,
    };
    match name.text.as_str() {
        "grep" | "egrep" | "fgrep" => parse_grep(name, args),
        "cat" => {
            let p = args::parse("cat", args, &[])?;
            Ok(Program::Cat(CatCommand { files: p.operands }))
        }
        "ls" => parse_ls(args),
        "head" => {
            let (lines, bytes, files) = parse_line_count("head", args)?;
            match lines {
                LineSpan::Count(n) => Ok(Program::Head(HeadCommand {
                    lines: n,
                    bytes,
                    files,
                })),
                LineSpan::From(_) => Err(refuse("head: `+N` counts are not supported".into())),
            }
        }
        "tail" => {
            let (span, bytes, files) = parse_line_count("tail", args)?;
            Ok(Program::Tail(TailCommand { span, bytes, files }))
        }
        "echo" => Ok(Program::Echo(crate::builtins::parse_echo(name, args)?)),
        "printf" => Ok(Program::Printf(crate::builtins::parse_printf(name, args)?)),
        "test" | "[" => Ok(Program::Test(crate::builtins::parse_test(name, args)?)),
        "[[" => Ok(Program::Test(crate::builtins::parse_double_bracket(
            name, args,
        )?)),
        "true" | ":" => Ok(Program::Status(0)),
        "false" => Ok(Program::Status(1)),
        "tr" => Ok(Program::Tr(crate::tr::parse(name.column, args)?)),
        "basename" => Ok(Program::Basename(crate::names::parse_basename(args)?)),
        "dirname" => Ok(Program::Dirname(crate::names::parse_dirname(args)?)),
        "git" => Err(refuse(match args.first().map(|w| w.text.as_str()) {
            Some(sub) if !crate::refusal_kind::READ_ONLY_GIT.contains(&sub) => format!(
                "`git {sub}` is not run: it may change the repository, and recon reads no git metadata"
            ),
            _ => "`git` is not run: recon reads no git metadata (use `find` or `ls` for the files)"
                .into(),
        })),
        "wc" => {
            const SPECS: &[OptSpec] = &[
                opt(Some('l'), Some("lines"), false, "l"),
                opt(Some('w'), Some("words"), false, "w"),
                opt(Some('c'), Some("bytes"), false, "c"),
            ];
            let p = args::parse("wc", args, SPECS)?;
            let has = |k: &str| p.opts.iter().any(|o| o.key == k);
            let (mut lines, mut words, mut bytes) = (has("l"), has("w"), has("c"));
            if !(lines || words || bytes) {
                (lines, words, bytes) = (true, true, true);
            }
            Ok(Program::Wc(WcCommand {
                lines,
                words,
                bytes,
                files: p.operands,
            }))
        }
        "sort" => parse_sort(args),
        "cut" => parse_cut(args),
        "du" => {
            const SPECS: &[OptSpec] = &[
                opt(Some('s'), Some("summarize"), false, "s"),
                opt(Some('h'), Some("human-readable"), false, "h"),
                opt(Some('c'), Some("total"), false, "c"),
            ];
            let p = args::parse("du", args, SPECS)?;
            let has = |k: &str| p.opts.iter().any(|o| o.key == k);
            Ok(Program::Du(DuCommand {
                summarize: has("s"),
                human: has("h"),
                total: has("c"),
                paths: p.operands,
            }))
        }
        "find" => Ok(Program::Find(crate::find::parse(args)?)),
        "xargs" => parse_xargs(name, args),
        "uniq" => {
            const SPECS: &[OptSpec] = &[
                opt(Some('c'), Some("count"), false, "c"),
                opt(Some('d'), Some("repeated"), false, "d"),
                opt(Some('u'), Some("unique"), false, "u"),
            ];
            let p = args::parse("uniq", args, SPECS)?;
            if p.operands.len() > 1 {
                return Err(refuse(
                    "uniq: an output file operand would be written".into(),
                ));
            }
            let has = |k: &str| p.opts.iter().any(|o| o.key == k);
            Ok(Program::Uniq(UniqCommand {
                count: has("c"),
                repeated: has("d"),
                unique: has("u"),
                files: p.operands,
            }))
        }
        "cd" => {
            let rest: Vec<&Word> = args.iter().filter(|w| w.text != "--").collect();
            if let Some(first) = rest.first()
                && first.text.starts_with('-')
                && first.text != "-"
            {
                return Err(Refusal {
                    column: first.column,
                    reason: format!("cd: unsupported option `{}`", first.text),
                });
            }
            if rest.first().is_some_and(|w| w.text == "-") {
                return Err(refuse("cd: `cd -` is not supported".into()));
            }
            Ok(Program::Cd(CdCommand {
                dir: rest.first().map(|w| (*w).clone()),
                extra: rest.len() > 1,
            }))
        }
        other => Err(refuse(format!(
            "`{other}` is not a supported program (read-only subset: grep cat ls head tail wc sort uniq cut tr basename dirname du find xargs echo printf test [ [[ true false cd)"
        ))),
    }
}

fn parse_sort(args: &[Word]) -> Result<Program, Refusal> {
    const SPECS: &[OptSpec] = &[
        opt(Some('u'), Some("unique"), false, "u"),
        opt(Some('n'), Some("numeric-sort"), false, "n"),
        opt(Some('r'), Some("reverse"), false, "r"),
        opt(Some('t'), Some("field-separator"), true, "t"),
        opt(Some('k'), Some("key"), true, "k"),
    ];
    let p = args::parse("sort", args, SPECS)?;
    let mut cmd = SortCommand {
        unique: false,
        numeric: false,
        reverse: false,
        separator: None,
        keys: Vec::new(),
        files: p.operands,
    };
    for o in &p.opts {
        let value = o.value.clone().unwrap_or_default();
        match o.key {
            "u" => cmd.unique = true,
            "n" => cmd.numeric = true,
            "r" => cmd.reverse = true,
            "t" => {
                let b = value.as_bytes();
                if b.len() != 1 {
                    return Err(Refusal {
                        column: o.column,
                        reason: "sort: the separator must be one byte".into(),
                    });
                }
                cmd.separator = Some(b[0]);
            }
            "k" => cmd.keys.push(parse_sort_key(&value).ok_or_else(|| Refusal {
                column: o.column,
                reason: format!(
                    "sort: unsupported key `{value}` (supported: N[,M] with n/r modifiers)"
                ),
            })?),
            _ => {}
        }
    }
    Ok(Program::Sort(cmd))
}

/// `2`, `2,3`, `2n`, `1,1r`.
fn parse_sort_key(spec: &str) -> Option<SortKey> {
    let (start, end) = match spec.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (spec, None),
    };
    let mut key = SortKey {
        start: 0,
        end: None,
        numeric: false,
        reverse: false,
    };
    let mut field = |text: &str| -> Option<usize> {
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        for m in text[digits.len()..].chars() {
            match m {
                'n' => key.numeric = true,
                'r' => key.reverse = true,
                _ => return None,
            }
        }
        digits.parse().ok().filter(|&n: &usize| n > 0)
    };
    let s = field(start)?;
    let e = match end {
        Some(e) => Some(field(e)?),
        None => None,
    };
    key.start = s;
    key.end = e;
    Some(key)
}

fn parse_cut(args: &[Word]) -> Result<Program, Refusal> {
    const SPECS: &[OptSpec] = &[
        opt(Some('d'), Some("delimiter"), true, "d"),
        opt(Some('f'), Some("fields"), true, "f"),
        opt(Some('c'), Some("characters"), true, "c"),
        opt(Some('b'), Some("bytes"), true, "c"),
        opt(Some('n'), None, false, "n"),
        opt(Some('s'), Some("only-delimited"), false, "s"),
    ];
    let p = args::parse("cut", args, SPECS)?;
    let mut cmd = CutCommand {
        delimiter: b'\t',
        fields: Vec::new(),
        bytes: false,
        only_delimited: false,
        files: p.operands,
        error: None,
    };
    for o in &p.opts {
        let value = o.value.clone().unwrap_or_default();
        let bad = |what: &str| Refusal {
            column: o.column,
            reason: format!("cut: {what}"),
        };
        match o.key {
            "d" => {
                let b = value.as_bytes();
                if b.len() != 1 {
                    return Err(bad("the delimiter must be a single character"));
                }
                cmd.delimiter = b[0];
            }
            "f" | "c" if !cmd.fields.is_empty() || cmd.error.is_some() => {
                cmd.error = Some("only one list may be specified".into());
            }
            "f" | "c" if value.split(',').any(|p| p == "-") => {
                cmd.error = Some("invalid range with no endpoint: -".into());
            }
            "f" | "c" => {
                cmd.bytes = o.key == "c";
                for part in value.split(',') {
                    let range = match part.split_once('-') {
                        Some((a, b)) => {
                            let a = if a.is_empty() {
                                1
                            } else {
                                a.parse().map_err(|_| bad("invalid field list"))?
                            };
                            let b = if b.is_empty() {
                                usize::MAX
                            } else {
                                b.parse().map_err(|_| bad("invalid field list"))?
                            };
                            (a, b)
                        }
                        None => {
                            let n = part.parse().map_err(|_| bad("invalid field list"))?;
                            (n, n)
                        }
                    };
                    if range.0 == 0 || range.0 > range.1 {
                        return Err(bad("invalid field range"));
                    }
                    cmd.fields.push(range);
                }
            }
            "s" => cmd.only_delimited = true,
            _ => {}
        }
    }
    if cmd.fields.is_empty() && cmd.error.is_none() {
        return Err(Refusal {
            column: 0,
            reason: "cut: a list (`-f`, `-c` or `-b`) is needed".into(),
        });
    }
    if cmd.bytes && cmd.error.is_none() {
        let delimited = p.opts.iter().any(|o| o.key == "d" || o.key == "s");
        if delimited {
            return Err(Refusal {
                column: 0,
                reason: "cut: `-d` and `-s` apply to fields only (GNU reports a usage error)"
                    .into(),
            });
        }
    }
    Ok(Program::Cut(cmd))
}

fn parse_xargs(name: &Word, args: &[Word]) -> Result<Program, Refusal> {
    let mut cmd = XargsCommand {
        null: false,
        no_run_if_empty: false,
        max_args: None,
        words: Vec::new(),
    };
    let mut i = 0;
    while let Some(w) = args.get(i) {
        match w.text.as_str() {
            "-0" | "--null" => cmd.null = true,
            "-r" | "--no-run-if-empty" => cmd.no_run_if_empty = true,
            "-n" => {
                i += 1;
                let n = args
                    .get(i)
                    .and_then(|v| v.text.parse().ok())
                    .filter(|&n: &usize| n > 0);
                cmd.max_args = Some(n.ok_or_else(|| Refusal {
                    column: w.column,
                    reason: "xargs: -n needs a positive number".into(),
                })?);
            }
            // `-n1`, `--max-args=1`
            t if t.len() > 2 && t.starts_with("-n") || t.starts_with("--max-args=") => {
                let digits = t.strip_prefix("--max-args=").unwrap_or(&t[2..]);
                let n = digits.parse().ok().filter(|&n: &usize| n > 0);
                cmd.max_args = Some(n.ok_or_else(|| Refusal {
                    column: w.column,
                    reason: "xargs: -n needs a positive number".into(),
                })?);
            }
            t if t.starts_with('-') => {
                return Err(Refusal {
                    column: w.column,
                    reason: format!("xargs: unsupported option `{t}`"),
                });
            }
            _ => break,
        }
        i += 1;
    }
    cmd.words = args[i..].to_vec();
    if cmd.words.is_empty() {
        // GNU xargs runs /bin/echo.
        cmd.words.push(Word {
            text: "echo".into(),
            column: name.column,
            quoted: false,
            glob: None,
        });
    }
    match cmd.words.first().map(|w| w.text.as_str()) {
        None => Err(Refusal {
            column: name.column,
            reason: "xargs: a program is needed".into(),
        }),
        Some("cd" | "xargs") => Err(Refusal {
            column: name.column,
            reason: "xargs: only read-only programs may follow".into(),
        }),
        Some(p @ ("[[" | ":" | "!")) => Err(Refusal {
            column: name.column,
            reason: format!("xargs: `{p}` is part of the shell, not a program xargs can run"),
        }),
        Some(p @ ("printf" | "test" | "[")) => Err(Refusal {
            column: name.column,
            reason: format!(
                "xargs: `{p}` would be the coreutils program, not bash's builtin: not supported"
            ),
        }),
        Some(_) => {
            // Refuse now what would be refused with any arguments.
            parse_program(&cmd.words)?;
            Ok(Program::Xargs(cmd))
        }
    }
}

fn parse_ls(args: &[Word]) -> Result<Program, Refusal> {
    const SPECS: &[OptSpec] = &[
        opt(Some('l'), None, false, "l"),
        opt(Some('a'), Some("all"), false, "a"),
        opt(Some('A'), Some("almost-all"), false, "A"),
        opt(Some('1'), None, false, "1"),
        opt(Some('h'), Some("human-readable"), false, "h"),
        opt(Some('t'), None, false, "t"),
        opt(Some('S'), None, false, "S"),
        opt(Some('r'), Some("reverse"), false, "r"),
        opt(Some('R'), Some("recursive"), false, "R"),
        opt(Some('d'), Some("directory"), false, "d"),
    ];
    let p = args::parse("ls", args, SPECS)?;
    let mut cmd = LsCommand {
        long: false,
        all: false,
        almost_all: false,
        human: false,
        sort: LsSort::Name,
        reverse: false,
        recursive: false,
        directory: false,
        paths: p.operands,
    };
    for o in &p.opts {
        match o.key {
            "h" => cmd.human = true,
            "t" => cmd.sort = LsSort::Time,
            "S" => cmd.sort = LsSort::Size,
            "r" => cmd.reverse = true,
            "R" => cmd.recursive = true,
            "d" => cmd.directory = true,
            "l" => cmd.long = true,
            // GNU: `-1` after `-l` changes nothing; `-l` after `-1` wins.
            "1" => {}
            "a" => {
                cmd.all = true;
                cmd.almost_all = false;
            }
            "A" => {
                cmd.almost_all = !cmd.all;
            }
            _ => {}
        }
    }
    Ok(Program::Ls(cmd))
}

/// `head`/`tail`: `-N`, `-n N`, `-nN`, `--lines=N`, `-c N`, and for tail
/// `-n +N` / `-c +N`. Returns the span, whether it counts bytes, the files.
fn parse_line_count(program: &str, args: &[Word]) -> Result<(LineSpan, bool, Vec<Word>), Refusal> {
    const SPECS: &[OptSpec] = &[
        opt(Some('n'), Some("lines"), true, "n"),
        opt(Some('c'), Some("bytes"), true, "c"),
    ];
    let mut args = args.to_vec();
    // Obsolete `-40` form, accepted as the first argument.
    let mut obsolete = None;
    if let Some(first) = args.first()
        && let Some(digits) = first.text.strip_prefix('-')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        obsolete = Some(digits.to_string());
        args.remove(0);
    }
    let p = args::parse(program, &args, SPECS)?;
    let mut span = LineSpan::Count(10);
    let mut bytes = false;
    if let Some(d) = obsolete {
        span = LineSpan::Count(parse_number(program, &d, 0)?);
    }
    for o in &p.opts {
        bytes = o.key == "c";
        let v = o.value.as_deref().unwrap_or("");
        span = if let Some(from) = v.strip_prefix('+') {
            LineSpan::From(parse_number(program, from, o.column)?)
        } else {
            LineSpan::Count(parse_number(program, v, o.column)?)
        };
    }
    Ok((span, bytes, p.operands))
}

fn parse_number(program: &str, text: &str, column: usize) -> Result<u64, Refusal> {
    text.parse::<u64>().map_err(|_| Refusal {
        column,
        reason: format!("{program}: invalid line count `{text}`"),
    })
}

fn parse_grep(name: &Word, args: &[Word]) -> Result<Program, Refusal> {
    const SPECS: &[OptSpec] = &[
        opt(Some('r'), Some("recursive"), false, "r"),
        opt(Some('R'), Some("dereference-recursive"), false, "R"),
        opt(Some('n'), Some("line-number"), false, "n"),
        opt(Some('H'), Some("with-filename"), false, "H"),
        opt(Some('h'), Some("no-filename"), false, "h"),
        opt(Some('i'), Some("ignore-case"), false, "i"),
        opt(Some('y'), None, false, "i"),
        opt(None, Some("no-ignore-case"), false, "no-i"),
        opt(Some('v'), Some("invert-match"), false, "v"),
        opt(Some('w'), Some("word-regexp"), false, "w"),
        opt(Some('x'), Some("line-regexp"), false, "x"),
        opt(Some('c'), Some("count"), false, "c"),
        opt(Some('l'), Some("files-with-matches"), false, "l"),
        opt(Some('L'), Some("files-without-match"), false, "L"),
        opt(Some('o'), Some("only-matching"), false, "o"),
        opt(Some('q'), Some("quiet"), false, "q"),
        opt(None, Some("silent"), false, "q"),
        opt(Some('s'), Some("no-messages"), false, "s"),
        opt(Some('E'), Some("extended-regexp"), false, "E"),
        opt(Some('F'), Some("fixed-strings"), false, "F"),
        opt(Some('G'), Some("basic-regexp"), false, "G"),
        opt(Some('e'), Some("regexp"), true, "e"),
        opt(Some('m'), Some("max-count"), true, "m"),
        opt(Some('A'), Some("after-context"), true, "A"),
        opt(Some('B'), Some("before-context"), true, "B"),
        opt(Some('C'), Some("context"), true, "C"),
        opt(None, Some("include"), true, "include"),
        opt(None, Some("exclude"), true, "exclude"),
        opt(None, Some("exclude-dir"), true, "exclude-dir"),
        opt(None, Some("color"), true, "color"),
        opt(None, Some("colour"), true, "color"),
    ];
    let p = args::parse("grep", args, SPECS)?;
    let mut g = GrepCommand {
        patterns: Vec::new(),
        syntax: match name.text.as_str() {
            "egrep" => PatternSyntax::Extended,
            "fgrep" => PatternSyntax::Fixed,
            _ => PatternSyntax::Basic,
        },
        recursion: None,
        line_number: false,
        with_filename: None,
        ignore_case: false,
        invert: false,
        word: false,
        line: false,
        only_matching: false,
        output: GrepOutput::Lines,
        no_messages: false,
        max_count: None,
        before: 0,
        after: 0,
        context: false,
        includes: Vec::new(),
        excludes: Vec::new(),
        exclude_dirs: Vec::new(),
        files: Vec::new(),
    };
    let (mut count, mut list, mut list_without, mut quiet) = (false, false, false, false);
    let (mut before, mut after, mut both): (Option<usize>, Option<usize>, Option<usize>) =
        (None, None, None);
    let mut explicit_patterns = false;
    for o in &p.opts {
        let value = o.value.clone().unwrap_or_default();
        // GNU grep reads counts with xstrtoimax and takes an overflowing
        // one as "no limit" (INTMAX_MAX), where head and tail refuse it.
        let number = || match parse_number("grep", &value, o.column) {
            Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(i64::MAX as u64)
            }
            other => other,
        };
        match o.key {
            "r" => g.recursion = Some(Recursion::Physical),
            "R" => g.recursion = Some(Recursion::Logical),
            "n" => g.line_number = true,
            "H" => g.with_filename = Some(true),
            "h" => g.with_filename = Some(false),
            "i" => g.ignore_case = true,
            "no-i" => g.ignore_case = false,
            "v" => g.invert = true,
            "w" => g.word = true,
            "x" => g.line = true,
            "c" => count = true,
            "l" => {
                list = true;
                list_without = false;
            }
            "L" => {
                list_without = true;
                list = false;
            }
            "o" => g.only_matching = true,
            "q" => quiet = true,
            "s" => g.no_messages = true,
            "E" => g.syntax = PatternSyntax::Extended,
            "F" => g.syntax = PatternSyntax::Fixed,
            "G" => g.syntax = PatternSyntax::Basic,
            "e" => {
                explicit_patterns = true;
                g.patterns.extend(value.split('\n').map(str::to_string));
            }
            "m" => g.max_count = Some(number()?),
            // An explicit -A or -B wins over -C, in any order.
            "A" => after = Some(number()? as usize),
            "B" => before = Some(number()? as usize),
            "C" => both = Some(number()? as usize),
            "include" => g.includes.push(value),
            "exclude" => g.excludes.push(value),
            "exclude-dir" => g.exclude_dirs.push(value),
            "color" if value != "never" => {
                return Err(Refusal {
                    column: o.column,
                    reason: "grep: only `--color=never` is supported".into(),
                });
            }
            _ => {}
        }
    }
    g.before = before.or(both).unwrap_or(0);
    g.after = after.or(both).unwrap_or(0);
    g.context = before.is_some() || after.is_some() || both.is_some();
    g.output = if quiet {
        GrepOutput::Quiet
    } else if list {
        GrepOutput::FilesWithMatches
    } else if list_without {
        GrepOutput::FilesWithoutMatch
    } else if count {
        GrepOutput::Count
    } else {
        GrepOutput::Lines
    };
    let mut operands = p.operands.into_iter();
    if !explicit_patterns {
        let Some(pattern) = operands.next() else {
            return Err(Refusal {
                column: name.column,
                reason: "grep: no pattern given".into(),
            });
        };
        g.patterns
            .extend(pattern.text.split('\n').map(str::to_string));
    }
    g.files = operands.collect();
    Ok(Program::Grep(g))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::lex::{Token, tokenize};

    fn program(line: &str) -> Result<Program, Refusal> {
        let words: Vec<Word> = tokenize(line)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w),
                _ => None,
            })
            .collect();
        parse_program(&words)
    }

    #[test]
    fn grep_flags_become_settings() {
        let Program::Grep(g) = program(r#"grep -rniw -e a -e b --include="*.py" -l src"#).unwrap()
        else {
            panic!()
        };
        assert_eq!(g.patterns, ["a", "b"]);
        assert_eq!(g.recursion, Some(Recursion::Physical));
        assert!(g.line_number && g.ignore_case && g.word);
        assert_eq!(g.output, GrepOutput::FilesWithMatches);
        assert_eq!(g.includes, ["*.py"]);
        assert_eq!(g.files.len(), 1);
    }

    #[test]
    fn options_after_operands_count() {
        let Program::Grep(g) = program("grep -n X core/main.py -A 50").unwrap() else {
            panic!()
        };
        assert_eq!(g.after, 50);
        assert_eq!(g.files[0].text, "core/main.py");
    }

    #[test]
    fn head_obsolete_and_tail_plus() {
        assert_eq!(
            program("head -40").unwrap(),
            Program::Head(HeadCommand {
                lines: 40,
                bytes: false,
                files: vec![]
            })
        );
        let Program::Tail(t) = program("tail -n +3").unwrap() else {
            panic!()
        };
        assert_eq!(t.span, LineSpan::From(3));
    }

    #[test]
    fn other_programs_are_refused() {
        for line in [
            "rm -rf /",
            "python x.py",
            "curl http://x",
            "touch f",
            "awk 1 x",
        ] {
            assert!(
                program(line)
                    .unwrap_err()
                    .reason
                    .contains("not a supported program"),
                "{line}"
            );
        }
    }
}
