#!/usr/bin/env python3
"""Independent oracle for `recon scan`'s `call_graph`, built on jedi.

    python3 tests/oracle/jedi_calls.py ROOT FINDINGS.json [--json]
        [--min-precision P] [--min-recall R] [--sys-path DIR ...]
        [--no-ignore] [--jobs N]

FINDINGS is the output of `recon scan --format findings ROOT` (`-`: stdin).
Nothing here comes from recon: the call sites are CPython `ast` nodes, their
targets are what jedi's `goto` says (written against jedi 0.20).

Call sites. Every `ast.Call` whose `func` is an `ast.Name` or `ast.Attribute`,
in every `.py` file under ROOT that recon scans (the file selection of
`py_findings.py`: .gitignore/.ignore, no hidden path, never node_modules, venv,
.venv, site-packages, __pycache__; `--no-ignore` as recon's). A file CPython
cannot parse (or not UTF-8) is skipped and counted, and recon's edges in it
are not judged. The position of a call is that of the called name token: the
`Name`, or the `attr` of an `Attribute` (the identifier that ends where the
node ends; its line is the node's `end_lineno`). ast columns are UTF-8 bytes
(recon's `column` is that byte offset + 1), jedi's are characters: both are
kept. Implicit calls are judged for precision only (an edge recon lists
there must be jedi's target; recall does not ask for them): a bare decorator
`@name` / `@a.name` (Python calls it with the function), the dependency in
`Depends(f)` / `Security(f)` (FastAPI calls it), and the call of a value that
is not a name: `f(x)(y)`, `fs[0](y)` at the `(` of the arguments, `@f(x)` at
the `@` (what `f(x)` returns is called with the function). Its targets are
what jedi's `infer` says just after the callee (`f(x)`): functions, classes
(their direct `__init__`), instances (their `__call__`); when jedi infers
nothing the site is unresolved. (Findings without columns put those edges at
`f`: there they are matched against both.)

Jedi. One `jedi.Project` whose sys path is, in this order: ROOT, ROOT/src (if
it exists), every directory D under ROOT that is not itself a package (no
`__init__.py`) and holds a package or module that the checkout's own files
import absolutely and that ROOT and ROOT/src do not provide (`backend/` when
files do `from myapp.x import y` and `backend/myapp/` exists; stdlib names are
not counted), the `--sys-path` extras, then this interpreter's sys.path (so
installed packages and the stdlib resolve, as external). jedi's "smart" sys
path (per-script parent directories) is off, so every file sees the same path,
and so are its dynamic params (guessing an unannotated parameter's type from
the calls of its function in the checkout: not a static resolution). One
`jedi.Script` per file, `goto(line, column, follow_imports=True)` at each call
site. `--jobs N` spreads the files over N processes. The script re-executes
itself with PYTHONHASHSEED=0 (jedi's answers follow set order) and makes
parso's caches safe (atomic writes to the disk cache that concurrent runs
share, no time-based eviction in memory), so a run is repeatable and does not
depend on N, except where jedi itself fails (recursion limit, internal errors:
about 1 call site in 10,000 on a site-packages, counted as `jedi_errors`,
where the failure may depend on what the worker process inferred before).

Classification of each name jedi's goto returns:
- project function: a `function` whose module is a scanned, parsed `.py` file
  under ROOT (not a `.pyi` stub). Its key is (relative file, line of the `def`
  keyword), the CPython `FunctionDef.lineno`: jedi's `name.line` is the line of
  the name token, mapped back through the FunctionDef whose name token is at
  jedi's line and column. A decorated function is its `def` (goto does not
  apply decorators); of several defs of one name the last one (after
  `@overload` stubs, the implementation); a method redefined in a class body,
  the last one.
- project class: its `__init__` when the class body defines `__init__` directly
  (at the top level of the body, last definition wins); otherwise ("class
  without direct __init__": inherited, dataclass, absent) the call site is left
  out of both precision and recall.
- a name in a project file that CPython could not parse: the site is left out
  (no def line to compare with).
- anything else (external or stdlib code, builtins, stubs, params, assigned
  names, properties, modules, files under ROOT that recon does not scan): jedi
  resolved the call to something that is not a project function.

An assigned name (`g = helper; g()`, `self.cb = helper; self.cb()`) is a
`statement` to goto, a parameter (`cls(...)` in a classmethod) a `param`. For
precision only, such a site also accepts what jedi's `infer` gives there
(project functions, classes' direct `__init__`: `cls` is its class, and
instances of project classes: their `__call__`, looked up on the C3 MRO), so
an edge that follows the assignment is not counted false; recall asks only for
goto's targets. When infer gives nothing for an assigned name, or the name is
bound after a starred target (`*init, last = f, f, g`: jedi infers `f`), jedi
did not resolve the call (a parameter it cannot infer stays resolved: an edge
there is a guess).

Where jedi is known to be wrong, the site is left out of both measures:
- jedi looks methods up depth-first along the bases, not along the C3 MRO. A
  method call jedi resolves to `X.m` is left out when some project subclass K
  of X has a depth-first lookup of `m` that gives X and a C3 lookup that does
  not (a diamond: the receiver might be a K). The bases are resolved with
  jedi's goto, the MRO computed here.
- `super(T, obj).m()`: jedi ignores the arguments; `super().m()` is left out
  when C3 and depth-first disagree after the enclosing class.
Not corrected: jedi evaluates `if sys.version_info >= ...:` (and
`sys.platform`) branches for the interpreter it runs on, so a name defined in
both branches resolves to one of them only (site-packages are full of these;
the tests' checkouts are not). Names bound in both branches of a plain `if`
give both targets.

Metrics. Recon's edges are matched to call sites by (file, line, column); when
the findings have no `column` (older recon), by (file, line) and the callee's
last name segment (`C.__init__` also matches a call of `C`; failing that, a
site on the line where jedi gives that target, or the line's only site).
- precision = recon edges whose target (callee_file, callee_line) jedi gives
  for that call site / recon edges at call sites where jedi resolved to
  anything (an edge at a position where there is no call counts as judged and
  false).
- recall = jedi project targets that recon lists at that call site / all jedi
  project targets (explicit calls only).
With no judged edge (or no jedi target) the figure is 1.0.

Output: a summary with up to 30 disagreements each way (file:line:col, the
source line, recon's target, jedi's), or with `--json`:
`{"precision", "recall", "edges", "judged", "correct", "jedi_project", "found",
"false_edges": [...], "missed": [...], "counts": {...}}`.
Exit 0; 1 when below `--min-precision` or `--min-recall`; 2 on bad input.

On a real site-packages (thousands of files; use --jobs):

    pip install --target /tmp/sp fastapi starlette pydantic httpx openai
    target/release/recon scan --format findings --no-ignore /tmp/sp > /tmp/f.json
    python3 tests/oracle/jedi_calls.py /tmp/sp /tmp/f.json --no-ignore --jobs 8

(`--no-ignore` on both sides: a site-packages tree may hold `.gitignore` files
or hidden directories.)
"""

import argparse
import ast
import bisect
import concurrent.futures
import json
import os
import pickle
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from py_findings import Selector  # noqa: E402  (the same file selection)

SHOWN = 30
# "def" / "class" up to the name, with the whitespace (and backslash line
# continuations) Python allows in between.
_GAP = r"(?:[ \t\f]|\\\r?\n|\\\r)+"
DEF_RE = re.compile(r"(?:async" + _GAP + r")?def" + _GAP)
CLASS_RE = re.compile(r"class" + _GAP)
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# Calls whose first argument the framework calls.
DEPENDENCY_MARKERS = {"Depends", "Security"}


def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)


def is_ident_char(c):
    return ("a" + c).isidentifier()


# --------------------------------------------------------------------------
# One module, read with ast


class Module:
    """A parsed file: its call sites, functions and classes. Definitions are
    keyed by the position of their name token in jedi's coordinates (1-based
    line, 0-based character column); a class key is (file, line, column)."""

    def __init__(self, rel, source, tree):
        self.rel = rel
        self.source = source
        # Line starts, with ast's (and parso's) line breaks: \r\n, \r, \n.
        self.starts = [0] + [m.end() for m in LINE_BREAK_RE.finditer(source)]
        self.lines = LINE_BREAK_RE.split(source)
        # Call sites: line, col (1-based bytes), char (0-based), name, caller,
        # implicit (None, "decorator", "Depends"), super (None, "bare",
        # "args"), klass (key of the class of the enclosing method).
        self.sites = []
        # (line, char) of name -> (def lineno, qualname, name, owner class key)
        self.functions = {}
        # (line, char) of name -> {"key", "qual", "init", "methods", "bases"}
        self.classes = {}
        # Base class names to resolve: {"line", "char", "of": class key,
        # "slot": index in its bases}
        self.bases = []
        # ids of Call nodes whose result is called in turn (`f(x)(y)`, a
        # decorator `@f(x)`).
        self._result_called = set()
        # (line, char) of the names bound after a starred target
        # (`*init, last = ...`), which jedi mis-infers.
        self.after_star = set()
        self._visit(tree, [], "<module>", None, None)
        self.imports = top_level_imports(tree)

    def line_bytes(self, line):
        return self.lines[line - 1].encode("utf-8", "surrogatepass")

    def char_col(self, line, byte_col):
        return len(self.line_bytes(line)[:byte_col].decode("utf-8", "replace"))

    def name_position(self, node, regex):
        """(line, char column) of the name of a def/class node."""
        start = self.starts[node.lineno - 1] + self.char_col(node.lineno, node.col_offset)
        m = regex.match(self.source, start)
        if m is None:
            return None
        offset = m.end()
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]

    def name_token(self, func):
        """(line, byte col, name) of the name a Name / Attribute ends with."""
        if isinstance(func, ast.Name):
            return func.lineno, func.col_offset, func.id
        line = func.end_lineno
        text = self.line_bytes(line)[: func.end_col_offset].decode("utf-8", "replace")
        i = len(text)
        while i > 0 and is_ident_char(text[i - 1]):
            i -= 1
        return line, len(text[:i].encode("utf-8", "surrogatepass")), text[i:]

    def _site(self, func, caller, klass, implicit=None, call=None):
        line, byte_col, name = self.name_token(func)
        result = None
        if call is not None and id(call) in self._result_called:
            # Where jedi infers what `f(x)` returns: just after its `)`.
            result = (call.end_lineno, self.char_col(call.end_lineno, call.end_col_offset))
        receiver = func.value if isinstance(func, ast.Attribute) else None
        sup = None
        if (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Name)
            and receiver.func.id == "super"
        ):
            sup = "args" if receiver.args or receiver.keywords else "bare"
        char = self.char_col(line, byte_col)
        self.sites.append(
            {
                "line": line,
                "col": byte_col + 1,
                "char": char,
                "name": name,
                "caller": caller,
                "implicit": implicit,
                "super": sup,
                "klass": klass,
                "query": ("goto", line, char),
                "result": result,
            }
        )

    def _result_site(self, line, byte_col, returner, caller, klass, implicit):
        """A call of what the call `returner` returns, at (line, byte col):
        jedi's `infer` just after `returner` says what is called."""
        end = (returner.end_lineno, self.char_col(returner.end_lineno, returner.end_col_offset))
        self.sites.append(
            {
                "line": line,
                "col": byte_col + 1,
                "char": self.char_col(line, byte_col),
                "name": "",
                "caller": caller,
                "implicit": implicit,
                "super": None,
                "klass": klass,
                "query": ("infer",) + end,
                "result": None,
            }
        )

    def open_paren_after(self, node):
        """(line, byte col) of the `(` that opens the arguments of a call whose
        callee is `node`: past closing parentheses, blanks, comments and line
        continuations."""
        offset = self.starts[node.end_lineno - 1] + self.char_col(node.end_lineno, node.end_col_offset)
        text = self.source
        while offset < len(text) and text[offset] != "(":
            if text[offset] == "#":
                while offset < len(text) and text[offset] not in "\r\n":
                    offset += 1
            else:
                offset += 1
        line = bisect.bisect_right(self.starts, offset)
        char = offset - self.starts[line - 1]
        return line, len(self.lines[line - 1][:char].encode("utf-8", "surrogatepass"))

    def at_sign(self, decorator):
        """(line, byte col) of the `@` of a decorator."""
        text = self.line_bytes(decorator.lineno)[: decorator.col_offset]
        at = text.rfind(b"@")
        return decorator.lineno, max(at, 0)

    def _visit(self, node, stack, caller, klass, owner):
        """stack: qualified-name parts of the enclosing defs and classes;
        caller: qualified name of the innermost enclosing def; klass: key of
        the class whose method that def is; owner: key of the class whose
        body `node` is directly in."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # A bare decorator `@name` / `@a.name` is a call too (Python calls
            # it with the function): a call site in the enclosing scope.
            for decorator in node.decorator_list:
                if isinstance(decorator, (ast.Name, ast.Attribute)):
                    self._site(decorator, caller, klass, implicit="decorator")
                elif isinstance(decorator, ast.Call):
                    # `@f(x)`: what `f(x)` returns is called, at the `@`.
                    self._result_called.add(id(decorator))
                    line, byte_col = self.at_sign(decorator)
                    self._result_site(line, byte_col, decorator, caller, klass, "decorator result")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qual = ".".join(stack + [node.name])
            pos = self.name_position(node, DEF_RE)
            if pos is not None:
                self.functions[pos] = (node.lineno, qual, node.name, owner)
            outer = (
                node.decorator_list
                + [node.args]
                + ([node.returns] if node.returns else [])
                + list(getattr(node, "type_params", []))
            )
            for part in outer:
                self._visit(part, stack, caller, klass, None)
            for stmt in node.body:
                self._visit(stmt, stack + [node.name], qual, owner, None)
            return
        if isinstance(node, ast.ClassDef):
            qual = ".".join(stack + [node.name])
            pos = self.name_position(node, CLASS_RE)
            key = (self.rel,) + pos if pos is not None else None
            methods = {}
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods[item.name] = item.lineno
            if key is not None:
                bases = []
                for base in node.bases:
                    # `Base[T]`: the class is `Base`.
                    named = base.value if isinstance(base, ast.Subscript) else base
                    if isinstance(named, (ast.Name, ast.Attribute)):
                        line, byte_col, _name = self.name_token(named)
                        self.bases.append(
                            {"line": line, "char": self.char_col(line, byte_col), "of": key, "slot": len(bases)}
                        )
                    bases.append(("unknown", ast.unparse(base)))
                self.classes[pos] = {
                    "key": key,
                    "qual": qual,
                    "init": methods.get("__init__"),
                    "methods": methods,
                    "bases": bases,  # filled in once jedi resolved self.bases
                }
            outer = node.decorator_list + node.bases + node.keywords + list(getattr(node, "type_params", []))
            for part in outer:
                self._visit(part, stack, caller, klass, None)
            for stmt in node.body:
                self._visit(stmt, stack + [node.name], caller, klass, key)
            return
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._mark_after_star(target)
        if isinstance(node, ast.Call) and not isinstance(node.func, (ast.Name, ast.Attribute)):
            # `f(x)(y)`, `fs[0](y)`, `(lambda: 0)()`: the called value is
            # what jedi infers just after the callee; recon's position is
            # the `(` of the arguments.
            if isinstance(node.func, ast.Call):
                self._result_called.add(id(node.func))
            line, byte_col = self.open_paren_after(node.func)
            self._result_site(line, byte_col, node.func, caller, klass, "result")
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            self._site(node.func, caller, klass, call=node)
            marker = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if marker in DEPENDENCY_MARKERS:
                dependency = node.args[0] if node.args else None
                for kw in node.keywords:
                    if kw.arg == "dependency":
                        dependency = kw.value
                if isinstance(dependency, (ast.Name, ast.Attribute)):
                    self._site(dependency, caller, klass, implicit=marker)
        for child in ast.iter_child_nodes(node):
            self._visit(child, stack, caller, klass, None)

    def _mark_after_star(self, target):
        if not isinstance(target, (ast.Tuple, ast.List)):
            return
        starred = False
        for element in target.elts:
            if isinstance(element, ast.Starred):
                starred = True
            elif starred:
                for name in ast.walk(element):
                    if isinstance(name, ast.Name):
                        self.after_star.add((name.lineno, self.char_col(name.lineno, name.col_offset)))
            else:
                self._mark_after_star(element)


def read_module(root, rel):
    """(Module, None) or (None, reason)."""
    try:
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
    except OSError as e:
        return None, e.strerror or str(e)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "invalid UTF-8"
    try:
        tree = ast.parse(source, filename=rel)
    except (SyntaxError, ValueError) as e:
        return None, "syntax error: %s" % e
    return Module(rel, source, tree), None


# --------------------------------------------------------------------------
# The sys path


def top_level_imports(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def provides(directory, name):
    return os.path.isdir(os.path.join(directory, name)) or os.path.isfile(os.path.join(directory, name + ".py"))


def project_sys_path(root, selected, imported, extras):
    """(the sys path, the directories under root it adds)."""
    root = os.path.abspath(root)
    src = os.path.join(root, "src")
    path = [root] + ([src] if os.path.isdir(src) else [])
    stdlib = set(getattr(sys, "stdlib_module_names", ()))
    wanted = {n for n in imported if n not in stdlib and not any(provides(p, n) for p in path)}
    # The directories holding scanned files, and the packages and modules in
    # each.
    children = {}
    for rel in selected:
        parts = rel.split("/")
        for depth in range(len(parts) - 1):
            children.setdefault("/".join(parts[:depth]), set()).add(parts[depth])
        if rel.endswith(".py"):
            children.setdefault("/".join(parts[:-1]), set()).add(parts[-1][:-3])
    found = []
    for rel_dir in sorted(children):
        if rel_dir in ("", "src"):
            continue
        full = os.path.join(root, rel_dir)
        if os.path.isfile(os.path.join(full, "__init__.py")):
            continue
        if children[rel_dir] & wanted:
            found.append(full)
    path += found
    path += [os.path.abspath(e) for e in extras]
    for p in sys.path:
        if p and os.path.abspath(p) != HERE:
            path.append(p)
    out = []
    for p in path:
        if p not in out:
            out.append(p)
    return out, found


# --------------------------------------------------------------------------
# Jedi (in worker processes)

_PROJECT = None


def _safe_parso_cache():
    """Make parso's caches deterministic. Its on-disk cache (~/.cache/jedi) is
    shared by concurrent runs (the worker processes, tests running side by
    side) and its writes are not atomic: a reader can load a half-written
    pickle (EOFError, which jedi passes on). Make the writes atomic and a bad
    read a cache miss."""
    import parso.cache as cache

    if not hasattr(cache, "_load_from_file_system") or not hasattr(cache, "_get_hashed_path"):
        return
    load = cache._load_from_file_system

    def safe_load(*args, **kwargs):
        try:
            return load(*args, **kwargs)
        except Exception:
            return None

    def atomic_save(hashed_grammar, path, item, cache_path=None):
        target = cache._get_hashed_path(hashed_grammar, path, cache_path=cache_path)
        temp = "%s.%d.tmp" % (target, os.getpid())
        with open(temp, "wb") as f:
            pickle.dump(item, f, pickle.HIGHEST_PROTOCOL)
        os.replace(temp, target)

    cache._load_from_file_system = safe_load
    cache._save_to_file_system = atomic_save
    # parso drops in-memory trees not used for 10 minutes once it holds 600,
    # and jedi then looks up a dropped one (KeyError): in a run that long the
    # answers would depend on timing. Keep every tree.
    if hasattr(cache, "_CACHED_SIZE_TRIGGER"):
        cache._CACHED_SIZE_TRIGGER = float("inf")


def _init_worker(root, sys_path):
    global _PROJECT
    import jedi

    _safe_parso_cache()
    jedi.settings.dynamic_params = False
    jedi.settings.dynamic_params_for_other_modules = False
    _PROJECT = jedi.Project(root, sys_path=sys_path, smart_sys_path=False)


def _describe(name):
    path = name.module_path
    return {
        "type": name.type,
        "path": str(path) if path is not None else None,
        "line": name.line,
        "column": name.column,
        "full_name": name.full_name or name.name,
        "stub": bool(name.is_stub()),
    }


def _sorted(answers):
    return sorted(answers, key=lambda a: (a["path"] or "", a["line"] or 0, a["column"] or 0, a["type"], a["full_name"]))


def _jedi_file(job):
    """[(goto answers, infer answers or None, error)] for each query: "goto"
    (infer too when goto gives an assigned name) or "infer"."""
    import jedi

    path, source, queries = job
    script = jedi.Script(source, path=path, project=_PROJECT)
    out = []
    for mode, line, char in queries:
        try:
            if mode == "infer":
                out.append(([], _sorted([_describe(n) for n in script.infer(line, char)]), None))
                continue
            gone = _sorted([_describe(n) for n in script.goto(line, char, follow_imports=True)])
            inferred = None
            if any(g["type"] in ("statement", "param") for g in gone):
                inferred = _sorted([_describe(n) for n in script.infer(line, char)])
            out.append((gone, inferred, None))
        except Exception as e:  # jedi's own bugs: the site counts as unresolved
            out.append(([], None, "%s: %s" % (type(e).__name__, e)))
    return out


def run_jedi(root, sys_path, modules, jobs):
    """For each module: (answers at its sites, at its base classes, at the
    calls whose result is called)."""
    root = os.path.abspath(root)
    work = []
    for m in modules:
        queries = (
            [s["query"] for s in m.sites]
            + [("goto", b["line"], b["char"]) for b in m.bases]
            + [("infer",) + s["result"] for s in m.sites if s["result"] is not None]
        )
        work.append((os.path.join(root, m.rel), m.source, queries))
    if jobs <= 1:
        _init_worker(root, sys_path)
        results = [_jedi_file(w) for w in work]
    else:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker, initargs=(root, sys_path)
        ) as pool:
            results = list(pool.map(_jedi_file, work, chunksize=1))
    out = []
    for m, r in zip(modules, results):
        sites, bases = len(m.sites), len(m.bases)
        out.append((r[:sites], r[sites : sites + bases], r[sites + bases :]))
    return out


# --------------------------------------------------------------------------
# Classification


class Project:
    """The parsed modules, their classes (bases resolved by jedi) and MROs."""

    def __init__(self, root, modules, broken):
        self.root = os.path.realpath(os.path.abspath(root))
        self.modules = {m.rel: m for m in modules}
        self.broken = set(broken)
        self.classes = {}
        for m in modules:
            for info in m.classes.values():
                self.classes[info["key"]] = info
        self.subclasses = {}
        self._dfs = {}
        self._c3 = {}

    def relative(self, path):
        if path is None:
            return None
        full = os.path.realpath(path)
        if full != self.root and not full.startswith(self.root + os.sep):
            return None
        return os.path.relpath(full, self.root).replace(os.sep, "/")

    def classify(self, answer, instances=False):
        """(kind, target, label): kind in project, no_init, broken, other;
        target (file, def line, qualname, method name, owner class key).
        With `instances`, an instance of a project class is its `__call__`
        (the first on the class's C3 MRO, when the checkout defines it)."""
        label = "%s %s" % (answer["type"], answer["full_name"])
        rel = self.relative(answer["path"])
        if rel is None or answer["stub"] or not rel.endswith(".py"):
            return "other", None, label
        label += " (%s:%s)" % (rel, answer["line"])
        if rel in self.broken:
            return "broken", None, label
        module = self.modules.get(rel)
        if module is None:
            return "other", None, label + " [not scanned]"
        pos = (answer["line"], answer["column"])
        if answer["type"] == "function":
            hit = module.functions.get(pos)
            if hit is None:
                return "other", None, label + " [no def there]"
            line, qual, name, owner = hit
            return "project", (rel, line, qual, name, owner), label
        if answer["type"] == "class":
            info = module.classes.get(pos)
            if info is None:
                return "other", None, label + " [no class there]"
            if info["init"] is None:
                return "no_init", None, label + " [no direct __init__]"
            return "project", (rel, info["init"], info["qual"] + ".__init__", "__init__", None), label
        if answer["type"] == "instance" and instances:
            info = module.classes.get(pos)
            owner = self.lookup(self.c3_mro(info["key"]), "__call__") if info is not None else None
            if owner is None:
                return "other", None, label + " [no __call__ in the checkout]"
            owner_info = self.classes[owner]
            return (
                "project",
                (owner[0], owner_info["methods"]["__call__"], owner_info["qual"] + ".__call__", "__call__", owner),
                label,
            )
        return "other", None, label

    def after_star(self, answer):
        module = self.modules.get(self.relative(answer["path"]))
        return module is not None and (answer["line"], answer["column"]) in module.after_star

    def class_of(self, answer):
        """A base class jedi resolved: a project class key, or an opaque
        ("external", name) / ("unknown", ...) node."""
        rel = self.relative(answer["path"])
        if answer["type"] == "class" and rel in self.modules and not answer["stub"]:
            info = self.modules[rel].classes.get((answer["line"], answer["column"]))
            if info is not None:
                return info["key"]
        return ("external", answer["full_name"])

    def resolve_bases(self, modules, base_answers):
        for module, answers in zip(modules, base_answers):
            for base, (gone, _inferred, _error) in zip(module.bases, answers):
                if gone:
                    self.classes[base["of"]]["bases"][base["slot"]] = self.class_of(gone[0])
        for key, info in self.classes.items():
            for base in info["bases"]:
                if base in self.classes:
                    self.subclasses.setdefault(base, set()).add(key)

    # Method resolution orders: jedi's (depth-first, first occurrence kept)
    # and Python's (C3). Opaque nodes define nothing.

    def bases_of(self, key):
        info = self.classes.get(key)
        return info["bases"] if info else []

    def dfs_mro(self, key, seen=()):
        if key in self._dfs:
            return self._dfs[key]
        out = [key]
        if key not in seen:
            for base in self.bases_of(key):
                for k in self.dfs_mro(base, seen + (key,)):
                    if k not in out:
                        out.append(k)
        self._dfs[key] = out
        return out

    def c3_mro(self, key, seen=()):
        """None when there is no consistent order (or a cycle)."""
        if key in self._c3:
            return self._c3[key]
        if key in seen:
            return None
        bases = self.bases_of(key)
        seqs = []
        for base in bases:
            mro = self.c3_mro(base, seen + (key,))
            if mro is None:
                self._c3[key] = None
                return None
            seqs.append(list(mro))
        seqs.append(list(bases))
        out = [key]
        while True:
            seqs = [s for s in seqs if s]
            if not seqs:
                break
            for seq in seqs:
                head = seq[0]
                if not any(head in s[1:] for s in seqs):
                    break
            else:
                self._c3[key] = None
                return None
            out.append(head)
            for s in seqs:
                if s[0] == head:
                    del s[0]
        self._c3[key] = out
        return out

    def lookup(self, mro, name):
        for key in mro or []:
            info = self.classes.get(key)
            if info is not None and name in info["methods"]:
                return key
        return None

    def all_subclasses(self, key):
        out, todo = set(), [key]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in out:
                    out.add(sub)
                    todo.append(sub)
        return out

    def mro_doubt(self, site, target):
        """Why jedi's answer `target` (a method) may be wrong, or None."""
        _rel, _line, qual, name, owner = target
        if site["super"] == "args":
            return "super() with arguments (jedi ignores them)"
        if site["super"] == "bare" and site["klass"] is not None:
            enclosing = site["klass"]
            c3 = self.c3_mro(enclosing)
            if c3 is None:
                return "no C3 order for the enclosing class"
            if self.lookup(c3[1:], name) != self.lookup(self.dfs_mro(enclosing)[1:], name):
                return "super(): C3 and jedi's depth-first lookup disagree"
            return None
        if owner is None:
            return None
        for sub in sorted(self.all_subclasses(owner)):
            if self.lookup(self.dfs_mro(sub), name) != owner:
                continue
            c3 = self.c3_mro(sub)
            if c3 is None or self.lookup(c3, name) != owner:
                return "%s: C3 lookup from subclass %s differs from jedi's depth-first" % (
                    qual,
                    self.classes[sub]["qual"],
                )
        return None


def judge_sites(modules, site_answers, result_answers, project):
    """Fill each site with: resolved, excluded (reason), targets {(file,
    line): qualname} (goto's project functions: recall), accepted (targets,
    plus infer's for assigned names and called results: precision), labels;
    and result_accepted, what the call `f(x)` at a name site returns (for
    findings without columns, where `f(x)(y)` cannot be told from `f(x)`)."""
    counts = {
        "jedi_errors": 0,
        "class_without_direct_init": 0,
        "target_in_unparsed_file": 0,
        "jedi_mro_doubt": 0,
    }

    def exclude(site, reason, counter):
        if site["excluded"] is None:
            site["excluded"] = reason
            counts[counter] += 1

    for module, per_site, per_result in zip(modules, site_answers, result_answers):
        results = iter(per_result)
        for site, (gone, inferred, error) in zip(module.sites, per_site):
            site["targets"] = {}
            site["accepted"] = {}
            site["result_accepted"] = {}
            site["result_unknown"] = False
            site["labels"] = []
            site["excluded"] = None
            if error is not None:
                counts["jedi_errors"] += 1
                site["labels"].append("jedi error: " + error)
                samples = counts.setdefault("jedi_error_samples", [])
                if len(samples) < 5:
                    samples.append("%s:%s: %s" % (module.rel, site["line"], error))
            if site["query"][0] == "infer":
                # The call of a called result: what jedi infers is called.
                site["resolved"] = bool(inferred)
                for answer in inferred or []:
                    kind, target, label = project.classify(answer, instances=True)
                    site["labels"].append(label)
                    if kind == "project":
                        site["accepted"][target[:2]] = target[2]
                    elif kind == "no_init":
                        exclude(site, "class without direct __init__", "class_without_direct_init")
                    elif kind == "broken":
                        exclude(site, "target in a file CPython cannot parse", "target_in_unparsed_file")
                continue
            # An assigned name jedi cannot infer, or bound after a starred
            # target (`*init, last = f, f, g`: jedi infers `f`): jedi does
            # not know what is called.
            site["resolved"] = bool(gone) and not (
                all(g["type"] == "statement" for g in gone) and not inferred
            )
            if any(g["type"] == "statement" and project.after_star(g) for g in gone):
                site["resolved"] = False
            for answer in gone:
                kind, target, label = project.classify(answer)
                site["labels"].append(label)
                if kind == "project":
                    site["targets"][target[:2]] = target[2]
                    doubt = project.mro_doubt(site, target)
                    if doubt is not None:
                        exclude(site, doubt, "jedi_mro_doubt")
                elif kind == "no_init":
                    exclude(site, "class without direct __init__", "class_without_direct_init")
                elif kind == "broken":
                    exclude(site, "target in a file CPython cannot parse", "target_in_unparsed_file")
            site["accepted"].update(site["targets"])
            for answer in inferred or []:
                kind, target, label = project.classify(answer, instances=True)
                site["labels"].append("infer: " + label)
                if kind == "project":
                    site["accepted"][target[:2]] = target[2]
                elif kind == "no_init":
                    exclude(site, "class without direct __init__", "class_without_direct_init")
            if site["result"] is not None:
                _gone, returned, _error = next(results)
                site["result_unknown"] = not returned
                for answer in returned or []:
                    kind, target, _label = project.classify(answer, instances=True)
                    if kind == "project":
                        site["result_accepted"][target[:2]] = target[2]
    return counts


# --------------------------------------------------------------------------
# Matching recon's edges


def load_edges(path):
    try:
        if path == "-":
            data = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
    except (OSError, ValueError) as e:
        fail("cannot read findings %s: %s" % (path, e))
    if not isinstance(data, dict) or not isinstance(data.get("call_graph"), list):
        fail("%s has no call_graph list (not `recon scan --format findings` output)" % path)
    for e in data["call_graph"]:
        if not isinstance(e, dict) or not all(k in e for k in ("file", "line", "callee", "callee_file", "callee_line")):
            fail("malformed call_graph entry: %r" % (e,))
    return data["call_graph"]


def accepts(site, edge):
    key = (edge["callee_file"], edge["callee_line"])
    if key in site["accepted"]:
        return True
    # Without columns `f(x)(y)` and `@f(x)` edges may sit at `f`.
    return edge.get("column") is None and key in site["result_accepted"]


def site_for(edge, module):
    """(site, None) or (None, why there is none)."""
    line = edge["line"]
    on_line = [s for s in module.sites if s["line"] == line]
    if edge.get("column") is not None:
        candidates = [s for s in on_line if s["col"] == edge["column"]]
        if not candidates:
            return None, "no call at this position"
    else:
        # No column (older recon): the callee's last segment names the call.
        parts = edge["callee"].split(".")
        names = [parts[-1]] + (parts[-2:-1] if parts[-1] == "__init__" else [])
        candidates = [s for s in on_line if s["name"] in names]
        if not candidates:
            candidates = [s for s in on_line if accepts(s, edge)]
        if not candidates and len(on_line) == 1:
            candidates = on_line
        if not candidates:
            return None, "no call of `%s` on this line" % parts[-1]
    for s in candidates:
        if accepts(s, edge):
            return s, None
    for s in candidates:
        if s["resolved"] and not s["excluded"]:
            return s, None
    return candidates[0], None


def where(module, site):
    return {"file": module.rel, "line": site["line"], "column": site["col"]}


def evaluate(edges, modules, broken):
    by_rel = {m.rel: m for m in modules}
    counts = {
        "edges_in_unparsed_files": 0,
        "edges_outside_scanned_files": 0,
        "duplicate_edges": 0,
        "edges_unjudged": 0,
        "edges_at_excluded_sites": 0,
        "edges_at_no_call_site": 0,
        "edges_at_implicit_calls": 0,
    }
    seen = set()
    listed = {}  # id(site) -> {(file, line)} recon lists there
    judged = correct = total = 0
    false_edges = []
    for edge in edges:
        if edge["file"] in broken:
            counts["edges_in_unparsed_files"] += 1
            continue
        module = by_rel.get(edge["file"])
        if module is None:
            counts["edges_outside_scanned_files"] += 1
            continue
        ident = (edge["file"], edge["line"], edge.get("column"), edge["callee_file"], edge["callee_line"])
        if ident in seen:
            counts["duplicate_edges"] += 1
            continue
        seen.add(ident)
        total += 1
        site, reason = site_for(edge, module)
        target = "%s (%s:%s)" % (edge["callee"], edge["callee_file"], edge["callee_line"])
        line = edge["line"]
        if site is None:
            counts["edges_at_no_call_site"] += 1
            judged += 1
            false_edges.append(
                {
                    "file": edge["file"],
                    "line": line,
                    "column": edge.get("column"),
                    "source": module.lines[line - 1].strip() if 0 < line <= len(module.lines) else "",
                    "caller": edge.get("caller"),
                    "recon": target,
                    "jedi": [reason],
                }
            )
            continue
        listed.setdefault(id(site), set()).add((edge["callee_file"], edge["callee_line"]))
        if site["excluded"]:
            counts["edges_at_excluded_sites"] += 1
            continue
        if not site["resolved"]:
            counts["edges_unjudged"] += 1
            continue
        ok = accepts(site, edge)
        if not ok and edge.get("column") is None and site["result_unknown"]:
            # Perhaps the call of what `f(x)` returns, which jedi cannot say.
            counts["edges_unjudged"] += 1
            continue
        judged += 1
        counts["edges_at_implicit_calls"] += site["implicit"] is not None
        if ok:
            correct += 1
        else:
            false_edges.append(
                {
                    **where(module, site),
                    "source": module.lines[site["line"] - 1].strip(),
                    "caller": site["caller"],
                    "recon": target,
                    "jedi": site["labels"],
                }
            )
    jedi_project = found = sites = resolved = implicit = 0
    missed = []
    for module in modules:
        for site in module.sites:
            if site["implicit"] is not None:
                implicit += 1
                continue
            sites += 1
            resolved += site["resolved"]
            if site["excluded"]:
                continue
            there = listed.get(id(site), set())
            for (file, line), qual in sorted(site["targets"].items()):
                jedi_project += 1
                if (file, line) in there:
                    found += 1
                else:
                    missed.append(
                        {
                            **where(module, site),
                            "source": module.lines[site["line"] - 1].strip(),
                            "caller": site["caller"],
                            "jedi": "%s (%s:%s)" % (qual, file, line),
                            "recon": sorted("%s:%s" % k for k in there),
                        }
                    )
    counts.update(
        {
            "files_parsed": len(modules),
            "files_unparsable": len(broken),
            "call_sites": sites,
            "call_sites_jedi_resolved": resolved,
            "implicit_call_sites": implicit,
        }
    )
    return {
        "precision": correct / judged if judged else 1.0,
        "recall": found / jedi_project if jedi_project else 1.0,
        "edges": total,
        "judged": judged,
        "correct": correct,
        "jedi_project": jedi_project,
        "found": found,
        "false_edges": false_edges,
        "missed": missed,
    }, counts


# --------------------------------------------------------------------------


def at(e):
    return "%s:%s:%s" % (e["file"], e["line"], "?" if e["column"] is None else e["column"])


def summary(report, root):
    c = report["counts"]
    out = [
        "jedi oracle for recon's call_graph on %s" % root,
        "files: %d parsed, %d skipped (CPython cannot parse them or not UTF-8)"
        % (c["files_parsed"], c["files_unparsable"]),
        "call sites: %d (and %d implicit: bare decorators, Depends, called results), jedi resolved %d; %d jedi "
        "project targets"
        % (c["call_sites"], c["implicit_call_sites"], c["call_sites_jedi_resolved"], report["jedi_project"]),
        "left out: %d sites calling a class without a direct __init__, %d with a target in an unparsable file, "
        "%d where jedi's MRO is in doubt; %d jedi errors"
        % (c["class_without_direct_init"], c["target_in_unparsed_file"], c["jedi_mro_doubt"], c["jedi_errors"]),
        "recon edges: %d; %d judged (%d at implicit calls, %d at no call site); not judged: %d where jedi found "
        "nothing, %d at left-out sites, %d in unparsable files, %d outside the scanned files; %d duplicates"
        % (
            report["edges"], report["judged"], c["edges_at_implicit_calls"], c["edges_at_no_call_site"],
            c["edges_unjudged"], c["edges_at_excluded_sites"], c["edges_in_unparsed_files"],
            c["edges_outside_scanned_files"], c["duplicate_edges"],
        ),
    ]
    for sample in c.get("jedi_error_samples", []):
        out.append("  jedi error at %s" % sample[:200])
    if c["sys_path_dirs"]:
        out.append("sys path dirs found under the root: %s" % ", ".join(c["sys_path_dirs"]))
    out.append("precision %.3f (%d/%d)" % (report["precision"], report["correct"], report["judged"]))
    out.append("recall    %.3f (%d/%d)" % (report["recall"], report["found"], report["jedi_project"]))
    if report["false_edges"]:
        out.append("")
        out.append("recon edges jedi does not give (%d, first %d):" % (len(report["false_edges"]), SHOWN))
        for e in report["false_edges"][:SHOWN]:
            out.append("  %s in %s: %s" % (at(e), e["caller"], e["source"]))
            out.append("      recon: %s" % e["recon"])
            out.append("      jedi:  %s" % ("; ".join(e["jedi"]) or "nothing"))
    if report["missed"]:
        out.append("")
        out.append("jedi project targets recon does not list (%d, first %d):" % (len(report["missed"]), SHOWN))
        for e in report["missed"][:SHOWN]:
            out.append("  %s in %s: %s" % (at(e), e["caller"], e["source"]))
            out.append("      jedi:  %s" % e["jedi"])
            out.append("      recon: %s" % (", ".join(e["recon"]) or "no edge"))
    return "\n".join(out)


def main(argv):
    # jedi's answers (and where its own bugs strike) follow set iteration
    # order: a fixed string hash makes runs repeatable.
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + argv, env)
    parser = argparse.ArgumentParser(description="jedi oracle for recon's call_graph")
    parser.add_argument("root")
    parser.add_argument("findings", help="`recon scan --format findings ROOT` output, - for stdin")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--min-precision", type=float, default=None)
    parser.add_argument("--min-recall", type=float, default=None)
    parser.add_argument("--sys-path", action="append", default=[], metavar="DIR")
    parser.add_argument("--no-ignore", action="store_true", help="recon's --no-ignore file selection")
    parser.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 8))
    args = parser.parse_args(argv)
    if not os.path.isdir(args.root):
        fail("%s is not a directory" % args.root)
    try:
        import jedi  # noqa: F401
    except ImportError:
        fail("jedi is not installed (pip install jedi)")
    edges = load_edges(args.findings)

    selected = Selector(args.root, args.no_ignore).files()
    modules, broken, imported = [], [], set()
    for rel in selected:
        if not rel.endswith(".py"):
            continue
        module, _reason = read_module(args.root, rel)
        if module is None:
            broken.append(rel)
            continue
        modules.append(module)
        imported |= module.imports
    sys_path, found_dirs = project_sys_path(args.root, selected, imported, args.sys_path)

    answers = run_jedi(args.root, sys_path, modules, max(1, args.jobs))
    project = Project(args.root, modules, broken)
    project.resolve_bases(modules, [bases for _sites, bases, _results in answers])
    counts = judge_sites(
        modules, [sites for sites, _b, _r in answers], [results for _s, _b, results in answers], project
    )
    report, more = evaluate(edges, modules, set(broken))
    counts.update(more)
    counts["sys_path_dirs"] = [os.path.relpath(d, os.path.abspath(args.root)).replace(os.sep, "/") for d in found_dirs]
    report["counts"] = counts

    if args.json:
        json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary(report, args.root))
    low = []
    if args.min_precision is not None and report["precision"] < args.min_precision:
        low.append("precision %.3f < %s" % (report["precision"], args.min_precision))
    if args.min_recall is not None and report["recall"] < args.min_recall:
        low.append("recall %.3f < %s" % (report["recall"], args.min_recall))
    if low:
        print("below the bar: " + ", ".join(low), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # `| head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
