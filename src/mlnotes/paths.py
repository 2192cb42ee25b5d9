"""Where mlnotes keeps things: the shipped notes, and the user's cache, state and config.

Nothing is ever written inside the installed package. The folders follow platformdirs and
can be moved with ``MLNOTES_CACHE_DIR``, ``MLNOTES_STATE_DIR`` and ``MLNOTES_CONFIG_DIR``
(the tests use these).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

APP = "mlnotes"


def shipped_notes() -> Path:
    """The notes that ship with the package (in a wheel), or the checkout's ``notes/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "notes"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "notes"


def notes_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The notes folder to use: ``--notes-dir``, else ``MLNOTES_NOTES_DIR``, else the shipped one."""
    chosen = explicit or os.environ.get("MLNOTES_NOTES_DIR")
    return Path(chosen).expanduser() if chosen else shipped_notes()


def _dir(env: str, kind: str) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False))


def cache_dir() -> Path:
    return _dir("MLNOTES_CACHE_DIR", "cache")


def state_dir() -> Path:
    return _dir("MLNOTES_STATE_DIR", "state")


def config_dir() -> Path:
    return _dir("MLNOTES_CONFIG_DIR", "config")


def collection_key(root: Path) -> str:
    """A short stable name for a notes folder, so each folder gets its own cache."""
    resolved = str(Path(root).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{Path(resolved).name or 'root'}-{digest}"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
