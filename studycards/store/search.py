"""A parsed search (`studycards.search`) run on a collection: its terms become one SQL
condition (`conditions.Compiler`) tested on cards, in a query whose plan follows how many
cards match the query's text.

Days are each card's deck's study day (decks roll over at their own hour): the query joins a
table `day` of the decks searched, with today and when it ends.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from studycards.model import CardListing
from studycards.search import And, Node, Not, Or, Text
from studycards.store.conditions import Compiler, fts_string, has_tag, joined_text
from studycards.store.decks import deck_tree
from studycards.store.due import Day
from studycards.store.rows import ListedCard

# The page's cards are chosen, with their schedules, from the index ix_cards_browse alone (a
# subquery with a LIMIT is never merged into the join around it); only their questions are
# then read from the table, whose long answers lie before the schedule columns. CROSS JOIN
# keeps the page the outer loop: with JOIN, SQLite 3.40 took three times as long. `{rows}`
# are the cards the page is chosen from (`{candidates}` may define them). The table `day` is
# made once (its LIMIT keeps SQLite from reading the JSON again for each card: is:due took
# 25 ms, not 15), without MATERIALIZED, which SQLite before 3.35 does not know.
_DAY = """
    WITH day(deck_id, today, until, rank) AS (
        SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
            json_extract(value, '$[2]'), key
        FROM json_each(?) LIMIT -1
    )"""
_SELECT = (
    _DAY
    + """{candidates}, page AS (
        SELECT c.id, c.state, c.due, c.interval, c.ease, c.reps, day.today, c.queue,
            c.buried_until, day.rank
        FROM {rows} WHERE {where} ORDER BY c.due IS NULL, c.due, day.rank, c.id LIMIT ? OFFSET ?
    )
    SELECT p.id, d.name, c.front, p.state, p.due, p.interval, p.ease, p.reps, p.today, p.queue,
        p.buried_until, c.lapses, c.difficulty, d.scheduler
    FROM page p CROSS JOIN cards c ON c.id = p.id CROSS JOIN decks d ON d.id = c.deck_id
    ORDER BY p.due IS NULL, p.due, p.rank, p.id
"""
)
_EVERY_CARD = "day JOIN cards c ON c.deck_id = day.deck_id"
# the cards of the ids bound, read from the table by id
_BY_ID = (
    "json_each(?) m CROSS JOIN cards c ON c.id = m.value CROSS JOIN day ON day.deck_id = c.deck_id"
)
# The first cards in order that a condition (the query, its text aside) matches. The due
# day of the nth card with one that it matches in each deck, read in the order of the index,
# bounds them: the first n cards in order have their due day by the least of those.
_CUTOFF = (
    _DAY
    + """
    SELECT min((SELECT c.due FROM cards c WHERE c.deck_id = day.deck_id AND c.due IS NOT NULL
        AND {relaxed} ORDER BY c.due LIMIT 1 OFFSET ?)) FROM day"""
)
_FIRST = """, candidate AS (
        SELECT c.id FROM day JOIN cards c ON c.deck_id = day.deck_id
        WHERE {relaxed} AND {dated} ORDER BY c.due IS NULL, c.due, day.rank, c.id LIMIT ?
    )"""
_CANDIDATE = (
    "candidate k CROSS JOIN cards c ON c.id = k.id CROSS JOIN day ON day.deck_id = c.deck_id"
)
# Up to this many cards matching a search's text are read by id (~1 µs each, from the table);
# testing a card against the set of many matches costs ~0.3 µs, for every card searched.
FEW = 10_000


def search_cards(
    conn: sqlite3.Connection,
    query: Node | None,
    now: datetime,
    deck: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CardListing]:
    """Cards matching `query` (all for None) of `deck` and its children (every deck for None),
    soonest due first as `cards` lists them: the page of `limit` rows after `offset`.

    The plan follows how many cards match the text that every match has (`lead`), or lack
    (`absent`): up to `FEW`, those alone are read. Past it, the page is looked for among the
    first cards in order that the rest of the query matches, as many as hold it twice over if
    the text matches `FEW` of the cards; a page found whole there is the page. Else every
    card searched is tested, as for a query without text."""
    search = Search.of(conn, query, now, deck, limit, offset)
    text = None if query is None else lead(query)
    if text is None:
        lacked = None if query is None else absent(query)
        every = None if lacked is None else _every_card_text(search.decks)
        if lacked is not None and every is not None:
            ids = _matches(conn, f"{every} NOT ({lacked})")
            if len(ids) <= FEW:
                return search.by_id(ids, (lacked, False))
        return search.every_card()
    ids = _matches(conn, text)
    if len(ids) <= FEW:
        return search.by_id(ids, (text, True))
    cards = conn.execute("SELECT max(id) FROM cards").fetchone()[0] or 0
    first = None if limit is None else 2 * (offset + limit) * cards // FEW
    if first is not None and first < cards:  # else as well test every card
        page = search.among_first(first)
        if page is not None:
            return page
    return search.every_card()


def _matches(conn: sqlite3.Connection, text: str) -> list[int]:
    """The cards the FTS5 query `text` matches, up to one past `FEW`."""
    sql = "SELECT rowid FROM card_search WHERE card_search MATCH ? LIMIT ?"
    return [rowid for (rowid,) in conn.execute(sql, (text, FEW + 1))]


def _every_card_text(decks: dict[int, str]) -> str | None:
    """An FTS5 query matching every card of these decks (by its deck's name, in the index),
    or None unless each name holds a word to find it by: an ASCII letter or digit, surely one
    to FTS5 (whose Unicode tables are 6.1's, where a newer letter is no word)."""
    if not decks or not all(
        any(c.isascii() and c.isalnum() for c in name) for name in decks.values()
    ):
        return None
    return f"deck : ({' OR '.join(fts_string(name, prefix=False) for name in decks.values())})"


@dataclass(frozen=True, slots=True)
class Search:
    """One search's page, by each plan: the cards it is chosen from differ, never the page."""

    conn: sqlite3.Connection
    query: Node | None
    decks: dict[int, str]
    days: str  # JSON: [deck id, today, when today ends] by deck name
    limit: int | None
    offset: int

    @classmethod
    def of(
        cls,
        conn: sqlite3.Connection,
        query: Node | None,
        now: datetime,
        deck: str | None,
        limit: int | None,
        offset: int,
    ) -> Search:
        conn.create_function("search_has_tag", 2, has_tag, deterministic=True)
        decks = deck_tree(conn, deck)
        days = [  # in the order of their names: the listing's order within a day
            (deck_id, *Day.of(now, settings.rollover_hour))
            for deck_id, settings in sorted(decks.items(), key=lambda item: item[1].name)
        ]
        names = {deck_id: settings.name for deck_id, settings in decks.items()}
        return cls(conn, query, names, json.dumps(days), limit, offset)

    def every_card(self) -> list[CardListing]:
        """The page, chosen from every card of the decks searched."""
        return self._page(_EVERY_CARD)

    def by_id(self, ids: list[int], known: tuple[str, bool]) -> list[CardListing]:
        """The page, chosen from the cards `ids`: those that an FTS5 query matches, or does
        not, as `known` says."""
        return self._page(_BY_ID, (json.dumps(ids),), known=known)

    def among_first(self, count: int) -> list[CardListing] | None:
        """The page, if it is found whole among the first `count` cards in order that the
        query matches when each of its words and phrases is taken to be there or not,
        whichever lets the query match (every card that it matches is among them)."""
        if self.limit is None:
            return None
        params: list[object] = []
        compiler = Compiler(self.decks, params, relaxed=True)
        relaxed = "1" if self.query is None else compiler.condition(self.query)
        cutoff_sql = _CUTOFF.format(relaxed=relaxed)
        (cutoff,) = self.conn.execute(cutoff_sql, [self.days, *params, count - 1]).fetchone()
        dated = "1" if cutoff is None else "c.due <= ?"  # else the undated ones may be first
        params += [] if cutoff is None else [cutoff]
        first = _FIRST.format(relaxed=relaxed, dated=dated)
        page = self._page(_CANDIDATE, first=first, first_bound=(*params, count))
        return page if len(page) == self.limit else None

    def _page(
        self,
        rows: str,
        bound: tuple[object, ...] = (),
        *,
        known: tuple[str, bool] | None = None,
        first: str = "",
        first_bound: tuple[object, ...] = (),
    ) -> list[CardListing]:
        """The page of the cards `rows` (binding `bound`), of all of which an FTS5 query is
        true or false as `known` says; `first` defines the candidates `rows` may name (binding
        `first_bound`)."""
        params: list[object] = [self.days, *first_bound, *bound]
        compiler = Compiler(self.decks, params, known=known)
        where = "1" if self.query is None else compiler.condition(self.query)
        params += [-1 if self.limit is None else self.limit, self.offset]
        sql = _SELECT.format(candidates=first, rows=rows, where=where)
        return [ListedCard._make(row).listing() for row in self.conn.execute(sql, params)]


def lead(query: Node) -> str | None:
    """The FTS5 query of the text that every match has, if any: the query's own when it is
    all text, else its AND's words and phrases, else an AND's term that is all text."""
    whole = _text_of(query)
    if whole is not None or not isinstance(query, And):
        return whole
    if any(isinstance(term, Text) for term in query.terms):
        return joined_text(query)
    return next((text for term in query.terms if (text := _text_of(term)) is not None), None)


def _text_of(node: Node) -> str | None:
    """The FTS5 query a term is when it is all text (a word or phrase, or an AND or OR of
    them), else None."""
    if isinstance(node, Text):
        return fts_string(node.text, not node.phrase)
    if isinstance(node, And | Or) and all(isinstance(term, Text) for term in node.terms):
        return joined_text(node)
    return None


def absent(query: Node) -> str | None:
    """The FTS5 query of text that no match has, if any: the query is, or its AND has, a NOT
    of a term that is all text."""
    terms = query.terms if isinstance(query, And) else (query,)
    negated = (_text_of(term.term) for term in terms if isinstance(term, Not))
    return next((text for text in negated if text is not None), None)
