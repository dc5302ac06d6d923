"""The deck overview, like Anki's: each deck with its new, learning and due counts."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from studycards.collection.browsing import deck_overview
from studycards.errors import StudycardsError
from studycards.model import DeckCounts
from studycards.text import plural, printable

# A file name's stem, cut to fit every file system (255 bytes or characters, less on some
# network shares), with room for `.apkg` and the export's temporary `.<name>.part`.
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 199


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


class DeckListScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", priority=True),
        Binding("x", "export", "Export to Anki"),
        Binding("r", "refresh", "Refresh"),
        Binding("q,escape", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Decks", id="deck-title")
        table: DataTable[str] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        table.add_column("Deck", key="deck")
        table.add_column("New", key="new")
        table.add_column("Learning", key="learning")
        table.add_column("Due", key="due")
        yield table
        yield Static(id="deck-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="decks")
    def _load(self) -> None:
        decks = deck_overview(self.app.db_path, self.app.clock())  # type: ignore[attr-defined]
        self.app.call_from_thread(self._fill, decks)

    def _fill(self, decks: list[DeckCounts]) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        table.clear()
        for deck in decks:
            table.add_row(
                Text(printable(deck.label)),
                _count(deck.new, "bold blue"),
                _count(deck.learning, "bold red"),
                _count(deck.due, "bold green"),
                key=deck.name,
            )
        if decks:
            table.move_cursor(row=min(selected, len(decks) - 1))
        hint = "enter  study the highlighted deck (with its children)"
        self.query_one("#deck-hint", Static).update(
            hint if decks else "No decks yet: run `studycards import PATH` first."
        )

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_study(self) -> None:
        from studycards.tui.screens.review import ReviewScreen

        deck = self._highlighted()
        if deck is not None:
            self.app.push_screen(ReviewScreen(deck))

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
                self._not_exported(err)
                return
            if exists:
                question = f"{path} exists. Overwrite it?"
                self.app.push_screen(
                    ConfirmDialog(question), lambda yes: self._export(deck, path) if yes else None
                )
            else:
                self._export(deck, path)

        self.app.push_screen(ExportDialog(deck, suggestion), chosen)

    @work(thread=True, group="export")
    def _export(self, deck: str, path: Path) -> None:
        from studycards.collection.exporting import export_anki

        self.app.call_from_thread(
            self.notify, printable(f"Exporting {deck}…"), timeout=2, markup=False
        )
        try:
            summary = export_anki(
                self.app.db_path,  # type: ignore[attr-defined]
                path,
                self.app.clock(),  # type: ignore[attr-defined]
                deck=deck,
                force=True,  # the dialog asked before overwriting
            )
        except StudycardsError as err:
            self.app.call_from_thread(self._not_exported, err)
            return
        notes, decks = plural(summary.notes, "note"), plural(summary.decks, "deck")
        said = f"{notes} in {decks} → {summary.path}"
        self.app.call_from_thread(
            self.notify, printable(said), title="Exported", timeout=6, markup=False
        )

    def _not_exported(self, err: StudycardsError) -> None:
        self.notify(printable(str(err)), title="Not exported", severity="error", markup=False)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_study()
