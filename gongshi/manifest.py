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

from .output import make_folder, replace, write_if_changed, write_new
from .urls import joiner

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
    path = manifest_path(slot)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(_HEADER)
        f.writelines(f"{rel}\t{e.key}\t{e.digest}\t{e.mtime}\n" for rel, e in sorted(entries.items()))
    os.replace(tmp, path)


class Stager:
    """Brings one slot up to date with this build's files.

    ``target``: the slot being written; ``live``: the live slot (or None);
    the two manifests as loaded (None when unknown). Results: ``entries``
    (the target's new manifest) and ``written`` (path → whether it was
    written), which the caller uses for the report and for pruning.
    """

    def __init__(self, target: Path, live: Path | None = None, target_manifest: dict | None = None,
                 live_manifest: dict | None = None):
        self.target = Path(target).resolve()
        self.live = Path(live).resolve() if live else None
        self.target_manifest = target_manifest
        self.live_manifest = live_manifest if live else None
        self.entries: dict[str, Entry] = {}
        self.written: dict[str, bool] = {}
        self._path = joiner(self.target)  # the guarded join, slot resolved once
        self._live_path = joiner(self.live) if self.live else None
        self._folders: set[Path] = set()  # made by this stager (or its process)

    def part(self, rels=None) -> Stager:
        """An empty stager over the same slots (for a worker process); with
        ``rels``, one that knows only those files (small: it can be sent to a
        process of its own)."""
        if rels is None:
            return Stager(self.target, self.live, self.target_manifest, self.live_manifest)
        def only(m):
            return None if m is None else {rel: m[rel] for rel in rels if rel in m}
        return Stager(self.target, self.live, only(self.target_manifest), only(self.live_manifest))

    def __reduce__(self):
        # Sent to another process as a fresh part (what it staged is not sent).
        return Stager, (self.target, self.live, self.target_manifest, self.live_manifest)

    def merge(self, entries: dict[str, Entry], written: dict[str, bool]) -> None:
        self.entries.update(entries)
        self.written.update(written)

    def reuse(self, rel: str, key: str, rekey: str = "") -> bool:
        """When the live slot holds this page made from the same input, bring
        the target up to date from it without rendering; False otherwise.
        ``rekey``: the key to record instead (the input changed, these bytes
        did not)."""
        if not key or self.live_manifest is None:
            return False
        live = self.live_manifest.get(rel)
        if live is None or live.key != key:
            return False
        mine = self.target_manifest.get(rel) if self.target_manifest is not None else None
        if mine is not None and mine.digest == live.digest:
            self._keep(rel, mine, live, rekey or key)
            return True
        data = self.live_bytes(rel)
        if data is None:
            return False
        self.emit(rel, data, rekey or key)
        return True

    def live_bytes(self, rel: str) -> bytes | None:
        """The live slot's file as its manifest lists it; None when it is not
        listed, missing, or was changed by hand (render instead)."""
        live = self.live_manifest.get(rel) if self.live_manifest is not None else None
        if live is None:
            return None
        try:
            data = self._live_path(rel).read_bytes()
        except FileNotFoundError:
            return None
        return data if digest(data) == live.digest else None

    def live_file(self, rel: str) -> Path | None:
        """The live slot's file, when it is on disk as its manifest lists it
        (same mtime: not changed since), to be read in pieces; else None."""
        live = self.live_manifest.get(rel) if self.live_manifest is not None else None
        if live is None:
            return None
        path = self._live_path(rel)
        try:
            return path if os.stat(path).st_mtime_ns == live.mtime else None
        except OSError:
            return None

    def reuse_all(self, rels: list[str], key: str, rekey: str = "") -> bool:
        """Reuse a group of files made together from one input (``reuse``),
        all or none: on False none is recorded as produced, and the caller
        makes the group instead (its files are written over)."""
        if not rels or not all(self.reuse(rel, key, rekey) for rel in rels):
            for rel in rels:
                self.entries.pop(rel, None)
                self.written.pop(rel, None)
            return False
        return True

    def emit(self, rel: str, data: bytes, key: str = "") -> bool:
        """Write data to the target unless it already holds these bytes."""
        dig = digest(data)
        if self.target_manifest is None:  # slot state unknown: compare on disk
            path = self._path(rel)
            changed = write_if_changed(path, data, self._live_path(rel) if self.live else None, self._folders)
            self.entries[rel] = Entry(key, dig, path.stat().st_mtime_ns)
            self.written[rel] = changed
            return changed
        live = self.live_manifest.get(rel) if self.live_manifest is not None else None
        mine = self.target_manifest.get(rel)
        if mine is not None and mine.digest == dig:
            self._keep(rel, mine, live, key)
            return False
        path = self._path(rel)
        if mine is None:  # not in the slot (its manifest lists exactly what it holds)
            make_folder(path.parent, self._folders)
            write_new(path, data)
        else:
            replace(path, data)
        self._wrote(rel, path, dig, live, key)
        return True

    def emit_pieces(self, rel: str, pieces, key: str = "") -> bool:
        """``emit`` for a large file made in pieces (an iterable of bytes):
        streamed to a temporary file beside the target, never whole in memory,
        then kept or discarded as ``emit`` would."""
        path = self._path(rel)
        make_folder(path.parent, self._folders)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        h = hashlib.blake2b(digest_size=16)
        try:
            with open(tmp, "wb") as f:
                for piece in pieces:
                    h.update(piece)
                    f.write(piece)
            dig = h.hexdigest()
            if self.target_manifest is None:  # slot state unknown: compare on disk
                mine, live = _on_disk(path), _on_disk(self._live_path(rel)) if self.live else None
            else:
                mine, live = self.target_manifest.get(rel), (self.live_manifest or {}).get(rel)
            if mine is not None and mine.digest == dig:
                self._keep(rel, mine, live, key)
                return False
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        self._wrote(rel, path, dig, live, key)
        return True

    def _wrote(self, rel: str, path: Path, dig: str, live: Entry | None, key: str) -> None:
        if live is not None and live.digest == dig:
            os.utime(path, ns=(live.mtime, live.mtime))
            mtime = live.mtime
        else:
            mtime = path.stat().st_mtime_ns
        self.entries[rel] = Entry(key, dig, mtime)
        self.written[rel] = True

    def _keep(self, rel: str, mine: Entry, live: Entry | None, key: str) -> None:
        mtime = mine.mtime
        if live is not None and live.digest == mine.digest and live.mtime != mtime:
            os.utime(self._path(rel), ns=(live.mtime, live.mtime))
            mtime = live.mtime
        self.entries[rel] = mine if (mine.key, mine.mtime) == (key, mtime) else Entry(key, mine.digest, mtime)
        self.written[rel] = False

    def prune(self, keep: str | None = None) -> list[str]:
        """Delete every file of the target this build did not produce, and
        folders left empty. With a manifest that is the manifest's difference;
        without one, a walk of the slot. Paths starting with ``keep`` are left
        for a later step (the search bundle, built from the pruned slot)."""
        self._folders.clear()  # pruning may remove folders made earlier
        if self.target_manifest is None:
            return _prune_walk(self.target, self.written, keep)
        removed = sorted(rel for rel in self.target_manifest
                         if rel not in self.written and not (keep and rel.startswith(keep)))
        folders = set()
        for rel in removed:
            path = self._path(rel)
            path.unlink(missing_ok=True)
            folders.update(p for p in path.parents if p != self.target and self.target in p.parents)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty
        return removed


def _prune_walk(target: Path, produced: dict[str, bool], keep: str | None = None) -> list[str]:
    removed = []
    for dirpath, _, filenames in os.walk(target, topdown=False):
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(target).as_posix()
            if rel not in produced and not (keep and rel.startswith(keep)):
                path.unlink()
                removed.append(rel)
        if Path(dirpath) != target and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed
