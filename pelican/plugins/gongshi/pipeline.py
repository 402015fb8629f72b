"""The one-way pipeline up to rendering: load → validate → takedowns → rules → public view.

``prepare`` returns a ``Site``: public records only, ready for templates,
open data and sitemap. Nothing after this point sees a private value.
"""
from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import public, rules
from .cache import NO_CACHE, Cache, DecisionFiles, PublicRecords
from .load import Dataset, decision_file, load_dataset
from .problems import Report
from .ledger import Entry
from .publication import Publication, plan, public_record
from .takedowns import EXPIRED, split_live
from .workdays import WorkCalendar, load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today_in_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


@dataclass
class Site:
    today: date
    decisions: list[dict]  # live, newest first
    entities: list[dict]
    staff: list[dict]
    checklists: list[dict]
    report: Report
    files: list[str] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)  # public withdrawal notices
    publication: Publication = field(default_factory=Publication)
    missing: list[str] = field(default_factory=list)  # published earlier, absent from the export
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    # Aggregation-safe projections for the yearbook (public.stats_*): every valid
    # decision, published or not, and every takedowns.csv row and expiry.
    stats_inputs: dict = field(default_factory=lambda: {"decisions": [], "takedowns": []})
    cache: Cache = NO_CACHE  # the build cache (gongshi.cache): charts use it
    by_rule: dict[str, str] = field(default_factory=dict)  # key → the publication rule keeping it off the site


def build_site(ds: Dataset, today: date, entries: dict[str, Entry] | None = None,
               calendar: WorkCalendar | None = None, settings: dict | None = None, records=public_record) -> Site:
    settings = settings or {}
    calendar = calendar or WorkCalendar()
    live, withdrawn = split_live(ds, today, settings.get("GONGSHI_DISCLOSURE_DAYS"))
    live, by_rule = rules.apply(live, withdrawn, rules.enabled(settings), today)
    # Every published free text of every kind goes through this one redactor.
    redact = public.Redactor(ds.people)
    pub = plan(ds, live, withdrawn, entries or {}, today, calendar, settings, records, redact)
    decisions = pub.decisions

    staff_count = Counter(s.entity_code for s in ds.staff)
    decision_count = Counter(d["agency_code"] for d in decisions)
    entities = [public.public_entity(e, staff_count[c], decision_count[c], redact) for c, e in ds.entities.items()]
    staff = [public.public_staff(s, ds.entities[s.entity_code], today, redact) for s in ds.staff]
    staff.sort(key=lambda s: (s["entity_name"], s["cert_no"]))
    checklists = [public.public_checklist(c, ds.entities, redact) for c in ds.checklists]
    missing = [k for k in pub.kept if k not in ds.held_keys]
    kept = set(pub.kept)
    stats_inputs = {
        "decisions": [public.stats_decision(d) for d in ds.decisions.values()]
        + [public.stats_record(r) for r in decisions if r["key"] in kept],
        "takedowns": [public.stats_takedown(t.reason, t.reason_date) for t in ds.takedowns]
        + [public.stats_takedown(EXPIRED, w.reason_date) for w in withdrawn.values() if w.reason == EXPIRED
           and w.source is None]
        # A rule withdraws a decision published before: counted the year it was withdrawn.
        + [public.stats_takedown(rules.REASON, date.fromisoformat(n["taken_down"]))
           for n in pub.notices if n["reason"] == rules.REASON],
    }
    return Site(today, decisions, entities, staff, checklists, ds.report, ds.files,
                pub.notices, pub, missing, calendar, stats_inputs, by_rule=by_rule)


def prepare(data_dir: Path | str, today: date, entries: dict[str, Entry] | None = None,
            settings: dict | None = None, cache: Cache = NO_CACHE) -> Site:
    """Load, validate and publish-filter the data folder. File-level problems
    are in ``site.report.fatal``; the caller must not build when there are any.
    With a ``cache`` (gongshi.cache), unchanged decision files are not read
    and validated again, nor their public records made again."""
    # Loading makes millions of long-lived objects and no reference cycles (a
    # collection afterwards finds none): the cycle collector would only walk
    # them again and again, a fifth of the time at 300 000 rows, more beyond.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _prepare(Path(data_dir), today, entries, settings, cache)
    finally:
        if enabled:
            gc.enable()


def _prepare(data_dir: Path, today: date, entries, settings, cache: Cache) -> Site:
    files = DecisionFiles(cache) if cache.folder is not None else None
    ds = load_dataset(Path(data_dir), today, files or decision_file)
    calendar = load_calendar(Path(data_dir), ds.report)
    if ds.report.fatal:
        return Site(today, [], [], [], [], ds.report, ds.files, cache=cache)
    if files is None:
        return build_site(ds, today, entries, calendar, settings)
    records = PublicRecords(cache, files, ds.entities, public_record)
    site = build_site(ds, today, entries, calendar, settings, records)
    records.save()
    site.cache = cache
    return site
