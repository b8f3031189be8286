"""Texts as people have them: a saved web page and a PDF audited end to end; bad files exit 2 with
one line saying why."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from exoreview.appraisal.texts import kind_of, text_from_bytes
from exoreview.cli import main

PAGE = """<!DOCTYPE html><html><head><title>Exosome hair therapy | Glow Clinic</title>
<script>var tracking = "Exosomes cure baldness forever";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/book">Book a consultation</a></li>
<li><a href="/faq">Do exosomes work for hair loss?</a></li></ul></nav>
<main><article>
<h1>Exosome therapy for thinning hair</h1>
<p>Exosome therapy is a new treatment for hair loss offered at our clinic in London.</p>
<p>Exosomes from adipose-derived stem cells increased hair density in men with androgenetic alopecia
in a clinical study [1].</p>
<p>Our exosome treatment is FDA-approved and has no side effects.</p>
<p>Many of our clients see thicker hair within a few months of their first session, and every
patient leaves happy with the result of the procedure.</p>
<h2>References</h2>
<p>1. Rajendran RL, Gangadaran P, Bak SS, et al. Extracellular vesicles derived from MSCs activates
dermal papilla cell in vitro and promotes hair follicle conversion from telogen to anagen in mice.
Sci Rep. 2017;7:15560. doi:10.1038/s41598-017-15505-3</p>
</article></main>
<footer><p>Copyright 2026 Glow Clinic. Results may vary. Cookie settings.</p></footer>
</body></html>"""


def pdf_with_lines(lines: list[str]) -> bytes:
    """A one-page PDF whose content stream writes `lines` in Helvetica (text pypdf can read)."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    ops = "BT /F1 10 Tf 40 760 Td 13 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    stream = StreamObject()
    stream.set_data(ops.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_web_page_main_text_without_navigation_or_footer():
    text = text_from_bytes("clinic.html", PAGE.encode())
    assert "increased hair density in men" in text and "FDA-approved" in text
    assert "Book a consultation" not in text and "Cookie settings" not in text
    assert "cure baldness forever" not in text  # scripts are never text


def test_cli_audits_a_saved_web_page_end_to_end(tmp_path, capsys):
    page = tmp_path / "clinic.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["audit", str(page), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    sentences = [c["sentence"] for c in data["claims"]]
    assert any("FDA-approved" in s for s in sentences)
    assert not any("Book a consultation" in s or "Do exosomes work" in s for s in sentences)
    fda = next(c for c in data["claims"] if "FDA-approved" in c["sentence"])
    assert fda["verdict"] == "contradicted" and any("approved" in o for o in fda["overreach"])
    assert data["references"] and data["references"][0]["study"] == "rajendran-2017-msc-evs"


def test_cli_audits_a_pdf_end_to_end(tmp_path, capsys):
    pdf = tmp_path / "brochure.pdf"
    pdf.write_bytes(
        pdf_with_lines(
            [
                "Exosome treatment for hair loss",
                "",
                "Our exosome treatment for hair loss is FDA-approved and completely safe.",
            ]
        )
    )
    assert main(["audit", str(pdf), "--format", "json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    assert claims and claims[0]["verdict"] == "contradicted"


def _encrypted() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.html", b"   \n  ", "is empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("scan.pdf", _blank_pdf(), "holds no text"),
        ("locked.pdf", _encrypted(), "encrypted PDF"),
        ("broken.pdf", b"%PDF-1.4\nthis is not a pdf", "cannot be read as a PDF"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main text"),
        ("latin1.txt", "caf\u00e9 exosomes".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["audit", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_kind_is_told_from_the_content_first():
    assert kind_of("page.txt", b"<!DOCTYPE html><html>") == "web page"
    assert kind_of("a.bin", b"%PDF-1.7") == "PDF"
    assert kind_of("notes.txt", b"Exosomes regrow hair.") == "text"
