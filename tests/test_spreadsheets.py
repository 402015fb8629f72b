"""Reading real exports (issues 23 and 25): .xls, .xlsx, .xlsm and .ods through one
reader, every visible decision sheet in order, hidden and instruction sheets
never read, formulas without results, bounded reading (zip bombs, huge cells,
row counts), CSV quoting and encodings, links out of data/, and a fuzz test:
the loader never raises and never keeps a row it reported."""
from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, all_text
from pelican.plugins.gongshi import sources
from pelican.plugins.gongshi.load import load_dataset
from pelican.plugins.gongshi.problems import FILE, ROW
from helpers import AGENCY_A, PENALTY_HEADER, TODAY, csv_bytes, penalty_row, write_csv, write_dataset

PENALTY_FILE = "decisions/2024-行政处罚.csv"
INSTRUCTIONS = "填报说明：本表由执法系统导出，联系人李四 13800138000"


def rows(n: int, start: int = 1) -> list[list]:
    return [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号"}) for i in range(start, start + n)]


def docnos(ds) -> list[str]:
    return [d.docno for d in sorted(ds.decisions.values(), key=lambda d: d.source[1])]


def problems(ds, code=None):
    return [p for p in ds.report.problems if code is None or p.code == code]


def notes(ds) -> list[str]:
    return [f"{n.file}: {n.message}" for n in ds.report.notes]


def only_penalties(data: Path) -> None:
    """Leave the 行政处罚 export out: the workbook under test stands in for it."""
    (data / PENALTY_FILE).unlink()


# --- .xls, .ods, .xlsm ---------------------------------------------------------

def write_xls(path: Path, sheets: list[tuple[str, list[list]]]) -> Path:
    """A real Excel 97-2003 workbook (xlwt); dates as date cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, table in sheets:
        sheet = book.add_sheet(name)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                sheet.write(r, c, value, dated) if isinstance(value, date) else sheet.write(r, c, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def write_book(path: Path, sheets: list[tuple[str, list[list]]], hidden=(), engine=None) -> Path:
    """A real .xlsx/.xlsm (openpyxl) or .ods (pandas' odf writer) workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".ods":
        import pandas as pd

        with pd.ExcelWriter(path, engine="odf") as writer:
            for name, table in sheets:
                pd.DataFrame(table[1:], columns=table[0]).to_excel(writer, sheet_name=name, index=False)
        return path
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, table in sheets:
        sheet = book.create_sheet(name)
        for row in table:
            sheet.append(list(row))
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def test_an_xls_split_over_sheets_is_read_in_sheet_order_and_its_instructions_never_published(tmp_path, build):
    data = write_dataset(tmp_path)
    only_penalties(data)
    dated = [[date(2025, 3, 5) if h == "处罚决定日期" else v for h, v in zip(PENALTY_HEADER, row)] for row in rows(5)]
    write_xls(data / "decisions" / "执法系统导出.xls", [
        ("填报说明", [[INSTRUCTIONS], ["罚款金额以万元为单位"]]),
        ("Sheet1", [PENALTY_HEADER, *dated[:3]]),
        ("Sheet2", [PENALTY_HEADER, *dated[3:]]),
        ("Sheet3", []),  # the empty sheets old Excel adds: nothing to say
    ])
    ds = load_dataset(data, TODAY)
    assert problems(ds) == [], [str(p) for p in problems(ds)]
    penalties = [d for d in ds.decisions.values() if d.category == "行政处罚"]
    assert [d.docno for d in penalties] == [f"清应急罚〔2025〕{i}号" for i in range(1, 6)]
    assert {d.values["decision_date"] for d in penalties} == {date(2025, 3, 5)}  # date cells are dates
    assert any("填报说明" in n and "未读取" in n for n in notes(ds)), notes(ds)
    assert not any("Sheet3" in n for n in notes(ds))
    code, out = build(data)
    assert code == 0
    text = all_text(out)
    assert "清应急罚〔2025〕5号" in text and "填报说明" not in text and "13800138000" not in text


@pytest.mark.parametrize("suffix", [".ods", ".xlsm"])
def test_ods_and_xlsm_are_read_like_xlsx(tmp_path, suffix):
    data = write_dataset(tmp_path)
    only_penalties(data)
    write_book(data / "decisions" / f"导出{suffix}", [("处罚", [PENALTY_HEADER, *rows(3)])])
    ds = load_dataset(data, TODAY)
    assert problems(ds) == [], [str(p) for p in problems(ds)]
    assert sorted(d.docno for d in ds.decisions.values() if d.category == "行政处罚") == \
        [f"清应急罚〔2025〕{i}号" for i in range(1, 4)]


def test_a_hidden_sheet_is_never_read_and_the_visible_one_is(tmp_path, build):
    data = write_dataset(tmp_path)
    only_penalties(data)
    secret = rows(1, start=90)[0]
    secret[PENALTY_HEADER.index("违法事实")] = "隐藏表中的草稿，不应公开"
    write_book(data / "decisions" / "导出.xlsx", [("草稿", [PENALTY_HEADER, secret]), ("正式", [PENALTY_HEADER, *rows(2)])],
               hidden={"草稿"})
    ds = load_dataset(data, TODAY)
    assert problems(ds) == []
    assert "清应急罚〔2025〕90号" not in docnos(ds) and "清应急罚〔2025〕2号" in docnos(ds)
    assert any("草稿" in n and "隐藏" in n for n in notes(ds)), notes(ds)
    code, out = build(data)
    assert code == 0 and "隐藏表中的草稿" not in all_text(out)


def test_sheets_that_are_not_a_decision_format_alone_are_the_unknown_format_problem(tmp_path):
    data = write_dataset(tmp_path)
    write_xls(data / "decisions" / "说明.xls", [("填报说明", [[INSTRUCTIONS]])])
    ds = load_dataset(data, TODAY)
    [p] = problems(ds, "unknown-format")
    assert (p.file, p.level) == ("decisions/说明.xls", FILE)


def test_a_row_problem_in_a_second_sheet_names_the_sheet_and_its_row(tmp_path):
    data = write_dataset(tmp_path)
    only_penalties(data)
    bad = rows(1, start=7)[0]
    bad[PENALTY_HEADER.index("处罚决定日期")] = "2024-13-01"
    write_xls(data / "decisions" / "导出.xls", [("一", [PENALTY_HEADER, *rows(2)]), ("二", [PENALTY_HEADER, rows(1, 5)[0], bad])])
    ds = load_dataset(data, TODAY)
    [p] = problems(ds)
    assert (p.file, p.row, p.column, p.level) == ("decisions/导出.xls［二］", 3, "处罚决定日期", ROW)
    assert "清应急罚〔2025〕7号" not in docnos(ds) and "清应急罚〔2025〕5号" in docnos(ds)


def test_a_formula_saved_without_its_result_is_a_row_error_naming_the_cell(tmp_path, build):
    data = write_dataset(tmp_path)
    only_penalties(data)
    fined = rows(2)
    fined[1][PENALTY_HEADER.index("罚款金额（万元）")] = "=1+1"  # openpyxl saves the formula, no result
    write_book(data / "decisions" / "导出.xlsx", [("处罚", [PENALTY_HEADER, *fined])])
    ds = load_dataset(data, TODAY)
    [p] = problems(ds)
    column = chr(ord("A") + PENALTY_HEADER.index("罚款金额（万元）"))
    assert (p.code, p.row, p.column) == ("formula-without-value", 3, "罚款金额（万元）")
    assert f"{column}3" in p.message and "选择性粘贴" in p.fix
    assert docnos(ds).count("清应急罚〔2025〕2号") == 0 and "清应急罚〔2025〕1号" in docnos(ds)
    code, out = build(data)
    assert code == 5 and "清应急罚〔2025〕2号" not in all_text(out)


# --- bounded reading ---------------------------------------------------------------

def zip_bomb(path: Path, size: int) -> Path:
    """A valid workbook with one more entry of ``size`` zero bytes (deflated ~1000:1)."""
    write_book(path, [("处罚", [PENALTY_HEADER, *rows(1)])])
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as entry:
            for _ in range(size >> 20):
                entry.write(chunk)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked_naming_the_limit(tmp_path):
    data = write_dataset(tmp_path)
    bomb = zip_bomb(data / "decisions" / "导出.xlsx", 64 << 20)
    assert bomb.stat().st_size < 2 << 20
    ds = load_dataset(data, TODAY)
    [p] = problems(ds, "too-large")
    assert (p.file, p.level) == ("decisions/导出.xlsx", FILE)
    assert f"{sources.MAX_RATIO} 倍" in p.message


def test_a_workbook_unpacking_past_the_total_limit_is_refused(tmp_path, monkeypatch):
    data = write_dataset(tmp_path)
    path = data / "decisions" / "导出.xlsx"
    write_book(path, [("处罚", [PENALTY_HEADER, *rows(1)])])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(3 << 20))  # not compressible: ratio 1
    monkeypatch.setattr(sources, "MAX_UNPACKED", 2 << 20)
    [p] = problems(load_dataset(data, TODAY), "too-large")
    assert "2 MiB" in p.message and p.file == "decisions/导出.xlsx"


def test_a_cell_over_128_kib_in_a_ragged_csv_is_a_problem_not_a_crash(tmp_path):
    data = write_dataset(tmp_path)
    header = PENALTY_HEADER
    big = penalty_row(**{"违法事实": "很长的违法事实" * 30_000})  # ~630 KB
    path = data / PENALTY_FILE
    path.write_bytes(csv_bytes(header, [penalty_row(), big + ["多出来的一格"]]))
    result = subprocess.run([sys.executable, str(ROOT / "publish.py"), "check", "--data", str(data), "--today",
                             TODAY.isoformat()], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert f"{PENALTY_FILE}:3: 这一行有 {len(header) + 1} 个单元格" in result.stdout


def test_a_cell_over_the_limit_names_its_row(tmp_path):
    data = write_dataset(tmp_path)
    huge = penalty_row(**{"违法事实": "x" * (sources.MAX_CELL + 1)})
    (data / PENALTY_FILE).write_bytes(csv_bytes(PENALTY_HEADER, [penalty_row(), huge]))
    [p] = problems(load_dataset(data, TODAY), "too-large")
    assert (p.file, p.row) == (PENALTY_FILE, 3) and f"{sources.MAX_CELL:,}" in p.message


def test_a_csv_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    data = write_dataset(tmp_path)
    write_csv(data / PENALTY_FILE, PENALTY_HEADER, rows(5))
    monkeypatch.setattr(sources, "MAX_ROWS", 4)
    [p] = problems(load_dataset(data, TODAY), "too-large")
    assert p.file == PENALTY_FILE and "4 行的上限" in p.message


# --- CSV quoting and encodings -----------------------------------------------------

@pytest.mark.parametrize("ragged", [False, True])
def test_an_unclosed_quote_names_the_row_where_it_opened(tmp_path, ragged):
    data = write_dataset(tmp_path)
    text = csv_bytes(PENALTY_HEADER, rows(4)).decode("utf-8").splitlines()
    text[2] = text[2].replace("经查，", '"经查，', 1)  # row 3 opens a quote it never closes
    if ragged:
        text[1] += ",多出来的一格"
    (data / PENALTY_FILE).write_text("\n".join(text) + "\n", encoding="utf-8")
    ds = load_dataset(data, TODAY)
    [p] = problems(ds)
    assert (p.code, p.file, p.row, p.level) == ("unclosed-quote", PENALTY_FILE, 3, FILE)
    assert "必填" not in p.message


@pytest.mark.parametrize("encoding, name, pasted", [
    ("utf-8", "UTF-8", "示例恒达".encode("gb18030")),  # row 4 pasted from a GBK export
    ("gb18030", "GB18030", b"\xff\xfe")])  # (UTF-8 text is mostly valid GB18030: damaged bytes instead)
def test_an_encoding_error_names_the_likely_encoding_and_the_first_row_not_in_it(tmp_path, encoding, name, pasted):
    data = write_dataset(tmp_path)
    lines = csv_bytes(PENALTY_HEADER, rows(4), encoding=encoding).split(b"\n")
    lines[3] = lines[3].replace("示例恒达".encode(encoding), pasted)
    (data / PENALTY_FILE).write_bytes(b"\n".join(lines))
    [p] = problems(load_dataset(data, TODAY), "encoding")
    assert (p.file, p.row) == (PENALTY_FILE, 4) and f"大部分内容是 {name}" in p.message


def test_utf32_is_called_utf32(tmp_path):
    data = write_dataset(tmp_path)
    (data / PENALTY_FILE).write_bytes(codecs.BOM_UTF32_LE + "\n".join(
        ",".join(r) for r in [PENALTY_HEADER, penalty_row()]).encode("utf-32-le"))
    [p] = problems(load_dataset(data, TODAY), "encoding")
    assert "UTF-32" in p.message and "UTF-16" not in p.message


# --- links ---------------------------------------------------------------------------

def test_a_link_leading_out_of_data_is_not_followed(tmp_path, build):
    data = write_dataset(tmp_path)
    outside = write_csv(tmp_path / "elsewhere" / "x.csv", PENALTY_HEADER, [penalty_row(**{
        "行政处罚决定书文号": "清应急罚〔2025〕66号", "违法事实": "数据目录以外的文件"})])
    (data / "decisions" / "link.csv").symlink_to(outside)
    inside = write_csv(data / "archive" / "y.csv", PENALTY_HEADER, [penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕67号"})])
    (data / "decisions" / "inside.csv").symlink_to(inside)  # a link that stays in data/ is read
    ds = load_dataset(data, TODAY)
    [p] = problems(ds)
    assert (p.code, p.file, p.level) == ("outside-data", "decisions/link.csv", FILE)
    assert "清应急罚〔2025〕67号" in docnos(ds) and "清应急罚〔2025〕66号" not in docnos(ds)
    code, out = build(data)
    assert code == 1 and not (out / "index.html").exists()


# --- fuzz ---------------------------------------------------------------------------

CELLS = st.one_of(st.sampled_from(["", '"', '""', ",", "\n", "\r\n", " ", "2024-03-05", "45292", "1e308", "-1",
                                   "清应急罚〔2024〕1号", AGENCY_A, "警告", "罚款", "自然人", "长期", "=1+1",
                                   "\u200b", "\x00", "\ufeff"]),
                  st.text(max_size=12))


def _rows_kept_and_reported(ds, name: str):
    kept = {d.source[1] for d in ds.decisions.values() if d.source[0] == name}
    reported = {p.row for p in ds.report.problems if p.file == name and p.level == ROW}
    file_level = [p for p in ds.report.problems if p.file == name and p.level == FILE]
    return kept, reported, file_level


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.lists(CELLS, max_size=len(PENALTY_HEADER) + 2), max_size=5),
       tail=st.binary(max_size=40), encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_fuzz_csv_bytes_never_raise_and_no_reported_row_is_kept(tmp_path_factory, table, tail, encoding):
    data = write_dataset(tmp_path_factory.mktemp("fuzz"))
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([PENALTY_HEADER, penalty_row(), *table])
    try:
        raw = buffer.getvalue().encode(encoding) + tail
    except UnicodeEncodeError:
        raw = buffer.getvalue().encode("utf-8", "replace") + tail
    (data / PENALTY_FILE).write_bytes(raw)
    ds = load_dataset(data, TODAY)
    kept, reported, file_level = _rows_kept_and_reported(ds, PENALTY_FILE)
    assert not kept & reported
    if file_level:
        assert not kept


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.lists(st.one_of(CELLS, st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                                         st.dates(min_value=date(1, 1, 1)), st.none()),
                               max_size=len(PENALTY_HEADER) + 1), max_size=4),
       hidden=st.booleans())
def test_fuzz_workbooks_never_raise_and_no_reported_row_is_kept(tmp_path_factory, table, hidden):
    data = write_dataset(tmp_path_factory.mktemp("fuzz"))
    only_penalties(data)
    clean = [[v for v in row] for row in table]
    for row in clean:
        for i, v in enumerate(row):
            if isinstance(v, str):
                row[i] = "".join(ch for ch in v if ch >= " " or ch in "\t\n\r")  # (openpyxl refuses control characters)
    sheets = [("甲", [PENALTY_HEADER, penalty_row(), *clean]), ("乙", [PENALTY_HEADER, *clean])]
    write_book(data / "decisions" / "导出.xlsx", sheets, hidden={"甲"} if hidden else ())
    ds = load_dataset(data, TODAY)
    for name in ("decisions/导出.xlsx［甲］", "decisions/导出.xlsx［乙］", "decisions/导出.xlsx"):
        kept, reported, file_level = _rows_kept_and_reported(ds, name)
        assert not kept & reported
        if file_level:
            assert not kept
