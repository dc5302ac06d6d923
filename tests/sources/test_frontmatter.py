from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studycards.errors import SourceError
from studycards.model import Related
from studycards.sources.frontmatter import parse_document
from studycards.sources.records import Article, QaRecord
from studycards.sources.text import MAX_FILE_BYTES, decode_source
from tests.conftest import DATA

P = Path("/notes/record.md")


def parse_bytes(data: bytes, path: Path = P):
    return parse_document(path, decode_source(path, data))


def record_text(**fields: str) -> str:
    lines = ["---"] + [f"{key}: {value}" for key, value in fields.items()] + ["---", ""]
    return "\n".join(lines)


def test_seed_record_fields():
    record = parse_bytes((DATA / "chemotherapy-goals.md").read_bytes())
    assert isinstance(record, QaRecord)
    assert record.id == "176440"
    assert record.question == "What are the primary goals of chemotherapy in cancer treatment?"
    assert record.subject == "Medicine"
    assert record.date == "2025-02-17"
    assert record.url.startswith("/learn/medicine/questions/")
    assert record.tags[:3] == ("chemotherapy", "cancer_treatment", "goals_of_chemotherapy")
    assert all(" " not in tag for tag in record.tags)
    assert record.related[0] == Related(
        "176442", "How can dietary recommendations aid in cancer prevention?"
    )
    assert len(record.related) == 5


def test_seed_answer_literal_newlines_become_markdown_paragraphs():
    record = parse_bytes((DATA / "chemotherapy-goals.md").read_bytes())
    assert "\\n" not in record.answer
    assert "include:\n\n1. **Cure**: In some cases" in record.answer
    assert record.answer.endswith("treatment preferences.")
    assert "&nbsp;" not in record.answer  # the placeholder body is ignored


def test_related_articles_with_the_same_id_are_listed_once():
    record = parse_bytes((DATA / "leukemia-induction-phase.md").read_bytes())
    ids = [related.id for related in record.related]
    assert ids == ["166316", "166309", "166315", "166296"]


def test_body_is_the_answer_when_there_is_no_answer_field():
    record = parse_bytes(b"---\nquestion: What is 2 + 2?\n---\n\nFour, **always**.\n")
    assert record.answer == "Four, **always**."


def test_whitespace_and_nbsp_body_alone_is_no_answer():
    with pytest.raises(SourceError, match="no answer"):
        parse_bytes(b"---\nquestion: Why?\n---\n\n&nbsp; \n\n")


def test_record_without_id_has_none():
    record = parse_bytes(record_text(question="Why?", answer="Because.").encode())
    assert record.id is None


def test_bom_and_crlf_give_the_same_record():
    plain = (DATA / "chemotherapy-goals.md").read_bytes()
    windows = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
    assert parse_bytes(windows) == parse_bytes(plain)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "empty file", None),
        (b"  \n\n ", "empty file", None),
        (b"\x00\x01PNG\x00", "binary file", None),
        (b"---\nquestion: caf\xe9\n---\n", "not UTF-8", 2),
        (b"---\nquestion: What?\nanswer: [unclosed\n---\n", "malformed YAML", 4),
        (b"---\nquestion: a\n  bad: indent: here\n---\n", "malformed YAML", 3),
        (b"---\nanswer: Only an answer.\n---\n", "no `question:`", None),
        (b"---\nquestion: true\nanswer: x\n---\n", "field `question` must be text", None),
        (b"---\nquestion: Q?\nanswer: [a, b]\n---\n", "field `answer` must be text", None),
        (b"---\nquestion: Q?\nanswer: A\nsubject: {a: 1}\n---\n", "`subject` must be text", None),
        (b"---\nquestion: Q?\nanswer: A\nid: [1]\n---\n", "`id` must be a number or text", None),
        (b"---\n- a\n- b\n---\nbody\n", "must be a mapping", 1),
        (b"---\nquestion: Q?\nanswer: A\n", "never closed", 1),
    ],
)
def test_bad_input_names_the_file_and_the_problem(data, message, line):
    with pytest.raises(SourceError, match=message) as caught:
        parse_bytes(data)
    assert caught.value.path == P
    assert str(caught.value).startswith(str(P))
    if line is not None:
        assert caught.value.line == line
        assert str(caught.value).startswith(f"{P}:{line}: ")


def test_file_over_the_size_limit_is_refused_before_decoding():
    with pytest.raises(SourceError, match="larger than the 16 MB limit"):
        decode_source(P, b"a" * (MAX_FILE_BYTES + 1))


def test_several_megabyte_answer_is_kept_whole():
    answer = ("A long paragraph about **cells**. " * 40 + "\\n\\n") * 4000  # about 5.5 MB
    record = parse_bytes(f"---\nquestion: Huge?\nanswer: >-\n    {answer}\n---\n".encode())
    assert len(record.answer) > 5_000_000
    assert record.answer.count("\n\n") == 3999


def test_document_without_question_or_answer_is_an_article():
    record = parse_bytes(b"---\ntitle: Notes\nsubject: Biology\n---\n\nSome text here.\n")
    assert isinstance(record, Article)
    assert record.title == "Notes"
    assert record.subject == "Biology"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_raise_source_error(data):
    try:
        record = parse_bytes(data)
    except SourceError as err:
        assert err.path == P
    else:
        assert isinstance(record, QaRecord | Article)


yaml_values = st.one_of(
    st.text(max_size=30), st.integers(), st.booleans(), st.none(),
    st.lists(st.text(max_size=5), max_size=3),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["question", "answer", "id", "subject", "seo", "tags", "title", "x"]),
        yaml_values,
    ),
    st.text(max_size=80),
)
def test_any_front_matter_parses_or_raises_source_error(fields, body):
    import yaml

    text = "---\n" + yaml.safe_dump(fields) + "---\n" + body
    try:
        record = parse_document(P, text)
    except SourceError as err:
        assert err.path == P
    else:
        assert isinstance(record, QaRecord | Article)
