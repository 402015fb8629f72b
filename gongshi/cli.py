"""The command line (DATA-CONTRACT §3): a thin layer over the library.

    python publish.py [--data DIR] [--output DIR] [--today YYYY-MM-DD]
    python publish.py check [--data DIR] [--json]

Exit status: 0 published (or, for check, the data is valid); 1 the data has
problems (for a build: file-level ones, nothing was published); 3 the build
failed for another reason (nothing was published).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path

from .pipeline import prepare, today_in_shanghai
from .load import load_dataset
from .problems import Report

EXIT_OK, EXIT_DATA, EXIT_FAILED = 0, 1, 3
ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "build": "生成并发布网站（默认命令，可省略）",
    "check": "只校验数据目录，列出全部问题，不生成网站",
}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="publish.py", description="行政执法公示网站生成工具：把 data/ 中的导出文件发布为静态网站。")
    p.add_argument("command", nargs="?", choices=list(COMMANDS), default="build",
                   help="; ".join(f"{k}: {v}" for k, v in COMMANDS.items()))
    p.add_argument("--data", type=Path, help="数据目录（默认取 pelicanconf.py 的 GONGSHI_DATA_DIR，即 data/）")
    p.add_argument("--output", type=Path, help="网站输出目录（默认取 pelicanconf.py 的 OUTPUT_PATH，即 output/）")
    p.add_argument("--today", type=_date, help="构建日期 YYYY-MM-DD（默认：上海时区的今天），用于到期判断与统计")
    p.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py", help="Pelican 配置文件（默认 pelicanconf.py）")
    p.add_argument("--json", action="store_true", help="check：以 JSON 输出问题列表")
    return p


def print_problems(report: Report, out=None) -> None:
    out = out or sys.stdout
    for problem in report.sorted():
        print(str(problem), file=out)


def _summary(report: Report) -> str:
    fatal = len(report.fatal)
    rows = len(report.problems) - fatal
    return f"共 {len(report.problems)} 个问题：{fatal} 个文件级问题（阻止发布），{rows} 个行级问题（该行暂缓发布）"


def _settings(args, today: date):
    from pelican.settings import read_settings

    settings = read_settings(str(args.settings))
    base = Path(args.settings).resolve().parent
    data = args.data or base / settings.get("GONGSHI_DATA_DIR", "data")
    output = args.output or Path(settings["OUTPUT_PATH"])
    return settings, Path(data).resolve(), Path(output).absolute(), today


def run_check(args) -> int:
    settings, data, _, today = _settings(args, args.today or today_in_shanghai())
    ds = load_dataset(data, today)
    if args.json:
        json.dump({"valid": ds.report.ok, "problems": ds.report.as_json()}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_problems(ds.report)
        print("数据校验通过。" if ds.report.ok else _summary(ds.report))
    return EXIT_OK if ds.report.ok else EXIT_DATA


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def run_build(args) -> int:
    from pelican import Pelican
    from pelican.log import console

    from .publish import Slots, merge_tree, prune

    settings, data, output, today = _settings(args, args.today or today_in_shanghai())
    site = prepare(data, today)
    if site.report.fatal:
        print_problems(site.report, sys.stderr)
        print(f"数据有文件级问题，未发布任何内容，线上网站保持不变。{_summary(site.report)}", file=sys.stderr)
        return EXIT_DATA

    slots = Slots(output)
    slot = slots.next()
    produced: dict[str, bool] = {}
    settings.update(OUTPUT_PATH=str(slots.scratch()), GONGSHI_TARGET=str(slot), GONGSHI_SITE=site,
                    GONGSHI_WRITTEN=produced, GONGSHI_DATA_DIR=str(data), GONGSHI_TODAY=today.isoformat(),
                    DELETE_OUTPUT_DIRECTORY=False)
    errors = _ErrorCounter()
    logging.getLogger("pelican").addHandler(errors)
    console.quiet = True  # our own report replaces Pelican's "Done: …" line
    try:
        Pelican(settings).run()
    except Exception as exc:  # any failure: the live slot was never touched
        print(f"构建失败，未发布任何内容，线上网站保持不变：{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        console.quiet = False
        logging.getLogger("pelican").removeHandler(errors)
    if errors.messages:
        print("构建出错，未发布任何内容，线上网站保持不变：\n" + "\n".join(errors.messages), file=sys.stderr)
        return EXIT_FAILED
    merge_tree(Path(settings["OUTPUT_PATH"]), slot, produced)
    removed = prune(slot, produced)
    slots.swap(slot)

    if site.report.problems:
        print_problems(site.report)
        print(_summary(site.report))
    written = sum(produced.values())
    print(f"已发布：{len(site.decisions)} 个执法决定，{len(site.entities)} 个执法主体，"
          f"{len(site.staff)} 名执法人员，{len(site.checklists)} 个清单；"
          f"撤下或到期 {len(site.withdrawn)} 个；暂缓发布 {len(site.report.problems)} 行。")
    print(f"文件：共 {len(produced)} 个，其中写入 {written} 个，删除 {len(removed)} 个；网站目录：{output}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        return run_check(args)
    return run_build(args)
