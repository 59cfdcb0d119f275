"""The per-user folders: data (models, the shared BERT) and cache (derived graphs, split synthesizers).

`SBV2_STUDIO_HOME` overrides both (tests, portable use): data is that folder, the cache its `cache/`."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import platformdirs

APP_NAME = "sbv2-studio"
HOME_ENV = "SBV2_STUDIO_HOME"


def data_dir() -> Path:
    """The per-user data folder (models, BERT, caches). SBV2_STUDIO_HOME overrides it (tests, portable use)."""
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The per-user cache folder (`$SBV2_STUDIO_HOME/cache` when that is set)."""
    override = os.environ.get(HOME_ENV)
    return Path(override) / "cache" if override else platformdirs.user_cache_path(APP_NAME, appauthor=False)


def file_stamp(path: str | Path) -> str:
    """What identifies a file's content for the caches derived from it: its resolved path, size and modification
    time (raises OSError for a file that is not there)."""
    p = Path(path)
    st = p.stat()
    return f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}"


@contextlib.contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A hidden temporary file beside `path` to write: renamed over `path` when the block ends, removed when it
    fails. A reader sees the old file or the new one, never half (OSError where the folder cannot be written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write beside the target and rename over it: a reader sees the old file or the new one, never half."""
    with replaced_atomically(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


__all__ = ["APP_NAME", "HOME_ENV", "cache_dir", "data_dir", "file_stamp", "replaced_atomically", "write_text_atomic"]
