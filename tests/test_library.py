
import os

import pytest

from mlnotes.library import LoadError, load_library
from mlnotes.metacache import MetaCache
from tests.conftest import note, write_collection


def test_loads_parts_modules_notes_in_order(small):
    lib = load_library(small)
    assert lib.title == "Small Notes"
    assert lib.summary == "A tiny collection for tests."
    assert [p.title for p in lib.parts] == ["Mathematics", "Ml"]
    assert [m.title for m in lib.parts[0].modules] == ["Linear Algebra", "Calculus"]
    assert [n.slug for n in lib.notes] == ["vectors", "matrices", "gradients", "regression", "trees"]
    assert [n.index for n in lib.notes] == [0, 1, 2, 3, 4]
    assert lib.problems == []


def test_note_metadata(small):
    lib = load_library(small)
    m = lib.get("matrices")
    assert m.title == "Matrices"
    assert m.summary == "Matrices as maps."
    assert m.tags == ("algebra", "matrices")
    assert m.prerequisites == ("vectors",)
    assert m.level == "intro"
    assert m.part_title == "Mathematics" and m.module_title == "Linear Algebra"
    assert m.words > 10 and m.reading_minutes == 1


def test_code_and_frontmatter_are_not_counted_as_words(tmp_path):
    prose = "one two three four five six seven eight nine ten"
    code = "\n".join(["```python", "alpha = beta + gamma  # delta epsilon zeta", "```"])
    root = write_collection(tmp_path / "w", {"01-p/01-m/01-a.md": note("Counted", "counted", prose + "\n\n" + code)})
    assert load_library(root).get("counted").words == 10


def test_backlinks_and_links(small):
    lib = load_library(small)
    assert [n.slug for n in lib.backlinks["matrices"]] == ["vectors"]
    assert [n.slug for n in lib.backlinks["vectors"]] == ["matrices"]
    assert [l.target for l in lib.get("trees").links] == ["regression"]


def test_find_and_suggest(small):
    lib = load_library(small)
    assert lib.find("Decision Trees").slug == "trees"
    assert lib.find("decision trees").slug == "trees"
    assert lib.find("trees").slug == "trees"
    assert lib.find("nothing") is None
    # The start of exactly one slug or title is enough; two candidates or two letters are not.
    assert lib.find("vec").slug == "vectors"
    assert lib.find("Decision").slug == "trees"
    lib.notes[1].title = "Vectorised Matrices"  # now "vec" starts two titles
    assert lib.find("vec") is None
    assert lib.find("gr") is None and lib.find("gra").slug == "gradients"
    assert lib.suggest("matrics")[0].slug == "matrices"
    assert lib.neighbour(lib.get("vectors"), 1).slug == "matrices"
    assert lib.neighbour(lib.get("vectors"), -1) is None


def test_bad_input_is_collected_not_raised(tmp_path):
    root = write_collection(
        tmp_path / "bad",
        {
            "a/m/01-good.md": note("Good", "good", "Links to [[nowhere]] and [[dup]]."),
            "a/m/02-yaml.md": "---\ntitle: [unclosed\nslug: yaml\n---\nBody.\n",
            "a/m/03-latin1.md": b"---\ntitle: Latin\n---\n\nCaf\xe9 au lait.\n",
            "a/m/04-dup.md": note("Dup one", "dup", "First."),
            "a/m/05-dup.md": note("Dup two", "dup", "Second."),
            "a/m/06-notclosed.md": "---\ntitle: Open\nno end\n",
            "a/m/07-list.md": "---\n- just\n- a list\n---\nBody\n",
        },
    )
    lib = load_library(root)
    messages = [(p.path.name, p.line, p.message) for p in lib.problems]
    text = "\n".join(f"{a}:{b}: {c}" for a, b, c in messages)
    assert any(n == "01-good.md" and "[[nowhere]]" in m and line == 6 for n, line, m in messages), text
    assert any(n == "02-yaml.md" and "YAML" in m and line >= 2 for n, line, m in messages), text
    assert any(n == "03-latin1.md" and "UTF-8" in m and line == 5 for n, line, m in messages), text
    assert any(n == "05-dup.md" and "duplicate slug" in m for n, _, m in messages), text
    assert any(n == "07-list.md" and "mapping" in m for n, _, m in messages), text
    # every file still loads
    assert len(lib.notes) == 7
    assert lib.get("dup").title == "Dup one" and lib.get("dup-2").title == "Dup two"
    assert "Caf� au lait" in lib.body(lib.find("Latin"))
    assert lib.find("yaml") is not None  # slug from the file name when YAML is broken


def test_unreadable_file_is_a_problem(tmp_path):
    import os

    root = write_collection(tmp_path / "c", {"a/m/01-x.md": note("X", "x", "Body."), "a/m/02-y.md": note("Y", "y", "Body.")})
    secret = root / "a/m/02-y.md"
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as a user that can read any file")
        lib = load_library(root)
        assert [n.slug for n in lib.notes] == ["x"]
        assert any("cannot be read" in p.message for p in lib.problems)
    finally:
        secret.chmod(0o644)


def test_plain_folder_without_frontmatter(tmp_path):
    root = write_collection(tmp_path / "plain", {"topic one/notes.md": "# My Heading\n\nText.\n", "loose.md": "No heading here.\n"})
    lib = load_library(root)
    titles = sorted(n.title for n in lib.notes)
    assert titles == ["Loose", "My Heading"]
    assert lib.find("loose").part_title == "Plain"


def test_missing_or_empty_root(tmp_path):
    with pytest.raises(LoadError):
        load_library(tmp_path / "nope")
    (tmp_path / "file.md").write_text("x")
    with pytest.raises(LoadError):
        load_library(tmp_path / "file.md")
    (tmp_path / "empty").mkdir()
    assert load_library(tmp_path / "empty").notes == []


def test_control_characters_are_made_visible(tmp_path):
    root = write_collection(tmp_path / "evil", {"a/m/01-e.md": note("Evil\x1b[31m", "evil", "Clip \x1b]52;c;ZXZpbA==\x07 and \x9b2J done.")})
    lib = load_library(root)
    n = lib.get("evil")
    body = lib.body(n)
    for text in (n.title, body):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "␛" in body


def test_metadata_cache_keeps_index_pages_and_notices_their_edits(small, tmp_path):
    cache = MetaCache(tmp_path / "meta.json")
    load_library(small, cache=cache)
    assert "01-maths/_index.md" in cache.load()
    page = small / "01-maths/_index.md"
    page.write_text("---\ntitle: Mathematics Renamed\nsummary: New words.\n---\nThe maths part.\n", encoding="utf-8")
    lib = load_library(small, cache=cache)
    assert lib.parts[0].title == "Mathematics Renamed" and lib.parts[0].summary == "New words."
    assert lib.get("vectors").part_title == "Mathematics Renamed"
    # A page's problem is reported again when it comes from the cache.
    page.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    first = [p for p in load_library(small, cache=cache).problems if p.path == page]
    again = [p for p in load_library(small, cache=cache).problems if p.path == page]
    assert first and again == first
    page.unlink()
    assert "01-maths/_index.md" not in (load_library(small, cache=cache), cache.load())[1]


def test_metadata_cache_reuses_unchanged_files(small, tmp_path):
    cache = MetaCache(tmp_path / "meta.json")
    first = load_library(small, cache=cache)
    assert cache.path.exists()
    # Change a note's title behind the cache's back, same size and mtime: the cache answers,
    # so the old title is what loads (with the cache off this would read the new one).
    target = small / "01-maths/01-algebra/01-vectors.md"
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    old = first.get("vectors").title
    swapped = text.replace(f"title: '{old}'", "title: '" + "X" * len(old) + "'", 1)
    assert swapped != text and len(swapped.encode()) == len(text.encode())
    target.write_text(swapped, encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = load_library(small, cache=cache)
    assert [n.slug for n in second.notes] == [n.slug for n in first.notes]
    assert second.get("vectors").title == old
    target.write_text(note("Vectors Renamed", "vectors", "Changed body [[matrices]]."), encoding="utf-8")
    third = load_library(small, cache=cache)
    assert third.get("vectors").title == "Vectors Renamed"
    cache.path.write_text("{not json")
    assert load_library(small, cache=cache).get("vectors").title == "Vectors Renamed"


def test_bodies_and_outlines_are_kept_for_recent_notes_only(tmp_path):
    """A full index build reads every note; the library must not keep them all in memory."""
    from mlnotes.library import RECENT_NOTES

    files = {f"01-p/01-m/{i:03d}-n{i}.md": note(f"Note {i}", f"n{i}", f"Body {i}.\n\n## Part {i}\n\nMore.") for i in range(RECENT_NOTES + 20)}
    lib = load_library(write_collection(tmp_path / "many", files))
    for n in lib.notes:
        assert lib.outline(n).sections[-1].title == f"Part {n.slug[1:]}"
    assert len(lib._bodies) <= RECENT_NOTES and len(lib._outlines) <= RECENT_NOTES
    first = lib.notes[0]
    assert "Body 0." in lib.body(first) and lib.outline(first).sections[-1].title == "Part 0"
