"""`studycards anki login / logout / sync`: two-way sync with an Anki sync server (AnkiWeb or
a self-hosted one) through a private mirror collection that Anki's engine keeps.

A sync: (1) the mirror syncs, bringing what other devices sent; (2) their answers join
studycards' logs and the cards they answered are replayed (`anki pull` on the mirror), so when
both sides answered a card, the union of both logs decides, not the last writer, and a card
they suspended or unsuspended is so in studycards too; (3)
studycards' notes, its answers the mirror lacks and every schedule that differs are written
into the mirror; (4) the mirror syncs again, sending them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib.util import find_spec
from pathlib import Path

from studycards.collection.anki import PullSummary, pull_from_anki
from studycards.collection.exporting import export_anki
from studycards.errors import StudycardsError, SyncError
from studycards.export.identity import note_guid
from studycards.export.mirror import (
    AnkiCard,
    FullSync,
    Mirror,
    SyncKey,
    anki_card,
    anki_review,
    endpoint_url,
    log_in,
    open_mirror,
    require_engine,
    same_schedule,
)
from studycards.scheduler.day import study_day
from studycards.store.cards import card_keys, notes_fingerprint, set_suspended, synced_cards
from studycards.store.db import opened
from studycards.store.decks import deck_settings_by_id
from studycards.store.reviews import answers_for_anki
from studycards.text import plural

__all__ = [
    "FullSync",
    "SyncPlaces",
    "SyncSummary",
    "engine_installed",
    "full_sync_question",
    "log_in_to",
    "log_out",
    "sync_with_anki",
]

_MIRROR = "collection.anki2"
_NOTES_SENT = "notes-sent"  # beside the mirror: the fingerprint of the notes last written


@dataclass(frozen=True, slots=True)
class SyncPlaces:
    """Where a collection's sync keeps its things: the saved login (shared by every
    collection of the user) and the collection's own mirrors, one per account (a login to
    another account never syncs the first one's mirror into it)."""

    credentials: Path
    mirror_folder: Path


@dataclass(slots=True)
class SyncSummary:
    server: str
    pulled: PullSummary | None = None
    notes_written: bool = False  # the notes were (re)written into the mirror
    answers_sent: int = 0
    schedules_sent: int = 0
    full_syncs: list[FullSync] = field(default_factory=list)

    def line(self) -> str:
        """What the sync did, in one line."""
        added, rescheduled = (self.pulled.added, self.pulled.rescheduled) if self.pulled else (0, 0)
        full = "".join(f"; full {'upload' if f.upload else 'download'}" for f in self.full_syncs)
        return (
            f"synced with {self.server}: {plural(added, 'answer')} from other devices"
            f" ({plural(rescheduled, 'card')} rescheduled), {plural(self.answers_sent, 'answer')}"
            f" and {plural(self.schedules_sent, 'schedule')} sent"
            + (", notes written" if self.notes_written else "")
            + full
        )


def engine_installed() -> bool:
    """Whether Anki's engine (the `anki` extra) is there to sync with, without loading it."""
    return find_spec("anki") is not None


def full_sync_question(full: FullSync) -> str:
    """What a full sync replaces, said before it is agreed to."""
    first = "First sync with this server: " if full.first else "The server asks for a full sync: "
    if full.upload:
        return first + (
            "studycards' Anki collection replaces the server's, and every device's at its next"
            " sync (answers they have not synced yet are lost)."
        )
    return first + (
        "the server's collection replaces studycards' private copy of it; studycards keeps"
        " every card and answer and sends them again."
    )


def log_in_to(endpoint: str | None, user: str, password: str, credentials: Path) -> str:
    """Log in and keep only the server's key (and address), readable by the user alone.
    Returns the server as messages name it."""
    url = endpoint_url(endpoint)
    with tempfile.TemporaryDirectory(prefix="studycards-login-") as scratch:
        key = log_in(url, user, password, Path(scratch))
    _save_key(key, credentials)
    return key.server


def log_out(credentials: Path) -> bool:
    """Forget the saved key; whether there was one."""
    try:
        credentials.unlink()
    except FileNotFoundError:
        return False
    except OSError as err:
        raise SyncError(f"cannot delete {credentials}: {err.strerror or err}") from None
    return True


def sync_with_anki(
    db_path: Path,
    places: SyncPlaces,
    now: datetime,
    confirm: Callable[[FullSync], bool],
    progress: Callable[[str], None] = lambda step: None,
    timeout_s: int = 30,
) -> SyncSummary:
    """Sync the collection at `db_path` with the server the saved key is for, through the
    collection's mirror. `confirm` is asked before any full sync; a server silent for
    `timeout_s` is given up on."""
    require_engine()
    with opened(db_path):  # no collection yet (or another program's file): nothing to sync
        pass
    key = _saved_key(places.credentials)
    folder = places.mirror_folder / key.account
    sync = _Sync(key, places.credentials, folder, confirm, timeout_s)
    with _one_at_a_time(folder):
        _sync(db_path, sync, folder, now, progress)
    return sync.summary


def _sync(
    db_path: Path, sync: _Sync, folder: Path, now: datetime, progress: Callable[[str], None]
) -> None:
    mirror_path = folder / _MIRROR
    with open_mirror(mirror_path) as mirror:
        progress(f"Fetching changes from {sync.summary.server}")
        suspended_before = mirror.suspended()
        sync.run(mirror, upload_wins=False)
        suspended_after = mirror.suspended()
    progress("Bringing in answers made on other devices")
    sync.summary.pulled = pull_from_anki(db_path, mirror_path)
    with opened(db_path) as conn:  # (un)suspended on another device since the last sync
        keys = {note_guid(key): key for _, key, _ in card_keys(conn)}
        changed = suspended_before ^ suspended_after
        set_suspended(
            conn, {keys[guid]: guid in suspended_after for guid in changed if guid in keys}
        )
    with open_mirror(mirror_path) as mirror:
        for _ in range(2):  # a full download takes away what was written: write it again
            progress("Writing studycards' cards and answers")
            _write(db_path, mirror, folder / _NOTES_SENT, now, sync.summary)
            progress(f"Sending to {sync.summary.server}")
            if sync.run(mirror, upload_wins=True) in (None, True):
                break


@contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    """Hold the mirror's lock for the whole sync: a second sync of the same collection and
    account (a cron job, the TUI beside the CLI) is refused, not interleaved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / "sync.lock").open("a")
    except OSError as err:
        raise SyncError(f"cannot use {folder}: {err.strerror or err}") from None
    with lock:
        try:
            import fcntl
        except ImportError:  # Windows: Anki's own lock on the mirror still refuses a second
            yield
            return
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError("another sync of this collection is running; try again") from None
        yield


class _Sync:
    """One sync's key (its address may move), choices and summary."""

    def __init__(
        self,
        key: SyncKey,
        credentials: Path,
        mirror_folder: Path,
        confirm: Callable[[FullSync], bool],
        timeout_s: int,
    ) -> None:
        self.key, self._credentials, self._confirm = key, credentials, confirm
        self._timeout_s = timeout_s
        self._notes_sent = mirror_folder / _NOTES_SENT
        self.summary = SyncSummary(key.server)

    def run(self, mirror: Mirror, upload_wins: bool) -> bool | None:
        """Sync the mirror once; whether a full sync uploaded (None: no full sync)."""
        full, new_endpoint = mirror.sync(self.key, upload_wins, self._confirm, self._timeout_s)
        if new_endpoint and new_endpoint != self.key.endpoint:
            self.key = SyncKey(self.key.key, new_endpoint)
            _save_key(self.key, self._credentials)
        if full is None:
            return None
        self.summary.full_syncs.append(full)
        if not full.upload:  # the server's notes replaced those written: write them all again
            self._notes_sent.unlink(missing_ok=True)
        return full.upload


def _write(
    db_path: Path, mirror: Mirror, notes_sent: Path, now: datetime, summary: SyncSummary
) -> None:
    """Write into the mirror what it lacks of the collection: notes, answers, schedules."""
    with opened(db_path) as conn:
        fingerprint = notes_fingerprint(conn)
        cards = synced_cards(conn)
        decks = deck_settings_by_id(conn)
    if not cards:
        return
    guids = {note_guid(card.key) for card in cards}
    if _read(notes_sent) != fingerprint or not guids <= mirror.note_guids():
        with tempfile.TemporaryDirectory(prefix="studycards-sync-") as scratch:
            package = Path(scratch) / "notes.apkg"
            export_anki(db_path, package, now, force=True)
            mirror.import_notes(package)
        mirror.move_home({note_guid(card.key): decks[card.deck_id].name for card in cards})
        notes_sent.write_text(fingerprint, encoding="utf-8")
        summary.notes_written = True
    in_anki = mirror.cards(guids)
    day_zero = mirror.day_zero
    schedules: list[tuple[int, AnkiCard]] = []
    for card in cards:
        theirs = in_anki.get(note_guid(card.key))
        if theirs is None:
            continue  # a card added to the mirror's note type in Anki
        today = study_day(now, decks[card.deck_id].rollover_hour)
        ours = anki_card(card.schedule, card.suspended, card.answers, today, day_zero)
        if ours is not None and not same_schedule(ours, theirs[1]):
            schedules.append((theirs[0], ours))
    with opened(db_path) as conn:
        answers = answers_for_anki(conn, mirror.review_ids())
    reviews = [
        anki_review(answer, in_anki[guid][0])
        for answer in answers
        for guid in (note_guid(answer.key),)
        if guid in in_anki
    ]
    mirror.write(schedules, reviews, now)
    summary.answers_sent += len(reviews)
    summary.schedules_sent += len(schedules)


def _save_key(key: SyncKey, credentials: Path) -> None:
    """Write the key where only its owner may read it, replacing the file whole."""
    try:
        credentials.parent.mkdir(parents=True, exist_ok=True)
        scratch = credentials.with_name(f".{credentials.name}.tmp")
        scratch.unlink(missing_ok=True)
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump({"endpoint": key.endpoint, "key": key.key}, file)
        scratch.replace(credentials)
    except OSError as err:
        raise SyncError(f"cannot save the login in {credentials}: {err.strerror or err}") from None


def _saved_key(credentials: Path) -> SyncKey:
    text = _read(credentials)
    if text is None:
        raise SyncError("not logged in to a sync server: run `studycards anki login` first")
    try:
        saved = json.loads(text)
        key, endpoint = saved["key"], saved["endpoint"]
        if not isinstance(key, str) or not key or not isinstance(endpoint, str):
            raise TypeError
        return SyncKey(key, endpoint_url(endpoint))
    except (ValueError, KeyError, TypeError, SyncError):
        raise SyncError(
            f"{credentials} is not a saved login: run `studycards anki login` again"
        ) from None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StudycardsError(f"cannot read {path}: {err}") from None
