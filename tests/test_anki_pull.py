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
        ("missing.apkg", "does not exist"),
        ("phone", "is a folder without Anki backups"),
    ):
        result = invoke(db_path, now, "anki", "pull", str(tmp_path / name))
        assert result.exit_code == 1
        assert problem in result.stderr, (name, result.stderr)
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(0,)]


def anki(phone: Path) -> Collection:
    return Collection(str(phone))


def answer_in_anki(col: Collection, card_id: int, ease: int) -> None:
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, ease)


def test_reverse_cards_and_filtered_previews_in_anki_are_not_answers(db_path, phone, now, tmp_path):
    """A template added to studycards' note type in Anki makes cards studycards does not have;
    a filtered deck that does not reschedule logs previews: neither moves a schedule."""
    col = anki(phone)
    preview = col.sched.get_or_create_filtered_deck(deck_id=0)  # type: ignore[arg-type]
    preview.name = "Preview"
    preview.config.reschedule = False
    preview.config.search_terms[0].search = "deck:Oncology is:new"
    preview_id = col.sched.add_or_update_filtered_deck(preview).id
    col.decks.set_current(preview_id)
    card = col.sched.getCard()
    assert card is not None
    col.sched.answerCard(card, 3)
    col.sched.empty_filtered_deck(preview_id)
    notetype = col.models.by_name("studycards")
    assert notetype is not None
    reverse = col.models.new_template("Reverse")
    reverse["qfmt"], reverse["afmt"] = "{{Answer}}", "{{Question}}"
    col.models.add_template(notetype, reverse)
    col.models.update_dict(notetype)
    answer_in_anki(col, col.find_cards("card:2")[0], 1)
    col.close()

    result = invoke(db_path, now, "anki", "pull", str(phone))
    assert result.exit_code == 0, result.output
    assert "answers added: 3, cards rescheduled: 3" in result.output  # the fixture's three
    assert "skipped 1 review to cards added to studycards' notes in Anki" in result.output
    assert "skipped 1 review previews in Anki's filtered decks" in result.output


def test_an_answer_given_during_a_pull_waits_and_is_kept(db_path, phone, now, monkeypatch):
    import threading
    import time
    from datetime import timedelta

    import studycards.collection.anki as pulling
    from studycards.collection.reviewing import StudySession
    from studycards.model import Grade

    replaying = threading.Event()

    def slow(answers, deck, changes):
        replaying.set()
        time.sleep(0.5)  # the pull holds the write lock meanwhile
        return replay_log(answers, deck, changes)

    from studycards.scheduler.replay import replay_log

    monkeypatch.setattr(pulling, "replay_log", slow)
    later = now + timedelta(days=500)
    session = StudySession(db_path, None, later)
    shown = session.next_card(later)
    assert shown is not None
    pull = threading.Thread(target=pulling.pull_from_anki, args=(db_path, phone))
    pull.start()
    assert replaying.wait(10)
    session.answer(shown.queued, Grade.EASY, later, 1000)  # waits for the pull's commit
    pull.join()
    session.close()
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(4,)]
    assert replayed_equals_stored(db_path)
    assert invoke(db_path, now, "check").exit_code == 0


def test_an_answer_with_a_later_one_pulled_from_anki_is_not_undone(db_path, phone, now):
    from datetime import timedelta

    from studycards.collection.reviewing import StudySession
    from studycards.errors import StudycardsError
    from studycards.model import Grade

    earlier = now - timedelta(days=3)  # before the phone's answers (made at the real time)
    session = StudySession(db_path, None, earlier)
    shown = session.next_card(earlier)
    assert shown is not None
    session.answer(shown.queued, Grade.GOOD, earlier, 1000)
    assert invoke(db_path, now, "anki", "pull", str(phone)).exit_code == 0
    with pytest.raises(StudycardsError, match="has an answer after this one"):
        session.undo(earlier)
    session.close()
    assert replayed_equals_stored(db_path)


def test_hostile_anki_files_are_refused_in_one_line(db_path, phone, now, tmp_path):
    import os

    import zstandard

    bomb = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(bomb, "w") as package:  # 70 MB of zeros in a few kilobytes
        package.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(
            bytes(70 * 2**20)))  # fmt: skip
    fifo = tmp_path / "fifo.apkg"
    os.mkfifo(fifo)
    view = tmp_path / "view.anki2"
    shutil.copy(phone, view)
    conn = __import__("sqlite3").connect(view)
    conn.create_collation("unicase", lambda a, b: (a > b) - (a < b))
    conn.executescript("ALTER TABLE revlog RENAME TO old; CREATE VIEW revlog AS SELECT * FROM old")
    conn.close()
    for path, problem in (
        (bomb, "unpacks to more than 64 MB"),
        (fifo, "is not a file"),
        (view, "no revlog table"),
    ):
        result = invoke(db_path, now, "anki", "pull", str(path))
        assert result.exit_code == 1, result.output
        assert problem in result.stderr, (path, result.stderr)
    assert not list(tmp_path.glob("studycards-anki-*"))


def test_rows_no_anki_writes_are_counted_and_side_files_never_made(db_path, phone, now, tmp_path):
    import sqlite3

    odd = tmp_path / "odd" / "collection.anki2"
    odd.parent.mkdir()
    shutil.copy(phone, odd)
    conn = sqlite3.connect(odd)
    with conn:
        conn.execute("INSERT INTO revlog VALUES (9223372036854775807, 1, -1, 3, 1, 0, 0, 1, 1)")
        conn.execute("INSERT INTO revlog VALUES (1700000000001, 1, -1, 3, 1, 0, 0, 'slow', 1)")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    before = sorted(path.name for path in odd.parent.iterdir())
    result = invoke(db_path, now, "anki", "pull", str(odd))
    assert result.exit_code == 0, result.output
    assert "skipped 2 reviews that no Anki writes" in result.output
    assert sorted(path.name for path in odd.parent.iterdir()) == before  # no -wal, no -shm

    Path(f"{odd}-wal").write_bytes(b"")  # as a running Anki leaves it
    result = invoke(db_path, now, "anki", "pull", str(odd))
    assert result.exit_code == 1
    assert "is open in Anki" in result.stderr


def test_forget_and_set_due_made_here_survive_a_pull(db_path, phone, now, tmp_path):
    """studycards forgot three cards and set the others due before the phone answered three
    of them: the pull replays those from the change on, the others keep the change."""
    from datetime import timedelta

    from studycards.collection.card_actions import forget, set_due
    from studycards.collection.scheduling import reschedule
    from studycards.model import Grade
    from studycards.store.manual import manual_changes
    from tests.conftest import study

    study(db_path, now - timedelta(days=30), *[Grade.EASY] * 6)
    ids = [card_id for (card_id,) in rows(db_path, "SELECT id FROM cards ORDER BY id")]
    assert len(forget(db_path, ids[:3], now - timedelta(days=1))) == 3
    assert len(set_due(db_path, ids[3:], "30", now - timedelta(days=1))) == 3
    with opened(db_path) as conn:
        changed = {card_id: card_schedule(conn, card_id) for card_id in ids}
    result = invoke(db_path, now, "anki", "pull", str(tmp_path / "sched.apkg"))
    assert "answers added: 3, cards rescheduled: 3" in result.output, result.output
    pulled = {card_id for (card_id,) in rows(
        db_path, "SELECT card_id FROM reviews WHERE anki_id IS NOT NULL"
    )}  # fmt: skip
    with opened(db_path) as conn:
        decks = deck_tree(conn, None)
        changes = manual_changes(conn, ids)
        for card_id, answers in answers_by_card(conn, list(decks)).items():
            deck = decks[conn.execute("SELECT deck_id FROM cards WHERE id = ?", (card_id,))
                         .fetchone()[0]]  # fmt: skip
            stored = card_schedule(conn, card_id)
            assert stored == replay(answers, deck, changes[card_id])
            if card_id in pulled:
                assert stored != replay(answers, deck)  # the change made here counted
            else:
                assert stored == changed[card_id]
    assert invoke(db_path, now, "check").exit_code == 0
    reschedule(db_path)
    with opened(db_path) as conn:
        assert all(
            card_schedule(conn, card_id) == replay(answers, decks[1], changes[card_id])
            for card_id, answers in answers_by_card(conn, list(decks)).items()
        )
