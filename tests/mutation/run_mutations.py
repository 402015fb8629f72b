#!/usr/bin/env python3
"""Rerun the hand-made mutations (mutations.py) and report the kill rate.

    .venv/bin/python tests/mutation/run_mutations.py [--only NAME[,NAME…]] [--jobs 1|2] [--list] [-v]

Each mutation is applied to a temporary COPY of the repository (never the
working tree), its tests run there with pytest (-x -q -p no:cacheprovider
-n 0), and the copy is restored. A failing test kills the mutation; passing
tests mean it survived (the rule is not guarded).

Counted against the set, each with its reason: a snippet that does not occur
exactly once in its file ("stale": re-target it), a named test that no longer
exists ("stale"), a mutant that does not compile or import ("invalid"), and a
mutation whose tests already fail on the unmutated copy ("baseline").

With --each, every test named for a mutation runs on its own and must kill
it by itself ("weak" otherwise: that test does not guard the rule it is listed for).

Exit status: 0 when every selected mutation was killed; 1 otherwise; 2 usage.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import MUTATIONS, Mutation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TARGET = 0.95
TIMEOUT = 600  # seconds per mutation; a mutation that hangs its tests counts as killed
# Not copied: version control, the virtualenv (linked instead), build output, caches.
IGNORED = shutil.ignore_patterns(".git", ".venv", "output", ".output.slots", "test-artifacts", "__pycache__",
                                 "*.pyc", ".pytest_cache", ".hypothesis", "ledger.sqlite", "publish-report.json",
                                 ".ledger.sqlite.cache")
# No bytecode: a file mutated and restored within one second keeps its size and
# mtime, so a cached .pyc of the mutant could be used again. Wide lines: the
# short summary keeps the failing assertion.
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "COLUMNS": "400"}
Result = tuple[Mutation, str, float, str]  # mutation, status, seconds, detail


def occurrences(m: Mutation, root: Path = ROOT) -> int:
    path = root / m.file
    return path.read_text(encoding="utf-8").count(m.old) if path.is_file() else 0


def make_copy(parent: Path, name: str) -> Path:
    copy = parent / name
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    if (ROOT / ".venv").exists():
        (copy / ".venv").symlink_to(os.path.realpath(ROOT / ".venv"))
    return copy


def pytest(copy: Path, args) -> tuple[int | None, list[str]]:
    """(pytest's exit status, or None on timeout; its output lines)."""
    # The ini's addopts (-q -n 2) replaced by ours: one -q (collect-only lists node ids), our -n.
    cmd = [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-rfE", "-p", "no:cacheprovider", *args]
    try:
        run = subprocess.run(cmd, cwd=copy, env=ENV, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, ["timeout"]
    return run.returncode, [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]


def summary(lines: list[str]) -> str:
    """The failing tests and their first error line (pytest's short summary), or the last lines."""
    failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    counts = [line.strip(" =") for line in lines if re.search(r"\d+ (passed|failed|errors?|skipped)", line)]
    return " | ".join((failed or counts[-1:] or lines[-3:])[:2])


def covers(selector: str, node: str) -> bool:
    """Whether a test selector (a node id, maybe without parameters) names this collected node."""
    return node == selector or node.startswith((selector + "[", selector + "::"))


def collect(copy: Path, files: list[str]) -> list[str]:
    _, lines = pytest(copy, ["--collect-only", "-n", "0", *files])
    return [line for line in lines if "::" in line and not line.startswith(("ERROR", "FAILED"))]


def baseline_failures(copy: Path, tests: list[str], jobs: int) -> list[str]:
    """The selected tests that fail without any mutation (node ids)."""
    code, lines = pytest(copy, ["-n", str(jobs) if jobs > 1 else "0", *tests])
    if code == 0:
        return []
    failed = [re.split(r"\s+-\s+|\s+$", line.split(" ", 1)[1])[0] for line in lines
              if line.startswith(("FAILED ", "ERROR "))]
    return failed or tests  # no summary (e.g. a crash): trust none of them


def run_one(m: Mutation, copy: Path, each: bool = False) -> tuple[str, float, str]:
    """Apply ``m`` to ``copy``, run its tests, restore: (status, seconds, detail).
    ``each``: run every named test on its own; each one must kill the mutant."""
    path = copy / m.file
    original = path.read_bytes()
    mutated = original.decode("utf-8").replace(m.old, m.new, 1)
    try:
        compile(mutated, str(path), "exec")
    except SyntaxError as exc:
        return "invalid", 0.0, f"the mutated file does not compile: {exc}"
    start = time.perf_counter()
    try:
        path.write_text(mutated, encoding="utf-8")
        runs = [(t,) for t in m.tests] if each else [m.tests]
        outcomes = [(tests, *pytest(copy, ["-x", "-n", "0", *tests])) for tests in runs]
    finally:
        path.write_bytes(original)
    seconds = time.perf_counter() - start
    weak = [tests[0] for tests, code, _ in outcomes if code == 0]
    if each and weak and len(weak) < len(outcomes):
        return "weak", seconds, f"killed, but not by: {', '.join(weak)}"
    code, lines = next(((c, li) for _, c, li in outcomes if c != 0), outcomes[0][1:])
    if code is None:
        return "killed", seconds, "timeout"
    if code == 0:
        return "SURVIVED", seconds, summary(lines)
    if code == 1:  # a test failed
        return "killed", seconds, summary(lines)
    if code == 2:  # collection failed: the mutant does not import; it breaks no rule
        return "invalid", seconds, f"pytest exit 2 (collection): {summary(lines)}"
    return "error", seconds, f"pytest exit {code}: {summary(lines)}"


def table(rows: list[Result], verbose: bool = False) -> str:
    width = max(len(m.name) for m, *_ in rows)
    lines = [f"{'mutation':<{width}}  {'status':<8}  {'s':>5}  file: rule"]
    for m, status, seconds, detail in rows:
        lines.append(f"{m.name:<{width}}  {status:<8}  {seconds:5.1f}  {m.file}: {m.rule}")
        if status != "killed" or verbose:  # for a kill: which test failed, and how
            lines.append(f"{'':<{width}}  {'':<8}  {'':>5}  → {detail[:300]}")
    return "\n".join(lines)


def select(names: list[str] | None) -> list[Mutation]:
    if not names:
        return list(MUTATIONS)
    known = {m.name: m for m in MUTATIONS}
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown mutation(s): {', '.join(unknown)} (see --list)", file=sys.stderr)
        sys.exit(2)
    return [known[n] for n in names]


def triage(chosen: list[Mutation], copy: Path, jobs: int, baseline: bool) -> tuple[list[Mutation], list[Result]]:
    """(the mutations to run, the ones that cannot be run and why)."""
    out: list[Result] = []
    for m in chosen:
        if occurrences(m) != 1:
            out.append((m, "stale", 0.0, f"the old snippet occurs {occurrences(m)} times in {m.file} (must be once)"))
    ready = [m for m in chosen if occurrences(m) == 1]
    nodes = collect(copy, sorted({t.split("::")[0] for m in ready for t in m.tests}))
    for m in ready:
        missing = [t for t in m.tests if not any(covers(t, n) for n in nodes)]
        if missing:
            out.append((m, "stale", 0.0, f"no such test: {', '.join(missing)}"))
    ready = [m for m in ready if m not in {r[0] for r in out}]
    if baseline and ready:
        start = time.perf_counter()
        tests = sorted({t for m in ready for t in m.tests})
        failing = baseline_failures(copy, tests, jobs)
        print(f"baseline: {len(tests)} tests on the unmutated copy, {len(failing)} failing "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
        for m in ready:
            bad = [f for f in failing if any(covers(t, f) or covers(f, t) for t in m.tests)]
            if bad:
                out.append((m, "baseline", 0.0, f"fails without the mutation: {', '.join(bad)}"))
        ready = [m for m in ready if m not in {r[0] for r in out}]
    return ready, out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", action="append", help="run only these mutations (names, separated by commas)")
    p.add_argument("--jobs", type=int, default=2, choices=(1, 2), help="mutations run at once (default 2)")
    p.add_argument("--list", action="store_true", help="list the mutations and whether each snippet is current")
    p.add_argument("--verbose", "-v", action="store_true", help="show which test killed each mutation, and how")
    p.add_argument("--each", action="store_true",
                   help="run each named test on its own: every one must kill its mutation (else 'weak')")
    p.add_argument("--no-baseline", action="store_true", help="skip running the tests on the unmutated copy first")
    args = p.parse_args(argv)
    names = [n.strip() for item in args.only or [] for n in item.split(",") if n.strip()] or None
    chosen = select(names)
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS), "mutation names must be unique"

    if args.list:
        for m in chosen:
            n = occurrences(m)
            print(f"{m.name:<40} {'ok' if n == 1 else f'STALE ({n} occurrences)':<24} {m.file}: {m.rule}")
        return 0

    with tempfile.TemporaryDirectory(prefix="gongshi-mutation-") as tmp:
        copies = [make_copy(Path(tmp), f"repo{i}") for i in range(args.jobs)]
        runnable, results = triage(chosen, copies[0], args.jobs, not args.no_baseline)
        print(f"{len(chosen)} mutations: {len(runnable)} to run, {len(results)} not runnable; "
              f"copies of {ROOT}", flush=True)
        free, lock = list(copies), threading.Lock()

        def job(m: Mutation) -> Result:
            with lock:
                copy = free.pop()
            try:
                status, seconds, detail = run_one(m, copy, args.each)
            finally:
                with lock:
                    free.append(copy)
            print(f"  {status:<8} {seconds:5.1f} s  {m.name}", flush=True)
            return m, status, seconds, detail

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results += list(pool.map(job, runnable))

    order = [m.name for m in MUTATIONS]
    rows = sorted(results, key=lambda r: order.index(r[0].name))
    print()
    print(table(rows, args.verbose))
    killed = sum(1 for _, status, *_ in rows if status == "killed")
    survived = [m.name for m, status, *_ in rows if status == "SURVIVED"]
    other = [f"{m.name} ({status})" for m, status, *_ in rows if status not in ("killed", "SURVIVED")]
    rate = killed / len(rows) if rows else 1.0
    print(f"\nkill rate: {killed}/{len(rows)} = {rate:.1%} (target {TARGET:.0%}); "
          f"survived: {', '.join(survived) or 'none'}; others: {', '.join(other) or 'none'}")
    return 0 if killed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
