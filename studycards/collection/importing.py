"""Question files -> the collection: walk, skip the unchanged, parse in parallel, store.

The unchanged check needs only the stdlib (hash the bytes, compare with the stored digest), so a
no-op re-import never loads YAML or SQLModel. Files that changed are parsed on every core while
this process loads SQLModel; then they are written in large transactions. A file's cards go in
whole or not at all: every per-file check runs before the write, and if a batch transaction
fails anyway, each of its files is retried in a transaction of its own.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studycards.collection.parallel import map_chunks
from studycards.errors import (
    CollectionBusyError,
    CollectionReadOnlyError,
    CorruptCollectionError,
    DiskFullError,
    SourceError,
    StoreError,
    StudycardsError,
)
from studycards.model import DeckSettings, Progress, SourceFile, StaleCard
from studycards.sources.text import preview, read_source
from studycards.sources.walk import Walk, walk_sources
from studycards.store.cards import cards_of_sources, source_card_counts
from studycards.store.db import connect, translated
from studycards.store.decks import deck_losses, deck_settings, remove_empty_decks
from studycards.store.reviews import review_count
from studycards.store.rows import to_ms
from studycards.store.sources import files_imported_at, source_digests
from studycards.text import plural, shorten

if TYPE_CHECKING:
    from studycards.store.cards import WriteResult
    from studycards.store.db import Writer

# Errors of the whole collection, not of a file: retrying file by file would only meet them
# again (and wait out the busy timeout once per file).
_COLLECTION_WIDE = (
    CollectionBusyError,
    CollectionReadOnlyError,
    CorruptCollectionError,
    DiskFullError,
)


_PARALLEL_FROM = 256  # below this many files a process pool costs more than it saves
_PARSE_CHUNK = 64
_WRITE_BATCH = 1000
# What a parsing worker needs besides this module, loaded once for all of them (`_parse_one`
# imports it lazily: this process needs none of it to skip unchanged files).
_PARSING_MODULES = ("studycards.sources.frontmatter", "studycards.convert")


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """Paths to import and the deck they go to (None: each record's own subject or folder)."""

    paths: tuple[Path, ...]
    deck: str | None = None
    settings: DeckSettings | None = None  # from a preset: the deck's limits and timing


@dataclass(slots=True)
class ImportSummary:
    files: int = 0
    files_unchanged: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[SourceError] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    stale: list[StaleCard] = field(default_factory=list)
    stale_reviews: int = 0  # reviews of the stale cards: a prune deletes them too
    pruned: int = 0
    prune_held: list[str] = field(default_factory=list)  # why --prune waits for a yes


class ImportInterruptedError(StudycardsError):
    """Ctrl-C stopped an import: files stored before it are whole, the batch in flight rolled
    back, so running the import again finishes it."""

    def __init__(self, files: int) -> None:
        self.files = files
        super().__init__(_stopped(files, "the interrupt"))


class ImportWorkerDiedError(StudycardsError):
    """A parsing process was killed (by the out-of-memory killer, say): the import stops as on
    Ctrl-C, its stored files whole, and says so in one line."""

    def __init__(self, files: int) -> None:
        self.files = files
        super().__init__(_stopped(files, "a parsing process died (killed, or out of memory)"))


def _stopped(files: int, cause: str) -> str:
    return f"{plural(files, 'file')} imported before {cause}; run again to finish"


def digest(data: bytes, deck: str | None) -> str:
    """What makes an import of a file a no-op: the same bytes into the same deck rule."""
    return hashlib.blake2b((deck or "").encode() + b"\0" + data, digest_size=16).hexdigest()


def import_sources(
    db_path: Path,
    targets: Sequence[ImportTarget],
    now: datetime,
    *,
    prune: bool = False,
    confirmed: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Import every question file under `targets`; failures are collected, never raised.

    With `prune`, cards their sources no longer hold are deleted with their reviews, unless the
    deletion looks like a mistake (a folder yielding no file, a deck losing most of its cards)
    and is not `confirmed`. Ctrl-C raises ImportInterruptedError.
    """
    summary = ImportSummary()
    with translated(db_path):
        conn = connect(db_path)
        try:
            found, walked = _walk_targets(targets, summary)
            report = progress or (lambda done, total: None)
            known = source_digests(conn)
            todo = _changed(found, known, source_card_counts(conn), summary)
            report(summary.files_unchanged, summary.files)
            settings = {t.settings.name: t.settings for t in targets if t.settings is not None}
            if todo or _settings_changed(conn, settings):
                # closed on any exit: an interrupt while a batch is written stops the workers now;
                # opened before the writer, whose SQLAlchemy loads beside the parser's modules
                with closing(_parse_all(todo, workers)) as parsing:
                    _parse_and_store(db_path, parsing, settings, now, summary, report)
            vanished = _vanished(known, found, walked.folders)
            summary.stale += cards_of_sources(conn, vanished)
            stale_ids = [card.id for card in summary.stale]
            summary.stale_reviews = review_count(conn, stale_ids)
            if prune and stale_ids and not confirmed:
                summary.prune_held = _prune_doubts(conn, stale_ids, walked.empty)
            if prune and not summary.prune_held and (stale_ids or vanished):
                _prune(
                    db_path, stale_ids, vanished
                )  # vanished files go too, even with no card left
                summary.pruned = len(stale_ids)
            # cards that moved (or went) leave their old decks empty
            remove_empty_decks(conn, [t.settings.name for t in targets if t.settings is not None])
        except KeyboardInterrupt:
            raise ImportInterruptedError(files_imported_at(conn, to_ms(now))) from None
        except BrokenProcessPool:
            raise ImportWorkerDiedError(files_imported_at(conn, to_ms(now))) from None
        finally:
            conn.close()
    return summary


def _walk_targets(
    targets: Sequence[ImportTarget], summary: ImportSummary
) -> tuple[dict[str, str | None], Walk]:
    """Every file under the targets with its deck rule (the first target naming it wins), and
    the folders walked; missing and skipped paths go to the summary."""
    found: dict[str, str | None] = {}
    walked = Walk()
    for target in targets:
        walk = walk_sources(list(target.paths))
        summary.failed += [SourceError(path, "no such file or folder") for path in walk.missing]
        summary.failed += [SourceError(path, why) for path, why in walk.refused]
        summary.skipped += walk.skipped
        walked.folders += walk.folders
        walked.empty += walk.empty
        for path in walk.files:
            found.setdefault(path, target.deck)
    summary.files = len(found)
    return found, walked


def _prune_doubts(conn: sqlite3.Connection, card_ids: list[int], empty: list[Path]) -> list[str]:
    """Why deleting these cards (and their history) should wait for the user's yes."""
    doubts = [
        f"{folder} holds no question files (a wrong path? a drive not mounted?)" for folder in empty
    ]
    doubts += [
        f"deck {deck} would lose {lost} of its {total} cards"
        for deck, lost, total in deck_losses(conn, card_ids)
        if lost * 2 > total
    ]
    return doubts


def _prune(db_path: Path, card_ids: list[int], vanished: list[str]) -> None:
    """Delete the cards (their reviews go with them) and forget the vanished files, at once."""
    from studycards.store.cards import delete_cards
    from studycards.store.db import writing

    with writing(db_path) as session:
        delete_cards(session, card_ids, vanished)


def _changed(
    found: dict[str, str | None],
    known: dict[str, tuple[str, int]],
    stored_cards: dict[str, int],
    summary: ImportSummary,
) -> list[tuple[str, str | None, bytes | None]]:
    """Files to parse: (path, deck, bytes if already read). Unchanged ones are counted.

    A file still owning more cards than it gave last time has stale cards that were reported
    and not pruned: it is parsed again so that they are reported (or pruned) again.
    """
    todo: list[tuple[str, str | None, bytes | None]] = []
    for name, deck in found.items():
        stored = known.get(name)
        if stored is None:
            todo.append((name, deck, None))  # a new file: a worker reads it
            continue
        try:
            data = read_source(name)
        except SourceError as err:
            summary.failed.append(err)
            continue
        if digest(data, deck) == stored[0] and stored_cards.get(name) == stored[1]:
            summary.files_unchanged += 1
            summary.unchanged += stored[1]
        else:
            todo.append((name, deck, data))
    return todo


def _settings_changed(conn: sqlite3.Connection, settings: dict[str, DeckSettings]) -> bool:
    """True when a preset's limits or timing differ from its deck's stored ones."""
    if not settings:
        return False
    stored = deck_settings(conn)
    return any(stored.get(name) != wanted for name, wanted in settings.items())


def _vanished(
    known: dict[str, tuple[str, int]], found: dict[str, str | None], folders: list[Path]
) -> list[str]:
    """Imported files, under a folder walked now, that are gone from disk."""
    prefixes = tuple(f"{folder}{os.sep}" for folder in folders)
    if not prefixes:
        return []
    return [
        path
        for path in known
        if path.startswith(prefixes) and path not in found and not Path(path).exists()
    ]


def _parse_and_store(
    db_path: Path,
    parsing: Iterator[list[SourceFile | SourceError]],
    settings: dict[str, DeckSettings],
    now: datetime,
    summary: ImportSummary,
    report: Progress,
) -> None:
    """Parse on the workers and store here at the same time, a batch as soon as it is full."""
    writer = _BatchWriter(db_path, settings, now, summary)
    parsed: list[SourceFile] = []
    done = summary.files_unchanged
    for results in parsing:
        for result in results:
            if isinstance(result, SourceError):
                summary.failed.append(result)
            else:
                parsed.append(result)
        if len(parsed) >= _WRITE_BATCH:
            writer.write(parsed)
            parsed = []
        done += len(results)
        report(done, summary.files)
    writer.write(parsed)
    writer.close()


def _parse_all(
    todo: list[tuple[str, str | None, bytes | None]], workers: int | None
) -> Generator[list[SourceFile | SourceError], None, None]:
    """Parse results in input order, a chunk at a time, on every core for big batches."""
    return map_chunks(
        _parse_chunk,
        todo,
        size=_PARSE_CHUNK,
        parallel=len(todo) >= _PARALLEL_FROM,
        preload=_PARSING_MODULES,
        workers=workers,
    )


def _parse_chunk(
    chunk: list[tuple[str, str | None, bytes | None]],
) -> list[SourceFile | SourceError]:
    return [_parse_one(*item) for item in chunk]


def _parse_one(name: str, deck: str | None, data: bytes | None) -> SourceFile | SourceError:
    from studycards.convert import convert
    from studycards.sources.frontmatter import parse_document
    from studycards.sources.text import decode_source

    path = Path(name)
    try:
        if data is None:
            data = read_source(name)
        record = parse_document(path, decode_source(path, data))
        return SourceFile(name, digest(data, deck), tuple(convert(record, deck)))
    except SourceError as err:
        return err
    except Exception as err:  # any bug in parsing costs this file, not the batch
        return SourceError(path, f"could not be parsed ({_describe(err)})")


def _describe(err: Exception) -> str:
    """`KindError: what it said`, each argument cut before it is quoted."""
    said = "; ".join(shorten(arg) if isinstance(arg, str) else preview(arg) for arg in err.args[:3])
    return f"{type(err).__name__}: {said}" if said else type(err).__name__


class _BatchWriter:
    """Stores batches of parsed files; a batch whose transaction fails is retried file by file."""

    def __init__(
        self,
        db_path: Path,
        settings: dict[str, DeckSettings],
        now: datetime,
        summary: ImportSummary,
    ) -> None:
        from studycards.store.db import engine

        self.db_path = db_path
        self.engine: Writer = engine(db_path)
        self.settings, self.now_ms, self.summary = settings, to_ms(now), summary
        self.settings_written = False

    def write(self, batch: list[SourceFile]) -> None:
        if not batch and self.settings_written:
            return
        try:
            results = [self._transaction(batch)]
        except _COLLECTION_WIDE:
            raise
        except StoreError:
            results = []
            for file in batch:
                try:
                    results.append(self._transaction([file]))
                except _COLLECTION_WIDE:
                    raise
                except StoreError as err:
                    problem = f"could not be stored: {err.reason}"
                    self.summary.failed.append(SourceError(Path(file.path), problem))
        self.settings_written = True
        for result in results:
            self.summary.new += result.new
            self.summary.updated += result.updated
            self.summary.unchanged += result.unchanged
            self.summary.failed += result.failed
            self.summary.stale += result.stale

    def _transaction(self, batch: list[SourceFile]) -> WriteResult:
        from studycards.store.cards import write_files
        from studycards.store.db import transaction

        with transaction(self.db_path, self.engine) as session:
            return write_files(session, batch, self.now_ms, self.settings)

    def close(self) -> None:
        self.engine.dispose()
