"""Reading memory survives two readers at once, damaged files and unwritable folders; the
keymap names what it ignores; a closed pipe is a quiet exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mlnotes.library import load_library
from mlnotes.state import ReadingState
from mlnotes.tui.app import ReaderApp
from mlnotes.tui.bindings import load_keymap
from tests.conftest import write_collection
from tests.conftest import ENTRY
from tests.conftest import SIZE, settle


def test_two_readers_lose_nothing(tmp_path):
    path = tmp_path / "state.json"
    a, b = ReadingState.load(path), ReadingState.load(path)
    a.toggle_bookmark("x")
    a.mark_read("r1")
    assert a.save()
    b.toggle_bookmark("y")
    b.mark_read("r2")
    b.set_scroll("y", 12.0)
    assert b.save()
    a.set_scroll("x", 3.0)
    assert a.save()  # A knew nothing of Y when it saved again
    final = ReadingState.load(path)
    assert final.bookmarks == ["x", "y"]
    assert final.read == {"r1", "r2"}
    assert final.scroll == {"x": 3.0, "y": 12.0}
    assert a.bookmarks == ["x", "y"]  # a save brings the other reader's marks in


def test_removals_merge_too(tmp_path):
    path = tmp_path / "state.json"
    a = ReadingState.load(path)
    a.toggle_bookmark("x")
    a.mark_read("r")
    a.save()
    b = ReadingState.load(path)
    a.toggle_bookmark("z")
    a.save()
    b.toggle_bookmark("x")  # removes x
    b.mark_unread("r")
    b.save()
    final = ReadingState.load(path)
    assert final.bookmarks == ["z"] and final.read == set()


def test_many_processes_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / "state.json"
    script = (
        "import sys\nfrom pathlib import Path\nfrom mlnotes.state import ReadingState\n"
        "me = sys.argv[1]\n"
        "for i in range(15):\n"
        "    s = ReadingState.load(Path(sys.argv[2]))\n"
        "    s.toggle_bookmark(f'{me}-{i}')\n"
        "    assert s.save()\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, f"p{n}", str(path)]) for n in range(4)]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    assert len(ReadingState.load(path).bookmarks) == 60


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(64) + b"\xff\xfe",
        b'{"format": 1, "position": 1e999, "history": [], "read": [], "bookmarks": [], "scroll": {}}',
        b'{"format": 1, "scroll": {"a": NaN, "b": Infinity, "c": -3, "d": 5}, "read": [1, "ok"], "bookmarks": [null], "history": ["h"], "position": "x"}',
        b'{"format": 1, "scroll": [], "read": {}, "bookmarks": 3, "history": null}',
        b"[" * 100000,
        b'{"format": 2}',
    ],
    ids=["random-bytes", "huge-position", "bad-values", "wrong-types", "deep-nesting", "other-format"],
)
def test_damaged_state_files_never_stop_the_reader(tmp_path, content):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    state = ReadingState.load(path)  # no exception
    assert all(isinstance(v, float) and 0 <= v < 1e9 for v in state.scroll.values())
    assert all(isinstance(s, str) for s in state.read | set(state.bookmarks) | set(state.history))
    assert -1 <= state.position < max(len(state.history), 1)
    if state.notice:  # set aside: the next start does not meet it again
        assert not path.exists() and list(tmp_path.glob("state.json.bad-*"))
    assert state.save() and ReadingState.load(path).notice is None


def test_missing_keys_are_empty_not_bad(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"format": 1, "last_note": "x", "history": ["x"], "position": 0}')
    state = ReadingState.load(path)
    assert state.notice is None and state.last_note == "x" and state.read == set() and state.scroll == {}


def test_bad_values_are_dropped_not_the_file(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b'{"format": 1, "scroll": {"a": NaN, "d": 5}, "read": [1, "ok"], "bookmarks": [null, "b"], "history": ["h"], "position": 1e999}')
    state = ReadingState.load(path)
    assert state.notice is None
    assert state.scroll == {"d": 5.0} and state.read == {"ok"} and state.bookmarks == ["b"] and state.position == 0


def test_unwritable_state_folder_reports_why(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    state = ReadingState.load(blocker / "state.json")  # its folder can never be made
    state.toggle_bookmark("x")
    assert state.save() is False
    assert state.save_error and "file" in state.save_error
    assert state.bookmarks == ["x"]  # still in memory for this session


def collection(tmp_path):
    from tests.conftest import note

    return write_collection(
        tmp_path / "c",
        {
            "01-p/01-m/01-a.md": note("Alpha", "alpha", "Alpha body."),
            "01-p/01-m/02-b.md": note("Beta", "beta", "Beta body."),
        },
    )


async def test_a_bookmark_is_on_disk_at_once(tmp_path):
    lib = load_library(collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("alpha"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("m")
        await pilot.pause()
        # no save delay: a kill -9 right now keeps the bookmark
        on_disk = json.loads(app.state.path.read_text())
        assert on_disk["bookmarks"] == ["alpha"]


async def test_two_reader_apps_keep_both_bookmarks(tmp_path):
    lib = load_library(collection(tmp_path))
    first, second = ReaderApp(lib, start=lib.get("alpha")), ReaderApp(lib, start=lib.get("beta"))
    async with first.run_test(size=SIZE) as p1, second.run_test(size=SIZE) as p2:
        await settle(p1, first, lambda: first.current is not None)
        await settle(p2, second, lambda: second.current is not None)
        await p1.press("m")
        await p2.press("m")
        await p1.pause()
        await p2.pause()
    assert ReadingState.for_root(lib.root).bookmarks == ["alpha", "beta"]


async def test_unwritable_state_is_said_once(tmp_path, user_dirs, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("MLNOTES_STATE_DIR", str(blocker))
    lib = load_library(collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("alpha"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("m", "m", "m")
        await pilot.pause()
        warnings = [n for n in app._notifications if "cannot be saved" in str(n.message)]
        assert len(warnings) == 1


def keymap_with(user_dirs, text: bytes):
    config = user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(text)
    return load_keymap()


def test_keymap_unreadable_file_is_a_notice(user_dirs):
    keymap, message = keymap_with(user_dirs, b'[keys]\nsearch = "\xff"\n')
    assert keymap == {} and "ignored" in message


def test_keymap_reports_unknown_keys_and_clashes(user_dirs):
    keymap, message = keymap_with(user_dirs, b'[keys]\nsearch = "q"\nbookmark = "q,z"\nfind = "ctrl+nonsense"\nhome = "hyperspace+h"\nbogus = "z"\n')
    assert "search" not in keymap  # q stays quit's
    assert keymap == {"bookmark": "z"}
    for part in ("q is bound to both quit and search", "q is bound to both quit and bookmark", "find: unknown key ctrl+nonsense", "home: unknown key hyperspace+h", "unknown binding ids bogus"):
        assert part in message, message


async def test_quit_survives_a_hostile_keymap(tmp_path, user_dirs):
    keymap_with(user_dirs, b'[keys]\nsearch = "q"\nbookmark = "q"\n')
    lib = load_library(collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("alpha"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        assert any("bound to both" in str(n.message) for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize("args", [["search", "gradient"], ["list"], ["show", "alpha"], ["search", "gradient", "--json"]])
def test_closed_pipe_is_a_quiet_exit_0(tmp_path, args):
    notes = collection(tmp_path)
    words = "\n\n".join(f"Gradient paragraph {i} " + "words " * 50 for i in range(400))
    (notes / "01-p" / "01-m" / "03-c.md").write_text(f"---\ntitle: Gamma\nslug: gamma\n---\n{words}\n")
    cmd = ENTRY + [f"--notes-dir={notes}"] + args
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(1)  # like `| head -c 1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err
