"""Loading and validating the evidence folder into tidy tables.

``load(path)`` reads ``vocabulary.yaml``, ``schema.yaml`` and every file of ``studies/``,
``regulatory/`` and ``claims/``, checks them all, and returns an :class:`Evidence` with tidy pandas
tables and explicit dtypes. Any problem anywhere raises one :class:`ValidationError` carrying every
problem found. ``validate(path)`` returns the same report without raising. Nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from . import levels
from .errors import EvidenceError, Problem, UsageError, ValidationError
from .schema import check_record, check_schema, check_study_facts
from .vocab import Vocabulary
from .yamlio import describe_os_error, display_path, list_folder, read_yaml

# folder → schema section; a folder without a schema section is not read
FOLDERS: tuple[tuple[str, str], ...] = (("studies", "study"), ("regulatory", "regulatory"),
                                        ("claims", "claim"))

# study-level facets stored in the long `tags` table (facet → record field)
TAG_FIELDS: tuple[tuple[str, str], ...] = (
    ("cell_source", "cell_source"), ("vesicle_term", "vesicle_term"), ("design", "design"),
    ("condition", "condition"), ("route", "route"), ("isolation", "isolation"),
    ("characterization", "characterization"), ("mechanism", "mechanisms"),
)

STUDY_DTYPES: dict[str, str] = {
    "key": "string", "title": "string", "authors": "string", "first_author": "string",
    "journal": "string", "year": "Int64", "volume": "string", "issue": "string", "pages": "string",
    "doi": "string", "pmid": "string", "registry_id": "string", "citation": "string",
    "citation_status": "category", "confidence": "category", "extraction_level": "category",
    "extraction_source": "string", "not_reported": "string", "publication_status": "category",
    "has_results": "boolean", "notice": "string",
    "cell_source": "string", "cell_source_text": "string", "vesicle_term": "string",
    "vesicle_term_text": "string", "isolated_vesicles": "boolean", "conditioned_medium": "boolean",
    "design": "category", "design_level": "Int64", "designs": "string", "tier": "category",
    "species": "string", "models": "string", "human": "boolean", "condition": "string",
    "route": "string", "n_text": "string", "n_participants": "Int64", "n_animals": "Int64",
    "dose": "string", "comparator": "string", "follow_up": "string", "follow_up_weeks": "Float64",
    "outcome_summary": "string", "mechanisms": "string", "funding_coi": "string",
    "industry_funded": "boolean", "adverse_events": "string", "notes": "string",
    "verified_at": "string", "file": "string",
    # study quality (exoreview/quality.py): cross-tool risk of bias and MISEV reporting score
    "rob_overall": "category", "rob_tool": "category", "ev_score": "Int64", "ev_max": "Int64",
}
OUTCOME_DTYPES: dict[str, str] = {
    "study": "string", "index": "Int64", "outcome": "category", "group": "category",
    "measure": "string", "direction": "category", "detail": "string", "timepoint": "string",
    "summary": "string", "unit": "string", "baseline": "Float64", "value": "Float64",
    "change": "Float64", "change_sd": "Float64", "control_change": "Float64", "change_pct": "Float64", "control_change_pct": "Float64", "n": "Int64",
    "p_value": "Float64", "effect_source": "string",
}
MODEL_DTYPES = {"study": "string", "model": "category", "species": "category", "detail": "string"}
TAG_DTYPES = {"study": "string", "facet": "category", "term": "string", "label": "string"}
REGULATORY_DTYPES: dict[str, str] = {
    "key": "string", "title": "string", "issuer": "string", "date": "string", "year": "Int64",
    "url": "string", "kind": "category", "region": "string", "topics": "string",
    "approved_products": "Int64", "adverse_events_reported": "boolean",
    "serious_adverse_events": "boolean", "hair_use": "boolean",
    "doi": "string", "facts": "string", "n_facts": "Int64", "notes": "string",
    "verified_at": "string", "file": "string",
}
DIRECTIONS = ("increased", "decreased", "no significant change", "mixed", "planned")


def _frame(rows: list[dict], dtypes: Mapping[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(dtypes))
    for col, dtype in dtypes.items():
        if dtype == "category":
            df[col] = df[col].astype("string").astype("category")
        else:
            df[col] = df[col].astype(dtype)
    return df


def isin(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    """Boolean array: which cells of a string column are in `values` (Arrow's hash set when the
    column is Arrow-backed, about 15× faster than pandas' isin; pandas otherwise)."""
    values = values if isinstance(values, (set, frozenset)) else set(values)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return series.isin(values).to_numpy(dtype=bool)
    try:
        arr = pa.array(series)
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            hit = pc.is_in(arr, value_set=pa.array(list(values), type=arr.type))
            return hit.fill_null(False).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    return series.isin(values).to_numpy(dtype=bool)


@dataclass(frozen=True)
class Evidence:
    """The evidence base as tidy tables. Views read these; they never re-read files.

    studies      one row a study (citation, design tier, display columns)
    outcomes     one row a study × outcome (measure, direction, effect numbers)
    models       one row a study × experimental system (model, species, detail)
    tags         one row a study × facet × term (cell_source, design, condition, mechanism, ...)
    mechanisms   one row a study × mechanism term
    regulatory   one row a regulator's notice or safety record
    claims, claim_links   claims and the studies they cite (see the claims issue)
    """

    studies: pd.DataFrame
    outcomes: pd.DataFrame
    models: pd.DataFrame
    tags: pd.DataFrame
    mechanisms: pd.DataFrame
    regulatory: pd.DataFrame
    claims: pd.DataFrame
    claim_links: pd.DataFrame
    vocabulary: Vocabulary
    records: Mapping[str, Mapping[str, Any]] = field(repr=False)
    regulatory_records: Mapping[str, Mapping[str, Any]] = field(repr=False)
    claim_records: Mapping[str, Mapping[str, Any]] = field(repr=False)
    root: str = "evidence"  # the folder it was loaded from (absolute path)

    def __len__(self) -> int:
        return len(self.studies)

    def __repr__(self) -> str:
        return (f"<Evidence {self.root}: {len(self.studies)} studies, {len(self.outcomes)} outcomes, "
                f"{len(self.regulatory)} regulatory records, {len(self.claims)} claims>")

    def study(self, key: str) -> Mapping[str, Any]:
        """The validated record of one study (KeyError names the key)."""
        return self.records[key]

    def subset(self, keys: Iterable[str]) -> Evidence:
        """The same evidence restricted to `keys` (order of `studies` kept); a new object."""
        keys = set(keys)

        def keep(df: pd.DataFrame, col: str) -> pd.DataFrame:
            return df[isin(df[col], keys)].reset_index(drop=True)

        return replace(
            self, studies=keep(self.studies, "key"), outcomes=keep(self.outcomes, "study"),
            models=keep(self.models, "study"), tags=keep(self.tags, "study"),
            mechanisms=keep(self.mechanisms, "study"),
            records=(self.records.restricted(keys) if hasattr(self.records, "restricted")
                     else MappingProxyType({k: v for k, v in self.records.items() if k in keys})))

    def summary(self) -> str:
        n_inc = int((self.studies["citation_status"] == "incomplete").sum())
        return (f"{len(self.studies)} studies, {len(self.outcomes)} outcomes, "
                f"{len(self.regulatory)} regulatory records"
                + (f", {len(self.claims)} claims" if len(self.claims) else "")
                + f"; {n_inc} incomplete citations")

    def _repr_html_(self) -> str:
        from html import escape
        return f"<p><b>Evidence</b> ({escape(self.root)}): {escape(self.summary())}</p>"


@dataclass
class Report:
    """What ``validate`` found: every problem, and counts of what was read."""

    root: str
    problems: list[Problem]
    counts: dict[str, int]
    incomplete: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        c = self.counts
        n_studies = c.get("studies", 0)
        head = (f"{n_studies} {'study' if n_studies == 1 else 'studies'}, {_plural(c.get('outcomes', 0), 'outcome')}, "
                f"{_plural(c.get('regulatory', 0), 'regulatory record')}")
        if c.get("claims"):
            head += f", {_plural(c['claims'], 'claim')}"
        if self.ok:
            return f"{head}: valid; {_plural(len(self.incomplete), 'incomplete citation')}"
        files = len({p.path for p in self.problems})
        return f"{head}: {_plural(len(self.problems), 'problem')} in {_plural(files, 'file')}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
def _read_config(root: Path, problems: list[Problem]) -> tuple[Vocabulary | None, dict | None]:
    vparsed = read_yaml(root / "vocabulary.yaml")
    problems.extend(vparsed.problems)
    vocab = None
    if vparsed.data is not None:
        vocab, vprob = Vocabulary.from_data(vparsed.data, vparsed.path, vparsed.lines)
        problems.extend(vprob)
    sparsed = read_yaml(root / "schema.yaml")
    problems.extend(sparsed.problems)
    schema = None
    if sparsed.data is not None:
        sprob = check_schema(sparsed.data, sparsed.path, sparsed.lines)
        problems.extend(sprob)
        schema = sparsed.data if not sprob else None
    return vocab, schema


def _files(folder: Path, problems: list[Problem]) -> list[Path]:
    """The YAML files of `folder` (none when it is missing); a folder that is a file or cannot be
    read is a problem, never silently empty."""
    names = list_folder(folder, problems, must_be=f"{folder.name}/ must be a folder of .yaml files")
    return sorted(folder / n for n in names or ()
                  if Path(n).suffix in {".yaml", ".yml"} and not n.startswith("."))


def folder_problem(root: str | os.PathLike) -> Problem | None:
    """What is wrong with `root` as an evidence folder (missing, a file, unreadable, no
    vocabulary.yaml), or None. Lists the folder itself, so it works for root users too."""
    root = Path(root)
    shown = display_path(root)
    try:
        with os.scandir(root) as entries:
            names = {e.name for e in entries}
    except FileNotFoundError:
        return Problem(shown, None, "", "no such evidence folder; pass --evidence DIR (the folder "
                       "holding vocabulary.yaml)", "no-folder")
    except NotADirectoryError:
        return Problem(shown, None, "", "is a file, not an evidence folder; pass --evidence DIR (the "
                       "folder holding vocabulary.yaml)", "not-a-folder")
    except OSError as err:
        what, fix = describe_os_error(err)
        return Problem(shown, None, "", f"cannot read the evidence folder: {what}; {fix}", "unreadable")
    if "vocabulary.yaml" not in names:
        return Problem(shown, None, "", "is not an evidence folder (no vocabulary.yaml); pass "
                       "--evidence DIR", "not-evidence")
    return None


def folder_problems(root: str | os.PathLike,
                    folders: Iterable[str] = tuple(f for f, _kind in FOLDERS)) -> list[Problem]:
    """Problems with the record folders of `root` (default studies/, regulatory/, claims/): a
    file where a folder must be, or a folder or file that cannot be read (for readers that skip
    what they cannot read, e.g. the de-duplication index). Missing folders are fine."""
    problems: list[Problem] = []
    for name in folders:
        for path in _files(Path(root) / name, problems):
            try:
                with path.open("rb"):
                    pass
            except OSError as err:
                what, fix = describe_os_error(err)
                problems.append(Problem(display_path(path), None, "", f"cannot read the file: {what}; "
                                        f"{fix}", "unreadable"))
    return problems


def require_folder(root: str | os.PathLike) -> Path:
    """`root` if it is a readable evidence folder; :class:`UsageError` (exit 2) naming it otherwise."""
    problem = folder_problem(root)
    if problem is None:
        return Path(root)
    if problem.code == "no-folder":
        raise UsageError(f"{problem.path} is not an evidence folder: no such folder; pass --evidence "
                         "DIR (the folder holding vocabulary.yaml)")
    raise UsageError(str(problem))


def _read_folder(root: Path, folder: str, kind: str, schema: dict, vocab: Vocabulary,
                 problems: list[Problem]) -> tuple[dict[str, dict], list[tuple[str, str, int, str, str]]]:
    """Records of one folder keyed by key, and the study references they make."""
    records: dict[str, dict] = {}
    first_file: dict[str, str] = {}
    refs: list[tuple[str, str, int, str, str]] = []  # (path, field, line, key, from_key)
    fields = schema.get(kind, {}).get("fields", {})
    paths = _files(root / folder, problems)
    if paths and kind not in schema:
        problems.append(Problem(display_path(root / folder), None, "",
                                f"schema.yaml has no '{kind}' section describing these files",
                                "bad-schema"))
        return records, refs
    for path in paths:
        parsed = read_yaml(path)
        rec = None
        rrefs: list = []
        if parsed.data is not None:
            rec, rrefs = check_record(parsed, fields, vocab)
            if rec is not None and kind == "study":
                parsed.problems.extend(check_study_facts(rec, parsed))
            if rec is not None and kind == "study" and rec.get("risk_of_bias") is not None:
                from .quality import check_study  # risk-of-bias items and tool (issue #6)
                parsed.problems.extend(check_study(rec, parsed, vocab))
        problems.extend(parsed.problems)
        if rec is None:
            continue
        key = rec.get("key")
        if key and key != path.stem:
            problems.append(Problem(parsed.path, parsed.line(("key",)), "key",
                                    f"key '{key}' does not match the file name '{path.name}'; "
                                    f"rename the file to {key}.yaml or change the key", "key-mismatch"))
        if key in first_file:
            problems.append(Problem(parsed.path, parsed.line(("key",)), "key",
                                    f"key '{key}' is already used by {first_file[key]}; each "
                                    "record needs its own key", "duplicate-key"))
            continue
        if key:
            first_file[key] = parsed.path
            rec["_file"] = parsed.path
            rec["_lines"] = {f: parsed.line((f,)) for f in ("key", "doi", "pmid", "registry_id")}
            records[key] = rec
            refs.extend((parsed.path, fld, line, ref, key) for fld, line, ref in rrefs)
    return records, refs


def _duplicates(records: Mapping[str, dict], field_name: str, label: str,
                problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for key, rec in records.items():
        val = rec.get(field_name)
        if not val:
            continue
        norm = str(val).casefold()
        if norm in seen:
            other = records[seen[norm]]
            problems.append(Problem(rec["_file"], rec["_lines"].get(field_name), field_name,
                                    f"{label} {val} is also in {other['_file']} (key '{seen[norm]}'); "
                                    "the same study must not be entered twice: merge the two files",
                                    f"duplicate-{field_name}"))
        else:
            seen[norm] = key


def _check_all(root: Path) -> tuple[list[Problem], Vocabulary | None, dict[str, dict[str, dict]]]:
    problems: list[Problem] = []
    problem = folder_problem(root)  # missing, a file, unreadable, no vocabulary.yaml
    if problem is not None:
        return [problem], None, {}
    vocab, schema = _read_config(root, problems)
    if vocab is None or schema is None:
        return problems, vocab, {}
    out: dict[str, dict[str, dict]] = {}
    all_refs = []
    for folder, kind in FOLDERS:
        recs, refs = _read_folder(root, folder, kind, schema, vocab, problems)
        out[folder] = recs
        all_refs.extend(refs)
    studies = out["studies"]
    for fld, label in (("doi", "DOI"), ("pmid", "PMID"), ("registry_id", "registration")):
        _duplicates(studies, fld, label, problems)
    for path, fld, line, ref, from_key in all_refs:
        if ref not in studies:
            hint = _close(ref, studies)
            problems.append(Problem(path, line, fld, f"refers to study '{ref}', which is not in "
                                    f"evidence/studies/{'; did you mean ' + repr(hint) + '?' if hint else ''}",
                                    "dangling-reference"))
        elif ref == from_key:
            problems.append(Problem(path, line, fld, "a study cannot refer to itself", "self-reference"))
    return problems, vocab, out


def _close(key: str, keys: Iterable[str]) -> str | None:
    import difflib
    m = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return m[0] if m else None


def default_path() -> Path:
    """The evidence folder to use when none is given: $EXOREVIEW_EVIDENCE, else ./evidence, else
    the nearest evidence/ folder above the working folder (so notebooks in notebooks/ find it)."""
    env = os.environ.get("EXOREVIEW_EVIDENCE")
    if env:
        return Path(env)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "evidence" / "vocabulary.yaml").is_file():
            return folder / "evidence"
    return here / "evidence"


def validate(path: str | os.PathLike | None = None) -> Report:
    """Check the whole evidence folder; never raises for the user's mistakes, never writes."""
    root = Path(path) if path is not None else default_path()
    problems, vocab, recs = _check_all(root)
    studies = recs.get("studies", {})
    counts = {"studies": len(studies),
              "outcomes": sum(len(r.get("outcomes") or []) for r in studies.values()),
              "regulatory": len(recs.get("regulatory", {})), "claims": len(recs.get("claims", {}))}
    incomplete = sorted(k for k, r in studies.items() if levels.citation_status(r) == "incomplete")
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return Report(display_path(root), problems, counts, incomplete)


def load(path: str | os.PathLike | None = None) -> Evidence:
    """Read and validate the evidence folder; raise :class:`ValidationError` with every problem.

    Without `path`: $EXOREVIEW_EVIDENCE, ./evidence, or the nearest evidence/ above."""
    from .cache import cached_load

    root = Path(path) if path is not None else default_path()
    try:
        return cached_load(root, _load_uncached)
    except OSError:  # the cache's fingerprint could not list or stat a file: read without it,
        return _load_uncached(root)  # which reports every unreadable file as a problem


def _load_uncached(root: Path) -> Evidence:
    problems, vocab, recs = _check_all(root)
    if problems:
        problems.sort(key=lambda p: (p.path, p.line or 0))
        raise ValidationError(problems)
    assert vocab is not None
    return build(recs["studies"], recs["regulatory"], recs["claims"], vocab, str(root.resolve()))


# ---------------------------------------------------------------------------------------------
def _labels(vocab: Vocabulary, facet: str, keys: Iterable[str]) -> str:
    return " · ".join(vocab[facet].label(k) for k in keys)


def _citation(rec: Mapping[str, Any]) -> str:
    authors = rec.get("authors") or []
    first = authors[0] if authors else "[authors not seen]"
    etal = " et al." if len([a for a in authors if a != "et al."]) > 1 else ""
    first = first if first != "et al." else "[authors not seen]"
    year = rec.get("year") or "n.d."
    return f"{first}{etal} ({year}). {rec.get('journal')}"


def study_row(rec: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """The `studies` row of one validated record (display columns derived here, once)."""
    design = vocab["design"]
    levels_ = [design.terms[d].get("level") for d in rec["design"]]
    levels_ = [lv for lv in levels_ if lv is not None]
    top_level = min(levels_) if levels_ else None
    top = min(rec["design"], key=lambda d: design.terms[d].get("level") or 99)
    has_results = bool(vocab["publication_status"].terms[rec["publication_status"]].get("results"))
    isolated = [bool(vocab["vesicle_term"].terms[v].get("isolated")) for v in rec["vesicle_term"]]
    models = rec.get("models") or []
    notice = rec.get("notice")
    authors = [a for a in rec.get("authors") or []]
    return {
        "key": rec["key"], "title": rec["title"], "authors": "; ".join(authors),
        "first_author": authors[0] if authors and authors[0] != "et al." else None,
        "journal": rec["journal"], "year": rec.get("year"), "volume": rec.get("volume"),
        "issue": rec.get("issue"), "pages": rec.get("pages"), "doi": rec.get("doi"),
        "pmid": rec.get("pmid"), "registry_id": rec.get("registry_id"), "citation": _citation(rec),
        "citation_status": levels.citation_status(rec), "confidence": rec["confidence"],
        "extraction_level": (rec.get("extraction") or {}).get("level"),
        "extraction_source": (rec.get("extraction") or {}).get("source"),
        "not_reported": "; ".join(rec.get("not_reported") or []) or None,
        "publication_status": rec["publication_status"], "has_results": has_results,
        "notice": f"{notice['kind']} ({notice.get('date') or 'date not seen'})" if notice else None,
        "cell_source": _labels(vocab, "cell_source", rec["cell_source"]),
        "cell_source_text": rec.get("cell_source_text"),
        "vesicle_term": _labels(vocab, "vesicle_term", rec["vesicle_term"]),
        "vesicle_term_text": rec.get("vesicle_term_text"),
        "isolated_vesicles": any(isolated), "conditioned_medium": not any(isolated),
        "design": top, "design_level": top_level,
        "designs": _labels(vocab, "design", rec["design"]),
        "tier": levels.tier(top_level, has_results),
        "species": " · ".join(dict.fromkeys(vocab["species"].label(m["species"]) for m in models)),
        "models": " · ".join(dict.fromkeys(vocab["model"].label(m["model"]) for m in models)),
        "human": any(m["model"] == "clinical" for m in models),
        "condition": _labels(vocab, "condition", rec["condition"]),
        "route": _labels(vocab, "route", rec.get("route") or []),
        "n_text": rec.get("n_text"), "n_participants": rec.get("n_participants"),
        "n_animals": rec.get("n_animals"), "dose": rec.get("dose"),
        "comparator": rec.get("comparator"), "follow_up": rec.get("follow_up"),
        "follow_up_weeks": rec.get("follow_up_weeks"),
        "outcome_summary": "; ".join(f"{o['measure']} ({o['direction']})"
                                     for o in rec.get("outcomes") or []),
        "mechanisms": _labels(vocab, "mechanism", rec.get("mechanisms") or []),
        "funding_coi": rec.get("funding_coi"), "industry_funded": rec.get("industry_funded"),
        "adverse_events": rec.get("adverse_events"), "notes": rec.get("notes"),
        "verified_at": "\n".join(rec.get("verified_at") or []), "file": rec.get("_file"),
        **_quality_columns(rec, vocab),
    }


def _quality_columns(rec: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    from .quality import study_columns  # lazy: quality rules live in one module

    return study_columns(rec, vocab)


def build(studies: Mapping[str, dict], regulatory: Mapping[str, dict], claims: Mapping[str, dict],
          vocab: Vocabulary, root: str = "evidence") -> Evidence:
    """Tidy tables from validated records (used by ``load`` and by tests building data in code)."""
    srows, orows, mrows, trows = [], [], [], []
    for key in sorted(studies, key=lambda k: (studies[k].get("year") or 9999, k)):
        rec = studies[key]
        srows.append(study_row(rec, vocab))
        for i, o in enumerate(rec.get("outcomes") or []):
            eff = o.get("effect") or {}
            orows.append({"study": key, "index": i, "outcome": o["outcome"],
                          "group": vocab["outcome"].terms[o["outcome"]].get("group"),
                          "measure": o["measure"], "direction": o["direction"],
                          "detail": o.get("detail"),
                          **{k: eff.get(k) for k in ("timepoint", "summary", "unit", "baseline", "value",
                                                     "change", "change_sd", "control_change",
                                                     "change_pct", "control_change_pct", "n",
                                                     "p_value")},
                          "effect_source": eff.get("source")})
        for m in rec.get("models") or []:
            mrows.append({"study": key, "model": m["model"], "species": m["species"],
                          "detail": m.get("detail")})
        for facet, fld in TAG_FIELDS:
            for term in dict.fromkeys(rec.get(fld) or []):
                trows.append({"study": key, "facet": facet, "term": term,
                              "label": vocab[facet].label(term)})
        for facet, fld in (("model", "model"), ("species", "species")):
            for term in dict.fromkeys(m[fld] for m in rec.get("models") or []):
                trows.append({"study": key, "facet": facet, "term": term,
                              "label": vocab[facet].label(term)})
        for term in dict.fromkeys(o["outcome"] for o in rec.get("outcomes") or []):
            trows.append({"study": key, "facet": "outcome", "term": term,
                          "label": vocab["outcome"].label(term)})
        trows.append({"study": key, "facet": "publication_status", "term": rec["publication_status"],
                      "label": vocab["publication_status"].label(rec["publication_status"])})
    tags = _frame(trows, TAG_DTYPES)
    mech = tags[tags["facet"] == "mechanism"][["study", "term", "label"]].rename(
        columns={"term": "mechanism"}).reset_index(drop=True)
    rrows = []
    for key in sorted(regulatory, key=lambda k: (regulatory[k].get("date") or "", k)):
        r = regulatory[key]
        rrows.append({**{k: r.get(k) for k in REGULATORY_DTYPES if k in r},
                      "year": int(r["date"][:4]) if r.get("date") else None,
                      "topics": _labels(vocab, "regulatory_topic", r.get("topics") or []),
                      "facts": "\n".join(r.get("facts") or []), "n_facts": len(r.get("facts") or []),
                      "verified_at": "\n".join(r.get("verified_at") or []), "file": r.get("_file")})
    from .claims_table import claim_frames

    claims_df, links_df = claim_frames(claims, vocab)
    return Evidence(
        studies=_frame(srows, STUDY_DTYPES), outcomes=_frame(orows, OUTCOME_DTYPES),
        models=_frame(mrows, MODEL_DTYPES), tags=tags, mechanisms=mech,
        regulatory=_frame(rrows, REGULATORY_DTYPES), claims=claims_df, claim_links=links_df,
        vocabulary=vocab, records=MappingProxyType(dict(studies)),
        regulatory_records=MappingProxyType(dict(regulatory)),
        claim_records=MappingProxyType(dict(claims)), root=root)


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise EvidenceError(problems)
