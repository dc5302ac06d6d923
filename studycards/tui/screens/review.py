"""A review session: question, reveal, grade; undo, suspend, bury, edit."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from studycards.collection.reviewing import ShownCard, StudySession
from studycards.errors import StudycardsError
from studycards.model import Grade
from studycards.text import printable
from studycards.tui.messages import CardReady, SessionFinished, StoreFailed
from studycards.tui.widgets.card_view import CardView
from studycards.tui.widgets.grade_bar import GradeBar

Job = Callable[[], ShownCard | None]


class ReviewScreen(Screen[None]):
    """Shows one card at a time; every answer is committed before the next card appears."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer"),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(3)", "Hard", show=False),
        Binding("3", "grade(4)", "Good", show=False),
        Binding("4", "grade(5)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("e", "edit", "Edit source"),
        Binding("q,escape", "leave", "Back"),
    ]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck
        self.session: StudySession | None = None
        self.card: ShownCard | None = None
        self.shown_at: datetime | None = None
        self.busy = True  # until the first card is ready

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.app.clock  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield CardView(id="card")
        yield Static("space  show answer", id="prompt")
        yield GradeBar(id="grades")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#status", Static).update(Content(printable(self.deck or "All decks")))
        self._run(self._open)

    def _open(self) -> ShownCard | None:
        self.session = StudySession(self.app.db_path, self.deck, self.clock())  # type: ignore[attr-defined]
        return self.session.next_card(self.clock())

    @work(thread=True, group="store")
    def _run(self, job: Job) -> None:
        """Run one store job off the UI thread and post what it gives back."""
        try:
            shown = job()
        except StudycardsError as err:
            self.post_message(StoreFailed(err))
            return
        if shown is not None:
            self.post_message(CardReady(shown))
        elif self.session is not None:
            self.post_message(SessionFinished(self.session.summary(self.clock())))

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Load the writing side while the user reads the first card, not before it shows."""
        if self.session is not None:
            self.session.warm_up()

    def _start(self, job: Job) -> None:
        if self.busy or self.session is None:
            return
        self.busy = True
        self._run(job)

    def on_card_ready(self, message: CardReady) -> None:
        self.busy = False
        if self.card is None and self.session is not None and not self.session.can_undo:
            self.call_after_refresh(self._warm_up)
        self.card = message.card
        self.shown_at = self.clock()
        text = message.card.text
        new, learning, review = message.card.counts
        self.query_one("#status", Static).update(
            Content.from_markup(
                f"[b]$deck[/]   [$primary]{new} new[/] · [$error]{learning} learning[/]"
                f" · [$success]{review} review[/]",
                deck=printable(text.deck),
            )
        )
        self.query_one(CardView).show(text)
        self.query_one(GradeBar).label(message.card)
        self.remove_class("revealed")

    def on_session_finished(self, message: SessionFinished) -> None:
        from studycards.tui.screens.done import DoneScreen

        self.busy = False
        self.card = None
        self.app.push_screen(DoneScreen(message.summary), self._after_done)

    def _after_done(self, choice: str | None) -> None:
        if choice == "undo":
            self.busy = False
            self.action_undo()
        else:
            self.dismiss(None)

    def on_store_failed(self, message: StoreFailed) -> None:
        self.busy = False
        self.notify(
            printable(str(message.error)),
            title="Not saved",
            severity="error",
            timeout=8,
            markup=False,
        )

    def action_reveal(self) -> None:
        if self.card is not None and not self.busy:
            self.query_one(CardView).reveal()
            self.add_class("revealed")

    def action_grade(self, quality: int) -> None:
        if self.card is None or not self.has_class("revealed"):
            return
        card, shown_at = self.card, self.shown_at or self.clock()

        def answer() -> ShownCard | None:
            assert self.session is not None
            now = self.clock()
            duration = int((now - shown_at).total_seconds() * 1000)
            self.session.answer(card.queued, Grade(quality), now, duration)
            return self.session.next_card(self.clock())

        self._start(answer)

    @on(GradeBar.Chosen)
    def _chosen(self, message: GradeBar.Chosen) -> None:
        self.action_grade(int(message.grade))

    def action_undo(self) -> None:
        if self.session is not None and not self.session.can_undo:
            self.notify("Nothing to undo in this session.")
            return
        self._start(lambda: self.session.undo(self.clock()) if self.session else None)

    def action_suspend(self) -> None:
        self._drop(lambda session, card: session.suspend(card.queued), "Suspended")

    def action_bury(self) -> None:
        self._drop(
            lambda session, card: session.bury(card.queued, self.clock()), "Buried until tomorrow"
        )

    def _drop(self, act: Callable[[StudySession, ShownCard], None], said: str) -> None:
        card = self.card
        if card is None:
            return

        def job() -> ShownCard | None:
            assert self.session is not None
            act(self.session, card)
            return self.session.next_card(self.clock())

        self.notify(f"{said} · u takes it back", timeout=3)
        self._start(job)

    def action_edit(self) -> None:
        """Open the card's source in $EDITOR, then import it again and show the new text."""
        if self.card is None or self.busy:
            return
        card = self.card
        command = [*shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")]
        try:
            with self.app.suspend():
                subprocess.run([*command, card.text.source], check=False)
        except SuspendNotSupported:  # headless (tests): nothing to hand the terminal back from
            subprocess.run([*command, card.text.source], check=False)
        self.app.refresh()
        self._start(lambda: self.session.reimport(card, self.clock()) if self.session else None)

    def action_leave(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
