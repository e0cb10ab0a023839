//! `ls [-l] [-a|-A] [-1]` as GNU coreutils prints it to a pipe under
//! `LC_ALL=C`: one name per line, byte-order sorting, and the long format's
//! aligned columns (mode, links, owner, group, size, date, name).

use std::ffi::CStr;
use std::fs::{self, Metadata};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use crate::program::{LsCommand, LsSort};
use crate::walk::{Checkout, strerror};

/// Output of one program run.
pub use crate::exec::Output;

struct Row {
    name: Vec<u8>,
    /// `None` when `lstat` failed (a directory without search permission):
    /// GNU prints `?` for every field, the type letter from `d_type`.
    meta: Option<Metadata>,
    /// The type letter when `meta` is `None`.
    kind: char,
    target: Option<Vec<u8>>,
}

/// Runs `ls` with operands resolved against `cwd` (absolute).
pub fn run(cmd: &LsCommand, checkout: &Checkout, cwd: &Path) -> Output {
    let mut out = Output::default();
    let operands: Vec<String> = if cmd.paths.is_empty() {
        vec![".".into()]
    } else {
        cmd.paths.iter().map(|w| w.text.clone()).collect()
    };
    let mut files: Vec<Row> = Vec::new();
    let mut dirs: Vec<(String, std::path::PathBuf)> = Vec::new();
    // GNU sizes the columns of the file operands over all operands,
    // directories included.
    let mut dir_metas: Vec<Metadata> = Vec::new();
    for op in &operands {
        let path = cwd.join(op);
        let lmeta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.err(
                    format!(
                        "ls: cannot access {}: {}\n",
                        quote(op.as_bytes()),
                        strerror(&e)
                    )
                    .as_bytes(),
                );
                out.status = 2;
                continue;
            }
        };
        // Without -l, a symlink operand is followed; with -l only when the
        // operand ends in `/`.
        let follow = lmeta.file_type().is_symlink() && (!cmd.long || op.ends_with('/'));
        let meta = if follow {
            match fs::metadata(&path) {
                Ok(m) => m,
                // A dangling link is listed as itself.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => lmeta,
                Err(e) => {
                    let msg = format!(
                        "ls: cannot access {}: {}\n",
                        quote(op.as_bytes()),
                        strerror(&e)
                    );
                    out.err(msg.as_bytes());
                    out.status = 2;
                    continue;
                }
            }
        } else {
            lmeta
        };
        if meta.is_dir() && !cmd.directory {
            dirs.push((op.clone(), path));
            dir_metas.push(meta);
        } else {
            let target = if meta.file_type().is_symlink() {
                fs::read_link(&path)
                    .ok()
                    .map(|t| t.as_os_str().as_bytes().to_vec())
            } else {
                None
            };
            files.push(Row {
                name: op.as_bytes().to_vec(),
                meta: Some(meta),
                kind: '?',
                target,
            });
        }
    }
    sort_rows(cmd, &mut files, None);
    if cmd.sort == LsSort::Name && !cmd.reverse {
        dirs.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        // The same order as files: by the (followed) metadata of each.
        let mut keyed: Vec<Row> = dirs
            .iter()
            .map(|(name, path)| Row {
                name: name.as_bytes().to_vec(),
                meta: fs::metadata(path).ok(),
                kind: 'd',
                target: None,
            })
            .collect();
        sort_rows(cmd, &mut keyed, None);
        let order: Vec<String> = keyed
            .into_iter()
            .map(|r| String::from_utf8_lossy(&r.name).into_owned())
            .collect();
        dirs.sort_by_key(|(name, _)| order.iter().position(|n| n == name));
    }
    if !files.is_empty() {
        print_rows(cmd, &files, &dir_metas, &mut out.stdout);
        // GNU separates the files from the directories to come, whether or
        // not those can be opened.
        if !dirs.is_empty() {
            out.stdout.push(b'\n');
        }
    }
    let headers = operands.len() > 1 || cmd.recursive;
    // Whether a directory was listed yet: each further one starts with a
    // blank line. A directory that cannot be opened prints neither that
    // nor its header.
    let mut first = true;
    // Depth first, in listing order: a stack, the next directory on top.
    // The flag: a command-line operand (GNU's failures there are status
    // 2, under `-R` further down 1).
    let mut pending: Vec<(String, std::path::PathBuf, bool)> =
        dirs.into_iter().rev().map(|(n, p)| (n, p, true)).collect();
    while let Some((name, path, operand)) = pending.pop() {
        let (name, path) = (&name, &path);
        let names: Vec<(Vec<u8>, char)> = if cmd.long {
            // In readdir order, `.` and `..` where they come: GNU stats each
            // entry as it reads it, and says so when it cannot.
            match read_dir_raw(path) {
                Ok(n) => n,
                Err(e) => {
                    cannot_open(&mut out, name, &e, operand);
                    continue;
                }
            }
        } else {
            match checkout.list(path).as_ref() {
                Ok(entries) => {
                    let mut n: Vec<(Vec<u8>, char)> = entries
                        .iter()
                        .map(|e| (e.name.as_bytes().to_vec(), '?'))
                        .collect();
                    n.push((b".".to_vec(), 'd'));
                    n.push((b"..".to_vec(), 'd'));
                    n
                }
                Err(e) => {
                    cannot_open(&mut out, name, e, operand);
                    continue;
                }
            }
        };
        if !first {
            out.stdout.push(b'\n');
        }
        first = false;
        if headers {
            out.stdout.extend_from_slice(name.as_bytes());
            out.stdout.extend_from_slice(b":\n");
        }
        let mut rows = Vec::new();
        for (n, kind) in names {
            let hidden = n.starts_with(b".");
            let dot = n == b"." || n == b"..";
            let listed = cmd.all || (cmd.almost_all && !dot) || !hidden;
            if !listed {
                continue;
            }
            if !cmd.long {
                rows.push(Row {
                    name: n,
                    meta: None,
                    kind,
                    target: None,
                });
                continue;
            }
            let p = path.join(std::ffi::OsStr::from_bytes(&n));
            match fs::symlink_metadata(&p) {
                Ok(meta) => {
                    let target = if meta.file_type().is_symlink() {
                        fs::read_link(&p)
                            .ok()
                            .map(|t| t.as_os_str().as_bytes().to_vec())
                    } else {
                        None
                    };
                    rows.push(Row {
                        name: n,
                        meta: Some(meta),
                        kind,
                        target,
                    });
                }
                Err(e) => {
                    // The name as GNU builds it: the operand, a `/`, the
                    // entry (the operand left out when it is `.`).
                    let mut shown = Vec::new();
                    if name != "." {
                        shown.extend_from_slice(name.as_bytes());
                        if !name.ends_with('/') {
                            shown.push(b'/');
                        }
                    }
                    shown.extend_from_slice(&n);
                    out.err(
                        format!("ls: cannot access {}: {}\n", quote(&shown), strerror(&e))
                            .as_bytes(),
                    );
                    out.status = out.status.max(1);
                    rows.push(Row {
                        name: n,
                        meta: None,
                        kind,
                        target: None,
                    });
                }
            }
        }
        sort_rows(cmd, &mut rows, Some(path));
        if cmd.long {
            let blocks: u64 = rows
                .iter()
                .filter_map(|r| r.meta.as_ref())
                .map(MetadataExt::blocks)
                .sum();
            let total = if cmd.human {
                crate::du::human(blocks * 512)
            } else {
                blocks.div_ceil(2).to_string()
            };
            out.stdout
                .extend_from_slice(format!("total {total}\n").as_bytes());
        }
        print_rows(cmd, &rows, &[], &mut out.stdout);
        if cmd.recursive {
            // Subdirectories (not symlinks to one), in listing order.
            let mut subdirs = Vec::new();
            for r in &rows {
                if r.name == b"." || r.name == b".." {
                    continue;
                }
                let child = path.join(std::ffi::OsStr::from_bytes(&r.name));
                let is_dir = match &r.meta {
                    Some(m) => m.is_dir(),
                    None => fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir()),
                };
                if is_dir {
                    let mut shown = name.clone();
                    if !shown.ends_with('/') {
                        shown.push('/');
                    }
                    shown.push_str(&String::from_utf8_lossy(&r.name));
                    subdirs.push((shown, child, false));
                }
            }
            pending.extend(subdirs.into_iter().rev());
        }
    }
    out
}

/// Orders rows by name, or by time or size (name breaking ties), maybe
/// reversed. `dir` is where the rows are, to stat them when the order
/// needs it and they were not stat'ed yet.
fn sort_rows(cmd: &LsCommand, rows: &mut [Row], dir: Option<&Path>) {
    if cmd.sort != LsSort::Name
        && let Some(dir) = dir
    {
        for r in rows.iter_mut().filter(|r| r.meta.is_none()) {
            r.meta = fs::symlink_metadata(dir.join(std::ffi::OsStr::from_bytes(&r.name))).ok();
        }
    }
    let key = |r: &Row| -> (i64, i64) {
        match (&r.meta, cmd.sort) {
            (Some(m), LsSort::Time) => (m.mtime(), m.mtime_nsec()),
            (Some(m), LsSort::Size) => (m.size() as i64, 0),
            _ => (0, 0),
        }
    };
    rows.sort_by(|a, b| {
        let ord = key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name));
        if cmd.reverse { ord.reverse() } else { ord }
    });
}

fn cannot_open(out: &mut Output, name: &str, e: &std::io::Error, operand: bool) {
    out.err(
        format!(
            "ls: cannot open directory {}: {}\n",
            quote(name.as_bytes()),
            strerror(e)
        )
        .as_bytes(),
    );
    out.status = out.status.max(if operand { 2 } else { 1 });
}

/// The entries of `dir` in readdir order, `.` and `..` included (std's
/// `read_dir` leaves those out, and where they come decides the order of
/// GNU's messages), each with the type letter its `d_type` gives.
fn read_dir_raw(dir: &Path) -> std::io::Result<Vec<(Vec<u8>, char)>> {
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    let mut out = Vec::new();
    // SAFETY: `path` is a NUL-terminated string that outlives the call; the
    // stream is closed before returning and each entry's name is copied
    // before the next `readdir` may reuse its buffer.
    unsafe {
        let stream = libc::opendir(path.as_ptr());
        if stream.is_null() {
            return Err(std::io::Error::last_os_error());
        }
        loop {
            let entry = libc::readdir(stream);
            if entry.is_null() {
                break;
            }
            let name = CStr::from_ptr((*entry).d_name.as_ptr()).to_bytes().to_vec();
            let kind = match (*entry).d_type {
                libc::DT_DIR => 'd',
                libc::DT_LNK => 'l',
                libc::DT_FIFO => 'p',
                libc::DT_SOCK => 's',
                libc::DT_CHR => 'c',
                libc::DT_BLK => 'b',
                libc::DT_REG => '-',
                _ => '?',
            };
            out.push((name, kind));
        }
        libc::closedir(stream);
    }
    Ok(out)
}

fn print_rows(cmd: &LsCommand, rows: &[Row], also_sized: &[Metadata], out: &mut Vec<u8>) {
    if !cmd.long {
        for r in rows {
            out.extend_from_slice(&r.name);
            out.push(b'\n');
        }
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let unknown = |kind: char| {
        [
            format!("{kind}?????????"),
            "?".to_string(),
            "?".to_string(),
            "?".to_string(),
            "?".to_string(),
        ]
    };
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| r.meta.as_ref().ok_or(r.kind))
        .chain(also_sized.iter().map(Ok))
        .map(|m| {
            let m = match m {
                Ok(m) => m,
                Err(kind) => return unknown(kind),
            };
            let ft = m.file_type();
            let size = if ft.is_block_device() || ft.is_char_device() {
                let dev = m.rdev();
                format!("{}, {}", libc::major(dev), libc::minor(dev))
            } else if cmd.human {
                crate::du::human(m.size())
            } else {
                m.size().to_string()
            };
            [
                mode_string(m),
                m.nlink().to_string(),
                user_name(m.uid()),
                group_name(m.gid()),
                size,
            ]
        })
        .collect();
    let width = |i: usize| cells.iter().map(|c| c[i].len()).max().unwrap_or(0);
    let (wl, wu, wg, ws) = (width(1), width(2), width(3), width(4));
    for (r, c) in rows.iter().zip(&cells) {
        let line = format!(
            "{} {:>wl$} {:<wu$} {:<wg$} {:>ws$} {} ",
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            r.meta
                .as_ref()
                .map_or_else(|| format!("{:>12}", "?"), |m| date(m.mtime(), now))
        );
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(&r.name);
        if let Some(t) = &r.target {
            out.extend_from_slice(b" -> ");
            out.extend_from_slice(t);
        }
        out.push(b'\n');
    }
}

fn mode_string(m: &Metadata) -> String {
    let ft = m.file_type();
    let kind = if ft.is_dir() {
        'd'
    } else if ft.is_symlink() {
        'l'
    } else if ft.is_fifo() {
        'p'
    } else if ft.is_socket() {
        's'
    } else if ft.is_char_device() {
        'c'
    } else if ft.is_block_device() {
        'b'
    } else {
        '-'
    };
    let mode = m.permissions().mode();
    let bit = |mask: u32, c: char| if mode & mask != 0 { c } else { '-' };
    let special = |exec: bool, set: bool, on: char, off: char| match (exec, set) {
        (true, true) => on,
        (false, true) => off,
        (true, false) => 'x',
        (false, false) => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(mode & 0o100 != 0, mode & 0o4000 != 0, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(mode & 0o010 != 0, mode & 0o2000 != 0, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(mode & 0o001 != 0, mode & 0o1000 != 0, 't', 'T'));
    s
}

/// `%b %e %H:%M` for times in the last six months, else `%b %e  %Y`.
fn date(mtime: i64, now: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const SIX_MONTHS: i64 = 31_556_952 / 2;
    // SAFETY: localtime_r only writes the struct we own.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t: libc::time_t = mtime;
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if !ok {
        return mtime.to_string();
    }
    let month = MONTHS.get(tm.tm_mon as usize).copied().unwrap_or("???");
    let recent = now - SIX_MONTHS < mtime && mtime <= now;
    if recent {
        format!(
            "{month} {:>2} {:02}:{:02}",
            tm.tm_mday, tm.tm_hour, tm.tm_min
        )
    } else {
        format!("{month} {:>2}  {}", tm.tm_mday, tm.tm_year + 1900)
    }
}

fn user_name(uid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: getpwuid_r writes into pwd and buf, both owned and sized here.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        if libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) == 0
            && !result.is_null()
        {
            return CStr::from_ptr(pwd.pw_name).to_string_lossy().into_owned();
        }
    }
    uid.to_string()
}

fn group_name(gid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: getgrgid_r writes into grp and buf, both owned and sized here.
    unsafe {
        let mut grp: libc::group = std::mem::zeroed();
        let mut result: *mut libc::group = std::ptr::null_mut();
        if libc::getgrgid_r(gid, &mut grp, buf.as_mut_ptr(), buf.len(), &mut result) == 0
            && !result.is_null()
        {
            return CStr::from_ptr(grp.gr_name).to_string_lossy().into_owned();
        }
    }
    gid.to_string()
}

/// Quotes a file name as coreutils' `ls`, `head` and `du` do in messages.
pub fn quote(name: &[u8]) -> String {
    crate::quote::quote_always(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_in_messages() {
        assert_eq!(quote(b"nope"), "'nope'");
        assert_eq!(quote(b"it's"), "\"it's\"");
    }

    #[test]
    fn old_dates_show_the_year() {
        let now = 1_800_000_000;
        assert!(
            date(now - 400 * 86_400, now).ends_with(&format!("  {}", 2025))
                || date(now - 400 * 86_400, now).len() == 12
        );
    }
}
