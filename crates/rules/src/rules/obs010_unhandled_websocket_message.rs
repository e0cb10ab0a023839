//! OBS010: a WebSocket message type one side sends and the other never
//! handles.

use std::collections::{BTreeSet, HashSet};

use recon_findings::{MessageDirection, Side, WebsocketMessage};

use crate::Diagnostic;
use crate::rules::{Rule, RuleMeta, Violation};

violation! {
    /// ## What it does
    ///
    /// Compares the WebSocket message `type` strings the two halves of the
    /// app send with the ones the other half handles, over the whole
    /// checkout (the file selection of `recon scan`, whatever files are
    /// given; for a checked file, the files of the other side are what is
    /// read), and flags each send site, in the files checked, of a type the
    /// other side never handles:
    ///
    /// - a type the frontend (TypeScript, JavaScript, Svelte) sends that no
    ///   backend (Python) handler compares or matches against;
    /// - a type the backend sends that no frontend code handles.
    ///
    /// Sent and handled types are the `websocket_messages` findings of
    /// `recon scan`, both sides, with the rules `recon-findings` documents:
    /// backend `sent` is a `send_json`/`send_text`/`send`/`broadcast` of a
    /// dict with a literal `"type"`, backend `handled` a comparison, `in`
    /// test or `match` case on the `"type"` of a message received from a
    /// WebSocket (`await ws.receive_json()`, followed through names and the
    /// module's functions it is passed to); frontend `sent` is a
    /// `send({type: ...})` / `X.send(JSON.stringify({type: ...}))`, frontend
    /// `handled` a comparison (`msg.type === '...'`) or `switch` case on the
    /// `type` of what a socket's `message` handler parsed (followed the same
    /// way). A `type` compared on anything else (an artifact's kind in a
    /// template, an in-process event) handles no message.
    ///
    /// Test code takes no part, neither as sender nor as handler (a test
    /// client's `send_json` is no backend message): a directory named
    /// `tests`, `test` or `__tests__`, or a base name `conftest.py`,
    /// `test_*.py`, `*_test.py`, or one with a `.test.` or `.spec.` part.
    /// A direction is only checked when the other side handles at least one
    /// type somewhere in the checkout, so a backend-only repository is never
    /// flagged. The send site is reported on the line
    /// the finding gives, at the column of the type's quoted literal on that
    /// line (the first non-blank column if it is not on that line).
    ///
    /// ## Why it matters
    ///
    /// A message nobody handles is dropped without a trace: the frontend's
    /// `default:` branch logs to the browser console at best, the backend
    /// answers `unknown message type` into a log nobody reads. Typing
    /// indicators, cancellations and session notices then silently do
    /// nothing, and the protocol drifts a little more with every change.
    ///
    /// ## Example
    ///
    /// ```typescript
    /// // frontend: src/lib/stores/websocket.ts
    /// send({ type: 'typing', at: Date.now() });
    /// ```
    ///
    /// ```python
    /// # backend: no branch handles "typing"
    /// match msg["type"]:
    ///     case "ping": ...
    ///     case "cancel": ...
    /// ```
    ///
    /// ## Use instead
    ///
    /// Handle the type on the other side, or stop sending it:
    ///
    /// ```python
    /// match msg["type"]:
    ///     case "ping": ...
    ///     case "cancel": ...
    ///     case "typing":
    ///         await presence.touch(session_id)
    /// ```
    #[rule(code = "OBS010", name = "unhandled-websocket-message", summary = "WebSocket message type sent but never handled by the other side")]
    pub struct UnhandledWebsocketMessage {
        /// The side that sends.
        pub sender: Side,
        /// The message type.
        pub message_type: String,
    }
}

impl Violation for UnhandledWebsocketMessage {
    const RULE: Rule = Rule::Obs010;
    fn message(&self) -> String {
        match self.sender {
            Side::Frontend => format!(
                "the frontend sends websocket message type `{}` but no backend handler accepts it",
                self.message_type
            ),
            Side::Backend => format!(
                "the backend sends websocket message type `{}` but no frontend code handles it",
                self.message_type
            ),
        }
    }
}

/// The violations among `messages` (the whole checkout's), reported only in
/// the files `reported` accepts. `line_text(file, line)` gives a line's
/// text, for the column.
pub(crate) fn check(
    messages: &[WebsocketMessage],
    reported: impl Fn(&str) -> bool,
    line_text: impl Fn(&str, usize) -> Option<String>,
) -> Vec<Diagnostic> {
    let handled = |side: Side| -> HashSet<&str> {
        messages
            .iter()
            .filter(|m| m.side == side && m.direction == MessageDirection::Handled)
            .map(|m| m.message_type.as_str())
            .collect()
    };
    let backend_handled = handled(Side::Backend);
    let frontend_handled = handled(Side::Frontend);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for m in messages {
        if m.direction != MessageDirection::Sent || !reported(&m.file) {
            continue;
        }
        let other = match m.side {
            Side::Frontend => &backend_handled,
            Side::Backend => &frontend_handled,
        };
        if other.is_empty() || other.contains(m.message_type.as_str()) {
            continue;
        }
        if !seen.insert((&m.file, m.line, &m.message_type)) {
            continue;
        }
        let column = line_text(&m.file, m.line).map_or(1, |text| column_of(&text, &m.message_type));
        let violation = UnhandledWebsocketMessage {
            sender: m.side,
            message_type: m.message_type.clone(),
        };
        out.push(Diagnostic {
            file: m.file.clone(),
            line: m.line,
            column,
            rule: <UnhandledWebsocketMessage as Violation>::RULE,
            message: violation.message(),
        });
    }
    debug_assert_eq!(UnhandledWebsocketMessage::CODE, "OBS010");
    out
}

/// 1-based column (in characters) of the first quoted occurrence of
/// `message_type` in `line`, else of its first non-blank character.
fn column_of(line: &str, message_type: &str) -> usize {
    let at = ['"', '\'', '`']
        .iter()
        .filter_map(|q| line.find(&format!("{q}{message_type}{q}")))
        .min()
        .or_else(|| line.find(|c: char| !c.is_whitespace()))
        .unwrap_or(0);
    line[..at].chars().count() + 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn msg(file: &str, side: Side, direction: MessageDirection, t: &str) -> WebsocketMessage {
        WebsocketMessage {
            file: file.into(),
            line: 1,
            side,
            direction,
            message_type: t.into(),
        }
    }

    #[test]
    fn each_direction_needs_the_other_side() {
        use MessageDirection::{Handled, Sent};
        let backend_only = [
            msg("a.py", Side::Backend, Sent, "pong"),
            msg("a.py", Side::Backend, Handled, "ping"),
        ];
        assert!(check(&backend_only, |_| true, |_, _| None).is_empty());
        let both = [
            msg("a.py", Side::Backend, Sent, "pong"),
            msg("a.py", Side::Backend, Sent, "cancelled"),
            msg("a.py", Side::Backend, Handled, "ping"),
            msg("w.ts", Side::Frontend, Sent, "ping"),
            msg("w.ts", Side::Frontend, Sent, "typing"),
            msg("w.ts", Side::Frontend, Handled, "pong"),
        ];
        let found: Vec<String> = check(&both, |_| true, |_, _| None)
            .into_iter()
            .map(|d| format!("{} {}", d.file, d.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("a.py") && found[0].contains("`cancelled`"));
        assert!(found[1].starts_with("w.ts") && found[1].contains("`typing`"));
        assert!(check(&both, |f| f == "a.py", |_, _| None).len() == 1);
    }

    #[test]
    fn columns() {
        assert_eq!(column_of("    send({ type: 'typing' });", "typing"), 18);
        assert_eq!(column_of("  x = 1", "typing"), 3);
    }
}
