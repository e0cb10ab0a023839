//! From [`Findings`] to [`Report`]: every rule of the crate documentation
//! lives in this module and its children, one per skeleton section.

mod alerts;
mod architecture;
mod database;
mod frontend;
mod graph;
mod install;
mod lifecycle;
mod logging;
mod priority;
mod stages;
mod trace;

use std::collections::BTreeMap;

use recon_findings::Findings;

use crate::model::{Count, FileNote, Gap, GapInstance, Loc, Report};

/// Split `items` by where they are for the served app: those it runs (or
/// all, when the checkout has no application) first, then those in its
/// modules that no entry point reaches, each group in the given order;
/// and apart, those outside it (CLIs, scripts, `__main__` blocks). A
/// derived section picks its examples from the first list only.
pub(crate) fn by_served_app<T>(
    input: &Input,
    items: impl IntoIterator<Item = T>,
    place_of: impl Fn(&T) -> (&str, usize),
) -> (Vec<T>, Vec<T>) {
    use recon_findings::Place;
    let mut ranked: Vec<(u8, T)> = Vec::new();
    let mut outside = Vec::new();
    for item in items {
        let (file, line) = place_of(&item);
        match input.f.served_app.place(file, line) {
            Place::Served | Place::Unknown => ranked.push((0, item)),
            Place::NotReached => ranked.push((1, item)),
            Place::Outside => outside.push(item),
        }
    }
    ranked.sort_by_key(|(rank, _)| *rank);
    (ranked.into_iter().map(|(_, item)| item).collect(), outside)
}

/// How many instances of a gap the Markdown shows.
pub const EXAMPLES: usize = 3;

/// Everything the section derivations read: the typed findings and what is
/// computed from them once for several sections.
pub(crate) struct Input<'a> {
    pub f: &'a Findings,
    /// The call graph, read by the stages and the lifecycle.
    pub graph: graph::Graph<'a>,
    /// Each function's span-boundary stage, from its operations.
    pub boundaries: rustc_hash::FxHashMap<(&'a str, &'a str), &'static str>,
}

/// Compute the report. Pure: same findings, same report.
pub fn derive(findings: &Findings) -> Report {
    let input = Input {
        f: findings,
        graph: graph::Graph::build(findings),
        boundaries: stages::boundary_stages(findings),
    };
    let stages = stages::derive(&input);
    let lifecycle = lifecycle::derive(&input, &stages);
    let logging = logging::derive(&input);
    let trace = trace::derive(&input, &stages);
    let alerts = alerts::derive(&input);
    let database = database::derive(&input, &stages);
    let frontend = frontend::derive(&input, &stages);
    let architecture =
        architecture::derive(&input, &lifecycle, &logging, &trace, &alerts, &database);
    let priority = priority::derive(&logging, &trace, &alerts, &database, &frontend);
    Report {
        root: findings.root.clone().unwrap_or_else(|| ".".to_owned()),
        files_scanned: findings.files_scanned,
        scan_errors: findings
            .errors
            .iter()
            .map(|e| FileNote {
                file: e.file.clone(),
                reason: e.reason.clone(),
            })
            .collect(),
        lifecycle,
        logging,
        trace,
        alerts,
        database,
        frontend,
        architecture,
        priority,
    }
}

/// What each category is searched for: the text of every "none found
/// (searched: ...)", declared with the category in `recon-findings`.
pub(crate) fn searched(category: &str) -> &'static str {
    recon_findings::searched(category).unwrap_or("the findings")
}

/// `none found (searched: ...)`: what the scan looked for in `category`.
pub(crate) fn none_found(category: &str) -> String {
    format!("none found (searched: {})", searched(category))
}

/// The name of a findings enum value as the findings JSON spells it
/// (`webhook_url`, `env_file`): the word the report prints for a kind.
pub(crate) fn kind_name(kind: impl serde::Serialize) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// `text` unless it is empty: an empty name or library counts as none, so
/// the report prints its fallback word (the kind, `connection`, ...) rather
/// than empty backticks.
pub(crate) fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// Markdown inline code for any text.
pub(crate) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// `` `file:line` ``.
pub(crate) fn at(loc: &Loc) -> String {
    format!("`{loc}`")
}

/// Test code: see [`recon_findings::vocabulary::is_test_path`].
pub(crate) use recon_findings::vocabulary::is_test_path as is_test_file;

/// Count `(name, loc)` pairs by name: most frequent first, ties by first
/// location.
pub(crate) fn count_by<I>(items: I) -> Vec<Count>
where
    I: IntoIterator<Item = (String, Loc)>,
{
    let mut map: BTreeMap<String, (usize, Loc)> = BTreeMap::new();
    for (name, loc) in items {
        map.entry(name)
            .and_modify(|(n, first)| {
                *n += 1;
                if loc < *first {
                    *first = loc.clone();
                }
            })
            .or_insert((1, loc));
    }
    let mut out: Vec<Count> = map
        .into_iter()
        .map(|(name, (count, first))| Count { name, count, first })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    out
}

/// A gap from its instances (`checked` true).
pub(crate) fn gap(id: &str, title: &str, searched: &str, mut instances: Vec<GapInstance>) -> Gap {
    instances.sort_by(|a, b| a.at.cmp(&b.at));
    let mut files: Vec<&str> = instances.iter().map(|i| i.at.file.as_str()).collect();
    files.dedup();
    Gap {
        id: id.to_owned(),
        title: title.to_owned(),
        checked: true,
        not_checked: None,
        searched: searched.to_owned(),
        detail: None,
        count: instances.len(),
        files: files.len(),
        examples: instances.iter().take(EXAMPLES).cloned().collect(),
        instances,
    }
}

/// A gap the findings do not allow checking.
pub(crate) fn unchecked_gap(id: &str, title: &str, searched: &str, why: &str) -> Gap {
    Gap {
        id: id.to_owned(),
        title: title.to_owned(),
        checked: false,
        not_checked: Some(why.to_owned()),
        searched: searched.to_owned(),
        detail: None,
        count: 0,
        files: 0,
        instances: Vec::new(),
        examples: Vec::new(),
    }
}

/// `n thing` / `n things`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
