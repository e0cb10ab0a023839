//! `charts`: chart library imports, chart components (`.svelte` files under a
//! `charts/` directory or importing a chart library) and their uses.

use recon_findings::{Chart, ChartKind};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{string_value, text};
use super::{Document, capture, node};
use crate::collect::WithColumn;

/// What every match holds: a word of a chart library's package name (of
/// [`CHART_LIBRARIES`] and `d3-*`) or of a chart component's, or a
/// backslash (an escape in an import's string can spell any of them). A
/// `.svelte` file under `charts/` passes by its path
/// ([`super::path_findings`]).
pub(super) const LITERALS: &[&str] = &[
    "chart",
    "plot",
    "pancake",
    "unovis",
    "billboard",
    "c3",
    "d3",
    "layercake",
    "vega",
    "\\",
];

/// Chart library packages (besides every `d3-*` package).
pub const CHART_LIBRARIES: &[&str] = &[
    "@carbon/charts",
    "@carbon/charts-svelte",
    "@observablehq/plot",
    "@sveltejs/pancake",
    "@unovis/svelte",
    "@unovis/ts",
    "apexcharts",
    "billboard.js",
    "c3",
    "chart.js",
    "chartist",
    "d3",
    "echarts",
    "frappe-charts",
    "highcharts",
    "layercake",
    "layerchart",
    "lightweight-charts",
    "plotly.js",
    "plotly.js-dist",
    "plotly.js-dist-min",
    "recharts",
    "svelte-apexcharts",
    "svelte-chartjs",
    "svelte-echarts",
    "svelte-frappe-charts",
    "uplot",
    "vega",
    "vega-embed",
    "vega-lite",
];

pub(super) struct Captures {
    import: u32,
    source: u32,
    callee: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            import: capture(query, "import")?,
            source: capture(query, "import.source")?,
            callee: capture(query, "import.callee")?,
        })
    }
}

pub(super) struct Raw<'t> {
    import: Node<'t>,
    source: Node<'t>,
    callee: Option<Node<'t>>,
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Raw<'t>> {
    Some(Raw {
        import: node(m, caps.import)?,
        source: node(m, caps.source)?,
        callee: node(m, caps.callee),
    })
}

/// One module import: line, column, specifier.
pub(super) type Import = (usize, usize, String);

/// The imports of one document: `import ... from 'x'`, `export ... from
/// 'x'`, `import('x')`, `require('x')`.
pub(super) fn imports(raws: &[Raw<'_>], ctx: &Document<'_>) -> Vec<Import> {
    raws.iter()
        .filter(|raw| {
            raw.callee.is_none_or(|c| {
                c.kind() == "import" || (c.kind() == "identifier" && text(c, ctx.src) == "require")
            })
        })
        .filter_map(|raw| {
            let spec = string_value(raw.source, ctx.src)?;
            let (line, column) = ctx.at(raw.import);
            Some((line, column, spec))
        })
        .collect()
}

/// The package a module specifier names (`chart.js/auto` gives `chart.js`,
/// `@unovis/ts/x` gives `@unovis/ts`); `None` for relative and aliased paths.
pub fn package_of(spec: &str) -> Option<&str> {
    if spec.is_empty() || spec.starts_with(['.', '/', '$', '~', '#']) || spec.contains(':') {
        return None;
    }
    let mut parts = spec.splitn(3, '/');
    let first = parts.next()?;
    if first.starts_with('@') {
        let second = parts.next()?;
        Some(&spec[..first.len() + 1 + second.len()])
    } else {
        Some(first)
    }
}

/// The chart library a module specifier imports.
pub fn chart_library(spec: &str) -> Option<&str> {
    let package = package_of(spec)?;
    (CHART_LIBRARIES.contains(&package) || package.starts_with("d3-")).then_some(package)
}

/// Whether a path (`/`-separated) has a directory named `charts` or `chart`
/// (ASCII case-insensitive) before its last component.
pub(super) fn in_charts_dir(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts
        .iter()
        .any(|p| p.eq_ignore_ascii_case("charts") || p.eq_ignore_ascii_case("chart"))
}

/// A file name without its directory and last extension.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// The chart findings of one file, from its imports.
pub(super) fn extract(imports: &[Import], file: &str) -> Vec<WithColumn<Chart>> {
    let mut out = Vec::new();
    let mut first_library = None;
    for (line, column, spec) in imports {
        if let Some(library) = chart_library(spec) {
            first_library.get_or_insert_with(|| library.to_owned());
            out.push((
                *column,
                Chart {
                    file: file.to_owned(),
                    line: *line,
                    kind: ChartKind::Library,
                    name: spec.clone(),
                    library: Some(library.to_owned()),
                },
            ));
        } else if spec.ends_with(".svelte") {
            let name = stem(spec);
            if in_charts_dir(spec) || name.ends_with("Chart") || name.ends_with("Charts") {
                out.push((
                    *column,
                    Chart {
                        file: file.to_owned(),
                        line: *line,
                        kind: ChartKind::Usage,
                        name: name.to_owned(),
                        library: None,
                    },
                ));
            }
        }
    }
    if file.ends_with(".svelte") && (in_charts_dir(file) || first_library.is_some()) {
        out.push((
            0,
            Chart {
                file: file.to_owned(),
                line: 1,
                kind: ChartKind::Component,
                name: stem(file).to_owned(),
                library: first_library,
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages() {
        assert_eq!(package_of("chart.js/auto"), Some("chart.js"));
        assert_eq!(package_of("@unovis/ts/components"), Some("@unovis/ts"));
        assert_eq!(package_of("@scope"), None);
        assert_eq!(package_of("./x"), None);
        assert_eq!(package_of("$lib/charts/A.svelte"), None);
        assert_eq!(package_of("node:fs"), None);
        assert_eq!(chart_library("d3-scale"), Some("d3-scale"));
        assert_eq!(chart_library("d3"), Some("d3"));
        assert_eq!(chart_library("d3x"), None);
    }

    /// A file importing a chart library passes the prefilter.
    #[test]
    fn every_library_holds_a_literal() {
        for library in CHART_LIBRARIES.iter().chain(&["d3-scale"]) {
            assert!(
                LITERALS.iter().any(|l| library.contains(l)),
                "{library}"
            );
        }
    }

    #[test]
    fn chart_dirs() {
        assert!(in_charts_dir("src/lib/charts/A.svelte"));
        assert!(!in_charts_dir("src/lib/charts.svelte"));
        assert_eq!(stem("a/b/LatencyChart.svelte"), "LatencyChart");
    }
}
