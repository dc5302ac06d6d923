"""A review session: question, reveal, grade; undo, suspend, bury, edit.

Every store call is a thread worker of its own (open, answer, undo, suspend, bury, re-import)
that posts what it got back as a message; only the handlers touch the screen. A failed call
(`StudycardsError`) changes nothing on screen: the app shows the error, the card stays.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Static

from studycards.collection.reviewing import ShownCard, StudySession
from studycards.model import Clock, CustomStudy, Grade, LeechAction
from studycards.text import printable
from studycards.tui.editor import edit_file
from studycards.tui.messages import (
    CardAnswered,
    CardDropped,
    CardReady,
    CardsChangedElsewhere,
    Failed,
    SessionFinished,
    SessionOpened,
    reported,
)
from studycards.tui.screens.custom_study import plan_label
from studycards.tui.widgets.card_view import CardView
from studycards.tui.widgets.grade_bar import GRADE_KEYS, GradeBar

NEXT_NOT_SHOWN = "Saved, but the next card could not be read"


class ReviewScreen(Screen[None]):
    """Shows one card at a time; every answer is committed before the next card appears."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer"),
        *(
            Binding(key, f"grade({grade.value})", name, show=False)
            for grade, key, name in GRADE_KEYS
        ),
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("e", "edit", "Edit source"),
        Binding("q,escape", "leave", "Back"),
    ]

    revealed: var[bool] = var(False)
    """The answer is showing, and the grade buttons with it: app.tcss keys off the class the
    watcher sets. A `var`, not a `reactive`: the class change repaints what it changes, where
    a reactive would repaint the whole screen too (10 ms more a card)."""

    def __init__(
        self, db_path: Path, clock: Clock, deck: str | None, plan: CustomStudy | None = None
    ) -> None:
        """`plan`: a custom study of the deck (None: today's due queue)."""
        super().__init__()
        self.db_path, self.clock, self.deck, self.plan = db_path, clock, deck, plan
        self.session: StudySession | None = None
        self.card: ShownCard | None = None  # the card to grade; None while none is
        self.shown_at: datetime | None = None
        self.busy = True  # a store call is running (the first: opening the session)
        self.warmed = False  # the writing side is loaded once the first card shows

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield CardView(id="card")
        yield Static("space  show answer", id="prompt")
        yield GradeBar(id="grades")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#status", Static).update(Content(self._title(printable(self.deck or ""))))
        self._open()

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "revealed")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer drops "Show answer" once the answer shows (the buttons say 1-4)."""
        return not (action == "reveal" and self.revealed)

    # Workers: each runs one library call and posts what it got, or `Failed`. Each is given a
    # description: Textual's default is the repr of the arguments, and a session's repr holds
    # its whole queue (60 ms an answer on 20,000 cards), a card's its whole text.

    @work(thread=True, group="store", description="open the session")
    def _open(self) -> None:
        """Open the session and read the first card: on a large collection, reading the
        queue takes a moment the screen must not freeze for."""
        with reported(self, "Deck not opened"):
            session = StudySession(self.db_path, self.deck, self.clock(), self.plan)
            if not self.post_message(SessionOpened(session)):  # the screen left meanwhile
                session.close()
                return
            self._post_next(session, session.next_card(self.clock()))

    @work(thread=True, group="store", description="answer")
    def _answer(
        self, session: StudySession, card: ShownCard, grade: Grade, shown_at: datetime
    ) -> None:
        """Commit the answer, then show the next card."""
        now = self.clock()
        with reported(self, "Not saved"):
            took = int((now - shown_at).total_seconds() * 1000)
            leech = session.answer(card.queued, grade, now, took, card.today)  # its buttons' day
            self._move_on(session, CardAnswered(card, leech))

    @work(thread=True, group="store", description="undo")
    def _undo(self, session: StudySession) -> None:
        """Take back the session's last answer, suspend or bury, and show that card again."""
        with reported(self, "Not undone"):
            self._post_next(session, session.undo(self.clock()))

    @work(thread=True, group="store", description="suspend")
    def _suspend(self, session: StudySession, card: ShownCard) -> None:
        with reported(self, "Not suspended"):
            session.suspend(card.queued)
            self._move_on(session, CardDropped(card, "Suspended"))

    @work(thread=True, group="store", description="bury")
    def _bury(self, session: StudySession, card: ShownCard) -> None:
        with reported(self, "Not buried"):
            session.bury(card.queued, self.clock())
            self._move_on(session, CardDropped(card, "Buried until tomorrow"))

    @work(thread=True, group="store", description="re-import")
    def _reimport(self, session: StudySession, card: ShownCard) -> None:
        """Import the edited source file again and show the card's new text."""
        with reported(self, "Not re-imported"):
            self.post_message(CardReady(session.reimport(card, self.clock())))

    @work(thread=True, group="store", description="read the session again")
    def _reread(self, session: StudySession) -> None:
        """After the browser changed cards: the queue read again, and the card to show."""
        with reported(self, "Session not read again"):
            session.refresh(self.clock())
            self._post_next(session, session.next_card(self.clock()))

    @work(thread=True, group="warm-up", description="warm up")
    def _warm_up(self, session: StudySession) -> None:
        """Load the writing side while the user reads the first card, not before it shows."""
        session.warm_up()

    def _move_on(self, session: StudySession, done: Message) -> None:
        """After a committed write: say so, then post the next card. A failed read now must
        not offer the card again (it would be answered twice), so it has its own title."""
        self.post_message(done)
        with reported(self, NEXT_NOT_SHOWN):
            self._post_next(session, session.next_card(self.clock()))

    def _post_next(self, session: StudySession, shown: ShownCard | None) -> None:
        """Post the card to show, or the session's summary when none is left."""
        if shown is None:
            self.post_message(SessionFinished(session.summary(self.clock())))
        else:
            self.post_message(CardReady(shown))

    # Handlers: the only code that changes the screen.

    def _title(self, deck: str) -> str:
        """The deck (every deck for ""), and the custom study it is in."""
        deck = deck or "All decks"
        return deck if self.plan is None else f"{deck} · {plan_label(self.plan)}"

    def on_cards_changed_elsewhere(self, _: CardsChangedElsewhere) -> None:
        if (session := self._begin()) is not None:
            self._reread(session)

    def on_session_opened(self, message: SessionOpened) -> None:
        self.session = message.session

    def on_card_ready(self, message: CardReady) -> None:
        self.busy = False
        if not self.warmed and self.session is not None:
            self.warmed = True
            self.call_after_refresh(self._warm_up, self.session)
        self.card = message.card
        self.shown_at = self.clock()
        text = message.card.text
        new, learning, review = message.card.counts
        self.query_one("#status", Static).update(
            Content.from_markup(
                f"[b]$deck[/]   [$primary]{new} new[/] · [$error]{learning} learning[/]"
                f" · [$success]{review} review[/]",
                deck=self._title(printable(text.deck)),
            )
        )
        self.query_one(CardView).show(text)
        self.query_one(GradeBar).label(message.card)
        self.revealed = False

    def on_card_answered(self, message: CardAnswered) -> None:
        self.card = None
        if message.leech is not None:
            suspended = ", and suspended" if message.leech == LeechAction.SUSPEND else ""
            self.notify(
                f"This card keeps lapsing: tagged leech{suspended} (is:leech finds it)"
                " · u takes it back",
                title="Leech",
                timeout=6,
            )

    def on_card_dropped(self, message: CardDropped) -> None:
        self.card = None
        self.notify(f"{message.said} · u takes it back", timeout=3)

    def on_session_finished(self, message: SessionFinished) -> None:
        from studycards.tui.screens.done import DoneScreen

        self.busy = False
        self.card = None
        done_nothing = self.session is None or not self.session.can_undo
        if self.plan is not None and not message.summary.reviewed and done_nothing:
            self.notify(f"No cards to study: {plan_label(self.plan)}", timeout=5, markup=False)
            self.dismiss(None)
            return
        title = None if self.plan is None else f"Custom study done: {plan_label(self.plan)}."
        self.app.push_screen(DoneScreen(message.summary, title), self._after_done)

    def on_failed(self, message: Failed) -> None:
        """Ready for the next key; the card on screen (if any) is still the one to grade. The
        message bubbles on to the app, which shows it."""
        self.busy = False

    def _after_done(self, choice: str | None) -> None:
        if choice == "undo":
            self.busy = False
            self.action_undo()
        else:
            self.dismiss(None)

    # Keys: each starts at most one worker, and none while one runs.

    def _begin(self) -> StudySession | None:
        """The session, now busy, if no store call is running; else None: a key pressed
        meanwhile is dropped, so writes happen one at a time, in order."""
        if self.busy or self.session is None:
            return None
        self.busy = True
        return self.session

    def action_reveal(self) -> None:
        if self.card is not None and not self.busy:
            self.revealed = True

    def action_grade(self, quality: int) -> None:
        card, shown_at = self.card, self.shown_at
        if card is None or shown_at is None or not self.revealed:
            return
        if (session := self._begin()) is not None:
            self._answer(session, card, Grade(quality), shown_at)

    @on(GradeBar.Chosen)
    def _chosen(self, message: GradeBar.Chosen) -> None:
        self.action_grade(int(message.grade))

    def action_undo(self) -> None:
        if self.session is not None and not self.session.can_undo:
            self.notify("Nothing to undo in this session.")
            return
        if (session := self._begin()) is not None:
            self._undo(session)

    def action_suspend(self) -> None:
        if self.card is not None and (session := self._begin()) is not None:
            self._suspend(session, self.card)

    def action_bury(self) -> None:
        if self.card is not None and (session := self._begin()) is not None:
            self._bury(session, self.card)

    def action_edit(self) -> None:
        """Open the card's source in $EDITOR, then import it again and show the new text."""
        if self.card is None or self.busy:
            return
        card = self.card
        edit_file(self.app, card.text.source)
        if (session := self._begin()) is not None:
            self._reimport(session, card)

    def action_leave(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
