"""Snippets for search hits: the best-matching section and a short window of its text.

Whoosh's own highlighter re-analyses whole documents (about 46 ms for ten long notes here);
this works on the stored plain text with a few regular expressions, for the hits shown only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from whoosh.lang.porter import stem

_WORD = re.compile(r"[^\W_][\w'*?-]*\*?")
_OPERATORS = {"and", "or", "not", "andnot", "andmaybe"}
WINDOW = 220  # characters of context in a snippet


class Term(NamedTuple):
    """A query word as the text shows it: a lowercase root and the regex for its forms."""

    root: str
    regex: re.Pattern[str]


def query_terms(text: str) -> list[Term]:
    """One term per distinct query word, matching the forms the stemmer folds together."""
    text = re.sub(r"\b\w+:", " ", text)  # field names are not words to find
    seen: dict[str, Term] = {}
    for raw in _WORD.findall(text):
        if raw.lower() in _OPERATORS or raw in ("AND", "OR", "NOT"):
            continue
        word = raw.lower()
        if word.endswith("*"):
            root = word.rstrip("*?")
        else:
            word = word.strip("'-")
            root = stem(word)
            common = 0
            while common < min(len(root), len(word)) and root[common] == word[common]:
                common += 1
            root = word[:common] if common >= 3 else word
        if len(root) < 2 or root in seen:
            continue
        seen[root] = Term(root, re.compile(r"(?<!\w)" + re.escape(root) + r"\w*", re.IGNORECASE))
    return list(seen.values())


def find_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """All the terms as one regex (for highlighting them in a note), or None."""
    if not terms:
        return None
    return re.compile("|".join(f"({t.regex.pattern})" for t in terms), re.IGNORECASE)


def _spans(text: str, combined: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """(start, end, which term) of every match; the group that matched names the term."""
    return [(m.start(), m.end(), m.lastindex - 1) for m in combined.finditer(text)]


def make_snippet(sections: list, terms: list[Term]) -> tuple[str, str, list[tuple[int, int]]]:
    """Return (heading, snippet, spans of matched terms in the snippet).

    Sections are ranked by plain substring tests (fast, in C); only the chosen section is
    scanned with the regular expression for exact word matches.
    """
    best = None
    for heading, text in sections:
        low, head = text.lower(), heading.lower()
        in_heading = {k for k, t in enumerate(terms) if t.root in head}
        in_text = {k for k, t in enumerate(terms) if t.root in low}
        count = sum(low.count(terms[k].root) for k in in_text)
        score = (len(in_text | in_heading), len(in_heading), min(count, 30))
        if best is None or score > best[0]:
            best = (score, heading, text)
    if best is None:
        return "", "", []
    _, heading, text = best
    flat = " ".join(text.split())
    combined = find_pattern(terms)
    found = _spans(flat, combined) if combined is not None else []
    if not found:
        return heading, _cut(flat, 0, WINDOW), []
    # The window that holds the most distinct terms, earliest first.
    start_at, best_count = found[0][0], -1
    for s, _, _ in found:
        kinds = {k for (t, _, k) in found if s <= t < s + WINDOW - 40}
        if len(kinds) > best_count:
            start_at, best_count = s, len(kinds)
    lo = max(0, start_at - 50)
    if lo:  # start at a word boundary: the space before, or the very start when it is near
        space = flat.rfind(" ", 0, lo + 1)
        if space < 0:
            lo = 0 if lo < 20 else lo
        elif lo - space < 20:
            lo = space + 1
    hi = min(len(flat), lo + WINDOW)
    if hi < len(flat):
        space = flat.rfind(" ", lo, hi)
        hi = space if space > lo + WINDOW // 2 else hi
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(flat) else ""
    snippet = prefix + flat[lo:hi] + suffix
    shift = len(prefix) - lo
    spans = [(s + shift, e + shift) for s, e, _ in found if s >= lo and e <= hi]
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return heading, snippet, merged


def _cut(text: str, lo: int, width: int) -> str:
    if len(text) <= width:
        return text
    hi = text.rfind(" ", lo, lo + width)
    return text[lo : hi if hi > lo else lo + width] + "…"
