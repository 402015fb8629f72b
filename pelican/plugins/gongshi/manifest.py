"""What each output slot holds, so a nightly build touches only what changed.

A slot's manifest (``.<name>.slots/<slot>.manifest``, beside the slot, never
published) lists every file in the slot with

* ``key``: a digest of everything the page was rendered from (template
  sources, settings, the page's context) — empty for files without one;
* ``digest``: a digest of the file's bytes;
* ``mtime``: the file's modification time (ns).

It is trusted only while it is exactly true: a build deletes the manifest of
the slot it is about to update *before* touching it, and writes the new one
once the slot is complete (before the ledger commit and the swap). A build
killed in between leaves a slot without manifest, and the next build falls
back to comparing bytes on disk. So the two-slot publication keeps its
guarantees (a killed build leaves the live site as it was) while a night's
small change costs little:

* a page whose key equals the live slot's key is not rendered at all: its
  bytes are the live file's (rendering is deterministic);
* a file whose digest equals the one the target slot already holds is not
  written, and no folder is recreated;
* a file whose bytes equal the live copy takes the live copy's mtime, so
  rsync and CDNs see no change.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import replacing


_HEADER = "gongshi-manifest 1\n"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    digest: str
    mtime: int


def _on_disk(path: Path) -> Entry | None:
    """A file's entry as found on disk (no key), or None when there is none."""
    h = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
            return Entry("", h.hexdigest(), os.fstat(f.fileno()).st_mtime_ns)
    except (FileNotFoundError, IsADirectoryError):
        return None


def manifest_path(slot: Path) -> Path:
    return slot.parent / f"{slot.name}.manifest"


def load(slot: Path, like: dict[str, Entry] | None = None) -> dict[str, Entry] | None:
    """The slot's manifest, or None when it is missing or unreadable. An entry
    equal to ``like``'s (the other slot's manifest) is that same object: the
    slots mostly hold the same files, and at 100 000 decisions each manifest
    is ~70 MB of objects."""
    try:
        text = manifest_path(slot).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    if not text.startswith(_HEADER):
        return None
    out, same = {}, like or {}
    for line in text[len(_HEADER):].splitlines():
        rel, key, dig, mtime = line.split("\t")
        entry = Entry(key, dig, int(mtime))
        out[rel] = old if (old := same.get(rel)) == entry else entry
    return out


def forget(slot: Path) -> None:
    """Before a build touches the slot: its manifest stops being true."""
    manifest_path(slot).unlink(missing_ok=True)


def save(slot: Path, entries: dict[str, Entry]) -> None:
    with replacing(manifest_path(slot), "w", encoding="utf-8") as f:
        f.write(_HEADER)
        f.writelines(f"{rel}\t{e.key}\t{e.digest}\t{e.mtime}\n" for rel, e in sorted(entries.items()))
