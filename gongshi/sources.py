"""Reading raw tables from CSV (UTF-8, UTF-8-BOM, GB18030/GBK) and .xlsx files.

Everything is read as text (IDs keep leading zeros, "NA" stays "NA"); only
.xlsx date cells arrive as dates. Row numbers are the ones a spreadsheet
shows: the header is row 1.
"""
from __future__ import annotations

import codecs
import csv
import gc
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

SAVE_AS_UTF8 = "请在 Excel 中用“另存为 → CSV UTF-8（逗号分隔）”重新导出该文件"


class SourceError(Exception):
    """A file that cannot be read at all (file-level problem)."""

    def __init__(self, code: str, message: str, fix: str, row: int | None = None):
        super().__init__(message)
        self.code, self.message, self.fix, self.row = code, message, fix, row


@dataclass
class Table:
    path: Path
    name: str  # path relative to the data folder, shown in problems
    headers: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)
    encoding: str
    spreadsheet: bool = False  # cells came from a workbook (a bare number may be an Excel serial date)


def decode_csv_bytes(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 is tried strictly first: a GB18030 file
    almost never decodes as valid UTF-8, so success there is conclusive."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise SourceError("encoding", "文件以 UTF-8 BOM 开头，但内容不是有效的 UTF-8", SAVE_AS_UTF8)
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
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    guess = f"（疑似 {best.encoding}）" if best is not None else ""
    raise SourceError("encoding", f"文件编码无法识别{guess}：既不是 UTF-8 也不是 GB18030/GBK", SAVE_AS_UTF8)


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
        # Excel): read with the stdlib; read_table reports non-empty extras.
        return list(csv.reader(io.StringIO(text))), encoding
    return frame.values.tolist(), encoding


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _read_xlsx(path: Path) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip/xml errors of every kind: the file is not a workbook
        raise SourceError("unreadable", f"无法打开 Excel 文件（{type(exc).__name__}）",
                          "请确认文件是 .xlsx 格式（不是改了扩展名的 .xls），可在 Excel 中另存为 .xlsx") from None
    try:
        sheet = book.worksheets[0]
        return [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


# Control characters (C0 other than TAB/LF/CR, DEL and C1) are export noise: they
# cannot be carried in XML feeds and mean nothing on a page. Dropped at the source.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF])


def _cell(value):
    return value.translate(_CONTROLS).strip() if isinstance(value, str) else value


def read_table(path: Path, data_dir: Path) -> Table:
    name = path.relative_to(data_dir).as_posix()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records, encoding = _read_csv(path)
    elif suffix == ".xlsx":
        records, encoding = _read_xlsx(path), "xlsx"
        # The workbook left reference cycles, and a build keeps the collector
        # off while loading: free them now. A young-generation pass walks only
        # what was made since the previous one.
        gc.collect(0)
    else:
        raise SourceError("file-type", f"不支持的文件类型“{suffix}”",
                          "请导出为 .csv（UTF-8 或 GB18030）或 .xlsx 文件")
    # Trailing all-empty rows/cells are Excel noise; the header is the first row.
    if not records or not any(str(c).strip() for c in records[0]):
        raise SourceError("empty-file", "文件为空或第一行不是表头", "请确认第一行是列名（表头），数据从第二行开始", row=1)
    headers = [_cell(str(h)) for h in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = [_cell(c) for c in record]
        if any(str(c).strip() for c in cells[width:]):
            raise SourceError("ragged-row", f"这一行有 {len(cells)} 个单元格，内容超出了表头的 {width} 列",
                              "请检查该行是否有未加引号的英文逗号，或删除表头以外的单元格、为其补上列名", row=number)
        cells = (cells + [""] * width)[:width]
        if any(c != "" for c in cells):
            rows.append((number, cells))
    return Table(path, name, headers, rows, encoding, suffix != ".csv")
