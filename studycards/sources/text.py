"""Bytes -> text, refusing what is not a text document with a reason a person can act on.

A question file is data from anyone: it is read only if it is a regular file, never past the
size limit, and its text keeps no control character that could reach a terminal or an Anki field.
"""

from __future__ import annotations

import codecs
import os
import reprlib
import stat
from pathlib import Path

from studycards.errors import SourceError
from studycards.text import printable, shorten

MAX_FILE_BYTES = 16 * 1024 * 1024  # far above any real question file; stops runaway inputs

# Never block on open: a FIFO would wait for a writer, a terminal could become ours.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}
# The same C0 controls and DEL as UTF-8 bytes (never part of another character's encoding),
# less CR, which becomes a line end. Deleting bytes costs a fifth of the pattern's scan.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # before UTF-16's: LE starts alike
_WIDE_BOMS = (*_UTF32_BOMS, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_C1_LEAD = b"\xc2"  # U+0080 to U+009F are encoded \xc2\x80 to \xc2\x9f


def read_source(path: str) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES + 1 of them, or a SourceError.

    The type is checked on the open descriptor (no race with a swapped path), and the read is
    bounded whatever size the file claims, so a pipe, a device or an endless file cannot hang
    the import or fill the memory.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise SourceError(Path(path), f"cannot be read: {err.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise SourceError(Path(path), f"{kind}, not a question file: only files are read")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(Path(path), info.st_size)
        try:
            data = file.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew, or its size is not its length (/proc)
                data += file.read(MAX_FILE_BYTES + 1 - len(data))
        except OSError as err:
            raise SourceError(Path(path), f"cannot be read: {err.strerror}") from None
    return data


def decode_source(path: Path, data: bytes) -> str:
    """UTF-8 text with any BOM dropped, CRLF/CR line ends made LF and control characters
    (other than tab and newline) removed, or a SourceError."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path, len(data))
    if data.startswith(_WIDE_BOMS):  # their ASCII letters are half NUL bytes: not "binary"
        wide = "UTF-32" if data.startswith(_UTF32_BOMS) else "UTF-16"
        raise SourceError(path, f"{wide} text: save the file as UTF-8")
    if b"\0" in data:
        raise SourceError(path, "binary file (it contains NUL bytes), not a text document")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    data = data.translate(None, _CONTROL_BYTES)
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
    return printable(text) if _C1_LEAD in data else text


def _too_large(path: Path, size: int) -> SourceError:
    return SourceError(
        path,
        f"file is {size / 1_048_576:.1f} MB, larger than the "
        f"{MAX_FILE_BYTES // 1_048_576} MB limit for a question file",
    )


class _Preview(reprlib.Repr):
    """reprlib cuts strings before quoting them; bytes too, here (its default quotes them whole)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxdict, self.maxlist = 2, 3, 3
        self.maxstring = self.maxlong = self.maxother = 40

    def repr_bytes(self, value: bytes, level: int) -> str:
        return repr(value[: self.maxstring]) + ("..." if len(value) > self.maxstring else "")


_PREVIEW = _Preview()


def preview(value: object, width: int = 80) -> str:
    """A short repr of a value from a file, for a message: the value is cut before it is
    quoted, so a huge (or alias-bombed) value costs no more than a small one."""
    return shorten(_PREVIEW.repr(value), width)
