//! `recon scan` on SQL: the focused fixture (`fixtures/scan/sql`) and the
//! fixture app's migrations, each expectation written by hand. Quoted and
//! schema-qualified names, `IF NOT EXISTS`, inline and table-level keys, and
//! statements the grammar cannot read (read by the fallback, or reported).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::util::scan::scan;
use crate::util::workspace;
use recon_findings::{FileError, SqlColumn, SqlIndex, SqlReference, SqlTable};

fn columns(list: &[(&str, &str)]) -> Vec<SqlColumn> {
    list.iter()
        .map(|(name, t)| SqlColumn {
            name: (*name).into(),
            column_type: (*t).into(),
        })
        .collect()
}

fn fk(column: &str, table: &str, table_column: Option<&str>) -> SqlReference {
    SqlReference {
        column: column.into(),
        table: table.into(),
        table_column: table_column.map(Into::into),
    }
}

fn table(
    file: &str,
    line: usize,
    name: &str,
    cols: &[(&str, &str)],
    primary_key: &[&str],
    references: Vec<SqlReference>,
) -> SqlTable {
    SqlTable {
        file: file.into(),
        line,
        name: name.into(),
        columns: columns(cols),
        primary_key: primary_key.iter().map(|c| (*c).to_owned()).collect(),
        references,
    }
}

fn index(
    file: &str,
    line: usize,
    name: Option<&str>,
    on: &str,
    cols: &[&str],
    unique: bool,
) -> SqlIndex {
    SqlIndex {
        file: file.into(),
        line,
        name: name.map(Into::into),
        table: on.into(),
        columns: cols.iter().map(|c| (*c).to_owned()).collect(),
        unique,
    }
}

#[test]
fn tables_keys_and_indexes_survive_broken_statements_and_grammar_gaps() {
    let found = scan(&workspace().join("fixtures/scan/sql"), &[]);
    let (s, b) = ("schema.sql", "broken.sql");
    assert_eq!(
        found.sql_tables,
        [
            table(b, 1, "before_error", &[("id", "INT")], &["id"], vec![]),
            // after the statement nothing could read: still found
            table(
                b,
                7,
                "after_error",
                &[("id", "INT")],
                &[],
                vec![fk("id", "before_error", Some("id"))]
            ),
            // IF NOT EXISTS, quoted and schema-qualified names, a type over
            // several words
            table(
                s,
                5,
                "billing.Customers",
                &[
                    ("id", "BIGSERIAL"),
                    ("email", "TEXT"),
                    ("Full Name", "VARCHAR(200)"),
                    ("created_at", "TIMESTAMP WITH TIME ZONE")
                ],
                &["id"],
                vec![]
            ),
            // lower case, `vector(1536)` and `CONSTRAINT x FOREIGN KEY`
            // (the grammar fails on both: the fallback reads the statement);
            // white space in a type collapsed
            table(
                s,
                12,
                "billing.invoices",
                &[
                    ("id", "uuid"),
                    ("customer_id", "bigint"),
                    ("total", "numeric(12, 2)"),
                    ("embedding", "vector(1536)")
                ],
                &["id"],
                vec![
                    fk("customer_id", "billing.Customers", Some("id")),
                    fk("customer_id", "billing.Customers", Some("id")),
                ]
            ),
            // a table-level key over two columns, a reference to a table only
            table(
                s,
                21,
                "line_items",
                &[("invoice_id", "UUID"), ("position", "INT"), ("sku", "TEXT")],
                &["invoice_id", "position"],
                vec![fk("invoice_id", "billing.invoices", None)]
            ),
            // 37: in a function body; 43: in a comment; 44: in a string
        ]
    );
    assert_eq!(
        found.sql_indexes,
        [
            index(
                s,
                29,
                Some("customers_email_idx"),
                "billing.Customers",
                &["lower(email)"],
                true
            ),
            index(
                s,
                30,
                Some("invoices_customer_idx"),
                "billing.invoices",
                &["customer_id", "total"],
                false
            ),
            // no name
            index(s, 31, None, "line_items", &["sku"], false),
        ]
    );
    // What neither the grammar nor the fallback read: a DO block, a
    // PL/pgSQL body the grammar trips on.
    assert_eq!(
        found.errors,
        [
            FileError {
                file: b.into(),
                reason: "syntax error at line 5".into()
            },
            FileError {
                file: s.into(),
                reason: "syntax error at line 36".into()
            },
        ]
    );
    assert_eq!(found.files_scanned, 2);
}

#[test]
fn fixture_app_migrations() {
    let found = scan(&workspace().join("fixtures/app"), &[]);
    let m1 = "migrations/001_initial.sql";
    let m2 = "migrations/002_sessions.sql";
    let m5 = "migrations/005_analytics.sql";
    let m7 = "migrations/007_observability_tables.sql";
    let ts = "TIMESTAMPTZ";
    assert_eq!(
        found.sql_tables,
        [
            table(
                m1,
                4,
                "departments",
                &[
                    ("id", "SERIAL"),
                    ("name", "TEXT"),
                    ("division", "TEXT"),
                    ("created_at", ts)
                ],
                &["id"],
                vec![]
            ),
            table(
                m1,
                11,
                "users",
                &[
                    ("id", "BIGSERIAL"),
                    ("email", "TEXT"),
                    ("display_name", "TEXT"),
                    ("department_id", "INTEGER"),
                    ("is_active", "BOOLEAN"),
                    ("last_seen_at", ts),
                    ("created_at", ts)
                ],
                &["id"],
                vec![fk("department_id", "departments", Some("id"))]
            ),
            // pgvector's `vector(1024)`: read by the fallback
            table(
                m1,
                21,
                "documents",
                &[
                    ("id", "BIGSERIAL"),
                    ("title", "TEXT"),
                    ("content", "TEXT"),
                    ("department", "TEXT"),
                    ("embedding", "vector(1024)"),
                    ("updated_at", ts)
                ],
                &["id"],
                vec![]
            ),
            table(
                m2,
                2,
                "chat_sessions",
                &[
                    ("id", "UUID"),
                    ("user_id", "BIGINT"),
                    ("title", "TEXT"),
                    ("started_at", ts),
                    ("ended_at", ts)
                ],
                &["id"],
                vec![fk("user_id", "users", Some("id"))]
            ),
            table(
                m5,
                2,
                "query_log",
                &[
                    ("id", "BIGSERIAL"),
                    ("session_id", "TEXT"),
                    ("user_email", "TEXT"),
                    ("department", "TEXT"),
                    ("query", "TEXT"),
                    ("duration_ms", "DOUBLE PRECISION"),
                    ("created_at", ts)
                ],
                &["id"],
                vec![]
            ),
            table(
                m5,
                12,
                "analytics_events",
                &[
                    ("id", "BIGSERIAL"),
                    ("event_type", "TEXT"),
                    ("session_id", "TEXT"),
                    ("properties", "JSONB"),
                    ("created_at", ts)
                ],
                &["id"],
                vec![]
            ),
            table(
                m7,
                4,
                "observability.request_metrics",
                &[
                    ("id", "BIGSERIAL"),
                    ("flushed_at", ts),
                    ("payload", "JSONB")
                ],
                &["id"],
                vec![]
            ),
            // observability."ws_errors", "message": quotes removed
            table(
                m7,
                10,
                "observability.ws_errors",
                &[
                    ("id", "BIGSERIAL"),
                    ("session_id", "UUID"),
                    ("user_id", "BIGINT"),
                    ("message", "TEXT"),
                    ("occurred_at", ts)
                ],
                &["id"],
                vec![
                    fk("session_id", "chat_sessions", Some("id")),
                    fk("user_id", "users", Some("id"))
                ]
            ),
        ]
    );
    assert_eq!(
        found.sql_indexes,
        [
            index(
                m2,
                10,
                Some("chat_sessions_user_idx"),
                "chat_sessions",
                &["user_id", "started_at"],
                false
            ),
            index(
                m5,
                20,
                Some("query_log_created_idx"),
                "query_log",
                &["created_at"],
                false
            ),
            index(
                m5,
                21,
                Some("analytics_events_type_idx"),
                "analytics_events",
                &["event_type", "created_at"],
                false
            ),
            index(
                m7,
                18,
                Some("request_metrics_flushed_idx"),
                "observability.request_metrics",
                &["flushed_at"],
                false
            ),
            index(
                m7,
                19,
                Some("ws_errors_occurred_idx"),
                "observability.ws_errors",
                &["occurred_at"],
                false
            ),
        ]
    );
}
