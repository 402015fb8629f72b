import gzip
import hashlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def settings_file(tmp: Path, **overrides) -> Path:
    """A pelicanconf for tests: the project's, with absolute paths and overrides."""
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    text += f"\nPATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
    for key, value in overrides.items():
        text += f"{key} = {value!r}\n"
    path = tmp / "testconf.py"
    path.write_text(text, encoding="utf-8")
    return path


def tree_digest(root: Path) -> dict[str, str]:
    """Path → sha256 of every file below root (following the live symlink)."""
    out = {}
    root = Path(os.path.realpath(root))
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _published_text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":  # the search index: gzip, words joined by zero-width spaces
        return gzip.decompress(data).decode("utf-8", "replace").replace("\u200b", "")
    return data.decode("utf-8", "replace")


def all_text(root: Path) -> str:
    """Everything published, as one string (for leak checks), search index included."""
    root = Path(os.path.realpath(root))
    return "\n".join(_published_text(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file())


@pytest.fixture
def build(tmp_path):
    """Run the real CLI build: build(data, **settings) → (exit code, output dir, stdout+stderr)."""
    from pelican.plugins.gongshi.cli import main

    def run(data: Path, today="2026-11-22", output=None, capsys=None, **overrides):
        output = output or tmp_path / "output"
        # Keep the ledger and report out of the data folder (the bundled example is in the repo).
        overrides.setdefault("GONGSHI_LEDGER", str(tmp_path / "ledger.sqlite"))
        overrides.setdefault("GONGSHI_REPORT", str(tmp_path / "report.json"))
        conf = settings_file(tmp_path, **overrides)
        code = main(["--data", str(data), "--output", str(output), "--today", today, "--settings", str(conf)])
        return code, output

    return run


# Browser-test fixtures (tests/browser/): example build, local server, Chromium.
sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from browser_support import base_url, browser, example_site, new_page, site_dir  # noqa: E402,F401
