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
    Key("toggle-read", "u", "toggle_read", "Mark read / unread", show=False),
    Key("before", "p", "before", "Notes to read first", show=False),
    Key("reveal-answer", "a", "reveal_answer", "Show the next self-check answer", show=False),
    Key("review", "R", "review", "Review the self-checks that are due", show=False),
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
    Key("scroll-left", "left", "scroll_left", "Scroll left (wide code)", show=False, palette=False),
    Key("scroll-right", "right", "scroll_right", "Scroll right (wide code)", show=False, palette=False),
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


# Keys of the review screen.
REVIEW_KEYS = [
    Key("review-reveal", "space", "reveal", "Show the answer"),
    Key("review-again", "1", "grade(1)", "Again", show=False),
    Key("review-hard", "2", "grade(2)", "Hard", show=False),
    Key("review-good", "3", "grade(3)", "Good", show=False),
    Key("review-easy", "4", "grade(4)", "Easy", show=False),
    Key("review-open", "enter", "open_note", "Open the note"),
    Key("review-close", "escape", "close", "Close"),
]


def first_key(key_id: str, keymap: dict[str, str] | None = None) -> Binding:
    """The first key of binding ``key_id`` with the user's keymap applied, as a Binding to
    name it by (its ``key_display`` kept unless remapped)."""
    key = next(k for k in APP_KEYS + NOTE_KEYS + REVIEW_KEYS if k.id == key_id)
    remapped = (keymap or {}).get(key_id)
    first = (remapped or key.keys).split(",")[0].strip()
    return Binding(first, key.action, key.description, key_display=None if remapped else key.key_display)


def to_bindings(keys: list[Key]) -> list[Binding]:
    return [Binding(k.keys, k.action, k.description, show=k.show, id=k.id, key_display=k.key_display) for k in keys]


MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def _key_names() -> set[str]:
    """Every base key name Textual knows: named keys (with their modifiers stripped) and the
    names of printable characters (``slash``, ``right_square_bracket``)."""
    from textual.keys import Keys, _character_to_key

    names = {k.value.rsplit("+", 1)[-1] for k in Keys if not k.value.startswith("<")}
    names |= {_character_to_key(chr(c)) for c in range(33, 127)}
    return names


def bad_key(key: str, names: set[str]) -> bool:
    *mods, base = key.strip().split("+")
    return not base or not set(mods) <= MODIFIERS or not (base in names or (len(base) == 1 and base.isprintable() and not base.isspace()))


def load_keymap() -> tuple[dict[str, str], str | None]:
    """The user's ``[keys]`` table (binding id → keys) and one message naming whatever was
    ignored in it: an unreadable file, unknown ids, unknown key names, keys taken twice.
    Quitting always stays possible: ctrl+q is Textual's own and cannot be remapped here."""
    path = config_dir() / "config.toml"
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, RecursionError) as exc:  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        return {}, f"config file {path} ignored: {exc}"
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return {}, f"config file {path}: [keys] must be a table of binding id = \"keys\""
    everything = APP_KEYS + NOTE_KEYS
    known = {k.id for k in everything}
    names = _key_names()
    problems: list[str] = []
    unknown = sorted(str(k) for k in set(table) - known)
    if unknown:
        problems.append(f"unknown binding ids {', '.join(unknown)}")
    requested = {str(k): v for k, v in table.items() if k in known}
    for kid, value in list(requested.items()):
        keys = [k.strip() for k in value.split(",")] if isinstance(value, str) else []
        wrong = [k for k in keys if bad_key(k, names)]
        if not keys or wrong:
            problems.append(f"{kid}: unknown key {', '.join(wrong) or repr(value)}")
            del requested[kid]
        else:
            requested[kid] = keys
    # Who holds each key once the remap applies; a remapped key that another binding holds
    # (by default or by remap) is dropped from the remap, and the clash is reported.
    holder = {}
    for k in everything:
        if k.id not in requested:
            for key in k.keys.split(","):
                holder[key] = k.id
    keymap: dict[str, str] = {}
    for kid, keys in requested.items():
        kept = []
        for key in keys:
            if key in holder and holder[key] != kid:
                problems.append(f"{key} is bound to both {holder[key]} and {kid}; kept for {holder[key]}")
            else:
                holder[key] = kid
                kept.append(key)
        if kept:
            keymap[kid] = ",".join(kept)
    message = f"config file {path}: " + "; ".join(problems) if problems else None
    return keymap, message
