"""Regenerate search_regression.json from a build of the bundled example data.

    python tests/browser/make_search_regression.py OUTPUT_DIR

OUTPUT_DIR is a site built from data/ with --today 2026-11-22. Every full
name of a non-natural target (companies, 个体工商户), every 文书号, and a list
of terms people search for; each with the pages it must find (for terms: every
record page whose indexed text contains the term). Review the diff before
committing: this file is the contract the browser test holds search to.
"""
from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path


TERMS = ["安全生产", "罚款", "责令停产停业", "警告", "没收违法所得", "食品安全", "营业执照", "消防",
         "行政许可", "行政检查", "行政强制", "查封", "卫生许可证", "责令改正", "有限公司",
         "示例市清河区应急管理局", "示例市清河区市场监督管理局", "示例市清河区消防救援大队",
         "示例市生态环境局清河分局", "示例市清河区交通运输局"]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from indexed_text import indexed_pages  # noqa: E402


def build_set(site: Path) -> list[dict]:
    site = Path(os.path.realpath(site))
    decisions = json.loads((site / "open-data/decisions.json").read_text(encoding="utf-8"))
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d in decisions:
        names[("docno", d["docno"])].add("/" + d["url"])
        if d["target_type"] != "自然人":
            kind = "个体工商户" if d["target_type"] == "个体工商户" else "name"
            names[(kind, d["target_name"])].add("/" + d["url"])
    pages = indexed_pages(site)
    out = [{"query": q, "kind": kind, "expect": sorted(urls)} for (kind, q), urls in sorted(names.items())]
    for term in TERMS:
        urls = sorted(u for u, text in pages.items() if term in text)
        assert urls, f"term {term} is on no page: pick another"
        out.append({"query": term, "kind": "term", "expect": urls})
    return out


if __name__ == "__main__":
    data = build_set(Path(sys.argv[1]))
    (HERE / "search_regression.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data)} queries written")
