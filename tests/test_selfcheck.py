"""The self-check parse the reader's folding (and the study mode's cards) rely on."""

from mlnotes.outline import SELF_CHECK
from mlnotes.selfcheck import REVEAL, fold, questions
from tests.conftest import NOTES

SECTION = """## Self-check

**Q1. First question, with $x^2$?**

*Answer.* One line.

**Q2. A question with no answer yet.**

**Q3. Third?**

*Answer.* First paragraph.

Second paragraph of the same answer.

"""


def test_questions_and_their_answers_are_found():
    found = questions(SECTION)
    assert [q.number for q in found] == [1, 3]  # a question without an answer is skipped
    assert found[0].question == "**Q1. First question, with $x^2$?**"
    assert found[1].answer == "*Answer.* First paragraph.\n\nSecond paragraph of the same answer."


def test_fold_keeps_questions_and_the_answers_asked_for():
    folded = fold(SECTION, {3})
    assert "One line." not in folded and f"[[{REVEAL}1|" in folded
    assert "Second paragraph of the same answer." in folded
    assert "Q2. A question with no answer yet." in folded
    assert "secret" not in fold("**Q1. Q?**\n\n*Answer.* secret\n", link=False) and "(folded)" in fold("**Q1. Q?**\n\n*Answer.* a\n", link=False)


def test_every_shipped_note_has_three_to_five_parsed_questions():
    from mlnotes.library import load_library

    lib = load_library(NOTES)
    for note in lib.notes:
        o = lib.outline(note)
        section = next(s for s in o.sections if s.kind == SELF_CHECK)
        found = questions(o.source(section))
        assert 3 <= len(found) <= 5, (note.slug, len(found))
        assert [q.number for q in found] == list(range(1, len(found) + 1)), note.slug
