"""A cache of each note file's metadata, keyed by path and checked against size and mtime.

Loading 10,000 notes would otherwise parse 10,000 frontmatters and scan every body; with the
cache an unchanged collection loads with a ``stat`` per file. The cache is a plain JSON file
in the user cache folder; a missing, corrupt or old-format file is simply rebuilt.
"""

from __future__ import annotations

import json
from pathlib import Path

from mlnotes.paths import atomic_write, cache_dir, collection_key

FORMAT = 2  # 2: links carry their section, notes their section anchors


class MetaCache:
    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def for_root(cls, root: Path) -> "MetaCache":
        return cls(cache_dir() / collection_key(root) / "meta.json")

    def load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("notes"), dict):
            return {}
        return data["notes"]

    def save(self, records: dict[str, dict]) -> None:
        try:
            atomic_write(self.path, json.dumps({"format": FORMAT, "notes": records}, ensure_ascii=False))
        except OSError:
            pass  # a read-only cache folder costs speed, never correctness
