"""`studycards anki pull`: answers made in Anki's own engine (the `anki` package, standing in
for the phone) come back into studycards' logs once, and their cards are rescheduled by
replay; what is not a studycards answer is counted, never imported."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from studycards.collection.exporting import export_anki
from studycards.collection.importing import ImportTarget, import_sources
from studycards.model import CardState, DeckSettings, Scheduler
from studycards.scheduler.replay import replay
from studycards.store.cards import card_schedule
from studycards.store.db import opened
from studycards.store.decks import deck_tree
from studycards.store.reviews import answers_by_card
from tests.conftest import rows
from tests.test_cli import invoke


@pytest.fixture
def phone(db_path, seeds, now, tmp_path) -> Path:
    """An Anki collection holding studycards' export, three of its cards answered there
    (Good, Again, Easy), one note of Anki's own answered, one card's due date set by hand."""
    fsrs = DeckSettings("Oncology", scheduler=Scheduler.FSRS)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", fsrs)], now)
    export_anki(db_path, tmp_path / "deck.apkg", now)
    path = tmp_path / "phone" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(tmp_path / "deck.apkg"), options=ImportAnkiPackageOptions()
    ))  # fmt: skip
    deck_id = col.decks.id_for_name("Oncology")
    assert deck_id is not None
    col.decks.set_current(deck_id)
    for ease in (3, 1, 4):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, ease)
    own = col.new_note(col.models.by_name("Basic"))
    own["Front"], own["Back"] = "Anki's own?", "Yes"
    col.add_note(own, deck_id)
    card = col.get_card(own.card_ids()[0])
    card.start_timer()
    col.sched.answerCard(card, 3)
    untouched = next(cid for cid in col.find_cards("is:new") if cid not in own.card_ids())
    col.sched.set_due_date([untouched], "5")  # a manual rescheduling in Anki's log
    with_scheduling = ExportAnkiPackageOptions(with_scheduling=True)
    col.export_anki_package(
        out_path=str(tmp_path / "sched.apkg"), options=with_scheduling, limit=None
    )
    col.close()
    return path


def replayed_equals_stored(db_path) -> bool:
    with opened(db_path) as conn:
        decks = deck_tree(conn, None)
        deck_of = dict(conn.execute("SELECT id, deck_id FROM cards").fetchall())
        return all(
            replay(answers, decks[deck_of[card_id]]) == card_schedule(conn, card_id)
            for card_id, answers in answers_by_card(conn, list(decks)).items()
        )


def test_answers_made_in_anki_come_back_once_and_reschedule_their_cards(
    db_path, phone, now, tmp_path
):
    result = invoke(db_path, now, "anki", "pull", str(tmp_path / "sched.apkg"))
    assert result.exit_code == 0, result.output
    assert "answers added: 3, cards rescheduled: 3" in result.output
    assert "skipped 1 review to notes that are not studycards cards" in result.output
    assert "skipped 1 review manual reschedulings in Anki" in result.output
    assert rows(db_path, "SELECT grade FROM reviews ORDER BY reviewed_at") == [(4,), (1,), (5,)]
    states = rows(db_path, "SELECT state, count(*) FROM cards GROUP BY state ORDER BY state")
    assert states == [(CardState.NEW, 3), (CardState.LEARNING, 2), (CardState.REVIEW, 1)]
    assert replayed_equals_stored(db_path)
    assert invoke(db_path, now, "check").exit_code == 0

    again = invoke(db_path, now, "anki", "pull", str(phone))  # the same answers, another file
    assert again.exit_code == 0, again.output
    assert "answers added: 0, cards rescheduled: 0" in again.output
    assert "skipped 3 reviews pulled before" in again.output
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(3,)]


def test_pulled_answers_join_the_log_in_time_order_with_studycards_own(
    db_path, phone, now, tmp_path
):
    """An answer given in studycards after the phone's is replayed after it."""
    from datetime import timedelta

    from studycards.collection.reviewing import StudySession
    from studycards.model import Grade

    later = now + timedelta(days=400)  # after the phone's answers (made at the real time)
    session = StudySession(db_path, None, later)
    shown = session.next_card(later)
    assert shown is not None
    session.answer(shown.queued, Grade.GOOD, later, 1000)
    session.close()
    assert invoke(db_path, now, "anki", "pull", str(tmp_path / "sched.apkg")).exit_code == 0
    assert replayed_equals_stored(db_path)
    assert invoke(db_path, now, "check").exit_code == 0


@pytest.mark.parametrize("member", ["collection.anki21", "collection.anki2"])
def test_legacy_packages_and_profile_folders_are_read(db_path, phone, now, tmp_path, member):
    legacy = tmp_path / "legacy.colpkg"
    with zipfile.ZipFile(legacy, "w") as package:  # as older Anki versions wrote packages
        package.write(phone, member)
    result = invoke(db_path, now, "anki", "pull", str(legacy))
    assert "answers added: 3" in result.output, result.output

    profile = tmp_path / "profile"
    (profile / "backups").mkdir(parents=True)
    shutil.copy(legacy, profile / "backups" / "backup-1.colpkg")
    result = invoke(db_path, now, "anki", "pull", str(profile))
    assert "backup-1.colpkg: 5 reviews" in result.output, result.output
    assert "skipped 3 reviews pulled before" in result.output


def test_what_is_not_anki_says_so_and_changes_nothing(db_path, phone, now, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "broken.apkg").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (tmp_path / "other.apkg").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "empty.apkg", "w") as package:
        package.writestr("media", "{}")
    for name, problem in (
        ("notes.txt", "is neither an Anki package"),
        ("broken.apkg", "is neither an Anki package"),
        ("empty.apkg", "holds no Anki collection"),
        ("missing.apkg", "cannot be read"),
        ("phone", "is a folder without Anki backups"),
    ):
        result = invoke(db_path, now, "anki", "pull", str(tmp_path / name))
        assert result.exit_code == 1
        assert problem in result.stderr, (name, result.stderr)
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(0,)]
