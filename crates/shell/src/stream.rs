//! `grep ... | [grep ...] | head -N`: the commonest shape of a mission task,
//! run so that the first grep stops as it would in bash.
//!
//! In bash, `head` exits once it has printed N lines; the producing grep is
//! killed by SIGPIPE at its next write after that. Below 64 KiB of output
//! (the pipe's capacity) grep has usually finished by then, and recon's
//! output is the full run's, byte for byte. Beyond it bash itself is racy:
//! how much more grep writes, and which of its stderr messages (`binary file
//! matches`) appear, depends on scheduling. recon's deterministic model:
//! the grep runs until it has written one pipe's capacity past the point
//! where `head` had its lines, then stops. Files are searched in parallel
//! in small chunks, in walk order, so a satisfied `head` ends the walk early
//! and memory stays bounded by a chunk's output.

use rayon::prelude::*;

use crate::exec::Output;
use crate::grep::{self, CompiledGrep, Prefix};
use crate::grep_files::{Assembler, GrepInput, InputResult, inputs, search_input};
use crate::program::{GrepCommand, GrepOutput, Program};
use crate::script::{Pipeline, Stream};
use crate::walk::Checkout;

/// A pipe's capacity on Linux.
pub const PIPE_CAPACITY: usize = 64 * 1024;

/// Inputs searched per parallel step.
const CHUNK: usize = 64;

/// A line filter between the grep and `head`: grep on stdin, printing lines.
fn is_line_filter(g: &GrepCommand) -> bool {
    g.files.is_empty()
        && g.recursion.is_none()
        && g.output == GrepOutput::Lines
        && !g.line_number
        && g.max_count.is_none()
        && g.before == 0
        && g.after == 0
}

/// `Some(N)` when `pipeline` is a file-reading grep, line filters, then
/// `head -N` on stdin, with plain stream routing.
pub fn head_limit(pipeline: &Pipeline) -> Option<u64> {
    let (first, rest) = pipeline.stages.split_first()?;
    let (last, middle) = rest.split_last()?;
    let Program::Grep(g) = &first.program else {
        return None;
    };
    let reads_files = g.recursion.is_some() && !g.files.iter().any(|w| w.text == "-")
        || !g.files.is_empty() && !g.files.iter().any(|w| w.text == "-");
    if !reads_files
        || first.stdout != Stream::Stdout
        || first.stderr == Stream::Stdout
        || g.output == GrepOutput::Quiet
    {
        return None;
    }
    for stage in middle {
        let Program::Grep(f) = &stage.program else {
            return None;
        };
        if !is_line_filter(f) || stage.stdout != Stream::Stdout || stage.stderr == Stream::Stdout {
            return None;
        }
    }
    let Program::Head(h) = &last.program else {
        return None;
    };
    if !h.files.is_empty() || h.bytes || last.stderr == Stream::Stdout {
        return None;
    }
    Some(h.lines)
}

/// The compiled patterns of each grep stage, in stage order.
pub struct StreamPatterns<'a> {
    pub first: &'a CompiledGrep,
    pub filters: Vec<&'a CompiledGrep>,
}

/// A streamed pipeline in progress: fed the first grep's results input by
/// input, in walk order, it knows when grep would have been stopped.
pub struct StreamState<'a> {
    stages: &'a [crate::script::Stage],
    /// The first stage's grep.
    first: &'a GrepCommand,
    filters: Vec<(&'a GrepCommand, &'a CompiledGrep)>,
    assembler: Assembler<'a>,
    out: Output,
    left: u64,
    produced: usize,
    satisfied_at: Option<usize>,
    done: bool,
}

impl<'a> StreamState<'a> {
    /// `pipeline` must be one for which [`head_limit`] gave `lines`.
    pub fn new(pipeline: &'a Pipeline, lines: u64, patterns: &StreamPatterns<'a>) -> Option<Self> {
        let stages = &pipeline.stages[..];
        let Program::Grep(first) = &stages.first()?.program else {
            return None;
        };
        let mut out = Output::default();
        let mut filters = Vec::new();
        for (stage, compiled) in stages[1..stages.len() - 1].iter().zip(&patterns.filters) {
            let Program::Grep(g) = &stage.program else {
                return None;
            };
            // Each filter grep prints its pattern warnings when it starts.
            if stage.stderr == Stream::Stderr {
                for w in &compiled.warnings {
                    out.err(format!("grep: warning: {w}\n").as_bytes());
                }
            }
            filters.push((g, *compiled));
        }
        Some(StreamState {
            stages,
            first,
            filters,
            assembler: Assembler::new(first, patterns.first),
            out,
            left: lines,
            produced: 0,
            satisfied_at: (lines == 0).then_some(0),
            done: false,
        })
    }

    /// Whether grep is still running (wants more inputs).
    pub fn wants_more(&self) -> bool {
        !self.done
    }

    /// The next input's result, in walk order.
    pub fn push(&mut self, input: &GrepInput, result: InputResult) {
        if self.done {
            return;
        }
        let go_on = self.assembler.push(input, result);
        let written = std::mem::take(&mut self.assembler.out.stdout);
        self.produced += written.len();
        if self.left > 0 {
            let mut data = written;
            for (g, c) in &self.filters {
                let prefix = Prefix {
                    display: b"(standard input)",
                    show: g.with_filename == Some(true),
                };
                data = grep::search(g, c, &data, &prefix).out;
            }
            for line in data.split_inclusive(|&b| b == b'\n') {
                if self.left == 0 {
                    break;
                }
                self.out.stdout.extend_from_slice(line);
                self.left -= 1;
            }
            if self.left == 0 {
                self.satisfied_at = Some(self.produced);
            }
        }
        if self
            .satisfied_at
            .is_some_and(|at| self.produced > at + PIPE_CAPACITY)
            || !go_on
        {
            self.done = true;
        }
    }

    /// What reaches the command's stdout and stderr.
    pub fn finish(self) -> Output {
        let mut out = self.out;
        let first_out = self.assembler.finish();
        if self.stages[0].stderr == Stream::Stderr {
            out.err(&first_out.stderr);
        }
        match self.stages[self.stages.len() - 1].stdout {
            Stream::Stdout => {}
            Stream::Null => out.stdout.clear(),
            Stream::Stderr => {
                let text = std::mem::take(&mut out.stdout);
                out.err(&text);
            }
        }
        out
    }
}

/// Runs a pipeline for which [`head_limit`] is `Some(lines)` on its own,
/// searching its files in chunks until grep would have stopped; returns
/// what reaches the command's stdout and stderr.
pub fn run(
    pipeline: &Pipeline,
    lines: u64,
    patterns: &StreamPatterns<'_>,
    checkout: &Checkout,
    cwd: &std::path::Path,
) -> Output {
    let Some(mut state) = StreamState::new(pipeline, lines, patterns) else {
        return Output::default();
    };
    let first = state.first;
    let inputs = inputs(first, checkout, cwd);
    for chunk in inputs.chunks(CHUNK) {
        let results: Vec<InputResult> = chunk
            .par_iter()
            .map(|input| search_input(first, patterns.first, input, &[]))
            .collect();
        for (input, result) in chunk.iter().zip(results) {
            state.push(input, result);
        }
        if !state.wants_more() {
            break;
        }
    }
    state.finish()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::script::parse_script;

    fn limit(line: &str) -> Option<u64> {
        head_limit(&parse_script(line).unwrap().lists[0].first)
    }

    #[test]
    fn recognises_grep_filters_head() {
        assert_eq!(
            limit(r#"grep -rn "x" --include="*.py" | grep -v y | head -30"#),
            Some(30)
        );
        assert_eq!(limit("grep -n x a.py | head -3"), Some(3));
    }

    #[test]
    fn other_shapes_run_in_full() {
        // stdin source, line numbers in the filter, a file operand to head,
        // stderr into the pipe, or no head at all.
        assert_eq!(limit("grep x | head -3"), None);
        assert_eq!(limit("grep -r x | grep -n y | head -3"), None);
        assert_eq!(limit("grep -r x | head -3 a.py"), None);
        assert_eq!(limit("grep -r x 2>&1 | head -3"), None);
        assert_eq!(limit("grep -r x | sort | head -3"), None);
        assert_eq!(limit("grep -rq x | head -3"), None);
    }
}
