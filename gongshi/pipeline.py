"""The one-way pipeline up to rendering: load → validate → takedowns → public view.

``prepare`` returns a ``Site``: public records only, ready for templates,
open data and sitemap. Nothing after this point sees a private value.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import public
from .load import Dataset, load_dataset
from .problems import Report
from .takedowns import Withdrawal, split_live

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
    withdrawn: dict[str, Withdrawal] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _newest_first(d: dict):
    return (d["decision_date"], d["key"])


def build_site(ds: Dataset, today: date) -> Site:
    live, withdrawn = split_live(ds, today)
    decisions = []
    for d in live.values():
        first = d.values.get("published_date") or today
        decisions.append(public.public_decision(d, ds.entities[d.agency_code], first, first))
    decisions.sort(key=_newest_first, reverse=True)

    staff_count = Counter(s.entity_code for s in ds.staff)
    decision_count = Counter(d["agency_code"] for d in decisions)
    entities = [public.public_entity(e, staff_count[c], decision_count[c]) for c, e in ds.entities.items()]
    staff = [public.public_staff(s, ds.entities[s.entity_code], today) for s in ds.staff]
    staff.sort(key=lambda s: (s["entity_name"], s["cert_no"]))
    checklists = [public.public_checklist(c, ds.entities) for c in ds.checklists]
    return Site(today, decisions, entities, staff, checklists, ds.report, withdrawn, ds.files)


def prepare(data_dir: Path | str, today: date) -> Site:
    """Load, validate and publish-filter the data folder. File-level problems
    are in ``site.report.fatal``; the caller must not build when there are any."""
    ds = load_dataset(Path(data_dir), today)
    if ds.report.fatal:
        return Site(today, [], [], [], [], ds.report, {}, ds.files)
    return build_site(ds, today)
