"""An .apkg's zip, its members deflated on every core at once.

Deflating the package's database is the longest step of an export whose HTML is cached (some
130 ms of 10k notes' 25 MB). zlib lets go of the GIL while it deflates, so each block of a
member is deflated on a thread of its own and the blocks are joined into one deflate stream,
as pigz does: each block ends on a byte boundary (a sync flush), an empty final block ends the
member. The zip is a plain one, which every Anki reads; members that would need zip64 (4 GiB)
go to `zipfile`, which writes it.
"""

from __future__ import annotations

import os
import struct
import time
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

Member = tuple[str, Path | bytes]  # its name in the zip; its content, or the file holding it

LEVEL = 1  # the fastest: 10k notes' database from 25 MB to 6 MB
_BLOCK = 1 << 21
_IN_FLIGHT = 8  # blocks read ahead of the one written
_ZIP64_FROM = 1 << 31  # bytes of content: deflate may grow them, offsets stay under 4 GiB
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_SIGNATURES = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_DEFLATE, _VERSION = 8, 20  # method; version needed: deflate
_UTF8_NAME = 1 << 11  # general purpose flag: the name is UTF-8 (else read as CP437)
_FINAL = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # an empty final block


def write_zip(path: Path, members: Sequence[Member]) -> None:
    """A zip at `path` holding `members`, each deflated."""
    sizes = [len(content) if isinstance(content, bytes) else content.stat().st_size
             for _, content in members]  # fmt: skip
    if sum(sizes) >= _ZIP64_FROM:
        _write_zip64(path, members)
        return
    moment = time.localtime()
    date = (moment.tm_year - 1980) << 9 | moment.tm_mon << 5 | moment.tm_mday
    clock = moment.tm_hour << 11 | moment.tm_min << 5 | moment.tm_sec // 2
    directory = []
    with path.open("wb") as out, ThreadPoolExecutor(os.cpu_count()) as pool:
        for name, content in members:
            offset, encoded = out.tell(), name.encode()
            flags = 0 if name.isascii() else _UTF8_NAME
            header = _LOCAL.pack(_SIGNATURES[0], _VERSION, flags, _DEFLATE, clock, date, 0, 0,
                                 0, len(encoded), 0)  # fmt: skip
            out.write(header + encoded)  # its CRC and sizes are written once known
            crc = size = 0
            for block, deflated in _deflated(pool, content):
                crc, size = zlib.crc32(block, crc), size + len(block)
                out.write(deflated)
            out.write(_FINAL)
            end = out.tell()
            out.seek(offset + 14)
            out.write(struct.pack("<3L", crc, end - offset - len(header + encoded), size))
            out.seek(end)
            entry = _CENTRAL.pack(_SIGNATURES[1], _VERSION, _VERSION, flags, _DEFLATE, clock, date,
                                  crc, end - offset - len(header + encoded), size, len(encoded),
                                  0, 0, 0, 0, 0o644 << 16, offset)  # fmt: skip
            directory.append(entry + encoded)
        start = out.tell()
        out.write(b"".join(directory))
        count, length = len(directory), out.tell() - start
        out.write(_END.pack(_SIGNATURES[2], 0, 0, count, count, length, start, 0))


def _deflated(pool: ThreadPoolExecutor, content: Path | bytes) -> Iterator[tuple[bytes, bytes]]:
    """Each block of `content` with its deflated form, in order, a few deflated at once."""
    pending: deque[tuple[bytes, Future[bytes]]] = deque()
    for block in _blocks(content):
        pending.append((block, pool.submit(_deflate, block)))
        if len(pending) > _IN_FLIGHT:
            block, deflating = pending.popleft()
            yield block, deflating.result()
    for block, deflating in pending:
        yield block, deflating.result()


def _blocks(content: Path | bytes) -> Iterator[bytes]:
    if isinstance(content, bytes):
        yield from (content[at : at + _BLOCK] for at in range(0, len(content), _BLOCK))
        return
    with content.open("rb") as source:
        while block := source.read(_BLOCK):
            yield block


def _deflate(block: bytes) -> bytes:
    """`block` as deflate blocks that end on a byte boundary, to be followed by others."""
    deflating = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return deflating.compress(block) + deflating.flush(zlib.Z_SYNC_FLUSH)


def _write_zip64(path: Path, members: Sequence[Member]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as out:
        for name, content in members:
            if isinstance(content, bytes):
                out.writestr(name, content)
            else:
                out.write(content, name)
