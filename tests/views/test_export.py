"""Exports: CSV-injection neutralised, HTML escaped, atomic, never into evidence/."""

from __future__ import annotations

import pandas as pd
import pytest

from exoreview.errors import UsageError
from exoreview.views.export import neutralize, neutralized, table_bytes, write_table


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_neutralize(value, expected):
    assert neutralize(value) == expected


def test_neutralized_keeps_numbers_and_input():
    df = pd.DataFrame({"t": pd.array(["=cmd()", "ok"], dtype="string"), "n": [-1.0, 2.0]})
    out = neutralized(df)
    assert list(out["t"]) == ["'=cmd()", "ok"] and list(out["n"]) == [-1.0, 2.0]
    assert df["t"][0] == "=cmd()"


def test_html_is_escaped():
    df = pd.DataFrame({"title": ["<img src=x onerror=alert(1)>"]})
    html = table_bytes(df, "html", caption="<b>cap</b>").decode()
    assert "<img" not in html and "&lt;img" in html and "&lt;b&gt;cap" in html


def test_write_table_refuses_yaml_and_unknown_formats(tmp_path):
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(UsageError):
        write_table(df, tmp_path / "x.yaml")
    with pytest.raises(UsageError):
        write_table(df, tmp_path / "x.docx")
    path = write_table(df, tmp_path / "out" / "x.csv")
    assert path.read_text(encoding="utf-8-sig") == "a\n1\n"
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
