"""Plain values that cross layers: cards, their schedule, grades and review log entries.

Nothing here does I/O or reads the clock; the store converts its rows to these at its edge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum
from typing import NamedTuple

Progress = Callable[[int, int], None]  # (done so far, in all): how a long job reports back
Clock = Callable[[], datetime]  # the UI's only way to the time: injected, so tests fix it


class Grade(IntEnum):
    """The four answer buttons, valued as the SM-2 quality q (0..5) each one stands for.

    Again -> 1 (wrong, but recognised once seen), Hard -> 3 (right with serious difficulty),
    Good -> 4 (right after hesitation), Easy -> 5 (perfect). SM-2 grades 0 and 2 have no button:
    they schedule exactly like 1 (a lapse), so a separate button would only add noise.
    """

    AGAIN = 1
    HARD = 3
    GOOD = 4
    EASY = 5


class CardState(IntEnum):
    """Where a card is in its life: never seen, being re-drilled today, or in review."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2


@dataclass(frozen=True, slots=True)
class Sm2:
    """SM-2's memory of one card: successful repetitions in a row, E-Factor, last interval."""

    reps: int = 0
    ease: float = 2.5
    interval: int = 0  # days


@dataclass(frozen=True, slots=True)
class Memory:
    """FSRS's memory of one card: stability (days until recall falls to 90%) and difficulty
    (1..10). Kept under both schedulers, so a deck switches to FSRS with its history known."""

    stability: float
    difficulty: float


LEECH = "leech"  # the tag of a card that lapses again and again


def with_tag(tags: str, tag: str) -> str:
    """Space-separated tags (as stored) with `tag` among them."""
    return tags if tag in tags.split() else f"{tags} {tag}".strip()


def without_tag(tags: str, tag: str) -> str:
    return " ".join(t for t in tags.split() if t != tag)


class LeechAction(StrEnum):
    """What happens to a leech (a card that lapses again and again): a preset's
    `leech_action`. Either way it is tagged `leech`."""

    SUSPEND = "suspend"
    TAG = "tag"


class Scheduler(StrEnum):
    """Which algorithm sets a deck's intervals (a preset's `scheduler` key)."""

    SM2 = "sm2"
    FSRS = "fsrs"


@dataclass(frozen=True, slots=True)
class Schedule:
    """Everything the scheduler knows about a card.

    `due` is the study day of the next review; `redrill_at` the moment a card failed today may
    show again (same-day rule); `last_day` the study day of the last answer, which tells a
    same-day re-drill from the first answer of a new day.
    """

    sm2: Sm2 = field(default_factory=Sm2)
    state: CardState = CardState.NEW
    due: date | None = None
    step: int = 0
    redrill_at: datetime | None = None
    last_day: date | None = None
    lapses: int = 0
    memory: Memory | None = None  # None until the first answer


def _reduce(value: object) -> tuple[type, tuple[object, ...]]:
    """Pickle as a plain constructor call: drafts cross from parsing workers by the thousand,
    and the default route for frozen slotted dataclasses costs twice the time."""
    return type(value), tuple(getattr(value, name) for name in value.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Related:
    """Another record a question file points to; shown beside the card as further reading."""

    id: str
    title: str

    __reduce__ = _reduce


@dataclass(frozen=True, slots=True)
class CardDraft:
    """A card as the converter makes it from a source file: text and identity, no schedule."""

    key: str  # stable identity: survives edits of the text and moves of the file
    deck: str
    front: str  # Markdown
    back: str  # Markdown
    source: str  # absolute path of the question file
    subject: str = ""
    context: str = ""  # an article's lead (Markdown), shown quietly with its section cards
    title: str = ""  # an article's title, shown quietly above its sections' questions
    tags: tuple[str, ...] = ()
    url: str = ""
    date: str = ""  # the record's own date (ISO), as its source gives it
    related: tuple[Related, ...] = ()

    __reduce__ = _reduce

    def content_hash(self) -> str:
        """Fingerprint of everything stored about the card's text, to tell updated from same."""
        parts = [self.deck, self.front, self.back, self.subject, self.context, self.url, self.date]
        parts += [" ".join(self.tags), *(f"{r.id}\x1e{r.title}" for r in self.related)]
        if self.title:  # only then: the cards of Q&A records keep the hash they had before titles
            parts.append(f"title\x1e{self.title}")
        return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def tag_name(text: str) -> str:
    """`text` as a tag, spelt as Anki spells tags: one word, blanks as `_` (`a b` is `a_b`)."""
    return "_".join(text.split())


def deck_ancestors(name: str) -> list[str]:
    """A `Parent::Child` deck and the decks above it, top first: `A`, `A::B`, `A::B::C`."""
    parts = name.split("::")
    return ["::".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def quiet_title(title: str, front: str) -> str:
    """An article's title as context above a section's question, or '' where it adds nothing:
    a heading that is not a question already reads "Title — Heading"."""
    return "" if front.startswith(title) else title


@dataclass(frozen=True, slots=True)
class ReviewLog:
    """One answer, with the schedule before and after so that undo can restore it exactly."""

    id: int
    card_id: int
    reviewed_at: datetime
    grade: Grade
    before: Schedule
    after: Schedule
    duration_ms: int
    leech: bool = False  # this answer's lapse made the card a leech (tagged, maybe suspended)


DEFAULT_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
DEFAULT_RELEARNING_STEPS = (timedelta(minutes=10),)


@dataclass(frozen=True, slots=True)
class DeckSettings:
    """A deck's daily limits and timing, as a preset or the defaults give them."""

    name: str
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: tuple[timedelta, ...] = DEFAULT_STEPS
    rollover_hour: int = 4
    scheduler: Scheduler = Scheduler.SM2
    desired_retention: float = 0.9  # FSRS: the chance of recall each review is timed for
    maximum_interval: int = 36500  # days, under either scheduler
    # FSRS's weights; () for the library's. None: a preset that names none, so its deck keeps
    # what it has (the defaults, or what `optimize` fitted)
    parameters: tuple[float, ...] | None = ()
    relearning_steps: tuple[timedelta, ...] = DEFAULT_RELEARNING_STEPS  # FSRS, after a lapse
    leech_threshold: int = 8  # lapses that make a card a leech (then every half as many more)
    leech_action: LeechAction = LeechAction.SUSPEND
    # A preset's sources (real paths), kept with its deck: an import from any folder, where
    # `./decks` is not at hand, still leaves the preset's files in its deck.
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A question file read and converted: its path, the digest that says "unchanged", its cards."""

    path: str
    digest: str
    cards: tuple[CardDraft, ...]

    __reduce__ = _reduce


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """One row of the deck overview; a parent's counts include its children's."""

    name: str
    depth: int
    cards: int
    new: int  # new cards that may still be introduced today
    learning: int  # cards being re-drilled (SM-2 same-day rule)
    due: int  # reviews due today, within the daily review limit
    scheduler: Scheduler = Scheduler.SM2  # the deck's own (a parent's is not its children's)

    @property
    def label(self) -> str:
        """The deck's own name, indented under its parent: how a deck tree reads."""
        return "  " * self.depth + self.name.rsplit("::", 1)[-1]


@dataclass(frozen=True, slots=True)
class CardListing:
    """A card as the `cards` listing shows it."""

    id: int
    deck: str
    front: str
    state: CardState
    due: date | None
    interval: int
    ease: float
    reps: int
    today: date  # the study day its deck is in now (decks roll over at their own hour)
    suspended: bool = False
    buried_until: date | None = None
    lapses: int = 0
    difficulty: float | None = None  # FSRS's, for a card of an FSRS deck (else ease counts)

    @property
    def buried(self) -> bool:
        return self.buried_until is not None and self.buried_until > self.today


@dataclass(frozen=True, slots=True)
class Outlook:
    """What the days ahead hold for a set of decks."""

    due_tomorrow: int
    new_tomorrow: int
    next_due: date | None


@dataclass(frozen=True, slots=True)
class StaleCard:
    """A stored card whose source no longer holds it."""

    id: int
    front: str
    source: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One kind of problem `studycards check` found: what, in how many rows, what a repair
    does about it (None: nothing safe), and whether it did."""

    problem: str
    count: int
    repair: str | None
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class Score:
    """How well one model predicted recall (srs-benchmark's metrics; lower log loss and
    RMSE(bins), higher AUC are better). AUC is None when every review had one outcome."""

    log_loss: float
    rmse_bins: float
    auc: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """`studycards evaluate`'s answer: scores by model (None: the model could not run; `notes`
    say why), over `scored` reviews; `skipped` rows of a review log had no usable rating."""

    scored: int
    scores: dict[str, Score | None]
    skipped: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Optimization:
    """`studycards optimize`'s answer: FSRS's scores on `reviews` scored reviews with the
    weights before and with the fitted ones (None: none fitted), the weights the deck has now,
    and why it kept its old ones (None: it took the fitted ones)."""

    reviews: int
    before: Score | None
    after: Score | None
    parameters: tuple[float, ...]
    kept: str | None = None


class SyncedCard(NamedTuple):
    """A card as a sync writes it into Anki: its note's identity, its schedule, whether it is
    suspended and how many answers its log holds (Anki's `reps`)."""

    key: str
    deck_id: int
    schedule: Schedule
    suspended: bool
    answers: int


class SyncedAnswer(NamedTuple):
    """An answer of the log with what Anki's review log says of it."""

    anki_id: int
    key: str
    reviewed_at: int  # ms
    grade: int
    duration_ms: int
    before_state: int
    before_interval: int
    before_lapses: int
    after_state: int
    after_interval: int
    after_ease: float
    after_redrill_at: int | None  # ms


MATURE_DAYS = 21  # Anki's line between young and mature cards (an interval of 21 days or more)


@dataclass(frozen=True, slots=True)
class DayOfReviews:
    """One study day's answers, by what the card was before: new, learning (its first steps),
    review, relearning (steps after a lapse)."""

    day: date
    new: int = 0
    learning: int = 0
    review: int = 0
    relearn: int = 0
    again: int = 0  # answers graded Again
    time_ms: int = 0

    @property
    def answers(self) -> int:
        return self.new + self.learning + self.review + self.relearn


@dataclass(frozen=True, slots=True)
class Retention:
    """True retention over a period, as Anki's table: the share of review answers (to cards
    with an interval of a day or more) that were not Again, young and mature apart."""

    period: str
    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0


@dataclass(frozen=True, slots=True)
class CardStates:
    """How many cards are in each state (suspended and buried ones counted apart)."""

    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    buried: int = 0


@dataclass(frozen=True, slots=True)
class Stats:
    """Progress in a deck (and its children) or the whole collection, as of `today`."""

    today: date
    cards_today: int  # distinct cards answered today
    days: tuple[DayOfReviews, ...]  # the last 365 study days, oldest first, today last
    retention: tuple[Retention, ...]  # today, yesterday, last 7, 30, 365 days
    forecast: tuple[int, ...]  # reviews due on each of the next 30 days (overdue: today)
    streak: int  # days in a row with answers, up to today (or yesterday)
    longest_streak: int
    states: CardStates
    intervals: tuple[tuple[str, int], ...]  # (range of days, cards in review)
    ease: tuple[tuple[str, int], ...]  # SM-2 decks' review cards by ease
    difficulty: tuple[tuple[str, int], ...]  # FSRS decks' answered cards by difficulty
    stability: tuple[tuple[str, int], ...]
    retrievability: tuple[tuple[str, int], ...]  # their chance of recall today


@dataclass(frozen=True, slots=True)
class ManualChange:
    """A schedule set by hand (the browser's forget or set due date), as the log keeps it: at
    `at`, on the card's study day `day`; `days` None is a forget (the card new again), else a
    due date that many days after `day` (`reset_interval`: the interval set to them too).
    Replays make it again where it was made (`scheduler/manual.py`)."""

    at: datetime
    day: date
    days: int | None = None
    reset_interval: bool = False


@dataclass(frozen=True, slots=True)
class PastAnswer:
    """One answer of a card's history, as the browser lists it."""

    at: datetime
    grade: Grade
    interval: int  # days, after the answer
    duration_ms: int
    crammed: bool = False  # a cram's answer: it moved no schedule


@dataclass(frozen=True, slots=True)
class CardDetails:
    """A card as the browser's detail pane shows it: its text, its schedule (by its deck's
    scheduler), its answers and the changes made to it by hand, each oldest first."""

    card: CardDraft
    schedule: Schedule
    scheduler: Scheduler
    answers: tuple[PastAnswer, ...]
    changes: tuple[ManualChange, ...] = ()


# Custom study: sessions beyond today's due queue (Anki's "Custom study"). Those that
# reschedule answer cards as a normal session does (early, for cards not yet due); a cram
# logs its answers apart and changes no schedule.


@dataclass(frozen=True, slots=True)
class ExtraNew:
    """Today's queue with `count` new cards more than the decks' daily limits leave."""

    count: int


@dataclass(frozen=True, slots=True)
class ReviewAhead:
    """Review cards due within the next `days` study days (and those due already)."""

    days: int


@dataclass(frozen=True, slots=True)
class Forgotten:
    """A cram of the cards answered Again in the last `days` study days, today included."""

    days: int


@dataclass(frozen=True, slots=True)
class Cram:
    """A cram of the cards matching a search query."""

    query: str


@dataclass(frozen=True, slots=True)
class Chosen:
    """Cards picked by id (the browser's selection), studied now and rescheduled."""

    card_ids: tuple[int, ...]


CustomStudy = ExtraNew | ReviewAhead | Forgotten | Cram | Chosen
MOST_CUSTOM_DAYS = 36500  # the largest count or days a custom study takes: beyond, a typing slip


def reschedules(plan: CustomStudy | None) -> bool:
    """Whether a session's answers move schedules (a cram's do not: they are only logged)."""
    return not isinstance(plan, Forgotten | Cram)
