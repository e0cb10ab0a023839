#!/usr/bin/env python3
"""vs_grep: recon against bash + GNU grep on the seed mission.

Builds a corpus (the fixture app replicated N times, plus a synthetic
`.venv` and `frontend/node_modules` of realistic shape), then alternates
runs of:

  shell  every command of the seed mission through `bash -c` (LC_ALL=C), in
         its phase's directory, as an agent would run them;
  run    `recon run` (the same mission, natively);
  scan   `recon scan` (the structural scan and report);
  rg     one `rg -uuu` pass with the mission's main patterns, if rg exists
         (the practical floor);
  check  `recon check FILE` on one Python file of the corpus that sends
         WebSocket messages (`send_json`), so rule OBS010 reads the other
         side of the app: the pre-commit case (`--check-file` picks another);
  checkall `recon check .` over the whole corpus (`pre-commit run
         --all-files`, CI);
  ruff   `ruff check --isolated --select LOG,G,TRY400,BLE001,T201,S110
         --no-cache --exit-zero .`, ruff's rules on the same concepts, when
         `ruff` is on PATH;

and prints the median wall time of each and the ratios. Timings come from
paired, alternating runs on a shared machine: read the medians and ratios,
not single figures.

  python3 benches/vs_grep.py [--copies N] [--deps-files N] [--repeat N] [--runs N] [--short]
         [--checkout DIR | --working-checkout DIR]
         [--corpus DIR] [--recon PATH] [--check-file REL] [--guard]

`--working-checkout DIR` benchmarks the closest thing to the issue's
reference: the fixture app with `pip install -r requirements.txt` into
`.venv` and `npm install` in `frontend/` (built once in DIR, reused).

`--guard` exits 1 when `recon run` is slower than the shell (the coarse CI
guard); it never fails on anything else.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APP = os.path.join(ROOT, "fixtures", "app")
MISSION = os.path.join(ROOT, "crates", "mission", "missions", "observability_phase2.md")

PY_DEP = '''"""Vendored module {i} of a dependency."""
import logging
import time

logger = logging.getLogger(__name__)


class Client{i}:
    def __init__(self, url="https://api.example{i}.com/v1", timeout=30):
        self.url = url
        self.timeout = timeout
        self.session_id = None

    def request(self, method, path, **kwargs):
        start = time.perf_counter()
        try:
            return self._send(method, path, **kwargs)
        except Exception as exc:
            logger.error("[HTTP] request failed: %s", exc)
            raise
        finally:
            elapsed = time.perf_counter() - start
            logger.debug("request took %.3f", elapsed)

    def _send(self, method, path, **kwargs):
        return {{"method": method, "path": path, "duration_ms": 0}}
'''

JS_DEP = '''// Bundled module {i}
export function notify{i}(message, options = {{}}) {{
  const payload = {{ type: "toast", message, timeout: options.timeout || 3000 }};
  if (typeof window !== "undefined" && window.alert && options.alert) {{
    window.alert(message);
  }}
  return payload;
}}

export const connection{i} = {{ pool: null, session_id: null, department: "none" }};
'''


def build_corpus(dest, copies, deps_files, repeat):
    """The fixture app once at the root (the mission's paths), N-1 more
    copies under services/, and dependency trees the shell has to walk."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(APP, dest, symlinks=True)
    for i in range(1, copies):
        shutil.copytree(APP, os.path.join(dest, "services", f"svc{i}"), symlinks=True)
    rnd = random.Random(7)
    venv = os.path.join(dest, ".venv", "lib", "python3.11", "site-packages")
    nm = os.path.join(dest, "frontend", "node_modules")
    for i in range(deps_files):
        pkg = f"pkg{i // 40}"
        if i % 2 == 0:
            d = os.path.join(venv, pkg)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"mod{i}.py"), "w") as f:
                f.write(PY_DEP.format(i=i) * rnd.randint(1, 2 * repeat))
        else:
            d = os.path.join(nm, pkg, "dist")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"index{i}.js"), "w") as f:
                f.write(JS_DEP.format(i=i) * rnd.randint(1, 4 * repeat))
    return dest


def build_working_checkout(dest):
    """The fixture app with its real dependencies installed, as a developer's
    working checkout has them: `.venv` from `pip install -r requirements.txt`
    and `frontend/node_modules` from `npm install` (needs PyPI and npm;
    built once, reused when `dest/.venv` exists)."""
    if os.path.isdir(os.path.join(dest, ".venv")) and os.path.isdir(os.path.join(dest, "frontend", "node_modules")):
        return dest
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(APP, dest, symlinks=True)
    subprocess.run([sys.executable, "-m", "venv", os.path.join(dest, ".venv")], check=True)
    subprocess.run([os.path.join(dest, ".venv", "bin", "pip"), "install", "--quiet", "-r", os.path.join(dest, "requirements.txt")], check=True)
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=os.path.join(dest, "frontend"), check=True)
    return dest


def mission_commands(recon, corpus):
    """(cwd, command) of every seed command, from recon's own plan."""
    out = subprocess.run([recon, "run", "--format", "json", corpus], capture_output=True, check=True)
    data = json.loads(out.stdout)
    return [(c["cwd"], c["command"]) for t in data["tasks"] for c in t["commands"]]


def first_sender(corpus):
    """The first Python file, in sorted walk order outside hidden and
    dependency directories, that calls `send_json`."""
    for directory, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "venv", "site-packages"))
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            with open(path, "rb") as f:
                if b"send_json" in f.read():
                    return os.path.relpath(path, corpus)
    return None


def time_it(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=8)
    ap.add_argument("--deps-files", type=int, default=6000)
    ap.add_argument("--repeat", type=int, default=25, help="dependency file size factor (25: ~25 KB on average)")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--short", action="store_true", help="small corpus, 5 runs (CI)")
    ap.add_argument("--corpus", help="where to build the corpus (default: a temp dir)")
    ap.add_argument("--checkout", help="benchmark this existing checkout instead of building a corpus")
    ap.add_argument("--working-checkout", metavar="DIR",
                    help="benchmark the fixture app with its real .venv and node_modules, built in DIR (pip and npm; reused)")
    # cargo puts the binary under CARGO_TARGET_DIR when it is set.
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    ap.add_argument("--recon", default=os.path.join(target, "release", "recon"),
                    help="the recon binary (default: $CARGO_TARGET_DIR/release/recon, else target/release/recon)")
    ap.add_argument("--guard", action="store_true", help="exit 1 if recon run is slower than the shell")
    ap.add_argument("--check-file", metavar="REL",
                    help="file for the check timing, relative to the corpus (default: the first .py that calls send_json)")
    args = ap.parse_args()
    args.recon = os.path.abspath(args.recon)
    if not os.path.isfile(args.recon):
        sys.exit(f"vs_grep: no recon binary at {args.recon}: run `cargo build --release` or pass --recon PATH")
    if args.short:
        args.copies, args.deps_files, args.repeat, args.runs = 3, 1500, 10, 5

    tmp = None
    corpus = args.corpus
    if corpus is None:
        tmp = tempfile.mkdtemp(prefix="recon-bench-")
        corpus = os.path.join(tmp, "corpus")
    if args.checkout:
        corpus = os.path.abspath(args.checkout)
    elif args.working_checkout:
        corpus = build_working_checkout(os.path.abspath(args.working_checkout))
    else:
        build_corpus(corpus, args.copies, args.deps_files, args.repeat)
    files = sum(len(fs) for _, _, fs in os.walk(corpus))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs if not os.path.islink(os.path.join(d, f)))
    commands = mission_commands(args.recon, corpus)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
    devnull = subprocess.DEVNULL

    def shell():
        for cwd, cmd in commands:
            subprocess.run(["bash", "-c", cmd], cwd=os.path.join(corpus, cwd), env=env, stdout=devnull, stderr=devnull, stdin=devnull)

    def run():
        subprocess.run([args.recon, "run", corpus], stdout=devnull, stderr=devnull, check=True)

    def scan():
        subprocess.run([args.recon, "scan", corpus], stdout=devnull, stderr=devnull)

    patterns = ["@app\\.|@router\\.", "websocket|receive_json|send_json", "getLogger|logging\\.", "logger\\.",
                "except.*:", "trace_id|request_id|correlation", "session_id", "department|division",
                "time\\.time|perf_counter|elapsed|duration|_ms|latency", "smtp|email|mail", "slack|webhook|notify|alert",
                "celery|background|scheduler|cron", "CREATE TABLE|REFERENCES", "https?://", "asyncpg|psycopg|pool",
                "redis|Redis", "openai|anthropic|embedding"]
    rg = shutil.which("rg")

    def rg_pass():
        cmd = [rg, "-uuu", "-n"] + [a for p in patterns for a in ("-e", p)] + [corpus]
        subprocess.run(cmd, stdout=devnull, stderr=devnull)

    check_file = args.check_file or first_sender(corpus)

    def check():
        # Exit 1 (violations found) is a normal outcome here.
        subprocess.run([args.recon, "check", check_file], cwd=corpus, stdout=devnull, stderr=devnull)

    ruff = shutil.which("ruff")

    def check_all():
        # The whole checkout, as `pre-commit run --all-files` and CI check it.
        subprocess.run([args.recon, "check", "."], cwd=corpus, stdout=devnull, stderr=devnull)

    def ruff_all():
        # ruff's rules on the same concepts: logging (LOG, G, TRY400),
        # blind/swallowed excepts (BLE001, S110), print (T201).
        subprocess.run([ruff, "check", "--isolated", "--select", "LOG,G,TRY400,BLE001,T201,S110",
                        "--no-cache", "--exit-zero", "."], cwd=corpus, stdout=devnull, stderr=devnull)

    contenders = [("shell", shell), ("run", run), ("scan", scan)] + ([("rg", rg_pass)] if rg else [])
    contenders += [("check", check)] if check_file else []
    contenders += [("checkall", check_all)] + ([("ruff", ruff_all)] if ruff else [])
    for _, fn in contenders:  # warm the page cache
        fn()
    times = {name: [] for name, _ in contenders}
    for i in range(args.runs):
        order = contenders if i % 2 == 0 else list(reversed(contenders))
        for name, fn in order:
            times[name].append(time_it(fn))
    med = {k: statistics.median(v) for k, v in times.items()}
    what = corpus if (args.checkout or args.working_checkout) else f"{args.copies} app copies, {args.deps_files} dependency files"
    print(f"corpus: {files} files, {size / 1e6:.1f} MB ({what}); "
          f"{len(commands)} commands; {args.runs} alternating runs; {os.cpu_count()} CPUs")
    for name in times:
        print(f"  {name:<8} median {med[name] * 1000:8.1f} ms   (min {min(times[name]) * 1000:.1f}, max {max(times[name]) * 1000:.1f})")
    print(f"ratio shell/run:  {med['shell'] / med['run']:.1f}x")
    print(f"ratio shell/scan: {med['shell'] / med['scan']:.1f}x")
    if rg:
        print(f"ratio run/rg:     {med['run'] / med['rg']:.2f}x")
    if ruff:
        print(f"ratio checkall/ruff: {med['checkall'] / med['ruff']:.2f}x   (recon check . vs ruff check .)")
    if check_file:
        print(f"check: {check_file}")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.guard and med["run"] > med["shell"]:
        print("FAIL: recon run is slower than bash + GNU grep", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
