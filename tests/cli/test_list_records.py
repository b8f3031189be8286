"""`exoreview list --format json|csv`: the full record of every study kept, read back against the
study files; the table format keeps its display columns."""

from __future__ import annotations

import csv
import io
import json

import yaml

from exoreview.cli import main
from exoreview.commands.list import RECORD_FIELDS
from exoreview.core.evidence import load
from exoreview.core.levels import CITATION_RULES, citation_status


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def files(exhibit_dir):
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (exhibit_dir / "studies").glob("*.yaml")
    }


def test_json_carries_the_full_record(capsys, exhibit_dir):
    code, out, err = run(capsys, "list", "--evidence", str(exhibit_dir), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    recs = files(exhibit_dir)
    vocab = load(exhibit_dir).vocabulary  # coded fields are vocabulary keys (synonyms resolved)
    assert data["count"] == len(recs) == len(data["studies"])
    for row in data["studies"]:
        assert list(row) == list(RECORD_FIELDS)
        rec = recs[row["key"]]
        for name in (
            "title",
            "authors",
            "journal",
            "year",
            "pmid",
            "registry_id",
            "publication_status",
        ):
            assert row[name] == rec.get(name), (row["key"], name)
        assert row["doi"] == rec.get("doi") or rec["doi"].endswith(row["doi"])  # a DOI URL read as the DOI
        for name in ("design", "condition", "cell_source", "vesicle_term"):
            assert row[name] == [vocab.resolve(name, t) for t in rec.get(name) or []], (row["key"], name)
        assert row["models"] == [
            {
                "model": vocab.resolve("model", m["model"]),
                "species": vocab.resolve("species", m["species"]),
                "detail": m.get("detail"),
            }
            for m in rec.get("models") or []
        ]
        assert [o["outcome"] for o in row["outcomes"]] == [
            vocab.resolve("outcome", o["outcome"]) for o in rec.get("outcomes") or []
        ]
        assert row["extraction_level"] == (rec.get("extraction") or {}).get("level")
        assert row["citation_status"] == citation_status(rec)
        assert row["file"].endswith(f"{row['key']}.yaml")


def test_json_citation_status_uses_the_rules(capsys, exhibit_dir):
    _, out, _ = run(capsys, "list", "--evidence", str(exhibit_dir), "--format", "json")
    statuses = {row["citation_status"] for row in json.loads(out)["studies"]}
    assert statuses <= {rule.status for rule in CITATION_RULES} and len(statuses) >= 2


def test_csv_has_the_same_records_one_line_each(capsys, exhibit_dir):
    _, out_json, _ = run(
        capsys, "list", "--evidence", str(exhibit_dir), "--format", "json", "--species", "mouse"
    )
    code, out, _ = run(
        capsys, "list", "--evidence", str(exhibit_dir), "--format", "csv", "--species", "mouse"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    records = json.loads(out_json)["studies"]
    assert [r["key"] for r in rows] == [r["key"] for r in records] and rows
    assert list(rows[0]) == list(RECORD_FIELDS)
    for row, rec in zip(rows, records):
        assert row["title"] == rec["title"]
        assert row["authors"] == "; ".join(rec["authors"] or [])
        assert row["year"] == ("" if rec["year"] is None else str(rec["year"]))  # no "2019.0"
        assert row["models"] == "; ".join(f"{m['model']} ({m['species']})" for m in rec["models"])


def test_table_keeps_its_display_columns(capsys, exhibit_dir, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table is cut to the terminal's width
    code, out, _ = run(capsys, "list", "--evidence", str(exhibit_dir))
    assert code == 0
    assert out.splitlines()[0].split() == ["key", "year", "cell_source", "tier", "species"]
