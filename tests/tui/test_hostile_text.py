"""Text from files is data in the TUI too: a deck name, card text, lead, tag or related title
holding markup, Textual actions or terminal sequences shows as the text it is."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from pathlib import Path

from textual.widgets import DataTable, Input
from textual.widgets._toast import Toast

from studycards.tui.app import make_app
from studycards.tui.screens.dialogs import ExportDialog
from studycards.tui.screens.review import ReviewScreen
from tests.test_display_safety import DECK, poison
from tests.tui.conftest import settle


def screen(app) -> tuple[str, str]:
    """The whole screen as text, and as the bytes the terminal would be sent."""
    update = app.screen._compositor.render_update(full=True)
    text = "\n".join("".join(strip.text for strip in line) for line in update.strips)
    return text, update.render_segments(app.console)


def toasts(app) -> str:
    """The notifications as their toasts render them (headless, no toast is on screen); a
    title is plain text to Textual, the message markup unless the notification says not."""
    return "\n".join(
        f"{note.title}\n{Toast(replace(note, title='')).render()}" for note in app._notifications
    )


def assert_on_screen(app, *texts: str) -> None:
    text, raw = screen(app)
    text += toasts(app)
    for part in texts:
        assert part in text, (part, text)
    for sequence in ("\x1b]52", "\x1b]8;;https://evil", "\x07", "\r", "\x9b", "\x7f"):
        assert sequence not in raw, repr(sequence)


async def test_hostile_deck_card_tags_and_related_show_literally(collection, clock):
    poison(collection)
    app = make_app(collection, clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one(DataTable).get_row_at(0)[0]) == DECK
        assert_on_screen(app, DECK)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert_on_screen(
            app,
            f"{DECK}   6 new",
            "[/i] [b]Title[/b] [@click=app.quit]t[/] [31mred",
            "[bold red]x[/bold red]",
            "{{[/L|/list]}}",
        )
        await pilot.press("space")
        await settle(pilot)
        assert_on_screen(
            app,
            "[/i] [bold red]x[/bold red] [@click=app.quit]q[/] :smile:",  # answer and related
            "lead [@click=app.quit]quit[/]",
            "#[/i] #[bold]t[/bold]",
        )
        await pilot.press("s")  # the toast and the next card
        await settle(pilot)
        assert_on_screen(app, "Suspended")
    assert app.return_code in (0, None) and app._exception is None


async def test_an_action_in_a_lead_is_not_live(collection, clock, tmp_path: Path):
    shots = tmp_path / "shots"
    shots.mkdir()
    lead = f"[@click=app.screenshot('pwned.svg','{shots}')]click me[/] and **bold**"
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE cards SET context = ?", (lead,))
    conn.close()
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert_on_screen(app, "[@click=app.screenshot(")
        for x in range(12):
            await pilot.click("#context", offset=(x, 0))
        await settle(pilot)
    assert list(shots.iterdir()) == []


async def test_export_dialog_and_error_toast_show_names_literally(collection, clock):
    poison(collection)
    app = make_app(collection, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert_on_screen(app, f"Export {DECK} (with its children)")
        app.screen.query_one(Input).value = "/nonexistent [/i]/[b]x.apkg"
        await pilot.press("enter")
        await settle(pilot)
        assert_on_screen(app, "Not exported", "/nonexistent [/i]/[b]x.apkg")


async def test_a_huge_answer_shows_promptly_cut_with_a_note(collection, clock):
    code = "\n".join(f"line {n} " + "x" * 60 for n in range(140_000))  # about 9 MB
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE cards SET back = ?", (f"```python\n{code}\n```",))
    conn.close()
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await asyncio.wait_for(settle(pilot), 10)  # whole, it had not shown after 150 s
        assert_on_screen(app, "line 0 xxx")
        app.screen.query_one("#card").scroll_end(animate=False)
        await settle(pilot)
        assert_on_screen(app, "line 398 xxx", "shown: first 400 lines; `e` opens the file")


async def test_the_browsers_table_and_detail_pane_show_text_literally(collection, clock):
    poison(collection)
    app = make_app(collection, clock)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert_on_screen(
            app,
            DECK,
            "[/i] [b]Title[/b] [@click=app.quit]t[/]",  # the article's title, quiet
            "[bold red]x[/bold red]",  # question and answer, as Markdown shows them
            "{{[/L|/list]}}",
            "lead [@click=app.quit]quit[/]",
            "#[/i] #[bold]t[/bold]",
        )
        await pilot.press("b")  # the toast
        await settle(pilot)
        assert_on_screen(app, "Buried 1 card until tomorrow")
    assert app.return_code in (0, None) and app._exception is None
