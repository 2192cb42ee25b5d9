"""The sidebar: the collection's parts, modules and notes as a tree.

It draws the labels (read counts, read marks, bookmarks) from the library and the reading
state it is given, keeps each page's node so the reader can follow a note opened elsewhere,
and tells the app what the reader did with two messages: ``Previewed`` when the cursor has
rested on a page for a moment, ``Chosen`` when a note is opened with enter.

A module's notes become nodes only when the module is first opened (by the reader, or to
follow a note opened elsewhere): at 10,000 notes a tree built whole up front costs the
reader's first paint several times over.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from mlnotes.library import Library, Module, Note, Part
from mlnotes.state import ReadingState
from mlnotes.tui.page import Page, note_page

PREVIEW_DELAY = 0.15  # seconds the cursor rests on a page before it is previewed


class Sidebar(Tree):
    class Previewed(Message):
        """The reader moved the cursor to ``page`` and left it there."""

        def __init__(self, page: Page) -> None:
            super().__init__()
            self.page = page

    class Chosen(Message):
        """The reader pressed enter on a note's ``page``."""

        def __init__(self, page: Page) -> None:
            super().__init__()
            self.page = page

    def __init__(self, lib: Library, state: ReadingState, **kwargs) -> None:
        super().__init__(lib.title, **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.lib = lib
        self.state = state
        self._page_nodes: dict[Page, object] = {}
        self._preview_timer = None
        self._fill(set())

    # ------------------------------------------------------------------ contents

    def _fill(self, expanded: set[Page]) -> None:
        """The parts and modules of the library; the pages in ``expanded`` open."""
        self._page_nodes = {}
        for part in self.lib.parts:
            ppage = Page("part", part.key)
            pnode = self.root.add(self._part_label(part), data=ppage, expand=ppage in expanded)
            self._page_nodes[ppage] = pnode
            for module in part.modules:
                mpage = Page("module", module.key)
                mnode = pnode.add(self._module_label(module), data=mpage, allow_expand=bool(module.notes))
                self._page_nodes[mpage] = mnode
                if mpage in expanded:
                    self._add_notes(mnode, module)
                    mnode.expand()

    def _add_notes(self, mnode, module: Module) -> None:
        """The nodes of ``module``'s notes, once."""
        if mnode.children or not module.notes:
            return
        for note in module.notes:
            page = note_page(note.slug)
            self._page_nodes[page] = mnode.add_leaf(self._note_label(note), data=page)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        page = event.node.data
        if page is not None and page.kind == "module":
            module = self.lib.module(page.key)
            if module is not None:
                self._add_notes(event.node, module)

    def set_library(self, lib: Library) -> None:
        """Show ``lib`` instead, keeping open the parts and modules the reader had open."""
        expanded = {page for page, node in self._page_nodes.items() if node.is_expanded}
        self.clear()
        self.lib = lib
        self._fill(expanded)

    def _part_label(self, part: Part) -> Text:
        read = sum(n.slug in self.state.read for n in part.notes)
        return Text.assemble((part.title, "bold"), (f" · {read}/{len(part.notes)}" if read else f" · {len(part.notes)}", "dim"))

    def _module_label(self, module: Module) -> Text:
        read = sum(n.slug in self.state.read for n in module.notes)
        count = f" · {len(module.notes)}" + (f" ✓{read}" if read else "")
        return Text.assemble(module.title, (count, "dim"))

    def _note_label(self, note: Note) -> Text:
        mark = "✓ " if note.slug in self.state.read else "  "
        star = " ★" if note.slug in self.state.bookmarks else ""
        return Text.assemble((mark, "green"), note.title, (star, "yellow"))

    def refresh_labels(self, note: Note) -> None:
        """Redraw the labels that show ``note``'s read mark or bookmark, and its module's and
        part's counts."""
        node = self._page_nodes.get(note_page(note.slug))
        if node is not None:
            node.set_label(self._note_label(note))
        module = self.lib.module(note.module)
        if module is not None and Page("module", module.key) in self._page_nodes:
            self._page_nodes[Page("module", module.key)].set_label(self._module_label(module))
        part = self.lib.part(note.part)
        if part is not None and Page("part", part.key) in self._page_nodes:
            self._page_nodes[Page("part", part.key)].set_label(self._part_label(part))

    def follow(self, page: Page) -> None:
        """Put the cursor on ``page`` (a note opened by a link, a search, back), opening its
        module and part; no preview follows from this move."""
        self.stop_preview()
        note = self.lib.get(page.key) if page.is_note else None
        if note is not None and page not in self._page_nodes:
            module = self._page_nodes.get(Page("module", note.module))
            if module is not None:
                self._add_notes(module, self.lib.module(note.module))
        node = self._page_nodes.get(page)
        if node is None or self.cursor_node is node:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(lambda: self.move_cursor(node, animate=False))

    @property
    def shown(self) -> bool:
        return not (self.has_class("-hidden") or self.has_class("-narrow"))

    # ------------------------------------------------------------------ the reader's moves

    def stop_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        self.stop_preview()
        page = event.node.data
        # Only a reader moving through the tree asks for previews; the cursor also moves when
        # the tree follows a note opened elsewhere, and those moves must not replace the note
        # with whatever node they pass over.
        if page is None or self.app.focused is not self:
            return
        self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self.post_message(self.Previewed(page)))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        page = event.node.data
        if page is not None and page.is_note:
            self.stop_preview()
            self.post_message(self.Chosen(page))
