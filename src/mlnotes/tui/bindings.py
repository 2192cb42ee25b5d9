"""Every key of the reader, declared once: id, keys, action, description.

The footer, the ``?`` help screen and the command palette are all generated from these
tables, and a user keymap (``[keys]`` in the config file) remaps any binding by its id.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from textual.binding import Binding

from mlnotes.paths import config_dir


@dataclass(frozen=True)
class Key:
    id: str
    keys: str
    action: str
    description: str
    show: bool = True  # in the footer
    palette: bool = True  # in the command palette
    key_display: str | None = None


# Keys that work anywhere in the reader (on the main screen).
APP_KEYS = [
    Key("search", "slash", "search", "Search", key_display="/"),
    Key("find", "f,ctrl+f", "find", "Find in note"),
    Key("contents", "t", "contents", "Contents"),
    Key("next-note", "right_square_bracket", "next_note", "Next note", show=False, key_display="]"),
    Key("previous-note", "left_square_bracket", "previous_note", "Previous note", show=False, key_display="["),
    Key("back", "backspace,alt+left", "back", "Back", show=False),
    Key("forward", "alt+right", "forward", "Forward", show=False),
    Key("bookmark", "m", "bookmark", "Bookmark", show=False),
    Key("bookmarks", "B", "bookmarks", "Bookmarks", show=False),
    Key("mark-unread", "u", "mark_unread", "Mark unread", show=False),
    Key("toggle-sidebar", "s", "toggle_sidebar", "Sidebar", show=False),
    Key("raw-math", "r", "raw_math", "Raw TeX", show=False),
    Key("run-code", "x", "run_code", "Run code block", show=False),
    Key("home", "h", "home", "Home", show=False),
    Key("problems", "exclamation_mark", "problems", "Problems", show=False, key_display="!"),
    Key("help", "question_mark", "help", "Keys", key_display="?"),
    Key("quit", "q", "quit", "Quit"),
]

# Keys of the note pane (active while it has focus).
NOTE_KEYS = [
    Key("scroll-down", "j,down", "scroll_down", "Scroll down", show=False, palette=False),
    Key("scroll-up", "k,up", "scroll_up", "Scroll up", show=False, palette=False),
    Key("page-down", "space,pagedown", "page_down", "Page down", show=False, palette=False),
    Key("page-up", "b,pageup", "page_up", "Page up", show=False, palette=False),
    Key("top", "g,home", "scroll_home", "Top", show=False, palette=False),
    Key("bottom", "G,end", "scroll_end", "Bottom", show=False, palette=False),
    Key("next-match", "n", "next_match", "Next match", show=False, palette=False),
    Key("previous-match", "N", "previous_match", "Previous match", show=False, palette=False),
    Key("next-link", "l", "next_link", "Next link", palette=False),
    Key("previous-link", "L", "previous_link", "Previous link", show=False, palette=False),
    Key("follow-link", "enter", "follow_link", "Follow link", show=False, palette=False),
    Key("next-link-or-pane", "tab", "tab_link", "Next link, then next pane", show=False, palette=False),
    Key("previous-link-or-pane", "shift+tab", "tab_link_back", "Previous link, then previous pane", show=False, palette=False),
    Key("clear", "escape", "clear", "Clear find", show=False, palette=False),
]


def to_bindings(keys: list[Key]) -> list[Binding]:
    return [Binding(k.keys, k.action, k.description, show=k.show, id=k.id, key_display=k.key_display) for k in keys]


def load_keymap() -> tuple[dict[str, str], str | None]:
    """The user's ``[keys]`` table (binding id → keys) and an error message, if any."""
    path = config_dir() / "config.toml"
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}, None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return {}, f"config file {path} ignored: {exc}"
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return {}, f"config file {path}: [keys] must be a table of binding id = \"keys\""
    known = {k.id for k in APP_KEYS + NOTE_KEYS}
    keymap = {str(k): str(v) for k, v in table.items() if k in known and isinstance(v, str)}
    unknown = sorted(set(table) - known)
    message = f"config file {path}: unknown binding ids {', '.join(unknown)}" if unknown else None
    return keymap, message
