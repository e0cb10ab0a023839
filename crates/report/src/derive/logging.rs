//! Current Logging: loggers, configuration, prefixes, levels, gaps.

use std::collections::BTreeSet;

use recon_findings::{CarrierKind, LogLevel, TimingKind};
use serde_json::Value;

use super::{
    Input, at, code, count_by, gap, is_test_file, none_found, none_in, searched, unchecked_gap,
};
use crate::model::{Count, Evidence, Gap, GapInstance, Loc, Logging};

/// Lines after an `except` clause (the clause's own line included) within
/// which a call counts as being in its body, for the proximity rules.
pub const EXCEPT_WINDOW: usize = 3;

/// Carrier names that identify a request or trace.
pub const ID_NAMES: [&str; 4] = ["trace_id", "span_id", "request_id", "correlation_id"];
/// Header strings (lower-cased) that carry a request or trace id.
pub const ID_HEADERS: [&str; 5] = [
    "x-request-id",
    "x-correlation-id",
    "x-trace-id",
    "traceparent",
    "tracestate",
];

pub fn level_name(level: LogLevel) -> String {
    serde_json::to_value(level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn derive(input: &Input) -> Logging {
    let f = input.f;
    let logger_files: BTreeSet<&str> = f.loggers.iter().map(|l| l.file.as_str()).collect();
    let logger_names = count_by(
        f.loggers
            .iter()
            .map(|l| (l.name.clone(), Loc::new(&l.file, l.line))),
    );

    let config: Vec<Evidence> = input
        .extra
        .logging_config
        .items
        .iter()
        .map(|i| Evidence {
            at: Loc::new(&i.file, i.line),
            what: i
                .label()
                .map(|l| code(&l))
                .unwrap_or_else(|| "logging configuration".to_owned()),
        })
        .collect();

    let prefixes = count_by(f.log_calls.iter().filter_map(|c| {
        c.prefix
            .as_ref()
            .map(|p| (p.clone(), Loc::new(&c.file, c.line)))
    }));
    let untagged: Vec<Loc> = f
        .log_calls
        .iter()
        .filter(|c| c.prefix.is_none() && c.level != LogLevel::Log)
        .map(|c| Loc::new(&c.file, c.line))
        .collect();
    let mut levels: Vec<Count> = count_by(
        f.log_calls
            .iter()
            .map(|c| (level_name(c.level), Loc::new(&c.file, c.line))),
    );
    // Severity order, not frequency.
    let rank = |name: &str| {
        [
            "debug",
            "info",
            "warning",
            "warn",
            "error",
            "exception",
            "critical",
            "fatal",
            "log",
        ]
        .iter()
        .position(|l| *l == name)
        .unwrap_or(usize::MAX)
    };
    levels.sort_by_key(|c| rank(&c.name));

    Logging {
        loggers_total: f.loggers.len(),
        logger_files: logger_files.len(),
        logger_names,
        loggers_none: f.loggers.is_empty().then(|| none_found("loggers", true)),
        config,
        config_none: input
            .extra
            .logging_config
            .items
            .is_empty()
            .then(|| none_in("logging_config", &input.extra.logging_config)),
        log_calls_total: f.log_calls.len(),
        prefixes_none: prefixes.is_empty().then(|| {
            none_found("log_calls", true).replace("none found", "no `[TAG]` prefix found")
        }),
        prefixes,
        untagged: untagged.len(),
        untagged_first: untagged.first().cloned(),
        levels_none: levels.is_empty().then(|| none_found("log_calls", true)),
        levels,
        gaps: gaps(input),
    }
}

/// Files outside test code that name a request or trace id.
pub fn id_files(input: &Input) -> BTreeSet<String> {
    input
        .f
        .context_carriers
        .iter()
        .filter(|c| is_id_carrier(&c.name, c.kind))
        .map(|c| c.file.clone())
        .collect()
}

pub fn is_id_carrier(name: &str, kind: CarrierKind) -> bool {
    if kind == CarrierKind::Header {
        ID_HEADERS.contains(&name.to_ascii_lowercase().as_str())
    } else {
        ID_NAMES.contains(&name)
    }
}

fn gaps(input: &Input) -> Vec<Gap> {
    let f = input.f;
    let calls: Vec<(usize, &recon_findings::LogCall)> = f
        .log_calls
        .iter()
        .enumerate()
        .filter(|(_, c)| !is_test_file(&c.file))
        .collect();
    let mut out = Vec::new();

    // No request id: calls in files that never name one.
    let ids = id_files(input);
    out.push(gap(
        "log-without-request-id",
        "log calls with no request id in scope",
        "log calls in files that name no trace_id, span_id, request_id, correlation_id, X-Request-ID or traceparent",
        calls
            .iter()
            .filter(|(_, c)| !ids.contains(&c.file))
            .map(|(_, c)| GapInstance {
                at: Loc::new(&c.file, c.line),
                message: format!(
                    "`{}` log call in a file that names no request or trace id",
                    level_name(c.level)
                ),
            })
            .collect(),
    ));

    // f-string messages: only when the scan says what the message is.
    let fstring_field =
        input.has_field("log_calls", "message_kind") || input.has_field("log_calls", "fstring");
    let fstring_search = "log calls whose message is an f-string (OBS004)";
    if fstring_field {
        out.push(gap(
            "fstring-log-message",
            "f-string log messages",
            fstring_search,
            calls
                .iter()
                .filter(|(i, _)| {
                    input.raw_item("log_calls", *i).is_some_and(|v| {
                        v.get("fstring").and_then(Value::as_bool) == Some(true)
                            || v.get("message_kind").and_then(Value::as_str).is_some_and(|k| {
                                matches!(k, "fstring" | "f-string" | "f_string")
                            })
                    })
                })
                .map(|(_, c)| GapInstance {
                    at: Loc::new(&c.file, c.line),
                    message: "log message built with an f-string: pass arguments instead so the record stays structured".to_owned(),
                })
                .collect(),
        ));
    } else {
        out.push(unchecked_gap(
            "fstring-log-message",
            "f-string log messages",
            fstring_search,
            "not checked: the log_calls findings do not say how the message is built (no `message_kind` field)",
        ));
    }

    // Errors logged without traceback.
    let exact_except = input.has_field("log_calls", "in_except");
    let errors: Vec<GapInstance> = calls
        .iter()
        .filter(|(_, c)| matches!(c.level, LogLevel::Error | LogLevel::Critical | LogLevel::Fatal))
        .filter_map(|(i, c)| {
            let raw = input.raw_item("log_calls", *i);
            if raw.and_then(|v| v.get("exc_info")).and_then(Value::as_bool) == Some(true) {
                return None;
            }
            let handler = if exact_except {
                raw.and_then(|v| v.get("in_except"))
                    .and_then(|v| match v {
                        Value::Bool(true) => Some(None),
                        Value::Number(n) => n.as_u64().map(|l| usize::try_from(l).ok()),
                        _ => None,
                    })?
            } else {
                Some(except_above(input, &c.file, c.line)?)
            };
            Some(GapInstance {
                at: Loc::new(&c.file, c.line),
                message: match handler {
                    Some(line) => format!(
                        "`{}` call in the `except` clause at {} logs no traceback: use `logger.exception(...)` or `exc_info=True`",
                        level_name(c.level),
                        at(&Loc::new(&c.file, line))
                    ),
                    None => format!(
                        "`{}` call in an `except` clause logs no traceback: use `logger.exception(...)` or `exc_info=True`",
                        level_name(c.level)
                    ),
                },
            })
        })
        .collect();
    out.push(gap(
        "error-without-traceback",
        "errors logged without traceback",
        &if exact_except {
            "`error`/`critical`/`fatal` log calls inside `except` clauses (OBS003)".to_owned()
        } else {
            format!(
                "`error`/`critical`/`fatal` log calls at most {EXCEPT_WINDOW} lines below an `except` clause of the same file (OBS003)"
            )
        },
        errors,
    ));

    // Swallowed exceptions: except clauses with no log call close below.
    let exact_swallow = input.has_field("except_handlers", "swallowed");
    let swallowed: Vec<GapInstance> = f
        .except_handlers
        .iter()
        .enumerate()
        .filter(|(_, h)| !is_test_file(&h.file))
        .filter(|(i, h)| {
            if exact_swallow {
                input
                    .raw_item("except_handlers", *i)
                    .and_then(|v| v.get("swallowed"))
                    .and_then(Value::as_bool)
                    == Some(true)
            } else {
                // A log call at most EXCEPT_WINDOW lines below, before the
                // next except clause of the file.
                !f.log_calls.iter().any(|c| {
                    c.file == h.file
                        && c.line >= h.line
                        && c.line <= h.line + EXCEPT_WINDOW
                        && last_except_at_or_above(input, &c.file, c.line) == Some(h.line)
                })
            }
        })
        .map(|(_, h)| GapInstance {
            at: Loc::new(&h.file, h.line),
            message: if exact_swallow {
                "exception caught and dropped: log it or re-raise".to_owned()
            } else {
                format!(
                    "`except` clause with no log call in its first {EXCEPT_WINDOW} lines: the exception may be swallowed"
                )
            },
        })
        .collect();
    out.push(gap(
        "swallowed-exception",
        "exceptions caught without a log call",
        &if exact_swallow {
            "`except` clauses that neither log nor re-raise (OBS002)".to_owned()
        } else {
            format!(
                "`except` clauses with no log call in the {EXCEPT_WINDOW} lines below them (OBS002)"
            )
        },
        swallowed,
    ));

    out.push(gap(
        "bare-except",
        "bare `except:` clauses",
        "`except:` clauses naming no exception type",
        f.except_handlers
            .iter()
            .filter(|h| h.bare && !is_test_file(&h.file))
            .map(|h| GapInstance {
                at: Loc::new(&h.file, h.line),
                message: "bare `except:` also catches KeyboardInterrupt and SystemExit: name the exception".to_owned(),
            })
            .collect(),
    ));

    // print calls: only when the scan has them.
    if input.extra.print_calls.present {
        out.push(gap(
            "print-call",
            "print calls",
            searched("print_calls"),
            input
                .extra
                .print_calls
                .items
                .iter()
                .filter(|i| !is_test_file(&i.file))
                .map(|i| GapInstance {
                    at: Loc::new(&i.file, i.line),
                    message: "`print()` bypasses logging: no level, no request id, no handler"
                        .to_owned(),
                })
                .collect(),
        ));
    } else {
        out.push(unchecked_gap(
            "print-call",
            "print calls",
            searched("print_calls"),
            "not checked: this scan produces no `print_calls` category",
        ));
    }

    out.push(gap(
        "untagged-log-message",
        "log messages without a [TAG] prefix",
        "message-level log calls whose message does not start with `[TAG]` (`log(level, ...)` calls left out)",
        calls
            .iter()
            .filter(|(_, c)| c.prefix.is_none() && c.level != LogLevel::Log)
            .map(|(_, c)| GapInstance {
                at: Loc::new(&c.file, c.line),
                message: format!(
                    "`{}` log call without a `[TAG]` prefix, unlike the rest of the codebase",
                    level_name(c.level)
                ),
            })
            .collect(),
    ));

    // Durations measured with the wall clock: a duration variable assigned
    // on a line that reads time.time / time.time_ns.
    out.push(gap(
        "wall-clock-duration",
        "durations measured with time.time()",
        "duration variables assigned on a line that reads `time.time()` (OBS006)",
        f.timing
            .iter()
            .filter(|t| t.kind == TimingKind::Duration && !is_test_file(&t.file))
            .filter(|d| {
                f.timing.iter().any(|c| {
                    c.kind == TimingKind::Clock
                        && c.file == d.file
                        && c.line == d.line
                        && matches!(c.name.as_str(), "time.time" | "time.time_ns")
                })
            })
            .map(|d| GapInstance {
                at: Loc::new(&d.file, d.line),
                message: format!(
                    "{} is measured with `time.time()`, which jumps with the wall clock: use `time.perf_counter()`",
                    code(&d.name)
                ),
            })
            .collect(),
    ));
    out
}

/// The line of the nearest `except` clause at most [`EXCEPT_WINDOW`] lines
/// above `line` in `file` (strictly above).
fn except_above(input: &Input, file: &str, line: usize) -> Option<usize> {
    input
        .f
        .except_handlers
        .iter()
        .filter(|h| h.file == file && h.line < line && line - h.line <= EXCEPT_WINDOW)
        .map(|h| h.line)
        .max()
}

/// The line of the last `except` clause of `file` at or above `line`.
fn last_except_at_or_above(input: &Input, file: &str, line: usize) -> Option<usize> {
    input
        .f
        .except_handlers
        .iter()
        .filter(|h| h.file == file && h.line <= line)
        .map(|h| h.line)
        .max()
}
