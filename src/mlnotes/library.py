"""The library model: parts, modules and notes loaded from a notes folder.

Plain data, no UI. The layout is the one in NOTE-STANDARD.md::

    notes/NN-part/_index.md
    notes/NN-part/NN-module/_index.md
    notes/NN-part/NN-module/NN-slug.md

but nothing beyond it is assumed: a folder without ``_index.md`` gets a title made from its
name, a note without frontmatter takes its first ``# heading`` (or its file name) as title,
and notes outside a part or module folder land in a group named after the folder they are
in. Bad input never stops loading: every unreadable file, broken frontmatter, duplicate slug
or dangling wikilink becomes a :class:`Problem` and the rest of the collection loads.

Metadata of unchanged files comes from a small cache (see :mod:`mlnotes.metacache`), so
loading a large collection costs little more than a ``stat`` per file; bodies are read on
demand through :meth:`Library.body`.
"""

from __future__ import annotations

import math
import os
import re
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from mlnotes.outline import Outline, anchor_of, outline
from mlnotes.sanitize import clean, clean_name, one_line

NOTE_SUFFIX = ".md"
INDEX_NAME = "_index.md"
# Caps on what is read, so a hostile or broken folder cannot take the machine: larger notes,
# frontmatters and deeper folders are skipped with a problem line saying so.
MAX_NOTE_BYTES = 4 * 1024 * 1024
MAX_FRONTMATTER_BYTES = 64 * 1024
MAX_DEPTH = 24
T = TypeVar("T")
WORDS_PER_MINUTE = 220
LEVELS = ("intro", "intermediate", "advanced")

_ORDER = re.compile(r"^(\d+)[-_ ](.*)$")
_FRONTMATTER_START = re.compile(r"^-{3,}\s*$", re.M)


@dataclass(frozen=True)
class Problem:
    """Something wrong in the collection, pinned to a file and a line (1-based, 0 = whole file)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        path = clean_name(str(self.path))
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.message}"


@dataclass
class Link:
    """A wikilink in a note body: target slug, shown text (or None), 1-based file line and
    the section it names (or None)."""

    target: str
    text: str | None
    line: int
    section: str | None = None


@dataclass
class Note:
    slug: str
    title: str
    file: str  # the note's file; ``path`` makes the Path on first use (10,000 Paths cost a cached load more than the rest of it)
    part: str  # part key (its folder name)
    module: str  # module key (its folder path relative to the root)
    order: tuple[int, str]
    summary: str = ""
    tags: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    level: str = ""
    words: int = 0
    links: tuple[Link, ...] = ()
    anchors: tuple[str, ...] = ()  # every name a [[slug#section]] may use for its sections
    body_line: int = 1  # file line on which the body starts
    mtime_ns: int = 0
    size: int = 0
    index: int = 0  # position in reading order, set by the library
    part_title: str = ""
    module_title: str = ""
    _path: Path | None = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.file)
        return self._path

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def byline(self) -> str:
        """Where the note sits and how long it takes: shown under its title."""
        line = f"{self.part_title} › {self.module_title} · {self.reading_minutes} min read"
        return f"{line} · {self.level}" if self.level else line

    @property
    def signature(self) -> str:
        return f"{self.mtime_ns}:{self.size}"


@dataclass
class Module:
    key: str
    title: str
    path: Path
    order: tuple[int, str]
    part: str
    summary: str = ""
    index_path: Path | None = None
    notes: list[Note] = field(default_factory=list)


@dataclass
class Part:
    key: str
    title: str
    path: Path
    order: tuple[int, str]
    summary: str = ""
    index_path: Path | None = None
    modules: list[Module] = field(default_factory=list)

    @property
    def notes(self) -> list[Note]:
        return [n for m in self.modules for n in m.notes]


@dataclass
class Page:
    """An ``_index.md`` page (collection, part or module) with its body."""

    title: str
    summary: str
    body: str
    path: Path | None


class LoadError(Exception):
    """The notes folder itself cannot be used (missing, not a folder, unreadable)."""


class TooLarge(OSError):
    """A file over the size cap: reported, not read."""


def ordering(name: str) -> tuple[int, str]:
    """Sort key from an ``NN-`` prefix: numbered entries first, in number order, then by name."""
    m = _ORDER.match(name)
    if m:
        return int(m.group(1)), m.group(2)
    return 10**9, name


def title_from_name(name: str) -> str:
    stem = name[: -len(NOTE_SUFFIX)] if name.endswith(NOTE_SUFFIX) else name
    m = _ORDER.match(stem)
    if m:
        stem = m.group(2)
    words = re.split(r"[-_ ]+", clean_name(stem))
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or clean_name(stem)


def slug_from_name(name: str) -> str:
    stem = name[: -len(NOTE_SUFFIX)] if name.endswith(NOTE_SUFFIX) else name
    m = _ORDER.match(stem)
    return clean_name((m.group(2) if m else stem).strip().lower())


# --------------------------------------------------------------------------- file parsing


@dataclass
class ParsedFile:
    """What one Markdown file yields: metadata, body and the problems met reading it."""

    meta: dict
    body: str
    body_line: int
    problems: list[tuple[int, str]]


def decode(raw: bytes) -> tuple[str, tuple[int, str] | None]:
    """UTF-8 text of ``raw``; a file that is not UTF-8 is decoded with replacements, and the
    line of its first bad byte is reported."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return raw.decode("utf-8", errors="replace"), (line, "not valid UTF-8 (bad bytes shown as �)")


def parse_text(text: str) -> ParsedFile:
    """Split frontmatter from body. Broken frontmatter is a problem, not an exception."""
    text = clean(text)
    problems: list[tuple[int, str]] = []
    if not _FRONTMATTER_START.match(text):
        return ParsedFile({}, text, 1, problems)
    # Imported here: a collection whose metadata is all cached never needs YAML at all.
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    handler = YAMLHandler()
    try:
        fm, body = handler.split(text)
    except ValueError:
        return ParsedFile({}, text, 1, [(1, "frontmatter is not closed by a '---' line")])
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    if len(fm) > MAX_FRONTMATTER_BYTES:
        return ParsedFile({}, body, body_line, [(1, f"frontmatter larger than {MAX_FRONTMATTER_BYTES // 1024} KiB: ignored")])
    try:
        meta = yaml.load(fm, Loader=_frontmatter_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "cannot be parsed"
        return ParsedFile({}, body, body_line, [(line, f"broken frontmatter YAML: {reason}")])
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # a value YAML accepts but cannot build
        return ParsedFile({}, body, body_line, [(2, f"broken frontmatter YAML: {one_line(str(exc))[:120]}")])
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.append((2, "frontmatter is not a mapping of keys to values"))
        meta = {}
    return ParsedFile(meta, body, body_line, problems)


_LOADER = None


def _frontmatter_loader():
    """PyYAML's safe loader without aliases (an alias bomb expands a kilobyte into gigabytes
    once the values are used) and without timestamps (``date: 2024-02-30`` is text to us, not
    an error). Frontmatter never needs either."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class FrontmatterLoader(yaml.SafeLoader):
            def compose_node(self, parent, index):
                if self.check_event(yaml.AliasEvent):
                    event = self.peek_event()
                    raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in frontmatter", event.start_mark)
                return super().compose_node(parent, index)

        FrontmatterLoader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        _LOADER = FrontmatterLoader
    return _LOADER


def _as_text(value) -> str:
    if value is None:
        return ""
    return one_line(str(value))


def _as_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items = [v for v in re.split(r"[,\s]+", value) if v]
    elif isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    else:
        items = [str(value)]
    return tuple(clean(i).strip() for i in items if str(i).strip())


def scan_body(body: str, body_line: int) -> tuple[int, list[Link], str | None, list[str]]:
    """Word count of the prose (code excluded), wikilinks with file lines, the first
    ``# heading``'s title and the section anchors, all from the note's outline."""
    o = outline(body)
    links = [Link(l.target, l.text, body_line + l.line, l.section) for l in o.links]
    return o.words(), links, o.title, o.anchors


# --------------------------------------------------------------------------- the library


RECENT_NOTES = 48  # bodies and outlines kept in memory


class _Recent(Generic[T]):
    """A small least-recently-used map, safe to share between the reader's threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Path, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Path) -> T | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Path, value: T) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class Library:
    """A loaded notes collection: parts → modules → notes, in reading order."""

    def __init__(self, root: Path):
        self.root = root
        self.title = title_from_name(root.name)
        self.summary = ""
        self.index_path: Path | None = None
        self.parts: list[Part] = []
        self.notes: list[Note] = []
        self.by_slug: dict[str, Note] = {}
        self.backlinks: dict[str, list[Note]] = {}
        self.problems: list[Problem] = []
        # Recently read bodies and outlines. Bounded: a full index build reads every note,
        # and holding all of them would cost the reader tens of MB at 164 notes and GBs at
        # 10,000.
        self._bodies: _Recent[str] = _Recent(RECENT_NOTES)
        self._outlines: _Recent[Outline] = _Recent(RECENT_NOTES)

    # -- lookups

    def get(self, slug: str) -> Note | None:
        return self.by_slug.get(slug)

    def module(self, key: str) -> Module | None:
        for part in self.parts:
            for module in part.modules:
                if module.key == key:
                    return module
        return None

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    def find(self, query: str) -> Note | None:
        """A note by slug, title or file name, ignoring case, or by the start of exactly one
        note's slug or title; None when nothing (or more than one note) matches."""
        q = query.strip()
        if not q:
            return None
        if q in self.by_slug:
            return self.by_slug[q]
        low = q.lower()
        for note in self.notes:
            if low in (note.slug.lower(), note.title.lower(), note.path.stem.lower(), note.path.name.lower()):
                return note
        if len(low) >= 3:  # the start of one note's slug or title ("svd", "vector sp")
            starts = [n for n in self.notes if n.slug.lower().startswith(low) or n.title.lower().startswith(low)]
            if len(starts) == 1:
                return starts[0]
            if not starts:  # else the start of a word in exactly one ("spectral")
                words = self._word_matches(low)
                if len(words) == 1:
                    return words[0]
        return None

    def _word_matches(self, low: str) -> list[Note]:
        """Notes with a word of the title or slug starting with ``low`` (lower case)."""
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(low))
        return [n for n in self.notes if pattern.search(n.title.lower()) or pattern.search(n.slug.lower())]

    def suggest(self, query: str, limit: int = 3) -> list[Note]:
        """Notes whose slug or title is close to ``query``, best first (for "did you mean")."""
        import difflib  # only for suggestions: kept off the path of every command

        low = query.strip().lower()
        if not low:
            return []
        keys: dict[str, Note] = {}
        for note in self.notes:
            keys.setdefault(note.slug.lower(), note)
            keys.setdefault(note.title.lower(), note)
        # Every note with a word starting so ("gradient" → both gradient notes), then close spellings.
        found: list[Note] = self._word_matches(low) if len(low) >= 3 else []
        for key in difflib.get_close_matches(low, list(keys), n=limit * 2, cutoff=0.6):
            if keys[key] not in found:
                found.append(keys[key])
        if not found and len(low) >= 4:  # a misspelt word of a title ("gradiant")
            words = {w for n in self.notes for w in re.findall(r"[a-z0-9]+", n.title.lower())}
            for word in difflib.get_close_matches(low, list(words), n=2, cutoff=0.75):
                found += [n for n in self._word_matches(word) if n not in found]
        return found[: max(limit, len(self._word_matches(low)) if len(low) >= 3 else limit)]

    def neighbour(self, note: Note, step: int) -> Note | None:
        i = note.index + step
        return self.notes[i] if 0 <= i < len(self.notes) else None

    # -- bodies and pages

    def frontmatter_line(self, note: Note, key: str) -> int:
        """The file line of ``key:`` in the note's frontmatter (1 when it cannot be found)."""
        try:
            with open(note.path, encoding="utf-8", errors="replace") as fh:
                head = [fh.readline() for _ in range(max(note.body_line, 1))]
        except OSError:
            return 1
        for number, line in enumerate(head[1:], 2):
            if line.startswith(key + ":"):
                return number
        return 1

    def body(self, note: Note) -> str:
        """The note's Markdown body (frontmatter removed, control characters made visible)."""
        cached = self._bodies.get(note.path)
        if cached is not None:
            return cached
        try:
            raw = note.path.read_bytes()
        except OSError as exc:
            return f"*This note cannot be read: {exc.strerror or exc}.*"
        text, _ = decode(raw)
        body = parse_text(text).body
        self._bodies.put(note.path, body)
        return body

    def outline(self, note: Note) -> Outline:
        """The note's outline: sections, links, formulas and code blocks (see :mod:`mlnotes.outline`)."""
        cached = self._outlines.get(note.path)
        if cached is None:
            cached = outline(self.body(note))
            self._outlines.put(note.path, cached)
        return cached

    def link_title(self, target: str, section: str | None = None) -> str | None:
        """The title of the note a link names, or None when there is no such note, or the
        note has no such section."""
        note = self.by_slug.get(target)
        if note is None or (section and not has_section(note, section)):
            return None
        return note.title

    def resolve(self, target: str) -> str | None:
        """:meth:`link_title` of a rendered link's target, ``slug`` or ``slug#section``."""
        slug, _, section = target.partition("#")
        return self.link_title(slug, section or None)

    def page(self, path: Path | None, title: str, summary: str = "") -> Page:
        """An ``_index.md`` page; a folder without one gets an empty body."""
        if path is None:
            return Page(title, summary, "", None)
        try:
            text, _ = decode(path.read_bytes())
        except OSError:
            return Page(title, summary, "", path)
        return Page(title, summary, parse_text(text).body, path)

    def home_page(self) -> Page:
        return self.page(self.index_path, self.title, self.summary)

    def part_page(self, part: Part) -> Page:
        return self.page(part.index_path, part.title, part.summary)

    def module_page(self, module: Module) -> Page:
        return self.page(module.index_path, module.title, module.summary)

    # -- counts

    @property
    def module_count(self) -> int:
        return sum(len(p.modules) for p in self.parts)


def _note_files(root: str, problems: list) -> tuple[list[tuple[str, str, os.stat_result]], list[str]]:
    """Every note file under ``root`` (``*.md`` but ``_index.md``, hidden entries skipped) as
    (path relative to root, full path, stat), and the relative folders, one or two levels
    down, that hold an ``_index.md``. Plain strings and ``os.scandir``: at 10,000 notes
    ``pathlib`` objects cost more than the walk. Walked with a stack, not recursion, to at most
    MAX_DEPTH folders deep; a folder met twice through symbolic links is walked once."""
    found: list[tuple[str, str, os.stat_result]] = []
    pages: list[str] = []
    seen: set[tuple[int, int]] = set()
    skip = len(root) + 1
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError as exc:
            if depth == 0:
                raise LoadError(f"cannot read notes folder {root}: {exc.strerror or exc}") from None
            problems.append(Problem(Path(folder), 0, f"cannot be read: {exc.strerror or exc}"))
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        st = entry.stat()
                        if (st.st_dev, st.st_ino) in seen:
                            continue
                        seen.add((st.st_dev, st.st_ino))
                        if depth + 1 > MAX_DEPTH:
                            problems.append(Problem(Path(entry.path), 0, f"folder nested deeper than {MAX_DEPTH} levels: skipped"))
                        else:
                            stack.append((entry.path, depth + 1))
                    elif name == INDEX_NAME:
                        if 1 <= depth <= 2:
                            pages.append(folder[skip:])
                    elif name.endswith(NOTE_SUFFIX):
                        st = entry.stat()
                        if stat.S_ISREG(st.st_mode):
                            found.append((entry.path[skip:], entry.path, st))
                except OSError as exc:
                    problems.append(Problem(Path(entry.path), 0, f"cannot be read: {exc.strerror or exc}"))
    return found, pages


def _index_record(path: Path, st) -> dict:
    """Title, summary and problems of an ``_index.md``, as plain cacheable data."""
    problems: list[tuple[int, str]] = []
    if st.st_size > MAX_NOTE_BYTES:
        raise TooLarge(f"larger than {MAX_NOTE_BYTES // (1024 * 1024)} MiB: not read")
    text, bad = decode(path.read_bytes())
    if bad:
        problems.append(bad)
    parsed = parse_text(text)
    problems.extend(parsed.problems)
    title = _as_text(parsed.meta.get("title"))
    if not title:
        h1 = outline(parsed.body).title
        title = h1 or ""
    return {
        "page": True,
        "title": title,
        "summary": _as_text(parsed.meta.get("summary")),
        "mtime_ns": st.st_mtime_ns,
        "size": st.st_size,
        "problems": problems,
    }


def _note_record(path: Path, st) -> tuple[dict, list[tuple[int, str]]]:
    """Everything the library keeps about one note file, as plain cacheable data."""
    problems: list[tuple[int, str]] = []
    if st.st_size > MAX_NOTE_BYTES:
        raise TooLarge(f"larger than {MAX_NOTE_BYTES // (1024 * 1024)} MiB ({st.st_size // (1024 * 1024)} MiB): not loaded")
    raw = path.read_bytes()
    text, bad = decode(raw)
    if bad:
        problems.append(bad)
    parsed = parse_text(text)
    problems.extend(parsed.problems)
    meta = parsed.meta
    words, links, h1, anchors = scan_body(parsed.body, parsed.body_line)
    title = _as_text(meta.get("title")) or h1 or title_from_name(path.name)
    slug = _as_text(meta.get("slug")) or slug_from_name(path.name)
    if not re.fullmatch(r"[\w.\-]+", slug):
        problems.append((2 if meta else 1, f"slug {slug!r} has characters other than letters, digits, '-', '_' and '.'"))
    level = _as_text(meta.get("level")).lower()
    if level and level not in LEVELS:
        problems.append((2, f"level {level!r} is not one of {', '.join(LEVELS)}"))
    record = {
        "slug": slug,
        "title": title,
        "summary": _as_text(meta.get("summary")),
        "tags": [t.lower() for t in _as_list(meta.get("tags"))],
        "prerequisites": list(_as_list(meta.get("prerequisites"))),
        "level": level,
        "words": words,
        "links": [(l.target, l.text, l.line, l.section) for l in links],
        "anchors": anchors,
        "body_line": parsed.body_line,
        "mtime_ns": st.st_mtime_ns,
        "size": st.st_size,
        "problems": problems,
    }
    return record, problems


def load_library(root: Path | str, cache=None) -> Library:
    """Load the collection under ``root``.

    ``cache`` is an optional :class:`mlnotes.metacache.MetaCache`; with it, files whose size
    and modification time have not changed are not read again.
    Raises :class:`LoadError` only when ``root`` itself is unusable.
    """
    root = Path(root).expanduser()
    if not root.exists():
        raise LoadError(f"notes folder not found: {root}")
    if not root.is_dir():
        raise LoadError(f"not a folder: {root}")
    root = root.resolve()
    lib = Library(root)
    records = cache.load() if cache is not None else {}
    fresh: dict[str, dict] = {}

    def index_meta(path: Path) -> tuple[str, str]:
        """Title and summary of an ``_index.md``, from the cache when the file is unchanged."""
        key = str(path.relative_to(root))
        try:
            st = path.stat()
            record = records.get(key)
            if record is None or not record.get("page") or record["mtime_ns"] != st.st_mtime_ns or record["size"] != st.st_size:
                record = _index_record(path, st)
        except OSError as exc:
            lib.problems.append(Problem(path, 0, f"cannot be read: {exc.strerror or exc}"))
            return "", ""
        fresh[key] = record
        lib.problems.extend(Problem(path, line, message) for line, message in record["problems"])
        return record["title"], record["summary"]

    root_index = root / INDEX_NAME
    if root_index.is_file():
        lib.index_path = root_index
        title, lib.summary = index_meta(root_index)
        lib.title = title or lib.title

    parts: dict[str, Part] = {}
    modules: dict[str, Module] = {}

    def ensure_part(key: str, folder: Path) -> Part:
        part = parts.get(key)
        if part is None:
            part = Part(key, title_from_name(folder.name), folder, ordering(folder.name))
            if folder != root and (folder / INDEX_NAME).is_file():
                part.index_path = folder / INDEX_NAME
                title, part.summary = index_meta(part.index_path)
                part.title = title or part.title
            elif folder == root:
                part.title = lib.title
            parts[key] = part
        return part

    def ensure_module(key: str, folder: Path, part: Part) -> Module:
        module = modules.get(key)
        if module is None:
            module = Module(key, title_from_name(folder.name), folder, ordering(folder.name), part.key)
            if folder != part.path and (folder / INDEX_NAME).is_file():
                module.index_path = folder / INDEX_NAME
                title, module.summary = index_meta(module.index_path)
                module.title = title or module.title
            elif folder == part.path:
                module.title = part.title
                module.summary = part.summary
            modules[key] = module
            part.modules.append(module)
        return module

    files, pages = _note_files(str(root), lib.problems)
    files.sort(key=lambda f: f[0].split(os.sep))

    for rel, full, st in files:
        key = rel
        record = records.get(key)
        folders = rel.split(os.sep)
        name = folders.pop()
        part_key = folders[0] if folders else ""
        module_key = os.sep.join(folders[:2]) or "."  # ".": notes at the top of the folder
        part = parts.get(part_key) or ensure_part(part_key, root / part_key if part_key else root)
        module = modules.get(module_key) or ensure_module(module_key, root / module_key, part)
        if record is None or record["mtime_ns"] != st.st_mtime_ns or record["size"] != st.st_size:
            try:
                record, _ = _note_record(Path(full), st)
            except OSError as exc:
                lib.problems.append(Problem(Path(full), 0, f"cannot be read: {exc.strerror or exc}"))
                continue
        fresh[key] = record
        for line, message in record["problems"]:
            lib.problems.append(Problem(Path(full), line, message))

        note = Note(
            slug=record["slug"],
            title=record["title"],
            file=full,
            part=part.key,
            module=module.key,
            order=ordering(name[: -len(NOTE_SUFFIX)]),
            summary=record["summary"],
            tags=tuple(record["tags"]),
            prerequisites=tuple(record["prerequisites"]),
            level=record["level"],
            words=record["words"],
            links=tuple(Link(*link) for link in record["links"]),
            anchors=tuple(record["anchors"]),
            body_line=record["body_line"],
            mtime_ns=record["mtime_ns"],
            size=record["size"],
        )
        module.notes.append(note)

    # Folders with an _index.md but no notes yet still belong to the tree.
    for rel in sorted(pages, key=lambda r: (r.count(os.sep), r)):
        folders = rel.split(os.sep)
        part = parts.get(folders[0]) or ensure_part(folders[0], root / folders[0])
        if len(folders) == 2 and rel not in modules:
            ensure_module(rel, root / rel, part)

    if cache is not None and fresh != records:
        cache.save(fresh)

    lib.parts = sorted(parts.values(), key=lambda p: p.order)
    for part in lib.parts:
        part.modules.sort(key=lambda m: m.order)
        for module in part.modules:
            module.notes.sort(key=lambda n: (n.order, os.path.basename(n.file)))
    _index_notes(lib)
    return lib


def _index_notes(lib: Library) -> None:
    """Reading order, unique slugs, titles of parents, resolved links and backlinks."""
    for part in lib.parts:
        for module in part.modules:
            for note in module.notes:
                note.part_title, note.module_title = part.title, module.title
                if note.slug in lib.by_slug:
                    first = lib.by_slug[note.slug]
                    n = 2
                    while f"{note.slug}-{n}" in lib.by_slug:
                        n += 1
                    lib.problems.append(
                        Problem(note.path, 1, f"duplicate slug {note.slug!r} (also {first.path}); shown as {note.slug}-{n}")
                    )
                    note.slug = f"{note.slug}-{n}"
                note.index = len(lib.notes)
                lib.notes.append(note)
                lib.by_slug[note.slug] = note
    for note in lib.notes:
        seen: set[str] = set()
        for link in note.links:
            target = lib.by_slug.get(link.target)
            if target is None:
                lib.problems.append(Problem(note.path, link.line, f"wikilink to unknown note [[{link.target}]]"))
            elif link.section and not has_section(target, link.section):
                lib.problems.append(
                    Problem(note.path, link.line, f"wikilink to unknown section [[{link.target}#{link.section}]]")
                )
            elif link.target not in seen and target is not note:
                seen.add(link.target)
                lib.backlinks.setdefault(target.slug, []).append(note)
        for slug in note.prerequisites:
            if slug not in lib.by_slug:
                lib.problems.append(Problem(note.path, 1, f"prerequisite {slug!r} is not a note"))
    lib.problems.sort(key=lambda p: (str(p.path), p.line))


def has_section(note: Note, name: str) -> bool:
    """True when ``name`` (an anchor, a title or a heading as written) is one of the note's sections."""
    return anchor_of(name) in note.anchors
