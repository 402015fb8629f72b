"""`make deploy` (deploy.sh): the built site is copied with rsync into a new
release folder on the server and `current` is switched with one rename, so the
server's site is never half updated. The target is a folder on this machine,
reached directly (DEPLOY_HOST empty) or through an ssh-like transport."""
import os
import subprocess
import threading
from pathlib import Path

from conftest import ROOT, tree_digest
from helpers import TAKEDOWN_HEADER, write_csv, write_dataset

# The transport for the host form: runs the server's command here, as ssh runs
# it there (its arguments joined into one command line for the server's shell).
# No sshd runs on a test machine; everything the server does is the real thing.
LOCAL_SSH = '#!/bin/sh\nshift\nexec sh -c "$*"\n'


def make_deploy(site: Path, path, host: str = "", ssh: str = "ssh", keep: int = 5) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "-C", str(ROOT), "deploy", f"DEPLOY_SITE={site}", f"DEPLOY_PATH={path}",
                           f"DEPLOY_HOST={host}", f"DEPLOY_SSH={ssh}", f"DEPLOY_KEEP={keep}"],
                          capture_output=True, text=True, timeout=300)


def failed(result: subprocess.CompletedProcess, status: int) -> bool:
    """make fails (exit 2) and names deploy.sh's own exit status."""
    return result.returncode == 2 and f"Error {status}" in result.stderr


def releases(target: Path) -> list[str]:
    return sorted(p.name for p in (target / "releases").iterdir())


def current(target: Path) -> Path:
    assert (target / "current").is_symlink()
    return Path(os.path.realpath(target / "current"))


def two_nights(tmp_path, build) -> tuple[Path, Path]:
    """The data, and its site as built on the first night."""
    data = write_dataset(tmp_path)
    code, out = build(data, today="2026-11-20")
    assert code == 0
    return data, out


def second_night(data: Path, build) -> Path:
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急罚〔2024〕1号", "", "决定被撤销", "2026-11-21", ""]])
    code, out = build(data, today="2026-11-22")
    assert code == 0
    return out


class Watcher(threading.Thread):
    """Reads the whole site behind `current` again and again, as a web server would."""

    def __init__(self, target: Path):
        super().__init__(daemon=True)
        self.target, self.seen, self.running = target, [], True

    def run(self):
        while self.running:
            try:
                self.seen.append(tree_digest(current(self.target)))
            except (AssertionError, OSError):  # no `current`, or a folder vanishing while read
                self.seen.append(None)


def test_deploy_twice_switches_the_server_atomically(tmp_path, build):
    data, out = two_nights(tmp_path, build)
    target = tmp_path / "srv"
    result = make_deploy(out, target)
    assert result.returncode == 0, result.stderr
    first = tree_digest(out)
    assert tree_digest(current(target)) == first and "已部署" in result.stderr
    [old] = releases(target)

    out = second_night(data, build)
    second = tree_digest(out)
    assert second != first
    watcher = Watcher(target)
    watcher.start()
    result = make_deploy(out, target)
    watcher.running = False
    watcher.join()
    assert result.returncode == 0, result.stderr
    # Whenever it was read, the site was one whole release: never a mix, never half copied.
    assert watcher.seen and all(seen in (first, second) for seen in watcher.seen)
    assert tree_digest(current(target)) == second
    [kept, new] = releases(target)
    assert kept == old and current(target).name == new
    # Unchanged files are hard links to the release before (rsync --link-dest).
    css = "theme/css/site.css"
    assert (target / "releases" / old / css).stat().st_ino == (current(target) / css).stat().st_ino


def test_deploy_through_the_host_form_keeps_the_last_releases(tmp_path, build):
    data, out = two_nights(tmp_path, build)
    ssh = tmp_path / "local-ssh"
    ssh.write_text(LOCAL_SSH, encoding="utf-8")
    ssh.chmod(0o755)
    target = tmp_path / "srv dir's"  # quoted for the server's shell
    for night in range(3):
        result = make_deploy(out, target, host="web1.example", ssh=str(ssh), keep=2)
        assert result.returncode == 0, result.stderr
        assert f"已部署：web1.example:{target}/current" in result.stderr
        assert tree_digest(current(target)) == tree_digest(out)
        if night == 0:
            out = second_night(data, build)
    assert len(releases(target)) == 2 and current(target).name == releases(target)[-1]


def test_a_deploy_that_cannot_finish_leaves_the_server_as_it_was(tmp_path, build):
    _, out = two_nights(tmp_path, build)
    target = tmp_path / "srv"
    assert make_deploy(out, target).returncode == 0
    before, release = tree_digest(current(target)), current(target).name
    # The transport fails (no such host): nothing changes there.
    result = make_deploy(out, target, host="nowhere.invalid", ssh="false")
    assert failed(result, 3) and "部署失败" in result.stderr and "服务器上的网站保持不变" in result.stderr
    assert current(target).name == release and tree_digest(current(target)) == before
    assert releases(target) == [release]
    # Usage: no DEPLOY_PATH; nothing built yet.
    result = make_deploy(out, "")
    assert failed(result, 2) and "没有设置 DEPLOY_PATH" in result.stderr
    result = make_deploy(tmp_path / "never-built", target)
    assert failed(result, 1) and "请先运行 make publish" in result.stderr
    # A `current` that is a plain folder (deployed by hand before) is never replaced.
    plain = tmp_path / "plain"
    (plain / "current").mkdir(parents=True)
    (plain / "current" / "index.html").write_text("手工部署", encoding="utf-8")
    result = make_deploy(out, plain)
    assert failed(result, 3) and "不是符号链接" in result.stderr
    assert (plain / "current" / "index.html").read_text(encoding="utf-8") == "手工部署"
