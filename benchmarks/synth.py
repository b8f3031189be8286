"""Write a synthetic evidence folder for benchmarks: ``python benchmarks/synth.py N DIR``.

N valid study files with a seeded, realistic mix of fields (cell sources weighted towards MSC
types, mostly animal and cell studies, some clinical trials and registered trials without
results, 1–4 outcomes each, some mechanisms), plus copies of evidence/vocabulary.yaml,
evidence/schema.yaml and the real evidence/regulatory/ records (timeline milestones), so
``exoreview.load(DIR)`` reads it. Every record says it is synthetic
(title, journal, notes); the DOIs use the reserved-looking prefix 10.99999/synthetic and never
leave the benchmark folder. Not evidence: never write this into evidence/.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

CELL_SOURCES = (
    ("ADSC", 20),
    ("UC-MSC", 14),
    ("BM-MSC", 6),
    ("placental MSC", 5),
    ("MSC", 8),
    ("dermal papilla cells", 10),
    ("fibroblasts", 4),
    ("macrophages", 3),
    ("plant", 3),
    ("colostrum", 2),
    ("plasma", 2),
    ("iPSC-MSC", 2),
    ("not stated", 4),
)
VESICLES = (
    ("exosome", 55),
    ("extracellular vesicles", 20),
    ("conditioned medium", 15),
    ("EV mimetics", 5),
    ("exosome-like nanovesicles", 5),
)
# design, weight, models, has participants
DESIGNS = (
    ("animal", 38, [("telogen-to-anagen model", "mouse"), ("cell culture", "human")]),
    ("in vitro", 18, [("cell culture", "human")]),
    ("ex vivo organ culture", 6, [("organ culture", "human")]),
    ("case series", 10, [("clinical", "human")]),
    ("randomized controlled trial", 6, [("clinical", "human")]),
    ("controlled trial", 4, [("clinical", "human")]),
    ("case report", 4, [("clinical", "human")]),
    ("narrative review", 6, []),
    ("systematic review", 2, []),
)
CONDITIONS = (
    ("AGA", 30),
    ("hair growth", 35),
    ("MPHL", 10),
    ("FPHL", 8),
    ("alopecia areata", 10),
    ("chemotherapy-induced alopecia", 4),
    ("telogen effluvium", 3),
)
OUTCOMES_BY_MODEL = {
    "cell culture": (
        "cell proliferation",
        "cell migration",
        "signalling markers",
        "growth factor expression",
    ),
    "organ culture": ("hair shaft elongation", "follicle number"),
    "telogen-to-anagen model": ("anagen induction", "hair regrowth (animal)", "follicle number"),
    "clinical": ("hair density", "hair diameter", "hair shedding", "patient-reported", "safety"),
    None: ("evidence synthesis",),
}
DIRECTIONS = (("increased", 70), ("no significant change", 10), ("mixed", 8), ("decreased", 7))
MECHANISMS = (
    "Wnt/beta-catenin",
    "VEGF",
    "miRNA cargo",
    "PI3K/Akt",
    "ERK/MAPK",
    "IGF-1",
    "immunomodulation",
    "TGF-beta/SMAD",
)


def _pick(rng: random.Random, table):
    items, weights = zip(*[(t[0], t[1]) for t in table])
    return rng.choices(items, weights=weights, k=1)[0]


def study(i: int, rng: random.Random) -> dict:
    design_row = rng.choices(DESIGNS, weights=[d[1] for d in DESIGNS], k=1)[0]
    design, models = design_row[0], design_row[2]
    clinical = any(m == "clinical" for m, _ in models)
    registered = clinical and rng.random() < 0.2
    year = rng.randint(2008, 2025) if rng.random() > 0.03 else None
    rec: dict = {
        "key": f"synth-{i:06d}",
        "title": f"Synthetic study {i}: {_pick(rng, CELL_SOURCES)} vesicles and hair growth",
        "authors": [f"Author{i % 997} A", f"Coauthor{i % 463} B"],
        "journal": "Synthetic Benchmark Journal" if not registered else "Synthetic trial registry",
        "year": year,
        "doi": None if registered or rng.random() < 0.2 else f"10.99999/synthetic.{i}",
        "pmid": None,
        "registry_id": f"NCT{90000000 + i:08d}" if registered else None,
        "verified_at": ["https://example.org/synthetic"],
        "confidence": "high",
        "extraction": {
            "level": "registry record" if registered else "abstract",
            "source": "https://example.org/synthetic",
            "date": None,
        },
        "publication_status": "registry record" if registered else "peer-reviewed",
        "cell_source": [_pick(rng, CELL_SOURCES)]
        if design not in ("narrative review", "systematic review")
        else ["mixed"],
        "vesicle_term": [_pick(rng, VESICLES)],
        "design": [design],
        "models": [{"model": m, "species": s, "detail": "synthetic"} for m, s in models],
        "condition": [_pick(rng, CONDITIONS)],
        "n_participants": rng.randint(1, 120) if clinical else None,
        "n_animals": rng.randint(6, 60) if design == "animal" else None,
        "industry_funded": rng.choice([True, False, None, None]),
        "notes": "SYNTHETIC record for benchmarks; not evidence.",
    }
    model_keys = [m for m, _ in models] or [None]
    outcomes = []
    for _ in range(rng.randint(1, 4)):
        term = rng.choice(OUTCOMES_BY_MODEL[rng.choice(model_keys)])
        outcomes.append(
            {
                "outcome": term,
                "measure": f"synthetic {term}",
                "direction": "planned" if registered else _pick(rng, DIRECTIONS),
            }
        )
    rec["outcomes"] = outcomes
    if design in ("animal", "in vitro", "ex vivo organ culture") and rng.random() < 0.6:
        rec["mechanisms"] = rng.sample(MECHANISMS, k=rng.randint(1, 2))
    return rec


def write(n: int, folder: str | Path, *, seed: int = 20240229) -> Path:
    """Write `n` synthetic studies into `folder` (created; must not hold studies already)."""
    folder = Path(folder)
    studies = folder / "studies"
    if studies.exists() and any(studies.iterdir()):
        raise SystemExit(f"{studies} already holds files; choose an empty folder")
    if (folder / "vocabulary.yaml").exists() and folder.resolve() == (ROOT / "evidence").resolve():
        raise SystemExit("refusing to write synthetic studies into the real evidence folder")
    studies.mkdir(parents=True, exist_ok=True)
    for name in ("vocabulary.yaml", "schema.yaml"):
        shutil.copy(ROOT / "evidence" / name, folder / name)
    if (ROOT / "evidence" / "regulatory").is_dir():  # the real dated records: timeline milestones
        shutil.copytree(ROOT / "evidence" / "regulatory", folder / "regulatory", dirs_exist_ok=True)
    rng = random.Random(seed)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ~10x faster
    for i in range(n):
        rec = study(i, rng)
        (studies / f"{rec['key']}.yaml").write_text(
            yaml.dump(rec, Dumper=dumper, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    return folder


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python benchmarks/synth.py N DIR", file=sys.stderr)
        return 2
    folder = write(int(argv[0]), argv[1])
    print(f"wrote {argv[0]} synthetic studies to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
