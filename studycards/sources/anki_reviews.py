"""Reviews made in Anki, read from what Anki leaves on disk: an exported `.apkg` / `.colpkg`
(with scheduling), a closed profile's `collection.anki2`, or a profile folder (its newest
backup). Read only: the Anki file is never written, and a running Anki's lock is never taken.

A package is a zip holding the collection as `collection.anki21b` (zstd-compressed SQLite, the
modern format), `collection.anki21` or `collection.anki2` (plain SQLite, legacy); the newest
format present is read (a modern package's `collection.anki2` is a stub). Schema 18 declares
`COLLATE unicase` on its name columns; a look-alike collation is registered for plain sqlite3.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from studycards.errors import AnkiFileError

_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")  # newest first
_SQLITE_MAGIC = b"SQLite format 3\x00"
_REVIEWS = (
    "SELECT r.id, n.guid, r.ease, r.time, r.type FROM revlog r"
    " LEFT JOIN cards c ON c.id = r.cid LEFT JOIN notes n ON n.id = c.nid"
)


@dataclass(frozen=True, slots=True)
class AnkiReview:
    """One row of Anki's review log, with the GUID of its card's note (None: card deleted)."""

    id: int  # when, in ms since 1970, and unique in Anki's log
    guid: str | None
    ease: int  # 1-4 Again/Hard/Good/Easy; 0 for a manual rescheduling
    duration_ms: int
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


@dataclass(frozen=True, slots=True)
class AnkiLog:
    """Every review of the collection read, and which file held it."""

    source: Path
    reviews: list[AnkiReview]


def read_anki_reviews(path: Path) -> AnkiLog:
    """The review log of the Anki collection at `path` (see the module's docstring)."""
    source = _newest_backup(path) if path.is_dir() else path
    with _collection_file(source) as collection:
        return AnkiLog(source, _read_log(source, collection))


def _newest_backup(folder: Path) -> Path:
    """A profile folder's newest backup: Anki writes them while it runs, so they can be read
    when the collection itself is locked."""
    backups = sorted(
        (folder / "backups").glob("*.colpkg"), key=lambda backup: backup.stat().st_mtime
    )
    if not backups:
        raise AnkiFileError(
            folder, "is a folder without Anki backups (backups/*.colpkg): name a package or file"
        )
    return backups[-1]


@contextmanager
def _collection_file(source: Path) -> Iterator[Path]:
    """The SQLite file of the collection in `source`: itself, or unpacked to a scratch file."""
    try:
        with source.open("rb") as file:
            head = file.read(len(_SQLITE_MAGIC))
    except OSError as err:
        raise AnkiFileError(source, f"cannot be read: {err.strerror or err}") from None
    if head == _SQLITE_MAGIC:
        yield source
        return
    if not zipfile.is_zipfile(source):
        raise AnkiFileError(source, "is neither an Anki package (.apkg, .colpkg) nor a collection")
    with tempfile.TemporaryDirectory(prefix="studycards-anki-") as scratch:
        yield _unpack(source, Path(scratch) / "collection.sqlite")


def _unpack(source: Path, target: Path) -> Path:
    try:
        with zipfile.ZipFile(source) as package:
            names = set(package.namelist())
            member = next((name for name in _MEMBERS if name in names), None)
            if member is None:
                raise AnkiFileError(source, "holds no Anki collection (collection.anki21b/21/2)")
            with package.open(member) as packed, target.open("wb") as out:
                if member.endswith("b"):
                    _decompress(source, packed, out)
                else:
                    shutil.copyfileobj(packed, out)
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise AnkiFileError(source, f"is a damaged package ({err})") from None
    return target


def _decompress(source: Path, packed: IO[bytes], out: IO[bytes]) -> None:
    import zstandard

    try:
        zstandard.ZstdDecompressor().copy_stream(packed, out)
    except zstandard.ZstdError as err:
        raise AnkiFileError(source, f"is a damaged package ({err})") from None


def _read_log(source: Path, collection: Path) -> list[AnkiReview]:
    uri = f"{collection.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=0.5)) as conn:
            conn.create_collation("unicase", _unicase)
            return [AnkiReview(*row) for row in conn.execute(_REVIEWS)]
    except sqlite3.OperationalError as err:
        if "locked" in str(err):
            raise AnkiFileError(
                source,
                "is open in Anki (it locks its collection): close Anki, or pull the profile"
                " folder to read its newest backup",
            ) from None
        raise AnkiFileError(source, f"is not an Anki collection ({err})") from None
    except sqlite3.DatabaseError as err:
        raise AnkiFileError(source, f"is not an Anki collection ({err})") from None


def _unicase(left: str, right: str) -> int:
    """Anki's `unicase` collation, near enough for reading: case-folded comparison."""
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)
