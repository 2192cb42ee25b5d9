"""Run a note's Python blocks: in order, in one namespace, in a child process with a time limit.

One runner serves ``mlnotes run``, the reader's ``x`` and the test suite. The child is seeded
(``random`` and, when present, NumPy) so a note's output is the same on every run. Each
block's output is told apart by a marker line the child prints before it; a failing block
leaves the traceback of the note's own code (its frames only, with the note's file and line
numbers) and stops the run. A missing NumPy or SciPy is reported by name, not as a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Block", "BlockResult", "Run", "RunResult", "code_blocks", "note_blocks", "run_blocks"]

TIMEOUT = 60.0  # seconds for a whole note
CODE_PACKAGES = ("numpy", "scipy")  # what the notes' code needs: the "code" extra
INSTALL_HINT = 'pip install "mlnotes[code]"'
_MARK = "@@mlnotes-runner@@ "  # starts the child's marker lines


@dataclass(frozen=True)
class Block:
    line: int  # file line of the opening fence
    code: str
    run: bool  # False for a ``python no-run`` block

    @property
    def head(self) -> list[str]:
        """The first two lines of the block that are not blank, to show where its output
        comes from."""
        return [line for line in self.code.splitlines() if line.strip()][:2]


@dataclass
class BlockResult:
    block: Block
    output: str = ""
    error: str | None = None  # the traceback of the note's code, when the block failed


@dataclass
class RunResult:
    results: list[BlockResult] = field(default_factory=list)  # the blocks that ran, in order
    missing: str | None = None  # a package in CODE_PACKAGES that is not installed
    timed_out: bool = False
    limit: float = TIMEOUT  # the time limit it ran under
    cancelled: bool = False
    returncode: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.timed_out or self.cancelled or self.returncode) and all(
            r.error is None for r in self.results
        )

    @property
    def failure(self) -> BlockResult | None:
        return next((r for r in self.results if r.error is not None), None)

    def summary(self) -> str | None:
        """One line saying why the run did not succeed, or None."""
        if self.missing:
            return f"{self.missing} is not installed; the notes' code needs it: {INSTALL_HINT}"
        if self.cancelled:
            return "cancelled"
        if self.timed_out:
            return f"stopped after {self.limit:g} s (time limit)"
        failed = self.failure
        if failed is not None:
            last = failed.error.strip().splitlines()[-1] if failed.error.strip() else "error"
            return f"block at line {failed.block.line} failed: {last}"
        if self.returncode:
            return f"the code exited with status {self.returncode}"
        return None


# --------------------------------------------------------------------------- finding blocks


def code_blocks(body: str, body_line: int = 1) -> list[Block]:
    """The ``python`` blocks of a note body, with their file lines (``no-run`` ones too),
    read from the note's outline like every other part of a note's structure."""
    from mlnotes.outline import PYTHON_FENCES, outline

    blocks = []
    for block in outline(body).code_blocks:
        words = block.info.strip().lower().split()
        if words and words[0] in PYTHON_FENCES:
            blocks.append(Block(body_line + block.line, block.content, "no-run" not in words))
    return blocks


def note_blocks(lib, note) -> list[Block]:
    """A note's ``python`` blocks, the one place they are taken from the library."""
    return code_blocks(lib.body(note), note.body_line)


# --------------------------------------------------------------------------- running

_CHILD = r"""
import json, random, sys, traceback
payload = json.loads(sys.stdin.read())
MARK = payload["mark"]
random.seed(0)
try:
    import numpy
    numpy.random.seed(0)
except ImportError:
    pass
namespace = {"__name__": "__note__"}
for index, (line, code) in enumerate(payload["blocks"]):
    sys.stdout.write(f"\n{MARK}block {index}\n")
    sys.stdout.flush()
    try:
        # padded so that tracebacks give the note file's own line numbers
        exec(compile("\n" * line + code, payload["path"], "exec"), namespace)
    except BaseException as exc:
        sys.stdout.flush()
        name = (getattr(exc, "name", None) or "").split(".")[0]
        if isinstance(exc, ModuleNotFoundError) and name in payload["needs"]:
            sys.stderr.flush()
            sys.stdout.write(f"\n{MARK}missing {name}\n")
            sys.exit(3)
        sys.stdout.write(f"\n{MARK}error {index}\n")
        sys.stdout.flush()
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next, file=sys.stdout)
        sys.stdout.flush()
        sys.exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
sys.stdout.write(f"\n{MARK}done\n")
"""


class Run:
    """One run of ``blocks`` (the runnable ones) in a child process; :meth:`cancel` kills it."""

    def __init__(
        self,
        blocks: list[Block],
        path: str | Path = "<note>",
        timeout: float = TIMEOUT,
        cwd: str | Path | None = None,
        needs: tuple[str, ...] = CODE_PACKAGES,
    ) -> None:
        self.blocks = [b for b in blocks if b.run]
        self.path = str(path)
        self.timeout = timeout
        self.cwd = cwd
        self.needs = needs
        self._process: subprocess.Popen | None = None
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def wait(self) -> RunResult:
        """Run the blocks and collect what each printed."""
        if not self.blocks:
            return RunResult()
        # Each line after the fence: the code's first line is the fence line + 1.
        payload = {
            "mark": _MARK,
            "path": self.path,
            "needs": list(self.needs),
            "blocks": [(b.line, b.code) for b in self.blocks],
        }
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
        env.pop("PYTHONSTARTUP", None)
        self._process = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=self.cwd,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        if self._cancelled.is_set():
            self._process.kill()
        timed_out = False
        try:
            out, _ = self._process.communicate(json.dumps(payload), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            out, _ = self._process.communicate()
            timed_out = True
        result = _parse(out or "", self.blocks)
        result.timed_out = timed_out
        result.limit = self.timeout
        result.cancelled = self._cancelled.is_set()
        result.returncode = 0 if timed_out or result.cancelled else self._process.returncode
        if result.returncode and result.missing:
            result.returncode = 0  # told by name instead
        if result.returncode and result.failure is not None:
            result.returncode = 0  # told by the traceback instead
        return result


def _parse(out: str, blocks: list[Block]) -> RunResult:
    """Split the child's output at its marker lines (each follows a newline of its own)."""
    result = RunResult()
    current: BlockResult | None = None
    into_error = False
    chunks: list[str] = []

    def close() -> None:
        text = "\n".join(chunks)
        if current is not None:
            if into_error:
                current.error = text
            else:
                current.output = text

    for line in out.split("\n"):
        if line.startswith(_MARK):
            close()
            chunks = []
            word, _, arg = line[len(_MARK):].strip().partition(" ")
            if word == "block":
                current = BlockResult(blocks[int(arg)])
                result.results.append(current)
                into_error = False
            elif word == "error":
                into_error = True
            elif word == "missing":
                result.missing = arg
            else:
                current = None
            continue
        chunks.append(line)
    close()
    return result


def run_blocks(blocks: list[Block], path: str | Path = "<note>", timeout: float = TIMEOUT, cwd=None) -> RunResult:
    return Run(blocks, path, timeout=timeout, cwd=cwd).wait()
