//! What to install: the OpenTelemetry instrumentation packages that cover
//! the libraries the checkout declares or calls
//! (`queries/models/instrumentation.toml`), the operations none of them
//! covers (each needs a manual span), and the semantic-convention
//! attributes each span of the skeleton carries.

use std::sync::OnceLock;

use recon_findings::{Operation, OperationKind, Place};
use rustc_hash::FxHashSet;
use serde::Deserialize;

use super::stages::stage_of_operation;
use super::{Input, code, is_test_file};
use crate::model::{Evidence, Loc};

/// The data file, as built in.
const INSTRUMENTATION: &str = include_str!("../../../../queries/models/instrumentation.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentationFile {
    instrumentation: Vec<Instrumentation>,
}

/// One instrumentation package.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrumentation {
    package: String,
    distributions: Vec<String>,
    modules: Vec<String>,
    covers: Vec<String>,
}

impl Instrumentation {
    fn instruments(&self, callee: &str) -> bool {
        self.modules.iter().any(|m| {
            callee
                .strip_prefix(m.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

/// The built-in rows. A test parses the file, so it cannot fail here; if
/// it ever did, nothing would be recommended.
fn rows() -> &'static [Instrumentation] {
    static ROWS: OnceLock<Vec<Instrumentation>> = OnceLock::new();
    ROWS.get_or_init(|| {
        toml::from_str::<InstrumentationFile>(INSTRUMENTATION)
            .map(|f| f.instrumentation)
            .unwrap_or_default()
    })
}

/// The packages to install, each with what calls for it: the first
/// dependency file line declaring one of its distributions, else the first
/// call into one of its modules (tests left out). In the data file's
/// order.
pub fn packages(input: &Input) -> Vec<(&'static Instrumentation, Evidence)> {
    let f = input.f;
    rows()
        .iter()
        .filter_map(|row| {
            let declared = f
                .dependencies
                .iter()
                .find(|d| row.distributions.contains(&d.name))
                .map(|d| Evidence {
                    at: Loc::new(&d.file, d.line),
                    what: format!("{} (`{}` declared)", code(&row.package), d.name),
                });
            let called = || {
                f.external_calls
                    .iter()
                    .find(|c| !is_test_file(&c.file) && row.instruments(&c.callee))
                    .map(|c| Evidence {
                        at: Loc::new(&c.file, c.line),
                        what: format!("{} ({} called)", code(&row.package), code(&c.callee)),
                    })
            };
            Some((row, declared.or_else(called)?))
        })
        .collect()
}

/// The operations of the skeleton's stages in the served app (or the
/// whole checkout, when it has none) that no recommended package covers:
/// one per (function, stage), with why.
pub fn manual_spans(
    input: &Input,
    installed: &[(&'static Instrumentation, Evidence)],
) -> Vec<Evidence> {
    let mut seen: FxHashSet<(&str, &str, &str)> = FxHashSet::default();
    let mut out = Vec::new();
    for op in &input.f.operations {
        let Some(stage) = stage_of_operation(op.kind) else {
            continue;
        };
        if is_test_file(&op.file)
            || input.f.served_app.place(&op.file, op.line) == Place::Outside
            || !seen.insert((&op.caller, &op.file, stage))
        {
            continue;
        }
        let by = installed
            .iter()
            .map(|(row, _)| row)
            .find(|row| row.instruments(&op.callee));
        let covered = by.is_some_and(|row| row.covers.iter().any(|c| c == stage));
        if covered {
            continue;
        }
        let why = match by {
            Some(row) => format!(
                "{} traces {} as {} only",
                code(&row.package),
                code(&op.callee),
                row.covers.join(" / ")
            ),
            None => format!("no instrumentation package covers {}", code(&op.callee)),
        };
        out.push(Evidence {
            at: Loc::new(&op.file, op.line),
            what: format!(
                "span `{stage}` in {}: {why}",
                if &*op.caller == "<module>" {
                    "module-level code".to_owned()
                } else {
                    code(&op.caller)
                }
            ),
        });
    }
    out
}

/// The OpenTelemetry semantic-convention attributes a stage's span
/// carries, with the values the findings give (the providers of its
/// operations).
pub fn span_attributes(input: &Input, stage: &str) -> String {
    let providers = || {
        let mut out: Vec<&str> = Vec::new();
        for op in input
            .f
            .operations
            .iter()
            .filter(|o| stage_of_operation(o.kind) == Some(stage) && !is_test_file(&o.file))
        {
            for system in op.system.split(", ") {
                if !out.contains(&system) {
                    out.push(system);
                }
            }
        }
        match out.len() {
            0 => "`gen_ai.provider.name`".to_owned(),
            _ => format!("`gen_ai.provider.name` ({})", out.join(", ")),
        }
    };
    match stage {
        "http" => "`http.request.method`, `http.route` (the full path), `http.response.status_code`"
            .to_owned(),
        "websocket" => {
            "`http.route` (the endpoint's full path); no convention covers messages: the message type as an attribute of your own".to_owned()
        }
        "embedding" => format!(
            "`gen_ai.operation.name` = `embeddings`, {}, `gen_ai.request.model`, `gen_ai.usage.input_tokens`",
            providers()
        ),
        "vector_search" => {
            let systems: Vec<&str> = input
                .f
                .operations
                .iter()
                .filter(|o| o.kind == OperationKind::Database && searches(input, o))
                .map(|o| o.system.as_str())
                .collect();
            match systems.first() {
                Some(system) => format!(
                    "`db.system.name` = `{system}`, `db.operation.name`, `db.collection.name`"
                ),
                None => "`db.system.name`, `db.operation.name`, `db.collection.name`".to_owned(),
            }
        }
        "llm_call" => format!(
            "`gen_ai.operation.name` = `chat`, {}, `gen_ai.request.model`, `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`",
            providers()
        ),
        _ => "no convention covers a response streamed to the client: time to first chunk and chunks sent as attributes or events of your own".to_owned(),
    }
}

/// Whether a database operation is also a vector search (the same call).
fn searches(input: &Input, db: &Operation) -> bool {
    input.f.operations.iter().any(|o| {
        o.kind == OperationKind::VectorSearch
            && o.file == db.file
            && o.line == db.line
            && o.column == db.column
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    #[test]
    fn the_built_in_rows_parse() {
        let file: InstrumentationFile =
            toml::from_str(INSTRUMENTATION).expect("queries/models/instrumentation.toml");
        assert!(file.instrumentation.len() >= 10);
        let openai = file
            .instrumentation
            .iter()
            .find(|r| r.package == "opentelemetry-instrumentation-openai-v2")
            .expect("openai row");
        assert!(openai.instruments("openai.AsyncOpenAI.chat.completions.create"));
        assert!(!openai.instruments("openai_compat.post"));
    }
}
