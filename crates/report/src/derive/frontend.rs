//! Frontend: admin routes, the WebSocket contract, toasts, charts, and what
//! to add.

use std::collections::BTreeMap;

use recon_findings::{
    Chart, ChartKind, FrontendNotification, FrontendNotificationKind, MessageDirection, Side,
};

use super::{
    Input, at, code, gap, is_test_file, kind_name, non_empty, none_found, plural, unchecked_gap,
};
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

/// A chart's library, when it names one.
fn library_of(c: &Chart) -> Option<&str> {
    c.library.as_deref().and_then(non_empty)
}

/// A chart or toast finding's name, else its kind's.
fn label(name: &str, kind: impl serde::Serialize) -> String {
    non_empty(name).map_or_else(|| kind_name(kind), str::to_owned)
}

pub fn derive(input: &Input, stages: &[Stage]) -> Frontend {
    let f = input.f;

    // Existing admin routes.
    let admin_routes: Vec<Evidence> = f
        .frontend_routes
        .iter()
        .filter_map(|r| {
            let url = non_empty(&r.path)?;
            (url == "/admin" || url.starts_with("/admin/")).then(|| Evidence {
                at: Loc::new(&r.file, r.line),
                what: format!("{} ({})", code(url), kind_name(r.kind)),
            })
        })
        .collect();
    let routes_none = admin_routes.is_empty().then(|| {
        if f.frontend_routes.is_empty() {
            none_found("frontend_routes")
        } else {
            format!(
                "none under `/admin` among the {} found",
                plural(f.frontend_routes.len(), "frontend route", "frontend routes")
            )
        }
    });
    // Where SvelteKit routes live, from an existing route file.
    let routes_dir = f.frontend_routes.iter().find_map(|r| {
        r.file
            .find("src/routes/")
            .map(|p| r.file[..p + "src/routes/".len()].to_owned())
    });
    let existing: Vec<&str> = f
        .frontend_routes
        .iter()
        .filter_map(|r| non_empty(&r.path))
        .collect();
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
    let mut charts: Vec<Evidence> = Vec::new();
    for c in f.charts.iter().filter(|c| !is_test_file(&c.file)) {
        let name = label(&c.name, c.kind);
        let what = match c.kind {
            ChartKind::Component => {
                let uses = f
                    .charts
                    .iter()
                    .filter(|u| u.kind == ChartKind::Usage && u.name == name)
                    .count();
                format!(
                    "component {}{}{}",
                    code(&name),
                    library_of(c).map(|l| format!(" ({l})")).unwrap_or_default(),
                    if uses > 0 {
                        format!(", used in {}", plural(uses, "place", "places"))
                    } else {
                        String::new()
                    }
                )
            }
            ChartKind::Library => format!("imports {}", code(&name)),
            ChartKind::Usage => continue,
        };
        charts.push(Evidence {
            at: Loc::new(&c.file, c.line),
            what,
        });
    }
    // Toasts: stores, functions, components; calls summarised.
    let mut toasts: Vec<Evidence> = Vec::new();
    let (calls, others): (Vec<&FrontendNotification>, Vec<&FrontendNotification>) = f
        .frontend_notifications
        .iter()
        .filter(|n| !is_test_file(&n.file))
        .partition(|n| n.kind == FrontendNotificationKind::Call);
    for n in others {
        toasts.push(Evidence {
            at: Loc::new(&n.file, n.line),
            what: format!("{} {}", kind_name(n.kind), code(&label(&n.name, n.kind))),
        });
    }
    if let Some(first) = calls.first() {
        let mut names: Vec<&str> = calls.iter().filter_map(|c| non_empty(&c.name)).collect();
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
    let component = f.charts.iter().find(|c| c.kind == ChartKind::Component);
    let chart_dir = component
        .or(f.charts.first())
        .and_then(|c| c.file.rsplit_once('/').map(|(d, _)| d.to_owned()));
    let components_dir = chart_dir
        .as_ref()
        .and_then(|d| d.rsplit_once('/').map(|(p, _)| p.to_owned()));
    let library = f.charts.iter().find_map(library_of);
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
        charts_none: charts.is_empty().then(|| none_found("charts")),
        charts,
        toasts_none: toasts
            .is_empty()
            .then(|| none_found("frontend_notifications")),
        toasts,
        realtime,
        contract_none: contract
            .is_empty()
            .then(|| none_found("websocket_messages")),
        contract,
        contract_note,
        gaps,
    }
}
