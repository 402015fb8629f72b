"""Open-data downloads (DATA-CONTRACT §4), built from public records only.

CSV files are UTF-8 with BOM (Excel opens them correctly) and every cell that
a spreadsheet would read as a formula is defused with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
import marshal
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from . import cache, urls
from .manifest import manifest_path
from .output import replace
from .pipeline import Site
from .public import ENTITY_COLUMNS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def guard_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_BATCH = 1000  # records per piece of a file made in pieces


class _Frame(NamedTuple):
    """A file of records: head + sep.join(one piece per record) + tail, or
    ``empty`` when there is none."""
    head: bytes
    sep: bytes
    tail: bytes
    empty: bytes


def _framed(frame: _Frame, pieces):
    """The file in pieces of ``_BATCH`` records (a large one is never whole in memory)."""
    pieces = iter(pieces)
    lead = frame.head
    while batch := list(islice(pieces, _BATCH)):
        yield lead + frame.sep.join(batch)
        lead = frame.sep
    yield frame.empty if lead is frame.head else frame.tail


_JSON = _Frame(b"[\n", b",\n", b"\n]\n", b"[]\n")  # one record per line: readable, diffable


def _json_bytes(item) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode("utf-8")  # (the C encoder: no indentation)


_ROW = io.StringIO()  # one buffer: each call writes and reads it whole before returning
_ROW_WRITER = csv.writer(_ROW, lineterminator="\r\n")


def _csv_bytes(cells) -> bytes:
    _ROW.seek(0)
    _ROW.truncate()
    _ROW_WRITER.writerow(cells)
    return _ROW.getvalue().encode("utf-8")


def _csv_frame(header: list[str]) -> _Frame:
    head = "\ufeff".encode("utf-8") + _csv_bytes(header)
    return _Frame(head, b"", b"", head)


def csv_pieces(header: list[str], rows):
    """The CSV file in pieces."""
    return _framed(_csv_frame(header), (_csv_bytes([guard_cell(v) for v in row]) for row in rows))


def to_csv(header: list[str], rows) -> bytes:
    return b"".join(csv_pieces(header, rows))


def json_pieces(items):
    """A JSON list in pieces."""
    return _framed(_JSON, map(_json_bytes, items))


def to_json(data) -> bytes:
    if isinstance(data, list):
        return b"".join(json_pieces(data))
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


DECISION_COLUMNS = [
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


def json_decision(d: dict) -> dict:
    """A public record as decisions.json holds it (and the public log digests it)."""
    out = {k: d[k] for k, _ in DECISION_COLUMNS}
    out["details"] = dict(d["fields"])
    if d.get("no_end_date"):  # 长期: null in JSON, and the fields named (docs/data.md 没有截止日期)
        out["details"].update(dict.fromkeys(d["no_end_date"]))
        out["no_end_date"] = d["no_end_date"]
    return out


def _json_staff(s: dict) -> dict:
    out = {k: s[k] for k in ("name", "cert_no", "entity_name", "entity_url", "category", "area",
                             "valid_until", "status", "status_class")}
    if s.get("no_end_date"):  # 长期, as in decisions.json
        out.update(valid_until=None, no_end_date=["valid_until"])
    return out


def record_from_json(obj: dict, corrected: str) -> dict:
    """The public record a decisions.json object was made from (``json_decision``
    inverted; ``corrected``: its last correction date or ""), for restoring
    a lost ledger from the site (restore.py)."""
    record = {k: obj[k] for k, _ in DECISION_COLUMNS}
    record.update(category_url=urls.category_url(obj["category"]), agency_url=urls.entity_url(obj["agency_code"]),
                  year=int(obj["decision_date"][:4]), corrected=corrected,
                  fields=[[label, text] for label, text in obj["details"].items()])
    return record


FILES = ("open-data/decisions.csv", "open-data/decisions.json", "open-data/staff.csv", "open-data/staff.json",
         "open-data/entities.csv")
# The publication record (ledger.py, publog.py): the public log, every
# correction and every withdrawal notice. Made from the ledger, not only from
# tonight's records: written apart from FILES.
CORRECTIONS = "open-data/corrections.json"
WITHDRAWALS = "open-data/withdrawals.json"
RECORD_FILES = ("open-data/publication-log.jsonl", CORRECTIONS, WITHDRAWALS)


# --- decisions.csv and decisions.json, from last night's copies ----------------
#
# Both list every published decision, newest first, each as one piece of bytes
# made from that record alone (``_Frame``). Most
# records are as they were last night, so an unchanged record's piece is read
# from the live slot's file instead of encoded again (encoding 100 000 records
# took ~2.3 s a night). ``<slot>.opendata`` (beside the slot's manifest, never
# published) lists each record's key, version (``Publication.versions``: equal
# versions, equal records) and piece lengths; it is used only for files the
# live manifest lists as made by the same code and still on disk as listed
# (same mtime, as the stager trusts any live file). Unchanged records keep
# their order (the sort is by decision date and key): pieces are read front
# to back.

class _Format(NamedTuple):
    rel: str
    frame: _Frame
    encode: object  # public record → its piece


_FORMATS = (
    _Format("open-data/decisions.json", _JSON, lambda d: _json_bytes(json_decision(d))),
    _Format("open-data/decisions.csv", _csv_frame([h for _, h in DECISION_COLUMNS]),
            lambda d: _csv_bytes([guard_cell(d.get(k)) for k, _ in DECISION_COLUMNS])),
)
DECISION_FILES = tuple(fmt.rel for fmt in _FORMATS)
_LAYOUT_HEADER = b"gongshi-opendata 3 "


def layout_path(slot: Path) -> Path:
    return manifest_path(Path(slot)).with_suffix(".opendata")


class Layout:
    """What a slot's decision files hold, record by record in file order:
    ``keys``, ``versions`` and, per format of ``_FORMATS``, the pieces'
    lengths (``sizes[which]``); and each file's digest. Kept as columns:
    100 000 small rows cost the garbage collector more than reading them."""

    def __init__(self, keys: list[str], versions: list[str], sizes: list[list[int]], digests: dict[str, str]):
        self.keys, self.versions, self.sizes, self.digests = keys, versions, sizes, digests

    def save(self, slot: Path) -> None:
        payload = marshal.dumps((self.digests, self.keys, self.versions, self.sizes))
        replace(layout_path(slot), _LAYOUT_HEADER + cache.digest(payload).encode() + b"\n" + payload)

    @classmethod
    def load(cls, slot: Path) -> "Layout | None":
        """The layout beside the slot; None when it is missing, damaged or
        made by another version of this code (``cache.digest`` includes it)."""
        try:
            head, _, payload = layout_path(slot).read_bytes().partition(b"\n")
        except OSError:
            return None
        # marshal is fast (100 000 records in ~0.05 s, JSON took ~0.5 s) but
        # not meant for damaged input: the payload's digest is checked first.
        if head != _LAYOUT_HEADER + cache.digest(payload).encode():
            return None
        try:
            digests, keys, versions, sizes = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None
        if len(versions) != len(keys) or len(sizes) != len(_FORMATS) or any(len(s) != len(keys) for s in sizes):
            return None
        return cls(keys, versions, sizes, digests)


class _Previous:
    """One live decision file and its layout: pieces read by record index."""

    def __init__(self, path: Path, fmt: _Format, layout: Layout, which: int, index: dict[str, tuple[int, str]]):
        self.file = open(path, "rb", buffering=1 << 20)  # seeks within the buffer need no system call
        self.frame, self.at, self.next = fmt.frame, len(fmt.frame.head), 0  # offset of record ``next``
        self.copied = 0
        self.index = index  # key → (record number, version): the same for every file of the layout
        self.sizes = layout.sizes[which]
        if self.sizes and self.file.read(len(self.frame.head)) != self.frame.head:  # (an empty list has no head)
            self.file.close()
            raise ValueError("not the expected head")

    def piece(self, d: dict, version: str | None) -> bytes | None:
        """The record's piece from last night, or None (encode it)."""
        hit = self.index.get(d["key"])
        if hit is None or hit[1] != version or hit[0] < self.next or self.file.closed:
            return None
        i, sep = hit[0], len(self.frame.sep)
        skipped = self.sizes[self.next:i]  # records since dropped or changed
        self.at += sum(skipped) + sep * len(skipped)
        try:
            self.file.seek(self.at)
            data = self.file.read(self.sizes[i])
        except OSError:
            self.file.close()
            return None
        self.at, self.next = self.at + self.sizes[i] + sep, i + 1
        if len(data) != self.sizes[i]:
            return None
        self.copied += 1
        return data


def previous_files(stager) -> dict[str, _Previous]:
    """The live slot's decision files with their layout, where usable."""
    layout = Layout.load(stager.live) if stager.live is not None and stager.live_manifest is not None else None
    out, index = {}, None
    for which, fmt in enumerate(_FORMATS):
        path = stager.live_file(fmt.rel) if layout else None
        if path is None or layout.digests.get(fmt.rel) != stager.live_manifest[fmt.rel].digest:
            continue
        if index is None:
            index = {key: (i, v) for i, (key, v) in enumerate(zip(layout.keys, layout.versions))}
        try:
            out[fmt.rel] = _Previous(path, fmt, layout, which, index)
        except (OSError, ValueError):
            continue
    return out


def _decision_pieces(site: Site, fmt: _Format, previous: _Previous | None, sizes: list[int]):
    """Each decision's piece, copied from ``previous`` or encoded; its length goes to ``sizes``."""
    versions = site.publication.versions
    try:
        for n, d in enumerate(site.decisions):
            piece = previous.piece(d, versions.get(d["key"])) if previous else None
            if piece is None:
                piece = fmt.encode(d)
            sizes[n] = len(piece)
            yield piece
    finally:
        if previous:
            previous.file.close()


def decision_files(site: Site, previous: dict) -> tuple[dict, Layout]:
    """decisions.json and decisions.csv in pieces (reusing ``previous_files``),
    and their layout, complete once both have been read (digests: the caller's)."""
    versions = site.publication.versions
    layout = Layout([d["key"] for d in site.decisions], [versions.get(d["key"], "") for d in site.decisions],
                    [[0] * len(site.decisions) for _ in _FORMATS], {})
    return {fmt.rel: _framed(fmt.frame, _decision_pieces(site, fmt, previous.get(fmt.rel), layout.sizes[which]))
            for which, fmt in enumerate(_FORMATS)}, layout


def open_data_files(site: Site, previous: dict | None = None) -> tuple[dict, Layout]:
    """Each file as an iterable of pieces of bytes, made as they are read (at
    100 000 decisions decisions.json is ~140 MB), and the decision files' layout."""
    def rows(items, columns):
        return ([item.get(k) for k, _ in columns] for item in items)

    staff_json = [_json_staff(s) for s in site.staff]
    decisions, layout = decision_files(site, previous or {})
    return {
        **decisions,
        "open-data/staff.csv": csv_pieces([h for _, h in _STAFF_COLUMNS], rows(site.staff, _STAFF_COLUMNS)),
        "open-data/staff.json": json_pieces(staff_json),
        "open-data/entities.csv": csv_pieces([h for _, h in ENTITY_COLUMNS], rows(site.entities, ENTITY_COLUMNS)),
    }, layout


def corrections(site: Site) -> list[dict]:
    """Every correction of a decision the site shows (live, or as a withdrawal
    notice), newest first: which public fields the agency changed, and when.
    Nothing of the record itself."""
    shown = {d["key"]: d for d in site.decisions}
    shown.update((n["key"], n) for n in site.notices)
    out = []
    for e in reversed(site.publication.log.corrections):
        item = shown.get(e.key)
        if item is not None:
            out.append({"seq": e.seq, "key": e.key, "docno": item["docno"], "agency_code": item["agency_code"],
                        "agency_name": item["agency_name"], "url": item["url"], "date": e.day,
                        "changed": list(e.fields or [])})
    return out


def record_files(site: Site) -> dict:
    """The publication record's files (``RECORD_FILES``), the log in pieces."""
    return {
        RECORD_FILES[0]: site.publication.log.pieces(),
        CORRECTIONS: to_json(corrections(site)),
        WITHDRAWALS: to_json(list(site.notices)),
    }


def log_summary(site: Site) -> dict:
    """What the 数据开放 page shows of the public log: lines, last line's hash and date."""
    log = site.publication.log
    return {"url": RECORD_FILES[0], "count": log.count, "head": log.head, "date": log.last_day}


def downloads(site: Site) -> list[dict]:
    """What the 数据开放 page lists."""
    log = site.publication.log
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
        {"title": "撤回公告", "url": WITHDRAWALS, "format": "JSON", "rows": len(site.notices),
         "description": "已撤回的执法决定：文书号、执法机关、撤回日期、原因与说明（不含原决定内容）"},
        {"title": "更正记录", "url": CORRECTIONS, "format": "JSON",
         "rows": len(corrections(site)),
         "description": "每一次更正：文书号、执法机关、更正日期和被更正的字段名称"},
        {"title": "发布日志", "url": RECORD_FILES[0], "format": "JSONL", "rows": log.count,
         "description": "每一次公开、更正和撤回各一行，只追加、不修改，可用于核验本站所述日期（见下文）"},
    ]
