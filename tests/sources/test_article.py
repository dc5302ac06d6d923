from __future__ import annotations

from pathlib import Path

import pytest

from studycards.errors import SourceError
from studycards.sources.article import parse_article
from studycards.sources.frontmatter import parse_document
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
    assert [s.heading for s in article.sections] == ["Code"]
    assert article.sections[0].body == "```\n# not a heading\n\nstill code\n```"


def test_title_without_text_is_an_error():
    with pytest.raises(SourceError, match="no text to make a card from"):
        parse_article(P, "Only a title\n")
