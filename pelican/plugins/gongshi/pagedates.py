"""Pages dated by the day their content last changed.

A decision page is dated by its record (``updated``), or by the build on
which its agency's details (what the page shows of them) last changed, if
later; the ledger keeps that date under ``decisions/<agency code>/*``, which
is no page's URL. Every other page (the decision lists, the home page, entity
pages, the entity, staff and checklist lists, statistics, withdrawal notices,
the search, 订阅, 数据开放 and 404 pages, and the agency's own content pages
without a ``Date:``) is dated by the build on which its content key (what the
page shows, not the theme) last changed. Dated by their newest decision
alone, a list page that lost a decision (taken down, expired) kept its old
date, and a crawler had no reason to fetch it again; dated by the build, a
night with no change rewrote such pages and moved every sitemap lastmod.

The ledger keeps each page's key and date (``Ledger.page_dates``) and
records tonight's changes with the build (``Ledger.commit``), so a killed
build changes nothing and another output folder with the same ledger gives
the same dates. A page seen for the first time takes the date its spec
offers (a list's newest decision), else the build date.
"""
from __future__ import annotations

import datetime


# Offered for something seen for the first time that should date no page
# (an agency's details first seen: its decision pages keep their records' dates).
NEVER = "0001-01-01"
# The content key of a date restored from the site's own pages (restore.py):
# the next build adopts that date with whatever the page shows then.
RESTORED = "restored"


class PageDates:
    def __init__(self, known: dict[str, tuple[str, str]], today: datetime.date):
        self.known = known  # url -> (content key, ISO date), from the ledger
        self.today = today.isoformat()
        self.seen: dict[str, tuple[str, str]] = {}  # tonight's, for the ledger

    def date(self, url: str, key: str, first: str | None = None) -> str:
        """The page's date: the day it first showed this content; ``first``
        (or the build date) for a page the ledger does not know. ``url`` may
        also name a part that several pages show (``decisions/<code>/*``: an
        agency's details on its decision pages), dated the same way. An empty
        key (content that cannot be keyed) or a date after the build date (a
        build dated back) gives the build date. A date restored from the site
        (key ``RESTORED``) is kept, with tonight's key."""
        old = self.known.get(url)
        if old is None:
            since = min(first or self.today, self.today)
        else:
            same = old[0] == key or old[0] == RESTORED
            since = old[1] if key and same and old[1] <= self.today else self.today
        self.seen[url] = (key, since)
        return since

    def changes(self) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """Tonight's changes for the ledger: (url -> (key, date) new or changed,
        urls no longer on the site)."""
        changed = {url: value for url, value in self.seen.items() if self.known.get(url) != value}
        return changed, sorted(set(self.known) - set(self.seen))
