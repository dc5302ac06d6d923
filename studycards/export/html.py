"""Markdown -> HTML for Anki, with raw HTML disabled: whatever a question file holds arrives
as visible text, never as live markup."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from studycards.model import quiet_title

_IMG_SRC = re.compile(r'<img src="([^"]*)"')


# The parser's rules that cannot fire on a text holding none of their marks. Leaving them
# out of the parser for such a text gives the same HTML (a property test holds it) in less
# time: markdown-it-py tries every rule at every line and at every stop of the inline scan.
_MARKS: dict[str, tuple[str, ...]] = {
    "table": ("|",),
    "code": ("    ", "\t"),
    "fence": ("```", "~~~"),
    "blockquote": (">",),
    "hr": ("*", "-", "_"),
    "reference": ("[",),
    "heading": ("#",),
    "lheading": ("=", "-"),
    "escape": ("\\",),
    "backticks": ("`",),
    "strikethrough": ("~~",),
    "emphasis": ("*", "_"),
    "link": ("[",),
    "image": ("![",),
    "autolink": ("<",),
    "entity": ("&",),
}


@lru_cache(maxsize=256)
def _parser(absent: frozenset[str] = frozenset()) -> MarkdownIt:
    """The parser without the rules in `absent` (and without the raw HTML rules, which are
    off anyway with html False)."""
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    return parser.disable(["html_block", "html_inline", *absent])


# One line of plain words (most questions): no character that Markdown gives a meaning to.
_WORD = r"[^\s*_`\[\]!<>&\\~#|]"
_PLAIN_LINE = re.compile(rf"[A-Za-z]{_WORD}*(?: +{_WORD}+)*")


def render(markdown: str) -> str:
    """One Markdown text as HTML; `<script>`, `<img onerror>`, `<` and `&` come out escaped.

    A single line of plain words skips the parser (the same HTML, a fifth of the time).
    """
    if _PLAIN_LINE.fullmatch(markdown) and markdown.isprintable():
        return "<p>" + markdown.replace('"', "&quot;") + "</p>"
    html: str = _parser(_absent_rules(markdown)).render(markdown)
    return html.strip()


def _absent_rules(markdown: str) -> frozenset[str]:
    return frozenset(
        rule for rule, marks in _MARKS.items() if not any(mark in markdown for mark in marks)
    )


def render_card(texts: tuple[str, str, str, str]) -> tuple[str, str]:
    """A card's (title, front, back, lead) as its question and answer HTML, the unit of work a
    rendering process is given. The note type is frozen, so an article's context goes inside
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
