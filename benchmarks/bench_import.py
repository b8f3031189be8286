"""Import + de-duplication throughput against rispy's parse alone, in the same run.

    python benchmarks/bench_import.py [N]        # default 20000 records

Writes a synthetic RIS export of N records (seeded; titles drawn from a Zipf-distributed
vocabulary of pseudo-words, as real titles are; 10% exact copies, 5% copies with a changed title
case and punctuation, 15% without a DOI, 2% without a year), then times

* the floor: ``rispy.loads`` of the text (parse only),
* exoreview: reading the file (decode, format sniffing, each record found by its TY and ER lines
  and parsed by rispy, its fields checked and normalised) plus de-duplication (DOI, PMID, exact
  and fuzzy title + year) against the records themselves and the shipped evidence base;
* beside it (not a target): the whole ``import_records`` call as ``exoreview import`` runs it.

The ratio exoreview / floor is the number to watch (target ≤ 4). Best of `repeat`, ours and the
floor timed in turn each repeat. ``measure(n)`` returns a dict for ``benchmarks/run.py``. Speed
is measured here only, never asserted in tests.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from pathlib import Path

import rispy

from exoreview.screening.dedupe import evidence_index, find_duplicates
from exoreview.screening.importer import import_records
from exoreview.screening.records import read_files

TARGET = 4.0
EVIDENCE = Path(__file__).resolve().parents[1] / "evidence"
SYLLABLES = (
    "ka",
    "to",
    "re",
    "mi",
    "lo",
    "an",
    "ex",
    "os",
    "ve",
    "si",
    "cu",
    "la",
    "der",
    "pa",
    "pil",
    "fol",
    "li",
    "cle",
    "gen",
    "ic",
    "ha",
    "ir",
    "sto",
    "ma",
    "tri",
    "no",
    "vi",
    "bo",
)


def synthetic_ris(n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(6000)]
    weights = [1 / (i + 1) for i in range(len(words))]
    out: list[dict] = []
    for i in range(n):
        roll = rng.random()
        if out and roll < 0.10:
            out.append(dict(out[rng.randrange(len(out))]))
            continue
        if out and roll < 0.15:
            copy = dict(out[rng.randrange(len(out))])
            copy["title"] = copy["title"].upper().replace(" ", " - ", 1) + "."
            copy.pop("doi", None)
            out.append(copy)
            continue
        rec = {
            "type_of_reference": "JOUR",
            "name_of_database": rng.choice(["Embase", "Scopus", "PubMed"]),
            "title": " ".join(rng.choices(words, weights, k=rng.randint(8, 16))).capitalize(),
            "authors": [
                f"{rng.choice(words).capitalize()}, {rng.choice('ABCDEFGH')}."
                for _ in range(rng.randint(1, 6))
            ],
            "secondary_title": "Journal of " + rng.choice(words).capitalize(),
            "year": str(rng.randint(1995, 2025)),
            "volume": str(rng.randint(1, 60)),
            "start_page": str(rng.randint(1, 999)),
            "abstract": " ".join(rng.choices(words, weights, k=rng.randint(60, 180))),
        }
        if rng.random() < 0.85:
            rec["doi"] = f"10.5555/synthetic.{i}"
        if rng.random() < 0.02:
            del rec["year"]
        out.append(rec)
    return rispy.dumps(out)


def measure(n: int = 20000, *, repeat: int = 5) -> dict:
    """Best-of-`repeat` seconds for rispy's parse and for exoreview's read + de-duplication."""
    text = synthetic_ris(n)
    has_evidence = (EVIDENCE / "vocabulary.yaml").is_file()
    studies = evidence_index(EVIDENCE) if has_evidence else []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.ris"
        path.write_text(text, encoding="utf-8")
        floor, ours, whole = [], [], []
        result = {}
        for _ in range(repeat):
            gc.collect()
            t0 = time.perf_counter()
            parsed = rispy.loads(path.read_text(encoding="utf-8"))
            floor.append(time.perf_counter() - t0)
            n_parsed = len(parsed)
            del parsed
            gc.collect()
            t0 = time.perf_counter()
            records, _reports, problems = read_files([path])
            for i, r in enumerate(records):
                r["id"] = f"R{i + 1:05d}"
            matches = find_duplicates(records, studies=studies)
            ours.append(time.perf_counter() - t0)
            result = {
                "records": len(records),
                "rispy_records": n_parsed,
                "problems": len(problems),
                "duplicates": sum(m.duplicate_of is not None for m in matches),
                "to_check": sum(m.check_with is not None for m in matches),
            }
            del records, matches
            if has_evidence:
                gc.collect()
                t0 = time.perf_counter()
                import_records([path], evidence=EVIDENCE)
                whole.append(time.perf_counter() - t0)
    out = {
        "n": n,
        "bytes": len(text.encode("utf-8")),
        "rispy_s": round(min(floor), 4),
        "exoreview_s": round(min(ours), 4),
        "ratio": round(min(ours) / min(floor), 3),
        "target_ratio": TARGET,
        **result,
    }
    if whole:
        out.update(
            import_records_s=round(min(whole), 4), import_records_ratio=round(min(whole) / min(floor), 3)
        )
    return out


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 20000
    r = measure(n)
    print(
        f"{r['n']} synthetic records ({r['bytes'] / 1e6:.1f} MB): rispy parse {r['rispy_s']:.3f} s · "
        f"exoreview import + de-duplication {r['exoreview_s']:.3f} s · ratio {r['ratio']:.2f} "
        f"(target ≤ {r['target_ratio']:.0f}) · {r['duplicates']} duplicates, {r['to_check']} to check"
    )
    if "import_records_s" in r:
        print(
            f"the whole import_records call (also numbering, the records table, the screening log and "
            f"the evidence index read from {EVIDENCE.name}/): {r['import_records_s']:.3f} s, "
            f"{r['import_records_ratio']:.2f} x rispy"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
