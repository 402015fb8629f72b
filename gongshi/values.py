"""Parsing of cell values: dates and amounts in the forms the contract accepts."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_SEP_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel/pandas renderings of a date cell: "2024-03-05 00:00:00", "2024-03-05T00:00:00".
_WITH_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


class ValueProblem(ValueError):
    """A cell that cannot be read; carries the fix to tell the user."""

    def __init__(self, code: str, message: str, fix: str):
        super().__init__(message)
        self.code, self.message, self.fix = code, message, fix


DATE_FIX = "请写成 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305 之一"


def parse_date(value) -> date | None:
    """Read a date cell; blank → None; unreadable → ValueProblem."""
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
        # A bare Excel serial number (a date cell exported as a number).
        if re.fullmatch(r"\d{5}(\.0+)?", text) and 20000 < float(text) < 80000:
            return _EXCEL_EPOCH + timedelta(days=int(float(text)))
        raise ValueProblem("bad-date", f"日期“{text}”无法识别", DATE_FIX)
    y, mo, d = (int(g) for g in m.groups()[:3])
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueProblem("bad-date", f"日期“{text}”不存在", DATE_FIX) from None


def parse_amount(value) -> float | None:
    """Read an amount in 万元 (thousands separators allowed); blank → None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
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
    if amount < 0 or amount != amount or amount in (float("inf"),):
        raise ValueProblem("bad-amount", f"金额“{value}”无效", "金额须为不小于 0 的数字（万元）")
    return amount


def format_amount(amount: float | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.4f}".rstrip("0").rstrip(".")
