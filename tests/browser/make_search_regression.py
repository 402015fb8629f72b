"""Regenerate search_regression.json from a build of the bundled example data.

    python tests/browser/make_search_regression.py OUTPUT_DIR

OUTPUT_DIR is a site built from data/ with --today 2026-11-22. The queries, by
kind, each with the pages it must find:

* ``name``, ``个体工商户``: every full name of a non-natural target; ``docno``:
  every 文书号 (the decision pages carrying it);
* ``part``: four characters of names after their district ("华泰文化", what
  people remember) and 个体工商户 names without their district ("远航烟酒商行"),
  ``term``: words people search for, ``code``: credit codes — each with every
  record page whose indexed text contains it;
* ``withdrawn``: the 文书号 of every withdrawal notice, with the notice page
  (and in ``live`` the record pages that contain it anyway);
* ``madeup``: names and codes of no record, which must find nothing.

Review the diff before committing: this file is the contract the browser test
holds search to.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path


TERMS = ["安全生产", "罚款", "责令停产停业", "警告", "没收违法所得", "食品安全", "营业执照", "消防",
         "行政许可", "行政检查", "行政强制", "查封", "卫生许可证", "责令改正", "有限公司",
         "示例市清河区应急管理局", "示例市清河区市场监督管理局", "示例市清河区消防救援大队",
         "示例市生态环境局清河分局", "示例市清河区交通运输局"]
MADE_UP = ["示例市清河区宏大科技有限公司", "示例市清河区华泰机械制造有限公司", "清河区远航烟酒商行",
           "示例市万里无云贸易有限公司", "91110199MA00000000", "92110199MAXXXXXX00", "清应急罚〔2099〕1号"]
PARTS = 60  # name parts kept (from every n-th distinct name)
CODES = 100  # credit codes kept (every n-th)
SHOPS = 20  # 个体工商户 names kept without their district
_DISTRICT = re.compile(r"^(示例市)?(第\d+区|[^区县]{1,4}[区县])?")
_NOTICE = re.compile(r'<a href="\.\./\.\./(decisions/[^"/]+/[^"/]+\.html)">([^<]+)</a>')
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))
from indexed_text import indexed_pages  # noqa: E402
from pelican.plugins.gongshi.fieldindex import normalize  # noqa: E402


def containing(pages: dict[str, str], text: str) -> list[str]:
    key = normalize(text)
    return sorted(url for url, page in pages.items() if key in page)


def build_set(site: Path) -> list[dict]:
    site = Path(os.path.realpath(site))
    decisions = json.loads((site / "open-data/decisions.json").read_text(encoding="utf-8"))
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d in decisions:
        names[("docno", d["docno"])].add("/" + d["url"])
        if d["target_type"] != "自然人":
            kind = "个体工商户" if d["target_type"] == "个体工商户" else "name"
            names[(kind, d["target_name"])].add("/" + d["url"])
    pages = {url: normalize(text) for url, text in indexed_pages(site).items()}
    out = [{"query": q, "kind": kind, "expect": sorted(urls)} for (kind, q), urls in sorted(names.items())]
    for term in TERMS:
        urls = containing(pages, term)
        assert urls, f"term {term} is on no page: pick another"
        out.append({"query": term, "kind": "term", "expect": urls})
    distinct = sorted({q for kind, q in names if kind != "docno"})
    parts = {_DISTRICT.sub("", q)[:4] for q in distinct[::max(1, len(distinct) // PARTS)]}
    shops = sorted(q for kind, q in names if kind == "个体工商户")  # typed without the district (issue 24)
    parts |= {_DISTRICT.sub("", q) for q in shops[::max(1, len(shops) // SHOPS)]}
    out += [{"query": p, "kind": "part", "expect": containing(pages, p)} for p in sorted(parts) if len(p) >= 4]
    codes = {d["target_code"] for d in decisions if d["target_code"]}
    codes |= {e["统一社会信用代码"] for e in _entities(site)}
    codes = sorted(codes)[::max(1, len(codes) // CODES)]
    out += [{"query": c, "kind": "code", "expect": containing(pages, c)} for c in codes]
    listing = (site / "decisions/withdrawn/index.html").read_text(encoding="utf-8")
    for url, docno in sorted(set(_NOTICE.findall(listing)), key=lambda x: x[1]):
        out.append({"query": docno, "kind": "withdrawn", "expect": ["/" + url], "live": containing(pages, docno)})
    for q in MADE_UP:
        assert not containing(pages, q), f"made-up {q} is on a page: pick another"
        out.append({"query": q, "kind": "madeup", "expect": []})
    return out


def _entities(site: Path) -> list[dict]:
    import csv

    with open(site / "open-data/entities.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


if __name__ == "__main__":
    data = build_set(Path(sys.argv[1]))
    (HERE / "search_regression.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data)} queries written")
