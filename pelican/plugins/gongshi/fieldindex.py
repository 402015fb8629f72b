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

_DECISION = ("url", "docno", "target_name", "target_code", "target_type", "agency_name", "agency_code",
             "decision_date", "category", "year", "key")  # what the index reads of a decision


def _decision(url, docno, target, code, target_type, agency, agency_code, day, category, year, key) -> tuple:
    natural = target_type == "自然人"
    fields = (docno,) if natural else (docno, target, code)
    card = {"kind": "decision", "url": url, "docno": docno, "target": target, "code": code, "agency": agency,
            "date": day, "category": category, "year": str(year)}
    return f"d:{normalize(docno if natural else target)}", f"d:{key}", fields, (f"@{agency_code}",), card


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


def sources(site) -> tuple[list[tuple], dict[str, list]]:
    """What the index is made from, in list order (entities, officers,
    withdrawal notices, then decisions newest first): plain values, to be
    sent to the process that makes the index (``records_of`` makes them
    its records). The decisions as columns: 100 000 dicts would take a second
    to make and send."""
    others = ([_entity(e) for e in sorted(site.entities, key=lambda e: (e["name"], e["code"]))]
              + [_staff(s) for s in sorted(site.staff, key=lambda s: (s["cert_no"], s["entity_code"]))]
              + [_notice(n) for n in site.notices])  # newest withdrawal first
    return others, {name: [d[name] for d in site.decisions] for name in _DECISION}  # newest first


def records_of(source: tuple[list[tuple], dict[str, list]]) -> list[tuple]:
    """Per record of ``sources``: (block key, record key, field values, extra grams, card)."""
    others, decisions = source
    return others + list(map(_decision, *(decisions[name] for name in _DECISION)))


# --- the memo ------------------------------------------------------------------

class Grams:
    """Each field value's normalised text, its grams (numbered) and its
    ``=`` key, and each gram's hash: ``normalize``, ``grams`` and the hashes of
    200 000 values take seconds, and a night adds a few thousand. Kept in the
    build cache from night to night (``load``, ``save``); a pure function of
    the values, so it may also hold values no record holds any more (the
    index skips them; ``save`` drops them once they are a quarter of it)."""

    KIND = "grams"
    _U32 = np.zeros(0, dtype=np.uint32)

    def __init__(self, raws: dict | None = None, values: list | None = None, names: list | None = None,
                 equal: list | None = None, arrays: dict | None = None):
        self.raws = raws if raws is not None else {}  # raw text → value number (-1: normalises to nothing)
        self.values = values if values is not None else []  # normalised texts, by number
        self.names = names if names is not None else []  # grams, by number
        self.equal = equal if equal is not None else []  # each value's "=" key (``equal_key``)
        arrays = arrays or {}
        self.starts = arrays.get("starts", np.zeros(1, dtype=np.int64))  # value → where its grams begin in flat
        self.equal_hash = arrays.get("equal_hash", self._U32)  # fnv1a of each "=" key
        self.gram_hash = arrays.get("gram_hash", self._U32)  # fnv1a of each gram
        self.flat = arrays.get("flat", np.zeros(0, dtype=np.int32))
        self._value_ids: dict[str, int] | None = None  # made at the first new value
        self._gram_ids: dict[str, int] | None = None
        self._new_flat: list[int] = []
        self._new_ends: list[int] = []
        self.changed = False
        # what records held tonight (``_Index``): values, and grams besides their values' (``@<code>``)
        self.held = self.extra = np.zeros(0, dtype=np.int64)

    def value_of(self, raw: str) -> int:
        v = self.raws.get(raw)
        if v is None:
            v = self.raws[raw] = self._add(normalize(raw))
            self.changed = True
        return v

    def _add(self, value: str) -> int:
        if not value:
            return -1
        if self._value_ids is None:
            self._value_ids = {text: v for v, text in enumerate(self.values)}
        v = self._value_ids.get(value)
        if v is None:
            v = self._value_ids[value] = len(self.values)
            self.values.append(value)
            self._new_flat.extend(map(self.gram_id, grams(value)))
            self._new_ends.append(len(self.flat) + len(self._new_flat))
        return v

    def gram_id(self, gram: str) -> int:
        if self._gram_ids is None:
            self._gram_ids = {g: n for n, g in enumerate(self.names)}
        n = self._gram_ids.get(gram)
        if n is None:
            n = self._gram_ids[gram] = len(self.names)
            self.names.append(gram)
            self.changed = True
        return n

    def complete(self) -> Grams:
        """The arrays and keys, new values and grams included."""
        if self._new_ends:
            self.flat = np.concatenate([self.flat, np.array(self._new_flat, dtype=np.int32)])
            self.starts = np.concatenate([self.starts, np.array(self._new_ends, dtype=np.int64)])
            self._new_flat, self._new_ends = [], []
        if len(self.equal) < len(self.values):
            keys = ["=" + _base36(h) for h in fnv1a(["=" + v for v in self.values[len(self.equal):]])]
            self.equal += keys
            self.equal_hash = np.concatenate([self.equal_hash, np.array(fnv1a(keys), dtype=np.uint32)])
        if len(self.gram_hash) < len(self.names):
            new = np.array(fnv1a(self.names[len(self.gram_hash):]), dtype=np.uint32)
            self.gram_hash = np.concatenate([self.gram_hash, new])
        return self

    @classmethod
    def load(cls, cache) -> Grams:
        """The memo in the cache, or an empty one (none, or damaged)."""
        data = cache.get(cls.KIND, _memo_key())
        if data is None:
            return cls()
        try:
            size = int.from_bytes(data[:8], "little")
            head = json.loads(data[8:8 + size])
            raws, values, names, equal = head["raws"], head["values"], head["grams"], head["equal"]
            arrays, at = {}, 8 + size
            for name, dtype, count in (("starts", np.int64, len(values) + 1), ("equal_hash", np.uint32, len(values)),
                                       ("gram_hash", np.uint32, len(names)), ("flat", np.int32, -1)):
                arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=at)
                at += arrays[name].nbytes
            numbers, starts, flat = np.array(head["numbers"], dtype=np.int64), arrays["starts"], arrays["flat"]
            texts = (raws, values, names, equal)
            if (not all(isinstance(t, list) and all(isinstance(x, str) for x in t) for t in texts)
                    or len(numbers) != len(raws) or len(equal) != len(values) or starts[0] != 0 or starts[-1] != len(flat)
                    or np.any(np.diff(starts) < 0) or (len(flat) and not 0 <= flat.min() <= flat.max() < len(names))
                    or (len(numbers) and not -1 <= numbers.min() <= numbers.max() < len(values))):
                return cls()
            return cls(dict(zip(raws, numbers.tolist())), values, names, equal, arrays)
        except (ValueError, KeyError, TypeError):
            return cls()

    def save(self, cache) -> None:
        """Into the cache, if it learnt anything tonight; without the values
        no record held tonight (``held``) when they are a quarter of it."""
        self.complete()
        if 4 * (len(self.values) - len(self.held)) > len(self.values):
            self._keep(self.held)
        elif not self.changed:
            return
        head = json.dumps({"raws": list(self.raws), "numbers": list(self.raws.values()), "values": self.values,
                           "grams": self.names, "equal": self.equal},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        arrays = (self.starts, self.equal_hash, self.gram_hash, self.flat)
        cache.put(self.KIND, _memo_key(), b"".join([len(head).to_bytes(8, "little"), head,
                                                    *(a.tobytes() for a in arrays)]))

    def _keep(self, live: np.ndarray) -> None:
        """Only the values ``live`` (sorted numbers), their grams and raw texts,
        and tonight's other grams."""
        lengths = (self.starts[1:] - self.starts[:-1])[live]
        at = np.repeat(self.starts[live] - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        kept = self.flat[at]
        grams_kept = np.union1d(kept, self.extra)
        self.flat = np.searchsorted(grams_kept, kept).astype(np.int32)
        self.starts = np.r_[0, np.cumsum(lengths)].astype(np.int64)
        self.names = [self.names[g] for g in grams_kept.tolist()]
        self.gram_hash = self.gram_hash[grams_kept]
        renumber = dict(zip(live.tolist(), range(len(live))))
        self.values = [self.values[v] for v in live.tolist()]
        self.equal = [self.equal[v] for v in live.tolist()]
        self.equal_hash = self.equal_hash[live]
        self.raws = {raw: renumber.get(v, -1) for raw, v in self.raws.items() if v == -1 or v in renumber}
        self._value_ids = self._gram_ids = None


def _memo_key() -> str:
    from .cache import digest  # (the cache's key carries the code version)
    return digest("field grams")


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

    def __init__(self, records: list[tuple], blocks: int, memo: Grams):
        near = np.array(fnv1a([r[0] for r in records]), dtype=np.int64)
        keys = np.array(fnv1a([r[1] for r in records]), dtype=np.int64)
        self.entry = ((near % blocks) << SLOT_BITS) | (keys & ((1 << SLOT_BITS) - 1))
        held_v, held_r, extra_g, extra_r = [], [], [], []
        value_of, gram_id = memo.value_of, memo.gram_id
        for number, record in enumerate(records):
            for raw in record[2]:
                v = value_of(raw)
                if v >= 0:
                    held_v.append(v)
                    held_r.append(number)
            for g in record[3]:
                extra_g.append(gram_id(g))
                extra_r.append(number)
        # The memo's numbering: it may name grams and values no record holds tonight.
        memo.complete()
        self.memo, self.gram_names, self.value_names = memo, memo.names, memo.values
        value_grams, value_starts = memo.flat, memo.starts
        self.held = (np.array(held_v, dtype=np.int64), np.array(held_r, dtype=np.int64))
        self.values_held = memo.held = np.unique(self.held[0])
        memo.extra = np.unique(np.array(extra_g, dtype=np.int64))
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

    def gram_entries(self):
        """A function: gram number → its entries, in list order."""
        entries, bounds = self.entry[self.packed & 0xFFFFFFFF], self.gram_bounds.tolist()
        return lambda gram: entries[bounds[gram]:bounds[gram + 1]].tolist()

    def value_entries(self):
        """A function: value numbers → the entries of the records whose
        fields contain any of those values (in list order, each once).
        Aho–Corasick finds every value inside every other at once."""
        names = self.value_names
        held = self.values_held.tolist()  # not the memo's values no record holds
        automaton = ahocorasick.Automaton()
        for v in held:
            automaton.add_word(names[v], v)
        automaton.make_automaton()
        inside: dict[int, set[int]] = {}  # value → the other values containing it
        for w in held:
            for _, v in automaton.iter(names[w]):
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
        entry, pair_entries = self.entry, self.entry[hr].tolist()

        def entries(values: list[int]) -> list[int]:
            if len(values) == 1:  # most values: held by one record, inside no other
                v = values[0]
                if v not in inside and ends[v] - starts[v] == 1:
                    return [pair_entries[starts[v]]]
            # a record may hold a value twice, or two of these values
            numbers = np.unique(np.concatenate([hr[starts[w]:ends[w]] for v in values
                                                for w in inside.get(v, set()) | {v}]))
            return list(dict.fromkeys(entry[numbers].tolist()))
        return entries


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


def index_files(source: tuple, blocks: int, shards: int, memo: Grams | None = None):
    """``search/fields/``: ``meta.json``, ``b/<block>.json`` (cards),
    ``g/<shard>.json`` ({key: entries, or for a long list {"n": its length,
    "p": its page names}}) and ``l/<page>.json`` (entries), as (path, bytes),
    a shard at a time; ``source`` from ``sources``, ``blocks`` and
    ``shards`` from ``layout``, ``memo`` the grams of earlier nights. The
    same records always give the same bytes, whatever the memo holds."""
    records = records_of(source)
    index = _Index(records, blocks, memo if memo is not None else Grams())
    yield f"{FIELDS}/meta.json", _dumps({"version": _SCHEME, "blocks": blocks, "shards": shards,
                                         "slot_bits": SLOT_BITS, "cap": CAP, "records": len(records)})
    yield from _blocks(records, index.entry)
    gram_entries, value_entries = index.gram_entries(), index.value_entries()
    # every key: a gram some record holds, or "=" + the hash of a value some
    # record holds (two values of one hash share one key)
    live = np.flatnonzero(np.diff(index.gram_bounds)).tolist()
    keys = [index.gram_names[g] for g in live]
    sources: list = live
    memo = index.memo
    hashes = memo.gram_hash[live].astype(np.int64).tolist()
    by_key: dict[str, int] = {}
    held = index.values_held.tolist()
    for v, h in zip(held, memo.equal_hash[index.values_held].tolist()):
        key = memo.equal[v]
        if key in by_key:
            sources[by_key[key]].append(v)
        else:
            by_key[key] = len(keys)
            keys.append(key)
            sources.append([v])
            hashes.append(h)
    hashes = np.array(hashes, dtype=np.int64)
    order = np.argsort(hashes % shards, kind="stable")
    bounds = _groups((hashes % shards)[order])
    suffix = _suffixes(keys, hashes)
    filled = set()
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        bucket = {}
        for k in order[a:b].tolist():
            source = sources[k]
            entries = gram_entries(source) if isinstance(source, int) else value_entries(source)
            if len(entries) <= CAP:
                bucket[keys[k]] = entries
                continue
            names = []
            for end, page in _pages(entries):
                names.append(f"{int(hashes[k]):08x}-{end}{suffix.get(k, '')}")
                yield f"{FIELDS}/l/{names[-1]}.json", _dumps(page)
            bucket[keys[k]] = {"n": len(entries), "p": names}
        shard = int(hashes[order[a]] % shards)
        filled.add(shard)
        yield f"{FIELDS}/g/{shard:x}.json", _dumps(bucket)
    for shard in range(shards):  # a shard no key falls in: empty, not missing
        if shard not in filled:
            yield f"{FIELDS}/g/{shard:x}.json", _dumps({})


def _suffixes(keys: list[str], hashes: np.ndarray) -> dict[int, str]:
    """Keys sharing a hash (their pages' names would clash): "x", "xx" …
    for all but the first of them in text order, whatever order the keys
    come in."""
    values, counts = np.unique(hashes, return_counts=True)
    out = {}
    for h in values[counts > 1].tolist():
        ks = sorted(np.flatnonzero(hashes == h).tolist(), key=keys.__getitem__)
        out.update((k, "x" * i) for i, k in enumerate(ks) if i)
    return out


def write_files(lookup: tuple, emit, cache, memo: Grams | None = None) -> None:
    """``index_files`` of ``lookup`` = (``sources``, ``layout``, key), written with
    ``emit(path, bytes, key)`` (in a process of its own on a large site:
    ``render.Background``), with ``memo`` or else the one ``cache`` holds
    (``Grams``), which is then saved there."""
    source, (blocks, shards), key = lookup
    memo = memo if memo is not None else Grams.load(cache)
    for rel, data in index_files(source, blocks, shards, memo):
        emit(rel, data, key)
    memo.save(cache)


def _blocks(records: list[tuple], entry: np.ndarray):
    """``b/<block>.json``: the cards of a block, in list order."""
    block = entry >> SLOT_BITS
    order = np.argsort(block, kind="stable")
    bounds = _groups(block[order])
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        numbers = order[a:b].tolist()
        cards = [{**records[r][4], "slot": int(entry[r]) & ((1 << SLOT_BITS) - 1)} for r in numbers]
        yield f"{FIELDS}/b/{int(block[order[a]]):x}.json", _dumps({"cards": cards})
