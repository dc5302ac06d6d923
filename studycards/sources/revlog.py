"""Review logs in the FSRS optimizer's CSV format, as Anki and fsrs-rs exchange them:
`card_id,review_time,review_rating,review_state,review_duration`; review_time in ms since the
epoch, rating 1-4 (Again..Easy), state 0 new, 1 learning, 2 review, 3 relearning.

The file is the user's: read with the csv module (no regular expressions), streamed, and any
row that cannot be read is an error naming its line. Rows whose rating is outside 1-4 (Anki's
manual entries, 0) are skipped and counted, as srs-benchmark drops them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from studycards.errors import RevlogError

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
REQUIRED = COLUMNS[:3]  # state and duration may be left empty: evaluation does not use them
RATINGS = range(1, 5)


@dataclass(frozen=True, slots=True)
class RevlogRow:
    """One review of the log."""

    card_id: int
    review_time: int  # ms since the epoch
    rating: int  # 1..4
    state: int | None


@dataclass(frozen=True, slots=True)
class Revlog:
    """The usable rows of a review log, in file order, and how many rows were skipped."""

    rows: list[RevlogRow]
    skipped: int


LATEST_MS = 253_402_041_600_000  # 9999-12-29 UTC: a date in every time zone, as Python's end


def read_revlog(path: Path) -> Revlog:
    """The reviews of the CSV file at `path`; `RevlogError` names the line of a bad row."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return _read(path, file)
    except UnicodeDecodeError as err:
        raise RevlogError(path, f"not UTF-8 text (byte {err.start} of a chunk)") from None
    except OSError as err:
        raise RevlogError(path, f"cannot be read: {err.strerror or err}") from None


def _read(path: Path, file: TextIO) -> Revlog:
    reader = csv.reader(file, strict=True)  # an unclosed quote is an error, not a merge
    try:
        header = next(reader, None)
        if header is None:
            raise RevlogError(path, f"empty file: a header {','.join(COLUMNS)} was expected")
        names = [name.strip() for name in header]
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise RevlogError(
                path,
                f"the header lacks {', '.join(missing)}: expected {','.join(COLUMNS)}",
                reader.line_num,
            )
        where = {name: names.index(name) for name in COLUMNS if name in names}
        rows: list[RevlogRow] = []
        skipped = 0
        for fields in reader:
            if not fields or fields == [""]:
                continue  # a blank line
            row = _row(path, reader.line_num, fields, where, len(names))
            if row is None:
                skipped += 1
            else:
                rows.append(row)
    except csv.Error as err:
        raise RevlogError(path, f"not valid CSV: {err}", reader.line_num) from None
    return Revlog(rows, skipped)


def _row(
    path: Path, line: int, fields: list[str], where: dict[str, int], width: int
) -> RevlogRow | None:
    """One row, or None for a rating outside 1-4."""
    if len(fields) != width:
        raise RevlogError(path, f"{len(fields)} fields where the header has {width}", line)
    values: dict[str, int | None] = {}
    for name, column in where.items():
        text = fields[column].strip()
        if not text and name not in REQUIRED:
            values[name] = None
            continue
        try:
            values[name] = int(text)
        except ValueError:
            shown = text if len(text) <= 40 else text[:39] + "…"
            raise RevlogError(path, f"{name} is not a whole number: {shown!r}", line) from None
    rating = values["review_rating"]
    if rating not in RATINGS:
        return None
    card_id, review_time = values["card_id"], values["review_time"]
    assert card_id is not None and review_time is not None and rating is not None
    if not 0 <= review_time <= LATEST_MS:
        raise RevlogError(
            path, f"review_time {review_time} is not a time (milliseconds since 1970)", line
        )
    return RevlogRow(card_id, review_time, rating, values.get("review_state"))
