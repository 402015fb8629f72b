"""Publication rules through real builds (gongshi/rules.py): 简易程序 and 警告 /
通报批评-only penalties are on no surface, counted in the yearbook, reported by
key; one published before is withdrawn with a public reason; each rule can be
switched off."""
import json
import os
import sqlite3
from pathlib import Path

from conftest import all_text
from helpers import AGENCY_A, SITEURL, penalty_record, write_dataset, write_records

from pelican.plugins.gongshi import urls

# 文书号 → (its target and facts, planted to be looked for, and its rule or None).
ROWS = {
    "清应急罚〔2025〕1号": ("公开甲乙有限公司", "公开事实子丑", None),  # 警告;罚款 with a fine: published
    "清应急罚〔2025〕2号": ("简易丙丁有限公司", "简易事实寅卯", "简易程序"),
    "清应急罚〔2025〕3号": ("警告戊己有限公司", "警告事实辰巳", "仅警告或通报批评"),
    "清应急罚〔2025〕4号": ("通报庚辛有限公司", "通报事实午未", "仅警告或通报批评"),
    "清应急罚〔2025〕5号": ("双轻壬癸有限公司", "双轻事实申酉", "仅警告或通报批评"),
    "清应急罚〔2025〕6号": ("警告有款有限公司", "有款事实戌亥", None),  # 处罚类别 警告, but a fine: not "only"
}
KINDS = {"清应急罚〔2025〕2号": ("警告;罚款", "2", "简易程序"), "清应急罚〔2025〕3号": ("警告", "", "一般程序"),
         "清应急罚〔2025〕4号": ("通报批评", "", ""), "清应急罚〔2025〕5号": ("警告、通报批评", "", "普通程序"),
         "清应急罚〔2025〕6号": ("警告", "1.5", "")}
OFF = {"简易程序": False, "仅警告或通报批评": False}


def minor_data(tmp_path: Path) -> Path:
    records = []
    for docno, (target, facts, _) in ROWS.items():
        types, fine, procedure = KINDS.get(docno, ("警告;罚款", "2", "一般程序"))
        records.append(penalty_record(**{
            "行政处罚决定书文号": docno, "行政相对人名称": target, "违法事实": f"经查，{facts}。",
            "处罚类别": types, "罚款金额（万元）": fine, "案件程序类别": procedure,
            "处罚内容": f"{types}（{target}）", "处罚决定日期": "2025-06-10", "公示截止期": "2028-06-10"}))
    data = write_dataset(tmp_path, licenses=[])  # (and one 2026 decision: a yearbook for 2026)
    write_records(data / "decisions" / "2024-行政处罚.csv", records)
    return data


def key(docno: str) -> str:
    return f"{AGENCY_A}/{docno}"


def published(out: Path) -> set[str]:
    """The published keys of ROWS."""
    return {d["key"] for d in json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))
            if "罚〔2025〕" in d["key"]}


def report(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def stats(out: Path, year: int) -> dict:
    return json.loads((out / "stats" / str(year) / "stats.json").read_text(encoding="utf-8"))


def test_minor_penalties_are_on_no_surface_but_counted_in_the_yearbook(tmp_path, build, capsys):
    code, out = build(minor_data(tmp_path), SITEURL=SITEURL)
    assert code == 0  # a rule is not a problem: cron stays quiet
    text = all_text(out)  # pages, lists, feeds, sitemap, open data, search index and exact lookup
    held = {docno for docno, (*_, rule) in ROWS.items() if rule}
    for docno, (target, facts, rule) in ROWS.items():
        for planted in (target, facts):
            assert (planted in text) == (rule is None), (docno, planted)
        assert (key(docno) in published(out)) == (rule is None), docno
        assert (out / urls.decision_url(AGENCY_A, docno)).exists() == (rule is None), docno
    assert not [d for d in held if d in text]  # not even a withdrawal notice: never published
    # Counted: the yearbook reports every valid decision.
    book = stats(out, 2025)
    assert book["decisions_by_category"]["行政处罚"] == len(ROWS)
    assert book["penalties_by_most_severe_type"]["警告"] == 2 and book["penalties_by_most_severe_type"]["通报批评"] == 2
    assert book["takedowns_by_reason"]["按公示规则不公开"] == 0  # never published: nothing withdrawn
    # Reported, by key and by rule.
    got = report(tmp_path)
    assert got["not_published_by_rule"] == sorted(key(d) for d in held)
    assert got["not_published_by_rule_counts"] == {"仅警告或通报批评": 3, "简易程序": 1}
    said = capsys.readouterr().out
    line = next(line for line in said.splitlines() if line.startswith("按公示规则不公开"))
    assert line.startswith("按公示规则不公开 4 个（仅警告或通报批评 3 个，简易程序 1 个；仍计入统计年报）：")
    assert sorted(line.split("：", 1)[1].split("、")) == sorted(key(d) for d in held)


def test_a_decision_published_before_a_rule_applied_is_withdrawn_with_its_reason(tmp_path, build):
    data = minor_data(tmp_path)
    code, out = build(data, today="2026-11-20", GONGSHI_PUBLICATION_RULES=OFF)
    assert code == 0 and key("清应急罚〔2025〕3号") in published(out)
    url = urls.decision_url(AGENCY_A, "清应急罚〔2025〕3号")
    code, out = build(data, today="2026-11-23")
    assert code == 0
    assert not {key(d) for d, (*_, rule) in ROWS.items() if rule} & published(out)
    notice = (out / url).read_text(encoding="utf-8")
    for shown in ("撤回说明", "清应急罚〔2025〕3号", "2026-11-23", "按公示规则不公开", "仅给予警告或通报批评",
                  "《市场监督管理行政处罚信息公示规定》第二条"):
        assert shown in notice, shown
    assert "第四十八条" not in notice  # that is the law on revoked decisions, not this
    assert "简易程序作出" in (out / urls.decision_url(AGENCY_A, "清应急罚〔2025〕2号")).read_text(encoding="utf-8")
    listing = (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")
    assert listing.count("按公示规则不公开") == 4
    text = all_text(out)
    for docno, (target, facts, rule) in ROWS.items():
        assert (target in text) == (rule is None) and (facts in text) == (rule is None), docno
    assert sorted(report(tmp_path)["taken_down"]) == sorted(key(d) for d, (*_, rule) in ROWS.items() if rule)
    conn = sqlite3.connect(tmp_path / "ledger.sqlite")
    rows = dict(conn.execute("SELECT key, takedown_reason FROM decisions WHERE taken_down = '2026-11-23'"))
    conn.close()
    assert rows == {key(d): "按公示规则不公开" for d, (*_, rule) in ROWS.items() if rule}
    # The yearbook counts them as withdrawn by the rule, the year they were withdrawn, not as expiries.
    reasons = stats(out, 2026)["takedowns_by_reason"]
    assert reasons["按公示规则不公开"] == 4 and reasons["公示期满"] == 0
    assert stats(out, 2025)["takedowns_by_reason"]["按公示规则不公开"] == 0


def test_each_rule_can_be_switched_off(tmp_path, build):
    data = minor_data(tmp_path)
    for off, shown in (("简易程序", {"清应急罚〔2025〕2号"}),
                       ("仅警告或通报批评", {"清应急罚〔2025〕3号", "清应急罚〔2025〕4号", "清应急罚〔2025〕5号"})):
        out = tmp_path / off
        code, out = build(data, output=out, GONGSHI_LEDGER=str(tmp_path / f"{off}.sqlite"),
                          GONGSHI_PUBLICATION_RULES={off: False})
        assert code == 0
        expected = {key(d) for d, (*_, rule) in ROWS.items() if rule is None or d in shown}
        assert published(out) == expected, off
        text = all_text(out)
        for docno in shown:
            assert ROWS[docno][0] in text and ROWS[docno][1] in text


def test_an_unknown_rule_is_a_settings_error_and_builds_nothing(tmp_path, build, capsys):
    code, out = build(minor_data(tmp_path), GONGSHI_PUBLICATION_RULES={"警告": False})
    assert code == 2
    err = capsys.readouterr().err
    assert "GONGSHI_PUBLICATION_RULES 中的“警告”不是公示规则" in err and "仅警告或通报批评" in err
    assert "Traceback" not in err
    assert not out.exists() and not os.path.exists(tmp_path / "ledger.sqlite")
