"""Rendering many pages: skip what did not change, use every core.

``render_specs`` takes the build's page specs, a function that renders one
spec to bytes (the generator's, with the theme's Jinja environment) and a
``manifest.Stager``. For each spec it computes the page's input key (a digest
of the template sources, the settings templates see, and the page's own
context); a page whose key equals the live slot's is not rendered (its bytes
are the live copy's), every other page is rendered and written only if its
bytes differ from what the target slot holds.

Large builds are split into chunks rendered by forked worker processes: the
prepared site and the theme are shared copy-on-write, and each worker sends
back only the manifest entries of its pages.
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from .manifest import Stager

PARALLEL_MIN = 2000  # below this, forking costs more than it saves
_CODE = Path(__file__).resolve().parent


def processes(setting) -> int:
    """GONGSHI_PROCESSES: 0 (default) = every core the build may use."""
    n = int(setting or 0)
    if n <= 0:
        n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, n)


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    metadata = getattr(value, "metadata", None)  # a Pelican page in the navigation
    if isinstance(metadata, dict):
        return [type(value).__name__, getattr(value, "url", None), repr(sorted(metadata.items(), key=repr))]
    raise TypeError(type(value).__name__)


def fingerprint(env, extra: dict) -> str:
    """Everything that shapes every page: the templates' sources (all loaders:
    theme, overrides, Pelican's simple theme), the filter and global names, our
    own code, and ``extra`` (the settings passed to every template)."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)
        h.update(f"\0{name}\0{source}".encode("utf-8"))
    h.update(repr(sorted(env.filters)).encode())
    h.update(repr(sorted(env.globals)).encode())
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.read_bytes())
    h.update(json.dumps(extra, sort_keys=True, ensure_ascii=False, default=_plain).encode("utf-8"))
    return h.hexdigest()


def input_key(base: str, template: str, url: str, context: dict) -> str:
    """The page's input key; '' (never reused) if the context does not serialise."""
    try:
        text = json.dumps(context, ensure_ascii=False, separators=(",", ":"), default=_plain)
    except (TypeError, ValueError):
        return ""
    return hashlib.blake2b(f"{base}\0{template}\0{url}\0{text}".encode("utf-8"), digest_size=16).hexdigest()


_JOB: tuple | None = None  # (specs, render, key_of, stager), inherited by forked workers


def _run(specs, render, key_of, stager: Stager) -> None:
    for spec in specs:
        key = key_of(spec)
        if not stager.reuse(spec.url, key):
            stager.emit(spec.url, render(spec), key)


def _chunk(bounds: tuple[int, int]):
    specs, render, key_of, stager = _JOB
    part = stager.part()
    _run(specs[bounds[0]:bounds[1]], render, key_of, part)
    return part.entries, part.written


def render_specs(specs: list, render: Callable, key_of: Callable, stager: Stager, workers: int = 1) -> None:
    if workers <= 1 or len(specs) < PARALLEL_MIN:
        _run(specs, render, key_of, stager)
        return
    global _JOB
    _JOB = (specs, render, key_of, stager)
    step = max(200, -(-len(specs) // (workers * 16)))
    try:
        with get_context("fork").Pool(workers) as pool:
            for entries, written in pool.imap_unordered(_chunk, [(i, i + step) for i in range(0, len(specs), step)]):
                stager.merge(entries, written)
    finally:
        _JOB = None
