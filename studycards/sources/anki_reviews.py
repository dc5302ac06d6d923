"""Reviews made in Anki, read from what Anki leaves on disk: an exported `.apkg` / `.colpkg`
(with scheduling), a closed profile's `collection.anki2`, or a profile folder (its newest
backup). Read only: nothing is written beside Anki's files, and a running Anki's lock is
respected.

A package is a zip holding the collection as `collection.anki21b` (zstd-compressed SQLite, the
modern format), `collection.anki21` or `collection.anki2` (plain SQLite, legacy); the newest
format present is read (a modern package's `collection.anki2` is a stub). It is unpacked to a
scratch file, at most `_MAX_RATIO` times its packed size (a zip bomb stops there). Schema 18
declares `COLLATE unicase` on its name columns; a look-alike collation is registered.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from studycards.errors import AnkiFileError
from studycards.sources.revlog import LATEST_MS

_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")  # newest first
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_FORMAT = 2  # header bytes 18-19: a collection in WAL mode (Anki's since 2.1.28)
_MAX_RATIO = 100  # SQLite packs 3 to 10 times; far more is not a collection
_MIN_CAP = 64 * 2**20  # a small package may always unpack this far
_CHUNK = 2**20
_TABLES = ("revlog", "cards", "notes")
_REVIEWS = (
    "SELECT r.id, n.guid, c.ord, r.ease, r.time, r.type FROM revlog r"
    " LEFT JOIN cards c ON c.id = r.cid LEFT JOIN notes n ON n.id = c.nid"
)


@dataclass(frozen=True, slots=True)
class AnkiReview:
    """One row of Anki's review log, with its card's note GUID and template (None: deleted)."""

    id: int  # when, in ms since 1970, and unique in Anki's log
    guid: str | None
    template: int | None  # the card's `ord`: which card of its note
    ease: int  # 1-4 Again/Hard/Good/Easy; 0 for a manual rescheduling
    duration_ms: int
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered preview, 4 manual, 5 rescheduled


@dataclass(frozen=True, slots=True)
class AnkiLog:
    """The reviews of the collection read, which file held them, and the rows left out as
    unreadable (a time that is no time, a text where a number belongs)."""

    source: Path
    reviews: list[AnkiReview]
    unreadable: int


def read_anki_reviews(path: Path) -> AnkiLog:
    """The review log of the Anki collection at `path` (see the module's docstring)."""
    source = _newest_backup(path) if path.is_dir() else path
    with _collection_file(source) as (collection, scratch):
        return _read_log(source, collection, scratch)


def _newest_backup(folder: Path) -> Path:
    """A profile folder's newest backup: Anki writes them while it runs, so they can be read
    when the collection itself is locked."""
    backups = []
    for backup in (folder / "backups").glob("*.colpkg"):
        try:
            if backup.is_file():
                backups.append((backup.stat().st_mtime, backup))
        except OSError:  # a broken link, a loop: not a backup
            continue
    if not backups:
        raise AnkiFileError(
            folder, "is a folder without Anki backups (backups/*.colpkg): name a package or file"
        )
    return max(backups)[1]


@contextmanager
def _collection_file(source: Path) -> Iterator[tuple[Path, bool]]:
    """The SQLite file of the collection in `source` (itself, or unpacked to a scratch file),
    and whether it is a scratch copy."""
    try:
        if not source.exists():
            raise AnkiFileError(source, "does not exist")
        if not source.is_file():  # a FIFO or a device would block or never end
            raise AnkiFileError(source, "is not a file (nor a profile folder)")
        with source.open("rb") as file:
            head = file.read(len(_SQLITE_MAGIC))
    except OSError as err:
        raise AnkiFileError(source, f"cannot be read: {err.strerror or err}") from None
    if head == _SQLITE_MAGIC:
        yield source, False
        return
    if not zipfile.is_zipfile(source):
        raise AnkiFileError(source, "is neither an Anki package (.apkg, .colpkg) nor a collection")
    with tempfile.TemporaryDirectory(prefix="studycards-anki-") as scratch:
        yield _unpack(source, Path(scratch) / "collection.sqlite"), True


def _unpack(source: Path, target: Path) -> Path:
    try:
        with zipfile.ZipFile(source) as package:
            names = set(package.namelist())
            member = next((name for name in _MEMBERS if name in names), None)
            if member is None:
                raise AnkiFileError(source, "holds no Anki collection (collection.anki21b/21/2)")
            cap = max(_MIN_CAP, _MAX_RATIO * source.stat().st_size)
            with package.open(member) as packed, target.open("wb") as out:
                if member.endswith("b"):
                    _decompress(source, packed, out, cap)
                else:
                    _copy(source, packed, out, cap)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as err:
        raise AnkiFileError(source, f"is a damaged package ({err})") from None
    return target


def _decompress(source: Path, packed: IO[bytes], out: IO[bytes], cap: int) -> None:
    import zstandard

    try:
        with zstandard.ZstdDecompressor().stream_reader(packed) as unpacked:
            _copy(source, unpacked, out, cap)
    except zstandard.ZstdError as err:
        raise AnkiFileError(source, f"is a damaged package ({err})") from None


def _copy(source: Path, data: IO[bytes], out: IO[bytes], cap: int) -> None:
    """Copy `data` to `out`, refusing at `cap` bytes."""
    written = 0
    while chunk := data.read(_CHUNK):
        written += len(chunk)
        if written > cap:
            raise AnkiFileError(
                source, f"unpacks to more than {cap // 2**20} MB: not an Anki collection"
            )
        out.write(chunk)


def _read_log(source: Path, collection: Path, scratch: bool) -> AnkiLog:
    try:
        with closing(_open(source, collection, scratch)) as conn:
            conn.create_collation("unicase", _unicase)
            kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
            missing = [name for name in _TABLES if kinds.get(name) != "table"]
            if missing:
                raise AnkiFileError(source, f"is not an Anki collection (no {missing[0]} table)")
            reviews, unreadable = [], 0
            for row in conn.execute(_REVIEWS):
                review = _review(row)
                if review is None:
                    unreadable += 1
                else:
                    reviews.append(review)
            return AnkiLog(source, reviews, unreadable)
    except sqlite3.OperationalError as err:
        if "locked" in str(err):
            raise _open_in_anki(source) from None
        raise AnkiFileError(source, f"is not an Anki collection ({err})") from None
    except sqlite3.DatabaseError as err:
        raise AnkiFileError(source, f"is not an Anki collection ({err})") from None


def _open(source: Path, collection: Path, scratch: bool) -> sqlite3.Connection:
    """A read-only connection that leaves nothing beside Anki's file. A scratch copy is read
    as immutable. So is a collection in WAL mode when no write-ahead log is beside it (Anki
    closed it); with one, Anki has it open. Others are opened read-only, Anki's lock honoured
    (a rollback journal's reader makes no files)."""
    with collection.open("rb") as file:
        header = file.read(20)
    wal = len(header) == 20 and header[18] == _WAL_FORMAT
    if not scratch and wal and Path(f"{collection}-wal").exists():
        raise _open_in_anki(source)
    immutable = "&immutable=1" if scratch or wal else ""
    uri = f"{collection.resolve().as_uri()}?mode=ro{immutable}"
    return sqlite3.connect(uri, uri=True, timeout=0.5)


def _open_in_anki(source: Path) -> AnkiFileError:
    return AnkiFileError(
        source,
        "is open in Anki (or was not closed cleanly): close Anki, or pull the profile folder to"
        " read its newest backup",
    )


def _review(row: tuple[object, ...]) -> AnkiReview | None:
    """One revlog row, or None when it is not one Anki could have written."""
    match row:
        case (int() as review_id, str() | None as guid, int() | None as template, int() as ease,
              int() as duration, int() as kind) if 0 < review_id <= LATEST_MS:  # fmt: skip
            return AnkiReview(review_id, guid, template, ease, duration, kind)
    return None


def _unicase(left: str, right: str) -> int:
    """Anki's `unicase` collation, near enough for reading: case-folded comparison."""
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)
