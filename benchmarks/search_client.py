#!/usr/bin/env python3
"""What the search page costs a citizen: prints the figures (not a timed test).

Serves a built site (``output/``, a slot folder, or a site made by
``benchmarks/search_fields.py``) on 127.0.0.1 and, for each query, opens the
search page afresh in Debian's Chromium (390 px wide, nothing cached). For
each it prints:

* **first results**: the time from opening the page until the first result
  is on screen (``data-first`` on the status line, set by search.js; for the
  made-up name, until the status line says 没有找到), and the requests and
  bytes fetched until then (the page, its CSS, JS and logo included);
* **settled**: the same when search.js stops by itself (``data-searches``),
  with the status line;
* the bytes by kind (``json`` field-index files, ``pf_meta`` one per Pagefind
  shard, ``pf_index`` word-index chunks, …; sizes of the files as served).

Queries are picked from the site's own field index (cards in
``search/fields/b/``, so any site built by this code works), one per kind:
``name`` (a company's full name), ``part`` (four characters of a name after
its district: "华泰文化"), ``docno`` (a 文书号), ``code`` (a credit code),
``madeup`` (a company name no record has), ``word`` (罚款: full text only),
``agency`` (消防: part of an agency's name, and a word of the full text);
``--kinds`` picks some, ``--query`` adds your own. ``--slow`` emulates a slow
mobile network (150 ms latency, 1.6 Mbps down, 0.75 Mbps up) through the
DevTools protocol. The local server speaks HTTP/1.1 (six connections per
site), as many government sites still do.

    python benchmarks/search_client.py output [--slow] [--kinds name part docno code madeup word]
                                       [--query 某某公司 …]
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import threading
import time
import urllib.parse
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium")
KINDS = ("name", "part", "docno", "code", "madeup", "word", "agency")
MADE_UP = "示例市清河区宏大科技有限公司"  # no synthetic or example company is 宏大
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 1600 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8}
_DISTRICT = re.compile(r"^(示例市)?(第\d+区|[^区县]{1,4}[区县])?")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name else name


def pick_queries(site: Path, kinds, seed: int = 1) -> list[tuple[str, str]]:
    """(kind, query) for each kind, from cards of the site's field index
    (another seed, other queries; the made-up name and the words stay)."""
    blocks = sorted((site / "search" / "fields" / "b").glob("*.json"))
    rng = random.Random(seed)
    cards = []
    for path in rng.sample(blocks, min(200, len(blocks))):
        cards += [c for c in json.loads(path.read_text(encoding="utf-8"))["cards"] if c["kind"] == "decision"]
    companies = [c for c in cards if c["code"] and _DISTRICT.sub("", c["target"]) != c["target"]]
    company = rng.choice(companies)
    rest = _DISTRICT.sub("", rng.choice(companies)["target"])
    picks = {"name": company["target"], "part": rest[:4], "docno": rng.choice(cards)["docno"],
             "code": company["code"], "madeup": MADE_UP, "word": "罚款", "agency": "消防"}
    return [(kind, picks[kind]) for kind in kinds]


_WATCH = """() => {
  const note = () => {
    const s = document.getElementById('search-status');
    if (!s) { return; }
    const now = performance.timeOrigin + performance.now();
    if (s.hasAttribute('data-first') && !window.__first) { window.__first = now; }
    if (/^没有找到/.test(s.textContent) && !window.__none) { window.__none = now; }
    if (+(s.dataset.searches || 0) > 0 && !window.__settled) { window.__settled = now; }
  };
  new MutationObserver(note).observe(document, { attributes: true, subtree: true, childList: true });
}"""


def measure(site: Path, query: str, slow: bool, port: int, browser, none: bool = False) -> dict:
    """One query on a fresh page; ``none``: no result is expected, so the
    first answer is the status line saying 没有找到."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(f"({_WATCH})()")
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW)
    fetched: list = []
    context.on("request", lambda request: fetched.append(request))
    start = time.time() * 1000
    page.goto(f"http://127.0.0.1:{port}/search/index.html?q={urllib.parse.quote(query)}")
    page.wait_for_function("() => window.__settled", timeout=600_000)
    first, settled = page.evaluate(
        f"() => [Math.min(window.__first || Infinity, {'window.__none || ' if none else ''}Infinity, window.__settled),"
        " window.__settled]")
    status = page.inner_text("#search-status")
    shown = page.locator("#search-results > li").count()
    context.close()

    def tally(until: float) -> tuple[int, int, Counter, Counter]:
        sizes: Counter = Counter()
        counts: Counter = Counter()
        for request in fetched:
            if request.timing["startTime"] > until:
                continue
            path = urllib.parse.unquote(urllib.parse.urlparse(request.url).path).lstrip("/")
            file = site / (path + "index.html" if path.endswith("/") or not path else path)
            kind = _kind(path)
            counts[kind] += 1
            sizes[kind] += file.stat().st_size if file.is_file() else 0
        return sum(counts.values()), sum(sizes.values()), counts, sizes

    first_n, first_b, _, _ = tally(first)
    all_n, all_b, counts, sizes = tally(float("inf"))
    return {"query": query, "first": (first - start) / 1000, "settled": (settled - start) / 1000,
            "first_requests": first_n, "first_bytes": first_b, "requests": all_n, "bytes": all_b,
            "status": status, "shown": shown, "by_kind": {k: (counts[k], sizes[k]) for k in counts}}


def _by_kind(results):
    out: dict[str, list[dict]] = {}
    for kind, r in results:
        out.setdefault(kind, []).append(r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (output/ or a slot folder)")
    parser.add_argument("--kinds", nargs="*", choices=KINDS, default=list(KINDS), help="kinds of query to pick")
    parser.add_argument("--query", action="append", default=[], help="a query of your own")
    parser.add_argument("--slow", action="store_true", help="emulate a slow mobile network")
    parser.add_argument("--details", action="store_true", help="bytes by kind of file")
    parser.add_argument("--samples", type=int, default=1, help="queries of each kind picked from the index")
    args = parser.parse_args()
    site = Path(os.path.realpath(args.site))
    queries = [(kind, q) for seed in range(1, args.samples + 1) for kind, q in pick_queries(site, args.kinds, seed)
               if seed == 1 or kind not in ("madeup", "word", "agency")]
    queries = sorted(queries, key=lambda kq: args.kinds.index(kq[0])) + [("custom", q) for q in args.query]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        print(f"site {site}{' (slow network)' if args.slow else ''}")
        print(f"{'kind':7} {'first results':>26} {'settled':>26}  query — status")
        results = []
        for kind, query in queries:
            r = measure(site, query, args.slow, server.server_address[1], browser, none=kind == "madeup")
            results.append((kind, r))
            print(f"{kind:7} {r['first']:5.1f} s {r['first_requests']:4d} req {r['first_bytes'] / 1e3:7.0f} KB"
                  f" {r['settled']:5.1f} s {r['requests']:4d} req {r['bytes'] / 1e3:7.0f} KB"
                  f"  {r['query']} — {r['status'].strip()[:90]}", flush=True)
            if args.details:
                for name, (count, size) in sorted(r["by_kind"].items(), key=lambda item: -item[1][1]):
                    print(f"          {name:12} {count:5} requests {size / 1e3:8.1f} KB")
        browser.close()
    server.shutdown()
    if len(queries) > len(set(k for k, _ in queries)):
        print("worst of each kind (first results): " + "; ".join(
            f"{kind} {max(r['first'] for r in rs):.1f} s, {max(r['first_requests'] for r in rs)} req, "
            f"{max(r['first_bytes'] for r in rs) / 1e3:.0f} KB" for kind, rs in _by_kind(results).items()))


if __name__ == "__main__":
    main()
