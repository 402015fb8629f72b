"""Load and validate the data folder into validated (still private) records.

The records made here still carry never-published fields (ID numbers, 备注,
unknown columns are dropped already). They must only leave this package through
``gongshi.public``, the one boundary to everything that is published.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import schema
from .columns import NO_COLUMNS, ColumnMap, load_columns
from .problems import FILE, Report
from .schema import Spec, fold_header
from .sources import SourceError, Table, Workbook, cell_ref, read_workbook
from .values import (EndDate, ValueProblem, check_date_range, clean_key, parse_amount, parse_date,
                     parse_end_date, show_invisible)

# GB 32100-2015: 18 characters from digits and capitals without I, O, Z, S, V.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


@dataclass
class Entity:
    code: str
    name: str
    type: str
    values: dict  # column id → text
    source: tuple[str, int]


@dataclass
class StaffMember:
    name: str
    cert_no: str
    entity_code: str
    status: str  # 有效 / 暂扣 / 注销 as recorded (expiry is applied when published)
    valid_until: date | EndDate | None  # NO_END_DATE: 长期
    values: dict
    source: tuple[str, int]


@dataclass
class Checklist:
    title: str
    file: str
    headers: list[str]
    rows: list[tuple[list[str], str | None]]  # (cells, entity code or None)
    subject_col: int | None = None  # the column naming each row's 所属主体 (or 适用部门 …)


@dataclass
class Decision:
    agency_code: str
    docno: str
    category: str
    target_type: str
    decision_date: date
    values: dict  # column id → str | date | float | NO_END_DATE | None (private fields included)
    spec: str
    source: tuple[str, int]
    corrects: tuple[str, int] | None = None  # the earlier row this one replaced

    @property
    def key(self) -> str:
        return f"{self.agency_code}/{self.docno}"


@dataclass
class Takedown:
    docno: str
    agency_code: str
    reason: str
    reason_date: date
    note: str
    source: tuple[str, int]
    decision_key: str | None = None


@dataclass
class Dataset:
    entities: dict[str, Entity] = field(default_factory=dict)
    staff: list[StaffMember] = field(default_factory=list)
    checklists: list[Checklist] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)
    takedowns: list[Takedown] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    files: list[str] = field(default_factory=list)
    held_keys: set[str] = field(default_factory=set)  # decision rows held back for a problem
    columns: ColumnMap = NO_COLUMNS  # data/columns.csv
    # False when entities.csv is missing or unusable: its one problem says so,
    # and no row is reported for naming an entity that could not be read.
    entities_known: bool = True
    decisions_known: bool = True  # False: no decision file at all (its one problem says so)
    rejected: dict[str, list[str]] = field(default_factory=dict)  # decision file → 文书号 it holds (file-level problem)
    # Full names of natural-person targets in every decision row read, valid or
    # held back, live or withdrawn: public.Redactor masks them in all published text.
    people: set[str] = field(default_factory=set)
    _names: dict | None = field(default=None, repr=False, compare=False)

    def agencies_named(self, name: str) -> list[str]:
        """Codes of the entities whose 主体名称 is ``name`` (spaces and
        full-width forms aside): the agency of a 2016-template row."""
        if self._names is None:
            self._names = {}
            for code, e in self.entities.items():
                self._names.setdefault(_fold_name(e.name), []).append(code)
        return self._names.get(_fold_name(name), [])


def _fold_name(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


class _Rows:
    """Map a table's headers onto a spec; report header problems. ``headers``:
    the table's headers as renamed by columns.csv (problems name them as written)."""

    def __init__(self, table: Table, spec: Spec, report: Report, headers: list[str] | None = None):
        self.table, self.spec, self.report = table, spec, report
        self.index: dict[str, int] = {}
        self.header_of: dict[str, str] = {}
        self.latest: date | None = None  # the latest date compared with the build date
        # Bare numbers are Excel serial dates only in a spreadsheet's cells.
        self.serials = table.spreadsheet
        self.ok = True
        for i, (header, written) in enumerate(zip(headers or table.headers, table.headers)):
            col = spec.lookup.get(fold_header(header))
            if col is None:
                continue  # unknown extra columns are allowed and never published
            header = written
            if col.id in self.index:
                report.add(table.name, 1, header, "duplicate-column",
                           f"列“{header}”与列“{self.header_of[col.id]}”是同一项（{col.header}）",
                           "请删除其中一列", FILE)
                self.ok = False
                continue
            self.index[col.id] = i
            self.header_of[col.id] = header
        for col in spec.required:
            if col.id not in self.index:
                report.add(table.name, 1, col.header, "missing-column",
                           f"缺少必需的列“{col.header}”（{spec.name}）",
                           f"请在表头中加上“{col.header}”列，或核对列名是否写错", FILE)
                self.ok = False

    def col_name(self, cid: str) -> str:
        return self.header_of.get(cid) or self.spec.column(cid).header

    def records(self):
        by_index = {i: cid for cid, i in self.index.items()}
        for number, cells in self.table.rows:
            row = RowReader(self, number, cells)
            for column in self.table.formulas.get(number, ()):
                if column in by_index:  # (a formula in a column never read is no matter)
                    row.problem(by_index[column], "formula-without-value",
                                f"单元格 {cell_ref(number, column)} 是公式，但文件中没有保存它的计算结果（读出来是空的）",
                                "请在 Excel 或 WPS 中打开这个文件并保存后再放入，或把这一列复制后“选择性粘贴 → 数值”")
            yield number, row


class RowReader:
    """One row: typed access by column id, collecting problems."""

    def __init__(self, rows: _Rows, number: int, cells: list):
        self.rows, self.number, self.cells = rows, number, cells
        self.bad = False
        self.agency = ""  # the agency's code once known (a 2016 row's is found by name)

    def problem(self, cid: str | None, code: str, message: str, fix: str) -> None:
        col = self.rows.col_name(cid) if cid else None
        self.rows.report.add(self.rows.table.name, self.number, col, code, message, fix)
        self.bad = True

    def note(self, cid: str, code: str, message: str) -> None:
        self.rows.report.note(self.rows.table.name, self.number, self.rows.col_name(cid), code, message)

    def raw(self, cid: str):
        i = self.rows.index.get(cid)
        return "" if i is None else self.cells[i]

    def text(self, cid: str, required: bool = False) -> str:
        value = self.raw(cid)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, date):
            value = value.isoformat()
        value = str(value).strip()
        if required and not value:
            self.problem(cid, "required", f"必填项“{self.rows.col_name(cid)}”为空", "请填写该单元格，或删除这一行")
        return value

    def key(self, cid: str, required: bool = False) -> str:
        """An identifier that keys are made from (文书号): ``clean_key``; a
        cleaned value is noted (the row is kept)."""
        written = self.text(cid, required)
        value = clean_key(written)
        if value != written:
            self.note(cid, "key-normalised",
                      f"“{show_invisible(written)}”含有不可见字符（零宽或双向控制字符）或全角字符，已按“{value}”处理")
        return value

    def code(self, cid: str, required: bool = False) -> str:
        value = self.raw(cid)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
            self.problem(cid, "number-code", "代码被 Excel 存成了数字，末尾几位可能已丢失",
                         "请把该列设置为“文本”格式后重新输入代码")
            return ""
        return self.key(cid, required).upper()

    def date(self, cid: str, required: bool = False, latest: date | None = None) -> date | None:
        """A date from 1949 on (and up to ``latest``, if given)."""
        try:
            parsed = parse_date(self.raw(cid), self.rows.serials)
            if parsed is not None:
                check_date_range(parsed, latest)
        except ValueProblem as exc:
            self.problem(cid, exc.code, exc.message, exc.fix)
            return None
        if parsed is None and required:
            self.text(cid, required=True)
        return parsed

    def end_date(self, cid: str) -> date | EndDate | None:
        """An end date: a date from 1949 on, NO_END_DATE (长期 …) or None."""
        try:
            parsed = parse_end_date(self.raw(cid), self.rows.serials)
            if isinstance(parsed, date):
                check_date_range(parsed)
        except ValueProblem as exc:
            self.problem(cid, exc.code, exc.message, exc.fix)
            return None
        return parsed

    def amount(self, cid: str) -> float | None:
        try:
            return parse_amount(self.raw(cid))
        except ValueProblem as exc:
            self.problem(cid, exc.code, exc.message, exc.fix)
            return None

    def choice(self, cid: str, allowed, aliases=None, required=True) -> str:
        value = self.text(cid, required)
        value = (aliases or {}).get(value, value)
        if value and value not in allowed:
            self.problem(cid, "bad-value", f"“{value}”不是允许的取值",
                         "请填写以下之一：" + "、".join(allowed))
        return value


def _read(path: Path, data_dir: Path, report: Report) -> Table | None:
    book = _read_book(path, data_dir, report)
    return None if book is None else book.tables[0]


def _read_book(path: Path, data_dir: Path, report: Report) -> Workbook | None:
    try:
        return read_workbook(path, data_dir)
    except SourceError as exc:
        report.add(path.relative_to(data_dir).as_posix(), exc.row, None, exc.code,
                   exc.message, exc.fix, FILE)
        return None


def _credit_code_ok(row: RowReader, cid: str, value: str) -> bool:
    if value and not CREDIT_CODE.match(value):
        row.problem(cid, "bad-credit-code", f"统一社会信用代码“{value}”不是 18 位数字或大写字母",
                    "请核对代码（18 位，不含空格和字母 I、O、Z、S、V）")
        return False
    return True


def _open(data_dir: Path, ds: Dataset, name: str, spec: Spec, missing: tuple[str, str] | None) -> _Rows | None:
    """Read data_dir/name and map its headers (renamed by columns.csv); None
    when absent or unusable. ``missing`` = (message, fix) makes an absent file
    a file-level problem."""
    path = data_dir / name
    if not path.exists():
        if missing:
            ds.report.add(name, None, None, "missing-file", missing[0], missing[1], FILE)
        return None
    table = _read(path, data_dir, ds.report)
    if table is None:
        return None
    rows = _Rows(table, spec, ds.report, ds.columns.rename(table.name, table.headers, ds.report))
    return rows if rows.ok else None


def load_entities(data_dir: Path, ds: Dataset) -> None:
    rows = _open(data_dir, ds, "entities.csv", schema.ENTITIES,
                 ("缺少执法主体文件 entities.csv", "请在数据目录中放入 entities.csv（执法主体清单）"))
    if rows is None:
        ds.entities_known = False
        return
    table = rows.table
    names: dict[str, int] = {}
    first_row: dict[str, int] = {}
    for number, row in rows.records():
        name, code = row.text("name", True), row.code("code", True)
        etype = row.choice("type", schema.ENTITY_TYPES)
        _credit_code_ok(row, "code", code)
        if code in first_row:
            row.problem("code", "duplicate-key", f"统一社会信用代码“{code}”与第 {first_row[code]} 行重复",
                        "每个执法主体只能出现一次，请删除或合并重复的行")
        elif name in names:
            row.problem("name", "duplicate-key", f"主体名称“{name}”与第 {names[name]} 行重复",
                        "主体名称须唯一，请核对")
        if row.bad:
            continue
        first_row[code], names[name] = number, number
        values = {c.id: row.text(c.id) for c in schema.ENTITIES.columns}
        values["code"] = code
        ds.entities[code] = Entity(code, name, etype, values, (table.name, number))


def _entity_lookup(ds: Dataset) -> dict[str, str]:
    lookup = {e.name: code for code, e in ds.entities.items()}
    lookup.update({code: code for code in ds.entities})
    return lookup


def load_staff(data_dir: Path, ds: Dataset) -> None:
    rows = _open(data_dir, ds, "staff.csv", schema.STAFF,
                 ("缺少执法人员文件 staff.csv", "请在数据目录中放入 staff.csv（执法人员清单）"))
    if rows is None:
        return
    table = rows.table
    lookup = _entity_lookup(ds)
    seen: dict[str, int] = {}
    for number, row in rows.records():
        name, cert = row.text("name", True), row.text("cert_no", True)
        entity = row.text("entity", True)
        status = row.choice("status", schema.STAFF_STATUSES, required=False) or "有效"
        valid_until = row.end_date("valid_until")
        if cert in seen:
            row.problem("cert_no", "duplicate-key", f"执法证号“{cert}”与第 {seen[cert]} 行重复",
                        "执法证号须唯一，请删除重复的行或核对证号")
        code = lookup.get(entity) or lookup.get(entity.upper())
        if entity and code is None and ds.entities_known:
            row.problem("entity", "unknown-entity", f"所属主体“{entity}”不在 entities.csv 中",
                        "请填写 entities.csv 中某个主体的主体名称或统一社会信用代码")
        if row.bad or code is None:
            continue
        seen[cert] = number
        values = {c.id: row.text(c.id) for c in schema.STAFF.columns}
        ds.staff.append(StaffMember(name, cert, code, status, valid_until, values, (table.name, number)))


# Columns taken as a checklist's 所属主体 when it has none, first found first.
SUBJECT_COLUMNS = ("适用部门", "实施主体", "执法主体", "责任单位")


def load_checklists(data_dir: Path, ds: Dataset) -> None:
    folder = data_dir / "checklists"
    if not folder.is_dir():
        return
    lookup = _entity_lookup(ds)
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx")):
        table = _read(path, data_dir, ds.report)
        if table is None:
            continue
        ds.files.append(table.name)
        folded = [fold_header(h) for h in table.headers]
        entity_col = folded.index(fold_header("所属主体")) if fold_header("所属主体") in folded else None
        # Long lists are split by subject; a 裁量基准 often names it 适用部门. Only
        # 所属主体 links rows to entity pages (the contract), the others only split.
        subject_col = entity_col if entity_col is not None else next(
            (folded.index(fold_header(h)) for h in SUBJECT_COLUMNS if fold_header(h) in folded), None)
        rows = []
        for _, cells in table.rows:
            cells = [c.isoformat() if isinstance(c, date) else str(c) for c in cells]
            code = None
            if entity_col is not None:
                value = cells[entity_col].strip()
                code = lookup.get(value) or lookup.get(value.upper())
            rows.append((cells, code))
        ds.checklists.append(Checklist(path.stem, table.name, table.headers, rows, subject_col))


def _category_and_target(row: RowReader, spec: Spec) -> tuple[str, str]:
    if spec.category is None:  # format C: the row says
        category = row.text("category", True)
        if category in ("行政处罚", "行政许可"):
            row.problem("category", "bad-value", f"{category}决定应使用“{category}”双公示模板",
                        f"请把这一行移到{category}（双公示表头）的文件中")
        elif category and category not in schema.OTHER_CATEGORIES:
            row.problem("category", "bad-value", f"执法类别“{category}”不是允许的取值",
                        "请填写以下之一：" + "、".join(schema.OTHER_CATEGORIES))
    else:
        category = spec.category
    if spec.target_type:
        return category, spec.target_type
    return category, row.choice("target_type", schema.TARGET_TYPES, schema.TARGET_TYPE_ALIASES,
                                required=not spec.infer_target_type)


def _inferred_target_type(row: RowReader, values: dict) -> str:
    """2016 templates have no 行政相对人类别: a credit code means an organisation
    (92…: 个体工商户, GB 32100), else a 居民身份证号 a natural person."""
    credit = values.get("code_1", "")
    if credit:
        return "个体工商户" if credit.startswith("92") else "法人及非法人组织"
    if values.get("id_number"):
        return "自然人"
    if any(values.get(c) for c in ("code_2", "code_3", "code_4")):
        return "法人及非法人组织"
    row.problem("target_name", "target-type-unknown", "无法判断行政相对人类别：统一社会信用代码和居民身份证号都为空",
                "请填写行政相对人代码_1（统一社会信用代码）或居民身份证号，或增加一列“行政相对人类别”")
    return ""


def _agency_code(row: RowReader, spec: Spec, values: dict, ds: Dataset) -> str:
    """The agency's code: as written, or (2016 templates) found by its name."""
    code = values["agency_code"]
    if code or not spec.agency_by_name or not ds.entities_known:
        if _credit_code_ok(row, "agency_code", code) and code and ds.entities_known and code not in ds.entities:
            row.problem("agency_code", "unknown-entity", f"机关统一社会信用代码“{code}”不在 entities.csv 中",
                        "请核对代码，或先在 entities.csv 中登记该执法主体")
        return code
    name = values.get("agency_name", "")
    codes = ds.agencies_named(name) if name else []
    if len(codes) == 1:
        return codes[0]
    if name:
        what = "不在 entities.csv 中" if not codes else f"在 entities.csv 中对应 {len(codes)} 个主体"
        row.problem("agency_name", "unknown-entity" if not codes else "ambiguous-entity", f"机关名称“{name}”{what}",
                    "机关名称须与 entities.csv 中的主体名称完全一致；或增加一列“" + spec.column("agency_code").header
                    + "”填写机关的统一社会信用代码")
    return ""


def _decision_row(row: RowReader, spec: Spec, ds: Dataset, today: date) -> Decision | None:
    category, target_type = _category_and_target(row, spec)
    docno = row.key("docno", required=spec is not schema.LICENSE)
    if spec is schema.LICENSE and not docno:
        docno = row.key("license_no")
        if not docno:
            row.problem("docno", "required", "行政许可决定文书号和许可编号都为空",
                        "请填写行政许可决定文书号（或至少填写许可编号）")
    values: dict = {}
    for col in spec.columns:
        if col.kind == "date":
            values[col.id] = row.date(col.id, col.required)
        elif col.kind == "end":
            values[col.id] = row.end_date(col.id)
        elif col.kind == "amount":
            values[col.id] = row.amount(col.id)
        elif col.id in ("agency_code", "code_1"):
            values[col.id] = row.code(col.id, col.required)
        elif col.id not in ("docno", "category", "target_type"):
            values[col.id] = row.text(col.id, col.required)
    if "penalty_type_1" in values:  # 2016: 处罚类别1/处罚类别2 → 处罚类别
        kinds = (values.pop("penalty_type_1"), values.pop("penalty_type_2", ""))
        values["penalty_type"] = "；".join(k for k in kinds if k)
    if not target_type and spec.infer_target_type:
        target_type = _inferred_target_type(row, values)
    agency_code = values["agency_code"] = row.agency = _agency_code(row, spec, values, ds)
    decided = values.get("decision_date")
    published = values.get("published_date")
    compared = [x for x in (decided, published) if x] + ([row.rows.latest] if row.rows.latest else [])
    row.rows.latest = max(compared, default=None)
    if decided and decided > today:
        row.problem("decision_date", "future-date", f"决定日期 {decided.isoformat()} 晚于今天（{today.isoformat()}）",
                    "请核对决定日期")
    if published and published > today:
        row.problem("published_date", "future-date", f"公示日期 {published.isoformat()} 晚于今天（{today.isoformat()}）",
                    "公示日期是此前已公开的日期；尚未公开的决定请留空，由本次构建公开")
    elif published and decided and published < decided:
        row.problem("published_date", "published-before-decided",
                    f"公示日期 {published.isoformat()} 早于决定日期 {decided.isoformat()}", "请核对公示日期和决定日期")
    if row.bad:
        return None
    values.update(docno=docno, category=category, target_type=target_type)
    return Decision(agency_code, docno, category, target_type, decided, values, spec.name,
                    (row.rows.table.name, row.number))


def _raw_key(row: RowReader) -> str:
    """The key a held-back row would have had, so the decision's last good
    version can stay published (see publication.plan)."""
    agency = row.agency or clean_key(str(row.raw("agency_code"))).upper()
    docno = clean_key(str(row.raw("docno"))) or clean_key(str(row.raw("license_no")))
    return f"{agency}/{docno}"


@dataclass
class DecisionFile:
    """What one decision export yields on its own (before later files correct
    its rows): cached per file by ``gongshi.cache``."""
    name: str | None  # None when the file could not be read
    problems: list  # in the order they were found
    held: list[str]  # keys of rows held back for a problem
    decisions: list[Decision]  # accepted rows, in file order
    latest: date | None  # the latest date compared with the build date
    notes: list = field(default_factory=list)  # report notes (level NOTE), in order
    # A file-level problem: the 文书号 its rows hold, as far as they could be read.
    rejected: list[str] | None = None
    people: list[str] = field(default_factory=list)  # natural-person targets' names, any row


_DOCNO_HEADERS = {fold_header(h) for spec in schema.DECISION_SPECS for h in
                  (spec.column("docno").header, *spec.column("docno").aliases)}


def _docnos(table: Table, headers: list[str]) -> list[str]:
    """The 文书号 of a rejected file's rows, so a takedown naming one can say
    where its decision is (an unreadable file has none)."""
    at = next((i for i, h in enumerate(headers) if fold_header(h) in _DOCNO_HEADERS), None)
    return [] if at is None else [clean_key(str(cells[at])) for _, cells in table.rows if str(cells[at]).strip()]


def decision_file(path: Path, data_dir: Path, entities: dict[str, Entity] | None, today: date,
                  columns: ColumnMap = NO_COLUMNS) -> DecisionFile:
    """Read and validate one decision export (every sheet of a workbook whose
    header is a decision format, in sheet order). Depends only on the file,
    the registered entities (None: entities.csv unusable), ``columns`` and
    (through future-date checks) ``today``."""
    part = Dataset(entities=entities or {}, entities_known=entities is not None)
    out = DecisionFile(None, part.report.problems, [], [], None, part.report.notes)
    book = _read_book(path, data_dir, part.report)
    if book is None:
        return out
    out.name = path.relative_to(data_dir).as_posix()
    for sheet in book.hidden:
        part.report.note(out.name, None, None, "sheet-skipped", f"工作表“{sheet}”是隐藏的（或不是普通工作表），未读取")
    sheets = []
    for table in book.tables:
        headers = columns.rename(out.name, table.headers, part.report)  # the webmaster's names (columns.csv)
        sheets.append((table, headers, schema.detect_decision_spec({fold_header(h) for h in headers})))
    if all(spec is None for _, _, spec in sheets):
        table, headers, _ = sheets[0]
        out.rejected = [docno for t, h, _ in sheets for docno in _docnos(t, h)]
        part.report.add(table.name, 1, None, "unknown-format", "无法从表头识别执法决定的格式",
                        "表头须为行政处罚（含“行政处罚决定书文号”“处罚类别”）、行政许可（含“许可类别”"
                        "“行政许可决定文书号”）或其他执法决定（含“执法类别”“决定文书号”）模板之一", FILE)
        return out
    in_file: dict[str, tuple[str, int]] = {}
    for table, headers, spec in sheets:
        if spec is None:  # e.g. a 填报说明 sheet
            part.report.note(table.name, 1, None, "sheet-skipped", "这个工作表的表头不是执法决定的格式，未读取（不会公开）")
            continue
        rows = _Rows(table, spec, part.report, headers)
        if not rows.ok:
            out.rejected = [docno for t, h, _ in sheets for docno in _docnos(t, h)]
            out.decisions, out.held, out.people = [], [], []
            return out
        _decision_rows(rows, spec, part, today, out, in_file)
        out.latest = max((d for d in (out.latest, rows.latest) if d is not None), default=None)
    return out


def _decision_rows(rows: _Rows, spec: Spec, part: Dataset, today: date, out: DecisionFile,
                   in_file: dict[str, tuple[str, int]]) -> None:
    for number, row in rows.records():
        if spec is schema.PENALTY_NATURAL or schema.TARGET_TYPE_ALIASES.get(
                str(row.raw("target_type")).strip(), str(row.raw("target_type")).strip()) == "自然人":
            out.people.append(str(row.raw("target_name")).strip())
        decision = _decision_row(row, spec, part, today)
        if decision is None:
            out.held.append(_raw_key(row))
            continue
        key = decision.key
        if key in in_file:
            where, at = in_file[key]
            place = f"第 {at} 行" if where == rows.table.name else f"{where} 第 {at} 行"
            row.problem("docno", "duplicate-key",
                        f"文书号“{decision.docno}”（机关 {decision.agency_code}）与本文件{place}重复",
                        "同一文件中每个决定只能出现一次；如需更正，请把更正行放在文件名排序更靠后的文件中")
            continue
        in_file[key] = (rows.table.name, number)
        out.decisions.append(decision)


def _decision_paths(data_dir: Path) -> list[Path]:
    folder = data_dir / "decisions"
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))) \
        if folder.is_dir() else []


def load_decisions(data_dir: Path, ds: Dataset, today: date, read_file=decision_file) -> None:
    """``read_file`` is ``decision_file`` or a cached equivalent (gongshi.cache)."""
    paths = _decision_paths(data_dir)
    if not paths:
        ds.report.add("decisions/", None, None, "missing-file", "decisions 目录中没有执法决定文件",
                      "请把执法决定导出为 .csv 或 .xlsx 放入 decisions 目录", FILE)
        ds.decisions_known = False
        return
    for path in paths:
        result = read_file(path, data_dir, ds.entities if ds.entities_known else None, today, ds.columns)
        ds.report.problems.extend(result.problems)
        ds.report.notes.extend(result.notes)
        ds.held_keys.update(result.held)
        ds.people.update(result.people)
        if result.name is not None:
            ds.files.append(result.name)
        if result.name is None or result.rejected is not None:
            ds.rejected[result.name or path.relative_to(data_dir).as_posix()] = result.rejected or []
        for decision in result.decisions:
            key = decision.key
            earlier = ds.decisions.pop(key, None)
            if earlier is not None:
                decision.corrects = earlier.source
                if decision.values.get("published_date") is None:
                    decision.values["published_date"] = earlier.values.get("published_date")
            ds.decisions[key] = decision


def _unmatched_takedown(row: RowReader, docno: str, ds: Dataset) -> None:
    """No decision has this 文书号: say so, unless a rejected file may hold it
    (or there is no decision file at all: that is the one problem then)."""
    if not ds.decisions_known:
        return
    holding = [name for name, docnos in ds.rejected.items() if docno in docnos]
    unread = [name for name, docnos in ds.rejected.items() if not docnos]
    if holding or unread:
        files = "、".join(holding or unread)
        where = "在" if holding else "可能在"
        row.problem("docno", "takedown-in-rejected-file",
                    f"撤下登记的文书号“{docno}”所对应的决定{where}决定文件 {files} 中，该文件有文件级问题，本次未能读取",
                    "请先按该文件的问题修正它；撤下登记本身无需修改")
    else:
        row.problem("docno", "takedown-unmatched", f"撤下登记的文书号“{docno}”没有对应的执法决定",
                    "请核对文书号（及机关统一社会信用代码）是否与决定文件中的完全一致")


def load_takedowns(data_dir: Path, ds: Dataset, today: date) -> None:
    rows = _open(data_dir, ds, "takedowns.csv", schema.TAKEDOWNS, None)
    if rows is None:
        return
    table = rows.table
    by_docno: dict[str, list[str]] = {}
    for key, d in ds.decisions.items():
        by_docno.setdefault(d.docno, []).append(key)
    for number, row in rows.records():
        docno, code = row.key("docno", True), row.code("agency_code")
        reason = row.choice("reason", schema.TAKEDOWN_REASONS)
        reason_date = row.date("reason_date", True, latest=date(today.year + 1, 12, 31))
        note = row.text("note")
        matches = [k for k in by_docno.get(docno, []) if not code or k.startswith(code + "/")]
        if docno and not matches:
            _unmatched_takedown(row, docno, ds)
        elif len(matches) > 1:
            row.problem("agency_code", "takedown-ambiguous",
                        f"文书号“{docno}”对应 {len(matches)} 个机关的决定",
                        "请在“机关统一社会信用代码”列填写作出该决定的机关代码")
        elif matches and reason_date and reason_date < ds.decisions[matches[0]].decision_date:
            decided = ds.decisions[matches[0]].decision_date.isoformat()
            row.problem("reason_date", "takedown-before-decision",
                        f"原因发生日期 {reason_date.isoformat()} 早于该决定的决定日期 {decided}",
                        "撤下的原因只能发生在决定作出之后，请核对原因发生日期")
        if row.bad or not matches:
            continue
        ds.takedowns.append(Takedown(docno, code or matches[0].split("/", 1)[0], reason,
                                     reason_date, note, (table.name, number), matches[0]))


def load_dataset(data_dir: Path | str, today: date, read_decision_file=decision_file) -> Dataset:
    """Read and validate every input file. Never raises for bad input.
    ``read_decision_file``: see ``load_decisions``."""
    data_dir = Path(data_dir)
    ds = Dataset()
    if not data_dir.is_dir():
        ds.report.add(str(data_dir), None, None, "missing-folder", "数据目录不存在",
                      "请用 --data 指定包含 entities.csv、staff.csv 和 decisions/ 的目录", FILE)
        return ds
    ds.columns = load_columns(data_dir, ds.report)
    load_entities(data_dir, ds)
    load_staff(data_dir, ds)
    load_checklists(data_dir, ds)
    load_decisions(data_dir, ds, today, read_decision_file)
    load_takedowns(data_dir, ds, today)
    return ds
