//! API models: which external calls perform which operation (an LLM call,
//! an embedding, a vector search, a database command, an outbound HTTP
//! request, a streaming response), read from `queries/models/python.toml`
//! (compiled in). A row names receivers and methods; a call performs the
//! row's operation when its qualified name (`external_calls`) is a receiver,
//! a dot and a method. Names of the checkout's own functions play no part.

use std::sync::OnceLock;

use recon_findings::{ExternalCall, Operation, OperationKind};
use rustc_hash::FxHashMap;
use serde::Deserialize;

/// The data file, as built in.
const PYTHON_MODELS: &str = include_str!("../../../queries/models/python.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    operation: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    kind: OperationKind,
    system: String,
    receivers: Vec<String>,
    methods: Vec<String>,
}

/// The operations each external qualified name performs.
#[derive(Debug, Default)]
pub struct ApiModels {
    by_callee: FxHashMap<String, Vec<(OperationKind, String)>>,
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
                    if !ops.iter().any(|(k, s)| *k == row.kind && *s == row.system) {
                        ops.push((row.kind, row.system.clone()));
                    }
                }
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
            for (kind, system) in self.by_callee.get(&*call.callee).into_iter().flatten() {
                out.push(Operation {
                    file: call.file.clone(),
                    line: call.line,
                    column: call.column,
                    caller: call.caller.clone(),
                    kind: *kind,
                    system: system.clone(),
                    callee: call.callee.clone(),
                });
            }
        }
        out
    }
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
        assert_eq!(llm, &[(OperationKind::LlmCall, "openai".to_owned())]);
    }

    #[test]
    fn a_bad_row_is_an_error_naming_the_field() {
        let err = ApiModels::parse(
            "[[operation]]\nkind = \"teleport\"\nsystem = \"x\"\nreceivers = []\nmethods = []\n",
        )
        .unwrap_err();
        assert!(err.contains("teleport"), "{err}");
    }
}
