//! Recommended Architecture: the three designs, drawn from the other
//! sections (no finding is read here that they did not already use).

use super::stages::is_latency_method;
use super::{Input, at, code, is_test_file, plural};
use crate::model::{Alerts, Database, Design, Lifecycle, Logging, Trace};

pub fn derive(
    input: &Input,
    lifecycle: &Lifecycle,
    logging: &Logging,
    trace: &Trace,
    alerts: &Alerts,
    database: &Database,
) -> Design3 {
    let with_evidence = trace
        .spans
        .iter()
        .filter(|s| !s.evidence.is_empty())
        .count();
    let installed = super::install::packages(input);
    Design3 {
        summary: format!(
            "Derived from the sections above: {}, {with_evidence} of {} span boundaries with evidence, {}, background work: {}.",
            plural(
                trace.births.len(),
                "trace birth point",
                "trace birth points"
            ),
            trace.spans.len(),
            plural(logging.loggers_total, "logger", "loggers"),
            alerts.background.answer
        ),
        tracing: tracing(lifecycle, trace, database),
        install: installed.iter().map(|(_, e)| e.clone()).collect(),
        manual_spans: super::install::manual_spans(input, &installed),
        span_attributes: trace
            .spans
            .iter()
            .filter(|s| !s.evidence.is_empty())
            .map(|s| {
                format!(
                    "`{}`: {}",
                    s.key,
                    super::install::span_attributes(input, &s.key)
                )
            })
            .collect(),
        logs: logs(input, logging, database),
        alerts: alert_engine(input, alerts, database),
    }
}

pub type Design3 = crate::model::Architecture;

fn table<'a>(database: &'a Database, name: &'a str) -> &'a str {
    database
        .schemas
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.table.as_str())
        .unwrap_or(name)
}

fn tracing(lifecycle: &Lifecycle, trace: &Trace, database: &Database) -> Design {
    let mut d = Vec::new();
    let http_birth = trace.births.iter().find(|b| b.kind == "HTTP");
    let http_routes: usize = lifecycle
        .route_groups
        .iter()
        .flat_map(|g| g.routes.iter())
        .filter(|r| r.method != "WEBSOCKET")
        .count();
    if http_routes > 0 {
        d.push("HTTP request".to_owned());
        for (i, m) in lifecycle.middleware_execution.iter().enumerate() {
            let mark = if i == 0 {
                "   <- trace starts: trace_id from traceparent, else new; span `http`"
            } else {
                ""
            };
            d.push(format!("  -> {} ({}){mark}", m.name, m.at));
        }
        if let Some(b) = http_birth.filter(|_| lifecycle.middleware_execution.is_empty()) {
            d.push(format!(
                "  -> new tracing middleware (in {})   <- trace starts; span `http`",
                b.at.file
            ));
        }
        d.push(format!(
            "  -> route handler ({})",
            plural(http_routes, "HTTP route", "HTTP routes")
        ));
    }
    for b in trace.births.iter().filter(|b| b.kind == "WebSocket") {
        d.push(format!("WebSocket -> {} ({})", b.name, b.at));
        d.push(
            "  -> each message received   <- trace starts per message; span `websocket`".to_owned(),
        );
    }
    let pipeline: Vec<_> = trace
        .spans
        .iter()
        .filter(|s| {
            matches!(
                s.key.as_str(),
                "embedding" | "vector_search" | "llm_call" | "streaming"
            )
        })
        .filter_map(|s| s.evidence.first().map(|e| (s, e)))
        .collect();
    if !pipeline.is_empty() && trace.births.iter().all(|b| b.kind != "WebSocket") {
        d.push("  in the handlers:".to_owned());
    }
    for (s, e) in &pipeline {
        let function = e
            .what
            .strip_prefix("function `")
            .and_then(|rest| rest.split('`').next())
            .map(|name| format!(" {name}"))
            .unwrap_or_default();
        d.push(format!(
            "    -> {}{function} ({})   span `{}`{}",
            s.title,
            e.at,
            s.key,
            if s.timed { ", timer exists" } else { "" }
        ));
    }
    d.push(format!(
        "span records -> {} table; one trace row per request or message -> {} table",
        table(database, "spans"),
        table(database, "traces")
    ));

    let mut notes = Vec::new();
    if let Some(b) = trace.births.first() {
        notes.push(format!(
            "The trace id is born at {} ({}) and kept in a `contextvars.ContextVar`; a small `span(name)` context manager records start, duration and status into it.",
            code(&b.name),
            at(&b.at)
        ));
    }
    let timed: Vec<&str> = trace
        .spans
        .iter()
        .filter(|s| s.timed)
        .map(|s| s.title.as_str())
        .collect();
    if !timed.is_empty() {
        notes.push(format!(
            "Timers already measure {}: wrap the same code in spans so the numbers also land per trace.",
            timed.join(", ")
        ));
    }
    let untimed: Vec<&str> = trace
        .spans
        .iter()
        .filter(|s| !s.timed && !s.evidence.is_empty())
        .map(|s| s.title.as_str())
        .collect();
    if !untimed.is_empty() {
        notes.push(format!("Not timed yet: {}.", untimed.join(", ")));
    }
    if !trace.context_breaks.is_empty() {
        notes.push(format!(
            "Background entry points outside any request ({}) start their own traces (see Context propagation).",
            trace.context_breaks.len()
        ));
    }
    notes.push(
        "Propagate `traceparent` on outbound HTTP calls so provider latency can be matched to spans.".to_owned(),
    );
    Design { diagram: d, notes }
}

fn logs(input: &Input, logging: &Logging, database: &Database) -> Design {
    let mut d = Vec::new();
    d.push(format!(
        "{} ({} calls) -> root logger",
        plural(logging.loggers_total, "logger", "loggers"),
        logging.log_calls_total
    ));
    match logging.config.first() {
        Some(c) => d.push(format!("  configured at {}", c.at)),
        None => d.push("  configuration: not in findings".to_owned()),
    }
    d.push(
        "  + TraceContextFilter: adds trace_id, span_id and the carriers below to every record"
            .to_owned(),
    );
    d.push("  -> JSON formatter: level, logger, tag (the [TAG] prefix), message, trace_id, span_id, source".to_owned());
    d.push("  -> stdout, for the platform's log collector".to_owned());
    let flush = input
        .f
        .metrics_calls
        .iter()
        .find(|m| m.method.contains("flush") && !is_test_file(&m.file));
    match flush {
        Some(m) => d.push(format!(
            "  -> batched insert into {} (like `{}.{}` flushes metrics, {})",
            table(database, "logs"),
            m.receiver,
            m.method,
            format_args!("{}:{}", m.file, m.line)
        )),
        None => d.push(format!(
            "  -> batched insert into {}",
            table(database, "logs")
        )),
    }
    let mut notes = Vec::new();
    if let Some(first) = logging.prefixes.first() {
        notes.push(format!(
            "{} [TAG] prefixes are in use ({} the most, {} calls): keep them as the `tag` field rather than in the message text.",
            logging.prefixes.len(),
            code(&first.name),
            first.count
        ));
    }
    let counted: Vec<String> = logging
        .gaps
        .iter()
        .filter(|g| g.checked && g.count > 0)
        .map(|g| format!("{} ({})", g.title, g.count))
        .collect();
    if !counted.is_empty() {
        notes.push(format!("Fix on the way: {}.", counted.join(", ")));
    }
    let carriers: Vec<String> = super::lifecycle::carriers(input, false)
        .iter()
        .take(4)
        .map(|c| code(&c.name))
        .collect();
    if !carriers.is_empty() {
        notes.push(format!(
            "The filter reads the context set at the trace birth points: trace_id plus {}.",
            carriers.join(", ")
        ));
    }
    Design { diagram: d, notes }
}

fn alert_engine(input: &Input, alerts: &Alerts, database: &Database) -> Design {
    let mut d = Vec::new();
    match alerts.background.evidence.first() {
        Some(e) if e.what.starts_with("scheduler") || e.what.starts_with("scheduled job") => {
            d.push(format!(
                "periodic check: a job on the scheduler ({}, {})",
                strip_code(&e.what),
                e.at
            ))
        }
        Some(e) => d.push(format!(
            "periodic check: a new loop started with the app (background work starts like {} at {})",
            strip_code(&e.what),
            e.at
        )),
        None => d.push("periodic check: a new scheduler started with the app".to_owned()),
    }
    let latency: Vec<String> = names(input, true);
    let counters: Vec<String> = names(input, false);
    d.push(format!(
        "  -> evaluate rules over {} and {}",
        table(database, "spans"),
        table(database, "logs")
    ));
    if !latency.is_empty() {
        d.push(format!("       p95 latency of: {}", latency.join(", ")));
    }
    if !counters.is_empty() {
        d.push(format!("       counters: {}", counters.join(", ")));
    }
    d.push("       error rate: share of traces with status error".to_owned());
    d.push(format!(
        "  -> insert into {} (dedupe by rule while firing)",
        table(database, "alerts")
    ));
    match alerts.dispatch.first() {
        Some(e) => d.push(format!(
            "  -> dispatch through {} ({})",
            strip_code(&e.what).split(' ').next().unwrap_or(""),
            e.at
        )),
        None => d.push("  -> dispatch (new)".to_owned()),
    }
    let mut channels = Vec::new();
    for (name, cap) in [("email", &alerts.email), ("Slack/webhook", &alerts.webhook)] {
        channels.push(format!("{name}: {}", cap.answer));
    }
    d.push(format!("       {}", channels.join(", ")));
    let mut notes = vec![capitalize(&alerts.background.needed) + "."];
    if alerts.email.answer != "yes" || alerts.webhook.answer != "yes" {
        notes.push(format!(
            "Channels: email {}, Slack/webhook {} (see Alert Integration).",
            alerts.email.answer, alerts.webhook.answer
        ));
    }
    Design { diagram: d, notes }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn strip_code(s: &str) -> String {
    s.replace('`', "")
}

/// Metric names outside tests: latency metrics or counters, deduplicated.
fn names(input: &Input, latency: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in input
        .f
        .metrics_calls
        .iter()
        .filter(|m| !is_test_file(&m.file))
    {
        let Some(name) = &m.name else { continue };
        if is_latency_method(&m.method) == latency && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}
