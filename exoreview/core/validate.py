"""Checking a whole evidence folder: every file against the schema and the vocabulary, the checks
that need several fields of a study (what was extracted, per-arm numbers, risk of bias), and the
checks across files (duplicate identifiers, references to studies that do not exist).

``validate(path)`` returns a :class:`Report` with every problem and never raises for the user's
mistakes; ``check_all`` is what ``load`` builds on. Nothing is written.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import levels
from .extraction import FACT_FIELDS, SEES_ABSENCE
from .paths import RECORD_FOLDERS, SCHEMA, VOCABULARY, default_path, folder_problem, yaml_files
from .rob_tools import check_study
from .schema import check_record, check_schema, loc_name
from .vocab import Vocabulary
from .yamlio import Parsed, display_path, read_yaml

Records = dict[str, dict[str, dict]]  # folder → key → validated record


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
        head = (
            f"{n_studies} {'study' if n_studies == 1 else 'studies'}, {_plural(c.get('outcomes', 0), 'outcome')}, "
            f"{_plural(c.get('regulatory', 0), 'regulatory record')}"
        )
        if c.get("claims"):
            head += f", {_plural(c['claims'], 'claim')}"
        if self.ok:
            return f"{head}: valid; {_plural(len(self.incomplete), 'incomplete citation')}"
        files = len({p.path for p in self.problems})
        return f"{head}: {_plural(len(self.problems), 'problem')} in {_plural(files, 'file')}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def read_vocabulary(root: str | os.PathLike) -> Vocabulary | None:
    """The vocabulary of an evidence folder, or None when it cannot be read (for hints that must
    never stop a command: tag suggestions on import, comments in a study draft)."""
    parsed = read_yaml(Path(root) / VOCABULARY)
    if parsed.data is None:
        return None
    vocab, _problems = Vocabulary.from_data(parsed.data, parsed.path, parsed.lines)
    return vocab


def _read_config(root: Path, problems: list[Problem]) -> tuple[Vocabulary | None, dict | None]:
    vparsed = read_yaml(root / VOCABULARY)
    problems.extend(vparsed.problems)
    vocab = None
    if vparsed.data is not None:
        vocab, vprob = Vocabulary.from_data(vparsed.data, vparsed.path, vparsed.lines)
        problems.extend(vprob)
    sparsed = read_yaml(root / SCHEMA)
    problems.extend(sparsed.problems)
    schema = None
    if sparsed.data is not None:
        sprob = check_schema(sparsed.data, sparsed.path, sparsed.lines)
        problems.extend(sprob)
        schema = sparsed.data if not sprob else None
    return vocab, schema


def _read_folder(
    root: Path, folder: str, kind: str, schema: dict, vocab: Vocabulary, problems: list[Problem]
) -> tuple[dict[str, dict], list[tuple[str, str, int, str, str]]]:
    """Records of one folder keyed by key, and the study references they make."""
    records: dict[str, dict] = {}
    first_file: dict[str, str] = {}
    refs: list[tuple[str, str, int, str, str]] = []  # (path, field, line, key, from_key)
    fields = schema.get(kind, {}).get("fields", {})
    paths = yaml_files(root / folder, problems)
    if paths and kind not in schema:
        problems.append(
            Problem(
                display_path(root / folder),
                None,
                "",
                f"schema.yaml has no '{kind}' section describing these files",
                "bad-schema",
            )
        )
        return records, refs
    for path in paths:
        parsed = read_yaml(path)
        rec = None
        rrefs: list = []
        if parsed.data is not None:
            rec, rrefs = check_record(parsed, fields, vocab)
            if rec is not None and kind == "study":
                parsed.problems.extend(check_study_facts(rec, parsed))
                parsed.problems.extend(check_study(rec, parsed, vocab))
        problems.extend(parsed.problems)
        if rec is None:
            continue
        key = rec.get("key")
        if key and key != path.stem:
            problems.append(
                Problem(
                    parsed.path,
                    parsed.line(("key",)),
                    "key",
                    f"key '{key}' does not match the file name '{path.name}'; "
                    f"rename the file to {key}.yaml or change the key",
                    "key-mismatch",
                )
            )
        if key in first_file:
            problems.append(
                Problem(
                    parsed.path,
                    parsed.line(("key",)),
                    "key",
                    f"key '{key}' is already used by {first_file[key]}; each record needs its own key",
                    "duplicate-key",
                )
            )
            continue
        if key:
            first_file[key] = parsed.path
            rec["_file"] = parsed.path
            rec["_lines"] = {f: parsed.line((f,)) for f in ("key", "doi", "pmid", "registry_id")}
            records[key] = rec
            refs.extend((parsed.path, fld, line, ref, key) for fld, line, ref in rrefs)
    return records, refs


def _duplicates(records: Mapping[str, dict], field_name: str, label: str, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for key, rec in records.items():
        val = rec.get(field_name)
        if not val:
            continue
        norm = str(val).casefold()
        if norm in seen:
            other = records[seen[norm]]
            problems.append(
                Problem(
                    rec["_file"],
                    rec["_lines"].get(field_name),
                    field_name,
                    f"{label} {val} is also in {other['_file']} (key '{seen[norm]}'); "
                    "the same study must not be entered twice: merge the two files",
                    f"duplicate-{field_name}",
                )
            )
        else:
            seen[norm] = key


def check_all(root: Path) -> tuple[list[Problem], Vocabulary | None, dict[str, dict[str, dict]]]:
    problems: list[Problem] = []
    problem = folder_problem(root)  # missing, a file, unreadable, no vocabulary.yaml
    if problem is not None:
        return [problem], None, {}
    vocab, schema = _read_config(root, problems)
    if vocab is None or schema is None:
        return problems, vocab, {}
    out: dict[str, dict[str, dict]] = {}
    all_refs = []
    for folder, kind in RECORD_FOLDERS:
        recs, refs = _read_folder(root, folder, kind, schema, vocab, problems)
        out[folder] = recs
        all_refs.extend(refs)
    studies = out["studies"]
    for fld, label in (("doi", "DOI"), ("pmid", "PMID"), ("registry_id", "registration")):
        _duplicates(studies, fld, label, problems)
    for path, fld, line, ref, from_key in all_refs:
        if ref not in studies:
            hint = _close(ref, studies)
            problems.append(
                Problem(
                    path,
                    line,
                    fld,
                    f"refers to study '{ref}', which is not in "
                    f"evidence/studies/{'; did you mean ' + repr(hint) + '?' if hint else ''}",
                    "dangling-reference",
                )
            )
        elif ref == from_key:
            problems.append(Problem(path, line, fld, "a study cannot refer to itself", "self-reference"))
    return problems, vocab, out


def _close(key: str, keys: Iterable[str]) -> str | None:
    m = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return m[0] if m else None


def validate(path: str | os.PathLike | None = None) -> Report:
    """Check the whole evidence folder; never raises for the user's mistakes, never writes."""
    root = Path(path) if path is not None else default_path()
    problems, vocab, recs = check_all(root)
    studies = recs.get("studies", {})
    counts = {
        "studies": len(studies),
        "outcomes": sum(len(r.get("outcomes") or []) for r in studies.values()),
        "regulatory": len(recs.get("regulatory", {})),
        "claims": len(recs.get("claims", {})),
    }
    incomplete = sorted(k for k, r in studies.items() if levels.citation_status(r) == "incomplete")
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return Report(display_path(root), problems, counts, incomplete)


# ---------------------------------------------------------------------------------------------
# Checks across fields of a study (after the per-field check): what was extracted, and per-arm numbers


def check_study_facts(rec: Mapping[str, Any], parsed: Parsed) -> list[Problem]:
    """Problems that need more than one field: `not_reported` against the extraction level and the
    fields it names, and per-arm outcome numbers (n of 0, negative SD or SE, a confidence interval
    that does not contain its mean, quartiles around the median, arms that add up to more than the
    study's n, more than one control arm)."""
    problems: list[Problem] = []

    def add(loc: tuple, message: str, code: str) -> None:
        problems.append(Problem(parsed.path, parsed.line(loc), loc_name(loc), message, code))

    level = (rec.get("extraction") or {}).get("level")
    for i, name in enumerate(rec.get("not_reported") or []):
        if level not in SEES_ABSENCE:
            add(
                ("not_reported", i),
                f"'{name}' is listed as not reported, but extraction.level is "
                f"{level or 'missing'}: only a full text (or registry record) can show that a study does "
                "not report something; remove it, or read the full text and set extraction.level",
                "not-reported-unseen",
            )
            continue
        given = [f for f in FACT_FIELDS.get(name, ()) if rec.get(f) not in (None, [], "")]
        if given:
            field_name = given[0]
            add(
                ("not_reported", i),
                f"'{name}' is listed as not reported, but the file gives {field_name}; remove one of the two",
                "not-reported-but-given",
            )
    study_n = rec.get("n_participants") if rec.get("n_participants") is not None else rec.get("n_animals")
    for o_i, outcome in enumerate(rec.get("outcomes") or []):
        effect = outcome.get("effect") or {}
        arms = effect.get("arms") or []
        base = ("outcomes", o_i, "effect", "arms")
        controls = [a_i for a_i, arm in enumerate(arms) if arm.get("role") == "control"]
        if len(controls) > 1:
            add(
                base + (controls[1],),
                f"{len(controls)} arms are marked control; mark the one "
                "the intervention is compared with (placebo, vehicle, untreated) and make an active "
                "treatment 'active comparator'",
                "arms-two-controls",
            )
        total = 0
        for a_i, arm in enumerate(arms):
            loc = base + (a_i,)
            n = arm.get("n")
            if n is not None and n <= 0:
                add(
                    loc + ("n",),
                    f"an arm of {n} participants or animals cannot have results; give the "
                    "number analysed in this arm, or leave n null if it is not reported",
                    "arm-n-zero",
                )
            for name in ("sd", "se"):
                if arm.get(name) is not None and arm[name] < 0:
                    add(
                        loc + (name,),
                        f"{name.upper()} {arm[name]:g} is negative; a standard deviation or "
                        "error is never below 0 (check the sign, or whether it is a change)",
                        "arm-negative-spread",
                    )
            lo, hi, mean = arm.get("ci_low"), arm.get("ci_high"), arm.get("mean")
            if (lo is None) != (hi is None):
                add(
                    loc + ("ci_low" if lo is None else "ci_high",),
                    "a confidence interval needs both ci_low and ci_high",
                    "arm-ci-half",
                )
            elif lo is not None and lo > hi:
                add(loc + ("ci_low",), f"ci_low {lo:g} is above ci_high {hi:g}; swap them", "arm-ci-order")
            elif lo is not None and mean is not None and not lo <= mean <= hi:
                add(
                    loc + ("mean",),
                    f"the mean {mean:g} lies outside its confidence interval "
                    f"{lo:g} to {hi:g}; check both against the source",
                    "arm-ci-excludes-mean",
                )
            q1, q3, median = arm.get("q1"), arm.get("q3"), arm.get("median")
            if q1 is not None and q3 is not None and q1 > q3:
                add(loc + ("q1",), f"q1 {q1:g} is above q3 {q3:g}; swap them", "arm-quartile-order")
            elif median is not None and q1 is not None and q3 is not None and not q1 <= median <= q3:
                add(
                    loc + ("median",),
                    f"the median {median:g} lies outside its quartiles {q1:g} to {q3:g}",
                    "arm-median-outside-iqr",
                )
            if arm.get("events") is not None and n is not None and arm["events"] > n:
                add(loc + ("events",), f"{arm['events']} events in an arm of {n}", "arm-events-above-n")
            if n is not None and n > 0:
                total += n
                if study_n is not None and n > study_n:
                    add(
                        loc + ("n",),
                        f"this arm has {n}, more than the study's {study_n} "
                        "(n_participants or n_animals); check both",
                        "arms-exceed-study-n",
                    )
        if study_n is not None and not effect.get("paired") and total > study_n and len(arms) > 1:
            add(
                base,
                f"the arms add up to {total}, more than the study's {study_n} (n_participants or "
                "n_animals); if the arms are the same people or animals (split-scalp, two flanks) set "
                "paired: true, otherwise check the numbers",
                "arms-exceed-study-n",
            )
    return problems
