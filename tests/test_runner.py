"""The runner of a note's code, and ``mlnotes run`` through the real entry point."""

from __future__ import annotations

from mlnotes.runner import Run, code_blocks
from tests.conftest import note, write_collection
from tests.conftest import run

BODY = """
Intro.

```python
def inverse(x):
    return 1 / x
print("first", inverse(4))
```

```python no-run
this is not run
```

```python
print("second")
inverse(0)
```

```python
print("never reached")
```
"""


def failing(tmp_path):
    return write_collection(
        tmp_path / "notes",
        {"01-p/01-m/01-fails.md": note("Fails", "fails", BODY, summary="x", tags="[a, b, c]", level="intro")},
    )


def test_blocks_run_in_order_in_one_namespace_and_stop_at_a_failure(tmp_path):
    blocks = code_blocks(BODY, body_line=10)
    assert [(b.line, b.run) for b in blocks] == [(13, True), (19, False), (23, True), (28, True)]
    result = Run(blocks, tmp_path / "note.md").wait()
    assert [r.block.line for r in result.results] == [13, 23]  # no-run skipped, stops at failure
    first, second = result.results
    assert first.output == "first 0.25\n" and first.error is None
    assert second.output == "second\n"
    assert second.error.splitlines()[-1] == "ZeroDivisionError: division by zero"
    frames = [line for line in second.error.splitlines() if line.startswith("  File ")]
    assert frames == [  # the note's own frames only, with the note file's line numbers
        f'  File "{tmp_path / "note.md"}", line 25, in <module>',
        f'  File "{tmp_path / "note.md"}", line 15, in inverse',
    ]
    assert not result.ok and result.summary() == "block at line 23 failed: ZeroDivisionError: division by zero"


def test_seeded_like_the_tests():
    blocks = code_blocks("```python\nimport random\nprint(random.random())\n```\n")
    assert Run(blocks).wait().results[0].output.strip() == "0.8444218515250481"


def test_a_missing_package_is_named_with_the_install_hint():
    blocks = code_blocks("```python\nimport numpy_not_here_at_all.linalg\n```\n")
    result = Run(blocks, needs=("numpy_not_here_at_all",)).wait()
    assert result.missing == "numpy_not_here_at_all"
    assert result.summary() == (
        'numpy_not_here_at_all is not installed; the notes\' code needs it: pip install "mlnotes[code]"'
    )


def test_time_limit_and_cancel():
    blocks = code_blocks("```python\nimport time\nprint('start', flush=True)\ntime.sleep(30)\n```\n")
    result = Run(blocks, timeout=1).wait()
    assert result.timed_out and result.summary() == "stopped after 1 s (time limit)"
    job = Run(blocks, timeout=30)
    import threading

    threading.Timer(0.5, job.cancel).start()
    result = job.wait()
    assert result.cancelled and result.summary() == "cancelled"


def test_mlnotes_run_prints_each_output_under_its_block(small):
    out = run("run", "matrices", notes=small)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].endswith("02-matrices.md:16") and lines[1].strip() == "import numpy as np"


def test_mlnotes_run_shows_the_traceback_and_exits_1(tmp_path):
    out = run("run", "fails", notes=failing(tmp_path))
    assert out.returncode == 1
    text = out.stdout
    assert text.index("first 0.25") < text.index("print(\"second\")") < text.index("second\n")
    assert "(no-run: not run)" in text and "this is not run" in text
    assert "Traceback (most recent call last):" in text and "    return 1 / x" in text
    assert "ZeroDivisionError: division by zero" in text and "never reached" not in text
    assert out.stderr.strip() == "mlnotes: block at line 21 failed: ZeroDivisionError: division by zero"


def test_mlnotes_run_on_a_note_without_code(small):
    out = run("run", "vectors", notes=small)
    assert out.returncode == 1 and out.stderr.strip() == "mlnotes: vectors has no python blocks"


def test_the_reader_shows_a_missing_package_in_one_line():
    from mlnotes.runner import RunResult
    from mlnotes.tui.code_runs import _output_lines, _output_of

    kind, text = _output_of(RunResult(missing="scipy"))
    lines = _output_lines(kind, text, 100, 0, dict.fromkeys(("bar", "output", "error", "notice", "running")))
    shown = ["".join(seg.text for seg in line).strip() for line in lines if "".join(seg.text for seg in line).strip()]
    assert shown == ['│ scipy is not installed; the notes\' code needs it: pip install "mlnotes[code]"']
