"""Files we read back (metadata cache, saved rendering) are validated: a damaged one costs a
re-read, never a crash."""

from __future__ import annotations

import json
import os

from mlnotes.library import load_library
from mlnotes.metacache import MetaCache
from tests.conftest import note, write_collection
from tests.conftest import run
from tests.conftest import SIZE, settle


def collection(tmp_path):
    return write_collection(
        tmp_path / "c",
        {
            "01-p/_index.md": "---\ntitle: Part\n---\nPart page.\n",
            "01-p/01-m/01-a.md": note("Alpha", "alpha", "Alpha body about gradients."),
            "01-p/01-m/02-b.md": note("Beta", "beta", "Beta body, see [[alpha]]."),
        },
    )


def test_meta_cache_with_wrong_types_is_reread(tmp_path):
    root = collection(tmp_path)
    cache = MetaCache.for_root(root)
    load_library(root, cache=cache)  # writes the cache
    data = json.loads(cache.path.read_text())
    keys = sorted(data["notes"])
    broken = {"links": 5, "tags": "x", "problems": [[1]], "mtime_ns": "soon", "page": "yes", "title": ["t"]}
    for i, key in enumerate(keys):
        record = data["notes"][key]
        field = list(broken)[i % len(broken)]
        record[field] = broken[field]
    data["notes"]["junk"] = [1, 2]
    cache.path.write_text(json.dumps(data))
    for command in (["list"], ["list", "--json"], ["check"], ["search", "gradients"], ["show", "alpha"]):
        out = run(*command, notes=root)
        assert out.returncode == 0, (command, out.stderr)
        assert "Traceback" not in out.stderr and "Error" not in out.stderr
    lib = load_library(root, cache=cache)
    assert [n.title for n in lib.notes] == ["Alpha", "Beta"]


def test_file_name_that_is_not_utf8_is_cached(tmp_path):
    root = collection(tmp_path)
    name = os.fsencode(str(root / "01-p" / "01-m")) + b"/03-caf\xe9.md"
    with open(name, "wb") as fh:
        fh.write(b"---\ntitle: Cafe\nslug: cafe\n---\nBody.\n")
    cache = MetaCache.for_root(root)
    lib = load_library(root, cache=cache)
    assert lib.get("cafe") is not None
    assert cache.path.exists() and len(cache.load()) == 4  # saved, and read back whole
    out = run("list", notes=root)
    assert out.returncode == 0 and "Cafe" in out.stdout, out.stderr


async def test_damaged_saved_rendering_is_ignored(tmp_path):
    from mlnotes.tui.app import ReaderApp

    root = collection(tmp_path)
    lib = load_library(root)
    app = ReaderApp(lib, start=lib.get("alpha"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("q")
    path = app._document_path
    assert path.exists()
    data = json.loads(path.read_text())
    data["styles"] = ["bold nonsense" for _ in data["styles"]]
    path.write_text(json.dumps(data))
    app = ReaderApp(load_library(root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        assert "Alpha body about gradients" in "\n".join(app.query_one("NoteView").text_lines())


def test_list_says_when_it_sets_a_damaged_state_file_aside(tmp_path):
    from mlnotes.state import ReadingState

    root = collection(tmp_path)
    path = ReadingState.for_root(root).path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(300))
    out = run("list", notes=root)
    assert out.returncode == 0 and "Alpha" in out.stdout
    assert "set aside" in out.stderr and "Traceback" not in out.stderr
    assert not path.exists() and list(path.parent.glob("state.json.bad-*"))
    out = run("list", notes=root)
    assert out.stderr == ""  # said once: the next run starts clean
