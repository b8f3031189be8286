"""exoreview screen list|decide|duplicate|conflicts|kappa|make-study|renumber|reasons"""

from __future__ import annotations

import argparse
import json
import sys

from ..core.values import neutralized
from ..core.yamlio import display_path

HELP = (
    "screen imported records: record decisions by stage, list conflicts, Cohen's kappa, "
    "write a draft study file for an included record"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    sub.required = True

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        a = sub.add_parser(name, help=help_, description=help_)
        a.add_argument(
            "--evidence",
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="evidence folder (default: ./evidence)",
        )
        return a

    a = action("list", "records and where each stands (removed, title/abstract, full text)")
    a.add_argument("--stage", help="only records open at this stage (title-abstract/ta, full-text/ft)")
    a.add_argument(
        "--status",
        help="only records with this outcome at --stage (pending, conflict, "
        "include, exclude, maybe, not-retrieved)",
    )
    a.add_argument("--format", choices=["text", "json", "csv"], default="text")

    a = action("decide", "record one reviewer's decision on records at a stage")
    a.add_argument("records", nargs="+", metavar="RECORD", help="record ids (R0001 ...)")
    a.add_argument("--stage", required=True, help="title-abstract (ta) or full-text (ft)")
    g = a.add_mutually_exclusive_group(required=True)
    for d in ("include", "exclude", "maybe", "not-retrieved"):
        g.add_argument(f"--{d}", dest="decision", action="store_const", const=d)
    a.add_argument("--reason", help="exclusion reason code (`exoreview screen reasons`)")
    a.add_argument("--reviewer", required=True, help="name or initials")
    a.add_argument("--note", help="free text kept with the decision")
    a.add_argument("--final", action="store_true", help="a resolution: settles a conflict")
    a.add_argument("--date", help="YYYY-MM-DD (default: today)")

    a = action("duplicate", "confirm or reject a possible duplicate")
    a.add_argument("records", nargs="+", metavar="RECORD")
    g = a.add_mutually_exclusive_group(required=True)
    g.add_argument("--of", metavar="ID_OR_KEY", help="the record id or study key it duplicates")
    g.add_argument("--not-duplicate", action="store_true", help="it is not a duplicate: screen it")
    a.add_argument("--reviewer", required=True)
    a.add_argument("--note")
    a.add_argument("--final", action="store_true")
    a.add_argument("--date")

    a = action("conflicts", "records whose reviewers disagree, with each vote")
    a.add_argument("--stage", help="title-abstract (ta) or full-text (ft); default both")
    a.add_argument("--format", choices=["text", "json"], default="text")

    a = action("kappa", "agreement of two reviewers at a stage (Cohen's kappa)")
    a.add_argument("--stage", default="title-abstract")
    a.add_argument("--reviewers", nargs=2, metavar=("A", "B"))
    a.add_argument("--format", choices=["text", "json"], default="text")

    a = action("make-study", "write evidence/studies/<key>.yaml, prefilled from an included record")
    a.add_argument("record", metavar="RECORD")
    a.add_argument("--key", help="the study key (default: firstauthor-year-two-title-words)")

    a = action(
        "renumber",
        "give the records from one id on new ids (and every decision and duplicate that names them): "
        "how one branch's imports make room for another's before a git merge",
    )
    a.add_argument("--from", dest="first", required=True, metavar="ID", help="the first id to move (R0013)")
    a.add_argument("--to", required=True, metavar="ID", help="its new id; the others follow in order")

    action("reasons", "the controlled list of exclusion reasons")


def run(args: argparse.Namespace) -> int:
    return {
        "list": _list,
        "decide": _decide,
        "duplicate": _duplicate,
        "conflicts": _conflicts,
        "kappa": _kappa,
        "make-study": _make_study,
        "renumber": _renumber,
        "reasons": _reasons,
    }[args.action](args)


_STATUS_COL = {"title-abstract": "title_abstract", "full-text": "full_text"}


def _list(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.log import read_log
    from ..screening.rules import stage_name

    st = read_log(args.evidence).status()
    if args.stage:
        stage = stage_name(args.stage)
        col = _STATUS_COL.get(stage)
        if col is None:
            st = st[st["check_with"].notna()]
        else:
            st = st[st[col].notna()]
            if args.status:
                st = st[st[col] == args.status]
    elif args.status:
        st = st[(st["title_abstract"] == args.status) | (st["full_text"] == args.status)]
    if args.format == "json":
        print(json.dumps(json.loads(st.to_json(orient="records")), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(neutralized(st).to_csv(index=False))
    else:
        for r in st.itertuples(index=False):
            where = (
                f"removed: {r.removed} {r.removed_by}"
                if isinstance(r.removed, str)
                else f"ta: {r.title_abstract}"
                + (f" · ft: {r.full_text}" if isinstance(r.full_text, str) else "")
            )
            check = f" · check with {r.check_with}" if isinstance(r.check_with, str) else ""
            print(f"{r.id}  {str(r.title)[:70]:70}  {where}{check}")
        print(f"{len(st)} records")
    return 0


def _decide(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.decisions import decide

    log = decide(
        args.evidence,
        args.records,
        stage=args.stage,
        decision=args.decision,
        reviewer=args.reviewer,
        reason=args.reason,
        note=args.note,
        final=args.final,
        date=args.date,
    )
    _report(log, args.records, args.stage)
    return 0


def _duplicate(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.decisions import decide

    decision = "not-duplicate" if args.not_duplicate else "duplicate"
    log = decide(
        args.evidence,
        args.records,
        stage="duplicates",
        decision=decision,
        of=args.of,
        reviewer=args.reviewer,
        note=args.note,
        final=args.final,
        date=args.date,
    )
    _report(log, args.records, "duplicates")
    return 0


def _report(log, records, stage) -> None:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.rules import stage_name

    st = log.status().set_index("id")
    col = _STATUS_COL.get(stage_name(stage))
    for rid in records:
        r = st.loc[rid]
        now = (
            f"removed: {r['removed']} {r['removed_by']}"
            if isinstance(r["removed"], str)
            else f"{stage_name(stage)}: {r[col] if col else 'screened'}"
        )
        print(f"{rid}: recorded; now {now}")


def _conflicts(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.log import read_log

    c = read_log(args.evidence).conflicts(args.stage)
    if args.format == "json":
        print(json.dumps(json.loads(c.to_json(orient="records")), indent=2, ensure_ascii=False))
    else:
        for (rid, stage), g in c.groupby(["record", "stage"], sort=False):
            votes = "; ".join(
                f"{v.reviewer}: {v.decision}" + (f" ({v.reason})" if v.reason else "") for v in g.itertuples()
            )
            print(f"{rid} {stage}: {votes}")
        n = c[["record", "stage"]].drop_duplicates().shape[0]
        print(f"{n} conflict{'s' if n != 1 else ''} to resolve (`exoreview screen decide ... --final`)")
    return 0


def _kappa(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.log import read_log

    ag = read_log(args.evidence).agreement(args.stage, tuple(args.reviewers) if args.reviewers else None)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "stage": ag.stage,
                    "reviewers": list(ag.reviewers),
                    "n": ag.n,
                    "observed_agreement": ag.observed,
                    "kappa": ag.kappa,
                    "ci95": [ag.low, ag.high],
                    "table": {
                        str(k): {str(kk): int(vv) for kk, vv in v.items()}
                        for k, v in ag.table.to_dict(orient="index").items()
                    },
                },
                indent=2,
            )
        )
    else:
        print(ag.table.to_string())
        print(ag.describe())
    return 0


def _make_study(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.drafts import make_study

    path = make_study(args.evidence, args.record, key=args.key)
    print(
        f"wrote {display_path(path)}: a draft; fill verified_at, confidence, publication_status and "
        "the coded terms from the article, then run `exoreview validate`"
    )
    return 0


def _renumber(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.decisions import renumber

    for path in renumber(args.evidence, args.first, args.to):
        print(f"rewrote {display_path(path)}")
    return 0


def _reasons(args) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..screening.rules import REASONS

    for code, (label, stages) in REASONS.items():
        print(f"{code:18} {label}  [{', '.join(stages)}]")
    return 0
