"""The command line as a webmaster uses it: a real subprocess of publish.py."""
import json
import subprocess
import sys

from conftest import ROOT
from helpers import AGENCY_A, PENALTY_HEADER, penalty_row, write_csv, write_dataset


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "publish.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_check_valid_data_exits_zero(tmp_path):
    data = write_dataset(tmp_path)
    result = run("check", "--data", str(data), "--today", "2026-11-22")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "数据校验通过" in result.stdout


def test_check_lists_every_problem_as_file_row_column_message_fix(tmp_path):
    data = write_dataset(tmp_path, decisions=[
        penalty_row(**{"处罚决定日期": "2024/2/30"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕2号", "罚款金额（万元）": "两万"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕3号", "处罚机关统一社会信用代码": "11110105MB0999999Y"}),
    ])
    result = run("check", "--data", str(data), "--today", "2026-11-22")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = [
        "decisions/2024-行政处罚.csv:2:处罚决定日期: 日期“2024/2/30”不存在 — ",
        "decisions/2024-行政处罚.csv:3:罚款金额（万元）: 金额“两万”不是数字 — ",
        "decisions/2024-行政处罚.csv:4:处罚机关统一社会信用代码: 机关统一社会信用代码“11110105MB0999999Y”不在 entities.csv 中 — ",
    ]
    for prefix in expected:
        assert any(line.startswith(prefix) and len(line) > len(prefix) for line in lines), prefix
    assert "共 3 个问题" in lines[-1]


def test_check_json_form(tmp_path):
    data = write_dataset(tmp_path)
    header = [h for h in PENALTY_HEADER if h != "违法事实"]
    write_csv(data / "decisions" / "2024-行政处罚.csv", header, [penalty_row()[:len(header)]])
    result = run("check", "--data", str(data), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"] == [{
        "file": "decisions/2024-行政处罚.csv", "row": 1, "column": "违法事实", "code": "missing-column",
        "message": "缺少必需的列“违法事实”（行政处罚）", "fix": "请在表头中加上“违法事实”列，或核对列名是否写错",
        "level": "file"}]


def test_build_subprocess_reports_and_exit_status(tmp_path):
    data = write_dataset(tmp_path)
    out = tmp_path / "site"
    ok = run("--data", str(data), "--output", str(out), "--today", "2026-11-22")
    assert ok.returncode == 0, ok.stderr
    assert "已发布：4 个执法决定" in ok.stdout  # 2 penalties + 1 license + 1 other
    assert (out / "index.html").is_file()
    report = json.loads((data / "publish-report.json").read_text(encoding="utf-8"))
    assert list(report["seconds"]) == ["prepare", "render", "search", "stage"]  # where the night went
    assert all(isinstance(s, float) and s >= 0 for s in report["seconds"].values())
    missing = run("--data", str(tmp_path / "nope"), "--output", str(out))
    assert missing.returncode == 1
    assert "数据目录不存在" in missing.stderr


def test_bad_today_is_a_usage_error(tmp_path):
    result = run("--today", "2026-13-01", "--data", str(tmp_path))
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_held_back_rows_exit_5_and_the_console_lists_keys_per_kind(tmp_path, build, capsys):
    """Exit 5: published, but rows were held back (cron's `|| mail` sees it). Each
    kind lists its first ten keys and how many more."""
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号"}) for i in range(1, 13)]
    rows.append(penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕13号", "处罚决定日期": "2025-02-30"}))
    rows.append(penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕14号", "处罚类别": "警告", "罚款金额（万元）": ""}))
    data = write_dataset(tmp_path, decisions=rows, licenses=[], others=[])
    code, _ = build(data)
    assert code == 5
    lines = capsys.readouterr().out.splitlines()

    def kind(label):
        line = next(line for line in lines if line.startswith(label + " "))
        return line, line.split("：", 1)[1].split(" …")[0].split("、") if "：" in line else []

    line, keys = kind("新增")
    assert line.startswith("新增 12 个：") and line.endswith(" …及另外 2 个") and len(keys) == 10
    assert set(keys) <= {f"{AGENCY_A}/清应急罚〔2025〕{i}号" for i in range(1, 13)}
    assert kind("暂缓发布") == ("暂缓发布 1 行（原因见上方的问题列表）：decisions/2024-行政处罚.csv:14",
                                ["decisions/2024-行政处罚.csv:14"])
    assert kind("按公示规则不公开")[1] == [f"{AGENCY_A}/清应急罚〔2025〕14号"]
    assert kind("更正")[0] == "更正 0 个。" and kind("撤下")[0] == "撤下 0 个（撤回公告共 0 个）。"
    line, keys = kind("超时")  # decided in 2025, first published now: all 12 late
    assert line.startswith("超时 12 个（本次新出现；累计 12 个，见完整报告）：") and len(keys) == 10
    assert keys[0].endswith("实际 2026-11-22）")
    # Without a held-back row the same night exits 0.
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, rows[:12] + rows[13:])
    assert build(data)[0] == 0


def test_mass_removal_refusal_names_the_files_gone_since_the_last_build(tmp_path, build, capsys):
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号"}) for i in range(1, 11)]
    data = write_dataset(tmp_path, decisions=rows[:5])
    write_csv(data / "decisions" / "2025-行政处罚-下半年.csv", PENALTY_HEADER, rows[5:])
    assert build(data, today="2026-11-20")[0] == 0
    capsys.readouterr()
    (data / "decisions" / "2025-行政处罚-下半年.csv").unlink()
    code, _ = build(data, today="2026-11-21")
    assert code == 1
    err = capsys.readouterr().err
    assert "拒绝发布" in err
    assert "  上次构建读取过、这次不在的文件 1 个：decisions/2025-行政处罚-下半年.csv" in err.splitlines()
    assert "2024-行政处罚.csv" not in err and "2025-行政许可.csv" not in err  # still there: not named
    line = next(line for line in err.splitlines() if line.startswith("  缺失的决定 5 个："))
    assert sorted(line.split("：")[1].split("、")) == sorted(f"{AGENCY_A}/清应急罚〔2025〕{i}号" for i in range(6, 11))
    # Rows cut from a file that is still there: said so, no file named.
    write_csv(data / "decisions" / "2025-行政处罚-下半年.csv", PENALTY_HEADER, rows[5:6])
    code, _ = build(data, today="2026-11-21")
    assert code == 1
    assert "上次构建读取过的文件这次都在：缺失的是这些文件中的行" in capsys.readouterr().err


def test_file_level_problems_print_without_empty_fields(tmp_path):
    data = write_dataset(tmp_path)
    for path in (data / "decisions").iterdir():
        path.unlink()
    result = run("check", "--data", str(data), "--today", "2026-11-22")
    assert result.returncode == 1
    assert result.stdout.startswith("decisions/: decisions 目录中没有执法决定文件 — ")
    write_csv(data / "decisions" / "x.csv", ["甲", "乙"], [["1", "2"]])
    result = run("check", "--data", str(data), "--today", "2026-11-22")
    assert result.stdout.startswith("decisions/x.csv:1: 无法从表头识别执法决定的格式 — ")
    assert "::" not in result.stdout


def test_every_command_outside_the_site_folder_says_where_to_run_it(tmp_path):
    """Run from another folder (cron without cd): a sentence naming the missing
    pelicanconf.py and the fix, exit 2, no traceback — for the ledger commands too."""
    for args in ([], ["check"], ["ledger", "verify"], ["ledger", "restore", "--from-site", str(tmp_path)]):
        result = subprocess.run([sys.executable, str(ROOT / "publish.py"), *args], capture_output=True, text=True,
                                cwd=tmp_path, timeout=300)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, args
        assert f"找不到配置文件 {tmp_path / 'pelicanconf.py'}" in result.stderr and "--settings" in result.stderr, args
