"""A build cache, so a night with few changes does not redo the whole work.

What is cached (each entry keyed by a digest of *all* its inputs and of the
code version; an entry never answers for inputs it was not made from):

* ``decisions-file``: the result of reading and validating one decision export
  (``load.decision_file``: its decisions, held-back keys and problems, in order),
  keyed by the file's bytes, its name, the registered entities' codes and names
  (2016-template rows find their agency by name), columns.csv and the code
  version. Validation also compares dates with the build date (future-date
  checks); the entry records the latest date it compared, and is used on another
  day only when that date is on or before both days (so every comparison comes
  out the same);
* ``public-records``: the public record, content hash and source hash of each row of one
  decision file (``public.public_decision`` without the dates the ledger
  assigns), keyed by the file's bytes, its name, the agencies' codes and names
  and the code version;
* ``feed``: an Atom/RSS document, keyed by the feed, its
  entries (whole public records), its date and the site's name and address;
* ``grams``: one entry, keyed by the code version only: the field index's memo
  of each field value's normalised text, grams and hashes
  (``fieldindex.Grams``), a pure function of the values, so it answers for
  any records; what it holds never changes the index's bytes.

The code version is a digest of every module of this package and the versions
of Python, pandas and python-calamine: any code change empties the cache in
effect. Entries are files in ``.<ledger file name>.cache/`` beside the ledger
(``data/.ledger.sqlite.cache/`` by default; never published, git-ignored); a
build deletes the entries it did not use, so the folder holds one night's worth.
``publish.py check`` never uses the cache.

Entries hold no pickles (unpickling runs code, and the folder is as writable as
``data/``): bytes as they are, anything else as JSON decoded into the same
objects (``_CODECS``), after a header with the digest of the payload. A
missing, torn, damaged or foreign entry (digest, shape or types wrong) is
simply computed again. (The digest finds damage, not a forger: one who can
write ``data/`` can change the export itself.)
"""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .atomic import write_atomic
from .values import NO_END_DATE

_CODE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(sys.version.encode())
    for package in ("pandas", "python-calamine"):
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


def digest(*parts) -> str:
    """A key from strings/bytes (and the code version)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(code_version().encode())
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)  # (not concatenated: a payload may be 100 MB)
    return h.hexdigest()


_MAGIC = b"gongshi-cache 2 "


class Cache:
    """Values by (kind, key) in one folder. ``Cache(None)`` caches nothing."""

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder is not None else None
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key}.entry"

    def get(self, kind: str, key: str):
        """The stored value, or None."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        self.used.add(path.name)
        try:
            value = _decode(kind, path.read_bytes())
        except Exception:  # missing, torn or foreign: compute again
            value = None
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(kind, key)
        self.used.add(path.name)
        write_atomic(path, _encode(kind, value))

    def memo(self, kind: str, parts: tuple, compute):
        """compute() once per distinct ``parts`` (strings) and code version."""
        key = digest(kind, *parts)
        value = self.get(kind, key)
        if value is None:
            value = compute()
            self.put(kind, key, value)
        return value

    def prune(self) -> int:
        """Delete the entries this build did not use; returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


# --- entries: a header line (magic, format, digest of the payload), then the payload

def _encode(kind: str, value) -> bytes:
    if isinstance(value, bytes):
        form, payload = b"bytes", value
    else:
        codec = _CODECS.get(kind)
        form = b"json"
        payload = json.dumps(codec[0](value) if codec else value, ensure_ascii=False,
                             separators=(",", ":")).encode("utf-8")
    return _MAGIC + form + b" " + digest(kind, payload).encode() + b"\n" + payload


def _decode(kind: str, data: bytes):
    head, _, payload = data.partition(b"\n")
    form, _, check = head.removeprefix(_MAGIC).partition(b" ")
    if not head.startswith(_MAGIC) or check != digest(kind, payload).encode():
        return None
    if form == b"bytes":
        return payload
    codec = _CODECS.get(kind)
    value = json.loads(payload)
    return codec[1](value) if codec else value


# Both structured kinds hold up to 100 000 similar records: they are stored as
# columns (one list per field), a column of few distinct values as a table of
# them and indexes into it, so JSON has little to parse and few objects are
# made (one date object per distinct day, one string per distinct name).

def _when(v):
    """A date column's value: a day number, false (NO_END_DATE) or null."""
    return NO_END_DATE if v is False else None if v is None else date.fromordinal(v)


def _dated(v):
    return v.toordinal() if isinstance(v, date) else False if v is NO_END_DATE else v


def _encode_column(values: list) -> list:
    if any(isinstance(v, date) or v is NO_END_DATE for v in values):
        kind, values = "d", [_dated(v) for v in values]
    else:
        kind = ""
    if any(isinstance(v, (list, dict)) for v in values):
        return ["v", kind, values]
    index: dict = {}
    # (type, value): 1, 1.0 and True are one dict key otherwise
    numbers = [index.setdefault((type(v), v), len(index)) for v in values]
    if len(index) * 2 > len(values):
        return ["v", kind, values]
    return ["t", kind, [v for _, v in index], numbers]


def _decode_column(column: list) -> list:
    mode, kind, data = column[0], column[1], column[2]
    if kind not in ("", "d"):
        raise ValueError(kind)
    if mode == "t":
        table = list(map(_when, data)) if kind == "d" else data
        return list(map(table.__getitem__, column[3]))
    if mode == "f":  # pairs (a record's fields)
        return _unblocks(data, column[3], lambda labels: lambda texts: list(zip(labels, texts, strict=True)))
    if mode != "v":
        raise ValueError(mode)
    return list(map(_when, data)) if kind == "d" else data


def _encode_pairs(values: list) -> list:
    """A column of lists of (label, text) (a record's fields): blocks by their labels."""
    return ["f", "", _blocks(values, lambda pairs: tuple(a for a, _ in pairs), lambda pairs: [b for _, b in pairs]),
            len(values)]


def _blocks(items: list, layout_of, row_of) -> list:
    """Items grouped by layout (their field names), each group as columns:
    [[layout, positions, columns], …]; ``row_of(item)`` lists its values."""
    groups: dict[tuple, tuple[list, list]] = {}
    for position, item in enumerate(items):
        positions, rows = groups.setdefault(layout_of(item), ([], []))
        positions.append(position)
        rows.append(row_of(item))
    return [[list(layout), positions, [_encode_pairs(list(col)) if name == "fields" else _encode_column(list(col))
                                       for name, col in zip(layout, zip(*rows, strict=True))]]
            for layout, (positions, rows) in groups.items()]


def _unblocks(blocks: list, n: int, maker) -> list:
    """The items of ``_blocks``, in their order: ``maker(layout)(row)`` each."""
    out = [None] * n
    for layout, positions, columns in blocks:
        make = maker(layout)
        rows = zip(*map(_decode_column, columns), strict=True) if columns else [()] * len(positions)
        for position, row in zip(positions, rows, strict=True):
            out[position] = make(row)
    if any(item is None for item in out):
        raise ValueError("an item is missing")
    return out


_DECISION = ("agency_code", "docno", "category", "target_type", "decision_date", "spec", "file", "row", "corrects")


def _encode_decision_file(entry) -> dict:
    """(made on, load.DecisionFile) as JSON: the decisions as ``_blocks`` of
    their fields and values, dates as day numbers, NO_END_DATE as false."""
    made_on, f = entry
    blocks = _blocks(f.decisions, lambda d: _DECISION + tuple(d.values),
                     lambda d: [d.agency_code, d.docno, d.category, d.target_type, d.decision_date, d.spec,
                                *d.source, d.corrects and list(d.corrects), *d.values.values()])
    return {"made_on": made_on.toordinal(), "name": f.name, "problems": [list(p.__dict__.values()) for p in f.problems],
            "notes": [list(p.__dict__.values()) for p in f.notes], "held": f.held, "latest": _ordinal(f.latest),
            "rejected": f.rejected, "people": f.people, "count": len(f.decisions), "decisions": blocks}


def _decode_decision_file(data: dict):
    from .load import Decision, DecisionFile
    from .problems import Problem

    def maker(layout):
        if tuple(layout[:9]) != _DECISION:
            raise ValueError("not a decision")
        keys = layout[9:]

        def make(row):
            a, dn, c, tt, dd, sp, file, number, corr = row[:9]
            if not isinstance(dd, date):
                raise ValueError("no decision date")
            return Decision(a, dn, c, tt, dd, dict(zip(keys, row[9:])), sp, (file, number), corr and tuple(corr))
        return make

    decisions = _unblocks(data["decisions"], data["count"], maker)
    f = DecisionFile(data["name"], [Problem(*p) for p in data["problems"]], data["held"], decisions,
                     _day(data["latest"]), [Problem(*p) for p in data["notes"]], data["rejected"], data["people"])
    return date.fromordinal(data["made_on"]), f


def _day(n):
    return None if n is None else date.fromordinal(n)


def _ordinal(d):
    return None if d is None else d.toordinal()


def _encode_public(memo: dict) -> dict:
    """{row: (public record, content hash, source hash)} as ``_blocks`` of the
    records' fields (``fields``, a list of pairs, with a table of their labels)."""
    items = list(memo.items())
    return {"count": len(items), "records": _blocks(items, lambda item: ("row", "content", "source", *item[1][0]),
                                                    lambda item: [item[0], item[1][1], item[1][2], *item[1][0].values()])}


def _decode_public(data: dict) -> dict:
    def maker(layout):
        if tuple(layout[:3]) != ("row", "content", "source"):
            raise ValueError("not a public record")
        keys = layout[3:]
        return lambda row: (row[0], (dict(zip(keys, row[3:], strict=True)), row[1], row[2]))

    return dict(_unblocks(data["records"], data["count"], maker))


_CODECS = {"decisions": (_encode_decision_file, _decode_decision_file), "public": (_encode_public, _decode_public)}


def for_ledger(ledger_path: Path) -> Cache:
    """The build cache kept beside the ledger (one per ledger)."""
    ledger_path = Path(ledger_path)
    return Cache(ledger_path.with_name(f".{ledger_path.name}.cache"))


NO_CACHE = Cache(None)


class DecisionFiles:
    """``load.decision_file`` through the cache (see the module docstring).
    Remembers each file's key for ``PublicRecords``."""

    def __init__(self, cache: Cache):
        self.cache = cache
        self.keys: dict[str, str] = {}  # file name (as in Decision.source) → key of its bytes

    def __call__(self, path: Path, data_dir: Path, entities: dict | None, today, columns=None):
        from .columns import NO_COLUMNS
        from .load import decision_file

        columns = columns or NO_COLUMNS
        name = path.relative_to(data_dir).as_posix()
        self.keys[name] = file_key = digest(name, path.read_bytes())
        if entities is None:  # entities.csv unusable: a night that publishes nothing
            return decision_file(path, data_dir, entities, today, columns)
        # 2016-template rows find their agency by name: the names are inputs too.
        agencies = "\n".join(f"{code}\t{e.name}" for code, e in sorted(entities.items()))
        key = digest("decisions-file", file_key, agencies, columns.digest)
        hit = self.cache.get("decisions", key)
        if hit is not None:
            made_on, result = hit
            if made_on == today or result.latest is None or result.latest <= min(made_on, today):
                return result
        result = decision_file(path, data_dir, entities, today, columns)
        self.cache.put("decisions", key, (today, result))
        return result


class PublicRecords:
    """(public record, content hash, source hash) of a decision, from the cache when its
    file's bytes and the agencies are unchanged. ``fresh(d, entity)`` computes one."""

    def __init__(self, cache: Cache, files: DecisionFiles, entities: dict, fresh):
        self.cache, self.fresh = cache, fresh
        self.file_keys = files.keys
        self.agencies = "\n".join(f"{code}\t{e.name}" for code, e in sorted(entities.items()))
        self.memos: dict[str, tuple[str, dict]] = {}
        self.dirty: set[str] = set()

    def __call__(self, d, entity):
        name, row = d.source
        file_key = self.file_keys.get(name)
        if file_key is None:
            return self.fresh(d, entity)
        if name not in self.memos:
            key = digest("public-records", file_key, self.agencies)
            self.memos[name] = (key, self.cache.get("public", key) or {})
        memo = self.memos[name][1]
        hit = memo.get(row)
        if hit is None:
            hit = memo[row] = self.fresh(d, entity)
            self.dirty.add(name)
        record, content, source = hit
        return dict(record), content, source

    def save(self) -> None:
        for name in sorted(self.dirty):
            key, memo = self.memos[name]
            self.cache.put("public", key, memo)
        self.dirty.clear()
