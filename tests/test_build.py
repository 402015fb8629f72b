"""A real build (CLI → Pelican → plugin → theme) into a temp dir, checked file by file."""
import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import all_text, tree_digest
from helpers import (AGENCY_A, AGENCY_B, PENALTY_HEADER, ROW, SITEURL, penalty_row, resolve, sitemap_lastmods,
                     walk, write_csv, write_dataset)

HOSTILE_NAME = '<script>alert("x")</script>恶意&公司'
FORMULA_NAME = "=HYPERLINK(\"http://evil\",\"点我\")有限公司"
TRAVERSAL_DOCNO = "../../../etc/passwd〔2024〕/9号"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ICON = re.compile(r'<link rel="icon" href="([^"]+)"')


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.lang, self.h1 = [], None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        for key in ("href", "src"):
            if a.get(key):
                self.hrefs.append(a[key])


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture
def site(tmp_path, build):
    data = write_dataset(tmp_path, decisions=[
        penalty_row(),
        penalty_row(**{"行政相对人名称": "张三", "行政相对人类别": "自然人", "行政相对人代码_1（统一社会信用代码）": "",
                       "法定代表人": "", "证件类型": "身份证", "证件号码": "110105199001011237",
                       "行政处罚决定书文号": "清应急罚〔2024〕2号", "违法事实": "当事人张三在仓库吸烟，手机13912345678。",
                       # (a fine: a 警告-only penalty is not published by default, gongshi/rules.py)
                       "处罚类别": "罚款", "处罚内容": "对张三罚款200元", "罚款金额（万元）": "0.02"}),
        penalty_row(**{"行政相对人名称": HOSTILE_NAME, "行政处罚决定书文号": TRAVERSAL_DOCNO,
                       "违法事实": "<img src=x onerror=alert(1)>"}),
        penalty_row(**{"行政相对人名称": FORMULA_NAME, "行政处罚决定书文号": "清应急罚〔2024〕4号"}),
        penalty_row(**{"行政相对人名称": "撤下目标甲有限公司", "行政处罚决定书文号": "清应急罚〔2024〕5号",
                       "违法事实": "撤下事实甲乙丙"}),
        penalty_row(**{"行政相对人名称": "到期目标乙有限公司", "行政处罚决定书文号": "清应急罚〔2024〕6号",
                       "违法事实": "到期事实丁戊己", "公示截止期": "2026-11-21"}),
        penalty_row(**{"行政相对人名称": "今日到期丙有限公司", "行政处罚决定书文号": "清应急罚〔2024〕7号",
                       "公示截止期": "2026-11-22"}),
    ], takedowns=[["清应急罚〔2024〕5号", "", "决定被撤销", "2026-11-20", "复议决定撤销"]])
    code, out = build(data, SITEURL=SITEURL)  # (production: a sitemap)
    assert code == 0
    return out, json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))


def test_output_is_a_link_to_a_complete_slot(site):
    out, _ = site
    assert out.is_symlink()
    for rel in ["index.html", "entities/index.html", "staff/index.html", "checklists/index.html",
                "decisions/index.html", "open-data/index.html", "open-data/decisions.csv", "open-data/decisions.json",
                "open-data/staff.csv", "open-data/entities.csv", "sitemap.xml", "pages/about.html", "404.html",
                "theme/css/site.css"]:
        assert (out / rel).is_file(), rel


def test_every_html_page_is_chinese_with_one_h1_and_no_broken_local_links(site):
    out, _ = site
    pages = list(Path(os.path.realpath(out)).rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        p = parse(page)
        assert p.lang == "zh-CN", page
        assert p.h1 == 1, page
        for href in p.hrefs:
            if re.match(r"^(https?:|mailto:|tel:|#|data:)", href):
                continue
            href = href.split("#")[0].split("?")[0]
            base = Path(os.path.realpath(out)) if href.startswith("/") else page.parent
            target = (base / href.lstrip("/")).resolve()
            assert target.exists(), f"{page}: broken link {href}"


def test_decision_pages_match_open_data(site):
    out, decisions = site
    keys = {d["key"] for d in decisions}
    assert f"{AGENCY_A}/清应急罚〔2024〕1号" in keys
    assert f"{AGENCY_B}/清市监许〔2025〕8号" in keys
    assert f"{AGENCY_A}/清应急罚〔2024〕7号" in keys  # 公示截止期 == build date: still public
    for d in decisions:
        for key in ("key", "url", "category", "agency_code", "target_name", "decision_date", "first_published"):
            assert d[key], (key, d)
        page = (out / d["url"]).read_text(encoding="utf-8")
        assert str(escape(d["target_name"])) in page
        assert d["url"].startswith(f"decisions/{d['agency_code']}/")


def test_taken_down_and_expired_decisions_leave_no_trace(site):
    out, decisions = site
    keys = {d["key"] for d in decisions}
    assert f"{AGENCY_A}/清应急罚〔2024〕5号" not in keys
    assert f"{AGENCY_A}/清应急罚〔2024〕6号" not in keys
    text = all_text(out)
    for secret in ("撤下目标甲有限公司", "撤下事实甲乙丙", "到期目标乙有限公司", "到期事实丁戊己"):
        assert secret not in text


def test_never_published_values_appear_nowhere(site):
    out, _ = site
    text = all_text(out)
    for secret in ("110105199001011237", "13912345678", "110105196505051239", "内部备注", "110105000123456",
                   "110105197001011234", "13800138000", "张三", "JY11101050012345"):
        assert secret not in text, secret
    assert "张*" in text


def test_user_strings_are_escaped_and_paths_stay_inside(site):
    out, decisions = site
    markup = "\n".join(p.read_text(encoding="utf-8") for p in Path(os.path.realpath(out)).rglob("*")
                        if p.suffix in (".html", ".xml"))
    assert "<script>alert" not in markup
    assert "<img src=x" not in markup
    hostile = next(d for d in decisions if d["docno"] == TRAVERSAL_DOCNO)
    page = (out / hostile["url"]).resolve()
    assert Path(os.path.realpath(out)) in page.parents
    assert page.parent.name == AGENCY_A
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html and "〔2024〕/9号" in html
    assert not Path(os.path.realpath(out)).parent.joinpath("etc").exists()


def test_open_data_csv_is_bom_utf8_and_defuses_formulas(site):
    out, decisions = site
    raw = (out / "open-data" / "decisions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(decisions)
    names = [r["行政相对人名称"] for r in rows]
    assert "'" + FORMULA_NAME in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    staff = list(csv.DictReader(io.StringIO((out / "open-data" / "staff.csv").read_text(encoding="utf-8-sig"))))
    assert {s["执法证号"] for s in staff} == {"11010523001", "11010523002", "11010523003"}
    assert "身份证号" not in staff[0] and "手机号" not in staff[0]
    assert {s["执法证号"]: s["证件状态"] for s in staff}["11010523002"] == "已过期"
    entities = list(csv.DictReader(io.StringIO((out / "open-data" / "entities.csv").read_text(encoding="utf-8-sig"))))
    assert {e["统一社会信用代码"] for e in entities} == {AGENCY_A, AGENCY_B}
    assert entities[0]["行政复议机关"] == "清河区人民政府"


def test_sitemap_lists_every_public_page_with_lastmod(site):
    out, decisions = site
    entries = sitemap_lastmods(out)
    for d in decisions:
        assert entries[d["url"]] == d["updated"]
    assert "pages/about.html" in entries and "index.html" in entries
    assert "404.html" not in entries
    for loc, lastmod in entries.items():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod)
        assert (out / loc).is_file(), loc
    html_files = {p.relative_to(os.path.realpath(out)).as_posix()
                  for p in Path(os.path.realpath(out)).rglob("*.html")}
    assert html_files - set(entries) == {"404.html"}


def test_sitemap_splits_into_an_index_past_the_limit():
    from pelican.plugins.gongshi.sitemap import sitemap_files

    entries = [(f"decisions/x/{i}.html", f"2026-01-{1 + i % 28:02d}") for i in range(25)]
    files = sitemap_files(entries, "https://zfgs.example.gov.cn", 10)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    locs = [s.find(f"{SM}loc").text for s in index]
    assert locs == [f"https://zfgs.example.gov.cn/sitemap-{n}.xml" for n in (1, 2, 3)]
    urls = [u.find(f"{SM}loc").text for n in (1, 2, 3) for u in ET.fromstring(files[f"sitemap-{n}.xml"])]
    assert len(urls) == 25 == len(set(urls))
    assert all(u.startswith("https://zfgs.example.gov.cn/decisions/x/") for u in urls)
    assert sitemap_files(entries, "", 10) == {}  # no SITEURL, no sitemap: relative <loc> are invalid


def test_a_build_without_siteurl_warns_once_and_writes_no_sitemap(tmp_path, build, capsys):
    data = write_dataset(tmp_path)
    code, out = build(data, SITEURL=SITEURL)
    assert code == 0 and sitemap_lastmods(out)  # every <loc> absolute (sitemap_lastmods checks)
    said = capsys.readouterr()
    assert "SITEURL" not in said.out + said.err
    code, out = build(data)  # the same output folder: last night's sitemap goes too
    assert code == 0
    assert not list(Path(os.path.realpath(out)).glob("sitemap*.xml"))
    said = capsys.readouterr()
    assert (said.out + said.err).count("没有设置 SITEURL") == 1
    warnings = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["settings_warnings"]
    assert [w for w in warnings if "SITEURL" in w] == [next(line for line in said.out.splitlines() if "SITEURL" in line)]


def test_entity_page_lists_staff_checklist_rows_remedies_and_decisions(site):
    out, _ = site
    html = (out / "entities" / f"{AGENCY_A}.html").read_text(encoding="utf-8")
    for expected in ("清河区应急管理局", "王建国", "11010523001", "欧阳明", "清河区人民政府", "清河区人民法院",
                     "对未按规定开展安全生产教育培训的处罚", "清应急罚〔2024〕1号", "12350"):
        assert expected in html, expected
    assert "李红" not in html  # staff of the other agency


def test_facets_and_pagination(tmp_path, build):
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号", "处罚决定日期": f"2025-0{1 + i % 9}-10"})
            for i in range(1, 8)]
    data = write_dataset(tmp_path, decisions=rows)
    code, out = build(data, GONGSHI_PER_PAGE=3)
    assert code == 0
    # 7 + 1 license + 1 other = 9, cut by content (gongshi/paging.py): pages of at least 2,
    # the first at index.html, the oldest at p/oldest.html, the others named by a hash.
    decisions = json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))
    assert len(decisions) == 9
    names = sorted(p.relative_to(out / "decisions").as_posix() for p in (out / "decisions").glob("**/*.html")
                   if p.parent.name == "p" and p.parent.parent == out / "decisions")
    assert "p/oldest.html" in names and all(re.fullmatch(r"p/(oldest|[0-9a-f]{10})\.html", n) for n in names)
    pages, rows_seen = walk(out, "decisions/")
    assert pages[0] == "decisions/index.html" and sorted(pages[1:]) == [f"decisions/{n}" for n in names]
    order = sorted(decisions, key=lambda d: (d["decision_date"], d["key"]), reverse=True)
    assert rows_seen == [d["url"] for d in order]  # each decision once, newest first
    sizes = [len(ROW.findall((out / p).read_text(encoding="utf-8"))) for p in pages]
    assert len(sizes) >= 2 and min(sizes) >= 2
    first = (out / "decisions" / "index.html").read_text(encoding="utf-8")
    assert "共 9 条" in first and 'href="../decisions/p/oldest.html"' in first
    penalty_pages, penalty_rows = walk(out, "decisions/category/penalty/")
    assert len(penalty_pages) >= 2 and len(penalty_rows) == 7
    penalty = out / "decisions" / "category" / "penalty"  # its own pages; year/<YYYY>/ holds the combined lists
    assert sorted(p.name for p in [*penalty.glob("*.html"), *penalty.glob("p/*.html")]) == \
        sorted(p.rsplit("/", 1)[1] for p in penalty_pages)
    assert sorted(p.name for p in (penalty / "year").iterdir()) == ["2025"]
    assert (out / "decisions" / "category" / "license" / "index.html").is_file()
    assert not (out / "decisions" / "category" / "coercion").exists()  # no list for an empty category
    assert (out / "decisions" / "agency" / AGENCY_B / "index.html").is_file()
    assert sorted(p.name for p in (out / "decisions" / "year").iterdir()) == ["2025", "2026"]
    year = (out / "decisions" / "year" / "2026" / "index.html").read_text(encoding="utf-8")
    assert "清应急检〔2026〕3号" in year and "清应急罚〔2025〕1号" not in year


def test_rebuild_rewrites_nothing_and_removes_stale_pages(tmp_path, build):
    data = write_dataset(tmp_path)
    code, out = build(data)
    first = tree_digest(out)
    code, out = build(data)
    assert code == 0 and tree_digest(out) == first
    # Take one decision down: its page must not survive in the next slot.
    write_csv(data / "takedowns.csv", ["文书号", "机关统一社会信用代码", "撤下原因", "原因发生日期", "说明"],
              [["清应急检〔2026〕3号", "", "信息有误", "2026-11-21", ""]])
    code, out = build(data)
    after = tree_digest(out)
    page = next(p for p in first if p.startswith(f"decisions/{AGENCY_A}/2026-3-"))
    assert after[page] != first[page]  # now the withdrawal notice
    assert "未发现违法行为" not in all_text(out)


def test_file_level_problem_publishes_nothing_and_keeps_live_site(tmp_path, build, capsys):
    data = write_dataset(tmp_path)
    code, out = build(data)
    assert code == 0
    before = tree_digest(out)
    link_before = os.readlink(out)
    header = [h for h in PENALTY_HEADER if h != "处罚类别"]
    write_csv(data / "decisions" / "2024-行政处罚.csv", header, [penalty_row()[:len(header)]])
    code, out = build(data)
    assert code == 1
    assert os.readlink(out) == link_before and tree_digest(out) == before
    err = capsys.readouterr().err
    assert "decisions/2024-行政处罚.csv:1:处罚类别: 缺少必需的列“处罚类别”" in err


def test_row_level_problem_holds_back_only_that_row(tmp_path, build, capsys):
    data = write_dataset(tmp_path, decisions=[penalty_row(), penalty_row(**{
        "行政处罚决定书文号": "清应急罚〔2024〕2号", "处罚决定日期": "2024-13-01"})])
    code, out = build(data)
    assert code == 5  # published, but a row was held back: cron sees a non-zero exit
    stdout = capsys.readouterr().out
    assert "decisions/2024-行政处罚.csv:3:处罚决定日期: 日期“2024-13-01”不存在" in stdout
    keys = {d["key"] for d in json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))}
    assert f"{AGENCY_A}/清应急罚〔2024〕1号" in keys and f"{AGENCY_A}/清应急罚〔2024〕2号" not in keys


def test_safe_join_refuses_escapes(tmp_path):
    from pelican.plugins.gongshi.stager import UnsafePath
    from pelican.plugins.gongshi.stager import guarded_join as safe_join

    assert safe_join(tmp_path, "a/b.html") == tmp_path.resolve() / "a" / "b.html"
    for bad in ("../x.html", "a/../../x", "/etc/passwd", "", "a\x00b"):
        with pytest.raises(UnsafePath):
            safe_join(tmp_path, bad)


def test_decision_urls_are_stable_and_distinct():
    from pelican.plugins.gongshi.urls import decision_url

    a = decision_url(AGENCY_A, "清应急罚〔2024〕1号")
    assert a == decision_url(AGENCY_A, "清应急罚〔2024〕1号")
    assert a != decision_url(AGENCY_B, "清应急罚〔2024〕1号")
    assert a != decision_url(AGENCY_A, "清应急罚（2024）1号")
    assert re.fullmatch(r"decisions/[0-9A-Z]{18}/[A-Za-z0-9-]+\.html", decision_url(AGENCY_A, TRAVERSAL_DOCNO))


def test_bundled_example_builds_cleanly(tmp_path, build, capsys):
    from conftest import ROOT

    code, out = build(ROOT / "data")
    assert code == 0
    assert "个问题" not in capsys.readouterr().out  # the example has no problems at all
    decisions = json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))
    assert len(decisions) >= 450
    assert {d["category"] for d in decisions} >= {"行政处罚", "行政许可", "行政检查", "行政强制"}
    assert len({d["decision_date"][:4] for d in decisions}) >= 3
    assert any(d["target_type"] == "自然人" for d in decisions)


def test_webmaster_template_overrides_and_site_name(tmp_path, build):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "404.html").write_text("<!doctype html><html lang=\"zh-CN\"><h1>{{ SITENAME }} 找不到</h1></html>",
                                        encoding="utf-8")
    # Internal hand-over keys (the prepared site, with its raw-cell report) never reach a template.
    (overrides / "page.html").write_text("internal={{ GONGSHI_SITE is defined or GONGSHI_STAGER is defined }}",
                                         encoding="utf-8")
    data = write_dataset(tmp_path)
    code, out = build(data, THEME_TEMPLATES_OVERRIDES=[str(overrides)], SITENAME="某某区执法公示")
    assert code == 0
    assert (out / "404.html").read_text(encoding="utf-8") == '<!doctype html><html lang="zh-CN"><h1>某某区执法公示 找不到</h1></html>'
    assert (out / "pages" / "about.html").read_text(encoding="utf-8") == "internal=False"
    assert "某某区执法公示" in (out / "index.html").read_text(encoding="utf-8")


def test_every_page_declares_the_site_icon_and_a_webmaster_can_change_or_drop_it(tmp_path, build):
    data = write_dataset(tmp_path)
    code, out = build(data)
    assert code == 0
    root = Path(os.path.realpath(out))
    pages = [p.relative_to(root).as_posix() for p in root.rglob("*.html")]
    for rel in pages:  # ours, Pelican's content pages and 404.html alike
        icons = ICON.findall((root / rel).read_text(encoding="utf-8"))
        assert len(icons) == 1, rel
        target = icons[0].removeprefix("/") if rel == "404.html" else resolve(rel, icons[0])
        assert target == "theme/images/favicon.svg", rel
    assert (root / "theme" / "images" / "favicon.svg").read_bytes().startswith(b"<svg")

    code, out = build(data, SITE_FAVICON="images/icon.png", output=tmp_path / "own")
    assert code == 0
    assert ICON.findall((out / "decisions" / "index.html").read_text(encoding="utf-8")) == ["../images/icon.png"]
    code, out = build(data, SITE_FAVICON="", output=tmp_path / "none")
    assert code == 0
    assert not any(ICON.search(p.read_text(encoding="utf-8")) for p in Path(os.path.realpath(out)).rglob("*.html"))


def test_an_image_setting_naming_a_missing_file_warns_and_publishes(tmp_path, build, capsys):
    data = write_dataset(tmp_path)
    # (With SITEURL, as in production: its absence is a warning of its own, test_sitemap_…)
    code, out = build(data, SITE_LOGO="images/logo.png", SITE_FAVICON="images/icon.png", SITEURL=SITEURL)
    assert code == 0  # published: a logo must not hold back the night's decisions
    said = capsys.readouterr().out
    warnings = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["settings_warnings"]
    assert [("SITE_LOGO" in w, "SITE_FAVICON" in w) for w in warnings] == [(True, False), (False, True)]
    assert all(w in said for w in warnings) and "content/images/logo.png" in said and "images/icon.png" in said

    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out = build(data, SITE_LOGO="images/logo.png", PATH=str(tmp_path / "content"), SITEURL=SITEURL)
    assert code == 0
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["settings_warnings"] == []
    assert (out / "images" / "logo.png").is_file()
