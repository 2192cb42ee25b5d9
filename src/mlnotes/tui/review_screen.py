"""The review screen: the self-check cards that are due, one at a time.

The question is shown rendered like the note (math included); space shows the answer; 1 to 4
grade it (again, hard, good, easy) and the next due card follows. Enter opens the card's note
at its self-check. Scheduling and storage are :mod:`mlnotes.review`'s; this is only the view.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from mlnotes.review import GRADES, Card, Reviews
from mlnotes.tui.bindings import REVIEW_KEYS, first_key, to_bindings


class ReviewScreen(Screen):
    """Dismissed with (slug, section anchor) to open a card's note, or None.

    A whole screen rather than a modal one: a modal screen redraws the reader, dimmed, behind
    itself at every opening, and that cost more than the cards."""

    BINDINGS = to_bindings(REVIEW_KEYS)

    def __init__(self, reviews: Reviews, read: set[str]) -> None:
        super().__init__()
        self.reviews = reviews
        self.read = read  # the read marks, as a set shared with the reading state
        self.card: Card | None = None
        self.revealed = False
        self.graded = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="box review-box"):
            yield Static("Review", classes="box-title", id="review-title")
            yield Static("", id="review-status")
            with VerticalScroll(id="review-body"):
                yield Static("", id="review-question")
                yield Static("", id="review-answer")
            yield Static("", id="review-keys")

    def on_screen_resume(self) -> None:
        """Shown (again): the screen is kept between visits, so opening it costs no compose."""
        self.graded = 0
        self.next_card()

    # ------------------------------------------------------------------ cards

    def next_card(self) -> None:
        cards = self.reviews.cards(self.read)
        due = self.reviews.due(self.read, cards=cards)
        today, tomorrow = self.reviews.counts(self.read, cards=cards)
        self.card = due[0] if due else None
        self.revealed = False
        done = f" · {self.graded} reviewed" if self.graded else ""
        self.query_one("#review-status", Static).update(
            Text(f"{len(due)} due now · {today} due today · {tomorrow} by tomorrow{done}", style="dim")
        )
        question = self.query_one("#review-question", Static)
        answer = self.query_one("#review-answer", Static)
        answer.update("")
        if self.card is None:
            question.update(Text(self._nothing_due(cards), style="italic"))
            self.query_one("#review-keys", Static).update(Text(f"{self._key('review-close')} close", style="dim"))
            return
        card = self.card
        heading = Text.assemble((card.note.title, "bold"), (f"  ·  question {card.question.number}", "dim"))
        question.update(Group(heading, Text(), self._markdown(card.question.question)))
        keys = f"{self._key('review-reveal')} show the answer · {self._key('review-open')} open the note · {self._key('review-close')} close"
        self.query_one("#review-keys", Static).update(Text(keys, style="dim"))
        self.query_one("#review-body", VerticalScroll).scroll_home(animate=False)

    def _key(self, key_id: str) -> str:
        return self.app.get_key_display(first_key(key_id, getattr(self.app, "user_keymap", None)))

    def _nothing_due(self, cards: list[Card]) -> str:
        if not cards:
            return "No cards yet: each self-check question of a note you have read becomes a card."
        upcoming = min(c.due for c in cards)
        when = upcoming.astimezone().strftime("%a %d %b, %H:%M")
        return f"Nothing due. {len(cards)} cards in review; the next is due {when}."

    def _markdown(self, source: str):
        from mlnotes.markdown import NoteMarkdown

        lib = self.reviews.lib
        return NoteMarkdown(source, resolve_link=lib.resolve)

    # ------------------------------------------------------------------ actions

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        self.query_one("#review-answer", Static).update(Group(Text(), self._markdown(self.card.question.answer)))
        grades = " · ".join(f"{self._key(f'review-{name}')} {name}" for name in GRADES.values())
        keys = f"{grades} · {self._key('review-open')} open the note · {self._key('review-close')} close"
        self.query_one("#review-keys", Static).update(Text(keys, style="dim"))

    def action_grade(self, grade: int) -> None:
        if self.card is None:
            return
        if not self.revealed:
            self.app.notify("Space shows the answer first.", timeout=2)
            return
        try:
            self.reviews.grade(self.card, grade)
        except OSError as exc:
            self.app.notify(f"The review could not be saved: {exc.strerror or exc}", severity="error")
            return
        self.graded += 1
        self.next_card()

    def action_open_note(self) -> None:
        if self.card is None:
            return
        o = self.reviews.lib.outline(self.card.note)
        from mlnotes.outline import SELF_CHECK

        section = next((s for s in o.sections if s.kind == SELF_CHECK), None)
        self.dismiss((self.card.note.slug, section.anchor if section else ""))

    def action_close(self) -> None:
        self.dismiss(None)

