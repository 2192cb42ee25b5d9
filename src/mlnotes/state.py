"""Reading memory: last note and scroll, read marks, bookmarks and history.

Kept per notes folder in the user state folder (platformdirs), written atomically. A state
file that cannot be read (corrupt, another format) is set aside beside itself with a notice
for the user, never a crash: the reader starts fresh.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from mlnotes.paths import atomic_write, collection_key, state_dir

FORMAT = 1
HISTORY_LIMIT = 200


@dataclass
class ReadingState:
    path: Path
    last_note: str | None = None
    scroll: dict[str, float] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    bookmarks: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    position: int = -1  # index in history of the note on screen
    notice: str | None = None  # set when a bad file was set aside

    # ------------------------------------------------------------------ files

    @classmethod
    def for_root(cls, root: Path) -> "ReadingState":
        return cls.load(state_dir() / collection_key(root) / "state.json")

    @classmethod
    def load(cls, path: Path) -> "ReadingState":
        state = cls(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return state
        except OSError as exc:
            state.notice = f"reading state could not be read ({exc.strerror or exc}); starting fresh"
            return state
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("unknown format")
            state.last_note = data.get("last_note") if isinstance(data.get("last_note"), str) else None
            state.scroll = {str(k): float(v) for k, v in dict(data.get("scroll", {})).items()}
            state.read = {str(s) for s in data.get("read", [])}
            state.bookmarks = [str(s) for s in data.get("bookmarks", [])]
            state.history = [str(s) for s in data.get("history", [])][-HISTORY_LIMIT:]
            state.position = int(data.get("position", len(state.history) - 1))
            state.position = min(max(state.position, -1), len(state.history) - 1)
        except (ValueError, TypeError, AttributeError):
            aside = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                shutil.move(str(path), aside)
                where = f"; the old file is at {aside}"
            except OSError:
                where = ""
            fresh = cls(path)
            fresh.notice = f"reading state was unreadable and has been set aside{where}"
            return fresh
        return state

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "last_note": self.last_note,
            "scroll": self.scroll,
            "read": sorted(self.read),
            "bookmarks": self.bookmarks,
            "history": self.history[-HISTORY_LIMIT:],
            "position": self.position,
        }
        try:
            atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError:
            pass  # losing a scroll position is better than losing the session

    # ------------------------------------------------------------------ history

    def visit(self, slug: str) -> None:
        """Record opening ``slug`` as a new step (drops any forward history)."""
        self.last_note = slug
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
            self.last_note = self.history[self.position]
            return self.last_note
        return None

    def forward(self) -> str | None:
        if self.position + 1 < len(self.history):
            self.position += 1
            self.last_note = self.history[self.position]
            return self.last_note
        return None

    def toggle_bookmark(self, slug: str) -> bool:
        if slug in self.bookmarks:
            self.bookmarks.remove(slug)
            return False
        self.bookmarks.append(slug)
        return True


def reset_all() -> None:
    """Forget the reading state of every notes folder."""
    shutil.rmtree(state_dir(), ignore_errors=True)
