"""Site settings. Pelican reads this file; publish.py passes it on.

Every GONGSHI_* / SITE_* setting is listed with its meaning in docs/settings.md
(generated from the plugin's settings.py, where the defaults live).
"""
SITENAME = "示例市清河区行政执法公示平台"
SITEURL = ""  # production: the absolute address, e.g. "https://zfgs.example.gov.cn" (used in sitemap and feeds)
SITE_DESCRIPTION = "公开执法主体、执法人员、执法事项清单和行政执法决定，接受社会监督。"
SITE_FOOTER = "主办单位：示例市清河区人民政府司法局（示例数据，非真实机关）"
SITE_LOGO = ""

PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["articles"]  # unused: the plugin renders decisions itself
STATIC_PATHS = ["images"]
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
RELATIVE_URLS = True
PAGE_URL = PAGE_SAVE_AS = "pages/{slug}.html"

# The plugin is the package pelican-gongshi (pelican.plugins.gongshi, installed by make).
PLUGINS = ["gongshi"]

GONGSHI_DATA_DIR = "data"
GONGSHI_PER_PAGE = 30
PAGE_ORDER_BY = "order"

# Pelican's blog feeds are off; the plugin's feeds replace them.
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
