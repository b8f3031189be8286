"""exoreview grade [CLAIM_KEY ...] [--format text|json] [--sof FILE]"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

from ..core.evidence import load
from ..core.yamlio import display_path
from ..errors import UsageError

HELP = "grade claims against the evidence: verdict, certainty and five reasoned GRADE domains"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "claims", nargs="*", metavar="CLAIM_KEY", help="keys of evidence/claims/*.yaml (default: every claim)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--sof",
        metavar="FILE",
        help="also write the summary-of-findings table, one row a claim, by FILE's suffix: .html, .csv, "
        ".xlsx, or a figure for slides: .png, .svg, .pdf",
    )


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..appraisal.grade import assess_all

    ev = load(args.evidence)
    unknown = [k for k in args.claims if k not in ev.claim_records]
    if unknown:
        tips = []
        for k in unknown:
            near = difflib.get_close_matches(k, list(ev.claim_records), n=1)
            tips.append(f"'{k}'" + (f" (did you mean '{near[0]}'?)" if near else ""))
        raise UsageError(f"no such claim in {ev.root}/claims/: {', '.join(tips)}")
    if args.sof:
        from ..views.export import SOF_FORMATS, guard_target  # the views stage loads only for --sof

        if Path(args.sof).suffix.lower() not in SOF_FORMATS:
            raise UsageError(f"--sof {args.sof}: unknown format; use a file ending {', '.join(SOF_FORMATS)}")
        guard_target(args.sof)
    assessments = assess_all(ev, args.claims or None)
    if args.sof:
        from ..views.export import write_sof  # the views stage loads only for --sof
        from ..views.sof import sof_rows  # the views stage loads only for --sof

        written = write_sof(sof_rows(assessments), args.sof)
        print(f"wrote {display_path(written)}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([a.to_dict() for a in assessments], indent=2, ensure_ascii=False))
        return 0
    if not assessments:
        print(f"no claims in {ev.root}/claims/")
        return 0
    print("\n\n".join(a.to_text() for a in assessments))

    counts = Counter(a.verdict for a in assessments)
    print(f"\n{len(assessments)} claims: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
    return 0
