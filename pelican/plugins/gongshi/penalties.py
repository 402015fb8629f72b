"""Types of 行政处罚 (《中华人民共和国行政处罚法》（2021）第九条) and their severity.

第九条 lists the types in six items, from the mildest to the harshest:
（一）警告、通报批评；（二）罚款、没收违法所得、没收非法财物；（三）暂扣许可证件、降低资质等级、
吊销许可证件；（四）限制开展生产经营活动、责令停产停业、责令关闭、限制从业；（五）行政拘留；
（六）法律、行政法规规定的其他行政处罚。

Severity rule used by the statistics ("counted once under the most severe
type"): the later a type is listed in items (一)–(五), the more severe it is,
also within an item; item (六) and any type that cannot be recognised are
counted as 其他行政处罚, ranked below all listed types (its severity is unknown,
so it never hides a known type). ``SEVERITY_ORDER`` is that ranking, most
severe first.
"""
from __future__ import annotations

import re

OTHER = "其他行政处罚"
SEVERITY_ORDER = (
    "行政拘留",
    "限制从业", "责令关闭", "责令停产停业", "限制开展生产经营活动",
    "吊销许可证件", "降低资质等级", "暂扣许可证件",
    "没收非法财物", "没收违法所得", "罚款",
    "通报批评", "警告",
    OTHER,
)
_RANK = {t: i for i, t in enumerate(SEVERITY_ORDER)}

# How a written type is recognised: the first rule whose keyword occurs in it wins.
_KEYWORDS = (
    ("拘留", "行政拘留"),
    ("从业", "限制从业"),
    ("关闭", "责令关闭"),
    ("停产", "责令停产停业"),
    ("停业", "责令停产停业"),
    ("限制开展生产经营", "限制开展生产经营活动"),
    ("限制生产经营", "限制开展生产经营活动"),
    ("吊销", "吊销许可证件"),
    ("降低资质", "降低资质等级"),
    ("暂扣", "暂扣许可证件"),
    ("没收非法财物", "没收非法财物"),
    ("没收财物", "没收非法财物"),
    ("没收违法所得", "没收违法所得"),
    ("罚款", "罚款"),
    ("通报批评", "通报批评"),
    ("警告", "警告"),
)
SEPARATORS = re.compile(r"[;；,，、/\n]")


def classify(written: str) -> str:
    """One written type (e.g. 吊销许可证) → its 第九条 type, or 其他行政处罚."""
    text = re.sub(r"\s+", "", written)
    return next((kind for keyword, kind in _KEYWORDS if keyword in text), OTHER)


def written_types(field: str | None) -> list[str]:
    """The types a 处罚类别 cell lists, as written (the one splitter: the
    decision's summary and the statistics read a cell alike)."""
    return [part for part in SEPARATORS.split(field or "") if part.strip()]


def penalty_types(field: str | None) -> list[str]:
    """The distinct 第九条 types a 处罚类别 cell names, in severity order
    (most severe first). The cell may list several types separated by
    ; ； , ， 、 or /. An empty cell counts as 其他行政处罚."""
    kinds = {classify(part) for part in written_types(field)}
    return sorted(kinds or {OTHER}, key=_RANK.__getitem__)


def most_severe(types: list[str]) -> str:
    return min(types, key=_RANK.__getitem__) if types else OTHER
