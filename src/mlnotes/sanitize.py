"""Keep terminal control sequences in untrusted note text from reaching the terminal.

A note may come from anywhere (``--notes-dir``). ESC starts CSI and OSC sequences (cursor
moves, title changes, clipboard writes through OSC 52); C1 codes such as U+009B act as CSI on
some terminals. Rich passes all of them through, so every string that comes from a file goes
through :func:`clean` before it is rendered or indexed.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 block. A carriage return is dropped
# (CRLF files) rather than shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "\r":
        return ""
    if ch == "\x1b":
        return "␛"
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ … ␟
    if code == 0x7F:
        return "␡"
    return "�"  # C1 controls have no control picture


def clean(text: str) -> str:
    """Return ``text`` with every control character but tab and newline made visible."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_visible, text)


_LINE_BREAKS = re.compile(r"[\t\n\u2028\u2029\ud800-\udfff]")


def _visible_break(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "\t":
        return "␉"
    if ch == "\n":
        return "␊"
    if ch in "\u2028\u2029":
        return " "
    return "�"  # a lone surrogate: a file name byte that is not UTF-8


def clean_name(text: str) -> str:
    """A file or folder name (or a path) made safe for one line of a terminal: controls made
    visible as :func:`clean` does, tabs and newlines too, so a name never splits a tree line,
    and undecodable bytes (surrogate escapes) as U+FFFD, which every encoder accepts."""
    return _LINE_BREAKS.sub(_visible_break, clean(text))


def one_line(text: str) -> str:
    """Frontmatter text for a title or a summary: controls visible, line breaks as spaces."""
    return " ".join(clean(text).split())
