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
from .problems import FILE, Report
from .schema import Spec, fold_header
from .sources import SourceError, Table, read_table
from .values import ValueProblem, parse_amount, parse_date

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
    valid_until: date | None
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
    values: dict  # column id → str | date | float | None (private fields included)
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


class _Rows:
    """Map a table's headers onto a spec; report header problems."""

    def __init__(self, table: Table, spec: Spec, report: Report, required: list | None = None):
        self.table, self.spec, self.report = table, spec, report
        self.index: dict[str, int] = {}
        self.header_of: dict[str, str] = {}
        self.latest: date | None = None  # the latest date compared with the build date
        self.ok = True
        for i, header in enumerate(table.headers):
            col = spec.lookup.get(fold_header(header))
            if col is None:
                continue  # unknown extra columns are allowed and never published
            if col.id in self.index:
                report.add(table.name, 1, header, "duplicate-column",
                           f"列“{header}”与列“{self.header_of[col.id]}”是同一项（{col.header}）",
                           "请删除其中一列", FILE)
                self.ok = False
                continue
            self.index[col.id] = i
            self.header_of[col.id] = header
        for col in (spec.required if required is None else required):
            if col.id not in self.index:
                report.add(table.name, 1, col.header, "missing-column",
                           f"缺少必需的列“{col.header}”（{spec.name}）",
                           f"请在表头中加上“{col.header}”列，或核对列名是否写错", FILE)
                self.ok = False

    def col_name(self, cid: str) -> str:
        return self.header_of.get(cid) or self.spec.column(cid).header

    def records(self):
        for number, cells in self.table.rows:
            yield number, RowReader(self, number, cells)


class RowReader:
    """One row: typed access by column id, collecting problems."""

    def __init__(self, rows: _Rows, number: int, cells: list):
        self.rows, self.number, self.cells = rows, number, cells
        self.bad = False

    def problem(self, cid: str | None, code: str, message: str, fix: str) -> None:
        col = self.rows.col_name(cid) if cid else None
        self.rows.report.add(self.rows.table.name, self.number, col, code, message, fix)
        self.bad = True

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

    def code(self, cid: str, required: bool = False) -> str:
        value = self.raw(cid)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
            self.problem(cid, "number-code", "代码被 Excel 存成了数字，末尾几位可能已丢失",
                         "请把该列设置为“文本”格式后重新输入代码")
            return ""
        return unicodedata.normalize("NFKC", self.text(cid, required)).upper()

    def date(self, cid: str, required: bool = False) -> date | None:
        value = self.raw(cid)
        try:
            parsed = parse_date(value)
        except ValueProblem as exc:
            self.problem(cid, exc.code, exc.message, exc.fix)
            return None
        if parsed is None and required:
            self.text(cid, required=True)
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
    try:
        return read_table(path, data_dir)
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
    """Read data_dir/name and map its headers; None when absent or unusable.
    ``missing`` = (message, fix) makes an absent file a file-level problem."""
    path = data_dir / name
    if not path.exists():
        if missing:
            ds.report.add(name, None, None, "missing-file", missing[0], missing[1], FILE)
        return None
    table = _read(path, data_dir, ds.report)
    if table is None:
        return None
    rows = _Rows(table, spec, ds.report)
    return rows if rows.ok else None


def load_entities(data_dir: Path, ds: Dataset) -> None:
    rows = _open(data_dir, ds, "entities.csv", schema.ENTITIES,
                 ("缺少执法主体文件 entities.csv", "请在数据目录中放入 entities.csv（执法主体清单）"))
    if rows is None:
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
        valid_until = row.date("valid_until")
        if cert in seen:
            row.problem("cert_no", "duplicate-key", f"执法证号“{cert}”与第 {seen[cert]} 行重复",
                        "执法证号须唯一，请删除重复的行或核对证号")
        code = lookup.get(entity) or lookup.get(entity.upper())
        if entity and code is None:
            row.problem("entity", "unknown-entity", f"所属主体“{entity}”不在 entities.csv 中",
                        "请填写 entities.csv 中某个主体的主体名称或统一社会信用代码")
        if row.bad:
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


def _decision_row(row: RowReader, spec: Spec, ds: Dataset, today: date) -> Decision | None:
    natural = spec is schema.PENALTY_NATURAL
    if spec is schema.OTHER:
        category = row.text("category", True)
        if category in ("行政处罚", "行政许可"):
            row.problem("category", "bad-value", f"{category}决定应使用“{category}”双公示模板",
                        f"请把这一行移到{category}（双公示表头）的文件中")
        elif category and category not in schema.OTHER_CATEGORIES:
            row.problem("category", "bad-value", f"执法类别“{category}”不是允许的取值",
                        "请填写以下之一：" + "、".join(schema.OTHER_CATEGORIES))
    else:
        category = spec.name if not natural else "行政处罚"
    if natural:
        target_type = "自然人"
    else:
        target_type = row.choice("target_type", schema.TARGET_TYPES, schema.TARGET_TYPE_ALIASES)
    docno = row.text("docno", required=spec is not schema.LICENSE)
    if spec is schema.LICENSE and not docno:
        docno = row.text("license_no")
        if not docno:
            row.problem("docno", "required", "行政许可决定文书号和许可编号都为空",
                        "请填写行政许可决定文书号（或至少填写许可编号）")
    values: dict = {}
    for col in spec.columns:
        if col.kind == "date":
            values[col.id] = row.date(col.id, col.required)
        elif col.kind == "amount":
            values[col.id] = row.amount(col.id)
        elif col.id in ("agency_code", "code_1"):
            values[col.id] = row.code(col.id, col.required)
        elif col.id not in ("docno", "category", "target_type"):
            values[col.id] = row.text(col.id, col.required)
    agency_code = values["agency_code"]
    if _credit_code_ok(row, "agency_code", agency_code) and agency_code and agency_code not in ds.entities:
        row.problem("agency_code", "unknown-entity", f"机关统一社会信用代码“{agency_code}”不在 entities.csv 中",
                    "请核对代码，或先在 entities.csv 中登记该执法主体")
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
    agency = unicodedata.normalize("NFKC", str(row.raw("agency_code"))).strip().upper()
    docno = str(row.raw("docno")).strip() or str(row.raw("license_no")).strip()
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


def decision_file(path: Path, data_dir: Path, entities: dict[str, Entity], today: date) -> DecisionFile:
    """Read and validate one decision export. Depends only on the file, the
    registered entity codes and (through future-date checks) ``today``."""
    part = Dataset(entities=entities)
    out = DecisionFile(None, part.report.problems, [], [], None)
    table = _read(path, data_dir, part.report)
    if table is None:
        return out
    out.name = table.name
    spec = schema.detect_decision_spec({fold_header(h) for h in table.headers})
    if spec is None:
        part.report.add(table.name, 1, None, "unknown-format", "无法从表头识别执法决定的格式",
                        "表头须为行政处罚（含“行政处罚决定书文号”“处罚类别”）、行政许可（含“许可类别”"
                        "“行政许可决定文书号”）或其他执法决定（含“执法类别”“决定文书号”）模板之一", FILE)
        return out
    rows = _Rows(table, spec, part.report)
    if not rows.ok:
        return out
    in_file: dict[str, int] = {}
    for number, row in rows.records():
        decision = _decision_row(row, spec, part, today)
        if decision is None:
            out.held.append(_raw_key(row))
            continue
        key = decision.key
        if key in in_file:
            row.problem("docno", "duplicate-key",
                        f"文书号“{decision.docno}”（机关 {decision.agency_code}）与本文件第 {in_file[key]} 行重复",
                        "同一文件中每个决定只能出现一次；如需更正，请把更正行放在文件名排序更靠后的文件中")
            continue
        in_file[key] = number
        out.decisions.append(decision)
    out.latest = rows.latest
    return out


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
        return
    for path in paths:
        result = read_file(path, data_dir, ds.entities, today)
        ds.report.problems.extend(result.problems)
        ds.held_keys.update(result.held)
        if result.name is not None:
            ds.files.append(result.name)
        for decision in result.decisions:
            key = decision.key
            earlier = ds.decisions.pop(key, None)
            if earlier is not None:
                decision.corrects = earlier.source
                if decision.values.get("published_date") is None:
                    decision.values["published_date"] = earlier.values.get("published_date")
            ds.decisions[key] = decision


def load_takedowns(data_dir: Path, ds: Dataset) -> None:
    rows = _open(data_dir, ds, "takedowns.csv", schema.TAKEDOWNS, None)
    if rows is None:
        return
    table = rows.table
    by_docno: dict[str, list[str]] = {}
    for key, d in ds.decisions.items():
        by_docno.setdefault(d.docno, []).append(key)
    for number, row in rows.records():
        docno, code = row.text("docno", True), row.code("agency_code")
        reason = row.choice("reason", schema.TAKEDOWN_REASONS)
        reason_date = row.date("reason_date", True)
        note = row.text("note")
        matches = [k for k in by_docno.get(docno, []) if not code or k.startswith(code + "/")]
        if docno and not matches:
            row.problem("docno", "takedown-unmatched", f"撤下登记的文书号“{docno}”没有对应的执法决定",
                        "请核对文书号（及机关统一社会信用代码）是否与决定文件中的完全一致")
        elif len(matches) > 1:
            row.problem("agency_code", "takedown-ambiguous",
                        f"文书号“{docno}”对应 {len(matches)} 个机关的决定",
                        "请在“机关统一社会信用代码”列填写作出该决定的机关代码")
        if row.bad:
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
    load_entities(data_dir, ds)
    load_staff(data_dir, ds)
    load_checklists(data_dir, ds)
    load_decisions(data_dir, ds, today, read_decision_file)
    load_takedowns(data_dir, ds)
    return ds
