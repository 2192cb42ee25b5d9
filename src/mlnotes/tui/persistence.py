"""What the reader keeps across sessions: the reading state (debounced while reading,
at once on quit, on SIGTERM or SIGHUP) and the note on screen, rendered, so the next start
paints it before the Markdown machinery is imported; that copy is then re-rendered in
the background and replaced if it differs."""

from __future__ import annotations

from functools import partial

from textual import work
from textual.worker import get_current_worker

from mlnotes.library import Note
from mlnotes.tui.document import MAX_WIDTH, Rendered, rendering, visible
from mlnotes.tui.note_view import NoteView
from mlnotes.tui.page import Page, note_page
from mlnotes.tui.sidebar import Sidebar

SAVE_DELAY = 1.0


class Persistence:
    """Mixed into :class:`~mlnotes.tui.app.ReaderApp`: saving state and the rendered note."""

    def _save_position(self) -> None:
        if self.current is not None:
            self.state.set_scroll(self.current.slug, self.query_one(NoteView).scroll_offset.y)

    def _save_soon(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_now)

    def _save_now(self) -> None:
        """Reading state, and the note on screen rendered: a reader whose terminal is closed
        instead of quit loses nothing and still starts fast."""
        self._save_state()
        self._save_document(in_thread=True)

    def _save_state(self) -> None:
        """Save the reading memory now (user actions are not debounced); say once, clearly,
        when it cannot be saved."""
        if self.state.save() or self._save_warned:
            return
        self._save_warned = True
        self.notify(
            f"Reading memory cannot be saved ({self.state.save_error}); bookmarks and read marks "
            "of this session will be lost when it ends.",
            severity="error",
            timeout=12,
        )

    def _listen_for_termination(self) -> None:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                loop.add_signal_handler(signum, self._on_terminate)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # no signals here (Windows, or not the main thread, as in tests)

    def _on_terminate(self) -> None:
        """SIGTERM or SIGHUP (the terminal closed): save, then leave as quit does."""
        self._save_on_exit()
        self.exit()

    # The note on screen is kept rendered on disk (a moment after it opens, and at quit), so
    # that the next start, which reopens it, paints it without importing and running the
    # Markdown machinery first.

    @property
    def _document_path(self):
        from mlnotes.paths import cache_dir, collection_key

        return cache_dir() / collection_key(self.lib.root) / "last-note.json"

    def _document_key(self, note: Note, screen_width: int, sidebar: bool) -> dict:
        """What a saved rendering depends on. The pane's width follows from the terminal's
        width and whether the sidebar shows, both known before the first layout."""
        import hashlib

        from mlnotes import __version__
        from mlnotes.prereqs import after
        from mlnotes.tui.document import DOC_FORMAT

        # The rendering shows other notes too: the titles of the notes it links, its
        # backlinks, the next note and the notes built on it, and the key that opens the next.
        following, builds_on = after(self.lib, note)
        titles = lambda notes: [(n.slug, n.title) for n in notes if n is not None]  # noqa: E731
        web = [titles(self.lib.get(link.target) for link in note.links), titles(self.lib.backlinks.get(note.slug, [])),
               titles([following, *builds_on]), titles(self.lib.get(s) for s in note.prerequisites), self.key_name("next-note")]
        digest = hashlib.sha1(repr(web).encode("utf-8")).hexdigest()[:16]
        return {"path": str(note.path), "signature": note.signature, "slug": note.slug, "screen": screen_width,
                "sidebar": sidebar, "version": __version__, "format": DOC_FORMAT, "web": digest}

    def _sidebar_shown(self) -> bool:
        return self.query_one(Sidebar).shown

    def _show_saved_document(self, note: Note) -> None:
        """Show the rendering of ``note`` saved by the last session, if it still fits: this
        runs before the first layout, so a restart paints the note with the window."""
        from mlnotes.tui.document import load_document

        key = self._document_key(note, self.size.width, self._sidebar_shown())
        doc = load_document(self._document_path, key)
        if doc is None:
            return
        # The note becomes current in _start, once the layout has confirmed the width.
        self._cache[(note_page(note.slug), doc.width, False, frozenset())] = doc
        self._saved_document = (key, doc)
        self._from_disk = note_page(note.slug)
        self.query_one(NoteView).show(doc, scroll_y=self.state.scroll.get(note.slug, 0))

    def _refresh_from_disk(self) -> None:
        """The note on screen is the copy saved by the last session: render it afresh, off
        the UI thread, and put the new one in its place if the text differs (a change its key
        cannot see, such as a new way of rendering)."""
        page, self._from_disk = self._from_disk, None
        note = self.current
        if page is None or note is None or self.page_key != page:
            return
        self.refresh_worker(page, self._note_sources(note), min(self._width(), MAX_WIDTH))

    @work(thread=True, exclusive=True, group="refresh")
    def refresh_worker(self, page: Page, sources, width: int) -> None:
        doc = rendering().render(sources(), width, cancelled=lambda: get_current_worker().is_cancelled)
        if doc.complete:
            self.call_from_thread(self._refreshed, page, doc)

    def _refreshed(self, page: Page, doc: Rendered) -> None:
        cache_key = (page, doc.width, False, frozenset())
        old = self._cache.get(cache_key)
        if old is not None and visible(old) == visible(doc):
            return
        self._cache[cache_key] = doc
        view = self.query_one(NoteView)
        if self.page_key == page and not self.raw_math and not self._answers_shown(page) and view.doc is old:
            view.show(self._with_outputs(doc), scroll_y=view.scroll_offset.y)

    def _save_on_exit(self) -> None:
        if self._saved_on_exit:
            return
        self._saved_on_exit = True
        self._save_position()
        self.state.save()
        self._save_document()

    def _save_document(self, in_thread: bool = False) -> None:
        from textual.css.query import NoMatches

        try:
            view = self.query_one(NoteView)
        except NoMatches:  # the save timer fired while the app was closing: nothing on screen
            return
        note = self.current
        if note is None or not view.doc.complete or self.raw_math or self.page_key != note_page(note.slug):
            return
        if self._revealed.get(note.slug):
            return  # the saved rendering is the note as it opens: every answer folded
        key = self._document_key(note, self.size.width, self._sidebar_shown())
        doc = self._cache.get((self.page_key, view.doc.width, False, frozenset()), view.doc)  # without code output
        if self._saved_document is not None and self._saved_document[0] == key and self._saved_document[1] is doc:
            return  # already on disk
        from mlnotes.tui.document import save_document

        self._saved_document = (key, doc)
        if in_thread:  # the longest note takes tens of milliseconds to write
            self.run_worker(partial(save_document, self._document_path, key, doc), thread=True, group="save")
        else:
            save_document(self._document_path, key, doc)
