//! A grep over its operands: which inputs it reads (operands, the recursive
//! walk, stdin) and how their results are printed, in operand and walk
//! order, with GNU's messages and exit status.
//!
//! The work is split in two so that a mission can search every file once
//! for all its greps ([`crate::batch`]): [`inputs`] lists what a grep reads,
//! [`search_input`] searches one input, [`assemble`] prints the results.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::exec::Output;
use crate::grep::{self, CompiledGrep, FileOutcome, Prefix};
use crate::program::{GrepCommand, GrepOutput, Recursion};
use crate::walk::{Checkout, WalkEvent, WalkFilter, io_message, walk_dir};

/// One input of a grep: what to search and how to name it.
#[derive(Debug, Clone)]
pub enum GrepInput {
    Stdin,
    File {
        path: PathBuf,
        display: Vec<u8>,
        /// Found by the recursive walk (named even with one operand).
        walked: bool,
    },
    /// A message for stderr, without `grep: `; `error` sets status 2.
    Message {
        text: Vec<u8>,
        error: bool,
    },
    /// A directory operand without `-r`: after its `Is a directory`
    /// message GNU treats it as an empty file (`dir:0` under `-c`).
    Empty {
        display: Vec<u8>,
    },
}

/// The result of searching one input; I/O errors are kept as their message.
pub type InputResult = Result<FileOutcome, String>;

/// Everything of a grep that decides its inputs: its operands, whether it
/// recurses, and its file filters. Greps with equal specs, run in the same
/// directory, list the same inputs ([`crate::batch`] lists them once).
#[derive(PartialEq, Eq, Hash)]
pub struct InputSpec<'a> {
    recursion: Option<Recursion>,
    includes: &'a [String],
    excludes: &'a [String],
    exclude_dirs: &'a [String],
    files: Vec<&'a str>,
}

impl<'a> InputSpec<'a> {
    pub fn of(cmd: &'a GrepCommand) -> Self {
        InputSpec {
            recursion: cmd.recursion,
            includes: &cmd.includes,
            excludes: &cmd.excludes,
            exclude_dirs: &cmd.exclude_dirs,
            files: cmd.files.iter().map(|w| w.text.as_str()).collect(),
        }
    }
}

/// Lists the inputs of `cmd` run in `cwd` (absolute), in the order GNU grep
/// reads them.
pub fn inputs(cmd: &GrepCommand, checkout: &Checkout, cwd: &Path) -> Vec<GrepInput> {
    list_inputs(&InputSpec::of(cmd), checkout, cwd)
}

/// [`inputs`] from the spec alone.
fn list_inputs(spec: &InputSpec<'_>, checkout: &Checkout, cwd: &Path) -> Vec<GrepInput> {
    let filter = WalkFilter {
        follow: spec.recursion == Some(Recursion::Logical),
        includes: spec.includes,
        excludes: spec.excludes,
        exclude_dirs: spec.exclude_dirs,
    };
    let mut inputs = Vec::new();
    let push_walk = |events: Vec<WalkEvent>, inputs: &mut Vec<GrepInput>| {
        inputs.extend(events.into_iter().map(|e| match e {
            WalkEvent::File { path, display } => GrepInput::File {
                path,
                display,
                walked: true,
            },
            WalkEvent::Message { text, error } => GrepInput::Message { text, error },
        }));
    };
    if spec.files.is_empty() {
        if spec.recursion.is_some() {
            let mut events = Vec::new();
            walk_dir(checkout, cwd, b"", &filter, &mut events);
            push_walk(events, &mut inputs);
        } else {
            inputs.push(GrepInput::Stdin);
        }
    }
    for &word in &spec.files {
        if word == "-" {
            inputs.push(GrepInput::Stdin);
            continue;
        }
        let path = cwd.join(word);
        let display = word.as_bytes().to_vec();
        match std::fs::metadata(&path) {
            Err(e) => inputs.push(GrepInput::Message {
                text: io_message(&display, &e),
                error: true,
            }),
            Ok(m) if m.is_dir() => {
                if spec.recursion.is_some() {
                    if filter.takes_dir(last_segment(&display)) {
                        let mut events = Vec::new();
                        walk_dir(checkout, &path, &display, &filter, &mut events);
                        push_walk(events, &mut inputs);
                    }
                } else if let Err(e) = std::fs::read_dir(&path) {
                    // GNU opens it first: without read permission that
                    // fails, and the directory is not counted.
                    inputs.push(GrepInput::Message {
                        text: io_message(&display, &e),
                        error: true,
                    });
                } else {
                    let mut text = display.clone();
                    text.extend_from_slice(b": Is a directory");
                    inputs.push(GrepInput::Message { text, error: true });
                    inputs.push(GrepInput::Empty {
                        display: display.clone(),
                    });
                }
            }
            Ok(_) => {
                if filter.takes_file(last_segment(&display)) {
                    inputs.push(GrepInput::File {
                        path,
                        display,
                        walked: false,
                    });
                }
            }
        }
    }
    inputs
}

/// Whether lines of this input are prefixed with its name.
fn shows_name(cmd: &GrepCommand, walked: bool) -> bool {
    cmd.with_filename.unwrap_or(cmd.files.len() > 1 || walked)
}

/// Searches one input whose bytes are `data` (already read).
pub fn search_data(
    cmd: &GrepCommand,
    compiled: &CompiledGrep,
    input: &GrepInput,
    data: &[u8],
) -> FileOutcome {
    let (display, walked): (&[u8], bool) = match input {
        GrepInput::File {
            display, walked, ..
        } => (display, *walked),
        GrepInput::Empty { display } => (display, false),
        _ => (b"(standard input)", false),
    };
    grep::search(
        cmd,
        compiled,
        data,
        &Prefix {
            display,
            show: shows_name(cmd, walked),
        },
    )
}

/// What grep says when `input` cannot be read.
pub fn read_failure(input: &GrepInput, e: &io::Error) -> String {
    let display = match input {
        GrepInput::File { display, .. } => display.as_slice(),
        _ => b"",
    };
    String::from_utf8_lossy(&io_message(display, e)).into_owned()
}

/// Reads and searches one input.
pub fn search_input(
    cmd: &GrepCommand,
    compiled: &CompiledGrep,
    input: &GrepInput,
    stdin: &[u8],
) -> InputResult {
    match input {
        GrepInput::Stdin => Ok(search_data(cmd, compiled, input, stdin)),
        GrepInput::File { path, .. } => match read_input(path) {
            Ok(data) => Ok(search_data(cmd, compiled, input, &data)),
            Err(e) => Err(read_failure(input, &e)),
        },
        GrepInput::Empty { .. } => Ok(search_data(cmd, compiled, input, b"")),
        GrepInput::Message { .. } => Ok(FileOutcome::default()),
    }
}

/// Runs a grep over its operands (or stdin), searching files in parallel
/// and printing in operand/walk order.
pub fn run_grep(
    cmd: &GrepCommand,
    compiled: &CompiledGrep,
    checkout: &Checkout,
    cwd: &Path,
    stdin: &[u8],
) -> Output {
    let inputs = inputs(cmd, checkout, cwd);
    let results: Vec<InputResult> = inputs
        .par_iter()
        .map(|input| search_input(cmd, compiled, input, stdin))
        .collect();
    assemble(cmd, compiled, &inputs, results)
}

/// Prints the results of a grep's inputs as GNU grep does, in order.
pub fn assemble(
    cmd: &GrepCommand,
    compiled: &CompiledGrep,
    inputs: &[GrepInput],
    results: Vec<InputResult>,
) -> Output {
    let mut assembler = Assembler::new(cmd, compiled);
    for (input, result) in inputs.iter().zip(results) {
        if !assembler.push(input, result) {
            break;
        }
    }
    assembler.finish()
}

/// Prints a grep's results one input at a time, so a caller can stop early
/// (a `| head` that has its lines).
pub struct Assembler<'a> {
    cmd: &'a GrepCommand,
    pub out: Output,
    matched: bool,
    error: bool,
    /// Lines printed so far: with context options, files are separated by `--`.
    printed: bool,
}

impl<'a> Assembler<'a> {
    /// Starts with GNU's warnings about the patterns.
    pub fn new(cmd: &'a GrepCommand, compiled: &CompiledGrep) -> Self {
        let mut out = Output::default();
        for w in &compiled.warnings {
            out.err(format!("grep: warning: {w}\n").as_bytes());
        }
        Assembler {
            cmd,
            out,
            matched: false,
            error: false,
            printed: false,
        }
    }

    /// Adds one input's result; false when grep stops here (`-q` matched).
    pub fn push(&mut self, input: &GrepInput, result: InputResult) -> bool {
        let cmd = self.cmd;
        let out = &mut self.out;
        let display: &[u8] = match input {
            GrepInput::Stdin => b"(standard input)",
            GrepInput::File { display, .. } | GrepInput::Empty { display } => display,
            GrepInput::Message {
                text,
                error: is_error,
            } => {
                if *is_error {
                    self.error = true;
                    if cmd.no_messages {
                        return true;
                    }
                }
                out.err(&[b"grep: ", text.as_slice(), b"\n"].concat());
                return true;
            }
        };
        match result {
            Err(message) => {
                self.error = true;
                if !cmd.no_messages {
                    out.err(format!("grep: {message}\n").as_bytes());
                }
            }
            Ok(outcome) => {
                if !outcome.out.is_empty() && cmd.output == GrepOutput::Lines {
                    if cmd.context && self.printed {
                        out.stdout.extend_from_slice(b"--\n");
                    }
                    self.printed = true;
                }
                out.stdout.extend_from_slice(&outcome.out);
                if outcome.binary_matched {
                    out.err(&[b"grep: ", display, b": binary file matches\n"].concat());
                }
                if outcome.selected > 0 {
                    self.matched = true;
                    if cmd.output == GrepOutput::Quiet {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// The output with GNU's exit status.
    pub fn finish(mut self) -> Output {
        self.out.status = if self.cmd.output == GrepOutput::Quiet && self.matched {
            0
        } else if self.error {
            2
        } else if self.matched {
            0
        } else {
            1
        };
        self.out
    }
}

fn last_segment(display: &[u8]) -> &[u8] {
    let mut end = display.len();
    while end > 1 && display[end - 1] == b'/' {
        end -= 1;
    }
    let trimmed = &display[..end];
    match trimmed.iter().rposition(|&b| b == b'/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Reads a grep input; FIFOs, sockets and devices read as empty so a run
/// can never block on one.
pub fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Vec::new());
    }
    let mut data = Vec::with_capacity(meta.len() as usize + 1);
    file.read_to_end(&mut data)?;
    Ok(data)
}
