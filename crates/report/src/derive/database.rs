//! Database: existing tables, observability tables, recommended schemas
//! with foreign keys to the tables that exist.

use recon_findings::SqlTable;

use super::{Input, at, code, non_empty, none_found, plural};
use crate::model::{Anchor, Database, Evidence, Loc, Schema, Stage, Table};

/// Table names (unqualified, lower-cased) that play each anchor role.
const ROLES: [(&str, &[&str]); 3] = [
    (
        "user",
        &[
            "users",
            "user",
            "app_users",
            "accounts",
            "members",
            "employees",
        ],
    ),
    (
        "department",
        &[
            "departments",
            "department",
            "divisions",
            "teams",
            "org_units",
        ],
    ),
    (
        "session",
        &[
            "chat_sessions",
            "sessions",
            "user_sessions",
            "conversations",
        ],
    ),
];

/// Words that make a table an observability table (in its unqualified
/// name), or schemas that do.
const OBS_WORDS: [&str; 9] = [
    "trace", "span", "log", "alert", "metric", "error", "event", "audit", "incident",
];
const OBS_SCHEMAS: [&str; 3] = ["observability", "monitoring", "telemetry"];

struct Parsed {
    table: Table,
    schema: Option<String>,
    unqualified: String,
    primary_key: Option<(String, Option<String>)>,
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').trim_matches('`').to_owned()
}

/// A table as the report names it (schema-qualified when its name is),
/// its columns as `name type`, its references as `column -> table(col)`
/// and the first primary-key column with its type when it is declared.
/// A table without a name is left out.
fn parse(t: &SqlTable) -> Option<Parsed> {
    let raw_name = non_empty(&t.name)?;
    let parts: Vec<String> = raw_name.split('.').map(unquote).collect();
    let (schema, unqualified) = match parts.as_slice() {
        [s, n] => (Some(s.clone()), n.clone()),
        _ => (None, parts.last().cloned().unwrap_or_default()),
    };
    let name = match &schema {
        Some(s) => format!("{s}.{unqualified}"),
        None => unqualified.clone(),
    };
    let columns = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.column_type))
        .collect();
    let mut references: Vec<String> = Vec::new();
    for r in &t.references {
        let target = match &r.table_column {
            Some(c) => format!("{}({c})", r.table),
            None => r.table.clone(),
        };
        let text = format!("{} -> {target}", r.column);
        if !references.contains(&text) {
            references.push(text);
        }
    }
    let primary_key = t.primary_key.first().map(|pk| {
        let column = t.columns.iter().find(|c| &c.name == pk);
        (pk.clone(), column.map(|c| c.column_type.clone()))
    });
    Some(Parsed {
        table: Table {
            name,
            at: Loc::new(&t.file, t.line),
            columns,
            references,
        },
        schema,
        unqualified,
        primary_key,
    })
}

fn fk_type(t: Option<&str>) -> (String, bool) {
    match t.map(|t| t.to_ascii_uppercase()) {
        Some(t) if t == "SERIAL" || t == "SERIAL4" => ("INTEGER".to_owned(), true),
        Some(t) if t == "BIGSERIAL" || t == "SERIAL8" => ("BIGINT".to_owned(), true),
        Some(t) if t == "SMALLSERIAL" || t == "SERIAL2" => ("SMALLINT".to_owned(), true),
        Some(t) => (t, true),
        None => ("BIGINT".to_owned(), false),
    }
}

pub fn derive(input: &Input, stages: &[Stage]) -> Database {
    let parsed: Vec<Parsed> = input.f.sql_tables.iter().filter_map(parse).collect();
    let tables: Vec<Table> = parsed.iter().map(|p| p.table.clone()).collect();
    let observability: Vec<Table> = parsed
        .iter()
        .filter(|p| {
            let n = p.unqualified.to_ascii_lowercase();
            OBS_WORDS.iter().any(|w| n.contains(w))
                || p.schema
                    .as_deref()
                    .is_some_and(|s| OBS_SCHEMAS.contains(&s.to_ascii_lowercase().as_str()))
        })
        .map(|p| p.table.clone())
        .collect();

    let mut anchors: Vec<Anchor> = Vec::new();
    let mut assumed: Vec<String> = Vec::new();
    for (role, names) in ROLES {
        let found = parsed.iter().find(|p| {
            let n = p.unqualified.to_ascii_lowercase();
            names.contains(&n.as_str()) || (role == "session" && n.ends_with("_sessions"))
        });
        if let Some(p) = found {
            let (key, key_t) = p
                .primary_key
                .clone()
                .unwrap_or_else(|| ("id".to_owned(), None));
            let (key_type, known) = fk_type(key_t.as_deref());
            if !known {
                assumed.push(format!("{}.{key}", p.table.name));
            }
            anchors.push(Anchor {
                role: role.to_owned(),
                table: p.table.name.clone(),
                key,
                key_type,
                at: p.table.at.clone(),
            });
        }
    }

    // Put new tables in an existing observability schema when there is one.
    let schema_prefix = parsed
        .iter()
        .filter_map(|p| p.schema.as_deref())
        .find(|s| OBS_SCHEMAS.contains(&s.to_ascii_lowercase().as_str()))
        .map(|s| format!("{s}."))
        .unwrap_or_default();
    let exists = |name: &str| {
        parsed
            .iter()
            .find(|p| p.unqualified.eq_ignore_ascii_case(name))
            .map(|p| p.table.at.clone())
    };
    let anchor = |role: &str| anchors.iter().find(|a| a.role == role);
    let carriers: Vec<&str> = input
        .f
        .context_carriers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let has_carrier = |n: &str| carriers.contains(&n);

    let fk_col = |role: &str, col: &str, lines: &mut Vec<Col>, notes: &mut Vec<String>| {
        if let Some(a) = anchor(role) {
            lines.push(Col::new(
                col,
                &format!(
                    "{} REFERENCES {} ({}) ON DELETE SET NULL",
                    a.key_type, a.table, a.key
                ),
                Some(format!("{role} table at {}", a.at)),
            ));
            notes.push(format!(
                "{} references {} ({} table, {})",
                code(col),
                code(&a.table),
                role,
                at(&a.at)
            ));
        }
    };
    let traces_table = format!("{schema_prefix}traces");
    let spans_table = format!("{schema_prefix}spans");

    let mut schemas = Vec::new();
    // traces
    {
        let mut cols = vec![
            Col::new(
                "trace_id",
                "CHAR(32) PRIMARY KEY",
                Some("W3C trace-id, 32 hex digits".to_owned()),
            ),
            Col::new("entry_kind", "TEXT NOT NULL", Some(entry_kinds(input))),
            Col::new(
                "entry",
                "TEXT NOT NULL",
                Some("route path or WebSocket path".to_owned()),
            ),
        ];
        let mut notes = Vec::new();
        fk_col("user", "user_id", &mut cols, &mut notes);
        fk_col("session", "session_id", &mut cols, &mut notes);
        fk_col("department", "department_id", &mut cols, &mut notes);
        for (carrier, col) in [
            ("session_id", "session_key"),
            ("user_email", "user_email"),
            ("department", "department"),
        ] {
            let covered = match carrier {
                "session_id" => anchor("session").is_some(),
                "department" => anchor("department").is_some(),
                _ => false,
            };
            if has_carrier(carrier) && !covered {
                cols.push(Col::new(
                    col,
                    "TEXT",
                    Some(format!("carried as `{carrier}` in the code")),
                ));
            }
        }
        cols.push(Col::new("status", "TEXT", Some("ok | error".to_owned())));
        cols.push(Col::new(
            "started_at",
            "TIMESTAMPTZ NOT NULL DEFAULT now()",
            None,
        ));
        cols.push(Col::new("duration_ms", "DOUBLE PRECISION", None));
        schemas.push(schema(
            "traces",
            &traces_table,
            cols,
            exists("traces"),
            notes,
        ));
    }
    // spans
    {
        let names: Vec<&str> = stages
            .iter()
            .filter(|s| !s.evidence.is_empty())
            .map(|s| s.key.as_str())
            .collect();
        let cols = vec![
            Col::new("span_id", "CHAR(16) PRIMARY KEY", None),
            Col::new(
                "trace_id",
                &format!(
                    "CHAR(32) NOT NULL REFERENCES {traces_table} (trace_id) ON DELETE CASCADE"
                ),
                None,
            ),
            Col::new("parent_span_id", "CHAR(16)", None),
            Col::new(
                "name",
                "TEXT NOT NULL",
                Some(if names.is_empty() {
                    "operation name".to_owned()
                } else {
                    names.join(" | ")
                }),
            ),
            Col::new("started_at", "TIMESTAMPTZ NOT NULL", None),
            Col::new("duration_ms", "DOUBLE PRECISION", None),
            Col::new("status", "TEXT", None),
            Col::new("attributes", "JSONB NOT NULL DEFAULT '{}'::jsonb", None),
        ];
        let notes = vec![format!(
            "one row per span boundary found ({} of 6 have evidence, see Trace Injection Points)",
            names.len()
        )];
        schemas.push(schema("spans", &spans_table, cols, exists("spans"), notes));
    }
    // logs
    {
        let tags = input
            .f
            .log_calls
            .iter()
            .filter_map(|c| c.prefix.as_deref())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let mut cols = vec![
            Col::new("id", "BIGSERIAL PRIMARY KEY", None),
            Col::new("logged_at", "TIMESTAMPTZ NOT NULL DEFAULT now()", None),
            Col::new("level", "TEXT NOT NULL", None),
            Col::new("logger", "TEXT NOT NULL", None),
            Col::new(
                "tag",
                "TEXT",
                Some(format!("the [TAG] prefix; {} in use", tags)),
            ),
            Col::new("message", "TEXT NOT NULL", None),
            Col::new(
                "trace_id",
                &format!("CHAR(32) REFERENCES {traces_table} (trace_id) ON DELETE SET NULL"),
                None,
            ),
            Col::new("span_id", "CHAR(16)", None),
        ];
        let mut notes = Vec::new();
        fk_col("user", "user_id", &mut cols, &mut notes);
        cols.push(Col::new(
            "source",
            "TEXT",
            Some("file:line of the call".to_owned()),
        ));
        cols.push(Col::new(
            "attributes",
            "JSONB NOT NULL DEFAULT '{}'::jsonb",
            None,
        ));
        schemas.push(schema(
            "logs",
            &format!("{schema_prefix}logs"),
            cols,
            exists("logs"),
            notes,
        ));
    }
    // alerts
    {
        let mut cols = vec![
            Col::new("id", "BIGSERIAL PRIMARY KEY", None),
            Col::new(
                "rule",
                "TEXT NOT NULL",
                Some("e.g. error rate, p95 latency".to_owned()),
            ),
            Col::new(
                "severity",
                "TEXT NOT NULL",
                Some("info | warning | critical".to_owned()),
            ),
            Col::new(
                "status",
                "TEXT NOT NULL DEFAULT 'firing'",
                Some("firing | resolved".to_owned()),
            ),
            Col::new("fired_at", "TIMESTAMPTZ NOT NULL DEFAULT now()", None),
            Col::new("resolved_at", "TIMESTAMPTZ", None),
            Col::new(
                "trace_id",
                &format!("CHAR(32) REFERENCES {traces_table} (trace_id) ON DELETE SET NULL"),
                None,
            ),
        ];
        let mut notes = Vec::new();
        fk_col("department", "department_id", &mut cols, &mut notes);
        cols.push(Col::new(
            "channels",
            "TEXT[]",
            Some("where it was sent: email, slack".to_owned()),
        ));
        cols.push(Col::new(
            "details",
            "JSONB NOT NULL DEFAULT '{}'::jsonb",
            None,
        ));
        schemas.push(schema(
            "alerts",
            &format!("{schema_prefix}alerts"),
            cols,
            exists("alerts"),
            notes,
        ));
    }
    for s in &mut schemas {
        if !schema_prefix.is_empty() {
            s.notes.push(format!(
                "created in the existing `{}` schema",
                schema_prefix.trim_end_matches('.')
            ));
        }
        if anchors.is_empty() {
            s.notes.push(
                "no user, department or session table found: no foreign key to one".to_owned(),
            );
        }
        for a in &assumed {
            s.notes.push(format!(
                "the type of {} is not in the findings: BIGINT assumed",
                code(a)
            ));
        }
    }

    let mut connections: Vec<Evidence> = Vec::new();
    for c in input
        .f
        .db_connections
        .iter()
        .filter(|c| !super::is_test_file(&c.file))
    {
        connections.push(Evidence {
            at: Loc::new(&c.file, c.line),
            what: format!(
                "{} {}",
                non_empty(&c.library).unwrap_or("database"),
                code(non_empty(&c.call).unwrap_or("connection"))
            ),
        });
    }
    for c in input
        .f
        .redis
        .iter()
        .filter(|c| !super::is_test_file(&c.file))
    {
        connections.push(Evidence {
            at: Loc::new(&c.file, c.line),
            what: format!("Redis {}", code(non_empty(&c.call).unwrap_or("client"))),
        });
    }
    connections.sort_by(|a, b| a.at.cmp(&b.at));
    // The served app's connections first; a script's are said to be
    // outside it.
    let (mut connections, outside) =
        super::by_served_app(input, connections, |e| (e.at.file.as_str(), e.at.line));
    connections.extend(outside.into_iter().map(|mut e| {
        e.what.push_str(" (outside the served app)");
        e
    }));
    let connections_none = connections
        .is_empty()
        .then(|| format!("{}; {}", none_found("db_connections"), none_found("redis")));

    Database {
        connections,
        connections_none,
        tables_none: tables.is_empty().then(|| none_found("sql_tables")),
        observability_none: observability.is_empty().then(|| {
            if tables.is_empty() {
                none_found("sql_tables")
            } else {
                format!(
                    "none among the {} (searched: names containing trace, span, log, alert, metric, error, event, audit, incident; schemas observability, monitoring, telemetry)",
                    plural(tables.len(), "table", "tables")
                )
            }
        }),
        anchors_none: anchors.is_empty().then(|| {
            "none found (searched: tables named users, departments, chat_sessions, sessions and the like in `sql_tables`)".to_owned()
        }),
        tables,
        observability_tables: observability,
        anchors,
        schemas,
    }
}

fn entry_kinds(input: &Input) -> String {
    let http = !input.f.routes.is_empty();
    let ws = !input.f.websocket_endpoints.is_empty();
    match (http, ws) {
        (true, true) => "http | websocket".to_owned(),
        (false, true) => "websocket".to_owned(),
        _ => "http".to_owned(),
    }
}

/// A column line of a generated `CREATE TABLE`.
struct Col {
    name: String,
    def: String,
    comment: Option<String>,
}

impl Col {
    fn new(name: &str, def: &str, comment: Option<String>) -> Col {
        Col {
            name: name.to_owned(),
            def: def.to_owned(),
            comment,
        }
    }
}

fn schema(
    name: &str,
    table: &str,
    cols: Vec<Col>,
    exists: Option<Loc>,
    notes: Vec<String>,
) -> Schema {
    let width = cols.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let body: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let comma = if i + 1 < cols.len() { "," } else { "" };
            let mut line = format!("    {:width$}  {}{comma}", c.name, c.def);
            if let Some(comment) = &c.comment {
                line.push_str(&format!("  -- {comment}"));
            }
            line
        })
        .collect();
    Schema {
        name: name.to_owned(),
        table: table.to_owned(),
        sql: format!("CREATE TABLE {table} (\n{}\n);", body.join("\n")),
        exists,
        notes,
    }
}
