"""Search and the certificate check, through the real UI in Chromium."""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from browser_support import screenshot
from pelican.plugins.gongshi import bundle
from pelican.plugins.gongshi.fieldindex import normalize
from indexed_text import indexed_pages

REGRESSION = json.loads((Path(__file__).with_name("search_regression.json")).read_text(encoding="utf-8"))


def open_search(new_page, base_url, viewport="desktop"):
    page = new_page(viewport)
    page.goto(f"{base_url}/search/index.html")
    page.wait_for_selector("#search-q")
    return page


def searches(page) -> int:
    """Searches finished so far, once none is under way."""
    page.wait_for_function("() => !document.getElementById('search-results').hasAttribute('aria-busy')")
    return int(page.get_attribute("#search-status", "data-searches") or 0)


# Types each query into the search form and submits it, waits for search.js to
# finish, presses 显示更多结果 until every result is listed, and reads the
# result links: the real UI, driven in-page to save round trips.
RUN_QUERIES = """async (queries) => {
  const form = document.getElementById('site-search'), input = document.getElementById('search-q');
  const status = document.getElementById('search-status'), list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const tick = () => new Promise(r => setTimeout(r, 2));
  const until = async (cond) => { for (let i = 0; i < 5000 && !cond(); i++) await tick(); if (!cond()) throw new Error('timeout'); };
  const out = [];
  for (const q of queries) {
    await until(() => !list.hasAttribute('aria-busy'));
    const before = +(status.dataset.searches || 0);
    input.value = q;
    form.querySelector('button[type=submit]').click();
    await until(() => +(status.dataset.searches || 0) > before);
    while (!more.hidden) {
      const step = +status.dataset.searches;
      more.click();
      await until(() => +status.dataset.searches > step);
    }
    const links = (sel) => Array.from(document.querySelectorAll(sel + ' > li h3 a'), a => new URL(a.href).pathname);
    out.push({query: q, status: status.textContent, urls: links('#search-results'),
              withdrawn: links('#search-withdrawn-list'), partial: links('#search-partial-list')});
  }
  return out;
}"""


def search(page, query: str | None = None) -> str:
    """Type a query (optional) and submit; return the status line once done."""
    before = searches(page)
    if query is not None:
        page.fill("#search-q", query)
    page.click("#site-search button[type=submit]")
    return wait_done(page, before)


def wait_done(page, before: int | None = None) -> str:
    """Wait until search.js has finished one more search than ``before``
    (default: at least one search finished)."""
    before = 0 if before is None else before
    page.wait_for_function(
        f"() => +(document.getElementById('search-status').dataset.searches || 0) > {before}")
    return page.inner_text("#search-status")


def all_result_urls(page) -> list[str]:
    """Every result link, pressing 显示更多结果 until there are no more."""
    while page.is_visible("#search-more"):
        more(page)
    return page.eval_on_selector_all("#search-results > li h3 a", "as => as.map(a => new URL(a.href).pathname)")


def more(page) -> str:
    """Press 显示更多结果 once; the status line once that step is done."""
    before = searches(page)
    page.click("#search-more")
    return wait_done(page, before)


def result_count(status: str) -> int:
    """N of "找到 N 条" (every match listed and counted); 0 otherwise."""
    m = re.search(r"找到 (\d+) 条", status)
    return int(m.group(1)) if m else 0


def at_least(status: str) -> int:
    """N of "找到 N 条" or "找到至少 N 条"."""
    m = re.search(r"找到(?:至少)? (\d+) 条", status)
    return int(m.group(1)) if m else 0


def finish(page) -> tuple[str, list[str]]:
    """Press 显示更多结果 until the search is complete: (status, result links)."""
    urls = all_result_urls(page)
    return page.inner_text("#search-status"), urls


def _pages_with_words_starting(site_dir: Path, term: str) -> set[str]:
    """What a one-word query finds with every shard's whole word index: the
    pages holding a word that starts with it (read from the bundles of a site
    built once: no delta shard, no superseded pages)."""
    found = set()
    for shard in json.loads((site_dir / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]:
        root = site_dir / "pagefind" / shard["id"]
        (info,) = json.loads((root / bundle.ENTRY).read_text(encoding="utf-8"))["languages"].values()
        meta = bundle.decode((root / bundle._meta_rel(info)).read_bytes())
        for _, _, name in meta[2]:
            for item in bundle.decode((root / f"index/{name}.pf_index").read_bytes())[0]:
                number = 0
                for posting in item[1] if item[0].startswith(term) else ():
                    number += posting[0]
                    fragment = (root / f"fragment/{meta[1][number][0]}.pf_fragment").read_bytes()
                    found.add(json.loads(bundle._payload(fragment))["url"])
    return found


def test_a_word_fetches_one_small_chunk_per_shard_and_finds_what_the_whole_index_holds(new_page, base_url, site_dir,
                                                                                      page_texts):
    """The word index is cut into small chunks at first characters
    (gongshi.bundle._rechunked): a query fetches little, yet finds what it
    would with every chunk loaded (and, from the field index, the records
    whose names hold the word)."""
    shards = json.loads((site_dir / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    for term in ("餐饮", "消防", "食品"):
        page = open_search(new_page, base_url)  # nothing loaded yet
        requested: list[str] = []
        page.context.on("request", lambda request, seen=requested: seen.append(request.url))
        search(page, term)
        status, urls = finish(page)
        want = _pages_with_words_starting(site_dir, term)
        assert want and want <= set(urls) and result_count(status) == len(urls)
        assert all(term in page_texts[url] for url in urls)
        chunks = [urllib.parse.urlparse(url).path.lstrip("/") for url in requested if url.endswith(".pf_index")]
        assert 0 < len(chunks) <= len(shards), requested  # at most one chunk per shard
        sizes = [(site_dir / path).stat().st_size for path in chunks]
        assert max(sizes) < 8 * 1024, sizes  # Pagefind's own chunks: ~17 KB gzipped


@pytest.fixture(scope="session")
def page_texts(site_dir) -> dict[str, str]:
    """'/<url>' → the normalised text Pagefind indexes on that page."""
    return {url: normalize(text) for url, text in indexed_pages(site_dir).items()}


@pytest.mark.parametrize("kinds", [("docno",), ("name", "个体工商户"), ("part",), ("term",), ("code",), ("withdrawn",),
                                   ("madeup",)],
                         ids=["docno", "names", "parts", "terms", "codes", "withdrawn", "madeup"])
def test_regression_set_through_the_search_page(new_page, base_url, site_dir, page_texts, kinds):
    """Every query of the kept regression set typed into the real search
    page, each search carried to its end. Every result listed contains every
    word of the query (the truth rule) and the count is of those; full names,
    文书号 and credit codes find all their pages (codes: exactly those), parts
    of names and words at least 95 %; a withdrawn 文书号 shows its notice first;
    made-up names and codes find nothing and say 没有找到."""
    cases = [c for c in REGRESSION if c["kind"] in kinds]
    assert cases
    for c in cases:  # the set must still describe the example data
        for url in c["expect"]:
            assert (site_dir / url.lstrip("/")).is_file(), f"stale regression set: {url} (regenerate it)"
    page = open_search(new_page, base_url)
    runs = page.evaluate(RUN_QUERIES, [c["query"] for c in cases])
    wanted = found = 0
    missed, false = [], []
    for c, run in zip(cases, runs):
        got = set(run["urls"])
        assert result_count(run["status"]) == len(run["urls"]) == len(got), (c["query"], run["status"], len(got))
        terms = [normalize(t) for t in c["query"].split()]
        false += [(c["query"], url) for url in got if not all(t in page_texts.get(url, "") for t in terms)]
        assert not got & set(run["partial"]), c["query"]  # partial matches are never listed as matches
        hit = set(c["expect"]) & (got | set(run["withdrawn"]))
        wanted += len(c["expect"])
        found += len(hit)
        if len(hit) < len(c["expect"]):
            missed.append((c["query"], len(c["expect"]) - len(hit)))
        if c["kind"] == "code":
            assert got == set(c["expect"]), (c["query"], run["status"])  # exactly the records carrying it
        if c["kind"] == "withdrawn":
            assert run["withdrawn"][:1] == c["expect"], (c["query"], run["withdrawn"])  # the notice first
            assert got == set(c["live"]), (c["query"], run["status"])
            if not got:
                assert run["status"].startswith("没有找到"), run["status"]
            assert "撤回" in run["status"], run["status"]
        if c["kind"] == "madeup":
            assert run["status"].startswith("没有找到") and c["query"] in run["status"] and not got, run
    assert not false, f"results that do not contain the query: {false[:10]}"
    if wanted:
        recall = found / wanted
        if kinds not in (("term",), ("part",)):
            assert not missed, f"names / 文书号 / codes not found: {missed[:20]}"
        assert recall >= 0.95, f"recall {recall:.1%}; missed {missed[:20]}"


def test_full_name_hit_comes_first_marked_exact(new_page, base_url):
    """A full name finds its records first, from the field index, marked."""
    case = next(c for c in REGRESSION if c["kind"] == "name")
    page = open_search(new_page, base_url)
    search(page, "  " + case["query"].replace("（", "(").replace("）", ")") + " ")  # spaces, half-width brackets
    first = page.locator("#search-results > li").first
    assert new_url(first.locator("h3 a").get_attribute("href"), base_url) in case["expect"]
    assert "完全一致" in first.inner_text()
    text = first.inner_text()
    for label in ("行政相对人", "执法机关", "决定日期", "类别"):
        assert label in text
    assert case["query"] in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text)
    docno = first.locator("h3 a").inner_text()  # the heading is the 文书号
    assert any(c["kind"] == "docno" and c["query"] == docno for c in REGRESSION)


def new_url(href: str, base_url: str) -> str:
    from urllib.parse import urljoin, urlparse
    return urlparse(urljoin(base_url + "/search/index.html", href)).path


def test_docno_typed_with_other_brackets_finds_the_decision(new_page, base_url):
    case = next(c for c in REGRESSION if c["kind"] == "docno" and "〔" in c["query"])
    typed = case["query"].replace("〔", "[").replace("〕", "]")
    page = open_search(new_page, base_url)
    search(page, typed)
    urls = all_result_urls(page)
    assert urls[: len(case["expect"])] == case["expect"] or set(case["expect"]) <= set(urls[:3])


def test_filters_narrow_results_and_live_in_the_address(new_page, base_url, site_dir, page_texts):
    decisions = json.loads((site_dir / "open-data/decisions.json").read_text(encoding="utf-8"))
    page = open_search(new_page, base_url)
    search(page, "罚款")
    total = result_count(finish(page)[0])
    assert total > 100
    agency = "示例市清河区应急管理局"
    n = searches(page)
    page.select_option("#filter-agency", agency)
    wait_done(page, n)
    by_agency = result_count(finish(page)[0])
    assert 0 < by_agency < total
    cards = page.locator("#search-results > li")
    for i in range(cards.count()):
        assert agency in cards.nth(i).inner_text()
    n = searches(page)
    page.select_option("#filter-year", "2024")
    wait_done(page, n)
    status, urls = finish(page)
    both = result_count(status)
    expect = {"/" + d["url"] for d in decisions if d["agency_name"] == agency and d["decision_date"].startswith("2024")
              and "罚款" in page_texts["/" + d["url"]]}
    assert 0 < both < by_agency and set(urls) == expect
    assert "agency=" in page.url and "year=2024" in page.url
    # the address restores the same search
    again = new_page()
    again.goto(page.url)
    wait_done(again)
    assert result_count(finish(again)[0]) == both
    assert again.input_value("#filter-agency") == agency
    # newest first by default; oldest first when asked
    page.select_option("#filter-year", "")
    for order in ("", "asc"):
        n = searches(page)
        page.select_option("#filter-sort", order)
        status = wait_done(page, n)
        dates = page.eval_on_selector_all(
            "#search-results > li", "lis => lis.map(li => (li.innerText.match(/\\d{4}-\\d{2}-\\d{2}/) || [''])[0])")
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=not order) and len(dated) >= 10, (status, page.url)
    # a filter alone (no words) lists that category
    page.fill("#search-q", "")
    page.select_option("#filter-agency", "")
    n = searches(page)
    page.select_option("#filter-category", "行政强制")
    wait_done(page, n)
    assert result_count(finish(page)[0]) == sum(1 for d in decisions if d["category"] == "行政强制")


def test_a_withdrawn_docno_shows_its_notice_and_nothing_more(new_page, base_url, site_dir):
    """Not as a match, but first, marked 已撤回, with what the notice page
    shows: 文书号, agency, date, reason."""
    notices = [p for p in (site_dir / "decisions").rglob("*.html") if "撤回说明" in p.read_text(encoding="utf-8")[:3000]]
    assert notices, "the example data has withdrawn decisions"
    html = notices[0].read_text(encoding="utf-8")
    docno = re.search(r"<title>撤回说明：(.*?) - ", html).group(1).replace("&amp;", "&")
    page = open_search(new_page, base_url, "phone")
    search(page, docno)
    status, urls = finish(page)
    url = "/" + notices[0].relative_to(site_dir).as_posix()
    assert url not in urls and "撤回" in status, status
    notice = page.locator("#search-withdrawn-list > li").first
    assert new_url(notice.locator("h3 a").get_attribute("href"), base_url) == url
    text = notice.inner_text()
    assert "已撤回" in text and docno in text
    for label in ("执法机关", "撤回日期", "撤回原因"):
        assert label in text
    assert re.search(r"撤回日期\s*(\d{4}-\d\d-\d\d)", text).group(1) in html
    assert "行政相对人" not in text  # the notice never shows the target
    screenshot(page, "search-withdrawn-phone")


def _staff(site_dir, status_class):
    staff = json.loads((site_dir / "open-data/staff.json").read_text(encoding="utf-8"))
    return next(s for s in staff if s["status_class"] == status_class)


def staff_check_result(page) -> str:
    page.wait_for_function("() => { const t = document.getElementById('staff-check-result').textContent;"
                           " return t && !t.includes('正在查询'); }")
    return page.inner_text("#staff-check-result")


@pytest.mark.parametrize("status_class", ["valid", "suspended", "cancelled"])
def test_certificate_check_on_the_staff_page(new_page, base_url, site_dir, status_class):
    member = _staff(site_dir, status_class)
    page = new_page("phone")
    page.goto(f"{base_url}/staff/index.html")
    page.fill("#cert-no", " " + member["cert_no"].replace("1", "１", 1) + " ")  # full-width digit, spaces
    page.click("#staff-check button[type=submit]")
    text = staff_check_result(page)
    assert member["name"] in text and member["status"] in text and member["entity_name"] in text
    assert {"valid": "有效", "suspended": "暂扣", "cancelled": "注销"}[status_class] in text
    assert page.locator("#staff-check-result a", has_text=member["entity_name"]).get_attribute("href")
    if status_class == "suspended":
        screenshot(page, "staff-check-suspended-phone")


def test_certificate_check_unknown_number_says_so(new_page, base_url):
    page = new_page()
    page.goto(f"{base_url}/staff/index.html?cert=99999999999")
    text = staff_check_result(page)
    assert "未找到" in text and "99999999999" in text
    page = open_search(new_page, base_url)
    status = search(page, "99999999999")
    assert status.startswith("没有找到执法证号为“99999999999”的执法人员")


def test_certificate_number_in_the_search_box(new_page, base_url, site_dir):
    member = _staff(site_dir, "suspended")
    page = open_search(new_page, base_url, "phone")
    status = search(page, member["cert_no"])
    assert "执法证号" in status
    first = page.locator("#search-results > li").first.inner_text()
    assert member["name"] in first and "暂扣" in first and member["entity_name"] in first
    assert "不得从事行政执法活动" in first
    screenshot(page, "search-certificate-phone")


def test_header_search_box_leads_to_results(new_page, base_url):
    page = new_page()
    page.goto(f"{base_url}/index.html")
    page.fill("#header-q", "责令停产停业")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search/index.html?q=*")
    assert at_least(wait_done(page)) >= 11
    screenshot(page, "search-results-desktop")


def test_search_page_without_javascript_points_to_lists(new_page, base_url):
    page = new_page("phone", javascript=False)
    page.goto(f"{base_url}/search/index.html?q=罚款")
    text = page.inner_text("main")
    assert "搜索功能需要浏览器启用 JavaScript" in text
    for label in ("执法决定", "执法主体", "执法人员"):
        assert page.locator("main noscript, main .notice").locator(f"a:has-text('{label}')").count() >= 1
    assert not page.is_visible("#search-q")


@pytest.mark.parametrize("order", ["", "asc"])
def test_date_sort_runs_across_index_shards(new_page, base_url, site_dir, order):
    shards = json.loads((site_dir / "pagefind/shards.json").read_text(encoding="utf-8"))["shards"]
    assert len({s["year"] for s in shards if s["year"]}) > 1  # the example spans several shards
    page = open_search(new_page, base_url)
    page.select_option("#filter-sort", order)
    search(page, "罚款")
    while page.locator("#search-results > li").count() < 100:  # several shards' worth
        more(page)
    dates = page.eval_on_selector_all(
        "#search-results > li", r"ls => ls.map(l => (l.innerText.match(/决定日期\s*(\d{4}-\d\d-\d\d)/) || [])[1])")
    assert len(dates) >= 100 and all(dates)
    assert dates == sorted(dates, reverse=order == "")
    assert len({d[:4] for d in dates}) > 1  # crossed from one shard into the next


def test_relevance_lists_the_same_results_as_the_date_order(new_page, base_url):
    page = open_search(new_page, base_url)
    search(page, "责令停产停业")
    by_date = finish(page)
    n = searches(page)
    page.select_option("#filter-sort", "relevance")
    wait_done(page, n)
    by_relevance = finish(page)
    assert result_count(by_date[0]) == result_count(by_relevance[0]) == len(by_date[1]) > 10
    assert set(by_date[1]) == set(by_relevance[1])


def test_on_a_phone_the_first_result_shows_without_scrolling_past_the_filters(new_page, base_url):
    """390 px: the filters are folded away, and after a search the status
    line has the focus and is in view with the first result below it."""
    case = next(c for c in REGRESSION if c["kind"] == "name")
    page = open_search(new_page, base_url, "phone")
    assert not page.evaluate("document.getElementById('search-filters').open")
    assert not page.is_visible("#filter-agency")
    page.fill("#search-q", case["query"])
    page.press("#search-q", "Enter")
    page.wait_for_function("() => document.getElementById('search-status').hasAttribute('data-first')")
    assert page.evaluate("document.activeElement.id") == "search-status"
    first = page.locator("#search-results > li").first.bounding_box()
    status = page.locator("#search-status").bounding_box()
    height = page.viewport_size["height"]
    assert 0 <= status["y"] < first["y"] and first["y"] + 40 < height, (status, first)
    page.click("#search-filters summary")
    assert page.is_visible("#filter-agency")
    screenshot(page, "search-name-phone")


# --- a site whose 2025 shard was kept and whose night's change is in the delta ---

# words, not number-like (those read as 执法证号)
OLD_MARK, NEW_MARK, GONE_MARK, COMMON = "丹顶鹤", "火烈鸟", "白头翁", "白鹭"


@pytest.fixture(scope="module")
def delta_url(tmp_path_factory):
    """Two nights: 40 decisions of 2025 indexed; then one corrected, one
    taken down (both purged from the kept shard, whose index files are
    rewritten by bundle.purge) and one added mid-year."""
    import os

    from browser_support import serve
    from conftest import settings_file
    from pelican.plugins.gongshi.cli import main
    from helpers import AGENCY_A, penalty_row, write_dataset

    tmp = tmp_path_factory.mktemp("delta")

    def row(i, fact=None, date=None):
        return penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号", "违法事实": fact or f"第{i}起 {COMMON}",
                              "处罚决定日期": date or f"2025-{i % 12 + 1:02d}-{i % 27 + 1:02d}"})

    rows = [row(i, {3: f"第3起 {OLD_MARK}", 7: f"第7起 {COMMON} {GONE_MARK}"}.get(i)) for i in range(1, 41)]
    conf = settings_file(tmp, GONGSHI_LEDGER=str(tmp / "ledger.sqlite"), GONGSHI_REPORT=str(tmp / "report.json"))
    out = tmp / "output"
    takedowns = []
    for today in ("2026-11-20", "2026-11-23"):
        data = write_dataset(tmp, decisions=rows, takedowns=takedowns)
        assert main(["--data", str(data), "--output", str(out), "--today", today, "--settings", str(conf)]) == 0
        rows[2] = row(3, f"第3起 {NEW_MARK}")
        rows.append(row(41, "新增的一起", "2025-06-15"))
        takedowns = [["清应急罚〔2025〕7号", AGENCY_A, "决定被撤销", "2026-11-21", ""]]
    site = Path(os.path.realpath(out))
    listing = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))
    # the layout this module tests: the 2025 shard kept with two pages purged, two pages in the delta
    assert len(listing["stale"]) == 2 and len(listing["delta"]["pages"]) == 2
    yield from serve(site)


def test_a_purged_shard_answers_words_and_filters_for_its_other_pages(new_page, delta_url):
    page = open_search(new_page, delta_url)
    search(page, COMMON)  # every 2025 page of the kept shard but the corrected and the taken-down one
    status, _ = finish(page)
    docnos = page.eval_on_selector_all("#search-results > li h3 a", "as => as.map(a => a.textContent)")
    assert sorted(docnos) == sorted(f"清应急罚〔2025〕{i}号" for i in range(1, 41) if i not in (3, 7)), status
    assert result_count(status) == 38
    search(page, GONE_MARK)  # the taken-down decision: purged, not merely hidden
    status, _ = finish(page)
    assert status.startswith("没有找到"), status
    page = open_search(new_page, delta_url)
    n = searches(page)
    page.select_option("#filter-year", "2025")
    wait_done(page, n)
    with urllib.request.urlopen(f"{delta_url}/pagefind/shards.json") as resp:
        planned = {s["id"]: s["pages"] for s in json.load(resp)["shards"]}
    assert result_count(finish(page)[0]) == planned["2025"]  # every 2025 page once, the taken-down one not


def test_a_corrected_decision_is_found_by_its_new_text_only(new_page, delta_url):
    page = open_search(new_page, delta_url)
    search(page, NEW_MARK)
    status, _ = finish(page)
    assert result_count(status) == 1, status
    assert "清应急罚〔2025〕3号" in page.inner_text("#search-results")
    search(page, OLD_MARK)  # purged from the kept shard's word index
    status, _ = finish(page)
    assert status.startswith("没有找到"), status
    assert page.locator("#search-results > li").count() == 0


@pytest.mark.parametrize("order", ["", "asc"])
def test_date_sort_places_the_delta_among_its_shard(new_page, delta_url, order):
    page = open_search(new_page, delta_url)
    n = searches(page)
    page.select_option("#filter-sort", "relevance")
    wait_done(page, n)
    n = searches(page)
    page.select_option("#filter-year", "2025")
    wait_done(page, n)
    relevance = result_count(finish(page)[0])
    n = searches(page)
    page.select_option("#filter-sort", order)
    wait_done(page, n)
    assert result_count(finish(page)[0]) == relevance
    cards = page.eval_on_selector_all("#search-results > li", r"""ls => ls.map(l => [
        l.querySelector('h3 a').textContent, (l.innerText.match(/决定日期\s*(\d{4}-\d\d-\d\d)/) || [])[1]])""")
    docnos = [c[0] for c in cards]
    dates = [c[1] for c in cards]
    assert len(cards) == relevance and len(set(docnos)) == relevance
    assert "清应急罚〔2025〕41号" in docnos and "清应急罚〔2025〕3号" in docnos
    assert all(dates) and dates == sorted(dates, reverse=order == "")
