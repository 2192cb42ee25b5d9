"""Prerequisite paths through the real command: what to read first, read marks in list,
and cycles reported by check without hanging anything."""

from __future__ import annotations

import json

from mlnotes.library import load_library
from mlnotes.state import ReadingState
from tests.conftest import note, write_collection
from tests.conftest import run


def chain(tmp_path, cycle: bool = False):
    """a ← b ← c ← d (each needs the one before), e needs b and d, f stands alone; with
    ``cycle`` a also needs d."""
    meta = lambda *p: {"prerequisites": "[" + ", ".join(p) + "]"}  # noqa: E731
    return write_collection(
        tmp_path / "chain",
        {
            "01-p/01-m/01-a.md": note("Alpha", "a", "First.", **meta(*(["d"] if cycle else []))),
            "01-p/01-m/02-b.md": note("Beta", "b", "Second.", **meta("a")),
            "01-p/01-m/03-c.md": note("Gamma", "c", "Third.", **meta("b")),
            "01-p/02-n/01-d.md": note("Delta", "d", "Fourth.", **meta("c")),
            "01-p/02-n/02-e.md": note("Epsilon", "e", "Fifth.", **meta("d", "b")),
            "01-p/02-n/03-f.md": note("Phi", "f", "Alone."),
        },
    )


def mark_read(root, *slugs):
    state = ReadingState.for_root(load_library(root).root)
    for slug in slugs:
        state.mark_read(slug)
    assert state.save()


def test_path_lists_unread_prerequisites_transitively_in_reading_order(tmp_path):
    root = chain(tmp_path)
    out = run("path", "e", notes=root)
    assert out.returncode == 0, out.stderr
    lines = [l for l in out.stdout.splitlines() if l.strip()[:2].rstrip(".").isdigit()]
    assert [l.split()[1] for l in lines] == ["Alpha", "Beta", "Gamma", "Delta"]
    mark_read(root, "a", "c")
    data = json.loads(run("path", "e", "--json", notes=root).stdout)
    assert [r["slug"] for r in data["before"]] == ["b", "d"]
    data = json.loads(run("path", "epsilon", "--all", "--json", notes=root).stdout)
    assert [(r["slug"], r["read"]) for r in data["before"]] == [("a", True), ("b", False), ("c", True), ("d", False)]
    out = run("path", "f", notes=root)
    assert out.returncode == 0 and "Nothing unread to read before Phi" in out.stdout
    out = run("path", "nosuch", notes=root)
    assert out.returncode != 0 and "no note" in out.stderr and "Traceback" not in out.stderr


def test_cycles_are_reported_with_file_and_line_and_never_hang(tmp_path):
    root = chain(tmp_path, cycle=True)
    out = run("check", notes=root)
    assert out.returncode == 1
    line = next(l for l in out.stdout.splitlines() if "prerequisite cycle" in l)
    assert "01-a.md:4:" in line and "a → d → c → b → a (each lists the next" in line, line
    out = run("path", "e", "--json", notes=root, )
    assert out.returncode == 0
    assert [r["slug"] for r in json.loads(out.stdout)["before"]] == ["a", "b", "c", "d"]
    out = run("path", "a", "--json", notes=root)
    assert [r["slug"] for r in json.loads(out.stdout)["before"]] == ["b", "c", "d"]  # never itself


def test_a_long_chain_does_not_hit_the_recursion_limit(tmp_path):
    files = {}
    for i in range(3000):
        prereq = f"prerequisites: [n{i - 1}]" if i else "prerequisites: []"
        files[f"01-p/01-m/{i:04d}-n{i}.md"] = f"---\ntitle: N{i}\nslug: n{i}\n{prereq}\n---\nBody.\n"
    files["01-p/01-m/0000-n0.md"] = "---\ntitle: N0\nslug: n0\nprerequisites: [n2999]\n---\nBody.\n"
    root = write_collection(tmp_path / "long", files)
    from mlnotes import prereqs

    lib = load_library(root)
    assert len(prereqs.before(lib, lib.get("n2999"))) == 2999
    assert len(prereqs.cycles(lib)) == 1


def test_list_shows_read_marks_and_filters_unread(tmp_path):
    root = chain(tmp_path)
    mark_read(root, "a", "e")
    data = json.loads(run("list", "--json", notes=root).stdout)
    assert data["read"] == 2
    notes = [n for p in data["parts"] for m in p["modules"] for n in m["notes"]]
    assert {n["slug"]: n["read"] for n in notes} == {"a": True, "b": False, "c": False, "d": False, "e": True, "f": False}
    data = json.loads(run("list", "--unread", "--json", notes=root).stdout)
    assert [n["slug"] for p in data["parts"] for m in p["modules"] for n in m["notes"]] == ["b", "c", "d", "f"]
    out = run("list", "--unread", notes=root)
    assert "Beta" in out.stdout and "Alpha" not in out.stdout and "2 read" in out.stdout
    out = run("list", notes=root)
    assert "✓" in next(l for l in out.stdout.splitlines() if "Alpha" in l)


def test_piped_list_keeps_one_note_per_line(tmp_path):
    long_title = "A Title Long Enough That An Eighty Column Terminal Would Have To Wrap It Somewhere"
    root = write_collection(tmp_path / "w", {"01-p/01-m/01-x.md": note(long_title, "a-rather-long-slug-for-this-note", "Body.")})
    out = run("list", notes=root)
    line = next(l for l in out.stdout.splitlines() if "A Title Long" in l)
    assert "a-rather-long-slug-for-this-note" in line
    assert all(l == l.rstrip() for l in out.stdout.splitlines())
