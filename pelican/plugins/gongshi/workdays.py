"""Chinese official working days (调休 make-up days included) and legal deadlines.

Source of truth, in order: the override file in the data folder (for years
the ``chinesecalendar`` package does not cover yet, or corrections), then
``chinesecalendar``, then — loudly — Monday to Friday for a year neither covers.

The deadline for N working days is the N-th working day after the start date,
the start date itself not counted (DATA-CONTRACT §2.6): dated Friday
2026-11-20 or Saturday 2026-11-21, N = 7 → due Tuesday 2026-12-01.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from .problems import FILE, Report
from .sources import SourceError, read_table
from .values import ValueProblem, parse_date

OVERRIDE_FILE = "calendar.csv"
HOLIDAY, WORKDAY = "休息日", "工作日"


@dataclass
class WorkCalendar:
    overrides: dict[date, bool] = field(default_factory=dict)  # date → is a working day
    uncovered_years: set[int] = field(default_factory=set)  # years that fell back to Mon–Fri
    _known: dict[date, bool] = field(default_factory=dict, repr=False, compare=False)
    _due: dict[tuple[date, int], date] = field(default_factory=dict, repr=False, compare=False)

    def is_workday(self, day: date) -> bool:
        # Memoised: a nightly build asks about the same few hundred days
        # hundreds of thousands of times, and chinesecalendar validates each call.
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._lookup(day)
        return known

    def _lookup(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self._override_years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.uncovered_years.add(day.year)
            return day.weekday() < 5

    @property
    def _override_years(self) -> set[int]:
        # A year the override file speaks of is fully defined by it: weekdays
        # work unless listed as 休息日, weekends rest unless listed as 工作日.
        return {d.year for d in self.overrides}

    def add_workdays(self, start: date, n: int) -> date:
        # Memoised too: every decision of a day has the same deadline.
        due = self._due.get((start, n))
        if due is None:
            day, counted = start, 0
            while counted < n:
                day += timedelta(days=1)
                if self.is_workday(day):
                    counted += 1
            due = self._due[(start, n)] = day
        return due

    def warnings(self) -> list[str]:
        return [f"警告：{y} 年的法定节假日和调休安排未知（chinesecalendar 不含该年，{OVERRIDE_FILE} 也未列出），"
                f"期限按周一至周五计算，可能不准确。请在 data/{OVERRIDE_FILE} 中补充 {y} 年的放假和调休日期。"
                for y in sorted(self.uncovered_years)]


def load_calendar(data_dir: Path, report: Report) -> WorkCalendar:
    """Read data/calendar.csv (columns 日期, 类型 = 休息日 / 工作日, 说明) if present."""
    path = Path(data_dir) / OVERRIDE_FILE
    calendar = WorkCalendar()
    if not path.exists():
        return calendar
    try:
        table = read_table(path, Path(data_dir))
    except SourceError as exc:
        report.add(OVERRIDE_FILE, exc.row, None, exc.code, exc.message, exc.fix, FILE)
        return calendar
    headers = [h.strip() for h in table.headers]
    for needed in ("日期", "类型"):
        if needed not in headers:
            report.add(OVERRIDE_FILE, 1, needed, "missing-column", f"缺少必需的列“{needed}”",
                       "节假日调整文件须有“日期”“类型”两列（类型填 休息日 或 工作日）", FILE)
            return calendar
    i_date, i_kind = headers.index("日期"), headers.index("类型")
    for number, cells in table.rows:
        try:
            day = parse_date(cells[i_date])
        except ValueProblem as exc:
            report.add(OVERRIDE_FILE, number, "日期", exc.code, exc.message, exc.fix)
            continue
        kind = str(cells[i_kind]).strip()
        if day is None or kind not in (HOLIDAY, WORKDAY):
            report.add(OVERRIDE_FILE, number, "类型" if day else "日期", "bad-value",
                       "日期为空或类型不是“休息日”/“工作日”", "每行填写一个日期，类型填 休息日（放假）或 工作日（调休上班）")
            continue
        calendar.overrides[day] = kind == WORKDAY
    return calendar
