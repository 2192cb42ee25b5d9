"""Snippets for search hits: the best-matching section and a short window of its text.

Whoosh's own highlighter re-analyses whole documents (about 46 ms for ten long notes here);
this works on the stored plain text (the note's characters as the reader shows them, see
:mod:`mlnotes.plaintext`) with a few regular expressions, for the hits shown only.

Which section: one holding a quoted phrase of the query first; then the one whose prose and
heading hold the most query words; a section of code examples (``§ In code``) or a match in
code only when nothing else matches. Only query words are highlighted (never stop words such
as "the" or "is"), and a snippet starts and ends between words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import mlnotes.whoosh_import  # noqa: F401  (before any whoosh import)
from whoosh.analysis import STOP_WORDS

from mlnotes.outline import CODE
from mlnotes.stemming import stem

_WORD = re.compile(r"[^\W_][\w'*?-]*\*?")
_PHRASE = re.compile(r'"([^"]+)"')
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
        if len(root) < 2 or root in seen or word in STOP_WORDS:
            continue
        seen[root] = Term(root, re.compile(r"(?<!\w)" + re.escape(root) + r"\w*", re.IGNORECASE))
    return list(seen.values())


def query_phrases(text: str) -> list[re.Pattern[str]]:
    """A regex for each quoted phrase of the query: its words in order, any forms of them,
    with anything but letters between (the index matches phrases that way too)."""
    phrases = []
    for quoted in _PHRASE.findall(text):
        words = [w.lower().strip("'-*?") for w in _WORD.findall(quoted)]
        words = [w for w in words if w]
        if len(words) < 2:
            continue
        parts = []
        for word in words:
            root = stem(word)
            common = 0
            while common < min(len(root), len(word)) and root[common] == word[common]:
                common += 1
            parts.append(re.escape(word[:common] if common >= 3 else word) + r"\w*")
        phrases.append(re.compile(r"(?<!\w)" + r"\W+".join(parts), re.IGNORECASE))
    return phrases


def find_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """All the terms as one regex (for highlighting them in a note), or None."""
    if not terms:
        return None
    return re.compile("|".join(f"({t.regex.pattern})" for t in terms), re.IGNORECASE)


def _spans(text: str, combined: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """(start, end, which term) of every match; the group that matched names the term."""
    return [(m.start(), m.end(), m.lastindex - 1) for m in combined.finditer(text)]


def make_snippet(sections: list, terms: list[Term], phrases: list | None = None) -> tuple[str, str, str, list[tuple[int, int]]]:
    """Return (heading, anchor, snippet, spans of matched words in the snippet).

    ``sections`` are stored ``[heading, anchor, kind, prose, code]`` lists. Sections are
    ranked by plain substring tests (fast, in C); only the chosen one is scanned with the
    regular expressions for exact word matches.
    """
    phrases = phrases or []
    best = None
    for heading, anchor, kind, text, code in sections:
        low, head, code_low = text.lower(), heading.lower(), code.lower()
        in_heading = {k for k, t in enumerate(terms) if t.root in head}
        in_text = {k for k, t in enumerate(terms) if t.root in low}
        in_code = {k for k, t in enumerate(terms) if t.root in code_low}
        count = sum(low.count(terms[k].root) for k in in_text)
        phrase_text = bool(phrases) and any(p.search(text) or p.search(heading) for p in phrases)
        phrase_code = bool(phrases) and not phrase_text and any(p.search(code) for p in phrases)
        explains = kind != CODE
        matched = len(in_text | in_heading)
        score = (
            phrase_text,
            phrase_code,
            matched,
            explains and matched > 0,
            len(in_heading),
            min(count, 30),
            len(in_code),
            explains,
        )
        if best is None or score > best[0]:
            best = (score, heading, anchor, text, code)
    if best is None:
        return "", "", "", []
    score, heading, anchor, text, code = best
    in_prose = score[0] or (not score[1] and score[2])
    flat = " ".join((text if in_prose or not code else code).split())
    found: list[tuple[int, int, int]] = []
    for n, phrase in enumerate(phrases):
        found.extend((m.start(), m.end(), -1 - n) for m in phrase.finditer(flat))
    first_phrase = min((s for s, _, _ in found), default=None)
    combined = find_pattern(terms)
    words = _spans(flat, combined) if combined is not None else []
    found.extend(w for w in words if not any(s <= w[0] < e for s, e, _ in found))
    found.sort()
    if not found:
        return heading, anchor, _cut(flat, 0, WINDOW), []
    if first_phrase is not None:
        start_at = first_phrase
    else:  # the window that holds the most distinct terms, earliest first
        start_at, best_count = found[0][0], -1
        for s, _, _ in found:
            kinds = {k for (t, _, k) in found if s <= t < s + WINDOW - 40}
            if len(kinds) > best_count:
                start_at, best_count = s, len(kinds)
    lo, hi = _window(flat, max(0, start_at - 50))
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
    return heading, anchor, snippet, merged


def _window(flat: str, lo: int) -> tuple[int, int]:
    """About :data:`WINDOW` characters from near ``lo``, starting and ending between words."""
    if lo:
        space = flat.rfind(" ", 0, lo + 1)
        if space < 0:
            lo = 0
        elif lo - space < 40:
            lo = space + 1
        else:  # a very long word: start after it instead
            after = flat.find(" ", lo)
            lo = after + 1 if after >= 0 else space + 1
    hi = lo + WINDOW
    if hi >= len(flat):
        return lo, len(flat)
    space = flat.rfind(" ", lo, hi + 1)
    if space > lo + WINDOW // 2:
        return lo, space
    after = flat.find(" ", hi)
    return lo, (after if after >= 0 else len(flat))


def _cut(text: str, lo: int, width: int) -> str:
    lo, hi = _window(text, lo)
    return text[lo:hi] + ("…" if hi < len(text) else "")
