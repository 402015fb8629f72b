#!/usr/bin/env python3
"""The field index at scale: prints the figures (not a timed test), and makes
a site to measure the search page on (``benchmarks/search_client.py``).

A full build of 1 000 000 decisions takes about half an hour and 13 GiB; the
name, 文书号 and code queries need only the search page and the field index.
So for N synthetic decision rows (``benchmarks/synth.py``, as ``run.py``
makes them) this prepares the public records with the real pipeline
(``gongshi.pipeline.prepare``, in a process of its own, which keeps only
the records the index reads), then times ``fieldindex.index_files`` and
writes a site holding just ``search/index.html`` (the real template), the
theme's CSS and JS and ``search/fields/``. Full-text (Pagefind) queries need
a real build.

It prints the time and peak memory of making the index, its files and bytes,
and, for the next day's change (``run.py``'s night: 1 % new decisions, 0.1 %
corrected, 10 taken down), how many of its files change.

    python benchmarks/search_fields.py --n 1000000 [--work /tmp/gongshi-search-fields] [--night]
    python benchmarks/search_client.py /tmp/gongshi-search-fields/n1000000/site --slow --kinds name part docno code madeup
"""
from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench  # noqa: E402  (benchmarks/run.py: generate, nightly_change)
from pelican.plugins.gongshi import fieldindex  # noqa: E402

_KEEP = {"decisions": ("key", "url", "docno", "target_name", "target_type", "target_code", "agency_code",
                       "agency_name", "decision_date", "category", "year"),
         "entities": ("code", "name", "type", "url"),
         "staff": ("name", "cert_no", "entity_code", "entity_name", "entity_url", "category", "valid_until",
                   "status", "status_class"),
         "notices": ("key", "url", "docno", "category", "agency_name", "agency_url", "taken_down", "reason", "note")}


class Records:
    """The public records the field index reads (as ``gongshi.pipeline.Site`` holds them)."""

    def __init__(self, lists: dict[str, list[dict]]):
        self.decisions, self.entities = lists["decisions"], lists["entities"]
        self.staff, self.notices = lists["staff"], lists["notices"]


def prepare_records(data: Path, today, out: Path) -> None:
    """Run in a process of its own: prepare the site, keep what the index reads."""
    from pelican.plugins.gongshi.pipeline import prepare

    site = prepare(data, today)
    lists = {name: [{k: r[k] for k in keys} for r in getattr(site, name)] for name, keys in _KEEP.items()}
    out.write_bytes(pickle.dumps(lists, protocol=5))


def records(data: Path, today, work: Path, tag: str) -> Records:
    path = work / f"records-{tag}.pickle"
    if not path.exists():
        code = ("import sys, datetime; sys.path.insert(0, %r); sys.path.insert(0, %r); import search_fields;"
                "search_fields.prepare_records(__import__('pathlib').Path(%r), datetime.date.fromisoformat(%r),"
                " __import__('pathlib').Path(%r))") % (str(ROOT), str(ROOT / "benchmarks"), str(data),
                                                        today.isoformat(), str(path))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        print(f"  prepared the public records in {time.perf_counter() - t0:.0f} s", flush=True)
    return Records(pickle.loads(path.read_bytes()))


def make_index(site: Records) -> tuple[dict[str, str], float, dict[str, tuple[int, int]]]:
    """(path → digest of its bytes, seconds, kind → (files, bytes)), the files written to nowhere."""
    t0 = time.perf_counter()
    digests, sizes = {}, Counter()
    counts = Counter()
    for rel, data in fieldindex.index_files(fieldindex.sources(site), *fieldindex.layout(site)):
        kind = rel.split("/")[2]
        digests[rel] = hashlib.blake2b(data, digest_size=16).hexdigest()
        counts[kind] += 1
        sizes[kind] += len(data)
    return digests, time.perf_counter() - t0, {k: (counts[k], sizes[k]) for k in counts}


def write_site(site: Records, out: Path) -> None:
    """search/index.html from the theme's template, the theme's static files,
    and the field index."""
    from jinja2 import Environment, FileSystemLoader

    from pelican.plugins.gongshi.schema import CATEGORIES

    shutil.rmtree(out, ignore_errors=True)
    (out / "search").mkdir(parents=True)
    shutil.copytree(ROOT / "theme" / "static", out / "theme")
    env = Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates")), autoescape=True)
    present = {d["category"] for d in site.decisions}
    facets = {"categories": [{"name": c} for c in CATEGORIES if c in present],
              "agencies": [{"name": n} for n in sorted({d["agency_name"] for d in site.decisions})],
              "years": [{"name": f"{y}年"} for y in sorted({d["year"] for d in site.decisions}, reverse=True)]}
    html = env.get_template("search.html").render(
        SITEURL="..", SITENAME="示例市行政执法公示平台（基准测试）", SITE_FAVICON="theme/images/favicon.svg",
        page_title="搜索", facets=facets, field_index=fieldindex.page_context(site), breadcrumbs=[("搜索", None)],
        nav_active="search", example_docno=site.decisions[0]["docno"] if site.decisions else "")
    (out / "search" / "index.html").write_text(html, encoding="utf-8")
    for rel, data in fieldindex.index_files(fieldindex.sources(site), *fieldindex.layout(site)):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[1_000_000])
    p.add_argument("--work", type=Path, default=Path("/tmp/gongshi-search-fields"))
    p.add_argument("--agencies", type=int, default=120)
    p.add_argument("--night", action="store_true", help="also the next day's change: files of the index changed")
    args = p.parse_args(argv)
    for n in args.n:
        work = args.work / f"n{n}"
        work.mkdir(parents=True, exist_ok=True)
        data = bench.generate(n, args.agencies, work)
        print(f"N = {n} decision rows (load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)", flush=True)
        site = records(data, bench.TODAY, work, "day1")
        digests, seconds, kinds = make_index(site)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        total = sum(size for _, size in kinds.values())
        print(f"  {len(site.decisions)} live decisions; index made in {seconds:.1f} s (this process's peak RSS "
              f"{peak:.0f} MiB): {len(digests)} files, {total / 1e6:.1f} MB — "
              + ", ".join(f"{k}/ {c} files {s / 1e6:.1f} MB" for k, (c, s) in sorted(kinds.items())), flush=True)
        write_site(site, work / "site")
        print(f"  site for search_client.py: {work / 'site'}", flush=True)
        if args.night:
            day = bench.TODAY + timedelta(days=1)
            change = bench.nightly_change(data, n, day)
            night = records(data, day, work, "day2")
            after, seconds, _ = make_index(night)
            changed = {rel for rel in digests.keys() | after.keys() if digests.get(rel) != after.get(rel)}
            by = Counter(rel.split("/")[2] for rel in changed)
            print(f"  night (+{change['new']}/~{change['corrected']}/-{change['takedowns']}): index made in "
                  f"{seconds:.1f} s; {len(changed)} of {len(after)} files changed — "
                  + ", ".join(f"{k}/ {c}" for k, c in sorted(by.items())), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
