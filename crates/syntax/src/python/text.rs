//! Small readings of Python syntax nodes the queries cannot express: the last
//! segment of a dotted name, the value of a string literal, call arguments.

use tree_sitter::Node;

/// The text of `node`, or `""` when it is out of range (never, for a tree
/// parsed from `src`).
pub fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// 1-based line of the node's first byte.
pub fn line(node: Node<'_>) -> usize {
    node.start_position().row + 1
}

/// The last segment of an identifier (`app`) or attribute (`self.app`).
pub fn last_segment<'a>(node: Node<'_>, src: &'a str) -> Option<&'a str> {
    match node.kind() {
        "identifier" => Some(text(node, src)),
        "attribute" => node.child_by_field_name("attribute").map(|n| text(n, src)),
        _ => None,
    }
}

/// `(((x)))` gives `x`.
pub fn unparenthesize(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match node
            .named_children(&mut node.walk())
            .find(|c| c.kind() != "comment")
        {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The positional arguments of an argument list, in order (comments, keyword
/// arguments and `**` splats skipped; `*args` kept). A generator argument
/// (`f(x for x in y)`) is its only positional argument.
pub fn positional_args(arguments: Node<'_>) -> Vec<Node<'_>> {
    if arguments.kind() != "argument_list" {
        return vec![arguments];
    }
    arguments
        .named_children(&mut arguments.walk())
        .filter(|c| {
            !matches!(
                c.kind(),
                "comment" | "keyword_argument" | "dictionary_splat"
            )
        })
        .collect()
}

/// The value of the keyword argument `name=` in an argument list.
pub fn keyword_arg<'t>(arguments: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    if arguments.kind() != "argument_list" {
        return None;
    }
    arguments
        .named_children(&mut arguments.walk())
        .filter(|c| c.kind() == "keyword_argument")
        .find(|c| {
            c.child_by_field_name("name")
                .is_some_and(|n| text(n, src) == name)
        })
        .and_then(|c| c.child_by_field_name("value"))
}

/// The dotted name of an identifier or attribute chain of identifiers
/// (`time.perf_counter`); `None` for anything else (`f().x`, `a[0].b`).
pub fn dotted_name(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "identifier" => Some(text(node, src).to_owned()),
        "attribute" => {
            let object = dotted_name(node.child_by_field_name("object")?, src)?;
            let attribute = text(node.child_by_field_name("attribute")?, src);
            Some(format!("{object}.{attribute}"))
        }
        _ => None,
    }
}

/// What an expression names as work to run: a call's callee's last segment,
/// an identifier's or attribute's last segment (parentheses dropped).
pub fn target_of(node: Node<'_>, src: &str) -> Option<String> {
    let node = unparenthesize(node);
    let named = match node.kind() {
        "call" => node.child_by_field_name("function")?,
        _ => node,
    };
    last_segment(named, src).map(str::to_owned)
}

/// The named children of `node` that are not comments.
pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    node.named_children(&mut node.walk())
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// One `string` node: its prefix letters and decoded literal text.
struct StringPart {
    bytes: bool,
    /// Decoded text before the first placeholder (all of it for a plain string).
    leading: String,
    /// Whether the part has a `{placeholder}`.
    has_placeholder: bool,
    /// The bytes between the quotes, as written.
    written: std::ops::Range<usize>,
}

fn string_part(node: Node<'_>, src: &str) -> Option<StringPart> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    let start = children.first().filter(|c| c.kind() == "string_start")?;
    let prefix: String = text(*start, src)
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let raw = prefix.contains('r');
    let fstring = prefix.contains('f');
    let bytes = prefix.contains('b');
    let body_start = start.end_byte();
    let placeholder = children.iter().find(|c| c.kind() == "interpolation");
    let written_end = children
        .iter()
        .find(|c| c.kind() == "string_end")
        .map_or(node.end_byte(), |c| c.start_byte())
        .max(body_start);
    let body_end = placeholder.map_or(written_end, |p| p.start_byte());
    let body = src.get(body_start..body_end.max(body_start)).unwrap_or("");
    Some(StringPart {
        bytes,
        leading: decode(body, raw, fstring),
        has_placeholder: placeholder.is_some(),
        written: body_start..written_end,
    })
}

/// The parts of a string-like expression: `[node]` for a `string`, its
/// `string` children for an implicit concatenation, nothing else.
pub fn string_parts(node: Node<'_>) -> Vec<Node<'_>> {
    match node.kind() {
        "string" => vec![node],
        "concatenated_string" => node
            .named_children(&mut node.walk())
            .filter(|c| c.kind() == "string")
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of a `str` literal (implicit concatenation joined, parentheses
/// dropped); `None` for bytes, for f-strings with a placeholder and for any
/// other expression.
pub fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    joined_string(node, src, false)
}

/// A `str` literal's text with each f-string placeholder kept as written
/// (`f"/{page}"` gives `/{page}`: a route path's template); `None` for
/// bytes and for any other expression.
pub fn string_template(node: Node<'_>, src: &str) -> Option<String> {
    joined_string(node, src, true)
}

/// A `str` literal's parts joined; an f-string part with a placeholder is
/// `None` (the value is not known) or, as a `template`, its text as written.
fn joined_string(node: Node<'_>, src: &str, template: bool) -> Option<String> {
    let node = unparenthesize(node);
    let parts = string_parts(node);
    if parts.is_empty() {
        return None;
    }
    let mut value = String::new();
    for part in parts {
        let part = string_part(part, src)?;
        if part.bytes || (part.has_placeholder && !template) {
            return None;
        }
        if part.has_placeholder {
            value.push_str(src.get(part.written)?);
        } else {
            value.push_str(&part.leading);
        }
    }
    Some(value)
}

/// The literal text a log message starts with: of a concatenation, its first
/// part; of an f-string, the text before the first placeholder. `None` when
/// `node` is no `str` literal.
pub fn leading_text(node: Node<'_>, src: &str) -> Option<String> {
    let node = unparenthesize(node);
    let first = *string_parts(node).first()?;
    let part = string_part(first, src)?;
    if part.bytes {
        return None;
    }
    Some(part.leading)
}

/// The literal text a string literal starts with, across an implicit
/// concatenation: the parts joined up to the first placeholder of an
/// f-string (all of a literal without placeholders). `None` for bytes and
/// for any other expression.
pub fn literal_leading_text(node: Node<'_>, src: &str) -> Option<String> {
    let parts = string_parts(node);
    if parts.is_empty() {
        return None;
    }
    let mut text = String::new();
    for part in parts {
        let part = string_part(part, src)?;
        if part.bytes {
            return None;
        }
        text.push_str(&part.leading);
        if part.has_placeholder {
            break;
        }
    }
    Some(text)
}

/// `[TAG] rest` gives `[TAG]`: the text up to and including the first `]`,
/// when the text starts with `[`.
pub fn bracket_prefix(text: &str) -> Option<String> {
    if !text.starts_with('[') {
        return None;
    }
    let end = text.find(']')?;
    Some(text[..=end].to_owned())
}

/// Decode the body of a Python string literal (between the quotes).
///
/// Escapes as Python reads them in `str` literals; `\N{...}` is kept as
/// written (no Unicode name table here). In f-strings `{{` and `}}` are one
/// brace each.
pub fn decode(body: &str, raw: bool, fstring: bool) -> String {
    decode_prefix(body, raw, fstring, usize::MAX)
}

/// The start of [`decode`]'s value: decoding stops once more than `max`
/// bytes are out (a caller testing a short value or prefix needs no more).
pub fn decode_prefix(body: &str, raw: bool, fstring: bool, max: usize) -> String {
    let mut out = String::with_capacity(body.len().min(max.saturating_add(8)));
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if out.len() > max {
            break;
        }
        match c {
            '{' | '}' if fstring && chars.peek() == Some(&c) => {
                chars.next();
                out.push(c);
            }
            '\\' if !raw => decode_escape(&mut chars, &mut out),
            '\\' => {
                // A raw string keeps the backslash, and the character after it
                // cannot end the literal.
                out.push('\\');
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn decode_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    let Some(c) = chars.next() else {
        out.push('\\');
        return;
    };
    let simple = match c {
        '\n' => Some(None),
        '\r' => {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            Some(None)
        }
        '\\' => Some(Some('\\')),
        '\'' => Some(Some('\'')),
        '"' => Some(Some('"')),
        'a' => Some(Some('\x07')),
        'b' => Some(Some('\x08')),
        'f' => Some(Some('\x0c')),
        'n' => Some(Some('\n')),
        'r' => Some(Some('\r')),
        't' => Some(Some('\t')),
        'v' => Some(Some('\x0b')),
        _ => None,
    };
    if let Some(decoded) = simple {
        if let Some(d) = decoded {
            out.push(d);
        }
        return;
    }
    match c {
        '0'..='7' => {
            let mut value = c.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.peek().and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        value = value * 8 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            push_code(out, value, &format!("\\{value:o}"));
        }
        'x' | 'u' | 'U' => {
            let width = match c {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let mut digits = String::new();
            for _ in 0..width {
                match chars.peek() {
                    Some(d) if d.is_ascii_hexdigit() => {
                        digits.push(*d);
                        chars.next();
                    }
                    _ => break,
                }
            }
            let written = format!("\\{c}{digits}");
            match (digits.len() == width)
                .then(|| u32::from_str_radix(&digits, 16).ok())
                .flatten()
            {
                Some(value) => push_code(out, value, &written),
                None => out.push_str(&written),
            }
        }
        other => {
            // `\N{...}` and unknown escapes stay as written.
            out.push('\\');
            out.push(other);
        }
    }
}

fn push_code(out: &mut String, value: u32, written: &str) {
    match char::from_u32(value) {
        Some(ch) => out.push(ch),
        None => out.push_str(written),
    }
}

/// The operator of a binary expression (`+`, `%`...).
pub fn operator<'a>(node: Node<'a>) -> Option<&'a str> {
    node.child_by_field_name("operator").map(|o| o.kind())
}

/// Whether every operand of a `+` chain (parentheses dropped) satisfies
/// `leaf`; a node that is no `+` is a chain of one. Iterative: a chain of
/// 100,000 `+` would overflow the stack.
pub fn plus_operands_all(node: Node<'_>, mut leaf: impl FnMut(Node<'_>) -> bool) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        let node = unparenthesize(node);
        if node.kind() == "binary_operator" && operator(node) == Some("+") {
            for side in ["left", "right"] {
                match node.child_by_field_name(side) {
                    Some(s) => stack.push(s),
                    None => return false,
                }
            }
        } else if !leaf(node) {
            return false;
        }
    }
    true
}

/// Whether `node` opens a scope of its own for the logging and except
/// rules: a function definition (its parameters, annotations and body;
/// decorators sit outside it in the tree), a `lambda`, a class definition
/// (its bases and body).
pub fn is_scope(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "function_definition" | "lambda" | "class_definition"
    )
}

/// The innermost enclosing function (`def`, `async def`, `lambda`) of
/// `node`, or `None` at module level. Class bodies are no scope of their
/// own here (their names are not visible to methods, but nothing a rule
/// reads depends on that).
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "function_definition" | "lambda") {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

pub use recon_findings::vocabulary::is_test_path;

/// Whether a string literal (parentheses dropped) has an f-string part with
/// a placeholder.
pub fn is_interpolated(node: Node<'_>) -> bool {
    string_parts(unparenthesize(node)).into_iter().any(|p| {
        p.named_children(&mut p.walk())
            .any(|c| c.kind() == "interpolation")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(
            decode(r"a\nb\x5b\u005d\101\\\q", false, false),
            "a\nb[]A\\\\q"
        );
        assert_eq!(decode(r"a\nb", true, false), r"a\nb");
        assert_eq!(decode("{{x}}", false, true), "{x}");
        assert_eq!(decode("{{x}}", false, false), "{{x}}");
        assert_eq!(decode("a\\\nb", false, false), "ab");
    }

    #[test]
    fn bracket_prefixes() {
        assert_eq!(bracket_prefix("[WS] hello").as_deref(), Some("[WS]"));
        assert_eq!(bracket_prefix("[A][B]").as_deref(), Some("[A]"));
        assert_eq!(bracket_prefix(" [WS]"), None);
        assert_eq!(bracket_prefix("[WS"), None);
        assert_eq!(bracket_prefix("[]").as_deref(), Some("[]"));
    }
}
