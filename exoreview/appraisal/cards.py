"""The HTML a reviewer reads: a claim card (statement, verdict, certainty, each domain's reason,
the studies behind it) and the audit of a text (references and claims). Every piece of text from
evidence files or audited texts is escaped. Colours are Okabe–Ito (colour-blind safe).

Takes an :class:`~exoreview.appraisal.grade.Assessment` or an audit
:class:`~exoreview.appraisal.audit.Findings` (any object with their attributes): this module sits
below both, so each can render itself.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

VERDICT_COLOURS: Mapping[str, str] = {  # Okabe–Ito
    "supported": "#009E73",
    "limited": "#E69F00",
    "preclinical-only": "#56B4E9",
    "contradicted": "#D55E00",
    "no-evidence": "#999999",
    "misattributed": "#CC79A7",
    "very-uncertain": "#0072B2",
}


def card_html(a: Any, *, max_studies: int = 12) -> str:
    """One claim card: statement, verdict, certainty, domain reasons, studies (all text escaped)."""
    e = html.escape
    colour = VERDICT_COLOURS.get(a.verdict, "#999999")
    rows = "".join(
        f"<tr><th>{e(d.name.replace('_', ' '))}</th><td>{e(d.rating)}</td><td>{e(d.reason)}</td></tr>"
        for d in (*a.domains, a.upgrade)
    )

    def studies(label: str, roles: Sequence[Any]) -> str:
        if not roles:
            return ""
        items = "".join(f"<li><b>{e(r.key)}</b>: {e(r.reason)}</li>" for r in roles[:max_studies])
        more = f"<li>… and {len(roles) - max_studies} more</li>" if len(roles) > max_studies else ""
        return f"<details><summary>{e(label)} ({len(roles)})</summary><ul>{items}{more}</ul></details>"

    made = a.claim.made_in.get("url") or a.claim.made_in.get("source") or ""
    facts = (
        f"strongest design: {a.strongest_design or '—'} · participants {a.participants} · "
        f"animals {a.animals} · species {', '.join(a.species) or '—'}"
    )
    return (
        f'<div class="exoreview-claim-card" data-claim="{e(a.claim.key)}" data-verdict="{e(a.verdict)}" '
        f'style="border-left:6px solid {colour};padding:6px 12px;margin:10px 0;background:#fafafa">'
        f"<p><b>{e(a.claim.statement)}</b><br><small>{e(a.claim.key)}"
        f"{' · made in ' + e(made) if made else ''}</small></p>"
        f'<p><span style="background:{colour};color:#fff;padding:2px 8px;border-radius:3px">'
        f"{e(a.verdict)}</span> certainty: <b>{e(getattr(a, 'certainty_shown', a.certainty or '—'))}</b>"
        f"{' of ' + e(a.certainty_of) if getattr(a, 'certainty_of', None) else ''}"
        f"{' (' + e(a.carried_by) + ')' if getattr(a, 'carried_by', None) else ''}</p>"
        f'<p class="exoreview-plain"><i>{e(getattr(a, "plain_language", ""))}</i></p>'
        f"<ul>{''.join(f'<li>{e(r)}</li>' for r in a.reasons)}</ul>"
        f"<p><small>{e(facts)}</small></p>"
        + (
            f'<p class="exoreview-reading-note"><small>⚠ {e(a.reading_note)}</small></p>'
            if getattr(a, "reading_note", None)
            else ""
        )
        + f'<table class="exoreview-domains">{rows}</table>'
        f"{studies('supporting', a.supporting)}{studies('contradicting', a.contradicting)}"
        f"{studies('bordering', a.bordering)}</div>"
    )


def cards_html(assessments: Sequence[Any]) -> str:
    return "".join(card_html(a) for a in assessments)


STATUS_COLOURS = {
    "verified": "#009E73",
    "metadata-mismatch": "#E69F00",
    "off-topic": "#D55E00",
    "not-found": "#CC79A7",
}


def findings_html(f: Any) -> str:
    """The audit as two HTML tables (references, claims); every piece of text is escaped."""
    e = html.escape

    def badge(text: str, colour: str) -> str:
        return (
            f'<span style="background:{colour};color:#fff;padding:1px 6px;border-radius:3px">{e(text)}</span>'
        )

    ref_rows = (
        "".join(
            f"<tr><td>{e(r.label)}</td><td>{badge(r.status, STATUS_COLOURS.get(r.status, '#999'))}</td>"
            f"<td>{e(r.study or '')}</td><td>{e(r.text)}<ul>{''.join(f'<li>{e(d)}</li>' for d in r.differences)}"
            "</ul></td></tr>"
            for r in f.references
        )
        or '<tr><td colspan="4">no reference list found</td></tr>'
    )
    claim_rows = (
        "".join(
            f"<tr><td>{e(c.sentence)}</td><td>{e(', '.join(c.cites))}</td>"
            f"<td>{badge(c.verdict, VERDICT_COLOURS.get(c.verdict, '#999'))}</td><td>{e(c.certainty or '—')}</td>"
            f"<td><ul>{''.join(f'<li>{e(r)}</li>' for r in c.reasons)}"
            f"{''.join(f'<li><b>overreach</b>: {e(o)}</li>' for o in c.overreach)}</ul></td></tr>"
            for c in f.claims
        )
        or '<tr><td colspan="5">no sentence about exosomes/EVs and hair found</td></tr>'
    )
    notes = "".join(f"<li>{e(n)}</li>" for n in f.notes)
    return (
        f'<div class="exoreview-audit"><p>{e(f.summary())}</p>'
        '<table class="exoreview-audit-references"><tr><th>ref</th><th>status</th><th>study</th>'
        f"<th>reference and differences</th></tr>{ref_rows}</table>"
        '<table class="exoreview-audit-claims"><tr><th>sentence</th><th>cites</th><th>verdict</th>'
        f"<th>certainty</th><th>reasons</th></tr>{claim_rows}</table>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + "</div>"
    )
