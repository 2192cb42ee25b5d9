"""The find bar under the note: a text field and the match count.

It only reports what the reader does (``Changed`` as they type, ``Next`` on enter, ``Leave``
on tab or esc) and shows what it is told (``show_status``); the app passes the text to the
note pane, which does the finding.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class FindBar(Horizontal):
    class Changed(Message):
        """The text to find is now ``text`` (empty: nothing to find)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Next(Message):
        """enter: go to the next match; the bar keeps the focus."""

    class Leave(Message):
        """The reader left the bar for the note: ``close`` (esc) hides it and drops the
        matches; otherwise (tab) the matches stay, for n and N."""

        def __init__(self, close: bool) -> None:
            super().__init__()
            self.close = close

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Find in note", id="find")
        yield Static("", id="find-status")

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        self.display = True
        self.query_one(Input).focus()

    def close(self) -> None:
        """Empty and hide the bar (the app clears the highlights)."""
        self.query_one(Input).value = ""
        self.show_status("")
        self.display = False

    @property
    def has_focus_within(self) -> bool:
        return self.app.focused is self.query_one(Input)

    def show_status(self, text: str) -> None:
        self.query_one("#find-status", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Next())

    def on_key(self, event) -> None:
        if event.key == "escape":
            event.stop()
            self.post_message(self.Leave(close=True))
        elif event.key == "tab":
            event.stop()
            event.prevent_default()
            self.post_message(self.Leave(close=False))
