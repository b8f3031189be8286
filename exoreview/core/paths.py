"""The layout of an evidence folder, declared once, and the checks that it is one.

```
evidence/
  vocabulary.yaml  schema.yaml
  studies/<key>.yaml  regulatory/<key>.yaml  claims/<key>.yaml     (read by load)
  sources/*.txt|*.html|*.pdf                                        (texts the audit checks)
  screening/searches/  screening/exports/  screening/records/  screening/decisions.csv   (the search log)
```
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem, UsageError
from .yamlio import describe_os_error, display_path, list_folder

EVIDENCE_ENV = "EXOREVIEW_EVIDENCE"  # the evidence folder when none is given
VOCABULARY = "vocabulary.yaml"
SCHEMA = "schema.yaml"
# folder → schema section; a folder without a schema section is not read
RECORD_FOLDERS: tuple[tuple[str, str], ...] = (
    ("studies", "study"),
    ("regulatory", "regulatory"),
    ("claims", "claim"),
)
RECORD_FOLDER_NAMES: tuple[str, ...] = tuple(f for f, _kind in RECORD_FOLDERS)
SOURCES = "sources"
SCREENING = "screening"
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def default_path() -> Path:
    """The evidence folder to use when none is given: $EXOREVIEW_EVIDENCE, else ./evidence, else
    the nearest evidence/ folder above the working folder (so notebooks in notebooks/ find it)."""
    env = os.environ.get(EVIDENCE_ENV)
    if env:
        return Path(env)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "evidence" / VOCABULARY).is_file():
            return folder / "evidence"
    return here / "evidence"


def sources_folder(root: str | os.PathLike) -> Path:
    return Path(root) / SOURCES


def screening_folder(root: str | os.PathLike) -> Path:
    return Path(root) / SCREENING


def yaml_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """The YAML files of `folder` (none when it is missing); a folder that is a file or cannot be
    read is a problem, never silently empty."""
    names = list_folder(folder, problems, must_be=f"{folder.name}/ must be a folder of .yaml files")
    return sorted(
        folder / n for n in names or () if Path(n).suffix in YAML_SUFFIXES and not n.startswith(".")
    )


def folder_problem(root: str | os.PathLike) -> Problem | None:
    """What is wrong with `root` as an evidence folder (missing, a file, unreadable, no
    vocabulary.yaml), or None. Lists the folder itself, so it works for root users too."""
    root = Path(root)
    shown = display_path(root)
    try:
        with os.scandir(root) as entries:
            names = {e.name for e in entries}
    except FileNotFoundError:
        return Problem(
            shown,
            None,
            "",
            "no such evidence folder; pass --evidence DIR (the folder holding vocabulary.yaml)",
            "no-folder",
        )
    except NotADirectoryError:
        return Problem(
            shown,
            None,
            "",
            "is a file, not an evidence folder; pass --evidence DIR (the folder holding vocabulary.yaml)",
            "not-a-folder",
        )
    except OSError as err:
        what, fix = describe_os_error(err)
        return Problem(shown, None, "", f"cannot read the evidence folder: {what}; {fix}", "unreadable")
    if VOCABULARY not in names:
        return Problem(
            shown,
            None,
            "",
            "is not an evidence folder (no vocabulary.yaml); pass --evidence DIR",
            "not-evidence",
        )
    return None


def folder_problems(root: str | os.PathLike, folders: Iterable[str] = RECORD_FOLDER_NAMES) -> list[Problem]:
    """Problems with the record folders of `root` (default studies/, regulatory/, claims/): a
    file where a folder must be, or a folder or file that cannot be read (for readers that skip
    what they cannot read, e.g. the de-duplication index). Missing folders are fine."""
    problems: list[Problem] = []
    for name in folders:
        for path in yaml_files(Path(root) / name, problems):
            try:
                with path.open("rb"):
                    pass
            except OSError as err:
                what, fix = describe_os_error(err)
                problems.append(
                    Problem(
                        display_path(path), None, "", f"cannot read the file: {what}; {fix}", "unreadable"
                    )
                )
    return problems


def require_folder(root: str | os.PathLike) -> Path:
    """`root` if it is a readable evidence folder; :class:`UsageError` (exit 2) naming it otherwise."""
    problem = folder_problem(root)
    if problem is None:
        return Path(root)
    if problem.code == "no-folder":
        raise UsageError(
            f"{problem.path} is not an evidence folder: no such folder; pass --evidence "
            "DIR (the folder holding vocabulary.yaml)"
        )
    raise UsageError(str(problem))
