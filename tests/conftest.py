"""Shared fixtures: the shipped evidence (loaded once), a small exhibit folder, and a factory that
writes a throwaway evidence folder with given study files."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

# Loads go through the load cache, as users' loads do (the default path is the tested path), kept in a
# folder of this run so that no test reads a cache another run wrote; test_cache.py tests the cache itself.
os.environ.setdefault("EXOREVIEW_CACHE", tempfile.mkdtemp(prefix="exoreview-test-cache-"))

# Property and fuzz tests draw the same inputs on every run (`make test` and CI are repeatable);
# HYPOTHESIS_PROFILE=explore draws new ones each run, to hunt for bugs.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore")
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

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


@pytest.fixture
def evidence(tmp_path) -> Path:
    """A writable copy of tests/exhibit/ with the shipped vocabulary, one a test (imports and
    screening write into it; none of the import fixtures' records is in it)."""
    root = tmp_path / "evidence"
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
        "extraction": {"level": "abstract", "source": "https://example.org/article", "date": None},
        "publication_status": "peer-reviewed",
        "cell_source": ["ADSC"],
        "vesicle_term": ["exosome"],
        "design": ["in vitro", "animal"],
        "models": [
            {"model": "cell culture", "species": "human", "detail": "DP cells"},
            {"model": "telogen-to-anagen model", "species": "mouse", "detail": "C57BL/6"},
        ],
        "condition": ["hair growth"],
        "outcomes": [
            {"outcome": "cell proliferation", "measure": "DP proliferation", "direction": "increased"}
        ],
    }
    rec.update(changes)
    return rec


@pytest.fixture
def make_evidence(tmp_path):
    """make_evidence({"a.yaml": dict_or_text, ...}) → a folder with the shipped vocabulary/schema."""

    def make(
        studies: dict[str, object] | None = None,
        regulatory: dict[str, object] | None = None,
        claims: dict[str, object] | None = None,
    ) -> Path:
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
                    path.write_text(
                        yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8"
                    )
        return root

    return make


@pytest.fixture
def evidence_on(tmp_path_factory):
    """evidence_on({key: record}, regulatory={...}) → Evidence loaded from a fresh folder (shipped vocabulary)."""

    def run(studies, regulatory=None):
        import exoreview as xr

        root = tmp_path_factory.mktemp("evidence")
        for name in ("vocabulary.yaml", "schema.yaml"):
            shutil.copy(EVIDENCE / name, root / name)
        for folder, files in (("studies", studies), ("regulatory", regulatory or {})):
            (root / folder).mkdir()
            for key, rec in files.items():
                (root / folder / f"{key}.yaml").write_text(
                    yaml.safe_dump(rec, sort_keys=False), encoding="utf-8"
                )
        return xr.load(root)

    return run


@pytest.fixture
def grade_on(evidence_on):
    """grade_on(claim, {key: record}, regulatory={...}) → the Assessment on a fresh evidence folder."""

    def run(claim, studies, regulatory=None):
        from exoreview.appraisal.grade import assess  # the grader is what the tests using this fixture test

        return assess(claim, evidence_on(studies, regulatory))

    return run


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` with its mtime and bytes (to prove nothing was written)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


NOTEBOOKS = ROOT / "notebooks"
_LOCK = Path("/tmp/exoreview-notebook-tests.lock")


def locked_execute(path, *, timeout, env):
    """exoreview.notebook.execute, never two kernels at once across test processes (a file lock;
    nbclient issue 312 and 2 cores, see STACK.md)."""
    import fcntl

    from exoreview.app.notebook import execute

    with open(_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return execute(path, timeout=timeout, env=env)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def run_notebook():
    """run_notebook("01_review_dashboard.ipynb") → executed notebook (cached for the session).

    Notebook runs are serialised across processes (:func:`locked_execute`)."""
    cache: dict[str, object] = {}

    def run(name: str, *, evidence: Path | None = None):
        key = f"{name}|{evidence}"
        if key not in cache:
            cache[key] = locked_execute(
                NOTEBOOKS / name,
                timeout=300,
                env={
                    "EXOREVIEW_EVIDENCE": str(evidence or EVIDENCE),
                    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                },
            )
        return cache[key]

    return run


# -- the real browser: Debian Chromium driven by Playwright, Voilà on loopback (see STACK.md) --------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "file://", "about:")


def need_chromium():
    """The Playwright sync API, or skip when Chromium / Playwright are not installed."""
    import pytest

    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium; .ci/run does it)")
    return pytest.importorskip("playwright.sync_api")


@contextmanager
def chromium(blocked: list[str]) -> Iterator[object]:
    """A headless Chromium browser; every page from :func:`new_page` aborts non-local requests
    (recorded in `blocked`)."""
    sync_api = need_chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        browser._exoreview_blocked = blocked
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, **kwargs):
    blocked = browser._exoreview_blocked

    def only_local(route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, **kwargs)
    page.route("**/*", only_local)
    return page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila_server(
    evidence: Path, log_path: Path, notebook: str = "01_review_dashboard.ipynb", timeout: float = 60
) -> Iterator[str]:
    """Voilà serving a notebook on a free loopback port (finite executor timeout, the polling fix
    from jupyter_config/voila.py) over `evidence`; yields the page URL."""
    import pytest

    voila_bin = Path(sys.executable).with_name("voila")
    if not voila_bin.exists():
        pytest.skip("voila is not installed in this environment")
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(ROOT / "jupyter_config"),
        "EXOREVIEW_EVIDENCE": str(evidence),
    }
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                str(voila_bin),
                str(NOTEBOOKS / notebook),
                "--no-browser",
                f"--port={port}",
                "--Voila.ip=127.0.0.1",
                "--VoilaExecutor.timeout=120",
                "--strip_sources=True",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"voila exited with {proc.returncode}; see {log_path}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(
                            f"voila did not listen on port {port} within {timeout} s"
                        ) from None
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
