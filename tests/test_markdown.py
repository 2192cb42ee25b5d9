"""NoteMarkdown: math and wikilinks inside Rich Markdown, and the math checker."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment

from mlnotes.markdown import NOTE_THEME, NoteMarkdown, iter_math, make_parser, math_problems

TITLES = {"vector-spaces": "Vector Spaces", "svd": "SVD"}


def console(width: int = 80) -> Console:
    return Console(
        width=width, record=True, color_system=None, theme=NOTE_THEME, file=io.StringIO()
    )


def render(source: str, width: int = 80, **kwargs) -> str:
    out = console(width)
    out.print(NoteMarkdown(source, **kwargs))
    return out.export_text()


def segments(source: str, width: int = 80, **kwargs) -> list[Segment]:
    return list(console(width).render(NoteMarkdown(source, **kwargs)))


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


# -- math in prose ----------------------------------------------------------------------------


def test_inline_math_flows_with_the_sentence() -> None:
    text = render(r"The sigmoid $\sigma(z) = \frac{1}{1 + e^{-z}}$ squashes.")
    assert lines(text) == ["The sigmoid σ(z) = 1/(1 + e⁻ᶻ) squashes."]


def test_a_formula_is_never_split_across_lines() -> None:
    source = (
        "Penrose showed that $X = A^+$ is the unique matrix satisfying $AXA = A$, $XAX = X$, "
        "$(AX)^T = AX$ and $(XA)^T = XA$; so *also in a list*:\n\n"
        "- the projector $P = A(A^T A)^{-1} A^T$ is symmetric and $P^2 = P$ holds.\n"
    )
    formulas = ["X = A⁺", "AXA = A", "XAX = X", "(AX)ᵀ = AX", "(XA)ᵀ = XA", "P = A(AᵀA)⁻¹Aᵀ", "P² = P"]
    for width in range(24, 90):
        shown = lines(render(source, width))
        for formula in formulas:
            assert any(formula in line for line in shown), (width, formula, shown)
        # Nothing lost or added: the words are those of the paragraph, in order.
        assert " ".join(" ".join(shown).split()) == " ".join(" ".join(lines(render(source, 200))).split())


def test_a_formula_wider_than_the_line_breaks_at_its_spaces() -> None:
    shown = lines(render(r"Sum: $a_1 + a_2 + a_3 + a_4 + a_5 + a_6 + a_7 + a_8 + a_9$ end.", 20))
    assert all(len(line) <= 20 for line in shown)
    assert not any(line.startswith("+") and line[1:2] != " " for line in shown)
    assert "a₉ end." in " ".join(shown)


def test_underscores_in_math_are_not_emphasis() -> None:
    text = render(r"Sum $\sum_{j=1}^K e^{z_j}$ over $a_i$ and $b_j$ here.")
    assert lines(text) == ["Sum ∑ⱼ₌₁ᴷ e^(zⱼ) over aᵢ and bⱼ here."]


def test_escapes_inside_math_survive() -> None:
    text = render(r"Sets $\{x \mid \|x\|_2 \le 1\}$ and $a \\ b$.")
    assert lines(text) == ["Sets {x | ‖x‖₂ ≤ 1} and a; b."]


def test_currency_stays_prose() -> None:
    text = render("It costs $5-$10 a month, or $1,000 to $2,000 a year.")
    assert lines(text) == ["It costs $5-$10 a month, or $1,000 to $2,000 a year."]


def test_currency_before_a_code_span_stays_prose() -> None:
    text = render("From $2,000 (see `$x$`) on.")
    assert lines(text) == ["From $2,000 (see $x$) on."]


def test_escaped_dollar_is_a_dollar() -> None:
    text = render(r"A literal \$3 and $x$ and \$4.")
    assert lines(text) == ["A literal $3 and x and $4."]


def test_code_spans_and_fences_keep_their_dollars() -> None:
    source = "Write `$x_1$` literally.\n\n```python\nprice = '$5 $x_1$'\n```\n"
    text = render(source)
    assert "Write $x_1$ literally." in text
    assert "price = '$5 $x_1$'" in text


def test_math_in_headings_lists_and_tables() -> None:
    source = (
        "## Norm $\\|x\\|_2$\n\n"
        "- first $x_i^2$\n"
        "- second $\\alpha$\n\n"
        "| name | value |\n"
        "|------|-------|\n"
        "| norm | $\\lVert x \\rVert_2$ |\n"
    )
    text = render(source)
    assert "Norm ‖x‖₂" in text
    assert "• first xᵢ²" in text
    assert "• second α" in text
    assert "norm  ‖x‖₂" in text


def test_double_dollars_inside_a_paragraph_stay_inline() -> None:
    assert lines(render(r"So $$\frac{a}{b}$$ here.")) == ["So a/b here."]


def test_inline_math_is_styled() -> None:
    math = NOTE_THEME.styles["mlnotes.math"]
    found = [s for s in segments(r"Let $\alpha$ be.") if s.text == "α"]
    assert found and found[0].style is not None and found[0].style.color == math.color


def test_math_takes_surrounding_bold() -> None:
    found = [s for s in segments(r"**bold $x$**") if s.text == "x"]
    assert found and found[0].style is not None and found[0].style.bold


def test_bad_inline_math_shows_raw_tex_dimmed() -> None:
    found = [s for s in segments(r"Bad $\frac{1}$ here.") if "frac" in s.text]
    assert found[0].text == r"\frac{1}"
    assert found[0].style is not None and found[0].style.dim


# -- display math -----------------------------------------------------------------------------

SOFTMAX = "$$\n\\mathrm{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}\n$$\n"


def test_display_math_is_a_centred_rectangle() -> None:
    text = render("Before.\n\n" + SOFTMAX + "\nAfter.", width=41)
    block = [line for line in text.splitlines() if line.strip() and "fore" not in line]
    block = block[:-1]  # drop "After."
    margin = " " * 10  # the block is 21 cells wide: (41 - 21) // 2
    assert block == [
        margin + "                 zᵢ  ",
        margin + "                e    ",
        margin + "softmax(z)ᵢ = ───────",
        margin + "               K   zⱼ",
        margin + "               ∑  e  ",
        margin + "              j=1    ",
    ]


def test_display_math_in_a_list_item() -> None:
    text = render("- item:\n\n  $$\\frac{a}{b}$$\n", width=23)
    assert lines(text) == [" • item:", "            a", "            ─", "            b"]


def test_narrow_display_falls_back_to_inline_wrapped() -> None:
    text = render(SOFTMAX, width=20)
    assert "───" not in text
    joined = " ".join(line.strip() for line in text.splitlines() if line.strip())
    assert joined == "softmax(z)ᵢ = e^(zᵢ)/(∑ⱼ₌₁ᴷ e^(zⱼ))"
    assert all(len(line.rstrip()) <= 20 for line in text.splitlines())


def test_display_math_never_wrapped_or_cropped_when_it_fits() -> None:
    tex = r"\mathcal{L}(\theta) = -\frac{1}{N}\sum_{i=1}^{N} \log p(y_i \mid x_i)"
    text = render(f"$$\n{tex}\n$$\n", width=36)
    margin = "   "  # 29 cells in 36
    assert lines(text) == [
        margin + "         1  N",
        margin + "ℒ(θ) = − ─  ∑  log p(yᵢ | xᵢ)",
        margin + "         N i=1",
    ]


def test_display_parse_error_shows_raw_tex_dimmed() -> None:
    source = "$$\n\\frac{1}{\n$$\n"
    assert lines(render(source)) == ["\\frac{1}{"]
    raw = [s for s in segments(source) if "frac" in s.text]
    assert raw[0].style is not None and raw[0].style.dim


def test_raw_math_shows_the_tex() -> None:
    source = "Inline $\\alpha_i$ here.\n\n$$\n\\frac{a}{b}\n$$\n"
    assert lines(render(source, raw_math=True)) == [
        "Inline $\\alpha_i$ here.",
        "$$\\frac{a}{b}$$",
    ]


def test_a_stray_double_dollar_does_not_swallow_the_note() -> None:
    text = render("$$\n\\frac{a}{b}\n\nNext paragraph with $x$.\n")
    assert "Next paragraph with x." in text


# -- wikilinks --------------------------------------------------------------------------------


def test_wikilinks_show_titles_and_carry_their_slug() -> None:
    source = "See [[vector-spaces]], [[svd|the SVD]] and [[nowhere]]."
    text = render(source, resolve_link=TITLES.get)
    assert lines(text) == ["See Vector Spaces, the SVD and nowhere."]
    found = {s.text: s.style for s in segments(source, resolve_link=TITLES.get)}
    link = NOTE_THEME.styles["mlnotes.link"]
    broken = NOTE_THEME.styles["mlnotes.link.broken"]
    assert found["Vector Spaces"].meta == {"wikilink": "vector-spaces"}
    assert found["Vector Spaces"].color == link.color
    assert found["the SVD"].meta == {"wikilink": "svd"}
    assert found["nowhere"].meta == {"wikilink": "nowhere"}
    assert found["nowhere"].color == broken.color


def test_wikilinks_without_a_resolver_show_the_slug() -> None:
    assert lines(render("Read [[bias-variance]] next.")) == ["Read bias-variance next."]


def test_wikilinks_in_code_are_text() -> None:
    assert lines(render("Write `[[slug]]`.")) == ["Write [[slug]]."]


def test_wikilink_in_a_table_cell() -> None:
    source = "| a | b |\n|---|---|\n| [[svd\\|the SVD]] | x |\n"
    found = {s.text: s.style for s in segments(source)}
    assert found["the SVD"].meta == {"wikilink": "svd"}


# -- safety -----------------------------------------------------------------------------------


def test_escape_characters_never_reach_the_terminal() -> None:
    source = "Hi \x1b[2J there $x\x1b]0;t\x07$ and\n\n$$\n\\text{\x1b[31m}\n$$\n"
    out = segments(source)
    assert not any("\x1b" in s.text or "\x07" in s.text for s in out)
    assert "␛[2J" in render(source)


# -- checking ---------------------------------------------------------------------------------


def test_iter_math_lines_and_kinds() -> None:
    source = (
        "# Title $a$\n"  # 1
        "\n"
        "Text $b$ and\n"  # 3
        "more $c$ text.\n"  # 4
        "\n"
        "$$\n"  # 6
        "d\n"
        "$$\n"
        "\n"
        "- item $e$\n"  # 10
        "\n"
        "| x | y |\n"
        "|---|---|\n"
        "| $f$ | 1 |\n"  # 14
        "\n"
        "`$g$` and \\$5\n"
    )
    assert iter_math(source) == [
        (1, "a", False),
        (3, "b", False),
        (4, "c", False),
        (6, "d", True),
        (10, "e", False),
        (14, "f", False),
    ]


def test_math_problems_flags_bad_formulas_by_line() -> None:
    source = "Good $x$.\n\nBad $\\frac{1}$ here.\n\n$$\n\\left( x\n$$\n"
    assert math_problems(source) == [
        (3, "\\frac is missing an argument: $\\frac{1}$"),
        (5, "\\left without \\right: $\\left( x$"),
    ]


def test_math_problems_flags_bars_in_table_math() -> None:
    source = (
        "| norm | value |\n"
        "|------|-------|\n"
        "| abs | $|x|$ |\n"  # 3: splits the cell
        "| ok | $\\lvert x \\rvert$ |\n"
        "| norm | $\\|x\\|$ |\n"  # 5: \| is unescaped to | inside a table
        "\n"
        "Outside a table $|x|$ is fine.\n"
    )
    problems = math_problems(source)
    assert [line for line, _ in problems] == [3, 5]
    assert all("table" in message and "\\lvert" in message for _, message in problems)


def test_no_problems_in_clean_notes() -> None:
    source = "Mean $\\bar{x}$.\n\n$$\n\\sum_{i=1}^n x_i\n$$\n\n| a | $\\lvert b \\rvert$ |\n|--|--|\n"
    assert math_problems(source) == []


def test_make_parser_is_the_render_tokenizer() -> None:
    tokens = make_parser().parse("a $x_1$ [[s]] `$y$`")
    kinds = [child.type for child in tokens[1].children or []]
    assert kinds == ["text", "math_inline", "text", "wikilink", "text", "code_inline"]


# -- fuzzing ----------------------------------------------------------------------------------

MD_PIECES = [
    "$", "$$", "\\$", "\\", "{", "}", "_", "*", "**", "|", "[[", "]]", "[", "]", "`",
    "```", "\n", "\n\n", "- ", "> ", "# ", " ", "x", "a_1", "5", "\\frac", "\\sum", "^",
    "\x1b", "\x9b", "|---|", "| a |", "\\left(", "\\right)", "\\begin{cases}", "\\\\",
    "&", "~~", "<kbd>", "é", "\t", "\\text{", "1.", "![i](u)", "[l](u)",
]
markdown_strings = st.one_of(
    st.lists(st.sampled_from(MD_PIECES), max_size=40).map("".join), st.text(max_size=60)
)


@settings(max_examples=200, deadline=None)
@given(markdown_strings, st.integers(min_value=6, max_value=100), st.booleans())
def test_rendering_never_raises(source: str, width: int, raw: bool) -> None:
    resolve = (lambda slug: None) if raw else TITLES.get
    text = render(source, width=width, raw_math=raw, resolve_link=resolve)
    assert "\x1b" not in text
    math_problems(source)
    iter_math(source)


WIDE = "x = 1  # SciPy returns A = P @ L @ U, and this comment runs far past the edge of the column"


def test_code_lines_are_cut_with_a_mark_never_wrapped() -> None:
    text = render(f"Prose.\n\n```python\n{WIDE}\ny = 2\n```\n", width=40)
    lines = text.splitlines()
    cut = next(line for line in lines if "x = 1" in line)
    assert cut.rstrip().endswith("›") and len(cut) == 40  # cut at the edge, with the mark
    assert not any(line.lstrip().startswith("= P @ L @ U") or "the column" in line for line in lines)  # nothing wrapped
    assert any(line.strip() == "y = 2" for line in lines)  # a short line has no mark


def test_render_lines_gives_code_back_whole_after_a_list_indent() -> None:
    from mlnotes.markdown import render_lines

    console = Console(file=io.StringIO(), width=40, theme=NOTE_THEME, force_terminal=True, color_system="truecolor")
    md = NoteMarkdown(f"- item\n\n  ```\n  {WIDE}\n  ```\n\nAfter a long paragraph that wraps at forty columns as prose should.")
    texts = ["".join(seg.text for seg in line) for line in render_lines(console, md, console.options)]
    code = next(t for t in texts if "x = 1" in t)
    assert WIDE in code and code.index("x = 1") > 2  # whole, and still indented under the item
    assert all(len(t) <= 40 for t in texts if "x = 1" not in t and t.strip())  # prose still wraps at 40
    assert "›" not in "".join(texts)
