"""Working-day deadlines against the State Council's published schedules (typed in here by hand)."""
from datetime import date, timedelta


from pelican.plugins.gongshi.problems import Report
from pelican.plugins.gongshi.workdays import WorkCalendar, load_calendar
from helpers import write_csv


def test_contract_example_friday_and_saturday_start():
    cal = WorkCalendar()
    assert cal.add_workdays(date(2026, 11, 20), 7) == date(2026, 12, 1)
    assert cal.add_workdays(date(2026, 11, 21), 7) == date(2026, 12, 1)
    assert cal.add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_national_day_2025_with_make_up_days():
    # 2025 国庆中秋: 10月1日至8日放假；9月28日（周日）、10月11日（周六）上班。
    cal = WorkCalendar()
    assert cal.is_workday(date(2025, 9, 28)) and cal.is_workday(date(2025, 10, 11))
    assert not any(cal.is_workday(date(2025, 10, d)) for d in range(1, 9))
    # Decided Friday 9-26: 9-28 (Sun, make-up) is day 1, 9-29 day 2, 9-30 day 3, then 10-9, 10-10, 10-11 (Sat), 10-13.
    assert cal.add_workdays(date(2025, 9, 26), 7) == date(2025, 10, 13)
    assert cal.add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_spring_festival_2025():
    # 2025 春节: 1月28日至2月4日放假；1月26日（周日）、2月8日（周六）上班。
    cal = WorkCalendar()
    assert cal.is_workday(date(2025, 1, 26)) and cal.is_workday(date(2025, 2, 8))
    assert not any(cal.is_workday(date(2025, 1, 28) + timedelta(days=i)) for i in range(8))
    assert cal.add_workdays(date(2025, 1, 27), 1) == date(2025, 2, 5)
    # 1-26, 1-27, 2-5, 2-6, 2-7, 2-8 (Sat, make-up) = 6; then 2-10…2-14, 2-17…2-21, 2-24…2-27 = 20.
    assert cal.add_workdays(date(2025, 1, 24), 20) == date(2025, 2, 27)


def test_uncovered_year_falls_back_loudly_to_weekdays():
    cal = WorkCalendar()
    # 2027-01-01 is a Friday; Monday–Friday fallback: due Tuesday 01-12.
    assert cal.add_workdays(date(2027, 1, 1), 7) == date(2027, 1, 12)
    assert cal.uncovered_years == {2027}
    (warning,) = cal.warnings()
    assert "2027" in warning and "calendar.csv" in warning


def test_override_file_defines_an_uncovered_year(tmp_path):
    data = tmp_path / "data"
    write_csv(data / "calendar.csv", ["日期", "类型", "说明"], [
        ["2027-01-01", "休息日", "元旦"], ["2027/2/6", "休息日", "春节"], ["2027年2月7日", "工作日", "调休"]])
    report = Report()
    cal = load_calendar(data, report)
    assert report.ok
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 2, 7))  # a Sunday, made a working day
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.uncovered_years == set()


def test_bad_override_rows_are_reported(tmp_path):
    data = tmp_path / "data"
    write_csv(data / "calendar.csv", ["日期", "类型"], [["2027-02-30", "休息日"], ["2027-03-01", "放假"]])
    report = Report()
    load_calendar(data, report)
    assert [(p.row, p.column, p.code) for p in report.sorted()] == [(2, "日期", "bad-date"), (3, "类型", "bad-value")]
