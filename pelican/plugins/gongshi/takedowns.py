"""Which validated decisions are live tonight, and which are withdrawn.

A decision is withdrawn when takedowns.csv names it, or when its 公示截止期 is
before the build date (a 公示截止期 equal to the build date is still live);
the publication rules (rules.py) withdraw more, the same way as an expiry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .load import Dataset, Decision


@dataclass(frozen=True)
class Withdrawal:
    key: str
    reason: str  # one of schema.TAKEDOWN_REASONS
    reason_date: date
    note: str
    source: tuple[str, int] | None  # the takedowns.csv row; None when the build withdraws it (expiry, rule)


EXPIRED = "公示期满"  # the reason of an expiry


# Default disclosure periods (days after the decision date) when a row has no
# 公示截止期; None = no expiry. 行政处罚: the longest period of the credit rules
# (《失信行为纠正后的信用信息修复管理办法（试行）》: at most 3 years), so nothing is
# withdrawn earlier than the law allows; agencies shorten it per row or by a
# takedowns.csv row (信用修复). Overridable per category: GONGSHI_DISCLOSURE_DAYS.
DEFAULT_DISCLOSURE_DAYS = {"行政处罚": 3 * 365, "行政许可": None, "行政强制": 3 * 365, "行政检查": 3 * 365,
                           "行政征收征用": 3 * 365, "行政确认": None, "其他": 3 * 365}


def disclosure_end(d: Decision, periods: dict | None = None) -> date | None:
    """The last day a decision is public: its 公示截止期, else the default period."""
    if d.values.get("deadline") is not None:
        return d.values["deadline"]
    days = {**DEFAULT_DISCLOSURE_DAYS, **(periods or {})}.get(d.category)
    return d.decision_date + timedelta(days=days) if days else None


def split_live(ds: Dataset, today: date, periods: dict | None = None
               ) -> tuple[dict[str, Decision], dict[str, Withdrawal]]:
    withdrawn: dict[str, Withdrawal] = {}
    for t in ds.takedowns:
        if t.decision_key in ds.decisions and t.decision_key not in withdrawn:
            withdrawn[t.decision_key] = Withdrawal(t.decision_key, t.reason, t.reason_date, t.note, t.source)
    for key, d in ds.decisions.items():
        deadline = disclosure_end(d, periods)
        if key not in withdrawn and deadline is not None and deadline < today:
            withdrawn[key] = Withdrawal(key, EXPIRED, deadline, "", None)
    live = {k: d for k, d in ds.decisions.items() if k not in withdrawn}
    return live, withdrawn
