"""exoreview grade [CLAIM_KEY ...] [--format text|json]"""

from __future__ import annotations

import argparse
import difflib
import json
from collections import Counter

from ..core.evidence import load
from ..errors import UsageError

HELP = "grade claims against the evidence: verdict, certainty and five reasoned GRADE domains"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "claims", nargs="*", metavar="CLAIM_KEY", help="keys of evidence/claims/*.yaml (default: every claim)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")


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
    assessments = assess_all(ev, args.claims or None)
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
