"""A phrase query that checks word positions directly.

Whoosh answers a phrase through its span machinery, which builds span objects for every note
that has all the words; with exact counts every such note is visited, and at 10,000 notes
that was most of a phrase search. This matcher walks the notes that have every word (the
postings intersected, as for AND) and keeps those where the words stand next to each other,
comparing position lists as sets. The score is the words' own scores added, as for AND.
Only exact phrases (slop 1) take this path; a phrase with slop keeps Whoosh's.
"""

from __future__ import annotations

import mlnotes.whoosh_import  # noqa: F401  (before any whoosh import)
from whoosh import matching, query
from whoosh.matching.binary import IntersectionMatcher
from whoosh.matching.wrappers import WrappingMatcher


class ExactPhrase(query.Phrase):
    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        schema = searcher.schema
        if fieldname not in schema or not schema[fieldname].format.supports("positions"):
            return matching.NullMatcher()
        field = schema[fieldname]
        reader = searcher.reader()
        leaves = []
        for word in self.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, text) not in reader:
                return matching.NullMatcher()
            leaves.append(query.Term(fieldname, word).matcher(searcher, context))
        if len(leaves) == 1:
            return leaves[0]
        both = leaves[0]
        for leaf in leaves[1:]:
            both = IntersectionMatcher(both, leaf)
        return _Adjacent(both, leaves, boost=self.boost)


class _Adjacent(WrappingMatcher):
    """The child's notes where the leaves' words are consecutive."""

    def __init__(self, child, leaves, boost=1.0):
        super().__init__(child, boost=boost)
        self._leaves = leaves
        self._settle()

    def _here(self) -> bool:
        starts = set(self._leaves[0].value_as("positions"))
        for offset, leaf in enumerate(self._leaves[1:], 1):
            later = leaf.value_as("positions")
            starts &= {p - offset for p in later}
            if not starts:
                return False
        return True

    def _settle(self) -> None:
        child = self.child
        while child.is_active() and not self._here():
            child.next()

    def copy(self):
        raise NotImplementedError  # leaves are shared with the child: not copyable

    def _replacement(self, newchild):
        return self  # never swapped for a cheaper matcher: the positions must be checked

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False

    def next(self):
        self.child.next()
        self._settle()

    def skip_to(self, id):
        self.child.skip_to(id)
        self._settle()

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()
