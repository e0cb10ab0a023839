//! How long the report takes on a real checkout's findings, apart from the
//! scan: `recon scan DIR --format json > f.json`, then
//! `cargo run --release -p recon-report --example report_time -- f.json [RUNS]`.
//! Prints the median of derive + Markdown rendering over RUNS (default 7).

use std::time::Instant;

use recon_report::{Document, MarkdownPrinter, Printer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: report_time FINDINGS.json [RUNS]")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(7);
    let findings: recon_findings::Findings =
        serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let report = recon_report::derive(&findings);
        let md = MarkdownPrinter::default().print(&Document {
            findings: &findings,
            report: &report,
        })?;
        std::hint::black_box(md);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "derive + markdown: median {:.1} ms over {runs} runs (min {:.1}, max {:.1})",
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
    Ok(())
}
