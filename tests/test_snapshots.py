"""SVG snapshots of the reader at a fixed size (pytest-textual-snapshot). After an intended
change to what the reader shows, review and refresh them with
``pytest tests/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

from mlnotes.library import load_library
from mlnotes.tui.app import ReaderApp
from tests.conftest import long_collection, settle

SIZE = (100, 30)


def test_home_page(snap_compare, small):
    app = ReaderApp(load_library(small))

    async def ready(pilot):
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_note_with_code_and_table(snap_compare, tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))

    async def ready(pilot):
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("t")
        await pilot.press("down", "enter")  # jump to the section with the table and code
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_search_screen(snap_compare, tmp_path):
    app = ReaderApp(load_library(long_collection(tmp_path)))

    async def ready(pilot):
        await settle(pilot, app)
        await pilot.press("slash", *"curvature")
        screen = app.screen
        await settle(pilot, app, lambda: getattr(screen, "last_query", "") == "curvature")

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
