"""Claims in the wild: which sentences of a page are claims (detect), what they assert beyond "it
works" (scope.claim_kind), and how that scope is graded (fit, grade). Sentences are written here in
the constructions marketing uses, not copied from the development set (tests/data/claims), which
test_claims_devset.py measures."""

from __future__ import annotations

import pytest
from conftest import base_study

from exoreview.appraisal.audit import audit
from exoreview.appraisal.detect import Topic, read_sentence
from exoreview.appraisal.scope import claim_kind, tag_scope
from exoreview.core.claims import Claim

EXOSOME_PAGE = Topic(vesicles=True, secretome=False, hair=True, why="test page")


# --- which sentences are claims --------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("It delivers growth factors straight to the follicle.", "claim"),  # the page's topic carries
        ("Patients usually notice thicker hair within eight weeks.", "claim"),
        ("Just one session is all you need.", "claim"),
        ("Exosomes aren’t a miracle cure.", "disclaimer"),  # curly apostrophe, negated
        ("There is currently no FDA-approved exosome product.", "disclaimer"),
        ("These products are not TGA-approved or MFDS-approved for injection.", "disclaimer"),
        ("No side effects have been reported in our clinic.", "claim"),  # 'no side effects' is the claim
        ("More clinical studies are needed to confirm these results.", "hedge"),
        ("Serum therapy lacks high-quality clinical evidence so far.", "hedge"),
        (
            "Although more research is needed, results appear within two weeks.",
            "claim",
        ),  # onset outlives the hedge
        ("I'm wondering whether exosomes would help my thinning crown", "question"),
        ("Does it hurt?", "question"),
        ("In this guide, we explain what exosome therapy is, how it works and who it suits.", "navigation"),
        ("Book a consultation", "navigation"),
        ("Speak with your doctor before starting any treatment.", "disclaimer"),
        ("We do not offer exosome injections at this clinic.", "practice statement"),
        ("The solution is injected into the scalp with a fine, gentle needle.", "procedure"),
        ("The serum is applied right after microneedling.", "background"),  # asserts nothing
        ("The serum is applied right after microneedling to reactivate sleeping follicles.", "claim"),
        ("The telogen phase typically lasts about three months.", "background"),
        (
            "Minoxidil must be used every day to keep its effect.",
            "background",
        ),  # another treatment's sentence
    ],
)
def test_reading_sentences_on_a_page_about_exosomes(shipped, sentence, kind):
    assert read_sentence(sentence, EXOSOME_PAGE, shipped.vocabulary).kind == kind


def test_a_page_without_the_topic_carries_nothing(shipped):
    off = Topic(vesicles=False, secretome=False, hair=True, why="a page about minoxidil")
    assert (
        read_sentence("It delivers growth factors straight to the follicle.", off, shipped.vocabulary).kind
        == "background"
    )


def test_the_topic_is_read_from_the_page(shipped):
    page = (
        "Exosome Hair Restoration\n\nExosomes are tiny vesicles released by stem cells.\n\n"
        "They wake up dormant follicles. Results show within three weeks."
    )
    found = audit(page, shipped).claims
    assert [c.sentence for c in found] == [
        "They wake up dormant follicles.",
        "Results show within three weeks.",
    ]
    assert found[1].scope["asserts"] == "onset" and found[1].scope["onset_weeks"] == 3.0


# --- what a claim asserts --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Visible regrowth starts 6–8 weeks after the first session.",
            {"asserts": "onset", "onset_weeks": 6.0},
        ),
        ("Most people see new growth around the fifth month.", {"asserts": "onset", "onset_weeks": 21.6}),
        ("Results usually appear in two to three months.", {"asserts": "onset", "onset_weeks": 8.7}),
        (
            "The effect was maintained for 5.2 ± 1.1 months.",
            {"asserts": "durability", "min_follow_up_weeks": 22.5},
        ),
        ("Regrowth is permanent.", {"asserts": "durability", "min_follow_up_weeks": 104.0}),
        ("Only a single treatment is needed.", {"asserts": "dose", "dose_sessions": 1.0}),
        ("A course of three sessions gives the best results.", {"asserts": "superiority"}),  # 'best' compares
        (
            "Each vial holds 2 x 10^10 vesicles, enough to restore density.",
            {"asserts": "dose", "dose_particles": 2e10},
        ),
        ("It regrows hair faster than finasteride.", {"asserts": "superiority", "comparator": "finasteride"}),
        (
            "It is the most natural way to treat thinning.",
            {"asserts": "superiority", "comparator": "other treatments"},
        ),
        (
            "Combined with microneedling, it works even better.",
            {"asserts": "superiority", "comparator": "the treatments alone"},
        ),
        ("It helped more than 40 patients grow hair.", {"asserts": "benefit"}),  # 'more than 40'
        (
            "It prolongs the anagen phase of the hair cycle.",
            {"asserts": "mechanism", "mechanism_outcomes": ("anagen induction",)},
        ),
        (
            "They slip through the bloodstream to reach tissues.",
            {"asserts": "mechanism", "unmeasured": ("penetration and distribution",)},
        ),
        ("By prolonging anagen it increases hair density.", {"asserts": "benefit"}),  # a clinical measure
        ("Our vesicles are processed to FDA standards.", {"asserts": "approval", "regulator": "FDA"}),
        ("Exosomes are made in an FDA-registered laboratory.", {"asserts": "approval", "registration": True}),
        ("Korea banned exosome injections last year.", {"asserts": "approval", "restriction": True}),
        ("It is safe when injected by a physician.", {"asserts": "safety"}),
        ("It is not safer than PRP.", {"asserts": "benefit"}),  # negated comparison
    ],
)
def test_claim_kind_reads_the_scope(sentence, expected):
    got = claim_kind(sentence)
    for key, value in expected.items():
        assert got.get(key) == (pytest.approx(value, abs=0.1) if isinstance(value, float) else value), key


def test_a_mean_with_its_spread_is_not_a_number_of_sessions():
    assert "dose_sessions" not in claim_kind("Repigmentation came after 3.1 ± 0.4 sessions on average.")


def test_target_cells_are_not_the_vesicles_source(shipped):
    scope = tag_scope(
        "They stimulate dermal papilla cells, hair matrix cells and keratinocytes.", shipped.vocabulary
    )
    assert scope["cell_source"] == () and "DPC" in scope["target_cells"]
    scope = tag_scope("Exosomes from adipose stem cells act on dermal papilla cells.", shipped.vocabulary)
    assert scope["cell_source"] == ("ADSC",) and scope["target_cells"] == ("DPC",)


# --- the scope, graded -------------------------------------------------------------------------------
def _trial(
    key,
    dose=None,
    comparator=None,
    measure="hair count versus placebo",
    models=None,
    outcome="hair density",
    **kw,
):
    return base_study(
        key,
        design=["controlled trial"],
        condition=["MPHL"],
        n_participants=60,
        dose=dose,
        comparator=comparator,
        models=models or [{"model": "clinical", "species": "human", "detail": "men"}],
        outcomes=[{"outcome": outcome, "measure": measure, "direction": "increased"}],
        **kw,
    )


def _dose_claim(**kw):
    return Claim(
        "d", "This dose is enough.", asserts="dose", vesicle_term=("exosome",), condition=("MPHL",), **kw
    )


def test_a_dose_claim_needs_a_study_of_about_that_dose(grade_on):
    study = {"t-2021-a": _trial("t-2021-a", dose="10 billion exosomes per session, six monthly sessions")}
    assert grade_on(_dose_claim(dose_particles=4e11), study).verdict == "no-evidence"
    near = grade_on(_dose_claim(dose_particles=1.2e10), study)
    assert near.verdict != "no-evidence" and [r.key for r in near.supporting] == ["t-2021-a"]
    assert grade_on(_dose_claim(dose_sessions=6), study).supporting
    five = grade_on(_dose_claim(dose_sessions=1), study)
    assert five.verdict == "no-evidence"
    assert any("gave 6 sessions, not 1" in r.reason for r in five.bordering) or not five.supporting


def test_superiority_needs_a_result_against_that_comparator(grade_on):
    claim = Claim(
        "s",
        "Exosomes beat minoxidil.",
        asserts="superiority",
        comparator="minoxidil",
        vesicle_term=("exosome",),
        condition=("MPHL",),
    )
    versus_untreated = _trial(
        "t-2021-a", comparator="minoxidil; untreated", measure="hair count versus untreated"
    )
    assert grade_on(claim, {"t-2021-a": versus_untreated}).verdict == "no-evidence"
    versus_minoxidil = _trial(
        "t-2021-a", comparator="minoxidil; untreated", measure="hair count versus minoxidil"
    )
    assert [r.key for r in grade_on(claim, {"t-2021-a": versus_minoxidil}).supporting] == ["t-2021-a"]


def test_a_mechanism_no_outcome_records_is_no_evidence(grade_on):
    claim = Claim(
        "m",
        "They cross barriers.",
        asserts="mechanism",
        vesicle_term=("exosome",),
        unmeasured=("penetration and distribution",),
    )
    a = grade_on(claim, {"t-2021-a": _trial("t-2021-a")})
    assert a.verdict == "no-evidence" and "measured penetration and distribution" in a.reasons[0]


def test_a_trials_laboratory_outcomes_are_not_evidence_in_people(grade_on):
    mixed = _trial(
        "t-2021-a",
        outcome="cell proliferation",
        measure="DP cell proliferation versus control",
        models=[
            {"model": "clinical", "species": "human", "detail": "men"},
            {"model": "cell culture", "species": "human", "detail": "DP cells"},
        ],
    )
    claim = Claim(
        "m",
        "Exosomes make follicle cells multiply.",
        asserts="mechanism",
        vesicle_term=("exosome",),
        outcome=("cell proliferation",),
    )
    assert grade_on(claim, {"t-2021-a": mixed}).verdict == "preclinical-only"


REGULATOR = {
    "key": "reg-2020-a",
    "title": "Notice",
    "issuer": "A regulator",
    "region": "United States",
    "date": "2020-01-01",
    "url": "https://example.org/notice",
    "verified_at": ["https://example.org/notice"],
    "kind": "regulator notice",
    "facts": ["No exosome product is approved."],
    "approved_products": 0,
}


def test_a_ban_is_not_contradicted_by_records_that_nothing_is_approved(grade_on):
    ban = Claim(
        "b",
        "The regulator banned exosome injections.",
        asserts="approval",
        restriction=True,
        vesicle_term=("exosome",),
    )
    a = grade_on(ban, {"t-2021-a": _trial("t-2021-a")}, regulatory={"reg-2020-a": REGULATOR})
    assert a.verdict == "no-evidence" and "ban or warning letter" in a.reasons[0]
    approved = Claim("a", "It is approved.", asserts="approval", vesicle_term=("exosome",))
    assert (
        grade_on(approved, {"t-2021-a": _trial("t-2021-a")}, regulatory={"reg-2020-a": REGULATOR}).verdict
        == "contradicted"
    )


# --- the sentences, as a page -------------------------------------------------------------------
def test_marketing_sentences_keep_their_scope(shipped):
    page = (
        "Exosome therapy for hair loss\n\n"
        "Exosome therapy gives faster onset and more robust hair growth than PRP. "
        "No complications or side effects have ever been reported with exosome therapy. "
        "A vial with about 400 billion exosomes is enough to regenerate hair growth. "
        "A 2021 Journal of Dermatological Science study showed that it regrows hair in women."
    )
    found = {c.scope["asserts"]: c for c in audit(page, shipped).claims}
    assert found["superiority"].scope["comparator"] == "PRP" and found["superiority"].verdict == "no-evidence"
    assert found["no-harm"].verdict == "contradicted"
    assert found["dose"].scope["dose_particles"] == 4e11 and found["dose"].verdict == "no-evidence"
    cited = found["benefit"]
    assert cited.verdict == "misattributed"
    assert any("no study in the evidence base matches journal and year" in r for r in cited.reasons)


# --- retracted and flagged work ---------------------------------------------------------------------------
RETRACTION = {"kind": "retraction", "date": "2024-05-01", "source": "https://example.org/retraction"}
CONCERN = {"kind": "expression of concern", "date": "2024-05-01", "source": "https://example.org/eoc"}


def test_a_retracted_study_never_counts(grade_on):
    claim = Claim(
        "c",
        "Exosomes increase hair density in men.",
        vesicle_term=("exosome",),
        condition=("MPHL",),
        outcome=("hair density",),
    )
    a = grade_on(claim, {"t-2021-a": _trial("t-2021-a", notice=RETRACTION)})
    assert a.verdict == "no-evidence" and not a.supporting
    assert any(r.key == "t-2021-a" and r.reason.startswith("retracted") for r in a.bordering)
    cited = grade_on(
        Claim(
            "c",
            claim.statement,
            vesicle_term=("exosome",),
            condition=("MPHL",),
            cites=({"study": "t-2021-a"},),
        ),
        {"t-2021-a": _trial("t-2021-a", notice=RETRACTION)},
    )
    assert cited.verdict == "misattributed" and any("is retracted (2024-05-01" in r for r in cited.reasons)


def test_an_expression_of_concern_is_named_in_the_risk_of_bias(grade_on):
    claim = Claim(
        "c",
        "Exosomes increase hair density in men.",
        vesicle_term=("exosome",),
        condition=("MPHL",),
        outcome=("hair density",),
        cites=({"study": "t-2021-a"},),
    )
    a = grade_on(claim, {"t-2021-a": _trial("t-2021-a", notice=CONCERN)})
    assert "expression of concern" in a.domain("risk_of_bias").reason
    assert any(
        r.startswith("cited study t-2021-a carries a notice: expression of concern") for r in a.reasons
    )


def test_the_audit_flags_a_cited_work_with_a_notice(evidence_on):
    ev = evidence_on(
        {"t-2021-a": _trial("t-2021-a", notice=RETRACTION, title="Exosomes restore hair in men")}
    )
    text = (
        "Exosome injections restore hair in men [1].\n\nReferences\n"
        "1. Doe J, Roe R. Exosomes restore hair in men. Journal of Examples. 2021;1:1-2."
    )
    f = audit(text, ev)
    assert any(d.startswith("notice: retraction (2024-05-01") for d in f.references[0].differences)
    assert f.claims[0].verdict == "misattributed"
