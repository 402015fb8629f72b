"""The tamper-evident public log: ``open-data/publication-log.jsonl``.

One JSON object per line per event, in commit order, append-only across
builds (docs/ledger.md has the citizen's view)::

    {"seq":1,"date":"2026-11-20","event":"published","key":"<机关代码>/<文书号>","digest":"…","prev":"000…"}

- ``seq``: the line number, from 1.
- ``date``: the day the site states for the event: a first publication's
  公示日期 (the history column when the agency gave one), a correction's or
  reformat's build day, a withdrawal's 撤回日期.
- ``event``: ``published`` (first publication, or again after a withdrawal
  was lifted), ``corrected`` (the agency changed the decision's published
  columns: announced on the page as 更正), ``reformatted`` (the public record
  changed while what the agency wrote did not: a new version of this tool,
  e.g. better redaction, a renamed agency, a changed 公示日期 column; never
  announced as 更正), ``withdrawn`` (撤回, expiries and rule withdrawals
  included; again when the agency rewrites a notice's reason or note).
- ``digest``: sha256 hex of the record the event made public, in canonical
  JSON (keys sorted, no spaces, UTF-8, ``ensure_ascii=False``): the
  decision's object in ``open-data/decisions.json``, or the withdrawal
  notice's object in ``open-data/withdrawals.json``.
- ``prev``: sha256 hex of the previous line's bytes (UTF-8, without its
  newline); 64 zeros on the first line.

The ledger keeps every line (``events`` table) and tonight's lines are
committed in the same transaction as the rest of the build (``record.py``),
so the log on the live site and the ledger always agree: a build killed
before its commit adds no line anywhere, one killed after it is finished by
the next run. A ledger of an earlier version (no events yet) starts the log
with what the site already shows: one ``published`` per decision (dated its
first publication, plus ``corrected`` on its last correction day) and one
``withdrawn`` per withdrawal notice, in date order.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import re
from dataclasses import dataclass, field

from .ledger import Event, Ledger

LOG = "open-data/publication-log.jsonl"
ZERO = "0" * 64
KINDS = ("published", "corrected", "reformatted", "withdrawn")
_RANK = {kind: n for n, kind in enumerate(KINDS)}
FIELDS = ("seq", "date", "event", "key", "digest", "prev")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def canonical(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decision_digest(record: dict) -> str:
    """The digest of a public record as ``open-data/decisions.json`` holds it."""
    from .opendata import json_decision
    return sha256(canonical(json_decision(record)))


def notice_digest(notice: dict) -> str:
    """The digest of a withdrawal notice as ``open-data/withdrawals.json`` holds it."""
    return sha256(canonical(notice))


def make_line(seq: int, day: str, event: str, key: str, digest: str, prev: str) -> str:
    return json.dumps(dict(zip(FIELDS, (seq, day, event, key, digest, prev))), ensure_ascii=False,
                      separators=(",", ":"))


def line_hash(line: str) -> str:
    return sha256(line.encode("utf-8"))


def _format() -> str:
    """What a decision's digest depends on besides its record: the open-data
    object's shape. Stored with each event's ``version`` so a new shape makes
    the next build compute every digest again (and log what changed)."""
    from . import opendata
    text = inspect.getsource(opendata.json_decision) + repr(opendata.DECISION_COLUMNS) + "log 1"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest() + ":"


@dataclass
class Head:
    """A key's place in the log: its last event, and whether it is withdrawn
    (the last event other than ``reformatted`` is ``withdrawn``)."""
    seq: int
    event: str
    digest: str
    version: str | None
    withdrawn: bool


def heads(events) -> dict[str, Head]:
    out: dict[str, Head] = {}
    for e in events:
        was = out.get(e.key)
        withdrawn = (e.event == "withdrawn") if e.event != "reformatted" else bool(was and was.withdrawn)
        out[e.key] = Head(e.seq, e.event, e.digest, e.version, withdrawn)
    return out


@dataclass
class Log:
    """The public log as tonight's build publishes it: the ledger's lines and
    tonight's ``new`` events; ``versions``: (seq, version) of earlier events
    whose digest was checked again (for the ledger)."""
    ledger: Ledger | None
    count_before: int
    last_before: str  # hash of the ledger's last line (ZERO: none)
    new: list[Event] = field(default_factory=list)
    versions: list[tuple[int, str]] = field(default_factory=list)
    corrections: list[Event] = field(default_factory=list)  # every ``corrected`` event, in order
    last_day: str = ""

    @property
    def count(self) -> int:
        return self.count_before + len(self.new)

    @property
    def head(self) -> str:
        """The hash of the last line (what the 数据开放 page shows)."""
        return line_hash(self.new[-1].line) if self.new else self.last_before

    def lines(self):
        """Every line, oldest first (without newlines)."""
        if self.ledger is not None and self.count_before:
            yield from self.ledger.log_lines()
        for e in self.new:
            yield e.line

    def pieces(self):
        """The file in pieces of bytes (at 100 000 decisions it is ~20 MB)."""
        batch = []
        for line in self.lines():
            batch.append(line)
            if len(batch) == 4096:
                yield ("\n".join(batch) + "\n").encode("utf-8")
                batch = []
        if batch:
            yield ("\n".join(batch) + "\n").encode("utf-8")


class _Writer:
    def __init__(self, log: Log):
        self.log, self.prev, self.seq = log, log.last_before, log.count_before

    def add(self, day: str, event: str, key: str, digest: str, fields=None, version=None) -> None:
        self.seq += 1
        line = make_line(self.seq, day, event, key, digest, self.prev)
        self.log.new.append(Event(self.seq, day, event, key, digest, line, fields, version))
        self.prev = line_hash(line)


def _bootstrap(ledger: Ledger, site) -> list[tuple]:
    """A ledger of an earlier version: the site's state before tonight as
    events (date, kind, key, digest, fields): each decision it shows or
    withdrew (``published``, and ``corrected`` on its last correction day),
    each withdrawal notice (``withdrawn``)."""
    notices = {n["key"]: n for n in site.notices}
    events = []
    for key, e in sorted(ledger.entries().items()):
        if e.taken_down is not None and key not in notices:
            continue  # withdrawn and no longer shown at all
        record = e.public_record
        if record:
            digest = decision_digest(record)
            events.append((e.first_published.isoformat(), "published", key, digest, None))
            if e.last_corrected:
                events.append((e.last_corrected.isoformat(), "corrected", key, digest, None))
        if e.taken_down is not None and notices[key]["taken_down"] == e.taken_down.isoformat():
            events.append((e.taken_down.isoformat(), "withdrawn", key, notice_digest(notices[key]), None))
    ledger.close()
    return sorted(events, key=lambda ev: (ev[0], _RANK[ev[1]], ev[2]))


def tonight(site, ledger: Ledger | None) -> Log:
    """Tonight's public log: the ledger's events (none without a ledger, as
    under plain ``pelican``) and an event for every live decision and notice
    whose public record is not the one its last event states."""
    pub = site.publication
    known = ledger.events() if ledger is not None else []
    log = Log(ledger, len(known), ZERO, corrections=[e for e in known if e.event == "corrected"])
    if known:
        log.last_before, log.last_day = line_hash(ledger.last_line()), known[-1].day
    write = _Writer(log)
    if not known and ledger is not None:
        for day, kind, key, digest, fields in _bootstrap(ledger, site):
            write.add(day, kind, key, digest, fields)
        known = log.new[:]
    state = heads(known)
    today = site.today.isoformat()
    fmt = _format()
    tonight_events = []
    for record in site.decisions:
        key = record["key"]
        head, version = state.get(key), fmt + pub.versions.get(key, "")
        if head is not None and not head.withdrawn and head.version == version:
            continue  # the record its last event was computed from
        digest = decision_digest(record)
        if head is not None and not head.withdrawn and head.digest == digest:
            if head.seq > log.count_before:  # a bootstrap event, not in the ledger yet
                log.new[head.seq - log.count_before - 1].version = version
            else:
                log.versions.append((head.seq, version))
            continue
        kind = pub.why.get(key) or ("published" if head is None or head.withdrawn else "reformatted")
        day = today if kind != "published" or head is not None else record["first_published"]
        tonight_events.append((day, kind, key, digest, pub.changes.get(key) if kind == "corrected" else None,
                               version))
    for notice in site.notices:
        key, digest = notice["key"], notice_digest(notice)
        head = state.get(key)
        if head is not None and head.withdrawn and head.digest == digest:
            continue
        kind = "withdrawn" if head is None or not head.withdrawn or pub.why.get(key) == "withdrawn" else "reformatted"
        day = notice["taken_down"] if head is None or not head.withdrawn else today
        tonight_events.append((day, kind, key, digest, None, None))
    for day, kind, key, digest, fields, version in sorted(tonight_events, key=lambda ev: (ev[0], _RANK[ev[1]], ev[2])):
        write.add(day, kind, key, digest, fields, version)
    log.corrections += [e for e in log.new if e.event == "corrected"]
    if log.new:
        log.last_day = log.new[-1].day
    return log


# --- checking a log ---------------------------------------------------------

@dataclass
class Finding:
    line: int  # the first bad line (1-based); 0 when it is not about one line
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}" if self.line else self.message


def _parse(raw: str, n: int) -> dict | Finding:
    try:
        obj = json.loads(raw)
    except ValueError:
        return Finding(n, "不是有效的 JSON")
    if not isinstance(obj, dict) or list(obj) != list(FIELDS):
        return Finding(n, f"应恰好有 {', '.join(FIELDS)} 六项（按此顺序）")
    ok = (type(obj["seq"]) is int and isinstance(obj["date"], str) and _DAY.fullmatch(obj["date"])
          and obj["event"] in KINDS and isinstance(obj["key"], str) and "/" in obj["key"]
          and isinstance(obj["digest"], str) and _HEX64.fullmatch(obj["digest"])
          and isinstance(obj["prev"], str) and _HEX64.fullmatch(obj["prev"]))
    if not ok:
        return Finding(n, "某一项的值不合格式（seq 为整数，date 为 YYYY-MM-DD，event 为四种之一，digest 与 prev 为 64 位十六进制）")
    if make_line(**{("day" if k == "date" else k): v for k, v in obj.items()}) != raw:
        return Finding(n, "写法不是规范形式（键序、空格或转义被改动）")
    return obj


def check_chain(lines: list[str], anchor: tuple[int, str] | None = None) -> Finding | None:
    """The first bad line of a log (lines without newlines), or None.

    Each line's ``prev`` vouches for the line before it, so a changed line
    breaks the link after it (and, if its own ``prev`` changed, the link
    before it too); a removed or moved line shows in ``seq``. Nothing comes
    after the last line: ``anchor`` (count, hash of the last line, as the
    数据开放 page publishes them) vouches for it."""
    parsed, hashes = [], []
    for n, raw in enumerate(lines, 1):
        obj = _parse(raw, n)
        if isinstance(obj, Finding):
            return obj
        parsed.append(obj)
        hashes.append(line_hash(raw))

    def linked(n: int) -> bool:  # line n's prev is the hash of line n - 1
        return parsed[n - 1]["prev"] == (hashes[n - 2] if n > 1 else ZERO)

    last_ok = anchor is None or (anchor[0] == len(lines) and (not lines or anchor[1] == hashes[-1]))
    for n in range(1, len(lines) + 1):
        seq = parsed[n - 1]["seq"]
        if seq != n:
            return Finding(n, f"序号应为 {n}，实为 {seq}：这一行之前有行被删除、插入，或行的次序被调换")
        if not linked(n):
            if n == 1:
                return Finding(1, "第一行的 prev 应为 64 个 0：第一行被改动，或它之前原有的行被删除")
            if (not linked(n + 1)) if n < len(lines) else not last_ok:
                return Finding(n, "这一行被改动（它的 prev 与上一行的哈希不符，下一行的 prev 也与它不符）")
            return Finding(n - 1, f"这一行被改动（第 {n} 行的 prev 与这一行的哈希不符）")
    if not last_ok:
        count, head = anchor
        if count > len(lines):
            return Finding(len(lines) + 1, f"日志只有 {len(lines)} 行，公布的是 {count} 行：最后的行被删除")
        if count < len(lines):
            return Finding(count + 1, f"日志有 {len(lines)} 行，公布的是 {count} 行：第 {count} 行之后的行未经公布")
        return Finding(len(lines), "最后一行的哈希与数据开放页面公布的不符：最后一行被改动")
    return None


def check_records(lines: list[str], decisions: list[dict], notices: list[dict]) -> list[Finding]:
    """Every live decision (objects of decisions.json) and every withdrawal
    notice (of withdrawals.json) is what its key's last event states."""
    events = [Event(o["seq"], o["date"], o["event"], o["key"], o["digest"], "")
              for o in (json.loads(line) for line in lines)]
    state = heads(events)
    findings = []
    for obj in decisions:
        head = state.get(obj.get("key"))
        digest = sha256(canonical(obj))
        if head is None or head.withdrawn:
            findings.append(Finding(0, f"决定 {obj.get('key')} 正在公示，但日志中{'没有它' if head is None else '它最后是撤回'}"))
        elif head.digest != digest:
            findings.append(Finding(head.seq, f"决定 {obj.get('key')} 的公开记录与它在日志中最后一行的 digest 不符"))
    for obj in notices:
        head = state.get(obj.get("key"))
        if head is None or not head.withdrawn:
            findings.append(Finding(0, f"撤回说明 {obj.get('key')} 在日志中没有撤回记录"))
        elif head.digest != notice_digest(obj):
            findings.append(Finding(head.seq, f"撤回说明 {obj.get('key')} 与它在日志中最后一行的 digest 不符"))
    return sorted(findings, key=lambda f: (f.line == 0, f.line))
