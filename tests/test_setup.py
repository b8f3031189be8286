"""Set-up a new user runs: conda and pip agree, the README shows the two commands first, the
Makefile and CI call them."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT


def _name(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = dict(_name(d) for d in project["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip_section = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
        else:
            conda.update([_name(dep)])
    conda.pop("python", None)
    conda.pop("pip", None)
    from_pip = dict(_name(d) for d in pip_section if not d.startswith("-e"))
    assert {**conda, **from_pip} == pip_deps
    assert any(d.startswith("-e .") for d in pip_section)


def test_readme_shows_the_two_commands_first():
    text = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:sh|bash)?\n(.*?)```", text, re.S).group(1)
    assert "make report" in first_block and "make test" in first_block


def test_makefile_and_ci():
    make = (ROOT / "Makefile").read_text()
    for target in ("test:", "report:", "lab:", "dashboard:"):
        assert target in make
    assert "python3 -m venv" in make or "$(PYTHON) -m venv" in make
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_console_script_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["exoreview"] == "exoreview.cli:main"
