"""Custom study: extra new cards, reviewing ahead, cards forgotten lately, a cram over a search
and cards chosen by id. Sessions that reschedule answer as a normal session does; a cram logs
its answers apart and leaves every schedule (and the review log) as it was."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from studycards.collection.card_actions import bury
from studycards.collection.importing import ImportTarget, import_sources
from studycards.collection.reviewing import StudySession, suspend
from studycards.collection.scheduling import reschedule
from studycards.errors import CardNotFoundError
from studycards.model import (
    Chosen,
    Cram,
    CustomStudy,
    DeckSettings,
    ExtraNew,
    Forgotten,
    Grade,
    ReviewAhead,
)
from studycards.store.db import writing
from studycards.store.reviews import answer_card
from tests.conftest import rows, study
from tests.test_cli import invoke

SCHEDULES = "SELECT * FROM cards ORDER BY id"


@pytest.fixture
def collection(db_path, seeds, now):
    """The seeds' 6 new cards in a deck that allows 2 new cards a day."""
    deck = DeckSettings("Oncology", new_per_day=2)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], now)
    return db_path


def session_cards(db_path, now, plan: CustomStudy | None) -> list[int]:
    """The ids a session shows, in order, answering each Good (a cram's Good ends a card)."""
    session = StudySession(db_path, None, now, plan)
    shown = []
    while (card := session.next_card(now)) is not None:
        shown.append(card.queued.id)
        session.answer(card.queued, Grade.EASY, now, 1000)
    session.close()
    return shown


def answer(db_path, card_id, grade, at) -> None:
    with writing(db_path) as session:
        answer_card(session, card_id, grade, at, 1000)


def test_extra_new_cards_go_beyond_the_daily_limit(collection, now):
    session = StudySession(collection, None, now, ExtraNew(3))
    assert session.queue.counts() == (5, 0, 0)
    session.close()
    assert len(session_cards(collection, now, ExtraNew(10))) == 6  # only 6 cards there are
    assert session_cards(collection, now, None) == []  # the day's limit is spent


def test_extra_new_counts_the_new_cards_answered_today(collection, now):
    study(collection, now, Grade.EASY)  # one of today's 2
    assert StudySession(collection, None, now, ExtraNew(1)).queue.counts() == (2, 0, 0)


def dues(db_path) -> set[int]:
    return {due for (due,) in rows(db_path, "SELECT due FROM cards")}


def test_review_ahead_answers_cards_early_growing_from_the_days_since(collection, now):
    session_cards(collection, now - timedelta(days=1), ExtraNew(4))  # Easy: due today
    session_cards(collection, now, None)  # Easy again: an interval of 6 days, ease 2.7
    assert dues(collection) == {now.date().toordinal() + 6}
    early = now + timedelta(days=2)
    assert session_cards(collection, early, ReviewAhead(5)) == [1, 2, 3, 4, 5, 6]
    # Easy (ease 2.8) 2 days after the last answer: 2 x 2.8 days, not 6 x 2.8
    assert dues(collection) == {early.date().toordinal() + 6}
    assert rows(collection, "SELECT count(*) FROM reviews") == [(18,)]


def test_sm2_takes_one_answer_a_day_however_often_a_card_is_shown(collection, now):
    session_cards(collection, now - timedelta(days=1), ExtraNew(4))
    session_cards(collection, now, None)  # due in 6 days
    before = rows(collection, "SELECT reps, ease, interval, due FROM cards")
    later = now + timedelta(minutes=10)
    for _ in range(3):  # shown again and again today: Easy each time
        assert len(session_cards(collection, later, ReviewAhead(7))) == 6
    assert rows(collection, "SELECT reps, ease, interval, due FROM cards") == before


def test_review_ahead_reaches_only_as_far_as_asked(collection, now):
    session_cards(collection, now, ExtraNew(4))  # due tomorrow
    answer(collection, 1, Grade.EASY, now + timedelta(days=1))  # then due 6 days after that
    ahead = now + timedelta(days=1, minutes=5)
    for days, ids in ((5, [2, 3, 4, 5, 6]), (6, [1, 2, 3, 4, 5, 6])):
        session = StudySession(collection, None, ahead, ReviewAhead(days))
        assert sorted(card.id for card in session.queue.reviews) == ids
        session.close()


def test_forgotten_crams_the_cards_answered_again_lately(collection, now):
    earlier = now - timedelta(days=3)
    answer(collection, 1, Grade.AGAIN, earlier)
    answer(collection, 2, Grade.AGAIN, now)
    answer(collection, 3, Grade.GOOD, now)
    assert sorted(session_cards(collection, now, Forgotten(1))) == [2]
    assert sorted(session_cards(collection, now, Forgotten(4))) == [1, 2]


def test_a_cram_moves_no_schedule_and_logs_apart(collection, now):
    study(collection, now, Grade.GOOD, Grade.AGAIN)
    before = rows(collection, SCHEDULES)
    reviews = rows(collection, "SELECT * FROM reviews")
    session = StudySession(collection, None, now, Cram("deck:oncology"))
    assert sum(session.queue.counts()) == 6
    first = session.next_card(now)
    assert first is not None and first.crammed
    assert set(first.outcomes.values()) == {first.queued.schedule}  # no button moves it
    session.answer(first.queued, Grade.AGAIN, now, 2000)  # back in a minute
    shown = [session.next_card(now).queued.id for _ in range(5)]
    assert first.queued.id not in shown
    session.close()
    assert rows(collection, SCHEDULES) == before
    assert rows(collection, "SELECT * FROM reviews") == reviews
    assert rows(collection, "SELECT card_id, grade, duration_ms FROM cram_answers") == [
        (first.queued.id, int(Grade.AGAIN), 2000)
    ]
    reschedule(collection)  # a replay of the log knows nothing of the cram
    assert rows(collection, SCHEDULES) == before


def test_a_cram_shows_again_and_hard_cards_again_later(collection, now):
    session = StudySession(collection, None, now, Cram("is:new"))
    card = session.next_card(now)
    assert card is not None
    session.answer(card.queued, Grade.HARD, now, 1000)
    for _ in range(5):  # the others, answered Good: done
        other = session.next_card(now)
        assert other is not None and other.queued.id != card.queued.id
        session.answer(other.queued, Grade.GOOD, now, 1000)
    again = session.next_card(now)  # only it is left: shown at once (learn ahead)
    assert again is not None and again.queued.id == card.queued.id
    session.answer(again.queued, Grade.GOOD, now, 1000)
    assert session.next_card(now) is None
    assert session.summary(now).reviewed == 7
    session.close()


def test_undo_takes_a_crammed_answer_back(collection, now):
    session = StudySession(collection, None, now, Cram("is:new"))
    card = session.next_card(now)
    assert card is not None
    session.answer(card.queued, Grade.GOOD, now, 1000)
    shown = session.undo(now)
    assert shown is not None and shown.queued.id == card.queued.id and shown.crammed
    assert rows(collection, "SELECT count(*) FROM cram_answers") == [(0,)]
    assert session.queue.counts() == (6, 0, 0)
    session.close()


def test_chosen_cards_leave_out_suspended_and_buried_ones(collection, now):
    session = StudySession(collection, None, now, Chosen((1, 2, 3, 4)))
    first, second = session.next_card(now), None
    assert first is not None
    session.suspend(first.queued)
    second = session.next_card(now)
    assert second is not None
    session.bury(second.queued, now)
    session.close()
    assert session_cards(collection, now, Chosen((1, 2, 3, 4, 99))) == [3, 4]
    assert rows(collection, "SELECT count(*) FROM reviews") == [(2,)]  # rescheduled: logged


def test_a_cram_of_one_deck_keeps_to_it(collection, tmp_path, now):
    other = tmp_path / "bio"
    other.mkdir()
    (other / "cells.md").write_text("# Cells\n\n## What is a cell?\n\nThe unit of life.\n")
    import_sources(collection, [ImportTarget((other,), "Bio", DeckSettings("Bio"))], now)
    for deck, new in (("Bio", 1), ("Oncology", 6), (None, 7)):
        session = StudySession(collection, deck, now, Cram("is:new"))
        assert session.queue.counts() == (new, 0, 0)
        session.close()


def test_pruning_a_card_takes_its_crammed_answers(collection, seeds, now):
    session = StudySession(collection, None, now, Cram("is:new"))
    card = session.next_card(now)
    session.answer(card.queued, Grade.GOOD, now, 1000)
    session.close()
    ((source,),) = rows(collection, "SELECT source FROM cards WHERE id = ?", card.queued.id)
    Path(source).unlink()
    summary = invoke(
        collection, now, "import", str(seeds), "--deck", "Oncology", "--prune", "--yes"
    )
    assert summary.exit_code == 0, summary.output
    assert rows(collection, "SELECT count(*) FROM cram_answers") == [(0,)]
    assert invoke(collection, now, "check").exit_code == 0


def test_the_cli_refuses_a_bad_query_and_two_sessions_at_once(collection, now):
    bad = invoke(collection, now, "review", "--cram", "tag:(")
    assert bad.exit_code == 1 and "error: bad search" in bad.output
    both = invoke(collection, now, "review", "--ahead", "2", "--extra-new", "5")
    assert both.exit_code == 1
    assert "choose one of --extra-new, --ahead, --forgotten and --cram" in both.output
    assert invoke(collection, now, "review", "--forgotten", "0").exit_code == 2


def test_a_session_holds_at_most_so_many_cards_the_soonest_due(collection, now, monkeypatch):
    monkeypatch.setattr("studycards.store.custom.MOST_CARDS", 2)
    session_cards(collection, now, ExtraNew(4))  # due tomorrow
    answer(collection, 1, Grade.EASY, now + timedelta(days=1))  # due 6 days later
    answer(collection, 2, Grade.EASY, now + timedelta(days=1))
    later = now + timedelta(days=1, minutes=5)
    for plan in (ReviewAhead(10), Cram("is:review"), Chosen((1, 2, 3, 4))):
        session = StudySession(collection, None, later, plan)
        assert sum(session.queue.counts()) == 2, plan
        if not isinstance(plan, Chosen):
            assert [card.id for card in session.queue.reviews] == [3, 4], plan
        session.close()


def test_undo_goes_back_so_many_steps_and_the_summary_counts_every_answer(
    collection, now, monkeypatch
):
    monkeypatch.setattr("studycards.collection.reviewing.UNDO_STEPS", 2)
    session = StudySession(collection, None, now, Cram("is:new"))
    for _ in range(3):
        card = session.next_card(now)
        session.answer(card.queued, Grade.GOOD, now, 1000)
    assert session.summary(now).reviewed == 3
    assert session.undo(now) is not None and session.undo(now) is not None
    assert session.undo(now) is None and not session.can_undo
    assert session.summary(now).reviewed == 1
    assert rows(collection, "SELECT count(*) FROM cram_answers") == [(1,)]
    session.close()


def hold_the_first_two(db_path, now) -> None:
    """Card 1 suspended, card 2 buried: the soonest of any session over chosen cards."""
    suspend(db_path, [1])
    bury(db_path, [2], now)


@pytest.mark.parametrize("plan", [ReviewAhead(1), Cram("is:review"), Forgotten(2)])
def test_cards_left_out_do_not_count_against_the_cap(collection, now, monkeypatch, plan):
    monkeypatch.setattr("studycards.store.custom.MOST_CARDS", 2)
    session_cards(collection, now - timedelta(days=2), ExtraNew(4))  # due yesterday
    if isinstance(plan, Forgotten):
        for card_id in range(1, 7):
            answer(collection, card_id, Grade.AGAIN, now - timedelta(days=1))
    hold_the_first_two(collection, now)
    session = StudySession(collection, None, now, plan)
    assert sorted(card.id for card in session.queue.reviews + session.queue.learning) == [3, 4]
    session.close()


def test_a_crammed_card_pruned_meanwhile_is_named(collection, now):
    session = StudySession(collection, None, now, Cram("is:new"))
    card = session.next_card(now)
    with sqlite3.connect(collection) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM cards WHERE id = ?", (card.queued.id,))
    with pytest.raises(CardNotFoundError):
        session.answer(card.queued, Grade.GOOD, now, 1000)
    session.close()


def test_the_cli_refuses_an_empty_cram(collection, now):
    empty = invoke(collection, now, "review", "--cram", "  ")
    assert empty.exit_code == 1 and "--cram needs a search" in empty.output
