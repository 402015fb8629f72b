"""The publication ledger: a persistent SQLite record of what was published when.

Per decision key it keeps the first-publication date, a hash of the public
record, a hash of its source (the row's published columns, or the
withdrawal's reason and note: it tells a correction from a new public form of
unchanged data), the last correction date, the takedown date and reason, and
the last good public record (so a decision whose row is held back for a
problem keeps its last good version); the date of every page dated by its
content (``pagedates.py``); every event of the public log (``publog.py``);
and each build with the commit id written beside the slot it made live
(``record.py``). It is read before a build and written only after the build
succeeded, in one transaction (``Ledger.commit``).

Reading never writes: a ledger that a refused build looked at stays
byte-identical. A ledger made by an earlier version (no ``events`` table, no
``source_hash`` or ``commit_id`` column) is read as it is and brought up to
date inside the first commit's transaction.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .atomic import temp_beside

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    key              TEXT PRIMARY KEY,   -- <agency code>/<文书号>
    first_published  TEXT NOT NULL,      -- ISO date
    content_hash     TEXT NOT NULL,      -- of the public record, dates excluded
    last_corrected   TEXT,               -- ISO date of the latest correction
    taken_down       TEXT,               -- ISO date the withdrawal was first published
    takedown_reason  TEXT,
    public_record    TEXT NOT NULL,      -- JSON: last good public record
    source_hash      TEXT,               -- of the source (publication.source_hash), NULL until known
    notice           TEXT                -- JSON: the withdrawal notice as published (withdrawn decisions)
);
CREATE TABLE IF NOT EXISTS builds (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    build_day TEXT NOT NULL,
    slot      TEXT NOT NULL,             -- the output slot this build made live
    summary   TEXT NOT NULL,             -- JSON: counts of the build report
    commit_id TEXT                       -- also written beside the slot (record.py)
);
CREATE TABLE IF NOT EXISTS pages (           -- pages dated by their content (pagedates.py)
    url          TEXT PRIMARY KEY,           -- root-relative output path
    content_key  TEXT NOT NULL,              -- digest of what the page shows
    since        TEXT NOT NULL               -- ISO date it first showed that
);
CREATE TABLE IF NOT EXISTS events (          -- the public log (publog.py), one row per line
    seq      INTEGER PRIMARY KEY,            -- line number, from 1
    day      TEXT NOT NULL,
    event    TEXT NOT NULL,
    key      TEXT NOT NULL,
    digest   TEXT NOT NULL,
    line     TEXT NOT NULL,                  -- the line exactly as published (no newline)
    fields   TEXT,                           -- JSON list of the labels a correction changed
    version  TEXT                            -- what the digest was computed from (a hint, not public)
);
"""
# Columns added since the first release: (table, column, type).
ADDED_COLUMNS = (("decisions", "source_hash", "TEXT"), ("builds", "commit_id", "TEXT"), ("decisions", "notice", "TEXT"))
TABLES = {"decisions": ("key", "first_published", "content_hash", "last_corrected", "taken_down",
                        "takedown_reason", "public_record", "source_hash", "notice"),
          "builds": ("id", "build_day", "slot", "summary", "commit_id"),
          "pages": ("url", "content_key", "since"),
          "events": ("seq", "day", "event", "key", "digest", "line", "fields", "version")}


class LedgerUnreadable(Exception):
    """The ledger file exists but cannot be read as a ledger."""


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
    source_hash: str | None = None
    # A withdrawn decision's notice as published: it stays published when the
    # decision's row (and its takedowns.csv line) later leave the export.
    notice: dict | None = None

    @property
    def public_record(self) -> dict:
        if self.record is None:
            self.record = self.source.record(self.key) if self.source is not None else {}
        return self.record

    @property
    def updated(self) -> date:
        return self.last_corrected or self.first_published


@dataclass(frozen=True)
class Build:
    id: int
    day: date
    slot: str
    commit_id: str | None


@dataclass
class Event:
    """One line of the public log as the ledger keeps it."""
    seq: int
    day: str
    event: str
    key: str
    digest: str
    line: str
    fields: list[str] | None = None
    version: str | None = None


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def content_hash(record: dict) -> str:
    """Hash of a public record without the dates the ledger itself assigns."""
    core = {k: v for k, v in record.items() if k not in ("first_published", "updated", "corrected")}
    return hashlib.sha256(json.dumps(core, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _columns(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))


class Ledger:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._reader: sqlite3.Connection | None = None  # for Entry.public_record

    def exists(self) -> bool:
        return self.path.exists()

    def _read(self) -> sqlite3.Connection:
        """A connection that only reads: no schema is created, nothing is
        written (a hot journal left by a killed commit is rolled back, which
        is what any reader must do)."""
        if not self.path.is_file():
            raise LedgerUnreadable(f"{self.path} 不是文件")
        try:
            return sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise LedgerUnreadable(str(exc)) from exc

    def _select(self, conn, table: str, columns: tuple[str, ...], rest: str = "", args=()) -> list[tuple]:
        """Rows of ``table`` with ``columns``; a column or table an older
        ledger lacks reads as NULL / no rows."""
        have = _columns(conn, table)
        if not have:
            return []
        picked = ", ".join(c if c in have else "NULL" for c in columns)
        return conn.execute(f"SELECT {picked} FROM {table} {rest}", args).fetchall()

    def _query(self, table: str, columns: tuple[str, ...], rest: str = "", args=()) -> list[tuple]:
        if not self.path.exists():
            return []
        conn = self._read()
        try:
            return self._select(conn, table, columns, rest, args)
        finally:
            conn.close()

    def check(self, full: bool = False) -> list[str]:
        """Problems that make the file unusable as a ledger (empty list: fine):
        SQLite's own check (``quick_check``, or ``integrity_check`` when
        ``full``) and the tables and columns a ledger has. Raises nothing."""
        try:
            conn = self._read()
        except LedgerUnreadable as exc:
            return [str(exc)]
        try:
            pragma = "integrity_check" if full else "quick_check"
            result = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
            if result != ["ok"]:
                return [f"SQLite {pragma}: " + "; ".join(result[:5])]
            problems = []
            added = {(t, c) for t, c, _ in ADDED_COLUMNS}
            for table, columns in TABLES.items():
                have = _columns(conn, table)
                if not have and table in ("decisions", "builds"):  # (the others came later)
                    problems.append(f"缺少表 {table}")
                missing = [c for c in columns if have and c not in have and (table, c) not in added]
                if missing:
                    problems.append(f"表 {table} 缺少列 {'、'.join(missing)}")
            return problems
        except sqlite3.Error as exc:
            return [str(exc)]
        finally:
            conn.close()

    def entries(self) -> dict[str, Entry]:
        rows = self._query("decisions", ("key", "first_published", "content_hash", "last_corrected", "taken_down",
                                         "takedown_reason", "source_hash", "notice"))
        return {r[0]: Entry(r[0], _d(r[1]), r[2], _d(r[3]), _d(r[4]), r[5], None, self, r[6],
                            json.loads(r[7]) if r[7] else None) for r in rows}

    def record(self, key: str) -> dict:
        """One decision's last good public record ({} when there is none)."""
        if self._reader is None:
            self._reader = self._read()
        row = self._reader.execute("SELECT public_record FROM decisions WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else {}

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def last_build(self) -> Build | None:
        rows = self._query("builds", ("id", "build_day", "slot", "commit_id"), "ORDER BY id DESC LIMIT 1")
        return Build(rows[0][0], date.fromisoformat(rows[0][1]), rows[0][2], rows[0][3]) if rows else None

    def knows(self, commit_id: str) -> bool:
        """Whether a build with this commit id is recorded."""
        return bool(self._query("builds", ("id",), "WHERE commit_id = ? LIMIT 1", (commit_id,)))

    def last_slot(self) -> str | None:
        build = self.last_build()
        return build.slot if build else None

    def last_summary(self) -> dict:
        """The summary JSON of the last build (``commit``), {} before the first."""
        rows = self._query("builds", ("summary",), "ORDER BY id DESC LIMIT 1")
        return json.loads(rows[0][0]) if rows and rows[0][0] else {}

    def page_dates(self) -> dict[str, tuple[str, str]]:
        """url -> (content key, ISO date) of the pages dated by their content."""
        return {r[0]: (r[1], r[2]) for r in self._query("pages", ("url", "content_key", "since"))}

    def events(self, with_lines: bool = False) -> list[Event]:
        """The public log's events in order (lines only when asked: at
        100 000 decisions they are ~20 MB)."""
        cols = ("seq", "day", "event", "key", "digest", "line" if with_lines else "NULL", "fields", "version")
        return [Event(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]) if r[6] else None, r[7])
                for r in self._query("events", cols, "ORDER BY seq")]

    def log_lines(self) -> list[str]:
        """The public log's lines in order, one query."""
        return [r[0] for r in self._query("events", ("line",), "ORDER BY seq")]

    def last_line(self) -> str | None:
        rows = self._query("events", ("line",), "ORDER BY seq DESC LIMIT 1")
        return rows[0][0] if rows else None

    def commit(self, changed: list[Entry], build_day: date, slot: str, summary: dict,
               pages: dict[str, tuple[str, str]] | None = None, pages_gone: list[str] = (), *,
               events: list[Event] = (), versions: list[tuple[int, str]] = (), commit_id: str | None = None) -> int:
        """Write the entries that changed tonight, and the build, in one
        transaction; and the page dates that changed (``PageDates.changes``),
        tonight's public-log events and the new ``version`` of earlier events
        (``publog.Log``). Returns the build's id."""
        records = [(e, json.dumps(e.public_record, ensure_ascii=False, sort_keys=True))
                   for e in sorted(changed, key=lambda e: e.key)]
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            _migrate(conn)
            conn.executemany(
                "INSERT OR REPLACE INTO decisions (key, first_published, content_hash, last_corrected, taken_down, "
                "takedown_reason, public_record, source_hash, notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.key, e.first_published.isoformat(), e.content_hash,
                  e.last_corrected.isoformat() if e.last_corrected else None,
                  e.taken_down.isoformat() if e.taken_down else None, e.takedown_reason, text, e.source_hash,
                  json.dumps(e.notice, ensure_ascii=False) if e.notice else None)  # (in its order: as published)
                 for e, text in records])
            conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                             [(url, key, since) for url, (key, since) in sorted((pages or {}).items())])
            conn.executemany("DELETE FROM pages WHERE url = ?", [(url,) for url in pages_gone])
            conn.executemany("INSERT INTO events (seq, day, event, key, digest, line, fields, version) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [(e.seq, e.day, e.event, e.key, e.digest, e.line,
                               json.dumps(e.fields, ensure_ascii=False) if e.fields is not None else None, e.version)
                              for e in events])
            conn.executemany("UPDATE events SET version = ? WHERE seq = ?", [(v, seq) for seq, v in versions])
            cursor = conn.execute("INSERT INTO builds (build_day, slot, summary, commit_id) VALUES (?, ?, ?, ?)",
                                  (build_day.isoformat(), slot,
                                   json.dumps(summary, ensure_ascii=False, sort_keys=True), commit_id))
            build_id = cursor.lastrowid
            conn.execute("COMMIT")
            return build_id
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def backup_to(self, target: Path) -> None:
        """A consistent copy (SQLite's online backup), written beside
        ``target`` and renamed into place."""
        tmp = temp_beside(target)
        tmp.unlink(missing_ok=True)
        source = self._read()
        try:
            copy = sqlite3.connect(tmp)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        tmp.replace(target)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a ledger of an earlier version up to date (inside the commit's transaction)."""
    for statement in SCHEMA.split(";"):  # (executescript would COMMIT the transaction)
        if statement.strip():
            conn.execute(statement)
    for table, column, kind in ADDED_COLUMNS:
        if column not in _columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
