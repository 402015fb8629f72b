"""The text Pagefind indexes on a page: inside data-pagefind-body, outside
data-pagefind-ignore (used to compute which pages a query term must find)."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Body(HTMLParser):
    def __init__(self):
        super().__init__()
        self.body = self.ignore = 0
        self.stack: list[tuple[bool, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        names = {k for k, _ in attrs}
        entry = ("data-pagefind-body" in names, "data-pagefind-ignore" in names)
        self.stack.append(entry)
        self.body += entry[0]
        self.ignore += entry[1]

    def handle_endtag(self, tag):
        if tag in _VOID or not self.stack:
            return
        body, ignore = self.stack.pop()
        self.body -= body
        self.ignore -= ignore

    def handle_data(self, data):
        if self.body > 0 and self.ignore == 0:
            self.parts.append(data)


def indexed_text(html: str) -> str:
    parser = _Body()
    parser.feed(html)
    return "".join(parser.parts)


def indexed_pages(site: Path) -> dict[str, str]:
    """'/<url>' → indexed text, for every page with a data-pagefind-body."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        text = indexed_text(path.read_text(encoding="utf-8"))
        if text.strip():
            out["/" + path.relative_to(site).as_posix()] = text
    return out
