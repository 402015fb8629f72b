"""The publication record is never lost and anyone can verify it (issue 26):
refusals that leave site and ledger byte-identical, backups, restore from a
backup or from the site itself, the public log under kill -9, an upgrade
that reformats records without announcing corrections."""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, all_text, settings_file, tree_digest
from helpers import SITEURL, AGENCY_A, PENALTY_HEADER, penalty_row, sitemap_lastmods, write_csv, write_dataset

TAKEDOWN_HEADER = ["文书号", "机关统一社会信用代码", "撤下原因", "原因发生日期", "说明"]
DOC1 = "清应急罚〔2024〕1号"
KEY1 = f"{AGENCY_A}/{DOC1}"


class Site:
    """One site: a data folder, its ledger, its output; builds through the real CLI."""

    def __init__(self, root: Path, **settings):
        self.root, self.data = root, write_dataset(root)
        self.ledger, self.output = root / "ledger.sqlite", root / "output"
        self.conf = settings_file(root, GONGSHI_LEDGER=str(self.ledger), GONGSHI_REPORT=str(root / "report.json"),
                                  **settings)

    def run(self, *args) -> int:
        from pelican.plugins.gongshi.cli import main
        return main([*args, "--data", str(self.data), "--output", str(self.output), "--settings", str(self.conf)])

    def build(self, today: str, *flags) -> int:
        return self.run("--today", today, *flags)

    def subprocess(self, *args, kill_at=None):
        env = dict(os.environ, GONGSHI_KILL_AT=kill_at or "")
        return subprocess.run([sys.executable, str(ROOT / "tests" / "launch.py"), *args, "--data", str(self.data), "--output",
                               str(self.output), "--settings", str(self.conf)],
                              env=env, capture_output=True, text=True, timeout=300)

    def state(self):
        """What must not change when a build refuses: every live file, and the ledger's bytes."""
        return tree_digest(self.output), os.readlink(self.output), \
            self.ledger.read_bytes() if self.ledger.exists() else None

    def correct(self, **cells):
        """The agency changes cells of 清应急罚〔2024〕1号 (the first row), the other rows as they were."""
        path = self.data / "decisions" / "2024-行政处罚.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[1] = [cells.get(h, cell) for h, cell in zip(rows[0], rows[1])]
        write_csv(path, rows[0], rows[1:])

    def withdraw(self, docno="清应急检〔2026〕3号", reason="决定被撤销", when="2026-11-21", note="经复议撤销"):
        write_csv(self.data / "takedowns.csv", TAKEDOWN_HEADER, [[docno, AGENCY_A, reason, when, note]])

    def log(self, where=None) -> list[str]:
        path = Path(os.path.realpath(where or self.output)) / "open-data" / "publication-log.jsonl"
        return path.read_text(encoding="utf-8").splitlines()

    def ledger_lines(self) -> list[str]:
        conn = sqlite3.connect(self.ledger)
        try:
            return [r[0] for r in conn.execute("SELECT line FROM events ORDER BY seq")]
        finally:
            conn.close()

    def backups(self) -> list[Path]:
        return sorted((self.root / ".output.slots" / "ledger-backups").glob("ledger-*.sqlite"))


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


def test_build_correct_withdraw_lose_the_ledger_restore_from_the_site_rebuild_gives_the_same_bytes(tmp_path, capsys):
    s = Site(tmp_path, SITEURL=SITEURL)  # with a sitemap; the footers alone date the pages as well
    # Decided Wednesday 11-11: published 11-20, on the 7th working day (on time); withdrawn 11-23.
    penalties = s.data / "decisions" / "2024-行政处罚.csv"
    rows = list(csv.reader(io.StringIO(penalties.read_text(encoding="utf-8"))))
    write_csv(penalties, rows[0], rows[1:] + [penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕9号",
                                                             "处罚决定日期": "2026-11-11"})])
    assert s.build("2026-11-20") == 0
    s.correct(**{"处罚内容": "警告，并处罚款人民币1万元", "罚款金额（万元）": "1"})
    assert s.build("2026-11-21") == 0
    write_csv(s.data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急检〔2026〕3号", AGENCY_A, "决定被撤销", "2026-11-21", ""],
                                                          ["清应急罚〔2026〕9号", AGENCY_A, "信用修复", "2026-11-22", "已修复"]])
    assert s.build("2026-11-23") == 0
    # The agency's details change: its decision pages are dated by that day, not by their records.
    entities = (s.data / "entities.csv").read_text(encoding="utf-8")
    (s.data / "entities.csv").write_text(entities.replace("12350", "12345"), encoding="utf-8")
    assert s.build("2026-11-24") == 0
    # Another day without change, so that page dates differ from the build day.
    assert s.build("2026-11-25") == 0
    before = s.state()[0]
    decisions = {d["key"]: d for d in json.loads((s.output / "open-data/decisions.json").read_text("utf-8"))}
    assert sitemap_lastmods(s.output)[decisions[KEY1]['url']] == "2026-11-24" != decisions[KEY1]["updated"]
    capsys.readouterr()

    s.ledger.unlink()
    assert s.build("2026-11-25") == 1  # refused: a live site and no ledger
    err = capsys.readouterr().err
    assert "找不到发布台账" in err and "ledger restore --from-site" in err and "ledger restore --from-backup" in err
    assert tree_digest(s.output) == before and not s.ledger.exists()

    assert s.run("ledger", "restore", "--from-site", str(s.output)) == 0
    assert s.build("2026-11-25") == 0
    after = tree_digest(s.output)
    assert sorted(set(before) ^ set(after)) == [] and [p for p in before if before[p] != after[p]] == []
    # Among what came back: the first publication, the correction, the withdrawal.
    decisions = {d["key"]: d for d in json.loads((s.output / "open-data/decisions.json").read_text("utf-8"))}
    assert (decisions[KEY1]["first_published"], decisions[KEY1]["updated"]) == ("2026-11-20", "2026-11-21")
    assert "2026-11-21 更正" in (s.output / "feeds/all.atom.xml").read_text("utf-8")
    assert s.run("ledger", "verify", "--site", str(s.output)) == 0


def test_restore_from_a_backup_and_a_backup_of_another_commit_is_refused(site, capsys):
    assert site.build("2026-11-20") == 0
    old_backup = site.backups()[-1]
    site.correct(**{"处罚内容": "更正后的处罚内容"})
    assert site.build("2026-11-21") == 0
    latest = site.backups()[-1]
    good = site.ledger.read_bytes()
    site.ledger.write_bytes(b"not a database at all" * 100)  # corrupt
    before = site.state()
    capsys.readouterr()
    assert site.build("2026-11-21") == 1
    err = capsys.readouterr().err
    assert "无法读取或已损坏" in err and str(latest) in err and str(old_backup) not in err
    assert site.state() == before
    # The older backup is not the live site's: refused, nothing changed.
    assert site.run("ledger", "restore", "--from-backup", str(old_backup)) == 1
    assert "不是线上网站" in capsys.readouterr().err and site.state() == before
    assert site.run("ledger", "restore", "--from-backup", str(latest)) == 0
    conn = sqlite3.connect(site.ledger)
    assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    conn.close()
    assert sorted(site.root.glob("ledger.sqlite.replaced-*"))  # the damaged one kept aside
    assert site.run("ledger", "verify") == 0
    assert site.build("2026-11-22") == 0
    assert json.loads((site.output / "open-data/decisions.json").read_text("utf-8"))[0]  # published
    assert len(good) > 0


@pytest.mark.parametrize("case", ["missing", "corrupt", "truncated", "other-commit", "empty", "clock"])
def test_each_refusal_leaves_live_site_and_ledger_byte_identical_and_says_how_to_fix_it(site, capsys, case):
    assert site.build("2026-11-20") == 0
    first_ledger = site.ledger.read_bytes()
    site.correct(**{"处罚内容": "更正后的处罚内容"})
    assert site.build("2026-11-21") == 0
    if case == "missing":
        site.ledger.unlink()
    elif case == "corrupt":
        data = bytearray(site.ledger.read_bytes())
        data[100:4000] = os.urandom(3900)
        site.ledger.write_bytes(bytes(data))
    elif case == "truncated":
        site.ledger.write_bytes(site.ledger.read_bytes()[:3000])
    elif case == "other-commit":
        site.ledger.write_bytes(first_ledger)  # an older copy: its last commit is not the live slot's
    elif case == "empty":
        site.ledger.write_bytes(b"")
    before = site.state()
    capsys.readouterr()
    assert site.build("2026-11-19" if case == "clock" else "2026-11-22") == 1
    err = capsys.readouterr().err
    assert site.state() == before
    assert err.startswith("拒绝发布") and "线上网站和台账都没有改动" in err and "Traceback" not in err
    if case == "clock":
        assert "--allow-backdated" in err
        assert site.build("2026-11-19", "--allow-backdated") == 0
    else:
        assert f"python publish.py ledger restore --from-site {site.output}" in err


def test_a_deleted_ledger_no_longer_switches_off_the_truncated_export_guard_nor_a_clock_a_year_back(site, capsys):
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号", "公示截止期": "2026-06-30"})
            for i in range(1, 21)]
    write_csv(site.data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, rows)
    assert site.build("2025-11-20") == 5  # (published; the 2026 row of another file is held: a future date)
    assert site.build("2026-11-20") == 0  # all 20 expired: withdrawn
    assert "撤回说明" in all_text(site.output)
    before = site.state()
    assert site.build("2025-11-21") == 1  # a year back would publish them again in full
    assert site.state() == before
    write_csv(site.data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER, rows[:3])
    site.ledger.unlink()
    before = site.state()
    assert site.build("2026-11-21") == 1  # no ledger: refused, not "新增"
    assert site.state() == before


def test_a_full_disk_at_commit_is_a_sentence_and_exit_3(site):
    assert site.subprocess("--today", "2026-11-20").returncode == 0
    # Padding so that the ledger is larger than any file of the site: a limit on
    # file size at the ledger's size then lets the build write everything but a
    # ledger that grows (what a full disk does to the commit).
    conn = sqlite3.connect(site.ledger)
    conn.execute("CREATE TABLE padding (b BLOB)")
    conn.execute("INSERT INTO padding VALUES (zeroblob(400000))")
    conn.commit()
    conn.close()
    site.correct(**{"处罚内容": "更正后的处罚内容"})
    before = site.state()
    size = site.ledger.stat().st_size

    def limit():
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    env = dict(os.environ, GONGSHI_KILL_AT="")
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "launch.py"), "--today", "2026-11-21", "--data",
                             str(site.data), "--output", str(site.output), "--settings", str(site.conf)],
                            env=env, capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert result.returncode == 3, result.stderr
    # (EFBIG reaches SQLite as an I/O error, ENOSPC as "disk is full": both are named.)
    assert "发布台账" in result.stderr and ("无法写入（磁盘读写出错" in result.stderr or "无法写入（磁盘已满" in result.stderr)
    assert "未发布任何内容" in result.stderr and "Traceback" not in result.stderr
    assert site.state() == before
    assert site.subprocess("--today", "2026-11-21").returncode == 0  # the next night publishes


def test_backups_rotate_keeping_the_last_30_and_the_newest_of_each_month(tmp_path):
    from pelican.plugins.gongshi.record import rotate

    folder = tmp_path / "ledger-backups"
    folder.mkdir()
    made = []
    day = date(2026, 6, 1)
    for n in range(90):  # 90 nights from June: June … August
        path = folder / f"ledger-{date.fromordinal(day.toordinal() + n).isoformat()}-{n + 1:06d}.sqlite"
        path.write_bytes(b"x")
        os.utime(path, ns=(n * 10 ** 9, n * 10 ** 9))
        made.append(path)
    (folder / ".ledger-2026-08-29-000090.sqlite.tmp").write_bytes(b"left by a killed copy")
    rotate(folder)
    kept = sorted(p.name for p in folder.iterdir())
    last30 = [p.name for p in made[-30:]]
    older = made[:-30]  # 2026-06-01 … 2026-07-30
    monthly = ["ledger-2026-06-30-000030.sqlite", "ledger-2026-07-30-000060.sqlite"]
    assert [p.name for p in older][-1] == "ledger-2026-07-30-000060.sqlite"
    assert kept == sorted(monthly + last30)
    rotate(folder)  # a second rotation keeps the same
    assert sorted(p.name for p in folder.iterdir()) == kept


def test_every_build_backs_up_a_consistent_ledger_beside_the_slots_never_in_data_or_the_site(site):
    assert site.build("2026-11-20") == 0
    assert site.build("2026-11-21") == 0
    backups = site.backups()
    assert [p.name[:17] for p in backups] == ["ledger-2026-11-20", "ledger-2026-11-21"]
    assert backups[-1].parent.parent == site.root / ".output.slots"
    conn = sqlite3.connect(backups[-1])
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        assert conn.execute("SELECT count(*) FROM builds").fetchone()[0] == 2
    finally:
        conn.close()
    assert not list(site.data.rglob("*.sqlite")) and "ledger" not in " ".join(tree_digest(site.output))


@pytest.mark.parametrize("stage", ["prepared", "rendered", "staged", "marked", "committed"])
def test_the_log_and_the_ledger_agree_after_a_kill_at_any_checkpoint(site, stage):
    assert site.subprocess("--today", "2026-11-20").returncode == 0
    before, ledger_before = tree_digest(site.output), site.ledger.read_bytes()
    site.correct(**{"处罚内容": "更正后的处罚内容"})
    site.withdraw()
    killed = site.subprocess("--today", "2026-11-22", kill_at=stage)
    assert killed.returncode == -9
    if stage == "committed":  # the ledger has tonight's lines; so has the slot about to go live
        other = site.root / ".output.slots" / ("b" if os.readlink(site.output).endswith("a") else "a")
        assert site.log(other) == site.ledger_lines() and len(site.ledger_lines()) > len(site.log())
    else:
        assert tree_digest(site.output) == before and site.ledger.read_bytes() == ledger_before
        assert site.log() == site.ledger_lines()
    result = site.subprocess("--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert site.log() == site.ledger_lines()
    events = [json.loads(line)["event"] for line in site.log()]
    assert events.count("corrected") == 1 and events.count("withdrawn") == 1  # each logged once
    assert site.subprocess("ledger", "verify", "--site", str(site.output)).returncode == 0


def test_verify_site_names_the_first_altered_removed_or_reordered_line(site, capsys):
    assert site.build("2026-11-20") == 0
    site.correct(**{"处罚内容": "更正后的处罚内容"})
    assert site.build("2026-11-21") == 0
    assert site.run("ledger", "verify", "--site", str(site.output)) == 0
    live = Path(os.path.realpath(site.output)) / "open-data" / "publication-log.jsonl"
    original = live.read_bytes()
    lines = original.decode("utf-8").splitlines()
    assert len(lines) == 5
    altered = json.loads(lines[1])
    altered["date"] = "2026-01-01"
    cases = {
        "altered": (lines[:1] + [json.dumps(altered, ensure_ascii=False, separators=(",", ":"))] + lines[2:], 2),
        "removed": (lines[:2] + lines[3:], 3),
        "reordered": (lines[:2] + [lines[3], lines[2]] + lines[4:], 3),
        "last removed": (lines[:-1], 5),
    }
    for name, (text, bad) in cases.items():
        live.write_text("\n".join(text) + "\n", encoding="utf-8")
        capsys.readouterr()
        assert site.run("ledger", "verify", "--site", str(site.output)) == 1, name
        said = [line for line in capsys.readouterr().out.splitlines() if line.startswith("网站的发布日志")]
        assert said and all(f"第 {bad} 行" in line for line in said), (name, said)
    live.write_bytes(original)
    # A live decision whose open data no longer matches its last line.
    data = Path(os.path.realpath(site.output)) / "open-data" / "decisions.json"
    data.write_text(data.read_text("utf-8").replace("更正后的处罚内容", "改过的内容"), encoding="utf-8")
    capsys.readouterr()
    assert site.run("ledger", "verify", "--site", str(site.output)) == 1
    assert "与它在日志中最后一行的 digest 不符" in capsys.readouterr().out


def test_the_open_data_page_shows_the_latest_line_and_how_to_check_it(site):
    assert site.build("2026-11-20") == 0
    site.withdraw()
    assert site.build("2026-11-21") == 0
    page = (site.output / "open-data" / "index.html").read_text("utf-8")
    lines = site.log()
    from pelican.plugins.gongshi.publog import line_hash
    assert line_hash(lines[-1]) in page and f'data-log-count="{len(lines)}"' in page
    assert "2026-11-21" in page and "怎样核验" in page and "SHA-256" in page
    assert 'href="../open-data/publication-log.jsonl"' in page
    last = json.loads(lines[-1])
    assert (last["event"], last["date"], last["key"]) == ("withdrawn", "2026-11-21", f"{AGENCY_A}/清应急检〔2026〕3号")
    notice = json.loads((site.output / "open-data/withdrawals.json").read_text("utf-8"))[0]
    assert last["digest"] == __import__("hashlib").sha256(
        json.dumps(notice, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()
    # Never-published decisions never appear.
    assert all("清应急罚〔2099〕" not in line for line in lines)


def test_never_published_decisions_are_not_in_the_log(tmp_path):
    s = Site(tmp_path)
    write_csv(s.data / "takedowns.csv", TAKEDOWN_HEADER, [[DOC1, AGENCY_A, "信息有误", "2026-11-19", "录入错误"]])
    assert s.build("2026-11-20") == 0
    assert all(KEY1 not in line for line in s.log())
    assert len(s.log()) == 3  # the other three decisions


def _legacy(ledger: Path, slots: Path) -> None:
    """Make the ledger and slots look like an earlier version's."""
    conn = sqlite3.connect(ledger)
    conn.executescript("DROP TABLE events; ALTER TABLE decisions DROP COLUMN source_hash; "
                       "ALTER TABLE builds DROP COLUMN commit_id;")
    conn.close()
    for mark in slots.glob("*.commit"):
        mark.unlink()


def test_a_site_of_an_earlier_version_begins_its_log_with_what_it_shows(site):
    assert site.build("2026-11-19") == 0
    site.correct(**{"处罚内容": "更正后的处罚内容"})
    site.withdraw()
    assert site.build("2026-11-20") == 0
    _legacy(site.ledger, site.root / ".output.slots")
    assert site.build("2026-11-21") == 0  # accepted: its slot is the one the ledger recorded
    events = [json.loads(line) for line in site.log()]
    summary = [(e["event"], e["key"].split("/")[1], e["date"]) for e in events]
    assert summary == sorted(summary, key=lambda t: t[2])  # in date order
    assert ("published", DOC1, "2026-11-19") in summary and ("corrected", DOC1, "2026-11-20") in summary
    assert ("withdrawn", "清应急检〔2026〕3号", "2026-11-20") in summary
    # Four decisions published, one of them corrected, one withdrawn; nothing new tonight.
    assert len(events) == 4 + 1 + 1
    assert site.run("ledger", "verify", "--site", str(site.output)) == 0


def test_a_new_version_that_changes_the_public_form_is_not_announced_as_a_correction(site, monkeypatch):
    assert site.build("2026-11-20") == 0
    from pelican.plugins.gongshi import public

    original = public.public_decision

    def reformatted(*args, **kwargs):
        record = original(*args, **kwargs)
        record["outcome"] = record["outcome"] + "。"  # what a better redaction rule would do to some texts
        record["fields"] = [(label, text + "。" if label == "处罚内容" else text) for label, text in record["fields"]]
        return record

    monkeypatch.setattr(public, "public_decision", reformatted)
    shutil.rmtree(site.root / ".ledger.sqlite.cache")  # (its key is the code's text: a real upgrade changes it)
    assert site.build("2026-11-21") == 0
    report = json.loads((site.root / "report.json").read_text("utf-8"))
    assert report["corrected"] == []
    decisions = {d["key"]: d for d in json.loads((site.output / "open-data/decisions.json").read_text("utf-8"))}
    assert decisions[KEY1]["updated"] == "2026-11-20" and decisions[KEY1]["outcome"].endswith("。")
    page = (site.output / decisions[KEY1]["url"]).read_text("utf-8")
    assert "更正" not in page
    tonight = [json.loads(line) for line in site.log() if json.loads(line)["date"] == "2026-11-21"]
    assert {e["event"] for e in tonight} == {"reformatted"} and len(tonight) == 4  # every record changed
    assert json.loads((site.output / "open-data/corrections.json").read_text("utf-8")) == []
    assert site.run("ledger", "verify", "--site", str(site.output)) == 0
    # The agency changes the row itself: that is a 更正, with what changed.
    site.correct(**{"处罚内容": "警告，并处罚款人民币1万元", "罚款金额（万元）": "1"})
    assert site.build("2026-11-22") == 0
    corrections = json.loads((site.output / "open-data/corrections.json").read_text("utf-8"))
    assert [(c["key"], c["date"], c["changed"]) for c in corrections] == \
        [(KEY1, "2026-11-22", ["处罚内容", "罚款金额"])]
