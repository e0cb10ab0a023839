//! Module names: which file or namespace directory a dotted name or a
//! relative import reaches.
//!
//! A module is keyed by its path without `.py` (`pkg/sub/mod`; a package by
//! its directory, its `__init__.py` being its file). Absolute names are
//! tried under each package root in turn: the checkout root, `src/`, and
//! every non-package directory `D` holding a top-level package or module
//! `X` that the checkout imports as `X...` and the root does not have (a
//! `backend/` whose files import `from myapp.x import y`). Relative
//! imports go by directory, so a file reached under two names (from the
//! root and from `backend/`) resolves its relative imports the same way.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::summary::{Binding, ModuleSummary};

/// What a module name reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModuleRef {
    /// A `.py` file (a package's `__init__.py` included), by file index.
    File(u32),
    /// A directory without `__init__.py` that holds Python files, by its
    /// index in [`ModuleIndex::namespaces`].
    Namespace(u32),
}

#[derive(Debug, Default)]
pub struct ModuleIndex {
    by_path: FxHashMap<String, ModuleRef>,
    /// Each file's module path (`pkg/mod`, `pkg` for `pkg/__init__.py`).
    file_paths: Vec<String>,
    /// Each file's package directory (what `from . import x` reads).
    packages: Vec<String>,
    pub namespaces: Vec<String>,
    pub roots: Vec<String>,
}

fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_owned()
    } else if rest.is_empty() {
        dir.to_owned()
    } else {
        format!("{dir}/{rest}")
    }
}

impl ModuleIndex {
    /// `files`: each module's path relative to the checkout root, with `/`.
    pub fn new(files: &[(&str, &ModuleSummary)]) -> Self {
        let mut index = ModuleIndex::default();
        let mut dirs: FxHashSet<String> = FxHashSet::default();
        let mut init_dirs: FxHashSet<&str> = FxHashSet::default();
        for (path, _) in files {
            let stem = path.strip_suffix(".py").unwrap_or(path);
            let (module, package) = match stem
                .strip_suffix("/__init__")
                .or((stem == "__init__").then_some(""))
            {
                Some(dir) => {
                    init_dirs.insert(parent(path));
                    (dir.to_owned(), dir.to_owned())
                }
                None => (stem.to_owned(), parent(path).to_owned()),
            };
            index.file_paths.push(module);
            index.packages.push(package);
            let mut d = parent(path);
            while !d.is_empty() && dirs.insert(d.to_owned()) {
                d = parent(d);
            }
        }
        // Files first, packages over same-named modules, then namespaces.
        for (i, (path, _)) in files.iter().enumerate() {
            if !path.ends_with("__init__.py") {
                index
                    .by_path
                    .entry(index.file_paths[i].clone())
                    .or_insert(ModuleRef::File(i as u32));
            }
        }
        for (i, (path, _)) in files.iter().enumerate() {
            if path.ends_with("__init__.py") {
                index
                    .by_path
                    .insert(index.file_paths[i].clone(), ModuleRef::File(i as u32));
            }
        }
        let mut dirs: Vec<String> = dirs.into_iter().collect();
        dirs.sort();
        for dir in &dirs {
            if !index.by_path.contains_key(dir) {
                let id = index.namespaces.len() as u32;
                index.namespaces.push(dir.clone());
                index.by_path.insert(dir.clone(), ModuleRef::Namespace(id));
            }
        }
        // Package roots.
        let mut imported: FxHashSet<&str> = FxHashSet::default();
        for (_, summary) in files {
            for scope in &summary.scopes {
                for (_, b) in &scope.bindings {
                    let module = match b {
                        Binding::Import { module } => module,
                        Binding::FromImport {
                            level: 0, module, ..
                        } => module,
                        Binding::Star { level: 0, module } => module,
                        _ => continue,
                    };
                    let module = summary.name(*module);
                    if let Some(top) = module.split('.').next().filter(|t| !t.is_empty()) {
                        imported.insert(top);
                    }
                }
            }
        }
        index.roots.push(String::new());
        if dirs.iter().any(|d| d == "src") {
            index.roots.push("src".to_owned());
        }
        let mut extra: Vec<String> = Vec::new();
        for dir in &dirs {
            if init_dirs.contains(dir.as_str()) || dir == "src" {
                continue;
            }
            let reached = imported.iter().any(|top| {
                !index.by_path.contains_key(*top) && index.by_path.contains_key(&join(dir, top))
            });
            if reached {
                extra.push(dir.clone());
            }
        }
        extra.sort();
        index.roots.extend(extra);
        index
    }

    /// The module a dotted absolute name reaches, if it is in the checkout.
    pub fn absolute(&self, dotted: &str) -> Option<ModuleRef> {
        let rel = dotted.replace('.', "/");
        self.roots
            .iter()
            .find_map(|root| self.by_path.get(&join(root, &rel)).copied())
    }

    /// `from <level dots><module> import ...` in file `file`: the module, or
    /// `None` when it leaves the checkout or does not exist.
    pub fn relative(&self, file: u32, level: u32, module: &str) -> Option<ModuleRef> {
        let mut dir = self.packages.get(file as usize)?.as_str();
        for _ in 1..level {
            if dir.is_empty() {
                return None;
            }
            dir = parent(dir);
        }
        let path = join(dir, &module.replace('.', "/"));
        if path.is_empty() {
            // The checkout root as a package: only its `__init__.py`.
            return self.by_path.get("").copied();
        }
        self.by_path.get(&path).copied()
    }

    /// The submodule `name` of a module.
    pub fn submodule(&self, module: ModuleRef, name: &str) -> Option<ModuleRef> {
        let base = self.path_of(module);
        self.by_path.get(&join(base, name)).copied()
    }

    fn path_of(&self, module: ModuleRef) -> &str {
        match module {
            ModuleRef::File(i) => &self.file_paths[i as usize],
            ModuleRef::Namespace(i) => &self.namespaces[i as usize],
        }
    }
}
