"""CONTENT TEST: where the shipped claims say they were made reads as a source a reader can
follow (a text in evidence/sources/, a web page, or "reviewer question"), never as a pointer into
the project's own tracker ("issue 4", "#12")."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import EVIDENCE

INTERNAL = re.compile(r"\bissues?\s*#?\d+|#\d+\b|\bPR\s*#?\d+", re.IGNORECASE)
CLAIMS = sorted((EVIDENCE / "claims").glob("*.yaml"))


def _made_in(path):
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("made_in") or {}


def test_there_are_claims():
    assert len(CLAIMS) >= 10


@pytest.mark.parametrize("path", CLAIMS, ids=lambda p: p.stem)
def test_made_in_names_no_internal_issue(path):
    made_in = _made_in(path)
    for field in ("source", "url", "quote"):
        text = str(made_in.get(field) or "")
        assert not INTERNAL.search(text), f"{path.name}: made_in.{field} names an internal issue: {text!r}"


@pytest.mark.parametrize("path", CLAIMS, ids=lambda p: p.stem)
def test_made_in_source_is_a_file_or_a_reviewer_question(path):
    source = str(_made_in(path).get("source") or "")
    assert source, f"{path.name}: made_in.source is empty"
    if source.startswith("evidence/sources/"):
        assert (EVIDENCE.parent / source).is_file(), f"{path.name}: {source} does not exist"
    else:
        assert source.startswith("reviewer question"), f"{path.name}: made_in.source {source!r}"


def test_the_pattern_catches_internal_references():
    for text in ("reviewer question (issue 4)", "see #12", "Issues 3"):
        assert INTERNAL.search(text)
    assert not INTERNAL.search("reviewer question; a common phrase on clinic pages")
