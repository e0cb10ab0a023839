//! `tracing_setup`, read from the module's calls (the `calls` topic)
//! through its imports.

use recon_findings::{TracingSetup, TracingSetupKind};
use tree_sitter::Node;

use super::clients::Raw;
use super::imports::Imports;
use super::text::text;
use super::triggers::Registry;
use super::{Document, WithColumn};

/// The functions and classes of the rule, by qualified name.
const CALLS: &[(&str, TracingSetupKind)] = &[
    (
        "opentelemetry.trace.set_tracer_provider",
        TracingSetupKind::SetTracerProvider,
    ),
    (
        "opentelemetry.trace.get_tracer",
        TracingSetupKind::GetTracer,
    ),
    (
        "opentelemetry.sdk.trace.TracerProvider",
        TracingSetupKind::TracerProvider,
    ),
];

/// The methods of an instrumentor that instrument.
const INSTRUMENT_METHODS: &[&str] = &["instrument", "instrument_app"];

/// The module every call of the rule is under.
const ROOT: &str = "opentelemetry";

/// What lets a unit through to the rule: the module every call of the rule
/// is under, read through the imports.
pub(super) fn triggers(registry: &mut Registry) {
    registry.imported_roots([ROOT]);
}

pub(super) fn extract(
    raws: &[Raw<'_>],
    imports: &Imports,
    ctx: &Document<'_>,
) -> Vec<WithColumn<TracingSetup>> {
    let mut found = Vec::new();
    for raw in raws {
        let Raw::Call { call, callee, .. } = raw else {
            continue;
        };
        let Some((kind, name)) = setup_call(*callee, imports, ctx.src) else {
            continue;
        };
        found.push((
            call.start_position().column,
            TracingSetup {
                file: ctx.file.to_owned(),
                line: ctx.line(*call),
                kind,
                call: name,
            },
        ));
    }
    found
}

/// The kind and qualified name of a callee the rule names.
fn setup_call(
    callee: Node<'_>,
    imports: &Imports,
    src: &str,
) -> Option<(TracingSetupKind, String)> {
    if let Some(qualified) = imports.imported(callee, src)
        && let Some((_, kind)) = CALLS.iter().find(|(name, _)| *name == qualified)
    {
        return Some((*kind, qualified));
    }
    // `C.instrument(...)` or `C(...).instrument(...)`, `C` an instrumentor.
    if callee.kind() != "attribute" {
        return None;
    }
    let method = text(callee.child_by_field_name("attribute")?, src);
    if !INSTRUMENT_METHODS.contains(&method) {
        return None;
    }
    let mut owner = callee.child_by_field_name("object")?;
    if owner.kind() == "call" {
        owner = owner.child_by_field_name("function")?;
    }
    let class = imports.imported(owner, src)?;
    let under_root = class
        .strip_prefix(ROOT)
        .is_some_and(|rest| rest.starts_with('.'));
    let last = class.rsplit('.').next().unwrap_or("");
    (under_root && last.ends_with("Instrumentor"))
        .then(|| (TracingSetupKind::Instrument, format!("{class}.{method}")))
}

#[cfg(test)]
mod tests {
    /// The triggers know every module the rule reads.
    #[test]
    fn every_call_is_under_the_trigger_root() {
        for (name, _) in super::CALLS {
            assert_eq!(name.split('.').next(), Some(super::ROOT), "{name}");
        }
    }
}
