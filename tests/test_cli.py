"""The command line as a webmaster uses it: a real subprocess of publish.py."""
import json
import subprocess
import sys

from conftest import ROOT
from helpers import PENALTY_HEADER, penalty_row, write_csv, write_dataset


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
