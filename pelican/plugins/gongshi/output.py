"""Writing output files: guarded, and only when the bytes changed."""
from __future__ import annotations

import os
from pathlib import Path

from .atomic import write_atomic


def write_if_changed(path: Path, data: bytes, live: Path | None = None, folders: set | None = None) -> bool:
    """Write ``data`` to ``path`` (already guarded: ``stager.guarded_join``) unless
    the file already holds exactly these bytes. With ``live`` (the same file in
    the live slot), a file whose bytes equal the live copy takes the live
    copy's mtime, so rsync and CDNs see no change. ``folders``: folders known
    to exist (saves a system call per file)."""
    changed = exists = True
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            changed = False
    except FileNotFoundError:
        exists = False
        make_folder(path.parent, folders)
    if changed and exists:
        replace(path, data)
    elif changed:
        write_new(path, data)
    if live is not None:
        try:
            st = live.stat()
            if st.st_size == len(data) and st.st_mtime_ns != path.stat().st_mtime_ns and live.read_bytes() == data:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        except FileNotFoundError:
            pass
    return changed


def write_new(path: Path, data: bytes) -> None:
    """A file that did not exist: nobody can be reading it, write it in place."""
    with open(path, "wb") as f:
        f.write(data)


def replace(path: Path, data: bytes) -> None:
    """An existing file: readers see the old bytes or the new, never half."""
    write_atomic(path, data)


def make_folder(folder: Path, known: set | None = None) -> None:
    if known is None or folder not in known:
        folder.mkdir(parents=True, exist_ok=True)
        if known is not None:
            known.add(folder)
