"""A note body as plain text, by section: what the search index reads and snippets quote.

This is a fast line-based pass, not a full Markdown parse: it runs over every note when an
index is built (10,000 notes must build in well under a minute), and it only has to recover
the words a reader sees. Math becomes its one-line Unicode rendering (so ``∇θ`` in a snippet
reads as it does in the note) and the names of its TeX macros become words (so a learner's
"x transpose A x" finds ``x^\\top A x``). Code blocks are kept: their identifiers are worth
finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlnotes.library import WIKILINK, prose_lines

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_INLINE_MATH = re.compile(r"(?<![\\$\d])\$(?![\s$])((?:\\\$|[^$\n])*?[^\s\\])\$(?![$\d])")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`+|~~)")
_UNDERSCORE_EMPH = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_BLOCK_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MACRO = re.compile(r"\\([A-Za-z]+)")

# TeX macro names a learner types as words; layout-only macros are left out.
MACRO_WORDS = {
    "top": "transpose", "intercal": "transpose", "nabla": "gradient nabla", "partial": "partial derivative",
    "sum": "sum", "prod": "product", "int": "integral", "iint": "integral", "oint": "integral",
    "sqrt": "square root", "det": "determinant", "tr": "trace", "operatorname": "",
    "log": "log", "ln": "log", "exp": "exp", "lim": "limit", "max": "max", "min": "min",
    "sup": "sup", "inf": "inf", "argmax": "argmax", "argmin": "argmin", "arg": "arg",
    "infty": "infinity", "otimes": "kronecker tensor product", "odot": "hadamard elementwise product",
    "cdot": "dot", "times": "times", "sim": "distributed", "propto": "proportional",
    "approx": "approximately", "le": "", "ge": "", "leq": "", "geq": "", "ne": "", "neq": "",
    "in": "", "mid": "given", "perp": "orthogonal perpendicular", "langle": "inner product", "rangle": "",
    "lVert": "norm", "rVert": "", "Vert": "norm", "binom": "binomial choose", "frac": "", "mathbb": "",
    "mathcal": "", "mathbf": "", "boldsymbol": "", "mathrm": "", "text": "", "left": "", "right": "",
    "begin": "", "end": "", "quad": "", "qquad": "", "hat": "hat estimate", "bar": "bar mean",
    "tilde": "tilde", "vec": "vector", "dot": "dot", "forall": "for all", "exists": "exists",
    "to": "", "mapsto": "maps", "Rightarrow": "implies", "iff": "iff", "cup": "union", "cap": "intersection",
    "subseteq": "subset", "subset": "subset", "emptyset": "empty set", "dagger": "pseudoinverse dagger",
}


@dataclass
class Section:
    heading: str  # "" for the text before the first heading
    level: int
    line: int  # 0-based line in the body where the section starts
    text: str


@dataclass
class PlainNote:
    sections: list[Section] = field(default_factory=list)
    math_words: str = ""

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections if s.heading]

    @property
    def text(self) -> str:
        return "\n".join(f"{s.heading}\n{s.text}" if s.heading else s.text for s in self.sections)


def _inline_math(tex: str) -> str:
    from mlnotes.texmath import inline

    return inline(tex)


_MATH_TOKEN = re.compile(
    r"\\(?:text|mathrm|operatorname\*?|mathbf|boldsymbol|mathcal|mathbb)\s*\{([^{}]*)\}"  # a named thing
    r"|\^\s*\{?\s*(?:T|\\top|\\intercal)\s*\}?(?![A-Za-z])"  # transpose
    r"|\^\s*\{?\s*-\s*1\s*\}?"  # inverse
    r"|\\([A-Za-z]+)"  # a macro
    r"|([A-Za-z]+)"  # letters: variables, or words in a typed query
)


def math_tokens(tex: str) -> list[str]:
    """A formula as a sequence of words, in order: variables, symbol names and operations.

    ``(X^\\top X)^{-1} X^\\top y`` becomes ``x transpose x inverse x transpose y``. The same
    function reads a learner's query ("(X^T X)^-1 X^T y", "x transpose A x"), so a phrase of
    these tokens finds the formula whichever way it was typed.
    """
    out: list[str] = []
    for m in _MATH_TOKEN.finditer(tex):
        named, macro, letters = m.group(1), m.group(2), m.group(3)
        whole = m.group(0)
        if named is not None:
            if whole.startswith("\\mathbb") and named.strip() == "E":
                out.append("expectation")
            else:
                out.extend(w.lower() for w in re.findall(r"[A-Za-z]+", named))
        elif macro is not None:
            word = MACRO_WORDS.get(macro)
            if word is None:
                out.append(macro.lower())  # Greek letters and other named symbols
            elif word:
                out.extend(word.split())
        elif letters is not None:
            # In TeX, adjacent letters are separate variables (xy is x times y); a typed word
            # ("sigma", "transpose") stays a word.
            low = letters.lower()
            out.extend(list(low) if len(low) <= 3 and low not in MATH_NAMES else [low])
        elif "1" in whole:
            out.append("inverse")
        else:
            out.append("transpose")
    return out


# Short words that are names, not products of single-letter variables.
MATH_NAMES = {"log", "exp", "det", "tr", "max", "min", "sup", "inf", "lim", "sin", "cos", "tan", "arg", "var", "cov", "kl"}


def inline_markup(line: str, math_words: list[str]) -> str:
    """One line of prose with its Markdown markup removed and its math rendered."""

    def math(m: re.Match[str]) -> str:
        tex = m.group(1)
        math_words.extend(math_tokens(tex))
        return _inline_math(tex)

    if "$" in line:
        line = _INLINE_MATH.sub(math, line)
        line = line.replace("\\$", "$")
    if "[[" in line:
        line = WIKILINK.sub(lambda m: (m.group(3) or m.group(1).replace("-", " ")).strip(), line)
    if "](" in line:
        line = _LINK.sub(r"\1", line)
    line = _BLOCK_PREFIX.sub("", line, count=1)
    if "|" in line:
        if _TABLE_RULE.match(line):
            return ""
        line = line.strip().strip("|").replace("|", " · ")
    line = _UNDERSCORE_EMPH.sub(r"\1", line)
    return _EMPHASIS.sub("", line)


def extract(body: str) -> PlainNote:
    """Split a note body into plain-text sections."""
    note = PlainNote()
    math_words: list[str] = []
    heading, level, start, buf = "", 0, 0, []
    display: list[str] | None = None

    def flush() -> None:
        text = "\n".join(l for l in buf if l.strip())
        if heading or text:
            note.sections.append(Section(heading, level, start, text))

    for i, line, in_code in prose_lines(body):
        if in_code:
            stripped = line.strip()
            if not (stripped.startswith("```") or stripped.startswith("~~~")):
                buf.append(line)
            continue
        stripped = line.strip()
        if display is not None:
            if stripped.endswith("$$"):
                display.append(stripped[:-2])
                tex = " ".join(display)
                math_words.extend(math_tokens(tex))
                buf.append(_inline_math(tex))
                display = None
            else:
                display.append(stripped)
            continue
        if stripped.startswith("$$"):
            rest = stripped[2:]
            if rest.endswith("$$") and len(rest) >= 2:
                tex = rest[:-2]
                math_words.extend(math_tokens(tex))
                buf.append(_inline_math(tex))
            else:
                display = [rest]
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            heading = inline_markup(m.group(2), math_words).strip()
            level, start, buf = len(m.group(1)), i, []
            continue
        buf.append(inline_markup(line, math_words))
    flush()
    note.math_words = " ".join(math_words)
    return note
