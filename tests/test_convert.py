from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from studycards.convert import convert, deck_for, deck_name, normalise
from studycards.model import Related
from studycards.sources.frontmatter import parse_document
from studycards.sources.records import Article, QaRecord, Section
from studycards.sources.text import decode_source
from tests.conftest import DATA


def seed(name: str):
    path = DATA / name
    return parse_document(path, decode_source(path, path.read_bytes()))


def test_qa_seed_becomes_one_card_keyed_by_id():
    [card] = convert(seed("chemotherapy-goals.md"))
    assert card.key == "id:176440"
    assert card.deck == "Medicine"
    assert card.front.startswith("What are the primary goals")
    assert card.back.startswith("The primary goals of chemotherapy")
    assert card.source == str(DATA / "chemotherapy-goals.md")
    assert "cancer_treatment" in card.tags
    assert card.related[0].id == "176442"
    assert (card.url, card.date) == (
        "/learn/medicine/questions/what-are-the-primary-goals-of-chemotherapy-in-cancer-treatment",
        "2025-02-17",
    )


def test_article_seed_becomes_a_card_per_section():
    cards = convert(seed("chemotherapy-vs-immunotherapy.txt"))
    assert [card.front for card in cards] == [
        "What is immunotherapy?",
        "What is chemotherapy?",
        "So what’s the difference?",
        "What’s The Difference? Chemotherapy And Immunotherapy"
        " — Symptoms of both immunotherapy and chemotherapy",
    ]
    assert cards[0].key == (
        "section:what’s the difference? chemotherapy and immunotherapy::what is immunotherapy?"
    )
    assert cards[0].deck == "data"  # no subject: the folder names the deck
    assert all(card.context.startswith("It’s crucial") for card in cards)


def test_key_without_id_is_the_normalised_question_and_ignores_the_path():
    one = QaRecord(Path("/a/x.md"), "What  is DNA?", "A molecule.")
    moved = QaRecord(Path("/b/y.md"), "what is dna?", "A molecule, edited.")
    assert convert(one)[0].key == convert(moved)[0].key == "q:what is dna?"


def test_repeated_section_headings_get_distinct_keys():
    article = Article(Path("/n/a.md"), "T", "", (Section("Notes", "a"), Section("Notes", "b")))
    keys = [card.key for card in convert(article)]
    assert keys == ["section:t::notes", "section:t::notes#2"]


def test_deck_rule():
    record = QaRecord(Path("/notes/biology/cell.md"), "Q?", "A", subject="Biology")
    assert deck_for(record) == "Biology"
    assert deck_for(record, "Exam::Week 1") == "Exam::Week 1"
    no_subject = QaRecord(Path("/notes/biology/cell.md"), "Q?", "A")
    assert deck_for(no_subject) == "biology"
    assert deck_name(" Medicine ::  Oncology  ::") == "Medicine::Oncology"


def test_content_hash_changes_with_text_only():
    record = QaRecord(Path("/n/a.md"), "Q?", "A", related=(Related("1", "T"),))
    same = convert(record)[0]
    assert same.content_hash() == convert(record)[0].content_hash()
    edited = convert(QaRecord(Path("/n/a.md"), "Q?", "A!", related=(Related("1", "T"),)))[0]
    assert edited.content_hash() != same.content_hash()


@given(st.text())
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_a_heading_spelt_like_a_numbered_repeat_keeps_its_own_key():
    article = Article(
        Path("/n/t.md"),
        "T",
        "",
        (Section("A", "x"), Section("A", "y"), Section("A#2", "z"), Section("A", "w")),
    )
    keys = [card.key for card in convert(article)]
    assert keys == ["section:t::a", "section:t::a#2", "section:t::a#2#2", "section:t::a#3"]
