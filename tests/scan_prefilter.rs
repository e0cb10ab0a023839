//! The literal prefilter (files with none of the literals any rule needs are
//! not parsed) changes nothing: the findings are byte-identical with and
//! without it, on the fixtures, on generated corpora and on files built to
//! be skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::util::scan::{write_corpus, write_wall_clock_corpus};
use crate::util::workspace;
use recon_syntax::{ScanOptions, prefilter_passes, scan, scan_unfiltered};

fn assert_same(root: &Path, opts: &ScanOptions) -> recon_findings::Findings {
    let filtered = scan(root, opts).unwrap();
    let unfiltered = scan_unfiltered(root, opts).unwrap();
    let (fast, slow) = (
        serde_json::to_value(&filtered).unwrap(),
        serde_json::to_value(&unfiltered).unwrap(),
    );
    // Name the categories that differ and the items only one side has.
    let mut differences = Vec::new();
    for (category, slow_items) in slow.as_object().unwrap() {
        let fast_items = &fast[category];
        if fast_items == slow_items {
            continue;
        }
        let only = |a: &serde_json::Value, b: &serde_json::Value| -> Vec<String> {
            let b = b.as_array().cloned().unwrap_or_default();
            a.as_array()
                .map(|a| {
                    a.iter()
                        .filter(|x| !b.contains(x))
                        .map(|x| x.to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        differences.push(format!(
            "{category}:\n  only fast: {:?}\n  only slow: {:?}",
            only(fast_items, slow_items),
            only(slow_items, fast_items)
        ));
    }
    assert!(
        differences.is_empty(),
        "the shortcuts changed the findings of {}:\n{}",
        root.display(),
        differences.join("\n")
    );
    filtered
}

#[test]
fn fixtures_are_the_same_with_and_without_prefilter() {
    let opts = ScanOptions::default();
    for dir in ["fixtures/app", "fixtures/scan"] {
        assert_same(&workspace().join(dir), &opts);
    }
    let all = ScanOptions {
        no_ignore: true,
        ..ScanOptions::default()
    };
    assert_same(&workspace().join("fixtures/app"), &all);
}

#[test]
fn corpora_are_the_same_with_and_without_prefilter() {
    for seed in [3, 11] {
        let dir = tempfile::tempdir().unwrap();
        write_corpus(dir.path(), seed);
        assert_same(dir.path(), &ScanOptions::default());
    }
}

/// The units naming a name bound to the wall clock are parsed (the
/// subtraction's and the binding's, wherever they fall).
#[test]
fn wall_clock_corpora_are_the_same_with_and_without_prefilter() {
    for seed in [3, 11] {
        let dir = tempfile::tempdir().unwrap();
        write_wall_clock_corpus(dir.path(), seed);
        let found = assert_same(dir.path(), &ScanOptions::default());
        assert!(!found.wall_clock_durations.is_empty(), "seed {seed}");
    }
}

#[test]
fn files_without_literals_are_skipped_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "web/src/lib/util.ts",
            "export const add = (a: number, b: number) => a + b;\n",
        ),
        (
            "web/src/lib/Plain.svelte",
            "<script>\n  let n = 0;\n</script>\n<p>{n}</p>\n",
        ),
        ("db/seed.sql", "INSERT INTO users (id) VALUES (1);\n"),
    ];
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        assert!(
            !prefilter_passes(rel, text.as_bytes()),
            "{rel} passes the prefilter"
        );
    }
    // These pass whatever their text: findings from the path, and every
    // Python module (the semantic model reads each one: an `__init__.py`
    // re-exports, a constants module binds names).
    for rel in [
        "pkg/__init__.py",
        "pkg/constants.py",
        "web/src/routes/+page.svelte",
        "web/src/routes/api/+server.ts",
        "web/src/lib/charts/Plain.svelte",
        ".env",
    ] {
        assert!(prefilter_passes(rel, b"x"), "{rel} is skipped");
    }
    let found = assert_same(dir.path(), &ScanOptions::default());
    assert_eq!(found.files_scanned, files.len());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
}

/// Statements in the bodies of defs and classes are parsed apart, each with
/// the headers around it: what a finding reads from its place (an `except`
/// around a log call, a parameter, a nested def) must come out as from the
/// whole module, with no syntax error from the bodies left out.
#[test]
fn statements_in_bodies_parse_with_their_headers() {
    let dir = tempfile::tempdir().unwrap();
    let module = r#"import logging
import requests

logger = logging.getLogger(__name__)


class Service:
    """Doc."""

    def handle(self, request_id):
        total = 1
        return total

    def work(self):
        x = 1
        if x:
            logger.info("deep %s", x)
        try:
            x += 1
        except ValueError:
            logger.exception("failed")
        else:
            pass
        def inner():
            y = 2
            logger.debug("inner")
            return y
        return inner

    @staticmethod
    def plain(a, b):
        return a + b


def handler():
    resp = requests.get("https://example.com/api")
    return resp


def untouched():
    return 42
"#;
    std::fs::write(dir.path().join("service.py"), module).unwrap();
    let found = assert_same(dir.path(), &ScanOptions::default());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    let loggers: Vec<usize> = found.loggers.iter().map(|l| l.line).collect();
    assert_eq!(loggers, [4]);
    let log_calls: Vec<usize> = found.log_calls.iter().map(|c| c.line).collect();
    assert_eq!(log_calls, [17, 21, 26]);
    let in_except: Vec<(usize, bool)> = found
        .log_messages
        .iter()
        .map(|m| (m.line, m.in_except))
        .collect();
    assert_eq!(in_except, [(17, false), (21, true), (26, false)]);
    assert!(
        found
            .context_carriers
            .iter()
            .any(|c| c.line == 10 && c.name == "request_id"),
        "{:?}",
        found.context_carriers
    );
    let urls: Vec<usize> = found.external_urls.iter().map(|u| u.line).collect();
    assert_eq!(urls, [36]);
}

/// A message received in one function and its type compared in another it
/// is passed to: a module that receives from a WebSocket is parsed whole,
/// so the receive, the call and the comparisons come along though none of
/// their units holds another trigger. The same comparisons in a module
/// that receives nothing are no messages, and its `"type"` key with no send
/// call near it is not parsed.
#[test]
fn received_messages_bring_their_module() {
    let dir = tempfile::tempdir().unwrap();
    let module = r#"async def receive(ws):
    msg = await ws.receive_json()
    await handle(msg["type"])


async def handle(kind):
    if kind == "ping":
        return 1
    match kind:
        case "chat" | "join":
            return 2


async def send(ws):
    await ws.send_json({"type": "pong", "n": 1})
"#;
    let other = r#"def handle(kind):
    if kind == "ping":
        return 1


SCHEMA = {"type": "object"}
"#;
    std::fs::write(dir.path().join("ws.py"), module).unwrap();
    std::fs::write(dir.path().join("other.py"), other).unwrap();
    let found = assert_same(dir.path(), &ScanOptions::default());
    let messages: Vec<(&str, usize, &str)> = found
        .websocket_messages
        .iter()
        .map(|m| (m.file.as_str(), m.line, m.message_type.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            ("ws.py", 7, "ping"),
            ("ws.py", 10, "chat"),
            ("ws.py", 10, "join"),
            ("ws.py", 15, "pong")
        ]
    );
}
