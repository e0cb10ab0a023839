//! The derivation rules of the crate documentation, each on small findings
//! written by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use recon_findings::Findings;
use recon_report::{Document, MarkdownPrinter, Printer, Report, derive};
use serde_json::{Value, json};

/// Findings from a JSON object merged over the empty findings.
fn findings(extra: Value) -> Findings {
    let mut base = serde_json::to_value(Findings::default()).unwrap();
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    serde_json::from_value(base).unwrap()
}

/// The Markdown deliverable of `f`.
fn markdown(f: &Findings) -> String {
    MarkdownPrinter::default()
        .print(&Document {
            findings: f,
            report: &derive(f),
        })
        .unwrap()
}

fn gap<'a>(report: &'a Report, id: &str) -> &'a recon_report::model::Gap {
    recon_report::all_gaps(report)
        .into_iter()
        .find(|g| g.id == id)
        .unwrap()
}

fn lines(gap: &recon_report::model::Gap) -> Vec<usize> {
    gap.instances.iter().map(|i| i.at.line).collect()
}

#[test]
fn execution_order_is_registration_reversed_and_the_trace_starts_outermost() {
    let f = findings(json!({
        "routes": [{"file": "main.py", "line": 30, "method": "GET", "path": "/", "handler": "index"}],
        "middleware": [
            {"file": "main.py", "line": 5, "name": "A", "kind": "class"},
            {"file": "main.py", "line": 6, "name": "B", "kind": "class"},
            {"file": "main.py", "line": 8, "name": "c", "kind": "function"}
        ],
        "context_carriers": [
            {"file": "main.py", "line": 9, "name": "X-Request-ID", "kind": "header"},
            {"file": "main.py", "line": 31, "name": "request_id", "kind": "assignment"}
        ]
    }));
    let r = derive(&f);
    let names = |rows: &[recon_report::model::MiddlewareRow]| {
        rows.iter().map(|m| m.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&r.lifecycle.middleware_registration), ["A", "B", "c"]);
    assert_eq!(names(&r.lifecycle.middleware_execution), ["c", "B", "A"]);
    assert_eq!(r.trace.births.len(), 1);
    assert_eq!(r.trace.births[0].name, "c");
    assert_eq!(r.trace.births[0].at.line, 8);
    // Carriers between the middleware and the next route/middleware only.
    let reuse: Vec<usize> = r.trace.births[0].reuse.iter().map(|e| e.at.line).collect();
    assert_eq!(reuse, [9]);
    assert_eq!(r.priority[0].id, "trace-id-at-entry");
    assert_eq!(r.priority[0].effort, 1, "an id is already read there");
}

#[test]
fn without_middleware_the_trace_starts_in_a_new_one_where_most_routes_are() {
    let f = findings(json!({
        "routes": [
            {"file": "a.py", "line": 3, "method": "GET", "path": "/a", "handler": "a"},
            {"file": "b.py", "line": 7, "method": "GET", "path": "/b", "handler": "b"},
            {"file": "b.py", "line": 9, "method": "POST", "path": "/b", "handler": "b2"},
            {"file": "b.py", "line": 11, "method": "WEBSOCKET", "path": "/ws", "handler": "ws"}
        ],
        "websocket_endpoints": [{"file": "b.py", "line": 11, "path": "/ws", "handler": "ws"}]
    }));
    let r = derive(&f);
    let births: Vec<(String, String)> = r
        .trace
        .births
        .iter()
        .map(|b| (b.kind.clone(), b.at.to_string()))
        .collect();
    assert_eq!(
        births,
        [
            ("HTTP".to_owned(), "b.py:7".to_owned()),
            ("WebSocket".to_owned(), "b.py:11".to_owned())
        ]
    );
    assert_eq!(r.priority[0].effort, 2, "no id to reuse");
    // No trace id anywhere: each birth point is a gap.
    assert_eq!(lines(gap(&r, "missing-trace-id")), [7, 11]);
}

#[test]
fn logging_gaps_come_from_log_messages_except_bodies_and_print_calls() {
    let msg = |line: usize, level: &str, message: &str, in_except: bool, exc_info: bool| {
        json!({"file": "m.py", "line": line, "level": level, "message": message,
               "in_except": in_except, "exc_info": exc_info})
    };
    let f = findings(json!({
        "except_handlers": [
            {"file": "m.py", "line": 10, "bare": false},
            {"file": "m.py", "line": 20, "bare": false},
            {"file": "m.py", "line": 30, "bare": true}
        ],
        "except_bodies": [
            {"file": "m.py", "line": 10, "swallowed": false, "logs": true, "reraises": false},
            {"file": "m.py", "line": 20, "swallowed": true, "logs": false, "reraises": false},
            {"file": "m.py", "line": 30, "swallowed": false, "logs": false, "reraises": true}
        ],
        "log_messages": [
            msg(11, "error", "fstring", true, false),    // both gaps
            msg(12, "error", "literal", true, true),     // exc_info=
            msg(13, "critical", "literal", true, false), // not `error`
            msg(40, "error", "percent", false, false),   // not in an except body
            msg(41, "info", "format", false, false),
            msg(42, "info", "concat", false, false),
            msg(43, "info", "other", false, false),      // a name: not eager
            msg(44, "info", "literal", false, false),
            msg(45, "info", "none", false, false),
            {"file": "tests/test_m.py", "line": 3, "level": "error", "message": "fstring",
             "in_except": true, "exc_info": false}
        ],
        "print_calls": [
            {"file": "m.py", "line": 50, "exempt": false},
            {"file": "m.py", "line": 60, "exempt": true}
        ],
        "logging_config": [
            {"file": "log.py", "line": 4, "kind": "dictConfig"},
            {"file": "logging.conf", "line": 1, "kind": "file"}
        ]
    }));
    let r = derive(&f);
    assert_eq!(lines(gap(&r, "error-without-traceback")), [11]);
    let eager = gap(&r, "fstring-log-message");
    assert!(eager.checked);
    assert_eq!(lines(eager), [11, 40, 41, 42]);
    assert!(eager.instances[1].message.contains("`%` formatting"));
    assert!(eager.detail.as_deref().unwrap().contains("of 9 log calls"));
    assert_eq!(lines(gap(&r, "swallowed-exception")), [20]);
    assert_eq!(lines(gap(&r, "bare-except")), [30]);
    let prints = gap(&r, "print-call");
    assert_eq!(lines(prints), [50]);
    assert!(prints.detail.as_deref().unwrap().starts_with("1 call "));
    let config: Vec<(String, String)> = r
        .logging
        .config
        .iter()
        .map(|e| (e.at.to_string(), e.what.clone()))
        .collect();
    assert_eq!(
        config,
        [
            (
                "log.py:4".to_owned(),
                "`logging.config.dictConfig(...)` call".to_owned()
            ),
            (
                "logging.conf:1".to_owned(),
                "configuration file `logging.conf`".to_owned()
            )
        ]
    );
    assert!(r.logging.config_none.is_none());
}

#[test]
fn empty_logging_categories_say_what_was_searched() {
    let r = derive(&Findings::default());
    let none = r.logging.config_none.as_deref().unwrap();
    assert!(
        none.starts_with("none found (searched: `logging.basicConfig(...)`"),
        "{none}"
    );
    assert!(!none.contains("produces no"), "{none}");
    for id in [
        "fstring-log-message",
        "error-without-traceback",
        "swallowed-exception",
        "print-call",
    ] {
        let g = gap(&r, id);
        assert!(g.checked && g.count == 0, "{id}");
    }
}

#[test]
fn routes_are_grouped_by_router_and_file() {
    let route = |file: &str, line: usize| json!({"file": file, "line": line, "method": "GET", "path": "/", "handler": "h"});
    let router =
        |file: &str, line: usize, name: &str| json!({"file": file, "line": line, "router": name});
    let f = findings(json!({
        "routes": [route("a.py", 3), route("a.py", 5), route("a.py", 7), route("b.py", 2), route("c.py", 1)],
        "route_routers": [
            router("a.py", 3, "admin_router"), router("a.py", 5, "app"),
            router("a.py", 7, "admin_router"), router("b.py", 2, "app")
        ]
    }));
    let r = derive(&f);
    let groups: Vec<(Option<String>, String, Vec<usize>)> = r
        .lifecycle
        .route_groups
        .iter()
        .map(|g| {
            (
                g.router.clone(),
                g.file.clone(),
                g.routes.iter().map(|x| x.at.line).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                Some("admin_router".to_owned()),
                "a.py".to_owned(),
                vec![3, 7]
            ),
            (Some("app".to_owned()), "a.py".to_owned(), vec![5]),
            (Some("app".to_owned()), "b.py".to_owned(), vec![2]),
            (None, "c.py".to_owned(), vec![1]),
        ]
    );
    assert!(
        r.lifecycle
            .entry_summary
            .starts_with("5 HTTP routes on 4 routers in 3 files")
    );
}

#[test]
fn request_id_gap_and_wall_clock_durations() {
    let f = findings(json!({
        "log_calls": [
            {"file": "a.py", "line": 3, "level": "info", "prefix": null},
            {"file": "b.py", "line": 4, "level": "info", "prefix": "[B]"},
            {"file": "b.py", "line": 5, "level": "log", "prefix": null},
            {"file": "tests/test_b.py", "line": 5, "level": "info", "prefix": null}
        ],
        "context_carriers": [{"file": "a.py", "line": 2, "name": "traceparent", "kind": "header"}],
        "timing": [
            {"file": "b.py", "line": 9, "kind": "duration", "name": "total_ms"},
            {"file": "b.py", "line": 9, "kind": "clock", "name": "time.time"}
        ],
        "wall_clock_durations": [
            {"file": "b.py", "line": 8},
            {"file": "tests/test_b.py", "line": 3}
        ]
    }));
    let r = derive(&f);
    // a.py names an id; test files are left out.
    assert_eq!(lines(gap(&r, "log-without-request-id")), [4, 5]);
    // `log(level, ...)` has no message as first argument.
    assert_eq!(lines(gap(&r, "untagged-log-message")), [3]);
    // The scan's wall_clock_durations outside tests: a duration-named
    // variable on a line reading `time.time()` is not one by itself.
    assert_eq!(lines(gap(&r, "wall-clock-duration")), [8]);
    // traceparent exists: no missing-trace-id instance.
    assert_eq!(gap(&r, "missing-trace-id").count, 0);
}

#[test]
fn schemas_reference_only_tables_that_exist_with_their_key_types() {
    let f = findings(json!({
        "sql_tables": [
            {"file": "m/1.sql", "line": 1, "name": "accounts",
             "columns": [{"name": "id", "type": "BIGSERIAL"}], "primary_key": ["id"], "references": []},
            {"file": "m/1.sql", "line": 5, "name": "monitoring.error_log",
             "columns": [{"name": "id", "type": "SERIAL"}], "primary_key": ["id"], "references": []}
        ]
    }));
    let r = derive(&f);
    let anchors: Vec<(String, String, String)> = r
        .database
        .anchors
        .iter()
        .map(|a| (a.role.clone(), a.table.clone(), a.key_type.clone()))
        .collect();
    assert_eq!(
        anchors,
        [(
            "user".to_owned(),
            "accounts".to_owned(),
            "BIGINT".to_owned()
        )]
    );
    let names: Vec<&str> = r
        .database
        .observability_tables
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["monitoring.error_log"]);
    let traces = &r.database.schemas[0];
    assert_eq!(traces.table, "monitoring.traces");
    let sql = traces.sql.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        sql.contains("user_id BIGINT REFERENCES accounts (id)"),
        "{sql}"
    );
    assert!(!traces.sql.contains("departments") && !traces.sql.contains("session"));
}

#[test]
fn contract_statuses() {
    let m = |file: &str, line: usize, side: &str, direction: &str, t: &str| json!({"file": file, "line": line, "side": side, "direction": direction, "type": t});
    let f = findings(json!({
        "websocket_messages": [
            m("app.py", 1, "backend", "sent", "ok"),
            m("app.py", 2, "backend", "sent", "orphan"),
            m("app.py", 3, "backend", "handled", "ping"),
            m("ws.ts", 1, "frontend", "handled", "ok"),
            m("ws.ts", 2, "frontend", "sent", "ping"),
            m("ws.ts", 3, "frontend", "sent", "typing"),
            m("tests/test_ws.py", 1, "backend", "sent", "typing")
        ]
    }));
    let r = derive(&f);
    let rows: Vec<(String, String)> = r
        .frontend
        .contract
        .iter()
        .map(|c| (c.message_type.clone(), c.status.clone()))
        .collect();
    assert_eq!(
        rows,
        [
            ("ok".to_owned(), "ok".to_owned()),
            (
                "orphan".to_owned(),
                "backend sends, frontend never handles".to_owned()
            ),
            ("ping".to_owned(), "ok".to_owned()),
            (
                "typing".to_owned(),
                "frontend sends, backend never handles".to_owned()
            ),
        ]
    );
    let g = gap(&r, "ws-type-unhandled");
    let at: Vec<String> = g.instances.iter().map(|i| i.at.to_string()).collect();
    assert_eq!(at, ["app.py:2", "ws.ts:3"]);
}

#[test]
fn empty_findings_render_every_section() {
    let md = markdown(&Findings::default());
    for heading in [
        "## Request Lifecycle",
        "## Current Logging",
        "## Trace Injection Points",
        "## Alert Integration",
        "## Database",
        "## Frontend",
        "### Distributed Tracing",
        "## Implementation Priority",
    ] {
        assert!(md.contains(&format!("\n{heading}\n")), "{heading}");
    }
    assert!(md.contains("- Entry points: none found (searched: "));
    assert!(md.contains("- Logger pattern: none found (searched: "));
}

/// Regression: a checkout holding many copies of one app, every call with
/// an edge to every copy of its callee (a receiver of many known types;
/// name matching used to give this); the call tree must stay
/// linear (it was exponential: 12 s on 8 copies) and show each function's
/// calls once.
#[test]
fn call_trees_over_many_same_named_functions_stay_small() {
    let copies = 12;
    let mut routes = Vec::new();
    let mut edges = Vec::new();
    for c in 0..copies {
        let file = format!("svc{c}/main.py");
        routes.push(json!({"file": file, "line": 10, "method": "WEBSOCKET", "path": "/ws", "handler": "ws", "handler_qualname": "ws"}));
        // ws -> handle -> answer -> search -> embed, every hop to every copy.
        for (caller, callee) in [
            ("ws", "handle"),
            ("handle", "answer"),
            ("answer", "search"),
            ("search", "embed"),
        ] {
            for d in 0..copies {
                edges.push(
                    json!({"file": file, "line": 20, "caller": caller, "callee": callee,
                                  "callee_file": format!("svc{d}/main.py"), "callee_line": 30}),
                );
            }
        }
    }
    let edge_count = edges.len();
    // Each copy's `embed` makes an embedding call: the span boundary.
    let operations: Vec<_> = (0..copies)
        .map(|c| {
            json!({"file": format!("svc{c}/main.py"), "line": 31, "column": 9, "caller": "embed",
                   "kind": "embedding", "system": "openai", "callee": "openai.OpenAI.embeddings.create"})
        })
        .collect();
    let f = findings(
        json!({"routes": routes, "websocket_endpoints": [], "call_graph": edges,
                            "operations": operations}),
    );
    let md = markdown(&f);
    let tree_lines = md.lines().filter(|l| l.contains(" called at ")).count();
    assert!(tree_lines > 0, "the tree reaches `embed`:\n{md}");
    // Each edge at most once per tree (3 trees at most).
    assert!(
        tree_lines <= 3 * edge_count,
        "{tree_lines} call lines for {edge_count} edges: subtrees repeat"
    );
    assert!(md.contains("its calls are shown above"));
}

/// The Call flow says how the Python calls resolved, unresolved ones and
/// unread modules included (counts from the findings, not recomputed).
#[test]
fn call_flow_counts_what_it_could_not_resolve() {
    let f = findings(json!({"call_resolution": {
        "calls": 10, "project": 3, "external": 4, "builtin": 1, "unresolved": 2, "unread_modules": 1
    }}));
    let md = markdown(&f);
    let line = md
        .lines()
        .find(|l| l.contains("Call resolution:"))
        .expect("a resolution line");
    assert!(line.contains("10 Python calls; 3 reach"), "{line}");
    assert!(
        line.contains("4 libraries, 1 builtins; 2 unresolved"),
        "{line}"
    );
    assert!(line.contains("1 module not read"), "{line}");
    // Nothing to say about a checkout without Python calls.
    let md = markdown(&findings(json!({})));
    assert!(!md.contains("Call resolution:"));
}
