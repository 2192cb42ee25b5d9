"""One outline of a note, seen the way a user sees it: through ``mlnotes search``, ``show``
and ``check`` (the real entry point) and through the reader's pilot."""

from __future__ import annotations

import json
import re

import pytest

from mlnotes.library import load_library
from mlnotes.outline import outline
from mlnotes.texmath import to_inline
from mlnotes.tui.app import ReaderApp
from mlnotes.tui.note_view import NoteView
from mlnotes.tui.screens import ListScreen
from tests.conftest import note, write_collection
from tests.conftest import run
from tests.conftest import SIZE, settle, shown

FILLER = "\n\n".join(f"Filler paragraph {i} about nothing in particular, to make the note scroll." for i in range(30))

GD = f"""
Gradient descent follows the slope. See [[psd]] for the matrices. <!-- coverage: zanzibarword -->

An HTML comment starts with `<!--`, and the word ocelot after it is still prose.

{FILLER}

## The `fit` method with $\\theta$

Calling fit updates $\\theta$ by the quasar rule.

## The quadratic, exactly

Gradient descent converges from every starting point if and only if $\\lvert 1 - \\eta\\lambda \\rvert < 1$.
The adjoint identity $AA^* = A^*A$ holds for normal matrices. The covariance follows:

$$
\\begin{{aligned}}
\\hat\\beta &= x, \\\\
\\operatorname{{Cov}}(x) &= \\sigma^2
\\end{{aligned}}
$$

{FILLER}

## What textbooks skip

Every textbook has a point of view on where a run is starting. Every point made here, every
starting condition and every point of failure, is a point worth making: starting over, every
time, from a point.

#### Deep detail

The deep marker word wombat lives here, and why is the wombat deep.

## In code

The numpy version of the update.

```python
def descend(theta, grad):
    # update step: the code says "update" once more than the prose does
    return theta - 0.1 * grad  # spectralword
```

<!-- coverage:
hiddenword
-->
"""

PSD = """
The matrices here are symmetric. The quadratic case is in [[gd#The quadratic, exactly|the quadratic case]],
the method in [[gd#the-fit-method-with-θ]] and the whole story in [[gd]], which explains spectralword fully.

| where | formula |
| --- | --- |
| [[gd\\|descent]] | $\\lvert 1 - \\eta\\lambda \\rvert$ |
"""

CODE_ONLY = """
Some prose about regression.

## In code

```python
import numpy as np
spectralword = np.linalg.svd  # spectralword spectralword
```
"""


@pytest.fixture
def outlined(tmp_path):
    return write_collection(
        tmp_path / "outlined",
        {
            "01-p/01-m/01-gd.md": note("Gradient Descent", "gd", GD),
            "01-p/01-m/02-psd.md": note("PSD Matrices and Quadratic Forms", "psd", PSD),
            "01-p/01-m/03-code.md": note("Least Squares in Code", "code", CODE_ONLY),
        },
    )


def search_json(notes, *query, limit=10):
    out = run("search", *query, "--json", "--limit", str(limit), notes=notes)
    assert "Traceback" not in out.stderr
    return out, (json.loads(out.stdout) if out.stdout.strip() else None)


# -- the outline: titles, anchors, #### sections ---------------------------------------------


def test_a_heading_with_code_and_math_is_titled_as_the_reader_shows_it(outlined):
    out, data = search_json(outlined, "quasar")
    assert out.returncode == 0, out.stderr
    hit = data["results"][0]
    assert hit["slug"] == "gd"
    assert hit["heading"] == "The fit method with θ"  # not "The `fit` method with $\theta$"
    assert hit["anchor"] == "the-fit-method-with-θ"


def test_a_level_four_section_is_a_landing_place(outlined):
    _, data = search_json(outlined, "wombat")
    assert data["results"][0]["heading"] == "Deep detail"


async def test_the_reader_lands_on_a_level_four_section(outlined):
    app = ReaderApp(load_library(outlined))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"wombat")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "wombat")
        await pilot.press("enter")
        view = app.query_one(NoteView)
        await settle(pilot, app, lambda: bool(view.matches))
        await pilot.pause(0.1)
        deep = [a for a in view.doc.anchors if a.title == "Deep detail"]
        assert deep and view.scroll_offset.y == min(deep[0].y, view.max_scroll_y) > 0


# -- HTML comments -----------------------------------------------------------------------------


def test_words_in_html_comments_are_not_found_or_shown(outlined):
    for word in ("zanzibarword", "hiddenword"):
        out, data = search_json(outlined, word)
        assert out.returncode == 1 and data["total"] == 0 and data["results"] == [], word
    _, data = search_json(outlined, "ocelot")  # `<!--` in a code span starts no comment
    assert data["total"] == 1
    out = run("show", "gd", notes=outlined)
    assert out.returncode == 0
    assert "Gradient descent follows the slope" in out.stdout
    assert "zanzibarword" not in out.stdout and "hiddenword" not in out.stdout and "coverage" not in out.stdout


# -- links and mlnotes check -------------------------------------------------------------------


def test_check_accepts_section_links_and_escaped_pipes(outlined):
    out = run("check", notes=outlined)
    assert out.returncode == 0, out.stdout + out.stderr


def test_check_reports_an_unknown_section_with_file_and_line(outlined):
    bad = outlined / "01-p" / "01-m" / "04-bad.md"
    bad.write_text(note("Bad", "bad", "First line.\n\nSee [[gd#No such section]] and [[gd#What textbooks skip]].\n"))
    out = run("check", notes=outlined)
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert any("04-bad.md:8:" in l and "unknown section" in l and "[[gd#No such section]]" in l for l in lines), lines
    assert not any("What textbooks skip" in l for l in lines), lines


# -- faithful snippets -------------------------------------------------------------------------


def test_snippets_keep_the_notes_characters(outlined):
    _, data = search_json(outlined, "adjoint")
    snippet = data["results"][0]["snippet"]
    assert to_inline(r"AA^* = A^*A") in snippet  # the stars survive
    _, data = search_json(outlined, '"every starting point"')
    snippet = data["results"][0]["snippet"].replace("**", "")
    assert "|1 − ηλ| < 1" in snippet and "·" not in snippet
    _, data = search_json(outlined, "covariance")
    assert "β̂ = x, Cov(x) = σ²" in data["results"][0]["snippet"]  # no "x,; Cov"


def test_snippets_show_links_as_the_linked_notes_title(outlined):
    _, data = search_json(outlined, "story")
    snippet = data["results"][0]["snippet"]
    assert "the method in Gradient Descent and the whole story in Gradient Descent" in snippet.replace("**", "")
    assert "gd#" not in snippet and "[[" not in snippet and "descent · |1 − ηλ|" in snippet


def test_snippets_highlight_query_words_only_and_cut_between_words(outlined):
    out = run("search", "why", "is", "the", "wombat", "deep", "--json", notes=outlined)
    snippet = json.loads(out.stdout)["results"][0]["snippet"]
    marked = re.findall(r"\*\*(.+?)\*\*", snippet)
    assert marked and set(w.lower() for w in marked) <= {"why", "wombat", "deep"}, marked
    # Every word of a snippet is a whole word of the note.
    _, data = search_json(outlined, "filler", "particular")
    words = set(re.findall(r"\w+", GD + FILLER + "PSD Matrices and Quadratic Forms"))
    for result in data["results"]:
        for word in re.findall(r"\w+", result["snippet"].replace("**", "")):
            assert word in words, (word, result["snippet"])


def test_a_phrase_lands_on_the_section_that_holds_it(outlined):
    # "What textbooks skip" has every word of the phrase more often, but not the phrase.
    _, data = search_json(outlined, '"every starting point"')
    hit = data["results"][0]
    assert hit["heading"] == "The quadratic, exactly"
    assert "every starting point" in hit["snippet"].replace("**", "").lower()


# -- ranking that prefers explanation ----------------------------------------------------------


def test_a_hit_in_prose_outranks_the_same_hit_in_code(outlined):
    _, data = search_json(outlined, "spectralword")
    slugs = [r["slug"] for r in data["results"]]
    assert slugs.index("psd") < slugs.index("code")  # prose beats code, even said three times
    by_slug = {r["slug"]: r for r in data["results"]}
    assert by_slug["gd"]["heading"] == "In code"  # only there: In code is the place
    assert by_slug["code"]["heading"] == "In code"


def test_in_code_is_the_landing_place_only_when_the_match_is_only_there(outlined):
    _, data = search_json(outlined, "update")  # in the prose of "The fit..." and of "In code"
    gd = next(r for r in data["results"] if r["slug"] == "gd")
    assert gd["heading"] == "The fit method with θ"


# -- true totals -------------------------------------------------------------------------------


@pytest.fixture
def many(tmp_path):
    files = {
        f"01-p/01-m/{i:02d}-n{i}.md": note(f"Note {i}", f"n{i}", f"Common ground number {i}, {'alpha' if i % 2 else 'beta'}.")
        for i in range(1, 26)
    }
    return write_collection(tmp_path / "many", files)


def test_totals_count_every_matching_note_whatever_the_limit(many):
    for limit in (2, 10, 50):
        _, data = search_json(many, "alpha", "beta", limit=limit)  # 13 notes say alpha, 12 beta
        assert data["total"] == 25, limit
        assert len(data["results"]) == min(limit, 25)
    out = run("search", "alpha", "beta", "--limit", "2", notes=many, env={"NO_COLOR": "1"})
    assert "25 notes match · the best 2 shown" in out.stdout


async def test_the_reader_counts_every_matching_note(many):
    app = ReaderApp(load_library(many))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"alpha beta")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "alpha beta")
        status = str(screen.query_one("#search-status").render())
        assert status.startswith("25 notes"), status
        assert len(screen._hits) == 20


# -- the reader ---------------------------------------------------------------------------------


async def test_reader_contents_and_search_use_the_outline_titles(outlined):
    lib = load_library(outlined)
    app = ReaderApp(lib, start=lib.get("gd"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        assert "zanzibarword" not in shown(app) and "hiddenword" not in shown(app)
        await pilot.press("t")
        assert isinstance(app.screen, ListScreen)
        titles = [str(app.screen.query_one("OptionList").get_option_at_index(i).prompt).strip()
                  for i in range(app.screen.query_one("OptionList").option_count)]
        assert "The fit method with θ" in titles and "Deep detail" in titles, titles
        assert not any("$" in t or "`" in t for t in titles), titles
        await pilot.press("escape")
        await pilot.press("slash", *"quasar")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "quasar")
        await pilot.press("enter")
        view = app.query_one(NoteView)
        await settle(pilot, app, lambda: bool(view.matches))
        await pilot.pause(0.1)
        anchor = next(a for a in view.doc.anchors if a.key == "the-fit-method-with-θ")
        assert view.scroll_offset.y == min(anchor.y, view.max_scroll_y) > 0


async def test_reader_follows_a_link_to_its_section(outlined):
    lib = load_library(outlined)
    app = ReaderApp(lib, start=lib.get("psd"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        assert view.doc.links[0].slug == "gd#The quadratic, exactly"
        link = next(seg for line in view.doc.lines for seg in line
                    if seg.style and seg.style.meta.get("wikilink") == "gd#The quadratic, exactly")
        assert "d77f7f" not in str(link.style)  # drawn as a link, not as a broken one
        await pilot.press("l")
        assert view.focused_link == "gd#The quadratic, exactly"
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.current.slug == "gd")
        await pilot.pause(0.1)
        anchor = next(a for a in view.doc.anchors if a.key == "the-quadratic-exactly")
        assert view.scroll_offset.y == min(anchor.y, view.max_scroll_y) > 0
        assert "every starting point" in view.text_lines()[view.scroll_offset.y + 2]


# -- the outline and the renderer's tokenizer agree ----------------------------------------------


def test_the_outline_reads_formulas_and_code_blocks_as_the_renderer_does():
    """Formulas and code blocks of every shipped note, as the outline gives them, are those
    the reader's Markdown tokenizer finds (same line, same TeX, same info string and code)."""
    from mlnotes.markdown import iter_math, make_parser
    from tests.conftest import NOTES

    lib = load_library(NOTES)
    parser = make_parser()
    for n in lib.notes:
        o = lib.outline(n)
        formulas = [(f.line + 1, " ".join(f.tex.split()), f.display) for f in o.formulas]
        assert formulas == [(line, " ".join(tex.split()), d) for line, tex, d in iter_math(o.text)], n.path
        fences = [(t.info.strip(), t.content, t.map[0]) for t in parser.parse(o.text) if t.type == "fence"]
        assert [(b.info, b.content, b.line) for b in o.code_blocks] == fences, n.path
        assert all(b.language for b in o.code_blocks), n.path


@pytest.mark.parametrize(
    "source",
    [
        "Some text\n$$\nx = 1\n$$\nmore\n",  # $$ cannot interrupt a paragraph: inline
        "1. item text\n$$\nx = 1\n$$\n",  # lazy continuation of a list item
        "1. item text\n   $$\n   x = 1\n   $$\n",
        "Some text\n\n$$\nx = 1\n$$\n",  # a display formula
        "1. item text\n\n   $$\n   x = 1\n   $$\n",  # a display formula inside the item
        "# H\n$$\nx = 1\n$$\n",
        "$$\na\n$$\n$$\nb\n$$\n",
    ],
)
def test_display_or_inline_as_the_renderer_decides(source):
    from mlnotes.markdown import iter_math

    drawn = [(line - 1, " ".join(tex.split()), display) for line, tex, display in iter_math(source)]
    assert [(f.line, " ".join(f.tex.split()), f.display) for f in outline(source).formulas] == drawn


def test_check_warns_when_a_display_formula_would_be_drawn_inline():
    from mlnotes.markdown import math_problems

    problems = math_problems("Some text\n$$\nx = 1\n$$\n")
    assert problems and problems[0][0] == 2 and "blank line" in problems[0][1]
    assert math_problems("Some text\n\n$$\nx = 1\n$$\n") == []
