"""The per-user folders: data (models, the shared BERT) and cache (derived graphs, split synthesizers).

`SBV2_STUDIO_HOME` overrides both (tests, portable use): data is that folder, the cache its `cache/`."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
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


# --- what the caches derive from a file ------------------------------------------------------------------------
#
# A derived file or folder is named `{stem}.{recipe}.{tag}.{key}…`: `tag` (source_tag) names the source file's
# place, `key` its content and everything else the result depends on (versions, options). When the source changes
# or a dependency is updated, the new key's entry replaces the old one, which nothing would read again: it is
# deleted with whatever was derived from it in turn (an SBV2 voice's chain: seeded copy → split graphs → OpenVINO
# IRs, 0.7 GB; a BERT variant and its IR, 1.9 GB).


def source_tag(path: str | Path) -> str:
    """8 hex digits naming a source file's resolved path in the names of what the caches derive from it."""
    return hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:8]


def derived_prefix(source: str | Path, recipe: str) -> str:
    """`{stem}.{recipe}.{tag}.`: what a derived entry's name starts with, before its key. The source is remembered
    (`sources.json` in the cache), so that what was derived from it goes once it is deleted (tidy_cache)."""
    tag = source_tag(source)
    _remember_source(tag, Path(source).resolve())
    return f"{Path(source).stem}.{recipe}.{tag}."


SOURCES_FILE = "sources.json"  # source tag → the file's path, for every source something was derived from
_known_sources: dict[Path, set[str]] = {}  # per cache folder: the tags this process has recorded
_sources_lock = threading.Lock()


def _remember_source(tag: str, path: Path) -> None:
    folder = cache_dir()
    with _sources_lock:
        known = _known_sources.setdefault(folder, set())
        if tag in known:
            return
        sources = _read_sources(folder)
        if sources.get(tag) != str(path):
            sources[tag] = str(path)
            try:
                write_text_atomic(folder / SOURCES_FILE, json.dumps(sources, indent=1, ensure_ascii=False))
            except OSError:  # a read-only cache: nothing is derived there either
                return
        known.add(tag)


def _read_sources(folder: Path) -> dict[str, str]:
    try:
        sources = json.loads((folder / SOURCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in sources.items()} if isinstance(sources, dict) else {}


def tidy_cache() -> int:
    """Delete what was derived from files that are gone: a voice deleted outside the studio (its file, or its
    folder), a BERT replaced by hand, a cache entry removed. A file none of whose two enclosing folders is there
    (a drive not mounted now, a network share) counts as gone only inside the cache. Returns how many entries were
    deleted."""
    folder = cache_dir()
    inside = folder.resolve()
    gone = {}
    for tag, path in _read_sources(folder).items():
        file = Path(path)
        if file.exists():
            continue
        if file.parent.is_dir() or file.parent.parent.is_dir() or inside in file.parents:
            gone[tag] = file
    removed = sum(remove_derived(file) for file in gone.values())
    if gone:  # forgotten only once deleted: a process that ends halfway leaves the rest to the next one
        with _sources_lock:
            sources = _read_sources(folder)
            for tag in gone:
                sources.pop(tag, None)
                _known_sources.get(folder, set()).discard(tag)
            try:
                write_text_atomic(folder / SOURCES_FILE, json.dumps(sources, indent=1, ensure_ascii=False))
            except OSError:
                pass
    return removed


_tidied: set[Path] = set()


def tidy_cache_in_background() -> None:
    """tidy_cache once per process and cache folder, in a daemon thread (deleting large files takes a while)."""
    folder = cache_dir()
    with _sources_lock:
        if folder in _tidied:
            return
        _tidied.add(folder)
    threading.Thread(target=tidy_cache, name="cache-tidy", daemon=True).start()


def remove_replaced(folder: Path, prefix: str, key: str, legacy: re.Pattern | None = None) -> int:
    """Delete the entries of `folder` that the one named `prefix + key…` replaces: the same prefix with another key,
    and names matching `legacy` (an earlier naming that is never read again); then what was derived from them
    (remove_derived). An entry another process holds open where that blocks deleting it (Windows) goes next time.
    Returns how many entries were deleted."""
    try:
        names = [entry.name for entry in Path(folder).iterdir()]
    except OSError:
        return 0
    removed = 0
    for name in names:
        replaced = name.startswith(prefix) and not name.startswith(prefix + key)
        if replaced or (legacy is not None and legacy.fullmatch(name)):
            removed += _remove_with_derived(Path(folder) / name)
    return removed


def remove_derived(source: str | Path) -> int:
    """Delete what the caches derived from `source` (a file that was replaced or removed): every cache entry whose
    name holds its tag, and in turn what was derived from those. Returns how many entries were deleted."""
    tag = source_tag(source)
    try:
        found = [p for p in cache_dir().rglob(f"*.{tag}.*") if f".{tag}." in p.name]
    except OSError:
        return 0
    return sum(_remove_with_derived(p) for p in found if p.exists())


GRAPH_SUFFIXES = (".onnx", ".xml")  # the graph files other entries are derived from (ONNX, OpenVINO IR)


def _remove_with_derived(entry: Path) -> int:
    sources = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
    tags_of = [str(p.resolve()) for p in sources if p.suffix in GRAPH_SUFFIXES]
    try:
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    except OSError:
        return 0
    return 1 + sum(remove_derived(path) for path in tags_of)


def cache_usage() -> dict[str, int]:
    """Bytes each top-level folder of the cache holds (bert-variants, graph_split, openvino, seeded, …), largest
    first; empty when there is no cache yet."""
    usage = {}
    try:
        entries = list(cache_dir().iterdir())
    except OSError:
        return {}
    for entry in entries:
        files = [entry] if entry.is_file() else entry.rglob("*")
        total = 0
        for path in files:
            try:
                total += path.stat().st_size if path.is_file() else 0
            except OSError:
                continue
        usage[entry.name] = total
    return dict(sorted(usage.items(), key=lambda item: -item[1]))


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


__all__ = [
    "APP_NAME",
    "HOME_ENV",
    "cache_dir",
    "cache_usage",
    "data_dir",
    "derived_prefix",
    "file_stamp",
    "remove_derived",
    "remove_replaced",
    "replaced_atomically",
    "source_tag",
    "tidy_cache",
    "tidy_cache_in_background",
    "write_text_atomic",
]
