"""The reader app: sidebar tree, note pane, find bar, and the screens on top.

The app reads nothing from disk itself: notes come from the :class:`~mlnotes.library.Library`,
search from :class:`~mlnotes.search.SearchIndex` (built or updated in a worker after the
first paint, so reading never waits for indexing), and reading memory from
:class:`~mlnotes.state.ReadingState`.
"""

from __future__ import annotations

import os
import re
import time
from collections import OrderedDict
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from mlnotes.library import Library, Module, Note, Part
from mlnotes.selfcheck import REVEAL
from mlnotes.state import ReadingState
from mlnotes.tui.document import MAX_WIDTH, Rendered, rendering as _rendering
from mlnotes.tui.find_bar import FindBar
from mlnotes.tui.footer import ReaderFooter
from mlnotes.tui.bindings import APP_KEYS, first_key, load_keymap, to_bindings
from mlnotes.tui.code_runs import CodeRuns
from mlnotes.tui.library_sync import LibrarySync
from mlnotes.tui.note_view import NoteView
from mlnotes.tui.persistence import Persistence
from mlnotes.tui.page import HOME, Page, note_page
from mlnotes.tui.sidebar import Sidebar
from mlnotes.tui.screens import (
    SearchScreen,
    before_screen,
    bookmarks_screen,
    contents_screen,
    help_screen,
    problems_screen,
)

NARROW = 70  # columns below which the sidebar hides itself
RENDER_CACHE = 24
INDEX_DELAY = 0.5  # seconds after start at the latest before the search index is opened


WATCH_EVERY = 2.0  # seconds between looks at the notes folder


def _letters(text: str) -> int:
    """Letters and digits in ``text``: what rewrapping a page keeps, unlike lines and rules."""
    return sum(ch.isalnum() for ch in text)


class NoteCommands(Provider):
    """Command palette: notes by title. A note whose title or slug has a word starting with
    each word typed ranks above one that only matches letter by letter: "psd" finds the
    positive semidefinite note (slug psd-matrices-…) before "Stream Processing & Real-Time
    Data", whose p, s and d merely occur in that order."""

    async def search(self, query: str) -> Hits:
        app: ReaderApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        typed = re.findall(r"\w+", query.lower())
        for note in app.lib.notes:
            fuzzy = matcher.match(note.title)
            words = re.findall(r"\w+", f"{note.title} {note.slug}".lower())
            whole = bool(typed) and all(any(w.startswith(t) for w in words) for t in typed)
            if fuzzy > 0 or whole:
                score = 0.5 * fuzzy + (0.5 if whole else 0.0)
                yield Hit(score, matcher.highlight(note.title), partial(app.open_note, note.slug), help=f"{note.part_title} › {note.module_title}")


def _progress_line(title: str, notes, read: set[str], indent: int, bold: bool = False) -> Text:
    """``title  ██████░░░░  6/10``: read over total, as a bar of ten cells."""
    done = sum(n.slug in read for n in notes)
    total = len(notes)
    filled = round(10 * done / total) if total else 0
    name = title if len(title) <= 40 else title[:39] + "…"
    return Text.assemble(
        " " * indent,
        (f"{name:<{46 - indent}}", "bold" if bold else ""),
        ("█" * filled, "green"),
        ("░" * (10 - filled), "dim"),
        (f"  {done}/{total}\n", "dim"),
    )


# Reaching the end of a note marks it read after this share of its estimated reading time.
READ_FRACTION = 0.25


class ReaderApp(LibrarySync, CodeRuns, Persistence, App):
    CSS_PATH = "styles.tcss"
    TITLE = "mlnotes"
    BINDINGS = to_bindings(APP_KEYS)
    COMMANDS = App.COMMANDS | {NoteCommands}

    def __init__(self, lib: Library, start: Note | None = None, state: ReadingState | None = None) -> None:
        super().__init__()
        self.lib = lib
        self.start = start
        self.state = state if state is not None else ReadingState.for_root(lib.root)
        self.title = lib.title
        self.sub_title = lib.summary
        self._current: Note | None = None
        self._clock = time.monotonic  # replaced in tests
        self._shown_at: float | None = None  # when the current note came on screen
        self._dwell: dict[str, float] = {}  # seconds spent on each note this session
        self._read_timer = None
        self._home_progress: tuple | None = None  # what the cached home page showed
        self._revealed: dict[str, set[int]] = {}  # self-check answers shown, per note, this session
        self._reviews = None  # the review file, opened on first use
        self._review_screen = None  # kept between visits
        self._quitting = False
        self.start_review = False  # open on the review screen (mlnotes review)
        self.page_key: Page | None = None  # what the pane shows
        self.raw_math = False
        self.index = None
        self.index_ready = False
        self._index_started = False
        self._saved_on_exit = False
        self.index_status = "Preparing the search index…"
        self._cache: OrderedDict = OrderedDict()
        self._save_timer = None
        self._save_warned = False
        self._rerender_timer = None  # not _resize_timer: App uses that name for its own
        self._saved_document: tuple | None = None  # (key, document) last written to disk
        self._folder_seen: tuple | None = None  # the notes folder's files at the last look
        self._from_disk: Page | None = None  # the page shown from the saved copy, until re-rendered
        self._landed_early: tuple | None = None  # (cache key, section) of a partial shown from a section
        # Where to land once the note is rendered: (find pattern or None, section anchor or "").
        self._pending_find: tuple[re.Pattern[str] | None, str] | None = None
        self._pending_scroll: float | None = None
        self._keep_place = 0  # letters and digits above the reader's place, for scroll_y=None
        self._outputs: dict[str, dict[int, tuple[str, str]]] = {}  # slug → block → (kind, text)
        self._run: tuple[str, int, object] | None = None  # (slug, block, Run) while code runs
        self._spinner = None
        self._spin = 0
        self.user_keymap, self._keymap_error = load_keymap()  # binding id → keys, from config.toml
        if os.environ.get("NO_COLOR"):
            self.theme = "textual-ansi" if "textual-ansi" in self.available_themes else self.theme

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield Sidebar(self.lib, self.state, id="sidebar")
            with Vertical(id="reader"):
                yield Static("", id="before", classes="-hidden")
                yield NoteView(id="note")
                yield FindBar(id="findbar")
        yield ReaderFooter()

    def on_mount(self) -> None:
        self._listen_for_termination()
        if self.state.notice:
            self.notify(self.state.notice, severity="warning", timeout=8)
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        if self._keymap_error:
            self.notify(self._keymap_error, severity="warning", timeout=8)
        self._apply_width(self.size.width)
        target = self._start_target()
        if target is not None:
            self._show_saved_document(target)  # so the first paint already has the note
        self.call_after_refresh(self._start)  # once the layout has given the pane its width

    def _start_target(self) -> Note | None:
        return self.start or (self.lib.get(self.state.last_note) if self.state.last_note else None)

    def _start(self) -> None:
        _ = self.reviews  # opened here, on the UI thread: a notice about a damaged file can show
        target = self._start_target()
        if target is not None:
            self.open_note(target.slug, scroll_y=None if self.start else self.state.scroll.get(target.slug, 0))
            self.query_one(NoteView).focus()
        else:
            self.show_home()
            self.query_one(Sidebar).focus()
        # Whoosh costs ~100 ms to import: start on the index once the first page is up.
        self.set_timer(INDEX_DELAY, self._start_index)
        self.set_interval(WATCH_EVERY, self._watch_folder)
        if self._from_disk is not None:
            self.set_timer(INDEX_DELAY, self._refresh_from_disk)
        if self.start_review:
            self.action_review()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        if self.page_key is not None:
            self._rerender_soon()

    def on_note_view_resized(self, _message) -> None:
        """The pane changed width on its own (sidebar toggled, Textual's keys panel shown):
        rewrap the page to fit, as for a terminal resize."""
        if self.page_key is not None:
            self._rerender_soon()

    def _apply_width(self, width: int) -> None:
        self.query_one(Sidebar).set_class(width < NARROW, "-narrow")

    # ------------------------------------------------------------------ time on a note

    @property
    def current(self) -> Note | None:
        """The note on screen (None for the home, part and module pages)."""
        return self._current

    @current.setter
    def current(self, note: Note | None) -> None:
        now = self._clock()
        if self._current is not None and self._shown_at is not None:
            slug = self._current.slug
            self._dwell[slug] = self._dwell.get(slug, 0.0) + now - self._shown_at
        self._current = note
        self._shown_at = now if note is not None else None
        self._show_before(note)
        self._header(note.title if note is not None else self.lib.summary)

    def _header(self, text: str) -> None:
        """What the header says under the app's title: the note (and section) being read, so
        it stays in view however far the note is scrolled."""
        self.sub_title = text

    def _section_here(self, levels: tuple[int, ...] = (2,)):
        """The heading being read: the last at or above the top of the pane; at the end of the
        note, the last one in view (a short last section never reaches the top)."""
        view = self.query_one(NoteView)
        y = view.scroll_offset.y
        at_end = view.doc.complete and y >= view.max_scroll_y - 0.5
        limit = y + view.size.height - 1 if at_end else y + 1
        found = [a for a in view.doc.anchors if a.level in levels and a.key != "linked-from" and a.y <= limit]
        return found[-1] if found else None

    def _header_for_scroll(self, note: Note, y: float, at_end: bool) -> None:
        section = self._section_here()
        self._header(f"{note.title} › {section.title}" if section else note.title)

    def _unread_first(self, note: Note) -> list[Note]:
        from mlnotes.prereqs import before

        return before(self.lib, note, self.state.read)

    def _show_before(self, note: Note | None) -> None:
        """The line above a note with unread prerequisites: how many, and the key that lists them."""
        try:
            bar = self.query_one("#before", Static)
        except Exception:  # not composed yet
            return
        first = self._unread_first(note) if note is not None else []
        if first:
            minutes = sum(n.reading_minutes for n in first)
            count = f"{len(first)} unread note{'s' if len(first) != 1 else ''}"
            bar.update(Text.assemble(("Before this: ", "bold"), f"{count}, about {minutes} min", (f"  · press {self.key_name('before')} to see them", "dim")))
        bar.set_class(not first, "-hidden")

    def time_on(self, note: Note) -> float:
        """Seconds spent on ``note`` in this session, the current visit included."""
        spent = self._dwell.get(note.slug, 0.0)
        if note is self._current and self._shown_at is not None:
            spent += self._clock() - self._shown_at
        return spent

    def _reached_end(self, note: Note) -> None:
        """At the end of a note: it counts as read once the learner has spent a share of its
        reading time on it (pressing G on arrival is not reading). Reached too soon, it is
        marked when that time is up, if the end is still on screen."""
        left = READ_FRACTION * 60 * note.reading_minutes - self.time_on(note)
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if left > 0:
            self._read_timer = self.set_timer(left + 0.05, partial(self._read_if_still_at_end, note))
            return
        self.state.mark_read(note.slug)
        self.query_one(Sidebar).refresh_labels(note)
        self._save_state()  # a read mark is the user's progress: save it at once

    def _read_if_still_at_end(self, note: Note) -> None:
        self._read_timer = None
        view = self.query_one(NoteView)
        at_end = view.doc.complete and view.scroll_y >= view.max_scroll_y - 0.5
        if self.current is note and note.slug not in self.state.read and at_end:
            self._reached_end(note)

    # ------------------------------------------------------------------ showing pages

    def show_home(self) -> None:
        self.current = None
        self.page_key = HOME
        # The home page shows progress: a rendering of it is reused only while that is unchanged.
        progress = (frozenset(self.state.read), frozenset(self.state.scroll), self.state.last_note)
        if progress != self._home_progress:
            self._home_progress = progress
            for key in [k for k in self._cache if k[0] == HOME]:
                del self._cache[key]
        self._show_sources(HOME, self._home_sources, scroll_y=0)

    def _home_sources(self):
        lib = self.lib
        read = [n for n in lib.notes if n.slug in self.state.read]
        lines = Text()
        lines.append(lib.title + "\n", style="bold")
        if lib.summary:
            lines.append(lib.summary + "\n", style="italic")
        lines.append(f"\n{len(lib.notes)} notes · {lib.module_count} modules · {len(lib.parts)} parts\n")
        lines.append(f"Read {len(read)} of {len(lib.notes)} notes", style="dim")
        if lib.notes:
            lines.append(f" ({100 * len(read) // len(lib.notes)}%)\n", style="dim")
        due, _tomorrow = self.reviews.counts(set(self.state.read)) if read else (0, 0)
        if due:
            lines.append(f"\nReview: {due} self-check card{'s' if due != 1 else ''} due today", style="bold")
            lines.append(f" · press {self.key_name('review')}\n", style="dim")
        nxt = self.continue_target()
        if nxt is not None:
            lines.append("\nContinue reading: ", style="bold")
            lines.append(nxt.title, style="underline")
            lines.append(f"  ({nxt.part_title} › {nxt.module_title})\n", style="dim")
            lines.append(f"Press {self.key_name('next-note')} to open it.\n", style="dim")
        started = [n for n in lib.notes if n.slug not in self.state.read and self.state.scroll.get(n.slug, 0) > 0]
        if started:
            lines.append("\nStarted, not finished\n", style="bold")
            for n in started[:8]:
                lines.append(f"  {n.title}", style="underline")
                lines.append(f"  {n.part_title} › {n.module_title}\n", style="dim")
            if len(started) > 8:
                lines.append(f"  and {len(started) - 8} more\n", style="dim")
        lines.append("\nWhere you stand\n", style="bold")
        for part in lib.parts:
            lines.append_text(_progress_line(part.title, part.notes, self.state.read, indent=2, bold=True))
            for module in part.modules:
                lines.append_text(_progress_line(module.title, module.notes, self.state.read, indent=4))
        lines.append("\nKeys\n", style="bold")
        for key in APP_KEYS:
            if key.id in ("search", "find", "contents", "next-note", "bookmark", "bookmarks", "toggle-sidebar", "help", "quit"):
                lines.append(f"  {(key.key_display or key.keys.split(',')[0]):>3}  {key.description}\n")
        lines.append("  j/k, space/b, g/G  scroll · l then enter  follow a link · ctrl+p  command palette\n", style="dim")
        yield None, lines
        page = lib.home_page()
        if page.body.strip():
            yield from list(_rendering().page_sources("", "", page.body, self._resolve))[1:]

    def _resolve(self, target: str) -> str | None:
        return self.lib.resolve(target)

    def show_part(self, part: Part) -> None:
        page = self.lib.part_page(part)
        sub = f"Part · {len(part.modules)} modules · {len(part.notes)} notes"
        self.current = None
        self._header(part.title)
        self.page_key = Page("part", part.key)
        body = page.body or page.summary
        self._show_sources(self.page_key, lambda: _rendering().page_sources(page.title, sub, body, self._resolve), scroll_y=0)

    def show_module(self, module: Module) -> None:
        page = self.lib.module_page(module)
        listing = "\n".join(f"{i}. [[{n.slug}]]" for i, n in enumerate(module.notes, 1))
        body = (page.body or page.summary) + ("\n\n## Notes\n\n" + listing if listing else "")
        sub = f"Module · {len(module.notes)} notes"
        self.current = None
        self._header(module.title)
        self.page_key = Page("module", module.key)
        self._show_sources(self.page_key, lambda: _rendering().page_sources(page.title, sub, body, self._resolve), scroll_y=0)

    def open_note(self, slug: str, scroll_y: float | None = 0, record: bool = True, find: tuple | None = None) -> None:
        note = self.lib.get(slug)
        if note is None:
            self.notify(f"No note {slug!r} in this collection.", severity="error")
            return
        self._save_position()
        sidebar = self.query_one(Sidebar)
        sidebar.stop_preview()
        self.current = note
        self.page_key = note_page(slug)
        if record:
            self.state.visit(slug)
        else:
            self.state.open(slug)
        self._pending_find = find
        if scroll_y is None:
            scroll_y = self.state.scroll.get(slug, 0)
        self._show_sources(self.page_key, self._note_sources(note), scroll_y=scroll_y)
        sidebar.follow(self.page_key)
        self._save_soon()

    def _width(self) -> int:
        view = self.query_one(NoteView)
        return max(20, view.scrollable_content_region.width or view.size.width or 80)

    def _show_sources(self, key: Page, sources, scroll_y: float | None) -> None:
        """Show a page at line ``scroll_y``; None keeps the reader's place, counted in letters
        and digits from the top, since the lines change when the page is rewrapped."""
        width = min(self._width(), MAX_WIDTH)
        cache_key = (key, width, self.raw_math, self._answers_shown(key))
        view = self.query_one(NoteView)
        if scroll_y is None:
            self._keep_place = sum(_letters(line) for line in view.text_lines()[: view.scroll_offset.y])
        self._close_find_bar()  # a find belongs to the page it was typed on
        self._pending_scroll = scroll_y
        cached = self._cache.get(cache_key)
        if cached is not None:
            self._cache.move_to_end(cache_key)
            view.show(self._with_outputs(cached), scroll_y=self._landing(cached, scroll_y))
            self._after_render(cached)
            return
        start_at = self._pending_find[1] if self._pending_find is not None and self._pending_find[1] else None
        self.render_worker(cache_key, sources, width, scroll_y, start_at)

    def _landing(self, doc: Rendered, scroll_y: float | None) -> float:
        if scroll_y is not None:
            return scroll_y
        seen = 0
        for y, line in enumerate(doc.lines):
            if seen >= self._keep_place:
                return y
            seen += sum(_letters(seg.text) for seg in line)
        return len(doc.lines)

    @work(thread=True, exclusive=True, group="render")
    def render_worker(self, cache_key, sources, width: int, scroll_y: float | None, start_at: str | None = None) -> None:
        worker = get_current_worker()
        sources = sources()  # built here, off the UI thread

        def first(doc) -> None:
            snapshot = Rendered(doc.width, list(doc.lines), list(doc.anchors), list(doc.links), False, span=doc.span, starts_at=doc.starts_at)
            if not worker.is_cancelled:
                self.call_from_thread(self._show_partial, cache_key, snapshot, scroll_y)

        doc = _rendering().render(sources, width, on_progress=first, cancelled=lambda: worker.is_cancelled, start_at=start_at)
        if worker.is_cancelled or not doc.complete:
            return
        self.call_from_thread(self._rendered, cache_key, doc, scroll_y)

    def _show_partial(self, cache_key, doc, scroll_y: float | None) -> None:
        """Show the first screenful while the rest renders, when that is where the reader
        lands; otherwise the page on screen stays until the whole new one is ready."""
        view = self.query_one(NoteView)
        if doc.starts_at and self._current_key(cache_key):
            # Rendered from the section a search hit lands on: show it now, at the top; the
            # whole note replaces it without moving the text when it is done.
            view.show(doc, scroll_y=0)
            self._landed_early = (cache_key, doc.starts_at)
            self._after_render(doc)
        elif self._current_key(cache_key) and scroll_y is not None and scroll_y + view.size.height <= len(doc.lines):
            view.show(self._with_outputs(doc), scroll_y=scroll_y)

    def _current_key(self, cache_key) -> bool:
        return cache_key[0] == self.page_key and cache_key[2] == self.raw_math and cache_key[3] == self._answers_shown(self.page_key)

    def _rendered(self, cache_key, doc, scroll_y) -> None:
        self._cache[cache_key] = doc
        while len(self._cache) > RENDER_CACHE:
            self._cache.popitem(last=False)
        if not self._current_key(cache_key):
            return
        view = self.query_one(NoteView)
        early, self._landed_early = self._landed_early, None
        anchor = next((a for a in doc.anchors if a.key == early[1]), None) if early and early[0] == cache_key else None
        if anchor is not None and view.doc.starts_at == early[1]:
            view.show(self._with_outputs(doc), scroll_y=anchor.y + view.scroll_offset.y)  # the same text in place
        else:
            view.show(self._with_outputs(doc), scroll_y=self._landing(doc, scroll_y))
        self._pending_scroll = None
        self._after_render(doc)
        self._start_index()

    def _after_render(self, doc) -> None:
        if self._pending_find is not None:
            pattern, key = self._pending_find
            self._pending_find = None
            anchor = next((a for a in doc.anchors if a.key == key), None) if key else None
            view = self.query_one(NoteView)
            if anchor is not None:
                view.scroll_to_line(anchor.y)
            if pattern is not None:
                view.find_pattern(pattern, from_y=anchor.y if anchor else 0)
            self.query_one(FindBar).show_status("")

    def _rerender_soon(self) -> None:
        if self._rerender_timer is not None:
            self._rerender_timer.stop()
        self._rerender_timer = self.set_timer(0.12, self._rerender)

    def _rerender(self) -> None:
        view = self.query_one(NoteView)
        pending = self._pending_scroll
        key = self.page_key
        if key is None:
            return
        width = min(self._width(), MAX_WIDTH)
        if view.doc.width == width:
            return
        if key == HOME:
            self._show_sources(key, self._home_sources, scroll_y=0)
        elif key.is_note and self.current is not None:
            note = self.current
            # Before the first render has landed, keep its target; after, the reader's place.
            self._show_sources(key, self._note_sources(note), scroll_y=pending)
        elif key.kind == "part":
            part = self.lib.part(key.key)
            if part:
                self.show_part(part)
        elif key.kind == "module":
            module = self.lib.module(key.key)
            if module:
                self.show_module(module)

    # ------------------------------------------------------------------ tree

    def on_sidebar_previewed(self, event: Sidebar.Previewed) -> None:
        page = event.page
        if page.is_note and (self.current is None or self.current.slug != page.key):
            self.open_note(page.key, scroll_y=None)
        elif page.kind == "part" and self.page_key != page:
            part = self.lib.part(page.key)
            if part:
                self.show_part(part)
        elif page.kind == "module" and self.page_key != page:
            module = self.lib.module(page.key)
            if module:
                self.show_module(module)

    def on_sidebar_chosen(self, event: Sidebar.Chosen) -> None:
        if self.current is None or self.current.slug != event.page.key:
            self.open_note(event.page.key, scroll_y=None)
        self.query_one(NoteView).focus()

    # ------------------------------------------------------------------ note pane events

    def _note_sources(self, note: Note):
        answers = frozenset(self._revealed.get(note.slug, ()))
        next_key = self.key_name("next-note")
        return lambda: _rendering().note_sources(self.lib, note, self.raw_math, answers, next_key)

    def _answers_shown(self, page_key: Page | None) -> frozenset:
        if page_key is not None and page_key.is_note:
            return frozenset(self._revealed.get(page_key.key, ()))
        return frozenset()

    def reveal_answer(self, number: int) -> None:
        """Show self-check answer ``number`` of the current note, for the rest of the session."""
        note = self.current
        if note is None or number in self._revealed.get(note.slug, ()):
            return
        self._revealed.setdefault(note.slug, set()).add(number)
        self._show_sources(self.page_key, self._note_sources(note), scroll_y=None)

    def action_reveal_answer(self) -> None:
        """Show the first folded answer on screen (else the next one below)."""
        view = self.query_one(NoteView)
        top = view.scroll_offset.y
        folded = [spot for spot in view.doc.links if spot.slug.startswith(REVEAL)]
        spot = next((s for s in folded if s.y >= top), None)
        if spot is None:
            self.notify("No folded answer below this point.", timeout=2)
            return
        self.reveal_answer(int(spot.slug[len(REVEAL):]))

    @on(NoteView.LinkChosen)
    def follow(self, event: NoteView.LinkChosen) -> None:
        """Open a link's note; a ``[[slug#section]]`` link at that section; a folded answer's
        link shows the answer."""
        if event.slug.startswith(REVEAL):
            self.reveal_answer(int(event.slug[len(REVEAL):]))
            return
        slug, _, name = event.slug.partition("#")
        note = self.lib.get(slug)
        section = self.lib.outline(note).section(name) if note is not None and name else None
        if section is not None:
            self.open_note(slug, scroll_y=0, find=(None, section.anchor))
        else:
            self.open_note(slug)

    @on(NoteView.Scrolled)
    def scrolled(self, event: NoteView.Scrolled) -> None:
        note = self.current
        if note is None or self.page_key != note_page(note.slug):
            return
        self.state.set_scroll(note.slug, event.y)
        self._header_for_scroll(note, event.y, event.at_end)
        if event.at_end and note.slug not in self.state.read:
            self._reached_end(note)
        self._save_soon()

    @on(NoteView.FindStatus)
    def find_status(self, event: NoteView.FindStatus) -> None:
        self.query_one(FindBar).show_status(event.text)

    # ------------------------------------------------------------------ find bar

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        self.query_one(NoteView).find(event.text)

    def on_find_bar_next(self, _event: FindBar.Next) -> None:
        self.query_one(NoteView).action_next_match()

    def on_find_bar_leave(self, event: FindBar.Leave) -> None:
        if event.close:
            self._close_find_bar()
        self.query_one(NoteView).focus()

    @on(NoteView.FindCleared)
    def find_cleared(self) -> None:
        self._close_find_bar()

    def _close_find_bar(self) -> None:
        """Clear the find text and its highlights, and hide the bar."""
        self.query_one(FindBar).close()
        self.query_one(NoteView).clear_find()

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        def done(result) -> None:
            if not result:
                return
            hit, query = result
            from mlnotes.snippets import find_pattern, query_terms

            pattern = find_pattern(query_terms(query))
            find = (pattern, hit.anchor) if pattern is not None or hit.anchor else None
            self.open_note(hit.slug, scroll_y=0, find=find)
            self.query_one(NoteView).focus()

        self.push_screen(SearchScreen(), done)

    def action_contents(self) -> None:
        view = self.query_one(NoteView)
        anchors = view.doc.anchors

        def done(choice) -> None:
            if choice is not None:
                view.scroll_to_line(anchors[int(choice)].y)
                view.focus()

        section = self._section_here(levels=tuple(range(1, 7)))
        here = anchors.index(section) if section in anchors else 0
        self.push_screen(contents_screen(anchors, here), done)

    def continue_target(self) -> Note | None:
        """Where "continue reading" leads: the last note open, else the first one not read."""
        last = self.lib.get(self.state.last_note) if self.state.last_note else None
        return last or next((n for n in self.lib.notes if n.slug not in self.state.read), None)

    def action_next_note(self) -> None:
        if self.current is None:
            target = self.continue_target()
        else:
            target = self.lib.neighbour(self.current, +1)
        if target is not None:
            self.open_note(target.slug, scroll_y=None if self.current is None else 0)
            self.query_one(NoteView).focus()
        elif self.current is not None:
            self.notify("This is the last note of the collection.", timeout=3)

    def action_previous_note(self) -> None:
        if self.current is not None:
            target = self.lib.neighbour(self.current, -1)
            if target is not None:
                self.open_note(target.slug, scroll_y=0)
                self.query_one(NoteView).focus()
            else:
                self.notify("This is the first note of the collection.", timeout=3)

    def action_back(self) -> None:
        slug = self.state.back()
        if slug:
            self.open_note(slug, scroll_y=None, record=False)
            self.query_one(NoteView).focus()

    def action_forward(self) -> None:
        slug = self.state.forward()
        if slug:
            self.open_note(slug, scroll_y=None, record=False)
            self.query_one(NoteView).focus()

    def action_bookmark(self) -> None:
        if self.current is None:
            return
        added = self.state.toggle_bookmark(self.current.slug)
        self.query_one(Sidebar).refresh_labels(self.current)
        self.notify(("Bookmarked: " if added else "Bookmark removed: ") + self.current.title, timeout=2)
        self._save_state()

    def action_bookmarks(self) -> None:
        def done(slug) -> None:
            if slug:
                self.open_note(slug, scroll_y=None)
                self.query_one(NoteView).focus()

        self.push_screen(bookmarks_screen(self.lib, self.state.bookmarks, self.key_name("bookmark")), done)

    @property
    def reviews(self):
        """The self-check review file (opened once; a damaged one is set aside, said once)."""
        if self._reviews is None:
            from mlnotes.review import Reviews

            self._reviews = Reviews(self.lib)
            if self._reviews.notice:
                self.notify(self._reviews.notice[0].upper() + self._reviews.notice[1:] + ".", severity="warning", timeout=8)
        return self._reviews

    def action_review(self) -> None:
        """The self-check cards that are due; enter on one opens its note at the self-check."""
        from mlnotes.tui.review_screen import ReviewScreen

        def done(target) -> None:
            if self.page_key == HOME:
                self._home_progress = None  # the count of cards due has changed
                self.show_home()
            if target:
                slug, anchor = target
                self.open_note(slug, scroll_y=0, find=(None, anchor) if anchor else None)
                self.query_one(NoteView).focus()

        if self._review_screen is None:
            # Installed, so popping it keeps its widgets: opening it again composes nothing.
            self._review_screen = ReviewScreen(self.reviews, self.state.read)
            self.install_screen(self._review_screen, name="review")
        self._review_screen.read = self.state.read
        self.push_screen("review", done)

    def action_before(self) -> None:
        """The unread notes to read before this one, in reading order; enter opens one."""
        note = self.current
        if note is None:
            return

        def done(slug) -> None:
            if slug:
                self.open_note(slug)
                self.query_one(NoteView).focus()

        self.push_screen(before_screen(self._unread_first(note), note.title), done)

    def action_toggle_read(self) -> None:
        note = self.current
        if note is None:
            return
        if note.slug in self.state.read:
            self.state.mark_unread(note.slug)
            self.notify("Marked unread: " + note.title, timeout=2)
        else:
            self.state.mark_read(note.slug)
            self.notify("Marked read: " + note.title, timeout=2)
        self.query_one(Sidebar).refresh_labels(note)
        self._save_state()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.set_class(not sidebar.has_class("-hidden"), "-hidden")

    def action_raw_math(self) -> None:
        self.raw_math = not self.raw_math
        self.notify("Math shown as TeX source" if self.raw_math else "Math rendered", timeout=2)
        if self.current is not None:
            note = self.current
            self._show_sources(self.page_key, self._note_sources(note), scroll_y=None)

    def action_home(self) -> None:
        self._save_position()
        self.show_home()

    def action_problems(self) -> None:
        self.push_screen(problems_screen(self.lib.problems))

    def action_help(self) -> None:
        self.push_screen(help_screen(self))

    def key_name(self, key_id: str) -> str:
        """The key of binding ``key_id`` as text names it (as the footer does), the user's
        keymap applied: "press ] to open it"."""
        return self.get_key_display(first_key(key_id, self.user_keymap))

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        for key in APP_KEYS:
            if key.palette and key.id not in ("quit", "help"):
                yield SystemCommand(key.description, f"key: {self.key_name(key.id)}", partial(self.run_action, key.action))

    @on(NoteView.Escaped)
    def escaped(self) -> None:
        if self._run is not None:
            self._run[2].cancel()

    async def action_quit(self) -> None:
        self._quitting = True  # a first index build in its thread stops at the next note
        self._save_on_exit()
        self.exit()

    def on_unmount(self) -> None:
        try:
            self._save_on_exit()
        except Exception:  # widgets may already be gone: keep at least the state
            self.state.save()
        if self.index is not None:
            self.index.close()


def run_reader(lib: Library, start: Note | None = None, review: bool = False) -> int:
    app = ReaderApp(lib, start=start)
    app.start_review = review
    app.run()
    return 0
