"""Deck presets: a malformed one is refused with its file and the setting at fault."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from studycards.errors import PresetError
from studycards.model import Scheduler
from studycards.sources.presets import load_preset, load_presets


def preset(tmp_path: Path, text: str, name: str = "deck.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_preset_is_read_with_sources_relative_to_its_folder(tmp_path):
    (tmp_path / "notes").mkdir()
    path = preset(
        tmp_path,
        'name = "Medicine :: Oncology"\nnew_per_day = 5\nreviews_per_day = 50\n'
        'learning_steps = "30s 5m 1h"\nrollover_hour = 0\nsources = ["notes"]\n',
    )
    settings = load_preset(path).settings
    assert settings.name == "Medicine::Oncology"
    assert (settings.new_per_day, settings.reviews_per_day, settings.rollover_hour) == (5, 50, 0)
    assert settings.learning_steps == (
        timedelta(seconds=30),
        timedelta(minutes=5),
        timedelta(hours=1),
    )
    assert settings.sources == (str((tmp_path / "notes").resolve()),)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name = "A"\nsources = [', "malformed TOML"),
        ('name = "A"\nsources = ["x"]\ncolour = "red"\n', "unknown setting(s): colour"),
        ('name = " :: "\nsources = ["x"]\n', "`name` is empty"),
        ('name = 3\nsources = ["x"]\n', "`name` must be a str, not 3"),
        ('name = "A"\n', "`sources` must be a non-empty list of paths"),
        ('name = "A"\nsources = "x"\n', "`sources` must be a list"),
        ('name = "A"\nsources = [1]\n', "`sources` must be a non-empty list of paths"),
        ('name = "A"\nsources = ["a\\u0000b"]\n', "NUL character"),
        ('name = "A"\nsources = ["x"]\nlearning_steps = "1m 10x"\n', "'10x' is not a number"),
        ('name = "A"\nsources = ["x"]\nlearning_steps = "3651d"\n', "longer than 3650d"),
        ('name = "A"\nsources = ["x"]\nnew_per_day = -1\n', "between 0 and 1000000, not -1"),
        ('name = "A"\nsources = ["x"]\nrollover_hour = 24\n', "between 0 and 23, not 24"),
        ('name = "A"\nsources = ["x"]\nreviews_per_day = true\n', "must be a int, not True"),
        ('name = "A"\nsources = ["x"]\nscheduler = "sm5"\n', '"sm2" or "fsrs", not \'sm5\''),
        ('name = "A"\nsources = ["x"]\ndesired_retention = 0.5\n', "between 0.7 and 0.99"),
        ('name = "A"\nsources = ["x"]\ndesired_retention = "high"\n', "not 'high'"),
        ('name = "A"\nsources = ["x"]\nmaximum_interval = 0\n', "between 1 and 36500, not 0"),
        ('name = "A"\nsources = ["x"]\nparameters = [1, "x"]\n', "a list of numbers"),
        ('name = "A"\nsources = ["x"]\nparameters = [1.0, 2.0]\n', "Expected 21 parameters"),
        ('name = "A"\nsources = ["x"]\nrelearning_steps = "1y"\n', "'1y' is not a number"),
        ('name = "A"\nsources = ["x"]\nrelearning_steps = "4000d"\n', "relearning step 4000d"),
    ],
)
def test_a_malformed_preset_names_its_file_and_the_setting(tmp_path, text, problem):
    path = preset(tmp_path, text)
    with pytest.raises(PresetError) as raised:
        load_preset(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert problem in str(raised.value)


def test_a_preset_that_is_no_utf8_is_refused(tmp_path):
    path = tmp_path / "deck.toml"
    path.write_bytes(b'name = "\xff"\n')
    with pytest.raises(PresetError, match="cannot be read"):
        load_preset(path)


def test_presets_load_by_file_name_and_one_bad_one_stops_the_rest(tmp_path):
    preset(tmp_path, 'name = "B"\nsources = ["x"]\n', "b.toml")
    preset(tmp_path, 'name = "A"\nsources = ["x"]\n', "a.toml")
    assert [p.settings.name for p in load_presets(tmp_path)] == ["A", "B"]
    preset(tmp_path, "name = ", "c.toml")
    with pytest.raises(PresetError, match=r"c\.toml: malformed TOML"):
        load_presets(tmp_path)


def test_an_fsrs_preset_is_read_and_one_without_weights_keeps_the_decks(tmp_path):
    weights = [0.3, 1.2, 2.3, 8.2, 6.4, 0.8, 3.0, 0.01, 1.8, 0.16, 0.79, 1.48, 0.06, 0.26, 1.64,
               0.6, 1.87, 0.54, 0.09, 0.06, 0.15]  # fmt: skip
    path = preset(
        tmp_path,
        'name = "A"\nsources = ["x"]\nscheduler = "FSRS"\ndesired_retention = 0.85\n'
        f'maximum_interval = 365\nrelearning_steps = "5m 1h"\nparameters = {weights}\n',
    )
    settings = load_preset(path).settings
    assert (settings.scheduler, settings.desired_retention, settings.maximum_interval) == (
        Scheduler.FSRS, 0.85, 365,
    )  # fmt: skip
    assert settings.relearning_steps == (timedelta(minutes=5), timedelta(hours=1))
    assert settings.parameters == tuple(weights)
    plain = load_preset(preset(tmp_path, 'name = "B"\nsources = ["x"]\n', "b.toml")).settings
    assert (plain.scheduler, plain.parameters) == (Scheduler.SM2, None)
