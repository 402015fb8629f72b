"""The webmaster's own column names: the optional ``data/columns.csv``.

Each row renames one header of an export to the contract's name before the
file's format is recognised, so tonight's export goes in untouched::

    导出列名,标准列名,文件
    处罚决定书编号,行政处罚决定书文号,
    当事人名称,行政相对人名称,decisions/执法系统*.xls

Headers are compared folded (``schema.fold_header``). A row without 文件
applies to every file in decisions/; a row with 文件 (a glob relative to the
data folder, e.g. ``decisions/执法系统*.xls`` or ``staff.csv``) applies to the
files it matches, and wins over rows without one. A 标准列名 the contract does
not know, a blank cell or two rows renaming one header differently are
file-level problems of columns.csv. Checklists have free columns: never renamed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from . import schema
from .problems import FILE, Report
from .schema import fold_header
from .sources import SourceError, read_table

FILE_NAME = "columns.csv"
_EXPORT, _STANDARD, _GLOB = "导出列名", "标准列名", "文件"
_FIX = "请在“标准列名”中填写数据契约中的列名（见 docs/data.md），例如 行政处罚决定书文号"


@dataclass(frozen=True)
class Rule:
    export: str  # 导出列名 as written
    standard: str  # 标准列名 as written
    glob: str  # 文件; "" = every decisions/ file
    row: int  # in columns.csv

    def matches(self, name: str) -> bool:
        if not self.glob:
            return name.startswith("decisions/")
        return fnmatchcase(name.casefold(), self.glob.casefold())


class ColumnMap:
    def __init__(self, rules: list[Rule], digest: str = ""):
        self.rules = rules
        self.digest = digest  # of columns.csv: part of the cache key of every file it may rename

    def rename(self, name: str, headers: list[str], report: Report) -> list[str]:
        """``headers`` of file ``name`` with the applicable renames; notes what was renamed."""
        if not self.rules:
            return headers
        by_header: dict[str, Rule] = {}
        # Rows with 文件 first: they win over the general ones.
        for rule in sorted((r for r in self.rules if r.matches(name)), key=lambda r: not r.glob):
            by_header.setdefault(fold_header(rule.export), rule)
        renamed, applied = [], []
        for header in headers:
            rule = by_header.get(fold_header(header))
            renamed.append(rule.standard if rule else header)
            if rule:
                applied.append(f"“{header}”→“{rule.standard}”（第 {rule.row} 行）")
        if applied:
            report.note(name, 1, None, "column-mapping", f"按 {FILE_NAME} 改名：" + "、".join(applied))
        return renamed


NO_COLUMNS = ColumnMap([])


def _known(general: bool) -> dict[str, str]:
    """Standard names a rule may use: a decision format's (a row without 文件
    renames decision files only) or any input file's."""
    known = schema.known_headers()
    if not general:
        for spec in (schema.ENTITIES, schema.STAFF, schema.TAKEDOWNS):
            for col in spec.columns:
                for h in (col.header, *col.aliases):
                    known.setdefault(fold_header(h), h)
    return known


def load_columns(data_dir: Path, report: Report) -> ColumnMap:
    """data_dir/columns.csv; problems are file-level (a wrong mapping would
    misread every row of a file)."""
    path = data_dir / FILE_NAME
    if not path.is_file():
        return NO_COLUMNS
    try:
        table = read_table(path, data_dir)
    except SourceError as exc:
        report.add(FILE_NAME, exc.row, None, exc.code, exc.message, exc.fix, FILE)
        return NO_COLUMNS
    folded = [fold_header(h) for h in table.headers]
    index = {}
    for header in (_EXPORT, _STANDARD, _GLOB):
        if fold_header(header) in folded:
            index[header] = folded.index(fold_header(header))
        elif header != _GLOB:
            report.add(FILE_NAME, 1, header, "missing-column", f"缺少必需的列“{header}”",
                       "columns.csv 的表头须为：导出列名,标准列名（可选第三列：文件）", FILE)
    if len(index) < 2:
        return NO_COLUMNS
    rules, seen = [], {}
    for number, cells in table.rows:
        export, standard, glob = (str(cells[index[h]]).strip() if h in index else "" for h in (_EXPORT, _STANDARD, _GLOB))
        if not export or not standard:
            column = _EXPORT if not export else _STANDARD
            report.add(FILE_NAME, number, column, "required", f"“{column}”为空", "请填写该单元格，或删除这一行", FILE)
            continue
        known = _known(not glob).get(fold_header(standard))
        if known is None:
            scope = "执法决定文件" if not glob else "输入文件"
            report.add(FILE_NAME, number, _STANDARD, "unknown-standard-column",
                       f"标准列名“{standard}”不是{scope}中的列名", _FIX, FILE)
            continue
        key = (fold_header(export), glob.casefold())
        if key in seen and fold_header(seen[key].standard) != fold_header(standard):
            report.add(FILE_NAME, number, _EXPORT, "conflicting-mapping",
                       f"导出列名“{export}”在第 {seen[key].row} 行已改为“{seen[key].standard}”，这里又改为“{standard}”",
                       "同一个导出列名只能对应一个标准列名；请删除其中一行，或用“文件”列区分不同的导出文件", FILE)
            continue
        seen.setdefault(key, Rule(export, known, glob, number))
        rules.append(seen[key])
    return ColumnMap(rules, hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
