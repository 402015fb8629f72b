"""Parsing of cell values: dates and amounts in the forms the contract accepts."""
from __future__ import annotations

import enum
import math
import re
import unicodedata
from datetime import date, datetime, timedelta

_SEP_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel/pandas renderings of a date cell: "2024-03-05 00:00:00", "2024-03-05T00:00:00".
_WITH_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST = date(1949, 1, 1)  # no administrative decision of this state is older


class ValueProblem(ValueError):
    """A cell that cannot be read; carries the fix to tell the user."""

    def __init__(self, code: str, message: str, fix: str):
        super().__init__(message)
        self.code, self.message, self.fix = code, message, fix


class EndDate(enum.Enum):
    """An end date that is not a date. ``NO_END_DATE`` (有效期 长期) is never
    compared with a date: code that compares checks for it first."""
    NO_END_DATE = "长期"

    def __str__(self) -> str:
        return self.value


NO_END_DATE = EndDate.NO_END_DATE
# How exports write "no end date" (有效期至, 处罚有效期, 证件有效期至); the two far
# dates are placeholders of systems whose date field cannot be blank.
NO_END_WORDS = frozenset({"长期", "长期有效", "永久", "永久有效", "无固定期限", "无期限"})
NO_END_DATES = frozenset({date(2099, 12, 31), date(9999, 12, 31)})

DATE_FIX = "请写成 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305 之一"


def parse_date(value, serials: bool = True) -> date | None:
    """Read a date cell; blank → None; unreadable → ValueProblem. ``serials``:
    a bare 5-digit number is an Excel serial date (only a spreadsheet's cells
    may be one: in a CSV it is more likely a typing slip)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = _WITH_TIME.match(text)
    if m:
        text = m.group(1)
    m = _SEP_DATE.match(text) or _COMPACT.match(text)
    if not m:
        if _SERIAL.match(text) and 20000 < float(text) < 80000:
            serial = _EXCEL_EPOCH + timedelta(days=int(float(text)))
            if serials:
                return serial
            raise ValueProblem("excel-serial", f"日期“{text}”是一个数字，像是 Excel 的日期序列号（即 {serial.isoformat()}）",
                               "CSV 中的日期请写成日期文字：在 Excel 中把该列设置为“日期”格式后重新导出，或直接写 "
                               + serial.isoformat())
        raise ValueProblem("bad-date", f"日期“{text}”无法识别", DATE_FIX)
    y, mo, d = (int(g) for g in m.groups()[:3])
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueProblem("bad-date", f"日期“{text}”不存在", DATE_FIX) from None


def parse_end_date(value, serials: bool = True) -> date | EndDate | None:
    """An end date: a date, ``NO_END_DATE`` (长期 and the like), or None (blank)."""
    if isinstance(value, str) and value.strip() in NO_END_WORDS:
        return NO_END_DATE
    parsed = parse_date(value, serials)
    return NO_END_DATE if parsed in NO_END_DATES else parsed


def check_date_range(value: date, latest: date | None = None) -> None:
    """A date before 1949 (or after ``latest``) is a slip, never a decision's."""
    if value < EARLIEST or (latest is not None and value > latest):
        upper = latest.isoformat() if latest else "今后"
        raise ValueProblem("date-out-of-range",
                           f"日期 {value.isoformat()} 不在合理范围内（{EARLIEST.isoformat()} 至 {upper}）",
                           "请核对年份是否写错")


MAX_AMOUNT_WAN = 1e6  # 100 亿元: more than any single administrative fine


def parse_amount(value) -> float | None:
    """Read an amount in 万元 (thousands separators allowed); blank → None."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = float(value) if abs(value) < 1e300 else math.inf
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        text = text.removesuffix("万元")
        if not text:
            return None
        try:
            amount = float(text)
        except ValueError:
            raise ValueProblem(
                "bad-amount", f"金额“{value}”不是数字",
                "请只填写以万元为单位的数字，例如 1.5 或 1,200.50，不要写“元”或其他文字",
            ) from None
    if not math.isfinite(amount) or amount < 0:
        raise ValueProblem("bad-amount", f"金额“{value}”无效", "金额须为不小于 0 的数字（万元）")
    if amount > MAX_AMOUNT_WAN:
        raise ValueProblem("bad-amount", f"金额“{value}”万元超过 100 亿元，不像是真实金额",
                           "金额的单位是万元：请核对是否把“元”填成了“万元”，或多写了位数")
    return amount


def format_amount(amount: float | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.4f}".rstrip("0").rstrip(".")


def format_end_date(value) -> str:
    """An end date as shown on pages and in CSV downloads."""
    if value is NO_END_DATE:
        return NO_END_DATE.value
    return value.isoformat() if isinstance(value, date) else ""


# Format characters (Unicode category Cf: zero-width spaces and joiners, bidi
# embeddings/overrides/isolates, BOM, soft hyphen …): invisible, so a 文书号
# holding one looks like another decision's and would be a second key.
_FORMAT_CHARS = re.compile("[" + "".join(
    re.escape(chr(c)) for c in (*range(0x20000), *range(0xE0000, 0xE1000)) if unicodedata.category(chr(c)) == "Cf") + "]")


def clean_key(text: str) -> str:
    """An identifier (文书号, code) as keys are made from it: NFKC (full-width
    → half-width), format characters removed, outer spaces stripped."""
    if text.isascii():
        return text.strip()
    return _FORMAT_CHARS.sub("", unicodedata.normalize("NFKC", text)).strip()


def show_invisible(text: str) -> str:
    """``text`` with its format characters made visible (<U+200B>), for reports."""
    return _FORMAT_CHARS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
