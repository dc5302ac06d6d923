"""The `studycards` command: resolve the collection, call the library, render with rich.

A `StudycardsError` from any command is caught once, in `_Commands.invoke`: one `error:` line
on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from studycards.cli.location import collection_path, presets_folder
from studycards.errors import StudycardsError
from studycards.text import plural

if TYPE_CHECKING:
    from types import FrameType

    from studycards.collection.reviewing import Released
    from studycards.model import CustomStudy


class _Commands(TyperGroup):
    """The command group, catching the user's errors of every command in one place."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except StudycardsError as err:
            from studycards.cli.render import print_error

            print_error(err)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    help="Spaced-repetition flashcards for the terminal: question files in, SM-2 or FSRS reviews,"
    " Anki decks out and Anki's reviews back.",
    add_completion=False,
    pretty_exceptions_enable=False,
    # Typer's rich help panel prints every option's type, flags included (`--force <bool>`);
    # the plain click layout shows a flag as a flag.
    rich_markup_mode=None,
)


def system_clock() -> datetime:
    """Now, in the user's local time zone (study days roll over at a local hour)."""
    return datetime.now().astimezone()


def _print_version(wanted: bool) -> None:
    """`--version`: the installed package's version, then exit."""
    if not wanted:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        typer.echo(f"studycards {version('studycards')}")
    except PackageNotFoundError:  # run from a source tree that was never installed
        typer.echo("studycards (not installed: version unknown)")
    raise typer.Exit


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    collection: Annotated[
        Path | None,
        typer.Option(
            "--collection",
            "-c",
            help="Collection file (default: $STUDYCARDS_COLLECTION, else your user data folder).",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """With no command, opens the review TUI on the deck list."""
    obj = ctx.ensure_object(dict)
    obj["collection"] = collection_path(collection)
    obj.setdefault("clock", system_clock)
    if ctx.invoked_subcommand is None:
        review_command(ctx, deck=None)


def _context(ctx: typer.Context) -> tuple[Path, datetime]:
    return ctx.obj["collection"], ctx.obj["clock"]()


def _deck_option(help_text: str) -> Any:
    """`--deck NAME`, as every command that takes one spells it."""
    return typer.Option("--deck", "-d", help=help_text, metavar="NAME")


def _interrupted(message: str) -> typer.Exit:
    """Ctrl-C: one line, no traceback, the shell's status for SIGINT."""
    from studycards.cli.render import err

    err.print(message, markup=False)
    return typer.Exit(130)


@app.command("import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to import (default: every preset's sources).",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    deck: Annotated[
        str | None,
        typer.Option("--deck", "-d", help="Put every card in this deck.", metavar="NAME"),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Delete cards their source files no longer hold, with their reviews."
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Prune even when a folder holds no files or a deck would lose most of its cards.",
        ),
    ] = False,
    presets: Annotated[
        Path | None,
        typer.Option(
            "--presets",
            help="Deck presets folder (default: $STUDYCARDS_DECKS or ./decks); a file a"
            " preset covers goes to its deck unless --deck says otherwise.",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
) -> None:
    """Turn question files into cards. Re-importing updates text and keeps review history."""
    from studycards.cli.render import print_import_summary, progress_bar
    from studycards.collection.importing import ImportInterruptedError
    from studycards.collection.targets import import_paths

    collection, now = _context(ctx)
    if yes and not prune:
        raise StudycardsError("--yes confirms a prune: give it with --prune")
    try:
        with progress_bar("importing") as progress:
            summary = import_paths(
                collection,
                paths or [],
                presets_folder(presets),
                now,
                deck=deck,
                prune=prune,
                confirmed=yes,
                progress=progress,
            )
    except ImportInterruptedError as stop:
        raise _interrupted(f"interrupted: {stop}") from None
    except KeyboardInterrupt:  # a second Ctrl-C, while the first was being handled
        raise _interrupted("interrupted: run again to finish") from None
    print_import_summary(summary, collection)
    if summary.failed or summary.prune_held:
        raise typer.Exit(1)


@app.command("decks")
def decks_command(ctx: typer.Context) -> None:
    """List the decks. Each with its cards and today's new, learning and due cards."""
    from studycards.cli.render import print_decks
    from studycards.collection.browsing import deck_overview

    print_decks(deck_overview(*_context(ctx)))


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    deck: Annotated[str | None, _deck_option("Only this deck and its children.")] = None,
) -> None:
    """Show progress: today, true retention, answers per day and a year's calendar, the due
    forecast, cards by state, intervals and ease or FSRS memory."""
    from studycards.cli.stats import print_stats
    from studycards.collection.browsing import find_deck
    from studycards.collection.stats import collection_stats

    collection, now = _context(ctx)
    deck = None if deck is None else find_deck(collection, deck)
    print_stats(collection_stats(collection, now, deck), deck)


@app.command("cards")
def cards_command(
    ctx: typer.Context,
    deck: Annotated[str | None, _deck_option("Only this deck and its children.")] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help='Only cards matching QUERY, in Anki\'s syntax: words, "a phrase", deck:NAME,'
            " tag:TAG, is:due, prop:ivl>=10, rated:7, -term, or, ( ).",
            metavar="QUERY",
        ),
    ] = None,
) -> None:
    """List cards with their next due date, soonest first."""
    from studycards.cli.render import print_cards
    from studycards.collection.browsing import card_listing, search_cards

    collection, now = _context(ctx)
    if search is None:
        print_cards(card_listing(collection, now, deck))
    else:
        print_cards(search_cards(collection, search, now, deck))


@app.command("export")
def export_command(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The Anki package to write; .apkg is added to a name not ending in it.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    deck: Annotated[str | None, _deck_option("Only this deck and its children.")] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only cards with this tag.", metavar="TAG")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    with_media: Annotated[
        bool, typer.Option("--with-media", help="Pack local images the cards show.")
    ] = False,
) -> None:
    """Write an Anki package. Importing a newer one into Anki updates notes, never duplicates."""
    from studycards.cli.render import print_export_summary, progress_bar
    from studycards.collection.exporting import export_anki

    collection, now = _context(ctx)
    with progress_bar("exporting") as progress:
        summary = export_anki(
            collection,
            output,
            now,
            deck=deck,
            tag=tag,
            force=force,
            with_media=with_media,
            progress=progress,
        )
    print_export_summary(summary)


CardIds = Annotated[
    list[int] | None,
    typer.Argument(
        help="Card ids, as `studycards cards` lists them.",
        show_default=False,
        metavar="CARD_ID",
    ),
]


@app.command("unsuspend")
def unsuspend_command(
    ctx: typer.Context,
    card_ids: CardIds = None,
    deck: Annotated[
        str | None, _deck_option("Every suspended card of this deck and its children.")
    ] = None,
) -> None:
    """Put suspended cards back in their sessions, with their schedules as they were."""
    from studycards.collection.reviewing import unsuspend

    _release(
        ctx,
        "unsuspended",
        "suspended",
        lambda path, now: unsuspend(path, card_ids or [], now, deck),
    )


@app.command("unbury")
def unbury_command(
    ctx: typer.Context,
    card_ids: CardIds = None,
    deck: Annotated[
        str | None, _deck_option("Every buried card of this deck and its children.")
    ] = None,
) -> None:
    """Show buried cards again today instead of tomorrow."""
    from studycards.collection.reviewing import unbury

    _release(ctx, "unburied", "buried", lambda path, now: unbury(path, card_ids or [], now, deck))


def _release(
    ctx: typer.Context, done: str, held: str, release: Callable[[Path, datetime], Released]
) -> None:
    """Run `unsuspend` or `unbury` on the collection and say what it did."""
    from studycards.cli.render import print_released

    print_released(release(*_context(ctx)), done, held)


@app.command("check")
def check_command(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Fix what can be fixed without losing anything.")
    ] = False,
) -> None:
    """Check the collection: SQLite's integrity check and the cards' own rules. Without
    --repair nothing is written; a repair never deletes a card or an answer."""
    from studycards.cli.render import print_findings
    from studycards.collection.checking import check_collection

    collection = ctx.obj["collection"]
    findings = check_collection(collection, repair)
    print_findings(findings, collection, repair)
    if any(not finding.repaired for finding in findings):
        raise typer.Exit(1)


@app.command("optimize")
def optimize_command(
    ctx: typer.Context,
    deck: Annotated[str | None, _deck_option("Only this deck and its children.")] = None,
) -> None:
    """Fit FSRS's weights to your answers (with fsrs-rs, Anki's optimizer) and give them to the
    deck and its children: log loss and RMSE(bins) before and after. Due dates stay until
    `studycards reschedule`."""
    from studycards.cli.render import print_optimization
    from studycards.collection.browsing import find_deck
    from studycards.collection.evaluating import optimize_decks

    collection = ctx.obj["collection"]
    deck = None if deck is None else find_deck(collection, deck)
    print_optimization(optimize_decks(collection, deck), deck)


anki_app = typer.Typer(
    cls=_Commands,
    help="Studying on your phone: bring the reviews made in Anki back, or sync with an Anki"
    " sync server.",
    rich_markup_mode=None,
)
app.add_typer(anki_app, name="anki")


@anki_app.command("pull")
def anki_pull_command(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="An .apkg/.colpkg exported from Anki with scheduling, a closed profile's"
            " collection.anki2, or a profile folder (its newest backup).",
            show_default=False,
            metavar="PATH",
        ),
    ],
) -> None:
    """Add the answers made in Anki to studycards' cards to their logs (each once, however
    often you pull) and reschedule those cards from their whole history. Anki's file is only
    read."""
    from studycards.cli.render import print_pull_summary
    from studycards.collection.anki import pull_from_anki

    print_pull_summary(pull_from_anki(ctx.obj["collection"], path))


@anki_app.command("login")
def anki_login_command(
    ctx: typer.Context,
    user: Annotated[
        str,
        typer.Option("--user", "-u", help="Your account's user name (email).", metavar="NAME"),
    ],
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            help="A self-hosted sync server's address, e.g. http://localhost:8080/"
            " (default: AnkiWeb).",
            metavar="URL",
            show_default=False,
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input."),
    ] = False,
) -> None:
    """Log in to a sync server. Only the key the server returns is kept (in your config
    folder, readable by you alone), never the password."""
    import sys

    from studycards.cli.location import sync_places
    from studycards.collection.syncing import log_in_to

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True)
    server = log_in_to(endpoint, user, password, sync_places(ctx.obj["collection"]).credentials)
    typer.echo(f"logged in to {server}")


@anki_app.command("logout")
def anki_logout_command(ctx: typer.Context) -> None:
    """Forget the saved key of the sync server."""
    from studycards.cli.location import sync_places
    from studycards.collection.syncing import log_out

    credentials = sync_places(ctx.obj["collection"]).credentials
    typer.echo("logged out" if log_out(credentials) else "not logged in")


@anki_app.command("sync")
def anki_sync_command(
    ctx: typer.Context,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Agree to a full sync without asking (for scripts)."),
    ] = False,
) -> None:
    """Sync with the sync server you logged in to: your notes, answers and schedules go up,
    the answers made on other devices come back and their cards are rescheduled from both
    logs. Needs the optional anki extra: pip install -e '.[anki]' in studycards' folder."""
    from studycards.cli.location import sync_places
    from studycards.cli.render import confirm_full_sync, print_sync_summary, sync_progress
    from studycards.collection.syncing import sync_with_anki

    collection = ctx.obj["collection"]
    with sync_progress() as progress:
        summary = sync_with_anki(
            collection,
            sync_places(collection),
            ctx.obj["clock"](),
            confirm=lambda full: yes or confirm_full_sync(full, progress),
            progress=progress,
        )
    print_sync_summary(summary)


@app.command("reschedule")
def reschedule_command(
    ctx: typer.Context,
    deck: Annotated[str | None, _deck_option("Only this deck and its children.")] = None,
) -> None:
    """Schedule every answered card again from its answers, by its deck's scheduler and
    settings now (say, after a switch to FSRS): due dates move. Suspended cards stay so."""
    from studycards.collection.scheduling import reschedule

    done = reschedule(ctx.obj["collection"], deck)
    typer.echo(f"rescheduled {plural(done, 'card')} from the review log")


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    deck: Annotated[str | None, _deck_option("Only this deck and its children.")] = None,
    revlog: Annotated[
        Path | None,
        typer.Option(
            "--revlog",
            help="Evaluate a review log in the FSRS optimizer's CSV format instead of the"
            " collection.",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="The log's time zone, an IANA name (default: this computer's).",
            show_default=False,
            metavar="TZ",
        ),
    ] = None,
    day_starts: Annotated[
        int | None,
        typer.Option(
            "--day-starts",
            help="The hour the log's study days start at (default: 4).",
            show_default=False,
            metavar="HOUR",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score how well SM-2 and FSRS predict your recall on your review history (log loss,
    RMSE(bins), AUC, as srs-benchmark computes them)."""
    from studycards.cli.render import print_evaluation, print_evaluation_json
    from studycards.collection.evaluating import evaluate_collection, evaluate_revlog

    if revlog is None:
        if timezone is not None or day_starts is not None:
            raise StudycardsError("--timezone and --day-starts go with --revlog FILE")
        evaluation = evaluate_collection(ctx.obj["collection"], deck)
    else:
        if deck is not None:
            raise StudycardsError("--deck chooses cards of the collection, not of --revlog FILE")
        evaluation = evaluate_revlog(revlog, timezone, 4 if day_starts is None else day_starts)
    if as_json:
        print_evaluation_json(evaluation)
    else:
        print_evaluation(evaluation)


def _days_option(name: str, help: str, metavar: str = "DAYS") -> Any:
    from studycards.model import MOST_CUSTOM_DAYS

    return typer.Option(name, help=help, metavar=metavar, min=1, max=MOST_CUSTOM_DAYS)


@app.command("review")
def review_command(
    ctx: typer.Context,
    deck: Annotated[
        str | None, _deck_option("Go straight into this deck's session (with children).")
    ] = None,
    extra_new: Annotated[
        int | None, _days_option("--extra-new", "Today's queue with N more new cards.", "N")
    ] = None,
    ahead: Annotated[
        int | None, _days_option("--ahead", "Review cards due within DAYS days, early.")
    ] = None,
    forgotten: Annotated[
        int | None,
        _days_option("--forgotten", "Cram cards answered Again in the last DAYS days."),
    ] = None,
    cram: Annotated[
        str | None,
        typer.Option(
            "--cram",
            help="Cram the cards matching QUERY (as `cards --search`); schedules stay as they are.",
            metavar="QUERY",
        ),
    ] = None,
) -> None:
    """Open the review TUI. It starts on the deck list, or with --deck in that deck's session;
    with a custom study option, in that session (of every deck without --deck)."""
    from studycards.collection.browsing import check_readable, find_deck

    plan = _custom_study(extra_new, ahead, forgotten, cram)
    collection = ctx.obj["collection"]
    check_readable(collection)  # a missing or foreign collection is refused before the TUI
    if deck is not None:
        deck = find_deck(collection, deck)
    from studycards.cli.location import sync_places
    from studycards.collection.syncing import engine_installed
    from studycards.tui.app import make_app

    sync = sync_places(collection) if engine_installed() else None
    if not has_terminal():
        raise StudycardsError(
            "the review TUI needs a terminal to draw on (standard input and output are not"
            " one); the other commands work without"
        )
    tui = make_app(collection, ctx.obj["clock"], deck, sync, plan)
    tui.run()
    if tui.return_code:  # the app failed (Textual has shown why): no exit status of success
        raise typer.Exit(tui.return_code)


def has_terminal() -> bool:
    """Whether the TUI can run: without a terminal on both standard input and output it would
    draw to nothing and read nothing, spinning until killed."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _custom_study(
    extra_new: int | None, ahead: int | None, forgotten: int | None, cram: str | None
) -> CustomStudy | None:
    """The one custom study the options ask for (None: today's queue); a malformed --cram
    query is refused here, before the TUI starts."""
    from studycards.model import Cram, ExtraNew, Forgotten, ReviewAhead
    from studycards.search import parse_query

    plans: list[CustomStudy] = []
    for days, plan in ((extra_new, ExtraNew), (ahead, ReviewAhead), (forgotten, Forgotten)):
        if days is not None:
            plans.append(plan(days))
    if cram is not None:
        if parse_query(cram) is None:
            raise StudycardsError("--cram needs a search: tag:chemo, deck:Bio is:review, ...")
        plans.append(Cram(cram))
    if len(plans) > 1:
        raise StudycardsError("choose one of --extra-new, --ahead, --forgotten and --cram")
    return plans[0] if plans else None


def main(obj: dict[str, Any] | None = None) -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminated)
    app(obj=obj or {})


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (`kill`, a shutdown) ends a command as Ctrl-C does, through its cleanups (an
    export's scratch files, an import's workers), not at once; with the shell's status."""
    raise SystemExit(128 + signum)
