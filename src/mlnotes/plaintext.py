"""A note as plain text, by section: what the search index reads and snippets quote.

It reads the note's outline (:mod:`mlnotes.outline`) and gives each section's characters as
the reader shows them: math as its one-line Unicode rendering (so ``∇θ`` in a snippet reads
as it does in the note), links as the linked note's title (or their own text), code spans
without backticks. A section's code blocks are kept apart from its prose: their identifiers
are worth finding, but a hit in prose explains more. The names of TeX macros become words
(so a learner's "x transpose A x" finds ``x^\\top A x``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlnotes.outline import CODE_LINE, MATH, TEXT, LinkText, Outline, outline, plain_line

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
    text: str  # the prose, one line per source line
    anchor: str = ""
    kind: str = "prose"
    code: str = ""  # the section's code blocks


@dataclass
class PlainNote:
    sections: list[Section] = field(default_factory=list)
    math_words: str = ""

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections if s.heading]

    @property
    def text(self) -> str:
        parts = []
        for s in self.sections:
            parts.extend(p for p in (s.heading, s.text, s.code) if p)
        return "\n".join(parts)


def _inline_math(tex: str) -> str:
    from mlnotes.texmath import inline

    return inline(" ".join(tex.split()))


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


def extract(source: str | Outline, link_text: LinkText | None = None) -> PlainNote:
    """A note body (or its outline) as plain-text sections. ``link_text(target, section,
    text)`` gives the words a link shows (by default its own text, else its target)."""
    o = outline(source) if isinstance(source, str) else source
    display = {f.line: f.tex for f in o.formulas if f.display}
    note = PlainNote(math_words=" ".join(w for f in o.formulas for w in math_tokens(f.tex)))
    for sec in o.sections:
        prose: list[str] = []
        code: list[str] = []
        for i in range(sec.start, sec.end):
            kind = o.kinds[i]
            if kind == TEXT:
                text = plain_line(o.lines[i], link_text)
                if text:
                    prose.append(text)
            elif kind == CODE_LINE:
                if o.lines[i].strip():
                    code.append(o.lines[i])
            elif kind == MATH and i in display:
                prose.append(_inline_math(display[i]))
        text, code_text = "\n".join(prose), "\n".join(code)
        if sec.title or text or code_text:
            note.sections.append(Section(sec.title, sec.level, sec.start, text, sec.anchor, sec.kind, code_text))
    return note
