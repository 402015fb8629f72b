"""sitemap.xml with real lastmod; a sitemap index past the per-file URL limit.

The sitemap protocol requires absolute URLs: without SITEURL (a local
preview) there is no sitemap at all, and the build says so (cli.py).
"""
from __future__ import annotations

from xml.sax.saxutils import escape


def _absolute(siteurl: str, url: str) -> str:
    return f"{siteurl.rstrip('/')}/{url}"


def sitemap_files(entries: list[tuple[str, str]], siteurl: str, max_urls: int) -> dict[str, bytes]:
    """entries: (root-relative url, ISO lastmod). Returns {path: bytes}; {} without a SITEURL."""
    if not siteurl:
        return {}
    entries = sorted(set(entries))

    def urlset(chunk):
        body = "".join(f"<url><loc>{escape(_absolute(siteurl, u))}</loc><lastmod>{m}</lastmod></url>\n"
                       for u, m in chunk)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{body}</urlset>\n").encode("utf-8")

    if len(entries) <= max_urls:
        return {"sitemap.xml": urlset(entries)}
    files, index = {}, []
    for n, start in enumerate(range(0, len(entries), max_urls), start=1):
        chunk = entries[start:start + max_urls]
        name = f"sitemap-{n}.xml"
        files[name] = urlset(chunk)
        index.append((name, max(m for _, m in chunk)))
    body = "".join(f"<sitemap><loc>{escape(_absolute(siteurl, n))}</loc><lastmod>{m}</lastmod></sitemap>\n"
                   for n, m in index)
    files["sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                            f"{body}</sitemapindex>\n").encode("utf-8")
    return files
