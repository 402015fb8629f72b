"""Which validated decisions are live tonight, and which are withdrawn.

A decision is withdrawn when takedowns.csv names it, or when its 公示截止期 is
before the build date (a 公示截止期 equal to the build date is still live).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .load import Dataset, Decision


@dataclass(frozen=True)
class Withdrawal:
    key: str
    reason: str  # one of schema.TAKEDOWN_REASONS
    reason_date: date
    note: str
    source: tuple[str, int] | None  # the takedowns.csv row, None for an expiry


def split_live(ds: Dataset, today: date) -> tuple[dict[str, Decision], dict[str, Withdrawal]]:
    withdrawn: dict[str, Withdrawal] = {}
    for t in ds.takedowns:
        if t.decision_key in ds.decisions and t.decision_key not in withdrawn:
            withdrawn[t.decision_key] = Withdrawal(t.decision_key, t.reason, t.reason_date, t.note, t.source)
    for key, d in ds.decisions.items():
        deadline = d.values.get("deadline")
        if key not in withdrawn and deadline is not None and deadline < today:
            withdrawn[key] = Withdrawal(key, "公示期满", deadline, "", None)
    live = {k: d for k, d in ds.decisions.items() if k not in withdrawn}
    return live, withdrawn
