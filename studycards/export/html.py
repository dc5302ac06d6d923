"""Markdown -> HTML for Anki, with raw HTML disabled: whatever a question file holds arrives
as visible text, never as live markup.

pulldown-cmark (through pyromark) renders, in CommonMark with tables and strikethrough, what
markdown-it (the TUI's parser, raw HTML off) reads in the same text. pulldown-cmark passes raw
HTML through, accepts any link scheme and a few things markdown-it does not, so before it
renders, `_as_text` makes text of what markdown-it shows as text: raw HTML, links to
`javascript:`-like URLs, strikethrough with single tildes, a delimiter row of colons. A text
that still holds such things after a few passes (built to) is rendered by markdown-it."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import pyromark

from studycards.model import quiet_title

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_IMG_SRC = re.compile(r'<img src="([^"]*)"')
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

# markdown-it's link validation (markdown_it.common.normalize_url.validateLink): a link or an
# image to one of these schemes is not one, it is text.
_BAD_SCHEME = re.compile(r"(?:vbscript|javascript|file|data):")
_GOOD_DATA = re.compile(r"data:image/(?:gif|png|jpeg|webp);")

# Each pass makes text of the opening character of each construct found, as markdown-it does
# (what follows is read again and may hold Markdown, or more HTML: a tag in a tag's attribute).
# Past these passes the text goes to markdown-it: one file's cost stays bounded.
_PASSES = 8


def render(markdown: str) -> str:
    """One Markdown text as HTML; `<script>`, `<img onerror>`, `<` and `&` come out escaped."""
    if not _may_differ(markdown):
        return _html(markdown)
    marked = markdown
    for mark in _SHOWN:
        if mark in marked:  # this module's marks: from a file, they are entities
            marked = marked.replace(mark, f"&#{ord(mark)};")
    as_text = _as_text(marked)
    if as_text is None:
        fallback: str = _markdown_it().render(markdown).strip()
        return fallback
    rendered = _html(as_text)
    for mark, shown in _SHOWN.items():
        if mark in rendered:
            rendered = rendered.replace(mark, shown)
    return rendered


def _html(markdown: str) -> str:
    rendered = pyromark.html(markdown, options=_OPTIONS).strip()
    if "<tbody>\n</tbody>" in rendered:  # a table of a head only (markdown-it writes no body)
        rendered = rendered.replace("<tbody>\n</tbody>", "")
    return rendered


@lru_cache(maxsize=1)
def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only for texts built to defeat `_as_text`

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


# What `_as_text` puts in place of a character that markdown-it reads as text: a rare
# punctuation mark, which pulldown-cmark takes for nothing but punctuation (as it does the
# character, for emphasis), then written in the HTML as the character. Not an entity: an
# entity would show as written where the text it lands in turns out to be a code span.
_MARK_OF = {"<": "\u2e39", "[": "\u2e3f", "(": "\u2e35", "~": "\u2e2e", ":": "\u2e32"}
_SHOWN = {"\u2e39": "&lt;", "\u2e3f": "[", "\u2e35": "(", "\u2e2e": "~", "\u2e32": ":"}


def _as_text(markdown: str) -> str | None:
    """`markdown` with what markdown-it would show as text (raw HTML, links it refuses, single
    tildes, a delimiter row it refuses) made text for pulldown-cmark too: its first character
    replaced by a mark, again until pulldown-cmark finds none of them (None: not in `_PASSES`)."""
    for _ in range(_PASSES):
        fixes = _fixes(markdown)
        if not fixes:
            return markdown
        data, pieces, done = markdown.encode(), [], 0
        for at in sorted(fixes):
            pieces += [data[done:at], fixes[at]]
            done = at + 1
        pieces.append(data[done:])
        markdown = b"".join(pieces).decode()
    return None


def _may_differ(markdown: str) -> bool:
    """Whether `markdown` may hold anything `_as_text` changes (most texts do not)."""
    if "<" in markdown or "~" in markdown:
        return True
    if ":" in markdown:  # a link's scheme, a table's delimiter row
        return "[" in markdown or "|" in markdown
    return "[" in markdown and "&" in markdown  # a scheme spelt with entities


def _valid_link(url: str) -> bool:
    url = url.strip().lower()
    return not _BAD_SCHEME.match(url) or bool(_GOOD_DATA.match(url))


_LT, _LBRACKET, _LPAREN, _TILDE, _COLON = (_MARK_OF[char].encode() for char in "<[(~:")


def _fixes(markdown: str) -> dict[int, bytes]:
    """Byte offset of a character to make text -> its mark, for one pass. pyromark's ranges
    are UTF-8 byte offsets (of one-byte characters here)."""
    data = markdown.encode()
    fixes: dict[int, bytes] = {}

    def escape(start: int, end: int, char: bytes, mark: bytes, offset: int = 0) -> None:
        at = data.find(char, start, end)
        if at >= 0:
            fixes[at + offset] = mark

    table_head = False
    links: list[tuple[bool, int]] = []  # open links and images: refused?, end of their text
    for event, span in pyromark.events_with_range(markdown, options=_OPTIONS):
        start, end = span["start"], span["end"]
        if not isinstance(event, dict):
            continue
        closed = event.get("End")
        if isinstance(closed, str) and closed in ("Link", "Image"):
            refused, text_end = links.pop()
            if refused:  # as markdown-it: `(` is text, `[x]` may still be a reference link
                escape(text_end, end, b"](", _LPAREN, offset=1)
            if links:
                links[-1] = (links[-1][0], max(links[-1][1], end))
            continue
        if links:
            links[-1] = (links[-1][0], max(links[-1][1], end))
        if table_head and closed == "TableHead":
            table_head = False
            _colons_only(data, end, fixes)
        if "InlineHtml" in event:
            escape(start, end, b"<", _LT)
            continue
        kind = event.get("Start")
        if kind == "HtmlBlock":
            escape(start, end, b"<", _LT)
        elif kind == "TableHead":
            table_head = True
        elif kind == "Strikethrough":
            _tildes(data, start, end, fixes)
        elif isinstance(kind, dict) and ("Link" in kind or "Image" in kind):
            link = kind.get("Link") or kind["Image"]
            refused = not _valid_link(link["dest_url"])
            if refused and link["link_type"] in ("Autolink", "Email"):
                escape(start, end, b"<", _LT)
            links.append((refused and link["link_type"] == "Inline", start + 1))
    if "[" in markdown:
        for definition in pyromark.reference_definitions(markdown, options=_OPTIONS).values():
            if not _valid_link(definition["dest"]):
                span = definition["span"]
                escape(span["start"], span["end"], b"[", _LBRACKET)
    return fixes


def _tildes(data: bytes, start: int, end: int, fixes: dict[int, bytes]) -> None:
    """Strikethrough from `start` to `end` that markdown-it does not take for one: single
    tildes, or a run that cannot open or close by CommonMark's flanking rules (pulldown-cmark's
    are looser). Those tildes become text."""
    if data[start + 1 : start + 2] != b"~" or data[end - 2 : end - 1] != b"~":
        opener, closer = (start, start + 1), (end - 1, end)
    else:
        opener, closer = (start, start + 2), (end - 2, end)
    for (first, last), opens in ((opener, True), (closer, False)):
        if data[first:last] != b"~" * 2 or not _flanking(data, first, last, opens):
            for at in range(first, last):
                fixes[at] = _TILDE


def _flanking(data: bytes, first: int, last: int, left: bool) -> bool:
    """Whether the run data[first:last] is left- (or right-) flanking, as markdown-it sees it."""
    before = data[max(0, first - 4) : first].decode(errors="ignore")[-1:] or " "
    after = data[last : last + 4].decode(errors="ignore")[:1] or " "
    if left:
        return not _space(after) and (not _punct(after) or _space(before) or _punct(before))
    return not _space(before) and (not _punct(before) or _space(after) or _punct(after))


def _space(char: str) -> bool:
    return char in "\t\n\v\f\r " or unicodedata.category(char) == "Zs"


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


_DELIMITER_CELL = re.compile(rb"[ \t]*(:+)[ \t]*")


def _colons_only(data: bytes, line_start: int, fixes: dict[int, bytes]) -> None:
    """A table's delimiter row (the line at `line_start`) whose cell holds colons but no `-`:
    pulldown-cmark takes it, markdown-it (and GFM) do not, so its first colon becomes text."""
    line_end = data.find(b"\n", line_start)
    line = data[line_start : line_end if line_end >= 0 else len(data)]
    at = line_start
    for cell in line.split(b"|"):
        found = _DELIMITER_CELL.fullmatch(cell)
        if found:
            fixes[at + found.start(1)] = _COLON
        at += len(cell) + 1


def render_card(texts: tuple[str, str, str, str]) -> tuple[str, str]:
    """A card's (title, front, back, lead) as its question and answer HTML, what an export
    renders of each card. The note type is frozen, so an article's context goes inside
    those fields: its title as a quiet line above the question (where it adds something), its
    lead below the answer."""
    title, front, back, lead = texts
    question, answer = render(front), render(back)
    title = quiet_title(title, front)
    if title:
        question = f'<div class="context">{html.escape(title)}</div>\n{question}'
    if lead:
        answer += f'\n<div class="lead">{_render_lead(lead)}</div>'
    return anki_safe(question), anki_safe(answer)


# Anki reads these in a field as commands: play a file, typeset LaTeX. From a file, they are text.
_ANKI_COMMANDS = ("[sound:", "[latex]", "[$]", "[$$]")


def anki_safe(field: str) -> str:
    """HTML fit for an Anki field: Anki's own markup shown as text, its opening bracket an
    entity. (Control characters, 0x1f above all, which would break a whole package, never
    reach a stored card: imports drop them, and migration 5 dropped them from older cards.)"""
    if "[" in field:
        for command in _ANKI_COMMANDS:
            field = field.replace(command, "&#91;" + command[1:])
    return field


_render_lead = lru_cache(maxsize=16)(render)  # every section of an article shares its lead


def image_sources_in_html(rendered: str) -> list[str]:
    """The `src` attribute of every `<img>` in HTML that `render` produced, as it is written
    there (still HTML-escaped). Raw HTML is off, so every `<img>` came from Markdown."""
    return _IMG_SRC.findall(rendered)
