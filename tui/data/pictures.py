"""An article's lead picture: fetched, kept on disk, decoded and scaled with Pillow.

Pictures come from the network, so every step distrusts them. The fetch takes only
`image/*` answers up to 10 MB (`fetch.IMAGE_LIMITS`); decoding refuses pictures of more
than `MAX_PIXELS` (and Pillow's own decompression-bomb checks are errors, not warnings),
verifies the file, then scales it down to the box it will be shown in. Whatever goes
wrong is a `Picture` with a one-line reason, never an exception.

Kept pictures live in `images/` under the cache directory, one file per address (named by
a hash of it), holding the fetched bytes behind a checksum: a file that does not match it,
or that no longer decodes, is as good as absent and is fetched again. The folder is kept
under `MAX_CACHE_BYTES` by deleting the least recently used files; a file's modification
time is its last use, set on every use (access times are often not kept: noatime).

Pillow is imported on the first decode, not at start-up.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import os
import secrets
import time
import warnings
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.data.cache import cache_directory
from tui.data.fetch import IMAGE_LIMITS, IMAGE_TYPES, Limits, fetch_page, open_client
from tui.data.sanitize import visible

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_CACHE_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 40_000_000
"""A 40-megapixel photo; beyond, decoding one picture could take hundreds of megabytes."""
MAX_SIDE = 2048
"""No picture is kept in memory wider or taller than this, whatever the box asked for."""

_MAGIC = b"newsdeck picture 1\n"
_DIGEST = 32  # sha256
_NOT_KEPT = ".tmp"


@dataclass(frozen=True, slots=True)
class Picture:
    """What became of one picture: `image` to show, or `reason` (one line) why there is none."""

    url: str
    image: Image | None = None
    reason: str = ""
    size: tuple[int, int] = (0, 0)
    """The picture's own size in pixels, before scaling (when known)."""

    @property
    def ok(self) -> bool:
        return self.image is not None


def pictures_directory() -> Path:
    """`images/` under the cache directory (`$NEWSDECK_CACHE_DIR` when set)."""
    return cache_directory() / "images"


# The disk cache ---------------------------------------------------------------------


class PictureCache:
    """Fetched pictures by address, in one folder, at most `max_bytes` in all.

    Every method keeps going when the disk does not: a file that cannot be read is absent,
    one that cannot be written is not kept (the picture is still shown).
    """

    def __init__(self, directory: Path | None = None, max_bytes: int = MAX_CACHE_BYTES) -> None:
        self.directory = directory if directory is not None else pictures_directory()
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest() + ".pic")

    def get(self, url: str) -> bytes | None:
        """The bytes kept for `url`, or None (never kept, evicted, or damaged: then deleted)."""
        path = self.path_for(url)
        try:
            with path.open("rb") as file:
                kept = file.read(len(_MAGIC) + _DIGEST + IMAGE_LIMITS.max_bytes + 1)
        except OSError:
            return None
        data = kept[len(_MAGIC) + _DIGEST :]
        if not kept.startswith(_MAGIC) or kept[len(_MAGIC) : len(_MAGIC) + _DIGEST] != _digest(data):
            self.forget(url)
            return None
        now = time.time()
        with suppress(OSError):
            os.utime(path, (now, now))  # its last use, for the eviction
        return data

    def put(self, url: str, data: bytes) -> None:
        """Keep `data` for `url` (written whole or not at all), then trim the folder to its bound."""
        path = self.path_for(url)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}{_NOT_KEPT}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as file:
                file.write(_MAGIC + _digest(data) + data)
            os.replace(temporary, path)
        except OSError:
            with suppress(OSError):
                temporary.unlink()
            return
        self.evict(keep=path)

    def forget(self, url: str) -> None:
        with suppress(OSError):
            self.path_for(url).unlink()

    def evict(self, keep: Path | None = None) -> None:
        """Delete the least recently used files until the folder holds at most `max_bytes`.

        `keep` (the file just written) goes last. Left-over partial writes count too, and,
        never used, go first.
        """
        entries: list[tuple[float, int, str]] = []
        try:
            with os.scandir(self.directory) as found:
                for entry in found:
                    with suppress(OSError):
                        if entry.is_file(follow_symlinks=False):
                            status = entry.stat(follow_symlinks=False)
                            kept_last = keep is not None and entry.path == str(keep)
                            last_use = float("inf") if kept_last else status.st_mtime
                            entries.append((last_use, status.st_size, entry.path))
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass  # another newsdeck deleted it first
            except OSError:
                continue
            total -= size

    def size(self) -> int:
        """Bytes the folder holds now."""
        try:
            return sum(entry.stat().st_size for entry in os.scandir(self.directory) if entry.is_file())
        except OSError:
            return 0


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# Decoding ---------------------------------------------------------------------------


@functools.cache
def _pillow() -> None:
    """Import Pillow once, making its decompression-bomb warnings errors: a picture over
    Pillow's own limit is refused, never decoded with only a line on standard error."""
    from PIL import Image

    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def decode_picture(url: str, data: bytes, box: tuple[int, int]) -> Picture:
    """`data` as a picture no larger than `box` (width, height in pixels), or why it cannot be one.

    Run it off the UI thread: decoding and scaling take tens of milliseconds.
    """
    _pillow()
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    width, height = max(1, min(box[0], MAX_SIDE)), max(1, min(box[1], MAX_SIDE))
    size = (0, 0)
    try:
        with PILImage.open(io.BytesIO(data)) as probe:  # reads the header only
            size = probe.size
            if probe.width * probe.height > MAX_PIXELS:
                return _refused(url, size)
            probe.verify()  # checksums and structure; the image must be opened again after
        with PILImage.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (width, height))  # JPEG: decoded straight at a fraction of its size
            has_alpha = opened.mode in ("RGBA", "LA", "PA") or "transparency" in opened.info
            image = opened.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((width, height), PILImage.Resampling.LANCZOS)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return _refused(url, size)
    except UnidentifiedImageError:
        return Picture(url, reason="Not a picture newsdeck can read.", size=size)
    except Exception as error:  # bytes from the network may break a decoder in any way
        detail = visible(str(error) or type(error).__name__)
        return Picture(url, reason=f"The picture is damaged ({detail[:120]}).", size=size)
    return Picture(url, image=image, size=size)


def _refused(url: str, size: tuple[int, int]) -> Picture:
    shown = f" ({size[0]:,}×{size[1]:,} pixels)" if size[0] and size[1] else ""
    return Picture(url, reason=f"The picture is too large to decode{shown}.", size=size)


def fit_cells(size: tuple[int, int], cell: tuple[int, int], columns: int, rows: int) -> tuple[int, int]:
    """The (columns, rows) a picture of `size` pixels takes, keeping its shape, within
    `columns` × `rows` cells of `cell` pixels each; never less than one of each."""
    width, height = size
    if width <= 0 or height <= 0 or columns <= 0 or rows <= 0:
        return (max(columns, 1), 1)
    cell_width, cell_height = max(cell[0], 1), max(cell[1], 1)
    needed_rows = columns * cell_width * height / (width * cell_height)
    if needed_rows <= rows:
        return (columns, max(1, round(needed_rows)))
    fitted_columns = rows * cell_height * width / (height * cell_width)
    return (max(1, min(columns, round(fitted_columns))), rows)


# Fetching, with the cache -------------------------------------------------------------


async def load_picture(
    url: str,
    box: tuple[int, int],
    *,
    cache: PictureCache | None = None,
    limits: Limits = IMAGE_LIMITS,
) -> Picture:
    """The picture at `url`, from the cache or fetched (then kept), decoded to fit `box`.

    Disk and decoding run in threads; the fetch is asynchronous, so cancelling the task
    (the reader moved on) stops it.
    """
    if cache is not None:
        kept = await asyncio.to_thread(cache.get, url)
        if kept is not None:
            picture = await asyncio.to_thread(decode_picture, url, kept, box)
            if picture.ok:
                return picture
            # Kept once because it decoded: it no longer does, so the file is damaged.
            await asyncio.to_thread(cache.forget, url)
    async with await open_client(limits) as client:
        outcome = await fetch_page(client, url, limits=limits, accept=IMAGE_TYPES)
    if not outcome.ok:
        return Picture(url, reason=visible(outcome.message or "The picture could not be fetched."))
    picture = await asyncio.to_thread(decode_picture, url, outcome.body, box)
    if picture.ok and cache is not None:
        await asyncio.to_thread(cache.put, url, outcome.body)
    return picture
