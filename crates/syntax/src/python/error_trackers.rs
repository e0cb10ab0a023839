//! `error_trackers`, read from the module's calls (the `calls` topic)
//! through its imports.

use recon_findings::{ErrorTracker, ErrorTrackerKind};

use super::clients::Raw;
use super::imports::Imports;
use super::text::{keyword_arg, text};
use super::triggers::Registry;
use super::{Document, WithColumn};

/// The calls of the rule: (qualified name, tracker, kind).
const CALLS: &[(&str, &str, ErrorTrackerKind)] = &[
    ("sentry_sdk.init", "sentry", ErrorTrackerKind::Init),
    (
        "sentry_sdk.capture_exception",
        "sentry",
        ErrorTrackerKind::Capture,
    ),
    (
        "sentry_sdk.capture_message",
        "sentry",
        ErrorTrackerKind::Capture,
    ),
    ("rollbar.init", "rollbar", ErrorTrackerKind::Init),
    (
        "rollbar.report_exc_info",
        "rollbar",
        ErrorTrackerKind::Capture,
    ),
    (
        "rollbar.report_message",
        "rollbar",
        ErrorTrackerKind::Capture,
    ),
    ("bugsnag.configure", "bugsnag", ErrorTrackerKind::Init),
    ("bugsnag.notify", "bugsnag", ErrorTrackerKind::Capture),
];

/// The trackers' modules.
const ROOTS: &[&str] = &["sentry_sdk", "rollbar", "bugsnag"];

/// What lets a unit through: the trackers' modules, read through the
/// imports.
pub(super) fn triggers(registry: &mut Registry) {
    registry.imported_roots(ROOTS.iter().copied());
}

pub(super) fn extract(
    raws: &[Raw<'_>],
    imports: &Imports,
    ctx: &Document<'_>,
) -> Vec<WithColumn<ErrorTracker>> {
    let mut found = Vec::new();
    for raw in raws {
        let Raw::Call {
            call,
            callee,
            arguments,
        } = raw
        else {
            continue;
        };
        let Some(qualified) = imports.imported(*callee, ctx.src) else {
            continue;
        };
        let Some((name, tracker, kind)) = CALLS.iter().find(|(name, ..)| *name == qualified) else {
            continue;
        };
        found.push((
            call.start_position().column,
            ErrorTracker {
                file: ctx.file.to_owned(),
                line: ctx.line(*call),
                tracker: (*tracker).to_owned(),
                kind: *kind,
                call: (*name).to_owned(),
                dsn: keyword_arg(*arguments, "dsn", ctx.src).is_some(),
                traces_sample_rate: keyword_arg(*arguments, "traces_sample_rate", ctx.src)
                    .map(|v| text(v, ctx.src).to_owned()),
            },
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    /// The triggers know every module the rule reads.
    #[test]
    fn every_call_is_under_a_trigger_root() {
        for (name, ..) in super::CALLS {
            let root = name.split('.').next().unwrap_or("");
            assert!(super::ROOTS.contains(&root), "{name}");
        }
    }
}
