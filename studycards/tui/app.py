"""The studycards review app: the deck list, review sessions, the end-of-session screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import HelpPanel

from studycards.tui.screens.deck_list import DeckListScreen

Clock = Callable[[], datetime]


class StudyApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "studycards"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "toggle_help", "Keys"),
        Binding("ctrl+t", "toggle_dark", "Light/dark"),
    ]

    def __init__(self, db_path: Path, clock: Clock, deck: str | None = None) -> None:
        super().__init__()
        self.db_path, self.clock, self.deck = db_path, clock, deck

    def on_mount(self) -> None:
        self.push_screen(DeckListScreen())
        if self.deck is not None:
            from studycards.tui.screens.review import ReviewScreen

            self.push_screen(ReviewScreen(self.deck))

    def action_toggle_help(self) -> None:
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(db_path: Path, clock: Clock, deck: str | None = None) -> StudyApp:
    """The one way to build the app, for the CLI, pilot tests and snapshots alike."""
    return StudyApp(db_path, clock, deck)
