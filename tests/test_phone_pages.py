"""Pages kept short for a phone, in a real build: a long checklist is split by
所属主体 (or 适用部门) into pages of at most GONGSHI_CHECKLIST_PER_PAGE rows, and
撤回公告 is paged like the decision lists. (Their length at 390 px is measured in
tests/browser/test_browser_phone.py.)"""
from __future__ import annotations

import os
import re
from pathlib import Path

from helpers import AGENCY_A, TAKEDOWN_HEADER, penalty_row, resolve, walk, write_csv, write_dataset

from pelican.plugins.gongshi import urls

SUBJECTS = ["清河区应急管理局"] * 23 + ["清河区市场监督管理局"] * 12 + [""] * 4
CELL = re.compile(r'<th scope="row" class="pre-line" data-label="序号">(\d+)</th>')
PART = re.compile(r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">(\d+) 项</span>')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
BACK = re.compile(r'<a href="([^"]+)">查看其他主体</a>')


def test_a_long_checklist_is_split_by_subject_into_short_pages(tmp_path, build):
    data = write_dataset(tmp_path)
    # Interleaved, as a 裁量基准 often is; the subject column is 适用部门 (no 所属主体).
    order = sorted(range(len(SUBJECTS)), key=lambda i: (i * 7) % len(SUBJECTS))
    write_csv(data / "checklists" / "行政处罚自由裁量基准.csv", ["序号", "违法行为", "裁量基准", "适用部门"],
              [[str(i + 1), f"违法行为{i + 1}", "处1万元罚款", SUBJECTS[i]] for i in order])
    code, out = build(data, GONGSHI_CHECKLIST_PER_PAGE=10)
    assert code == 0
    root = Path(os.path.realpath(out))
    overview_url = urls.checklist_url("行政处罚自由裁量基准")
    overview = (root / overview_url).read_text(encoding="utf-8")
    assert "共 39 项" in overview and not CELL.findall(overview)  # the overview lists subjects, no rows
    parts = PART.findall(overview)
    assert [(name, int(n)) for _, name, n in parts] == [("清河区应急管理局", 23), ("清河区市场监督管理局", 12),
                                                         ("未注明所属主体", 4)]
    # Following 下一部分 from the first subject's first page visits every row once, each
    # page holding at most 10 rows, all of one subject, in the file's order.
    seen, url, pages = [], resolve(overview_url, parts[0][0]), 0
    while url:
        text = (root / url).read_text(encoding="utf-8")
        rows = [int(n) for n in CELL.findall(text)]
        assert 0 < len(rows) <= 10 and len({SUBJECTS[n - 1] for n in rows}) == 1, url
        assert [resolve(url, h) for h in BACK.findall(text)] == [overview_url]  # back to the overview
        seen += rows
        pages += 1
        forward = NEXT.findall(text)
        url = resolve(url, forward[0]) if forward else None
    expected = [i + 1 for s in ("清河区应急管理局", "清河区市场监督管理局", "") for i in order if SUBJECTS[i] == s]
    assert seen == expected and pages == 3 + 2 + 1


def test_the_withdrawn_list_is_paged_like_the_decision_lists(tmp_path, build):
    decisions = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号", "处罚决定日期": f"2025-03-{i:02d}",
                                "公示截止期": "2029-12-31"}) for i in range(1, 21)]
    takedowns = [[f"清应急罚〔2025〕{i}号", AGENCY_A, "信息有误" if i % 2 else "公示期满", "2026-09-01",
                  "原文书号填写错误" if i % 2 else ""] for i in range(1, 15)]
    data = write_dataset(tmp_path, decisions=decisions)
    assert build(data, today="2026-03-05", GONGSHI_PER_PAGE=3)[0] == 0  # published first, then withdrawn
    # A notice is dated by the night it was withdrawn: half on one night, half on another.
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, takedowns[:7])
    assert build(data, today="2026-10-12", GONGSHI_PER_PAGE=3)[0] == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, takedowns)
    code, out = build(data, GONGSHI_PER_PAGE=3)
    assert code == 0
    root = Path(os.path.realpath(out))
    pages, rows = walk(root, "decisions/withdrawn/")
    assert len(pages) > 2
    dated = sorted((("2026-10-12" if i <= 7 else "2026-11-22"), f"清应急罚〔2025〕{i}号") for i in range(1, 15))
    assert rows == [urls.decision_url(AGENCY_A, docno) for _, docno in reversed(dated)]
    first = (root / "decisions/withdrawn/index.html").read_text(encoding="utf-8")
    assert "共 14 条" in first and "按月份浏览" in first
    later = (root / pages[1]).read_text(encoding="utf-8")
    assert "共 " not in later and "本页撤回日期" in later
    # 公示期满 without a 说明: an empty cell (no “说明：” on a phone's card)
    assert '<td data-label="说明"></td>' in first + later


def test_the_yearbook_folds_months_without_decisions_into_one_line(tmp_path, build):
    decisions = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号", "处罚决定日期": f"2025-{m}-0{i}",
                                "公示截止期": "2029-12-31"}) for i, m in ((1, "03"), (2, "07"), (3, "07"))]
    data = write_dataset(tmp_path, decisions=decisions, licenses=[], others=[])
    code, out = build(data)
    assert code == 0
    page = (Path(os.path.realpath(out)) / "stats/2025/index.html").read_text(encoding="utf-8")
    months = re.findall(r'<th scope="row" data-label="月份">(2025-\d\d)</th>', page)
    assert months == ["2025-03", "2025-07"]
    empty = ", ".join(f"2025-{m:02d}" for m in range(1, 13) if m not in (3, 7)).replace(", ", "、")
    assert f"没有执法决定的月份：{empty}</th>" in page
    # the CSV keeps every month
    csv = (Path(os.path.realpath(out)) / "stats/2025/months.csv").read_text(encoding="utf-8-sig")
    assert all(f"2025-{m:02d}," in csv for m in range(1, 13))
