"""The legal core through real builds: ledger dates, corrections, withdrawals,
vanished decisions, deadlines, one build at a time, and a live site that a
failed or killed build never touches."""
import fcntl
import gc
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, all_text, settings_file, tree_digest
from helpers import AGENCY_A, PENALTY_HEADER, other_row, penalty_row, write_csv, write_dataset

TAKEDOWN_HEADER = ["文书号", "机关统一社会信用代码", "撤下原因", "原因发生日期", "说明"]
DOC1 = "清应急罚〔2024〕1号"


def decisions_json(out):
    return {d["key"]: d for d in json.loads((out / "open-data" / "decisions.json").read_text(encoding="utf-8"))}


def ledger_rows(path):
    conn = sqlite3.connect(path)
    try:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT key, first_published, last_corrected, taken_down, takedown_reason FROM decisions")}
    finally:
        conn.close()


def test_first_publication_is_recorded_and_survives_corrections(tmp_path, build):
    data = write_dataset(tmp_path)
    assert build(data, today="2026-11-20")[0] == 0
    code, out = build(data, today="2026-11-22")
    d = decisions_json(out)[f"{AGENCY_A}/{DOC1}"]
    assert (d["first_published"], d["updated"]) == ("2026-11-20", "2026-11-20")
    url = d["url"]
    # A later file corrects the decision's content.
    write_csv(data / "decisions" / "2027-更正.csv", PENALTY_HEADER, [penalty_row(**{"处罚内容": "警告，并处罚款人民币1万元"})])
    code, out = build(data, today="2026-11-23")
    assert code == 0
    d = decisions_json(out)[f"{AGENCY_A}/{DOC1}"]
    assert (d["url"], d["first_published"], d["updated"]) == (url, "2026-11-20", "2026-11-23")
    page = (out / url).read_text(encoding="utf-8")
    assert "更正" in page and "2026-11-23" in page and "罚款人民币1万元" in page
    # The next night nothing changes: the correction date stays.
    code, out = build(data, today="2026-11-24")
    assert decisions_json(out)[f"{AGENCY_A}/{DOC1}"]["updated"] == "2026-11-23"
    assert ledger_rows(tmp_path / "ledger.sqlite")[f"{AGENCY_A}/{DOC1}"][:2] == ("2026-11-20", "2026-11-23")


def test_history_import_sets_first_published(tmp_path, build):
    data = write_dataset(tmp_path, others=[other_row(**{"公示日期": "2026年3月9日"})])
    code, out = build(data)
    assert decisions_json(out)[f"{AGENCY_A}/清应急检〔2026〕3号"]["first_published"] == "2026-03-09"


def test_withdrawal_notice_replaces_the_page_and_lists_only_public_reason(tmp_path, build):
    data = write_dataset(tmp_path)
    code, out = build(data, today="2026-11-20")
    url = decisions_json(out)[f"{AGENCY_A}/{DOC1}"]["url"]
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, AGENCY_A, "决定被撤销", "2026-11-19", "经行政复议撤销"]])
    code, out = build(data, today="2026-11-22")
    assert code == 0
    notice = (out / url).read_text(encoding="utf-8")
    for shown in ("撤回说明", DOC1, "清河区应急管理局", "2026-11-22", "决定被撤销", "经行政复议撤销"):
        assert shown in notice
    listing = (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")
    assert DOC1 in listing and "经行政复议撤销" in listing
    assert f"{AGENCY_A}/{DOC1}" not in decisions_json(out)
    for trace in ("示例恒达建材有限公司", "未对从业人员进行安全生产教育培训", "警告，并处罚款人民币2万元"):
        assert trace not in notice and trace not in listing
    assert "未对从业人员进行安全生产教育培训" not in all_text(out)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["taken_down"] == [f"{AGENCY_A}/{DOC1}"]
    # 原因发生日期 Thursday 11-19 + 3 working days = Tuesday 11-24: taken down 11-22 is on time.
    assert not [t for t in report["late"] if t["key"] == f"{AGENCY_A}/{DOC1}" and t["start"] == "2026-11-19"]
    assert ledger_rows(tmp_path / "ledger.sqlite")[f"{AGENCY_A}/{DOC1}"][2:] == ("2026-11-22", "决定被撤销")


def test_taken_down_before_ever_published_never_appears(tmp_path, build):
    data = write_dataset(tmp_path, takedowns=[[DOC1, "", "信息有误", "2026-11-21", "录入错误"]])
    code, out = build(data)
    assert code == 0
    text = all_text(out)
    assert DOC1 not in text and "录入错误" not in text
    assert f"{AGENCY_A}/{DOC1}" not in ledger_rows(tmp_path / "ledger.sqlite")


def test_expiry_default_period_and_setting(tmp_path, build):
    # No 公示截止期: 行政处罚 defaults to 3 years after the decision date.
    data = write_dataset(tmp_path, decisions=[penalty_row(**{"公示截止期": "", "处罚决定日期": "2023-11-21"})])
    code, out = build(data, today="2026-11-22")
    assert f"{AGENCY_A}/{DOC1}" not in decisions_json(out)
    code, out = build(data, today="2026-11-22", output=tmp_path / "o2", GONGSHI_LEDGER=str(tmp_path / "l2"),
                      GONGSHI_DISCLOSURE_DAYS={"行政处罚": None})
    assert f"{AGENCY_A}/{DOC1}" in decisions_json(out)


def test_expiry_is_not_judged_as_a_late_takedown(tmp_path, build):
    # Published 11-03 (history), expired after 11-10: withdrawn by the build, no takedown deadline applies.
    data = write_dataset(tmp_path, decisions=[], licenses=[], others=[other_row(**{
        "决定日期": "2026-11-02", "公示截止期": "2026-11-10", "公示日期": "2026-11-03"})])
    code, out = build(data, today="2026-11-20")
    assert code == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["withdrawn_total"] == 1 and report["late"] == []
    assert "公示期满" in (out / "decisions" / "withdrawn" / "index.html").read_text(encoding="utf-8")


def test_late_publication_is_reported_in_working_days(tmp_path, build, capsys):
    # Decided Friday 2026-11-06; 7 working days → due Tuesday 11-17. Published 11-20: late.
    data = write_dataset(tmp_path, decisions=[penalty_row(**{"处罚决定日期": "2026-11-06"})], licenses=[], others=[])
    code, out = build(data, today="2026-11-20")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["late"] == [{"key": f"{AGENCY_A}/{DOC1}", "category": "行政处罚", "start": "2026-11-06",
                               "due": "2026-11-17", "done": "2026-11-20", "on_time": False}]
    assert f"超时 1 个（本次新出现；累计 1 个，见完整报告）：{AGENCY_A}/{DOC1}（行政处罚，应于 2026-11-17 前完成，实际 2026-11-20）" \
        in capsys.readouterr().out.splitlines()


def test_missing_decision_keeps_last_version_and_mass_vanishing_is_refused(tmp_path, build, capsys):
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号"}) for i in range(1, 21)]
    data = write_dataset(tmp_path, decisions=rows, licenses=[], others=[])
    assert build(data, today="2026-11-20")[0] == 0
    capsys.readouterr()
    # One of 20 missing (5 %): kept, reported by key.
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, rows[1:])
    code, out = build(data, today="2026-11-21")
    assert code == 0
    assert f"{AGENCY_A}/清应急罚〔2025〕1号" in decisions_json(out)
    assert f"导出中缺失 1 个（已公开过、本次导出中没有，沿用上次的版本；如需撤下请在 takedowns.csv 中登记）：" \
           f"{AGENCY_A}/清应急罚〔2025〕1号" in capsys.readouterr().out.splitlines()
    before, ledger_before = tree_digest(out), (tmp_path / "ledger.sqlite").read_bytes()
    # A truncated export (15 of 20 missing): refused, nothing changes.
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, rows[15:])
    code, out = build(data, today="2026-11-22")
    assert code == 1
    assert "拒绝发布" in capsys.readouterr().err
    assert tree_digest(out) == before and (tmp_path / "ledger.sqlite").read_bytes() == ledger_before
    # On purpose: the flag publishes.
    conf = settings_file(tmp_path, GONGSHI_LEDGER=str(tmp_path / "ledger.sqlite"), GONGSHI_REPORT=str(tmp_path / "r.json"))
    from pelican.plugins.gongshi.cli import main
    assert main(["--data", str(data), "--output", str(out), "--today", "2026-11-22", "--settings", str(conf),
                 "--allow-mass-removal"]) == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert len(report["missing_from_export"]) == 15
    assert len(decisions_json(out)) == 20  # published: the missing ones keep their last version


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tmp_path, build):
    """A build switches the collector off while it prepares and freezes what it
    prepared; every way out (published, refused) gives it back as it was."""
    data = write_dataset(tmp_path)
    assert build(data)[0] == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    header = [h for h in PENALTY_HEADER if h != "违法事实"]  # a file-level problem: refused after preparing
    write_csv(data / "decisions" / "2024-行政处罚.csv", header, [penalty_row()[:len(header)]])
    assert build(data)[0] == 1
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_held_back_row_keeps_last_good_version(tmp_path, build):
    data = write_dataset(tmp_path, decisions=[penalty_row()])
    code, out = build(data, today="2026-11-20")
    good = decisions_json(out)[f"{AGENCY_A}/{DOC1}"]
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, [penalty_row(**{"处罚决定日期": "2024-02-30"})])
    code, out = build(data, today="2026-11-21")
    assert code == 5  # published, a row held back
    assert decisions_json(out)[f"{AGENCY_A}/{DOC1}"] == good
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert f"{AGENCY_A}/{DOC1}" in report["kept_last_good_version"]
    assert report["missing_from_export"] == [] and report["held_back"][0]["code"] == "bad-date"


def test_same_data_same_day_is_byte_identical_and_keeps_mtimes(tmp_path, build):
    data = write_dataset(tmp_path)
    build(data)
    first = tree_digest(tmp_path / "output")
    live = Path(os.path.realpath(tmp_path / "output"))
    mtimes = {p: p.stat().st_mtime_ns for p in live.rglob("*") if p.is_file()}
    build(data)
    assert tree_digest(tmp_path / "output") == first
    second = Path(os.path.realpath(tmp_path / "output"))
    assert second != live  # the other slot went live ...
    for path, mtime in mtimes.items():  # ... with every unchanged file's mtime
        assert (second / path.relative_to(live)).stat().st_mtime_ns == mtime, path


def test_a_second_build_is_refused_while_one_runs_and_a_stale_lock_is_noticed(tmp_path, build, capsys):
    data = write_dataset(tmp_path)
    lock_dir = tmp_path / ".output.slots"
    lock_dir.mkdir()
    with open(lock_dir / "build.lock", "a+", encoding="utf-8") as held:
        held.write("进程 99999，开始于 2026-11-22 01:30:00")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, out = build(data)
        assert code == 4
        assert "另一个构建正在运行（进程 99999" in capsys.readouterr().err
        assert not out.exists()
    # Released by a dead holder: the next build runs and says so.
    code, out = build(data)
    assert code == 0
    assert "上次构建（进程 99999" in capsys.readouterr().err


def _subprocess_build(tmp_path, data, today, kill_at=None):
    conf = settings_file(tmp_path, GONGSHI_LEDGER=str(tmp_path / "ledger.sqlite"),
                         GONGSHI_REPORT=str(tmp_path / "report.json"))
    env = dict(os.environ, GONGSHI_KILL_AT=kill_at or "")
    return subprocess.run([sys.executable, str(ROOT / "tests" / "launch.py"), "--data", str(data), "--output",
                           str(tmp_path / "output"), "--today", today, "--settings", str(conf)],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("stage", ["prepared", "rendered", "staged"])
def test_a_killed_build_leaves_live_site_and_ledger_as_they_were(tmp_path, stage):
    data = write_dataset(tmp_path)
    assert _subprocess_build(tmp_path, data, "2026-11-20").returncode == 0
    before, ledger_before = tree_digest(tmp_path / "output"), (tmp_path / "ledger.sqlite").read_bytes()
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, "", "决定被撤销", "2026-11-21", ""]])
    result = _subprocess_build(tmp_path, data, "2026-11-22", kill_at=stage)
    assert result.returncode == -9
    assert tree_digest(tmp_path / "output") == before
    assert (tmp_path / "ledger.sqlite").read_bytes() == ledger_before
    # The next build publishes normally.
    assert _subprocess_build(tmp_path, data, "2026-11-22").returncode == 0
    assert "撤回说明" in all_text(tmp_path / "output")


def test_a_build_killed_after_its_commit_is_finished_by_the_next(tmp_path):
    data = write_dataset(tmp_path)
    assert _subprocess_build(tmp_path, data, "2026-11-20").returncode == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, "", "决定被撤销", "2026-11-21", ""]])
    assert _subprocess_build(tmp_path, data, "2026-11-22", kill_at="committed").returncode == -9
    committed = ledger_rows(tmp_path / "ledger.sqlite")[f"{AGENCY_A}/{DOC1}"]
    assert committed[2] == "2026-11-22"  # the ledger says withdrawn ...
    result = _subprocess_build(tmp_path, data, "2026-11-22")
    assert result.returncode == 0 and "已完成切换" in result.stderr
    assert "撤回说明" in all_text(tmp_path / "output")  # ... and the site agrees


# ------------------------------------------------------------------ property: takedown is total

TOKEN = st.text(alphabet="甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥", min_size=6, max_size=6)


def _apart(tokens) -> bool:
    """Every token distinct, and no name's first three characters (a natural
    person's name below) inside any other token: what is checked absent must not
    legitimately be part of another decision's text."""
    words = [x for t in tokens for x in t]
    return len(set(words)) == len(words) and not any(
        name[:3] in word for name, _ in tokens for word in words if word != name)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(3, 8), data_=st.data())
def test_no_trace_of_a_withdrawn_decision_anywhere(tmp_path_factory, n, data_):
    root = tmp_path_factory.mktemp("prop")
    tokens = data_.draw(st.lists(st.tuples(TOKEN, TOKEN), min_size=n, max_size=n,
                                 unique_by=lambda t: t[0]).filter(_apart))
    natural = data_.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    fate = data_.draw(st.lists(st.sampled_from(["live", "takedown", "expired", "takedown-later"]), min_size=n, max_size=n))
    rows, takedowns, later = [], [], []
    for i, ((name, fact), person, f) in enumerate(zip(tokens, natural, fate)):
        docno = f"清应急罚〔2025〕{i + 1}号"
        rows.append(penalty_row(**{
            "行政处罚决定书文号": docno, "行政相对人名称": f"{name}公司" if not person else name[:3],
            "行政相对人类别": "自然人" if person else "法人及非法人组织", "违法事实": f"事实{fact}。",
            "处罚内容": f"内容{fact}", "公示截止期": "2026-11-01" if f == "expired" else "2028-01-01"}))
        if f == "takedown":
            takedowns.append([docno, "", "决定被撤销", "2026-11-19", ""])
        if f == "takedown-later":
            later.append([docno, AGENCY_A, "信用修复", "2026-11-21", "已完成信用修复"])
    data = write_dataset(root, decisions=rows, licenses=[], others=[], takedowns=takedowns)
    assert _subprocess_build(root, data, "2026-11-20").returncode == 0
    if later:
        write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, takedowns + later)
    assert _subprocess_build(root, data, "2026-11-22").returncode == 0
    text = all_text(root / "output")
    for ((name, fact), person, f) in zip(tokens, natural, fate):
        target = name[:3] if person else f"{name}公司"
        if f == "live":
            assert fact in text
        else:
            assert fact not in text and target not in text
