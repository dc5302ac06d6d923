"""Paths -> the question files under them, with a note for everything left out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})


@dataclass(slots=True)
class Walk:
    """What a walk found: files to read, files skipped (not question files), paths missing,
    folders walked and those of them that held no question file.

    Files are canonical absolute path strings (`a/../b` and symlinks resolved), so that one
    file has one name whichever way it was reached (a link to what is no file keeps its own
    name, for the reader's error); a walk may list tens of thousands, and `Path` objects would
    cost more than reading the unchanged files does.
    """

    files: list[str] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    empty: list[Path] = field(default_factory=list)


def walk_sources(paths: list[Path]) -> Walk:
    """Question files under `paths`, recursively, in a stable order (a folder's own files, then
    its sub-folders by name); hidden entries and symlinked folders are not followed.

    A file named directly is read whatever its suffix, or kind: the user asked for it, and the
    reader says why a pipe or a device is no question file.
    """
    found = Walk()
    seen: set[str] = set()
    for given in paths:
        path = os.path.realpath(given)
        if os.path.isdir(path):
            found.folders.append(Path(path))
            if not _walk_folder(path, found, seen):
                found.empty.append(Path(path))
        elif os.path.isfile(path):
            _add(path, found, seen)
        elif os.path.lexists(given):  # a pipe, a device, a dangling link: named as given
            _add(os.path.abspath(given), found, seen)
        else:
            found.missing.append(given)
    return found


def _walk_folder(top: str, found: Walk, seen: set[str]) -> int:
    """Add the question files under `top` (a canonical folder); return how many it holds."""
    count = 0
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable folder: as os.walk, go on with the others
        subfolders: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
            elif entry.is_symlink() and entry.is_dir():
                continue  # a symlinked folder: not followed (it may lead anywhere, or loop)
            elif os.path.splitext(entry.name)[1].lower() not in SOURCE_SUFFIXES:
                found.skipped.append(Path(entry.path))
            else:
                count += 1
                linked = entry.is_symlink() and entry.is_file()  # a link to anything else
                file = os.path.realpath(entry.path) if linked else entry.path  # keeps its name
                _add(file, found, seen)
        folders += reversed(subfolders)
    return count


def _add(file: str, found: Walk, seen: set[str]) -> None:
    if file not in seen:
        seen.add(file)
        found.files.append(file)
