"""One card: its article's title and the question, then (once revealed) the answer, the
article's lead, related reading and its source.

Everything here comes from a user's files: Markdown goes to rich's `Markdown` (which reads no
markup) with raw HTML read as text, the rest to Textual as `Content` (which reads none either),
all of it through `printable`. Very long texts show their start only: rendering megabytes would
freeze the app.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Rule, Static

from studycards.model import CardDraft, quiet_title
from studycards.text import clipped, printable

MAX_LINES = 400
MAX_CHARS = 40_000


class PlainHtmlMarkdown(Markdown):
    """rich's `Markdown` with raw HTML read as text. rich parses with HTML on and then drops
    the HTML it found, so `What does <br> do?` showed as `What does  do?`; with HTML off, a
    tag is text, as in the CLI and the Anki export. The rest is parsed as rich parses it."""

    def __init__(self, markup: str) -> None:
        super().__init__("")
        self.markup = markup
        self.parsed = _PARSER.parse(markup)


_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough", "table"])


def markdown(text: str) -> RenderableType:
    """`text` as Markdown, cut to its first lines (with a note saying so) when very long."""
    shown, lines = clipped(text, MAX_LINES, MAX_CHARS)
    rendered = PlainHtmlMarkdown(printable(shown))
    if lines is None:
        return rendered
    note = Text(f"shown: first {lines} lines; `e` opens the file", style="italic")
    return Group(rendered, note)


class CardView(VerticalScroll):
    """Title and question always; answer, lead and related articles once its screen is
    `revealed` (app.tcss)."""

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="question")
        yield Rule(id="divider")
        yield Static(id="answer")
        yield Static(id="context")
        yield Static(id="related")
        yield Static(id="source")

    def show(self, card: CardDraft) -> None:
        title = quiet_title(card.title, card.front)
        self.query_one("#title", Static).update(Content(printable(title)))
        self.set_class(bool(title), "has-title")
        self.query_one("#question", Static).update(markdown(card.front))
        self.query_one("#answer", Static).update(markdown(card.back))
        self.query_one("#context", Static).update(markdown(card.context))
        related = "\n".join(f"• {related.title}" for related in card.related)
        self.query_one("#related", Static).update(
            Content(printable(f"Related\n{related}")) if related else ""
        )
        tags = " ".join(f"#{tag}" for tag in card.tags)
        where = " · ".join(part for part in (Path(card.source).name, card.subject, tags) if part)
        self.query_one("#source", Static).update(Content(printable(where)))
        self.set_class(bool(card.related), "has-related")
        self.set_class(bool(card.context), "has-context")
        self.scroll_home(animate=False)
