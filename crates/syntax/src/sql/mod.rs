//! SQL: `sql_tables` and `sql_indexes` from `CREATE TABLE` and `CREATE
//! INDEX` statements.
//!
//! The file is parsed with tree-sitter-sequel and, independently, split into
//! statements at `;` by a small tokenizer ([`tokens`]). A statement the
//! grammar parsed without error is read from the tree
//! (`queries/sql/ddl.scm`): its name, and each column definition, table
//! constraint and index field handed to the token-level reader of [`ddl`].
//! A statement the grammar failed on is read by [`ddl`] alone (the fallback);
//! only when that does not recognise it either (it is no `CREATE TABLE` /
//! `CREATE INDEX`) is the file listed in `errors`, with the line of the
//! first such statement.

mod ddl;
mod tokens;

use std::sync::OnceLock;

use recon_findings::{FileError, SqlIndex, SqlTable};
use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator};

use crate::collect::FileFindings;
use crate::common::LineIndex;
use tokens::Token;

/// Every SQL category's literals, declared beside its rule in [`ddl`]:
/// the prefilter is built from these ([`crate::prefilter`]).
pub(crate) const LITERALS: &[&[&str]] = &[ddl::TABLE_LITERALS, ddl::INDEX_LITERALS];

const DDL: &str = include_str!("../../../../queries/sql/ddl.scm");

pub(crate) fn language() -> Language {
    tree_sitter_sequel::LANGUAGE.into()
}

struct SqlQueries {
    query: Query,
    table: u32,
    index: u32,
}

fn queries() -> Result<&'static SqlQueries, String> {
    static QUERIES: OnceLock<Result<SqlQueries, String>> = OnceLock::new();
    QUERIES
        .get_or_init(|| {
            let query = Query::new(&language(), DDL).map_err(|e| format!("sql queries: {e}"))?;
            let index = |name: &str| {
                query
                    .capture_index_for_name(name)
                    .ok_or_else(|| format!("sql queries: no capture @{name}"))
            };
            Ok(SqlQueries {
                table: index("table")?,
                index: index("index")?,
                query,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Per-worker parsing state.
pub(crate) struct Worker {
    parser: Parser,
    cursor: QueryCursor,
    queries: &'static SqlQueries,
}

/// A statement the grammar read: a table or an index node.
enum Ddl<'t> {
    Table(Node<'t>),
    Index(Node<'t>),
}

impl Worker {
    pub(crate) fn new() -> Result<Self, String> {
        let mut parser = Parser::new();
        parser
            .set_language(&language())
            .map_err(|e| format!("sql grammar: {e}"))?;
        Ok(Worker {
            parser,
            cursor: QueryCursor::new(),
            queries: queries()?,
        })
    }

    /// Never fails: what the grammar or the fallback read is kept.
    pub(crate) fn scan(&mut self, file: &str, src: &str) -> FileFindings {
        let mut out = FileFindings::default();
        let tokens = tokens::tokenize(src);
        let index = LineIndex::new(src);
        let Some(tree) = self.parser.parse(src, None) else {
            return FileFindings::error(file, "parser gave no tree".to_owned());
        };
        if let Some(reason) = crate::guard::tree_hazard(tree.root_node()) {
            return FileFindings::error(file, reason);
        }
        let errors = error_ranges(tree.root_node());
        let mut nodes = Vec::new();
        let mut matches =
            self.cursor
                .matches(&self.queries.query, tree.root_node(), src.as_bytes());
        while let Some(m) = matches.next() {
            for c in m.captures() {
                if c.index == self.queries.table {
                    nodes.push(Ddl::Table(c.node));
                } else if c.index == self.queries.index {
                    nodes.push(Ddl::Index(c.node));
                }
            }
        }
        let mut first_unread: Option<usize> = None;
        for statement in tokens::statements(&tokens) {
            let (Some(first), Some(last)) = (statement.first(), statement.last()) else {
                continue;
            };
            let (start, end) = (first.start, last.end);
            let error = errors
                .iter()
                .find(|(s, e)| *s <= end && *e >= start)
                .map(|(s, _)| *s);
            let Some(error_at) = error else {
                for ddl in &nodes {
                    let node = match ddl {
                        Ddl::Table(n) | Ddl::Index(n) => *n,
                    };
                    if node.start_byte() < start || node.end_byte() > end {
                        continue;
                    }
                    match ddl {
                        Ddl::Table(n) => {
                            if let Some(t) = grammar_table(*n, &tokens, src) {
                                push_table(&mut out, file, &index, n.start_byte(), t);
                            }
                        }
                        Ddl::Index(n) => {
                            if let Some(i) = grammar_index(*n, &tokens, src) {
                                push_index(&mut out, file, &index, n.start_byte(), i);
                            }
                        }
                    }
                }
                continue;
            };
            if let Some(t) = ddl::table(statement, src) {
                push_table(&mut out, file, &index, start, t);
            } else if let Some(i) = ddl::index(statement, src) {
                push_index(&mut out, file, &index, start, i);
            } else if first_unread.is_none() {
                first_unread = Some(error_at.max(start));
            }
        }
        if let Some(at) = first_unread {
            out.errors.push(FileError {
                file: file.to_owned(),
                reason: format!("syntax error at line {}", index.position(at).0),
            });
        }
        out
    }
}

fn push_table(out: &mut FileFindings, file: &str, index: &LineIndex, at: usize, t: ddl::Table) {
    let (line, column) = index.position(at);
    out.sql_tables.push((
        column,
        SqlTable {
            file: file.to_owned(),
            line,
            name: t.name,
            columns: t.columns,
            primary_key: t.primary_key,
            references: t.references,
        },
    ));
}

fn push_index(out: &mut FileFindings, file: &str, index: &LineIndex, at: usize, i: ddl::Index) {
    let (line, column) = index.position(at);
    out.sql_indexes.push((
        column,
        SqlIndex {
            file: file.to_owned(),
            line,
            name: i.name,
            table: i.table,
            columns: i.columns,
            unique: i.unique,
        },
    ));
}

/// Byte ranges of the error and missing nodes of a tree.
fn error_ranges(root: Node<'_>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !root.has_error() {
        return out;
    }
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            out.push((node.start_byte(), node.end_byte()));
            continue;
        }
        if node.has_error() {
            stack.extend(node.children(&mut cursor));
        }
    }
    out.sort_unstable();
    out
}

/// The tokens inside a node's byte range.
fn tokens_in<'a>(tokens: &'a [Token], node: Node<'_>) -> &'a [Token] {
    let from = tokens.partition_point(|t| t.start < node.start_byte());
    let to = tokens.partition_point(|t| t.end <= node.end_byte());
    tokens.get(from..to.max(from)).unwrap_or(&[])
}

fn child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    node.named_children(&mut node.walk())
        .find(|c| c.kind() == kind)
}

fn children_of_kind<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    node.named_children(&mut node.walk())
        .filter(|c| c.kind() == kind)
        .collect()
}

/// A `create_table` node the grammar parsed cleanly.
fn grammar_table(node: Node<'_>, tokens: &[Token], src: &str) -> Option<ddl::Table> {
    let name = child_of_kind(node, "object_reference")?;
    let mut at = 0;
    let mut table = ddl::Table {
        name: ddl::qualified_name(tokens_in(tokens, name), src, &mut at)?,
        ..ddl::Table::default()
    };
    if let Some(body) = child_of_kind(node, "column_definitions") {
        for element in body.named_children(&mut body.walk()) {
            match element.kind() {
                "column_definition" => {
                    ddl::read_element(tokens_in(tokens, element), src, &mut table);
                }
                "constraints" => {
                    for constraint in children_of_kind(element, "constraint") {
                        ddl::read_element(tokens_in(tokens, constraint), src, &mut table);
                    }
                }
                _ => {}
            }
        }
    }
    Some(table)
}

/// A `create_index` node the grammar parsed cleanly.
fn grammar_index(node: Node<'_>, tokens: &[Token], src: &str) -> Option<ddl::Index> {
    let table = child_of_kind(node, "object_reference")?;
    let mut at = 0;
    let name = node.child_by_field_name("column").and_then(|n| {
        tokens_in(tokens, n)
            .first()
            .map(|t| tokens::unquote(t, src))
    });
    let columns = child_of_kind(node, "index_fields")
        .map(|fields| {
            children_of_kind(fields, "field")
                .into_iter()
                .filter_map(|f| ddl::index_column(tokens_in(tokens, f), src))
                .collect()
        })
        .unwrap_or_default();
    Some(ddl::Index {
        name,
        table: ddl::qualified_name(tokens_in(tokens, table), src, &mut at)?,
        columns,
        unique: child_of_kind(node, "keyword_unique").is_some(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Every statement the grammar reads cleanly reads the same with the
    /// fallback: the two paths cannot drift apart.
    #[test]
    fn grammar_and_fallback_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["fixtures/app/migrations", "fixtures/scan/sql"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "sql") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() >= 4, "{files:?}");
        let mut parser = Parser::new();
        parser.set_language(&language()).unwrap();
        let mut compared = 0;
        for path in files {
            let src = std::fs::read_to_string(&path).unwrap();
            let tokens = tokens::tokenize(&src);
            let tree = parser.parse(&src, None).unwrap();
            let errors = error_ranges(tree.root_node());
            let program = tree.root_node();
            for statement in program.named_children(&mut program.walk()) {
                let Some(ddl_node) = statement.named_child(0) else {
                    continue;
                };
                let (start, end) = (statement.start_byte(), statement.end_byte());
                if errors.iter().any(|(s, e)| *s <= end && *e >= start) {
                    continue;
                }
                let own = tokens_in(&tokens, statement);
                match ddl_node.kind() {
                    "create_table" => {
                        assert_eq!(
                            grammar_table(ddl_node, &tokens, &src),
                            ddl::table(own, &src),
                            "{}: {}",
                            path.display(),
                            &src[start..end]
                        );
                        compared += 1;
                    }
                    "create_index" => {
                        assert_eq!(
                            grammar_index(ddl_node, &tokens, &src),
                            ddl::index(own, &src),
                            "{}: {}",
                            path.display(),
                            &src[start..end]
                        );
                        compared += 1;
                    }
                    _ => {}
                }
            }
        }
        assert!(compared >= 10, "{compared} statements compared");
    }
}
