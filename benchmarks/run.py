#!/usr/bin/env python3
"""Speed at scale: prints the figures (not a timed unit test).

For each N (default 10 000; ``--n 10000 100000``; 1 000 000 on request) it
generates synthetic data with ``benchmarks/synth.py`` and measures, in one run
on the same data and the same disk:

* our full build (``publish.py`` into a fresh output folder and ledger): wall
  time, peak memory of the process tree, output files and bytes;
* the floor (``benchmarks/floor.py``: pandas + one jinja2 template + write,
  2 processes, as many pages as our build writes) and the ratio to it;
* naive Pelican (``benchmarks/naive.py``: one Markdown file per published
  decision, plain ``pelican`` with its default theme) and the ratio to it;
* a nightly increment on the next day (after a second build has filled the
  other slot, the steady state): 1 % new decisions, 0.1 % corrected,
  10 takedowns — wall time, share of the full build, files rewritten in the
  slot that goes live (new inode) and the build's own count of writes; then a
  night without change.

Peak memory is sampled from /proc (sum of PSS over the process tree, which
counts memory shared copy-on-write between forked workers once) and also given
as the largest single process RSS (from wait4).

    python benchmarks/run.py [--n 10000 100000] [--work /tmp/gongshi-bench] [--repeat 1]
                             [--skip-naive] [--skip-floor] [--full-only] [--agencies 120]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TODAY = date(2026, 11, 22)


# ------------------------------------------------------------------ measuring a process tree

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(name))
    return kids


_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree_pss_kib(root: int, floor: int = 0) -> int:
    """The process tree's PSS, or 0 when it cannot exceed ``floor``: a
    process's PSS is at most its RSS, and RSS (``statm``) is cheap to read,
    whereas ``smaps_rollup`` walks every page table of the process (tens of
    milliseconds at several GiB, holding its memory lock), which slowed the
    build being measured."""
    kids, pids, todo = _children_map(), [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(kids.get(pid, []))
    rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                rss += int(f.read().split()[1]) * _PAGE_KIB
        except (OSError, IndexError, ValueError):
            pass
    if rss <= floor:
        return 0
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def measure(cmd: list[str], env: dict | None = None, log: Path | None = None, watch=None,
            interval: float = 0.05) -> dict:
    """Run cmd; wall time, peak tree PSS (sampled every ``interval`` s), largest
    RSS. ``watch(pid, now)``, if given, is called at every sample too."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=out)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_pss_kib(proc.pid, peak[0]))
            if watch is not None:
                watch(proc.pid, time.perf_counter())
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log:
        out.close()
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{tail}")
    return {"wall": wall, "peak_pss_mib": peak[0] / 1024, "max_rss_mib": usage.ru_maxrss / 1024}


def tree_stats(root: Path) -> dict:
    files = size = html = 0
    for dirpath, _, names in os.walk(os.path.realpath(root)):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
            html += name.endswith(".html")
    return {"files": files, "html": html, "bytes": size}


def html_bytes(root: Path) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, names in os.walk(os.path.realpath(root))
               for f in names if f.endswith(".html"))


def other_slot(out: Path) -> Path:
    live = Path(os.path.realpath(out))
    return live.with_name("a" if live.name == "b" else "b")


def inodes(root: Path) -> dict[str, int]:
    root = Path(os.path.realpath(root))
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            out[os.path.relpath(path, root)] = os.stat(path).st_ino
    return out


# ------------------------------------------------------------------ data

def generate(n: int, agencies: int, work: Path) -> Path:
    data = work / f"data-{n}"
    if not (data / "entities.csv").exists():
        subprocess.run([PY, str(ROOT / "benchmarks" / "synth.py"), "--out", str(data), "--n", str(n),
                        "--agencies", str(agencies), "--seed", "1", "--today", TODAY.isoformat(), "--quiet"],
                       check=True)
    return data


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)


def nightly_change(data: Path, n: int, day: date, seed: int = 7) -> dict:
    """Tonight's export: 1 % new decisions, 0.1 % corrected, 10 takedowns."""
    rng = random.Random(seed)
    source = data / "decisions" / f"{TODAY.year}-行政处罚.csv"
    header, rows = _read(source)
    _, taken = _read(data / "takedowns.csv")
    gone = {t["文书号"] for t in taken}
    live = [r for r in rows if r["行政处罚决定书文号"] not in gone and r["公示截止期"] >= day.isoformat()]
    n_new, n_corr, n_td = max(1, n // 100), max(1, n // 1000), 10
    picked = rng.sample(live, n_corr + n_td)
    new = []
    for i in range(n_new):
        row = dict(rng.choice(live))
        row["行政处罚决定书文号"] = re.sub(r"〕.*号$", f"〕9{i:06d}号", row["行政处罚决定书文号"])
        row["处罚决定日期"] = (day - timedelta(days=1 + i % 5)).isoformat()
        new.append(row)
    _write(data / "decisions" / f"{TODAY.year}-行政处罚-增量-{day.isoformat()}.csv", header, new)
    corrected = []
    for row in picked[:n_corr]:
        row = dict(row)
        row["处罚内容"] += "（已更正）"
        corrected.append(row)
    # A correction is the later row (in file-name order) with the same key:
    # "…（更正）" sorts after "…行政处罚.csv" ("-" would sort before it).
    _write(data / "decisions" / f"{TODAY.year}-行政处罚（更正）-{day.isoformat()}.csv", header, corrected)
    takedown_header, _ = _read(data / "takedowns.csv")
    taken += [{"文书号": r["行政处罚决定书文号"], "机关统一社会信用代码": r["处罚机关统一社会信用代码"],
               "撤下原因": "信用修复", "原因发生日期": day.isoformat(), "说明": "当事人已完成信用修复。"}
              for r in picked[n_corr:]]
    _write(data / "takedowns.csv", takedown_header, taken)
    return {"new": n_new, "corrected": n_corr, "takedowns": n_td}


# ------------------------------------------------------------------ the three contenders

def settings_file(work: Path, tag: str) -> Path:
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    text += (f"\nPATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
             # Every valid decision published (the publication rules off): the heavier
             # site, comparable with the rounds before the rules, and the night's
             # announced change is exactly what the build publishes.
             "GONGSHI_PUBLICATION_RULES = {'简易程序': False, '仅警告或通报批评': False}\n"
             f"GONGSHI_LEDGER = {str(work / f'ledger-{tag}.sqlite')!r}\n"
             f"GONGSHI_REPORT = {str(work / f'report-{tag}.json')!r}\n")
    path = work / f"conf-{tag}.py"
    path.write_text(text, encoding="utf-8")
    return path


def fresh(work: Path, tag: str) -> Path:
    out = work / f"out-{tag}"
    for p in (out, work / f".out-{tag}.slots", work / f"ledger-{tag}.sqlite"):
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.exists():
            shutil.rmtree(p)
    return out


def ours(data: Path, work: Path, tag: str, today: date) -> dict:
    conf, out = work / f"conf-{tag}.py", work / f"out-{tag}"
    m = measure([PY, str(ROOT / "publish.py"), "--data", str(data), "--output", str(out), "--today",
                 today.isoformat(), "--settings", str(conf)], log=work / f"log-{tag}.txt")
    full_report = json.loads((work / f"report-{tag}.json").read_text(encoding="utf-8"))
    m["report"], m["seconds"] = full_report["files"], full_report.get("seconds", {})
    m["published"] = {k: len(full_report[k]) for k in ("new", "corrected", "taken_down")}
    return m


def bench(n: int, args) -> dict:
    work = args.work
    data = generate(n, args.agencies, work)
    row: dict = {"n": n}
    full, floor, naive = [], [], []
    for rep in range(args.repeat):
        tag = f"{n}"
        out = fresh(work, tag)
        settings_file(work, tag)
        full.append(ours(data, work, tag, TODAY))
        row["output"] = tree_stats(out)
        if not args.skip_floor:
            target = work / f"floor-{n}"
            shutil.rmtree(target, ignore_errors=True)
            floor.append(measure([PY, str(ROOT / "benchmarks" / "floor.py"), "--data", str(data), "--out",
                                  str(target), "--pages", str(row["output"]["html"]), "--page-bytes",
                                  str(html_bytes(out) // max(1, row["output"]["html"]))], log=work / f"log-floor-{n}.txt"))
            row["floor_output"] = tree_stats(target)
        if not args.skip_naive:
            site = work / f"naive-{n}"
            shutil.rmtree(site, ignore_errors=True)
            subprocess.run([PY, str(ROOT / "benchmarks" / "naive.py"), "--decisions",
                            str(out / "open-data" / "decisions.json"), "--site", str(site)], check=True)
            naive.append(measure([PY, "-m", "pelican", str(site / "content"), "-s", str(site / "pelicanconf.py"),
                                  "-o", str(site / "output"), "-q"], log=work / f"log-naive-{n}.txt"))
            row["naive_output"] = tree_stats(site / "output")
    pick = lambda runs: {k: statistics.median(r[k] for r in runs) for k in ("wall", "peak_pss_mib", "max_rss_mib")}  # noqa: E731
    row["full"] = {**pick(full), "report": full[-1]["report"], "seconds": full[-1]["seconds"]}
    if floor:
        row["floor"] = pick(floor)
    if naive:
        row["naive"] = pick(naive)
    if args.full_only:
        return row

    # A second build of the same data fills the other slot (steady state:
    # both slots hold a complete site), then the next night, on a copy of the
    # data: small change, same ledger and output.
    row["second"] = ours(data, work, f"{n}", TODAY)
    night = TODAY + timedelta(days=1)
    tonight = work / f"data-{n}-night"
    shutil.rmtree(tonight, ignore_errors=True)
    shutil.copytree(data, tonight)
    row["change"] = nightly_change(tonight, n, night)
    out = work / f"out-{n}"
    before = inodes(other_slot(out))  # the slot tonight's build updates and makes live
    inc = ours(tonight, work, f"{n}", night)
    expected = {"new": row["change"]["new"], "corrected": row["change"]["corrected"], "taken_down": row["change"]["takedowns"]}
    if inc["published"] != expected:  # the figures would be about another change than the one announced
        raise SystemExit(f"the night's build saw {inc['published']}, the change made {expected}")
    after = inodes(out)
    row["increment"] = {**inc, "rewritten": sum(1 for rel, ino in after.items() if before.get(rel) != ino),
                        "files": len(after)}
    # And a night with no change at all. Its slot is two builds behind, so it
    # catches up with last night's changes: count those apart from files whose
    # bytes differ from the site that was live before it (should be none).
    before, previous = inodes(other_slot(out)), Path(os.path.realpath(out))
    row["unchanged"] = ours(tonight, work, f"{n}", night)
    after = inodes(out)
    rewritten = [rel for rel, ino in after.items() if before.get(rel) != ino]
    row["unchanged"]["rewritten"] = len(rewritten)
    row["unchanged"]["differs_from_live"] = sum(
        1 for rel in rewritten
        if not (previous / rel).is_file() or (previous / rel).read_bytes() != (Path(os.path.realpath(out)) / rel).read_bytes())
    return row


def phases(m: dict) -> str:
    return ", ".join(f"{name} {sec:.1f} s" for name, sec in m.get("seconds", {}).items())


def report(row: dict) -> None:
    if "increment" not in row:  # --full-only
        f, out = row["full"], row["output"]
        print(f"\n== N = {row['n']:,} decision rows (full build only) ==")
        print(f"ours, full build      {f['wall']:8.1f} s   peak {f['peak_pss_mib']:7.0f} MiB (tree PSS), "
              f"largest process {f['max_rss_mib']:.0f} MiB")
        print(f"  phases              {phases(f)}")
        print(f"  output              {out['files']:,} files ({out['html']:,} HTML), {out['bytes'] / 2**20:.0f} MiB")
        if "floor" in row:
            print(f"floor (pandas+jinja2) {row['floor']['wall']:8.1f} s   ours/floor = {f['wall'] / row['floor']['wall']:.2f}")
        return
    f, out = row["full"], row["output"]
    print(f"\n== N = {row['n']:,} decision rows ==")
    print(f"ours, full build      {f['wall']:8.1f} s   peak {f['peak_pss_mib']:7.0f} MiB (tree PSS), "
          f"largest process {f['max_rss_mib']:.0f} MiB")
    print(f"  phases              {phases(f)}")
    print(f"  output              {out['files']:,} files ({out['html']:,} HTML), {out['bytes'] / 2**20:.0f} MiB, "
          f"{out['bytes'] / max(1, out['files']) / 1024:.1f} KiB per file")
    if "floor" in row:
        fl = row["floor"]
        print(f"floor (pandas+jinja2) {fl['wall']:8.1f} s   peak {fl['peak_pss_mib']:7.0f} MiB   "
              f"{row['floor_output']['files']:,} files, {row['floor_output']['bytes'] / max(1, row['floor_output']['files']) / 1024:.1f} KiB per file"
              f"   ours/floor = {f['wall'] / fl['wall']:.2f}")
    if "naive" in row:
        nv = row["naive"]
        print(f"naive Pelican         {nv['wall']:8.1f} s   peak {nv['peak_pss_mib']:7.0f} MiB   "
              f"{row['naive_output']['files']:,} files   naive/ours = {nv['wall'] / f['wall']:.2f}")
    inc, ch = row["increment"], row["change"]
    print(f"nightly increment     {inc['wall']:8.1f} s   = {inc['wall'] / f['wall']:.1%} of the full build   "
          f"(+{ch['new']} new, {ch['corrected']} corrected, {ch['takedowns']} takedowns)")
    print(f"  files rewritten     {inc['rewritten']:,} of {inc['files']:,} in the slot that went live "
          f"(build's count: {inc['report']['written']:,} written, {inc['report']['removed']} removed); "
          f"peak {inc['peak_pss_mib']:.0f} MiB")
    print(f"  phases              {phases(inc)}")
    print(f"  (second build of the same data into the empty other slot: {row['second']['wall']:.1f} s)")
    un = row["unchanged"]
    print(f"night without change  {un['wall']:8.1f} s   files differing from last night's site "
          f"{un['differs_from_live']:,} (written to catch the other slot up with last night: {un['rewritten']:,})")
    print(f"  phases              {phases(un)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/gongshi-bench"))
    ap.add_argument("--agencies", type=int, default=120, help="agencies in the synthetic data (8–200)")
    ap.add_argument("--repeat", type=int, default=1, help="full-build repetitions (medians are printed)")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-floor", action="store_true")
    ap.add_argument("--full-only", action="store_true", help="only the full build (and floor/naive): for 1 000 000")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}, "
          f"work folder {args.work}")
    rows = []
    for n in args.n:
        rows.append(bench(n, args))
        report(rows[-1])
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
