"""The input formats of the data contract: columns, aliases, required fields.

Each input kind is a ``Spec``: an ordered list of ``Column`` with a stable
English id (used everywhere in the code), the canonical Chinese header, known
aliases and whether it is required. Headers are compared after ``fold_header``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

CATEGORIES = ("行政处罚", "行政许可", "行政强制", "行政检查", "行政征收征用", "行政确认", "其他")
# ASCII slugs for facet URLs; fixed so URLs never change.
CATEGORY_SLUGS = {
    "行政处罚": "penalty",
    "行政许可": "license",
    "行政强制": "coercion",
    "行政检查": "inspection",
    "行政征收征用": "expropriation",
    "行政确认": "confirmation",
    "其他": "other",
}
OTHER_CATEGORIES = CATEGORIES[2:]  # format C
TARGET_TYPES = ("法人及非法人组织", "个体工商户", "自然人")
TARGET_TYPE_ALIASES = {
    "法人": "法人及非法人组织",
    "非法人组织": "法人及非法人组织",
    "法人和非法人组织": "法人及非法人组织",
    "法人或非法人组织": "法人及非法人组织",
    "法人及其他组织": "法人及非法人组织",
    "个体户": "个体工商户",
}
ENTITY_TYPES = ("行政机关", "法律法规授权组织", "受委托组织")
STAFF_STATUSES = ("有效", "暂扣", "注销")
TAKEDOWN_REASONS = ("决定被撤销", "决定被确认违法", "要求重新作出", "公示期满", "信用修复", "信息有误", "其他")

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_DROP = re.compile(r"[\s_\-]+")


def fold_header(text: str) -> str:
    """Fold a header cell: NFKC (full-width → half-width), brackets, no spaces/underscores."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    return _DROP.sub("", text).lower()


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | date | end (a date or 长期) | amount


@dataclass
class Spec:
    name: str  # e.g. "行政处罚"
    columns: list[Column]
    category: str | None = None  # the decisions' category; None: the row's 执法类别
    target_type: str | None = None  # fixed 行政相对人类别, when the format has none
    # The 2016 templates: no 行政相对人类别 (inferred from the codes given) and no
    # agency code (the agency is found by its name in entities.csv).
    infer_target_type: bool = False
    agency_by_name: bool = False
    lookup: dict[str, Column] = field(init=False)

    def __post_init__(self):
        self.lookup = {}
        for col in self.columns:
            for h in (col.header, *col.aliases):
                self.lookup[fold_header(h)] = col

    def column(self, cid: str) -> Column:
        return next(c for c in self.columns if c.id == cid)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def C(id, header, required=False, *aliases, kind="text"):
    return Column(id, header, required, tuple(aliases), kind)


ENTITIES = Spec("执法主体", [
    C("name", "主体名称", True, "执法主体名称", "执法主体"),
    C("code", "统一社会信用代码", True, "主体统一社会信用代码"),
    C("type", "主体类别", True, "主体性质"),
    C("parent", "上级主管部门"),
    C("duties", "法定职责"),
    C("basis", "执法依据"),
    C("area", "执法区域"),
    C("address", "办公地址"),
    C("phone", "联系电话"),
    C("website", "网址", False, "网站"),
    C("review_body", "行政复议机关"),
    C("court", "行政诉讼管辖法院"),
    C("complaint_phone", "投诉举报电话"),
])

STAFF = Spec("执法人员", [
    C("name", "姓名", True),
    C("cert_no", "执法证号", True, "执法证件号", "执法证编号", "执法证件号码"),
    C("entity", "所属主体", True, "所属执法主体"),
    C("category", "执法类别", False, "执法门类"),
    C("area", "执法区域"),
    C("valid_until", "证件有效期至", False, "有效期至", kind="end"),
    C("status", "证件状态"),
])

TAKEDOWNS = Spec("撤下登记", [
    C("docno", "文书号", True, "决定文书号", "行政处罚决定书文号", "行政许可决定文书号", "行政许可决定书文号"),
    C("agency_code", "机关统一社会信用代码", False, "处罚机关统一社会信用代码",
      "许可机关统一社会信用代码", "执法机关统一社会信用代码"),
    C("reason", "撤下原因", True),
    C("reason_date", "原因发生日期", True, kind="date"),
    C("note", "说明", False, "撤下说明"),
])

_TARGET_COMMON = [
    C("code_1", "行政相对人代码_1（统一社会信用代码）", False, "行政相对人代码_1", "统一社会信用代码"),
    C("code_2", "行政相对人代码_2（工商注册号）", False, "行政相对人代码_2"),
    C("code_3", "行政相对人代码_3（组织机构代码）", False, "行政相对人代码_3"),
    C("code_4", "行政相对人代码_4（税务登记号）", False, "行政相对人代码_4"),
    C("code_5", "行政相对人代码_5（事业单位证书号）", False, "行政相对人代码_5"),
    C("code_6", "行政相对人代码_6（社会组织登记证号）", False, "行政相对人代码_6"),
    C("legal_rep", "法定代表人", False, "法定代表人姓名"),
    C("legal_rep_id_type", "法定代表人证件类型"),
    C("legal_rep_id", "法定代表人证件号码"),
    C("id_type", "证件类型"),
    C("id_number", "证件号码"),
]
_TAIL = [
    C("source_unit", "数据来源单位"),
    C("source_unit_code", "数据来源单位统一社会信用代码"),
    C("remark", "备注"),
    C("published_date", "公示日期", kind="date"),
]

PENALTY = Spec("行政处罚", [
    C("target_name", "行政相对人名称", True),
    C("target_type", "行政相对人类别", True),
    *_TARGET_COMMON,
    C("docno", "行政处罚决定书文号", True, "处罚决定书文号"),
    C("violation_type", "违法行为类型", True),
    C("facts", "违法事实", True),
    C("basis", "处罚依据", True),
    C("penalty_type", "处罚类别", True),
    C("content", "处罚内容", True),
    C("fine_wan", "罚款金额（万元）", False, "处罚金额（万元）", "罚款金额", kind="amount"),
    C("confiscation_wan", "没收违法所得、没收非法财物的金额（万元）", False,
      "没收违法所得没收非法财物的金额（万元）", "没收金额（万元）", kind="amount"),
    C("license_action", "暂扣或吊销证照名称及编号"),
    C("decision_date", "处罚决定日期", True, kind="date"),
    C("penalty_valid_until", "处罚有效期", kind="end"),
    C("deadline", "公示截止期", kind="date"),
    C("agency_name", "处罚机关", True),
    C("agency_code", "处罚机关统一社会信用代码", True),
    C("procedure", "案件程序类别"),
    *_TAIL,
], category="行政处罚")

LICENSE = Spec("行政许可", [
    C("target_name", "行政相对人名称", True),
    C("target_type", "行政相对人类别", True),
    *_TARGET_COMMON,
    C("doc_title", "行政许可决定文书名称"),
    C("docno", "行政许可决定文书号", False),  # falls back to 许可编号 (checked per row)
    C("license_type", "许可类别", True),
    C("cert_name", "许可证书名称"),
    C("license_no", "许可编号"),
    C("content", "许可内容", True),
    C("decision_date", "许可决定日期", True, kind="date"),
    C("valid_from", "有效期自", kind="date"),
    C("valid_to", "有效期至", kind="end"),
    C("deadline", "公示截止期", kind="date"),
    C("agency_name", "许可机关", True),
    C("agency_code", "许可机关统一社会信用代码", True),
    C("status", "当前状态"),
    *_TAIL,
], category="行政许可")

OTHER = Spec("其他执法决定", [
    C("category", "执法类别", True),
    C("docno", "决定文书号", True),
    C("agency_name", "执法机关", True),
    C("agency_code", "执法机关统一社会信用代码", True),
    C("target_name", "执法对象名称", True),
    C("target_type", "执法对象类别", True),
    C("code_1", "统一社会信用代码"),
    C("id_number", "证件号码"),
    C("basis", "执法依据"),
    C("content", "执法结论", True),
    C("decision_date", "决定日期", True, kind="date"),
    C("deadline", "公示截止期", kind="date"),
    C("published_date", "公示日期", kind="date"),
    C("remark", "备注"),
])

# The older 自然人 处罚 template: no 行政相对人类别, target is always 自然人.
PENALTY_NATURAL = Spec("行政处罚（自然人）", [
    c if c.id != "target_type" else Column("target_type", "行政相对人类别", False)
    for c in PENALTY.columns
], category="行政处罚", target_type="自然人")

# The 2016 双公示 templates (信用信息公示数据标准 v1; see docs/input-formats.md for the
# sources and how they differ from today's): their own headers, mapped onto the
# same column ids. 代码_2…_5 meant other registers then (代码_5 = 居民身份证号).
_CODES_2016 = [
    C("code_1", "行政相对人代码_1（统一社会信用代码）", False, "行政相对人代码_1", "统一社会信用代码"),
    C("code_3", "行政相对人代码_2（组织机构代码）", False, "组织机构代码"),
    C("code_2", "行政相对人代码_3（工商登记码）", False, "行政相对人代码_3（工商注册号）", "工商登记码", "工商注册号"),
    C("code_4", "行政相对人代码_4（税务登记号）", False, "税务登记号"),
    C("id_number", "行政相对人代码_5（居民身份证号）", False, "行政相对人代码_5", "居民身份证号", "身份证号"),
    C("legal_rep", "法定代表人姓名", False, "法定代表人"),
    C("target_type", "行政相对人类别", False),  # absent from the template; used when present
]
_TAIL_2016 = [
    C("deadline", "公示截止期", kind="date"),
    C("status", "当前状态"),
    C("local_code", "地方编码"),  # never published
    C("updated_stamp", "数据更新时间戳"),  # never published (and not read as a date)
    C("remark", "备注"),
    C("published_date", "公示日期", kind="date"),
]

PENALTY_2016 = Spec("行政处罚（2016版模板）", [
    C("docno", "行政处罚决定书文号", True, "处罚决定书文号"),
    C("violation_type", "处罚名称", True),
    C("penalty_type_1", "处罚类别1", True),
    C("penalty_type_2", "处罚类别2"),
    C("facts", "处罚事由", True),
    C("basis", "处罚依据", True),
    C("target_name", "行政相对人名称", True),
    *_CODES_2016,
    C("content", "处罚结果", True),
    C("fine_wan", "罚款金额（万元）", False, "处罚金额（万元）", "罚款金额", kind="amount"),
    C("confiscation_wan", "没收违法所得、没收非法财物的金额（万元）", False,
      "没收违法所得没收非法财物的金额（万元）", "没收金额（万元）", kind="amount"),
    C("decision_date", "处罚决定日期", True, kind="date"),
    C("penalty_valid_until", "处罚有效期", kind="end"),
    C("agency_name", "处罚机关", True),
    C("agency_code", "处罚机关统一社会信用代码"),
    C("procedure", "案件程序类别"),
    *_TAIL_2016,
], category="行政处罚", infer_target_type=True, agency_by_name=True)

LICENSE_2016 = Spec("行政许可（2016版模板）", [
    C("docno", "行政许可决定书文号", True),
    C("project_name", "项目名称", True),
    C("license_type", "审批类别", True),
    C("content", "许可内容", True),
    C("target_name", "行政相对人名称", True),
    *_CODES_2016,
    C("decision_date", "许可决定日期", True, kind="date"),
    C("valid_from", "许可生效期", False, "有效期自", kind="date"),
    C("valid_to", "许可截止期", False, "有效期至", kind="end"),
    C("agency_name", "许可机关", True),
    C("agency_code", "许可机关统一社会信用代码"),
    *_TAIL_2016,
], category="行政许可", infer_target_type=True, agency_by_name=True)

DECISION_SPECS = (PENALTY, PENALTY_NATURAL, PENALTY_2016, LICENSE, LICENSE_2016, OTHER)


def detect_decision_spec(folded_headers: set[str]) -> Spec | None:
    """Recognise a decisions file's format from its (folded) header row."""
    def has(spec, cid):
        col = spec.column(cid)
        return any(fold_header(h) in folded_headers for h in (col.header, *col.aliases))

    def has_header(*headers):
        return any(fold_header(h) in folded_headers for h in headers)

    # One distinctive header is enough; missing required ones are then
    # reported by name rather than as an unknown format. A 2016 file has its
    # own distinctive headers and none of today's (which win when both occur).
    if has(PENALTY, "docno"):
        if has_header("处罚类别1", "处罚事由", "处罚结果", "处罚名称") and \
                not has_header("违法事实", "处罚内容", "违法行为类型", "处罚类别"):
            return PENALTY_2016
        return PENALTY if has(PENALTY, "target_type") else PENALTY_NATURAL
    if has_header("行政许可决定书文号", "审批类别", "许可截止期", "项目名称") and \
            not has_header("行政许可决定文书号", "许可类别"):
        return LICENSE_2016
    if any(has(LICENSE, c) for c in ("docno", "license_type", "decision_date", "agency_code")):
        return LICENSE
    if has(OTHER, "category") or has(OTHER, "docno"):
        return OTHER
    return None


def known_headers() -> dict[str, str]:
    """Every header (and alias) of a decision format, folded → as written: the
    standard names a columns.csv may rename an export's header to."""
    known: dict[str, str] = {}
    for spec in DECISION_SPECS:
        for col in spec.columns:
            for h in (col.header, *col.aliases):
                known.setdefault(fold_header(h), h)
    return known
