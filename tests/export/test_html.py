from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studycards.export.html import _absent_rules, _parser, image_sources_in_html, render


def test_markdown_becomes_html_and_raw_html_stays_text():
    html = render("**Cure**: <b>x</b> & y\n\n1. one\n2. two")
    assert html == (
        "<p><strong>Cure</strong>: &lt;b&gt;x&lt;/b&gt; &amp; y</p>\n<ol>\n<li>one</li>\n"
        "<li>two</li>\n</ol>"
    )


def test_image_sources_are_found_as_rendered():
    html = render("![a](img/a.png) and ![b](<b c.png>)")
    assert image_sources_in_html(html) == ["img/a.png", "b%20c.png"]


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_the_plain_line_shortcut_gives_what_the_parser_gives(text):
    assert render(text) == _parser().render(text).strip()


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.?'\"():;/%$=+-]{0,60}", fullmatch=True))
def test_the_shortcut_on_question_like_lines(text):
    assert render(text) == _parser().render(text).strip()


# Every mark some rule needs, with letters, digits, spaces and line breaks around them.
_MARKDOWNISH = st.text(alphabet="ab1. *_-=#>|`~[]()!<&;\\\t\n", max_size=120)


@given(_MARKDOWNISH)
def test_leaving_out_rules_without_their_marks_changes_nothing(text):
    assert render(text) == _parser().render(text).strip()


def test_rules_without_their_marks_are_left_out():
    absent = _absent_rules("**Cure**: see [the trial](x)\n\n1. one")
    assert {"emphasis", "link", "hr"}.isdisjoint(absent)
    assert {"table", "heading", "entity", "image", "fence", "lheading"} <= absent
