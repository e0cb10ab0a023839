//! Alert Integration: email, Slack/webhook, background-task and
//! error-tracking capability.

use recon_findings::{
    BackgroundKind, ErrorTracker, ErrorTrackerKind, Notification, NotificationKind, SecretKind,
};

use super::{
    Input, at, code, gap, is_test_file, kind_name, non_empty, none_found, plural, searched,
};
use crate::model::{Alerts, Capability, Evidence, Gap, GapInstance, Loc};

/// Words that make a notification finding an email channel.
const EMAIL_WORDS: [&str; 3] = ["smtp", "mail", "sendgrid"];
/// Words that make a notification finding a Slack/webhook channel.
const WEBHOOK_WORDS: [&str; 6] = [
    "slack",
    "webhook",
    "teams",
    "discord",
    "pagerduty",
    "opsgenie",
];
/// Words that make a function an alert dispatcher.
const DISPATCH_WORDS: [&str; 7] = [
    "alert",
    "alarm",
    "incident",
    "pager",
    "oncall",
    "send_email",
    "send_mail",
];

/// Whether the kind (`smtp`, `webhook_url`) or the name (case-insensitively)
/// contains one of `words`.
fn mentions(n: &Notification, words: &[&str]) -> bool {
    let kind = kind_name(n.kind);
    let name = n.name.to_ascii_lowercase();
    words.iter().any(|w| kind.contains(w) || name.contains(w))
}

/// An env variable read in code or defined in a `.env*` file.
fn is_setting(n: &Notification) -> bool {
    matches!(n.kind, NotificationKind::Env | NotificationKind::EnvFile)
}

/// The kinds that are a webhook by themselves, whatever their name.
fn is_webhook_kind(kind: NotificationKind) -> bool {
    matches!(
        kind,
        NotificationKind::Client | NotificationKind::Webhook | NotificationKind::WebhookUrl
    )
}

fn describe(n: &Notification) -> String {
    let kind_label = kind_name(n.kind);
    let label = non_empty(&n.name).unwrap_or(&kind_label);
    let kind = match n.kind {
        NotificationKind::Env => "read from the environment",
        NotificationKind::EnvFile => "defined in an env file",
        NotificationKind::Smtp => "SMTP client",
        NotificationKind::Client => "client",
        NotificationKind::Webhook => "webhook post",
        NotificationKind::WebhookUrl => "webhook URL",
    };
    if kind == label {
        code(label)
    } else {
        format!("{} ({kind})", code(label))
    }
}

pub fn derive(input: &Input) -> Alerts {
    let f = input.f;
    let channel = |words: &[&str], webhook: bool, fix: &str| -> Capability {
        let matching: Vec<&Notification> = f
            .notifications
            .iter()
            .filter(|n| !is_test_file(&n.file))
            .filter(|n| mentions(n, words) || (webhook && is_webhook_kind(n.kind)))
            .collect();
        let evidence: Vec<Evidence> = matching
            .iter()
            .filter(|i| !is_setting(i))
            .map(|i| Evidence {
                at: Loc::new(&i.file, i.line),
                what: describe(i),
            })
            .collect();
        let settings: Vec<Evidence> = matching
            .iter()
            .filter(|i| is_setting(i))
            .map(|i| Evidence {
                at: Loc::new(&i.file, i.line),
                what: describe(i),
            })
            .collect();
        let yes = !evidence.is_empty();
        let needed = match (yes, settings.is_empty()) {
            (true, false) => format!(
                "exists; configured by {}",
                plural(settings.len(), "setting", "settings")
            ),
            (true, true) => format!("exists; no env setting for it was found: {fix}"),
            (false, false) => format!(
                "settings exist ({}) but no client uses them: {fix}",
                plural(settings.len(), "setting", "settings")
            ),
            (false, true) => format!("needs setup: {fix}"),
        };
        Capability {
            answer: if yes { "yes" } else { "no" }.to_owned(),
            none: (evidence.is_empty() && settings.is_empty()).then(|| none_found("notifications")),
            evidence,
            settings,
            needed,
        }
    };
    let email = channel(
        &EMAIL_WORDS,
        false,
        "an SMTP client (`smtplib`/`aiosmtplib`) with host, port, credentials and a recipient in env settings",
    );
    let webhook = channel(
        &WEBHOOK_WORDS,
        true,
        "an incoming-webhook URL in an env setting and an HTTP POST of the alert",
    );

    // Background work: examples from the served app only.
    let all_work: Vec<_> = f
        .background_tasks
        .iter()
        .filter(|b| !is_test_file(&b.file))
        .collect();
    let (work, _outside) = super::by_served_app(input, all_work.iter().copied(), |b| {
        (b.file.as_str(), b.line)
    });
    let scheduler = work.iter().find(|b| b.kind == BackgroundKind::Scheduler);
    let jobs: Vec<_> = work
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BackgroundKind::ScheduledJob | BackgroundKind::CeleryTask
            )
        })
        .collect();
    let tasks: Vec<_> = work
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BackgroundKind::Task | BackgroundKind::BackgroundTask
            )
        })
        .collect();
    let describe_bg = |b: &recon_findings::BackgroundTask| {
        let target = b
            .target
            .as_deref()
            .map(code)
            .unwrap_or_else(|| "(target not named)".to_owned());
        let kind = match b.kind {
            BackgroundKind::Task => "asyncio task",
            BackgroundKind::BackgroundTask => "FastAPI background task",
            BackgroundKind::ScheduledJob => "scheduled job",
            BackgroundKind::Executor => "executor job",
            BackgroundKind::Thread => "thread",
            BackgroundKind::Scheduler => "scheduler",
            BackgroundKind::CeleryTask => "Celery task",
        };
        Evidence {
            at: Loc::new(&b.file, b.line),
            what: format!("{kind} {target}"),
        }
    };
    let mut bg_evidence: Vec<Evidence> = Vec::new();
    if let Some(s) = scheduler {
        bg_evidence.push(describe_bg(s));
    }
    bg_evidence.extend(jobs.iter().map(|b| describe_bg(b)));
    if bg_evidence.is_empty() {
        bg_evidence.extend(tasks.iter().take(3).map(|b| describe_bg(b)));
    }
    if bg_evidence.is_empty() {
        bg_evidence.extend(work.iter().take(3).map(|b| describe_bg(b)));
    }
    let needed = if let Some(s) = scheduler {
        let example = jobs
            .first()
            .map(|j| {
                format!(
                    ", as {} does at {}",
                    j.target
                        .as_deref()
                        .map(code)
                        .unwrap_or_else(|| "a job".to_owned()),
                    at(&Loc::new(&j.file, j.line))
                )
            })
            .unwrap_or_default();
        format!(
            "run the alert-rule check as one more job on the existing scheduler at {}{example}",
            at(&Loc::new(&s.file, s.line))
        )
    } else if let Some(j) = jobs.first() {
        format!(
            "run the alert-rule check as one more job beside {} at {}",
            j.target
                .as_deref()
                .map(code)
                .unwrap_or_else(|| "the existing job".to_owned()),
            at(&Loc::new(&j.file, j.line))
        )
    } else if let Some(t) = tasks.first() {
        format!(
            "no scheduler found: run the check as a periodic asyncio loop started with the app, the way tasks are already started at {}",
            at(&Loc::new(&t.file, t.line))
        )
    } else if let Some(t) = work.first() {
        format!(
            "no scheduler found: run the check as a periodic loop started with the app, in the way background work is already started at {}",
            at(&Loc::new(&t.file, t.line))
        )
    } else {
        "no background work found: add a scheduler (e.g. APScheduler) started with the app"
            .to_owned()
    };
    let background = Capability {
        answer: if work.is_empty() { "no" } else { "yes" }.to_owned(),
        none: work.is_empty().then(|| {
            let mut none = none_found("background_tasks");
            if !all_work.is_empty() {
                none.push_str(&format!(
                    "; {} outside the served app",
                    plural(all_work.len(), "place", "places")
                ));
            }
            none
        }),
        evidence: bg_evidence,
        settings: Vec::new(),
        needed,
    };

    // Functions that already dispatch alerts: task targets by name.
    let mut dispatch: Vec<Evidence> = Vec::new();
    for b in &work {
        let Some(target) = &b.target else { continue };
        let t = target.to_ascii_lowercase();
        if DISPATCH_WORDS.iter().any(|w| t.contains(w)) {
            dispatch.push(Evidence {
                at: Loc::new(&b.file, b.line),
                what: format!("{} started in the background", code(target)),
            });
        }
    }

    Alerts {
        email,
        webhook,
        background,
        error_tracking: error_tracking(input),
        dispatch,
        gaps: vec![hardcoded_secrets(input)],
    }
}

/// Webhook URLs and SMTP passwords written in the source, as `recon check`
/// OBS009 flags them: every file, tests included (a credential in a test
/// leaks as well).
fn hardcoded_secrets(input: &Input) -> Gap {
    let mut instances: Vec<GapInstance> = input
        .f
        .hardcoded_secrets
        .iter()
        .map(|s| GapInstance {
            at: Loc::new(&s.file, s.line),
            message: match s.kind {
                SecretKind::WebhookUrl => format!(
                    "{} webhook URL with its token in the source: whoever reads the code can post to the channel; read it from an env setting",
                    code(&s.name)
                ),
                SecretKind::SmtpPassword => format!(
                    "SMTP password in the source (given to {}): read it from an env setting",
                    code(&s.name)
                ),
            },
        })
        .collect();
    // One instance per literal and message: each target of `a = b = "..."`
    // is a finding of its own.
    instances.sort_by(|a, b| (&a.at, &a.message).cmp(&(&b.at, &b.message)));
    instances.dedup_by(|a, b| a.at == b.at && a.message == b.message);
    gap(
        "hardcoded-notification-secret",
        "hard-coded webhook URLs and SMTP passwords",
        &format!("{} (OBS009)", searched("hardcoded_secrets")),
        instances,
    )
}

/// `sentry_sdk.init` (sentry, `dsn=` given, traces_sample_rate `0.25`).
fn describe_tracker(t: &ErrorTracker) -> String {
    let mut notes = vec![t.tracker.clone()];
    if t.dsn {
        notes.push("`dsn=` given".to_owned());
    }
    if let Some(rate) = &t.traces_sample_rate {
        notes.push(format!("traces_sample_rate {}", code(rate)));
    }
    format!("{} ({})", code(&t.call), notes.join(", "))
}

/// Where an error tracker is set up (outside tests): evidence that
/// exceptions already reach a service that can alert on them.
fn error_tracking(input: &Input) -> Capability {
    let trackers: Vec<&ErrorTracker> = input
        .f
        .error_trackers
        .iter()
        .filter(|t| !is_test_file(&t.file))
        .collect();
    let evidence = |kind: ErrorTrackerKind| -> Vec<Evidence> {
        trackers
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| Evidence {
                at: Loc::new(&t.file, t.line),
                what: describe_tracker(t),
            })
            .collect()
    };
    let inits = evidence(ErrorTrackerKind::Init);
    let captures = evidence(ErrorTrackerKind::Capture);
    let needed = match (inits.is_empty(), captures.is_empty()) {
        (false, true) => "exists; exceptions reach it through its integrations".to_owned(),
        (false, false) => format!(
            "exists; also reported to explicitly in {}",
            plural(captures.len(), "place", "places")
        ),
        (true, false) => format!(
            "errors are reported to a tracker in {} but its setup was not found: check it is initialised at startup",
            plural(captures.len(), "place", "places")
        ),
        (true, true) => {
            "needs setup: an error tracker (e.g. `sentry_sdk.init(dsn=...)` at startup) to group exceptions and alert on new ones".to_owned()
        }
    };
    Capability {
        answer: if inits.is_empty() { "no" } else { "yes" }.to_owned(),
        none: trackers.is_empty().then(|| none_found("error_trackers")),
        evidence: if inits.is_empty() { captures } else { inits },
        settings: Vec::new(),
        needed,
    }
}
