//! Criterion benchmarks of the engine's parts on the bundled fixture app:
//! planning the seed mission, running it (the grep pass), the structural
//! scan (parse + queries, reported per MB of source), checking one file,
//! and rendering the deliverable. `cargo bench --bench engine`; the
//! whole-command comparison with bash + GNU grep is `benches/vs_grep.py`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use recon_report::Printer;
use recon_shell::exec::{MissionPlan, RunOptions};

const APP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/app");

fn source_bytes(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|x| x == "py" || x == "ts" || x == "svelte" || x == "sql")
            {
                total += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    total
}

fn engine(c: &mut Criterion) {
    let root = Path::new(APP);
    let Ok(mission) = recon_mission::parse("seed", recon_mission::OBSERVABILITY_PHASE2) else {
        return;
    };
    c.bench_function("mission plan (parse + check + compile 34 commands)", |b| {
        b.iter(|| black_box(MissionPlan::new(&mission, root, &RunOptions::default()).is_ok()))
    });
    c.bench_function("mission run (seed mission, fixture app)", |b| {
        b.iter(|| {
            if let Ok(plan) = MissionPlan::new(&mission, root, &RunOptions::default()) {
                black_box(plan.run());
            }
        })
    });
    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(source_bytes(root)));
    let options = recon_syntax::ScanOptions::default();
    group.bench_function("parse + queries (fixture app)", |b| {
        b.iter(|| black_box(recon_syntax::scan(root, &options).is_ok()))
    });
    group.finish();
    // One file, as pre-commit runs it: the per-file rules, and OBS010
    // reading the frontend's WebSocket messages. Queries are compiled once
    // per process, so this is the warm cost; the CLI adds their compile.
    if let Ok(config) = recon_rules::Config::discover(root, None) {
        let files = [root.join("core/main.py")];
        c.bench_function("check one file (core/main.py, warm)", |b| {
            b.iter(|| black_box(recon_rules::check(root, &files, &config).diagnostics.len()))
        });
    }
    if let Ok(findings) = recon_syntax::scan(root, &options) {
        c.bench_function("render deliverable (md)", |b| {
            b.iter(|| {
                let report = recon_report::derive(&findings);
                let doc = recon_report::Document {
                    findings: &findings,
                    report: &report,
                };
                black_box(recon_report::MarkdownPrinter::default().print(&doc).is_ok())
            })
        });
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
