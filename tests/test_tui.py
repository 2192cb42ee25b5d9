"""The reader, driven the way a person uses it: keys pressed through Textual's pilot, and
assertions on what the screen shows."""

from __future__ import annotations

import json
import re

import pytest

from mlnotes.library import load_library
from mlnotes.state import ReadingState
from mlnotes.tui.app import READ_FRACTION, ReaderApp
from mlnotes.tui.note_view import NoteView
from mlnotes.tui.page import note_page
from mlnotes.tui.screens import ListScreen, SearchScreen
from mlnotes.tui.sidebar import PREVIEW_DELAY
from tests.conftest import SIZE, long_collection, note, settle, shown, write_collection

async def test_start_shows_home_page(small):
    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = shown(app)
        assert "Small Notes" in text
        assert "5 notes · 3 modules · 2 parts" in text
        assert "Read 0 of 5 notes" in text
        assert "Continue reading: Vectors" in text
        assert "Where you stand" in text and "░░░░░░░░░░  0/" in text


async def test_home_page_shows_progress_and_notes_started(small):
    lib = load_library(small)
    app = ReaderApp(lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first = lib.notes[0]
        app.state.mark_read(first.slug)
        second = lib.notes[1]
        app.state.set_scroll(second.slug, 12.0)
        app.show_home()
        await settle(pilot, app, lambda: "Started, not finished" in shown(app))
        text = shown(app)
        assert f"Read 1 of {len(lib.notes)} notes" in text
        module = next(m for p in lib.parts for m in p.modules if first in m.notes)
        line = next(l for l in text.splitlines() if l.strip().startswith(module.title))
        done = round(10 / len(module.notes))
        assert "█" * done + "░" * (10 - done) in line and f"1/{len(module.notes)}" in line
        started = text.split("Started, not finished")[1].split("Where you stand")[0]
        assert second.title in started and first.title not in started


async def test_tree_navigation_previews_and_enter_focuses(small):
    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        tree = app.query_one("#sidebar")
        assert app.focused is tree
        await pilot.press("down", "enter")  # to part "Mathematics", expand it
        await pilot.press("down")  # module "Linear Algebra"
        await pilot.pause(PREVIEW_DELAY + 0.1)
        await settle(pilot, app, lambda: "Matrices and friends" in shown(app))
        await pilot.press("enter", "down")  # expand module, move to "Vectors"
        await pilot.pause(PREVIEW_DELAY + 0.1)
        await settle(pilot, app, lambda: app.current is not None)
        assert app.current.slug == "vectors"
        assert "A vector space is closed under addition" in shown(app)
        await pilot.press("enter")
        assert isinstance(app.focused, NoteView)


async def test_open_note_at_start_and_next_previous(small):
    lib = load_library(small)
    app = ReaderApp(lib, start=lib.get("matrices"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        text = shown(app)
        assert "Matrices" in text and "Mathematics › Linear Algebra" in text
        assert "Av = λv" in text  # math rendered as Unicode
        assert "Linked from" in text and "Vectors" in text  # backlinks at the end
        await pilot.press("right_square_bracket")
        await settle(pilot, app, lambda: app.current.slug == "gradients")
        await pilot.press("left_square_bracket")
        await settle(pilot, app, lambda: app.current.slug == "matrices")


async def test_search_as_you_type_and_land_on_match(small):
    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"decorrelated")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "decorrelated")
        assert screen._hits and screen._hits[0].slug == "trees"
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.current is not None and app.current.slug == "trees")
        view = app.query_one(NoteView)
        await settle(pilot, app, lambda: bool(view.matches))
        assert "decorrelated" in view.text_lines()[view.matches[view.current].y].lower()
        assert str(app.query_one("#find-status").render()) == f"1/{len(view.matches)}"
        await pilot.press("n")
        assert view.current == (1 if len(view.matches) > 1 else 0)


async def test_opening_from_search_is_not_undone_by_the_tree(small):
    """The tree follows a note opened from search; passing over other nodes must not
    replace the note with their pages."""
    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # Expand "Mathematics" (its modules stay closed), then rest on the part "Ml" below.
        await pilot.press("down", "enter", "down", "down", "down")
        await pilot.pause(PREVIEW_DELAY + 0.1)
        await settle(pilot, app, lambda: str(app.page_key) == "part:02-ml")
        await pilot.press("slash", *"eigenvector")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "eigenvector")
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.current is not None and app.current.slug == "matrices")
        await pilot.pause(PREVIEW_DELAY * 3)
        await settle(pilot, app)
        assert str(app.page_key) == "note:matrices"
        assert "An eigenvector keeps its direction" in shown(app)


async def test_search_lands_on_the_matching_section(tmp_path):
    app = ReaderApp(load_library(long_collection(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"zebras")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "zebras")
        assert screen._hits[0].heading == "Omega section"
        await pilot.press("enter")
        view = app.query_one(NoteView)
        await settle(pilot, app, lambda: app.current is not None and bool(view.matches))
        await pilot.pause(0.1)
        match = view.matches[view.current]
        top = view.scroll_offset.y
        assert top > 0 and top <= match.y < top + view.scrollable_content_region.height
        assert "zebras" in view.text_lines()[match.y]


async def test_search_typo_shows_suggestion(small):
    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"regresion")
        screen = app.screen
        await settle(pilot, app, lambda: screen.last_query == "regresion")
        status = str(screen.query_one("#search-status").render())
        assert "regression" in status
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)


async def test_find_in_note_with_next_and_previous(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("f", *"curvature")
        view = app.query_one(NoteView)
        status = app.query_one("#find-status")
        assert len(view.matches) == 40
        assert str(status.render()) == "1/40"
        await pilot.press("enter")  # the next match, the bar keeps the focus
        assert str(status.render()) == "2/40" and app.focused is not view
        await pilot.press("tab")  # into the note
        assert app.focused is view
        await pilot.press("n", "n")
        assert str(status.render()) == "4/40"
        await pilot.press("N")
        assert str(status.render()) == "3/40"
        await pilot.press("G")
        await pilot.press("f")
        await pilot.press("escape")
        assert view.matches == [] and app.focused is view


async def test_contents_jump(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        await pilot.press("t")
        assert isinstance(app.screen, ListScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        omega = next(a for a in view.doc.anchors if a.title == "Omega section")
        assert view.scroll_offset.y == min(omega.y, view.max_scroll_y)
        assert "zebras" in "\n".join(view.text_lines()[view.scroll_offset.y : view.scroll_offset.y + 30])


async def test_follow_link_back_and_forward(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        await pilot.press("l")
        assert view.focused_link == "second"
        await pilot.press("l")
        assert view.focused_link == "third"
        await pilot.press("L", "enter")
        await settle(pilot, app, lambda: app.current.slug == "second")
        assert "Second body" in shown(app)
        await pilot.press("backspace")
        await settle(pilot, app, lambda: app.current.slug == "first")
        await pilot.press("alt+right")
        await settle(pilot, app, lambda: app.current.slug == "second")
        assert app.state.history == ["first", "second"]


async def test_tab_walks_the_links_then_leaves_the_note(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        assert app.focused is view
        await pilot.press("tab")
        assert view.focused_link == "second"
        await pilot.press("tab")
        assert view.focused_link == "third"
        await pilot.press("shift+tab")
        assert view.focused_link == "second"
        for _ in range(len(view.doc.links) - 1):  # on to the last link (the backlinks at the end)
            await pilot.press("tab")
        assert app.focused is view and view.link_index == len(view.doc.links) - 1
        await pilot.press("tab")
        assert app.focused is app.query_one("#sidebar") and view.focused_link is None
        await pilot.press("shift+tab")
        assert app.focused is view
        await pilot.press("shift+tab")  # no link focused: back out to the tree
        assert app.focused is app.query_one("#sidebar")


async def test_bookmark_and_bookmarks_list(small):
    lib = load_library(small)
    app = ReaderApp(lib, start=lib.get("trees"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("m")
        assert app.state.bookmarks == ["trees"]
        await pilot.press("h")
        await settle(pilot, app, lambda: app.current is None)
        await pilot.press("B")
        assert isinstance(app.screen, ListScreen)
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.current is not None and app.current.slug == "trees")


async def test_quit_and_restart_resumes_note_and_scroll(tmp_path):
    root = long_collection(tmp_path)
    lib = load_library(root)
    app = ReaderApp(lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.open_note("first")
        await settle(pilot, app, lambda: app.current is not None)
        app.query_one(NoteView).focus()
        await pilot.press("space", "space", "j")
        await pilot.pause()
        y = app.query_one(NoteView).scroll_offset.y
        assert y > 10
        await pilot.press("q")
    saved = json.loads(ReadingState.for_root(lib.root).path.read_text())
    assert saved["last_note"] == "first"
    assert saved["scroll"]["first"] == y
    again = ReaderApp(load_library(root))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again, lambda: again.current is not None and again.query_one(NoteView).scroll_offset.y > 0)
        assert again.current.slug == "first"
        assert again.query_one(NoteView).scroll_offset.y == y


async def test_a_reader_closed_without_quitting_still_starts_on_the_saved_rendering(tmp_path):
    root = long_collection(tmp_path)
    app = ReaderApp(load_library(root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.open_note("first")
        await settle(pilot, app, lambda: app.current is not None)
        path = app._document_path
        await settle(pilot, app, lambda: path.exists(), timeout=5)  # written a moment after opening
        app._saved_on_exit = True  # as if the terminal were closed: nothing saved at exit
    again = ReaderApp(load_library(root))
    rendered = []
    again.render_worker = lambda *args: rendered.append(args)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again, lambda: again.current is not None)
        assert rendered == [] and "zebras" in shown(again)


async def test_read_mark_needs_the_end_and_time_on_the_note(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    now = [1000.0]
    app._clock = lambda: now[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        note = app.current
        await pilot.press("G")  # straight to the end on arrival: that is not reading it
        await pilot.pause(0.2)
        assert "first" not in app.state.read
        now[0] += 60 * note.reading_minutes * READ_FRACTION + 1  # time spent on the page
        await pilot.press("g", "G")
        await settle(pilot, app, lambda: "first" in app.state.read)
        assert "✓" in str(sidebar_label(app, "first"))


async def test_reaching_the_end_early_counts_once_the_time_is_spent(tmp_path, monkeypatch):
    import mlnotes.tui.app as app_module

    lib = load_library(long_collection(tmp_path))
    note = lib.get("first")
    monkeypatch.setattr(app_module, "READ_FRACTION", 0.3 / (60 * note.reading_minutes))  # 0.3 s
    app = ReaderApp(lib, start=note)
    now = [1000.0]
    app._clock = lambda: now[0]  # the learner's time moves only when the test says so
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("G")
        await pilot.pause(0.1)
        assert "first" not in app.state.read
        now[0] += 1.0  # the time is spent with the end still on screen: the timer marks it
        await settle(pilot, app, lambda: "first" in app.state.read, timeout=5)


async def test_u_marks_read_and_unread_by_hand(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("u")
        assert "first" in app.state.read
        assert "✓" in str(sidebar_label(app, "first"))
        await pilot.press("u")
        assert "first" not in app.state.read


async def test_resize_rewraps_the_page_and_keeps_the_place(tmp_path):
    root = long_collection(tmp_path)
    app = ReaderApp(load_library(root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.query_one(NoteView)
        wide = view.doc.width
        await pilot.resize_terminal(80, 30)
        await settle(pilot, app, lambda: view.doc.width == view.scrollable_content_region.width < wide)
        app.open_note("first")
        await settle(pilot, app, lambda: app.current is not None and "Opening words" in shown(app) and view.doc.width == view.scrollable_content_region.width)
        view.focus()
        await pilot.press("space", "space")
        await settle(pilot, app, lambda: view.scroll_offset.y > 0)
        top = view.scroll_offset.y
        assert top > 0
        seen = re.search(r"Paragraph \d+ ", " ".join(view.text_lines()[top : top + 10])).group()
        narrow = view.doc.width
        await pilot.resize_terminal(*SIZE)
        await settle(pilot, app, lambda: view.doc.width == view.scrollable_content_region.width > narrow)
        # The same stretch of the note is still in view after the lines were rewrapped.
        top = view.scroll_offset.y
        assert seen in " ".join(view.text_lines()[top : top + 4])


async def test_tiny_terminal_does_not_crash(small):
    lib = load_library(small)
    app = ReaderApp(lib, start=lib.get("matrices"))
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        assert not app.query_one("#sidebar").display or app.query_one("#sidebar").has_class("-narrow")
        for key in ("j", "G", "t", "escape", "slash", "escape", "f", "escape", "question_mark", "escape", "s", "right_square_bracket"):
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running


async def test_corrupt_state_file_is_set_aside(small):
    lib = load_library(small)
    path = ReadingState.for_root(lib.root).path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json")
    app = ReaderApp(lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.state.notice and "set aside" in app.state.notice
        assert any("set aside" in str(n.message) for n in app._notifications)
        assert list(path.parent.glob("state.json.bad-*"))


async def test_help_screen_lists_bindings_and_keymap_remaps(small, user_dirs):
    config = user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\nsearch = "ctrl+k"\n')
    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, ListScreen)
        options = app.screen.query_one("OptionList")
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Find in note" in t for t in texts)
        assert any(t.strip() == "^k  Search" for t in texts), texts  # the remapped key, not "/"
        assert any("ctrl+p" in t for t in texts) and any("sidebar and the note" in t for t in texts)
        await pilot.press("escape")
        await pilot.press("ctrl+k")
        assert isinstance(app.screen, SearchScreen)


async def test_text_that_names_a_key_names_the_remapped_one(small, user_dirs):
    config = user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\nnext-note = "ctrl+n"\nreview = "V"\n')
    app = ReaderApp(load_library(small))
    app.state.mark_read(app.lib.notes[0].slug)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: "Continue reading" in shown(app))
        assert "Press ^n to open it" in shown(app) and "Press ] " not in shown(app)
        commands = [c.help for c in app.get_system_commands(app.screen)]
        assert "key: /" in commands and "key: ^n" in commands and "key: ]" not in commands


async def test_problems_are_reachable(tmp_path):
    root = write_collection(tmp_path / "p", {"a/m/01-x.md": note("X", "x", "Link to [[ghost]].")})
    app = ReaderApp(load_library(root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ListScreen)
        assert "Problems in this collection (1)" in str(app.screen.query_one(".box-title").render())


async def test_raw_tex_toggle(small):
    lib = load_library(small)
    app = ReaderApp(lib, start=lib.get("matrices"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        assert "Av = λv" in shown(app)
        await pilot.press("r")
        await settle(pilot, app, lambda: "\\lambda" in shown(app))
        await pilot.press("r")
        await settle(pilot, app, lambda: "Av = λv" in shown(app))


async def test_click_on_a_link_follows_it(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        spot = view.doc.links[0]
        assert spot.slug == "second"
        left = view.styles.padding.left
        await pilot.click(NoteView, offset=(left + spot.x0 + 1, spot.y - view.scroll_offset.y))
        await settle(pilot, app, lambda: app.current.slug == "second")


async def test_escape_sequences_never_reach_the_screen(tmp_path):
    root = write_collection(
        tmp_path / "evil",
        {"a/m/01-e.md": note("Evil\x1b]0;pwned\x07 Title", "evil", "Clip \x1b]52;c;ZXZpbA==\x07 and \x9b2J done.")},
    )
    lib = load_library(root)
    app = ReaderApp(lib, start=lib.get("evil"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        text = shown(app)
        assert "Clip" in text and "done" in text
        for bad in ("\x1b", "\x07", "\x9b"):
            assert bad not in text
            assert bad not in str(sidebar_label(app, "evil"))


async def test_restart_paints_the_saved_rendering_of_the_last_note(tmp_path):
    root = long_collection(tmp_path)
    app = ReaderApp(load_library(root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.open_note("first")
        await settle(pilot, app, lambda: app.current is not None)
        before = list(app.query_one(NoteView).text_lines())
        await pilot.press("q")
    again = ReaderApp(load_library(root))
    rendered = []
    again.render_worker = lambda *args: rendered.append(args)  # any render would be recorded here
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again, lambda: again.current is not None)
        assert rendered == []  # shown from the saved rendering, nothing rendered
        assert again.query_one(NoteView).text_lines() == before
        view = again.query_one(NoteView)
        spot = view.doc.links[0]
        await pilot.click(NoteView, offset=(view.styles.padding.left + spot.x0, spot.y - view.scroll_offset.y))
        await settle(pilot, again, lambda: again.current.slug == "second")  # its links work too
        await pilot.press("backspace")
        await settle(pilot, again, lambda: again.current.slug == "first")
    # The saved rendering is on screen before the layout has run: with nothing started after
    # the first refresh, the note is there all the same.
    early = ReaderApp(load_library(root))
    early._start = lambda: None
    async with early.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert early.query_one(NoteView).text_lines() == before
    # A changed note is rendered afresh, not taken from the saved copy.
    target = root / "01-p/01-m/01-first.md"
    target.write_text(target.read_text().replace("zebras", "giraffes"))
    third = ReaderApp(load_library(root))
    async with third.run_test(size=SIZE) as pilot:
        await settle(pilot, third, lambda: third.current is not None)
        assert "giraffes" in shown(third) and "zebras" not in shown(third)


async def test_a_saved_rendering_follows_the_other_notes_it_shows(tmp_path):
    """The saved copy of the last note is keyed on the titles, backlinks and next note it
    shows, and a copy whose key still matches is re-rendered behind the scenes anyway."""
    root = long_collection(tmp_path)

    async def session(check=None) -> str:
        app = ReaderApp(load_library(root), start=None)
        app.state.last_note = "first"
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app, lambda: app.current is not None and (check is None or check(shown(app))))
            text = shown(app)
            await pilot.press("q")
        return text

    assert "Second Note" in await session()
    second = root / "01-p/01-m/02-second.md"
    second.write_text(second.read_text().replace("title: 'Second Note'", "title: 'Renamed Second'"))
    assert "Renamed Second" in await session() and "Second Note" not in await session()
    third = root / "01-p/01-m/03-third.md"
    third.write_text(third.read_text().replace("Third body.", "Third body, which links [[first]]."))
    assert "Linked from" in await session() and "Third Note" in (await session()).split("Linked from", 1)[1]
    # A saved copy that differs from what rendering gives now, under the same key (as after a
    # change in the renderer): replaced once the note has been rendered again.
    from mlnotes.paths import collection_key, cache_dir  # noqa: F401

    app = ReaderApp(load_library(root))
    path = app._document_path
    data = json.loads(path.read_text())
    data["lines"][0] = [["STALE COPY", 0]]
    path.write_text(json.dumps(data))
    assert "STALE COPY" not in await session(lambda text: "STALE COPY" not in text)


def code_collection(tmp_path):
    return write_collection(
        tmp_path / "code",
        {
            "01-p/01-m/01-code.md": note(
                "Code Note", "code",
                "Setup first.\n\n```python\nanswer = 6 * 7\n```\n\n"
                + "\n\n".join(f"Filler paragraph {i}." for i in range(30)) + "\n\n"
                "```python no-run\nnot run at all\n```\n\n"
                + "\n\n".join(f"More filler {i}." for i in range(30)) + "\n\n"
                "## Result\n\n```python\nprint('the answer is', answer)\n```\n\n"
                "```python\nimport time\nprint('waiting')\ntime.sleep(30)\n```\n",
                summary="Code.", tags="[a, b, c]", level="intro",
            ),
        },
    )


async def test_x_runs_the_block_in_view_and_shows_its_output_below_it(tmp_path):
    lib = load_library(code_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("code"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: "Setup first" in shown(app))
        view = app.query_one(NoteView)
        assert [c.kind for c in view.doc.codes] == ["run", "no-run", "run", "run"]
        view.focus()
        view.scroll_to_line(view.doc.codes[2].y0)  # the print block at the top of the pane
        await pilot.pause(0.1)
        await pilot.press("x")  # runs the setup block first, as the tests do
        await settle(pilot, app, lambda: "the answer is 42" in shown(app), timeout=30)
        lines = view.text_lines()
        at = next(i for i, l in enumerate(lines) if "│ the answer is 42" in l)
        assert "print('the answer is', answer)" in "".join(lines[at - 4 : at])  # right below its block
        assert view.doc.codes[3].y0 > at  # what follows moved down
        view.scroll_to_line(view.doc.codes[1].y0 - 2)  # only the no-run block in view
        await pilot.pause(0.1)
        await pilot.press("x")  # says so
        await pilot.pause(0.2)
        assert any("marked no-run" in str(n.message) for n in app._notifications)


async def test_a_running_block_shows_a_spinner_and_esc_cancels_it(tmp_path):
    lib = load_library(code_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("code"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: "Setup first" in shown(app))
        view = app.query_one(NoteView)
        view.focus()
        view.scroll_to_line(view.doc.codes[2].y0)  # the print block and the slow one in view
        await pilot.pause(0.1)
        await pilot.press("x")  # the first in view that has not run: the print block
        await settle(pilot, app, lambda: "the answer is 42" in shown(app), timeout=30)
        assert "│ waiting" not in shown(app)
        await pilot.press("x")  # pressed again: the next one, the slow block
        await settle(pilot, app, lambda: "running… (esc cancels)" in shown(app), timeout=20)
        await pilot.press("escape")
        await settle(pilot, app, lambda: "│ cancelled" in shown(app), timeout=20)
        assert "running…" not in shown(app) and app._run is None


async def test_a_figure_is_drawn_in_the_note_and_r_shows_its_spec(tmp_path):
    spec = "title: Decay\nx: [0, 10]\nseries:\n  - label: half each step\n    y: 0.5**x\n"
    root = write_collection(
        tmp_path / "fig",
        {"01-p/01-m/01-fig.md": note("Figure Note", "fig", f"Before.\n\n```plot\n{spec}```\n\nAfter.", summary="F.", tags="[a, b, c]", level="intro")},
    )
    lib = load_library(root)
    app = ReaderApp(lib, start=lib.get("fig"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: "Before." in shown(app))
        text = shown(app)
        assert "Decay" in text and "┤" in text and "── half each step" in text
        assert text.index("Before.") < text.index("Decay") < text.index("After.")
        width = app.query_one(NoteView).doc.width
        assert all(len(line.rstrip()) <= width for line in text.splitlines())
        await pilot.press("r")
        await settle(pilot, app, lambda: "y: 0.5**x" in shown(app))
        assert "┤" not in shown(app)


def chain_collection(tmp_path):
    """Three notes, each the prerequisite of the next."""
    return write_collection(
        tmp_path / "chain",
        {
            "01-p/01-m/01-first.md": note("First Note", "first", "The basics."),
            "01-p/01-m/02-second.md": note("Second Note", "second", "Builds on the basics.", prerequisites="[first]"),
            "01-p/01-m/03-third.md": note("Third Note", "third", "Builds on both.", prerequisites="[second]"),
        },
    )


async def test_a_note_says_what_to_read_before_it_and_what_comes_next(tmp_path):
    from textual.widgets import OptionList, Static

    lib = load_library(chain_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("third"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        bar = app.query_one("#before", Static)
        assert not bar.has_class("-hidden") and "Before this: 2 unread notes" in str(bar.render())
        await pilot.press("p")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "First Note" in titles[0] and "Second Note" in titles[1]  # reading order
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.current is not None and app.current.slug == "first")
        assert bar.has_class("-hidden")  # nothing to read before the first note
        text = shown(app)
        assert "Next:" in text and "Second Note" in text  # the next note, at the end
        assert "Builds on this note:" in text
        await pilot.press("u")  # read by hand
        app.open_note("third")
        await settle(pilot, app, lambda: app.current.slug == "third")
        assert "Before this: 1 unread note," in str(bar.render())


def sidebar_label(app, slug: str) -> str:
    """The sidebar's label for a note, as drawn."""
    tree = app.query_one("#sidebar")
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.data == note_page(slug):
            return str(node.label)
        stack.extend(node.children)
    raise AssertionError(f"no sidebar entry for {slug}")


def quiz_collection(tmp_path):
    check = "\n\n".join(f"**Q{i}. Question number {i}?**\n\n*Answer.* The answer to {i} is secret{i}." for i in (1, 2, 3))
    return write_collection(
        tmp_path / "quiz",
        {
            "01-p/01-m/01-quiz.md": note("Quiz Note", "quiz", "Some text.\n\n## Self-check\n\n" + check + "\n\n## References\n\n- A book.\n"),
            "01-p/01-m/02-other.md": note("Other Note", "other", "Elsewhere."),
        },
    )


async def test_self_check_answers_are_folded_until_asked_for(tmp_path):
    lib = load_library(quiz_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("quiz"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        text = shown(app)
        assert "Question number 1?" in text and "secret1" not in text
        assert text.count("Answer hidden") == 3
        await pilot.press("a")  # the first folded answer on screen
        await settle(pilot, app, lambda: "secret1" in shown(app))
        assert "secret2" not in shown(app) and shown(app).count("Answer hidden") == 2
        view = app.query_one(NoteView)
        spot = next(s for s in view.doc.links if s.slug.endswith(":3"))
        view.post_message(NoteView.LinkChosen(spot.slug))  # as a click or enter on it does
        await settle(pilot, app, lambda: "secret3" in shown(app))
        app.open_note("other")
        await settle(pilot, app, lambda: app.current.slug == "other")
        app.open_note("quiz")
        await settle(pilot, app, lambda: app.current.slug == "quiz")
        text = shown(app)
        assert "secret1" in text and "secret3" in text and "secret2" not in text  # remembered this session


async def test_review_a_read_note_card_by_card(tmp_path):
    from textual.widgets import Static

    from mlnotes.tui.review_screen import ReviewScreen

    lib = load_library(quiz_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("quiz"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is None  # nothing read yet: no cards
        assert "No cards yet" in str(screen.query_one("#review-question", Static).render())
        await pilot.press("escape")
        await pilot.press("u")  # read
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert screen.card.key == "quiz#1"
        assert "Question number 1?" in screen.card.question.question
        await pilot.press("3")  # grading before seeing the answer does nothing
        assert screen.card.key == "quiz#1" and screen.graded == 0
        await pilot.press("space")
        assert screen.revealed and "secret1" in screen.card.question.answer
        await pilot.press("4")  # easy: days away
        assert screen.graded == 1 and screen.card.key == "quiz#2"
        for _ in range(2):
            await pilot.press("space", "4")
        assert screen.card is None and screen.graded == 3
        assert "Nothing due" in str(screen.query_one("#review-question", Static).render())
        due = app.reviews.due(set(app.state.read))
        assert due == []  # not due again until its interval
        cards = app.reviews.cards(set(app.state.read))
        from datetime import datetime, timedelta, timezone

        assert all(c.due > datetime.now(timezone.utc) + timedelta(hours=12) for c in cards)
        await pilot.press("escape")
    again = ReaderApp(lib, start=lib.get("quiz"))  # a new reader reads the grades from disk
    assert len(again.reviews.cards({"quiz"})) == 3 and again.reviews.due({"quiz"}) == []


def test_cards_kept_between_calls_follow_grades_here_and_in_another_reader(tmp_path):
    from datetime import datetime, timedelta, timezone

    from mlnotes.review import Reviews

    lib = load_library(quiz_collection(tmp_path))
    path = tmp_path / "reviews.json"
    mine, theirs = Reviews(lib, path), Reviews(lib, path)
    read = {"quiz"}
    assert [c.reviewed for c in mine.cards(read)] == [False, False, False]
    mine.grade(mine.cards(read)[0], 4)
    assert [c.reviewed for c in mine.cards(read)] == [True, False, False]  # the kept list, updated in place
    assert mine.cards(read)[0].due > datetime.now(timezone.utc) + timedelta(hours=12)
    assert [c.reviewed for c in theirs.cards(read)] == [False, False, False]  # their kept list is older
    theirs.grade(theirs.cards(read)[2], 4)  # the write brings in my grade from the file
    assert [c.reviewed for c in theirs.cards(read)] == [True, False, True]
    mine.grade(mine.cards(read)[1], 3)
    assert [c.reviewed for c in mine.cards(read)] == [True, True, True]
    assert len(mine.cards({"quiz", "other"})) == 3 and mine.cards(set()) == []  # other read marks


async def test_enter_on_a_card_opens_its_note_at_the_self_check(tmp_path):
    lib = load_library(quiz_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("other"))
    app.state.mark_read("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.current is not None and app.current.slug == "quiz")
        view = app.query_one(NoteView)
        anchor = next(a for a in view.doc.anchors if a.title == "Self-check")
        await settle(pilot, app, lambda: view.scroll_y == anchor.y or view.scroll_y == view.max_scroll_y)


async def test_the_header_names_the_note_and_section_being_read(tmp_path):
    from textual.widgets import Header

    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        assert app.sub_title == "First Note"
        await pilot.press("j", "j", "j", "j", "j")  # into the first section
        await settle(pilot, app, lambda: app.sub_title == "First Note › Alpha section")
        await pilot.press("G")  # the short last section is in view at the end
        await settle(pilot, app, lambda: app.sub_title == "First Note › Omega section")
        header = app.query_one(Header)
        assert header.screen_sub_title == "First Note › Omega section"  # what the header draws


async def test_brackets_at_the_ends_of_the_collection_say_so(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.notes[-1])
    notices = []
    app.notify = lambda message, **kw: notices.append(message)  # what the user would see
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        await pilot.press("right_square_bracket")
        assert notices and "last note" in notices[-1]
        app.open_note(lib.notes[0].slug)
        await settle(pilot, app, lambda: app.current.slug == lib.notes[0].slug)
        await pilot.press("left_square_bracket")
        assert "first note" in notices[-1]


async def test_find_bar_enter_steps_through_matches_and_esc_closes_it(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        bar = app.query_one("#findbar")
        await pilot.press("f", *"paragraph")
        await settle(pilot, app, lambda: len(view.matches) == 40)
        first = view.current
        await pilot.press("enter")
        assert view.current == first + 1  # enter is the next match
        await pilot.press("enter")
        assert view.current == first + 2
        await pilot.press("escape")
        assert not bar.display and view.matches == [] and app.query_one("#find").value == ""
        await pilot.press("f", *"zebras", "tab")  # find, then into the note
        await settle(pilot, app, lambda: len(view.matches) == 1)
        assert app.focused is view
        await pilot.press("escape")  # esc in the note clears the find and closes the bar too
        await pilot.pause()
        assert not bar.display and view.matches == []
        await pilot.press("f", *"gradients")
        app.open_note("second")
        await settle(pilot, app, lambda: app.current.slug == "second")
        assert not bar.display and app.query_one("#find").value == ""  # not carried to another note


async def test_contents_opens_on_the_section_being_read(tmp_path):
    from textual.widgets import OptionList

    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)
        view.scroll_to(y=20, animate=False)  # inside the first section
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert "Alpha section" in str(options.get_option_at_index(options.highlighted).prompt)  # its heading is above the top
        await pilot.press("escape")
        await pilot.press("G")  # at the end, the short last section is the one in view
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert "Omega section" in str(options.get_option_at_index(options.highlighted).prompt)


async def test_the_sidebar_grows_with_a_wide_terminal(tmp_path):
    lib = load_library(long_collection(tmp_path))
    widths = []
    for size in ((100, 30), (200, 40)):
        app = ReaderApp(lib, start=lib.get("first"))
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app, lambda: app.current is not None)
            widths.append(app.query_one("#sidebar").size.width)
    assert widths[0] < widths[1] and widths[1] >= 50


async def test_q_during_the_first_index_build_quits_at_once_and_leaves_no_half_index(tmp_path, monkeypatch):
    import time as clock

    import mlnotes.search as search_module
    from mlnotes.search import SearchIndex

    files = {f"01-p/01-m/{i:02d}-n{i}.md": note(f"Note {i}", f"n{i}", f"Body {i} about gradients.") for i in range(40)}
    lib = load_library(write_collection(tmp_path / "many", files))
    slow = search_module._document

    def slow_document(lib_, note_):
        clock.sleep(0.1)  # a build of several seconds
        return slow(lib_, note_)

    monkeypatch.setattr(search_module, "_document", slow_document)
    app = ReaderApp(lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: "Building" in app.index_status)
        started = clock.monotonic()
        await pilot.press("q")
    assert clock.monotonic() - started < 1.0
    clock.sleep(0.5)  # the build thread stops at its next note and removes what it wrote
    ix = SearchIndex(lib)
    assert not ix.is_current()  # nothing half-written is taken as complete
    assert not ix.folder.exists() or not [d for d in ix.folder.iterdir() if d.is_dir()]


async def test_a_wide_code_line_is_cut_with_a_mark_and_scrolls_sideways(tmp_path):
    wide = "A = 1  # SciPy returns A = P @ L @ U, and this comment runs far past the edge to its LASTWORD"
    root = write_collection(tmp_path / "c", {"01-p/01-m/01-w.md": note("Wide", "wide", f"Prose.\n\n```python\n{wide}\nB = 2\n```\n\nAfter.\n")})
    lib = load_library(root)
    app = ReaderApp(lib, start=lib.get("wide"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, lambda: "After." in shown(app))
        view = app.query_one(NoteView)
        view.focus()
        width = view.scrollable_content_region.width

        def screen_lines() -> list[str]:
            return ["".join(seg.text for seg in view.render_line(y)) for y in range(view.scrollable_content_region.height)]

        code = next(line for line in screen_lines() if "A = 1" in line)
        assert code.endswith("›") and "LASTWORD" not in "".join(screen_lines())  # cut, marked, not wrapped
        assert any(line.strip() == "B = 2" for line in screen_lines())
        for _ in range(len(wide)):
            await pilot.press("right")
        await settle(pilot, app, lambda: "LASTWORD" in "".join(screen_lines()))
        assert view.scroll_offset.x > 0 and next(line for line in screen_lines() if "LASTWORD" in line).startswith("‹")
        await pilot.press("home", "left")
        for _ in range(len(wide)):
            await pilot.press("left")
        await settle(pilot, app, lambda: view.scroll_offset.x == 0)
        await pilot.press("f")
        await pilot.press(*"LASTWORD", "enter")  # find scrolls sideways to a match off the edge
        await settle(pilot, app, lambda: "LASTWORD" in "".join(screen_lines()))
        assert width < len(wide)


async def test_palette_ranks_a_note_whose_words_start_with_what_is_typed_first(tmp_path):
    from textual.command import CommandPalette

    root = write_collection(tmp_path / "c", {
        "01-p/01-m/01-stream.md": note("Stream Processing & Real-Time Data", "stream-processing", "Streams."),
        "01-p/01-m/02-psd.md": note("Positive Semidefinite Matrices & Quadratic Forms", "psd-matrices-and-quadratic-forms", "Matrices."),
    })
    app = ReaderApp(load_library(root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot, app, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"psd")
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        await settle(pilot, app, lambda: options.option_count >= 2)
        first = str(options.get_option_at_index(0).prompt)
        assert "Positive Semidefinite" in first, [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_note_rewraps_when_a_panel_takes_or_gives_back_width(tmp_path):
    lib = load_library(long_collection(tmp_path))
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app, lambda: app.current is not None)
        view = app.query_one(NoteView)

        def fits() -> bool:
            width = view.scrollable_content_region.width
            return view.doc.width == min(width, 100) and all(len(line.rstrip()) <= width for line in view.text_lines())

        await settle(pilot, app, fits)
        before = view.doc.width
        app.action_show_help_panel()  # Textual's keys panel, docked at the side
        await settle(pilot, app, lambda: view.doc.width < before and fits())
        app.action_hide_help_panel()
        await settle(pilot, app, lambda: view.doc.width == before)
        await pilot.press("s")  # the sidebar goes: the note takes its width
        await settle(pilot, app, lambda: view.doc.width > before and fits())


async def test_a_search_hit_deep_in_a_note_lands_on_its_section_before_the_rest_is_rendered(tmp_path):
    sections = "\n\n".join(f"## Section {i}\n\n" + "\n\n".join(f"Words of section {i}, paragraph {j}." for j in range(30)) for i in range(12))
    root = write_collection(tmp_path / "c", {
        "01-p/01-m/01-long.md": note("Long Note", "long", "Top of the note.\n\n" + sections),
        "01-p/01-m/02-other.md": note("Other Note", "other", "Elsewhere."),
    })
    lib = load_library(root)
    app = ReaderApp(lib, start=lib.get("other"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None and "Elsewhere" in shown(app))
        view = app.query_one(NoteView)
        anchor = next(s.anchor for s in lib.outline(lib.get("long")).sections if s.title == "Section 9")
        seen = []
        show = view.show

        def spy(doc, scroll_y=0):
            show(doc, scroll_y)
            lines = ["".join(seg.text for seg in line) for line in doc.lines]
            seen.append((doc.starts_at, lines[int(scroll_y or 0)].strip() if lines else ""))

        view.show = spy
        app.open_note("long", scroll_y=0, find=(None, anchor))

        def top() -> str:
            return view.text_lines()[int(view.scroll_offset.y)].strip()

        await settle(pilot, app, lambda: view.doc.complete and not view.doc.starts_at and top() == "Section 9")
        assert seen[0] == (anchor, "Section 9")  # first shown: the section, from a partial rendering
        assert all(top == "Section 9" for _, top in seen), seen  # never the top of the note in between
        assert "Top of the note" in "".join("".join(seg.text for seg in line) for line in view.doc.lines)  # whole now


async def test_a_query_typed_during_the_first_build_runs_when_the_index_is_ready(tmp_path, monkeypatch):
    import time as clock

    from textual.widgets import Static

    import mlnotes.search as search_module

    files = {f"01-p/01-m/{i:02d}-n{i}.md": note(f"Note {i}", f"n{i}", f"Body {i} about gradients.") for i in range(20)}
    lib = load_library(write_collection(tmp_path / "many", files))
    slow = search_module._document

    def slow_document(lib_, note_):
        clock.sleep(0.15)  # a build of about three seconds
        return slow(lib_, note_)

    monkeypatch.setattr(search_module, "_document", slow_document)
    app = ReaderApp(lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: "Building" in app.index_status)
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"gradients")
        status = screen.query_one("#search-status", Static)
        await settle(pilot, app, lambda: "Building" in str(status.render()))  # the build's progress, as it goes
        await settle(pilot, app, lambda: screen.last_query == "gradients", timeout=20)
        assert "20 notes" in str(status.render())


async def test_notes_added_changed_or_removed_while_reading_appear_without_a_restart(tmp_path, monkeypatch):
    import mlnotes.tui.app as app_module

    monkeypatch.setattr(app_module, "WATCH_EVERY", 0.2)
    root = long_collection(tmp_path)
    lib = load_library(root)
    app = ReaderApp(lib, start=lib.get("first"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lambda: app.current is not None and app._folder_seen is not None)
        (root / "01-p/01-m/04-fourth.md").write_text(note("Fourth Note", "fourth", "A new note about owls."), encoding="utf-8")
        await settle(pilot, app, lambda: app.lib.get("fourth") is not None)
        assert sidebar_label(app, "fourth").strip() == "Fourth Note"
        first = root / "01-p/01-m/01-first.md"
        first.write_text(first.read_text().replace("zebras", "giraffes"), encoding="utf-8")
        await settle(pilot, app, lambda: "giraffes" in shown(app))
        assert app.current.slug == "first" and "zebras" not in shown(app)
        (root / "01-p/01-m/03-third.md").unlink()
        await settle(pilot, app, lambda: app.lib.get("third") is None)
        with pytest.raises(AssertionError):
            sidebar_label(app, "third")
        await settle(pilot, app, lambda: app.index is not None and app.index.search("owls").hits)
        assert [h.slug for h in app.index.search("owls").hits] == ["fourth"]


async def test_sidebar_makes_a_module_s_notes_when_it_is_opened(small):
    """The tree holds parts and modules up front; a module's notes appear when the reader
    opens it, or when a note of it is opened from elsewhere (and the cursor lands there)."""

    def note_nodes(tree) -> set[str]:
        stack, found = [tree.root], set()
        while stack:
            node = stack.pop()
            if node.data is not None and node.data.is_note:
                found.add(node.data.key)
            stack.extend(node.children)
        return found

    app = ReaderApp(load_library(small))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        tree = app.query_one("#sidebar")
        assert note_nodes(tree) == set()
        await pilot.press("down", "enter", "down", "enter")  # open Mathematics, then Linear Algebra
        await settle(pilot, app, lambda: note_nodes(tree) == {"vectors", "matrices"})
        await pilot.press("down")
        await settle(pilot, app, lambda: "A vector space" in shown(app))
        app.open_note("trees")
        await settle(pilot, app, lambda: app.current is not None and app.current.slug == "trees")
        await settle(pilot, app, lambda: tree.cursor_node is not None and tree.cursor_node.data == note_page("trees"))
        assert note_nodes(tree) == {"vectors", "matrices", "regression", "trees"}
