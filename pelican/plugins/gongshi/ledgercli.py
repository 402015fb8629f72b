"""``publish.py ledger …``: check and restore the publication ledger.

    python publish.py ledger verify [--site DIR]
    python publish.py ledger restore --from-backup FILE
    python publish.py ledger restore --from-site DIR

Exit status: 0 fine / restored; 1 a problem was found, or the restore was
refused (nothing changed); 2 usage; 4 a build is running.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import failures, opendata, publog
from .ledger import Ledger
from .publish import BuildBusy, Slots, build_lock
from .record import read_mark
from .restore import RestoreRefused, from_backup, from_site, site_log
from .settings import DEFAULTS

EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 4


def parser() -> argparse.ArgumentParser:
    from .cli import SETTINGS
    p = argparse.ArgumentParser(prog="publish.py ledger", description="核验或恢复发布台账（详见 docs/ledger.md）。")
    sub = p.add_subparsers(dest="action", required=True)
    verify = sub.add_parser("verify", help="核验台账（完整性、结构、发布日志的链条）；加 --site 同时核验网站的发布日志")
    verify.add_argument("--site", type=Path, help="网站目录（线上网站，即 output/）：核验其发布日志与开放数据")
    restore = sub.add_parser("restore", help="恢复台账：从备份，或从线上网站自己公开的文件")
    source = restore.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-backup", type=Path, metavar="FILE", help="台账备份文件（.output.slots/ledger-backups/ 中）")
    source.add_argument("--from-site", type=Path, metavar="DIR", help="线上网站目录（即 output/）")
    for q in (verify, restore):
        q.add_argument("--data", type=Path, help="数据目录（默认取 pelicanconf.py 的 GONGSHI_DATA_DIR）")
        q.add_argument("--output", type=Path, help="网站输出目录（默认取 pelicanconf.py 的 OUTPUT_PATH）")
        q.add_argument("--settings", type=Path, default=SETTINGS, help="Pelican 配置文件（默认 pelicanconf.py）")
    return p


def _paths(args) -> tuple[Ledger, Slots]:
    from .cli import _settings
    settings, data, output, _ = _settings(args, None)
    args.ledger_path = data / settings.get("GONGSHI_LEDGER", DEFAULTS["GONGSHI_LEDGER"])  # named in a ledger error
    return Ledger(args.ledger_path), Slots(output)


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    # A missing settings file, an unreadable ledger, Ctrl-C: one sentence, as for a build.
    with failures.Guard(args, building=False) as guard:
        return _run(args)
    return guard.code


def _run(args) -> int:
    ledger, slots = _paths(args)
    if args.action == "verify":
        problems = verify_ledger(ledger, slots) + (verify_site(args.site, ledger) if args.site else [])
        for problem in problems:
            print(problem)
        if problems:
            print(f"核验未通过：{len(problems)} 个问题（第一个问题见第一行）。")
            return EXIT_BAD
        return EXIT_OK
    try:
        with build_lock(slots.root):  # never under a running build
            if args.from_backup:
                print(from_backup(args.from_backup, ledger, slots))
            else:
                print(from_site(args.from_site, ledger, slots))
    except BuildBusy as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    except RestoreRefused as exc:
        print(f"未恢复：{exc}", file=sys.stderr)
        return EXIT_BAD
    print("现在可以照常运行构建；建议先用同一份数据构建一次，再核验：python publish.py ledger verify --site 网站目录")
    return EXIT_OK


def verify_ledger(ledger: Ledger, slots: Slots) -> list[str]:
    """The ledger's own integrity, shape and log chain, and whether it is the live site's."""
    if not ledger.exists():
        return [f"找不到发布台账 {ledger.path}。"]
    problems = ledger.check(full=True)
    if problems:
        return [f"台账 {ledger.path}：{p}" for p in problems]
    events = ledger.events(with_lines=True)
    out = []
    bad = publog.check_chain([e.line for e in events])
    if bad is not None:
        out.append(f"台账中的发布日志 {bad}")
    for e in events:
        obj = json.loads(e.line)
        if (obj.get("seq"), obj.get("date"), obj.get("event"), obj.get("key"), obj.get("digest")) != \
                (e.seq, e.day, e.event, e.key, e.digest):
            out.append(f"台账中的发布日志 第 {e.seq} 行：与该行所记的各项不一致")
            break
    state = publog.heads(events)
    for key, entry in sorted(ledger.entries().items()):
        head = state.get(key)
        if events and head is not None and (entry.taken_down is not None) != head.withdrawn:
            out.append(f"台账中的决定 {key} {'已撤回' if entry.taken_down else '正在公示'}，发布日志最后记的却不是")
    ledger.close()
    last, live = ledger.last_build(), slots.current()
    if live is not None and live.is_dir():
        mark = read_mark(live)
        agrees = last is not None and (mark is not None and mark["commit"] == last.commit_id if last.commit_id
                                       else live.name == last.slot)
        if not agrees:
            out.append(f"台账最后记录的发布不是线上网站 {slots.live} 的那一次（见 docs/ledger.md“恢复”）。")
    if not out:
        print(f"台账完好：{ledger.path}，{len(ledger.entries())} 个决定，发布日志 {len(events)} 行，"
              f"最后一次发布 {last.day.isoformat() if last else '无'}。")
    return out


def verify_site(site: Path, ledger: Ledger) -> list[str]:
    """A site's public log: its chain (vouched for at the end by what the
    数据开放 page publishes), every live decision and notice against its last
    line, and, when the ledger can be read, line by line against it."""
    root = Path(os.path.realpath(site))
    if not (root / publog.LOG).is_file():
        return [f"{root} 中没有发布日志 {publog.LOG}。"]
    lines, bad = site_log(root)
    out = [f"网站的发布日志 {bad}"] if bad is not None else []
    if ledger.exists() and not ledger.check():
        mine = ledger.log_lines()
        first = next((n for n, (a, b) in enumerate(zip(lines, mine), 1) if a != b), None)
        if first is not None:
            out.append(f"网站的发布日志 第 {first} 行：与台账中的第 {first} 行不同")
        elif len(lines) > len(mine):
            out.append(f"网站的发布日志 第 {len(mine) + 1} 行：台账中没有这一行")
    if bad is None:
        try:
            decisions = json.loads((root / "open-data" / "decisions.json").read_text(encoding="utf-8"))
            notices = json.loads((root / opendata.WITHDRAWALS).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return out + [f"无法读取网站的开放数据：{exc}"]
        out += [f"网站的开放数据与发布日志不符：{f}" for f in publog.check_records(lines, decisions, notices)]
    if not out:
        print(f"网站 {root} 的发布日志完好：{len(lines)} 行，每个公示中的决定和撤回说明都与它最后一行的记录相符。")
    return out
