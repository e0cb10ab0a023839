//! What one file gives, before the findings of all files are merged and
//! sorted.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use rayon::slice::ParallelSliceMut;
use recon_findings::{FileError, Located, Sort, Unsorted};

/// One finding and the column it starts at (for a stable order within a line).
pub(crate) type WithColumn<T> = (usize, T);

/// What one file gave: every category's findings (the lists of
/// [`Unsorted`], which `recon-findings` declares once with the rest of
/// [`recon_findings::Findings`]; reached as `found.routes` through
/// `Deref`), its semantic summary and its errors.
#[derive(Debug, Default)]
pub(crate) struct FileFindings {
    pub categories: Unsorted,
    /// A Python module's semantic summary (its path relative to the root),
    /// for the call graph; `None` when its tokens could not be read.
    pub module: Option<(Arc<str>, recon_semantic::ModuleSummary)>,
    /// A Python module's units, when the token pass read it.
    pub units: Option<Vec<crate::python::UnitSpan>>,
    pub errors: Vec<FileError>,
}

impl Deref for FileFindings {
    type Target = Unsorted;
    fn deref(&self) -> &Unsorted {
        &self.categories
    }
}

impl DerefMut for FileFindings {
    fn deref_mut(&mut self) -> &mut Unsorted {
        &mut self.categories
    }
}

impl FileFindings {
    /// Only an error.
    pub(crate) fn error(file: &str, reason: String) -> Self {
        FileFindings {
            errors: vec![FileError {
                file: file.to_owned(),
                reason,
            }],
            ..Default::default()
        }
    }

    /// Move every finding of `other` to the end of `self`'s lists.
    pub(crate) fn append(&mut self, mut other: FileFindings) {
        self.categories.append(&mut other.categories);
        if other.module.is_some() {
            self.module = other.module.take();
        }
        self.errors.append(&mut other.errors);
    }

    /// Whether the file gave no finding at all (errors aside).
    #[cfg(test)]
    pub(crate) fn has_no_findings(&self) -> bool {
        self.categories.is_empty() && self.module.as_ref().is_none_or(|(_, m)| m.calls.is_empty())
    }
}

/// The order of every category ([`recon_findings::located_order`]), sorted
/// in parallel.
pub(crate) struct ParallelSort;

impl Sort for ParallelSort {
    fn sorted<T: Located + Ord + Send>(&self, mut items: Vec<(usize, T)>) -> Vec<T> {
        // A total order: the parallel sort gives the same bytes as a serial one.
        items.par_sort_by(recon_findings::located_order);
        items.into_iter().map(|(_, item)| item).collect()
    }
}
