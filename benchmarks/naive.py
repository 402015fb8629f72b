#!/usr/bin/env python3
"""The naive baseline: one Markdown file per decision through plain Pelican.

``prepare`` turns the published decisions (the real build's
``open-data/decisions.json``, so both sides publish the same records) into one
Markdown article each (title 文书号, date 决定日期, category 执法类别, author the
agency, a table of the public fields); ``run.py`` then times plain ``pelican``
over them with its default theme (notmyidea), its default category, author,
archive and feed pages, and 30 articles per index page like our lists.

    python benchmarks/naive.py --decisions out/open-data/decisions.json --site DIR
    pelican DIR/content -s DIR/pelicanconf.py -o DIR/output
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

CONF = """AUTHOR = "示例市清河区"
SITENAME = "行政执法公示（naive Pelican）"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_PAGINATION = 30
RELATIVE_URLS = True
"""


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def prepare(decisions: Path, site: Path) -> int:
    content = site / "content"
    content.mkdir(parents=True, exist_ok=True)
    (site / "pelicanconf.py").write_text(CONF, encoding="utf-8")
    records = json.loads(decisions.read_text(encoding="utf-8"))
    for d in records:
        slug = hashlib.blake2b(d["key"].encode("utf-8"), digest_size=8).hexdigest()
        lines = [f"Title: {d['docno']}", f"Date: {d['decision_date']}", f"Modified: {d['updated']}",
                 f"Category: {d['category']}", f"Author: {d['agency_name']}", f"Slug: {slug}",
                 f"Summary: {d['summary'] or d['docno']}", "",
                 "| 项目 | 内容 |", "| --- | --- |"]
        lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in d["details"].items() if v not in (None, "")]
        (content / f"{slug}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(records)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--decisions", type=Path, required=True)
    ap.add_argument("--site", type=Path, required=True)
    args = ap.parse_args(argv)
    n = prepare(args.decisions, args.site)
    print(f"naive: {n} Markdown files in {args.site / 'content'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
