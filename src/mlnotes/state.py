"""Reading memory: last note and scroll, read marks, bookmarks and history.

Kept per notes folder in the user state folder (platformdirs), written atomically. A state
file that cannot be read (corrupt, another format, wrong types) is set aside beside itself
with a notice for the user, never a crash: the reader starts fresh.

Two readers may be open on the same folder. Each remembers what the user did since its last
save (bookmarked, marked read, scrolled) as a list of changes, and a save replays those
changes onto the file as it is on disk now, under a lock: nothing either reader did is lost.
Navigation (history, last note) is the one thing where the last reader to move wins.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mlnotes.paths import atomic_write, collection_key, state_dir

FORMAT = 1
HISTORY_LIMIT = 200
SLUG_LIMIT = 300  # longer strings are not slugs: a damaged or hostile file


class BadStateFile(ValueError):
    """The state file is not a reading state this version can read."""


@dataclass
class Memory:
    """What the state file holds, validated."""

    last_note: str | None = None
    scroll: dict[str, float] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    bookmarks: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    position: int = -1

    @classmethod
    def parse(cls, raw: bytes) -> "Memory":
        """Validate a state file's bytes; raise BadStateFile for anything but a reading state."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise BadStateFile(f"not JSON ({type(exc).__name__})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BadStateFile("unknown format")
        scroll = data.get("scroll", {})  # a missing key is an empty one, as older files wrote them
        read, bookmarks, history = (data.get(k, []) for k in ("read", "bookmarks", "history"))
        if not isinstance(scroll, dict) or not all(isinstance(v, list) for v in (read, bookmarks, history)):
            raise BadStateFile("wrong types")
        memory = cls()
        last = data.get("last_note")
        memory.last_note = last if _is_slug(last) else None
        memory.scroll = {k: float(v) for k, v in scroll.items() if _is_slug(k) and _is_offset(v)}
        memory.read = {s for s in read if _is_slug(s)}
        memory.bookmarks = list(dict.fromkeys(s for s in bookmarks if _is_slug(s)))
        memory.history = [s for s in history if _is_slug(s)][-HISTORY_LIMIT:]
        position = data.get("position")
        if isinstance(position, int) and not isinstance(position, bool):
            memory.position = min(max(position, -1), len(memory.history) - 1)
        else:
            memory.position = len(memory.history) - 1
        return memory

    def dumps(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "last_note": self.last_note,
                "scroll": self.scroll,
                "read": sorted(self.read),
                "bookmarks": self.bookmarks,
                "history": self.history[-HISTORY_LIMIT:],
                "position": self.position,
            },
            ensure_ascii=False,
            indent=1,
        )


def _is_slug(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= SLUG_LIMIT


def _is_offset(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value < 1e9


@dataclass
class ReadingState(Memory):
    path: Path = field(default_factory=Path)
    notice: str | None = None  # set when a bad file was set aside
    save_error: str | None = None  # why the last save failed, None when it worked
    _changes: list[tuple] = field(default_factory=list)
    _moved: bool = False  # navigation changed since the last save

    # ------------------------------------------------------------------ files

    @classmethod
    def for_root(cls, root: Path) -> "ReadingState":
        return cls.load(state_dir() / collection_key(root) / "state.json")

    @classmethod
    def load(cls, path: Path) -> "ReadingState":
        state = cls(path=path)
        memory, state.notice = _read(path)
        if memory is not None:
            state._adopt(memory, navigation=True)
        return state

    def save(self) -> bool:
        """Replay this reader's changes onto the file on disk and write it back atomically.
        Returns whether it worked; ``save_error`` says why not."""
        try:
            with _locked(self.path):
                on_disk, notice = _read(self.path)
                if notice and not self.notice:
                    self.notice = notice
                merged = on_disk or Memory()
                for change in self._changes:
                    _apply(merged, change)
                if self._moved or on_disk is None:
                    merged.last_note, merged.history, merged.position = self.last_note, list(self.history), self.position
                atomic_write(self.path, merged.dumps())
        except OSError as exc:
            self.save_error = f"{exc.strerror or exc}: {exc.filename or self.path.parent}"
            return False
        self.save_error = None
        self._changes.clear()
        self._moved = False
        self._adopt(merged, navigation=False)
        return True

    def _adopt(self, memory: Memory, navigation: bool) -> None:
        self.scroll, self.read, self.bookmarks = dict(memory.scroll), set(memory.read), list(memory.bookmarks)
        if navigation:
            self.last_note, self.history, self.position = memory.last_note, list(memory.history), memory.position

    # ------------------------------------------------------------------ changes

    def _change(self, *change) -> None:
        self._changes.append(change)
        _apply(self, change)

    def set_scroll(self, slug: str, offset: float) -> None:
        if self.scroll.get(slug) != offset:
            self._change("scroll", slug, float(offset))

    def mark_read(self, slug: str) -> None:
        if slug not in self.read:
            self._change("read", slug)

    def mark_unread(self, slug: str) -> None:
        if slug in self.read:
            self._change("unread", slug)

    def toggle_bookmark(self, slug: str) -> bool:
        added = slug not in self.bookmarks
        self._change("bookmark" if added else "unbookmark", slug)
        return added

    # ------------------------------------------------------------------ history

    def open(self, slug: str) -> None:
        """Record ``slug`` as the note on screen without a new history step."""
        self.last_note = slug
        self._moved = True

    def visit(self, slug: str) -> None:
        """Record opening ``slug`` as a new step (drops any forward history)."""
        self.open(slug)
        if 0 <= self.position < len(self.history) and self.history[self.position] == slug:
            return
        del self.history[self.position + 1 :]
        self.history.append(slug)
        if len(self.history) > HISTORY_LIMIT:
            del self.history[: len(self.history) - HISTORY_LIMIT]
        self.position = len(self.history) - 1

    def back(self) -> str | None:
        if self.position > 0:
            self.position -= 1
            self.open(self.history[self.position])
            return self.last_note
        return None

    def forward(self) -> str | None:
        if self.position + 1 < len(self.history):
            self.position += 1
            self.open(self.history[self.position])
            return self.last_note
        return None


def _apply(memory: Memory, change: tuple) -> None:
    kind, slug, *rest = change
    if kind == "scroll":
        memory.scroll[slug] = rest[0]
    elif kind == "read":
        memory.read.add(slug)
    elif kind == "unread":
        memory.read.discard(slug)
    elif kind == "bookmark" and slug not in memory.bookmarks:
        memory.bookmarks.append(slug)
    elif kind == "unbookmark" and slug in memory.bookmarks:
        memory.bookmarks.remove(slug)


def _read(path: Path) -> tuple[Memory | None, str | None]:
    """The memory on disk (None if there is none or it is bad) and a notice for a bad file,
    which is set aside so the next start does not meet it again."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"reading state could not be read ({exc.strerror or exc}); starting fresh"
    try:
        return Memory.parse(raw), None
    except BadStateFile:
        aside = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            shutil.move(str(path), aside)
            where = f"; the old file is at {aside}"
        except OSError:
            where = ""
        return None, f"reading state was unreadable and has been set aside{where}"


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock beside ``path`` while a save reads, merges and writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # Windows: saves are still atomic, only not merged under a lock
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def reset_all() -> None:
    """Forget the reading state of every notes folder."""
    shutil.rmtree(state_dir(), ignore_errors=True)
