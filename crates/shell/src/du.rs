//! `du [-s] [-h] [-c]` as GNU coreutils prints it: disk usage from
//! `st_blocks`, each inode counted once, directories after their contents,
//! 1 KiB blocks or `-h` sizes rounded up (`4.0K`, `16K`, `1.5M`).

use std::collections::HashSet;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::exec::Output;
use crate::ls::quote;
use crate::program::DuCommand;
use crate::walk::{Checkout, EntryKind, strerror};

/// `-h`: GNU's human_readable with ceiling rounding and powers of 1024.
///
/// ```
/// use recon_shell::du::human;
/// assert_eq!(human(0), "0");
/// assert_eq!(human(4096), "4.0K");
/// assert_eq!(human(16384), "16K");
/// assert_eq!(human(10 * 1024 - 1), "10K");
/// assert_eq!(human(1_572_864), "1.5M");
/// ```
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["K", "M", "G", "T", "P", "E"];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut unit = 0;
    let mut scale: u64 = 1024;
    while unit + 1 < UNITS.len() && bytes >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    // Tenths, rounded up.
    let tenths = (bytes * 10).div_ceil(scale);
    if tenths < 100 {
        return format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit]);
    }
    let whole = bytes.div_ceil(scale);
    if whole >= 1024 && unit + 1 < UNITS.len() {
        return format!("1.0{}", UNITS[unit + 1]);
    }
    format!("{whole}{}", UNITS[unit])
}

fn size_text(cmd: &DuCommand, blocks: u64) -> String {
    let bytes = blocks * 512;
    if cmd.human {
        human(bytes)
    } else {
        bytes.div_ceil(1024).to_string()
    }
}

/// Runs `du` with operands relative to `cwd` (absolute).
pub fn run(cmd: &DuCommand, checkout: &Checkout, cwd: &Path) -> Output {
    let mut out = Output::default();
    let default = vec![".".to_string()];
    let paths: Vec<String> = if cmd.paths.is_empty() {
        default
    } else {
        cmd.paths.iter().map(|w| w.text.clone()).collect()
    };
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut grand = 0u64;
    for op in &paths {
        let root = cwd.join(op);
        let meta = match fs::symlink_metadata(&root) {
            Ok(m) => m,
            Err(e) => {
                out.err(
                    format!(
                        "du: cannot access {}: {}\n",
                        quote(op.as_bytes()),
                        strerror(&e)
                    )
                    .as_bytes(),
                );
                out.status = 1;
                continue;
            }
        };
        // An operand already counted (the same directory, or a hard link
        // seen before) is skipped whole, as GNU du does.
        if (meta.is_dir() || meta.nlink() > 1) && seen.contains(&(meta.dev(), meta.ino())) {
            continue;
        }
        let total = usage(
            cmd,
            checkout,
            &root,
            shown_name(op).as_bytes(),
            &meta,
            &mut seen,
            &mut out,
        );
        grand += total;
    }
    if cmd.total {
        out.stdout
            .extend_from_slice(format!("{}\ttotal\n", size_text(cmd, grand)).as_bytes());
    }
    out
}

/// The operand as du prints it: repeated trailing slashes become one.
fn shown_name(op: &str) -> &str {
    let trimmed = op.trim_end_matches('/');
    if trimmed.len() + 1 < op.len() && !trimmed.is_empty() {
        &op[..trimmed.len() + 1]
    } else {
        op
    }
}

/// Usage of one operand in 512-byte blocks, printing directories in post
/// order unless `-s`.
fn usage(
    cmd: &DuCommand,
    checkout: &Checkout,
    root: &Path,
    shown: &[u8],
    meta: &fs::Metadata,
    seen: &mut HashSet<(u64, u64)>,
    out: &mut Output,
) -> u64 {
    // Directories and hard-linked files are counted once per run.
    let count = |m: &fs::Metadata, seen: &mut HashSet<(u64, u64)>| -> u64 {
        if (m.nlink() > 1 || m.is_dir()) && !seen.insert((m.dev(), m.ino())) {
            0
        } else {
            m.blocks()
        }
    };
    if !meta.is_dir() {
        let b = count(meta, seen);
        let mut line = size_text(cmd, b).into_bytes();
        line.push(b'\t');
        line.extend_from_slice(shown);
        line.push(b'\n');
        out.stdout.extend_from_slice(&line);
        return b;
    }
    // Explicit stack of (dir, shown, entries, next, accumulated blocks).
    struct Frame {
        dir: std::path::PathBuf,
        shown: Vec<u8>,
        entries: std::sync::Arc<std::io::Result<Vec<crate::walk::Entry>>>,
        next: usize,
        blocks: u64,
    }
    let root_frame = Frame {
        dir: root.to_path_buf(),
        shown: shown.to_vec(),
        entries: checkout.list(root),
        next: 0,
        blocks: count(meta, seen),
    };
    let mut stack = vec![root_frame];
    loop {
        let Some(frame) = stack.last_mut() else {
            return 0;
        };
        let entry = frame
            .entries
            .as_ref()
            .as_ref()
            .ok()
            .and_then(|e| e.get(frame.next))
            .cloned();
        match entry {
            Some(entry) => {
                frame.next += 1;
                let path = frame.dir.join(&entry.name);
                let mut child_shown = frame.shown.clone();
                if !child_shown.ends_with(b"/") {
                    child_shown.push(b'/');
                }
                child_shown.extend_from_slice(entry.name.as_bytes());
                let m = match fs::symlink_metadata(&path) {
                    Ok(m) => m,
                    // Listed but not stat-able: a directory with read but
                    // no search permission.
                    Err(e) => {
                        out.err(
                            format!(
                                "du: cannot access {}: {}\n",
                                quote(&child_shown),
                                strerror(&e)
                            )
                            .as_bytes(),
                        );
                        out.status = 1;
                        continue;
                    }
                };
                if entry.kind == EntryKind::Dir {
                    if seen.contains(&(m.dev(), m.ino())) {
                        // Counted already, under another operand.
                        continue;
                    }
                    let entries = checkout.list(&path);
                    let blocks = count(&m, seen);
                    stack.push(Frame {
                        dir: path,
                        shown: child_shown,
                        entries,
                        next: 0,
                        blocks,
                    });
                } else {
                    frame.blocks += count(&m, seen);
                }
            }
            None => {
                let Some(done) = stack.pop() else { return 0 };
                if let Err(e) = done.entries.as_ref() {
                    let msg = format!(
                        "du: cannot read directory {}: {}\n",
                        quote(&done.shown),
                        strerror(e)
                    );
                    out.err(msg.as_bytes());
                    out.status = 1;
                }
                if !cmd.summarize || stack.is_empty() {
                    let mut line = size_text(cmd, done.blocks).into_bytes();
                    line.push(b'\t');
                    line.extend_from_slice(&done.shown);
                    line.push(b'\n');
                    out.stdout.extend_from_slice(&line);
                }
                match stack.last_mut() {
                    Some(parent) => parent.blocks += done.blocks,
                    None => return done.blocks,
                }
            }
        }
    }
}
