"""Getting a lost or damaged ledger back (``publish.py ledger restore``).

``from_backup``: a backup made after a commit (record.py); refused unless its
last commit is the live site's (an older backup would re-date what the site
published since: use ``from_site`` then).

``from_site``: from the site's own public files, so that a rebuild for the
same day gives the same bytes:

- live decisions from ``open-data/decisions.json`` (each record is its
  open-data object with the fields that object leaves out derived again:
  ``opendata.record_from_json``), their first publication and last
  correction from it and from the public log;
- withdrawals from ``open-data/withdrawals.json``, the first publication of
  a withdrawn decision from its first ``published`` line in the log;
- the log itself (checked first: a log that was altered is refused), and
  the fields each correction changed from ``open-data/corrections.json``;
- page dates from each page's footer (``数据更新日期``), adopted by the next
  build with whatever that page then shows (``pagedates.RESTORED``); an
  agency's date (``decisions/<code>/*``) from its decision pages dated later
  than their records;
- the build: bound to the live slot (its commit id, written beside it if a
  site of an earlier version had none).

What the site does not show is not restored: the hash of a decision's source
(the next build computes it; until then a changed public record counts as a
更正, as before this existed), a withdrawn decision's last public record, and
decisions neither live nor withdrawn on the site.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import uuid
from datetime import date
from pathlib import Path

from . import opendata, publog
from .atomic import temp_beside
from .ledger import Entry, Event, Ledger, content_hash
from .pagedates import NEVER, RESTORED
from .publish import Slots
from .record import read_mark, write_mark

_FOOTER_DATE = re.compile(r'数据更新日期：<time datetime="(\d{4}-\d{2}-\d{2})">')
_LOG_HEAD = re.compile(r'data-log-head="([0-9a-f]{64})"')
_LOG_COUNT = re.compile(r'data-log-count="(\d+)"')


class RestoreRefused(Exception):
    pass


def _set_aside(ledger: Ledger) -> Path | None:
    """Keep the ledger being replaced (and its journal: a hot journal must
    never meet the new file) under another name; returns that name."""
    if not ledger.path.exists():
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = ledger.path.with_name(f"{ledger.path.name}.replaced-{stamp}")
    for suffix in ("", "-journal", "-wal", "-shm"):
        source = Path(str(ledger.path) + suffix)
        if source.exists():
            os.replace(source, Path(str(aside) + suffix))
    return aside


def _install(ledger: Ledger, made: Path) -> str:
    aside = _set_aside(ledger)
    os.replace(made, ledger.path)
    return f"原来的台账已改名保留为 {aside}。" if aside else ""


def _live(slots: Slots) -> Path | None:
    current = slots.current()
    return current if current is not None and current.is_dir() else None


def from_backup(backup: Path, ledger: Ledger, slots: Slots) -> str:
    source = Ledger(backup)
    if not backup.is_file():
        raise RestoreRefused(f"找不到备份文件 {backup}。")
    problems = source.check(full=True)
    if problems:
        raise RestoreRefused(f"备份 {backup} 已损坏（{'；'.join(problems)}），未恢复。请换一个备份，或用 --from-site。")
    last, live = source.last_build(), _live(slots)
    if live is not None:
        mark = read_mark(live)
        same = last is not None and (last.commit_id == (mark or {}).get("commit") if last.commit_id or mark
                                     else last.slot == live.name)
        if not same:
            raise RestoreRefused(
                f"备份 {backup} 的最后一次发布（{last.day.isoformat() + '，槽位 ' + last.slot if last else '无'}）"
                f"不是线上网站 {slots.live} 的最后一次发布，未恢复：用它构建会把此后公示、更正和撤回的日期记错，"
                f"发布日志也会少掉此后的行。请用线上网站最后一次发布后的备份，或用 --from-site 从线上网站恢复。")
    made = temp_beside(ledger.path)
    made.unlink(missing_ok=True)
    ledger.path.parent.mkdir(parents=True, exist_ok=True)
    source.backup_to(made)
    said = _install(ledger, made)
    return f"已从备份 {backup} 恢复发布台账 {ledger.path}。{said}"


# --- from the site ---------------------------------------------------------------

def _read_json(root: Path, rel: str, required: bool = True):
    path = root / rel
    if not path.is_file():
        if required:
            raise RestoreRefused(f"{root} 中没有 {rel}：它不是本工具（这一版本）生成的网站，无法从中恢复台账。")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"{path} 无法读取（{exc}），未恢复。") from None


def _anchor(root: Path) -> tuple[int, str] | None:
    try:
        page = (root / "open-data" / "index.html").read_text(encoding="utf-8")
    except OSError:
        return None
    head, count = _LOG_HEAD.search(page), _LOG_COUNT.search(page)
    return (int(count.group(1)), head.group(1)) if head and count else None


def site_log(root: Path) -> tuple[list[str], publog.Finding | None]:
    """The site's public log (lines without newlines) and its first bad line."""
    path = root / publog.LOG
    if not path.is_file():
        return [], None
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines, publog.check_chain(lines, _anchor(root))


def _footer_dates(root: Path) -> dict[str, str]:
    out = {}
    for path in root.rglob("*.html"):
        found = _FOOTER_DATE.search(path.read_text(encoding="utf-8", errors="replace"))
        if found:
            out[path.relative_to(root).as_posix()] = found.group(1)
    return out


def _events(lines: list[str], corrections: list[dict]) -> list[Event]:
    fields = {c["seq"]: c.get("changed") or [] for c in corrections if "seq" in c}
    out = []
    for line in lines:
        o = json.loads(line)
        out.append(Event(o["seq"], o["date"], o["event"], o["key"], o["digest"], line,
                         fields.get(o["seq"]) if o["event"] == "corrected" else None, None))
    return out


def _page_dates(root: Path, decisions: list[dict]) -> dict[str, tuple[str, str]]:
    footers = _footer_dates(root)
    live_urls = {d["url"] for d in decisions}
    pages = {url: (RESTORED, day) for url, day in footers.items() if url not in live_urls}
    agencies: dict[str, str] = {}
    for d in decisions:
        shown = footers.get(d["url"], "")
        later = shown if shown > d["updated"] else NEVER  # dated by the agency's change, not the record
        agencies[d["agency_code"]] = max(agencies.get(d["agency_code"], NEVER), later)
    pages.update((f"decisions/{code}/*", (RESTORED, day)) for code, day in agencies.items())
    return pages


def _entries(decisions, notices, events: list[Event], corrections: list[dict]) -> list[Entry]:
    corrected: dict[str, str] = {}
    for c in corrections:
        corrected[c["key"]] = max(corrected.get(c["key"], ""), c["date"])
    for e in events:  # the log says it, also for corrections made before it listed their fields
        if e.event == "corrected":
            corrected[e.key] = max(corrected.get(e.key, ""), e.day)
    first_seen: dict[str, str] = {}
    for e in events:
        if e.event == "published" and e.key not in first_seen:
            first_seen[e.key] = e.day
    out = []
    for obj in decisions:
        last = corrected.get(obj["key"])
        if last is None and obj["updated"] != obj["first_published"]:
            last = obj["updated"]  # a site without a log: its date says it was corrected
        record = opendata.record_from_json(obj, last or "")
        out.append(Entry(obj["key"], date.fromisoformat(obj["first_published"]), content_hash(record),
                         date.fromisoformat(last) if last else None, None, None, record))
    for n in notices:
        first = first_seen.get(n["key"], n["taken_down"])
        last = corrected.get(n["key"])
        out.append(Entry(n["key"], date.fromisoformat(first), "", date.fromisoformat(last) if last else None,
                         date.fromisoformat(n["taken_down"]), n["reason"], {}, notice=n))
    return out


def from_site(site: Path, ledger: Ledger, slots: Slots) -> str:
    root = Path(os.path.realpath(site))
    decisions = _read_json(root, "open-data/decisions.json")
    notices = _read_json(root, opendata.WITHDRAWALS)
    corrections = _read_json(root, opendata.CORRECTIONS, required=False) or []
    lines, bad = site_log(root)
    if bad is not None:
        raise RestoreRefused(f"{root / publog.LOG} 被改动过（{bad}），不能据此恢复台账。请改用备份（--from-backup）。")
    live = _live(slots)
    if live is not None and live != root and _read_json(live, "open-data/decisions.json", False) != decisions:
        raise RestoreRefused(f"{root} 与线上网站 {slots.live} 的内容不同：只能从线上网站本身恢复。")
    events = _events(lines, corrections)
    entries = _entries(decisions, notices, events, corrections)
    pages = _page_dates(root, decisions)
    seen = [d for e in entries for d in (e.first_published, e.last_corrected, e.taken_down) if d]
    mark = read_mark(live) if live is not None else None
    day = date.fromisoformat(mark["day"]) if mark and mark.get("day") else max(
        seen + [date.fromisoformat(d) for _, d in pages.values() if d != NEVER], default=date.today())
    if live is not None and mark is None:  # a site of an earlier version: bind it now
        write_mark(live, uuid.uuid4().hex, day)
        mark = read_mark(live)
    made = temp_beside(ledger.path)
    made.unlink(missing_ok=True)
    ledger.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        Ledger(made).commit(entries, day, live.name if live else "", {"restored_from_site": str(root)}, pages,
                            events=events, commit_id=mark["commit"] if mark else None)
    except (sqlite3.Error, OSError) as exc:
        made.unlink(missing_ok=True)
        raise RestoreRefused(f"无法写入 {made}（{exc}），未恢复。") from None
    said = _install(ledger, made)
    live_count = len(decisions)
    return (f"已从网站 {root} 恢复发布台账 {ledger.path}：公示中的决定 {live_count} 个，撤回 {len(notices)} 个，"
            f"更正记录 {len(corrections)} 条，发布日志 {len(lines)} 行，页面日期 {len(pages)} 个。{said}")
