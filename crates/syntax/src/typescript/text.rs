//! Small readings of TypeScript syntax nodes: string values, last segments.

use tree_sitter::Node;

/// The text of `node`, or `""` when it is out of range.
pub fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// `(((x)))` gives `x`.
pub fn unparenthesize(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match named_children(node).into_iter().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The expression under parentheses and type-only syntax: `(x as T)!`,
/// `x satisfies T`, `<T>x` give `x`.
pub fn without_types(mut node: Node<'_>) -> Node<'_> {
    loop {
        node = unparenthesize(node);
        let inner = match node.kind() {
            "as_expression" | "satisfies_expression" | "non_null_expression" => {
                named_children(node).into_iter().next()
            }
            // `<T>x`: the type arguments come first
            "type_assertion" => named_children(node).into_iter().last(),
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => return node,
        }
    }
}

/// The named children of `node` that are not comments.
pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    node.named_children(&mut node.walk())
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// The last segment of an identifier (`send`) or member expression
/// (`socket?.send` gives `send`).
pub fn last_segment<'a>(node: Node<'_>, src: &'a str) -> Option<&'a str> {
    match node.kind() {
        "identifier" => Some(text(node, src)),
        "member_expression" => node.child_by_field_name("property").map(|n| text(n, src)),
        _ => None,
    }
}

/// The first argument of an argument list (comments skipped).
pub fn first_argument(arguments: Node<'_>) -> Option<Node<'_>> {
    named_children(arguments).into_iter().next()
}

/// The value of a string literal, or of a template string without
/// substitutions (parentheses dropped); `None` for anything else.
pub fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    let node = unparenthesize(node);
    match node.kind() {
        "string" => Some(decoded(node, src, false)),
        "template_string" => {
            if named_children(node)
                .iter()
                .any(|c| c.kind() == "template_substitution")
            {
                None
            } else {
                Some(decoded(node, src, true))
            }
        }
        _ => None,
    }
}

/// The text a string starts with: all of a string literal, the text of a
/// template string before its first substitution.
pub fn leading_text(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "string" => Some(decoded(node, src, false)),
        "template_string" => Some(decoded(node, src, true)),
        _ => None,
    }
}

/// Decode the fragments and escapes of a string or template string, up to a
/// template's first substitution.
fn decoded(node: Node<'_>, src: &str, template: bool) -> String {
    let mut out = String::new();
    for child in named_children(node) {
        match child.kind() {
            "string_fragment" => out.push_str(text(child, src)),
            "escape_sequence" => decode_escape(text(child, src), &mut out),
            "template_substitution" if template => break,
            _ => {}
        }
    }
    out
}

/// Decode one escape sequence (`\n`, `\x41`, `\u{1F600}`...) as JavaScript
/// does; a line continuation gives nothing.
pub fn decode_escape(escape: &str, out: &mut String) {
    let body = escape.strip_prefix('\\').unwrap_or(escape);
    let mut chars = body.chars();
    let Some(first) = chars.next() else {
        return;
    };
    let rest: &str = chars.as_str();
    let hex = |digits: &str| {
        u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
    };
    let decoded = match first {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => return,
        'x' => hex(rest),
        'u' => hex(rest.trim_start_matches('{').trim_end_matches('}')),
        '0'..='7' => u32::from_str_radix(body, 8).ok().and_then(char::from_u32),
        other => Some(other),
    };
    match decoded {
        Some(c) => out.push(c),
        None => out.push_str(escape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut out = String::new();
        for e in [
            r"\n", r"\x41", r"\u0042", r"\u{43}", r"\'", "\\\n", r"\0", r"\q",
        ] {
            decode_escape(e, &mut out);
        }
        assert_eq!(out, "\nABC'\0q");
    }
}
