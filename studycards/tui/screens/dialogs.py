"""Small modal questions: where to export a deck, whether to overwrite a file, in how many
days cards are due."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from studycards.collection.card_actions import parse_due_days
from studycards.errors import DueDaysError
from studycards.text import plural, printable


class ExportDialog(ModalScreen[Path | None]):
    """Asks for the .apkg path; dismisses with it, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, deck: str, suggestion: Path) -> None:
        super().__init__()
        self.deck, self.suggestion = deck, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Content.from_markup(
                    "Export [b]$deck[/] (with its children) to an Anki package:",
                    deck=printable(self.deck),
                )
            )
            yield Input(str(self.suggestion), id="export-path")
            yield Label("enter  export · escape  cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            path = Path(event.value.strip())
            with suppress(RuntimeError):  # `~someone` who is no user here: the name as typed
                path = path.expanduser()
            self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y or enter says yes, n or escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(printable(self.question)))
            yield Label("y  yes · n  no", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class DueDateDialog(ModalScreen[str | None]):
    """Asks in how many days cards are due, in Anki's syntax; dismisses with days that can
    be read (a mistake is said in the dialog, which stays), or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, cards: int) -> None:
        super().__init__()
        self.cards = cards

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Set {plural(self.cards, 'card')} due in how many days?")
            yield Input(placeholder="0 today, 3, 3-7 (spread over the range)", id="due-days")
            yield Static(id="due-problem", classes="dialog-hint")
            yield Label(
                "a ! at the end sets the interval too · enter  set · escape  cancel",
                classes="dialog-hint",
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            parse_due_days(event.value)
        except DueDaysError as err:
            self.query_one("#due-problem", Static).update(Content(printable(str(err))))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
