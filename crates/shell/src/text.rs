//! The line filters of the subset, as GNU coreutils prints them: `cat`,
//! `head`, `tail`, `wc`, `sort`, `uniq`.

use std::fs;
use std::path::Path;

use crate::exec::Output;
use crate::lex::Word;
use crate::ls::quote;
use crate::program::{
    CutCommand, HeadCommand, LineSpan, SortCommand, SortKey, TailCommand, UniqCommand, WcCommand,
};
use crate::quote::quote_if_needed;
use crate::walk::strerror;
use std::cmp::Ordering;

/// An input's bytes, or the message for why it could not be read.
enum Read {
    Bytes(Vec<u8>),
    /// The failing `std::io::Error`.
    Failed(std::io::Error),
}

fn read(cwd: &Path, name: &str, stdin: &[u8]) -> Read {
    if name == "-" {
        return Read::Bytes(stdin.to_vec());
    }
    let path = cwd.join(name);
    match fs::metadata(&path) {
        // Opening a directory needs read permission (`Permission denied`
        // otherwise); reading it then fails with `Is a directory`.
        Ok(m) if m.is_dir() => match fs::read_dir(&path) {
            Err(e) => Read::Failed(e),
            Ok(_) => Read::Failed(std::io::Error::from_raw_os_error(libc::EISDIR)),
        },
        // Non-blocking open: a FIFO reads as empty instead of hanging.
        _ => match crate::grep_files::read_input(&path) {
            Ok(b) => Read::Bytes(b),
            Err(e) => Read::Failed(e),
        },
    }
}

fn names(files: &[Word]) -> Vec<String> {
    if files.is_empty() {
        vec!["-".into()]
    } else {
        files.iter().map(|w| w.text.clone()).collect()
    }
}

/// Splits into lines, each keeping its `\n` (the last may lack one).
fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split_inclusive(|&b| b == b'\n')
}

pub fn cat(files: &[Word], cwd: &Path, stdin: &[u8]) -> Output {
    let mut out = Output::default();
    for name in names(files) {
        match read(cwd, &name, stdin) {
            Read::Bytes(b) => out.stdout.extend_from_slice(&b),
            Read::Failed(e) => {
                out.err(
                    format!(
                        "cat: {}: {}\n",
                        quote_if_needed(name.as_bytes()),
                        strerror(&e)
                    )
                    .as_bytes(),
                );
                out.status = 1;
            }
        }
    }
    out
}

/// `head` and `tail` print `==> NAME <==` headers when given several files.
fn header(out: &mut Output, name: &str, first: bool, several: bool) {
    if several {
        let shown = if name == "-" { "standard input" } else { name };
        if !first {
            out.stdout.push(b'\n');
        }
        out.stdout
            .extend_from_slice(format!("==> {shown} <==\n").as_bytes());
    }
}

/// `head` and `tail` share everything but which lines they keep: inputs
/// in order, `==> NAME <==` headers for several, and their error messages.
fn head_or_tail(
    program: &str,
    files: &[Word],
    cwd: &Path,
    stdin: &[u8],
    keep: impl Fn(&[u8]) -> Vec<&[u8]>,
    on_dir: impl Fn(&Path) -> DirRead,
) -> Output {
    let mut out = Output::default();
    let all = names(files);
    let mut first = true;
    for name in &all {
        let policy = if name == "-" {
            DirRead::Error
        } else {
            on_dir(&cwd.join(name))
        };
        match read(cwd, name, stdin) {
            Read::Bytes(b) => {
                header(&mut out, name, first, all.len() > 1);
                first = false;
                for line in keep(&b) {
                    out.stdout.extend_from_slice(line);
                }
            }
            Read::Failed(e) => {
                let is_dir = e.raw_os_error() == Some(libc::EISDIR);
                if is_dir && policy == DirRead::Nothing {
                    header(&mut out, name, first, all.len() > 1);
                    first = false;
                    continue;
                }
                let msg = if is_dir {
                    header(&mut out, name, first, all.len() > 1);
                    first = false;
                    format!(
                        "{program}: error reading {}: {}\n",
                        quote(name.as_bytes()),
                        strerror(&e)
                    )
                } else {
                    format!(
                        "{program}: cannot open {} for reading: {}\n",
                        quote(name.as_bytes()),
                        strerror(&e)
                    )
                };
                out.err(msg.as_bytes());
                out.status = 1;
                if is_dir && policy == DirRead::Fatal {
                    // GNU tail dies here (copying to the end of a file
                    // it cannot read): the files after are not read.
                    break;
                }
            }
        }
    }
    out
}

/// What head or tail does with a directory operand (whose read fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DirRead {
    /// Nothing is read (a count of 0): the header only.
    Nothing,
    /// `error reading`, then the next file.
    Error,
    /// `error reading`, and the program exits.
    Fatal,
}

/// GNU tail -c +N (N > 1) on a file that is not regular: when seeking
/// past the first N-1 bytes works, tail copies to the end and dies on the
/// read error; otherwise it reads them and reports the error.
fn skip_bytes_on_dir(path: &Path, skip: u64) -> DirRead {
    let Ok(file) = fs::File::open(path) else {
        return DirRead::Error;
    };
    let Ok(skip) = libc::off_t::try_from(skip) else {
        return DirRead::Error;
    };
    let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
    // SAFETY: lseek on a descriptor we own; it changes only its offset.
    let pos = unsafe { libc::lseek(fd, skip, libc::SEEK_CUR) };
    if pos == -1 {
        DirRead::Error
    } else {
        DirRead::Fatal
    }
}

/// GNU tail -c N (N > 0) on a file that is not regular: when seeking N
/// bytes back from its end works and lands past one block, tail copies to
/// the end and dies on the read error; otherwise it reads it as a pipe.
/// The probe only opens and seeks (read-only).
fn tail_bytes_on_dir(path: &Path, n: u64) -> DirRead {
    use std::os::unix::fs::MetadataExt;
    let Ok(file) = fs::File::open(path) else {
        return DirRead::Error;
    };
    let Ok(meta) = file.metadata() else {
        return DirRead::Error;
    };
    let blksize = meta.blksize().max(1);
    if n > i64::MAX as u64 / blksize {
        return DirRead::Error;
    }
    let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
    // SAFETY: lseek on a descriptor we own; it changes only its offset.
    let pos = unsafe { libc::lseek(fd, -(n as libc::off_t), libc::SEEK_END) };
    if pos == -1 || (pos as u64).saturating_add(n) <= blksize {
        DirRead::Error
    } else {
        DirRead::Fatal
    }
}

pub fn head(cmd: &HeadCommand, cwd: &Path, stdin: &[u8]) -> Output {
    let on_dir = |_: &Path| {
        if cmd.lines == 0 {
            DirRead::Nothing
        } else {
            DirRead::Error
        }
    };
    head_or_tail(
        "head",
        &cmd.files,
        cwd,
        stdin,
        |b| {
            if cmd.bytes {
                let n = usize::try_from(cmd.lines)
                    .unwrap_or(usize::MAX)
                    .min(b.len());
                return vec![&b[..n]];
            }
            lines(b).take(cmd.lines as usize).collect()
        },
        on_dir,
    )
}

pub fn tail(cmd: &TailCommand, cwd: &Path, stdin: &[u8]) -> Output {
    // GNU tail reads nothing, not even to report a missing file, when it
    // is to print the last 0 lines or bytes.
    if cmd.span == LineSpan::Count(0) {
        return Output::default();
    }
    let on_dir = |path: &Path| match cmd.span {
        LineSpan::From(n) if n <= 1 => DirRead::Fatal,
        LineSpan::From(n) if cmd.bytes => skip_bytes_on_dir(path, n - 1),
        LineSpan::Count(n) if cmd.bytes => tail_bytes_on_dir(path, n),
        _ => DirRead::Error,
    };
    head_or_tail(
        "tail",
        &cmd.files,
        cwd,
        stdin,
        |b| {
            if cmd.bytes {
                let start = match cmd.span {
                    LineSpan::Count(n) => b
                        .len()
                        .saturating_sub(usize::try_from(n).unwrap_or(usize::MAX)),
                    LineSpan::From(n) => usize::try_from(n.max(1) - 1)
                        .unwrap_or(usize::MAX)
                        .min(b.len()),
                };
                return vec![&b[start..]];
            }
            let all: Vec<&[u8]> = lines(b).collect();
            let skip = match cmd.span {
                LineSpan::Count(n) => all.len().saturating_sub(n as usize),
                LineSpan::From(n) => (n.max(1) - 1) as usize,
            };
            all.into_iter().skip(skip).collect()
        },
        on_dir,
    )
}

/// `wc`: counts in the order lines, words, bytes; column width as coreutils
/// computes it (1 for a single count of a single input, else the digits of
/// the total size of the regular files, at least 7 when a non-file is read).
pub fn wc(cmd: &WcCommand, cwd: &Path, stdin: &[u8]) -> Output {
    let mut out = Output::default();
    let all = names(&cmd.files);
    let single_count = [cmd.lines, cmd.words, cmd.bytes]
        .iter()
        .filter(|&&b| b)
        .count()
        == 1;
    struct Counted {
        name: String,
        counts: Option<[u64; 3]>,
        error: Option<std::io::Error>,
    }
    let mut results = Vec::new();
    let mut width = 1usize;
    let mut min_width = 1;
    let mut regular_total: u64 = 0;
    for name in all.iter() {
        let meta = if name == "-" {
            None
        } else {
            fs::metadata(cwd.join(name)).ok()
        };
        match (&meta, name.as_str()) {
            (Some(m), _) if m.is_file() => regular_total += m.len(),
            (None, n) if n != "-" => {}
            _ => min_width = 7,
        }
        match read(cwd, name, stdin) {
            Read::Bytes(b) => {
                let l = b.iter().filter(|&&c| c == b'\n').count() as u64;
                let w = count_words(&b);
                results.push(Counted {
                    name: name.clone(),
                    counts: Some([l, w, b.len() as u64]),
                    error: None,
                });
            }
            Read::Failed(e) => {
                let is_dir = e.raw_os_error() == Some(libc::EISDIR);
                results.push(Counted {
                    name: name.clone(),
                    counts: if is_dir { Some([0, 0, 0]) } else { None },
                    error: Some(e),
                });
            }
        }
    }
    if !(all.len() == 1 && single_count) {
        let mut t = regular_total;
        while t >= 10 {
            width += 1;
            t /= 10;
        }
        width = width.max(min_width);
    }
    let mut totals = [0u64; 3];
    let print = |out: &mut Output, counts: &[u64; 3], name: Option<&str>| {
        let mut fields = Vec::new();
        for (on, v) in [
            (cmd.lines, counts[0]),
            (cmd.words, counts[1]),
            (cmd.bytes, counts[2]),
        ] {
            if on {
                fields.push(format!("{v:>width$}"));
            }
        }
        let mut line = fields.join(" ");
        if let Some(n) = name {
            line.push(' ');
            line.push_str(n);
        }
        line.push('\n');
        out.stdout.extend_from_slice(line.as_bytes());
    };
    for r in &results {
        if let Some(e) = &r.error {
            out.err(
                format!(
                    "wc: {}: {}\n",
                    quote_if_needed(r.name.as_bytes()),
                    strerror(e)
                )
                .as_bytes(),
            );
            out.status = 1;
        }
        if let Some(c) = &r.counts {
            for i in 0..3 {
                totals[i] += c[i];
            }
            let shown = if cmd.files.is_empty() {
                None
            } else {
                Some(r.name.as_str())
            };
            print(&mut out, c, shown);
        }
    }
    if all.len() > 1 {
        print(&mut out, &totals, Some("total"));
    }
    out
}

fn count_words(data: &[u8]) -> u64 {
    let mut words = 0;
    let mut in_word = false;
    for &b in data {
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        if space {
            in_word = false;
        } else if (0x21..0x7f).contains(&b) || b >= 0x80 {
            if !in_word {
                words += 1;
            }
            in_word = true;
        }
    }
    words
}

/// `sort [-u] [-n] [-r]` in the C locale: byte order, `-n` by leading
/// number with byte order as the last resort, `-u` by the sort key.
pub fn sort(cmd: &SortCommand, cwd: &Path, stdin: &[u8]) -> Output {
    let mut out = Output::default();
    let mut all_lines: Vec<Vec<u8>> = Vec::new();
    for name in names(&cmd.files) {
        match read(cwd, &name, stdin) {
            Read::Bytes(b) => {
                for l in lines(&b) {
                    all_lines.push(l.strip_suffix(b"\n").unwrap_or(l).to_vec());
                }
            }
            Read::Failed(e) => {
                // Open failures and read failures read differently.
                let what = if e.raw_os_error() == Some(libc::EISDIR) {
                    "read failed"
                } else {
                    "cannot read"
                };
                out.err(
                    format!(
                        "sort: {what}: {}: {}\n",
                        quote_if_needed(name.as_bytes()),
                        strerror(&e)
                    )
                    .as_bytes(),
                );
                out.status = 2;
                return out;
            }
        }
    }
    let compare_keys = |a: &[u8], b: &[u8]| -> Ordering {
        if cmd.keys.is_empty() {
            let ord = if cmd.numeric {
                numeric_cmp(a, b)
            } else {
                a.cmp(b)
            };
            return if cmd.reverse { ord.reverse() } else { ord };
        }
        for key in &cmd.keys {
            // A key with its own modifiers ignores the global ones.
            let own = key.numeric || key.reverse;
            let (numeric, reverse) = if own {
                (key.numeric, key.reverse)
            } else {
                (cmd.numeric, cmd.reverse)
            };
            let (ka, kb) = (
                sort_key(a, key, cmd.separator),
                sort_key(b, key, cmd.separator),
            );
            let ord = if numeric {
                numeric_cmp(ka, kb)
            } else {
                ka.cmp(kb)
            };
            let ord = if reverse { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    };
    let plain_bytes = cmd.keys.is_empty() && !cmd.numeric;
    all_lines.sort_by(|a, b| {
        let ord = compare_keys(a, b);
        // The last-resort comparison of whole lines (not with -u).
        if ord != Ordering::Equal || cmd.unique || plain_bytes {
            return ord;
        }
        if cmd.reverse { b.cmp(a) } else { a.cmp(b) }
    });
    if cmd.unique {
        all_lines.dedup_by(|b, a| compare_keys(a, b) == Ordering::Equal);
    }
    for l in all_lines {
        out.stdout.extend_from_slice(&l);
        out.stdout.push(b'\n');
    }
    out
}

fn numeric_cmp(a: &[u8], b: &[u8]) -> Ordering {
    numeric_key(a)
        .partial_cmp(&numeric_key(b))
        .unwrap_or(Ordering::Equal)
}

/// The bytes of a sort key: whole fields `start..=end`; without `-t`, a
/// field is a run of non-blanks with the blanks before it.
fn sort_key<'a>(line: &'a [u8], key: &SortKey, separator: Option<u8>) -> &'a [u8] {
    // Field start offsets, plus the line end.
    let mut starts = vec![0];
    match separator {
        Some(sep) => {
            for (i, &b) in line.iter().enumerate() {
                if b == sep {
                    starts.push(i + 1);
                }
            }
        }
        None => {
            let blank = |b: u8| b == b' ' || b == b'\t';
            let mut i = 0;
            while i < line.len() && blank(line[i]) {
                i += 1;
            }
            while i < line.len() {
                while i < line.len() && !blank(line[i]) {
                    i += 1;
                }
                if i < line.len() {
                    starts.push(i);
                }
                while i < line.len() && blank(line[i]) {
                    i += 1;
                }
            }
        }
    }
    let field_start = |n: usize| starts.get(n - 1).copied();
    let Some(begin) = field_start(key.start) else {
        return &[];
    };
    let end = match key.end.and_then(|e| starts.get(e)) {
        // The end of field e is just before field e+1 (minus its separator).
        Some(&next) => {
            if separator.is_some() {
                next.saturating_sub(1)
            } else {
                next
            }
        }
        None => line.len(),
    };
    &line[begin..end.max(begin)]
}

/// The number at the start of a line (after blanks), as `sort -n` reads it.
fn numeric_key(line: &[u8]) -> f64 {
    let s = line
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(line.len());
    let rest = &line[s..];
    let mut end = 0;
    if rest.first() == Some(&b'-') {
        end = 1;
    }
    let digits_start = end;
    while end < rest.len() && rest[end].is_ascii_digit() {
        end += 1;
    }
    if end < rest.len() && rest[end] == b'.' {
        end += 1;
        while end < rest.len() && rest[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start {
        return 0.0;
    }
    std::str::from_utf8(&rest[..end])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.0)
}

/// `cut -d C -f LIST [-s]`: the selected fields joined by the delimiter;
/// a line without the delimiter is printed whole (dropped with `-s`).
pub fn cut(cmd: &CutCommand, cwd: &Path, stdin: &[u8]) -> Output {
    let mut out = Output::default();
    if let Some(msg) = &cmd.error {
        out.err(format!("cut: {msg}\nTry 'cut --help' for more information.\n").as_bytes());
        out.status = 1;
        return out;
    }
    for name in names(&cmd.files) {
        let data = match read(cwd, &name, stdin) {
            Read::Bytes(b) => b,
            Read::Failed(e) => {
                out.err(
                    format!(
                        "cut: {}: {}\n",
                        quote_if_needed(name.as_bytes()),
                        strerror(&e)
                    )
                    .as_bytes(),
                );
                out.status = 1;
                continue;
            }
        };
        for line in lines(&data) {
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            if cmd.bytes {
                for (i, &b) in line.iter().enumerate() {
                    if cmd.fields.iter().any(|&(a, z)| a <= i + 1 && i < z) {
                        out.stdout.push(b);
                    }
                }
                out.stdout.push(b'\n');
                continue;
            }
            if !line.contains(&cmd.delimiter) {
                if !cmd.only_delimited {
                    out.stdout.extend_from_slice(line);
                    out.stdout.push(b'\n');
                }
                continue;
            }
            let fields: Vec<&[u8]> = line.split(|&b| b == cmd.delimiter).collect();
            let picked: Vec<&[u8]> = fields
                .iter()
                .enumerate()
                .filter(|(i, _)| cmd.fields.iter().any(|&(a, b)| a <= i + 1 && *i < b))
                .map(|(_, f)| *f)
                .collect();
            out.stdout
                .extend_from_slice(&picked.join(&[cmd.delimiter][..]));
            out.stdout.push(b'\n');
        }
    }
    out
}

/// `uniq [-c] [-d] [-u]`: adjacent duplicate lines; `-c` prefixes `%7d `,
/// `-d` keeps the repeated ones, `-u` the others (both: none).
pub fn uniq(cmd: &UniqCommand, cwd: &Path, stdin: &[u8]) -> Output {
    let mut out = Output::default();
    let name = names(&cmd.files).remove(0);
    let data = match read(cwd, &name, stdin) {
        Read::Bytes(b) => b,
        // A read failure (a directory) is `error reading 'NAME'`, without
        // the reason; an open failure names the file and the reason.
        Read::Failed(e) if e.raw_os_error() == Some(libc::EISDIR) => {
            out.err(
                format!(
                    "uniq: error reading {}\n",
                    crate::ls::quote(name.as_bytes())
                )
                .as_bytes(),
            );
            out.status = 1;
            return out;
        }
        Read::Failed(e) => {
            out.err(
                format!(
                    "uniq: {}: {}\n",
                    quote_if_needed(name.as_bytes()),
                    strerror(&e)
                )
                .as_bytes(),
            );
            out.status = 1;
            return out;
        }
    };
    let mut groups: Vec<(&[u8], u64)> = Vec::new();
    for l in lines(&data) {
        let l = l.strip_suffix(b"\n").unwrap_or(l);
        match groups.last_mut() {
            Some((prev, n)) if *prev == l => *n += 1,
            _ => groups.push((l, 1)),
        }
    }
    for (l, n) in groups {
        if cmd.repeated && n == 1 || cmd.unique && n > 1 {
            continue;
        }
        if cmd.count {
            out.stdout.extend_from_slice(format!("{n:>7} ").as_bytes());
        }
        out.stdout.extend_from_slice(l);
        out.stdout.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_printable_bytes() {
        assert_eq!(count_words(b"a b\n c\t\td"), 4);
        assert_eq!(count_words(b""), 0);
    }

    #[test]
    fn numeric_keys() {
        assert_eq!(numeric_key(b"  12 x"), 12.0);
        assert_eq!(numeric_key(b"-3.5"), -3.5);
        assert_eq!(numeric_key(b"abc"), 0.0);
    }
}
