//! OBS007: an HTTP request that can wait forever.

use tree_sitter::Node;

use crate::checker::FileCheck;
use crate::python;
use crate::rules::{Rule, Violation};

/// The request functions of `requests` and `httpx`.
const REQUEST_FUNCTIONS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "request",
];

violation! {
    /// ## What it does
    ///
    /// Flags a call without a `timeout=` keyword argument (and without a
    /// `**mapping`, which could carry one) whose callee is the dotted name
    ///
    /// - `requests.M` or `httpx.M`, `M` one of `get post put delete patch
    ///   head options request`, or `httpx.stream`;
    /// - `httpx.Client` or `httpx.AsyncClient`.
    ///
    /// Only these dotted names count, and only when the module imports the
    /// library (`import requests`, `import httpx`, or a submodule of it):
    /// a local variable named `requests` is not the library. A call
    /// through an alias (`import requests as r`), a `from requests import
    /// get`, or a method of a session or client object is not flagged. The
    /// call is reported where it starts.
    ///
    /// ## Why it matters
    ///
    /// `requests` waits forever by default: one slow upstream holds a worker
    /// (or the event loop's connection pool) until the process is restarted,
    /// and the request never shows up as an error, only as latency. `httpx`
    /// defaults to 5 seconds, which is rarely the right budget and is
    /// invisible at the call site. An explicit timeout makes the failure
    /// mode a logged, alertable error and documents the budget.
    ///
    /// ## Example
    ///
    /// ```python
    /// resp = requests.post(WEBHOOK_URL, json=payload)
    ///
    /// async with httpx.AsyncClient() as client:
    ///     ...
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// resp = requests.post(WEBHOOK_URL, json=payload, timeout=10)
    ///
    /// async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0)) as client:
    ///     ...
    /// ```
    #[rule(code = "OBS007", name = "http-request-without-timeout", summary = "requests/httpx call or client without timeout=")]
    pub struct HttpRequestWithoutTimeout {
        /// The callee's dotted name.
        pub callee: String,
    }
}

impl Violation for HttpRequestWithoutTimeout {
    const RULE: Rule = Rule::Obs007;
    fn message(&self) -> String {
        format!("`{}()` without `timeout=`", self.callee)
    }
}

/// What a module must hold for this rule to find anything (see
/// [`super::TREE_RULE_LITERALS`]): an attribute of a library it knows
/// (`requests.get`, `httpx . AsyncClient`).
pub(crate) const TRIGGER: &str = r"\b(?:requests|httpx)\s*\.";

pub(crate) fn check(node: Node<'_>, cx: &mut FileCheck<'_>) {
    let Some(function) = python::callee(node) else {
        return;
    };
    if function.kind() != "attribute" {
        return;
    }
    let Some(name) = python::dotted_name(function, cx.src) else {
        return;
    };
    let imported = |library: &str| {
        cx.facts.imports.iter().any(|m| {
            m.strip_prefix(library)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    };
    let flagged = match name.split_once('.') {
        Some(("requests", m)) => REQUEST_FUNCTIONS.contains(&m) && imported("requests"),
        Some(("httpx", m)) => {
            (REQUEST_FUNCTIONS.contains(&m) || matches!(m, "stream" | "Client" | "AsyncClient"))
                && imported("httpx")
        }
        _ => false,
    };
    if !flagged
        || python::keyword_arg(node, "timeout", cx.src).is_some()
        || python::has_dict_splat(node)
    {
        return;
    }
    cx.report(node, &HttpRequestWithoutTimeout { callee: name });
}
