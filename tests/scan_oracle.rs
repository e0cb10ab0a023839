//! `recon scan --format findings` against independent oracles: the Python
//! categories against `tests/oracle/py_findings.py` (CPython's `ast`,
//! precision and recall 1.0), the call graph against
//! `tests/oracle/jedi_calls.py` (jedi's `goto` at every call site, precision
//! and recall above a bar), on the fixture app, on generated corpora full of
//! traps and on the per-shape fixtures of `fixtures/semantic/`. Also: the
//! output does not depend on the thread count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::util::scan::{
    FINDINGS_FORMAT, assert_agree, jedi_agreement, jedi_agreement_with, recon_scan, scan,
    scan_json, write_corpus, write_wall_clock_corpus,
};
use crate::util::workspace;
use recon_findings::{LoggingConfigKind, MessageKind};

/// The bars recon's `call_graph` must clear against jedi on the fixture app
/// and the generated corpora (jedi itself is not always right, nor complete).
const JEDI_MIN_PRECISION: f64 = 0.95;
const JEDI_MIN_RECALL: f64 = 0.85;

#[test]
fn fixture_app_agrees_with_oracle() {
    let app = workspace().join("fixtures/app");
    assert!(app.is_dir(), "fixtures/app is missing");
    let found = assert_agree(&app, &[]);
    // Not vacuous: the app has something in every category.
    assert!(!found.routes.is_empty());
    assert!(!found.middleware.is_empty());
    assert!(!found.loggers.is_empty());
    assert!(!found.log_calls.is_empty());
    assert!(!found.except_handlers.is_empty());
    assert!(!found.websocket_endpoints.is_empty());
    assert!(!found.websocket_messages.is_empty());
    assert!(!found.context_carriers.is_empty());
    assert!(!found.timing.is_empty());
    assert!(!found.metrics_calls.is_empty());
    assert!(!found.background_tasks.is_empty());
    assert!(!found.notifications.is_empty());
    assert!(!found.external_urls.is_empty());
    assert!(!found.db_connections.is_empty());
    assert!(!found.redis.is_empty());
    assert!(!found.ai_providers.is_empty());
    assert!(!found.call_graph.is_empty());
    assert!(!found.logging_config.is_empty());
    assert!(!found.print_calls.is_empty());
    assert!(!found.wall_clock_durations.is_empty());
    assert_eq!(found.log_messages.len(), found.log_calls.len());
    assert_eq!(found.except_bodies.len(), found.except_handlers.len());
    assert_eq!(found.route_routers.len(), found.routes.len());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
}

#[test]
fn hardcoded_secrets_fixtures_agree_with_oracle() {
    for fixture in [
        "fixtures/scan/python/hardcoded_secrets",
        "fixtures/check/obs009",
    ] {
        let found = assert_agree(&workspace().join(fixture), &[]);
        // Not vacuous: both kinds.
        for kind in [
            recon_findings::SecretKind::WebhookUrl,
            recon_findings::SecretKind::SmtpPassword,
        ] {
            assert!(
                found.hardcoded_secrets.iter().any(|s| s.kind == kind),
                "{fixture}: no {kind:?}"
            );
        }
    }
}

#[test]
fn error_trackers_fixture_agrees_with_oracle() {
    let dir = workspace().join("fixtures/scan/python/error_trackers");
    let found = assert_agree(&dir, &[]);
    // Not vacuous: both kinds, with and without `dsn=` and a rate.
    assert_eq!(found.error_trackers.len(), 10);
    assert!(found.error_trackers.iter().any(|t| t.dsn));
    assert!(
        found
            .error_trackers
            .iter()
            .any(|t| t.traces_sample_rate.is_some())
    );
}

#[test]
fn tracing_setup_fixture_agrees_with_oracle() {
    let dir = workspace().join("fixtures/scan/python/tracing_setup");
    let found = assert_agree(&dir, &[]);
    // Not vacuous: every kind, in both files that have one.
    use recon_findings::TracingSetupKind::*;
    for kind in [SetTracerProvider, GetTracer, TracerProvider, Instrument] {
        assert!(
            found.tracing_setup.iter().any(|t| t.kind == kind),
            "{kind:?}"
        );
    }
    assert_eq!(found.tracing_setup.len(), 9);
}

#[test]
fn wall_clock_fixture_agrees_with_oracle() {
    let dir = workspace().join("fixtures/scan/python/wall_clock");
    let found = assert_agree(&dir, &[]);
    // Not vacuous: reads, names in scope, attributes and bare calls.
    assert_eq!(found.wall_clock_durations.len(), 6);
}

#[test]
fn wall_clock_corpora_agree_with_oracle() {
    for seed in [2, 13, 77] {
        let dir = tempfile::tempdir().unwrap();
        write_wall_clock_corpus(dir.path(), seed);
        let found = assert_agree(dir.path(), &[]);
        assert!(
            found.wall_clock_durations.len() >= 10,
            "seed {seed}: {} durations",
            found.wall_clock_durations.len()
        );
    }
}

#[test]
fn generated_corpora_agree_with_oracle() {
    for seed in [1, 7, 2024] {
        let dir = tempfile::tempdir().unwrap();
        write_corpus(dir.path(), seed);
        let found = assert_agree(dir.path(), &[]);
        // Not vacuous: every category and both null and non-null fields occur.
        assert!(
            found.routes.len() >= 20,
            "seed {seed}: {} routes",
            found.routes.len()
        );
        assert!(found.routes.iter().any(|r| r.path.is_none()));
        assert!(
            found.middleware.len() >= 3,
            "seed {seed}: {} middleware",
            found.middleware.len()
        );
        assert!(
            found.loggers.len() >= 10,
            "seed {seed}: {} loggers",
            found.loggers.len()
        );
        assert!(
            found.log_calls.len() >= 40,
            "seed {seed}: {} log calls",
            found.log_calls.len()
        );
        assert!(found.log_calls.iter().any(|c| c.prefix.is_none()));
        assert!(
            found
                .log_calls
                .iter()
                .filter(|c| c.prefix.is_some())
                .count()
                >= 10
        );
        assert!(found.except_handlers.iter().any(|e| e.bare));
        assert!(found.websocket_endpoints.len() >= 2, "seed {seed}");
        for (name, len) in [
            ("websocket_messages", found.websocket_messages.len()),
            ("context_carriers", found.context_carriers.len()),
            ("timing", found.timing.len()),
            ("metrics_calls", found.metrics_calls.len()),
            ("background_tasks", found.background_tasks.len()),
            ("notifications", found.notifications.len()),
            ("external_urls", found.external_urls.len()),
            ("ai_providers", found.ai_providers.len()),
            ("call_graph", found.call_graph.len()),
        ] {
            assert!(len >= 30, "seed {seed}: {len} {name}");
        }
        for (name, len) in [
            ("db_connections", found.db_connections.len()),
            ("redis", found.redis.len()),
        ] {
            assert!(len >= 5, "seed {seed}: {len} {name}");
        }
        // The logging categories: every kind and flag occurs.
        assert_eq!(found.log_messages.len(), found.log_calls.len());
        assert_eq!(found.except_bodies.len(), found.except_handlers.len());
        assert_eq!(found.route_routers.len(), found.routes.len());
        for kind in [
            MessageKind::Fstring,
            MessageKind::Format,
            MessageKind::Percent,
            MessageKind::Concat,
            MessageKind::Literal,
            MessageKind::Other,
            MessageKind::None,
        ] {
            assert!(
                found.log_messages.iter().any(|m| m.message == kind),
                "seed {seed}: no {kind:?} message"
            );
        }
        assert!(
            found
                .log_messages
                .iter()
                .any(|m| m.in_except && !m.exc_info)
        );
        assert!(found.log_messages.iter().any(|m| m.in_except && m.exc_info));
        assert!(found.except_bodies.iter().any(|e| e.swallowed));
        assert!(found.except_bodies.iter().any(|e| e.logs && e.reraises));
        assert!(found.except_bodies.iter().any(|e| !e.logs && !e.swallowed));
        assert!(found.print_calls.iter().any(|p| p.exempt));
        assert!(found.print_calls.iter().any(|p| !p.exempt));
        for kind in [
            LoggingConfigKind::BasicConfig,
            LoggingConfigKind::DictConfig,
            LoggingConfigKind::FileConfig,
            LoggingConfigKind::File,
        ] {
            assert!(
                found.logging_config.iter().any(|c| c.kind == kind),
                "seed {seed}: no {kind:?} configuration"
            );
        }
        let config_files: Vec<&str> = found
            .logging_config
            .iter()
            .filter(|c| c.kind == LoggingConfigKind::File)
            .map(|c| c.file.as_str())
            .collect();
        assert_eq!(
            config_files,
            [
                "config/logging.ini",
                "deploy/k8s/logging.yml",
                "deploy/logging.yaml",
                "log_config.json",
                "logging.conf",
                "services/log_config.py",
            ],
            "seed {seed}"
        );
        // The selection traps were skipped, the broken file reported.
        let files: Vec<&str> = found.loggers.iter().map(|l| l.file.as_str()).collect();
        for trap in [
            "build/gen.py",
            "generated/g.py",
            "logs/drop.py",
            ".hidden/h.py",
            "node_modules/pkg/y.py",
        ] {
            assert!(!files.contains(&trap), "seed {seed}: {trap} was scanned");
        }
        assert!(files.contains(&"logs/keep.py"));
        assert!(files.contains(&".env_settings.py"));
        let errors: Vec<&str> = found.errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(
            errors,
            [
                "app/broken.py",
                "frontend/src/lib/Broken.svelte",
                "migrations/001.sql"
            ],
            "seed {seed}"
        );
    }
}

#[test]
fn generated_corpus_agrees_with_oracle_without_ignores() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 99);
    let found = assert_agree(dir.path(), &["--no-ignore"]);
    let files: Vec<&str> = found.loggers.iter().map(|l| l.file.as_str()).collect();
    for trap in [
        ".venv/lib/python3.11/site-packages/pkg/x.py",
        "build/gen.py",
        "app/__pycache__/z.py",
        ".hidden/h.py",
    ] {
        assert!(
            files.contains(&trap),
            "{trap} was not scanned with --no-ignore"
        );
    }
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 5);
    let root = dir.path().to_str().unwrap();
    let run = |threads: Option<&str>| {
        let env: Vec<(&str, &str)> = threads
            .map(|t| ("RAYON_NUM_THREADS", t))
            .into_iter()
            .collect();
        let out = recon_scan(&["--format", FINDINGS_FORMAT, root], &env);
        assert!(out.status.success());
        out.stdout
    };
    let one = run(Some("1"));
    assert_eq!(one, run(None), "1 thread vs default");
    assert_eq!(one, run(Some("3")), "1 thread vs 3");
    // And the JSON is what `scan` parses.
    // 61 Python files, 2 `.env*` files, 1 TypeScript, 3 Svelte, 1 SQL.
    let found = scan(dir.path(), &[]);
    assert_eq!(found.files_scanned, 68);
    assert!(!found.frontend_routes.is_empty() && !found.sql_tables.is_empty());
}

#[test]
fn call_graph_agrees_with_jedi_on_fixture_app() {
    let app = workspace().join("fixtures/app");
    let agreement = jedi_agreement(&app, &scan_json(&app, &[]));
    agreement.assert_at_least("fixtures/app", JEDI_MIN_PRECISION, JEDI_MIN_RECALL);
    // Not vacuous: jedi resolves calls to the app's own functions, recon
    // lists edges, and most of them are judged.
    assert!(agreement.jedi_project >= 30, "{}", agreement.report(10));
    assert!(agreement.edges >= 30, "{}", agreement.report(10));
    assert!(agreement.judged >= 30, "{}", agreement.report(10));
}

#[test]
fn call_graph_agrees_with_jedi_on_generated_corpora() {
    for seed in [1, 7] {
        let dir = tempfile::tempdir().unwrap();
        write_corpus(dir.path(), seed);
        let agreement = jedi_agreement(dir.path(), &scan_json(dir.path(), &[]));
        agreement.assert_at_least(
            &format!("corpus seed {seed}"),
            JEDI_MIN_PRECISION,
            JEDI_MIN_RECALL,
        );
        assert!(
            agreement.jedi_project >= 50,
            "seed {seed}: {}",
            agreement.report(10)
        );
        assert!(
            agreement.edges >= 50 && agreement.judged >= 50,
            "seed {seed}: {}",
            agreement.report(10)
        );
    }
}

/// A real `site-packages` (fastapi, starlette, pydantic, httpx, openai and
/// their dependencies, installed by `.ci/run` into the directory named by
/// `RECON_SITE_PACKAGES`): the application-code bars hold on library code
/// too. Ignored by default: it needs the packages and takes minutes.
#[test]
#[ignore]
fn call_graph_agrees_with_jedi_on_site_packages() {
    let dir = std::env::var("RECON_SITE_PACKAGES")
        .expect("RECON_SITE_PACKAGES: a directory pip installed packages into (see .ci/run)");
    let root = std::path::Path::new(&dir);
    let agreement = jedi_agreement(root, &scan_json(root, &[]));
    eprintln!("site-packages: {}", agreement.report(0));
    agreement.assert_at_least("site-packages", JEDI_MIN_PRECISION, JEDI_MIN_RECALL);
    assert!(agreement.judged >= 5_000, "{}", agreement.report(10));
}

/// Each directory of `fixtures/semantic/` is a small checkout exercising one
/// shape of call (imports, MRO, decorators...): wherever jedi resolves a call
/// site, recon's edges there must be jedi's (precision 1.0; recall is not
/// asked, jedi resolves more than static rules may).
#[test]
fn call_graph_agrees_with_jedi_on_semantic_fixtures() {
    let root = workspace().join("fixtures/semantic");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    let mut dirs: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return;
    }
    // A few at a time: each runs recon and a python3 with jedi.
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(dir) = dirs.get(i) else { break };
                    let agreement =
                        jedi_agreement_with(dir, &scan_json(dir, &[]), &["--jobs", "1"]);
                    results.lock().unwrap().push((dir.clone(), agreement));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failures = String::new();
    let mut judged = 0;
    for (dir, agreement) in &results {
        judged += agreement.judged;
        if agreement.correct != agreement.judged {
            let name = dir.strip_prefix(&root).unwrap_or(dir).display();
            let _ = write!(
                failures,
                "fixtures/semantic/{name}: {}",
                agreement.report(20)
            );
        }
    }
    assert!(
        failures.is_empty(),
        "recon's edges where jedi resolves the call differ from jedi's:\n{failures}"
    );
    assert!(
        judged > 0,
        "no edge of recon was judged in {} fixtures",
        dirs.len()
    );
}

/// Debugging aid: `RECON_CORPUS_DIR=/tmp/c RECON_CORPUS_SEED=1 cargo test
/// --test tests -- --ignored scan_oracle::write_corpus` writes a corpus to look at.
#[test]
#[ignore]
fn write_corpus_to_dir() {
    let dir = std::env::var("RECON_CORPUS_DIR").expect("RECON_CORPUS_DIR");
    let seed = std::env::var("RECON_CORPUS_SEED").map_or(1, |s| s.parse().expect("a number"));
    write_corpus(std::path::Path::new(&dir), seed);
}
