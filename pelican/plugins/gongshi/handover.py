"""How ``publish.py`` hands a prepared build to the plugin inside ``Pelican.run``.

The command line prepares the site (load, validate, redact), opens the slot
to write (the ``Stager``) and the page dates, then runs Pelican inside
``handing_over(build)``. The plugin's parts that Pelican makes (the generator,
``writer.StagingWriter``) take the build from ``current()``. Nothing of it
goes through Pelican's settings: they are copied into every template's
context, and the prepared site quotes raw cells.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from .pagedates import PageDates
    from .pipeline import Site
    from .render import Background
    from .stager import Stager


@dataclass(frozen=True)
class Build:
    site: Site
    stager: Stager
    dates: PageDates
    # What the plugin started that goes on after Pelican's run (the side
    # process, ``render.Background``), with the folders it writes into:
    # publish.py leaves those alone when it prunes the slot for the search
    # index, joins it once that index is made and before the slot's last
    # prune and manifest, and kills it if the build stops before.
    pending: list = field(default_factory=list)
    # The side process, started before the site was prepared (publish.py), or None.
    side: Background | None = None

    def defer(self, work, folders: tuple[str, ...]) -> None:
        """``work`` (with ``join()`` and ``kill()``) writes under ``folders``."""
        self.pending.append((work, folders))

    def writing(self) -> tuple[str, ...]:
        return tuple(folder for _, folders in self.pending for folder in folders)

    def join(self) -> None:
        while self.pending:
            self.pending.pop(0)[0].join()

    def kill(self) -> None:
        while self.pending:
            self.pending.pop()[0].kill()


_current: Build | None = None


@contextmanager
def handing_over(build: Build) -> Iterator[Build]:
    """The build Pelican runs for, while it runs (one at a time per process)."""
    global _current
    _current = build
    try:
        yield build
    finally:
        _current = None


def current() -> Build | None:
    """The build being handed over; None when Pelican was not started by
    ``publish.py`` (plain ``pelican``: the plugin refuses, ``__init__.py``)."""
    return _current
