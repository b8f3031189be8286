"""Checking a parsed evidence file against ``evidence/schema.yaml``.

The schema is data: each field declares its type, whether it is required, its vocabulary or
choices. :func:`check_record` walks a document once, collects every problem (file, line, field,
what is allowed) and returns a normalized copy: synonyms replaced by canonical terms, dates and
identifiers in one form.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .vocab import Vocabulary
from .yamlio import Parsed

THIS_YEAR = dt.date.today().year
MIN_YEAR = 1980

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
REGISTRY_RE = re.compile(
    r"^(NCT\d{8}|ACTRN\d{14}|IRCT\d+N\d+|ISRCTN\d{8}|ChiCTR[\w-]+|KCT\d{7}|CTRI/\d{4}/\d+/\d+"
    r"|JPRN-\w+|DRKS\d{8}|EUCTR[\w-]+|TCTR\d+)$"
)
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
URL_RE = re.compile(r"^https?://\S+$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
TYPES = {
    "text",
    "integer",
    "number",
    "boolean",
    "year",
    "date",
    "doi",
    "pmid",
    "registry_id",
    "url",
    "key",
    "term",
    "choice",
    "study",
    "record",
    "list",
}

_MISSING = object()


def normalize_doi(value: str) -> str:
    """Bare DOI: strips URL and 'doi:' prefixes and surrounding space (case kept)."""
    v = value.strip()
    v = re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", v, flags=re.I)
    v = re.sub(r"^doi:\s*", "", v, flags=re.I)
    return v.rstrip(".")


def loc_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Checker:
    vocabulary: Vocabulary
    parsed: Parsed
    refs: list = field(default_factory=list)  # (loc, line, key) of every `study` reference

    def problem(self, loc: tuple, message: str, code: str) -> None:
        self.parsed.problems.append(
            Problem(self.parsed.path, self.parsed.line(loc), loc_name(loc), message, code)
        )

    # -- records -------------------------------------------------------------------------
    def record(self, value: Any, fields: Mapping[str, Any], loc: tuple) -> dict | None:
        if not isinstance(value, dict):
            self.problem(loc, f"expected a mapping of fields, found {_kind(value)}", "wrong-type")
            return None
        out: dict[str, Any] = {}
        for name in value:
            if name not in fields:
                hint = difflib.get_close_matches(str(name), list(fields), n=1, cutoff=0.6)
                tip = f"did you mean '{hint[0]}'?" if hint else "allowed: " + ", ".join(fields)
                self.problem(loc + (name,), f"unknown field '{name}'; {tip}", "unknown-field")
        for name, spec in fields.items():
            val = value.get(name, _MISSING)
            if val is _MISSING:
                if spec.get("required"):
                    self.problem(
                        loc,
                        f"required field '{loc_name(loc + (name,))}' is missing; add it"
                        + ("" if spec.get("nullable", True) is False else " (null if unknown)"),
                        "missing-field",
                    )
                out[name] = [] if spec.get("type") == "list" else None
                continue
            out[name] = self.value(val, spec, loc + (name,))
        return out

    # -- values --------------------------------------------------------------------------
    def value(self, val: Any, spec: Mapping[str, Any], loc: tuple) -> Any:
        kind = spec.get("type", "text")
        if val is None:
            if spec.get("nullable", True) is False:
                self.problem(loc, "must not be empty", "missing-value")
            return [] if kind == "list" else None
        check = getattr(self, f"_{kind}", None)
        if check is None:
            self.problem(loc, f"schema declares unknown type '{kind}'", "bad-schema")
            return val
        return check(val, spec, loc)

    def _text(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        if isinstance(val, bool) or isinstance(val, (dict, list)):
            self.problem(loc, f"expected text, found {_kind(val)}; quote it if it is text", "wrong-type")
            return None
        if isinstance(val, (dt.date, dt.datetime)):
            return val.isoformat()
        return str(val)

    def _integer(self, val: Any, spec: Mapping, loc: tuple) -> int | None:
        if isinstance(val, bool) or not isinstance(val, int):
            self.problem(loc, f"expected a whole number, found {_kind(val)} {val!r}", "wrong-type")
            return None
        return self._bounds(val, spec, loc)

    def _number(self, val: Any, spec: Mapping, loc: tuple) -> float | None:
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            self.problem(loc, f"expected a number, found {_kind(val)} {val!r}", "wrong-type")
            return None
        return self._bounds(float(val), spec, loc)

    def _bounds(self, val: Any, spec: Mapping, loc: tuple) -> Any:
        if "min" in spec and val < spec["min"]:
            self.problem(loc, f"{val} is below the minimum {spec['min']}", "out-of-range")
            return None
        if "max" in spec and val > spec["max"]:
            self.problem(loc, f"{val} is above the maximum {spec['max']}", "out-of-range")
            return None
        return val

    def _boolean(self, val: Any, spec: Mapping, loc: tuple) -> bool | None:
        if not isinstance(val, bool):
            self.problem(loc, f"expected true or false, found {val!r}", "wrong-type")
            return None
        return val

    def _year(self, val: Any, spec: Mapping, loc: tuple) -> int | None:
        if isinstance(val, bool) or not isinstance(val, int):
            tip = " (write it without quotes)" if isinstance(val, str) and val.strip().isdigit() else ""
            self.problem(loc, f"year must be a whole number like 2021, found {val!r}{tip}", "bad-year")
            return None
        if not MIN_YEAR <= val <= THIS_YEAR:
            self.problem(loc, f"year {val} is outside {MIN_YEAR}–{THIS_YEAR}", "bad-year")
            return None
        return val

    def _date(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        if isinstance(val, (dt.date, dt.datetime)):
            val = val.isoformat()[:10]
        if isinstance(val, int) and not isinstance(val, bool):
            val = str(val)
        if not isinstance(val, str) or not DATE_RE.match(val.strip()):
            self.problem(loc, f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found {val!r}", "bad-date")
            return None
        val = val.strip()
        try:
            parts = [int(p) for p in val.split("-")]
            dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))
        except ValueError:
            self.problem(loc, f"'{val}' is not a real date", "bad-date")
            return None
        if not MIN_YEAR <= int(val[:4]) <= THIS_YEAR:
            self.problem(loc, f"year {val[:4]} is outside {MIN_YEAR}–{THIS_YEAR}", "bad-date")
            return None
        return val

    def _doi(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        if not isinstance(val, str):
            self.problem(loc, f"a DOI is text like 10.1038/s41598-017-15505-3, found {val!r}", "bad-doi")
            return None
        doi = normalize_doi(val)
        if not DOI_RE.match(doi):
            self.problem(
                loc,
                f"'{val}' is not a DOI (10.<registrant>/<suffix>); leave it null unless you saw it",
                "bad-doi",
            )
            return None
        return doi

    def _pmid(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        text = str(val).strip() if isinstance(val, (str, int)) and not isinstance(val, bool) else None
        if text is None or not PMID_RE.match(text):
            self.problem(
                loc, f"a PMID is 1 to 9 digits, found {val!r}; leave it null unless you saw it", "bad-pmid"
            )
            return None
        return text

    def _registry_id(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        text = str(val).strip() if isinstance(val, str) else None
        if text is None or not REGISTRY_RE.match(text):
            self.problem(
                loc,
                f"'{val}' is not a trial registration number (NCT01234567, "
                "ACTRN12625000548437, IRCT20200127046282N54, ...)",
                "bad-registry-id",
            )
            return None
        return text

    def _url(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        if not isinstance(val, str) or not URL_RE.match(val.strip()):
            self.problem(
                loc, f"expected a web address starting with http:// or https://, found {val!r}", "bad-url"
            )
            return None
        return val.strip()

    def _key(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        if not isinstance(val, str) or not KEY_RE.match(val):
            self.problem(
                loc,
                f"a key is lowercase letters, digits and hyphens (like li-2022-adsc-exos), found {val!r}",
                "bad-key",
            )
            return None
        return val

    def _study(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        key = self._key(val, spec, loc)
        if key is not None:
            self.refs.append((loc_name(loc), self.parsed.line(loc), key))
        return key

    def _term(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        facet = self.vocabulary.facets.get(spec.get("vocabulary", ""))
        if facet is None:
            self.problem(loc, f"schema names unknown vocabulary '{spec.get('vocabulary')}'", "bad-schema")
            return None
        if not isinstance(val, str):
            self.problem(loc, f"expected a {facet.name} term, found {_kind(val)}", "wrong-type")
            return None
        key = facet.resolve(val)
        if key is None:
            self.problem(loc, facet.unknown_message(val), "unknown-term")
        return key

    def _choice(self, val: Any, spec: Mapping, loc: tuple) -> str | None:
        choices = [str(c) for c in spec.get("choices", [])]
        if not isinstance(val, str) or val not in choices:
            hint = difflib.get_close_matches(str(val), choices, n=1, cutoff=0.6)
            tip = f"did you mean '{hint[0]}'?" if hint else "allowed: " + ", ".join(choices)
            self.problem(loc, f"{val!r} is not allowed; {tip}", "bad-choice")
            return None
        return val

    def _record(self, val: Any, spec: Mapping, loc: tuple) -> dict | None:
        return self.record(val, spec.get("fields", {}), loc)

    def _list(self, val: Any, spec: Mapping, loc: tuple) -> list:
        if not isinstance(val, list):
            self.problem(loc, f"expected a list ([a, b] or '- item' lines), found {_kind(val)}", "wrong-type")
            return []
        items = spec.get("items", {"type": "text"})
        out = [self.value(v, {**items, "nullable": False}, loc + (i,)) for i, v in enumerate(val)]
        out = [v for v in out if v is not None]
        if len(val) < spec.get("min_items", 0):
            self.problem(loc, f"needs at least {spec['min_items']} item(s)", "too-few")
        return out


def _kind(val: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
    }.get(type(val), type(val).__name__)


def check_record(
    parsed: Parsed, fields: Mapping[str, Any], vocabulary: Vocabulary
) -> tuple[dict | None, list]:
    """Validate ``parsed.data`` against `fields`; problems are appended to ``parsed.problems``.

    Returns the normalized record and the study references it makes: (field, line, key).
    """
    checker = Checker(vocabulary, parsed)
    return checker.record(parsed.data, fields, ()), checker.refs


def check_schema(schema: Mapping[str, Any], path: str, lines: Mapping[tuple, int]) -> list[Problem]:
    """Problems in schema.yaml itself (unknown types, lists without items, terms without vocabulary)."""
    problems: list[Problem] = []

    def walk(fields: Any, loc: tuple) -> None:
        if not isinstance(fields, dict):
            problems.append(
                Problem(path, _line(lines, loc), loc_name(loc), "fields must be a mapping", "bad-schema")
            )
            return
        for name, spec in fields.items():
            check(spec, loc + (name,))

    def check(spec: Any, loc: tuple) -> None:
        if not isinstance(spec, dict) or spec.get("type", "text") not in TYPES:
            got = spec.get("type") if isinstance(spec, dict) else spec
            problems.append(
                Problem(
                    path,
                    _line(lines, loc),
                    loc_name(loc),
                    f"unknown type {got!r}; use one of {', '.join(sorted(TYPES))}",
                    "bad-schema",
                )
            )
            return
        if spec.get("type") == "record":
            walk(spec.get("fields"), loc + ("fields",))
        if spec.get("type") == "list":
            check(spec.get("items", {"type": "text"}), loc + ("items",))

    for kind, body in (schema or {}).items():
        if not isinstance(body, dict):
            problems.append(
                Problem(path, _line(lines, (kind,)), kind, "expected a mapping with 'fields'", "bad-schema")
            )
            continue
        walk(body.get("fields"), (kind, "fields"))
    return problems


def _line(lines: Mapping[tuple, int], loc: tuple) -> int | None:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc)
