"""An article (a document without question/answer front matter) cut into headed sections.

What a line is comes from markdown-it's block parser, not from patterns: a document with
Markdown headings (ATX `#` or setext `===`/`---`) is cut at those and only those; a document
without any is cut at plain-text heading lines as pasted from web pages (a short paragraph of
one plain line, not ending like a sentence, with more text after it). Comments (`<!-- -->`,
`[//]: # (...)`) are not content: they never become a title or card text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from studycards.errors import SourceError
from studycards.sources.records import Article, Section

MAX_SECTIONS = 10_000  # cards one file may give: far above a real document
MAX_LINES = 500_000  # lines one article may have: each costs the parser before any block does
MAX_BLOCKS = 50_000  # Markdown blocks one file may hold (each costs a few parser tokens)
_MAX_HEADING_CHARS = 100
_MAX_HEADING_WORDS = 15
_SENTENCE_ENDS = frozenset(".,;:!\u3002\uff0c\uff1b\uff1a\uff01")  # full-width too
_PLAIN_INLINE = frozenset({"text", "text_special", "entity"})
_INLINE_MARKS = frozenset("`*_[]!<>\\&")  # where an inline Markdown token may start
_INLINE_PARSES = 2_000  # lines with such marks parsed per document; past that, not plain


class _TooManyBlocksError(Exception):
    """Raised from inside the block parser to stop a runaway document early."""


def _count_blocks(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule that matches nothing: it counts block starts, so that a tiny file of
    millions of list items or headings is refused before its tokens fill the memory."""
    if not silent:
        state.env["blocks"] = state.env.get("blocks", 0) + 1
        if state.env["blocks"] > MAX_BLOCKS:
            raise _TooManyBlocksError
    return False


def _block_parser() -> MarkdownIt:
    """CommonMark blocks only (inline parsing is done on demand, for heading candidates)."""
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": 20})
    parser.disable(["inline", "text_join"])
    parser.block.ruler.before("code", "count_blocks", _count_blocks)
    return parser


_BLOCKS = _block_parser()
# Brackets are settled before parsing (`_PlainLines`): the link rules, quadratic on nested
# brackets, are never needed.
_INLINE = MarkdownIt("commonmark", {"html": True}).disable(["link", "image"])


@dataclass(frozen=True, slots=True)
class _Block:
    """A top-level block: its source lines, and its heading text and level if it is one."""

    text: str
    heading: str | None = None
    level: int = 0
    paragraph: bool = False
    gap_after: bool = True  # a blank line (or the end) follows it


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
    blocks = _blocks(path, body)
    title = title.strip()
    titled = bool(title)  # a heading repeating a given or first-line title opens no section
    if any(block.heading is not None for block in blocks):
        if not titled:
            title, blocks, titled = _title_from_headings(path, blocks, first_line)
    else:
        if not titled:
            title, blocks = _title_from_prose(path, blocks, first_line)
            titled = True
        blocks = _plain_text_headings(blocks)
    lead: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for block in blocks:
        if block.heading is None:
            (sections[-1][1] if sections else lead).append(block.text)
        elif sections or not titled or block.heading.casefold() != title.casefold():
            sections.append((block.heading, []))
    cards = tuple(Section(head, "\n\n".join(text)) for head, text in sections if text)
    if len(cards) > MAX_SECTIONS:
        raise SourceError(
            path, f"{len(cards):,} sections: more than the {MAX_SECTIONS:,} cards one file may give"
        )
    lead_text = "\n\n".join(lead)
    if not cards:
        if not lead_text:
            raise SourceError(path, f"article {title[:80]!r} has no text to make a card from")
        cards, lead_text = (Section(title, lead_text),), ""
    return Article(path, title, lead_text, cards, subject.strip(), tags)


def _blocks(path: Path, body: str) -> list[_Block]:
    """The document's top-level blocks in order, comments left out."""
    if body.count("\n") >= MAX_LINES:
        raise SourceError(path, f"more than {MAX_LINES:,} lines: too long for one question file")
    env: dict[str, object] = {}
    try:
        tokens = _BLOCKS.parse(body, env)
    except _TooManyBlocksError:
        raise SourceError(
            path, f"more than {MAX_BLOCKS:,} Markdown blocks: too many for one question file"
        ) from None
    lines = body.split("\n")
    spans: list[tuple[int, int, _Block]] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        start, end = token.map
        if token.type == "html_block" and _is_comment(token.content):
            continue
        if token.type == "heading_open":
            text = tokens[index + 1].content.strip()
            if text:
                spans.append((start, end, _Block(text, text, int(token.tag[1:]))))
            continue
        paragraph = token.type == "paragraph_open"
        spans.append((start, end, _Block(_text(lines, start, end), paragraph=paragraph)))
    references = env.get("references", {})
    assert isinstance(references, dict)
    for reference in references.values():
        if reference["href"] != "#":  # `[label]: #` is the Markdown comment idiom
            start, end = reference["map"]
            spans.append((start, end, _Block(_text(lines, start, end))))
    spans.sort(key=lambda span: span[0])
    return [
        _with_gap(block, end, spans[position + 1][0] if position + 1 < len(spans) else None)
        for position, (_, end, block) in enumerate(spans)
        if block.heading is not None or block.text
    ]


def _with_gap(block: _Block, end: int, next_start: int | None) -> _Block:
    if next_start is None or next_start > end or not block.paragraph:
        return block
    return _Block(block.text, paragraph=True, gap_after=False)


def _text(lines: list[str], start: int, end: int) -> str:
    """Source lines of a block as written, without trailing blank lines or spaces."""
    return "\n".join(line.rstrip() for line in lines[start:end]).strip("\n")


def _is_comment(html: str) -> bool:
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->")


def _title_from_headings(
    path: Path, blocks: list[_Block], first_line: int
) -> tuple[str, list[_Block], bool]:
    """(title, blocks, whether a heading repeating the title opens no section).

    The first heading is the document's title, not a section, when it outranks every other
    heading (`# Book` over `## Chapter`s). A short plain line opening the document (`Lecture
    notes` above `## Mitosis` and `## Meiosis`, or above a lone heading) is the title where no
    heading outranks the others; else the first heading is, heading its own section too.
    """
    index, first = next((i, b) for i, b in enumerate(blocks) if b.heading is not None)
    assert first.heading is not None
    others = [b.level for b in blocks[index + 1 :] if b.heading is not None]
    outranks = all(level > first.level for level in others)
    if _looks_like_heading(blocks[0], _PlainLines()) and not (outranks and others):
        return (*_title_from_prose(path, blocks, first_line), True)
    if outranks:
        return first.heading, [*blocks[:index], *blocks[index + 1 :]], False
    return first.heading, blocks, False


def _title_from_prose(
    path: Path, blocks: list[_Block], first_line: int
) -> tuple[str, list[_Block]]:
    """The first line of the first paragraph (else of the first block); the rest stays text."""
    if not blocks:
        raise SourceError(path, "empty document: no title and no text", first_line)
    index = next((i for i, block in enumerate(blocks) if block.paragraph), 0)
    block = blocks[index]
    first, _, rest = block.text.partition("\n")
    rest = rest.strip("\n")
    kept = [_Block(rest, paragraph=block.paragraph, gap_after=block.gap_after)] if rest else []
    return first.strip(), [*blocks[:index], *kept, *blocks[index + 1 :]]


def _plain_text_headings(blocks: list[_Block]) -> list[_Block]:
    """Mark the paragraphs that are plain-text headings (documents without Markdown ones):
    heading-like, a blank line after them, and followed by a block that is not."""
    plain = _PlainLines()
    shaped = [_looks_like_heading(block, plain) for block in blocks]
    return [
        _Block(block.text, block.text.strip())
        if shaped[index] and block.gap_after and index + 1 < len(blocks) and not shaped[index + 1]
        else block
        for index, block in enumerate(blocks)
    ]


def _looks_like_heading(block: _Block, plain: Callable[[str], bool]) -> bool:
    """One short plain line, not ending like a sentence: no list, quote, table row, code,
    link, image, emphasis or HTML (markdown-it says what the line is)."""
    text = block.text.strip()
    return (
        block.paragraph
        and "\n" not in text
        and 0 < len(text) <= _MAX_HEADING_CHARS
        and len(text.split()) <= _MAX_HEADING_WORDS
        and text[-1] not in _SENTENCE_ENDS
        and not text.startswith("|")
        and plain(text)
    )


class _PlainLines:
    """Whether a line is plain text, with no inline Markdown. A line without any mark that
    can start a token is; one with brackets is not (link or image syntax, or near enough);
    the rest are asked of markdown-it, up to a number of lines per document, after which they
    count as not plain: a file of countless marked-up lines costs no more than a few."""

    def __init__(self) -> None:
        self.parses_left = _INLINE_PARSES

    def __call__(self, text: str) -> bool:
        if _INLINE_MARKS.isdisjoint(text):
            return True
        if "[" in text or "]" in text or self.parses_left == 0:
            return False
        self.parses_left -= 1
        tokens = (child for token in _INLINE.parseInline(text) for child in token.children or ())
        return all(token.type in _PLAIN_INLINE for token in tokens)
