"""Rules that hand-made mutations of the code showed no test guarded (issue 23,
"Tests that do not guard what they name"), one section per module. Each test
here was mutation-checked: the rule it names was broken in the code, the test
failed, the code was restored. ``tests/mutation/run_mutations.py`` reruns
those mutations (and the other important rules' ones) and reports the kill rate.

Kept in one file, apart from the modules' own test files, so the rules stay
guarded while those files change; each section says which code it guards.
"""
from __future__ import annotations

import csv
import ctypes
import io
import json
import os
import struct
import threading
from datetime import date
from pathlib import Path

import pytest

from conftest import all_text
from pelican.plugins.gongshi import stats
from pelican.plugins.gongshi.load import load_dataset
from pelican.plugins.gongshi.stager import Stager
from pelican.plugins.gongshi.opendata import guard_cell, to_csv
from pelican.plugins.gongshi.pipeline import prepare
from pelican.plugins.gongshi.public import ID_REDACTED, MOBILE_REDACTED, public_checklist, scrub_text
from pelican.plugins.gongshi.publish import Slots
from pelican.plugins.gongshi.takedowns import disclosure_end, split_live
from pelican.plugins.gongshi.stager import UnsafePath
from pelican.plugins.gongshi.stager import guarded_join as safe_join
from pelican.plugins.gongshi.urls import decision_url
from helpers import (SITEURL, assert_clean, AGENCY_A, AGENCY_B, PENALTY_HEADER, TAKEDOWN_HEADER, TODAY, other_row, penalty_row,
                     sitemap_lastmods, write_csv, write_dataset, write_xlsx)

DOC1 = "清应急罚〔2024〕1号"  # penalty_row()'s 文书号
DOC2 = "清应急罚〔2024〕2号"  # write_dataset's natural person (张三)
PENALTY_FILE = Path("decisions") / "2024-行政处罚.csv"


def key(docno: str, agency: str = AGENCY_A) -> str:
    return f"{agency}/{docno}"


def decisions_json(out: Path) -> dict[str, dict]:
    return {d["key"]: d for d in json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))}


def build_report(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


# ================================================================ values.parse_date (through the loader)

def test_a_number_in_a_spreadsheet_date_column_is_an_excel_serial_day(tmp_path):
    """An .xlsx date column formatted as a plain number holds the Excel serial
    day: 45356 is 2024-03-05 (epoch 1899-12-30, Excel's 1900 leap-year bug)."""
    data = write_dataset(tmp_path, decisions=[])
    (data / PENALTY_FILE).unlink()
    cells = dict(zip(PENALTY_HEADER, penalty_row()))
    cells.update({"处罚决定日期": 45356, "处罚有效期": None, "公示截止期": 46451.0})
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER, [[cells[h] for h in PENALTY_HEADER]])
    ds = load_dataset(data, TODAY)
    assert_clean(ds)
    d = ds.decisions[key(DOC1)]
    assert d.decision_date == date(2024, 3, 5)
    assert d.values["deadline"] == date(2027, 3, 5)


@pytest.mark.parametrize("text", ["2024-03-05 00:00:00", "2024-03-05T00:00:00", "2024-3-5 00:00"])
def test_a_date_exported_with_a_midnight_time_is_that_date(tmp_path, text):
    """pandas / Excel write date cells as "2024-03-05 00:00:00": the date is read, not refused."""
    ds = load_dataset(write_dataset(tmp_path, decisions=[penalty_row(处罚决定日期=text, 公示截止期=text)]), TODAY)
    assert_clean(ds)
    d = ds.decisions[key(DOC1)]
    assert d.decision_date == date(2024, 3, 5) and d.values["deadline"] == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["-0.5", "-1", "-0.01", "－2"])
def test_a_negative_amount_holds_the_row(tmp_path, text):
    ds = load_dataset(write_dataset(tmp_path, decisions=[penalty_row(**{"罚款金额（万元）": text})]), TODAY)
    assert [(p.code, p.row, p.column) for p in ds.report.problems] == [("bad-amount", 2, "罚款金额（万元）")]
    assert key(DOC1) not in ds.decisions


def test_a_zero_amount_is_an_amount(tmp_path):
    ds = load_dataset(write_dataset(tmp_path, decisions=[penalty_row(**{"罚款金额（万元）": "0"})]), TODAY)
    assert_clean(ds)
    assert ds.decisions[key(DOC1)].values["fine_wan"] == 0.0


# ================================================================ takedowns.disclosure_end / split_live

def test_the_default_disclosure_period_ends_exactly_1095_days_after_the_decision(tmp_path):
    # 2023-11-23 + 1095 days (2024 is a leap year) = 2026-11-22: the last public day.
    ds = load_dataset(write_dataset(tmp_path, decisions=[penalty_row(公示截止期="", 处罚决定日期="2023-11-23")]), TODAY)
    assert_clean(ds)
    d = ds.decisions[key(DOC1)]
    assert disclosure_end(d) == date(2026, 11, 22)
    live, withdrawn = split_live(ds, date(2026, 11, 22))
    assert key(DOC1) in live and key(DOC1) not in withdrawn  # the last day is still public
    live, withdrawn = split_live(ds, date(2026, 11, 23))
    assert key(DOC1) not in live
    assert (withdrawn[key(DOC1)].reason, withdrawn[key(DOC1)].reason_date) == ("公示期满", date(2026, 11, 22))
    # GONGSHI_DISCLOSURE_DAYS replaces the default per category, counted the same way.
    assert disclosure_end(d, {"行政处罚": 10}) == date(2023, 12, 3)
    assert disclosure_end(d, {"行政处罚": None}) is None
    # 行政许可 never expires by default.
    assert disclosure_end(next(x for x in ds.decisions.values() if x.category == "行政许可")) is None


def test_the_first_takedowns_row_of_a_decision_is_the_one_applied(tmp_path):
    """Two takedowns.csv rows for one decision: the first registered one took it
    down; a later row can neither move its 3-working-day deadline nor its reason."""
    ds = load_dataset(write_dataset(tmp_path, takedowns=[
        [DOC1, AGENCY_A, "信用修复", "2026-10-01", "第一次登记"],
        [DOC1, AGENCY_A, "决定被撤销", "2026-11-01", "后来的登记"],
    ]), TODAY)
    assert_clean(ds)
    live, withdrawn = split_live(ds, TODAY)
    w = withdrawn[key(DOC1)]
    assert (w.reason, w.reason_date, w.note) == ("信用修复", date(2026, 10, 1), "第一次登记")
    assert w.source == ("takedowns.csv", 2)
    assert key(DOC1) not in live


# ================================================================ public.public_withdrawal

def test_a_withdrawal_note_is_scrubbed_and_masks_the_natural_person(tmp_path, build):
    """takedowns.csv 说明 is free text written by an agency: numbers are scrubbed
    and the natural person's full name is masked, on every surface."""
    data = write_dataset(tmp_path)
    assert build(data, today="2026-11-20")[0] == 0
    note = "当事人张三（身份证110105199001011237，手机13912345678，卡号6222 0212 3456 7890）已完成信用修复"
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC2, AGENCY_A, "信用修复", "2026-11-21", note]])
    code, out = build(data, today="2026-11-22")
    assert code == 0
    listing = (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")
    assert "已完成信用修复" in listing and "当事人张*" in listing and "［证件号码已隐去］" in listing
    assert "［手机号码已隐去］" in listing
    text = all_text(out)
    for secret in ("张三", "110105199001011237", "13912345678", "6222 0212 3456 7890", "6222021234567890"):
        assert secret not in text, secret


@pytest.mark.parametrize("prefix", ["130", "145", "153", "166", "177", "188", "191", "199"])
def test_mobile_numbers_of_every_prefix_are_scrubbed(prefix):
    for number in (f"{prefix}12345678", f"{prefix} 1234 5678", f"+86-{prefix}-1234-5678"):
        out = scrub_text(f"联系电话{number}。")
        assert out == f"联系电话{MOBILE_REDACTED}。", number


def test_checklist_cells_are_scrubbed(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "checklists" / "行政执法事项清单.csv", ["事项名称", "承办人", "所属主体"], [
        ["安全检查", "张科长 13912345678，身份证110105199001011237", "清河区应急管理局"],
        ["食品经营许可", "窗口电话 010-81234567", "清河区市场监督管理局"]])
    ds = load_dataset(data, TODAY)
    assert_clean(ds)
    [checklist] = [public_checklist(c, ds.entities) for c in ds.checklists]
    assert [r["cells"][1] for r in checklist["rows"]] == [
        f"张科长 {MOBILE_REDACTED}，身份证{ID_REDACTED}", "窗口电话 010-81234567"]
    assert checklist["rows"][0]["entity_code"] == AGENCY_A


# ================================================================ publication.plan: deadlines and the kept loop

def test_published_on_the_due_day_is_on_time_in_every_loop(tmp_path, build):
    """Due = the 7th working day after the decision (Friday 11-06 → Tuesday 11-17).
    Published on 11-17 is on time, whether the decision is live, kept from the
    ledger (missing from the export) or withdrawn later; first published 11-18 is late."""
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2026〕{i}号", "处罚决定日期": "2026-11-06"})
            for i in (1, 2, 3)]
    data = write_dataset(tmp_path, decisions=rows[:2], licenses=[], others=[])
    assert build(data, today="2026-11-17")[0] == 0
    assert build_report(tmp_path)["late"] == []
    # 11-18: 1号 is missing from the export (kept), 2号 is taken down, 3号 is new (one day late).
    write_csv(data / PENALTY_FILE, PENALTY_HEADER, rows[1:])
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急罚〔2026〕2号", AGENCY_A, "信用修复", "2026-11-18", ""]])
    code, out = build(data, today="2026-11-18", GONGSHI_MAX_VANISHED_SHARE=1.0)
    assert code == 0
    report = build_report(tmp_path)
    assert report["kept_last_good_version"] == [key("清应急罚〔2026〕1号")]
    assert report["taken_down"] == [key("清应急罚〔2026〕2号")]
    assert report["late"] == [{"key": key("清应急罚〔2026〕3号"), "category": "行政处罚", "start": "2026-11-06",
                               "due": "2026-11-17", "done": "2026-11-18", "on_time": False}]


def test_other_decisions_are_due_after_20_working_days(tmp_path, build):
    # 行政检查 decided Friday 2026-11-06: 20 working days → Friday 2026-12-04.
    data = write_dataset(tmp_path, decisions=[], licenses=[], others=[other_row(决定日期="2026-11-06")])
    assert build(data, today="2026-12-04")[0] == 0
    assert build_report(tmp_path)["late"] == []
    data = write_dataset(tmp_path / "b", decisions=[], licenses=[], others=[other_row(决定日期="2026-11-06")])
    assert build(data, today="2026-12-07", output=tmp_path / "b" / "out", GONGSHI_LEDGER=str(tmp_path / "b" / "l"),
                 GONGSHI_REPORT=str(tmp_path / "b" / "r.json"))[0] == 0
    late = json.loads((tmp_path / "b" / "r.json").read_text(encoding="utf-8"))["late"]
    assert [(t["category"], t["due"], t["done"]) for t in late] == [("行政检查", "2026-12-04", "2026-12-07")]


@pytest.mark.parametrize("today,on_time", [("2026-11-24", True), ("2026-11-25", False)])
def test_a_takedown_on_its_third_working_day_is_on_time(tmp_path, build, today, on_time):
    # 原因发生日期 Thursday 11-19 + 3 working days = Tuesday 11-24.
    data = write_dataset(tmp_path)
    assert build(data, today="2026-11-18")[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, AGENCY_A, "决定被撤销", "2026-11-19", ""]])
    assert build(data, today=today)[0] == 0
    report = build_report(tmp_path)
    assert report["taken_down"] == [key(DOC1)]
    takedown = [t for t in report["late"] if t["start"] == "2026-11-19"]
    assert takedown == ([] if on_time else [{"key": key(DOC1), "category": "行政处罚", "start": "2026-11-19",
                                             "due": "2026-11-24", "done": today, "on_time": False}])


def test_a_withdrawal_keeps_the_date_it_was_first_published(tmp_path, build):
    data = write_dataset(tmp_path)
    assert build(data, today="2026-11-20")[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, AGENCY_A, "决定被撤销", "2026-11-21", "复议撤销"]])
    assert build(data, today="2026-11-22")[0] == 0
    code, out = build(data, today="2026-11-24")
    assert code == 0
    report = build_report(tmp_path)
    assert report["taken_down"] == [] and report["withdrawn_total"] == 1  # not taken down again tonight
    listing = (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")
    assert "2026-11-22" in listing and "2026-11-24" not in listing.split("<footer")[0]
    # … and still on time: taken down 11-22, within 3 working days of 11-21.
    assert not [t for t in report["late"] if t["start"] == "2026-11-21"]


def test_a_taken_down_decision_stays_down_when_its_row_leaves_the_export(tmp_path, build):
    data = write_dataset(tmp_path)
    others = _penalties_but(data, DOC1)
    assert build(data, today="2026-11-20")[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, AGENCY_A, "决定被撤销", "2026-11-21", ""]])
    code, out = build(data, today="2026-11-22")
    assert code == 0 and key(DOC1) not in decisions_json(out)
    # The agency then drops the row (and its takedowns.csv line) from the export.
    write_csv(data / PENALTY_FILE, PENALTY_HEADER, others)
    (data / "takedowns.csv").unlink()
    code, out = build(data, today="2026-11-23")
    assert code == 0
    assert key(DOC1) not in decisions_json(out)
    assert "未对从业人员进行安全生产教育培训" not in all_text(out)
    report = build_report(tmp_path)
    assert key(DOC1) not in report["kept_last_good_version"] and report["missing_from_export"] == []


def test_a_withdrawal_notice_stays_when_the_row_leaves_the_export(tmp_path, build):
    data = write_dataset(tmp_path)
    others = _penalties_but(data, DOC1)
    assert build(data, today="2026-11-20")[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, AGENCY_A, "决定被撤销", "2026-11-21", "复议撤销"]])
    code, out = build(data, today="2026-11-22")
    assert code == 0 and DOC1 in (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")
    write_csv(data / PENALTY_FILE, PENALTY_HEADER, others)
    (data / "takedowns.csv").unlink()
    before = {rel: (out / rel).read_bytes() for rel in ("open-data/withdrawals.json", decision_url(AGENCY_A, DOC1))}
    log_before = (out / "open-data" / "publication-log.jsonl").read_text(encoding="utf-8")
    code, out = build(data, today="2026-11-23")
    assert code == 0
    assert DOC1 in (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")
    # The notice at the decision's address and in open data is the one published; the log adds nothing.
    page = (out / decision_url(AGENCY_A, DOC1)).read_text(encoding="utf-8")
    assert "撤回" in page and "复议撤销" in page and "未对从业人员" not in page
    assert (out / "open-data" / "withdrawals.json").read_bytes() == before["open-data/withdrawals.json"]
    assert (out / "open-data" / "publication-log.jsonl").read_text(encoding="utf-8") == log_before


def _penalties_but(data: Path, docno: str) -> list[list[str]]:
    """The 行政处罚 rows of a data folder, without the one of ``docno``."""
    with open(data / PENALTY_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [r for r in rows[1:] if r[rows[0].index("行政处罚决定书文号")] != docno]


def test_withdrawn_decisions_have_no_page_and_no_sitemap_entry(tmp_path, build):
    """Taken down before ever published, or expired: no page, no sitemap entry.
    Published, then taken down: its address shows the withdrawal notice."""
    rows = [penalty_row(), penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕5号"}),
            penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕6号", "公示截止期": "2026-11-19"})]
    data = write_dataset(tmp_path, decisions=rows, takedowns=[["清应急罚〔2024〕5号", AGENCY_A, "信息有误", "2026-11-19", ""]])
    assert build(data, today="2026-11-20", SITEURL=SITEURL)[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急罚〔2024〕5号", AGENCY_A, "信息有误", "2026-11-19", ""],
                                                        [DOC1, AGENCY_A, "决定被撤销", "2026-11-21", ""]])
    code, out = build(data, today="2026-11-22", SITEURL=SITEURL)
    assert code == 0
    entries = sitemap_lastmods(out)
    for docno in ("清应急罚〔2024〕5号", "清应急罚〔2024〕6号"):
        url = decision_url(AGENCY_A, docno)
        assert url not in entries and not (out / url).exists(), docno
    notice = decision_url(AGENCY_A, DOC1)
    assert entries[notice] == "2026-11-22" and "撤回说明" in (out / notice).read_text(encoding="utf-8")
    assert key(DOC1) not in decisions_json(out)


# ================================================================ cli._build: the vanished-share guard

def test_the_vanished_share_counts_published_decisions_not_taken_down(tmp_path, build, capsys):
    """GONGSHI_MAX_VANISHED_SHARE (10 %) of the decisions published and not taken
    down: 10 live + 10 taken down → 1 missing (= 10 %) publishes, 2 missing refuse."""
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号"}) for i in range(1, 21)]
    data = write_dataset(tmp_path, decisions=rows, licenses=[], others=[])
    assert build(data, today="2026-11-19")[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER,
              [[f"清应急罚〔2025〕{i}号", AGENCY_A, "信用修复", "2026-11-19", ""] for i in range(11, 21)])
    assert build(data, today="2026-11-20")[0] == 0
    assert len(build_report(tmp_path)["taken_down"]) == 10
    capsys.readouterr()
    write_csv(data / PENALTY_FILE, PENALTY_HEADER, rows[1:])  # 1 of 10 missing: exactly the share
    code, out = build(data, today="2026-11-21")
    assert code == 0, capsys.readouterr().err
    assert build_report(tmp_path)["missing_from_export"] == [key("清应急罚〔2025〕1号")]
    write_csv(data / PENALTY_FILE, PENALTY_HEADER, rows[2:])  # 2 of 10 missing: refused
    code, out = build(data, today="2026-11-22")
    assert code == 1
    assert "已公开的 10 个决定中有 2 个不在本次导出中" in capsys.readouterr().err


# ================================================================ stager.joiner (guarded_join and the stager)

@pytest.mark.parametrize("rel", ["../a.manifest", "../a.opendata", "../ab/x.html", "b/../../a2/x", "../a-x"])
def test_a_path_beside_the_root_with_the_same_prefix_is_refused(tmp_path, rel):
    """The slot's manifest lives beside it (``.output.slots/a.manifest``): a
    prefix test without the separator would let ``../a.manifest`` through."""
    root = tmp_path / "a"
    root.mkdir()
    with pytest.raises(UnsafePath):
        safe_join(root, rel)
    stager = Stager(root, None, {}, None)
    with pytest.raises(UnsafePath):
        stager.emit(rel, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert safe_join(root, "x/../y.html") == root.resolve() / "y.html"


# ================================================================ opendata.guard_cell

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_defused(start):
    cell = f"{start}HYPERLINK(\"http://evil\",\"x\")"
    assert guard_cell(cell) == "'" + cell
    # Through the CSV writer: the cell reads back with the apostrophe in front.
    [_, row] = csv.reader(io.StringIO(to_csv(["列"], [[cell]]).decode("utf-8-sig")))
    assert row == ["'" + cell]


@pytest.mark.parametrize("cell", ["清河区", "1-2", "a=b", "2024-03-05", "12315", "'=already", " =x"])
def test_ordinary_cells_are_left_alone(cell):
    assert guard_cell(cell) == cell


def test_formula_names_are_defused_in_the_published_csv(tmp_path, build):
    names = {"清应急罚〔2024〕5号": "-2+3*示例公司", "清应急罚〔2024〕6号": "－1＋1示例公司", "清应急罚〔2024〕7号": "@SUM(A1)示例公司"}
    data = write_dataset(tmp_path, decisions=[penalty_row(**{"行政处罚决定书文号": d, "行政相对人名称": n})
                                              for d, n in names.items()])
    code, out = build(data)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO((out / "open-data" / "decisions.csv").read_text(encoding="utf-8-sig"))))
    by_docno = {r["文书号"]: r["行政相对人名称"] for r in rows}
    assert {d: by_docno[d] for d in names} == {d: "'" + n for d, n in names.items()}


# ================================================================ publish.Slots.swap

IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200


class DirectoryEvents:
    """What the kernel reports happening to the names in one folder (Linux
    inotify): [(event mask, name)], read without blocking."""

    def __init__(self, folder: Path):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        mask = IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
        assert self.libc.inotify_add_watch(self.fd, str(folder).encode(), mask) >= 0

    def read(self) -> list[tuple[int, str]]:
        data = b""
        while True:
            try:
                data += os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
        events, at = [], 0
        while at < len(data):
            _, mask, _, size = struct.unpack_from("iIII", data, at)
            events.append((mask, data[at + 16:at + 16 + size].rstrip(b"\0").decode()))
            at += 16 + size
        return events

    def close(self) -> None:
        os.close(self.fd)


def test_the_live_site_is_switched_by_one_rename_and_never_missing(tmp_path):
    """The live path is switched by renaming a new link over it: the kernel
    reports the name only ever moved in (never deleted), and a reader racing
    the switches finds the old site or the new one, never nothing."""
    slots = Slots(tmp_path / "output")
    for name in "ab":
        (slots.root / name).mkdir(parents=True)
        (slots.root / name / "index.html").write_text(name, encoding="utf-8")
    slots.swap(slots.root / "a")
    page = slots.live / "index.html"
    events = DirectoryEvents(tmp_path)
    stop, seen = threading.Event(), {"found": 0, "missing": 0}

    def reader():
        while not stop.is_set():
            try:
                os.stat(page)
                seen["found"] += 1
            except FileNotFoundError:
                seen["missing"] += 1

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        happened = []
        for n in range(300):
            slot = slots.root / "ba"[n % 2]
            slots.swap(slot)
            assert slots.current() == slot.resolve()
            happened += events.read()
    finally:
        stop.set()
        thread.join()
        events.close()
    to_live = [mask for mask, name in happened if name == "output"]
    assert to_live == [IN_MOVED_TO] * 300  # not IN_DELETE then IN_MOVED_TO / IN_CREATE
    assert seen["missing"] == 0, seen
    assert page.read_text(encoding="utf-8") == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.slots", "output"]  # no link left behind


# ================================================================ stats: amounts

def test_amounts_are_rounded_half_up_to_the_fen(tmp_path):
    """万元 sums to 2 decimals, half up as in accounting (0.125 → 0.13, not the
    banker's 0.12), from the decimal written (2.675 → 2.68, though the float is 2.67499…)."""
    data = write_dataset(tmp_path, decisions=[
        penalty_row(**{"罚款金额（万元）": "0.125", "没收违法所得、没收非法财物的金额（万元）": "0.005"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2023〕8号", "处罚决定日期": "2023-05-08",
                       "罚款金额（万元）": "2.675", "没收违法所得、没收非法财物的金额（万元）": "1.115"}),
    ], licenses=[], others=[])
    site = prepare(data, TODAY)
    assert not site.report.problems
    book = stats.yearbook(site, 2024)
    assert (book["fines_total_wan"], book["confiscations_total_wan"]) == (0.13, 0.01)
    assert book["amounts_by_agency"] == {AGENCY_A: {"fine_wan": 0.13, "confiscation_wan": 0.01}}
    book = stats.yearbook(site, 2023)
    assert (book["fines_total_wan"], book["confiscations_total_wan"]) == (2.68, 1.12)
    assert AGENCY_B in book["agencies"] and AGENCY_B not in book["amounts_by_agency"]
