//! `basename` and `dirname` (GNU coreutils): string operations on their
//! operands, which are never opened.

use crate::Refusal;
use crate::args::{OptSpec, opt};
use crate::exec::Output;
use crate::lex::Word;
use crate::ls::quote;

/// `basename NAME [SUFFIX]`, `basename -a|-s SUFFIX NAME...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasenameCommand {
    pub names: Vec<String>,
    pub suffix: Option<String>,
    pub zero: bool,
    /// GNU's usage error, printed at run time (status 1).
    pub error: Option<String>,
}

/// `dirname NAME...`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirnameCommand {
    pub names: Vec<String>,
    pub zero: bool,
}

pub fn parse_basename(args: &[Word]) -> Result<BasenameCommand, Refusal> {
    const SPECS: &[OptSpec] = &[
        opt(Some('a'), Some("multiple"), false, "a"),
        opt(Some('s'), Some("suffix"), true, "s"),
        opt(Some('z'), Some("zero"), false, "z"),
    ];
    // GNU basename stops reading options at its first operand ("+as:z").
    let mut end = 0;
    while let Some(w) = args.get(end) {
        let t = w.text.as_str();
        if t == "--" {
            end += 1;
            break;
        }
        if !t.starts_with('-') || t == "-" {
            break;
        }
        let takes_value = if let Some(long) = t.strip_prefix("--") {
            !long.contains('=') && "suffix".starts_with(long) && long.len() >= 2
        } else {
            t.ends_with('s') && !t[1..t.len() - 1].contains('s')
        };
        end += if takes_value { 2 } else { 1 };
    }
    let end = end.min(args.len());
    let mut p = crate::args::parse("basename", &args[..end], SPECS)?;
    p.operands.extend(args[end..].iter().cloned());
    let mut multiple = false;
    let mut suffix = None;
    let mut zero = false;
    for o in &p.opts {
        match o.key {
            "a" => multiple = true,
            "s" => {
                multiple = true;
                suffix = o.value.clone();
            }
            _ => zero = true,
        }
    }
    let mut names: Vec<String> = p.operands.iter().map(|w| w.text.clone()).collect();
    let mut error = None;
    if names.is_empty() {
        error = Some("missing operand".to_string());
    } else if !multiple {
        if names.len() > 2 {
            error = Some(format!("extra operand {}", quote(names[2].as_bytes())));
        } else if names.len() == 2 {
            suffix = names.pop();
        }
    }
    Ok(BasenameCommand {
        names,
        suffix,
        zero,
        error,
    })
}

pub fn parse_dirname(args: &[Word]) -> Result<DirnameCommand, Refusal> {
    const SPECS: &[OptSpec] = &[opt(Some('z'), Some("zero"), false, "z")];
    let p = crate::args::parse("dirname", args, SPECS)?;
    Ok(DirnameCommand {
        names: p.operands.iter().map(|w| w.text.clone()).collect(),
        zero: !p.opts.is_empty(),
    })
}

fn usage(program: &str, msg: &str) -> Output {
    Output::failure(
        format!("{program}: {msg}\nTry '{program} --help' for more information.\n"),
        1,
    )
}

/// The last component of `name`, trailing slashes ignored.
pub fn base(name: &str) -> &str {
    if name.is_empty() {
        return "";
    }
    let trimmed = name.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Everything before the last component, trailing slashes removed.
pub fn dir(name: &str) -> &str {
    let trimmed = name.trim_end_matches('/');
    let parent = match trimmed.rfind('/') {
        Some(i) => trimmed[..i].trim_end_matches('/'),
        None => return if name.starts_with('/') { "/" } else { "." },
    };
    if parent.is_empty() { "/" } else { parent }
}

pub fn basename(cmd: &BasenameCommand) -> Output {
    if let Some(msg) = &cmd.error {
        return usage("basename", msg);
    }
    let mut out = Output::default();
    for name in &cmd.names {
        let mut b = base(name);
        if let Some(s) = &cmd.suffix
            && !s.is_empty()
            && b != "/"
            && b.len() > s.len()
            && b.ends_with(s.as_str())
        {
            b = &b[..b.len() - s.len()];
        }
        out.stdout.extend_from_slice(b.as_bytes());
        out.stdout.push(if cmd.zero { 0 } else { b'\n' });
    }
    out
}

pub fn dirname(cmd: &DirnameCommand) -> Output {
    if cmd.names.is_empty() {
        return usage("dirname", "missing operand");
    }
    let mut out = Output::default();
    for name in &cmd.names {
        out.stdout.extend_from_slice(dir(name).as_bytes());
        out.stdout.push(if cmd.zero { 0 } else { b'\n' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_as_coreutils() {
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(base("//"), "/");
        assert_eq!(base(""), "");
        assert_eq!(dir("a/b/"), "a");
        assert_eq!(dir("a"), ".");
        assert_eq!(dir("/"), "/");
        assert_eq!(dir("//a"), "/");
        assert_eq!(dir(""), ".");
        assert_eq!(dir("a//b//"), "a");
        assert_eq!(dir("/a"), "/");
    }
}
