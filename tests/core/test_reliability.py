"""Nothing lost: atomic writes survive a crash, exports never touch evidence, load → export → load
round-trips every study's facts (property test), and nothing reaches the network."""

from __future__ import annotations

import datetime as dt
import inspect
import os
import shutil
import socket
from pathlib import Path

import pytest
import yaml
from conftest import EVIDENCE, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exoreview as xr
from exoreview.core.yamlio import atomic_write_text
from exoreview.errors import UsageError
from exoreview.views.export import write_evidence, write_table


def test_a_crash_mid_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "study.yaml"
    target.write_text("old content\n", encoding="utf-8")

    real_fsync = os.fsync

    def crash(fd):
        real_fsync(fd)
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="simulated"):
        atomic_write_text(target, "new content that never lands\n", overwrite=True)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["study.yaml"]  # no temp file left


def test_atomic_write_refuses_to_overwrite_unless_asked(tmp_path):
    target = tmp_path / "x.yaml"
    atomic_write_text(target, "one")
    with pytest.raises(FileExistsError):
        atomic_write_text(target, "two")
    assert target.read_text() == "one"


def test_exports_never_land_in_evidence(tmp_path):
    root = tmp_path / "evidence"
    shutil.copytree(EVIDENCE, root, ignore=shutil.ignore_patterns("dossier"))
    before = snapshot(root)
    ev = xr.load(root)
    for bad in (root / "studies" / "table.csv", root / "x.xlsx", tmp_path / "out" / "s.yaml"):
        with pytest.raises(UsageError):
            write_table(ev.studies, bad)
    with pytest.raises(UsageError):
        write_evidence(ev, root / "copy")
    assert snapshot(root) == before


def test_shipped_evidence_round_trips(tmp_path):
    ev = xr.load(EVIDENCE)
    write_evidence(ev, tmp_path / "copy")
    again = xr.load(tmp_path / "copy")
    strip = lambda r: {k: v for k, v in r.items() if not k.startswith("_")}  # noqa: E731
    assert {k: strip(v) for k, v in ev.records.items()} == {k: strip(v) for k, v in again.records.items()}
    assert {k: strip(v) for k, v in ev.regulatory_records.items()} == {
        k: strip(v) for k, v in again.regulatory_records.items()
    }
    with pytest.raises(UsageError, match="not empty"):
        write_evidence(ev, tmp_path / "copy")


# -- property test: any valid study survives load → export → load ----------------------------------
VOCAB = yaml.safe_load((EVIDENCE / "vocabulary.yaml").read_text(encoding="utf-8"))


def terms(facet):
    return st.sampled_from(sorted(VOCAB[facet]["terms"]))


# text as users write it: any printable unicode, markup, formulas, quotes, newlines
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85\ufeff"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s) | st.sampled_from(
    [
        "=SUM(A1)",
        "<script>alert(1)</script>",
        "line one\nline two",
        "null",
        "yes",
        "2021",
        "'quoted'",
        "β-catenin ↑",
        "@cmd",
        "-1+2",
    ]
)
NUMBER = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)

outcome = st.fixed_dictionaries(
    {
        "outcome": terms("outcome"),
        "measure": TEXT,
        "direction": st.sampled_from(["increased", "decreased", "no significant change", "mixed"]),
    },
    optional={
        "detail": TEXT,
        "effect": st.fixed_dictionaries(
            {},
            optional={
                "timepoint": TEXT,
                "unit": TEXT,
                "baseline": NUMBER,
                "change": NUMBER,
                "change_sd": st.floats(0, 1e3),
                "n": st.integers(0, 10_000),
                "p_value": st.floats(0, 1),
                "summary": st.sampled_from(["mean", "median"]),
            },
        ),
    },
)
model = st.fixed_dictionaries(
    {"model": terms("model"), "species": terms("species")}, optional={"detail": TEXT}
)


@st.composite
def study(draw, key):
    rec = {
        "key": key,
        "title": draw(TEXT),
        "authors": draw(st.lists(TEXT, max_size=3)),
        "journal": draw(TEXT),
        "year": draw(st.none() | st.integers(1980, dt.date.today().year)),
        "verified_at": [draw(st.from_regex(r"https://[a-z]{1,10}\.org/[a-z0-9]{0,8}", fullmatch=True))],
        "confidence": draw(st.sampled_from(["high", "medium", "low"])),
        "extraction": {
            "level": draw(st.sampled_from(["full text", "abstract", "registry record", "citation only"])),
            "source": "https://example.org/read",
            "date": None,
        },
        "publication_status": draw(terms("publication_status")),
        "cell_source": draw(st.lists(terms("cell_source"), min_size=1, max_size=2, unique=True)),
        "vesicle_term": draw(st.lists(terms("vesicle_term"), min_size=1, max_size=2, unique=True)),
        "design": draw(st.lists(terms("design"), min_size=1, max_size=2, unique=True)),
        "models": draw(st.lists(model, max_size=2)),
        "condition": draw(st.lists(terms("condition"), min_size=1, max_size=2, unique=True)),
        "outcomes": draw(st.lists(outcome, max_size=3)),
    }
    optional = {
        "doi": st.from_regex(r"10\.\d{4,6}/[A-Za-z0-9.\-]{1,12}", fullmatch=True),
        "pmid": st.integers(1, 99_999_999).map(str),
        "notes": TEXT,
        "dose": TEXT,
        "n_participants": st.integers(0, 5000),
        "follow_up_weeks": st.floats(0, 520),
        "mechanisms": st.lists(terms("mechanism"), max_size=3, unique=True),
        "industry_funded": st.none() | st.booleans(),
        "route": st.lists(terms("route"), max_size=2, unique=True),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            rec[name] = draw(strategy)
    return rec


@pytest.mark.slow  # a property test (about 8 s): make test, not make check
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_valid_study_round_trips(make_evidence, tmp_path_factory, data):
    keys = data.draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9-]{2,15}", fullmatch=True), min_size=1, max_size=3, unique=True)
    )
    recs = [data.draw(study(k)) for k in keys]
    dois = [r.get("doi", "").casefold() for r in recs if r.get("doi")]
    pmids = [r["pmid"] for r in recs if r.get("pmid")]
    if len(set(dois)) < len(dois) or len(set(pmids)) < len(pmids):
        return
    root = make_evidence({f"{r['key']}.yaml": r for r in recs})
    for p in (root / "studies").iterdir():  # keep only this example's files
        if p.stem not in keys:
            p.unlink()
    ev = xr.load(root)
    out = tmp_path_factory.mktemp("copy") / "evidence"
    write_evidence(ev, out)
    again = xr.load(out)
    strip = lambda r: {k: v for k, v in r.items() if not k.startswith("_")}  # noqa: E731
    assert {k: strip(v) for k, v in again.records.items()} == {k: strip(v) for k, v in ev.records.items()}
    for r in recs:  # and the facts are the ones the user wrote
        got = again.records[r["key"]]
        assert (got["title"], got["year"], got["authors"]) == (r["title"], r["year"], r["authors"])
        assert [(o["outcome"], o["measure"], o["direction"]) for o in got["outcomes"]] == [
            (o["outcome"], o["measure"], o["direction"]) for o in r["outcomes"]
        ]
        for o_in, o_out in zip(r["outcomes"], got["outcomes"]):
            for k, v in (o_in.get("effect") or {}).items():
                assert o_out["effect"][k] == v


def test_nothing_reaches_the_network(monkeypatch, tmp_path):
    def refuse(self, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in {"127.0.0.1", "::1", "localhost"}:
            raise AssertionError(f"network access to {address}")
        return real_connect(self, address, *args, **kwargs)

    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a[0]))
    ev = xr.load(EVIDENCE)
    sub = xr.Filter(cell_sources=["MSC"], include_registry=False).apply(ev)
    write_table(sub.studies, tmp_path / "t.xlsx")
    write_table(sub.studies, tmp_path / "t.html")
    assert len(sub.studies)


def test_atomic_writes_get_normal_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        new = atomic_write_text(tmp_path / "new.txt", "x")
        assert new.stat().st_mode & 0o777 == 0o644
        old = tmp_path / "old.txt"
        old.write_text("y")
        old.chmod(0o640)
        atomic_write_text(old, "z", overwrite=True)
        assert old.stat().st_mode & 0o777 == 0o640 and old.read_text() == "z"
    finally:
        os.umask(mask)


# what exoreview's code must never call: unsafe YAML loading, unpickling, eval/exec, a shell
_FORBIDDEN_CALLS = {
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("yaml", "load_all"),
    ("yaml", "unsafe_load_all"),
    ("yaml", "full_load_all"),
    ("os", "system"),
    ("os", "popen"),
}
_FORBIDDEN_NAMES = {"eval", "exec", "compile", "__import__"}
_FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib"}
_FORBIDDEN_ATTRS = {"Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"}


def _unsafe_uses(source: str) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            found += [f"imports {n}" for n in names if n and n.split(".")[0] in _FORBIDDEN_MODULES]
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in _FORBIDDEN_NAMES:
                found.append(f"calls {f.id}()")
            if (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and (f.value.id, f.attr) in _FORBIDDEN_CALLS
            ):
                found.append(f"calls {f.value.id}.{f.attr}()")
            if any(k.arg == "shell" and getattr(k.value, "value", False) is True for k in node.keywords):
                found.append("runs a shell (shell=True)")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "yaml"
            and node.attr in _FORBIDDEN_ATTRS
        ):
            found.append(f"uses yaml.{node.attr}")
    return found


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import yaml\nyaml.load(s, Loader=yaml.Loader)", ["calls yaml.load()", "uses yaml.Loader"]),
        ("import pickle", ["imports pickle"]),
        ("from marshal import loads", ["imports marshal"]),
        ("eval('1')", ["calls eval()"]),
        ("import subprocess\nsubprocess.run('ls', shell=True)", ["runs a shell (shell=True)"]),
        ("import yaml\nyaml.load(s, Loader=yaml.CSafeLoader)", ["calls yaml.load()"]),
        ("import yaml\nyaml.safe_load(s)", []),
    ],
)
def test_the_unsafe_use_detector(source, expected):
    assert _unsafe_uses(source) == expected


def test_code_reads_yaml_safely_and_never_unpickles_or_evals():
    """YAML is read with the safe loader only; no pickle, no eval/exec, no shell, anywhere in the
    package (the load cache stores Feather and JSON, not pickles)."""
    package = Path(xr.__file__).parent
    found = {
        str(p.relative_to(package)): u
        for p in sorted(package.rglob("*.py"))
        if (u := _unsafe_uses(p.read_text(encoding="utf-8")))
    }
    assert found == {}
    from exoreview.core import yamlio

    assert "SafeLoader" in inspect.getsource(yamlio)
