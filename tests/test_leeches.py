"""Leeches: a card that lapses `leech_threshold` times is tagged `leech` and (by default)
suspended, as Anki does; undo takes that back, a re-import keeps the tag, search finds it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from studycards.collection.importing import ImportTarget, import_sources
from studycards.errors import PresetError
from studycards.model import DeckSettings, Grade, LeechAction
from studycards.scheduler.states import is_leech
from studycards.sources.presets import load_preset
from studycards.store.db import writing
from studycards.store.reviews import answer_card, undo_answer
from studycards.tui.app import make_app
from tests.conftest import rows, study
from tests.test_cli import invoke
from tests.tui.conftest import notes, settle

CARD = 1


def lapse_twice(db_path, seeds, now, action: LeechAction = LeechAction.SUSPEND) -> int:
    """A deck whose threshold is 2; its first card learnt, then failed twice in review. The
    id of the answer that made it a leech."""
    deck = DeckSettings("Oncology", leech_threshold=2, leech_action=action)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], now)
    moment = now
    for grades in ((Grade.EASY,), (Grade.AGAIN, Grade.GOOD), (Grade.AGAIN,)):
        moment += timedelta(days=30)
        for grade in grades:
            with writing(db_path) as session:
                log = answer_card(session, CARD, grade, moment, 3000)
    assert log.after.lapses == 2 and log.leech
    return log.id


def tags_and_queue(db_path) -> tuple[list[str], int]:
    ((tags, queue),) = rows(db_path, "SELECT tags, queue FROM cards WHERE id = ?", CARD)
    return tags.split(), queue


def test_the_threshold_then_every_half_threshold_more():
    assert [n for n in range(1, 20) if is_leech(n, 8)] == [8, 12, 16]
    assert [n for n in range(1, 6) if is_leech(n, 1)] == [1, 2, 3, 4, 5]


def test_a_card_that_keeps_lapsing_is_tagged_and_suspended(db_path, seeds, now):
    lapse_twice(db_path, seeds, now)
    tags, queue = tags_and_queue(db_path)
    assert "leech" in tags and queue == -1
    found = invoke(db_path, now, "cards", "--search", "is:leech")
    assert found.exit_code == 0 and f"\n│ {CARD} " in found.output.replace("┃", "│")


def test_leech_action_tag_leaves_it_in_the_reviews(db_path, seeds, now):
    lapse_twice(db_path, seeds, now, LeechAction.TAG)
    tags, queue = tags_and_queue(db_path)
    assert "leech" in tags and queue != -1


def test_undo_takes_the_leech_back(db_path, seeds, now):
    review_id = lapse_twice(db_path, seeds, now)
    with writing(db_path) as session:
        undo_answer(session, review_id)
    tags, queue = tags_and_queue(db_path)
    assert "leech" not in tags and queue == 2


def test_a_reimport_keeps_the_tag(db_path, seeds, now):
    lapse_twice(db_path, seeds, now)
    ((source,),) = rows(db_path, "SELECT source FROM cards WHERE id = ?", CARD)
    with Path(source).open("a", encoding="utf-8") as file:
        file.write("\nEdited.\n")
    deck = DeckSettings("Oncology", leech_threshold=2)
    summary = import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], now)
    assert summary.updated >= 1
    assert "leech" in tags_and_queue(db_path)[0]


async def test_the_review_screen_says_so(db_path, seeds, now):
    deck = DeckSettings("Oncology", leech_threshold=1)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], now - timedelta(days=9))
    study(db_path, now - timedelta(days=9), Grade.EASY, duration_ms=3000)
    app = make_app(db_path, lambda: now, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "1")
        await settle(pilot)
        (said,) = notes(app, "Leech")
        assert "tagged leech, and suspended" in said.message


def test_presets_name_the_threshold_and_the_action(tmp_path):
    path = tmp_path / "deck.toml"
    path.write_text('name = "A"\nsources = ["."]\nleech_threshold = 5\nleech_action = "tag"\n')
    settings = load_preset(path).settings
    assert (settings.leech_threshold, settings.leech_action) == (5, LeechAction.TAG)
    path.write_text('name = "A"\nsources = ["."]\nleech_action = "delete"\n')
    with pytest.raises(PresetError, match='`leech_action` must be "suspend" or "tag"'):
        load_preset(path)
