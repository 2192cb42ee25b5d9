"""The stemmer every search word goes through: Porter's, with one inconsistency fixed.

Porter strips "-able" after "-ize" but not "-ize" itself, so "diagonalizable" and
"diagonalized" stem to "diagonaliz" while "diagonalize" and "diagonalization" stem to
"diagon": a search for "diagonalizable" missed the note titled "... & Diagonalization".
A stem left ending in "iz" is stemmed once more as the "-ize" verb it came from, which joins
the families: normalizable/normalization, regularizable/regularization, optimizable/optimize.
The index and the snippets' highlighting both use this function, so they always agree.
"""

from __future__ import annotations

from functools import lru_cache

import mlnotes.whoosh_import  # noqa: F401  (before any whoosh import)
from whoosh.lang.porter import stem as porter


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    root = porter(word)
    if root.endswith("iz") and len(root) > 4:
        root = porter(root + "e")
    return root
