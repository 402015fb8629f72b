"""Fixtures for the browser tests (imported by tests/conftest.py): the bundled example built by the real CLI, served on
127.0.0.1, driven in Debian's Chromium (never a downloaded browser).

`make test` installs chromium and fonts-noto-cjk when they are missing. Each
pytest-xdist worker builds and serves its own copy (a build takes seconds).
Screenshots go to test-artifacts/screenshots/ (git-ignored).
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium"))
TODAY = "2026-11-22"
SHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """The example data built into a temp dir: (data dir, live output dir)."""
    from conftest import settings_file
    from pelican.plugins.gongshi.cli import main

    tmp = tmp_path_factory.mktemp("example")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("ledger.sqlite", "publish-report.json"))
    conf = settings_file(tmp, GONGSHI_LEDGER=str(tmp / "ledger.sqlite"), GONGSHI_REPORT=str(tmp / "report.json"))
    out = tmp / "output"
    code = main(["--data", str(data), "--output", str(out), "--today", TODAY, "--settings", str(conf)])
    assert code == 0, "the example data must build"
    return data, Path(os.path.realpath(out))


@pytest.fixture(scope="session")
def site_dir(example_site) -> Path:
    return example_site[1]


def serve(directory: Path):
    """Serve a built site on 127.0.0.1 (a generator for fixtures): yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site_dir):
    yield from serve(site_dir)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium and fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport='desktop', javascript=True) → a page in a fresh context;
    uncaught page errors fail the test."""
    contexts, errors = [], []

    def make(viewport: str = "desktop", javascript: bool = True):
        ctx = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=javascript, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    assert not errors, f"JavaScript errors: {errors}"


def screenshot(page, name: str, max_height: int = 2000) -> Path:
    """The page from the top, at most max_height CSS pixels of it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    width, height = page.evaluate("() => [document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, max_height)})
    return path
