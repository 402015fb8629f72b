"""The publication record kept safe: a build refuses, never guesses, when the
ledger is missing, unreadable or not the live site's; commits its record;
and backs the ledger up after every commit.

Each commit has an id, written beside the slot it made live
(``.<output>.slots/<slot>.commit``, never published) before the ledger
commits, and in the ledger's ``builds`` row. The live site and the ledger
agree when the live slot's id is the ledger's last one. A build killed
between its commit and its swap left the committed slot (with the ledger's
id) beside the live one: the next run swaps it in first (``Slots.recover``),
so that is no mismatch.

Backups: after every commit a consistent copy (SQLite's online backup) goes
to ``.<output>.slots/ledger-backups/ledger-<day>-<build id>.sqlite``, beside
the slots (never in ``data/``, which export syncs overwrite, never
published); the last ``KEEP_LAST`` are kept, and of older ones the newest of
each month.
"""
from __future__ import annotations

import json
import shlex
import sqlite3
import sys
import uuid
from datetime import date
from pathlib import Path

from .atomic import write_atomic
from .ledger import Ledger
from .publish import Slots, checkpoint

KEEP_LAST = 30
BACKUPS = "ledger-backups"


class LedgerWriteError(Exception):
    """The ledger could not be written at commit time: nothing was published."""


# --- the commit id beside a slot ---------------------------------------------

def mark_path(slot: Path) -> Path:
    return Path(slot).parent / f"{Path(slot).name}.commit"


def read_mark(slot: Path | None) -> dict | None:
    """{"commit": id, "day": ISO date} of the build that filled the slot, or None."""
    if slot is None:
        return None
    try:
        mark = json.loads(mark_path(slot).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return mark if isinstance(mark, dict) and isinstance(mark.get("commit"), str) else None


def write_mark(slot: Path, commit_id: str, day: date) -> None:
    path = mark_path(slot)
    write_atomic(path, (json.dumps({"commit": commit_id, "day": day.isoformat()}) + "\n").encode("utf-8"))


def _other_slot(slots: Slots) -> Path:
    current = slots.current()
    return slots.root / ("b" if current is not None and current.name == "a" else "a")


# --- backups -------------------------------------------------------------------

def backup_folder(slots: Slots) -> Path:
    return slots.root / BACKUPS


def backups(folder: Path) -> list[Path]:
    """The backups in the folder, oldest first (by day, then time written)."""
    return sorted(folder.glob("ledger-*.sqlite"), key=lambda p: (p.name[7:17], p.stat().st_mtime_ns, p.name))


def rotate(folder: Path, keep: int = KEEP_LAST) -> list[Path]:
    """Delete all backups but the last ``keep`` and, of the older ones, the
    newest of each month (and temporary files a killed copy left); returns
    what was deleted."""
    files = backups(folder)
    kept = set(files[-keep:]) if keep else set()
    monthly = {}
    for path in files[:-keep] if keep else files:
        monthly[path.name[7:14]] = path  # oldest first: the month's newest wins
    kept |= set(monthly.values())
    removed = [p for p in files if p not in kept] + sorted(folder.glob(".ledger-*.tmp"))
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def back_up(ledger: Ledger, slots: Slots, build_id: int, day: date) -> Path | None:
    """Copy the ledger beside the slots and rotate. A failure is a warning:
    the build is committed and goes live; the next build backs up again."""
    folder = backup_folder(slots)
    target = folder / f"ledger-{day.isoformat()}-{build_id:06d}.sqlite"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ledger.backup_to(target)
        rotate(folder)
        return target
    except (OSError, sqlite3.Error) as exc:
        print(f"警告：发布台账的备份没有写成（{exc}），本次发布不受影响；请检查 {folder} 所在磁盘。", file=sys.stderr)
        return None


def matching_backup(slots: Slots, commit_id: str | None) -> Path | None:
    """The newest backup whose last commit is ``commit_id`` (the live site's)."""
    folder = backup_folder(slots)
    if not commit_id or not folder.is_dir():
        return None
    for path in reversed(backups(folder)):
        try:
            last = Ledger(path).last_build()
        except sqlite3.Error:
            continue
        if last is not None and last.commit_id == commit_id:
            return path
    return None


# --- before a build: refuse, never guess ---------------------------------------

def command(args, *words: str) -> str:
    """The exact command line to run, with the options this run was given."""
    parts = ["python", "publish.py", *words]
    options = (("--settings", args.settings if Path(args.settings).resolve() != Path("pelicanconf.py").resolve() else None),
               ("--data", getattr(args, "data", None)), ("--output", getattr(args, "output", None)))
    for flag, value in options:
        if value:
            parts += [flag, shlex.quote(str(value))]
    return " ".join(parts)


def how_to_restore(slots: Slots, args) -> str:
    """What to run to get the live site's ledger back."""
    live = slots.current()
    lines = ["请先恢复台账（任选其一），再重新运行：" + command(args)]
    backup = matching_backup(slots, (read_mark(live) or {}).get("commit"))
    if backup is None and live is None and backup_folder(slots).is_dir():
        found = backups(backup_folder(slots))
        backup = found[-1] if found else None
    if backup is not None:
        lines.append(f"  从备份恢复（{'线上网站最后一次发布后的备份' if live else '最近的备份'}）：\n    "
                     + command(args, "ledger", "restore", "--from-backup", shlex.quote(str(backup))))
    if live is not None:
        lines.append("  从线上网站自己公开的文件恢复（开放数据、撤回说明、发布日志、页面日期）：\n    "
                     + command(args, "ledger", "restore", "--from-site", shlex.quote(str(slots.live))))
    if len(lines) == 1:
        lines.append("  没有找到备份，也没有线上网站：请从其他地方找回台账文件。")
    return "\n".join(lines)


_UNCHANGED = "线上网站和台账都没有改动。"


def before_build(ledger: Ledger, slots: Slots, today: date, args) -> str | None:
    """Why tonight's build must not run (a message with the commands that fix
    it), or None. Finishes a build killed after its commit first. Writes
    nothing when it refuses."""
    current = slots.current()
    live = current if current is not None and current.is_dir() else None
    where = f"线上网站 {slots.live}（槽位 {live.name}）" if live else ""
    if not ledger.exists():
        if live is None:
            return None  # a first build
        return (f"拒绝发布：{where}已经存在，但找不到发布台账 {ledger.path}。没有台账，各决定的首次公示、更正和撤回日期"
                f"都会丢失，已公开的决定会被当作今天新增，截断的导出也拦不下来。{_UNCHANGED}\n"
                + how_to_restore(slots, args))
    problems = ledger.check()
    if problems:
        return (f"拒绝发布：发布台账 {ledger.path} 无法读取或已损坏（{'；'.join(problems)}）。{_UNCHANGED}\n"
                + how_to_restore(slots, args))
    last = ledger.last_build()
    if last is not None and today < last.day and not getattr(args, "allow_backdated", False):
        return (f"拒绝发布：构建日期 {today.isoformat()} 早于台账最后一次发布的日期 {last.day.isoformat()}。系统时钟可能有误；"
                f"按这个日期构建会重新公开已经到期撤下的决定，并把公示、更正和撤回日期记错。{_UNCHANGED}\n"
                f"请核对系统时间和 --today；确需按较早的日期构建，请加 --allow-backdated：\n  "
                + command(args, "--today", today.isoformat(), "--allow-backdated"))
    if last is not None and last.slot and (live is None or live.name != last.slot):
        # Killed after its commit: the committed slot carries the ledger's last id,
        # and the live one an earlier id the ledger knows. (An older copy of the
        # ledger would know neither the live id nor leave it: no swap back to the past.)
        committed, live_mark = slots.root / last.slot, read_mark(live)
        if last.commit_id is None or ((read_mark(committed) or {}).get("commit") == last.commit_id
                                      and (live_mark is None or ledger.knows(live_mark["commit"]))):
            if slots.recover(last.slot):
                print("注意：上次构建已提交台账但未切换网站，已完成切换。", file=sys.stderr)
                live = slots.current()
                where = f"线上网站 {slots.live}（槽位 {live.name}）"
    if live is not None:
        mark = read_mark(live)
        if last is None:
            agrees = False
        elif last.commit_id:
            agrees = mark is not None and mark["commit"] == last.commit_id
        else:  # a ledger of an earlier version: slots had no commit id
            agrees = live.name == last.slot
        if not agrees:
            said = f"最后记录的发布是 {last.day.isoformat()}（槽位 {last.slot}）" if last else "没有任何发布记录"
            return (f"拒绝发布：发布台账 {ledger.path} {said}，与{where}"
                    f"{'（发布于 ' + mark['day'] + '）' if mark and mark.get('day') else ''}不一致："
                    f"台账可能被换成了旧的副本或别处的台账，按它构建会改错公示、更正和撤回日期。{_UNCHANGED}\n"
                    + how_to_restore(slots, args))
    mark_path(_other_slot(slots)).unlink(missing_ok=True)  # that slot is about to change
    return None


# --- the commit ----------------------------------------------------------------

def _why(exc: BaseException) -> str:
    text = str(exc)
    for needle, said in (("disk is full", "磁盘已满"), ("No space", "磁盘已满"), ("readonly", "台账或其所在目录是只读的"),
                         ("Read-only", "台账或其所在目录是只读的"), ("unable to open", "无法打开台账文件或建立其日志文件"),
                         ("disk I/O", "磁盘读写出错"), ("locked", "台账被其他程序锁住")):
        if needle in text:
            return f"{said}；{type(exc).__name__}: {text}"
    return f"{type(exc).__name__}: {text}"


def commit(ledger: Ledger, slots: Slots, slot: Path, site, today: date, summary: dict, page_changes) -> None:
    """Record tonight's build: the commit id beside the slot, then the ledger
    (entries, page dates, public-log events, build) in one transaction, then
    a backup. Raises ``LedgerWriteError`` (nothing published) when the
    ledger cannot be written."""
    commit_id = uuid.uuid4().hex
    log = site.publication.log
    try:
        write_mark(slot, commit_id, today)
        checkpoint("marked")
        build_id = ledger.commit(site.publication.changed, today, slot.name, summary, *page_changes,
                                 events=log.new, versions=log.versions, commit_id=commit_id)
    except (sqlite3.Error, OSError) as exc:
        raise LedgerWriteError(
            f"发布台账 {ledger.path} 无法写入（{_why(exc)}）。本次未发布任何内容，线上网站和台账都保持原样。"
            f"请检查磁盘空间和台账所在目录的写权限，然后重新运行。") from None
    back_up(ledger, slots, build_id, today)
