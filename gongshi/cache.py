"""A build cache, so a night with few changes does not redo the whole work.

What is cached (each entry keyed by a digest of *all* its inputs and of the
code version; an entry never answers for inputs it was not made from):

* ``decisions-file``: the result of reading and validating one decision export
  (``load.decision_file``: its decisions, held-back keys and problems, in order),
  keyed by the file's bytes, its name, the registered entity codes and the code
  version. Validation also compares dates with the build date (future-date
  checks); the entry records the latest date it compared, and is used on another
  day only when that date is on or before both days (so every comparison comes
  out the same);
* ``public-records``: the public record, content hash and source hash of each row of one
  decision file (``public.public_decision`` without the dates the ledger
  assigns), keyed by the file's bytes, its name, the agencies' codes and names
  and the code version;
* ``feed``: an Atom/RSS document, keyed by the feed, its
  entries (whole public records), its date and the site's name and address.

The code version is a digest of every module of this package and the versions
of Python, pandas and openpyxl: any code change empties the cache in
effect. Entries are pickles in ``.<ledger file name>.cache/`` beside the
ledger (``data/.ledger.sqlite.cache/`` by default; never published, git-ignored); a build deletes the entries it did not use, so the
folder holds one night's worth. A missing, unreadable or corrupt entry is
simply computed again. ``publish.py check`` never uses the cache.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

_CODE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(sys.version.encode())
    for package in ("pandas", "openpyxl"):
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
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class Cache:
    """Pickled values by (kind, key) in one folder. ``Cache(None)`` caches nothing."""

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder is not None else None
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key}.pickle"

    def get(self, kind: str, key: str):
        """The stored value, or None."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        self.used.add(path.name)
        try:
            with open(path, "rb") as f:
                value = pickle.load(f)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # a torn or foreign file: compute again
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
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

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

    def __call__(self, path: Path, data_dir: Path, entities: dict, today):
        from .load import decision_file

        name = path.relative_to(data_dir).as_posix()
        self.keys[name] = file_key = digest(name, path.read_bytes())
        key = digest("decisions-file", file_key, "\n".join(sorted(entities)))
        hit = self.cache.get("decisions", key)
        if hit is not None:
            made_on, result = hit
            if made_on == today or result.latest is None or result.latest <= min(made_on, today):
                return result
        result = decision_file(path, data_dir, entities, today)
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
