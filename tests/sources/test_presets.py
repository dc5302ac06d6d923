"""Deck presets: a malformed one is refused with its file and the setting at fault."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from studycards.errors import PresetError
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
