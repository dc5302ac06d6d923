"""Records -> card drafts. Pure: no I/O, same record in, same cards out.

Card identity (the draft's `key`) must survive edits of the text and moves of the file, so it is
never the path: a record's `id`, or its normalised question when it has none; an article
section's normalised article title and heading (numbered when one file repeats a heading). When
another file already holds a key, the store gives the newcomer a numbered variant of it
(`qualified_key`): translations and per-platform pages share titles and headings.
"""

from __future__ import annotations

import re
import unicodedata

from studycards.model import CardDraft
from studycards.sources.records import Article, QaRecord, Record

_SPACES = re.compile(r"\s+")
_QUALIFIER = "\x1f"  # never in a key's text: control characters are stripped from files
_QUESTION_MARKS = ("?", "\uff1f")  # ASCII and full-width


def normalise(text: str) -> str:
    """Identity form of a text: Unicode-normalised, case-folded, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def describe_key(key: str) -> str:
    """A card identity as a person reads it in an error message."""
    base, _, number = key.partition(_QUALIFIER)
    kind, _, value = base.partition(":")
    described = f"id {value}" if kind == "id" else f"card {value!r}"
    return f"{described} (copy {number})" if number else described


def qualified_key(key: str, number: int) -> str:
    """The `number`th file's variant of a key that other files hold too."""
    return f"{key}{_QUALIFIER}{number}"


def base_key(key: str) -> str:
    """The key a converter gives, whichever file's variant `key` is."""
    return key.partition(_QUALIFIER)[0]


def key_variants(key: str) -> tuple[str, str]:
    """Bounds (inclusive, exclusive) of every qualified variant of `key`, for a range query."""
    return f"{key}{_QUALIFIER}", f"{key}{chr(ord(_QUALIFIER) + 1)}"


def may_share(key: str) -> bool:
    """Whether files may share a key (each gets a variant); an `id:` is one card's alone."""
    return not key.startswith("id:")


def deck_name(name: str) -> str:
    """A deck name in Anki's `Parent::Child` form with stray spaces removed ('' if blank), in
    NFC: a macOS folder name is decomposed (NFD), and Anki takes `Café` either way as one."""
    parts = [" ".join(part.split()) for part in unicodedata.normalize("NFC", name).split("::")]
    return "::".join(part for part in parts if part)


def deck_fold(name: str) -> str:
    """What makes two deck names one deck, as in Anki: case and Unicode form do not count."""
    return unicodedata.normalize("NFC", name).casefold()


def deck_for(record: Record, forced: str | None = None) -> str:
    """The deck rule: a forced deck wins, else the record's subject, else its folder's name."""
    return deck_name(forced or record.subject or record.path.parent.name or "Default") or "Default"


def convert(record: Record, deck: str | None = None) -> list[CardDraft]:
    """Every card a record yields: one per Q&A record, one per article section with text."""
    target = deck_for(record, deck)
    source = str(record.path)
    if isinstance(record, QaRecord):
        key = f"id:{record.id}" if record.id else f"q:{normalise(record.question)}"
        return [
            CardDraft(
                key=key,
                deck=target,
                front=record.question,
                back=record.answer,
                source=source,
                subject=record.subject,
                tags=record.tags,
                url=record.url,
                date=record.date,
                related=record.related,
            )
        ]
    return _section_cards(record, target, source)


def _section_cards(article: Article, deck: str, source: str) -> list[CardDraft]:
    cards: list[CardDraft] = []
    used: set[str] = set()
    title_key = normalise(article.title)
    for section in article.sections:
        heading_key = f"section:{title_key}::{normalise(section.heading)}"
        key, repeat = heading_key, 1
        while key in used:  # a heading again in one article: number the repeats, past any
            repeat += 1  # heading that is itself spelt like a numbered repeat (`A#2`)
            key = f"{heading_key}#{repeat}"
        used.add(key)
        cards.append(
            CardDraft(
                key=key,
                deck=deck,
                front=_section_front(article.title, section.heading),
                back=section.body,
                source=source,
                subject=article.subject,
                context=article.lead,
                title=article.title,
                tags=article.tags,
            )
        )
    return cards


def _section_front(title: str, heading: str) -> str:
    """A question heading stands alone; any other heading needs the article title for sense."""
    if heading.rstrip().endswith(_QUESTION_MARKS) or normalise(heading) == normalise(title):
        return heading
    return f"{title} — {heading}"
