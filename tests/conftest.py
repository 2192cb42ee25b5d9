"""Shared fixtures: every test gets its own cache, state and config folders, and a way to
write small note collections on disk."""

from __future__ import annotations

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
