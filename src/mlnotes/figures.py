"""Figures in notes: a ```` ```plot ```` block holds a small declarative chart in YAML.

    title: Sigmoid and its derivative
    x: [-6, 6]
    series:
      - label: σ(x)
        y: 1/(1+exp(-x))
      - label: data
        points: [[0, 0.5], [2, 0.88]]

:func:`parse` checks a spec and returns a :class:`Figure` (or raises :class:`FigureError`
with a one-line message); :meth:`Figure.data` evaluates it into plain points;
:func:`draw` turns it into lines of text at a given width, with plotext.

Expressions are a fixed little language: ``x``, numbers, ``+ - * / ** %``, unary minus,
parentheses, comparisons, ``a if cond else b``, the constants ``pi`` and ``e`` and the
functions in :data:`FUNCTIONS`. They are checked against that list before anything is
evaluated, then evaluated per point by simpleeval (with its own bounds on exponents), every
number as a float, so nothing can run long or grow without bound. A point where the function
is undefined (``log(-1)``), infinite or NaN is a gap in the curve, not an error.
"""

from __future__ import annotations

import ast
import math
import threading
from dataclasses import dataclass, field

__all__ = ["Figure", "FigureError", "Series", "draw", "parse", "problem"]

MAX_SPEC = 8_000  # characters of YAML
MAX_EXPRESSION = 300  # characters of one expression
MAX_SERIES = 8
MAX_POINTS = 500  # listed points in one series
MAX_SAMPLES = 400  # points an expression is evaluated at, whatever the width
DRAW_SAMPLES = 80  # points a chart samples an expression at: lines join them, and plotext's
# time grows with the points (80 keeps a three-curve figure near 8 ms at 120 columns)
MIN_CHART_WIDTH = 30  # narrower than this, the figure is shown as a small table
CHART_HEIGHT = (10, 18)  # lines of the plot area, at the narrowest and widest

KEYS = {"title", "x", "y", "xlabel", "ylabel", "xscale", "yscale", "series"}
SERIES_KEYS = {"label", "y", "points"}
SCALES = {"linear", "log"}


def _float_floor(v: float) -> float:
    return float(math.floor(v))


def _float_ceil(v: float) -> float:
    return float(math.ceil(v))


FUNCTIONS = {
    "exp": math.exp, "log": math.log, "log2": math.log2, "log10": math.log10, "sqrt": math.sqrt,
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh, "erf": math.erf,
    "erfc": math.erfc, "gamma": math.gamma, "lgamma": math.lgamma, "floor": _float_floor,
    "ceil": _float_ceil, "abs": abs, "min": min, "max": max,
}  # fmt: skip
CONSTANTS = {"pi": math.pi, "e": math.e}

_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.Name,
    ast.Load, ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.USub,
    ast.UAdd, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq,
)  # fmt: skip


class FigureError(ValueError):
    """A spec that cannot be drawn; the message is one line, meant for the reader."""


@dataclass
class Series:
    label: str
    expression: str | None = None  # an expression of x, or
    points: list[tuple[float, float]] = field(default_factory=list)  # listed points
    _tree: ast.Expression | None = field(default=None, repr=False)

    def segments(self, xs: list[float]) -> list[list[tuple[float, float]]]:
        """The series as runs of finite points; a point that cannot be computed ends a run."""
        if self.expression is None:
            return [[p for p in self.points if _finite(p[1])]]
        runs: list[list[tuple[float, float]]] = [[]]
        evaluator = _evaluator()
        for x in xs:
            evaluator.names["x"] = x
            try:
                y = float(evaluator.eval(self.expression, previously_parsed=self._tree.body))
            except (ArithmeticError, ValueError, TypeError, _simpleeval().InvalidExpression):
                y = math.nan
            if _finite(y):
                runs[-1].append((x, y))
            elif runs[-1]:
                runs.append([])
        return [run for run in runs if run]


@dataclass
class Figure:
    title: str = ""
    x: tuple[float, float] = (0.0, 1.0)
    y: tuple[float, float] | None = None
    xlabel: str = ""
    ylabel: str = ""
    xscale: str = "linear"
    yscale: str = "linear"
    series: list[Series] = field(default_factory=list)

    def xs(self, count: int) -> list[float]:
        """``count`` sample positions across the x range (evenly spaced in log on a log axis)."""
        count = max(2, min(count, MAX_SAMPLES))
        lo, hi = self.x
        if self.xscale == "log":
            a, b = math.log(lo), math.log(hi)
            return [math.exp(a + (b - a) * i / (count - 1)) for i in range(count)]
        return [lo + (hi - lo) * i / (count - 1) for i in range(count)]

    def data(self, count: int) -> list[tuple[str, list[list[tuple[float, float]]]]]:
        """(label, runs of points) per series, with the points a log axis cannot show and
        those outside the x range (and the y range, when given) left out: gaps in the runs."""
        xs = self.xs(count)
        lo, hi = self.x
        ylo, yhi = self.y if self.y is not None else (-math.inf, math.inf)
        out = []
        for series in self.series:
            runs: list[list[tuple[float, float]]] = []
            for run in series.segments(xs):
                kept: list[tuple[float, float]] = []
                for px, py in run:
                    if lo <= px <= hi and ylo <= py <= yhi and (self.xscale != "log" or px > 0) and (self.yscale != "log" or py > 0):
                        kept.append((px, py))
                    elif kept:
                        runs.append(kept)
                        kept = []
                if kept:
                    runs.append(kept)
            out.append((series.label, runs))
        return out


# --------------------------------------------------------------------------- parsing


def parse(source: str) -> Figure:
    """The figure a ```` ```plot ```` block describes; :class:`FigureError` if it is not one."""
    import yaml

    if len(source) > MAX_SPEC:
        raise FigureError(f"figure spec is {len(source)} characters; at most {MAX_SPEC}")
    try:
        spec = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1} of the block)" if mark is not None else ""
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise FigureError(f"figure spec is not valid YAML{where}: {reason}") from None
    except RecursionError:
        raise FigureError("figure spec is nested too deeply") from None
    if not isinstance(spec, dict):
        raise FigureError("figure spec must be a mapping of keys (title, x, series, ...)")
    unknown = sorted(str(k) for k in spec if k not in KEYS)
    if unknown:
        raise FigureError(f"unknown key {unknown[0]!r} in figure spec; keys are {', '.join(sorted(KEYS))}")
    fig = Figure()
    fig.title = _text(spec, "title")
    fig.xlabel = _text(spec, "xlabel")
    fig.ylabel = _text(spec, "ylabel")
    fig.xscale = _scale(spec, "xscale")
    fig.yscale = _scale(spec, "yscale")
    if "x" not in spec:
        raise FigureError("figure spec needs x: [lo, hi]")
    fig.x = _range(spec["x"], "x", fig.xscale)
    if "y" in spec:
        fig.y = _range(spec["y"], "y", fig.yscale)
    series = spec.get("series")
    if not isinstance(series, list) or not series:
        raise FigureError("figure spec needs series: a list of {label, y} or {label, points}")
    if len(series) > MAX_SERIES:
        raise FigureError(f"figure has {len(series)} series; at most {MAX_SERIES}")
    fig.series = [_series(item, k + 1) for k, item in enumerate(series)]
    return fig


def problem(source: str) -> str | None:
    """What is wrong with a spec (it does not parse, or has nothing to draw), or None."""
    try:
        fig = parse(source)
        _drawable(fig.data(MAX_SAMPLES // 4))
    except FigureError as exc:
        return str(exc)
    return None


def _drawable(data: list) -> None:
    if not any(runs for _, runs in data):
        raise FigureError("nothing to draw: no series has a finite point in range")


def _text(spec: dict, key: str) -> str:
    value = spec.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise FigureError(f"{key} must be text")
    return " ".join(str(value).split())[:120]


def _scale(spec: dict, key: str) -> str:
    value = spec.get(key, "linear")
    if value not in SCALES:
        raise FigureError(f"{key} must be linear or log, not {value!r}")
    return value


def _number(value, what: str) -> float:
    if isinstance(value, str):  # YAML reads 1e-3 (no dot, no sign) as text
        try:
            value = float(value.strip())
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FigureError(f"{what} must be a number, not {value!r}"[:160])
    try:
        number = float(value)
    except OverflowError:
        raise FigureError(f"{what} is too large") from None
    if not _finite(number) or abs(number) > 1e100:
        raise FigureError(f"{what} must be a finite number below 1e100 in size")
    return number


def _range(value, key: str, scale: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise FigureError(f"{key} must be [lo, hi]")
    lo, hi = (_number(v, f"{key} range") for v in value)
    if not lo < hi:
        raise FigureError(f"{key} range must have lo < hi, not [{value[0]}, {value[1]}]")
    if scale == "log" and lo <= 0:
        raise FigureError(f"{key} range must be above 0 on a log scale")
    return lo, hi


def _series(item, number: int) -> Series:
    where = f"series {number}"
    if not isinstance(item, dict):
        raise FigureError(f"{where} must be a mapping with label and y (or points)")
    unknown = sorted(str(k) for k in item if k not in SERIES_KEYS)
    if unknown:
        raise FigureError(f"unknown key {unknown[0]!r} in {where}; keys are label, y, points")
    label = _text(item, "label") or f"series {number}"
    if ("y" in item) == ("points" in item):
        raise FigureError(f"{where} needs either y (an expression of x) or points, not both or neither")
    if "y" in item:
        expression = item["y"]
        if isinstance(expression, (int, float)) and not isinstance(expression, bool):
            expression = str(expression)
        if not isinstance(expression, str) or not expression.strip():
            raise FigureError(f"{where}: y must be an expression of x")
        return Series(label, expression=expression, _tree=_check_expression(expression, where))
    points = item["points"]
    if not isinstance(points, list) or not points:
        raise FigureError(f"{where}: points must be a list of [x, y]")
    if len(points) > MAX_POINTS:
        raise FigureError(f"{where} has {len(points)} points; at most {MAX_POINTS}")
    pairs = []
    for point in points:
        if not isinstance(point, list) or len(point) != 2:
            raise FigureError(f"{where}: each point must be [x, y], not {point!r}"[:160])
        pairs.append((_number(point[0], f"{where}: x"), _number(point[1], f"{where}: y")))
    return Series(label, points=pairs)


def _check_expression(expression: str, where: str) -> ast.Expression:
    """Parse ``expression`` and refuse anything outside the figure language."""
    if len(expression) > MAX_EXPRESSION:
        raise FigureError(f"{where}: expression is longer than {MAX_EXPRESSION} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FigureError(f"{where}: not an expression: {_excerpt(expression)}") from None
    allowed = {"x", *CONSTANTS}
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            raise FigureError(f"{where}: {type(node).__name__.lower()} is not allowed in a figure: {_excerpt(expression)}")
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, (int, float))):
            raise FigureError(f"{where}: only numbers are allowed, not {node.value!r}"[:160])
        if isinstance(node, ast.Name) and node.id not in allowed and node.id not in FUNCTIONS:
            raise FigureError(f"{where}: unknown name {node.id!r}; use x, pi, e and math functions")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise FigureError(f"{where}: only the math functions can be called: {_excerpt(expression)}")
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and not _is_called(tree, node):
            raise FigureError(f"{where}: {node.id} is a function; call it, as {node.id}(x)")
    return tree


def _is_called(tree: ast.AST, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Call) and n.func is name for n in ast.walk(tree))


def _excerpt(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _finite(value: float) -> bool:
    return isinstance(value, float) and math.isfinite(value)


# --------------------------------------------------------------------------- evaluating


def _simpleeval():
    import simpleeval

    return simpleeval


_local = threading.local()


def _evaluator():
    """A simpleeval evaluator with the figure language's names (one per thread)."""
    evaluator = getattr(_local, "evaluator", None)
    if evaluator is None:
        simpleeval = _simpleeval()

        class FloatEval(simpleeval.SimpleEval):
            """Every number a float: float arithmetic overflows at once instead of building
            integers without bound."""

            def _eval_constant(self, node):
                value = super()._eval_constant(node)
                return float(value) if isinstance(value, int) else value

        evaluator = FloatEval(functions=dict(FUNCTIONS), names={**CONSTANTS, "x": 0.0})
        _local.evaluator = evaluator
    return evaluator


# --------------------------------------------------------------------------- drawing

COLOURS = [12, 9, 10, 11, 13, 14, 208, 15]  # 256-colour codes, one per series
MARKERS = ["•", "+", "x", "o", "*", "#", "%", "@"]  # without colour, one character per series
POINT = "●"  # a listed (measured) point in colour: drawn alone, never joined to the next
_plot_lock = threading.Lock()  # plotext draws on one module-level figure


def draw(fig: Figure, width: int, color: bool = True) -> list[str]:
    """The figure as lines of text ``width`` columns wide (ANSI colours when ``color``), a
    legend line under the chart; a small table of values when ``width`` is too narrow."""
    if width < MIN_CHART_WIDTH:
        return table(fig)
    data = fig.data(min(width, DRAW_SAMPLES))
    _drawable(data)
    height = CHART_HEIGHT[0] + (CHART_HEIGHT[1] - CHART_HEIGHT[0]) * min(max(width - 40, 0), 60) // 60
    import plotext

    with _plot_lock:
        plotext.terminal.limit(False, False)  # the size is ours, not the terminal's
        plot = plotext.figure
        plot.clear()
        plot.plot_size(width, height + 2 + (1 if fig.xlabel else 0))
        plot.theme("simple" if color else "colorless")
        plot.legend(False)
        fx = math.log10 if fig.xscale == "log" else float
        fy = math.log10 if fig.yscale == "log" else float
        for k, (label, runs) in enumerate(data):
            # A curve is sampled and joined; listed points are measurements, drawn one by one
            # so the chart never shows values between them that nobody measured.
            listed = bool(fig.series[k].points)
            symbol = (POINT if listed else "braille") if color else MARKERS[k % len(MARKERS)]
            marker = plotext.marker(symbol, pixel=plotext.pixel(foreground=COLOURS[k % len(COLOURS)]) if color else None)
            for run in runs:
                signal = plot.signal([fx(p[0]) for p in run], [fy(p[1]) for p in run], marker=marker)
                if len(run) > 1 and not listed:
                    signal.lines()
                plot.draw(signal)
        if fig.xlabel:
            plot.label(fig.xlabel, axis="x")
        ys = [p[1] for _, runs in data for run in runs for p in run]
        for axis, scale, limits in (("x", fig.xscale, fig.x), ("y", fig.yscale, fig.y or (min(ys), max(ys)))):
            ruler = plot.ruler(axis=axis)
            if scale == "log":
                # plotext's own log scale mislabels its ticks: draw log10 and label it here
                ruler.ticks(*_log_ticks(*limits))
                limits = (math.log10(limits[0]), math.log10(limits[1]))
            elif limits[1] > limits[0]:
                ruler.ticks(*_linear_ticks(*limits, most=max(3, width // 10) if axis == "x" else max(3, height // 2)))
            if axis == "x" or fig.y is not None:
                ruler.lim(*limits)
        chart = plot.build().string(colorless=not color)
    lines = [line.rstrip() for line in chart.split("\n")]
    if fig.ylabel:  # plotext writes it under the axis, where it reads as part of the x label
        lines.insert(0, "↑ " + fig.ylabel[: width - 2])
    lines = _title(fig, width) + lines
    while lines and not _visible(lines[-1]):
        lines.pop()
    return lines + _legend(fig, width, color)


def _linear_ticks(lo: float, hi: float, most: int) -> tuple[list[float], list[str]]:
    """Ticks at round numbers (1, 2 or 5 times a power of ten apart), at most ``most``."""
    raw = (hi - lo) / max(1, most - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    positions = [k * step for k in range(first, int(math.floor(hi / step + 1e-9)) + 1)]
    return positions, [f"{round(v, 12):g}" for v in positions]


def _log_ticks(lo: float, hi: float, most: int = 6) -> tuple[list[float], list[str]]:
    """Tick positions (in log10) and labels at the powers of ten between ``lo`` and ``hi``
    (at most ``most``): 0.01, 1, 100, 1e+06; the two ends when no power of ten is between."""
    first, last = math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9)
    if last < first:
        return [math.log10(lo), math.log10(hi)], [_fmt(lo), _fmt(hi)]
    step = max(1, math.ceil((last - first + 1) / most))
    powers = range(first, last + 1, step)
    return [float(k) for k in powers], [f"{10.0**k:g}" for k in powers]


def _visible(line: str) -> bool:
    import re

    return bool(re.sub(r"\x1b\[[0-9;]*m", "", line).strip())


def _legend(fig: Figure, width: int, color: bool) -> list[str]:
    """A line (or more) under the chart: each series' sample and label, wrapped to ``width``."""
    import textwrap

    from rich.cells import cell_len

    lines, line, used = [], "    ", 4
    for k, series in enumerate(fig.series):
        sample = (f" {POINT}" if series.points else "──") if color else MARKERS[k % len(MARKERS)] * (1 if series.points else 2)
        if color:
            sample = f"\x1b[38;5;{COLOURS[k % len(COLOURS)]}m{sample}\x1b[0m"
        size = 3 + cell_len(series.label)
        if used > 4 and used + size > width:
            lines.append(line.rstrip())
            line, used = "    ", 4
        if 4 + size <= width:
            line += f"{sample} {series.label}   "
            used += size + 3
            continue
        parts = textwrap.wrap(series.label, max(8, width - 7)) or [""]
        lines.append(f"    {sample} {parts[0]}")
        lines.extend("       " + part for part in parts[1:])
    if used > 4:
        lines.append(line.rstrip())
    return lines


def _title(fig: Figure, width: int) -> list[str]:
    import textwrap

    return [part.center(width).rstrip() for part in textwrap.wrap(fig.title, width)] if fig.title else []


def table(fig: Figure, rows: int = 5) -> list[str]:
    """The figure as a small table of values: a few x positions, one column per series."""
    lines = [fig.title] if fig.title else []
    for series, (label, runs) in zip(fig.series, fig.data(rows)):
        points = [p for run in runs for p in run]
        if series.expression is None and len(points) > rows:
            step = (len(points) - 1) / (rows - 1)
            points = [points[round(i * step)] for i in range(rows)]
        lines.append(f"{label}:")
        lines.extend(f"  {_fmt(px)} → {_fmt(py)}" for px, py in points)
        if not points:
            lines.append("  (no finite values)")
    return lines


def _fmt(value: float) -> str:
    return f"{value:.3g}"
