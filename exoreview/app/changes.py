"""What changed since the last meeting: the evidence folder at a git revision beside today's.

``compare(evidence, since)`` reads the evidence folder as it was at ``since`` (a revision, a tag
or a date: the last commit before it) with git (``git archive`` into a temporary folder; the
history is read, never copied), loads it leniently (an old folder that no longer validates is
reported, its valid files still compared), and returns :class:`Changes`:

- studies and regulatory records added, removed and changed (which fields; old → new for short
  values);
- claims added and removed, and every claim graded at ``since`` (the old evidence, today's
  rules) beside today's grade: verdict, certainty and domain ratings, with the reasons of the
  domains that changed.

Today is the evidence folder as it is on disk (uncommitted edits included). Outside a git
repository, with an unknown revision, or with an evidence folder git did not track at that
revision, :class:`~exoreview.errors.UsageError` says so in one line (exit 2 from the CLI).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..appraisal.assessment import Assessment
from ..appraisal.grade import assess_all
from ..core.evidence import Evidence, build, load
from ..core.paths import RECORD_FOLDERS, SCHEMA, VOCABULARY
from ..core.validate import check_all
from ..core.yamlio import display_path
from ..errors import UsageError

SHORT = 60  # a value shown old → new when its text is at most this long
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")
KINDS = (("studies", "studies"), ("regulatory", "regulatory records"))


# ------------------------------------------------------------------------------------------- git
def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError(
            "git is not installed; `changes --since` reads the evidence's history with git"
        ) from None


def _text(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stdout.decode("utf-8", "replace").strip()


@dataclass(frozen=True)
class Revision:
    given: str  # what the user typed
    commit: str  # full hash
    date: str  # committer date, ISO
    subject: str


def resolve(folder: Path, rev: str) -> Revision:
    """The commit `rev` names (a revision, a tag, or an ISO date: the last commit before it)."""
    if _git(folder, "rev-parse", "--show-toplevel").returncode != 0:
        raise UsageError(f"{display_path(folder)} is not inside a git repository; --since needs its history")
    rev = rev.strip()
    proc = _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    commit = _text(proc) if proc.returncode == 0 and rev and not rev.startswith("-") else ""
    if not commit and _DATE.match(rev):
        before = rev if len(rev) > 10 else f"{rev} 00:00:00"  # a day alone: before that day begins
        commit = _text(_git(folder, "rev-list", "-1", f"--before={before}", "HEAD"))
        if not commit:
            raise UsageError(f"--since {rev}: no commit before that date; pick a later date or a revision")
    if not commit:
        raise UsageError(
            f"--since {rev}: not a revision, tag or date (YYYY-MM-DD) of this repository; "
            "see `git log --oneline` or `git tag`"
        )
    date, _, subject = _text(_git(folder, "show", "-s", "--format=%cI%x09%s", commit)).partition("\t")
    return Revision(rev, commit, date, subject)


@contextmanager
def evidence_at(folder: Path, revision: Revision) -> Iterator[Path]:
    """The evidence folder's vocabulary, schema and record folders as they were at `revision`,
    in a temporary folder removed afterwards."""
    prefix = _text(_git(folder, "rev-parse", "--show-prefix"))
    wanted = {VOCABULARY, SCHEMA, *(f for f, _kind in RECORD_FOLDERS)}
    listed = _git(folder, "ls-tree", "--name-only", revision.commit, "--", ".")
    names = [n.rsplit("/", 1)[-1] for n in _text(listed).splitlines()] if listed.returncode == 0 else []
    paths = [prefix + n for n in names if n in wanted]
    if VOCABULARY not in names:
        raise UsageError(
            f"{display_path(folder)} was not a tracked evidence folder at {revision.commit[:9]} "
            f"({revision.date[:10]}); pick a later revision"
        )
    tmp = Path(tempfile.mkdtemp(prefix="exoreview-since-"))
    try:
        top = Path(_text(_git(folder, "rev-parse", "--show-toplevel")))
        proc = _git(top, "archive", "--format=tar", revision.commit, "--", *paths)
        if proc.returncode != 0:
            raise UsageError(
                f"git archive {revision.commit[:9]} failed: {proc.stderr.decode(errors='replace').strip()}"
            )
        tar_path = tmp / "evidence.tar"
        tar_path.write_bytes(proc.stdout)
        with tarfile.open(tar_path) as tar:
            for member in tar.getmembers():  # git's own archive: plain files and folders under the prefix
                if member.isfile() or member.isdir():
                    tar.extract(member, tmp / "tree", set_attrs=False)
        yield tmp / "tree" / prefix if prefix else tmp / "tree"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------------- load leniently
def load_lenient(root: Path) -> tuple[Evidence | None, list[str]]:
    """The evidence of an old folder, built from the files that still validate, and the problems
    of the others (one line each). None when not even the vocabulary can be read."""
    problems, vocab, recs = check_all(root)
    lines = [str(p).replace(str(root), "evidence").lstrip(": ") for p in problems]
    if vocab is None:
        return None, lines
    bad = {p.path for p in problems}
    kept = {
        folder: {k: r for k, r in recs.get(folder, {}).items() if r.get("_file") not in bad}
        for folder, _kind in RECORD_FOLDERS
    }
    studies = kept["studies"]
    claims = {k: r for k, r in kept["claims"].items() if _cites_known(r, studies)}
    return build(studies, kept["regulatory"], claims, vocab, str(root)), lines


def _cites_known(rec: Mapping[str, Any], studies: Mapping[str, Any]) -> bool:
    """False when the claim cites a study left out (its file no longer validates)."""
    return all(c.get("study") in studies for c in rec.get("cites") or [] if c.get("study"))


# ------------------------------------------------------------------------------------------- diff
def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def _shown(value: Any) -> Any:
    """A short scalar as it is; a list as 'N items'; anything long as None (the field is named only)."""
    if isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict) or len(str(value)) > SHORT:
        return None
    return value


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any  # a short value, 'N items', or None when too long to show
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}

    def describe(self) -> str:
        if self.old is None and self.new is None:
            return self.field
        return f"{self.field} {self.old if self.old is not None else '—'} → {self.new if self.new is not None else '—'}"


@dataclass(frozen=True)
class RecordDiff:
    added: tuple[dict[str, Any], ...]  # {key, title, year}
    removed: tuple[dict[str, Any], ...]
    changed: tuple[tuple[str, tuple[FieldChange, ...]], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [{"key": k, "fields": [f.to_dict() for f in fs]} for k, fs in self.changed],
        }


def _field_change(name: str, old: Any, new: Any) -> FieldChange:
    """A list edited in place ('2 items' both sides) is named only."""
    return FieldChange(name, None, None) if old == new else FieldChange(name, old, new)


def _brief(key: str, rec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "title": rec.get("title"),
        "year": rec.get("year") or str(rec.get("date") or "")[:4] or None,
    }


def diff_records(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> RecordDiff:
    changed = []
    for key in sorted(set(old) & set(new)):
        a = {k: v for k, v in _plain(dict(old[key])).items() if not k.startswith("_")}
        b = {k: v for k, v in _plain(dict(new[key])).items() if not k.startswith("_")}
        fields = tuple(
            _field_change(f, _shown(a.get(f)) if f in a else None, _shown(b.get(f)) if f in b else None)
            for f in [*a, *(f for f in b if f not in a)]
            if a.get(f) != b.get(f)
        )
        if fields:
            changed.append((key, fields))
    return RecordDiff(
        tuple(_brief(k, new[k]) for k in sorted(set(new) - set(old))),
        tuple(_brief(k, old[k]) for k in sorted(set(old) - set(new))),
        tuple(changed),
    )


# ------------------------------------------------------------------------------------------ claims
@dataclass(frozen=True)
class ClaimChange:
    key: str
    statement: str
    then: Assessment | None  # None: the claim was not there (or could not be graded) at the revision
    now: Assessment | None  # None: the claim was removed

    @property
    def changed(self) -> bool:
        return self.then is None or self.now is None or _grade(self.then) != _grade(self.now)

    @property
    def verdict_or_certainty_changed(self) -> bool:
        return self.then is None or self.now is None or _grade(self.then)[:2] != _grade(self.now)[:2]

    def domains_changed(self) -> list[dict[str, Any]]:
        if self.then is None or self.now is None:
            return []
        out = []
        for d in self.now.domains:
            old = next((o for o in self.then.domains if o.name == d.name), None)
            if old is None or old.rating != d.rating:
                out.append(
                    {
                        "domain": d.name,
                        "then": old.rating if old else None,
                        "now": d.rating,
                        "reason_then": old.reason if old else None,
                        "reason_now": d.reason,
                    }
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.key,
            "statement": self.statement,
            "changed": self.changed,
            "then": _side(self.then),
            "now": _side(self.now),
            "domains_changed": self.domains_changed(),
        }


def _grade(a: Assessment) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return a.verdict, a.certainty_shown, tuple((d.name, d.rating) for d in a.domains)


def _side(a: Assessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "verdict": a.verdict,
        "certainty": a.certainty_shown,
        "domains": {d.name: d.rating for d in a.domains},
        "reasons": list(a.reasons),
    }


# ---------------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Changes:
    revision: Revision
    evidence: str
    studies: RecordDiff
    regulatory: RecordDiff
    claims_added: tuple[str, ...]
    claims_removed: tuple[str, ...]
    claims: tuple[ClaimChange, ...]
    problems_then: tuple[str, ...] = field(default=())

    @property
    def claims_changed(self) -> tuple[ClaimChange, ...]:
        return tuple(c for c in self.claims if c.then is not None and c.now is not None and c.changed)

    def to_dict(self) -> dict[str, Any]:
        r = self.revision
        return {
            "since": r.given,
            "commit": r.commit,
            "date": r.date,
            "subject": r.subject,
            "evidence": self.evidence,
            "problems_then": list(self.problems_then),
            "studies": self.studies.to_dict(),
            "regulatory": self.regulatory.to_dict(),
            "claims": {
                "added": list(self.claims_added),
                "removed": list(self.claims_removed),
                "graded": [c.to_dict() for c in self.claims],
            },
        }

    def heading(self) -> str:
        r = self.revision
        subject = r.subject if len(r.subject) <= SHORT else r.subject[: SHORT - 1] + "…"
        return f"since {r.given} ({r.commit[:9]}, {r.date[:10]}: {subject})"

    def to_text(self) -> str:
        lines = [f"Changes to {self.evidence} {self.heading()}; today = the folder as it is now", ""]
        if self.problems_then:
            lines.append(
                f"note: at {self.revision.commit[:9]} the evidence does not validate under today's code "
                f"({len(self.problems_then)} problems; those files are left out), first: {self.problems_then[0]}"
            )
        for attr, label in KINDS:
            d: RecordDiff = getattr(self, attr)
            lines.append(
                f"{label.capitalize()}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
            )
            lines += [f"  + {s['key']}: {s['title']} ({s['year'] or 'n.d.'})" for s in d.added]
            lines += [f"  - {s['key']}: {s['title']} ({s['year'] or 'n.d.'})" for s in d.removed]
            lines += [f"  ~ {k}: " + "; ".join(f.describe() for f in fs) for k, fs in d.changed]
        n_vc = sum(1 for c in self.claims if c.then and c.now and c.verdict_or_certainty_changed)
        lines.append(
            f"Claims: {len(self.claims_added)} added, {len(self.claims_removed)} removed, {n_vc} changed verdict "
            f"or certainty, {len(self.claims_changed)} changed in any domain (then → now, today's rules)"
        )
        for c in self.claims:
            lines.append(_claim_line(c))
            for dc in c.domains_changed():
                lines.append(f"      {dc['domain']}: {dc['then']} → {dc['now']}: {dc['reason_now']}")
        return "\n".join(lines)


def _claim_line(c: ClaimChange) -> str:
    if c.then is None and c.now is not None:
        return f"  + {c.key}: new claim: {c.now.verdict}, {c.now.certainty_shown}"
    if c.now is None and c.then is not None:
        return f"  - {c.key}: removed (was {c.then.verdict}, {c.then.certainty_shown})"
    assert c.then is not None and c.now is not None
    if not c.changed:
        return f"  = {c.key}: {c.now.verdict}, {c.now.certainty_shown}"
    if not c.verdict_or_certainty_changed:
        return f"  ~ {c.key}: {c.now.verdict}, {c.now.certainty_shown} (unchanged); domains changed:"
    return (
        f"  ! {c.key}: verdict {c.then.verdict} → {c.now.verdict}; "
        f"certainty {c.then.certainty_shown} → {c.now.certainty_shown}"
    )


def compare(evidence: str | Path, since: str, today: Evidence | None = None) -> Changes:
    """The evidence folder at `since` beside today's (see the module docstring)."""
    folder = Path(evidence).resolve()
    revision = resolve(folder, since)
    now = today if today is not None else load(folder)
    with evidence_at(folder, revision) as old_root:
        then, problems = load_lenient(old_root)
        graded_then = {a.claim.key: a for a in assess_all(then)} if then is not None else {}
    graded_now = {a.claim.key: a for a in assess_all(now)}
    old_claims = dict(then.claim_records) if then is not None else {}
    keys = list(dict.fromkeys([*now.claim_records, *old_claims]))
    claims = tuple(
        ClaimChange(
            k,
            str((now.claim_records.get(k) or old_claims.get(k) or {}).get("statement", "")),
            graded_then.get(k),
            graded_now.get(k),
        )
        for k in keys
    )
    return Changes(
        revision=revision,
        evidence=display_path(folder),
        studies=diff_records(dict(then.records) if then else {}, now.records),
        regulatory=diff_records(dict(then.regulatory_records) if then else {}, now.regulatory_records),
        claims_added=tuple(k for k in now.claim_records if k not in old_claims),
        claims_removed=tuple(k for k in old_claims if k not in now.claim_records),
        claims=claims,
        problems_then=tuple(problems),
    )


# ------------------------------------------------------------------------------------------ HTML
def _items(rows: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{r}</li>" for r in rows) + "</ul>" if rows else "<p>None.</p>"


def changes_html(result: Changes) -> str:
    """The "Since the last meeting" section: added, removed and changed records, and a table of
    the claims whose verdict or certainty changed (every text escaped)."""
    e = html.escape
    parts = [
        f"<p class=\"since\">The evidence {e(result.heading())} beside today's, graded with today's rules.</p>"
    ]
    if result.problems_then:
        parts.append(
            f'<p class="note">At that revision {len(result.problems_then)} files no longer validate and are '
            f"left out; first: {e(result.problems_then[0])}</p>"
        )
    for attr, label in KINDS:
        d: RecordDiff = getattr(result, attr)
        parts.append(f"<h3>{e(label.capitalize())}</h3>")
        rows = [
            f"<b>added</b> {e(s['key'])}: {e(str(s['title']))} ({e(str(s['year'] or 'n.d.'))})"
            for s in d.added
        ]
        rows += [
            f"<b>removed</b> {e(s['key'])}: {e(str(s['title']))} ({e(str(s['year'] or 'n.d.'))})"
            for s in d.removed
        ]
        rows += [f"<b>changed</b> {e(k)}: " + e("; ".join(f.describe() for f in fs)) for k, fs in d.changed]
        parts.append(_items(rows))
    parts.append("<h3>Claims</h3>")
    rows = [f"<b>added</b> {e(k)}" for k in result.claims_added]
    rows += [f"<b>removed</b> {e(k)}" for k in result.claims_removed]
    if rows:
        parts.append(_items(rows))
    moved = [
        c
        for c in result.claims
        if c.then is not None and c.now is not None and c.verdict_or_certainty_changed
    ]
    if not moved:
        parts.append("<p>No claim changed verdict or certainty.</p>")
        return "".join(parts)
    head = "".join(
        f"<th>{h}</th>"
        for h in ("claim", "verdict then", "verdict now", "certainty then", "certainty now", "why")
    )
    body = []
    for c in moved:
        assert c.then is not None and c.now is not None
        why = "; ".join(
            f"{d['domain']}: {d['then']} → {d['now']}: {d['reason_now']}" for d in c.domains_changed()
        )
        why = why or "; ".join(c.now.reasons)
        body.append(
            f"<tr><td><b>{e(c.key)}</b><br>{e(c.statement)}</td><td>{e(c.then.verdict)}</td>"
            f"<td>{e(c.now.verdict)}</td><td>{e(c.then.certainty_shown)}</td><td>{e(c.now.certainty_shown)}</td>"
            f"<td>{e(why)}</td></tr>"
        )
    parts.append(
        f'<table class="since-claims"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    return "".join(parts)
