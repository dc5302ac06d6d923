"""The browser's actions in the library, on a real collection: bury, forget and set due date,
which replays (reschedule, refreshed memories, `anki pull`) make again, and which undo and
`check` respect."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studycards.collection.card_actions import bury, forget, set_due
from studycards.collection.importing import ImportTarget, import_sources
from studycards.collection.reviewing import StudySession
from studycards.collection.scheduling import refresh_memory, reschedule
from studycards.errors import CardNotFoundError, DueDaysError, StudycardsError
from studycards.model import CardState, DeckSettings, Grade, Scheduler
from studycards.scheduler.replay import replay
from studycards.store.cards import card_schedule
from studycards.store.db import opened
from studycards.store.decks import deck_tree
from studycards.store.manual import manual_changes
from studycards.store.reviews import answers_by_card, card_answers, logged_answers
from tests.conftest import rows, study
from tests.test_cli import invoke


@pytest.fixture
def collection(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], now)
    return db_path


def card_ids(db_path) -> list[int]:
    return [card_id for (card_id,) in rows(db_path, "SELECT id FROM cards ORDER BY id")]


def schedules(db_path) -> dict:
    with opened(db_path) as conn:
        return {card_id: card_schedule(conn, card_id) for card_id in card_ids(db_path)}


def all_answers(db_path, card_id: int) -> list:
    """A card's whole log, forgotten answers too."""
    with opened(db_path) as conn:
        return [logged.answer for logged in logged_answers(conn, [card_id])[card_id]]


def replayed(db_path) -> dict:
    """Every answered card's log replayed, its changes by hand with it."""
    with opened(db_path) as conn:
        decks = deck_tree(conn, None)
        deck_of = dict(conn.execute("SELECT id, deck_id FROM cards").fetchall())
        answered = answers_by_card(conn, list(decks))
        changes = manual_changes(conn, list(answered))
        return {
            card_id: replay(answers, decks[deck_of[card_id]], changes.get(card_id, []))
            for card_id, answers in answered.items()
        }


def test_bury_hides_cards_until_their_decks_next_day(collection, now):
    first, second, *_ = card_ids(collection)
    assert bury(collection, [first, second], now) == [first, second]
    assert bury(collection, [first], now) == []  # buried already
    tomorrow = (now.date() + timedelta(days=1)).toordinal()
    assert rows(collection, "SELECT DISTINCT buried_until FROM cards WHERE buried_until") == [
        (tomorrow,)
    ]
    with pytest.raises(CardNotFoundError):
        bury(collection, [10**9], now)


def test_forget_survives_a_reschedule_and_the_answers_after_it_start_from_new(collection, now):
    for days_ago in (30, 20):
        study(collection, now - timedelta(days=days_ago), *[Grade.GOOD] * 6)
    ids = card_ids(collection)
    assert forget(collection, ids[:2], now - timedelta(days=5)) == ids[:2]
    assert forget(collection, ids[:1], now - timedelta(days=5)) == []  # new already
    assert rows(collection, "SELECT count(*) FROM reviews") == [(12,)]  # history kept
    assert [schedules(collection)[card_id].state for card_id in ids[:3]] == [
        CardState.NEW, CardState.NEW, CardState.REVIEW
    ]  # fmt: skip
    assert invoke(collection, now, "check").exit_code == 0
    before = schedules(collection)
    assert reschedule(collection) == 6 and refresh_memory(collection) == 6
    assert schedules(collection) == before  # the forgets stand
    study(collection, now, *[Grade.GOOD] * 6)
    after = schedules(collection)
    fresh = replay(all_answers(collection, ids[0])[-1:], DeckSettings("Oncology"))
    assert after[ids[0]] == fresh  # one answer since the forget, from new
    assert replayed(collection) == {card_id: after[card_id] for card_id in ids}
    reschedule(collection)
    assert schedules(collection) == after
    assert invoke(collection, now, "check").exit_code == 0


def test_a_forgotten_cards_memory_starts_afresh(db_path, seeds, now):
    fsrs = DeckSettings("Oncology", scheduler=Scheduler.FSRS)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", fsrs)], now)
    (shown,) = study(db_path, now - timedelta(days=9), Grade.GOOD)
    card_id = shown.queued.id
    forget(db_path, [card_id], now - timedelta(days=5))
    set_due(db_path, [card_id], "0", now)  # in review with no memory: it is made again
    with opened(db_path) as conn:
        assert card_answers(conn, card_id) == []
        stored = card_schedule(conn, card_id)
    assert stored.memory is None and stored.state is CardState.REVIEW
    session = StudySession(db_path, None, now)
    card = session.next_card(now)
    assert card is not None and card.queued.id == card_id
    session.answer(card.queued, Grade.GOOD, now, 1000)
    session.close()
    memory = schedules(db_path)[card_id].memory
    with_history = replay(all_answers(db_path, card_id), fsrs)
    assert memory is not None and memory != with_history.memory
    assert invoke(db_path, now, "check").exit_code == 0


def test_set_due_survives_a_reschedule(collection, now):
    study(collection, now - timedelta(days=20), *[Grade.GOOD] * 6)
    ids = card_ids(collection)
    with pytest.raises(DueDaysError):
        set_due(collection, ids, "soon", now)
    assert set_due(collection, ids[:2], "10", now) == ids[:2]
    assert set_due(collection, ids[2:4], "3-7!", now) == ids[2:4]
    due = schedules(collection)
    today = now.date()
    assert due[ids[0]].due == today + timedelta(days=10) and due[ids[0]].sm2.interval == 1
    for card_id in ids[2:4]:
        days = (due[card_id].due - today).days
        assert 3 <= days <= 7 and due[card_id].sm2.interval == days
    assert reschedule(collection) == 6
    assert schedules(collection) == due
    assert invoke(collection, now, "check").exit_code == 0


def test_set_due_on_a_new_card_makes_it_a_review_card(collection, now):
    new = card_ids(collection)[0]
    set_due(collection, [new], "4", now)
    schedule = schedules(collection)[new]
    assert schedule.state is CardState.REVIEW and schedule.sm2.interval == 4
    assert rows(collection, "SELECT queue FROM cards WHERE id = ?", new) == [(2,)]
    assert reschedule(collection) == 0  # never answered: nothing to replay
    assert invoke(collection, now, "check").exit_code == 0


def test_undo_of_an_answer_changed_by_hand_since_is_refused(collection, now):
    session = StudySession(collection, None, now)
    card = session.next_card(now)
    assert card is not None
    session.answer(card.queued, Grade.GOOD, now, 1000)
    forget(collection, [card.queued.id], now + timedelta(seconds=1))
    with pytest.raises(StudycardsError, match="forgotten or given a due date since"):
        session.undo(now + timedelta(seconds=2))
    session.close()
    assert schedules(collection)[card.queued.id].state is CardState.NEW
    assert rows(collection, "SELECT count(*) FROM reviews") == [(1,)]
