"""The browser (`/` anywhere): cards matching a search, updating as you type, the highlighted
card's text (Markdown), schedule and history, and actions on the marked cards (or on the
highlighted one when none is marked): suspend, bury, forget, set due date, edit its file,
study them now.
Every store call runs in a thread worker; a newer search cancels the one before it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from studycards.collection import card_actions
from studycards.collection.browsing import card_details, search_cards
from studycards.collection.reviewing import suspend, unbury, unsuspend
from studycards.errors import SearchError
from studycards.model import (
    CardDetails,
    CardListing,
    CardState,
    Chosen,
    Clock,
    ManualChange,
    PastAnswer,
    Scheduler,
    quiet_title,
)
from studycards.text import plural, printable, shorten
from studycards.tui.editor import edit_file
from studycards.tui.messages import CardsChanged, CardsFound, DetailsRead, reported
from studycards.tui.screens.dialogs import ConfirmDialog, DueDateDialog
from studycards.tui.widgets.card_view import markdown

PAGE = 200  # rows listed; a narrower search finds the rest
MARK = "●"
_STATES = {CardState.NEW: "new", CardState.LEARNING: "learning", CardState.REVIEW: "review"}
_GRADES = {1: "Again", 3: "Hard", 4: "Good", 5: "Easy"}


class CardTable(DataTable[Text]):
    """The cards found. Its keys act on the marked cards (else the highlighted one); they
    are the table's, so that while the search box has the focus letters are typed and the
    footer shows no key that would not work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.mark", "Mark"),
        Binding("ctrl+a", "screen.mark_all", "Mark all"),
        Binding("b", "screen.bury", "(Un)bury"),
        Binding("f", "screen.forget", "Forget"),
        Binding("d", "screen.set_due", "Set due"),
        Binding("e", "screen.edit", "Edit"),
        Binding("n", "screen.study_now", "Study now"),
    ]


class BrowserScreen(Screen[bool]):
    """Dismisses with whether it changed any card (the screen below then reads them again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back"),
        Binding("ctrl+s", "toggle_suspended", "(Un)suspend"),
        Binding("down", "focus_table", "Cards", show=False),
    ]

    def __init__(self, db_path: Path, clock: Clock, search: str = "") -> None:
        """`search`: the query to start with."""
        super().__init__()
        self.db_path, self.clock, self.first_search = db_path, clock, search
        self.found: list[CardListing] = []
        self.problem = ""  # what is wrong with the query
        self.marked: set[int] = set()  # ids of found cards
        self.details: CardDetails | None = None  # of the highlighted card, once read
        self.changed = False  # an action (or a session from here) changed cards

    def compose(self) -> ComposeResult:
        hint = "search: words, deck:, tag:, is:due, prop:ivl>=10"
        yield Input(self.first_search, placeholder=hint, id="search")
        yield Static(id="search-said")
        with Horizontal(id="browser"):
            table = CardTable(id="found", cursor_type="row", zebra_stripes=True)
            table.add_column(" ", key="mark")
            for label in ("Question", "Deck", "State", "Due", "Ivl", "Ease/D", "Lapses"):
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

    def action_leave(self) -> None:
        self.dismiss(self.changed)

    def focus_search(self) -> None:
        """`/` in the browser: back to the search box."""
        self.query_one(Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(CardTable).focus()

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
        """List the cards, the marks of those still found kept, the highlight on the card it
        was on if it is still there."""
        table = self.query_one(CardTable)
        highlighted = self._highlighted()
        self.found, self.problem = message.cards, message.problem
        self.marked &= {card.id for card in message.cards}
        table.clear()
        for card in message.cards:
            table.add_row(*_row(card, card.id in self.marked), key=str(card.id))
        self._say()
        rows = [card.id for card in message.cards]
        if highlighted is not None and highlighted.id in rows:
            table.move_cursor(row=rows.index(highlighted.id))
            self._details(highlighted.id)
        if not message.cards:
            self.details = None
            self.query_one("#card-text", Static).update("")

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.details = None  # until the highlighted card's are read
        if event.row_key.value is not None:
            self._details(int(event.row_key.value))

    @work(thread=True, exclusive=True, group="details", description="read the card")
    def _details(self, card_id: int) -> None:
        with reported(self, "Card not read"):
            self.post_message(DetailsRead(card_id, card_details(self.db_path, card_id)))

    def on_details_read(self, message: DetailsRead) -> None:
        highlighted = self._highlighted()
        if highlighted is None or highlighted.id != message.card_id:
            return  # read for a row the cursor has left
        self.details = message.details
        self.query_one("#card-text", Static).update(_detail(message.details))

    # Marks

    def action_mark(self) -> None:
        card = self._highlighted()
        if card is not None:
            self.marked ^= {card.id}
            self._show_marks([card])

    def action_mark_all(self) -> None:
        """Mark every card found; when all are marked already, none."""
        everything = {card.id for card in self.found}
        self.marked = set() if everything <= self.marked else everything
        self._show_marks(self.found)

    def _show_marks(self, cards: list[CardListing]) -> None:
        table = self.query_one(CardTable)
        for card in cards:
            table.update_cell(str(card.id), "mark", _mark(card.id in self.marked))
        self._say()

    def _say(self) -> None:
        """How many cards are found (and marked), or what is wrong with the query."""
        more = f" (the first {PAGE})" if len(self.found) == PAGE else ""
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        said = self.problem or f"{plural(len(self.found), 'card')}{more}{marked}"
        self.query_one("#search-said", Static).update(Text(printable(said)))

    def _highlighted(self) -> CardListing | None:
        table = self.query_one(CardTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.found):
            return None
        return self.found[table.cursor_row]

    def _targets(self) -> list[CardListing]:
        """The cards an action applies to: the marked ones, else the highlighted one."""
        if self.marked:
            return [card for card in self.found if card.id in self.marked]
        highlighted = self._highlighted()
        return [] if highlighted is None else [highlighted]

    # Actions: each a worker that posts `CardsChanged`, which lists the cards again

    def action_toggle_suspended(self) -> None:
        """Suspend the cards; when every one is suspended already, unsuspend them."""
        cards = self._targets()
        if cards:
            self._toggle(cards, lambda card: card.suspended, self._suspend, self._unsuspend)

    def action_bury(self) -> None:
        """Bury the cards until tomorrow; when every one is buried already, unbury them."""
        cards = self._targets()
        if cards:
            self._toggle(cards, lambda card: card.buried, self._bury, self._unbury)

    @staticmethod
    def _toggle(
        cards: list[CardListing],
        held: Callable[[CardListing], bool],
        hold: Callable[[list[int]], object],
        release: Callable[[list[int]], object],
    ) -> None:
        if all(map(held, cards)):
            release([card.id for card in cards])
        else:
            hold([card.id for card in cards if not held(card)])

    @work(thread=True, group="store", description="suspend")
    def _suspend(self, card_ids: list[int]) -> None:
        with reported(self, "Not suspended"):
            suspend(self.db_path, card_ids)
            self.post_message(CardsChanged(f"Suspended {plural(len(card_ids), 'card')}"))

    @work(thread=True, group="store", description="unsuspend")
    def _unsuspend(self, card_ids: list[int]) -> None:
        with reported(self, "Not unsuspended"):
            done = unsuspend(self.db_path, card_ids, self.clock()).done
            self.post_message(CardsChanged(f"Unsuspended {plural(len(done), 'card')}"))

    @work(thread=True, group="store", description="bury")
    def _bury(self, card_ids: list[int]) -> None:
        with reported(self, "Not buried"):
            done = card_actions.bury(self.db_path, card_ids, self.clock())
            self.post_message(CardsChanged(f"Buried {plural(len(done), 'card')} until tomorrow"))

    @work(thread=True, group="store", description="unbury")
    def _unbury(self, card_ids: list[int]) -> None:
        with reported(self, "Not unburied"):
            done = unbury(self.db_path, card_ids, self.clock()).done
            self.post_message(CardsChanged(f"Unburied {plural(len(done), 'card')}"))

    def action_forget(self) -> None:
        """Ask, then make the cards new again (their history kept)."""
        cards = self._targets()
        if not cards:
            return
        ids = [card.id for card in cards]
        they = "It becomes a new card" if len(ids) == 1 else "They become new cards"
        question = f"Forget {plural(len(ids), 'card')}? {they}; the answers stay in the history."

        def answered(yes: bool | None) -> None:
            if yes:
                self._forget(ids)

        self.app.push_screen(ConfirmDialog(question), answered)

    @work(thread=True, group="store", description="forget")
    def _forget(self, card_ids: list[int]) -> None:
        with reported(self, "Not forgotten"):
            done = card_actions.forget(self.db_path, card_ids, self.clock())
            said = f"Forgot {plural(len(done), 'card')}"
            if len(done) < len(card_ids):
                said += f" ({len(card_ids) - len(done)} new already)"
            self.post_message(CardsChanged(said))

    def action_set_due(self) -> None:
        """Ask in how many days, then make the cards review cards due then."""
        cards = self._targets()
        if not cards:
            return
        ids = [card.id for card in cards]

        def answered(days: str | None) -> None:
            if days is not None:
                self._set_due(ids, days)

        self.app.push_screen(DueDateDialog(len(ids)), answered)

    @work(thread=True, group="store", description="set due")
    def _set_due(self, card_ids: list[int], days: str) -> None:
        with reported(self, "Not set due"):
            done = card_actions.set_due(self.db_path, card_ids, days, self.clock())
            said = f"Set {plural(len(done), 'card')} due in {days.strip()} days"
            if len(done) < len(card_ids):
                said += f" ({len(card_ids) - len(done)} due then already)"
            self.post_message(CardsChanged(said))

    def action_edit(self) -> None:
        """Open the highlighted card's file in $EDITOR, then import it again."""
        details = self.details
        if details is None:
            return
        edit_file(self.app, details.card.source)
        self._reimport(details)

    @work(thread=True, group="store", description="re-import")
    def _reimport(self, details: CardDetails) -> None:
        with reported(self, "Not re-imported"):
            summary = card_actions.reimport(self.db_path, details.card, self.clock())
            name = printable(Path(details.card.source).name)
            changed = plural(summary.new + summary.updated, "card")
            self.post_message(CardsChanged(f"Imported {name} again: {changed} new or changed"))

    def action_study_now(self) -> None:
        """A session over the cards, answered and rescheduled as any (new cards learnt, the
        others reviewed early); back here after it."""
        from studycards.tui.screens.review import ReviewScreen

        cards = self._targets()
        if cards:
            chosen = Chosen(tuple(card.id for card in cards))
            self.app.push_screen(
                ReviewScreen(self.db_path, self.clock, None, chosen), self._studied
            )

    def _studied(self, _: None) -> None:
        """Back from the session: its answers changed the cards."""
        self.changed = True
        self._search(self.query_one(Input).value)

    def on_cards_changed(self, message: CardsChanged) -> None:
        self.changed = True
        self.notify(message.said, timeout=3, markup=False)
        self._search(self.query_one(Input).value)


def _mark(marked: bool) -> Text:
    return Text(MARK if marked else " ", style="bold")


def _row(card: CardListing, marked: bool) -> tuple[Text, ...]:
    state = "suspended" if card.suspended else "buried" if card.buried else _STATES[card.state]
    due = "" if card.due is None else "today" if card.due <= card.today else str(card.due)
    answered = card.state is not CardState.NEW
    return (
        _mark(marked),
        Text(shorten(printable(card.front), 20)),
        Text(printable(card.deck)),
        Text(state),
        Text(due),
        Text(f"{card.interval}d" if card.interval else "", justify="right"),
        Text(_ease_or_difficulty(card) if answered else "", justify="right"),
        Text(str(card.lapses) if card.lapses else "", justify="right"),
    )


def _ease_or_difficulty(card: CardListing) -> str:
    """SM-2's ease as `cards` prints it (2.50), or for an FSRS deck's card its difficulty (D,
    1 to 10)."""
    return f"{card.ease:.2f}" if card.difficulty is None else f"D {card.difficulty:.1f}"


def _detail(details: CardDetails) -> Group:
    """The card rendered as Markdown (which reads no markup), its schedule and history."""
    card, schedule = details.card, details.schedule
    parts: list[RenderableType] = []
    title = quiet_title(card.title, card.front)
    if title:
        parts.append(Text(printable(title), style="dim"))
    parts += [markdown(card.front), Rule(style="dim"), markdown(card.back)]
    if card.context:
        parts += [Text(), markdown(card.context)]
    tags = " ".join(f"#{tag}" for tag in card.tags)
    where = " · ".join(part for part in (card.deck, Path(card.source).name, tags) if part)
    parts.append(Text(f"\n{printable(where)}", style="dim"))
    if schedule.memory is not None and details.scheduler is Scheduler.FSRS:
        memory = (
            f"difficulty {schedule.memory.difficulty:.1f}"
            f" · stability {schedule.memory.stability:.1f}d"
        )
    else:
        memory = f"ease {schedule.sm2.ease:.2f}"
    facts = [_STATES[schedule.state]]
    if schedule.state is not CardState.NEW:
        facts += [f"due {schedule.due}", f"interval {schedule.sm2.interval}d"]
    facts += [memory, f"lapses {schedule.lapses}"]
    parts.append(Text(" · ".join(facts), style="dim"))
    return Group(*parts, Text(), _history(details.answers, details.changes))


def _change(change: ManualChange) -> str:
    if change.days is None:
        return "Forgot"
    return f"Due +{change.days}d" + ("!" if change.reset_interval else "")


def _history(answers: tuple[PastAnswer, ...], changes: tuple[ManualChange, ...]) -> RenderableType:
    """Answers and changes made by hand, in time order."""
    if not answers and not changes:
        return Text("Never answered", "dim")
    history = Table(
        "When", "Done", "Ivl", "Time", title="History", title_justify="left", box=None,
        padding=(0, 1, 0, 0), header_style="bold",
    )  # fmt: skip
    lines = [
        (answer.at, _GRADES[answer.grade] + " (cram)" * answer.crammed,
         "" if answer.crammed else f"{answer.interval}d", f"{answer.duration_ms / 1000:.0f}s")
        for answer in answers
    ] + [
        (change.at, _change(change), "", "") for change in changes
    ]  # fmt: skip
    for at, done, interval, time in sorted(lines, key=lambda line: line[0]):
        history.add_row(f"{at.astimezone():%Y-%m-%d %H:%M}", done, interval, time)
    return history
