#!/usr/bin/env python3
"""Independent oracle for `recon scan --format json`, Python categories.

Written from the rules in DESIGN.md ("Typed findings") and the crate docs of
recon-findings, with CPython's `ast` (and `tokenize` for the first part of an
implicitly concatenated string), sharing no code with recon: routes,
middleware, loggers, log_calls, except_handlers, and the later categories
websocket_endpoints, websocket_messages (backend side), context_carriers,
timing, metrics_calls, background_tasks, notifications, external_urls,
db_connections, redis and ai_providers (Python and `.env*` files), and
logging_config, print_calls, log_messages, except_bodies, route_routers,
error_trackers, tracing_setup, wall_clock_durations and hardcoded_secrets
(Python files).
(`call_graph` is judged by `jedi_calls.py`, an oracle built on jedi.) Prints
the same JSON shape (schema recon.findings/1) for a root directory:

    python3 tests/oracle/py_findings.py ROOT [--no-ignore]

File selection is re-implemented here too: .gitignore / .ignore files under
the root (git's pattern syntax; deeper files and .ignore win), no hidden path
except `.env*` files, never node_modules, venv, .venv, site-packages or
__pycache__, never .git, symlinks not followed. (Ignore files of the root's
parents and .git/info/exclude are not read: the tests scan roots that have
none.)

A file CPython cannot parse is listed in `errors` with no findings: the tests
compare findings only in files both tools parsed cleanly, and compare the sets
of files with errors.
"""

import ast
import io
import json
import os
import re
import sys
import tokenize

ROUTE_METHODS = ["get", "post", "put", "delete", "patch", "options", "head", "websocket", "api_route", "route"]
ROUTER_FACTORIES = {"FastAPI", "APIRouter", "Starlette", "Router"}
ROUTER_NAMES = {"app", "router", "api", "api_router"}
LOGGER_FACTORIES = {"getLogger", "get_logger"}
LOGGER_NAMES = {"logger", "log", "_logger", "LOGGER", "_log"}
LOG_LEVELS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
EXCLUDED = {"node_modules", "venv", ".venv", "site-packages", "__pycache__"}
SEND_METHODS = {"send_json", "send_text", "send", "broadcast"}
CARRIER_NAMES = {
    "trace_id", "span_id", "request_id", "correlation_id", "session_id", "user_email",
    "user_id", "tenant_id", "department", "division", "current_user",
}
CARRIER_HEADERS = {
    "x-request-id", "x-correlation-id", "x-trace-id", "x-user-email", "x-department",
    "x-session-id", "traceparent", "tracestate",
}
CLOCKS = {
    "time.time", "time.time_ns", "time.perf_counter", "time.perf_counter_ns", "time.monotonic",
    "time.monotonic_ns", "time.process_time", "perf_counter", "perf_counter_ns", "monotonic",
    "monotonic_ns",
}
CATEGORIES = [
    "routes", "middleware", "loggers", "log_calls", "except_handlers", "websocket_endpoints",
    "websocket_messages", "context_carriers", "timing", "metrics_calls", "background_tasks",
    "notifications", "external_urls", "db_connections", "redis", "ai_providers", "logging_config",
    "print_calls", "log_messages", "except_bodies", "route_routers", "error_trackers",
    "tracing_setup",
    "wall_clock_durations",
    "hardcoded_secrets",
]
LOGGING_CONFIG_CALLS = {
    "logging.basicConfig": "basicConfig",
    "logging.config.dictConfig": "dictConfig",
    "logging.config.fileConfig": "fileConfig",
}
ERROR_TRACKER_CALLS = {
    "sentry_sdk.init": ("sentry", "init"),
    "sentry_sdk.capture_exception": ("sentry", "capture"),
    "sentry_sdk.capture_message": ("sentry", "capture"),
    "rollbar.init": ("rollbar", "init"),
    "rollbar.report_exc_info": ("rollbar", "capture"),
    "rollbar.report_message": ("rollbar", "capture"),
    "bugsnag.configure": ("bugsnag", "init"),
    "bugsnag.notify": ("bugsnag", "capture"),
}
# tracing_setup: OpenTelemetry functions and classes by qualified name, and
# the methods of an `*Instrumentor` under `opentelemetry` that instrument.
TRACING_SETUP_CALLS = {
    "opentelemetry.trace.set_tracer_provider": "set_tracer_provider",
    "opentelemetry.trace.get_tracer": "get_tracer",
    "opentelemetry.sdk.trace.TracerProvider": "tracer_provider",
}
INSTRUMENT_METHODS = {"instrument", "instrument_app"}
LOGGING_CONFIG_FILES = {"logging.conf", "logging.ini", "logging.yaml", "logging.yml"}
TYPESCRIPT_EXTENSIONS = {"ts", "mts", "cts", "js", "mjs", "cjs"}
DB_CALLS = [
    ("asyncpg", {"asyncpg"}, {"connect", "create_pool"}),
    (
        "psycopg",
        {"psycopg", "psycopg2", "psycopg_pool"},
        {
            "connect", "ConnectionPool", "AsyncConnectionPool", "NullConnectionPool",
            "AsyncNullConnectionPool", "SimpleConnectionPool", "ThreadedConnectionPool",
        },
    ),
    ("sqlalchemy", {"sqlalchemy"}, {"create_engine", "create_async_engine", "engine_from_config"}),
    ("sqlite", {"sqlite3", "aiosqlite"}, {"connect"}),
    ("mysql", {"pymysql", "aiomysql", "MySQLdb", "mysql"}, {"connect", "create_pool"}),
]
REDIS_ROOTS = {"redis", "aioredis"}
REDIS_CALLS = {
    "Redis", "StrictRedis", "from_url", "ConnectionPool", "BlockingConnectionPool",
    "RedisCluster", "Sentinel", "create_redis", "create_redis_pool", "create_pool",
}
AI_CLIENTS = [
    ("openai", {"OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"}, "openai"),
    ("anthropic", {"Anthropic", "AsyncAnthropic"}, "anthropic"),
    ("xai_sdk", {"Client", "AsyncClient"}, "xai"),
]
EMBEDDING_CALLS = {
    "embed", "embed_query", "embed_documents", "aembed_query", "aembed_documents",
    "get_embedding", "get_embeddings", "create_embedding", "create_embeddings",
}
SMTP_ROOTS = {"smtplib", "aiosmtplib"}
SMTP_CLASSES = {"SMTP", "SMTP_SSL", "LMTP"}
NOTIFY_CLIENTS = {
    "WebClient", "AsyncWebClient", "WebhookClient", "AsyncWebhookClient", "SlackClient",
    "DiscordWebhook",
}
PROVIDER_HOSTS = {
    "api.openai.com": "openai", "api.anthropic.com": "anthropic", "api.x.ai": "xai",
    "api.deepinfra.com": "deepinfra",
}
MODEL_PREFIXES = [
    ("gpt-", "openai"), ("chatgpt-", "openai"), ("text-embedding-", "openai"),
    ("claude-", "anthropic"), ("grok-", "xai"),
]
NOTIFICATION_ENV_WORDS = ["SMTP", "MAIL", "SLACK", "WEBHOOK", "NOTIFY", "ALERT"]
PROVIDER_ENV_WORDS = {
    "OPENAI": "openai", "ANTHROPIC": "anthropic", "XAI": "xai", "GROK": "xai",
    "DEEPINFRA": "deepinfra",
}


def language_of(rel):
    """The language recon reads a file as (None: not read)."""
    name = rel.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[1] if "." in name else ""
    if ext == "py":
        return "python"
    if ext == "svelte":
        return "svelte"
    if ext == "sql":
        return "sql"
    if ext in TYPESCRIPT_EXTENSIONS:
        return "typescript"
    if name.startswith(".env"):
        return "env"
    return None


def url_and_host(text):
    """(url, host) when text starts with http:// or https:// and has a host."""
    if text is None:
        return None
    lower = text[:8].lower()
    if lower.startswith("https://"):
        rest = text[8:]
    elif lower.startswith("http://"):
        rest = text[7:]
    else:
        return None
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority:
        authority = authority[authority.rfind("@") + 1 :]
    if authority.startswith("["):
        end = authority.find("]")
        host = authority[: end + 1] if end >= 0 else authority
    else:
        host = authority.split(":", 1)[0]
    if not host:
        return None
    return text, host.lower()


def provider_of_model(value):
    for prefix, provider in MODEL_PREFIXES:
        if value.startswith(prefix):
            return provider
    return None


def is_notification_env(name):
    upper = name.upper()
    return any(w in upper for w in NOTIFICATION_ENV_WORDS)


def provider_of_env(name):
    for part in name.split("_"):
        provider = PROVIDER_ENV_WORDS.get(part.upper())
        if provider is not None:
            return provider
    return None


def is_webhook_url(url, host):
    return host == "hooks.slack.com" or "webhook" in url.lower()


def env_key(line):
    """The key a .env line defines, or None."""
    rest = line.lstrip()
    if rest.startswith("export") and rest[6:7] in (" ", "\t"):
        rest = rest[6:].lstrip()
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", rest)
    if not m:
        return None
    after = rest[m.end() :].lstrip(" \t")
    return m.group(0) if after.startswith("=") else None


def scan_env(rel, source, found):
    for number, line in enumerate(source.split("\n"), start=1):
        if line.endswith("\r"):
            line = line[:-1]
        key = env_key(line)
        if key is None:
            continue
        if is_notification_env(key):
            found["notifications"].append({"file": rel, "line": number, "kind": "env_file", "name": key})
        provider = provider_of_env(key)
        if provider is not None:
            found["ai_providers"].append(
                {"file": rel, "line": number, "provider": provider, "kind": "env_file", "name": key}
            )


# --------------------------------------------------------------------------
# File selection


def glob_to_regex(glob):
    """Translate one gitignore glob (no leading/trailing slash handling)."""
    out = []
    i = 0
    n = len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if glob.startswith("**", i):
                before_ok = i == 0 or glob[i - 1] == "/"
                after = glob[i + 2 : i + 3]
                if before_ok and after == "/":
                    out.append("(?:.*/)?")
                    i += 3
                    continue
                if before_ok and i + 2 == n:
                    out.append(".*")
                    i += 2
                    continue
                out.append("[^/]*")
                i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and glob[j] in "!^":
                j += 1
            if j < n and glob[j] == "]":
                j += 1
            while j < n and glob[j] != "]":
                j += 1
            if j >= n:
                out.append(re.escape(c))
            else:
                body = glob[i + 1 : j]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def parse_ignore_file(path):
    rules = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return rules
    for line in lines:
        # trailing spaces are dropped unless escaped
        stripped = line
        while stripped.endswith(" ") and not stripped.endswith("\\ "):
            stripped = stripped[:-1]
        if not stripped or stripped.startswith("#"):
            continue
        negate = False
        if stripped.startswith("!"):
            negate = True
            stripped = stripped[1:]
        elif stripped.startswith("\\!") or stripped.startswith("\\#"):
            stripped = stripped[1:]
        dir_only = stripped.endswith("/")
        if dir_only:
            stripped = stripped.rstrip("/")
        if not stripped:
            continue
        anchored = "/" in stripped
        stripped = stripped.lstrip("/")
        body = glob_to_regex(stripped)
        if anchored:
            regex = re.compile("^" + body + "$", re.S)
        else:
            regex = re.compile("^(?:.*/)?" + body + "$", re.S)
        rules.append((regex, negate, dir_only))
    return rules


class Selector:
    def __init__(self, root, no_ignore):
        self.root = root
        self.no_ignore = no_ignore
        self.cache = {}

    def rules_of(self, rel_dir):
        """(.ignore rules, .gitignore rules) of a directory (relative path)."""
        if rel_dir not in self.cache:
            base = os.path.join(self.root, rel_dir) if rel_dir else self.root
            self.cache[rel_dir] = (
                parse_ignore_file(os.path.join(base, ".ignore")),
                parse_ignore_file(os.path.join(base, ".gitignore")),
            )
        return self.cache[rel_dir]

    def ignored(self, rel, is_dir):
        parts = rel.split("/")
        # deepest directory first; .ignore before .gitignore; last rule wins
        for depth in range(len(parts) - 1, -1, -1):
            rel_dir = "/".join(parts[:depth])
            sub = "/".join(parts[depth:])
            for rules in self.rules_of(rel_dir):
                for regex, negate, dir_only in reversed(rules):
                    if dir_only and not is_dir:
                        continue
                    if regex.match(sub):
                        return not negate
        return False

    def keep(self, rel, name, is_dir):
        if name == ".git":
            return False
        if self.no_ignore:
            return True
        if name in EXCLUDED:
            return False
        if name.startswith("."):
            if is_dir or not name.startswith(".env"):
                return False
        return not self.ignored(rel, is_dir)

    def files(self):
        out = []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            rel_dir = os.path.relpath(dirpath, self.root)
            rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
            kept = []
            for d in dirnames:
                rel = rel_dir + "/" + d if rel_dir else d
                if os.path.islink(os.path.join(dirpath, d)):
                    continue
                if self.keep(rel, d, True):
                    kept.append(d)
            dirnames[:] = kept
            for f in filenames:
                full = os.path.join(dirpath, f)
                if os.path.islink(full) or not os.path.isfile(full):
                    continue
                rel = rel_dir + "/" + f if rel_dir else f
                if self.keep(rel, f, False):
                    out.append(rel)
        return sorted(out)


# --------------------------------------------------------------------------
# Rules


def last_segment(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def str_value(node):
    """Value of a str literal: Constant str, or an f-string without placeholders."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(v.value for v in node.values)
    return None


def first_string_token(segment):
    """The first STRING token of a source segment."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(segment).readline):
            if tok.type == tokenize.STRING:
                return tok.string
            if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.COMMENT, tokenize.OP):
                return None
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return None


def leading_text(node, source):
    """Literal text a log message starts with: first part of a concatenation,
    f-string text before its first placeholder."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) and not isinstance(node, ast.JoinedStr):
        return None
    segment = ast.get_source_segment(source, node)
    if segment is None:
        return None
    token = first_string_token(segment)
    if token is None:
        return None
    letters = ""
    for ch in token:
        if ch in "\"'":
            break
        letters += ch.lower()
    if "b" in letters:
        return None
    part = ast.parse("(" + token + ")", mode="eval").body
    if isinstance(part, ast.Constant):
        return part.value if isinstance(part.value, str) else None
    if isinstance(part, ast.JoinedStr):
        text = ""
        for value in part.values:
            if isinstance(value, ast.Constant):
                text += value.value
            else:
                break
        return text
    return None


def bracket_prefix(text):
    if text is None or not text.startswith("["):
        return None
    end = text.find("]")
    if end < 0:
        return None
    return text[: end + 1]


def bindings(tree):
    """(targets, callee last segment, line) for every T = f(...)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if not isinstance(value, ast.Call):
            continue
        if not isinstance(value.func, (ast.Name, ast.Attribute)):
            continue
        callee = last_segment(value.func)
        names = [last_segment(t) for t in targets if isinstance(t, (ast.Name, ast.Attribute))]
        out.append((names, callee, node.lineno, node.col_offset))
    return out


def scan_tree(rel, tree, source, script=False):
    found = {k: [] for k in CATEGORIES}
    binds = bindings(tree)
    routers = set()
    logger_names = set()
    for names, callee, line, _col in binds:
        if callee in ROUTER_FACTORIES:
            routers.update(names)
        if callee in LOGGER_FACTORIES:
            logger_names.update(names)
            for name in names:
                found["loggers"].append({"file": rel, "line": line, "name": name})

    def is_router(expr):
        name = last_segment(expr)
        if name is None:
            return False
        return name in ROUTER_NAMES or name.endswith("router") or name.endswith("_app") or name in routers

    log_nodes = set()
    messages = []
    qualnames = function_qualnames(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
                    continue
                if not is_router(dec.func.value):
                    continue
                attr = dec.func.attr
                if attr in ROUTE_METHODS:
                    if dec.args:
                        path = str_value(dec.args[0])
                    else:
                        kw = [k.value for k in dec.keywords if k.arg == "path"]
                        path = str_value(kw[0]) if kw else None
                    found["routes"].append(
                        {
                            "file": rel,
                            "line": dec.lineno,
                            "method": attr.upper(),
                            "path": path,
                            "handler": node.name,
                            "handler_qualname": qualnames[id(node)],
                        }
                    )
                    found["route_routers"].append(
                        {"file": rel, "line": dec.lineno, "router": last_segment(dec.func.value)}
                    )
                elif attr == "middleware":
                    found["middleware"].append({"file": rel, "line": dec.lineno, "name": node.name, "kind": "function"})
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            receiver = node.func.value
            if attr == "add_middleware" and is_router(receiver) and node.args:
                name = last_segment(node.args[0])
                if name is not None:
                    found["middleware"].append({"file": rel, "line": node.lineno, "name": name, "kind": "class"})
            if attr in LOG_LEVELS:
                is_module = isinstance(receiver, ast.Name) and receiver.id == "logging"
                seg = last_segment(receiver)
                if is_module or (seg is not None and (seg in LOGGER_NAMES or seg in logger_names)):
                    prefix = None
                    if node.args:
                        prefix = bracket_prefix(leading_text(node.args[0], source))
                    found["log_calls"].append({"file": rel, "line": node.lineno, "level": attr, "prefix": prefix})
                    log_nodes.add(id(node))
                    messages.append((node, attr))
        elif isinstance(node, ast.ExceptHandler):
            found["except_handlers"].append({"file": rel, "line": node.lineno, "bare": node.type is None})
    for route in found["routes"]:
        if route["method"] == "WEBSOCKET":
            found["websocket_endpoints"].append(
                {k: route[k] for k in ("file", "line", "path", "handler", "handler_qualname")}
            )
    scan_more(rel, tree, found)
    scan_clients(rel, tree, found)
    scan_error_trackers(rel, tree, source, found)
    scan_tracing_setup(rel, tree, found)
    scan_hardcoded_secrets(rel, tree, source, found)
    scan_logging(rel, tree, source, found, log_nodes, messages, script)
    scan_wall_clock(rel, tree, found)
    return found


# --------------------------------------------------------------------------
# logging_config, print_calls, log_messages, except_bodies


def is_test_path(rel):
    """Test code by the conventions of pytest and Jest/Vitest."""
    parts = rel.split("/")
    base = parts[-1]
    return (
        any(p in ("tests", "test", "__tests__") for p in parts[:-1])
        or base == "conftest.py"
        or (base.startswith("test_") and base.endswith(".py"))
        or base.endswith("_test.py")
        or ".test." in base
        or ".spec." in base
    )


def is_config_file(name):
    return name in LOGGING_CONFIG_FILES or name.startswith("log_config.")


def function_qualnames(tree):
    """id(def node) -> the names of its enclosing classes and functions and
    its own, joined by dots (lambdas and comprehensions hold no defs)."""
    out = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    out[id(child)] = name
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def parents_of(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def opens_scope(node, child):
    """Whether `child` (a child of `node`) is inside a scope for the except
    rules: a lambda, a def's parameters, annotations and body, a class's
    bases and body; decorators are outside."""
    if isinstance(node, ast.Lambda):
        return True
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return not any(child is d for d in node.decorator_list)
    return False


def message_argument(call, level):
    """The message: the first positional argument, the second for `log`, else `msg=`."""
    index = 1 if level == "log" else 0
    if len(call.args) > index:
        return call.args[index]
    kws = [k.value for k in call.keywords if k.arg == "msg"]
    return kws[0] if kws else None


def message_kind(call, level):
    msg = message_argument(call, level)
    if msg is None:
        return "none"
    if isinstance(msg, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in msg.values):
        return "fstring"
    if str_value(msg) is not None:
        return "literal"
    if isinstance(msg, ast.Call) and isinstance(msg.func, ast.Attribute) and msg.func.attr == "format":
        return "format"
    if isinstance(msg, ast.BinOp) and isinstance(msg.op, ast.Mod):
        return "percent"
    if isinstance(msg, ast.BinOp) and isinstance(msg.op, ast.Add):

        def plain_chain(n):
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                return plain_chain(n.left) and plain_chain(n.right)
            return str_value(n) is not None

        return "literal" if plain_chain(msg) else "concat"
    return "other"


def scan_logging(rel, tree, source, found, log_nodes, messages, script):
    parents = parents_of(tree)
    lines = source.split("\n")

    def in_except(node):
        child, current = node, parents.get(id(node))
        while current is not None:
            if opens_scope(current, child):
                return False
            if isinstance(current, ast.ExceptHandler) and any(child is b for b in current.body):
                return True
            child, current = current, parents.get(id(current))
        return False

    def is_main_if(node):
        if not isinstance(node, ast.If):
            return False
        line = lines[node.lineno - 1].encode("utf-8")[node.col_offset :]
        if line.startswith(b"elif"):
            return False
        test = node.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
            return False
        a, b = test.left, test.comparators[0]
        is_name = lambda n: isinstance(n, ast.Name) and n.id == "__name__"  # noqa: E731
        is_main = lambda n: str_value(n) == "__main__"  # noqa: E731
        return (is_name(a) and is_main(b)) or (is_main(a) and is_name(b))

    def in_main(node):
        child, current = node, parents.get(id(node))
        while current is not None:
            if is_main_if(current) and any(child is s for s in current.body):
                return True
            child, current = current, parents.get(id(current))
        return False

    binds = import_bindings(tree)

    def qualified(node):
        d = dotted(node)
        if d is None:
            return None
        first, _, rest = d.partition(".")
        head = binds.get(first, first)
        return head + "." + rest if rest else head

    test_file = is_test_path(rel)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            if isinstance(node.func, ast.Name) and node.func.id == "print":
                found["print_calls"].append(
                    {"file": rel, "line": node.lineno, "exempt": test_file or script or in_main(node)}
                )
            kind = LOGGING_CONFIG_CALLS.get(qualified(node.func))
            if kind is not None:
                found["logging_config"].append({"file": rel, "line": node.lineno, "kind": kind})
        if isinstance(node, ast.ExceptHandler):
            # A swallowed body: every statement `pass`, `continue` or
            # `...`; its distinct words in order of first appearance.
            words = []
            for stmt in node.body:
                if isinstance(stmt, ast.Pass):
                    word = "pass"
                elif isinstance(stmt, ast.Continue):
                    word = "continue"
                elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis:
                    word = "..."
                else:
                    words = None
                    break
                if word not in words:
                    words.append(word)
            swallowed_by = words or []
            logs = reraises = False
            stack = list(node.body)
            while stack:
                n = stack.pop()
                if isinstance(n, ast.Raise):
                    reraises = True
                if isinstance(n, ast.Call) and id(n) in log_nodes:
                    logs = True
                if isinstance(n, ast.Lambda):
                    continue
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    stack.extend(n.decorator_list)
                    continue
                stack.extend(ast.iter_child_nodes(n))
            found["except_bodies"].append(
                dict(
                    {"file": rel, "line": node.lineno, "swallowed": bool(swallowed_by)},
                    **({"swallowed_by": swallowed_by} if swallowed_by else {}),
                    logs=logs,
                    reraises=reraises,
                )
            )
    def position(node):
        # 1-based line and column in characters (col_offset counts UTF-8 bytes).
        text = lines[node.lineno - 1].encode("utf-8")[: node.col_offset]
        return {"line": node.lineno, "column": len(text.decode("utf-8", errors="replace")) + 1}

    for call, level in messages:
        argument = message_argument(call, level)
        receiver = ast.get_source_segment(source, call.func.value) or ""
        found["log_messages"].append(
            dict(
                {
                    "file": rel,
                    "line": call.lineno,
                    "level": level,
                    "message": message_kind(call, level),
                },
                **({"message_at": position(argument)} if argument is not None else {}),
                receiver=" ".join(receiver.split()),
                in_except=in_except(call),
                exc_info=level == "exception"
                or any(k.arg == "exc_info" or k.arg is None for k in call.keywords),
            )
        )


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return None if inner is None else inner + "." + node.attr
    return None


def work_target(node):
    """Call -> callee's last segment; name/attribute -> last segment."""
    if node is None:
        return None
    if isinstance(node, ast.Call):
        return last_segment(node.func)
    return last_segment(node)


def is_duration(name):
    return (
        name.endswith(("_ms", "_seconds", "_secs"))
        or name.startswith(("elapsed", "duration", "latency"))
        or "ttft" in name
    )


def is_metrics_receiver(name):
    return name in ("metrics_collector", "metrics", "statsd") or name.endswith("_metrics")


def assignment_targets(node):
    """Identifier / attribute targets of = and annotated assignments."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    else:
        return []
    return [t for t in targets if isinstance(t, (ast.Name, ast.Attribute))]


RECEIVE_METHODS = ("receive_json", "receive_text", "receive_bytes", "iter_json", "iter_text", "iter_bytes")
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)

# How many calls deep a received message is followed.
MESSAGE_HOPS = 2


def body_of(owner):
    """The nodes of a body: a def's statements or the module's, without the
    defs, lambdas and classes in it (their decorators stay in this body)."""
    out = []
    stack = list(owner.body)
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, DEFS + (ast.ClassDef,)):
            stack.extend(node.decorator_list)
        elif not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return out


def received_kinds(node, names):
    """What an expression is of what a WebSocket received: a subset of
    {"message", "text", "type"}; `names` holds (name, kind) pairs."""
    if isinstance(node, ast.Name):
        return {kind for name, kind in names if name == node.id}
    kinds = set()
    if isinstance(node, ast.Await):
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            if call.func.attr == "receive_json":
                kinds.add("message")
            elif call.func.attr in ("receive_text", "receive_bytes"):
                kinds.add("text")
    if isinstance(node, ast.Call) and last_segment(node.func) == "loads":
        if node.args and "text" in received_kinds(node.args[0], names):
            kinds.add("message")
    # M["type"], M.get("type", ...) of a message M
    of = None
    if isinstance(node, ast.Subscript) and str_value(node.slice) == "type":
        of = node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
        and str_value(node.args[0]) == "type"
    ):
        of = node.func.value
    if of is not None and "message" in received_kinds(of, names):
        kinds.add("type")
    return kinds


def body_names(nodes, seeds):
    """The (name, kind) pairs a body holds, from what its parameters hold:
    its bindings read until nothing changes, in no order."""
    names = set(seeds)
    for node in nodes:
        if isinstance(node, ast.AsyncFor) and isinstance(node.target, ast.Name):
            it = node.iter
            if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute):
                if it.func.attr == "iter_json":
                    names.add((node.target.id, "message"))
                elif it.func.attr in ("iter_text", "iter_bytes"):
                    names.add((node.target.id, "text"))
    bindings = []
    for node in nodes:
        if isinstance(node, ast.Assign):
            bindings.extend((t.id, node.value) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
            bindings.append((node.target.id, node.value))
        elif isinstance(node, ast.NamedExpr):
            bindings.append((node.target.id, node.value))
    while True:
        new = {(name, kind) for name, value in bindings for kind in received_kinds(value, names)} - names
        if not new:
            return names
        names |= new


def handled_messages(tree):
    """(line, type) of every message type handled where what is compared is
    the "type" of what a WebSocket received, followed through each body's
    names and into the module's functions, MESSAGE_HOPS calls deep."""
    # every def, with the class whose body it is directly in
    defs = []

    def collect(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, DEFS):
                in_class = isinstance(node, ast.ClassDef) and any(child is c for c in node.body)
                defs.append((child, node if in_class else None))
            collect(child)

    collect(tree)
    class_of = {id(d): c for d, c in defs}

    # the bodies holding a receive call: the innermost def around it (its
    # decorators are outside it), or the module
    starts = []

    def find(node, owner):
        for field, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                inner = owner
                if isinstance(node, DEFS) and field != "decorator_list":
                    inner = node
                if (
                    isinstance(child, ast.Call)
                    and isinstance(child.func, ast.Attribute)
                    and child.func.attr in RECEIVE_METHODS
                ):
                    starts.append(inner)
                find(child, inner)

    find(tree, tree)

    def parameters(d):
        """(name, positional, keyword) of each named parameter."""
        a = d.args
        out = [(p.arg, True, False) for p in a.posonlyargs]
        out += [(p.arg, True, True) for p in a.args]
        out += [(p.arg, False, True) for p in a.kwonlyargs]
        return out

    def callees(call, caller):
        """(def, bound) for each def of the module a call names."""
        f = call.func
        if isinstance(f, ast.Name):
            return [(d, False) for d, c in defs if d.name == f.id and c is None]
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("self", "cls"):
            cls = class_of.get(id(caller))
            if cls is None:
                return []
            return [(d, True) for d, c in defs if d.name == f.attr and c is cls]
        return []

    seeds = {}
    hops = {}
    owners = {}
    for owner in starts:
        seeds.setdefault(id(owner), set())
        hops[id(owner)] = 0
        owners[id(owner)] = owner
    changed = True
    while changed:
        changed = False
        for key in list(owners):
            if hops[key] >= MESSAGE_HOPS:
                continue
            owner = owners[key]
            nodes = body_of(owner)
            names = body_names(nodes, seeds[key])
            for call in nodes:
                if not isinstance(call, ast.Call):
                    continue
                positional = []
                for arg in call.args:
                    if isinstance(arg, ast.Starred):
                        break
                    positional.append(received_kinds(arg, names))
                keywords = [(k.arg, received_kinds(k.value, names)) for k in call.keywords if k.arg is not None]
                for d, bound in callees(call, owner):
                    params = parameters(d)
                    by_position = [p for p in params if p[1]][1 if bound else 0 :]
                    reached = set()
                    for (name, _, _), kinds in zip(by_position, positional):
                        reached |= {(name, k) for k in kinds}
                    for arg, kinds in keywords:
                        for name, _, keyword in params:
                            if keyword and name == arg:
                                reached |= {(name, k) for k in kinds}
                    if not reached:
                        continue
                    if id(d) not in owners:
                        owners[id(d)] = d
                        seeds[id(d)] = set()
                        hops[id(d)] = hops[key] + 1
                        changed = True
                    if hops[key] + 1 < hops[id(d)]:
                        hops[id(d)] = hops[key] + 1
                        changed = True
                    if not reached <= seeds[id(d)]:
                        seeds[id(d)] |= reached
                        changed = True

    def pattern_strings(p, out):
        if isinstance(p, ast.MatchValue):
            v = str_value(p.value)
            if v is not None:
                out.append((p.value.lineno, v))
        elif isinstance(p, ast.MatchOr):
            for q in p.patterns:
                pattern_strings(q, out)

    found = []
    for key, owner in owners.items():
        nodes = body_of(owner)
        names = body_names(nodes, seeds[key])

        def is_type(node):
            return "type" in received_kinds(node, names)

        for node in nodes:
            if isinstance(node, ast.Compare) and len(node.ops) == 1:
                left, right = node.left, node.comparators[0]
                if isinstance(node.ops[0], ast.Eq):
                    if is_type(left) and str_value(right) is not None:
                        found.append((node.lineno, str_value(right)))
                    elif is_type(right) and str_value(left) is not None:
                        found.append((node.lineno, str_value(left)))
                elif isinstance(node.ops[0], ast.In) and is_type(left):
                    if isinstance(right, (ast.Tuple, ast.List, ast.Set)):
                        for e in right.elts:
                            if str_value(e) is not None:
                                found.append((node.lineno, str_value(e)))
            if isinstance(node, ast.Match) and is_type(node.subject):
                for case in node.cases:
                    pattern_strings(case.pattern, found)
    return found


def scan_more(rel, tree, found):
    """The later categories: websocket messages, context carriers, timing,
    metrics calls, background tasks."""

    def message(line, direction, value):
        found["websocket_messages"].append(
            {"file": rel, "line": line, "side": "backend", "direction": direction, "type": value}
        )

    for line, value in handled_messages(tree):
        message(line, "handled", value)

    # constants that are the literal parts of an f-string are not literals
    fstring_parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                if isinstance(v, ast.Constant):
                    fstring_parts.add(id(v))
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            fstring_parts.add(id(node.format_spec))
            for v in node.format_spec.values:
                fstring_parts.add(id(v))

    # attribute node -> the call it is the callee of
    callee_of = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}

    for node in ast.walk(tree):
        # websocket messages
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SEND_METHODS:
            payload = node.args[0] if node.args else None
            if isinstance(payload, ast.Call):
                if last_segment(payload.func) == "dumps" and payload.args:
                    payload = payload.args[0]
                else:
                    payload = None
            if isinstance(payload, ast.Dict):
                for key, value in zip(payload.keys, payload.values):
                    if key is not None and str_value(key) == "type":
                        v = str_value(value)
                        if v is not None:
                            message(node.lineno, "sent", v)
                        break

        # context carriers
        if isinstance(node, ast.arg) and node.arg in CARRIER_NAMES:
            found["context_carriers"].append({"file": rel, "line": node.lineno, "name": node.arg, "kind": "parameter"})
        for t in assignment_targets(node):
            seg = last_segment(t)
            if seg in CARRIER_NAMES:
                found["context_carriers"].append({"file": rel, "line": t.lineno, "name": seg, "kind": "assignment"})
            if is_duration(seg):
                found["timing"].append({"file": rel, "line": t.lineno, "kind": "duration", "name": seg})
        if isinstance(node, ast.keyword) and node.arg in CARRIER_NAMES:
            found["context_carriers"].append({"file": rel, "line": node.lineno, "name": node.arg, "kind": "keyword"})
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in fstring_parts:
            v = str_value(node)
            if v is not None and v.lower() in CARRIER_HEADERS:
                found["context_carriers"].append({"file": rel, "line": node.lineno, "name": v, "kind": "header"})

        # timing: clocks
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name in CLOCKS:
                found["timing"].append({"file": rel, "line": node.lineno, "kind": "clock", "name": name})

        # metrics
        if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
            seg = last_segment(node.value)
            if is_metrics_receiver(seg):
                call = callee_of.get(id(node))
                name = str_value(call.args[0]) if call is not None and call.args else None
                found["metrics_calls"].append(
                    {
                        "file": rel,
                        "line": node.lineno,
                        "receiver": seg,
                        "method": node.attr,
                        "called": call is not None,
                        "name": name,
                    }
                )

        # background tasks
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            seg = last_segment(node.func)
            kind = target = None
            arg = lambda i: node.args[i] if len(node.args) > i else None  # noqa: E731
            if seg in ("create_task", "ensure_future"):
                kind, target = "task", work_target(arg(0))
            elif seg == "add_task":
                kind, target = "background_task", work_target(arg(0))
            elif seg == "add_job":
                kind, target = "scheduled_job", work_target(arg(0))
            elif seg == "run_in_executor":
                kind, target = "executor", work_target(arg(1))
            elif seg == "Thread":
                kws = [k.value for k in node.keywords if k.arg == "target"]
                kind, target = "thread", work_target(kws[0] if kws else None)
            elif seg.endswith("Scheduler"):
                kind, target = "scheduler", seg
            if kind is not None:
                found["background_tasks"].append({"file": rel, "line": node.lineno, "kind": kind, "target": target})
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                named = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(named, (ast.Name, ast.Attribute)) and last_segment(named) in ("task", "shared_task"):
                    found["background_tasks"].append(
                        {"file": rel, "line": dec.lineno, "kind": "celery_task", "target": node.name}
                    )


# --------------------------------------------------------------------------
# wall_clock_durations

WALL_CLOCKS = {"time.time", "time.time_ns"}


def scan_wall_clock(rel, tree, found):
    """wall_clock_durations: a subtraction whose two operands are wall-clock
    values: a read (`time.time()`, `time.time_ns()` as written, or a bare
    `time()` / `time_ns()` the module imports from `time` without alias), a
    name bound to a read by an assignment that ends before the subtraction
    starts, in the subtraction's function, one enclosing it or the module,
    or an attribute (by its dotted name) the file assigns a read to
    anywhere."""
    bare = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "time":
            for a in node.names:
                if a.asname is None and "time." + a.name in WALL_CLOCKS:
                    bare.add(a.name)

    def is_read(node):
        if not isinstance(node, ast.Call):
            return False
        name = dotted(node.func)
        return name in WALL_CLOCKS or name in bare

    parents = parents_of(tree)

    def function_of(node):
        """The innermost def, async def or lambda holding `node` (its
        decorators are outside it), or None at module level."""
        child = node
        parent = parents.get(id(child))
        while parent is not None:
            if isinstance(parent, ast.Lambda):
                return parent
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and not any(
                child is d for d in parent.decorator_list
            ):
                return parent
            child, parent = parent, parents.get(id(parent))
        return None

    names = {}  # name -> [(id of its function or None, end of the statement)]
    attributes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if not is_read(node.value):
            continue
        end = (node.end_lineno, node.end_col_offset)
        for target in targets:
            if isinstance(target, ast.Name):
                scope = function_of(node)
                names.setdefault(target.id, []).append((id(scope) if scope else None, end))
            elif isinstance(target, ast.Attribute) and dotted(target) is not None:
                attributes.add(dotted(target))

    def is_value(operand, subtraction):
        if is_read(operand):
            return True
        if isinstance(operand, ast.Attribute):
            return dotted(operand) is not None and dotted(operand) in attributes
        if not isinstance(operand, ast.Name):
            return False
        visible = {None}
        scope = function_of(subtraction)
        while scope is not None:
            visible.add(id(scope))
            scope = function_of(scope)
        start = (subtraction.lineno, subtraction.col_offset)
        return any(s in visible and end <= start for s, end in names.get(operand.id, []))

    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            if is_value(node.left, node) and is_value(node.right, node):
                found["wall_clock_durations"].append({"file": rel, "line": node.lineno})


# --------------------------------------------------------------------------
# notifications, external_urls, db_connections, redis, ai_providers


def import_bindings(tree):
    """name -> target of the first import (in source order) that binds it."""
    binds = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    binds.append(((a.lineno, a.col_offset), a.asname, a.name))
                else:
                    first = a.name.split(".")[0]
                    binds.append(((a.lineno, a.col_offset), first, first))
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None or node.module == "__future__":
                continue
            for a in node.names:
                if a.name == "*":
                    continue
                binds.append(((a.lineno, a.col_offset), a.asname or a.name, node.module + "." + a.name))
    out = {}
    for _pos, bound, target in sorted(binds, key=lambda b: b[0]):
        out.setdefault(bound, target)
    return out


def scan_error_trackers(rel, tree, source, found):
    """error_trackers: a call whose callee, qualified through the module's
    imports, is a tracker call, its first name bound by an import."""
    binds = import_bindings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        d = dotted(node.func)
        if d is None:
            continue
        first, _, rest = d.partition(".")
        if first not in binds:
            continue
        q = binds[first] + ("." + rest if rest else "")
        if q not in ERROR_TRACKER_CALLS:
            continue
        tracker, kind = ERROR_TRACKER_CALLS[q]
        rate = None
        for k in node.keywords:
            if k.arg == "traces_sample_rate":
                # The value as written, parentheses included: the keyword's
                # text after its `=`.
                rate = ast.get_source_segment(source, k).split("=", 1)[1].strip()
                break
        found["error_trackers"].append(
            {
                "file": rel,
                "line": node.lineno,
                "tracker": tracker,
                "kind": kind,
                "call": q,
                "dsn": any(k.arg == "dsn" for k in node.keywords),
                "traces_sample_rate": rate,
            }
        )


def scan_tracing_setup(rel, tree, found):
    """tracing_setup: a call whose callee, qualified through the module's
    imports (its first name bound by an import), is an OpenTelemetry setup
    function or class; or `C.instrument(...)` / `C().instrument(...)` (or
    `instrument_app`) where `C`, qualified the same way, is under
    `opentelemetry` and its last name ends with `Instrumentor`."""
    binds = import_bindings(tree)

    def imported(node):
        d = dotted(node)
        if d is None:
            return None
        first, _, rest = d.partition(".")
        if first not in binds:
            return None
        return binds[first] + ("." + rest if rest else "")

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        q = imported(node.func)
        if q in TRACING_SETUP_CALLS:
            kind, call = TRACING_SETUP_CALLS[q], q
        elif isinstance(node.func, ast.Attribute) and node.func.attr in INSTRUMENT_METHODS:
            owner = node.func.value
            if isinstance(owner, ast.Call):
                owner = owner.func
            cls = imported(owner)
            if (
                cls is None
                or not cls.startswith("opentelemetry.")
                or not cls.rsplit(".", 1)[-1].endswith("Instrumentor")
            ):
                continue
            kind, call = "instrument", cls + "." + node.func.attr
        else:
            continue
        found["tracing_setup"].append({"file": rel, "line": node.lineno, "kind": kind, "call": call})


def literal_leading(node):
    """Leading literal text of a str literal (f-string: up to its first placeholder)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        text = ""
        for v in node.values:
            if isinstance(v, ast.Constant):
                text += v.value
            else:
                break
        return text
    return None


def scan_clients(rel, tree, found):
    binds = import_bindings(tree)

    def qualified(node):
        d = dotted(node)
        if d is None:
            return None
        first, _, rest = d.partition(".")
        head = binds.get(first, first)
        return head + "." + rest if rest else head

    def add(category, line, **fields):
        found[category].append({"file": rel, "line": line, **fields})

    def env_read(line, name):
        if is_notification_env(name):
            add("notifications", line, kind="env", name=name)
        provider = provider_of_env(name)
        if provider is not None:
            add("ai_providers", line, provider=provider, kind="env", name=name)

    def literal_url(node):
        return url_and_host(literal_leading(node))

    fstring_parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                fstring_parts.add(id(v))
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            fstring_parts.add(id(node.format_spec))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            line = node.lineno
            q = qualified(node.func) or ""
            root, last = (q.split(".")[0], q.rsplit(".", 1)[-1]) if q else ("", "")
            for library, roots, names in DB_CALLS:
                if root in roots and last in names:
                    add("db_connections", line, library=library, call=q)
            if root in REDIS_ROOTS and last in REDIS_CALLS:
                add("redis", line, call=q)
            for module, classes, provider in AI_CLIENTS:
                if root == module and last in classes:
                    base = [k.value for k in node.keywords if k.arg == "base_url"]
                    hit = literal_url(base[0]) if base else None
                    if hit is not None and hit[1] in PROVIDER_HOSTS:
                        provider = PROVIDER_HOSTS[hit[1]]
                    add("ai_providers", line, provider=provider, kind="client", name=q)
            if (root in SMTP_ROOTS and last in SMTP_CLASSES) or q == "aiosmtplib.send":
                add("notifications", line, kind="smtp", name=q)
            if last in NOTIFY_CLIENTS:
                add("notifications", line, kind="client", name=q)
            if q in ("os.getenv", "os.environ.get") and node.args:
                name = str_value(node.args[0])
                if name is not None:
                    env_read(line, name)
            seg = last_segment(node.func)
            if seg in EMBEDDING_CALLS:
                add("ai_providers", line, provider=None, kind="embedding", name=seg)
            elif (
                seg == "create"
                and isinstance(node.func, ast.Attribute)
                and last_segment(node.func.value) in ("embeddings", "Embedding")
            ):
                add(
                    "ai_providers", line, provider=None, kind="embedding",
                    name=last_segment(node.func.value) + ".create",
                )
            if seg in ("post", "put") and node.args:
                first = node.args[0]
                if isinstance(first, (ast.Name, ast.Attribute)):
                    name = last_segment(first)
                    if "WEBHOOK" in name.upper() or "SLACK" in name.upper():
                        add("notifications", line, kind="webhook", name=name)
                else:
                    hit = literal_url(first)
                    if hit is not None and is_webhook_url(*hit):
                        add("notifications", line, kind="webhook", name=hit[0])
        if isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
            if qualified(node.value) == "os.environ":
                name = str_value(node.slice)
                if name is not None:
                    env_read(node.lineno, name)
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in fstring_parts:
            line = node.lineno
            hit = literal_url(node)
            if hit is not None:
                url, host = hit
                if is_webhook_url(url, host):
                    add("notifications", line, kind="webhook_url", name=url)
                if host in PROVIDER_HOSTS:
                    add("ai_providers", line, provider=PROVIDER_HOSTS[host], kind="endpoint", name=url)
                add("external_urls", line, url=url, host=host)
            value = str_value(node)
            if value is not None and provider_of_model(value) is not None:
                add("ai_providers", line, provider=provider_of_model(value), kind="model", name=value)


# --------------------------------------------------------------------------
# hardcoded_secrets

WEBHOOK_MARKERS = [
    "hooks.slack.com/services/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    "outlook.office.com/webhook",
    "webhook.office.com/webhookb2/",
]


def written_parts(segment):
    """The string literals of a literal's source text (an implicit
    concatenation's parts, with the white space, line continuations and
    comments between them): each as (prefix lower-cased, text between the
    quotes as written with each f-string placeholder read as one space,
    has a placeholder)."""
    parts = []
    i, n = 0, len(segment)
    while i < n:
        c = segment[i]
        if c in " \t\r\n\\\f":
            i += 1
            continue
        if c == "#":
            while i < n and segment[i] != "\n":
                i += 1
            continue
        start = i
        while i < n and segment[i].isalpha():
            i += 1
        prefix = segment[start:i].lower()
        quote = segment[i]
        q = quote * 3 if segment.startswith(quote * 3, i) else quote
        i += len(q)
        text, placeholder = [], False
        while i < n and not segment.startswith(q, i):
            ch = segment[i]
            if ch == "\\":
                text.append(segment[i:i + 2])
                i += 2
            elif "f" in prefix and ch == "{" and segment.startswith("{{", i):
                text.append("{{")
                i += 2
            elif "f" in prefix and ch == "{":
                # A replacement field: to its matching brace, skipping the
                # strings inside (Python 3.11: other quotes than ours).
                depth = 0
                while i < n:
                    ch = segment[i]
                    if ch in "{[(":
                        depth += 1
                    elif ch in "}])":
                        depth -= 1
                        if depth == 0:
                            i += 1
                            break
                    elif ch in "'\"" and ch != quote:
                        end = segment.index(ch, i + 1)
                        i = end
                    i += 1
                text.append(" ")
                placeholder = True
            else:
                text.append(ch)
                i += 1
        i += len(q)
        parts.append((prefix, "".join(text), placeholder))
    return parts


def webhook_marker(text):
    """The marker `text` holds followed by a letter or digit of a token."""
    for marker in WEBHOOK_MARKERS:
        at = text.find(marker)
        while at >= 0:
            token = re.match(r"[^\s'\"`]*", text[at + len(marker):]).group(0)
            if any(c.isascii() and c.isalnum() for c in token):
                return marker
            at = text.find(marker, at + 1)
    return None


def scan_hardcoded_secrets(rel, tree, source, found):
    """hardcoded_secrets: webhook URLs with their token in any string
    literal; SMTP passwords as secret literals given to an SMTP password's
    name or an SMTP login."""

    def add(node, kind, name):
        found["hardcoded_secrets"].append({"file": rel, "line": node.lineno, "kind": kind, "name": name})

    def parts(node):
        return written_parts(ast.get_source_segment(source, node))

    def is_literal(node):
        return isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
        )

    def secret(node):
        """A non-empty str literal without placeholder."""
        if not is_literal(node):
            return False
        ps = parts(node)
        return (
            all("b" not in p and not ph for p, _, ph in ps)
            and "".join(t for _, t, _ in ps) != ""
        )

    def plain_text(node):
        if not is_literal(node):
            return None
        ps = parts(node)
        if any("b" in p or ph for p, _, ph in ps):
            return None
        return "".join(t for _, t, _ in ps)

    def is_smtp_name(name):
        return name is not None and "smtp" in name.lower() and "pass" in name.lower()

    smtp_import = False
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            modules = [node.module]
        for m in modules:
            if m.split(".")[0] in ("smtplib", "aiosmtplib"):
                smtp_import = True

    in_fstring = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                in_fstring.add(id(v))
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            in_fstring.add(id(node.format_spec))

    for node in ast.walk(tree):
        if is_literal(node) and id(node) not in in_fstring:
            marker = webhook_marker("".join(t for _, t, _ in parts(node)))
            if marker is not None:
                add(node, "webhook_url", marker.split("/")[0])
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and secret(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if is_smtp_name(last_segment(t)):
                    add(node.value, "smtp_password", last_segment(t))
        if isinstance(node, ast.keyword) and node.arg is not None and secret(node.value):
            if is_smtp_name(node.arg):
                add(node.value, "smtp_password", node.arg)
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if k is not None and secret(v) and is_smtp_name(plain_text(k)):
                    add(v, "smtp_password", plain_text(k))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "login":
            receiver = last_segment(node.func.value)
            if smtp_import or (receiver is not None and "smtp" in receiver.lower()):
                by_name = [k.value for k in node.keywords if k.arg == "password"]
                password = by_name[0] if by_name else (node.args[1] if len(node.args) > 1 else None)
                if password is not None and secret(password):
                    add(password, "smtp_password", "login")


def sort_key(item):
    return (item["file"], item["line"], json.dumps(item, sort_keys=True))


def main(argv):
    no_ignore = "--no-ignore" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = args[0] if args else "."
    selected = Selector(root, no_ignore).files()
    py_files = [f for f in selected if language_of(f) == "python"]
    env_files = [f for f in selected if language_of(f) == "env"]
    out = {
        "schema": "recon.findings/1",
        "root": root,
        "files_scanned": sum(1 for f in selected if language_of(f) is not None),
        "files_by_language": {
            lang: sum(1 for f in selected if language_of(f) == lang)
            for lang in ("python", "typescript", "svelte", "sql", "env")
        },
        **{k: [] for k in CATEGORIES},
        "errors": [],
    }
    for rel in env_files:
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        scan_env(rel, data.decode("utf-8", errors="replace"), out)
    for rel in py_files:
        path = os.path.join(root, rel)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            out["errors"].append({"file": rel, "reason": e.strerror or str(e)})
            continue
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            out["errors"].append({"file": rel, "reason": "invalid UTF-8"})
            source = data.decode("utf-8", errors="replace")
        try:
            tree = ast.parse(source, filename=rel)
        except (SyntaxError, ValueError) as e:
            out["errors"].append({"file": rel, "reason": "syntax error: %s" % e})
            continue
        # A script (a `#!` line, or below the root in a directory without
        # `__init__.py`) may print.
        script = source.startswith("#!") or (
            "/" in rel and not os.path.isfile(os.path.join(os.path.dirname(path), "__init__.py"))
        )
        for key, items in scan_tree(rel, tree, source, script).items():
            out[key].extend(items)
    for rel in selected:
        if is_config_file(rel.rsplit("/", 1)[-1]):
            out["logging_config"].append({"file": rel, "line": 1, "kind": "file"})
    for key in CATEGORIES:
        out[key].sort(key=sort_key)
    out["errors"].sort(key=lambda e: (e["file"], e["reason"]))
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
