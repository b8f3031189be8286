"""Grading claims: the rule tables, the verdict of every shipped claim, and each GRADE domain
on small evidence built in code (with and without the study-quality columns)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import base_study

import exoreview as xr
from exoreview.appraisal import fit, grading_rules
from exoreview.appraisal.grade import assess, assess_all, card_html, summary_frame
from exoreview.cli import main
from exoreview.core.claims import Cite, Claim


# --- rule tables -------------------------------------------------------------------------------
@pytest.mark.parametrize("start, change, expected", [
    ("high", 0, "high"), ("high", -1, "moderate"), ("high", -2, "low"), ("high", -3, "very low"),
    ("high", -9, "very low"), ("low", -1, "very low"), ("low", 1, "moderate"), ("moderate", 5, "high"),
])
def test_certainty_steps(start, change, expected):
    assert grading_rules.certainty(start, change) == expected


@pytest.mark.parametrize("judgements, assessed, expected", [
    (["low", "low"], [True, True], "not serious"),
    (["high", "high"], [True, True], "very serious"),
    (["high", "high"], [False, False], "serious"),   # judged from design only: never 'very serious'
    (["low", "some concerns"], [True, True], "serious"),
    (["low", "high"], [True, True], "serious"),
])
def test_risk_of_bias_rule(judgements, assessed, expected):
    facts = grading_rules.RobFacts(tuple(judgements), tuple(assessed))
    assert grading_rules.first(grading_rules.ROB_RULES, facts).result == expected


@pytest.mark.parametrize("support, contra, mixed, expected", [
    (3, 0, 0, "not serious"), (0, 2, 0, "not serious"), (3, 1, 0, "serious"), (2, 0, 1, "serious"),
    (1, 1, 0, "very serious"), (1, 3, 0, "very serious"),
])
def test_inconsistency_rule(support, contra, mixed, expected):
    facts = grading_rules.ConsistencyFacts(support, contra, mixed)
    assert grading_rules.first(grading_rules.INCONSISTENCY_RULES, facts).result == expected


@pytest.mark.parametrize("human, n_studies, total, agreeing, expected", [
    (True, 1, 20, 1, "very serious"), (True, 1, 150, 1, "serious"), (True, 4, 70, 4, "serious"),
    (True, 5, 450, 5, "not serious"), (False, 1, 40, 1, "very serious"), (False, 3, 0, 3, "serious"),
    (False, 5, 0, 5, "not serious"), (False, 2, 120, 2, "not serious"),
])
def test_imprecision_rule(human, n_studies, total, agreeing, expected):
    facts = grading_rules.PrecisionFacts(human=human, n_studies=n_studies, total=total, n_agreeing=agreeing)
    assert grading_rules.first(grading_rules.IMPRECISION_RULES, facts).result == expected


@pytest.mark.parametrize("outcome, direction, benefit", [
    ("hair density", "increased", True), ("hair density", "decreased", False),
    ("hair shedding", "decreased", True), ("hair shedding", "increased", False),
    ("apoptosis", "decreased", True), ("alopecia severity", "decreased", True),
    ("alopecia severity", "increased", True),
])
def test_benefit_directions(outcome, direction, benefit):
    assert (direction in grading_rules.benefit_directions(outcome)) is benefit


def test_every_rule_table_ends_with_a_row_that_always_fires():
    tables = [grading_rules.START_RULES, *grading_rules.DOMAIN_RULES.values(), grading_rules.UPGRADE_RULES,
              grading_rules.VERDICTS]
    for rules in tables:
        assert rules[-1].test(object()) is True, rules[-1]


def test_rules_table_prints_the_rows_that_run():
    table = grading_rules.rules_table()
    for name, rules in grading_rules.DOMAIN_RULES.items():
        printed = table[table["rule"] == name]
        assert list(printed["rating / verdict"]) == [r.result for r in rules]
        assert list(printed["when"]) == [r.when for r in rules]
    assert set(grading_rules.VERDICT_NAMES) <= set(table["rating / verdict"])
    assert set(grading_rules.DOMAINS) <= set(table["rule"])
    assert grading_rules.VERDICT_NAMES == ("misattributed", "contradicted", "no-evidence", "preclinical-only",
                               "supported", "limited")




@pytest.fixture(scope="module")
def graded(shipped):
    return {a.claim.key: a for a in assess_all(shipped)}






def test_every_assessment_has_five_reasoned_domains(graded):
    for a in graded.values():
        assert [d.name for d in a.domains] == list(grading_rules.DOMAINS)
        assert all(d.reason.strip() and d.rating in grading_rules.RATINGS for d in a.domains), a.claim.key
        assert a.reasons, a.claim.key


def test_registered_trials_and_reviews_never_support(graded, shipped):
    st = shipped.studies.set_index("key")
    for a in graded.values():
        for role in (*a.supporting, *a.contradicting):
            if role.kind == "study":
                assert bool(st.loc[role.key, "has_results"]), (a.claim.key, role.key)
                assert st.loc[role.key, "tier"] not in ("narrative review", "systematic review")
















def test_to_dict_has_the_documented_keys(graded):
    d = graded["exosome-injections-men-aga"].to_dict()
    assert {"claim", "statement", "verdict", "certainty", "domains", "studies"} <= set(d)
    assert set(d["domains"]) == set(grading_rules.DOMAINS)
    assert all(set(v) == {"rating", "reason"} for v in d["domains"].values())
    assert {"supporting", "contradicting"} <= set(d["studies"])
    json.dumps(d)


def test_summary_frame_and_card(graded):
    frame = summary_frame(list(graded.values()))
    assert len(frame) == len(graded) and set(grading_rules.DOMAINS) <= set(frame.columns)
    html = card_html(graded["exosomes-women-fphl"])
    assert 'data-verdict="limited"' in html and html.count("<tr>") == 6


def test_card_escapes_text(shipped):
    claim = Claim("x", "<script>alert(1)</script> exosomes regrow hair", vesicle_term=("exosome",))
    html = card_html(assess(claim, shipped))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_claim_key_is_a_grading_error(shipped):
    from exoreview.errors import GradingError

    with pytest.raises(GradingError, match="no claim 'nope'"):
        assess("nope", shipped)


# --- study-quality columns (rob_overall, ev_score/ev_max): with and without ------------------------
def _claim():
    return Claim("men", "Exosome injections increase hair density in men with AGA.", condition=("MPHL",),
                 species=("human",), vesicle_term=("exosome",), outcome=("hair density",))


def _quality(monkeypatch, **columns):
    """Every study's risk of bias and EV score as given (what quality.study_columns would say)."""
    monkeypatch.setattr(fit, "study_columns", lambda rec, vocab: {
        "rob_overall": None, "rob_tool": None, "ev_score": None, "ev_max": None, **columns})


def test_risk_of_bias_judged_from_design_when_not_assessed(shipped, monkeypatch):
    _quality(monkeypatch)
    rob = assess(_claim(), shipped).domain("risk_of_bias")
    assert rob.rating == "serious"
    assert "judged from design" in rob.reason and "no control group" in rob.reason
    assert "MISEV" not in rob.reason


def test_risk_of_bias_uses_recorded_judgements(shipped, monkeypatch):
    _quality(monkeypatch, rob_overall="high", ev_score=2, ev_max=10)
    a = assess(_claim(), shipped)
    rob = a.domain("risk_of_bias")
    assert rob.rating == "very serious" and "recorded risk-of-bias judgements" in rob.reason
    assert "Weak EV characterisation" in rob.reason and "2/10" in rob.reason
    _quality(monkeypatch, rob_overall="low", ev_score=9, ev_max=10)
    rob = assess(_claim(), shipped).domain("risk_of_bias")
    assert rob.rating == "not serious" and "Weak EV" not in rob.reason


def test_publication_bias_when_every_supporting_study_is_industry_funded(shipped):
    a = assess(_claim(), replace(shipped, studies=shipped.studies.assign(industry_funded=True)))
    assert a.domain("publication_bias").rating == "serious"
    assert "product's maker" in a.domain("publication_bias").reason
    b = assess(_claim(), replace(shipped, studies=shipped.studies.assign(industry_funded=False)))
    assert b.domain("publication_bias").rating == "not serious"


# --- small evidence built in code -----------------------------------------------------------------
def _human(key, direction="increased", measure="hair count versus placebo", change=None, ctl=None, n=40, **kw):
    effect = {"change": change, "control_change": ctl} if change is not None else None
    out = {"outcome": "hair density", "measure": measure, "direction": direction}
    if effect:
        out["effect"] = effect
    rec = base_study(key, design=["controlled trial"], condition=["MPHL"], n_participants=n,
                     models=[{"model": "clinical", "species": "human", "detail": "men"}],
                     outcomes=[out], **kw)
    return rec


def test_large_consistent_effect_upgrades_non_randomized_evidence(make_evidence):
    root = make_evidence({"a-2021-x.yaml": _human("a-2021-x", change=12.0, ctl=2.0, n=250),
                          "b-2022-y.yaml": _human("b-2022-y", change=9.0, ctl=3.0, n=250)})
    a = assess(_claim(), xr.load(root))
    assert a.upgrade.rating == "+1 large effect" and a.upgrade.change == 1
    assert a.domain("imprecision").rating == "not serious"
    assert a.start == "low" and a.certainty == "low"   # low, -1 risk of bias (no control of confounding), +1
    root2 = make_evidence({"a-2021-x.yaml": _human("a-2021-x", change=12.0, ctl=10.0, n=250),
                           "b-2022-y.yaml": _human("b-2022-y", change=9.0, ctl=3.0, n=250)})
    b = assess(_claim(), xr.load(root2))
    assert b.upgrade.rating == "none" and b.certainty == "very low"


def test_null_results_against_control_contradict(make_evidence):
    root = make_evidence({"a-2021-x.yaml": _human("a-2021-x", "no significant change"),
                          "b-2022-y.yaml": _human("b-2022-y", "no significant change")})
    a = assess(_claim(), xr.load(root))
    assert a.verdict == "contradicted" and len(a.contradicting) == 2
    assert "no significant difference versus control" in a.contradicting[0].reason


def test_mixed_results_are_inconsistent(make_evidence):
    root = make_evidence({"a-2021-x.yaml": _human("a-2021-x"), "b-2022-y.yaml": _human("b-2022-y"),
                          "c-2023-z.yaml": _human("c-2023-z", "no significant change")})
    a = assess(_claim(), xr.load(root))
    assert a.domain("inconsistency").rating == "serious" and a.verdict == "limited"


def test_citing_a_conditioned_medium_study_for_an_exosome_claim_is_misattributed(shipped):
    claim = replace(_claim(), cites=(Cite("Tak YJ et al. 2020", "tak-2020-adsc-ce-rct"),))
    a = assess(claim, shipped)
    assert a.verdict == "misattributed"
    assert any("conditioned medium" in r for r in a.reasons)






def test_cli_grade_text_grades_every_claim(capsys, shipped):
    code = main(["grade"])
    out = capsys.readouterr().out
    assert code == 0 and out.count("  verdict: ") == len(shipped.claims)
    assert out.count("risk_of_bias: ") == len(shipped.claims)


def test_cli_grade_unknown_claim_exits_2(capsys):
    code = main(["grade", "exosomes-beat-prpp"])
    err = capsys.readouterr().err
    assert code == 2 and "did you mean 'exosomes-beat-prp'" in err and "Traceback" not in err


def test_readme_documents_grading_and_audit(graded):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("## Grading claims and auditing texts", 1)[1].split("\n## ", 1)[0]
    for word in (*grading_rules.VERDICT_NAMES, *grading_rules.DOMAINS, "exoreview grade", "exoreview audit", "metadata-mismatch",
                 "off-topic", "not-found", "verified"):
        assert word in section, word
    for key in graded["exosomes-beat-prp"].to_dict():
        assert f'"{key}"' in section, key
