"""Writing output files: guarded, and only when the bytes changed."""
from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, data: bytes, live: Path | None = None) -> bool:
    """Write ``data`` to ``path`` (already guarded: ``urls.safe_join``) unless
    the file already holds exactly these bytes. With ``live`` (the same file in
    the live slot), a file whose bytes equal the live copy takes the live
    copy's mtime, so rsync and CDNs see no change."""
    changed = True
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            changed = False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    if changed:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    if live is not None:
        try:
            st = live.stat()
            if st.st_size == len(data) and st.st_mtime_ns != path.stat().st_mtime_ns and live.read_bytes() == data:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        except FileNotFoundError:
            pass
    return changed
