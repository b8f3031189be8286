"""exoreview.app.changes and `exoreview changes`: the evidence at a git revision beside today's,
tested in a temporary git repository holding a copy of the shipped evidence."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import EVIDENCE

from exoreview.app.changes import changes_html, compare
from exoreview.appraisal.grade import assess_all
from exoreview.cli import main
from exoreview.core.evidence import load

CHANGED = "lee-2024-asc-exosomes-aga"  # a study whose notes and year are edited
COPIED = "rajendran-2017-msc-evs"  # copied under a new key: the study added
NEW_KEY = "new-2026-added-study"
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def git(cwd, *args):
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def grades(root):
    return {a.claim.key: (a.verdict, a.certainty_shown) for a in assess_all(load(root))}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A repository whose first commit holds the shipped evidence; its second adds a study,
    changes one and removes the regulatory records (which changes claims' verdicts)."""
    top = tmp_path_factory.mktemp("repo")
    root = top / "evidence"
    root.mkdir()
    for name in ("vocabulary.yaml", "schema.yaml"):
        shutil.copy(EVIDENCE / name, root / name)
    for folder in ("studies", "regulatory", "claims"):
        shutil.copytree(EVIDENCE / folder, root / folder)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "first meeting")
    git(top, "tag", "meeting-1")
    first = git(top, "rev-parse", "HEAD")
    before = grades(root)

    rec = yaml.safe_load((root / "studies" / f"{COPIED}.yaml").read_text(encoding="utf-8"))
    rec.update(key=NEW_KEY, title="A study added after the first meeting", doi=None, pmid=None)
    rec = {k: v for k, v in rec.items() if v is not None}
    rec.pop("registry_id", None)
    rec.pop("screening_record", None)
    (root / "studies" / f"{NEW_KEY}.yaml").write_text(yaml.safe_dump(rec, sort_keys=False), encoding="utf-8")
    path = root / "studies" / f"{CHANGED}.yaml"
    changed = yaml.safe_load(path.read_text(encoding="utf-8"))
    old_year = changed["year"]
    changed["year"] = old_year - 1
    changed["notes"] = "Edited after the first meeting."
    path.write_text(yaml.safe_dump(changed, sort_keys=False, allow_unicode=True), encoding="utf-8")
    removed = sorted(p.stem for p in (root / "regulatory").glob("*.yaml"))
    shutil.rmtree(root / "regulatory")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "second meeting")
    after = grades(root)
    return {
        "top": top,
        "root": root,
        "first": first,
        "before": before,
        "after": after,
        "old_year": old_year,
        "removed": removed,
    }


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_setup_changes_a_verdict(repo):
    moved = [k for k in repo["after"] if repo["before"].get(k) != repo["after"][k]]
    assert moved, "removing the regulatory records should change at least one claim's grade"


def test_compare_finds_added_changed_removed_and_the_verdicts(repo):
    result = compare(repo["root"], repo["first"])
    assert [s["key"] for s in result.studies.added] == [NEW_KEY]
    changed = dict(result.studies.changed)
    assert list(changed) == [CHANGED]
    fields = {f.field: f for f in changed[CHANGED]}
    assert set(fields) == {"year", "notes"}
    assert (fields["year"].old, fields["year"].new) == (repo["old_year"], repo["old_year"] - 1)
    assert [s["key"] for s in result.regulatory.removed] == repo["removed"]
    assert result.claims_added == result.claims_removed == ()
    for c in result.claims:  # then: the first commit graded with today's rules; now: the folder today
        assert c.then is not None and c.now is not None
        assert (c.then.verdict, c.then.certainty_shown) == repo["before"][c.key]
        assert (c.now.verdict, c.now.certainty_shown) == repo["after"][c.key]
        assert c.verdict_or_certainty_changed == (repo["before"][c.key] != repo["after"][c.key])


def test_text_output(repo, capsys):
    code, out, err = run(capsys, "changes", "--since", repo["first"], "--evidence", str(repo["root"]))
    assert code == 0, err
    assert f"  + {NEW_KEY}: A study added after the first meeting" in out
    line = next(line for line in out.splitlines() if line.startswith(f"  ~ {CHANGED}: "))
    assert f"year {repo['old_year']} → {repo['old_year'] - 1}" in line
    assert "notes — → Edited after the first meeting." in line
    for key, (verdict, certainty) in repo["after"].items():
        old_verdict, old_certainty = repo["before"][key]
        if (verdict, certainty) != (old_verdict, old_certainty):
            assert (
                f"  ! {key}: verdict {old_verdict} → {verdict}; certainty {old_certainty} → {certainty}"
                in out
            )
        else:
            assert f"  = {key}: {verdict}, {certainty}" in out


def test_json_output(repo, capsys):
    code, out, _ = run(
        capsys, "changes", "--since", "meeting-1", "--format", "json", "--evidence", str(repo["root"])
    )
    assert code == 0
    data = json.loads(out)
    assert data["commit"] == repo["first"] and data["since"] == "meeting-1"
    assert [s["key"] for s in data["studies"]["added"]] == [NEW_KEY]
    assert [c["key"] for c in data["studies"]["changed"]] == [CHANGED]
    graded = {c["claim"]: c for c in data["claims"]["graded"]}
    assert set(graded) == set(repo["after"])
    for key, c in graded.items():
        assert (c["then"]["verdict"], c["then"]["certainty"]) == repo["before"][key]
        assert (c["now"]["verdict"], c["now"]["certainty"]) == repo["after"][key]
        for d in c["domains_changed"]:
            assert d["then"] != d["now"] and d["reason_now"]


def test_a_date_means_the_last_commit_before_it(repo, capsys):
    code, out, _ = run(
        capsys, "changes", "--since", TOMORROW, "--format", "json", "--evidence", str(repo["root"])
    )
    assert code == 0
    data = json.loads(out)
    assert data["commit"] == git(repo["top"], "rev-parse", "HEAD")
    assert data["studies"] == {"added": [], "removed": [], "changed": []}


def test_the_since_section_shows_the_same(repo):
    result = compare(repo["root"], repo["first"])
    page = changes_html(result)
    assert NEW_KEY in page and CHANGED in page and "<table" in page
    for key, now in repo["after"].items():
        if now != repo["before"][key]:
            assert f"<b>{key}</b>" in page
        else:
            assert f"<b>{key}</b>" not in page
    assert "<script" not in page


def test_the_dashboard_shows_the_same_for_a_typed_revision(repo, monkeypatch):
    from exoreview.app.since_view import PROMPT, SinceView

    monkeypatch.delenv("EXOREVIEW_SINCE", raising=False)
    view = SinceView(load(repo["root"]))
    assert view.current is None and view.output.value == PROMPT  # nothing typed: what to type
    view.revision.value = "meeting-1"  # typing runs the comparison
    assert view.current is not None and view.output.value == changes_html(compare(repo["root"], "meeting-1"))
    assert NEW_KEY in view.output.value
    view.revision.value = "no-such-rev"  # the CLI's one line, nothing kept from before
    assert view.current is None and "--since no-such-rev: not a revision, tag or date" in view.output.value
    monkeypatch.setenv("EXOREVIEW_SINCE", "meeting-1")  # make dashboard opens on the last meeting
    assert SinceView(load(repo["root"])).current is not None


def test_the_dashboard_outside_a_repository_says_so(make_evidence):
    from exoreview.app.since_view import SinceView

    view = SinceView(load(make_evidence()), since="meeting-1")
    assert view.current is None and "git" in view.output.value and "<table" not in view.output.value


@pytest.mark.parametrize(
    "since, expected",
    [
        ("no-such-rev", "--since no-such-rev: not a revision, tag or date"),
        ("1999-01-01", "--since 1999-01-01: no commit before that date"),
        ("--all", "--since --all: not a revision"),
    ],
)
def test_a_bad_revision_is_one_line_exit_2(repo, capsys, since, expected):
    code, out, err = run(capsys, "changes", f"--since={since}", "--evidence", str(repo["root"]))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err, err


def test_outside_a_repository_is_one_line_exit_2(tmp_path, capsys):
    root = tmp_path / "evidence"
    root.mkdir()
    for name in ("vocabulary.yaml", "schema.yaml"):
        shutil.copy(EVIDENCE / name, root / name)
    code, out, err = run(capsys, "changes", "--since", "HEAD", "--evidence", str(root))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "is not inside a git repository" in err, err


def test_a_folder_not_tracked_at_the_revision_is_one_line_exit_2(tmp_path, capsys):
    (tmp_path / "README").write_text("before the evidence\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "no evidence yet")
    root = tmp_path / "evidence"
    (root / "studies").mkdir(parents=True)
    for name in ("vocabulary.yaml", "schema.yaml"):
        shutil.copy(EVIDENCE / name, root / name)
    code, out, err = run(capsys, "changes", "--since", "HEAD", "--evidence", str(root))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "was not a tracked evidence folder" in err, err


def test_an_old_folder_that_no_longer_validates_is_reported(make_evidence, capsys):
    root = make_evidence(
        {
            f"{COPIED}.yaml": (EVIDENCE / "studies" / f"{COPIED}.yaml").read_text(encoding="utf-8"),
            "broken-2020.yaml": "key: broken-2020\nyear: not a year\n",
        }
    )
    top = root.parent
    git(top, "init", "-q")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "a broken file")
    (root / "studies" / "broken-2020.yaml").unlink()
    code, out, err = run(capsys, "changes", "--since", "HEAD", "--format", "json", "--evidence", str(root))
    assert code == 0, err
    data = json.loads(out)
    assert data["problems_then"] and all("broken-2020.yaml" in p for p in data["problems_then"])
    assert data["studies"] == {"added": [], "removed": [], "changed": []}


def test_report_since_has_the_section_after_the_first(repo, tmp_path):
    from exoreview.app.report import build

    result = build(
        evidence=repo["root"],
        out=tmp_path / "report",
        notebooks=None,
        figures=(),
        progress=False,
        since="meeting-1",
    )
    page = result.index.read_text(encoding="utf-8")
    ids = re.findall(r'<section id="([\w-]+)"', page)
    assert ids.index("since") == ids.index("summary-of-findings") + 1, ids
    section = page[page.index('<section id="since"') :]
    section = section[: section.index("</section>")]
    assert "Since the last meeting" in section and NEW_KEY in section and CHANGED in section
    assert section.count("<tr><td><b>") == sum(repo["after"][k] != repo["before"][k] for k in repo["after"])


def test_report_with_a_bad_revision_writes_nothing(repo, tmp_path, capsys):
    code, _out, err = run(
        capsys,
        "report",
        "--since",
        "no-such-rev",
        "--evidence",
        str(repo["root"]),
        "--out",
        str(tmp_path / "report"),
        "--notebooks",
        str(tmp_path),
        "--no-progress",
    )
    assert code == 2 and "not a revision" in err and err.count("\n") == 1
    assert not (tmp_path / "report").exists()
