"""Open-data downloads (DATA-CONTRACT §4), built from public records only.

CSV files are UTF-8 with BOM (Excel opens them correctly) and every cell that
a spreadsheet would read as a formula is defused with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
from itertools import islice

from .pipeline import Site

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def guard_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_BATCH = 1000  # records per piece of a file made in pieces


def _batches(items):
    items = iter(items)
    while batch := list(islice(items, _BATCH)):
        yield batch


def csv_pieces(header: list[str], rows):
    """The CSV file in pieces (a large one is never whole in memory)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([guard_cell(v) for v in row])
        if n % _BATCH == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def to_csv(header: list[str], rows) -> bytes:
    return b"".join(csv_pieces(header, rows))


def json_pieces(items):
    """A JSON list in pieces, one record per line: readable, diffable, and
    fast (json's C encoder is only used without indentation)."""
    sep = "[\n"
    for batch in _batches(items):
        yield (sep + ",\n".join(json.dumps(item, ensure_ascii=False) for item in batch)).encode("utf-8")
        sep = ",\n"
    yield b"[]\n" if sep == "[\n" else b"\n]\n"


def to_json(data) -> bytes:
    if isinstance(data, list):
        return b"".join(json_pieces(data))
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


_DECISION_COLUMNS = [
    ("key", "公示编号"), ("url", "网址"), ("category", "执法类别"), ("docno", "文书号"),
    ("agency_name", "执法机关"), ("agency_code", "机关统一社会信用代码"), ("target_name", "行政相对人名称"),
    ("target_type", "行政相对人类别"), ("target_code", "行政相对人统一社会信用代码"),
    ("decision_date", "决定日期"), ("summary", "摘要"), ("outcome", "决定内容"),
    ("fine_wan", "罚款金额（万元）"), ("confiscation_wan", "没收金额（万元）"), ("deadline", "公示截止期"),
    ("first_published", "首次公示日期"), ("updated", "更新日期"),
]
_STAFF_COLUMNS = [("name", "姓名"), ("cert_no", "执法证号"), ("entity_name", "所属主体"),
                  ("entity_code", "所属主体统一社会信用代码"), ("category", "执法类别"), ("area", "执法区域"),
                  ("valid_until", "证件有效期至"), ("status", "证件状态")]
_ENTITY_COLUMNS = [("name", "主体名称"), ("code", "统一社会信用代码"), ("type", "主体类别"),
                   ("parent", "上级主管部门"), ("duties", "法定职责"), ("basis", "执法依据"), ("area", "执法区域"),
                   ("address", "办公地址"), ("phone", "联系电话"), ("website", "网址"),
                   ("review_body", "行政复议机关"), ("court", "行政诉讼管辖法院"),
                   ("complaint_phone", "投诉举报电话")]


def _json_decision(d: dict) -> dict:
    out = {k: d[k] for k, _ in _DECISION_COLUMNS}
    out["details"] = dict(d["fields"])
    return out


FILES = ("open-data/decisions.csv", "open-data/decisions.json", "open-data/staff.csv", "open-data/staff.json",
         "open-data/entities.csv")


def open_data_files(site: Site) -> dict:
    """Each file as an iterable of pieces of bytes, made as they are read (at
    100 000 decisions decisions.json is ~140 MB)."""
    def rows(items, columns):
        return ([item.get(k) for k, _ in columns] for item in items)

    staff_json = [{k: s[k] for k in ("name", "cert_no", "entity_name", "entity_url", "category", "area",
                                     "valid_until", "status", "status_class")} for s in site.staff]
    return {
        "open-data/decisions.csv": csv_pieces([h for _, h in _DECISION_COLUMNS], rows(site.decisions, _DECISION_COLUMNS)),
        "open-data/decisions.json": json_pieces(_json_decision(d) for d in site.decisions),
        "open-data/staff.csv": csv_pieces([h for _, h in _STAFF_COLUMNS], rows(site.staff, _STAFF_COLUMNS)),
        "open-data/staff.json": json_pieces(staff_json),
        "open-data/entities.csv": csv_pieces([h for _, h in _ENTITY_COLUMNS], rows(site.entities, _ENTITY_COLUMNS)),
    }


def downloads(site: Site) -> list[dict]:
    """What the 数据开放 page lists."""
    return [
        {"title": "执法决定", "url": "open-data/decisions.csv", "format": "CSV", "rows": len(site.decisions),
         "description": "当前公示中的全部执法决定（公开字段）"},
        {"title": "执法决定", "url": "open-data/decisions.json", "format": "JSON", "rows": len(site.decisions),
         "description": "同上，JSON 数组；details 为详情页的全部公开字段"},
        {"title": "执法人员", "url": "open-data/staff.csv", "format": "CSV", "rows": len(site.staff),
         "description": "执法人员姓名、执法证号、所属主体、执法类别、有效期与证件状态"},
        {"title": "执法人员", "url": "open-data/staff.json", "format": "JSON", "rows": len(site.staff),
         "description": "同上，供执法证号查询使用"},
        {"title": "执法主体", "url": "open-data/entities.csv", "format": "CSV", "rows": len(site.entities),
         "description": "执法主体名称、代码、职责、依据、联系方式与救济渠道"},
    ]
