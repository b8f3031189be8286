"""Security: text from evidence files and imports is escaped in every HTML output, proven in a
real browser; payloads planted in titles, notes, claims, regulatory records, a source text and a
search export must show as text and never run.

Every payload, if it ran, would push its name onto ``window.__xss`` (or open a dialog); each
page is checked for that, for injected markup (script elements, ``on*`` attributes and
``javascript:`` links that carry a payload) and for the payload being visible as plain text.
The outputs: the evidence, regulatory, claim-card, audit and import tables written as HTML
files, the whole meeting report built on the planted evidence, and the Voilà dashboard served
over it (with a payload typed into its free-text filter too).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import (
    EVIDENCE,
    EXHIBIT,
    base_study,
    chromium,
    locked_execute,
    need_chromium,
    new_page,
    voila_server,
)

pytestmark = pytest.mark.browser


def _push(name: str) -> str:
    return f"(window.__xss=window.__xss||[]).push('{name}')"


PAYLOADS = {
    "script": f"<script>{_push('script')}</script>",
    "img": f'<img src=x onerror="{_push("img")}">',
    "svg": f'"><svg onload="{_push("svg")}">',
    "breakout": f"</td></table></textarea></style></title><script>{_push('breakout')}</script>",
    "attr": f"' onmouseover='{_push('attr')}' data-x='",
    "link": f'<a href="javascript:{_push("link")}">click</a>',
    "iframe": '<iframe srcdoc="<script>(parent.__xss=parent.__xss||[]).push(`iframe`)</script>"></iframe>',
    "alert": "<img src=y onerror=alert('xss')>",
}
ALL = " ".join(PAYLOADS.values())
# text a page must show, as text, when the payloads are escaped rather than dropped
VISIBLE = "<script>(window.__xss"

# what a page holds after loading: payloads that ran, markup that was injected, the visible text
PROBE = """() => {
  const marks = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value || '';
      if (a.name.startsWith('on') && v.includes('__xss')) marks.push(el.tagName + '[' + a.name + ']');
      if (a.name === 'href' && /^\\s*javascript:/i.test(v)) marks.push(el.tagName + '[href=javascript:]');
      if (a.name === 'srcdoc' && v.includes('__xss')) marks.push(el.tagName + '[srcdoc]');
    }
    if (el.tagName === 'SCRIPT' && (el.textContent || '').includes('__xss')) marks.push('SCRIPT');
  }
  return {ran: window.__xss || [], marks: marks, text: document.body ? document.body.innerText : ''};
}"""


def _plant(root: Path) -> Path:
    """The exhibit evidence plus a study, a regulatory record, a claim and a source text whose
    every text field holds the payloads."""
    shutil.copytree(EXHIBIT, root)
    for name in ("vocabulary.yaml", "schema.yaml"):
        shutil.copy(EVIDENCE / name, root / name)
    study = base_study(
        "evil-2022-adsc-exos",
        title=f"Adipose stem cell exosomes {ALL}",
        authors=[f"Evil {PAYLOADS['img']}"],
        journal=f"Journal {PAYLOADS['svg']}",
        notes=ALL,
        cell_source_text=PAYLOADS["breakout"],
        funding_coi=PAYLOADS["attr"],
        adverse_events=PAYLOADS["link"],
        mechanism_text=[PAYLOADS["iframe"]],
        models=[
            {"model": "cell culture", "species": "human", "detail": PAYLOADS["script"]},
            {"model": "telogen-to-anagen model", "species": "mouse", "detail": PAYLOADS["alert"]},
        ],
        outcomes=[
            {
                "outcome": "cell proliferation",
                "measure": f"DP proliferation {PAYLOADS['script']}",
                "direction": "increased",
                "detail": ALL,
            }
        ],
        mechanisms=["Wnt/beta-catenin"],
        industry_funded=True,
    )
    (root / "studies" / "evil-2022-adsc-exos.yaml").write_text(yaml.safe_dump(study, sort_keys=False))
    reg = {
        "key": "evil-notice",
        "title": f"Notice {PAYLOADS['script']}",
        "issuer": f"Issuer {PAYLOADS['img']}",
        "date": "2020-03-01",
        "url": "https://example.org/evil",
        "verified_at": ["https://example.org/evil"],
        "kind": "regulator notice",
        "topics": ["approval status"],
        "approved_products": 0,
        "facts": [ALL],
        "notes": ALL,
    }
    (root / "regulatory" / "evil-notice.yaml").write_text(yaml.safe_dump(reg, sort_keys=False))
    (root / "claims").mkdir()
    claim = {
        "key": "evil-claim",
        "statement": f"Exosomes regrow hair {PAYLOADS['script']}",
        "asserts": "benefit",
        "scope": {"vesicle_term": ["exosome"], "population": PAYLOADS["img"], "condition": ["AGA"]},
        "cites": [{"reference": f"Evil A. {PAYLOADS['svg']} J Hair. 2020;1:1."}],
        "made_in": {"source": PAYLOADS["breakout"], "quote": ALL},
        "notes": ALL,
    }
    (root / "claims" / "evil-claim.yaml").write_text(yaml.safe_dump(claim, sort_keys=False))
    (root / "sources").mkdir()
    (root / "sources" / "evil-page.txt").write_text(_page_text(), encoding="utf-8")
    return root


def _page_text() -> str:
    return (
        f"Exosomes from adipose stem cells regrow hair in mice {PAYLOADS['script']} [1].\n"
        f"They are clinically proven and have no side effects {PAYLOADS['img']} [2].\n\n"
        "References\n"
        f"1. Evil A, Doe B. Adipose stem cell exosomes {PAYLOADS['svg']}. J Hair Res. 2019;3(2):10-20.\n"
        f"2. Roe C. {PAYLOADS['breakout']} Stem Cells Transl Med. 2021;4:1-9.\n"
    )


def _ris_export() -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Exosomes and hair {p}\nAU  - Evil, {name}\nPY  - 2021\nAB  - {ALL}\nER  - \n\n"
        for name, p in PAYLOADS.items()
    )


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    root = _plant(tmp_path_factory.mktemp("planted") / "evidence")
    from exoreview.core.validate import validate

    report = validate(root)
    assert not report.problems, [str(p) for p in report.problems]
    return root


def _check_page(page, where: str) -> str:
    got = page.evaluate(PROBE)
    assert got["ran"] == [], f"{where}: payloads ran: {got['ran']}"
    assert got["marks"] == [], f"{where}: markup injected: {got['marks']}"
    return got["text"]


def _open(browser, url: str, dialogs: list[str]):
    page = new_page(browser)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load", timeout=60_000)
    return page


def test_html_tables_and_cards_escape_planted_text(planted, tmp_path):
    import exoreview as xr
    from exoreview.appraisal.audit import audit
    from exoreview.appraisal.cards import cards_html
    from exoreview.appraisal.grade import assess_all
    from exoreview.screening.importer import import_records
    from exoreview.views import tables
    from exoreview.views.export import html_document

    ev = xr.load(planted)
    export = tmp_path / "search.ris"
    export.write_text(_ris_export(), encoding="utf-8")
    batch = import_records([export], evidence=planted)
    assert len(batch.records) == len(PAYLOADS)
    pages = {
        "evidence table": tables.evidence_table(ev).export(tmp_path / "evidence.html"),
        "regulatory table": tables.regulatory_table(ev).export(tmp_path / "regulatory.html"),
    }
    for name, body in {
        "claim cards": cards_html(assess_all(ev)),
        "audit": audit(_page_text(), ev)._repr_html_(),
        "evidence summary": ev._repr_html_(),
        "import": batch._repr_html_(),
    }.items():
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_text(html_document(body, title=name), encoding="utf-8")
        pages[name] = path
    dialogs: list[str] = []
    with chromium([]) as browser:
        for name, path in pages.items():
            page = _open(browser, path.resolve().as_uri(), dialogs)
            text = _check_page(page, name)
            if name != "evidence summary":  # the summary shows counts, not titles
                assert VISIBLE in text, f"{name}: the planted text is not shown as text"
            page.close()
    assert dialogs == []


def test_meeting_report_escapes_planted_text(planted, tmp_path):
    from exoreview.app import report

    result = report.build(
        evidence=planted, out=tmp_path / "report", progress=False, timeout=300, executor=locked_execute
    )
    page_html = result.index.read_text(encoding="utf-8")
    assert "evil-2022-adsc-exos" in page_html and "evil-claim" in page_html
    for svg in (result.index.parent / "figures").glob("*.svg"):
        assert "<script" not in svg.read_text(encoding="utf-8"), svg.name
    dialogs: list[str] = []
    with chromium([]) as browser:
        page = _open(browser, result.index.resolve().as_uri(), dialogs)
        text = _check_page(page, "report")
        assert VISIBLE in text
    assert dialogs == []


def test_dashboard_escapes_planted_and_typed_text(planted, tmp_path):
    sync_api = need_chromium()
    dialogs: list[str] = []
    blocked: list[str] = []
    with voila_server(planted, tmp_path / "voila.log") as url, chromium(blocked) as browser:
        page = new_page(browser)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="commit", timeout=60_000)
        rows = page.locator("table.exoreview-table tbody tr")
        sync_api.expect(rows.first).to_be_visible(timeout=90_000)
        assert VISIBLE in _check_page(page, "dashboard")
        # a payload typed into the free-text filter lands in captions and the count line
        box = page.get_by_placeholder("words in title, authors, notes")
        box.fill(PAYLOADS["img"])
        box.press("Enter")
        sync_api.expect(page.locator(".exoreview-count")).to_contain_text("<img src=x", timeout=30_000)
        _check_page(page, "dashboard after typing")
        page.wait_for_timeout(500)  # let any injected onerror fire
        _check_page(page, "dashboard after typing")
    assert dialogs == []
