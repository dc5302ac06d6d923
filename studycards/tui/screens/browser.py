"""The browser (`/` anywhere): cards matching a search, updating as you type, and the
highlighted card's text and history. Every read runs in a thread worker; a newer search
cancels the one before it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from studycards.collection.browsing import card_details, search_cards
from studycards.collection.reviewing import suspend, unsuspend
from studycards.errors import SearchError
from studycards.model import CardDetails, CardListing, CardState, Clock
from studycards.text import printable, shorten
from studycards.tui.messages import CardsFound, DetailsRead, reported

PAGE = 200  # rows listed; a narrower search finds the rest
_STATES = {CardState.NEW: "new", CardState.LEARNING: "learning", CardState.REVIEW: "review"}
_GRADES = {1: "Again", 3: "Hard", 4: "Good", 5: "Easy"}


class BrowserScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "toggle_suspended", "Suspend/unsuspend"),
        Binding("down", "focus_table", "Cards", show=False),
    ]

    def __init__(self, db_path: Path, clock: Clock, search: str = "") -> None:
        """`search`: the query to start with."""
        super().__init__()
        self.db_path, self.clock, self.first_search = db_path, clock, search
        self.found: list[CardListing] = []

    def compose(self) -> ComposeResult:
        hint = "search: words, deck:, tag:, is:due, prop:ivl>=10"
        yield Input(self.first_search, placeholder=hint, id="search")
        yield Static(id="search-said")
        with Horizontal(id="browser"):
            table: DataTable[Text] = DataTable(id="found", cursor_type="row", zebra_stripes=True)
            for label in ("Question", "Deck", "State", "Due", "Ivl"):
                table.add_column(label, key=label)
            yield table
            with VerticalScroll(id="card-detail"):
                yield Static(id="card-text")
        yield Footer()

    def on_mount(self) -> None:
        self._search(self.first_search)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    @work(thread=True, exclusive=True, group="search", description="search")
    def _search(self, query: str) -> None:
        """Find the first page of cards (a malformed query says where, and lists nothing)."""
        try:
            found = search_cards(self.db_path, query, self.clock(), limit=PAGE)
        except SearchError as err:
            self.post_message(CardsFound([], str(err)))
            return
        with reported(self, "Not searched"):
            if not get_current_worker().is_cancelled:
                self.post_message(CardsFound(found, ""))

    def on_cards_found(self, message: CardsFound) -> None:
        self.found = message.cards
        table = self.query_one(DataTable)
        table.clear()
        for card in message.cards:
            table.add_row(*_row(card), key=str(card.id))
        more = f" (the first {PAGE})" if len(message.cards) == PAGE else ""
        said = message.problem or f"{len(message.cards)} cards{more}"
        self.query_one("#search-said", Static).update(Text(printable(said)))
        if not message.cards:
            self.query_one("#card-text", Static).update("")

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._details(int(event.row_key.value))

    @work(thread=True, exclusive=True, group="details", description="read the card")
    def _details(self, card_id: int) -> None:
        with reported(self, "Card not read"):
            self.post_message(DetailsRead(card_details(self.db_path, card_id)))

    def on_details_read(self, message: DetailsRead) -> None:
        self.query_one("#card-text", Static).update(_detail(message.details))

    def action_toggle_suspended(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self._toggle(self.found[table.cursor_row])

    @work(thread=True, group="store", description="suspend")
    def _toggle(self, card: CardListing) -> None:
        with reported(self, "Not changed"):
            if card.suspended:
                unsuspend(self.db_path, [card.id], self.clock())
            else:
                suspend(self.db_path, [card.id])
            self.notify("Unsuspended" if card.suspended else "Suspended", timeout=2)
            self._search(self.query_one(Input).value)


def _row(card: CardListing) -> tuple[Text, ...]:
    state = "suspended" if card.suspended else "buried" if card.buried else _STATES[card.state]
    due = "" if card.due is None else "today" if card.due <= card.today else str(card.due)
    return (
        Text(shorten(printable(card.front), 34)),
        Text(printable(card.deck)),
        Text(state),
        Text(due),
        Text(f"{card.interval}d" if card.interval else "", justify="right"),
    )


def _detail(details: CardDetails) -> Group:
    """The card's text (as text: never markup) and its answers."""
    card = details.card
    text = Text()
    text.append(printable(card.front), style="bold")
    text.append("\n\n" + printable(card.back))
    text.append(f"\n\n{printable(card.deck)} · {printable(Path(card.source).name)}", style="dim")
    history = Table("Answered", "Button", "Interval", "Time", title="History", title_justify="left")
    for answer in details.answers:
        history.add_row(
            f"{answer.at.astimezone():%Y-%m-%d %H:%M}",
            _GRADES[answer.grade],
            f"{answer.interval}d",
            f"{answer.duration_ms / 1000:.0f}s",
        )
    return Group(text, Text(), history if details.answers else Text("Never answered", "dim"))
