//! What one file gives, before the findings of all files are merged and
//! sorted.

use std::sync::Arc;

use recon_findings::{
    AiProvider, BackgroundTask, Chart, ContextCarrier, DbConnection, ExceptBody, ExceptHandler,
    ExternalUrl, FileError, FrontendNotification, FrontendRoute, LogCall, LogMessage, Logger,
    LoggingConfig, MetricsCall, Middleware, Notification, PrintCall, RedisClient, Route,
    RouteRouter, SqlIndex, SqlTable, Timing, WebsocketMessage,
};

/// One finding and the column it starts at (for a stable order within a line).
pub(crate) type WithColumn<T> = (usize, T);

/// What one file gave.
#[derive(Debug, Default)]
pub(crate) struct FileFindings {
    pub routes: Vec<WithColumn<Route>>,
    pub middleware: Vec<WithColumn<Middleware>>,
    pub loggers: Vec<WithColumn<Logger>>,
    pub log_calls: Vec<WithColumn<LogCall>>,
    pub except_handlers: Vec<WithColumn<ExceptHandler>>,
    pub websocket_messages: Vec<WithColumn<WebsocketMessage>>,
    pub context_carriers: Vec<WithColumn<ContextCarrier>>,
    pub timing: Vec<WithColumn<Timing>>,
    pub metrics_calls: Vec<WithColumn<MetricsCall>>,
    pub background_tasks: Vec<WithColumn<BackgroundTask>>,
    pub notifications: Vec<WithColumn<Notification>>,
    pub external_urls: Vec<WithColumn<ExternalUrl>>,
    pub db_connections: Vec<WithColumn<DbConnection>>,
    pub redis: Vec<WithColumn<RedisClient>>,
    pub ai_providers: Vec<WithColumn<AiProvider>>,
    pub sql_tables: Vec<WithColumn<SqlTable>>,
    pub sql_indexes: Vec<WithColumn<SqlIndex>>,
    pub frontend_routes: Vec<WithColumn<FrontendRoute>>,
    pub frontend_notifications: Vec<WithColumn<FrontendNotification>>,
    pub charts: Vec<WithColumn<Chart>>,
    pub logging_config: Vec<WithColumn<LoggingConfig>>,
    pub print_calls: Vec<WithColumn<PrintCall>>,
    pub log_messages: Vec<WithColumn<LogMessage>>,
    pub except_bodies: Vec<WithColumn<ExceptBody>>,
    pub route_routers: Vec<WithColumn<RouteRouter>>,
    /// A Python module's semantic summary (its path relative to the root),
    /// for the call graph; `None` when its tokens could not be read.
    pub module: Option<(Arc<str>, recon_semantic::ModuleSummary)>,
    pub errors: Vec<FileError>,
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
        self.routes.append(&mut other.routes);
        self.middleware.append(&mut other.middleware);
        self.loggers.append(&mut other.loggers);
        self.log_calls.append(&mut other.log_calls);
        self.except_handlers.append(&mut other.except_handlers);
        self.websocket_messages
            .append(&mut other.websocket_messages);
        self.context_carriers.append(&mut other.context_carriers);
        self.timing.append(&mut other.timing);
        self.metrics_calls.append(&mut other.metrics_calls);
        self.background_tasks.append(&mut other.background_tasks);
        self.notifications.append(&mut other.notifications);
        self.external_urls.append(&mut other.external_urls);
        self.db_connections.append(&mut other.db_connections);
        self.redis.append(&mut other.redis);
        self.ai_providers.append(&mut other.ai_providers);
        self.sql_tables.append(&mut other.sql_tables);
        self.sql_indexes.append(&mut other.sql_indexes);
        self.frontend_routes.append(&mut other.frontend_routes);
        self.frontend_notifications
            .append(&mut other.frontend_notifications);
        self.charts.append(&mut other.charts);
        self.logging_config.append(&mut other.logging_config);
        self.print_calls.append(&mut other.print_calls);
        self.log_messages.append(&mut other.log_messages);
        self.except_bodies.append(&mut other.except_bodies);
        self.route_routers.append(&mut other.route_routers);
        if other.module.is_some() {
            self.module = other.module.take();
        }
        self.errors.append(&mut other.errors);
    }

    /// Whether the file gave no finding at all (errors aside).
    #[cfg(test)]
    pub(crate) fn has_no_findings(&self) -> bool {
        self.routes.is_empty()
            && self.middleware.is_empty()
            && self.loggers.is_empty()
            && self.log_calls.is_empty()
            && self.except_handlers.is_empty()
            && self.websocket_messages.is_empty()
            && self.context_carriers.is_empty()
            && self.timing.is_empty()
            && self.metrics_calls.is_empty()
            && self.background_tasks.is_empty()
            && self.notifications.is_empty()
            && self.external_urls.is_empty()
            && self.db_connections.is_empty()
            && self.redis.is_empty()
            && self.ai_providers.is_empty()
            && self.sql_tables.is_empty()
            && self.sql_indexes.is_empty()
            && self.frontend_routes.is_empty()
            && self.frontend_notifications.is_empty()
            && self.charts.is_empty()
            && self.logging_config.is_empty()
            && self.print_calls.is_empty()
            && self.log_messages.is_empty()
            && self.except_bodies.is_empty()
            && self.route_routers.is_empty()
            && self.module.as_ref().is_none_or(|(_, m)| m.calls.is_empty())
    }
}
