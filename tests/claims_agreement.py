"""Agreement of the auditor with the claims development set (tests/data/claims/dev.yaml).

Each page's sentences (in page order, with the sentence before where the set gives it) are audited
as one text; the page's topic is the one its entry states, since the set holds excerpts whose
titles were not copied. A claim sentence is *found* when a claim finding lies inside it (the
splitter may cut a long one in two; the first piece's verdict counts), and its verdict *agrees*
when it is one the labeller accepted. Non-claims must give no finding.

    python tests/claims_agreement.py            # table per claim type, then every disagreement
    python tests/claims_agreement.py --brief    # the table only
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from exoreview.appraisal.audit import audit
from exoreview.appraisal.detect import Topic
from exoreview.appraisal.findings import ClaimFinding
from exoreview.core.evidence import Evidence, load
from exoreview.core.vocab import normalize

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "claims" / "dev.yaml"


@dataclass(frozen=True)
class Outcome:
    entry: dict
    findings: tuple[ClaimFinding, ...]

    @property
    def found(self) -> bool:
        return bool(self.findings)

    @property
    def verdict(self) -> str | None:
        return self.findings[0].verdict if self.findings else None

    @property
    def agrees(self) -> bool:
        return self.verdict in self.entry.get("verdicts", ())

    @property
    def overreach_found(self) -> bool:
        return any(f.overreach for f in self.findings)


def load_set(path: Path = DEV) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def pages(entries: list[dict]) -> list[list[dict]]:
    """Runs of consecutive entries from one page."""
    out: list[list[dict]] = []
    for e in entries:
        if out and out[-1][0]["url"] == e["url"]:
            out[-1].append(e)
        else:
            out.append([e])
    return out


def _page_text(page: list[dict]) -> str:
    lines: list[str] = []
    for e in page:
        if e.get("before") and (not lines or lines[-1] != e["before"]):
            lines.append(e["before"])
        lines.append(e["text"])
    return "\n\n".join(lines)


def _inside(piece: str, sentence: str) -> bool:
    a, b = normalize(piece), normalize(sentence)
    return bool(a) and (a in b or b in a)


def run(evidence: Evidence, entries: list[dict] | None = None, *, given_topic: bool = True) -> list[Outcome]:
    entries = load_set() if entries is None else entries
    outcomes = []
    for page in pages(entries):
        kind = page[0].get("page_topic") or "exosomes"
        topic = (
            Topic(True, kind == "secretome", True, f"the set's page topic: {kind}") if given_topic else None
        )
        findings = audit(_page_text(page), evidence, source=page[0]["url"], topic=topic).claims
        for e in page:
            outcomes.append(Outcome(e, tuple(f for f in findings if _inside(f.sentence, e["text"]))))
    return outcomes


def table(outcomes: list[Outcome]) -> list[dict]:
    """One row per claim type (and the non-claims by kind), with a total row."""
    rows: dict[str, dict] = defaultdict(
        lambda: {"n": 0, "found": 0, "agree": 0, "overreach": 0, "flagged": 0}
    )
    for o in outcomes:
        e = o.entry
        if e["is_claim"]:
            for name in (e["claim_type"], "all claims"):
                r = rows[name]
                r["n"] += 1
                r["found"] += o.found
                r["agree"] += o.agrees
                r["overreach"] += bool(e.get("overreach"))
                r["flagged"] += bool(e.get("overreach")) and o.overreach_found
        else:
            for name in ("non-claim: " + e["why"].split()[0].rstrip(":,;("), "all non-claims"):
                r = rows[name]
                r["n"] += 1
                r["found"] += o.found
    return [
        {"type": k, **v}
        for k, v in sorted(rows.items(), key=lambda kv: (kv[0].startswith(("all", "non")), kv[0]))
    ]


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    —  "


def report(outcomes: list[Outcome], brief: bool = False) -> str:
    lines = [f"{'claim type':28} {'n':>4} {'found':>8} {'verdict agrees':>15} {'overreach flagged':>18}"]
    for r in table(outcomes):
        if r["type"].startswith(("non-claim", "all non")):
            lines.append(f"{r['type']:28} {r['n']:4} {'taken as claims: ' + str(r['found']):>30}")
        else:
            lines.append(
                f"{r['type']:28} {r['n']:4} {_pct(r['found'], r['n']):>8} {_pct(r['agree'], r['n']):>15} "
                f"{_pct(r['flagged'], r['overreach']):>18}"
            )
    if brief:
        return "\n".join(lines)
    lines += ["", "DISAGREEMENTS"]
    for o in outcomes:
        e = o.entry
        if e["is_claim"] and not o.agrees:
            lines.append(
                f"{e['id']} {e['claim_type']}: {o.verdict or 'not found'} (accepted: "
                f"{', '.join(e['verdicts'])}) - {e['text'][:110]}"
            )
            if o.findings:
                lines += [f"      {r[:160]}" for r in o.findings[0].reasons[:3]]
        elif not e["is_claim"] and o.found:
            lines.append(f"{e['id']} taken as a claim, but it is a {e['why'].split()[0]}: {e['text'][:110]}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    evidence = load(ROOT / "evidence")
    print(report(run(evidence), brief="--brief" in argv))
    if "--brief" not in argv:
        print("\nwith the topic read from the excerpts alone (no page topic given):")
        print(report(run(evidence, given_topic=False), brief=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
