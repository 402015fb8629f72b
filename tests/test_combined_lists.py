"""Decision lists narrowed by agency, category and year together, in a real build:
each holds exactly its scope's decisions, its facet links keep the scope and
count what they lead to, and no empty combination is built or linked."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers import (AGENCY_A, AGENCY_B, LIST_PAGE, SITEURL, license_row, other_row, penalty_row, resolve, sitemap_lastmods,
                     walk, write_dataset)
from test_lists import listings

FOLDER = re.compile(r"decisions/(?:agency/([^/]+)/)?(?:category/([^/]+)/)?(?:year/([^/]+)/)?")
GROUP = re.compile(r'<details class="facet-group".*?</details>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>(?: <span class="count">(\d+)</span>)?')
CURRENT = re.compile(r'<a href="([^"]+)" aria-current="(?:page|true)">')
B_NAME = "清河区市场监督管理局"


def mixed_decisions():
    """Penalties by both agencies over three years, licenses by B only (2025–2026),
    inspections by A only (2026), one coercion by B: many combinations, several empty."""
    penalties = []
    for i in range(1, 19):
        year, code = 2024 + i % 3, (AGENCY_A if i % 2 else AGENCY_B)
        name = "清河区应急管理局" if code == AGENCY_A else B_NAME
        penalties.append(penalty_row(**{"行政处罚决定书文号": f"清罚〔{year}〕{i}号",
                                        "处罚决定日期": f"{year}-{1 + i % 11:02d}-{1 + i % 27:02d}",
                                        "公示截止期": "2029-12-31", "处罚机关": name, "处罚机关统一社会信用代码": code,
                                        "数据来源单位": name, "数据来源单位统一社会信用代码": code}))
    licenses = [license_row(**{"行政许可决定文书号": f"清市监许〔{2025 + i % 2}〕{i}号",
                               "许可决定日期": f"{2025 + i % 2}-0{1 + i % 8}-1{i % 9}"}) for i in range(1, 8)]
    others = [other_row(**{"决定文书号": f"清应急检〔2026〕{i}号", "决定日期": f"2026-0{i}-03"}) for i in range(1, 6)]
    others.append(other_row(**{"执法类别": "行政强制", "决定文书号": "清市监强〔2025〕1号", "执法机关": B_NAME,
                               "执法机关统一社会信用代码": AGENCY_B, "决定日期": "2025-07-07"}))
    return penalties, licenses, others


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    from conftest import settings_file
    from pelican.plugins.gongshi.cli import main

    tmp = tmp_path_factory.mktemp("combined")
    penalties, licenses, others = mixed_decisions()
    data = write_dataset(tmp, decisions=penalties, licenses=licenses, others=others)
    conf = settings_file(tmp, GONGSHI_PER_PAGE=3, GONGSHI_LEDGER=str(tmp / "ledger.sqlite"),
                         GONGSHI_REPORT=str(tmp / "report.json"), SITEURL=SITEURL)
    assert main(["--data", str(data), "--output", str(tmp / "out"), "--today", "2026-11-22",
                 "--settings", str(conf)]) == 0
    root = Path(os.path.realpath(tmp / "out"))
    decisions = json.loads((root / "open-data/decisions.json").read_text(encoding="utf-8"))
    assert len(decisions) == 18 + 7 + 6
    return root, listings(decisions)


def built_lists(root: Path) -> set[str]:
    return {rel.split("p/")[0].removesuffix("index.html")
            for rel in (p.relative_to(root).as_posix() for p in (root / "decisions").rglob("*.html"))
            if LIST_PAGE.fullmatch(rel)}


def scope(folder: str) -> tuple:
    return FOLDER.fullmatch(folder).groups()


def test_every_combined_list_holds_exactly_its_scope_and_no_empty_one_is_built(mixed):
    root, expected = mixed
    combined = [f for f in expected if sum(part is not None for part in scope(f)) >= 2]
    assert f"decisions/agency/{AGENCY_B}/category/penalty/year/2025/" in combined
    assert "decisions/category/license/year/2026/" in combined and len(combined) > 15
    # Empty combinations: A never licenses, B never inspects, nobody licensed in 2024.
    for empty in (f"decisions/agency/{AGENCY_A}/category/license/", f"decisions/agency/{AGENCY_B}/category/inspection/",
                  "decisions/category/license/year/2024/"):
        assert empty not in expected
    assert built_lists(root) == set(expected)
    sitemap = sitemap_lastmods(root)
    paged = set()
    for folder, items in expected.items():
        pages, rows = walk(root, folder)
        assert rows == [d["url"] for d in items], folder
        assert set(pages) <= set(sitemap), folder  # dated and listed like every list
        if len(pages) > 1:
            paged.add(folder)
    assert f"decisions/agency/{AGENCY_B}/category/penalty/" in paged  # paged like every list


def test_facet_links_keep_the_scope_and_count_what_they_lead_to(mixed):
    root, expected = mixed
    for folder in expected:
        here = scope(folder)
        neighbours = {f for f in expected if sum(a != b for a, b in zip(scope(f), here)) == 1}
        for rel in walk(root, folder)[0]:
            first = rel.endswith("/index.html") and "/p/" not in rel
            text = (root / rel).read_text(encoding="utf-8")
            links = [(resolve(rel, href).removesuffix("index.html"), count)
                     for group in GROUP.findall(text) for href, _name, count in LINK.findall(group)]
            targets = {target for target, _ in links}
            # each narrowed part's group marks this list as the current one, and nothing else
            current = [resolve(rel, href).removesuffix("index.html")
                       for group in GROUP.findall(text) for href in CURRENT.findall(group)]
            assert current == [folder] * sum(part is not None for part in here), (rel, current)
            # within the scope: each link changes or drops one part, or is this list itself
            assert targets - {folder} == neighbours, (rel, sorted(targets ^ neighbours))
            for target, count in links:
                # the scope's count (first pages only: other pages show no counts)
                assert count == (str(len(expected[target])) if first else ""), (rel, target)
