"""Several writers at once on one evidence folder: real processes (forked, or the CLI in
subprocesses), no mocks. No decision or import is lost, ids are never given twice, a killed
writer loses only its own line and the next read says where it is."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exoreview.cli import main
from exoreview.core.locking import LogBusy, append_bytes, screening_lock
from exoreview.errors import EvidenceError
from exoreview.screening.decisions import decide
from exoreview.screening.importer import import_records
from exoreview.screening.log import read_log

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
FORK = mp.get_context("fork")
CLI = [sys.executable, "-c", "import sys; from exoreview.cli import main; sys.exit(main())"]


@pytest.fixture
def ev(make_evidence) -> Path:
    """An evidence folder with one import (PubMed and Embase exports that overlap)."""
    root = make_evidence()
    import_records([DATA / "pubmed-search.nbib", DATA / "embase-search.ris"], evidence=root).save()
    return root


def open_ids(root: Path) -> list[str]:
    st = read_log(root).status()
    return list(st.loc[st["removed"].isna(), "id"])


def votes(n: int, ids: list[str]) -> list[tuple[str, str]]:
    """n different decisions: (record, reviewer), a reviewer a decision."""
    return [(ids[i % len(ids)], f"r{i:02d}") for i in range(n)]


def _decide_in_child(root: str, rid: str, who: str, go) -> None:
    go.wait()
    decide(root, [rid], stage="ta", decision="include", reviewer=who)


def _start_together(target, args_list) -> list:
    go = FORK.Event()
    procs = [FORK.Process(target=target, args=(*args, go)) for args in args_list]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(120)
    return [p.exitcode for p in procs]


# -- decisions ------------------------------------------------------------------------------
def test_16_forked_writers_keep_16_decisions(ev):
    want = votes(16, open_ids(ev))
    codes = _start_together(_decide_in_child, [(str(ev), rid, who) for rid, who in want])
    assert codes == [0] * 16
    got = read_log(ev).decisions
    assert len(got) == 16
    assert sorted(zip(got["record"], got["reviewer"])) == sorted(want)


@pytest.mark.slow
def test_32_concurrent_cli_decides_keep_32_decisions(ev):
    want = votes(32, open_ids(ev))
    procs = [
        subprocess.Popen(
            [
                *CLI,
                "screen",
                "decide",
                rid,
                "--stage",
                "ta",
                "--include",
                "--reviewer",
                who,
                "--evidence",
                ev,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "EXOREVIEW_LOCK_TIMEOUT": "300"},
        )
        for rid, who in want
    ]
    results = [(p.wait(300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 32, [err for _, err in results if err]
    got = read_log(ev).decisions
    assert len(got) == 32
    assert sorted(zip(got["record"], got["reviewer"])) == sorted(want)


# -- imports --------------------------------------------------------------------------------
def overlapping_exports(folder: Path) -> list[list[Path]]:
    """Four imports of RIS files that overlap: the first 5 and the last 5 of the 7 Embase records,
    the whole export, and the first part again."""
    blocks = [
        b + "ER  - \n" for b in (DATA / "embase-search.ris").read_text(encoding="utf-8").split("ER  - ")
    ][:-1]
    assert len(blocks) == 7
    first, last = folder / "first.ris", folder / "last.ris"
    first.write_text("\n".join(blocks[:5]), encoding="utf-8")
    last.write_text("\n".join(blocks[2:]), encoding="utf-8")
    return [[first], [last], [DATA / "embase-search.ris"], [first]]


def _import_in_child(root: str, files: list[Path], go) -> None:
    batch = import_records(files, evidence=root)  # read and numbered before the others wrote
    go.wait()
    time.sleep(0.05)
    batch.save()


def kept(root: Path) -> int:
    """Records neither flagged as duplicates of another record nor waiting for a person."""
    r = read_log(root).records
    return int((r["duplicate_of"].isna() & r["check_with"].isna() & r["in_evidence"].isna()).sum())


def sequential_baseline(make_evidence, tmp_path: Path, imports: list[list[Path]]) -> int:
    root = make_evidence()
    for files in imports:
        import_records(files, evidence=root).save()
    return kept(root)


def test_4_forked_imports_all_written_and_their_duplicates_flagged(make_evidence, tmp_path):
    imports = overlapping_exports(tmp_path)
    root = make_evidence()
    go = FORK.Event()
    procs = [FORK.Process(target=_import_in_child, args=(str(root), files, go)) for files in imports]
    for p in procs:
        p.start()
    time.sleep(3)  # every child has read the log and numbered its records as if it were alone
    go.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 4
    log = read_log(root)  # strict: ids unique, every duplicate_of names a record
    assert len(set(log.records["batch"])) == 4
    assert len(log.records) == 5 + 5 + 7 + 5
    assert log.records["id"].is_unique
    n = kept(root)
    for p in list((root / "screening" / "records").iterdir()):
        p.unlink()
    assert n == sequential_baseline(make_evidence, tmp_path, imports) == 7


@pytest.mark.slow
def test_4_concurrent_cli_imports_all_succeed_and_flag_duplicates(make_evidence, tmp_path):
    imports = overlapping_exports(tmp_path)
    root = make_evidence()
    procs = [
        subprocess.Popen(
            [*CLI, "import", *files, "--evidence", root],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for files in imports
    ]
    results = [(p.wait(300), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _, _ in results] == [0] * 4, [err for _, _, err in results]
    log = read_log(root)
    assert len(set(log.records["batch"])) == 4 and log.records["id"].is_unique
    assert len(log.records) == 22 and kept(root) == 7
    # what each import printed is what it wrote (numbered after the others it waited for)
    written = {o.strip().splitlines()[-1].split(" (")[0].removeprefix("wrote ") for _, o, _ in results}
    assert len(written) == 4


# -- a writer killed, a lock held ---------------------------------------------------------------
def _hold_lock(root: str, half_line: bytes, ready) -> None:
    with screening_lock(root) as folder:
        if half_line:
            append_bytes(folder / "decisions.csv", half_line)
        ready.set()
        time.sleep(120)  # killed here, holding the lock


def _holder(root: Path, half_line: bytes = b""):
    ready = FORK.Event()
    p = FORK.Process(target=_hold_lock, args=(str(root), half_line, ready))
    p.start()
    assert ready.wait(30)
    return p


def test_a_killed_writer_loses_only_its_own_line_and_the_next_read_says_where(ev):
    ids = open_ids(ev)
    decide(ev, ids[:3], stage="ta", decision="include", reviewer="AB")
    path = ev / "screening" / "decisions.csv"
    before = path.read_bytes()
    child = _holder(ev, f"{ids[3]},title-abstract,incl".encode())
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert path.read_bytes().startswith(before)  # the earlier lines as they were
    with pytest.raises(EvidenceError) as err:
        read_log(ev)
    (p,) = err.value.problems
    assert (p.code, p.path.endswith("screening/decisions.csv"), p.line) == ("truncated-line", True, 5)
    assert "cut short (3 values for 9 columns, no line end)" in p.message
    assert "delete it" in p.message
    # the lock died with the writer: the next writer does not wait, it refuses and says why
    t = time.monotonic()
    with pytest.raises(EvidenceError, match="decisions.csv:5: the last line is cut short"):
        decide(ev, [ids[3]], stage="ta", decision="include", reviewer="AB")
    assert time.monotonic() - t < 10
    assert len(read_log(ev, strict=False).decisions) == 3  # nothing else lost
    path.write_bytes(before)  # what the message says: delete the cut line
    decide(ev, [ids[3]], stage="ta", decision="include", reviewer="AB")
    assert len(read_log(ev).decisions) == 4


def test_an_open_quote_on_the_last_line_is_reported(ev):
    rid = open_ids(ev)[0]
    path = ev / "screening" / "decisions.csv"
    decide(ev, [rid], stage="ta", decision="include", reviewer="AB")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f'{rid},title-abstract,exclude,,,CD,2026-01-02,,"the note was cut')
    with pytest.raises(EvidenceError) as err:
        read_log(ev)
    assert [(p.line, p.code) for p in err.value.problems] == [(3, "truncated-line")]
    assert "a quoted value is not closed" in err.value.problems[0].message


def test_a_last_line_without_its_line_end_but_whole_is_read(ev):
    rid = open_ids(ev)[0]
    path = ev / "screening" / "decisions.csv"
    decide(ev, [rid], stage="ta", decision="include", reviewer="AB")
    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # as some editors save it
    assert len(read_log(ev).decisions) == 1
    decide(ev, [rid], stage="ta", decision="exclude", reviewer="CD")  # appended on a line of its own
    assert list(read_log(ev).decisions["reviewer"]) == ["AB", "CD"]


def test_a_repeated_header_is_reported(ev):
    rid = open_ids(ev)[0]
    decide(ev, [rid], stage="ta", decision="include", reviewer="AB")
    path = ev / "screening" / "decisions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text, encoding="utf-8")  # two files joined
    with pytest.raises(EvidenceError) as err:
        read_log(ev)
    (p,) = err.value.problems
    assert (p.line, p.code) == (3, "repeated-header") and "delete this line" in p.message


def test_a_repeat_of_the_reviewers_latest_decision_is_not_written(ev):
    rid = open_ids(ev)[0]
    for decision in ("include", "include", "exclude", "include"):
        decide(ev, [rid, rid], stage="ta", decision=decision, reviewer="AB")
    assert list(read_log(ev).decisions["decision"]) == ["include", "exclude", "include"]


def test_a_writer_waits_for_the_lock_then_stops_with_a_clear_message(ev, monkeypatch, capsys):
    rid = open_ids(ev)[0]
    path = ev / "screening" / "decisions.csv"
    child = _holder(ev)
    try:
        monkeypatch.setenv("EXOREVIEW_LOCK_TIMEOUT", "0.5")
        with pytest.raises(LogBusy, match=r"screening/\.lock: another exoreview command"):
            decide(ev, [rid], stage="ta", decision="include", reviewer="AB")
        code = main(
            ["screen", "decide", rid, "--stage", "ta", "--include", "--reviewer", "AB", "--evidence", str(ev)]
        )
        err = capsys.readouterr().err
        assert code == 1
        assert "nothing was written; wait until it ends and run this command again" in err
        assert "EXOREVIEW_LOCK_TIMEOUT" in err
        assert not path.exists()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
    decide(ev, [rid], stage="ta", decision="include", reviewer="AB")  # free again
    assert len(read_log(ev).decisions) == 1


def test_a_saved_import_is_numbered_against_the_log_as_it_is_when_written(make_evidence):
    root = make_evidence()
    first = import_records([DATA / "embase-search.ris"], evidence=root)
    second = import_records([DATA / "pubmed-search.nbib"], evidence=root)
    assert list(second.records["id"])[0] == "R0001"  # both read an empty log
    first.save()
    second.save()
    assert list(second.records["id"]) == [f"R{i:04d}" for i in range(8, 13)]
    assert second.records["duplicate_of"].notna().sum() >= 3  # the Embase records it repeats
    log = read_log(root)
    assert log.records["id"].is_unique and len(log.records) == 12


def test_the_hundredth_import_of_a_day_is_named_read_and_ordered(make_evidence):
    """One round of this project's own search imported 96 batches in a day: the 100th is
    '<day>-100-<code>', valid, and read after the 99th (not after the 10th)."""
    import datetime as dt

    root = make_evidence()
    day = dt.date(2026, 12, 5)
    import_records([DATA / "embase-search.ris"], evidence=root).save(date=day)
    records = root / "screening" / "records"
    (first,) = list(records.iterdir())
    for n in range(2, 100):  # days like the S5 round: batches 02 ... 99, each a new (empty) import
        (records / f"2026-12-05-{n:02d}-abcd.csv").write_text(
            first.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
        )
    path = import_records([DATA / "pubmed-search.nbib"], evidence=root).save(date=day)
    assert path is not None and path.name.startswith("2026-12-05-100-")
    log = read_log(root)  # strict: a bad name or an id clash would raise
    assert log.records["id"].is_unique
    assert list(log.records["file"].drop_duplicates())[-1] == "pubmed-search.nbib"  # read last
