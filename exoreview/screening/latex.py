"""BibTeX field text decoded as LaTeX, and only as LaTeX (pylatexenc does the decoding).

Exporters do not write LaTeX consistently: Scopus writes '5% minoxidil' and 'Taylor & Francis'
unescaped, some write HTML entities ('&apos;'), and titles hold commands no decoder knows
('\\TeX'). Decoded blindly, '%' began a comment that cut the field, '&' was dropped and unknown
commands vanished. Here an unescaped '%' or '&' is kept as written, HTML entities are decoded,
a command pylatexenc does not know is kept as text, and any other loss of letters or digits is
returned as a warning for the record.
"""

from __future__ import annotations

import html
import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

_DB = get_default_latex_context_db()
_TO_TEXT = LatexNodes2Text(latex_context=_DB, strict_latex_spaces=True)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,30}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")
_BARE = re.compile(r"(?<!\\)([%&])")
# what makes a value LaTeX: commands, math, groups, ties, and the ligatures -- --- `` ''
_LATEX = re.compile(r"[\\${}~]|--|``|''")
_MACRO = re.compile(r"\\([A-Za-z]+)\*?")


def _protect(text: str) -> str:
    """'%' and '&' not escaped are text, and a command pylatexenc does not know is kept as text."""
    text = _BARE.sub(r"\\\1", text)

    def keep(m: re.Match[str]) -> str:
        return (
            m.group(0) if _DB.get_macro_spec(m.group(1)) is not None else r"\textbackslash{}" + m.group(0)[1:]
        )

    return _MACRO.sub(keep, text)


def _alnum(text: str) -> list[str]:
    base = unicodedata.normalize("NFKD", text)
    return sorted(c.casefold() for c in base if c.isalnum() and c.isascii())


def decode_latex(value: str) -> tuple[str, str | None]:
    """(text, warning): the text of a BibTeX field, and what was lost decoding it (None if nothing)."""
    if not _LATEX.search(value) and "&" not in value:
        return value, None
    if _ENTITY.search(value):
        value = _ENTITY.sub(lambda m: html.unescape(m.group(0)), value)
    if not _LATEX.search(value):
        return value, None
    try:
        text = _TO_TEXT.latex_to_text(_protect(value)).replace("\xa0", " ")
    except Exception as err:  # pylatexenc raises its own errors on malformed input: keep the text
        return value, f"not valid LaTeX ({type(err).__name__}); kept as written"
    # letters and digits of the field, without command names: each should be in the text
    wanted = _alnum(_MACRO.sub(lambda m: m.group(0) if _DB.get_macro_spec(m.group(1)) is None else "", value))
    got = _alnum(text)
    missing = _missing(wanted, got)
    if missing:
        return text, f"LaTeX decoding lost text: {value[:80]!r} became {text[:80]!r}"
    return text, None


def _missing(wanted: list[str], got: list[str]) -> list[str]:
    out, i = [], 0
    for c in wanted:
        while i < len(got) and got[i] < c:
            i += 1
        if i < len(got) and got[i] == c:
            i += 1
        else:
            out.append(c)
    return out
