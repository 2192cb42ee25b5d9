"""Turn a note into lines of segments, section by section, off the UI thread.

The reader shows notes with Rich (not Textual's Markdown widget, which is several times
slower on notes this long). A note is rendered section by section, as its outline
(:mod:`mlnotes.outline`) gives them, so the top of a long note can be painted before the rest
is done, and the line where each heading starts is known (for the table of contents, for
landing on a search hit and for following a ``[[slug#section]]`` link). HTML comments are in
no section's source, so they are never shown. Links are found in the rendered segments by the
``wikilink`` meta the Markdown layer sets.
"""

from __future__ import annotations

import io
from typing import Callable, Iterator

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.text import Text

from mlnotes.library import Library, Note
from mlnotes.markdown import NOTE_THEME, NoteMarkdown, render_lines
from mlnotes.outline import SELF_CHECK, Outline, outline
from mlnotes.prereqs import after
from mlnotes.selfcheck import REVEAL, fold
from mlnotes.tui.document import MAX_WIDTH, Anchor, Rendered


def _sections(o: Outline) -> Iterator[tuple[Anchor | None, str]]:
    """(anchor, markdown) for each section with something to show; the first may have no heading."""
    for section in o.sections:
        source = o.source(section)
        if section.level or source.strip():
            yield (Anchor(section.title, section.level, 0, section.anchor) if section.level else None), source


def _console(width: int) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        theme=NOTE_THEME,
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        highlight=False,
    )


def note_sources(
    lib: Library, note: Note, raw_math: bool, answers: frozenset[int] | None = None, next_key: str = "]"
) -> Iterator[tuple[Anchor | None, RenderableType]]:
    """The renderables of a note in order: title block, sections, then its place in the web.
    With ``answers`` (the self-check answers revealed), the others are folded."""

    def resolve(target: str) -> str | None:
        return "show" if target.startswith(REVEAL) else lib.resolve(target)

    yield None, Text.assemble((note.title, "bold"), "\n", (note.byline, "dim"), "\n")
    o = lib.outline(note)
    for anchor, chunk in _sections(o):
        if answers is not None and anchor is not None and _kind(o, anchor) == SELF_CHECK and not raw_math:
            chunk = fold(chunk, answers)
        yield anchor, NoteMarkdown(chunk, raw_math=raw_math, resolve_link=resolve)
    following, builds_on = after(lib, note)
    footer = []
    if following is not None:
        key = "".join("\\" + c if c in "\\`*_[]<>#!|" else c for c in next_key)  # as Markdown text
        footer.append(f"**Next:** [[{following.slug}]] (press {key} to open it)")
    if builds_on:
        footer.append("**Builds on this note:** " + " · ".join(f"[[{n.slug}]]" for n in builds_on))
    if note.prerequisites:
        footer.append("**Prerequisites:** " + " · ".join(f"[[{s}]]" for s in note.prerequisites))
    backlinks = lib.backlinks.get(note.slug, [])
    if backlinks:
        footer.append("**Linked from:** " + " · ".join(f"[[{n.slug}]]" for n in backlinks))
    if footer:
        yield Anchor("Next, and linked from", 2, 0, "linked-from"), NoteMarkdown("---\n\n" + "\n\n".join(footer), resolve_link=resolve)


def _kind(o: Outline, anchor: Anchor) -> str | None:
    section = next((sec for sec in o.sections if sec.level and sec.anchor == anchor.key), None)
    return section.kind if section is not None else None


def page_sources(title: str, subtitle: str, body: str, resolve: Callable[[str], str | None]):
    yield None, Text.assemble((title, "bold"), "\n", (subtitle, "dim"), "\n")
    for anchor, chunk in _sections(outline(body)):
        yield anchor, NoteMarkdown(chunk, resolve_link=resolve)


def render(
    sources,
    width: int,
    on_progress: Callable[[Rendered], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    first_screen: int = 60,
    start_at: str | None = None,
) -> Rendered:
    """Render ``sources`` at ``width``.

    ``on_progress`` sees a document once, as soon as it holds ``first_screen`` lines (a
    screenful), so a long note can be painted before its end is rendered. With ``start_at``
    (a section's anchor key) rendering begins at that section, and the early document is the
    note from there on (its ``starts_at`` says so): a search hit deep in a long note lands on
    its section without waiting for the sections above it.
    """
    width = max(10, min(width, MAX_WIDTH))
    console = _console(width)
    options = console.options.update(width=width, height=None)
    sources = list(sources)
    k = next((i for i, (anchor, _) in enumerate(sources) if start_at and anchor is not None and anchor.key == start_at), 0)
    chunks: list = [None] * len(sources)  # each source's lines, in the note's order
    early = None if on_progress is None else Rendered(width, starts_at=start_at if k else "")
    for i in list(range(k, len(sources))) + list(range(k)):
        if cancelled():
            return Rendered(width)
        chunks[i] = render_lines(console, sources[i][1], options)  # code lines whole, however wide
        if early is not None and i >= k:
            _append(early, chunks[i], sources[i][0])
            if len(early.lines) >= first_screen or (k and i == len(sources) - 1):
                on_progress(early)
                early = None
    doc = Rendered(width)
    for (anchor, _), lines in zip(sources, chunks):
        _append(doc, lines, anchor)
    doc.complete = True
    return doc


def _append(doc: Rendered, lines, anchor: Anchor | None) -> None:
    """One source's lines at the end of ``doc``, a blank line before them when both sides
    have text. The anchor is copied: the same source may be placed in two documents."""
    if doc.lines and lines and any(seg.text.strip() for seg in lines[0]):
        doc.extend([[Segment(" " * doc.width)]], None)
    doc.extend(lines, Anchor(anchor.title, anchor.level, 0, anchor.key) if anchor is not None else None)
