"""Prerequisite paths: what to read before a note, and what comes after it.

Plain data over the library model. A note's ``prerequisites`` (frontmatter slugs) are edges
of a graph; what to read first is every note reachable along them, in reading order. The
walk keeps a visited set, so a cycle (a mistake that ``mlnotes check`` reports) never hangs it.
"""

from __future__ import annotations

from mlnotes.library import Library, Note, Problem


def before(lib: Library, note: Note, read: set[str] | frozenset = frozenset(), include_read: bool = False) -> list[Note]:
    """The notes to read before ``note``, transitively, in reading order; read ones are left
    out unless ``include_read``. The note itself never appears, even inside a cycle."""
    seen = {note.slug}
    stack = list(note.prerequisites)
    found: list[Note] = []
    while stack:
        slug = stack.pop()
        if slug in seen:
            continue
        seen.add(slug)
        other = lib.get(slug)
        if other is None:
            continue  # unknown prerequisites are reported by the loader
        found.append(other)
        stack.extend(other.prerequisites)
    return sorted((n for n in found if include_read or n.slug not in read), key=lambda n: n.index)


def after(lib: Library, note: Note) -> tuple[Note | None, list[Note]]:
    """The next note in reading order, and the notes that name ``note`` as a prerequisite."""
    following = lib.notes[note.index + 1] if note.index + 1 < len(lib.notes) else None
    builds_on = [n for n in lib.notes if note.slug in n.prerequisites and n is not note]
    return following, builds_on


def cycles(lib: Library) -> list[list[str]]:
    """Each prerequisite cycle once, as the slugs around it (first slug repeated at the end),
    found by an iterative depth-first search (no recursion limit on long chains)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    found: list[list[str]] = []
    known_cycles: set[frozenset] = set()
    for start in lib.notes:
        if start.slug in state:
            continue
        path: list[str] = []
        stack = [(start.slug, iter(_edges(lib, start.slug)))]
        state[start.slug] = 1
        path.append(start.slug)
        while stack:
            slug, edges = stack[-1]
            nxt = next(edges, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[slug] = 2
                continue
            mark = state.get(nxt)
            if mark == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                key = frozenset(cycle)
                if key not in known_cycles:
                    known_cycles.add(key)
                    found.append(cycle)
            elif mark is None:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(_edges(lib, nxt))))
    return found


def _edges(lib: Library, slug: str) -> list[str]:
    note = lib.get(slug)
    return [s for s in note.prerequisites if lib.get(s) is not None] if note is not None else []


def cycle_problems(lib: Library) -> list[Problem]:
    """A problem for each prerequisite cycle, on the first note of the cycle in reading
    order, at the line of its ``prerequisites`` key."""
    problems = []
    for cycle in cycles(lib):
        notes = [lib.get(s) for s in cycle[:-1]]
        first = min(notes, key=lambda n: n.index)
        at = cycle.index(first.slug)
        loop = cycle[at:-1] + cycle[:at] + [first.slug]
        problems.append(Problem(first.path, lib.frontmatter_line(first, "prerequisites"), "prerequisite cycle: " + " → ".join(loop) + " (each lists the next as a prerequisite)"))
    return problems
