"""The Pelican generator: renders record pages straight from the data.

It renders the page specs of ``gongshi.pages`` (plus ``extra_specs``) with
the theme's Jinja environment (so THEME and THEME_TEMPLATES_OVERRIDES work as
in any Pelican site) through ``render.render_specs`` (skips unchanged pages,
uses every core), writes open data, the search's field index and the feeds (on
a large site the last two by a process of their own meanwhile, ``_side_files``,
joined by publish.py after the search index), the statistics' data and charts
and the sitemap. Everything is written in
``generate_output`` through the writer Pelican passes (``writer.StagingWriter``
over the build's ``stager.Stager``: guarded paths, a file written only when its
bytes changed). The prepared site comes from ``handover.current()``.
"""
from __future__ import annotations

import json
from dataclasses import replace

from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from . import cache, feeds, fieldindex, handover, opendata, stats, urls
from .cache import Cache
from .manifest import digest
from .pagedates import NEVER
from .pages import DecisionSpec, PageSpec, site_pages
from .render import Background, fingerprint, input_key, processes, render_specs
from .sitemap import sitemap_files

_GLOBALS = ("SITENAME", "SITE_LOGO", "SITE_FAVICON", "SITE_FOOTER", "SITE_DESCRIPTION")


def side_files(work, emit, cache: Cache, ready: fieldindex.Grams | None = None) -> set[str]:
    """Writes the files of ``DisclosureGenerator._side_files`` (in a process
    of their own on a large site); returns the cache entries used. ``ready``:
    the field index's memo, read while the build prepared ``work``."""
    lookup, jobs, settings = work
    if lookup is not None:
        fieldindex.write_files(lookup, emit, cache, ready)
    for rel, data in feeds.feed_files(jobs, settings, cache):
        emit(rel, data)
    return cache.used


def side_process(build_cache: Cache, settings: dict, size: int) -> Background:
    """The process that makes ``side_files`` for a site of about ``size``
    decisions (none on a small site: ``Background``). publish.py starts it
    before it prepares the site, so it imports and reads the field index's
    memo on the core that preparing leaves idle."""
    return Background(side_files, Cache(build_cache.folder), ready=fieldindex.Grams.load,
                      workers=processes(settings.get("GONGSHI_PROCESSES")), size=size)


class _Side:
    """The side process, whose cache entries count as the build's once joined."""

    def __init__(self, process: Background, cache: Cache):
        self.process, self.cache = process, cache

    def join(self) -> None:
        self.cache.used |= self.process.join()

    def kill(self) -> None:
        self.process.kill()


class DisclosureGenerator(Generator):
    def generate_context(self):
        self.build = handover.current()  # publish.py prepared it (plain ``pelican`` stops in __init__.py)
        self.site, self.dates = self.build.site, self.build.dates
        self._date_content_pages()

    def _make_files(self, writer) -> Background:
        """Everything but the pages: feeds and the field index (``_side_files``,
        meanwhile: returned), the statistics, open data; then the page specs."""
        self.stager = writer.stager
        # Open data and the field index are made from every public record; on
        # a night none changed, the live slot's copies are taken instead.
        self.data_key = self._data_key()
        self.feeds = feeds.catalog(self.site)
        side = self._side_files()
        try:
            stats_specs, self.stats_files = stats.outputs(self.site, self.settings)
            # Made: the yearbook's inputs (a projection of every decision validated)
            # would only weigh on the rendering processes from here on.
            self.site.stats_inputs = {"decisions": [], "takedowns": []}
            self._open_data()
            self.specs = site_pages(self.site, self.settings) + stats_specs
        except BaseException:
            side.kill()
            raise
        return side

    def _date_content_pages(self) -> None:
        """The agency's own pages (Pelican renders them, before ``generate_output``)
        get ``gongshi_lastmod`` for their footer and the sitemap: their
        ``Modified:`` or ``Date:``, else the day their text last changed."""
        for page in self.context.get("pages", []):
            when = getattr(page, "modified", None) or getattr(page, "date", None)
            # Not cache.digest: it changes with the code, and so would every date.
            page.gongshi_lastmod = (when.date().isoformat() if when else self.dates.date(
                page.url, digest(f"{page.title}\0{page.content}".encode("utf-8"))))

    def _side_files(self) -> Background:
        """The feeds and the search's field index (unless the live slot's is
        taken). Their inputs are small: on a large site a process of its own
        is sent them and makes the files while this process dates and renders
        the pages and publish.py makes the search index (it joins the process
        then: ``handover.Build.pending``). Open data is made here: its input
        is every whole record."""
        # The index's files are known once made: those of the slots are its candidates.
        prefix = fieldindex.FIELDS + "/"
        rels = sorted({rel for m in (self.stager.live_manifest, self.stager.target_manifest) if m
                       for rel in m if rel.startswith(prefix)})
        key = cache.digest("field index", self.data_key, json.dumps(self.site.notices, sort_keys=True))
        live = [rel for rel in rels if rel in (self.stager.live_manifest or {})]
        taken = bool(live) and all(self.stager.live_manifest[rel].key == key for rel in live) \
            and self.stager.reuse_all(live, key)

        def work():  # made once the process is started (it imports meanwhile)
            lookup = None if taken else (fieldindex.sources(self.site), fieldindex.layout(self.site), key)
            return (lookup, feeds.feed_jobs(self.site, self.feeds, self.settings),
                    {k: self.settings.get(k, "") for k in ("SITENAME", "SITEURL")})
        rels += [path for feed in self.feeds for path in feed.paths.values()]
        side = self.build.side  # started by publish.py, unless the ledger was too small to tell
        if side is None or side.child is None:
            side = side_process(self.site.cache, self.settings, len(self.site.decisions))
        return side.send(work, self.stager, rels)

    def _data_key(self) -> str:
        """A digest of every public record (decisions by their ledger version),
        entity and staff member: the input of open data and the field index."""
        versions = self.site.publication.versions
        decisions = "\n".join(f"{d['key']}\t{versions.get(d['key']) or json.dumps(d, sort_keys=True, default=str)}"
                              for d in self.site.decisions)
        others = json.dumps([self.site.entities, self.site.staff], sort_keys=True, default=str, ensure_ascii=False)
        return cache.digest("open data, exact lookup", self.settings.get("SITEURL", ""), decisions, others)

    def _reused(self, rels: list[str]) -> bool:
        """Whether the live slot's copies of these files, made from tonight's
        records, were taken (all or none)."""
        live = self.stager.live_manifest or {}
        return (bool(rels) and all(rel in live and live[rel].key == self.data_key for rel in rels)
                and self.stager.reuse_all(rels, self.data_key))

    def _open_data(self) -> None:
        """Open data; the decision files' layout (``opendata.Layout``) goes
        beside the slot, so tomorrow's build can copy unchanged records."""
        if self._reused(list(opendata.FILES)):
            layout = opendata.Layout.load(self.stager.live)  # it describes the files taken
        else:
            files, layout = opendata.open_data_files(self.site, opendata.previous_files(self.stager))
            self._make_data(files.items())
            layout.digests = {rel: self.stager.entries[rel].digest for rel in opendata.DECISION_FILES}
        # The publication record's files: made from the ledger as well, so not keyed by data_key.
        self._make_data(opendata.record_files(self.site).items(), key="")
        if layout is not None:
            layout.save(self.stager.target)
        else:
            opendata.layout_path(self.stager.target).unlink(missing_ok=True)

    def _make_data(self, files, key: str | None = None) -> None:
        key = self.data_key if key is None else key
        for rel, data in files:
            # Open data comes in pieces (decisions.json is ~140 MB at 100 000 decisions).
            if isinstance(data, bytes):
                self.stager.emit(rel, data, key)
            else:
                self.stager.emit_pieces(rel, data, key)

    def _globals(self) -> dict:
        """What every page sees besides its own context. Not the build date:
        a page that showed it would change every night (the footer shows the
        page's own ``page_updated``)."""
        g = {k: self.context.get(k, "") for k in _GLOBALS}
        # The navigation's Pelican pages as plain values: a Page computes its
        # url on every access, and every page of ours shows them.
        g["pages"] = [{"url": p.url, "title": p.title} for p in self.context.get("pages", [])]
        return g

    def extra_specs(self) -> list[PageSpec]:
        return [
            # Dated by its content, which includes the digests of the downloads (the
            # page is "updated" when they are), though the template does not show them.
            PageSpec("open-data/index.html", "open_data.html", {
                "page_title": "数据开放", "downloads": opendata.downloads(self.site),
                "download_digests": [self.stager.entries[rel].digest
                                     for rel in opendata.FILES + opendata.RECORD_FILES],
                "log": opendata.log_summary(self.site),
                "feeds": feeds.site_feed().links(), "feeds_page": "feeds/index.html",
                "breadcrumbs": [("数据开放", None)], "nav_active": "open-data"}, None),
            PageSpec("feeds/index.html", "feeds.html", {
                "page_title": "订阅", "feed_rows": feeds.subscribe_rows(self.feeds, self.settings),
                "feeds": feeds.site_feed().links(), "feed_entries": int(self.settings["GONGSHI_FEED_ENTRIES"]),
                "feed_urls_absolute": bool(self.settings.get("SITEURL")),
                "breadcrumbs": [("数据开放", "open-data/index.html"), ("订阅", None)], "nav_active": "open-data"},
                feeds.site_updated(self.site)),
            PageSpec("404.html", "404.html", {
                "page_title": "页面不存在", "breadcrumbs": [("页面不存在", None)], "nav_active": ""}, None),
        ]

    def _date_decision_pages(self, specs: list) -> dict[str, str]:
        """Each agency's key: the digest of what its decision pages show of it
        (``DecisionSpec.context``). A decision page is dated by its record, or
        by the night its agency's details last changed if that is later (the
        page changed then): this sets the specs' ``lastmod``. That night is a
        part shared by the agency's decision pages (``PageDates.date``), named
        ``decisions/<code>/*``; first seen, it dates no page (``NEVER``)."""
        keys: dict[str, str] = {}
        since: dict[str, str] = {}
        for spec in specs:
            if not isinstance(spec, DecisionSpec):
                continue
            code = spec.decision["agency_code"]
            if code not in keys:
                keys[code] = key = input_key("", spec.template, code, {"agency": spec.agency})
                since[code] = self.dates.date(f"decisions/{code}/*", key, NEVER)
            if since[code] > spec.lastmod:
                spec.lastmod = since[code]
        return keys

    def _dated(self, spec: PageSpec, memo: dict) -> PageSpec:
        """The page, dated by the day its content last changed (pagedates.py)
        and keyed by that content (``key_of`` adds the theme and the date)."""
        key = input_key("", spec.template, spec.url, spec.context, memo)
        return replace(spec, lastmod=self.dates.date(spec.url, key, spec.lastmod), key=key)

    def generate_output(self, writer):
        side = self._make_files(writer)
        try:
            self._render_pages(side)
        except BaseException:
            side.kill()
            raise
        # The side process takes about as long as dating and rendering the
        # pages, which do not need its files; nor does the search index, after
        # which publish.py joins it.
        self.build.defer(_Side(side, self.site.cache), (fieldindex.FIELDS + "/", urls.FEEDS + "/"))

    def _render_pages(self, side: Background) -> None:
        stager = self.stager
        base = self._globals()
        siteurl = self.settings.get("SITEURL", "")
        templates: dict = {}

        def render(spec: PageSpec) -> bytes:
            template = templates.get(spec.template) or templates.setdefault(
                spec.template, self.get_template(spec.template.removesuffix(".html")))
            # 404.html is served at any address, so its links are root-absolute.
            root = siteurl if spec.url == "404.html" else path_to_url(get_relative_path(spec.url))
            return template.render({**base, "page_updated": spec.lastmod, **spec.context,
                                    "SITEURL": root}).encode("utf-8")

        fixed = fingerprint(self.env, {**base, "SITEURL": siteurl})

        # Each public record's digest is known from the ledger's content hash:
        # no page has to serialise a record to find out it did not change.
        versions = self.site.publication.versions
        seed = {id(d): (d, versions[d["key"]]) for d in self.site.decisions if d["key"] in versions}
        memo = dict(seed)
        specs = [self._dated(spec, memo) if isinstance(spec, PageSpec) else spec
                 for spec in list(self.specs) + self.extra_specs()]
        del memo
        agency_keys = self._date_decision_pages(specs)

        def key_of(spec: PageSpec | DecisionSpec, memo: dict) -> str:
            if isinstance(spec, PageSpec):  # dated: its content is keyed already
                return digest(f"{fixed}\0{spec.key}\0{spec.lastmod}".encode("utf-8")) if spec.key else ""
            d = spec.decision
            version = versions.get(d["key"])
            if version is None:  # not from the ledger: serialise its context
                return input_key(fixed, spec.template, spec.url, {"lastmod": spec.lastmod, **spec.context}, memo)
            # Its context is its record and its agency (DecisionSpec.context).
            return digest(f"{fixed}\0{spec.template}\0{spec.url}\0{version}\0{agency_keys[d['agency_code']]}"
                          f"\0{spec.lastmod}".encode("utf-8"))
        for rel, data in self.stats_files.items():  # data and charts
            stager.emit(rel, data)
        render_specs(specs, render, key_of, stager, processes(self.settings.get("GONGSHI_PROCESSES")), seed, side)

        entries = [(s.url, s.lastmod) for s in specs if s.url != "404.html"]
        entries += [(page.url, page.gongshi_lastmod) for page in self.context.get("pages", [])]
        for rel, data in sitemap_files(entries, siteurl, int(self.settings["GONGSHI_SITEMAP_MAX_URLS"])).items():
            stager.emit(rel, data)
