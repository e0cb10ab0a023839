//! Configuration: `[tool.recon]` in `pyproject.toml`, or a `recon.toml`.
//!
//! Where it is read from, first match wins: the file given with `--config`
//! (a file named `pyproject.toml` is read at its `[tool.recon]` table, any
//! other file at its top level); else `recon.toml` in the checkout root (top
//! level); else the root's `pyproject.toml`, at `[tool.recon]`; else the
//! defaults (every rule, nothing excluded).
//!
//! ```toml
//! [tool.recon]
//! select = ["OBS"]                 # rule codes, code prefixes, names or "ALL"
//! ignore = ["OBS001"]              # removed from select
//! exclude = ["migrations/", "scripts/*.py"]
//!
//! [tool.recon.per-file-ignores]
//! "core/legacy/**" = ["OBS004", "OBS005"]
//! ```
//!
//! `select` defaults to every rule. A *selector* is `ALL`, a rule name
//! (`swallowed-exception`) or a prefix of rule codes (`OBS`, `OBS00`,
//! `OBS003`), case-insensitive; one that names no rule is an error, as is
//! any unknown key. Globs (`exclude` and the keys of `per-file-ignores`) are
//! gitignore patterns matched against the path relative to the checkout
//! root: a pattern without `/` matches a file or directory name at any depth
//! (`conftest.py`), one with a `/` is anchored at the root (`core/*.py`),
//! `**` spans directories, a trailing `/` matches directories (and so every
//! file under them), `!` negates. `exclude` applies to files given on the
//! command line too (pre-commit passes every staged file explicitly).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use crate::rules::Rule;

/// The options as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// A configuration that cannot be used: exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as found or given.
    pub file: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The resolved configuration.
#[derive(Debug)]
pub struct Config {
    /// Where it was read from (`None`: defaults).
    pub source: Option<PathBuf>,
    enabled: BTreeSet<Rule>,
    exclude: Gitignore,
    per_file_ignores: Vec<(Gitignore, BTreeSet<Rule>)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: None,
            enabled: Rule::ALL.into_iter().collect(),
            exclude: Gitignore::empty(),
            per_file_ignores: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    recon: Option<Options>,
}

/// Read the options in `text`: at `[tool.recon]` when `pyproject`, else at
/// the top level. A `pyproject.toml` without the table gives `None`.
pub fn parse_options(text: &str, pyproject: bool) -> Result<Option<Options>, String> {
    if pyproject {
        let doc: Pyproject = toml::from_str(text).map_err(|e| toml_message(&e))?;
        Ok(doc.tool.and_then(|t| t.recon))
    } else {
        toml::from_str(text).map(Some).map_err(|e| toml_message(&e))
    }
}

/// Whether `dir` is a project root: it holds `recon.toml`, a
/// `pyproject.toml` with a `[tool.recon]` table (one that does not parse
/// counts: reading it is where the user learns why), or `.git`.
pub fn is_project_root(dir: &Path) -> bool {
    dir.join("recon.toml").is_file()
        || dir.join(".git").exists()
        || std::fs::read_to_string(dir.join("pyproject.toml"))
            .is_ok_and(|text| !matches!(parse_options(&text, true), Ok(None)))
}

fn toml_message(err: &toml::de::Error) -> String {
    // The message alone, on one line; the span as a line number.
    let message = err.message().trim().replace('\n', " ");
    match err.span() {
        Some(span) => format!("invalid configuration at byte {}: {message}", span.start),
        None => format!("invalid configuration: {message}"),
    }
}

impl Config {
    /// Find and read the configuration of the checkout at `root`.
    pub fn discover(root: &Path, explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let candidates: Vec<(PathBuf, bool)> = match explicit {
            Some(path) => {
                let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
                vec![(path.to_path_buf(), pyproject)]
            }
            None => {
                // `recon.toml`, not `./recon.toml`, in messages.
                let at = |name: &str| {
                    if root == Path::new(".") {
                        PathBuf::from(name)
                    } else {
                        root.join(name)
                    }
                };
                vec![(at("recon.toml"), false), (at("pyproject.toml"), true)]
            }
        };
        for (path, pyproject) in candidates {
            let shown = path.display().to_string();
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if explicit.is_none() && e.kind() == std::io::ErrorKind::NotFound => {
                    continue;
                }
                Err(e) => {
                    return Err(ConfigError {
                        file: Some(shown),
                        message: recon_syntax::io_message(&e),
                    });
                }
            };
            let error = |message: String| ConfigError {
                file: Some(shown.clone()),
                message,
            };
            let Some(options) = parse_options(&text, pyproject).map_err(error)? else {
                if explicit.is_some() {
                    return Config::from_options(&Options::default(), Some(path)).map_err(error);
                }
                continue;
            };
            return Config::from_options(&options, Some(path)).map_err(error);
        }
        Ok(Config::default())
    }

    /// Resolve `options` (globs relative to the checkout root).
    pub fn from_options(options: &Options, source: Option<PathBuf>) -> Result<Config, String> {
        let mut enabled = match &options.select {
            Some(select) => selectors(select, "select")?,
            None => Rule::ALL.into_iter().collect(),
        };
        for rule in selectors(&options.ignore, "ignore")? {
            enabled.remove(&rule);
        }
        let exclude = globs(&options.exclude, "exclude")?;
        let mut per_file_ignores = Vec::new();
        for (glob, codes) in &options.per_file_ignores {
            per_file_ignores.push((
                globs(std::slice::from_ref(glob), "per-file-ignores")?,
                selectors(codes, "per-file-ignores")?,
            ));
        }
        Ok(Config {
            source,
            enabled,
            exclude,
            per_file_ignores,
        })
    }

    /// Replace the selection (`--select`).
    pub fn override_select(&mut self, select: &[String]) -> Result<(), String> {
        self.enabled = selectors(select, "--select")?;
        Ok(())
    }

    /// Remove rules from the selection (`--ignore`).
    pub fn extend_ignore(&mut self, ignore: &[String]) -> Result<(), String> {
        for rule in selectors(ignore, "--ignore")? {
            self.enabled.remove(&rule);
        }
        Ok(())
    }

    /// Whether `rule` runs at all.
    pub fn enabled(&self, rule: Rule) -> bool {
        self.enabled.contains(&rule)
    }

    /// Whether the file at `rel` is excluded.
    pub fn excluded(&self, rel: &str) -> bool {
        matches(&self.exclude, rel)
    }

    /// Whether `rule` is reported in the file at `rel`.
    pub fn reports(&self, rule: Rule, rel: &str) -> bool {
        self.enabled(rule)
            && !self
                .per_file_ignores
                .iter()
                .any(|(glob, rules)| rules.contains(&rule) && matches(glob, rel))
    }
}

fn matches(glob: &Gitignore, rel: &str) -> bool {
    let path = Path::new(rel);
    !path.has_root() && glob.matched_path_or_any_parents(path, false).is_ignore()
}

fn selectors(list: &[String], key: &str) -> Result<BTreeSet<Rule>, String> {
    let mut out = BTreeSet::new();
    for selector in list {
        let found: Vec<Rule> = if selector.eq_ignore_ascii_case("ALL") {
            Rule::ALL.to_vec()
        } else {
            let upper = selector.to_ascii_uppercase();
            Rule::ALL
                .into_iter()
                .filter(|r| {
                    (!upper.is_empty() && r.code().starts_with(&upper))
                        || r.name().eq_ignore_ascii_case(selector)
                })
                .collect()
        };
        if found.is_empty() {
            return Err(format!("{key}: unknown rule selector `{selector}`"));
        }
        out.extend(found);
    }
    Ok(out)
}

fn globs(patterns: &[String], key: &str) -> Result<Gitignore, String> {
    let mut builder = GitignoreBuilder::new(".");
    for pattern in patterns {
        builder
            .add_line(None, pattern)
            .map_err(|e| format!("{key}: invalid glob `{pattern}`: {e}"))?;
    }
    builder
        .build()
        .map_err(|e| format!("{key}: invalid globs: {e}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config, String> {
        let options = parse_options(text, false)?.unwrap_or_default();
        Config::from_options(&options, None)
    }

    #[test]
    fn select_and_ignore() {
        let c =
            config("select = [\"OBS00\"]\nignore = [\"obs003\", \"root-logger-call\"]").unwrap();
        assert!(c.enabled(Rule::Obs001));
        assert!(!c.enabled(Rule::Obs003));
        assert!(!c.enabled(Rule::Obs005));
        assert!(!c.enabled(Rule::Obs010));
        assert!(config("select = [\"ALL\"]").unwrap().enabled(Rule::Obs010));
        assert!(config("select = [\"XYZ\"]").unwrap_err().contains("`XYZ`"));
        assert!(config("selct = []").unwrap_err().contains("unknown field"));
    }

    #[test]
    fn globs_are_gitignore_patterns() {
        let c = config(
            "exclude = [\"migrations/\", \"scripts/*.py\", \"conftest.py\"]\n\
             [per-file-ignores]\n\"core/legacy/**\" = [\"OBS004\"]",
        )
        .unwrap();
        assert!(c.excluded("migrations/x.py"));
        assert!(c.excluded("a/migrations/x.py"));
        assert!(c.excluded("scripts/run.py"));
        assert!(!c.excluded("core/scripts/run.py"));
        assert!(c.excluded("deep/conftest.py"));
        assert!(!c.excluded("core/main.py"));
        assert!(!c.excluded("/abs/core/main.py"));
        assert!(!c.reports(Rule::Obs004, "core/legacy/a/b.py"));
        assert!(c.reports(Rule::Obs005, "core/legacy/a/b.py"));
        assert!(c.reports(Rule::Obs004, "core/main.py"));
    }

    #[test]
    fn pyproject_table() {
        let text = "[project]\nname = \"x\"\n[tool.recon]\nignore = [\"OBS001\"]\n";
        let options = parse_options(text, true).unwrap().unwrap();
        assert_eq!(options.ignore, vec!["OBS001".to_owned()]);
        assert_eq!(parse_options("[tool.ruff]\nx = 1\n", true).unwrap(), None);
    }
}
