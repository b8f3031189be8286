"""exoreview import FILE... [--from auto|medline|ris|bibtex|csv|wos|endnote] [--dry-run] [--format text|json]"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path

from ..core.paths import folder_problems
from ..core.yamlio import display_path, os_error_line
from ..errors import EvidenceError, UsageError

HELP = (
    "import search exports (PubMed MEDLINE, RIS, BibTeX, CSV/TSV, Web of Science and EndNote tagged) "
    "into the screening log, de-duplicated against each other, earlier imports and the evidence"
)
# --from values and what each reads (the readers' formats; kept equal by tests/screening/test_readers_cases.py)
FROM_HELP = {
    "medline": "PubMed/ERIC MEDLINE (.nbib, .txt)",
    "ris": "RIS (.ris: Embase, Scopus, Web of Science, Ovid, ProQuest, EBSCO, Zotero, EndNote, Mendeley)",
    "bibtex": "BibTeX (.bib)",
    "csv": "CSV or TSV (.csv, .tsv, .tab: PubMed, Zotero, Web of Science, Scopus, Springer Link, any with a title column)",
    "wos": "Web of Science tagged (.txt, .ciw)",
    "endnote": "EndNote tagged (.enw, .txt)",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="search exports (.nbib/.txt, .ris, .bib, .csv/.tsv, .ciw, .enw)",
    )
    p.add_argument(
        "--from",
        dest="fmt",
        choices=["auto", *FROM_HELP],
        default="auto",
        help="format of the files (default auto: told from each file's first line, else its suffix): "
        + "; ".join(f"{k}: {v}" for k, v in FROM_HELP.items()),
    )
    p.add_argument(
        "--database",
        metavar="NAME",
        help="the database searched (for the PRISMA diagram); given, it names every record of the files, "
        "whatever they say",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.importer import import_records
    from ..screening.readers import WARNINGS  # the same: loaded when the command runs

    if bad := [line for f in args.files if (line := _path_problem(f))]:
        raise UsageError("\n".join([*bad, "nothing was imported"]))  # exit 2, one line a path
    # records are matched against evidence/studies/: a studies folder that cannot be read would
    # silently match nothing and import studies already in the evidence as new
    if problems := folder_problems(args.evidence, ["studies"]):
        raise EvidenceError(problems)
    batch = import_records(
        args.files, evidence=args.evidence, fmt=args.fmt, database=args.database, progress=True
    )
    for problem in batch.problems:
        print(f"{problem} (warning)" if problem.code in WARNINGS else problem, file=sys.stderr)
    path = None if args.dry_run else batch.save()
    if args.format == "json":
        out = batch.as_json()
        out["written"] = str(path) if path else None
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(_text(batch, path, args.dry_run))
    errors = [p for p in batch.problems if p.code not in WARNINGS]
    if warned := len(batch.problems) - len(errors):
        # a warning keeps its record (or file): exit 0 when nothing else is wrong
        print(f"{warned} warning{'s' if warned != 1 else ''}: records kept; check them.", file=sys.stderr)
    if errors:
        n = len(errors)
        kept = "the other records were imported" if path else "nothing was written"
        print(f"{n} problem{'s' if n != 1 else ''}; {kept}.", file=sys.stderr)
        return 1
    return 0


def _path_problem(file: str) -> str | None:
    """What is wrong with one FILE argument (missing, a folder, unreadable), with the fix; or None."""

    path = Path(file).expanduser()
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return os_error_line(err)
    if stat.S_ISDIR(mode):
        return (
            f"{display_path(path)}: is a folder; give the export files in it "
            "(.nbib, .txt, .ris, .bib, .csv, .tsv, .ciw, .enw)"
        )
    if not os.access(path, os.R_OK):
        return f"{display_path(path)}: permission denied; check its permissions (ls -l)"
    return None


def _text(batch, path, dry_run: bool) -> str:
    lines = [f.describe() for f in batch.files]
    lines.append(batch.describe())
    r = batch.records
    if len(dups := batch.duplicates()):
        lines.append("duplicates (removed before screening):")
        lines += [f"  {d.id} = {d.duplicate_of}  ({d.duplicate_reason})" for d in dups.itertuples()]
    if len(ine := batch.in_evidence()):
        lines.append("already in the evidence:")
        lines += [f"  {d.id} → {d.in_evidence}  ({d.evidence_reason})" for d in ine.itertuples()]
    if len(chk := batch.to_check()):
        lines.append(
            "to check by a person (`exoreview screen duplicate ID --of OTHER` or `--not-duplicate`):"
        )
        lines += [f"  {d.id} ~ {d.check_with}  ({d.check_reason})" for d in chk.itertuples()]
    if dry_run:
        lines.append("dry run: nothing written")
    elif path:
        lines.append(f"wrote {display_path(path)} ({len(r)} records, {r['id'].iloc[0]}–{r['id'].iloc[-1]})")
    else:
        lines.append("no records to write")
    return "\n".join(lines)
