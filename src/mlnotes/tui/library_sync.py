"""Keeping the reader current: the notes folder watched for changes, the library reloaded
in the background, and the search index built (first start) or updated (after a change)
in worker threads, so reading never waits for either."""

from __future__ import annotations

import os

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from mlnotes.library import Library
from mlnotes.tui.page import HOME, Page
from mlnotes.tui.screens import SearchScreen
from mlnotes.tui.sidebar import Sidebar


class IndexChanged(Message):
    """The search index's state moved on (progress, ready, or unavailable); posted from the
    build thread, handled on the UI thread."""


class BuildCancelled(Exception):
    """The reader is quitting: the index build stops between two notes."""


def _folder_signature(root) -> tuple:
    """Each Markdown file under ``root`` with its size and modification time."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found.append((path, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


class LibrarySync:
    """Mixed into :class:`~mlnotes.tui.app.ReaderApp`: the folder watch and the search index."""

    def _watch_folder(self) -> None:
        if self.lib.root.is_dir():
            self.watch_worker()

    @work(thread=True, exclusive=True, group="watch")
    def watch_worker(self) -> None:
        """Notice notes added, changed or removed while the reader is open: compare the
        folder's Markdown files (size and modification time) with the last look, and when
        they differ load the library again (unchanged files come from the metadata cache)."""
        from mlnotes.library import LoadError, load_library
        from mlnotes.metacache import MetaCache

        seen = _folder_signature(self.lib.root)
        if self._folder_seen is None or seen == self._folder_seen:
            self._folder_seen = seen
            return
        self._folder_seen = seen
        try:
            lib = load_library(self.lib.root, cache=MetaCache.for_root(self.lib.root))
        except (LoadError, OSError):
            return  # the folder is gone or unreadable for now; the notes on screen stay
        self.call_from_thread(self._library_changed, lib)

    def _library_changed(self, lib: Library) -> None:
        """Put a reloaded library in place: sidebar, pages, reviews and (in the background)
        the search index; the note being read stays on screen at the reader's place."""
        old = {n.slug: n.signature for n in self.lib.notes}
        new = {n.slug: n.signature for n in lib.notes}
        added = len(new.keys() - old.keys())
        removed = len(old.keys() - new.keys())
        changed = sum(1 for slug in new.keys() & old.keys() if new[slug] != old[slug])
        if not (added or removed or changed):
            return
        self.lib = lib
        self._cache.clear()
        self._outputs = {slug: out for slug, out in self._outputs.items() if old.get(slug) == new.get(slug)}
        if self._reviews is not None:
            self._reviews.set_library(lib)
        self.query_one(Sidebar).set_library(lib)
        page, note = self.page_key, self.current
        if note is not None and lib.get(note.slug) is None:
            self.notify(f"{note.title} is no longer in the notes folder.", severity="warning")
            self.show_home()
        elif note is not None:
            self._current = lib.get(note.slug)
            self._show_sources(page, self._note_sources(self._current), scroll_y=None)
        elif page is not None:
            self._show_page_again(page)
        parts = [f"{n} {what}" for n, what in ((added, "added"), (changed, "changed"), (removed, "removed")) if n]
        self.notify("Notes folder: " + ", ".join(parts) + ".", timeout=4)
        if self.index is not None:
            self.update_index_worker()

    def _show_page_again(self, page: Page) -> None:
        if page == HOME:
            self._home_progress = None
            self.show_home()
        elif page.kind == "part" and self.lib.part(page.key):
            self.show_part(self.lib.part(page.key))
        elif page.kind == "module" and self.lib.module(page.key):
            self.show_module(self.lib.module(page.key))
        else:
            self.show_home()

    @work(thread=True, exclusive=True, group="index-update")
    def update_index_worker(self) -> None:
        """The search index brought up to date with the reloaded library; the current one
        answers searches meanwhile (searching takes no lock)."""
        from mlnotes.search import SearchIndex

        index = SearchIndex(self.lib)
        try:
            index.open()
        except Exception:  # noqa: BLE001 - search keeps the index it had
            return
        self.index = index

    # ------------------------------------------------------------------ index

    def _start_index(self) -> None:
        if self.index is None and not self._index_started:
            self._index_started = True
            self.build_index()

    @work(thread=True, exclusive=True, group="index")
    def build_index(self) -> None:
        from mlnotes.search import SearchIndex

        index = SearchIndex(self.lib)
        worker = get_current_worker()

        def progress(done: int, total: int, what: str) -> None:
            # Quitting cancels this worker: stop between two notes. The build discards what
            # it had not committed (never a half index taken as complete) and the next start
            # resumes from the parts it committed.
            if worker.is_cancelled or self._quitting:
                raise BuildCancelled
            if what == "writing":
                self.index_status = f"Writing the search index ({total} notes)…"
            else:
                self.index_status = f"Building the search index… {done}/{total} notes"
            if what == "writing" or done % max(1, total // 50) == 0:
                self.post_message(IndexChanged())  # thread-safe; about fifty a build at most

        try:
            stats = index.open(progress=progress)
        except BuildCancelled:
            return
        except Exception as exc:  # reading goes on without search
            self.index_status = f"Search is unavailable: {exc}"
            self.post_message(IndexChanged())
            return
        self.index = index
        self.index_ready = True
        self.index_status = stats.notice[0].upper() + stats.notice[1:] + "." if stats.notice else ""
        self.post_message(IndexChanged())

    def on_index_changed(self, _message: IndexChanged) -> None:
        if isinstance(self.screen, SearchScreen):
            self.screen.index_changed()
