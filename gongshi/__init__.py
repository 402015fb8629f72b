"""gongshi: administrative-enforcement disclosure (行政执法公示) as a Pelican plugin.

Enable it in pelicanconf.py with ``PLUGIN_PATHS = ["."]`` and
``PLUGINS = ["gongshi"]``; ``publish.py`` is the command users run.
"""
from __future__ import annotations

from pelican import signals

from .sanitise import sanitise_content
from .settings import DEFAULTS


def configure(pelican) -> None:
    settings = pelican.settings
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    # Every user-supplied string is escaped: autoescape is not optional.
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}
    # The home page and lists are ours; Pelican's blog pages and feeds are off.
    settings["DIRECT_TEMPLATES"] = []
    for key in ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS", "CATEGORY_FEED_ATOM",
                "CATEGORY_FEED_RSS", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "TRANSLATION_FEED_ATOM",
                "TRANSLATION_FEED_RSS", "TAG_FEED_ATOM", "TAG_FEED_RSS"):
        settings[key] = None


def get_generators(pelican):
    from .generator import DisclosureGenerator

    return DisclosureGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
    # The webmaster's pages: their raw HTML is cleaned unless GONGSHI_RAW_HTML.
    signals.content_object_init.connect(sanitise_content)
