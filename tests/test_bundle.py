"""Purging pages from a built Pagefind bundle, checked against a real
Pagefind run over the pages that remain."""
from __future__ import annotations

import functools
import hashlib
import json
import random
import shutil
import tempfile
from pathlib import Path

import cbor2
from hypothesis import given, settings, strategies as st

from pelican.plugins.gongshi import bundle, search

PAGES = 14
_SYLLABLES = "安全生产消防设施违法事实罚款责令整改食品药品市场监督交通运输环境保护建设工程"


def _page(n: int) -> str:
    rng = random.Random(n)
    words = [rng.choice(["罚款", "整改", "消防", "alpha", "beta", "gamma", "2025"]) for _ in range(20)]
    words += ["".join(rng.sample(_SYLLABLES, 3)) for _ in range(400)]  # many words: several index chunks
    words += [f"w{rng.randrange(4000):04d}" for _ in range(400)]
    return (f'<html lang="zh-CN"><body><main data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">决定{n}</h1>'
            f'<span data-pagefind-filter="year">{2020 + n % 4}</span>'
            f'<span data-pagefind-filter="agency">机关{n % 3}</span>'
            f'<span data-pagefind-sort="date">2025-01-{n + 1:02d}</span>'
            f'<p>{" ".join(words)} unique{n}</p></main></body></html>')


def _index(pages: list[int], where: Path, raw: bool = False):
    """The canonical bundle of a real Pagefind run over ``pages`` (with
    ``raw``, also Pagefind's own files as it wrote them)."""
    site = where / f"site-{'-'.join(map(str, pages))}"
    for n in pages:
        (site / f"d{n}").mkdir(parents=True)
        (site / f"d{n}" / "index.html").write_text(_page(n), encoding="utf-8")
    out = where / "out"
    search.run_pagefind(site, out)
    try:
        written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        files = bundle.canonical_bundle(out)
        return (files, written) if raw else files
    finally:
        shutil.rmtree(out)
        shutil.rmtree(site)


@functools.cache
def _whole() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        return _index(list(range(PAGES)), Path(tmp))


def _meta(files: dict[str, bytes]) -> list:
    (info,) = json.loads(files[bundle.ENTRY])["languages"].values()
    return bundle.decode(files[bundle._meta_rel(info)])


def _meaning(files: dict[str, bytes], live: set[str] | None = None) -> dict:
    """What a search can return, by page id: word → page → (locations, meta
    locations); filter → value → pages; sort → pages in order. ``live``:
    the page ids a search may show at all (the meta's list otherwise)."""
    meta = _meta(files)
    ids = [page_id for page_id, _ in meta[1]]
    assert live is None or live <= set(ids)
    words = {}
    for _, _, h in meta[2]:
        for item in bundle.decode(files[f"index/{h}.pf_index"])[0]:
            page, postings = 0, {}
            for posting in item[1]:
                page += posting[0]
                postings[ids[page]] = (posting[1], posting[2])
            assert postings, item[0]  # no word is left without a page
            words[item[0]] = postings
    filters = {}
    for name, h in meta[3]:
        payload = bundle.decode(files[f"filter/{h}.pf_filter"])
        filters[name] = {value: sorted(ids[n] for n in pages) for value, pages in payload[1]}
        assert all(filters[name].values())
    sorts = {name: [ids[n] for n in pages] for name, pages in meta[4]}
    return {"words": words, "filters": filters, "sorts": sorts}


@settings(max_examples=12, deadline=None)
@given(st.sets(st.integers(0, PAGES - 1), min_size=1, max_size=PAGES - 1))
def test_a_purged_bundle_finds_exactly_what_a_fresh_index_of_the_rest_finds(gone):
    whole = _whole()
    pid = {bundle.page_ids(whole)[f"d{n}/index.html"]: n for n in range(PAGES)}
    ids = {i for i, n in pid.items() if n in gone}
    files, replaced = bundle.purge(whole.__getitem__, ids)
    assert replaced and set(files) - set(whole)  # rewritten files get new names
    purged = {rel: data for rel, data in whole.items() if rel not in replaced} | files
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _index(sorted(set(range(PAGES)) - gone), Path(tmp))
    got, want = _meaning(purged), _meaning(fresh)
    assert got == want
    assert not any(i in json.dumps(got) for i in ids)  # no posting, filter or sort names a purged page
    # the untouched files keep their bytes; a second purge of the same pages changes nothing more
    again, replaced_again = bundle.purge(purged.__getitem__, ids)
    assert (again, replaced_again) == ({}, set())


def test_purging_no_page_changes_nothing():
    assert bundle.purge(_whole().__getitem__, set()) == ({}, set())
    assert bundle.purge(_whole().__getitem__, {"zh-cn_0000000"}) == ({}, set())


def test_the_word_index_comes_in_small_chunks_each_word_in_the_one_the_browser_fetches_for_it():
    with tempfile.TemporaryDirectory() as tmp:
        files, written = _index(list(range(PAGES)), Path(tmp), raw=True)
    assert _meaning(files) == _meaning(written)  # the same words, postings, filters and sorts
    chunks = _meta(files)[2]
    assert len(chunks) > 2 * len(_meta(written)[2])  # cut finer than Pagefind's own
    seen, firsts = [], []
    for number, (_, _, name) in enumerate(chunks):
        data = files[f"index/{name}.pf_index"]
        items = bundle.decode(data)[0]
        # a chunk closes at the first new first character once it has CHUNK_BYTES
        same = [item for item in items if item[0][:1] == items[-1][0][:1]]
        assert len(bundle._payload(data)) - sum(len(cbor2.dumps(item)) for item in same) < bundle.CHUNK_BYTES + 8
        firsts.append({item[0][:1] for item in items})
        for item in items:
            # the chunks fetched for the word, and for every prefix a user may type, hold it:
            # a search matches every word starting with what was typed, as with the whole index loaded
            assert all(number in _fetched(chunks, item[0][:size]) for size in range(1, len(item[0]) + 1))
            seen.append(item[0])
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert all(not a & b for a, b in zip(firsts, firsts[1:]))  # words sharing a first character share a chunk


def _fetched(chunks: list, term: str) -> set[int]:
    """The chunks the browser fetches for a query word: Pagefind 1.5's
    ``request_indexes`` (pagefind_web/src/lib.rs) — those whose [from, to]
    holds it, else those that hold it with both compared no longer than it."""
    strict = {n for n, (low, high, _) in enumerate(chunks) if low <= term <= high}
    return strict or {n for n, (low, high, _) in enumerate(chunks)
                      if term[:len(low)] >= low[:len(term)] and term[:len(high)] <= high[:len(term)]}


def test_a_rewritten_file_never_takes_the_name_of_another():
    data = b"chunk"
    digest = hashlib.sha256(data).hexdigest()
    assert bundle._store("zh-cn", "index", "pf_index", data, {}) == f"zh-cn_{digest[:7]}"
    other = {f"index/zh-cn_{digest[:7]}.pf_index": b"another chunk"}
    assert bundle._store("zh-cn", "index", "pf_index", data, other) == f"zh-cn_{digest[:8]}"
    assert other[f"index/zh-cn_{digest[:7]}.pf_index"] == b"another chunk"
    same = {f"index/zh-cn_{digest[:7]}.pf_index": data}  # the same bytes: the same file
    assert bundle._store("zh-cn", "index", "pf_index", data, same) == f"zh-cn_{digest[:7]}"
    taken = frozenset({f"index/zh-cn_{digest[:7]}.pf_index"})  # a file of the bundle, not rewritten
    assert bundle._store("zh-cn", "index", "pf_index", data, {}, taken) == f"zh-cn_{digest[:8]}"
