"""Risk-of-bias tools and EV reporting (exoreview/quality.py): rule tables, validation of the
`risk_of_bias` block (file, line, item), the shipped assessments, and `exoreview quality`."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from conftest import EVIDENCE, base_study, snapshot

import exoreview as xr
from exoreview.appraisal import misev, quality, rob
from exoreview.cli import main
from exoreview.core import rob_tools


def dump(rec: dict) -> str:
    return yaml.safe_dump(rec, sort_keys=False, allow_unicode=True)


def block(tool: str, judgements: dict[str, str] | None = None, default: str = "unclear", **extra) -> dict:
    spec = rob_tools.TOOLS[tool]
    judgements = judgements or {}
    return {
        "tool": tool,
        **extra,
        "items": [
            {
                "item": i,
                "judgement": judgements.get(i, default),
                "support": f"What the record says about {i}.",
            }
            for i in spec.item_ids
        ],
    }


# --- overall algorithms --------------------------------------------------------------------
ROB2 = rob_tools.TOOLS["RoB 2"].item_ids
ROBINS = rob_tools.TOOLS["ROBINS-I"].item_ids
JBI = rob_tools.TOOLS["JBI case series"].item_ids
SYR = rob_tools.TOOLS["SYRCLE"].item_ids


def _j(ids, *values):
    return dict(zip(ids, values))


@pytest.mark.parametrize(
    "tool, judgements, expected",
    [
        ("RoB 2", _j(ROB2, *["low"] * 5), "low"),
        ("RoB 2", _j(ROB2, "low", "some concerns", "low", "low", "low"), "some concerns"),
        (
            "RoB 2",
            _j(ROB2, "some concerns", "some concerns", "some concerns", "some concerns", "some concerns"),
            "some concerns",
        ),
        ("RoB 2", _j(ROB2, "low", "low", "high", "some concerns", "low"), "high"),
        ("ROBINS-I", _j(ROBINS, *["low"] * 7), "low"),
        ("ROBINS-I", _j(ROBINS, "moderate", *["low"] * 6), "moderate"),
        ("ROBINS-I", _j(ROBINS, "moderate", "no information", *["low"] * 5), "no information"),
        ("ROBINS-I", _j(ROBINS, "serious", "no information", *["low"] * 5), "serious"),
        ("ROBINS-I", _j(ROBINS, "serious", "critical", *["low"] * 5), "critical"),
        ("JBI case series", _j(JBI, *["yes"] * 7, *["no"] * 3), "low"),  # 70% yes
        ("JBI case series", _j(JBI, *["yes"] * 6, *["no"] * 4), "moderate"),  # 60%
        ("JBI case series", _j(JBI, *["yes"] * 4, *["no"] * 6), "high"),  # 40%
        ("JBI case series", _j(JBI, *["yes"] * 4, "no", *["unclear"] * 5), "unclear"),  # half unclear
        ("JBI case series", _j(JBI, *["yes"] * 6, *["unclear"] * 3, "not applicable"), "moderate"),  # 6/9
        ("JBI case series", _j(JBI, *["yes"] * 7, *["unclear"] * 2, "not applicable"), "low"),  # 7/9
        ("JBI case series", _j(JBI, *["not applicable"] * 10), "unclear"),
        ("SYRCLE", _j(SYR, *["yes"] * 10), "low"),
        ("SYRCLE", _j(SYR, *["yes"] * 9, "unclear"), "unclear"),
        ("SYRCLE", _j(SYR, "no", *["unclear"] * 9), "high"),
    ],
)
def test_overall_follows_the_tool(tool, judgements, expected):
    assert rob_tools.overall(tool, judgements) == expected


def test_every_wording_has_a_level_and_a_cross_tool_mapping():
    for name, tool in rob_tools.TOOLS.items():
        assert all((name, j) in rob.LEVEL for j in tool.scale), name
        assert all(rob.LEVEL[(name, j)] in rob.LEVELS for j in tool.scale)
        for word in tool.overall_scale:
            assert rob.CROSS_TOOL[(name, word)] in rob.CROSS_TOOL_LEVELS, (name, word)
    assert set(rob_tools.TOOL_BY_LEVEL.values()) == set(rob_tools.TOOLS)


@pytest.mark.parametrize(
    "design, status, tool",
    [
        (["randomized controlled trial"], "peer-reviewed", "RoB 2"),
        (["in vitro", "controlled trial"], "peer-reviewed", "ROBINS-I"),
        (["prospective uncontrolled trial", "narrative review"], "peer-reviewed", "JBI case series"),
        (["case series"], "preprint", "JBI case series"),
        (["case report"], "peer-reviewed", "JBI case report"),
        (["in vitro", "animal", "ex vivo organ culture"], "peer-reviewed", "SYRCLE"),
        (["in vitro", "ex vivo organ culture"], "peer-reviewed", None),
        (["systematic review"], "peer-reviewed", None),
        (["narrative review"], "book chapter", None),
        (["randomized controlled trial"], "registry record", None),
        (["randomized controlled trial"], "protocol", None),
    ],
)
def test_tool_for_the_strongest_design_with_results(shipped, design, status, tool):
    got, why = rob_tools.tool_for({"design": design, "publication_status": status}, shipped.vocabulary)
    assert got == tool
    assert why


def with_quality(ev):
    """ev.studies with each study's tool, cross-tool risk of bias and EV score (quality.summary)."""
    q = quality.summary(ev)[["study", "rob_tool", "rob_cross_tool", "ev_score", "ev_max"]]
    out = ev.studies.merge(
        q.rename(columns={"rob_cross_tool": "rob_overall"}), left_on="key", right_on="study"
    )
    return out.drop(columns="study")


# --- validation of the block -----------------------------------------------------------------
def _problems(root):
    report = xr.validate(root)
    return [(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code, p.message) for p in report.problems]


def test_a_correct_block_loads_and_feeds_the_quality_summary(make_evidence):
    rec = base_study(extraction=FULL_TEXT, risk_of_bias=block("SYRCLE", {"sequence_generation": "no"}))
    ev = xr.load(make_evidence({"doe-2021-adsc-exos.yaml": rec}))
    row = with_quality(ev).iloc[0]
    assert (row["rob_tool"], row["rob_overall"]) == ("SYRCLE", "high")
    a = rob.assess_rob(ev.study("doe-2021-adsc-exos"), ev.vocabulary)
    assert a.overall == "high" and len(a.items) == 10
    assert a.items[0].level == "high" and a.items[1].level == "unclear"


def test_a_study_without_a_block_is_not_yet_assessed(make_evidence):
    ev = xr.load(make_evidence({"doe-2021-adsc-exos.yaml": base_study()}))
    row = with_quality(ev).iloc[0]
    assert row["rob_tool"] == "SYRCLE"
    assert pd.isna(row["rob_overall"])
    assert "not yet assessed" in rob.assess_rob(ev.study("doe-2021-adsc-exos"), ev.vocabulary).why


BAD = [
    # label, risk_of_bias block, code, field, message fragment
    ("wrong tool", block("RoB 2"), "rob-wrong-tool", "risk_of_bias.tool", "use 'SYRCLE'"),
    (
        "unknown item",
        {
            **block("SYRCLE"),
            "items": block("SYRCLE")["items"][:-1]
            + [{"item": "other_biass", "judgement": "unclear", "support": "s"}],
        },
        "rob-unknown-item",
        "risk_of_bias.items[9].item",
        "did you mean 'other_bias'",
    ),
    (
        "judgement not in the tool's words",
        block("SYRCLE", {"random_housing": "low"}),
        "rob-bad-judgement",
        "risk_of_bias.items[3].judgement",
        "allowed: yes, no, unclear",
    ),
    (
        "missing item",
        {**block("SYRCLE"), "items": block("SYRCLE")["items"][:8]},
        "rob-missing-item",
        "risk_of_bias.items",
        "missing: selective_reporting, other_bias",
    ),
    (
        "duplicate item",
        {**block("SYRCLE"), "items": block("SYRCLE")["items"] + [block("SYRCLE")["items"][0]]},
        "rob-duplicate-item",
        "risk_of_bias.items[10].item",
        "judged twice",
    ),
    (
        "overall against the algorithm",
        block("SYRCLE", overall="low"),
        "rob-bad-overall",
        "risk_of_bias.overall",
        "gives 'unclear'",
    ),
    (
        "tool not in the schema",
        {**block("SYRCLE"), "tool": "Cochrane RoB 1"},
        "bad-choice",
        "risk_of_bias.tool",
        "allowed",
    ),
    (
        "no support sentence",
        {
            **block("SYRCLE"),
            "items": [{**block("SYRCLE")["items"][0], "support": None}, *block("SYRCLE")["items"][1:]],
        },
        "missing-value",
        "risk_of_bias.items[0].support",
        "must not be empty",
    ),
]


@pytest.mark.parametrize("label, rob, code, field, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_blocks_name_file_line_and_item(make_evidence, label, rob, code, field, fragment):
    text = dump(base_study(risk_of_bias=rob))
    root = make_evidence({"doe-2021-adsc-exos.yaml": text})
    before = snapshot(root)
    found = [p for p in _problems(root) if p[3] == code]
    assert found, _problems(root)
    name, line, got_field, _, message = found[0]
    assert name == "doe-2021-adsc-exos.yaml" and got_field == field and fragment in message
    assert line is not None and line > 1
    assert snapshot(root) == before
    with pytest.raises(xr.ValidationError):
        xr.load(root)


def test_a_review_with_a_block_is_refused(make_evidence):
    rec = base_study(design=["narrative review"], risk_of_bias=block("SYRCLE"))
    probs = _problems(make_evidence({"doe-2021-adsc-exos.yaml": rec}))
    assert [p[3] for p in probs] == ["rob-not-applicable"]
    assert "set risk_of_bias: null" in probs[0][4]


def test_rob2_escalation_to_high_needs_the_algorithm_and_a_reason(make_evidence):
    rct = dict(design=["randomized controlled trial"], models=[{"model": "clinical", "species": "human"}])
    concerns = {"randomization": "some concerns", "deviations": "some concerns"}
    ok = base_study(
        **rct,
        risk_of_bias=block(
            "RoB 2",
            concerns,
            default="low",
            overall="high",
            overall_support="two domains together undermine it",
        ),
    )
    no_reason = base_study(**rct, risk_of_bias=block("RoB 2", concerns, default="low", overall="high"))
    all_low = base_study(**rct, risk_of_bias=block("RoB 2", default="low", overall="high"))
    root = make_evidence(
        {
            "a-2021.yaml": {**ok, "key": "a-2021"},
            "b-2021.yaml": {**no_reason, "key": "b-2021"},
            "c-2021.yaml": {**all_low, "key": "c-2021"},
        }
    )
    codes = {(p[0], p[3]) for p in _problems(root)}
    assert codes == {("b-2021.yaml", "rob-overall-unsupported"), ("c-2021.yaml", "rob-bad-overall")}


def test_every_problem_is_reported_at_once_by_the_cli(make_evidence, capsys):
    rob = {
        **block("SYRCLE", {"random_housing": "low"}),
        "items": block("SYRCLE", {"random_housing": "low"})["items"][:9],
    }
    root = make_evidence({"doe-2021-adsc-exos.yaml": base_study(risk_of_bias=rob)})
    assert main(["validate", str(root)]) == 1
    err = capsys.readouterr().err
    assert "rob-" not in err  # codes stay internal; messages are for people
    assert "risk_of_bias.items[3].judgement" in err and "missing: other_bias" in err
    assert "Traceback" not in err


# --- EV reporting ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dose, unit",
    [
        (None, "not reported"),
        ("about 10 billion exosomes per treatment", "particles"),
        ("5e8 to 5e9 particles/cm2", "particles"),
        ("3 x 10^9 particles per side", "particles"),
        ("one 20 mg vial (about 10 billion exosomes)", "particles"),
        ("2.5, 5, 7.5 and 10 ug/mL", "protein mass"),
        ("100 µg protein per injection", "protein mass"),
        ("2 ml per half-scalp", "volume or concentration only"),
        ("every 4 weeks (particle dose not stated in the abstract)", "not quantified"),
    ],
)
def test_dose_units(dose, unit):
    assert misev.dose_unit(dose) == unit


FULL_TEXT = {"level": "full text", "source": "https://example.org/full", "date": "2026-12-05"}


def _ev(shipped, **fields):
    """EV reporting of a study read in full text (what is not coded is not reported)."""
    return misev.ev_reporting(base_study(**{"extraction": FULL_TEXT, **fields}), shipped.vocabulary)


def test_full_misev_characterisation_justifies_exosome(shipped):
    r = _ev(
        shipped,
        isolation=["density gradient"],
        characterization=["NTA", "TEM", "CD63", "TSG101", "calnexin negative"],
        dose="1e9 particles per mouse",
    )
    assert r.applicable and r.score == r.max == 10 and r.dose_comparable and r.flags() == []


def test_thin_reporting_scores_low_and_is_flagged(shipped):
    r = _ev(shipped, isolation=["precipitation"], characterization=["CD9"], dose="50 µg")
    got = {i.item: i.reported for i in r.items}
    assert got["isolation_method"] and not got["isolation_specificity"]  # kit: low specificity
    assert got["transmembrane_marker"] and not got["cytosolic_marker"]
    assert got["dose_reported"] and not got["dose_in_particles"]
    assert not got["vesicle_term_justified"]  # 'exosome' unsupported
    assert r.score == 3 and r.max == 10
    assert any("dose not comparable (protein mass)" in f for f in r.flags())


def test_not_extracted_is_not_not_reported(shipped):
    """From an abstract, an item not coded is not extracted (null), never 'not reported'."""
    r = misev.ev_reporting(
        base_study(isolation=["precipitation"], characterization=["CD9"], dose="50 µg"), shipped.vocabulary
    )
    got = {i.item: i.reported for i in r.items}
    assert got["transmembrane_marker"] is True and got["cytosolic_marker"] is None
    assert got["negative_marker"] is None and got["vesicle_term_justified"] is None
    assert got["dose_in_particles"] is False  # the dose read shows its unit
    assert (
        r.score == 3
        and r.max == 5
        and set(r.unassessed)
        == {"particle_count", "imaging", "cytosolic_marker", "negative_marker", "vesicle_term_justified"}
    )
    assert r.shown() == "3/5 (5 not extracted)"
    assert not any("no EV marker" in f for f in r.flags()) and any("not extracted" in f for f in r.flags())
    # the same study read in full text: those items are not reported by the study
    full = _ev(shipped, isolation=["precipitation"], characterization=["CD9"], dose="50 µg")
    assert {i.item: i.reported for i in full.items}["cytosolic_marker"] is False and full.max == 10


def test_risk_of_bias_from_an_abstract_is_not_assessable(make_evidence):
    rec = base_study(risk_of_bias=block("SYRCLE", {"sequence_generation": "yes"}))
    a = rob.assess_rob(rec, xr.load(make_evidence({"doe-2021-adsc-exos.yaml": rec})).vocabulary)
    assert a.overall is None and a.cross_tool is None and not a.assessed
    assert "not assessable: not extracted (abstract only)" in a.why
    judgements = {i.item: i.judgement for i in a.items}
    assert judgements["sequence_generation"] == "yes" and judgements["blinding_assessors"] == "not extracted"


def test_markers_are_read_from_the_study_text_too(shipped):
    r = _ev(shipped, vesicle_term=["EV"], characterization_text=["western blot: CD81, ALIX, calnexin absent"])
    got = {i.item: i.reported for i in r.items}
    assert got["transmembrane_marker"] and got["cytosolic_marker"] and got["negative_marker"]
    assert got["vesicle_term_justified"]  # a generic term needs no proof of origin


def test_conditioned_medium_and_records_without_results_are_not_scored(shipped):
    assert not _ev(shipped, vesicle_term=["conditioned medium"]).applicable
    assert _ev(shipped, vesicle_term=["conditioned medium"]).score is None
    assert not _ev(shipped, publication_status="registry record").applicable


# --- CLI ------------------------------------------------------------------------------------
def test_quality_json(capsys):
    assert main(["quality", "--evidence", str(EVIDENCE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == len(list((EVIDENCE / "studies").glob("*.yaml")))
    first = next(d for d in data if d["rob_tool"] == "RoB 2")
    assert set(first) >= {"study", "design", "rob_tool", "rob_overall", "rob_items", "ev_reporting"}
    assert set(first["rob_items"]) == set(rob_tools.TOOLS["RoB 2"].item_ids)
    assert set(first["ev_reporting"]) >= {"score", "max", "items"}
    review = next(d for d in data if d["design"] == "narrative review")
    assert (
        review["rob_tool"] is None and review["rob_items"] == {} and review["ev_reporting"]["score"] is None
    )


def test_quality_text_and_tool_filter(capsys):
    assert main(["quality", "--evidence", str(EVIDENCE), "--tool", "SYRCLE"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert all("SYRCLE" in line for line in out[:-1])
    assert out[-1].startswith(f"{len(out) - 1} studies")


def test_quality_on_invalid_evidence_exits_1(make_evidence, capsys):
    root = make_evidence({"doe-2021-adsc-exos.yaml": base_study(risk_of_bias=block("RoB 2"))})
    assert main(["quality", "--evidence", str(root)]) == 1
    assert "use 'SYRCLE'" in capsys.readouterr().err
