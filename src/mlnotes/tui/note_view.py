"""The note pane: a scrollable view over pre-rendered lines, with find and link focus.

It draws lines rendered by :mod:`mlnotes.tui.render` (a worker thread produces them), and
lays two overlays over them: the matches of the in-note find, and the focused wikilink. Both
work on the rendered text, so they land exactly where the reader sees the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mlnotes.tui.bindings import NOTE_KEYS, to_bindings
from mlnotes.tui.document import Rendered

EDGE_LEFT, EDGE_RIGHT = "‹", "›"  # the right one is markdown.CLIP_MARK (not imported: it is heavy)


@dataclass
class Match:
    y: int
    x0: int
    x1: int


class NoteView(ScrollView, can_focus=True):
    """Shows one rendered document."""

    BINDINGS = to_bindings(NOTE_KEYS)
    # Styled in styles.tcss: find matches, the focused link, the marks at the edges of a wide
    # code line, and the output of a block run in place.
    COMPONENT_CLASSES = {
        "note-view--match",
        "note-view--current-match",
        "note-view--focused-link",
        "note-view--edge",
        "note-view--output-bar",
        "note-view--output",
        "note-view--output-error",
        "note-view--output-notice",
        "note-view--output-running",
    }

    class LinkChosen(Message):
        """A link was chosen; ``slug`` is its target, ``slug`` or ``slug#section``."""

        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    class Scrolled(Message):
        """The reader moved; carries whether the end of the document is in view."""

        def __init__(self, y: float, at_end: bool) -> None:
            super().__init__()
            self.y = y
            self.at_end = at_end

    class Escaped(Message):
        """esc with nothing to clear in the pane (the app may have something to cancel)."""

    class FindCleared(Message):
        """esc cleared the find highlights: the find bar has nothing left to show."""

    class Resized(Message):
        """The pane's text width changed (the sidebar or a side panel came or went)."""

    class FindStatus(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.doc = Rendered(0, complete=True)
        self._lines: list[list[Segment]] = []
        self._strips: dict[int, Strip] = {}  # made on first paint of a line: a Strip is not cheap
        self._ends: dict[int, int] = {}  # where each line's text ends, in cells (for the edge marks)
        self._last_width: int | None = None  # the text width at the last resize
        self._texts: list[str] = []
        self.matches: list[Match] = []
        self.current = -1
        self.link_index = -1
        self.pattern: re.Pattern[str] | None = None

    # ------------------------------------------------------------------ content

    def show(self, doc: Rendered, scroll_y: float | None = 0) -> None:
        """Display ``doc``; ``scroll_y=None`` keeps the current position."""
        self.doc = doc
        self._lines = doc.lines
        self._strips = {}
        self._texts = []
        self.link_index = -1
        self.virtual_size = Size(doc.span, len(self._lines))  # wider than the note where code is
        self._ends: dict[int, int] = {}
        if self.pattern is not None:
            self._find(self.pattern, keep_position=True)
        if scroll_y is not None:
            self.scroll_to_line(int(scroll_y))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if self._last_width is not None and width != self._last_width:
            self.post_message(self.Resized())
        self._last_width = width

    def text_lines(self) -> list[str]:
        if len(self._texts) != len(self._lines):
            self._texts = ["".join(seg.text for seg in line) for line in self._lines]
        return self._texts

    @property
    def content_height(self) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = Strip(self._lines[index])
        cuts: list[tuple[int, int, Style]] = []
        for k, m in enumerate(self.matches):
            if m.y == index:
                cuts.append((m.x0, m.x1, self._style("current-match" if k == self.current else "match")))
        if 0 <= self.link_index < len(self.doc.links):
            spot = self.doc.links[self.link_index]
            if spot.y == index:
                cuts.append((spot.x0, spot.x1, self._style("focused-link")))
        if cuts:
            strip = _overlay(strip, cuts)
        strip = strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_style(self.rich_style)
        if self.doc.span > width or scroll_x:
            strip = self._edge_marks(index, strip, scroll_x, width)
        return strip

    def _style(self, name: str) -> Style:
        """A component style of styles.tcss, only what it sets (laid over the text's own)."""
        return self.get_component_rich_style(f"note-view--{name}", partial=True)

    def output_styles(self) -> dict[str, Style]:
        """The styles of a run block's output lines, by kind, and of the bar before them."""
        names = ("bar", "output", "error", "notice", "running")
        return {name: self._style("output-bar" if name == "bar" else "output" if name == "output" else f"output-{name}") for name in names}

    def _edge_marks(self, index: int, strip: Strip, scroll_x: int, width: int) -> Strip:
        """A code line wider than the pane is cut at its edges, never wrapped: a mark in the
        last column says there is more to the right, one in the first that there is more to
        the left (scrolled sideways with left and right)."""
        end = self._ends.get(index)
        if end is None:
            end = self._ends[index] = cell_len("".join(seg.text for seg in self._lines[index]).rstrip())
        right = end > scroll_x + width
        left = scroll_x > 0 and end > 0 and self._starts_before(index, scroll_x)
        if not (left or right) or width < 3:
            return strip
        first, middle, last = strip.divide([1, width - 1, width])
        if left:
            first = Strip([Segment(EDGE_LEFT, self._style("edge"))])
        if right:
            last = Strip([Segment(EDGE_RIGHT, self._style("edge"))])
        return Strip.join([first, middle, last])

    def _starts_before(self, index: int, scroll_x: int) -> bool:
        text = "".join(seg.text for seg in self._lines[index])
        return bool(text[:scroll_x].strip())  # code is ASCII-heavy; a wide glyph only shifts the test by a cell

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        at_end = self.doc.complete and new >= self.max_scroll_y - 0.5
        self.post_message(self.Scrolled(new, at_end))

    # ------------------------------------------------------------------ find

    def find(self, text: str) -> None:
        """Highlight every occurrence of ``text`` (case-insensitive); empty clears."""
        text = text.strip()
        if not text:
            self.clear_find()
            return
        self._find(re.compile(re.escape(text), re.IGNORECASE))

    def find_pattern(self, pattern: re.Pattern[str], from_y: int = 0) -> None:
        self.pattern = pattern
        self._find(pattern, start_y=from_y)

    def _find(self, pattern: re.Pattern[str], keep_position: bool = False, start_y: int | None = None) -> None:
        self.pattern = pattern
        found: list[Match] = []
        for y, line in enumerate(self.text_lines()):
            for m in pattern.finditer(line):
                if m.end() > m.start():
                    x0 = cell_len(line[: m.start()])
                    found.append(Match(y, x0, x0 + cell_len(m.group(0))))
        self.matches = found
        if not found:
            self.current = -1
        elif not keep_position or self.current < 0:
            top = self.scroll_offset.y if start_y is None else start_y
            self.current = next((k for k, m in enumerate(found) if m.y >= top), 0)
            self._reveal_match()
        else:
            self.current = min(self.current, len(found) - 1)
        self._status()
        self.refresh()

    def clear_find(self) -> None:
        self.pattern = None
        self.matches = []
        self.current = -1
        self._status()
        self.refresh()

    def _status(self) -> None:
        if self.pattern is None:
            text = ""
        elif not self.matches:
            text = "no matches"
        else:
            text = f"{self.current + 1}/{len(self.matches)}"
        self.post_message(self.FindStatus(text))

    def _reveal_match(self) -> None:
        if 0 <= self.current < len(self.matches):
            match = self.matches[self.current]
            y = match.y
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if not top <= y < top + height:
                self.scroll_to_line(max(0, y - height // 3))
            left, width = self.scroll_offset.x, self.scrollable_content_region.width
            if match.x1 > left + width - 1 or match.x0 < left:  # in a wide code line, off to a side
                x = 0 if match.x1 <= width - 1 else match.x0 - width // 3
                self.scroll_to(x=max(0, x), animate=False)

    def action_next_match(self) -> None:
        if self.matches:
            self.current = (self.current + 1) % len(self.matches)
            self._reveal_match()
            self._status()
            self.refresh()

    def action_previous_match(self) -> None:
        if self.matches:
            self.current = (self.current - 1) % len(self.matches)
            self._reveal_match()
            self._status()
            self.refresh()

    def action_clear(self) -> None:
        if self.pattern is not None:
            self.clear_find()
            self.post_message(self.FindCleared())
        elif self.link_index >= 0:
            self.link_index = -1
            self.refresh()
        else:
            self.post_message(self.Escaped())

    # ------------------------------------------------------------------ links

    def _move_link(self, step: int) -> None:
        links = self.doc.links
        if not links:
            self.notify("This note has no links.", timeout=2)
            return
        if self.link_index < 0:
            top = self.scroll_offset.y
            visible = [k for k, s in enumerate(links) if s.y >= top]
            self.link_index = (visible[0] if visible else 0) if step > 0 else (visible[-1] if visible else len(links) - 1)
            if step < 0:
                before = [k for k, s in enumerate(links) if s.y < top + self.scrollable_content_region.height]
                self.link_index = before[-1] if before else len(links) - 1
        else:
            self.link_index = (self.link_index + step) % len(links)
        spot = links[self.link_index]
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if not top <= spot.y < top + height:
            self.scroll_to(y=max(0, spot.y - height // 3), animate=False)
        self.refresh()

    def action_next_link(self) -> None:
        self._move_link(+1)

    def action_previous_link(self) -> None:
        self._move_link(-1)

    def action_tab_link(self) -> None:
        """Tab walks the note's links as a browser does, then moves on to the next pane."""
        if self.doc.links and self.link_index < len(self.doc.links) - 1:
            self._move_link(+1)
        else:
            self._leave(self.screen.focus_next)

    def action_tab_link_back(self) -> None:
        if self.doc.links and self.link_index > 0:
            self._move_link(-1)
        else:
            self._leave(self.screen.focus_previous)

    def _leave(self, move) -> None:
        self.link_index = -1
        self.refresh()
        move()

    @property
    def focused_link(self) -> str | None:
        if 0 <= self.link_index < len(self.doc.links):
            return self.doc.links[self.link_index].slug
        return None

    def action_follow_link(self) -> None:
        slug = self.focused_link
        if slug:
            self.post_message(self.LinkChosen(slug))

    def link_at(self, x: int, y: int) -> str | None:
        """The link drawn at document cell (x, y), if any."""
        for spot in self.doc.links:
            if spot.y == y and spot.x0 <= x < spot.x1:
                return spot.slug
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        slug = self.link_at(offset.x + self.scroll_offset.x, offset.y + self.scroll_offset.y)
        if slug:
            event.stop()
            self.post_message(self.LinkChosen(slug))

    def code_in_view(self, done: set[int] = frozenset()) -> int | None:
        """The index of the first runnable Python block in view not in ``done`` (else the
        first runnable one in view, else the first in view), or None when none is in view."""
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        seen = [k for k, spot in enumerate(self.doc.codes) if spot.y1 > top and spot.y0 < top + height]
        runnable = [k for k in seen if self.doc.codes[k].kind == "run"]
        return next((k for k in runnable if k not in done), (runnable or seen or [None])[0])

    def scroll_to_line(self, y: int) -> None:
        # Right after show() the new virtual size is not laid out yet and a scroll would be
        # clamped to the old one: scroll now as far as possible, and again after the refresh.
        self.scroll_y = self.scroll_target_y = max(0, min(y, len(self._lines) - 1))
        self.call_after_refresh(self.scroll_to, y=y, animate=False, immediate=True)


def _overlay(strip: Strip, cuts: list[tuple[int, int, Style]]) -> Strip:
    """``strip`` with each (x0, x1, style) range restyled on top of its own style."""
    length = strip.cell_length
    for x0, x1, style in sorted(cuts, key=lambda c: c[0]):
        x0, x1 = min(x0, length), min(x1, length)
        if x1 <= x0:
            continue
        before, middle, after = (list(strip.divide([x0, x1, strip.cell_length])) + [Strip([]), Strip([])])[:3]
        middle = Strip(Segment.apply_style(list(middle), post_style=style))
        strip = Strip.join([before, middle, after])
    return strip
