"""What an import puts where: the paths given (or every preset's sources) and the deck each
file goes to, presets included."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from studycards.collection.importing import ImportSummary, ImportTarget, import_sources
from studycards.errors import NoCollectionError, StudycardsError
from studycards.model import Progress
from studycards.sources.presets import Preset, load_presets
from studycards.text import plural


def plan_import(
    collection: Path, paths: Sequence[Path], presets_folder: Path, deck: str | None = None
) -> list[ImportTarget]:
    """The targets of `studycards import [PATH]... [--deck]`: the presets in `presets_folder`
    (else those the collection remembers) decide the deck of the files they cover."""
    found = presets_at_hand(presets_folder, collection)
    if not paths and not found:
        raise StudycardsError(
            f"nothing to import: give files or folders, or put deck presets in {presets_folder}/"
        )
    return import_targets(paths, found, deck)


def presets_at_hand(folder: Path, collection: Path) -> list[Preset]:
    """The presets in `folder`; without that folder, those the collection's decks remember
    from their last import (by deck name), so that where the user runs an import from does
    not decide which deck a preset's file goes to."""
    if folder.is_dir():
        return load_presets(folder)
    from studycards.store.db import opened
    from studycards.store.decks import deck_settings

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


def import_paths(
    collection: Path,
    paths: Sequence[Path],
    presets_folder: Path,
    now: datetime,
    *,
    deck: str | None = None,
    prune: bool = False,
    confirmed: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """`studycards import`: `paths` (or every preset's sources) into the collection, each file
    into the deck its preset (or `deck`) says. Finding no question file at all is an error."""
    targets = plan_import(collection, paths, presets_folder, deck)
    summary = import_sources(
        collection, targets, now, prune=prune, confirmed=confirmed, progress=progress
    )
    if not (summary.files or summary.failed or summary.stale):  # else the summary says it
        searched = ", ".join(str(path) for target in targets for path in target.paths)
        others = len(summary.skipped)
        skipped = f"; {plural(others, 'other file')} skipped" if others else ""
        raise StudycardsError(
            f"no question files found in {searched} (.md, .markdown or .txt{skipped})"
        )
    return summary
