//! `grep`: pattern compilation and the search of one input, printing what GNU
//! grep 3.x prints for it under `LC_ALL=C`.
//!
//! Lines are found with `grep-searcher` over `grep-regex`; `-o` parts use
//! POSIX leftmost-longest semantics (GNU prints `ab` for `-o 'a\|ab'`), found
//! with an anchored lazy DFA in "all matches" mode from the leftmost start.
//! A file holding a NUL byte is binary: its NULs act as line ends (GNU "zaps"
//! them), and instead of lines grep reports `binary file matches`.

use std::cell::RefCell;
use std::collections::HashMap;

use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{Searcher, SearcherBuilder, Sink, SinkContext, SinkContextKind, SinkMatch};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{Anchored, Input, MatchKind};

use crate::program::{GrepCommand, GrepOutput, PatternSyntax};
use crate::regex::{Dialect, PatternError, literal, translate};

/// A grep command's patterns, compiled once and shared by every file.
pub struct CompiledGrep {
    matcher: RegexMatcher,
    /// For `-o`: anchored leftmost-longest match ends.
    longest: Option<DFA>,
    /// Warnings GNU prints for the patterns (e.g. `* at start of expression`).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for CompiledGrep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledGrep")
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Builds the regex for a grep command's patterns.
pub fn compile(cmd: &GrepCommand) -> Result<CompiledGrep, PatternError> {
    let mut parts = Vec::new();
    let mut warnings = Vec::new();
    for p in &cmd.patterns {
        match cmd.syntax {
            PatternSyntax::Fixed => parts.push(format!("(?:{})", literal(p))),
            PatternSyntax::Basic | PatternSyntax::Extended => {
                let dialect = if cmd.syntax == PatternSyntax::Basic {
                    Dialect::Basic
                } else {
                    Dialect::Extended
                };
                let t = translate(p, dialect)?;
                warnings.extend(t.warnings);
                parts.push(t.regex);
            }
        }
    }
    let mut body = parts.join("|");
    if cmd.line {
        body = format!("^(?:{body})$");
    } else if cmd.word {
        body = format!(r"\b{{start-half}}(?:{body})\b{{end-half}}");
    }
    let flags = if cmd.ignore_case {
        "(?-u)(?i)"
    } else {
        "(?-u)"
    };
    let pattern = format!("{flags}{body}");
    let invalid = |e: String| PatternError::Unsupported(format!("pattern not supported: {e}"));
    let matcher = RegexMatcherBuilder::new()
        .unicode(false)
        .line_terminator(Some(b'\n'))
        .build(&pattern)
        .map_err(|e| invalid(e.to_string()))?;
    let longest = if cmd.only_matching {
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .unicode(false)
                    .utf8(false),
            )
            .build(&pattern)
            .map_err(|e| invalid(e.to_string()))?;
        Some(dfa)
    } else {
        None
    };
    Ok(CompiledGrep {
        matcher,
        longest,
        warnings,
    })
}

/// What searching one input produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileOutcome {
    /// Bytes for stdout.
    pub out: Vec<u8>,
    /// Lines selected (matching, or not matching under `-v`).
    pub selected: u64,
    /// A binary file had a selected line: grep reports it on stderr.
    pub binary_matched: bool,
}

/// (invert, before, after, max matches): what makes two searchers differ.
type SearcherKey = (bool, usize, usize, Option<u64>);

/// How an input is named.
pub struct Prefix<'a> {
    /// The input's name (`(standard input)` for stdin), for `-l`/`-L`.
    pub display: &'a [u8],
    /// Whether lines and counts are prefixed with the name.
    pub show: bool,
}

/// GNU grep 3.x reads its input in chunks of this many bytes and checks
/// each new buffer for NUL bytes; lines completed in earlier chunks were
/// already handled as text.
const GNU_READ_SIZE: usize = 96 * 1024;

/// Searches `data` (the whole input) as `cmd` asks.
pub fn search(
    cmd: &GrepCommand,
    compiled: &CompiledGrep,
    data: &[u8],
    prefix: &Prefix<'_>,
) -> FileOutcome {
    // The text part ends with the last line completed before the chunk
    // holding the first NUL; from there on the input is binary.
    let text_len = match memchr::memchr(0, data) {
        None => data.len(),
        Some(nul) => {
            let chunk_start = nul / GNU_READ_SIZE * GNU_READ_SIZE;
            memchr::memrchr(b'\n', &data[..chunk_start]).map_or(0, |i| i + 1)
        }
    };
    if cmd.max_count == Some(0) {
        // GNU stops before reading: not even a count.
        return FileOutcome::default();
    }
    let (text, binary) = data.split_at(text_len);
    let lines_mode = cmd.output == GrepOutput::Lines;
    let mut sink = OutputSink::new(cmd, compiled, prefix);
    search_part(cmd, compiled, text, &mut sink, lines_mode);
    let stopped = sink.remaining == Some(0) || sink.stop_at_first && sink.outcome.selected > 0;
    if !binary.is_empty() && !stopped {
        // GNU "zaps" NULs into line ends once it knows the input is binary.
        let binary: Vec<u8> = binary
            .iter()
            .map(|&b| if b == 0 { b'\n' } else { b })
            .collect();
        let before = sink.outcome.selected;
        sink.line_offset = memchr::memchr_iter(b'\n', text).count() as u64;
        sink.print_lines = false;
        sink.stop_at_first |= lines_mode;
        search_part(cmd, compiled, &binary, &mut sink, false);
        if lines_mode && sink.outcome.selected > before {
            sink.outcome.binary_matched = true;
        }
    }
    finish_outcome(cmd, prefix, sink.outcome)
}

fn search_part(
    cmd: &GrepCommand,
    compiled: &CompiledGrep,
    data: &[u8],
    sink: &mut OutputSink<'_>,
    context: bool,
) {
    if data.is_empty() || sink.remaining == Some(0) {
        return;
    }
    // Building a Searcher allocates and zeroes its buffers: keep one per
    // configuration and thread.
    thread_local! {
        static SEARCHERS: RefCell<HashMap<SearcherKey, Searcher>> = RefCell::new(HashMap::new());
    }
    let key = (
        cmd.invert,
        if context { cmd.before } else { 0 },
        if context { cmd.after } else { 0 },
        sink.remaining,
    );
    SEARCHERS.with(|cell| {
        let mut searchers = cell.borrow_mut();
        let searcher = searchers.entry(key).or_insert_with(|| {
            SearcherBuilder::new()
                .line_number(true)
                .invert_match(key.0)
                .before_context(key.1)
                .after_context(key.2)
                .max_matches(key.3)
                .binary_detection(grep_searcher::BinaryDetection::none())
                .build()
        });
        // Searching a slice cannot fail with our sink.
        let _ = searcher.search_slice(&compiled.matcher, data, &mut *sink);
    });
}

fn finish_outcome(cmd: &GrepCommand, prefix: &Prefix<'_>, mut outcome: FileOutcome) -> FileOutcome {
    let name = prefix.display;
    match cmd.output {
        GrepOutput::Count => {
            if prefix.show {
                outcome.out.extend_from_slice(name);
                outcome.out.push(b':');
            }
            outcome
                .out
                .extend_from_slice(outcome.selected.to_string().as_bytes());
            outcome.out.push(b'\n');
        }
        GrepOutput::FilesWithMatches if outcome.selected > 0 => {
            outcome.out.extend_from_slice(name);
            outcome.out.push(b'\n');
        }
        GrepOutput::FilesWithoutMatch if outcome.selected == 0 => {
            outcome.out.extend_from_slice(name);
            outcome.out.push(b'\n');
        }
        _ => {}
    }
    outcome
}

struct OutputSink<'a> {
    cmd: &'a GrepCommand,
    compiled: &'a CompiledGrep,
    prefix: &'a Prefix<'a>,
    outcome: FileOutcome,
    print_lines: bool,
    stop_at_first: bool,
    /// Lines before the part being searched (the binary part follows the text part).
    line_offset: u64,
    /// Matches still allowed by `-m`.
    remaining: Option<u64>,
    /// The last line reported, for `--` group separators.
    last_line: Option<u64>,
    cache: Option<Cache>,
}

impl<'a> OutputSink<'a> {
    fn new(cmd: &'a GrepCommand, compiled: &'a CompiledGrep, prefix: &'a Prefix<'a>) -> Self {
        OutputSink {
            cmd,
            compiled,
            prefix,
            outcome: FileOutcome::default(),
            print_lines: cmd.output == GrepOutput::Lines,
            stop_at_first: matches!(
                cmd.output,
                GrepOutput::FilesWithMatches
                    | GrepOutput::FilesWithoutMatch
                    | GrepOutput::Quiet
                    | GrepOutput::Discarded
            ),
            line_offset: 0,
            remaining: cmd.max_count,
            last_line: None,
            cache: compiled.longest.as_ref().map(|d| d.create_cache()),
        }
    }

    /// With `-A`/`-B`/`-C` (even 0): `--` before a line that does not
    /// follow the last line reported (printed, or context under `-o`).
    fn separate(&mut self, line_number: u64) {
        if self.cmd.context {
            if self.last_line.is_some_and(|last| line_number != last + 1) {
                self.outcome.out.extend_from_slice(b"--\n");
            }
            self.last_line = Some(line_number);
        }
    }

    /// A context line: printed with `-`, except under `-o`.
    fn context_line(&mut self, line: &[u8], line_number: u64) {
        self.separate(line_number + self.line_offset);
        if !self.cmd.only_matching {
            self.line_prefix(Some(line_number), b'-');
            self.push_line(line);
        }
    }

    /// A selected line (with its `\n`, if any); false to stop the search.
    fn select(&mut self, line: &[u8], line_number: u64) -> bool {
        self.outcome.selected += 1;
        if let Some(r) = self.remaining.as_mut() {
            *r = r.saturating_sub(1);
        }
        if self.print_lines {
            self.separate(line_number + self.line_offset);
            if self.cmd.only_matching {
                if !self.cmd.invert {
                    self.only_matching(line, Some(line_number));
                }
            } else {
                self.line_prefix(Some(line_number), b':');
                self.push_line(line);
            }
        }
        !self.stop_at_first && self.remaining != Some(0)
    }

    fn line_prefix(&mut self, line_number: Option<u64>, sep: u8) {
        if self.prefix.show {
            self.outcome.out.extend_from_slice(self.prefix.display);
            self.outcome.out.push(sep);
        }
        if self.cmd.line_number
            && let Some(n) = line_number
        {
            let n = n + self.line_offset;
            self.outcome.out.extend_from_slice(n.to_string().as_bytes());
            self.outcome.out.push(sep);
        }
    }

    fn push_line(&mut self, bytes: &[u8]) {
        self.outcome.out.extend_from_slice(bytes);
        if !bytes.ends_with(b"\n") {
            self.outcome.out.push(b'\n');
        }
    }

    /// `-o`: every non-empty leftmost-longest match of the line.
    fn only_matching(&mut self, line: &[u8], line_number: Option<u64>) {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let (Some(dfa), Some(cache)) = (self.compiled.longest.as_ref(), self.cache.as_mut()) else {
            return;
        };
        let mut at = 0;
        let mut parts = Vec::new();
        while at <= line.len() {
            let Ok(Some(m)) = grep_matcher::Matcher::find_at(&self.compiled.matcher, line, at)
            else {
                break;
            };
            let start = m.start();
            let input = Input::new(line).range(start..).anchored(Anchored::Yes);
            let end = match dfa.try_search_fwd(cache, &input) {
                Ok(Some(half)) => half.offset().max(m.end()),
                _ => m.end(),
            };
            if end > start {
                parts.push((start, end));
                at = end;
            } else {
                at = start + 1;
            }
        }
        for (s, e) in parts {
            self.line_prefix(line_number, b':');
            self.outcome.out.extend_from_slice(&line[s..e]);
            self.outcome.out.push(b'\n');
        }
    }
}

impl Sink for OutputSink<'_> {
    type Error = std::io::Error;

    fn matched(&mut self, _: &Searcher, mat: &SinkMatch<'_>) -> Result<bool, std::io::Error> {
        // After the `-m`-th match, GNU prints matching lines of the trailing
        // context as context.
        if self.remaining == Some(0) {
            if self.print_lines {
                self.context_line(mat.bytes(), mat.line_number().unwrap_or(0));
            }
            return Ok(true);
        }
        // Trailing context after the last `-m` match is the searcher's job.
        let go_on = self.select(mat.bytes(), mat.line_number().unwrap_or(0));
        Ok(go_on || self.remaining == Some(0) && !self.stop_at_first)
    }

    fn context(&mut self, _: &Searcher, ctx: &SinkContext<'_>) -> Result<bool, std::io::Error> {
        if self.print_lines && !matches!(ctx.kind(), SinkContextKind::Other) {
            self.context_line(ctx.bytes(), ctx.line_number().unwrap_or(0));
        }
        Ok(true)
    }

    // Separators are placed by `separate`, which also covers `-A 0`.
    fn context_break(&mut self, _: &Searcher) -> Result<bool, std::io::Error> {
        Ok(true)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::lex::{Token, tokenize};
    use crate::program::{Program, parse_program};

    fn grep(line: &str, input: &str) -> FileOutcome {
        let words: Vec<_> = tokenize(line)
            .unwrap()
            .into_iter()
            .filter_map(|t| {
                if let Token::Word(w) = t {
                    Some(w)
                } else {
                    None
                }
            })
            .collect();
        let Program::Grep(cmd) = parse_program(&words).unwrap() else {
            panic!()
        };
        let compiled = compile(&cmd).unwrap();
        search(
            &cmd,
            &compiled,
            input.as_bytes(),
            &Prefix {
                display: b"(standard input)",
                show: false,
            },
        )
    }

    fn out(line: &str, input: &str) -> String {
        String::from_utf8(grep(line, input).out).unwrap()
    }

    #[test]
    fn only_matching_is_leftmost_longest() {
        assert_eq!(out(r"grep -o 'a\|ab'", "xab\n"), "ab\n");
        assert_eq!(out("grep -oE 'a|ab'", "xab ab\n"), "ab\nab\n");
    }

    #[test]
    fn binary_input_counts_nul_separated_lines() {
        let o = grep("grep -c a", "a\0a\nb\n");
        assert_eq!(String::from_utf8(o.out).unwrap(), "2\n");
        let o = grep("grep a", "a\0a\nb\n");
        assert!(o.out.is_empty() && o.binary_matched);
    }

    #[test]
    fn missing_final_newline_is_added() {
        assert_eq!(out("grep -n b", "a\nb"), "2:b\n");
    }

    #[test]
    fn word_and_line_modes() {
        assert_eq!(out("grep -w ab", "ab_\nx ab y\n"), "x ab y\n");
        assert_eq!(out("grep -x ab", "ab\nabc\n"), "ab\n");
        assert_eq!(out("grep -ic AB", "ab\nAb\nc\n"), "2\n");
    }

    #[test]
    fn context_groups_are_separated() {
        assert_eq!(
            out("grep -n -A1 x", "x\n1\n2\n3\nx\n"),
            "1:x\n2-1\n--\n5:x\n"
        );
    }
}
