"""What the reader's pane shows: a note, a part's or a module's page, or the home page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    kind: str  # "note", "part", "module" or "home"
    key: str = ""  # the note's slug, the part's or module's key; empty for home

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}" if self.key else self.kind

    @property
    def is_note(self) -> bool:
        return self.kind == "note"


HOME = Page("home")


def note_page(slug: str) -> Page:
    return Page("note", slug)
