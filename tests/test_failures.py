"""Every failure is a sentence (gongshi/failures.py): SIGINT and SIGTERM at any
point, a ledger that cannot be read, a broken settings file — the documented
exit code, one sentence and no traceback, the live site and the ledger
byte-identical. Real subprocesses of publish.py, real signals."""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, all_text, settings_file, tree_digest
from helpers import TAKEDOWN_HEADER, write_csv, write_dataset

UNCHANGED = "未发布任何内容，线上网站和发布台账保持不变。"
DOC1 = "清应急罚〔2024〕1号"


def command(tmp: Path, data: Path, *extra, **settings) -> list[str]:
    conf = settings_file(tmp, GONGSHI_LEDGER=str(tmp / "ledger.sqlite"), GONGSHI_REPORT=str(tmp / "report.json"),
                         **settings)
    return [sys.executable, str(ROOT / "tests" / "launch.py"), "--data", str(data), "--output", str(tmp / "output"),
            "--today", "2026-11-22", "--settings", str(conf), *extra]


def run(tmp: Path, data: Path, *extra, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(command(tmp, data, *extra), env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=300)


def state(tmp: Path) -> tuple[dict, bytes]:
    """What must not change: every byte of the live site and of the ledger."""
    return tree_digest(tmp / "output"), (tmp / "ledger.sqlite").read_bytes()


def published_once(tmp: Path) -> Path:
    """A data folder published once, then changed (a takedown) for the build under test."""
    data = write_dataset(tmp)
    assert run(tmp, data).returncode == 0
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, "", "决定被撤销", "2026-11-21", "复议撤销"]])
    return data


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


@pytest.mark.parametrize("stage,sig,code", [("locked", "INT", 130), ("prepared", "TERM", 143),
                                            ("rendered", "INT", 130), ("staged", "TERM", 143)])
def test_a_signal_at_any_stage_publishes_nothing_and_says_so(tmp_path, stage, sig, code):
    data = published_once(tmp_path)
    before = state(tmp_path)
    result = run(tmp_path, data, env={"GONGSHI_SIGNAL_AT": f"{stage}:{sig}"})
    assert result.returncode == code
    assert f"SIG{sig}" in result.stderr and "构建已中止" in result.stderr and UNCHANGED in result.stderr
    no_traceback(result)
    assert state(tmp_path) == before
    # The next night publishes the change, and says nothing went wrong before.
    result = run(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "未正常结束" not in result.stderr and "撤回说明" in all_text(tmp_path / "output")


@pytest.mark.parametrize("sig,group", [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_ctrl_c_or_sigterm_while_pagefind_runs(tmp_path, sig, group):
    """Ctrl-C reaches the whole process group (the build and its Pagefind runs);
    cron's or systemd's SIGTERM may reach the build alone. Sent from outside,
    while the search index is being made."""
    data = published_once(tmp_path)
    before = state(tmp_path)
    build = subprocess.Popen(command(tmp_path, data), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    slots = tmp_path / ".output.slots"
    while build.poll() is None and not list(slots.glob(".gongshi-pagefind-*")):
        time.sleep(0.005)
    (os.killpg if group else os.kill)(build.pid, sig)
    out, err = build.communicate(timeout=120)
    assert build.returncode == 128 + sig, err
    assert UNCHANGED in err and "Traceback" not in out + err
    assert state(tmp_path) == before
    assert not list(slots.glob(".gongshi-pagefind-*"))  # its scratch folder is cleaned up


def test_a_signal_while_the_pool_starts_a_thread_still_waits_for_that_threads_run(tmp_path, monkeypatch):
    """The race behind a leftover .gongshi-pagefind-* folder: a signal that
    stops ``submit`` inside ``Thread.start`` leaves a thread the pool never
    noted, already staging a shard into the scratch folder. The build must
    still wait for it before it removes that folder."""
    from pelican.plugins.gongshi import search
    from pelican.plugins.gongshi.failures import Interrupted

    running, done = threading.Event(), tmp_path / "done"
    real_start = threading.Thread.start

    def start_then_a_signal(self):  # what SIGINT does while start() waits for the new thread
        real_start(self)
        running.wait(10)
        raise Interrupted(signal.SIGINT)

    def stage():
        running.set()
        time.sleep(0.5)
        done.touch()
    monkeypatch.setattr(threading.Thread, "start", start_then_a_signal)
    with pytest.raises(Interrupted):
        with search._pool(2) as pool:
            pool.submit(stage)
    assert done.exists()  # waited for, though the pool had not noted it


@pytest.mark.parametrize("stage,sig", [("committed", "TERM"), ("swapped", "INT")])
def test_a_signal_while_publishing_waits_until_the_site_is_live(tmp_path, stage, sig):
    """From the ledger commit on, stopping would leave the ledger ahead of the
    site: the signal waits, the build finishes, and says so."""
    data = published_once(tmp_path)
    result = run(tmp_path, data, env={"GONGSHI_SIGNAL_AT": f"{stage}:{sig}"})
    assert result.returncode == 0, result.stderr
    assert f"SIG{sig}" in result.stderr and "已完整发布后才退出" in result.stderr
    no_traceback(result)
    assert "撤回说明" in all_text(tmp_path / "output")
    assert "已发布：" in result.stdout and (tmp_path / "report.json").is_file()


def test_a_ledger_that_cannot_be_read_is_refused_with_a_sentence(tmp_path):
    """A corrupt ledger, or a folder in its place, is refused before anything
    runs (exit 1, issue 26), with how to restore it; no traceback."""
    data = published_once(tmp_path)
    site = tree_digest(tmp_path / "output")
    ledger = tmp_path / "ledger.sqlite"
    ledger.write_bytes(b"this is not a database" * 200)  # a corrupt ledger
    result = run(tmp_path, data)
    assert result.returncode == 1
    assert f"发布台账 {ledger} 无法读取或已损坏" in result.stderr and "ledger restore" in result.stderr
    no_traceback(result)
    assert tree_digest(tmp_path / "output") == site and ledger.read_bytes() == b"this is not a database" * 200
    ledger.unlink()
    ledger.mkdir()  # a folder where the ledger should be
    result = run(tmp_path, data)
    assert result.returncode == 1 and f"发布台账 {ledger} 无法读取或已损坏" in result.stderr
    no_traceback(result)
    assert tree_digest(tmp_path / "output") == site


def test_an_unexpected_failure_is_a_sentence_with_exit_3_and_its_traceback_in_the_log(tmp_path):
    data = published_once(tmp_path)
    before = state(tmp_path)
    ledger = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(ledger)  # a well-formed ledger holding a value no build wrote
    with conn:
        conn.execute("UPDATE decisions SET first_published = 'not a date'")
    conn.close()
    before = state(tmp_path)
    result = run(tmp_path, data)
    assert result.returncode == 3 and UNCHANGED in result.stderr
    no_traceback(result)
    assert state(tmp_path) == before
    # The traceback is kept for developers, where the sentence says.
    log = tmp_path / "publish-error.log"
    assert f"已写入 {log}" in result.stderr
    assert "Traceback" in log.read_text(encoding="utf-8") and "ValueError" in log.read_text(encoding="utf-8")
    # --debug shows it on the screen too.
    result = run(tmp_path, data, "--debug")
    assert result.returncode == 3 and "Traceback" in result.stderr and UNCHANGED in result.stderr
    assert state(tmp_path) == before


def test_a_broken_settings_file_is_a_usage_sentence_for_build_and_check(tmp_path):
    data = write_dataset(tmp_path)
    bad = tmp_path / "bad.py"
    bad.write_text("SITENAME = (\n", encoding="utf-8")
    for cmd in (["--data", str(data)], ["check", "--data", str(data)]):
        result = subprocess.run([sys.executable, str(ROOT / "tests" / "launch.py"), *cmd, "--settings", str(bad),
                                 "--output", str(tmp_path / "output")], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr
        assert f"配置文件 {bad} 无法读取" in result.stderr
        no_traceback(result)
    assert not (tmp_path / "output").exists()


def test_check_stopped_by_a_signal_says_so(tmp_path):
    data = write_dataset(tmp_path)
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "launch.py"), "check", "--data", str(data)],
                            env={**os.environ, "GONGSHI_SIGNAL_AT": "checked:TERM"}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 143
    assert "SIGTERM" in result.stderr and "校验已中止" in result.stderr
    no_traceback(result)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped


def test_a_side_process_dies_with_the_build(tmp_path):
    """kill -9 of the build ends its side process too (render.Background: the
    field index and the feeds, still writing while the search index is made):
    left running, it would go on writing into the slot the next build writes."""
    pid_file, slot = tmp_path / "pid", tmp_path / "slot"
    script = f"""
import os, signal, sys, time
sys.path.insert(0, {str(ROOT / "tests")!r})
from helpers import linger
from pelican.plugins.gongshi.render import PARALLEL_MIN, Background
from pelican.plugins.gongshi.stager import Stager
Background(linger, workers=2, size=PARALLEL_MIN).send({str(pid_file)!r}, Stager({str(slot)!r}), [])
while not os.path.exists({str(pid_file)!r}):
    time.sleep(0.05)
os.kill(os.getpid(), signal.SIGKILL)
"""
    # Not captured: a side process left running would hold the pipes open.
    proc = subprocess.run([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL
    side = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(side) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(side)
    if alive:
        os.kill(side, signal.SIGKILL)
    assert not alive, "the side process outlived the build"
