//! A hostile checkout, generated at test time (git cannot hold FIFOs,
//! sockets, loops or non-UTF-8 names): `recon scan` and `recon check` must
//! finish, report what they could, and list what they skipped and why;
//! output must not depend on the thread count. (`recon run` parity on such
//! trees is in `tests/parity.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::util::{recon, run, write};

/// Builds the hostile tree under `root`; `outside` is a directory beside it.
fn hostile(root: &Path, outside: &Path) {
    write(root, "app/__init__.py", b"");
    write(root, "app/ok.py", b"import logging\nlogger = logging.getLogger(__name__)\ntry:\n    pass\nexcept:\n    logger.error('[OK] x')\n");
    write(
        root,
        "app/invalid_utf8.py",
        b"logger = logging.getLogger('x')\nlogger.info('caf\xe9 \xff\xfe')\n",
    );
    write(
        root,
        "app/nul.py",
        b"import logging\x00\nlogger.info('[NUL]')\n",
    );
    write(
        root,
        "app/crlf.py",
        b"import logging\r\nlogger = logging.getLogger(__name__)\r\nlogger.warning('[CRLF] x')\r\n",
    );
    write(root, "app/empty.py", b"");
    let long_line = format!("x = '{}'\n", "a".repeat(10 * 1024 * 1024));
    write(root, "app/long_line.py", long_line.as_bytes());
    let many: String = (0..100_000)
        .map(|i| format!("logger.info('[MANY] {i}')\n"))
        .collect();
    write(
        root,
        "app/many_lines.py",
        format!("import logging\nlogger = logging.getLogger(__name__)\n{many}").as_bytes(),
    );
    // Deep nesting: thousands of brackets and of indented blocks.
    let brackets = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    write(root, "app/deep_brackets.py", brackets.as_bytes());
    let mut blocks = String::new();
    for depth in 0..800 {
        blocks.push_str(&" ".repeat(depth));
        blocks.push_str("if x:\n");
    }
    blocks.push_str(&" ".repeat(800));
    blocks.push_str("logger.info('[DEEP]')\n");
    write(root, "app/deep_blocks.py", blocks.as_bytes());
    let calls = format!("y = {}0{}\n", "f(".repeat(3000), ")".repeat(3000));
    write(root, "app/deep_calls.py", calls.as_bytes());
    write(
        root,
        "app/broken.py",
        b"def broken(:\n    logger.error('[BROKEN]'\nexcept\n",
    );
    write(root, "frontend/src/lib/Broken.svelte", b"<script lang=\"ts\">\n  const ws = new WebSocket('x');\n  ws.send(JSON.stringify({type: 'hello'}));\n");
    write(
        root,
        "frontend/src/lib/deep.ts",
        format!("const x = {}1{};\n", "(".repeat(3000), ")".repeat(3000)).as_bytes(),
    );
    write(root, "migrations/001_broken.sql", b"CREATE TABLE users (id SERIAL PRIMARY KEY,\n  name TEXT REFERENCES\n);\nCREATE TABLE (;\n");
    write(root, "odd/with space.py", b"print('space')\n");
    write(root, "odd/a:b.py", b"print('colon')\n");
    write(root, "odd/-dash.py", b"print('dash')\n");
    let bad_name = std::ffi::OsStr::from_bytes(b"odd/bad\xffname.py");
    fs::write(root.join(bad_name), b"print('bad name')\n").unwrap();
    // Links: a loop, a dangling one, and one leaving the checkout.
    std::os::unix::fs::symlink("loop_b", root.join("odd/loop_a")).unwrap();
    std::os::unix::fs::symlink("loop_a", root.join("odd/loop_b")).unwrap();
    std::os::unix::fs::symlink("nowhere.py", root.join("odd/dangling.py")).unwrap();
    write(
        outside,
        "secret.py",
        b"SECRET_SMTP_PASSWORD = 'hunter2'\nprint('outside')\n",
    );
    std::os::unix::fs::symlink(outside, root.join("odd/outside_dir")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.py"), root.join("odd/outside.py")).unwrap();
    // A FIFO and a socket: reading them must never block.
    let fifo = root.join("odd/pipe.py");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let _socket = std::os::unix::net::UnixListener::bind(root.join("odd/sock.py")).unwrap();
    // 120 directories deep.
    let mut deep = String::from("deep");
    for i in 0..120 {
        deep.push_str(&format!("/d{i}"));
    }
    write(
        root,
        &format!("{deep}/leaf.py"),
        b"import logging\nlogging.info('[LEAF]')\n",
    );
}

fn run(args: &[&str], root: &Path, threads: Option<&str>) -> Output {
    let mut cmd = recon();
    cmd.args(args).current_dir(root);
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.output().unwrap()
}

#[test]
fn scan_and_check_finish_on_a_hostile_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let outside = dir.path().join("outside");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&outside).unwrap();
    hostile(&root, &outside);

    let scan = run(&["scan", "--format", "findings", "."], &root, None);
    let stderr = String::from_utf8_lossy(&scan.stderr);
    assert_eq!(scan.status.code(), Some(0), "scan failed: {stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    // What could be read was read.
    let prefixes: Vec<&str> = json["log_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["prefix"].as_str())
        .collect();
    for tag in ["[OK]", "[CRLF]", "[LEAF]"] {
        assert!(prefixes.contains(&tag), "{tag} missing");
    }
    assert_eq!(prefixes.iter().filter(|p| **p == "[MANY]").count(), 100_000);
    // What could not be parsed is listed with the reason.
    let errors = json["errors"].as_array().unwrap();
    let errored: Vec<&str> = errors.iter().filter_map(|e| e["file"].as_str()).collect();
    assert!(errored.contains(&"app/broken.py"), "{errored:?}");
    // Indentation deeper than tree-sitter-python can serialize (it would
    // abort the process): skipped, with the reason.
    let deep = errors
        .iter()
        .find(|e| e["file"] == "app/deep_blocks.py")
        .expect("deep_blocks.py listed");
    assert!(
        deep["reason"]
            .as_str()
            .unwrap()
            .starts_with("not parsed: a line is indented 800 columns"),
        "{deep}"
    );
    assert!(
        errors
            .iter()
            .all(|e| !e["reason"].as_str().unwrap_or("").is_empty())
    );
    // Nothing from outside the checkout.
    let text = String::from_utf8_lossy(&scan.stdout);
    assert!(
        !text.contains("secret.py") && !text.contains("hunter2"),
        "read outside the checkout"
    );

    // The deliverable renders too.
    let md = run(&["scan", "."], &root, None);
    assert_eq!(
        md.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
    assert!(
        String::from_utf8_lossy(&md.stdout).starts_with("# PHASE 2 OBSERVABILITY RECON RESULTS")
    );

    // check reports violations (exit 1), never crashes (2 only for I/O).
    let check = run(&["check"], &root, None);
    let check_err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "check: {check_err}");
    assert!(!check_err.contains("internal error"), "{check_err}");
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(out.contains("app/ok.py:6:5: OBS003"), "{out}");
    assert!(
        !out.contains("secret.py"),
        "read outside the checkout: {out}"
    );
}

#[test]
fn hostile_output_is_the_same_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let outside = dir.path().join("outside");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&outside).unwrap();
    hostile(&root, &outside);
    for args in [
        &["scan", "--format", "json", "."][..],
        &["check", "--format", "json"][..],
    ] {
        let one = run(args, &root, Some("1"));
        let many = run(args, &root, Some("4"));
        assert_eq!(
            one.stdout, many.stdout,
            "{args:?} differs between 1 and 4 threads"
        );
        assert_eq!(one.status.code(), many.status.code());
    }
}

/// `--max-parse-size`: a file over the limit is not parsed (nor read), and
/// is listed with the reason; smaller files are scanned as usual.
#[test]
fn files_over_the_parse_limit_are_listed_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "small.py",
        b"import logging\nlogger = logging.getLogger(__name__)\n",
    );
    let big = format!(
        "import logging\nlogger = logging.getLogger(__name__)\n{}",
        "logger.info('[BIG] x')\n".repeat(200)
    );
    write(root, "big.py", big.as_bytes());
    let out = run(
        &[
            "scan",
            "--format",
            "findings",
            "--max-parse-size",
            "1K",
            ".",
        ],
        root,
        None,
    );
    let json = run::success_json(out.status, &out.stdout, &out.stderr);
    assert_eq!(run::field_of(&json, "loggers", "file"), ["small.py"]);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "big.py");
    assert_eq!(
        errors[0]["reason"],
        format!(
            "not parsed: {} bytes, over the parse limit of 1024 bytes",
            big.len()
        )
    );
    let bad = run(&["scan", "--max-parse-size", "lots", "."], root, None);
    assert_eq!(bad.status.code(), Some(2));
}

/// Chains nested 100k deep (`a + b + ...`, `a.b.c...`) in files the
/// prefilter passes (`def`, `toast`) are listed as not analysed instead of
/// taking minutes in tree-sitter's query cursor, when tree-sitter reads
/// them; the Python token pass reads such a chain in linear time, so it is
/// listed only where a sparse rule sends its statement to tree-sitter
/// (`log.info(...)`). A
/// chain CPython still accepts (2,900 terms) is analysed as usual.
#[test]
fn deep_chains_are_listed_and_valid_chains_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let terms = |n: usize, f: &dyn Fn(usize) -> String| -> String {
        (0..n).map(f).collect::<Vec<_>>().join(" + ")
    };
    let plus = format!(
        "def f():\n    x = {}\n",
        terms(100_000, &|i| format!("g({i})"))
    );
    let attr: String = (0..100_000).map(|i| format!(".b{i}")).collect();
    write(root, "plus.py", plus.as_bytes());
    // The chain in a statement a sparse rule needs (a log call).
    write(
        root,
        "plus_logged.py",
        format!(
            "def f():\n    log.info({})\n",
            terms(100_000, &|i| format!("g({i})"))
        )
        .as_bytes(),
    );
    write(
        root,
        "attr.py",
        format!("def h():\n    y = a{attr}\n").as_bytes(),
    );
    write(
        root,
        "web.ts",
        format!(
            "import {{ toast }} from \"t\";\nconst x = {};\n",
            terms(100_000, &|i| format!("g({i})"))
        )
        .as_bytes(),
    );
    let valid = format!(
        "import logging\nlog = logging.getLogger(__name__)\ndef f():\n    log.info(\"[A] \" + {})\n",
        terms(2_900, &|i| format!("str({i})"))
    );
    write(root, "valid.py", valid.as_bytes());
    // A fluent chain of 100k calls: each call's start is found by walking
    // back over the calls before it, once (quadratic before: minutes).
    let fluent: String = (0..100_000).map(|_| ".m()").collect();
    write(
        root,
        "fluent.py",
        format!("def f():\n    x = a{fluent}\n    print(x)\n").as_bytes(),
    );
    // A `case` of 100k alternatives: its guard is found in one scan.
    let alternatives: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    write(
        root,
        "cases.py",
        format!(
            "def f(x):\n    match x:\n        case {} if g(x):\n            print(x)\n",
            alternatives.join(" | ")
        )
        .as_bytes(),
    );

    let mut cmd = recon();
    cmd.args(["scan", "--format", "findings", "."])
        .current_dir(root);
    // A hang guard, not a timing assertion: the quadratic case took minutes.
    let out = run::run_with_timeout(&mut cmd, std::time::Duration::from_secs(120));
    let json = run::success_json(out.status, &out.stdout, &out.stderr);
    let reason = "not analysed: syntax nested deeper than 4000 levels";
    let listed: Vec<(String, String)> = ["plus_logged.py", "web.ts"]
        .iter()
        .map(|f| (f.to_string(), reason.to_owned()))
        .collect();
    assert_eq!(run::scan_errors(&json), listed);
    assert_eq!(run::field_of(&json, "log_calls", "file"), ["valid.py"]);
    // The token pass read the chain of calls: 100k call sites, none of a
    // function of the checkout, so no edge; the file is not listed.
    assert!(json["call_graph"].as_array().unwrap().is_empty());
    assert_eq!(
        run::field_of(&json, "print_calls", "file"),
        ["cases.py", "fluent.py"]
    );
    assert_eq!(json["log_calls"][0]["line"], 4);

    // `recon check` read such a chain with recursive helpers and overflowed
    // its stack (an abort, exit 134): now the token pass reads it, and
    // tree-sitter only what a rule needs.
    let calls: String = (0..100_000).map(|i| format!(".m{i}")).collect();
    write(
        root,
        "calls.py",
        format!(
            "import time
def f():
    start = time.time()
    x = a{calls}()
    print(a{calls})
"
        )
        .as_bytes(),
    );
    // The same chain as the argument of a call OBS007 reads: the semantic
    // model reads it from tokens too, and finds the request.
    write(
        root,
        "request_chain.py",
        format!("import requests\ndef f():\n    requests.get(a{calls})\n").as_bytes(),
    );
    let mut cmd = recon();
    cmd.args([
        "check",
        "calls.py",
        "attr.py",
        "web.ts",
        "valid.py",
        "request_chain.py",
    ])
    .current_dir(root);
    let out = run::run_with_timeout(&mut cmd, std::time::Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // valid.py is still checked: its `+`-built message is a finding. The
    // token pass reads calls.py's chain in linear time, so its `print` is
    // one too, and tree-sitter (here for OBS006's `time.time()` and the
    // units naming `start`) parses only the units holding what a rule looks
    // for, not the chain: calls.py is read whole, without a warning.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let flagged: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>())
        .map(|w| w.first().copied().unwrap_or(""))
        .collect();
    assert_eq!(
        flagged,
        ["calls.py:5:5:", "request_chain.py:3:14:", "valid.py:4:14:"],
        "{stdout}"
    );
    assert!(
        stdout.contains("OBS001") && stdout.contains("OBS004") && stdout.contains("OBS007"),
        "{stdout}"
    );
    assert!(!stderr.contains("request_chain.py"), "{stderr}");
    assert!(
        stderr.contains(&format!("warning: web.ts: {reason}")),
        "{stderr}"
    );
    // Neither chain holds anything a rule reads: read, and not listed.
    assert!(!stderr.contains("calls.py"), "{stderr}");
    assert!(!stderr.contains("attr.py"), "{stderr}");
    assert!(!stderr.contains("valid.py"), "{stderr}");
}

/// Python that would hang or overflow a naive resolver: import cycles,
/// classes that are their own (or each other's) bases, a 10,000-module
/// import chain, a computed `__all__`, a recursive return, nesting past
/// the model's limit. The scan finishes, resolves what the code backs,
/// counts the rest, and gives the same bytes at 1 and 2 threads.
#[test]
fn semantic_model_finishes_on_hostile_python() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "cyc/__init__.py", b"");
    write(
        root,
        "cyc/a.py",
        b"from cyc.b import *\nfrom cyc.b import thing\n\ndef use():\n    thing()\n",
    );
    write(
        root,
        "cyc/b.py",
        b"from cyc.a import *\nfrom cyc.a import thing\n",
    );
    write(
        root,
        "classes.py",
        b"class Own(Own):\n    pass\n\nclass P(Q):\n    pass\n\nclass Q(P):\n    pass\n\ndef use():\n    Own().m()\n    P().m()\n    Q().m()\n",
    );
    // Re-export chains: `long/m0` -> ... -> `long/m9999`, which defines
    // `f` (Python's own import recursion gives out long before), and a
    // 200-module one, which resolves.
    for (package, length) in [("long", 10_000), ("short", 200)] {
        write(root, &format!("{package}/__init__.py"), b"");
        for i in 0..length - 1 {
            let next = i + 1;
            let text = format!("from {package}.m{next} import f\n");
            write(root, &format!("{package}/m{i}.py"), text.as_bytes());
        }
        let last = length - 1;
        write(
            root,
            &format!("{package}/m{last}.py"),
            b"def f():\n    pass\n",
        );
        let text = format!("from {package}.m0 import f\n\ndef go():\n    f()\n");
        write(root, &format!("use_{package}.py"), text.as_bytes());
    }
    write(
        root,
        "dyn.py",
        b"__all__ = [n for n in dir() if not n.startswith('_')]\n\ndef shown():\n    pass\n",
    );
    write(
        root,
        "use_dyn.py",
        b"from dyn import *\n\ndef go():\n    shown()\n",
    );
    write(
        root,
        "rec.py",
        b"def again():\n    return again()\n\ndef go():\n    again().x()\n",
    );
    let deep = format!(
        "def f():\n    return {}1{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    write(root, "deep.py", deep.as_bytes());
    let lambdas = format!("g = {}0\n", "lambda: ".repeat(5000));
    write(root, "lambdas.py", lambdas.as_bytes());

    let one = run(&["scan", "--format", "findings", "."], root, Some("1"));
    let stderr = String::from_utf8_lossy(&one.stderr);
    assert_eq!(one.status.code(), Some(0), "scan failed: {stderr}");
    let two = run(&["scan", "--format", "findings", "."], root, Some("2"));
    assert_eq!(one.stdout, two.stdout, "output depends on the thread count");
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let edges: Vec<(&str, &str, &str)> = json["call_graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap(),
                e["callee"].as_str().unwrap(),
                e["callee_file"].as_str().unwrap(),
            )
        })
        .collect();
    // The short chain's end, through 200 re-exports; the long one is
    // unresolved (counted below).
    assert!(
        edges.contains(&("use_short.py", "f", "short/m199.py")),
        "{edges:?}"
    );
    assert!(!edges.iter().any(|e| e.0 == "use_long.py"), "{edges:?}");
    // A computed `__all__`: the module's public names stand in.
    assert!(
        edges.contains(&("use_dyn.py", "shown", "dyn.py")),
        "{edges:?}"
    );
    // Recursion in returns: `again` is an edge, `.x()` on its result is not.
    assert!(edges.contains(&("rec.py", "again", "rec.py")), "{edges:?}");
    assert!(!edges.iter().any(|e| e.1.ends_with(".x")), "{edges:?}");
    // Cyclic classes and star-import cycles give no edge and no hang.
    assert!(
        !edges
            .iter()
            .any(|e| e.0 == "classes.py" || e.0.starts_with("cyc/")),
        "{edges:?}"
    );
    let resolution = &json["call_resolution"];
    // deep.py and lambdas.py nest past the model's limit: unread, counted.
    assert_eq!(resolution["unread_modules"], 2, "{resolution}");
    // 15 calls: `thing()` in the cycle, `.m()` on the three cyclic
    // classes, the long chain's `f()`, `again().x()` and `n.startswith` on
    // a comprehension variable are the unresolved ones; `dir()` is a
    // builtin; the three class calls, the short chain's `f()`, `shown()`
    // and both `again()` reach the project.
    let counts = ["calls", "project", "builtin", "unresolved"].map(|k| &resolution[k]);
    assert_eq!(counts, [15, 7, 1, 7], "{resolution}");
}
