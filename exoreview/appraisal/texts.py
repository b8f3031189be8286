"""Texts as people have them: a plain-text file, a saved web page or a PDF, turned into the text the
audit reads. The main text of a web page is extracted with trafilatura (navigation, menus and
footers left out); a PDF's text with pypdf. Anything that gives no text (binary, empty, encrypted,
a scanned PDF, a page without a main text) is a :class:`UsageError` (exit 2) with one line saying
why and what to do. Nothing is executed or written.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pypdf
import trafilatura
from pypdf.errors import PdfReadError

from ..core.yamlio import display_path
from ..errors import UsageError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
TEXT_KINDS = ("text", "web page", "PDF")
_HTML_START = (b"<!doctype html", b"<html", b"<?xml")
MIN_MAIN_WORDS = 3  # a page whose main text is shorter (a menu, a "Home" link) has none


def kind_of(name: str, raw: bytes) -> str:
    """'PDF', 'web page' or 'text', from the content first and the file name second."""
    head = raw[:512].lstrip().lower()
    if raw.startswith(b"%PDF") or (Path(name).suffix.lower() in PDF_SUFFIXES and not head.startswith(b"<")):
        return "PDF"
    if Path(name).suffix.lower() in HTML_SUFFIXES or head.startswith(_HTML_START):
        return "web page"
    return "text"


def text_from_bytes(name: str, raw: bytes) -> str:
    """The text to audit from a file's bytes (`name` is only shown and used for its suffix)."""
    if not raw.strip():
        raise UsageError(f"{name} is empty; give a text, a saved web page (.html) or a PDF")
    kind = kind_of(name, raw)
    if kind == "PDF":
        return _pdf_text(name, raw)
    text = _decode(name, raw, kind)
    if kind == "web page":
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are not the user's
        main = trafilatura.extract(text, include_comments=False, include_tables=True, favor_recall=True)
        if not main or len(main.split()) < MIN_MAIN_WORDS:
            raise UsageError(
                f"{name}: no main text found in the page (is it a page of links or a "
                "script-built page?); copy the article's text into a .txt file"
            )
        return main
    return text


def read_text(path: str | os.PathLike) -> str:
    """The text of a file to audit (.txt, .html, .pdf); :class:`UsageError` naming the file and
    the fix for a missing, unreadable, binary, empty, encrypted or text-less file."""
    p = Path(path)
    shown = display_path(p)
    if p.is_dir():
        raise UsageError(f"{shown} is a folder; give a text file, a saved web page (.html) or a PDF")
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as err:
        raise UsageError(f"{shown}: cannot read the file: {err.strerror}") from None
    return text_from_bytes(shown, raw)


def _decode(name: str, raw: bytes, kind: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192]:
        raise UsageError(
            f"{name} is a binary file, not text; give a UTF-8 .txt file, a saved web page (.html) or a PDF"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        if kind == "web page":  # pages are often Windows-1252: a page's bytes all decode as it
            return raw.decode("cp1252", errors="replace")
        line = raw[: err.start].count(b"\n") + 1
        raise UsageError(
            f"{name}:{line}: not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8"
        ) from None


def _pdf_text(name: str, raw: bytes) -> str:
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise UsageError(
                f"{name} is an encrypted PDF; save an unencrypted copy (or copy its text into a .txt file)"
            )
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise UsageError(
            f"{name} cannot be read as a PDF ({type(err).__name__}); is it damaged? Copy its "
            "text into a .txt file"
        ) from None
    if not text.strip():
        raise UsageError(
            f"{name} holds no text (a scanned PDF?); run it through OCR or copy its text into a .txt file"
        )
    return text
