"""The search parser: what each piece of syntax means, where a malformed query is said to go
wrong, and, over arbitrary text, a tree or a SearchError and nothing else."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studycards.errors import SearchError
from studycards.search import (
    MAX_DEPTH,
    MAX_TERMS,
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
    parse_query,
)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("", None),
        ("  \t\n", None),
        ("chemo", Text("chemo")),
        ('"primary goals"', Text("primary goals", phrase=True)),
        ('"say \\"hi\\" \\\\"', Text('say "hi" \\', phrase=True)),
        ("a b", And((Text("a"), Text("b")))),
        ("a and b", And((Text("a"), Text("b")))),
        ("a b or c", Or((And((Text("a"), Text("b"))), Text("c")))),
        ("a (b or c)", And((Text("a"), Or((Text("b"), Text("c")))))),
        ("a OR b Or c", Or((Text("a"), Text("b"), Text("c")))),
        ("-a", Not(Text("a"))),
        ("--a", Text("a")),
        ("-(a or b)", Not(Or((Text("a"), Text("b"))))),
        ('-"a b"', Not(Text("a b", phrase=True))),
        ("e-mail", Text("e-mail")),
        ("10:30", Text("10:30")),
        ("orchid andes", And((Text("orchid"), Text("andes")))),
        ('"or"', Text("or", phrase=True)),
        ("deck:Medicine::Oncology", Deck("Medicine::Oncology")),
        ('deck:"Biology Extra"', Deck("Biology Extra")),
        ("DECK:x", Deck("x")),
        ("tag:a::b", Tag("a::b")),
        ("is:due", Is(Status.DUE)),
        ("is:Suspended", Is(Status.SUSPENDED)),
        ("prop:ivl>=10", Compare(Prop.IVL, Op.GE, 10)),
        ("prop:due<=-3", Compare(Prop.DUE, Op.LE, -3)),
        ("prop:ease!=2.5", Compare(Prop.EASE, Op.NE, 2.5)),
        ("prop:lapses=0", Compare(Prop.LAPSES, Op.EQ, 0)),
        ("prop:reps>1", Compare(Prop.REPS, Op.GT, 1)),
        ("prop:IVL<1", Compare(Prop.IVL, Op.LT, 1)),
        ("rated:7", Rated(7)),
        ('a"b c"', And((Text("a"), Text("b c", phrase=True)))),
    ],
)
def test_the_syntax(query, tree):
    assert parse_query(query) == tree


@pytest.mark.parametrize(
    ("query", "where", "problem"),
    [
        ("a (b", 3, "this '(' is never closed"),
        ("a )", 3, "this ')' closes no '('"),
        ("()", 2, "a search term is missing after '('"),
        ("or a", 1, "a search term is missing"),
        ("a or", None, "a search term is missing after 'or'"),
        ("a -", None, "a search term is missing after '-'"),
        ("a and or b", 7, "a search term is missing after 'and'"),
        ('"open', 1, "this quote is never closed"),
        ("dek:Medicine", 1, "unknown field 'dek'"),
        ("deck:", 1, "deck: needs a value"),
        ('tag:""', 1, "tag: needs a value"),
        ("is:old", 1, "is:old is not one of is:new, learn"),
        ("prop:ivl", 1, "prop:ivl is not prop:NAME"),
        ("prop:size>1", 1, "its names: ivl, due, lapses, reps, ease"),
        ("prop:ivl>=1.5", 1, "'1.5' is not a whole number"),
        ("prop:ease>nan", 1, "'nan' is not a number"),
        ("prop:ivl>1e3", 1, "'1e3' is not a whole number"),
        ("rated:0", 1, "'0' is not a whole number from 1"),
        ("rated:x", 1, "'x' is not a whole number"),
        ("(" * (MAX_DEPTH + 2) + "a", MAX_DEPTH + 2, "nest at most"),
        ("-" * (MAX_DEPTH + 2) + "a", MAX_DEPTH + 2, "nest at most"),
        ("a " * (MAX_TERMS + 1), 2 * MAX_TERMS + 1, f"at most {MAX_TERMS} terms"),
    ],
)
def test_a_malformed_query_says_what_and_where(query, where, problem):
    with pytest.raises(SearchError) as raised:
        parse_query(query)
    message = str(raised.value)
    assert problem in message
    assert "\n" not in message
    if where is None:
        assert "at its end" in message
    else:
        assert f"at character {where} " in message
        assert raised.value.at == where - 1


def test_a_long_query_is_quoted_in_part():
    with pytest.raises(SearchError) as raised:
        parse_query("x" * 10_000 + " )")
    assert len(str(raised.value)) < 200


@given(st.text(max_size=200))
@settings(max_examples=500)
def test_any_text_parses_or_raises_a_search_error(query):
    try:
        parse_query(query)
    except SearchError as err:
        assert 0 <= err.at <= len(query)
        assert "\n" not in str(err)


_SYNTAX = st.sampled_from(["(", ")", "-", '"', "or", "and", " ", "deck:", "tag:", "is:", "prop:",
                           "rated:", "ivl", ">=", "a", "\\", "*", "::"])  # fmt: skip


@given(st.lists(_SYNTAX, max_size=40).map("".join))
@settings(max_examples=500)
def test_syntax_soup_parses_or_raises_a_search_error(query):
    with contextlib.suppress(SearchError):
        parse_query(query)


# Trees written back as queries parse to themselves.
_WORD = st.text(
    st.characters(categories=("L", "N"), include_characters="-_.'*:"), min_size=1, max_size=8
).filter(lambda w: w.casefold() not in ("or", "and") and not w.startswith("-") and (
    ":" not in w or not w.partition(":")[0].isalpha()
))  # fmt: skip
_LEAVES = st.one_of(
    st.builds(Text, _WORD),
    st.builds(Text, st.text(min_size=0, max_size=8), st.just(True)),
    st.builds(Deck, st.text(min_size=1, max_size=8).map(str.strip).filter(bool)),
    st.builds(Tag, st.text(min_size=1, max_size=8).map(str.strip).filter(bool)),
    st.builds(Is, st.sampled_from(Status)),
    st.builds(Compare, st.sampled_from(Prop), st.sampled_from(Op), st.integers(-1000, 1000)),
    st.builds(Rated, st.integers(1, 365)),
)


def _tree(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    terms = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(
        st.builds(Not, children.filter(lambda node: not isinstance(node, Not))),
        st.builds(And, terms),
        st.builds(Or, terms),
    )


def _written(node: Node) -> str:
    """A query for `node`: the inverse of the parser (groups always parenthesised)."""
    if isinstance(node, Text):
        quoted = node.text.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}"' if node.phrase else node.text
    if isinstance(node, Deck | Tag):
        name = node.name.replace("\\", "\\\\").replace('"', '\\"')
        return f'{type(node).__name__.lower()}:"{name}"'
    if isinstance(node, Is):
        return f"is:{node.status}"
    if isinstance(node, Compare):
        return f"prop:{node.prop}{node.op}{node.value}"
    if isinstance(node, Rated):
        return f"rated:{node.days}"
    if isinstance(node, Not):
        return f"-({_written(node.term)})"
    joiner = " " if isinstance(node, And) else " or "
    return joiner.join(f"({_written(term)})" for term in node.terms)


@given(st.recursive(_LEAVES, _tree, max_leaves=12))
@settings(max_examples=500)
def test_a_written_tree_parses_back_to_itself(tree):
    assert parse_query(_written(tree)) == tree
