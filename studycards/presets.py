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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from studycards.convert import deck_name
from studycards.errors import NoCollectionError, PresetError
from studycards.importer import ImportTarget
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


def presets_at_hand(folder: Path, collection: Path) -> list[Preset]:
    """The presets in `folder`; without that folder, those the collection's decks remember
    from their last import (by deck name), so that where the user runs an import from does
    not decide which deck a preset's file goes to."""
    if folder.is_dir():
        return load_presets(folder)
    from studycards.store.db import opened
    from studycards.store.queries import deck_settings

    try:
        with opened(collection) as conn:
            decks = deck_settings(conn)
    except NoCollectionError:
        return []
    return [Preset(settings) for _, settings in sorted(decks.items()) if settings.sources]


def import_targets(
    paths: Sequence[Path], presets: Sequence[Preset], deck: str | None = None
) -> list[ImportTarget]:
    """What an import puts where: `paths` (every preset's sources when none), into `deck`.

    Without `deck`, a file that a preset covers keeps the preset's deck and settings, even
    when imported by its own path (or a folder above it): importing `data` after the demo
    must not move the demo's cards out of their deck. When presets overlap, the first one
    (by file name) wins, as it does when every preset is imported.
    """
    if not paths:
        return [
            ImportTarget(p.sources, deck or p.settings.name, None if deck else p.settings)
            for p in presets
        ]
    if deck is not None:
        return [ImportTarget(tuple(paths), deck)]
    covered: list[ImportTarget] = []
    uncovered: list[Path] = []
    for path in paths:
        real = Path(os.path.realpath(path))  # never raises: a symlink loop fails in the walk
        parts = [
            (part, preset)
            for preset in presets
            for source in preset.sources
            if (part := _covered_part(path, real, source)) is not None
        ]
        covered += [ImportTarget((part,), p.settings.name, p.settings) for part, p in parts]
        if not any(part == path for part, _ in parts):
            uncovered.append(path)  # walked as well; the preset parts were claimed first
    return covered + ([ImportTarget(tuple(uncovered))] if uncovered else [])


def _covered_part(path: Path, real: Path, source: Path) -> Path | None:
    """The part of `path` (resolved: `real`) under a preset's `source`, spelt as the walk of
    `path` will spell its files: all of it, a source inside it, or None."""
    if real.is_relative_to(source):
        return path
    inside = source.relative_to(real) if source.is_relative_to(real) else None
    if inside is None or not source.exists() or any(p.startswith(".") for p in inside.parts):
        return None  # the walk of `path` would not reach it (missing, or in a hidden folder)
    return path.absolute() / inside


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
    value = _get(path, data, key, int, default)
    if not 0 <= value <= highest:
        raise PresetError(path, f"`{key}` must be between 0 and {highest}, not {value}")
    return value
