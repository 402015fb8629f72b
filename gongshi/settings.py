"""Every setting the plugin reads, declared once with its default and help text.

The README documents each one; tests/test_docs.py fails when one is missing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = [
    Setting("GONGSHI_DATA_DIR", "data", "数据目录：entities.csv、staff.csv、checklists/、decisions/、takedowns.csv 所在的文件夹。"),
    Setting("GONGSHI_TODAY", None, "构建日期（YYYY-MM-DD）；为空时取亚洲/上海时区的今天。publish.py --today 会覆盖它。"),
    Setting("GONGSHI_PER_PAGE", 30, "执法决定列表每页的平均条数；页界按内容确定（gongshi/paging.py），每页至少约一半。"),
    Setting("GONGSHI_CHECKLIST_PER_PAGE", 20, "清单超过此事项数时，按所属主体（或适用部门等）分页显示，每页最多此数；清单页显示各主体的链接和事项数。"),
    Setting("GONGSHI_HOME_LATEST", 10, "首页“最新执法决定”显示的条数。"),
    Setting("GONGSHI_ENTITY_RECENT", 20, "执法主体页面显示的最近执法决定条数。"),
    Setting("GONGSHI_SITEMAP_MAX_URLS", 50000, "单个 sitemap 文件最多包含的网址数；超过时拆分并生成 sitemap 索引。"),
    Setting("GONGSHI_FEED_ENTRIES", 100, "每个订阅源（Atom/RSS）最多包含的执法决定条数，按首次公示日期从新到旧。"),
    Setting("GONGSHI_LEDGER", "ledger.sqlite", "发布台账（SQLite）文件路径，相对于数据目录；记录每个决定的首次公开、更正和撤下日期。"),
    Setting("GONGSHI_REPORT", "publish-report.json", "每次构建的完整报告（JSON）路径，相对于数据目录。"),
    Setting("GONGSHI_DISCLOSURE_DAYS", {}, "按执法类别覆盖默认公示期（天），例如 {\"行政处罚\": 365}；行没有“公示截止期”时使用。None 表示不到期。"),
    Setting("GONGSHI_DEADLINE_DAYS", {"行政处罚": 7, "行政许可": 7}, "按执法类别的公开时限（工作日）；未列出的类别为 20 个工作日。"),
    Setting("GONGSHI_MAX_VANISHED_SHARE", 0.10, "已公开的决定在本次导出中缺失的比例超过此值时拒绝发布（防止截断的导出清空网站）；--allow-mass-removal 可强制发布。"),
    Setting("GONGSHI_PROCESSES", 0, "生成页面时使用的进程数；0 表示使用本机全部 CPU 核心，1 表示不启用多进程。"),
    Setting("SITE_LOGO", "", "站点标志图片路径（相对于站点根目录，例如 images/logo.png，图片放在 content/images/）；为空则不显示。"),
    Setting("SITE_FAVICON", "theme/images/favicon.svg", "浏览器标签页上的网站图标（相对于站点根目录）；默认是主题自带的图标，换成本机关的图标时放在 content/images/（例如 images/favicon.png）；为空则不声明图标。"),
    Setting("SITE_FOOTER", "", "页脚文字，例如主办单位、地址、备案号。"),
    Setting("SITE_DESCRIPTION", "", "站点简介，显示在首页并用作 meta description。"),
]

DEFAULTS = {s.name: s.default for s in SETTINGS}


def missing_images(settings: dict, published) -> list[str]:
    """Warnings for the image settings that name a file the site does not
    hold (a broken image on every page). Not a refusal: a logo must not stop
    the night's decisions from going out on time."""
    warnings = []
    for name in ("SITE_LOGO", "SITE_FAVICON"):
        rel = str(settings.get(name) or "").lstrip("/")
        if rel and rel not in published:
            warnings.append(f"警告：设置 {name} 指向 {rel}，网站中没有这个文件，每个页面上的这张图都显示不出来。"
                            f"请把图片放到 content/ 下 STATIC_PATHS 列出的目录中（例如 content/images/logo.png 发布为 "
                            f"images/logo.png），或把 {name} 设为空。")
    return warnings
