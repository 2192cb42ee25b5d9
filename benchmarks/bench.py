"""Benchmarks for mlnotes: prints a table of figures; not a test (machines here are noisy).

    python benchmarks/bench.py [--quick] [--no-synthetic] [--no-tui]

Measures, median of several runs, on the shipped notes and on a synthetic collection of
10,000 notes (seeded, written to benchmarks/out/): library load (cold and with the metadata
cache), full index build, one-note incremental update, search latency p50/p95 over a fixed
list of 100 queries with snippets for the top 10, the same queries on SQLite FTS5 (stdlib)
over the same notes as a reference, and peak RSS. Every figure (``plot`` block) of the notes
is drawn at 120 columns, and the longest note with a figure rendered whole. The reader is
measured on a real pseudo-terminal (process start to the note's text on screen, against a
bare Textual app) and headless (opening the longest note, keystroke to search results
painted).

Every measurement that needs a clean process runs in a child process of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(REPO / "src"))

WORDS = (
    "matrix vector gradient descent eigenvalue eigenvector singular value decomposition rank kernel image "
    "projection orthogonal basis span norm inner product convex loss function regularization ridge lasso "
    "variance bias estimator likelihood posterior prior sampling bootstrap ensemble tree forest boosting "
    "residual learning rate momentum batch stochastic convergence hessian jacobian chain rule backpropagation "
    "pipeline warehouse lake stream watermark window partition schema contract lineage quality freshness "
    "latency throughput cost query index column row storage compression dictionary encoding transaction log "
    "feature embedding attention transformer token softmax entropy divergence information capacity channel "
    "markov chain stationary distribution martingale brownian diffusion process kernel hilbert space operator "
    "graph laplacian spectral clustering random walk combinatorics probability measure integral expectation "
    "theorem proof lemma condition assumption example failure production monitoring drift calibration"
).split()
FILLER = "the a of to and in is that for as with on by this it be are from at which we can".split()

QUERIES_BASE = [
    "gradient descent", "eigenvalue", "singular value decomposition", "least squares", "regularization",
    "positive semidefinite", "matrix calculus", "change data capture", "watermark late data", "data contract",
    "random forest variance", "target encoding leakage", "cross validation", "bias variance", "momentum",
    "boosting newton", "column store compression", "slowly changing dimension", "orchestration retries", "drift psi",
    "rank nullity", "gram schmidt", "power iteration", "rayleigh quotient", "cholesky", "pseudoinverse",
    "condition number", "trace trick", "softmax cross entropy", "logistic regression", "decision tree gini",
    "feature scaling", "time series split", "learning rate", "xgboost", "lakehouse", "idempotent", "stream window",
    "data quality checks", "lineage graph", "observability", "data mesh", "hessian", "jacobian", "convex",
    "what is the rank of a matrix", "why does averaging trees reduce variance", "how to avoid leakage",
    "x transpose A x", "orthogonal projection", "spectral theorem", "diagonalization", "norm equivalence",
]
PHRASES = ['"gradient descent"', '"least squares"', '"data lake"', '"random forest"', '"learning rate"',
           '"change data capture"', '"feature store"', '"spectral theorem"', '"power iteration"', '"event time"']
PREFIXES = ["grad*", "eigen*", "orthog*", "regular*", "decomp*", "stream*", "pipel*", "bootst*", "converg*", "partit*"]
TYPOS = ["gradiant", "eigenvalu", "regresion", "warehuose", "orthogonl", "lakehose", "boostng", "varience",
         "calibraton", "decompostion", "pipline", "watermak", "lineag", "hesian", "jacobain", "sigular", "projecton",
         "convexx", "baysian", "entropyy", "covarianse", "determinent", "stocastic", "marix", "vectr", "kernal",
         "rigde", "lasoo", "momentun", "schduler"]
QUERIES = (QUERIES_BASE + PHRASES + PREFIXES + TYPOS)[:100]


# --------------------------------------------------------------------------- synthetic notes


def synthetic(root: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` notes in 5 parts × 20 modules (seeded); reuse them when present."""
    marker = root / f".complete-{count}-{seed}"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    per_module = count // 100
    n = 0
    for p in range(1, 6):
        for m in range(1, 21):
            folder = root / f"{p:02d}-part-{p}" / f"{m:02d}-module-{p}-{m}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "_index.md").write_text(f"---\ntitle: 'Module {p}.{m}'\n---\nModule overview.\n")
            for k in range(1, per_module + 1):
                n += 1
                title = " ".join(rng.choice(WORDS) for _ in range(3)).title()
                sections = []
                for s in range(rng.randint(4, 8)):
                    paras = []
                    for _ in range(rng.randint(2, 4)):
                        words = [rng.choice(WORDS) if rng.random() < 0.45 else rng.choice(FILLER) for _ in range(rng.randint(30, 60))]
                        if rng.random() < 0.3:
                            words.insert(5, "$\\sum_{i=1}^{n} x_i^2 \\le \\lambda \\|w\\|_2$")
                        paras.append(" ".join(words).capitalize() + ".")
                    if rng.random() < 0.25:
                        paras.append("```python\nimport numpy as np\nx = np.ones(3)\nassert x.sum() == 3\n```")
                    sections.append(f"## {rng.choice(WORDS).title()} {rng.choice(WORDS)}\n\n" + "\n\n".join(paras))
                link = f"See [[note-{max(1, n - 1)}]]." if n > 1 else ""
                text = (
                    f"---\ntitle: '{title} {n}'\nslug: note-{n}\nsummary: Synthetic note {n}.\n"
                    f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}, synthetic]\nlevel: intro\n---\n\n"
                    f"Opening paragraph of note {n}. {link}\n\n" + "\n\n".join(sections) + "\n"
                )
                (folder / f"{k:03d}-note-{n}.md").write_text(text, encoding="utf-8")
    marker.write_text("ok")
    return root


# --------------------------------------------------------------------------- worker: engine


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def worker_engine(notes: Path, runs: int) -> dict:
    os.environ["MLNOTES_CACHE_DIR"] = tempfile.mkdtemp(prefix="mlnotes-bench-cache-")
    from mlnotes.library import load_library
    from mlnotes.metacache import MetaCache
    from mlnotes.search import SearchIndex

    out: dict = {}
    cold = []
    for _ in range(runs):
        cache = MetaCache(Path(tempfile.mkdtemp()) / "meta.json")
        t = time.perf_counter()
        lib = load_library(notes, cache=cache)
        cold.append(time.perf_counter() - t)
    out["load_cold_s"] = statistics.median(cold)
    warm = []
    for _ in range(runs):
        t = time.perf_counter()
        lib = load_library(notes, cache=cache)
        warm.append(time.perf_counter() - t)
    out["load_warm_s"] = statistics.median(warm)
    out["notes"] = len(lib.notes)

    builds = []
    for _ in range(max(1, runs // 2)):
        ix = SearchIndex(lib)
        t = time.perf_counter()
        ix.open(rebuild=True)
        builds.append(time.perf_counter() - t)
    out["build_s"] = statistics.median(builds)

    # One-note incremental update: touch a note, reload, update.
    updates = []
    victim = lib.notes[len(lib.notes) // 2].path
    original = victim.read_text(encoding="utf-8")
    try:
        for i in range(runs):
            victim.write_text(original + f"\nEdited {i} gradient.\n", encoding="utf-8")
            lib = load_library(notes, cache=cache)
            ix.lib = lib
            t = time.perf_counter()
            stats = ix.open()
            updates.append(time.perf_counter() - t)
            assert stats.changed >= 1, stats
    finally:
        victim.write_text(original, encoding="utf-8")
    out["update_s"] = statistics.median(updates)

    ix.lib = load_library(notes, cache=cache)
    ix.open()
    for q in QUERIES[:10]:
        ix.search(q)  # warm caches
    lat = []
    for _ in range(3):
        for q in QUERIES:
            t = time.perf_counter()
            ix.search(q, limit=10)
            lat.append(time.perf_counter() - t)
    out["search_p50_ms"] = percentile(lat, 0.5) * 1000
    out["search_p95_ms"] = percentile(lat, 0.95) * 1000
    ix.close()
    out.update(fts5(lib))
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def fts5(lib) -> dict:
    """The same notes and queries on SQLite FTS5 with its bm25 ranking and snippet()."""
    from mlnotes.plaintext import extract

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE notes USING fts5(slug UNINDEXED, title, body, tokenize='porter unicode61')")
    t = time.perf_counter()
    rows = []
    for note in lib.notes:
        rows.append((note.slug, note.title, extract(lib.body(note)).text))
    db.executemany("INSERT INTO notes VALUES (?, ?, ?)", rows)
    db.commit()
    build = time.perf_counter() - t

    def to_fts(q: str) -> str:
        if q.startswith('"'):
            return q
        terms = re.findall(r"\w+\*?", q)
        return " OR ".join(terms) or '""'

    lat = []
    for _ in range(3):
        for q in QUERIES:
            t = time.perf_counter()
            try:
                db.execute(
                    "SELECT slug, title, snippet(notes, 2, '[', ']', '…', 24) FROM notes WHERE notes MATCH ? "
                    "ORDER BY bm25(notes, 0.0, 6.0, 1.0) LIMIT 10",
                    (to_fts(q),),
                ).fetchall()
            except sqlite3.OperationalError:
                pass
            lat.append(time.perf_counter() - t)
    return {"fts5_build_s": build, "fts5_p50_ms": percentile(lat, 0.5) * 1000, "fts5_p95_ms": percentile(lat, 0.95) * 1000}


# --------------------------------------------------------------------------- worker: reader


def worker_tui_headless(notes: Path) -> dict:
    """Headless reader: open the longest note (cold, then cached), keystroke to results painted."""
    import asyncio

    os.environ["MLNOTES_CACHE_DIR"] = tempfile.mkdtemp(prefix="mlnotes-bench-cache-")
    os.environ["MLNOTES_STATE_DIR"] = tempfile.mkdtemp(prefix="mlnotes-bench-state-")
    from textual.widgets import OptionList

    from mlnotes.library import load_library
    from mlnotes.tui.app import ReaderApp
    from mlnotes.tui.note_view import NoteView

    lib = load_library(notes)
    longest = max(lib.notes, key=lambda n: n.words)
    out: dict = {"longest_note": longest.slug, "longest_words": longest.words}

    async def main() -> None:
        app = ReaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.index_ready:
                await pilot.pause(0.05)
            opens, cached = [], []
            view = app.query_one(NoteView)

            async def open_and_wait(slug: str) -> tuple[float, float]:
                """Seconds until the top of the note is on screen, and until all of it is."""
                before = view.doc
                t = time.perf_counter()
                app.open_note(slug)
                while view.doc is before:
                    await asyncio.sleep(0.0005)
                top = time.perf_counter() - t
                while not view.doc.complete:
                    await asyncio.sleep(0.0005)
                return top, time.perf_counter() - t

            fulls = []
            for note in lib.notes[:6] + [longest]:
                top, full = await open_and_wait(note.slug)
                opens.append(top)
                fulls.append(full)
                await open_and_wait(lib.notes[-1].slug if note is not lib.notes[-1] else lib.notes[0].slug)
            out["open_note_ms"] = opens[-1] * 1000
            out["open_note_full_ms"] = fulls[-1] * 1000
            for note in [lib.notes[0], longest]:
                cached.append((await open_and_wait(note.slug))[1])
            out["open_note_cached_ms"] = cached[-1] * 1000
            await pilot.press("slash")
            await pilot.pause()
            lat = []
            from mlnotes.tui.screens import SearchScreen

            screen = app.screen
            assert isinstance(screen, SearchScreen)
            options = screen.query_one(OptionList)
            for word in ["gradient", "eigen", "lakehouse", "variance", "matrix", "stream", "leakage", "boosting"]:
                screen.query_one("Input").value = ""
                await pilot.pause(0.15)
                await pilot.press(*list(word))
                typed = time.perf_counter()
                while screen.last_query != word:
                    await asyncio.sleep(0.001)
                await pilot.pause()
                lat.append(time.perf_counter() - typed)
                assert options.option_count > 0, word
            out["keystroke_to_results_p50_ms"] = percentile(lat, 0.5) * 1000
            out["keystroke_to_results_p95_ms"] = percentile(lat, 0.95) * 1000

    asyncio.run(main())
    out["peak_rss_mb"] = peak_rss_mb()
    return out


BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""


def time_until_text(cmd: list[str], text: str, env: dict, timeout: float = 20.0, then: bytes | None = None) -> float:
    """Seconds from starting ``cmd`` on a pseudo-terminal until ``text`` is written to it.

    With ``then``, those keys are typed once the text is there (after a short pause) and the
    program is given time to exit by itself instead of being killed."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env)
        os.execvp(cmd[0], cmd)
    start = time.perf_counter()
    buf = b""
    found = None
    needle = text.encode()
    try:
        os.write(fd, b"\x1b[1;1R")  # answer a cursor-position query if one is sent
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                buf += chunk
                if needle in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", buf):
                    found = time.perf_counter() - start
                    break
        if then is not None and found is not None:
            time.sleep(1.5)
            os.write(fd, then)
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    pid = 0
                    break
                try:
                    if select.select([fd], [], [], 0.05)[0]:
                        os.read(fd, 65536)
                except OSError:
                    pass
    finally:
        if pid:  # still running (the child exited by itself when pid is 0)
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return found if found is not None else float("nan")


def tui_pty(notes: Path, runs: int, prebuild: bool = False) -> dict:
    """First paint of the reader against a bare Textual app, on a pseudo-terminal. With
    ``prebuild``, the index is built first from the shell, so the timed starts measure a
    returning reader rather than one whose first build runs beside the paint."""
    from mlnotes.library import load_library

    lib = load_library(notes)
    longest = max(lib.notes, key=lambda n: n.words)
    state = Path(tempfile.mkdtemp(prefix="mlnotes-bench-state-"))
    cache = Path(tempfile.mkdtemp(prefix="mlnotes-bench-cache-"))
    env = {"MLNOTES_STATE_DIR": str(state), "MLNOTES_CACHE_DIR": str(cache), "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    # Leave the longest note open, as a user who quit there would.
    from mlnotes.paths import collection_key

    path = state / collection_key(lib.root) / "state.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": 1, "last_note": longest.slug, "history": [longest.slug], "position": 0}))
    exe = Path(sys.executable).with_name("mlnotes")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mlnotes"]
    cmd += ["--notes-dir", str(notes)]
    marker = longest.title[:20]
    if prebuild:
        subprocess.run(cmd + ["index"], env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    # A session that reads the note and quits with q, as a user would, before the timed starts.
    time_until_text(cmd, marker, env, then=b"q")
    bare = [time_until_text([sys.executable, "-c", BARE_APP], "BARE-READY", env) for _ in range(runs)]
    paint = [time_until_text(cmd, marker, env) for _ in range(runs)]
    return {"bare_textual_s": statistics.median(bare), "first_paint_s": statistics.median(paint)}


def worker_figures(notes: Path, runs: int) -> dict:
    """Every plot block of the notes drawn at 120 columns: the first (with its imports), then
    each one ``runs`` times; and the longest note with figures rendered whole, as the reader does."""
    from mlnotes import figures
    from mlnotes.library import load_library
    from mlnotes.markdown import make_parser

    lib = load_library(notes)
    specs = []
    with_figures = []
    for note in lib.notes:
        found = [t.content for t in make_parser().parse(lib.body(note)) if t.type == "fence" and t.info.strip().startswith("plot")]
        specs += found
        if found:
            with_figures.append(note)
    if not specs:
        return {}
    start = time.perf_counter()
    figures.draw(figures.parse(specs[0]), 120)
    first_ms = (time.perf_counter() - start) * 1000
    per_figure = []
    for spec in specs:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            figures.draw(figures.parse(spec), 120)
            times.append((time.perf_counter() - start) * 1000)
        per_figure.append(statistics.median(times))
    from mlnotes.tui.render import note_sources, render

    note = max(with_figures, key=lambda n: n.words)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(note_sources(lib, note, False), 100)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "figures": len(specs),
        "first_figure_ms": first_ms,
        "figure_median_ms": statistics.median(per_figure),
        "figure_slowest_ms": max(per_figure),
        "note_with_figures": note.slug,
        "note_with_figures_ms": statistics.median(times),
        "note_figures": len([t for t in make_parser().parse(lib.body(note)) if t.type == "fence" and t.info.strip().startswith("plot")]),
    }


def key_to_frame(app, probe):
    """A timer of keystrokes: ``await timed(key)`` sends one key to the running app and returns
    (wall, CPU) seconds until the first frame drawn in which ``probe()`` holds.

    The key goes to the app's driver as a terminal would send it, and the frames are caught
    where the app hands each one to the terminal; the pilot's ``press`` is not used because it
    waits in 20 ms sleeps until the app looks idle, which would be measured too."""
    import asyncio

    from textual import events

    frames: list[tuple[float, float, bool]] = []
    display = app._display

    def caught(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), time.process_time(), bool(probe())))

    app._display = caught

    async def timed(key: str, char: str | None = None) -> tuple[float, float]:
        frames.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        app._driver.send_message(events.Key(key, char))
        deadline = wall + 10
        while time.perf_counter() < deadline:
            shown = next((f for f in frames if f[2]), None)
            if shown is not None:
                return shown[0] - wall, shown[1] - cpu
            await asyncio.sleep(0.0005)
        raise TimeoutError(f"no frame after {key!r}")

    return timed


def worker_review(runs: int) -> dict:
    """The review screen with 800 cards (200 read notes of 4 questions): from the keystroke R
    until the frame showing the first card, and from a grade keystroke until the frame showing
    the next card; headless, repeated."""
    import asyncio

    os.environ["MLNOTES_CACHE_DIR"] = tempfile.mkdtemp(prefix="mlnotes-bench-cache-")
    os.environ["MLNOTES_STATE_DIR"] = tempfile.mkdtemp(prefix="mlnotes-bench-state-")
    from mlnotes.library import load_library
    from mlnotes.tui.app import ReaderApp

    root = Path(tempfile.mkdtemp(prefix="mlnotes-bench-cards-")) / "cards"
    module = root / "01-part" / "01-module"
    module.mkdir(parents=True)
    for i in range(200):
        qs = "\n\n".join(f"**Q{q}. Why is $x_{q}^2 \\ge 0$ in note {i}?**\n\n*Answer.* Because a square is never negative." for q in range(1, 5))
        (module / f"{i:03d}-note-{i}.md").write_text(f"---\ntitle: Note {i}\n---\n\nText.\n\n## Self-check\n\n{qs}\n", encoding="utf-8")
    lib = load_library(root)
    out: dict = {}

    async def main() -> None:
        app = ReaderApp(lib)
        for note in lib.notes:
            app.state.mark_read(note.slug)
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.index_ready:  # the first index build would be measured as well
                await pilot.pause(0.05)
            read = set(app.state.read)
            out["cards"] = len(app.reviews.cards(read))  # also parses every note's outline once
            graded_before = 0
            timed = key_to_frame(app, lambda: getattr(app.screen, "card", None) is not None and app.screen.graded == graded_before)
            opens, grades = [], []
            for _ in range(max(10, 4 * runs)):
                graded_before = 0
                opens.append(await timed("R", "R"))
                screen = app.screen
                await pilot.press("space")
                graded_before = 1
                grades.append(await timed("3", "3"))
                await pilot.press("escape")
                await pilot.pause()
            for name, values in (("open", opens[1:]), ("grade", grades)):  # the first open composes the screen
                out[f"review_{name}_p95_ms"] = percentile([w for w, _ in values], 0.95) * 1000
                # The same keystrokes in CPU time: their cost on an idle machine, which a shared,
                # loaded one hides under waiting for a core.
                out[f"review_{name}_cpu_p95_ms"] = percentile([c for _, c in values], 0.95) * 1000
            out["review_first_open_ms"] = opens[0][0] * 1000

    asyncio.run(main())
    return out


# --------------------------------------------------------------------------- orchestration


def child(kind: str, notes: Path, runs: int) -> dict:
    code = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--notes", str(notes), "--runs", str(runs)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if code.returncode != 0:
        print(code.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark worker {kind} failed")
    return json.loads(code.stdout.strip().splitlines()[-1])


def fmt(value, unit: str = "", digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return f"{value:.{digits}f}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--notes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument("--no-tui", action="store_true")
    args = parser.parse_args()
    if args.worker:
        notes = Path(args.notes)
        workers = {
            "engine": lambda: worker_engine(notes, args.runs),
            "figures": lambda: worker_figures(notes, args.runs),
            "review": lambda: worker_review(args.runs),
        }
        result = workers.get(args.worker, lambda: worker_tui_headless(notes))()
        print(json.dumps(result))
        return
    runs = 3 if args.quick else 5
    shipped = REPO / "notes"
    rows = [("shipped notes", child("engine", shipped, runs))]
    if not args.no_synthetic:
        big = synthetic(OUT / "synthetic-10000", 10_000)
        rows.append(("10,000 synthetic notes", child("engine", big, max(3, runs - 2))))
    print(f"\nmlnotes benchmark · {os.cpu_count()} cores · Python {sys.version.split()[0]} · median of {runs} runs\n")
    print(f"{'':28} " + " ".join(f"{name:>24}" for name, _ in rows))
    lines = [
        ("notes", "notes", "", 0),
        ("library load, cold", "load_cold_s", " s", 3),
        ("library load, cached", "load_warm_s", " s", 3),
        ("full index build", "build_s", " s", 2),
        ("one-note update", "update_s", " s", 3),
        ("search p50 (with snippets)", "search_p50_ms", " ms", 1),
        ("search p95 (with snippets)", "search_p95_ms", " ms", 1),
        ("FTS5 p50 (with snippets)", "fts5_p50_ms", " ms", 1),
        ("FTS5 p95 (with snippets)", "fts5_p95_ms", " ms", 1),
        ("peak RSS", "peak_rss_mb", " MB", 0),
    ]
    for label, key, unit, digits in lines:
        print(f"{label:28} " + " ".join(f"{fmt(r.get(key), unit, digits):>24}" for _, r in rows))
    for name, r in rows:
        ratio = r["search_p95_ms"] / r["fts5_p95_ms"] if r.get("fts5_p95_ms") else float("nan")
        print(f"{'p95 ratio to FTS5':28} {name}: {ratio:.1f}×")
    fig = child("figures", shipped, runs)
    if fig:
        print(f"\nfigures (shipped notes: {fig['figures']} plot blocks, 120 columns)")
        print(f"{'first figure in a process (imports)':40} {fmt(fig['first_figure_ms'], ' ms', 1)}")
        print(f"{'figure render, median over figures':40} {fmt(fig['figure_median_ms'], ' ms', 1)}")
        print(f"{'figure render, slowest figure':40} {fmt(fig['figure_slowest_ms'], ' ms', 1)}  (target ≤ 30 ms)")
        print(f"{'longest note with figures, rendered':40} {fmt(fig['note_with_figures_ms'], ' ms', 1)}"
              f"  ({fig['note_with_figures']}, {fig['note_figures']} figure, 100 columns)")
    if not args.no_tui:
        head = child("tui", shipped, runs)
        pty_figures = tui_pty(shipped, runs)
        print("\nreader (shipped notes)")
        print(f"{'bare Textual app, first paint':40} {fmt(pty_figures['bare_textual_s'], ' s', 3)}")
        print(f"{'mlnotes, first paint with last note':40} {fmt(pty_figures['first_paint_s'], ' s', 3)}"
              f"  ({pty_figures['first_paint_s'] / pty_figures['bare_textual_s']:.2f}× bare)")
        print(f"{'open longest note: first screen':40} {fmt(head['open_note_ms'], ' ms', 1)}  ({head['longest_note']})")
        print(f"{'open longest note: fully rendered':40} {fmt(head['open_note_full_ms'], ' ms', 1)}")
        print(f"{'open longest note, cached':40} {fmt(head['open_note_cached_ms'], ' ms', 1)}")
        print(f"{'keystroke to results p50':40} {fmt(head['keystroke_to_results_p50_ms'], ' ms', 1)}")
        print(f"{'keystroke to results p95':40} {fmt(head['keystroke_to_results_p95_ms'], ' ms', 1)}")
        print(f"{'peak RSS (headless reader)':40} {fmt(head['peak_rss_mb'], ' MB', 0)}")
        if not args.no_synthetic:
            big_paint = tui_pty(big, runs, prebuild=True)
            print("\nreader (10,000 synthetic notes, index built)")
            print(f"{'bare Textual app, first paint':40} {fmt(big_paint['bare_textual_s'], ' s', 3)}")
            print(f"{'mlnotes, first paint with last note':40} {fmt(big_paint['first_paint_s'], ' s', 3)}"
                  f"  ({big_paint['first_paint_s'] / big_paint['bare_textual_s']:.2f}× bare; target ≤ 2×)")
        rev = child("review", shipped, runs)
        print(f"\nreview ({rev['cards']} self-check cards, headless)")
        print(f"{'key R to the first card drawn, p95':40} {fmt(rev['review_open_p95_ms'], ' ms', 1)}  (target ≤ 50 ms; CPU {fmt(rev['review_open_cpu_p95_ms'], ' ms', 1)})")
        print(f"{'grade key to the next card drawn, p95':40} {fmt(rev['review_grade_p95_ms'], ' ms', 1)}  (target ≤ 50 ms; CPU {fmt(rev['review_grade_cpu_p95_ms'], ' ms', 1)})")
        print(f"{'the first opening (composes the screen)':40} {fmt(rev['review_first_open_ms'], ' ms', 1)}")


if __name__ == "__main__":
    main()
