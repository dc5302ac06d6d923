"""The studycards review app: the deck list, review sessions, the end-of-session screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import HelpPanel

from studycards.model import Clock, CustomStudy
from studycards.text import printable
from studycards.tui.messages import CardsChangedElsewhere, Failed
from studycards.tui.screens.deck_list import DeckListScreen

if TYPE_CHECKING:
    from studycards.collection.syncing import SyncPlaces


class StudyApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "studycards"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "toggle_help", "Keys"),
        Binding("slash", "browse", "Browse"),
        Binding("ctrl+t", "toggle_dark", "Light/dark"),
    ]

    def __init__(
        self,
        db_path: Path,
        clock: Clock,
        deck: str | None = None,
        sync: SyncPlaces | None = None,
        plan: CustomStudy | None = None,
    ) -> None:
        super().__init__()
        self.db_path, self.clock, self.deck, self.sync = db_path, clock, deck, sync
        self.plan = plan

    def get_default_screen(self) -> DeckListScreen:
        """The deck list, given the collection and the clock (and `deck` or a custom study
        `plan` to open at once, and where a sync keeps its things when Anki's engine is
        installed)."""
        return DeckListScreen(self.db_path, self.clock, self.deck, self.sync, self.plan)

    def on_failed(self, message: Failed) -> None:
        """Every failed library call ends here (its screen let the message bubble): the
        collection busy, read-only, full or damaged is news for the user, never a crash."""
        self.notify(
            printable(str(message.error)),
            title=message.title,
            severity="error",
            timeout=8,
            markup=False,
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's commands, with the stats of every deck."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Stats", "Progress of every deck", self._show_stats)

    def _show_stats(self) -> None:
        from studycards.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.db_path, self.clock, None))

    def action_browse(self) -> None:
        """The browser, over whatever screen is showing (in the browser: its search box)."""
        from studycards.tui.screens.browser import BrowserScreen

        if isinstance(self.screen, BrowserScreen):
            self.screen.focus_search()
        else:
            self.push_screen(BrowserScreen(self.db_path, self.clock), self._browsed)

    def _browsed(self, changed: bool | None) -> None:
        """Back from the browser: the screen below reads again the cards it changed."""
        if changed:
            self.screen.post_message(CardsChangedElsewhere())

    def action_toggle_help(self) -> None:
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(
    db_path: Path,
    clock: Clock,
    deck: str | None = None,
    sync: SyncPlaces | None = None,
    plan: CustomStudy | None = None,
) -> StudyApp:
    """The one way to build the app, for the CLI, pilot tests and snapshots alike."""
    return StudyApp(db_path, clock, deck, sync, plan)
