"""Shared fixtures: the shipped evidence (loaded once), a small exhibit folder, and a factory that
writes a throwaway evidence folder with given study files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

# the load cache is tested on purpose in test_cache.py; elsewhere every load reads the files
os.environ.setdefault("EXOREVIEW_CACHE", "off")

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "evidence"
EXHIBIT = Path(__file__).resolve().parent / "exhibit"


@pytest.fixture(scope="session")
def shipped():
    import exoreview as xr

    return xr.load(EVIDENCE)


@pytest.fixture(scope="session")
def exhibit_dir(tmp_path_factory) -> Path:
    """tests/exhibit/ (seven small studies, one regulatory record) with the shipped vocabulary."""
    root = tmp_path_factory.mktemp("exhibit") / "evidence"
    shutil.copytree(EXHIBIT, root)
    shutil.copy(EVIDENCE / "vocabulary.yaml", root / "vocabulary.yaml")
    shutil.copy(EVIDENCE / "schema.yaml", root / "schema.yaml")
    return root


@pytest.fixture(scope="session")
def exhibit(exhibit_dir):
    import exoreview as xr

    return xr.load(exhibit_dir)


def base_study(key: str = "doe-2021-adsc-exos", **changes) -> dict:
    """A minimal valid study record."""
    rec = {
        "key": key,
        "title": "Adipose stem cell exosomes and hair growth",
        "authors": ["Doe J", "Roe R"],
        "journal": "Journal of Examples",
        "year": 2021,
        "doi": None,
        "pmid": None,
        "verified_at": ["https://example.org/article"],
        "confidence": "high",
        "publication_status": "peer-reviewed",
        "cell_source": ["ADSC"],
        "vesicle_term": ["exosome"],
        "design": ["in vitro", "animal"],
        "models": [{"model": "cell culture", "species": "human", "detail": "DP cells"},
                   {"model": "telogen-to-anagen model", "species": "mouse", "detail": "C57BL/6"}],
        "condition": ["hair growth"],
        "outcomes": [{"outcome": "cell proliferation", "measure": "DP proliferation",
                      "direction": "increased"}],
    }
    rec.update(changes)
    return rec


@pytest.fixture
def make_evidence(tmp_path):
    """make_evidence({"a.yaml": dict_or_text, ...}) → a folder with the shipped vocabulary/schema."""

    def make(studies: dict[str, object] | None = None, regulatory: dict[str, object] | None = None,
             claims: dict[str, object] | None = None) -> Path:
        root = tmp_path / "evidence"
        (root / "studies").mkdir(parents=True, exist_ok=True)
        shutil.copy(EVIDENCE / "vocabulary.yaml", root / "vocabulary.yaml")
        shutil.copy(EVIDENCE / "schema.yaml", root / "schema.yaml")
        for folder, files in (("studies", studies), ("regulatory", regulatory), ("claims", claims)):
            for name, content in (files or {}).items():
                (root / folder).mkdir(exist_ok=True)
                path = root / folder / name
                if isinstance(content, bytes):
                    path.write_bytes(content)
                elif isinstance(content, str):
                    path.write_text(content, encoding="utf-8")
                else:
                    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True),
                                    encoding="utf-8")
        return root

    return make


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` with its mtime and bytes (to prove nothing was written)."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


NOTEBOOKS = ROOT / "notebooks"
_LOCK = Path("/tmp/exoreview-notebook-tests.lock")


@pytest.fixture(scope="session")
def run_notebook():
    """run_notebook("01_review_dashboard.ipynb") → executed notebook (cached for the session).

    Notebook runs are serialised across processes with a file lock: never two kernels at once
    (nbclient issue 312 and 2 cores; see STACK.md)."""
    import fcntl

    from exoreview.notebook import execute

    cache: dict[str, object] = {}

    def run(name: str, *, evidence: Path | None = None):
        key = f"{name}|{evidence}"
        if key not in cache:
            with open(_LOCK, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    cache[key] = execute(NOTEBOOKS / name, timeout=300,
                                         env={"EXOREVIEW_EVIDENCE": str(evidence or EVIDENCE),
                                              "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
        return cache[key]

    return run
