"""Spacing between neighbouring atoms, after TeX's rules, in whole terminal cells.

TeX puts thin, medium and thick spaces between atoms by class (ord, op, bin, rel, open,
close, punct, inner). A terminal has only whole cells, so: relations and binary operators
get one space each side, punctuation one after, function names one where words would
otherwise run together (``n log n``) and none before a parenthesis (``log(x)``), scripts
none at all (``_(x∼p)``) but between words.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlnotes.texmath.nodes import Node, Op, Scripts, Space, Sym, classes
from mlnotes.texmath.symbols import BIN, CLOSE, INNER, OP, OPEN, ORD, PUNCT, REL


@dataclass(slots=True)
class Atom:
    """What spacing needs to know about one laid-out item."""

    left: str
    right: str
    op: str = ""  # "func" for a named function ("func+" with scripts), "big" for ∑ ∏ ∫
    unary: bool = False  # a + or − that became an ordinary atom
    bare_script: bool = False  # ends in a script written like ``_θ`` or ``v*`` (inline only)
    period: bool = False  # a full stop: never spaced off what it ends


def _op_kind(node: Node) -> str:
    scripted = False
    if isinstance(node, Scripts):
        scripted = node.sub is not None or node.sup is not None
        node = node.base  # type: ignore[assignment]
    if isinstance(node, Op):
        if node.big:
            return "big"
        # lim_(h→0) (...) is spaced like ∑; a bare log(x) is not
        return "func+" if scripted and node.limits else "func"
    return ""


def atoms(items: list[Node], before: str | None = None) -> list[Atom | None]:
    """Classes of ``items`` after TeX's rule that a binary operator with no left operand,
    or followed by a relation or closing symbol, is ordinary (a unary minus).

    ``before`` is the class of a virtual atom before the list (an aligned cell continues the
    previous one). Explicit spaces get None.
    """
    out: list[Atom | None] = []
    prev: Atom | None = None if before is None else Atom(before, before)
    for item in items:
        if isinstance(item, Space):
            out.append(None)
            continue
        left, right = classes(item)
        atom = Atom(left, right, _op_kind(item), period=isinstance(item, Sym) and item.text == ".")
        if left == BIN and (prev is None or prev.right in (BIN, OP, REL, OPEN, PUNCT)):
            atom.left = atom.right = ORD
            atom.unary = True
        elif left in (REL, CLOSE, PUNCT) and prev is not None and prev.right == BIN:
            prev.left = prev.right = ORD
            prev.unary = True
        out.append(atom)
        prev = atom
    if prev is not None and prev.right == BIN and out and out[-1] is prev:
        prev.left = prev.right = ORD
        prev.unary = True
    return out


def gap(a: Atom, b: Atom, *, display: bool, script: bool) -> int:
    """Cells of space between two neighbouring atoms."""
    left, right = a.right, b.left
    if script:
        if (left == OP and a.op[:4] == "func" and right not in (OPEN, CLOSE, PUNCT)) or (
            right == OP and b.op[:4] == "func" and left != OPEN
        ):
            return 1
        return 1 if a.bare_script and right in (ORD, OP) else 0
    if b.period:
        return 0
    if left == REL or right == REL:
        if left == REL and right in (REL, CLOSE, PUNCT):
            return 0
        return 0 if right == REL and left == OPEN else 1
    if left == BIN or right == BIN:
        return 1
    if left == PUNCT:
        return 0 if right == CLOSE else 1
    if right == PUNCT:
        return 0
    if left == OP:
        if right == CLOSE or (a.op == "func" and right == OPEN):
            return 0
        return 1
    if right == OP:
        if left == OPEN:
            return 0
        if b.op[:4] == "func" or display:
            return 1
        return 0 if left == CLOSE or a.unary else 1
    if left == INNER or right == INNER:
        return 0 if left == OPEN or right == CLOSE else 1
    if a.bare_script and right == ORD:
        return 1
    return 0
