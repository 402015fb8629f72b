"""The plugin is a package (issue 28): pelican-gongshi in the pelican.plugins
namespace, every runtime import declared, enabled without PLUGIN_PATHS."""
from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata

from conftest import ROOT

PACKAGE = ROOT / "pelican" / "plugins" / "gongshi"


def third_party_imports() -> set[str]:
    """Top-level modules the plugin imports that are neither its own nor the standard library's."""
    found = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "__future__"}


def test_every_module_the_plugin_imports_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {dep.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower().replace("_", "-")
                for dep in project["dependencies"]}
    providers = metadata.packages_distributions()
    for module in sorted(third_party_imports()):
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        assert dists & declared, f"{module} (from {sorted(dists)}) is imported but not in pyproject.toml"


def test_the_wheel_holds_the_namespace_package_and_nothing_else(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("pelican_gongshi-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    code = [n for n in names if not n.startswith("pelican_gongshi-")]
    assert "pelican/plugins/gongshi/__init__.py" in code and "pelican/plugins/gongshi/cli.py" in code
    # A namespace package: no pelican/__init__.py or pelican/plugins/__init__.py to shadow Pelican's.
    assert all(n.startswith("pelican/plugins/gongshi/") for n in code), code


def test_the_site_enables_the_plugin_by_name_without_plugin_paths():
    conf = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    assert 'PLUGINS = ["gongshi"]' in conf and "PLUGIN_PATHS" not in conf
    assert not (ROOT / "pelican" / "__init__.py").exists() and not (ROOT / "pelican" / "plugins" / "__init__.py").exists()


SCREEN = 60  # lines: a function reads in one screen (issue 28)


def test_every_function_of_the_plugin_reads_in_one_screen():
    long = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > SCREEN:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "split these: " + "; ".join(long)
