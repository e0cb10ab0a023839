//! The checkout as the programs see it: directory listings read once and
//! shared by every command, and `grep -r`'s depth-first walk over them in
//! directory order, as GNU grep's fts walk gives it.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap;

/// The kind of a directory entry, as `readdir` reports it (no symlink followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Fifo,
    Socket,
    /// Devices.
    Other,
}

/// One entry of a directory listing.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: OsString,
    pub kind: EntryKind,
}

/// The checkout root and a cache of directory listings, so that every
/// recursive command of a mission reads each directory once.
#[derive(Debug)]
pub struct Checkout {
    root: PathBuf,
    canonical_root: PathBuf,
    /// Read by every grep's walk at once (workers list inputs in
    /// parallel): a read lock for hits.
    listings: RwLock<FxHashMap<PathBuf, Arc<io::Result<Vec<Entry>>>>>,
}

pub fn kind_of(ft: fs::FileType) -> EntryKind {
    if ft.is_symlink() {
        EntryKind::Symlink
    } else if ft.is_dir() {
        EntryKind::Dir
    } else if ft.is_file() {
        EntryKind::File
    } else {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            EntryKind::Fifo
        } else if ft.is_socket() {
            EntryKind::Socket
        } else {
            EntryKind::Other
        }
    }
}

impl Checkout {
    pub fn new(root: &Path) -> io::Result<Checkout> {
        let canonical_root = root.canonicalize()?;
        Ok(Checkout {
            root: root.to_path_buf(),
            canonical_root,
            listings: RwLock::new(FxHashMap::default()),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn canonical_root(&self) -> &Path {
        &self.canonical_root
    }

    /// The entries of `dir` in `readdir` order, read once per run.
    pub fn list(&self, dir: &Path) -> Arc<io::Result<Vec<Entry>>> {
        if let Ok(cache) = self.listings.read()
            && let Some(hit) = cache.get(dir)
        {
            return Arc::clone(hit);
        }
        let listing = Arc::new(read_listing(dir));
        if let Ok(mut cache) = self.listings.write() {
            cache.insert(dir.to_path_buf(), Arc::clone(&listing));
        }
        listing
    }

    /// Whether `path` (under the root, possibly with `..`) stays inside the
    /// root both lexically and once symlinks are resolved.
    pub fn encloses(&self, path: &Path) -> bool {
        let Ok(rest) = path.strip_prefix(&self.root) else {
            return false;
        };
        let mut depth: usize = 0;
        for c in rest.components() {
            match c {
                std::path::Component::ParentDir => {
                    if depth == 0 {
                        return false;
                    }
                    depth -= 1;
                }
                std::path::Component::Normal(_) => depth += 1,
                _ => {}
            }
        }
        self.contains(path)
    }

    /// Whether `path` (absolute) resolves, symlinks included, inside the root.
    pub fn contains(&self, path: &Path) -> bool {
        match path.canonicalize() {
            Ok(p) => p.starts_with(&self.canonical_root),
            Err(_) => true,
        }
    }
}

fn read_listing(dir: &Path) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = match entry.file_type() {
            Ok(ft) => kind_of(ft),
            Err(_) => EntryKind::Other,
        };
        entries.push(Entry {
            name: entry.file_name(),
            kind,
        });
    }
    Ok(entries)
}

/// What a recursive grep meets during its walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkEvent {
    /// A file to search: its absolute path and the name grep prints.
    File { path: PathBuf, display: Vec<u8> },
    /// A message for stderr (without the `grep: ` prefix) and whether it
    /// counts as an error for the exit status.
    Message { text: Vec<u8>, error: bool },
}

/// Which files and directories a recursive grep takes.
pub struct WalkFilter<'a> {
    /// `-R`: follow symlinks met while recursing.
    pub follow: bool,
    pub includes: &'a [String],
    pub excludes: &'a [String],
    pub exclude_dirs: &'a [String],
}

impl WalkFilter<'_> {
    /// `--include`/`--exclude` on a base name met while recursing.
    pub fn takes_file(&self, name: &[u8]) -> bool {
        if self.excludes.iter().any(|g| fnmatch(g.as_bytes(), name)) {
            return false;
        }
        self.includes.is_empty() || self.includes.iter().any(|g| fnmatch(g.as_bytes(), name))
    }

    pub fn takes_dir(&self, name: &[u8]) -> bool {
        !self
            .exclude_dirs
            .iter()
            .any(|g| fnmatch(g.as_bytes(), name))
    }
}

fn os_bytes(s: &OsStr) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes()
}

/// Walks directory `dir` (absolute) depth first in directory order.
/// `display` is the name grep prints for `dir` (empty for the implicit `.`).
/// Symlinks leading outside the checkout are never followed.
pub fn walk_dir(
    checkout: &Checkout,
    dir: &Path,
    display: &[u8],
    filter: &WalkFilter<'_>,
    out: &mut Vec<WalkEvent>,
) {
    // Each stack frame: a directory's entries, the next index, its display
    // prefix, and its (dev, inode) for loop detection under -R.
    struct Frame {
        path: PathBuf,
        prefix: Vec<u8>,
        entries: Arc<io::Result<Vec<Entry>>>,
        next: usize,
        id: Option<(u64, u64)>,
    }
    // Only `-R` follows symlinks, so only it can meet a loop; `-r` skips
    // the stat (one per directory per grep was most of a run's walk).
    let id_of = |p: &Path| {
        filter
            .follow
            .then(|| fs::metadata(p).ok().map(|m| (m.dev(), m.ino())))
            .flatten()
    };
    let prefix = |display: &[u8]| -> Vec<u8> {
        if display.is_empty() {
            Vec::new()
        } else {
            let mut p = display.to_vec();
            while p.len() > 1 && p.ends_with(b"/") {
                p.pop();
            }
            if !p.ends_with(b"/") {
                p.push(b'/');
            }
            p
        }
    };
    let entries = checkout.list(dir);
    if let Err(e) = entries.as_ref() {
        out.push(WalkEvent::Message {
            text: io_message(display_or_dot(display), e),
            error: true,
        });
        return;
    }
    let mut stack = vec![Frame {
        path: dir.to_path_buf(),
        prefix: prefix(display),
        entries,
        next: 0,
        id: id_of(dir),
    }];
    while let Some(frame) = stack.last_mut() {
        let Ok(list) = frame.entries.as_ref() else {
            stack.pop();
            continue;
        };
        let Some(entry) = list.get(frame.next) else {
            stack.pop();
            continue;
        };
        frame.next += 1;
        let name = os_bytes(&entry.name);
        let mut kind = entry.kind;
        // Most entries of a filtered walk (`--include=*.py` over
        // `node_modules`) are dropped: decide before building their paths.
        let dropped = match kind {
            EntryKind::Dir => !filter.takes_dir(name),
            EntryKind::File => !filter.takes_file(name),
            EntryKind::Symlink => !filter.follow,
            EntryKind::Fifo | EntryKind::Socket | EntryKind::Other => true,
        };
        if dropped {
            continue;
        }
        let path = frame.path.join(&entry.name);
        let mut shown = Vec::with_capacity(frame.prefix.len() + name.len());
        shown.extend_from_slice(&frame.prefix);
        shown.extend_from_slice(name);
        let followed = kind == EntryKind::Symlink;
        if followed {
            if !checkout.contains(&path) {
                continue;
            }
            kind = match fs::metadata(&path) {
                Ok(m) => kind_of(m.file_type()),
                Err(e) => {
                    out.push(WalkEvent::Message {
                        text: io_message(&shown, &e),
                        error: true,
                    });
                    continue;
                }
            };
        }
        match kind {
            EntryKind::Dir => {
                // Entries that were not symlinks passed the filter above.
                if followed && !filter.takes_dir(name) {
                    continue;
                }
                let id = id_of(&path);
                if filter.follow && id.is_some() && stack.iter().any(|f| f.id == id) {
                    let mut text = shown.clone();
                    text.extend_from_slice(b": warning: recursive directory loop");
                    out.push(WalkEvent::Message { text, error: false });
                    continue;
                }
                let entries = checkout.list(&path);
                if let Err(e) = entries.as_ref() {
                    out.push(WalkEvent::Message {
                        text: io_message(&shown, e),
                        error: true,
                    });
                    continue;
                }
                let prefix = prefix(&shown);
                stack.push(Frame {
                    path,
                    prefix,
                    entries,
                    next: 0,
                    id,
                });
            }
            EntryKind::File => {
                if !followed || filter.takes_file(name) {
                    out.push(WalkEvent::File {
                        path,
                        display: shown,
                    });
                }
            }
            EntryKind::Symlink | EntryKind::Fifo | EntryKind::Socket | EntryKind::Other => {}
        }
    }
}

fn display_or_dot(display: &[u8]) -> &[u8] {
    if display.is_empty() { b"." } else { display }
}

/// `NAME: Reason` as coreutils and grep print an I/O error.
pub fn io_message(name: &[u8], e: &io::Error) -> Vec<u8> {
    let mut text = name.to_vec();
    text.extend_from_slice(b": ");
    text.extend_from_slice(strerror(e).as_bytes());
    text
}

/// The C library's message for an I/O error, without Rust's "(os error N)".
pub fn strerror(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(2) => "No such file or directory".into(),
        Some(13) => "Permission denied".into(),
        Some(20) => "Not a directory".into(),
        Some(21) => "Is a directory".into(),
        Some(40) => "Too many levels of symbolic links".into(),
        Some(36) => "File name too long".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Shell-style glob matching on a base name (`fnmatch` without flags):
/// `*`, `?`, `[...]` with `!`/`^` negation and ranges, `\` escapes.
///
/// ```
/// use recon_shell::walk::fnmatch;
/// assert!(fnmatch(b"*.py", b"main.py"));
/// assert!(fnmatch(b"*.env*", b".env.example"));
/// assert!(!fnmatch(b"*.py", b"main.pyc"));
/// assert!(fnmatch(b"[!a]?", b"bc"));
/// ```
pub fn fnmatch(pattern: &[u8], name: &[u8]) -> bool {
    // Iterative matcher with single-star backtracking.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = bracket(pattern, p, name[n]) {
                        if matched {
                            p = next;
                            n += 1;
                            continue;
                        }
                    } else if name[n] == b'[' {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pattern.len() => {
                    if pattern[p + 1] == name[n] {
                        p += 2;
                        n += 1;
                        continue;
                    }
                }
                c => {
                    if c == name[n] {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Matches `c` against the bracket expression at `pattern[start] == b'['`;
/// returns (matched, index after `]`), or None if the bracket is unclosed.
fn bracket(pattern: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &b = pattern.get(i)?;
        if b == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if b == b'[' && pattern.get(i + 1) == Some(&b':') {
            let end = pattern[i + 2..].windows(2).position(|w| w == b":]")? + i + 2;
            let class = &pattern[i + 2..end];
            matched |= match class {
                b"alpha" => c.is_ascii_alphabetic(),
                b"digit" => c.is_ascii_digit(),
                b"alnum" => c.is_ascii_alphanumeric(),
                b"upper" => c.is_ascii_uppercase(),
                b"lower" => c.is_ascii_lowercase(),
                b"space" => c.is_ascii_whitespace() || c == 0x0b,
                b"punct" => c.is_ascii_punctuation(),
                b"xdigit" => c.is_ascii_hexdigit(),
                _ => false,
            };
            i = end + 2;
            continue;
        }
        let lo = if b == b'\\' && i + 1 < pattern.len() {
            i += 1;
            pattern[i]
        } else {
            b
        };
        if pattern.get(i + 1) == Some(&b'-') && pattern.get(i + 2).is_some_and(|&e| e != b']') {
            let hi = pattern[i + 2];
            matched |= lo <= c && c <= hi;
            i += 3;
        } else {
            matched |= lo == c;
            i += 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_basics() {
        assert!(fnmatch(b"*", b""));
        assert!(fnmatch(b"a*b*c", b"aXbYbZc"));
        assert!(!fnmatch(b"a*b", b"a"));
        assert!(fnmatch(b"\\*", b"*"));
        assert!(fnmatch(b"[a-c]x", b"bx"));
        assert!(fnmatch(b"[", b"["));
    }

    #[test]
    fn walk_is_depth_first_in_directory_order_and_skips_symlinks_under_r() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/a.py"), "x").unwrap();
        fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::os::unix::fs::symlink("b.txt", dir.path().join("link.py")).unwrap();
        let checkout = Checkout::new(dir.path()).unwrap();
        let filter = WalkFilter {
            follow: false,
            includes: &[],
            excludes: &[],
            exclude_dirs: &[],
        };
        let mut out = Vec::new();
        walk_dir(&checkout, dir.path(), b"", &filter, &mut out);
        let mut names: Vec<String> = out
            .iter()
            .filter_map(|e| match e {
                WalkEvent::File { display, .. } => {
                    Some(String::from_utf8_lossy(display).into_owned())
                }
                _ => None,
            })
            .collect();
        names.sort();
        assert_eq!(names, ["b.txt", "sub/a.py"]);
    }
}
