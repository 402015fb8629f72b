"""The command line (DATA-CONTRACT §3): a thin layer over the library.

    python publish.py [--data DIR] [--output DIR] [--today YYYY-MM-DD]
    python publish.py check [--data DIR] [--json]

Exit status: 0 published (or, for check, the data is valid); 1 the data has
problems (for a build: file-level ones, or too many published decisions
missing: nothing was published); 2 usage or settings error; 3 the build failed
for another reason (nothing published); 4 another build is running; 5
published, but rows were held back for problems; 130 / 143 stopped by SIGINT /
SIGTERM (nothing published). Every failure is one sentence (failures.py).
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import shutil
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from pelican import Pelican
from pelican.log import console
from pelican.settings import read_settings

from . import cache, failures, handover, manifest, publog, record, rules, search
from .atomic import temp_beside
from .failures import EXIT_FAILED
from .generator import side_process
from .ledger import Ledger
from .load import load_dataset
from .pagedates import PageDates
from .pipeline import prepare, today_in_shanghai
from .problems import Report
from .stager import Stager
from .publish import BuildBusy, Slots, build_lock, checkpoint, merge_tree
from .settings import DEFAULTS, missing_images

EXIT_OK, EXIT_DATA, EXIT_BUSY, EXIT_HELD = 0, 1, 4, 5  # 2, 3, 130, 143: failures.py
SHOWN_KEYS = 10  # per kind on the console; the JSON report has them all
ERROR_LOG = "publish-error.log"  # beside the report: tracebacks for developers
# The site repository is where the command runs (publish.py, pelicanconf.py, data/).
SETTINGS = Path("pelicanconf.py")
NO_FULL_COLLECTION = 1 << 30  # a threshold the oldest generation never reaches

COMMANDS = {
    "build": "生成并发布网站（默认命令，可省略）",
    "check": "只校验数据目录，列出全部问题，不生成网站",
    "ledger": "发布台账：ledger verify [--site 网站目录] 核验；ledger restore --from-backup 文件 | --from-site 网站目录 恢复",
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
    p.add_argument("--settings", type=Path, default=SETTINGS, help="Pelican 配置文件（默认 pelicanconf.py）")
    p.add_argument("--json", action="store_true", help="check：以 JSON 输出问题列表")
    p.add_argument("--allow-mass-removal", action="store_true",
                   help="即使大量已公开的决定不在本次导出中也照常发布（默认拒绝，防止截断的导出清空网站）")
    p.add_argument("--debug", action="store_true",
                   help="出错时在屏幕上也打印完整的 Python 调用栈（供技术人员排查；它总会写入 publish-error.log）")
    p.add_argument("--allow-backdated", action="store_true",
                   help="即使构建日期早于台账最后一次发布的日期也照常构建（默认拒绝：系统时钟可能有误）")
    return p


def print_problems(report: Report, out=None) -> None:
    out = out or sys.stdout
    for problem in report.sorted():
        print(str(problem), file=out)


def print_notes(report: Report, out=None) -> None:
    """What was done to the input without holding anything back (columns.csv renames, cleaned 文书号)."""
    for note in report.notes:
        print(f"说明：{note.file}:{note.row or ''}:{note.column or ''}: {note.message}", file=out or sys.stdout)


def _summary(report: Report) -> str:
    fatal = len(report.fatal)
    rows = len(report.problems) - fatal
    return f"共 {len(report.problems)} 个问题：{fatal} 个文件级问题（阻止发布），{rows} 个行级问题（该行暂缓发布）"


def _settings(args, today: date):
    if not Path(args.settings).is_file():
        raise failures.SettingsError(f"找不到配置文件 {Path(args.settings).absolute()}：请在站点目录（pelicanconf.py 所在的"
                                     "目录）中运行，或用 --settings 指明配置文件")
    try:
        settings = read_settings(str(args.settings))
    except Exception as exc:  # a Python error in it
        raise failures.SettingsError(f"配置文件 {args.settings} 无法读取（{type(exc).__name__}: {exc}）") from exc
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    rules.enabled(settings)  # a wrong rule name stops here, before anything is read
    base = Path(args.settings).resolve().parent
    data = Path(args.data or base / settings["GONGSHI_DATA_DIR"]).resolve()
    output = args.output or Path(settings["OUTPUT_PATH"])
    args.error_log = (data / settings["GONGSHI_REPORT"]).with_name(ERROR_LOG)  # for failures.Guard
    return settings, data, Path(output).absolute(), today


def run_check(args) -> int:
    settings, data, _, today = _settings(args, args.today or today_in_shanghai())
    ds = load_dataset(data, today)
    checkpoint("checked")
    if args.json:
        json.dump({"valid": ds.report.ok, "problems": ds.report.as_json(),
                   "notes": [n.as_dict() for n in ds.report.notes]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_notes(ds.report)
        print_problems(ds.report)
        print("数据校验通过。" if ds.report.ok else _summary(ds.report))
    return EXIT_OK if ds.report.ok else EXIT_DATA


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class _Timer:
    def __init__(self):
        self.start, self.laps = time.perf_counter(), {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.start, 2)
        self.start = now


def _report(site, produced, removed, output, status) -> dict:
    pub = site.publication
    return {
        "build_day": site.today.isoformat(), "status": status, "output": str(output),
        "published": len(site.decisions), "new": pub.new, "corrected": pub.corrected,
        "taken_down": pub.taken_down, "withdrawn_total": len(site.notices),
        "kept_last_good_version": pub.kept, "missing_from_export": site.missing,
        "held_back": [p.as_dict() for p in site.report.sorted()],
        "notes": [n.as_dict() for n in site.report.notes],
        "not_published_by_rule": sorted(site.by_rule),
        "not_published_by_rule_counts": dict(sorted(Counter(site.by_rule.values()).items())),
        "late": [t.as_dict() for t in pub.late],
        "calendar_warnings": site.calendar.warnings(),
        "decision_files": list(site.files),
        "files": {"total": len(produced), "written": sum(produced.values()), "removed": len(removed)},
    }


def _stage_report(path: Path, report: dict) -> Path:
    """Write the report beside its place; the caller renames it there once published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(path)
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return tmp


def _kind(label: str, items: list[str], note: str = "", unit: str = "个") -> str:
    """One kind of the nightly summary: how many, and the first SHOWN_KEYS of them."""
    line = f"{label} {len(items)} {unit}{note}"
    if not items:
        return line + "。"
    more = f" …及另外 {len(items) - SHOWN_KEYS} {unit}" if len(items) > SHOWN_KEYS else ""
    return f"{line}：{'、'.join(items[:SHOWN_KEYS])}{more}"


def _held_rows(report: Report) -> list[str]:
    """file:row of every row held back for a problem, once each."""
    return list(dict.fromkeys(f"{p.file}:{p.row}" for p in report.sorted() if p.row is not None))


def _siteurl_warnings(settings) -> list[str]:
    if settings.get("SITEURL"):
        return []
    return ["警告：没有设置 SITEURL（网站的正式地址）：本次没有生成 sitemap.xml（站点地图只能使用绝对网址），"
            "订阅源中的链接是相对地址。本机预览可以忽略；正式发布前请在 pelicanconf.py 中设置 "
            "SITEURL = \"https://本站域名\"。"]


def _print_summary(site, report: dict, report_path: Path) -> None:
    pub = site.publication
    print(f"已发布：{len(site.decisions)} 个执法决定，{len(site.entities)} 个执法主体，"
          f"{len(site.staff)} 名执法人员，{len(site.checklists)} 个清单。")
    by_rule = "，".join(f"{rule} {n} 个" for rule, n in report["not_published_by_rule_counts"].items())
    late = [t for t in pub.late if t.done == site.today]  # tonight's; the JSON report has all
    for line in (
        _kind("新增", pub.new),
        _kind("更正", pub.corrected),
        _kind("撤下", pub.taken_down, f"（撤回公告共 {len(site.notices)} 个）"),
        _kind("暂缓发布", _held_rows(site.report), "（原因见上方的问题列表）" if site.report.problems else "", "行"),
        _kind(rules.REASON, report["not_published_by_rule"], f"（{by_rule}；仍计入统计年报）" if by_rule else ""),
        _kind("超时", [f"{t.key}（{t.category}，应于 {t.due.isoformat()} 前完成，实际 {t.done.isoformat()}）"
                      for t in late], f"（本次新出现；累计 {len(pub.late)} 个，见完整报告）"),
    ):
        print(line)
    if site.missing:
        print(_kind("导出中缺失", site.missing, "（已公开过、本次导出中没有，沿用上次的版本；"
                                             "如需撤下请在 takedowns.csv 中登记）"))
    for warning in site.calendar.warnings() + report["settings_warnings"]:
        print(warning)
    files = report["files"]
    print(f"文件：共 {files['total']} 个，写入 {files['written']} 个，删除 {files['removed']} 个；"
          f"网站目录：{report['output']}；完整报告：{report_path}")


def run_build(args) -> int:
    settings, data, output, today = _settings(args, args.today or today_in_shanghai())
    if not data.is_dir():  # (said first: a wrong --data is not a lost ledger)
        print_problems(load_dataset(data, today).report, sys.stderr)
        return EXIT_DATA
    ledger = Ledger(data / settings["GONGSHI_LEDGER"])
    args.ledger_path = ledger.path  # named if the ledger cannot be read or written (failures.Guard)
    report_path = data / settings["GONGSHI_REPORT"]
    slots = Slots(output)
    try:
        with build_lock(slots.root) as stale:
            if stale:
                print(f"注意：上次构建（{stale}）未正常结束；线上网站未受影响，本次重新构建。", file=sys.stderr)
            refusal = record.before_build(ledger, slots, today, args)  # (finishes a build killed after its commit)
            if refusal:
                print(refusal, file=sys.stderr)
                return EXIT_DATA
            checkpoint("locked")
            enabled, thresholds = gc.isenabled(), gc.get_threshold()
            try:
                return _build(args, settings, data, output, today, ledger, report_path, slots)
            finally:
                gc.unfreeze()  # (_build freezes the prepared site; tests run many builds in one process)
                gc.set_threshold(*thresholds)  # (and stops full collections)
                if enabled:  # (_build also switches the collector off for a while)
                    gc.enable()
    except BuildBusy as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    finally:
        ledger.close()


def _refuse_mass_removal(args, settings, site, entries, ledger: Ledger) -> bool:
    """A truncated export must not empty the site: refuse, naming the decision
    files the last build read that are gone, and the decisions missing."""
    published = sum(1 for e in entries.values() if e.taken_down is None)
    share = float(settings["GONGSHI_MAX_VANISHED_SHARE"])
    if not published or len(site.missing) <= share * published or args.allow_mass_removal:
        return False
    print(f"拒绝发布：已公开的 {published} 个决定中有 {len(site.missing)} 个不在本次导出中"
          f"（超过 {share:.0%}），导出可能不完整。线上网站保持不变。"
          f"请检查导出文件；如确需发布，请加 --allow-mass-removal。", file=sys.stderr)
    last = ledger.last_summary().get("decision_files")
    if last is not None:  # (builds before this was recorded did not keep it)
        gone = [f for f in last if f not in set(site.files)]
        print(_kind("  上次构建读取过、这次不在的文件", gone) if gone else
              "  上次构建读取过的文件这次都在：缺失的是这些文件中的行，请检查导出是否被截断。", file=sys.stderr)
    print(_kind("  缺失的决定", site.missing), file=sys.stderr)
    return True


def _build(args, settings, data, output, today, ledger: Ledger, report_path: Path, slots: Slots) -> int:
    timer = _Timer()
    entries = ledger.entries()
    build_cache = cache.for_ledger(ledger.path)
    # Started now, the side process imports and reads its memo while the site
    # is prepared (on the core that leaves idle); it never outlives the build.
    side = side_process(build_cache, settings, len(entries))
    try:
        # The collector stays off until the one collection below: switched on after
        # prepare, its first automatic pass would walk every prepared object (~0.5 s
        # at 100 000 decisions) just before that collection walks them all again.
        gc.disable()
        site = prepare(data, today, entries, settings, build_cache)
        if site.report.fatal:
            print_problems(site.report, sys.stderr)
            print(f"数据有文件级问题，未发布任何内容，线上网站保持不变。{_summary(site.report)}", file=sys.stderr)
            return EXIT_DATA
        if _refuse_mass_removal(args, settings, site, entries, ledger):
            return EXIT_DATA
        site.publication.log = publog.tonight(site, ledger)
        # The prepared site lives as long as this process: the collector never
        # walks it (at 100 000 decisions each full collection walks millions of
        # objects). Loading leaves no cycles (workbooks' are collected as read).
        gc.freeze()
        # Nor do full collections run: what outlives two young collections lives
        # until the build ends (measured on a night at 100 000 decisions: 28 full
        # collections, 2.4 s, not one object collected, a third of it while the
        # search purges). Young collections still reclaim short-lived cycles.
        gc.set_threshold(*gc.get_threshold()[:2], NO_FULL_COLLECTION)
        gc.enable()
        timer.lap("prepare")
        checkpoint("prepared")

        staged = _stage(settings, site, slots, ledger, data, today, timer, side)
        if staged is None:
            return EXIT_FAILED
        slot, stager, dates, removed = staged
        timer.lap("stage")
        report = _report(site, stager.written, removed, output, "published")
        report["settings_warnings"] = missing_images(settings, stager.entries) + _siteurl_warnings(settings)
        report["seconds"] = timer.laps  # where the night went: for webmasters and benchmarks/run.py
        return _publish(site, report, report_path, slot, slots, ledger, dates, today, build_cache)
    finally:
        side.kill()


def _render(settings, build: handover.Build, slots: Slots, data, today) -> bool:
    """Pelican's run over the build; False after saying why it failed."""
    # Pelican's OUTPUT_PATH is scratch for the static files it copies itself;
    # everything else is written into the slot (writer.StagingWriter).
    settings.update(OUTPUT_PATH=str(slots.scratch()), GONGSHI_DATA_DIR=str(data), GONGSHI_TODAY=today.isoformat(),
                    DELETE_OUTPUT_DIRECTORY=False)
    errors = _ErrorCounter()
    logging.getLogger("pelican").addHandler(errors)
    console.quiet = True  # our own report replaces Pelican's "Done: …" line
    try:  # an exception goes to failures.Guard: one sentence, the traceback in the error log
        with handover.handing_over(build):
            Pelican(settings).run()
    finally:
        console.quiet = False
        logging.getLogger("pelican").removeHandler(errors)
    if errors.messages:
        print("构建出错，未发布任何内容，线上网站保持不变：\n" + "\n".join(errors.messages), file=sys.stderr)
        return False
    return True


def _stage(settings, site, slots: Slots, ledger: Ledger, data, today, timer, side=None):
    """Render and index into the slot that is not live. Returns (slot, stager,
    page dates, removed files), or None after saying why it failed."""
    live = slots.current()
    slot = slots.next()
    # The slot's manifest stops being true before the slot is touched (manifest.py).
    live_manifest = manifest.load(live) if live else None
    stager = Stager(slot, live, manifest.load(slot, like=live_manifest), live_manifest)
    manifest.forget(slot)
    dates = PageDates(ledger.page_dates(), today)
    build = handover.Build(site, stager, dates, side=side)
    try:  # the field index's process (build.pending) never outlives this
        if not _render(settings, build, slots, data, today):
            return None
        timer.lap("render")
        checkpoint("rendered")
        merge_tree(Path(settings["OUTPUT_PATH"]), stager)
        # The search index is built from the staged slot once stale pages are gone,
        # so it holds exactly what goes live (never a taken-down decision). The
        # side process may still be writing (the field index, the feeds): its
        # folders are pruned after it is joined.
        removed = stager.prune(keep=(search.BUNDLE + "/",) + build.writing())
        try:
            search.index_slot(slot, stager, site)
        except search.SearchIndexError as exc:
            print(f"构建失败，未发布任何内容，线上网站保持不变：{exc}", file=sys.stderr)
            return None
        build.join()
    finally:
        build.kill()
    timer.lap("search")
    removed += stager.prune()
    manifest.save(slot, stager.entries)
    shutil.rmtree(settings["OUTPUT_PATH"], ignore_errors=True)
    checkpoint("staged")
    return slot, stager, dates, removed


def _publish(site, report, report_path: Path, slot: Path, slots: Slots, ledger: Ledger, dates, today,
             build_cache) -> int:
    summary = {k: (len(v) if isinstance(v, list) else v) for k, v in report.items()}
    summary["decision_files"] = report["decision_files"]  # named by the next refusal (_refuse_mass_removal)
    pending = _stage_report(report_path, report)
    # The commit point: the ledger records the slot; a build killed right after
    # this is finished by the next one (record.before_build). From here a signal waits.
    state = failures.publishing()
    try:
        record.commit(ledger, slots, slot, site, today, summary, dates.changes())
    except record.LedgerWriteError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    state.committed = True
    checkpoint("committed")
    slots.swap(slot)
    state.swapped = True
    checkpoint("swapped")
    try:
        pending.replace(report_path)
        build_cache.prune()  # what tonight did not use (old versions of the files)
    except OSError as exc:
        print(f"警告：本次构建已发布，但{exc.filename or '完整报告或构建缓存'}无法写入或清理：{exc.strerror or exc}。"
              f"请检查磁盘空间和权限。", file=sys.stderr)
    if site.report.problems:
        print_problems(site.report)
        print(_summary(site.report))
    _print_summary(site, report, report_path)
    late = failures.late_signal()
    if late:
        print(f"注意：收到{late}时本次构建正在提交，已完整发布后才退出。", file=sys.stderr)
    return EXIT_HELD if site.report.problems else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ledger"]:
        from .ledgercli import main as ledger_main
        return ledger_main(argv[1:])
    args = parser().parse_args(argv)
    with failures.Guard(args, building=args.command == "build") as guard:
        if args.command == "check":
            return run_check(args)
        return run_build(args)
    return guard.code
