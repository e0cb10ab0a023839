//! `recon scan --format md`: the deliverable on the fixture app and on a
//! second app of another shape, its claims checked against the files, and
//! the CLI contract of `-o` and `--template`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::util::report::{assert_has_line, locations, recon_scan, scan_ok, sections, skeleton};
use crate::util::snapshot::assert_snapshot;
use crate::util::workspace;

const APP: &str = "fixtures/app";
const PLAIN: &str = "fixtures/report/plain_app";

#[test]
fn app_md_snapshot() {
    let md = scan_ok(&[APP]);
    // md is the default format.
    assert_eq!(md, scan_ok(&["--format", "md", APP]));
    assert_snapshot("report/app.md", &md);
}

#[test]
fn plain_app_md_snapshot() {
    assert_snapshot("report/plain_app.md", &scan_ok(&[PLAIN]));
}

/// Every `path:line` the report prints exists: the file is there and has
/// that line.
#[test]
fn every_location_is_real() {
    for root in [APP, PLAIN] {
        let md = scan_ok(&[root]);
        let locs = locations(&md);
        assert!(
            locs.len() > 10,
            "{root}: only {} locations found",
            locs.len()
        );
        for (path, line) in locs {
            assert_has_line(&workspace().join(root), &path, line);
        }
    }
}

/// The location parser finds what a reader would click, and nothing else.
#[test]
fn location_parser_ignores_urls_and_host_ports() {
    let text = "at `core/main.py:82`; (`.env.example:20`), x core/db.py:19. \
                https://api.x.ai:443/v1 localhost:8000 127.0.0.1:80 `+page.svelte:3`";
    assert_eq!(
        locations(text),
        [
            ("core/main.py".to_owned(), 82),
            (".env.example".to_owned(), 20),
            ("core/db.py".to_owned(), 19),
            ("+page.svelte".to_owned(), 3),
        ]
    );
}

/// Every route and every middleware of the findings is in the report, with
/// its location; a route with the path it is served at (every route of the
/// fixture app has one).
#[test]
fn every_route_and_middleware_is_listed() {
    let md = scan_ok(&[APP]);
    let json: serde_json::Value =
        serde_json::from_str(&scan_ok(&["--format", "json", APP])).unwrap();
    let findings = &json;
    let routes = findings["routes"].as_array().unwrap();
    assert!(routes.len() >= 10);
    for r in routes {
        let row = format!(
            "| {} | `{}` | `{}` | `{}:{}` |",
            r["method"].as_str().unwrap(),
            r["full_path"].as_str().unwrap(),
            r["handler"].as_str().unwrap(),
            r["file"].as_str().unwrap(),
            r["line"]
        );
        assert!(md.contains(&row), "route row missing: {row}");
    }
    let middleware = findings["middleware"].as_array().unwrap();
    assert_eq!(middleware.len(), 3);
    for m in middleware {
        let item = format!(
            "`{}` ({}, `{}:{}`)",
            m["name"].as_str().unwrap(),
            m["kind"].as_str().unwrap(),
            m["file"].as_str().unwrap(),
            m["line"]
        );
        assert!(md.contains(&item), "middleware missing: {item}");
    }
}

/// The headings of the skeleton, exactly and in order, then checks that
/// hold for any app: no skeleton slot left, no empty section, no template
/// syntax or null leaking through.
fn assert_complete(md: &str, root: &str) {
    let (headings, slots) = skeleton();
    let got: Vec<String> = sections(md).into_iter().map(|(h, _)| h).collect();
    assert_eq!(got, headings, "{root}: headings differ from the skeleton");
    assert!(slots.len() >= 25, "skeleton slots: {slots:?}");
    for slot in &slots {
        assert!(
            !md.contains(slot.as_str()),
            "{root}: skeleton slot {slot} left in the report"
        );
    }
    for (heading, body) in sections(md) {
        assert!(
            !body.trim().is_empty(),
            "{root}: section {heading:?} is empty"
        );
    }
    // A bullet that ends with a colon has an indented body after it.
    let lines: Vec<&str> = md.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end();
        if t.trim_start().starts_with("- ") && t.ends_with(':') {
            let indent = t.len() - t.trim_start().len();
            let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
            assert!(
                next.is_some_and(|n| n.len() - n.trim_start().len() > indent),
                "{root}: bullet {t:?} has no body"
            );
        }
    }
    for leak in ["{{", "{%", "}}", "%}", "null", "None found", "undefined"] {
        assert!(!md.contains(leak), "{root}: {leak:?} in the report");
    }
}

#[test]
fn app_report_is_complete() {
    assert_complete(&scan_ok(&[APP]), APP);
}

/// The second fixture: Flask, no WebSocket, no SQL, no frontend, a
/// logging.conf. Every section still says something, and what is absent
/// says what was searched.
#[test]
fn plain_app_report_is_complete() {
    let md = scan_ok(&[PLAIN]);
    assert_complete(&md, PLAIN);
    for expected in [
        "| ROUTE | `/` | `index` | `app.py:20` |",
        "| DELETE | `/items/<int:item_id>` | `delete_item` | `app.py:44` |",
        "- Middleware chain: none found (searched: ",
        "WebSocket handler: none found (searched: ",
        "- Tables available: none found (searched: `CREATE TABLE` statements in .sql files)",
        "- Existing admin routes: none found (searched: ",
        "- Message contract: none found (searched: ",
        "`notify_warehouse` in a `Thread`",
        "- Entry points: 4 HTTP routes on 1 router in 1 file, 0 WebSocket endpoints, by router:",
        "  `app` (routes declared in `app.py`)",
        "  - Configuration: `logging.config.fileConfig(...)` call at `app.py:11`; configuration file `logging.conf` at `logging.conf:1`",
        "`app.py:37`: `error` call in an `except` body without `exc_info`",
        "`app.py:37`: `error` message built with an f-string",
        "`app.py:56`: exception caught and dropped",
        "**print calls**: none found (searched: ",
        "; 1 call in tests, scripts or `if __name__ == \"__main__\":` blocks not counted\n",
        "no foreign key to one",
    ] {
        assert!(
            md.contains(expected),
            "missing from the plain app's report: {expected}"
        );
    }
    assert!(
        !md.contains("REFERENCES users"),
        "no users table, no key to it"
    );
}

#[test]
fn output_file_gets_exactly_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    let run = recon_scan(&["-o", out.to_str().unwrap(), APP]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.stdout.is_empty() && run.stderr.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), scan_ok(&[APP]));
    // And for the other formats.
    let sarif = dir.path().join("gaps.sarif");
    let run = recon_scan(&[
        "--format",
        "sarif",
        "--output",
        sarif.to_str().unwrap(),
        APP,
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&sarif).unwrap(),
        scan_ok(&["--format", "sarif", APP])
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "only the two outputs"
    );
}

#[test]
fn missing_template_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    let missing = dir.path().join("nope.md.j2");
    let run = recon_scan(&[
        "--template",
        missing.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        APP,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        format!("error: {}: No such file or directory\n", missing.display())
    );
    assert!(!out.exists(), "nothing is written on error");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn broken_template_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    // A syntax error, and a template that parses but fails while rendering.
    for (name, source, reason) in [
        ("syntax.md.j2", "# T\n{% if %}\n", "syntax error"),
        (
            "undefined.md.j2",
            "# T\n{{ report.no_such_section.x }}\n",
            "undefined value",
        ),
    ] {
        let template = dir.path().join(name);
        std::fs::write(&template, source).unwrap();
        let run = recon_scan(&[
            "--template",
            template.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            APP,
        ]);
        assert_eq!(run.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let prefix = format!("error: {}: {reason}", template.display());
        assert!(
            stderr.starts_with(&prefix),
            "{name}: {stderr:?} does not start with {prefix:?}"
        );
        assert!(stderr.contains("(line 2)"), "{name}: {stderr:?}");
        assert!(!out.exists(), "{name}: nothing is written on error");
    }
}

#[test]
fn own_template_renders_report_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("mine.md.j2");
    std::fs::write(
        &template,
        "root={{ report.root }} routes={{ findings.routes|length }}\n\
         {% for s in report.priority %}{{ s.rank }}:{{ s.id }}|{{ s.at[0].at if s.at else '-' }}|{{ 'a|b'|cell }}\n{% endfor %}",
    )
    .unwrap();
    let md = scan_ok(&["--template", template.to_str().unwrap(), APP]);
    assert!(
        md.starts_with("root=fixtures/app routes=15\n1:trace-id-at-entry|core/main.py:82|a\\|b\n"),
        "{md}"
    );
    // --template is for Markdown only.
    let run = recon_scan(&[
        "--format",
        "json",
        "--template",
        template.to_str().unwrap(),
        APP,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("--template applies to --format md only")
    );
}

#[test]
fn unwritable_output_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no/such/dir/report.md");
    let run = recon_scan(&["-o", out.to_str().unwrap(), APP]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        format!("error: {}: No such file or directory\n", out.display())
    );
}

/// The report on the served-app fixture, checked by hand line by line
/// (the claims that matter are also asserted one by one below).
#[test]
fn served_app_md_snapshot() {
    assert_snapshot(
        "report/served_app.md",
        &scan_ok(&["fixtures/scan/python/served"]),
    );
}

/// The served app of `fixtures/scan/python/served` (an application beside
/// a CLI and a script that use the same names): each derived section
/// picks the app's places and lists the CLI's apart. Answers read off the
/// fixture by hand.
#[test]
fn derived_sections_choose_the_served_app() {
    let md = scan_ok(&["fixtures/scan/python/served"]);
    let line = |prefix: &str| -> &str {
        md.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{md}"))
    };
    // The logging configuration the app runs on import (setup() at module
    // level of app/main.py), not the `__main__` block's or the CLI's.
    assert_eq!(
        line("- Configuration:"),
        "  - Configuration: `logging.basicConfig(...)` call at `app/logs.py:5`"
    );
    assert_eq!(
        line("- Configuration outside the served app:"),
        "  - Configuration outside the served app: `logging.basicConfig(...)` call at `app/main.py:38`; `logging.basicConfig(...)` call at `cli/tool.py:12`"
    );
    // The LLM span boundary is the app's `run` (an AsyncOpenAI call one
    // call below the route), not the CLI's `run`, which is listed apart.
    let llm = line("- LLM API call");
    assert!(
        llm.contains("function `run` (1 call deep from an entry point; calls `openai.AsyncOpenAI.chat.completions.create` at `app/service.py:12`: openai) at `app/service.py:10`"),
        "{llm}"
    );
    assert!(!llm.contains("cli/"), "{llm}");
    let outside = line("- Outside the served app");
    assert!(outside.contains("`cli/tool.py:18`"), "{outside}");
    // The background work to copy is the route's task, not the CLI's
    // thread.
    let background = line("- Background tasks:");
    assert!(background.contains("`app/main.py:25`"), "{background}");
    assert!(!background.contains("cli/"), "{background}");
    // The CLI's thread is not background work of the app whose context
    // propagation the report plans.
    let propagation = line("- Context propagation:");
    assert!(
        !propagation.contains("background entry points"),
        "{propagation}"
    );
    assert!(
        !md.contains("Background work that starts without it"),
        "{md}"
    );
    // A document's `b["type"] == "heading"` in the CLI is not a message.
    assert!(line("- Message contract:").contains("none found"), "{md}");
    assert!(!md.contains("heading"), "{md}");
}

/// What to install and what to span by hand, on the fixture app: packages
/// for what `requirements.txt` declares (by its lines) or the code calls;
/// the LLM and embedding calls go over httpx, which its instrumentation
/// traces as HTTP only, so they need manual spans; the pgvector search
/// goes through asyncpg, whose instrumentation makes its span. Answers
/// read off the fixture by hand.
#[test]
fn install_and_manual_spans_on_the_fixture_app() {
    let md = scan_ok(&["fixtures/app"]);
    let line = |prefix: &str| -> String {
        md.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?}"))
            .to_owned()
    };
    let install = line("- Install (OpenTelemetry instrumentation");
    for (package, at) in [
        (
            "opentelemetry-instrumentation-fastapi",
            "requirements.txt:1",
        ),
        (
            "opentelemetry-instrumentation-asyncpg",
            "requirements.txt:3",
        ),
        ("opentelemetry-instrumentation-httpx", "requirements.txt:5"),
        ("opentelemetry-instrumentation-redis", "requirements.txt:6"),
        (
            "opentelemetry-instrumentation-openai-v2",
            "requirements.txt:8",
        ),
    ] {
        assert!(
            install.contains(&format!("`{package}` (")) && install.contains(&format!("`{at}`")),
            "{package} at {at}: {install}"
        );
    }
    // Nothing declares or calls requests or sqlalchemy.
    assert!(!install.contains("-requests`"), "{install}");
    assert!(!install.contains("-sqlalchemy`"), "{install}");
    let manual = line("- Spans no instrumentation makes");
    for claim in [
        "span `embedding` in `EnterpriseRAG.embed`",
        "span `llm_call` in `ModelAdapter.stream`",
        "span `streaming` in `handle_message`",
    ] {
        assert!(manual.contains(claim), "{claim}: {manual}");
    }
    assert!(!manual.contains("vector_search"), "{manual}");
    assert!(
        line("- Attributes of span `llm_call`")
            .contains("`gen_ai.provider.name` (x_ai, openai, anthropic)")
    );
}

/// The Trace Injection Points section says where OpenTelemetry tracing is
/// already set up: every call of `fixtures/scan/python/tracing_setup`
/// (read by hand, by file and line), and on the fixture app, which has
/// none, what was searched.
#[test]
fn trace_section_shows_existing_tracing_setup() {
    let md = scan_ok(&["fixtures/scan/python/tracing_setup"]);
    let line = md
        .lines()
        .find(|l| l.starts_with("- Existing tracing setup"))
        .unwrap_or_default();
    assert_eq!(
        line,
        "- Existing tracing setup (OpenTelemetry): \
         `opentelemetry.trace.get_tracer` at `app/aliased.py:6`; \
         `opentelemetry.trace.set_tracer_provider` at `app/aliased.py:10`; \
         `opentelemetry.sdk.trace.TracerProvider` at `app/aliased.py:11`; \
         `opentelemetry.instrumentation.requests.RequestsInstrumentor.instrument` at \
         `app/aliased.py:13`; \
         `opentelemetry.sdk.trace.TracerProvider` at `app/telemetry.py:11`; \
         `opentelemetry.trace.set_tracer_provider` at `app/telemetry.py:12`; \
         `opentelemetry.instrumentation.fastapi.FastAPIInstrumentor.instrument_app` at \
         `app/telemetry.py:13`; \
         `opentelemetry.instrumentation.httpx.HTTPXClientInstrumentor.instrument` at \
         `app/telemetry.py:14`; \
         `opentelemetry.trace.get_tracer` at `app/telemetry.py:18`."
    );
    let app = scan_ok(&[APP]);
    assert!(
        app.contains(
            "- Existing tracing setup: none found (searched: \
             `opentelemetry.trace.set_tracer_provider(...)`, \
             `opentelemetry.trace.get_tracer(...)`, \
             `opentelemetry.sdk.trace.TracerProvider(...)` and OpenTelemetry \
             instrumentors' `instrument(...)` / `instrument_app(...)` in .py files)\n"
        ),
        "{app}"
    );
}

/// The Alert Integration section says where an error tracker is set up:
/// the `init` calls of `fixtures/scan/python/error_trackers` (read by
/// hand), and on the fixture app, which has none, what was searched.
#[test]
fn alert_integration_shows_error_tracking() {
    let md = scan_ok(&["fixtures/scan/python/error_trackers"]);
    let line = md
        .lines()
        .skip_while(|l| !l.starts_with("- Error tracking:"))
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        line,
        "- Error tracking: **yes**: exists; also reported to explicitly in 4 places.\n  \
         - Evidence: `sentry_sdk.init` (sentry, `dsn=` given, traces_sample_rate `0.25`) at \
         `app/monitoring.py:12`; `rollbar.init` (rollbar) at `app/monitoring.py:16`; \
         `sentry_sdk.init` (sentry, `dsn=` given, traces_sample_rate `(0.5)`) at \
         `app/settings.py:3`; `sentry_sdk.init` (sentry) at `app/settings.py:4`; \
         `bugsnag.configure` (bugsnag) at `app/workers.py:10`; `sentry_sdk.init` (sentry, \
         traces_sample_rate `float(os.getenv(\"RATE\", \"0.1\"))`) at `app/workers.py:11`"
    );
    let app = scan_ok(&[APP]);
    assert!(
        app.contains(
            "- Error tracking: **no**: needs setup: an error tracker (e.g. \
             `sentry_sdk.init(dsn=...)` at startup) to group exceptions and alert on new ones.\n  \
             - none found (searched: `sentry_sdk.init(...)`, `rollbar.init(...)`, \
             `bugsnag.configure(...)` and their capture/report calls in .py files)\n"
        ),
        "{app}"
    );
}
