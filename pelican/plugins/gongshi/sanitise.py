"""The HTML of the webmaster's own pages (content/*.md), sanitised.

Markdown lets raw HTML through, so a page could carry ``<script>``, a
``javascript:`` link or an ``onerror`` attribute onto a government site. By
default every content object's HTML (its body and its formatted metadata, e.g.
``Summary:``) is cleaned as soon as Pelican reads it (the
``content_object_init`` signal): only the tags and attributes Markdown itself
produces are kept, links and images only with http(s), mailto or relative
URLs, ``style`` only for table cell alignment; scripts and styles are dropped
with their content. ``GONGSHI_RAW_HTML = True`` publishes the pages' HTML as
written (for a webmaster who needs an embedded map or video and trusts every
page author).
"""
from __future__ import annotations

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "abbr": {"title"},
    "time": {"datetime"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean(html: str) -> str:
    """The allowlisted HTML of a page (see the module docstring)."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
                     filter_style_properties={"text-align"})


def sanitise_content(content) -> None:
    """Pelican's ``content_object_init`` receiver: clean a page's HTML in place."""
    settings = getattr(content, "settings", None) or {}
    if settings.get("GONGSHI_RAW_HTML"):
        return
    if isinstance(getattr(content, "_content", None), str):
        content._content = clean(content._content)
    metadata = getattr(content, "metadata", None) or {}
    for key in settings.get("FORMATTED_FIELDS", ()):
        if isinstance(metadata.get(key), str):
            metadata[key] = clean(metadata[key])
            if key == "summary":
                content._summary = metadata[key]
