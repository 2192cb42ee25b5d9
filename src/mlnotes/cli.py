"""The command line: ``mlnotes`` opens the reader; subcommands search, show, list, index, check, run.

Exit codes: 0 ok, 1 nothing found or problems found, 2 usage (bad arguments, no such notes
folder). Errors are one line on stderr, never a traceback. Only the reader imports Textual;
the other commands stay quick to start.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from mlnotes import __version__

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_NOTHING):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlnotes",
        description="The foundations of machine learning, as a curriculum you read in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"mlnotes {__version__}")
    parser.add_argument(
        "--notes-dir",
        metavar="DIR",
        help="read this folder of Markdown notes instead of the shipped curriculum (also MLNOTES_NOTES_DIR)",
    )
    parser.add_argument("--reset-state", action="store_true", help="forget reading position, read marks, bookmarks and history")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("search", help="full-text search; ranked results with snippets")
    p.add_argument("query", nargs="+", help="words, \"phrases\", prefix*, field:term, AND/OR/NOT")
    p.add_argument("--limit", type=_positive, default=10, metavar="N", help="at most N results (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("show", help="print a note (slug or title)")
    p.add_argument("note", nargs="+", help="slug or title")
    p.add_argument("--raw-math", action="store_true", help="show math as TeX source")
    p.add_argument("--hide-answers", action="store_true", help="fold the self-check answers")

    p = sub.add_parser("open", help="open the reader on a note (slug or title)")
    p.add_argument("note", nargs="+", help="slug or title")

    p = sub.add_parser("list", help="the parts, modules and notes, with counts and read marks")
    p.add_argument("--unread", action="store_true", help="only the notes not read yet")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("path", help="the unread notes to read before a note, in reading order")
    p.add_argument("note", nargs="+", help="slug or title")
    p.add_argument("--all", action="store_true", help="include the notes already read")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("review", help="review the self-checks that are due (opens the reader)")
    p.add_argument("--due", action="store_true", help="print the cards due instead of opening the reader")
    p.add_argument("--json", action="store_true", help="with --due: print JSON")

    p = sub.add_parser("index", help="bring the search index up to date")
    p.add_argument("--rebuild", action="store_true", help="build it again from scratch")

    p = sub.add_parser("run", help="run a note's python blocks in order and print their output")
    p.add_argument("note", nargs="+", help="slug or title")
    p.add_argument("--timeout", type=_positive, default=60, metavar="SECONDS", help="time limit for the whole note (default 60)")

    sub.add_parser("check", help="list every problem in the collection; exit 1 if any")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


# --------------------------------------------------------------------------- helpers


def _console(stderr: bool = False, lines: bool = False):
    """A Rich console on stdout (or stderr). ``lines``: output made of lines that must not
    wrap when piped (lists, results), so scripts get one entry per line."""
    from rich.console import Console

    from mlnotes.theme import NOTE_THEME

    class QuietOnClosedPipe(Console):
        """Rich exits with status 1 when the reader of a pipe goes away (``| head``); a Unix
        tool stops quietly with 0 instead."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    console = QuietOnClosedPipe(stderr=stderr, theme=NOTE_THEME, highlight=False, soft_wrap=False)
    if lines and not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 1000
    return console


def load(args):
    from mlnotes.library import LoadError, load_library
    from mlnotes.metacache import MetaCache
    from mlnotes.paths import notes_dir

    root = notes_dir(args.notes_dir)
    try:
        lib = load_library(root, cache=MetaCache.for_root(root) if root.is_dir() else None)
    except LoadError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if not lib.notes:
        raise CliError(f"no notes found in {lib.root} (looking for *.md files)")
    return lib


def find_note(lib, words: list[str]):
    query = " ".join(words)
    note = lib.find(query)
    if note is None:
        close = lib.suggest(query)
        hint = f"; did you mean {', '.join(repr(n.slug) for n in close)}?" if close else ""
        raise CliError(f"no note {query!r}{hint}")
    return note


def open_index(lib, rebuild: bool = False, quiet: bool = False):
    """The search index, made current; a progress bar on stderr when there is work to show,
    and a notice there when the index could not be brought up to date."""
    from mlnotes.search import SearchIndex

    ix = SearchIndex(lib)
    try:
        if not rebuild and ix.is_current():
            return ix, _noticed(ix.open())
        if quiet or not sys.stderr.isatty():
            return ix, _noticed(ix.open(rebuild=rebuild))
        err = _console(stderr=True)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
        ) as bar:
            task = bar.add_task("indexing notes", total=None)

            def progress(done: int, total: int, what: str) -> None:
                label = "writing the index" if what == "writing" else "indexing notes"
                bar.update(task, completed=done, total=total, description=label)

            stats = ix.open(rebuild=rebuild, progress=progress)
    except TimeoutError as exc:
        raise CliError(str(exc)) from None
    return ix, _noticed(stats)


def _noticed(stats):
    if stats.notice:
        print(f"mlnotes: {stats.notice}", file=sys.stderr)
    return stats


def _relpath(path: Path) -> str:
    """A path for the terminal: relative when near, with control bytes made visible."""
    from mlnotes.sanitize import clean_name

    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    return clean_name(rel if not rel.startswith(".." + os.sep + "..") else str(path))


# --------------------------------------------------------------------------- commands


def cmd_search(args) -> int:
    lib = load(args)
    ix, _ = open_index(lib, quiet=args.json)
    text = " ".join(args.query)
    results = ix.search(text, limit=args.limit)
    ix.close()
    if results.notice:
        print(f"mlnotes: {results.notice}", file=sys.stderr)
    if args.json:
        print(json.dumps(results.as_json(), ensure_ascii=False, indent=2))
        return EXIT_OK if results.hits else EXIT_NOTHING
    if not sys.stdout.isatty():
        return _print_plain_results(results, text)
    from rich.text import Text

    out = _console()
    if results.suggestion:
        lead = "Showing results for" if results.corrected else "Did you mean"
        out.print(Text.assemble((f"{lead}: ", "dim"), (results.suggestion, "bold")))
    if not results.hits:
        out.print(f"No notes match {text!r}.")
        return EXIT_NOTHING
    out.print(Text(_count_line(results.total, len(results.hits)), style="dim"))
    for rank, hit in enumerate(results.hits, 1):
        line = Text.assemble((f"{rank:>2}. ", "dim"), (hit.title, "bold"), ("  ", ""), (f"{hit.part} › {hit.module}", "dim"))
        out.print(line)
        if hit.heading:
            out.print(Text.assemble(("    § ", "dim"), (hit.heading, "italic")))
        snippet = Text("    " + hit.snippet)
        for start, end in hit.spans:
            snippet.stylize("bold reverse", start + 4, end + 4)
        out.print(snippet, soft_wrap=True)
        out.print(Text(f"    {hit.slug}", style="dim"))
    return EXIT_OK


def _print_plain_results(results, text: str) -> int:
    """Search results as plain lines for a pipe: the same lines as on a terminal, without
    styles (and without loading Rich, which would cost more than the search)."""
    lines = []
    if results.suggestion:
        lines.append(f"{'Showing results for' if results.corrected else 'Did you mean'}: {results.suggestion}")
    if not results.hits:
        lines.append(f"No notes match {text!r}.")
    else:
        lines.append(_count_line(results.total, len(results.hits)))
        for rank, hit in enumerate(results.hits, 1):
            lines.append(f"{rank:>2}. {hit.title}  {hit.part} › {hit.module}")
            if hit.heading:
                lines.append(f"    § {hit.heading}")
            lines += [f"    {hit.snippet}", f"    {hit.slug}"]
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
    return EXIT_OK if results.hits else EXIT_NOTHING


def _count_line(total: int, shown: int) -> str:
    """How many notes match (all of them, not only those shown), the same words as the reader."""
    line = f"{total} notes match" if total != 1 else "1 note matches"
    return line + (f" · the best {shown} shown" if shown < total else "")


def note_renderables(lib, note, raw_math: bool = False, hide_answers: bool = False):
    """The title block and body of a note, as Rich renderables (shared with the reader)."""
    from rich.text import Text

    from mlnotes.markdown import NoteMarkdown

    header = Text.assemble((note.title, "bold"), "\n", (note.byline, "dim"))
    # The outline's text: the body without its HTML comments.
    o = lib.outline(note)
    text = o.text
    if hide_answers:
        from mlnotes.outline import SELF_CHECK
        from mlnotes.selfcheck import fold

        parts = [fold(o.source(s), link=False) if s.kind == SELF_CHECK else o.source(s) for s in o.sections]
        text = "\n".join(parts)
    return header, NoteMarkdown(text, raw_math=raw_math, resolve_link=lib.resolve)


def cmd_show(args) -> int:
    from rich.console import Group
    from rich.padding import Padding

    lib = load(args)
    note = find_note(lib, args.note)
    header, body = note_renderables(lib, note, raw_math=args.raw_math, hide_answers=args.hide_answers)
    out = _console()
    content = Group(Padding(header, (0, 0, 1, 0)), body)
    if out.is_terminal:
        lines = out.render_lines(content, out.options.update(height=None), pad=False)
        if len(lines) > out.height:
            os.environ.setdefault("LESS", "-R")
            with out.pager(styles=True):
                out.print(content)
            return EXIT_OK
        out.print(content)
        return EXIT_OK
    # Piped: the same text, with code lines whole however wide (a terminal cuts them at its
    # edge, with a mark), and without the spaces Rich pads each line with to the full width.
    from mlnotes.markdown import render_lines

    options = out.options.update(height=None)
    lines = out.render_lines(Padding(header, (0, 0, 1, 0)), options, pad=False) + render_lines(out, body, options)
    with out.capture() as captured:
        out.print(_Lines(lines), crop=False, soft_wrap=True)
    out.file.write("\n".join(line.rstrip() for line in captured.get().split("\n")))
    return EXIT_OK


class _Lines:
    """Lines of segments, printed as they are (no wrapping, no cropping)."""

    def __init__(self, lines) -> None:
        self.lines = lines

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for line in self.lines:
            yield from line
            yield Segment.line()


def _read_marks(lib) -> set[str]:
    from mlnotes.state import ReadingState

    state = ReadingState.for_root(lib.root)
    if state.notice:  # a damaged state file was set aside: say so once, where it went
        print(f"mlnotes: {state.notice}", file=sys.stderr)
    return state.read


def cmd_list(args) -> int:
    lib = load(args)
    read = _read_marks(lib)
    shown = lambda notes: [n for n in notes if not (args.unread and n.slug in read)]  # noqa: E731
    if args.json:
        data = {
            "title": lib.title,
            "notes": len(lib.notes),
            "read": sum(n.slug in read for n in lib.notes),
            "modules": lib.module_count,
            "parts": [
                {
                    "title": part.title,
                    "notes": len(part.notes),
                    "read": sum(n.slug in read for n in part.notes),
                    "modules": [
                        {
                            "title": module.title,
                            "read": sum(n.slug in read for n in module.notes),
                            "notes": [
                                {"slug": n.slug, "title": n.title, "level": n.level, "words": n.words, "minutes": n.reading_minutes, "read": n.slug in read}
                                for n in shown(module.notes)
                            ],
                        }
                        for module in part.modules
                    ],
                }
                for part in lib.parts
            ],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    _print_lines(_tree_lines(lib, read, shown))
    return EXIT_OK


def _tree_lines(lib, read: set[str], shown):
    """The collection as a tree, one line at a time, so a long listing starts at once and a
    closed pipe (``| head``) stops it early."""
    done = sum(n.slug in read for n in lib.notes)
    yield [(lib.title, "bold"), (f"  {len(lib.notes)} notes · {done} read · {lib.module_count} modules · {len(lib.parts)} parts", "dim")]

    def branch(guide: str, last: bool, pieces: list[tuple[str, str]]):
        return [(guide + ("└── " if last else "├── "), ""), *pieces], guide + ("    " if last else "│   ")

    for i, part in enumerate(lib.parts):
        line, in_part = branch("", i == len(lib.parts) - 1, [(part.title, "bold"), (f" · {sum(n.slug in read for n in part.notes)}/{len(part.notes)} read", "dim")])
        yield line
        for j, module in enumerate(part.modules):
            notes = shown(module.notes)
            line, in_module = branch(in_part, j == len(part.modules) - 1, [(module.title, ""), (f" · {sum(n.slug in read for n in module.notes)}/{len(module.notes)}", "dim")])
            yield line
            for k, note in enumerate(notes):
                mark = "✓ " if note.slug in read else "  "
                yield branch(in_module, k == len(notes) - 1, [(mark, "green"), (note.title, ""), (f"  {note.slug}", "dim")])[0]


def _print_lines(lines) -> None:
    """Styled lines on a terminal; plain ones, one per line and never wrapped, in a pipe (and
    without loading Rich, which would cost more than the listing itself)."""
    if sys.stdout.isatty():
        from rich.text import Text

        console = _console(lines=True)
        for pieces in lines:
            console.print(Text.assemble(*pieces, no_wrap=True, overflow="ellipsis"))
        return
    write = sys.stdout.write
    for pieces in lines:
        write("".join(text for text, _ in pieces).rstrip() + "\n")
    sys.stdout.flush()  # a closed pipe (``| head``) raises here, inside main's quiet handler


def cmd_path(args) -> int:
    from mlnotes import prereqs

    lib = load(args)
    note = find_note(lib, args.note)
    read = _read_marks(lib)
    first = prereqs.before(lib, note, read, include_read=args.all)
    if args.json:
        rows = [{"slug": n.slug, "title": n.title, "read": n.slug in read, "minutes": n.reading_minutes} for n in first]
        print(json.dumps({"note": note.slug, "before": rows}, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rich.text import Text

    out = _console(lines=True)
    if not first:
        out.print(Text(f"Nothing {'' if args.all else 'unread '}to read before {note.title}."))
        return EXIT_OK
    minutes = sum(n.reading_minutes for n in first)
    out.print(Text.assemble(("Before ", "dim"), (note.title, "bold"), (f": {len(first)} note{'s' if len(first) != 1 else ''}, about {minutes} min", "dim")))
    for i, n in enumerate(first, 1):
        mark = "✓" if n.slug in read else " "
        out.print(Text.assemble((f"{i:>3}. ", "dim"), (mark + " ", "green"), n.title, (f"  {n.slug}", "dim")))
    return EXIT_OK


def cmd_index(args) -> int:
    lib = load(args)
    ix, stats = open_index(lib, rebuild=args.rebuild)
    ix.close()
    if stats.notice:
        return EXIT_NOTHING
    if not (stats.rebuilt or stats.added or stats.changed or stats.removed):
        print(f"index is up to date: {len(lib.notes)} notes")
    elif stats.rebuilt:
        kept = f" ({stats.resumed} kept from a stopped build)" if stats.resumed else ""
        print(f"indexed {len(lib.notes)} notes in {stats.seconds:.2f} s{kept}")
    else:
        print(f"index updated in {stats.seconds:.2f} s: {stats.added} added, {stats.changed} changed, {stats.removed} removed")
    return EXIT_OK


def collection_problems(lib) -> list:
    """Every problem: the loader's, formulas that do not parse and figures that cannot be drawn."""
    from mlnotes.library import Problem
    from mlnotes.markdown import figure_problems, math_problems
    from mlnotes.prereqs import cycle_problems

    problems = list(lib.problems) + cycle_problems(lib)
    for note in lib.notes:
        body = lib.body(note)
        for line, message in math_problems(body) + figure_problems(body):
            problems.append(Problem(note.path, note.body_line + line - 1, message))
    problems.sort(key=lambda p: (str(p.path), p.line))
    return problems


def cmd_check(args) -> int:
    lib = load(args)
    problems = collection_problems(lib)
    for problem in problems:
        where = f"{_relpath(problem.path)}:{problem.line}" if problem.line else _relpath(problem.path)
        print(f"{where}: {problem.message}")
    summary = f"{len(lib.notes)} notes, {len(problems)} problem{'s' if len(problems) != 1 else ''}"
    print(summary, file=sys.stderr if problems else sys.stdout)
    return EXIT_NOTHING if problems else EXIT_OK


def cmd_run(args) -> int:
    """Run a note's code as the tests do, each block's output under its first lines."""
    import tempfile

    from rich.text import Text

    from mlnotes.runner import Run, note_blocks

    lib = load(args)
    note = find_note(lib, args.note)
    blocks = note_blocks(lib, note)
    if not blocks:
        raise CliError(f"{note.slug} has no python blocks")
    out = _console()
    where = _relpath(note.path)
    with tempfile.TemporaryDirectory(prefix="mlnotes-run-") as cwd:  # files the code writes go away
        result = Run(blocks, note.path, timeout=args.timeout, cwd=cwd).wait()
    ran = {id(r.block): r for r in result.results}
    for block in blocks:
        head = block.head
        more = sum(1 for line in block.code.splitlines() if line.strip()) - len(head)
        out.print(Text(f"── {where}:{block.line}" + ("" if block.run else "  (no-run: not run)"), style="bold"), soft_wrap=True)
        for line in head:
            out.print(Text(f"   {line}", style="dim"), soft_wrap=True)
        if more > 0:
            out.print(Text(f"   … {more} more line{'s' if more != 1 else ''}", style="dim"))
        r = ran.get(id(block))
        if r is not None:
            if r.output:
                out.print(Text(r.output.rstrip("\n")), soft_wrap=True)
            if r.error is not None:
                out.print(Text(r.error.rstrip("\n"), style="red"), soft_wrap=True)
        out.print()
        if r is not None and r.error is not None:
            break
    problem = result.summary()
    if problem is not None:
        raise CliError(problem)
    return EXIT_OK


def cmd_reader(args, note_words: list[str] | None = None) -> int:
    lib = load(args)
    note = find_note(lib, note_words) if note_words else None
    from mlnotes.tui.app import run_reader

    return run_reader(lib, start=note)


def cmd_review(args) -> int:
    """Open the reader on the review screen; ``--due`` prints what is due instead."""
    lib = load(args)
    if not args.due:
        from mlnotes.tui.app import run_reader

        return run_reader(lib, review=True)
    from mlnotes.review import Reviews

    reviews = Reviews(lib)
    if reviews.notice:
        print(f"mlnotes: {reviews.notice}", file=sys.stderr)
    read = _read_marks(lib)
    due = reviews.due(read)
    today, tomorrow = reviews.counts(read)
    if args.json:
        cards = [{"card": c.key, "note": c.note.slug, "question": c.question.number, "new": not c.reviewed} for c in due]
        print(json.dumps({"due_now": len(due), "due_today": today, "due_tomorrow": tomorrow, "cards": cards}, indent=2))
        return EXIT_OK
    from rich.text import Text

    out = _console(lines=True)
    out.print(Text(f"{len(due)} due now · {today} due today · {tomorrow} by tomorrow", style="dim"))
    for c in due:
        out.print(Text.assemble((c.note.title, "bold"), (f"  question {c.question.number}", "dim"), ("  new" if not c.reviewed else "", "green")))
    return EXIT_OK


def reset_state() -> None:
    from mlnotes.state import reset_all

    reset_all()


COMMANDS = {"search": cmd_search, "show": cmd_show, "list": cmd_list, "path": cmd_path, "index": cmd_index, "check": cmd_check, "run": cmd_run, "review": cmd_review}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    try:
        if args.reset_state:
            reset_state()
            if args.command is None:
                print("reading state cleared")
                return EXIT_OK
        if args.command is None:
            return cmd_reader(args)
        if args.command == "open":
            return cmd_reader(args, args.note)
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"mlnotes: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        # ctrl+c: one line, no traceback. An index build stopped here keeps the previous
        # index (or none): its half-written generation is discarded, never taken as complete.
        print("\nmlnotes: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:  # what is still buffered for the closed pipe goes nowhere, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except Exception as exc:  # the promise: one line, never a traceback
        if os.environ.get("MLNOTES_DEBUG"):
            raise
        print(f"mlnotes: error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return EXIT_NOTHING
