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


def test_short_prefix_is_not_expanded(small):
    _, ix, _ = open_index(small)
    started = time.perf_counter()
    ix.search("a*")
    ix.search("*")
    ix.search("?*")
    assert time.perf_counter() - started < 2


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
