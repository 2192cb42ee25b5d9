"""TeX math as Unicode text for the terminal: one line for inline math, a 2-D block for display.

>>> to_inline(r"\\sigma(z) = \\frac{1}{1 + e^{-z}}")
'σ(z) = 1/(1 + e⁻ᶻ)'

Modules: :mod:`.symbols` (tables), :mod:`.parser` (TeX -> tree), :mod:`.spacing` (space
between atoms), :mod:`.oneline` (one line), :mod:`.display` (2-D boxes).
"""

from __future__ import annotations

from functools import lru_cache

from mlnotes.sanitize import clean
from mlnotes.texmath import display as _display
from mlnotes.texmath import oneline as _inline
from mlnotes.texmath.nodes import Node, TexError
from mlnotes.texmath.parser import parse as _parse_tex

__all__ = ["TexError", "check", "inline", "to_display", "to_inline"]


# Longer formulas are shown as written (and reported by ``check``): laying out a 200×200
# matrix (400,000 characters) took seconds. The longest formula in the notes is far shorter.
MAX_TEX = 20_000


@lru_cache(maxsize=4096)
def _parse(tex: str) -> Node:
    if len(tex) > MAX_TEX:
        raise TexError(f"formula too long to lay out ({len(tex):,} characters; the limit is {MAX_TEX:,})")
    try:
        return _parse_tex(clean(tex))
    except TexError:
        raise
    except RecursionError as error:  # pragma: no cover - the parser limits nesting first
        raise TexError("formula nested too deeply") from error


@lru_cache(maxsize=4096)
def _inline_text(tex: str) -> str:
    return _inline.render(_parse(tex))


@lru_cache(maxsize=1024)
def _display_lines(tex: str) -> tuple[str, ...]:
    return tuple(_display.render(_parse(tex)))


def to_inline(tex: str) -> str:
    """``tex`` on one line of Unicode. Raises :class:`TexError` if it is malformed."""
    return _inline_text(tex)


def to_display(tex: str) -> list[str]:
    """``tex`` as a 2-D block: lines of equal width. Raises :class:`TexError`."""
    return list(_display_lines(tex))


@lru_cache(maxsize=4096)
def inline(tex: str) -> str:
    """Like :func:`to_inline`, but never raises: malformed TeX comes back raw (stripped)."""
    try:
        return _inline_text(tex)
    except TexError:
        return clean(tex).strip()


def check(tex: str) -> str | None:
    """None if ``tex`` parses, else a one-line message saying what is wrong."""
    try:
        _parse(tex)
    except TexError as error:
        return " ".join(str(error).split())
    return None
