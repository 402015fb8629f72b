#!/usr/bin/env python3
"""How long a night takes to read one unchanged decision file from the build cache.

At 100 000 decisions a nightly build reads, for every unchanged decision export,
its validated rows (``cache.DecisionFiles``) and its public records
(``cache.PublicRecords``) from the cache instead of making them again. This
script puts one file of ``--rows`` 行政处罚 rows (made with ``synth.py``) through
both, once to fill the cache and once to read it, and prints the times and the
size of the entries.

    python benchmarks/cache_load.py [--rows 100000] [--work /tmp/cache-bench] [--repeat 3]
"""
from __future__ import annotations

import argparse
import csv
import gc
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pelican.plugins.gongshi.cache import Cache, DecisionFiles, PublicRecords  # noqa: E402
from pelican.plugins.gongshi.load import Dataset, load_entities  # noqa: E402
from pelican.plugins.gongshi.publication import public_record  # noqa: E402

TODAY = date(2026, 11, 22)


def one_file(work: Path, rows: int) -> Path:
    """data/ with entities.csv and decisions/all.csv holding ``rows`` penalty rows."""
    data = work / "data"
    target = data / "decisions" / "all.csv"
    if target.exists():
        return data
    from synth import generate

    raw = work / "raw"
    generate(str(raw), n_decisions=int(rows * 1.8), n_agencies=40, seed=1)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(raw / "entities.csv", data / "entities.csv")
    written, header = 0, None
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for path in sorted((raw / "decisions").glob("20*-行政处罚.csv")):
            with open(path, encoding="utf-8-sig", newline="") as f:
                reader = csv.reader(f)
                head = next(reader)
                if header is None:
                    header = head
                    writer.writerow(header)
                assert head == header
                for row in reader:
                    if written == rows:
                        break
                    writer.writerow(row)
                    written += 1
    if written < rows:
        raise SystemExit(f"only {written} penalty rows generated")
    return data


def run(data: Path, folder: Path) -> dict:
    ds = Dataset()
    load_entities(data, ds)
    path = data / "decisions" / "all.csv"
    figures = {}

    started = time.perf_counter()
    files = DecisionFiles(Cache(folder))
    result = files(path, data, ds.entities, TODAY)
    figures["validate (no cache)"] = time.perf_counter() - started
    assert len(result.decisions) > 0, "no decision accepted"

    records = PublicRecords(Cache(folder), files, ds.entities, public_record)
    started = time.perf_counter()
    for d in result.decisions:
        records(d, ds.entities[d.agency_code])
    records.save()
    figures["public records (no cache)"] = time.perf_counter() - started

    cache = Cache(folder)
    files = DecisionFiles(cache)
    started = time.perf_counter()
    again = files(path, data, ds.entities, TODAY)
    figures["decision file from cache"] = time.perf_counter() - started
    assert cache.hits == 1 and len(again.decisions) == len(result.decisions)

    cache = Cache(folder)
    records = PublicRecords(cache, files, ds.entities, public_record)
    started = time.perf_counter()
    for d in again.decisions:
        records(d, ds.entities[d.agency_code])
    figures["public records from cache"] = time.perf_counter() - started
    assert cache.hits == 1 and not records.dirty
    figures["decisions accepted"] = len(again.decisions)
    return figures


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--work", type=Path, default=Path("/tmp/cache-bench"))
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    data = one_file(args.work / str(args.rows), args.rows)
    best: dict = {}
    gc.disable()  # as gongshi.pipeline.prepare does while loading
    for _ in range(args.repeat):
        folder = args.work / "cache"
        shutil.rmtree(folder, ignore_errors=True)
        for name, value in run(data, folder).items():
            best[name] = min(best.get(name, value), value)
        gc.collect()
    size = sum(p.stat().st_size for p in (args.work / "cache").iterdir())
    for name, value in best.items():
        print(f"{name:28s} {value:10.3f}" if isinstance(value, float) else f"{name:28s} {value:10d}")
    print(f"{'cache entries (MB)':28s} {size / 1e6:10.1f}")


if __name__ == "__main__":
    main()
