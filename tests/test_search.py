import os
import shutil
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlnotes.library import load_library
from mlnotes.search import FORMAT, SearchIndex
from tests.conftest import note


def open_index(root):
    lib = load_library(root)
    ix = SearchIndex(lib)
    stats = ix.open()
    return lib, ix, stats


def slugs(results):
    return [h.slug for h in results.hits]


def test_title_hit_beats_body_hit(small):
    _, ix, stats = open_index(small)
    assert stats.rebuilt and stats.added == 5
    # "matrices" is the title of one note and only a body word in another
    assert slugs(ix.search("matrix"))[0] == "matrices"
    assert slugs(ix.search("regression"))[0] == "regression"


def test_stemming_phrase_prefix_and_fields(small):
    _, ix, _ = open_index(small)
    assert "gradients" in slugs(ix.search("descending"))  # stems to "descend"
    assert slugs(ix.search('"gradient descent"'))[0] == "gradients"
    assert set(slugs(ix.search('"descent gradient"'))) <= {"regression"}  # word order matters
    assert "regression" in slugs(ix.search("regulariz*"))
    assert slugs(ix.search("tag:trees")) == ["trees"]
    assert slugs(ix.search("title:vectors")) == ["vectors"]
    assert set(slugs(ix.search("gradient NOT stochastic"))) == {"gradients"}
    assert set(slugs(ix.search("ridge OR forests"))) == {"regression", "trees"}


def test_hits_carry_heading_and_marked_snippet(small):
    _, ix, _ = open_index(small)
    hit = ix.search("forests decorrelated variance").hits[0]
    assert hit.slug == "trees"
    assert hit.heading == "Random forests"
    assert hit.part == "Ml" and hit.module == "Models" and hit.title == "Decision Trees"
    marked = hit.marked_snippet()
    assert "**decorrelated**" in marked and "**variance**" in marked
    assert hit.as_json()["snippet"] == marked


def test_typo_gets_a_suggestion_and_results(small):
    _, ix, _ = open_index(small)
    res = ix.search("regresion")
    assert res.suggestion == "regression"
    assert res.corrected and slugs(res)[0] == "regression"
    assert ix.search("zzzzqqq").hits == []


def test_correction_prefers_the_nearest_word_over_the_commoner_one(tmp_path):
    # "varience" is one letter from "variance" (in one note) and two from "variants" (in
    # three): the nearer word wins even though the farther one is in more notes.
    from tests.conftest import write_collection

    files = {"_index.md": "---\ntitle: T\n---\nx\n", "01-p/_index.md": "---\ntitle: P\n---\nx\n",
             "01-p/01-m/_index.md": "---\ntitle: M\n---\nx\n"}
    files["01-p/01-m/01-a.md"] = note("Spread", "spread", "The variance of an estimator.")
    for i in range(3):
        files[f"01-p/01-m/0{i + 2}-b.md"] = note(f"Forms {i}", f"forms-{i}", "Several variants of a method.")
    _, ix, _ = open_index(write_collection(tmp_path / "c", files))
    res = ix.search("varience")
    assert res.suggestion == "variance" and slugs(res) == ["spread"]


def test_the_vocabulary_for_corrections_is_kept_beside_the_index(small, monkeypatch):
    lib, ix, _ = open_index(small)
    assert ix.search("regresion").suggestion == "regression"
    kept = list(ix.folder.glob("spell-*.txt"))
    assert len(kept) == 1 and "regression" in kept[0].read_text(encoding="utf-8").split("\n")
    # A later run reads that file instead of walking the index's word list.
    from whoosh.reading import IndexReader, MultiReader, SegmentReader

    def refuse(*_a, **_k):
        raise AssertionError("the word list was read from the index again")

    with monkeypatch.context() as patched:
        for cls in (IndexReader, MultiReader, SegmentReader):
            patched.setattr(cls, "lexicon", refuse, raising=False)
        again = SearchIndex(lib)
        again.open()
        assert again.search("regresion").suggestion == "regression"
    # A changed index is a new version: its list replaces the old one.
    path = small / "01-maths" / "01-algebra" / "01-vectors.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA zebra appears.\n", encoding="utf-8")
    third = SearchIndex(load_library(small))
    third.open()
    assert third.search("zebre").suggestion == "zebra"
    now = list(ix.folder.glob("spell-*.txt"))
    assert len(now) == 1 and now != kept


def test_short_prefix_is_not_expanded(small):
    _, ix, _ = open_index(small)
    started = time.perf_counter()
    ix.search("a*")
    ix.search("*")
    ix.search("?*")
    assert time.perf_counter() - started < 2
    # Below MIN_PREFIX letters a prefix is the word itself, not every word it starts.
    assert ix.search("re*").total == ix.search("re").total == 0
    assert ix.search("reg*").total > 0  # "regression", "regularization"


def test_incremental_update_after_edit_add_remove(small):
    lib, ix, _ = open_index(small)
    ix.close()
    path = small / "01-maths/02-calculus/01-gradients.md"
    path.write_text(note("Gradients", "gradients", "Now about Hessians and curvature only."), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    (small / "02-ml/01-models/03-boosting.md").write_text(note("Boosting", "boosting", "Boosting fits residuals of hessians."), encoding="utf-8")
    (small / "02-ml/01-models/02-trees.md").unlink()
    lib2 = load_library(small)
    ix2 = SearchIndex(lib2)
    assert not ix2.is_current()
    stats = ix2.open()
    assert not stats.rebuilt
    assert (stats.added, stats.changed, stats.removed) == (1, 1, 1)
    hits = slugs(ix2.search("hessians"))
    assert sorted(hits) == ["boosting", "gradients"]
    # Never the edited note twice (Searcher.refresh() would keep the deleted copy).
    assert slugs(ix2.search("gradients")).count("gradients") == 1
    assert slugs(ix2.search("forests")) == []
    assert ix2.is_current()


def test_update_in_same_process_shows_each_note_once(small):
    lib, ix, _ = open_index(small)
    assert slugs(ix.search("curvature")) == []
    path = small / "01-maths/02-calculus/01-gradients.md"
    path.write_text(note("Gradients", "gradients", "Gradient with curvature."), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    ix.lib = load_library(small)
    ix.open()
    assert slugs(ix.search("gradient")).count("gradients") == 1
    assert slugs(ix.search("curvature")) == ["gradients"]


def test_corrupt_index_is_rebuilt(small):
    lib, ix, _ = open_index(small)
    ix.close()
    gen = ix.folder / (ix.folder / "current").read_text().strip()
    for f in gen.iterdir():
        if f.suffix in (".seg", ".toc") or f.name.endswith(".trm") or f.name.endswith(".pst"):
            f.write_bytes(b"garbage" * 10)
    again = SearchIndex(load_library(small))
    stats = again.open()
    assert stats.rebuilt
    assert slugs(again.search("matrix"))[0] == "matrices"


def test_partial_or_old_index_is_rebuilt(small):
    lib, ix, _ = open_index(small)
    ix.close()
    gen = ix.folder / (ix.folder / "current").read_text().strip()
    (gen / "manifest.json").unlink()  # a build that died before it finished
    stats = SearchIndex(load_library(small)).open()
    assert stats.rebuilt
    (ix.folder / "current").write_text(f"v{FORMAT - 1}-000000000000")  # an older format
    stats = SearchIndex(load_library(small)).open()
    assert stats.rebuilt
    shutil.rmtree(ix.folder)
    assert SearchIndex(load_library(small)).open().rebuilt


def test_two_indexes_on_one_folder_do_not_corrupt(small):
    from concurrent.futures import ThreadPoolExecutor

    libs = [load_library(small) for _ in range(3)]

    def run(lib):
        ix = SearchIndex(lib)
        ix.open(rebuild=True)
        out = slugs(ix.search("matrix"))
        ix.close()
        return out

    with ThreadPoolExecutor(3) as pool:
        outs = list(pool.map(run, libs))
    assert all(o and o[0] == "matrices" for o in outs)
    assert SearchIndex(load_library(small)).is_current()


def test_json_shape(small):
    _, ix, _ = open_index(small)
    data = ix.search("trees", limit=3).as_json()
    assert set(data) == {"query", "total", "suggestion", "results"}
    assert data["total"] >= 1
    assert set(data["results"][0]) == {"slug", "title", "part", "module", "heading", "anchor", "score", "snippet"}


_shared = {}


def _index(small_factory):
    if "ix" not in _shared:
        _shared["ix"] = open_index(small_factory)[1]
    return _shared["ix"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.from_regex(r'[a-z"*?():\\~^ANDORT \-\[\]{}+!]{0,20}', fullmatch=True))
def test_any_query_string_is_safe(small, q):
    ix = _index(small)
    res = ix.search(q)
    assert isinstance(res.hits, list)
    assert res.total >= 0


def test_snippet_starts_at_a_word_boundary():
    from mlnotes.snippets import make_snippet, query_terms

    first = "Antidisestablishmentarianism"  # a first word longer than the cut would be
    text = f"{first} and twenty-five more letters then the target appears."
    heading, anchor, snippet, spans = make_snippet([["Leakage", "leakage", "prose", text, ""]], query_terms("target"))
    assert snippet.startswith(first)  # not "…lishmentarianism"
    assert [snippet[s:e] for s, e in spans] == ["target"]


# -- a damaged index, a busy writer, leftovers ---------------------------------------------------


def _generation(ix):
    return ix.folder / (ix.folder / "current").read_text().strip()


def test_random_bytes_in_a_segment_are_detected_and_rebuilt(small):
    _, ix, _ = open_index(small)
    ix.close()
    seg = max(_generation(ix).glob("*.seg"), key=lambda p: p.stat().st_size)
    data = bytearray(seg.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = os.urandom(64)  # same size: only the content is wrong
    seg.write_bytes(bytes(data))
    again = SearchIndex(load_library(small))
    assert not again.is_current()
    stats = again.open()
    assert stats.rebuilt
    assert slugs(again.search("matrix"))[0] == "matrices"


def test_a_search_that_fails_inside_the_index_says_so_and_rebuilds_next_time(small):
    _, ix, _ = open_index(small)

    def broken(*args, **kwargs):
        raise IndexError("damaged postings")

    ix._searcher.search = broken
    ix._searcher.search_with_collector = broken
    res = ix.search("matrix")
    assert res.hits == [] and "damaged" in res.notice
    ix.close()
    assert SearchIndex(load_library(small)).open().rebuilt


def test_a_reader_does_not_wait_for_another_writer(small):
    import fcntl

    _, ix, _ = open_index(small)
    ix.close()
    (small / "extra.md").write_text("---\ntitle: Extra\n---\n\nSpectral clustering words.\n")
    with open(ix.folder / "write.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # another process is rebuilding
        busy = SearchIndex(load_library(small))
        started = time.monotonic()
        stats = busy.open()
        assert time.monotonic() - started < 5
        assert "last complete" in stats.notice
        assert slugs(busy.search("matrix"))[0] == "matrices"  # the old index answers
        busy.close()
    stats = SearchIndex(load_library(small)).open()  # the lock is free: now it updates
    assert stats.added == 1 and not stats.notice


def test_a_current_index_is_searched_without_the_lock(small):
    _, ix, _ = open_index(small)
    ix.close()
    lock = ix.folder / "write.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()  # cannot be opened as a file: as if the cache folder were read-only
    again = SearchIndex(load_library(small))
    stats = again.open()
    assert not stats.notice and slugs(again.search("matrix"))[0] == "matrices"
    again.close()
    (small / "extra.md").write_text("---\ntitle: Extra\n---\n\nSpectral clustering words.\n")
    stale = SearchIndex(load_library(small))
    stats = stale.open()  # needs an update it cannot write: search what there is, and say so
    assert "cannot be updated" in stats.notice
    assert slugs(stale.search("matrix"))[0] == "matrices"


def test_a_generation_left_by_a_killed_build_is_removed(small):
    _, ix, _ = open_index(small)
    ix.close()
    orphan = ix.folder / f"v{FORMAT}-0123456789ab"
    orphan.mkdir()
    (orphan / "MAIN_x.seg").write_bytes(b"half written")
    SearchIndex(load_library(small)).open()
    assert not orphan.exists()
    assert _generation(ix).exists()


def test_progress_says_when_the_index_is_being_written(small):
    seen = []
    SearchIndex(load_library(small)).open(rebuild=True, progress=lambda done, total, what: seen.append((done, total, what)))
    assert seen[0] == (1, 5, "indexing") and seen[-1] == (5, 5, "writing")


def test_build_workers_die_with_their_parent(tmp_path):
    import signal
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        return
    script = tmp_path / "parent.py"
    script.write_text(
        "import multiprocessing as mp, os, sys, time\n"
        "from mlnotes.search import _children_die_with_us\n"
        "with _children_die_with_us():\n"
        "    p = mp.get_context('fork').Process(target=time.sleep, args=(60,))\n"
        "    p.start()\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # a zombie child of init is gone for our purposes once reaped; check its state
        try:
            if open(f"/proc/{child}/stat").read().split()[2] == "Z":
                break
        except OSError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the worker outlived its parent")


def test_exact_phrase_matcher_agrees_with_whoosh_phrase(small):
    from whoosh import query

    from mlnotes.phrase import ExactPhrase

    _, ix, _ = open_index(small)
    searcher = ix._searcher
    for words in (["gradient", "descent"], ["descent", "gradient"], ["random", "forest"], ["gradient"], ["zzz", "gradient"]):
        stemmed = [next(iter(ix.schema["body"].process_text(w, mode="query"))) for w in words]
        ours = set(ExactPhrase("body", stemmed).docs(searcher))
        theirs = set(query.Phrase("body", stemmed).docs(searcher)) if len(stemmed) > 1 else set(query.Term("body", stemmed[0]).docs(searcher))
        assert ours == theirs, words
    assert set(ExactPhrase("body", ["gradient", "descent"]).docs(searcher))  # the case is not empty


def test_every_form_of_an_ize_word_finds_the_others(tmp_path):
    # Porter alone stems "diagonalizable" to "diagonaliz" and "diagonalization" to "diagon".
    from tests.conftest import write_collection

    files = {"_index.md": "---\ntitle: T\n---\nx\n", "01-p/_index.md": "---\ntitle: P\n---\nx\n",
             "01-p/01-m/_index.md": "---\ntitle: M\n---\nx\n",
             "01-p/01-m/01-a.md": note("Eigenvalues & Diagonalization", "eig", "Similar to a diagonal form."),
             "01-p/01-m/02-b.md": note("Scaling", "scale", "Each feature is normalized first.")}
    _, ix, _ = open_index(write_collection(tmp_path / "c", files))
    assert slugs(ix.search("diagonalizable")) == ["eig"]
    assert slugs(ix.search("normalizable")) == ["scale"]
    assert slugs(ix.search("diagonalizing")) == ["eig"]


def _many_notes(root, count=130):
    from tests.conftest import write_collection

    files = {"_index.md": "---\ntitle: T\n---\nx\n", "01-p/_index.md": "---\ntitle: P\n---\nx\n",
             "01-p/01-m/_index.md": "---\ntitle: M\n---\nx\n"}
    for i in range(count):
        files[f"01-p/01-m/{i:03d}-n.md"] = note(f"Note {i}", f"n{i}", f"Word{i} appears here, with gradient{i % 7}.")
    return write_collection(root, files)


def test_a_stopped_build_keeps_what_it_committed_and_the_next_one_resumes(tmp_path):
    from mlnotes.search import BATCH_MIN

    root = _many_notes(tmp_path / "c")
    lib = load_library(root)
    ix = SearchIndex(lib)

    class Stop(Exception):
        pass

    def stop_late(done, total, what):
        if done > BATCH_MIN + 5:  # inside the second part
            raise Stop

    try:
        ix.open(progress=stop_late)
    except Stop:
        pass
    # Nothing is taken for a complete index ...
    assert not ix.is_current() and not (ix.folder / "current").exists()
    assert (ix.folder / "building").exists()
    # ... and the next build indexes only what the stopped one had not committed (a writer
    # killed mid-part can leave loose segment files: they go).
    building = ix.folder / (ix.folder / "building").read_text().strip()
    (building / "MAIN_strayfile0000.trm").write_bytes(b"x")
    again = SearchIndex(load_library(root))
    stats = again.open()
    assert stats.rebuilt and 0 < stats.added < len(lib.notes) and stats.resumed == len(lib.notes) - stats.added
    assert not (building / "MAIN_strayfile0000.trm").exists()
    assert again.is_current() and not (again.folder / "building").exists()
    assert again.search("word3").hits[0].slug == "n3"  # committed by the first build
    assert again.search("word129").hits[0].slug == "n129"  # added by the second
    assert again.search("gradient2").total == len([i for i in range(130) if i % 7 == 2])
    assert len([d for d in again.folder.iterdir() if d.is_dir()]) == 1


def test_a_resumed_build_takes_in_notes_changed_or_removed_meanwhile(tmp_path):
    from mlnotes.search import BATCH_MIN

    root = _many_notes(tmp_path / "c")
    ix = SearchIndex(load_library(root))

    def stop_late(done, total, what):
        if done > BATCH_MIN + 5:
            raise KeyboardInterrupt

    try:
        ix.open(progress=stop_late)
    except KeyboardInterrupt:
        pass
    first = root / "01-p" / "01-m" / "000-n.md"
    first.write_text(note("Note 0", "n0", "Now about zebras."), encoding="utf-8")
    (root / "01-p" / "01-m" / "001-n.md").unlink()
    again = SearchIndex(load_library(root))
    again.open()
    assert slugs(again.search("zebras")) == ["n0"]
    assert again.search("word0").total == 0 and again.search("word1").total == 0
    assert again.search("word2").hits[0].slug == "n2"


def test_a_build_stopped_before_its_first_part_leaves_nothing(tmp_path):
    root = _many_notes(tmp_path / "c")
    ix = SearchIndex(load_library(root))

    def stop_early(done, total, what):
        if done > 3:
            raise KeyboardInterrupt

    try:
        ix.open(progress=stop_early)
    except KeyboardInterrupt:
        pass
    assert not (ix.folder / "building").exists() and not (ix.folder / "current").exists()
    assert not [d for d in ix.folder.iterdir() if d.is_dir()]


def test_a_synonym_widens_the_net_without_outranking_the_word_as_typed(tmp_path):
    """"leakage" also finds notes that only say "contamination", but a note that has the
    word as typed ranks first, and the query's bonus for matching more words still holds."""
    from tests.conftest import write_collection

    root = write_collection(
        tmp_path / "syn",
        {
            "01-p/01-m/01-leak.md": note("Splits", "splits", "Fitting an encoder before the split is leakage.\n\nMore words here."),
            "01-p/01-m/02-cont.md": note(
                "Benchmarks", "benchmarks", "Contamination of a benchmark: its contamination is checked.\n\nMore words here."
            ),
            "01-p/01-m/03-other.md": note("Other", "other", "Nothing related at all."),
        },
    )
    _, ix, _ = open_index(root)
    assert slugs(ix.search("leakage")) == ["splits", "benchmarks"]
    assert slugs(ix.search("encoder leakage"))[0] == "splits"
