//! Current Logging: loggers, configuration, prefixes, levels, gaps.

use std::collections::BTreeSet;

use recon_findings::{CarrierKind, LogLevel, LoggingConfigKind, MessageKind};

use super::{Input, code, count_by, gap, is_test_file, none_found, plural, searched};
use crate::model::{Count, Evidence, Gap, GapInstance, Loc, Logging};

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
    level.method().to_owned()
}

pub fn derive(input: &Input) -> Logging {
    let f = input.f;
    let logger_files: BTreeSet<&str> = f.loggers.iter().map(|l| l.file.as_str()).collect();
    let logger_names = count_by(
        f.loggers
            .iter()
            .map(|l| (l.name.clone(), Loc::new(&l.file, l.line))),
    );

    // The configuration the served app runs first (on import, or in its
    // lifespan/startup); CLIs' and scripts' apart.
    let (config, config_outside) = super::by_served_app(
        input,
        f.logging_config.iter().map(|c| Evidence {
            at: Loc::new(&c.file, c.line),
            what: config_what(c.kind, &c.file),
        }),
        |e| (e.at.file.as_str(), e.at.line),
    );

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
    let rank = |name: &str| LogLevel::from_method(name).map_or(usize::MAX, LogLevel::severity_rank);
    levels.sort_by_key(|c| rank(&c.name));

    Logging {
        loggers_total: f.loggers.len(),
        logger_files: logger_files.len(),
        logger_names,
        loggers_none: f.loggers.is_empty().then(|| none_found("loggers")),
        config,
        config_outside,
        config_none: f
            .logging_config
            .is_empty()
            .then(|| none_found("logging_config")),
        log_calls_total: f.log_calls.len(),
        prefixes_none: prefixes
            .is_empty()
            .then(|| none_found("log_calls").replace("none found", "no `[TAG]` prefix found")),
        prefixes,
        untagged: untagged.len(),
        untagged_first: untagged.first().cloned(),
        levels_none: levels.is_empty().then(|| none_found("log_calls")),
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

/// What a `logging_config` finding is, in words.
fn config_what(kind: LoggingConfigKind, file: &str) -> String {
    match kind {
        LoggingConfigKind::BasicConfig => "`logging.basicConfig(...)` call".to_owned(),
        LoggingConfigKind::DictConfig => "`logging.config.dictConfig(...)` call".to_owned(),
        LoggingConfigKind::FileConfig => "`logging.config.fileConfig(...)` call".to_owned(),
        LoggingConfigKind::File => format!(
            "configuration file {}",
            code(file.rsplit('/').next().unwrap_or(file))
        ),
    }
}

/// How a message is built, in words (for `MessageKind`s other than
/// `literal` and `none`).
pub fn message_how(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Fstring => "an f-string",
        MessageKind::Format => "`.format()`",
        MessageKind::Percent => "`%` formatting",
        MessageKind::Concat => "`+` concatenation",
        MessageKind::Literal => "a string literal",
        MessageKind::None => "no message",
        MessageKind::Other => "a non-literal expression (a name or call)",
    }
}

/// Short name of a message kind, as in the findings.
fn message_key(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Fstring => "f-string",
        MessageKind::Format => ".format()",
        MessageKind::Percent => "%",
        MessageKind::Concat => "+",
        MessageKind::Literal => "literal",
        MessageKind::None => "none",
        MessageKind::Other => "other expression",
    }
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

    // Eager / non-literal messages, from log_messages.
    let messages: Vec<&recon_findings::LogMessage> = f
        .log_messages
        .iter()
        .filter(|m| !is_test_file(&m.file))
        .collect();
    let eager: Vec<&&recon_findings::LogMessage> =
        messages.iter().filter(|m| m.message.is_eager()).collect();
    let mut eager_gap = gap(
        "fstring-log-message",
        "f-string / eager log messages",
        "log calls whose message (first argument; second for `log`; else `msg=`) is an f-string, `.format()`, `%` or a `+` concatenation that is not only string literals (OBS004)",
        eager
            .iter()
            .map(|m| GapInstance {
                // Where the message is, as OBS004 reports it.
                at: Loc::new(&m.file, m.message_at.map_or(m.line, |p| p.line)),
                message: format!(
                    "`{}` message built with {}: formatted before the level check and stored as one string; pass the values as arguments (`\"... %s\", value`)",
                    level_name(m.level),
                    message_how(m.message)
                ),
            })
            .collect(),
    );
    if !eager.is_empty() {
        let by_kind = count_by(
            eager
                .iter()
                .map(|m| (message_key(m.message).to_owned(), Loc::new(&m.file, m.line))),
        );
        eager_gap.detail = Some(format!(
            "of {} log calls outside tests; by kind: {}",
            messages.len(),
            by_kind
                .iter()
                .map(|c| format!("{} x{}", code(&c.name), c.count))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push(eager_gap);

    // Errors logged without traceback: `error` calls in an except body
    // without exc_info.
    out.push(gap(
        "error-without-traceback",
        "errors logged without traceback",
        "`error` log calls inside an `except` body with no `exc_info=` (OBS003)",
        messages
            .iter()
            .filter(|m| m.level == LogLevel::Error && m.in_except && !m.exc_info)
            .map(|m| GapInstance {
                at: Loc::new(&m.file, m.line),
                message: "`error` call in an `except` body without `exc_info`: the traceback is lost; use `logger.exception(...)` or `exc_info=True`".to_owned(),
            })
            .collect(),
    ));

    // Swallowed exceptions, from except_bodies.
    out.push(gap(
        "swallowed-exception",
        "swallowed exceptions",
        "`except` clauses whose body is only `pass`, `continue` or `...` (OBS002)",
        f.except_bodies
            .iter()
            .filter(|b| b.swallowed && !is_test_file(&b.file))
            .map(|b| GapInstance {
                at: Loc::new(&b.file, b.line),
                message: "exception caught and dropped (body only `pass`/`continue`/`...`): log it or re-raise".to_owned(),
            })
            .collect(),
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

    // print calls outside tests and `__main__` blocks.
    let prints: Vec<&recon_findings::PrintCall> = f.print_calls.iter().collect();
    let mut print_gap = gap(
        "print-call",
        "print calls",
        searched("print_calls"),
        prints
            .iter()
            .filter(|p| !p.exempt)
            .map(|p| GapInstance {
                at: Loc::new(&p.file, p.line),
                message: "`print()` bypasses logging: no level, no request id, no handler"
                    .to_owned(),
            })
            .collect(),
    );
    let exempt = prints.iter().filter(|p| p.exempt).count();
    if exempt > 0 {
        print_gap.detail = Some(format!(
            "{} in tests, scripts or `if __name__ == \"__main__\":` blocks not counted",
            plural(exempt, "call", "calls")
        ));
    }
    out.push(print_gap);

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

    out.push(gap(
        "root-logger-call",
        "log calls on the root logger",
        "`logging.debug/info/warning/error/exception/critical/log(...)` calls on the `logging` module itself (OBS005)",
        messages
            .iter()
            .filter(|m| m.on_root_logger())
            .map(|m| GapInstance {
                at: Loc::new(&m.file, m.line),
                message: format!(
                    "`logging.{}()` logs as `root`: no module name to filter by; use `logging.getLogger(__name__)`",
                    m.level.method()
                ),
            })
            .collect(),
    ));

    // Durations measured with the wall clock: the scan's finding, which
    // `recon check` OBS006 flags.
    out.push(gap(
        "wall-clock-duration",
        "durations measured with time.time()",
        searched("wall_clock_durations"),
        f.wall_clock_durations
            .iter()
            .filter(|d| !is_test_file(&d.file))
            .map(|d| GapInstance {
                at: Loc::new(&d.file, d.line),
                message: "duration computed from `time.time()`, which jumps with the wall clock: use `time.perf_counter()`".to_owned(),
            })
            .collect(),
    ));
    out
}
