"""A parsed search's terms as one SQL condition on a card `c` in its deck's `day` (the
columns `today`, `until`): every value from the user is a bound parameter, words and phrases
going to the FTS5 index `card_search` (migration 8) as quoted FTS5 strings.

Each term compiles to a condition that is never NULL, so that `-term` is exactly the cards
the term does not match.
"""

from __future__ import annotations

import json

from studycards.convert import deck_fold, deck_name
from studycards.model import CardState, deck_ancestors, tag_name
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
from studycards.store.rows import SUSPENDED
from studycards.text import printable

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


def joined_text(node: And | Or) -> str:
    """The words and phrases among the terms as one FTS5 query, joined as the node joins."""
    joiner = " AND " if isinstance(node, And) else " OR "
    texts = [term for term in node.terms if isinstance(term, Text)]
    return joiner.join(fts_string(text.text, not text.phrase) for text in texts)


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


def has_tag(tags: str, pattern: str) -> bool:
    """SQL function: whether one of `tags` (a card's, space-separated) matches `pattern`.
    Tags fold as deck names do (case and Unicode form do not count)."""
    return any(_name_matches(pattern, tag) for tag in deck_fold(tags).split())


class Compiler:
    """A tree to one SQL condition, appending the values it binds to `params` in order."""

    def __init__(
        self,
        decks: dict[int, str],
        params: list[object],
        *,
        known: tuple[str, bool] | None = None,
        relaxed: bool = False,
    ) -> None:
        self.decks = decks
        self.params = params
        self.known = known  # an FTS5 query true (or false) of every card searched
        self.relaxed = relaxed  # text tests become what makes the condition hold, if any

    def _bind(self, value: object) -> str:
        self.params.append(value)
        return "?"

    def condition(self, node: Node, negated: bool = False) -> str:
        """`node` as SQL; `negated` under an odd number of NOTs."""
        if isinstance(node, Not):
            return f"NOT ({self.condition(node.term, not negated)})"
        if isinstance(node, And | Or):
            return self._join(node, negated)
        if isinstance(node, Text):
            return self._text(fts_string(node.text, not node.phrase), negated)
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
            # answered since the earliest of the decks' days (a set read once from the index
            # by day), then since the card's deck's: not a probe of the log for every card
            return (
                "(+c.id IN (SELECT card_id FROM reviews"
                f" WHERE day > (SELECT min(today) FROM day) - {self._bind(node.days)})"
                " AND EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id"
                f" AND r.day > day.today - {self._bind(node.days)}))"
            )
        raise AssertionError(node)  # every kind of node is compiled above

    def _tag(self, wanted: str) -> str:
        """Cards with the tag `wanted` (folded) or a child of it. SQLite folds the case of
        ASCII alone: with an ASCII tag, SQL's LIKE decides (on the index: a quick LIKE first,
        as most cards lack even the letters); `has_tag`, in Python, is asked only of cards
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

    def _text(self, match: str, negated: bool) -> str:
        """A test of the FTS5 query `match`; relaxed, true or false as the NOTs above it make
        the condition hold (what a card's text is aside, the condition is then implied)."""
        if self.known is not None and match == self.known[0]:
            return "1" if self.known[1] else "0"
        if self.relaxed:
            return "0" if negated else "1"
        return _MATCH.replace("?", self._bind(match))

    def _join(self, node: And | Or, negated: bool) -> str:
        """`a AND b ...`, the words and phrases among the terms matched in one FTS5 query,
        tested last: a card the other terms settle is never looked up in the set of matches
        (the set itself is built when first needed)."""
        joiner = " AND " if isinstance(node, And) else " OR "
        parts = [self.condition(term, negated) for term in node.terms if not isinstance(term, Text)]
        if any(isinstance(term, Text) for term in node.terms):
            parts.append(self._text(joined_text(node), negated))
        return "(" + joiner.join(parts) + ")"
