"""Atom and RSS feeds (feeds/…): real builds through the CLI, every feed parsed
back with feedparser."""
import html
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from conftest import tree_digest
from helpers import (AGENCY_A, AGENCY_B, ENTITIES, other_row, penalty_row, sitemap_lastmods,
                     write_dataset)
from pelican.plugins.gongshi import feeds, urls
from pelican.plugins.gongshi.penalties import written_types
from pelican.plugins.gongshi.schema import CATEGORIES, CATEGORY_SLUGS

HOSTILE_TARGET = 'A<script>alert("x")</script> & \'引号\' ]]> <b>粗</b>&amp;\x01\x0b恶意公司'
HOSTILE_TYPES = "警告<i>斜</i>&lt;]]>"  # 处罚类别: the entry's summary
HOSTILE_CONCLUSION = '<img src=x onerror=alert(1)> "结论" & ]]>\x1f完'
ID_NUMBER = "110105199001011237"
MOBILE = "13912345678"
REMARK = "内部备注：承办人张科长"
SITEURL = "https://zfgs.example.gov.cn/gs"
ATOM = "{http://www.w3.org/2005/Atom}"


def strip_illegal(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)


def decisions_data(tmp_path, takedowns=None, deadline="2027-03-05", content="警告，并处罚款人民币2万元"):
    return write_dataset(tmp_path, decisions=[
        penalty_row(**{"处罚内容": content}),
        penalty_row(**{"行政相对人名称": "张三", "行政相对人类别": "自然人", "行政相对人代码_1（统一社会信用代码）": "",
                       "法定代表人": "", "证件类型": "身份证", "证件号码": ID_NUMBER,
                       "行政处罚决定书文号": "清应急罚〔2024〕2号",
                       "违法事实": f"当事人张三在仓库吸烟，身份证{ID_NUMBER}，手机{MOBILE}。",
                       # (a fine: a 警告-only penalty is not published by default, gongshi/rules.py)
                       "处罚类别": "罚款", "处罚内容": f"对张三罚款200元（联系电话{MOBILE}）", "罚款金额（万元）": "0.02",
                       "处罚决定日期": "2024/4/1"}),
        penalty_row(**{"行政相对人名称": HOSTILE_TARGET, "行政处罚决定书文号": "清应急罚〔2024〕3号",
                       "处罚类别": HOSTILE_TYPES, "处罚决定日期": "2024-05-06"}),
        penalty_row(**{"行政相对人名称": "撤下目标甲有限公司", "行政处罚决定书文号": "清应急罚〔2024〕5号",
                       "处罚决定日期": "2024-06-01"}),
        penalty_row(**{"行政相对人名称": "到期目标乙有限公司", "行政处罚决定书文号": "清应急罚〔2024〕6号",
                       "处罚决定日期": "2024-06-02", "公示截止期": deadline}),
    ], others=[
        other_row(),
        other_row(**{"执法类别": "行政强制", "决定文书号": "清市监强〔2026〕1号", "执法机关": "清河区市场监督管理局",
                     "执法机关统一社会信用代码": AGENCY_B, "执法对象名称": "示例强制对象有限公司",
                     "执法结论": HOSTILE_CONCLUSION, "决定日期": "2026-02-01"}),
    ], takedowns=takedowns)


def feed_files(out: Path) -> list[Path]:
    return sorted((Path(os.path.realpath(out)) / "feeds").rglob("*.xml"))


def rel(out: Path, path: Path) -> str:
    return path.relative_to(Path(os.path.realpath(out))).as_posix()


def parse_all(out: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = {}
    for path in feed_files(out):
        p = feedparser.parse(path.read_bytes())
        assert not p.bozo, (path, p.get("bozo_exception"))
        parsed[rel(out, path)] = p
    return parsed


def open_data(out: Path) -> dict[str, dict]:
    return {d["key"]: d for d in json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))}


def feed_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in feed_files(out))


def entry_title(e, path: str) -> str:
    """The title as a reader shows it: RSS titles are HTML-escaped text."""
    return html.unescape(e.title) if path.endswith(".rss.xml") else e.title


def entry_summary(e, path: str) -> str:
    return html.unescape(e.summary) if path.endswith(".rss.xml") else e.summary


@pytest.fixture
def built(tmp_path, build):
    code, out = build(decisions_data(tmp_path))
    assert code == 0
    return out


def test_every_feed_exists_and_parses_without_bozo(built):
    parsed = parse_all(built)
    scopes = ["feeds/all"] + [f"feeds/category/{CATEGORY_SLUGS[c]}" for c in CATEGORIES] + \
        [f"feeds/agency/{e[1]}" for e in ENTITIES] + ["feeds/notices"] + [f"feeds/agency/{e[1]}.notices" for e in ENTITIES]
    assert set(parsed) == {f"{s}.{fmt}.xml" for s in scopes for fmt in ("atom", "rss")}
    for path, p in parsed.items():
        assert p.version == ("atom10" if path.endswith(".atom.xml") else "rss20"), path
        assert p.feed.language == "zh-CN" if path.endswith(".rss.xml") else True
        for e in p.entries:
            assert e.published_parsed and e.link and e.id.startswith("urn:uuid:")
    # Every live decision is in the site-wide feed, once, and nothing else is.
    public = open_data(built)
    for fmt in ("atom", "rss"):
        ids = [e.id for e in parsed[f"feeds/all.{fmt}.xml"].entries]
        assert sorted(ids) == sorted(feeds.entry_id(k) for k in public)


def test_entries_carry_the_public_record(built):
    public = {feeds.entry_id(k): d for k, d in open_data(built).items()}
    for path, p in parse_all(built).items():
        for e in p.entries:
            d = public[e.id]
            assert entry_title(e, path) == strip_illegal(f"{d['docno']} {d['target_name']}")
            summary = entry_summary(e, path)
            for part in (d["category"], d["agency_name"], d["decision_date"]):
                assert part in summary
            assert urlsplit(e.link).path.endswith(d["url"])
            assert e.published.startswith(d["first_published"]) if path.endswith(".atom.xml") else True
            # Times are the Shanghai day, whatever format.
            assert ("+08:00" in e.published) if path.endswith(".atom.xml") else e.published.endswith("+0800")
            if path.endswith(".atom.xml"):
                assert e.updated == f"{d['updated']}T00:00:00+08:00"
                assert e.published == f"{d['first_published']}T00:00:00+08:00"
                assert [t.term for t in e.tags] == [d["category"]]


def test_category_and_agency_feeds_hold_only_their_own(built):
    public = {feeds.entry_id(k): d for k, d in open_data(built).items()}
    parsed = parse_all(built)
    for c in CATEGORIES:
        for fmt in ("atom", "rss"):
            got = {e.id for e in parsed[urls.category_feed_url(c, fmt)].entries}
            assert got == {i for i, d in public.items() if d["category"] == c}, c
    for _, code, *_ in ENTITIES:
        for fmt in ("atom", "rss"):
            got = {e.id for e in parsed[urls.agency_feed_url(code, fmt)].entries}
            assert got == {i for i, d in public.items() if d["agency_code"] == code}, code
            assert got  # both test agencies have decisions


def test_hostile_text_parses_back_literally_and_injects_no_markup(built):
    parsed = parse_all(built)
    hostile = {"清应急罚〔2024〕3号": strip_illegal(HOSTILE_TARGET)}
    seen = 0
    for path, p in parsed.items():
        for e in p.entries:
            title, summary = entry_title(e, path), entry_summary(e, path)
            if title.startswith("清应急罚〔2024〕3号"):
                assert title == f"清应急罚〔2024〕3号 {hostile['清应急罚〔2024〕3号']}"
                # the 处罚类别 cell as its types, split and joined as the page lists them: still literal text
                assert "、".join(written_types(HOSTILE_TYPES)) in summary and "<i>斜<" in summary
                seen += 1
            if "示例强制对象" in title:
                assert strip_illegal(HOSTILE_CONCLUSION) in summary
                seen += 1
            if path.endswith(".rss.xml"):  # what an HTML-minded reader sees holds no tags
                assert "<" not in e.title and "<" not in e.summary
    assert seen >= 8  # all, category, agency × atom, rss
    allowed = {"feed", "id", "title", "updated", "author", "name", "link", "generator", "subtitle", "entry",
               "summary", "category", "published", "rss", "channel", "description", "docs", "language",
               "lastBuildDate", "item", "guid", "pubDate"}
    for path in feed_files(built):
        raw = path.read_bytes()
        assert b"<script" not in raw and b"<img" not in raw and b"<b>" not in raw and b"\x01" not in raw
        for el in ET.fromstring(raw).iter():
            assert el.tag.split("}")[-1] in allowed, (path, el.tag)
        for el in ET.fromstring(raw).iter(f"{ATOM}summary"):
            assert el.get("type") in (None, "text")


def test_natural_persons_masked_and_never_published_fields_absent(built):
    text = feed_text(built)
    assert "清应急罚〔2024〕2号 张*" in text
    for secret in ("张三", ID_NUMBER, MOBILE, REMARK, "110105196505051239", "赵大海", "身份证"):
        assert secret not in text, secret


def test_ids_stay_across_a_correction_while_updated_moves(tmp_path, build):
    code, out = build(decisions_data(tmp_path), today="2026-11-20")
    assert code == 0
    before = parse_all(out)
    code, out = build(decisions_data(tmp_path, content="警告，并处罚款人民币2万元（更正）"), today="2026-11-23")
    assert code == 0
    after = parse_all(out)
    corrected = feeds.entry_id(f"{AGENCY_A}/清应急罚〔2024〕1号")
    # Pinned: the identity of a decision never changes, not even across versions of this tool.
    assert corrected == "urn:uuid:45b81c02-1bee-548a-a86a-8e06e272377f"
    for path in (p for p in before if "notices" not in p):
        old = {e.id: e for e in before[path].entries}
        new = {e.id: e for e in after[path].entries}
        assert set(old) == set(new), path
        for i in old:
            assert old[i].link == new[i].link and old[i].published == new[i].published
            if path.endswith(".atom.xml"):
                assert new[i].updated.startswith("2026-11-23" if i == corrected else "2026-11-20")
    assert "2026-11-23" in after["feeds/all.atom.xml"].feed.updated
    # Moving the site (SITEURL) changes links, never ids.
    code, moved = build(decisions_data(tmp_path, content="警告，并处罚款人民币2万元（更正）"), today="2026-11-23",
                        output=tmp_path / "moved", SITEURL=SITEURL)
    assert code == 0
    assert {e.id for e in parse_all(moved)["feeds/all.atom.xml"].entries} == \
        {e.id for e in after["feeds/all.atom.xml"].entries}


def test_takedown_and_expiry_leave_every_feed_in_the_same_build(tmp_path, build):
    code, out = build(decisions_data(tmp_path, deadline="2026-11-21"), today="2026-11-20")
    assert code == 0
    assert "撤下目标甲" in feed_text(out) and "到期目标乙" in feed_text(out)
    code, out = build(decisions_data(tmp_path, deadline="2026-11-21", takedowns=[
        ["清应急罚〔2024〕5号", AGENCY_A, "决定被撤销", "2026-11-21", "复议撤销"]]), today="2026-11-22")
    assert code == 0
    gone = {feeds.entry_id(f"{AGENCY_A}/清应急罚〔2024〕5号"), feeds.entry_id(f"{AGENCY_A}/清应急罚〔2024〕6号")}
    for path, p in parse_all(out).items():
        assert not gone & {e.id for e in p.entries}, path
    text = feed_text(out)
    assert "撤下目标甲" not in text and "到期目标乙" not in text
    # The 文书号 is only in the notices feeds, as the withdrawal's own entry.
    assert all("清应急罚〔2024〕5号" not in p.read_text(encoding="utf-8") for p in feed_files(out)
               if "notices" not in p.name)
    # The feeds that lost an entry say they changed on the takedown day.
    assert parse_all(out)[urls.agency_feed_url(AGENCY_A, "atom")].feed.updated.startswith("2026-11-22")


def test_same_data_same_today_gives_identical_feeds_and_later_days_too(tmp_path, build):
    data = decisions_data(tmp_path)
    code, out = build(data)
    first = {k: v for k, v in tree_digest(out).items() if k.startswith("feeds/")}
    mtimes = {p: p.stat().st_mtime_ns for p in feed_files(out)}
    code, out = build(data)
    assert code == 0 and {k: v for k, v in tree_digest(out).items() if k.startswith("feeds/")} == first
    code, out = build(data)  # back on the first slot: nothing rewritten
    assert code == 0 and {p: p.stat().st_mtime_ns for p in feed_files(out)} == mtimes
    # Feed dates come from the data, never from the build: a later night with
    # unchanged data gives the same bytes.
    code, out = build(data, today="2026-11-25")
    assert code == 0 and {k: v for k, v in tree_digest(out).items()
                          if k.startswith("feeds/") and k.endswith(".xml")} == \
        {k: v for k, v in first.items() if k.endswith(".xml")}


def test_entry_limit_and_newest_first_by_first_publication(tmp_path, build):
    # 公示日期 order is the reverse of the decision dates: the feed follows 公示日期.
    others = [other_row(**{"决定文书号": f"清应急检〔2026〕{n}号", "决定日期": f"2026-03-{n:02d}",
                           "公示日期": f"2026-04-{30 - n:02d}"}) for n in range(1, 6)]
    code, out = build(write_dataset(tmp_path, others=others), GONGSHI_FEED_ENTRIES=3)
    assert code == 0
    parsed = parse_all(out)
    for path, p in parsed.items():
        assert len(p.entries) <= 3, path
        dates = [e.published_parsed for e in p.entries]
        assert dates == sorted(dates, reverse=True), path
    inspection = parsed[urls.category_feed_url("行政检查", "atom")]
    assert [e.title.split()[0] for e in inspection.entries] == \
        ["清应急检〔2026〕1号", "清应急检〔2026〕2号", "清应急检〔2026〕3号"]
    assert inspection.feed.updated.startswith("2026-04-29")
    site_wide = parsed["feeds/all.atom.xml"]
    # Builds publish the other decisions today (2026-11-22): they come first.
    assert [e.published[:10] for e in site_wide.entries] == ["2026-11-22", "2026-11-22", "2026-11-22"]


def test_links_absolute_with_siteurl_and_relative_to_the_feed_without(tmp_path, build):
    """Feeds and the sitemap: absolute with SITEURL; without it (a preview) feeds are
    relative and there is no sitemap at all (the protocol requires absolute URLs)."""
    data = decisions_data(tmp_path)
    code, out = build(data)
    assert code == 0
    root = Path(os.path.realpath(out))
    assert not list(root.glob("sitemap*.xml"))
    for path, p in parse_all(out).items():
        base = (root / path).as_uri()
        links = [e.link for e in p.entries] + [link.href for link in p.feed.links]
        for link in links:
            assert not urlsplit(link).scheme and not link.startswith("/"), link
            target = Path(urlsplit(urljoin(base, link)).path)
            assert target.is_file(), (path, link)
        assert any(link.rel == "self" and urljoin(base, link.href) == base for link in p.feed.links), path
    code, out = build(data, output=tmp_path / "absolute", SITEURL=SITEURL)
    assert code == 0
    for path, p in parse_all(out).items():
        for e in p.entries:
            assert e.link.startswith(SITEURL + "/decisions/"), e.link
        hrefs = {link.rel: link.href for link in p.feed.links}
        assert hrefs["self"] == f"{SITEURL}/{path}"
        assert hrefs["alternate"].startswith(SITEURL + "/")
    lastmods = sitemap_lastmods(out, SITEURL)  # every <loc> absolute under SITEURL (its path too)
    assert "feeds/index.html" in lastmods and not [u for u in lastmods if u.endswith(".xml")]
    assert all((out / u).is_file() for u in lastmods)


class AltLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alternates, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type"), a.get("href")))
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def page_links(root: Path, page: str) -> AltLinks:
    p = AltLinks()
    p.feed((root / page).read_text(encoding="utf-8"))
    return p


def resolve(root: Path, page: str, href: str) -> str:
    return Path(os.path.normpath(root / Path(page).parent / href)).relative_to(root).as_posix()


def test_autodiscovery_and_the_subscribe_page(built):
    root = Path(os.path.realpath(built))
    expected = {
        "index.html": ["feeds/all.atom.xml", "feeds/all.rss.xml"],
        "decisions/index.html": ["feeds/all.atom.xml", "feeds/all.rss.xml"],
        urls.category_url("行政处罚"): [urls.category_feed_url("行政处罚", f) for f in ("atom", "rss")],
        urls.category_url("行政强制"): [urls.category_feed_url("行政强制", f) for f in ("atom", "rss")],
        urls.agency_decisions_url(AGENCY_A): [urls.agency_feed_url(AGENCY_A, f) for f in ("atom", "rss")],
        urls.agency_decisions_url(AGENCY_B): [urls.agency_feed_url(AGENCY_B, f) for f in ("atom", "rss")],
        urls.entity_url(AGENCY_B): [urls.agency_feed_url(AGENCY_B, f) for f in ("atom", "rss")],
    }
    for page, wanted in expected.items():
        alts = page_links(root, page).alternates
        assert [resolve(root, page, href) for _, href in alts] == wanted, page
        assert [t for t, _ in alts] == ["application/atom+xml", "application/rss+xml"]
        for target in wanted:
            assert not feedparser.parse((root / target).read_bytes()).bozo
    # The 订阅 page lists every feed file, and is linked from the footer and 数据开放.
    listed = {resolve(root, "feeds/index.html", h) for h in page_links(root, "feeds/index.html").hrefs}
    assert {rel(built, p) for p in feed_files(built)} <= listed
    assert "feeds/index.html" in {resolve(root, "open-data/index.html", h)
                                  for h in page_links(root, "open-data/index.html").hrefs}
    assert "feeds/index.html" in {resolve(root, "index.html", h) for h in page_links(root, "index.html").hrefs}
    page = (root / "feeds/index.html").read_text(encoding="utf-8")
    assert "什么是订阅源" in page and "清河区市场监督管理局的执法决定" in page
    assert not (root / "sitemap.xml").exists()  # no SITEURL: no sitemap (test_links_absolute_with_siteurl_…)


def test_subscribe_page_shows_full_addresses_with_siteurl(tmp_path, build):
    code, out = build(decisions_data(tmp_path), SITEURL=SITEURL)
    assert code == 0
    page = (out / "feeds" / "index.html").read_text(encoding="utf-8")
    for path in feed_files(out):
        assert f"{SITEURL}/{rel(out, path)}" in page


# --- Property: arbitrary text survives a feed round trip, escaped. -------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def _decision(target: str, outcome: str) -> dict:
    return {"key": f"{AGENCY_A}/清应急检〔2026〕1号", "url": urls.decision_url(AGENCY_A, "清应急检〔2026〕1号"),
            "category": "行政检查", "docno": "清应急检〔2026〕1号", "agency_code": AGENCY_A,
            "agency_name": "清河区应急管理局", "target_name": target, "decision_date": "2026-03-01",
            "first_published": "2026-03-02", "updated": "2026-03-04", "summary": outcome, "outcome": outcome}


def _visible(text: str) -> str:
    """What survives: the characters XML can carry (feedparser trims surrounding whitespace),
    with line ends normalised as every XML parser must (CR LF and lone CR become LF)."""
    text = strip_illegal(text).replace("\ufffe", "").replace("\uffff", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@hsettings(max_examples=150, deadline=None)
@given(target=_TEXT, outcome=_TEXT)
def test_any_text_round_trips_through_both_formats(target, outcome):
    d = _decision(target, outcome)
    feed = feeds.site_feed()
    for fmt in ("atom", "rss"):
        raw = feeds.render(feed, fmt, [feeds.decision_entry(d)], d["updated"], "测试<站点>&", "")
        p = feedparser.parse(raw)
        assert not p.bozo, p.get("bozo_exception")
        (e,) = p.entries
        path = feed.paths[fmt]
        assert entry_title(e, path).strip() == _visible(f"{d['docno']} {target}").strip()
        assert _visible(outcome).strip() in entry_summary(e, path)
        assert e.id == feeds.entry_id(d["key"])
        if fmt == "rss":
            assert "<" not in e.title and "<" not in e.summary


# ------------------------------------------------------------ 更正与撤回 (issue 27.1, 27.2)

def _notices(out: Path, path: str = "feeds/notices.atom.xml"):
    p = feedparser.parse((Path(os.path.realpath(out)) / path).read_bytes())
    assert not p.bozo, p.get("bozo_exception")
    return p


def test_notices_feeds_carry_each_correction_and_withdrawal_and_nothing_of_a_withdrawn_decision(tmp_path, build):
    data = decisions_data(tmp_path)
    assert build(data, today="2026-11-20")[0] == 0
    corrected = decisions_data(tmp_path, content="警告，并处罚款人民币1万元")
    assert build(corrected, today="2026-11-21")[0] == 0
    withdrawn = decisions_data(tmp_path, content="警告，并处罚款人民币1万元", takedowns=[
        ["清应急罚〔2024〕5号", AGENCY_A, "决定被撤销", "2026-11-21", "经行政复议撤销"]])
    code, out = build(withdrawn, today="2026-11-23")
    assert code == 0
    public = open_data(out)
    key = f"{AGENCY_A}/清应急罚〔2024〕1号"
    gone = f"{AGENCY_A}/清应急罚〔2024〕5号"
    for fmt in ("atom", "rss"):
        for path in (urls.notices_feed_url(fmt), urls.agency_notices_feed_url(AGENCY_A, fmt)):
            p = _notices(out, path)
            got = [(entry_title(e, path), e.id) for e in p.entries]
            assert got == [("撤回：清应急罚〔2024〕5号", feeds.notice_id("withdrawal", gone, "2026-11-23")),
                           ("更正：清应急罚〔2024〕1号", feeds.notice_id("correction", key, "2026-11-21"))], path
            withdrawal, correction = p.entries
            assert "更正了处罚内容" in entry_summary(correction, path) and "2026-11-21" in entry_summary(correction, path)
            assert urlsplit(correction.link).path.endswith(public[key]["url"])
            said = entry_summary(withdrawal, path)
            assert "决定被撤销" in said and "经行政复议撤销" in said and "2026-11-23" in said
            assert urlsplit(withdrawal.link).path.endswith(urls.decision_url(AGENCY_A, "清应急罚〔2024〕5号"))
            raw = (Path(os.path.realpath(out)) / path).read_text("utf-8")
            for secret in ("撤下目标甲", "示例恒达建材", "未对从业人员", "2万元", "1万元"):
                assert secret not in raw, (path, secret)
    # The other agency's notices feed is there, and empty.
    assert _notices(out, urls.agency_notices_feed_url(AGENCY_B, "atom")).entries == []
    # Ids are their own: not the decision's.
    assert feeds.notice_id("correction", key, "2026-11-21") != feeds.entry_id(key)


def test_a_corrected_decision_leads_the_main_feeds_with_its_date_and_what_changed(tmp_path, build):
    assert build(decisions_data(tmp_path), today="2026-11-20")[0] == 0
    code, out = build(decisions_data(tmp_path, content="警告，并处罚款人民币1万元"), today="2026-11-25")
    assert code == 0
    key = f"{AGENCY_A}/清应急罚〔2024〕1号"
    for path in ("feeds/all.atom.xml", "feeds/all.rss.xml", urls.agency_feed_url(AGENCY_A, "rss")):
        entries = parse_all(out)[path].entries
        first = entries[0]
        assert first.id == feeds.entry_id(key)  # same id as before, first in the feed
        assert entry_title(first, path).endswith("（2026-11-25 更正）")
        assert "2026-11-25 更正了处罚内容" in entry_summary(first, path)
        if path.endswith(".atom.xml"):
            assert first.updated.startswith("2026-11-25") and first.published.startswith("2026-11-20")
        others = entries[1:]
        assert all("更正" not in entry_title(e, path) for e in others)


def test_the_withdrawn_list_autodiscovers_the_notices_feeds_and_the_feeds_page_lists_them(built):
    root = Path(os.path.realpath(built))
    alts = page_links(root, "decisions/withdrawn/index.html").alternates
    assert [(t, resolve(root, "decisions/withdrawn/index.html", h)) for t, h in alts] == [
        ("application/atom+xml", "feeds/notices.atom.xml"), ("application/rss+xml", "feeds/notices.rss.xml")]
    listed = {resolve(root, "feeds/index.html", h) for h in page_links(root, "feeds/index.html").hrefs}
    assert {"feeds/notices.atom.xml", urls.agency_notices_feed_url(AGENCY_B, "rss")} <= listed
    page = (root / "feeds" / "index.html").read_text("utf-8")
    assert "更正与撤回公告" in page and "会自动出现在您的阅读器里" not in page


def test_an_empty_notices_feed_keeps_its_date_and_bytes_from_night_to_night(tmp_path, build):
    """An agency without notices: its notices feed says it has been empty since
    the site's first publication, not 'updated today', and is not rewritten."""
    from helpers import TAKEDOWN_HEADER, write_csv
    data = write_dataset(tmp_path)
    code, out = build(data, today="2026-11-20")
    assert code == 0
    path = urls.agency_notices_feed_url(AGENCY_B, "atom")
    first = (out / path).read_bytes()
    began = min(d["first_published"] for d in json.loads((out / "open-data/decisions.json").read_bytes()))
    assert feedparser.parse(first).feed.updated.startswith(began)
    # The next nights: agency A withdraws a decision (a notice, site-wide news), B has nothing new.
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急罚〔2024〕1号", AGENCY_A, "决定被撤销", "2026-11-21", ""]])
    code, out = build(data, today="2026-11-22")
    assert code == 0 and feedparser.parse((out / urls.agency_notices_feed_url(AGENCY_A, "atom")).read_bytes()).entries
    assert (out / path).read_bytes() == first
