"""One-line layout: the tree as a single line of Unicode that flows with a sentence.

Scripts use Unicode sub/superscript letters only when every character of the script has
one (``xᵢ²``); otherwise the whole script is written ``_θ`` or ``_(x∼p)``. Fractions become
``a/b`` with parentheses wherever the grouping would otherwise be lost.
"""

from __future__ import annotations

import unicodedata

from mlnotes.texmath import symbols as S
from mlnotes.texmath.nodes import (
    Accent,
    Binom,
    Brace,
    Delim,
    Env,
    Fenced,
    Frac,
    Group,
    Node,
    Op,
    Phantom,
    Scripts,
    Space,
    Sqrt,
    Stack,
    Sym,
    Unknown,
    XArrow,
)
from mlnotes.texmath.spacing import Atom, atoms, gap

_CLOSERS = set(")]}⟩⌉⌋|‖")
_DIFFERENTIALS = {"∂", "d", "δ", "Δ", "∇"}


def render(node: Node) -> str:
    """The whole formula on one line."""
    if isinstance(node, Group):
        return _list(node.items).strip()
    return _node(node, False)[0].strip()


# -- lists ------------------------------------------------------------------------------------


def _list(items: list[Node], script: bool = False, before: str | None = None) -> str:
    parts: list[str] = []
    info = atoms(items, before)
    prev = Atom(before, before) if before else None
    spaced = False
    for index, (item, atom) in enumerate(zip(items, info)):
        if atom is None:
            assert isinstance(item, Space)
            parts.append(" " * item.width)
            spaced = True
            continue
        text, atom.bare_script = _node(item, script)
        if isinstance(item, Frac) and wrap_fraction(info, index):
            text = f"({text})"
            atom.left, atom.right = S.OPEN, S.CLOSE
        if prev is not None and not spaced:
            parts.append(" " * gap(prev, atom, display=False, script=script))
        parts.append(text)
        prev = atom
        spaced = False
    return "".join(parts)


def _neighbour(info: list[Atom | None], index: int, step: int) -> Atom | None:
    index += step
    while 0 <= index < len(info):
        if info[index] is not None:
            return info[index]
        index += step
    return None


def wrap_fraction(info: list[Atom | None], index: int) -> bool:
    """A fraction gets parentheses when a product follows or precedes it, or a function
    name is applied to it: ``(1/n)∑ xᵢ``, ``log(p/q)``."""
    before = _neighbour(info, index, -1)
    after = _neighbour(info, index, 1)
    if before is not None:
        if before.op[:4] == "func":
            return True
        if before.right in (S.ORD, S.CLOSE) and not before.unary:
            return True
    return (
        after is not None
        and after.left in (S.ORD, S.OP, S.OPEN, S.INNER)
        and not after.period
    )


# -- grouping tests ---------------------------------------------------------------------------


def _flat(items: list[Node]) -> bool:
    """No operator, relation, punctuation, function or fraction outside brackets: a
    product of atoms such as ``∂L`` or ``QKᵀ``, safe as a numerator."""
    if not items:
        return True
    depth = 0
    for item, atom in zip(items, atoms(items)):
        if atom is None:
            if depth == 0:
                return False
            continue
        if isinstance(item, Sym) and item.cls == S.OPEN:
            depth += 1
            continue
        if isinstance(item, Sym) and item.cls == S.CLOSE and item.text in _CLOSERS:
            depth = max(depth - 1, 0)
            continue
        if depth:
            continue
        if atom.left in (S.BIN, S.REL, S.PUNCT) or atom.op or isinstance(item, Frac):
            return False
        if isinstance(item, Scripts) and isinstance(item.base, Frac):
            return False
    return True


def _spans(items: list[Node], start: int) -> bool:
    """``items[start]`` opens a bracket that the last item closes."""
    first = items[start]
    if not (isinstance(first, Sym) and first.cls == S.OPEN):
        return False
    depth = 0
    for position in range(start, len(items)):
        item = items[position]
        base = item.base if isinstance(item, Scripts) else item
        if isinstance(base, Sym) and base.cls == S.OPEN:
            depth += 1
        elif isinstance(base, Sym) and base.cls == S.CLOSE and base.text in _CLOSERS:
            depth -= 1
            if depth == 0:
                return position == len(items) - 1
    return False


def _is_differential(node: Node) -> bool:
    if isinstance(node, Scripts):
        node = node.base  # type: ignore[assignment]
    return isinstance(node, Sym) and node.text in _DIFFERENTIALS


def single_term(items: list[Node]) -> bool:
    """One term, safe as a denominator or under ``√``: ``x``, ``xᵢ²``, ``q(x)``, ``(2π)``,
    ``∂w``, ``∂x∂y``; not ``2π`` or ``k! (n − k)!``."""
    if not items or not _flat(items):
        return False
    if len(items) == 1:
        return True
    if _spans(items, 0):
        return True
    if not isinstance(items[0], Space) and _spans(items, 1):
        # q(x) reads as one term; p(1 − p) after "√" or "/" reads as √p·(1 − p): a head
        # applied to brackets holding an operation is bracketed whole.
        return not any(isinstance(i, Sym) and i.cls in (S.BIN, S.REL) for i in items[2:-1])
    if _is_differential(items[0]) and single_term(items[1:]):
        return True
    pairs = len(items) % 2 == 0 and all(
        _is_differential(items[i]) and not _is_differential(items[i + 1])
        for i in range(0, len(items), 2)
    )
    return pairs


# -- scripts ----------------------------------------------------------------------------------


def script_text(group: Group) -> str:
    """A script's content laid out tight, as TeX does in script style."""
    return _list(group.items, script=True)


def mapped(text: str, table: dict[str, str]) -> str | None:
    """``text`` in Unicode sub/superscript letters, or None unless every character has one."""
    if not text:
        return ""
    out = []
    for char in text:
        glyph = table.get(char)
        if glyph is None:
            return None
        out.append(glyph)
    return "".join(out)


def _graphemes(text: str) -> int:
    return sum(1 for char in text if not unicodedata.combining(char))


def _script(group: Group, table: dict[str, str], mark: str) -> tuple[str, bool]:
    """A script in Unicode letters, or ``_x`` / ``_(...)``; and whether it is bare."""
    text = script_text(group)
    unicode = mapped(text, table)
    if unicode is not None:
        return unicode, False
    items = group.items
    word = len(items) == 1 and isinstance(items[0], Sym) and " " not in text
    if _graphemes(text) == 1 or word:
        return mark + text, True
    return f"{mark}({text})", False


def needs_parens_as_base(node: Node) -> bool:
    """``(a/b)²``, ``(√x)²``, ``(a + b)²``: a script on these would attach to a part."""
    if isinstance(node, (Frac, Sqrt)):
        return True
    if isinstance(node, Group) and len(node.items) > 1:
        return not _spans(node.items, 0)
    return False


def _scripted(base_text: str, sub: Group | None, sup: Group | None) -> tuple[str, bool]:
    """Base, subscript, superscript; a Unicode superscript goes before a ``_x`` subscript
    so it cannot be read as part of it (``‖A‖²_F``)."""
    low, low_bare = _script(sub, S.SUBSCRIPTS, "_") if sub is not None else ("", False)
    high, high_bare = _script(sup, S.SUPERSCRIPTS, "^") if sup is not None else ("", False)
    if low.startswith("_") and high and not high.startswith("^"):
        return base_text + high + low, low_bare
    text = base_text + low + high
    if high:
        bare = high_bare or high.endswith("*")  # v* A: keep the star off the next letter
    else:
        bare = low_bare
    return text, bare


# -- nodes ------------------------------------------------------------------------------------


def _node(node: Node, script: bool) -> tuple[str, bool]:
    """The text of one node, and whether it ends in a bare script (``_θ``)."""
    if isinstance(node, Sym):
        return node.text, False
    if isinstance(node, Group):
        return _list(node.items, script), False
    if isinstance(node, Scripts) and isinstance(node.base, Brace):
        # A brace cannot be drawn in one line: the label follows its part, in brackets.
        labels = "".join(f" [{_list(g.items, True)}]" for g in (node.sub, node.sup) if g is not None)
        return _list(node.base.body.items, script) + labels, False
    if isinstance(node, Scripts):
        if node.base is None:
            base = ""
        else:
            base = _node(node.base, script)[0]
            if needs_parens_as_base(node.base):
                base = f"({base})"
        return _scripted(base, node.sub, node.sup)
    if isinstance(node, Op):
        return node.text, False
    if isinstance(node, Frac):
        return fraction(node, script), False
    if isinstance(node, Binom):
        return f"({_list(node.top.items, script)} choose {_list(node.bottom.items, script)})", False
    if isinstance(node, Sqrt):
        return root(node, script), False
    if isinstance(node, Accent):
        return accent(node, script), False
    if isinstance(node, Fenced):
        return node.left + _list(node.body.items, script) + node.right, False
    if isinstance(node, Delim):
        return node.text, False
    if isinstance(node, Env):
        return _environment(node, script), False
    if isinstance(node, XArrow):
        return _arrow(node), False
    if isinstance(node, Stack):
        base = _list(node.base.items, script)
        return _scripted(base, node.under, node.over)
    if isinstance(node, Brace):
        return _list(node.body.items, script), False
    if isinstance(node, Phantom):
        return " " * _graphemes(_list(node.body.items, script)), False
    if isinstance(node, Unknown):
        args = "".join("{" + _list(arg.items, script) + "}" for arg in node.args)
        return f"\\{node.name}{args}", False
    if isinstance(node, Space):
        return " " * node.width, False
    raise AssertionError(f"unexpected node {node!r}")


def fraction(node: Frac, script: bool = False) -> str:
    num = _list(node.num.items, script)
    den = _list(node.den.items, script)
    if not _flat(node.num.items):
        num = f"({num})"
    if not single_term(node.den.items):
        den = f"({den})"
    return f"{num}/{den}"


def radical_sign(index: Group | None) -> str:
    if index is None or not index.items:
        return "√"
    text = script_text(index)
    if text == "3":
        return "∛"
    if text == "4":
        return "∜"
    sup = mapped(text, S.SUPERSCRIPTS)
    if sup is not None:
        return sup + "√"
    return f"^({text})√"


def root(node: Sqrt, script: bool = False) -> str:
    body = _list(node.body.items, script)
    if not single_term(node.body.items):
        body = f"({body})"
    return radical_sign(node.index) + body


def accent(node: Accent, script: bool = False) -> str:
    body = _list(node.body.items, script)
    if _graphemes(body) == 1 and body[:1].strip() and not unicodedata.combining(body[0]):
        mark = "\u0304" if node.name == "bar" else node.combining
        return unicodedata.normalize("NFC", body + mark)
    return f"{node.name}({body})"


def _environment(node: Env, script: bool) -> str:
    rows = node.rows
    if node.kind == "cases":
        parts = []
        for row in rows:
            cells = [_list(cell.items, script).strip() for cell in row]
            parts.append(", ".join(cell for cell in cells if cell))
        return "{ " + "; ".join(parts) + " }"
    if node.kind in ("aligned", "gathered"):
        lines = []
        for row in rows:
            items = [item for cell in row for item in cell.items]
            lines.append(_list(items, script).strip())
        text = ""
        for line in (line for line in lines if line):
            # A row that ends in its own punctuation ("β̂,") needs no separator of ours.
            text += ("" if not text else " " if text[-1] in ",;.:" else "; ") + line
        return text
    texts = [[_list(cell.items, script).strip() for cell in row] for row in rows]
    if node.kind == "substack":
        return ", ".join(" ".join(row) for row in texts)
    sep = ", " if any(" " in cell for row in texts for cell in row) else " "
    body = "; ".join(sep.join(row) for row in texts)
    return f"{node.left}{body}{node.right}"


_ARROW_LINES = {"→": "─", "←": "─", "↔": "", "⇒": "═", "⇐": "═", "⇔": "", "↦": "├"}


def _arrow(node: XArrow) -> str:
    label = script_text(node.above).strip()
    below = script_text(node.below).strip() if node.below is not None else ""
    if not label and below:
        label, below = below, ""
    if below:  # the label under the arrow becomes its subscript
        return _scripted(_arrow(XArrow(node.arrow, node.above)), node.below, None)[0]
    if not label:
        return node.arrow
    if node.arrow in ("←", "⇐"):
        return f"{node.arrow}{label}{_ARROW_LINES[node.arrow]}"
    if node.arrow == "↔":
        return f"←{label}→"
    if node.arrow == "⇔":
        return f"⇐{label}⇒"
    if node.arrow == "↦":
        return f"├{label}→"
    return f"{_ARROW_LINES.get(node.arrow, '─')}{label}{node.arrow}"
