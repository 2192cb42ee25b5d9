"""A cache of each note file's metadata, keyed by path and checked against size and mtime.

Loading 10,000 notes would otherwise parse 10,000 frontmatters and scan every body; with the
cache an unchanged collection loads with a ``stat`` per file. The cache is a plain JSON file
in the user cache folder; a missing, corrupt or old-format file is simply rebuilt, and a
record whose fields have the wrong types (a damaged or hand-edited file) is dropped, so its
note is read again instead of crashing every command. Checking every field of 10,000 records
costs more than reading them, so the file carries a digest of its records as written: when it
matches, the records are ours and unchanged, and only a file that fails it is checked field by
field.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from mlnotes.paths import atomic_write, cache_dir, collection_key

FORMAT = 3  # 2: links carry their section, notes their section anchors; 3: a digest of the records
_HEAD = b'{"format": %d, "digest": "' % FORMAT
_DIGEST_LEN = 32
_MID = b'", "notes": '


class MetaCache:
    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def for_root(cls, root: Path) -> "MetaCache":
        return cls(cache_dir() / collection_key(root) / "meta.json")

    def load(self) -> dict[str, dict]:
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        trusted = _trusted(raw)
        if trusted is not None:
            return trusted
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("notes"), dict):
            return {}
        return {k: r for k, r in data["notes"].items() if valid_record(r)}

    def save(self, records: dict[str, dict]) -> None:
        try:
            # ASCII escapes keep file names that are not UTF-8 (surrogate escapes) writable
            body = json.dumps(records).encode("ascii")
            atomic_write(self.path, (_HEAD + _digest(body) + _MID).decode("ascii") + body.decode("ascii") + "}")
        except (OSError, ValueError):
            pass  # a read-only cache folder costs speed, never correctness


def _digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST_LEN // 2).hexdigest().encode("ascii")


def _trusted(raw: bytes) -> dict | None:
    """The records of a file exactly as ``save`` wrote it (its digest matches), else None."""
    start = len(_HEAD) + _DIGEST_LEN + len(_MID)
    if not (raw.startswith(_HEAD) and raw[len(_HEAD) + _DIGEST_LEN : start] == _MID and raw.endswith(b"}")):
        return None
    body = raw[start:-1]
    if _digest(body) != raw[len(_HEAD) : len(_HEAD) + _DIGEST_LEN]:
        return None
    try:
        records = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return records if isinstance(records, dict) else None


_TEXT = ("title", "summary")
_NOTE_TEXT = ("slug", "level")
_COUNTS = ("mtime_ns", "size")
_NOTE_COUNTS = ("words", "body_line")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def valid_record(r) -> bool:
    """Whether a cached record has the fields the library reads, with their types."""
    if not isinstance(r, dict):
        return False
    problems = r.get("problems")
    if not (
        all(isinstance(r.get(k), str) for k in _TEXT)
        and all(_is_int(r.get(k)) for k in _COUNTS)
        and isinstance(problems, list)
        and all(isinstance(p, list) and len(p) == 2 and _is_int(p[0]) and isinstance(p[1], str) for p in problems)
    ):
        return False
    if r.get("page"):
        return r["page"] is True
    links = r.get("links")
    text_or_none = lambda v: v is None or isinstance(v, str)  # noqa: E731
    return (
        all(isinstance(r.get(k), str) for k in _NOTE_TEXT)
        and all(_is_int(r.get(k)) for k in _NOTE_COUNTS)
        and all(isinstance(r.get(k), list) and all(isinstance(t, str) for t in r[k]) for k in ("tags", "prerequisites", "anchors"))
        and isinstance(links, list)
        and all(
            isinstance(l, list) and len(l) == 4 and isinstance(l[0], str) and text_or_none(l[1]) and _is_int(l[2]) and text_or_none(l[3])
            for l in links
        )
    )
