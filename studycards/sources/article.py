"""An article (a document without question/answer front matter) cut into headed sections.

Headings are Markdown `#` lines, or plain-text heading lines as pasted from web pages: a short
line standing alone between blank lines, not ending like a sentence, with prose after it.
"""

from __future__ import annotations

import re
from pathlib import Path

from studycards.errors import SourceError
from studycards.sources.records import Article, Section

_ATX_HEADING = re.compile(r" {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(```|~~~)")
_NOT_A_HEADING_START = re.compile(r"\s*(?:[-*+>|]|\d+[.)])\s")
_MAX_HEADING_CHARS = 100
_MAX_HEADING_WORDS = 15


def parse_article(
    path: Path,
    body: str,
    *,
    first_line: int = 1,
    title: str = "",
    subject: str = "",
    tags: tuple[str, ...] = (),
) -> Article:
    """Title, lead and sections of a plain document (the body below any front matter)."""
    blocks = _blocks(body)
    if not title.strip():
        if not blocks:
            raise SourceError(path, "empty document: no title and no text", first_line)
        first, *rest = blocks[0].split("\n", 1)
        heading = _ATX_HEADING.fullmatch(first)
        title = heading.group(1) if heading else first
        blocks = [rest[0], *blocks[1:]] if rest else blocks[1:]
    title = title.strip()
    lead: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for index, block in enumerate(blocks):
        heading = _heading(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        if heading is None:
            (sections[-1][1] if sections else lead).append(block)
            continue
        heading_text, rest = heading
        if sections or heading_text.casefold() != title.casefold():
            sections.append((heading_text, []))
        if rest:
            (sections[-1][1] if sections else lead).append(rest)
    cards = tuple(Section(head, "\n\n".join(text)) for head, text in sections if text)
    lead_text = "\n\n".join(lead)
    if not cards:
        if not lead_text:
            raise SourceError(path, f"article {title!r} has no text to make a card from")
        cards, lead_text = (Section(title, lead_text),), ""
    return Article(path, title, lead_text, cards, subject.strip(), tags)


def _blocks(body: str) -> list[str]:
    """Paragraph-like blocks split at blank lines; a fenced code block stays whole."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        marker = _FENCE.match(line)
        if marker and (fence is None or marker.group(1) == fence):
            fence = marker.group(1) if fence is None else None
        if not line.strip() and fence is None:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line.rstrip())
    if current:
        blocks.append("\n".join(current))
    return blocks


def _heading(block: str, following: str | None) -> tuple[str, str] | None:
    """(heading, text under it in the same block) when the block starts a section."""
    first, _, rest = block.partition("\n")
    atx = _ATX_HEADING.fullmatch(first)
    if atx:
        return atx.group(1).strip(), rest.strip("\n")
    if rest or following is None or not _looks_like_heading(first):
        return None
    if _ATX_HEADING.fullmatch(following.partition("\n")[0]) or _looks_like_heading(following):
        return None
    return first.strip(), ""


def _looks_like_heading(line: str) -> bool:
    """Short, alone on its line, not ending like a sentence and not a list, quote or table."""
    text = line.strip()
    return (
        "\n" not in text
        and 0 < len(text) <= _MAX_HEADING_CHARS
        and len(text.split()) <= _MAX_HEADING_WORDS
        and text[-1] not in ".,;:!"
        and not _NOT_A_HEADING_START.match(text + " ")
        and not _FENCE.match(text)
    )
