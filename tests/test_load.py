"""The loader against the data contract (DATA-CONTRACT.md §1), with real files.

Every test writes a data folder with ``helpers.write_dataset`` (a small valid
dataset), replaces one file with a variant, loads it with
``gongshi.load.load_dataset`` and checks the records and the reported problems.
"""
from __future__ import annotations

import codecs
import gc
import csv
import io
import json
import re
import shutil
from datetime import date, datetime, timedelta

import pytest

from pelican.plugins.gongshi import sources
from pelican.plugins.gongshi.load import load_dataset
from pelican.plugins.gongshi.pipeline import build_site, prepare
from pelican.plugins.gongshi.problems import FILE, ROW
from pelican.plugins.gongshi.takedowns import split_live
from helpers import (AGENCY_A, assert_clean, only, AGENCY_B, ENTITIES, ENTITY_HEADER, LICENSE_HEADER,
                     NATURAL_PENALTY_HEADER, OTHER_HEADER, PENALTY_HEADER, STAFF, STAFF_HEADER,
                     TODAY, csv_bytes, license_record, license_row, natural_record,
                     other_record, other_row, penalty_record, penalty_row, write_csv, write_dataset,
                     write_records, write_xlsx)

PENALTY_FILE = "decisions/2024-行政处罚.csv"
LICENSE_FILE = "decisions/2025-行政许可.csv"
OTHER_FILE = "decisions/2026-其他.csv"
DOC1 = "清应急罚〔2024〕1号"  # penalty_row()'s 文书号
DOC2 = "清应急罚〔2024〕2号"
LICENSE_DOC = "清市监许〔2025〕8号"
OTHER_DOC = "清应急检〔2026〕3号"


def key(agency: str, docno: str) -> str:
    """A decision's key as the contract defines it: (agency 统一社会信用代码, 文书号)."""
    return f"{agency}/{docno}"


def load(data, today=TODAY):
    return load_dataset(data, today)


def write_penalties(data, records, name="2024-行政处罚.csv", **kw):
    return write_records(data / "decisions" / name, records, **kw)


def public_json(ds, today=TODAY) -> str:
    site = build_site(ds, today)
    return json.dumps([site.decisions, site.staff, site.entities, site.checklists], ensure_ascii=False)


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_every_csv_encoding_loads_the_same_records(tmp_path, encoding):
    # 𠮷 (U+20BB7) is a four-byte GB18030 character: GBK alone cannot read it.
    rows = [penalty_row(行政相对人名称="𠮷野家餐饮有限公司"), penalty_row(**{"行政处罚决定书文号": DOC2})]
    reference = load(write_dataset(tmp_path / "utf8", decisions=rows))
    assert_clean(reference)
    assert len(reference.decisions) == 4 and len(reference.staff) == 3 and reference.checklists

    data = write_dataset(tmp_path / encoding, decisions=rows)
    for path in data.rglob("*.csv"):
        raw = path.read_bytes().decode("utf-8").encode(encoding)
        if encoding == "gb18030":  # the file really needs the GB18030 fallback
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        else:
            assert raw.startswith(codecs.BOM_UTF8)
        path.write_bytes(raw)

    ds = load(data)
    assert_clean(ds)
    assert ds.entities == reference.entities
    assert ds.staff == reference.staff
    assert ds.checklists == reference.checklists
    assert ds.decisions == reference.decisions
    # The BOM does not stick to the first header: 行政相对人名称 was recognised.
    assert ds.decisions[key(AGENCY_A, DOC1)].values["target_name"] == "𠮷野家餐饮有限公司"


def _latin1():
    return "Nom,Café\r\nAndré,Café\r\n".encode("latin-1")


def _shift_jis():
    return "名前,ｱ\r\nﾃｽﾄ,ｱ\r\n".encode("shift_jis")


def _utf16():
    return csv_bytes(PENALTY_HEADER, [penalty_row()], "utf-16")


@pytest.mark.parametrize("make_bytes", [_latin1, _shift_jis, _utf16], ids=["latin-1", "shift-jis", "utf-16"])
def test_undecodable_file_is_a_file_level_encoding_problem(tmp_path, make_bytes):
    raw = make_bytes()
    for codec in ("utf-8", "gb18030"):  # precondition: neither fallback can read it
        with pytest.raises(UnicodeDecodeError):
            raw.decode(codec)
    data = write_dataset(tmp_path)
    (data / "decisions" / "2027-外部导出.csv").write_bytes(raw)

    ds = load(data)
    problem = only(ds, "encoding")
    assert problem.level == FILE
    assert problem.file == "decisions/2027-外部导出.csv"
    assert problem.fix.strip()
    assert str(problem).startswith("decisions/2027-外部导出.csv:")
    assert problem.fix in str(problem)
    assert ds.report.fatal == [problem]
    assert prepare(data, TODAY).decisions == []  # a file-level problem stops the build


def test_undecodable_entities_file_names_entities_csv(tmp_path):
    data = write_dataset(tmp_path)
    (data / "entities.csv").write_bytes(_latin1())
    ds = load(data)
    assert any(p.code == "encoding" and p.file == "entities.csv" and p.level == FILE for p in ds.report.problems)


# --------------------------------------------------------------------------- .xlsx

def test_xlsx_decisions_with_date_number_and_text_cells_equal_the_csv(tmp_path):
    csv_rows = [
        penalty_row(**{"行政处罚决定书文号": "00451", "罚款金额（万元）": "1,200.5", "处罚决定日期": "2024-03-05",
                       "处罚有效期": "2025/3/5", "公示截止期": "2027年3月5日"}),
        penalty_row(**{"行政处罚决定书文号": "2024001", "罚款金额（万元）": "2", "处罚决定日期": "20240401",
                       "处罚有效期": "", "公示截止期": ""}),
    ]
    xlsx_rows = []
    for row in csv_rows:
        cells = dict(zip(PENALTY_HEADER, row))
        cells.update({"处罚决定日期": None, "处罚有效期": None, "公示截止期": None})
        xlsx_rows.append(cells)
    # Real cell types: date cells, number cells, a text cell with leading zeros.
    xlsx_rows[0].update({"行政处罚决定书文号": "00451", "罚款金额（万元）": 1200.5, "处罚决定日期": date(2024, 3, 5),
                         "处罚有效期": date(2025, 3, 5), "公示截止期": datetime(2027, 3, 5)})
    xlsx_rows[1].update({"行政处罚决定书文号": 2024001, "罚款金额（万元）": 2, "处罚决定日期": date(2024, 4, 1)})

    from_csv = load(write_dataset(tmp_path / "csv", decisions=csv_rows))
    assert_clean(from_csv)

    data = write_dataset(tmp_path / "xlsx", decisions=[])
    (data / "decisions" / "2024-行政处罚.csv").unlink()
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER,
               [[r[h] for h in PENALTY_HEADER] for r in xlsx_rows])
    from_xlsx = load(data)
    assert_clean(from_xlsx)

    first = from_xlsx.decisions[key(AGENCY_A, "00451")]  # leading zeros kept
    assert first.decision_date == date(2024, 3, 5)
    assert first.values["fine_wan"] == 1200.5
    assert first.values["deadline"] == date(2027, 3, 5)
    assert key(AGENCY_A, "2024001") in from_xlsx.decisions  # a number cell read as its digits
    for k, d in from_csv.decisions.items():
        if d.category == "行政处罚":
            assert from_xlsx.decisions[k].values == d.values


def test_xlsx_blank_rows_count_in_row_numbers(tmp_path):
    data = write_dataset(tmp_path, decisions=[])
    (data / "decisions" / "2024-行政处罚.csv").unlink()
    good = penalty_row()
    bad = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕5号", "处罚决定日期": "2024-02-30"})
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER, [good, [], [], bad])
    ds = load(data)
    problem = only(ds, "bad-date")
    assert (problem.file, problem.row, problem.column) == ("decisions/2024-行政处罚.xlsx", 5, "处罚决定日期")
    assert key(AGENCY_A, DOC1) in ds.decisions
    assert key(AGENCY_A, "清应急罚〔2024〕5号") not in ds.decisions


def test_reading_a_workbook_leaves_no_garbage_for_a_build_that_never_collects(tmp_path):
    # A build loads with the collector off and then freezes what it holds:
    # cycles left by a workbook reader would stay in memory for the whole build.
    path = write_xlsx(tmp_path / "book.xlsx", PENALTY_HEADER, [penalty_row() for _ in range(50)])
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        rows = sources.read_table(path, tmp_path).rows
        assert len(rows) == 50
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("column", ["处罚机关统一社会信用代码", "行政相对人代码_1（统一社会信用代码）"])
def test_xlsx_18_digit_code_stored_as_a_number_is_reported(tmp_path, column):
    data = write_dataset(tmp_path, decisions=[])
    (data / "decisions" / "2024-行政处罚.csv").unlink()
    good = penalty_row()
    bad = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕6号"})
    # Excel keeps numbers as doubles: the last digits of an 18-digit code are gone.
    bad[PENALTY_HEADER.index(column)] = float(911101051234567891)
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER, [good, bad])

    ds = load(data)
    problem = only(ds, "number-code")
    assert (problem.file, problem.row, problem.column, problem.level) == \
        ("decisions/2024-行政处罚.xlsx", 3, column, ROW)
    assert problem.fix
    assert key(AGENCY_A, "清应急罚〔2024〕6号") not in ds.decisions
    assert key(AGENCY_A, DOC1) in ds.decisions


def test_xlsx_cells_beyond_the_header_are_a_ragged_row(tmp_path):
    data = write_dataset(tmp_path, decisions=[])
    (data / "decisions" / "2024-行政处罚.csv").unlink()
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER,
               [penalty_row(), penalty_row(**{"行政处罚决定书文号": "x"}) + ["多出来的内容"]])
    ds = load(data)
    problem = only(ds, "ragged-row")
    assert (problem.file, problem.row, problem.level) == ("decisions/2024-行政处罚.xlsx", 3, FILE)


# --------------------------------------------------------------------------- headers

def _variant_headers():
    fullwidth_to_half = {h: h.replace("（", "(").replace("）", ")") for h in PENALTY_HEADER}
    return {
        "half-width brackets": fullwidth_to_half,
        "spaces": {h: " " + " ".join(h) + "  " for h in PENALTY_HEADER},
        "no underscores": {h: h.replace("_", "") for h in PENALTY_HEADER},
        "extra underscores and full-width spaces": {h: h[:2] + "_\u3000" + h[2:] for h in PENALTY_HEADER},
        "aliases": {"罚款金额（万元）": "处罚金额（万元）", "行政处罚决定书文号": "处罚决定书文号",
                    "行政相对人代码_1（统一社会信用代码）": "统一社会信用代码"},
    }


@pytest.mark.parametrize("variant", list(_variant_headers()))
def test_header_variants_load_the_same_records(tmp_path, variant):
    reference = load(write_dataset(tmp_path / "ref"))
    assert_clean(reference)
    rename = _variant_headers()[variant]
    data = write_dataset(tmp_path / "variant")
    rows = [penalty_row(), penalty_row(**{"行政处罚决定书文号": DOC2, "罚款金额（万元）": "3.5"})]
    write_csv(data / "decisions" / "2024-行政处罚.csv", [rename.get(h, h) for h in PENALTY_HEADER], rows)
    ref = load(write_dataset(tmp_path / "ref2", decisions=rows))

    ds = load(data)
    assert_clean(ds)
    assert ds.decisions == ref.decisions
    assert ds.decisions[key(AGENCY_A, DOC2)].values["fine_wan"] == 3.5


def test_problem_names_the_header_as_written_in_the_file(tmp_path):
    data = write_dataset(tmp_path)
    header = ["处罚金额(万元)" if h == "罚款金额（万元）" else h for h in PENALTY_HEADER]
    write_csv(data / "decisions" / "2024-行政处罚.csv", header, [penalty_row(**{"罚款金额（万元）": "两万"})])
    problem = only(load(data), "bad-amount")
    assert problem.column == "处罚金额(万元)"
    assert str(problem).startswith(f"{PENALTY_FILE}:2:处罚金额(万元): ")


def test_two_spellings_of_one_column_are_a_file_level_problem(tmp_path):
    data = write_dataset(tmp_path)
    write_penalties(data, [penalty_record(**{"处罚金额（万元）": "3"})])
    problem = only(load(data), "duplicate-column")
    assert problem.level == FILE and problem.file == PENALTY_FILE and problem.row == 1


def test_unknown_extra_columns_are_allowed_and_never_published(tmp_path):
    data = write_dataset(tmp_path)
    write_penalties(data, [penalty_record(内部经办人="ZZSECRETA1", **{"审批意见(内部)": "ZZSECRETA2"})])
    write_records(data / "decisions" / "2025-行政许可.csv", [license_record(内网链接="ZZSECRETB")])
    write_records(data / "decisions" / "2026-其他.csv", [other_record(**{"检查人员手机": "ZZSECRETC"})])
    write_records(data / "staff.csv", [dict(zip(STAFF_HEADER, s), 家庭住址="ZZSECRETD") for s in STAFF])
    write_records(data / "entities.csv", [dict(zip(ENTITY_HEADER, e), 内部备注="ZZSECRETE") for e in ENTITIES])
    ds = load(data)
    assert_clean(ds)
    assert len(ds.decisions) == 3 and len(ds.staff) == 3 and len(ds.entities) == 2
    out = public_json(ds)
    assert "示例恒达建材有限公司" in out  # the records are published …
    assert "ZZSECRET" not in out  # … without the unknown columns


# --------------------------------------------------------------------------- formats

def test_format_a_penalty(tmp_path):
    ds = load(write_dataset(tmp_path))
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert (d.category, d.target_type, d.docno, d.agency_code) == ("行政处罚", "法人及非法人组织", DOC1, AGENCY_A)
    assert d.decision_date == date(2024, 3, 5)
    assert d.values["fine_wan"] == 2.0
    assert d.source == (PENALTY_FILE, 2)


def test_format_b_license_and_fallback_to_license_number(tmp_path):
    data = write_dataset(tmp_path, licenses=[
        license_row(),
        license_row(**{"行政许可决定文书号": "", "许可编号": "JY11101050099999"}),
        license_row(**{"行政许可决定文书号": "", "许可编号": "", "行政相对人名称": "无号小店"}),
    ])
    ds = load(data)
    d = ds.decisions[key(AGENCY_B, LICENSE_DOC)]
    assert (d.category, d.target_type) == ("行政许可", "个体工商户")
    assert d.decision_date == date(2025, 6, 1)
    assert d.values["valid_from"] == date(2025, 6, 1) and d.values["valid_to"] == date(2030, 5, 31)
    fallback = ds.decisions[key(AGENCY_B, "JY11101050099999")]
    assert fallback.docno == "JY11101050099999"
    problem = only(ds, "required")  # neither 文书号 nor 许可编号
    assert (problem.file, problem.row, problem.column) == (LICENSE_FILE, 4, "行政许可决定文书号")
    assert not any(d.values["target_name"] == "无号小店" for d in ds.decisions.values())


def test_format_b_without_a_docno_column_is_keyed_by_license_number(tmp_path):
    data = write_dataset(tmp_path)
    record = license_record()
    del record["行政许可决定文书号"]
    write_records(data / "decisions" / "2025-行政许可.csv", [record])
    ds = load(data)
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_B, record["许可编号"])].category == "行政许可"


@pytest.mark.parametrize("category", ["行政强制", "行政检查", "行政征收征用", "行政确认", "其他"])
def test_format_c_categories(tmp_path, category):
    ds = load(write_dataset(tmp_path, others=[other_row(执法类别=category)]))
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, OTHER_DOC)]
    assert d.category == category
    assert d.decision_date == date(2026, 3, 5)


@pytest.mark.parametrize("category", ["行政处罚", "行政许可", "行政奖励"])
def test_format_c_rejects_other_categories(tmp_path, category):
    ds = load(write_dataset(tmp_path, others=[
        other_row(), other_row(执法类别=category, 决定文书号="清应急检〔2026〕4号")]))
    problem = only(ds, "bad-value")
    assert (problem.file, problem.row, problem.column, problem.level) == (OTHER_FILE, 3, "执法类别", ROW)
    assert key(AGENCY_A, "清应急检〔2026〕4号") not in ds.decisions
    assert key(AGENCY_A, OTHER_DOC) in ds.decisions


def test_older_natural_person_template(tmp_path):
    data = write_dataset(tmp_path)
    write_records(data / "decisions" / "2023-自然人.csv", [natural_record()])
    ds = load(data)
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, "清应急罚〔2023〕9号")]
    assert (d.category, d.target_type) == ("行政处罚", "自然人")
    assert "行政相对人类别" not in NATURAL_PENALTY_HEADER
    out = public_json(ds)
    assert "李四" not in out and "110105199202023456" not in out
    assert "李*" in out


def test_target_type_aliases(tmp_path):
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(行政相对人类别="法人"),
        penalty_row(行政相对人类别="个体户", **{"行政处罚决定书文号": DOC2}),
        penalty_row(行政相对人类别="外星人", **{"行政处罚决定书文号": "清应急罚〔2024〕3号"}),
    ]))
    assert ds.decisions[key(AGENCY_A, DOC1)].target_type == "法人及非法人组织"
    assert ds.decisions[key(AGENCY_A, DOC2)].target_type == "个体工商户"
    problem = only(ds, "bad-value")
    assert (problem.row, problem.column) == (4, "行政相对人类别")


def test_unknown_header_row_is_a_file_level_problem(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "decisions" / "2024-统计表.csv", ["序号", "单位", "数量"], [["1", "清河区", "3"]])
    ds = load(data)
    problem = only(ds, "unknown-format")
    assert (problem.file, problem.level) == ("decisions/2024-统计表.csv", FILE)
    assert problem.fix
    assert len(ds.decisions) == 4  # the other files are still read


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("text", ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305",
                                  " 2024-3-5 ", "2024/03/05"])
def test_every_date_form_of_the_contract(tmp_path, text):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(处罚决定日期=text, 公示截止期=text, 处罚有效期="")],
                            licenses=[license_row(有效期自=text)], others=[other_row(决定日期=text)]))
    assert_clean(ds)
    expected = date(2024, 3, 5)
    penalty = ds.decisions[key(AGENCY_A, DOC1)]
    assert penalty.decision_date == expected and penalty.values["deadline"] == expected
    assert penalty.values["penalty_valid_until"] is None
    assert ds.decisions[key(AGENCY_B, LICENSE_DOC)].values["valid_from"] == expected
    assert ds.decisions[key(AGENCY_A, OTHER_DOC)].decision_date == expected


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "明天", "2024-3", "2023/2/29"])
def test_bad_dates_are_reported_with_file_row_column(tmp_path, text):
    data = write_dataset(tmp_path)
    # The date column's header is written with a space; a blank line precedes the bad row.
    header = ["处罚 决定日期" if h == "处罚决定日期" else h for h in PENALTY_HEADER]
    bad = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕7号", "处罚决定日期": text})
    write_csv(data / "decisions" / "2024-行政处罚.csv", header, [penalty_row(), [], bad])

    ds = load(data)
    problem = only(ds, "bad-date")
    assert (problem.file, problem.row, problem.column, problem.level) == (PENALTY_FILE, 4, "处罚 决定日期", ROW)
    assert text.strip() in problem.message and problem.fix
    assert str(problem) == f"{PENALTY_FILE}:4:处罚 决定日期: {problem.message} — {problem.fix}"
    assert re.fullmatch(r"[^:]+:\d+:[^:]+: .+ — .+", str(problem), re.S)
    assert key(AGENCY_A, "清应急罚〔2024〕7号") not in ds.decisions  # that row is held back …
    assert key(AGENCY_A, DOC1) in ds.decisions  # … the others are kept


def test_bad_optional_date_holds_the_row_too(tmp_path):
    ds = load(write_dataset(tmp_path, licenses=[license_row(有效期至="2030-02-30")]))
    problem = only(ds, "bad-date")
    assert (problem.file, problem.row, problem.column) == (LICENSE_FILE, 2, "有效期至")
    assert key(AGENCY_B, LICENSE_DOC) not in ds.decisions


def test_row_numbers_count_blank_lines_and_multiline_cells(tmp_path):
    data = write_dataset(tmp_path)
    rows = [penalty_row(违法事实="第一行\n第二行"), [], [],
            penalty_row(**{"行政处罚决定书文号": DOC2, "罚款金额（万元）": "两万"})]
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, rows)
    ds = load(data)
    # Spreadsheet rows: header 1, the multi-line record 2, blanks 3 and 4, the bad row 5.
    assert only(ds, "bad-amount").row == 5
    assert ds.decisions[key(AGENCY_A, DOC1)].values["facts"] == "第一行\n第二行"


# --------------------------------------------------------------------------- amounts, text IDs

@pytest.mark.parametrize("text,expected", [("1,200.5", 1200.5), ("1，200", 1200.0), ("0.35", 0.35),
                                           ("123,456.7", 123456.7), ("1,000,000", 1e6), ("", None), ("  ", None)])
def test_amounts(tmp_path, text, expected):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(**{"罚款金额（万元）": text})]))
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, DOC1)].values["fine_wan"] == expected


@pytest.mark.parametrize("text", ["两万", "2万元整", "-3", "1.2.3"])
def test_bad_amounts(tmp_path, text):
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(), penalty_row(**{"行政处罚决定书文号": DOC2, "没收违法所得、没收非法财物的金额（万元）": text})]))
    problem = only(ds, "bad-amount")
    assert (problem.file, problem.row, problem.column) == (PENALTY_FILE, 3, "没收违法所得、没收非法财物的金额（万元）")
    assert key(AGENCY_A, DOC2) not in ds.decisions and key(AGENCY_A, DOC1) in ds.decisions


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_ids_are_read_as_text(tmp_path, encoding):
    data = write_dataset(tmp_path)
    staff = [dict(zip(STAFF_HEADER, s)) for s in STAFF]
    staff[0]["执法证号"] = "0011010523001"
    staff[1]["执法证号"] = "NA"
    staff[2]["执法证号"] = "null"
    write_records(data / "staff.csv", staff, encoding=encoding)
    write_penalties(data, [
        penalty_record(**{"行政处罚决定书文号": "000123", "法定代表人": "NA", "违法行为类型": "N/A"}),
        penalty_record(**{"行政处罚决定书文号": "null", "法定代表人": "null", "暂扣或吊销证照名称及编号": "NaN"}),
        penalty_record(**{"行政处罚决定书文号": "N/A", "法定代表人": "None"}),
    ], encoding=encoding)
    ds = load(data)
    assert_clean(ds)
    assert sorted(s.cert_no for s in ds.staff) == sorted(["0011010523001", "NA", "null"])
    first = ds.decisions[key(AGENCY_A, "000123")]
    assert (first.values["legal_rep"], first.values["violation_type"]) == ("NA", "N/A")
    second = ds.decisions[key(AGENCY_A, "null")]
    assert (second.values["legal_rep"], second.values["license_action"]) == ("null", "NaN")
    assert ds.decisions[key(AGENCY_A, "N/A")].values["legal_rep"] == "None"
    published = {d["docno"]: dict(d["fields"]) for d in build_site(ds, TODAY).decisions}
    assert published["000123"]["法定代表人"] == "NA"


# --------------------------------------------------------------------------- required, keys, corrections

def test_missing_required_column_is_a_file_level_problem(tmp_path):
    data = write_dataset(tmp_path)
    header = [h for h in PENALTY_HEADER if h != "违法事实"]
    write_csv(data / "decisions" / "2024-行政处罚.csv", header,
              [[v for h, v in zip(PENALTY_HEADER, penalty_row()) if h != "违法事实"]])
    ds = load(data)
    problem = only(ds, "missing-column")
    assert (problem.file, problem.level, problem.column) == (PENALTY_FILE, FILE, "违法事实")
    assert "违法事实" in problem.message and problem.fix
    assert not any(d.source[0] == PENALTY_FILE for d in ds.decisions.values())
    assert key(AGENCY_B, LICENSE_DOC) in ds.decisions


@pytest.mark.parametrize("file,header,column", [
    ("entities.csv", ENTITY_HEADER, "主体类别"),
    ("staff.csv", STAFF_HEADER, "执法证号"),
    ("decisions/2025-行政许可.csv", LICENSE_HEADER, "许可内容"),
    ("decisions/2026-其他.csv", OTHER_HEADER, "执法结论"),
])
def test_missing_required_column_in_every_file(tmp_path, file, header, column):
    data = write_dataset(tmp_path)
    path = data / file
    text = path.read_bytes().decode("utf-8")
    records = list(csv.reader(io.StringIO(text)))
    i = records[0].index(column)
    write_csv(path, [h for j, h in enumerate(records[0]) if j != i],
              [[c for j, c in enumerate(r) if j != i] for r in records[1:]])
    ds = load(data)
    problem = next(p for p in ds.report.problems if p.code == "missing-column")
    assert (problem.file, problem.column, problem.level) == (file, column, FILE)


def test_missing_required_value_holds_back_that_row_only(tmp_path):
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(), penalty_row(**{"行政处罚决定书文号": DOC2, "处罚依据": "  "}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕3号"})]))
    problem = only(ds, "required")
    assert (problem.file, problem.row, problem.column, problem.level) == (PENALTY_FILE, 3, "处罚依据", ROW)
    assert key(AGENCY_A, DOC2) not in ds.decisions
    assert {key(AGENCY_A, DOC1), key(AGENCY_A, "清应急罚〔2024〕3号")} <= set(ds.decisions)
    assert ds.report.fatal == []


def test_missing_required_date_is_reported_as_required(tmp_path):
    ds = load(write_dataset(tmp_path, others=[other_row(决定日期="")]))
    problem = only(ds, "required")
    assert (problem.file, problem.row, problem.column) == (OTHER_FILE, 2, "决定日期")


def test_duplicate_key_in_one_file_holds_the_later_row(tmp_path):
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(处罚内容="第一份"), penalty_row(**{"行政处罚决定书文号": DOC2}), penalty_row(处罚内容="第二份")]))
    problem = only(ds, "duplicate-key")
    assert (problem.file, problem.row, problem.level) == (PENALTY_FILE, 4, ROW)
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.values["content"] == "第一份" and d.source == (PENALTY_FILE, 2) and d.corrects is None


def test_same_docno_of_two_agencies_are_two_decisions(tmp_path):
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(), penalty_row(处罚机关="清河区市场监督管理局", 处罚机关统一社会信用代码=AGENCY_B)]))
    assert_clean(ds)
    assert {key(AGENCY_A, DOC1), key(AGENCY_B, DOC1)} <= set(ds.decisions)


def test_later_file_row_with_same_key_is_a_correction(tmp_path):
    data = write_dataset(tmp_path)
    write_penalties(data, [penalty_record(公示日期="2024/3/8"),
                           penalty_record(**{"行政处罚决定书文号": DOC2, "公示日期": "2024-04-03"})])
    # Sorted after 2024-行政处罚.csv: corrections of both rows; the first has no 公示日期
    # column at all, the second a blank one … and a new 公示日期 of its own for the third.
    write_penalties(data, [penalty_record(处罚内容="警告，并处罚款人民币1万元", **{"罚款金额（万元）": "1"})],
                    name="2030-更正.csv")
    write_penalties(data, [penalty_record(**{"行政处罚决定书文号": DOC2, "公示日期": "", "违法事实": "更正后的事实"})],
                    name="2031-更正二.csv")
    ds = load(data)
    assert_clean(ds)
    first = ds.decisions[key(AGENCY_A, DOC1)]
    assert first.values["content"] == "警告，并处罚款人民币1万元" and first.values["fine_wan"] == 1.0
    assert first.source == ("decisions/2030-更正.csv", 2)
    assert first.corrects == (PENALTY_FILE, 2)
    assert first.values["published_date"] == date(2024, 3, 8)  # kept from the earlier row
    second = ds.decisions[key(AGENCY_A, DOC2)]
    assert second.values["facts"] == "更正后的事实" and second.corrects == (PENALTY_FILE, 3)
    assert second.values["published_date"] == date(2024, 4, 3)
    assert sum(1 for d in ds.decisions.values() if d.docno in (DOC1, DOC2)) == 2


def test_correction_with_its_own_publication_date_uses_it(tmp_path):
    data = write_dataset(tmp_path)
    write_penalties(data, [penalty_record(公示日期="2024/3/8")])
    write_penalties(data, [penalty_record(公示日期="2024/3/9")], name="2030-更正.csv")
    ds = load(data)
    assert ds.decisions[key(AGENCY_A, DOC1)].values["published_date"] == date(2024, 3, 9)


def test_bad_correction_keeps_the_earlier_good_version(tmp_path):
    data = write_dataset(tmp_path)
    write_penalties(data, [penalty_record(处罚决定日期="2024-02-30", 处罚内容="坏的更正")], name="2030-更正.csv")
    ds = load(data)
    assert only(ds, "bad-date").file == "decisions/2030-更正.csv"
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.source == (PENALTY_FILE, 2) and d.values["content"] != "坏的更正"


def test_corrections_across_formats_in_file_name_order(tmp_path):
    data = write_dataset(tmp_path)
    write_xlsx(data / "decisions" / "2030-更正.xlsx", PENALTY_HEADER, [penalty_row(处罚内容="xlsx 版")])
    write_penalties(data, [penalty_record(处罚内容="csv 版")], name="2031-更正.csv")
    ds = load(data)
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.values["content"] == "csv 版" and d.corrects == ("decisions/2030-更正.xlsx", 2)


def test_unknown_agency_code_holds_the_row(tmp_path):
    unknown = "11110105MB0999999Y"
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(), penalty_row(**{"行政处罚决定书文号": DOC2, "处罚机关统一社会信用代码": unknown})]))
    problem = only(ds, "unknown-entity")
    assert (problem.file, problem.row, problem.column) == (PENALTY_FILE, 3, "处罚机关统一社会信用代码")
    assert unknown in problem.message
    assert key(unknown, DOC2) not in ds.decisions and key(AGENCY_A, DOC1) in ds.decisions


@pytest.mark.parametrize("code", ["ABC123", "11110105mb0123456x0", "11110105MB012345-X"])
def test_bad_agency_credit_code_in_a_decision(tmp_path, code):
    ds = load(write_dataset(tmp_path, others=[other_row(执法机关统一社会信用代码=code)]))
    problem = only(ds, "bad-credit-code")
    assert (problem.file, problem.row, problem.column) == (OTHER_FILE, 2, "执法机关统一社会信用代码")
    assert not any(d.source[0] == OTHER_FILE for d in ds.decisions.values())


def test_agency_code_is_matched_case_insensitively(tmp_path):
    ds = load(write_dataset(tmp_path, others=[other_row(执法机关统一社会信用代码=AGENCY_A.lower())]))
    assert_clean(ds)
    assert key(AGENCY_A, OTHER_DOC) in ds.decisions


def test_future_decision_date(tmp_path):
    tomorrow = TODAY + timedelta(days=1)
    ds = load(write_dataset(tmp_path, others=[
        other_row(决定日期=TODAY.isoformat()),
        other_row(决定文书号="清应急检〔2026〕9号", 决定日期=tomorrow.isoformat())]))
    problem = only(ds, "future-date")
    assert (problem.file, problem.row, problem.column) == (OTHER_FILE, 3, "决定日期")
    assert key(AGENCY_A, OTHER_DOC) in ds.decisions  # dated today: fine
    assert key(AGENCY_A, "清应急检〔2026〕9号") not in ds.decisions


def test_publication_date_after_today_or_before_the_decision_is_held(tmp_path):
    ds = load(write_dataset(tmp_path, others=[
        other_row(决定日期="2026-11-02", 公示日期=TODAY.isoformat()),
        other_row(决定文书号="清应急检〔2026〕8号", 决定日期="2026-11-02",
                  公示日期=(TODAY + timedelta(days=1)).isoformat()),
        other_row(决定文书号="清应急检〔2026〕9号", 决定日期="2026-11-02", 公示日期="2026-11-01")]))
    future, early = only(ds, "future-date"), only(ds, "published-before-decided")
    assert (future.file, future.row, future.column) == (OTHER_FILE, 3, "公示日期")
    assert (early.file, early.row, early.column) == (OTHER_FILE, 4, "公示日期")
    assert key(AGENCY_A, OTHER_DOC) in ds.decisions  # published today: fine
    assert key(AGENCY_A, "清应急检〔2026〕8号") not in ds.decisions
    assert key(AGENCY_A, "清应急检〔2026〕9号") not in ds.decisions


def test_control_characters_are_dropped_from_cells(tmp_path):
    data = write_dataset(tmp_path, decisions=[penalty_row(行政相对人名称="示例\x07化工\x85有限公司\x00",
                                                          违法事实="未\x0b按规定\tstore\x1f")])
    ds = load(data)
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.values["target_name"] == "示例化工有限公司"
    assert d.values["facts"] == "未按规定\tstore"


# --------------------------------------------------------------------------- entities and staff

def test_staff_with_unknown_entity_is_held(tmp_path):
    data = write_dataset(tmp_path)
    staff = [dict(zip(STAFF_HEADER, s)) for s in STAFF]
    staff[2]["所属主体"] = "不存在的执法局"
    write_records(data / "staff.csv", staff)
    ds = load(data)
    problem = only(ds, "unknown-entity")
    assert (problem.file, problem.row, problem.column) == ("staff.csv", 4, "所属主体")
    assert [s.name for s in ds.staff] == ["王建国", "欧阳明"]
    # 所属主体 may be the name or the 统一社会信用代码 of an entity.
    assert [s.entity_code for s in ds.staff] == [AGENCY_A, AGENCY_A]


def test_duplicate_cert_number(tmp_path):
    data = write_dataset(tmp_path)
    staff = [dict(zip(STAFF_HEADER, s)) for s in STAFF]
    staff[2]["执法证号"] = staff[0]["执法证号"]
    write_records(data / "staff.csv", staff)
    ds = load(data)
    problem = only(ds, "duplicate-key")
    assert (problem.file, problem.row, problem.column) == ("staff.csv", 4, "执法证号")
    assert [s.name for s in ds.staff] == ["王建国", "欧阳明"]


@pytest.mark.parametrize("status,expected", [("", "有效"), ("暂扣", "暂扣"), ("注销", "注销")])
def test_staff_status_defaults_to_valid(tmp_path, status, expected):
    data = write_dataset(tmp_path)
    write_records(data / "staff.csv", [dict(zip(STAFF_HEADER, STAFF[0]), 证件状态=status)])
    ds = load(data)
    assert_clean(ds)
    assert ds.staff[0].status == expected


def test_bad_staff_status(tmp_path):
    data = write_dataset(tmp_path)
    write_records(data / "staff.csv", [dict(zip(STAFF_HEADER, STAFF[0]), 证件状态="停用")])
    problem = only(load(data), "bad-value")
    assert (problem.file, problem.row, problem.column) == ("staff.csv", 2, "证件状态")


def test_bad_staff_expiry_date(tmp_path):
    data = write_dataset(tmp_path)
    staff = [dict(zip(STAFF_HEADER, s)) for s in STAFF]
    staff[1]["证件有效期至"] = "2028-02-30"
    write_records(data / "staff.csv", staff)
    ds = load(data)
    problem = only(ds, "bad-date")
    assert (problem.file, problem.row, problem.column) == ("staff.csv", 3, "证件有效期至")
    assert [s.name for s in ds.staff] == ["王建国", "李红"]


def test_staff_header_aliases(tmp_path):
    data = write_dataset(tmp_path)
    rename = {"执法证号": "执法证件号", "所属主体": "所属执法主体", "证件有效期至": "有效期至"}
    write_csv(data / "staff.csv", [rename.get(h, h) for h in STAFF_HEADER], STAFF)
    ds = load(data)
    assert_clean(ds)
    assert [(s.cert_no, s.entity_code, s.valid_until) for s in ds.staff] == \
        [("11010523001", AGENCY_A, date(2028, 12, 31)), ("11010523002", AGENCY_A, date(2025, 1, 31)),
         ("11010523003", AGENCY_B, date(2029, 6, 30))]


def test_checklist_rows_link_to_their_entity(tmp_path):
    data = write_dataset(tmp_path)
    write_records(data / "checklists" / "权责清单.csv", [
        {"事项": "甲", "所属主体": "清河区市场监督管理局"}, {"事项": "乙", "所属主体": AGENCY_A.lower()},
        {"事项": "丙", "所属主体": "别的单位"}])
    ds = load(data)
    assert_clean(ds)
    checklist = next(c for c in ds.checklists if c.title == "权责清单")
    assert checklist.headers == ["事项", "所属主体"]
    assert [code for _, code in checklist.rows] == [AGENCY_B, AGENCY_A, None]


def test_duplicate_entity_name(tmp_path):
    data = write_dataset(tmp_path)
    write_records(data / "entities.csv", [dict(zip(ENTITY_HEADER, ENTITIES[0])),
                                          dict(zip(ENTITY_HEADER, ENTITIES[1]), 主体名称="清河区应急管理局")])
    ds = load(data)
    problem = next(p for p in ds.report.problems if p.file == "entities.csv")
    assert (problem.code, problem.row, problem.column) == ("duplicate-key", 3, "主体名称")
    assert list(ds.entities) == [AGENCY_A]


def test_duplicate_entity_code(tmp_path):
    data = write_dataset(tmp_path)
    second = dict(zip(ENTITY_HEADER, ENTITIES[1]), 统一社会信用代码=AGENCY_A)
    write_records(data / "entities.csv", [dict(zip(ENTITY_HEADER, ENTITIES[0])), second])
    ds = load(data)
    problem = next(p for p in ds.report.problems if p.file == "entities.csv")
    assert (problem.code, problem.row, problem.column) == ("duplicate-key", 3, "统一社会信用代码")
    assert [e.name for e in ds.entities.values()] == ["清河区应急管理局"]


def test_bad_entity_type(tmp_path):
    data = write_dataset(tmp_path)
    write_records(data / "entities.csv", [dict(zip(ENTITY_HEADER, ENTITIES[0])),
                                          dict(zip(ENTITY_HEADER, ENTITIES[1]), 主体类别="事业单位")])
    ds = load(data)
    problem = next(p for p in ds.report.problems if p.file == "entities.csv")
    assert (problem.code, problem.row, problem.column, problem.level) == ("bad-value", 3, "主体类别", ROW)
    assert list(ds.entities) == [AGENCY_A]
    assert problem.fix and "行政机关" in problem.fix


@pytest.mark.parametrize("code", ["1111010", "11110105MB0123456XX", "11110105MB01234 6X"])
def test_bad_entity_credit_code(tmp_path, code):
    data = write_dataset(tmp_path)
    write_records(data / "entities.csv", [dict(zip(ENTITY_HEADER, ENTITIES[0])),
                                          dict(zip(ENTITY_HEADER, ENTITIES[1]), 统一社会信用代码=code)])
    ds = load(data)
    problem = next(p for p in ds.report.problems if p.file == "entities.csv")
    assert (problem.code, problem.row, problem.column) == ("bad-credit-code", 3, "统一社会信用代码")
    assert list(ds.entities) == [AGENCY_A]
    # Decisions of the rejected entity are held (their agency is unknown), not published.
    assert key(AGENCY_B, LICENSE_DOC) not in ds.decisions


def test_entity_credit_code_is_upper_cased(tmp_path):
    data = write_dataset(tmp_path)
    write_records(data / "entities.csv", [dict(zip(ENTITY_HEADER, ENTITIES[0]), 统一社会信用代码=AGENCY_A.lower()),
                                          dict(zip(ENTITY_HEADER, ENTITIES[1]))])
    ds = load(data)
    assert_clean(ds)
    assert set(ds.entities) == {AGENCY_A, AGENCY_B}


# --------------------------------------------------------------------------- broken files

def test_ragged_csv_row_is_a_file_level_problem(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER,
              [penalty_row(), [], penalty_row(**{"行政处罚决定书文号": DOC2}) + ["未加引号的逗号后半句"]])
    ds = load(data)
    problem = only(ds, "ragged-row")
    assert (problem.file, problem.row, problem.level) == (PENALTY_FILE, 4, FILE)
    assert problem.fix
    assert str(problem).startswith(f"{PENALTY_FILE}:4:")


def test_short_rows_are_padded(tmp_path):
    data = write_dataset(tmp_path)
    header = PENALTY_HEADER + ["内部备注二"]
    write_csv(data / "decisions" / "2024-行政处罚.csv", header, [penalty_row()])  # one cell short
    ds = load(data)
    assert_clean(ds)
    assert key(AGENCY_A, DOC1) in ds.decisions


@pytest.mark.parametrize("content", [b"", codecs.BOM_UTF8, b"\r\n\r\n", b" , ,\r\n"])
def test_empty_decisions_file(tmp_path, content):
    data = write_dataset(tmp_path)
    (data / "decisions" / "2027-空.csv").write_bytes(content)
    ds = load(data)
    problem = only(ds, "empty-file")
    assert (problem.file, problem.level) == ("decisions/2027-空.csv", FILE)


def test_header_only_file_is_fine(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "decisions" / "2027-无数据.csv", OTHER_HEADER, [])
    assert_clean(load(data))


def test_empty_entities_file(tmp_path):
    data = write_dataset(tmp_path)
    (data / "entities.csv").write_bytes(b"")
    ds = load(data)
    assert any(p.code == "empty-file" and p.file == "entities.csv" and p.level == FILE for p in ds.report.problems)
    assert prepare(data, TODAY).decisions == []


@pytest.mark.parametrize("missing,name", [("entities.csv", "entities.csv"), ("staff.csv", "staff.csv"),
                                          ("decisions", "decisions/")])
def test_missing_required_input(tmp_path, missing, name):
    data = write_dataset(tmp_path)
    target = data / missing
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    ds = load(data)
    problem = next(p for p in ds.report.problems if p.code == "missing-file")
    assert (problem.file, problem.level) == (name, FILE)
    assert problem.fix
    assert prepare(data, TODAY).decisions == []


def test_empty_decisions_folder(tmp_path):
    data = write_dataset(tmp_path)
    shutil.rmtree(data / "decisions")
    (data / "decisions").mkdir()
    problem = only(load(data), "missing-file")
    assert problem.level == FILE and problem.file.startswith("decisions")


def test_missing_data_folder(tmp_path):
    ds = load(tmp_path / "nowhere")
    assert ds.report.fatal and ds.report.fatal[0].code == "missing-folder"


def test_unsupported_file_type_in_decisions(tmp_path):
    data = write_dataset(tmp_path)
    (data / "decisions" / "2027-旧表.numbers").write_bytes(b"PK\x03\x04 a Numbers file")
    problem = only(load(data), "file-type")
    assert (problem.file, problem.level) == ("decisions/2027-旧表.numbers", FILE)
    assert ".xls" in problem.fix and ".ods" in problem.fix


def test_a_corrupt_xls_is_unreadable_not_a_traceback(tmp_path):
    data = write_dataset(tmp_path)
    (data / "decisions" / "2027-旧表.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    problem = only(load(data), "unreadable")
    assert (problem.file, problem.level) == ("decisions/2027-旧表.xls", FILE)


def test_corrupt_xlsx(tmp_path):
    data = write_dataset(tmp_path)
    (data / "decisions" / "2027-坏表.xlsx").write_bytes(b"PK\x03\x04 broken zip")
    problem = only(load(data), "unreadable")
    assert (problem.file, problem.level) == ("decisions/2027-坏表.xlsx", FILE)


def test_office_lock_files_are_ignored(tmp_path):
    data = write_dataset(tmp_path)
    (data / "decisions" / "~$2024-行政处罚.xlsx").write_bytes(b"\x00lock")
    assert_clean(load(data))


# --------------------------------------------------------------------------- takedowns

def _two_agencies_same_docno(tmp_path, takedowns):
    return write_dataset(tmp_path, decisions=[
        penalty_row(), penalty_row(处罚机关="清河区市场监督管理局", 处罚机关统一社会信用代码=AGENCY_B),
        penalty_row(**{"行政处罚决定书文号": DOC2})], takedowns=takedowns)


def test_takedown_matches_by_docno(tmp_path):
    ds = load(write_dataset(tmp_path, takedowns=[[OTHER_DOC, "", "决定被撤销", "2026-11-20", "复议撤销"]]))
    assert_clean(ds)
    [t] = ds.takedowns
    assert (t.decision_key, t.reason, t.reason_date, t.note) == \
        (key(AGENCY_A, OTHER_DOC), "决定被撤销", date(2026, 11, 20), "复议撤销")
    assert t.source == ("takedowns.csv", 2)


def test_ambiguous_takedown_is_reported_and_resolved_with_the_code(tmp_path):
    ds = load(_two_agencies_same_docno(tmp_path, [[DOC1, "", "信息有误", "2026-11-20", ""]]))
    problem = only(ds, "takedown-ambiguous")
    assert (problem.file, problem.row, problem.level) == ("takedowns.csv", 2, ROW)
    assert ds.takedowns == []

    ds = load(_two_agencies_same_docno(tmp_path / "resolved", [[DOC1, AGENCY_B, "信息有误", "2026/11/20", ""]]))
    assert_clean(ds)
    [t] = ds.takedowns
    assert t.decision_key == key(AGENCY_B, DOC1)
    live, withdrawn = split_live(ds, TODAY)
    assert key(AGENCY_B, DOC1) in withdrawn and key(AGENCY_A, DOC1) in live


def test_unmatched_takedown(tmp_path):
    ds = load(write_dataset(tmp_path, takedowns=[
        ["清应急罚〔2099〕1号", "", "其他", "2026-11-20", ""],
        [OTHER_DOC, AGENCY_B, "其他", "2026-11-20", ""],  # right 文书号, wrong agency
    ]))
    problems = [p for p in ds.report.problems if p.code == "takedown-unmatched"]
    assert [(p.file, p.row) for p in problems] == [("takedowns.csv", 2), ("takedowns.csv", 3)]
    assert ds.takedowns == []


@pytest.mark.parametrize("row,code,column", [
    ([OTHER_DOC, "", "不想公示了", "2026-11-20", ""], "bad-value", "撤下原因"),
    ([OTHER_DOC, "", "", "2026-11-20", ""], "required", "撤下原因"),
    ([OTHER_DOC, "", "其他", "2026-02-30", ""], "bad-date", "原因发生日期"),
    ([OTHER_DOC, "", "其他", "", ""], "required", "原因发生日期"),
    (["", "", "其他", "2026-11-20", ""], "required", "文书号"),
])
def test_bad_takedown_rows(tmp_path, row, code, column):
    ds = load(write_dataset(tmp_path, takedowns=[row]))
    problem = only(ds, code)
    assert (problem.file, problem.row, problem.column) == ("takedowns.csv", 2, column)
    assert ds.takedowns == []


def test_takedowns_missing_required_column(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "takedowns.csv", ["文书号", "原因发生日期"], [[OTHER_DOC, "2026-11-20"]])
    problem = only(load(data), "missing-column")
    assert (problem.file, problem.column, problem.level) == ("takedowns.csv", "撤下原因", FILE)


def test_split_live_withdraws_listed_and_expired_decisions(tmp_path):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    ds = load(write_dataset(tmp_path, decisions=[
        penalty_row(公示截止期=TODAY.isoformat()),
        penalty_row(**{"行政处罚决定书文号": DOC2, "公示截止期": yesterday}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕3号", "公示截止期": ""}),
    ], takedowns=[[OTHER_DOC, "", "决定被确认违法", "2026-11-01", "法院判决"]]))
    assert_clean(ds)
    live, withdrawn = split_live(ds, TODAY)
    assert set(live) == {key(AGENCY_A, DOC1), key(AGENCY_A, "清应急罚〔2024〕3号"), key(AGENCY_B, LICENSE_DOC)}
    assert set(withdrawn) == {key(AGENCY_A, DOC2), key(AGENCY_A, OTHER_DOC)}
    assert set(live).isdisjoint(withdrawn)
    listed = withdrawn[key(AGENCY_A, OTHER_DOC)]
    assert (listed.reason, listed.reason_date, listed.note) == ("决定被确认违法", date(2026, 11, 1), "法院判决")
    expired = withdrawn[key(AGENCY_A, DOC2)]
    assert (expired.reason, expired.reason_date) == ("公示期满", TODAY - timedelta(days=1))
    # The published site holds none of the withdrawn decisions.
    site = build_site(ds, TODAY)
    assert {d["key"] for d in site.decisions} == set(live)
    # A build a day later expires the decision whose 公示截止期 was today.
    assert key(AGENCY_A, DOC1) in split_live(ds, TODAY + timedelta(days=1))[1]


def test_takedown_of_an_expired_decision_keeps_the_registered_reason(tmp_path):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(公示截止期=yesterday)],
                            takedowns=[[DOC1, AGENCY_A, "信用修复", "2026-10-01", ""]]))
    _, withdrawn = split_live(ds, TODAY)
    assert withdrawn[key(AGENCY_A, DOC1)].reason == "信用修复"


def test_trailing_empty_cells_beyond_the_header_are_tolerated(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER,
              [penalty_row() + ["", ""], penalty_row(**{"行政处罚决定书文号": DOC2})])
    ds = load(data)
    assert_clean(ds)
    assert f"{AGENCY_A}/{DOC2}" in ds.decisions


def test_credit_code_letters_follow_gb32100(tmp_path):
    data = write_dataset(tmp_path, decisions=[penalty_row(**{"处罚机关统一社会信用代码": "11110105MB0123456Z"})])
    ds = load(data)
    problem = only(ds, "bad-credit-code")
    assert problem.column == "处罚机关统一社会信用代码"
    # Full-width input is folded, not rejected.
    data = write_dataset(tmp_path, decisions=[penalty_row(**{"处罚机关统一社会信用代码": "１１110105MB0123456X"})])
    assert_clean(load(data))
