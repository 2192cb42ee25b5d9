"""The self-check of a note: its numbered questions and their answers.

The note standard writes them as ``**Q1. The question.**`` followed by a paragraph starting
``*Answer.*``, the answer running up to the next question. The reader folds each answer under
its question until the learner asks for it; the study mode's cards are built from the same
parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUESTION = re.compile(r"^\*\*Q(\d+)\.\s")
ANSWER = re.compile(r"^\*Answer\.\*")
# The target of the link a folded answer shows in its place: following it reveals the answer.
REVEAL = "?answer:"


@dataclass(frozen=True)
class Question:
    number: int
    question: str  # the question's Markdown, bold markers included
    answer: str  # the answer's Markdown, from "*Answer.*" on
    answer_lines: tuple[int, int]  # [start, end) lines of the answer within the section


def questions(source: str) -> list[Question]:
    """The questions of a self-check section's Markdown, in order (unnumbered text is skipped)."""
    lines = source.splitlines()
    starts = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := QUESTION.match(line))]
    found = []
    for k, (start, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        answer_at = next((i for i in range(start + 1, end) if ANSWER.match(lines[i])), None)
        if answer_at is None:
            continue
        stop = end
        while stop > answer_at + 1 and not lines[stop - 1].strip():
            stop -= 1
        found.append(
            Question(
                number,
                "\n".join(lines[start:answer_at]).strip(),
                "\n".join(lines[answer_at:stop]).strip(),
                (answer_at, stop),
            )
        )
    return found


def fold(source: str, shown: set[int] | frozenset = frozenset(), link: bool = True) -> str:
    """``source`` with each answer not in ``shown`` replaced by one line: in the reader a link
    that reveals it (``link``), elsewhere a plain mark."""
    lines = source.splitlines()
    for q in reversed(questions(source)):
        if q.number in shown:
            continue
        start, stop = q.answer_lines
        mark = f"[[{REVEAL}{q.number}|press a or click to show it]]" if link else "(folded)"
        lines[start:stop] = [f"*Answer hidden:* {mark}"]
    return "\n".join(lines)
