"""FSRS decks in a real collection: a card's schedule is the replay of its log, previews are
what answering stores, a switch of scheduler keeps due dates until `reschedule`, and the
migration gives existing cards their memory from their answers."""

from __future__ import annotations

import math
import sqlite3
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studycards.collection.importing import ImportTarget, import_sources
from studycards.collection.reviewing import StudySession
from studycards.model import CardState, DeckSettings, Grade, Scheduler
from studycards.scheduler.replay import replay
from studycards.store.cards import card_schedule
from studycards.store.db import connect, opened
from studycards.store.decks import deck_tree
from studycards.store.reviews import answers_by_card
from tests.conftest import downgrade, rows
from tests.test_cli import invoke

FSRS = DeckSettings("Oncology", scheduler=Scheduler.FSRS, desired_retention=0.85)
SM2 = DeckSettings("Oncology")

# A study: for each of several days, the grades given to the cards as they come, minutes apart.
days_of_answers = st.lists(
    st.tuples(st.integers(1, 9), st.lists(st.sampled_from(list(Grade)), max_size=8)),
    min_size=1,
    max_size=5,
)


def study(db_path, start, plan) -> None:
    """Answer cards as a user would: sessions on the days of `plan`, cards as the queue gives."""
    day = start
    for gap, grades in plan:
        day += timedelta(days=gap)
        session = StudySession(db_path, None, day)
        moment = day
        for grade in grades:
            shown = session.next_card(moment)
            if shown is None:
                break
            session.answer(shown.queued, grade, moment, 3000)
            with opened(db_path) as conn:  # the button showed what answering stores
                assert card_schedule(conn, shown.queued.id) == shown.outcomes[grade]
            moment += timedelta(minutes=7)
        session.close()


def stored_and_replayed(db_path):
    with opened(db_path) as conn:
        decks = deck_tree(conn, None)
        deck_of = dict(conn.execute("SELECT id, deck_id FROM cards").fetchall())
        return [
            (card_schedule(conn, card_id), replay(answers, decks[deck_of[card_id]]))
            for card_id, answers in answers_by_card(conn, list(decks)).items()
        ]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(plan=days_of_answers, deck=st.sampled_from([FSRS, SM2]))
def test_replaying_any_cards_log_gives_exactly_its_stored_schedule(
    tmp_path_factory, seeds, now, plan, deck
):
    db_path = tmp_path_factory.mktemp("replay") / "collection.sqlite"
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], now)
    study(db_path, now, plan)
    for stored, replayed in stored_and_replayed(db_path):
        assert replayed == stored


def test_each_button_preview_is_what_answering_stores(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", FSRS)], now)
    study(db_path, now, [(0, [Grade.GOOD, Grade.EASY, Grade.GOOD])])
    for grade in Grade:
        moment = now + timedelta(days=30)
        session = StudySession(db_path, None, moment)
        shown = session.next_card(moment)
        assert shown is not None
        session.answer(shown.queued, grade, moment, 2000)
        with opened(db_path) as conn:
            assert card_schedule(conn, shown.queued.id) == shown.outcomes[grade]
        session.undo(moment)
        with opened(db_path) as conn:  # undo puts the memory back with the rest
            assert card_schedule(conn, shown.queued.id) == shown.queued.schedule
        session.close()


def test_a_switch_to_fsrs_keeps_due_dates_until_reschedule(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", SM2)], now)
    study(db_path, now, [(0, [Grade.GOOD] * 6), (1, [Grade.EASY] * 3 + [Grade.HARD] * 3)])
    due_before = rows(db_path, "SELECT id, due, interval FROM cards ORDER BY id")
    memory = rows(db_path, "SELECT count(*) FROM cards WHERE stability IS NOT NULL")
    assert memory == [(6,)]  # kept under SM-2 too

    import_sources(db_path, [ImportTarget((seeds,), "Oncology", FSRS)], now)
    assert rows(
        db_path, "SELECT scheduler, desired_retention FROM decks WHERE name = 'Oncology'"
    ) == [("fsrs", 0.85)]
    assert "│ FSRS " in invoke(db_path, now, "decks").output  # `decks` says which
    assert rows(db_path, "SELECT id, due, interval FROM cards ORDER BY id") == due_before

    result = invoke(db_path, now, "reschedule", "--deck", "oncology")
    assert result.exit_code == 0, result.output
    assert "rescheduled 6 cards from the review log" in result.output
    assert rows(db_path, "SELECT id, due, interval FROM cards ORDER BY id") != due_before
    for stored, replayed in stored_and_replayed(db_path):
        assert stored == replayed and stored.state is not CardState.NEW
    checked = invoke(db_path, now, "check")  # the log's last answers say the same
    assert checked.exit_code == 0, checked.output


def test_a_preset_naming_no_weights_keeps_those_the_deck_has(db_path, seeds, now):
    weights = tuple(round(w * 1.01, 4) for w in
                    (0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
                     0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
                     0.1542))  # fmt: skip
    with_weights = DeckSettings("Oncology", scheduler=Scheduler.FSRS, parameters=weights)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", with_weights)], now)
    unnamed = DeckSettings("Oncology", scheduler=Scheduler.FSRS, parameters=None)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", unnamed)], now)
    with opened(db_path) as conn:
        [deck] = deck_tree(conn, "Oncology").values()
    assert deck.parameters == weights


def test_cards_answered_before_the_migration_get_their_memory_from_their_answers(
    db_path, seeds, now
):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology")], now)
    study(db_path, now, [(0, [Grade.AGAIN, Grade.GOOD, Grade.GOOD]), (3, [Grade.HARD] * 3)])
    old = sqlite3.connect(db_path, isolation_level=None)
    downgrade(old, 5)
    old.close()

    connect(db_path).close()  # migration 6: no memory yet, and nothing else changed
    assert rows(db_path, "SELECT count(*) FROM cards WHERE stability IS NOT NULL") == [(0,)]
    assert invoke(db_path, now, "check").exit_code == 0
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", FSRS)], now)
    study(db_path, now, [(9, [Grade.GOOD] * 6)])  # previews checked against what is stored
    [(answered,)] = rows(db_path, "SELECT count(*) FROM cards WHERE stability IS NOT NULL")
    assert answered >= 3  # the cards due, under their SM-2 due dates
    for stored, replayed in stored_and_replayed(db_path):  # as if kept from the first answer
        assert stored.memory == replayed.memory  # (the rest: SM-2's answers, then FSRS's)


def test_a_learning_step_of_a_day_waits_for_that_day(db_path, seeds, now):
    """Anki's interday learning: Good on `10m 1d` steps shows the card again tomorrow, not at
    once (before, the session's learn-ahead brought it straight back)."""
    steps = DeckSettings("Oncology", scheduler=Scheduler.FSRS,
                         learning_steps=(timedelta(minutes=10), timedelta(days=1)))  # fmt: skip
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", steps)], now)
    session = StudySession(db_path, None, now)
    first = session.next_card(now)
    assert first is not None
    session.answer(first.queued, Grade.GOOD, now, 1000)  # on to the second step: 1 day
    shown = session.next_card(now + timedelta(minutes=11))
    while shown is not None:  # the other cards, graduated at once
        assert shown.queued.id != first.queued.id
        session.answer(shown.queued, Grade.EASY, now + timedelta(minutes=11), 1000)
        shown = session.next_card(now + timedelta(minutes=11))
    session.close()
    for moment, learning in ((now + timedelta(minutes=14), []), (now + timedelta(days=1),
                                                                  [first.queued.id])):  # fmt: skip
        session = StudySession(db_path, None, moment)
        assert [card.id for card in session.queue.learning] == learning
        assert session.queue.counts()[1] == len(learning)
        session.close()
    overview = invoke(db_path, now + timedelta(minutes=14), "decks")
    assert "0 learning" in overview.output or " 0 " in overview.output


def test_switching_back_to_sm2_carries_on_from_the_interval_and_e_factor(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", FSRS)], now)
    study(db_path, now, [(0, [Grade.EASY] * 6), (20, [Grade.GOOD] * 6)])  # two passes each
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", SM2)], now)
    with opened(db_path) as conn:
        card_id, due = conn.execute("SELECT id, due FROM cards ORDER BY due LIMIT 1").fetchone()
        before = card_schedule(conn, card_id)
    day = now + timedelta(days=due - now.date().toordinal())
    session = StudySession(db_path, "Oncology", day)
    shown = session.next_card(day)
    assert shown is not None and shown.queued.id == card_id
    session.answer(shown.queued, Grade.GOOD, day, 1000)
    session.close()
    with opened(db_path) as conn:
        after = card_schedule(conn, card_id)
    ease = before.sm2.ease  # Good (q=4) leaves SM-2's E-Factor as it is
    assert before.sm2.reps >= 2  # so SM-2's third interval and on: the last one times the EF
    assert (after.sm2.ease, after.sm2.interval) == (ease, math.ceil(before.sm2.interval * ease))
    assert after.memory is not None and after.memory != before.memory  # still kept up
