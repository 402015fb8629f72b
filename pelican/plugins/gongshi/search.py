"""Site search: the Pagefind index of the record pages.

``index_slot(slot, stager, site)`` runs the pinned Pagefind *extended* binary
(Chinese segmentation) over the staged slot's record pages after stale pages
are pruned, so the index holds exactly the live decisions and entities: no
withdrawal notice, nothing taken down. The index is split into shards by
decision date (see "the sharded index" below) so Pagefind's memory stays
bounded and a nightly build re-indexes only the shards whose pages changed;
pages added or corrected in a shard otherwise little changed go to a small
delta shard instead, and pages that left it are purged from it (see "the delta
shard" below). The bundle files themselves are read and rewritten in
``gongshi.bundle``; the search page's field index (names, 文书号, codes) is
``gongshi.fieldindex``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import signal
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .bundle import SearchIndexError, canonical_bundle, page_ids, purge
from .manifest import digest, manifest_path
from .output import replace


BUNDLE = "pagefind"  # folder of the Pagefind bundle under the site root
LANGUAGE = "zh-cn"
PAGEFIND_VERSION = "1.5.2"  # must equal the pin in requirements.txt


# --- Pagefind ---------------------------------------------------------------

def pagefind_binary() -> Path:
    """The extended binary (with Chinese segmentation) shipped by
    ``pagefind[extended]``; the standard one would index Chinese unsegmented."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:  # pragma: no cover - requirements.txt installs it
        raise SearchIndexError("缺少 Pagefind 扩展版：请运行 pip install -r requirements.txt"
                               f"（需要 pagefind[extended]=={PAGEFIND_VERSION}）") from None
    return Path(get_executable())


def run_pagefind(site_dir: Path, out: Path) -> None:
    cmd = [str(pagefind_binary()), "--site", str(site_dir), "--output-path", str(out),
           "--force-language", LANGUAGE, "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：{(proc.stderr or proc.stdout).strip()}")
    version = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))["version"]
    if version != PAGEFIND_VERSION:
        raise SearchIndexError(f"Pagefind 版本为 {version}，本工具固定使用 {PAGEFIND_VERSION}；"
                               "请按 requirements.txt 重新安装")


# --- the sharded index ----------------------------------------------------------
#
# Pagefind holds a whole index in memory while it builds it (about 110 KB per
# record page: 8 GiB at 80 000 pages) and has no incremental mode. So the record
# pages are split into shards of at most SHARD_PAGES pages by decision date —
# a year; a year too big for one shard goes by quarter, a quarter too big by
# month, then by half a month, by ten days (上/中/下旬), by day — each indexed on its own into
# ``pagefind/<shard>/``. Entity pages form the shard ``other``. Shards cover
# contiguous date ranges, so search.js can list results by date across shards
# by taking the shards in date order. A shard's key is a digest of its pages'
# bytes (from the stager's manifest entries, no file is read): a shard whose key
# equals the one the live slot holds is copied from it (or kept), never
# re-indexed, and its files keep their bytes and mtimes.

SHARD_PAGES = 2000
SHARDS_FILE = f"{BUNDLE}/shards.json"
OTHER = "other"
_SCHEME = "gongshi-shard 3"  # change to re-index every shard (3: small word-index chunks, half months)
# The levels a shard too big is split by; each id part sorts in date order.
_LEVELS = (
    lambda date: f"q{(int(date[5:7] or 1) - 1) // 3 + 1}",  # quarter
    lambda date: date[5:7],  # month
    lambda date: "ab"[int(date[8:10] or 1) > 15],  # half a month
    lambda date: "abc"[min(2, (int(date[8:10] or 1) - 1) // 10)],  # ten days (上/中/下旬)
    lambda date: date[8:10],  # day
)


def _rel(url: str) -> str:
    return str(url).lstrip("/")


def shard_plan(site, limit: int = SHARD_PAGES) -> dict[str, list[str]]:
    """Shard id → the slot paths of its record pages (sorted). Depends on the
    site's data only: the same site always gives the same plan."""
    by_year: dict[str, list[tuple[str, str]]] = {}
    for d in site.decisions:
        date = str(d["decision_date"])
        by_year.setdefault(date[:4], []).append((date, _rel(d["url"])))
    plan: dict[str, list[str]] = {}

    def split(prefix: str, pages: list[tuple[str, str]], level: int) -> None:
        if len(pages) <= limit or level == len(_LEVELS):
            plan[prefix] = sorted(rel for _, rel in pages)
            return
        groups: dict[str, list[tuple[str, str]]] = {}
        for date, rel in pages:
            groups.setdefault(f"{prefix}-{_LEVELS[level](date)}", []).append((date, rel))
        for sub, group in groups.items():
            split(sub, group, level + 1)

    for year, pages in by_year.items():
        split(year, pages, 0)
    others = sorted(_rel(e["url"]) for e in site.entities)
    if others:
        plan[OTHER] = others
    return plan


def shard_order(ids) -> list[str]:
    """Newest date range first, ``other`` last (search.js relies on it)."""
    return sorted((i for i in ids if i != OTHER), reverse=True) + ([OTHER] if OTHER in ids else [])


def shard_key(pages: list[str], stager) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_SCHEME}\n{PAGEFIND_VERSION}\n{LANGUAGE}\n".encode())
    for rel in pages:
        h.update(f"{rel}\t{stager.entries[rel].digest}\n".encode())
    return h.hexdigest()


def _live_bundles(stager) -> dict[str, list[str]]:
    """The live slot's bundle files by shard id (one pass over its manifest)."""
    out: dict[str, list[str]] = {}
    for rel in stager.live_manifest or ():
        parts = rel.split("/", 2)
        if len(parts) == 3 and parts[0] == BUNDLE:
            out.setdefault(parts[1], []).append(rel)
    return out


def _live_built_from(shard: str, key: str, stager, live_files: list[str]) -> bool:
    """Whether the live slot holds the shard's bundle, every file made from ``key``."""
    live = stager.live_manifest
    return (live is not None and f"{BUNDLE}/{shard}/pagefind-entry.json" in live_files
            and all(live[rel].key == key for rel in live_files))


def _reuse_shard(shard: str, key: str, stager, live_files: list[str], rekey: str = "",
                 skip: frozenset = frozenset()) -> bool:
    """Bring the shard's bundle from the live slot (same key: same pages),
    without the files in ``skip``, recorded under ``rekey`` if given."""
    return (_live_built_from(shard, key, stager, live_files)
            and stager.reuse_all([rel for rel in sorted(live_files) if rel not in skip], key, rekey))


def _purged(shard: str, key: str, ids: list[str], stager, live_files: list[str]):
    """The live shard (built from ``key``) with the pages ``ids`` purged
    (``bundle.purge``): (its changed files, the files they replace), or None
    when the live copy cannot be used (re-index it). Reads only: it runs while
    Pagefind indexes other shards, and the caller commits it (``_keep_shard``)."""
    if not _live_built_from(shard, key, stager, live_files):
        return None
    root = f"{BUNDLE}/{shard}/"

    def read(rel: str) -> bytes:
        data = stager.live_bytes(root + rel)
        if data is None:
            raise FileNotFoundError(root + rel)  # missing, or changed by hand
        return data

    try:
        return purge(read, set(ids))
    except (OSError, ValueError, LookupError, TypeError, SearchIndexError):  # not as Pagefind 1.5 writes it
        return None


def _keep_shard(shard: str, key: str, ids: list[str], stale: list[str], stager, live_files: list[str],
                purged) -> str:
    """Keep a shard from the live slot with the pages ``ids`` purged from it
    (``purged``: what ``_purged`` made of it) and the fragments of the
    ``stale`` ones left out. Returns the key its files now carry ("" when the
    live copy cannot be used: re-index it)."""
    root = f"{BUNDLE}/{shard}/"
    fragments = frozenset(f"{root}fragment/{i}.pf_fragment" for i in stale)
    if not ids:
        return key if _reuse_shard(shard, key, stager, live_files, skip=fragments) else ""
    if purged is None:
        return ""
    files, replaced = purged
    new = digest(f"{key} purged {' '.join(sorted(ids))}".encode("utf-8"))
    if not _reuse_shard(shard, key, stager, live_files, new, fragments | {root + rel for rel in replaced}):
        return ""
    for rel, data in sorted(files.items()):
        stager.emit(root + rel, data, new)
    return new


def _stage_pages(slot: Path, work: Path, pages: list[str]) -> None:
    """A folder holding only this shard's pages (hard links, or copies)."""
    for rel in pages:
        src, dst = slot / rel, work / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)


def _index_shard(slot: Path, tmp: Path, shard: str, pages: list[str]) -> dict[str, bytes]:
    work, out = tmp / f"{shard}.site", tmp / f"{shard}.out"
    try:
        _stage_pages(slot, work, pages)
        run_pagefind(work, out)
        return canonical_bundle(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


@contextmanager
def _signals_held():
    """SIGINT and SIGTERM wait (in the main thread) until the block ends, then
    their handlers run (``failures.Interrupted``)."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP)
    try:
        yield
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP)


_STOP = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _scratch(parent: Path):
    """Pagefind's scratch folder, removed however the build stops. Signals
    wait while it is made and while it is removed: a signal between making it
    and entering the ``try``, or in the middle of removing it, would leave it
    behind (the build exits with os._exit, so no finaliser runs)."""
    tmp = None
    try:
        with _signals_held():  # (a waiting signal's handler runs at its end, inside the try)
            tmp = tempfile.mkdtemp(prefix=".gongshi-pagefind-", dir=parent)
        yield tmp
    finally:
        if tmp is not None:
            with _signals_held():
                shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _pool(workers: int):
    """A thread pool whose queued Pagefind runs are dropped when the build
    stops (an error, SIGTERM, SIGINT); the runs already started are waited
    for, signals held meanwhile (a second Ctrl-C too), so that none writes
    into the scratch folder as it is removed. Each thread notes itself as it
    starts: a signal may stop ``submit`` inside ``Thread.start``, before the
    pool has noted the thread, and ``shutdown`` would not wait for that one."""
    threads: list[threading.Thread] = []
    pool = ThreadPoolExecutor(workers, initializer=lambda: threads.append(threading.current_thread()))
    try:
        yield pool
    except BaseException:
        with _signals_held():
            pool.shutdown(cancel_futures=True)
            for thread in list(threads):  # one that notes itself later finds the queue empty
                thread.join()
        raise
    pool.shutdown()


def index_workers() -> int:
    """Pagefind processes at a time: each holds one shard (≤ ~300 MB)."""
    return max(1, min(2, os.cpu_count() or 1))


# --- the delta shard -----------------------------------------------------------
#
# A night's change (new decisions, a few corrections, takedowns) touches most
# date shards, and re-indexing them all would cost most of a nightly build.
# So, LSM-style, a shard that since it was indexed has gained, changed or lost
# at most STALE_SHARE of its pages is kept from the live slot:
#
# * its new and changed pages are indexed, with the other kept shards', into
#   one small shard ``delta``, re-indexed nightly;
# * the ids it no longer stands for (older versions of changed pages, pages
#   that left it) are listed in shards.json "stale": search.js drops results
#   with them before counting, and their fragment files (the page text) are
#   not copied. So a search finds a corrected decision by its new text only;
# * a page that *left* it (a takedown, an expiry, a date corrected into another
#   shard) is also *purged* from it (``bundle.purge``, about 0.3 s for a shard
#   of 1 000 pages against 1–2 s for Pagefind): its postings leave the word
#   index, its number the filters and sort orders, so a taken-down decision
#   leaves no word in any index ("Takedown is total"). That night the older
#   versions of the shard's changed pages are purged with it; otherwise their
#   words stay until the shard is purged or re-indexed, never shown.
#
# Purged pages keep their place (an opaque id and a word count) in the shard's
# page list until it is re-indexed. A kept shard is re-indexed when its fresh,
# lost and purged pages together pass STALE_SHARE of it, when the delta would
# pass DELTA_PAGES (largest contribution first), when a superseded page has no
# known id, and when one of its stale ids equals a live page's id (Pagefind's
# ids are short content hashes; the same id in two shards would hide a page).
#
# What each shard was indexed from (page → digest and Pagefind id, and the ids
# purged since) is kept beside the slot's manifest in ``<slot>.search.json``
# (never published) and read from the live slot: the bundle and the file
# describing it go live together, and a kept shard is reused only when its
# files carry the key recorded there.

DELTA = "delta"
STALE_SHARE = 0.10
DELTA_PAGES = 2000
_STATE_HEADER = "gongshi-search-state 1"


def state_path(slot: Path) -> Path:
    """``<slot>.search.json``, beside the slot's manifest."""
    return manifest_path(Path(slot)).with_suffix(".search.json")


def load_state(slot: Path | None) -> dict[str, dict]:
    """Shard id → {"key", "pages": {slot path: [digest, page id]}, "dead":
    [purged page ids]}, as the slot's bundle stands; empty when unknown."""
    if slot is None:
        return {}
    try:
        state = json.loads(state_path(slot).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state.get("shards", {}) if state.get("format") == _state_format() else {}


def _state_format() -> str:
    """The state of shards indexed under another scheme or Pagefind version
    does not hold for tonight's: without it every shard is indexed again."""
    return f"{_STATE_HEADER}; {_SCHEME}; pagefind {PAGEFIND_VERSION}"


def save_state(slot: Path, shards: dict[str, dict]) -> None:
    replace(state_path(slot), json.dumps({"format": _state_format(), "shards": shards}, ensure_ascii=False,
                                         sort_keys=True, separators=(",", ":")).encode("utf-8"))


def _slot_files(slot: Path, shard: str) -> dict[str, bytes]:
    root = slot / BUNDLE / shard
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.glob("fragment/*")}


class Layout:
    """Which shards are indexed whole (``build``), which are kept from the
    live slot (``keep``: shard → its new and changed pages, which go to the
    delta), the page ids purged from kept shards tonight (``purge``) and all
    the ids kept shards list but no longer stand for (``stale``: purged
    tonight or before)."""

    def __init__(self, build: list[str], keep: dict[str, list[str]], purge: dict[str, list[str]],
                 stale: dict[str, list[str]]):
        self.build, self.keep, self.purge, self.stale = build, keep, purge, stale

    @property
    def delta(self) -> list[str]:
        return sorted(rel for pages in self.keep.values() for rel in pages)

    def rebuild(self, shards) -> None:
        for shard in sorted(shards):
            del self.keep[shard], self.purge[shard], self.stale[shard]
            self.build.append(shard)


def plan_index(plan: dict[str, list[str]], digests: dict[str, str], built: dict[str, dict],
               share: float = STALE_SHARE, cap: int = DELTA_PAGES) -> Layout:
    """Pure: the layout for tonight's plan (shard → pages), page digests and
    what the live shards stand for (``load_state``)."""
    build, keep, purged, stale = [], {}, {}, {}
    for shard, pages in plan.items():
        old = (built.get(shard) or {}).get("pages")
        if not old:
            build.append(shard)
            continue
        dead = built[shard].get("dead", [])
        now = set(pages)
        fresh = [rel for rel in pages if rel not in old or old[rel][0] != digests[rel]]
        gone = [rel for rel in old if rel not in now]
        changed = [old[rel][1] for rel in fresh if rel in old]
        out = [old[rel][1] for rel in gone] + changed if gone else []
        if len(fresh) + len(gone) + len(dead) > share * (len(old) + len(dead)) or not all(changed) or not all(out):
            build.append(shard)
            continue
        keep[shard] = fresh
        purged[shard] = sorted(out)
        stale[shard] = sorted(set(dead + changed + out))
    layout = Layout(build, keep, purged, stale)
    total = len(layout.delta)
    for shard in sorted(keep, key=lambda s: (-len(keep[s]), s)):
        if total <= cap:
            break
        total -= len(keep[shard])
        layout.rebuild([shard])
    return layout


def collisions(stale: dict[str, list[str]], live_ids: set[str]) -> set[str]:
    """Kept shards one of whose superseded ids is also a live page's id."""
    return {shard for shard, ids in stale.items() if any(i in live_ids for i in ids)}


def _page_state(pages: list[str], digests: dict[str, str], ids: dict[str, str]) -> dict[str, list]:
    return {rel: [digests[rel], ids.get(rel, "")] for rel in pages}


class _Indexer:
    """One build's indexing of a slot (``index_slot``): Pagefind runs in the
    pool's threads (as subprocesses) while this thread purges the kept shards;
    what either made is written once all is known. ``state`` is what each
    shard now stands for (``save_state``), ``ran`` the shards Pagefind ran on."""

    def __init__(self, slot: Path, tmp: Path, pool: ThreadPoolExecutor, stager, plan: dict[str, list[str]],
                 digests: dict[str, str], built: dict[str, dict], layout: Layout):
        self.slot, self.tmp, self.pool, self.stager = slot, tmp, pool, stager
        self.plan, self.digests, self.built, self.layout = plan, digests, built, layout
        self.bundles = _live_bundles(stager)
        self.state: dict[str, dict] = {}
        self.ran: set[str] = set()
        self.running: dict[str, tuple[str, list[str], object]] = {}  # shard → (key, pages, future)
        self.delta_files: dict[str, bytes] | None = None

    def run(self) -> None:
        layout, built = self.layout, self.built
        self.build_whole(layout.build)
        self.build_delta()
        purged = {shard: _purged(shard, built[shard]["key"], layout.purge[shard], self.stager,
                                 self.bundles.get(shard, []))
                  for shard in shard_order(layout.keep) if layout.purge[shard]}
        while True:
            self.finish()
            # The kept shards are written only once no superseded id collides.
            bad = collisions(layout.stale, self.live_ids()) or self.keep_shards(purged)
            if not bad:
                break
            layout.rebuild(bad)
            for shard in bad:
                self.state.pop(shard, None)
            self.build_whole(sorted(bad))
            self.build_delta()
        if self.delta_files is not None:
            for rel, data in sorted(self.delta_files.items()):
                self.stager.emit(f"{BUNDLE}/{DELTA}/{rel}", data, self.state[DELTA]["key"])

    def index(self, shard: str, key: str, pages: list[str]) -> None:
        self.running[shard] = (key, pages, self.pool.submit(_index_shard, self.slot, self.tmp, shard, pages))
        self.ran.add(shard)

    def build_whole(self, shards: list[str]) -> None:
        for shard in shard_order(shards):
            pages = self.plan[shard]
            key = shard_key(pages, self.stager)
            if _reuse_shard(shard, key, self.stager, self.bundles.get(shard, [])):  # built before (no state kept)
                ids = page_ids(_slot_files(self.slot, shard))
                self.state[shard] = {"key": key, "pages": _page_state(pages, self.digests, ids)}
            else:
                self.index(shard, key, pages)

    def build_delta(self) -> None:
        pages = self.layout.delta
        key = shard_key(pages, self.stager) if pages else ""
        if pages and self.state.get(DELTA, {}).get("key") != key:
            old = self.built.get(DELTA, {})
            if old.get("key") == key and _reuse_shard(DELTA, key, self.stager, self.bundles.get(DELTA, [])):
                self.delta_files, self.state[DELTA] = None, old
            else:
                self.index(DELTA, key, pages)
        elif not pages:
            self.delta_files = None
            self.state.pop(DELTA, None)

    def finish(self) -> None:
        """Write each indexed shard (in the order they were started), keep the delta's files."""
        for shard in list(self.running):
            key, pages, future = self.running.pop(shard)
            files = future.result()
            self.state[shard] = {"key": key, "pages": _page_state(pages, self.digests, page_ids(files))}
            if shard == DELTA:
                self.delta_files = files
                continue
            for rel, data in sorted(files.items()):
                self.stager.emit(f"{BUNDLE}/{shard}/{rel}", data, key)

    def live_ids(self) -> set[str]:
        """The page ids the indexed shards and the kept shards stand for."""
        ids = {v[1] for s in self.state.values() for v in s["pages"].values()}
        for shard in self.layout.keep:
            stale = set(self.layout.stale[shard])
            ids.update(v[1] for v in self.built[shard]["pages"].values() if v[1] not in stale)
        return ids

    def keep_shards(self, purged: dict) -> set[str]:
        """Keep the kept shards from the live slot (``_keep_shard``); returns
        those whose live copy cannot be used (re-index them)."""
        bad = set()
        for shard in shard_order(self.layout.keep):
            old = self.built[shard]
            key = _keep_shard(shard, old["key"], self.layout.purge[shard], self.layout.stale[shard], self.stager,
                              self.bundles.get(shard, []), purged.get(shard))
            if not key:
                bad.add(shard)
                continue
            gone = set(self.layout.purge[shard])
            self.state[shard] = {"key": key, "dead": sorted(gone.union(old.get("dead", []))),
                                 "pages": {rel: v for rel, v in old["pages"].items() if v[1] not in gone}}
        return bad


def index_slot(slot: Path, stager, site) -> dict[str, bool]:
    """Index the staged slot's record pages (stale pages already pruned) shard
    by shard, writing the bundles into ``slot/pagefind/<shard>/`` and the shard
    list ``pagefind/shards.json`` through the slot's stager, which writes only
    changed files (the caller then prunes bundle files no longer produced), and
    record what each shard was built from (``save_state``). Returns shard id →
    whether Pagefind ran on it."""
    slot = Path(slot)
    plan = {shard: [rel for rel in pages if rel in stager.entries] for shard, pages in shard_plan(site).items()}
    plan = {shard: pages for shard, pages in plan.items() if pages}
    digests = {rel: stager.entries[rel].digest for pages in plan.values() for rel in pages}
    built = load_state(stager.live) if stager.live_manifest is not None else {}
    layout = plan_index(plan, digests, built)
    with _scratch(slot.parent) as tmp, \
            _pool(index_workers()) as pool:
        indexer = _Indexer(slot, Path(tmp), pool, stager, plan, digests, built, layout)
        indexer.run()
    state = indexer.state
    save_state(slot, state)
    stager.emit(SHARDS_FILE, _listing(plan, layout, state, site))
    return {shard: shard in indexer.ran for shard in list(plan) + ([DELTA] if DELTA in state else [])}


def _listing(plan: dict[str, list[str]], layout: Layout, state: dict[str, dict], site) -> bytes:
    """shards.json, read by search.js: the shards newest first ("year" lets it
    skip other years' shards when the year filter is set), the delta's page
    ids with the shard and date each belongs under (for the sort by date), and
    the superseded ids of kept shards."""
    listing: dict = {"version": 2, "shards": [{"id": shard, "pages": len(plan[shard]),
                                               "year": "" if shard == OTHER else shard[:4]}
                                              for shard in shard_order(plan)],
                     "stale": sorted(i for ids in layout.stale.values() for i in ids)}
    if DELTA in state:
        owner = {rel: shard for shard, pages in layout.keep.items() for rel in pages}
        dates = {_rel(d["url"]): str(d["decision_date"]) for d in site.decisions}
        listing["delta"] = {"id": DELTA, "pages": {pid: [owner[rel], dates.get(rel, "")]
                                                   for rel, (_, pid) in state[DELTA]["pages"].items() if pid}}
    return json.dumps(listing, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
