"""Conversions at the store's edge: columns <-> `model` values, times <-> integers. Every read
shape is named here once (a `NamedTuple` whose fields are the columns it selects), so a new
column is added in the table, its migration and here."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from studycards.model import (
    CardDraft,
    CardListing,
    CardState,
    DeckSettings,
    LeechAction,
    Memory,
    Related,
    Schedule,
    Scheduler,
    Sm2,
)
from studycards.scheduler.day import format_steps, parse_steps

SUSPENDED = -1  # the `cards.queue` value beside the CardState ones
SQLITE_INTEGERS = range(-(2**63), 2**63)  # a row id outside them is no row (nor a bind value)


class ScheduledRow(NamedTuple):
    """A card's place in the queue: what a session loads for each card of the day."""

    id: int
    deck_id: int
    state: int
    reps: int
    ease: float
    interval: int
    due: int | None
    step: int
    redrill_at: int | None
    last_day: int | None
    lapses: int
    stability: float | None
    difficulty: float | None


SCHEDULE_COLUMNS = ScheduledRow._fields[2:]


class ListedCard(NamedTuple):
    """A card as a listing (`cards`, a search) reads it, its deck's study day beside it."""

    id: int
    deck: str
    front: str
    state: int
    due: int | None
    interval: int
    ease: float
    reps: int
    today: int  # ordinal
    queue: int
    buried_until: int | None
    lapses: int
    difficulty: float | None
    scheduler: str

    def listing(self) -> CardListing:
        fsrs = self.scheduler == Scheduler.FSRS
        return CardListing(
            self.id, self.deck, self.front, CardState(self.state), from_day(self.due),
            self.interval, self.ease, self.reps, date.fromordinal(self.today),
            self.queue == SUSPENDED, from_day(self.buried_until), self.lapses,
            self.difficulty if fsrs else None,
        )  # fmt: skip


class DeckColumns(NamedTuple):
    """A deck's settings as stored."""

    name: str
    new_per_day: int
    reviews_per_day: int
    learning_steps: str
    rollover_hour: int
    sources: str
    scheduler: str
    desired_retention: float
    maximum_interval: int
    parameters: str
    relearning_steps: str
    leech_threshold: int
    leech_action: str


DECK_COLUMNS = DeckColumns._fields


class CardText(NamedTuple):
    """A card's text as stored: what a review shows."""

    key: str
    front: str
    back: str
    context: str
    title: str
    subject: str
    tags: str
    url: str
    date: str
    related: str
    source: str


CARD_TEXT_COLUMNS = CardText._fields


class ExportRow(NamedTuple):
    """A card with what an export needs but its Markdown, and its cached HTML if any."""

    id: int
    key: str
    deck_id: int
    subject: str
    tags: str
    url: str
    related: str
    source: str
    content_hash: str
    modified_at: int
    html_hash: str | None
    html_front: str | None
    html_back: str | None


def to_ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def from_ms(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def to_day(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def from_day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def schedule_columns(schedule: Schedule, prefix: str = "") -> dict[str, Any]:
    """A schedule as column values, optionally prefixed (`before_`, `after_` in the review log)."""
    values = (
        int(schedule.state),
        schedule.sm2.reps,
        schedule.sm2.ease,
        schedule.sm2.interval,
        to_day(schedule.due),
        schedule.step,
        None if schedule.redrill_at is None else to_ms(schedule.redrill_at),
        to_day(schedule.last_day),
        schedule.lapses,
        schedule.memory.stability if schedule.memory else None,
        schedule.memory.difficulty if schedule.memory else None,
    )
    return {f"{prefix}{name}": value for name, value in zip(SCHEDULE_COLUMNS, values, strict=True)}


def schedule_from(values: Any, prefix: str = "") -> Schedule:
    """The schedule held in a row (or any object with those attributes)."""

    def get(name: str) -> Any:
        return getattr(values, f"{prefix}{name}")

    stability = get("stability")
    return Schedule(
        sm2=Sm2(reps=get("reps"), ease=get("ease"), interval=get("interval")),
        state=CardState(get("state")),
        due=from_day(get("due")),
        step=get("step"),
        redrill_at=from_ms(get("redrill_at")),
        last_day=from_day(get("last_day")),
        lapses=get("lapses"),
        memory=None if stability is None else Memory(stability, get("difficulty")),
    )


def draft_columns(draft: CardDraft) -> dict[str, Any]:
    """The text columns of a card: what an import writes and a re-import may update."""
    return {
        "front": draft.front,
        "back": draft.back,
        "context": draft.context,
        "title": draft.title,
        "subject": draft.subject,
        "tags": " ".join(draft.tags),
        "url": draft.url,
        "date": draft.date,
        "related": json.dumps([[r.id, r.title] for r in draft.related], ensure_ascii=False),
        "source": draft.source,
        "content_hash": draft.content_hash(),
    }


def draft_from(row: Any, deck: str) -> CardDraft:
    return CardDraft(
        key=row.key,
        deck=deck,
        front=row.front,
        back=row.back,
        source=row.source,
        subject=row.subject,
        context=row.context,
        title=row.title,
        tags=tuple(row.tags.split()),
        url=row.url,
        date=row.date,
        related=tuple(Related(id, title) for id, title in json.loads(row.related)),
    )


def settings_columns(settings: DeckSettings) -> dict[str, Any]:
    return {
        "name": settings.name,
        "new_per_day": settings.new_per_day,
        "reviews_per_day": settings.reviews_per_day,
        "learning_steps": format_steps(settings.learning_steps),
        "rollover_hour": settings.rollover_hour,
        "sources": json.dumps(settings.sources),
        "scheduler": settings.scheduler.value,
        "desired_retention": settings.desired_retention,
        "maximum_interval": settings.maximum_interval,
        "parameters": json.dumps(settings.parameters or []),
        "relearning_steps": format_steps(settings.relearning_steps),
        "leech_threshold": settings.leech_threshold,
        "leech_action": settings.leech_action.value,
    }


def settings_from(row: Any) -> DeckSettings:
    return DeckSettings(
        name=row.name,
        new_per_day=row.new_per_day,
        reviews_per_day=row.reviews_per_day,
        learning_steps=parse_steps(row.learning_steps),
        rollover_hour=row.rollover_hour,
        sources=tuple(json.loads(row.sources)),
        scheduler=Scheduler(row.scheduler),
        desired_retention=row.desired_retention,
        maximum_interval=row.maximum_interval,
        parameters=tuple(json.loads(row.parameters)),
        relearning_steps=parse_steps(row.relearning_steps),
        leech_threshold=row.leech_threshold,
        leech_action=LeechAction(row.leech_action),
    )
