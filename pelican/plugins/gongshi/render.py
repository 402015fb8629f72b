"""Rendering many pages: skip what did not change, use every core.

``render_specs`` takes the build's page specs, a function that renders one
spec to bytes (the generator's, with the theme's Jinja environment) and a
``stager.Stager``. For each spec it computes the page's input key (a digest
of the template sources, the settings templates see, and the page's own
context); a page whose key equals the live slot's is not rendered (its bytes
are the live copy's), every other page is rendered and written only if its
bytes differ from what the target slot holds.

Large builds are split into chunks rendered by the build process and forked
children: the prepared site and the theme are shared copy-on-write, and each
child sends back only the manifest entries of its pages. ``Background`` makes
other files (from small inputs it is sent) in a spawned process meanwhile,
started before the site is prepared.
"""
from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import pickle
import traceback
from datetime import date, datetime
from functools import partial
from multiprocessing import get_context
from typing import Callable

from .cache import code_version
from .failures import child_signals
from .manifest import digest
from .stager import Stager

PARALLEL_MIN = 2000  # below this, forking costs more than it saves
STEP_MIN = 200  # pages per chunk handed out


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
    raise TypeError(type(value).__name__)


def fingerprint(env, extra: dict) -> str:
    """Everything that shapes every page: the templates' sources (all loaders:
    theme, overrides, Pelican's simple theme), the filter and global names, our
    own code (``cache.code_version``), and ``extra`` (the settings passed to every template)."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)
        h.update(f"\0{name}\0{source}".encode("utf-8"))
    h.update(repr(sorted(env.filters)).encode())
    h.update(repr(sorted(env.globals)).encode())
    h.update(code_version().encode())
    h.update(json.dumps(extra, sort_keys=True, ensure_ascii=False, default=_plain).encode("utf-8"))
    return h.hexdigest()


def input_key(base: str, template: str, url: str, context: dict, memo: dict | None = None) -> str:
    """The page's input key; '' (never reused) if the context does not serialise.

    The context is serialised once, as JSON, with every dict it holds (at any
    depth of lists) replaced by the digest of that dict's own JSON. ``memo``
    (id → (object, digest)) lets pages that share dicts (a decision on its page
    and on list pages, a listing's facets) serialise each once; the caller keeps
    it only while those objects are alive and unchanged. With or without it a
    page gets the same key."""
    try:
        flat = [base, template, url, [[name, _flat(value, memo)] for name, value in context.items()]]
        text = json.dumps(flat, ensure_ascii=False, separators=(",", ":"), default=_plain)
    except (TypeError, ValueError):
        return ""
    return digest(text.encode("utf-8"))


_SHARED = "\0dict"  # marks a dict replaced by its digest (a real dict is never left in place)


def _flat(value, memo: dict | None):
    if isinstance(value, dict):
        if memo is None:
            return {_SHARED: _dumps(value)}
        hit = memo.get(id(value))
        if hit is None:
            hit = memo[id(value)] = (value, _dumps(value))
        return {_SHARED: hit[1]}
    if isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list, tuple)) for v in value):
        return [_flat(v, memo) for v in value]
    return value


def _dumps(value: dict) -> str:
    return digest(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain).encode("utf-8"))


def _run(specs, render, key_of, stager: Stager, memo: dict) -> None:
    # The memo may live as long as the specs do (ids are reused once objects are freed).
    for spec in specs:
        key = key_of(spec, memo)
        if not stager.reuse(spec.url, key):
            stager.emit(spec.url, render(spec), key)


def _take(specs, step, counter, render, key_of, stager: Stager, seed: dict, size_of=None) -> None:
    """Render chunks of ``specs`` until none is left; ``counter`` (shared by
    every process of the build) hands out the next chunk, of ``step`` specs
    or of what ``size_of()`` says before each (the build process's)."""
    memo = dict(seed)  # one per process: a decision is on its page and several list pages
    while True:
        size = size_of() if size_of is not None else step
        with counter.get_lock():
            start = counter.value
            counter.value += size
        if start >= len(specs):
            return
        _run(specs[start:start + size], render, key_of, stager, memo)


def _worker(work: Callable, part: Stager | None, conn) -> None:
    """In a child process: ``work`` writes through ``part`` (a stager; None:
    ``work`` receives its own and returns (it, result)); the entries of what
    it wrote, and what it returned, go back to the build."""
    child_signals()  # stopping is the build's to say, not a helper's traceback
    try:
        if part is None:
            part, result = work(None)
        else:
            result = work(part)
    except BaseException:
        conn.send(("error", traceback.format_exc()))
        raise
    conn.send(("ok", part.entries, part.written, result))


def _result(child, conn):
    """The child's message, or None when it died without one (killed)."""
    try:
        while not conn.poll(0.5):
            if not child.is_alive():
                return conn.recv() if conn.poll(0) else None
        return conn.recv()
    except EOFError:  # the pipe closed with nothing in it
        return None


def _warm(ready, args) -> dict:
    """``make``'s keyword ``ready``: what ``ready(*args)`` returned (none without ``ready``)."""
    return {} if ready is None else {"ready": ready(*args)}


def _received(make, inbox, args, ready, _) -> tuple[Stager, object]:
    warm = _warm(ready, args)  # while the build prepares the input
    part = pickle.loads(inbox.recv_bytes())
    data = marshal.loads(inbox.recv_bytes())
    inbox.close()
    return part, make(data, part.emit, *args, **warm)


class Background:
    """Files made by a process of its own while the build process goes on.

    The process starts at once: it imports its modules and runs
    ``ready(*args)`` (if given) while the build prepares its input. ``send(data,
    stager, rels)`` gives it that input: ``make(data, emit, *args)`` (a
    module-level function; ``ready=`` what ``ready`` returned, if given) writes
    files with ``emit`` (``Stager.emit`` over the ``rels`` of ``stager``);
    ``data`` may be a function that gives it. ``join`` merges the entries of the
    files written and returns what ``make`` returned, or raises if it failed
    or died. With one process, or fewer than PARALLEL_MIN records (``size``),
    no process starts and ``send`` runs ``make`` here and now instead.

    The process is started afresh (spawned), not forked: a forked child shares
    the build's memory pages, and every page the build then writes to (reading
    an object writes its reference count) is copied: ~0.6 GiB at 100 000
    decisions while the build reads every record. So it holds only what it is
    sent: ``data``, plain values (str, numbers, None, lists, tuples, dicts)
    sent with marshal (about five times faster than pickle), and ``args``,
    pickled."""

    def __init__(self, make: Callable, *args, ready: Callable | None = None, workers: int = 2,
                 size: int = PARALLEL_MIN):
        self.make, self.args, self.ready = make, args, ready
        self.stager, self.child, self._message = None, None, None
        if workers <= 1 or size < PARALLEL_MIN:
            return
        ctx = get_context("spawn")
        inbox, self._outbox = ctx.Pipe(duplex=False)
        self._receive, send = ctx.Pipe(duplex=False)
        work = partial(_received, make, inbox, args, ready)
        self.child = ctx.Process(target=_worker, args=(work, None, send))
        self.child.start()
        send.close()
        inbox.close()

    def send(self, data, stager: Stager, rels) -> Background:
        self.stager = stager
        if self.child is None:
            warm = _warm(self.ready, self.args)
            self.result = self.make(data() if callable(data) else data, stager.emit, *self.args, **warm)
            return self
        try:
            # The stager's part pickled (as a process's arguments are), the data with marshal.
            self._outbox.send_bytes(pickle.dumps(stager.part(rels)))
            self._outbox.send_bytes(marshal.dumps(data() if callable(data) else data))
        except OSError:  # the child is gone: join says so
            pass
        except BaseException:
            self.kill()
            raise
        finally:
            self._outbox.close()
        return self

    def done(self) -> bool:
        """Whether it has finished (then its message is read: it can exit and
        free its memory before ``join``)."""
        if self.child is None or self._message is not None:
            return True
        try:
            if self._receive.poll(0):
                self._message = self._receive.recv()
                return True
        except EOFError:  # it died without a message: join says so
            return True
        return not self.child.is_alive()

    def join(self):
        if self.child is None:
            return self.result
        status, *rest = (self._message or _result(self.child, self._receive)
                         or ("error", f"process {self.child.pid} died"))
        self.child.join()
        if status != "ok":
            raise RuntimeError("a background process failed:\n" + rest[0])
        entries, written, result = rest
        self.stager.merge(entries, written)
        return result

    def kill(self) -> None:
        if self.child is None:
            return
        if self.child.is_alive():
            self.child.kill()
        self.child.join()


def _fork(ctx, specs, step, counter, render, key_of, stager: Stager, seed):
    """A child rendering chunks of ``specs`` (``_take``); (process, its pipe)."""
    receive, send = ctx.Pipe(duplex=False)
    work = partial(_take, specs, step, counter, render, key_of, seed=seed or {})
    child = ctx.Process(target=_worker, args=(work, stager.part(), send))
    child.start()
    send.close()
    return child, receive


def render_specs(specs: list, render: Callable, key_of: Callable, stager: Stager, workers: int = 1,
                 seed: dict | None = None, beside: Background | None = None) -> None:
    """``key_of(spec, memo)`` gives a page's input key (``input_key``);
    ``seed`` starts every process's memo (id → (object, digest)): digests the
    caller already has, e.g. of the public records (``Publication.versions``).

    With ``workers`` > 1 the build process renders too, beside ``workers`` − 1
    forked children. Each child shares the prepared site copy-on-write, but
    reading an object writes its reference count, which copies the memory page
    it sits on: a child ends up with a private copy of much of what it read.
    So the parent, which holds the site anyway, is one of the renderers, and
    freezing the garbage collector keeps the children from touching (and
    copying) every object they do not read.

    ``beside``: a ``Background`` process still running. Until it is done the
    build process renders alone (the two use both cores), then the children
    start: the build's memory peak never holds the three at once."""
    if workers <= 1 or len(specs) < PARALLEL_MIN:
        _run(specs, render, key_of, stager, dict(seed or {}))
        return
    ctx = get_context("fork")
    counter = ctx.Value("q", 0)
    step = max(STEP_MIN, -(-len(specs) // (workers * 16)))
    frozen = gc.get_freeze_count() > 0  # by the caller (cli): it stays so
    gc.collect()
    gc.freeze()
    children = []

    def next_size() -> int:
        if not children and (beside is None or beside.done()):
            children.extend(_fork(ctx, specs, step, counter, render, key_of, stager, seed) for _ in range(workers - 1))
        return step if children else STEP_MIN  # small while waiting: a core is idle once it is done
    try:
        _take(specs, step, counter, render, key_of, stager, seed or {}, next_size)
        failures = []
        for child, receive in children:
            status, *rest = _result(child, receive) or ("error", f"process {child.pid} died")
            if status == "ok":
                stager.merge(*rest[:2])
            else:
                failures.append(rest[0])
            child.join()
        if failures or any(child.exitcode for child, _ in children):
            raise RuntimeError("a rendering process failed:\n" + "\n".join(failures))
    finally:
        for child, _ in children:
            if child.is_alive():
                child.kill()
                child.join()
        if not frozen:
            gc.unfreeze()
