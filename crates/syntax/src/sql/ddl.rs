//! Reading DDL from tokens: the elements of a `CREATE TABLE` (column
//! definitions and table constraints) and of a `CREATE INDEX` (its fields),
//! and whole statements for the fallback when the grammar fails.

use recon_findings::{SqlColumn, SqlReference};

use super::tokens::{Kind, Token, unquote};

/// What a `CREATE TABLE` says, before it becomes a finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<SqlColumn>,
    pub primary_key: Vec<String>,
    pub references: Vec<SqlReference>,
}

/// What a `CREATE INDEX` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pub name: Option<String>,
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// Words that end a column's type and start its constraints.
const COLUMN_CONSTRAINT_WORDS: &[&str] = &[
    "CONSTRAINT",
    "NOT",
    "NULL",
    "DEFAULT",
    "PRIMARY",
    "REFERENCES",
    "UNIQUE",
    "CHECK",
    "COLLATE",
    "GENERATED",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "COMMENT",
    "ON",
];

fn is_any_word(token: Option<&Token>, src: &str, words: &[&str]) -> bool {
    token.is_some_and(|t| words.iter().any(|w| t.is_word(src, w)))
}

/// `a.b."c"` from `tokens[*at..]`: the names joined by `.`, quotes removed.
/// Advances `at` past it.
pub fn qualified_name(tokens: &[Token], src: &str, at: &mut usize) -> Option<String> {
    let mut parts = Vec::new();
    loop {
        let token = tokens.get(*at).filter(|t| t.is_name())?;
        parts.push(unquote(token, src));
        *at += 1;
        if tokens.get(*at).is_some_and(|t| t.is_punct('.'))
            && tokens.get(*at + 1).is_some_and(Token::is_name)
        {
            *at += 1;
        } else {
            return Some(parts.join("."));
        }
    }
}

/// The tokens inside the parentheses that open at `tokens[open]`, and the
/// index after the closing one.
fn parenthesized(tokens: &[Token], open: usize) -> Option<(&[Token], usize)> {
    if !tokens.get(open)?.is_punct('(') {
        return None;
    }
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t.is_punct('(') {
            depth += 1;
        } else if t.is_punct(')') {
            depth -= 1;
            if depth == 0 {
                return Some((&tokens[open + 1..i], i + 1));
            }
        }
    }
    Some((&tokens[open + 1..], tokens.len()))
}

/// Split at the commas outside parentheses.
pub fn split_commas(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is_punct('(') {
            depth += 1;
        } else if t.is_punct(')') {
            depth = depth.saturating_sub(1);
        } else if t.is_punct(',') && depth == 0 {
            out.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    out.push(&tokens[start..]);
    out.into_iter().filter(|e| !e.is_empty()).collect()
}

/// `(a, "b", c DESC)`: the first name of each element.
fn name_list(tokens: &[Token], src: &str, open: usize) -> Option<(Vec<String>, usize)> {
    let (inner, after) = parenthesized(tokens, open)?;
    let names = split_commas(inner)
        .iter()
        .filter_map(|e| e.first().filter(|t| t.is_name()).map(|t| unquote(t, src)))
        .collect();
    Some((names, after))
}

/// Source text from the first to the last token, runs of white space
/// collapsed to one space.
fn collapsed(tokens: &[Token], src: &str) -> String {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return String::new();
    };
    src.get(first.start..last.end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Read one element of a `CREATE TABLE` body into `table`: a column
/// definition (name, type, inline `PRIMARY KEY` and `REFERENCES`) or a table
/// constraint (`PRIMARY KEY (...)`, `FOREIGN KEY (...) REFERENCES t (...)`;
/// others are skipped), with or without `CONSTRAINT name`.
pub fn read_element(element: &[Token], src: &str, table: &mut Table) {
    let mut at = 0;
    if element
        .first()
        .is_some_and(|t| t.is_word(src, "CONSTRAINT"))
    {
        at = 2;
    }
    let first = element.get(at);
    let second = element.get(at + 1);
    let opens = |t: Option<&Token>| t.is_some_and(|t| t.is_punct('('));
    if first.is_some_and(|t| t.is_word(src, "PRIMARY"))
        && second.is_some_and(|t| t.is_word(src, "KEY"))
    {
        if let Some((names, _)) = name_list(element, src, at + 2) {
            table.primary_key.extend(names);
        }
        return;
    }
    if first.is_some_and(|t| t.is_word(src, "FOREIGN"))
        && second.is_some_and(|t| t.is_word(src, "KEY"))
    {
        let Some((columns, mut after)) = name_list(element, src, at + 2) else {
            return;
        };
        if !element
            .get(after)
            .is_some_and(|t| t.is_word(src, "REFERENCES"))
        {
            return;
        }
        after += 1;
        let Some(target) = qualified_name(element, src, &mut after) else {
            return;
        };
        let targets = name_list(element, src, after)
            .map(|(n, _)| n)
            .unwrap_or_default();
        for (i, column) in columns.into_iter().enumerate() {
            table.references.push(SqlReference {
                column,
                table: target.clone(),
                table_column: targets.get(i).cloned(),
            });
        }
        return;
    }
    let is_constraint = at > 0
        || (is_any_word(first, src, &["UNIQUE", "CHECK", "EXCLUDE"])
            && (opens(second) || is_any_word(second, src, &["KEY", "INDEX"])))
        || is_any_word(first, src, &["LIKE"])
        || (is_any_word(first, src, &["INDEX", "KEY", "FULLTEXT", "SPATIAL"])
            && (opens(second) || opens(element.get(at + 2))));
    if is_constraint {
        return;
    }
    // A column: name, type up to the first constraint word (outside
    // parentheses), then inline constraints.
    let Some(name) = first.filter(|t| t.is_name()).map(|t| unquote(t, src)) else {
        return;
    };
    let rest = &element[at + 1..];
    let mut depth = 0usize;
    let mut type_end = rest.len();
    for (i, t) in rest.iter().enumerate() {
        if t.is_punct('(') {
            depth += 1;
        } else if t.is_punct(')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && is_any_word(Some(t), src, COLUMN_CONSTRAINT_WORDS) {
            type_end = i;
            break;
        }
    }
    table.columns.push(SqlColumn {
        name: name.clone(),
        column_type: collapsed(&rest[..type_end], src),
    });
    let mut depth = 0usize;
    let mut i = type_end;
    while i < rest.len() {
        let t = &rest[i];
        if t.is_punct('(') {
            depth += 1;
        } else if t.is_punct(')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 {
            if t.is_word(src, "PRIMARY") && rest.get(i + 1).is_some_and(|k| k.is_word(src, "KEY")) {
                table.primary_key.push(name.clone());
            } else if t.is_word(src, "REFERENCES") {
                let mut after = i + 1;
                if let Some(target) = qualified_name(rest, src, &mut after) {
                    let target_column =
                        name_list(rest, src, after).and_then(|(names, _)| names.into_iter().next());
                    table.references.push(SqlReference {
                        column: name.clone(),
                        table: target,
                        table_column: target_column,
                    });
                    i = after;
                    continue;
                }
            }
        }
        i += 1;
    }
}

/// One field of a `CREATE INDEX`: the column's name when the field is a name
/// (followed only by `ASC`, `DESC`, `NULLS FIRST|LAST`, a collation or an
/// operator class), else the expression as written without those trailing
/// modifiers.
pub fn index_column(field: &[Token], src: &str) -> Option<String> {
    let mut end = field.len();
    loop {
        let last = end.checked_sub(1).and_then(|i| field.get(i));
        if is_any_word(last, src, &["ASC", "DESC"]) {
            end -= 1;
        } else if is_any_word(last, src, &["FIRST", "LAST"])
            && end >= 2
            && field[end - 2].is_word(src, "NULLS")
        {
            end -= 2;
        } else {
            break;
        }
    }
    let field = &field[..end];
    let first = field.first()?;
    let mut rest = &field[1..];
    if rest.first().is_some_and(|t| t.is_word(src, "COLLATE")) && rest.len() >= 2 {
        rest = &rest[2..];
    }
    let simple =
        first.is_name() && (rest.is_empty() || (rest.len() == 1 && rest[0].kind == Kind::Word));
    if simple {
        Some(unquote(first, src))
    } else {
        Some(collapsed(field, src))
    }
}

/// Skip the words of `words` at `tokens[*at..]` (any order, each optional).
fn skip_words(tokens: &[Token], src: &str, at: &mut usize, words: &[&str]) {
    while is_any_word(tokens.get(*at), src, words) {
        *at += 1;
    }
}

/// Skip `IF NOT EXISTS`.
fn skip_if_not_exists(tokens: &[Token], src: &str, at: &mut usize) {
    if tokens.get(*at).is_some_and(|t| t.is_word(src, "IF"))
        && tokens.get(*at + 1).is_some_and(|t| t.is_word(src, "NOT"))
        && tokens
            .get(*at + 2)
            .is_some_and(|t| t.is_word(src, "EXISTS"))
    {
        *at += 3;
    }
}

/// What every `sql_tables` match holds: its `CREATE TABLE` keyword.
pub(super) const TABLE_LITERALS: &[&str] = &["table"];

/// What every `sql_indexes` match holds: its `CREATE INDEX` keyword.
pub(super) const INDEX_LITERALS: &[&str] = &["index"];

/// A whole `CREATE TABLE` statement, read from its tokens (the fallback).
pub fn table(statement: &[Token], src: &str) -> Option<Table> {
    let mut at = 0;
    if !statement.first()?.is_word(src, "CREATE") {
        return None;
    }
    at += 1;
    skip_words(
        statement,
        src,
        &mut at,
        &[
            "OR",
            "REPLACE",
            "GLOBAL",
            "LOCAL",
            "TEMP",
            "TEMPORARY",
            "UNLOGGED",
        ],
    );
    if !statement.get(at)?.is_word(src, "TABLE") {
        return None;
    }
    at += 1;
    skip_if_not_exists(statement, src, &mut at);
    let mut table = Table {
        name: qualified_name(statement, src, &mut at)?,
        ..Table::default()
    };
    if let Some((body, _)) = parenthesized(statement, at) {
        for element in split_commas(body) {
            read_element(element, src, &mut table);
        }
    }
    Some(table)
}

/// A whole `CREATE INDEX` statement, read from its tokens (the fallback).
pub fn index(statement: &[Token], src: &str) -> Option<Index> {
    let mut at = 0;
    if !statement.first()?.is_word(src, "CREATE") {
        return None;
    }
    at += 1;
    let unique = statement.get(at)?.is_word(src, "UNIQUE");
    if unique {
        at += 1;
    }
    if !statement.get(at)?.is_word(src, "INDEX") {
        return None;
    }
    at += 1;
    skip_words(statement, src, &mut at, &["CONCURRENTLY"]);
    skip_if_not_exists(statement, src, &mut at);
    let name = if statement.get(at)?.is_word(src, "ON") {
        None
    } else {
        let token = statement.get(at).filter(|t| t.is_name())?;
        at += 1;
        Some(unquote(token, src))
    };
    if !statement.get(at)?.is_word(src, "ON") {
        return None;
    }
    at += 1;
    skip_words(statement, src, &mut at, &["ONLY"]);
    let table = qualified_name(statement, src, &mut at)?;
    if statement.get(at).is_some_and(|t| t.is_word(src, "USING")) {
        at += 2;
    }
    let (body, _) = parenthesized(statement, at)?;
    let columns = split_commas(body)
        .iter()
        .filter_map(|f| index_column(f, src))
        .collect();
    Some(Index {
        name,
        table,
        columns,
        unique,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::tokens::tokenize;
    use super::*;

    fn col(name: &str, t: &str) -> SqlColumn {
        SqlColumn {
            name: name.into(),
            column_type: t.into(),
        }
    }

    fn fk(column: &str, table: &str, table_column: Option<&str>) -> SqlReference {
        SqlReference {
            column: column.into(),
            table: table.into(),
            table_column: table_column.map(Into::into),
        }
    }

    #[test]
    fn reads_a_table() {
        let src = r#"CREATE TABLE IF NOT EXISTS "public"."Orders" (
            "id" uuid NOT NULL DEFAULT gen_random_uuid(),
            customer_id BIGINT REFERENCES sales.customers,
            total NUMERIC(10,  2) NOT NULL,
            emb vector(1024),
            ts TIMESTAMP   WITH TIME ZONE,
            loose,
            CONSTRAINT orders_pk PRIMARY KEY (id, customer_id),
            CONSTRAINT fk_c FOREIGN KEY (a, b) REFERENCES "x"."Y" (c, d) ON DELETE CASCADE,
            UNIQUE (total),
            CHECK (total > 0)
        )"#;
        let tokens = tokenize(src);
        let t = table(&tokens, src).unwrap();
        assert_eq!(t.name, "public.Orders");
        assert_eq!(
            t.columns,
            [
                col("id", "uuid"),
                col("customer_id", "BIGINT"),
                col("total", "NUMERIC(10, 2)"),
                col("emb", "vector(1024)"),
                col("ts", "TIMESTAMP WITH TIME ZONE"),
                col("loose", ""),
            ]
        );
        assert_eq!(t.primary_key, ["id", "customer_id"]);
        assert_eq!(
            t.references,
            [
                fk("customer_id", "sales.customers", None),
                fk("a", "x.Y", Some("c")),
                fk("b", "x.Y", Some("d")),
            ]
        );
    }

    #[test]
    fn reads_an_index() {
        let src = "create unique index if not exists i on only s.t using gin (lower(a), b DESC NULLS LAST, c text_pattern_ops)";
        let tokens = tokenize(src);
        let i = index(&tokens, src).unwrap();
        assert_eq!(
            i,
            Index {
                name: Some("i".into()),
                table: "s.t".into(),
                columns: vec!["lower(a)".into(), "b".into(), "c".into()],
                unique: true,
            }
        );
        let src = "CREATE INDEX ON t (x)";
        let i = index(&tokenize(src), src).unwrap();
        assert_eq!(i.name, None);
        assert_eq!(i.columns, ["x"]);
    }
}
