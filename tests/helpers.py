"""Small datasets written as real files, for tests that need exact control.

``write_dataset`` writes a minimal valid data folder; tests then overwrite
single files with hostile or broken variants.
"""
from __future__ import annotations

import csv
import gzip
import html
import io
import json
import os
import re
import time
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

AGENCY_A = "11110105MB0123456X"
AGENCY_B = "11110105MB0765432Y"
COMPANY_CODE = "91110105MA01ABCD2X"

ENTITY_HEADER = ["主体名称", "统一社会信用代码", "主体类别", "上级主管部门", "法定职责", "执法依据", "执法区域",
                 "办公地址", "联系电话", "网址", "行政复议机关", "行政诉讼管辖法院", "投诉举报电话"]
ENTITIES = [
    ["清河区应急管理局", AGENCY_A, "行政机关", "示例市应急管理局", "安全生产监督管理", "《中华人民共和国安全生产法》",
     "清河区", "清河区安宁路1号", "010-81234567", "https://yjj.example.gov.cn", "清河区人民政府",
     "清河区人民法院", "12350"],
    ["清河区市场监督管理局", AGENCY_B, "行政机关", "", "市场监管", "《中华人民共和国食品安全法》", "清河区",
     "清河区和平路2号", "010-87654321", "", "清河区人民政府", "清河区人民法院", "12315"],
]
STAFF_HEADER = ["姓名", "执法证号", "所属主体", "执法类别", "执法区域", "证件有效期至", "证件状态", "身份证号", "手机号"]
STAFF = [
    ["王建国", "11010523001", "清河区应急管理局", "安全生产", "清河区", "2028-12-31", "有效", "110105197001011234", "13800138000"],
    ["欧阳明", "11010523002", AGENCY_A, "安全生产", "清河区", "2025-01-31", "有效", "110105198002022345", "13900139000"],
    ["李红", "11010523003", "清河区市场监督管理局", "市场监管", "清河区", "2029-06-30", "暂扣", "110105199003033456", ""],
]
PENALTY_HEADER = [
    "行政相对人名称", "行政相对人类别", "行政相对人代码_1（统一社会信用代码）", "行政相对人代码_2（工商注册号）",
    "法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码", "行政处罚决定书文号",
    "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）", "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期", "公示截止期",
    "处罚机关", "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码", "备注",
]


def penalty_row(**kw) -> list[str]:
    base = {
        "行政相对人名称": "示例恒达建材有限公司", "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1（统一社会信用代码）": COMPANY_CODE, "行政相对人代码_2（工商注册号）": "110105000123456",
        "法定代表人": "赵大海", "法定代表人证件类型": "身份证", "法定代表人证件号码": "110105196505051239",
        "证件类型": "", "证件号码": "", "行政处罚决定书文号": "清应急罚〔2024〕1号",
        "违法行为类型": "未按规定开展安全生产教育培训", "违法事实": "经查，当事人未对从业人员进行安全生产教育培训。",
        "处罚依据": "《中华人民共和国安全生产法》第九十七条", "处罚类别": "警告;罚款",
        "处罚内容": "警告，并处罚款人民币2万元", "罚款金额（万元）": "2", "没收违法所得、没收非法财物的金额（万元）": "",
        "暂扣或吊销证照名称及编号": "", "处罚决定日期": "2024-03-05", "处罚有效期": "2025-03-05",
        "公示截止期": "2027-03-05", "处罚机关": "清河区应急管理局", "处罚机关统一社会信用代码": AGENCY_A,
        "数据来源单位": "清河区应急管理局", "数据来源单位统一社会信用代码": AGENCY_A, "备注": "内部备注：承办人张科长",
    }
    base.update(kw)
    return [base[h] for h in PENALTY_HEADER]


LICENSE_HEADER = ["行政相对人名称", "行政相对人类别", "行政相对人代码_1（统一社会信用代码）", "法定代表人",
                  "证件类型", "证件号码", "行政许可决定文书名称", "行政许可决定文书号", "许可类别", "许可证书名称",
                  "许可编号", "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码",
                  "当前状态", "数据来源单位", "数据来源单位统一社会信用代码", "备注"]


def license_row(**kw) -> list[str]:
    base = {
        "行政相对人名称": "清河区老王小吃店", "行政相对人类别": "个体工商户", "行政相对人代码_1（统一社会信用代码）":
        "92110105MA02XYZ12K", "法定代表人": "王老五", "证件类型": "", "证件号码": "",
        "行政许可决定文书名称": "食品经营许可决定书", "行政许可决定文书号": "清市监许〔2025〕8号", "许可类别": "普通",
        "许可证书名称": "食品经营许可证", "许可编号": "JY11101050012345", "许可内容": "预包装食品销售",
        "许可决定日期": "2025/6/1", "有效期自": "2025年6月1日", "有效期至": "20300531", "许可机关": "清河区市场监督管理局",
        "许可机关统一社会信用代码": AGENCY_B, "当前状态": "有效", "数据来源单位": "清河区市场监督管理局",
        "数据来源单位统一社会信用代码": AGENCY_B, "备注": "",
    }
    base.update(kw)
    return [base[h] for h in LICENSE_HEADER]


OTHER_HEADER = ["执法类别", "决定文书号", "执法机关", "执法机关统一社会信用代码", "执法对象名称", "执法对象类别",
                "统一社会信用代码", "证件号码", "执法依据", "执法结论", "决定日期", "公示截止期", "公示日期", "备注"]


def other_row(**kw) -> list[str]:
    base = {
        "执法类别": "行政检查", "决定文书号": "清应急检〔2026〕3号", "执法机关": "清河区应急管理局",
        "执法机关统一社会信用代码": AGENCY_A, "执法对象名称": "示例恒达建材有限公司", "执法对象类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_CODE, "证件号码": "", "执法依据": "《中华人民共和国安全生产法》第六十五条",
        "执法结论": "未发现违法行为", "决定日期": "2026.3.5", "公示截止期": "", "公示日期": "", "备注": "",
    }
    base.update(kw)
    return [base[h] for h in OTHER_HEADER]


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def write_csv(path: Path, header, rows, encoding="utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(header, rows, encoding))
    return path


def write_dataset(root: Path, decisions=None, licenses=None, others=None, takedowns=None) -> Path:
    """A small valid data folder under root/data."""
    data = root / "data"
    write_csv(data / "entities.csv", ENTITY_HEADER, ENTITIES)
    write_csv(data / "staff.csv", STAFF_HEADER, STAFF)
    write_csv(data / "checklists" / "行政执法事项清单.csv", ["事项名称", "事项类别", "设定依据", "所属主体"], [
        ["对未按规定开展安全生产教育培训的处罚", "行政处罚", "《安全生产法》第九十七条", "清河区应急管理局"],
        ["食品经营许可", "行政许可", "《食品安全法》第三十五条", "清河区市场监督管理局"],
    ])
    if decisions is None:
        decisions = [penalty_row(), penalty_row(**{
            "行政相对人名称": "张三", "行政相对人类别": "自然人", "行政相对人代码_1（统一社会信用代码）": "",
            "法定代表人": "", "证件类型": "身份证", "证件号码": "110105199001011237",
            "行政处罚决定书文号": "清应急罚〔2024〕2号", "违法事实": "当事人张三于2024年2月在仓库吸烟，联系电话13912345678。",
            # A fine: a penalty of only 警告 is not published by default (gongshi/rules.py).
            "处罚类别": "罚款", "处罚内容": "对张三罚款200元", "罚款金额（万元）": "0.02", "处罚决定日期": "2024/4/1"})]
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, decisions)
    write_csv(data / "decisions" / "2025-行政许可.csv", LICENSE_HEADER, licenses if licenses is not None else [license_row()])
    write_csv(data / "decisions" / "2026-其他.csv", OTHER_HEADER, others if others is not None else [other_row()])
    if takedowns is not None:
        write_csv(data / "takedowns.csv", ["文书号", "机关统一社会信用代码", "撤下原因", "原因发生日期", "说明"], takedowns)
    return data


TODAY = date(2026, 11, 22)


# --- Records as dicts (header → value), for files with extra or missing columns. ---

TAKEDOWN_HEADER = ["文书号", "机关统一社会信用代码", "撤下原因", "原因发生日期", "说明"]
# The older 自然人 处罚 template: 行政相对人名称, 证件类型, 证件号码, then 文号 … 备注 as in A.
NATURAL_PENALTY_HEADER = ["行政相对人名称", "证件类型", "证件号码"] + PENALTY_HEADER[PENALTY_HEADER.index("行政处罚决定书文号"):]


def penalty_record(**kw) -> dict:
    """A valid 行政处罚 row as {header: value}; kw may change or add columns."""
    return {**dict(zip(PENALTY_HEADER, penalty_row())), **kw}


def license_record(**kw) -> dict:
    return {**dict(zip(LICENSE_HEADER, license_row())), **kw}


def other_record(**kw) -> dict:
    return {**dict(zip(OTHER_HEADER, other_row())), **kw}


def natural_record(**kw) -> dict:
    base = penalty_record(**{"行政相对人名称": "李四", "证件类型": "身份证", "证件号码": "110105199202023456",
                             "行政处罚决定书文号": "清应急罚〔2023〕9号", "违法事实": "李四在禁火区吸烟。",
                             "处罚类别": "罚款", "处罚内容": "对李四罚款100元", "罚款金额（万元）": "0.01"})
    return {**{h: base[h] for h in NATURAL_PENALTY_HEADER}, **kw}


def header_of(records) -> list[str]:
    """Ordered union of the records' keys."""
    header: list[str] = []
    for record in records:
        header += [k for k in record if k not in header]
    return header


def write_records(path: Path, records, header=None, encoding="utf-8") -> Path:
    """Write dict records as CSV; ``None`` in records writes a blank line."""
    header = header or header_of(r for r in records if r is not None)
    rows = [[] if r is None else [r.get(h, "") for h in header] for r in records]
    return write_csv(path, header, rows, encoding)


def write_xlsx(path: Path, header, rows) -> Path:
    """A real .xlsx (first sheet). Cell values keep their Python type: str → text
    cell, int/float → number cell, date/datetime → date cell; [] → a blank row."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


# --- Decision lists: following the 较早 / 较新 links of a built site. ---

# Every decision list: all, narrowed by agency, category and/or year (in that order).
LIST_PAGE = re.compile(r"decisions/(?:agency/[^/]+/)?(?:category/[^/]+/)?(?:year/[^/]+/)?(?:index\.html|p/[^/]+\.html)")
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
PREV = re.compile(r'<a href="([^"]+)" rel="prev">')
ROW = re.compile(r'<th scope="row" data-label="文书号"><a href="([^"]+)">')
FOOTER_DATE = re.compile(r'数据更新日期：<time datetime="([0-9-]+)">')


SITEURL = "https://zfgs.example.gov.cn"  # a production address: builds with it write a sitemap


def sitemap_lastmods(out: Path, siteurl: str = SITEURL) -> dict[str, str]:
    """The built site's sitemap.xml (built with ``siteurl``): root-relative path → lastmod.
    Every <loc> must be the absolute address under ``siteurl``."""
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.parse(Path(out) / "sitemap.xml").getroot()
    out = {}
    for u in root.iter(f"{ns}url"):
        loc = u.find(f"{ns}loc").text
        assert loc.startswith(siteurl + "/"), loc
        out[loc.removeprefix(siteurl + "/")] = u.find(f"{ns}lastmod").text
    return out


def resolve(page: str, href: str) -> str:
    """A page's relative link → root-relative path (the anchor dropped)."""
    return os.path.normpath(os.path.join(os.path.dirname(page), html.unescape(href).split("#")[0])).replace(os.sep, "/")


def walk(root: Path, folder: str) -> tuple[list[str], list[str]]:
    """Follow rel=next from ``folder/index.html``: (pages visited, decision URLs in order);
    checks every rel=prev points back."""
    pages, rows, url, previous = [], [], f"{folder}index.html", None
    while url:
        assert url not in pages, f"loop at {url}"
        text = (root / url).read_text(encoding="utf-8")
        pages.append(url)
        rows += [resolve(url, href) for href in ROW.findall(text)]
        back = PREV.findall(text)
        assert [resolve(url, h) for h in back] == ([previous] if previous else []), url
        forward = NEXT.findall(text)
        assert len(forward) <= 1
        previous, url = url, resolve(url, forward[0]) if forward else None
    return pages, rows


# --- the published search index ---------------------------------------------------

def listing(out: Path) -> dict:
    return json.loads((Path(os.path.realpath(out)) / "pagefind" / "shards.json").read_text(encoding="utf-8"))


def shards(out: Path) -> list[str]:
    """The shard ids search.js reads, in its order (and the delta, if any)."""
    got = listing(out)
    return [s["id"] for s in got["shards"]] + ([got["delta"]["id"]] if "delta" in got else [])


def fragments(out: Path, shard: str | None = None) -> dict[str, str]:
    """Indexed page URL → indexed text (zero-width word breaks removed), over
    every shard (or one); a page is in one shard only (a kept shard does not
    publish the fragments of its superseded pages)."""
    pages = {}
    root = Path(os.path.realpath(out)) / "pagefind"
    for path in sorted(p for s in ([shard] if shard else shards(out)) for p in (root / s / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        doc = json.loads(raw[len(b"pagefind_dcd"):])
        assert doc["url"] not in pages
        pages[doc["url"]] = doc["content"].replace("\u200b", "")
        pages[doc["url"] + "#meta"] = doc
    return pages


def only(ds, code):
    """The one problem with this code (fails listing all problems otherwise)."""
    found = [p for p in ds.report.problems if p.code == code]
    assert len(found) == 1, [str(p) for p in ds.report.problems]
    return found[0]


def assert_clean(ds) -> None:
    """The dataset loaded without a single problem (fails listing them otherwise)."""
    assert ds.report.problems == [], [str(p) for p in ds.report.problems]



def linger(path: str, emit) -> None:
    """A side process's work (render.Background) that says its pid and then
    takes a minute: for tests of what happens to it when the build dies."""
    tmp = f"{path}.tmp"
    Path(tmp).write_text(str(os.getpid()))
    os.replace(tmp, path)
    time.sleep(60)
