"""The reader's modal screens: search, contents, help, bookmarks and problems."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mlnotes.tui.bindings import APP_KEYS, NOTE_KEYS

if TYPE_CHECKING:
    from mlnotes.tui.app import ReaderApp

SEARCH_DEBOUNCE = 0.03  # seconds of quiet typing before a query runs; stale results are dropped


class ListScreen(ModalScreen):
    """A titled list in a box; enter picks, esc closes."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="close"),
        Binding("ctrl+n", "cursor(1)", "Down", show=False, id="list-down"),
        Binding("ctrl+p", "cursor(-1)", "Up", show=False, id="list-up"),
    ]

    def __init__(self, title: str, options: list[Option], empty: str = "Nothing here yet.", highlight: int = 0) -> None:
        super().__init__()
        self.box_title = title
        self.options = options
        self.empty = empty
        self.highlight = highlight

    def on_mount(self) -> None:
        choices = self.query(OptionList)
        if choices and 0 <= self.highlight < len(self.options):
            choices.first().highlighted = self.highlight

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(self.box_title, classes="box-title")
            if self.options:
                yield OptionList(*self.options, id="choices")
            else:
                yield Static(self.empty, classes="empty")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor(self, step: int) -> None:
        choices = self.query(OptionList)
        if choices:
            (choices.first().action_cursor_down if step > 0 else choices.first().action_cursor_up)()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SearchScreen(ModalScreen):
    """Search as you type: results update in a worker, the newest query wins."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="search-close"),
        Binding("down,ctrl+n", "move(1)", "Next result", show=False, id="search-down"),
        Binding("up,ctrl+p", "move(-1)", "Previous result", show=False, id="search-up"),
        Binding("enter", "open", "Open", id="search-open", priority=True),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self._seq = 0
        self._lock = threading.Lock()
        self._hits: list = []
        self._timer = None
        self._waiting: tuple[str, int] | None = None  # a query typed before the index was ready
        self.last_query = ""

    @property
    def reader(self) -> "ReaderApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(classes="box search-box"):
            yield Input(self.initial, placeholder="Search the notes: words, \"phrases\", prefix*, tag:…", id="query")
            yield Static("", id="search-status")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self._schedule(self.initial)
        else:
            self._show_status()

    def _show_status(self, text: str | None = None) -> None:
        if text is None:
            text = self.reader.index_status or "Type to search every note."
        self.query_one("#search-status", Static).update(text)

    @on(Input.Changed, "#query")
    def changed(self, event: Input.Changed) -> None:
        self._schedule(event.value)

    def _schedule(self, text: str) -> None:
        self._seq += 1
        if self._timer is not None:
            self._timer.stop()
        seq = self._seq
        self._timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._run(text, seq))

    def _run(self, text: str, seq: int) -> None:
        if not text.strip():
            self._hits = []
            self.query_one(OptionList).clear_options()
            self._show_status()
            return
        if not self.reader.index_ready:
            self._show_status(self.reader.index_status)
            self._waiting = (text, seq)  # run by index_changed() when the index is ready
            return
        self._waiting = None
        self.search_worker(text, seq)

    def index_changed(self) -> None:
        """The app's word that the index moved on: show its progress, and run the query
        typed meanwhile once it is ready."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None and self.reader.index_ready and waiting[1] == self._seq:
            self._run(*waiting)
        elif waiting is not None:
            self._waiting = waiting
            self._show_status(self.reader.index_status)
        elif not self.query_one(Input).value.strip():
            self._show_status()  # nothing typed yet: the index's progress, or the usual hint

    @work(thread=True, group="search")
    def search_worker(self, text: str, seq: int) -> None:
        if seq != self._seq:
            return  # a newer keystroke already replaced this query
        with self._lock:
            if seq != self._seq:
                return
            results = self.reader.index.search(text, limit=20)
        if seq == self._seq:
            self.app.call_from_thread(self._show_results, results, seq)

    def _show_results(self, results, seq: int) -> None:
        if seq != self._seq:
            return
        self.last_query = results.query
        self._hits = results.hits
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(_hit_text(h), id=str(i)) for i, h in enumerate(results.hits)])
        if results.hits:
            options.highlighted = 0
        status = f"{results.total} note{'s' if results.total != 1 else ''}"
        if len(results.hits) < results.total:
            status += f" · the best {len(results.hits)} shown"
        if results.suggestion:
            status = (f"Showing results for “{results.suggestion}”" if results.corrected else f"Did you mean “{results.suggestion}”?") + f" · {status}"
        if results.notice:
            status = results.notice[0].upper() + results.notice[1:] + "."
        elif not (results.hits or results.suggestion):
            status = f"No notes match “{results.query}”."
        self._show_status(status)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    def action_open(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is not None and 0 <= index < len(self._hits):
            self.dismiss((self._hits[index], self.last_query))

    @on(OptionList.OptionSelected, "#results")
    def picked(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        if index < len(self._hits):
            self.dismiss((self._hits[index], self.last_query))

    def action_close(self) -> None:
        self.dismiss(None)


def _hit_text(hit) -> Group:
    """A result as three blocks: title and place, the matching section, the snippet."""
    lines = [Text.assemble((hit.title, "bold"), "  ", (f"{hit.part} › {hit.module}", "dim"))]
    if hit.heading:
        lines.append(Text("§ " + hit.heading, style="italic"))
    snippet = Text(hit.snippet)
    for start, end in hit.spans:
        snippet.stylize("bold reverse", start, end)
    lines.append(snippet)
    return Group(*lines)


def contents_screen(anchors, here: int = 0) -> ListScreen:
    """The note's headings, the cursor on the section being read."""
    options = [Option(("  " * max(0, a.level - 2)) + a.title, id=str(i)) for i, a in enumerate(anchors)]
    return ListScreen("Contents", options, "This note has no headings.", highlight=here)


def bookmarks_screen(lib, slugs: list[str], bookmark_key: str = "m") -> ListScreen:
    options = []
    for slug in slugs:
        note = lib.get(slug)
        if note is not None:
            options.append(Option(Text.assemble((note.title, "bold"), "  ", (f"{note.part_title} › {note.module_title}", "dim")), id=slug))
    return ListScreen("Bookmarks", options, f"No bookmarks yet: press {bookmark_key} on a note to add one.")


def before_screen(notes, title: str) -> ListScreen:
    options = [
        Option(Text.assemble((f"{i}. ", "dim"), (n.title, "bold"), "  ", (f"{n.part_title} › {n.module_title} · {n.reading_minutes} min", "dim")), id=n.slug)
        for i, n in enumerate(notes, 1)
    ]
    return ListScreen(f"Read before {title}", options, "Nothing unread to read first.")


def problems_screen(problems) -> ListScreen:
    options = [Option(Text(str(p)), id=str(i)) for i, p in enumerate(problems)]
    return ListScreen(f"Problems in this collection ({len(problems)})", options, "No problems found.")


def help_screen(app) -> ListScreen:
    """Every key, from the same tables the bindings are built from (keymap applied)."""
    keymap = app.user_keymap
    options = []
    for group, keys in (("Anywhere", APP_KEYS), ("In a note", NOTE_KEYS)):
        options.append(Option(Text(group, style="bold underline"), disabled=True))
        for key in keys:
            shown = keymap.get(key.id, key.keys)
            display = ", ".join(app.get_key_display(_binding(k)) for k in shown.split(","))
            options.append(Option(Text.assemble((f"{display:>18}", "bold"), "  ", key.description), id=key.id, disabled=True))
    options.append(Option(Text.assemble((f"{'ctrl+p':>18}", "bold"), "  ", "Command palette: notes by title, and every command"), disabled=True))
    options.append(Option(Text.assemble((f"{'tab, shift+tab':>18}", "bold"), "  ", "Move between the sidebar and the note (in a note: its links first)"), disabled=True))
    return ListScreen("Keys", options)


def _binding(key: str) -> Binding:
    return Binding(key.strip(), "", "")
