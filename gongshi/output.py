"""Writing output files: guarded, and only when the bytes changed."""
from __future__ import annotations

import os
from pathlib import Path

from .urls import safe_join


def write_if_changed(root: Path, rel: str, data: bytes) -> bool:
    """Write ``data`` to root/rel unless the file already holds exactly these
    bytes (so its mtime is kept and rsync/CDNs move only what changed)."""
    path = safe_join(root, rel)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True
