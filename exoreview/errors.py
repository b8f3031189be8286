"""The one small exception hierarchy of exoreview.

A user's mistake (bad YAML, unknown term, dangling reference, malformed import file) raises an
:class:`EvidenceError` that carries every :class:`Problem` found, each naming file, line, field
and the fix. The CLI prints them one a line and exits 1; it never shows a traceback for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    path: str
    line: int | None
    field: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ExoreviewError(Exception):
    """Base class of every error exoreview raises on purpose."""


class EvidenceError(ExoreviewError):
    """The evidence (or a file given to exoreview) is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, "", problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ValidationError(EvidenceError):
    """Study, regulatory or claim files break the schema or the vocabulary."""


class VocabularyError(EvidenceError):
    """A term given by the user (a filter, a CLI option) is not in the vocabulary."""


class ImportFormatError(EvidenceError):
    """A search export (MEDLINE, RIS, BibTeX, CSV) cannot be read."""


class GradingError(ExoreviewError):
    """A claim cannot be graded (an internal rule failed on valid input)."""


class AuditError(ExoreviewError):
    """A text cannot be audited."""


class UsageError(ExoreviewError):
    """A command was called wrongly (unreadable path, bad option): exit status 2."""
