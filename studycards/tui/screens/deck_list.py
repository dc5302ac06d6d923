"""The deck overview, like Anki's: each deck with its new, learning and due counts.

Reading the counts, exporting and syncing run in thread workers that post what they got back
as messages (`DecksLoaded`, `DeckExported`, `Synced`, or `Failed`, which the app shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from queue import Empty, Queue
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.render import measure
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from studycards.collection.browsing import deck_overview
from studycards.errors import StudycardsError
from studycards.model import Clock, CustomStudy
from studycards.text import plural, printable
from studycards.tui.charts import today_line
from studycards.tui.messages import (
    CardsChangedElsewhere,
    DeckExported,
    DecksLoaded,
    Failed,
    Synced,
    reported,
)

if TYPE_CHECKING:
    from studycards.collection.syncing import FullSync, SyncPlaces

# A file name's stem, cut to fit every file system (255 bytes or characters, less on some
# network shares), with room for `.apkg` and the export's temporary `.<name>.part`.
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 199

COLUMNS = (("deck", "Deck"), ("new", "New"), ("learning", "Learning"), ("due", "Due"))


def export_file_name(deck: str) -> str:
    """A file name for a deck's package: `::` as `-`, blanks as `_`, and characters no file
    name may hold (a `/` in a deck name would name a folder) as `_`; cut to at most 100
    characters and 199 bytes of UTF-8 (a long deck name is no file name: 255 bytes at most)."""
    name = "_".join(deck.replace("::", "-").split())
    safe = "".join("_" if c in '/\\:*?"<>|' or not c.isprintable() else c for c in name)
    stem = safe.lstrip(".")[:MAX_NAME_CHARS]
    # a cut inside a character's bytes leaves a partial one at the end, which decoding drops
    stem = stem.encode()[:MAX_NAME_BYTES].decode(errors="ignore")
    return f"{stem or 'deck'}.apkg"


def _count(value: int, style: str) -> Text:
    """Anki's colours: blue new, red learning, green due; a zero recedes."""
    return Text(str(value), style=style if value else "dim", justify="right")


def add_columns(table: DataTable[Text], rows: Sequence[tuple[Text, ...]]) -> None:
    """The columns, each as wide as its label and its cells in `rows`. Given rather than left
    to the table, which measures new rows only once idle: a frame painted before that cached
    the header at the old widths, out of line with the rows below it until the cursor moved
    (and the deck list's snapshot failed now and then under load)."""
    for index, (key, label) in enumerate(COLUMNS):
        cells = [Text(label), *(row[index] for row in rows)]
        width = max(measure(table.app.console, cell, 1) for cell in cells)
        table.add_column(label, key=key, width=width)


class DeckListScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", priority=True),
        Binding("c", "custom_study", "Custom study"),
        Binding("x", "export", "Export to Anki"),
        Binding("s", "sync", "Sync with Anki"),
        Binding("t", "stats", "Stats"),
        Binding("r", "refresh", "Refresh"),
        Binding("q,escape", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        db_path: Path,
        clock: Clock,
        deck: str | None = None,
        sync: SyncPlaces | None = None,
        plan: CustomStudy | None = None,
    ) -> None:
        """`deck`: open that deck's session at once (`studycards review --deck`); `plan`: open
        that custom study at once, of `deck` (None: every deck); `sync`: where a sync keeps its
        things (None: no sync key, Anki's engine is not installed)."""
        super().__init__()
        self.db_path, self.clock, self.deck, self.sync = db_path, clock, deck, sync
        self.plan = plan

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The sync key only where a sync can run."""
        return self.sync is not None if action == "sync" else True

    def compose(self) -> ComposeResult:
        yield Static("Decks", id="deck-title")
        table: DataTable[Text] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        add_columns(table, [])
        yield table
        yield Static(id="deck-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._load()
        if self.deck is not None or self.plan is not None:
            self._study(self.deck, self.plan)

    def action_refresh(self) -> None:
        self._load()

    def on_cards_changed_elsewhere(self, _: CardsChangedElsewhere) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="decks", description="read the decks")
    def _load(self) -> None:
        """Read the decks and today's counts (a large collection takes a moment)."""
        from studycards.collection.stats import studied_today

        with reported(self, "Decks not read"):
            now = self.clock()
            decks = deck_overview(self.db_path, now)
            today = today_line(*studied_today(self.db_path, now))
            if not get_current_worker().is_cancelled:  # a newer read is on its way
                self.post_message(DecksLoaded(decks, today))

    def on_decks_loaded(self, message: DecksLoaded) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        rows = [
            (
                Text(printable(deck.label)),
                _count(deck.new, "bold blue"),
                _count(deck.learning, "bold red"),
                _count(deck.due, "bold green"),
            )
            for deck in message.decks
        ]
        table.clear(columns=True)
        add_columns(table, rows)
        for deck, row in zip(message.decks, rows, strict=True):
            table.add_row(*row, key=deck.name)
        if rows:
            table.move_cursor(row=min(selected, len(rows) - 1))
        hint = f"{message.today}\nenter  study the highlighted deck (with its children)"
        self.query_one("#deck-hint", Static).update(
            hint if rows else "No decks yet: run `studycards import PATH` first."
        )

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_study(self) -> None:
        deck = self._highlighted()
        if deck is not None:
            self._study(deck)

    def _study(self, deck: str | None, plan: CustomStudy | None = None) -> None:
        from studycards.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.db_path, self.clock, deck, plan), self._reviewed)

    def action_custom_study(self) -> None:
        """Ask what to study beyond today's queue, then study it."""
        from studycards.tui.screens.custom_study import CustomStudyDialog

        deck = self._highlighted()
        if deck is None:
            return

        def chosen(plan: CustomStudy | None) -> None:
            if plan is not None:
                self._study(deck, plan)

        self.app.push_screen(CustomStudyDialog(deck), chosen)

    def _reviewed(self, _: None) -> None:
        """Back from a session: its answers changed the counts."""
        self._load()

    def action_export(self) -> None:
        """Ask where, ask before overwriting, then export the highlighted deck."""
        from studycards.collection.exporting import output_exists, package_path
        from studycards.tui.screens.dialogs import ConfirmDialog, ExportDialog

        deck = self._highlighted()
        if deck is None:
            return
        suggestion = Path.cwd() / export_file_name(deck)

        def chosen(typed: Path | None) -> None:
            if typed is None:
                return
            try:
                path = package_path(typed)  # the file the export will write
                exists = output_exists(path)
            except StudycardsError as err:  # a name the system refuses: too long, say
                self.post_message(Failed("Not exported", err))
                return
            if not exists:
                self._export(deck, path)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._export(deck, path)

            self.app.push_screen(ConfirmDialog(f"{path} exists. Overwrite it?"), confirmed)

        self.app.push_screen(ExportDialog(deck, suggestion), chosen)

    @work(thread=True, group="export", description="export")
    def _export(self, deck: str, path: Path) -> None:
        """Write the package (a large deck takes seconds)."""
        from studycards.collection.exporting import export_anki

        self.notify(printable(f"Exporting {deck}…"), timeout=2, markup=False)
        with reported(self, "Not exported"):
            # force: the dialog asked before overwriting
            summary = export_anki(self.db_path, path, self.clock(), deck=deck, force=True)
            self.post_message(DeckExported(summary))

    def on_deck_exported(self, message: DeckExported) -> None:
        summary = message.summary
        notes, decks = plural(summary.notes, "note"), plural(summary.decks, "deck")
        said = f"{notes} in {decks} → {summary.path}"
        self.notify(printable(said), title="Exported", timeout=6, markup=False)

    def action_stats(self) -> None:
        """The highlighted deck's stats (`a` there: every deck's)."""
        from studycards.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.db_path, self.clock, self._highlighted()))

    def action_sync(self) -> None:
        if self.sync is not None:
            self._sync(self.sync)

    @work(thread=True, exclusive=True, group="sync", description="sync with Anki")
    def _sync(self, places: SyncPlaces) -> None:
        """Sync (seconds, on a network); a full sync waits for the user's yes."""
        from studycards.collection.syncing import sync_with_anki

        self.notify("Syncing with Anki…", timeout=2)
        with reported(self, "Not synced"):
            summary = sync_with_anki(self.db_path, places, self.clock(), self._agreed)
            self.post_message(Synced(summary))

    def _agreed(self, full: FullSync) -> bool:
        """Ask, from the sync's thread, in a dialog on the app's; wait for the answer."""
        from studycards.collection.syncing import full_sync_question
        from studycards.tui.screens.dialogs import ConfirmDialog

        answers: Queue[bool | None] = Queue(maxsize=1)
        dialog = ConfirmDialog(f"{full_sync_question(full)} Go on?")
        self.app.call_from_thread(self.app.push_screen, dialog, answers.put)
        while True:
            try:
                return bool(answers.get(timeout=0.5))
            except Empty:
                if get_current_worker().is_cancelled:  # the app is closing
                    return False

    def on_synced(self, message: Synced) -> None:
        self.notify(printable(message.summary.line()), title="Synced", timeout=8, markup=False)
        self._load()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_study()
