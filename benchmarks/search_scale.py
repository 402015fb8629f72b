#!/usr/bin/env python3
"""Search indexing at scale: prints the figures (not a timed unit test).

For each N (default 10 000 30 000 100 000 decision rows) it generates
synthetic data (``benchmarks/synth.py``) and measures:

* **unsharded** (the design before the shards, ``--skip-baseline`` to leave it
  out): one Pagefind run over the whole built slot, as ``index_slot`` used to
  do — wall time and peak RSS (wait4);
* **full build** (``publish.py`` into a fresh output): the indexing step's wall
  time (from the first Pagefind process start to the last one's end, sampled
  from /proc every 20 ms), the number of shards indexed, the peak RSS of one
  Pagefind process and of all Pagefind processes running at once, and the
  whole build's wall time and peak memory (sum of PSS over the process tree);
* a second build of the same data (fills the other slot): shards re-indexed
  (expected 0: every shard is copied from the live slot);
* **a night** (``run.py``'s nightly change: 1 % new decisions, 0.1 %
  corrected, 10 takedowns) and **a night without change**, each the next day:
  the same figures.

    python benchmarks/search_scale.py [--n 10000 30000 100000] [--work /tmp/gongshi-search-bench]
                                      [--skip-baseline] [--keep]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run as bench  # noqa: E402  (benchmarks/run.py: generate, nightly_change, settings, measuring)
from pelican.plugins.gongshi import search  # noqa: E402

BINARY = search.pagefind_binary().name


def _pagefind_rss(root: int) -> dict[int, int]:
    """pid → RSS (KiB) of every Pagefind process below root (the machine may
    run other builds)."""
    kids, todo, out = bench._children_map(), list(bench._children_map().get(root, [])), {}
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                comm = f.read().split(b"(", 1)[1].split(b")", 1)[0].decode()
            if not BINARY.startswith(comm):  # comm is cut at 15 characters
                continue
            with open(f"/proc/{pid}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmRSS:"):
                        out[pid] = int(line.split()[1])
        except (OSError, IndexError):
            continue
    return out


def build(data: Path, out: Path, conf: Path, today, log: Path) -> dict:
    """One publish.py run; the Pagefind processes below it are watched from /proc."""
    seen: set[int] = set()
    first = last = None
    peak_one = peak_all = 0

    def watch(pid: int, now: float) -> None:
        nonlocal first, last, peak_one, peak_all
        rss = _pagefind_rss(pid)
        if rss:
            first = first or now
            last = now
            seen.update(rss)
            peak_one = max(peak_one, max(rss.values()))
            peak_all = max(peak_all, sum(rss.values()))

    m = bench.measure([sys.executable, "publish.py", "--data", str(data), "--output", str(out),
                       "--today", today.isoformat(), "--settings", str(conf)], log=log, watch=watch, interval=0.02)
    return {"wall": m["wall"], "peak_pss_mib": m["peak_pss_mib"], "shards": len(seen),
            "index_wall": (last - first) if first else 0.0,
            "pagefind_one_mib": peak_one / 1024, "pagefind_all_mib": peak_all / 1024}


def unsharded(slot: Path, work: Path) -> dict:
    out = work / "pagefind-unsharded"
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(search.pagefind_binary()), "--site", str(slot), "--output-path", str(out),
                             "--force-language", search.LANGUAGE, "--silent"])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    pages = len(list((out / "fragment").iterdir())) if (out / "fragment").is_dir() else 0
    shutil.rmtree(out, ignore_errors=True)
    return {"wall": wall, "rss_mib": usage.ru_maxrss / 1024, "pages": pages,
            "ok": os.waitstatus_to_exitcode(status) == 0}


def line(label: str, r: dict) -> str:
    return (f"  {label:<22} indexing {r['index_wall']:6.1f} s, {r['shards']:3d} shards indexed, "
            f"Pagefind peak {r['pagefind_one_mib']:6.0f} MiB one / {r['pagefind_all_mib']:6.0f} MiB together; "
            f"build {r['wall']:6.1f} s, tree peak {r['peak_pss_mib']:6.0f} MiB PSS")


def bench_n(n: int, args) -> None:
    work = args.work / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = bench.generate(n, args.agencies, work)
    conf = bench.settings_file(work, "s")
    out = bench.fresh(work, "s")
    today = bench.TODAY
    print(f"N = {n} decision rows (load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)", flush=True)
    full = build(data, out, conf, today, work / "full.log")
    listing = (Path(os.path.realpath(out)) / search.SHARDS_FILE).read_text(encoding="utf-8")
    import json
    shards = json.loads(listing)["shards"]
    pages = sum(s["pages"] for s in shards)
    sizes = sorted(s["pages"] for s in shards)
    print(f"  {pages} record pages in {len(shards)} shards (largest {sizes[-1]}, median {sizes[len(sizes) // 2]})")
    print(line("full build", full), flush=True)
    if not args.skip_baseline:
        base = unsharded(Path(os.path.realpath(out)), work)
        print(f"  {'unsharded (before)':<22} indexing {base['wall']:6.1f} s, 1 Pagefind run over the slot, "
              f"peak RSS {base['rss_mib']:6.0f} MiB, {base['pages']} pages{'' if base['ok'] else ' (FAILED)'}",
              flush=True)
    again = build(data, out, conf, today, work / "again.log")
    print(line("same data again", again), flush=True)
    day = today + timedelta(days=1)
    change = bench.nightly_change(data, n, day)
    night = build(data, out, conf, day, work / "night.log")
    print(line(f"night (+{change['new']}/~{change['corrected']}/-{change['takedowns']})", night), flush=True)
    quiet = build(data, out, conf, day + timedelta(days=1), work / "quiet.log")
    print(line("night without change", quiet), flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    p.add_argument("--work", type=Path, default=Path("/tmp/gongshi-search-bench"))
    p.add_argument("--agencies", type=int, default=120)
    p.add_argument("--skip-baseline", action="store_true", help="leave out the single unsharded Pagefind run")
    p.add_argument("--keep", action="store_true", help="keep the generated data and outputs")
    args = p.parse_args(argv)
    print(f"Pagefind {search.PAGEFIND_VERSION} extended; shards of at most {search.SHARD_PAGES} pages, "
          f"{search.index_workers()} at a time")
    for n in args.n:
        bench_n(n, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
