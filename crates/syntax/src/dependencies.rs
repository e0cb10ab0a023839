//! `dependencies`: the Python distributions a checkout declares in
//! `requirements*.txt` files and `pyproject.toml` (`[project]
//! dependencies` and `optional-dependencies`, Poetry's
//! `[tool.poetry.dependencies]` and groups).

use recon_findings::DeclaredDependency;

/// Whether a file (by name) declares dependencies.
pub fn is_dependency_file(name: &str) -> bool {
    name == "pyproject.toml" || (name.starts_with("requirements") && name.ends_with(".txt"))
}

/// The dependencies `text` (the file `rel`) declares, in file order.
pub fn read(rel: &str, text: &str) -> Vec<DeclaredDependency> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "pyproject.toml" {
        pyproject(rel, text)
    } else {
        requirements(rel, text)
    }
}

/// A requirement's distribution name, normalized as pip compares them
/// (PEP 503: lower case, runs of `-`, `_`, `.` as one `-`).
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The name at the start of a PEP 508 requirement (`uvicorn[standard]>=0.30`
/// gives `uvicorn`).
fn requirement_name(spec: &str) -> Option<String> {
    let spec = spec.trim();
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    (end > 0).then(|| normalize(&spec[..end]))
}

fn requirements(rel: &str, text: &str) -> Vec<DeclaredDependency> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.split(" #").next().unwrap_or(line).trim();
            // Options (`-r other.txt`, `-e .`, `--hash`), comments, URLs.
            if line.is_empty() || line.starts_with(['#', '-']) || line.contains("://") {
                return None;
            }
            Some(DeclaredDependency {
                file: rel.to_owned(),
                line: i + 1,
                name: requirement_name(line)?,
            })
        })
        .collect()
}

fn pyproject(rel: &str, text: &str) -> Vec<DeclaredDependency> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut specs: Vec<String> = Vec::new();
    let table = |v: Option<&toml::Value>| v.and_then(toml::Value::as_table).cloned();
    if let Some(project) = table(doc.get("project")) {
        if let Some(deps) = project.get("dependencies").and_then(toml::Value::as_array) {
            specs.extend(deps.iter().filter_map(|d| d.as_str().map(str::to_owned)));
        }
        if let Some(extras) = table(project.get("optional-dependencies")) {
            for deps in extras.values().filter_map(toml::Value::as_array) {
                specs.extend(deps.iter().filter_map(|d| d.as_str().map(str::to_owned)));
            }
        }
    }
    let poetry = table(doc.get("tool")).and_then(|t| table(t.get("poetry")));
    if let Some(poetry) = poetry {
        let mut tables: Vec<toml::Table> = table(poetry.get("dependencies")).into_iter().collect();
        if let Some(groups) = table(poetry.get("group")) {
            tables.extend(groups.values().filter_map(|g| table(g.get("dependencies"))));
        }
        for t in tables {
            specs.extend(t.keys().filter(|k| *k != "python").cloned());
        }
    }
    specs
        .iter()
        .filter_map(|spec| {
            let name = requirement_name(spec)?;
            // The line where the name is first written (quoted or a key).
            let written = spec.trim();
            let written = &written[..written
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(written.len())];
            let line = text
                .lines()
                .position(|l| {
                    let l = l.trim_start();
                    l.starts_with(&format!("\"{written}"))
                        || l.starts_with(&format!("'{written}"))
                        || l.starts_with(&format!("{written} "))
                        || l.starts_with(&format!("{written}="))
                        || l.contains(&format!("\"{written}"))
                })
                .map_or(1, |i| i + 1);
            Some(DeclaredDependency {
                file: rel.to_owned(),
                line,
                name,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(deps: &[DeclaredDependency]) -> Vec<(usize, &str)> {
        deps.iter().map(|d| (d.line, d.name.as_str())).collect()
    }

    #[test]
    fn requirements_lines() {
        let text = "# web\nfastapi==0.111.0\nuvicorn[standard]==0.30.1  # server\n-r dev.txt\n\npsycopg2_binary>=2.9 ; python_version > '3.8'\ngit+https://x/y.git\nOpenAI\n";
        assert_eq!(
            names(&read("requirements.txt", text)),
            [
                (2, "fastapi"),
                (3, "uvicorn"),
                (6, "psycopg2-binary"),
                (8, "openai")
            ]
        );
    }

    #[test]
    fn pyproject_tables() {
        let text = "[project]\nname = \"app\"\ndependencies = [\n  \"FastAPI>=0.110\",\n  \"httpx\",\n]\n[project.optional-dependencies]\ndb = [\"asyncpg\"]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nredis = \"^5\"\n";
        assert_eq!(
            names(&read("pyproject.toml", text)),
            [(4, "fastapi"), (5, "httpx"), (8, "asyncpg"), (11, "redis")]
        );
        assert!(read("pyproject.toml", "not [toml").is_empty());
    }
}
