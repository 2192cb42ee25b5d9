"""Turn a note into lines of segments, section by section, off the UI thread.

The reader shows notes with Rich (not Textual's Markdown widget, which is several times
slower on notes this long). A note is split at its headings; each section is rendered on its
own, so the top of a long note can be painted before the rest is done, and the line where
each heading starts is known (for the table of contents and for landing on a search hit).
Links are found in the rendered segments by the ``wikilink`` meta the Markdown layer sets.
"""

from __future__ import annotations

import io
import re
from typing import Callable, Iterator

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.text import Text

from mlnotes.library import Library, Note, prose_lines
from mlnotes.markdown import NOTE_THEME, NoteMarkdown
from mlnotes.tui.document import MAX_WIDTH, Anchor, Rendered

_HEADING = re.compile(r"^\s{0,3}(#{1,3})\s+(.*?)\s*#*\s*$")


def split_sections(body: str) -> list[tuple[str, int, str]]:
    """(heading, level, markdown) chunks; the first may have no heading."""
    chunks: list[tuple[str, int, list[str]]] = [("", 0, [])]
    for _, line, in_code in prose_lines(body):
        m = None if in_code else _HEADING.match(line)
        if m:
            chunks.append((m.group(2).strip(), len(m.group(1)), [line]))
        else:
            chunks[-1][2].append(line)
    return [(h, lvl, "\n".join(lines)) for h, lvl, lines in chunks if h or "\n".join(lines).strip()]


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


def note_sources(lib: Library, note: Note, raw_math: bool) -> Iterator[tuple[Anchor | None, RenderableType]]:
    """The renderables of a note in order: title block, sections, then its place in the web."""

    def resolve(slug: str) -> str | None:
        target = lib.get(slug)
        return target.title if target else None

    yield None, Text.assemble((note.title, "bold"), "\n", (note.byline, "dim"), "\n")
    for heading, level, chunk in split_sections(lib.body(note)):
        anchor = Anchor(heading, level, 0) if heading else None
        yield anchor, NoteMarkdown(chunk, raw_math=raw_math, resolve_link=resolve)
    footer = []
    if note.prerequisites:
        footer.append("**Prerequisites:** " + " · ".join(f"[[{s}]]" for s in note.prerequisites))
    backlinks = lib.backlinks.get(note.slug, [])
    if backlinks:
        footer.append("**Linked from:** " + " · ".join(f"[[{n.slug}]]" for n in backlinks))
    if footer:
        yield Anchor("Linked from", 2, 0), NoteMarkdown("---\n\n" + "\n\n".join(footer), resolve_link=resolve)


def page_sources(title: str, subtitle: str, body: str, resolve: Callable[[str], str | None]):
    yield None, Text.assemble((title, "bold"), "\n", (subtitle, "dim"), "\n")
    for heading, level, chunk in split_sections(body):
        yield (Anchor(heading, level, 0) if heading else None), NoteMarkdown(chunk, resolve_link=resolve)


def render(
    sources,
    width: int,
    on_progress: Callable[[Rendered], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    first_screen: int = 60,
) -> Rendered:
    """Render ``sources`` at ``width``.

    ``on_progress`` sees the document once, as soon as it holds ``first_screen`` lines (a
    screenful), so a long note can be painted before its end is rendered.
    """
    width = max(10, min(width, MAX_WIDTH))
    console = _console(width)
    options = console.options.update(width=width, height=None)
    doc = Rendered(width)
    reported = on_progress is None
    for anchor, renderable in sources:
        if cancelled():
            return doc
        lines = console.render_lines(renderable, options, pad=True, new_lines=False)
        if doc.lines and lines and any(seg.text.strip() for seg in lines[0]):
            doc.extend([[Segment(" " * width)]], None)
        doc.extend(lines, anchor)
        if not reported and len(doc.lines) >= first_screen:
            on_progress(doc)
            reported = True
    doc.complete = True
    return doc
