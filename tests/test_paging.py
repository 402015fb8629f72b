"""Content-defined page breaks (gongshi/paging.py): every item once and in
order, a minimum page size, names that depend only on content, and one
insertion or removal anywhere changes at most three pages."""
from __future__ import annotations

import re
import statistics

from hypothesis import given, settings, strategies as st

from pelican.plugins.gongshi.paging import OLDEST, breaks, key_hash, min_size, paginate, radius

KEYS = st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=160)
PER_PAGE = st.integers(min_value=1, max_value=12)


def cut(keys, per_page):
    return [(p.name, tuple(keys[p.start:p.stop])) for p in paginate(keys, per_page)]


def naive_breaks(hashes, w):
    """The definition, literally: strictly smallest within w places, at least
    w places from the newest end and w + 1 from the oldest."""
    n = len(hashes)
    return [i for i in range(w, n - w - 1)
            if all(hashes[i] < hashes[j] for j in range(i - w, i + w + 1) if j != i)]


@given(st.lists(st.integers(min_value=0, max_value=20), max_size=80), st.integers(min_value=0, max_value=6))
def test_fast_breaks_follow_the_definition(hashes, w):
    # small hash values: ties everywhere, the case the skipping must get right
    assert breaks(hashes, w) == naive_breaks(hashes, w)


@given(KEYS, PER_PAGE)
def test_every_item_once_in_order_with_a_minimum_page_size(keys, per_page):
    pages = paginate(keys, per_page)
    assert [k for p in pages for k in keys[p.start:p.stop]] == keys
    assert pages[0].start == 0 and pages[-1].stop == len(keys)
    assert all(a.stop == b.start for a, b in zip(pages, pages[1:]))
    floor = min(len(keys), min_size(per_page))
    assert all(p.stop - p.start >= floor for p in pages), [p.stop - p.start for p in pages]
    if len(keys) < 2 * radius(per_page) + 2:  # too short for a content break
        assert len(pages) == 1


@given(KEYS, PER_PAGE)
def test_page_names_are_unique_and_named_by_content(keys, per_page):
    pages = paginate(keys, per_page)
    names = [p.name for p in pages]
    assert len(set(names)) == len(names)
    assert names[0] == ""
    if len(pages) > 1:
        assert names[-1] == OLDEST
    for p in pages[1:-1]:  # named by the item that ends it
        assert re.fullmatch(r"[0-9a-f]{10}", p.name) and p.name == f"{key_hash(keys[p.stop - 1]):016x}"[:10]
    assert paginate(keys, per_page, [key_hash(k) for k in keys]) == pages


def _changed(before, after):
    old, new = set(before), set(after)
    return old - new, new - old


def files(keys, per_page):
    """What a page's file shows: its name, its items, and its 较新 / 较早 links."""
    pages = cut(keys, per_page)
    names = [None] + [name for name, _ in pages] + [None]
    return [(name, items, names[i], names[i + 2]) for i, (name, items) in enumerate(pages)]


def _files_changed(keys_before, keys_after, per_page):
    """Pages written (new or different) and pages deleted: the page before a
    changed run links to it and changes too; the one after does not (the run
    ends at the same item, so under the same name)."""
    before = {f[0]: f for f in files(keys_before, per_page)}
    after = {f[0]: f for f in files(keys_after, per_page)}
    written = [n for n in after if before.get(n) != after[n]]
    deleted = [n for n in before if n not in after]
    return written, deleted


@settings(max_examples=300)
@given(KEYS, PER_PAGE, st.text(min_size=1, max_size=12), st.data())
def test_inserting_one_item_changes_at_most_three_pages(keys, per_page, extra, data):
    if extra in keys:
        keys = [k for k in keys if k != extra]
    at = data.draw(st.integers(min_value=0, max_value=len(keys)), label="position")
    before = cut(keys, per_page)
    after = cut(keys[:at] + [extra] + keys[at:], per_page)
    gone, new = _changed(before, after)
    assert len(gone) <= 3 and len(new) <= 3, (gone, new)
    written, deleted = _files_changed(keys, keys[:at] + [extra] + keys[at:], per_page)
    assert len(written) <= 4 and len(written) + len(deleted) <= 5, (written, deleted)


@settings(max_examples=300)
@given(KEYS.filter(bool), PER_PAGE, st.data())
def test_removing_one_item_changes_at_most_three_pages(keys, per_page, data):
    at = data.draw(st.integers(min_value=0, max_value=len(keys) - 1), label="position")
    before = cut(keys, per_page)
    after = cut(keys[:at] + keys[at + 1:], per_page)
    gone, new = _changed(before, after)
    assert len(gone) <= 3 and len(new) <= 3, (gone, new)
    written, deleted = _files_changed(keys, keys[:at] + keys[at + 1:], per_page)
    assert len(written) <= 4 and len(written) + len(deleted) <= 5, (written, deleted)


@given(KEYS.filter(lambda k: len(k) > 40), st.integers(min_value=2, max_value=6), st.integers(1, 5))
def test_expiring_the_oldest_items_leaves_the_newer_pages_alone(keys, per_page, expired):
    """The nightly case: decisions whose 公示期 ended leave the old end of every list."""
    before = cut(keys, per_page)
    after = cut(keys[:-expired], per_page)
    gone, new = _changed(before, after)
    # pages reach the change only within one page's reach of the old end
    assert len(gone) <= expired + 2 and len(new) <= 3
    assert set(before[:-(expired + 2)]) <= set(after)


def test_page_sizes_at_scale_average_per_page():
    """No hard maximum: on 100 000 keys the mean is per_page, no page is under
    the minimum, and long pages are rare (docs/architecture.md quotes these figures)."""
    keys = [f"11110105MB0123456X/清应急罚〔{2020 + i % 7}〕{i}号" for i in range(100_000)]
    hashes = [key_hash(k) for k in keys]
    for per_page in (10, 30):
        sizes = [p.stop - p.start for p in paginate(keys, per_page, hashes)]
        assert abs(statistics.mean(sizes) - (2 * radius(per_page) + 1)) < 0.03 * per_page  # per_page ± 1
        assert min(sizes) == min_size(per_page)
        assert max(sizes) <= 4 * per_page
        assert sum(s > 2 * per_page for s in sizes) < 0.03 * len(sizes)


def test_empty_and_tiny_lists():
    assert [(p.start, p.stop, p.name) for p in paginate([], 30)] == [(0, 0, "")]
    assert [(p.start, p.stop, p.name) for p in paginate(["a"], 30)] == [(0, 1, "")]
    assert [p.name for p in paginate(["a", "b"], 1)] == ["", OLDEST]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 28)), min_size=1, max_size=300), st.integers(2, 12))
def test_months_lead_to_the_page_holding_each_months_newest_decision(days, per_page):
    """按月份浏览 on a list's first page: every month of the list once, newest first, each
    linking to the page (and the row anchor) of its newest decision, whatever the paging."""
    from pelican.plugins.gongshi.pages import list_pages
    items = sorted(({"key": f"k{i}", "decision_date": f"{2020 + m // 12}-{m % 12 + 1:02d}-{d:02d}"}
                    for i, (m, d) in enumerate(days)), key=lambda x: (x["decision_date"], x["key"]), reverse=True)
    hashes = {x["key"]: key_hash(x["key"]) for x in items}
    pages = list(list_pages(items, per_page, lambda name: f"p/{name or 'index'}.html", hashes))
    expected = {}
    for _, chunk, paginator in pages:
        for x in chunk:
            expected.setdefault(x["decision_date"][:7], f"{paginator['url']}#m-{x['decision_date'][:7]}")
    months = pages[0][2]["months"]
    got = {m["month"]: m["url"] for year in months for m in year["months"]}
    assert got == (expected if len(pages) > 1 else {})
    assert [m["month"] for year in months for m in year["months"]] == sorted(got, reverse=True)
