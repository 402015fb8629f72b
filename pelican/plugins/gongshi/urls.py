"""Stable URLs for records: pure functions of the record, no file system.

URLs are root-relative (no leading slash); templates prefix ``SITEURL``.
A decision's URL depends only on its key, so it never changes across builds
or corrections, and is safe whatever characters the 文书号 holds.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from .schema import CATEGORY_SLUGS

_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")


def _digest(text: str, size: int = 6) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def decision_url(agency_code: str, docno: str) -> str:
    """``decisions/<agency code>/<readable ascii>-<hash>.html``.

    The readable part keeps the 文书号's ASCII runs (year, number); the hash of
    the whole key makes it unique. The agency code is validated as [0-9A-Z]{18}.
    """
    readable = "-".join(_ASCII_RUN.findall(unicodedata.normalize("NFKC", docno)))[:40].strip("-")
    digest = _digest(f"{agency_code}/{docno}")
    return f"decisions/{agency_code}/{readable + '-' if readable else ''}{digest}.html"


def entity_url(code: str) -> str:
    return f"entities/{code}.html"


def checklist_url(title: str) -> str:
    return f"checklists/{_digest(title, 5)}.html"


def checklist_part_url(title: str, subject: str, page: int = 1) -> str:
    """One subject's rows of a long checklist (``page``: its 2nd, 3rd … page),
    named by the subject, so a subject keeps its address when others change."""
    tail = f"-{int(page)}" if page > 1 else ""
    return f"checklists/{_digest(title, 5)}/{_digest(subject, 4)}{tail}.html"


def decisions_list_url(agency: str | None = None, category: str | None = None, year: int | None = None,
                       page: str = "") -> str:
    """A decision list narrowed by any of agency, category and year, always in
    that order: ``decisions/[agency/<code>/][category/<slug>/][year/<YYYY>/]``
    (all three unset: the list of every decision)."""
    folder = "decisions/"
    if agency is not None:
        folder += f"agency/{agency}/"
    if category is not None:
        folder += f"category/{CATEGORY_SLUGS[category]}/"
    if year is not None:
        folder += f"year/{int(year)}/"
    return list_page(folder, page)


def category_url(category: str, page: str = "") -> str:
    return decisions_list_url(category=category, page=page)


def agency_decisions_url(code: str, page: str = "") -> str:
    return decisions_list_url(agency=code, page=page)


def year_url(year: int, page: str = "") -> str:
    return decisions_list_url(year=year, page=page)


FEED_FORMATS = ("atom", "rss")
FEEDS = "feeds"  # the folder of every feed (and of the 订阅 page)


def feed_url(fmt: str) -> str:
    """The site-wide feed: ``feeds/all.atom.xml`` / ``feeds/all.rss.xml``."""
    return f"{FEEDS}/all.{fmt}.xml"


def category_feed_url(category: str, fmt: str) -> str:
    return f"{FEEDS}/category/{CATEGORY_SLUGS[category]}.{fmt}.xml"


def agency_feed_url(code: str, fmt: str) -> str:
    return f"{FEEDS}/agency/{code}.{fmt}.xml"


def notices_feed_url(fmt: str) -> str:
    """The site-wide feed of 更正与撤回 notices."""
    return f"{FEEDS}/notices.{fmt}.xml"


def agency_notices_feed_url(code: str, fmt: str) -> str:
    return f"{FEEDS}/agency/{code}.notices.{fmt}.xml"


_PAGE_NAME = re.compile(r"[0-9a-z]+(-[0-9]+)?")


def list_page(folder: str, page: str = "") -> str:
    """A page of a decision list: the newest is ``<folder>index.html`` (the
    list's own address); every other one is ``<folder>p/<page>.html``, named by
    its content (``gongshi.paging``: the hash of the decision that ends it, or
    ``oldest``), so it keeps its address when decisions come and go."""
    if not page:
        return f"{folder}index.html"
    if not _PAGE_NAME.fullmatch(page):
        raise ValueError(f"not a list page name: {page!r}")
    return f"{folder}p/{page}.html"


def stats_url(year: int | None = None, name: str = "index.html") -> str:
    """``stats/index.html`` (the list of years) or ``stats/<YYYY>/<name>``."""
    return "stats/index.html" if year is None else f"stats/{int(year)}/{name}"
