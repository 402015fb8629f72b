"""The publication ledger: a persistent SQLite record of what was published when.

Per decision key it keeps the first-publication date, a hash of the public
record, the last correction date, the takedown date and reason, and the last
good public record (so a decision whose row is held back for a problem keeps
its last good version); and the date of every page dated by its content
(``pagedates.py``). It is read before a build and written only after the
build succeeded, in one transaction (``Ledger.commit``).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    key              TEXT PRIMARY KEY,   -- <agency code>/<文书号>
    first_published  TEXT NOT NULL,      -- ISO date
    content_hash     TEXT NOT NULL,      -- of the public record, dates excluded
    last_corrected   TEXT,               -- ISO date of the latest correction
    taken_down       TEXT,               -- ISO date the withdrawal was first published
    takedown_reason  TEXT,
    public_record    TEXT NOT NULL       -- JSON: last good public record
);
CREATE TABLE IF NOT EXISTS builds (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    build_day TEXT NOT NULL,
    slot      TEXT NOT NULL,             -- the output slot this build made live
    summary   TEXT NOT NULL              -- JSON: counts of the build report
);
CREATE TABLE IF NOT EXISTS pages (           -- pages dated by their content (pagedates.py)
    url          TEXT PRIMARY KEY,           -- root-relative output path
    content_key  TEXT NOT NULL,              -- digest of what the page shows
    since        TEXT NOT NULL               -- ISO date it first showed that
);
"""


@dataclass
class Entry:
    key: str
    first_published: date
    content_hash: str
    last_corrected: date | None
    taken_down: date | None
    takedown_reason: str | None
    # The last good public record. Entries read from the ledger leave it there
    # until first used (``source``): a nightly build needs it only for the few
    # decisions missing tonight, and 100 000 of them would hold ~200 MB.
    # Not compared: the content hash and the dates above determine it.
    record: dict | None = field(compare=False, repr=False)
    source: Ledger | None = field(default=None, compare=False, repr=False)

    @property
    def public_record(self) -> dict:
        if self.record is None:
            self.record = self.source.record(self.key) if self.source is not None else {}
        return self.record

    @property
    def updated(self) -> date:
        return self.last_corrected or self.first_published


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def content_hash(record: dict) -> str:
    """Hash of a public record without the dates the ledger itself assigns."""
    core = {k: v for k, v in record.items() if k not in ("first_published", "updated", "corrected")}
    return hashlib.sha256(json.dumps(core, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class Ledger:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._reader: sqlite3.Connection | None = None  # for Entry.public_record

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.executescript(SCHEMA)
        return conn

    def entries(self) -> dict[str, Entry]:
        if not self.path.exists():
            return {}
        conn = self._connect()
        try:
            rows = conn.execute("SELECT key, first_published, content_hash, last_corrected, taken_down, "
                                "takedown_reason FROM decisions").fetchall()
        finally:
            conn.close()
        return {r[0]: Entry(r[0], _d(r[1]), r[2], _d(r[3]), _d(r[4]), r[5], None, self) for r in rows}

    def record(self, key: str) -> dict:
        """One decision's last good public record ({} when there is none)."""
        if self._reader is None:
            self._reader = self._connect()
        row = self._reader.execute("SELECT public_record FROM decisions WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else {}

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def last_slot(self) -> str | None:
        if not self.path.exists():
            return None
        conn = self._connect()
        try:
            row = conn.execute("SELECT slot FROM builds ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        return row[0] if row else None

    def last_summary(self) -> dict:
        """The summary JSON of the last build (``commit``), {} before the first."""
        if not self.path.exists():
            return {}
        conn = self._connect()
        try:
            row = conn.execute("SELECT summary FROM builds ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        return json.loads(row[0]) if row else {}

    def page_dates(self) -> dict[str, tuple[str, str]]:
        """url -> (content key, ISO date) of the pages dated by their content."""
        if not self.path.exists():
            return {}
        conn = self._connect()
        try:
            return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT url, content_key, since FROM pages")}
        finally:
            conn.close()

    def commit(self, changed: list[Entry], build_day: date, slot: str, summary: dict,
               pages: dict[str, tuple[str, str]] | None = None, pages_gone: list[str] = ()) -> None:
        """Write the entries that changed tonight, and the build, in one
        transaction; and the page dates that changed (``PageDates.changes``)."""
        records = [(e, json.dumps(e.public_record, ensure_ascii=False, sort_keys=True))
                   for e in sorted(changed, key=lambda e: e.key)]
        self.close()
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(e.key, e.first_published.isoformat(), e.content_hash,
                  e.last_corrected.isoformat() if e.last_corrected else None,
                  e.taken_down.isoformat() if e.taken_down else None, e.takedown_reason, text)
                 for e, text in records])
            conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                             [(url, key, since) for url, (key, since) in sorted((pages or {}).items())])
            conn.executemany("DELETE FROM pages WHERE url = ?", [(url,) for url in pages_gone])
            conn.execute("INSERT INTO builds (build_day, slot, summary) VALUES (?, ?, ?)",
                         (build_day.isoformat(), slot, json.dumps(summary, ensure_ascii=False, sort_keys=True)))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()
