"""One card: the question, then (once revealed) the answer, related reading and its source."""

from __future__ import annotations

from pathlib import Path

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Rule, Static

from studycards.model import CardDraft


class CardView(VerticalScroll):
    """Question always; answer, related articles and context after `reveal()`."""

    def compose(self) -> ComposeResult:
        yield Static(id="question")
        yield Rule(id="divider")
        yield Static(id="answer")
        yield Static(id="context")
        yield Static(id="related")
        yield Static(id="source")

    def show(self, card: CardDraft) -> None:
        self.query_one("#question", Static).update(Markdown(card.front))
        self.query_one("#answer", Static).update(Markdown(card.back))
        self.query_one("#context", Static).update(card.context)
        related = "\n".join(f"• {related.title}" for related in card.related)
        self.query_one("#related", Static).update(f"Related\n{related}" if related else "")
        tags = " ".join(f"#{tag}" for tag in card.tags)
        where = " · ".join(part for part in (Path(card.source).name, card.subject, tags) if part)
        self.query_one("#source", Static).update(where)
        self.set_class(bool(card.related), "has-related")
        self.remove_class("revealed")
        self.scroll_home(animate=False)

    def reveal(self) -> None:
        self.add_class("revealed")

    @property
    def revealed(self) -> bool:
        return self.has_class("revealed")
