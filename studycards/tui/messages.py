"""Messages that workers post back to the screen; only their handlers touch widgets."""

from __future__ import annotations

from textual.message import Message

from studycards.collection.reviewing import SessionSummary, ShownCard


class CardReady(Message):
    """A card is ready to show (the answer before it, if any, is committed)."""

    def __init__(self, card: ShownCard) -> None:
        super().__init__()
        self.card = card


class SessionFinished(Message):
    """No card is left for today."""

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary


class StoreFailed(Message):
    """A read or write could not be done; the session stays where it was."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
