"""The README documents every command, option and setting; quick start is exactly two commands."""
import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    from gongshi.settings import SETTINGS

    for s in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{s.name}` |")), None)
        assert row, f"setting {s.name} missing from README 设置一览"
        default = "空" if s.default in (None, "") else f"`{s.default!r}`".replace("'", '"')
        assert default in row, (s.name, default)


def test_every_command_and_option_is_documented():
    from gongshi.cli import COMMANDS, parser

    for command in COMMANDS:
        assert f"`{command}`" in README, command
    for action in parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in README, flag


def test_quick_start_is_two_make_commands_that_exist():
    block = README.split("## 快速开始", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make publish", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("publish", "test", "serve", "check"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_is_chinese_first_with_an_english_section():
    assert README.startswith("# 行政执法公示")
    assert "\n## English\n" in README
