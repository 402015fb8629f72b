"""gongshi: administrative-enforcement disclosure (行政执法公示) as a Pelican plugin.

Installed as the package ``pelican-gongshi`` (namespace ``pelican.plugins``),
enabled in pelicanconf.py with ``PLUGINS = ["gongshi"]``; ``publish.py`` is
the command users run (it
prepares the build and hands it over: ``handover.py``).
"""
from __future__ import annotations

import sys

from pelican import signals
from pelican.settings import DEFAULT_CONFIG

from . import handover
from .sanitise import sanitise_content
from .settings import DEFAULTS

# Pelican's blog feeds. Left at Pelican's defaults they would write feeds of an
# empty blog; ours (feeds.py) replace them.
PELICAN_FEEDS = ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS", "CATEGORY_FEED_ATOM",
                 "CATEGORY_FEED_RSS", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "TRANSLATION_FEED_ATOM",
                 "TRANSLATION_FEED_RSS", "TAG_FEED_ATOM", "TAG_FEED_RSS")
OUR_FEEDS = {"feeds/all.atom.xml", "feeds/all.rss.xml"}  # urls.feed_url

PLAIN_PELICAN = ("gongshi：本网站须用 python publish.py 生成（它校验数据、记录发布台账，并整体切换线上网站），"
                 "不能直接运行 pelican。\n"
                 "gongshi: build this site with `python publish.py` (it validates the data, records the "
                 "publication ledger and switches the live site as a whole); plain `pelican` cannot build it.")


def _unset(settings: dict, name: str) -> bool:
    """Whether the user left a Pelican setting at Pelican's default (read_settings fills them all in)."""
    return settings.get(name) == DEFAULT_CONFIG.get(name)


def configure(pelican) -> None:
    if handover.current() is None:
        # Plain ``pelican``: there is no ledger, no validation report and no
        # slot to write; writing into OUTPUT_PATH would change the live site in place.
        print(PLAIN_PELICAN, file=sys.stderr)
        raise SystemExit(2)
    settings = pelican.settings
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    # Forced: every user-supplied string is escaped. Autoescape is not optional.
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}
    # The home page and lists are ours: Pelican's blog pages are off unless the
    # user asked for some; "index" is always dropped (forced: index.html is our home page).
    if _unset(settings, "DIRECT_TEMPLATES"):
        settings["DIRECT_TEMPLATES"] = []
    settings["DIRECT_TEMPLATES"] = [t for t in settings["DIRECT_TEMPLATES"] if t != "index"]
    for key in PELICAN_FEEDS:
        # Forced off as well: a blog feed at one of our feeds' addresses.
        if _unset(settings, key) or settings.get(key) in OUR_FEEDS:
            settings[key] = None


def get_generators(pelican):
    from .generator import DisclosureGenerator

    return DisclosureGenerator


def get_writer(pelican):
    from .writer import StagingWriter

    return StagingWriter


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    # The webmaster's pages: their raw HTML is cleaned unless GONGSHI_RAW_HTML.
    signals.content_object_init.connect(sanitise_content)
