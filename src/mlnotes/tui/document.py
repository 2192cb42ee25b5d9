"""A rendered document: lines of segments, with where its headings and links are.

Plain data shared by the renderer (worker thread) and the note pane; it imports nothing
heavy, so the pane can exist before the Markdown machinery is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.segment import Segment

MAX_WIDTH = 100  # columns: longer lines are hard to read


@dataclass
class Anchor:
    title: str
    level: int
    y: int


@dataclass
class LinkSpot:
    slug: str
    y: int
    x0: int
    x1: int


@dataclass
class Rendered:
    """A note rendered at one width: lines of segments, heading anchors and link positions."""

    width: int
    lines: list[list[Segment]] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    links: list[LinkSpot] = field(default_factory=list)
    complete: bool = False

    def extend(self, lines: list[list[Segment]], anchor: Anchor | None) -> None:
        base = len(self.lines)
        if anchor is not None:
            anchor.y = base
            self.anchors.append(anchor)
        for dy, line in enumerate(lines):
            x = 0
            for seg in line:
                width = seg.cell_length
                meta = seg.style.meta if seg.style is not None and seg.style._meta else None
                if meta and "wikilink" in meta:
                    slug = meta["wikilink"]
                    last = self.links[-1] if self.links else None
                    if last and last.slug == slug and last.y == base + dy and last.x1 == x:
                        last.x1 = x + width
                    else:
                        self.links.append(LinkSpot(slug, base + dy, x, x + width))
                x += width
        self.lines.extend(lines)
