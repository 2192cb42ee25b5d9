"""Full-text search over a notes collection with Whoosh (whoosh-reloaded 2.7.5).

One index per notes folder lives in the user cache folder. It is built on first use and
kept current: notes added, changed or removed since the last run are the only ones
re-indexed. An index that cannot be opened (corrupt, partial, old format) is rebuilt.
Writers hold a file lock, and a rebuild goes into a fresh folder that replaces the old one
with one atomic write of a pointer file, so two processes never corrupt each other.

Facts about this Whoosh fork that shape the code (measured, see the README):
``Searcher.refresh()`` keeps deleted documents, so after every commit the searcher is closed
and reopened; Whoosh's own estimate of a total is not the number of matching notes, so totals
come from one unscored pass over the matches, when there are more than the hits shown;
fuzzy matching on a stemmed field misses typos, so corrections come from the words of an
unstemmed field (:mod:`mlnotes.spelling`); Whoosh's highlighter is slow, so snippets are cut
by :mod:`mlnotes.snippets` from stored plain text, for the hits shown only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import mlnotes.whoosh_import  # noqa: F401  (before any whoosh import)
from whoosh import collectors, qparser, query
from whoosh import index as windex
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from mlnotes.library import Library, Note
from mlnotes.paths import atomic_write, cache_dir, collection_key
from mlnotes.phrase import ExactPhrase
from mlnotes.plaintext import extract, math_tokens
from mlnotes.snippets import make_snippet, query_phrases, query_terms
from mlnotes.spelling import Speller
from mlnotes.stemming import stem
from mlnotes.synonyms import alternatives

FORMAT = 9  # bump when the schema or the documents change: old indexes are rebuilt
MIN_PREFIX = 3  # a shorter prefix expands to too many terms to be worth it
MAX_QUERY = 400
SEARCH_FIELDS = ["title", "headings", "summary", "tags", "body", "code", "mathwords"]
FIELD_ALIASES = {"tag": "tags", "heading": "headings", "section": "headings", "text": "body", "math": "mathwords"}
BODY_BOOST = 1.5  # the same word in prose explains more than in a code block
SYNONYM_WEIGHT = 0.5  # a note matching only a synonym of a word ranks below one that has the word
LOCK_WAIT = 60.0  # seconds a writer waits for another writer when there is no index to search
WRITER_MB = 16  # postings held in memory before a writer spills them to disk (Whoosh: 128);
# 16 MB keeps the reader's first build of the shipped notes near 124 MB peak (138 MB at 32)
MANY_WRITER_MB = 32  # per process in the two-process build of a large collection
MANY_PROCS_FROM = 1500  # documents; below this a single writer is faster than forking
BATCHES = 4  # a full build commits in this many parts (at least BATCH_MIN notes each), so a
BATCH_MIN = 50  # stopped build keeps what it committed and the next one resumes from there

# progress(done, total, what): "indexing" while notes are read, "writing" while the index is
# written out (merged, flushed) after the last note.
Progress = Callable[[int, int, str], None]


def _words():
    # Accents folded before stemming: "poincare" finds "Poincaré", "erdos" finds "Erdős".
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter() | StemFilter(stemfn=stem)


def make_schema() -> Schema:
    stem = _words()
    return Schema(
        path=ID(unique=True, stored=True),
        slug=ID(stored=True),
        title=TEXT(analyzer=stem, stored=True, field_boost=6.0),
        headings=TEXT(analyzer=stem, field_boost=4.5),
        summary=TEXT(analyzer=stem, field_boost=2.0),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True, field_boost=2.0),
        body=TEXT(analyzer=stem, field_boost=BODY_BOOST),  # the prose
        code=TEXT(analyzer=stem, field_boost=0.25),  # identifiers in code are worth finding too
        # Formulas as word sequences (see plaintext.math_tokens); single letters count here.
        mathwords=TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), field_boost=0.5),
        # Each written word once per note: only the vocabulary is needed, for suggestions.
        spell=TEXT(analyzer=StandardAnalyzer(stoplist=None, minsize=3), phrase=False),
        part=TEXT(analyzer=StandardAnalyzer(), stored=True),
        module=TEXT(analyzer=StandardAnalyzer(), stored=True),
        level=ID(stored=True),
        sections=STORED,
    )


@dataclass
class Hit:
    slug: str
    title: str
    part: str
    module: str
    score: float
    heading: str
    snippet: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    anchor: str = ""  # the section's anchor in the note ("" for the top of the note)

    def marked_snippet(self, left: str = "**", right: str = "**") -> str:
        out, last = [], 0
        for start, end in self.spans:
            out.append(self.snippet[last:start] + left + self.snippet[start:end] + right)
            last = end
        out.append(self.snippet[last:])
        return "".join(out)

    def as_json(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "part": self.part,
            "module": self.module,
            "heading": self.heading,
            "anchor": self.anchor,
            "score": round(self.score, 4),
            "snippet": self.marked_snippet(),
        }


@dataclass
class Results:
    query: str
    total: int = 0
    suggestion: str | None = None
    corrected: bool = False  # the hits are for the suggestion, the query itself found nothing
    hits: list[Hit] = field(default_factory=list)
    notice: str = ""  # the index could not answer (damaged): say so instead of failing

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "results": [h.as_json() for h in self.hits],
        }


@dataclass
class UpdateStats:
    added: int = 0
    changed: int = 0
    removed: int = 0
    rebuilt: bool = False
    resumed: int = 0  # notes a stopped build had already indexed, kept by this one
    seconds: float = 0.0
    notice: str = ""  # when searching an index that could not be brought up to date


def _document(lib: Library, note: Note) -> dict:
    def link_text(target: str, section: str | None, text: str | None) -> str:
        linked = lib.get(target)
        return text or (linked.title if linked else target)

    plain = extract(lib.outline(note), link_text)
    prose = "\n".join(s.text for s in plain.sections)
    code = "\n".join(s.code for s in plain.sections if s.code)
    headings = "\n".join(plain.headings)
    written = " ".join((note.title, headings, note.summary, " ".join(note.tags), prose, code))
    return {
        "path": note.file,
        "slug": note.slug,
        "title": note.title,
        "headings": headings,
        "summary": note.summary,
        "tags": ",".join(note.tags),
        "body": prose,
        "code": code,
        "mathwords": plain.math_words,
        "spell": " ".join(dict.fromkeys(re.findall(r"\w+", written.lower()))),
        "part": note.part_title,
        "module": note.module_title,
        "level": note.level,
        "sections": json.dumps([[s.heading, s.anchor, s.kind, s.text, s.code] for s in plain.sections], ensure_ascii=False),
    }


def _stat_files(gen: Path) -> dict[str, tuple[int, int]]:
    """The index's own files in a generation (Whoosh's table of contents and segments)."""
    out = {}
    with os.scandir(gen) as entries:
        for entry in entries:
            if entry.is_file() and entry.name.endswith((".toc", ".seg")):
                st = entry.stat()
                out[entry.name] = (st.st_size, st.st_mtime_ns)
    return out


def _drop_strays(gen: Path) -> None:
    """Remove the loose segment files a cancelled writer left (committed segments are single
    .seg files); called under the write lock, with no writer open."""
    for entry in gen.iterdir():
        if entry.is_file() and entry.name.startswith("MAIN_") and entry.suffix not in (".seg",) and entry.name != "MAIN_WRITELOCK":
            entry.unlink(missing_ok=True)


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def _stale_notice(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "another mlnotes process is updating the search index; results are from the last complete one"
    return "the search index cannot be updated (the cache folder is not writable); results may be out of date"


_ARMED = False  # while a build forks its workers
_PARENT = 0


def _arm_child() -> None:
    """In a worker forked during a build: die with the process that forked it (Linux)."""
    if not _ARMED:
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        return
    if os.getppid() != _PARENT:  # the parent died before the request took effect
        os._exit(1)


if hasattr(os, "register_at_fork") and sys.platform.startswith("linux"):
    os.register_at_fork(after_in_child=_arm_child)


@contextmanager
def _children_die_with_us():
    """Worker processes forked meanwhile are killed if this process dies: a kill -9 of
    ``mlnotes index`` must not leave its workers indexing for a minute."""
    global _ARMED, _PARENT
    _ARMED, _PARENT = True, os.getpid()
    try:
        yield
    finally:
        _ARMED = False


@contextmanager
def _file_lock(path: Path, timeout: float = 60.0):
    """An exclusive lock between processes (POSIX flock; a no-op where there is none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path, "a+") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another mlnotes process holds {path}") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class SearchIndex:
    """The search index of one library. Not thread-safe: use it from one thread at a time."""

    def __init__(self, lib: Library, folder: Path | None = None):
        self.lib = lib
        self.folder = folder or cache_dir() / collection_key(lib.root) / "index"
        self.schema = make_schema()
        self._ix = None
        self._searcher = None
        self._gen: Path | None = None
        self._parser = None
        self._speller: Speller | None = None
        self._checked = None  # (index, searcher) that checked its segments on opening

    # ------------------------------------------------------------------ opening and updating

    @property
    def _pointer(self) -> Path:
        return self.folder / "current"

    @property
    def _building_pointer(self) -> Path:
        return self.folder / "building"

    @property
    def _lock_path(self) -> Path:
        return self.folder / "write.lock"

    def _current_gen(self, pointer: Path | None = None) -> Path | None:
        try:
            name = (pointer or self._pointer).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        if not re.fullmatch(rf"v{FORMAT}-[0-9a-f]{{12}}", name):
            return None  # another format's index, or garbage: rebuild
        return self.folder / name

    def _manifest_data(self, gen: Path, partial: bool = False) -> dict | None:
        """The generation's manifest; one written mid-build (``complete`` false) only when
        ``partial`` is asked for."""
        try:
            data = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        if not isinstance(data.get("notes"), dict) or not isinstance(data.get("files"), dict):
            return None
        if data.get("complete") is not True and not partial:
            return None
        return data

    def _manifest(self, gen: Path) -> dict[str, str] | None:
        data = self._manifest_data(gen)
        return data["notes"] if data else None

    def _write_manifest(self, gen: Path, notes: dict[str, str], complete: bool = True) -> None:
        files = {name: [size, mtime, _crc(gen / name)] for name, (size, mtime) in _stat_files(gen).items()}
        data = {"format": FORMAT, "complete": complete, "notes": notes, "files": files}
        atomic_write(gen / "manifest.json", json.dumps(data))

    def _intact(self, gen: Path, partial: bool = False) -> bool:
        """The generation's files are the ones written: same names and sizes, and, for a file
        touched since (its time changed), the same checksum. Random bytes written into a
        segment are caught here instead of as wrong results or a decompression error."""
        data = self._manifest_data(gen, partial)
        if data is None:
            return False
        written = data["files"]
        now = _stat_files(gen)
        if set(now) != set(written):
            return False
        for name, (size, mtime) in now.items():
            record = written[name]
            if not (isinstance(record, list) and len(record) == 3) or record[0] != size:
                return False
            if record[1] != mtime and record[2] != _crc(gen / name):
                return False
        return True

    def _mark_damaged(self) -> None:
        """A search failed inside the index: drop its manifest so the next open rebuilds."""
        if self._gen is not None:
            try:
                (self._gen / "manifest.json").unlink()
            except OSError:
                pass

    def _open_gen(self, gen: Path):
        ix = windex.open_dir(str(gen))
        if set(ix.schema.names()) != set(self.schema.names()):
            raise windex.IndexError("schema changed")
        searcher = ix.searcher()  # open every segment once: a corrupt one fails here
        try:
            searcher.doc_count()
            next(iter(searcher.reader().all_doc_ids()), None)
        except BaseException:
            searcher.close()
            raise
        self._drop_checked()
        self._checked = (ix, searcher)  # kept: opening the segments again costs ~20 ms
        return ix

    def _drop_checked(self) -> None:
        if self._checked is not None:
            self._checked[1].close()
            self._checked = None

    def _checked_searcher(self):
        """The searcher that checked the index now open, if nothing was written since."""
        checked, self._checked = self._checked, None
        if checked is not None and checked[0] is self._ix and checked[1].up_to_date():
            return checked[1]
        if checked is not None:
            checked[1].close()
        return None

    def _try_open(self):
        gen = self._current_gen()
        if gen is None or self._manifest(gen) is None or not self._intact(gen):
            return None, None
        try:
            return gen, self._open_gen(gen)
        except Exception:  # any failure to open means: rebuild
            return None, None

    def is_current(self) -> bool:
        """True when an index exists and no note changed since it was written."""
        gen = self._current_gen()
        manifest = self._manifest(gen) if gen else None
        return manifest is not None and manifest == self._wanted() and self._intact(gen)

    def _wanted(self) -> dict[str, str]:
        return {n.file: f"{n.signature}:{n.slug}" for n in self.lib.notes}

    def open(self, progress: Progress | None = None, rebuild: bool = False) -> UpdateStats:
        """Make the index current (building or updating as needed) and ready to search.

        Searching a current index takes no lock. When another process holds the write lock
        (a rebuild in progress) or the cache cannot be written, the last complete index is
        searched and ``notice`` says why it may be out of date."""
        started = time.perf_counter()
        self.close()
        gen, ix = (None, None) if rebuild else self._usable()
        if ix is not None and self._manifest(gen) == self._wanted():
            self._gen, self._ix = gen, ix
            stats = UpdateStats()
            self._tidy(keep=gen)
        else:
            try:
                # With a complete index to fall back on, never wait for another writer.
                with _file_lock(self._lock_path, timeout=0.0 if ix is not None else LOCK_WAIT):
                    stats = self._write(progress, rebuild)
            except (TimeoutError, OSError) as exc:
                if ix is None:
                    if isinstance(exc, TimeoutError):
                        raise TimeoutError("another mlnotes process is building the search index; try again when it is done") from None
                    raise
                self._gen, self._ix = gen, ix
                stats = UpdateStats(notice=_stale_notice(exc))
        self._searcher = self._checked_searcher() or self._ix.searcher()
        self._speller = None
        stats.seconds = time.perf_counter() - started
        return stats

    def _usable(self):
        """The current generation, opened, when its files are as they were written."""
        if self._ix is not None and self._gen == self._current_gen() and self._intact(self._gen):
            return self._gen, self._ix  # already open and still the current one
        return self._try_open()

    def _write(self, progress: Progress | None, rebuild: bool) -> UpdateStats:
        """Under the write lock: bring the index up to date, rebuilding when it is missing,
        damaged or asked for."""
        gen, ix = (None, None) if rebuild else self._usable()
        if ix is None:
            stats = self._rebuild(progress)
        else:
            self._gen, self._ix = gen, ix
            stats = self._update(progress)
        self._remove_old_generations(keep=self._gen)
        return stats

    def _tidy(self, keep: Path) -> None:
        """Remove what a killed build left behind (a partial generation), if nobody is writing."""
        try:
            leftovers = [c for c in self.folder.iterdir() if c.is_dir() and c != keep]
        except OSError:
            return
        if not leftovers:
            return
        try:
            with _file_lock(self._lock_path, timeout=0.0):
                self._remove_old_generations(keep=keep)
        except (TimeoutError, OSError):
            pass  # a writer is at work, or the cache is read-only: leave them

    def _rebuild(self, progress: Progress | None, resume: bool = True) -> UpdateStats:
        """A complete index in a new generation, committed in parts: a build stopped by a
        quit, ctrl+c or an error keeps the parts it committed (as "building", never taken
        for a complete index) and the next build resumes from them."""
        gen, ix, have = self._resumable() if resume else (None, None, {})
        if gen is None:
            self._remove_old_generations(keep=self._current_gen())  # an abandoned partial build
            gen = self.folder / f"v{FORMAT}-{os.urandom(6).hex()}"  # os.urandom: uuid imports platform
            gen.mkdir(parents=True)
            ix = windex.create_in(str(gen), self.schema)
            atomic_write(self._building_pointer, gen.name)
        want = self._wanted()
        todo = [n for n in self.lib.notes if have.get(n.file) != want[n.file]]
        gone = [path for path in have if path not in want]
        size = max(BATCH_MIN, -(-len(todo) // BATCHES))
        batches = [todo[i : i + size] for i in range(0, len(todo), size)] or [[]]
        done, had = 0, set(have)
        try:
            for k, batch in enumerate(batches):
                many = len(batch) >= MANY_PROCS_FROM and (os.cpu_count() or 1) > 1

                def step(i: int, _n: int, what: str, done=done, last=k == len(batches) - 1) -> None:
                    if progress:
                        progress(done + i, len(todo), what if last else "indexing")

                with _children_die_with_us():
                    writer = ix.writer(procs=2, multisegment=True, limitmb=MANY_WRITER_MB) if many else ix.writer(limitmb=WRITER_MB)

                    def put(writer=writer, **doc) -> None:  # replace what a stopped build indexed
                        (writer.update_document if doc["path"] in had else writer.add_document)(**doc)

                    self._feed(writer, batch, put, step, drop=gone if k == 0 else ())
                for path in gone if k == 0 else ():
                    have.pop(path, None)
                have.update({n.file: want[n.file] for n in batch})
                done += len(batch)
                self._write_manifest(gen, have, complete=k == len(batches) - 1)
            _drop_strays(gen)
            atomic_write(self._pointer, gen.name)
            self._building_pointer.unlink(missing_ok=True)
        except BaseException:
            if not have:  # nothing committed: nothing to resume
                shutil.rmtree(gen, ignore_errors=True)
                self._building_pointer.unlink(missing_ok=True)
            raise
        self._gen, self._ix = gen, ix
        return UpdateStats(added=len(todo), rebuilt=True, resumed=len(want) - len(todo))

    def _resumable(self):
        """The generation a stopped build left, opened, with the notes it holds; or Nones."""
        gen = self._current_gen(self._building_pointer)
        if gen is None or not self._intact(gen, partial=True):
            return None, None, {}
        try:
            ix = self._open_gen(gen)
        except Exception:
            return None, None, {}
        return gen, ix, dict(self._manifest_data(gen, partial=True)["notes"])

    def _remove_old_generations(self, keep: Path | None) -> None:
        for child in self.folder.iterdir():
            if child.is_dir() and child != keep:
                shutil.rmtree(child, ignore_errors=True)
        building = self._current_gen(self._building_pointer)
        if building is not None and building != keep:
            self._building_pointer.unlink(missing_ok=True)

    def _update(self, progress: Progress | None) -> UpdateStats:
        have = self._manifest(self._gen) or {}
        want = self._wanted()
        by_path = {n.file: n for n in self.lib.notes}
        todo = [p for p, sig in want.items() if have.get(p) != sig]
        gone = [p for p in have if p not in want]
        stats = UpdateStats(added=sum(p not in have for p in todo), changed=sum(p in have for p in todo), removed=len(gone))
        if not todo and not gone:
            return stats
        writer = self._ix.writer(timeout=30.0, limitmb=WRITER_MB)
        self._feed(writer, [by_path[p] for p in todo], writer.update_document, progress, drop=gone)
        self._write_manifest(self._gen, want)
        return stats

    def _feed(self, writer, notes: list[Note], put, progress: Progress | None, drop: list[str] = ()) -> None:
        """Delete the notes at paths ``drop``, give ``notes`` to ``put`` (add or update) one by
        one with progress, then commit; anything that stops it (a quit, ctrl+c, an error)
        cancels the writer."""
        try:
            for path in drop:
                writer.delete_by_term("path", path)
            for i, note in enumerate(notes, 1):
                put(**_document(self.lib, note))
                if progress:
                    progress(i, len(notes), "indexing")
            if progress:
                progress(len(notes), len(notes), "writing")
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

    def close(self) -> None:
        self._drop_checked()
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    # ------------------------------------------------------------------ searching

    def _query_parser(self):
        if self._parser is None:
            p = qparser.MultifieldParser(SEARCH_FIELDS, self.schema, group=qparser.OrGroup.factory(0.9))
            p.remove_plugin_class(qparser.RangePlugin)
            p.remove_plugin_class(qparser.BoostPlugin)
            p.add_plugin(qparser.FieldAliasPlugin({v: [k] for k, v in FIELD_ALIASES.items()}))
            self._parser = p
        return self._parser

    def _parse(self, text: str):
        def tame(q):
            # Short prefixes and leading wildcards expand to most of the vocabulary.
            if isinstance(q, (query.Prefix, query.Wildcard)):
                stem = re.split(r"[*?]", q.text, 1)[0]
                if len(stem) < MIN_PREFIX:
                    return query.Term(q.fieldname, stem) if stem else query.NullQuery
                if q.fieldname == "body":
                    # The body is stemmed ("regularization" is stored as "regular"), so a
                    # prefix of the written word is also looked up among the unstemmed words.
                    return query.Or([q, q.__class__("spell", q.text)])
            return q

        def negations(q):
            # With OR as the default, "a NOT b" parses as Or(a, Not(b)), and Not(b) matches
            # nearly everything; a learner means "a, but not b".
            if isinstance(q, query.Or):
                nots = [c for c in q.subqueries if isinstance(c, query.Not)]
                if nots:
                    keep = [c for c in q.subqueries if not isinstance(c, query.Not)]
                    if not keep:
                        return query.NullQuery
                    positive = keep[0] if len(keep) == 1 else q.__class__(keep)
                    return query.AndNot(positive, query.Or([n.query for n in nots]))
            return q

        def exact(q):
            if isinstance(q, query.Phrase) and not isinstance(q, ExactPhrase) and q.slop == 1:
                return ExactPhrase(q.fieldname, q.words, slop=1, boost=q.boost)
            return q

        try:
            parsed = self._query_parser().parse(text)
            return parsed.accept(tame).accept(negations).accept(exact)
        except Exception:
            words = re.findall(r"\w+", text)
            if not words:
                return query.NullQuery
            return self._query_parser().parse(" ".join(words))

    @staticmethod
    def _formula_phrase(text: str):
        """For a query typed like a formula ("x transpose A x", "(X^T X)^-1 X^T y"), a phrase
        over the formulas' word sequences; None for ordinary queries."""
        words = text.split()
        letters = sum(len(w) == 1 and w.isalpha() for w in words)
        if not (re.search(r"[\^_\\=]", text) or letters * 2 >= len(words) >= 3):
            return None
        tokens = math_tokens(text)
        if len(tokens) < 3:
            return None
        return query.Phrase("mathwords", tokens, slop=1, boost=4.0)

    def _run(self, text: str, limit: int, extra: str = ""):
        """Run ``text``, with ``extra`` (the alternatives of its words) OR-ed in at a lower weight."""
        q = self._parse(text)
        if extra:
            alt = self._parse(extra)
            if not isinstance(alt, type(query.NullQuery)):
                q = _with_alternatives(q, alt)
        phrase = self._formula_phrase(text)
        if phrase is not None:
            q = phrase if isinstance(q, type(query.NullQuery)) else query.Or([q, phrase])
        if isinstance(q, type(query.NullQuery)):
            return None
        try:
            results = self._search(q, limit)
            return results
        except Exception:
            # A query the engine cannot run as typed: try its plain words. If those fail too,
            # the index itself is at fault (search() says so).
            words = " ".join(re.findall(r"\w+", text))
            if not words or words == text:
                raise
            return self._search(self._parse(words), limit)

    def _search(self, q, limit: int):
        if not _has_phrase(q):
            return self._searcher.search(q, limit=limit)
        # Counting a phrase's notes means checking word positions in every one; a pass that
        # scores every match (no skipping) counts them on the way, at less cost.
        collector = collectors.TopCollector(limit, usequality=False, replace=0)
        self._searcher.search_with_collector(q, collector)
        return collector.results()

    def suggestion(self, text: str) -> str | None:
        """The query with each word unknown to the index replaced by its nearest known word."""
        if self._speller is None:
            version = f"spell-{self._gen.name}-{self._ix.latest_generation()}.txt" if self._gen else None
            self._speller = Speller(self._searcher.reader(), self.folder / version if version else None)
        changed = False
        out = []
        tokens = re.split(r"(\W+)", text)
        for i, token in enumerate(tokens):
            low = token.lower()
            is_field = i + 1 < len(tokens) and tokens[i + 1].startswith(":")
            if len(low) >= 3 and low.isalpha() and not is_field and low not in ("and", "not") and not self._speller.known(low):
                fix = self._speller.suggest(low)
                if fix:
                    out.append(fix)
                    changed = True
                    continue
            out.append(token)
        return "".join(out) if changed else None

    def search(self, text: str, limit: int = 10) -> Results:
        """Ranked hits for ``text``. Never raises on any query string."""
        if self._searcher is None:
            self.open()
        text = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text)[:MAX_QUERY].strip()
        out = Results(query=text)
        if not text:
            return out
        limit = max(1, int(limit))
        try:
            return self._ranked(out, text, limit)
        except Exception:
            self._mark_damaged()
            out.total, out.hits = 0, []
            out.notice = "the search index is damaged; it will be rebuilt the next time it is opened"
            return out

    def _ranked(self, out: Results, text: str, limit: int) -> Results:
        results = self._run(text, limit, alternatives(text))
        total = self._total(results)
        if total < 3:
            suggestion = self.suggestion(text)
            if suggestion:
                out.suggestion = suggestion
                if total == 0:
                    results = self._run(suggestion, limit, alternatives(suggestion))
                    total = self._total(results)
                    out.corrected = total > 0
        out.total = total
        if results is None or total == 0:
            return out
        shown = out.suggestion if out.corrected else text
        terms, phrases = query_terms(shown), query_phrases(shown)
        for hit in results:
            stored = hit.fields()
            try:
                sections = json.loads(stored.get("sections") or "[]")
            except ValueError:
                sections = []
            heading, anchor, snippet, spans = make_snippet(sections, terms, phrases)
            note = self.lib.get(stored["slug"])
            out.hits.append(
                Hit(
                    slug=stored["slug"],
                    title=note.title if note else stored.get("title", ""),
                    part=note.part_title if note else stored.get("part", ""),
                    module=note.module_title if note else stored.get("module", ""),
                    score=float(hit.score or 0.0),
                    heading=heading,
                    snippet=snippet,
                    spans=spans,
                    anchor=anchor,
                )
            )
        return out

    @staticmethod
    def _total(results) -> int:
        """How many notes match: exact, whatever the limit (the hits shown are only the top)."""
        if results is None:
            return 0
        if results.has_exact_length():
            return len(results)
        shown = results.scored_length()
        limit = getattr(results.collector, "limit", None)
        if shown == 0 or (limit is not None and shown < limit):
            return shown  # fewer hits than the limit: this is the exact count
        try:
            searcher = results.searcher
            return max(shown, sum(len(_matching(results.q, sub)) for sub, _ in searcher.leaf_searchers()))
        except Exception:
            return shown


def _with_alternatives(q, alt):
    """``q`` OR ``alt``, each part of ``alt`` weighted down by SYNONYM_WEIGHT. Two OR queries
    merge into one that keeps ``q``'s scale (its bonus for matching more of the words):
    nesting them would flatten it away."""
    parts = list(alt.subqueries) if isinstance(alt, query.Or) else [alt]
    parts = [part.with_boost(part.boost * SYNONYM_WEIGHT) for part in parts]
    if isinstance(q, type(query.NullQuery)):
        return query.Or(parts)
    if isinstance(q, query.Or):
        return query.Or(list(q.subqueries) + parts, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    return query.Or([q, *parts])


def _has_phrase(q) -> bool:
    return isinstance(q, query.Phrase) or any(_has_phrase(sub) for sub in q.children())


def _matching(q, searcher) -> set[int]:
    """The documents ``q`` matches in one segment, without scoring: sets of each word's
    documents, combined as the query combines them (cheaper than a union matcher)."""
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        everyone = _in_every_note(q, searcher)
        if everyone is not None:
            return everyone
        found: set[int] = set()
        for sub in q.subqueries:
            found |= _matching(sub, searcher)
        return found
    if isinstance(q, query.And):
        sets = [_matching(sub, searcher) for sub in q.subqueries]
        return set.intersection(*sets) if sets else set()
    if isinstance(q, query.AndNot):
        return _matching(q.a, searcher) - _matching(q.b, searcher)
    if isinstance(q, query.AndMaybe):
        return _matching(q.a, searcher)
    if isinstance(q, query.Require):
        return _matching(q.a, searcher) & _matching(q.b, searcher)
    return set(q.docs(searcher))


def _in_every_note(q, searcher) -> set[int] | None:
    """All of the segment's notes when one word of ``q`` is in every one of them (common
    words in a large collection): the union needs no reading of word lists then."""
    reader = searcher.reader()
    if reader.has_deletions():
        return None
    count = reader.doc_count_all()
    for sub in q.subqueries:
        if isinstance(sub, query.Term) and reader.doc_frequency(sub.fieldname, sub.text) == count:
            return set(range(count))
    return None
