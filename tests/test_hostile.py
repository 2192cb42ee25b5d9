"""A hostile notes folder: escape sequences and newlines in names, frontmatter that YAML
accepts but cannot build, an alias bomb, an oversized note, deep folders and a name that is
not UTF-8. Everything else loads; no command and no screen lets a raw control byte through."""

from __future__ import annotations

import os
import re
import time

import pytest

from mlnotes.library import MAX_DEPTH, load_library
from tests.conftest import note, write_collection
from tests.conftest import run

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a terminal would act on

BOMB = "---\ntitle: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\ntags: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n---\nBoom.\n"


@pytest.fixture
def hostile(tmp_path):
    root = write_collection(
        tmp_path / "hostile",
        {
            "01-p/01-m/01-good.md": note("Good Note", "good", "A good note about gradients. See [[bad-date]]."),
            "01-p/01-m/02-bad-date.md": "---\ntitle: Bad Date\ndate: 2024-02-30\n---\nGradients on a bad day.\n",
            "01-p/01-m/03-bad-int.md": "---\ntitle: Bad Int\ncount: !!int abc\n---\nBody.\n",
            "01-p/01-m/04-big-int.md": "---\ntitle: Big Int\ncount: " + "9" * 5000 + "\n---\nBody.\n",
            "01-p/01-m/05-\x1b]52;c;UFdORUQ=\x1b\\st.md": "No frontmatter, gradients.\n",
            "01-p/01-m/06-\x1b[2J\x1b[Hclear.md": "Clear screen, gradients.\n",
            "01-p/\x1b]0;PWNTITLE\x07mod/01-x.md": note("Inside", "inside", "In a hostile folder."),
            "01-p/01-m/07-new\nline.md": "Newline in the name.\n",
            "01-p/01-m/08-bomb.md": BOMB,
            "01-p/01-m/09-title.md": "---\ntitle: \"Esc \\e[31m red \\x9b and \\a bell\\nsplit\"\n---\nBody.\n",
        },
    )
    (root / "01-p" / "01-m" / "10-huge.md").write_bytes(b"---\ntitle: Huge\n---\n" + b"word " * (5 * 1024 * 1024 // 5 + 10))
    with open(os.fsencode(str(root / "01-p" / "01-m")) + b"/11-caf\xe9.md", "wb") as fh:
        fh.write(b"Latin-1 name.\n")
    deep = root / "01-p" / "02-deep"
    deep.mkdir(parents=True)
    os.chdir(deep)  # make the deep chain relative to stay under PATH_MAX
    rel = "/".join(["d"] * (MAX_DEPTH + 6))
    os.makedirs(rel)
    (deep / rel / "01-bottom.md").write_text("Bottom.\n")
    os.chdir(tmp_path)
    return root


def test_library_loads_the_rest_and_names_each_problem(hostile):
    started = time.monotonic()
    lib = load_library(hostile)
    assert time.monotonic() - started < 10
    slugs = {n.slug for n in lib.notes}
    assert {"good", "bad-date", "bad-int", "big-int", "inside", "bomb"} <= slugs
    assert "huge" not in slugs
    messages = "\n".join(str(p) for p in lib.problems)
    assert "aliases" in messages and "not loaded" in messages and "nested deeper" in messages
    for n in lib.notes:
        assert not RAW_CONTROL.search(n.title) and "\n" not in n.title, repr(n.title)
        assert not RAW_CONTROL.search(n.slug) and "\n" not in n.slug, repr(n.slug)
        n.title.encode("utf-8")  # no lone surrogates
    for m in (m for p in lib.parts for m in p.modules):
        assert not RAW_CONTROL.search(m.title), repr(m.title)
    assert lib.get("bad-int").title == "Bad Int"


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--json"], ["check"], ["search", "gradients"], ["search", "gradients", "--json"], ["show", "good"], ["index"]],
)
def test_no_command_lets_a_control_byte_through(hostile, args):
    out = run(*args, notes=hostile)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode in (0, 1), (out.returncode, out.stderr)
    for stream in (out.stdout, out.stderr):
        assert not RAW_CONTROL.search(stream), repr(RAW_CONTROL.search(stream))
        stream.encode("utf-8")  # no raw byte that is not UTF-8 (it would come back as a surrogate)


async def test_the_reader_shows_the_hostile_tree_safely(hostile):
    from textual.widgets import Tree

    from mlnotes.tui.app import ReaderApp
    from tests.conftest import SIZE, settle

    lib = load_library(hostile)
    app = ReaderApp(lib, start=lib.get("good"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        tree = app.query_one("#sidebar", Tree)
        tree.root.expand_all()
        await pilot.pause()
        labels = []

        def walk(node):
            labels.append(str(node.label))
            for child in node.children:
                walk(child)

        walk(tree.root)
        assert any("PWNTITLE" in l for l in labels)
        for label in labels:
            assert not RAW_CONTROL.search(label) and "\n" not in label, repr(label)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.is_running


# -- math bombs and deep nesting: linear time or a cap, and a word about what was cut ----------


@pytest.fixture
def bombs(tmp_path):
    matrix = r"\begin{pmatrix}" + r"\\".join("&".join(f"a_{{{i}{j}}}" for j in range(200)) for i in range(200)) + r"\end{pmatrix}"
    return write_collection(
        tmp_path / "bombs",
        {
            "01-p/01-m/01-many.md": note("Many", "many", "Formulas: " + " ".join(f"$x_{{{i}}}$" for i in range(100_000))),
            "01-p/01-m/02-matrix.md": note("Matrix", "matrix", f"A big one:\n\n$${matrix}$$\n\nAfter it."),
            "01-p/01-m/03-deep.md": note("Deep", "deep", "Before.\n\n" + ">" * 30 + " deep text\n\nAfter the quote."),
        },
    )


def test_many_formulas_in_one_paragraph_take_linear_time(bombs):
    from mlnotes.markdown import iter_math

    paragraph = "Formulas: " + " ".join(f"$x_{{{i}}}$" for i in range(100_000))
    started = time.monotonic()
    found = list(iter_math(paragraph))
    assert len(found) == 100_000
    assert time.monotonic() - started < 15  # 1.3 s here; the quadratic line count took 45 s
    out = run("show", "many", notes=bombs)
    assert out.returncode == 0, out.stderr
    assert "x₉₉₉₉₉" in out.stdout


def test_an_oversized_formula_is_shown_as_written_and_reported(bombs):
    started = time.monotonic()
    out = run("show", "matrix", notes=bombs)
    assert out.returncode == 0 and "After it." in out.stdout
    assert r"\begin{pmatrix}" in out.stdout  # as written, not laid out
    assert time.monotonic() - started < 20
    out = run("check", notes=bombs)
    assert "02-matrix.md" in out.stdout and "formula too long" in out.stdout


def test_text_past_the_nesting_limit_is_announced(bombs):
    out = run("show", "deep", notes=bombs)
    assert "nested more than 20 levels deep is not shown" in out.stdout
    assert "After the quote." in out.stdout
    out = run("check", notes=bombs)
    assert "03-deep.md" in out.stdout and "nested more than 20 levels" in out.stdout
