"""SQLModel tables of a collection. Rows stay inside `store/`; the rest sees `model` values.

A card's `queue` is where sessions look for it: its scheduling `state` (new 0, learning 1,
review 2), or -1 while suspended. A buried card keeps its queue and is hidden until the study
day `buried_until`; that column and `redrill_at` (a learning step may end on a later day) end
the queue index, so every count stays index-only.
Times are integer milliseconds since the Unix epoch (UTC); study days are proleptic Gregorian
ordinals (`date.toordinal()`), so "due today" is one integer comparison on an index.
The DDL that creates these tables is frozen in `migrations.py`; a test keeps the two in step.
"""

from __future__ import annotations

from sqlalchemy import Column, Computed, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel


class DeckRow(SQLModel, table=True):
    __tablename__ = "decks"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: str = "1m 10m"
    rollover_hour: int = 4
    sources: str = "[]"  # JSON list of a preset's source paths
    scheduler: str = "sm2"  # the rest came with FSRS (migration 6)
    desired_retention: float = 0.9
    maximum_interval: int = 36500
    parameters: str = "[]"  # JSON list of FSRS's weights; [] for the library's defaults
    relearning_steps: str = "10m"
    leech_threshold: int = 8  # migration 10
    leech_action: str = "suspend"


class SourceRow(SQLModel, table=True):
    """One imported question file and the digest of what it held, to skip it when unchanged."""

    __tablename__ = "sources"

    path: str = Field(primary_key=True)
    digest: str
    cards: int
    imported_at: int


class CardRow(SQLModel, table=True):
    __tablename__ = "cards"
    __table_args__ = (
        Index("ix_cards_deck_queue_due", "deck_id", "queue", "due", "buried_until", "redrill_at"),
        Index(
            "ix_cards_browse",
            "deck_id",
            "due",
            "queue",
            "state",
            "interval",
            "ease",
            "reps",
            "lapses",
            "buried_until",
            "redrill_at",
            "tags",
            "last_day",
            "stability",
            "difficulty",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    deck_id: int = Field(foreign_key="decks.id")
    front: str
    back: str
    context: str = ""
    subject: str = ""
    tags: str = ""  # space-separated, Anki style
    url: str = ""
    date: str = ""
    related: str = "[]"  # JSON list of [id, title]
    source: str = Field(index=True)
    content_hash: str
    created_at: int
    modified_at: int  # when the card's text last changed
    state: int = 0
    reps: int = 0
    ease: float = 2.5
    interval: int = 0
    due: int | None = None
    step: int = 0
    redrill_at: int | None = None
    last_day: int | None = None
    lapses: int = 0
    queue: int = 0
    buried_until: int | None = None
    title: str = ""  # an article's title (migration 2 appended it)
    stability: float | None = None  # FSRS's memory (migration 6); None before a first answer
    difficulty: float | None = None


class HtmlCacheRow(SQLModel, table=True):
    """A card's Markdown rendered to HTML for export, and the content hash it was made from."""

    __tablename__ = "html_cache"

    card_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    content_hash: str
    front: str
    back: str


class ReviewRow(SQLModel, table=True):
    """One answer. Append-only, except that undoing an answer deletes it."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_anki_id", "anki_id", unique=True),
        Index("ix_reviews_day_tally", "day", "tally", "duration_ms", "card_id"),
        Index("ix_reviews_card_day_tally", "card_id", "day", "tally", "duration_ms"),
    )

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False
        )  # indexed with the day and tally (migration 9)
    )
    reviewed_at: int
    day: int = Field(index=True)
    grade: int
    duration_ms: int
    before_state: int
    before_reps: int
    before_ease: float
    before_interval: int
    before_due: int | None = None
    before_step: int
    before_redrill_at: int | None = None
    before_last_day: int | None = None
    before_lapses: int
    after_state: int
    after_reps: int
    after_ease: float
    after_interval: int
    after_due: int | None = None
    after_step: int
    after_redrill_at: int | None = None
    after_last_day: int | None = None
    after_lapses: int
    before_stability: float | None = None  # migration 6
    before_difficulty: float | None = None
    after_stability: float | None = None
    after_difficulty: float | None = None
    anki_id: int | None = (
        None  # its id in Anki's review log: pulled from Anki, or synced (migration 7)
    )
    # What the stats count an answer as, computed by SQLite (migration 9): the card's kind
    # before it (0 new, 1 learning, 2 review, 3 relearning) * 8 + an interval of a day or
    # more * 4 + of 21 days or more * 2 + graded Again
    tally: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            Computed(
                "(CASE before_state WHEN 0 THEN 0 WHEN 2 THEN 2"
                " ELSE iif(before_lapses > 0, 3, 1) END) * 8"
                " + (before_interval >= 1) * 4 + (before_interval >= 21) * 2 + (grade = 1)",
                persisted=False,
            ),
        ),
    )


class CramAnswerRow(SQLModel, table=True):
    """One answer of a cram (migration 11): kept apart from `reviews`, so that no schedule,
    replay, evaluation, stat or sync ever reads it as a scheduling answer."""

    __tablename__ = "cram_answers"

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    reviewed_at: int
    day: int
    grade: int
    duration_ms: int


class ManualChangeRow(SQLModel, table=True):
    """A schedule set by hand (migration 12): a forget (`days` None) or a due date `days`
    study days after `day`. Append-only; replays of the card's log make it again."""

    __tablename__ = "manual_changes"
    __table_args__ = (Index("ix_manual_changes_card", "card_id", "made_at"),)

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("cards.id", ondelete="CASCADE"), nullable=False
        )  # indexed with the time
    )
    made_at: int
    day: int
    days: int | None = None
    reset_interval: bool


def map_tables() -> None:
    """Map the tables now (SQLAlchemy does it on first use): a review warms up with this while
    the user reads the first card, so that the first answer is as quick as the others."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
