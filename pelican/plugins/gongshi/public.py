"""The one boundary between validated records and everything that is published.

Only the functions here read a record's private values. They return plain
dicts holding whitelisted, redacted fields; templates, lists, open data,
sitemap (and later feeds, search, statistics) receive nothing else.

Redaction rules (DATA-CONTRACT §1, docs/redaction.md and docs/site.md 公开什么):
- natural persons' names are masked (compound surnames kept whole): a target's
  own name where it is shown, and every natural-person target's full name known
  to the dataset wherever it occurs in any published free text (``Redactor``);
- ID-card, mobile and bank-card numbers, however grouped, are scrubbed from
  every free-text field of every record kind: decisions, staff, checklists,
  withdrawal notes, entities' text other than their contact channels;
- never-published columns (证件号码, 证件类型, 备注, 数据来源单位, unknown columns,
  checklist columns naming personal data …) are simply not on the whitelist.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

import ahocorasick

from . import urls
from .load import Checklist, Decision, Entity, StaffMember
from .penalties import penalty_types, written_types
from .schema import fold_header
from .values import NO_END_DATE, format_amount, format_end_date

# Two-character surnames (复姓) kept whole when masking.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 钟离 "
    "闻人 南宫 独孤 澹台 公冶 太史 申屠 端木 百里 呼延 万俟 拓跋 赫连 西门 东郭 第五 "
    "左丘 濮阳 淳于 单于 仲孙 宗政 公羊 梁丘 谷梁 乐正 羊舌 微生 公西 漆雕 壤驷 段干".split()
)

# --- Numbers ------------------------------------------------------------------
# An ID card (15 or 18 characters, the last may be X), a bank card (16–19 digits)
# or a mobile (11 digits 1[3-9]…, with 0 / 86 / 0086 / +86 before it) is hidden
# however its digits are grouped. Digit groups joined by one to three separators
# (spaces, . - / \ _ ·, their full-width, dash and invisible variants) form a
# run; any consecutive groups of a run that together make such a number are
# hidden, with what lies between them. A run made of dates only (2024-03-05,
# 2024.03.05-2029.03.04, 20240305 20290304) is left alone. Not separators:
# commas, 、，。：, brackets, letters and line breaks (1,200.50 stays as it is).
# docs/site.md 公开什么 states these rules for users; tests/test_public.py proves them.
_SEPARATORS = ("\t \u00a0\u1680\u2000-\u200d\u2060\u202f\u205f\u3000\ufeff"
               "./\\\\_\u00b7\u30fb\u2010-\u2015\u2212\ufe63\\-")
# Full-width digits, X, plus and separators read as their ASCII forms (for
# matching only: one character for one, so positions in the text are kept).
_NORMALISE = str.maketrans("０１２３４５６７８９Ｘｘ＋．／＼－＿", "0123456789Xx+./\\-_")
_RUN = re.compile(f"\\d+(?:[{_SEPARATORS}]{{1,3}}\\d+)*")
_GROUP = re.compile(r"\d+")
_MOBILE = re.compile(r"(?:0086|86|0)?1[3-9]\d{9}")
ID_REDACTED = "［证件号码已隐去］"
MOBILE_REDACTED = "［手机号码已隐去］"


def _number_kind(digits: str) -> str | None:
    if _MOBILE.fullmatch(digits):
        return MOBILE_REDACTED
    return ID_REDACTED if len(digits) >= 15 else None


def _is_date(year: str, month: str, day: str) -> bool:
    return 1900 <= int(year) <= 2099 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


# A landline: a Chinese area code (010, 02x, 03xx–09xx; 013… is a mobile with 0
# before it, never an area code), then a 7–8 digit number.
_LANDLINE = (re.compile(r"0(?:10|2\d|[3-9]\d\d)"), re.compile(r"[2-8]\d{6,7}"))


def _ordinary_groups(groups: list[str]) -> set[int]:
    """The groups of a run that read, left to right, as dates (YYYYMMDD, or
    YYYY M D) or as a landline number (area code 0xx(x), then 7–8 digits)."""
    found, i = set(), 0
    while i < len(groups):
        g = groups[i]
        if len(g) == 8 and _is_date(g[:4], g[4:6], g[6:]):
            found.add(i)
            i += 1
        elif (i + 2 < len(groups) and len(g) == 4 and 0 < len(groups[i + 1]) <= 2
              and 0 < len(groups[i + 2]) <= 2 and _is_date(g, groups[i + 1], groups[i + 2])):
            found.update((i, i + 1, i + 2))
            i += 3
        elif i + 1 < len(groups) and _LANDLINE[0].fullmatch(g) and _LANDLINE[1].fullmatch(groups[i + 1]):
            found.update((i, i + 1))
            i += 2
        else:
            i += 1
    return found


def _run_numbers(groups: list[str], ordinary: set[int]) -> list[tuple[int, int, str]]:
    """(first group, last group, replacement) of the numbers in one run: the
    union of the spans of consecutive groups that make a number. A span that
    is a shorter one plus ordinary groups (dates, landlines) before or after it
    is not counted: a date or an office's phone next to a mobile stays."""
    hits: list[tuple[int, int, str]] = []
    for i in range(len(groups)):
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j]
            if len(digits) > 19:  # longer than any number, unless one group alone
                if i == j:
                    hits.append((i, j, ID_REDACTED))
                break
            kind = _number_kind(digits)
            if kind:
                hits.append((i, j, kind))
    hits = [(i, j, kind) for i, j, kind in hits if not any(
        (a, b) != (i, j) and i <= a and b <= j and all(k in ordinary for k in range(i, j + 1) if not a <= k <= b)
        for a, b, _ in hits)]
    merged: list[list] = []
    for i, j, kind in sorted(hits):
        if merged and i <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], j)
            if kind != merged[-1][2]:
                merged[-1][2] = ID_REDACTED  # a mobile inside a longer number
        else:
            merged.append([i, j, kind])
    return [tuple(m) for m in merged]


def scrub_numbers(text: str) -> str:
    """Hide ID-card, bank-card and mobile numbers, however grouped (see above)."""
    norm = text.translate(_NORMALISE)
    out, last = [], 0
    for run in _RUN.finditer(norm):
        if run.end() - run.start() < 11:
            continue
        spans = [(m.start(), m.end()) for m in _GROUP.finditer(norm, run.start(), run.end())]
        groups = [norm[s:e] for s, e in spans]
        groups = [g if g.isascii() else "".join(str(unicodedata.digit(c)) for c in g) for g in groups]
        ordinary = _ordinary_groups(groups)
        if sum(map(len, groups)) < 11 or len(ordinary) == len(groups):
            continue
        for i, j, token in _run_numbers(groups, ordinary):
            start, end = spans[i][0], spans[j][1]
            if start > 0 and norm[start - 1] == "+":
                start -= 1
            if token == ID_REDACTED and norm[end:end + 1] in ("X", "x"):
                end += 1  # the ID's check character
            out += [text[last:start], token]
            last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# --- Names --------------------------------------------------------------------

def _hidden_offsets(name: str) -> tuple[int, ...]:
    """The characters of a (stripped) name that masking hides: all but the
    surname (a 复姓 kept whole) and the separating dots and spaces."""
    if len(name) == 1:
        return (0,)
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return tuple(k for k in range(keep, len(name)) if name[k] not in " ·•.")


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**; non-Chinese names keep their first letter."""
    name = name.strip()
    hidden = set(_hidden_offsets(name)) if name else ()
    return "".join("*" if k in hidden else c for k, c in enumerate(name))


class KnownNames:
    """Every natural person's full name known to the dataset, masked wherever
    it occurs in a text. One Aho-Corasick automaton finds all of them in one
    pass (a regex alternation over tens of thousands of names is far too slow).
    Every occurrence is found, overlapping ones too (``iter``, not ``iter_long``,
    whose longest-match mode has dropped matches in past releases); a character
    that any of them hides is hidden. One-character names are not searched for
    (they would hide every such character); two-character names that are also
    words (a person called 文明 or 高峰) hide that word everywhere: privacy wins."""

    def __init__(self, names=()):
        words = {str(n).strip() for n in names}
        self.words = frozenset(w for w in words if len(w) >= 2)
        self._automaton = None
        if self.words:
            automaton = ahocorasick.Automaton()
            for w in self.words:
                automaton.add_word(w, (len(w) - 1, _hidden_offsets(w)))
            automaton.make_automaton()
            self._automaton = automaton

    def occurs_in(self, text: str) -> bool:
        return self._automaton is not None and next(self._automaton.iter(text), None) is not None

    def __call__(self, text: str) -> str:
        """The text with every known name masked; the same object when none occurs."""
        if not text or self._automaton is None:
            return text
        chars = None
        for end, (back, offsets) in self._automaton.iter(text):
            chars = chars or list(text)
            for k in offsets:
                chars[end - back + k] = "*"
        return text if chars is None else "".join(chars)


def scrub_text(text: str, names: tuple[str, ...] = ()) -> str:
    """Remove ID/bank-card and mobile numbers, and mask the given full names."""
    if not text:
        return ""
    text = scrub_numbers(str(text))
    for name in names:
        name = name.strip()
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text


class Redactor:
    """What every published free text goes through (decisions' free text,
    staff, checklist cells, withdrawal notes, entities' non-contact text):
    numbers scrubbed, then every natural person's full name known to the
    dataset masked (``KnownNames``)."""

    def __init__(self, names=()):
        self.names = KnownNames(names)

    def __call__(self, text) -> str:
        return self.names(scrub_text(text))

    def decision(self, record: dict) -> dict:
        """A public decision record (made by ``public_decision``, its numbers
        scrubbed and its own target's name masked already, so it can be cached
        per file) with every other known name masked too: a new record when
        that changed anything, else the same object."""
        mask = self.names
        free = [text for label, text in record["fields"] if label in _FREE_LABELS]
        if not mask.occurs_in("\n".join(free + [record.get("summary", "")])):
            return record  # most records: one search, nothing to mask
        fields = [(label, mask(text)) if label in _FREE_LABELS else (label, text) for label, text in record["fields"]]
        texts = {k: mask(record[k]) for k in ("outcome", "summary") if k in record}
        summary, outcome = record.get("summary", ""), record.get("outcome", "")
        if summary.endswith("…") and outcome.startswith(summary[:-1]):
            # A shortened outcome: cut the masked one (same length), so a name
            # cut in half at the end is masked as the whole name is.
            texts["summary"] = texts["outcome"][:len(summary) - 1] + "…"
        if (all(texts[k] == record[k] for k in texts)
                and all(a[1] is b[1] for a, b in zip(fields, record["fields"]))):
            return record
        return {**record, **texts, "fields": fields}


NUMBERS_ONLY = Redactor()  # for callers that know no names (a single record, tests)


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
        ("docno", "行政许可决定文书号"), ("project_name", "项目名称"),  # 项目名称: 2016 template
        ("license_type", "许可类别"), ("content", "许可内容"),
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
# The labels of the free-text fields, where ``Redactor.decision`` masks other
# people's names. Not the target's name: a natural person's is masked already,
# an organisation's is its registered name, published as is (contract §1).
_FREE_LABELS = frozenset(label for fields in PUBLISHED.values() for cid, label in fields
                         if label and cid not in _UNSCRUBBED | {"agency_name"})


def _format_key(category: str) -> str:
    return category if category in ("行政处罚", "行政许可") else "其他"


def _public_fields(d: Decision, entity: Entity, fmt: str, natural: bool, target_name: str,
                   names: tuple[str, ...]) -> tuple[list, list[str], dict[str, str]]:
    """The decision's published columns: (label, text) of those not empty, the
    labels written 长期, and the text of each by column id."""
    out_fields = []
    no_end = []  # labels of the end dates written 长期 (decisions.json: null, listed under no_end_date)
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
        elif value is NO_END_DATE:
            text = format_end_date(value)
            no_end.append(label)
        elif isinstance(value, float):
            text = format_amount(value)
        elif cid in _UNSCRUBBED:
            text = str(value or "")
        else:
            text = scrub_text(str(value or ""), names)
        public_values[cid] = text
        if text:
            out_fields.append((label, text))  # a tuple: 2 million of them at 100k
    return out_fields, no_end, public_values


def _summary(d: Decision, fmt: str, public_values: dict[str, str]) -> str:
    """A penalty's types and fine; otherwise its outcome, cut at 60 characters."""
    if fmt == "行政处罚":
        summary = "、".join(written_types(public_values.get("penalty_type", "")))
        if d.values.get("fine_wan"):
            summary += f"（罚款金额 {format_amount(d.values['fine_wan'])} 万元）"
        return summary
    outcome = public_values.get("content", "")
    return outcome if len(outcome) <= 60 else outcome[:59] + "…"


def public_decision(d: Decision, entity: Entity, first_published: date, updated: date) -> dict:
    fmt = _format_key(d.category)
    natural = d.target_type == "自然人"
    raw_name = str(d.values.get("target_name") or "")
    names = (raw_name,) if natural else ()
    target_name = mask_name(raw_name) if natural else scrub_text(raw_name)
    out_fields, no_end, public_values = _public_fields(d, entity, fmt, natural, target_name, names)
    docno = public_values["docno"]
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
        "outcome": public_values.get("content", ""),
        "summary": _summary(d, fmt, public_values),
        "fine_wan": d.values.get("fine_wan") if fmt == "行政处罚" else None,
        "confiscation_wan": d.values.get("confiscation_wan") if fmt == "行政处罚" else None,
        "fields": out_fields,
        # Only when there is one: a new key in every record would change every
        # record's content hash (a "correction" of every published decision).
        **({"no_end_date": no_end} if no_end else {}),
    }


_ENTITY_FIELDS = [("name", "主体名称"), ("code", "统一社会信用代码"), ("type", "主体类别"),
                  ("parent", "上级主管部门"), ("duties", "法定职责"), ("basis", "执法依据"),
                  ("area", "执法区域"), ("address", "办公地址"), ("phone", "联系电话"), ("website", "网址")]
_REMEDY_FIELDS = [("review_body", "行政复议机关"), ("court", "行政诉讼管辖法院"), ("complaint_phone", "投诉举报电话")]
ENTITY_COLUMNS = _ENTITY_FIELDS + _REMEDY_FIELDS  # every public column of an entity, in the order shown (open data too)
# The office's public contact channels: published verbatim (an office may publish
# a mobile number for complaints). Its name, code and type are registered values.
# Every other column is free text and goes through the redactor.
_ENTITY_VERBATIM = frozenset({"name", "code", "type", "address", "phone", "website", "complaint_phone"})


def public_entity(e: Entity, staff_count: int = 0, decision_count: int = 0, redact: Redactor = NUMBERS_ONLY) -> dict:
    """Entities are public offices: their contacts are published as is, their
    other text (duties, basis, area, parent body …) redacted like any free text."""
    raw = {**e.values, "name": e.name, "code": e.code, "type": e.type}
    values = {cid: str(v or "") if cid in _ENTITY_VERBATIM else redact(v) for cid, v in raw.items()}
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


def public_staff(s: StaffMember, entity: Entity, today: date, redact: Redactor = NUMBERS_ONLY) -> dict:
    """A staff member: name and 执法证号 as registered (officials act in public;
    the certificate number is what a citizen looks up), the rest redacted."""
    # A certificate without an end date (长期) never expires.
    status = "已过期" if isinstance(s.valid_until, date) and s.valid_until < today else s.status
    return {
        "name": s.name,
        "cert_no": s.cert_no,
        "entity_code": entity.code,
        "entity_name": entity.name,
        "entity_url": urls.entity_url(entity.code),
        "category": redact(s.values.get("category", "")),
        "area": redact(s.values.get("area", "")),
        "valid_until": format_end_date(s.valid_until),  # 长期: no end date
        "no_end_date": s.valid_until is NO_END_DATE,
        "status": status,
        "status_class": _STATUS_CLASS[status],
    }


# Checklists have free columns (contract §1). A column whose header names a
# person's data is never published, whatever it holds (执法证号 columns are: they
# are public); every other cell is redacted. Headers are compared after
# fold_header (full-width, spaces, brackets). A 联系电话 column is published,
# redacted: an office's landline stays, a mobile number is hidden.
PERSONAL_HEADER_WORDS = ("身份证", "证件号", "证件类型", "手机", "个人电话", "家庭", "住址", "户籍", "出生", "生日",
                         "年龄", "性别", "民族", "婚姻", "健康状况", "病史", "宗教", "政治面貌", "银行", "账号",
                         "帐号", "卡号", "护照", "社保", "医保", "车牌")


def personal_column(header) -> bool:
    folded = fold_header(str(header))
    return "执法证" not in folded and any(word in folded for word in PERSONAL_HEADER_WORDS)


def public_checklist(c: Checklist, entities: dict[str, Entity], redact: Redactor = NUMBERS_ONLY) -> dict:
    keep = [i for i, h in enumerate(c.headers) if not personal_column(h)]
    rows = []
    for cells, code in c.rows:
        entity = entities.get(code) if code else None
        rows.append({
            "cells": [redact(cells[i]) if i < len(cells) else "" for i in keep],
            "entity_code": entity.code if entity else "",
            "entity_name": entity.name if entity else "",
            "entity_url": urls.entity_url(entity.code) if entity else "",
            # what its 所属主体 (or 适用部门 …) cell names, for the per-subject pages
            "subject": entity.name if entity else (
                redact(cells[c.subject_col]).strip() if c.subject_col is not None and c.subject_col < len(cells)
                else ""),
        })
    return {
        "title": redact(c.title),
        "url": urls.checklist_url(c.title),
        "columns": [str(c.headers[i]) for i in keep],
        "rows": rows,
        "row_count": len(rows),
        "has_subject": c.subject_col is not None,
    }


def public_withdrawal(d: Decision, entity: Entity, w, taken_down: date, redact: Redactor = NUMBERS_ONLY) -> dict:
    """A withdrawal notice (撤回说明): 文书号, agency, date and the public reason —
    never the target, the facts or the content (行政处罚法 第四十八条). The note
    is free text: redacted, the decision's own target masked in any case."""
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
        "note": redact(scrub_text(w.note, names)),
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
