"""How the CLI shows results: rich tables, a progress bar, summaries. No logic of its own.

Whatever comes from a user's files (card text, deck names, paths, error messages quoting them)
goes to rich as `Text` or escaped, and through `printable`: never markup, never a terminal
command. Emoji codes are off for the same reason (`:smile:` in a card is text).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text

from studycards.model import (
    CardListing,
    CardState,
    DeckCounts,
    Evaluation,
    Finding,
    Optimization,
    Scheduler,
    Score,
)
from studycards.model import Progress as ProgressReport
from studycards.text import plural, printable, shorten

if TYPE_CHECKING:
    from studycards.collection.anki import PullSummary
    from studycards.collection.exporting import ExportSummary
    from studycards.collection.importing import ImportSummary
    from studycards.collection.reviewing import Released
    from studycards.collection.syncing import FullSync, SyncSummary

# Messages are never wrapped: a failure, a path or a stale card stays one line to grep for.
out = Console(highlight=False, emoji=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def _data(value: object) -> str:
    """A value from a user's files, ready to sit inside markup as the text it is."""
    return escape(printable(str(value)))


def print_error(problem: object) -> None:
    """One `error:` line on stderr."""
    err.print(f"[bold red]error:[/] {_data(problem)}")


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressReport]:
    """A progress bar on stderr, fed (done, total); silent when stderr is not a terminal."""
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task("import", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance


def print_import_summary(summary: ImportSummary, collection: Path) -> None:
    out.print(
        f"cards: [green]{summary.new} new[/], [cyan]{summary.updated} updated[/], "
        f"{summary.unchanged} unchanged"
        + (f"; [red]{plural(len(summary.failed), 'file')} failed[/]" if summary.failed else "")
    )
    read = summary.files - summary.files_unchanged
    out.print(
        f"files: {summary.files} found, {read} read, {summary.files_unchanged} unchanged"
        f" (skipped), {plural(len(summary.skipped), 'not question file')}",
        style="dim",
    )
    out.print(f"collection: {_data(collection)}", style="dim")
    for path in summary.skipped:
        out.print(f"  skipped {_data(path)} (not .md, .markdown or .txt)", style="dim")
    for problem in summary.failed:
        err.print(f"[bold red]failed:[/] {_data(problem)}")
    if summary.stale:
        cards = plural(len(summary.stale), "card")
        reviews = plural(summary.stale_reviews, "review")
        their = "its" if len(summary.stale) == 1 else "their"
        if summary.pruned:
            fate = f"deleted, with {their} {reviews}"
        elif summary.prune_held:
            fate = "kept: --prune waits for --yes"
        else:
            fate = f"kept; --prune deletes {cards} and {reviews}"
        out.print(f"[yellow]{cards} no longer in {their} source ({fate}):[/]")
        for card in summary.stale:
            out.print(f"  #{card.id} {_data(_short(card.front))}  [dim]{_data(card.source)}[/]")
        for doubt in summary.prune_held:
            err.print(f"[bold red]not pruned:[/] {_data(doubt)}")
        if summary.prune_held:
            err.print(f"Run again with --prune --yes to delete {cards} and {reviews}.")


def print_export_summary(summary: ExportSummary) -> None:
    for warning in summary.warnings:
        err.print(f"[yellow]warning:[/] {_data(warning)}")
    media = f", {plural(summary.media, 'media file')}" if summary.media else ""
    out.print(
        f"Exported {plural(summary.notes, 'note')} in {plural(summary.decks, 'deck')}{media}"
        f" to {_data(summary.path)}"
        f" ({file_size(summary.size)})",
    )


def file_size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def print_pull_summary(summary: PullSummary) -> None:
    """What `anki pull` brought in, and what it left out and why."""
    out.print(f"read {_data(summary.source)}: {plural(summary.read, 'review')}")
    if not summary.read:
        out.print('export from Anki with its scheduling ("Include scheduling information")')
    out.print(f"answers added: {summary.added}, cards rescheduled: {summary.rescheduled}")
    left = [
        (summary.already, "pulled before"),
        (summary.unknown, "to notes that are not studycards cards"),
        (summary.other_cards, "to cards added to studycards' notes in Anki"),
        (summary.previews, "previews in Anki's filtered decks, which do not reschedule"),
        (summary.manual, "manual reschedulings in Anki, not answers"),
        (summary.unreadable, "that no Anki writes (a time out of range, text for a number)"),
    ]
    for count, why in left:
        if count:
            out.print(f"skipped {plural(count, 'review')} {why}", style="dim")


class SyncSteps:
    """A sync's steps on stderr: one spinner line on a terminal, else a line each."""

    def __init__(self) -> None:
        self._status = err.status("") if err.is_terminal else None

    def __call__(self, step: str) -> None:
        if self._status is None:
            err.print(f"{_data(step)}…", style="dim")
        else:
            self._status.update(f"{_data(step)}…")
            self._status.start()

    def pause(self) -> None:
        if self._status is not None:
            self._status.stop()


@contextmanager
def sync_progress() -> Iterator[SyncSteps]:
    steps = SyncSteps()
    try:
        yield steps
    finally:
        steps.pause()


def confirm_full_sync(full: FullSync, steps: SyncSteps) -> bool:
    """Say which side a full sync replaces and ask; without a terminal to ask on, refuse."""
    import sys

    import typer

    from studycards.collection.syncing import full_sync_question

    steps.pause()
    err.print(_data(full_sync_question(full)))
    if not sys.stdin.isatty():
        err.print("Run again with --yes to agree.")
        return False
    return typer.confirm("Go on?", err=True)


def print_sync_summary(summary: SyncSummary) -> None:
    out.print(_data(summary.line()))


def print_released(released: Released, done: str, held: str) -> None:
    """What `unsuspend` / `unbury` did, card by card."""
    if released.done:
        ids = " ".join(f"#{card_id}" for card_id in released.done)
        out.print(f"{done} {plural(len(released.done), 'card')}: {ids}")
    else:
        out.print(f"no card was {held}")
    if released.not_held:
        out.print(f"not {held}: {' '.join(f'#{card_id}' for card_id in released.not_held)}")


def print_decks(decks: list[DeckCounts]) -> None:
    if not decks:
        out.print("No decks yet: `studycards import PATH` turns question files into cards.")
        return
    table = Table("Deck", "Cards", "New", "Learning", "Due today", "Scheduler")
    for deck in decks:
        table.add_row(
            Text(printable(deck.label)),
            str(deck.cards),
            f"[blue]{deck.new}[/]" if deck.new else "0",
            f"[red]{deck.learning}[/]" if deck.learning else "0",
            f"[green]{deck.due}[/]" if deck.due else "0",
            _SCHEDULER_NAMES[deck.scheduler],
        )
    out.print(table)


_SCHEDULER_NAMES = {Scheduler.SM2: "SM-2", Scheduler.FSRS: "FSRS"}
_STATE_NAMES = {CardState.NEW: "new", CardState.LEARNING: "re-drill", CardState.REVIEW: "review"}


def print_cards(cards: list[CardListing]) -> None:
    if not cards:
        out.print("No cards.")
        return
    table = Table("ID", "Deck", "Question", "State", "Due", "Interval", "Ease")
    for card in cards:
        due = "—" if card.due is None else "today" if card.due <= card.today else f"{card.due}"
        table.add_row(
            str(card.id),
            Text(printable(card.deck)),
            Text(_short(card.front)),
            _state(card),
            due,
            f"{card.interval}d" if card.interval else "—",
            f"{card.ease:.2f}",
        )
    out.print(table)


def _state(card: CardListing) -> str:
    if card.suspended:
        return "suspended"
    if card.buried:
        return "buried"
    return _STATE_NAMES[card.state]


def _short(text: str, width: int = 70) -> str:
    """One line of at most `width` characters, printable."""
    return shorten(" ".join(printable(text).split()), width)


def print_findings(findings: list[Finding], collection: Path, repairing: bool) -> None:
    """What `check` found, a problem a line, with what a repair does (or did) about it."""
    if not findings:
        out.print(f"ok: {_data(collection)} is sound")
        return
    for finding in findings:
        what = f"{_data(finding.problem)}: {finding.count}"
        if finding.repaired:
            out.print(f"[green]repaired:[/] {what} ({_data(finding.repair)})")
        elif finding.repair is not None and not repairing:
            out.print(f"[yellow]found:[/] {what} (--repair: {_data(finding.repair)})")
        else:
            out.print(f"[bold red]found:[/] {what}")


_MODEL_NAMES = {
    "sm2": "SM-2",
    "fsrs_default": "FSRS-6, default parameters",
    "fsrs_fitted": "FSRS-6, fitted per fold",
    "average": "average recall (floor)",
}


def print_evaluation(evaluation: Evaluation) -> None:
    """One row per model: log loss, RMSE(bins) (lower is better), AUC (higher is better)."""
    figures = ("Log loss", "RMSE(bins)", "AUC", "Scored reviews")
    table = Table("Model", *(Column(header, justify="right") for header in figures))
    for name, score in evaluation.scores.items():
        label = _MODEL_NAMES.get(name, name)
        if score is None:
            table.add_row(label, "—", "—", "—", "—")
            continue
        auc = "—" if score.auc is None else f"{score.auc:.4f}"
        table.add_row(
            label, f"{score.log_loss:.4f}", f"{score.rmse_bins:.4f}", auc, str(evaluation.scored)
        )
    out.print(table)
    out.print(
        "log loss: surprise at what happened; RMSE(bins): calibration error; AUC: how well"
        " recalled and forgotten reviews are told apart. srs-benchmark's definitions.",
        style="dim",
    )
    _evaluation_notes(evaluation)


def print_evaluation_json(evaluation: Evaluation) -> None:
    """The scores as one JSON object: {"scored": N, "models": {name: {metric: value}}}."""
    import json

    models = {name: _score_json(score) for name, score in evaluation.scores.items()}
    out.print(json.dumps({"scored": evaluation.scored, "models": models}), markup=False)
    _evaluation_notes(evaluation)


def _score_json(score: Score | None) -> dict[str, float | None] | None:
    if score is None:
        return None
    return {"log_loss": score.log_loss, "rmse_bins": score.rmse_bins, "auc": score.auc}


def print_optimization(result: Optimization, deck: str | None) -> None:
    """FSRS's log loss and RMSE(bins) with the weights before and after, and what was kept."""
    where = f"deck {_data(deck)} and its children" if deck else "every deck"
    if result.before is not None:
        table = Table("FSRS weights", Column("Log loss", justify="right"),
                      Column("RMSE(bins)", justify="right"))  # fmt: skip
        for label, score in (("before", result.before), ("fitted", result.after)):
            if score is not None:
                table.add_row(label, f"{score.log_loss:.4f}", f"{score.rmse_bins:.4f}")
        out.print(table)
        out.print(f"on {plural(result.reviews, 'review')} a day or more after the one before",
                  style="dim")  # fmt: skip
    if result.kept is not None:
        out.print(f"weights of {where} kept: {_data(result.kept)}")
    else:
        weights = ", ".join(f"{weight:g}" for weight in result.parameters)
        out.print(f"fitted weights given to {where} (its cards' memories recomputed):")
        out.print(f"parameters = [{weights}]", markup=False)
        out.print("due dates stay as they are: `studycards reschedule` moves them", style="dim")


def _evaluation_notes(evaluation: Evaluation) -> None:
    """What could not run, and rows of a review log left out: on stderr, beside the scores."""
    if evaluation.skipped:
        err.print(
            f"skipped {plural(evaluation.skipped, 'row')} with a rating outside 1-4",
            markup=False,
        )
    for note in evaluation.notes:
        err.print(f"note: {_data(note)}")
