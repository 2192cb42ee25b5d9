"""The outline of a note body, read once: sections, links, formulas and code blocks.

Plain data, no UI. Everything that needs a note's structure reads it from here: the library
(links, words, title, section anchors), the search index and its snippets, the CLI, the
renderer and the reader's contents list. It is a fast line-based pass (an index build runs it
over every note), following the rules the renderer's Markdown parser follows for what
matters to structure:

- fenced code (````` ``` ````` or ``~~~``, closed by a fence of the same kind at least as long)
  holds no headings, links or math;
- ``$$`` on a line opens display math, closed by a line ending in ``$$`` or by a blank line;
  right after a line of text it cannot interrupt the paragraph, so it is math in that
  paragraph's flow (``display`` false), as the renderer draws it;
- ATX headings ``#`` to ``######``; the text before the first heading is a section without a
  title (level 0);
- HTML comments (``<!-- ... -->``, on one line or many) are part of no section's text;
- one link grammar: ``[[slug]]``, ``[[slug|text]]``, ``[[slug#section]]``,
  ``[[slug#section|text]]``, with ``\\|`` for the bar inside a table cell.

A heading's *title* is what the reader shows: inline code without its backticks, math in its
one-line Unicode form, emphasis removed. Its *anchor* is that title in lowercase words joined
by ``-`` (made unique within the note); ``[[slug#section]]`` may name a section by either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

PROSE, CODE, SELF_CHECK, REFERENCES = "prose", "code", "self-check", "references"

# Kinds of line.
TEXT, HEADING, FENCE, CODE_LINE, MATH, BLANK = "text", "heading", "fence", "code", "math", "blank"

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
WIKILINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
INLINE_MATH = re.compile(r"(?<![\\$\d])\$(?![\s$])((?:\\\$|[^$\n])*?[^\s\\])\$(?![$\d])")
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<codetext>.+?)(?<!`)(?P=ticks)(?!`))"
    r"|(?P<math>(?<![\\$\d])\$(?![\s$])(?P<tex>(?:\\\$|[^$\n])*?[^\s\\])\$(?![$\d]))"
    r"|(?P<wiki>\[\[(?P<inner>[^\[\]\n]+?)\]\])"
    r"|(?P<link>!?\[(?P<ltext>[^\]\n]*)\]\([^)\n]*\))"
)
_EMPHASIS = re.compile(r"\*\*|__|~~|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_UNDERSCORE_EMPH = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BLOCK_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_BAR = re.compile(r"(?<!\\)\|")
_CELL = "\x00"  # stands for a cell border while a table row is made plain

KIND_TITLES = {
    CODE: ("in code",),
    SELF_CHECK: ("self-check", "self check", "check yourself", "exercises"),
    REFERENCES: ("references", "further reading", "sources", "bibliography"),
}


@dataclass(frozen=True)
class WikiLink:
    """``[[target#section|text]]`` at 0-based body ``line``; section and text may be None."""

    target: str
    section: str | None
    text: str | None
    line: int


@dataclass(frozen=True)
class Formula:
    tex: str
    line: int  # 0-based body line where it starts
    display: bool


PYTHON_FENCES = ("python", "py", "python3")  # info strings of the blocks that notes run


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: its info string (``python``, ``plot``...), content (each line
    ending in a newline, as CommonMark gives it) and lines."""

    info: str
    content: str
    line: int  # 0-based body line of the opening fence
    end: int  # 0-based body line after the closing fence (or the end of the body)

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.strip() else ""


@dataclass(frozen=True)
class Section:
    """A heading and what follows it up to the next heading (of any level)."""

    title: str  # plain, as the reader shows it; "" for the text before the first heading
    level: int  # 1-6; 0 for the text before the first heading
    anchor: str  # unique within the note; "" for the text before the first heading
    start: int  # 0-based body line of the heading (or 0)
    end: int  # 0-based body line after the section
    kind: str  # PROSE, CODE, SELF_CHECK or REFERENCES
    source: str = ""  # the heading's text as written


@dataclass
class Outline:
    lines: list[str]  # the body's lines, HTML comments removed
    kinds: list[str]  # the kind of each line (TEXT, HEADING, FENCE, CODE_LINE, MATH, BLANK)
    sections: list[Section] = field(default_factory=list)
    links: list[WikiLink] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body without its HTML comments (the same number of lines)."""
        return "\n".join(self.lines)

    def source(self, section: Section) -> str:
        return "\n".join(self.lines[section.start : section.end])

    @property
    def title(self) -> str | None:
        """The first ``# heading``'s title, if any."""
        return next((s.title for s in self.sections if s.level == 1), None)

    def section(self, name: str) -> Section | None:
        """The section ``name`` refers to (its anchor, title or heading as written), or None."""
        key = anchor_of(name)
        if not key:
            return None
        for s in self.sections:
            if s.level and key in (s.anchor, anchor_of(s.title), anchor_of(s.source)):
                return s
        return None

    @property
    def anchors(self) -> list[str]:
        """Every name a ``[[slug#section]]`` may use for a section of this note."""
        names: list[str] = []
        for s in self.sections:
            if s.level:
                for key in (s.anchor, anchor_of(s.title), anchor_of(s.source)):
                    if key and key not in names:
                        names.append(key)
        return names

    def words(self) -> int:
        """Words of prose, headings and math source (code and comments excluded)."""
        return sum(len(_WORD.findall(line)) for line, kind in zip(self.lines, self.kinds) if kind in (TEXT, HEADING, MATH))


_WORD = re.compile(r"[^\W\d_][\w'\-]*")


def anchor_of(title: str) -> str:
    """``The `fit` method with θ`` → ``the-fit-method-with-θ``."""
    words = re.findall(r"[^\W_]+(?:['’_][^\W_]+)*", title.lower())
    return "-".join(w.replace("'", "").replace("’", "") for w in words)


def parse_wikilink(inner: str) -> tuple[str, str | None, str | None] | None:
    """(target, section, text) of the inside of ``[[...]]``, or None when it names no note."""
    target, bar, text = inner.replace("\\|", "|").partition("|")
    target, hash_, section = target.partition("#")
    target = target.strip()
    if not target:
        return None
    section = section.strip() if hash_ and section.strip() else None
    return target, section, (text.strip() or None) if bar else None


def link_target(target: str, section: str | None) -> str:
    """The one string a rendered link carries: ``slug`` or ``slug#section``."""
    return f"{target}#{section}" if section else target


def split_target(target: str) -> tuple[str, str | None]:
    slug, _, section = target.partition("#")
    return slug, section or None


def _kind(title: str) -> str | None:
    low = title.lower().strip(" :.")
    for kind, starts in KIND_TITLES.items():
        if any(low.startswith(s) for s in starts):
            return kind
    return None


def _math_text(tex: str) -> str:
    from mlnotes.texmath import inline

    return inline(tex)


LinkText = Callable[[str, "str | None", "str | None"], str]


def _default_link_text(target: str, section: str | None, text: str | None) -> str:
    return text or target


def plain_inline(text: str, link_text: LinkText | None = None, table_row: bool = False) -> str:
    """One line of Markdown as the reader shows its characters: code spans without backticks,
    math in one-line Unicode, links as their text, emphasis and escapes removed. In a table
    row the cells are joined by `` · ``."""
    link_text = link_text or _default_link_text
    out: list[str] = []

    def plain(segment: str) -> str:
        if "_" in segment:
            segment = _UNDERSCORE_EMPH.sub(r"\1", segment)
        if "*" in segment or "_" in segment or "~" in segment:
            segment = _EMPHASIS.sub("", segment)
        if table_row and "|" in segment:
            segment = _BAR.sub(_CELL, segment)
        return _ESCAPE.sub(r"\1", segment) if "\\" in segment else segment

    last = 0
    for m in _INLINE.finditer(text) if ("`" in text or "$" in text or "[" in text) else ():
        out.append(plain(text[last : m.start()]))
        last = m.end()
        if m.group("code") is not None:
            code = m.group("codetext")
            out.append(code[1:-1] if len(code) > 2 and code[0] == code[-1] == " " else code)
        elif m.group("math") is not None:
            out.append(_math_text(m.group("tex")))
        elif m.group("wiki") is not None:
            parsed = parse_wikilink(m.group("inner"))
            out.append(link_text(*parsed) if parsed else m.group(0))
        else:
            out.append(plain(m.group("ltext")))
    out.append(plain(text[last:]))
    line = "".join(out)
    if table_row:
        line = line.strip().strip(_CELL).strip()
        line = re.sub(r"\s*\x00\s*", " · ", line)
    return line


def plain_line(line: str, link_text: LinkText | None = None) -> str:
    """A line of prose made plain: its block markers (quote, list) and table rule removed."""
    if "|" in line and _TABLE_RULE.match(line):
        return ""
    body = _BLOCK_PREFIX.sub("", line, count=1)
    return plain_inline(body, link_text, table_row=body.lstrip().startswith("|")).strip()


def _fence_closes(line: str, fence: str) -> bool:
    m = _FENCE.match(line)
    return bool(m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) and not m.group(3).strip())


def outline(body: str) -> Outline:
    """Read ``body`` (a note's Markdown, frontmatter removed) once."""
    raw = body.split("\n")
    lines: list[str] = []
    kinds: list[str] = []
    out = Outline(lines, kinds)
    fence = ""
    fence_at, fence_info, code, indent = 0, "", [], 0
    display: list[str] | None = None
    display_at = 0
    display_block = True  # False: the $$ continues a paragraph and flows with its text
    in_comment = False
    headings: list[tuple[int, int, str]] = []  # (line, level, heading as written)

    def end_display() -> None:
        nonlocal display
        out.formulas.append(Formula("\n".join(display).strip(), display_at, display_block))
        display = None

    for i, line in enumerate(raw):
        if fence:
            lines.append(line)
            if _fence_closes(line, fence):
                kinds.append(FENCE)
                out.code_blocks.append(CodeBlock(fence_info, _code(code), fence_at, i + 1))
                fence = ""
            else:
                kinds.append(CODE_LINE)
                code.append(_unindent(line, indent))
            continue
        # HTML comments: cut out, keeping the line count.
        if in_comment:
            end = line.find("-->")
            if end < 0:
                lines.append("")
                kinds.append(BLANK)
                continue
            line = line[end + 3 :]
            in_comment = False
        if "<!--" in line and not _in_code_span(line, line.find("<!--")):
            line = _COMMENT.sub("", line)
            start = line.find("<!--")
            if start >= 0:
                line, in_comment = line[:start], True
            if not line.strip():
                lines.append("")
                kinds.append(BLANK)
                continue
        stripped = line.strip()
        if display is not None:
            lines.append(line)
            if not stripped:
                kinds.append(BLANK)
                end_display()
                continue
            kinds.append(MATH)
            if stripped.endswith("$$"):
                display.append(stripped[:-2])
                end_display()
            else:
                display.append(line)
            continue
        m = _FENCE.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence, fence_at, fence_info, code = m.group(2), i, m.group(3).strip(), []
            indent = len(m.group(1))
            lines.append(line)
            kinds.append(FENCE)
            continue
        lines.append(line)
        if not stripped:
            kinds.append(BLANK)
            continue
        if stripped.startswith("$$"):
            in_paragraph = bool(kinds) and kinds[-1] == TEXT
            kinds.append(MATH)
            rest = stripped[2:]
            if rest.endswith("$$") and len(rest) >= 2:
                out.formulas.append(Formula(rest[:-2].strip(), i, not in_paragraph))
            else:
                display, display_at, display_block = [rest], i, not in_paragraph
            continue
        h = _HEADING.match(line)
        if h and h.group(2).strip():
            kinds.append(HEADING)
            headings.append((i, len(h.group(1)), h.group(2).strip()))
        else:
            kinds.append(TEXT)
        if "$" in line:
            for f in INLINE_MATH.finditer(line):
                if not _in_code_span(line, f.start()):
                    out.formulas.append(Formula(f.group(1), i, False))
        if "[[" in line:
            for w in WIKILINK.finditer(line):
                parsed = parse_wikilink(w.group(1))
                if parsed:
                    out.links.append(WikiLink(*parsed, i))
    if fence:
        out.code_blocks.append(CodeBlock(fence_info, _code(code), fence_at, len(raw)))
    if display is not None:
        end_display()
    out.sections = _sections(headings, len(raw))
    return out


_CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)")


def _in_code_span(line: str, at: int) -> bool:
    return "`" in line and any(c.start() <= at < c.end() for c in _CODE_SPAN.finditer(line))


def _unindent(line: str, indent: int) -> str:
    """A code line without the fence's own indentation (as CommonMark reads it)."""
    k = 0
    while k < indent and k < len(line) and line[k] == " ":
        k += 1
    return line[k:]


def _code(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _sections(headings: list[tuple[int, int, str]], count: int) -> list[Section]:
    sections: list[Section] = []
    first = headings[0][0] if headings else count
    if first > 0:
        sections.append(Section("", 0, "", 0, first, PROSE))
    used: set[str] = set()
    inherited: list[tuple[int, str]] = []  # (level, kind) of the headings that give a kind
    for n, (line, level, source) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else count
        title = plain_inline(source)
        while inherited and inherited[-1][0] >= level:
            inherited.pop()
        kind = _kind(title)
        if kind is not None:
            inherited.append((level, kind))
        else:
            kind = inherited[-1][1] if inherited else PROSE
        anchor = base = anchor_of(title) or "section"
        k = 2
        while anchor in used:
            anchor, k = f"{base}-{k}", k + 1
        used.add(anchor)
        sections.append(Section(title, level, anchor, line, end, kind, source))
    return sections
