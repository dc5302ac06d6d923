"""Opening a collection: pragmas, schema version check and migrations; transactions; and the
store's edge, where SQLite's and SQLAlchemy's errors become `StoreError`s that say what to do.

Read paths that must be fast (the unchanged-file check, deck counts) use the stdlib `sqlite3`
connection from `connect()` directly, since importing SQLModel alone costs about 0.4 s;
writes go through SQLModel sessions on `engine()`, whose connections come from the same
`connect()`, so both see identical pragmas.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from studycards.errors import (
    CollectionBusyError,
    CollectionError,
    CollectionReadOnlyError,
    CorruptCollectionError,
    DiskFullError,
    NoCollectionError,
    SchemaError,
    StoreError,
)
from studycards.store.migrations import MIGRATIONS, Migration

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# What the store's writes take and what opens them, named here so that callers outside the
# store need not know SQLModel.
Transaction: TypeAlias = "Session"
Writer: TypeAlias = "Engine"

BUSY_TIMEOUT_S = 10.0
_CHUNK = 900  # stays under SQLite's default limit of bound parameters per statement


def connect(
    path: Path, migrations: Sequence[Migration] = MIGRATIONS, *, create: bool = True
) -> sqlite3.Connection:
    """A connection to the collection at `path`, migrated to the current schema.

    Only an import creates a collection (`create`); a read of a missing one says so instead
    of leaving an empty file and its folders behind.
    """
    if path.is_dir():
        raise CollectionError(
            f"{path} is a folder: the collection is a file (e.g. {path / 'collection.sqlite'})"
        )
    if not create and not path.exists():
        raise NoCollectionError(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    except OSError as err:  # a folder on the way is a file, or not writable
        problem = f"{err.strerror}: {err.filename}"
        raise CollectionError(f"cannot create the collection {path}: {problem}") from None
    except sqlite3.Error as err:  # "unable to open database file": not writable, or /proc
        raise store_error(path, err) from None
    try:
        # before WAL mode, which would rewrite the header of a file not ours to change
        _refuse_foreign(conn, path)
        version = _refuse_newer(conn, path, migrations)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if version != len(migrations):
            _migrate(conn, path, migrations)
    except sqlite3.DatabaseError as err:
        conn.close()
        if (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF == _NOTADB:
            raise SchemaError(f"{path} is not a studycards collection ({err})") from None
        raise store_error(path, err) from None
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """`connect()` to an existing collection for a few reads (or a cache write), closed on
    leaving; SQLite's errors inside become `StoreError`s."""
    with translated(path):
        conn = connect(path, create=False)
        try:
            yield conn
        finally:
            conn.close()


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """The store's edge: an SQLite or SQLAlchemy error raised inside leaves as the
    `StoreError` that says what happened and what to do. Everything that touches a collection
    runs inside one (`opened` and `transaction` open one themselves)."""
    try:
        yield
    except StoreError:
        raise
    except Exception as err:
        cause = _sqlite_error(err)
        if cause is None:
            raise
        raise store_error(path, cause) from err


def _sqlite_error(err: Exception) -> Exception | None:
    """The database error behind `err` (SQLAlchemy wraps the driver's own), or None; any
    other SQLAlchemy error (a failed flush, say) counts as the store's too."""
    if isinstance(err, sqlite3.Error):
        return err
    if type(err).__module__.startswith("sqlalchemy."):
        orig = getattr(err, "orig", None)
        return orig if isinstance(orig, Exception) else err
    return None


# SQLite's primary result codes (https://sqlite.org/rescode.html): the extended code's low byte
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def store_error(path: Path, err: Exception) -> StoreError:
    """The user's message for a database error on the collection at `path`."""
    code = (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF
    said = str(err)
    if code in (_BUSY, _LOCKED):
        busy = f"the collection {path} is busy: another studycards is writing to it; try again"
        return CollectionBusyError(busy, said)
    if code == _FULL:
        return DiskFullError(f"the disk holding {path} is full: nothing was saved ({said})", said)
    if code in (_READONLY, _CANTOPEN) and not _writable(path.parent):
        return CollectionReadOnlyError(
            f"the folder {path.parent} cannot be written, and SQLite keeps the collection's"
            " journal files next to it: make the folder writable, or move the collection",
            said,
        )
    if code == _READONLY:
        return CollectionReadOnlyError(
            f"the collection {path} cannot be written (the file or its file system is"
            " read-only): nothing was saved",
            said,
        )
    if code in (_CORRUPT, _NOTADB):
        damaged = f"the collection {path} is damaged ({said}): run `studycards check`"
        return CorruptCollectionError(damaged, said)
    if code == _CANTOPEN:
        return CollectionError(f"cannot open the collection {path} ({said})", said)
    return StoreError(f"the collection {path} could not be used: {said}", said)


def _writable(folder: Path) -> bool:
    """Whether files may be created in `folder` (an immutable folder or a read-only file
    system stops root too)."""
    return os.access(folder, os.W_OK)


def rows_in(conn: sqlite3.Connection, sql: str, values: Sequence[object]) -> Iterator[Any]:
    """The rows of `sql`, whose `{marks}` is an `IN (...)` list, for all of `values`: a chunk
    at a time, since SQLite binds only so many parameters to one statement. Each chunk's rows
    are fetched whole: a consumer stopped midway (Ctrl-C, SIGTERM) leaves no open cursor for
    this generator's finalizer to close once the connection has closed (a printed error)."""
    for chunk in chunks(values):
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """`values` in pieces small enough for one statement's bound parameters."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _migrate(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> None:
    """Walk the schema forward in one transaction; refuse a collection from a newer studycards."""
    with write_transaction(conn):
        version = _refuse_newer(conn, path, migrations)  # re-read under the lock
        if version == 0:
            _refuse_foreign(conn, path)
        for migration in migrations[version:]:
            migration(conn)
        conn.execute(f"PRAGMA user_version={len(migrations)}")


def _refuse_newer(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> int:
    """The collection's schema version, unless a newer studycards wrote it: then it is
    refused before anything (the journal mode included) is written."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > len(migrations):
        raise SchemaError(
            f"{path} was written by a newer studycards (schema {version}; this version "
            f"knows schema {len(migrations)} at most): upgrade studycards to open it"
        )
    return version


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's database: schema version 0 (never migrated by studycards) yet
    holding tables. An empty file or a new one becomes a collection."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != 0:
        return
    if conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None:
        raise SchemaError(f"{path} is not a studycards collection (it holds other tables)")


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE on a plain connection, COMMIT on leaving, ROLLBACK on any error: the
    write lock comes first, so that what is read inside still holds when it is written."""
    isolation = conn.isolation_level
    conn.isolation_level = None  # explicit BEGIN/COMMIT
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = isolation


def engine(path: Path) -> Engine:
    """A SQLAlchemy engine for SQLModel sessions on the collection.

    Transactions start with BEGIN IMMEDIATE: a writer takes the write lock up front and waits
    out the busy timeout, instead of failing when another process wrote since it began reading.

    An INSERT of many rows is sent as statements of many rows each ("insertmanyvalues"), not
    one statement a row: a statement on `cards` opens a savepoint (its triggers write to the
    search index), and FTS5 flushes its pending words to a new segment at every savepoint, so
    one card a statement costs the index ~75 µs a card instead of ~20 (10,000 new cards:
    1.9 -> 1.2 s of writing).
    """
    from sqlalchemy import create_engine, event

    result = create_engine(f"sqlite:///{path}", creator=lambda: _autocommit(connect(path)))
    result.dialect.use_insertmanyvalues_wo_returning = True

    @event.listens_for(result, "begin")
    def _begin_immediate(connection: object) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]

    return result


@contextmanager
def transaction(path: Path, writer: Engine) -> Iterator[Session]:
    """A SQLModel session in one transaction on `writer` (an `engine(path)`): committed on
    leaving, rolled back on any error, which leaves as a `StoreError`."""
    from sqlmodel import Session

    with translated(path), Session(writer) as session, session.begin():
        yield session


@contextmanager
def writing(path: Path) -> Iterator[Session]:
    """One `transaction` on an engine of its own, disposed of after: for a single write."""
    with translated(path):
        writer = engine(path)
        try:
            with transaction(path, writer) as session:
                yield session
        finally:
            writer.dispose()


def _autocommit(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Let SQLAlchemy's begin event, not the sqlite3 module, decide when transactions start."""
    conn.isolation_level = None
    return conn
