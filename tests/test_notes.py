"""The shipped notes: their code runs, their links resolve, their math renders, and each one
meets the note standard."""

from __future__ import annotations

import ast
import re

import pytest

from mlnotes.library import load_library
from mlnotes.runner import Run, note_blocks
from tests.conftest import NOTES, REPO

LIB = load_library(NOTES)
NOTE_IDS = [n.slug for n in LIB.notes]
REQUIRED = ["what textbooks skip", "connections", "self-check", "references"]
CODE_TIMEOUT = 60  # seconds per note, generous for a loaded CI machine


def test_there_are_notes():
    assert len(LIB.notes) >= 1


@pytest.mark.parametrize("slug", NOTE_IDS)
def test_note_code_runs(slug, tmp_path):
    note = LIB.get(slug)
    blocks = note_blocks(LIB, note)
    for block in blocks:
        if not block.run:
            try:
                ast.parse(block.code)
            except SyntaxError as exc:
                pytest.fail(f"{note.path}:{block.line}: no-run block does not parse: {exc}")
    result = Run(blocks, note.path, timeout=CODE_TIMEOUT, cwd=tmp_path).wait()
    failed = result.failure
    detail = failed.error if failed is not None else ""
    assert result.ok, f"{note.path}: {result.summary()}\n{detail[-4000:]}"
    assert len(result.results) == sum(block.run for block in blocks), f"{note.path}: not every block ran"


def test_collection_has_no_problems():
    from mlnotes.cli import collection_problems

    problems = collection_problems(LIB)
    assert not problems, "\n".join(str(p) for p in problems)


def test_every_formula_renders():
    from mlnotes.markdown import iter_math
    from mlnotes.texmath import check

    bad = []
    for note in LIB.notes:
        for line, tex, _ in iter_math(LIB.body(note)):
            error = check(tex)
            if error:
                bad.append(f"{note.path}:{note.body_line + line - 1}: {error}: {tex}")
    assert not bad, "\n".join(bad)


def _curriculum() -> dict[str, tuple[str, str, str]]:
    """slug → (title, part, module) from curriculum.yaml, when the shared folder is beside us."""
    path = REPO.parent / "shared" / "curriculum.yaml"
    if not path.exists():
        return {}
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        n["slug"]: (n["title"], p["title"], m["title"])
        for p in data["parts"]
        for m in p["modules"]
        for n in m["notes"]
    }


CURRICULUM = _curriculum()


def standard_words(body: str) -> int:
    """Words of prose and math as the note standard counts them: code excluded, display math
    dropped, each inline formula one word."""
    from mlnotes.outline import CODE_LINE, FENCE, outline

    o = outline(body)
    prose = "\n".join(line for line, kind in zip(o.lines, o.kinds) if kind not in (CODE_LINE, FENCE))
    prose = re.sub(r"\$\$(.+?)\$\$", " ", prose, flags=re.S)
    prose = re.sub(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$", " x ", prose)
    return len(re.findall(r"[A-Za-z][A-Za-z'\-]*", prose))


@pytest.mark.parametrize("slug", NOTE_IDS)
def test_note_meets_the_standard(slug):
    note = LIB.get(slug)
    where = str(note.path)
    assert note.summary and len(note.summary) <= 200, where
    assert 3 <= len(note.tags) <= 8 and all(t == t.lower() for t in note.tags), where
    assert note.level in ("intro", "intermediate", "advanced"), where
    words = standard_words(LIB.body(note))
    assert 1500 <= words <= 4000, f"{where}: {words} words"
    assert len({l.target for l in note.links}) >= 3, where
    body = LIB.body(note)
    headings = [m.group(1).strip().lower() for m in re.finditer(r"^##\s+(.+)$", body, re.M)]
    positions = []
    for name in REQUIRED:
        found = [i for i, h in enumerate(headings) if h.startswith(name)]
        assert found, f"{where}: no section '{name}'"
        positions.append(found[0])
    assert positions == sorted(positions), f"{where}: required sections out of order"
    assert any(h.startswith("in code") for h in headings), f"{where}: no 'In code' section"
    sections = re.split(r"^##\s+", body, flags=re.M)
    selfcheck = next(s for s in sections if s.lower().startswith("self-check"))
    questions = re.findall(r"^\*\*Q\d+\.", selfcheck, re.M)
    answers = re.findall(r"^\*Answer\.\*", selfcheck, re.M)
    assert 3 <= len(questions) <= 5 and len(answers) == len(questions), where
    refs = next(s for s in sections if s.lower().startswith("references"))
    items = re.findall(r"^(?:[-*]|\d{1,2}[.)])\s+\S", refs, re.M)  # list items, not wrapped lines
    assert 2 <= len(items) <= 6, f"{where}: {len(items)} references"
    if CURRICULUM:
        assert slug in CURRICULUM, f"{where}: slug not in the curriculum"
        title, part, module = CURRICULUM[slug]
        assert (note.title, note.part_title, note.module_title) == (title, part, module), where


def test_collection_tree_matches_the_curriculum():
    assert len(LIB.parts) == 5
    assert LIB.module_count == 26
    for part in LIB.parts:
        assert part.index_path is not None, part.path
        for module in part.modules:
            assert module.index_path is not None, module.path
            words = len(LIB.module_page(module).body.split())
            assert 150 <= words <= 420, f"{module.index_path}: {words} words"
