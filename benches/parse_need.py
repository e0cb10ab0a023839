#!/usr/bin/env python3
"""parse_need: how much Python a token-level pass could keep away from tree-sitter.

`recon scan` parses every Python file its literal prefilter lets through, and
on a large pure-Python tree that is nearly every file: every `except` clause
is a finding, and so is every `print(` and every call inside a function (the
call graph). Parsing alone then costs more than the whole shell mission
(issue #6). This script measures, with CPython's own `tokenize` and `ast`,
how much source would still need tree-sitter if those dense categories came
from a token-level pass and only the rest were parsed, at three
granularities:

  file        parse a file if any of its tokens is a trigger;
  statement   parse only the top-level statements that hold a trigger
              (imports always);
  member      as `statement`, but a class only down to the members that
              hold one.

A trigger is a token some sparse rule needs: a name from TRIGGER_NAMES
(loggers, middleware, tasks, clocks, clients, carriers...), a name with a
timing word in it, or a string with a URL, a quoted "type", a model name or
a webhook. The list is an approximation of the rules in
`crates/syntax/src/python/` for estimating, not a proof: a real prefilter
must be derived rule by rule and held to the CPython `ast` oracle.

  python3 benches/parse_need.py DIR

Printed on 2026-11-27 for the CPython 3.11 stdlib (31.5 MB of Python) and
the working checkout's real `site-packages` (`vs_grep.py --working-checkout`):

  bytes 31525224: file 64%, statement 33%, member 12%
  bytes 29669504: file 67%, statement 42%, member 21%
"""

import ast
import io
import os
import re
import sys
import tokenize

TRIGGER_NAMES = set(
    """getLogger get_logger logger log _logger LOGGER _log logging add_middleware
    middleware basicConfig dictConfig fileConfig create_task ensure_future add_job
    run_in_executor perf_counter monotonic time metrics statsd smtplib SMTP WebClient
    getenv environ asyncpg psycopg psycopg2 sqlalchemy sqlite3 redis openai anthropic
    trace_id request_id session_id correlation_id user_email department send_json
    websocket""".split()
)
TIMING_WORDS = ("elapsed", "duration", "latency", "ttft", "_ms", "_sec", "timing")
TRIGGER_STRING = re.compile(r"https?:|\"type\"|'type'|claude-|gpt-|hooks\.slack|webhook")


def is_trigger(tok):
    if tok.type == tokenize.NAME:
        return tok.string in TRIGGER_NAMES or any(w in tok.string.lower() for w in TIMING_WORDS)
    return tok.type == tokenize.STRING and bool(TRIGGER_STRING.search(tok.string))


def measure(data):
    """Bytes to parse at each granularity, or None when CPython cannot read it."""
    try:
        tree = ast.parse(data)
        tokens = list(tokenize.tokenize(io.BytesIO(data).readline))
    except (SyntaxError, ValueError, tokenize.TokenError):
        return None
    hit_lines = {ln for t in tokens if is_trigger(t) for ln in range(t.start[0], t.end[0] + 1)}
    offsets = [0]
    for line in data.split(b"\n"):
        offsets.append(offsets[-1] + len(line) + 1)

    def first_line(node):
        return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])

    def size(node):
        return offsets[min(node.end_lineno, len(offsets) - 1)] - offsets[first_line(node) - 1]

    def hit(node):
        return any(first_line(node) <= ln <= node.end_lineno for ln in hit_lines)

    statement = member = 0
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            statement += size(node)
            member += size(node)
        elif hit(node):
            statement += size(node)
            if isinstance(node, ast.ClassDef):
                member += sum(size(m) for m in node.body if hit(m))
            else:
                member += size(node)
    return (len(data) if hit_lines else 0), statement, member


def main():
    if len(sys.argv) != 2:
        print("usage: python3 benches/parse_need.py DIR", file=sys.stderr)
        sys.exit(2)
    total = [0, 0, 0, 0]
    for directory, _, names in os.walk(sys.argv[1]):
        for name in names:
            if not name.endswith(".py"):
                continue
            with open(os.path.join(directory, name), "rb") as f:
                data = f.read()
            need = measure(data) or (len(data),) * 3
            total[0] += len(data)
            for i, n in enumerate(need):
                total[i + 1] += n
    b = max(total[0], 1)
    print(f"bytes {total[0]}: file {total[1] / b:.0%}, statement {total[2] / b:.0%}, member {total[3] / b:.0%}")


if __name__ == "__main__":
    main()
