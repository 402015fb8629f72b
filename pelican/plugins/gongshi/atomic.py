"""Writing a file so that readers see the old bytes or the new, never half.

The one way the build replaces a file: write a temporary file beside it
(same folder, so the rename is atomic; named ``.<name>.<pid>.tmp``, so two
processes never share one, and hidden), then rename it over the file.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextmanager
def replacing(path: Path, mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """A file to write ``path``'s new content to; renamed over ``path`` when
    the block ends, removed if it raises."""
    tmp = temp_beside(path)
    try:
        with open(tmp, mode, encoding=encoding) as f:
            yield f
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    with replacing(path) as f:
        f.write(data)
