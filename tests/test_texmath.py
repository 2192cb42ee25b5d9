"""The TeX renderer: every formula of ``shared/latex-cases.txt`` with its expected output,
checked by eye against the typeset meaning, plus properties and fuzzing.

The minus sign in output is U+2212 (−), never the hyphen; ``θ̂ θ̃ v⃗`` carry combining marks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from mlnotes.texmath import TexError, check, inline, to_display, to_inline

# (id, TeX, one line) for the inline cases of shared/latex-cases.txt
INLINE_CASES = [
    ("01", r"\alpha + \beta = \gamma", "α + β = γ"),
    ("02", r"\theta_t", "θₜ"),
    ("03", r"x_i^2", "xᵢ²"),
    ("04", r"\nabla_\theta \mathcal{L}", "∇_θ ℒ"),
    ("05", r"\mathbb{R}^n", "ℝⁿ"),
    ("06", r"W \in \mathbb{R}^{d_{\text{out}} \times d_{\text{in}}}", "W ∈ ℝ^(dₒᵤₜ×dᵢₙ)"),
    ("07", r"\mathbb{E}_{x \sim p}[f(x)]", "𝔼_(x∼p)[f(x)]"),
    ("08", r"\hat{y}_i", "ŷᵢ"),
    ("09", r"\bar{x} = \frac{1}{n}\sum_{i=1}^n x_i", "x̄ = (1/n)∑ᵢ₌₁ⁿ xᵢ"),
    ("10", r"\tilde{\theta}", "θ̃"),
    ("11", r"\|x\|_2", "‖x‖₂"),
    ("12", r"\lambda \|w\|_2^2", "λ‖w‖₂²"),
    ("13", r"\langle x, y \rangle", "⟨x, y⟩"),
    ("14", r"\mathbf{x}^\top \mathbf{y}", "xᵀy"),
    ("15", r"\boldsymbol{\mu} \in \mathbb{R}^d", "μ ∈ ℝᵈ"),
    ("16", r"(A^\top A)^{-1}", "(AᵀA)⁻¹"),
    ("17", r"p(y \mid x)", "p(y | x)"),
    ("18", r"\mathrm{KL}(p \| q)", "KL(p‖q)"),
    ("19", r"D_{\mathrm{KL}}(p \,\|\, q) \ge 0", "D_KL(p ‖ q) ≥ 0"),
    ("20", r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e⁻ᶻ)"),
    ("21", r"\log p_\theta(x)", "log p_θ(x)"),
    ("22", r"\exp(-\beta E)", "exp(−βE)"),
    ("23", r"\det(\Sigma)", "det(Σ)"),
    ("24", r"\operatorname{tr}(A^\top B)", "tr(AᵀB)"),
    ("25", r"\operatorname{softmax}(z)_i", "softmax(z)ᵢ"),
    ("26", r"0 \le p \le 1", "0 ≤ p ≤ 1"),
    ("27", r"\hat{\theta} \approx \theta^*", "θ̂ ≈ θ*"),
    ("28", r"p(\theta \mid D) \propto p(D \mid \theta)\, p(\theta)", "p(θ | D) ∝ p(D | θ) p(θ)"),
    ("29", r"x \sim \mathcal{N}(\mu, \sigma^2)", "x ∼ 𝒩(μ, σ²)"),
    ("30", r"f: \mathbb{R}^n \to \mathbb{R}", "f : ℝⁿ → ℝ"),
    ("31", r"x \mapsto x^2", "x ↦ x²"),
    ("32", r"\lim_{n \to \infty} a_n = 0", "lim_(n→∞) aₙ = 0"),
    ("33", r"\binom{n}{k}", "(n choose k)"),
    ("34", r"\sqrt{d_k}", "√dₖ"),
    ("35", r"\frac{\partial L}{\partial w}", "∂L/∂w"),
    ("36", r"O(n \log n)", "O(n log n)"),
    ("37", r"\text{if } x > 0", "if x > 0"),
    ("38", r"\eta_t = \eta_0 / \sqrt{t}", "ηₜ = η₀/√t"),
    ("39", r"0 < \epsilon \ll 1", "0 < ϵ ≪ 1"),
    ("40", r"\forall x \in \mathcal{X},\ \exists y \ne x", "∀x ∈ 𝒳, ∃y ≠ x"),
    ("41", r"y^{(i)}", "y⁽ⁱ⁾"),
    ("42", r"\mathcal{D} = \{(x_i, y_i)\}_{i=1}^N", "𝒟 = {(xᵢ, yᵢ)}ᵢ₌₁ᴺ"),
    ("43", r"A \odot B", "A ⊙ B"),
    ("44", r"\varepsilon_t \sim \mathcal{N}(0, I)", "εₜ ∼ 𝒩(0, I)"),
    ("45", r"\max_{1 \le i \le n} |x_i|", "max_(1≤i≤n) |xᵢ|"),
    ("46", r"\sqrt[3]{x}", "∛x"),
    ("47", r"\vec{v} \cdot \dot{x}", "v⃗ · ẋ"),
    ("48", r"\mathbb{P}(A \cap B) = \mathbb{P}(A)\,\mathbb{P}(B)", "ℙ(A ∩ B) = ℙ(A) ℙ(B)"),
]

# (id, TeX, lines) for the display cases: every line padded to the block's width
DISPLAY_CASES = [
    (
        "49",
        r"\hat{\theta} = \arg\min_{\theta} \sum_{i=1}^{n} (y_i - \theta^\top x_i)^2",
        [
            "            n              ",
            "θ̂ = argmin  ∑  (yᵢ − θᵀxᵢ)²",
            "      θ    i=1             ",
        ],
    ),
    (
        "50",
        r"\theta^* = \operatorname*{argmax}_{\theta \in \Theta} \log p(\mathcal{D} \mid \theta)",
        [
            "θ* = argmax log p(𝒟 | θ)",
            "      θ∈Θ               ",
        ],
    ),
    (
        "51",
        r"\mathcal{L}(\theta) = -\frac{1}{N}\sum_{i=1}^{N} \left[ y_i \log \hat{y}_i + (1 - y_i)\log(1 - \hat{y}_i) \right]",
        [
            "         1  N                                    ",
            "ℒ(θ) = − ─  ∑  [yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)]",
            "         N i=1                                   ",
        ],
    ),
    (
        "52",
        r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",
        [
            "                 zᵢ  ",
            "                e    ",
            "softmax(z)ᵢ = ───────",
            "               K   zⱼ",
            "               ∑  e  ",
            "              j=1    ",
        ],
    ),
    (
        "53",
        r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
        [
            "                            ⎛QKᵀ⎞ ",
            "Attention(Q, K, V) = softmax⎜───⎟V",
            "                            ⎝√dₖ⎠ ",
        ],
    ),
    (
        "54",
        r"\int_{-\infty}^{\infty} e^{-x^2}\,dx = \sqrt{\pi}",
        [
            "∞   −x²        ",
            "∫  e    dx = √π",
            "−∞             ",
        ],
    ),
    (
        "55",
        r"\mathbb{E}[X] = \int x \, p(x) \, dx",
        [
            "𝔼[X] = ∫ x p(x) dx",
        ],
    ),
    (
        "56",
        r"p(x_1, \dots, x_n) = \prod_{i=1}^{n} p(x_i \mid x_{<i})",
        [
            "                n             ",
            "p(x₁, …, xₙ) =  ∏  p(xᵢ | x  )",
            "               i=1         <i ",
        ],
    ),
    (
        "57",
        r"D_{\mathrm{KL}}(p \| q) = \sum_{x} p(x) \log \frac{p(x)}{q(x)}",
        [
            "                      p(x)",
            "D  (p‖q) = ∑ p(x) log ────",
            " KL        x          q(x)",
        ],
    ),
    (
        "58",
        r"\mathcal{N}(x \mid \mu, \Sigma) = \frac{1}{(2\pi)^{d/2} |\Sigma|^{1/2}} \exp\left( -\frac{1}{2} (x - \mu)^\top \Sigma^{-1} (x - \mu) \right)",
        [
            "                    1          ⎛  1                   ⎞",
            "𝒩(x | μ, Σ) = ───────────── exp⎜− ─ (x − μ)ᵀΣ⁻¹(x − μ)⎟",
            "                  d/2   1/2    ⎝  2                   ⎠",
            "              (2π)   |Σ|                               ",
        ],
    ),
    (
        "59",
        r"\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}(\theta_t)",
        [
            "θₜ₊₁ = θₜ − η∇ ℒ(θₜ)",
            "              θ     ",
        ],
    ),
    (
        "60",
        r"A = \begin{pmatrix} a_{11} & a_{12} \\ a_{21} & a_{22} \end{pmatrix}",
        [
            "A = ⎛ a₁₁  a₁₂ ⎞",
            "    ⎝ a₂₁  a₂₂ ⎠",
        ],
    ),
    (
        "61",
        r"J = \begin{bmatrix} \frac{\partial f_1}{\partial x_1} & \cdots & \frac{\partial f_1}{\partial x_n} \\ \vdots & \ddots & \vdots \\ \frac{\partial f_m}{\partial x_1} & \cdots & \frac{\partial f_m}{\partial x_n} \end{bmatrix}",
        [
            "    ⎡ ∂f₁     ∂f₁ ⎤",
            "    ⎢ ───  ⋯  ─── ⎥",
            "    ⎢ ∂x₁     ∂xₙ ⎥",
            "    ⎢             ⎥",
            "J = ⎢  ⋮   ⋱   ⋮  ⎥",
            "    ⎢             ⎥",
            "    ⎢ ∂fₘ     ∂fₘ ⎥",
            "    ⎢ ───  ⋯  ─── ⎥",
            "    ⎣ ∂x₁     ∂xₙ ⎦",
        ],
    ),
    (
        "62",
        r"\mathrm{ReLU}(x) = \begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
        [
            "          ⎧ x  if x > 0 ",
            "ReLU(x) = ⎨             ",
            "          ⎩ 0  otherwise",
        ],
    ),
    (
        "63",
        r"\begin{aligned} \nabla_w \mathcal{L} &= \frac{2}{n} X^\top (Xw - y) = 0 \\ \Rightarrow \quad w^* &= (X^\top X)^{-1} X^\top y \end{aligned}",
        [
            "        2               ",
            "  ∇ ℒ = ─ Xᵀ(Xw − y) = 0",
            "   w    n               ",
            "                        ",
            "⇒  w* = (XᵀX)⁻¹Xᵀy      ",
        ],
    ),
    (
        "64",
        r"\frac{\partial \mathcal{L}}{\partial w_{ij}} = \frac{\partial \mathcal{L}}{\partial a_j} \frac{\partial a_j}{\partial w_{ij}}",
        [
            " ∂ℒ    ∂ℒ  ∂aⱼ ",
            "──── = ─── ────",
            "∂wᵢⱼ   ∂aⱼ ∂wᵢⱼ",
        ],
    ),
    (
        "65",
        r"\log p(x) \ge \mathbb{E}_{q(z)}\left[\log \frac{p(x, z)}{q(z)}\right]",
        [
            "                ⎡    p(x, z)⎤",
            "log p(x) ≥ 𝔼    ⎢log ───────⎥",
            "            q(z)⎣     q(z)  ⎦",
        ],
    ),
    (
        "66",
        r"f(x) = \frac{1}{1 + \frac{1}{x}}",
        [
            "         1  ",
            "f(x) = ─────",
            "           1",
            "       1 + ─",
            "           x",
        ],
    ),
    (
        "67",
        r"\binom{n}{k} = \frac{n!}{k!\,(n-k)!}",
        [
            "⎛n⎞       n!     ",
            "⎜ ⎟ = ───────────",
            "⎝k⎠   k! (n − k)!",
        ],
    ),
    (
        "68",
        r"x \xrightarrow{f} y \xrightarrow{g} z",
        [
            "   f     g   ",
            "x ──→ y ──→ z",
        ],
    ),
    (
        "69",
        r"f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}",
        [
            "            f(x + h) − f(x)",
            "f′(x) = lim ───────────────",
            "        h→0        h       ",
        ],
    ),
    (
        "70",
        r"\|x\|_p = \left( \sum_{i=1}^{n} |x_i|^p \right)^{1/p}",
        [
            "       ⎛ n       ⎞1/p",
            "‖x‖ₚ = ⎜ ∑  |xᵢ|ᵖ⎟   ",
            "       ⎝i=1      ⎠   ",
        ],
    ),
    (
        "71",
        r"\mathrm{Var}(X) = \mathbb{E}\left[(X - \mathbb{E}[X])^2\right] \quad \text{and} \quad \mathrm{Cov}(X, Y) = \mathbb{E}[XY] - \mathbb{E}[X]\,\mathbb{E}[Y]",
        [
            "Var(X) = 𝔼[(X − 𝔼[X])²]  and  Cov(X, Y) = 𝔼[XY] − 𝔼[X] 𝔼[Y]",
        ],
    ),
    (
        "72",
        r"\boldsymbol{\Sigma} = \frac{1}{n-1} \sum_{i=1}^{n} (\mathbf{x}_i - \bar{\mathbf{x}})(\mathbf{x}_i - \bar{\mathbf{x}})^\top",
        [
            "      1    n                   ",
            "Σ = ─────  ∑  (xᵢ − x̄)(xᵢ − x̄)ᵀ",
            "    n − 1 i=1                  ",
        ],
    ),
    (
        "73",
        r"\begin{align} f(x) &= (x + 1)^2 \\ &= x^2 + 2x + 1 \end{align}",
        [
            "f(x) = (x + 1)²   ",
            "     = x² + 2x + 1",
        ],
    ),
    (
        "74",
        r"H(p) = -\sum_{x \in \mathcal{X}} p(x) \log_2 p(x)",
        [
            "H(p) = −  ∑  p(x) log₂ p(x)",
            "         x∈𝒳               ",
        ],
    ),
]

# One-line forms of display formulas: what a narrow terminal shows instead of the block.
DISPLAY_AS_INLINE = {
    "49": "θ̂ = argmin_θ ∑ᵢ₌₁ⁿ (yᵢ − θᵀxᵢ)²",
    "51": "ℒ(θ) = −(1/N)∑ᵢ₌₁ᴺ [yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)]",
    "52": "softmax(z)ᵢ = e^(zᵢ)/(∑ⱼ₌₁ᴷ e^(zⱼ))",
    "53": "Attention(Q, K, V) = softmax(QKᵀ/√dₖ)V",
    "58": "𝒩(x | μ, Σ) = (1/((2π)^(d/2)|Σ|^(1/2))) exp(−(1/2)(x − μ)ᵀΣ⁻¹(x − μ))",
    "60": "A = (a₁₁ a₁₂; a₂₁ a₂₂)",
    "61": "J = [∂f₁/∂x₁ ⋯ ∂f₁/∂xₙ; ⋮ ⋱ ⋮; ∂fₘ/∂x₁ ⋯ ∂fₘ/∂xₙ]",
    "62": "ReLU(x) = { x, if x > 0; 0, otherwise }",
    "63": "∇_w ℒ = (2/n)Xᵀ(Xw − y) = 0; ⇒  w* = (XᵀX)⁻¹Xᵀy",
    "66": "f(x) = 1/(1 + 1/x)",
    "67": "(n choose k) = n!/(k! (n − k)!)",
    "68": "x ─f→ y ─g→ z",
    "69": "f′(x) = lim_(h→0) ((f(x + h) − f(x))/h)",
    "70": "‖x‖ₚ = (∑ᵢ₌₁ⁿ |xᵢ|ᵖ)^(1/p)",
    "74": "H(p) = −∑_(x∈𝒳) p(x) log₂ p(x)",
}

ALL_TEX = [tex for _, tex, _ in INLINE_CASES] + [tex for _, tex, _ in DISPLAY_CASES]
SHARED_CASES = Path(__file__).resolve().parents[2] / "shared" / "latex-cases.txt"


# -- the cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "tex", "expected"), INLINE_CASES, ids=[c[0] for c in INLINE_CASES])
def test_inline_case(case: str, tex: str, expected: str) -> None:
    assert to_inline(tex) == expected


@pytest.mark.parametrize(
    ("case", "tex", "expected"), DISPLAY_CASES, ids=[c[0] for c in DISPLAY_CASES]
)
def test_display_case(case: str, tex: str, expected: list[str]) -> None:
    assert to_display(tex) == expected


@pytest.mark.parametrize(("case", "expected"), sorted(DISPLAY_AS_INLINE.items()))
def test_display_case_on_one_line(case: str, expected: str) -> None:
    tex = next(tex for cid, tex, _ in DISPLAY_CASES if cid == case)
    assert to_inline(tex) == expected


def test_cases_are_the_shared_set() -> None:
    ids = [cid for cid, _, _ in INLINE_CASES + DISPLAY_CASES]
    assert len(INLINE_CASES) == 48 and len(DISPLAY_CASES) == 26
    assert ids == [f"{n:02d}" for n in range(1, 75)]


@pytest.mark.skipif(not SHARED_CASES.exists(), reason="no ../shared beside the repo")
def test_every_shared_case_is_covered() -> None:
    ours = {cid: (tex, "inline") for cid, tex, _ in INLINE_CASES}
    ours.update({cid: (tex, "display") for cid, tex, _ in DISPLAY_CASES})
    seen = 0
    for line in SHARED_CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cid, mode, tex = line.split("\t")
        assert ours.get(cid) == (tex, mode), f"case {cid} differs from shared/latex-cases.txt"
        seen += 1
    assert seen == len(ours)


# -- properties over all cases ----------------------------------------------------------------


@pytest.mark.parametrize("tex", ALL_TEX)
def test_inline_is_one_line_without_tex(tex: str) -> None:
    text = to_inline(tex)
    assert "\n" not in text and text == text.strip()
    assert "\\" not in text


@pytest.mark.parametrize("tex", ALL_TEX)
def test_display_lines_share_one_width(tex: str) -> None:
    lines = to_display(tex)
    assert lines
    assert len({cell_len(line) for line in lines}) == 1
    assert not any("\\" in line for line in lines)


@pytest.mark.parametrize("tex", ALL_TEX)
def test_no_double_width_glyphs(tex: str) -> None:
    for text in [to_inline(tex), *to_display(tex)]:
        assert all(cell_len(char) <= 1 for char in text), text


# -- spacing, scripts, fractions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("a+b", "a + b"),
        ("a=b", "a = b"),
        ("-z", "−z"),
        ("a = -b", "a = −b"),
        ("(-1)^n", "(−1)ⁿ"),
        ("f(-x)", "f(−x)"),
        (r"n \log n", "n log n"),
        (r"\log(x)", "log(x)"),
        (r"\log x", "log x"),
        (r"a \cdot b", "a · b"),
        (r"\langle x, y \rangle", "⟨x, y⟩"),
        (r"a\quad b", "a  b"),
        (r"\sum_i x_i \sum_j y_j", "∑ᵢ xᵢ ∑ⱼ yⱼ"),
        (r"\{ x \mid x > 0 \}", "{x | x > 0}"),
    ],
)
def test_spacing_by_class(tex: str, expected: str) -> None:
    assert to_inline(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("x_{i+1}", "xᵢ₊₁"),
        ("x_{ik}^{2n}", "xᵢₖ²ⁿ"),
        ("x_{iq}", "x_(iq)"),  # q has no subscript letter: the whole script falls back
        (r"x^{n-1}", "xⁿ⁻¹"),
        (r"\Sigma^{-1}", "Σ⁻¹"),
        (r"A^T", "Aᵀ"),
        (r"e^{-x^2}", "e^(−x²)"),
        (r"x_\theta", "x_θ"),
        (r"\nabla_\theta J", "∇_θ J"),  # a bare script never runs into the next symbol
        (r"p_\theta(x)", "p_θ(x)"),
        (r"x^{1/p}", "x^(1/p)"),
        (r"W_{QK}", "W_(QK)"),
        (r"D_{\mathrm{KL}}", "D_KL"),
        (r"f'(x) + f''(x)", "f′(x) + f′′(x)"),
        (r"{}^2x", "²x"),
    ],
)
def test_scripts_are_unicode_only_when_whole(tex: str, expected: str) -> None:
    assert to_inline(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\frac{a+b}{c}", "(a + b)/c"),
        (r"\frac{1}{2\pi}", "1/(2π)"),
        (r"\frac{QK^T}{d}", "QKᵀ/d"),
        (r"\frac{p(x)}{q(x)}", "p(x)/q(x)"),
        (r"\frac{dy}{dx}", "dy/dx"),
        (r"\frac{\partial^2 f}{\partial x \partial y}", "∂²f/∂x∂y"),
        (r"\frac{a}{b}c", "(a/b)c"),
        (r"2\frac{a}{b}", "2(a/b)"),
        (r"-\frac{1}{2}", "−1/2"),
        (r"\frac{a}{b}\frac{c}{d}", "(a/b)(c/d)"),
        (r"\log\frac{a}{b}", "log(a/b)"),
        (r"\frac{a}{b} + c", "a/b + c"),
        (r"\frac{\frac{a}{b}}{c}", "(a/b)/c"),
        (r"\frac{a}{b}^2", "(a/b)²"),
        (r"\tfrac{1}{2}", "1/2"),
        (r"\frac12", "1/2"),
        (r"\sqrt{2\pi}", "√(2π)"),
        (r"\sqrt{x+1}", "√(x + 1)"),
        # A head applied to an operation reads as a product after √ or /: bracket it whole.
        (r"\sqrt{p(1-p)}", "√(p(1 − p))"),
        (r"\frac{1}{e(1-e)}", "1/(e(1 − e))"),
        (r"\sqrt{q(x)}", "√q(x)"),
        (r"\frac{1}{\Gamma(n)}", "1/Γ(n)"),
        (r"\sqrt[n]{x}", "ⁿ√x"),
        (r"\binom{n+1}{k}", "(n + 1 choose k)"),
    ],
)
def test_fractions_and_roots_keep_their_grouping(tex: str, expected: str) -> None:
    assert to_inline(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\hat{x}", "x̂"),
        (r"\bar{x}", "x̄"),
        (r"\overline{x}", "x̄"),
        (r"\hat{y}", "ŷ"),  # precomposed where Unicode has it
        (r"\hat{xy}", "hat(xy)"),
        (r"\bar{x_i}", "bar(xᵢ)"),
        (r"\mathcal{L} \mathcal{N} \mathcal{X}", "ℒ𝒩𝒳"),
        (r"\mathbb{R} \mathbb{E} \mathbb{1}", "ℝ𝔼𝟙"),
        (r"\mathbf{W}\boldsymbol{\theta}", "Wθ"),
        (r"\|x\| + \lVert y \rVert + \lvert z \rvert", "‖x‖ + ‖y‖ + |z|"),
        (r"\arg\max_\theta", "argmax_θ"),
        (r"\operatorname*{argmin}_{x} f(x)", "argminₓ f(x)"),
        (r"\operatorname{tr}(A)", "tr(A)"),
        (r"\not\in \emptyset", "∉ ∅"),
        (r"\overset{\text{def}}{=}", "=ᵈᵉᶠ"),
        (r"\xrightarrow{f}", "─f→"),
        (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "(a b; c d)"),
        (r"\begin{bmatrix} 1 & x + y \end{bmatrix}", "[1, x + y]"),
        (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", "|a b; c d|"),
        (r"a \pmod{n}", "a (mod n)"),
        (r"\text{where } x \text{ is $y^2$}", "where x is y²"),
        (r"\left\{ x \,\middle|\, x > 0 \right\}", "{x | x > 0}"),
        (r"\bigl( a \bigr)", "(a)"),
        (r"a \\ b", "a; b"),
    ],
)
def test_more_constructs(tex: str, expected: str) -> None:
    assert to_inline(tex) == expected


def test_unknown_macro_stays_visible() -> None:
    assert to_inline(r"\foo + x") == r"\foo + x"
    assert to_inline(r"\wibble{a}{b}") == r"\wibble{a}{b}"
    assert to_display(r"\foo{x}") == [r"\foo{x}"]


# -- display layout ---------------------------------------------------------------------------


def test_display_baselines_line_up() -> None:
    assert to_display(r"a + \frac{1}{2}") == [
        "    1",
        "a + ─",
        "    2",
    ]


def test_display_gap_between_fractions() -> None:
    assert to_display(r"\frac{a}{b}\frac{c}{d}") == [
        "a c",
        "─ ─",
        "b d",
    ]


def test_display_tall_delimiters_and_scripts() -> None:
    assert to_display(r"\left[ \frac{a}{b} \right]_{x=0}^{1}") == [
        "⎡a⎤1  ",
        "⎢─⎥   ",
        "⎣b⎦x=0",
    ]
    assert to_display(r"\left\{ \frac{a}{b} \right.") == [
        "⎧a",
        "⎨─",
        "⎩b",
    ]


def test_display_scripts_raised_when_not_mappable() -> None:
    assert to_display(r"e^{i\pi}") == [
        " iπ",
        "e  ",
    ]
    assert to_display(r"x_i^2") == ["xᵢ²"]


def test_display_matrix_centres_columns() -> None:
    assert to_display(r"\begin{bmatrix} 1 & 100 \\ 10 & 2 \end{bmatrix}") == [
        "⎡ 1   100 ⎤",
        "⎣ 10   2  ⎦",
    ]


def test_display_cases_brace_has_a_tip() -> None:
    lines = to_display(r"|x| = \begin{cases} x & x \ge 0 \\ -x & x < 0 \end{cases}")
    assert lines == [
        "      ⎧ x   x ≥ 0",
        "|x| = ⎨          ",
        "      ⎩ −x  x < 0",
    ]


def test_display_root_over_a_sum() -> None:
    assert to_display(r"\sqrt{x + 1}") == [
        " _____",
        "√x + 1",
    ]


def test_display_underbrace_labels_its_part() -> None:
    lines = to_display(r"e = \underbrace{(a - b)^2}_{\text{bias}^2} + \underbrace{v}_{\text{var}}")
    assert lines == [
        "e = (a − b)² +  v ",
        "    ╰──┬───╯   ╰┬╯",
        "     bias²     var",
    ]


def test_display_overbrace_puts_the_label_above() -> None:
    assert to_display(r"\overbrace{x_1 + \dots + x_n}^{n} = S") == [
        "     n         ",
        "╭────┴────╮    ",
        "x₁ + … + xₙ = S",
    ]


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\underbrace{(a - b)^2}_{\text{bias}^2} + c", "(a − b)² [bias²] + c"),
        (r"\overbrace{x + y}^{z}", "x + y [z]"),
        (r"\underbrace{x + y}", "x + y"),
    ],
)
def test_inline_brace_keeps_its_label_in_brackets(tex: str, expected: str) -> None:
    assert to_inline(tex) == expected


def test_display_returns_a_fresh_list() -> None:
    lines = to_display(r"\frac{a}{b}")
    lines.append("changed")
    assert to_display(r"\frac{a}{b}") == ["a", "─", "b"]


# -- errors -----------------------------------------------------------------------------------

MALFORMED = [
    "{x",
    "x}",
    r"\frac{1}",
    r"\frac",
    r"\sqrt",
    r"\left( x",
    r"x \right)",
    r"\left x \right)",
    r"\begin{foo} x \end{foo}",
    r"\begin{matrix} a & b",
    r"\begin{matrix} a \end{pmatrix}",
    r"\end{matrix}",
    "x^",
    "x_1_2",
    "x^1^2",
    "a & b}",
    "x \\",
    r"\text{abc",
    "{" * 200 + "x" + "}" * 200,
]


@pytest.mark.parametrize("tex", MALFORMED)
def test_malformed_tex_raises(tex: str) -> None:
    with pytest.raises(TexError):
        to_inline(tex)
    with pytest.raises(TexError):
        to_display(tex)
    message = check(tex)
    assert message and "\n" not in message


def test_inline_falls_back_to_the_raw_tex() -> None:
    assert inline("  \\frac{1}  ") == "\\frac{1}"
    assert inline(r"\alpha") == "α"


def test_check() -> None:
    assert check(r"\frac{1}{2}") is None
    assert check(r"\frac{1}") == r"\frac is missing an argument"
    assert check(r"\begin{foo}x\end{foo}") == "unknown environment 'foo'"


def test_control_characters_never_pass_through() -> None:
    assert "\x1b" not in to_inline("x\x1b[31m")
    assert "\x1b" not in inline("\\frac{\x1b")


def test_no_formula_takes_pathologically_long() -> None:
    """A guard against blow-ups, not a speed target (the benchmark holds the figures; a
    formula takes well under a millisecond there): generous enough for a loaded machine."""
    from time import perf_counter

    from mlnotes.texmath import display, oneline
    from mlnotes.texmath.parser import parse

    start = perf_counter()
    rounds = 5
    for _ in range(rounds):
        for tex in ALL_TEX:  # uncached: parse and lay out both ways
            tree = parse(tex)
            oneline.render(tree)
            display.render(tree)
    per_formula = (perf_counter() - start) / (rounds * len(ALL_TEX))
    assert per_formula < 10e-3


# -- fuzzing ----------------------------------------------------------------------------------

TEX_PIECES = [
    "x", "y", "1", "23", "+", "-", "=", "<", ",", ".", "(", ")", "[", "]", "|", "'", " ",
    "\n", "\t", "{", "}", "{", "}", "^", "_", "&", "\\\\", "\\", "~", "%", "$", "*", "é", "日",
    r"\frac", r"\dfrac", r"\tfrac", r"\sqrt", r"\sqrt[3]", r"\binom", r"\hat", r"\bar",
    r"\vec", r"\mathbb", r"\mathcal", r"\mathrm", r"\text", r"\operatorname*", r"\sum",
    r"\int", r"\lim", r"\log", r"\arg", r"\min", r"\left(", r"\right)", r"\left.",
    r"\right\|", r"\middle|", r"\bigl(", r"\Big|", r"\begin{pmatrix}", r"\end{pmatrix}",
    r"\begin{cases}", r"\end{cases}", r"\begin{aligned}", r"\end{aligned}",
    r"\begin{array}{lc}", r"\end{array}", r"\xrightarrow", r"\overset", r"\underset",
    r"\substack", r"\not", r"\limits", r"\,", r"\quad", r"\|", r"\{", r"\}", r"\alpha",
    r"\to", r"\in", r"\cdot", r"\foo", r"\phantom", r"\pmod", r"\color", r"\label",
    r"\underbrace", r"\overbrace",
]
tex_strings = st.one_of(
    st.lists(st.sampled_from(TEX_PIECES), max_size=24).map("".join),
    st.text(max_size=30),
)


@settings(max_examples=400, deadline=None)
@given(tex_strings)
def test_inline_never_raises(tex: str) -> None:
    assert isinstance(inline(tex), str)


@settings(max_examples=400, deadline=None)
@given(tex_strings)
def test_renderers_raise_only_tex_error(tex: str) -> None:
    try:
        text = to_inline(tex)
    except TexError:
        pass
    else:
        assert "\n" not in text
    try:
        lines = to_display(tex)
    except TexError:
        pass
    else:
        assert len({cell_len(line) for line in lines}) == 1
