"""Saved files made of checked parts, written atomically and read back a section at a time.

The saved index and its word index are tens of megabytes. Reading such a file
whole and then decoding it held both at once, which set newsdeck's peak
memory; here each section is read, handed over and let go. A file is a magic
string, the caller's header, then parts; each part is its length and CRC-32,
then its sections, each prefixed by its length. A part's checksum is checked
as its last section is read, so a caller that decodes as it reads must take
every section of a part (`Part.sections` raises `Damaged` at the end).

The checksums are for torn and damaged files; what a file claims is still
checked by whoever decodes it.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

_PART = struct.Struct("<QI")  # length of the part's sections, their CRC-32
_LENGTH = struct.Struct("<Q")


class Damaged(Exception):
    """Truncated, torn, or not as written."""


def write_parts(path: Path, start: bytes, parts: Sequence[Iterable[bytes]]) -> list[int]:
    """Write `start` (magic and header) then `parts`, atomically; the parts' checksums. Raises OSError.

    Sections are written as they come, so a part is never whole in memory: its length
    and checksum are filled in once its last section is written.
    """
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    checksums = []
    try:
        with open(temporary, "wb") as handle:
            handle.write(start)
            for sections in parts:
                head_at = handle.tell()
                handle.write(_PART.pack(0, 0))
                length = checksum = 0
                for section in sections:
                    prefix = _LENGTH.pack(len(section))
                    checksum = zlib.crc32(section, zlib.crc32(prefix, checksum))
                    handle.write(prefix)
                    handle.write(section)
                    length += len(prefix) + len(section)
                end = handle.tell()
                handle.seek(head_at)
                handle.write(_PART.pack(length, checksum))
                handle.seek(end)
                checksums.append(checksum)
        os.replace(temporary, path)
    finally:
        with suppress(OSError):
            temporary.unlink()
    return checksums


def read_start(handle: BinaryIO, magic: bytes, header: struct.Struct) -> tuple[int, ...]:
    """The header's fields, after the magic string; Damaged if the file does not start so."""
    start = handle.read(len(magic) + header.size)
    if len(start) != len(magic) + header.size or not start.startswith(magic):
        raise Damaged("not this kind of file")
    return header.unpack_from(start, len(magic))


class Part:
    """The next part of an open file: its checksum as written, and its sections as read."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        head = handle.read(_PART.size)
        if len(head) != _PART.size:
            raise Damaged("truncated")
        self.length, self.checksum = _PART.unpack(head)
        self.offset = handle.tell()

    def sections(self) -> Iterator[bytes]:
        """Each section in turn; Damaged once the last is read if the part is not as written."""
        handle, left, checksum = self._handle, self.length, 0
        while left > 0:
            prefix = handle.read(_LENGTH.size)
            if len(prefix) != _LENGTH.size or left < _LENGTH.size:
                raise Damaged("truncated")
            (size,) = _LENGTH.unpack(prefix)
            left -= _LENGTH.size
            if size > left:
                raise Damaged("truncated")
            section = handle.read(size)
            if len(section) != size:
                raise Damaged("truncated")
            left -= size
            checksum = zlib.crc32(section, zlib.crc32(prefix, checksum))
            if left == 0 and checksum != self.checksum:
                raise Damaged("checksum")
            yield section
        if self.length == 0 and self.checksum != 0:
            raise Damaged("checksum")

    def skip(self) -> None:
        self._handle.seek(self.offset + self.length)
