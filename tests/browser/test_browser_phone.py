"""The example site on a 390 × 844 phone in real Chromium: the header reaches
every section in at most one tap, no page is longer than 15 screens unless it
is a paged list, no card shows a label without a value, a combined list holds
exactly its scope, and the certificate check answers from the address."""
from __future__ import annotations

import json
import re
from urllib.parse import quote

from browser_support import VIEWPORTS

SCREEN = VIEWPORTS["phone"]["height"]
MAX_SCREENS = 15
# Paged lists may run longer (a content-defined page has no hard maximum): the
# decision lists and 撤回公告, at every scope.
PAGED_LIST = re.compile(r"decisions/(?:withdrawn/|agency/[^/]+/)?(?:category/[^/]+/)?(?:year/[^/]+/)?"
                        r"(?:index\.html|p/[^/]+\.html)")

HEADER_LINKS = """() => [...document.querySelectorAll('.site-header nav a')].map(a => {
    const r = a.getBoundingClientRect(), s = getComputedStyle(a);
    return {href: a.getAttribute('href'), shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
            && r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5};
})"""


def _shown(page) -> set[str]:
    return {link["href"] for link in page.evaluate(HEADER_LINKS) if link["shown"]}


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_every_header_link_is_visible_after_at_most_one_tap(new_page, base_url, site_dir):
    pages = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "pages").glob("*.html"))
    for url in ("index.html", "decisions/index.html", pages[0]):
        page = new_page("phone")
        page.goto(f"{base_url}/{url}")
        every = {link["href"] for link in page.evaluate(HEADER_LINKS)}
        assert len(every) >= 8 + len(pages), every  # the sections and the agency's own pages
        page.locator(".site-nav summary").click()  # the one tap
        assert _shown(page) == every, (url, every - _shown(page))
        assert _overflow(page) <= 0
        page.context.close()
    # On a laptop every link is in the bar, no tap needed.
    page = new_page("desktop")
    page.goto(f"{base_url}/index.html")
    assert _shown(page) == {link["href"] for link in page.evaluate(HEADER_LINKS)} and len(_shown(page)) >= 8


EMPTY_LABELS = """() => [...document.querySelectorAll('.table-stack [data-label]')].filter(c => {
    const r = c.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && c.textContent.trim() === '';
}).map(c => c.dataset.label)"""


def test_no_page_is_longer_than_15_screens_on_a_phone(new_page, base_url, site_dir):
    """Every HTML page of the example site (all of them, ~1 600; paged lists are
    measured for empty labels but may be longer), without JavaScript."""
    urls = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    assert len(urls) > 500
    page = new_page("phone", javascript=False)
    too_long, empty = [], []
    for url in urls:
        page.goto(f"{base_url}/{url}")  # "load": the stylesheet applied before measuring
        height = page.evaluate("() => document.documentElement.scrollHeight")
        if height > MAX_SCREENS * SCREEN and not PAGED_LIST.fullmatch(url):
            too_long.append(f"{url}: {height}px ({height / SCREEN:.1f} screens)")
        labels = page.evaluate(EMPTY_LABELS)
        if labels:
            empty.append(f"{url}: {sorted(set(labels))}")
    assert not too_long, "\n".join(too_long)
    assert not empty, "cards with a label and no value:\n" + "\n".join(empty)


def _rows_of_list(page) -> list[str]:
    """The 文书号 of every decision of the list, following 较早 to its end."""
    rows = []
    while True:
        rows += page.eval_on_selector_all("table.data-table tbody th a", "as => as.map(a => a.textContent)")
        older = page.locator(".pagination a[rel=next]")
        if not older.count():
            return rows
        older.click()
        page.wait_for_load_state()


def _facet(page, name: str):
    """A facet link, its group opened first when closed (a tap on 执法机关)."""
    text = re.compile(f"^{re.escape(name)}$")
    link = page.locator(".facets a", has_text=text)
    if not link.is_visible():
        page.locator("details.facet-group", has=page.locator("a", has_text=text)).locator("summary").click()
    return link


def test_a_combined_list_holds_exactly_its_scope(new_page, base_url, site_dir):
    decisions = json.loads((site_dir / "open-data/decisions.json").read_text(encoding="utf-8"))
    # The agency with the most penalties, and its busiest year of them.
    penalties = [d for d in decisions if d["category"] == "行政处罚"]
    agency = max({d["agency_code"] for d in penalties}, key=lambda a: sum(d["agency_code"] == a for d in penalties))
    mine = [d for d in penalties if d["agency_code"] == agency]
    year = max({d["decision_date"][:4] for d in mine}, key=lambda y: sum(d["decision_date"][:4] == y for d in mine))
    name = mine[0]["agency_name"]
    page = new_page("phone")
    page.goto(f"{base_url}/decisions/category/penalty/index.html")
    _facet(page, name).click()
    page.wait_for_url(f"**/decisions/agency/{agency}/category/penalty/index.html")
    _facet(page, f"{year}年").click()
    page.wait_for_url(f"**/decisions/agency/{agency}/category/penalty/year/{year}/index.html")
    expected = sorted((d for d in mine if d["decision_date"].startswith(year)),
                      key=lambda d: (d["decision_date"], d["key"]), reverse=True)
    assert f"共 {len(expected)} 条" in page.inner_text("main .lead")
    assert _rows_of_list(page) == [d["docno"] for d in expected]
    assert _overflow(page) <= 0


def test_the_certificate_check_answers_from_the_address(new_page, base_url, site_dir):
    staff = json.loads((site_dir / "open-data/staff.json").read_text(encoding="utf-8"))
    member, other = staff[0], staff[-1]
    page = new_page("phone")
    page.goto(f"{base_url}/staff/index.html?cert={quote(member['cert_no'])}")
    page.wait_for_function("() => /查询结果/.test(document.getElementById('staff-check-result').textContent)")
    result = page.inner_text("#staff-check-result")
    assert member["name"] in result and member["cert_no"] in result
    assert page.input_value("#cert-no") == member["cert_no"]
    # A query typed in goes into the address, so it can be bookmarked or sent on …
    page.fill("#cert-no", other["cert_no"])
    page.click("#staff-check button[type=submit]")
    page.wait_for_function(f"() => document.getElementById('staff-check-result').textContent.includes({json.dumps(other['name'])})")
    assert page.url.endswith(f"/staff/index.html?cert={quote(other['cert_no'])}")
    # … and 后退 shows the earlier answer again.
    page.go_back()
    page.wait_for_function(f"() => document.getElementById('staff-check-result').textContent.includes({json.dumps(member['name'])})")
    # Without JavaScript the form still sends ?cert= (a GET form).
    plain = new_page("phone", javascript=False)
    plain.goto(f"{base_url}/staff/index.html")
    plain.fill("#cert-no", member["cert_no"])
    plain.click("#staff-check button[type=submit]")
    plain.wait_for_url(re.compile(r".*/staff/index\.html\?cert=.*"))
    assert f"cert={quote(member['cert_no'])}" in plain.url
