"""Custom study (`c` on the deck list): study beyond today's due queue, as Anki's dialog of that
name offers. One choice, one value, enter: the review screen opens on that session."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet

from studycards.errors import SearchError
from studycards.model import (
    MOST_CUSTOM_DAYS,
    Chosen,
    Cram,
    CustomStudy,
    ExtraNew,
    Forgotten,
    ReviewAhead,
)
from studycards.search import parse_query
from studycards.text import plural, printable, shorten


def plan_label(plan: CustomStudy) -> str:
    """A few words naming the session, for its title (the user's query made printable)."""
    match plan:
        case ExtraNew(count):
            return f"{plural(count, 'extra new card')}"
        case ReviewAhead(days):
            return f"reviewing {plural(days, 'day')} ahead"
        case Forgotten(days):
            return f"cram of cards forgotten in {plural(days, 'day')}"
        case Cram(query):
            return f"cram of {shorten(' '.join(printable(query).split()), 40)}"
        case Chosen():
            return "cards chosen in the browser"


class _Choice(NamedTuple):
    label: str
    asks: str  # what the value is
    default: str


_CHOICES = (
    _Choice("Increase today's new card limit", "New cards more than today's limit", "10"),
    _Choice("Review ahead", "Days ahead (cards due by then)", "1"),
    _Choice("Review forgotten cards (schedules kept)", "Days back (answered Again since)", "1"),
    _Choice("Cram a search (schedules kept)", "Search, as in the browser", "is:review"),
)


def parse_plan(choice: int, value: str) -> CustomStudy:
    """The session a choice of the dialog and its typed value ask for; ValueError (with a
    message for the user) when the value does not fit the choice."""
    value = value.strip()
    if choice == len(_CHOICES) - 1:
        if not value:
            raise ValueError("type a search (tag:chemo, deck:Bio is:review, ...)")
        try:
            parse_query(value)
        except SearchError as err:
            raise ValueError(str(err)) from None
        return Cram(value)
    if (
        not (value.isdecimal() and len(value) <= len(str(MOST_CUSTOM_DAYS)))
        or not 1 <= int(value) <= MOST_CUSTOM_DAYS
    ):
        raise ValueError(f"type a whole number from 1 to {MOST_CUSTOM_DAYS}")
    return (ExtraNew, ReviewAhead, Forgotten)[choice](int(value))


class CustomStudyDialog(ModalScreen[CustomStudy | None]):
    """Asks what to study; dismisses with the session's plan, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, deck: str) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Content.from_markup(
                    "Custom study of [b]$deck[/] (with its children):", deck=printable(self.deck)
                )
            )
            with RadioSet(id="custom-choice"):
                for index, choice in enumerate(_CHOICES):
                    yield RadioButton(choice.label, value=index == 0)
            yield Label(_CHOICES[0].asks, id="custom-asks")
            yield Input(_CHOICES[0].default, id="custom-value")
            yield Label("", id="custom-problem")
            yield Label(
                "↑↓ enter  choose · enter on the value  study · escape  cancel",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    @on(RadioSet.Changed)
    def _chosen(self, event: RadioSet.Changed) -> None:
        choice = _CHOICES[event.index]
        self.query_one("#custom-asks", Label).update(choice.asks)
        self.query_one("#custom-value", Input).value = choice.default
        self.query_one("#custom-problem", Label).update("")
        self.query_one("#custom-value", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        choice = self.query_one(RadioSet).pressed_index
        try:
            plan = parse_plan(choice, event.value)
        except ValueError as problem:
            self.query_one("#custom-problem", Label).update(Content(printable(str(problem))))
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        self.dismiss(None)
