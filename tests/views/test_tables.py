"""Evidence table and regulatory panel: one row a study, links, escaping, rule tables, exports."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest
from conftest import base_study, snapshot

import exoreview as xr
from exoreview.core.filters import Filter
from exoreview.errors import UsageError
from exoreview.views import tables

XSS = "<script>alert(1)</script>"


def _rows(html_text: str) -> int:
    body = html_text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def test_one_row_a_study_with_caption_and_links(exhibit):
    t = tables.evidence_table(exhibit)
    assert len(t) == len(exhibit.studies)
    assert t.caption == f"Evidence table · all studies · {len(exhibit.studies)} studies"
    html_text = t.to_html()
    assert _rows(html_text) == len(exhibit.studies)
    assert 'class="exoreview-table"' in html_text
    assert 'href="https://doi.org/10.9999/exhibit.2017.1"' in html_text
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/11111111/"' in html_text
    row = t.data.set_index("key").loc["ex-2017-msc-mouse"]
    assert row["doi_url"] == "https://doi.org/10.9999/exhibit.2017.1"
    assert (
        row["citation_status"] == exhibit.studies.set_index("key").loc["ex-2017-msc-mouse", "citation_status"]
    )
    # the citation status and the funding flag are visible columns
    assert "<th" in html_text and ">Citation</th>" in html_text and ">Funding</th>" in html_text


def test_caption_carries_the_filter(exhibit):
    spec = Filter(cell_sources=["ADSC"])
    t = tables.evidence_table(spec.apply(exhibit), spec=spec)
    assert spec.describe() in t.caption and f"· {len(t)} studies" in t.caption
    assert tables.evidence_table(exhibit, caption="my words").caption.startswith("Evidence table · my words")


def test_every_text_is_escaped(make_evidence):
    rec = base_study(
        "xss",
        title=XSS,
        journal='J "quoted" & <b>bold</b>',
        notes=XSS,
        outcomes=[{"outcome": "hair density", "measure": XSS, "direction": "increased"}],
    )
    ev = xr.load(make_evidence({"xss.yaml": rec}))
    html_text = tables.evidence_table(ev).to_html()
    assert "<script>alert" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "<b>bold</b>" not in html_text and "&lt;b&gt;bold&lt;/b&gt;" in html_text


def test_registered_trials_are_marked_rows(exhibit):
    html_text = tables.evidence_table(exhibit).to_html()
    n_reg = int((exhibit.studies["tier"] == "registered, no results").sum())
    assert html_text.count('<tr class="hollow">') == n_reg == 1


FULL = {"level": "full text", "source": "https://example.org/full", "date": "2026-12-05"}


@pytest.mark.parametrize(
    "fields, flag",
    [
        ({"industry_funded": True}, "industry"),
        ({"industry_funded": False}, "no industry"),
        ({"funding_coi": "Grant from a ministry"}, "unclear"),  # stated, but not who made the product
        ({}, "not extracted (abstract only)"),  # nobody has read the statement yet
        ({"extraction": FULL, "not_reported": ["funding_coi"]}, "not reported by the study"),
    ],
)
def test_funding_flag(make_evidence, fields, flag):
    ev = xr.load(make_evidence({"a.yaml": base_study("a", **fields)}))
    assert tables.evidence_table(ev).data["funding"].tolist() == [flag]


@pytest.mark.parametrize(
    "direction, shown",
    [("increased", "↑"), ("decreased", "↓"), ("no significant change", "↔ n.s."), ("mixed", "±")],
)
def test_outcome_direction_symbols(make_evidence, direction, shown):
    rec = base_study("a", outcomes=[{"outcome": "hair density", "measure": "m", "direction": direction}])
    t = tables.evidence_table(xr.load(make_evidence({"a.yaml": rec})))
    assert t.display(t.data)["_outcomes_shown"].iloc[0] == [f"hair density / count {shown}"]
    assert t.data["outcomes"].iloc[0] == f"hair density / count ({direction})"


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"doi": "10.1000/xyz", "pmid": None, "registry_id": None}, ["DOI 10.1000/xyz"]),
        ({"doi": None, "pmid": "12345", "registry_id": None}, ["PMID 12345"]),
        ({"doi": None, "pmid": None, "registry_id": "NCT01234567"}, ["NCT NCT01234567"]),
        ({"doi": None, "pmid": None, "registry_id": "IRCT2020"}, []),  # no link we can vouch for
        ({"doi": None, "pmid": None, "registry_id": None}, []),
    ],
)
def test_links(fields, expected):
    got = tables.links(fields)
    assert [t for t, _ in got] == expected
    assert all(u.startswith("https://") for _, u in got)


def test_n_column_sorts_by_number(make_evidence):
    ev = xr.load(
        make_evidence(
            {
                "a.yaml": base_study("a", n_animals=48),
                "b.yaml": base_study(
                    "b", n_participants=7, models=[{"model": "clinical", "species": "human"}]
                ),
            }
        )
    )
    html_text = tables.evidence_table(ev).to_html()
    assert 'data-sort="48.0">48 animals</td>' in html_text
    assert 'data-sort="7.0">7 participants</td>' in html_text
    assert html_text.count("onclick=") == len(tables.EVIDENCE_COLUMNS)


def test_more_than_four_outcomes_are_summarised(make_evidence):
    outs = [
        {"outcome": o, "measure": o, "direction": "increased"}
        for o in (
            "hair density",
            "hair diameter",
            "hair shedding",
            "safety",
            "patient-reported",
            "alopecia severity",
        )
    ]
    t = tables.evidence_table(xr.load(make_evidence({"a.yaml": base_study("a", outcomes=outs)})))
    shown = t.display(t.data)["_outcomes_shown"].iloc[0]
    assert len(shown) == 5 and shown[-1] == "+2 more"
    assert t.data["outcomes"].iloc[0].count("(increased)") == 6  # exports keep every outcome


def test_max_rows_says_how_many_are_hidden(exhibit):
    html_text = tables.evidence_table(exhibit).to_html(max_rows=3)
    assert _rows(html_text) == 3
    assert f"first 3 of {len(exhibit.studies)} rows" in html_text


def test_exports_csv_xlsx_html(exhibit, tmp_path, make_evidence):
    t = tables.evidence_table(exhibit)
    csv_path = t.export(tmp_path / "t.csv")
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(exhibit.studies)
    assert list(rows[0]) == list(tables.EVIDENCE_EXPORT)
    wb = openpyxl.load_workbook(t.export(tmp_path / "t.xlsx"))
    assert wb["evidence"].max_row == len(exhibit.studies) + 1
    page = t.export(tmp_path / "t.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "exoreview-table" in page and "onclick=" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=[\"']?https?:", page)


def test_spreadsheet_exports_neutralise_formulas(make_evidence, tmp_path):
    ev = xr.load(make_evidence({"a.yaml": base_study("a", title='=HYPERLINK("http://x")')}))
    path = tables.evidence_table(ev).export(tmp_path / "t.csv")
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")


def test_export_refuses_the_evidence_folder(exhibit, exhibit_dir):
    before = snapshot(exhibit_dir)
    with pytest.raises(UsageError, match="evidence folder"):
        tables.evidence_table(exhibit).export(exhibit_dir / "studies" / "t.csv")
    with pytest.raises(UsageError):
        tables.evidence_table(exhibit).export(exhibit_dir / "t.html")
    assert snapshot(exhibit_dir) == before


def test_regulatory_panel(shipped):
    t = tables.regulatory_table(shipped)
    assert len(t) == len(shipped.regulatory)
    html_text = t.to_html()
    assert _rows(html_text) == len(shipped.regulatory)
    rec = shipped.regulatory_records["fda-2019-psn-exosome-products"]
    assert f'href="{rec["url"]}"' in html_text
    for fact in rec["facts"]:
        assert f"<li>{tables.html.escape(fact)}</li>" in html_text
    assert "study filters do not apply" in t.caption
    row = t.data.set_index("key").loc["fda-2019-psn-exosome-products"]
    assert row["adverse_events"] == "reported, serious"
    assert row["approved_products"] == 0
