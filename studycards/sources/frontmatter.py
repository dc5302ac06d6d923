"""Text -> record: a Q&A record from YAML front matter, or else an article.

The seed files are the truth of the format: `question:`/`answer:` are folded YAML strings that
hold literal `\\n` sequences (turned into real line breaks here), `seo.page_keywords` is a comma
list of tags, `related_articleN` are mappings with `id` and `title`, and the body below the front
matter is usually just `&nbsp;`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from studycards.errors import SourceError
from studycards.model import Related
from studycards.sources.article import parse_article
from studycards.sources.records import QaRecord, Record

_YAML = YAMLHandler()
_RELATED_KEY = re.compile(r"related_article(\d+)")
_BLANK_BODY = re.compile(r"(?:\s|&nbsp;|&#160;|\u00a0)*")


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
        data = _YAML.load(front)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = front_line + mark.line if mark else front_line
        reason = err.problem or err.context or "malformed YAML"
        raise SourceError(path, f"malformed YAML front matter: {reason}", line) from None
    except yaml.YAMLError as err:
        raise SourceError(path, f"malformed YAML front matter: {err}", front_line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(
            path,
            f"front matter must be a mapping of `field: value` lines, not a {_kind(data)}",
            front_line,
        )
    body_line = front_line + front.count("\n") + 1
    return data, body, body_line


def _qa_record(path: Path, metadata: dict[str, Any], body: str) -> QaRecord:
    question = _unescape(_text_field(path, metadata, "question")).strip()
    if not question:
        raise SourceError(path, "record has no `question:` (or it is empty)")
    answer = _unescape(_text_field(path, metadata, "answer")).strip()
    if _BLANK_BODY.fullmatch(body) is None:
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


def _unescape(text: str) -> str:
    """The seeds write line breaks as the two characters backslash and n."""
    return text.replace("\\n", "\n")


def _kind(value: object) -> str:
    return {list: "list", dict: "mapping", bool: "true/false value"}.get(
        type(value), type(value).__name__
    )


def _text_field(path: Path, metadata: dict[str, Any], name: str) -> str:
    value = metadata.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SourceError(path, f"field `{name}` must be text, not a {_kind(value)}: {value!r:.60}")
    return value


def _record_id(path: Path, metadata: dict[str, Any]) -> str | None:
    value = metadata.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SourceError(path, f"field `id` must be a number or text, not a {_kind(value)}")
    return str(value).strip() or None


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
            raise SourceError(path, f"field `seo` must be a mapping, not a {_kind(seo)}")
        raw += _text_field(path, seo, "page_keywords").split(",")
    tags = metadata.get("tags")
    if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
        raw += tags
    elif tags is not None:
        raw += _text_field(path, metadata, "tags").split(",")
    seen: dict[str, str] = {}
    for tag in raw:
        safe = "_".join(tag.split())
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
