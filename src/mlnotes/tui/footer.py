"""The reader's footer: Textual's, rebuilt only while its screen is the one on show.

Textual's footer rebuilds its keys whenever its screen's bindings change, and pushing another
screen over the reader changes them (focus leaves the reader), so every opening of the review
or search screen rebuilt a footer nobody could see. This one waits: it is rebuilt when its
screen is shown again, which changes the bindings once more.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class ReaderFooter(Footer):
    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and self.screen is not self.app.screen:
            self._bindings_ready = True
            return
        super().bindings_changed(screen)
