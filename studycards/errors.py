"""Errors meant for the user: each says what went wrong and where, never a traceback."""

from collections.abc import Sequence
from pathlib import Path


class StudycardsError(Exception):
    """An error meant for the user, not a traceback."""


class SourceError(StudycardsError):
    """A question file that cannot become cards; the rest of the batch goes on."""

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[Path, str, int | None]]:
        """Keep the fields when the error crosses from a parsing worker process."""
        return (type(self), (self.path, self.problem, self.line))


class StoreError(StudycardsError):
    """The collection could not be read or written; nothing was half-written. `reason` is
    what the database itself said, to quote where the message would say too much."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class SchemaError(StoreError):
    """The collection file cannot be used by this version of studycards (another program's
    file, or a newer studycards's)."""


class CollectionError(StoreError):
    """The collection path cannot be opened or created (a folder, under a file, unwritable)."""


class CollectionBusyError(StoreError):
    """Another process held the collection's write lock for longer than the busy timeout."""


class CollectionReadOnlyError(StoreError):
    """The collection file, its folder or its file system may not be written."""


class DiskFullError(StoreError):
    """The disk (or a quota) is full: the write was rolled back."""


class CorruptCollectionError(StoreError):
    """SQLite found damaged pages; `studycards check` says what and what can be repaired."""


class NoCollectionError(CollectionError):
    """A read of a collection that does not exist: reads never create one, only an import does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"no collection yet at {path}: run `studycards import PATH`"
            " (or `studycards import` with deck presets) first"
        )


class PresetError(StudycardsError):
    """A deck preset file is malformed."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}")


class DeckNotFoundError(StudycardsError):
    """A command named a deck the collection does not have (or, in another case, two)."""

    _LISTED = 20  # a collection may hold hundreds of decks; `studycards decks` shows them all

    def __init__(self, name: str, existing: Sequence[str], ambiguous: Sequence[str] = ()) -> None:
        self.name, self.existing, self.ambiguous = name, tuple(existing), tuple(ambiguous)
        if ambiguous:
            problem = f"deck {name!r} is ambiguous: it could be {', '.join(map(repr, ambiguous))}"
        elif not existing:
            problem = f"no deck named {name!r}: the collection has no decks yet"
        else:
            listed = ", ".join(self.existing[: self._LISTED])
            more = len(self.existing) - self._LISTED
            rest = f" and {more} more (`studycards decks` lists them)" if more > 0 else ""
            problem = f"no deck named {name!r} in this collection; its decks: {listed}{rest}"
        super().__init__(problem)


class CardNotFoundError(StudycardsError):
    """A card id that is not (or no longer) in the collection."""

    def __init__(self, card_id: int) -> None:
        self.card_id = card_id
        super().__init__(f"no card with id {card_id} in this collection")


class ExportError(StudycardsError):
    """An export that cannot be written; nothing is left behind."""


class RevlogError(StudycardsError):
    """A review log file (CSV) that cannot be read; names the line where it went wrong."""

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


class AnkiFileError(StudycardsError):
    """An Anki package, collection or profile folder whose reviews cannot be read."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path} {problem}")


class NotEnoughHistoryError(StudycardsError):
    """Too few scored reviews to cut into the evaluation's time-series segments."""

    def __init__(self, scored: int, needed: int) -> None:
        self.scored, self.needed = scored, needed
        super().__init__(
            f"too little history to evaluate: {scored} scored reviews (first of a day, a day or"
            f" more after the card's previous one), at least {needed} are needed for the split"
        )


class OptimizerMissingError(StudycardsError):
    """fsrs-rs-python, the optional `optimize` extra, is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "fitting FSRS parameters needs the optimize extra (fsrs-rs-python): in studycards'"
            " folder, pip install -e '.[optimize]'"
        )


class SyncError(StudycardsError):
    """A sync with an Anki sync server that did not happen: not logged in, the server down or
    refusing the login, a full sync not agreed to. Never carries a password or a key."""


class SyncMissingError(SyncError):
    """Anki's engine, the optional `anki` extra, is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "syncing needs Anki's engine (AGPL, about 31 MB), the optional anki extra: in"
            " studycards' folder, pip install -e '.[anki]'"
        )


class SearchError(StudycardsError):
    """A search query that cannot be read; says what is wrong and at which character."""

    def __init__(self, query: str, at: int, problem: str) -> None:
        self.query, self.at, self.problem = query, at, problem
        near = query[at : at + 20] + ("…" if len(query) > at + 20 else "")
        where = f"at character {at + 1} ({near!r})" if near else "at its end"
        super().__init__(f"bad search, {where}: {problem}")


class DueDaysError(StudycardsError):
    """Days for a due date that cannot be read (the browser's set due date)."""

    def __init__(self, text: str, problem: str) -> None:
        self.text, self.problem = text, problem
        super().__init__(f"not a due date: {text.strip()!r}; {problem}")
