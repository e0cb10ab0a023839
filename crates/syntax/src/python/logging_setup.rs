//! `logging_config` (calls) and `print_calls`, read from the module's calls.

use recon_findings::{LoggingConfig, LoggingConfigKind, PrintCall};

use super::ancestry::Ancestry;
use super::clients::Raw;
use super::imports::Imports;
use super::text::{is_test_path, text};
use super::triggers::{Registry, role};
use super::{Document, WithColumn};

/// The configuration functions' last names.
const CONFIG_FUNCTIONS: &[&str] = &["basicConfig", "dictConfig", "fileConfig"];

/// What lets a unit through: a configuration function named wherever it
/// is, or imported from `logging` under another name.
pub(super) fn triggers(registry: &mut Registry) {
    registry.names(CONFIG_FUNCTIONS.iter().copied(), role::ALWAYS);
    registry.renamed(Some("logging"), CONFIG_FUNCTIONS);
}

/// The configuration call a qualified name is.
pub fn config_kind(qualified: &str) -> Option<LoggingConfigKind> {
    Some(match qualified {
        "logging.basicConfig" => LoggingConfigKind::BasicConfig,
        "logging.config.dictConfig" => LoggingConfigKind::DictConfig,
        "logging.config.fileConfig" => LoggingConfigKind::FileConfig,
        _ => return None,
    })
}

/// Whether a file name (the last path component) is a logging
/// configuration file: `logging.conf`, `logging.ini`, `logging.yaml`,
/// `logging.yml`, `log_config.*`.
pub fn is_config_file(name: &str) -> bool {
    matches!(
        name,
        "logging.conf" | "logging.ini" | "logging.yaml" | "logging.yml"
    ) || name.starts_with("log_config.")
}

/// What one module's calls give.
#[derive(Default)]
pub(super) struct Found {
    pub logging_config: Vec<WithColumn<LoggingConfig>>,
    pub print_calls: Vec<WithColumn<PrintCall>>,
}

pub(super) fn extract<'t>(
    raws: &[Raw<'t>],
    imports: &Imports,
    ancestry: &Ancestry<'t>,
    ctx: &Document<'_>,
) -> Found {
    let mut found = Found::default();
    let test_file = is_test_path(ctx.file);
    for raw in raws {
        let Raw::Call { call, callee, .. } = raw else {
            continue;
        };
        let column = call.start_position().column;
        if callee.kind() == "identifier" && text(*callee, ctx.src) == "print" {
            found.print_calls.push((
                column,
                PrintCall {
                    file: ctx.file.to_owned(),
                    line: ctx.line(*call),
                    exempt: test_file || ancestry.place(*call).is_some_and(|p| p.in_main),
                },
            ));
        }
        if let Some(kind) = imports
            .qualified(*callee, ctx.src)
            .and_then(|q| config_kind(&q))
        {
            found.logging_config.push((
                column,
                LoggingConfig {
                    file: ctx.file.to_owned(),
                    line: ctx.line(*call),
                    kind,
                },
            ));
        }
    }
    found
}
