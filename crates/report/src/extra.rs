//! A lenient view of the findings categories that `recon-findings` reserves
//! but may not carry yet (`sql_tables`, `frontend_routes`, `notifications`,
//! `call_graph`...).
//!
//! The findings are serialised to JSON once and each such category is read
//! by key: a missing key means the scanner does not produce that category
//! ([`Category::present`] is false), an empty array that it looked and found
//! nothing. Items are read field by field with a list of accepted names, so a
//! category renders as soon as the scanner emits it, whatever its exact
//! shape; an item without a `file` and a 1-based `line` is skipped, so every
//! location the report prints still comes from a finding.

use recon_findings::Findings;
use serde_json::{Map, Value};

/// One category read by key.
#[derive(Debug, Clone, Default)]
pub struct Category {
    /// The findings have this key.
    pub present: bool,
    /// Its items that have a `file` and a `line`.
    pub items: Vec<Item>,
}

/// One item of a lenient category.
#[derive(Debug, Clone)]
pub struct Item {
    pub file: String,
    pub line: usize,
    fields: Map<String, Value>,
}

impl Item {
    /// The first of `keys` that holds a string (or a number, as text).
    pub fn text(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| match self.fields.get(*k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }

    /// The first of `keys` that holds a boolean.
    pub fn flag(&self, keys: &[&str]) -> Option<bool> {
        keys.iter()
            .find_map(|k| self.fields.get(*k).and_then(Value::as_bool))
    }

    /// The first of `keys` that holds an array.
    pub fn list(&self, keys: &[&str]) -> Vec<Value> {
        keys.iter()
            .find_map(|k| self.fields.get(*k).and_then(Value::as_array).cloned())
            .unwrap_or_default()
    }

    /// A short label: the first string field among the usual names.
    pub fn label(&self) -> Option<String> {
        self.text(&[
            "name",
            "kind",
            "channel",
            "provider",
            "library",
            "client",
            "url",
            "path",
            "route",
            "component",
            "env",
            "variable",
            "target",
        ])
    }
}

/// The reserved categories, read from the serialised findings.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub sql_tables: Category,
    pub sql_indexes: Category,
    pub frontend_routes: Category,
    pub frontend_notifications: Category,
    pub charts: Category,
    pub notifications: Category,
    pub external_urls: Category,
    pub db_connections: Category,
    pub redis: Category,
    pub ai_providers: Category,
    pub functions: Category,
}

impl Extra {
    /// Read the reserved categories of `findings`.
    pub fn read(findings: &Findings) -> Extra {
        Extra::from_value(&lenient_view(findings))
    }

    /// Read the reserved categories of serialised findings.
    pub fn from_value(value: &Value) -> Extra {
        let empty = Map::new();
        let object = value.as_object().unwrap_or(&empty);
        let get = |key: &str| category(object.get(key));
        Extra {
            sql_tables: get("sql_tables"),
            sql_indexes: get("sql_indexes"),
            frontend_routes: get("frontend_routes"),
            frontend_notifications: get("frontend_notifications"),
            charts: get("charts"),
            notifications: get("notifications"),
            external_urls: get("external_urls"),
            db_connections: get("db_connections"),
            redis: get("redis"),
            ai_providers: get("ai_providers"),
            functions: get("functions"),
        }
    }
}

/// The categories the lenient readers look at ([`Extra`], and the optional
/// fields of `loggers` and `log_calls`), as one JSON object. Only these are
/// serialised: the whole findings object of a large checkout is mostly its
/// `call_graph` (450k edges on the CPython stdlib), which no lenient reader
/// needs.
pub fn lenient_view(findings: &Findings) -> Value {
    fn put<T: serde::Serialize>(map: &mut Map<String, Value>, key: &str, items: &T) {
        map.insert(
            key.to_owned(),
            serde_json::to_value(items).unwrap_or(Value::Null),
        );
    }
    let f = findings;
    let mut map = Map::new();
    put(&mut map, "sql_tables", &f.sql_tables);
    put(&mut map, "sql_indexes", &f.sql_indexes);
    put(&mut map, "frontend_routes", &f.frontend_routes);
    put(
        &mut map,
        "frontend_notifications",
        &f.frontend_notifications,
    );
    put(&mut map, "charts", &f.charts);
    put(&mut map, "notifications", &f.notifications);
    put(&mut map, "external_urls", &f.external_urls);
    put(&mut map, "db_connections", &f.db_connections);
    put(&mut map, "redis", &f.redis);
    put(&mut map, "ai_providers", &f.ai_providers);
    put(&mut map, "loggers", &f.loggers);
    put(&mut map, "log_calls", &f.log_calls);
    Value::Object(map)
}

fn category(value: Option<&Value>) -> Category {
    let Some(value) = value else {
        return Category::default();
    };
    let items = value
        .as_array()
        .map(|items| items.iter().filter_map(item).collect())
        .unwrap_or_default();
    Category {
        present: true,
        items,
    }
}

fn item(value: &Value) -> Option<Item> {
    let fields = value.as_object()?;
    let file = fields.get("file")?.as_str()?.to_owned();
    let line = usize::try_from(fields.get("line")?.as_u64()?).ok()?;
    if file.is_empty() || line == 0 {
        return None;
    }
    Some(Item {
        file,
        line,
        fields: fields.clone(),
    })
}

/// A string, or the first string field of an object among `keys`.
pub fn value_text(value: &Value, keys: &[&str]) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => keys
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_owned)),
        _ => None,
    }
}
