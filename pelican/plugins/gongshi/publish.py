"""Publishing without ever breaking the live site.

The live output path is a symbolic link to one of two slot folders kept beside
it (``.<name>.slots/a`` and ``/b``). A build updates the slot that is not live
(writing only files whose bytes changed, deleting files it no longer
produces; the slot's manifest says what it holds without reading it, see
manifest.py), then switches the link with one atomic rename. A build that fails
or is killed leaves the live slot, and so the live site, untouched.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import blinker

from .stager import Stager


class BuildBusy(RuntimeError):
    pass


@contextmanager
def build_lock(folder: Path):
    """One build at a time. flock is released by the kernel when the holder
    dies, so a lock left by a killed build is never in the way; we only say so."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "build.lock"
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "未知进程"
        handle.close()
        raise BuildBusy(f"另一个构建正在运行（{holder}），本次未发布任何内容；请等它结束后再运行") from None
    handle.seek(0)
    stale = handle.read().strip()
    handle.seek(0)
    handle.truncate()
    handle.write(f"进程 {os.getpid()}，开始于 {time.strftime('%Y-%m-%d %H:%M:%S')}")
    handle.flush()
    try:
        yield stale  # the previous holder's line when it was killed (kill -9, power loss)
    finally:  # a build that failed or was stopped by a signal said so itself
        handle.seek(0)
        handle.truncate()
        handle.flush()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


# The build's stages (locked, prepared, rendered, staged, marked, committed,
# swapped; checked for ``check``), sent with the stage's name. Nothing in the
# build listens: the fault-injection tests connect here (tests/launch.py).
stage_reached = blinker.signal("gongshi.stage-reached")


def checkpoint(name: str) -> None:
    stage_reached.send(name)


class Slots:
    def __init__(self, live: Path):
        self.live = Path(os.path.abspath(live))
        self.root = self.live.parent / f".{self.live.name}.slots"

    def current(self) -> Path | None:
        if self.live.is_symlink():
            return Path(os.path.realpath(self.live))
        return None

    def next(self) -> Path:
        current = self.current()
        name = "b" if current is not None and current.name == "a" else "a"
        slot = self.root / name
        slot.mkdir(parents=True, exist_ok=True)
        return slot

    def scratch(self) -> Path:
        """A fresh folder for Pelican's own (small) output, merged afterwards."""
        path = self.root / "pelican"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def recover(self, committed_slot: str | None) -> bool:
        """Finish a build killed between its ledger commit and its swap."""
        current = self.current()
        if committed_slot and (self.root / committed_slot).is_dir() and (
                current is None or current.name != committed_slot):
            self.swap(self.root / committed_slot)
            return True
        return False

    def swap(self, slot: Path) -> None:
        if self.live.exists() and not self.live.is_symlink():
            # First run over a plain folder (e.g. made by hand): keep it aside.
            # This one switch is not atomic; every later one is.
            aside = self.root / "previous-plain-folder"
            shutil.rmtree(aside, ignore_errors=True)
            os.rename(self.live, aside)
        link = self.live.with_name(f".{self.live.name}.new-link")
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(slot, self.live.parent), link)
        os.replace(link, self.live)


def merge_tree(source: Path, stager: Stager) -> None:
    """Copy Pelican's own output (pages, theme files) into the slot, rewriting
    only files whose bytes differ."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            stager.emit(path.relative_to(source).as_posix(), path.read_bytes())
