"""What tonight's build publishes, judged against the ledger: dates, corrections,
withdrawal notices, vanished decisions and the law's deadlines.

Pure: takes validated records, the ledger's entries and a working-day calendar;
returns public records with their dates, the withdrawal notices, the ledger
entries that change, and the facts the nightly report needs.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

from . import public
from .ledger import Entry, content_hash
from .load import Dataset, Decision
from .settings import DEFAULTS
from .takedowns import Withdrawal
from .workdays import WorkCalendar

OTHER_DEADLINE_DAYS = 20
TAKEDOWN_DEADLINE_DAYS = 3


@dataclass
class Timeliness:
    key: str
    category: str
    start: date  # decision date, or 原因发生日期 for a takedown
    due: date
    done: date  # first published, or taken down
    on_time: bool

    def as_dict(self) -> dict:
        return {"key": self.key, "category": self.category, "start": self.start.isoformat(),
                "due": self.due.isoformat(), "done": self.done.isoformat(), "on_time": self.on_time}


@dataclass
class Publication:
    decisions: list[dict] = field(default_factory=list)  # live public records, dated
    notices: list[dict] = field(default_factory=list)  # public withdrawal notices
    changed: list[Entry] = field(default_factory=list)  # ledger entries to write
    new: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    taken_down: list[str] = field(default_factory=list)  # withdrawn tonight
    kept: list[str] = field(default_factory=list)  # published earlier, missing or held tonight
    publication: list[Timeliness] = field(default_factory=list)  # every ever-published decision
    takedowns: list[Timeliness] = field(default_factory=list)  # every published takedowns.csv withdrawal
    # key → a digest of the live record's whole content (see ``version``), so
    # rendering can tell unchanged records apart without serialising them.
    versions: dict[str, str] = field(default_factory=dict)
    # Published earlier, live, its public record changed while its source did
    # not (a new version of this tool, an agency renamed): not a 更正.
    reformatted: list[str] = field(default_factory=list)
    # key → why its public record or notice changed tonight, for the public
    # log (publog.py): "published", "corrected", "reformatted" or "withdrawn".
    why: dict[str, str] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)  # corrected key → labels of the fields changed
    log: object = None  # tonight's public log (publog.Log), set before rendering

    @property
    def late(self) -> list[Timeliness]:
        return [t for t in self.publication + self.takedowns if not t.on_time]


def deadline_days(category: str, settings: dict | None = None) -> int:
    table = (settings or {}).get("GONGSHI_DEADLINE_DAYS") or DEFAULTS["GONGSHI_DEADLINE_DAYS"]
    return int(table.get(category, OTHER_DEADLINE_DAYS))


def version(content: str, record: dict) -> str:
    """A digest of the public record: its content hash (every field but the
    three dates the ledger assigns) and those three dates."""
    text = f"{content}\0{record['first_published']}\0{record['updated']}\0{record['corrected']}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def source_hash(d: Decision) -> str:
    """A digest of what the agency wrote in the decision's published columns
    (as validated), whatever this tool makes of them: a public record that
    changes while this stays the same changed by a new version of the tool
    (or a renamed agency), and is not a 更正."""
    columns = public.PUBLISHED.get(d.category) or public.PUBLISHED["其他"]
    payload = [d.category, d.target_type, d.agency_code, d.docno,
               [[cid, d.values.get(cid)] for cid, _ in columns]]
    text = json.dumps(payload, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def withdrawal_source(w: Withdrawal) -> str:
    """``source_hash`` of a withdrawal notice: its reason, date and note as written."""
    text = f"{w.reason}\0{w.reason_date.isoformat()}\0{w.note}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def public_record(d: Decision, entity) -> tuple[dict, str, str]:
    """A decision's public record (its dates still to be set), content hash and source hash."""
    record = public.public_decision(d, entity, d.decision_date, d.decision_date)
    return record, content_hash(record), source_hash(d)


_UNIT = re.compile(r"（[^（）]*）$")


def changed_labels(old: dict, new: dict) -> list[str]:
    """The public fields a correction changed, as a citizen reads them
    (处罚内容, 罚款金额 …): the labels of ``fields`` whose text differs,
    units dropped; in the new record's order, then fields that disappeared."""
    before = {label: text for label, text in old.get("fields") or []}
    after = {label: text for label, text in new.get("fields") or []}
    labels = [label for label in dict.fromkeys([*after, *before]) if before.get(label) != after.get(label)]
    if old.get("category") != new.get("category") and "执法类别" not in labels:
        labels.insert(0, "执法类别")
    return list(dict.fromkeys(_UNIT.sub("", label) for label in labels))


def redacted(redact: public.Redactor, record: dict, digest: str) -> tuple[dict, str]:
    """A public record with every known person's name masked (``Redactor.decision``),
    and its content hash: the same one when masking changed nothing."""
    masked = redact.decision(record)
    return (record, digest) if masked is record else (masked, content_hash(masked))


class _Planner:
    """Tonight's ``Publication``, made one decision at a time against the ledger's entries."""

    def __init__(self, ds: Dataset, entries: dict[str, Entry], today: date, calendar: WorkCalendar,
                 settings: dict | None, redact: public.Redactor):
        self.ds, self.entries, self.today, self.calendar = ds, entries, today, calendar
        self.settings, self.redact = settings, redact
        self.out = Publication()

    def due(self, decided: date, category: str) -> date:
        """The last working day to publish a decision on."""
        return self.calendar.add_workdays(decided, deadline_days(category, self.settings))

    def publish(self, key: str, d: Decision, records) -> None:
        """A live decision: new, a withdrawal lifted, corrected, reformatted or as before."""
        out, today = self.out, self.today
        record, digest, source = records(d, self.ds.entities[d.agency_code])
        record, digest = redacted(self.redact, record, digest)  # (a name masked tonight: reformatted, not a 更正)
        old = self.entries.get(key)
        first = d.values.get("published_date") or (old.first_published if old else today)
        corrected = old.last_corrected if old else None
        if old is None or old.taken_down is not None:  # new, or a withdrawal lifted
            out.why[key] = "published"
            if old is None:
                out.new.append(key)
        elif old.content_hash != digest:
            if old.source_hash is not None and old.source_hash == source:
                out.why[key] = "reformatted"
                out.reformatted.append(key)
            else:  # (a ledger of an earlier version knows no source: as before, a correction)
                corrected = today
                out.corrected.append(key)
                out.why[key] = "corrected"
                out.changes[key] = changed_labels(old.public_record, record)
        record.update(first_published=first.isoformat(), updated=(corrected or first).isoformat(),
                      corrected=corrected.isoformat() if corrected else "")
        entry = Entry(key, first, digest, corrected, None, None, record, source_hash=source)
        if entry != old:
            out.changed.append(entry)
        out.decisions.append(record)
        out.versions[key] = version(digest, record)
        due = self.due(d.decision_date, d.category)
        out.publication.append(Timeliness(key, d.category, d.decision_date, due, first, first <= due))

    def withdraw(self, key: str, w: Withdrawal) -> None:
        """A withdrawn decision: its notice, if it was ever published."""
        out, today = self.out, self.today
        d, old = self.ds.decisions[key], self.entries.get(key)
        first = d.values.get("published_date") or (old.first_published if old else None)
        if first is None:
            return  # never published: it never appears, not even as a notice
        taken_down = old.taken_down if old and old.taken_down else today
        if taken_down == today and not (old and old.taken_down):
            out.taken_down.append(key)
        source = withdrawal_source(w)
        if not (old and old.taken_down and old.source_hash in (source, None)):
            out.why[key] = "withdrawn"  # withdrawn tonight, or its notice rewritten by the agency
        notice = public.public_withdrawal(d, self.ds.entities[d.agency_code], w, taken_down, self.redact)
        out.notices.append(notice)
        entry = Entry(key, first, old.content_hash if old else "", old.last_corrected if old else None,
                      taken_down, w.reason, old.record if old else {}, old.source if old else None, source, notice)
        if entry != old:
            out.changed.append(entry)
        due = self.due(d.decision_date, d.category)
        out.publication.append(Timeliness(key, d.category, d.decision_date, due, first, first <= due))
        if w.source is not None:  # a takedowns.csv row; an expiry is withdrawn by the build itself
            t_due = self.calendar.add_workdays(w.reason_date, TAKEDOWN_DEADLINE_DAYS)
            out.takedowns.append(Timeliness(key, d.category, w.reason_date, t_due, taken_down, taken_down <= t_due))

    def keep_absent(self, live: dict[str, Decision], withdrawn: dict[str, Withdrawal]) -> None:
        """What the ledger holds and tonight's export does not."""
        out = self.out
        # Published earlier, absent tonight (row held back, or missing from the
        # export) and not withdrawn: the last good version stays published.
        for key, old in self.entries.items():
            if old.taken_down is None and key not in live and key not in withdrawn and old.public_record:
                rec, digest = redacted(self.redact, old.public_record, old.content_hash)
                out.kept.append(key)
                out.decisions.append(rec)
                out.versions[key] = version(digest, rec)
                decided = date.fromisoformat(rec["decision_date"])
                due = self.due(decided, rec["category"])
                out.publication.append(Timeliness(key, rec["category"], decided, due, old.first_published,
                                                  old.first_published <= due))
        # Withdrawn earlier, and neither its row nor its takedowns.csv line is in the
        # export any more: its notice stays as published (nothing is lost), names
        # known tonight masked in its note.
        for key, old in self.entries.items():
            if old.taken_down is not None and old.notice and key not in live and key not in withdrawn:
                out.notices.append({**old.notice, "note": self.redact(old.notice.get("note", ""))})


def plan(ds: Dataset, live: dict[str, Decision], withdrawn: dict[str, Withdrawal], entries: dict[str, Entry],
         today: date, calendar: WorkCalendar, settings: dict | None = None, records=public_record,
         redact: public.Redactor = public.NUMBERS_ONLY) -> Publication:
    """``records`` is ``public_record`` or a cached equivalent (gongshi.cache);
    ``redact`` masks the names the whole dataset knows (a pass after the
    per-file work, so a new name does not make every record again)."""
    planner = _Planner(ds, entries, today, calendar, settings, redact)
    for key, d in live.items():
        planner.publish(key, d, records)
    for key, w in withdrawn.items():
        planner.withdraw(key, w)
    planner.keep_absent(live, withdrawn)
    out = planner.out
    out.decisions.sort(key=lambda r: (r["decision_date"], r["key"]), reverse=True)
    out.notices.sort(key=lambda n: (n["taken_down"], n["key"]), reverse=True)
    return out
