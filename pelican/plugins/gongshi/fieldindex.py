"""The field index of the search page: names, 文书号 and codes, by any part.

``index_files(sources(site), *layout(site))`` writes ``search/fields/``, made
from the public records only (``site.decisions``, ``site.entities``,
``site.staff``, ``site.notices``). It indexes what names a record: a
decision's 文书号, its target's name (never a natural person's: a masked name is
no key) and credit code, and its agency (as one key per agency, ``@<code>``);
an entity's name and code; a 执法证号; a withdrawal notice's 文书号. Full text
(facts, content) stays with Pagefind (``gongshi.search``).

The text is normalised (``normalize``) and cut into grams (``grams``) that do
not depend on any word segmenter, so any contiguous part of two or more
characters finds every record containing it:

* every two and three characters holding at most one ASCII letter or digit
  (Chinese text, and where text meets a number: "罚〔", "〕3号");
* in a run of ASCII letters and digits, every four characters ("1101" of a
  credit code), and the run with the characters either side of it ("〔2024〕",
  "〕3号", "第8区") when it sits inside the text;
* ``=`` + the hash of each whole value: the records containing that value,
  found here, so a query equal to a name, 文书号 or code is answered by one
  small list.

A record is a *card* (what the result shows, and all the browser verifies a
query against) in a block file, ``b/<block>.json``; the cards of one target
name (or of one 文书号, entity, certificate, notice) share a block, so a name's
records come in one request. A gram's posting list names records as
``block * 256 + slot`` (``slot`` from the record's key), newest decision first;
lists are kept in ``g/<shard>.json`` by the FNV-1a hash of the gram, or, when
longer than ``CAP``, in pages of their own (``l/``) cut where an entry's hash
says so, so a record added or removed changes one page. The browser (search.js,
which implements ``normalize``, ``grams`` and ``fnv1a`` the same way) fetches
the lists of a few rare grams, intersects them, loads the blocks and shows a
card only if its text contains every query term. See docs/search.md.
"""
from __future__ import annotations

import json
import re
import unicodedata

import ahocorasick
import numpy as np

FIELDS = "search/fields"  # folder of the field index
SLOT_BITS = 8  # an entry is block << SLOT_BITS | slot (a hash of the record key)
CAP = 512  # longer posting lists go to pages (``l/``)
_PAGE_MASK = 255  # a page ends after an entry whose hash has these bits clear: ~256 entries
_PAGE_MAX = 1024
_SCHEME = 1  # meta.json "version": change when the files' meaning changes

# Brackets people type for the 〔〕 of a 文书号: all compare equal.
_OPEN = "[(〔【［（〈《「"
_CLOSE = "])〕】］）〉》」"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"[0-9A-Z]+")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalize(text: str) -> str:
    """The text a query is compared with: NFKC (full-width → half-width), no
    spaces, upper case, one kind of bracket. search.js implements the same."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(text or ""))).upper()
    return unicodedata.normalize("NFKC", text).translate(_BRACKETS)


_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, np.uint32(0x01000193)


def fnv1a(texts: list[str]) -> list[int]:
    """32-bit FNV-1a over each text's UTF-8 bytes (search.js computes the same
    for one text). Vectorised over texts of one byte length, a byte position
    at a time: an index holds a few hundred thousand grams."""
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


def grams(text: str) -> set[str]:
    """The grams of normalised text (see the module docstring). Each is a
    contiguous part of the text, so any text containing a query contains
    the query's grams: the index and the query cut alike (search.js)."""
    n = len(text)
    runs = [m.span() for m in _RUN.finditer(text)]
    if not runs:  # Chinese only (most names): every two and three characters
        return {text[i:i + 2] for i in range(n - 1)} | {text[i:i + 3] for i in range(n - 2)}
    out = set()
    if runs != [(0, n)]:  # not letters and digits only (a code, a 执法证号)
        alnum = [False] * n
        for a, b in runs:
            alnum[a:b] = [True] * (b - a)
        for i in range(n - 1):
            if not (alnum[i] and alnum[i + 1]):
                out.add(text[i:i + 2])
            if i < n - 2 and alnum[i] + alnum[i + 1] + alnum[i + 2] <= 1:
                out.add(text[i:i + 3])
    for a, b in runs:
        out.update(text[i:i + 4] for i in range(a, b - 3))
        if a > 0 and b < n:
            out.add(text[a - 1:b + 1])
    return out


def equal_key(value: str) -> tuple[int, str]:
    """(hash, key) of ``=`` + a whole normalised value: the key is the hash,
    not the text (a value is long; the lists behind two values whose hashes
    collide are merged, and the browser checks every card anyway)."""
    (h,) = fnv1a(["=" + value])
    return h, "=" + _base36(h)


def layout(site) -> tuple[int, int]:
    """(blocks, shards): powers of two from the number of records, so they
    change only when the site doubles or halves (every file is then
    rewritten). About 10 cards a block; a shard about 8 KB."""
    records = len(site.decisions) + len(site.entities) + len(site.staff) + len(site.notices)
    return _power(records / 16, 1 << 20), _power(records / 24, 1 << 16)


def page_context(site) -> dict:
    """What the search page tells search.js (its form's data-fields): the
    layout, and each agency with decisions by name (a term in an agency's
    name is looked up by the agency's list, ``@<code>``)."""
    blocks, shards = layout(site)
    agencies = {d["agency_code"]: d["agency_name"] for d in site.decisions}
    return {"blocks": blocks, "shards": shards, "slot_bits": SLOT_BITS,
            "agencies": {name: code for code, name in sorted(agencies.items())}}


def _power(target: float, most: int) -> int:
    n = 1
    while n < most and n < target:
        n *= 2
    return n


# --- the records ---------------------------------------------------------------

def _decision(d: dict) -> tuple:
    natural = d["target_type"] == "自然人"
    fields = (d["docno"],) if natural else (d["docno"], d["target_name"], d["target_code"])
    card = {"kind": "decision", "url": d["url"], "docno": d["docno"], "target": d["target_name"],
            "code": d["target_code"], "agency": d["agency_name"], "date": d["decision_date"],
            "category": d["category"], "year": str(d["year"])}
    near = d["docno"] if natural else d["target_name"]
    return f"d:{normalize(near)}", f"d:{d['key']}", fields, (f"@{d['agency_code']}",), card


def _entity(e: dict) -> tuple:
    card = {"kind": "entity", "url": e["url"], "name": e["name"], "type": e["type"], "code": e["code"],
            "agency": e["name"], "category": "执法主体"}
    return f"e:{normalize(e['name'])}", f"e:{e['code']}", (e["name"], e["code"]), (), card


def _staff(s: dict) -> tuple:
    card = {"kind": "staff", "url": f"staff/index.html#entity-{s['entity_code']}", "name": s["name"],
            "cert_no": s["cert_no"], "status": s["status"], "status_class": s["status_class"],
            "agency": s["entity_name"], "agency_url": s["entity_url"], "valid_until": s["valid_until"],
            "category": s["category"]}
    return f"s:{normalize(s['cert_no'])}", f"s:{s['entity_code']}/{s['cert_no']}", (s["cert_no"],), (), card


def _notice(n: dict) -> tuple:
    # What the notice page shows (withdrawn.html), nothing more.
    card = {"kind": "notice", "url": n["url"], "docno": n["docno"], "agency": n["agency_name"],
            "agency_url": n["agency_url"], "date": n["taken_down"], "reason": n["reason"], "note": n["note"],
            "category": n["category"]}
    return f"w:{normalize(n['docno'])}", f"w:{n['key']}", (n["docno"],), (), card


def sources(site) -> list[tuple]:
    """What the index is made from, in list order (entities, officers,
    withdrawal notices, then decisions newest first): per record (block key,
    record key, field values, extra grams, card). Plain values, to be sent to
    the process that makes the index."""
    return ([_entity(e) for e in sorted(site.entities, key=lambda e: (e["name"], e["code"]))]
            + [_staff(s) for s in sorted(site.staff, key=lambda s: (s["cert_no"], s["entity_code"]))]
            + [_notice(n) for n in site.notices]  # newest withdrawal first
            + [_decision(d) for d in site.decisions])  # newest first


# --- the files -----------------------------------------------------------------

def _groups(keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal values in sorted ``keys``, and the end."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1], True])


class _Index:
    """The index as flat arrays. ``packed``: sorted (gram number << 32 |
    record number) pairs, of each gram's records one per entry (two records
    of one block may share a slot: the list names their entry once, where
    the first of them is); the distinct normalised values with their
    records (``held``: (value, record) pairs)."""

    def __init__(self, records: list[tuple], blocks: int):
        near = np.array(fnv1a([r[0] for r in records]), dtype=np.int64)
        keys = np.array(fnv1a([r[1] for r in records]), dtype=np.int64)
        self.entry = ((near % blocks) << SLOT_BITS) | (keys & ((1 << SLOT_BITS) - 1))
        gram_ids: dict[str, int] = {}
        values: dict[str, int] = {}
        flat: list[int] = []  # the grams of each value, value after value
        starts = [0]
        held_v, held_r, extra_g, extra_r = [], [], [], []
        normal: dict[str, str] = {}
        for number, record in enumerate(records):
            for raw in record[2]:
                value = normal.get(raw)
                if value is None:
                    value = normal[raw] = normalize(raw)
                if not value:
                    continue
                v = values.get(value)
                if v is None:
                    v = values[value] = len(values)
                    flat.extend([gram_ids.setdefault(g, len(gram_ids)) for g in grams(value)])
                    starts.append(len(flat))
                held_v.append(v)
                held_r.append(number)
            for g in record[3]:
                extra_g.append(gram_ids.setdefault(g, len(gram_ids)))
                extra_r.append(number)
        del normal
        self.gram_names = list(gram_ids)
        del gram_ids
        self.value_names = list(values)
        del values
        value_grams = np.array(flat, dtype=np.int32)
        del flat
        value_starts = np.array(starts, dtype=np.int64)
        self.held = (np.array(held_v, dtype=np.int64), np.array(held_r, dtype=np.int64))
        # (gram, record) for each value a record holds, times the value's grams
        lengths = np.diff(value_starts)[self.held[0]]
        at = np.repeat(value_starts[self.held[0]] - np.cumsum(lengths) + lengths, lengths)
        at += np.arange(len(at))
        packed = np.concatenate([value_grams[at], np.array(extra_g, dtype=np.int32)]).astype(np.int64)
        del at, value_grams
        packed <<= 32
        packed |= np.concatenate([np.repeat(self.held[1], lengths), np.array(extra_r, dtype=np.int64)])
        packed.sort()
        packed = packed[np.r_[True, packed[1:] != packed[:-1]]]
        self.packed = packed[self._first_of_entry(packed)]
        self.gram_bounds = np.searchsorted(self.packed, np.arange(len(self.gram_names) + 1, dtype=np.int64) << 32)

    def _first_of_entry(self, packed: np.ndarray) -> np.ndarray:
        """Which pairs to keep: of the records of one gram sharing an entry,
        the first (few records share one: only theirs are looked at)."""
        order = np.argsort(self.entry, kind="stable")
        bounds = _groups(self.entry[order])
        shared = np.zeros(len(self.entry), dtype=bool)
        shared[order[np.repeat(np.diff(bounds) > 1, np.diff(bounds))]] = True
        keep = np.ones(len(packed), dtype=bool)
        at = np.flatnonzero(shared[packed & 0xFFFFFFFF])
        ge = ((packed[at] >> 32) << 32) | self.entry[packed[at] & 0xFFFFFFFF]
        first = np.zeros(len(at), dtype=bool)
        first[np.unique(ge, return_index=True)[1]] = True
        keep[at[~first]] = False
        return keep

    def gram_entries(self, gram: int) -> list[int]:
        """A gram's entries, in list order."""
        a, b = self.gram_bounds[gram], self.gram_bounds[gram + 1]
        return self.entry[self.packed[a:b] & 0xFFFFFFFF].tolist()

    def containing(self):
        """A function: value number → the records whose fields contain that
        value (in list order). Aho–Corasick finds every value inside every
        other at once."""
        names = self.value_names
        automaton = ahocorasick.Automaton()
        for v, value in enumerate(names):
            automaton.add_word(value, v)
        automaton.make_automaton()
        inside: dict[int, set[int]] = {}  # value → the other values containing it
        for w, text in enumerate(names):
            for _, v in automaton.iter(text):
                if v != w:
                    inside.setdefault(v, set()).add(w)
        del automaton
        order = np.argsort(self.held[0], kind="stable")  # (value, record), record order kept
        hv, hr = self.held[0][order], self.held[1][order]
        bounds = _groups(hv)
        starts = np.zeros(len(names) + 1, dtype=np.int64)
        starts[hv[bounds[:-1]]] = bounds[:-1]
        starts[len(names)] = len(hv)
        ends = np.zeros(len(names), dtype=np.int64)
        ends[hv[bounds[:-1]]] = bounds[1:]
        starts, ends = starts.tolist(), ends.tolist()

        def records(v: int) -> np.ndarray:
            """Sorted, each once."""
            if v in inside:
                return np.unique(np.concatenate([hr[starts[w]:ends[w]] for w in inside[v] | {v}]))
            held = hr[starts[v]:ends[v]]  # in record order; a record may hold a value twice
            return held if len(held) < 2 else np.unique(held)
        return records


def _pages(entries: list[int]) -> list[tuple[str, list[int]]]:
    """A long list cut into pages where an entry's hash says so (content
    defined: a record added or removed changes the page it falls in), each
    named by the entry that ends it (the last page: "end"), so a page keeps
    its name while records come and go elsewhere in the list."""
    e = np.array(entries, dtype=np.int64)
    cuts = np.flatnonzero(((e * 2654435761) >> 8) & _PAGE_MASK == 0).tolist()
    pages, start = [], 0
    for cut in cuts + [len(entries)]:
        while cut - start >= _PAGE_MAX:  # no cut for long: one every _PAGE_MAX entries
            start += _PAGE_MAX
            pages.append((_base36(entries[start - 1]), entries[start - _PAGE_MAX:start]))
        if cut < len(entries):
            pages.append((_base36(entries[cut]), entries[start:cut + 1]))
            start = cut + 1
    if start < len(entries):
        pages.append(("end", entries[start:]))
    return pages


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [a + b for a in _DIGITS for b in _DIGITS]  # two digits at a time: ~200 000 keys a night


def _base36(n: int) -> str:
    """As search.js writes a number with toString(36)."""
    if n < 36:
        return _DIGITS[n]
    digits = ""
    while n >= 36:
        n, d = divmod(n, 1296)
        digits = _PAIRS[d] + digits
    return (_DIGITS[n] + digits if n else digits).lstrip("0") or "0"


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def index_files(records: list[tuple], blocks: int, shards: int):
    """``search/fields/``: ``meta.json``, ``b/<block>.json`` (cards),
    ``g/<shard>.json`` ({key: entries, or for a long list {"n": its length,
    "p": its page names}}) and ``l/<page>.json`` (entries), as (path, bytes),
    a shard at a time; ``records`` from ``sources``, ``blocks`` and
    ``shards`` from ``layout``. The same records always give the same bytes."""
    index = _Index(records, blocks)
    yield f"{FIELDS}/meta.json", _dumps({"version": _SCHEME, "blocks": blocks, "shards": shards,
                                         "slot_bits": SLOT_BITS, "cap": CAP, "records": len(records)})
    yield from _blocks(records, index.entry)
    containing = index.containing()
    # every key: a gram, or "=" + the hash of a value (two values of one hash share one key)
    keys = list(index.gram_names)
    sources: list = list(range(len(keys)))
    by_key: dict[str, int] = {}
    for v, h in enumerate(fnv1a(["=" + value for value in index.value_names])):
        key = "=" + _base36(h)
        if key in by_key:
            sources[by_key[key]].append(v)
        else:
            by_key[key] = len(keys)
            keys.append(key)
            sources.append([v])
    hashes = np.array(fnv1a(keys), dtype=np.int64)
    order = np.argsort(hashes % shards, kind="stable")
    bounds = _groups((hashes % shards)[order])
    named: set[str] = set()
    filled = set()
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        bucket = {}
        for k in order[a:b].tolist():
            source = sources[k]
            if isinstance(source, int):
                entries = index.gram_entries(source)
            else:
                numbers = containing(source[0]) if len(source) == 1 else \
                    np.unique(np.concatenate([containing(v) for v in source]))
                entries = list(dict.fromkeys(index.entry[numbers].tolist()))
            if len(entries) <= CAP:
                bucket[keys[k]] = entries
                continue
            names = []
            for end, page in _pages(entries):
                name = f"{int(hashes[k]):08x}-{end}"
                while name in named:  # two keys of one hash: the second's names are longer
                    name += "x"
                named.add(name)
                names.append(name)
                yield f"{FIELDS}/l/{name}.json", _dumps(page)
            bucket[keys[k]] = {"n": len(entries), "p": names}
        shard = int(hashes[order[a]] % shards)
        filled.add(shard)
        yield f"{FIELDS}/g/{shard:x}.json", _dumps(bucket)
    for shard in range(shards):  # a shard no key falls in: empty, not missing
        if shard not in filled:
            yield f"{FIELDS}/g/{shard:x}.json", _dumps({})


def write_files(lookup: tuple, emit) -> None:
    """``index_files`` of ``lookup`` = (``sources``, ``layout``, key), written with
    ``emit(path, bytes, key)`` (in a process of its own on a large site:
    ``render.Background``)."""
    records, (blocks, shards), key = lookup
    for rel, data in index_files(records, blocks, shards):
        emit(rel, data, key)


def _blocks(records: list[tuple], entry: np.ndarray):
    """``b/<block>.json``: the cards of a block, in list order."""
    block = entry >> SLOT_BITS
    order = np.argsort(block, kind="stable")
    bounds = _groups(block[order])
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        numbers = order[a:b].tolist()
        cards = [{**records[r][4], "slot": int(entry[r]) & ((1 << SLOT_BITS) - 1)} for r in numbers]
        yield f"{FIELDS}/b/{int(block[order[a]]):x}.json", _dumps({"cards": cards})
