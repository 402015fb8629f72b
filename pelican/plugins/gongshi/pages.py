"""The site's pages as data: which template renders which URL with what context.

Pure functions over a ``Site`` (public records only). The generator renders
these specs; nothing here touches files.
"""
from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from . import fieldindex, paging, urls
from .feeds import agency_feed, category_feed, site_feed
from .pipeline import Site
from .schema import CATEGORIES


@dataclass(slots=True)
class PageSpec:
    url: str  # root-relative output path
    template: str
    context: dict
    # ISO date for the footer and the sitemap. The generator dates a page by the
    # day its content last changed (pagedates.py); this is the date it offers
    # for a page seen for the first time (None: the build date).
    lastmod: str | None
    key: str = ""  # its content's key, once dated


class DecisionSpec:
    """A decision page's spec (as ``PageSpec``) whose context is made each
    time it is asked for (input key, rendering) instead of held: a site holds
    one per decision, ~0.7 KB each as a built context. Everything the context
    holds lives as long as the build (the site's records, the agency dicts),
    as ``render.input_key``'s memo (by object id) needs."""
    __slots__ = ("decision", "agency", "url", "lastmod")
    template = "decision.html"

    def __init__(self, decision: dict, agency: dict):
        self.decision, self.agency = decision, agency
        self.url, self.lastmod = decision["url"], decision["updated"]

    @property
    def context(self) -> dict:
        d = self.decision
        return {"page_title": d["docno"], "decision": d, "agency": self.agency,
                "agency_decisions_url": urls.agency_decisions_url(d["agency_code"]),
                "breadcrumbs": [_DECISIONS_CRUMB, (d["category"], d["category_url"]), (d["docno"], None)],
                "nav_active": "decisions"}


_DECISIONS_CRUMB = ("执法决定", "decisions/index.html")
_COUNTS = ("staff_count", "decision_count")


def _months(items: list[dict], pages: list, addresses: list[str], date: str) -> list[dict]:
    """按月份浏览: for each month of the list (newest first), grouped by year, the
    page holding that month's newest decision, with the row's anchor."""
    years: list[dict] = []
    seen: set[str] = set()
    for page, address in zip(pages, addresses):
        if items[page.stop - 1][date][:7] in seen:  # newest first: the whole page is of months seen
            continue
        for d in items[page.start:page.stop]:
            month = d[date][:7]
            if month in seen:
                continue
            seen.add(month)
            year = int(month[:4])
            if not years or years[-1]["year"] != year:
                years.append({"year": year, "label": f"{year}年", "months": []})
            years[-1]["months"].append({"month": month, "label": f"{int(month[5:])}月",
                                        "url": f"{address}#m-{month}"})
    return years


def list_pages(items: list[dict], per_page: int, url_of: Callable[[str], str], hashes: dict[str, int],
               date: str = "decision_date"):
    """(page, items on it, paginator) for each page of a sorted list (newest
    first by ``date``), cut by ``paging.paginate``. Only the first page's
    paginator carries what depends on the whole list (``total``, ``months``)."""
    pages = paging.paginate([d["key"] for d in items], per_page, [hashes[d["key"]] for d in items])
    addresses = [url_of(page.name) for page in pages]  # each once: ~24 000 list pages at 100 000
    for i, page in enumerate(pages):
        chunk = items[page.start:page.stop]
        paginator = {
            "first": i == 0, "url": addresses[i],
            "prev_url": addresses[i - 1] if i > 0 else None,
            "next_url": addresses[i + 1] if i + 1 < len(pages) else None,
            "first_url": addresses[0], "last_url": addresses[-1],
            "newest_date": chunk[0][date] if chunk else "",
            "oldest_date": chunk[-1][date] if chunk else "",
        }
        if i == 0:
            paginator["total"] = len(items)
            paginator["months"] = _months(items, pages, addresses, date) if len(pages) > 1 else []
        yield page, chunk, paginator


def _newest(decisions: list[dict]) -> str | None:
    return max(map(_UPDATED, decisions), default=None)


_UPDATED = operator.itemgetter("updated")


# A decision list's scope: (agency code, category, year), None where not narrowed.
Scope = tuple
ALL: Scope = (None, None, None)


def decision_lists(decisions: list[dict]) -> dict[Scope, list[dict]]:
    """Every non-empty decision list, by scope: every combination of agency,
    category and year that some decision has (newest first, as ``decisions``).
    An empty combination has no list, so nothing links to one."""
    lists: dict[Scope, list[dict]] = {ALL: decisions}
    for d in decisions:
        a, c, y = d["agency_code"], d["category"], d["year"]
        for scope in ((a, None, None), (None, c, None), (None, None, y),
                      (a, c, None), (a, None, y), (None, c, y), (a, c, y)):
            items = lists.get(scope)
            if items is None:
                lists[scope] = [d]
            else:
                items.append(d)
    return lists


def list_url(scope: Scope, page: str = "") -> str:
    a, c, y = scope
    return urls.decisions_list_url(a, c, y, page)


class Facets:
    """The 筛选 links of a list: each one changes one part of the list's scope
    and keeps the others (on 行政处罚 · 2025年, the agencies link to their
    2025 penalties), counts what its list holds, and exists only where that
    list does. Each narrowed part also offers its 全部… link, which drops it."""

    _CLEAR = ("全部执法机关", "全部类别", "全部年度")

    def __init__(self, lists: dict[Scope, list[dict]], entities: dict[str, dict]):
        self.lists = lists
        self.values = (sorted({s[0] for s in lists if s[0] is not None}, key=lambda code: entities[code]["name"]),
                       [c for c in CATEGORIES if (None, c, None) in lists],
                       sorted({s[2] for s in lists if s[2] is not None}, reverse=True))
        self.names = (lambda code: entities[code]["name"], str, lambda y: f"{y}年")
        # One dict per (target, name, counts, active), shared by every list that shows
        # it: at 100 000 decisions and 120 agencies there are ~6 000 lists of ~130
        # facets, and a shared dict is made and keyed (render.input_key's memo) once.
        self.made: dict[tuple, dict] = {}
        self.lines: dict[tuple, tuple[list[dict], dict]] = {}

    def facet(self, name: str, target: Scope, counts: bool, on: bool) -> dict:
        key = (target, name, counts, on)
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = {"name": name, "url": list_url(target),
                                     "count": len(self.lists[target]) if counts else None, "active": on}
        return made

    def _line(self, i: int, rest: Scope, counts: bool) -> tuple[list[dict], dict]:
        """The links of part ``i`` for the lists that differ from ``rest`` only
        there, none of them current; and each value's place among them. Made
        once per line (~1 400 at 100 000 decisions), not once per list."""
        key = (i, rest, counts)
        line = self.lines.get(key)
        if line is None:
            links, places = [], {}
            for v in self.values[i]:
                target = rest[:i] + (v,) + rest[i + 1:]
                if target in self.lists:
                    places[v] = len(links)
                    links.append(self.facet(self.names[i](v), target, counts, False))
            line = self.lines[key] = (links, places)
        return line

    def __call__(self, scope: Scope, counts: bool = True) -> dict:
        # Counts change whenever a list does; only first pages show them.
        groups, reset = [], {}
        for i, key in enumerate(("agencies", "categories", "years")):
            rest = scope[:i] + (None,) + scope[i + 1:]
            links, places = self._line(i, rest, counts)
            if scope[i] is not None:
                links = list(links)
                links[places[scope[i]]] = self.facet(self.names[i](scope[i]), scope, counts, True)
                reset[key] = self.facet(self._CLEAR[i], rest, counts, False)
            groups.append(links)
        return {"agencies": groups[0], "categories": groups[1], "years": groups[2], "reset": reset}


def list_labels(scope: Scope, entities: dict[str, dict]) -> tuple[str, str]:
    """(title, what it is narrowed to): 执法决定 / 行政处罚 / 某局的执法决定 /
    2025年执法决定, and combined: 某局的2025年行政处罚."""
    a, c, y = scope
    name = entities[a]["name"] if a is not None else ""
    title = (f"{name}的" if a is not None else "") + (f"{y}年" if y is not None else "") + (c or "执法决定")
    label = "、".join(p for p in (name, c, f"{y}年" if y is not None else "") if p)
    return title, label



def _feeds_of(scope: Scope, entities: dict[str, dict]) -> list:
    """The feed a list offers: its agency's, else its category's, else (the
    whole list) the site's; a year has none."""
    a, c, y = scope
    if a is not None:
        return agency_feed(a, entities[a]["name"]).links()
    if c is not None:
        return category_feed(c).links()
    return site_feed().links() if y is None else []


def list_specs(lists: dict[Scope, list[dict]], facets: Facets, entities: dict[str, dict],
               per_page: int) -> list[PageSpec]:
    """The pages of every decision list (``decision_lists``), one mechanism for
    all: cut by ``list_pages``, with facets that keep the list's scope."""
    specs: list[PageSpec] = []
    hashes = {d["key"]: paging.key_hash(d["key"]) for d in lists[ALL]}
    for scope, items in lists.items():
        title, label = list_labels(scope, entities)
        narrowed = [i for i, v in enumerate(scope) if v is not None]
        # 执法决定 › (the list of its first part, when combined) › this list
        crumbs = [] if not narrowed else [_DECISIONS_CRUMB]
        if len(narrowed) > 1:
            parent = tuple(v if i == narrowed[0] else None for i, v in enumerate(scope))
            crumbs.append((list_labels(parent, entities)[0], list_url(parent)))
        # Facets once per list, not per page: a list of 100 000 has 3 000 pages.
        # Only the first page shows what changes with the whole list (total, counts,
        # months) and carries the list's lastmod; every other page shows and dates
        # only its own decisions, so it stays byte-identical while they do.
        counted, plain = facets(scope), facets(scope, counts=False)
        feeds, first_url = _feeds_of(scope, entities), list_url(scope)
        for page, chunk, paginator in list_pages(items, per_page, lambda p, s=scope: list_url(s, p), hashes):
            if paginator["first"]:
                page_title, trail = title, [(title, None)]
            else:
                span = f"{paginator['oldest_date']} 至 {paginator['newest_date']}"
                page_title, trail = f"{title}（{span}）", [(title, first_url), (span, None)]
            specs.append(PageSpec(paginator["url"], "decisions.html", {
                "page_title": page_title, "title": title, "decisions": chunk, "paginator": paginator,
                "facets": counted if paginator["first"] else plain, "all_url": "decisions/index.html",
                "active_facet": label, "breadcrumbs": crumbs + trail, "nav_active": "decisions",
                "feeds": list(feeds),
            }, _newest(items if paginator["first"] else chunk)))
    return specs


NO_SUBJECT = "未注明所属主体"


def checklist_parts(c: dict, per_page: int) -> list[dict]:
    """A long checklist cut by 所属主体 (rows in file order within each; subjects
    in order of first appearance, rows naming none last), each subject's rows
    in pages of at most ``per_page``. Without a subject column: pages only."""
    groups: dict[str, list[dict]] = {}
    for row in c["rows"]:
        groups.setdefault(row["subject"] or (NO_SUBJECT if c["has_subject"] else ""), []).append(row)
    if NO_SUBJECT in groups:
        groups[NO_SUBJECT] = groups.pop(NO_SUBJECT)
    parts = []
    for subject, rows in groups.items():
        pages = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
        links = []
        for k, chunk in enumerate(pages, start=1):
            span = f"第 {(k - 1) * per_page + 1}–{(k - 1) * per_page + len(chunk)} 项"
            title = (subject + (f"（{span}）" if len(pages) > 1 else "")) if subject else span
            links.append({"url": urls.checklist_part_url(c["title"], subject, k), "rows": chunk,
                          "label": span, "title": title})
        parts.append({"subject": subject, "count": len(rows), "pages": links})
    return parts


def checklist_specs(c: dict, per_page: int) -> list[PageSpec]:
    """A checklist's page; a long one's page lists its subjects (with counts),
    each subject's rows on pages of their own, so no page is too long for a phone."""
    crumbs = [("执法清单", "checklists/index.html")]
    # Not its rows: a page shows its own (and changes with them only).
    light = {k: v for k, v in c.items() if k != "rows"}
    light["any_link"] = any(r["entity_url"] for r in c["rows"])
    base = {"checklist": light, "nav_active": "checklists"}
    if c["row_count"] <= per_page:
        return [PageSpec(c["url"], "checklist.html", {
            **base, "page_title": c["title"], "rows": c["rows"], "breadcrumbs": crumbs + [(c["title"], None)]}, None)]
    parts = checklist_parts(c, per_page)
    overview = [{"subject": p["subject"], "count": p["count"],
                 "pages": [{"url": link["url"], "label": link["label"]} for link in p["pages"]]} for p in parts]
    specs = [PageSpec(c["url"], "checklist.html", {
        **base, "page_title": c["title"], "parts": overview, "breadcrumbs": crumbs + [(c["title"], None)]}, None)]
    flat = [(p, link) for p in parts for link in p["pages"]]
    for i, (p, link) in enumerate(flat):
        specs.append(PageSpec(link["url"], "checklist.html", {
            **base, "page_title": f"{c['title']}：{link['title']}", "rows": link["rows"],
            "part": {"subject": p["subject"], "title": link["title"], "count": p["count"], "overview_url": c["url"],
                     "prev": {k: flat[i - 1][1][k] for k in ("url", "title")} if i > 0 else None,
                     "next": {k: flat[i + 1][1][k] for k in ("url", "title")} if i + 1 < len(flat) else None},
            "breadcrumbs": crumbs + [(c["title"], c["url"]), (link["title"], None)]}, None))
    return specs


def withdrawal_list_specs(notices: list[dict], per_page: int) -> list[PageSpec]:
    """撤回公告, newest first by the day of withdrawal, paged as the decision
    lists are (by content: a page keeps its notices and address while they stay)."""
    hashes = {n["key"]: paging.key_hash(n["key"]) for n in notices}
    crumbs, title, first_url = [_DECISIONS_CRUMB], "撤回公告", urls.list_page("decisions/withdrawn/")
    specs = []
    for page, chunk, paginator in list_pages(notices, per_page, lambda p: urls.list_page("decisions/withdrawn/", p),
                                             hashes, date="taken_down"):
        trail = [(title, None)]
        if not paginator["first"]:
            span = f"{paginator['oldest_date']} 至 {paginator['newest_date']}"
            trail = [(title, first_url), (span, None)]
        specs.append(PageSpec(paginator["url"], "withdrawals.html", {
            "page_title": title if paginator["first"] else f"{title}（{trail[-1][0]}）", "notices": chunk,
            "paginator": paginator, "breadcrumbs": crumbs + trail, "nav_active": "decisions"},
            max((n["taken_down"] for n in (notices if paginator["first"] else chunk)), default=None)))
    return specs


def _withdrawal_specs(notices: list[dict], per_page: int) -> list[PageSpec]:
    """Each withdrawal notice's page, then the 撤回公告 lists."""
    crumbs = [_DECISIONS_CRUMB, ("撤回公告", "decisions/withdrawn/index.html")]
    specs = [PageSpec(n["url"], "withdrawn.html", {
        "page_title": f"撤回说明：{n['docno']}", "notice": n,
        "breadcrumbs": crumbs + [(n["docno"], None)], "nav_active": "decisions",
    }, n["taken_down"]) for n in notices]
    return specs + withdrawal_list_specs(notices, per_page)


def _checklist_rows_by_entity(checklists: list[dict]) -> defaultdict:
    """Entity code → the checklist rows naming it, for its page."""
    rows = defaultdict(list)
    for c in checklists:
        for row in c["rows"]:
            if row["entity_code"]:
                rows[row["entity_code"]].append({
                    "checklist_title": c["title"], "checklist_url": c["url"],
                    "columns": c["columns"], "cells": row["cells"]})
    return rows


def _entity_specs(site: Site, lists: dict[Scope, list[dict]], staff_by_entity: defaultdict,
                  recent: int) -> list[PageSpec]:
    """Each entity's page (by name), then the 执法主体 list."""
    rows_by_entity = _checklist_rows_by_entity(site.checklists)
    entity_list = sorted(site.entities, key=lambda e: e["name"])
    specs = []
    for e in entity_list:
        items = lists.get((e["code"], None, None), [])
        specs.append(PageSpec(e["url"], "entity.html", {
            "page_title": e["name"], "entity": e, "staff": staff_by_entity[e["code"]],
            "checklist_rows": rows_by_entity[e["code"]], "recent": items[:recent],
            "decisions_url": urls.agency_decisions_url(e["code"]) if items else "",
            "breadcrumbs": [("执法主体", "entities/index.html"), (e["name"], None)], "nav_active": "entities",
            "feeds": agency_feed(e["code"], e["name"]).links(),
        }, _newest(items)))
    specs.append(PageSpec("entities/index.html", "entities.html", {
        "page_title": "执法主体", "entities": entity_list, "breadcrumbs": [("执法主体", None)],
        "nav_active": "entities"}, None))
    return specs


def _staff_spec(site: Site, entities: dict[str, dict], staff_by_entity: defaultdict) -> PageSpec:
    """执法人员, grouped by entity (by name)."""
    groups = [{"entity_name": entities[code]["name"], "entity_url": entities[code]["url"], "entity_code": code,
               "anchor": f"entity-{code}", "members": members}
              for code, members in sorted(staff_by_entity.items(), key=lambda kv: entities[kv[0]]["name"])]
    return PageSpec("staff/index.html", "staff.html", {
        "page_title": "执法人员", "staff": site.staff, "groups": groups,
        "breadcrumbs": [("执法人员", None)], "nav_active": "staff"}, None)


def _all_checklist_specs(checklists: list[dict], per_page: int) -> list[PageSpec]:
    """Each checklist's pages, then the 执法清单 list."""
    specs = [spec for c in checklists for spec in checklist_specs(c, per_page)]
    specs.append(PageSpec("checklists/index.html", "checklists.html", {
        "page_title": "执法清单", "checklists": checklists, "breadcrumbs": [("执法清单", None)],
        "nav_active": "checklists"}, None))
    return specs


def _search_spec(site: Site, facets: Facets) -> PageSpec:
    return PageSpec("search/index.html", "search.html", {
        "page_title": "搜索", "facets": facets(ALL), "field_index": fieldindex.page_context(site),
        "example_docno": site.decisions[0]["docno"] if site.decisions else "",
        "breadcrumbs": [("搜索", None)], "nav_active": "search"}, None)


def _home_spec(site: Site, facets: Facets, latest: int) -> PageSpec:
    return PageSpec("index.html", "index.html", {
        "page_title": "首页", "latest": site.decisions[:latest],
        "counts": {"entities": len(site.entities), "staff": len(site.staff),
                   "checklists": len(site.checklists), "decisions": len(site.decisions)},
        "categories": facets(ALL)["categories"], "checklists": site.checklists,
        "breadcrumbs": [], "nav_active": "home", "feeds": site_feed().links()}, _newest(site.decisions))


def site_pages(site: Site, settings: dict) -> list[PageSpec | DecisionSpec]:
    """Every page of the site."""
    entities = {e["code"]: e for e in site.entities}
    # A decision page shows its agency without the agency's counts: otherwise every
    # page of an agency would change (and be re-rendered) whenever it publishes another.
    agencies = {code: {k: v for k, v in e.items() if k not in _COUNTS} for code, e in entities.items()}
    lists = decision_lists(site.decisions)
    facets = Facets(lists, entities)
    per_page = int(settings["GONGSHI_PER_PAGE"])
    specs = list_specs(lists, facets, entities, per_page)
    specs.extend(DecisionSpec(d, agencies[d["agency_code"]]) for d in site.decisions)
    specs.extend(_withdrawal_specs(site.notices, per_page))
    staff_by_entity = defaultdict(list)
    for s in site.staff:
        staff_by_entity[s["entity_code"]].append(s)
    specs.extend(_entity_specs(site, lists, staff_by_entity, int(settings["GONGSHI_ENTITY_RECENT"])))
    # After the entity pages: their lookups give an entity without staff the
    # empty group the staff page lists it under (0 人).
    specs.append(_staff_spec(site, entities, staff_by_entity))
    specs.extend(_all_checklist_specs(site.checklists, int(settings["GONGSHI_CHECKLIST_PER_PAGE"])))
    specs.append(_search_spec(site, facets))
    specs.append(_home_spec(site, facets, int(settings["GONGSHI_HOME_LATEST"])))
    return specs
