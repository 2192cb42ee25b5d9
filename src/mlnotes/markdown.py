"""Rich Markdown for notes: math through :mod:`mlnotes.texmath`, and ``[[wikilinks]]``.

Rich's own Markdown mangles TeX: ``_..._`` pairs become italics, ``\\{`` and ``\\\\`` are
unescaped, and with a math plugin on the formulas vanish. Here the dollar-math rule of
``mdit_py_plugins`` runs before emphasis and escapes, so a formula reaches
:mod:`mlnotes.texmath` exactly as written. Inline math becomes one styled line inside the
sentence; display math a 2-D block, centred as a rectangle.

The same tokenizer (:func:`make_parser`) serves :func:`iter_math` and :func:`math_problems`,
so what the checker reports is what the reader shows. A ```` ```plot ```` fence is a figure
(:mod:`mlnotes.figures`), drawn at the width it is given; a ```` ```python ```` block is
tagged (style meta ``code``) so the reader can find it on screen and run it.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.errors import MissingStyle
from rich.markdown import (
    CodeBlock,
    Heading,
    Markdown,
    MarkdownContext,
    MarkdownElement,
    Paragraph,
    TableDataElement,
)
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text, TextType
from rich.theme import Theme

from mlnotes import texmath
from mlnotes.outline import WIKILINK, link_target, parse_wikilink
from mlnotes.sanitize import clean

__all__ = ["NOTE_THEME", "NoteMarkdown", "figure_problems", "iter_math", "make_parser", "math_problems"]

from mlnotes.theme import NOTE_THEME  # noqa: E402  (re-exported: the theme of rendered notes)

_INLINE_MATH = ("math_inline", "math_inline_double")
_BLOCK_MATH = ("math_block", "math_block_label")


# -- parsing ----------------------------------------------------------------------------------


def _math_inline_with_line() -> Callable[[StateInline, bool], bool]:
    """The dollarmath inline rule, also recording the formula's line within its block.

    A candidate that runs into a code span (``costs $2,000 (see `$x$`)``) is not math: the
    first ``$`` was a currency sign, and code spans are never touched.
    """
    rule = math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True)

    def math_inline(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, True):
            return False
        end = state.pos
        state.pos = start
        if "`" in state.src[start:end]:
            return False
        if silent:
            state.pos = end
            return True
        rule(state, False)
        state.tokens[-1].meta["line"] = _line_of(state, start)
        return True

    return math_inline


def _line_of(state: StateInline, offset: int) -> int:
    """The line of ``offset`` within the inline block, in O(log n): counting newlines from
    the start for each formula made 100,000 formulas in one paragraph take 45 s."""
    newlines = state.env.get("_mlnotes_newlines")
    if newlines is None or newlines[0] is not state.src:
        newlines = (state.src, [m.start() for m in re.finditer("\n", state.src)])
        state.env["_mlnotes_newlines"] = newlines
    return bisect.bisect_left(newlines[1], offset)


def _wikilink(state: StateInline, silent: bool) -> bool:
    """A wikilink, in the one grammar of :func:`mlnotes.outline.parse_wikilink`:
    ``[[slug]]``, ``[[slug|text]]``, ``[[slug#section]]``, ``[[slug#section|text]]``
    (``\\|`` too, as written in a table)."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK.match(state.src, state.pos)
    if match is None:
        return False
    parsed = parse_wikilink(match.group(1))
    if parsed is None:
        return False
    if not silent:
        slug, section, shown = parsed
        token = state.push("wikilink", "", 0)
        token.content = shown or ""
        token.meta = {"slug": slug, "target": link_target(slug, section)}
    state.pos = match.end()
    return True


def make_parser() -> MarkdownIt:
    """The Markdown tokenizer notes are read with: CommonMark, tables, strikethrough,
    ``$``/``$$`` math (taken out before emphasis and escapes) and wikilinks."""
    md = MarkdownIt().enable("strikethrough").enable("table")
    # A stray "$$" must not swallow the rest of the note: display math ends at a blank line.
    dollarmath_plugin(
        md, allow_space=False, allow_digits=False, double_inline=True, allow_blank_lines=False
    )
    md.inline.ruler.at("math_inline", _math_inline_with_line())
    md.inline.ruler.before("link", "wikilink", _wikilink)
    return md


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return make_parser()


def _inline_tokens(tokens: Iterable[Token]) -> Iterable[tuple[int, Token]]:
    """Each inline child token with its 1-based source line."""
    for token in tokens:
        if token.type == "inline" and token.children:
            first = token.map[0] if token.map else 0
            for child in token.children:
                yield first + 1 + child.meta.get("line", 0), child


def iter_math(source: str) -> list[tuple[int, str, bool]]:
    """(1-based line, TeX, is_display) for every formula in ``source``.

    ``is_display`` is True for ``$$...$$`` on lines of its own, shown as a 2-D block;
    ``$$...$$`` inside a paragraph flows with the text like ``$...$``.
    """
    tokens = _parser().parse(clean(source))
    found: list[tuple[int, str, bool]] = []
    for token in tokens:
        if token.type in _BLOCK_MATH:
            line = token.map[0] + 1 if token.map else 1
            found.append((line, token.content.strip(), True))
        elif token.type == "inline":
            for line, child in _inline_tokens([token]):
                if child.type in _INLINE_MATH:
                    found.append((line, child.content, False))
    return found


def math_problems(source: str) -> list[tuple[int, str]]:
    """(1-based line, message) for each formula that does not parse, for each ``|`` inside
    math in a table row (it splits the cell: write ``\\lvert``, ``\\lVert``, ``\\mid``), and
    where text is nested past the parser's limit (it is dropped)."""
    source = clean(source)
    problems = []
    lines = source.splitlines()
    for line, tex, display in iter_math(source):
        error = texmath.check(tex)
        if error is not None:
            problems.append((line, f"{error}: {_excerpt(tex)}"))
        elif not display and 0 < line <= len(lines) and lines[line - 1].strip().startswith("$$"):
            # $$ cannot interrupt a paragraph: it goes on the text's line, drawn inline
            problems.append((line, "$$ right after a line of text is drawn inline, in the paragraph: "
                                   "leave a blank line before it for a display formula"))
    parser = _parser()
    tokens = parser.parse(source)
    cut = nesting_cut(tokens)
    if cut is not None:
        deep = next((t for t in tokens if t.level >= parser.options["maxNesting"] - 1 and t.map), None)
        line = deep.map[0] + 1 if deep else 1
        problems.append((line, f"nested more than {parser.options['maxNesting']} levels deep: what is deeper is not shown"))
    for token in tokens:
        if token.type != "tr_open" or not token.map or token.map[0] >= len(lines):
            continue
        row = lines[token.map[0]]
        for child in parser.parseInline(row)[0].children or []:
            if child.type in _INLINE_MATH and "|" in child.content:
                problems.append(
                    (
                        token.map[0] + 1,
                        "'|' inside math in a table row splits the cell; write "
                        "\\lvert/\\rvert, \\lVert/\\rVert or \\mid: " + _excerpt(child.content),
                    )
                )
    problems.sort(key=lambda problem: problem[0])
    return problems


from mlnotes.outline import PYTHON_FENCES  # noqa: E402  (one definition, in the outline)


def fence_words(info: str) -> list[str]:
    """The words of a fence's info string, lower case: ``python no-run`` → [python, no-run]."""
    return info.strip().lower().split()


def figure_problems(source: str) -> list[tuple[int, str]]:
    """(1-based line of the fence, message) for each ```` ```plot ```` block that cannot be drawn."""
    from mlnotes import figures

    problems = []
    for token in _parser().parse(clean(source)):
        words = fence_words(token.info) if token.type == "fence" else []
        if words and words[0] == "plot":
            message = figures.problem(token.content)
            if message is not None:
                problems.append(((token.map[0] + 1) if token.map else 1, f"figure: {message}"))
    return problems


def _excerpt(tex: str, limit: int = 60) -> str:
    flat = " ".join(tex.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"${flat}$"


# -- rendering --------------------------------------------------------------------------------


def _style(console: Console, name: str) -> Style:
    """A theme style, falling back on :data:`NOTE_THEME` when the console lacks it."""
    try:
        return console.get_style(name)
    except MissingStyle:
        return NOTE_THEME.styles[name]


class _Piece(str):
    """Text that arrives through a ``text`` token but carries its own style and meta."""

    style_name: str
    meta: dict[str, Any] | None

    def __new__(cls, text: str, style_name: str, meta: dict[str, Any] | None = None) -> _Piece:
        piece = super().__new__(cls, text)
        piece.style_name = style_name
        piece.meta = meta
        return piece

    def style(self, console: Console) -> Style:
        style = _style(console, self.style_name)
        if self.meta:
            style = style + Style(meta=self.meta)
        return style


class _TakesPieces:
    """Mixin for the elements inline content lands in: style a :class:`_Piece` on top of
    the surrounding style (bold, heading...)."""

    def on_text(self, context: MarkdownContext, text: TextType) -> None:
        if isinstance(text, _Piece):
            context.enter_style(text.style(context.console))
            super().on_text(context, str(text))  # type: ignore[misc]
            context.leave_style()
        else:
            super().on_text(context, text)  # type: ignore[misc]


_HELD = "\ue000"  # stands in for a space inside a formula while a paragraph is wrapped


class _Paragraph(_TakesPieces, Paragraph):
    """A paragraph wrapped at spaces between words only: a formula such as ``AXA = A`` is
    never split across lines, unless it is wider than a line."""

    def on_enter(self, context: MarkdownContext) -> None:
        super().on_enter(context)
        self.formulas: list[tuple[int, int]] = []  # (start, end) of each formula in the text

    def on_text(self, context: MarkdownContext, text: TextType) -> None:
        start = len(self.text)
        super().on_text(context, text)
        if isinstance(text, _Piece) and text.style_name == "mlnotes.math":
            self.formulas.append((start, len(self.text)))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.text.justify = self.justify
        plain = self.text.plain
        held = plain
        for start, end in self.formulas:
            formula = plain[start:end]
            # A formula wider than the line has to break, and at its own spaces is best.
            if " " in formula and cell_len(formula) <= options.max_width:
                held = held[:start] + formula.replace(" ", _HELD) + held[end:]
        if held is plain or _HELD in plain:
            yield self.text
            return
        self.text.plain = held  # same length, so the styles stay where they were
        lines = self.text.wrap(console, options.max_width, justify=self.justify)
        self.text.plain = plain  # the lines are copies: leave the element as it was
        for line in lines:
            if _HELD in line.plain:
                line.plain = line.plain.replace(_HELD, " ")
        # What Text itself does after wrapping (yielding the lines would wrap each again).
        yield from Text("\n").join(lines).render(console, end=self.text.end)


class _Heading(_TakesPieces, Heading):
    pass


class _TableCell(_TakesPieces, TableDataElement):
    pass


class MathBlock(MarkdownElement):
    """Display math: a 2-D block centred as one rectangle; the inline form, wrapped, when
    the block is wider than the space; the raw TeX, dimmed, when it does not parse."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> MathBlock:
        return cls(token.content.strip(), getattr(markdown, "raw_math", False))

    def __init__(self, tex: str, raw: bool) -> None:
        self.tex = tex
        self.raw = raw

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        math = _style(console, "mlnotes.math")
        if self.raw:
            body = f"\n{self.tex}\n" if "\n" in self.tex else self.tex
            yield Text(f"$${body}$$", style=math)
            return
        try:
            lines = texmath.to_display(self.tex)
        except texmath.TexError:
            yield Text(self.tex, style=_style(console, "mlnotes.math.error"))
            return
        block = cell_len(lines[0]) if lines else 0
        if block > options.max_width:
            yield Text(texmath.to_inline(self.tex), style=math, justify="center")
            return
        indent = Segment(" " * ((options.max_width - block) // 2))
        for line in lines:
            yield indent
            yield Segment(line, math)
            yield Segment.line()


CLIP_MARK = "›"  # the last column of a code line cut at the edge: there is more to the right
_CLIP_STYLE = Style(color="bright_white", bgcolor="grey35", bold=True)


class _Fence(CodeBlock):
    """A fenced block: a figure for ```` ```plot ````; otherwise code, with Python blocks
    tagged ``code`` (``run`` or ``no-run``) in their style meta.

    Code lines are never wrapped: a block is rendered at the width of its longest line. Where
    that is wider than the space given, each line is cut at the edge with a visible mark
    (:data:`CLIP_MARK`), and the whole lines are kept in the document's ``wide_code`` list so
    that :func:`render_lines` can put them back: the reader scrolls sideways over them and
    ``mlnotes show`` prints them whole when piped."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> MarkdownElement:
        words = fence_words(token.info or "")
        if words and words[0] == "plot":
            return FigureBlock(token.content, getattr(markdown, "raw_math", False), markdown.code_theme)
        block = super().create(markdown, token)
        block.kind = None
        if words and words[0] in PYTHON_FENCES:
            block.kind = "no-run" if "no-run" in words else "run"
        block.wide_code = getattr(markdown, "wide_code", None)
        return block

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        syntax = Syntax(str(self.text).rstrip(), self.lexer_name, theme=self.theme, word_wrap=False, padding=1)
        room = options.max_width
        natural = Measurement.get(console, options.update(width=1 << 20), syntax).maximum
        lines = console.render_lines(syntax, options.update(width=max(room, natural)), pad=True, new_lines=False)
        if self.kind is not None:
            tag = Style(meta={"code": [id(self), self.kind]})
            lines = [list(Segment.apply_style(line, post_style=tag)) for line in lines]
        if natural <= room:
            for line in lines:
                yield from line
                yield Segment.line()
            return
        key = None
        if self.wide_code is not None:
            key = len(self.wide_code)
            self.wide_code.append(lines)
        for row, line in enumerate(lines):
            more = cell_len("".join(seg.text for seg in line).rstrip()) > room
            cut = Segment.adjust_line_length(line, room - 1 if more else room)
            mark = [Segment(CLIP_MARK, _CLIP_STYLE)] if more else []
            if key is not None:
                wide = Style(meta={"wide": [key, row]})
                cut = list(Segment.apply_style(cut, post_style=wide))
                mark = list(Segment.apply_style(mark, post_style=wide))
            yield from cut
            yield from mark
            yield Segment.line()


def _wide_at(line: list[Segment]) -> tuple[int, int, int] | None:
    """(index of the first segment, key, row) of a code line cut at the edge, else None."""
    for i, seg in enumerate(line):
        style = seg.style
        if style is not None and style._meta and "wide" in style.meta:
            key, row = style.meta["wide"]
            return i, key, row
    return None


def render_lines(console: Console, renderable: RenderableType, options: ConsoleOptions) -> list[list[Segment]]:
    """``console.render_lines`` (padded, no newlines), except that code lines cut at the edge
    come back whole: what comes before the code on its line (a list's indent) is kept, the
    code follows at its full width. Lines are then of different widths."""
    lines = console.render_lines(renderable, options, pad=True, new_lines=False)
    wide_code = getattr(renderable, "wide_code", None)
    if not wide_code:
        return lines
    out = []
    for line in lines:
        found = _wide_at(line)
        if found is None:
            out.append(line)
        else:
            at, key, row = found
            out.append(line[:at] + wide_code[key][row])
    wide_code.clear()
    return out


def _colour(console: Console) -> bool:
    return console.color_system is not None and not console.no_color and not os.environ.get("NO_COLOR")


class FigureBlock(MarkdownElement):
    """A ```` ```plot ```` block: the chart at the width given, or a one-line notice when the
    spec is broken; the spec itself in the raw view."""

    def __init__(self, source: str, raw: bool, code_theme: str) -> None:
        self.source = source
        self.raw = raw
        self.code_theme = code_theme

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from mlnotes import figures

        if self.raw:
            yield Syntax(self.source.rstrip(), "yaml", theme=self.code_theme, word_wrap=True, padding=1)
            return
        try:
            lines = figures.draw(figures.parse(self.source), options.max_width, color=_colour(console))
        except figures.FigureError as exc:
            yield Text(f"[figure not shown: {exc}]", style=_style(console, "mlnotes.notice"))
            return
        for line in lines:
            text = Text.from_ansi(line, no_wrap=True, overflow="crop")
            text.truncate(options.max_width)
            yield text


NESTING_NOTICE = f"(Text nested more than {_parser().options['maxNesting']} levels deep is not shown.)"


def nesting_cut(tokens: list[Token]) -> int | None:
    """Where the parser stopped at its nesting limit (what was nested deeper is dropped): the
    index just after the top-level block that held it; None when nothing was cut."""
    limit = _parser().options["maxNesting"]
    deep = next((i for i, t in enumerate(tokens) if t.level >= limit - 1), None)
    if deep is None:
        return None
    for i in range(deep, len(tokens)):
        if tokens[i].level == 0 and tokens[i].nesting <= 0:
            return i + 1
    return len(tokens)


def _notice_paragraph(text: str) -> list[Token]:
    children = [Token("em_open", "em", 1), Token("text", "", 0, content=text), Token("em_close", "em", -1)]
    inline = Token("inline", "", 0, content=text, children=children, level=1)
    return [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]


class NoteMarkdown(Markdown):
    """Rich Markdown with math and wikilinks; ``source`` is sanitized first.

    ``raw_math`` shows the TeX source instead of rendered math. ``resolve_link(target)``
    (``slug`` or ``slug#section``) returns a note's title, or None when no note has that
    slug or that section (shown as broken). A link's segments carry ``{"wikilink": target}``.
    """

    elements = {
        **Markdown.elements,
        "paragraph_open": _Paragraph,
        "heading_open": _Heading,
        "td_open": _TableCell,
        "th_open": _TableCell,
        "math_block": MathBlock,
        "math_block_label": MathBlock,
        "fence": _Fence,
        "code_block": _Fence,
    }

    def __init__(
        self,
        source: str,
        *,
        raw_math: bool = False,
        code_theme: str = "monokai",
        resolve_link: Callable[[str], str | None] | None = None,
        **rich_kwargs: Any,
    ) -> None:
        super().__init__("", code_theme=code_theme, **rich_kwargs)
        self.markup = clean(source)
        self.parsed = _parser().parse(self.markup)
        cut = nesting_cut(self.parsed)
        if cut is not None:  # say where Markdown's nesting limit dropped text, and go on
            self.parsed[cut:cut] = _notice_paragraph(NESTING_NOTICE)
        self.raw_math = raw_math
        self.resolve_link = resolve_link
        self.wide_code: list[list[list[Segment]]] = []  # whole lines of code blocks cut at the edge

    def _flatten_tokens(self, tokens: Iterable[Token]) -> Iterable[Token]:
        for token in super()._flatten_tokens(tokens):
            if token.type in _INLINE_MATH:
                yield self._text_token(self._inline_math(token))
            elif token.type == "wikilink":
                yield self._text_token(self._link(token))
            else:
                yield token

    @staticmethod
    def _text_token(piece: _Piece) -> Token:
        return Token("text", "", 0, content=piece)

    def _inline_math(self, token: Token) -> _Piece:
        tex = token.content
        if self.raw_math:
            return _Piece(f"{token.markup}{tex}{token.markup}", "mlnotes.math")
        try:
            return _Piece(texmath.to_inline(tex), "mlnotes.math")
        except texmath.TexError:
            return _Piece(" ".join(tex.split()), "mlnotes.math.error")

    def _link(self, token: Token) -> _Piece:
        slug, target = token.meta["slug"], token.meta["target"]
        title = self.resolve_link(target) if self.resolve_link is not None else None
        broken = self.resolve_link is not None and title is None
        shown = token.content or title or slug
        style = "mlnotes.link.broken" if broken else "mlnotes.link"
        return _Piece(shown, style, {"wikilink": target})
