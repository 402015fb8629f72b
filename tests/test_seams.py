"""Pelican's seams: the writer (content_written for every file), settings the
user set are kept, and plain ``pelican`` says to use publish.py."""
import os
import subprocess
import sys
from pathlib import Path

from pelican.plugins import signals

from conftest import ROOT, settings_file
from helpers import write_dataset


def _files(root: Path) -> set[str]:
    root = Path(os.path.realpath(root))
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_content_written_is_sent_for_every_file_the_site_holds(tmp_path, build):
    seen: list[str] = []

    def receiver(path, context=None):
        seen.append(path)
    signals.content_written.connect(receiver)
    try:
        code, out = build(write_dataset(tmp_path))
    finally:
        signals.content_written.disconnect(receiver)
    assert code == 0
    slot = Path(os.path.realpath(out))
    assert all(Path(p).is_relative_to(slot) for p in seen)  # the slot's files, not a scratch copy
    rels = [Path(p).relative_to(slot).as_posix() for p in seen]
    held = _files(out)
    assert set(rels) == held
    # Each kind of file: Pelican's own page, ours, open data, a static file, the search bundle.
    assert {"pages/about.html", "index.html", "open-data/decisions.json", "feeds/all.atom.xml"} <= set(rels)
    assert any(r.startswith("theme/") for r in rels) and any(r.startswith("pagefind/") for r in rels)


def test_the_users_blog_settings_are_kept_but_never_over_our_pages(tmp_path, build):
    seen: list[str] = []

    def receiver(path, context=None, feed=None):
        seen.append(path)
    signals.content_written.connect(receiver)
    signals.feed_written.connect(receiver)  # Pelican's blog feeds say so this way
    try:
        code, out = build(write_dataset(tmp_path), DIRECT_TEMPLATES=["index", "archives"],
                          FEED_ALL_RSS="feeds/all.rss.xml", TAG_FEED_ATOM="blog/{slug}.atom.xml")
    finally:
        signals.content_written.disconnect(receiver)
        signals.feed_written.disconnect(receiver)
    assert code == 0
    # Pelican wrote neither its blog index nor its feed where ours go (each file is written once).
    assert len(seen) == len(set(seen)) == len(_files(out))
    assert (out / "archives.html").is_file()  # asked for: kept
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "最新执法决定" in home  # our home page, not Pelican's blog index
    assert "<rss" in (out / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    assert "执法决定" in (out / "feeds" / "all.rss.xml").read_text(encoding="utf-8")  # ours, not an empty blog feed


def test_plain_pelican_says_to_use_publish_py_without_a_traceback(tmp_path):
    out = tmp_path / "out"
    conf = settings_file(tmp_path, OUTPUT_PATH=str(out))
    pelican = Path(sys.executable).with_name("pelican")
    run = subprocess.run([str(pelican), str(ROOT / "content"), "-s", str(conf), "-o", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    said = run.stdout + run.stderr
    assert run.returncode == 2, said
    assert "python publish.py" in said and "须用" in said
    assert "Traceback" not in said
    assert not out.exists() or not any(out.rglob("*"))
