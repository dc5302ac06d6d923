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
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (path, why), not read


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
        if not _utf8(path):
            found.refused.append((_shown(path), _NOT_UTF8))
        elif os.path.isdir(path):
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
    """Add the question files under `top` (a canonical folder); return how many it holds.

    What a file name cannot be stored as (not UTF-8) or a link leads to outside `top` (say
    `/etc/shadow`, or a loop) is refused with the reason: a folder's files are the user's own,
    what they link to may not be.
    """
    count = 0
    folders = [top]
    inside = top.rstrip(os.sep) + os.sep
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
            question = os.path.splitext(entry.name)[1].lower() in SOURCE_SUFFIXES
            folder_too = entry.is_dir(follow_symlinks=False)
            if not _utf8(entry.path):
                if question or folder_too:
                    found.refused.append((_shown(entry.path), _NOT_UTF8))
            elif folder_too:
                subfolders.append(entry.path)
            elif not question:  # listed, but for a linked folder: never followed, nor a file
                if not (entry.is_symlink() and os.path.isdir(entry.path)):
                    found.skipped.append(Path(entry.path))
            elif entry.is_symlink():
                count += 1
                target = os.path.realpath(entry.path)  # a loop: a path that is no file
                if not target.startswith(inside):
                    why = f"a link to {target}, outside {top}: not followed (name it to import it)"
                    found.refused.append((Path(entry.path), why))
                elif os.path.isfile(target):
                    _add(target, found, seen)
                else:
                    found.refused.append((Path(entry.path), "a link that leads to no file"))
            else:
                count += 1
                _add(entry.path, found, seen)
        folders += reversed(subfolders)
    return count


_NOT_UTF8 = "its name is not UTF-8, which the collection cannot store: rename it"


def _utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept as lone surrogates
        return False
    return True


def _shown(path: str) -> Path:
    """A path that cannot be encoded, with its undecodable bytes shown as U+FFFD."""
    return Path(os.fsencode(path).decode("utf-8", "replace"))


def _add(file: str, found: Walk, seen: set[str]) -> None:
    if file not in seen:
        seen.add(file)
        found.files.append(file)
