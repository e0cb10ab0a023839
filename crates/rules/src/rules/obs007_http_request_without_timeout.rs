//! OBS007: an HTTP request that can wait forever.

use recon_findings::ExternalCall;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags a call that the semantic model resolves to a request function
    /// of `requests` or `httpx` and that passes no `timeout=` keyword (nor
    /// a `**mapping`, which could carry one): each item of the scan's
    /// `external_calls` whose qualified name is
    ///
    /// - `requests.M` or `requests.Session.M`, `M` one of `get post put
    ///   delete patch head options request`;
    /// - `httpx.M` or `httpx.stream`;
    /// - `httpx.Client` or `httpx.AsyncClient` (a client's requests
    ///   inherit its timeout, so its methods are not flagged).
    ///
    /// The name is what the code shows the call reaches, not how it is
    /// spelled: `import requests as r; r.get(url)` and `from requests import
    /// get` are flagged; a parameter or local variable named `requests` is
    /// not the library and is not. The report's `http-request-without-timeout`
    /// gap lists the same calls. The call is reported at the called name
    /// (`get` in `requests.get(...)`).
    ///
    /// `recon check` builds the model over the checked files whose imports
    /// name `requests` or `httpx` (and over modules named like the
    /// libraries): a call in a file that reaches the library only through
    /// another module's function or object, never naming it in an import,
    /// is left to `recon scan`.
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
        /// The callee's qualified name.
        pub callee: String,
    }
}

impl Violation for HttpRequestWithoutTimeout {
    const RULE: Rule = Rule::Obs007;
    fn message(&self) -> String {
        format!("`{}()` without `timeout=`", self.callee)
    }
}

/// The names [`TRIGGER`] needs, searched first.
pub(crate) const NAMES: &[&str] = &["requests", "httpx"];

/// What a module must hold for this rule to find anything in it (the
/// semantic model is built over the modules that do): an import statement
/// at the start of a line naming `requests` or `httpx` (a re-export by
/// another module included: `from .compat import requests`), on its
/// first line or, parenthesized, on the lines after.
pub(crate) const TRIGGER: &str = r"(?m)^[ \t]*(?:from|import)[ \t][^\n]*(?-u:\b)(?:requests|httpx)(?-u:\b)|^[ \t]*from[ \t][^\n]*(?-u:\b)import[ \t]*\([^)]*(?-u:\b)(?:requests|httpx)(?-u:\b)";

/// The calls of one file that wait without a timeout.
pub(crate) fn check(calls: &[(recon_findings::Position, &ExternalCall)], out: &mut Report<'_>) {
    for (at, call) in calls.iter().filter(|(_, c)| c.waits_without_timeout()) {
        let callee = call.callee.to_string();
        out.add(*at, &HttpRequestWithoutTimeout { callee });
    }
}
