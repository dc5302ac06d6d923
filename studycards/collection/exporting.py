"""The collection -> an Anki package: choose cards, render Markdown once (cached by content),
gather local images on request, write the .apkg atomically."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from datetime import datetime
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from studycards.errors import ExportError
from studycards.export.html import image_sources_in_html, render_card
from studycards.model import Progress, tag_name
from studycards.store.db import connect, opened
from studycards.store.decks import deck_tree
from studycards.store.html_cache import cache_html, card_markdown, export_rows
from studycards.store.rows import ExportRow, from_ms

# Rendered here, not by a pool of processes: pyromark renders 10,000 cards in some 60 ms,
# less than a pool's workers take to start; then cached a chunk at a time.
_RENDER_CHUNK = 200


@dataclass(slots=True)
class ExportSummary:
    path: Path
    notes: int = 0
    decks: int = 0
    size: int = 0
    media: int = 0
    rendered: int = 0  # cards whose HTML was rendered now (the others' came from the cache)
    warnings: list[str] = field(default_factory=list)


def export_anki(
    db_path: Path,
    output: Path,
    now: datetime,
    *,
    deck: str | None = None,
    tag: str | None = None,
    force: bool = False,
    with_media: bool = False,
    progress: Progress | None = None,
) -> ExportSummary:
    """Export `deck` (and its children; every deck for None) to `output` as an .apkg."""
    output = package_path(output)
    _check_output(output, force)
    with opened(db_path) as conn:
        decks = deck_tree(conn, deck)
        rows = export_rows(conn, list(decks))
    if tag is not None:
        wanted = tag_name(tag).casefold()  # spelt as tags are stored: `a b` is `a_b`
        rows = [row for row in rows if wanted in row.tags.casefold().split()]
    if not rows:
        what = f"deck {deck!r}" if deck else "the collection"
        raise ExportError(
            f"nothing to export: {what} has no cards" + (f" tagged {tag!r}" if tag else "")
        )
    report = progress or (lambda done, total: None)
    summary = ExportSummary(output)
    media: dict[Path, str] = {}
    try:
        with ExitStack() as stack:
            from studycards.export.anki import AnkiNote, PackageWriter

            package = stack.enter_context(closing(PackageWriter(output, now)))
            cache = stack.enter_context(_HtmlCache(db_path, summary))
            for row, front, back in _with_html(rows, cache, report):
                if with_media:
                    front, back = (
                        _pack_images(row, part, media, summary.warnings) for part in (front, back)
                    )
                package.add(
                    AnkiNote(
                        key=row.key,
                        deck=decks[row.deck_id].name,
                        question=front,
                        answer=back,
                        source=os.path.basename(row.source),  # noqa: PTH119 (10k times)
                        subject=row.subject,
                        related=tuple([title for _, title in json.loads(row.related)]),
                        tags=tuple(row.tags.split()),
                        modified=from_ms(row.modified_at) or now,
                    )
                )
            summary.size = package.write(list(media.items()))
    except OSError as err:
        raise _unwritable(output, err) from None
    summary.notes, summary.decks, summary.media = package.notes, len(package.decks), len(media)
    return summary


def package_path(output: Path) -> Path:
    """`output` with `.apkg` added unless it ends in it: Anki opens only `.apkg` packages, so
    `-o notes` or `-o notes.v2` mean `notes.apkg` and `notes.v2.apkg`. A folder stays as it is
    (and is refused). A name the system refuses (too long, say) is an `ExportError`."""
    try:
        if output.name.lower().endswith(".apkg") or output.is_dir():
            return output
    except OSError as err:
        raise _unwritable(output, err) from None
    return output.with_name(f"{output.name}.apkg")


def output_exists(output: Path) -> bool:
    """Whether something is at `output` already; a name the system refuses is an
    `ExportError`."""
    try:
        return output.exists()
    except OSError as err:
        raise _unwritable(output, err) from None


def _check_output(output: Path, force: bool) -> None:
    try:
        if output.is_dir():
            raise ExportError(f"{output} is a folder; name the .apkg file to write")
        if output.is_symlink() or (output.exists() and not output.is_file()):
            # the rename would replace the link or the device (/dev/null as root), not write
            # through it: refused, whatever --force says
            raise ExportError(f"{output} is a link or a device, not a file: name another path")
        if output.exists() and not force:
            raise ExportError(f"{output} already exists; use --force to overwrite it")
        folder = output.parent
        if not folder.is_dir():
            raise ExportError(f"cannot write {output}: folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise ExportError(f"cannot write {output}: folder {folder} is not writable")
    except OSError as err:
        raise _unwritable(output, err) from None


def _unwritable(output: Path, err: OSError) -> ExportError:
    return ExportError(f"cannot write {output}: {err.strerror or err}")


def _cached_html(row: ExportRow) -> tuple[str, str] | None:
    """The cached (front, back) HTML if it is of the card's text as it is now."""
    front, back = row.html_front, row.html_back  # NULL without a cache row
    if row.html_hash != row.content_hash or front is None or back is None:
        return None
    return front, back


def _with_html(
    rows: list[ExportRow], cache: _HtmlCache, report: Progress
) -> Iterator[tuple[ExportRow, str, str]]:
    """Every card with its HTML: first those whose cached HTML is of their text as it is now,
    then the others, rendered a chunk at a time (and handed to the cache)."""
    stale = []
    for row in rows:
        html = _cached_html(row)
        if html is None:
            stale.append(row)
        else:
            yield row, *html
    done = len(rows) - len(stale)
    report(done, len(rows))
    if not stale:
        return
    with opened(cache.db_path) as reader:  # the Markdown of only the cards to render
        for start in range(0, len(stale), _RENDER_CHUNK):
            chunk = stale[start : start + _RENDER_CHUNK]
            texts = card_markdown(reader, [row.id for row in chunk])
            rendered = [render_card(card) for card in texts]
            cache.keep(
                [
                    (row.id, row.content_hash, *html)
                    for row, html in zip(chunk, rendered, strict=True)
                ]
            )
            for row, (front, back) in zip(chunk, rendered, strict=True):
                yield row, front, back
            done += len(chunk)
            report(done, len(rows))


class _HtmlCache:
    """Writes fresh HTML back a chunk at a time, on a thread of its own: SQLite writes without
    holding the GIL, so this runs beside the rendering and the packaging. A busy collection
    only costs the next export its speed-up, never this export."""

    def __init__(self, db_path: Path, summary: ExportSummary) -> None:
        self.db_path, self._summary = db_path, summary
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="html-cache")
        self._conn: sqlite3.Connection | None = None
        self._failed = False

    def keep(self, rendered: list[tuple[int, str, str, str]]) -> None:
        self._summary.rendered += len(rendered)
        self._thread.submit(self._write, rendered)

    def _write(self, rendered: list[tuple[int, str, str, str]]) -> None:
        if self._failed:
            return  # do not retry (and warn) for every chunk
        try:
            self._conn = self._conn or connect(self.db_path)
            cache_html(self._conn, rendered)
        except sqlite3.OperationalError as err:
            self._failed = True
            self._summary.warnings.append(f"rendered HTML not cached ({err}); the export is fine")

    def __enter__(self) -> _HtmlCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        if self._conn is not None:
            self._conn.close()


def _pack_images(row: ExportRow, html: str, media: dict[Path, str], warnings: list[str]) -> str:
    """Point the card's local images at packed media files; leave out what is not shareable.

    Only files inside the question file's own folder (and below) are packed: a deck is shared,
    so absolute paths, `..` escapes, symlinks leading out and URLs stay out, with a warning.
    """
    folder = Path(row.source).parent.resolve()
    for src in image_sources_in_html(html):
        target = unquote(unescape(src))  # Markdown percent-encodes spaces and non-ASCII
        card = f"card #{row.id} ({Path(row.source).name})"
        if urlsplit(target).scheme or target.startswith("//"):
            warnings.append(f"{card}: image {target} is a URL, not packed")
            continue
        if Path(target).is_absolute():
            warnings.append(f"{card}: image {target} is an absolute path, not packed")
            continue
        path = (folder / target).resolve()
        if not path.is_relative_to(folder):
            warnings.append(
                f"{card}: image {target} lies outside the question file's folder, not packed"
            )
            continue
        if not path.is_file():
            warnings.append(f"{card}: image {target} not found, not packed")
            continue
        name = media.setdefault(path, f"{len(media):04d}-{path.name}")
        # Anki finds media by the plain file name, not a URL: no percent-encoding
        html = html.replace(f'src="{src}"', f'src="{escape(name)}"')
    return html
