//! File names in error messages, quoted as GNU coreutils quotes them under
//! `LC_ALL=C` (gnulib's shell-escape style): `'a b'`, `"it's"`,
//! `'tab'$'\t''name'`; names that need nothing stay bare unless the
//! program always quotes.

/// Bytes that never need quoting.
fn safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(&b)
}

/// Printable in the C locale.
fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// `cat`, `wc`, `sort`, `uniq`, `cut` style: quoted only when needed.
///
/// ```
/// use recon_shell::quote::{quote_if_needed, quote_always};
/// assert_eq!(quote_if_needed(b"core/main.py"), "core/main.py");
/// assert_eq!(quote_if_needed(b"no such.py"), "'no such.py'");
/// assert_eq!(quote_if_needed(b"it's"), "\"it's\"");
/// assert_eq!(quote_if_needed(b"tab\tname"), "'tab'$'\\t''name'");
/// assert_eq!(quote_always(b"nope"), "'nope'");
/// ```
pub fn quote_if_needed(name: &[u8]) -> String {
    let needs = name.is_empty()
        || name.iter().any(|&b| !safe(b))
        || name.first().is_some_and(|&b| b == b'~' || b == b'#');
    if needs {
        quote_always(name)
    } else {
        String::from_utf8_lossy(name).into_owned()
    }
}

/// `ls`, `head`, `du` style: always quoted.
pub fn quote_always(name: &[u8]) -> String {
    if name.iter().all(|&b| printable(b)) {
        let text = String::from_utf8_lossy(name);
        if !text.contains('\'') {
            return format!("'{text}'");
        }
        if !text.contains(['"', '$', '`', '\\', '!']) {
            return format!("\"{text}\"");
        }
        return format!("'{}'", text.replace('\'', "'\\''"));
    }
    // Printable runs in single quotes, the rest as $'...' escapes.
    let mut out = String::new();
    let mut i = 0;
    while i < name.len() {
        if printable(name[i]) {
            let start = i;
            while i < name.len() && printable(name[i]) {
                i += 1;
            }
            let text = String::from_utf8_lossy(&name[start..i]);
            out.push('\'');
            out.push_str(&text.replace('\'', "'\\''"));
            out.push('\'');
        } else {
            out.push_str("$'");
            while i < name.len() && !printable(name[i]) {
                match name[i] {
                    b'\t' => out.push_str("\\t"),
                    b'\n' => out.push_str("\\n"),
                    b'\r' => out.push_str("\\r"),
                    0x07 => out.push_str("\\a"),
                    0x08 => out.push_str("\\b"),
                    0x0c => out.push_str("\\f"),
                    0x0b => out.push_str("\\v"),
                    b => out.push_str(&format!("\\{b:03o}")),
                }
                i += 1;
            }
            out.push('\'');
        }
    }
    out
}

/// `find`'s own style: single quotes with `\'` and C escapes inside.
pub fn quote_find(name: &[u8]) -> String {
    let mut out = String::from("'");
    for &b in name {
        match b {
            b'\'' => out.push_str("\\'"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b if printable(b) => out.push(b as char),
            b => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('\'');
    out
}
