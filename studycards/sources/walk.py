"""Paths -> the question files under them, with a note for everything left out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})


@dataclass(slots=True)
class Walk:
    """What a walk found: files to read, files skipped (not question files), paths missing.

    Files are absolute path strings: a walk may list tens of thousands, and `Path` objects
    would cost more than reading the unchanged files does.
    """

    files: list[str] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)


def walk_sources(paths: list[Path]) -> Walk:
    """Question files under `paths`, recursively, in a stable order; hidden folders are ignored.

    A file named directly is read whatever its suffix: the user asked for it.
    """
    found = Walk()
    seen: set[str] = set()
    for given in paths:
        path = given.absolute()
        if path.is_dir():
            found.folders.append(path)
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    file = os.path.join(root, name)
                    if os.path.splitext(name)[1].lower() not in SOURCE_SUFFIXES:
                        found.skipped.append(Path(file))
                    elif file not in seen:
                        seen.add(file)
                        found.files.append(file)
        elif path.is_file():
            if str(path) not in seen:
                seen.add(str(path))
                found.files.append(str(path))
        else:
            found.missing.append(given)
    return found
