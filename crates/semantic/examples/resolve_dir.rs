//! Resolve every call of a directory's Python and print the outcome of
//! each: `cargo run --release -p recon-semantic --example resolve_dir DIR
//! [unresolved|project|external|counts]`. For looking at what the model
//! does on a real tree; the scan reads the same API.

use std::path::Path;
use std::sync::Arc;

fn walk(root: &Path, dir: &Path, out: &mut Vec<(Arc<str>, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || matches!(name.as_str(), "node_modules" | "__pycache__") {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out);
        } else if name.ends_with(".py")
            && let (Ok(src), Ok(rel)) = (std::fs::read_to_string(&path), path.strip_prefix(root))
        {
            out.push((Arc::from(rel.to_string_lossy().as_ref()), src));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map_or(".", String::as_str));
    let what = args.get(2).map_or("counts", String::as_str);
    let mut files = Vec::new();
    walk(root, root, &mut files);
    let sources: std::collections::HashMap<Arc<str>, String> = files.iter().cloned().collect();
    let modules = files
        .into_iter()
        .filter_map(|(p, src)| recon_semantic::summarize_source(&src).ok().map(|m| (p, m)))
        .collect();
    let program = recon_semantic::Program::new(modules);
    eprintln!("package roots: {:?}", program.package_roots());
    let r = program.resolve();
    let line_of = |file: &str, line: usize| {
        sources
            .get(file)
            .and_then(|s| s.lines().nth(line - 1))
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    match what {
        "unresolved" => {
            for (f, l, c) in &r.unresolved {
                println!("{f}:{l}:{c}: {}", line_of(f, *l));
            }
        }
        "project" => {
            for e in &r.project {
                println!(
                    "{}:{}:{}: {} -> {} ({}:{})",
                    e.file, e.line, e.column, e.caller, e.callee, e.callee_file, e.callee_line
                );
            }
        }
        "external" => {
            for e in &r.external {
                println!(
                    "{}:{}:{}: {} -> {}",
                    e.file, e.line, e.column, e.caller, e.callee
                );
            }
        }
        _ => {}
    }
    eprintln!("{:?}", r.counts);
}
