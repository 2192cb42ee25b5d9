"""Words learners search with that a note may not use: abbreviations and common synonyms.

A plain query gains the alternatives of each word it contains (OR-ed in at a lower weight by
the search, so they widen the net without outranking notes that match the words as typed). Queries with operators, fields,
phrases or wildcards are left exactly as the user wrote them.
"""

from __future__ import annotations

import re

SYNONYMS: dict[str, tuple[str, ...]] = {
    "svd": ('"singular value decomposition"',),
    "pca": ('"principal component analysis"', '"principal components"'),
    "ols": ('"least squares"',),
    "lsq": ('"least squares"',),
    "mle": ('"maximum likelihood"',),
    "map": ('"maximum a posteriori"',),
    "sgd": ('"stochastic gradient descent"',),
    "gd": ('"gradient descent"',),
    "gbm": ('"gradient boosting"',),
    "gbdt": ('"gradient boosting"',),
    "xgboost": ('"gradient boosting"', "newton"),
    "lightgbm": ('"gradient boosting"',),
    "rf": ('"random forest"',),
    "cv": ('"cross-validation"', '"cross validation"'),
    "kfold": ('"cross-validation"',),
    "psd": ('"positive semidefinite"',),
    "spd": ('"positive definite"', "symmetric"),
    "eigendecomposition": ("eigenvalues", "diagonalization"),
    "eigen": ("eigenvalue", "eigenvector"),
    "orthonormal": ("orthogonal",),
    "lu": ('"lu decomposition"', "elimination"),
    "qr": ('"qr decomposition"', "householder"),
    "cholesky": ('"positive definite"',),
    "jacobian": ("derivative", "differential"),
    "backprop": ("backpropagation", '"reverse mode"', '"vector-jacobian"'),
    "backpropagation": ('"reverse mode"', '"vector-jacobian"'),
    "autodiff": ('"automatic differentiation"',),
    "ridge": ("regularization", "tikhonov"),
    "lasso": ("l1", "regularization"),
    "overfitting": ("variance", "regularization"),
    "underfitting": ("bias",),
    "leakage": ("leak", "contamination"),
    "etl": ("elt", "pipeline"),
    "elt": ("etl", "pipeline"),
    "cdc": ('"change data capture"',),
    "scd": ('"slowly changing dimension"',),
    "dag": ("orchestration", "scheduler"),
    "olap": ("warehouse", "analytical"),
    "oltp": ("transactional",),
    "kafka": ("log", "stream"),
    "airflow": ("orchestration", "scheduler"),
    "parquet": ("columnar",),
    "iceberg": ("lakehouse", '"table format"'),
    "delta": ("lakehouse", '"transaction log"'),
    "watermark": ('"late data"', '"event time"'),
    "drift": ('"distribution shift"', "psi"),
    "logit": ("logistic", "sigmoid"),
    "sigmoid": ("logistic",),
    "softmax": ('"cross-entropy"',),
    "hessian": ('"second derivative"', "curvature"),
    "gram": ('"inner product"',),
    "rank": ("nullity", "dimension"),
    "nullspace": ("kernel",),
    "null": ("kernel",),
    "range": ("image", '"column space"'),
}

_PLAIN = re.compile(r"^[\w\s'\-?.,]*$")


def alternatives(text: str) -> str:
    """The alternatives of the words of ``text``, as a query of their own ("" when there are
    none, or when ``text`` is not a plain query)."""
    if not _PLAIN.match(text) or re.search(r"\b(AND|OR|NOT)\b", text):
        return ""
    extra: list[str] = []
    for word in re.findall(r"[\w\-]+", text.lower()):
        for alt in SYNONYMS.get(word, ()):
            if alt not in extra and alt.strip('"') not in text.lower():
                extra.append(alt)
    return " ".join(extra)

