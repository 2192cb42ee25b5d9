"""Plot blocks: the shipped figures draw at every width, and hostile specs give a notice."""

from __future__ import annotations

import io
import re
import time

import pytest
from rich.console import Console

from mlnotes import figures
from mlnotes.library import load_library
from mlnotes.markdown import NOTE_THEME, NoteMarkdown, figure_problems, make_parser
from tests.conftest import NOTES

SIGMOID = """\
title: Sigmoid and its derivative
x: [-6, 6]
series:
  - label: σ(x)
    y: 1/(1+exp(-x))
  - label: σ'(x)
    y: exp(-x)/(1+exp(-x))**2
"""


def shipped_figures() -> list[tuple[str, int, str]]:
    lib = load_library(NOTES)
    found = []
    for note in lib.notes:
        for token in make_parser().parse(lib.body(note)):
            if token.type == "fence" and token.info.strip().lower().startswith("plot"):
                found.append((note.slug, note.body_line + token.map[0], token.content))
    return found


SHIPPED = shipped_figures()


def render(source: str, width: int, color: bool = True, raw: bool = False) -> list[str]:
    console = Console(
        file=io.StringIO(), width=width, theme=NOTE_THEME, color_system="truecolor" if color else None,
        force_terminal=color, legacy_windows=False,
    )
    lines = console.render_lines(NoteMarkdown(source, raw_math=raw), console.options.update(height=None), pad=False)
    return ["".join(seg.text for seg in line).rstrip() for line in lines]


@pytest.mark.parametrize("slug,line,spec", SHIPPED, ids=[f"{s}:{l}" for s, l, _ in SHIPPED])
def test_every_shipped_figure_draws_at_40_80_120(slug, line, spec):
    fig = figures.parse(spec)
    for width in (40, 80, 120):
        for color in (True, False):
            lines = render(f"```plot\n{spec}```\n", width, color)
            text = "\n".join(lines)
            assert "figure not shown" not in text, f"{slug}:{line}: {text}"
            assert all(len(l) <= width for l in lines), f"{slug}:{line} wider than {width}"
            assert "┤" in text and "└" in text, f"{slug}:{line}: no chart at {width}"
            flat = " ".join(text.split())  # a long label wraps onto a second line
            for series in fig.series:  # the legend names every series
                assert series.label in flat, f"{slug}:{line}: {series.label!r} missing at {width}"


def test_a_figure_is_a_chart_with_a_legend_and_each_series_drawn():
    plain = "\n".join(render(f"```plot\n{SIGMOID}```\n", 80, color=False))
    assert "Sigmoid and its derivative" in plain
    assert "•• σ(x)" in plain and "++ σ'(x)" in plain  # one character per series without colour
    assert plain.count("•") > 20 and plain.count("+") > 20
    assert re.search(r"^0\.2┤", plain, re.M) and re.search(r"^0\.8┤", plain, re.M)  # σ runs from 0 to 1
    coloured = render(f"```plot\n{SIGMOID}```\n", 80, color=True)
    assert any(ch in "\n".join(coloured) for ch in "⠁⠂⠄⡀⣀⠤")  # braille dots when there is colour


def test_sample_values_match_the_functions():
    fig = figures.parse(SIGMOID)
    (_, sigma), (_, slope) = fig.data(5)
    assert [round(y, 4) for _, y in sigma[0]] == [0.0025, 0.0474, 0.5, 0.9526, 0.9975]
    assert max(y for _, y in slope[0]) == pytest.approx(0.25)


def test_a_narrow_pane_gets_a_table_of_values():
    lines = render(f"```plot\n{SIGMOID}```\n", 24, color=False)
    text = "\n".join(lines)
    assert "σ(x):" in text and "0 → 0.5" in text and "0 → 0.25" in text
    assert all(len(l) <= 24 for l in lines)


def test_raw_view_shows_the_spec():
    text = "\n".join(render(f"```plot\n{SIGMOID}```\n", 80, raw=True))
    assert "y: 1/(1+exp(-x))" in text and "┤" not in text


def test_log_scale_labels_powers_of_ten():
    spec = "x: [0, 100]\nyscale: log\nseries:\n  - label: error\n    y: 0.5**x\n"
    text = "\n".join(render(f"```plot\n{spec}```\n", 80, color=False))
    assert "1e-30┤" in text or "1e-24┤" in text, text
    assert "0.0000000" not in text


def test_gaps_where_the_function_is_undefined():
    fig = figures.parse("x: [-2, 2]\nseries:\n  - y: log(x)\n")
    (_, runs), = fig.data(41)
    assert runs and all(x > 0 for run in runs for x, _ in run)
    fig = figures.parse("x: [-1, 1]\nseries:\n  - y: 1/x\n")
    (_, runs), = fig.data(21)  # x = 0 is a gap: two runs
    assert len(runs) == 2


HOSTILE = {
    "unknown name": ("x: [0, 1]\nseries:\n  - y: foo + x\n", "unknown name 'foo'"),
    "unknown function": ("x: [0, 1]\nseries:\n  - y: system(x)\n", 'only the math functions'),
    "__import__": ("x: [0, 1]\nseries:\n  - y: __import__('pathlib').Path('hacked').touch()\n", 'only the math functions'),
    "attribute": ("x: [0, 1]\nseries:\n  - y: x.__class__\n", 'attribute is not allowed'),
    "dunder name": ("x: [0, 1]\nseries:\n  - y: __builtins__\n", 'unknown name'),
    "subscript": ("x: [0, 1]\nseries:\n  - y: x[0]\n", 'subscript is not allowed'),
    "comprehension": ("x: [0, 1]\nseries:\n  - y: '[c for c in (1, 2)]'\n", 'is not allowed'),
    "lambda": ("x: [0, 1]\nseries:\n  - y: '(lambda: 1)()'\n", 'only the math functions'),
    "string": ("x: [0, 1]\nseries:\n  - y: \"'a' * 1000000000\"\n", 'only numbers'),
    "keyword call": ("x: [0, 1]\nseries:\n  - y: max(x, key=abs)\n", 'only the math functions'),
    "function not called": ("x: [0, 1]\nseries:\n  - y: exp\n", 'is a function'),
    "huge range": ("x: [-1.0e300, 1.0e300]\nseries:\n  - y: x\n", 'below 1e100'),
    "infinite range": ("x: [0, .inf]\nseries:\n  - y: x\n", 'finite'),
    "reversed range": ("x: [1, 0]\nseries:\n  - y: x\n", 'lo < hi'),
    "log range below zero": ("x: [-1, 10]\nxscale: log\nseries:\n  - y: x\n", 'above 0'),
    "NaN points": ("x: [0, 1]\nseries:\n  - points: [[0, .nan], [1, .nan]]\n", 'finite'),
    "inf points": ("x: [0, 1]\nseries:\n  - points: [[0, .inf], [1, -.inf]]\n", 'finite'),
    "all NaN": ("x: [0, 1]\nseries:\n  - y: log(-1 - x)\n", 'nothing to draw'),
    "overflow": ("x: [0, 1]\nseries:\n  - y: 1.0e308 * 1.0e308 + x\n", 'nothing to draw'),
    "tower of powers": ("x: [0, 1]\nseries:\n  - y: 9**9**9**9\n", 'nothing to draw'),
    "big integer power": ("x: [0, 1]\nseries:\n  - y: (2**3999999)**(2**20)\n", 'nothing to draw'),
    "empty series": ("x: [0, 1]\nseries: []\n", 'needs series'),
    "no series": ("x: [0, 1]\n", 'needs series'),
    "no x": ("series:\n  - y: x\n", 'needs x'),
    "bad YAML": ("x: [0, 1\nseries: {\n", 'not valid YAML'),
    "YAML tag": ("x: !!python/object/apply:os.system ['touch hacked']\nseries:\n  - y: x\n", 'not valid YAML'),
    "not a mapping": ("- just\n- a list\n", 'must be a mapping'),
    "unknown key": ("x: [0, 1]\ncolour: red\nseries:\n  - y: x\n", "unknown key 'colour'"),
    "unknown series key": ("x: [0, 1]\nseries:\n  - y: x\n    style: dots\n", "unknown key 'style'"),
    "wrong type": ("x: [0, 1]\ntitle: [1, 2]\nseries:\n  - y: x\n", 'title must be text'),
    "y and points": ("x: [0, 1]\nseries:\n  - y: x\n    points: [[0, 0]]\n", 'either y'),
    "bad point": ("x: [0, 1]\nseries:\n  - points: [[0, 1, 2]]\n", 'each point'),
    "too many points": ("x: [0, 1]\nseries:\n  - points: [" + ", ".join("[0, 0]" for _ in range(600)) + "]\n", 'at most 500'),
    "10^7 points": ("x: [0, 1]\nseries:\n  - points: [" + "[0, 0], " * 10_000_000 + "]\n", 'characters'),
    "long expression": ("x: [0, 1]\nseries:\n  - y: " + "+".join(["x"] * 400) + "\n", 'longer than'),
    "deep nesting": ("x: [0, 1]\nseries:\n  - y: " + "(" * 200 + "x" + ")" * 200 + "\n", ''),
    "YAML bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        "unknown key 'a'",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_specs_give_a_one_line_notice(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec, expected = HOSTILE[name]
    start = time.perf_counter()
    message = figures.problem(spec)
    assert time.perf_counter() - start < 2, name  # refused or evaluated quickly, never a hang
    assert message and "\n" not in message, name
    assert expected in message, message
    lines = render(f"Before.\n\n```plot\n{spec}```\n\nAfter.\n", 80, color=False)
    text = " ".join(lines)
    assert "figure not shown:" in text and "Before." in text and "After." in text, text[:300]
    assert not (tmp_path / "hacked").exists()


def test_check_reports_a_broken_figure_with_its_line():
    source = "Text.\n\n```plot\nx: [0, 1]\nseries:\n  - y: open(x)\n```\n"
    (line, message), = figure_problems(source)
    assert line == 3 and "only the math functions can be called" in message


def test_figure_render_is_quick_at_120_columns():
    fig = figures.parse(SIGMOID)
    figures.draw(fig, 120)  # imports
    start = time.perf_counter()
    for _ in range(5):
        figures.draw(fig, 120)
    assert (time.perf_counter() - start) / 5 < 0.1  # 30 ms target, measured in the benchmark


def test_the_shipped_notes_have_figures():
    assert len({slug for slug, _, _ in SHIPPED}) >= 8


# (note, start of a series label, x, value the note's prose or code gives, relative tolerance)
PROSE = [
    ("linear-and-logistic-regression", "σ(z)", 0, 0.5, 1e-9),
    ("linear-and-logistic-regression", "σ'(z)", 0, 0.25, 1e-9),  # "at most 1/4"
    ("linear-and-logistic-regression", "σ'(z)", 2, (1 / (1 + 2.718281828459045**-2)) * (1 - 1 / (1 + 2.718281828459045**-2)), 1e-6),
    ("bias-variance-tradeoff", "expected error", 5, 0.0124, 1e-9),  # the code's assert
    ("bias-variance-tradeoff", "variance", 5, 0.002, 1e-9),
    ("bias-variance-tradeoff", "bias²", 7, 0.0016, 1e-9),
    ("gradient-descent", "η = 1/L", 131, 1e-6, 0.1),  # "13.8 / 0.105 ≈ 131 steps"
    ("gradient-descent", "η = 2/11", 69, 1e-6, 0.1),
    ("gradient-descent", "heavy ball", 21, 1e-6, 0.15),
    ("train-validation-test-splits", "a = 0.8", 10_000, 0.78, 0.01),  # "within about one point"
    ("train-validation-test-splits", "a = 0.9", 1_000, 1.86, 0.01),  # "0.90 ± 0.019"
    ("decision-trees-and-ensembles", "Gini", 0.8, 0.320, 1e-9),  # "falls from 0.320"
    ("decision-trees-and-ensembles", "entropy", 0.8, 0.722, 1e-3),  # the table, split A
    ("decision-trees-and-ensembles", "misclassification", 0.8, 0.2, 1e-9),
    ("gradient-boosting-and-tabular-ml", "ν = 0.1", 22, 0.0985, 0.01),  # halving ν doubles M
    ("gradient-boosting-and-tabular-ml", "ν = 0.05", 45, 0.0994, 0.01),
    ("feature-engineering", "m = 50", 50, 0.5, 1e-9),
    ("feature-engineering", "m = 10", 10, 0.5, 1e-9),
    ("eigenvalues-eigenvectors-and-diagonalization", "ratio 0.99", 2300, 1e-10, 0.1),  # "about 2,300"
    ("eigenvalues-eigenvectors-and-diagonalization", "ratio 0.9", 100, 0.9**100, 1e-9),
    ("data-systems-landscape", "P(at least one", 100, 0.634, 1e-3),  # "≈ 0.634"
    ("data-lakes-and-lakehouses", "T = 30 s", 10, 0.989, 1e-3),  # "1 − e^−4.5 ≈ 0.989"
]


@pytest.mark.parametrize("slug,label,x,expected,tolerance", PROSE)
def test_shipped_figures_agree_with_their_prose(slug, label, x, expected, tolerance):
    specs = [figures.parse(spec) for s, _, spec in SHIPPED if s == slug]
    series = next(s for fig in specs for s in fig.series if s.label.startswith(label))
    if series.expression is not None:
        (run,) = series.segments([float(x)])
        value = run[0][1]
    else:
        value = dict(series.points)[x]
    assert value == pytest.approx(expected, rel=tolerance)


def test_show_piped_draws_a_plain_chart_and_check_reports_a_broken_one(tmp_path):
    from tests.conftest import note, write_collection
    from tests.conftest import run

    body = f"Look.\n\n```plot\n{SIGMOID}```\n\nAnd a broken one:\n\n```plot\nx: [0, 1]\nseries:\n  - y: os.getcwd()\n```\n"
    notes = write_collection(tmp_path / "n", {"01-p/01-m/01-f.md": note("Fig", "fig", body, summary="x", tags="[a, b, c]", level="intro")})
    out = run("show", "fig", notes=notes)
    assert out.returncode == 0
    assert "\x1b[" not in out.stdout and "┤" in out.stdout and "•• σ(x)" in out.stdout
    assert "[figure not shown: series 1: only the math functions can be called: os.getcwd()]" in " ".join(out.stdout.split())
    raw = run("show", "fig", "--raw-math", notes=notes)
    assert "y: 1/(1+exp(-x))" in raw.stdout and "┤" not in raw.stdout
    check = run("check", notes=notes)
    assert check.returncode == 1
    assert check.stdout.strip().endswith("01-f.md:23: figure: series 1: only the math functions can be called: os.getcwd()")


def test_listed_points_are_drawn_one_by_one_and_curves_are_joined():
    from mlnotes.figures import draw, parse

    fig = parse("title: t\nx: [0, 4]\nseries:\n  - label: measured\n    points: [[0, 0], [1, 3], [2, 1], [3, 4], [4, 2]]\n")
    chart = [line for line in draw(fig, 60, color=False) if line.lstrip().startswith(("│", "┤")) or "┤" in line]
    assert sum(line.count("•") for line in chart) == 5  # five measurements, nothing drawn between them
    curve = parse("title: t\nx: [0, 4]\nseries:\n  - label: model\n    y: x\n")
    assert sum(line.count("•") for line in draw(curve, 60, color=False)) > 20  # a joined line
    legend = draw(fig, 60, color=True)[-1]
    assert "●" in legend and "──" not in legend
