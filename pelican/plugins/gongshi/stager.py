"""The file writer of a build: brings one output slot up to date.

Every output file goes through a ``Stager`` (wrapped by ``writer.StagingWriter``,
Pelican's writer for this site): its path is guarded (``guarded_join``), and it
is written only when its bytes changed, using the slots' manifests
(``manifest.py``) to know without reading the files.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from pelican.utils import sanitised_join

from .atomic import temp_beside
from .manifest import Entry, _on_disk, digest
from .output import make_folder, replace, write_if_changed, write_new


class UnsafePath(ValueError):
    pass


def guarded_join(root: Path | str, relative: str) -> Path:
    """Join a root-relative output path, refusing anything that escapes root."""
    return joiner(root)(relative)


def joiner(root: Path | str) -> Callable[[str], Path]:
    """``guarded_join`` with ``root`` resolved once, for callers that join many
    paths under the same root (the stager, once per output file). Pelican's
    ``sanitised_join`` is the guard, made stricter: its prefix test has no
    separator, so it lets ``../a.manifest`` (beside slot ``a``) through, and it
    takes an empty or absolute path."""
    base = os.path.realpath(root)
    prefix = base.rstrip(os.sep) + os.sep

    def join(relative: str) -> Path:
        if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
            raise UnsafePath(relative)
        try:
            target = sanitised_join(base, relative)
        except RuntimeError:
            raise UnsafePath(relative) from None
        if target != base and not target.startswith(prefix):
            raise UnsafePath(relative)
        return Path(target)

    return join


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
        # Told the path of every file produced here or merged from a worker
        # (writer.StagingWriter: Pelican's content_written). Not sent to workers.
        self.on_produce: Callable[[str], None] | None = None

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
        if self.on_produce is not None:
            for rel in entries:
                self.on_produce(rel)

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
            self._produced(rel, Entry(key, dig, path.stat().st_mtime_ns), changed)
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
        tmp = temp_beside(path)
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
        self._produced(rel, Entry(key, dig, mtime), True)

    def _keep(self, rel: str, mine: Entry, live: Entry | None, key: str) -> None:
        mtime = mine.mtime
        if live is not None and live.digest == mine.digest and live.mtime != mtime:
            os.utime(self._path(rel), ns=(live.mtime, live.mtime))
            mtime = live.mtime
        self._produced(rel, mine if (mine.key, mine.mtime) == (key, mtime) else Entry(key, mine.digest, mtime), False)

    def _produced(self, rel: str, entry: Entry, written: bool) -> None:
        self.entries[rel] = entry
        self.written[rel] = written
        if self.on_produce is not None:
            self.on_produce(rel)

    def prune(self, keep: str | tuple[str, ...] | None = None) -> list[str]:
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
            del self.target_manifest[rel]  # gone: a later prune does not count it again
            path = self._path(rel)
            path.unlink(missing_ok=True)
            folders.update(p for p in path.parents if p != self.target and self.target in p.parents)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            if keep and _holds(folder.relative_to(self.target).as_posix(), keep):
                continue
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty
        return removed


def _holds(folder: str, keep: str | tuple[str, ...]) -> bool:
    """Whether a folder is or holds a kept path: left in place (files may be
    being written into it meanwhile)."""
    return any(k.startswith(folder + "/") or (folder + "/").startswith(k)
               for k in ((keep,) if isinstance(keep, str) else keep))


def _prune_walk(target: Path, produced: dict[str, bool], keep: str | tuple[str, ...] | None = None) -> list[str]:
    removed = []
    for dirpath, _, filenames in os.walk(target, topdown=False):
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(target).as_posix()
            if rel not in produced and not (keep and rel.startswith(keep)):
                path.unlink()
                removed.append(rel)
        folder = Path(dirpath).relative_to(target).as_posix()
        if Path(dirpath) != target and not (keep and _holds(folder, keep)) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed
