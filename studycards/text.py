"""Text from a user's files, made fit to show: plain functions, for the CLI and the TUI alike."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and C1: ESC starts colour, cursor, hyperlink (OSC 8) and
# clipboard (OSC 52) sequences, a bare CR overwrites what a line showed, C1's CSI is ESC [.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters (newline and tab kept): raw, they would command the
    terminal instead of showing, and Anki's field separator 0x1f would break a note. Imports
    strip them from card text; displays strip them again, as deck names and paths come from
    the file system."""
    if text.isprintable():  # the usual one-line field, at C speed
        return text
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def shorten(text: str, width: int = 200) -> str:
    """`text` cut to `width` characters, an ellipsis last: a message or a table cell that
    quotes a file stays readable."""
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(count: int, noun: str) -> str:
    """`1 deck`, `2 decks`: every summary counts things, in the CLI and the TUI alike."""
    return f"{count} {noun}{'s' * (count != 1)}"


def clipped(text: str, max_lines: int, max_chars: int) -> tuple[str, int | None]:
    """The start of `text` that is quick to render: at most `max_lines` lines and `max_chars`
    characters, with the number of lines kept, or None when the whole text fits."""
    head = text[:max_chars]
    cut = -1
    for _ in range(max_lines):
        cut = head.find("\n", cut + 1)
        if cut < 0:
            break
    else:
        head = head[:cut]
    if len(head) == len(text) or text[len(head) :].isspace():
        return text, None
    return head, head.count("\n") + 1
