"""The command line through its real entry point (the installed ``mlnotes`` script)."""

import json
import os
import subprocess
import sys


from tests.conftest import note, run, write_collection

def test_version_and_help():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("mlnotes ")
    out = run("--help")
    assert out.returncode == 0 and "search" in out.stdout and "check" in out.stdout


def test_usage_errors_exit_2_without_traceback(small):
    for args in (["search"], ["frobnicate"], ["search", "x", "--limit", "0"], ["search", "x", "--limit", "lots"]):
        out = run(*args, notes=small)
        assert out.returncode == 2, args
        assert "Traceback" not in out.stderr


def test_missing_notes_dir(tmp_path):
    out = run("list", notes=tmp_path / "nowhere")
    assert out.returncode == 2
    assert out.stderr.strip().startswith("mlnotes: notes folder not found")
    assert len(out.stderr.strip().splitlines()) == 1


def test_empty_collection(tmp_path):
    (tmp_path / "empty").mkdir()
    out = run("list", notes=tmp_path / "empty")
    assert out.returncode == 1 and "no notes found" in out.stderr


def test_list_tree_and_json(small):
    out = run("list", notes=small)
    assert out.returncode == 0
    assert "Linear Algebra · 0/2" in out.stdout and "Decision Trees" in out.stdout
    data = json.loads(run("list", "--json", notes=small).stdout)
    assert data["notes"] == 5 and data["modules"] == 3
    assert [p["title"] for p in data["parts"]] == ["Mathematics", "Ml"]
    assert data["parts"][0]["modules"][0]["notes"][0]["slug"] == "vectors"


def test_search_json_shape_and_exit_codes(small):
    out = run("search", "random", "forests", "--json", notes=small)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"query", "total", "suggestion", "results"}
    assert data["query"] == "random forests"
    first = data["results"][0]
    assert set(first) == {"slug", "title", "part", "module", "heading", "anchor", "score", "snippet"}
    assert first["slug"] == "trees"
    miss = run("search", "qqqqzzzz", "--json", notes=small)
    assert miss.returncode == 1 and json.loads(miss.stdout)["results"] == []


def test_search_text_output_and_suggestion(small):
    out = run("search", "regresion", notes=small, env={"NO_COLOR": "1"})
    assert out.returncode == 0
    assert "regression" in out.stdout.lower() and "Regression" in out.stdout
    out = run("search", "--limit", "1", "gradient", notes=small)
    assert out.stdout.count("\n 1. ") + out.stdout.startswith(" 1. ") == 1 and " 2. " not in out.stdout


def test_show_plain_when_piped_and_did_you_mean(small):
    out = run("show", "matrices", notes=small)
    assert out.returncode == 0
    assert "Matrices" in out.stdout and "Mathematics › Linear Algebra" in out.stdout
    assert "\x1b" not in out.stdout  # plain text when piped
    assert "λ" in out.stdout  # math rendered, not raw TeX
    out = run("show", "Decision", "Trees", notes=small)
    assert out.returncode == 0 and "greedily" in out.stdout
    miss = run("show", "matrics", notes=small)
    assert miss.returncode == 1
    assert "did you mean 'matrices'" in miss.stderr
    assert len(miss.stderr.strip().splitlines()) == 1


def test_show_piped_prints_code_lines_whole(tmp_path):
    wide = "A = 1  # SciPy returns A = P @ L @ U; this comment runs on well past eighty columns, and past a hundred too"
    root = write_collection(tmp_path / "c", {"01-p/01-m/01-w.md": note("Wide", "wide", f"Prose.\n\n```python\n{wide}\n```\n")})
    out = run("show", "wide", notes=root)
    assert out.returncode == 0
    assert any(line.strip() == wide for line in out.stdout.splitlines())  # one line, whole
    assert "›" not in out.stdout.replace("P › M", "")  # no mark: nothing was cut


def test_index_and_rebuild(small):
    out = run("index", notes=small)
    assert out.returncode == 0 and "indexed 5 notes" in out.stdout
    out = run("index", notes=small)
    assert "up to date" in out.stdout
    out = run("index", "--rebuild", notes=small)
    assert "indexed 5 notes" in out.stdout


def test_check_clean_and_with_problems(small, tmp_path):
    out = run("check", notes=small)
    assert out.returncode == 0, out.stdout + out.stderr
    bad = write_collection(
        tmp_path / "bad",
        {
            "a/m/01-a.md": note("A", "a", "See [[missing]].\n\nMath $\\frac{1}{$ here.\n\n| x | norm |\n| - | - |\n| 1 | $|x|$ |"),
            "a/m/02-b.md": "---\ntitle: [oops\n---\nBody.\n",
        },
    )
    out = run("check", notes=bad)
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert any("01-a.md:6:" in l and "[[missing]]" in l for l in lines), lines
    assert any("01-a.md:8:" in l for l in lines), lines  # the formula that does not parse
    assert any("01-a.md:12:" in l and "|" in l for l in lines), lines  # a | splitting a table cell
    assert any("02-b.md:" in l and "YAML" in l for l in lines), lines


def test_escape_sequences_never_reach_the_terminal(tmp_path):
    evil = write_collection(
        tmp_path / "evil",
        {"a/m/01-e.md": note("Evil\x1b]0;pwned\x07", "evil", "Clipboard \x1b]52;c;ZXZpbA==\x07 clear \x1b[2J and \x9b31m done.")},
    )
    for args in (["show", "evil"], ["list"], ["search", "clipboard"], ["search", "clipboard", "--json"]):
        out = run(*args, notes=evil)
        assert out.returncode == 0, (args, out.stderr)
        for bad in ("\x1b]", "\x1b[2J", "\x07", "\x9b"):
            assert bad not in out.stdout, (args, bad)


def test_notes_dir_from_environment(small):
    out = run("list", "--json", env={"MLNOTES_NOTES_DIR": str(small)})
    assert json.loads(out.stdout)["notes"] == 5


def test_shipped_notes_from_another_folder(tmp_path):
    out = run("list", "--json", cwd=tmp_path)
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert len(data["parts"]) == 5 and data["modules"] == 26


def test_reset_state(tmp_path, user_dirs):
    state = user_dirs / "state" / "x" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text("{}")
    out = run("--reset-state", env={"MLNOTES_STATE_DIR": str(user_dirs / "state")})
    assert out.returncode == 0 and not state.exists()


def test_search_commands_do_not_import_textual(small):
    code = (
        "import sys; from mlnotes.cli import main; "
        f"main(['--notes-dir', {str(small)!r}, 'search', 'trees', '--json']); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_show_hide_answers_folds_the_self_check(tmp_path):
    root = write_collection(
        tmp_path / "quiz",
        {"01-p/01-m/01-quiz.md": note("Quiz", "quiz", "Text.\n\n## Self-check\n\n**Q1. Why?**\n\n*Answer.* Because secret.\n")},
    )
    out = run("show", "quiz", notes=root)
    assert out.returncode == 0 and "Because secret." in out.stdout
    out = run("show", "quiz", "--hide-answers", notes=root)
    assert out.returncode == 0 and "Why?" in out.stdout and "secret" not in out.stdout and "Answer hidden" in out.stdout


def test_review_due_on_an_empty_and_a_corrupt_review_file(tmp_path):
    from mlnotes.review import Reviews
    from mlnotes.state import ReadingState

    root = write_collection(
        tmp_path / "quiz",
        {"01-p/01-m/01-quiz.md": note("Quiz", "quiz", "Text.\n\n## Self-check\n\n**Q1. Why?**\n\n*Answer.* Because.\n\n**Q2. How?**\n\n*Answer.* So.\n")},
    )
    out = run("review", "--due", "--json", notes=root)
    assert out.returncode == 0 and json.loads(out.stdout)["due_now"] == 0  # nothing read: no cards
    state = ReadingState.for_root(root)
    state.mark_read("quiz")
    state.save()
    data = json.loads(run("review", "--due", "--json", notes=root).stdout)
    assert data["due_now"] == 2 and [c["card"] for c in data["cards"]] == ["quiz#1", "quiz#2"]
    from mlnotes.library import load_library

    path = Reviews(load_library(root)).path
    path.write_bytes(b'{"format": 1, "cards": {"quiz#1": {"due": "never", "state": 9}}}')
    out = run("review", "--due", notes=root)
    assert out.returncode == 0 and "2 due now" in out.stdout
    assert "set aside" in out.stderr and "Traceback" not in out.stderr
    assert list(path.parent.glob("reviews.json.bad-*"))


def test_piped_show_has_no_trailing_spaces(tmp_path):
    root = write_collection(tmp_path / "c", {"01-p/01-m/01-a.md": note("Alpha", "alpha", "A short paragraph.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")})
    out = run("show", "alpha", notes=root)
    assert out.returncode == 0 and "A short paragraph." in out.stdout
    assert not [line for line in out.stdout.splitlines() if line != line.rstrip()]


def test_a_word_of_one_title_opens_it_and_a_shared_word_lists_every_match(tmp_path):
    root = write_collection(
        tmp_path / "c",
        {
            "01-p/01-m/01-a.md": note("The Spectral Theorem", "the-spectral-theorem", "Body."),
            "01-p/01-m/02-b.md": note("Gradient Descent", "gradient-descent", "Body."),
            "01-p/01-m/03-c.md": note("Gradient Boosting", "gradient-boosting", "Body."),
            "01-p/01-m/04-d.md": note("Conjugate Gradient Methods", "conjugate-gradient", "Body."),
        },
    )
    out = run("show", "spectral", notes=root)
    assert out.returncode == 0 and "The Spectral Theorem" in out.stdout  # one note has the word
    out = run("show", "gradient", notes=root)
    assert out.returncode != 0
    for slug in ("gradient-descent", "gradient-boosting", "conjugate-gradient"):
        assert slug in out.stderr
    out = run("show", "gradiant", notes=root)  # a misspelt word of a title
    assert "gradient-descent" in out.stderr


def test_ctrl_c_during_an_index_rebuild_says_so_and_keeps_the_previous_index(small, monkeypatch, capsys):
    import mlnotes.search as search_module
    from mlnotes.cli import main
    from mlnotes.library import load_library
    from mlnotes.search import SearchIndex

    assert main(["--notes-dir", str(small), "index"]) == 0
    real = search_module._document
    seen = []

    def interrupted(lib, note):
        seen.append(note.slug)
        if len(seen) == 3:
            raise KeyboardInterrupt  # what ctrl+c raises in the main thread
        return real(lib, note)

    monkeypatch.setattr(search_module, "_document", interrupted)
    capsys.readouterr()
    assert main(["--notes-dir", str(small), "index", "--rebuild"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "mlnotes: interrupted" and "Traceback" not in err
    monkeypatch.setattr(search_module, "_document", real)
    ix = SearchIndex(load_library(small))
    assert ix.is_current()  # the previous, complete index is still the one in use
    assert ix.search("vectors").hits


def _modules_loaded_by(args: list[str], root) -> set[str]:
    """The modules a real CLI run imports (same entry point, same process shape)."""
    code = (
        "import sys, io, contextlib\n"
        "from mlnotes.cli import main\n"
        f"sys.argv = ['mlnotes', '--notes-dir={root}', *{args!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main()\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_commands_load_only_what_they_use(small):
    piped_list = _modules_loaded_by(["list"], small)
    assert not any(m == "rich" or m.startswith(("rich.", "whoosh", "markdown_it", "textual")) for m in piped_list)
    _modules_loaded_by(["index"], small)  # building renders math (Rich's cell widths); searching does not
    for args in (["search", "gradient", "--json"], ["search", "gradient"]):
        search = _modules_loaded_by(args, small)
        assert "whoosh.searching" in search
        # Whoosh's own imports of urllib.request, asyncio and its English word-variation
        # table are served by stand-ins.
        assert not {"urllib.request", "asyncio", "http.client", "ssl", "whoosh.lang.morph_en"} & search
        # Piped, results are plain lines: no Rich, no Markdown machinery.
        assert not any(m == "rich" or m.startswith(("rich.", "textual", "markdown_it")) for m in search)


def test_the_stand_ins_do_not_outlive_the_whoosh_import():
    code = (
        "import mlnotes.search, sys\n"
        "assert 'cached_property' not in sys.modules and 'urllib.request' not in sys.modules\n"
        "assert 'whoosh.lang.morph_en' not in sys.modules\n"
        "import urllib.request, asyncio\n"
        "assert callable(urllib.request.urlopen) and callable(asyncio.run)\n"
        "from whoosh.query import terms\n"
        "assert 'render' in terms.variations('rendering')  # the real table, loaded on use\n"
        "import whoosh.compat\n"
        "print(whoosh.compat.urlretrieve.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "mlnotes.whoosh_import"
