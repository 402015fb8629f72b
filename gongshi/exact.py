"""The exact-match lookup of the search page.

``exact_files(exact_sources(site), exact_shard_count(site))`` writes a small
lookup, sharded by a hash of the normalised key, of every full target name (not
natural persons), target credit code, 文书号, entity name and code, and 执法证号.
``search.js`` consults it before the Pagefind index (``gongshi.search``), so a
citizen typing a company's full name or a 文书号 always finds it, whatever
Pagefind's Chinese segmentation does (see README: 搜索). It is made from the
public records only, and ``search.js`` implements ``normalize`` and ``fnv1a``
the same way.
"""
from __future__ import annotations

import json
import re
import unicodedata

import numpy as np

EXACT = "search/exact"  # folder of the exact-match shards

# Brackets people type for the 〔〕 of a 文书号: all compare equal.
_OPEN = "[(〔【［（〈《「"
_CLOSE = "])〕】］）〉》」"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The lookup key: NFKC (full-width → half-width), no spaces, upper case,
    one kind of bracket. search.js implements the same function."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(text or ""))).upper()
    return unicodedata.normalize("NFKC", text).translate(_BRACKETS)


_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, np.uint32(0x01000193)


def fnv1a(texts: list[str]) -> list[int]:
    """32-bit FNV-1a over each text's UTF-8 bytes (search.js computes the same
    for one key). Vectorised over texts of one byte length, a byte position at
    a time: a site of 100 000 decisions has ~300 000 keys, and a loop over
    their bytes took 0.6 s of every night that changed a record."""
    data = [text.encode("utf-8") for text in texts]
    by_length: dict[int, list[int]] = {}
    for i, b in enumerate(data):
        by_length.setdefault(len(b), []).append(i)
    out = np.empty(len(data), dtype=np.uint32)
    for length, rows in by_length.items():
        table = np.frombuffer(b"".join([data[i] for i in rows]), dtype=np.uint8).reshape(len(rows), length)
        h = np.full(len(rows), _FNV_OFFSET, dtype=np.uint32)
        for byte in table.T:  # uint32 arithmetic wraps, as FNV-1a's does
            h = (h ^ byte) * _FNV_PRIME
        out[rows] = h
    return out.tolist()


def shard_count(keys: int) -> int:
    """A power of two giving about 128 keys per shard (1 for a small site, at
    most 4096), so a lookup downloads one small file at any size."""
    n = 1
    while n < 4096 and keys > n * 128:
        n *= 2
    return n


def _decision_record(d: dict) -> dict:
    return {"kind": "decision", "url": d["url"], "docno": d["docno"], "target": d["target_name"],
            "agency": d["agency_name"], "date": d["decision_date"], "category": d["category"],
            "year": str(d["year"])}


def _entity_record(e: dict) -> dict:
    return {"kind": "entity", "url": e["url"], "name": e["name"], "type": e["type"], "agency": e["name"],
            "category": "执法主体", "code": e["code"]}


def _staff_record(s: dict) -> dict:
    return {"kind": "staff", "url": f"staff/index.html#entity-{s['entity_code']}", "name": s["name"],
            "cert_no": s["cert_no"], "status": s["status"], "status_class": s["status_class"],
            "agency": s["entity_name"], "agency_url": s["entity_url"], "valid_until": s["valid_until"],
            "category": s["category"]}


def exact_sources(site) -> list[tuple[tuple[str, ...], dict]]:
    """What the exact lookup is made from: each public record's search entry
    with the values that name it. Plain and small, to be sent to the process
    that makes the lookup."""
    out = []
    for d in site.decisions:
        # A masked name (张*) is no key.
        names = (d["docno"],) if d["target_type"] == "自然人" else (d["docno"], d["target_name"], d["target_code"])
        out.append((names, _decision_record(d)))
    out += [((e["name"], e["code"]), _entity_record(e)) for e in site.entities]
    out += [((s["cert_no"],), _staff_record(s)) for s in site.staff]
    return out


def exact_entries(sources) -> dict[str, list[str]]:
    """Normalised key → the public records it names exactly, each as its JSON
    text (compact, sorted keys: serialised once, compared as text)."""
    entries: dict[str, dict[str, None]] = {}  # an ordered set per key
    for names, record in sources:
        text = _record_text(record)
        for name in names:
            key = normalize(name)
            if len(key) >= 2:
                entries.setdefault(key, {})[text] = None
    return {key: list(records) for key, records in entries.items()}


def _record_text(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def exact_shard_count(site) -> int:
    """How many files the exact lookup is split into (the search page needs
    the number): sized by the keys ``exact_entries`` may hold, counted without
    normalising them, so it is known cheaply before the lookup is made."""
    keys = sum(1 if d["target_type"] == "自然人" else 2 + bool(d["target_code"]) for d in site.decisions)
    return shard_count(keys + 2 * len(site.entities) + len(site.staff))


def exact_files(sources, shards: int):
    """``search/exact/<shard>.json``: {"keys": {key: [record index]}, "records": [...]},
    as (path, bytes), one shard at a time; ``sources`` from ``exact_sources``,
    ``shards`` from ``exact_shard_count``."""
    entries = exact_entries(sources)
    buckets: list[dict[str, list[str]]] = [{} for _ in range(shards)]
    keys = sorted(entries)
    for key, h in zip(keys, fnv1a(keys)):
        buckets[h % shards][key] = entries[key]
    del entries
    for number, bucket in enumerate(buckets):
        records: list[str] = []
        index: dict[str, int] = {}
        keys = {}
        for key, recs in bucket.items():
            ids = []
            for rec in recs:
                if rec not in index:
                    index[rec] = len(records)
                    records.append(rec)
                ids.append(index[rec])
            keys[key] = ids
        # The records are JSON already: the object is assembled as text, in the
        # sorted key order json.dumps(sort_keys=True) would give.
        body = (f'{{"keys":{json.dumps(keys, ensure_ascii=False, sort_keys=True, separators=(",", ":"))},'
                f'"records":[{",".join(records)}],"shards":{shards}}}')
        buckets[number] = {}
        yield f"{EXACT}/{number:03x}.json", body.encode("utf-8")
