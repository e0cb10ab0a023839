//! `recon scan` resolves Python calls semantically: one small checkout per
//! shape of call that call-graph benchmarks (PyCG's micro-benchmark
//! categories) cover, under `fixtures/semantic/<shape>/`, each with its
//! `expected.json` written by hand from reading the code (see
//! `fixtures/semantic/README.md` for what each shape covers and which calls
//! are deliberately left unresolved). recon must find exactly those
//! `call_graph` and `external_calls` items (compared as multisets, without
//! `column`), and the `false_*` shapes must give no project edge beyond the
//! expected ones.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::util::scan::{FINDINGS_FORMAT, minus, recon_scan};
use crate::util::workspace;
use serde_json::Value;

/// Every shape, in the order of the README. `shape_list_matches_directory`
/// keeps this list and `fixtures/semantic/` in step.
const SHAPES: &[&str] = &[
    "direct_calls",
    "assignments",
    "builtins",
    "arguments",
    "classes",
    "mro_diamond",
    "decorators",
    "collections_of_functions",
    "exceptions",
    "generators",
    "imports",
    "kwargs",
    "lambdas",
    "returns",
    "annotations",
    "newlines",
    "external",
    "fastapi_depends",
    "module_singleton",
    "redefinitions",
    "false_asyncio_run",
    "false_load",
    "false_re_search",
    "false_list_append",
    "false_atexit_register",
    "false_psycopg2_connect",
    "false_self_name",
    "false_shared_method_name",
];

/// The fields compared (everything but `column`).
const CALL_FIELDS: &[&str] = &[
    "file",
    "line",
    "caller",
    "callee",
    "callee_file",
    "callee_line",
];
const EXTERNAL_FIELDS: &[&str] = &["file", "line", "caller", "callee"];

fn shape_root(shape: &str) -> PathBuf {
    workspace().join("fixtures/semantic").join(shape)
}

/// One item as a readable line: `main.py:10 middle -> leaf @ main.py:5`
/// for an edge, `main.py:30 load -> numpy.load` for an external call.
/// Panics when a field is missing or has the wrong type.
fn render(item: &Value, fields: &[&str], whose: &str) -> String {
    let field = |name: &str| -> String {
        match item.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_u64() => n.to_string(),
            other => panic!("{whose}: field `{name}` is {other:?} in {item}"),
        }
    };
    let (file, line, caller, callee) = (
        field("file"),
        field("line"),
        field("caller"),
        field("callee"),
    );
    if fields.contains(&"callee_file") {
        let (callee_file, callee_line) = (field("callee_file"), field("callee_line"));
        format!("{file}:{line} {caller} -> {callee} @ {callee_file}:{callee_line}")
    } else {
        format!("{file}:{line} {caller} -> {callee}")
    }
}

/// The items of `key` in `doc`, rendered and sorted; `None` when the key
/// is absent.
fn items(doc: &Value, key: &str, fields: &[&str], whose: &str) -> Option<Vec<String>> {
    let list = doc.get(key)?;
    let list = list
        .as_array()
        .unwrap_or_else(|| panic!("{whose}: `{key}` is not an array"));
    let mut out: Vec<String> = list.iter().map(|i| render(i, fields, whose)).collect();
    out.sort();
    Some(out)
}

fn expected(shape: &str) -> Value {
    let path = shape_root(shape).join("expected.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `recon scan --format findings` of one shape, as JSON.
fn scan_shape(shape: &str) -> Value {
    let root = shape_root(shape);
    let root = root.to_str().unwrap();
    let out = recon_scan(&["--format", FINDINGS_FORMAT, root], &[]);
    assert!(
        out.status.success(),
        "recon scan {root} failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("recon --format findings prints JSON")
}

/// What differs between recon's and the expected items of one category.
fn diff(
    report: &mut String,
    category: &str,
    got: Option<Vec<String>>,
    want: &[String],
    only_unexpected: bool,
) {
    let Some(got) = got else {
        let _ = writeln!(
            report,
            "  {category}: recon's findings have no `{category}` key ({} expected)",
            want.len()
        );
        return;
    };
    let unexpected = minus(&got, want);
    let missing = if only_unexpected {
        Vec::new()
    } else {
        minus(want, &got)
    };
    if unexpected.is_empty() && missing.is_empty() {
        return;
    }
    let _ = writeln!(
        report,
        "  {category}: {} expected, {} found, {} missing, {} unexpected",
        want.len(),
        got.len(),
        missing.len(),
        unexpected.len()
    );
    for m in &missing {
        let _ = writeln!(report, "    missing:    {m}");
    }
    for u in &unexpected {
        let _ = writeln!(report, "    unexpected: {u}");
    }
}

/// recon's `call_graph` and `external_calls` of `shape` against its
/// `expected.json`; `only_unexpected` checks the call graph for precision
/// only (no item beyond the expected ones) and skips `external_calls`.
fn check_shape(shape: &str, only_unexpected: bool) -> Option<String> {
    let want = expected(shape);
    let whose = format!("{shape}/expected.json");
    let want_calls = items(&want, "call_graph", CALL_FIELDS, &whose).expect("call_graph");
    let want_external =
        items(&want, "external_calls", EXTERNAL_FIELDS, &whose).expect("external_calls");
    let got = scan_shape(shape);
    let whose = format!("recon on {shape}");
    let mut report = String::new();
    diff(
        &mut report,
        "call_graph",
        items(&got, "call_graph", CALL_FIELDS, &whose),
        &want_calls,
        only_unexpected,
    );
    if !only_unexpected {
        diff(
            &mut report,
            "external_calls",
            items(&got, "external_calls", EXTERNAL_FIELDS, &whose),
            &want_external,
            false,
        );
    }
    (!report.is_empty()).then(|| format!("fixtures/semantic/{shape}:\n{report}"))
}

fn assert_shape(shape: &str) {
    if let Some(report) = check_shape(shape, false) {
        panic!("recon differs from expected.json\n{report}");
    }
}

macro_rules! shapes {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                assert_shape(stringify!($name));
            }
        )*
        /// The shapes that have a test of their own.
        const TESTED: &[&str] = &[$(stringify!($name)),*];
    };
}

shapes!(
    direct_calls,
    assignments,
    builtins,
    arguments,
    classes,
    mro_diamond,
    decorators,
    collections_of_functions,
    exceptions,
    generators,
    imports,
    kwargs,
    lambdas,
    returns,
    annotations,
    newlines,
    external,
    fastapi_depends,
    module_singleton,
    redefinitions,
    false_asyncio_run,
    false_load,
    false_re_search,
    false_list_append,
    false_atexit_register,
    false_psycopg2_connect,
    false_self_name,
    false_shared_method_name,
);

/// The false-edge shapes (a stdlib or external call, a list method, a
/// module attribute, a typed singleton, each next to a project def of the
/// same name) give no project edge but the expected ones.
#[test]
fn false_edge_shapes_give_no_project_edge() {
    let reports: Vec<String> = SHAPES
        .iter()
        .filter(|s| s.starts_with("false_"))
        .filter_map(|s| check_shape(s, true))
        .collect();
    assert!(
        reports.is_empty(),
        "edges by shared name, not by binding:\n{}",
        reports.concat()
    );
}

#[test]
fn shape_list_matches_directory() {
    let dir = workspace().join("fixtures/semantic");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    found.sort();
    let mut listed: Vec<String> = SHAPES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "SHAPES and fixtures/semantic/ differ");
    let mut tested: Vec<String> = TESTED.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(tested, listed, "every shape has its test");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    for shape in SHAPES {
        assert!(
            readme.contains(&format!("`{shape}`")),
            "README.md does not describe `{shape}`"
        );
    }
}

/// The name a `def` / `async def` on `line` of `path` defines.
fn def_name(path: &Path, line: usize) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let src = text.lines().nth(line.checked_sub(1)?)?.trim_start();
    let rest = src
        .strip_prefix("async def ")
        .or_else(|| src.strip_prefix("def "))?;
    Some(rest.split('(').next()?.trim().to_owned())
}

/// The expectations are well formed: only the compared fields, files that
/// exist, call lines that exist, and every callee's `callee_line` a `def` of
/// the callee's last name. (Holds whatever recon does.)
#[test]
fn expectations_are_consistent() {
    let mut problems = Vec::new();
    for shape in SHAPES {
        let root = shape_root(shape);
        let want = expected(shape);
        let obj = want.as_object().expect("expected.json is an object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["call_graph", "external_calls"], "{shape}");
        for (key, fields) in [
            ("call_graph", CALL_FIELDS),
            ("external_calls", EXTERNAL_FIELDS),
        ] {
            for item in obj[key].as_array().expect("an array") {
                let mut names: Vec<&str> = item
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                names.sort();
                let mut want_names = fields.to_vec();
                want_names.sort();
                if names != want_names {
                    problems.push(format!("{shape}: fields of {item}"));
                }
                let file = item["file"].as_str().unwrap();
                let line = item["line"].as_u64().unwrap() as usize;
                let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
                if line == 0 || text.lines().count() < line {
                    problems.push(format!("{shape}: no line {file}:{line}"));
                }
                if key == "call_graph" {
                    let callee = item["callee"].as_str().unwrap();
                    let at = item["callee_file"].as_str().unwrap();
                    let at_line = item["callee_line"].as_u64().unwrap() as usize;
                    let last = callee.rsplit('.').next().unwrap();
                    let name = def_name(&root.join(at), at_line);
                    if name.as_deref() != Some(last) {
                        problems.push(format!(
                            "{shape}: {at}:{at_line} defines {name:?}, not {callee}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
