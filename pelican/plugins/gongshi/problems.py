"""Validation problems as objects, collected into a report.

Problems are never raised one at a time nor sent through the logger (Pelican's
logger de-duplicates messages): the loader collects every one and the CLI
prints them all as ``file:row:column: what is wrong — how to fix it`` (a part
that does not apply, e.g. the row of a file-level problem, is left out).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# A file-level problem stops the build; a row-level one holds back that row;
# a note holds nothing back (a value was cleaned, a column mapping applied).
FILE = "file"
ROW = "row"
NOTE = "note"
# Problems whose cause makes every other problem of that cause moot: shown first.
_FIRST = ("missing-folder", "missing-file")


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the data folder, e.g. "decisions/2024.csv"
    row: int | None  # spreadsheet row number (header = 1), None for the file
    column: str | None  # header as written in the file, or None
    code: str  # stable machine code, e.g. "bad-date"
    message: str  # what is wrong (Chinese)
    fix: str  # how to fix it (Chinese)
    level: str = ROW

    def __str__(self) -> str:
        # Only the parts that exist: "file:row:column: …", "file:row: …", "file: …".
        where = ":".join([self.file, *([str(self.row)] if self.row is not None else []), *filter(None, [self.column])])
        return f"{where}: {self.message} — {self.fix}"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # level NOTE: not problems

    def add(self, file, row, column, code, message, fix, level=ROW) -> None:
        self.problems.append(Problem(file, row, column, code, message, fix, level))

    def note(self, file, row, column, code, message, fix="") -> None:
        self.notes.append(Problem(file, row, column, code, message, fix, NOTE))

    def extend(self, other: "Report") -> None:
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.level == FILE]

    @property
    def ok(self) -> bool:
        return not self.problems

    def sorted(self) -> list[Problem]:
        return sorted(
            self.problems, key=lambda p: (p.code not in _FIRST, p.file, p.row or 0, p.column or "", p.code)
        )

    def as_json(self) -> list[dict]:
        return [p.as_dict() for p in self.sorted()]
