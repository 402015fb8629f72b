"""Every page template in real Chromium: accessibility (axe-core), no sideways
scrolling on a phone and a laptop, readable without JavaScript, screenshots.

The pages checked are data-driven: one representative URL per template found
in the example build's page specs (plus the generator's own pages), so a
template added later is checked without editing this file.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser_support import VIEWPORTS, screenshot

AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def representative_pages(data: Path, site_dir: Path) -> dict[str, str]:
    """template name → one URL of the example site rendered with it."""
    from pelican.plugins.gongshi import stats
    from pelican.plugins.gongshi.pages import site_pages
    from pelican.plugins.gongshi.pipeline import prepare
    from pelican.plugins.gongshi.settings import DEFAULTS

    site = prepare(data, __import__("datetime").date(2026, 11, 22))
    settings = dict(DEFAULTS)
    chosen: dict[str, str] = {}
    for spec in site_pages(site, settings) + stats.outputs(site, settings)[0]:
        key = spec.template.removesuffix(".html")
        if key == "decisions" and "pagination" not in (site_dir / spec.url).read_text(encoding="utf-8"):
            continue  # prefer a list long enough to paginate
        chosen.setdefault(key, spec.url)
    chosen["open_data"] = "open-data/index.html"
    chosen["feeds"] = "feeds/index.html"
    chosen["404"] = "404.html"
    chosen["page"] = next(p.relative_to(site_dir).as_posix() for p in sorted((site_dir / "pages").glob("*.html")))
    return chosen


@pytest.fixture(scope="module")
def pages(example_site):
    chosen = representative_pages(*example_site)
    for must in ("index", "decisions", "decision", "withdrawn", "withdrawals", "entity", "entities", "staff",
                 "checklist", "checklists", "search", "open_data", "404", "page", "feeds", "stats_index",
                 "stats_year"):
        assert must in chosen, f"no {must} page in the example build"
    return chosen


def test_every_template_is_covered(pages):
    templates = {p.stem for p in (Path(__file__).resolve().parents[2] / "theme/templates").glob("*.html")
                 if not p.stem.startswith("_") and p.stem != "base"}
    assert templates <= set(pages), f"templates without a page to check: {templates - set(pages)}"


def _axe(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_templates_pass_axe_and_fit_phone_and_laptop(new_page, base_url, pages):
    problems = []
    for name, url in sorted(pages.items()):
        for size in VIEWPORTS:
            page = new_page(size)
            page.goto(f"{base_url}/{url}")
            if name == "search":  # a search with results is the page people see
                page.goto(f"{base_url}/{url}?q=安全生产")
                page.wait_for_function("() => document.getElementById('search-status').dataset.searches")
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{name} {size}: scrolls sideways by {overflow}px ({url})")
            screenshot(page, f"{name}-{size}")
            if size == "desktop" or name in ("index", "decision", "search", "staff"):
                for v in _axe(page):
                    problems.append(f"{name} {size}: axe {v['impact']} {v['id']} at {v['nodes']} ({url})")
            page.context.close()
    assert not problems, "\n".join(problems)


def test_pages_are_readable_without_javascript(new_page, base_url, pages):
    for name, url in sorted(pages.items()):
        page = new_page("phone", javascript=False)
        page.goto(f"{base_url}/{url}")
        main = page.inner_text("main")
        assert len(main.strip()) > 40, f"{name}: main content missing without JavaScript"
        assert page.locator("h1").first.is_visible(), name
        if name == "staff":
            assert "浏览器未启用 JavaScript" in main and page.locator("tr[data-cert]").count() > 10
        page.context.close()


def _rows(page) -> list[str]:
    return page.eval_on_selector_all("table.data-table tbody th a", "as => as.map(a => a.textContent)")


def _fits_and_passes_axe(page, where: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where}: scrolls sideways by {overflow}px"
    assert not _axe(page), f"{where}: {_axe(page)}"


def test_pagination_and_facet_links(new_page, base_url, site_dir):
    """Pages cut by content (gongshi/paging.py): 较早 / 较新 links, no page numbers or
    totals beyond the first page, and 按月份浏览 on the first page."""
    decisions = json.loads((site_dir / "open-data/decisions.json").read_text(encoding="utf-8"))
    newest_first = sorted(decisions, key=lambda d: (d["decision_date"], d["key"]), reverse=True)
    page = new_page("phone")
    page.goto(f"{base_url}/decisions/index.html")
    first_page = _rows(page)
    assert first_page == [d["docno"] for d in newest_first[:len(first_page)]]
    assert f"共 {len(decisions)} 条" in page.inner_text("main .lead")
    nav = page.locator("nav.pagination")
    assert nav.get_attribute("aria-label") == "分页"
    assert page.locator(".pagination a[rel=prev]").count() == 0  # nothing newer than the first page
    assert "较新" in page.inner_text(".pagination .pg-prev") and page.locator(".pg-prev a").count() == 0
    assert "第 " not in nav.inner_text()  # no page numbers: they would move every night
    _fits_and_passes_axe(page, "first page (phone)")
    page.click(".pagination a[rel=next]")
    page.wait_for_url(re.compile(r".*/decisions/p/[0-9a-f]{10}\.html$"))
    second = _rows(page)
    assert second and not set(second) & set(first_page)
    assert first_page + second == [d["docno"] for d in newest_first[:len(first_page) + len(second)]]
    dates = page.eval_on_selector_all("td[data-label='决定日期'] time", "ts => ts.map(t => t.textContent)")
    span = f"{min(dates)} 至 {max(dates)}"
    assert span in page.inner_text(".pagination-status") and span in page.title()
    assert "共" not in page.inner_text("main .lead")  # no total beyond the first page
    assert page.locator(".facets .count").filter(has_text=re.compile(r"^\d+$")).count() == 0
    crumb = page.locator(".breadcrumbs [aria-current=page]")
    assert crumb.inner_text() == span
    assert page.locator(".pagination a[rel=prev]").inner_text().endswith("较新")
    assert page.locator(".pagination a[rel=next], .pagination .pg-next .pg-disabled").count() == 1
    _fits_and_passes_axe(page, "second page (phone)")
    page.click(".pagination a[rel=prev]")
    page.wait_for_url("**/decisions/index.html")
    assert _rows(page) == first_page
    # 按月份浏览: one link per month, each to the row of that month's newest decision
    months = sorted({d["decision_date"][:7] for d in decisions}, reverse=True)
    jump = page.locator("nav.month-jump")
    assert jump.get_attribute("aria-labelledby") == "month-jump-heading"
    links = jump.locator("a")
    assert links.count() == len(months)
    assert [links.nth(i).get_attribute("aria-label") for i in (0, len(months) - 1)] == \
        [f"{int(m[:4])}年{int(m[5:])}月" for m in (months[0], months[-1])]
    target = months[len(months) // 2]
    jump.locator(f"a[href$='#m-{target}']").click()
    page.wait_for_url(f"**#m-{target}")
    row = page.locator(f"tr#m-{target}")
    assert row.locator("th a").inner_text() == next(d["docno"] for d in newest_first
                                                     if d["decision_date"].startswith(target))
    # the browser scrolls to the row (shortly after the load event)
    page.wait_for_function(f"() => Math.abs(document.getElementById('m-{target}').getBoundingClientRect().top) < 50")
    page.goto(f"{base_url}/decisions/index.html")
    # facet: a category narrows the list to that category, with its count
    page.click(".facets a:has-text('行政强制')")
    page.wait_for_url("**/decisions/category/**")
    expected = sum(1 for d in decisions if d["category"] == "行政强制")
    assert f"共 {expected} 条" in page.inner_text("main .lead")
    cats = page.eval_on_selector_all("td[data-label='类别']", "tds => tds.map(t => t.textContent.trim())")
    assert cats and set(cats) == {"行政强制"}
    # facet: a year, within the category (tests/browser/test_browser_phone.py follows a
    # combined list to its end)
    year = max(d["decision_date"][:4] for d in decisions if d["category"] == "行政强制")
    page.click(f".facets a:has-text('{year}年')")
    page.wait_for_url(f"**/decisions/category/coercion/year/{year}/**")
    dates = page.eval_on_selector_all("td[data-label='决定日期'] time", "ts => ts.map(t => t.textContent)")
    cats = page.eval_on_selector_all("td[data-label='类别']", "tds => tds.map(t => t.textContent.trim())")
    assert dates and all(d.startswith(year) for d in dates) and set(cats) == {"行政强制"}
    # a decision link opens the decision page with its 文书号 as heading
    link = page.locator("table.data-table tbody th a").first
    docno = link.inner_text()
    link.click()
    assert page.locator("h1").inner_text() == docno
