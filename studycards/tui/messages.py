"""Messages that workers post back to their screen, each carrying what the worker got; only
their handlers touch widgets. They stay with their screen, but for `Failed`, which bubbles on
to the app, which shows it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from textual.message import Message
from textual.message_pump import MessagePump

from studycards.collection.reviewing import SessionSummary, ShownCard, StudySession
from studycards.errors import StudycardsError
from studycards.model import CardDetails, CardListing, DeckCounts, LeechAction, Stats

if TYPE_CHECKING:  # the exporter (and genanki) load on the first export, not at start
    from studycards.collection.exporting import ExportSummary
    from studycards.collection.syncing import SyncSummary


class DecksLoaded(Message, bubble=False):
    """The deck list's decks with today's counts, in tree order, and today's studying."""

    def __init__(self, decks: list[DeckCounts], today: str) -> None:
        super().__init__()
        self.decks, self.today = decks, today


class DeckExported(Message, bubble=False):
    """An Anki package is written."""

    def __init__(self, summary: ExportSummary) -> None:
        super().__init__()
        self.summary = summary


class CardsFound(Message, bubble=False):
    """A search's first page of cards, or what is wrong with the query."""

    def __init__(self, cards: list[CardListing], problem: str) -> None:
        super().__init__()
        self.cards, self.problem = cards, problem


class DetailsRead(Message, bubble=False):
    """The browser's highlighted card, read."""

    def __init__(self, card_id: int, details: CardDetails) -> None:
        super().__init__()
        self.card_id, self.details = card_id, details


class CardsChanged(Message, bubble=False):
    """The browser's action on cards is committed; `said` tells the user what it did."""

    def __init__(self, said: str) -> None:
        super().__init__()
        self.said = said


class CardsChangedElsewhere(Message, bubble=False):
    """Cards were changed on a screen above this one (the browser): what this one shows of
    them, its counts or its session's queue, is to be read again."""


class StatsLoaded(Message, bubble=False):
    """The stats screen's figures are read."""

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats


class Synced(Message, bubble=False):
    """A sync with the Anki sync server is done."""

    def __init__(self, summary: SyncSummary) -> None:
        super().__init__()
        self.summary = summary


class SessionOpened(Message, bubble=False):
    """The session is open; the screen owns it (and closes it) from here on."""

    def __init__(self, session: StudySession) -> None:
        super().__init__()
        self.session = session


class CardReady(Message, bubble=False):
    """A card is ready to show (the answer before it, if any, is committed)."""

    def __init__(self, card: ShownCard) -> None:
        super().__init__()
        self.card = card


class CardAnswered(Message, bubble=False):
    """The card's answer is committed: it is no longer the card to grade. `leech`: the answer
    made it a leech."""

    def __init__(self, card: ShownCard, leech: LeechAction | None = None) -> None:
        super().__init__()
        self.card, self.leech = card, leech


class CardDropped(Message, bubble=False):
    """The card is suspended or buried (committed); `said` tells the user which."""

    def __init__(self, card: ShownCard, said: str) -> None:
        super().__init__()
        self.card, self.said = card, said


class SessionFinished(Message, bubble=False):
    """No card is left for today."""

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary


class Failed(Message):
    """A library call raised a `StudycardsError`: nothing was changed. The screen goes back to
    where it was; the app shows `title` and the error."""

    def __init__(self, title: str, error: StudycardsError) -> None:
        super().__init__()
        self.title, self.error = title, error


@contextmanager
def reported(node: MessagePump, title: str) -> Iterator[None]:
    """Post a `StudycardsError` raised inside to `node` as `Failed`: a store that is busy,
    full or read-only is the user's news, not the end of the app."""
    try:
        yield
    except StudycardsError as err:
        node.post_message(Failed(title, err))
