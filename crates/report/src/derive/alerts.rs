//! Alert Integration: email, Slack/webhook and background-task capability.

use recon_findings::BackgroundKind;

use super::{Input, at, code, is_test_file, none_found, none_in, plural};
use crate::extra::Item;
use crate::model::{Alerts, Capability, Evidence, Loc};

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

fn item_text(item: &Item) -> String {
    [
        "kind", "channel", "name", "library", "client", "type", "url", "env", "variable", "target",
    ]
    .iter()
    .filter_map(|k| item.text(&[k]))
    .collect::<Vec<_>>()
    .join(" ")
    .to_ascii_lowercase()
}

/// An env variable read in code or defined in a `.env*` file.
fn is_setting(item: &Item) -> bool {
    item.text(&["env", "variable", "setting"]).is_some()
        || item.text(&["kind"]).is_some_and(|k| {
            matches!(
                k.to_ascii_lowercase().as_str(),
                "env" | "env_file" | "setting" | "env_var"
            )
        })
}

/// The channel kinds of `notifications` that are a webhook by themselves.
const WEBHOOK_KINDS: [&str; 3] = ["client", "webhook", "webhook_url"];

fn describe(item: &Item) -> String {
    let label = item
        .text(&[
            "env", "variable", "setting", "name", "library", "client", "url", "kind", "channel",
        ])
        .unwrap_or_else(|| "notification".to_owned());
    let kind = item.text(&["kind", "channel"]).map(|k| match k.as_str() {
        "env" => "read from the environment".to_owned(),
        "env_file" => "defined in an env file".to_owned(),
        "smtp" => "SMTP client".to_owned(),
        "client" => "client".to_owned(),
        "webhook" => "webhook post".to_owned(),
        "webhook_url" => "webhook URL".to_owned(),
        other => other.to_owned(),
    });
    match kind {
        Some(kind) if kind != label => format!("{} ({kind})", code(&label)),
        _ => code(&label),
    }
}

pub fn derive(input: &Input) -> Alerts {
    let f = input.f;
    let notifications = &input.extra.notifications;
    let channel = |words: &[&str], webhook: bool, name: &str, fix: &str| -> Capability {
        if !notifications.present {
            return Capability {
                answer: "not determined".to_owned(),
                evidence: Vec::new(),
                settings: Vec::new(),
                needed: format!(
                    "the scan has no `notifications` category, so {name} clients and settings could not be looked for"
                ),
                none: Some(none_in("notifications", notifications)),
            };
        }
        let matching: Vec<&Item> = notifications
            .items
            .iter()
            .filter(|i| !is_test_file(&i.file))
            .filter(|i| {
                let t = item_text(i);
                let kind = i.text(&["kind"]).unwrap_or_default();
                words.iter().any(|w| t.contains(w))
                    || (webhook && WEBHOOK_KINDS.contains(&kind.as_str()))
            })
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
            none: (evidence.is_empty() && settings.is_empty())
                .then(|| none_in("notifications", notifications)),
            evidence,
            settings,
            needed,
        }
    };
    let email = channel(
        &EMAIL_WORDS,
        false,
        "email",
        "an SMTP client (`smtplib`/`aiosmtplib`) with host, port, credentials and a recipient in env settings",
    );
    let webhook = channel(
        &WEBHOOK_WORDS,
        true,
        "Slack/webhook",
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
            let mut none = none_found("background_tasks", true);
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
        dispatch,
    }
}
