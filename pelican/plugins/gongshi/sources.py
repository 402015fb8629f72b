"""Reading raw tables from CSV (UTF-8, UTF-8-BOM, GB18030/GBK) and spreadsheets
(.xlsx, .xlsm, .xls, .ods: one reader, python-calamine).

Everything is read as text (IDs keep leading zeros, "NA" stays "NA"); only
spreadsheet date cells arrive as dates. Row numbers are the ones a spreadsheet
shows: the header is row 1. A workbook's visible worksheets are its tables, in
sheet order; hidden sheets are never read.

Reading is bounded (a file is refused, naming the limit, before it can hang or
exhaust the build): the unpacked size and packing ratio of zip-based
workbooks, the rows of a table and the characters of a cell.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pandas as pd

SAVE_AS_UTF8 = "请在 Excel 中用“另存为 → CSV UTF-8（逗号分隔）”重新导出该文件"
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
ZIPPED = (".xlsx", ".xlsm", ".ods")

# Limits (docs/input-formats.md). A real export is far below each: Excel's own
# are 1 048 576 rows and 32 767 characters a cell; a 100 000-row workbook
# unpacks to ~100 MB at a ratio of ~10.
MAX_ROWS = 1_048_576  # rows of one table (sheet or CSV file)
MAX_CELL = 1_048_576  # characters of one cell
MAX_UNPACKED = 1 << 30  # bytes, all entries of a zip-based workbook together
MAX_RATIO = 100  # unpacked / packed size of one entry (of entries over 1 MiB)
_RATIO_FLOOR = 1 << 20

csv.field_size_limit(MAX_CELL)


class SourceError(Exception):
    """A file that cannot be read at all (file-level problem)."""

    def __init__(self, code: str, message: str, fix: str, row: int | None = None):
        super().__init__(message)
        self.code, self.message, self.fix, self.row = code, message, fix, row


@dataclass
class Table:
    path: Path
    name: str  # path relative to the data folder (and the sheet of a workbook), shown in problems
    headers: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)
    encoding: str
    spreadsheet: bool = False  # cells came from a workbook (a bare number may be an Excel serial date)
    # Formula cells saved without their result: row number → column indexes.
    formulas: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Workbook:
    """What a file holds: its tables (a CSV file has one) and the names of the
    sheets that were not read (hidden, or not worksheets)."""
    tables: list[Table]
    hidden: list[str] = field(default_factory=list)


def decode_csv_bytes(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 is tried strictly first: a GB18030 file
    almost never decodes as valid UTF-8, so success there is conclusive."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # (before UTF-16: FF FE starts both)
        raise SourceError("encoding", "文件是 UTF-32 编码，不是 CSV 常用的编码", SAVE_AS_UTF8)
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise SourceError("encoding", "文件以 UTF-8 BOM 开头，但内容不是有效的 UTF-8", SAVE_AS_UTF8,
                              row=_line_of(raw, exc.start)) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError("encoding", "文件是 UTF-16（“Unicode 文本”）编码，不是 CSV", SAVE_AS_UTF8)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    raise _undecodable(raw)


def _undecodable(raw: bytes) -> SourceError:
    """Name the likely encoding (the one more lines are valid in) and the first
    line that is not valid in it: often a file pasted together from two exports."""
    lines = raw.split(b"\n")
    fails = {}
    for encoding in ("utf-8", "gb18030"):
        fails[encoding] = []
        for number, line in enumerate(lines, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                fails[encoding].append(number)
    likely = min(fails, key=lambda e: len(fails[e]))  # (a tie: UTF-8, tried first)
    name = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK"}[likely]
    row = fails[likely][0]
    return SourceError("encoding", f"文件编码无法识别：大部分内容是 {name}，但第 {row} 行起有不是 {name} 的内容"
                       f"（共 {len(fails[likely])} 行），文件可能由不同编码的内容拼接而成，或已损坏", SAVE_AS_UTF8, row=row)


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    text, encoding = decode_csv_bytes(path.read_bytes())
    try:
        frame = pd.read_csv(
            io.StringIO(text), header=None, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, engine="c",
        )
    except pd.errors.EmptyDataError:
        return [], encoding
    except pd.errors.ParserError:
        # Rows longer than the header (often just trailing empty cells from
        # Excel), or a quote left open: read with the stdlib, which says
        # which; read_table reports non-empty extras.
        return _read_csv_rows(text), encoding
    return frame.values.tolist(), encoding


def _read_csv_rows(text: str) -> list[list[str]]:
    rows, reader = [], csv.reader(io.StringIO(text), strict=True)
    while True:
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise _unclosed_quote(len(rows) + 1) from None
            if "field larger than field limit" in str(exc):
                raise _too_large_cell(len(rows) + 1) from None
            raise SourceError("bad-csv", f"第 {len(rows) + 1} 行不是有效的 CSV（{exc}）",
                              "请检查这一行的英文双引号：含逗号、引号或换行的单元格须整格用英文双引号括起，"
                              "单元格中的双引号写成两个", row=len(rows) + 1) from None


def _unclosed_quote(row: int) -> SourceError:
    return SourceError("unclosed-quote", f"第 {row} 行有一个英文双引号没有闭合：从这里到文件末尾都被读成了同一个单元格",
                       "请在该行找到多余或缺少的英文双引号（\"）并改正，或在 Excel 中重新导出", row=row)


def _too_large_cell(row: int) -> SourceError:
    return SourceError("too-large", f"第 {row} 行有一个单元格超过 {MAX_CELL:,} 个字符的上限",
                       "请检查这一行（常见原因是引号没有闭合，或把整个文件粘贴进了一个单元格）", row=row)


def _spreadsheet_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _check_zip(path: Path) -> None:
    """Refuse a zip-based workbook whose entries would unpack past the limits
    (a zip bomb), before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_workbook(path) from None
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_UNPACKED:
            raise SourceError("too-large", f"文件解压后超过 {MAX_UNPACKED >> 20} MiB 的上限",
                              "请确认这是一份正常的导出文件；数据很多时请按年度分成几个文件")
        if entry.file_size > _RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise SourceError("too-large", f"文件中的“{entry.filename}”压缩比超过 {MAX_RATIO} 倍的上限"
                              "（正常的表格文件不会这样，可能是恶意构造的文件）",
                              "请确认文件来源，从执法系统重新导出")


def _not_a_workbook(path: Path) -> SourceError:
    return SourceError("unreadable", f"无法打开电子表格文件（不是有效的 {path.suffix.lower()} 文件）",
                       "请确认文件没有损坏、不是改了扩展名的其他文件，可在 Excel 或 WPS 中打开后另存为 .xlsx")


def _read_workbook(path: Path) -> tuple[list[tuple[str, list[list]]], list[str]]:
    """([(sheet name, rows)] of the visible worksheets, [names not read])."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    if path.suffix.lower() in ZIPPED:
        _check_zip(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine's errors of every kind: the file is not a workbook
        raise _not_a_workbook(path) from None
    sheets, skipped = [], []
    try:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                skipped.append(meta.name)
                continue
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.height > MAX_ROWS:
                raise SourceError("too-large", f"工作表“{meta.name}”有 {sheet.height:,} 行，超过 {MAX_ROWS:,} 行的上限",
                                  "请按年度把数据分成几个文件")
            sheets.append((meta.name, sheet.to_python(skip_empty_area=False)))
    except SourceError:
        raise
    except Exception:
        raise _not_a_workbook(path) from None
    finally:
        book.close()
    return sheets, skipped


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _formulas_without_values(path: Path) -> dict[str, dict[int, list[int]]]:
    """Sheet name → {row number: [column indexes]} of formula cells saved
    without a result (a workbook written by a program, never opened in Excel):
    read as empty, they would publish an empty fine. .xlsx/.xlsm only (.xls
    and .ods always hold results)."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        try:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except (KeyError, ElementTree.ParseError):
            return out
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_DOC_RELS}id"), "")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            try:
                xml = archive.read(part)
            except KeyError:
                continue
            if re.search(rb"<(?:\w+:)?f[ >/]", xml):  # (rare: parse only sheets with formulas)
                cells = _empty_formula_cells(xml)
                if cells:
                    out[sheet.get("name")] = cells
    return out


def _empty_formula_cells(xml: bytes) -> dict[int, list[int]]:
    cells: dict[int, list[int]] = {}
    for _, cell in ElementTree.iterparse(io.BytesIO(xml)):
        if cell.tag != f"{_MAIN}c":
            continue
        value = cell.find(f"{_MAIN}v")
        if cell.find(f"{_MAIN}f") is not None and (value is None or not (value.text or "").strip()):
            ref = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", ""))
            if ref:
                cells.setdefault(int(ref.group(2)), []).append(_column_index(ref.group(1)))
        cell.clear()
    return cells


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_ref(row: int, column: int) -> str:
    """A cell's spreadsheet address (row 2, column 0 → A2)."""
    letters, n = "", column + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row}"


# Control characters (C0 other than TAB/LF/CR, DEL and C1) are export noise: they
# cannot be carried in XML feeds and mean nothing on a page. Dropped at the source.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF])


def _cell(value):
    if not isinstance(value, str):
        return value
    if len(value) > MAX_CELL:
        raise _too_large_cell(0)
    return value.translate(_CONTROLS).strip()


def _inside(path: Path, data_dir: Path) -> None:
    """A link in the data folder that leads out of it is not followed: what is
    published is what the webmaster put there."""
    target = path.resolve()
    if not target.is_relative_to(Path(data_dir).resolve()):
        raise SourceError("outside-data", f"这是一个指向数据目录以外的链接（→ {target}），未读取",
                          "请把文件本身复制到数据目录中，不要使用链接")


def read_workbook(path: Path, data_dir: Path) -> Workbook:
    """Every table of a file: a CSV file's one, a workbook's visible worksheets
    that hold anything, in sheet order."""
    name = path.relative_to(data_dir).as_posix()
    suffix = path.suffix.lower()
    if suffix != ".csv" and suffix not in SPREADSHEETS:
        raise SourceError("file-type", f"不支持的文件类型“{suffix}”",
                          "请导出为 .csv（UTF-8 或 GB18030）、.xlsx、.xls 或 .ods 文件")
    _inside(path, data_dir)
    try:
        if suffix == ".csv":
            records, encoding = _read_csv(path)
            return Workbook([_table(path, name, records, encoding)])
        sheets, skipped = _read_workbook(path)
        formulas = _formulas_without_values(path) if suffix in (".xlsx", ".xlsm") else {}
    except OSError as exc:
        raise SourceError("unreadable", f"无法读取文件（{exc.strerror or exc}）",
                          "请检查文件是否存在、是否有读取权限，或重新复制该文件") from None
    sheets = [(sheet, records) for sheet, records in sheets if any(str(c).strip() for r in records for c in r)]
    if not sheets:
        raise SourceError("empty-file", "文件中没有内容（没有可见的、非空的工作表）",
                          "请确认导出的数据在第一个可见的工作表中，第一行是列名（表头）", row=1)
    tables = []
    for sheet, records in sheets:
        label = name if len(sheets) == 1 else f"{name}［{sheet}］"
        try:
            tables.append(_table(path, label, records, suffix[1:], formulas.get(sheet, {})))
        except SourceError as exc:
            if len(sheets) > 1:
                exc.message = f"工作表“{sheet}”：{exc.message}"
            raise
    return Workbook(tables, skipped)


def read_table(path: Path, data_dir: Path) -> Table:
    """A file's first table (entities, staff, checklists, columns.csv, the calendar)."""
    return read_workbook(path, data_dir).tables[0]


def _table(path: Path, name: str, records: list[list], encoding: str, formulas=None) -> Table:
    # Trailing all-empty rows/cells are Excel noise; the header is the first row.
    if not records or not any(str(c).strip() for c in records[0]):
        raise SourceError("empty-file", "文件为空或第一行不是表头", "请确认第一行是列名（表头），数据从第二行开始", row=1)
    if len(records) > MAX_ROWS:
        raise SourceError("too-large", f"文件有 {len(records):,} 行，超过 {MAX_ROWS:,} 行的上限", "请按年度把数据分成几个文件")
    spreadsheet = formulas is not None
    headers = [_cell(str(_spreadsheet_cell(h))) for h in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        try:
            cells = [_cell(_spreadsheet_cell(c) if spreadsheet else c) for c in record]
        except SourceError:
            raise _too_large_cell(number) from None
        if any(str(c).strip() for c in cells[width:]):
            raise SourceError("ragged-row", f"这一行有 {len(cells)} 个单元格，内容超出了表头的 {width} 列",
                              "请检查该行是否有未加引号的英文逗号，或删除表头以外的单元格、为其补上列名", row=number)
        cells = (cells + [""] * width)[:width]
        if any(c != "" for c in cells):
            rows.append((number, cells))
    empty_formulas = {n: [c for c in cols if c < width] for n, cols in (formulas or {}).items()}
    return Table(path, name, headers, rows, encoding, spreadsheet, {n: c for n, c in empty_formulas.items() if c})
