"""Two reviewers on two git branches of one review, merged in a real temporary git repository
with the repository's .gitattributes: every decision and every import is kept, and ids given
twice by two branches' imports are found and fixed by the documented command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from exoreview.cli import main
from exoreview.errors import EvidenceError
from exoreview.screening.decisions import decide
from exoreview.screening.importer import import_records
from exoreview.screening.log import read_log
from exoreview.screening.prisma import counts

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert out.returncode == 0, f"git {' '.join(args)}: {out.stdout}{out.stderr}"
    return out.stdout


@pytest.fixture
def repo(make_evidence) -> Path:
    """A git repository holding an evidence folder with one import (R0001–R0005), committed on main."""
    ev = make_evidence()
    top = ev.parent
    shutil.copy(ROOT / ".gitattributes", top / ".gitattributes")
    shutil.copy(ROOT / ".gitignore", top / ".gitignore")
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.name", "Test Reviewer")
    git(top, "config", "user.email", "test@example.org")
    import_records([DATA / "pubmed-search.nbib"], evidence=ev).save()
    commit(top, "first import")
    return top


def commit(top: Path, message: str) -> None:
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", message)


def screen(top: Path, branch: str, reviewer: str, decisions: dict[str, str]) -> None:
    git(top, "checkout", "-q", branch)
    for rid, decision in decisions.items():
        decide(top / "evidence", [rid], stage="ta", decision=decision, reviewer=reviewer)
    commit(top, f"{reviewer} screens")


def test_the_lock_file_is_not_tracked(repo):
    decide(repo / "evidence", ["R0001"], stage="ta", decision="include", reviewer="AB")
    assert git(repo, "check-attr", "merge", "evidence/screening/decisions.csv").strip().endswith("union")
    (repo / "evidence" / "screening" / ".lock").write_text("")  # as a crashed soft lock leaves it
    status = git(repo, "status", "--porcelain", "--untracked-files=all").split()
    assert status == ["??", "evidence/screening/decisions.csv"]


def test_two_reviewers_decisions_merge_without_conflicts(repo):
    ev = repo / "evidence"
    git(repo, "branch", "ab")
    git(repo, "branch", "cd")
    screen(repo, "ab", "AB", {"R0001": "include", "R0002": "exclude", "R0003": "maybe"})
    screen(repo, "cd", "CD", {"R0001": "include", "R0002": "include", "R0004": "exclude"})
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-edit", "ab")
    git(repo, "merge", "-q", "--no-edit", "cd")  # both appended to decisions.csv: no conflict
    log = read_log(ev)  # strict: every line whole, no header twice
    got = sorted(zip(log.decisions["record"], log.decisions["reviewer"], log.decisions["decision"]))
    assert got == [
        ("R0001", "AB", "include"),
        ("R0001", "CD", "include"),
        ("R0002", "AB", "exclude"),
        ("R0002", "CD", "include"),
        ("R0003", "AB", "maybe"),
        ("R0004", "CD", "exclude"),
    ]
    assert list(log.conflicts("ta")["record"].unique()) == ["R0002"]
    assert counts(log).check() == []


def test_two_branches_that_import_merge_and_the_id_clash_is_fixed_by_renumber(repo, capsys):
    ev = repo / "evidence"
    git(repo, "branch", "ab")
    git(repo, "branch", "cd")
    git(repo, "checkout", "-q", "ab")
    import_records([DATA / "embase-search.ris"], evidence=ev).save()  # R0006-R0012
    commit(repo, "AB imports Embase")
    screen(repo, "ab", "AB", {"R0001": "include", "R0008": "include"})  # R0006-7 repeat R0001-2
    git(repo, "checkout", "-q", "cd")
    import_records([DATA / "zotero-library.csv"], evidence=ev).save()  # R0006-R0008 as well
    commit(repo, "CD imports a Zotero library")
    screen(repo, "cd", "CD", {"R0001": "exclude", "R0006": "include", "R0007": "maybe"})
    batches = {
        "ab": git(repo, "ls-tree", "--name-only", "ab", "evidence/screening/records/").split(),
        "cd": git(repo, "ls-tree", "--name-only", "cd", "evidence/screening/records/").split(),
    }
    made = {
        b: Path(next(f for f in files if f not in batches["ab" if b == "cd" else "cd"])).name
        for b, files in batches.items()
    }

    git(repo, "checkout", "-q", "ab")
    git(repo, "merge", "-q", "--no-edit", "cd")  # git merges: batch files never share a name
    assert len(list((ev / "screening" / "records").iterdir())) == 3
    with pytest.raises(EvidenceError) as err:
        read_log(ev)
    (p,) = [p for p in err.value.problems if p.code == "duplicate-id"]
    # reported once, on the file that sorts later (either branch may renumber)
    branch = next(b for b, name in made.items() if p.path.endswith(name))
    other = made["cd" if branch == "ab" else "ab"]
    assert p.field == "id" and other in p.message
    assert "R0006 is also in" in p.message and "(and 2 more, to R0008)" in p.message
    fix = re.search(r"`exoreview screen renumber --from (R\d+) --to (R\d+)`", p.message)
    assert fix and fix.group(1, 2) == ("R0006", "R0013")
    assert "git reset --hard ORIG_HEAD" in p.message and made[branch] in p.message

    # what the message says: undo the merge, renumber on the branch that made the file, merge again
    git(repo, "reset", "-q", "--hard", "ORIG_HEAD")
    git(repo, "checkout", "-q", branch)
    assert main(["screen", "renumber", "--from", "R0006", "--to", "R0013", "--evidence", str(ev)]) == 0
    assert "rewrote" in capsys.readouterr().out
    commit(repo, f"{branch} renumbers its import")
    git(repo, "checkout", "-q", "ab")
    git(repo, "merge", "-q", "--no-edit", "cd")

    def moved(rid: str, who: str) -> str:  # the renumbered branch's ids from R0006 on, 7 up
        n = int(rid[1:])
        return f"R{n + 7:04d}" if who == branch and n >= 6 else rid

    log = read_log(ev)
    assert log.records["id"].is_unique and len(log.records) == 5 + 7 + 3
    assert len(set(log.records["batch"])) == 3
    got = sorted(zip(log.decisions["record"], log.decisions["reviewer"], log.decisions["decision"]))
    assert got == sorted(
        [
            ("R0001", "AB", "include"),
            ("R0001", "CD", "exclude"),
            (moved("R0008", "ab"), "AB", "include"),
            (moved("R0006", "cd"), "CD", "include"),  # each decision moved with its record
            (moved("R0007", "cd"), "CD", "maybe"),
        ]
    )
    zotero = log.records[log.records["batch"] == made["cd"].removesuffix(".csv")]
    assert list(zotero["id"]) == [moved(r, "cd") for r in ("R0006", "R0007", "R0008")]
    embase = log.records[log.records["batch"] == made["ab"].removesuffix(".csv")]
    assert list(embase["id"]) == [moved(f"R{n:04d}", "ab") for n in range(6, 13)]
    assert list(embase["duplicate_of"].dropna()) == ["R0001", "R0002", "R0005"]  # earlier records: not moved
    assert counts(log).check() == []
    assert main(["prisma", "--evidence", str(ev), "--format", "json"]) == 0
