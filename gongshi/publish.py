"""Publishing without ever breaking the live site.

The live output path is a symbolic link to one of two slot folders kept beside
it (``.<name>.slots/a`` and ``/b``). A build updates the slot that is not live
(writing only files whose bytes changed, deleting files it no longer
produces), then switches the link with one atomic rename. A build that fails
or is killed leaves the live slot, and so the live site, untouched.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .output import write_if_changed


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


def merge_tree(source: Path, target: Path, produced: dict[str, bool]) -> None:
    """Copy source into target, rewriting only files whose bytes differ."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            rel = path.relative_to(source).as_posix()
            produced[rel] = write_if_changed(target, rel, path.read_bytes())


def prune(target: Path, produced: dict[str, bool]) -> list[str]:
    """Delete every file the build did not produce (stale pages of decisions
    taken down or removed), and folders left empty."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(target, topdown=False):
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(target).as_posix()
            if rel not in produced:
                path.unlink()
                removed.append(rel)
        if Path(dirpath) != target and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed
