//! Implementation Priority: candidate steps, each kept when its condition
//! holds on the findings, with an impact and an effort from documented
//! rules; sorted by impact (high first), then effort (low first), then the
//! order of [`derive`]'s rule list.

use super::{at, code, plural};
use crate::model::{Alerts, Database, Frontend, Gap, Loc, Logging, Step, Trace};

struct Candidate {
    id: &'static str,
    title: String,
    impact: u8,
    effort: u8,
    why: String,
    at: Vec<Loc>,
}

fn gap<'a>(gaps: &'a [Gap], id: &str) -> Option<&'a Gap> {
    gaps.iter().find(|g| g.id == id && g.checked && g.count > 0)
}

fn locs(g: &Gap) -> Vec<Loc> {
    g.examples.iter().map(|i| i.at.clone()).collect()
}

pub fn derive(
    logging: &Logging,
    trace: &Trace,
    alerts: &Alerts,
    database: &Database,
    frontend: &Frontend,
) -> Vec<Step> {
    let mut c: Vec<Candidate> = Vec::new();

    // 1. Trace id at the entry points: high impact; low effort when an id
    // is already read there, else medium.
    if !trace.births.is_empty() {
        let reuse = trace.births.iter().any(|b| !b.reuse.is_empty());
        let names: Vec<String> = trace
            .births
            .iter()
            .map(|b| {
                if b.name == super::trace::NEW_MIDDLEWARE {
                    format!("a new middleware in {}", code(&b.at.file))
                } else {
                    code(&b.name)
                }
            })
            .collect();
        c.push(Candidate {
            id: "trace-id-at-entry",
            title: format!("Start a trace at the entry points: {}", names.join(", ")),
            impact: 3,
            effort: if reuse { 1 } else { 2 },
            why: if reuse {
                let e = trace.births.iter().flat_map(|b| b.reuse.iter()).next();
                match e {
                    Some(e) => format!(
                        "every other step keys on the trace id; {} is already read at {}, so the id exists and only needs to become the trace id",
                        e.what,
                        at(&e.at)
                    ),
                    None => "every other step keys on the trace id".to_owned(),
                }
            } else {
                "every other step keys on the trace id; nothing reads or mints a request id there yet".to_owned()
            },
            at: trace.births.iter().map(|b| b.at.clone()).collect(),
        });
    }
    // 2. Trace id in every log record: high impact; low effort when the
    // logging configuration is in one known place, else medium.
    if logging.log_calls_total > 0 {
        let g = gap(&logging.gaps, "log-without-request-id");
        c.push(Candidate {
            id: "trace-id-in-logs",
            title: "Stamp trace_id on every log record (logging filter + JSON formatter)".to_owned(),
            impact: 3,
            effort: if logging.config.len() == 1 { 1 } else { 2 },
            why: format!(
                "{} calls go through {}; {}; {}",
                logging.log_calls_total,
                plural(logging.loggers_total, "logger", "loggers"),
                match g {
                    Some(g) => format!("{} of them sit in files that name no request id", g.count),
                    None => "they can then be joined to traces".to_owned(),
                },
                match logging.config.len() {
                    1 => "one configuration place to add the filter to".to_owned(),
                    0 => "the logging configuration is not in the findings, so finding where to attach the filter is part of the work".to_owned(),
                    n => format!("{n} configuration places to keep in step"),
                }
            ),
            at: logging.config.iter().map(|e| e.at.clone()).collect(),
        });
    }
    // 3. Spans at the boundaries: high impact; low effort when every stage
    // found is already timed, else medium.
    let found: Vec<_> = trace
        .spans
        .iter()
        .filter(|s| !s.evidence.is_empty())
        .collect();
    if !found.is_empty() {
        let all_timed = found.iter().all(|s| s.timed);
        let timed = found.iter().filter(|s| s.timed).count();
        c.push(Candidate {
            id: "spans-at-boundaries",
            title: format!(
                "Wrap the span boundaries in spans: {}",
                found.iter().map(|s| s.key.as_str()).collect::<Vec<_>>().join(", ")
            ),
            impact: 3,
            effort: if all_timed { 1 } else { 2 },
            why: format!(
                "span boundaries with evidence: {}, of which already timed (their code reads a clock): {timed}",
                found.len()
            ),
            at: found.iter().filter_map(|s| s.evidence.first().map(|e| e.at.clone())).collect(),
        });
    }
    // 4. Errors without traceback: medium impact; low effort up to 10 sites.
    if let Some(g) = gap(&logging.gaps, "error-without-traceback") {
        c.push(Candidate {
            id: "tracebacks",
            title: "Log tracebacks: `logger.exception` (or `exc_info=True`) in except clauses"
                .to_owned(),
            impact: 2,
            effort: if g.count <= 10 { 1 } else { 2 },
            why: format!(
                "error calls that lose the stack trace: {} in {}",
                g.count,
                plural(g.files, "file", "files")
            ),
            at: locs(g),
        });
    }
    // 5. Swallowed / bare excepts: medium impact, low effort.
    let swallowed = gap(&logging.gaps, "swallowed-exception");
    let bare = gap(&logging.gaps, "bare-except");
    if swallowed.is_some() || bare.is_some() {
        let n = swallowed.map_or(0, |g| g.count) + bare.map_or(0, |g| g.count);
        let mut at = Vec::new();
        for g in [swallowed, bare].into_iter().flatten() {
            at.extend(locs(g));
        }
        at.sort();
        at.dedup();
        c.push(Candidate {
            id: "no-silent-excepts",
            title: "Log or re-raise in silent and bare except clauses".to_owned(),
            impact: 2,
            effort: if n <= 10 { 1 } else { 2 },
            why: format!("except clauses that can hide failures from traces and alerts: {n}"),
            at,
        });
    }
    // 6. Alert job: medium impact; low effort when a scheduler and a
    // dispatch function exist, medium when one does, high when neither.
    {
        let scheduler = alerts.background.answer == "yes";
        let dispatch = !alerts.dispatch.is_empty();
        let effort = match (scheduler, dispatch) {
            (true, true) => 1,
            (false, false) => 3,
            _ => 2,
        };
        let mut at: Vec<Loc> = alerts
            .background
            .evidence
            .iter()
            .take(1)
            .map(|e| e.at.clone())
            .collect();
        at.extend(alerts.dispatch.iter().take(1).map(|e| e.at.clone()));
        c.push(Candidate {
            id: "alert-job",
            title: "Evaluate alert rules periodically and dispatch them".to_owned(),
            impact: 2,
            effort,
            why: format!(
                "scheduler or background work: {}; alert dispatch function: {}",
                if scheduler { "exists" } else { "none" },
                if dispatch { "exists" } else { "none" }
            ),
            at,
        });
    }
    // 7. Tables: medium impact; low effort when the app tables they
    // reference were found (migrations exist), else medium.
    c.push(Candidate {
        id: "observability-tables",
        title: format!(
            "Add the migration for {}",
            database
                .schemas
                .iter()
                .map(|s| s.table.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        impact: 2,
        effort: if database.tables.is_empty() { 2 } else { 1 },
        why: if database.tables.is_empty() {
            "no SQL migrations in the findings: the migration setup is part of the work".to_owned()
        } else {
            format!(
                "{} exist in migrations; the new tables reference {}",
                plural(database.tables.len(), "table", "tables"),
                if database.anchors.is_empty() {
                    "none of them".to_owned()
                } else {
                    database
                        .anchors
                        .iter()
                        .map(|a| code(&a.table))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )
        },
        at: database.anchors.iter().map(|a| a.at.clone()).collect(),
    });
    // 8. WebSocket contract: medium impact, low effort.
    if let Some(g) = frontend.gaps.iter().find(|g| g.checked && g.count > 0) {
        c.push(Candidate {
            id: "ws-contract",
            title: "Fix the WebSocket message types one side never handles".to_owned(),
            impact: 2,
            effort: 1,
            why: format!(
                "messages that no handler of the other side reads: {}",
                g.count
            ),
            at: locs(g),
        });
    }
    // 9. Admin pages: low impact (they only show what the steps above
    // collect); medium effort with existing charts, else high.
    c.push(Candidate {
        id: "admin-pages",
        title: format!(
            "Build the admin pages {}",
            frontend
                .routes_to_add
                .iter()
                .map(|p| code(&p.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        impact: 1,
        effort: if frontend.chart_components == 0 { 3 } else { 2 },
        why: if frontend.chart_components == 0 {
            "they show what the steps above collect; no chart components to reuse were found"
                .to_owned()
        } else {
            format!(
                "they show what the steps above collect; {} to reuse",
                plural(
                    frontend.chart_components,
                    "chart component",
                    "chart components"
                )
            )
        },
        at: frontend
            .charts
            .iter()
            .take(1)
            .map(|e| e.at.clone())
            .collect(),
    });
    // 10-12. Small cleanups: low impact, low effort.
    for (id, title, gid) in [
        (
            "replace-prints",
            "Replace print calls with logger calls",
            "print-call",
        ),
        (
            "perf-counter",
            "Measure durations with time.perf_counter()",
            "wall-clock-duration",
        ),
        (
            "tag-messages",
            "Give untagged log messages a [TAG]",
            "untagged-log-message",
        ),
    ] {
        if let Some(g) = gap(&logging.gaps, gid) {
            c.push(Candidate {
                id,
                title: title.to_owned(),
                impact: 1,
                effort: 1,
                why: format!(
                    "{} in {}",
                    plural(g.count, "place", "places"),
                    plural(g.files, "file", "files")
                ),
                at: locs(g),
            });
        }
    }

    // Stable sort keeps rule order among equals.
    c.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.effort.cmp(&b.effort)));
    c.into_iter()
        .enumerate()
        .map(|(i, c)| Step {
            rank: i + 1,
            id: c.id.to_owned(),
            title: c.title,
            impact: c.impact,
            effort: c.effort,
            impact_label: label(c.impact, ["low", "medium", "high"]),
            effort_label: label(c.effort, ["low", "medium", "high"]),
            why: c.why,
            at: c.at,
        })
        .collect()
}

fn label(n: u8, words: [&str; 3]) -> String {
    words[usize::from(n.clamp(1, 3)) - 1].to_owned()
}
