//! API models: which external calls perform which operation (an LLM call,
//! an embedding, a vector search, a database command, an outbound HTTP
//! request, a streaming response), read from `queries/models/python.toml`
//! (compiled in). Names of the checkout's own functions play no part; what
//! a call is comes from what it calls and what its arguments hold:
//!
//! - an `operation` row names receivers and methods: a call performs the
//!   row's operation when its qualified name (`external_calls`) is a
//!   receiver, a dot and a method (and, for rows with `in_async_loop`,
//!   when it is made in an `async for` body: a WebSocket send per item of
//!   an async iterator is a streaming response);
//! - a `request` row says where an HTTP call's method and URL are; a POST
//!   whose URL the model reads, and whose every possible URL is an
//!   `endpoint` path (`/chat/completions`, `/v1/messages`, `/api/embed`...)
//!   or on a `provider`'s host, is also an LLM call or an embedding of that
//!   provider (self-hosted gateways configured by URL are common);
//! - a `sql` row says where a database command's SQL is; SQL text holding a
//!   pgvector distance operator (`<->` `<#>` `<=>` `<+>`) makes the command
//!   also a `vector_search` of `pgvector`.

use std::sync::OnceLock;

use recon_findings::{Operation, OperationKind};
use recon_semantic::{ArgumentTexts, ExternalCall, StringValue, has_vector_operator};
use rustc_hash::FxHashMap;
use serde::Deserialize;

/// The data file, as built in.
const PYTHON_MODELS: &str = include_str!("../../../queries/models/python.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    operation: Vec<Row>,
    #[serde(default)]
    request: Vec<RequestRow>,
    #[serde(default)]
    sql: Vec<SqlRow>,
    #[serde(default)]
    endpoint: Vec<EndpointRow>,
    #[serde(default)]
    provider: Vec<ProviderRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    kind: OperationKind,
    system: String,
    receivers: Vec<String>,
    methods: Vec<String>,
    /// Only calls made in the body of an `async for`.
    #[serde(default)]
    in_async_loop: bool,
}

/// Where an HTTP call (an `http` operation) says its method and URL.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestRow {
    /// The callee's last segment (`post`, `request`).
    methods: Vec<String>,
    /// The HTTP method the call makes (`post(url)`).
    #[serde(default)]
    http_method: Option<String>,
    /// The positional index of the HTTP method (keyword `method`).
    #[serde(default)]
    method_argument: Option<usize>,
    /// The positional index of the URL (keyword `url`).
    url_argument: usize,
}

/// Where a database command (a `database` operation) takes its SQL.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SqlRow {
    methods: Vec<String>,
    /// The positional index of the SQL text.
    sql_argument: usize,
    /// Its keyword names.
    keywords: Vec<String>,
}

/// URL paths that serve one kind of model request on any host.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointRow {
    kind: OperationKind,
    /// The API's provider when the host is not a known one.
    system: String,
    paths: Vec<String>,
}

/// A model provider's API hosts (`.example.com`: any host under it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderRow {
    system: String,
    hosts: Vec<String>,
}

/// How an HTTP call's method and URL are passed.
#[derive(Debug)]
struct Request {
    http_method: Option<String>,
    method_argument: Option<usize>,
    url_argument: usize,
}

/// The API models, indexed.
#[derive(Debug, Default)]
pub struct ApiModels {
    /// By callee: the operations, and whether only in an `async for`.
    by_callee: FxHashMap<String, Vec<(OperationKind, String, bool)>>,
    /// By an HTTP callee's last segment.
    requests: FxHashMap<String, Request>,
    /// By a database callee's last segment: the SQL's position and
    /// keywords.
    sql: FxHashMap<String, (usize, Vec<String>)>,
    endpoints: Vec<(String, OperationKind, String)>,
    providers: Vec<(String, String)>,
}

impl ApiModels {
    /// Read a models file (the format of `queries/models/python.toml`).
    pub fn parse(text: &str) -> Result<ApiModels, String> {
        let file: ModelFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut models = ApiModels::default();
        for row in file.operation {
            for receiver in &row.receivers {
                for method in &row.methods {
                    let ops = models
                        .by_callee
                        .entry(format!("{receiver}.{method}"))
                        .or_default();
                    let op = (row.kind, row.system.clone(), row.in_async_loop);
                    if !ops.contains(&op) {
                        ops.push(op);
                    }
                }
            }
        }
        for row in file.request {
            if row.http_method.is_some() == row.method_argument.is_some() {
                return Err(format!(
                    "request row for {:?}: give exactly one of http_method and method_argument",
                    row.methods
                ));
            }
            for method in row.methods {
                models.requests.insert(
                    method,
                    Request {
                        http_method: row.http_method.clone(),
                        method_argument: row.method_argument,
                        url_argument: row.url_argument,
                    },
                );
            }
        }
        for row in file.sql {
            for method in row.methods {
                models
                    .sql
                    .insert(method, (row.sql_argument, row.keywords.clone()));
            }
        }
        for row in file.endpoint {
            for path in row.paths {
                models.endpoints.push((path, row.kind, row.system.clone()));
            }
        }
        // Longest path first: `/api/embeddings` before `/embeddings`.
        models
            .endpoints
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        for row in file.provider {
            for host in row.hosts {
                models.providers.push((host, row.system.clone()));
            }
        }
        Ok(models)
    }

    /// The built-in Python models. The file is part of the binary and a
    /// test parses it, so it cannot fail here; if it ever did, no call
    /// would be said to perform anything.
    pub fn python() -> &'static ApiModels {
        static MODELS: OnceLock<ApiModels> = OnceLock::new();
        MODELS.get_or_init(|| ApiModels::parse(PYTHON_MODELS).unwrap_or_default())
    }

    /// The operations of each external call, in the calls' order.
    pub fn operations(&self, calls: &[ExternalCall]) -> Vec<Operation> {
        let mut out = Vec::new();
        for call in calls {
            let method = call.callee.rsplit('.').next().unwrap_or(&call.callee);
            for (kind, system, only_in_loop) in
                self.by_callee.get(&*call.callee).into_iter().flatten()
            {
                if *only_in_loop && !call.in_async_loop {
                    continue;
                }
                let operation = |kind: OperationKind, system: &str, urls: Vec<String>| Operation {
                    file: call.file.clone(),
                    line: call.line,
                    column: call.column,
                    caller: call.caller.clone(),
                    kind,
                    system: system.to_owned(),
                    callee: call.callee.clone(),
                    urls,
                };
                match kind {
                    OperationKind::Http => {
                        let request = self.requests.get(method);
                        let urls = request
                            .map(|r| argument(&call.arguments, r.url_argument, &["url"]).to_vec())
                            .unwrap_or_default();
                        let texts: Vec<String> = urls.iter().map(|u| u.text.clone()).collect();
                        out.push(operation(*kind, system, texts.clone()));
                        if request.is_some_and(|r| is_post(r, &call.arguments))
                            && let Some((kind, system)) = self.model_endpoint(&urls)
                        {
                            out.push(operation(kind, &system, texts));
                        }
                    }
                    OperationKind::Database => {
                        out.push(operation(*kind, system, Vec::new()));
                        let searches = self.sql.get(method).is_some_and(|(at, keywords)| {
                            let keywords: Vec<&str> = keywords.iter().map(|k| &**k).collect();
                            argument(&call.arguments, *at, &keywords)
                                .iter()
                                .any(|sql| has_vector_operator(&sql.text))
                        });
                        if searches {
                            out.push(operation(
                                OperationKind::VectorSearch,
                                "pgvector",
                                Vec::new(),
                            ));
                        }
                    }
                    _ => out.push(operation(*kind, system, Vec::new())),
                }
            }
        }
        out
    }

    /// The model request every one of `urls` makes, and the providers (in
    /// the URLs' order, joined by `, `); `None` when there is no URL or
    /// one of them is not a model endpoint, or they differ in kind.
    fn model_endpoint(&self, urls: &[StringValue]) -> Option<(OperationKind, String)> {
        let mut kind = None;
        let mut systems: Vec<String> = Vec::new();
        for url in urls {
            let (k, system) = self.classify(&url.text)?;
            if kind.is_some_and(|known| known != k) {
                return None;
            }
            kind = Some(k);
            if !systems.contains(&system) {
                systems.push(system);
            }
        }
        Some((kind?, systems.join(", ")))
    }

    /// What a POST to `url` is: by its path on any host, else by a
    /// provider's host (an embedding when the path says `embed`).
    fn classify(&self, url: &str) -> Option<(OperationKind, String)> {
        let (host, path) = split_url(url);
        let provider = host.and_then(|h| {
            self.providers
                .iter()
                .find(|(known, _)| match known.strip_prefix('.') {
                    Some(domain) => h.ends_with(&format!(".{domain}")),
                    None => h == known,
                })
                .map(|(_, system)| system.clone())
        });
        let endpoint = self
            .endpoints
            .iter()
            .find(|(p, _, _)| path.ends_with(p.as_str()));
        match (endpoint, provider) {
            (Some((_, kind, system)), provider) => {
                Some((*kind, provider.unwrap_or_else(|| system.clone())))
            }
            (None, Some(provider)) => Some((
                if path.contains("embed") {
                    OperationKind::Embedding
                } else {
                    OperationKind::LlmCall
                },
                provider,
            )),
            (None, None) => None,
        }
    }
}

/// The texts of the argument at positional `index` or passed by one of
/// `keywords`.
fn argument<'a>(
    arguments: &'a [ArgumentTexts],
    index: usize,
    keywords: &[&str],
) -> &'a [StringValue] {
    arguments
        .iter()
        .filter(|a| a.keyword.is_none())
        .nth(index)
        .or_else(|| {
            arguments
                .iter()
                .find(|a| a.keyword.as_deref().is_some_and(|k| keywords.contains(&k)))
        })
        .map_or(&[], |a| &a.texts)
}

/// Whether the call makes a POST: by its method, or an HTTP method
/// argument whose every text is `POST`.
fn is_post(request: &Request, arguments: &[ArgumentTexts]) -> bool {
    if let Some(method) = &request.http_method {
        return method.eq_ignore_ascii_case("POST");
    }
    let Some(at) = request.method_argument else {
        return false;
    };
    let texts = argument(arguments, at, &["method"]);
    !texts.is_empty()
        && texts
            .iter()
            .all(|t| t.exact && t.text.eq_ignore_ascii_case("POST"))
}

/// A URL's host (when written: `https://host[:port]/...`) and its path
/// (query and fragment removed, no trailing `/`); a URL without a written
/// host is all path.
fn split_url(url: &str) -> (Option<&str>, &str) {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let (host, path) = match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(rest) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            let host = host.split(':').next().unwrap_or(host);
            ((!host.contains('{')).then_some(host), path)
        }
        None => (None, url),
    };
    (host, path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_built_in_models_parse() {
        let models = ApiModels::parse(PYTHON_MODELS).expect("queries/models/python.toml");
        assert!(models.by_callee.len() > 100);
        let llm = &models.by_callee["openai.AsyncOpenAI.chat.completions.create"];
        assert_eq!(llm, &[(OperationKind::LlmCall, "openai".to_owned(), false)]);
    }

    #[test]
    fn a_bad_row_is_an_error_naming_the_field() {
        let err = ApiModels::parse(
            "[[operation]]\nkind = \"teleport\"\nsystem = \"x\"\nreceivers = []\nmethods = []\n",
        )
        .unwrap_err();
        assert!(err.contains("teleport"), "{err}");
    }

    #[test]
    fn urls_split_into_host_and_path() {
        assert_eq!(
            split_url("https://user@api.x.ai:443/v1/chat/completions/?stream=1"),
            (Some("api.x.ai"), "/v1/chat/completions")
        );
        assert_eq!(
            split_url("{base}/chat/completions"),
            (None, "{base}/chat/completions")
        );
        assert_eq!(split_url("http://{host}/api/chat"), (None, "/api/chat"));
    }

    /// Each URL shape the issue names, classified by hand.
    #[test]
    fn model_endpoints_by_path_then_host() {
        let models = ApiModels::python();
        let c = |url: &str| models.classify(url);
        use OperationKind::{Embedding, LlmCall};
        assert_eq!(
            c("https://api.openai.com/v1/chat/completions"),
            Some((LlmCall, "openai".into()))
        );
        assert_eq!(
            c("https://api.x.ai/v1/chat/completions"),
            Some((LlmCall, "x_ai".into()))
        );
        assert_eq!(
            c("https://api.anthropic.com/v1/messages"),
            Some((LlmCall, "anthropic".into()))
        );
        assert_eq!(
            c("https://api.deepinfra.com/v1/openai/embeddings"),
            Some((Embedding, "deepinfra".into()))
        );
        // A self-hosted gateway: the OpenAI-compatible path on any host.
        assert_eq!(
            c("{…}/v1/chat/completions"),
            Some((LlmCall, "openai".into()))
        );
        assert_eq!(
            c("http://localhost:11434/api/embed"),
            Some((Embedding, "ollama".into()))
        );
        assert_eq!(
            c("http://localhost:11434/api/generate"),
            Some((LlmCall, "ollama".into()))
        );
        // Azure OpenAI: any host under openai.azure.com.
        assert_eq!(
            c("https://acme.openai.azure.com/openai/deployments/gpt/chat/completions"),
            Some((LlmCall, "azure.ai.openai".into()))
        );
        // Not a model endpoint: a webhook, an unknown host's other path.
        assert_eq!(c("https://hooks.slack.com/services/T000"), None);
        assert_eq!(c("{…}/v1/users"), None);
    }
}
