"""What a question file says, before it becomes cards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studycards.model import Related


@dataclass(frozen=True, slots=True)
class QaRecord:
    """A question and its Markdown answer, from YAML front matter."""

    path: Path
    question: str
    answer: str
    id: str | None = None
    subject: str = ""
    tags: tuple[str, ...] = ()
    url: str = ""
    date: str = ""
    related: tuple[Related, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """One headed part of an article: the heading and the text under it."""

    heading: str
    body: str


@dataclass(frozen=True, slots=True)
class Article:
    """A plain document cut at its headings; the lead is the text before the first one."""

    path: Path
    title: str
    lead: str
    sections: tuple[Section, ...]
    subject: str = ""
    tags: tuple[str, ...] = ()


Record = QaRecord | Article
