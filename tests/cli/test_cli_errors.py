"""Every command exits 0 / 1 / 2 and prints one clear line per problem, never a traceback.

Each command is run with a missing evidence folder, a file where a folder is expected (and the
reverse), unreadable folders and files, unwritable outputs and bad options; each case checks the
exit status, that every stderr line names the path (and what to do), and that nothing was written.

Unreadable and unwritable paths are tested twice: with a real ``chmod`` (skipped as root, who
reads and writes whatever the mode says, as in CI), and with a root-proof simulation that makes
what exoreview reads and writes with (``os.scandir``, ``os.listdir``, ``Path.open`` /
``read_bytes`` / ``read_text``, ``tempfile.mkstemp``, ``os.access``) fail with EACCES under one
path. ``report`` is only checked up to its early checks: its figures and notebook runner are
replaced by a tripwire, so no notebook ever runs here.
"""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import EVIDENCE, EXHIBIT

import exoreview.app.notebook
import exoreview.app.report
from exoreview.cli import main
from exoreview.screening.importer import import_records

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
NBIB = DATA / "pubmed-search.nbib"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOT_ROOT = pytest.mark.skipif(IS_ROOT, reason="as root chmod does not block reading or writing")
HOW = [pytest.param("chmod", marks=NOT_ROOT), "simulated"]
DENIED = "permission denied"

# every command as argv after `exoreview`, without --evidence; {names} are filled from the fixture
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate"],
    "list": ["list"],
    "quality": ["quality"],
    "grade": ["grade"],
    "audit": ["audit", "{text}"],
    "import": ["import", "{nbib}"],
    "screen list": ["screen", "list"],
    "screen decide": ["screen", "decide", "R0001", "--stage", "ta", "--include", "--reviewer", "AB"],
    "screen duplicate": ["screen", "duplicate", "R0002", "--not-duplicate", "--reviewer", "AB"],
    "screen conflicts": ["screen", "conflicts"],
    "screen kappa": ["screen", "kappa", "--reviewers", "AB", "CD"],
    "screen make-study": ["screen", "make-study", "R0001"],
    "screen reasons": ["screen", "reasons"],
    "prisma": ["prisma"],
    "report": ["report", "--out", "{out}", "--notebooks", "{nbs}", "--no-progress"],
}
# commands that read evidence/studies/*.yaml, and those that read the screening log
READ_STUDIES = ["validate", "list", "quality", "grade", "audit", "import", "screen make-study", "report"]
READ_LOG = [
    "import",
    "screen list",
    "screen decide",
    "screen duplicate",
    "screen conflicts",
    "screen kappa",
    "screen make-study",
    "prisma",
]


# -- fixtures and helpers -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """The exhibit evidence with one import (R0001–R0005), built once and copied per test."""
    root = tmp_path_factory.mktemp("pristine") / "evidence"
    shutil.copytree(EXHIBIT, root)
    shutil.copy(EVIDENCE / "vocabulary.yaml", root)
    shutil.copy(EVIDENCE / "schema.yaml", root)
    import_records([NBIB], evidence=root).save()
    return root


@pytest.fixture
def w(tmp_path, pristine) -> SimpleNamespace:
    ev = tmp_path / "evidence"
    shutil.copytree(pristine, ev)
    text = tmp_path / "page.txt"
    text.write_text("Exosomes regrow hair in every patient.\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "exports").mkdir()
    return SimpleNamespace(
        root=tmp_path,
        ev=ev,
        text=text,
        nbs=tmp_path / "notebooks",
        out=tmp_path / "reports",
        exports=tmp_path / "exports",
        batch=next((ev / "screening" / "records").glob("*.csv")),
    )


@pytest.fixture(autouse=True)
def no_notebooks(monkeypatch):
    """A failing `report` must stop before drawing figures or running any notebook."""

    def tripwire(*args, **kwargs):
        raise AssertionError("report went past its early checks (figures / notebooks would run)")

    monkeypatch.setattr(exoreview.app.report, "execute", tripwire)
    monkeypatch.setattr(exoreview.app.report, "figure_bytes", tripwire)


def argv(name: str, w: SimpleNamespace, *extra) -> list[str]:
    values = {"text": w.text, "nbib": NBIB, "out": w.out, "nbs": w.nbs}
    return [a.format(**values) for a in COMMANDS[name]] + [str(e) for e in extra]


def run(capsys, args) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse: usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def state(root: Path) -> dict[str, object]:
    """Every folder and file under `root` with the bytes and mtime of each file."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = "<dir>"
        for f in filenames:
            p = Path(dirpath, f)
            out[str(p.relative_to(root))] = (p.stat().st_mtime_ns, p.read_bytes())
    return out


def lines(err: str) -> list[str]:
    assert "Traceback" not in err, err
    return [ln for ln in err.splitlines() if ln.strip()]


def usage_line(err: str, name: str, *needles: str) -> str:
    """Exit 2: exactly one line, naming the command and every needle (path, what is wrong, fix)."""
    found = lines(err)
    assert len(found) == 1, err
    assert found[0].startswith(f"exoreview {name}: "), err
    for needle in needles:
        assert str(needle) in found[0], (needle, err)
    return found[0]


def problem_lines(err: str, *needles: str, validate: bool = False) -> list[str]:
    """Exit 1: one line a problem, each naming every needle, then the count line."""
    found = lines(err)
    assert len(found) >= 2, err
    *problems, last = found
    n = len(problems)
    if validate:
        files = len({p.split(":")[0] for p in problems})
        assert last.endswith(
            f": {n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
        ), err
    else:
        assert last == f"{n} problem{'s' if n != 1 else ''}; nothing was written.", err
    for problem in problems:
        for needle in needles:
            assert str(needle) in problem, (needle, err)
    return problems


class Deny:
    """Root-proof EACCES for reading (and, with write=True, writing) everything under `paths`."""

    def __init__(self, monkeypatch, *paths: Path, read: bool = True, write: bool = False):
        self.paths = [Path(p).absolute() for p in paths]
        mp = monkeypatch
        if read:
            for name in ("scandir", "listdir"):
                self._wrap(mp, os, name, lambda a, k: a[0] if a else k.get("path", "."))
            for name in ("open", "read_bytes", "read_text"):
                self._wrap(mp, pathlib.Path, name, lambda a, k: a[0])
        if write:
            self._wrap(mp, tempfile, "mkstemp", lambda a, k: Path(k.get("dir") or ".") / "x")
            real_access = os.access

            def access(path, mode, *a, **k):
                if mode & os.W_OK and self.denied(path):
                    return False
                return real_access(path, mode, *a, **k)

            mp.setattr(os, "access", access)

    def denied(self, path) -> bool:
        if isinstance(path, int):  # a file descriptor
            return False
        p = Path(os.fsdecode(path)).absolute()
        return any(p == d or d in p.parents for d in self.paths)

    def _wrap(self, mp, owner, name, target_of):
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            target = target_of(args, kwargs)
            if self.denied(target):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(target))
            return real(*args, **kwargs)

        mp.setattr(owner, name, wrapper)


def deny(how: str, path: Path, *, write: bool = False):
    """Make `path` unreadable (or, with write=True, unwritable) by a real chmod or the simulation;
    returns the function that undoes it (call it before looking at the files again)."""
    if how == "chmod":
        mode = path.stat().st_mode & 0o777
        path.chmod((0o555 if path.is_dir() else 0o444) if write else 0)
        return lambda: path.chmod(mode)
    mp = pytest.MonkeyPatch()  # its own: undoing it leaves the notebook tripwire in place
    Deny(mp, path, read=not write, write=write)
    return mp.undo


# -- the evidence folder: missing, a file, not an evidence folder, unreadable --------------------
def _expected(name: str) -> int:
    """validate reports a bad folder as a problem (1); `screen reasons` needs no folder (0)."""
    return {"validate": 1, "screen reasons": 0}.get(name, 2)


@pytest.mark.parametrize("name", COMMANDS)
def test_missing_evidence_folder(capsys, w, name):
    assert not Path("/nonexistent").exists()
    before = state(w.root)
    code, out, err = run(capsys, argv(name, w, "--evidence", "/nonexistent"))
    assert code == _expected(name), err
    if code == 2:
        usage_line(err, name, "/nonexistent is not an evidence folder: no such folder", "pass --evidence DIR")
        assert out == ""
    elif code == 1:
        problem_lines(err, "/nonexistent: no such evidence folder", "pass --evidence DIR", validate=True)
    else:
        assert lines(err) == [] and out.startswith("not-hair")
    assert not Path("/nonexistent").exists() and state(w.root) == before


@pytest.mark.parametrize("kind", ["a file", "no vocabulary.yaml"])
@pytest.mark.parametrize("name", COMMANDS)
def test_evidence_that_is_not_an_evidence_folder(capsys, w, name, kind):
    if kind == "a file":
        where, what = w.text, f"{w.text}: is a file, not an evidence folder"
    else:
        where, what = w.exports, f"{w.exports}: is not an evidence folder (no vocabulary.yaml)"
    before = state(w.root)
    code, out, err = run(capsys, argv(name, w, "--evidence", where))
    assert code == _expected(name), err
    if code == 2:
        usage_line(err, name, what, "pass --evidence DIR")
    elif code == 1:
        problem_lines(err, what, "pass --evidence DIR", validate=True)
    assert state(w.root) == before


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", COMMANDS)
def test_unreadable_evidence_folder(capsys, w, name, how):
    before = state(w.root)
    restore = deny(how, w.ev)
    try:
        code, out, err = run(capsys, argv(name, w, "--evidence", w.ev))
    finally:
        restore()
    assert code == _expected(name), err
    needles = (f"{w.ev}: cannot read the evidence folder: {DENIED}", "check its permissions")
    if code == 2:
        usage_line(err, name, *needles)
    elif code == 1:
        problem_lines(err, *needles, validate=True)
    assert state(w.root) == before


# -- files and folders inside the evidence folder --------------------------------------------
@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", READ_STUDIES)
def test_unreadable_study_file(capsys, w, name, how):
    study = w.ev / "studies" / "ex-2017-msc-mouse.yaml"
    before = state(w.root)
    restore = deny(how, study)
    try:
        code, out, err = run(capsys, argv(name, w, "--evidence", w.ev))
    finally:
        restore()
    assert code == 1, err
    problem_lines(
        err, f"{study}: cannot read the file: {DENIED}", "check its permissions", validate=name == "validate"
    )
    assert state(w.root) == before


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", READ_STUDIES)
def test_unreadable_studies_folder(capsys, w, name, how):
    folder = w.ev / "studies"
    before = state(w.root)
    restore = deny(how, folder)
    try:
        code, out, err = run(capsys, argv(name, w, "--evidence", w.ev))
    finally:
        restore()
    assert code == 1, err
    problem_lines(
        err,
        f"{folder}: cannot read the folder: {DENIED}",
        "check its permissions",
        validate=name == "validate",
    )
    assert state(w.root) == before


@pytest.mark.parametrize("name", ["list", "grade", "report"])
def test_unreadable_studies_folder_with_the_load_cache_on(capsys, w, tmp_path_factory, monkeypatch, name):
    """The cache fingerprints studies/ before loading: that failure is reported like any other."""
    monkeypatch.setenv("EXOREVIEW_CACHE", str(tmp_path_factory.mktemp("cache")))
    folder = w.ev / "studies"
    before = state(w.root)
    restore = deny("simulated", folder)
    try:
        code, out, err = run(capsys, argv(name, w, "--evidence", w.ev))
    finally:
        restore()
    assert code == 1, err
    problem_lines(err, f"{folder}: cannot read the folder: {DENIED}", "check its permissions")
    assert state(w.root) == before


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("target", ["records file", "screening folder"])
@pytest.mark.parametrize("name", READ_LOG)
def test_unreadable_screening_log(capsys, w, name, target, how):
    path = w.batch if target == "records file" else w.ev / "screening"
    kind = "file" if target == "records file" else "folder"
    before = state(w.root)
    restore = deny(how, path)
    try:
        code, out, err = run(capsys, argv(name, w, "--evidence", w.ev))
    finally:
        restore()
    assert code == 1, err
    problem_lines(err, f"{path}: cannot read the {kind}: {DENIED}", "check its permissions")
    assert state(w.root) == before  # no batch imported, no decision appended, no study drafted


@pytest.mark.parametrize(
    "case, names, needles",
    [
        (
            "studies is a file",
            ["validate", "list", "import", "report"],
            ["studies: is a file; studies/ must be a folder of .yaml files", "rename or remove"],
        ),
        (
            "a study file is a folder",
            ["validate", "list", "grade", "screen make-study"],
            ["ex-2017-msc-mouse.yaml: cannot read the file: is a folder, not a file", "rename the folder"],
        ),
        (
            "records is a file",
            ["screen list", "screen decide", "import", "prisma"],
            ["records: is a file; records/ must be a folder", "rename or remove"],
        ),
        (
            "decisions.csv is a folder",
            ["screen list", "screen decide", "screen kappa", "prisma"],
            ["decisions.csv: cannot read the file: is a folder, not a file", "rename the folder"],
        ),
    ],
)
def test_wrong_kind_inside_the_evidence_folder(capsys, w, case, names, needles):
    if case == "studies is a file":
        shutil.rmtree(w.ev / "studies")
        (w.ev / "studies").write_text("not a folder\n")
    elif case == "a study file is a folder":
        (w.ev / "studies" / "ex-2017-msc-mouse.yaml").unlink()
        (w.ev / "studies" / "ex-2017-msc-mouse.yaml").mkdir()
    elif case == "records is a file":
        shutil.rmtree(w.ev / "screening" / "records")
        (w.ev / "screening" / "records").write_text("not a folder\n")
    else:
        (w.ev / "screening" / "decisions.csv").mkdir()
    before = state(w.root)
    for name in names:
        code, out, err = run(capsys, argv(name, w, "--evidence", w.ev))
        assert code == 1, (name, err)
        problem_lines(err, *needles, validate=name == "validate")
    assert state(w.root) == before


# -- input files: audit FILE, import FILE ------------------------------------------------------
@pytest.mark.parametrize("name", ["audit", "import"])
@pytest.mark.parametrize("case", ["missing", "a folder", "under a file"])
def test_input_file_missing_or_a_folder(capsys, w, name, case):
    path = {"missing": w.root / "nope.txt", "a folder": w.exports, "under a file": w.text / "page.txt"}[case]
    needles = {
        "missing": [f"{path}: no such file", "check the path"],
        "a folder": [f"{path}", "is a folder", "give"],
        "under a file": [f"{w.text} is a file, not a folder", "check the path"],
    }[case]
    before = state(w.root)
    code, out, err = run(capsys, [name, path, "--evidence", w.ev])
    assert code == 2, err
    if name == "import":  # one line a path, then what happened
        *problems, last = lines(err)
        assert last == "exoreview import: nothing was imported"
        err = problems[0] + "\n"
    usage_line(err, name, *needles)
    assert state(w.root) == before


def test_import_names_every_bad_path_on_its_own_line(capsys, w):
    before = state(w.root)
    code, out, err = run(
        capsys, ["import", NBIB, w.root / "a.ris", w.exports, w.root / "b.bib", "--evidence", w.ev]
    )
    assert code == 2
    assert lines(err) == [
        f"exoreview import: {w.root / 'a.ris'}: no such file or folder; check the path",
        f"exoreview import: {w.exports}: is a folder; give the export files in it "
        "(.nbib, .txt, .ris, .bib, .csv, .tsv, .ciw, .enw)",
        f"exoreview import: {w.root / 'b.bib'}: no such file or folder; check the path",
        "exoreview import: nothing was imported",
    ]
    assert state(w.root) == before


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", ["audit", "import"])
def test_unreadable_input_file(capsys, w, name, how):
    path = w.root / "search.nbib"
    shutil.copy(NBIB if name == "import" else w.text, path)
    before = state(w.root)
    restore = deny(how, path)
    try:
        code, out, err = run(capsys, [name, path, "--evidence", w.ev])
    finally:
        restore()
    assert code == 2, err
    if name == "import" and how == "chmod":
        *problems, last = lines(err)
        assert last == "exoreview import: nothing was imported"
        err = problems[0] + "\n"
    usage_line(err, name, f"{path}: {DENIED}", "check its permissions")
    assert state(w.root) == before


# -- outputs: list --out, prisma --out, report --out / --notebooks, and writing the log ---------
@pytest.mark.parametrize(
    "name, args, needles",
    [
        (
            "list",
            ["--out", "{exports}"],
            ["{exports}: is a folder, not a file", "such as {exports}/table.csv"],
        ),
        (
            "list",
            ["--out", "{exports}/table.txt"],
            ["{exports}/table.txt: unknown table format", "use .csv, .xlsx or .html"],
        ),
        ("list", ["--out", "{folder_csv}"], ["{folder_csv}: is a folder, not a file", "give a file"]),
        (
            "list",
            ["--out", "{text}/x.csv"],
            ["{text}/x.csv: {text} is a file, not a folder", "check the path"],
        ),
        (
            "prisma",
            ["--out", "{text}/prisma"],
            ["{text}/prisma.png: {text} is a file, not a folder", "check the path"],
        ),
        ("report", ["--out", "{text}"], ["{text} is a file; --out is the report folder", "pass --out DIR"]),
        (
            "report",
            ["--out", "{text}/reports"],
            ["{text}/reports is under {text}, which is a file", "pass --out DIR"],
        ),
        (
            "report",
            ["--notebooks", "{text}"],
            ["{text} is a file, not a notebooks folder", "pass --notebooks DIR"],
        ),
        (
            "report",
            ["--notebooks", "{root}/nowhere"],
            ["{root}/nowhere: no such notebooks folder", "pass --notebooks DIR"],
        ),
        (
            "report",
            ["--out", "{ev}/reports"],
            ["{ev}/reports/index.html is inside the evidence folder", "write exports elsewhere"],
        ),
    ],
)
def test_output_path_of_the_wrong_kind(capsys, w, name, args, needles):
    (w.exports / "table.csv").mkdir()
    values = {
        "exports": w.exports,
        "folder_csv": w.exports / "table.csv",
        "text": w.text,
        "root": w.root,
        "ev": w.ev,
    }
    before = state(w.root)
    code, out, err = run(capsys, argv(name, w, *[a.format(**values) for a in args], "--evidence", w.ev))
    assert code == 2, err
    usage_line(err, name, *[n.format(**values) for n in needles])
    assert state(w.root) == before


def _include_r0001(capsys, w):
    for stage in ("ta", "ft"):
        code, _, err = run(
            capsys,
            [
                "screen",
                "decide",
                "R0001",
                "--stage",
                stage,
                "--include",
                "--reviewer",
                "AB",
                "--evidence",
                w.ev,
            ],
        )
        assert code == 0, err


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(
    "name, args, folder",
    [
        ("list", ["--out", "{exports}/table.csv"], "{exports}"),
        ("prisma", ["--out", "{exports}/prisma"], "{exports}"),
        ("report", ["--out", "{exports}/reports"], "{exports}"),
        ("import", [], "{ev}/screening/records"),
        ("screen decide", [], "{ev}/screening"),
        ("screen make-study", [], "{ev}/studies"),
    ],
)
def test_unwritable_output(capsys, w, name, args, folder, how):
    if name == "screen make-study":
        _include_r0001(capsys, w)
    values = {"exports": w.exports, "ev": w.ev}
    folder = Path(folder.format(**values))
    before = state(w.root)
    restore = deny(how, folder, write=True)
    try:
        code, out, err = run(capsys, argv(name, w, *[a.format(**values) for a in args], "--evidence", w.ev))
    finally:
        restore()
    assert code == 2, err
    if name == "report":
        usage_line(
            err, name, f"{folder}: {DENIED}", "the report cannot be written there", "check its permissions"
        )
    else:
        usage_line(err, name, f"{folder}: {DENIED}", "check its permissions")
    assert state(w.root) == before
    assert not [p for p in w.root.rglob("*.tmp")]  # no temporary file left behind


# -- bad options ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", COMMANDS)
def test_unknown_option(capsys, w, name):
    code, out, err = run(capsys, argv(name, w, "--no-such-option", "--evidence", w.ev))
    assert code == 2
    usage_line(err, name, "error: unrecognized arguments: --no-such-option", f"see `exoreview {name} --help`")


@pytest.mark.parametrize(
    "name",
    [
        n
        for n, a in COMMANDS.items()
        if n not in ("screen decide", "screen duplicate", "screen make-study", "screen reasons", "report")
    ],
)
def test_bad_format(capsys, w, name):
    code, out, err = run(capsys, argv(name, w, "--format", "pdf", "--evidence", w.ev))
    assert code == 2
    usage_line(
        err, name, "argument --format: invalid choice: 'pdf' (choose from", f"see `exoreview {name} --help`"
    )


@pytest.mark.parametrize(
    "args, name, needles",
    [
        (
            ["list", "--year-from", "soon"],
            "list",
            ["argument --year-from: 'soon' is not a year", "like 2021"],
        ),
        (["list", "--year-to", "20x1"], "list", ["argument --year-to: '20x1' is not a year", "--help"]),
        (["quality", "--tool", "GRADE"], "quality", ["argument --tool: invalid choice: 'GRADE'", "--help"]),
        (["import", str(NBIB), "--from", "zotero"], "import", ["argument --from: invalid choice", "--help"]),
        (
            ["report", "--timeout", "soon"],
            "report",
            ["argument --timeout: invalid int value: 'soon'", "--help"],
        ),
        (["report", "--timeout", "0"], "report", ["--timeout must be a positive number of seconds"]),
        (["frobnicate"], "", ["argument COMMAND: invalid choice: 'frobnicate'", "see `exoreview --help`"]),
        ([], "", ["no command given; choose one of validate, list", "see `exoreview --help`"]),
        (["screen"], "screen", ["the following arguments are required: ACTION", "--help"]),
        (["screen", "rate"], "screen", ["argument ACTION: invalid choice: 'rate'", "--help"]),
        (
            ["screen", "decide", "R0001", "--stage", "ta", "--include"],
            "screen decide",
            ["the following arguments are required: --reviewer", "see `exoreview screen decide --help`"],
        ),
        (
            ["screen", "decide", "R0001", "--stage", "ta", "--reviewer", "AB"],
            "screen decide",
            ["one of the arguments --include --exclude --maybe --not-retrieved is required", "--help"],
        ),
        (
            ["screen", "decide", "R0001", "--stage", "abstract", "--include", "--reviewer", "AB"],
            "screen decide",
            ["unknown stage 'abstract'", "use duplicates, title-abstract, full-text"],
        ),
        (
            ["screen", "list", "--stage", "abstract"],
            "screen list",
            ["unknown stage 'abstract'", "(or ta, ft)"],
        ),
        (["screen", "kappa"], "screen kappa", ["kappa needs two reviewers; found 0", "--reviewers A B"]),
        (
            ["screen", "make-study", "R0001"],
            "screen make-study",
            ["R0001 is not included at full text", "only for an included record"],
        ),
        (["grade", "exosomes-cure-everything"], "grade", ["no such claim in", "'exosomes-cure-everything'"]),
    ],
)
def test_usage_errors(capsys, w, args, name, needles):
    before = state(w.root)
    extra = ["--evidence", str(w.ev)] if args and args != ["screen"] and args[0] != "frobnicate" else []
    code, out, err = run(capsys, [*args, *extra])
    assert code == 2, err
    if name:
        usage_line(err, name, *needles)
    else:
        _top_level(err, needles)
    assert state(w.root) == before


def _top_level(err: str, needles: list[str]) -> None:
    found = lines(err)
    assert len(found) == 1 and found[0].startswith("exoreview: error: "), err
    for needle in needles:
        assert needle in found[0], (needle, err)


@pytest.mark.parametrize(
    "args, needles",
    [
        (
            ["R9999", "--stage", "ta", "--include"],
            ["record: R9999: 'R9999' is not a record", "`exoreview screen list` shows the ids"],
        ),
        (
            ["R0001", "--stage", "ta", "--include", "--date", "2025-13-40"],
            ["date: R0001: expected a date as YYYY-MM-DD, found '2025-13-40'"],
        ),
        (
            ["R0001", "--stage", "ft", "--include"],
            ["record: R0001: title/abstract outcome is 'pending'", "needs include or maybe there first"],
        ),
    ],
)
def test_invalid_decision_exits_1_and_writes_nothing(capsys, w, args, needles):
    before = state(w.root)
    code, out, err = run(capsys, ["screen", "decide", *args, "--reviewer", "AB", "--evidence", w.ev])
    assert code == 1
    problem_lines(err, *needles)
    assert state(w.root) == before and not (w.ev / "screening" / "decisions.csv").exists()


def test_the_commands_work_on_good_input(capsys, w):
    """The same fixture and argv, with nothing wrong, exit 0 (so the cases above test the errors)."""
    for name in COMMANDS:
        if name in ("report", "screen make-study", "screen kappa"):
            continue  # report runs notebooks; make-study and kappa need decisions first
        code, out, err = run(
            capsys, argv(name, w, "--evidence", w.ev, *(["--dry-run"] if name == "import" else []))
        )
        assert code == 0, (name, err)
        assert "Traceback" not in err
