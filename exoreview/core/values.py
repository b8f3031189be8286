"""Small helpers for values read from tables and records, defined once for every stage."""

from __future__ import annotations

from typing import Any

import pandas as pd


def missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and NaT (a scalar); False for anything else, lists too."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array: not a missing scalar
        return False


def present(value: Any) -> Any:
    """`value`, or None when it is missing or empty text."""
    return None if missing(value) or value == "" else value


def as_int(value: Any) -> int | None:
    return None if missing(value) else int(value)


def shorten(text: Any, limit: int = 70) -> str:
    """The text on one line, cut at `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 study', '2 studies' (`nouns` when the plural is not noun + 's')."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


# Spreadsheet cells that begin with one of these run as formulas (OWASP CSV injection): every
# export and every table shown neutralises them with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """'=1+1' → "'=1+1"; other values unchanged (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralized(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) cannot start a formula."""
    out = df.copy()
    for col in out.columns:
        if (
            out[col].dtype == object
            or isinstance(out[col].dtype, (pd.StringDtype, pd.CategoricalDtype))
            or str(out[col].dtype) == "str"
        ):
            out[col] = out[col].astype(object).map(neutralize)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out
