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
class CodeSpot:
    """The lines [y0, y1) of a Python block; ``kind`` is "run" or "no-run"."""

    kind: str
    y0: int
    y1: int


@dataclass
class Rendered:
    """A note rendered at one width: lines of segments, heading anchors, link positions and
    where its Python blocks are (in the note's order)."""

    width: int
    lines: list[list[Segment]] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    links: list[LinkSpot] = field(default_factory=list)
    complete: bool = False
    codes: list[CodeSpot] = field(default_factory=list)
    span: int = 0  # the widest line, in cells: wider than ``width`` where code is
    starts_at: str = ""  # an early, partial document that begins at this section (render's start_at)

    def __post_init__(self) -> None:
        self.span = max(self.span, self.width)

    def extend(self, lines: list[list[Segment]], anchor: Anchor | None) -> None:
        base = len(self.lines)
        if anchor is not None:
            anchor.y = base
            self.anchors.append(anchor)
        block = None  # the code tag of the last line seen in a block
        for dy, line in enumerate(lines):
            x = 0
            tag = next((seg.style.meta["code"] for seg in line if seg.style is not None and seg.style._meta and "code" in seg.style.meta), None)
            if tag is not None:
                if tag == block and self.codes and self.codes[-1].y1 == base + dy:
                    self.codes[-1].y1 += 1
                else:
                    self.codes.append(CodeSpot(str(tag[1]), base + dy, base + dy + 1))
            block = tag
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
            self.span = max(self.span, x)
        self.lines.extend(lines)

    def with_lines_after(self, inserts: dict[int, list[list[Segment]]]) -> Rendered:
        """A copy with extra lines after some lines (``{y: lines}``); what is below moves down."""

        def moved(y: int) -> int:
            return y + sum(len(extra) for at, extra in inserts.items() if at < y)

        doc = Rendered(self.width, complete=self.complete, span=self.span)
        for y, line in enumerate(self.lines):
            doc.lines.append(line)
            doc.lines.extend(inserts.get(y, []))
        doc.span = max([doc.span] + [sum(seg.cell_length for seg in line) for extra in inserts.values() for line in extra])
        doc.anchors = [Anchor(a.title, a.level, moved(a.y)) for a in self.anchors]
        doc.links = [LinkSpot(l.slug, moved(l.y), l.x0, l.x1) for l in self.links]
        doc.codes = [CodeSpot(c.kind, moved(c.y0), moved(c.y1 - 1) + 1) for c in self.codes]
        return doc


# --------------------------------------------------------------------------- on disk

DOC_FORMAT = 5  # 2: figures and code spans; 3: anchors carry their key; 4: next-note footer; 5: code unwrapped


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
        "codes": [[c.kind, c.y0, c.y1] for c in doc.codes],
    }
    try:
        atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except OSError:
        pass  # a cache that cannot be written only costs the next start some speed


def load_document(path, key: dict) -> Rendered | None:
    """The document saved under ``key``, or None (missing, stale, corrupt or other format)."""
    import json

    from rich.cells import cell_len
    from rich.style import Style

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != DOC_FORMAT or data.get("key") != key:
            return None
        styles = [Style.parse(s) if s and s != "none" else None for s in data["styles"]]
        doc = Rendered(int(data["width"]), complete=True)
        doc.lines = [[Segment(text, styles[k]) for text, k in line] for line in data["lines"]]
        doc.span = max([doc.width] + [sum(cell_len(text) for text, _ in line) for line in data["lines"]])
        doc.anchors = [Anchor(str(t), int(lvl), int(y), str(k)) for t, lvl, y, k in data["anchors"]]
        doc.links = [LinkSpot(str(s), int(y), int(x0), int(x1)) for s, y, x0, x1 in data["links"]]
        doc.codes = [CodeSpot(str(k), int(y0), int(y1)) for k, y0, y1 in data["codes"]]
        return doc
    except Exception:  # noqa: BLE001 - a damaged cache (bad style strings too) only costs a render
        return None


def rendering():
    """The Markdown and math machinery, imported on first use (in a worker thread), so it is
    not on the path to the first paint."""
    from mlnotes.tui import render

    return render


def visible(doc: Rendered) -> tuple:
    """What a reader sees of a rendering: the text of its lines, its headings and links."""
    return ([tuple(seg.text for seg in line) for line in doc.lines], [(a.title, a.y) for a in doc.anchors],
            [(l.slug, l.y, l.x0, l.x1) for l in doc.links])
