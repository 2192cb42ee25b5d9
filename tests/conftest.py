"""Shared fixtures: every test gets its own cache, state and config folders, and a way to
write small note collections on disk."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "notes"


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("user")
    for name in ("CACHE", "STATE", "CONFIG"):
        monkeypatch.setenv(f"MLNOTES_{name}_DIR", str(base / name.lower()))
    monkeypatch.delenv("MLNOTES_NOTES_DIR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return base


def write_collection(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (text is dedented) and return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def note(title: str, slug: str, body: str, **meta) -> str:
    lines = ["---", f"title: '{title}'", f"slug: {slug}"]
    lines += [f"{k}: {v}" for k, v in meta.items()]
    lines += ["---", "", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


@pytest.fixture
def small(tmp_path) -> Path:
    """A small well-formed collection: 2 parts, 3 modules, 5 notes."""
    return write_collection(
        tmp_path / "small",
        {
            "_index.md": "---\ntitle: Small Notes\nsummary: A tiny collection for tests.\n---\nWelcome.\n",
            "01-maths/_index.md": "---\ntitle: Mathematics\n---\nThe maths part.\n",
            "01-maths/01-algebra/_index.md": "---\ntitle: Linear Algebra\n---\nMatrices and friends.\n",
            "01-maths/01-algebra/01-vectors.md": note(
                "Vectors", "vectors",
                """
                A vector space is closed under addition. See [[matrices]].

                ## Span and basis

                The span of a set of vectors is every linear combination of them.
                """,
                summary="Vector spaces.", tags="[algebra, vectors, basics]", level="intro",
            ),
            "01-maths/01-algebra/02-matrices.md": note(
                "Matrices", "matrices",
                """
                A matrix represents a linear map between vector spaces, as in [[vectors]].

                ## Eigenvalues

                An eigenvector keeps its direction: $Av = \\lambda v$.

                ```python
                import numpy as np
                A = np.eye(2)
                ```
                """,
                summary="Matrices as maps.", tags="[algebra, matrices]", prerequisites="[vectors]", level="intro",
            ),
            "01-maths/02-calculus/01-gradients.md": note(
                "Gradients", "gradients",
                """
                The gradient points uphill; gradient descent walks the other way.

                ## Gradient descent

                Step against the gradient with a learning rate. Descending slowly converges.
                """,
                summary="Derivatives in many variables.", tags="[calculus, optimization]", level="intermediate",
            ),
            "02-ml/01-models/01-regression.md": note(
                "Regression", "regression",
                """
                Least squares fits a line. The optimizer is often stochastic gradient descent.

                ## Regularization

                Ridge adds a penalty on the weights.
                """,
                summary="Fitting lines.", tags="[ml, regression]", level="intro",
            ),
            "02-ml/01-models/02-trees.md": note(
                "Decision Trees", "trees",
                """
                A tree splits the data on one feature at a time, greedily.

                ## Random forests

                Averaging many decorrelated trees reduces variance. Linked: [[regression]].
                """,
                summary="Trees and forests.", tags="[ml, trees]", level="intermediate",
            ),
        },
    )


# -- shared by the CLI and reader tests ----------------------------------------------------------

SCRIPT = Path(sys.executable).with_name("mlnotes")
ENTRY = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "mlnotes"]


def run(*args, notes=None, env=None, cwd=None):
    full_env = dict(os.environ)
    full_env.pop("MLNOTES_NOTES_DIR", None)
    full_env.pop("COLUMNS", None)  # pytest-xdist workers inherit one; a pipe has none
    full_env.update(env or {})
    cmd = ENTRY + ([f"--notes-dir={notes}"] if notes else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, errors="surrogateescape", env=full_env, cwd=cwd, timeout=120)


SIZE = (110, 32)


def shown(app) -> str:
    """The text of the note pane, as rendered."""
    from mlnotes.tui.note_view import NoteView

    return "\n".join(app.query_one(NoteView).text_lines())


async def settle(pilot, app, until=None, timeout: float = 10.0) -> None:
    """Let workers finish: wait until ``until()`` holds (and the pane's render is complete)."""
    from mlnotes.tui.note_view import NoteView

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.02)
        view = app.query_one(NoteView)
        if view.doc.complete and (until is None or until()):
            await pilot.pause()
            return
    raise AssertionError("the reader did not settle in time")


def long_collection(tmp_path):
    """Notes long enough to scroll, with code, a table, links and headings."""
    paras = "\n\n".join(f"Paragraph {i} about gradients and curvature of the loss surface." for i in range(40))
    return write_collection(
        tmp_path / "long",
        {
            "_index.md": "---\ntitle: Long Notes\nsummary: Notes that scroll.\n---\n",
            "01-p/01-m/01-first.md": note(
                "First Note", "first",
                "Opening words. See [[second]] and [[third|the third note]].\n\n"
                "## Alpha section\n\n" + paras + "\n\n"
                "| column | value |\n| --- | --- |\n| a | $x^2$ |\n\n"
                "```python\nprint('hello')\n```\n\n"
                "## Omega section\n\nThe last words of the first note mention zebras.\n",
                summary="First.", tags="[a, b, c]", level="intro",
            ),
            "01-p/01-m/02-second.md": note("Second Note", "second", "Second body, linking [[first]].\n\n## Part two\n\nMore.", summary="Second.", tags="[a, b, c]", level="intro"),
            "01-p/01-m/03-third.md": note("Third Note", "third", "Third body.", summary="Third.", tags="[a, b, c]", level="intro"),
        },
    )
