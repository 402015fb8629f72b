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
    Setting("GONGSHI_PER_PAGE", 30, "执法决定列表每页显示的条数。"),
    Setting("GONGSHI_HOME_LATEST", 10, "首页“最新执法决定”显示的条数。"),
    Setting("GONGSHI_ENTITY_RECENT", 20, "执法主体页面显示的最近执法决定条数。"),
    Setting("GONGSHI_SITEMAP_MAX_URLS", 50000, "单个 sitemap 文件最多包含的网址数；超过时拆分并生成 sitemap 索引。"),
    Setting("SITE_LOGO", "", "站点标志图片路径（相对于站点根目录，例如 images/logo.png，图片放在 content/images/）；为空则不显示。"),
    Setting("SITE_FOOTER", "", "页脚文字，例如主办单位、地址、备案号。"),
    Setting("SITE_DESCRIPTION", "", "站点简介，显示在首页并用作 meta description。"),
]

DEFAULTS = {s.name: s.default for s in SETTINGS}
