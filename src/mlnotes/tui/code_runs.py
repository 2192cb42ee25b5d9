"""Running a note's Python blocks from the reader: the block in view (and those before it)
runs in a subprocess off the UI thread, and its output, error or a spinner is drawn under
the block until the note is left."""

from __future__ import annotations

from functools import partial

from mlnotes.tui.document import Rendered
from mlnotes.tui.note_view import NoteView
from mlnotes.tui.page import note_page


class CodeRuns:
    """Mixed into :class:`~mlnotes.tui.app.ReaderApp`: the run-code action and its output."""

    def action_run_code(self) -> None:
        """Run the first Python block in view that has not run yet (and the blocks before it,
        as the tests do), and show its output below it; pressed again, the next one."""
        note, view = self.current, self.query_one(NoteView)
        if note is None or self.page_key != note_page(note.slug) or not view.doc.complete:
            return
        k = view.code_in_view(set(self._outputs.get(note.slug, {})))
        if k is None:
            self.notify(f"No Python block in view: scroll to one and press {self.key_name('run-code')}.", timeout=3)
            return
        if view.doc.codes[k].kind == "no-run":
            self.notify("This block is marked no-run: it is not run.", timeout=3)
            return
        if self._run is not None:
            self.notify("A block is already running (esc cancels it).", timeout=3)
            return
        from mlnotes.runner import Run, note_blocks

        blocks = note_blocks(self.lib, note)
        if k >= len(blocks):
            return
        job = Run(blocks[: k + 1], note.path)
        self._run = (note.slug, k, job)
        self._spin = 0
        self._set_output(note.slug, k, ("running", ""))
        self._spinner = self.set_interval(0.1, self._spin_once)
        self.run_worker(partial(self._run_blocks, note.slug, k, job), thread=True, group="run")

    def _run_blocks(self, slug: str, k: int, job) -> None:
        result = job.wait()
        self.call_from_thread(self._ran, slug, k, result)

    def _ran(self, slug: str, k: int, result) -> None:
        if self._spinner is not None:
            self._spinner.stop()
        self._run = None
        self._set_output(slug, k, _output_of(result))

    def _spin_once(self) -> None:
        if self._run is not None:
            self._spin += 1
            slug, k, _ = self._run
            self._set_output(slug, k, ("running", ""))

    def _set_output(self, slug: str, k: int, output: tuple[str, str]) -> None:
        self._outputs.setdefault(slug, {})[k] = output
        if self.page_key != note_page(slug):
            return
        view = self.query_one(NoteView)
        base = self._cache.get((self.page_key, view.doc.width, self.raw_math, self._answers_shown(self.page_key)))
        if base is not None:
            view.show(self._with_outputs(base), scroll_y=None)

    def _with_outputs(self, doc: Rendered) -> Rendered:
        """``doc`` with the output of each block that was run below that block."""
        outputs = self._outputs.get(self.page_key.key, {}) if self.page_key is not None and self.page_key.is_note else {}
        inserts = {}
        styles = self.query_one(NoteView).output_styles() if outputs else {}
        for k, (kind, text) in outputs.items():
            if k < len(doc.codes):
                inserts[doc.codes[k].y1 - 1] = _output_lines(kind, text, doc.width, self._spin, styles)
        return doc.with_lines_after(inserts) if inserts else doc


SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def _output_of(result) -> tuple[str, str]:
    """(kind, text) to show for a run: the block's output, or why there is none."""
    if result.missing or result.cancelled or result.timed_out:
        return "notice", result.summary()
    last = result.results[-1] if result.results else None
    failed = result.failure
    if failed is not None:
        head = "" if failed is last else f"the block at line {failed.block.line} failed first:\n"
        return "error", (failed.output + "\n" if failed is last and failed.output else "") + head + failed.error
    if result.returncode:
        return "notice", result.summary()
    return "output", (last.output if last is not None else "") or "(no output)"


def _output_lines(kind: str, text: str, width: int, spin: int, styles: dict) -> list:
    """The lines shown under a block: its output, a traceback, a notice or the spinner, in
    the pane's styles (``NoteView.output_styles``)."""
    from rich.segment import Segment

    bar = Segment("  │ ", styles["bar"])
    style = styles[kind]
    if kind == "running":
        rows = [f"{SPINNER[spin % len(SPINNER)]} running… (esc cancels)"]
    else:
        rows = text.rstrip("\n").expandtabs().splitlines() or [""]
    room = max(8, width - bar.cell_length)
    lines = [[Segment(" " * width)]]
    for row in rows[:400]:
        chunks = [row[i : i + room] for i in range(0, len(row), room)] or [""]
        for chunk in chunks:
            lines.append([bar, Segment(chunk.ljust(room), style)])
    if len(rows) > 400:
        lines.append([bar, Segment(f"… {len(rows) - 400} more lines (mlnotes run shows them all)".ljust(room), style)])
    return lines
