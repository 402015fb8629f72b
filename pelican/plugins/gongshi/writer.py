"""Pelican's writer for this site: every file goes through the build's ``Stager``.

The plugin returns ``StagingWriter`` from Pelican's ``get_writer`` signal. It
writes into the slot being built (not Pelican's OUTPUT_PATH, a scratch folder
for the static files Pelican copies itself), only when a file's bytes changed,
and sends Pelican's ``content_written`` signal once for every file the build
produces: the pages Pelican renders (as stock Pelican does, with their
context), the plugin's own files (with ``{"output_file": rel}``: they are made
from the prepared site, several in other processes), and the static files
merged in afterwards. Receivers must not change the file: the slot's manifest
holds its digest.
"""
from __future__ import annotations

import io
import os

from pelican.plugins import signals
from pelican.writers import FileOverwriteFailedError, Writer

from . import handover


class StagingWriter(Writer):
    def __init__(self, output_path, settings=None):
        self.stager = handover.current().stager  # (plain ``pelican`` stops earlier: __init__.py)
        super().__init__(str(self.stager.target), settings)
        self._pelican_writing = False  # Pelican sends content_written for its own pages itself
        self.stager.on_produce = self._produced

    def _produced(self, rel: str) -> None:
        if not self._pelican_writing and signals.content_written.receivers:
            signals.content_written.send(os.path.join(self.output_path, rel), context={"output_file": rel})

    def _open_w(self, filename, encoding, override=False):
        """Pelican's rules for writing a file twice, then the text goes to the
        stager when Pelican closes the file."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return open(os.devnull, "w", encoding=encoding)  # the override wins
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already written to it')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Staged(self, os.path.relpath(filename, self.output_path), encoding)

    def stage(self, rel: str, data: bytes) -> None:
        self._pelican_writing = True
        try:
            self.stager.emit(rel, data)
        finally:
            self._pelican_writing = False


class _Staged(io.StringIO):
    """A file Pelican writes its text to; staged whole when closed."""

    def __init__(self, writer: StagingWriter, rel: str, encoding: str):
        super().__init__()
        self._writer, self._rel, self._encoding = writer, rel, encoding

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self._encoding)
            super().close()
            self._writer.stage(self._rel, data)
