//! `ls [-l] [-a|-A] [-1]` as GNU coreutils prints it to a pipe under
//! `LC_ALL=C`: one name per line, byte-order sorting, and the long format's
//! aligned columns (mode, links, owner, group, size, date, name).

use std::ffi::CStr;
use std::fs::{self, Metadata};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use crate::program::LsCommand;
use crate::walk::{Checkout, strerror};

/// Output of one program run.
pub use crate::exec::Output;

struct Row {
    name: Vec<u8>,
    meta: Metadata,
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
                out.stderr.extend_from_slice(
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
                    out.stderr.extend_from_slice(msg.as_bytes());
                    out.status = 2;
                    continue;
                }
            }
        } else {
            lmeta
        };
        if meta.is_dir() {
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
                meta,
                target,
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    dirs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut printed = false;
    if !files.is_empty() {
        print_rows(cmd, &files, &dir_metas, &mut out.stdout);
        printed = true;
    }
    let headers = operands.len() > 1;
    for (name, path) in &dirs {
        if printed {
            out.stdout.push(b'\n');
        }
        if headers {
            out.stdout.extend_from_slice(name.as_bytes());
            out.stdout.extend_from_slice(b":\n");
        }
        printed = true;
        let listing = checkout.list(path);
        let entries = match listing.as_ref() {
            Ok(e) => e,
            Err(e) => {
                out.stderr.extend_from_slice(
                    format!(
                        "ls: cannot open directory {}: {}\n",
                        quote(name.as_bytes()),
                        strerror(e)
                    )
                    .as_bytes(),
                );
                out.status = 2;
                continue;
            }
        };
        let mut rows = Vec::new();
        let mut names: Vec<Vec<u8>> = entries.iter().map(|e| e.name.as_bytes().to_vec()).collect();
        if cmd.all {
            names.push(b".".to_vec());
            names.push(b"..".to_vec());
        }
        names.retain(|n| cmd.all || cmd.almost_all || !n.starts_with(b"."));
        names.sort();
        for n in names {
            let p = path.join(std::ffi::OsStr::from_bytes(&n));
            if !cmd.long {
                out.stdout.extend_from_slice(&n);
                out.stdout.push(b'\n');
                continue;
            }
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
                        meta,
                        target,
                    });
                }
                Err(e) => {
                    out.stderr.extend_from_slice(
                        format!(
                            "ls: cannot access {}: {}\n",
                            quote(&p.as_os_str().as_bytes()[checkout.root().as_os_str().len()..]),
                            strerror(&e)
                        )
                        .as_bytes(),
                    );
                    out.status = 1;
                }
            }
        }
        if cmd.long {
            let blocks: u64 = rows.iter().map(|r| r.meta.blocks()).sum();
            out.stdout
                .extend_from_slice(format!("total {}\n", blocks.div_ceil(2)).as_bytes());
            print_rows(cmd, &rows, &[], &mut out.stdout);
        }
    }
    out
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
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| &r.meta)
        .chain(also_sized)
        .map(|m| {
            let ft = m.file_type();
            let size = if ft.is_block_device() || ft.is_char_device() {
                let dev = m.rdev();
                format!("{}, {}", libc::major(dev), libc::minor(dev))
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
            date(r.meta.mtime(), now)
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
