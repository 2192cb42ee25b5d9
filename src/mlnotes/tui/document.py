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
    title: str  # as the contents list shows it
    level: int
    y: int
    key: str = ""  # the section's anchor in the note's outline


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


# --------------------------------------------------------------------------- on disk

DOC_FORMAT = 2  # 2: anchors carry their key


def save_document(path, key: dict, doc: Rendered) -> None:
    """Write ``doc`` as JSON (styles by their definition string), tagged with ``key``."""
    import json

    from mlnotes.paths import atomic_write

    styles: dict[str, int] = {}
    lines = []
    for line in doc.lines:
        row = []
        for seg in line:
            style = "" if seg.style is None else str(seg.style)
            row.append([seg.text, styles.setdefault(style, len(styles))])
        lines.append(row)
    data = {
        "format": DOC_FORMAT,
        "key": key,
        "width": doc.width,
        "styles": list(styles),
        "lines": lines,
        "anchors": [[a.title, a.level, a.y, a.key] for a in doc.anchors],
        "links": [[l.slug, l.y, l.x0, l.x1] for l in doc.links],
    }
    try:
        atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except OSError:
        pass  # a cache that cannot be written only costs the next start some speed


def load_document(path, key: dict) -> Rendered | None:
    """The document saved under ``key``, or None (missing, stale, corrupt or other format)."""
    import json

    from rich.style import Style

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != DOC_FORMAT or data.get("key") != key:
            return None
        styles = [Style.parse(s) if s and s != "none" else None for s in data["styles"]]
        doc = Rendered(int(data["width"]), complete=True)
        doc.lines = [[Segment(text, styles[k]) for text, k in line] for line in data["lines"]]
        doc.anchors = [Anchor(str(t), int(lvl), int(y), str(k)) for t, lvl, y, k in data["anchors"]]
        doc.links = [LinkSpot(str(s), int(y), int(x0), int(x1)) for s, y, x0, x1 in data["links"]]
        return doc
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
