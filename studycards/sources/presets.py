"""Deck presets: one TOML file per deck in `decks/`, naming its settings and its sources.

name = "Oncology"          # Anki-style names nest: "Medicine::Oncology"
new_per_day = 20
reviews_per_day = 200
learning_steps = "1m 10m"
rollover_hour = 4
sources = ["../data"]      # relative to this file's folder
scheduler = "fsrs"         # or "sm2" (the default)
desired_retention = 0.9    # FSRS: the chance of recall each review is timed for, 0.70-0.99
maximum_interval = 36500   # days, under either scheduler
parameters = [0.212, ...]  # FSRS's 21 weights; left out: the library's, or what `optimize` fitted
relearning_steps = "10m"   # FSRS: the steps after a lapse
leech_threshold = 8        # lapses that make a card a leech, tagged `leech` (again every 4 more)
leech_action = "suspend"   # or "tag": a leech stays in the reviews, tagged
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
from studycards.model import DeckSettings, LeechAction, Scheduler
from studycards.scheduler.day import format_steps, parse_steps
from studycards.scheduler.fsrs import parameter_problem
from studycards.text import printable

_KNOWN = {
    "name", "new_per_day", "reviews_per_day", "learning_steps", "rollover_hour", "sources",
    "scheduler", "desired_retention", "maximum_interval", "parameters", "relearning_steps",
    "leech_threshold", "leech_action",
}  # fmt: skip
_RETENTIONS = (0.70, 0.99)
_LONGEST_INTERVAL = 36500  # days: a hundred years, Anki's own ceiling
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
    settings = DeckSettings(
        name=name,
        new_per_day=_count(path, data, "new_per_day", defaults.new_per_day),
        reviews_per_day=_count(path, data, "reviews_per_day", defaults.reviews_per_day),
        learning_steps=_steps(path, data, "learning_steps", defaults.learning_steps),
        rollover_hour=_count(path, data, "rollover_hour", defaults.rollover_hour, highest=23),
        sources=tuple(os.path.realpath(path.parent / source) for source in sources),
        scheduler=_scheduler(path, data),
        desired_retention=_retention(path, data, defaults.desired_retention),
        maximum_interval=_count(
            path, data, "maximum_interval", defaults.maximum_interval, 1, _LONGEST_INTERVAL
        ),
        parameters=_parameters(path, data),
        relearning_steps=_steps(path, data, "relearning_steps", defaults.relearning_steps),
        leech_threshold=_count(path, data, "leech_threshold", defaults.leech_threshold, 1, 99),
        leech_action=_leech_action(path, data),
    )
    return Preset(settings)


def _leech_action(path: Path, data: dict[str, Any]) -> LeechAction:
    value = _get(path, data, "leech_action", str, LeechAction.SUSPEND.value)
    try:
        return LeechAction(value)
    except ValueError:
        raise PresetError(
            path, f'`leech_action` must be "suspend" or "tag", not {value!r}'
        ) from None


def _get(path: Path, data: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PresetError(path, f"`{key}` must be a {kind.__name__}, not {value!r}")
    return value


def _count(
    path: Path,
    data: dict[str, Any],
    key: str,
    default: int,
    lowest: int = 0,
    highest: int = 10**6,
) -> int:
    value: int = _get(path, data, key, int, default)
    if not lowest <= value <= highest:
        raise PresetError(path, f"`{key}` must be between {lowest} and {highest}, not {value}")
    return value


def _steps(
    path: Path, data: dict[str, Any], key: str, default: tuple[timedelta, ...]
) -> tuple[timedelta, ...]:
    try:
        steps = parse_steps(_get(path, data, key, str, format_steps(default)))
    except ValueError as err:
        raise PresetError(path, str(err)) from None
    if (step := max(steps, default=_LONGEST_STEP)) > _LONGEST_STEP:
        longest, given = format_steps((_LONGEST_STEP,)), format_steps((step,))
        raise PresetError(path, f"{key.replace('_', ' ')[:-1]} {given} is longer than {longest}"
                                " (10 years)")  # fmt: skip
    return steps


def _scheduler(path: Path, data: dict[str, Any]) -> Scheduler:
    name: str = _get(path, data, "scheduler", str, Scheduler.SM2.value)
    try:
        return Scheduler(name.strip().lower())
    except ValueError:
        raise PresetError(path, f'`scheduler` must be "sm2" or "fsrs", not {name!r}') from None


def _retention(path: Path, data: dict[str, Any], default: float) -> float:
    value = data.get("desired_retention", default)
    low, high = _RETENTIONS
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise PresetError(
            path, f"`desired_retention` must be between {low} and {high}, not {value!r}"
        )
    return float(value)


def _parameters(path: Path, data: dict[str, Any]) -> tuple[float, ...] | None:
    """The preset's FSRS weights; None when it names none (a deck then keeps what it has)."""
    if "parameters" not in data:
        return None
    value = data["parameters"]
    if not isinstance(value, list) or not all(
        isinstance(weight, int | float) and not isinstance(weight, bool) for weight in value
    ):
        raise PresetError(path, f"`parameters` must be a list of numbers, not {value!r}")
    weights = tuple(map(float, value))
    if weights and (problem := parameter_problem(weights)):
        raise PresetError(path, f"`parameters`: {problem}")
    return weights
