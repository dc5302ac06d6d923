"""studycards' private Anki collection, the one that syncs. Anki's own engine (the optional
`anki` package, AGPL, loaded only here and only when a sync runs) keeps it and speaks the sync
protocol with the server (AnkiWeb or a self-hosted one); studycards writes its notes, answers
and schedules into it and reads the other devices' answers back out of it.

What is written is derived from the studycards collection every time and compared with what
the mirror holds, so a write cut short (killed, a full download since) is simply redone by the
next sync: nothing here has to remember what it sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from studycards.errors import SyncError, SyncMissingError
from studycards.model import CardState, Grade, Schedule, SyncedAnswer
from studycards.scheduler.fsrs import RATINGS

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.dbproxy import DBProxy
    from anki.sync import SyncAuth

_ANKIWEB = "AnkiWeb"
_NEW, _LEARN, _REVIEW, _RELEARN = 0, 1, 2, 3  # Anki's card types
_SUSPENDED, _DAY_LEARN = -1, 3  # Anki's queues beside the types' own
_REVLOG_LEARN, _REVLOG_REVIEW, _REVLOG_RELEARN = 0, 1, 2
_MAX_MS = 2**31 - 1  # Anki's revlog `time` is a 32-bit integer


@dataclass(frozen=True, slots=True)
class SyncKey:
    """What a login leaves: the server's key for the account (never the password) and the
    server's address ("" for AnkiWeb)."""

    key: str
    endpoint: str

    @property
    def account(self) -> str:
        """A name for the account the key opens, fit for a folder, that does not give the
        key away (a hash of it and the server)."""
        return hashlib.sha256(f"{self.endpoint}\0{self.key}".encode()).hexdigest()[:16]

    @property
    def server(self) -> str:
        """The server as a message names it: scheme, host and path, never user info."""
        if not self.endpoint:
            return _ANKIWEB
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


@dataclass(frozen=True, slots=True)
class FullSync:
    """A sync that replaces one side's whole collection with the other's."""

    upload: bool  # studycards' copy replaces the server's (else the server's replaces it)
    first: bool  # the first sync of this collection with the server


class AnkiCard(NamedTuple):
    """A card row of Anki's `cards` table, as far as a schedule goes."""

    type: int
    queue: int
    due: int
    interval: int
    factor: int
    reps: int
    lapses: int
    left: int


def require_engine() -> None:
    """Fail early, with the way to install it, when Anki's engine is missing."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise SyncMissingError() from None


def endpoint_url(endpoint: str | None) -> str:
    """A server address as Anki's client takes it (ending in `/`); "" for AnkiWeb."""
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"{endpoint!r} is not a server address: give one like http://host:8080/")
    return endpoint if endpoint.endswith("/") else f"{endpoint}/"


def log_in(endpoint: str, user: str, password: str, scratch: Path) -> SyncKey:
    """Ask the server for a key to the account; `scratch` is an empty folder for the engine's
    throwaway collection (Anki logs in through one)."""
    require_engine()
    from anki.collection import Collection

    col = Collection(str(scratch / "login.anki2"))
    try:
        with _sync_errors(SyncKey("", endpoint), login=True):
            auth = col.sync_login(user, password, endpoint or None)
    finally:
        col.close()
    return SyncKey(auth.hkey, endpoint)


class Mirror:
    """The mirror collection, open: read what it holds, write into it, sync it."""

    def __init__(self, col: Collection) -> None:
        self._col = col

    @property
    def _db(self) -> DBProxy:
        assert self._col.db is not None  # open but while a full sync replaces the file
        return self._col.db

    def sync(
        self,
        key: SyncKey,
        upload_wins: bool,
        confirm: Callable[[FullSync], bool],
        timeout_s: int = 30,
    ) -> tuple[FullSync | None, str]:
        """One sync with the server. A full sync, when the server asks for one, goes the way
        it must (an empty side receives) or else the way `upload_wins` says, once `confirm`
        agrees. Returns the full sync done, if any, and the server's new address, if it gave
        one (AnkiWeb moves accounts between its hosts). `timeout_s`: how long a silent server is
        waited for."""
        from anki.sync_pb2 import SyncCollectionResponse as Response

        auth = self._auth(key, timeout_s)
        with _sync_errors(key):
            out = self._col.sync_collection(auth, sync_media=False)
        if out.new_endpoint:
            auth = self._auth(SyncKey(key.key, out.new_endpoint), timeout_s)
        if out.required in (Response.NO_CHANGES, Response.NORMAL_SYNC):
            return None, out.new_endpoint
        upload = out.required == Response.FULL_UPLOAD or (
            out.required == Response.FULL_SYNC and upload_wins
        )
        full = FullSync(upload, first=not self._db.scalar("SELECT ls FROM col"))
        if not confirm(full):
            raise SyncError("the full sync was not agreed to: nothing was synced")
        self._col.close_for_full_sync()
        try:
            with _sync_errors(key):
                self._col.full_upload_or_download(
                    auth=auth, server_usn=out.server_media_usn, upload=upload
                )
        finally:
            self._col.reopen(after_full_sync=True)
        return full, out.new_endpoint

    @staticmethod
    def _auth(key: SyncKey, timeout_s: int) -> SyncAuth:
        from anki.sync import SyncAuth

        return SyncAuth(hkey=key.key, endpoint=key.endpoint or None, io_timeout_secs=timeout_s)

    def import_notes(self, package: Path) -> None:
        """Add the package's notes, and update those whose text changed since (a note edited
        in Anki since keeps its edit until the text changes in studycards, as an import of an
        export does). Scheduling is never taken from a package. The note type is merged into
        the mirror's (a field added to it on a phone stays, and the notes still update)."""
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
        from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as When

        options = ImportAnkiPackageOptions(
            merge_notetypes=True,
            update_notes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
            update_notetypes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_NEVER,
            with_scheduling=False,
            with_deck_configs=False,
        )
        self._col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        )

    def note_guids(self) -> set[str]:
        """The GUIDs of the mirror's notes (studycards' are known by their GUIDs alone: the
        note type may have been changed on a phone)."""
        return set(self._db.list("SELECT guid FROM notes"))

    def cards(self, guids: set[str]) -> dict[str, tuple[int, AnkiCard]]:
        """The card of each note of these GUIDs that the mirror has: its id and schedule."""
        rows = self._db.all(
            "SELECT n.guid, c.id, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses,"
            " c.left FROM cards c JOIN notes n ON n.id = c.nid WHERE c.ord = 0"
        )
        return {guid: (card_id, AnkiCard(*rest)) for guid, card_id, *rest in rows if guid in guids}

    def move_home(self, decks: dict[str, str]) -> None:
        """Put each card of these notes (deck name by GUID) in that deck, unless it is there
        or in a filtered deck for now: a deck changed in studycards reaches the phone (Anki's
        import leaves a note's cards where they are)."""
        names = {deck_id: name for name, deck_id in (
            (entry.name, entry.id) for entry in self._col.decks.all_names_and_ids()
        )}  # fmt: skip
        moves: dict[str, list[int]] = {}
        for guid, card_id, deck_id in self._db.all(
            "SELECT n.guid, c.id, c.did FROM cards c JOIN notes n ON n.id = c.nid WHERE c.odid = 0"
        ):
            wanted = decks.get(guid)
            if wanted is not None and names.get(deck_id) != wanted:
                moves.setdefault(wanted, []).append(card_id)
        from anki.cards import CardId

        for name, card_ids in moves.items():
            deck_id = self._col.decks.id(name)  # created if missing
            assert deck_id is not None
            self._col.set_deck([CardId(card_id) for card_id in card_ids], deck_id)

    def suspended(self) -> set[str]:
        """The GUIDs of the notes whose (first) card is suspended."""
        return set(self._db.list(
            "SELECT n.guid FROM cards c JOIN notes n ON n.id = c.nid WHERE c.ord = 0"
            f" AND c.queue = {_SUSPENDED}"
        ))  # fmt: skip

    def review_ids(self) -> set[int]:
        return set(self._db.list("SELECT id FROM revlog"))

    @property
    def day_zero(self) -> date:
        """The day Anki counts its days from (a review's due day is a number of days since):
        the local day the collection was created (its `crt` is that day's rollover)."""
        return date.fromtimestamp(self._col.crt)

    def write(
        self,
        cards: Sequence[tuple[int, AnkiCard]],
        reviews: Sequence[tuple[int, ...]],
        now: datetime,
    ) -> None:
        """Give cards their schedules and add answers to the review log, all or none, marked
        for the next sync to send."""
        seconds = int(now.timestamp())

        def write() -> None:
            self._db.executemany(
                "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
                " lapses = ?, left = ?, mod = ?, usn = -1 WHERE id = ?",
                [(*card, seconds, card_id) for card_id, card in cards],
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO revlog (id, cid, ease, ivl, lastIvl, factor, time, type,"
                " usn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, -1)",
                reviews,
            )

        self._db.transact(write)


@contextmanager
def open_mirror(path: Path) -> Iterator[Mirror]:
    """The mirror collection at `path` (created, with its folder, on the first sync), closed on
    leaving: studycards reads its review log from the closed file."""
    require_engine()
    from anki.collection import Collection
    from anki.errors import DBError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        col = Collection(str(path))
    except DBError as err:
        if "already open" in str(err):
            raise SyncError("another sync of this collection is running; try again") from None
        raise SyncError(
            f"studycards' Anki mirror {path} cannot be opened ({_first_line(err)}); delete its"
            " folder and sync again: it is rebuilt from the collection and the server"
        ) from None
    except OSError as err:
        raise SyncError(f"cannot create {path.parent}: {err.strerror or err}") from None
    try:
        yield Mirror(col)
    finally:
        if col.db is not None:
            col.close()


@contextmanager
def _sync_errors(key: SyncKey, login: bool = False) -> Iterator[None]:
    """Anki's sync errors as one line for the user. The engine's own text may quote a request
    (an address, never a key), so only its first line is kept."""
    from anki.errors import Interrupted, InvalidInput, NetworkError, SyncErrorKind
    from anki.errors import SyncError as AnkiSyncError

    try:
        yield
    except InvalidInput as err:
        raise SyncError(f"the sync with {key.server} failed: {_first_line(err)}") from None
    except NetworkError as err:
        reason = _first_line(err)
        raise SyncError(f"cannot reach the sync server {key.server}: {reason}") from None
    except AnkiSyncError as err:
        if err.kind == SyncErrorKind.AUTH:
            raise SyncError(
                f"{key.server} refused the user name or password"
                if login
                else f"{key.server} refused the saved login: run `studycards anki login` again"
            ) from None
        raise SyncError(f"the sync with {key.server} failed: {_first_line(err)}") from None
    except Interrupted:
        raise SyncError(f"the sync with {key.server} was interrupted") from None


def _first_line(err: Exception) -> str:
    """The engine's first sentence: the rest is advice for Anki's own window."""
    line = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return line.split(". ", 1)[0].rstrip(".")


def anki_card(
    card: Schedule, suspended: bool, answers: int, today: date, day_zero: date
) -> AnkiCard | None:
    """A studycards schedule as Anki's card row says it: a due day as the number of days
    since `day_zero` (a learning card without one is due `today`); None for a card never
    answered, which keeps Anki's own (its position). A card new again after answers (forgotten
    in the browser) is sent new, as Anki's own forget leaves a card."""
    if card.state == CardState.NEW and not suspended and answers == 0:
        return None
    due = ((card.due or today) - day_zero).days
    kind, queue, left = _REVIEW, _REVIEW, 0
    if card.state == CardState.NEW:
        kind, queue = _NEW, _NEW
    elif card.state == CardState.LEARNING:
        kind = _RELEARN if card.lapses and card.sm2.interval else _LEARN
        queue, left = _LEARN, 1
        if card.redrill_at is not None:
            due = int(card.redrill_at.timestamp())  # Anki's learning queue: epoch seconds
        else:
            queue = _DAY_LEARN  # a step that ends on a later day
    ease = round(card.sm2.ease * 1000)
    return AnkiCard(
        kind, _SUSPENDED if suspended else queue, due, card.sm2.interval, ease, answers,
        card.lapses, left,
    )  # fmt: skip


def same_schedule(ours: AnkiCard, theirs: AnkiCard) -> bool:
    """Whether Anki's card already says what studycards' schedule does (a new card's position
    is Anki's to keep)."""
    if ours.type == _NEW:
        return (theirs.type, theirs.queue) == (ours.type, ours.queue)
    return ours == theirs


def anki_review(answer: SyncedAnswer, card_id: int) -> tuple[int, ...]:
    """An answer as a row of Anki's review log: id, card, ease, interval (days, or seconds
    when negative), last interval, factor, time (ms), kind (learn, review, relearn)."""
    if answer.before_state == CardState.REVIEW:
        kind = _REVLOG_REVIEW
    elif answer.before_state == CardState.LEARNING and answer.before_lapses:
        kind = _REVLOG_RELEARN
    else:
        kind = _REVLOG_LEARN
    if answer.after_state == CardState.REVIEW or answer.after_redrill_at is None:
        interval = answer.after_interval
    else:
        interval = -max(1, round((answer.after_redrill_at - answer.reviewed_at) / 1000))
    last = answer.before_interval if answer.before_state == CardState.REVIEW else 0
    return (
        answer.anki_id, card_id, RATINGS[Grade(answer.grade)], interval, last,
        round(answer.after_ease * 1000), min(max(0, answer.duration_ms), _MAX_MS), kind,
    )  # fmt: skip
