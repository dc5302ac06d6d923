"""What `studycards check` looks for in a collection, and what `--repair` may safely fix.

SQLite's own `integrity_check` and `foreign_key_check`, then the project's invariants: a card's
`queue` is its state's or the suspended one; a card's schedule is what its last logged answer
left (an unanswered card is new), unless it was set by hand (forget, set due date) since. A
repair never deletes a card or an answer: it rebuilds indexes, drops rows that belong to no
card (HTML cache, log entries of deleted cards), puts a card whose deck is gone into a deck
`Recovered`, and sets a card's schedule from its log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from studycards.model import CardState, Finding, Schedule
from studycards.store.db import write_transaction
from studycards.store.history import CHANGED_SINCE, LAST_ANSWER
from studycards.store.rows import SCHEDULE_COLUMNS, SUSPENDED, schedule_columns

_SHOWN = 10  # lines of SQLite's own report quoted; a damaged file can give thousands
RECOVERED_DECK = "Recovered"
NOT_REPAIRABLE = (
    "; not repairable here: restore a backup, or rescue what is readable with"
    " `sqlite3 COLLECTION .recover`"
)


def check(conn: sqlite3.Connection, repair: bool = False) -> list[Finding]:
    """Every problem found (none: the collection is sound), repaired where safe if asked."""
    findings = _damaged_pages(conn, repair)
    if findings and not findings[0].repaired:
        return findings  # the invariants read pages SQLite has just called damaged
    for invariant in _INVARIANTS:
        count = int(conn.execute(invariant.count, _NEW).fetchone()[0])
        if count == 0:
            continue
        if repair:
            with write_transaction(conn):
                for statement in invariant.repair:
                    conn.execute(statement, _NEW)
        findings.append(Finding(invariant.problem, count, invariant.fix, repair))
    return findings + _search_index(conn, repair)


def _search_index(conn: sqlite3.Connection, repair: bool) -> list[Finding]:
    """FTS5's own check of the search index against the cards (a program writing to the
    collection without its triggers would leave it behind); a repair rebuilds it from them,
    as it holds nothing else. The check itself writes nothing; its transaction is rolled back."""
    try:
        conn.execute("INSERT INTO card_search(card_search, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        in_step = False
    else:
        in_step = True
    finally:
        conn.rollback()
    if in_step:
        return []
    if repair:
        with write_transaction(conn):
            conn.execute("INSERT INTO card_search(card_search) VALUES ('rebuild')")
    return [Finding("search index out of step with the cards", 1, "rebuild it", repair)]


def _damaged_pages(conn: sqlite3.Connection, repair: bool) -> list[Finding]:
    """SQLite's integrity check; damage confined to indexes is fixed by rebuilding them."""
    report = _integrity_report(conn)
    if not report:
        return []
    in_indexes = all("index" in line for line in report)  # "row 7 missing from index ix_..."
    quoted = "; ".join(report[:_SHOWN]) + (
        f"; and {len(report) - _SHOWN} more" if len(report) > _SHOWN else ""
    )
    problem = f"damaged pages (SQLite says: {quoted})"
    if not in_indexes:
        return [Finding(problem + NOT_REPAIRABLE, len(report), None)]
    fix = "rebuild the indexes from the tables"
    if repair:
        conn.execute("REINDEX")
        return [Finding(problem, len(report), fix, not _integrity_report(conn))]
    return [Finding(problem, len(report), fix)]


def _integrity_report(conn: sqlite3.Connection) -> list[str]:
    lines = [str(line) for (line,) in conn.execute("PRAGMA integrity_check(100)")]
    return [] if lines == ["ok"] else lines


_LAST_ANSWER = LAST_ANSWER.format(card="c.id")
# a card's schedule set by hand after its last answer is the change's, not the answer's
_DIFFERS = " OR ".join(f"c.{name} IS NOT r.after_{name}" for name in SCHEDULE_COLUMNS)
_ANSWER_LEFT = f"NOT {CHANGED_SINCE.format(card='c.id', at='r.reviewed_at')} AND ({_DIFFERS})"
_FROM_LOG = ", ".join(f"{name} = r.after_{name}" for name in SCHEDULE_COLUMNS)
_NEW = schedule_columns(Schedule()) | {"recovered": RECOVERED_DECK}
_NOT_NEW = " OR ".join(f"{name} IS NOT :{name}" for name in SCHEDULE_COLUMNS)
_AS_NEW = ", ".join(f"{name} = :{name}" for name in SCHEDULE_COLUMNS)
_KEEP_SUSPENDED = f"CASE WHEN queue = {SUSPENDED} THEN {SUSPENDED} ELSE {{}} END"
_ORPHAN = "card_id NOT IN (SELECT id FROM cards)"
_DECKLESS = "deck_id NOT IN (SELECT id FROM decks)"
_UNANSWERED = (
    "id NOT IN (SELECT card_id FROM reviews) AND id NOT IN (SELECT card_id FROM manual_changes)"
    f" AND ({_NOT_NEW})"
)


@dataclass(frozen=True, slots=True)
class _Invariant:
    problem: str
    fix: str  # what a repair does
    count: str  # SQL counting the rows that break it
    repair: tuple[str, ...]  # SQL statements that fix them, in one transaction


# Every statement runs with the parameters `_NEW`.
_INVARIANTS = (
    _Invariant(
        "cards whose deck is gone",
        "move them to the deck Recovered",
        f"SELECT count(*) FROM cards WHERE {_DECKLESS}",
        (
            "INSERT OR IGNORE INTO decks (name, new_per_day, reviews_per_day, learning_steps,"
            " rollover_hour, sources) VALUES (:recovered, 20, 200, '1m 10m', 4, '[]')",
            "UPDATE cards SET deck_id = (SELECT id FROM decks WHERE name = :recovered)"
            f" WHERE {_DECKLESS}",
        ),
    ),
    _Invariant(
        "answers of cards that are gone",
        "delete them",
        f"SELECT count(*) FROM reviews WHERE {_ORPHAN}",
        (f"DELETE FROM reviews WHERE {_ORPHAN}",),
    ),
    _Invariant(
        "crammed answers of cards that are gone",
        "delete them",
        f"SELECT count(*) FROM cram_answers WHERE {_ORPHAN}",
        (f"DELETE FROM cram_answers WHERE {_ORPHAN}",),
    ),
    _Invariant(
        "cached HTML of cards that are gone",
        "delete it",
        f"SELECT count(*) FROM html_cache WHERE {_ORPHAN}",
        (f"DELETE FROM html_cache WHERE {_ORPHAN}",),
    ),
    _Invariant(
        "cards in no queue of their state",
        "put them in it",
        f"SELECT count(*) FROM cards WHERE queue NOT IN (state, {SUSPENDED})",
        (f"UPDATE cards SET queue = state WHERE queue NOT IN (state, {SUSPENDED})",),
    ),
    _Invariant(
        "cards whose schedule is not what their last answer left",
        "set it from the review log",
        f"SELECT count(*) FROM cards c JOIN reviews r ON r.id = ({_LAST_ANSWER})"
        f" WHERE {_ANSWER_LEFT}",
        (
            f"UPDATE cards AS c SET {_FROM_LOG}, queue = {_KEEP_SUSPENDED.format('r.after_state')}"
            f" FROM reviews r WHERE r.id = ({_LAST_ANSWER}) AND {_ANSWER_LEFT}",
        ),
    ),
    _Invariant(
        "cards never answered that are not new",
        "make them new, their text kept",
        f"SELECT count(*) FROM cards WHERE {_UNANSWERED}",
        (
            f"UPDATE cards SET {_AS_NEW}, queue = {_KEEP_SUSPENDED.format(int(CardState.NEW))}"
            f" WHERE {_UNANSWERED}",
        ),
    ),
)
