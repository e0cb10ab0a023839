//! Calls and subscripts read through the module's imports: `db_connections`,
//! `redis`, the client, embedding and environment parts of `ai_providers`
//! and `notifications`.

use recon_findings::{
    AiKind, AiProvider, DbConnection, Notification, NotificationKind, RedisClient,
};
use tree_sitter::{Node, Query, QueryMatch};

use super::imports::Imports;
use super::strings::literal_url;
use super::text::{keyword_arg, last_segment, positional_args, string_value, unparenthesize};
use super::triggers::{Registry, role};
use super::{Document, WithColumn, capture, node};
use crate::common::{is_notification_env, is_webhook_url, provider_of_env, provider_of_host};

pub(super) struct Captures {
    call: u32,
    callee: u32,
    arguments: u32,
    subscript: u32,
    subscript_value: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            call: capture(query, "call")?,
            callee: capture(query, "call.callee")?,
            arguments: capture(query, "call.arguments")?,
            subscript: capture(query, "subscript")?,
            subscript_value: capture(query, "subscript.value")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Call {
        call: Node<'t>,
        callee: Node<'t>,
        arguments: Node<'t>,
    },
    Subscript {
        subscript: Node<'t>,
        value: Node<'t>,
    },
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.call) {
        return Some(Raw::Call {
            call,
            callee: node(m, caps.callee)?,
            arguments: node(m, caps.arguments)?,
        });
    }
    Some(Raw::Subscript {
        subscript: node(m, caps.subscript)?,
        value: node(m, caps.subscript_value)?,
    })
}

/// Database libraries: (library, module roots, callee last segments).
pub const DB_CALLS: &[(&str, &[&str], &[&str])] = &[
    ("asyncpg", &["asyncpg"], &["connect", "create_pool"]),
    (
        "psycopg",
        &["psycopg", "psycopg2", "psycopg_pool"],
        &[
            "connect",
            "ConnectionPool",
            "AsyncConnectionPool",
            "NullConnectionPool",
            "AsyncNullConnectionPool",
            "SimpleConnectionPool",
            "ThreadedConnectionPool",
        ],
    ),
    (
        "sqlalchemy",
        &["sqlalchemy"],
        &["create_engine", "create_async_engine", "engine_from_config"],
    ),
    ("sqlite", &["sqlite3", "aiosqlite"], &["connect"]),
    (
        "mysql",
        &["pymysql", "aiomysql", "MySQLdb", "mysql"],
        &["connect", "create_pool"],
    ),
];

/// Redis: module roots and callee last segments.
pub const REDIS_ROOTS: &[&str] = &["redis", "aioredis"];
pub const REDIS_CALLS: &[&str] = &[
    "Redis",
    "StrictRedis",
    "from_url",
    "ConnectionPool",
    "BlockingConnectionPool",
    "RedisCluster",
    "Sentinel",
    "create_redis",
    "create_redis_pool",
    "create_pool",
];

/// Model provider SDK clients: (module root, class names, provider).
pub const AI_CLIENTS: &[(&str, &[&str], &str)] = &[
    (
        "openai",
        &["OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"],
        "openai",
    ),
    ("anthropic", &["Anthropic", "AsyncAnthropic"], "anthropic"),
    ("xai_sdk", &["Client", "AsyncClient"], "xai"),
];

/// Callee last segments that are embedding calls.
pub const EMBEDDING_CALLS: &[&str] = &[
    "embed",
    "embed_query",
    "embed_documents",
    "aembed_query",
    "aembed_documents",
    "get_embedding",
    "get_embeddings",
    "create_embedding",
    "create_embeddings",
];

/// SMTP: module roots and class names; plus `aiosmtplib.send`.
pub const SMTP_ROOTS: &[&str] = &["smtplib", "aiosmtplib"];
pub const SMTP_CLASSES: &[&str] = &["SMTP", "SMTP_SSL", "LMTP"];

/// Slack and webhook client classes (callee last segment).
pub const NOTIFY_CLIENTS: &[&str] = &[
    "WebClient",
    "AsyncWebClient",
    "WebhookClient",
    "AsyncWebhookClient",
    "SlackClient",
    "DiscordWebhook",
];

/// What lets a unit through: the client modules, read through the imports;
/// the notification clients and embedding calls matched on the callee's
/// last name, any receiver (or imported under another name); environment
/// reads (`os.getenv`, `os.environ`, or imported from `os` under another
/// name); `post` / `put` calls (webhook posts).
pub(super) fn triggers(registry: &mut Registry) {
    let db = DB_CALLS
        .iter()
        .flat_map(|(_, roots, _)| roots.iter().copied());
    let ai = AI_CLIENTS.iter().map(|(root, _, _)| *root);
    registry.imported_roots(
        db.chain(REDIS_ROOTS.iter().copied())
            .chain(ai)
            .chain(SMTP_ROOTS.iter().copied()),
    );
    registry.names(NOTIFY_CLIENTS.iter().copied(), role::ALWAYS);
    registry.renamed(None, NOTIFY_CLIENTS);
    registry.names(EMBEDDING_CALLS.iter().copied(), role::ALWAYS);
    registry.names(["embeddings", "Embedding"], role::ALWAYS);
    registry.names(["getenv"], role::GETENV);
    registry.names(["environ"], role::ENVIRON);
    registry.renamed(Some("os"), &["getenv", "environ", "get"]);
    registry.names(["post", "put"], role::POST);
}

/// What one module's calls and subscripts gave.
#[derive(Default)]
pub(super) struct Found {
    pub db_connections: Vec<WithColumn<DbConnection>>,
    pub redis: Vec<WithColumn<RedisClient>>,
    pub ai_providers: Vec<WithColumn<AiProvider>>,
    pub notifications: Vec<WithColumn<Notification>>,
}

fn root_and_last(qualified: &str) -> (&str, &str) {
    let root = qualified.split('.').next().unwrap_or(qualified);
    let last = qualified.rsplit('.').next().unwrap_or(qualified);
    (root, last)
}

pub(super) fn extract(raws: &[Raw<'_>], imports: &Imports, ctx: &Document<'_>) -> Found {
    let mut found = Found::default();
    let file = || ctx.file.to_owned();
    for raw in raws {
        match raw {
            Raw::Call {
                call,
                callee,
                arguments,
            } => {
                let (column, line) = (call.start_position().column, ctx.line(*call));
                if let Some(q) = imports.qualified(*callee, ctx.src) {
                    let (root, last) = root_and_last(&q);
                    for (library, roots, calls) in DB_CALLS {
                        if roots.contains(&root) && calls.contains(&last) {
                            found.db_connections.push((
                                column,
                                DbConnection {
                                    file: file(),
                                    line,
                                    library: (*library).to_owned(),
                                    call: q.clone(),
                                },
                            ));
                        }
                    }
                    if REDIS_ROOTS.contains(&root) && REDIS_CALLS.contains(&last) {
                        found.redis.push((
                            column,
                            RedisClient {
                                file: file(),
                                line,
                                call: q.clone(),
                            },
                        ));
                    }
                    for (module, classes, provider) in AI_CLIENTS {
                        if root == *module && classes.contains(&last) {
                            let provider = keyword_arg(*arguments, "base_url", ctx.src)
                                .and_then(|v| literal_url(v, ctx.src))
                                .and_then(|(_, host)| provider_of_host(&host))
                                .unwrap_or(provider);
                            found.ai_providers.push((
                                column,
                                AiProvider {
                                    file: file(),
                                    line,
                                    provider: Some(provider.to_owned()),
                                    kind: AiKind::Client,
                                    name: q.clone(),
                                },
                            ));
                        }
                    }
                    if (SMTP_ROOTS.contains(&root) && SMTP_CLASSES.contains(&last))
                        || q == "aiosmtplib.send"
                    {
                        found.notifications.push((
                            column,
                            notification(ctx, line, NotificationKind::Smtp, q.clone()),
                        ));
                    }
                    if NOTIFY_CLIENTS.contains(&last) {
                        found.notifications.push((
                            column,
                            notification(ctx, line, NotificationKind::Client, q.clone()),
                        ));
                    }
                    if matches!(q.as_str(), "os.getenv" | "os.environ.get")
                        && let Some(name) = positional_args(*arguments)
                            .first()
                            .and_then(|a| string_value(*a, ctx.src))
                    {
                        env_read(&mut found, ctx, column, line, name);
                    }
                }
                let Some(last) = last_segment(*callee, ctx.src) else {
                    continue;
                };
                if EMBEDDING_CALLS.contains(&last) {
                    found
                        .ai_providers
                        .push((column, embedding(ctx, line, last.to_owned())));
                } else if last == "create"
                    && let Some(object) = callee.child_by_field_name("object")
                    && let Some(object_last) = last_segment(object, ctx.src)
                    && matches!(object_last, "embeddings" | "Embedding")
                {
                    found.ai_providers.push((
                        column,
                        embedding(ctx, line, format!("{object_last}.create")),
                    ));
                }
                if matches!(last, "post" | "put")
                    && let Some(first) = positional_args(*arguments).first()
                    && let Some(name) = webhook_target(*first, ctx.src)
                {
                    found.notifications.push((
                        column,
                        notification(ctx, line, NotificationKind::Webhook, name),
                    ));
                }
            }
            Raw::Subscript { subscript, value } => {
                if imports.qualified(*value, ctx.src).as_deref() != Some("os.environ") {
                    continue;
                }
                let mut cursor = subscript.walk();
                let keys: Vec<Node<'_>> = subscript
                    .children_by_field_name("subscript", &mut cursor)
                    .collect();
                if let [key] = keys.as_slice()
                    && let Some(name) = string_value(*key, ctx.src)
                {
                    env_read(
                        &mut found,
                        ctx,
                        subscript.start_position().column,
                        ctx.line(*subscript),
                        name,
                    );
                }
            }
        }
    }
    found
}

fn notification(
    ctx: &Document<'_>,
    line: usize,
    kind: NotificationKind,
    name: String,
) -> Notification {
    Notification {
        file: ctx.file.to_owned(),
        line,
        kind,
        name,
    }
}

fn embedding(ctx: &Document<'_>, line: usize, name: String) -> AiProvider {
    AiProvider {
        file: ctx.file.to_owned(),
        line,
        provider: None,
        kind: AiKind::Embedding,
        name,
    }
}

/// An environment variable read: an alerting setting, a provider key, both
/// or neither.
fn env_read(found: &mut Found, ctx: &Document<'_>, column: usize, line: usize, name: String) {
    if is_notification_env(&name) {
        found.notifications.push((
            column,
            notification(ctx, line, NotificationKind::Env, name.clone()),
        ));
    }
    if let Some(provider) = provider_of_env(&name) {
        found.ai_providers.push((
            column,
            AiProvider {
                file: ctx.file.to_owned(),
                line,
                provider: Some(provider.to_owned()),
                kind: AiKind::Env,
                name,
            },
        ));
    }
}

/// The first argument of a post: a name whose last segment, upper-cased,
/// contains `WEBHOOK` or `SLACK` (that segment), or a webhook URL literal.
fn webhook_target(argument: Node<'_>, src: &str) -> Option<String> {
    let argument = unparenthesize(argument);
    if let Some(name) = last_segment(argument, src) {
        let upper = name.to_ascii_uppercase();
        return (upper.contains("WEBHOOK") || upper.contains("SLACK")).then(|| name.to_owned());
    }
    let (url, host) = literal_url(argument, src)?;
    is_webhook_url(&url, &host).then_some(url)
}
