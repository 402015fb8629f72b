"""Decision lists in a real build: content-defined pages (gongshi/paging.py)
stay byte-identical from night to night, and following 较早 from each list's
first page reaches exactly that list, once and in order."""
from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import tree_digest
from helpers import (AGENCY_A, AGENCY_B, FOOTER_DATE, LIST_PAGE, PENALTY_HEADER, ROW, TAKEDOWN_HEADER, license_row,
                     SITEURL, penalty_row, resolve, sitemap_lastmods, walk, write_csv, write_dataset)

from pelican.plugins.gongshi import urls
from pelican.plugins.gongshi.schema import CATEGORY_SLUGS


def penalties(n):
    rows = []
    for i in range(1, n + 1):
        year, month, day = 2024 + i % 3, 1 + i % 10, 1 + i % 28
        rows.append(penalty_row(**{"行政处罚决定书文号": f"清应急罚〔{year}〕{i}号",
                                   "处罚决定日期": f"{year}-{month:02d}-{day:02d}", "公示截止期": "2029-12-31"}))
    return rows


def licenses(n):
    return [license_row(**{"行政许可决定文书号": f"清市监许〔{2025 + i % 2}〕{i}号",
                           "许可决定日期": f"{2025 + i % 2}-{1 + i % 9:02d}-{2 + i % 25:02d}"}) for i in range(1, n + 1)]


def live(out: Path) -> Path:
    return Path(os.path.realpath(out))


def list_pages(digest: dict[str, str]) -> dict[str, str]:
    return {rel: h for rel, h in digest.items() if LIST_PAGE.fullmatch(rel)}


def folders_of(d: dict) -> list[str]:
    """Every list folder a decision belongs in: all, and narrowed by any of its
    agency, category and year (in that order in the URL)."""
    parts = (f"agency/{d['agency_code']}/", f"category/{CATEGORY_SLUGS[d['category']]}/",
             f"year/{d['decision_date'][:4]}/")
    return ["decisions/" + "".join(p for p, keep in zip(parts, mask) if keep)
            for mask in itertools.product((False, True), repeat=3)]


def listings(decisions: list[dict]) -> dict[str, list[dict]]:
    """Each list folder → the decisions it must hold, newest first (ties: key)."""
    out: dict[str, list[dict]] = {"decisions/": []}
    for d in decisions:
        for folder in folders_of(d):
            out.setdefault(folder, []).append(d)
    for items in out.values():
        items.sort(key=lambda d: (d["decision_date"], d["key"]), reverse=True)
    return out


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    from pelican.plugins.gongshi.cli import main
    from conftest import settings_file

    tmp = tmp_path_factory.mktemp("lists")
    conf = settings_file(tmp, GONGSHI_PER_PAGE=5, GONGSHI_LEDGER=str(tmp / "ledger.sqlite"),
                         GONGSHI_REPORT=str(tmp / "report.json"), SITEURL=SITEURL)  # (a sitemap to check)
    data = write_dataset(tmp, decisions=penalties(150), licenses=licenses(40), others=[])
    out = tmp / "output"

    def night(today):
        assert main(["--data", str(data), "--output", str(out), "--today", today, "--settings", str(conf)]) == 0
        return tree_digest(out), live(out)

    first, _ = night("2026-11-22")
    # The next night: one new decision, two takedowns from the middle of the lists (70号
    # ends its page in every list, 67号 does not).
    write_csv(data / "decisions" / "2026-新增.csv", PENALTY_HEADER, [penalty_row(**{
        "行政处罚决定书文号": "清应急罚〔2026〕901号", "处罚决定日期": "2026-11-20", "公示截止期": "2029-12-31"})])
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急罚〔2025〕70号", AGENCY_A, "信息有误", "2026-11-23", ""],
                                                       ["清应急罚〔2025〕67号", AGENCY_A, "信息有误", "2026-11-23", ""]])
    second, root = night("2026-11-23")
    return first, second, root


def test_a_small_night_leaves_most_list_pages_byte_identical(two_nights):
    first, second, _ = two_nights
    before, after = list_pages(first), list_pages(second)
    assert len(before) > 80  # 190 decisions, 5 a page, in all, category, agency and year lists
    same = {rel for rel in after if before.get(rel) == after[rel]}
    assert len(same) >= 0.8 * len(after), (len(same), len(after))
    # Every first page changes (it shows the counts). Inner pages: each change (the new
    # decision, the takedown) writes or deletes at most 5 files of each list it is in
    # (tests/test_paging.py); lists that hold neither keep every inner page.
    changes = [{"agency_code": AGENCY_A, "category": "行政处罚", "decision_date": date}
               for date in ("2026-11-20", "2025-01-01", "2025-01-01")]
    events = Counter(folder for d in changes for folder in folders_of(d))
    assert events["decisions/"] == 3 and events[f"decisions/agency/{AGENCY_A}/category/penalty/year/2025/"] == 2
    folders = {rel[:rel.index("p/")] if "/p/" in rel else rel.removesuffix("index.html") for rel in after}
    assert set(events) < folders
    for folder in folders:
        changed = [rel for rel in set(before) | set(after) if rel.startswith(folder + "p/")
                   and before.get(rel) != after.get(rel)]
        assert len(changed) <= 5 * events.get(folder, 0), (folder, changed)


def test_following_next_from_each_first_page_reaches_exactly_the_list(two_nights):
    _, second, root = two_nights
    decisions = json.loads((root / "open-data/decisions.json").read_text(encoding="utf-8"))
    assert "清应急罚〔2026〕901号" in {d["docno"] for d in decisions}
    assert not {"清应急罚〔2025〕70号", "清应急罚〔2025〕67号"} & {d["docno"] for d in decisions}
    expected = listings(decisions)
    assert {f"decisions/agency/{AGENCY_B}/", "decisions/year/2024/", "decisions/category/license/"} <= set(expected)
    on_disk = set(list_pages(second))
    visited_all = set()
    for folder, items in expected.items():
        pages, rows = walk(root, folder)
        assert rows == [d["url"] for d in items], folder
        assert len(pages) > 1 or len(items) <= 5
        visited_all.update(pages)
    assert visited_all == on_disk  # no page left over from the night before, none unreachable


def test_list_pages_are_dated_by_their_decisions_or_the_night_their_content_changed(two_nights):
    # A page keeps its date while it shows the same; a page seen first is dated by its
    # newest decision; a page whose content changed is dated that night, even when it
    # only lost a decision (a takedown): its newest decision would say nothing changed.
    _, second, root = two_nights
    earlier = root.with_name("a" if root.name == "b" else "b")  # the first night's slot
    decisions = {d["url"]: d for d in json.loads((root / "open-data/decisions.json").read_text(encoding="utf-8"))}
    sitemap = sitemap_lastmods(root)
    footer = re.compile(r'数据更新日期：<time datetime="[0-9-]+">[0-9-]+</time>')
    gone = {urls.decision_url(AGENCY_A, f"清应急罚〔2025〕{n}号") for n in (67, 70)}
    inner = [rel for rel in list_pages(second) if "/p/" in rel]
    assert inner
    held, bumped = set(), set()
    for rel in inner:
        text = (root / rel).read_text(encoding="utf-8")
        rows = [decisions[resolve(rel, h)] for h in ROW.findall(text)]
        newest = max(d["updated"] for d in rows)
        before = (earlier / rel).read_text(encoding="utf-8") if (earlier / rel).is_file() else None
        changed = before is not None and footer.sub("", before) != footer.sub("", text)
        expected = "2026-11-23" if changed else newest
        assert FOOTER_DATE.findall(text) == [expected] and sitemap[rel] == expected, rel
        if before is not None and gone & {resolve(rel, h) for h in ROW.findall(before)}:
            held.add(rel)
        if expected > newest:
            bumped.add(rel)
        # nothing that depends on the whole list: no total, no counts, no page numbers
        assert "共 " not in text and 'class="count">' not in text.replace('class="count">（', "") and "第 " not in text
        dates = [d["decision_date"] for d in rows]
        assert f"{min(dates)} 至 {max(dates)}" in text
    assert held and held <= bumped  # the pages that showed the taken-down decision say they changed
    first = (root / "decisions/index.html").read_text(encoding="utf-8")
    assert f"共 {len(decisions)} 条" in first and FOOTER_DATE.findall(first) == [max(d["updated"] for d in decisions.values())]
