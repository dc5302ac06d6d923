"""Deck presets: one TOML file per deck in `decks/`, naming its settings and its sources.

name = "Oncology"          # Anki-style names nest: "Medicine::Oncology"
new_per_day = 20
reviews_per_day = 200
learning_steps = "1m 10m"
rollover_hour = 4
sources = ["../data"]      # relative to this file's folder
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from studycards.convert import deck_name
from studycards.errors import PresetError
from studycards.model import DeckSettings
from studycards.scheduler.day import format_steps, parse_steps
from studycards.text import printable

_KNOWN = {"name", "new_per_day", "reviews_per_day", "learning_steps", "rollover_hour", "sources"}
_LONGEST_STEP = timedelta(days=3650)  # a due date stays far inside what a datetime can hold


@dataclass(frozen=True, slots=True)
class Preset:
    settings: DeckSettings  # its sources among them, kept with the deck

    @property
    def sources(self) -> tuple[Path, ...]:
        return tuple(map(Path, self.settings.sources))


def load_presets(folder: Path) -> list[Preset]:
    """Every `*.toml` preset in `folder`, by file name."""
    return [load_preset(path) for path in sorted(folder.glob("*.toml"))]


def load_preset(path: Path) -> Preset:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise PresetError(path, f"cannot be read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise PresetError(path, f"malformed TOML: {err}") from None
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise PresetError(path, f"unknown setting(s): {', '.join(unknown)}")
    name = deck_name(printable(_get(path, data, "name", str, path.stem)))
    if not name:
        raise PresetError(path, "`name` is empty")
    defaults = DeckSettings(name)
    sources = _get(path, data, "sources", list, [])
    if not sources or not all(isinstance(source, str) for source in sources):
        raise PresetError(path, "`sources` must be a non-empty list of paths")
    if any("\0" in source for source in sources):
        raise PresetError(path, "`sources` holds a path with a NUL character")
    steps = _get(path, data, "learning_steps", str, "1m 10m")
    try:
        learning_steps = parse_steps(steps)
    except ValueError as err:
        raise PresetError(path, str(err)) from None
    if (step := max(learning_steps, default=_LONGEST_STEP)) > _LONGEST_STEP:
        longest, given = format_steps((_LONGEST_STEP,)), format_steps((step,))
        raise PresetError(path, f"learning step {given} is longer than {longest} (10 years)")
    settings = DeckSettings(
        name=name,
        new_per_day=_count(path, data, "new_per_day", defaults.new_per_day),
        reviews_per_day=_count(path, data, "reviews_per_day", defaults.reviews_per_day),
        learning_steps=learning_steps,
        rollover_hour=_count(path, data, "rollover_hour", defaults.rollover_hour, highest=23),
        sources=tuple(os.path.realpath(path.parent / source) for source in sources),
    )
    return Preset(settings)


def _get(path: Path, data: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PresetError(path, f"`{key}` must be a {kind.__name__}, not {value!r}")
    return value


def _count(path: Path, data: dict[str, Any], key: str, default: int, highest: int = 10**6) -> int:
    value: int = _get(path, data, key, int, default)
    if not 0 <= value <= highest:
        raise PresetError(path, f"`{key}` must be between 0 and {highest}, not {value}")
    return value
