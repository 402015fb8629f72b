#!/usr/bin/env python3
"""What the search page costs a citizen: prints the figures (not a timed test).

Serves a built site (``output/`` or a slot folder) on 127.0.0.1 and, for each
query, opens the search page afresh in Debian's Chromium (390 px wide, nothing
cached), searches and waits for the first results. Prints the time to them,
the number of requests and the bytes fetched by kind (``pf_meta``: one per
shard, ``pf_index``: word-index chunks, …; sizes of the files as served).
``--slow`` emulates a slow mobile network (150 ms latency, 1.6 Mbps down,
0.75 Mbps up) through the DevTools protocol. The local server speaks HTTP/1.1
(six connections per site), as many government sites still do.

    python benchmarks/search_client.py output [--slow] [--query 消防 --query 某某公司 …]
"""
from __future__ import annotations

import argparse
import functools
import os
import threading
import time
import urllib.parse
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium")
QUERIES = ("消防", "上海市某某餐饮管理有限公司")
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 1600 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name else name


def measure(site: Path, query: str, slow: bool, port: int, browser) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW)
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    start = time.perf_counter()
    page.goto(f"http://127.0.0.1:{port}/search/index.html?q={urllib.parse.quote(query)}")
    page.wait_for_function("() => +(document.getElementById('search-status').dataset.searches || 0) > 0",
                           timeout=300_000)
    seconds = time.perf_counter() - start
    status = page.inner_text("#search-status")
    context.close()
    sizes: Counter = Counter()
    counts: Counter = Counter()
    for url in fetched:
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path).lstrip("/")
        file = site / (path + "index.html" if path.endswith("/") or not path else path)
        kind = _kind(path)
        counts[kind] += 1
        sizes[kind] += file.stat().st_size if file.is_file() else 0
    return {"query": query, "seconds": seconds, "status": status, "requests": len(fetched),
            "bytes": sum(sizes.values()), "by_kind": {k: (counts[k], sizes[k]) for k in counts}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (output/ or a slot folder)")
    parser.add_argument("--query", action="append", help=f"a query (default: {' / '.join(QUERIES)})")
    parser.add_argument("--slow", action="store_true", help="emulate a slow mobile network")
    args = parser.parse_args()
    site = Path(os.path.realpath(args.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        print(f"site {site}{' (slow network)' if args.slow else ''}")
        for query in args.query or QUERIES:
            r = measure(site, query, args.slow, server.server_address[1], browser)
            print(f"{r['query']}: first results in {r['seconds']:.1f} s, {r['requests']} requests, "
                  f"{r['bytes'] / 1e6:.2f} MB — {r['status'].strip()}")
            for kind, (count, size) in sorted(r["by_kind"].items(), key=lambda item: -item[1][1]):
                print(f"    {kind:12} {count:5} requests {size / 1e6:8.3f} MB")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
