"""Did-you-mean corrections for search words, from the index's own vocabulary.

Whoosh's corrector walks the term list and computes an edit distance in Python for every
word that shares the first letter: about 100 ms per unknown word on the shipped notes, most
of a typo's search time. Here the vocabulary (the unstemmed "spell" words) is read once per
index version and kept in memory and in a small file beside the index, and the distances come
from RapidFuzz (C++), a few milliseconds for the whole vocabulary.

The nearest word wins (Damerau-Levenshtein distance at most 2, same first letter); among
words equally near, the one found in the most notes.
"""

from __future__ import annotations

from pathlib import Path

from mlnotes.paths import atomic_write

MAX_DISTANCE = 2
FIELD = "spell"


class Speller:
    """Corrections for one version of an index. ``cache`` is the file that keeps the
    vocabulary between runs (named after the version, so a new version never reads an old
    list); a cache that cannot be read or written is only slower."""

    def __init__(self, reader, cache: Path | None = None):
        self._reader = reader
        self._cache = cache
        self._by_initial: dict[str, list[str]] | None = None

    def _vocabulary(self) -> dict[str, list[str]]:
        if self._by_initial is None:
            words = self._cached_words()
            if words is None:
                words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in self._reader.lexicon(FIELD)]
                self._save(words)
            groups: dict[str, list[str]] = {}
            for word in words:
                if word:
                    groups.setdefault(word[0], []).append(word)
            self._by_initial = groups
        return self._by_initial

    def _cached_words(self) -> list[str] | None:
        if self._cache is None:
            return None
        try:
            return self._cache.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return None

    def _save(self, words: list[str]) -> None:
        if self._cache is None:
            return
        try:
            for old in self._cache.parent.glob("spell-*.txt"):
                if old != self._cache:
                    old.unlink(missing_ok=True)
            atomic_write(self._cache, "\n".join(words))
        except OSError:
            pass  # a read-only cache: compute the list again next run

    def known(self, word: str) -> bool:
        return (FIELD, word) in self._reader

    def suggest(self, word: str) -> str | None:
        """The nearest known word to ``word`` (lowercase), or None when none is near."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        candidates = self._vocabulary().get(word[:1], [])
        near = process.extract(
            word, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=MAX_DISTANCE, limit=None
        )
        best = None
        for choice, distance, _ in near:
            if choice == word:
                continue
            key = (distance, -self._reader.doc_frequency(FIELD, choice), choice)
            if best is None or key < best:
                best = key
        return best[2] if best else None
