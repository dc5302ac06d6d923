"""Each element of the search syntax against a real collection."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from studycards.collection.browsing import search_cards
from studycards.collection.importing import ImportTarget, import_sources
from studycards.errors import DeckNotFoundError, SearchError
from studycards.model import DeckSettings, Grade
from studycards.scheduler.day import study_day
from studycards.search import parse_query
from studycards.store.conditions import glob_match
from studycards.store.db import engine, opened
from studycards.store.reviews import answer_card
from studycards.store.search import Search, absent, lead

NOTES = {
    # name: (deck, question, answer, tags)
    "chemo": ("Medicine::Oncology", "What is chemotherapy?", "Drugs that kill cells.", "drugs"),
    "immuno": ("Medicine::Oncology", "What is immunotherapy?", "The immune system.", "Drugs"),
    "cafe": ("Medicine", "Where is the Café Curie?", "In Paris, near the lab.", "places::paris"),
    "quote": ("Medicine", 'Who said "primary goals"?', "Nobody; e-mail me.", "leech"),
    "cell": ("Biology", "What is a cell?", "The unit of life, primary.", "side_effects"),
    "gene": (
        "Biology Extra",
        "What is a gene?",
        "A unit of heredity.",
        "Ärzte, strasse, 100%, sideXeffects",
    ),
}


@pytest.fixture
def collection(db_path, tmp_path, now):
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, (deck, question, answer, tags) in NOTES.items():
        keywords = f"seo:\n  page_keywords: {tags}\n" if tags else ""
        (folder / f"{name}.md").write_text(
            f"---\nid: {name}\nsubject: {deck}\nquestion: '{question}'\nanswer: {answer}\n"
            f"{keywords}---\n"
        )
    import_sources(db_path, [ImportTarget((folder,))], now)
    return db_path


def ids(db_path, now):
    conn = sqlite3.connect(db_path)
    try:
        return {key.removeprefix("id:"): card_id for key, card_id in conn.execute(
            "SELECT key, id FROM cards"
        )}  # fmt: skip
    finally:
        conn.close()


def found(db_path, query: str, now, deck: str | None = None) -> set[str]:
    keys = {card_id: key for key, card_id in ids(db_path, now).items()}
    return {keys[card.id] for card in search_cards(db_path, query, now, deck)}


def schedule(db_path, key: str, **columns: object) -> None:
    conn = sqlite3.connect(db_path)
    sets = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE cards SET {sets} WHERE key = ?", (*columns.values(), f"id:{key}"))
    conn.commit()
    conn.close()


ALL = set(NOTES)
SYNTAX = st.sampled_from(['"', "(", ")", "-", " or ", " ", "deck:", "tag:", "*", "chemo", "é",
                          "prop:due<=1", "is:due", "rated:2", "\\", "NEAR", "^", ":",
                          "{"])  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("chemo", {"chemo"}),  # a word matches the words it begins
        ("therapy", set()),  # not the middle of one
        ("CHEMOTHERAPY", {"chemo"}),
        ("cafe", {"cafe"}),  # accents folded
        ("café", {"cafe"}),
        ("curie café", {"cafe"}),
        ("paris", {"cafe"}),  # in the answer and a tag
        ('"primary goals"', {"quote"}),
        ('"goals primary"', set()),
        ("primary", {"quote", "cell"}),
        ("e-mail", {"quote"}),
        ("oncology", {"chemo", "immuno"}),  # the deck's name
        ("immuno.md", {"immuno"}),  # the file's name
        ("chemo or immuno", {"chemo", "immuno"}),
        ("chemo OR gene", {"chemo", "gene"}),
        ("what -cell", {"immuno", "gene"}),  # chemotherapy kills cells
        ("-(chemo or immuno)", ALL - {"chemo", "immuno"}),
        ("unit (life or heredity) -gene", {"cell"}),
        ("what and gene", {"gene"}),
        ("deck:medicine", {"chemo", "immuno", "cafe", "quote"}),  # children included
        ("deck:Medicine::Oncology", {"chemo", "immuno"}),
        ("deck:medicine::oncology", {"chemo", "immuno"}),
        ("deck:Oncology", set()),  # names start at the top
        ('deck:"Biology Extra"', {"gene"}),
        ("deck:Biology", {"cell"}),
        ("deck:bio*", {"cell", "gene"}),
        ("deck:*onco*", {"chemo", "immuno"}),
        ("-deck:medicine", {"cell", "gene"}),
        ("deck:nope", set()),
        ("tag:drugs", {"chemo", "immuno"}),  # case folded
        ("tag:places", {"cafe"}),  # a tag's children
        ("tag:places::paris", {"cafe"}),
        ("tag:paris", set()),
        ('tag:"side effects"', {"cell"}),  # spelt with a blank, as `export --tag` takes it
        ("tag:side*", {"cell", "gene"}),
        ("tag:side_effects", {"cell"}),  # `_` is no wildcard
        ("tag:ärzte", {"gene"}),  # non-ASCII tags fold their case too
        ("tag:ÄRZTE", {"gene"}),
        ("tag:straße", {"gene"}),  # ß folds to ss
        ("tag:100%", {"gene"}),
        ("tag:100", set()),
        ("-tag:drugs", ALL - {"chemo", "immuno"}),
        ("is:leech", {"quote"}),
        ('"primary goals" or deck:biology', {"quote", "cell"}),
    ],
)
def test_the_syntax(collection, now, query, expected):
    assert found(collection, query, now) == expected


def test_states_due_days_and_properties(collection, now):
    today = study_day(now).toordinal()
    schedule(collection, "chemo", state=2, queue=2, due=today, interval=12, ease=2.3, lapses=2)
    schedule(collection, "immuno", state=2, queue=2, due=today + 3, interval=5, ease=2.7)
    schedule(collection, "cafe", state=1, queue=1, due=today, interval=0, redrill_at=0)
    schedule(collection, "quote", state=2, queue=-1, due=today - 1, interval=30)
    schedule(collection, "cell", buried_until=today + 1)
    cases = {
        "is:new": {"cell", "gene"},
        "is:learn": {"cafe"},
        "is:review": {"chemo", "immuno", "quote"},
        "is:due": {"chemo", "cafe"},  # not tomorrow's, nor a suspended card
        "-is:due": ALL - {"chemo", "cafe"},
        "is:suspended": {"quote"},
        "is:buried": {"cell"},
        "-is:buried": ALL - {"cell"},
        "prop:ivl>=10": {"chemo", "quote"},
        "prop:ivl=5": {"immuno"},
        "prop:ivl!=0": {"chemo", "immuno", "quote"},
        "prop:ivl<5": {"cafe", "cell", "gene"},
        "prop:due<=3": {"chemo", "immuno", "cafe", "quote"},
        "prop:due=3": {"immuno"},
        "prop:due>0": {"immuno"},
        "prop:due<0": {"quote"},
        "-prop:due<=3": {"cell", "gene"},  # new cards have no due day
        "prop:ease<2.5": {"chemo"},
        "prop:ease>2.5": {"immuno"},
        "prop:lapses>1": {"chemo"},
        "is:review prop:ivl>10 -is:suspended": {"chemo"},
    }
    for query, expected in cases.items():
        assert found(collection, query, now) == expected, query


def test_rated_and_reps_count_answers(collection, now):
    card_ids = ids(collection, now)
    with Session(engine(collection)) as session, session.begin():
        answer_card(session, card_ids["chemo"], Grade.GOOD, now - timedelta(days=3), 3000)
        answer_card(session, card_ids["gene"], Grade.AGAIN, now, 3000)
        answer_card(session, card_ids["gene"], Grade.GOOD, now, 3000)
    assert found(collection, "rated:1", now) == {"gene"}
    assert found(collection, "rated:3", now) == {"gene"}
    assert found(collection, "rated:4", now) == {"gene", "chemo"}
    assert found(collection, "-rated:4", now) == ALL - {"gene", "chemo"}
    assert found(collection, "prop:reps=2", now) == {"gene"}
    assert found(collection, "prop:reps>=1", now) == {"gene", "chemo"}
    assert found(collection, "prop:reps=0", now) == ALL - {"gene", "chemo"}


def test_each_deck_has_its_own_study_day(collection, now):
    """At 10:00 a deck rolling over at 11 is still in yesterday."""
    conn = sqlite3.connect(collection)
    conn.execute("UPDATE decks SET rollover_hour = 11 WHERE name = 'Biology'")
    conn.commit()
    conn.close()
    today = study_day(now).toordinal()
    schedule(collection, "chemo", state=2, queue=2, due=today, interval=1)
    schedule(collection, "cell", state=2, queue=2, due=today, interval=1)
    assert found(collection, "is:due", now) == {"chemo"}
    assert found(collection, "prop:due=1", now) == {"cell"}
    [cell] = search_cards(collection, "deck:biology", now)
    assert cell.today == study_day(now) - timedelta(days=1)


def test_deck_option_pages_and_order(collection, now):
    assert found(collection, "what", now, deck="medicine") == {"chemo", "immuno"}
    with pytest.raises(DeckNotFoundError):
        search_cards(collection, "what", now, deck="nope")
    everything = search_cards(collection, "", now)
    assert [card.deck for card in everything] == sorted(card.deck for card in everything)
    pages = [search_cards(collection, "", now, limit=2, offset=start) for start in (0, 2, 4, 6)]
    assert [card for page in pages for card in page] == everything
    assert [len(page) for page in pages] == [2, 2, 2, 0]


def test_user_text_is_never_sql_nor_fts_syntax(collection, now):
    for query in (
        "'; DROP TABLE cards; --",
        '"chemo" OR "gene"',
        "front:chemo",
        "NEAR(chemo gene)",
        "chemo*",
        "^what",
        "{front}",
        '"a "" b"',
        "?",
        "\\",
    ):
        with contextlib.suppress(SearchError):
            search_cards(collection, query, now)
    assert found(collection, "", now) == ALL


def test_a_malformed_query_names_where(collection, now):
    with pytest.raises(SearchError, match=r"at character 7 \('\(b'\): this '\(' is never closed"):
        search_cards(collection, "chemo (b", now)


def test_preset_deck_names_with_settings_are_searched_alike(db_path, tmp_path, now):
    folder = tmp_path / "bio"
    folder.mkdir()
    (folder / "a.md").write_text("---\nquestion: What is a cell?\nanswer: Life.\n---\n")
    import_sources(db_path, [ImportTarget((folder,), "Bio", DeckSettings("Bio"))], now)
    assert [card.deck for card in search_cards(db_path, "deck:BIO cell", now)] == ["Bio"]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("abc", "abc", True),
        ("abc", "abcd", False),
        ("a*", "a", True),
        ("*", "", True),
        ("a*c", "abbc", True),
        ("a*c", "ac", True),
        ("a*b*c", "abc", True),
        ("a*b*c", "acb", False),
        ("ab*ba", "aba", False),  # the two ends may not share a character
        ("*x*", "yxy", True),
        ("**", "anything", True),
    ],
)
def test_glob_match(pattern, text, expected):
    assert glob_match(pattern, text) is expected


@given(st.text(max_size=60) | st.lists(SYNTAX, max_size=20).map("".join))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_that_parses_runs(collection, now, query):
    """Whatever parses compiles to SQL that SQLite and FTS5 accept (read-only here)."""
    with contextlib.suppress(SearchError):
        search_cards(collection, query, now)


PLANNED = [
    "",
    "what",
    "what -cell",
    "a is:new",
    "what -tag:drugs",
    "unit (life or heredity) -gene",
    "chemo or immuno",
    "(chemo or immuno) -deck:biology",
    '"primary goals" or deck:biology',
    "-(chemo or immuno)",
    "what and gene -what",
    "the -is:due",
    "in -(is -the)",
    "-what",
    "-(what or unit) -is:new",
]


def every_plan(conn: sqlite3.Connection, query: str, now) -> None:
    """Each plan's page, for pages of several sizes and places, is the page every card gives;
    `among_first` may only fail to find it whole, and finds it among every card."""
    parsed = parse_query(query)
    text = None if parsed is None else lead(parsed)
    lacked = None if parsed is None else absent(parsed)
    for limit, offset in itertools.product((1, 2, 3, None), (0, 1, 4)):
        search = Search.of(conn, parsed, now, None, limit, offset)
        page = search.every_card()
        if text is not None:
            sql = "SELECT rowid FROM card_search WHERE card_search MATCH ?"
            ids = [rowid for (rowid,) in conn.execute(sql, (text,))]
            assert search.by_id(ids, (text, True)) == page
        if lacked is not None:
            lacking = "SELECT id FROM cards EXCEPT SELECT rowid FROM card_search WHERE card_search"
            ids = [card_id for (card_id,) in conn.execute(f"{lacking} MATCH ?", (lacked,))]
            assert search.by_id(ids, (lacked, False)) == page
        for count in range(len(NOTES)):
            assert search.among_first(count) in (None, page)
        whole = search.among_first(len(NOTES))
        assert whole == (page if limit is not None and len(page) == limit else None)


@pytest.fixture
def scheduled(collection, now):
    """The collection with due days and states that order cards otherwise than by id."""
    today = study_day(now).toordinal()
    schedule(collection, "gene", state=2, queue=2, due=today - 2, interval=3)
    schedule(collection, "quote", state=2, queue=2, due=today, interval=30)
    schedule(collection, "chemo", state=2, queue=2, due=today, interval=4)
    schedule(collection, "cafe", state=1, queue=1, due=today + 1, redrill_at=0)
    return collection


@pytest.mark.parametrize("query", PLANNED)
def test_every_plan_gives_the_same_page(scheduled, now, query):
    with opened(scheduled) as conn:
        every_plan(conn, query, now)


@given(st.lists(SYNTAX, max_size=12).map("".join))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_gives_the_same_page_by_every_plan(scheduled, now, query):
    with contextlib.suppress(SearchError), opened(scheduled) as conn:
        every_plan(conn, query, now)


def test_a_deck_named_without_words_is_searched_too(db_path, tmp_path, now):
    """Cards lacking a word are found through their decks' names in the index, unless a deck's
    name holds no ASCII word to find it by: then by testing every card."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, deck in (("a", "!!!"), ("b", "Biology"), ("c", "日本")):
        (folder / f"{name}.md").write_text(
            f"---\nquestion: Card {name}?\nanswer: Yes.\nsubject: '{deck}'\n---\n"
        )
    import_sources(db_path, [ImportTarget((folder,))], now)
    assert [card.deck for card in search_cards(db_path, "-yes", now)] == []
    assert {card.deck for card in search_cards(db_path, "-biology", now)} == {"!!!", "日本"}
    assert {card.deck for card in search_cards(db_path, "-biology", now, "Biology")} == set()
    assert {card.deck for card in search_cards(db_path, "-日本", now, "日本")} == set()
