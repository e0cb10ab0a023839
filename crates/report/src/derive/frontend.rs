//! Frontend: admin routes, the WebSocket contract, toasts, charts, and what
//! to add.

use std::collections::BTreeMap;

use recon_findings::{MessageDirection, Side};

use super::{Input, at, code, gap, is_test_file, none_in, plural, unchecked_gap};
use crate::model::{Cell, ContractRow, Evidence, Frontend, GapInstance, Loc, Proposal, Stage};

/// The admin pages the deliverable asks for, and what each shows.
const PAGES: [(&str, &str); 3] = [
    (
        "/admin/traces",
        "list of traces (slowest, failed) from the `traces` table; one trace opens its span waterfall",
    ),
    (
        "/admin/logs",
        "log records filtered by level, [TAG] and trace_id, from the `logs` table",
    ),
    (
        "/admin/alerts",
        "alert rules, their channels and the alert history from the `alerts` table",
    ),
];

fn url_of(item: &crate::extra::Item) -> Option<String> {
    item.text(&["url", "path", "route", "pattern"])
}

pub fn derive(input: &Input, stages: &[Stage]) -> Frontend {
    let f = input.f;
    let e = &input.extra;

    // Existing admin routes.
    let admin_routes: Vec<Evidence> = e
        .frontend_routes
        .items
        .iter()
        .filter_map(|i| {
            let url = url_of(i)?;
            (url == "/admin" || url.starts_with("/admin/")).then(|| Evidence {
                at: Loc::new(&i.file, i.line),
                what: match i.text(&["kind", "type"]) {
                    Some(kind) => format!("{} ({kind})", code(&url)),
                    None => code(&url),
                },
            })
        })
        .collect();
    let routes_none = admin_routes.is_empty().then(|| {
        if e.frontend_routes.items.is_empty() {
            none_in("frontend_routes", &e.frontend_routes)
        } else {
            format!(
                "none under `/admin` among the {} found",
                plural(
                    e.frontend_routes.items.len(),
                    "frontend route",
                    "frontend routes"
                )
            )
        }
    });
    // Where SvelteKit routes live, from an existing route file.
    let routes_dir = e.frontend_routes.items.iter().find_map(|i| {
        i.file
            .find("src/routes/")
            .map(|p| i.file[..p + "src/routes/".len()].to_owned())
    });
    let existing: Vec<String> = e.frontend_routes.items.iter().filter_map(url_of).collect();
    let routes_to_add: Vec<Proposal> = PAGES
        .iter()
        .filter(|(url, _)| !existing.iter().any(|x| x == url))
        .map(|(url, why)| Proposal {
            name: (*url).to_owned(),
            place: routes_dir
                .as_ref()
                .map(|d| format!("{d}{}/+page.svelte", url.trim_start_matches('/'))),
            why: (*why).to_owned(),
        })
        .collect();

    // Charts: components and the libraries they import; usages counted.
    let kind_of = |i: &crate::extra::Item| i.text(&["kind"]).unwrap_or_default();
    let mut charts: Vec<Evidence> = Vec::new();
    for i in e.charts.items.iter().filter(|i| !is_test_file(&i.file)) {
        let name = i.label().unwrap_or_else(|| "chart".to_owned());
        let kind = kind_of(i);
        let what = match kind.as_str() {
            "component" => {
                let uses = e
                    .charts
                    .items
                    .iter()
                    .filter(|u| {
                        kind_of(u) == "usage" && u.text(&["name"]).as_deref() == Some(name.as_str())
                    })
                    .count();
                format!(
                    "component {}{}{}",
                    code(&name),
                    i.text(&["library"])
                        .map(|l| format!(" ({l})"))
                        .unwrap_or_default(),
                    if uses > 0 {
                        format!(", used in {}", plural(uses, "place", "places"))
                    } else {
                        String::new()
                    }
                )
            }
            "library" => format!("imports {}", code(&name)),
            "usage" => continue,
            "" => code(&name),
            other => format!("{other} {}", code(&name)),
        };
        charts.push(Evidence {
            at: Loc::new(&i.file, i.line),
            what,
        });
    }
    // Toasts: stores, functions, components; calls summarised.
    let mut toasts: Vec<Evidence> = Vec::new();
    let calls: Vec<&crate::extra::Item> = e
        .frontend_notifications
        .items
        .iter()
        .filter(|i| kind_of(i) == "call" && !is_test_file(&i.file))
        .collect();
    for i in e
        .frontend_notifications
        .items
        .iter()
        .filter(|i| kind_of(i) != "call" && !is_test_file(&i.file))
    {
        let name = i.label().unwrap_or_else(|| "notification".to_owned());
        let kind = kind_of(i);
        toasts.push(Evidence {
            at: Loc::new(&i.file, i.line),
            what: if kind.is_empty() {
                code(&name)
            } else {
                format!("{kind} {}", code(&name))
            },
        });
    }
    if let Some(first) = calls.first() {
        let mut names: Vec<String> = calls.iter().filter_map(|c| c.text(&["name"])).collect();
        names.sort();
        names.dedup();
        toasts.push(Evidence {
            at: Loc::new(&first.file, first.line),
            what: format!(
                "{} ({}), the first",
                plural(calls.len(), "notification call", "notification calls"),
                names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let component = e.charts.items.iter().find(|i| kind_of(i) == "component");
    let chart_dir = component
        .or(e.charts.items.first())
        .and_then(|i| i.file.rsplit_once('/').map(|(d, _)| d.to_owned()));
    let components_dir = chart_dir
        .as_ref()
        .and_then(|d| d.rsplit_once('/').map(|(p, _)| p.to_owned()));
    let library = e.charts.items.iter().find_map(|i| i.text(&["library"]));
    let stage_names: Vec<&str> = stages
        .iter()
        .filter(|s| !s.evidence.is_empty())
        .map(|s| s.title.as_str())
        .collect();
    let tags = f
        .log_calls
        .iter()
        .filter_map(|c| c.prefix.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let components_to_build = vec![
        Proposal {
            name: "TraceWaterfall".to_owned(),
            place: chart_dir
                .as_ref()
                .map(|d| format!("{d}/TraceWaterfall.svelte")),
            why: format!(
                "spans of one trace on a time axis{}{}",
                if stage_names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", stage_names.join(", "))
                },
                match (&library, chart_dir.is_some()) {
                    (Some(lib), _) =>
                        format!("; built with {} like the existing charts", code(lib)),
                    (None, true) => "; beside the existing chart components".to_owned(),
                    (None, false) => String::new(),
                }
            ),
        },
        Proposal {
            name: "LogViewer".to_owned(),
            place: components_dir
                .as_ref()
                .map(|d| format!("{d}/LogViewer.svelte")),
            why: format!(
                "log records with level, [TAG] ({} in use) and trace_id filters; a trace_id links to its TraceWaterfall",
                tags
            ),
        },
        Proposal {
            name: "AlertConfig".to_owned(),
            place: components_dir
                .as_ref()
                .map(|d| format!("{d}/AlertConfig.svelte")),
            why: "alert rules (threshold, window, channel) and the alert history".to_owned(),
        },
    ];

    // The WebSocket contract, test files left out.
    let msgs: Vec<_> = f
        .websocket_messages
        .iter()
        .filter(|m| !is_test_file(&m.file))
        .collect();
    let tests_left_out = f
        .websocket_messages
        .iter()
        .filter(|m| is_test_file(&m.file))
        .count();
    let frontend_scanned = msgs.iter().any(|m| m.side == Side::Frontend);
    let mut by_type: BTreeMap<&str, [Vec<Loc>; 4]> = BTreeMap::new();
    let mut order: Vec<(&Loc, &str)> = Vec::new();
    let mut locs: Vec<(Loc, &str)> = Vec::new();
    for m in &msgs {
        let slot = match (m.side, m.direction) {
            (Side::Backend, MessageDirection::Sent) => 0,
            (Side::Backend, MessageDirection::Handled) => 1,
            (Side::Frontend, MessageDirection::Sent) => 2,
            (Side::Frontend, MessageDirection::Handled) => 3,
        };
        let loc = Loc::new(&m.file, m.line);
        by_type.entry(m.message_type.as_str()).or_default()[slot].push(loc.clone());
        locs.push((loc, m.message_type.as_str()));
    }
    locs.sort();
    for (loc, t) in &locs {
        if !order.iter().any(|(_, x)| x == t) {
            order.push((loc, t));
        }
    }
    let cell = |v: &Vec<Loc>| Cell {
        first: v.first().cloned(),
        count: v.len(),
    };
    let mut contract = Vec::new();
    let mut unhandled = Vec::new();
    for (_, t) in &order {
        let Some(slots) = by_type.get(t) else {
            continue;
        };
        let [bs, bh, fs, fh] = slots;
        let mut problems = Vec::new();
        if !fs.is_empty() && bh.is_empty() {
            problems.push("frontend sends, backend never handles");
            for l in fs {
                unhandled.push(GapInstance {
                    at: l.clone(),
                    message: format!(
                        "the frontend sends {} and no backend handler compares against it",
                        code(t)
                    ),
                });
            }
        }
        if frontend_scanned && !bs.is_empty() && fh.is_empty() {
            problems.push("backend sends, frontend never handles");
            for l in bs {
                unhandled.push(GapInstance {
                    at: l.clone(),
                    message: format!(
                        "the backend sends {} and no frontend handler checks for it",
                        code(t)
                    ),
                });
            }
        }
        if frontend_scanned && !bh.is_empty() && fs.is_empty() {
            problems.push("backend handles, frontend never sends");
        }
        if !fh.is_empty() && bs.is_empty() {
            problems.push("frontend handles, backend never sends");
        }
        let status = if !problems.is_empty() {
            problems.join("; ")
        } else if !frontend_scanned {
            "backend only (frontend side not in findings)".to_owned()
        } else {
            "ok".to_owned()
        };
        contract.push(ContractRow {
            message_type: (*t).to_owned(),
            backend_sends: cell(bs),
            backend_handles: cell(bh),
            frontend_sends: cell(fs),
            frontend_handles: cell(fh),
            status,
        });
    }
    let mut contract_note = if frontend_scanned {
        "Backend and frontend sides from the findings".to_owned()
    } else {
        "Frontend side: no frontend `websocket_messages` in these findings (TypeScript/Svelte not scanned), so only the backend columns are filled".to_owned()
    };
    if tests_left_out > 0 {
        contract_note.push_str(&format!(
            "; {} in test files left out",
            plural(tests_left_out, "message", "messages")
        ));
    }
    contract_note.push('.');
    let gaps = vec![if frontend_scanned {
        gap(
            "ws-type-unhandled",
            "WebSocket message types one side sends and the other never handles",
            "message types sent by one side and handled by no handler of the other (OBS010)",
            unhandled,
        )
    } else {
        let mut g = gap(
            "ws-type-unhandled",
            "WebSocket message types one side sends and the other never handles",
            "message types sent by one side and handled by no handler of the other (OBS010)",
            unhandled,
        );
        if g.count == 0 {
            g = unchecked_gap(
                "ws-type-unhandled",
                "WebSocket message types one side sends and the other never handles",
                "message types sent by one side and handled by no handler of the other (OBS010)",
                "not checked: the findings have no frontend WebSocket messages",
            );
        }
        g
    }];

    // Real-time: the WebSocket pattern to reuse.
    let mut realtime = Vec::new();
    let backend_send = msgs
        .iter()
        .find(|m| m.side == Side::Backend && m.direction == MessageDirection::Sent);
    let frontend_handle = msgs
        .iter()
        .find(|m| m.side == Side::Frontend && m.direction == MessageDirection::Handled);
    for ws in f
        .websocket_endpoints
        .iter()
        .filter(|w| !is_test_file(&w.file))
    {
        realtime.push(format!(
            "WebSocket {} ({} at {}) already pushes typed JSON messages",
            code(ws.path.as_deref().unwrap_or("(not a literal)")),
            code(&ws.handler),
            at(&Loc::new(&ws.file, ws.line))
        ));
    }
    if let Some(m) = backend_send {
        realtime.push(format!(
            "Pattern: the backend sends `{{\"type\": ...}}` objects (first: {} at {}){}",
            code(&m.message_type),
            at(&Loc::new(&m.file, m.line)),
            match frontend_handle {
                Some(h) => format!(
                    " and the frontend dispatches on `type` (first: {} at {})",
                    code(&h.message_type),
                    at(&Loc::new(&h.file, h.line))
                ),
                None => String::new(),
            }
        ));
        let used: Vec<&str> = msgs.iter().map(|m| m.message_type.as_str()).collect();
        let new: Vec<String> = ["trace_update", "log_entry", "alert_fired"]
            .iter()
            .filter(|t| !used.contains(t))
            .map(|t| code(t))
            .collect();
        realtime.push(format!(
            "Add admin-only types {} on a separate admin socket (the chat socket is per session) and handle them in the admin pages",
            new.join(", ")
        ));
    }
    if realtime.is_empty() {
        realtime.push(format!(
            "No WebSocket endpoint found ({}): poll the admin API (e.g. every 5 s) or add a server-sent-events endpoint for live traces, logs and alerts",
            super::searched("websocket_endpoints")
        ));
    }

    Frontend {
        admin_routes,
        routes_none,
        routes_to_add,
        components_to_build,
        chart_components: charts
            .iter()
            .filter(|c| c.what.starts_with("component "))
            .count(),
        charts_none: charts.is_empty().then(|| none_in("charts", &e.charts)),
        charts,
        toasts_none: toasts
            .is_empty()
            .then(|| none_in("frontend_notifications", &e.frontend_notifications)),
        toasts,
        realtime,
        contract_none: contract
            .is_empty()
            .then(|| super::none_found("websocket_messages", true)),
        contract,
        contract_note,
        gaps,
    }
}
