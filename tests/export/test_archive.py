"""The package's zip: members deflated a block at a time on threads, read back whole by
`zipfile` (and by Anki: every export test imports one)."""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

import studycards.export.archive as archive
from studycards.export.archive import write_zip


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    """Some 300 KB of text, like a package's database: many blocks of 4 KB each."""
    rng = random.Random(7)
    words = ["cell", "dose", "gene", "<li>", "</li>", "\x1f", "tumour", "é", "\n"]
    path = tmp_path / "collection.anki2"
    path.write_text(" ".join(rng.choices(words, k=60_000)), encoding="utf-8")
    return path


@pytest.mark.parametrize("zip64_from", [archive._ZIP64_FROM, 0], ids=["plain", "zipfile"])
def test_members_come_back_whole_and_deflated(tmp_path, text_file, monkeypatch, zip64_from):
    monkeypatch.setattr(archive, "_BLOCK", 4096)
    monkeypatch.setattr(archive, "_ZIP64_FROM", zip64_from)
    out = tmp_path / "x.zip"
    members = [("collection.anki2", text_file), ("media", b'{"0": "a.png"}'), ("0", b"")]
    write_zip(out, members)
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        assert package.namelist() == ["collection.anki2", "media", "0"]
        assert package.read("collection.anki2") == text_file.read_bytes()
        assert package.read("media") == b'{"0": "a.png"}' and package.read("0") == b""
        info = package.getinfo("collection.anki2")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size < info.file_size / 2
        for info in package.infolist():  # whole deflate streams, for strict readers
            inflating = zlib.decompressobj(-15)
            assert inflating.decompress(_stream(out, info)) == package.read(info)
            assert inflating.eof and inflating.unused_data == b""


def _stream(path: Path, info: zipfile.ZipInfo) -> bytes:
    """A member's deflate stream as the zip holds it, after its local header."""
    data = path.read_bytes()
    name_length, extra_length = struct.unpack_from("<2H", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    return data[start : start + info.compress_size]


def test_an_empty_zip_is_one(tmp_path):
    write_zip(tmp_path / "x.zip", [])
    with zipfile.ZipFile(tmp_path / "x.zip") as package:
        assert package.namelist() == []
