"""Bytes -> text, refusing what is not a text document with a reason a person can act on."""

from __future__ import annotations

import codecs
from pathlib import Path

from studycards.errors import SourceError

MAX_FILE_BYTES = 16 * 1024 * 1024  # far above any real question file; stops runaway inputs


def decode_source(path: Path, data: bytes) -> str:
    """UTF-8 text with any BOM dropped and CRLF/CR line ends made LF, or a SourceError."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(
            path,
            f"file is {len(data) / 1_048_576:.1f} MB, larger than the "
            f"{MAX_FILE_BYTES // 1_048_576} MB limit for a question file",
        )
    if b"\0" in data:
        raise SourceError(path, "binary file (it contains NUL bytes), not a text document")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SourceError(
            path,
            f"not UTF-8 text: byte 0x{data[err.start]:02x} cannot be decoded; "
            "save the file as UTF-8",
            line,
        ) from None
    if not text.strip():
        raise SourceError(path, "empty file: nothing to make cards from")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
