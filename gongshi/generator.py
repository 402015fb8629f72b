"""The Pelican generator: renders record pages straight from the data.

It renders the page specs of ``gongshi.pages`` with the theme's Jinja
environment (so THEME and THEME_TEMPLATES_OVERRIDES work as in any Pelican
site), writes open data and the sitemap, and writes only through the guarded
``output.write_if_changed``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from pelican.generators import Generator

from . import opendata, search
from .output import write_if_changed
from .pages import PageSpec, site_pages
from .pipeline import Site, prepare, today_in_shanghai
from .sitemap import sitemap_files
from .urls import relative_root

_GLOBALS = ("SITENAME", "SITE_LOGO", "SITE_FOOTER", "SITE_DESCRIPTION")


class BuildRefused(RuntimeError):
    """The data has file-level problems; nothing may be built."""


def site_from_settings(settings: dict) -> Site:
    """The prepared site: handed over by publish.py, or loaded here when the
    plugin runs under plain ``pelican``."""
    site = settings.get("GONGSHI_SITE")
    if site is not None:
        return site
    today = settings.get("GONGSHI_TODAY")
    today = date.fromisoformat(today) if today else today_in_shanghai()
    site = prepare(Path(settings["GONGSHI_DATA_DIR"]), today)
    if site.report.fatal:
        raise BuildRefused("\n".join(str(p) for p in site.report.fatal))
    return site


class DisclosureGenerator(Generator):
    def generate_context(self):
        self.site = site_from_settings(self.settings)
        # Internal hand-over keys must not reach any template (Pelican copies
        # all settings into the shared context): the report quotes raw cells.
        for key in ("GONGSHI_SITE", "GONGSHI_WRITTEN", "GONGSHI_TARGET", "GONGSHI_REFERENCE"):
            self.context.pop(key, None)
        self.specs = site_pages(self.site, self.settings)
        # Visible to Pelican's own page.html too (the context is shared).
        self.context["build_date"] = self.site.today.isoformat()

    def _globals(self) -> dict:
        g = {k: self.context.get(k, "") for k in _GLOBALS}
        g["pages"] = self.context.get("pages", [])
        g["build_date"] = self.site.today.isoformat()
        return g

    def generate_output(self, writer):
        target = Path(self.settings.get("GONGSHI_TARGET") or self.output_path)
        produced = self.settings.get("GONGSHI_WRITTEN")
        reference = self.settings.get("GONGSHI_REFERENCE")
        base = self._globals()
        templates: dict = {}

        def emit(rel: str, data: bytes) -> None:
            changed = write_if_changed(target, rel, data, reference)
            if produced is not None:
                produced[rel] = changed

        def render(spec: PageSpec) -> None:
            template = templates.get(spec.template) or templates.setdefault(
                spec.template, self.get_template(spec.template.removesuffix(".html")))
            # 404.html is served at any address, so its links are root-absolute.
            root = self.settings.get("SITEURL", "") if spec.url == "404.html" else relative_root(spec.url)
            html = template.render({**base, **spec.context, "SITEURL": root})
            emit(spec.url, html.encode("utf-8"))

        specs = list(self.specs)
        specs.append(PageSpec("open-data/index.html", "open_data.html", {
            "page_title": "数据开放", "downloads": opendata.downloads(self.site),
            "breadcrumbs": [("数据开放", None)], "nav_active": "open-data"}, self.site.today.isoformat()))
        specs.append(PageSpec("404.html", "404.html", {
            "page_title": "页面不存在", "breadcrumbs": [("页面不存在", None)], "nav_active": ""},
            self.site.today.isoformat()))
        for spec in specs:
            render(spec)
        for rel, data in opendata.open_data_files(self.site).items():
            emit(rel, data)
        for rel, data in search.exact_files(self.site).items():
            emit(rel, data)

        entries = [(s.url, s.lastmod) for s in specs if s.url != "404.html"]
        for page in self.context.get("pages", []):
            when = getattr(page, "modified", None) or getattr(page, "date", None)
            entries.append((page.url, when.date().isoformat() if when else self.site.today.isoformat()))
        for rel, data in sitemap_files(entries, self.settings.get("SITEURL", ""),
                                       int(self.settings["GONGSHI_SITEMAP_MAX_URLS"])).items():
            emit(rel, data)
