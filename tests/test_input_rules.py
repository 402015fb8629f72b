"""Input rules of issues 23 and 25, with real files through ``load_dataset`` and
the real build: no end date (长期), the webmaster's column names (columns.csv),
the 2016 双公示 templates, plausible dates and amounts, Excel serial numbers,
invisible characters in 文书号, takedown checks and the one problem of a
missing required file."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import all_text
from pelican.plugins.gongshi.cli import main
from pelican.plugins.gongshi.load import load_dataset
from pelican.plugins.gongshi.problems import FILE, NOTE, ROW
from pelican.plugins.gongshi.values import NO_END_DATE
from helpers import (AGENCY_A, assert_clean, only, AGENCY_B, COMPANY_CODE, ENTITIES, ENTITY_HEADER, PENALTY_HEADER,
                     STAFF, STAFF_HEADER, TAKEDOWN_HEADER, TODAY, license_record, license_row, penalty_record,
                     penalty_row, write_csv, write_dataset, write_records, write_xlsx)

PENALTY_FILE = "decisions/2024-行政处罚.csv"
DOC1, DOC2 = "清应急罚〔2024〕1号", "清应急罚〔2024〕2号"
LICENSE_DOC = "清市监许〔2025〕8号"


def key(agency: str, docno: str) -> str:
    return f"{agency}/{docno}"


def load(data, today=TODAY):
    return load_dataset(data, today)


def codes(ds) -> list[str]:
    return [p.code for p in ds.report.problems]


def published(out: Path, name: str):
    return json.loads((out / "open-data" / name).read_text(encoding="utf-8"))


def page_of(out: Path, record: dict) -> str:
    return (out / record["url"]).read_text(encoding="utf-8")


def field_cell(label: str, text: str) -> re.Pattern:
    """A decision page's row: <th>label</th> <td>text</td>."""
    return re.compile(rf'<th scope="row">{re.escape(label)}</th>\s*<td class="pre-line">{re.escape(text)}</td>')


# =========================================================================== 长期: no end date

NO_END = ["长期", "长期有效", "永久", "无固定期限", "2099-12-31", "9999-12-31", "2099/12/31"]


@pytest.mark.parametrize("written", NO_END)
def test_no_end_date_in_every_end_date_column(tmp_path, written):
    staff = [STAFF[0][:5] + [written] + STAFF[0][6:]] + STAFF[1:]
    data = write_dataset(tmp_path, decisions=[penalty_row(处罚有效期=written)], licenses=[license_row(有效期至=written)])
    write_csv(data / "staff.csv", STAFF_HEADER, staff)
    ds = load(data)
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_B, LICENSE_DOC)].values["valid_to"] is NO_END_DATE
    assert ds.decisions[key(AGENCY_A, DOC1)].values["penalty_valid_until"] is NO_END_DATE
    assert ds.staff[0].valid_until is NO_END_DATE


@pytest.mark.parametrize("written", ["2099-12-30", "2100-01-01", "2030-05-31"])
def test_other_far_dates_stay_dates(tmp_path, written):
    ds = load(write_dataset(tmp_path, licenses=[license_row(有效期至=written)]))
    assert_clean(ds)
    value = ds.decisions[key(AGENCY_B, LICENSE_DOC)].values["valid_to"]
    assert value == date.fromisoformat(written.replace("/", "-"))


def test_no_end_date_is_shown_as_long_term_and_null_with_a_flag_in_json(tmp_path, build):
    staff = [STAFF[0][:5] + ["长期", "有效"] + STAFF[0][7:], STAFF[1][:5] + ["2020-01-01"] + STAFF[1][6:], STAFF[2]]
    data = write_dataset(tmp_path, decisions=[penalty_row(处罚有效期="9999-12-31"),
                                              penalty_row(**{"行政处罚决定书文号": DOC2})],
                         licenses=[license_row(有效期至="永久")])
    write_csv(data / "staff.csv", STAFF_HEADER, staff)
    code, out = build(data)
    assert code == 0
    decisions = {d["docno"]: d for d in published(out, "decisions.json")}
    penalty, licence, dated = decisions[DOC1], decisions[LICENSE_DOC], decisions[DOC2]
    assert penalty["details"]["处罚有效期"] is None and penalty["no_end_date"] == ["处罚有效期"]
    assert licence["details"]["有效期至"] is None and licence["no_end_date"] == ["有效期至"]
    assert dated["details"]["处罚有效期"] == "2025-03-05" and "no_end_date" not in dated
    assert field_cell("处罚有效期", "长期").search(page_of(out, penalty))
    assert field_cell("有效期至", "长期").search(page_of(out, licence))
    assert "9999-12-31" not in all_text(out) and "永久" not in all_text(out)

    # A certificate without an end date never expires; one dated in the past does.
    by_cert = {s["cert_no"]: s for s in published(out, "staff.json")}
    assert by_cert["11010523001"]["valid_until"] is None and by_cert["11010523001"]["no_end_date"] == ["valid_until"]
    assert by_cert["11010523001"]["status"] == "有效"
    assert by_cert["11010523002"]["status"] == "已过期" and "no_end_date" not in by_cert["11010523002"]
    rows = (out / "open-data" / "staff.csv").read_text(encoding="utf-8-sig").splitlines()
    assert next(r for r in rows if "11010523001" in r).endswith(",长期,有效")
    staff_page = (out / "staff" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-cert="11010523001">.*?</tr>', staff_page, re.S).group()
    assert '<td data-label="有效期至" class="nowrap">长期</td>' in row and "已过期" not in row


# =========================================================================== columns.csv

CUSTOM = {"行政处罚决定书文号": "决定书编号", "行政相对人名称": "当事人名称", "违法事实": "主要违法事实",
          "行政相对人类别": "当事人类型"}
COLUMNS_HEADER = ["导出列名", "标准列名", "文件"]


def custom_export(data: Path, name="执法系统导出-2024.csv", rows=None) -> Path:
    """The standard penalty file's rows under the export system's own headers."""
    rows = rows if rows is not None else [penalty_record(), penalty_record(**{"行政处罚决定书文号": DOC2})]
    renamed = [{CUSTOM.get(h, h): v for h, v in r.items()} for r in rows]
    (data / "decisions" / "2024-行政处罚.csv").unlink(missing_ok=True)
    return write_records(data / "decisions" / name, renamed)


def write_columns(data: Path, rows, encoding="utf-8") -> Path:
    return write_csv(data / "columns.csv", COLUMNS_HEADER, rows, encoding)


def standard_columns():
    return [["决定书编号", "行政处罚决定书文号", ""], ["当事人名称", "行政相对人名称", "decisions/执法系统*.csv"],
            ["主要违法事实", "违法事实", "decisions/执法系统*.csv"], ["当事人类型", "行政相对人类别", ""]]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_columns_csv_renames_an_export_before_its_format_is_recognised(tmp_path, encoding):
    reference = load(write_dataset(tmp_path / "ref", decisions=[penalty_row(), penalty_row(**{
        "行政处罚决定书文号": DOC2})]))
    data = write_dataset(tmp_path / "mapped")
    custom_export(data)
    write_columns(data, standard_columns(), encoding)
    ds = load(data)
    assert_clean(ds)
    for k, d in reference.decisions.items():
        if d.category == "行政处罚":
            assert ds.decisions[k].values == d.values
            assert ds.decisions[k].source == ("decisions/执法系统导出-2024.csv", d.source[1])
    note = next(n for n in ds.report.notes if n.code == "column-mapping")
    assert (note.file, note.row, note.level) == ("decisions/执法系统导出-2024.csv", 1, NOTE)
    assert "“决定书编号”→“行政处罚决定书文号”（第 2 行）" in note.message and "第 5 行" in note.message


def test_a_mapping_with_a_file_applies_to_the_files_it_names_only(tmp_path):
    data = write_dataset(tmp_path)
    custom_export(data)
    write_columns(data, standard_columns())
    # Another system exports the standard names plus a column of its own called 主要违法事实:
    # the 执法系统 row must not rename it (it would collide with 违法事实).
    write_records(data / "decisions" / "另一系统.csv", [penalty_record(**{
        "行政处罚决定书文号": "清应急罚〔2024〕9号", "主要违法事实": "内部摘要"})])
    ds = load(data)
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, "清应急罚〔2024〕9号")].values["facts"] == penalty_record()["违法事实"]
    assert [n.file for n in ds.report.notes if n.code == "column-mapping"] == ["decisions/执法系统导出-2024.csv"]


def test_a_mapping_with_a_file_wins_over_a_general_one(tmp_path):
    data = write_dataset(tmp_path)
    custom_export(data)
    write_columns(data, standard_columns() + [["主要违法事实", "处罚内容", ""]])
    # (one export's 主要违法事实 is 违法事实, elsewhere it would be the content: the named file wins)
    ds = load(data)
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, DOC1)].values["facts"] == penalty_record()["违法事实"]


def test_general_mappings_leave_staff_entities_and_takedowns_alone_but_named_files_are_renamed(tmp_path):
    data = write_dataset(tmp_path, takedowns=[[DOC2, "", "信息有误", "2026-11-20", ""]])
    # A natural-person export calls the target 姓名; staff.csv has its own 姓名 (the officer's).
    write_records(data / "decisions" / "2024-行政处罚.csv", [
        {("姓名" if h == "行政相对人名称" else h): v for h, v in penalty_record().items()}])
    write_csv(data / "entities.csv", ["机关名称"] + ENTITY_HEADER[1:], ENTITIES)
    write_columns(data, [["姓名", "行政相对人名称", ""], ["机关名称", "主体名称", "entities.csv"]])
    ds = load(data)
    assert [p for p in ds.report.problems if p.code != "takedown-unmatched"] == []
    assert ds.decisions[key(AGENCY_A, DOC1)].values["target_name"] == penalty_record()["行政相对人名称"]
    assert [s.name for s in ds.staff] == [row[0] for row in STAFF]  # staff.csv's 姓名 kept its meaning
    assert [e.name for e in ds.entities.values()] == [row[0] for row in ENTITIES]


def test_problems_name_the_column_as_the_export_writes_it(tmp_path):
    data = write_dataset(tmp_path)
    custom_export(data, rows=[penalty_record(行政相对人类别="外星人")])
    write_columns(data, standard_columns())
    problem = only(load(data), "bad-value")
    assert (problem.file, problem.row, problem.column) == ("decisions/执法系统导出-2024.csv", 2, "当事人类型")


@pytest.mark.parametrize("rows,row,code,column", [
    ([["决定书编号", "行政处罚决定书文号", ""], ["案由", "违法事实描述", ""]], 3, "unknown-standard-column", "标准列名"),
    ([["人员姓名", "姓名", ""]], 2, "unknown-standard-column", "标准列名"),  # a staff name: decision files only
    ([["决定书编号", "", ""]], 2, "required", "标准列名"),
    ([["决定书编号", "行政处罚决定书文号", ""], ["决定书编号", "决定文书号", ""]], 3, "conflicting-mapping", "导出列名"),
])
def test_a_bad_columns_csv_is_a_file_level_problem_naming_its_row(tmp_path, build, rows, row, code, column):
    data = write_dataset(tmp_path)
    write_columns(data, rows)
    problem = only(load(data), code)
    assert (problem.file, problem.row, problem.column, problem.level) == ("columns.csv", row, column, FILE)
    assert problem.fix
    code, out = build(data)
    assert code == 1 and not out.exists()


def test_check_says_which_mapping_applied_to_which_file(tmp_path, capsys):
    data = write_dataset(tmp_path)
    custom_export(data)
    write_columns(data, standard_columns())
    assert main(["check", "--data", str(data), "--today", TODAY.isoformat(), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True
    [note] = [n for n in report["notes"] if n["code"] == "column-mapping"]
    assert note["file"] == "decisions/执法系统导出-2024.csv" and "“主要违法事实”→“违法事实”" in note["message"]
    assert main(["check", "--data", str(data), "--today", TODAY.isoformat()]) == 0
    text = capsys.readouterr().out
    line = next(t for t in text.splitlines() if t.startswith("说明：decisions/执法系统导出-2024.csv:1:: 按 columns.csv 改名："))
    assert "“决定书编号”→“行政处罚决定书文号”（第 2 行）" in line


# =========================================================================== 2016 templates

P2016 = ["行政处罚决定书文号", "处罚名称", "处罚类别1", "处罚类别2", "处罚事由", "处罚依据", "行政相对人名称",
         "行政相对人代码_1（统一社会信用代码）", "行政相对人代码_2（组织机构代码）", "行政相对人代码_3（工商登记码）",
         "行政相对人代码_4（税务登记号）", "行政相对人代码_5（居民身份证号）", "法定代表人姓名", "处罚结果", "处罚决定日期",
         "处罚机关", "当前状态", "地方编码", "数据更新时间戳", "备注"]
L2016 = ["行政许可决定书文号", "项目名称", "审批类别", "许可内容", "行政相对人名称", "行政相对人代码_1（统一社会信用代码）",
         "行政相对人代码_2（组织机构代码）", "行政相对人代码_3（工商登记码）", "行政相对人代码_4（税务登记号）",
         "行政相对人代码_5（居民身份证号）", "法定代表人姓名", "许可决定日期", "许可截止期", "许可机关", "当前状态",
         "地方编码", "数据更新时间戳", "备注"]
PERSON, PERSON_ID = "赵丽华", "110105198808086612"
LOCAL_CODE, STAMP = "鲁370000", "2024年3月6日10时22分"


def penalty_2016(**kw) -> dict:
    base = dict.fromkeys(P2016, "")
    base.update({"行政处罚决定书文号": "清应急罚〔2016〕1号", "处罚名称": "未按规定开展安全生产教育培训",
                 "处罚类别1": "罚款", "处罚类别2": "警告", "处罚事由": "当事人未对从业人员进行安全生产教育培训。",
                 "处罚依据": "《中华人民共和国安全生产法》第九十四条", "行政相对人名称": "示例恒达建材有限公司",
                 "行政相对人代码_1（统一社会信用代码）": COMPANY_CODE, "法定代表人姓名": "赵大海",
                 "处罚结果": "警告，并处罚款人民币1万元", "处罚决定日期": "2026-10-08", "处罚机关": "清河区应急管理局",
                 "当前状态": "正常", "地方编码": LOCAL_CODE, "数据更新时间戳": STAMP, "备注": "内部备注"})
    base.update(kw)
    return base


def person_2016(docno="清应急罚〔2016〕2号", **kw) -> dict:
    return penalty_2016(**{"行政处罚决定书文号": docno, "行政相对人名称": PERSON, "行政相对人代码_1（统一社会信用代码）": "",
                           "行政相对人代码_5（居民身份证号）": PERSON_ID, "法定代表人姓名": "", "处罚类别1": "警告",
                           "处罚类别2": "", "处罚事由": f"{PERSON}在仓库吸烟。", "处罚结果": f"对{PERSON}给予警告", **kw})


def licence_2016(**kw) -> dict:
    base = dict.fromkeys(L2016, "")
    base.update({"行政许可决定书文号": "清市监许〔2016〕3号", "项目名称": "食品经营许可（新办）", "审批类别": "普通",
                 "许可内容": "预包装食品销售", "行政相对人名称": "清河区老王小吃店",
                 "行政相对人代码_1（统一社会信用代码）": "92110105MA02XYZ12K", "法定代表人姓名": "王老五",
                 "许可决定日期": "2026/6/1", "许可截止期": "长期", "许可机关": "清河区市场监督管理局", "当前状态": "有效",
                 "地方编码": LOCAL_CODE, "数据更新时间戳": STAMP})
    base.update(kw)
    return base


def with_2016(tmp_path, penalties, licences=None) -> Path:
    data = write_dataset(tmp_path)
    write_records(data / "decisions" / "2016-行政处罚.csv", penalties, header=P2016)
    write_records(data / "decisions" / "2016-行政许可.csv", licences or [licence_2016()], header=L2016)
    return data


def test_2016_penalty_template_maps_onto_the_contract(tmp_path):
    ds = load(with_2016(tmp_path, [penalty_2016(), person_2016(), penalty_2016(**{
        "行政处罚决定书文号": "清应急罚〔2016〕3号", "行政相对人代码_1（统一社会信用代码）": "92110105MA02XYZ12K"})]))
    assert_clean(ds)
    company = ds.decisions[key(AGENCY_A, "清应急罚〔2016〕1号")]
    assert (company.category, company.target_type, company.spec) == ("行政处罚", "法人及非法人组织", "行政处罚（2016版模板）")
    v = company.values
    assert v["facts"] == "当事人未对从业人员进行安全生产教育培训。" and v["content"] == "警告，并处罚款人民币1万元"
    assert v["violation_type"] == "未按规定开展安全生产教育培训" and v["legal_rep"] == "赵大海"
    assert v["penalty_type"] == "罚款；警告" and v["agency_code"] == AGENCY_A
    person = ds.decisions[key(AGENCY_A, "清应急罚〔2016〕2号")]
    assert person.target_type == "自然人" and person.values["penalty_type"] == "警告"
    assert ds.decisions[key(AGENCY_A, "清应急罚〔2016〕3号")].target_type == "个体工商户"
    licence = ds.decisions[key(AGENCY_B, "清市监许〔2016〕3号")]
    assert (licence.category, licence.target_type) == ("行政许可", "个体工商户")
    assert licence.values["license_type"] == "普通" and licence.values["valid_to"] is NO_END_DATE
    assert licence.values["project_name"] == "食品经营许可（新办）"


def test_2016_natural_person_by_the_id_card_column_name_alone(tmp_path):
    header = [("居民身份证号" if h == "行政相对人代码_5（居民身份证号）" else h) for h in P2016]
    row = person_2016()
    row["居民身份证号"] = row.pop("行政相对人代码_5（居民身份证号）")
    data = with_2016(tmp_path, [])
    write_records(data / "decisions" / "2016-行政处罚.csv", [row], header=header)
    ds = load(data)
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, "清应急罚〔2016〕2号")].target_type == "自然人"


def test_2016_rows_that_cannot_be_placed_are_row_errors(tmp_path):
    data = write_dataset(tmp_path)
    write_csv(data / "entities.csv", ENTITY_HEADER, ENTITIES + [["清河区 应急管理局", "11110105MB09999990", "行政机关"]
                                                               + [""] * 10])
    write_records(data / "decisions" / "2016-行政处罚.csv", [
        penalty_2016(),  # 清河区应急管理局: two entities fold to this name
        penalty_2016(**{"行政处罚决定书文号": "清应急罚〔2016〕4号", "处罚机关": "清河区交通局"}),
        penalty_2016(**{"行政处罚决定书文号": "清应急罚〔2016〕5号", "处罚机关": "清河区市场监督管理局",
                        "行政相对人代码_1（统一社会信用代码）": ""}),  # no code at all: who is it?
    ], header=P2016)
    ds = load(data)
    problems = {p.row: p for p in ds.report.problems if p.file == "decisions/2016-行政处罚.csv"}
    assert (problems[2].code, problems[2].column) == ("ambiguous-entity", "处罚机关")
    assert (problems[3].code, problems[3].column) == ("unknown-entity", "处罚机关")
    assert "清河区交通局" in problems[3].message and "处罚机关统一社会信用代码" in problems[3].fix
    assert problems[4].code == "target-type-unknown"
    assert not [d for d in ds.decisions.values() if d.spec.endswith("2016版模板）")]


def test_a_2016_row_with_its_agency_code_uses_it(tmp_path):
    data = with_2016(tmp_path, [])
    write_records(data / "decisions" / "2016-行政处罚.csv", [
        {**penalty_2016(处罚机关="某个别名"), "处罚机关统一社会信用代码": AGENCY_B}], header=P2016 + ["处罚机关统一社会信用代码"])
    ds = load(data)
    assert_clean(ds)
    assert key(AGENCY_B, "清应急罚〔2016〕1号") in ds.decisions


def test_2016_files_publish_the_contract_fields_and_never_the_id_code_or_stamp(tmp_path, build):
    # (a fine: a 警告-only penalty is not published, by the publication rules)
    fined = person_2016(**{"处罚类别1": "罚款", "处罚结果": f"对{PERSON}处罚款500元"})
    data = with_2016(tmp_path, [penalty_2016(), fined])
    code, out = build(data)
    assert code == 0
    text = all_text(out)
    for secret in (PERSON, PERSON_ID, LOCAL_CODE, STAMP, "内部备注"):
        assert secret not in text
    decisions = {d["docno"]: d for d in published(out, "decisions.json")}
    person, company = decisions["清应急罚〔2016〕2号"], decisions["清应急罚〔2016〕1号"]
    assert person["target_name"] == "赵**" and person["target_type"] == "自然人"
    assert person["details"]["违法事实"] == "赵**在仓库吸烟。"
    assert company["details"]["处罚类别"] == "罚款；警告" and company["details"]["法定代表人"] == "赵大海"
    licence = decisions["清市监许〔2016〕3号"]
    assert licence["details"]["项目名称"] == "食品经营许可（新办）" and licence["details"]["许可类别"] == "普通"
    assert licence["no_end_date"] == ["有效期至"]
    assert field_cell("项目名称", "食品经营许可（新办）").search(page_of(out, licence))


@pytest.mark.parametrize("extra", ["处罚名称", "处罚事由", "处罚结果", "处罚类别1"])
def test_todays_penalty_format_with_a_2016_column_is_not_misread(tmp_path, extra):
    data = write_dataset(tmp_path)
    write_records(data / "decisions" / "2024-行政处罚.csv", [penalty_record(**{extra: "旧系统的值"})])
    ds = load(data)
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.spec == "行政处罚" and d.values["facts"] == penalty_record()["违法事实"]


@pytest.mark.parametrize("extra", ["项目名称", "审批类别", "许可截止期", "行政许可决定书文号"])
def test_todays_license_format_with_a_2016_column_is_not_misread(tmp_path, extra):
    data = write_dataset(tmp_path)
    write_records(data / "decisions" / "2025-行政许可.csv", [license_record(**{extra: "旧系统的值"})])
    ds = load(data)
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_B, LICENSE_DOC)]
    assert d.spec == "行政许可" and "project_name" not in d.values


def test_an_incomplete_2016_file_names_the_2016_columns_it_lacks(tmp_path):
    data = with_2016(tmp_path, [])
    write_records(data / "decisions" / "2016-行政处罚.csv", [penalty_2016()],
                  header=[h for h in P2016 if h != "处罚事由"])
    problem = only(load(data), "missing-column")
    assert (problem.file, problem.column, problem.level) == ("decisions/2016-行政处罚.csv", "处罚事由", FILE)


# =========================================================================== dates

@pytest.mark.parametrize("written", ["1900-01-01", "0999-01-01", "1948-12-31"])
def test_dates_before_1949_are_row_errors(tmp_path, written):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(), penalty_row(**{
        "行政处罚决定书文号": DOC2, "处罚决定日期": written})]))
    problem = only(ds, "date-out-of-range")
    assert (problem.file, problem.row, problem.column, problem.level) == (PENALTY_FILE, 3, "处罚决定日期", ROW)
    assert key(AGENCY_A, DOC2) not in ds.decisions and key(AGENCY_A, DOC2) in ds.held_keys


@pytest.mark.parametrize("column", ["公示截止期", "处罚有效期"])
def test_every_date_column_is_checked(tmp_path, column):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(**{column: "1900-01-01"})]))
    assert only(ds, "date-out-of-range").column == column


def test_1949_itself_is_accepted(tmp_path):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(处罚决定日期="1949-01-01", 公示截止期="", 处罚有效期="")]))
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, DOC1)].decision_date == date(1949, 1, 1)


@pytest.mark.parametrize("written,ok", [("2027-12-31", True), ("2028-01-01", False), ("1900-01-01", False)])
def test_takedown_dates_stay_within_1949_and_next_year(tmp_path, written, ok):
    ds = load(write_dataset(tmp_path, takedowns=[[DOC1, "", "信息有误", written, ""]]))
    assert codes(ds) == ([] if ok else ["date-out-of-range"])


def test_a_1900_decision_date_makes_no_yearbook_and_does_not_block_the_build(tmp_path, build):
    data = write_dataset(tmp_path, decisions=[penalty_row(), penalty_row(**{
        "行政处罚决定书文号": DOC2, "处罚决定日期": "1900-01-01", "公示截止期": ""})])
    code, out = build(data)
    assert code in (0, 5)  # published; rows held back (5 once the report reports them by exit code)
    assert not (out / "stats" / "1900").exists() and (out / "stats" / "2024").is_dir()


def test_a_csv_date_written_as_a_bare_number_is_an_excel_serial_error(tmp_path):
    data = write_dataset(tmp_path, decisions=[penalty_row(处罚决定日期="45292")])
    write_csv(data / "staff.csv", STAFF_HEADER, [STAFF[0][:5] + ["46022"] + STAFF[0][6:]] + STAFF[1:])
    ds = load(data)
    problems = {p.file: p for p in ds.report.problems}
    decision, staff = problems[PENALTY_FILE], problems["staff.csv"]
    assert (decision.code, decision.column, decision.row) == ("excel-serial", "处罚决定日期", 2)
    assert "Excel" in decision.message and "2024-01-01" in decision.message + decision.fix
    assert (staff.code, staff.column) == ("excel-serial", "证件有效期至")
    assert len(ds.report.problems) == 2


def test_a_spreadsheet_number_in_a_date_column_is_an_excel_date(tmp_path):
    data = write_dataset(tmp_path)
    (data / "decisions" / "2024-行政处罚.csv").unlink()
    row = dict(zip(PENALTY_HEADER, penalty_row()))
    row.update({"处罚决定日期": 45292, "处罚有效期": "", "公示截止期": 46388})
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER, [[row[h] for h in PENALTY_HEADER]])
    ds = load(data)
    assert_clean(ds)
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.decision_date == date(2024, 1, 1) and d.values["deadline"] == date(2027, 1, 1)


@pytest.mark.parametrize("written", ["2024-03-05 00:00:00", "2024-03-05T00:00:00", "2024-3-5 00:00"])
def test_a_date_with_a_midnight_time_is_accepted(tmp_path, written):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(处罚决定日期=written)]))
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, DOC1)].decision_date == date(2024, 3, 5)


# =========================================================================== amounts

@pytest.mark.parametrize("written", ["1e308", "1e309", "1000000.01", "-0.5", "nan", "inf", "-inf", "9" * 400])
def test_implausible_amounts_are_row_errors(tmp_path, written):
    ds = load(write_dataset(tmp_path, decisions=[penalty_row(), penalty_row(**{
        "行政处罚决定书文号": DOC2, "罚款金额（万元）": written})]))
    problem = only(ds, "bad-amount")
    assert (problem.row, problem.column) == (3, "罚款金额（万元）")
    assert key(AGENCY_A, DOC1) in ds.decisions and key(AGENCY_A, DOC2) not in ds.decisions


@pytest.mark.parametrize("number", [1e308, -2.0, 1_000_001])
def test_implausible_spreadsheet_numbers_are_row_errors(tmp_path, number):
    data = write_dataset(tmp_path)
    (data / "decisions" / "2024-行政处罚.csv").unlink()
    row = dict(zip(PENALTY_HEADER, penalty_row()), **{"罚款金额（万元）": number})
    write_xlsx(data / "decisions" / "2024-行政处罚.xlsx", PENALTY_HEADER, [[row[h] for h in PENALTY_HEADER]])
    assert only(load(data), "bad-amount").column == "罚款金额（万元）"


def test_a_huge_fine_never_blocks_the_publish(tmp_path, build):
    data = write_dataset(tmp_path, decisions=[penalty_row(), penalty_row(**{
        "行政处罚决定书文号": DOC2, "罚款金额（万元）": "1e308"})])
    code, out = build(data)
    assert code in (0, 5)
    stats = json.loads((out / "stats" / "2024" / "stats.json").read_text(encoding="utf-8"))
    assert stats["fines_total_wan"] == 2.0


# =========================================================================== 文书号 and codes

@pytest.mark.parametrize("written", ["清应急罚〔2024〕\u200b1号", "\u202e清应急罚〔2024〕1号\u202c", "清应急罚〔２０２４〕１号",
                                     "清应急罚〔2024〕1号\ufeff", "清应急罚〔2024〕1\u2066号\u2069"])
def test_invisible_and_full_width_characters_do_not_make_a_second_decision(tmp_path, written):
    data = write_dataset(tmp_path)
    write_records(data / "decisions" / "2025-更正.csv", [penalty_record(**{
        "行政处罚决定书文号": written, "违法事实": "更正后的事实。"})])
    ds = load(data)
    assert_clean(ds)
    penalties = [k for k, d in ds.decisions.items() if d.category == "行政处罚"]
    assert sorted(penalties) == [key(AGENCY_A, DOC1), key(AGENCY_A, DOC2)]
    d = ds.decisions[key(AGENCY_A, DOC1)]
    assert d.docno == DOC1 and d.values["facts"] == "更正后的事实。" and d.corrects == (PENALTY_FILE, 2)
    [note] = ds.report.notes
    assert (note.file, note.row, note.column, note.code, note.level) == (
        "decisions/2025-更正.csv", 2, "行政处罚决定书文号", "key-normalised", NOTE)
    assert DOC1 in note.message
    if "\u200b" in written:
        assert "<U+200B>" in note.message


def test_agency_codes_and_takedown_docnos_are_cleaned_the_same_way(tmp_path):
    data = write_dataset(tmp_path, takedowns=[["清应急罚〔2024〕\u200b2号", "", "信息有误", "2026-11-20", ""]])
    write_records(data / "decisions" / "2025-更正.csv", [penalty_record(**{
        "处罚机关统一社会信用代码": "\u200e" + AGENCY_A + "\u200b", "违法事实": "更正后的事实。"})])
    ds = load(data)
    assert_clean(ds)
    assert ds.decisions[key(AGENCY_A, DOC1)].values["facts"] == "更正后的事实。"
    assert [t.decision_key for t in ds.takedowns] == [key(AGENCY_A, DOC2)]
    assert sorted((n.file, n.column) for n in ds.report.notes) == [
        ("decisions/2025-更正.csv", "处罚机关统一社会信用代码"), ("takedowns.csv", "文书号")]


def test_check_reports_the_cleaned_docno_as_a_note_not_a_problem(tmp_path, capsys):
    data = write_dataset(tmp_path, decisions=[penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕\u200b1号"})])
    assert main(["check", "--data", str(data), "--today", TODAY.isoformat(), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == [] and [n["code"] for n in report["notes"]] == ["key-normalised"]


# =========================================================================== takedowns

@pytest.mark.parametrize("written,ok", [("2024-03-04", False), ("2024-03-05", True)])
def test_a_takedown_dated_before_its_decision_is_a_row_error(tmp_path, written, ok):
    ds = load(write_dataset(tmp_path, takedowns=[[DOC1, "", "决定被撤销", written, ""]]))
    if ok:
        assert_clean(ds)
        assert [t.decision_key for t in ds.takedowns] == [key(AGENCY_A, DOC1)]
    else:
        problem = only(ds, "takedown-before-decision")
        assert (problem.file, problem.row, problem.column) == ("takedowns.csv", 2, "原因发生日期")
        assert "2024-03-05" in problem.message and ds.takedowns == []


def test_a_takedown_whose_decision_is_in_a_rejected_file_says_so(tmp_path):
    data = write_dataset(tmp_path, takedowns=[[DOC1, "", "信息有误", "2026-11-20", ""],
                                              ["清应急罚〔2099〕1号", "", "信息有误", "2026-11-20", ""]])
    write_csv(data / "decisions" / "2024-行政处罚.csv", [h for h in PENALTY_HEADER if h != "违法事实"],
              [[c for h, c in zip(PENALTY_HEADER, penalty_row()) if h != "违法事实"]])
    ds = load(data)
    problems = {p.row: p for p in ds.report.problems if p.file == "takedowns.csv"}
    assert problems[2].code == "takedown-in-rejected-file" and PENALTY_FILE in problems[2].message
    assert problems[3].code == "takedown-unmatched"  # in no file at all


def test_a_takedown_when_a_decision_file_cannot_be_read_at_all(tmp_path):
    data = write_dataset(tmp_path, takedowns=[[DOC1, "", "信息有误", "2026-11-20", ""]])
    (data / "decisions" / "2024-行政处罚.csv").write_bytes("文书号\n".encode("utf-16"))
    problem = only(load(data), "takedown-in-rejected-file")
    assert "可能在" in problem.message and PENALTY_FILE in problem.message


# =========================================================================== missing required files

def _busy_dataset(tmp_path) -> Path:
    """Every kind of row that names an entity: staff, decisions of every format, 2016 rows, takedowns."""
    data = with_2016(tmp_path, [penalty_2016(), person_2016()])
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, "", "信息有误", "2026-11-20", ""]])
    return data


@pytest.mark.parametrize("spoil", ["delete", "empty", "no-code-column"])
def test_an_unusable_entities_file_is_the_one_problem_of_its_cause(tmp_path, spoil):
    data = _busy_dataset(tmp_path)
    path = data / "entities.csv"
    if spoil == "delete":
        path.unlink()
    elif spoil == "empty":
        path.write_bytes(b"")
    else:
        write_csv(path, [h for h in ENTITY_HEADER if h != "统一社会信用代码"], [[c for c in e if c not in (AGENCY_A, AGENCY_B)]
                                                                            for e in ENTITIES])
    ds = load(data)
    assert len(ds.report.problems) == 1, [str(p) for p in ds.report.problems]
    assert ds.report.problems[0].file == "entities.csv" and ds.report.problems[0].level == FILE


def test_a_missing_required_file_is_reported_first(tmp_path, capsys):
    data = _busy_dataset(tmp_path)
    (data / "entities.csv").unlink()
    write_csv(data / "decisions" / "0000-旧表.csv", ["甲", "乙"], [["1", "2"]])  # unrelated: still reported
    ds = load(data)
    assert [p.code for p in ds.report.sorted()] == ["missing-file", "unknown-format"]
    assert main(["check", "--data", str(data), "--today", TODAY.isoformat()]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("entities.csv: 缺少执法主体文件 entities.csv")


def test_a_missing_decisions_folder_is_the_one_problem_of_its_cause(tmp_path):
    data = _busy_dataset(tmp_path)
    shutil.rmtree(data / "decisions")
    ds = load(data)
    assert codes(ds) == ["missing-file"]
