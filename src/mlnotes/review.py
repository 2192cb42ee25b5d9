"""Spaced review of the self-checks: every question of a note the learner has read is a card.

Scheduling is FSRS, through the maintained ``fsrs`` package (the scheduler Anki ships); this
module only decides which cards exist, keeps their scheduling state on disk and counts what
is due. A card is keyed by its note and question number (``slug#3``), so a reworded question
keeps its history; cards whose note or question is gone are dropped when the file is next
written, and a damaged file is set aside with a notice, like the reading state.

Plain data: no UI. The reader's review screen and ``mlnotes review`` both use it.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mlnotes.library import Library, Note
from mlnotes.outline import SELF_CHECK
from mlnotes.paths import atomic_write, collection_key, state_dir
from mlnotes.selfcheck import Question, questions
from mlnotes.state import _locked

FORMAT = 1
GRADES = {1: "again", 2: "hard", 3: "good", 4: "easy"}
NEW = datetime(1970, 1, 1, tzinfo=timezone.utc)  # a card never graded is due at once


@dataclass
class Card:
    key: str  # "slug#number"
    note: Note
    question: Question
    due: datetime
    reviewed: bool  # graded at least once


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Reviews:
    """The review file of one notes folder, and the cards of the notes read."""

    def __init__(self, lib: Library, path: Path | None = None):
        self.lib = lib
        self.path = path or state_dir() / collection_key(lib.root) / "reviews.json"
        self.notice: str | None = None
        self._stored: dict[str, dict] = self._load()
        self._scheduler = None
        self._questions: dict[str, list[Question]] = {}  # per note slug, parsed once
        self._cards: tuple[frozenset[str], list[Card]] | None = None  # the last read set's cards

    def set_library(self, lib: Library) -> None:
        """The notes folder was loaded again: cards come from the new notes from now on."""
        self.lib = lib
        self._questions.clear()
        self._cards = None

    # ------------------------------------------------------------------ the file

    def _load(self) -> dict[str, dict]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.notice = f"reviews could not be read ({exc.strerror or exc}); starting fresh"
            return {}
        cards = _parse(raw)
        if cards is None:
            aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                shutil.move(str(self.path), aside)
                where = f"; the old file is at {aside}"
            except OSError:
                where = ""
            self.notice = f"the review file was unreadable and has been set aside{where}"
            return {}
        return cards

    def _save(self, key: str, record: dict) -> None:
        """Write one card's new state: merged into the file as it is on disk now, under a
        lock, so another reader's reviews are kept; cards of notes no longer here dropped."""
        with _locked(self.path):
            on_disk = _parse(self.path.read_bytes()) if self.path.exists() else {}
            merged = dict(on_disk or {})
            merged[key] = record
            known = {n.slug for n in self.lib.notes}
            merged = {k: v for k, v in merged.items() if k.partition("#")[0] in known}
            atomic_write(self.path, json.dumps({"format": FORMAT, "cards": merged}, sort_keys=True))
        before = {k: v for k, v in self._stored.items() if k != key and k.partition("#")[0] in known}
        if before != {k: v for k, v in merged.items() if k != key}:
            self._cards = None  # the file brought other changes (another reader's grades): build afresh
        self._stored = merged

    # ------------------------------------------------------------------ cards

    def cards(self, read: set[str]) -> list[Card]:
        """Every card of the read notes, in reading order (unreviewed ones due now). Kept
        between calls for the same read marks, and a grade updates its one card in place."""
        marks = frozenset(read)
        if self._cards is not None and self._cards[0] == marks:
            return list(self._cards[1])
        out = []
        for note in self.lib.notes:
            if note.slug not in read:
                continue
            for q in self._questions_of(note):
                key = f"{note.slug}#{q.number}"
                record = self._stored.get(key)
                due = _due(record) if record else None
                out.append(Card(key, note, q, due or NEW, record is not None))
        self._cards = (marks, out)
        return list(out)

    def _questions_of(self, note: Note) -> list[Question]:
        found = self._questions.get(note.slug)
        if found is None:
            o = self.lib.outline(note)
            section = next((s for s in o.sections if s.kind == SELF_CHECK), None)
            found = questions(o.source(section)) if section is not None else []
            self._questions[note.slug] = found
        return found

    def due(self, read: set[str], until: datetime | None = None, cards: list[Card] | None = None) -> list[Card]:
        """The cards due by ``until`` (now), the most overdue first, then reading order."""
        until = until or _now()
        found = [c for c in (cards if cards is not None else self.cards(read)) if c.due <= until]
        # Cards already in review, most overdue first; then new ones in reading order.
        return sorted(found, key=lambda c: (not c.reviewed, c.due if c.reviewed else until, c.note.index, c.question.number))

    def counts(self, read: set[str], cards: list[Card] | None = None) -> tuple[int, int]:
        """(due by the end of today, due by the end of tomorrow), in local time."""
        local = datetime.now().astimezone()
        # In UTC, as the cards' dates are: comparing datetimes of one time zone is the fast path.
        end_today = local.replace(hour=23, minute=59, second=59, microsecond=0).astimezone(timezone.utc)
        cards = cards if cards is not None else self.cards(read)
        today = sum(c.due <= end_today for c in cards)
        tomorrow = sum(c.due <= end_today + timedelta(days=1) for c in cards)
        return today, tomorrow

    def grade(self, card: Card, grade: int, when: datetime | None = None) -> Card:
        """Record a grade (1 again, 2 hard, 3 good, 4 easy) and return the card rescheduled."""
        import fsrs

        if grade not in GRADES:
            raise ValueError(f"grade must be 1 to 4, not {grade!r}")
        if self._scheduler is None:
            self._scheduler = fsrs.Scheduler(enable_fuzzing=False)
        record = self._stored.get(card.key)
        current = fsrs.Card.from_dict(record) if record else fsrs.Card()
        updated, _log = self._scheduler.review_card(current, fsrs.Rating(grade), review_datetime=when or _now())
        self._save(card.key, updated.to_dict())
        graded = Card(card.key, card.note, card.question, updated.due, True)
        if self._cards is not None:
            self._cards = (self._cards[0], [graded if c.key == card.key else c for c in self._cards[1]])
        return graded


def _due(record: dict) -> datetime | None:
    try:
        due = datetime.fromisoformat(record["due"])
    except (KeyError, TypeError, ValueError):
        return None
    return due if due.tzinfo else due.replace(tzinfo=timezone.utc)


def _parse(raw: bytes) -> dict[str, dict] | None:
    """The cards of a review file, or None when it is not one this version can read. Each
    card record is checked the way fsrs will read it; a bad record makes the file bad."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("cards"), dict):
        return None
    for key, record in data["cards"].items():
        if not (isinstance(key, str) and "#" in key and _valid_record(record)):
            return None
    return data["cards"]


_NUMBER = (int, float)


def _valid_record(record) -> bool:
    """A card as fsrs writes it (``Card.to_dict``): checked here field by field, since building
    800 fsrs cards to validate a file costs more than the review itself."""
    if not isinstance(record, dict) or _due(record) is None:
        return False
    checks = (
        ("card_id", lambda v: isinstance(v, int) and not isinstance(v, bool)),
        ("state", lambda v: v in (1, 2, 3)),
        ("step", lambda v: v is None or (isinstance(v, int) and v >= 0)),
        ("stability", lambda v: v is None or (isinstance(v, _NUMBER) and v == v and v >= 0)),
        ("difficulty", lambda v: v is None or (isinstance(v, _NUMBER) and v == v)),
        ("last_review", lambda v: v is None or isinstance(v, str)),
    )
    return all(name in record and ok(record[name]) for name, ok in checks)
