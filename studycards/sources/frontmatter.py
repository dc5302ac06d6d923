"""Text -> record: a Q&A record from YAML front matter, or else an article.

The seed files are the truth of the format: `question:`/`answer:` are folded YAML strings that
hold literal `\\n` sequences (turned into real line breaks here), `seo.page_keywords` is a comma
list of tags, `related_articleN` are mappings with `id` and `title`, and the body below the front
matter is usually just `&nbsp;`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.constructor import ConstructorError

from studycards.errors import SourceError
from studycards.model import Related, tag_name
from studycards.sources.article import parse_article
from studycards.sources.records import QaRecord, Record
from studycards.sources.text import MAX_FILE_BYTES, preview
from studycards.text import printable, shorten

if TYPE_CHECKING:
    from yaml import SafeLoader
else:  # the C loader where libyaml is there, as python-frontmatter itself loads
    from frontmatter.default_handlers import SafeLoader

_YAML = YAMLHandler()
_RELATED_KEY = re.compile(r"related_article(\d{1,9})")  # a longer number is no such key
# Bounds on what one front matter may cost. A loader builds every value as an object (about
# 350 bytes each) before anything can look at them: the 16 MB a file may hold would make 8
# million, 3 GB. Real front matter holds tens of values.
MAX_VALUES = 100_000
MAX_EXPANDED = 2 * MAX_FILE_BYTES  # characters and values, aliases repeated: what no file holds
_MAX_NUMBER = 100  # characters of one integer: Python refuses 4,300 digits, base 60 is quadratic


class _BoundedLoader(SafeLoader):
    """The safe loader; a value it cannot build is a YAML error with its line, not a crash.

    Only the constructors that can fail are wrapped: a wrapper on every node would cost the
    import a quarter of its speed.
    """

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > _MAX_NUMBER:
            problem = f"a number of {len(node.value)} characters (the limit is {_MAX_NUMBER})"
            raise ConstructorError(None, None, problem, node.start_mark)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:  # 2020-13-45, an offset of 30 hours
            problem = f"{preview(node.value)} is not a valid date: {shorten(str(err), 100)}"
            raise ConstructorError(None, None, problem, node.start_mark) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)
_BoundedLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _BoundedLoader.construct_yaml_timestamp
)


def parse_document(path: Path, text: str) -> Record:
    """Parse one decoded question file; raise SourceError naming the file for anything else."""
    metadata, body, body_line = _split_front_matter(path, text)
    if "question" in metadata or "answer" in metadata:
        return _qa_record(path, metadata, body)
    return parse_article(
        path,
        body,
        first_line=body_line,
        title=_text_field(path, metadata, "title"),
        subject=_text_field(path, metadata, "subject"),
        tags=_tags(path, metadata),
    )


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int]:
    """Front matter mapping, the body below it, and the body's first line number."""
    if not _YAML.detect(text.lstrip()):
        return {}, text, 1
    try:
        front, body = _YAML.split(text)
    except ValueError:
        raise SourceError(path, "front matter opened with '---' is never closed", 1) from None
    front_line = text[: text.index(front)].count("\n") + 1
    try:
        data = _load_yaml(front)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = front_line + mark.line if mark else front_line
        reason = err.problem or err.context or "malformed YAML"
        raise SourceError(path, f"malformed YAML front matter: {shorten(reason)}", line) from None
    except yaml.YAMLError as err:
        reason = shorten(str(err))
        raise SourceError(path, f"malformed YAML front matter: {reason}", front_line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(
            path,
            f"front matter must be a mapping of `field: value` lines, not {_kind(data)}",
            front_line,
        )
    body_line = front_line + front.count("\n") + 1
    return data, body, body_line


def _load_yaml(front: str) -> Any:
    """The front matter's value, its cost bounded before the loader builds anything."""
    if len(front) > MAX_VALUES:  # a shorter text cannot hold that many values
        _refuse_too_many_values(front)
    loader = _BoundedLoader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in front:  # no anchor, no alias: the values are no bigger than the text
            _refuse_alias_bombs(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _refuse_too_many_values(front: str) -> None:
    """Count values on the event stream, which holds one event at a time, up to the limit."""
    loader = _BoundedLoader(front)
    try:
        values = 0
        # (types-PyYAML leaves get_event untyped, and types the C loader's marks apart)
        while (event := loader.get_event()) is not None:  # type: ignore[no-untyped-call]
            if isinstance(event, _VALUE_EVENTS):
                values += 1
                if values > MAX_VALUES:
                    problem = f"front matter holds more than {MAX_VALUES:,} values"
                    raise ConstructorError(None, None, problem, event.start_mark)  # type: ignore[arg-type]
    finally:
        loader.dispose()


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def _refuse_alias_bombs(root: yaml.Node) -> None:
    """Refuse a document whose aliases repeat more than MAX_EXPANDED characters and values.

    Sizes are summed over the node graph, each shared node once, so nine levels of nine
    aliases (a billion laughs) are refused in microseconds; an alias inside its own anchor
    would repeat forever and is refused too.
    """
    sizes: dict[int, int] = {}
    opened: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = len(node.value) + 1
            continue
        children = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [item for pair in node.value for item in pair]  # linear, unlike sum(pairs, ())
        )
        if not children_done:
            if key in opened:
                raise ConstructorError(
                    None, None, "an alias repeats the value that holds it", node.start_mark
                )
            opened.add(key)
            stack.append((node, True))
            stack += [(child, False) for child in children]
            continue
        sizes[key] = 1 + sum(sizes[id(child)] for child in children)
        if sizes[key] > MAX_EXPANDED:
            raise ConstructorError(
                None,
                None,
                f"aliases expand this value past {MAX_EXPANDED:,} characters and values",
                node.start_mark,
            )


def _qa_record(path: Path, metadata: dict[str, Any], body: str) -> QaRecord:
    question = _unescape(_text_field(path, metadata, "question")).strip()
    if not question:
        raise SourceError(path, "record has no `question:` (or it is empty)")
    answer = _unescape(_text_field(path, metadata, "answer")).strip()
    if not _blank(body):
        answer = f"{answer}\n\n{body.strip()}" if answer else body.strip()
    if not answer:
        raise SourceError(
            path, "record has no answer: give an `answer:` field or write it below the front matter"
        )
    return QaRecord(
        path=path,
        question=question,
        answer=answer,
        id=_record_id(path, metadata),
        subject=_text_field(path, metadata, "subject").strip(),
        tags=_tags(path, metadata),
        url=_text_field(path, metadata, "url").strip(),
        date=_date_field(path, metadata),
        related=_related(path, metadata),
    )


def _blank(body: str) -> bool:
    """A body of only whitespace and non-breaking spaces (the seeds' `&nbsp;`) is no answer.

    Plain string operations: a pattern for it backtracked exponentially on 40 U+00A0.
    """
    return not body.replace("&nbsp;", "").replace("&#160;", "").strip()


def _unescape(text: str) -> str:
    """The seeds write line breaks as the two characters backslash and n."""
    return text.replace("\\n", "\n")


_KINDS = {
    str: "text",
    int: "a number",
    float: "a number",
    bool: "a true/false value",
    list: "a list",
    dict: "a mapping",
    date: "a date",
    datetime: "a date and time",
    bytes: "a binary value",
    set: "a set",
}


def _kind(value: object) -> str:
    """What a YAML value is, in words: "a number", never "a int"."""
    return _KINDS.get(type(value), "a value of another kind")


def _text_field(path: Path, metadata: dict[str, Any], name: str) -> str:
    value = metadata.get(name)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # `answer: 42` is text the user wrote (3.10 reads as 3.1)
    if not isinstance(value, str):
        problem = f"field `{name}` must be text, not {_kind(value)}: {preview(value)}"
        raise SourceError(path, problem)
    return printable(value)  # YAML escapes ("\\0", "\\x1f", "\\e") make control characters


def _record_id(path: Path, metadata: dict[str, Any]) -> str | None:
    value = metadata.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SourceError(path, f"field `id` must be a number or text, not {_kind(value)}")
    return printable(str(value)).strip() or None


def _date_field(path: Path, metadata: dict[str, Any]) -> str:
    value = metadata.get("date")
    if isinstance(value, date):
        return value.isoformat()
    return _text_field(path, metadata, "date").strip()


def _tags(path: Path, metadata: dict[str, Any]) -> tuple[str, ...]:
    """Keywords as Anki-safe tags: no spaces inside a tag, duplicates dropped."""
    raw: list[str] = []
    seo = metadata.get("seo")
    if seo is not None:
        if not isinstance(seo, dict):
            raise SourceError(path, f"field `seo` must be a mapping, not {_kind(seo)}")
        raw += _text_field(path, seo, "page_keywords").split(",")
    tags = metadata.get("tags")
    if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
        raw += map(printable, tags)
    elif tags is not None:
        raw += _text_field(path, metadata, "tags").split(",")
    seen: dict[str, str] = {}
    for tag in raw:
        safe = tag_name(tag)
        if safe and safe.casefold() not in seen:
            seen[safe.casefold()] = safe
    return tuple(seen.values())


def _related(path: Path, metadata: dict[str, Any]) -> tuple[Related, ...]:
    numbered = sorted(
        (int(match.group(1)), key)
        for key in metadata
        if (match := _RELATED_KEY.fullmatch(str(key)))
    )
    related: dict[str, Related] = {}
    for _, key in numbered:
        entry = metadata[key]
        if not isinstance(entry, dict):
            raise SourceError(path, f"field `{key}` must be a mapping with `id` and `title`")
        title = _text_field(path, entry, "title").strip()
        ref = _record_id(path, entry) or title
        if title and ref not in related:
            related[ref] = Related(id=ref, title=title)
    return tuple(related.values())
