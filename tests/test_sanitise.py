"""The webmaster's own pages (content/*.md): their HTML is sanitised unless
GONGSHI_RAW_HTML allows it (gongshi/sanitise.py), checked in real builds."""
from __future__ import annotations

from html.parser import HTMLParser

from pelican.plugins.gongshi.sanitise import clean
from helpers import write_dataset

PAGE = """Title: 联系我们
Slug: contact
Order: 9
Summary: 简介<script>alert('summary')</script><img src=x onerror="alert('summary')">

## 联系方式

<script>alert("page")</script>
<style>body { display: none }</style>
<iframe src="https://evil.example/"></iframe>
<img src="images/map.png" alt="地图" onerror="alert('img')">
<a href="javascript:alert('link')">点我</a> <a href=" JaVaScRiPt:alert('case')">再点</a>
<a href="data:text/html,<script>alert(1)</script>">数据</a>
<div onclick="alert('click')" style="position:fixed">浮层</div>
<form action="https://evil.example/"><input name="q"></form>

| 事项 | 电话 |
|:--|--:|
| 投诉 | 12345 |

[门户网站](https://www.example.gov.cn/) · [写信](mailto:xinxiang@example.gov.cn) · [办事指南](guide.html) ·
[关于]({filename}about.md)

![标志](images/logo.png)
"""
DANGEROUS = ("<script", "alert(", "<style", "display: none", "<iframe", "onerror", "onclick", "javascript:",
             "JaVaScRiPt", "data:text", "<form", "<input", "position:fixed")
KEPT = ("<h2>联系方式</h2>", '<a href="https://www.example.gov.cn/">门户网站</a>',
        '<a href="mailto:xinxiang@example.gov.cn">写信</a>', '<a href="guide.html">办事指南</a>',
        '<a href="../pages/about.html">关于</a>', '<img alt="标志" src="images/logo.png">',
        '<img src="images/map.png" alt="地图">', '<th style="text-align:left">事项</th>',
        '<td style="text-align:right">12345</td>', "<table>", "浮层")


def _content(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "contact.md").write_text(PAGE, encoding="utf-8")
    (content / "pages" / "about.md").write_text("Title: 关于\nSlug: about\n\n关于本站。\n", encoding="utf-8")
    return content


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def _article(html: str) -> str:
    return html[html.index('<article class="prose">'):html.index("</article>")]


def test_pages_are_sanitised_by_default(tmp_path, build):
    code, out = build(write_dataset(tmp_path), PATH=str(_content(tmp_path)))
    assert code == 0
    html = (out / "pages" / "contact.html").read_text(encoding="utf-8")
    article = _article(html)
    for bad in DANGEROUS:
        assert bad not in article, bad
    for good in KEPT:
        assert good in article, good
    parser = _Tags()
    parser.feed(article)
    assert parser.tags <= {"article", "h2", "a", "img", "p", "div", "table", "thead", "tbody", "tr", "th", "td",
                           "h1"}, parser.tags
    # The theme's own scripts are not the page's: the page adds none.
    assert html.count("<script") == (out / "pages" / "about.html").read_text(encoding="utf-8").count("<script")


def test_raw_html_only_when_the_setting_allows_it(tmp_path, build):
    code, out = build(write_dataset(tmp_path), PATH=str(_content(tmp_path)), GONGSHI_RAW_HTML=True)
    assert code == 0
    article = _article((out / "pages" / "contact.html").read_text(encoding="utf-8"))
    assert '<script>alert("page")</script>' in article and "javascript:alert('link')" in article
    assert "onerror" in article and "<iframe" in article


def test_summary_metadata_is_sanitised(tmp_path):
    """Formatted metadata (Summary:) is HTML too: a template override may show it."""
    from pelican.contents import Page

    from pelican.plugins.gongshi.sanitise import sanitise_content

    settings = {"FORMATTED_FIELDS": ["summary"], "GONGSHI_RAW_HTML": False}
    page = Page("<p>正文<script>alert(1)</script></p>", metadata={
        "title": "t", "summary": "简介<img src=x onerror=alert(1)><script>alert(2)</script>"})
    page.settings = {**page.settings, **settings}
    sanitise_content(page)
    assert page._content == "<p>正文</p>"
    assert page.metadata["summary"] == '简介<img src="x">' and page._summary == page.metadata["summary"]


def test_clean_keeps_what_markdown_makes():
    html = ('<h2 id="a">标题</h2><p><strong>粗</strong><em>斜</em><code>c</code><br>'
            '<a href="#fn:1" class="footnote-ref">1</a></p><ol start="3"><li>项</li></ol><pre><code class="x">'
            'print()</code></pre><blockquote><p>引</p></blockquote><hr><dl><dt>术语</dt><dd>解释</dd></dl>')
    assert clean(html) == html
