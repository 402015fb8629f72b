"""The docs tell the truth about the code: every setting (docs/settings.md, generated), every command and
option (README or docs/operations.md), quick start exactly two commands, a short Chinese-first README, and no
relative link in README.md or docs/*.md that points nowhere."""
import re
import unicodedata
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))
README_MAX_LINES = 220

# [text](target) and ![alt](target); a target may carry a "title".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def test_settings_page_is_the_registry_rendered():
    """docs/settings.md is generated: a setting added, removed or changed in settings.py without
    regenerating the page fails here, with the command that fixes it."""
    from pelican.plugins.gongshi import settings

    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == settings.markdown_table(), f"docs/settings.md is stale: run {settings.REGENERATE}"


def test_settings_table_lists_every_setting_with_its_default():
    """The renderer itself: one row per setting, in order, with its default as written in pelicanconf.py."""
    from pelican.plugins.gongshi.settings import SETTINGS, markdown_table

    rows = [line for line in markdown_table().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [s.name for s in SETTINGS]
    for row, s in zip(rows, SETTINGS):
        default = "空" if s.default in (None, "") else f"`{s.default!r}`".replace("'", '"')
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert cells == [f"`{s.name}`", default, s.help.replace("|", "\\|")], s.name


def test_every_command_and_option_is_documented():
    from pelican.plugins.gongshi.cli import COMMANDS, parser

    documented = README + OPERATIONS
    for command in COMMANDS:
        assert f"`{command}`" in documented, command
    for action in parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in documented, flag


def test_quick_start_is_two_make_commands_that_exist():
    block = README.split("## 快速开始", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make publish", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("publish", "test", "serve", "check"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_is_short_chinese_first_and_links_the_english_page():
    assert len(README.splitlines()) <= README_MAX_LINES
    assert README.startswith("# 行政执法公示")
    assert "](docs/en.md)" in README
    assert "\n## English" not in README  # one English page, not a second README
    en = (ROOT / "docs" / "en.md").read_text(encoding="utf-8")
    assert "make publish" in en and "make test" in en


def test_readme_links_every_docs_page():
    linked = {target.split("#")[0] for target in LINK.findall(README)}
    for page in DOCS:
        if page.name != "input-formats.md":  # a forwarding stub, folded into data.md
            assert f"docs/{page.name}" in linked, page.name


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation (ASCII and CJK) dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def broken_links(path: Path) -> list[str]:
    """Relative links in one Markdown file whose file (or #anchor in it) does not exist."""
    broken = []
    for target in LINK.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(target)
    return broken


def test_every_relative_link_in_readme_and_docs_resolves():
    pages = [ROOT / "README.md", *DOCS]
    assert len(pages) > 10
    broken = {p.name: broken_links(p) for p in pages}
    assert not {name: links for name, links in broken.items() if links}


def test_link_checker_finds_a_broken_file_and_a_broken_anchor(tmp_path):
    (tmp_path / "a.md").write_text("# 标题：一、二\n\n[x](b.md) [y](a.md#标题一二) [z](#没有) [w](https://e.org/)\n",
                                   encoding="utf-8")
    assert broken_links(tmp_path / "a.md") == ["b.md", "#没有"]
