//! Trace Injection Points: where a trace id is born, how it propagates,
//! which operations become spans.

use std::collections::{BTreeMap, BTreeSet};

use recon_findings::{BackgroundKind, CarrierKind, HttpMethod};

use super::logging::is_id_carrier;
use super::{Input, at, code, gap, is_test_file, none_found, plural};
use crate::model::{Birth, CarrierSummary, Evidence, Gap, GapInstance, Loc, Stage, Trace};

/// The birth point's name when no middleware exists.
pub const NEW_MIDDLEWARE: &str = "(new middleware)";

pub fn derive(input: &Input, stages: &[Stage]) -> Trace {
    let f = input.f;
    let births = births(input);
    let births_none = births
        .is_empty()
        .then(|| format!("{}; {}", none_found("routes"), none_found("middleware")));

    let existing_trace_ids: Vec<Evidence> = f
        .context_carriers
        .iter()
        .filter(|c| !is_test_file(&c.file))
        .filter(|c| {
            let n = c.name.to_ascii_lowercase();
            matches!(
                n.as_str(),
                "trace_id" | "span_id" | "traceparent" | "tracestate" | "x-trace-id"
            )
        })
        .map(|c| Evidence {
            at: Loc::new(&c.file, c.line),
            what: format!("{} ({})", code(&c.name), kind_word(c.kind)),
        })
        .collect();

    let tracing_setup: Vec<Evidence> = f
        .tracing_setup
        .iter()
        .filter(|t| !is_test_file(&t.file))
        .map(|t| Evidence {
            at: Loc::new(&t.file, t.line),
            what: code(&t.call),
        })
        .collect();
    let tracing_setup_none = tracing_setup
        .is_empty()
        .then(|| none_found("tracing_setup"));

    // Carriers passed as parameters: the context that already flows.
    let flowing: Vec<CarrierSummary> = super::lifecycle::carriers(input, false)
        .into_iter()
        .filter(|c| c.kinds.contains("parameter"))
        .map(|c| {
            let params = f
                .context_carriers
                .iter()
                .filter(|x| {
                    x.name == c.name && x.kind == CarrierKind::Parameter && !is_test_file(&x.file)
                })
                .collect::<Vec<_>>();
            let files: BTreeSet<&str> = params.iter().map(|x| x.file.as_str()).collect();
            CarrierSummary {
                count: params.len(),
                files: files.len(),
                kinds: "parameter".to_owned(),
                first: params
                    .first()
                    .map(|x| Loc::new(&x.file, x.line))
                    .unwrap_or(c.first.clone()),
                name: c.name,
            }
        })
        .collect();

    // contextvars: asyncio tasks copy the current context, Starlette
    // background tasks run in the request's task; executors, threads,
    // scheduler jobs and celery tasks start without it.
    let mut context_breaks = Vec::new();
    let mut context_kept = Vec::new();
    // The served app's background work (a CLI's threads are not the
    // app's entry points).
    let (background, _outside) = super::by_served_app(
        input,
        f.background_tasks.iter().filter(|b| !is_test_file(&b.file)),
        |b| (b.file.as_str(), b.line),
    );
    for b in background {
        let target = b
            .target
            .as_deref()
            .map(code)
            .unwrap_or_else(|| "(target not named)".to_owned());
        let loc = Loc::new(&b.file, b.line);
        match b.kind {
            BackgroundKind::Task => context_kept.push(Evidence {
                at: loc,
                what: format!("{target} via `create_task`: copies the caller's context"),
            }),
            BackgroundKind::BackgroundTask => context_kept.push(Evidence {
                at: loc,
                what: format!("{target} via `BackgroundTasks.add_task`: runs after the response in the request's context"),
            }),
            BackgroundKind::Executor => context_breaks.push(Evidence {
                at: loc,
                what: format!("{target} via `run_in_executor`: the worker thread does not get the context; pass the trace id"),
            }),
            BackgroundKind::Thread => context_breaks.push(Evidence {
                at: loc,
                what: format!("{target} in a `Thread`: starts with an empty context; pass the trace id"),
            }),
            BackgroundKind::ScheduledJob => context_breaks.push(Evidence {
                at: loc,
                what: format!("{target} as a scheduler job: no request context; start a new trace per run"),
            }),
            BackgroundKind::Scheduler => context_breaks.push(Evidence {
                at: loc,
                what: format!("{target}: its jobs run outside any request; start a new trace per job run"),
            }),
            BackgroundKind::CeleryTask => context_breaks.push(Evidence {
                at: loc,
                what: format!("{target} as a Celery task: runs in another process; send the trace id in the task headers"),
            }),
        }
    }

    let mut propagation = String::new();
    if flowing.is_empty() {
        propagation.push_str("No context carrier is passed as a parameter today: ");
    } else {
        let names: Vec<String> = flowing
            .iter()
            .take(4)
            .map(|c| {
                format!(
                    "{} ({} in {})",
                    code(&c.name),
                    plural(c.count, "parameter", "parameters"),
                    plural(c.files, "file", "files")
                )
            })
            .collect();
        propagation.push_str(&format!(
            "Request context already travels as explicit parameters: {}. Rather than adding a `trace_id` parameter beside them, ",
            names.join(", ")
        ));
    }
    propagation.push_str("set the trace id in a `contextvars.ContextVar` at each birth point, read it in a logging filter and in the span helper; `asyncio` tasks copy it automatically");
    if context_breaks.is_empty() {
        propagation.push('.');
    } else {
        propagation.push_str(&format!(
            ", while the background entry points listed below ({}) start without it.",
            context_breaks.len()
        ));
    }

    let mut gaps: Vec<Gap> = Vec::new();
    let missing: Vec<GapInstance> = if existing_trace_ids.is_empty() {
        births
            .iter()
            .map(|b| GapInstance {
                at: b.at.clone(),
                message: format!(
                    "no trace id exists in the code: {} {} is where one should be born",
                    b.kind,
                    code(&b.name)
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    gaps.push(gap(
        "missing-trace-id",
        "no trace id at the request entry points",
        "context carriers named trace_id, span_id, traceparent, tracestate, x-trace-id",
        missing,
    ));

    // Outbound requests that can wait forever, and tasks nobody keeps:
    // what the semantic model resolves the calls to (OBS007, OBS008).
    let external_calls = |keep: fn(&recon_findings::ExternalCall) -> bool, what: &str| {
        f.external_calls
            .iter()
            .filter(|c| keep(c) && !is_test_file(&c.file))
            .map(|c| GapInstance {
                at: Loc::new(&c.file, c.line),
                message: what.replace("CALL", &code(&format!("{}()", c.callee))),
            })
            .collect()
    };
    gaps.push(gap(
        "http-request-without-timeout",
        "HTTP requests without a timeout",
        "calls the semantic model resolves to `requests.*`, `requests.Session.*`, `httpx.*` request functions or `httpx.Client`/`AsyncClient` without `timeout=` (OBS007)",
        external_calls(
            recon_findings::ExternalCall::waits_without_timeout,
            "CALL without `timeout=`: a slow upstream holds the request, and its span, open with no error",
        ),
    ));
    gaps.push(gap(
        "fire-and-forget-task",
        "tasks started and forgotten",
        "calls the semantic model resolves to `asyncio.create_task`/`ensure_future` (or a loop's `create_task`) whose task nothing keeps (OBS008)",
        external_calls(
            recon_findings::ExternalCall::discards_task,
            "task from CALL is discarded: its failure is never logged, and its span has no parent that waits for it",
        ),
    ));

    // Outbound hosts: one line per host, local hosts left out.
    let mut outbound: Vec<Evidence> = Vec::new();
    let mut hosts = BTreeSet::new();
    let urls = &input.f.external_urls;
    for u in urls.iter().filter(|u| !is_test_file(&u.file)) {
        let host = u.host.as_str();
        let local = host.is_empty()
            || matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1")
            || host.ends_with("example.com")
            || host.ends_with(".local");
        if local || !hosts.insert(host) {
            continue;
        }
        let n = urls.iter().filter(|x| x.host == host).count();
        outbound.push(Evidence {
            at: Loc::new(&u.file, u.line),
            what: format!("{} ({})", code(host), plural(n, "URL", "URLs")),
        });
    }
    let outbound_none = outbound.is_empty().then(|| {
        if urls.is_empty() {
            none_found("external_urls")
        } else {
            "none found besides local hosts (searched: http(s) URLs in source, localhost and example hosts left out)".to_owned()
        }
    });

    Trace {
        outbound,
        outbound_none,
        births,
        births_none,
        existing_trace_ids,
        tracing_setup,
        tracing_setup_none,
        flowing,
        context_breaks,
        context_kept,
        propagation,
        spans: stages.to_vec(),
        gaps,
    }
}

fn kind_word(kind: CarrierKind) -> &'static str {
    match kind {
        CarrierKind::Parameter => "parameter",
        CarrierKind::Assignment => "assignment",
        CarrierKind::Keyword => "keyword",
        CarrierKind::Header => "header string",
    }
}

/// Where a trace id is born: the first HTTP middleware in execution order
/// (the last registered), else a new middleware in the file with the most
/// HTTP routes; and each WebSocket endpoint.
fn births(input: &Input) -> Vec<Birth> {
    let f = input.f;
    let mut out = Vec::new();
    let http: Vec<_> = f
        .routes
        .iter()
        .filter(|r| r.method != HttpMethod::Websocket && !is_test_file(&r.file))
        .collect();
    if let Some(first) = f.middleware.iter().rev().find(|m| !is_test_file(&m.file)) {
        let loc = Loc::new(&first.file, first.line);
        out.push(Birth {
            kind: "HTTP".to_owned(),
            name: first.name.clone(),
            why: format!(
                "the first middleware a request passes (registered last of {}), so the whole request, the other middleware included, is inside the trace",
                f.middleware.len()
            ),
            reuse: near(input, &first.file, first.line, true),
            at: loc,
        });
    } else if !http.is_empty() {
        let mut per_file: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for r in &http {
            let e = per_file.entry(r.file.as_str()).or_insert((0, r.line));
            e.0 += 1;
            e.1 = e.1.min(r.line);
        }
        let (file, (count, line)) = per_file
            .iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
            .map(|(f, v)| (*f, *v))
            .unwrap_or(("", (0, 0)));
        out.push(Birth {
            kind: "HTTP".to_owned(),
            name: NEW_MIDDLEWARE.to_owned(),
            why: format!(
                "no middleware was found (searched: {}), so add one where the app object is built; {} declares the most HTTP routes ({count}, first at {})",
                super::searched("middleware"),
                code(file),
                at(&Loc::new(file, line))
            ),
            reuse: Vec::new(),
            at: Loc::new(file, line),
        });
    }
    for ws in f
        .websocket_endpoints
        .iter()
        .filter(|w| !is_test_file(&w.file))
    {
        out.push(Birth {
            kind: "WebSocket".to_owned(),
            name: ws.handler.clone(),
            why: "a WebSocket is one long request that middleware does not wrap per message: start a trace when it is accepted and one per message received".to_owned(),
            reuse: near(input, &ws.file, ws.line, false),
            at: Loc::new(&ws.file, ws.line),
        });
    }
    out
}

/// Carriers in `file` from `line` up to the next route or middleware of the
/// file (an approximation of the function's body): the first of each name,
/// id carriers only when `ids_only`, at most six.
fn near(input: &Input, file: &str, line: usize, ids_only: bool) -> Vec<Evidence> {
    let f = input.f;
    let end = f
        .routes
        .iter()
        .map(|r| (&r.file, r.line))
        .chain(f.middleware.iter().map(|m| (&m.file, m.line)))
        .filter(|(fl, l)| fl.as_str() == file && *l > line)
        .map(|(_, l)| l)
        .min()
        .unwrap_or(usize::MAX);
    let mut seen = BTreeSet::new();
    f.context_carriers
        .iter()
        .filter(|c| c.file == file && c.line >= line && c.line < end)
        .filter(|c| !ids_only || is_id_carrier(&c.name, c.kind))
        .filter(|c| seen.insert(c.name.to_ascii_lowercase()))
        .take(6)
        .map(|c| Evidence {
            at: Loc::new(&c.file, c.line),
            what: format!("{} ({})", code(&c.name), kind_word(c.kind)),
        })
        .collect()
}
