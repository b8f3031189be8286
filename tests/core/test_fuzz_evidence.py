"""Fuzzing the study loader/validator: whatever a file holds, validation reports problems and never
raises; load raises nothing but exoreview's own errors. (≥ 500 generated inputs per strategy.)"""

from __future__ import annotations

import string

import pytest
import yaml
from conftest import EVIDENCE, base_study
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exoreview as xr
from exoreview.core.schema import check_record
from exoreview.core.vocab import Vocabulary
from exoreview.core.yamlio import read_yaml
from exoreview.errors import EvidenceError, Problem

# hundreds of generated inputs: `make test` runs them, `make check` leaves them out
pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def config():
    vdata = yaml.safe_load((EVIDENCE / "vocabulary.yaml").read_text(encoding="utf-8"))
    vocab, problems = Vocabulary.from_data(vdata)
    assert not problems
    schema = yaml.safe_load((EVIDENCE / "schema.yaml").read_text(encoding="utf-8"))
    return vocab, schema["study"]["fields"]


def check_file(path, config):
    """The per-file path of validate(): read, parse, check against the schema."""
    vocab, fields = config
    parsed = read_yaml(path)
    rec = None
    if parsed.data is not None:
        rec, _ = check_record(parsed, fields, vocab)
    for p in parsed.problems:
        assert isinstance(p, Problem) and p.message and p.path.endswith("s.yaml")
        assert p.line is None or p.line >= 1
    if not parsed.problems:
        assert isinstance(rec, dict)
    return parsed.problems


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(str),
)
nested = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(string.ascii_lowercase + "_", max_size=12), inner, max_size=5),
    ),
    max_leaves=20,
)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(tmp_path, config, data):
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    check_file(path, config)


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(tmp_path, config, text):
    path = tmp_path / "s.yaml"
    try:
        path.write_text(text, encoding="utf-8")
    except UnicodeEncodeError:
        return
    check_file(path, config)


@FUZZ
@given(doc=nested)
def test_random_yaml_structures(tmp_path, config, doc):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    problems = check_file(path, config)
    assert problems  # nothing random is a valid study


FIELDS = list(base_study().keys()) + [
    "isolation",
    "route",
    "notes",
    "related",
    "n_participants",
    "follow_up_weeks",
    "outcomes",
    "models",
    "notice",
    "industry_funded",
]


@FUZZ
@given(field=st.sampled_from(FIELDS), value=nested, drop=st.booleans())
def test_mutated_valid_study(tmp_path, config, field, value, drop):
    rec = base_study()
    if drop:
        rec.pop(field, None)
    else:
        rec[field] = value
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(rec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = check_file(path, config)
    for p in problems:  # every problem names a field of the record, or the file as a whole
        assert p.field == "" or p.field.split("[")[0].split(".")[0] in rec or p.code == "missing-field"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.dictionaries(
        st.sampled_from(["a.yaml", "b.yaml", "c.yml", ".hidden.yaml"]),
        st.one_of(st.binary(max_size=80), nested.map(yaml.safe_dump)),
        max_size=3,
    )
)
def test_whole_folder_validate_and_load(make_evidence, files):
    root = make_evidence({k: (v if isinstance(v, bytes) else v) for k, v in files.items()})
    report = xr.validate(root)
    assert isinstance(report.summary(), str)
    try:
        xr.load(root)
    except EvidenceError:
        pass
