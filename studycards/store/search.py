"""A parsed search (`studycards.search`) run on a collection: the tree becomes one SQL query
whose every value from the user is a bound parameter, words and phrases going to the FTS5
index `card_search` (migration 8) as quoted FTS5 strings.

Each term compiles to a condition that is never NULL, so that `-term` is exactly the cards
the term does not match. Days are each card's deck's study day (decks roll over at their own
hour): the query joins a table `day` of the decks searched, with today and when it ends.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from studycards.convert import deck_fold, deck_name
from studycards.model import CardListing, CardState, deck_ancestors, tag_name
from studycards.search import (
    And,
    Compare,
    Deck,
    Is,
    Node,
    Not,
    Op,
    Or,
    Prop,
    Rated,
    Status,
    Tag,
    Text,
)
from studycards.store.decks import deck_tree
from studycards.store.due import Day
from studycards.store.rows import SUSPENDED, ListedCard
from studycards.text import printable

# The page's cards are chosen, with their schedules, from the index ix_cards_browse alone (a
# subquery with a LIMIT is never merged into the join around it); only their questions are
# then read from the table, whose long answers lie before the schedule columns. CROSS JOIN
# keeps the page the outer loop: with JOIN, SQLite 3.40 took three times as long.
_SELECT = """
    WITH day(deck_id, today, until, rank) AS (
        SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
            json_extract(value, '$[2]'), key
        FROM json_each(?)
    ), page AS (
        SELECT c.id, c.state, c.due, c.interval, c.ease, c.reps, day.today, c.queue,
            c.buried_until, day.rank
        FROM day JOIN cards c ON c.deck_id = day.deck_id
        WHERE {where} ORDER BY c.due IS NULL, c.due, day.rank, c.id LIMIT ? OFFSET ?
    )
    SELECT p.id, d.name, c.front, p.state, p.due, p.interval, p.ease, p.reps, p.today, p.queue,
        p.buried_until
    FROM page p CROSS JOIN cards c ON c.id = p.id CROSS JOIN decks d ON d.id = c.deck_id
    ORDER BY p.due IS NULL, p.due, p.rank, p.id
"""
_MATCH = "+c.id IN (SELECT rowid FROM card_search WHERE card_search MATCH ?)"
_NOT_BURIED = "coalesce(c.buried_until, 0) <= day.today"
_STATUS = {
    Status.NEW: f"c.state = {int(CardState.NEW)}",
    Status.LEARN: f"c.state = {int(CardState.LEARNING)}",
    Status.REVIEW: f"c.state = {int(CardState.REVIEW)}",
    Status.SUSPENDED: f"c.queue = {SUSPENDED}",
    Status.BURIED: f"NOT {_NOT_BURIED}",
    # what a session shows today, deck limits aside (as `due.shows_today` has it)
    Status.DUE: f"(c.queue = {int(CardState.REVIEW)}"
    " AND coalesce(c.due, day.today + 1) <= day.today"
    f" OR c.queue = {int(CardState.LEARNING)} AND coalesce(c.redrill_at, 0) < day.until)"
    f" AND {_NOT_BURIED}",
}
_PROP = {
    Prop.IVL: "c.interval",
    Prop.LAPSES: "c.lapses",
    Prop.EASE: "c.ease",
    Prop.REPS: "(SELECT count(*) FROM reviews r WHERE r.card_id = c.id)",
    Prop.DUE: "c.due - day.today",  # NULL for a new card: compared under `c.due IS NOT NULL`
}
_SQL_OPS = {Op.EQ: "=", Op.NE: "!=", Op.LT: "<", Op.GT: ">", Op.LE: "<=", Op.GE: ">="}


def search_cards(
    conn: sqlite3.Connection,
    query: Node | None,
    now: datetime,
    deck: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CardListing]:
    """Cards matching `query` (all for None) of `deck` and its children (every deck for None),
    soonest due first as `cards` lists them: the page of `limit` rows after `offset`."""
    decks = deck_tree(conn, deck)
    days = [  # in the order of their names: the listing's order within a day
        (deck_id, *Day.of(now, settings.rollover_hour))
        for deck_id, settings in sorted(decks.items(), key=lambda item: item[1].name)
    ]
    names = {deck_id: settings.name for deck_id, settings in decks.items()}
    params: list[object] = [json.dumps(days)]
    where = "1" if query is None else _Compiler(names, params).condition(query)
    params += [-1 if limit is None else limit, offset]
    conn.create_function("search_has_tag", 2, _has_tag, deterministic=True)
    rows = conn.execute(_SELECT.format(where=where), params)
    return [ListedCard._make(row).listing() for row in rows]


def fts_string(text: str, prefix: bool) -> str:
    """`text` as one FTS5 string (a phrase of its words), quotes doubled: FTS5's operators and
    column filters inside it are only text. A prefix string matches words its last word begins.
    Control characters go, as they went from card text (FTS5 takes a NUL for the string's end)."""
    return '"' + printable(text).replace('"', '""') + '"' + "*" * prefix


def glob_match(pattern: str, text: str) -> bool:
    """Whether `text` is `pattern`, whose `*`s stand for any characters (none included).

    Without a regular expression: the pieces between the stars are found left to right, each
    as early as it can be, which is the earliest placement that leaves the most for the rest.
    """
    if "*" not in pattern:
        return text == pattern
    first, *middle, last = pattern.split("*")
    if len(text) < len(first) + len(last) or not (text.startswith(first) and text.endswith(last)):
        return False
    at, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def _name_matches(pattern: str, name: str) -> bool:
    """Whether a deck or tag `name` (folded) is `pattern` (folded) or under one that is."""
    return any(glob_match(pattern, prefix) for prefix in deck_ancestors(name))


def _has_tag(tags: str, pattern: str) -> bool:
    """SQL function: whether one of `tags` (a card's, space-separated) matches `pattern`.
    Tags fold as deck names do (case and Unicode form do not count)."""
    return any(_name_matches(pattern, tag) for tag in deck_fold(tags).split())


class _Compiler:
    """A tree to one SQL condition, appending the values it binds to `params` in order."""

    def __init__(self, decks: dict[int, str], params: list[object]) -> None:
        self.decks = decks
        self.params = params

    def _bind(self, value: object) -> str:
        self.params.append(value)
        return "?"

    def condition(self, node: Node) -> str:
        if isinstance(node, Not):
            return f"NOT ({self.condition(node.term)})"
        if isinstance(node, And | Or):
            return self._join(node)
        if isinstance(node, Text):
            return _MATCH.replace("?", self._bind(fts_string(node.text, not node.phrase)))
        if isinstance(node, Deck):
            wanted = deck_fold(deck_name(node.name))
            ids = [i for i, name in self.decks.items() if _name_matches(wanted, deck_fold(name))]
            return f"c.deck_id IN (SELECT value FROM json_each({self._bind(json.dumps(ids))}))"
        if isinstance(node, Tag):
            return self._tag(deck_fold(tag_name(node.name)))
        if isinstance(node, Is):
            leech = node.status is Status.LEECH
            return self._tag("leech") if leech else f"({_STATUS[node.status]})"
        if isinstance(node, Compare):
            compared = f"{_PROP[node.prop]} {_SQL_OPS[node.op]} {self._bind(node.value)}"
            return f"(c.due IS NOT NULL AND {compared})" if node.prop is Prop.DUE else compared
        if isinstance(node, Rated):
            return (
                "EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id"
                f" AND r.day > day.today - {self._bind(node.days)})"
            )
        raise AssertionError(node)  # every kind of node is compiled above

    def _tag(self, wanted: str) -> str:
        """Cards with the tag `wanted` (folded) or a child of it. SQLite folds the case of
        ASCII alone: with an ASCII tag, SQL's LIKE decides (on the index: a quick LIKE first,
        as most cards lack even the letters); `_has_tag`, in Python, is asked only of cards
        with other characters in their tags (`STRAßE` is `strasse`). A glob is Python's."""
        if "*" in wanted:
            return f"search_has_tag(c.tags, {self._bind(wanted)})"
        in_sql = "0"  # an ASCII tag never folds to anything but ASCII
        if wanted.isascii():
            escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            padded = "(' ' || c.tags || ' ')"
            in_sql = (
                f"c.tags LIKE {self._bind(f'%{escaped}%')} ESCAPE '\\'"
                f" AND ({padded} LIKE {self._bind(f'% {escaped} %')} ESCAPE '\\'"
                f" OR {padded} LIKE {self._bind(f'% {escaped}::%')} ESCAPE '\\')"
            )
        return (
            f"({in_sql} OR length(c.tags) != length(CAST(c.tags AS BLOB))"
            f" AND search_has_tag(c.tags, {self._bind(wanted)}))"
        )

    def _join(self, node: And | Or) -> str:
        """`a AND b ...`, the words and phrases among the terms matched in one FTS5 query."""
        joiner = " AND " if isinstance(node, And) else " OR "
        texts = [term for term in node.terms if isinstance(term, Text)]
        parts = []
        if texts:  # bound first, as it comes first
            match = joiner.join(fts_string(text.text, not text.phrase) for text in texts)
            parts.append(_MATCH.replace("?", self._bind(match)))
        parts += [self.condition(term) for term in node.terms if not isinstance(term, Text)]
        return "(" + joiner.join(parts) + ")"
