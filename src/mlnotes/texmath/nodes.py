"""The tree the parser builds: a formula is a list of nodes, each with a TeX class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from mlnotes.texmath.symbols import CLOSE, OP, OPEN, ORD


class TexError(ValueError):
    """Malformed TeX: unbalanced braces, a missing argument, an unknown environment..."""


@dataclass(slots=True)
class Sym:
    """One atom: a letter, digit run, symbol, or an upright word (``\\mathrm{KL}``, ``\\text{if }``)."""

    text: str
    cls: str = ORD
    word: bool = False  # upright multi-letter text: one unit, never a product of letters


@dataclass(slots=True)
class Space:
    """An explicit space (``\\,``, ``\\quad``...), in terminal cells."""

    width: int


@dataclass(slots=True)
class Group:
    """A braced group or any list of nodes."""

    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Scripts:
    """A base with a subscript and/or superscript; base None for ``{}^2``."""

    base: Node | None
    sub: Group | None = None
    sup: Group | None = None


@dataclass(slots=True)
class Frac:
    num: Group
    den: Group
    style: str = "frac"  # frac, dfrac, tfrac


@dataclass(slots=True)
class Binom:
    top: Group
    bottom: Group


@dataclass(slots=True)
class Sqrt:
    body: Group
    index: Group | None = None


@dataclass(slots=True)
class Accent:
    name: str  # hat, bar, tilde, vec, ...
    combining: str
    body: Group


@dataclass(slots=True)
class Op:
    """A big operator (``∑``) or a function name (``log``, ``argmin``)."""

    text: str
    big: bool = False
    limits: bool = False  # limits above and below in display mode


@dataclass(slots=True)
class Fenced:
    """``\\left( ... \\right)``: delimiters that grow with the body."""

    left: str
    body: Group
    right: str


@dataclass(slots=True)
class Delim:
    """A sized delimiter (``\\bigl(``) or ``\\middle|``: grows with its row in display mode."""

    text: str
    cls: str


@dataclass(slots=True)
class Env:
    """A matrix, cases, aligned, gathered or array environment."""

    kind: str  # matrix, cases, aligned, gathered, array, substack
    rows: list[list[Group]]
    aligns: str = ""  # one of l, c, r per column (repeated as needed)
    left: str = ""
    right: str = ""


@dataclass(slots=True)
class XArrow:
    """``\\xrightarrow[below]{above}`` and friends."""

    arrow: str  # the plain glyph: → ← ⇒ ⇐ ↔ ↦
    above: Group
    below: Group | None = None


@dataclass(slots=True)
class Stack:
    """``\\overset{over}{base}``, ``\\underset{under}{base}``."""

    base: Group
    over: Group | None = None
    under: Group | None = None


@dataclass(slots=True)
class Brace:
    """``\\underbrace{body}`` or ``\\overbrace{body}``; its label is the script that follows."""

    body: Group
    under: bool = True


@dataclass(slots=True)
class Phantom:
    body: Group


@dataclass(slots=True)
class Unknown:
    """A macro we do not know: shown as ``\\name`` with its braced arguments."""

    name: str
    args: list[Group] = field(default_factory=list)


Node = Union[
    Sym, Space, Group, Scripts, Frac, Binom, Sqrt, Accent, Op, Fenced, Delim, Env,
    XArrow, Stack, Brace, Phantom, Unknown,
]


def classes(node: Node) -> tuple[str, str]:
    """The TeX class a node shows to its left and right neighbours."""
    if isinstance(node, Sym):
        return node.cls, node.cls
    if isinstance(node, Delim):
        return node.cls, node.cls
    if isinstance(node, Op):
        return OP, OP
    if isinstance(node, Scripts):
        return classes(node.base) if node.base is not None else (ORD, ORD)
    if isinstance(node, Stack):
        inner = node.base.items
        if len(inner) == 1:
            return classes(inner[0])
        return ORD, ORD
    if isinstance(node, (Fenced, Binom)):
        return OPEN, CLOSE
    if isinstance(node, Env):
        return (OPEN if node.left else ORD), (CLOSE if node.right else ORD)
    if isinstance(node, XArrow):
        return "rel", "rel"
    return ORD, ORD
