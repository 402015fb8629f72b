"""The one boundary between validated records and everything that is published.

Only the functions here read a record's private values. They return plain
dicts holding whitelisted, redacted fields; templates, lists, open data,
sitemap (and later feeds, search, statistics) receive nothing else.

Redaction rules (DATA-CONTRACT §1):
- natural persons' names are masked (compound surnames kept whole), here and
  wherever the full name occurs in the record's free text;
- ID-card, mobile and bank-card numbers are scrubbed from every free-text field;
- never-published columns (证件号码, 证件类型, 备注, 数据来源单位, unknown columns …)
  are simply not on the whitelist.
"""
from __future__ import annotations

import re
from datetime import date

from . import urls
from .load import Checklist, Decision, Entity, StaffMember
from .penalties import penalty_types
from .values import format_amount

# Two-character surnames (复姓) kept whole when masking.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 钟离 "
    "闻人 南宫 独孤 澹台 公冶 太史 申屠 端木 百里 呼延 万俟 拓跋 赫连 西门 东郭 第五 "
    "左丘 濮阳 淳于 单于 仲孙 宗政 公羊 梁丘 谷梁 乐正 羊舌 微生 公西 漆雕 壤驷 段干".split()
)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
# ID cards (15/18 digits) and bank cards (16–19 digits): any run of 15+ digits,
# also written in groups separated by spaces or hyphens. Only a further digit
# ends a non-match: a letter right after the number (…123X号, …1237x) does not.
_LONG_DIGITS = re.compile(
    r"(?<!\d)(?:\d{15,}[Xx]?|\d{6}[ -]\d{8}[ -]\d{3}[\dXx]|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?!\d)"
)
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
ID_REDACTED = "［证件号码已隐去］"
MOBILE_REDACTED = "［手机号码已隐去］"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**; non-Chinese names keep their first letter."""
    name = name.strip()
    if not name:
        return ""
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    if len(name) == 1:
        return "*"
    return name[:keep] + "".join(c if c in " ·•." else "*" for c in name[keep:])


def scrub_text(text: str, names: tuple[str, ...] = ()) -> str:
    """Remove ID/bank-card and mobile numbers, and mask the given full names."""
    if not text:
        return ""
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _LONG_DIGITS.sub(ID_REDACTED, text)
    text = _MOBILE.sub(MOBILE_REDACTED, text)
    for name in names:
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else ""


# Published fields per decision format: (column id, label). Order = display order.
_TARGET = [("target_name", None), ("target_type", None), ("code_1", "统一社会信用代码"), ("legal_rep", "法定代表人")]
PUBLISHED = {
    "行政处罚": _TARGET + [
        ("docno", "行政处罚决定书文号"), ("violation_type", "违法行为类型"), ("facts", "违法事实"),
        ("basis", "处罚依据"), ("penalty_type", "处罚类别"), ("content", "处罚内容"),
        ("fine_wan", "罚款金额（万元）"), ("confiscation_wan", "没收违法所得、没收非法财物的金额（万元）"),
        ("license_action", "暂扣或吊销证照名称及编号"), ("decision_date", "处罚决定日期"),
        ("penalty_valid_until", "处罚有效期"), ("deadline", "公示截止期"),
        ("agency_name", "处罚机关"), ("agency_code", "处罚机关统一社会信用代码"),
    ],
    "行政许可": _TARGET + [
        ("docno", "行政许可决定文书号"), ("license_type", "许可类别"), ("content", "许可内容"),
        ("decision_date", "许可决定日期"), ("valid_from", "有效期自"), ("valid_to", "有效期至"),
        ("deadline", "公示截止期"), ("agency_name", "许可机关"), ("agency_code", "许可机关统一社会信用代码"),
    ],
    "其他": [("category", "执法类别"), ("docno", "决定文书号"), ("agency_name", "执法机关"),
             ("agency_code", "执法机关统一社会信用代码")] + _TARGET + [
        ("basis", "执法依据"), ("content", "执法结论"), ("decision_date", "决定日期"), ("deadline", "公示截止期"),
    ],
}
_TARGET_LABELS = {"行政处罚": "行政相对人", "行政许可": "行政相对人", "其他": "执法对象"}
_NOT_FOR_NATURAL = {"code_1", "legal_rep"}
_CODES = {"code_1", "agency_code"}
# Fields that are not free text, so not scrubbed: codes, dates, amounts, the target
# name (masked on its own) and the 文书号, an identifier (part of the key and URL):
# an 18-digit 许可编号 used as 文书号 must not become "［证件号码已隐去］".
_UNSCRUBBED = _CODES | {"docno", "decision_date", "penalty_valid_until", "deadline", "valid_from", "valid_to",
                        "fine_wan", "confiscation_wan", "target_name"}


def _format_key(category: str) -> str:
    return category if category in ("行政处罚", "行政许可") else "其他"


def public_decision(d: Decision, entity: Entity, first_published: date, updated: date) -> dict:
    fmt = _format_key(d.category)
    natural = d.target_type == "自然人"
    raw_name = str(d.values.get("target_name") or "")
    names = (raw_name,) if natural else ()
    target_name = mask_name(raw_name) if natural else scrub_text(raw_name)
    out_fields = []
    public_values: dict[str, str] = {}
    for cid, label in PUBLISHED[fmt]:
        if cid in _NOT_FOR_NATURAL and natural:
            continue
        if label is None:
            label = _TARGET_LABELS[fmt] + ("名称" if cid == "target_name" else "类别")
        value = d.values.get(cid)
        if cid == "target_name":
            text = target_name
        elif cid == "agency_name":
            text = entity.name  # the registered name, not the export's spelling
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, float):
            text = format_amount(value)
        elif cid in _UNSCRUBBED:
            text = str(value or "")
        else:
            text = scrub_text(str(value or ""), names)
        public_values[cid] = text
        if text:
            out_fields.append((label, text))  # a tuple: 2 million of them at 100k
    docno = public_values["docno"]
    outcome = public_values.get("content", "")
    if fmt == "行政处罚":
        summary = "、".join(t for t in re.split(r"[;；,，、]", public_values.get("penalty_type", "")) if t.strip())
        if d.values.get("fine_wan"):
            summary += f"（罚款金额 {format_amount(d.values['fine_wan'])} 万元）"
    else:
        summary = outcome if len(outcome) <= 60 else outcome[:59] + "…"
    return {
        "key": f"{d.agency_code}/{docno}",
        "url": urls.decision_url(d.agency_code, d.docno),
        "category": d.category,
        "category_url": urls.category_url(d.category),
        "docno": docno,
        "agency_code": d.agency_code,
        "agency_name": entity.name,
        "agency_url": urls.entity_url(entity.code),
        "target_name": target_name,
        "target_type": d.target_type,
        "target_code": "" if natural else public_values.get("code_1", ""),
        "decision_date": d.decision_date.isoformat(),
        "year": d.decision_date.year,
        "deadline": _iso(d.values.get("deadline")),
        "first_published": first_published.isoformat(),
        "updated": updated.isoformat(),
        "outcome": outcome,
        "summary": summary,
        "fine_wan": d.values.get("fine_wan") if fmt == "行政处罚" else None,
        "confiscation_wan": d.values.get("confiscation_wan") if fmt == "行政处罚" else None,
        "fields": out_fields,
    }


_ENTITY_FIELDS = [("name", "主体名称"), ("code", "统一社会信用代码"), ("type", "主体类别"),
                  ("parent", "上级主管部门"), ("duties", "法定职责"), ("basis", "执法依据"),
                  ("area", "执法区域"), ("address", "办公地址"), ("phone", "联系电话"), ("website", "网址")]
_REMEDY_FIELDS = [("review_body", "行政复议机关"), ("court", "行政诉讼管辖法院"), ("complaint_phone", "投诉举报电话")]


def public_entity(e: Entity, staff_count: int = 0, decision_count: int = 0) -> dict:
    """Entities are public offices: every contract column is published as is."""
    values = {**e.values, "name": e.name, "code": e.code, "type": e.type}
    return {
        "code": e.code,
        "name": e.name,
        "type": e.type,
        "url": urls.entity_url(e.code),
        "fields": [[label, values[cid]] for cid, label in _ENTITY_FIELDS if values.get(cid)],
        "remedies": [[label, values[cid]] for cid, label in _REMEDY_FIELDS if values.get(cid)],
        "staff_count": staff_count,
        "decision_count": decision_count,
        **{cid: values.get(cid, "") for cid, _ in _ENTITY_FIELDS[3:] + _REMEDY_FIELDS},
    }


_STATUS_CLASS = {"有效": "valid", "暂扣": "suspended", "注销": "cancelled", "已过期": "expired"}


def public_staff(s: StaffMember, entity: Entity, today: date) -> dict:
    status = "已过期" if s.valid_until and s.valid_until < today else s.status
    return {
        "name": s.name,
        "cert_no": s.cert_no,
        "entity_code": entity.code,
        "entity_name": entity.name,
        "entity_url": urls.entity_url(entity.code),
        "category": s.values.get("category", ""),
        "area": s.values.get("area", ""),
        "valid_until": _iso(s.valid_until),
        "status": status,
        "status_class": _STATUS_CLASS[status],
    }


def public_checklist(c: Checklist, entities: dict[str, Entity]) -> dict:
    rows = []
    for cells, code in c.rows:
        entity = entities.get(code) if code else None
        rows.append({
            "cells": [scrub_text(cell) for cell in cells],
            "entity_code": entity.code if entity else "",
            "entity_name": entity.name if entity else "",
            "entity_url": urls.entity_url(entity.code) if entity else "",
            # what its 所属主体 (or 适用部门 …) cell names, for the per-subject pages
            "subject": entity.name if entity else (
                scrub_text(cells[c.subject_col]).strip() if c.subject_col is not None and c.subject_col < len(cells)
                else ""),
        })
    return {
        "title": c.title,
        "url": urls.checklist_url(c.title),
        "columns": list(c.headers),
        "rows": rows,
        "row_count": len(rows),
        "has_subject": c.subject_col is not None,
    }


def public_withdrawal(d: Decision, entity: Entity, w, taken_down: date) -> dict:
    """A withdrawal notice (撤回说明): 文书号, agency, date and the public reason —
    never the target, the facts or the content (行政处罚法 第四十八条)."""
    names = (str(d.values.get("target_name") or ""),) if d.target_type == "自然人" else ()
    return {
        "key": f"{d.agency_code}/{d.docno}",
        "url": urls.decision_url(d.agency_code, d.docno),
        "docno": d.docno,
        "category": d.category,
        "agency_code": entity.code,
        "agency_name": entity.name,
        "agency_url": urls.entity_url(entity.code),
        "taken_down": taken_down.isoformat(),
        "reason": w.reason,
        "note": scrub_text(w.note, names),
    }


# --- Statistics (gongshi.stats): aggregation-safe projections ---------------
# The yearbook counts every valid decision, published or not, so it needs the
# dataset; these projections hold only what is counted: category, agency,
# date, target type, 第九条 penalty types, amounts and 许可类别. Never the target's
# name or code, the 文书号, or any free text.

# 许可类别 of the national 双公示 template; anything else counts as 其他, so no free
# text of a (possibly taken-down) decision reaches the statistics.
LICENSE_TYPES = ("普通", "特许", "认可", "核准", "登记", "其他")


def _license_type(written) -> str:
    text = re.sub(r"\s+", "", str(written or ""))
    return next((t for t in LICENSE_TYPES if t in text), "其他")


def _stats_projection(category: str, agency_code: str, decided: str, target_type: str, penalty_field,
                      fine, confiscation, license_type) -> dict:
    fmt = _format_key(category)
    return {
        "category": category,
        "agency_code": agency_code,
        "decision_date": decided,
        "year": int(decided[:4]),
        "month": int(decided[5:7]),
        "target_type": target_type,
        "penalty_types": penalty_types(penalty_field) if fmt == "行政处罚" else [],
        "fine_wan": float(fine or 0) if fmt == "行政处罚" else 0.0,
        "confiscation_wan": float(confiscation or 0) if fmt == "行政处罚" else 0.0,
        "license_type": _license_type(license_type) if fmt == "行政许可" else "",
    }


def stats_decision(d: Decision) -> dict:
    """A validated decision, for counting."""
    return _stats_projection(d.category, d.agency_code, d.decision_date.isoformat(), d.target_type,
                             d.values.get("penalty_type"), d.values.get("fine_wan"),
                             d.values.get("confiscation_wan"), d.values.get("license_type"))


def stats_record(record: dict) -> dict:
    """A public record kept from the ledger (published earlier, its row held
    back or missing tonight), for counting like a validated decision."""
    fields = dict(record.get("fields") or [])
    return _stats_projection(record["category"], record["agency_code"], record["decision_date"],
                             record.get("target_type", ""), fields.get("处罚类别"), record.get("fine_wan"),
                             record.get("confiscation_wan"), fields.get("许可类别"))


def stats_takedown(reason: str, when: date) -> dict:
    """A takedowns.csv row or an expiry, for counting: reason and date only."""
    return {"reason": reason, "date": when.isoformat(), "year": when.year}
