"""Turn text from files into text that is safe to show as it is.

Article text is data. Two things could otherwise take effect on screen:
terminal control sequences (an ESC in a title would be sent to the
terminal) and mis-decoded UTF-8 ("Facebookâ€™s"). Rich markup is not
handled here: the UI never parses article text as markup.
"""

from __future__ import annotations

import ftfy

# Control characters become their visible "control picture" (U+2400 block),
# so an escape sequence shows as "␛[31m" instead of colouring the screen.
_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"
_C1_VISIBLE = {code: f"\\x{code:02x}" for code in range(0x80, 0xA0)}

# Bidirectional overrides would reorder the text around them on screen.
_BIDI_VISIBLE = {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

_MULTILINE_TABLE = {**_C0_PICTURES, **_C1_VISIBLE, **_BIDI_VISIBLE}
for _keep in ("\n", "\t"):
    del _MULTILINE_TABLE[ord(_keep)]
_MULTILINE_TABLE[ord("\r")] = None
_SINGLE_LINE_TABLE = {**_MULTILINE_TABLE, ord("\n"): " ", ord("\t"): " ", ord("\r"): " "}

# Keep what the author wrote (curly quotes, ligatures, escapes) and change
# only what is demonstrably broken encoding; escapes are made visible below.
_FTFY_CONFIG = ftfy.TextFixerConfig(
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


def repair(text: str) -> str:
    """Undo mojibake; ASCII text cannot hold any, so it skips the fixer."""
    if text.isascii():
        return text
    return ftfy.fix_text(text, config=_FTFY_CONFIG)


def clean_line(text: str) -> str:
    """A single-line field: repaired, controls visible, whitespace collapsed."""
    return " ".join(repair(text).translate(_SINGLE_LINE_TABLE).split())


def clean_block(text: str) -> str:
    """A multi-line field: repaired, controls visible, line breaks kept."""
    return repair(text).translate(_MULTILINE_TABLE).strip()


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
