"""The annual statistics (DATA-CONTRACT §4), checked against a computation
written here straight from the fixture rows, not through gongshi.stats.

Every fixture row carries, next to the cells written to the CSV, the facts a
person reads off it by hand: its decision date, the 第九条 types its 处罚类别 names,
the most severe of them (行政处罚法 第九条: later = harsher; unknown = 其他, lowest),
and whether it was published on time (working days counted by hand in the
comments, from the 2025/2026 official calendars).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import tree_digest
from helpers import (AGENCY_A, AGENCY_B, LICENSE_HEADER, OTHER_HEADER, PENALTY_HEADER, TAKEDOWN_HEADER,
                     license_record, other_record, penalty_record, write_records)

CATEGORIES = ["行政处罚", "行政许可", "行政强制", "行政检查", "行政征收征用", "行政确认", "其他"]
REASONS = ["决定被撤销", "决定被确认违法", "要求重新作出", "公示期满", "信用修复", "信息有误", "其他",
           "按公示规则不公开"]  # the last: decisions a publication rule withdrew (tests/test_rules.py)
TARGETS = ["法人及非法人组织", "个体工商户", "自然人"]
# 行政处罚法 第九条, most severe first (the ranking docs/site.md documents).
ORDER = ["行政拘留", "限制从业", "责令关闭", "责令停产停业", "限制开展生产经营活动", "吊销许可证件", "降低资质等级",
         "暂扣许可证件", "没收非法财物", "没收违法所得", "罚款", "通报批评", "警告", "其他行政处罚"]

TAKEN_DOWN_NAME = "撤下目标甲有限公司"
EXPIRED_NAME = "到期目标乙有限公司"
NEVER_NAME = "从未公开丙有限公司"

# (category, agency, decided, target type, cells, facts)
# facts: types (set), severest, fine, confiscation, license type, on_time (None = never published)
ROWS = [
    # 2025-03-05 Wed, published next day: on time.
    ("行政处罚", AGENCY_A, date(2025, 3, 5), "法人及非法人组织",
     {"行政处罚决定书文号": "清应急罚〔2025〕1号", "处罚类别": "警告;罚款", "罚款金额（万元）": "2",
      "处罚决定日期": "2025-03-05", "公示日期": "2025-03-06"},
     {"types": {"警告", "罚款"}, "severest": "罚款", "fine": "2", "on_time": True}),
    # 2025-12-31 (written 2025年12月31日): 7 working days end 2026-01-12 (元旦 1-3 off, Sun 1-4 worked); published 1-20: late.
    ("行政处罚", AGENCY_A, date(2025, 12, 31), "自然人",
     {"行政相对人名称": "张三", "行政相对人类别": "自然人", "行政相对人代码_1（统一社会信用代码）": "", "法定代表人": "",
      "行政处罚决定书文号": "清应急罚〔2025〕2号", "处罚类别": "罚款、没收违法所得", "罚款金额（万元）": "1.255",
      "没收违法所得、没收非法财物的金额（万元）": "0.5", "处罚决定日期": "2025年12月31日", "公示日期": "2026-01-20"},
     {"types": {"罚款", "没收违法所得"}, "severest": "没收违法所得", "fine": "1.255", "conf": "0.5", "on_time": False}),
    # No 公示日期: first published by this build (2026-11-22): late.
    ("行政处罚", AGENCY_B, date(2025, 7, 15), "个体工商户",
     {"行政相对人类别": "个体工商户", "行政处罚决定书文号": "清市监罚〔2025〕3号", "处罚类别": "吊销许可证，罚款，警告",
      "罚款金额（万元）": "3.333", "处罚决定日期": "2025/7/15", "处罚机关": "清河区市场监督管理局",
      "处罚机关统一社会信用代码": AGENCY_B},
     {"types": {"吊销许可证件", "罚款", "警告"}, "severest": "吊销许可证件", "fine": "3.333", "on_time": False}),
    # 2026-01-01 (written 20260101), published 2026-01-05: on time.
    ("行政处罚", AGENCY_A, date(2026, 1, 1), "法人及非法人组织",
     {"行政处罚决定书文号": "清应急罚〔2026〕1号", "处罚类别": "责令停产停业；通报批评", "罚款金额（万元）": "",
      "处罚决定日期": "20260101", "公示日期": "2026-01-05"},
     {"types": {"责令停产停业", "通报批评"}, "severest": "责令停产停业", "on_time": True}),
    # Taken down in 2026 (决定被撤销), published 2025-05-12 (Mon) two days after Sat 05-10: on time.
    ("行政处罚", AGENCY_A, date(2025, 5, 10), "法人及非法人组织",
     {"行政相对人名称": TAKEN_DOWN_NAME, "行政处罚决定书文号": "清应急罚〔2025〕5号", "处罚类别": "行政拘留、罚款",
      "罚款金额（万元）": "5", "处罚决定日期": "2025-05-10", "公示日期": "2025-05-12"},
     {"types": {"行政拘留", "罚款"}, "severest": "行政拘留", "fine": "5", "on_time": True}),
    # Dated 2024, expired 2025-06-30 (公示期满 counts in 2025); published on the day: on time.
    ("行政处罚", AGENCY_A, date(2024, 6, 3), "法人及非法人组织",
     {"行政相对人名称": EXPIRED_NAME, "行政处罚决定书文号": "清应急罚〔2024〕6号", "处罚类别": "罚款",
      "罚款金额（万元）": "1", "处罚决定日期": "2024-06-03", "公示截止期": "2025-06-30", "公示日期": "2024-06-03"},
     {"types": {"罚款"}, "severest": "罚款", "fine": "1", "on_time": True}),
    # Taken down (信息有误, 2025-12-31) before it was ever published: counted, never on time/late.
    ("行政处罚", AGENCY_A, date(2025, 9, 1), "法人及非法人组织",
     {"行政相对人名称": NEVER_NAME, "行政处罚决定书文号": "清应急罚〔2025〕7号", "处罚类别": "没收非法财物",
      "罚款金额（万元）": "", "没收违法所得、没收非法财物的金额（万元）": "0.25", "处罚决定日期": "2025-09-01"},
     {"types": {"没收非法财物"}, "severest": "没收非法财物", "conf": "0.25", "on_time": None}),
    # An unrecognised type ranks below 警告.
    ("行政处罚", AGENCY_A, date(2025, 8, 1), "法人及非法人组织",
     {"行政处罚决定书文号": "清应急罚〔2025〕8号", "处罚类别": "警告;责令改正", "罚款金额（万元）": "",
      "处罚决定日期": "2025-08-01", "公示日期": "2025-08-01"},
     {"types": {"警告", "其他行政处罚"}, "severest": "警告", "on_time": True}),
    # Licences (agency B).
    ("行政许可", AGENCY_B, date(2025, 6, 3), "个体工商户",
     {"行政许可决定文书号": "清市监许〔2025〕1号", "许可类别": "普通", "许可决定日期": "2025-06-03", "公示日期": "2025-06-04"},
     {"license": "普通", "on_time": True}),
    # 2025-12-31, 7 working days end 2026-01-12; published 01-07: on time.
    ("行政许可", AGENCY_B, date(2025, 12, 31), "法人及非法人组织",
     {"行政相对人类别": "法人及非法人组织", "行政许可决定文书号": "清市监许〔2025〕2号", "许可类别": "特许",
      "许可决定日期": "2025-12-31", "公示日期": "2026-01-07"},
     {"license": "特许", "on_time": True}),
    ("行政许可", AGENCY_B, date(2025, 9, 9), "个体工商户",
     {"行政许可决定文书号": "清市监许〔2025〕3号", "许可类别": '=HYPERLINK("http://evil","x")',
      "许可决定日期": "2025-09-09", "公示日期": "2025-09-09"},
     {"license": "其他", "on_time": True}),  # not a 双公示 许可类别: counted as 其他, its text never shown
    # 2026, taken down by a 公示期满 row dated 2026-10-01; published next day: on time.
    ("行政许可", AGENCY_B, date(2026, 2, 2), "个体工商户",
     {"行政许可决定文书号": "清市监许〔2026〕1号", "许可类别": " 普通许可", "许可决定日期": "2026-02-02", "公示日期": "2026-02-03"},
     {"license": "普通", "on_time": True}),
    # Other decisions (agency A): 20 working days.
    ("行政检查", AGENCY_A, date(2025, 12, 31), "法人及非法人组织",
     {"执法类别": "行政检查", "决定文书号": "清应急检〔2025〕1号", "决定日期": "2025-12-31", "公示日期": "2026-01-05"},
     {"on_time": True}),
    # 2025-03-05 + 20 working days = 2025-04-02; published 05-30: late.
    ("行政检查", AGENCY_A, date(2025, 3, 5), "个体工商户",
     {"执法类别": "行政检查", "决定文书号": "清应急检〔2025〕2号", "执法对象类别": "个体工商户", "决定日期": "2025-03-05",
      "公示日期": "2025-05-30"},
     {"on_time": False}),
    # 2026-01-01, first published by this build: late.
    ("行政强制", AGENCY_A, date(2026, 1, 1), "法人及非法人组织",
     {"执法类别": "行政强制", "决定文书号": "清应急强〔2026〕1号", "决定日期": "2026-01-01"},
     {"on_time": False}),
]
TAKEDOWNS = [  # (文书号, reason, date as written, date)
    ("清应急罚〔2025〕5号", "决定被撤销", "2026-02-03", date(2026, 2, 3)),
    ("清应急罚〔2025〕7号", "信息有误", "2025-12-31", date(2025, 12, 31)),
    ("清市监许〔2026〕1号", "公示期满", "2026-10-01", date(2026, 10, 1)),
]
EXPIRIES = [date(2025, 6, 30)]  # the 2024 row's 公示截止期


def write_fixture(root: Path, rows=ROWS, takedowns=TAKEDOWNS) -> Path:
    from helpers import write_dataset

    data = write_dataset(root, decisions=[], licenses=[], others=[])
    for path in (data / "decisions").iterdir():
        path.unlink()
    records = {"行政处罚": [], "行政许可": [], "其他": []}
    for category, _, _, _, cells, _ in rows:
        if category == "行政处罚":
            records[category].append(penalty_record(**cells))
        elif category == "行政许可":
            records[category].append(license_record(**cells))
        else:
            records["其他"].append(other_record(**cells))
    for name, header, kind in (("1-处罚.csv", PENALTY_HEADER, "行政处罚"), ("2-许可.csv", LICENSE_HEADER, "行政许可"),
                               ("3-其他.csv", OTHER_HEADER, "其他")):
        if records[kind]:
            write_records(data / "decisions" / name, records[kind], header + ["公示日期"] * ("公示日期" not in header))
    write_records(data / "takedowns.csv", [{"文书号": d, "撤下原因": r, "原因发生日期": w} for d, r, w, _ in takedowns],
                  TAKEDOWN_HEADER)
    return data


def wan(values) -> float:
    total = sum((Decimal(v) for v in values), Decimal(0))
    return float(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected(year: int, rows=ROWS, takedowns=TAKEDOWNS, expiries=EXPIRIES) -> dict:
    """The yearbook, computed by hand from the fixture rows."""
    mine = [r for r in rows if r[2].year == year]
    by_agency = {}
    for category, agency, *_ in mine:
        by_agency.setdefault(agency, Counter())[category] += 1
    penalties = [r for r in mine if r[0] == "行政处罚"]
    on_time = {c: {"on_time": 0, "late": 0} for c in CATEGORIES}
    for category, *_, facts in mine:
        if facts["on_time"] is not None:
            on_time[category]["on_time" if facts["on_time"] else "late"] += 1
    reasons = Counter(r for _, r, _, when in takedowns if when.year == year)
    reasons["公示期满"] += sum(1 for d in expiries if d.year == year)
    return {
        "year": year,
        "decisions_by_category": {c: sum(1 for r in mine if r[0] == c) for c in CATEGORIES},
        "decisions_by_agency": {a: {c: n[c] for c in CATEGORIES} for a, n in by_agency.items()},
        "fines_total_wan": wan(r[5].get("fine", "0") for r in penalties),
        "confiscations_total_wan": wan(r[5].get("conf", "0") for r in penalties),
        "penalties_by_type": {t: sum(1 for r in penalties if t in r[5]["types"]) for t in ORDER},
        "penalties_by_most_severe_type": {t: sum(1 for r in penalties if r[5]["severest"] == t) for t in ORDER},
        "decisions_by_target_type": {t: sum(1 for r in mine if r[3] == t) for t in TARGETS},
        "takedowns_by_reason": {r: reasons[r] for r in REASONS},
        "on_time": on_time,
        "licenses_by_type": {t: sum(1 for r in mine if r[0] == "行政许可" and r[5]["license"] == t)
                             for t in ["普通", "特许", "认可", "核准", "登记", "其他"]},
        "months": Counter(f"{r[2]:%Y-%m}" for r in mine),
    }


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = []

    def handle_data(self, data):
        self.text.append(data)


def plain(html: str) -> str:
    p = _Text()
    p.feed(html)
    return "".join(p.text)


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def built(tmp_path, build):
    code, out = build(write_fixture(tmp_path), SITEURL="https://zfgs.example.gov.cn")  # (a sitemap to check)
    assert code == 0
    return Path(os.path.realpath(out))


def stats_json(out: Path, year: int) -> dict:
    return json.loads((out / "stats" / str(year) / "stats.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_figures_match_an_independent_count(built, year):
    book, want = stats_json(built, year), expected(year)
    assert book["year"] == year
    assert book["decisions_by_category"] == want["decisions_by_category"]
    # Every agency is listed; those without decisions in the year have zeros.
    assert {a: c for a, c in book["decisions_by_agency"].items() if sum(c.values())} == want["decisions_by_agency"]
    assert set(book["decisions_by_agency"]) == {AGENCY_A, AGENCY_B}
    assert book["fines_total_wan"] == want["fines_total_wan"]
    assert book["confiscations_total_wan"] == want["confiscations_total_wan"]
    assert book["penalties_by_type"] == want["penalties_by_type"]
    assert book["penalties_by_most_severe_type"] == want["penalties_by_most_severe_type"]
    assert book["penalty_severity_order"] == ORDER
    assert book["decisions_by_target_type"] == want["decisions_by_target_type"]
    assert book["takedowns_by_reason"] == want["takedowns_by_reason"]
    assert book["on_time"] == want["on_time"]
    assert book["licenses_by_type"] == want["licenses_by_type"]
    assert {m: n for m, n in book["decisions_by_month"].items() if n} == dict(want["months"])
    assert book["decisions_total"] == sum(want["decisions_by_category"].values())


def test_the_contract_keys_and_the_2025_figures_spelled_out(built):
    book = stats_json(built, 2025)
    for key in ("year", "decisions_by_category", "decisions_by_agency", "fines_total_wan", "takedowns_by_reason",
                "on_time"):
        assert key in book
    # Two rows are dated 2025-12-31 and two 2026-01-01: the year boundary is the calendar date.
    assert book["decisions_by_month"]["2025-12"] == 3
    assert stats_json(built, 2026)["decisions_by_month"]["2026-01"] == 2
    # Taken-down (清应急罚〔2025〕5号) and never-published (〔2025〕7号) decisions still count.
    assert book["decisions_by_category"]["行政处罚"] == 6
    assert book["fines_total_wan"] == 11.59  # 2 + 1.255 + 3.333 + 5 = 11.588
    assert book["penalties_by_most_severe_type"]["行政拘留"] == 1
    assert book["penalties_by_most_severe_type"]["警告"] == 1  # 警告 + an unknown type
    assert book["takedowns_by_reason"]["公示期满"] == 1 and book["takedowns_by_reason"]["信息有误"] == 1
    assert book["on_time"]["行政处罚"] == {"on_time": 3, "late": 2}


def test_csv_tables_match_the_json(built):
    folder = built / "stats" / "2025"
    book = stats_json(built, 2025)
    rows = read_csv(folder / "penalty-types.csv")
    assert rows[0] == ["处罚种类（从重到轻）", "出现次数", "按最重种类计"]
    assert [r[0] for r in rows[1:-1]] == ORDER
    for name, occ, sev in rows[1:-1]:
        assert (int(occ), int(sev)) == (book["penalties_by_type"][name], book["penalties_by_most_severe_type"][name])
    assert rows[-1] == ["合计", str(sum(book["penalties_by_type"].values())), "6"]
    agency_rows = {r[1]: r for r in read_csv(folder / "by-agency.csv")[1:] if r[0] != "合计"}
    for code, counts in book["decisions_by_agency"].items():
        assert [int(v) for v in agency_rows[code][2:9]] == [counts[c] for c in CATEGORIES]
    amounts = read_csv(folder / "amounts.csv")
    assert amounts[-1][:4] == ["合计", "", "11.59", "0.75"]
    licenses = {r[0]: int(r[1]) for r in read_csv(folder / "license-types.csv")[1:]}
    assert licenses == {**book["licenses_by_type"], "合计": 3}
    takedowns = {r[0]: int(r[1]) for r in read_csv(folder / "takedowns.csv")[1:]}
    assert takedowns == {**book["takedowns_by_reason"], "合计": sum(book["takedowns_by_reason"].values())}
    timeliness = {r[0]: r for r in read_csv(folder / "timeliness.csv")[1:]}
    for category, counts in book["on_time"].items():
        assert (int(timeliness[category][2]), int(timeliness[category][3])) == (counts["on_time"], counts["late"])
    assert timeliness["行政处罚"][1] == "7" and timeliness["行政检查"][1] == "20"


def test_statistics_name_no_target_no_docno_and_no_free_text(built):
    text = "\n".join(p.read_bytes().decode("utf-8") for p in (built / "stats").rglob("*") if p.is_file())
    for secret in (TAKEN_DOWN_NAME, EXPIRED_NAME, NEVER_NAME, "张三", "张*", "示例恒达建材有限公司",
                   "清应急罚〔2025〕5号", "清应急罚〔2025〕7号", "91110105MA01ABCD2X", "HYPERLINK", "责令改正"):
        assert secret not in text, secret


def test_agency_names_are_escaped_and_defused_in_every_format(tmp_path, build):
    from helpers import ENTITIES, ENTITY_HEADER, write_csv

    evil = '=HYP()<b>局</b>$x$'  # short enough (≤ 18 characters) to stay whole in the chart
    data = write_fixture(tmp_path)
    write_csv(data / "entities.csv", ENTITY_HEADER, [ENTITIES[0], [evil, *ENTITIES[1][1:]]])
    code, out = build(data)
    assert code == 5  # published; the renamed agency's staff row (named by its old name) is held back
    folder = Path(os.path.realpath(out)) / "stats" / "2025"
    rows = {r[1]: r[0] for r in read_csv(folder / "by-agency.csv")[1:]}
    assert rows[AGENCY_B] == "'" + evil
    assert stats_json(out, 2025)["agencies"][AGENCY_B] == evil
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "<b>局" not in html and "&lt;b&gt;局" in html
    for svg in folder.glob("*.svg"):
        ET.parse(svg)  # still well-formed XML
        assert "<b>" not in svg.read_text(encoding="utf-8")
    labels = [t.text for t in ET.parse(folder / "by-agency.svg").getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert evil in labels  # "$…$" is text, not mathtext


def test_every_year_with_decisions_has_a_page_and_the_index_marks_the_current_year(built):
    assert sorted(p.name for p in (built / "stats").iterdir() if p.is_dir()) == ["2024", "2025", "2026"]
    for year in (2024, 2025, 2026):
        assert (built / "stats" / str(year) / "index.html").is_file()
    html = (built / "stats" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./stats/(\d{4})/index\.html"', html)
    assert links == ["2026", "2025", "2024"]
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "截至" in rows[0] and "2026-11-22" in rows[0]
    assert all("截至" not in r and "全年" in r for r in rows[1:])
    assert stats_json(built, 2026)["partial"] and not stats_json(built, 2025)["partial"]
    assert "统计年报" in (built / "index.html").read_text(encoding="utf-8")  # in the main navigation
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "stats/2025/index.html" in sitemap and "stats/index.html" in sitemap


def test_current_year_follows_the_build_date(tmp_path, build):
    rows = [r for r in ROWS if r[2].year == 2025 and r[4].get("公示日期", "2025") < "2026"]
    data = write_fixture(tmp_path, rows, [t for t in TAKEDOWNS if t[3].year == 2025])
    code, out = build(data, today="2025-12-31")
    assert code == 0
    book = stats_json(out, 2025)
    assert book["partial"] and book["as_of"] == "2025-12-31"
    assert "截至 2025-12-31（本年度）" in plain((out / "stats" / "index.html").read_text(encoding="utf-8"))
    assert "截至 2025-12-31" in plain((out / "stats" / "2025" / "index.html").read_text(encoding="utf-8"))
    code, out = build(data, today="2026-01-01")
    assert code == 0
    book = stats_json(out, 2025)
    assert not book["partial"] and book["as_of"] == "2025-12-31"
    assert "截至" not in (out / "stats" / "index.html").read_text(encoding="utf-8").split("<tbody>")[1]
    assert not (Path(os.path.realpath(out)) / "stats" / "2026").exists()  # no decisions dated 2026


def test_charts_are_accessible_svg_with_text_and_same_data_gives_same_bytes(tmp_path, build):
    data = write_fixture(tmp_path)
    code, out = build(data)
    assert code == 0
    first = {k: v for k, v in tree_digest(out).items() if k.startswith("stats/")}
    code, out = build(data, output=tmp_path / "second")
    assert code == 0
    second = {k: v for k, v in tree_digest(out).items() if k.startswith("stats/")}
    assert first == second and any(k.endswith(".svg") for k in first)

    out = Path(os.path.realpath(out))
    page = (out / "stats" / "2025" / "index.html").read_text(encoding="utf-8")
    svgs = sorted((out / "stats" / "2025").glob("*.svg"))
    assert {p.stem for p in svgs} >= {"by-category", "by-agency", "penalty-types", "amounts", "target-types",
                                      "months", "takedowns", "timeliness", "license-types"}
    ns = "{http://www.w3.org/2000/svg}"
    for svg in svgs:
        root = ET.parse(svg).getroot()
        assert root.get("role") == "img"
        title = root.find(f"{ns}title").text
        assert title.startswith("2025年") and root.find(f"{ns}desc").text
        texts = "".join(t.text or "" for t in root.iter(f"{ns}text"))
        assert re.search(r"[\u4e00-\u9fff]", texts), svg.name  # labels stay text: the browser's CJK font draws them
        assert "DejaVu" not in svg.read_text(encoding="utf-8")
        # The page shows it in a figure with its summary and the table next to it.
        figure = page.split(f'src="../../stats/2025/{svg.name}"')[0].rsplit("<figure", 1)[1] + \
            page.split(f'src="../../stats/2025/{svg.name}"')[1].split("</section>")[0]
        assert "<figcaption>" in figure and "<table" in figure and 'alt="柱状图：' in figure
        assert root.find(f"{ns}desc").text in figure.replace("&#34;", '"')
    assert page.count("<figure") == len(svgs)
    assert page.count("下载本表（CSV）") == 9


def test_page_shows_the_severity_order_and_the_json_link(built):
    html = (built / "stats" / "2025" / "index.html").read_text(encoding="utf-8")
    text = plain(html)
    assert "＞".join(ORDER[:-1]) in text
    assert "第九条" in text and "stats.json" in html


def test_a_published_decision_missing_from_the_export_still_counts(tmp_path, build):
    data = write_fixture(tmp_path)
    assert build(data)[0] == 0
    rows = [r for r in ROWS if r[4].get("行政处罚决定书文号") != "清应急罚〔2025〕1号"]
    data = write_fixture(tmp_path, rows)
    code, out = build(data)
    assert code == 0
    book = stats_json(out, 2025)
    assert book["decisions_by_category"] == expected(2025)["decisions_by_category"]
    assert book["penalties_by_most_severe_type"] == expected(2025)["penalties_by_most_severe_type"]
    assert book["fines_total_wan"] == expected(2025)["fines_total_wan"]


# --- the severity rule on its own -------------------------------------------------

SPELLINGS = {"警告": "警告", "通报批评": "通报批评", "罚款": "罚款", "没收违法所得": "没收违法所得",
             "没收非法财物": "没收非法财物", "暂扣许可证": "暂扣许可证件", "降低资质等级": "降低资质等级",
             "吊销营业执照": "吊销许可证件", "限制开展生产经营活动": "限制开展生产经营活动", "责令停产停业": "责令停产停业",
             "责令关闭": "责令关闭", "限制从业": "限制从业", "行政拘留": "行政拘留", "责令改正": "其他行政处罚"}


@given(st.lists(st.sampled_from(sorted(SPELLINGS)), min_size=1, max_size=6), st.sampled_from(";；,，、"))
def test_most_severe_is_the_harshest_named_type_whatever_the_order(written, sep):
    from pelican.plugins.gongshi.penalties import most_severe, penalty_types

    types = penalty_types(sep.join(written))
    assert set(types) == {SPELLINGS[w] for w in written}
    assert most_severe(types) == min((SPELLINGS[w] for w in written), key=ORDER.index)
    assert penalty_types(sep.join(reversed(written))) == types


_SVG = "{http://www.w3.org/2000/svg}"


def _chart(labels, series, horizontal):
    from pelican.plugins.gongshi import charts

    root = ET.fromstring(charts.bar_chart("2025年测试", labels, series, "摘要", horizontal))
    bars = [r for r in root.iter(f"{_SVG}rect") if "bar" in (r.get("class") or "").split()]
    return root, bars


@given(values=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=30),
       horizontal=st.booleans(), two=st.booleans(), months=st.booleans())
def test_a_chart_draws_each_value_in_proportion_and_stays_readable_on_a_phone(values, horizontal, two, months):
    # Twelve months (short labels, four-digit values), or at least two long labels (one has the whole width).
    values = [(1000 + a % 9000, 1000 + b % 9000) for a, b in (values * 12)[:12]] if months else (values * 2)[:max(2, len(values))]
    labels = [f"{i + 1}月" if months else f"示例市第{i}区市场监督管理局行政执法大队" for i in range(len(values))]
    series = [("罚款", [float(a) for a, _ in values])] + ([("没收", [float(b) for _, b in values])] if two else [])
    root, bars = _chart(labels, series, horizontal)
    assert len(bars) == len(values) * len(series)
    # Columns when asked and every label and value fits its column (twelve months of up to
    # four digits, one series), rows otherwise: a row's bars start at the axis, columns stand on it.
    columns = not horizontal and months and not two
    if columns:
        assert len({r.get("x") for r in bars}) == len(bars)
        assert len({float(r.get("y")) + float(r.get("height")) for r in bars}) == 1
    else:
        assert len({r.get("x") for r in bars}) == 1
    size = [float(r.get("height" if columns else "width")) for r in bars]
    drawn = [vs[n] for n in range(len(values)) for _, vs in series]
    largest, longest = max(drawn) or 1, max(size) or 1
    for length, value in zip(size, drawn):
        assert abs(length / longest - value / largest) < 0.002  # the bar's length is its share of the largest
    texts = [t.text for t in root.iter(f"{_SVG}text")]
    assert {f"{v:g}" for _, vs in series for v in vs} <= set(texts)  # every value is written out
    assert sum(t.endswith("…") for t in texts) == (0 if months else len(values))  # long labels are shortened
    # Shown at 358 px (a 390 px phone's content width) no text is below 10 px.
    width = float(root.get("width"))
    sizes = [float(s) for s in re.findall(r"font-size:([\d.]+)px", root.find(f"{_SVG}style").text)]
    assert sizes and min(sizes) * 358 / width >= 10 and not any(t.get("font-size") for t in root.iter(f"{_SVG}text"))
    for r in bars:  # nothing is drawn outside the picture
        assert float(r.get("x")) + float(r.get("width")) <= width + 0.05
        assert float(r.get("y")) + float(r.get("height")) <= float(root.get("height"))


def test_columns_that_would_need_small_text_are_drawn_as_rows():
    months = [f"{i + 1}月" for i in range(12)]
    _, bars = _chart(months, [("决定数", [float(n) for n in range(2000, 2012)])], horizontal=False)
    assert len({r.get("x") for r in bars}) == 12  # "2011" fits a month's column
    _, bars = _chart(months, [("决定数", [123456.0] * 12)], horizontal=False)
    assert len({r.get("x") for r in bars}) == 1  # "123456" does not: rows
