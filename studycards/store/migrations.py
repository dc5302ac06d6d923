"""Ordered schema migrations. Migration N takes a collection from schema N-1 to N.

Each is frozen once released: later changes append a migration, never edit one, so a collection
written by any older studycards can be walked forward step by step. The runner (db.py) applies
them in one transaction and records the version in `PRAGMA user_version`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def _create_tables(conn: sqlite3.Connection) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE decks (
            id INTEGER NOT NULL PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            new_per_day INTEGER NOT NULL,
            reviews_per_day INTEGER NOT NULL,
            learning_steps VARCHAR NOT NULL,
            rollover_hour INTEGER NOT NULL
        );
        CREATE TABLE sources (
            path VARCHAR NOT NULL PRIMARY KEY,
            digest VARCHAR NOT NULL,
            cards INTEGER NOT NULL,
            imported_at INTEGER NOT NULL
        );
        CREATE TABLE cards (
            id INTEGER NOT NULL PRIMARY KEY,
            "key" VARCHAR NOT NULL UNIQUE,
            deck_id INTEGER NOT NULL REFERENCES decks (id),
            front VARCHAR NOT NULL,
            back VARCHAR NOT NULL,
            context VARCHAR NOT NULL,
            subject VARCHAR NOT NULL,
            tags VARCHAR NOT NULL,
            url VARCHAR NOT NULL,
            date VARCHAR NOT NULL,
            related VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            content_hash VARCHAR NOT NULL,
            created_at INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            state INTEGER NOT NULL,
            reps INTEGER NOT NULL,
            ease FLOAT NOT NULL,
            interval INTEGER NOT NULL,
            due INTEGER,
            step INTEGER NOT NULL,
            redrill_at INTEGER,
            last_day INTEGER,
            lapses INTEGER NOT NULL,
            queue INTEGER NOT NULL,
            buried_until INTEGER
        );
        CREATE INDEX ix_cards_source ON cards (source);
        CREATE INDEX ix_cards_deck_queue_due ON cards (deck_id, queue, due, buried_until);
        CREATE TABLE reviews (
            id INTEGER NOT NULL PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
            reviewed_at INTEGER NOT NULL,
            day INTEGER NOT NULL,
            grade INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            before_state INTEGER NOT NULL,
            before_reps INTEGER NOT NULL,
            before_ease FLOAT NOT NULL,
            before_interval INTEGER NOT NULL,
            before_due INTEGER,
            before_step INTEGER NOT NULL,
            before_redrill_at INTEGER,
            before_last_day INTEGER,
            before_lapses INTEGER NOT NULL,
            after_state INTEGER NOT NULL,
            after_reps INTEGER NOT NULL,
            after_ease FLOAT NOT NULL,
            after_interval INTEGER NOT NULL,
            after_due INTEGER,
            after_step INTEGER NOT NULL,
            after_redrill_at INTEGER,
            after_last_day INTEGER,
            after_lapses INTEGER NOT NULL
        );
        CREATE INDEX ix_reviews_day ON reviews (day);
        CREATE TABLE html_cache (
            card_id INTEGER NOT NULL PRIMARY KEY REFERENCES cards (id) ON DELETE CASCADE,
            content_hash VARCHAR NOT NULL,
            front VARCHAR NOT NULL,
            back VARCHAR NOT NULL
        );
        CREATE INDEX ix_reviews_card_id ON reviews (card_id);
        """,
    )


def _run_statements(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL inside the caller's transaction (executescript would commit it first)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _add_card_titles(conn: sqlite3.Connection) -> None:
    """Cards keep their article's title. Stored sources lose their digests so that the next
    import reads every file again and fills the titles in; the HTML cache goes, as exported
    cards now carry the title and the lead."""
    _run_statements(
        conn,
        """
        ALTER TABLE cards ADD COLUMN title VARCHAR NOT NULL DEFAULT '';
        UPDATE sources SET digest = '';
        DELETE FROM html_cache;
        """,
    )


def _resolve_source_paths(conn: sqlite3.Connection) -> None:
    """Files are known by their real path (symlinks and `..` resolved) since imports resolve
    them; a path stored in another spelling is rewritten, or its file would come back as a
    second file holding copies of its own cards."""
    paths = {path for (path,) in conn.execute("SELECT path FROM sources")}
    paths |= {path for (path,) in conn.execute("SELECT DISTINCT source FROM cards")}
    renamed = {path: real for path in paths if (real := os.path.realpath(path)) != path}
    taken = paths - set(renamed)
    for old, new in renamed.items():
        conn.execute("UPDATE cards SET source = ? WHERE source = ?", (new, old))
        if new in taken:  # both spellings were stored: the real one's record stands
            conn.execute("DELETE FROM sources WHERE path = ?", (old,))
        else:
            conn.execute("UPDATE sources SET path = ? WHERE path = ?", (new, old))
            taken.add(new)


def _add_preset_sources(conn: sqlite3.Connection) -> None:
    """A preset's deck remembers the preset's sources: an import run where the presets folder
    is not at hand still leaves their files in the preset's deck."""
    conn.execute("ALTER TABLE decks ADD COLUMN sources VARCHAR NOT NULL DEFAULT '[]'")


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # frozen with the migration
_CARD_TEXT = ("front", "back", "context", "subject", "tags", "url", "date", "title")


def _strip_control_characters(conn: sqlite3.Connection) -> None:
    """Imports drop control characters from card text; cards imported before keep none either,
    so that nothing stored can command a terminal or break an Anki package (0x1f)."""
    conn.create_function("has_controls", 1, lambda text: bool(_CONTROLS.search(text)))
    conn.create_function("without_controls", 1, lambda text: _CONTROLS.sub("", text))
    conn.execute(
        "UPDATE cards SET "
        + ", ".join(f"{column} = without_controls({column})" for column in _CARD_TEXT)
        + " WHERE "
        + " OR ".join(f"has_controls({column})" for column in _CARD_TEXT)
    )


def _add_fsrs(conn: sqlite3.Connection) -> None:
    """Decks choose their scheduler; cards and answers carry FSRS's memory; the queue index
    covers `redrill_at`, as a learning step may end on a later day. An answered card's
    memory stays NULL here (a fold over a million answers would stall this first start for
    seconds): its next answer computes it from the card's own answers."""
    _run_statements(
        conn,
        """
        ALTER TABLE decks ADD COLUMN scheduler VARCHAR NOT NULL DEFAULT 'sm2';
        ALTER TABLE decks ADD COLUMN desired_retention FLOAT NOT NULL DEFAULT 0.9;
        ALTER TABLE decks ADD COLUMN maximum_interval INTEGER NOT NULL DEFAULT 36500;
        ALTER TABLE decks ADD COLUMN parameters VARCHAR NOT NULL DEFAULT '[]';
        ALTER TABLE decks ADD COLUMN relearning_steps VARCHAR NOT NULL DEFAULT '10m';
        ALTER TABLE cards ADD COLUMN stability FLOAT;
        ALTER TABLE cards ADD COLUMN difficulty FLOAT;
        ALTER TABLE reviews ADD COLUMN before_stability FLOAT;
        ALTER TABLE reviews ADD COLUMN before_difficulty FLOAT;
        ALTER TABLE reviews ADD COLUMN after_stability FLOAT;
        ALTER TABLE reviews ADD COLUMN after_difficulty FLOAT;
        DROP INDEX ix_cards_deck_queue_due;
        CREATE INDEX ix_cards_deck_queue_due
            ON cards (deck_id, queue, due, buried_until, redrill_at);
        """,
    )


def _add_anki_review_ids(conn: sqlite3.Connection) -> None:
    """Answers pulled from Anki keep Anki's review id: a second pull of the same reviews adds
    nothing."""
    _run_statements(
        conn,
        """
        ALTER TABLE reviews ADD COLUMN anki_id INTEGER;
        CREATE UNIQUE INDEX ix_reviews_anki_id ON reviews (anki_id);
        """,
    )


# What search finds a card by, as the full-text index `card_search` holds it: a card's text,
# its deck's name and its file's name (the path after its last `/`).
_SEARCHED = ("front", "back", "tags", "deck", "file")


def _searched(card: str, deck: str) -> str:
    """The indexed values of the card row `card` in its deck named by the expression `deck`."""
    path = f"{card}.source"
    file = f"replace({path}, rtrim({path}, replace({path}, '/', '')), '')"
    return f"{card}.front, {card}.back, {card}.tags, {deck}, {file}"


def _reindex(deck: str, old: str, new: str) -> str:
    """Statements of a trigger on `decks` that index the cards of deck `deck` under the name
    `new` instead of `old` (the index must be told exactly what it held to forget it)."""
    return f"""
        INSERT INTO card_search(card_search, rowid, {", ".join(_SEARCHED)})
            SELECT 'delete', c.id, {_searched("c", old)} FROM cards c WHERE c.deck_id = {deck};
        INSERT INTO card_search(rowid, {", ".join(_SEARCHED)})
            SELECT c.id, {_searched("c", new)} FROM cards c WHERE c.deck_id = {deck};
    """


def _add_card_search(conn: sqlite3.Connection) -> None:
    """Search: an FTS5 index of what a card is found by. It holds no copy of the text (its
    content is the view `card_search_text`); triggers on `cards` and `decks` keep it in step
    with every write, whichever connection makes it. Words are Unicode-aware, case and accents
    folded (`unicode61 remove_diacritics 2`): a search word matches any word it begins. And
    the index `ix_cards_browse` of what searches filter by (and the stats count)."""
    columns = ", ".join(_SEARCHED)
    deck_of = "(SELECT name FROM decks WHERE id = {card}.deck_id)"
    forget = f"""
        INSERT INTO card_search(card_search, rowid, {columns})
            VALUES ('delete', old.id, {_searched("old", deck_of.format(card="old"))});"""
    index = f"""
        INSERT INTO card_search(rowid, {columns})
            VALUES (new.id, {_searched("new", deck_of.format(card="new"))});"""
    statements = (
        f"""CREATE VIEW card_search_text(id, {columns}) AS SELECT c.id, {_searched("c", "d.name")}
            FROM cards c LEFT JOIN decks d ON d.id = c.deck_id""",
        f"""CREATE VIRTUAL TABLE card_search USING fts5({columns}, content='card_search_text',
            content_rowid='id', columnsize=0, tokenize='unicode61 remove_diacritics 2')""",
        f"CREATE TRIGGER card_search_insert AFTER INSERT ON cards BEGIN {index} END",
        f"CREATE TRIGGER card_search_delete AFTER DELETE ON cards BEGIN {forget} END",
        f"""CREATE TRIGGER card_search_update AFTER UPDATE OF front, back, tags, deck_id, source
            ON cards BEGIN {forget} {index} END""",
        f"""CREATE TRIGGER card_search_deck_insert AFTER INSERT ON decks
            BEGIN {_reindex("new.id", "NULL", "new.name")} END""",
        f"""CREATE TRIGGER card_search_deck_rename AFTER UPDATE OF name ON decks
            WHEN old.name IS NOT new.name BEGIN {_reindex("old.id", "old.name", "new.name")} END""",
        f"""CREATE TRIGGER card_search_deck_delete AFTER DELETE ON decks
            BEGIN {_reindex("old.id", "old.name", "NULL")} END""",
        "INSERT INTO card_search(card_search) VALUES ('rebuild')",
        # what searches filter, order and list cards by, their text aside: a search reads this
        # index, not the table's rows, long answers and all (a walk of 100,000 costs ~70 ms)
        """CREATE INDEX ix_cards_browse ON cards (deck_id, due, queue, state, interval, ease,
            reps, lapses, buried_until, redrill_at, tags, last_day, stability, difficulty)""",
    )
    for statement in statements:  # one at a time: a trigger's body holds semicolons
        conn.execute(statement)


def _add_stats_indexes(conn: sqlite3.Connection) -> None:
    """What the stats read of the log, indexed so that they never read its rows: an answer's
    `tally` (its kind, interval class and Again, computed by SQLite) by study day, and by card
    (a deck's stats walk its cards' answers; the index still serves whatever looked answers up
    by card). (What they read of the cards, `ix_cards_browse` of migration 8 covers.)"""
    _run_statements(
        conn,
        """
        ALTER TABLE reviews ADD COLUMN tally INTEGER GENERATED ALWAYS AS (
            (CASE before_state WHEN 0 THEN 0 WHEN 2 THEN 2
             ELSE iif(before_lapses > 0, 3, 1) END) * 8
            + (before_interval >= 1) * 4 + (before_interval >= 21) * 2 + (grade = 1)
        ) VIRTUAL;
        CREATE INDEX ix_reviews_day_tally ON reviews (day, tally, duration_ms, card_id);
        DROP INDEX ix_reviews_card_id;
        CREATE INDEX ix_reviews_card_day_tally ON reviews (card_id, day, tally, duration_ms);
        """,
    )


def _add_leech_settings(conn: sqlite3.Connection) -> None:
    """Decks say when a card is a leech and whether it is then suspended."""
    _run_statements(
        conn,
        """
        ALTER TABLE decks ADD COLUMN leech_threshold INTEGER NOT NULL DEFAULT 8;
        ALTER TABLE decks ADD COLUMN leech_action VARCHAR NOT NULL DEFAULT 'suspend';
        """,
    )


def _add_cram_answers(conn: sqlite3.Connection) -> None:
    """A cram's answers, in a table of their own: they move no schedule."""
    _run_statements(
        conn,
        """
        CREATE TABLE cram_answers (
            id INTEGER NOT NULL PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
            reviewed_at INTEGER NOT NULL,
            day INTEGER NOT NULL,
            grade INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL
        );
        CREATE INDEX ix_cram_answers_card_id ON cram_answers (card_id);
        """,
    )


def _add_manual_changes(conn: sqlite3.Connection) -> None:
    """Schedules set by hand (forget, set due date) are logged beside the answers, so that a
    replay of a card's log (reschedule, a pull, a sync) makes them again where they were made.
    `days` NULL is a forget, else the due date's days after the study day `day`."""
    _run_statements(
        conn,
        """
        CREATE TABLE manual_changes (
            id INTEGER NOT NULL PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
            made_at INTEGER NOT NULL,
            day INTEGER NOT NULL,
            days INTEGER,
            reset_interval BOOLEAN NOT NULL
        );
        CREATE INDEX ix_manual_changes_card ON manual_changes (card_id, made_at);
        """,
    )


MIGRATIONS: tuple[Migration, ...] = (
    _create_tables,
    _add_card_titles,
    _resolve_source_paths,
    _add_preset_sources,
    _strip_control_characters,
    _add_fsrs,
    _add_anki_review_ids,
    _add_card_search,
    _add_stats_indexes,
    _add_leech_settings,
    _add_cram_answers,
    _add_manual_changes,
)
