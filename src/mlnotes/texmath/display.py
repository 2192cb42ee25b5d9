"""Two-dimensional layout: the tree as a block of lines, for display math.

Every piece is a :class:`Box`: lines of equal width plus a baseline row, so pieces of
different heights line up when set side by side (``hcat``). Fractions stack over a ``─``
bar, big operators carry their limits above and below, ``\\left...\\right`` delimiters grow
with what they enclose, environments become grids.
"""

from __future__ import annotations

from rich.cells import cell_len

from mlnotes.texmath import oneline as I
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


def width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


class Box:
    """Lines padded to one width, and the row the surrounding text sits on."""

    __slots__ = ("lines", "base", "width")

    def __init__(self, lines: list[str], base: int = 0) -> None:
        widths = [width(line) for line in lines]
        self.width = max(widths, default=0)
        self.lines = [line + " " * (self.width - w) for line, w in zip(lines, widths)]
        self.base = base

    @property
    def height(self) -> int:
        return len(self.lines)

    @property
    def below(self) -> int:
        return len(self.lines) - self.base - 1


def _text(text: str) -> Box:
    return Box([text])


def _blank(cells: int, rows: int = 1, base: int = 0) -> Box:
    return Box([" " * cells] * rows, base)


def hcat(boxes: list[Box]) -> Box:
    """Boxes side by side, baselines aligned."""
    if not boxes:
        return _text("")
    above = max(box.base for box in boxes)
    below = max(box.below for box in boxes)
    rows = [""] * (above + below + 1)
    for box in boxes:
        pad = " " * box.width
        top = above - box.base
        for row in range(len(rows)):
            inside = 0 <= row - top < box.height
            rows[row] += box.lines[row - top] if inside else pad
    return Box(rows, above)


def _centre(line: str, cells: int) -> str:
    spare = cells - width(line)
    return " " * (spare // 2) + line + " " * (spare - spare // 2)


def vstack(boxes: list[Box], base_box: int, align: str = "c") -> Box:
    """Boxes one above the other; the baseline is that of ``boxes[base_box]``."""
    cells = max(box.width for box in boxes)
    lines: list[str] = []
    base = 0
    for index, box in enumerate(boxes):
        if index == base_box:
            base = len(lines) + box.base
        for line in box.lines:
            if align == "l":
                lines.append(line)
            elif align == "r":
                lines.append(" " * (cells - box.width) + line)
            else:
                lines.append(_centre(line, cells))
    return Box(lines, base)


def render(node: Node) -> list[str]:
    """The whole formula as lines of equal width."""
    return _box(node, script=False).lines


# -- lists ------------------------------------------------------------------------------------


def _hlist(items: list[Node], script: bool = False, before: str | None = None) -> Box:
    info = atoms(items, before)
    boxes: list[Box | None] = []
    for item, atom in zip(items, info):
        if atom is None:
            assert isinstance(item, Space)
            boxes.append(_blank(item.width))
            continue
        if isinstance(item, Delim) or (
            isinstance(item, Scripts) and isinstance(item.base, Delim)
        ):
            boxes.append(None)  # sized to the row, below
            continue
        if isinstance(item, Frac) and not _stacked(item, script):
            text = I.fraction(item, script)
            if I.wrap_fraction(info, len(boxes)):
                text = f"({text})"
                atom.left, atom.right = S.OPEN, S.CLOSE
            boxes.append(_text(text))
            continue
        boxes.append(_box(item, script))
        if _stacked(item, script):
            atom.left = atom.right = S.INNER
    sized = [box for box in boxes if box is not None]
    above = max((box.base for box in sized), default=0)
    below = max((box.below for box in sized), default=0)
    out: list[Box] = []
    prev = Atom(before, before) if before else None
    spaced = False
    for item, atom, box in zip(items, info, boxes):
        if box is None:
            delim = item.base if isinstance(item, Scripts) else item
            assert isinstance(delim, Delim)
            box = Box(tall(delim.text, above + below + 1), above)
            if isinstance(item, Scripts):
                box = _scripts(item, script, box)
        if atom is None:
            out.append(box)
            spaced = True
            continue
        if prev is not None and not spaced:
            cells = gap(prev, atom, display=True, script=script)
            if cells:
                out.append(_blank(cells))
        out.append(box)
        prev = atom
        spaced = False
    return hcat(out)


def _stacked(node: Node, script: bool) -> bool:
    return isinstance(node, Frac) and node.style != "tfrac" and not script


# -- nodes ------------------------------------------------------------------------------------


def _box(node: Node, script: bool) -> Box:
    if isinstance(node, Sym):
        return _text(node.text)
    if isinstance(node, Group):
        return _hlist(node.items, script)
    if isinstance(node, Scripts):
        return _scripts(node, script)
    if isinstance(node, Op):
        return _text(node.text)
    if isinstance(node, Frac):
        if not _stacked(node, script):
            return _text(I.fraction(node, script))
        return _fraction(_hlist(node.num.items, script), _hlist(node.den.items, script), "─")
    if isinstance(node, Binom):
        stack = _fraction(_hlist(node.top.items, script), _hlist(node.bottom.items, script), " ")
        return _fence("(", stack, ")")
    if isinstance(node, Sqrt):
        return _root(node, script)
    if isinstance(node, Accent):
        return _accent(node, script)
    if isinstance(node, Fenced):
        return _fence(node.left, _hlist(node.body.items, script), node.right)
    if isinstance(node, Delim):
        return _text(node.text)
    if isinstance(node, Env):
        return _environment(node, script)
    if isinstance(node, XArrow):
        return _arrow(node)
    if isinstance(node, Stack):
        base = _hlist(node.base.items, script)
        over = _hlist(node.over.items, True) if node.over is not None else None
        under = _hlist(node.under.items, True) if node.under is not None else None
        return _limits(base, over, under)
    if isinstance(node, Brace):
        return _brace(node, script)
    if isinstance(node, Phantom):
        body = _hlist(node.body.items, script)
        return _blank(body.width, body.height, body.base)
    if isinstance(node, Unknown):
        pieces = [_text("\\" + node.name)]
        for arg in node.args:
            pieces += [_text("{"), _hlist(arg.items, script), _text("}")]
        return hcat(pieces)
    if isinstance(node, Space):
        return _blank(node.width)
    raise AssertionError(f"unexpected node {node!r}")


def _fraction(num: Box, den: Box, bar: str) -> Box:
    cells = max(num.width, den.width)
    return vstack([num, _text(bar * cells), den], 1)


def _limits(base: Box, over: Box | None, under: Box | None) -> Box:
    parts = [box for box in (over, base, under) if box is not None]
    return vstack(parts, parts.index(base))


def _scripts(node: Scripts, script: bool, base: Box | None = None) -> Box:
    if base is None:
        base = _box(node.base, script) if node.base is not None else _text("")
    if isinstance(node.base, Frac) and base.height > 1:
        base = _fence("(", base, ")")
    limits = (isinstance(node.base, Op) and node.base.limits) or isinstance(node.base, Brace)
    if not limits and base.height == 1:
        sub = I.mapped(I.script_text(node.sub), S.SUBSCRIPTS) if node.sub else ""
        sup = I.mapped(I.script_text(node.sup), S.SUPERSCRIPTS) if node.sup else ""
        if sub is not None and sup is not None:
            if node.base is not None and I.needs_parens_as_base(node.base):
                return _text(f"({base.lines[0].rstrip()}){sub}{sup}")
            return _text(base.lines[0] + sub + sup)
    sup_box = _hlist(node.sup.items, True) if node.sup is not None else None
    sub_box = _hlist(node.sub.items, True) if node.sub is not None else None
    if limits:
        return _limits(base, sup_box, sub_box)
    # Raise the superscript to the row above the base (or its top row, if the base is
    # tall), lower the subscript likewise; both start right after the base.
    tall = base.height > 1
    sup_bottom = (0 if tall else -1) - base.base  # rows relative to the baseline
    sub_top = (base.height - 1 if tall else 1) - base.base
    top = min(-base.base, sup_bottom - sup_box.height + 1 if sup_box else 0)
    bottom = max(base.below, sub_top + sub_box.height - 1 if sub_box else 0)
    side = max(sup_box.width if sup_box else 0, sub_box.width if sub_box else 0)
    lines = []
    for row in range(top, bottom + 1):
        at = row + base.base
        left = base.lines[at] if 0 <= at < base.height else " " * base.width
        right = ""
        if sup_box and sup_bottom - sup_box.height < row <= sup_bottom:
            right = sup_box.lines[row - (sup_bottom - sup_box.height + 1)]
        elif sub_box and sub_top <= row < sub_top + sub_box.height:
            right = sub_box.lines[row - sub_top]
        lines.append(left + right.ljust(side))
    return Box(lines, -top)


def _brace(node: Brace, script: bool) -> Box:
    """The body with a horizontal brace under (or over) it, pointing at the label."""
    body = _hlist(node.body.items, script)
    cells = max(3, body.width)
    left, right = (cells - 3) // 2, cells - 3 - (cells - 3) // 2
    if node.under:
        return vstack([body, _text("╰" + "─" * left + "┬" + "─" * right + "╯")], 0)
    return vstack([_text("╭" + "─" * left + "┴" + "─" * right + "╮"), body], 1)


def _root(node: Sqrt, script: bool) -> Box:
    sign = I.radical_sign(node.index)
    body = _hlist(node.body.items, script)
    if body.height == 1 and I.single_term(node.body.items):
        return _text(sign + body.lines[0])
    pad = " " * (width(sign) - 1)
    bar = " " * width(sign) + "_" * body.width
    left = [pad + "│"] * (body.height - 1) + [sign]
    lines = [bar] + [mark + line for mark, line in zip(left, body.lines)]
    return Box(lines, body.base + 1)


def _accent(node: Accent, script: bool) -> Box:
    body = _hlist(node.body.items, script)
    if body.height == 1:
        text = body.lines[0]
        single = I.accent(node, script)
        if not single.startswith(node.name + "("):
            return _text(single)
        if node.name == "bar":
            return Box(["_" * body.width, text], 1)
        if node.name == "underline":
            return Box([text, "‾" * body.width], 0)
    return hcat([_text(node.name), _fence("(", body, ")")])


def tall(glyph: str, rows: int) -> list[str]:
    """A delimiter drawn over ``rows`` lines."""
    if rows <= 1 or not glyph:
        return [glyph] * rows
    if glyph in ("⟨", "⟩"):
        up, down = ("╱", "╲") if glyph == "⟨" else ("╲", "╱")
        half = rows // 2
        return [up] * half + [glyph] * (rows % 2) + [down] * half
    if glyph == "/":
        return ["╱"] * rows
    pieces = S.TALL_DELIMITERS.get(glyph)
    if pieces is None:
        return [glyph] * rows
    top, extension, middle, bottom = pieces
    if middle is not None and rows == 2:
        return ["⎰", "⎱"] if glyph == "{" else ["⎱", "⎰"]
    lines = [top] + [extension] * (rows - 2) + [bottom]
    if middle is not None:
        lines[rows // 2] = middle
    return lines


def _fence(left: str, body: Box, right: str) -> Box:
    rows = body.height
    parts = [Box(tall(left, rows), body.base), body, Box(tall(right, rows), body.base)]
    return hcat(parts)


# -- environments -----------------------------------------------------------------------------


def _cells(node: Env, script: bool) -> list[list[Box]]:
    grid = []
    for row in node.rows:
        boxes = []
        prev_right: str | None = None
        for column, cell in enumerate(row):
            before = None
            if node.kind == "aligned" and column % 2 == 1:
                before = prev_right or S.ORD  # "&=" continues the left-hand side
            boxes.append(_hlist(cell.items, script, before))
            classes = [a for a in atoms(cell.items) if a is not None]
            prev_right = classes[-1].right if classes else None
        grid.append(boxes)
    return grid


def _environment(node: Env, script: bool) -> Box:
    grid = _cells(node, script)
    columns = max(len(row) for row in grid)
    widths = [0] * columns
    for row in grid:
        for column, box in enumerate(row):
            widths[column] = max(widths[column], box.width)
    aligns = node.aligns or "c"
    tall_rows = any(box.height > 1 for row in grid for box in row)
    spread = node.kind != "substack" and (
        tall_rows or (node.kind == "cases" and len(grid) % 2 == 0)
    )
    lines: list[str] = []
    for index, row in enumerate(grid):
        if index and spread:
            lines.append("")
        cells = []
        for column in range(columns):
            box = row[column] if column < len(row) else _text("")
            align = aligns[column % len(aligns)]
            cells.append(_place(box, widths[column], align))
            if column + 1 < columns:
                cells.append(_blank(_column_gap(node.kind, column)))
        lines.extend(hcat(cells).lines)
    grid_box = Box(lines, (len(lines) - 1) // 2)
    if node.kind == "substack":
        return Box(lines, 0)
    if not node.left and not node.right:
        return grid_box
    inner = [grid_box]
    if node.kind == "matrix":
        inner = [_blank(1), grid_box, _blank(1)]
    elif node.left:
        inner = [_blank(1), grid_box]
    body = hcat(inner)
    return _fence(node.left, body, node.right)


def _column_gap(kind: str, column: int) -> int:
    if kind == "aligned":
        return 0 if column % 2 == 0 else 2
    return 2


def _place(box: Box, cells: int, align: str) -> Box:
    spare = cells - box.width
    if align == "l":
        left = 0
    elif align == "r":
        left = spare
    else:
        left = spare // 2
    lines = [" " * left + line + " " * (spare - left) for line in box.lines]
    return Box(lines, box.base)


_ARROW_DRAWN = {
    "→": ("─", "", "→"), "←": ("─", "←", ""), "⇒": ("═", "", "⇒"), "⇐": ("═", "⇐", ""),
    "↔": ("─", "←", "→"), "⇔": ("═", "⇐", "⇒"), "↦": ("─", "├", "→"),
}


def _arrow(node: XArrow) -> Box:
    above = _hlist(node.above.items, True)
    below = _hlist(node.below.items, True) if node.below is not None else None
    cells = max(above.width, below.width if below else 0) + 2
    cells = max(cells, 3)
    line, head, tail = _ARROW_DRAWN.get(node.arrow, ("─", "", node.arrow))
    arrow = head + line * (cells - len(head) - len(tail)) + tail
    parts = [above, _text(arrow)] + ([below] if below is not None else [])
    return vstack(parts, 1)
