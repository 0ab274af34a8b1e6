"""Turn text from files into text that is safe to show as it is.

Article text and file names are data. Three things could otherwise take
effect on screen: terminal control sequences (an ESC or a one-byte C1 CSI in
a title or a file name would be sent to the terminal), bidirectional
overrides (which reorder the text around them) and mis-decoded UTF-8
("Facebookâ€™s"). Rich markup is not handled here: the UI never parses text
from disk as markup.

`clean_line`/`clean_block` are for article fields (mojibake repaired);
`visible` is for everything else that reaches a person: file and folder
names, error messages that quote them, paths from the environment. It never
repairs, so a name is shown as the bytes it has.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ftfy

# Control characters become their visible "control picture" (U+2400 block),
# so an escape sequence shows as "␛[31m" instead of colouring the screen.
_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"
_C1_VISIBLE = {code: f"\\x{code:02x}" for code in range(0x80, 0xA0)}

# Bidirectional overrides would reorder the text around them on screen.
_BIDI_VISIBLE = {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
# os.fsdecode turns each byte of a name that is not UTF-8 into U+DC80..U+DCFF.
_SURROGATES_VISIBLE = {
    code: (f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}")
    for code in range(0xD800, 0xE000)
}

_MULTILINE_TABLE: dict[int, str | None] = {
    **_C0_PICTURES,
    **_C1_VISIBLE,
    **_BIDI_VISIBLE,
    **_SURROGATES_VISIBLE,
}
for _keep in ("\n", "\t"):
    del _MULTILINE_TABLE[ord(_keep)]
_MULTILINE_TABLE[ord("\r")] = None
_SINGLE_LINE_TABLE = {**_MULTILINE_TABLE, ord("\n"): " ", ord("\t"): " ", ord("\r"): " "}
# For names and messages: every control is shown, a newline in a file name included.
_VISIBLE_TABLE = {**_C0_PICTURES, **_C1_VISIBLE, **_BIDI_VISIBLE, **_SURROGATES_VISIBLE}

_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# A C1 character can be part of double-encoded UTF-8 only inside the shape of
# a UTF-8 sequence read as Latin-1 or Windows-1252 ("â\x80\x99" and "â€\x9d"
# are "’" and "”"). Anywhere else it is a control character (U+009B is a
# one-byte CSI) that the fixer would turn into a look-alike ("›"), so it is
# made visible before repair.
_CONTINUATION = "".join(
    sorted(
        {chr(byte) for byte in range(0x80, 0xC0)} | set(bytes(range(0x80, 0xC0)).decode("cp1252", "ignore"))
    )
)
_CONT = f"[{re.escape(_CONTINUATION)}]"
_C1_OR_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}|([\u0080-\u009f])"
)


@functools.cache
def _fixer() -> tuple[Callable[..., str], ftfy.TextFixerConfig, re.Pattern[str]]:
    """ftfy's fixer, its settings here and its mojibake pattern, imported when first needed:
    the import takes longer than reading thousands of ASCII files, which never need it."""
    import ftfy.badness

    # Keep what the author wrote (curly quotes, ligatures, escapes) and change
    # only what is demonstrably broken encoding; escapes are made visible below.
    config = ftfy.TextFixerConfig(
        unescape_html="auto",
        remove_terminal_escapes=False,
        fix_encoding=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization="NFC",
        explain=False,
    )
    return ftfy.fix_text, config, ftfy.badness.BADNESS_RE


def _show_lone_c1(match: re.Match[str]) -> str:
    lone = match.group(1)
    return match.group() if lone is None else _C1_VISIBLE[ord(lone)]


# A character reference (`&#x202e;`, `&#27;`) is text until something decodes it: the
# Markdown view and the mojibake fixer both do. One that would decode to a control
# character is spelled out now, as the character itself would be.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _show_reference(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code in _VISIBLE_TABLE:
        return _VISIBLE_TABLE[code]
    return match.group()


def repair(text: str) -> str:
    """Undo mojibake; ASCII text cannot hold any, nor text the fixer would find nothing in."""
    if "&#" in text:
        text = _REFERENCE.sub(_show_reference, text)
    if text.isascii() or _nothing_to_fix(text):
        return text
    fix_text, config, _ = _fixer()
    return fix_text(_C1_OR_MOJIBAKE.sub(_show_lone_c1, text), config=config)


# When `ftfy.fix_text` (with the settings above) gives text back unchanged, known beforehand:
# a fixer is a cost worth skipping (most of it is its mojibake pattern, searched from
# every character). Text is left alone when it has no `&` (no HTML entity), no C1 or
# surrogate, is NFC already, and no line of it (the fixer works line by line) matches
# the mojibake pattern. That pattern is searched only around non-ASCII characters: each
# of its matches holds one and spans a few characters, as `_mojibake_reach` makes sure.
_C1_OR_SURROGATE = re.compile("[\x80-\x9f\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]+")
_SEGMENT = re.compile("[^\n]*\n|[^\n]+")
_reach: list[int | None] = []


def _nothing_to_fix(text: str) -> bool:
    if "&" in text or len(text) > _fixer()[1].max_decode_length or _C1_OR_SURROGATE.search(text):
        return False
    if not unicodedata.is_normalized("NFC", text):
        return False
    return not any(_looks_like_mojibake(segment) for segment in _SEGMENT.findall(text))


def _looks_like_mojibake(segment: str) -> bool:
    """`ftfy.badness.is_bad(segment)`, or True where it is not sure."""
    reach, mojibake = _mojibake_reach(), _fixer()[2]
    if reach is None:
        return bool(mojibake.search(segment))
    start = end = -1
    for run in _NON_ASCII.finditer(segment):
        low, high = run.start() - reach + 1, run.end() + reach - 1
        if low > end:  # not within reach of the runs before: search those first
            if end >= 0 and mojibake.search(segment, max(0, start), end):
                return True
            start = low
        end = high
    return end >= 0 and mojibake.search(segment, max(0, start), end) is not None


def _mojibake_reach() -> int | None:
    """The most characters a match of the mojibake pattern spans, when every one of its
    matches holds a non-ASCII character; None when the pattern cannot be shown to."""
    if not _reach:
        _reach.append(_worked_out_reach())
    return _reach[0]


def _worked_out_reach() -> int | None:
    parser, codes, mojibake = getattr(re, "_parser", None), getattr(re, "_constants", None), _fixer()[2]
    if parser is None or codes is None or mojibake.flags & re.IGNORECASE:
        return None

    def non_ascii(op: object, argument: Any) -> bool:
        if op is codes.LITERAL:
            return bool(argument >= 0x80)
        if op is codes.IN:
            return all(
                (kind is codes.LITERAL and value >= 0x80) or (kind is codes.RANGE and value[0] >= 0x80)
                for kind, value in argument
            )
        return False

    try:
        parsed = parser.parse(mojibake.pattern, mojibake.flags)
        (op, (_, branches)), *others = parsed.data
        if op is not codes.BRANCH or others:
            return None
        if all(any(non_ascii(*item) for item in branch.data) for branch in branches):
            return int(parsed.getwidth()[1])
    except Exception:  # a pattern or a parser unlike the ones this was written for
        return None
    return None


def clean_line(text: str) -> str:
    """A single-line field: repaired, controls visible, whitespace collapsed."""
    if text.isascii() and text.isprintable() and "&#" not in text:
        # Nothing to repair and nothing to make visible (the common case, and a cheap test).
        return " ".join(text.split())
    return " ".join(repair(text).translate(_SINGLE_LINE_TABLE).split())


def clean_block(text: str) -> str:
    """A multi-line field: repaired, controls visible, line breaks kept."""
    if text.isascii() and text.isprintable() and "&#" not in text:  # as in `clean_line`
        return text.strip()
    return repair(text).translate(_MULTILINE_TABLE).strip()


def visible(text: object) -> str:
    """A file name, a path or a message quoting one, safe to show as it is.

    Every control character becomes a visible stand-in (a newline too: a
    name holding one is shown on one line), bytes that were not UTF-8 show
    as `\\xNN`, and nothing is repaired. Applying it twice changes nothing.
    """
    return str(text).translate(_VISIBLE_TABLE)


def is_safe_line(text: str) -> bool:
    """True when `text` could have come out of `clean_line` (no control of any kind)."""
    if text.isascii():  # the only unsafe ASCII is what `isprintable` refuses, and it is quicker
        return text.isprintable()
    return _UNSAFE_IN_LINE.search(text) is None


def is_safe_block(text: str) -> bool:
    """True when `text` could have come out of `clean_block` (line breaks and tabs allowed)."""
    return (text.isascii() and text.isprintable()) or _UNSAFE_IN_BLOCK.search(text) is None


# YAML refuses these characters outright; a raw ESC in a title must not cost the article.
_YAML_UNPRINTABLE = {
    **{code: picture for code, picture in _C0_PICTURES.items() if code not in (0x09, 0x0A, 0x0D)},
    0x7F: "\u2421",
    **{code: visible for code, visible in _C1_VISIBLE.items() if code != 0x85},
    0xFFFE: "\ufffd",
    0xFFFF: "\ufffd",
}


def yaml_printable(text: str) -> str:
    """`text` with every character YAML cannot read replaced by a visible stand-in.

    Mojibake is repaired first, as raw C1 bytes are often half of a mis-decoded
    character that the fixer can still put back together.
    """
    return repair(text).translate(_YAML_UNPRINTABLE)
