"""Atom and RSS 2.0 feeds of the published decisions: site-wide, per category
and per agency (feeds/…); and of the 更正与撤回 notices, site-wide and per
agency. Built with feedgen from the public records only.

Pure functions over a ``Site``: ``catalog`` lists the feeds (computed once per
build), ``feed_jobs`` what each feed shows, ``feed_files`` their (path, bytes);
nothing here touches files. Choices:

- **Identity.** An entry's Atom ``id`` / RSS ``guid`` is ``urn:uuid:`` + a
  UUID-5 of the decision key (``<agency code>/<文书号>``) in the fixed
  ``DECISION_NAMESPACE``. It depends on nothing else: not on SITEURL (moving the
  site does not make readers show every decision again), not on the record's
  content (a correction changes ``updated``, not the identity), not on the
  build. The URL of the decision page stays the entry's link.
- **Order and size.** Newest first by the later of first publication and last
  correction (ties: decision date, then key); the latest
  ``GONGSHI_FEED_ENTRIES`` entries.
- **Corrections.** A corrected decision keeps its id; its title ends with
  "（<date> 更正）" and its summary says which public fields changed, so a
  reader that shows changed entries again shows it, and one that does not
  still lists it on top. The notices feeds carry one entry of its own per
  correction (id: key + date) and per withdrawal (id: key + withdrawal date):
  the 文书号, the agency, the date and what changed or why it was withdrawn,
  never a withdrawn decision's target, facts or content.
- **Dates.** ``published`` is the ledger's first-publication date, ``updated``
  the last correction (or first publication), both at 00:00 Asia/Shanghai. The
  feed's own ``updated`` / ``lastBuildDate`` is the newest of its entries'
  ``updated`` and of the takedowns in its scope (an entry leaving the feed is a
  change too) — never the build time, so the same data and ``--today`` give the
  same bytes, and unchanged feeds are not rewritten. A feed with nothing in it
  (an agency without notices) is dated by the site's first publication: it has
  been empty since then, and is not rewritten every night.
- **Escaping.** Atom text constructs are ``type="text"``: readers show them
  literally. RSS 2.0 ``description`` is HTML by convention (and many readers
  treat ``title`` as HTML too), so both are HTML-escaped before XML escaping:
  hostile input shows as text and never becomes markup. Characters XML 1.0
  cannot carry (control characters) are dropped from every text.
- **Links.** With ``SITEURL`` set, every link is absolute; with an empty
  SITEURL (local preview) links are relative to the feed file itself.
- **Which feeds.** Every category and every agency has a feed, empty or not,
  so a subscribed address never turns into a 404.
"""
from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from pelican.utils import get_relative_path, path_to_url

from . import opendata, urls
from .pipeline import Site
from .schema import CATEGORIES
from .settings import DEFAULTS

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Fixed for ever: changing it would change every entry's identity.
DECISION_NAMESPACE = uuid.UUID("5f0c3d55-0d0e-5d8c-9b8e-6a1f2c4e7b10")
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
FORMAT_NAMES = {"atom": "Atom", "rss": "RSS"}

# XML 1.0 Char excludes C0 controls other than TAB/LF/CR, surrogates, U+FFFE/U+FFFF;
# C1 controls (U+007F–U+009F) are legal but discouraged, and readers map them to
# Windows-1252 letters: they are mis-decoded garbage in an export, never text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text) -> str:
    """Text that XML 1.0 can carry: illegal control characters dropped, line ends
    as LF (a parser normalises a literal CR anyway; one rule for both formats)."""
    text = _XML_ILLEGAL.sub("", "" if text is None else str(text))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def entry_id(key: str) -> str:
    """The stable Atom id / RSS guid of a decision (see module docstring)."""
    return f"urn:uuid:{uuid.uuid5(DECISION_NAMESPACE, key)}"


def feed_id(scope: str) -> str:
    return f"urn:uuid:{uuid.uuid5(DECISION_NAMESPACE, 'feed:' + scope)}"


def notice_id(kind: str, key: str, day: str) -> str:
    """A notice entry's id: one per correction (kind "correction", its date)
    and per withdrawal ("withdrawal", its date)."""
    return f"urn:uuid:{uuid.uuid5(DECISION_NAMESPACE, f'{kind}:{key}:{day}')}"


def _moment(iso: str) -> datetime:
    return datetime.combine(date.fromisoformat(iso), datetime.min.time(), SHANGHAI)


def _newest_first(d: dict):
    return (max(d["first_published"], d.get("corrected") or ""), d["decision_date"], d["key"])


@dataclass
class Feed:
    scope: str  # "all", "category:<类别>", "agency:<code>"
    kind: str  # site | category | agency
    title: str  # 全部执法决定 / 行政处罚 / <机关>的执法决定
    page: str  # the HTML page the feed mirrors (root-relative)
    paths: dict[str, str]  # format → root-relative path
    decisions: list[dict] = field(default_factory=list)  # newest first, not yet limited
    dates: list[str] = field(default_factory=list)  # takedown dates in scope
    notices: list[dict] = field(default_factory=list)  # kind "notices": shaped entries, newest first

    def links(self) -> list[dict]:
        """For templates: autodiscovery ``<link rel="alternate">`` and lists."""
        return [{"title": f"{self.title}（{FORMAT_NAMES[fmt]}）", "url": path, "type": MEDIA_TYPES[fmt],
                 "format": FORMAT_NAMES[fmt]} for fmt, path in self.paths.items()]


def site_feed() -> Feed:
    return Feed("all", "site", "全部执法决定", "decisions/index.html",
                {fmt: urls.feed_url(fmt) for fmt in urls.FEED_FORMATS})


def category_feed(category: str) -> Feed:
    return Feed(f"category:{category}", "category", category, urls.category_url(category),
                {fmt: urls.category_feed_url(category, fmt) for fmt in urls.FEED_FORMATS})


def agency_feed(code: str, name: str) -> Feed:
    return Feed(f"agency:{code}", "agency", f"{name}的执法决定", urls.agency_decisions_url(code),
                {fmt: urls.agency_feed_url(code, fmt) for fmt in urls.FEED_FORMATS})


def notices_feed() -> Feed:
    return Feed("notices", "notices", "更正与撤回公告", "decisions/withdrawn/index.html",
                {fmt: urls.notices_feed_url(fmt) for fmt in urls.FEED_FORMATS})


def agency_notices_feed(code: str, name: str) -> Feed:
    return Feed(f"notices:agency:{code}", "notices", f"{name}的更正与撤回", urls.entity_url(code),
                {fmt: urls.agency_notices_feed_url(code, fmt) for fmt in urls.FEED_FORMATS})


def correction_text(day: str, labels) -> str:
    """What a correction changed, in plain words."""
    return f"{day} 更正了{'、'.join(labels)}" if labels else f"{day} 更正了公开信息"


def notice_entries(site: Site) -> list[dict]:
    """The 更正与撤回 notices as feed entries, newest first: one per
    correction of a decision the site shows (corrections of one day merged)
    and one per withdrawal notice."""
    merged: dict[tuple[str, str], dict] = {}
    for c in reversed(opendata.corrections(site)):  # oldest first
        m = merged.setdefault((c["key"], c["date"]), {**c, "changed": []})
        m["changed"] = list(dict.fromkeys(m["changed"] + c["changed"]))
    entries = [{"id": notice_id("correction", c["key"], c["date"]), "title": f"更正：{c['docno']}",
                "url": c["url"], "summary": f"{c['agency_name']}于 {correction_text(c['date'], c['changed'])}。",
                "published": c["date"], "updated": c["date"], "category": "更正", "author": c["agency_name"],
                "agency_code": c["agency_code"], "key": c["key"]} for c in merged.values()]
    for n in site.notices:
        parts = [f"执法机关：{n['agency_name']}", f"撤回日期：{n['taken_down']}", f"撤回原因：{n['reason']}"]
        if n["note"]:
            parts.append(f"说明：{n['note']}")
        entries.append({"id": notice_id("withdrawal", n["key"], n["taken_down"]), "title": f"撤回：{n['docno']}",
                        "url": n["url"], "summary": "；".join(parts), "published": n["taken_down"],
                        "updated": n["taken_down"], "category": "撤回", "author": n["agency_name"],
                        "agency_code": n["agency_code"], "key": n["key"]})
    return sorted(entries, key=lambda e: (e["updated"], e["category"] == "撤回", e["key"]), reverse=True)


def catalog(site: Site) -> list[Feed]:
    """Every feed with its decisions (newest first): site-wide, each category,
    each agency (in name order); then the notices feeds, site-wide and per
    agency."""
    everything = site_feed()
    categories = {c: category_feed(c) for c in CATEGORIES}
    entities = sorted(site.entities, key=lambda e: (e["name"], e["code"]))
    agencies = {e["code"]: agency_feed(e["code"], e["name"]) for e in entities}
    for d in sorted(site.decisions, key=_newest_first, reverse=True):
        for feed in (everything, categories.get(d["category"]), agencies.get(d["agency_code"])):
            if feed is not None:
                feed.decisions.append(d)
    for n in site.notices:
        for feed in (everything, categories.get(n["category"]), agencies.get(n["agency_code"])):
            if feed is not None:
                feed.dates.append(n["taken_down"])
    for code, feed in agencies.items():
        if not feed.decisions:  # no list page: the agency's own page
            feed.page = urls.entity_url(code)
    for c, feed in categories.items():
        if not feed.decisions:
            feed.page = everything.page
    notices = notices_feed()
    agency_notices = {e["code"]: agency_notices_feed(e["code"], e["name"]) for e in entities}
    for entry in notice_entries(site):
        for feed in (notices, agency_notices.get(entry["agency_code"])):
            if feed is not None:
                feed.notices.append(entry)
    return [everything, *categories.values(), *agencies.values(), notices, *agency_notices.values()]


def _limit(settings: dict) -> int:
    return int(settings.get("GONGSHI_FEED_ENTRIES") or DEFAULTS["GONGSHI_FEED_ENTRIES"])


def _updated(feed: Feed, entries: list[dict], fallback: str) -> str:
    return max([d["updated"] for d in entries] + feed.dates, default=fallback)


def entry_title(d: dict) -> str:
    title = f"{d['docno']} {d['target_name']}".strip()
    if d.get("corrected"):
        title += f"（{d['corrected']} 更正）"
    return xml_text(title)


def entry_summary(d: dict, labels=None) -> str:
    """``labels``: the fields the last correction changed (None: not known)."""
    outcome = d.get("summary") or d.get("outcome") or ""
    parts = [f"执法类别：{d['category']}", f"执法机关：{d['agency_name']}", f"决定日期：{d['decision_date']}"]
    if outcome:
        parts.append(f"处理结果：{outcome}")
    if d.get("corrected"):
        parts.append(f"更正：本决定于 {correction_text(d['corrected'], labels)}")
    return xml_text("；".join(parts))


def decision_entry(d: dict, labels=None) -> dict:
    """A decision as a feed entry (what ``render`` shows)."""
    return {"id": entry_id(d["key"]), "title": entry_title(d), "url": d["url"], "summary": entry_summary(d, labels),
            "published": d["first_published"], "updated": d["updated"], "category": d["category"],
            "author": d["agency_name"]}


def render(feed: Feed, fmt: str, entries: list[dict], updated: str, sitename: str, siteurl: str) -> bytes:
    """One feed document. ``entries`` (``decision_entry`` or ``notice_entries``) newest first."""
    path = feed.paths[fmt]

    def href(url: str) -> str:
        if siteurl:
            return f"{siteurl.rstrip('/')}/{url}"
        return f"{path_to_url(get_relative_path(path))}/{url}"

    def text(value: str) -> str:
        value = xml_text(value)
        return html.escape(value, quote=False) if fmt == "rss" else value

    fg = FeedGenerator()
    fg.id(feed_id(feed.scope))
    fg.title(text(f"{sitename}：{feed.title}" if sitename else feed.title))
    fg.author({"name": xml_text(sitename or "行政执法公示")})
    # The self link first: for RSS feedgen takes the last link as <link>.
    fg.link(href=href(path), rel="self", type=MEDIA_TYPES[fmt])
    fg.link(href=href(feed.page), rel="alternate", type="text/html")
    order = "按日期从新到旧" if feed.kind == "notices" else "按首次公示或最近更正的日期从新到旧"
    fg.description(text(f"{feed.title}：{order}，最新 {len(entries)} 条。"))
    fg.language("zh-CN")
    fg.updated(_moment(updated))
    for d in entries:
        e = fg.add_entry(order="append")  # feedgen prepends by default
        e.id(d["id"])
        e.title(text(d["title"]))
        e.link(href=href(d["url"]), rel="alternate", type="text/html")
        e.summary(text(d["summary"]))
        e.published(_moment(d["published"]))
        e.updated(_moment(d["updated"]))
        e.category(term=d["category"])
        if fmt == "atom":
            e.author({"name": xml_text(d["author"])})
    data = fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
    return data


def site_updated(site: Site) -> str:
    """The newest correction, publication or takedown on the site (ISO date):
    the 订阅 page's lastmod."""
    return max([d["updated"] for d in site.decisions] + [n["taken_down"] for n in site.notices],
               default=site.today.isoformat())


def site_began(site: Site) -> str:
    """The site's first publication (ISO date): the date of an empty feed."""
    return min([d["first_published"] for d in site.decisions] + [n["taken_down"] for n in site.notices],
               default=site.today.isoformat())


def last_changes(site: Site) -> dict[str, list[str]]:
    """key → the fields its last correction changed (that day's corrections merged)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for e in site.publication.log.corrections:
        day, labels = out.get(e.key, ("", []))
        out[e.key] = (e.day, list(dict.fromkeys((labels if day == e.day else []) + (e.fields or []))))
    return {key: labels for key, (day, labels) in out.items()}


def feed_jobs(site: Site, feeds: list[Feed], settings: dict) -> list[tuple]:
    """What ``feed_files`` renders: each feed of ``catalog(site)`` (its
    fields but the decisions) with its entries (``decision_entry`` or
    ``notice_entries``) and its date. Plain values: they are sent to the
    process that renders the feeds."""
    limit = _limit(settings)
    fallback = site_began(site)
    changes = last_changes(site)
    jobs = []
    for feed in feeds:
        if feed.kind == "notices":
            entries = feed.notices[:limit]
            updated = max((e["updated"] for e in entries), default=fallback)
        else:
            records = feed.decisions[:limit]
            entries = [decision_entry(d, changes.get(d["key"])) for d in records]
            updated = _updated(feed, records, fallback)
        jobs.append((feed.scope, feed.kind, feed.title, feed.page, feed.paths, entries, updated))
    return jobs


def feed_files(jobs: list[tuple], settings: dict, cache):
    """(root-relative path, bytes) of every feed of ``feed_jobs`` in Atom and RSS 2.0."""
    sitename = settings.get("SITENAME", "")
    siteurl = settings.get("SITEURL", "") or ""
    for scope, kind, title, page, paths, entries, updated in jobs:
        feed = Feed(scope, kind, title, page, paths)
        # Same feed, entries and date as a night before: the bytes from the cache.
        # (render reads only the feed's scope, title, page and paths.)
        shape = repr((feed.scope, feed.title, feed.page, feed.paths, entries, updated, sitename, siteurl))
        for fmt in urls.FEED_FORMATS:
            yield feed.paths[fmt], cache.memo(
                "feed", (fmt, shape), lambda fmt=fmt: render(feed, fmt, entries, updated, sitename, siteurl))


def subscribe_rows(feeds: list[Feed], settings: dict) -> list[dict]:
    """For the 订阅 page: one row per feed with both formats' addresses.
    ``display`` is the full address when SITEURL is set, else the root-relative path."""
    siteurl = (settings.get("SITEURL", "") or "").rstrip("/")
    rows = []
    for feed in feeds:
        links = feed.links()
        for link in links:
            link["display"] = f"{siteurl}/{link['url']}" if siteurl else link["url"]
        count = len(feed.notices if feed.kind == "notices" else feed.decisions)
        rows.append({"title": feed.title, "kind": feed.kind, "page": feed.page,
                     "count": min(count, _limit(settings)), "links": links})
    return rows
