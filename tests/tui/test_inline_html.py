"""Raw HTML in card text shows as the text it is in the review screen, as in the CLI and the
Anki export: rich's Markdown parses HTML and then drops it, so `<br>` vanished from a question
about the `<br>` tag."""

from __future__ import annotations

import sqlite3

from rich.console import Console, RenderableType
from rich.markdown import Markdown

from studycards.tui.app import make_app
from studycards.tui.widgets.card_view import markdown
from tests.tui.conftest import settle
from tests.tui.test_hostile_text import assert_on_screen

FRONT = "What does the <br> tag do in <p> elements?"
BACK = (
    "Press <kbd>Ctrl</kbd> and **bold** stays bold.\n\n<details>\n<summary>x</summary>\n</details>"
)
LEAD = "A lead with <span>inline</span> and `<code>` in a code span."


def rendered(renderable: RenderableType, color: bool = False) -> str:
    console = Console(width=80, color_system="truecolor" if color else None)
    with console.capture() as capture:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in capture.get().splitlines())


async def test_inline_and_block_html_show_literally(collection, clock):
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE cards SET front = ?, back = ?, context = ?", (FRONT, BACK, LEAD))
    conn.close()
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert_on_screen(app, FRONT)
        await pilot.press("space")
        await settle(pilot)
        assert_on_screen(
            app,
            "Press <kbd>Ctrl</kbd> and bold stays bold.",  # emphasis is still Markdown
            "<details>",
            "<summary>x</summary>",
            "</details>",
            "A lead with <span>inline</span> and <code> in a code span.",
        )


def test_markdown_still_renders_code_lists_and_tables():
    text = (
        "*em* and **strong** and `<b>code</b>`\n\n"
        "- one <i>\n- two\n\n"
        "| a | b |\n|---|---|\n| <td> | 2 |\n\n"
        "```html\n<p>fenced</p>\n```\n"
    )
    out = rendered(markdown(text))
    assert "em and strong and <b>code</b>" in out
    assert "• one <i>" in out and "• two" in out
    assert "<td>  2" in out and "───" in out  # a table, its cell kept
    assert "<p>fenced</p>" in out
    assert "**" not in out and "```" not in out and "|---" not in out
    plain = text.replace("<", "(")  # with no HTML, as rich renders it (styles and all)
    assert rendered(markdown(plain), True) == rendered(Markdown(plain), True)


def test_a_long_text_is_still_cut_with_a_note():
    out = rendered(markdown("\n\n".join(f"<br> {n}" for n in range(1000))))  # 200 paragraphs
    assert "<br> 0\n" in out and "<br> 199\n" in out and "<br> 200" not in out
    assert "shown: first 400 lines; `e` opens the file" in out
