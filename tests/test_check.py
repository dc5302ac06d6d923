"""`studycards check` and `--repair` on real collections broken in the ways a collection
breaks: a hand edit, rows left by a foreign-key-less tool, a damaged index, damaged pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studycards.store.rows import SCHEDULE_COLUMNS
from tests.conftest import rows
from tests.test_cli import invoke


@pytest.fixture
def collection(db_path, seeds, now) -> Path:
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    return db_path


def edit(db_path: Path, *statements: str) -> None:
    """Change the file as another tool would: foreign keys off, no studycards rules."""
    conn = sqlite3.connect(db_path)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def answer_one(db_path: Path, now) -> int:
    from studycards.collection.reviewing import StudySession
    from studycards.model import Grade

    session = StudySession(db_path, None, now)
    card = session.next_card(now)
    assert card is not None
    session.answer(card.queued, Grade.GOOD, now, 1000)
    session.close()
    return card.queued.id


def test_a_sound_collection_is_ok_and_check_writes_nothing(collection, now):
    before = collection.read_bytes()
    result = invoke(collection, now, "check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")
    assert collection.read_bytes() == before


def test_a_schedule_edited_by_hand_is_found_and_set_back_from_the_log(collection, now):
    card_id = answer_one(collection, now)
    [(interval,)] = rows(collection, "SELECT interval FROM cards WHERE id = ?", card_id)
    edit(collection, f"UPDATE cards SET interval = 99, ease = 9.9 WHERE id = {card_id}")
    found = invoke(collection, now, "check")
    assert found.exit_code == 1
    assert "not what their last answer left" in found.output and "--repair" in found.output
    assert rows(collection, "SELECT interval FROM cards WHERE id = ?", card_id) == [(99,)]

    repaired = invoke(collection, now, "check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "repaired:" in repaired.output
    assert rows(collection, "SELECT interval, ease FROM cards WHERE id = ?", card_id) == [
        (interval, 2.5)
    ]
    assert invoke(collection, now, "check").output.startswith("ok: ")


def test_unanswered_cards_out_of_place_become_new_again_and_stay_suspended(collection, now):
    edit(
        collection,
        "UPDATE cards SET state = 2, queue = 2, interval = 5, due = 1 WHERE id = 1",
        "UPDATE cards SET state = 2, queue = -1, interval = 5 WHERE id = 2",
        "UPDATE cards SET queue = 7 WHERE id = 3",
    )
    found = invoke(collection, now, "check")
    assert "found: cards never answered that are not new: 2 (--repair: make them new" in (
        found.output
    )
    assert "found: cards in no queue of their state: 1 (--repair: put them in it)" in found.output
    assert invoke(collection, now, "check", "--repair").exit_code == 0
    got = rows(collection, "SELECT id, state, queue, interval, due FROM cards WHERE id <= 3")
    assert got == [(1, 0, 0, 0, None), (2, 0, -1, 0, None), (3, 0, 0, 0, None)]


REVIEW_COLUMNS = [
    "reviewed_at", "day", "grade", "duration_ms",
    *(f"{when}_{name}" for when in ("before", "after") for name in SCHEDULE_COLUMNS),
]  # fmt: skip


def test_rows_of_gone_cards_and_cards_of_gone_decks_are_repaired_without_losing_cards(
    collection, now
):
    card_id = answer_one(collection, now)
    [(cards,)] = rows(collection, "SELECT count(*) FROM cards")
    edit(
        collection,
        "INSERT INTO html_cache VALUES (424242, 'h', 'f', 'b')",
        f"INSERT INTO reviews (id, card_id, {', '.join(REVIEW_COLUMNS)})"
        f" SELECT 999, 424242, {', '.join(REVIEW_COLUMNS)}"
        f" FROM reviews WHERE card_id = {card_id}",
        "UPDATE cards SET deck_id = 31337 WHERE id IN (1, 2)",
    )
    found = invoke(collection, now, "check")
    assert found.exit_code == 1
    assert "cards whose deck is gone: 2" in found.output
    assert "answers of cards that are gone: 1" in found.output
    assert "cached HTML of cards that are gone: 1" in found.output

    assert invoke(collection, now, "check", "--repair").exit_code == 0
    assert rows(collection, "SELECT count(*) FROM cards") == [(cards,)]
    assert rows(collection, "SELECT count(*) FROM reviews WHERE card_id = 424242") == [(0,)]
    assert rows(
        collection, "SELECT d.name FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = 1"
    ) == [("Recovered",)]
    assert invoke(collection, now, "check").output.startswith("ok: ")


def test_an_index_out_of_step_with_its_table_is_rebuilt(collection, now):
    """The source index made to hold fronts for new rows: only the index is wrong."""
    conn = sqlite3.connect(collection)
    conn.execute("PRAGMA writable_schema = ON")
    swap = "UPDATE sqlite_master SET sql = replace(sql, '(source)', '({})') WHERE name = ?"
    conn.execute(swap.format("front"), ("ix_cards_source",))
    conn.commit()
    conn.close()
    conn = sqlite3.connect(collection)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(cards)")]
    copied = ", ".join({"id": "1000", "key": "key || '#copy'"}.get(c, c) for c in columns)
    conn.execute(f"INSERT INTO cards SELECT {copied} FROM cards WHERE id = 1")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(swap.replace("'(source)', '({})'", "'(front)', '(source)'"), ("ix_cards_source",))
    conn.commit()
    conn.close()

    found = invoke(collection, now, "check")
    assert found.exit_code == 1 and "damaged pages" in found.output, found.output
    assert "ix_cards_source" in found.output and "--repair" in found.output
    repaired = invoke(collection, now, "check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert invoke(collection, now, "check").output.startswith("ok: ")


def damage_pages(db_path: Path) -> None:
    """Overwrite the pages of the cards table, past the schema page, with garbage."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    [(root,)] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cards'")
    [(page_size,)] = conn.execute("PRAGMA page_size")
    conn.close()
    with db_path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_damaged_pages_are_reported_with_a_way_out_and_every_command_says_run_check(
    collection, now, tmp_path
):
    damage_pages(collection)
    found = invoke(collection, now, "check", "--repair")
    assert found.exit_code == 1
    assert "not repairable here" in found.output and ".recover" in found.output
    for command in (["cards"], ["export", "-o", str(tmp_path / "x.apkg")]):  # read the table
        result = invoke(collection, now, *command)
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit), (command, result.exception)
        assert "run `studycards check`" in result.output, (command, result.output)
