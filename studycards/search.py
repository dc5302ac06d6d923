"""A search query, as typed, parsed into a small tree: a subset of Anki's search syntax.

Pure: no database and no clock. The store compiles the tree to SQL (`store/search.py`). The
query is read by a tokenizer that looks at each character once (no regular expression runs on
it), then by a recursive-descent parser whose depth is bounded, so any text costs time in
proportion to its length and either parses or raises one `SearchError`.

Grammar (`and` binds tighter than `or`, as in Anki and SQL):

    query := or ; or := and ("or" and)* ; and := unary (["and"] unary)*
    unary := "-" unary | "(" or ")" | WORD | "PHRASE" | field:value | field:"value"
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from studycards.errors import SearchError
from studycards.text import shorten

MAX_TERMS = 100  # each is a clause of the SQL: SQLite bounds an expression's depth
MAX_DEPTH = 16  # nested parentheses and negations, so the parser's recursion stays shallow
MAX_NUMBER = 10**9  # a prop: or rated: value beyond this is a typo, and SQLite's integers end


class Status(StrEnum):
    """`is:` values."""

    NEW = "new"
    LEARN = "learn"
    REVIEW = "review"
    DUE = "due"
    SUSPENDED = "suspended"
    BURIED = "buried"
    LEECH = "leech"


class Prop(StrEnum):
    """`prop:` names: Anki's spelling of the card's numbers."""

    IVL = "ivl"  # interval, days
    DUE = "due"  # days from today to the due day
    LAPSES = "lapses"
    REPS = "reps"  # answers given
    EASE = "ease"  # SM-2's ease factor, e.g. 2.5


class Op(StrEnum):
    """Comparisons of `prop:`; the two-character ones first, as the tokenizer tries them."""

    LE = "<="
    GE = ">="
    NE = "!="
    LT = "<"
    GT = ">"
    EQ = "="


@dataclass(frozen=True, slots=True)
class Text:
    """Full-text: a word (matching as a word prefix) or a quoted phrase (whole words in order)."""

    text: str
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class Deck:
    """`deck:` a deck and its children; `*` stands for any characters."""

    name: str


@dataclass(frozen=True, slots=True)
class Tag:
    """`tag:` a tag and its `tag::child` tags; `*` stands for any characters."""

    name: str


@dataclass(frozen=True, slots=True)
class Is:
    status: Status


@dataclass(frozen=True, slots=True)
class Compare:
    """`prop:` a number of the card against a value."""

    prop: Prop
    op: Op
    value: int | float


@dataclass(frozen=True, slots=True)
class Rated:
    """`rated:N` answered in the last N study days (1: today)."""

    days: int


@dataclass(frozen=True, slots=True)
class Not:
    term: Node


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple[Node, ...]


Node = Text | Deck | Tag | Is | Compare | Rated | Not | And | Or
_FIELDS = ("deck", "tag", "is", "prop", "rated")
_PROPS = {prop.value for prop in Prop}


class _Kind(Enum):
    TERM = "a search term"
    OPEN = "'('"
    CLOSE = "')'"
    NOT = "'-'"
    OR = "'or'"
    AND = "'and'"
    END = "the end"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    at: int  # index of its first character in the query
    node: Node | None = None  # a TERM's meaning


def parse_query(query: str) -> Node | None:
    """The tree of `query`, or None when it is blank (every card)."""
    tokens = _Tokens(query).read()
    if tokens[0].kind is _Kind.END:
        return None
    return _Parser(query, tokens).parse()


class _Tokens:
    """The tokenizer: one pass over the query, each character looked at once."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.at = 0
        self.tokens: list[_Token] = []

    def read(self) -> list[_Token]:
        query = self.query
        while True:
            while self.at < len(query) and query[self.at].isspace():
                self.at += 1
            if self.at == len(query):
                self.tokens.append(_Token(_Kind.END, self.at))
                return self.tokens
            char, start = query[self.at], self.at
            if char in "()":
                self.tokens.append(_Token(_Kind.OPEN if char == "(" else _Kind.CLOSE, start))
                self.at += 1
            elif char == "-":
                self.tokens.append(_Token(_Kind.NOT, start))
                self.at += 1
            elif char == '"':
                self._term(Text(self._quoted(), phrase=True), start)
            else:
                self._bare(start)
            if len(self.tokens) > 4 * MAX_TERMS:
                raise SearchError(query, start, f"a search holds at most {MAX_TERMS} terms")

    def _term(self, node: Node, start: int) -> None:
        self.tokens.append(_Token(_Kind.TERM, start, node))

    def _quoted(self) -> str:
        """The text between a quote at `self.at` and its closing quote; `\\"` is a quote."""
        start = self.at
        self.at += 1
        chars: list[str] = []
        while self.at < len(self.query):
            char = self.query[self.at]
            self.at += 1
            if char == '"':
                return "".join(chars)
            if char == "\\" and self.at < len(self.query):
                char = self.query[self.at]
                self.at += 1
            chars.append(char)
        raise SearchError(self.query, start, "this quote is never closed")

    def _bare(self, start: int) -> None:
        """A word, `or`/`and`, or `field:value` (whose value may be quoted)."""
        query = self.query
        while self.at < len(query) and not (query[self.at].isspace() or query[self.at] in '()"'):
            self.at += 1
        word = query[start : self.at]
        lowered = word.casefold()
        if lowered in ("or", "and"):
            self.tokens.append(_Token(_Kind.OR if lowered == "or" else _Kind.AND, start))
            return
        field, colon, value = word.partition(":")
        if not colon or not field.isalpha():
            self._term(Text(word), start)
            return
        if field.casefold() not in _FIELDS:
            known = ", ".join(_FIELDS)
            problem = f"unknown field {shorten(field, 20)!r} (known: {known}; quote text to find)"
            raise SearchError(query, start, problem)
        if not value and self.at < len(query) and query[self.at] == '"':
            value = self._quoted()
        self._term(_field(query, start, field.casefold(), value), start)


def _field(query: str, at: int, field: str, value: str) -> Node:
    """The meaning of `field:value`."""
    if not value.strip():
        raise SearchError(query, at, f"{field}: needs a value")
    if field == "deck":
        return Deck(value.strip())
    if field == "tag":
        return Tag(value.strip())
    if field == "rated":
        return Rated(int(_number(query, at, value, whole=True, least=1)))
    if field == "is":
        try:
            return Is(Status(value.casefold()))
        except ValueError:
            known = ", ".join(status.value for status in Status)
            problem = f"is:{shorten(value, 20)} is not one of is:{known}"
            raise SearchError(query, at, problem) from None
    return _comparison(query, at, value)


def _comparison(query: str, at: int, value: str) -> Compare:
    """`prop:NAME OP NUMBER`, e.g. `prop:ivl>=10`."""
    end = 0
    while end < len(value) and value[end].isalpha():
        end += 1
    name = value[:end].casefold()
    op = next((op for op in Op if value.startswith(op.value, end)), None)
    if name not in _PROPS or op is None:
        names = ", ".join(prop.value for prop in Prop)
        shape = "prop:NAME, a comparison (= != < > <= >=) and a number"
        problem = f"prop:{shorten(value, 20)} is not {shape}; its names: {names}"
        raise SearchError(query, at, problem)
    prop = Prop(name)
    number = value[end + len(op.value) :]
    whole = prop is not Prop.EASE
    return Compare(prop, op, _number(query, at, number, whole=whole, least=-MAX_NUMBER))


def _number(query: str, at: int, text: str, *, whole: bool, least: int) -> int | float:
    """A plain decimal number (no exponent, no `nan`) from `least` to MAX_NUMBER."""
    digits = text[1:] if text.startswith("-") else text
    integral, point, fraction = digits.partition(".")
    fits = not point or (not whole and fraction.isdecimal() and fraction.isascii())
    plain = len(text) <= 20 and integral.isdecimal() and integral.isascii() and fits
    if plain:
        number = float(text) if point else int(text)
        if least <= number <= MAX_NUMBER:
            return number
    kind = "a whole number" if whole else "a number"
    problem = f"{shorten(text, 20)!r} is not {kind} from {least} to {MAX_NUMBER}"
    raise SearchError(query, at, problem)


class _Parser:
    """Recursive descent over the tokens, at most MAX_DEPTH levels deep."""

    def __init__(self, query: str, tokens: list[_Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.next = 0
        self.terms = 0

    def parse(self) -> Node:
        node = self._or(0)
        token = self.tokens[self.next]
        if token.kind is not _Kind.END:  # only a ')' stops an `or` early
            raise SearchError(self.query, token.at, "this ')' closes no '('")
        return node

    def _peek(self) -> _Token:
        return self.tokens[self.next]

    def _take(self) -> _Token:
        token = self.tokens[self.next]
        self.next += 1
        return token

    def _or(self, depth: int) -> Node:
        terms = [self._and(depth)]
        while self._peek().kind is _Kind.OR:
            self._take()
            terms.append(self._and(depth))
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def _and(self, depth: int) -> Node:
        terms = [self._unary(depth)]
        while self._peek().kind not in (_Kind.OR, _Kind.CLOSE, _Kind.END):
            if self._peek().kind is _Kind.AND:
                self._take()
            terms.append(self._unary(depth))
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def _unary(self, depth: int) -> Node:
        token = self._take()
        if depth > MAX_DEPTH:
            raise SearchError(
                self.query, token.at, f"parentheses and '-' nest at most {MAX_DEPTH} deep"
            )
        if token.kind is _Kind.NOT:
            term = self._unary(depth + 1)
            return term.term if isinstance(term, Not) else Not(term)  # `--x` is x
        if token.kind is _Kind.OPEN:
            inner = self._or(depth + 1)
            close = self._take()
            if close.kind is not _Kind.CLOSE:
                raise SearchError(self.query, token.at, "this '(' is never closed")
            return inner
        if token.kind is _Kind.TERM and token.node is not None:
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise SearchError(self.query, token.at, f"a search holds at most {MAX_TERMS} terms")
            return token.node
        before = self.tokens[self.next - 2] if self.next >= 2 else None
        after = f" after {before.kind.value}" if before is not None else ""
        raise SearchError(self.query, token.at, f"a search term is missing{after}")
