"""Every setting the plugin reads, declared once with its default and help text.

docs/settings.md is generated from this list (``markdown_table``, command in
``REGENERATE``); tests/test_docs.py fails when that file is stale.
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
    Setting("GONGSHI_PER_PAGE", 30, "执法决定列表每页的平均条数；页界按内容确定（paging.py，见 docs/architecture.md），每页至少约一半。"),
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
    Setting("GONGSHI_PUBLICATION_RULES", {"简易程序": True, "仅警告或通报批评": True},
            "公示规则：哪些有效的行政处罚决定不公开（仍计入统计年报）。“简易程序”：案件程序类别为简易程序的；"
            "“仅警告或通报批评”：处罚类别只有警告和/或通报批评、且没有罚没金额的。设为 False 即关闭该规则，"
            "例如 {\"简易程序\": False}；已公开过的决定落入规则时公开撤回说明。"),
    Setting("GONGSHI_PROCESSES", 0, "生成页面时使用的进程数；0 表示使用本机全部 CPU 核心，1 表示不启用多进程（这时搜索的字段索引和订阅源也在构建进程中生成，不另开旁路进程）。"),
    Setting("GONGSHI_RAW_HTML", False, "是否原样发布 content/ 中页面里的 HTML。默认 False：页面中的 HTML 按白名单净化，去掉脚本、内嵌框架、事件属性（如 onerror）和 javascript: 等链接，链接和图片只保留 http(s)、mailto 和相对地址。只有在完全信任每位页面作者、确需嵌入地图或视频时才设为 True。"),
    Setting("SITE_LOGO", "", "站点标志图片路径（相对于站点根目录，例如 images/logo.png，图片放在 content/images/）；为空则不显示。"),
    Setting("SITE_FAVICON", "theme/images/favicon.svg", "浏览器标签页上的网站图标（相对于站点根目录）；默认是主题自带的图标，换成本机关的图标时放在 content/images/（例如 images/favicon.png）；为空则不声明图标。"),
    Setting("SITE_FOOTER", "", "页脚文字，例如主办单位、地址、备案号。"),
    Setting("SITE_DESCRIPTION", "", "站点简介，显示在首页并用作 meta description。"),
]

DEFAULTS = {s.name: s.default for s in SETTINGS}

# The command that regenerates docs/settings.md names this module as it is imported (the package may move).
REGENERATE = (f".venv/bin/python -c 'import {__name__} as s; print(s.markdown_table(), end=\"\")'"
              " > docs/settings.md")

_PELICAN_SETTINGS = """\
同时使用的 Pelican 设置：`SITENAME`（站点名称）、`SITEURL`（正式网址，例如 `https://zfgs.example.gov.cn`，
用于 sitemap 和订阅源中的绝对地址；本地预览留空）、`THEME`（主题目录，默认 `theme/`）、`THEME_TEMPLATES_OVERRIDES`
（放自己模板的目录列表，同名模板优先于主题，见 [templates.md](templates.md)）、`PATH` / `PAGE_PATHS`（Markdown 页面位置）、
`OUTPUT_PATH`、`STATIC_PATHS`。插件会强制开启模板自动转义，并关闭 Pelican 自带的博客首页和订阅源。
"""


def _default_cell(value: object) -> str:
    # Python literals, as they are written in pelicanconf.py; None and "" read as 空.
    return "空" if value in (None, "") else "`" + repr(value).replace("'", '"') + "`"


def markdown_table() -> str:
    """docs/settings.md: every setting with its default and help, in declaration order."""
    lines = [
        "# 设置一览（pelicanconf.py）",
        "",
        "在 `pelicanconf.py` 中设置，例如 `GONGSHI_PER_PAGE = 20`；没有设置的取下表的默认值。",
        "",
        "本页由插件的 `settings.py` 中的设置清单（`SETTINGS`）生成，请勿手工修改：增改设置（连同中文说明）后，",
        "在仓库根目录运行下面的命令重新生成；`tests/test_docs.py` 检查本页与设置清单一致。",
        "",
        "```sh",
        REGENERATE,
        "```",
        "",
        "| 设置 | 默认值 | 说明 |",
        "|---|---|---|",
    ]
    for s in SETTINGS:
        help_text = s.help.replace("|", r"\|")  # a bar would end the table cell
        lines.append(f"| `{s.name}` | {_default_cell(s.default)} | {help_text} |")
    return "\n".join(lines) + "\n\n" + _PELICAN_SETTINGS


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
