"""TeX source -> tree of :mod:`mlnotes.texmath.nodes`.

The tokenizer turns the source into control words (``\\frac``), control symbols (``\\,``),
single characters and collapsed white space (``" "``). The parser is recursive descent over
that list; every malformed input raises :class:`TexError` with a one-line message.
"""

from __future__ import annotations

import re

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
    TexError,
    Unknown,
    XArrow,
)

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|%[^\n]*|\s+|.", re.S)
_MAX_DEPTH = 100
SPACE = " "
ROW = "\\\\"

#: glyph -> class, for Unicode symbols typed directly into the TeX
_GLYPH_CLASS = {glyph: cls for glyph, cls in S.SYMBOLS.values()}
for _glyph, _cls in S.CHARS.values():
    _GLYPH_CLASS.setdefault(_glyph, _cls)
for _glyph in S.BIG_OPERATORS.values():
    _GLYPH_CLASS[_glyph] = S.OP
del _glyph, _cls

_MATRIX_DELIMS = {
    "matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
}
_ALIGNED = {"aligned", "align", "alignat", "alignedat", "split", "flalign", "eqnarray"}
_GATHERED = {"gathered", "gather", "multline", "equation", "displaymath", "math"}
_ARROWS = {
    "xrightarrow": "→", "xleftarrow": "←", "xRightarrow": "⇒", "xLeftarrow": "⇐",
    "xleftrightarrow": "↔", "xLeftrightarrow": "⇔", "xmapsto": "↦",
    "xlongrightarrow": "→", "xlongleftarrow": "←",
}
_BIG = {
    f"{size}{side}": cls
    for size in ("big", "Big", "bigg", "Bigg")
    for side, cls in (("", ""), ("l", S.OPEN), ("r", S.CLOSE), ("m", S.REL))
}
_IGNORED = {
    "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "nonumber",
    "notag", "limits", "nolimits", "mathstrut", "strut", "allowbreak", "relax",
    "nobreak", "protect", "hline", "cr", "nolinebreak", "/",
}
_SKIP_ONE_ARG = {"label", "tag", "color"}
_TEXT_ESCAPES = {"%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}",
                 " ": " ", ",": " ", ";": " ", ":": " ", "!": "", "\\": " "}
_TEXT_WORDS = {"ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—",
               "quad": "  ", "qquad": "    ", "textbackslash": "\\", "S": "§",
               "textdegree": "°", "textasciitilde": "~", "LaTeX": "LaTeX", "TeX": "TeX"}


def tokenize(tex: str) -> list[str]:
    tokens: list[str] = []
    for tok in _TOKEN.findall(tex):
        if tok[0] == "%":
            continue  # a comment, to the end of the line
        if tok.isspace():
            if tokens and tokens[-1] == SPACE:
                continue
            tokens.append(SPACE)
        elif len(tok) == 2 and tok[0] == "\\" and tok[1].isspace():
            tokens.append("\\ ")  # a backslash before a line break or tab: a space
        else:
            tokens.append(tok)
    return tokens


def parse(tex: str) -> Node:
    """Parse a whole formula; ``\\\\`` or ``&`` at the top level make an aligned block."""
    parser = _Parser(tokenize(tex))
    rows = parser.rows(end=None)
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    if any(len(row) > 1 for row in rows):
        return Env("aligned", rows, "rl")
    return Env("gathered", rows, "c")


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.toks = tokens
        self.pos = 0
        self.depth = 0

    # -- token access ----------------------------------------------------------------------

    def peek(self, skip_space: bool = True) -> str | None:
        pos = self.pos
        toks = self.toks
        if skip_space and pos < len(toks) and toks[pos] == SPACE:
            pos += 1
        return toks[pos] if pos < len(toks) else None

    def next(self, skip_space: bool = True) -> str | None:
        if skip_space:
            self.skip_space()
        if self.pos >= len(self.toks):
            return None
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def skip_space(self) -> None:
        if self.pos < len(self.toks) and self.toks[self.pos] == SPACE:
            self.pos += 1

    def enter(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise TexError("formula nested too deeply")

    # -- lists -----------------------------------------------------------------------------

    def group_until(self, stops: frozenset[str]) -> Group:
        """Parse atoms until one of ``stops`` (not consumed) or the end."""
        self.enter()
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok in stops:
                break
            if tok in ("^", "_", "'"):
                self.attach_script(items)
                continue
            self.skip_space()
            if tok in ("\\limits", "\\nolimits"):
                self.pos += 1
                target = items[-1] if items else None
                if isinstance(target, Scripts):
                    target = target.base
                if isinstance(target, Op):
                    target.limits = tok == "\\limits"
                continue
            node = self.atom(in_list=True)
            if node is not None:
                items.append(node)
        self.depth -= 1
        return Group(items)

    def attach_script(self, items: list[Node]) -> None:
        tok = self.next()
        last = items[-1] if items else None
        if isinstance(last, Scripts):
            target = last
        else:
            if last is not None and not isinstance(last, Space):
                items.pop()
            else:
                last = None
            target = Scripts(last)
            items.append(target)
        if tok == "'":
            primes = [Sym("′")]
            while self.peek(skip_space=False) == "'":
                self.pos += 1
                primes.append(Sym("′"))
            if target.sup is not None:
                raise TexError("double superscript")
            target.sup = Group(primes)
            if self.peek(skip_space=False) == "^":
                self.pos += 1
                target.sup.items.extend(self.argument("^").items)
            return
        arg = self.argument(tok or "")
        if tok == "^":
            if target.sup is not None:
                raise TexError("double superscript")
            target.sup = arg
        else:
            if target.sub is not None:
                raise TexError("double subscript")
            target.sub = arg

    def argument(self, command: str) -> Group:
        """A required argument: a braced group or a single token (with its own arguments)."""
        tok = self.peek()
        if tok is None or tok in ("}", "&", ROW, "^", "_", "\\right", "\\end"):
            raise TexError(f"{command} is missing an argument")
        if tok == "{":
            self.next()
            group = self.group_until(frozenset("}"))
            self.expect("}", command)
            return group
        node = self.atom(in_list=False)
        return Group([node] if node is not None else [])

    def optional(self) -> Group | None:
        """An optional ``[...]`` argument."""
        if self.peek() != "[":
            return None
        self.next()
        group = self.group_until(frozenset("]"))
        self.expect("]", "[")
        return group

    def expect(self, tok: str, context: str) -> None:
        if self.next() != tok:
            raise TexError(f"missing {tok!r} after {context}")

    def raw_argument(self, command: str) -> str:
        """A braced argument read as plain text (environment names, array column specs)."""
        if self.next() != "{":
            raise TexError(f"{command} is missing an argument")
        out = []
        while True:
            tok = self.next(skip_space=False)
            if tok is None:
                raise TexError(f"unbalanced braces in {command}")
            if tok == "}":
                return "".join(out).strip()
            if tok == "{":
                raise TexError(f"unexpected brace in {command}")
            out.append(tok)

    def _split_rows(self, stops: frozenset) -> tuple[list[list[Group]], list[Group], str | None]:
        """Cells split at ``&`` and rows at ``\\\\``, until any other stop token.

        Returns the finished rows, the row in progress and the token that ended them."""
        rows: list[list[Group]] = []
        row: list[Group] = []
        while True:
            row.append(self.group_until(stops))
            tok = self.next()
            if tok == "&":
                continue
            if tok != ROW:
                return rows, row, tok
            rows.append(row)
            row = []
            if self.peek() == "[":  # \\[2pt]
                self.optional()

    def rows(self, end: str | None) -> list[list[Group]]:
        """Rows of cells split at ``\\\\`` and ``&``, up to ``\\end{end}`` or the end of input."""
        rows, row, tok = self._split_rows(frozenset(("&", ROW, "\\end", "}", "\\right")))
        if tok == "\\end" and end is not None:
            name = self.raw_argument("\\end")
            if name != end:
                raise TexError(f"\\begin{{{end}}} ended by \\end{{{name}}}")
        elif tok is not None or end is not None:
            if tok is None:
                raise TexError(f"\\begin{{{end}}} without \\end")
            if tok == "\\end":
                raise TexError("\\end without \\begin")
            if tok == "\\right":
                raise TexError("\\right without \\left")
            raise TexError(f"unbalanced {tok!r}")
        if row != [Group([])] or not rows:
            rows.append(row)
        return rows

    # -- atoms -----------------------------------------------------------------------------

    def atom(self, in_list: bool) -> Node | None:
        self.enter()
        try:
            return self._atom(in_list)
        finally:
            self.depth -= 1

    def _atom(self, in_list: bool) -> Node | None:
        tok = self.next()
        if tok is None:
            return None
        if tok == "{":
            group = self.group_until(frozenset("}"))
            self.expect("}", "{")
            return group
        if tok == "}":
            raise TexError("unbalanced '}'")
        if tok == "&":
            raise TexError("'&' outside an environment")
        if tok == ROW:
            raise TexError("'\\\\' inside a group")
        if tok == "~":
            return Space(1)
        if tok[0] == "\\":
            if len(tok) == 1:
                raise TexError("stray backslash at the end")
            return self.command(tok[1:])
        if tok.isdigit():
            if not in_list:
                return Sym(tok)
            digits = [tok]
            while True:
                nxt = self.peek(skip_space=False)
                if nxt is not None and nxt.isdigit():
                    digits.append(self.next(skip_space=False) or "")
                elif (
                    nxt == "."
                    and self.pos + 1 < len(self.toks)
                    and self.toks[self.pos + 1].isdigit()
                ):
                    digits.append(self.next(skip_space=False) or "")
                else:
                    break
            return Sym("".join(digits))
        if tok in S.CHARS:
            glyph, cls = S.CHARS[tok]
            return Sym(glyph, cls)
        if tok in ("^", "_"):
            raise TexError(f"misplaced {tok!r}")
        return Sym(tok, _GLYPH_CLASS.get(tok, S.ORD))

    def delimiter(self, command: str) -> str:
        tok = self.next()
        if tok is None:
            raise TexError(f"{command} is missing a delimiter")
        if tok in S.DELIMITER_NAMES:
            return S.DELIMITER_NAMES[tok]
        if tok.startswith("\\"):
            name = tok[1:]
            if name in S.SYMBOLS and S.SYMBOLS[name][1] in (S.OPEN, S.CLOSE, S.ORD, S.REL):
                return S.SYMBOLS[name][0]
        raise TexError(f"{command} is not followed by a delimiter")

    def command(self, name: str) -> Node | None:
        if name in S.SYMBOLS:
            glyph, cls = S.SYMBOLS[name]
            return Sym(glyph, cls)
        if name in S.SPACES:
            return Space(S.SPACES[name])
        if name in S.BIG_OPERATORS:
            return Op(S.BIG_OPERATORS[name], big=True, limits=True)
        if name == "arg" and self.peek() in ("\\min", "\\max"):
            return Op("arg" + (self.next() or "")[1:], limits=True)
        if name in S.FUNCTIONS:
            text, limits = S.FUNCTIONS[name]
            return Op(text, limits=limits)
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            num = self.argument("\\" + name)
            den = self.argument("\\" + name)
            return Frac(num, den, "tfrac" if name == "tfrac" else "frac")
        if name in ("binom", "dbinom", "tbinom"):
            return Binom(self.argument("\\binom"), self.argument("\\binom"))
        if name == "sqrt":
            index = self.optional()
            return Sqrt(self.argument("\\sqrt"), index)
        if name in S.ACCENTS:
            combining, word = S.ACCENTS[name]
            return Accent(word, combining, self.argument("\\" + name))
        if name in S.FONTS or name in S.UPRIGHT:
            return self.font(name)
        if name in S.TEXT_COMMANDS:
            return self.text("\\" + name)
        if name in ("operatorname", "mathop", "operatornamewithlimits"):
            limits = name != "operatorname"
            if self.peek(skip_space=False) == "*":
                self.pos += 1
                limits = True
            body = self.argument("\\" + name)
            word = _plain_word(body)
            if word is None:
                return body
            return Op(word, limits=limits)
        if name == "left":
            return self.fenced()
        if name == "right":
            raise TexError("\\right without \\left")
        if name == "middle":
            raise TexError("\\middle outside \\left...\\right")
        if name in _BIG:
            glyph = self.delimiter("\\" + name)
            cls = _BIG[name] or _GLYPH_CLASS.get(glyph, S.ORD)
            return Delim(glyph, cls)
        if name == "begin":
            return self.environment()
        if name == "end":
            raise TexError("\\end without \\begin")
        if name in _ARROWS:
            below = self.optional()
            return XArrow(_ARROWS[name], self.argument("\\" + name), below)
        if name in ("overset", "stackrel"):
            over = self.argument("\\" + name)
            return Stack(self.argument("\\" + name), over=over)
        if name in ("underbrace", "overbrace"):
            return Brace(self.argument("\\" + name), under=name == "underbrace")
        if name == "underset":
            under = self.argument("\\underset")
            return Stack(self.argument("\\underset"), under=under)
        if name == "substack":
            if self.next() != "{":
                raise TexError("\\substack is missing an argument")
            rows = self.rows_in_braces("\\substack")
            return Env("substack", rows, "c")
        if name == "not":
            return self.negation()
        if name in ("phantom", "hphantom"):
            return Phantom(self.argument("\\" + name))
        if name in ("pmod", "mod"):
            arg = self.argument("\\" + name)
            items: list[Node] = [Op("mod"), arg]
            if name == "pmod":
                items = [Space(1), Sym("(", S.OPEN), *items, Sym(")", S.CLOSE)]
            return Group(items)
        if name == "textcolor":
            self.raw_argument("\\textcolor")
            return self.argument("\\textcolor")
        if name in _SKIP_ONE_ARG:
            self.raw_argument("\\" + name)
            return None
        if name == "vphantom":
            self.argument("\\vphantom")
            return None
        if name in ("hspace", "hskip", "kern", "mskip"):
            if self.peek() == "{":
                self.raw_argument("\\" + name)
            return Space(1)
        if name in _IGNORED:
            return None
        return self.unknown(name)

    def unknown(self, name: str) -> Unknown:
        args = []
        while self.peek(skip_space=False) == "{":
            self.pos += 1
            args.append(self.group_until(frozenset("}")))
            self.expect("}", "\\" + name)
        return Unknown(name, args)

    def font(self, name: str) -> Node:
        body = self.argument("\\" + name)
        if name in S.UPRIGHT:
            word = _plain_word(body)
            return Sym(word, word=True) if word else body
        table = S.FONTS[name]
        if table is not None:
            _restyle(body, table)
        return body if len(body.items) != 1 else body.items[0]

    def text(self, command: str) -> Node:
        """Text mode: spaces count, ``$...$`` switches back to math."""
        if self.next() != "{":
            raise TexError(f"{command} is missing an argument")
        self.enter()
        parts: list[Node] = []
        chars: list[str] = []
        depth = 0
        while True:
            tok = self.next(skip_space=False)
            if tok is None:
                raise TexError(f"unbalanced braces in {command}")
            if tok == "{":
                depth += 1
            elif tok == "}":
                if depth == 0:
                    break
                depth -= 1
            elif tok == "$":
                if chars:
                    parts.append(Sym("".join(chars), word=True))
                    chars = []
                math = self.group_until(frozenset(("$", "}")))
                if self.next(skip_space=False) != "$":
                    raise TexError(f"unclosed $ in {command}")
                parts.append(math)
            elif tok[0] == "\\" and len(tok) > 1:
                name = tok[1:]
                if name in _TEXT_ESCAPES:
                    chars.append(_TEXT_ESCAPES[name])
                elif name in _TEXT_WORDS:
                    chars.append(_TEXT_WORDS[name])
                elif name in S.TEXT_COMMANDS or name in S.UPRIGHT:
                    continue  # \textbf{...} inside \text: keep the words
                else:
                    chars.append(tok)
            elif tok == "~":
                chars.append(" ")
            else:
                chars.append(tok)
        self.depth -= 1
        if chars:
            parts.append(Sym("".join(chars), word=True))
        if len(parts) == 1:
            return parts[0]
        return Group(parts)

    def fenced(self) -> Fenced:
        self.enter()
        left = self.delimiter("\\left")
        stops = frozenset(("\\right", "\\middle"))
        items: list[Node] = []
        while True:
            items.extend(self.group_until(stops).items)
            tok = self.next()
            if tok == "\\middle":
                items.append(Delim(self.delimiter("\\middle"), S.REL))
                continue
            if tok != "\\right":
                raise TexError("\\left without \\right")
            break
        right = self.delimiter("\\right")
        self.depth -= 1
        return Fenced(left, Group(items), right)

    def rows_in_braces(self, command: str) -> list[list[Group]]:
        """Rows inside a braced argument (``\\substack{a \\\\ b}``); the ``{`` is consumed."""
        rows, row, tok = self._split_rows(frozenset(("&", ROW, "}")))
        if tok != "}":
            raise TexError(f"unbalanced braces in {command}")
        rows.append(row)
        return rows

    def environment(self) -> Env:
        name = self.raw_argument("\\begin")
        base = name.rstrip("*")
        self.enter()
        aligns = "c"
        left = right = ""
        if base in _MATRIX_DELIMS:
            kind = "matrix"
            left, right = _MATRIX_DELIMS[base]
            if name.endswith("*"):
                spec = self.optional()
                if spec is not None and spec.items and isinstance(spec.items[0], Sym):
                    aligns = spec.items[0].text[:1] or "c"
        elif base in ("cases", "dcases", "rcases"):
            kind = "cases"
            aligns = "ll"
            left, right = ("", "}") if base == "rcases" else ("{", "")
        elif base in _ALIGNED:
            kind = "aligned"
            aligns = "rl"
            if base in ("alignat", "alignedat"):
                self.raw_argument(f"\\begin{{{name}}}")
        elif base in _GATHERED:
            kind = "gathered"
        elif base in ("array", "subarray"):
            kind = "array"
            spec = self.raw_argument(f"\\begin{{{name}}}")
            aligns = "".join(c for c in spec if c in "lcr") or "c"
        else:
            raise TexError(f"unknown environment {name!r}")
        rows = self.rows(end=name)
        self.depth -= 1
        return Env(kind, rows, aligns, left, right)

    def negation(self) -> Node:
        tok = self.next()
        if tok is None:
            raise TexError("\\not is missing a symbol")
        key = tok[1:] if tok.startswith("\\") else tok
        if key in S.NEGATED:
            return Sym(S.NEGATED[key], S.REL)
        self.pos -= 1
        node = self.atom(in_list=False)
        if isinstance(node, Sym):
            return Sym(node.text + "\u0338", node.cls)
        raise TexError("\\not is not followed by a symbol")


def _plain_word(group: Group) -> str | None:
    """The text of a group made only of letters, digits and upright words, else None."""
    out = []
    for item in group.items:
        if isinstance(item, Sym) and (item.word or item.cls == S.ORD):
            out.append(item.text)
        elif isinstance(item, Sym) and item.text in ("−", "*", "'"):
            out.append("-" if item.text == "−" else item.text)
        elif isinstance(item, Space):
            out.append(" " * item.width)
        else:
            return None
    return "".join(out) or None


def _restyle(node: Node, table: dict[str, str]) -> None:
    """Map the Latin letters (and digits) of a font argument through ``table``, in place."""
    if isinstance(node, Sym):
        if not node.word and node.text in table:
            node.text = table[node.text]
        elif not node.word and node.text.isdigit():
            node.text = "".join(table.get(d, d) for d in node.text)
    elif isinstance(node, Group):
        for item in node.items:
            _restyle(item, table)
    elif isinstance(node, Scripts) and node.base is not None:
        _restyle(node.base, table)
