from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycards.errors import SourceError
from studycards.sources.article import MAX_BLOCKS, MAX_SECTIONS, parse_article
from studycards.sources.frontmatter import parse_document
from studycards.sources.records import Section
from studycards.sources.text import decode_source
from tests.conftest import DATA

P = Path("/notes/topic.txt")


def test_seed_article_title_lead_and_plain_text_headings():
    path = DATA / "chemotherapy-vs-immunotherapy.txt"
    article = parse_document(path, decode_source(path, path.read_bytes()))
    assert article.title == "What’s The Difference? Chemotherapy And Immunotherapy"
    assert article.lead.startswith("It’s crucial for patients")
    assert [section.heading for section in article.sections] == [
        "What is immunotherapy?",
        "What is chemotherapy?",
        "So what’s the difference?",
        "Symptoms of both immunotherapy and chemotherapy",
    ]
    first = article.sections[0].body
    assert first.startswith("In cancer immunotherapy") and first.endswith("forms of cancer.")
    assert "\n\nIt is possible to use immunotherapy" in first  # paragraphs kept
    last = article.sections[-1].body
    assert last.endswith("capacity to reproduce.")  # a long closing paragraph is not a heading


def test_markdown_headings_and_first_line_heading_as_title():
    body = (
        "# Cell biology\n\nIntro text.\n\n## Mitosis\n\nCells divide.\n\n"
        "## Empty\n\n## Meiosis\nGametes form.\n"
    )
    article = parse_article(P, body)
    assert article.title == "Cell biology"
    assert article.lead == "Intro text."
    assert [(s.heading, s.body) for s in article.sections] == [
        ("Mitosis", "Cells divide."),
        ("Meiosis", "Gametes form."),
    ]


def test_title_from_front_matter_keeps_the_first_line_as_text():
    article = parse_document(
        P, "---\ntitle: Enzymes\n---\nShort heading\n\nProse follows here, long.\n"
    )
    assert article.title == "Enzymes"
    assert [s.heading for s in article.sections] == ["Short heading"]


def test_lead_alone_becomes_the_only_card():
    article = parse_article(P, "Photosynthesis\n\nPlants turn light into sugar.\n")
    assert article.lead == ""
    assert [(s.heading, s.body) for s in article.sections] == [
        ("Photosynthesis", "Plants turn light into sugar.")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "- a list item",
        "1. a numbered item",
        "> a quote",
        "This line ends like a sentence.",
        "Two short lines in a row",
    ],
)
def test_lines_that_are_not_headings(line):
    body = f"Title\n\nLead text.\n\n{line}\n\nAnother short line\n\nProse, long enough.\n"
    article = parse_article(P, body)
    assert line not in [s.heading for s in article.sections]


def test_fenced_code_is_never_cut_at_blank_lines_or_comments():
    body = "Title\n\n## Code\n\n```\n# not a heading\n\nstill code\n```\n"
    article = parse_article(P, body)
    assert article.title == "Title"  # a short first line over a lone heading
    assert [s.heading for s in article.sections] == ["Code"]
    assert article.sections[0].body == "```\n# not a heading\n\nstill code\n```"


def test_title_without_text_is_an_error():
    with pytest.raises(SourceError, match="no text to make a card from"):
        parse_article(P, "Only a title\n")


# Real Markdown: only Markdown headings cut a document that has them (issue 9, items 1-3, 18).

CHEAT_SHEET = """# tar

> Archiving utility.
> More information: <https://www.gnu.org/software/tar>.

- Create an archive from files:

`tar cf {{target.tar}} {{file1 file2}}`

- Extract an archive:

`tar xf {{source.tar}}`
"""


def test_cheat_sheet_page_is_one_card_with_each_command_under_its_own_description():
    article = parse_article(P, CHEAT_SHEET)
    assert article.title == "tar"
    [card] = article.sections
    assert card.heading == "tar"
    create = card.body.index("- Create an archive from files:")
    assert (
        create
        < card.body.index("`tar cf")
        < card.body.index("- Extract")
        < (card.body.index("`tar xf"))
    )


@pytest.mark.parametrize(
    "line",
    [
        "`git status --short`",
        "![diagram](cell.png)",
        "[Reference](https://example.org/ref)",
        "**Bold label**",
        "<!---->",
        "<!-- a note -->",
        '<Listing number="1-1" file-name="main.rs">',
        "<details>",
    ],
)
def test_a_lone_markdown_line_in_a_document_with_headings_is_text(line):
    body = f"# Guide\n\n## First\n\nIntro.\n\n{line}\n\nMore prose after it.\n\n## Second\n\nEnd.\n"
    article = parse_article(P, body)
    assert [s.heading for s in article.sections] == ["First", "Second"]
    if not line.startswith("<!--"):
        assert line in article.sections[0].body


def test_quiz_question_whose_only_body_line_is_code_keeps_it():
    body = (
        "## Quiz\n\n#### Q1. What does this print?\n\n`print(1)`\n\n#### Q2. Which one?\n\n**B**\n"
    )
    article = parse_article(P, body)
    assert article.title == "Quiz"
    assert [(s.heading, s.body) for s in article.sections] == [
        ("Q1. What does this print?", "`print(1)`"),
        ("Q2. Which one?", "**B**"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "`cmd --flag`",
        "![image](x.png)",
        "[a link](https://example.org)",
        "**Bold label**",
        "*Emphasis only*",
        "<b>html</b>",
        "| a | b |",
        "- list item",
        "> quoted",
        "***",
    ],
)
def test_markdown_syntax_is_never_a_plain_text_heading(line):
    body = f"Title\n\nLead text, long enough.\n\n{line}\n\nProse follows it, long enough.\n"
    article = parse_article(P, body)
    assert article.sections == (
        Section("Title", f"Lead text, long enough.\n\n{line}\n\nProse follows it, long enough."),
    )


def test_comments_are_neither_title_nor_text():
    body = (
        "<!-- generated: do not edit -->\n[//]: # (Internal note)\n\n# Enzymes\n\n"
        '## Catalysis\n\nEnzymes speed reactions.\n\n[comment]: # "hidden"\n\n'
        "<!--\nmulti-line\n-->\n\nStill the same card.\n"
    )
    article = parse_article(P, body)
    assert article.title == "Enzymes"
    assert [(s.heading, s.body) for s in article.sections] == [
        ("Catalysis", "Enzymes speed reactions.\n\nStill the same card.")
    ]


def test_a_comment_first_is_not_the_title_of_a_plain_document():
    body = "<!-- draft -->\n\nPhotosynthesis\n\nPlants turn light into sugar.\n"
    article = parse_article(P, body)
    assert article.title == "Photosynthesis"
    assert "draft" not in article.sections[0].body


def test_real_link_references_stay_with_their_text():
    body = "# T\n\n## Links\n\nSee [the docs][docs].\n\n[docs]: https://example.org/docs\n"
    [section] = parse_article(P, body).sections
    assert section.body == "See [the docs][docs].\n\n[docs]: https://example.org/docs"


def test_setext_headings_cut_sections():
    body = "Cell biology\n============\n\nIntro.\n\nMitosis\n-------\n\nCells divide.\n"
    article = parse_article(P, body)
    assert (article.title, article.lead) == ("Cell biology", "Intro.")
    assert [(s.heading, s.body) for s in article.sections] == [("Mitosis", "Cells divide.")]


def test_headings_without_blank_lines_between_them_cut_sections():
    article = parse_article(P, "# T\n## A\ntext a\n## B\ntext b\n")
    assert [(s.heading, s.body) for s in article.sections] == [("A", "text a"), ("B", "text b")]


def test_headings_of_one_rank_are_all_sections():
    article = parse_article(P, "## Basics\n\nOne.\n\n## Advanced\n\nTwo.\n")
    assert article.title == "Basics"
    assert [s.heading for s in article.sections] == ["Basics", "Advanced"]


def test_a_short_line_before_lists_or_code_is_not_a_plain_heading():
    body = "Title\n\nLead text, long enough.\n\nShort line\n- item one\n- item two\n"
    article = parse_article(P, body)
    assert "Short line" not in [s.heading for s in article.sections]


# Hostile files: bounded and linear (issue 9, items 10 and 12).


def test_a_long_heading_of_spaces_and_tabs_parses_at_once():
    body = "# " + " \t" * 50_000 + "x\n\ntext\n"
    started = time.perf_counter()
    article = parse_article(P, body)
    assert time.perf_counter() - started < 1.0
    assert article.title == "x"


@pytest.mark.parametrize(
    "body",
    [
        "# h\nx\n" * MAX_BLOCKS,  # tiny sections
        "- a\n" * MAX_BLOCKS,  # one list of tiny items
        "h\n\nx\n\n" * MAX_BLOCKS,  # plain-text sections
    ],
    ids=["headings", "list", "plain"],
)
def test_a_file_of_countless_tiny_blocks_is_refused_quickly(body):
    started = time.perf_counter()
    with pytest.raises(SourceError, match="Markdown blocks"):
        parse_article(P, body)  # parsing stops at the limit: a longer file costs no more
    assert time.perf_counter() - started < 3.0


def test_sixteen_megabytes_of_tiny_sections_are_refused_at_once():
    body = "h\n\nx\n\n" * (16 * 1024 * 1024 // 6)  # the 2.3 million sections
    started = time.perf_counter()
    with pytest.raises(SourceError, match="500,000 lines"):
        parse_article(P, body)
    assert time.perf_counter() - started < 0.5


def test_more_sections_than_one_file_may_give_is_an_error():
    body = "".join(f"## Q{n}\nA{n}\n" for n in range(MAX_SECTIONS + 1))
    with pytest.raises(SourceError, match="10,000 cards one file may give"):
        parse_article(P, body)


MARKDOWN_LINES = st.sampled_from(
    [
        "`tar xf archive.tar`",
        "![cell](cell.png)",
        "[Reference](https://example.org)",
        "**Answer:** B",
        "- [x] right",
        "> a quote",
        "Plain words",
        "A sentence.",
        "<details>",
        "| a | b |",
    ]
)


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"Q[0-9]{1,3}\. [A-Za-z ]{0,20}\?", fullmatch=True),
            st.lists(MARKDOWN_LINES, min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda section: section[0],
    )
)
def test_every_line_of_a_headed_document_stays_under_its_own_heading(sections):
    body = "# Quiz\n\n" + "".join(
        f"#### {heading}\n\n" + "\n\n".join(lines) + "\n\n" for heading, lines in sections
    )
    article = parse_article(P, body)
    assert [(s.heading, s.body) for s in article.sections] == [
        (heading.strip(), "\n\n".join(lines)) for heading, lines in sections
    ]


@given(st.text(alphabet="#=-*+>`[]()!<>|/:\n \t\u00a0ab?.1", max_size=300))
def test_any_markdown_like_text_parses_or_raises_source_error(body):
    try:
        article = parse_article(P, body)
    except SourceError:
        return
    assert article.sections and all(section.body for section in article.sections)


@pytest.mark.parametrize(
    "mark",
    ["![", "[", "*a", "_a", "<a"],
    ids=["images", "brackets", "stars", "underscores", "html"],
)
def test_countless_marked_up_lines_are_read_at_once(mark):
    body = "Title\n\n" + (mark * 49 + "x\n\n") * 40_000  # 40,000 short lines of nested marks
    started = time.perf_counter()
    article = parse_article(P, body)
    assert time.perf_counter() - started < 3.0
    assert len(article.sections) == 1  # none of them is a plain heading
