"""Every page but decision pages is dated by the day its content last changed,
a decision page by its record or its agency's last change (gongshi/pagedates.py):
a night that changes nothing changes no byte of the site, and a page's footer
date and sitemap lastmod move only when it does.
List pages are checked in tests/test_lists.py."""
import json
import os
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from conftest import tree_digest
from helpers import (AGENCY_A, AGENCY_B, ENTITIES, ENTITY_HEADER, FOOTER_DATE, SITEURL, STAFF, STAFF_HEADER,
                     sitemap_lastmods, write_csv, write_dataset)

from pelican.plugins.gongshi import cache
from pelican.plugins.gongshi.ledger import Ledger
from pelican.plugins.gongshi.pagedates import PageDates
from pelican.plugins.gongshi.urls import entity_url

# Pages that used to show the build date: lists, search, open data, 404, checklists, an
# agency without decisions, and the agency's own content pages (rendered by Pelican).
UNDATED = ["entities/index.html", "staff/index.html", "checklists/index.html", "search/index.html",
           "open-data/index.html", "404.html", "pages/about.html", "pages/remedies.html"]


@pytest.fixture
def build(build):
    """Every build here has a SITEURL: footer dates are checked against the sitemap's."""
    return partial(build, SITEURL=SITEURL)


def footer_date(out: Path, rel: str) -> str | None:
    found = FOOTER_DATE.findall((out / rel).read_text(encoding="utf-8"))
    return found[0] if found else None


def change_cell(path: Path, header: list[str], rows, row: int, column: str, value: str) -> None:
    """Rewrite a data file with one cell changed."""
    rows = [list(r) for r in rows]
    rows[row][header.index(column)] = value
    write_csv(path, header, rows)


def test_a_night_without_change_changes_nothing_and_a_change_dates_only_its_pages(tmp_path, build):
    # No decision dated 2026: this year's yearbook (which states its period up to
    # the build date) does not exist, so no page depends on the build date.
    data = write_dataset(tmp_path, licenses=[], others=[])
    assert build(data, today="2026-11-20")[0] == 0
    code, out = build(data, today="2026-11-20")  # both slots hold the site
    assert code == 0
    before = tree_digest(out)
    agency_without_decisions = entity_url(AGENCY_B)  # every decision is agency A's

    code, out = build(data, today="2026-11-23")
    assert code == 0
    assert tree_digest(out) == before  # every byte, the sitemap too
    sitemap = sitemap_lastmods(out)
    for rel in UNDATED + [agency_without_decisions]:
        assert (Path(os.path.realpath(out)) / rel).is_file(), rel
        assert footer_date(out, rel) == "2026-11-20", rel
        if rel != "404.html":
            assert sitemap[rel] == "2026-11-20", rel
    assert "更新于 2026-11-20" in (out / "open-data" / "index.html").read_text(encoding="utf-8")

    # A staff member's category changes: the staff list and the downloads say so.
    change_cell(data / "staff.csv", STAFF_HEADER, STAFF, 2, "执法类别", "食品安全")
    code, out = build(data, today="2026-11-24")
    assert code == 0
    sitemap = sitemap_lastmods(out)
    for rel in ("staff/index.html", "open-data/index.html"):
        assert footer_date(out, rel) == sitemap[rel] == "2026-11-24", rel
    assert "更新于 2026-11-24" in (out / "open-data" / "index.html").read_text(encoding="utf-8")
    for rel in ("entities/index.html", "checklists/index.html", "search/index.html", "pages/about.html"):
        assert footer_date(out, rel) == sitemap[rel] == "2026-11-20", rel

    # A fresh output folder with the same ledger gives the same dates: they are
    # the publication's, not the output folder's.
    code, fresh = build(data, today="2026-11-25", output=tmp_path / "fresh")
    assert code == 0
    assert sitemap_lastmods(fresh) == sitemap
    assert footer_date(fresh, "pages/about.html") == "2026-11-20"


def test_a_new_version_of_the_code_dates_no_page_anew(tmp_path, build, monkeypatch):
    # An upgrade changes no page's content: the build cache is keyed by the code's
    # version, page dates must not be.
    data = write_dataset(tmp_path, licenses=[], others=[])
    assert build(data, today="2026-11-20")[0] == 0
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    code, out = build(data, today="2026-11-23")
    assert code == 0
    sitemap = sitemap_lastmods(out)
    for rel in UNDATED:
        assert footer_date(out, rel) == "2026-11-20", rel
        assert rel == "404.html" or sitemap[rel] == "2026-11-20", rel


def test_a_page_keeps_its_date_while_its_content_key_does():
    dates = PageDates({"a.html": ("k1", "2026-11-01"), "b.html": ("k2", "2026-11-01"),
                       "c.html": ("k3", "2026-12-01"), "d.html": ("", "2026-11-01")}, date(2026, 11, 22))
    assert dates.date("a.html", "k1") == "2026-11-01"
    assert dates.date("b.html", "changed") == "2026-11-22"
    assert dates.date("c.html", "k3") == "2026-11-22"  # dated after the build date: a build dated back
    assert dates.date("d.html", "") == "2026-11-22"  # content that could not be keyed
    assert dates.date("new.html", "k") == "2026-11-22"
    assert dates.date("list.html", "k", "2026-10-01") == "2026-10-01"  # first seen: the date it offers
    assert dates.date("a.html", "k1", "2026-10-01") == "2026-11-01"  # known: its own date
    assert dates.seen == {"a.html": ("k1", "2026-11-01"), "b.html": ("changed", "2026-11-22"),
                          "c.html": ("k3", "2026-11-22"), "d.html": ("", "2026-11-22"), "new.html": ("k", "2026-11-22"),
                          "list.html": ("k", "2026-10-01")}


def test_the_ledger_keeps_the_page_dates_that_changed_and_forgets_pages_gone(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    assert ledger.page_dates() == {}
    ledger.commit([], date(2026, 11, 20), "a", {}, {"x.html": ("k", "2026-11-20"), "y.html": ("j", "2026-11-19")})
    assert ledger.page_dates() == {"x.html": ("k", "2026-11-20"), "y.html": ("j", "2026-11-19")}
    dates = PageDates(ledger.page_dates(), date(2026, 11, 22))
    dates.date("x.html", "k2")
    dates.date("z.html", "i", "2026-11-01")
    assert dates.changes() == ({"x.html": ("k2", "2026-11-22"), "z.html": ("i", "2026-11-01")}, ["y.html"])
    ledger.commit([], date(2026, 11, 22), "b", {}, *dates.changes())
    assert ledger.page_dates() == {"x.html": ("k2", "2026-11-22"), "z.html": ("i", "2026-11-01")}
    ledger.commit([], date(2026, 11, 23), "a", {})  # no page changed: all kept
    assert ledger.page_dates() == {"x.html": ("k2", "2026-11-22"), "z.html": ("i", "2026-11-01")}


def test_a_decision_page_is_dated_by_its_record_or_by_the_night_its_agency_changed(tmp_path, build):
    # Agency A's two penalties (2024) and agency B's licence (2025); none dated 2026.
    data = write_dataset(tmp_path, others=[])
    assert build(data, today="2026-11-20")[0] == 0
    code, out = build(data, today="2026-11-21")
    assert code == 0
    decisions = json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))
    pages = {d["url"]: d["agency_code"] for d in decisions}
    assert sorted(pages.values()) == [AGENCY_A, AGENCY_A, AGENCY_B]
    sitemap = sitemap_lastmods(out)
    for rel in pages:  # first published on the 20th, never corrected
        assert footer_date(out, rel) == sitemap[rel] == "2026-11-20", rel

    # Agency A's administrative court changes: every decision page of A shows it.
    change_cell(data / "entities.csv", ENTITY_HEADER, ENTITIES, 0, "行政诉讼管辖法院", "示例市第一中级人民法院")
    code, out = build(data, today="2026-11-24")
    assert code == 0
    sitemap = sitemap_lastmods(out)
    for rel, agency in pages.items():
        html = (out / rel).read_text(encoding="utf-8")
        assert ("示例市第一中级人民法院" in html) == (agency == AGENCY_A), rel
        expected = "2026-11-24" if agency == AGENCY_A else "2026-11-20"
        assert footer_date(out, rel) == sitemap[rel] == expected, rel
        assert "（本信息已更正）" not in html  # the decision itself did not change

    # The next night, with no change, keeps those dates.
    code, out = build(data, today="2026-11-25")
    assert code == 0
    assert {rel: sitemap_lastmods(out)[rel] for rel in pages} == {rel: sitemap[rel] for rel in pages}
