"""Cards -> an Anki package (.apkg) with genanki.

Frozen, documented identities (Anki matches on them when a newer export is imported):
- MODEL_ID 1764010421 names the studycards note type with the fields Question, Answer, Source,
  Subject, Related and one template, "Card 1". Changing the fields or the template name under
  this id makes Anki report every note as conflicting and create a second note type: if they
  must ever change, change MODEL_ID too (and say so in the README).
- A deck's id is derived from its name; a note's GUID from the card's stable identity, so an
  import of a newer export updates the same notes instead of adding copies.
- Each note carries the time its text last changed in studycards as its modification time:
  Anki updates a note only when the package's is newer, so a re-export updates exactly the
  notes that changed and leaves the others (and edits made to them inside Anki) alone.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import genanki

from studycards.export.archive import write_zip
from studycards.export.html import anki_safe
from studycards.export.identity import note_guid
from studycards.model import deck_ancestors, tag_name
from studycards.text import printable

MODEL_ID = 1764010421
STUDYCARDS_TAG = "studycards"
FIELDS = ("Question", "Answer", "Source", "Subject", "Related")

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.5; text-align: left;
  color: #1d1d1f; background: #fbfbfa;
  max-width: 42em; margin: 0 auto; padding: 0.5em 1em;
}
.question { font-weight: 600; }
.question .context { font-weight: normal; font-size: 0.75em; color: #6e6e73; }
.lead { margin-top: 1.2em; font-size: 0.85em; color: #6e6e73; }
.answer { margin-top: 0.5em; }
.answer ol, .answer ul { padding-left: 1.4em; }
.answer li { margin: 0.25em 0; }
.answer code, .question code { font-size: 0.9em; padding: 0 0.2em; border-radius: 3px;
  background: rgba(127, 127, 127, 0.15); }
.answer img, .question img { max-width: 100%; height: auto; }
hr#answer { border: none; border-top: 1px solid rgba(127, 127, 127, 0.35); margin: 1em 0; }
.related { margin-top: 1.2em; font-size: 0.8em; color: #6e6e73; }
.related ul { margin: 0.2em 0; padding-left: 1.2em; }
.meta { margin-top: 1.2em; font-size: 0.7em; color: #8e8e93; }
.nightMode .card, .night_mode .card, .card.nightMode { color: #e8e8ed; background: #1c1c1e; }
.nightMode .related, .night_mode .related { color: #a1a1a6; }
.nightMode .context, .night_mode .context, .nightMode .lead, .night_mode .lead { color: #a1a1a6; }
.nightMode .meta, .night_mode .meta { color: #8e8e93; }
@media (max-width: 600px) { .card { font-size: 18px; padding: 0.3em 0.6em; } }
"""

MODEL = genanki.Model(
    MODEL_ID,
    "studycards",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {
            "name": "Card 1",
            "qfmt": '<div class="question">{{Question}}</div>',
            "afmt": (
                '<div class="question">{{Question}}</div>\n<hr id="answer">\n'
                '<div class="answer">{{Answer}}</div>\n'
                '{{#Related}}<div class="related">Related{{Related}}</div>{{/Related}}\n'
                '<div class="meta">{{Source}}{{#Subject}} · {{Subject}}{{/Subject}}</div>'
            ),
        }
    ],
    css=CSS,
    sort_field_index=0,
)


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One card, rendered: what the package holds for it."""

    key: str  # the card's stable identity
    deck: str
    question: str  # HTML
    answer: str  # HTML
    source: str  # plain text
    subject: str
    related: tuple[str, ...]  # titles, plain text
    tags: tuple[str, ...]
    modified: datetime  # when the card's text last changed


def deck_id(name: str) -> int:
    """A stable deck id from its name, in the range genanki and Anki use."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def _fields(note: AnkiNote) -> list[str]:
    """The note's fields; the question and answer come rendered by `render_card`, fit for Anki.
    The plain-text parts are escaped and made Anki-safe in one go, joined by NUL: printable()
    removes any NUL from them (their usual case, no control character at all, is checked at
    C speed)."""
    parts = (note.source, note.subject, *note.related)
    plain = parts if all(map(str.isprintable, parts)) else tuple(map(printable, parts))
    source, subject, *titles = anki_safe(html.escape("\0".join(plain))).split("\0")
    related = f"<ul><li>{'</li><li>'.join(titles)}</li></ul>" if titles else ""
    return [note.question, note.answer, source, subject, related]


# A note's rows, as genanki's Note.write_to_db writes them for a note of MODEL (a test holds
# them to genanki's own): built here, since genanki's objects for each note cost more than all
# the rest of a cached note's export. MODEL's one card needs a Question (genanki's MODEL._req).
# notes: id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data
_NOTE_SQL = "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)"
# cards: id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue,
# odid, flags, data
_CARD_SQL = "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
_BATCH = 500  # notes per executemany


class PackageWriter:
    """Builds an .apkg with genanki's schema, note type and decks, writing the notes into the
    package's database a batch at a time as they arrive, then zips it and renames it into
    place.

    genanki's own writer keeps every note in memory until the end and stores the zip
    uncompressed; this one deflates it at the fastest level, on every core (`archive`), which
    already takes 10k notes from about 39 MB to 6 MB (Anki reads both).

    Its scratch files (the package's database, some 25 MB for 10k notes, then the zip) are
    hidden files beside the output, not in the system's temporary folder: a SIGKILL that
    leaves one there leaves it where the user looks, and the next export to that folder
    removes it once it is a day old (a younger one may be another export's, still running).
    Every other exit removes them at once (`write`, else `close`).
    """

    def __init__(self, output: Path, now: datetime) -> None:
        self._output = output
        self._stamp = now.timestamp()  # the note type's time; each note carries its own
        self._ids = itertools.count(int(self._stamp * 1000))
        self.decks: dict[str, genanki.Deck] = {}
        self.notes = 0
        self._db_path = _scratch_file(output, ".anki2")
        try:
            # aged by the file system's clock (the new file's), as the leftovers' times are
            _remove_stale(output.parent, self._db_path.stat().st_mtime - _STALE_AFTER_S)
            self._conn = sqlite3.connect(self._db_path)
            # Notes of about 2 KB leave half of every 4 KB page empty; in 64 KB pages the file
            # is a third smaller, so there is less to write and to deflate.
            self._conn.execute("PRAGMA page_size=65536")
            # a scratch file that is zipped or deleted: no journal, no fsync
            self._conn.execute("PRAGMA journal_mode=OFF")
            self._conn.execute("PRAGMA synchronous=OFF")
            self._cursor = self._conn.cursor()
            genanki.Package([]).write_to_db(self._cursor, self._stamp, self._ids)  # schema, col
        except BaseException:
            self._db_path.unlink(missing_ok=True)
            raise
        self._notes: list[tuple[object, ...]] = []
        self._cards: list[tuple[object, ...]] = []

    def add(self, note: AnkiNote) -> None:
        """Write the note (in batches), its modification time its own, not the package's."""
        fields = _fields(note)
        modified = int(note.modified.timestamp())
        subject = (tag_name(note.subject),) if note.subject else ()
        tags = " ".join(dict.fromkeys((*note.tags, STUDYCARDS_TAG, *subject)))
        deck = self._deck(note.deck).deck_id
        note_id = next(self._ids)
        guid = note_guid(note.key)
        flds = "\x1f".join(fields)
        self._notes.append((note_id, guid, MODEL_ID, modified, -1, f" {tags} ", flds, fields[0],
                            0, 0, ""))  # fmt: skip
        if fields[0]:
            self._cards.append((next(self._ids), note_id, deck, 0, modified, -1, 0, 0, 0, 0, 0, 0,
                                0, 0, 0, 0, 0, ""))  # fmt: skip
        self.notes += 1
        if len(self._notes) == _BATCH:
            self._flush()

    def _flush(self) -> None:
        self._cursor.executemany(_NOTE_SQL, self._notes)
        self._cursor.executemany(_CARD_SQL, self._cards)
        self._notes.clear()
        self._cards.clear()

    def _deck(self, name: str) -> genanki.Deck:
        """The deck, its `Parent::` decks created too so that the hierarchy survives."""
        if name in self.decks:
            return self.decks[name]
        for prefix in deck_ancestors(name):
            if prefix not in self.decks:
                self.decks[prefix] = genanki.Deck(deck_id(prefix), prefix)
                self.decks[prefix].add_model(MODEL)
        return self.decks[name]

    def write(self, media: Sequence[tuple[Path, str]] = ()) -> int:
        """Finish the package at the output through a temporary file and a rename: never a
        truncated .apkg. `media` pairs a file with the name the cards use. Returns the size.

        The temporary file's name is unique, beside the output: two exports to one path at
        once each rename a whole package into place, never one zip written by both."""
        part = _scratch_file(self._output, ".part")
        try:
            self._flush()
            for deck in self.decks.values():  # deck and note type entries; notes are in
                deck.write_to_db(self._cursor, self._stamp, self._ids)
            self._conn.commit()
            self._conn.close()
            names = {str(index): name for index, (_, name) in enumerate(media)}
            write_zip(
                part,
                [
                    ("collection.anki2", self._db_path),
                    ("media", json.dumps(names).encode()),
                    *((str(index), path) for index, (path, _) in enumerate(media)),
                ],
            )
            part.replace(self._output)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        finally:
            self.close()
        return self._output.stat().st_size

    def close(self) -> None:
        """Drop the scratch database (after `write`, or instead of it)."""
        self._conn.close()
        self._db_path.unlink(missing_ok=True)


_STALE_AFTER_S = 24 * 3600  # no export takes a day: an older scratch file is a killed one's
# `.<package>.apkg.<8 random characters>.anki2` (or `.part`), and nothing else
_SCRATCH_NAME = re.compile(r"\..+\.(?i:apkg)\.[a-z0-9_]{8}\.(?:anki2|part)")


def _scratch_file(output: Path, suffix: str) -> Path:
    """A new, empty hidden file of a unique name beside `output`, its name made from it.

    Not `mkstemp`: its files are private (0600), and the package is renamed from this one; it
    gets the mode any new file of the user's gets (0644 under the usual umask), to be shared.
    """
    while True:
        path = output.with_name(f".{output.name}.{secrets.token_hex(4)}{suffix}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue  # one in 4 billion
        return path


def _remove_stale(folder: Path, before: float) -> None:
    """Remove the scratch files in `folder` last written before `before` (killed exports').
    Best effort: one that cannot be removed (another user's, say) does not fail this export."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # a folder this user may write in but not list
        return
    for entry in entries:
        if _SCRATCH_NAME.fullmatch(entry.name):
            with suppress(OSError):  # gone (another export's sweep was first), or not ours
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < before:
                    Path(entry.path).unlink()
