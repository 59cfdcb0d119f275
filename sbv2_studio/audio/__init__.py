"""Post-processing and audio I/O: joining lines, peak-normalized 16-bit PCM, WAV/FLAC files, playback."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np
import soundfile as sf

from ..errors import StudioError

SAVE_FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16")}


class AudioDeviceError(StudioError):
    """No usable audio output device (synthesis and saving still work)."""


def join_lines(chunks: list[np.ndarray], sample_rate: int, interval_s: float) -> np.ndarray:
    """Concatenate per-line audio with `interval_s` of silence between lines."""
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    gap = np.zeros(int(sample_rate * interval_s), dtype=np.float32)
    parts: list[np.ndarray] = []
    for i, chunk in enumerate(chunks):
        if i:
            parts.append(gap)
        parts.append(chunk.astype(np.float32, copy=False))
    return np.concatenate(parts)


def to_pcm16(audio: np.ndarray, gain: float = 1.0, peak: float | None = None) -> np.ndarray:
    """Peak-normalized int16, as the reference converts its output (x / max|x| · 32767, truncated), then scaled
    by `gain` (the volume parameter: normalization would otherwise undo it), clipped to the 16-bit range.
    `peak`: the peak of the whole audio when `audio` is one block of it."""
    if peak is None:
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak == 0.0 or not np.isfinite(peak):
        return np.zeros(audio.shape, dtype=np.int16)
    scaled = audio / peak * 32767
    if gain != 1.0:
        scaled = np.clip(scaled * gain, -32768, 32767)
    return scaled.astype(np.int16)


def partial_path(path: str | Path) -> Path:
    """Where a file is written before it is complete: hidden, beside its final name (the same file system, so
    the rename that finishes it is atomic), unique to this process."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def discard(path: Path) -> None:
    """Remove a temporary file if it is there (where it cannot even be looked for, there is nothing to remove)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def replace_into(written: Path, path: Path) -> None:
    """Finish a file written at partial_path(path): data on disk first, then the atomic rename."""
    with open(written, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(written, path)


def save(path: str | Path, pcm16: np.ndarray, sample_rate: int) -> Path:
    """Write 16-bit WAV or FLAC, chosen by the file extension. The file appears at `path` only once complete (a
    full disk or an error mid-way leaves the old file, or none, never a truncated one)."""
    path = Path(path)
    fmt = SAVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StudioError(f"{path}: cannot save as '{path.suffix}' (use .wav or .flac)")
    written = partial_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(written), pcm16, sample_rate, format=fmt[0], subtype=fmt[1])
        replace_into(written, path)
    except (OSError, sf.LibsndfileError) as exc:  # a read-only folder, /proc, a full disk
        raise StudioError(f"{path}: cannot write the audio there ({exc})") from exc
    finally:
        discard(written)
    return path
