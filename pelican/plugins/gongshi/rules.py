"""Publication rules: which valid decisions are not published at all.

A decision under a rule is valid and counts in the yearbook (stats count every
valid decision) but reaches no surface. One published before a rule applied to
it is withdrawn like an expiry (a ``Withdrawal`` without a takedowns.csv row),
with the rule as its public reason. Each rule can be switched off with
``GONGSHI_PUBLICATION_RULES`` (e.g. ``{"简易程序": False}``).

Default rules, after 《市场监督管理行政处罚信息公示规定》(2021) 第二条 (only
penalties decided by 普通程序 are publicised; 仅受到警告行政处罚的不予公示) and the
national credit-repair rules (简易程序 and 警告/通报批评-only penalties are minor
and not publicised in principle):

- 简易程序: a 行政处罚 whose 案件程序类别 names 简易程序 (当场作出);
- 仅警告或通报批评: a 行政处罚 whose 处罚类别 names only 警告 and/or 通报批评
  (``penalties.penalty_types``) and which carries no fine or confiscation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from .failures import SettingsError
from .load import Decision
from .penalties import penalty_types
from .settings import DEFAULTS
from .takedowns import Withdrawal

REASON = "按公示规则不公开"  # the withdrawal reason, the report's kind and the yearbook's row
_MINOR = {"警告", "通报批评"}


class RulesSettingError(SettingsError):
    """GONGSHI_PUBLICATION_RULES names a rule that does not exist, or is not a dict of booleans."""


def _simple_procedure(d: Decision) -> bool:
    return "简易" in re.sub(r"\s+", "", str(d.values.get("procedure") or ""))


def _warning_only(d: Decision) -> bool:
    paid = any(float(d.values.get(cid) or 0) > 0 for cid in ("fine_wan", "confiscation_wan"))
    return not paid and set(penalty_types(d.values.get("penalty_type"))) <= _MINOR


@dataclass(frozen=True)
class Rule:
    name: str  # the key in GONGSHI_PUBLICATION_RULES
    note: str  # shown on the withdrawal notice of a decision published before
    applies: Callable[[Decision], bool]  # called for 行政处罚 decisions only


RULES = (
    Rule("简易程序", "本决定适用简易程序作出。参照《市场监督管理行政处罚信息公示规定》第二条"
         "（对适用普通程序作出的行政处罚决定予以公示），本站不公示适用简易程序作出的行政处罚决定。", _simple_procedure),
    Rule("仅警告或通报批评", "本决定仅给予警告或通报批评。参照《市场监督管理行政处罚信息公示规定》第二条"
         "（仅受到警告行政处罚的不予公示），本站不公示仅给予警告或通报批评的行政处罚决定。", _warning_only),
)
DEFAULT = DEFAULTS["GONGSHI_PUBLICATION_RULES"]
assert set(DEFAULT) == {r.name for r in RULES}


def enabled(settings: dict | None) -> list[Rule]:
    """The rules switched on by GONGSHI_PUBLICATION_RULES (default: all)."""
    chosen = (settings or {}).get("GONGSHI_PUBLICATION_RULES")
    chosen = DEFAULT if chosen is None else chosen
    if not isinstance(chosen, dict):
        raise RulesSettingError("设置 GONGSHI_PUBLICATION_RULES 应写成字典，例如 {\"简易程序\": False}")
    names = {r.name for r in RULES}
    for name, on in chosen.items():
        if name not in names:
            raise RulesSettingError(f"设置 GONGSHI_PUBLICATION_RULES 中的“{name}”不是公示规则；"
                                    f"可用的规则：{'、'.join(sorted(names))}")
        if not isinstance(on, bool):
            raise RulesSettingError(f"设置 GONGSHI_PUBLICATION_RULES 中“{name}”的值应为 True 或 False")
    return [r for r in RULES if {**DEFAULT, **chosen}[r.name]]


def apply(live: dict[str, Decision], withdrawn: dict[str, Withdrawal], rules: list[Rule], today: date
          ) -> tuple[dict[str, Decision], dict[str, str]]:
    """Take the decisions under a rule out of ``live`` and into ``withdrawn``
    (publication.plan then withdraws those published before and never shows the
    others). Returns the live decisions left and key → rule name."""
    held: dict[str, str] = {}
    for key, d in live.items():
        rule = next((r for r in rules if d.category == "行政处罚" and r.applies(d)), None)
        if rule is not None:
            held[key] = rule.name
            withdrawn[key] = Withdrawal(key, REASON, today, rule.note, None)
    return {k: d for k, d in live.items() if k not in held}, held
