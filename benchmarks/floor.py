#!/usr/bin/env python3
"""The floor: the least any generator must do to publish these decisions.

Read the decision files with pandas, render each row with ONE compiled jinja2
template (no validation, no redaction, no lists, no theme inheritance), and
write one HTML file per page into the same folder layout as the real site
(``decisions/<agency code>/<n>.html``), in 2 processes. ``benchmarks/run.py``
times it next to the real build on the same data; the real build's target is
within 1.5x of this.

    python benchmarks/floor.py --data DIR --out DIR [--pages N] [--processes 2]

``--pages`` makes it write exactly N pages (cycling over the rows) and
``--page-bytes`` pads each page with a static comment to about that size, so it
writes as many files of the same average size as the real build does (the file
system is most of the cost).
"""
from __future__ import annotations

import argparse
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import jinja2
import pandas as pd

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ r["文书号"] }} - 行政执法公示</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="{{ root }}/theme/css/site.css"></head>
<body><header><a href="{{ root }}/index.html">示例市清河区行政执法公示平台</a>
<nav><a href="{{ root }}/index.html">首页</a> <a href="{{ root }}/decisions/index.html">执法决定</a>
<a href="{{ root }}/entities/index.html">执法主体</a> <a href="{{ root }}/staff/index.html">执法人员</a></nav></header>
<main><h1>{{ r["文书号"] }}</h1>
<table>{% for k, v in r.items() %}{% if v %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endif %}{% endfor %}</table>
<p>如对本决定不服，可以依法申请行政复议或者提起行政诉讼。法律规定的申请期限：行政复议一般为知道或者应当知道该行政行为之日起六十日内；行政诉讼一般为知道或者应当知道作出行政行为之日起六个月内。具体以决定文书告知的内容为准。</p>
</main><footer><p>主办单位：示例市清河区人民政府司法局</p></footer>{{ pad }}</body></html>
"""

DOCNO = ("行政处罚决定书文号", "行政许可决定文书号", "决定文书号")
AGENCY = ("处罚机关统一社会信用代码", "许可机关统一社会信用代码", "执法机关统一社会信用代码")


def read_rows(data: Path) -> list[dict]:
    rows = []
    for path in sorted((data / "decisions").glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        docno = next(c for c in DOCNO if c in df.columns)
        agency = next(c for c in AGENCY if c in df.columns)
        df = df.rename(columns={docno: "文书号", agency: "机关代码"})
        rows.extend(df.to_dict("records"))
    return rows


_ROWS: list[dict] = []


def _work(args) -> int:
    out, start, stop, pad_to = args
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    sample = len(template.render(r=_ROWS[0], root="../..", pad="").encode("utf-8"))
    pad = "<!--" + "x" * max(0, pad_to - sample - 7) + "-->" if pad_to > sample else ""
    written = 0
    for i in range(start, stop):
        r = _ROWS[i % len(_ROWS)]
        rel = f"decisions/{r['机关代码']}/{i}.html"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(template.render(r=r, root="../..", pad=pad).encode("utf-8"))
        written += 1
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pages", type=int, default=0, help="pages to write (default: one per row)")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--page-bytes", type=int, default=0,
                    help="pad pages (with a static comment) to about this size, to match the real pages")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    global _ROWS
    _ROWS = read_rows(args.data)
    n = args.pages or len(_ROWS)
    args.out.mkdir(parents=True, exist_ok=True)
    step = -(-n // (args.processes * 8))
    chunks = [(args.out, s, min(n, s + step), args.page_bytes) for s in range(0, n, step)]
    with get_context("fork").Pool(args.processes) as pool:  # rows shared copy-on-write
        written = sum(pool.map(_work, chunks))
    print(f"floor: {written} pages in {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
