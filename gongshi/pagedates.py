"""Dates of the pages no record dates: the day their content last changed.

A decision page is dated by its record (``updated``) and a list by its newest
decision. The entity, staff and checklist lists, the search, 数据开放 and 404
pages, an agency page without decisions, and the agency's own content pages
without a ``Date:`` show no dated record. Dated by the build, they changed
every night with nothing else: rewritten files, and a sitemap whose lastmod
said every day that they had changed. Instead each is dated by the build on
which its content key (what the page shows, not the theme) last changed; the
ledger keeps the keys and dates (``Ledger.page_dates``) and records tonight's
with the build (``Ledger.commit``), so a killed build changes nothing.
"""
from __future__ import annotations

from datetime import date


class PageDates:
    def __init__(self, known: dict[str, tuple[str, str]], today: date):
        self.known = known  # url -> (content key, ISO date), from the ledger
        self.today = today.isoformat()
        self.seen: dict[str, tuple[str, str]] = {}  # tonight's, for the ledger

    def date(self, url: str, key: str) -> str:
        """The page's date: the day it first showed this content. An empty key
        (content that cannot be keyed) or a date after the build date (a build
        dated back) gives the build date."""
        old = self.known.get(url)
        since = old[1] if key and old and old[0] == key and old[1] <= self.today else self.today
        self.seen[url] = (key, since)
        return since
