//! `recon scan` on the TypeScript / Svelte fixture (`fixtures/scan/typescript`,
//! a small SvelteKit tree), each expectation written by hand from reading
//! the fixture: frontend websocket messages, routes, notifications, charts,
//! URLs; Svelte 4 and 5 syntax, template expressions, broken Svelte.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::util::scan::scan;
use crate::util::workspace;
use recon_findings::{
    Chart, ChartKind, ExternalUrl, FileCounts, FileError, Findings, FrontendNotification,
    FrontendNotificationKind, FrontendRoute, FrontendRouteKind, MessageDirection, Side,
    WebsocketMessage,
};

fn fixture() -> Findings {
    scan(&workspace().join("fixtures/scan/typescript"), &[])
}

const SOCKET: &str = "src/lib/socket.ts";
const HOME: &str = "src/routes/+page.svelte";
const BLOG: &str = "src/routes/(app)/blog/[slug]/+page.svelte";
const BROKEN: &str = "src/lib/Broken.svelte";
const LEGACY: &str = "src/lib/legacy.js";

fn message(file: &str, line: usize, direction: MessageDirection, t: &str) -> WebsocketMessage {
    WebsocketMessage {
        file: file.into(),
        line,
        side: Side::Frontend,
        direction,
        message_type: t.into(),
    }
}

#[test]
fn websocket_messages() {
    use MessageDirection::*;
    let found = fixture();
    assert_eq!(
        found.websocket_messages,
        [
            // an unclosed <script>: its body still counts
            message(BROKEN, 4, Sent, "after_break"),
            message(LEGACY, 8, Handled, "legacy"),
            message(LEGACY, 10, Sent, "legacy_ack"),
            message(SOCKET, 14, Handled, "hello"),
            // literal on the left, `==`, optional chaining
            message(SOCKET, 15, Handled, "bye"),
            message(SOCKET, 16, Handled, "indexed"),
            // names bound to a type read: `const kind = data.type`,
            // `const { type } = data`, `const { type: alias } = data`
            message(SOCKET, 17, Handled, "bound"),
            message(SOCKET, 18, Handled, "destructured"),
            message(SOCKET, 19, Handled, "aliased"),
            // 20: `!==`; 21: data.kind; 22: a template with a substitution
            // switch (data.type): each string case; 29: `case 4`
            message(SOCKET, 24, Handled, "one"),
            message(SOCKET, 25, Handled, "two"),
            message(SOCKET, 27, Handled, "three"),
            // 34: switch (data.kind) is not over a type
            message(SOCKET, 42, Sent, "chat"),
            // ws.send(JSON.stringify({...})) over lines: the stringify call's line
            message(SOCKET, 44, Sent, "multi_line"),
            message(SOCKET, 48, Sent, "direct"),
            // the first `type` key, wherever it is
            message(SOCKET, 49, Sent, "second_key"),
            // escapes decoded
            message(SOCKET, 50, Sent, "escAped"),
            // 51: not a literal; 52: post(); 53: JSON.parse; 55: a comment
            // BLOG: `data.type` of a page's props (Svelte 4 `$:` and the
            // template) and HOME's template comparisons of a `$state` are no
            // socket's messages; an onclick handler's send is one
            message(HOME, 35, Sent, "clicked"),
        ]
    );
}

/// Handled message types are those of what a socket's `message` handler
/// parsed: followed through names and into the file's functions (two calls
/// deep), and only there. `fixtures/scan/frontend/messages`.
#[test]
fn handled_messages_follow_the_parsed_event() {
    use MessageDirection::*;
    let found = scan(&workspace().join("fixtures/scan/frontend/messages"), &[]);
    const CHAT: &str = "src/lib/chat.ts";
    const CLIENT: &str = "src/lib/client.js";
    assert_eq!(
        found.websocket_messages,
        [
            // socket.onmessage = (event) => {...}: `event.type` (7) is the
            // DOM event's; `data = JSON.parse(event.data as string)`
            message(CHAT, 9, Handled, "hello"),
            // `const t = data.type`, the literal on the left
            message(CHAT, 11, Handled, "bye"),
            message(CHAT, 16, Sent, "join"),
            // addEventListener('message', onMessage): a function by name,
            // `const { type: kind } = JSON.parse(e.data)`; 'open' (29) is
            // not a message handler
            message(CHAT, 22, Handled, "listed"),
            // one call deep: route(socket, data), its second parameter
            message(CHAT, 34, Handled, "stream_chunk"),
            message(CHAT, 35, Handled, "stream_end"),
            message(CHAT, 40, Sent, "ack"),
            // two calls deep: badge({ type }) destructures it, render(msg)
            message(CHAT, 44, Handled, "stream_end"),
            message(CHAT, 48, Handled, "stream_chunk"),
            // 52: finish(), three calls deep, is not followed; 57: a parsed
            // localStorage value is no message
            // this.dispatch(JSON.parse(e.data)): the class's method
            message(CLIENT, 9, Handled, "method"),
            // a function expression handler, `const { type } = ...`
            message(CLIENT, 16, Handled, "function_expression"),
            // `bus.on('message', (raw) => JSON.parse(raw))`, `msg?.type`
            message(CLIENT, 20, Handled, "raw_data"),
            // a Svelte script's handler; the template's `last.type` (10) is
            // not followed, nor are blocks.ts's `block.type` and
            // Artifact.svelte's `artifact.type` (no socket)
            message("src/routes/+page.svelte", 6, Handled, "svelte_message"),
        ]
    );
}

fn route(file: &str, path: &str, kind: FrontendRouteKind, methods: &[&str]) -> FrontendRoute {
    FrontendRoute {
        file: file.into(),
        line: 1,
        path: path.into(),
        kind,
        methods: methods.iter().map(|m| (*m).to_owned()).collect(),
    }
}

#[test]
fn frontend_routes() {
    use FrontendRouteKind::*;
    let found = fixture();
    assert_eq!(
        found.frontend_routes,
        [
            // groups `(app)` are dropped, `[slug]` is kept
            route("src/routes/(app)/+layout.svelte", "/", Layout, &[]),
            route(BLOG, "/blog/[slug]", Page, &[]),
            route(HOME, "/", Page, &[]),
            // exported function, const and `export { remove as DELETE }`;
            // `prerender` is no method
            route(
                "src/routes/api/items/[id]/+server.ts",
                "/api/items/[id]",
                Endpoint,
                &["GET", "POST", "DELETE"]
            ),
            route("src/routes/dash/+page.svelte", "/dash", Page, &[]),
        ]
    );
}

fn notification(
    file: &str,
    line: usize,
    kind: FrontendNotificationKind,
    name: &str,
) -> FrontendNotification {
    FrontendNotification {
        file: file.into(),
        line,
        kind,
        name: name.into(),
    }
}

#[test]
fn frontend_notifications() {
    use FrontendNotificationKind::*;
    let found = fixture();
    let notify = "src/lib/notify.ts";
    let layout = "src/routes/(app)/+layout.svelte";
    assert_eq!(
        found.frontend_notifications,
        [
            notification(BROKEN, 3, Call, "toast"),
            notification(LEGACY, 8, Call, "notifier.notify"),
            notification(notify, 4, Store, "notifications"),
            notification(notify, 5, Store, "toastCount"),
            // 6: a plain constant is no store
            notification(notify, 8, Function, "pushNotification"),
            notification(notify, 9, Call, "notifications.update"),
            notification(notify, 12, Function, "showToast"),
            notification(notify, 12, Call, "toast.success"),
            notification(notify, 15, Call, "toast.error"),
            notification(notify, 16, Call, "window.alert"),
            notification(notify, 17, Call, "addToast"),
            // 18: console.error; 19: $toasts.slice (a store read)
            notification(layout, 7, Component, "Toaster"),
            // <toast-box> is an element, not a component
            notification(layout, 8, Component, "NotificationBell"),
            // Svelte 4: a reactive statement, an on:click handler
            notification(BLOG, 7, Call, "notify"),
            notification(BLOG, 10, Call, "alert"),
            notification(HOME, 18, Call, "toast.warning"),
        ]
    );
}

fn chart(file: &str, line: usize, kind: ChartKind, name: &str, library: Option<&str>) -> Chart {
    Chart {
        file: file.into(),
        line,
        kind,
        name: name.into(),
        library: library.map(Into::into),
    }
}

#[test]
fn charts() {
    use ChartKind::*;
    let found = fixture();
    let pie = "src/lib/charts/Pie.svelte";
    let sales = "src/lib/components/Sales.svelte";
    let dash = "src/routes/dash/+page.svelte";
    assert_eq!(
        found.charts,
        [
            // under charts/, and importing d3
            chart(pie, 1, Component, "Pie", Some("d3")),
            chart(pie, 2, Library, "d3", Some("d3")),
            chart(pie, 3, Library, "d3-scale", Some("d3-scale")),
            // a dynamic import makes a chart component anywhere
            chart(sales, 1, Component, "Sales", Some("echarts")),
            chart(sales, 5, Library, "echarts", Some("echarts")),
            // require() in a .js file: a library, no component
            chart(LEGACY, 2, Library, "apexcharts", Some("apexcharts")),
            // imports of chart components: under charts/, or named *Chart
            chart(dash, 2, Usage, "Pie", None),
            chart(dash, 3, Usage, "BarChart", None),
        ]
    );
}

#[test]
fn external_urls_in_code_only() {
    let found = fixture();
    let url = |file: &str, line, url: &str, host: &str| ExternalUrl {
        file: file.into(),
        line,
        url: url.into(),
        host: host.into(),
    };
    assert_eq!(
        found.external_urls,
        [
            url(LEGACY, 11, "http://localhost:3000/health", "localhost"),
            // 10: wss://; 34: an HTML attribute is no code
            url(HOME, 8, "https://api.example.com/v1", "api.example.com"),
            // a template string without substitution; 6: one that starts
            // with a substitution
            url(
                "src/routes/api/items/[id]/+server.ts",
                3,
                "https://inventory.example.net/items",
                "inventory.example.net"
            ),
        ]
    );
}

#[test]
fn broken_svelte_is_reported_and_scanned() {
    let found = fixture();
    assert_eq!(
        found.errors,
        [FileError {
            file: BROKEN.into(),
            reason: "syntax error at line 1".into(),
        }]
    );
    assert_eq!(found.files_scanned, 11);
    assert_eq!(
        found.files_by_language,
        FileCounts {
            python: 0,
            typescript: 4,
            svelte: 7,
            sql: 0,
            env: 0,
        }
    );
    // No Python category picks up anything from TypeScript.
    assert!(found.routes.is_empty() && found.log_calls.is_empty() && found.call_graph.is_empty());
}

/// The fixture app's SvelteKit frontend, by hand.
#[test]
fn fixture_app_frontend() {
    use FrontendNotificationKind::*;
    use MessageDirection::*;
    let found = scan(&workspace().join("fixtures/app"), &[]);
    let ws = "frontend/src/lib/stores/websocket.ts";
    let frontend: Vec<WebsocketMessage> = found
        .websocket_messages
        .iter()
        .filter(|m| m.side == Side::Frontend)
        .cloned()
        .collect();
    assert_eq!(
        frontend,
        [
            message(ws, 36, Sent, "ping"),
            message(ws, 41, Handled, "pong"),
            message(ws, 42, Handled, "connected"),
            message(ws, 57, Handled, "thinking"),
            message(ws, 61, Handled, "stream_chunk"),
            message(ws, 68, Handled, "stream_end"),
            message(ws, 74, Handled, "department_changed"),
            message(ws, 77, Handled, "session_expired"),
            message(ws, 81, Handled, "error"),
            message(ws, 98, Sent, "message"),
            message(ws, 102, Sent, "typing"),
            message(ws, 106, Sent, "cancel"),
            message(ws, 110, Sent, "set_department"),
        ]
    );
    // Every backend side is Python.
    assert!(
        found
            .websocket_messages
            .iter()
            .all(|m| (m.side == Side::Backend) == m.file.ends_with(".py"))
    );

    use FrontendRouteKind::*;
    let r = "frontend/src/routes";
    assert_eq!(
        found.frontend_routes,
        [
            route(&format!("{r}/+layout.svelte"), "/", Layout, &[]),
            route(&format!("{r}/+page.svelte"), "/", Page, &[]),
            route(&format!("{r}/admin/+layout.svelte"), "/admin", Layout, &[]),
            route(&format!("{r}/admin/+page.svelte"), "/admin", Page, &[]),
            route(
                &format!("{r}/admin/analytics/+page.svelte"),
                "/admin/analytics",
                Page,
                &[]
            ),
            route(
                &format!("{r}/admin/users/+page.svelte"),
                "/admin/users",
                Page,
                &[]
            ),
            route(
                &format!("{r}/api/health/+server.ts"),
                "/api/health",
                Endpoint,
                &["GET"]
            ),
        ]
    );

    let toast = "frontend/src/lib/stores/toast.ts";
    assert_eq!(
        found.frontend_notifications,
        [
            notification(toast, 14, Store, "toasts"),
            notification(toast, 16, Function, "notify"),
            notification(toast, 18, Call, "toasts.update"),
            notification(toast, 26, Call, "toasts.update"),
            notification(toast, 32, Call, "alert"),
            notification(ws, 43, Call, "notify"),
            notification(ws, 75, Call, "notify"),
            notification(ws, 78, Call, "notify"),
            notification(ws, 83, Call, "notify"),
            notification(&format!("{r}/+layout.svelte"), 8, Component, "Toast"),
            notification(&format!("{r}/admin/+page.svelte"), 10, Call, "notify"),
            notification(&format!("{r}/admin/users/+page.svelte"), 22, Call, "notify"),
        ]
    );

    use ChartKind::{Library, Usage};
    let charts = "frontend/src/lib/components/admin/charts";
    let latency = format!("{charts}/LatencyChart.svelte");
    let usage = format!("{charts}/UsageChart.svelte");
    let analytics = format!("{r}/admin/analytics/+page.svelte");
    assert_eq!(
        found.charts,
        [
            chart(
                &latency,
                1,
                ChartKind::Component,
                "LatencyChart",
                Some("chart.js")
            ),
            chart(&latency, 3, Library, "chart.js", Some("chart.js")),
            chart(
                &usage,
                1,
                ChartKind::Component,
                "UsageChart",
                Some("chart.js")
            ),
            chart(&usage, 3, Library, "chart.js/auto", Some("chart.js")),
            chart(&analytics, 3, Usage, "LatencyChart", None),
            chart(&analytics, 4, Usage, "UsageChart", None),
        ]
    );

    let frontend_urls: Vec<(&str, usize, &str)> = found
        .external_urls
        .iter()
        .filter(|u| u.file.starts_with("frontend/"))
        .map(|u| (u.file.as_str(), u.line, u.url.as_str()))
        .collect();
    assert_eq!(
        frontend_urls,
        [
            (
                "frontend/src/routes/api/health/+server.ts",
                4,
                "http://localhost:8000"
            ),
            ("frontend/vite.config.ts", 8, "http://localhost:8000"),
        ]
    );
}

/// Webhook URLs with their token in TypeScript literals and Svelte
/// `<script>` code, read off `fixtures/scan/frontend/hardcoded_secrets` by
/// hand: a placeholder after the marker, a marker without token, an env
/// read, a comment, markup and template expressions are none.
#[test]
fn hardcoded_secrets_in_code_only() {
    use recon_findings::{HardcodedSecret, SecretKind};
    let found = scan(
        &workspace().join("fixtures/scan/frontend/hardcoded_secrets"),
        &[],
    );
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    let secret = |file: &str, line: usize, name: &str| HardcodedSecret {
        file: file.into(),
        line,
        kind: SecretKind::WebhookUrl,
        name: name.into(),
    };
    assert_eq!(
        found.hardcoded_secrets,
        [
            // 6: markup; 7: a template expression, not `<script>` code
            secret("src/lib/Alert.svelte", 3, "discordapp.com"),
            // 2: placeholders; 3: a placeholder right after the marker;
            // 4: no token; 5: env; 6: a comment; 7: no webhook marker
            secret("src/lib/hooks.ts", 1, "hooks.slack.com"),
        ]
    );
}
