//! Several topics' query files compiled as one [`Query`], so a tree is
//! walked once for all of them, and each match routed back to its topic.
//!
//! A topic is one `queries/<lang>/<topic>.scm` file. tree-sitter numbers
//! patterns in source order, so a pattern's topic is the last file that
//! starts at or before the pattern's first byte.

use tree_sitter::{Language, Node, Query, QueryMatch};

/// The compiled topics of one language.
pub(crate) struct TopicQuery<T> {
    pub query: Query,
    /// Topic of each pattern index.
    topics: Vec<T>,
}

impl<T: Copy> TopicQuery<T> {
    /// Compile `sources` (topic, query text) as one query.
    pub(crate) fn new(
        language: &Language,
        name: &'static str,
        sources: &[(T, &str)],
    ) -> Result<Self, String> {
        let mut source = String::new();
        let mut starts = Vec::new();
        for (topic, text) in sources {
            starts.push((source.len(), *topic));
            source.push_str(text);
            source.push('\n');
        }
        let query = Query::new(language, &source).map_err(|e| format!("{name}: {e}"))?;
        let topics = (0..query.pattern_count())
            .map(|i| {
                let at = query.start_byte_for_pattern(i);
                starts
                    .iter()
                    .rev()
                    .find(|(start, _)| *start <= at)
                    .map(|(_, t)| *t)
                    .ok_or_else(|| format!("{name}: pattern {i} has no topic"))
            })
            .collect::<Result<_, String>>()?;
        Ok(TopicQuery { query, topics })
    }

    /// The topic of a match.
    pub(crate) fn topic(&self, m: &QueryMatch<'_, '_>) -> Option<T> {
        self.topics.get(m.pattern_index).copied()
    }

    /// Whether some pattern belongs to `topic`.
    #[cfg(test)]
    pub(crate) fn has(&self, topic: T) -> bool
    where
        T: PartialEq,
    {
        self.topics.contains(&topic)
    }
}

/// Index of a capture `query` must define; `set` names the query set in
/// the error.
pub(crate) fn capture(query: &Query, set: &str, name: &str) -> Result<u32, String> {
    query
        .capture_index_for_name(name)
        .ok_or_else(|| format!("{set}: no capture @{name}"))
}

/// The node captured as `index` in a match.
pub(crate) fn node<'t>(m: &QueryMatch<'_, 't>, index: u32) -> Option<Node<'t>> {
    m.nodes_for_capture_index(index).next()
}
