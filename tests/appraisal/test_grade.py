"""Grading claims: the rule tables, the verdict of every shipped claim, and each GRADE domain
on small evidence built in code (with and without the study-quality columns)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import base_study

from exoreview.appraisal import fit_rules, grading_rules
from exoreview.appraisal.assessment import summary_frame
from exoreview.appraisal.cards import card_html
from exoreview.appraisal.grade import assess, assess_all
from exoreview.cli import main
from exoreview.core import rob_tools
from exoreview.core.claims import Cite, Claim


# --- rule tables -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "start, change, expected",
    [
        ("high", 0, "high"),
        ("high", -1, "moderate"),
        ("high", -2, "low"),
        ("high", -3, "very low"),
        ("high", -9, "very low"),
        ("low", -1, "very low"),
        ("low", 1, "moderate"),
        ("moderate", 5, "high"),
    ],
)
def test_certainty_steps(start, change, expected):
    assert grading_rules.certainty(start, change) == expected


@pytest.mark.parametrize(
    "judgements, expected",
    [
        (["low", "low"], "not serious"),
        (["high", "high"], "very serious"),  # high by design (no control) counts: formally assessed or not
        (["critical", "low", "low"], "very serious"),  # ROBINS-I critical stays critical
        (["low", "some concerns"], "serious"),
        (["low", "high", "low"], "serious"),
        (["not assessable", "not assessable", "low"], "not assessable"),
    ],
)
def test_risk_of_bias_rule(judgements, expected):
    facts = grading_rules.RobFacts(tuple(judgements))
    assert grading_rules.first(grading_rules.ROB_RULES, facts).result == expected


@pytest.mark.parametrize(
    "support, contra, mixed, i2, expected",
    [
        (3, 0, 0, None, "not serious"),
        (0, 2, 0, None, "not serious"),
        (3, 1, 0, None, "serious"),
        (2, 0, 1, None, "serious"),
        (1, 1, 0, None, "very serious"),
        (1, 3, 0, None, "very serious"),
        (1, 0, 0, None, "not applicable"),
        (3, 0, 0, 60.0, "serious"),
        (3, 0, 0, 80.0, "very serious"),
        (3, 0, 0, 10.0, "not serious"),
    ],
)
def test_inconsistency_rule(support, contra, mixed, i2, expected):
    facts = grading_rules.ConsistencyFacts(support, contra, mixed, i2)
    assert grading_rules.first(grading_rules.INCONSISTENCY_RULES, facts).result == expected


@pytest.mark.parametrize(
    "human, n_studies, total, unknown, crosses, expected",
    [
        (True, 1, 99, 0, None, "very serious"),  # one study of 99 people ...
        (True, 2, 6, 0, None, "very serious"),  # ... and two of 3 are rated alike (by participants)
        (True, 4, 150, 0, None, "serious"),
        (True, 5, 450, 0, None, "not serious"),
        (True, 5, 450, 0, True, "serious"),  # an interval that includes no effect
        (True, 3, 250, 0, True, "very serious"),
        (False, 3, 40, 0, None, "serious"),
        (False, 2, 120, 0, None, "not serious"),
        (False, 13, 17, 11, None, "not assessable"),  # animal numbers unknown for most studies
    ],
)
def test_imprecision_rule(human, n_studies, total, unknown, crosses, expected):
    facts = grading_rules.PrecisionFacts(
        human=human, n_studies=n_studies, total=total, unknown=unknown, ci_crosses_null=crosses
    )
    assert grading_rules.first(grading_rules.IMPRECISION_RULES, facts).result == expected


@pytest.mark.parametrize(
    "support, funded, n, small, expected",
    [
        (3, 3, 3, False, "serious"),
        (3, 1, 3, False, "not serious"),
        (4, 0, 4, True, "serious"),
        (1, 0, 1, True, "not serious"),
        (2, 0, 2, False, "not serious"),
    ],
)
def test_publication_bias_rule(support, funded, n, small, expected):
    facts = grading_rules.PublicationFacts(
        support=support, funded=funded, n_studies=n, small_positive=small, pending_trials=0
    )
    assert grading_rules.first(grading_rules.PUBLICATION_BIAS_RULES, facts).result == expected


@pytest.mark.parametrize(
    "outcome, direction, benefit",
    [
        ("hair density", "increased", True),
        ("hair density", "decreased", False),
        ("hair shedding", "decreased", True),
        ("hair shedding", "increased", False),
        ("apoptosis", "decreased", True),
        ("alopecia severity", "decreased", True),
        ("alopecia severity", "increased", True),
    ],
)
def test_benefit_directions(outcome, direction, benefit):
    assert (direction in fit_rules.benefit_directions(outcome)) is benefit


def test_every_rule_table_ends_with_a_row_that_always_fires():
    tables = [*grading_rules.DOMAIN_RULES.values(), grading_rules.UPGRADE_RULES, grading_rules.VERDICTS]
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
    assert grading_rules.VERDICT_NAMES == (
        "misattributed",
        "contradicted",
        "no-evidence",
        "preclinical-only",
        "supported",
        "limited",
        "very-uncertain",
    )


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
    assert f'data-verdict="{graded["exosomes-women-fphl"].verdict}"' in html and html.count("<tr>") == 6
    assert "exoreview-plain" in html


def test_card_escapes_text(shipped):
    claim = Claim("x", "<script>alert(1)</script> exosomes regrow hair", vesicle_term=("exosome",))
    html = card_html(assess(claim, shipped))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_claim_key_is_a_grading_error(shipped):
    from exoreview.errors import GradingError

    with pytest.raises(GradingError, match="no claim 'nope'"):
        assess("nope", shipped)


# --- study-quality columns (rob_overall, ev_score/ev_max): with and without ------------------------
def _claim(**kw):
    return Claim(
        "men",
        "Exosome injections increase hair density in men with AGA.",
        condition=("MPHL",),
        species=("human",),
        vesicle_term=("exosome",),
        outcome=("hair density",),
        **kw,
    )


MICE = Claim(
    "mice",
    "Exosomes promote hair regrowth in mice.",
    species=("mouse",),
    vesicle_term=("exosome",),
    outcome=("hair-cycle",),
)
FULL = {"level": "full text", "source": "https://example.org/full", "date": "2026-12-05"}


def _human(
    key, direction="increased", measure="hair count versus placebo", n=40, design="controlled trial", **kw
):
    out = {"outcome": "hair density", "measure": measure, "direction": direction}
    out.update(kw.pop("outcome_fields", {}))
    return base_study(
        key,
        design=[design],
        condition=["MPHL"],
        n_participants=n,
        models=[{"model": "clinical", "species": "human", "detail": "men"}],
        outcomes=[out],
        **kw,
    )


def _series(key, n=20, **kw):
    return _human(key, measure="hair density from baseline", n=n, design="case series", **kw)


def _mouse(key, direction="increased", animals=None, **kw):
    return base_study(
        key,
        design=["animal"],
        n_animals=animals,
        models=[{"model": "telogen-to-anagen model", "species": "mouse", "detail": "C57BL/6"}],
        outcomes=[
            {
                "outcome": "anagen induction",
                "measure": "anagen entry versus PBS control",
                "direction": direction,
            }
        ],
        **kw,
    )


def _syrcle(judgement="yes"):
    return {
        "tool": "SYRCLE",
        "items": [
            {"item": i, "judgement": judgement, "support": f"The paper on {i}."}
            for i in rob_tools.TOOLS["SYRCLE"].item_ids
        ],
    }


# 1. the start comes from the body, stratum by stratum, not from its best study
def test_one_small_rct_does_not_lift_a_body_of_series(grade_on):
    rct = _human(
        "rct-2021-a",
        design="randomized controlled trial",
        n=20,
        route_text="exosomes combined with plant extracts",
    )
    series = {f"s-202{i}-b": _series(f"s-202{i}-b") for i in range(3)}
    a = grade_on(_claim(), {"rct-2021-a": rct, **series})
    assert a.certainty == "very low" and len(a.strata) == 2
    assert any(s.startswith("randomized trials (1)") for s in a.strata)
    b = grade_on(_claim(), series)
    assert b.certainty == a.certainty and b.carried_by == "uncontrolled human studies"


def test_series_never_start_above_low(grade_on):
    a = grade_on(_claim(), {f"s-202{i}-b": _series(f"s-202{i}-b", n=300) for i in range(2)})
    assert a.start == "low" and a.carried_by == "uncontrolled human studies"


# 2. uncontrolled designs reach very serious risk of bias; a JBI checklist does not make them low
def test_uncontrolled_series_are_high_risk_whatever_their_checklist(grade_on):
    jbi = {
        "tool": "JBI case series",
        "items": [
            {"item": i, "judgement": "yes", "support": "Stated."}
            for i in rob_tools.TOOLS["JBI case series"].item_ids
        ],
    }
    studies = {f"s-202{i}-b": _series(f"s-202{i}-b", extraction=FULL, risk_of_bias=jbi) for i in range(2)}
    rob = grade_on(_claim(), studies).domain("risk_of_bias")
    assert rob.rating == "very serious" and "checklist measures reporting, not bias" in rob.reason


# 3. a domain that cannot be assessed says so and keeps the claim from being supported
def test_abstract_only_animal_body_is_not_assessable_and_not_supported(grade_on):
    studies = {f"m-202{i}-c": _mouse(f"m-202{i}-c") for i in range(6)}
    a = grade_on(MICE, studies)
    assert a.domain("risk_of_bias").rating == "not assessable"
    assert a.domain("imprecision").rating == "not assessable"
    assert a.domain("risk_of_bias").reason.startswith("not assessable")
    assert a.verdict != "supported" and a.bounded and "at most" in a.certainty_shown
    assert any("could not be assessed" in r for r in a.reasons)


def test_full_text_animal_body_of_adequate_size_can_be_supported(grade_on):
    characterised = dict(
        isolation=["size-exclusion chromatography"],
        dose="1e9 particles",
        characterization=["NTA", "TEM", "CD63", "TSG101", "calnexin negative"],
    )
    studies = {
        f"m-202{i}-c": _mouse(
            f"m-202{i}-c",
            animals=30,
            extraction=FULL,
            risk_of_bias=_syrcle(),
            funding_coi="University grant",
            industry_funded=False,
            **characterised,
        )
        for i in range(4)
    }
    a = grade_on(MICE, studies)
    assert a.domain("indirectness").rating == "not serious"
    assert a.domain("risk_of_bias").rating == "not serious" and not a.bounded
    # four small all-positive experiments: publication bias suspected (GRADE), so moderate
    assert a.domain("publication_bias").rating == "serious" and a.certainty == "moderate"
    assert a.verdict == "supported"


# 4. publication bias for a small, all-positive body, and registered trials without results are named
def test_publication_bias_for_small_all_positive_bodies(grade_on):
    small = grade_on(_claim(), {f"a-202{i}-x": _human(f"a-202{i}-x", n=30) for i in range(3)})
    assert small.domain("publication_bias").rating == "serious"
    mixed = grade_on(
        _claim(),
        {
            "a-2021-x": _human("a-2021-x", n=30),
            "b-2022-y": _human("b-2022-y", "no significant change", n=300),
        },
    )
    assert mixed.domain("publication_bias").rating == "not serious"


def test_publication_bias_when_every_supporting_study_is_industry_funded(grade_on):
    funded = {f"a-202{i}-x": _human(f"a-202{i}-x", n=300, industry_funded=True) for i in range(2)}
    a = grade_on(_claim(), funded)
    assert a.domain("publication_bias").rating == "serious" and "maker" in a.domain("publication_bias").reason


# 5. what counts as support
def test_a_direction_read_from_a_title_only_borders(grade_on):
    rec = _human("a-2021-x", outcome_fields={"seen_in": "title"})
    a = grade_on(_claim(), {"a-2021-x": rec})
    assert not a.supporting and "title only" in a.bordering[0].reason and a.verdict == "no-evidence"


def test_within_group_change_in_a_controlled_study_only_borders(grade_on):
    rec = _human("a-2021-x", measure="hair density from baseline")
    a = grade_on(_claim(), {"a-2021-x": rec})
    assert not a.supporting and "within-group" in a.bordering[0].reason
    series = grade_on(_claim(), {"s-2021-b": _series("s-2021-b")})  # an uncontrolled series can only do this
    assert [r.key for r in series.supporting] == ["s-2021-b"]


def test_unseen_results_are_not_mixed(grade_on):
    a = grade_on(_claim(), {"a-2021-x": _human("a-2021-x", None), "b-2022-y": _human("b-2022-y")})
    assert a.domain("inconsistency").rating == "not applicable"
    assert "result not seen" in next(r.reason for r in a.bordering if r.key == "a-2021-x")


def test_preprints_and_inferred_records_are_rated_down(grade_on):
    rec = _series("s-2021-b", publication_status="preprint")
    rob = grade_on(_claim(), {"s-2021-b": rec}).domain("risk_of_bias")
    assert "not peer reviewed" in rob.reason
    a = grade_on(MICE, {"m-2021-c": _mouse("m-2021-c", confidence="low")})
    assert (
        "some concerns" in a.domain("risk_of_bias").reason and "inferred" in a.domain("risk_of_bias").reason
    )


def test_reports_of_the_same_experiment_count_once(grade_on):
    a1 = _mouse("m-2021-c", related=[{"study": "m-2022-d", "relation": "same experiment, published version"}])
    a = grade_on(MICE, {"m-2021-c": a1, "m-2022-d": _mouse("m-2022-d")})
    assert [r.key for r in a.supporting] == ["m-2021-c"]
    assert "same experiment" in next(r.reason for r in a.bordering if r.key == "m-2022-d")
    b = grade_on(
        MICE,
        {
            "m-2021-c": _mouse("m-2021-c", related=[{"study": "m-2022-d", "relation": "same group"}]),
            "m-2022-d": _mouse("m-2022-d"),
        },
    )
    assert len(b.supporting) == 2


# 6. indirectness from every difference
def test_co_interventions_are_indirect_unless_claimed(grade_on):
    studies = {f"s-202{i}-b": _series(f"s-202{i}-b", route=["microneedling"]) for i in range(2)}
    a = grade_on(_claim(), studies)
    assert a.domain("indirectness").rating == "serious" and "microneedling" in a.domain("indirectness").reason
    b = grade_on(_claim(route=("microneedling",)), studies)
    assert b.domain("indirectness").rating == "not serious"


def test_cell_only_evidence_for_a_living_animal_claim_is_very_serious(grade_on):
    cells = base_study(
        "c-2021-e",
        design=["in vitro"],
        models=[{"model": "cell culture", "species": "human", "detail": "DP cells"}],
        outcomes=[
            {
                "outcome": "anagen induction",
                "measure": "anagen markers versus control",
                "direction": "increased",
            }
        ],
    )
    a = grade_on(MICE, {"c-2021-e": cells})
    assert a.domain("indirectness").rating == "very serious"
    animal = grade_on(MICE, {"m-2021-c": _mouse("m-2021-c")})
    assert animal.domain("indirectness").rating == "not serious"


# 7. the certainty beside a verdict is the certainty of what the verdict says
REGULATOR = {
    "key": "reg-2020-a",
    "title": "Notice",
    "issuer": "A regulator",
    "date": "2020-01-01",
    "url": "https://example.org/notice",
    "verified_at": ["https://example.org/notice"],
    "kind": "regulator notice",
    "facts": ["Adverse events after exosome products were reported."],
    "adverse_events_reported": True,
    "serious_adverse_events": True,
    "hair_use": False,
    "approved_products": 0,
}


def test_contradicted_by_a_record_carries_the_records_certainty(grade_on):
    no_harm = Claim("n", "Exosomes have no side effects.", asserts="no-harm", vesicle_term=("exosome",))
    a = grade_on(
        no_harm,
        {"s-2021-b": _series("s-2021-b", adverse_events="no adverse events")},
        regulatory={"reg-2020-a": REGULATOR},
    )
    assert (
        a.verdict == "contradicted"
        and a.certainty == "high"
        and a.certainty_of == "the contradicting records"
    )


def test_serious_events_in_other_uses_do_not_directly_contradict_a_hair_safety_claim(grade_on):
    safe = Claim(
        "s",
        "Exosome treatment for hair loss is safe.",
        asserts="safety",
        vesicle_term=("exosome",),
        population="people treated for hair loss",
    )
    studies = {
        f"s-202{i}-b": _series(f"s-202{i}-b", n=50, adverse_events="no adverse events") for i in range(2)
    }
    a = grade_on(safe, studies, regulatory={"reg-2020-a": REGULATOR})
    assert a.verdict != "contradicted" and any(r.key == "reg-2020-a" for r in a.bordering)
    # 8 (harms as harms): zero events in 100 people still allow a rate of up to 3%
    assert any("100 participants" in r and "3.0%" in r for r in a.reasons)
    in_hair = {
        **REGULATOR,
        "hair_use": True,
        "adverse_events_in": {"use": "scalp injections for hair loss", "hair": True},
    }
    hair = grade_on(safe, studies, regulatory={"reg-2020-a": in_hair})
    assert hair.verdict == "contradicted"


# 9. verdicts and plain words tell low from very low
def test_low_and_very_low_read_differently(grade_on):
    big = grade_on(_claim(), {f"a-202{i}-x": _human(f"a-202{i}-x", n=250) for i in range(2)})
    small = grade_on(_claim(), {"s-2021-b": _series("s-2021-b")})
    assert (big.certainty, small.certainty) == ("low", "very low")
    assert (big.verdict, small.verdict) == ("limited", "very-uncertain")
    assert big.plain_language.startswith("May be true") and small.plain_language.startswith("Very uncertain")


# 10. a large effect upgrades only between-group effects with nothing rated down
def _arms_study(key, treated, control, n=250):
    arms = [
        {"label": "exosomes", "role": "intervention", "n": n // 2, "mean": treated, "sd": 10.0},
        {"label": "placebo", "role": "control", "n": n // 2, "mean": control, "sd": 10.0},
    ]
    return _human(
        key,
        n=n,
        extraction=FULL,
        funding_coi="none",
        industry_funded=False,
        outcome_fields={"effect": {"unit": "hairs/cm2", "arms": arms, "source": "Table 2"}},
    )


def test_large_effect_needs_between_group_effects_and_nothing_rated_down(grade_on):
    a = grade_on(
        _claim(),
        {"a-2021-x": _arms_study("a-2021-x", 40.0, 20.0), "b-2022-y": _arms_study("b-2022-y", 42.0, 20.0)},
    )
    assert a.upgrade.rating == "none" and "rated down" in a.upgrade.reason  # confounding: risk of bias
    assert "a-2021-x" in a.upgrade.reason


def test_null_results_against_control_contradict(grade_on):
    a = grade_on(
        _claim(),
        {
            "a-2021-x": _human("a-2021-x", "no significant change"),
            "b-2022-y": _human("b-2022-y", "no significant change"),
        },
    )
    assert a.verdict == "contradicted" and len(a.contradicting) == 2
    assert a.certainty_of == "the contradicting studies"


def test_mixed_results_are_inconsistent(grade_on):
    a = grade_on(
        _claim(),
        {
            "a-2021-x": _human("a-2021-x"),
            "b-2022-y": _human("b-2022-y"),
            "c-2023-z": _human("c-2023-z", "no significant change"),
        },
    )
    assert a.domain("inconsistency").rating == "serious"


def test_citing_a_conditioned_medium_study_for_an_exosome_claim_is_misattributed(shipped):
    claim = replace(_claim(), cites=(Cite("Tak YJ et al. 2020", "tak-2020-adsc-ce-rct"),))
    a = assess(claim, shipped)
    assert a.verdict == "misattributed"


def test_cli_grade_text_grades_every_claim(capsys, shipped):
    code = main(["grade"])
    out = capsys.readouterr().out
    assert code == 0 and out.count("  verdict: ") == len(shipped.claims)
    assert out.count("risk_of_bias: ") == len(shipped.claims)


def test_cli_grade_unknown_claim_exits_2(capsys):
    code = main(["grade", "exosomes-beat-prpp"])
    err = capsys.readouterr().err
    assert code == 2 and "did you mean 'exosomes-beat-prp'" in err and "Traceback" not in err
